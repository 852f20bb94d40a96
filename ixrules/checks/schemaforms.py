"""The JSON Schema vocabulary checks describe themselves in (each check's ``json_schema`` fact).

A check's form is :class:`Expressed` keywords for a present value, or the reason it has none.
It must never be stricter than the check: ``exact`` keywords refuse exactly what the check
refuses, any others refuse less. The patterns here read alike in Python's ``re`` and in
ECMA-262 with the ``u`` flag, so an editor's validator agrees with ixrules.
:mod:`ixrules.schema_export` assembles the forms into one schema per endpoint.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from functools import cache, lru_cache

from ..lazypattern import LazyPattern
from ..records import Record, fill

TYPE_CHECKING = False  # not typing's: importing typing is a cost of every start
if TYPE_CHECKING:
    from typing import Any

#: The JSON values the API reads as "not sent".
ABSENT: dict[str, Any] = {"enum": [None, False]}


class Expressed(Record):
    """A check written as JSON Schema keywords for a present value. ``exact``: the keywords
    refuse exactly what the check refuses; otherwise they refuse less, and ``note`` says what
    is left out, and ``looser_for`` the JSON types of the values it may let through (any other
    value the check refuses, the keywords refuse too). ``typed``: the keywords refuse null and
    false, so the writer must let them through. ``hints``: annotations (examples, ...) for the
    field, which never refuse."""

    FIELDS = ("keywords", "exact", "note", "typed", "hints", "looser_for")

    keywords: Mapping[str, Any]
    exact: bool
    note: str
    typed: bool
    hints: Mapping[str, Any]
    looser_for: tuple[str, ...]

    def __init__(
        self,
        keywords: Mapping[str, Any],
        exact: bool = True,
        note: str = "",
        typed: bool = True,
        hints: Mapping[str, Any] | None = None,
        looser_for: tuple[str, ...] = ("string",),
    ) -> None:
        fill(
            self,
            keywords=keywords,
            exact=exact,
            note=note,
            typed=typed,
            hints={} if hints is None else hints,
            looser_for=looser_for,
        )


def _escape(char: str) -> str:
    """One character as a pattern atom: ASCII letters and digits bare, the rest escaped."""
    if char.isascii() and char.isalnum():
        return char
    code = ord(char)
    return f"\\u{code:04x}" if code <= 0xFFFF else char


@lru_cache(maxsize=1)
def blanks() -> str:
    """A character class of what Python's ``str.strip()`` removes (ECMA's ``\\s`` differs)."""
    codes = [cp for cp in range(sys.maxunicode + 1) if chr(cp).isspace()]
    runs: list[list[int]] = []
    for code in codes:
        if runs and runs[-1][1] == code - 1:
            runs[-1][1] = code
        else:
            runs.append([code, code])
    spans = (
        _escape(chr(low)) + (f"-{_escape(chr(high))}" if high > low else "") for low, high in runs
    )
    return "[" + "".join(spans) + "]"


def blank_pattern() -> str:
    """A pattern of the strings ``str.strip()`` leaves empty."""
    return f"^{blanks()}*$"


def for_type(kind: str, keywords: Mapping[str, Any]) -> dict[str, Any]:
    """``keywords`` (of one JSON type's values: ``maxLength``, ``properties``, ``items``...)
    applied to the values of type ``kind`` only, written with their type beside them as Ajv's
    strict mode wants; values of other types pass.

    >>> for_type("string", {"maxLength": 3})
    {'if': {'type': 'string'}, 'then': {'type': 'string', 'maxLength': 3}}
    """
    return {"if": {"type": kind}, "then": {"type": kind, **keywords}}


def blank_value() -> dict[str, Any]:
    """Keywords of a value the API reads as not given: absent, or a string of blanks."""
    return {"anyOf": [ABSENT, {"type": "string", "pattern": blank_pattern()}]}


def or_blank(keywords: Mapping[str, Any], allow_blank: Any) -> dict[str, Any]:
    """``keywords``, or (with ``allow_blank``) a string of blanks too."""
    if not allow_blank:
        return dict(keywords)
    branches = keywords["anyOf"] if list(keywords) == ["anyOf"] else [dict(keywords)]
    return {"anyOf": [{"type": "string", "pattern": blank_pattern()}, *branches]}


#: ``ixrules.values``' number syntax (Ruby's Float) with ASCII digits spelled out.
_DIGITS = "[0-9](?:_?[0-9])*"
NUMBER_PATTERN = (
    rf"^[ \t\r\n]*[+-]?(?:{_DIGITS}(?:\.{_DIGITS})?|\.{_DIGITS})"
    rf"(?:[eE][+-]?{_DIGITS})?[ \t\r\n]*$"
)
DATE_PATTERN = (
    r"^[ ]*(?:[0-9]{1,2}/[0-9]{1,2}/[0-9]{4}|[0-9]{1,2}-[0-9]{1,2}-[0-9]{4}"
    r"|[0-9]{1,2}\.[0-9]{1,2}\.[0-9]{4}|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2})[ ]*$"
)
DATETIME_PATTERN = (
    r"^[ ]*[0-9]{1,2}/[0-9]{1,2}/[0-9]{4}(?:[ T]+[0-9]{1,2}:[0-9]{2}(?::[0-9]{2})?)?[ ]*$"
)

#: Values ``display`` writes a non-string as: such a choice would also take a number or true.
_LOOKS_LIKE_ANOTHER_TYPE = LazyPattern(r"true|false|[-+0-9.eE]+|[\[{(<].*|")


def looks_like_another_type(text: str) -> bool:
    """True when a number, ``true`` or a container would be written as ``text`` too: a value
    of another JSON type matches a rule's choice or condition of this spelling."""
    return _LOOKS_LIKE_ANOTHER_TYPE.fullmatch(text) is not None


@lru_cache(maxsize=1)
def _unfolded() -> Mapping[str, tuple[str, ...]]:
    """For each case-folded text, the characters whose ``casefold()`` it is (besides itself)."""
    out: dict[str, list[str]] = {}
    for cp in range(sys.maxunicode + 1):
        char = chr(cp)
        folded = char.casefold()
        if folded != char:
            out.setdefault(folded, []).append(char)
    return {key: tuple(chars) for key, chars in out.items()}


def casefold_pattern(text: str) -> str | None:
    """A pattern matching exactly the strings whose ``casefold()`` equals ``text``'s (Python
    folds character by character, so each piece of the folded text is spelled by any character
    that folds to it: ``s`` is also ``S`` and the long s).
    None when it would be unreasonably long.

    >>> import re
    >>> pattern = re.compile(casefold_pattern("Kg") or "")
    >>> [bool(pattern.search(s)) for s in ("kg", "KG", "\u212ag", "kgs")]
    [True, True, True, False]
    """
    folded, unfolded = text.casefold(), _unfolded()
    longest = max(map(len, unfolded))

    @cache
    def rest(start: int) -> str:
        if start == len(folded):
            return ""
        options = []
        for size in range(1, longest + 1):
            piece = folded[start : start + size]
            if len(piece) < size:
                break
            chars = [*([piece] if len(piece) == 1 else []), *unfolded.get(piece, ())]
            if not chars:
                continue
            atom = (
                _escape(chars[0]) if len(chars) == 1 else "[" + "".join(map(_escape, chars)) + "]"
            )
            options.append(atom + rest(start + size))
        return options[0] if len(options) == 1 else "(?:" + "|".join(options) + ")"

    pattern = "^" + rest(0) + "$"
    return pattern if len(pattern) <= 4000 else None
