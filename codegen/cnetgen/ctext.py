"""C text shared by the C templates (render.py) and the reference pages
(docs.py): declarations, string literals, doc comments and the `#if`
condition of an entry that exists on some platforms only.

It depends on nothing else in the package, so both can import it.
"""

import textwrap


def c_decl(ctype, name):
    ctype = ctype.strip()
    if ctype.endswith("]"):
        # An array member: "uint8_t[16]" declares "uint8_t name[16]".
        base, _, dims = ctype.partition("[")
        return f"{c_decl(base, name)}[{dims}"
    return f"{ctype}{name}" if ctype.endswith("*") else f"{ctype} {name}"


def c_params(proc):
    if not proc.params:
        return "void"
    return ", ".join(c_decl(p.type, p.name) for p in proc.params)


def c_callback(t):
    """The typedef of a callback type: a pointer to a function."""
    params = ", ".join(c_decl(f.type, f.name) for f in t.fields) or "void"
    return f"typedef {c_decl(t.returns, '(*' + t.name + ')')}({params})"


def c_args(proc):
    return ", ".join(p.name for p in proc.params)


def c_string(text):
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _comment_safe(text):
    return text.replace("*/", "* /")


def comment_lines(text, width=76):
    """Wrap prose into comment lines; blank lines and code blocks survive."""
    out = []
    in_code = False
    for para in _comment_safe(text).split("\n"):
        if para.strip().startswith("```"):
            in_code = not in_code
            out.append(para.rstrip())
            continue
        if in_code or para.startswith("    ") or para.lstrip().startswith(("- ", "* ")) and len(para) <= width:
            out.append(para.rstrip())
            continue
        if not para.strip():
            out.append("")
            continue
        # CJK text has no spaces to break at; wrap only on spaces.
        out.extend(textwrap.wrap(para, width=width, break_long_words=False,
                                 break_on_hyphens=False) or [""])
    while out and not out[-1]:
        out.pop()
    return out


def doc_comment(lines, indent=""):
    body = []
    for line in lines:
        body.append(f"{indent} *" + (f" {line}" if line else ""))
    return "\n".join([f"{indent}/**"] + body + [f"{indent} */"])


def platform_condition(spec, platforms):
    """The preprocessor condition that is true on any of `platforms`."""
    return " || ".join(spec.platform(p).condition for p in platforms)


def platform_guard(spec, platforms):
    """`#if` condition for an entry available on some platforms only, or
    None when it exists on every platform."""
    if set(platforms) >= {p.name for p in spec.platforms}:
        return None
    return platform_condition(spec, sorted(platforms))
