#!/usr/bin/env python3
"""Tests of the generator itself.

1. The fixture spec (tests/fixture/spec) exercises every spec feature; its
   output must equal the golden files (tests/fixture/golden) byte for byte.
   `run_tests.py --update` rewrites the golden files after a deliberate change.
2. Every tests/bad/*.yaml is a broken spec file whose first line says
   `# expect: FILE:LINE: MESSAGE`; loading it (with the fixture's other files)
   must fail at exactly that place with that message.
3. The generated fixture header compiles as C11 (when a C compiler exists).
4. The modules of the cnetgen package import each other without a cycle.
5. The fixture spec uses every key schema.py declares (so every key is
   accepted by the loader and shows in the golden output).
Prints `N passed, N failed` and exits non-zero on any failure.
"""
import ast
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

from cnetgen.loader import SpecError  # noqa: E402
from cnetgen import schema  # noqa: E402
from cnetgen.loader import load_yaml  # noqa: E402
from cnetgen.model import load_spec  # noqa: E402
from cnetgen.render import Renderer, compare_trees, render_to, write_tree  # noqa: E402

TEMPLATES = os.path.join(os.path.dirname(HERE), "templates")
FIXTURE = os.path.join(HERE, "fixture", "spec")
GOLDEN = os.path.join(HERE, "fixture", "golden")
BAD = os.path.join(HERE, "bad")

results = []


def check(name, ok, detail=""):
    results.append(ok)
    print(f"[{'PASS' if ok else 'FAIL'}] {name}" + (f": {detail}" if detail and not ok else ""))


def render_fixture():
    spec = load_spec(FIXTURE, "spec")
    return render_to(Renderer(spec, TEMPLATES), None)


def test_golden(update):
    files = render_fixture()
    if update:
        shutil.rmtree(GOLDEN, ignore_errors=True)
        write_tree(files, GOLDEN, ("",))
        print(f"updated {len(files)} golden files")
    problems = compare_trees(files, GOLDEN)
    check("fixture output equals the golden files", not problems, "\n".join(problems))
    return files


def test_deterministic():
    a = render_fixture()
    b = render_fixture()
    check("output is deterministic", a == b)
    bad = [rel for rel, text in a.items()
           if "\r" in text or "/work/" in text or "/home/" in text or "/tmp/" in text]
    check("no CR, no absolute paths", not bad, ", ".join(bad))
    unbannered = [rel for rel, text in a.items() if "do not edit; regenerate with" not in text.split("\n")[0]]
    check("every file starts with the banner", not unbannered, ", ".join(unbannered))


def test_bad_specs():
    for name in sorted(os.listdir(BAD)):
        if not name.endswith(".yaml"):
            continue
        path = os.path.join(BAD, name)
        with open(path, encoding="utf-8") as f:
            first = f.readline()
        if not first.startswith("# expect: "):
            check(f"bad/{name}", False, "first line must be '# expect: FILE:LINE: MESSAGE'")
            continue
        expect = first[len("# expect: "):].strip()
        with tempfile.TemporaryDirectory() as tmp:
            for f in os.listdir(FIXTURE):
                if f != "small.yaml":
                    shutil.copy(os.path.join(FIXTURE, f), tmp)
            # A case named errors-*.yaml / platforms-*.yaml replaces that file.
            target = name.split("-", 1)[0] + ".yaml" \
                if name.startswith(("errors-", "platforms-", "differences-")) else name
            if target != name:
                shutil.copy(os.path.join(FIXTURE, "small.yaml"), tmp)
            shutil.copy(path, os.path.join(tmp, target))
            try:
                load_spec(tmp, "spec")
                check(f"bad/{name}", False, "the spec loaded without error")
            except SpecError as e:
                got = str(e)
                expected = expect.replace("{file}", target)
                check(f"bad/{name}", got.startswith(expected.split(": error: ")[0] + ": error: ")
                      and expected.split(": error: ", 1)[1] in got,
                      f"expected '{expected}', got '{got}'")


def test_compiles(files):
    cc = shutil.which("cc") or shutil.which("gcc")
    if cc is None:
        print("[SKIP] fixture header compiles (no C compiler)")
        return
    with tempfile.TemporaryDirectory() as tmp:
        write_tree(files, tmp, ("",))
        inc = os.path.join(tmp, "include")
        with open(os.path.join(inc, "cnet", "other.h"), "w") as f:
            f.write("/* stand-in for the fixture's include */\n")
        src = os.path.join(tmp, "use.c")
        with open(src, "w") as f:
            f.write("#include <cnet/cnet.h>\n"
                    "int main(void) { cnet_thing t = CNET_WRAP(1); (void)t;\n"
                    "  return CNET_SAME + (int)CNET_DIFFERS + (int)CNET_BLUE + CNET_PLAIN_A; }\n")
        r = subprocess.run([cc, "-std=c11", "-Wall", "-Wextra", "-Wpedantic", "-Werror", "-fsyntax-only",
                            "-I", inc, src], capture_output=True, text=True)
        check("fixture headers compile as C11 with -Wpedantic -Werror", r.returncode == 0, r.stderr)


def test_docs(files):
    """The fixture's reference: both languages, links resolve, C blocks compile."""
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(HERE)), "docs"))
    import check_docs  # noqa: E402  (docs/check_docs.py)
    docs = sorted(rel for rel in files if rel.startswith("docs/"))
    for lang in ("en", "zh"):
        want = {f"docs/{lang}/{p}.md" for p in ("index", "errors", "differences", "platform", "spec-keys", "small")}
        check(f"fixture reference pages in {lang}", want <= set(docs), ", ".join(sorted(want - set(docs))))
    small = files["docs/en/small.md"]
    check("a proc entry has its signature, defaults, errors, Nim name, difference and example",
          all(s in small for s in ('<a id="cnet_do_backend"></a>', "cnet_err cnet_do_backend(",
                                   "| `CNET_RED` |", "(errors.md#CNET_ETIMEDOUT)", "`smallmod.doIt`",
                                   "Nim raises.", "<!-- compile: body -->")))
    check("prose escapes Markdown and links symbols",
          "a \\*pointer,\n\\[brackets\\] and a_b\\_ stay" in files["docs/en/differences.md"]
          and "[`cnet_do_backend`](small.md#cnet_do_backend)" in files["docs/en/differences.md"])
    check("wrapped Chinese lines are joined", "而 Nim 抛出异常。" in files["docs/zh/differences.md"])
    with tempfile.TemporaryDirectory() as tmp:
        write_tree(files, tmp, ("",))
        res = check_docs.Results()
        out = sys.stdout
        sys.stdout = open(os.devnull, "w")
        try:
            check_docs.check_md_links(check_docs.md_files(os.path.join(tmp, "docs")), res)
            links_failed = res.failed
            check_docs.check_coverage(os.path.join(tmp, "docs"), os.path.join(tmp, "include", "cnet"), res)
        finally:
            sys.stdout.close()
            sys.stdout = out
        check("fixture reference: every link resolves", links_failed == 0)
        check("fixture reference: every header symbol documented in both languages", res.failed == 0,
              f"{res.failed} problems (run docs/check_docs.py coverage on the fixture output)")


def package_imports(package_dir):
    """{module: set(modules of the same package it imports)}, function-level
    imports included."""
    modules = {n[:-3] for n in os.listdir(package_dir) if n.endswith(".py")}
    graph = {}
    for mod in sorted(modules):
        with open(os.path.join(package_dir, mod + ".py"), encoding="utf-8") as f:
            tree = ast.parse(f.read(), filename=mod + ".py")
        deps = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.level == 1:
                if node.module:
                    deps.add(node.module.split(".")[0])
                else:
                    deps |= {a.name for a in node.names}
            elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("cnetgen."):
                deps.add(node.module.split(".")[1])
            elif isinstance(node, ast.Import):
                deps |= {a.name.split(".")[1] for a in node.names if a.name.startswith("cnetgen.")}
        graph[mod] = deps & modules - {mod}
    return graph


def import_cycle(graph):
    """One import cycle as a list of modules, or None."""
    state = {}

    def visit(mod, path):
        state[mod] = "open"
        for dep in sorted(graph[mod]):
            if state.get(dep) == "open":
                return path[path.index(dep):] + [dep]
            if dep not in state:
                found = visit(dep, path + [dep])
                if found:
                    return found
        state[mod] = "done"
        return None

    for mod in sorted(graph):
        if mod not in state:
            found = visit(mod, [mod])
            if found:
                return found
    return None


def test_import_graph():
    graph = package_imports(os.path.join(os.path.dirname(HERE), "cnetgen"))
    cycle = import_cycle(graph)
    check("the cnetgen modules import each other without a cycle", cycle is None,
          " -> ".join(cycle or []))
    check("the cycle check finds a planted cycle", import_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) is not None)


def keys_used(node, kind, used):
    """Add (kind id, key) for every key written in `node` and, through the
    keys that hold lists of entries, in the entries below it."""
    if not isinstance(node, dict):
        return
    for name, value in node.items():
        used.add((kind.id, name))
        if name in kind.names and kind.key(name).entries and isinstance(value, list):
            for item in value:
                keys_used(item, schema.entry_kind(kind.key(name).entries), used)


def test_fixture_uses_every_key():
    used = set()
    for name in sorted(os.listdir(FIXTURE)):
        data = load_yaml(os.path.join(FIXTURE, name), name)
        kind = next((k for top, k in (("platforms", schema.PLATFORM_FILE), ("errors", schema.ERROR_FILE),
                                      ("differences", schema.DIFFERENCES_FILE)) if top in data), schema.MODULE)
        keys_used(data, kind, used)
    declared = {(k.id, key.name) for k in schema.ENTRY_KINDS for key in k.keys}
    unused = sorted(declared - used)
    check("the fixture spec uses every declared key", not unused,
          ", ".join(f"{kind}.{key}" for kind, key in unused))
    check("every key the fixture uses is declared", used <= declared,
          ", ".join(f"{kind}.{key}" for kind, key in sorted(used - declared)))
    reachable = {k.entries for kind in schema.ENTRY_KINDS for k in kind.keys if k.entries}
    top = {"module", "platform_file", "error_file", "differences_file"}
    check("every entry kind is a file or the items of a declared list",
          {k.id for k in schema.ENTRY_KINDS} == reachable | top)


def main():
    update = "--update" in sys.argv
    files = test_golden(update)
    test_deterministic()
    test_bad_specs()
    test_compiles(files)
    test_docs(files)
    test_import_graph()
    test_fixture_uses_every_key()
    passed = sum(results)
    failed = len(results) - passed
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
