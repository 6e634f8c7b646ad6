#!/usr/bin/env python3
"""Convert cnet's generated Markdown reference to static HTML (stdlib only).

    md2html.py --src generated/docs --out BUILD/docs/html

Every SRC/**/*.md becomes OUT/**/*.html; relative links to .md files are
rewritten to .html, so the tree opens in a browser without a server. OUT/
index.html lets the reader pick a language.

This converts the subset of Markdown the generator emits (and nothing more):
ATX headings, paragraphs, pipe tables, fenced code, "- " lists, inline code,
links, **bold**, backslash escapes, HTML comments and `<a id="..."></a>`
anchors.
"""
import argparse
import html
import os
import re
import shutil
import sys

PUNCT = set("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
ANCHOR = re.compile(r'<a id="([^"<>]*)"></a>')
STYLE = """
body { font-family: system-ui, sans-serif; max-width: 62rem; margin: 2rem auto; padding: 0 1rem;
       line-height: 1.5; color: #222; }
code, pre { font-family: ui-monospace, monospace; font-size: 0.92em; }
pre { background: #f5f5f5; padding: 0.7rem; overflow-x: auto; }
table { border-collapse: collapse; margin: 0.5rem 0; }
th, td { border: 1px solid #ccc; padding: 0.25rem 0.5rem; text-align: left; vertical-align: top; }
h3 { margin-top: 2rem; border-top: 1px solid #ddd; padding-top: 0.8rem; }
""".strip()


def rewrite_href(url):
    if re.match(r"^[a-z][a-z0-9+.-]*:", url) or url.startswith("#"):
        return url
    path, sep, frag = url.partition("#")
    if path.endswith(".md"):
        path = path[:-3] + ".html"
    return path + sep + frag


def _find_close(s, i):
    """Index of the ']' closing the '[' at s[i], skipping escapes and code."""
    depth = 0
    j = i
    while j < len(s):
        c = s[j]
        if c == "\\" and j + 1 < len(s):
            j += 2
            continue
        if c == "`":
            k = s.find("`", j + 1)
            if k < 0:
                return -1
            j = k + 1
            continue
        if c == "[":
            depth += 1
        elif c == "]":
            depth -= 1
            if depth == 0:
                return j
        j += 1
    return -1


def inline(s):
    out = []
    bold = False
    i = 0
    while i < len(s):
        c = s[i]
        if c == "\\" and i + 1 < len(s) and s[i + 1] in PUNCT:
            out.append(html.escape(s[i + 1]))
            i += 2
        elif c == "`":
            j = s.find("`", i + 1)
            if j < 0:
                out.append("`")
                i += 1
            else:
                out.append("<code>" + html.escape(s[i + 1:j]) + "</code>")
                i = j + 1
        elif c == "<" and ANCHOR.match(s, i):
            m = ANCHOR.match(s, i)
            out.append(f'<a id="{html.escape(m.group(1))}"></a>')
            i = m.end()
        elif s.startswith("**", i):
            out.append("</strong>" if bold else "<strong>")
            bold = not bold
            i += 2
        elif c == "[":
            j = _find_close(s, i)
            m = re.match(r"\(([^()\s]+)\)", s[j + 1:]) if j > 0 else None
            if m:
                out.append(f'<a href="{html.escape(rewrite_href(m.group(1)))}">{inline(s[i + 1:j])}</a>')
                i = j + 1 + m.end()
            else:
                out.append("[")
                i += 1
        else:
            out.append(html.escape(c))
            i += 1
    if bold:
        out.append("</strong>")
    return "".join(out)


def split_row(line):
    line = line.strip()
    if line.startswith("|"):
        line = line[1:]
    if line.endswith("|") and not line.endswith("\\|"):
        line = line[:-1]
    cells = re.split(r"(?<!\\)\|", line)
    return [c.strip().replace("\\|", "|") for c in cells]


def is_table_sep(line):
    return bool(re.match(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$", line))


def convert(text):
    """Markdown text -> (title, HTML body)."""
    lines = text.split("\n")
    out = []
    title = None
    i = 0
    while i < len(lines):
        line = lines[i]
        stripped = line.strip()
        if not stripped:
            i += 1
        elif stripped.startswith("<!--"):
            while "-->" not in lines[i]:
                i += 1
            i += 1
        elif stripped.startswith("```"):
            lang = stripped[3:].strip()
            body = []
            i += 1
            while i < len(lines) and not lines[i].strip().startswith("```"):
                body.append(lines[i])
                i += 1
            i += 1
            cls = f' class="language-{html.escape(lang)}"' if lang else ""
            out.append(f"<pre><code{cls}>" + html.escape("\n".join(body)) + "</code></pre>")
        elif ANCHOR.fullmatch(stripped):
            out.append(inline(stripped))
            i += 1
        elif re.match(r"^#{1,6} ", stripped):
            level = len(stripped) - len(stripped.lstrip("#"))
            content = inline(stripped[level:].strip())
            if title is None:
                title = re.sub(r"<[^>]+>", "", content)
            out.append(f"<h{level}>{content}</h{level}>")
            i += 1
        elif stripped.startswith("|") and i + 1 < len(lines) and is_table_sep(lines[i + 1]):
            head = split_row(stripped)
            out.append("<table>\n<thead><tr>" + "".join(f"<th>{inline(c)}</th>" for c in head)
                       + "</tr></thead>\n<tbody>")
            i += 2
            while i < len(lines) and lines[i].strip().startswith("|"):
                cells = split_row(lines[i])
                out.append("<tr>" + "".join(f"<td>{inline(c)}</td>" for c in cells) + "</tr>")
                i += 1
            out.append("</tbody>\n</table>")
        elif re.match(r"^[-*] ", stripped):
            items = []
            while i < len(lines) and re.match(r"^\s*[-*] ", lines[i]):
                item = [lines[i].strip()[2:]]
                i += 1
                while i < len(lines) and lines[i].startswith("  ") and lines[i].strip() \
                        and not re.match(r"^\s*[-*] ", lines[i]):
                    item.append(lines[i].strip())
                    i += 1
                items.append("<li>" + inline("\n".join(item)) + "</li>")
            out.append("<ul>\n" + "\n".join(items) + "\n</ul>")
        else:
            para = []
            while i < len(lines) and lines[i].strip() and not lines[i].strip().startswith(("```", "<!--", "|")) \
                    and not re.match(r"^#{1,6} ", lines[i].strip()) and not ANCHOR.fullmatch(lines[i].strip()) \
                    and not (para and re.match(r"^[-*] ", lines[i].strip())):
                para.append(lines[i].strip())
                i += 1
            # A line that starts with bold text starts a new line, as in the pages' "**Returns**: ...".
            html_lines = [inline(p) for p in para]
            joined = html_lines[0]
            for p_src, p_html in zip(para[1:], html_lines[1:]):
                joined += ("<br>\n" if p_src.startswith("**") else "\n") + p_html
            out.append(f"<p>{joined}</p>")
    return title or "cnet", "\n".join(out)


def page(title, body, lang):
    html_lang = "zh-CN" if lang == "zh" else "en"
    return (f'<!DOCTYPE html>\n<html lang="{html_lang}">\n<head>\n<meta charset="utf-8">\n'
            f"<title>{title}</title>\n<style>\n{STYLE}\n</style>\n</head>\n<body>\n{body}\n</body>\n</html>\n")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--src", required=True, help="the Markdown tree (generated/docs)")
    ap.add_argument("--out", required=True, help="the HTML tree to write")
    args = ap.parse_args(argv)
    # Start from an empty tree so a page that no longer exists leaves no file behind.
    if os.path.isdir(args.out):
        shutil.rmtree(args.out)
    os.makedirs(args.out)
    langs = []
    count = 0
    for dirpath, dirnames, filenames in os.walk(args.src):
        dirnames.sort()
        for name in sorted(filenames):
            if not name.endswith(".md"):
                continue
            src = os.path.join(dirpath, name)
            rel = os.path.relpath(src, args.src)
            lang = rel.split(os.sep)[0]
            if lang not in langs and os.sep in rel:
                langs.append(lang)
            with open(src, encoding="utf-8") as f:
                title, body = convert(f.read())
            dst = os.path.join(args.out, rel[:-3] + ".html")
            os.makedirs(os.path.dirname(dst), exist_ok=True)
            with open(dst, "w", encoding="utf-8", newline="\n") as f:
                f.write(page(title, body, lang))
            count += 1
    names = {"en": "English", "zh": "简体中文"}
    links = "\n".join(f'<li><a href="{lang}/index.html">{names.get(lang, lang)}</a></li>' for lang in langs)
    with open(os.path.join(args.out, "index.html"), "w", encoding="utf-8", newline="\n") as f:
        f.write(page("cnet reference", f"<h1>cnet reference</h1>\n<ul>\n{links}\n</ul>", "en"))
    # The output directory is the build target: make its time stamp new.
    os.utime(args.out)
    print(f"md2html: wrote {count + 1} pages to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
