"""YAML loading that remembers where every mapping came from.

Every mapping in a spec file is loaded as an ``LDict``: a dict that also
knows the file and the line it starts on, and the line of each of its keys;
every sequence as an ``LList`` that knows the line of each item. Validation
errors can then point at ``spec/net.yaml:42``, the line of the mistake itself.
"""

import yaml


class SpecError(Exception):
    """A mistake in the spec, with its location."""

    def __init__(self, loc, message):
        super().__init__(f"{loc}: error: {message}")
        self.loc = loc
        self.message = message


class Loc:
    __slots__ = ("file", "line")

    def __init__(self, file, line):
        self.file = file
        self.line = line

    def __str__(self):
        return f"{self.file}:{self.line}"


class LDict(dict):
    """A mapping with the location of its first line and of each key."""

    loc = None
    key_locs = None

    def loc_of(self, key):
        """Where `key` is written; the mapping's first line when it is absent."""
        return (self.key_locs or {}).get(key, self.loc)


class LList(list):
    """A sequence with the location of its first line and of each item."""

    loc = None
    item_locs = None

    def loc_at(self, index):
        locs = self.item_locs or []
        return locs[index] if index < len(locs) else self.loc


def loc_of(node, key, fallback):
    """Where `key` of `node` is written, for any node: `fallback` when the
    node is not a loaded mapping."""
    if isinstance(node, LDict):
        return node.loc_of(key)
    return getattr(node, "loc", None) or fallback


def loc_at(node, index, fallback):
    """Where item `index` of `node` is written (see loc_of)."""
    if isinstance(node, LList):
        return node.loc_at(index)
    return getattr(node, "loc", None) or fallback


class _Loader(yaml.SafeLoader):
    pass


def _construct_mapping(loader, node):
    loader.flatten_mapping(node)
    result = LDict()
    result.loc = Loc(loader.spec_name, node.start_mark.line + 1)
    result.key_locs = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        key_loc = Loc(loader.spec_name, key_node.start_mark.line + 1)
        if key in result:
            raise SpecError(key_loc, f"duplicate key '{key}'")
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_locs[key] = key_loc
    return result


def _construct_sequence(loader, node):
    result = LList(loader.construct_object(child, deep=True) for child in node.value)
    result.loc = Loc(loader.spec_name, node.start_mark.line + 1)
    result.item_locs = [Loc(loader.spec_name, child.start_mark.line + 1) for child in node.value]
    return result


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


def load_yaml(path, display_name):
    """Load one spec file; ``display_name`` is the path shown in messages."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    loader = _Loader(text)
    loader.spec_name = display_name
    try:
        return loader.get_single_data()
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line = mark.line + 1 if mark else 1
        raise SpecError(Loc(display_name, line), f"YAML: {e.problem or e}") from None
    finally:
        loader.dispose()
