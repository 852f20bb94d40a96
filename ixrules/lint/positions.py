"""Where a JSON pointer's value starts in the text it was parsed from.

Parsing stays with the stdlib's C ``json``; only a body that has problems is scanned again, by
the small position-tracking walker below, to map each JSON pointer to the offset of its value.
Duplicate keys map to their last occurrence, the one ``json`` (and the API's parser) keeps.
A line ends with LF, CRLF or a lone CR (as editors count them; JSON allows all three).

>>> text = '{"invoice": {\\n  "items": [{"unit": "kg"}]}}'
>>> offsets = value_offsets(text)
>>> offsets["/invoice/items/0/unit"]
35
>>> line_col(text, offsets["/invoice/items/0/unit"])
(2, 22)
"""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from ..jsontext import constant_offset
from ..values import pointer_parts, pointer_token

__all__ = [
    "constant_offset",
    "line_col",
    "line_ends",
    "nearest",
    "newline_offsets",
    "value_offsets",
]

_WS = re.compile(r"[ \t\n\r]*")
_LINE_END = re.compile(r"\r\n?|\n")
_DECODER = json.JSONDecoder()


def value_offsets(text: str) -> dict[str, int]:
    """Every JSON pointer of ``text`` (already known to parse) and the offset of its value."""
    return dict(_walk(text))


def key_offsets(text: str) -> dict[str, int]:
    """Every JSON pointer of ``text`` (already known to parse) that names an object member, and
    the offset of its key's opening quote (what a fix renaming the key rewrites).

    >>> key_offsets('{"a": {"b" : 1}}')
    {'/a': 1, '/a/b': 7}
    """
    keys: dict[str, int] = {}
    try:
        for _ in _walk_values(text, keys):
            pass
    except (IndexError, ValueError):
        pass
    return keys


def line_col(text: str, offset: int, newlines: Sequence[int] | None = None) -> tuple[int, int]:
    """The 1-based line and column (in characters) of ``offset``.

    >>> line_col("ab\\ncd", 4), line_col("ab\\rcd", 4), line_col("ab\\r\\ncd", 5)
    ((2, 2), (2, 2), (2, 2))
    """
    if newlines is None:
        newlines = newline_offsets(text)
    line = bisect.bisect_left(newlines, offset)
    start = newlines[line - 1] + 1 if line else 0
    return line + 1, offset - start + 1


def newline_offsets(text: str) -> list[int]:
    """The offset of the last character of each line end of ``text`` (LF, CRLF, CR), for many
    ``line_col`` calls on one text."""
    return [found.end() - 1 for found in _LINE_END.finditer(text)]


def line_ends(data: bytes) -> list[int]:
    """``newline_offsets`` of bytes (text that could not be decoded).

    >>> line_ends(b"a\\rb\\r\\nc\\nd")
    [1, 4, 6]
    """
    return newline_offsets(data.decode("latin-1"))  # one character a byte: the same offsets


def nearest(data: Any, offsets: Mapping[str, int], pointer: str) -> str:
    """``pointer`` itself when the body has it, otherwise its nearest existing parent.

    >>> nearest({"invoice": {"client": {}}}, {"": 0, "/invoice": 12, "/invoice/client": 24},
    ...         "/invoice/client/name")
    '/invoice/client'
    """
    while pointer:
        if pointer in offsets and _exists(data, pointer):
            return pointer
        pointer = pointer.rpartition("/")[0]
    return ""


def _exists(data: Any, pointer: str) -> bool:
    node = data
    for part in pointer_parts(pointer):
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            return False
    return True


def _walk(text: str) -> Iterator[tuple[str, int]]:
    """Yield (pointer, offset) for every value, in document order, without recursion (a body
    nested thousands deep is walked like any other). Stops quietly on text that is not JSON."""
    try:
        yield from _walk_values(text)
    except (IndexError, ValueError):
        return


def _walk_values(text: str, keys: dict[str, int] | None = None) -> Iterator[tuple[str, int]]:
    # Each open container: (its pointer, the index of the current item, or -1 for an object).
    stack: list[tuple[str, int]] = []
    pointer = ""
    i = _skip(text, 0)
    while True:
        yield pointer, i
        char = text[i]
        if char in "{[":
            i = _skip(text, i + 1)
            if text[i] not in "}]":
                if char == "{":
                    start = i
                    key, i = _key(text, i)
                    stack.append((pointer, -1))
                    pointer = f"{pointer}/{pointer_token(key)}"
                    if keys is not None:
                        keys[pointer] = start
                else:
                    stack.append((pointer, 0))
                    pointer = f"{pointer}/0"
                continue
            i += 1
        else:
            i = _DECODER.raw_decode(text, i)[1]
        # The value ended: step to the next sibling, or close containers until there is one.
        while stack:
            i = _skip(text, i)
            parent, index = stack[-1]
            if text[i] == ",":
                i = _skip(text, i + 1)
                if index < 0:
                    start = i
                    key, i = _key(text, i)
                    pointer = f"{parent}/{pointer_token(key)}"
                    if keys is not None:
                        keys[pointer] = start
                else:
                    stack[-1] = (parent, index + 1)
                    pointer = f"{parent}/{index + 1}"
                break
            stack.pop()
            i += 1
        else:
            return


def _skip(text: str, i: int) -> int:
    """The offset of the first non-whitespace character at or after ``i``."""
    found = _WS.match(text, i)
    return found.end() if found else i


def _key(text: str, i: int) -> tuple[str, int]:
    """Read ``"key" :`` at ``i``; return the key and the offset of its value."""
    key, i = _DECODER.raw_decode(text, i)
    if not isinstance(key, str):
        raise ValueError("object key is not a string")
    i = _skip(text, i)
    if text[i] != ":":
        raise ValueError("expected ':'")
    return key, _skip(text, i + 1)
