#!/usr/bin/env python3
"""Consistency checks of cnet's reference documentation (meson suite 'docs').

    check_docs.py links     --docs generated/docs [--md FILE ...] [--html DIR]
    check_docs.py coverage  --docs generated/docs --include generated/include
    check_docs.py examples  --docs generated/docs --include generated/include [--md FILE ...] [--cc CC]
    check_docs.py selftest  [--cc CC]

links     every relative link of the Markdown pages (and of the extra files,
          such as README.md) and of the HTML build resolves, anchors included.
coverage  every public function, type, enum value, constant, macro and error
          code declared in generated/include/cnet/*.h has an entry in every
          language's reference, with text in that language; every error code a
          function lists (in its header comment and in its entry) exists, and
          the entry lists exactly the header's codes.
examples  every C code block is compiled: blocks marked `<!-- compile: decl -->`
          at file scope after the page's `<!-- compile-prelude: ... -->`
          headers, `body` blocks as the body of a function after
          <cnet/cnet.h>, `file` blocks as a whole translation unit. A C block
          without a marker is a failure.
selftest  runs the three checks on small broken inputs and expects each
          problem to be caught.

Each prints one line per failure and ends with `N passed, N failed`; the exit
status is non-zero when anything failed.
"""
import argparse
import html.parser
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile

LANGS = ("en", "zh")
ANCHOR = re.compile(r'<a id="([^"<>]+)"></a>')
MD_LINK = re.compile(r"\]\(([^()\s]+)\)")
CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
CFLAGS = ["-std=c11", "-Wall", "-Wextra", "-Wpedantic", "-Werror", "-fsyntax-only"]


class Results:
    def __init__(self):
        self.passed = 0
        self.failed = 0

    def check(self, ok, what):
        if ok:
            self.passed += 1
        else:
            self.failed += 1
            print(f"FAIL: {what}")
        return ok

    def summary(self):
        print(f"{self.passed} passed, {self.failed} failed")
        return 0 if self.failed == 0 and self.passed > 0 else 1


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def md_files(docs):
    out = []
    for dirpath, dirnames, filenames in os.walk(docs):
        dirnames.sort()
        out += [os.path.join(dirpath, n) for n in sorted(filenames) if n.endswith(".md")]
    return out


# ------------------------------------------------------------------ links

def strip_code(text):
    """Markdown without fenced blocks and code spans (links inside them are text)."""
    text = re.sub(r"^\s*```.*?^\s*```", "", text, flags=re.S | re.M)
    return re.sub(r"`[^`\n]*`", "", text)


def heading_slug(title):
    """The anchor GitHub gives a heading."""
    title = re.sub(r"<[^>]+>", "", title).strip().lower()
    title = re.sub(r"[^\w\- ]", "", title)
    return title.replace(" ", "-")


def md_anchors(text):
    anchors = ANCHOR.findall(text)
    for line in strip_code_blocks_only(text).split("\n"):
        m = re.match(r"^#{1,6} (.*)$", line)
        if m:
            anchors.append(heading_slug(m.group(1)))
    return anchors


def strip_code_blocks_only(text):
    return re.sub(r"^\s*```.*?^\s*```", "", text, flags=re.S | re.M)


def check_md_links(files, res):
    cache = {}

    def anchors_of(path):
        if path not in cache:
            cache[path] = set(md_anchors(read(path)))
        return cache[path]

    for path in files:
        text = read(path)
        ids = ANCHOR.findall(text)
        dups = sorted({a for a in ids if ids.count(a) > 1})
        res.check(not dups, f"{path}: duplicate anchors {', '.join(dups)}")
        problems = []
        for url in MD_LINK.findall(strip_code(text)):
            if re.match(r"^[a-z][a-z0-9+.-]*:", url):
                continue
            target, _, frag = url.partition("#")
            target_path = os.path.normpath(os.path.join(os.path.dirname(path), target)) if target else path
            if not os.path.exists(target_path):
                problems.append(f"{url} (no such file)")
            elif frag and target_path.endswith(".md") and frag not in anchors_of(target_path):
                problems.append(f"{url} (no anchor '{frag}')")
            elif frag and not target_path.endswith(".md"):
                problems.append(f"{url} (anchor into a file that is not Markdown)")
        res.check(not problems, f"{path}: broken links: {'; '.join(problems)}")


class _HTMLScan(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids = []
        self.hrefs = []

    def handle_starttag(self, tag, attrs):
        for k, v in attrs:
            if k == "id":
                self.ids.append(v)
            if k == "href" and tag == "a":
                self.hrefs.append(v)


def scan_html(path):
    p = _HTMLScan()
    p.feed(read(path))
    return p


def check_html_links(root, res):
    pages = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        pages += [os.path.join(dirpath, n) for n in sorted(filenames) if n.endswith(".html")]
    res.check(bool(pages), f"{root}: no HTML pages")
    scans = {os.path.normpath(p): scan_html(p) for p in pages}
    for path in pages:
        scan = scans[os.path.normpath(path)]
        dups = sorted({a for a in scan.ids if scan.ids.count(a) > 1})
        problems = [f"duplicate ids {', '.join(dups)}"] if dups else []
        for url in scan.hrefs:
            if re.match(r"^[a-z][a-z0-9+.-]*:", url):
                continue
            target, _, frag = url.partition("#")
            target_path = os.path.normpath(os.path.join(os.path.dirname(path), target)) if target \
                else os.path.normpath(path)
            if target.endswith(".md"):
                problems.append(f"{url} (a Markdown link left in HTML)")
            elif target_path not in scans:
                problems.append(f"{url} (no such page)")
            elif frag and frag not in scans[target_path].ids:
                problems.append(f"{url} (no id '{frag}')")
        res.check(not problems, f"{path}: {'; '.join(problems)}")


# --------------------------------------------------------------- coverage

def header_symbols(include_dir):
    """{kind: set(names)} declared by the public headers, and the error codes
    each function's comment lists."""
    syms = {"function": set(), "type": set(), "value": set(), "macro": set(), "error": set()}
    listed = {}
    for name in sorted(os.listdir(include_dir)):
        if not name.endswith(".h"):
            continue
        text = read(os.path.join(include_dir, name))
        guards = set(re.findall(r"^#ifndef (\w+)\n#define \1\n", text, flags=re.M))
        for m in re.finditer(r"^#\s*define\s+(CNET_\w+)", text, flags=re.M):
            if m.group(1) not in guards:
                syms["macro"].add(m.group(1))
        for m in re.finditer(r"/\*\*((?:(?!\*/).)*)\*/\s*\n(?:#if[^\n]*\n)?CNET_API\s[^;(]*?\b(cnet_\w+)\s*\(",
                             text, flags=re.S):
            syms["function"].add(m.group(2))
            block = m.group(1)
            codes = re.findall(r"^\s*\*\s+(CNET_[A-Z0-9_]+): ", block, flags=re.M) \
                if "@return CNET_OK on success, or one of:" in block else []
            listed[m.group(2)] = codes
        for m in re.finditer(r"^CNET_API\s[^;(]*?\b(cnet_\w+)\s*\(", text, flags=re.M):
            syms["function"].add(m.group(1))
        for m in re.finditer(r"typedef\s+(?:struct|enum)\s+\w+\s+(cnet_\w+)\s*;", text):
            syms["type"].add(m.group(1))
        for m in re.finditer(r"^typedef\s+[^;{]*?\b(cnet_\w+)\s*;", text, flags=re.M):
            syms["type"].add(m.group(1))
        for m in re.finditer(r"^typedef\s+[^;{]*\(\s*\*\s*(cnet_\w+)\s*\)\s*\(", text, flags=re.M):
            syms["type"].add(m.group(1))
        for m in re.finditer(r"^typedef\s+(?:enum|struct)\s+\w+\s*\{(.*?)^\}\s*(cnet_\w+)\s*;", text,
                             flags=re.S | re.M):
            syms["type"].add(m.group(2))
            if text[m.start():].startswith("typedef enum"):
                body = re.sub(r"/\*.*?\*/", "", m.group(1), flags=re.S)
                values = set(re.findall(r"^\s*(CNET_\w+)\s*=", body, flags=re.M))
                syms["error" if m.group(2) == "cnet_err" else "value"] |= values
    return syms, listed


def entry_text(text, name):
    """The part of a page documenting `name`: its table row, or its section up
    to the next anchor."""
    tag = f'<a id="{name}"></a>'
    pos = text.find(tag)
    if pos < 0:
        return None
    line_start = text.rfind("\n", 0, pos) + 1
    if text[line_start:pos].lstrip().startswith("|"):
        end = text.find("\n", pos)
        return text[pos + len(tag):end if end >= 0 else len(text)]
    nxt = ANCHOR.search(text, pos + len(tag))
    return text[pos + len(tag):nxt.start() if nxt else len(text)]


def prose_of(entry):
    """Entry text without code, links' targets, anchors and markup."""
    t = re.sub(r"^\s*```.*?^\s*```", "", entry, flags=re.S | re.M)
    t = re.sub(r"<!--.*?-->", "", t, flags=re.S)
    t = re.sub(r"\]\([^)]*\)", "]", t)
    t = re.sub(r"`[^`]*`", "", t)
    return t


def check_coverage(docs, include_dir, res):
    syms, listed = header_symbols(include_dir)
    total = sum(len(v) for v in syms.values())
    res.check(total > 0 and syms["function"] and syms["error"],
              f"{include_dir}: found no functions or error codes in the headers")
    pages = {}
    for lang in LANGS:
        d = os.path.join(docs, lang)
        pages[lang] = {os.path.basename(p): read(p) for p in md_files(d)} if os.path.isdir(d) else {}
        res.check(bool(pages[lang]), f"{d}: no reference pages")
    for kind in sorted(syms):
        for name in sorted(syms[kind]):
            for lang in LANGS:
                found = [(p, entry_text(t, name)) for p, t in sorted(pages[lang].items())
                         if f'<a id="{name}"></a>' in t]
                if not res.check(len(found) == 1,
                                 f"{kind} {name}: {'no entry' if not found else 'several entries'} in {docs}/{lang}"):
                    continue
                page, entry = found[0]
                prose = prose_of(entry)
                ok = bool(CJK.search(prose)) if lang == "zh" else bool(re.search(r"[A-Za-z]", prose))
                res.check(ok, f"{kind} {name}: the entry in {lang}/{page} has no {lang} text")
    # Every code a function lists exists, and the reference lists the same codes as the header.
    errors_pages = {lang: pages[lang].get("errors.md", "") for lang in LANGS}
    for func in sorted(listed):
        unknown = [c for c in listed[func] if c not in syms["error"]]
        res.check(not unknown, f"{func}: its header comment lists unknown error codes {', '.join(unknown)}")
        for lang in LANGS:
            entry = next((entry_text(t, func) for t in pages[lang].values() if f'<a id="{func}"></a>' in t), None)
            if entry is None:
                continue  # reported above
            codes = re.findall(r"errors\.md#(CNET_[A-Z0-9_]+)\)", _errors_line(entry))
            missing = [c for c in codes if f'<a id="{c}"></a>' not in errors_pages[lang]]
            res.check(not missing, f"{func}: {lang} entry links error codes missing from errors.md: "
                                   f"{', '.join(missing)}")
            res.check(sorted(codes) == sorted(listed[func]),
                      f"{func}: {lang} entry lists {sorted(codes)}, the header lists {sorted(listed[func])}")


def _errors_line(entry):
    """The errors line of a function entry, in any language: a bold label,
    then nothing but links to error codes."""
    link = r"\[`CNET_[A-Z0-9_]+`\]\([a-z/.]*errors\.md#CNET_[A-Z0-9_]+\)"
    for line in entry.split("\n"):
        if re.match(rf"^\*\*[^*]+\*\*: {link}( · {link})*$", line):
            return line
    return ""


# --------------------------------------------------------------- examples

def code_blocks(path):
    """[(kind, first line number, code)] of the C blocks of a Markdown file,
    and the page's prelude (None when it has none)."""
    lines = read(path).split("\n")
    blocks = []
    prelude = None
    marker = None
    i = 0
    while i < len(lines):
        s = lines[i].strip()
        m = re.match(r"^<!-- compile-prelude:(.*)-->$", s)
        if m:
            prelude = m.group(1).split()
        m = re.match(r"^<!-- compile: (\w+) -->$", s)
        if m:
            marker = m.group(1)
        elif s.startswith("```"):
            lang = s[3:].strip()
            start = i + 2
            body = []
            i += 1
            while i < len(lines) and not lines[i].strip().startswith("```"):
                body.append(lines[i])
                i += 1
            if lang == "c":
                blocks.append((marker, start, "\n".join(body)))
            marker = None
        elif s:
            marker = None
        i += 1
    return blocks, prelude


def compile_unit(cc, include_dir, source, what, res, tmp):
    path = os.path.join(tmp, "unit.c")
    with open(path, "w", encoding="utf-8") as f:
        f.write(source)
    r = subprocess.run(cc + CFLAGS + ["-I", include_dir, path], capture_output=True, text=True)
    return r.returncode == 0, r.stderr


def _line(path, n):
    return f'#line {n} "{path}"\n'


def body_unit(blocks, path):
    src = "#include <cnet/cnet.h>\n#include <stdio.h>\n#include <stdlib.h>\n#include <string.h>\n"
    for k, (start, code) in enumerate(blocks):
        src += f"void cnet_doc_example_{k}(void);\nvoid cnet_doc_example_{k}(void)\n{{\n"
        src += _line(path, start) + code + "\n}\n"
    return src


def decl_unit(prelude, blocks, path):
    src = "".join(f"#include <{h}>\n" for h in prelude)
    for start, code in blocks:
        src += _line(path, start) + code + "\n"
    return src


def check_examples(files, include_dir, cc, res):
    total = 0
    with tempfile.TemporaryDirectory() as tmp:
        for path in files:
            blocks, prelude = code_blocks(path)
            total += len(blocks)
            for kind, start, _ in blocks:
                if kind not in ("decl", "body", "file"):
                    res.check(False, f"{path}:{start}: C block without a `<!-- compile: decl|body|file -->` marker")
            decls = [(s, c) for k, s, c in blocks if k == "decl"]
            bodies = [(s, c) for k, s, c in blocks if k == "body"]
            files_ = [(s, c) for k, s, c in blocks if k == "file"]
            if decls:
                if prelude is None:
                    res.check(False, f"{path}: declaration blocks but no `<!-- compile-prelude: ... -->`")
                else:
                    ok, err = compile_unit(cc, include_dir, decl_unit(prelude, decls, path), path, res, tmp)
                    if ok:
                        res.passed += len(decls)
                    else:
                        # Compile them one by one to name the failing blocks.
                        for s, c in decls:
                            ok1, err1 = compile_unit(cc, include_dir, decl_unit(prelude, [(s, c)], path),
                                                     path, res, tmp)
                            res.check(ok1, f"{path}:{s}: declaration block does not compile:\n{err1}")
            if bodies:
                ok, err = compile_unit(cc, include_dir, body_unit(bodies, path), path, res, tmp)
                if ok:
                    res.passed += len(bodies)
                else:
                    for s, c in bodies:
                        ok1, err1 = compile_unit(cc, include_dir, body_unit([(s, c)], path), path, res, tmp)
                        res.check(ok1, f"{path}:{s}: example does not compile:\n{err1}")
            for s, c in files_:
                ok1, err1 = compile_unit(cc, include_dir, _line(path, s) + c + "\n", path, res, tmp)
                res.check(ok1, f"{path}:{s}: program does not compile:\n{err1}")
    res.check(total > 0, "no C code blocks found")
    return total


# --------------------------------------------------------------- selftest

def selftest(cc):
    """Each check must catch a planted problem (a check that cannot fail is no check)."""
    outer = Results()
    with tempfile.TemporaryDirectory() as tmp:
        inc = os.path.join(tmp, "include", "cnet")
        os.makedirs(inc)
        with open(os.path.join(inc, "cnet.h"), "w") as f:
            f.write("#ifndef CNET_CNET_H\n#define CNET_CNET_H\n"
                    "typedef enum cnet_err {\n    CNET_OK = 0,\n    CNET_EINVAL = 1,\n} cnet_err;\n"
                    "#define CNET_DOCUMENTED 1\n#define CNET_UNDOCUMENTED 2\n"
                    "/**\n * x\n *\n * @return CNET_OK on success, or one of:\n *        CNET_EINVAL: bad\n"
                    " *        CNET_EGONE: gone\n */\nCNET_API cnet_err cnet_f(int x);\n#endif\n")
        docs = os.path.join(tmp, "docs")
        for lang, word in (("en", "Does a thing."), ("zh", "做一件事。")):
            os.makedirs(os.path.join(docs, lang))
            with open(os.path.join(docs, lang, "errors.md"), "w") as f:
                f.write(f'| <a id="CNET_OK"></a>`CNET_OK` | {word} |\n| <a id="CNET_EINVAL"></a>`CNET_EINVAL` | {word} |\n'
                        f'<a id="cnet_err"></a>\n{word}\n')
            with open(os.path.join(docs, lang, "m.md"), "w") as f:
                f.write(f'<!-- compile-prelude: -->\n[broken](errors.md#CNET_NOPE) [gone](nowhere.md)\n'
                        f'| <a id="CNET_DOCUMENTED"></a>`CNET_DOCUMENTED` | {word if lang == "en" else "English only"} |\n'
                        f'<a id="cnet_f"></a>\n{word}\n\n**Errors**: [`CNET_EINVAL`](errors.md#CNET_EINVAL)\n\n'
                        "<!-- compile: body -->\n```c\nint unused = cnet_f(1)\n```\n\n```c\nint x;\n```\n")
        html_dir = os.path.join(tmp, "html")
        os.makedirs(html_dir)
        with open(os.path.join(html_dir, "a.html"), "w") as f:
            f.write('<a id="x"></a><a href="b.html#y">b</a><a href="a.html#x">ok</a><a href="c.md">md</a>')
        with open(os.path.join(html_dir, "b.html"), "w") as f:
            f.write('<p id="z"></p>')

        def failures(fn):
            res = Results()
            out = sys.stdout
            sys.stdout = open(os.devnull, "w")
            try:
                fn(res)
            finally:
                sys.stdout.close()
                sys.stdout = out
            return res.failed

        md = md_files(docs)
        outer.check(failures(lambda r: check_md_links(md, r)) >= 2,
                    "links: a missing file and a missing anchor in Markdown are caught")
        outer.check(failures(lambda r: check_html_links(html_dir, r)) >= 1,
                    "links: a missing id and a .md link in HTML are caught")
        n = failures(lambda r: check_coverage(docs, inc, r))
        # CNET_UNDOCUMENTED x2 languages, CNET_DOCUMENTED without zh text,
        # CNET_EGONE unknown, lists differ x2.
        outer.check(n >= 5, f"coverage: undocumented symbols, missing zh text, unknown and unlisted codes are caught ({n})")
        if cc:
            n = failures(lambda r: check_examples(md, os.path.dirname(inc), cc, r))
            outer.check(n >= 4, f"examples: a non-compiling and an unmarked block are caught per language ({n})")
        else:
            print("SKIP: no C compiler for the examples self-test")
    return outer.summary()


def main(argv=None):
    ap = argparse.ArgumentParser(description="consistency checks of the cnet reference")
    ap.add_argument("what", choices=("links", "coverage", "examples", "selftest"))
    ap.add_argument("--docs", help="the Markdown reference (generated/docs)")
    ap.add_argument("--include", help="the public include directory (generated/include)")
    ap.add_argument("--md", action="append", default=[], help="another Markdown file to check (README.md)")
    ap.add_argument("--html", help="the HTML build of the reference")
    ap.add_argument("--cc", default=os.environ.get("CC", "cc"), help="C compiler command")
    args = ap.parse_args(argv)
    cc = shlex.split(args.cc) if args.cc else []
    if cc and shutil.which(cc[0]) is None:
        cc = []
    if args.what == "selftest":
        return selftest(cc)
    res = Results()
    files = (md_files(args.docs) if args.docs else []) + args.md
    if args.what == "links":
        res.check(bool(files), "no Markdown files to check")
        check_md_links(files, res)
        if args.html:
            check_html_links(args.html, res)
    elif args.what == "coverage":
        check_coverage(args.docs, os.path.join(args.include, "cnet"), res)
    elif args.what == "examples":
        if not cc:
            print("no C compiler: cannot compile the examples")
            return 77
        check_examples(files, args.include, cc, res)
    return res.summary()


if __name__ == "__main__":
    sys.exit(main())
