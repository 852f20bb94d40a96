"""``[tool.ixrules]`` of a ``pyproject.toml``, read into the lined data the YAML configuration is
read into (``YMap``/``YList`` knowing each node's line), so both are checked alike.

``tomllib`` keeps no lines, so they are found in the text, through an index of its table headers
and keys built once: time linear in the file (looking each line up again cost an 8,000-item list
16.5 s). ``tomllib`` recurses once per level of nesting and turns numbers into Python integers,
so what it cannot read is answered before it can fail: nesting deeper than 64 levels (as in a
YAML file) is refused with its line, and an integer too long for Python is an error at its line,
never a ``RecursionError`` or ``ValueError`` traceback.
"""

from __future__ import annotations

import bisect
import re
import sys
from collections import defaultdict
from typing import Any

from .ruleformat.errors import ConfigError
from .ruleformat.reading import YList, YMap

__all__ = ["MAX_NESTING", "read_toml"]

#: The deepest nesting of arrays and inline tables read (a YAML configuration's bound too).
MAX_NESTING = 64

_TOML_ERROR_LINE = re.compile(r"at line (\d+)")
#: What can open or close a level, a string or a comment.
_MARK = re.compile(r"[\"'#\[\]{}]")
#: A key being set: at the start of a line or after ``{`` or ``,``, bare or quoted.
_KEY = re.compile(r"""(?:^|[{,])[ \t]*(?:([A-Za-z0-9_-]+)|"([^"\n]*)"|'([^'\n]*)')[ \t]*=""", re.M)
_DIGITS = re.compile(r"[0-9_]+")
#: The most digits Python converts to an integer (``sys.get_int_max_str_digits``).
_MAX_DIGITS = getattr(sys, "get_int_max_str_digits", lambda: 4300)() or sys.maxsize


def read_toml(file: str, text: str) -> YMap:
    """``[tool.ixrules]`` of the TOML ``text`` as a YMap with lines (empty when absent); a
    ``ConfigError`` at its line for anything that cannot be read."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib  # type: ignore[import-not-found,unused-ignore]
    deep = _too_deep(text, MAX_NESTING)
    if deep is not None:
        raise ConfigError(file, deep, f"nested deeper than {MAX_NESTING} levels")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = _TOML_ERROR_LINE.search(str(exc))
        line = int(found.group(1)) if found else 1
        raise ConfigError(file, line, f"not valid TOML: {exc}") from None
    except ValueError:  # a number Python will not convert (more than 4,300 digits)
        raise ConfigError(file, _long_number(text), "a number too long to read") from None
    except RecursionError:  # nesting the scan above missed: never expected
        raise ConfigError(file, 1, f"nested deeper than {MAX_NESTING} levels") from None
    index = _Index(text)
    tool = data.get("tool", {})
    table = tool.get("ixrules", {}) if isinstance(tool, dict) else {}
    header = index.header("tool.ixrules") or 1
    if not isinstance(table, dict):
        raise ConfigError(file, header, "tool.ixrules must be a table")
    lined: YMap = index.lined(table, "tool.ixrules", header)
    return lined


class _Index:
    """Where each table header and each key is written, found in one pass over the text."""

    def __init__(self, text: str) -> None:
        self.headers: dict[str, list[int]] = defaultdict(list)
        self.keys: dict[str, list[int]] = defaultdict(list)
        for number, line in enumerate(text.split("\n"), 1):
            bare = line.split("#", 1)[0].strip()
            if bare.startswith("[") and bare.endswith("]"):
                self.headers[bare.strip("[] \t")].append(number)
            for match in _KEY.finditer(line):
                key = next(group for group in match.groups() if group is not None)
                found = self.keys[key]
                if not found or found[-1] != number:
                    found.append(number)

    def header(self, table: str, nth: int = 0) -> int | None:
        """The line of the ``nth`` header ``[table]`` (or ``[[table]]``)."""
        found = self.headers.get(table, ())
        return found[nth] if nth < len(found) else None

    def key(self, key: str, after: int) -> int | None:
        """The first line from ``after`` on that sets ``key``."""
        found = self.keys.get(key, [])
        at = bisect.bisect_left(found, after)
        return found[at] if at < len(found) else None

    def lined(self, value: Any, table: str, line: int) -> Any:
        if isinstance(value, dict):
            out = YMap()
            out.line, out.key_lines = line, {}
            for key, item in value.items():
                here = self.header(f"{table}.{key}") or self.key(key, line) or line
                out[key] = self.lined(item, f"{table}.{key}", here)
                out.key_lines[key] = here
            return out
        if isinstance(value, list):
            seq = YList()
            seq.line, seq.item_lines = line, []
            for index, item in enumerate(value):
                here = self.header(table, index) or line
                seq.append(self.lined(item, table, here))
                seq.item_lines.append(here)
            return seq
        return value


def _too_deep(text: str, limit: int) -> int | None:
    """The line where arrays and inline tables first nest deeper than ``limit``, or None
    (strings and comments skipped; a linear scan, made only when there are enough brackets).

    >>> _too_deep("a = [[[1]]]", 2), _too_deep("a = ['[[[', \\"[[[\\"] # [[[", 2)
    (1, None)
    """
    if text.count("[") + text.count("{") <= limit:
        return None
    depth = position = 0
    while True:
        mark = _MARK.search(text, position)
        if mark is None:
            return None
        start, char = mark.start(), mark.group()
        position = start + 1
        if char == "#":
            end = text.find("\n", start)
            position = len(text) if end < 0 else end
        elif char in "\"'":
            position = _string_end(text, start, char)
        elif char in "[{":
            depth += 1
            if depth > limit:
                return text.count("\n", 0, start) + 1
        else:
            depth -= 1


def _string_end(text: str, start: int, quote: str) -> int:
    """Where the TOML string opening at ``start`` ends (the end of the text if it does not:
    the parser then says why)."""
    delimiter = quote * 3 if text.startswith(quote * 3, start) else quote
    at = start + len(delimiter)
    while True:
        end = text.find(delimiter, at)
        if end < 0:
            return len(text)
        if quote == '"' and _escaped(text, end):
            at = end + 1
            continue
        return end + len(delimiter)


def _escaped(text: str, at: int) -> bool:
    """Whether the character at ``at`` follows an odd number of backslashes."""
    count = 0
    while at - count > 0 and text[at - count - 1] == "\\":
        count += 1
    return count % 2 == 1


def _long_number(text: str) -> int:
    """The line of the first run of digits Python will not convert (or 1)."""
    for match in _DIGITS.finditer(text):
        if len(match.group().replace("_", "")) > _MAX_DIGITS:
            return text.count("\n", 0, match.start()) + 1
    return 1
