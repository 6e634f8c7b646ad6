"""The typed model of the cnet spec, and its validation.

``load_spec(spec_dir)`` reads every ``*.yaml`` file of the spec directory,
builds the model below and validates it. Any mistake raises ``SpecError``
carrying ``spec/<file>.yaml:LINE``.
"""

import os
import re
from dataclasses import dataclass, field
from typing import Dict, List, Optional

from . import schema
from .loader import Loc, SpecError, load_yaml, loc_at, loc_of
from .schema import DOC, HELD_TYPE, HOLDS, LANGS, SIDES, Doc, did_you_mean

__all__ = ["LANGS", "Doc", "load_spec"]

C_BUILTIN_TYPES = {
    "void", "char", "int", "unsigned", "long", "unsigned long", "short",
    "bool", "size_t", "ptrdiff_t", "int8_t", "uint8_t", "int16_t",
    "uint16_t", "int32_t", "uint32_t", "int64_t", "uint64_t", "intptr_t",
    "uintptr_t", "struct sockaddr", "struct addrinfo", "struct sockaddr_storage",
}

IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
PUBLIC_FUNC = re.compile(r"^cnet_[a-z0-9_]+$")
PUBLIC_TYPE = re.compile(r"^cnet_[a-z0-9_]+$")
PUBLIC_CONST = re.compile(r"^CNET_[A-Z0-9_]+$")
# IMPLS and HOLDS (how a proc that takes a `cnet_socket *` keeps another
# thread's close from releasing the descriptor under it, src/net_internal.h "holding a
# socket") are declared with the keys they belong to, in schema.py.
EDGE_FUNC = re.compile(r"^cnet__sys_[a-z0-9_]+$")


@dataclass
class Platform:
    name: str
    condition: str
    title: Doc
    defines: Dict[str, str]
    includes: List[str]
    loc: Loc


@dataclass
class Macro:
    name: str
    nim: Optional[str]
    params: List[str]
    body: str
    summary: Doc
    loc: Loc
    module: "Module" = None


@dataclass
class Backend:
    name: str
    platforms: List[str]
    error_domains: List[str]
    tables: str          # the backend whose generated tables it uses
    summary: Doc
    loc: Loc


@dataclass
class PlatformType:
    name: str
    nim: Optional[str]
    c: Dict[str, str]
    invalid: Dict[str, str]
    summary: Doc
    loc: Loc


@dataclass
class ErrorCode:
    name: str
    value: int
    message: Doc
    os: Dict[str, List[str]]
    disconnection: List[str]
    nim: Optional[str]
    loc: Loc


@dataclass
class Constant:
    name: str
    nim: Optional[str]
    type: str
    values: Dict[str, int]     # platform -> value
    os: Optional[str]
    summary: Doc
    loc: Loc
    module: "Module" = None
    key_locs: Dict[str, Loc] = field(default_factory=dict, repr=False, compare=False)  # key -> its line

    @property
    def platforms(self):
        return sorted(self.values)


@dataclass
class EnumValue:
    name: str
    nim: Optional[str]
    values: Dict[str, int]
    os: Optional[str]
    summary: Doc
    loc: Loc


@dataclass
class Enum:
    name: str
    nim: Optional[str]
    summary: Doc
    description: Optional[Doc]
    values: List[EnumValue]
    os_values: bool      # the numeric values are the OS constants themselves
    loc: Loc
    module: "Module" = None

    @property
    def has_os_mapping(self):
        return any(v.os for v in self.values)

    @property
    def short(self):
        return self.name[len("cnet_"):]


@dataclass
class Field:
    name: str
    type: str
    doc: Doc
    loc: Loc
    key_locs: Dict[str, Loc] = field(default_factory=dict, repr=False, compare=False)  # key -> its line


@dataclass
class TypeDef:
    name: str
    nim: Optional[str]
    kind: str            # struct | opaque | callback
    fields: List[Field]  # a callback's parameters
    summary: Doc
    description: Optional[Doc]
    loc: Loc
    module: "Module" = None
    returns: str = "void"  # a callback's return type
    key_locs: Dict[str, Loc] = field(default_factory=dict, repr=False, compare=False)  # key -> its line


@dataclass
class Param:
    name: str
    type: str
    doc: Doc
    default: Optional[str]
    nullable: bool
    minimum: Optional[int]
    maximum: Optional[int]
    direction: str
    loc: Loc
    key_locs: Dict[str, Loc] = field(default_factory=dict, repr=False, compare=False)  # key -> its line
    on_error: Optional[str] = None  # what a CNET_EBUSY refusal stores in this out parameter (side: procs)

    @property
    def is_pointer(self):
        return self.type.rstrip().endswith("*")

    @property
    def pointee(self):
        """What an out parameter points to, when it is one value (not a buffer):
        the type the API layer zeroes when it refuses a call (CNET_EBUSY), so
        that no out-parameter is left as it was on any error."""
        t = self.type.strip()
        if self.direction != "out" or not t.endswith("*") or t.replace(" ", "").endswith("**") \
                or t in ("void *", "char *", "unsigned char *"):
            return None  # T ** is cleared before the checks (Proc.cleared_outs); buffers are not values
        return t[:-1].rstrip()


@dataclass
class Check:
    """One argument check the API layer performs before the backend call."""
    condition: str       # C expression that is true when the argument is bad
    error: str
    message: str


@dataclass
class Proc:
    name: str
    nim: List[str]
    summary: Doc
    description: Optional[Doc]
    differs: Optional[Doc]
    params: List[Param]
    returns: str
    returns_doc: Optional[Doc]
    errors: List[str]
    impl: str
    platforms: List[str]
    example: Optional[str]
    ring: bool           # served through io_uring by that backend (POSIX fallback kept)
    loc: Loc
    hold: Optional[str] = None  # see HOLDS
    closed_returns: Optional[str] = None  # what a held non-cnet_err proc returns for a NULL or closed socket
    side: Optional[str] = None  # "read" / "write": the API layer takes that side of the socket (see SIDES)
    module: "Module" = None
    checks: List[Check] = field(default_factory=list)
    key_locs: Dict[str, Loc] = field(default_factory=dict, repr=False, compare=False)  # key -> its line

    @property
    def cleared_outs(self):
        """Out parameters that receive a pointer (`T **`): the API layer sets
        them to NULL before its checks, so that "NULL on failure" holds for
        a refused argument too."""
        return [prm.name for prm in self.params
                if prm.direction == "out" and prm.type.replace(" ", "").endswith("**")]

    @property
    def busy_resets(self):
        """C statements that zero the one-value out parameters of a proc that
        takes a side, run when the side is taken (CNET_EBUSY): the
        implementations set them on every error of theirs. (Enums name their
        value with `on_error`, checked in check_module.)"""
        out = []
        for prm in self.params:
            if prm.pointee is None:
                continue
            zero = f"*{prm.name} = {prm.on_error if prm.on_error is not None else 0};"
            out.append(f"if ({prm.name} != NULL)\n            {zero}" if prm.nullable else zero)
        return out

    @property
    def short(self):
        return self.name[len("cnet_"):]

    @property
    def public(self):
        return self.impl != "edge"

    @property
    def impl_symbol(self):
        if self.impl == "edge":
            return self.name
        if self.impl == "backend":
            return "cnet__sys_" + self.short
        return "cnet__" + self.short

    @property
    def fallback_symbol(self):
        """The POSIX implementation's name inside the io_uring backend."""
        return "cnet__posix_" + self.impl_symbol[len("cnet__sys_"):]

    @property
    def fallible(self):
        return self.returns == "cnet_err"

    @property
    def side_doc(self):
        """The threads note of a proc that takes a side, or None."""
        from .schema import SIDE_DOCS
        return SIDE_DOCS[self.side] if self.side else None

    @property
    def hold_param(self):
        """The socket parameter the API layer holds for the whole call, or None."""
        return self.hold if self.hold not in (None,) + HOLDS else None


@dataclass
class SockOpt:
    level: str
    name: str
    domain: str
    sock_type: str
    set_value: int
    expect: str          # eq | ge | bool
    skip: Dict[str, str]  # platform -> why the round trip cannot hold there
    loc: Loc
    key_locs: Dict[str, Loc] = field(default_factory=dict, repr=False, compare=False)  # key -> its line


@dataclass
class Module:
    name: str
    file: str            # spec file name shown in banners (spec/x.yaml)
    header: str
    includes: List[str]
    nim: Optional[str]
    summary: Doc
    description: Optional[Doc]
    constants: List[Constant]
    macros: List[Macro]
    enums: List[Enum]
    types: List[TypeDef]
    procs: List[Proc]
    sockopts: List[SockOpt]
    loc: Loc

    @property
    def guard(self):
        return "CNET_" + re.sub(r"[^A-Za-z0-9]", "_", self.header.split("/")[-1]).upper()


@dataclass
class Difference:
    """One general difference between cnet and Nim (spec/differences.yaml)."""
    id: str
    title: Doc
    text: Doc
    see: List[str]       # C names of the entries that show it
    loc: Loc


@dataclass
class Spec:
    platforms: List[Platform]
    backends: List[Backend]
    platform_types: List[PlatformType]
    errors: List[ErrorCode]
    modules: List[Module]
    error_file: str
    platform_file: str
    differences: List[Difference] = field(default_factory=list)
    differences_file: Optional[str] = None

    def platform(self, name):
        return next(p for p in self.platforms if p.name == name)

    def backend(self, name):
        return next(b for b in self.backends if b.name == name)

    @property
    def all_procs(self):
        return [p for m in self.modules for p in m.procs]

    @property
    def all_enums(self):
        return [e for m in self.modules for e in m.enums]

    @property
    def all_constants(self):
        return [c for m in self.modules for c in m.constants]

    @property
    def all_types(self):
        return [t for m in self.modules for t in m.types]

    @property
    def table_backends(self):
        """Backends that own a generated table file."""
        return [b for b in self.backends if b.tables == b.name]

    def error(self, name):
        return next(e for e in self.errors if e.name == name)


# ---------------------------------------------------------------- helpers

def _loc(node, fallback):
    return getattr(node, "loc", None) or fallback


def _at(entity, key):
    """Where `key` of a model entity was written (its first line if absent)."""
    return entity.key_locs.get(key, entity.loc)


def _require(node, key, where, kind=None):
    if not isinstance(node, dict) or key not in node:
        raise SpecError(_loc(node, where), f"missing required key '{key}'")
    value = node[key]
    if kind is not None and not isinstance(value, kind):
        raise SpecError(loc_of(node, key, where), f"'{key}' must be {_kind_name(kind)}")
    return value


def _kind_name(kind):
    names = {str: "a string", list: "a list", dict: "a mapping", int: "an integer", bool: "a boolean"}
    if isinstance(kind, tuple):
        return " or ".join(names.get(k, k.__name__) for k in kind)
    return names.get(kind, kind.__name__)


def _missing(key):
    if key.shape == DOC:
        return f"missing documentation '{key.name}' (needs en and zh)"
    if key.name == "nim":
        return "missing required key 'nim' (the Nim name it ports, or null for a cnet addition)"
    return f"missing required key '{key.name}'"


def _check_keys(node, kind, where=None):
    """Check an entry against its declaration in schema.py: every key must be
    declared there, and every key declared required must be present."""
    if not isinstance(node, dict):
        raise SpecError(_loc(node, where), f"{kind.what} must be a mapping")
    for key in node:
        if key not in kind.names:
            raise SpecError(loc_of(node, key, where),
                            f"unknown key '{key}' in {kind.what}" + did_you_mean(key, kind.names))
    for key in kind.keys:
        if key.required is True and key.name not in node:
            raise SpecError(_loc(node, where), _missing(key))


def _choice(node, kind, name):
    """The value of a key whose values schema.py lists (or its default)."""
    key = kind.key(name)
    value = node.get(name, key.default)
    if not isinstance(value, str) or value not in key.values:
        raise SpecError(loc_of(node, name, None),
                        f"'{name}' must be one of {', '.join(key.values)}, not '{value}'"
                        + did_you_mean(value, key.values))
    return value


def _doc(node, key, where, required=True):
    if key not in node or node[key] is None:
        if required:
            raise SpecError(_loc(node, where), f"missing documentation '{key}' (needs en and zh)")
        return None
    value = node[key]
    if not isinstance(value, dict):
        raise SpecError(loc_of(node, key, where), f"'{key}' must be a mapping with 'en' and 'zh'")
    for lang in value:
        if lang not in LANGS:
            raise SpecError(loc_of(value, lang, where),
                            f"unknown language '{lang}' in '{key}' (use en, zh)" + did_you_mean(lang, LANGS))
    for lang in LANGS:
        text = value.get(lang)
        if not isinstance(text, str) or not text.strip():
            raise SpecError(_loc(value, _loc(node, where)),
                            f"missing documentation '{key}' in language '{lang}'")
    return Doc(value["en"].strip(), value["zh"].strip())


def _nim_names(node):
    if "nim" not in node:
        raise SpecError(node.loc, "missing required key 'nim' (the Nim name it ports, or null for a cnet addition)")
    value = node["nim"]
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return list(value)
    raise SpecError(node.loc_of("nim"), "'nim' must be a string, a list of strings or null")


def _ident(node, key, pattern, what):
    name = _require(node, key, node.loc, str)
    if not pattern.match(name):
        raise SpecError(node.loc_of(key), f"{what} name '{name}' does not match {pattern.pattern}")
    return name


def _entries(node, key):
    """The items of a list of entries, each with the line it starts on:
    [(item, Loc)]. An absent or null list has no items."""
    value = node.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise SpecError(node.loc_of(key), f"'{key}' must be a list")
    return [(item, loc_at(value, i, node.loc_of(key))) for i, item in enumerate(value)]


def _names(node, key, where):
    """A list of names: [(name, its line)]."""
    value = node.get(key) or []
    if not isinstance(value, list):
        raise SpecError(loc_of(node, key, where), f"'{key}' must be a list")
    return [(name, loc_at(value, i, loc_of(node, key, where))) for i, name in enumerate(value)]


# ----------------------------------------------------------- the loaders

class _Builder:
    def __init__(self, spec_dir, display_dir):
        self.spec_dir = spec_dir
        self.display_dir = display_dir
        self.names = {}          # every C name -> Loc, for duplicate checks

    def claim(self, name, loc):
        if name in self.names:
            raise SpecError(loc, f"duplicate name '{name}' (first declared at {self.names[name]})")
        self.names[name] = loc

    def load(self):
        files = sorted(f for f in os.listdir(self.spec_dir) if f.endswith(".yaml"))
        docs = {}
        for f in files:
            display = f"{self.display_dir}/{f}"
            data = load_yaml(os.path.join(self.spec_dir, f), display)
            if not isinstance(data, dict):
                raise SpecError(Loc(display, 1), "a spec file must be a mapping")
            docs[display] = data

        platform_file = next((d for d, v in docs.items() if "platforms" in v), None)
        if platform_file is None:
            raise SpecError(Loc(self.display_dir, 1), "no spec file declares 'platforms'")
        error_file = next((d for d, v in docs.items() if "errors" in v), None)
        if error_file is None:
            raise SpecError(Loc(self.display_dir, 1), "no spec file declares 'errors'")
        # Optional: the general differences from Nim, shown in the reference.
        differences_file = next((d for d, v in docs.items() if "differences" in v), None)

        pdata = docs[platform_file]
        _check_keys(pdata, schema.PLATFORM_FILE)
        self.platforms = [self.platform(n, at) for n, at in _entries(pdata, "platforms")]
        self.platform_names = [p.name for p in self.platforms]
        self.backends = [self.backend(n, at) for n, at in _entries(pdata, "backends")]
        self.backend_names = [b.name for b in self.backends]
        for b in self.backends:
            if b.tables not in self.backend_names:
                raise SpecError(b.loc, f"backend '{b.name}' takes its tables from unknown backend "
                                       f"'{b.tables}'" + did_you_mean(b.tables, self.backend_names))
        self.platform_types = [self.platform_type(n, at) for n, at in _entries(pdata, "platform_types")]

        edata = docs[error_file]
        _check_keys(edata, schema.ERROR_FILE)
        self.errors = [self.error_code(n, at) for n, at in _entries(edata, "errors")]
        self.error_names = {e.name for e in self.errors}
        values = {}
        for e in self.errors:
            if e.value in values:
                raise SpecError(e.loc, f"error value {e.value} of {e.name} is already used by {values[e.value]}")
            values[e.value] = e.name
        if not self.errors or self.errors[0].name != "CNET_OK" or self.errors[0].value != 0:
            raise SpecError(edata.loc, "the first error code must be CNET_OK = 0")

        modules = []
        for display, data in docs.items():
            if display in (platform_file, error_file, differences_file):
                continue
            modules.append(self.module(data, display))
        self.known_types = set(C_BUILTIN_TYPES) | {"cnet_err"}
        self.known_types |= {t.name for t in self.platform_types}
        for m in modules:
            self.known_types |= {t.name for t in m.types}
            self.known_types |= {e.name for e in m.enums}
        self.enum_names = {e.name: e for m in modules for e in m.enums}
        self.callback_names = {t.name for m in modules for t in m.types if t.kind == "callback"}
        self.constant_names = {c.name for m in modules for c in m.constants}
        self.enum_value_names = {v.name for m in modules for e in m.enums for v in e.values}
        for m in modules:
            self.check_module(m)
        modules.sort(key=lambda m: m.name)
        differences = []
        if differences_file is not None:
            ddata = docs[differences_file]
            _check_keys(ddata, schema.DIFFERENCES_FILE)
            differences = [self.difference(n, at) for n, at in _entries(ddata, "differences")]
        return Spec(self.platforms, self.backends, self.platform_types, self.errors,
                    modules, error_file, platform_file, differences, differences_file)

    # --- differences file
    def difference(self, node, where):
        _check_keys(node, schema.DIFFERENCE, where)
        ident = _require(node, "id", node.loc, str)
        if not re.match(r"^[a-z0-9]+(-[a-z0-9]+)*$", ident):
            raise SpecError(node.loc_of("id"), f"difference id '{ident}' must be lowercase words joined by '-'")
        self.claim("difference:" + ident, node.loc)
        entries = [n for n in self.names if ":" not in n] + ["cnet_err"]
        see = _names(node, "see", node.loc)
        for name, loc in see:
            if name not in entries:
                raise SpecError(loc, f"'see' names unknown entry '{name}'" + did_you_mean(name, entries))
        return Difference(ident, _doc(node, "title", node.loc), _doc(node, "text", node.loc),
                          [name for name, _ in see], node.loc)

    # --- platform file
    def platform(self, node, where):
        _check_keys(node, schema.PLATFORM, where)
        name = _ident(node, "name", IDENT, "platform")
        self.claim("platform:" + name, node.loc)
        includes = node.get("includes") or []
        defines = {k: ("" if v is None else str(v)) for k, v in (node.get("defines") or {}).items()}
        return Platform(name, _require(node, "condition", node.loc, str),
                        _doc(node, "title", node.loc), defines, list(includes), node.loc)

    def backend(self, node, where):
        _check_keys(node, schema.BACKEND, where)
        name = _ident(node, "name", IDENT, "backend")
        self.claim("backend:" + name, node.loc)
        _require(node, "platforms", node.loc, list)
        plats = _names(node, "platforms", node.loc)
        for p, loc in plats:
            if p not in self.platform_names:
                raise SpecError(loc, f"backend '{name}' names unknown platform '{p}'"
                                + did_you_mean(p, self.platform_names))
        domains = _require(node, "error_domains", node.loc, list)
        tables = node.get("tables", name)
        if not isinstance(tables, str):
            raise SpecError(node.loc_of("tables"), "'tables' must be a backend name")
        return Backend(name, [p for p, _ in plats], list(domains), tables,
                       _doc(node, "summary", node.loc), node.loc)

    def per_platform(self, node, key, restrict=None, kind=int):
        """A value that is either one scalar or a mapping platform -> value."""
        value = _require(node, key, node.loc)
        allowed = restrict or self.platform_names
        if isinstance(value, dict):
            for p, v in value.items():
                at = loc_of(value, p, node.loc)
                if p not in self.platform_names:
                    raise SpecError(at, f"bad per-platform value: unknown platform '{p}'"
                                    + did_you_mean(p, self.platform_names))
                if p not in allowed:
                    raise SpecError(at, f"bad per-platform value: platform '{p}' is not in this entry's platforms")
                if not isinstance(v, kind) or isinstance(v, bool):
                    raise SpecError(at, f"bad per-platform value for '{p}': expected {_kind_name(kind)}, got {v!r}")
            missing = [p for p in allowed if p not in value]
            if missing:
                raise SpecError(_loc(value, node.loc),
                                f"bad per-platform value: no value for platform(s) {', '.join(missing)}")
            return dict(value)
        if not isinstance(value, kind) or isinstance(value, bool):
            raise SpecError(node.loc_of(key), f"'{key}' must be {_kind_name(kind)} or a per-platform mapping")
        return {p: value for p in allowed}

    def platform_type(self, node, where):
        _check_keys(node, schema.PLATFORM_TYPE, where)
        name = _ident(node, "type", PUBLIC_TYPE, "type")
        self.claim(name, node.loc)
        return PlatformType(name, (_nim_names(node) or [None])[0],
                            self.per_platform(node, "c", kind=str),
                            self.per_platform(node, "invalid", kind=str) if "invalid" in node else {},
                            _doc(node, "summary", node.loc), node.loc)

    # --- error file
    def error_code(self, node, where):
        _check_keys(node, schema.ERROR_CODE, where)
        name = _ident(node, "name", PUBLIC_CONST, "error")
        self.claim(name, node.loc)
        value = _require(node, "value", node.loc, int)
        if value < 0:
            raise SpecError(node.loc_of("value"), f"error value of {name} must be >= 0")
        os_map = node.get("os") or {}
        if not isinstance(os_map, dict):
            raise SpecError(node.loc_of("os"), "'os' must map error domains to lists of OS error macros")
        domains = sorted({d for b in self.backends for d in b.error_domains})
        for d, names in os_map.items():
            at = loc_of(os_map, d, node.loc)
            if d not in domains:
                raise SpecError(at, f"unknown error domain '{d}'" + did_you_mean(d, domains)
                                + f" (known: {', '.join(domains)})")
            if not isinstance(names, list) or not all(isinstance(n, str) and IDENT.match(n) for n in names):
                raise SpecError(at, f"error domain '{d}' must list OS error macro names")
        disc = _names(node, "disconnection", node.loc)
        for b, loc in disc:
            if b not in self.backend_names:
                raise SpecError(loc, f"'disconnection' names unknown backend '{b}'"
                                + did_you_mean(b, self.backend_names))
        return ErrorCode(name, value, _doc(node, "message", node.loc),
                         {k: list(v) for k, v in os_map.items()}, [b for b, _ in disc],
                         (_nim_names(node) or [None])[0] if "nim" in node else None, node.loc)

    # --- module files
    def module(self, data, display):
        _check_keys(data, schema.MODULE)
        m = Module(
            name=_ident(data, "module", IDENT, "module"),
            file=display,
            header=_require(data, "header", data.loc, str),
            includes=list(data.get("includes") or []),
            nim=(_nim_names(data) or [None])[0],
            summary=_doc(data, "summary", data.loc),
            description=_doc(data, "description", data.loc, required=False),
            constants=[], macros=[], enums=[], types=[], procs=[], sockopts=[], loc=data.loc)
        for n, at in _entries(data, "constants"):
            c = self.constant(n, at)
            c.module = m
            m.constants.append(c)
        for n, at in _entries(data, "macros"):
            _check_keys(n, schema.MACRO, at)
            name = _ident(n, "macro", PUBLIC_CONST, "macro")
            self.claim(name, n.loc)
            mac = Macro(name, (_nim_names(n) or [None])[0], list(n.get("params") or []),
                        _require(n, "body", n.loc, str), _doc(n, "summary", n.loc), n.loc, m)
            m.macros.append(mac)
        for n, at in _entries(data, "enums"):
            e = self.enum(n, at)
            e.module = m
            m.enums.append(e)
        for n, at in _entries(data, "types"):
            t = self.typedef(n, at)
            t.module = m
            m.types.append(t)
        for n, at in _entries(data, "procs"):
            p = self.proc(n, at)
            p.module = m
            m.procs.append(p)
        for n, at in _entries(data, "sockopts"):
            m.sockopts.append(self.sockopt(n, at))
        return m

    def entry_platforms(self, node):
        if node.get("platforms") is None:
            return None
        if not isinstance(node["platforms"], list) or not node["platforms"]:
            raise SpecError(node.loc_of("platforms"), "'platforms' must be a non-empty list")
        plats = _names(node, "platforms", node.loc)
        for p, loc in plats:
            if p not in self.platform_names:
                raise SpecError(loc, f"unknown platform '{p}'" + did_you_mean(p, self.platform_names))
        return [p for p, _ in plats]

    def constant(self, node, where):
        _check_keys(node, schema.CONSTANT, where)
        name = _ident(node, "const", PUBLIC_CONST, "constant")
        self.claim(name, node.loc)
        return Constant(name, (_nim_names(node) or [None])[0], _choice(node, schema.CONSTANT, "type"),
                        self.per_platform(node, "value", self.entry_platforms(node)),
                        node.get("os"), _doc(node, "summary", node.loc), node.loc,
                        key_locs=dict(node.key_locs))

    def enum(self, node, where):
        _check_keys(node, schema.ENUM, where)
        name = _ident(node, "enum", PUBLIC_TYPE, "enum")
        self.claim(name, node.loc)
        nim = (_nim_names(node) or [None])[0]
        values = []
        for v, at in _entries(node, "values"):
            _check_keys(v, schema.ENUM_VALUE, at)
            vname = _ident(v, "name", PUBLIC_CONST, "enum value")
            self.claim(vname, v.loc)
            values.append(EnumValue(vname, (_nim_names(v) or [None])[0],
                                    self.per_platform(v, "value"), v.get("os"),
                                    _doc(v, "summary", v.loc), v.loc))
        if not values:
            raise SpecError(node.loc_of("values"), f"enum {name} has no values")
        mapped = [v for v in values if v.os]
        if mapped and len(mapped) != len(values):
            missing = next(v for v in values if not v.os)
            raise SpecError(missing.loc, f"{missing.name} has no 'os' mapping while other values of {name} do")
        for p in self.platform_names:
            seen = {}
            for v in values:
                if v.values[p] in seen:
                    raise SpecError(v.loc, f"{v.name} has the same value on {p} as {seen[v.values[p]]}")
                seen[v.values[p]] = v.name
        return Enum(name, nim, _doc(node, "summary", node.loc),
                    _doc(node, "description", node.loc, required=False), values,
                    bool(node.get("os_values", False)), node.loc)

    def typedef(self, node, where):
        _check_keys(node, schema.TYPE, where)
        name = _ident(node, "type", PUBLIC_TYPE, "type")
        self.claim(name, node.loc)
        kind = _choice(node, schema.TYPE, "kind")
        if kind != "callback":
            for key in ("params", "returns"):
                if key in node:
                    raise SpecError(node.loc_of(key), "only a callback type has 'params' and 'returns'")
        if kind == "callback" and "fields" in node:
            raise SpecError(node.loc_of("fields"), "a callback type has 'params', not 'fields'")
        fields = []
        list_key = "params" if kind == "callback" else "fields"
        for f, at in _entries(node, list_key):
            _check_keys(f, schema.FIELD, at)
            fields.append(Field(_ident(f, "name", IDENT, "field"), _require(f, "type", f.loc, str),
                                _doc(f, "doc", f.loc), f.loc, key_locs=dict(f.key_locs)))
        if kind == "struct" and not fields:
            raise SpecError(node.loc_of("fields"), f"struct {name} has no fields")
        returns = node.get("returns", "void")
        if not isinstance(returns, str):
            raise SpecError(node.loc_of("returns"), "'returns' must be a C type")
        return TypeDef(name, (_nim_names(node) or [None])[0], kind, fields,
                       _doc(node, "summary", node.loc),
                       _doc(node, "description", node.loc, required=False), node.loc,
                       returns=returns, key_locs=dict(node.key_locs))

    def proc(self, node, where):
        _check_keys(node, schema.PROC, where)
        impl = _choice(node, schema.PROC, "impl")
        name = _ident(node, "proc", EDGE_FUNC if impl == "edge" else PUBLIC_FUNC,
                      "edge function" if impl == "edge" else "proc")
        self.claim(name, node.loc)
        params = []
        seen = set()
        for p, at in _entries(node, "params"):
            _check_keys(p, schema.PARAM, at)
            pname = _ident(p, "name", IDENT, "parameter")
            if pname in seen:
                raise SpecError(p.loc_of("name"), f"duplicate parameter '{pname}' in {name}")
            seen.add(pname)
            direction = _choice(p, schema.PARAM, "dir")
            default = p.get("default")
            params.append(Param(pname, _require(p, "type", p.loc, str), _doc(p, "doc", p.loc),
                                None if default is None else str(default),
                                bool(p.get("nullable", False)), p.get("min"), p.get("max"),
                                direction, p.loc, key_locs=dict(p.key_locs),
                                on_error=None if p.get("on_error") is None else str(p.get("on_error"))))
        returns = node.get("returns", schema.PROC.key("returns").default)
        if not isinstance(returns, str):
            raise SpecError(node.loc_of("returns"), "'returns' must be a C type")
        if not isinstance(node.get("errors") or [], list):
            raise SpecError(node.loc_of("errors"), "'errors' must be a list")
        errors = _names(node, "errors", node.loc)
        for e, loc in errors:
            if e not in self.error_names:
                raise SpecError(loc, f"unknown error code '{e}' in {name}" + did_you_mean(e, self.error_names))
        example = node.get("example")
        if example is not None and (not isinstance(example, str) or not example.strip()):
            raise SpecError(node.loc_of("example"), "'example' must be a non-empty string of C statements")
        if example is not None and impl == "edge":
            raise SpecError(node.loc_of("example"),
                            f"{name} is an internal edge function: it has no reference entry for an example")
        since = node.get("since")
        if since is not None and not re.match(r"^[0-9]+(\.[0-9]+){1,2}$", str(since)):
            raise SpecError(node.loc_of("since"), f"'since' must be a cnet version such as 0.1, not '{since}'")
        ring = node.get("ring", False)
        if not isinstance(ring, bool):
            raise SpecError(node.loc_of("ring"), "'ring' must be true or false")
        return Proc(name, _nim_names(node), _doc(node, "summary", node.loc),
                    _doc(node, "description", node.loc, required=False),
                    _doc(node, "differs", node.loc, required=False),
                    params, returns,
                    # Required unless it returns cnet_err or void: checked with the
                    # return type, in check_module, so that a misspelt type is
                    # reported as such.
                    _doc(node, "returns_doc", node.loc, required=False),
                    [e for e, _ in errors], impl, self.entry_platforms(node) or list(self.platform_names),
                    example.strip("\n") if example else None, ring, node.loc,
                    hold=self.hold_of(node, name, impl, returns, params),
                    closed_returns=self.closed_returns_of(node, name, impl, returns, params),
                    side=self.side_of(node, name, impl, returns, params),
                    key_locs=dict(node.key_locs))

    @staticmethod
    def hold_of(node, name, impl, returns, params):
        hold = node.get("hold")
        held = [p for p in params if p.type.strip() == HELD_TYPE]
        if hold is None:
            if held and impl in ("shared", "backend"):
                raise SpecError(node.loc, f"{name} takes a socket: say how it is held ('hold: {held[0].name}', "
                                          f"'hold: syscalls' or 'hold: none')")
            return None
        at = node.loc_of("hold")
        if not isinstance(hold, str):
            raise SpecError(at, "'hold' must be a parameter name, 'syscalls' or 'none'")
        if hold in HOLDS:
            return hold
        target = next((p for p in params if p.name == hold), None)
        types = (HELD_TYPE,) if returns == "cnet_err" else (HELD_TYPE, "const " + HELD_TYPE)
        if target is None or target.type.strip() not in types:
            raise SpecError(at, f"{name}: 'hold: {hold}' must name a parameter of type '{HELD_TYPE}'"
                            + did_you_mean(hold, [p.name for p in held] + list(HOLDS)))
        if impl != "shared":
            raise SpecError(at, f"{name}: only shared procs can be held by the API layer")
        return hold

    @staticmethod
    def side_of(node, name, impl, returns, params):
        """The direction the API layer takes for the call (one reader, one writer)."""
        side = node.get("side")
        if side is None:
            return None
        at = node.loc_of("side")
        if side not in SIDES:
            raise SpecError(at, f"{name}: 'side' must be 'read' or 'write'" + did_you_mean(str(side), list(SIDES)))
        if impl != "shared" or returns != "cnet_err" or not params or params[0].name != "socket" \
                or params[0].type.strip() != HELD_TYPE:
            raise SpecError(at, f"{name}: 'side' is only for shared procs returning cnet_err whose first "
                                f"parameter is '{HELD_TYPE}socket'")
        return side

    @staticmethod
    def closed_returns_of(node, name, impl, returns, params):
        """A held shared proc that cannot report CNET_ECLOSED returns this instead."""
        value = node.get("closed_returns")
        held_by_api = impl == "shared" and node.get("hold") not in (None,) + HOLDS
        if value is None:
            if held_by_api and returns != "cnet_err":
                raise SpecError(node.loc_of("hold"), f"{name} returns {returns} and is held by the API layer: "
                                                     f"say what it returns for a NULL or closed socket "
                                                     f"('closed_returns: <C expression>')")
            return None
        at = node.loc_of("closed_returns")
        if not held_by_api or returns == "cnet_err":
            raise SpecError(at, f"{name}: 'closed_returns' is only for shared procs held by the API layer "
                                f"that return another type than cnet_err")
        if isinstance(value, bool):  # YAML reads `false` as a boolean: the C expression is the same word
            value = "true" if value else "false"
        elif isinstance(value, int):
            value = str(value)
        if not isinstance(value, str) or not value.strip():
            raise SpecError(at, f"{name}: 'closed_returns' must be a C expression")
        return value.strip()

    def sockopt(self, node, where):
        _check_keys(node, schema.SOCKOPT, where)
        expect = _choice(node, schema.SOCKOPT, "expect")
        skip = node.get("skip") or {}
        if not isinstance(skip, dict):
            raise SpecError(node.loc_of("skip"), "'skip' must map platforms to reasons")
        for plat, why in skip.items():
            at = loc_of(skip, plat, node.loc)
            if plat not in self.platform_names:
                raise SpecError(at, f"'skip' names unknown platform '{plat}'" + did_you_mean(plat, self.platform_names))
            if not isinstance(why, str) or not why.strip():
                raise SpecError(at, f"'skip' for '{plat}' needs a reason")
        return SockOpt(_require(node, "level", node.loc, str), _require(node, "name", node.loc, str),
                       node.get("domain", schema.SOCKOPT.key("domain").default),
                       node.get("type", schema.SOCKOPT.key("type").default),
                       _require(node, "set", node.loc, int), expect, dict(skip), node.loc,
                       key_locs=dict(node.key_locs))

    # --- cross-reference checks
    def base_type(self, ctype):
        t = re.sub(r"\[[0-9]+\]$", "", ctype.strip()).replace("*", " ").split()
        t = [w for w in t if w not in ("const", "restrict", "volatile")]
        return " ".join(t)

    def check_type(self, ctype, loc):
        base = self.base_type(ctype)
        if base not in self.known_types:
            hint = did_you_mean(base, self.known_types)
            if hint and base and base in ctype:
                # Show the whole type, spelt right: 'cnet_sokcet *' -> 'cnet_socket *'.
                close = hint[len("; did you mean '"):-len("'?")]
                hint = f"; did you mean '{ctype.strip().replace(base, close, 1)}'?"
            raise SpecError(loc, f"unknown type '{ctype}'" + hint)

    def check_module(self, m):
        for t in m.types:
            for f in t.fields:
                self.check_type(f.type, _at(f, "type"))
            if t.returns != "void":
                self.check_type(t.returns, _at(t, "returns"))
        for p in m.procs:
            for prm in p.params:
                self.check_type(prm.type, _at(prm, "type"))
                for k in ("min", "max"):
                    v = getattr(prm, "minimum" if k == "min" else "maximum")
                    if v is not None and (not isinstance(v, int) or isinstance(v, bool)):
                        raise SpecError(_at(prm, k), f"'{k}' must be an integer")
                if prm.direction in ("out", "inout") and not prm.is_pointer:
                    raise SpecError(_at(prm, "dir"), f"out parameter '{prm.name}' must be a pointer")
            if p.returns != "void":
                self.check_type(p.returns, _at(p, "returns"))
            if p.returns not in ("cnet_err", "void") and p.returns_doc is None:
                raise SpecError(p.loc, f"missing documentation 'returns_doc' (needs en and zh): "
                                       f"{p.name} returns {p.returns}")
            if not p.fallible and p.errors:
                raise SpecError(_at(p, "errors"), f"{p.name} returns {p.returns}, so it cannot list error codes")
            if not p.fallible and p.impl not in ("direct", "edge") and p.closed_returns is None:
                raise SpecError(_at(p, "returns"),
                                f"{p.name} returns {p.returns}: only impl 'direct' (or a held shared proc "
                                f"with 'closed_returns') may be infallible")
            p.checks = self.checks_for(p) if p.impl in ("backend", "shared") else []
            if p.ring and p.impl not in ("backend", "edge"):
                raise SpecError(_at(p, "ring"), f"{p.name}: only backend or edge functions can be served by the ring")
            for chk in p.checks:
                if chk.error not in p.errors:
                    raise SpecError(_at(p, "errors"), f"{p.name} validates its arguments and can return {chk.error}, "
                                                      f"but its 'errors' list does not include it")
            if p.side and "CNET_EBUSY" not in p.errors:
                raise SpecError(_at(p, "errors"), f"{p.name} takes the {p.side} side ('side: {p.side}') and can "
                                                  f"return CNET_EBUSY, but its 'errors' list does not include it")
            for prm in p.params:
                if prm.on_error is not None and (not p.side or prm.pointee is None):
                    raise SpecError(_at(prm, "on_error"), f"{p.name}: 'on_error' is only for an out parameter that "
                                                          f"points to one value, in a proc with 'side:'")
                if p.side and prm.pointee in self.enum_names and prm.on_error is None:
                    raise SpecError(prm.loc, f"{p.name}: say what a CNET_EBUSY refusal stores in '{prm.name}' "
                                             f"('on_error: <a {prm.pointee} value>'): 0 may be a real answer")
        for so in m.sockopts:
            for key, ref in (("level", so.level), ("name", so.name)):
                if ref not in self.constant_names:
                    raise SpecError(_at(so, key), f"unknown constant '{ref}'"
                                    + did_you_mean(ref, self.constant_names))
            for key, ref in (("domain", so.domain), ("type", so.sock_type)):
                if ref not in self.enum_value_names:
                    raise SpecError(_at(so, key), f"unknown enum value '{ref}'"
                                    + did_you_mean(ref, self.enum_value_names))

    def checks_for(self, p):
        """Derive the API layer's argument checks from the parameter types."""
        if not p.fallible:
            return []
        checks = []
        for prm in p.params:
            base = self.base_type(prm.type)
            if (prm.is_pointer or base in self.callback_names) and not prm.nullable:
                checks.append(Check(f"{prm.name} == NULL", "CNET_EINVAL",
                                    f"{p.name}: argument '{prm.name}' must not be NULL"))
            elif not prm.is_pointer and base == "cnet_socket_handle":
                checks.append(Check(f"{prm.name} == CNET_INVALID_SOCKET", "CNET_EBADF",
                                    f"{p.name}: argument '{prm.name}' is not a valid socket handle"))
            elif not prm.is_pointer and base in self.enum_names:
                checks.append(Check(f"!cnet__{base[5:]}_is_valid({prm.name})", "CNET_EINVAL",
                                    f"{p.name}: argument '{prm.name}' is not a valid {base} value"))
            if prm.minimum is not None:
                checks.append(Check(f"{prm.name} < {prm.minimum}", "CNET_EINVAL",
                                    f"{p.name}: argument '{prm.name}' must be >= {prm.minimum}"))
            if prm.maximum is not None:
                checks.append(Check(f"{prm.name} > {prm.maximum}", "CNET_EINVAL",
                                    f"{p.name}: argument '{prm.name}' must be <= {prm.maximum}"))
        return checks


def load_spec(spec_dir, display_dir="spec"):
    return _Builder(spec_dir, display_dir).load()
