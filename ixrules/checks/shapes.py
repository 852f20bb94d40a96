"""Checks of a value's shape: what kind of JSON value it is (object, array, string, text,
integer, flag)."""

from __future__ import annotations

from collections.abc import Mapping

from ..values import MAX_SCALAR_TEXT, is_flag_set
from .registry import NO_CONTEXT, Args, Env, check, implies_check
from .repairs import FLAG_FIX, STRING_FIX
from .schemaforms import Expressed, blank_pattern, blanks

TYPE_CHECKING = False  # not typing's: importing typing is a cost of every start
if TYPE_CHECKING:
    from typing import Any

    from .source import Source


def is_json_number(value: Any) -> bool:
    """A JSON number (``true`` is no number, though Python's bool is an int)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _typed(kind: str | list[str]) -> Expressed:
    return Expressed({"type": kind})


def _inline_object(args: Args, v: str, source: Source) -> str:
    return f"(type({v}) is dict or isinstance({v}, {source.bind('Mapping', Mapping)}))"


@check(
    "object",
    inline=_inline_object,
    json_schema=lambda args: _typed("object"),
    reads_numbers=False,
    reads_context=NO_CONTEXT,
)
def is_object(value: Any, env: Env) -> bool:
    """The value is a JSON object."""
    return isinstance(value, Mapping)


@check(
    "array",
    inline=lambda args, v, source: f"isinstance({v}, list)",
    json_schema=lambda args: _typed("array"),
    reads_numbers=False,
    reads_context=NO_CONTEXT,
)
def is_array(value: Any, env: Env) -> bool:
    """The value is a JSON array."""
    return isinstance(value, list)


def _not_empty_form(args: Args) -> Expressed:
    empty = [{"type": "array", "maxItems": 0}, {"type": "string", "pattern": blank_pattern()}]
    return Expressed({"not": {"anyOf": empty}}, typed=False)


@check(
    "not_empty",
    inline=lambda args, v, source: (
        f"(({v}.strip() != '') if type({v}) is str else {source.call(v)})"
    ),
    json_schema=_not_empty_form,
    reads_numbers=False,
    reads_context=NO_CONTEXT,
)
def not_empty(value: Any, env: Env) -> bool:
    """An array or string with at least one element (other values pass: not this check's job)."""
    if isinstance(value, (list, str)):
        return bool(value.strip()) if isinstance(value, str) else bool(value)
    return True


@check(
    "string",
    inline=lambda args, v, source: f"isinstance({v}, str)",
    json_schema=lambda args: _typed("string"),
    reads_numbers=False,
    reads_context=NO_CONTEXT,
    implies=implies_check("text"),
    fix=STRING_FIX,
)
def is_string(value: Any, env: Env) -> bool:
    """The value is a JSON string."""
    return isinstance(value, str)


def _inline_text(args: Args, v: str, source: Source) -> str:
    number = source.bind("JSON_NUMBER", is_json_number)
    return f"(type({v}) is str or isinstance({v}, str) or {number}({v}))"


@check(
    "text",
    inline=_inline_text,
    json_schema=lambda args: _typed(["string", "number"]),
    reads_numbers=False,
    reads_context=NO_CONTEXT,
)
def is_text(value: Any, env: Env) -> bool:
    """A JSON string, or a number (the API stores ``1`` as ``"1"``, as recorded for ``serie``);
    objects, arrays and ``true`` are not text."""
    return isinstance(value, str) or is_json_number(value)


def _integer_form(args: Args) -> Expressed:
    digits = f"^{blanks()}*(?:[0-9]{{1,{MAX_SCALAR_TEXT}}})?{blanks()}*$"
    keywords = {"anyOf": [{"type": "integer"}, {"type": "string", "pattern": digits}]}
    note = "a JSON number with no fraction (1.0) passes"
    return Expressed(keywords, exact=False, note=note, looser_for=("number",))


@check("integer", json_schema=_integer_form, reads_numbers=False, reads_context=NO_CONTEXT)
def is_integer(value: Any, env: Env) -> bool:
    """A whole number, as a JSON integer or a string of digits (blank passes: not sent)."""
    if isinstance(value, str):
        text = value.strip()
        return not text or (len(text) <= MAX_SCALAR_TEXT and text.isascii() and text.isdigit())
    return isinstance(value, int) and not isinstance(value, bool)


def _flag_form(args: Args) -> Expressed:
    return Expressed({"type": "string", "pattern": f"^{blanks()}*[01]?{blanks()}*$"})


@check("flag", json_schema=_flag_form, reads_numbers=False, reads_context=NO_CONTEXT, fix=FLAG_FIX)
def is_flag(value: Any, env: Env) -> bool:
    """One of the strings ``"0"`` and ``"1"`` (or blank): the only values the API honours as a
    flag (an integer ``1`` was recorded accepted and not applied)."""
    return isinstance(value, str) and value.strip() in ("", "0", "1")


@check(
    "flag_set",
    json_schema=lambda args: Expressed({"enum": ["1", 1, True]}),
    reads_numbers=False,
    reads_context=NO_CONTEXT,
)
def flag_set(value: Any, env: Env) -> bool:
    """The API's "on" flag ("1", 1 or true)."""
    return is_flag_set(value)


@check(
    "blank",
    json_schema=lambda args: Expressed({"type": "string", "pattern": f"^{blanks()}*$"}),
    reads_numbers=False,
    reads_context=NO_CONTEXT,
)
def is_blank(value: Any, env: Env) -> bool:
    """A string of blanks: what a key the API does not read may hold without a warning (null
    and false never reach a check), so that sending something there is said."""
    return isinstance(value, str) and not value.strip()
