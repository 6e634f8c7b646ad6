"""Rendering: one targets table drives generation, --verify and the tests."""

import difflib
import os
import shutil
import tempfile
from dataclasses import dataclass

import jinja2

from . import ctext
from .ctext import c_args, c_callback, c_decl, c_params, c_string, comment_lines, doc_comment
from .docs import FIXED_PAGES, DocFilters, DocIndex, load_labels
from .model import C_BUILTIN_TYPES, LANGS
from .schema import ENTRY_KINDS

REGEN_COMMAND = "make regen"


@dataclass
class Target:
    """One output file (or one per module / per backend) and its template."""
    output: str          # path under generated/, may use {module}, {header}, {backend}, {lang}
    template: str        # file under codegen/templates/
    scope: str           # spec | module | backend | lang | module_lang


TARGETS = [
    Target("include/cnet/platform.h", "platform.h.j2", "spec"),
    Target("include/cnet/errors.h", "errors.h.j2", "spec"),
    Target("include/cnet/cnet.h", "cnet.h.j2", "spec"),
    Target("include/{header}", "module.h.j2", "module"),
    Target("src/errors.c", "errors.c.j2", "spec"),
    Target("src/backend.h", "backend.h.j2", "spec"),
    Target("src/api_{module}.c", "api.c.j2", "module"),
    Target("backends/{backend}/tables.c", "tables.c.j2", "backend"),
    Target("tests/sockopts.c", "sockopts.c.j2", "spec"),
    Target("meson.build", "meson.build.j2", "spec"),
    # The reference, one tree per language (docs/en/, docs/zh/).
    Target("docs/{lang}/index.md", "docs_index.md.j2", "lang"),
    Target("docs/{lang}/errors.md", "docs_errors.md.j2", "lang"),
    Target("docs/{lang}/differences.md", "docs_differences.md.j2", "lang"),
    Target("docs/{lang}/platform.md", "docs_platform.md.j2", "lang"),
    Target("docs/{lang}/spec-keys.md", "docs_spec_keys.md.j2", "lang"),
    Target("docs/{lang}/{module}.md", "docs_module.md.j2", "module_lang"),
]


def _merge(values):
    """Group platforms that share a value: [(value, [platforms])]."""
    groups = {}
    for plat in sorted(values):
        groups.setdefault(values[plat], []).append(plat)
    return sorted(groups.items(), key=lambda kv: kv[1])


class Renderer:
    def __init__(self, spec, template_dir):
        self.spec = spec
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(template_dir),
            undefined=jinja2.StrictUndefined,
            keep_trailing_newline=True,
            trim_blocks=True,
            lstrip_blocks=True,
            autoescape=False,
        )
        f = self.env.filters
        f["c_decl"] = c_decl
        f["c_params"] = c_params
        f["c_args"] = c_args
        f["c_callback"] = c_callback
        f["c_string"] = c_string
        f["comment_lines"] = comment_lines
        f["doc_comment"] = doc_comment
        f["pp_define"] = self.pp_define
        f["pp_enum_value"] = self.pp_enum_value
        f["pp_typedef"] = self.pp_typedef
        f["entity_doc"] = self.entity_doc
        f["platform_guard"] = self.platform_guard
        # The reference pages.
        for m in spec.modules:
            if m.name in FIXED_PAGES:
                raise ValueError(f"module name '{m.name}' is taken by a reference page")
        self.doc_index = DocIndex(spec)
        self.labels = load_labels(template_dir)
        d = DocFilters(spec, self.doc_index, self.labels)
        f["md"] = d.md_prose
        f["md_cell"] = d.md_cell
        f["md_code"] = d.md_code_cell
        f["md_link"] = d.md_link
        f["md_type"] = d.md_type
        f["signature"] = d.signature
        f["nim_refs"] = d.nim_refs
        f["values_text"] = d.values_text
        f["returned_by"] = d.returned_by
        f["differing_procs"] = d.differing_procs
        f["platform_titles"] = d.platform_titles
        f["key_required"] = d.key_required
        f["key_shape"] = d.key_shape
        f["key_values"] = d.key_values
        f["key_default"] = d.key_default
        self.env.globals["doc_index"] = self.doc_index
        self.env.globals["langs"] = LANGS
        self.env.globals["spec"] = spec
        self.env.globals["targets"] = TARGETS
        self.env.globals["extra_sources"] = []
        self.env.globals["entry_kinds"] = ENTRY_KINDS
        self.env.globals["builtin_types"] = sorted(C_BUILTIN_TYPES)
        self.env.globals["spec_types"] = sorted(
            [n for n, kind in self.doc_index.kinds.items() if kind == "type"], key=lambda n: (n.lower(), n))

    # --- preprocessor chains for per-platform values
    def cond(self, platforms):
        return ctext.platform_condition(self.spec, platforms)

    def platform_guard(self, platforms):
        return ctext.platform_guard(self.spec, platforms)

    def _chain(self, values, line_for):
        groups = _merge(values)
        all_plats = {p.name for p in self.spec.platforms}
        if len(groups) == 1 and set(groups[0][1]) == all_plats:
            return [line_for(groups[0][0])]
        lines = []
        for i, (value, plats) in enumerate(groups):
            lines.append(f"#{'if' if i == 0 else 'elif'} {self.cond(plats)}")
            lines.append(line_for(value))
        lines.append("#endif")
        return lines

    def pp_define(self, const):
        def fmt(v):
            suffix = {"long": "L", "unsigned": "U", "unsigned long": "UL"}.get(const.type, "")
            if v == -2**31:
                # -2147483648 is not a literal in C: write it as an expression.
                return f"#define {const.name} (-2147483647{suffix} - 1)"
            if v < 0:
                return f"#define {const.name} ({v}{suffix})"
            return f"#define {const.name} {v}{suffix}"
        return "\n".join(self._chain(const.values, fmt))

    def pp_typedef(self, ptype):
        return "\n".join(self._chain(ptype.c, lambda c: f"typedef {c} {ptype.name};"))

    def pp_enum_value(self, value):
        return "\n".join(self._chain(value.values, lambda v: f"    {value.name} = {v},"))

    # --- doc comments
    def entity_doc(self, entity, kind, indent=""):
        lines = []
        lines += comment_lines(entity.summary.en)
        lines += [""] + comment_lines("[zh] " + entity.summary.zh)
        desc = getattr(entity, "description", None)
        if desc:
            lines += [""] + comment_lines(desc.en) + [""] + comment_lines("[zh] " + desc.zh)
        if kind == "type" and getattr(entity, "kind", None) == "callback":
            for p in entity.fields:
                lines += [""] + comment_lines(f"@param {p.name} {p.doc.en}")
                lines += comment_lines(f"       [zh] {p.doc.zh}")
        if kind == "proc":
            for p in entity.params:
                extra = f" (Nim default: {p.default})" if p.default else ""
                lines += [""] + comment_lines(f"@param {p.name} {p.doc.en}{extra}")
                lines += comment_lines(f"       [zh] {p.doc.zh}")
            if entity.fallible and entity.errors:
                lines += ["", "@return CNET_OK on success, or one of:"]
                for e in entity.errors:
                    lines.append(f"        {e}: {self.spec.error(e).message.en}")
            elif entity.returns_doc:
                lines += [""] + comment_lines(f"@return {entity.returns_doc.en}")
                lines += comment_lines(f"        [zh] {entity.returns_doc.zh}")
            if entity.side_doc:
                lines += [""] + comment_lines("@note Threads: " + entity.side_doc.en)
                lines += comment_lines("      [zh] 线程：" + entity.side_doc.zh)
            if entity.differs:
                lines += [""] + comment_lines("@note Differs from Nim: " + entity.differs.en)
                lines += comment_lines("      [zh] 与 Nim 的不同：" + entity.differs.zh)
        nims = getattr(entity, "nim", None)
        if isinstance(nims, str):
            nims = [nims]
        mod = getattr(getattr(entity, "module", None), "nim", None)
        if nims:
            qual = ", ".join(f"{mod}.{n}" if mod else n for n in nims)
            lines += ["", f"Ports Nim: {qual}"]
        elif kind in ("proc", "type", "enum", "const"):
            lines += ["", "cnet addition (no Nim counterpart)."]
        return doc_comment(lines, indent)

    # --- output
    def banner(self, sources, template, comment="c"):
        text = (f"generated from {', '.join(sources)} by codegen/templates/{template} - "
                f"do not edit; regenerate with `{REGEN_COMMAND}`")
        if comment == "c":
            return f"/* {text} */"
        return f"<!-- {text} -->"

    def outputs(self):
        """Yield (relative path, text) for every target, in a stable order."""
        spec_files = sorted({self.spec.platform_file, self.spec.error_file} |
                            {m.file for m in self.spec.modules})
        # The reference pages also show the general differences.
        doc_files = sorted(set(spec_files) |
                           ({self.spec.differences_file} if self.spec.differences_file else set()))
        for target in TARGETS:
            tmpl = self.env.get_template(target.template)
            if target.scope == "lang":
                for lang in LANGS:
                    path = target.output.format(lang=lang)
                    ctx = dict(lang=lang, t=self.labels[lang], page=path.rsplit("/", 1)[-1][:-3],
                               banner=self.banner(doc_files, target.template, "md"))
                    yield path, tmpl.render(**ctx)
            elif target.scope == "module_lang":
                for lang in LANGS:
                    for m in self.spec.modules:
                        path = target.output.format(lang=lang, module=m.name)
                        ctx = dict(lang=lang, t=self.labels[lang], page=m.name, module=m,
                                   banner=self.banner(sorted({m.file, self.spec.error_file}),
                                                      target.template, "md"))
                        yield path, tmpl.render(**ctx)
            elif target.scope == "spec":
                ctx = dict(banner=self.banner(spec_files, target.template))
                yield target.output, tmpl.render(**ctx)
            elif target.scope == "module":
                for m in self.spec.modules:
                    path = target.output.format(module=m.name, header=m.header)
                    ctx = dict(module=m, banner=self.banner(
                        sorted({m.file, self.spec.error_file}), target.template))
                    yield path, tmpl.render(**ctx)
            elif target.scope == "backend":
                for b in self.spec.table_backends:
                    path = target.output.format(backend=b.name)
                    ctx = dict(backend=b, banner=self.banner(spec_files, target.template))
                    yield path, tmpl.render(**ctx)
            else:
                raise ValueError(target.scope)


def _normalise(text):
    if not text.endswith("\n"):
        text += "\n"
    return text.replace("\r\n", "\n")


def render_to(renderer, out_dir):
    files = {}
    for rel, text in renderer.outputs():
        if rel in files:
            raise ValueError(f"two targets write {rel}")
        files[rel] = _normalise(text)
    return files


def write_tree(files, out_dir, managed_prefixes):
    """Write files atomically and remove stale generated files we own."""
    for rel, text in sorted(files.items()):
        path = os.path.join(out_dir, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path), prefix=".tmp-")
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
        os.replace(tmp, path)
    for rel in list_tree(out_dir):
        if rel not in files and rel.startswith(managed_prefixes):
            os.remove(os.path.join(out_dir, rel))


def list_tree(root):
    result = []
    if not os.path.isdir(root):
        return result
    for dirpath, _, filenames in os.walk(root):
        for name in filenames:
            rel = os.path.relpath(os.path.join(dirpath, name), root).replace(os.sep, "/")
            result.append(rel)
    return sorted(result)


def compare_trees(expected, actual_dir):
    """Compare expected {rel: text} against a directory; return problems."""
    problems = []
    actual = set(list_tree(actual_dir))
    for rel in sorted(expected):
        path = os.path.join(actual_dir, rel)
        if rel not in actual:
            problems.append(f"missing: generated/{rel}")
            continue
        with open(path, encoding="utf-8", newline="") as f:
            have = f.read()
        if have != expected[rel]:
            diff = difflib.unified_diff(have.splitlines(True), expected[rel].splitlines(True),
                                        f"generated/{rel} (committed)", f"generated/{rel} (from spec)")
            problems.append(f"different: generated/{rel}\n" + "".join(list(diff)[:80]))
    for rel in sorted(actual - set(expected)):
        problems.append(f"extra: generated/{rel}")
    return problems


def copy_tree(src, dst):
    if os.path.isdir(src):
        shutil.copytree(src, dst, dirs_exist_ok=True)
