#!/usr/bin/env python3
"""The house rules of the source tree, checked (suite `layout`).

- No hand-written C file under src/ or backends/ is longer than --max-lines.
- No two object files of the library use each other's symbols (an import
  circle): read from `nm` of the objects the build compiled, so it sees what
  the compiler saw, macros and token pasting included.
- No import circle among the generator's Python modules (codegen/cnetgen).

Usage: check_layout.py --root DIR [--nm NM --objects OBJ_OR_LIB.a...] [--max-lines N]
Exits 1 with one line per broken rule; prints "layout ok" otherwise.
"""
import argparse
import ast
import os
import subprocess
import sys


def long_files(root, limit):
    found = []
    for top in ("src", "backends"):
        for folder, _dirs, names in os.walk(os.path.join(root, top)):
            for name in sorted(names):
                if not name.endswith((".c", ".h")):
                    continue
                path = os.path.join(folder, name)
                with open(path, encoding="utf-8") as f:
                    lines = sum(1 for _ in f)
                if lines > limit:
                    found.append(f"{os.path.relpath(path, root)}: {lines} lines (at most {limit})")
    return found


def object_symbols(nm, paths):
    """{object: (defined, used)} global symbols, for object files and for the
    members of static libraries (nm -A names each line's object)."""
    table = {}
    for path in paths:
        out = subprocess.run([nm, "-g", "-P", "-A", path], check=True, capture_output=True, text=True).stdout
        for line in out.splitlines():
            where, _, rest = line.partition(": ")
            parts = rest.split()
            if len(parts) < 2:
                continue
            obj = where[where.index("[") + 1:-1] if where.endswith("]") else where
            defined, used = table.setdefault(obj, (set(), set()))
            name, kind = parts[0], parts[1]
            if kind == "U":
                used.add(name)
            elif kind not in ("w", "v"):
                defined.add(name)
    return table


def source_of(obj):
    """'src_net_socket.c.o' -> 'src/net_socket.c' (meson's object naming)."""
    base = os.path.basename(obj)
    for suffix in (".o", ".obj"):
        if base.endswith(suffix):
            base = base[: -len(suffix)]
    for top in ("src_", "backends_posix_", "backends_io_uring_", "backends_winsock_", "generated_src_",
                "generated_backends_posix_", "generated_backends_io_uring_", "generated_backends_winsock_"):
        if base.startswith(top):
            return top.replace("_", "/").replace("io/uring", "io_uring") + base[len(top):]
    return base


def c_circles(nm, objects):
    table = object_symbols(nm, sorted(set(objects)))
    uses = {}
    for a, (_, used_a) in table.items():
        for b, (defined_b, _) in table.items():
            if a != b and used_a & defined_b:
                uses[(a, b)] = sorted(used_a & defined_b)
    found = []
    for (a, b), symbols in sorted(uses.items()):
        if a < b and (b, a) in uses:
            found.append(f"{source_of(a)} <-> {source_of(b)}: uses {', '.join(symbols[:3])}; "
                         f"is used for {', '.join(uses[(b, a)][:3])}")
    return found


def python_circles(package_dir):
    package = os.path.basename(package_dir.rstrip("/"))
    modules = {name[:-3] for name in os.listdir(package_dir) if name.endswith(".py")}
    imports = {}
    for module in sorted(modules):
        with open(os.path.join(package_dir, module + ".py"), encoding="utf-8") as f:
            tree = ast.parse(f.read())
        targets = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                if node.level == 1 and node.module is None:
                    targets |= {a.name for a in node.names if a.name in modules}
                elif node.level == 1 or (node.module or "").startswith(package + "."):
                    name = (node.module or "").split(".")[-1]
                    if name in modules:
                        targets.add(name)
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name.startswith(package + "."):
                        targets.add(alias.name.split(".")[-1])
        imports[module] = targets - {module}
    # Any cycle, not only pairs: a depth-first search that keeps its path.
    found, state = [], {}

    def visit(module, path):
        state[module] = "open"
        for target in sorted(imports[module]):
            if state.get(target) == "open":
                cycle = path[path.index(target):] + [target]
                found.append(f"codegen: import circle {' -> '.join(m + '.py' for m in cycle)}")
            elif target not in state:
                visit(target, path + [target])
        state[module] = "done"

    for module in sorted(imports):
        if module not in state:
            visit(module, [module])
    return found


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--root", required=True)
    ap.add_argument("--nm")
    ap.add_argument("--max-lines", type=int, default=700)
    ap.add_argument("--objects", nargs="*", default=[])
    args = ap.parse_args()
    problems = long_files(args.root, args.max_lines)
    if args.objects:
        problems += c_circles(args.nm or "nm", args.objects)
    problems += python_circles(os.path.join(args.root, "codegen", "cnetgen"))
    for p in problems:
        print(p)
    if problems:
        print(f"{len(problems)} layout problem(s)")
        return 1
    print("layout ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
