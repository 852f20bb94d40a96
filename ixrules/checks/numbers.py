"""Checks of numbers and dates, read the way the API's Ruby backend reads them."""

from __future__ import annotations

import re
from collections.abc import Mapping

from ..lazypattern import LazyPattern
from ..values import MAX_SCALAR_TEXT, as_datetime, as_iso_datetime, as_number, date_parts
from .registry import NO_CONTEXT, Args, Env, SchemaForm, check, context_keys, own_kind
from .repairs import DATE_FIX, DATETIME_FIX, NUMBER_FIX, month_first
from .schemaforms import (
    DATE_PATTERN,
    DATETIME_PATTERN,
    NUMBER_PATTERN,
    Expressed,
    or_blank,
)

TYPE_CHECKING = False  # not typing's: importing typing is a cost of every start
if TYPE_CHECKING:
    from typing import Any

    from .source import Source


def is_blank_text(value: Any) -> bool:
    """A string of blanks (what ``allow_blank`` lets pass)."""
    return isinstance(value, str) and not value.strip()


#: The arguments of ``number`` the code generator writes inline (all it takes).
_INLINE_NUMBER = frozenset({"gt", "gte", "lt", "lte", "integer", "allow_blank"})
_BOUNDS = (("gt", ">"), ("gte", ">="), ("lt", "<"), ("lte", "<="))


def _inline_number(args: Args, v: str, source: Source) -> str | None:
    if not set(args) <= _INLINE_NUMBER:
        return None
    x = source.number(v)
    tests = [f"{x} is not None"]
    if args.get("integer"):
        tests.append(f"{x}.is_integer()")
    for key, op in _BOUNDS:
        if args.get(key) is not None:
            tests.append(f"{x} {op} {source.const('K', args[key])}")
    test = " and ".join(tests)
    if args.get("allow_blank"):
        return f"(({test}) or {source.bind('BLANK', is_blank_text)}({v}))"  # a number: no call
    return f"({test})"


def _number_form(args: Args) -> Expressed:
    bounds: dict[str, Any] = {}
    for arg, keyword in (
        ("gt", "exclusiveMinimum"),
        ("gte", "minimum"),
        ("lt", "exclusiveMaximum"),
        ("lte", "maximum"),
    ):
        if args.get(arg) is not None:
            bounds[keyword] = args[arg]
    kind = "integer" if args.get("integer") else "number"
    text = {"type": "string", "pattern": NUMBER_PATTERN, "maxLength": MAX_SCALAR_TEXT}
    bounded = any(args.get(arg) is not None for arg in ("gt", "gte", "lt", "lte", "integer"))
    note = "a numeric string's bounds are not checked; " if bounded else ""
    note += "a number too large for a double (1e999) passes"
    keywords = or_blank({"anyOf": [{"type": kind, **bounds}, text]}, args.get("allow_blank"))
    return Expressed(keywords, exact=False, note=note, looser_for=("string", "number"))


@check(
    "number",
    inline=_inline_number,
    json_schema=_number_form,
    reads_numbers=True,
    reads_context=NO_CONTEXT,
    implies=own_kind("number"),
    fix=NUMBER_FIX,
)
def number(
    value: Any,
    env: Env,
    *,
    gt: float | None = None,
    gte: float | None = None,
    lt: float | None = None,
    lte: float | None = None,
    integer: bool = False,
    allow_blank: bool = False,
) -> bool:
    """A JSON number or numeric string, optionally within bounds; ``allow_blank`` lets "" pass."""
    if allow_blank and is_blank_text(value):
        return True
    parsed = as_number(value)
    if parsed is None:
        return False
    if integer and not parsed.is_integer():
        return False
    return not (
        (gt is not None and not parsed > gt)
        or (gte is not None and not parsed >= gte)
        or (lt is not None and not parsed < lt)
        or (lte is not None and not parsed <= lte)
    )


#: A date as the API documents them, ``d/m/yyyy`` with slashes (``date``'s ``slashed``).
_SLASHED = re.compile(r"^[ ]*[0-9]{1,2}/[0-9]{1,2}/[0-9]{4}[ ]*$", re.ASCII)
SLASHED_PATTERN = _SLASHED.pattern


def _dates(pattern: str, what: str) -> SchemaForm:
    def form(args: Args) -> Expressed:
        written = SLASHED_PATTERN if args.get("slashed") else pattern
        keywords = {"type": "string", "pattern": written, "maxLength": MAX_SCALAR_TEXT}
        note = f"the {what}'s calendar validity (31/02/2017) is not checked"
        return Expressed(or_blank(keywords, args.get("allow_blank")), exact=False, note=note)

    return form


def _inline_date(args: Args, v: str, source: Source) -> str:
    """The check without its call: a date is read once a call (``read_date``'s memo), and
    a document's two dates are tested by three rules each."""
    test = f"{source.bind('READ_DATE', read_date)}({v}, call.env) is not None"
    if args.get("slashed"):
        slashed = source.bind("SLASHED_DATE", _SLASHED)
        test = f"isinstance({v}, str) and {slashed}.fullmatch({v}) is not None and {test}"
    if args.get("allow_blank"):
        test = f"{source.bind('BLANK_TEXT', is_blank_text)}({v}) or {test}"
    return f"({test})"


@check(
    "date",
    inline=_inline_date,
    json_schema=_dates(DATE_PATTERN, "date"),
    reads_numbers=False,
    reads_context=NO_CONTEXT,
    implies=own_kind("date"),
    fix=DATE_FIX,
)
def date(value: Any, env: Env, *, allow_blank: bool = False, slashed: bool = False) -> bool:
    """A real calendar date written as the API reads dates (``dd/mm/yyyy``). With ``slashed``,
    only as the API documents them (``d/m/yyyy`` with slashes): the other forms a Ruby parser
    reads (``yyyy-mm-dd``, dashes, dots) no source shows the API reading, and its v1
    documentation says a date it cannot read is set to the current date."""
    if allow_blank and is_blank_text(value):
        return True
    if slashed and not (isinstance(value, str) and _SLASHED.fullmatch(value)):
        return False
    return read_date(value, env) is not None


#: A slashed date whose two first parts could each be the month (``3/6/2021``).
_TWO_WAYS = LazyPattern(r"[ ]*([0-9]{1,2})/([0-9]{1,2})/[0-9]{4}[ ]*", re.ASCII)


def _inline_day_first(args: Args, v: str, source: Source) -> str:
    return f"(call.env.locale is None or {source.call(v)})"  # no locale stated: day first


@check(
    "day_first",
    inline=_inline_day_first,
    json_schema="it depends on the locale the caller states, which a schema does not see",
    reads_numbers=False,
    reads_context=NO_CONTEXT,
    fix=DATE_FIX,
)
def day_first(value: Any, env: Env) -> bool:
    """Not a date that reads two ways (``3/6/2021``) when the caller states a month-first
    locale (``en_US``): its writer meant the 6th of March, the API reads the 3rd of June.
    Written as the API writes dates, two digits each (``06/03/2021``), it is taken as
    meant day first: that is what the fix writes, so fixing converges. Without such a
    locale, or for any other value, it passes."""
    if not month_first(env.locale) or type(value) is not str:
        return True
    match = _TWO_WAYS.fullmatch(value)
    if match is None or len(match[1]) == len(match[2]) == 2:
        return True
    first, second = int(match[1]), int(match[2])
    return first == second or first > 12 or second > 12 or first == 0 or second == 0


def read_date(value: Any, env: Env) -> tuple[int, int, int] | None:
    """``date_parts(value)`` (the date as ``(year, month, day)``), read once per call: a
    document's date and due date are read by several rules each (the call's memo,
    ``env.memo``, keeps what it read)."""
    if type(value) is not str:
        return date_parts(value)
    key = ("date", value)
    memo = env.memo
    if key in memo:
        found: tuple[int, int, int] | None = memo[key]
        return found
    found = memo[key] = date_parts(value)
    return found


@check(
    "datetime",
    json_schema=_dates(DATETIME_PATTERN, "moment"),
    reads_numbers=False,
    reads_context=NO_CONTEXT,
    implies=own_kind("datetime"),
    fix=DATETIME_FIX,
)
def is_datetime(value: Any, env: Env, *, allow_blank: bool = False) -> bool:
    """A real moment written ``dd/mm/yyyy HH:mm:ss`` (the date alone means midnight)."""
    return (allow_blank and is_blank_text(value)) or as_datetime(value) is not None


@check(
    "date_order",
    json_schema="compares two dates of the object",
    reads_numbers=False,
    reads_context=NO_CONTEXT,
)
def date_order(value: Any, env: Env, *, earlier: str, later: str) -> bool:
    """On an object: its ``later`` date is not before its ``earlier`` one (equal passes).
    Passes when either is absent or unreadable: that is another rule's business."""
    if not isinstance(value, Mapping):
        return True
    first, second = read_date(value.get(earlier), env), read_date(value.get(later), env)
    return first is None or second is None or second >= first


@check(
    "after_now",
    json_schema="compares with the clock",
    reads_numbers=False,
    reads_context=context_keys("now"),
)
def after_now(value: Any, env: Env) -> bool:
    """A ``dd/mm/yyyy HH:mm:ss`` moment strictly later than the context's ``now``."""
    moment = as_datetime(value)
    now = as_iso_datetime(env.context.get("now"))
    return moment is None or now is None or moment > now
