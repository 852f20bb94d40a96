"""Reading rule files: from disk (regular files only, of a bounded size), and from YAML into
plain data that remembers the line of every node.

Only PyYAML's safe constructors are used (no tags, no objects), and duplicate keys, which
PyYAML would silently collapse, are an error with both lines. The configuration reader uses
the same YAML reader (``load_yaml``), so its errors name lines the same way.
"""

from __future__ import annotations

import math
import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .errors import RuleFileError

__all__ = [
    "MAX_RULE_FILE_BYTES",
    "ParsedFile",
    "YList",
    "YMap",
    "line_of",
    "load_yaml",
    "pack_texts",
    "read_rule_dir",
    "read_rule_file",
]

#: The largest rule file read (the shipped ones are a few dozen kilobytes).
MAX_RULE_FILE_BYTES = 16 << 20


def read_rule_dir(directory: str | Path) -> list[tuple[str, str]]:
    """Every ``*.yaml`` file of ``directory``, in name order, as ``(path, text)`` pairs."""
    root = Path(directory)
    if not root.is_dir():
        raise RuleFileError(str(root), 1, "rule directory not found")
    files = sorted(root.glob("*.yaml"))
    if not files:
        raise RuleFileError(str(root), 1, "no *.yaml rule files in this directory")
    return [_read(path) for path in files]


def pack_texts(paths: Iterable[str | Path]) -> list[tuple[str, str]]:
    """The rule files of packs given as files or folders (a folder's ``*.yaml``, in name
    order), as ``(name, text)`` pairs, in the order given."""
    out: list[tuple[str, str]] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            files = sorted(path.glob("*.yaml"))
            if not files:
                raise RuleFileError(_shown(path), 1, "no *.yaml rule files in this folder")
            out.extend(_read(file, relative=True) for file in files)
        else:
            out.append(_read(path, relative=True))
    return out


def read_rule_file(path: Path) -> str:
    """A rule file's text: only a regular file is opened (a FIFO named ``*.yaml`` would block
    forever), and only up to ``MAX_RULE_FILE_BYTES``."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError("not a regular file")
        data = handle.read(MAX_RULE_FILE_BYTES + 1)
    if len(data) > MAX_RULE_FILE_BYTES:
        raise OSError(f"larger than {MAX_RULE_FILE_BYTES:,} bytes")
    return data.decode("utf-8")


def _shown(path: Path) -> str:
    """A pack's path as shown: relative to the working directory when below it."""
    relative = os.path.relpath(os.path.abspath(path))
    return str(path) if relative.startswith("..") else relative


def _read(path: Path, relative: bool = False) -> tuple[str, str]:
    """A file's name (a pack's as :func:`_shown`) and text, read as :func:`read_rule_file`."""
    name = _shown(path) if relative else str(path)
    try:
        return name, read_rule_file(path)
    except (OSError, UnicodeDecodeError) as exc:
        plain = relative and isinstance(exc, OSError) and exc.strerror
        reason = exc.strerror if plain and isinstance(exc, OSError) else exc
        raise RuleFileError(name, 1, f"cannot read: {reason}") from None


class YMap(dict[str, Any]):
    """A mapping that knows its own line and each key's line."""

    line: int
    key_lines: dict[str, int]


class YList(list[Any]):
    """A sequence that knows its own line and each item's line."""

    line: int
    item_lines: list[int]


@dataclass
class ParsedFile:
    """One rule file, parsed: its name, its top-level mapping, and whether it is a pack's."""

    name: str
    data: YMap
    pack: bool = False


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
            node = yaml.compose(text, Loader=SafeLineLoader)
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
        return _convert(node, file, SafeLineLoader(""), depth=0, budget=[_MAX_NODES])
    except _TooDeep as exc:
        # libyaml and the pure-Python parser mark a block mapping's start on different lines;
        # say the line the pure-Python composer stops at, whichever parser composed the file.
        raise RuleFileError(file, _too_deep_line(text, exc.line), _TOO_DEEP) from None


def _too_deep_line(text: str, fallback: int) -> int:
    try:
        yaml.compose(text, Loader=SafeLineLoader)
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


class SafeLineLoader(yaml.SafeLoader):
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
_Composer: type[yaml.SafeLoader] | type[yaml.CSafeLoader] = getattr(
    yaml, "CSafeLoader", SafeLineLoader
)


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
