"""Command line: regenerate generated/, or verify that it is up to date."""

import argparse
import os
import subprocess
import sys
import tempfile

from .loader import SpecError
from .model import load_spec
from .render import Renderer, compare_trees, render_to, write_tree

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))

# Files produced by other tools, kept in generated/ and drift-checked the same
# way: (output under generated/, input under the repository root).
RE2C_TARGETS = [
    ("src/ipaddr.c", "src/ipaddr.re"),
]
RE2C_FLAGS = ["-W", "-Werror", "-i", "--no-generation-date", "--no-version"]
MANAGED = ("include/", "src/", "backends/", "tests/", "docs/")


def run_re2c(root, re2c):
    files = {}
    for out_rel, in_rel in RE2C_TARGETS:
        src = os.path.join(root, in_rel)
        if not os.path.exists(src):
            continue
        with tempfile.TemporaryDirectory() as tmp:
            out = os.path.join(tmp, "out.c")
            # Run from the root with a relative input so the output holds no
            # absolute path.
            subprocess.run([re2c, *RE2C_FLAGS, in_rel, "-o", out], cwd=root, check=True)
            with open(out, encoding="utf-8") as f:
                files[out_rel] = f.read()
    return files


def main(argv=None):
    ap = argparse.ArgumentParser(prog="cnetgen", description=__doc__)
    ap.add_argument("--root", default=ROOT, help="repository root (default: this checkout)")
    ap.add_argument("--spec", help="spec directory (default: ROOT/spec)")
    ap.add_argument("--templates", help="template directory (default: ROOT/codegen/templates)")
    ap.add_argument("--out", help="output directory (default: ROOT/generated)")
    ap.add_argument("--verify", action="store_true",
                    help="do not write; fail with a diff if the output directory differs")
    ap.add_argument("--check", action="store_true", help="only load and validate the spec")
    ap.add_argument("--no-re2c", action="store_true", help="skip the re2c targets")
    ap.add_argument("--re2c", default="re2c", help="re2c executable")
    args = ap.parse_args(argv)

    root = os.path.abspath(args.root)
    spec_dir = args.spec or os.path.join(root, "spec")
    out_dir = args.out or os.path.join(root, "generated")
    template_dir = args.templates or os.path.join(root, "codegen", "templates")
    display = os.path.relpath(spec_dir, root).replace(os.sep, "/") if spec_dir.startswith(root) else spec_dir

    try:
        spec = load_spec(spec_dir, display)
    except SpecError as e:
        print(e, file=sys.stderr)
        return 1
    if args.check:
        return 0
    renderer = Renderer(spec, template_dir)
    renderer.env.globals["extra_sources"] = [out for out, src in RE2C_TARGETS
                                             if os.path.exists(os.path.join(root, src))]
    files = render_to(renderer, out_dir)
    if not args.no_re2c:
        try:
            files.update(run_re2c(root, args.re2c))
        except (OSError, subprocess.CalledProcessError) as e:
            print(f"cnetgen: error: re2c failed: {e}", file=sys.stderr)
            return 1
    if args.verify:
        problems = compare_trees(files, out_dir)
        if problems:
            print("generated/ is out of date with spec/ + codegen/ (run `make regen`):", file=sys.stderr)
            for p in problems:
                print(p, file=sys.stderr)
            return 1
        print(f"generated/ is up to date ({len(files)} files)")
        return 0
    write_tree(files, out_dir, MANAGED)
    print(f"wrote {len(files)} files to {os.path.relpath(out_dir, root)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
