"""The reference documentation: where every symbol is documented, and the
Markdown filters the docs templates use.

Every public symbol gets an explicit anchor (``<a id="NAME"></a>``) on exactly
one page per language; ``DocIndex`` decides which page. Prose from the spec
goes through ``md_prose``, which escapes Markdown's special characters and
links every symbol it mentions to its entry.
"""

import os
import re

import yaml

from .ctext import c_decl, platform_guard
from .model import LANGS
from .schema import Doc

# Pages every language has besides one page per module; a module may not take
# one of these names.
FIXED_PAGES = ("index", "errors", "differences", "platform", "spec-keys")

_IDENT = re.compile(r"(?<![A-Za-z0-9_])(cnet_[A-Za-z0-9_]*[A-Za-z0-9]|CNET_[A-Z0-9_]*[A-Z0-9])(?![A-Za-z0-9_])")
_CODE_SPAN = re.compile(r"(`[^`\n]+`)")
_FENCE = re.compile(r"^\s*```")
SIGNATURE_WIDTH = 80


def load_labels(template_dir):
    """The fixed words of the reference pages, in every language."""
    path = os.path.join(template_dir, "docs_labels.yaml")
    with open(path, encoding="utf-8") as f:
        data = yaml.safe_load(f)
    labels = {lang: {} for lang in LANGS}
    for key, value in data.items():
        if not isinstance(value, dict) or set(value) != set(LANGS):
            raise ValueError(f"{path}: label '{key}' must have exactly the languages {', '.join(LANGS)}")
        for lang in LANGS:
            labels[lang][key] = str(value[lang]).strip()
    return labels


class DocIndex:
    """Symbol -> (page, kind) for every documented symbol."""

    def __init__(self, spec):
        self.spec = spec
        self.where = {}
        self.kinds = {}
        for e in spec.errors:
            self._add(e.name, "errors", "error")
        self._add("cnet_err", "errors", "type")
        self._add("CNET_ERROR_LIST", "errors", "macro")
        for t in spec.platform_types:
            self._add(t.name, "platform", "type")
        for name in self.platform_macros():
            self._add(name, "platform", "macro")
        for m in spec.modules:
            for c in m.constants:
                self._add(c.name, m.name, "constant")
            for mac in m.macros:
                self._add(mac.name, m.name, "macro")
            for e in m.enums:
                self._add(e.name, m.name, "type")
                for v in e.values:
                    self._add(v.name, m.name, "value")
            for t in m.types:
                self._add(t.name, m.name, "type")
            for p in m.procs:
                if p.public:
                    self._add(p.name, m.name, "function")

    def _add(self, name, page, kind):
        if name in self.where:
            raise ValueError(f"{name} would be documented twice")
        self.where[name] = page
        self.kinds[name] = kind

    def platform_macros(self):
        """The macros platform.h.j2 defines, in the order the platform page lists them."""
        names = [f"CNET_PLATFORM_{p.name.upper()}" for p in self.spec.platforms]
        return names + ["CNET_PLATFORM_NAME", "CNET_INVALID_SOCKET", "CNET_API"]

    def link(self, name, page):
        target = self.where[name]
        return f"#{name}" if target == page else f"{target}.md#{name}"

    def symbols(self):
        """Every documented symbol, sorted case-insensitively."""
        return sorted(self.where, key=lambda n: (n.lower(), n))


# ----------------------------------------------------------------- escaping

def _escape_plain(text):
    out = []
    for i, ch in enumerate(text):
        prev = text[i - 1] if i else ""
        nxt = text[i + 1] if i + 1 < len(text) else ""
        if ch in "\\*[]<`":
            out.append("\\" + ch)
        elif ch == "_" and not (prev.isalnum() and nxt.isalnum()):
            out.append("\\_")
        else:
            out.append(ch)
    return "".join(out)


def _escape_line_start(line):
    """Keep a prose line from starting a heading, a quote or a numbered list."""
    body = line.lstrip()
    indent = line[:len(line) - len(body)]
    if body.startswith(("#", ">")):
        return indent + "\\" + body
    m = re.match(r"^([0-9]+)([.)])(\s)", body)
    if m:
        return indent + m.group(1) + "\\" + body[len(m.group(1)):]
    return line


def _is_cjk(ch):
    return "\u3000" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef"


def _join_cjk(lines):
    """Join wrapped Chinese lines: a line break between two CJK characters
    would show as a space."""
    out = []
    for line in lines:
        if out and out[-1] and line.strip() and _is_cjk(out[-1].rstrip()[-1]) and _is_cjk(line.lstrip()[0]) \
                and not out[-1].lstrip().startswith("```"):
            out[-1] = out[-1].rstrip() + line.lstrip()
        else:
            out.append(line)
    return out


class DocFilters:
    """Jinja2 filters for the Markdown templates."""

    def __init__(self, spec, index, labels):
        self.spec = spec
        self.index = index
        self.labels = labels

    # --- prose
    def _inline(self, text, page, skip):
        parts = []
        for chunk in _CODE_SPAN.split(text):
            if chunk.startswith("`") and chunk.endswith("`") and len(chunk) > 2:
                inner = chunk[1:-1]
                name = inner[:-2] if inner.endswith("()") else inner
                if name in self.index.where and name != skip:
                    parts.append(f"[{chunk}]({self.index.link(name, page)})")
                else:
                    parts.append(chunk)
            else:
                pos = 0
                for m in _IDENT.finditer(chunk):
                    parts.append(_escape_plain(chunk[pos:m.start()]))
                    name = m.group(1)
                    if name in self.index.where and name != skip:
                        parts.append(f"[`{name}`]({self.index.link(name, page)})")
                    else:
                        parts.append(f"`{name}`")
                    pos = m.end()
                parts.append(_escape_plain(chunk[pos:]))
        return "".join(parts)

    def md_prose(self, text, page, skip=None):
        """Spec prose as Markdown: escaped, symbols linked, fences kept."""
        lines = []
        fence = None
        for line in _join_cjk(text.split("\n")):
            if _FENCE.match(line):
                if fence is None:
                    fence = line.strip()[3:].strip()
                    if fence == "c":
                        lines.append("<!-- compile: body -->")
                    lines.append(line.strip())
                else:
                    fence = None
                    lines.append(line.strip())
                continue
            if fence is not None:
                lines.append(line)
            else:
                lines.append(_escape_line_start(self._inline(line.rstrip(), page, skip)))
        return "\n".join(lines)

    def md_cell(self, text, page, skip=None):
        """Prose for one table cell: one line, pipes escaped."""
        one_line = " ".join(text.split())
        return self.md_prose(one_line, page, skip).replace("|", "\\|")

    def md_code_cell(self, text):
        return "`" + text.replace("|", "\\|") + "`"

    def md_link(self, name, page):
        return f"[`{name}`]({self.index.link(name, page)})"

    def md_type(self, ctype, page):
        """A C type with its cnet type name linked (for table cells)."""
        base = re.sub(r"\[[0-9]+\]$", "", ctype).replace("*", " ").split()
        names = [w for w in base if w in self.index.where]
        code = self.md_code_cell(ctype)
        if names:
            return f"[{code}]({self.index.link(names[0], page)})"
        return code

    # --- C text
    def signature(self, proc):
        """The prototype as the header declares it, without CNET_API, wrapped when long."""
        head = c_decl(proc.returns, proc.name) + "("
        params = [c_decl(p.type, p.name) for p in proc.params] or ["void"]
        one = head + ", ".join(params) + ");"
        if len(one) <= SIGNATURE_WIDTH:
            text = one
        else:
            text = head + "\n" + ",\n".join("    " + p for p in params) + ");"
        guard = platform_guard(self.spec, proc.platforms)
        if guard:
            text = f"#if {guard}\n{text}\n#endif"
        return text

    def nim_refs(self, entity, module=None):
        """The Nim names an entity ports, qualified by the Nim module."""
        nims = getattr(entity, "nim", None)
        if isinstance(nims, str):
            nims = [nims]
        if not nims:
            return []
        mod = module if module is not None else getattr(getattr(entity, "module", None), "nim", None)
        # A name that names its own module ("asyncdispatch.poll") stays as it is.
        return [f"{mod}.{n}" if mod and "." not in n else n for n in nims]

    def values_text(self, values):
        """A per-platform value as text: one value, or `linux: 1, macos: 2`."""
        groups = {}
        for plat in sorted(values):
            groups.setdefault(values[plat], []).append(plat)
        if len(groups) == 1 and len(values) == len(self.spec.platforms):
            return str(next(iter(groups)))
        return ", ".join(f"{'/'.join(plats)}: {v}" for v, plats in
                         sorted(groups.items(), key=lambda kv: kv[1]))

    def returned_by(self, error):
        return [p for m in self.spec.modules for p in m.procs if p.public and error.name in p.errors]

    def differing_procs(self, module):
        return [p for p in module.procs if p.public and p.differs]

    def platform_titles(self, platforms, lang):
        return ", ".join(self.spec.platform(p).title.get(lang) for p in platforms)

    # --- the spec keys page (schema.Key)
    def key_required(self, key, lang, page):
        if isinstance(key.required, Doc):
            return self.md_cell(key.required.get(lang), page)
        return self.labels[lang]["required_yes" if key.required else "required_no"]

    def key_shape(self, key):
        code = self.md_code_cell(key.shape)
        return f"[{code}](#{key.entries})" if key.entries else code

    def key_values(self, key):
        if not key.values:
            return self.labels["en"]["none"]
        return ", ".join(self.md_code_cell(v) for v in key.values)

    def key_default(self, key, lang, page):
        if key.default is None:
            return self.labels[lang]["none"]
        if isinstance(key.default, Doc):
            return self.md_cell(key.default.get(lang), page)
        if isinstance(key.default, bool):
            return self.md_code_cell("true" if key.default else "false")
        return self.md_code_cell(str(key.default))
