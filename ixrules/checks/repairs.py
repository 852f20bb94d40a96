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
from typing import Any

from .registry import Env, Fix, Repaired

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

_ISO_MOMENT = re.compile(
    r"\s*(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?"
    r"(Z|[+-]\d{2}:?\d{2})?)?\s*",
    re.ASCII,
)
_YEAR_FIRST = re.compile(r"\s*(\d{4})[/.](\d{1,2})[/.](\d{1,2})\s*", re.ASCII)
_SLASHED = re.compile(r"\s*(\d{1,2})/(\d{1,2})/(\d{4})\s*", re.ASCII)
#: Locales whose users write a date month first (``3/6/2021`` is the 6th of March).
_MONTH_FIRST = ("en_us", "en-us", "en_ph", "en-ph", "en_ca", "en-ca")


def _real(year: int, month: int, day: int) -> bool:
    import datetime

    try:
        datetime.date(year, month, day)
    except ValueError:
        return False
    return True


def _dmy(year: int, month: int, day: int) -> str:
    return f"{day:02d}/{month:02d}/{year:04d}"


def date_text(value: Any, env: Env, *, allow_blank: bool = False) -> str | Repaired | None:
    """A date the API does not read, written ``dd/mm/yyyy``: an ISO moment at midnight and
    ``yyyy/mm/dd`` for certain; an ISO moment at another time (its time zone may have moved
    the day) or a month-first ``12/25/2021`` only when asked."""
    if not isinstance(value, str):
        return None
    match = _ISO_MOMENT.fullmatch(value)
    if match:
        year, month, day = int(match[1]), int(match[2]), int(match[3])
        if not _real(year, month, day):
            return None
        text = _dmy(year, month, day)
        midnight = all(int(part or 0) == 0 for part in match.groups()[3:6])
        if midnight and match[7] in (None, "Z", "+00:00", "+0000"):
            return text
        return Repaired(text, "unsafe", "the day of an ISO moment (its time zone may move it)")
    match = _YEAR_FIRST.fullmatch(value)
    if match:
        year, month, day = int(match[1]), int(match[2]), int(match[3])
        return _dmy(year, month, day) if _real(year, month, day) else None
    match = _SLASHED.fullmatch(value)
    if match:
        month, day, year = int(match[1]), int(match[2]), int(match[3])
        month_first = (env.locale or "").casefold() in _MONTH_FIRST
        if (day > 12 or month_first) and _real(year, month, day):
            note = "a month-first date (m/d/yyyy) written day first"
            return Repaired(_dmy(year, month, day), "unsafe", note)
    return None


DATE_FIX = Fix(
    date_text,
    "safe",
    "an ISO moment at midnight or yyyy/mm/dd -> dd/mm/yyyy (unsafe: another time of day, "
    "or a month-first 12/25/2021)",
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
_COMMA_NUMBER = re.compile(r"\s*(-?)(\d{1,3}(?:\.\d{3})+|\d+),(\d+)\s*", re.ASCII)


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
