"""How the built-in checks repair a failing value: the ``fix`` fact of their registrations.

Each repair is ``repair(value, env, **args)`` with the check's own arguments, and answers the
value to send instead, a :class:`~ixrules.checks.registry.Repaired` when this value's repair is
less certain than the fix's usual one, or None when it cannot say. A repair never guesses
where the meaning could change without saying so: such a repair is ``unsafe`` (applied only
when asked) or ``display`` (only shown). :mod:`ixrules.fixes` applies them.
"""

from __future__ import annotations

import math
import re

from ..lazypattern import LazyPattern
from .registry import Env, Fix, Repaired

TYPE_CHECKING = False  # not typing's: importing typing is a cost of every start
if TYPE_CHECKING:
    from typing import Any

# --- countries ----------------------------------------------------------------------------


def country_name(value: Any, env: Env) -> str | None:
    """The API's name for an ISO code or a name in English, Portuguese, Spanish, French, German
    or the caller's language (``PT``, ``Alemanha``, ``United Kingdom``, ``Macao``); None when it
    names no territory the API has a name for (an unknown code never becomes a guess)."""
    from ..countries import iso_code, to_api

    if not isinstance(value, str):
        return None
    code = iso_code(value.strip(), locale=env.locale, everywhere=False)
    return None if code is None else to_api(code)


COUNTRY_FIX = Fix(
    country_name,
    "safe",
    "an ISO code or another language's name of a country -> the API's name for it",
)

# --- numbers as text ----------------------------------------------------------------------


def number_text(value: Any, env: Env) -> str | None:
    """A JSON number written as the string the API wants (``12.5`` -> ``"12.5"``), digit for
    digit as it was written: no exponent, nothing rounded."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    if isinstance(value, int):
        return str(value)
    if not math.isfinite(value):
        return None
    text = repr(value)
    if "e" in text or "E" in text:
        from decimal import Decimal  # only for 1e+20: not on every start-up

        text = format(Decimal(text), "f")
    return text


STRING_FIX = Fix(number_text, "safe", "a JSON number -> the same number as a string")

# --- flags --------------------------------------------------------------------------------


def flag_text(value: Any, env: Env) -> str | None:
    """``1``, ``true`` -> ``"1"`` and ``0``, ``false`` -> ``"0"``: the flag the value meant."""
    if value is True or (type(value) is int and value == 1):
        return "1"
    if value is False or (type(value) is int and value == 0):
        return "0"
    return None


FLAG_FIX = Fix(flag_text, "safe", 'a flag sent as 1, true, 0 or false -> "1" or "0"')

# --- dates --------------------------------------------------------------------------------

_ISO_MOMENT = LazyPattern(
    r"\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?"
    r"(Z|[+-]\d{2}:?\d{2})?)?\s*",
    re.ASCII,
)
_YEAR_FIRST = LazyPattern(r"\s*(\d{4})[/.](\d{1,2})[/.](\d{1,2})\s*", re.ASCII)
#: A day, a month and a year with one separator (``1/5/2026``, ``01-05-2026``, ``1.5.2026``).
_DAY_MONTH_YEAR = LazyPattern(r"\s*(\d{1,2})([/.-])(\d{1,2})\2(\d{4})\s*", re.ASCII)
#: Locales whose users write a date month first (``3/6/2021`` is the 6th of March).
_MONTH_FIRST = frozenset({"en_us", "en_ph", "en_ca"})


def month_first(locale: str | None) -> bool:
    """True when the caller states a locale whose users write dates month first."""
    return (locale or "").replace("-", "_").casefold() in _MONTH_FIRST


def _real(year: int, month: int, day: int) -> bool:
    import datetime

    try:
        datetime.date(year, month, day)
    except ValueError:
        return False
    return True


def _dmy(year: int, month: int, day: int) -> str:
    return f"{day:02d}/{month:02d}/{year:04d}"


def date_text(
    value: Any, env: Env, *, allow_blank: bool = False, slashed: bool = False
) -> str | Repaired | None:
    """A flagged date written ``dd/mm/yyyy`` (the ``date`` check's arguments are taken and
    need not be read: whatever form of date was flagged, this is the form every rule takes).

    For certain: an ISO date (``2026-05-01``), an ISO moment without a time zone or at UTC
    midnight (its day is the day written), ``yyyy/mm/dd``, and a day-first date with dashes or
    dots (``01-05-2026``, ``1.5.2026``: read day first, as the API's date parser reads them).
    Only when asked: an ISO moment in a time zone (the zone may move the day); a month-first
    date (``12/25/2021``, where no day-first reading is a real day); and, when the caller
    states a month-first locale (``en_US``), an ambiguous date (``05-01-2026``, ``3/6/2021``:
    the second flagged by ``document.date.month_first`` only then) read month first."""
    if not isinstance(value, str):
        return None
    match = _ISO_MOMENT.fullmatch(value)
    if match:
        year, month, day = int(match[1]), int(match[2]), int(match[3])
        if not _real(year, month, day):
            return None
        text = _dmy(year, month, day)
        midnight = all(int(part or 0) == 0 for part in match.groups()[3:6])
        if match[7] is None or (midnight and match[7] in ("Z", "+00:00", "+0000")):
            return text
        return Repaired(text, "unsafe", "the day of an ISO moment (its time zone may move it)")
    match = _YEAR_FIRST.fullmatch(value)
    if match:
        year, month, day = int(match[1]), int(match[2]), int(match[3])
        return _dmy(year, month, day) if _real(year, month, day) else None
    match = _DAY_MONTH_YEAR.fullmatch(value)
    if match:
        first, second, year = int(match[1]), int(match[3]), int(match[4])
        ambiguous = first != second and first <= 12 and second <= 12
        if _real(year, second, first) and not (month_first(env.locale) and ambiguous):
            return _dmy(year, second, first)
        if _real(year, first, second):
            note = "a month-first date (m/d/yyyy) written day first"
            return Repaired(_dmy(year, first, second), "unsafe", note)
    return None


DATE_FIX = Fix(
    date_text,
    "safe",
    "an ISO date, an ISO moment without a time zone, yyyy/mm/dd, dd-mm-yyyy or d.m.yyyy -> "
    "dd/mm/yyyy (unsafe: a moment in a time zone, a month-first 12/25/2021, an ambiguous "
    "date under a stated month-first locale)",
)


def datetime_text(value: Any, env: Env, *, allow_blank: bool = False) -> str | Repaired | None:
    """An ISO moment written ``dd/mm/yyyy HH:MM:SS``: for certain without a time zone; with
    one only when asked (the API reads the moment in the account's time)."""
    if not isinstance(value, str):
        return None
    match = _ISO_MOMENT.fullmatch(value)
    if not match:
        return None
    year, month, day = int(match[1]), int(match[2]), int(match[3])
    hour, minute, second = (int(part or 0) for part in match.groups()[3:6])
    if not _real(year, month, day) or hour > 23 or minute > 59 or second > 59:
        return None
    text = f"{_dmy(year, month, day)} {hour:02d}:{minute:02d}:{second:02d}"
    if match[7] is None:
        return text
    return Repaired(text, "unsafe", "an ISO moment with its time zone dropped")


DATETIME_FIX = Fix(
    datetime_text,
    "safe",
    "an ISO moment -> dd/mm/yyyy HH:MM:SS (unsafe when it names a time zone)",
)

# --- decimal commas -----------------------------------------------------------------------

#: Languages that write a decimal comma (``1,5``), by their code.
_COMMA_LANGUAGES = frozenset({"pt", "es", "fr", "de", "it", "nl", "ca", "gl"})
_COMMA_NUMBER = LazyPattern(r"\s*(-?)(\d{1,3}(?:\.\d{3})+|\d+),(\d+)\s*", re.ASCII)


def decimal_point(value: Any, env: Env, **args: Any) -> str | None:
    """``"1,5"`` -> ``"1.5"`` (``"1.234,5"`` -> ``"1234.5"``) when the caller said the values
    were written in a language with a decimal comma (``locale="pt"``); without it, a comma
    could as well separate thousands."""
    language = (env.locale or "").replace("-", "_").split("_")[0].casefold()
    if language not in _COMMA_LANGUAGES or not isinstance(value, str):
        return None
    match = _COMMA_NUMBER.fullmatch(value)
    if not match:
        return None
    return f"{match[1]}{match[2].replace('.', '')}.{match[3]}"


NUMBER_FIX = Fix(
    decimal_point,
    "unsafe",
    'a decimal comma ("1,5") -> a decimal point, when the locale writes one (locale="pt")',
)

# --- lengths ------------------------------------------------------------------------------


def shortened(value: Any, env: Env, *, maximum: int) -> Repaired | None:
    """The text cut to ``maximum`` characters: only shown, since what to cut is the user's."""
    if not isinstance(value, str) or len(value) <= maximum:
        return None
    return Repaired(value[:maximum].rstrip())


LENGTH_FIX = Fix(shortened, "display", "text over its maximum -> the text cut to fit (shown only)")

# --- tax exemptions -----------------------------------------------------------------------


def exemption_advice(value: Any, env: Env, **args: Any) -> Repaired:
    """Nothing to write for the user: the reason of a 0 % line is the accountant's choice."""
    field = args.get("field", "tax_exemption")
    return Repaired(None, description=f"name the VAT exemption reason (M01...M99) in {field!r}")


EXEMPTION_FIX = Fix(
    exemption_advice,
    "display",
    "a 0 % line without an exemption reason -> which field to fill in (shown only)",
)
