"""The typed model of the cnet spec, and its validation.

``load_spec(spec_dir)`` reads every ``*.yaml`` file of the spec directory,
builds the model below and validates it. Any mistake raises ``SpecError``
carrying ``spec/<file>.yaml:LINE``.
"""

import os
import re
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Union

from .loader import LDict, LList, Loc, SpecError, load_yaml

LANGS = ("en", "zh")

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
IMPLS = ("backend", "shared", "direct", "edge")
# How a proc that takes a `cnet_socket *` keeps another thread's close from
# releasing the descriptor under it (src/net.c, "holding a socket"): the name
# of that parameter (the generated API layer holds it for the whole call),
# "syscalls" (the implementation holds it around each system call, so calls
# served from the buffer cost nothing) or "none" (close and free themselves).
HOLDS = ("syscalls", "none")
HELD_TYPE = "cnet_socket *"
EDGE_FUNC = re.compile(r"^cnet__sys_[a-z0-9_]+$")


@dataclass
class Doc:
    en: str
    zh: str

    def get(self, lang):
        return getattr(self, lang)


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

    @property
    def is_pointer(self):
        return self.type.rstrip().endswith("*")


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
    module: "Module" = None
    checks: List[Check] = field(default_factory=list)

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


def _require(node, key, where, kind=None):
    if not isinstance(node, dict) or key not in node:
        raise SpecError(_loc(node, where), f"missing required key '{key}'")
    value = node[key]
    if kind is not None and not isinstance(value, kind):
        raise SpecError(_loc(node, where), f"'{key}' must be {_kind_name(kind)}")
    return value


def _kind_name(kind):
    names = {str: "a string", list: "a list", dict: "a mapping", int: "an integer", bool: "a boolean"}
    if isinstance(kind, tuple):
        return " or ".join(names.get(k, k.__name__) for k in kind)
    return names.get(kind, kind.__name__)


def _check_keys(node, allowed, what):
    for key in node:
        if key not in allowed:
            raise SpecError(node.loc, f"unknown key '{key}' in {what}")


def _doc(node, key, where, required=True):
    if key not in node or node[key] is None:
        if required:
            raise SpecError(_loc(node, where), f"missing documentation '{key}' (needs en and zh)")
        return None
    value = node[key]
    if not isinstance(value, dict):
        raise SpecError(_loc(node, where), f"'{key}' must be a mapping with 'en' and 'zh'")
    for lang in LANGS:
        text = value.get(lang)
        if not isinstance(text, str) or not text.strip():
            raise SpecError(_loc(value, _loc(node, where)),
                            f"missing documentation '{key}' in language '{lang}'")
    for lang in value:
        if lang not in LANGS:
            raise SpecError(value.loc, f"unknown language '{lang}' in '{key}' (use en, zh)")
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
    raise SpecError(node.loc, "'nim' must be a string, a list of strings or null")


def _ident(node, key, pattern, what):
    name = _require(node, key, node.loc, str)
    if not pattern.match(name):
        raise SpecError(node.loc, f"{what} name '{name}' does not match {pattern.pattern}")
    return name


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
        _check_keys(pdata, {"platforms", "backends", "platform_types"}, "the platform file")
        self.platforms = [self.platform(n) for n in _require(pdata, "platforms", pdata.loc, list)]
        self.platform_names = [p.name for p in self.platforms]
        self.backends = [self.backend(n) for n in _require(pdata, "backends", pdata.loc, list)]
        self.platform_types = [self.platform_type(n) for n in pdata.get("platform_types") or []]

        edata = docs[error_file]
        _check_keys(edata, {"errors"}, "the error file")
        self.errors = [self.error_code(n) for n in _require(edata, "errors", edata.loc, list)]
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
        self.constant_names = {c.name for m in modules for c in m.constants}
        self.enum_value_names = {v.name for m in modules for e in m.enums for v in e.values}
        for m in modules:
            self.check_module(m)
        modules.sort(key=lambda m: m.name)
        differences = []
        if differences_file is not None:
            ddata = docs[differences_file]
            _check_keys(ddata, {"differences"}, "the differences file")
            dlist = _require(ddata, "differences", ddata.loc, list)
            differences = [self.difference(n, dlist.loc) for n in dlist]
        return Spec(self.platforms, self.backends, self.platform_types, self.errors,
                    modules, error_file, platform_file, differences, differences_file)

    # --- differences file
    def difference(self, node, where):
        if not isinstance(node, dict):
            raise SpecError(where, "a difference must be a mapping")
        _check_keys(node, {"id", "title", "text", "see"}, "a difference")
        ident = _require(node, "id", node.loc, str)
        if not re.match(r"^[a-z0-9]+(-[a-z0-9]+)*$", ident):
            raise SpecError(node.loc, f"difference id '{ident}' must be lowercase words joined by '-'")
        self.claim("difference:" + ident, node.loc)
        see = node.get("see") or []
        if not isinstance(see, list):
            raise SpecError(node.loc, "'see' must be a list")
        for name in see:
            if (name not in self.names or ":" in name) and name != "cnet_err":
                raise SpecError(node.loc, f"'see' names unknown entry '{name}'")
        return Difference(ident, _doc(node, "title", node.loc), _doc(node, "text", node.loc),
                          list(see), node.loc)

    # --- platform file
    def platform(self, node):
        _check_keys(node, {"name", "condition", "title", "defines", "includes"}, "a platform")
        name = _ident(node, "name", IDENT, "platform")
        self.claim("platform:" + name, node.loc)
        includes = node.get("includes") or []
        defines = {k: ("" if v is None else str(v)) for k, v in (node.get("defines") or {}).items()}
        return Platform(name, _require(node, "condition", node.loc, str),
                        _doc(node, "title", node.loc), defines, list(includes), node.loc)

    def backend(self, node):
        _check_keys(node, {"name", "platforms", "error_domains", "tables", "summary"}, "a backend")
        name = _ident(node, "name", IDENT, "backend")
        self.claim("backend:" + name, node.loc)
        plats = _require(node, "platforms", node.loc, list)
        for p in plats:
            if p not in self.platform_names:
                raise SpecError(node.loc, f"backend '{name}' names unknown platform '{p}'")
        domains = _require(node, "error_domains", node.loc, list)
        return Backend(name, list(plats), list(domains), node.get("tables", name),
                       _doc(node, "summary", node.loc), node.loc)

    def per_platform(self, node, key, restrict=None, kind=int):
        """A value that is either one scalar or a mapping platform -> value."""
        value = _require(node, key, node.loc)
        allowed = restrict or self.platform_names
        if isinstance(value, dict):
            for p, v in value.items():
                if p not in self.platform_names:
                    raise SpecError(_loc(value, node.loc), f"bad per-platform value: unknown platform '{p}'")
                if p not in allowed:
                    raise SpecError(_loc(value, node.loc),
                                    f"bad per-platform value: platform '{p}' is not in this entry's platforms")
                if not isinstance(v, kind) or isinstance(v, bool):
                    raise SpecError(_loc(value, node.loc),
                                    f"bad per-platform value for '{p}': expected {_kind_name(kind)}, got {v!r}")
            missing = [p for p in allowed if p not in value]
            if missing:
                raise SpecError(_loc(value, node.loc),
                                f"bad per-platform value: no value for platform(s) {', '.join(missing)}")
            return dict(value)
        if not isinstance(value, kind) or isinstance(value, bool):
            raise SpecError(node.loc, f"'{key}' must be {_kind_name(kind)} or a per-platform mapping")
        return {p: value for p in allowed}

    def platform_type(self, node):
        _check_keys(node, {"type", "nim", "c", "invalid", "summary"}, "a platform type")
        name = _ident(node, "type", PUBLIC_TYPE, "type")
        self.claim(name, node.loc)
        return PlatformType(name, (_nim_names(node) or [None])[0],
                            self.per_platform(node, "c", kind=str),
                            self.per_platform(node, "invalid", kind=str) if "invalid" in node else {},
                            _doc(node, "summary", node.loc), node.loc)

    # --- error file
    def error_code(self, node):
        _check_keys(node, {"name", "value", "message", "os", "disconnection", "nim"}, "an error code")
        name = _ident(node, "name", PUBLIC_CONST, "error")
        self.claim(name, node.loc)
        value = _require(node, "value", node.loc, int)
        if value < 0:
            raise SpecError(node.loc, f"error value of {name} must be >= 0")
        os_map = node.get("os") or {}
        domains = {d for b in self.backends for d in b.error_domains}
        for d, names in os_map.items():
            if d not in domains:
                raise SpecError(_loc(os_map, node.loc), f"unknown error domain '{d}' (known: {', '.join(sorted(domains))})")
            if not isinstance(names, list) or not all(isinstance(n, str) and IDENT.match(n) for n in names):
                raise SpecError(_loc(os_map, node.loc), f"error domain '{d}' must list OS error macro names")
        disc = node.get("disconnection") or []
        for b in disc:
            if b not in [x.name for x in self.backends]:
                raise SpecError(node.loc, f"'disconnection' names unknown backend '{b}'")
        return ErrorCode(name, value, _doc(node, "message", node.loc),
                         {k: list(v) for k, v in os_map.items()}, list(disc),
                         (_nim_names(node) or [None])[0] if "nim" in node else None, node.loc)

    # --- module files
    def module(self, data, display):
        _check_keys(data, {"module", "header", "includes", "nim", "summary", "description", "constants",
                           "macros", "enums", "types", "procs", "sockopts"}, "a module")
        m = Module(
            name=_ident(data, "module", IDENT, "module"),
            file=display,
            header=_require(data, "header", data.loc, str),
            includes=list(data.get("includes") or []),
            nim=(_nim_names(data) or [None])[0],
            summary=_doc(data, "summary", data.loc),
            description=_doc(data, "description", data.loc, required=False),
            constants=[], macros=[], enums=[], types=[], procs=[], sockopts=[], loc=data.loc)
        for n in data.get("constants") or []:
            c = self.constant(n)
            c.module = m
            m.constants.append(c)
        for n in data.get("macros") or []:
            _check_keys(n, {"macro", "nim", "params", "body", "summary"}, "a macro")
            name = _ident(n, "macro", PUBLIC_CONST, "macro")
            self.claim(name, n.loc)
            mac = Macro(name, (_nim_names(n) or [None])[0], list(n.get("params") or []),
                        _require(n, "body", n.loc, str), _doc(n, "summary", n.loc), n.loc, m)
            m.macros.append(mac)
        for n in data.get("enums") or []:
            e = self.enum(n)
            e.module = m
            m.enums.append(e)
        for n in data.get("types") or []:
            t = self.typedef(n)
            t.module = m
            m.types.append(t)
        for n in data.get("procs") or []:
            p = self.proc(n)
            p.module = m
            m.procs.append(p)
        for n in data.get("sockopts") or []:
            m.sockopts.append(self.sockopt(n))
        return m

    def entry_platforms(self, node):
        plats = node.get("platforms")
        if plats is None:
            return None
        if not isinstance(plats, list) or not plats:
            raise SpecError(node.loc, "'platforms' must be a non-empty list")
        for p in plats:
            if p not in self.platform_names:
                raise SpecError(node.loc, f"unknown platform '{p}'")
        return list(plats)

    def constant(self, node):
        _check_keys(node, {"const", "nim", "type", "value", "os", "summary", "platforms"}, "a constant")
        name = _ident(node, "const", PUBLIC_CONST, "constant")
        self.claim(name, node.loc)
        return Constant(name, (_nim_names(node) or [None])[0], node.get("type", "int"),
                        self.per_platform(node, "value", self.entry_platforms(node)),
                        node.get("os"), _doc(node, "summary", node.loc), node.loc)

    def enum(self, node):
        _check_keys(node, {"enum", "nim", "summary", "description", "values", "os_values"}, "an enum")
        name = _ident(node, "enum", PUBLIC_TYPE, "enum")
        self.claim(name, node.loc)
        nim = (_nim_names(node) or [None])[0]
        values = []
        for v in _require(node, "values", node.loc, list):
            _check_keys(v, {"name", "nim", "value", "os", "summary"}, "an enum value")
            vname = _ident(v, "name", PUBLIC_CONST, "enum value")
            self.claim(vname, v.loc)
            values.append(EnumValue(vname, (_nim_names(v) or [None])[0],
                                    self.per_platform(v, "value"), v.get("os"),
                                    _doc(v, "summary", v.loc), v.loc))
        if not values:
            raise SpecError(node.loc, f"enum {name} has no values")
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

    def typedef(self, node):
        _check_keys(node, {"type", "nim", "kind", "fields", "params", "returns", "summary", "description"},
                    "a type")
        name = _ident(node, "type", PUBLIC_TYPE, "type")
        self.claim(name, node.loc)
        kind = node.get("kind", "struct")
        if kind not in ("struct", "opaque", "callback"):
            raise SpecError(node.loc, f"type kind must be struct, opaque or callback, not '{kind}'")
        if kind != "callback" and ("params" in node or "returns" in node):
            raise SpecError(node.loc, f"only a callback type has 'params' and 'returns'")
        if kind == "callback" and "fields" in node:
            raise SpecError(node.loc, f"a callback type has 'params', not 'fields'")
        fields = []
        for f in node.get("params" if kind == "callback" else "fields") or []:
            _check_keys(f, {"name", "type", "doc"}, "a field")
            fields.append(Field(_ident(f, "name", IDENT, "field"), _require(f, "type", f.loc, str),
                                _doc(f, "doc", f.loc), f.loc))
        if kind == "struct" and not fields:
            raise SpecError(node.loc, f"struct {name} has no fields")
        return TypeDef(name, (_nim_names(node) or [None])[0], kind, fields,
                       _doc(node, "summary", node.loc),
                       _doc(node, "description", node.loc, required=False), node.loc,
                       returns=node.get("returns", "void"))

    def proc(self, node):
        _check_keys(node, {"proc", "nim", "summary", "description", "differs", "params", "returns",
                           "returns_doc", "errors", "impl", "platforms", "example", "since", "ring", "hold"},
                    "a proc")
        impl = node.get("impl", "backend")
        name = _ident(node, "proc", EDGE_FUNC if impl == "edge" else PUBLIC_FUNC,
                      "edge function" if impl == "edge" else "proc")
        self.claim(name, node.loc)
        params = []
        seen = set()
        for p in node.get("params") or []:
            _check_keys(p, {"name", "type", "doc", "default", "nullable", "min", "max", "dir"}, "a parameter")
            pname = _ident(p, "name", IDENT, "parameter")
            if pname in seen:
                raise SpecError(p.loc, f"duplicate parameter '{pname}' in {name}")
            seen.add(pname)
            direction = p.get("dir", "in")
            if direction not in ("in", "out", "inout"):
                raise SpecError(p.loc, f"'dir' must be in, out or inout, not '{direction}'")
            default = p.get("default")
            params.append(Param(pname, _require(p, "type", p.loc, str), _doc(p, "doc", p.loc),
                                None if default is None else str(default),
                                bool(p.get("nullable", False)), p.get("min"), p.get("max"),
                                direction, p.loc))
        returns = node.get("returns", "cnet_err")
        if impl not in IMPLS:
            raise SpecError(node.loc, f"'impl' must be one of {', '.join(IMPLS)}, not '{impl}'")
        errors = node.get("errors") or []
        if not isinstance(errors, list):
            raise SpecError(node.loc, "'errors' must be a list")
        example = node.get("example")
        if example is not None and (not isinstance(example, str) or not example.strip()):
            raise SpecError(node.loc, "'example' must be a non-empty string of C statements")
        if example is not None and impl == "edge":
            raise SpecError(node.loc, f"{name} is an internal edge function: it has no reference entry for an example")
        return Proc(name, _nim_names(node), _doc(node, "summary", node.loc),
                    _doc(node, "description", node.loc, required=False),
                    _doc(node, "differs", node.loc, required=False),
                    params, returns,
                    _doc(node, "returns_doc", node.loc, required=returns not in ("cnet_err", "void")),
                    list(errors), impl, self.entry_platforms(node) or list(self.platform_names),
                    example.strip("\n") if example else None, bool(node.get("ring", False)), node.loc,
                    hold=self.hold_of(node, name, impl, returns, params))

    @staticmethod
    def hold_of(node, name, impl, returns, params):
        hold = node.get("hold")
        held = [p for p in params if p.type.strip() == HELD_TYPE]
        if hold is None:
            if held and impl in ("shared", "backend"):
                raise SpecError(node.loc, f"{name} takes a socket: say how it is held ('hold: {held[0].name}', "
                                          f"'hold: syscalls' or 'hold: none')")
            return None
        if not isinstance(hold, str):
            raise SpecError(node.loc, "'hold' must be a parameter name, 'syscalls' or 'none'")
        if hold in HOLDS:
            return hold
        target = next((p for p in params if p.name == hold), None)
        if target is None or target.type.strip() != HELD_TYPE:
            raise SpecError(node.loc, f"{name}: 'hold: {hold}' must name a parameter of type '{HELD_TYPE}'")
        if impl != "shared" or returns != "cnet_err":
            raise SpecError(node.loc, f"{name}: only shared procs returning cnet_err can be held by the API layer")
        return hold

    def sockopt(self, node):
        _check_keys(node, {"level", "name", "domain", "type", "set", "expect", "skip"}, "a sockopt")
        expect = node.get("expect", "eq")
        if expect not in ("eq", "ge", "bool"):
            raise SpecError(node.loc, "'expect' must be eq, ge or bool")
        skip = node.get("skip") or {}
        if not isinstance(skip, dict):
            raise SpecError(node.loc, "'skip' must map platforms to reasons")
        for plat, why in skip.items():
            if plat not in self.platform_names:
                raise SpecError(node.loc, f"'skip' names unknown platform '{plat}'")
            if not isinstance(why, str) or not why.strip():
                raise SpecError(node.loc, f"'skip' for '{plat}' needs a reason")
        return SockOpt(_require(node, "level", node.loc, str), _require(node, "name", node.loc, str),
                       node.get("domain", "CNET_AF_INET"), node.get("type", "CNET_SOCK_STREAM"),
                       _require(node, "set", node.loc, int), expect, dict(skip), node.loc)

    # --- cross-reference checks
    def base_type(self, ctype):
        t = re.sub(r"\[[0-9]+\]$", "", ctype.strip()).replace("*", " ").split()
        t = [w for w in t if w not in ("const", "restrict", "volatile")]
        return " ".join(t)

    def check_type(self, ctype, loc):
        base = self.base_type(ctype)
        if base not in self.known_types:
            raise SpecError(loc, f"unknown type '{ctype}'")

    def check_module(self, m):
        for c in m.constants:
            if c.type not in ("int", "long", "unsigned", "unsigned long"):
                raise SpecError(c.loc, f"constant type must be an integer type, not '{c.type}'")
        for t in m.types:
            for f in t.fields:
                self.check_type(f.type, f.loc)
            if t.returns != "void":
                self.check_type(t.returns, t.loc)
        for p in m.procs:
            for prm in p.params:
                self.check_type(prm.type, prm.loc)
                for k in ("min", "max"):
                    v = getattr(prm, "minimum" if k == "min" else "maximum")
                    if v is not None and not isinstance(v, int):
                        raise SpecError(prm.loc, f"'{k}' must be an integer")
                if prm.direction in ("out", "inout") and not prm.is_pointer:
                    raise SpecError(prm.loc, f"out parameter '{prm.name}' must be a pointer")
            if p.returns != "void":
                self.check_type(p.returns, p.loc)
            for e in p.errors:
                if e not in self.error_names:
                    raise SpecError(p.loc, f"unknown error code '{e}' in {p.name}")
            if not p.fallible and p.errors:
                raise SpecError(p.loc, f"{p.name} returns {p.returns}, so it cannot list error codes")
            if not p.fallible and p.impl not in ("direct", "edge"):
                raise SpecError(p.loc, f"{p.name} returns {p.returns}: only impl 'direct' may be infallible")
            p.checks = self.checks_for(p) if p.impl in ("backend", "shared") else []
            if p.ring and p.impl not in ("backend", "edge"):
                raise SpecError(p.loc, f"{p.name}: only backend or edge functions can be served by the ring")
            for chk in p.checks:
                if chk.error not in p.errors:
                    raise SpecError(p.loc, f"{p.name} validates its arguments and can return {chk.error}, "
                                           f"but its 'errors' list does not include it")
        for so in m.sockopts:
            for ref in (so.domain, so.sock_type):
                if ref not in self.enum_value_names:
                    raise SpecError(so.loc, f"unknown enum value '{ref}'")
            for ref in (so.level, so.name):
                if ref not in self.constant_names:
                    raise SpecError(so.loc, f"unknown constant '{ref}'")

    def checks_for(self, p):
        """Derive the API layer's argument checks from the parameter types."""
        if not p.fallible:
            return []
        checks = []
        for prm in p.params:
            base = self.base_type(prm.type)
            if prm.is_pointer and not prm.nullable:
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
