"""The spec's vocabulary: every kind of entry the loader accepts, every key of
each, and what it means.

This table is the only list of spec keys. The validator (model.py) rejects a
key that is not declared here and requires the keys declared required; the
reference page `generated/docs/{en,zh}/spec-keys.md` is rendered from it. A
key cannot be accepted without being documented, nor documented without
being accepted.

Shapes are written in a small YAML-like notation that needs no translation:
`str`, `int`, `bool`, `[str]` (a list), `{en, zh}` (documentation in both
languages), `{platform: int}` (a mapping from platform names), `A | B`.
"""

import difflib
from dataclasses import dataclass
from typing import Optional, Tuple, Union

LANGS = ("en", "zh")


@dataclass
class Doc:
    en: str
    zh: str

    def get(self, lang):
        return getattr(self, lang)


DOC = "{en, zh}"  # the shape of every documentation key

# The implementations a proc can have (see the 'impl' key below).
IMPLS = ("backend", "shared", "direct", "edge")
# The non-parameter answers of 'hold' (see the 'hold' key below).
HOLDS = ("syscalls", "none")
SIDES = ("read", "write")
HELD_TYPE = "cnet_socket *"


@dataclass(frozen=True)
class Key:
    name: str
    shape: str                              # see the module docstring
    doc: Doc
    required: Union[bool, Doc] = False      # a Doc: required under that condition
    values: Tuple[str, ...] = ()            # the accepted values when they are a fixed set;
                                            # "<parameter>" stands for a name of the entry's own
    default: Union[None, str, bool, Doc] = None  # a Doc when the default is not a literal
    entries: Optional[str] = None           # the EntryKind.id of the list's items


@dataclass(frozen=True)
class EntryKind:
    id: str              # anchor on the reference page
    what: str            # how error messages name it: "unknown key 'x' in a proc"
    title: Doc
    where: Doc           # where it is written and what it declares
    keys: Tuple[Key, ...]

    @property
    def names(self):
        return [k.name for k in self.keys]

    def key(self, name):
        return next(k for k in self.keys if k.name == name)


def did_you_mean(name, candidates):
    """'; did you mean 'X'?' naming the known name closest to `name`, or ''."""
    if not isinstance(name, str):
        return ""
    candidates = sorted({c for c in candidates if isinstance(c, str)})
    folded = {c.lower(): c for c in candidates}
    if name.lower() in folded and folded[name.lower()] != name:
        return f"; did you mean '{folded[name.lower()]}'?"
    # Compare without the cnet_ prefix every name shares, or CNET_ENOPE would
    # look close to CNET_OK.
    bare = {_unprefixed(c): c for c in folded}
    close = difflib.get_close_matches(_unprefixed(name.lower()), list(bare), n=1, cutoff=0.6)
    return f"; did you mean '{folded[bare[close[0]]]}'?" if close else ""


def _unprefixed(name):
    for prefix in ("cnet__sys_", "cnet__", "cnet_"):
        if name.startswith(prefix) and len(name) > len(prefix):
            return name[len(prefix):]
    return name


# ------------------------------------------------------- keys shared by kinds

def _nim(en_extra="", zh_extra=""):
    return Key("nim", "str | null", Doc(
        "The Nim name it ports, or `null` for a cnet addition (the reference then says so)." + en_extra,
        "它移植的 Nim 名称；cnet 新增的项写 `null`（参考手册会注明）。" + zh_extra), required=True)


def _summary(en, zh):
    return Key("summary", DOC, Doc(en, zh), required=True)


_DESCRIPTION = Key("description", DOC, Doc(
    "Longer prose shown after the summary, in the header comment and the reference.",
    "显示在摘要之后的较长说明，出现在头文件注释和参考手册中。"))

_EVERY_PLATFORM = Doc("every platform", "所有平台")


def _platforms(en, zh):
    return Key("platforms", "[str]", Doc(
        en + " Names of platforms declared in the platform file.",
        zh + "取值为平台文件中声明的平台名。"), default=_EVERY_PLATFORM)


_PER_PLATFORM_INT = "int | {platform: int}"
_VALUE_DOC = Doc(
    "The value: one integer, or a mapping with one integer for each platform of the entry.",
    "取值：一个整数，或为该项的每个平台各给一个整数的映射。")

_C_TYPE = Doc(
    "A C type made of known type names: a C builtin (see \"Known types\"), `cnet_err`, a platform "
    "type or a type or enum of any module, with `const` and `*` as needed, or an array such as "
    "`uint8_t[16]`.",
    "由已知类型名构成的 C 类型：C 内建类型（见“已知类型”）、`cnet_err`、平台类型或任一模块的类型或枚举，"
    "可按需加 `const` 和 `*`，也可以是 `uint8_t[16]` 这样的数组。")


# ----------------------------------------------------------- the module file

MODULE = EntryKind("module", "a module", Doc("Module file", "模块文件"), Doc(
    "Every spec file that declares none of `platforms`, `errors` and `differences` is one module: "
    "one public header, one API source (`src/api_<module>.c`) and one reference page per language.",
    "凡是不声明 `platforms`、`errors`、`differences` 的规格文件都是一个模块：对应一个公共头文件、"
    "一个 API 源文件（`src/api_<module>.c`），以及每种语言一页参考文档。"), (
    Key("module", "str", Doc(
        "The module's name, a C identifier: it names `src/api_<module>.c` and the page `<module>.md`.",
        "模块名，须为 C 标识符：用于命名 `src/api_<module>.c` 和页面 `<module>.md`。"), required=True),
    Key("header", "str", Doc(
        "The public header generated for it, relative to `include/` (`cnet/net.h`); `cnet/cnet.h` "
        "includes it.",
        "为它生成的公共头文件，相对于 `include/`（如 `cnet/net.h`）；`cnet/cnet.h` 会包含它。"),
        required=True),
    Key("includes", "[str]", Doc(
        "Headers the generated header includes first, such as another module's header whose types "
        "it uses.",
        "生成的头文件先行包含的头文件，例如它用到其类型的另一个模块的头文件。")),
    _nim(" Here: the Nim module (`net`, `nativesockets`).", "这里指 Nim 模块（`net`、`nativesockets`）。"),
    _summary("One sentence on what the module is for; it opens the module's page and its row of the "
             "index.",
             "一句话说明模块的用途；它是模块页面的开头，也出现在索引的模块表中。"),
    _DESCRIPTION,
    Key("constants", "[constant]", Doc("Its integer constants.", "它的整数常量。"), entries="constant"),
    Key("macros", "[macro]", Doc("Its function-like macros.", "它的带参数宏。"), entries="macro"),
    Key("enums", "[enum]", Doc("Its enums.", "它的枚举。"), entries="enum"),
    Key("types", "[type]", Doc("Its structs, opaque types and callback types.",
                               "它的结构体、不透明类型和回调类型。"), entries="type"),
    Key("procs", "[proc]", Doc("Its functions, public ones and internal edge primitives.",
                               "它的函数：公共函数和内部边缘原语。"), entries="proc"),
    Key("sockopts", "[sockopt]", Doc(
        "Socket options that get a generated get/set round-trip test (`tests/sockopts.c`).",
        "会生成读写往返测试（`tests/sockopts.c`）的套接字选项。"), entries="sockopt"),
))

CONSTANT = EntryKind("constant", "a constant", Doc("Constant", "常量"), Doc(
    "An item of a module's `constants`: a `#define` of an integer, which may differ per platform.",
    "模块 `constants` 列表的一项：一个整数的 `#define`，各平台的值可以不同。"), (
    Key("const", "str", Doc("The macro's name: `CNET_` and capitals.", "宏名：`CNET_` 加大写字母。"),
        required=True),
    _nim(),
    Key("type", "str", Doc(
        "The C type of the value; it chooses the literal's suffix (`L`, `U`, `UL`).",
        "值的 C 类型；决定字面量的后缀（`L`、`U`、`UL`）。"),
        values=("int", "long", "unsigned", "unsigned long"), default="int"),
    Key("value", _PER_PLATFORM_INT, _VALUE_DOC, required=True),
    Key("os", "str", Doc(
        "The OS macro with the same value (`SOMAXCONN`): each backend's tables assert at compile time "
        "that both agree wherever both exist.",
        "与之取值相同的操作系统宏（如 `SOMAXCONN`）：各后端的表在编译时断言两者在都存在的平台上一致。")),
    _summary("One sentence; the constant's row in the reference.", "一句话；参考手册中该常量的那一行。"),
    _platforms("Declared only on these platforms (inside `#if`).", "只在这些平台上声明（位于 `#if` 之内）。"),
))

MACRO = EntryKind("macro", "a macro", Doc("Macro", "宏"), Doc(
    "An item of a module's `macros`: a function-like `#define`.",
    "模块 `macros` 列表的一项：一个带参数的 `#define`。"), (
    Key("macro", "str", Doc("The macro's name: `CNET_` and capitals.", "宏名：`CNET_` 加大写字母。"),
        required=True),
    _nim(),
    Key("params", "[str]", Doc("The macro's parameter names.", "宏的参数名。")),
    Key("body", "str", Doc("The replacement text, as C.", "替换文本，用 C 书写。"), required=True),
    _summary("One sentence; the macro's reference entry.", "一句话；该宏的参考条目。"),
))

ENUM = EntryKind("enum", "an enum", Doc("Enum", "枚举"), Doc(
    "An item of a module's `enums`: a C enum, with a generated validity check "
    "(`cnet__<name>_is_valid`) that the API layer applies to every parameter of its type.",
    "模块 `enums` 列表的一项：一个 C 枚举，并生成有效性检查（`cnet__<name>_is_valid`），"
    "API 层对该类型的每个参数都会进行检查。"), (
    Key("enum", "str", Doc("The type's name: `cnet_` and lowercase words.", "类型名：`cnet_` 加小写单词。"),
        required=True),
    _nim(),
    _summary("One sentence; opens the enum's reference entry.", "一句话；该枚举参考条目的开头。"),
    _DESCRIPTION,
    Key("values", "[enum value]", Doc("The values, at least one.", "枚举值，至少一个。"), required=True,
        entries="enum_value"),
    Key("os_values", "bool", Doc(
        "The numbers are the operating system's own constants, per platform; the reference says so.",
        "这些数值就是各平台操作系统自己的常量；参考手册会说明这一点。"), default=False),
))

ENUM_VALUE = EntryKind("enum_value", "an enum value", Doc("Enum value", "枚举值"), Doc(
    "An item of an enum's `values`.", "枚举 `values` 列表的一项。"), (
    Key("name", "str", Doc("The value's name: `CNET_` and capitals.", "枚举值名：`CNET_` 加大写字母。"),
        required=True),
    _nim(),
    Key("value", _PER_PLATFORM_INT, Doc(
        _VALUE_DOC.en + " No two values of an enum may be equal on a platform.",
        _VALUE_DOC.zh + "同一枚举的两个值在任何平台上都不能相等。"), required=True),
    Key("os", "str", Doc(
        "The OS constant it stands for (`AF_INET`): the backend tables translate both ways "
        "(`cnet__<enum>_to_os`, `cnet__<enum>_from_os`). Either every value of an enum has one or none.",
        "它代表的操作系统常量（如 `AF_INET`）：后端的表双向转换（`cnet__<enum>_to_os`、"
        "`cnet__<enum>_from_os`）。一个枚举要么每个值都有，要么都没有。")),
    _summary("One sentence; the value's row in the reference.", "一句话；参考手册中该值的那一行。"),
))

TYPE = EntryKind("type", "a type", Doc("Type", "类型"), Doc(
    "An item of a module's `types`: a struct, an opaque type or a callback type.",
    "模块 `types` 列表的一项：结构体、不透明类型或回调类型。"), (
    Key("type", "str", Doc("The type's name: `cnet_` and lowercase words.", "类型名：`cnet_` 加小写单词。"),
        required=True),
    _nim(),
    Key("kind", "str", Doc(
        "`struct`: a struct with public fields. `opaque`: declared only, used through pointers. "
        "`callback`: a pointer to a function.",
        "`struct`：字段公开的结构体。`opaque`：只声明，通过指针使用。`callback`：函数指针。"),
        values=("struct", "opaque", "callback"), default="struct"),
    Key("fields", "[field]", Doc("A struct's members, in order.", "结构体的成员，按顺序。"),
        required=Doc("when `kind` is `struct` (at least one; only there)", "当 `kind` 为 `struct` 时（至少一个；也只能用于此）"),
        entries="field"),
    Key("params", "[field]", Doc("A callback's parameters, in order.", "回调的参数，按顺序。"),
        required=Doc("only for `kind: callback`", "仅用于 `kind: callback`"), entries="field"),
    Key("returns", "str", Doc("A callback's return type.", "回调的返回类型。"),
        required=Doc("only for `kind: callback`", "仅用于 `kind: callback`"), default="void"),
    _summary("One sentence; opens the type's reference entry.", "一句话；该类型参考条目的开头。"),
    _DESCRIPTION,
))

FIELD = EntryKind("field", "a field", Doc("Field or callback parameter", "字段或回调参数"), Doc(
    "An item of a type's `fields` (a struct member) or `params` (a callback's parameter).",
    "类型 `fields`（结构体成员）或 `params`（回调参数）列表的一项。"), (
    Key("name", "str", Doc("Its C name.", "它的 C 名称。"), required=True),
    Key("type", "str", _C_TYPE, required=True),
    Key("doc", DOC, Doc("What it holds.", "它保存什么。"), required=True),
))

PROC = EntryKind("proc", "a proc", Doc("Proc", "函数（proc）"), Doc(
    "An item of a module's `procs`: a public function (its prototype, doc comment, argument checks, "
    "backend dispatch and reference entries are generated) or, with `impl: edge`, an internal "
    "primitive every backend defines.",
    "模块 `procs` 列表的一项：一个公共函数（生成其原型、文档注释、参数检查、后端分派和参考条目），"
    "或者在 `impl: edge` 时，是每个后端都要定义的内部原语。"), (
    Key("proc", "str", Doc(
        "The C name: `cnet_` and lowercase words; with `impl: edge`, `cnet__sys_` and lowercase words.",
        "C 名称：`cnet_` 加小写单词；`impl: edge` 时为 `cnet__sys_` 加小写单词。"), required=True),
    Key("nim", "str | [str] | null", Doc(
        "The Nim proc it ports, several when one C function stands for Nim overloads, or `null` for "
        "a cnet addition. A name with a dot (`asyncdispatch.poll`) names its Nim module itself; "
        "otherwise the module's `nim` is put in front.",
        "它移植的 Nim proc；一个 C 函数对应多个 Nim 重载时写多个；cnet 新增的写 `null`。带点的名称"
        "（`asyncdispatch.poll`）自己指明 Nim 模块；否则在前面加上模块的 `nim`。"), required=True),
    _summary("One sentence; opens the header comment and the reference entry.",
             "一句话；头文件注释和参考条目的开头。"),
    _DESCRIPTION,
    Key("differs", DOC, Doc(
        "How and why it departs from Nim; also collected on the \"Differences from Nim\" page.",
        "它与 Nim 有何不同以及原因；也汇总在“与 Nim 的不同”页面中。")),
    Key("params", "[param]", Doc("The parameters, in C order.", "参数，按 C 的顺序。"), entries="param"),
    Key("returns", "str", Doc(
        "The C return type. Anything but `cnet_err` makes it infallible: it lists no `errors` and "
        "its `impl` is `direct` or `edge`.",
        "C 返回类型。不是 `cnet_err` 的函数不会失败：不能列出 `errors`，且 `impl` 须为 `direct` 或 `edge`。"),
        default="cnet_err"),
    Key("returns_doc", DOC, Doc("What the returned value means.", "返回值的含义。"),
        required=Doc("when `returns` is neither `cnet_err` nor `void`",
                     "当 `returns` 既不是 `cnet_err` 也不是 `void` 时")),
    Key("errors", "[str]", Doc(
        "Every error code it can return, by name (codes of the error file). It must include the "
        "codes of the argument checks derived from its parameters: `CNET_EINVAL` for a NULL pointer "
        "that is not `nullable`, a value outside `min`/`max` or an invalid enum value; `CNET_EBADF` "
        "for `CNET_INVALID_SOCKET`.",
        "它可能返回的每个错误码的名称（错误文件中的错误码）。必须包含由参数推导出的参数检查可能返回的错误码："
        "非 `nullable` 的指针为 NULL、数值超出 `min`/`max` 或枚举值无效时为 `CNET_EINVAL`；"
        "句柄为 `CNET_INVALID_SOCKET` 时为 `CNET_EBADF`。")),
    Key("impl", "str", Doc(
        "Who implements it. `backend`: the generated API layer checks the arguments, then calls "
        "`cnet__sys_<name>` with the same signature, which every backend defines in its edge. "
        "`shared`: the same checks, then `cnet__<name>`, written once in `src/`. `direct`: only the "
        "prototype is generated; `src/` defines the public function itself, without generated checks "
        "(infallible helpers such as `cnet_strerror`). `edge`: an internal primitive the shared code "
        "calls, named `cnet__sys_*`, declared in `src/backend.h` and defined by every backend; no "
        "public symbol, no reference entry.",
        "由谁实现。`backend`：生成的 API 层检查参数，然后调用签名相同的 `cnet__sys_<name>`，"
        "每个后端都在自己的边缘代码中定义它。`shared`：同样的检查，然后调用在 `src/` 中只写一次的 "
        "`cnet__<name>`。`direct`：只生成原型；公共函数本身由 `src/` 定义，没有生成的检查"
        "（如 `cnet_strerror` 这类不会失败的辅助函数）。`edge`：共享代码调用的内部原语，名为 "
        "`cnet__sys_*`，在 `src/backend.h` 中声明，由每个后端定义；没有公共符号，也没有参考条目。"),
        values=IMPLS, default="backend"),
    _platforms("The function exists only on these platforms: its prototype, API function and backend "
               "prototype are inside `#if`.",
               "函数只存在于这些平台：其原型、API 函数和后端原型都位于 `#if` 之内。"),
    Key("example", "str", Doc(
        "C statements that use it, shown in the reference; the docs suite compiles them as the body "
        "of a function. Not for `impl: edge`.",
        "使用它的 C 语句，显示在参考手册中；docs 测试套件把它们作为函数体编译。不用于 `impl: edge`。")),
    Key("since", "str | float", Doc(
        "The cnet version that added it, such as `0.1`. Checked, but no output shows it yet.",
        "加入它的 cnet 版本，如 `0.1`。会被检查，但目前没有任何输出显示它。")),
    Key("ring", "bool", Doc(
        "On the io_uring backend, it is served by the ring: the io_uring edge "
        "(`backends/io_uring/edge_io.c`) defines it, and its POSIX fallback (`cnet__posix_<name>` in "
        "the POSIX I/O edge, `backends/posix/edge_io.c`, which the posix backend's `cnet__sys_<name>` "
        "calls too: `backends/posix/sys_io.c`) serves the calls the ring cannot. Only for `impl: backend` and `impl: edge`.",
        "在 io_uring 后端上，它经由环（ring）完成：io_uring 边缘（`backends/io_uring/edge_io.c`）定义它，"
        "它的 POSIX 回退（POSIX I/O 边缘 `backends/posix/edge_io.c` 中的 `cnet__posix_<name>`，"
        "posix 后端的 `cnet__sys_<name>` 也调用它：`backends/posix/sys_io.c`）处理环无法完成的调用。仅用于 `impl: backend` 和 `impl: edge`。"), default=False),
    Key("hold", "str", Doc(
        "How a call keeps another thread's `cnet_socket_close` from releasing the descriptor under "
        "it. The name of a `cnet_socket *` parameter: the API layer holds that socket for the whole "
        "call (`impl: shared`; one returning another type than `cnet_err` also names `closed_returns`). `syscalls`: the implementation holds it "
        "around each system call, so calls served from the buffer cost nothing. `none`: no hold, for a "
        "call that ends the socket itself (`cnet_socket_close`).",
        "调用如何防止另一个线程的 `cnet_socket_close` 在其执行期间释放描述符。写一个 `cnet_socket *` "
        "参数的名称：API 层在整个调用期间持有该套接字（仅限 `impl: shared`；返回类型不是 `cnet_err` 的还须写 `closed_returns`）。"
        "`syscalls`：实现在每次系统调用前后自行持有，因此由缓冲区完成的调用没有开销。`none`："
        "不持有，用于自身就结束该套接字的调用（`cnet_socket_close`）。"),
        required=Doc("when a parameter has type `cnet_socket *` and `impl` is `backend` or `shared`",
                     "当某个参数的类型为 `cnet_socket *` 且 `impl` 为 `backend` 或 `shared` 时"),
        values=HOLDS + ("<parameter>",)),
    Key("closed_returns", "str", Doc(
        "For an `impl: shared` proc that returns something other than `cnet_err` and is held by the "
        "API layer (`hold: <parameter>`, which may then be `const cnet_socket *`): the C expression "
        "the API layer returns, without calling the implementation, when that socket is NULL or "
        "closed (such as `false` or `CNET_INVALID_SOCKET`). The implementation then gets a held, open "
        "socket and holds nothing by hand.",
        "用于返回值不是 `cnet_err`、由 API 层持有（`hold: <参数>`，此时参数可以是 `const cnet_socket *`）"
        "的 `impl: shared` 函数：当该套接字为 NULL 或已关闭时，API 层不调用实现而直接返回的 C 表达式"
        "（如 `false` 或 `CNET_INVALID_SOCKET`）。实现因此拿到的是已持有的、打开的套接字，无需自行持有。"),
        required=Doc("when a shared proc held by the API layer returns something other than `cnet_err`",
                     "当由 API 层持有的 shared 函数返回的不是 `cnet_err` 时")),
    Key("side", "str", Doc(
        "Which direction of the stream the call uses: `read` or `write`. One thread at a time may be "
        "on each side of a socket: the API layer takes the side before the call (one atomic exchange) "
        "and gives it back after, and a second thread arriving while the side is taken gets "
        "CNET_EBUSY at once. A reader and a writer never stop each other. Only for `impl: shared` "
        "procs returning `cnet_err` whose first parameter is the `cnet_socket *` named `socket`.",
        "调用使用流的哪个方向：`read` 或 `write`。一个套接字的每个方向同一时刻只能有一个线程：API 层在调用前"
        "占用该方向（一次原子交换），调用后归还；方向被占用时到达的第二个线程立即得到 CNET_EBUSY。"
        "读者和写者互不阻挡。仅用于返回 `cnet_err`、第一个参数是名为 `socket` 的 `cnet_socket *` 的 "
        "`impl: shared` 函数。"), values=SIDES),
))

PARAM = EntryKind("param", "a parameter", Doc("Parameter", "参数"), Doc(
    "An item of a proc's `params`. The API layer derives its argument checks from these.",
    "函数 `params` 列表的一项。API 层据此推导参数检查。"), (
    Key("name", "str", Doc("Its C name, unique within the proc.", "它的 C 名称，在函数内唯一。"),
        required=True),
    Key("type", "str", _C_TYPE, required=True),
    Key("doc", DOC, Doc("What it is; one phrase.", "它是什么；一个短语即可。"), required=True),
    Key("default", "str | int | bool", Doc(
        "Nim's default for it, shown in the docs (C has no default arguments).",
        "Nim 中它的默认值，显示在文档中（C 没有默认参数）。")),
    Key("nullable", "bool", Doc(
        "A pointer (or a callback) that may be NULL: no NULL check is generated for it.",
        "可以为 NULL 的指针（或回调）：不会为它生成 NULL 检查。"), default=False),
    Key("min", "int", Doc(
        "The smallest accepted value; the API layer returns `CNET_EINVAL` below it.",
        "可接受的最小值；低于它时 API 层返回 `CNET_EINVAL`。")),
    Key("max", "int", Doc(
        "The largest accepted value; the API layer returns `CNET_EINVAL` above it.",
        "可接受的最大值；高于它时 API 层返回 `CNET_EINVAL`。")),
    Key("dir", "str", Doc(
        "Which way the data flows, shown in the reference. `out` and `inout` must be pointers; like "
        "every pointer that is not `nullable`, the API layer rejects NULL for them.",
        "数据的流向，显示在参考手册中。`out` 和 `inout` 必须是指针；与所有非 `nullable` 的指针一样，"
        "API 层会拒绝 NULL。"), values=("in", "out", "inout"), default="in"),
    Key("on_error", "str", Doc(
        "For an `out` parameter of a proc with `side:` that points to one value of an enum type: the C "
        "expression the API layer stores in it when it refuses the call with `CNET_EBUSY` (other one-value "
        "outs get 0), as the implementation stores on its own errors.",
        "用于带 `side:` 的过程中指向单个枚举值的 `out` 参数：API 层以 `CNET_EBUSY` 拒绝调用时存入其中的 C "
        "表达式（其他单值输出参数存入 0），与实现自身出错时存入的值一致。")),
))

SOCKOPT = EntryKind("sockopt", "a sockopt", Doc("Socket option test", "套接字选项测试"), Doc(
    "An item of a module's `sockopts`: one generated test (`tests/sockopts.c`) that sets the option "
    "on a new socket and reads it back; it is skipped where the option is not defined.",
    "模块 `sockopts` 列表的一项：一个生成的测试（`tests/sockopts.c`），在新套接字上设置该选项再读回；"
    "在未定义该选项的平台上跳过。"), (
    Key("level", "str", Doc("The level, a constant of the spec (`CNET_SOL_SOCKET`).",
                            "层级，规格中的一个常量（如 `CNET_SOL_SOCKET`）。"), required=True),
    Key("name", "str", Doc("The option, a constant of the spec (`CNET_SO_REUSEADDR`).",
                           "选项，规格中的一个常量（如 `CNET_SO_REUSEADDR`）。"), required=True),
    Key("domain", "str", Doc("The socket's address family, a value of an enum.", "套接字的地址族，某个枚举的值。"),
        default="CNET_AF_INET"),
    Key("type", "str", Doc("The socket's type, a value of an enum.", "套接字的类型，某个枚举的值。"),
        default="CNET_SOCK_STREAM"),
    Key("set", "int", Doc("The value set before reading it back.", "读回之前设置的值。"), required=True),
    Key("expect", "str", Doc(
        "What the value read back must be: `eq` the value set; `ge` at least that (kernels round "
        "buffer sizes up); `bool` a flag: the test flips the default, checks it, and flips it back.",
        "读回的值应当是什么：`eq` 等于设置的值；`ge` 至少为该值（内核会把缓冲区大小向上取整）；"
        "`bool` 开关：测试把默认值取反，检查后再恢复。"),
        values=("eq", "ge", "bool"), default="eq"),
    Key("skip", "{platform: str}", Doc(
        "Platforms where the round trip cannot hold, each with the reason the skipped test reports.",
        "往返无法成立的平台，每个都附上测试跳过时报告的原因。")),
))

# -------------------------------------------------------- the platform file

PLATFORM_FILE = EntryKind("platform_file", "the platform file", Doc("Platform file", "平台文件"), Doc(
    "The one spec file that declares `platforms` (`spec/platforms.yaml`).",
    "声明 `platforms` 的那个规格文件（`spec/platforms.yaml`）。"), (
    Key("platforms", "[platform]", Doc("The platforms cnet builds for.", "cnet 支持构建的平台。"),
        required=True, entries="platform"),
    Key("backends", "[backend]", Doc("The system-call backends.", "系统调用后端。"), required=True,
        entries="backend"),
    Key("platform_types", "[platform type]", Doc("Types whose C definition differs per platform.",
                                                 "C 定义随平台而不同的类型。"), entries="platform_type"),
))

PLATFORM = EntryKind("platform", "a platform", Doc("Platform", "平台"), Doc(
    "An item of `platforms`.", "`platforms` 列表的一项。"), (
    Key("name", "str", Doc(
        "Its lowercase name, used in `platforms` lists, per-platform values and `skip`.",
        "小写名称，用于 `platforms` 列表、按平台取值和 `skip`。"), required=True),
    Key("condition", "str", Doc("The preprocessor condition true on it: `defined(__linux__)`.",
                                "在该平台上为真的预处理条件，如 `defined(__linux__)`。"), required=True),
    Key("title", DOC, Doc("Its name in the reference.", "它在参考手册中的名称。"), required=True),
    Key("defines", "{str: str | null}", Doc(
        "Macros `cnet/platform.h` defines before its includes on this platform (`null`: defined empty).",
        "在该平台上 `cnet/platform.h` 于包含头文件之前定义的宏（`null` 表示定义为空）。")),
    Key("includes", "[str]", Doc("System headers `cnet/platform.h` includes on this platform.",
                                 "在该平台上 `cnet/platform.h` 包含的系统头文件。")),
))

BACKEND = EntryKind("backend", "a backend", Doc("Backend", "后端"), Doc(
    "An item of `backends`: a choice of the `net_backend` build option (`backends/<name>/`).",
    "`backends` 列表的一项：构建选项 `net_backend` 的一个取值（`backends/<name>/`）。"), (
    Key("name", "str", Doc("Its name, as `net_backend` spells it.", "它的名称，与 `net_backend` 的写法一致。"),
        required=True),
    Key("platforms", "[str]", Doc("The platforms it builds on.", "它能在其上构建的平台。"), required=True),
    Key("error_domains", "[str]", Doc(
        "The OS error domains it translates (`errno`, `gai`, `wsa`...): each gets a generated "
        "`cnet__err_from_<domain>` and may appear in an error code's `os`.",
        "它转换的操作系统错误域（`errno`、`gai`、`wsa`……）：每个域生成一个 `cnet__err_from_<domain>`，"
        "并可出现在错误码的 `os` 中。"), required=True),
    Key("tables", "str", Doc(
        "The backend whose generated `backends/<name>/tables.c` it uses.",
        "它使用哪个后端生成的 `backends/<name>/tables.c`。"), default=Doc("its own name", "它自己的名称")),
    _summary("One sentence; its row on the platform page.", "一句话；平台页面中它的那一行。"),
))

PLATFORM_TYPE = EntryKind("platform_type", "a platform type", Doc("Platform type", "平台类型"), Doc(
    "An item of `platform_types`: a typedef of `cnet/platform.h` that differs per platform.",
    "`platform_types` 列表的一项：`cnet/platform.h` 中随平台而不同的 typedef。"), (
    Key("type", "str", Doc("The type's name: `cnet_` and lowercase words.", "类型名：`cnet_` 加小写单词。"),
        required=True),
    _nim(),
    Key("c", "str | {platform: str}", Doc("The C type it is, on each platform.", "它在每个平台上对应的 C 类型。"),
        required=True),
    Key("invalid", "str | {platform: str}", Doc(
        "Its invalid value as a C expression, on each platform; it defines `CNET_INVALID_SOCKET`.",
        "它在每个平台上的无效值（C 表达式）；用于定义 `CNET_INVALID_SOCKET`。")),
    _summary("One sentence; its entry on the platform page.", "一句话；平台页面中它的条目。"),
))

# ----------------------------------------------------------- the error file

ERROR_FILE = EntryKind("error_file", "the error file", Doc("Error file", "错误文件"), Doc(
    "The one spec file that declares `errors` (`spec/errors.yaml`).",
    "声明 `errors` 的那个规格文件（`spec/errors.yaml`）。"), (
    Key("errors", "[error code]", Doc(
        "The library's error codes; the first is `CNET_OK` with value 0.",
        "库的错误码；第一个是值为 0 的 `CNET_OK`。"), required=True, entries="error_code"),
))

ERROR_CODE = EntryKind("error_code", "an error code", Doc("Error code", "错误码"), Doc(
    "An item of `errors`: a value of `cnet_err`, with its messages and the OS errors translated to it.",
    "`errors` 列表的一项：`cnet_err` 的一个值，附带其消息以及映射到它的操作系统错误。"), (
    Key("name", "str", Doc("Its name: `CNET_` and capitals.", "名称：`CNET_` 加大写字母。"), required=True),
    Key("value", "int", Doc(
        "Its number, 0 or more; never reused or changed once released.",
        "它的编号，大于等于 0；一经发布就不再复用或更改。"), required=True),
    Key("message", DOC, Doc("What `cnet_strerror` and `cnet_strerror_zh` return for it.",
                            "`cnet_strerror` 和 `cnet_strerror_zh` 为它返回的文字。"), required=True),
    Key("os", "{domain: [str]}", Doc(
        "Per error domain of a backend, the OS error macros translated to this code.",
        "按后端的错误域列出映射到此错误码的操作系统错误宏。")),
    Key("disconnection", "[str]", Doc(
        "The backends on which this code means the peer went away (SafeDisconn).",
        "在哪些后端上此错误码表示对端已断开（SafeDisconn）。")),
    Key("nim", "str | null", Doc("What Nim raises instead, shown in the error table.",
                                 "Nim 在此情况下抛出的异常，显示在错误表中。")),
))

# ------------------------------------------------------ the differences file

DIFFERENCES_FILE = EntryKind("differences_file", "the differences file", Doc("Differences file", "差异文件"), Doc(
    "The spec file that declares `differences` (`spec/differences.yaml`), optional: the general "
    "differences from Nim that open the \"Differences from Nim\" page.",
    "声明 `differences` 的规格文件（`spec/differences.yaml`），可省略：“与 Nim 的不同”页面开头列出的总体差异。"), (
    Key("differences", "[difference]", Doc("The differences, in page order.", "各项差异，按页面顺序。"),
        required=True, entries="difference"),
))

DIFFERENCE = EntryKind("difference", "a difference", Doc("Difference", "差异"), Doc(
    "An item of `differences`.", "`differences` 列表的一项。"), (
    Key("id", "str", Doc("Its anchor: lowercase words joined by `-`.", "它的锚点：用 `-` 连接的小写单词。"),
        required=True),
    Key("title", DOC, Doc("Its heading.", "它的标题。"), required=True),
    Key("text", DOC, Doc("What differs and why.", "有何不同以及原因。"), required=True),
    Key("see", "[str]", Doc("C names of the entries that show it; the page links them.",
                            "体现这一差异的条目的 C 名称；页面会链接它们。")),
))

# In the order of the reference page.
ENTRY_KINDS = (MODULE, CONSTANT, MACRO, ENUM, ENUM_VALUE, TYPE, FIELD, PROC, PARAM, SOCKOPT,
               PLATFORM_FILE, PLATFORM, BACKEND, PLATFORM_TYPE, ERROR_FILE, ERROR_CODE,
               DIFFERENCES_FILE, DIFFERENCE)


def entry_kind(kind_id):
    return next(k for k in ENTRY_KINDS if k.id == kind_id)


# What the reference says of each side (`side:`), in every proc that takes one.
SIDE_DOCS = {
    "read": Doc(
        "one thread at a time may read this socket (this call and the other reading calls), while "
        "another thread writes it and a third closes it; a second thread reading at the same time "
        "gets CNET_EBUSY at once (plain and TLS sockets, every backend), and its counts (and a read "
        "line's result, CNET_READ_NONE) say that nothing was done.",
        "同一时刻只能有一个线程读这个套接字（本调用及其他读调用），同时另一个线程可以写它、第三个线程可以关闭它；"
        "同时读的第二个线程立即得到 CNET_EBUSY（明文与 TLS 套接字，所有后端），其计数（以及读行的结果 "
        "CNET_READ_NONE）表明什么也没有做。"),
    "write": Doc(
        "one thread at a time may write this socket (this call and the other writing calls), while "
        "another thread reads it and a third closes it; a second thread writing at the same time "
        "gets CNET_EBUSY at once (plain and TLS sockets, every backend), and its counts (and a read "
        "line's result, CNET_READ_NONE) say that nothing was done.",
        "同一时刻只能有一个线程写这个套接字（本调用及其他写调用），同时另一个线程可以读它、第三个线程可以关闭它；"
        "同时写的第二个线程立即得到 CNET_EBUSY（明文与 TLS 套接字，所有后端），其计数（以及读行的结果 "
        "CNET_READ_NONE）表明什么也没有做。"),
}
