"""Read a YAML rule file into plain data that remembers the line of every node.

Only PyYAML's safe constructors are used (no tags, no objects), and duplicate keys, which
PyYAML would silently collapse, are an error with both lines.
"""

from __future__ import annotations

from typing import Any

import yaml

from .rulefile import RuleFileError

__all__ = ["RuleFileError", "YList", "YMap", "line_of", "load_yaml"]


class YMap(dict[str, Any]):
    """A mapping that knows its own line and each key's line."""

    line: int
    key_lines: dict[str, int]


class YList(list[Any]):
    """A sequence that knows its own line and each item's line."""

    line: int
    item_lines: list[int]


def load_yaml(text: str, file: str) -> Any:
    """Parse ``text`` safely into YMap / YList / scalars with 1-based lines."""
    try:
        try:
            node = yaml.compose(text, Loader=_Composer)
        except (yaml.YAMLError, UnicodeEncodeError):
            # Broken files are rare: parse again with the pure-Python parser, so the error
            # reads the same whether or not PyYAML has libyaml (which cannot even encode a lone
            # surrogate). libyaml refuses nesting deeper than 1,000 levels itself; the
            # pure-Python composer stops at _MAX_DEPTH.
            node = yaml.compose(text, Loader=_Loader)
    except _TooDeep as exc:
        raise RuleFileError(file, exc.line, f"nested deeper than {_MAX_DEPTH} levels") from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        raise RuleFileError(file, line, f"not valid YAML: {exc.problem or exc}") from None
    except yaml.YAMLError as exc:
        raise RuleFileError(file, 1, f"not valid YAML: {exc}") from None
    if node is None:
        return None
    return _convert(node, file, _Loader(""), depth=0, budget=[_MAX_NODES])


#: Deeper than this is no rule file; PyYAML's composer recurses once per level, so without a
#: limit a deeply nested file ends in RecursionError.
_MAX_DEPTH = 64
#: More nodes than this, counting every alias expansion, is no rule file either: it stops a
#: "billion laughs" file (aliases of aliases) from expanding exponentially.
_MAX_NODES = 200_000


class _TooDeep(Exception):
    def __init__(self, line: int) -> None:
        super().__init__(line)
        self.line = line


class _Loader(yaml.SafeLoader):
    """SafeLoader, used only to compose nodes (at most ``_MAX_DEPTH`` deep) and construct
    plain scalars."""

    _depth = 0

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:
        self._depth += 1
        try:
            if self._depth > _MAX_DEPTH + 1:
                raise _TooDeep(self.peek_event().start_mark.line + 1)  # type: ignore[no-untyped-call]
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


#: libyaml's parser when PyYAML has it (the same nodes and marks, about ten times faster: the
#: pure-Python parser was most of the time of loading the rules), else the pure-Python one.
_Composer: type[yaml.SafeLoader] | type[yaml.CSafeLoader] = getattr(yaml, "CSafeLoader", _Loader)


_PLAIN_TAGS = ("tag:yaml.org,2002:map", "tag:yaml.org,2002:seq")


def _convert(
    node: yaml.Node, file: str, loader: yaml.SafeLoader, depth: int, budget: list[int]
) -> Any:
    line = node.start_mark.line + 1
    if depth > _MAX_DEPTH:
        raise RuleFileError(file, line, f"nested deeper than {_MAX_DEPTH} levels")
    budget[0] -= 1
    if budget[0] < 0:
        raise RuleFileError(
            file, line, f"expands to more than {_MAX_NODES} values (aliases of aliases?)"
        )
    if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)) and node.tag not in _PLAIN_TAGS:
        raise RuleFileError(file, line, f"tag {node.tag!r} is not allowed in a rule file")
    if isinstance(node, yaml.MappingNode):
        out = YMap()
        out.line = line
        out.key_lines = {}
        loader.flatten_mapping(node)
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            key_line = key_node.start_mark.line + 1
            if not isinstance(key, str):
                raise RuleFileError(file, key_line, f"keys must be strings, not {key!r}")
            if key in out:
                raise RuleFileError(
                    file, key_line, f"duplicate key {key!r} (first at line {out.key_lines[key]})"
                )
            out[key] = _convert(value_node, file, loader, depth + 1, budget)
            out.key_lines[key] = key_line
        return out
    if isinstance(node, yaml.SequenceNode):
        seq = YList(_convert(item, file, loader, depth + 1, budget) for item in node.value)
        seq.line = line
        seq.item_lines = [item.start_mark.line + 1 for item in node.value]
        return seq
    try:
        return loader.construct_object(node, deep=True)
    except yaml.YAMLError as exc:
        raise RuleFileError(file, line, f"unreadable value: {exc}") from None


def line_of(container: Any, key: Any = None) -> int:
    """The line of ``container[key]`` (or of the container itself), 1 when unknown."""
    if key is not None:
        if isinstance(container, YMap):
            return container.key_lines.get(key, container.line)
        if isinstance(container, YList) and isinstance(key, int) and key < len(container):
            return container.item_lines[key]
    return getattr(container, "line", 1)
