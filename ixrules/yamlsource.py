"""Read a YAML rule file into plain data that remembers the line of every node.

Only PyYAML's safe constructors are used (no tags, no objects), and duplicate keys, which
PyYAML would silently collapse, are an error with both lines.
"""

from __future__ import annotations

import math
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
        raise RuleFileError(file, exc.line, _TOO_DEEP) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        raise RuleFileError(file, line, f"not valid YAML: {exc.problem or exc}") from None
    except yaml.YAMLError as exc:
        raise RuleFileError(file, 1, f"not valid YAML: {exc}") from None
    if node is None:
        return None
    try:
        return _convert(node, file, _Loader(""), depth=0, budget=[_MAX_NODES])
    except _TooDeep as exc:
        # libyaml and the pure-Python parser mark a block mapping's start on different lines;
        # say the line the pure-Python composer stops at, whichever parser composed the file.
        raise RuleFileError(file, _too_deep_line(text, exc.line), _TOO_DEEP) from None


def _too_deep_line(text: str, fallback: int) -> int:
    try:
        yaml.compose(text, Loader=_Loader)
    except _TooDeep as exc:
        return exc.line
    except yaml.YAMLError:
        pass
    return fallback


#: Deeper than this is no rule file; PyYAML's composer recurses once per level, so without a
#: limit a deeply nested file ends in RecursionError.
_MAX_DEPTH = 64
_TOO_DEEP = f"nested deeper than {_MAX_DEPTH} levels"
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
        raise _TooDeep(line)
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
        for key_node, value_node in node.value:
            key_line = key_node.start_mark.line + 1
            if key_node.tag == _MERGE:
                raise RuleFileError(
                    file, key_line, "merge keys (<<) are not read in rule files: use a fragment"
                )
            if not isinstance(key_node, yaml.ScalarNode):
                raise RuleFileError(file, key_line, "keys must be strings, not a mapping or list")
            key = _scalar(key_node, file, loader)
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
    return _scalar(node, file, loader)


_MERGE = "tag:yaml.org,2002:merge"
#: The scalar types a rule file holds; anything else (dates, binary, Python objects) is refused.
_SCALAR_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
}
#: Longest number read: far beyond any rule's, and short enough to convert in no time.
_MAX_NUMBER_TEXT = 100


def _scalar(node: yaml.Node, file: str, loader: yaml.SafeLoader) -> Any:
    """A plain scalar, or a RuleFileError at its line for anything else: a tag other than
    str/int/float/bool/null (an unquoted date such as ``2017-02-31`` is YAML's timestamp),
    a value its tag cannot read (``!!int abc``), a number too long or not finite."""
    line = node.start_mark.line + 1
    tag = node.tag
    if tag == "tag:yaml.org,2002:timestamp":
        raise RuleFileError(
            file, line, f"{node.value!r} reads as a date in YAML: quote it to write text"
        )
    if tag not in _SCALAR_TAGS:
        raise RuleFileError(file, line, f"tag {tag!r} is not allowed in a rule file")
    number = tag in ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float")
    if number and len(str(node.value)) > _MAX_NUMBER_TEXT:
        raise RuleFileError(file, line, f"a number longer than {_MAX_NUMBER_TEXT} characters")
    try:
        value = loader.construct_object(node, deep=True)
    except (yaml.YAMLError, ValueError, TypeError, OverflowError) as exc:
        problem = exc.problem if isinstance(exc, yaml.MarkedYAMLError) else exc
        raise RuleFileError(
            file, line, f"unreadable value {node.value!r} ({tag.rsplit(':', 1)[-1]}): {problem}"
        ) from None
    if isinstance(value, float) and not math.isfinite(value):
        raise RuleFileError(file, line, f"{node.value!r} is not a finite number")
    return value


def line_of(container: Any, key: Any = None) -> int:
    """The line of ``container[key]`` (or of the container itself), 1 when unknown."""
    if key is not None:
        if isinstance(container, YMap):
            return container.key_lines.get(key, container.line)
        if isinstance(container, YList) and isinstance(key, int) and key < len(container):
            return container.item_lines[key]
    return getattr(container, "line", 1)
