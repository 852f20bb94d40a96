"""The registry of named checks that rule files refer to: one small function each.

A check is ``fn(value, env, **args) -> bool`` (True when the value passes). ``value`` is the
field's value, or the whole object for a rule declared on an object (cross-field checks).
Arguments come from the rule's ``args`` and are checked against the function's keyword-only
parameters when the rules are loaded. A check never sees an absent value: null and false mean
absent, and absence is the business of a field's ``required`` rule.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from .context import Context
from .countries import fold
from .data.countries import COUNTRY_NAMES, TAX_REGION_CODES
from .values import (
    MAX_SCALAR_TEXT,
    absent,
    as_date,
    as_datetime,
    as_iso_datetime,
    as_number,
    display,
    is_flag_set,
)


@dataclass(frozen=True)
class Env:
    """What a check may know besides the value: the call's context and mode."""

    context: Context
    mode: str


CheckFn = Callable[..., bool]
HintFn = Callable[[Any], "str | None"]


@dataclass(frozen=True)
class Check:
    """A registered check: its function, and optionally how to suggest a fix."""

    name: str
    fn: CheckFn
    hint: HintFn | None = None


CHECKS: dict[str, Check] = {}


def check(name: str, *, hint: HintFn | None = None) -> Callable[[CheckFn], CheckFn]:
    """Register ``fn`` under ``name`` (used at import time only; the registry is then read-only)."""

    def register(fn: CheckFn) -> CheckFn:
        if name in CHECKS:
            raise RuntimeError(f"check {name!r} registered twice")
        CHECKS[name] = Check(name, fn, hint)
        return fn

    return register


# --- shapes -------------------------------------------------------------------------------


@check("object")
def is_object(value: Any, env: Env) -> bool:
    """The value is a JSON object."""
    return isinstance(value, Mapping)


@check("array")
def is_array(value: Any, env: Env) -> bool:
    """The value is a JSON array."""
    return isinstance(value, list)


@check("not_empty")
def not_empty(value: Any, env: Env) -> bool:
    """An array or string with at least one element (other values pass: not this check's job)."""
    if isinstance(value, (list, str)):
        return bool(value.strip()) if isinstance(value, str) else bool(value)
    return True


@check("string")
def is_string(value: Any, env: Env) -> bool:
    """The value is a JSON string."""
    return isinstance(value, str)


# --- numbers and dates --------------------------------------------------------------------


@check("number")
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
    if allow_blank and isinstance(value, str) and not value.strip():
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


@check("date")
def date(value: Any, env: Env, *, allow_blank: bool = False) -> bool:
    """A real calendar date written as the API reads dates (``dd/mm/yyyy``)."""
    return (allow_blank and _blank_text(value)) or as_date(value) is not None


@check("datetime")
def is_datetime(value: Any, env: Env, *, allow_blank: bool = False) -> bool:
    """A real moment written ``dd/mm/yyyy HH:mm:ss`` (the date alone means midnight)."""
    return (allow_blank and _blank_text(value)) or as_datetime(value) is not None


def _blank_text(value: Any) -> bool:
    return isinstance(value, str) and not value.strip()


# --- the kinds of field -------------------------------------------------------------------


@check("text")
def is_text(value: Any, env: Env) -> bool:
    """A JSON string, or a number (the API stores ``1`` as ``"1"``, as recorded for ``serie``);
    objects, arrays and ``true`` are not text."""
    return isinstance(value, str) or (
        isinstance(value, (int, float)) and not isinstance(value, bool)
    )


@check("integer")
def is_integer(value: Any, env: Env) -> bool:
    """A whole number, as a JSON integer or a string of digits (blank passes: not sent)."""
    if isinstance(value, str):
        text = value.strip()
        return not text or (len(text) <= MAX_SCALAR_TEXT and text.isascii() and text.isdigit())
    return isinstance(value, int) and not isinstance(value, bool)


@check("flag")
def is_flag(value: Any, env: Env) -> bool:
    """One of the strings ``"0"`` and ``"1"`` (or blank): the only values the API honours as a
    flag (an integer ``1`` was recorded accepted and not applied)."""
    return isinstance(value, str) and value.strip() in ("", "0", "1")


@check("date_order")
def date_order(value: Any, env: Env, *, earlier: str, later: str) -> bool:
    """On an object: its ``later`` date is not before its ``earlier`` one (equal passes).
    Passes when either is absent or unreadable: that is another rule's business."""
    if not isinstance(value, Mapping):
        return True
    first, second = as_date(value.get(earlier)), as_date(value.get(later))
    return first is None or second is None or second >= first


@check("after_now")
def after_now(value: Any, env: Env) -> bool:
    """A ``dd/mm/yyyy HH:mm:ss`` moment strictly later than the context's ``now``."""
    moment = as_datetime(value)
    now = as_iso_datetime(env.context.get("now"))
    return moment is None or now is None or moment > now


# --- strings from a list ------------------------------------------------------------------


@check("one_of")
def one_of(value: Any, env: Env, *, values: Sequence[str], ignore_case: bool = False) -> bool:
    """The value, as the API writes it, is one of ``values``."""
    text = display(value)
    if ignore_case:
        return text.casefold() in _folded(tuple(values))
    return text in values


@lru_cache(maxsize=256)
def _folded(values: tuple[str, ...]) -> frozenset[str]:
    """A list of choices, case-folded once (the generated code folds its own at build time)."""
    return frozenset(choice.casefold() for choice in values)


_FOLDED_COUNTRIES = frozenset(fold(name) for name in COUNTRY_NAMES)
_COUNTRIES = frozenset(COUNTRY_NAMES)


def suggest_country(value: Any) -> str | None:
    """A hint for an unknown country: the API's name for whatever ``ixrules.countries`` can
    place (an ISO code, a name in the main languages), else the nearest of the API's names.
    A territory the API has no name for gets no guess: a neighbour's name would be wrong."""
    from .countries import iso_code, to_api

    text = display(value).strip()
    if len(text) > 64:
        return None
    code = iso_code(text, everywhere=False)  # a linter's hint must not cost half a second
    name = None if code is None else to_api(code)
    if code is not None and name is None:
        return f"the API has no country name for {code}"
    if name is None:
        import difflib

        close = difflib.get_close_matches(text, COUNTRY_NAMES, n=1, cutoff=0.75)
        name = close[0] if close else None
    return f"did you mean {name!r}?" if name else None


@check("country", hint=suggest_country)
def country(value: Any, env: Env) -> bool:
    """One of the API's own 251 country names (not an ISO code)."""
    if type(value) is str and value in _COUNTRIES:  # the API's own spelling, as usually sent
        return True
    return isinstance(value, str) and len(value) <= 64 and fold(value) in _FOLDED_COUNTRIES


@check("tax_region")
def tax_region(value: Any, env: Env) -> bool:
    """PT, PT-AC, PT-MA, Desconhecido, or a country code of the API's tax-region table."""
    return isinstance(value, str) and value in TAX_REGION_CODES


# --- e-mail -------------------------------------------------------------------------------


@check("email")
def email(value: Any, env: Env, *, allow_blank: bool = False) -> bool:
    """One syntactically valid address, checked by email-validator with no network lookup."""
    if not isinstance(value, str):
        return False
    if allow_blank and not value.strip():
        return True
    return _email_ok(value)


@lru_cache(maxsize=4096)
def _email_ok(text: str) -> bool:
    """email-validator's verdict on one address, asked once per address per process (a
    bounded cache of a pure function: thread-safe, and the verdicts are its own)."""
    if len(text) > 320:
        return False
    from email_validator import EmailNotValidError, validate_email

    try:
        validate_email(text, check_deliverability=False, test_environment=True)
    except EmailNotValidError:
        return False
    return True


# --- flags and context --------------------------------------------------------------------


@check("flag_set")
def flag_set(value: Any, env: Env) -> bool:
    """The API's "on" flag ("1", 1 or true)."""
    return is_flag_set(value)


@check("context_true")
def context_true(value: Any, env: Env, *, key: str) -> bool:
    """The context says yes at ``key``."""
    return env.context.get(key) is True


@check("context_not")
def context_not(value: Any, env: Env, *, key: str, values: Sequence[str]) -> bool:
    """The context's value at ``key`` is none of ``values``."""
    return env.context.get(key) not in values


@check("not_taken")
def not_taken(value: Any, env: Env, *, key: str) -> bool:
    """The value is not among the names the context lists at ``key`` (compared without case);
    a mapping lists its keys (``existing.taxes`` may give each name with its rate)."""
    names = env.context.get(key) or ()
    text = display(value).strip().casefold()
    return all(not (isinstance(name, str) and name.strip().casefold() == text) for name in names)


@check("listed")
def listed(value: Any, env: Env, *, key: str) -> bool:
    """The value is among the names the context lists at ``key`` (compared without case and
    surrounding blanks): the other side of ``not_taken``, for a name that must exist."""
    return not not_taken(value, env, key=key)


# --- other resources: lists of addresses, object fields, account and document state -------

_ADDRESS_SEPARATORS = re.compile(r"[,;]")


@check("email_list")
def email_list(value: Any, env: Env, *, allow_blank: bool = False) -> bool:
    """One or more valid addresses separated by commas or semicolons (blanks around them and
    empty parts are ignored), as the send-by-email form takes them; no network lookup."""
    if not isinstance(value, str):
        return False
    parts = [part.strip() for part in _ADDRESS_SEPARATORS.split(value)]
    addresses = [part for part in parts if part]
    if not addresses:
        return allow_blank
    return all(_email_ok(address) for address in addresses)


def _blank(value: Any) -> bool:
    """Absent (null, false, missing) or a string of blanks."""
    return absent(value) or (isinstance(value, str) and not value.strip())


@check("field_given")
def field_given(value: Any, env: Env, *, field: str) -> bool:
    """On an object: its ``field`` is present and not blank."""
    return not isinstance(value, Mapping) or not _blank(value.get(field))


@check("field_blank")
def field_blank(value: Any, env: Env, *, field: str) -> bool:
    """On an object (a guard): its ``field`` is blank. On create an absent field is blank too;
    on update absent means unchanged, so only a field sent blank counts."""
    if not isinstance(value, Mapping):
        return False
    if env.mode == "update":
        sent = value.get(field)
        return isinstance(sent, str) and not sent.strip()
    return _blank(value.get(field))


@check("given_when")
def given_when(value: Any, env: Env, *, field: str, key: str, equals: str) -> bool:
    """On an object: its ``field`` is present and not blank whenever its ``key`` is ``equals``."""
    if not isinstance(value, Mapping) or display(value.get(key)) != equals:
        return True
    return not _blank(value.get(field))


@check("pattern")
def pattern(value: Any, env: Env, *, regex: str, negate: bool = False) -> bool:
    """The string (blanks around it ignored) matches ``regex`` whole; ``negate`` inverts it
    (for a guard). Rule files are loaded only with patterns ``ixrules.patterns`` finds
    linear-time, and texts longer than ``MAX_SCALAR_TEXT`` never reach them."""
    text = display(value).strip()
    matched = len(text) <= MAX_SCALAR_TEXT and re.fullmatch(regex, text) is not None
    return matched != negate


@check("account_not_in")
def account_not_in(value: Any, env: Env, *, countries: Sequence[str]) -> bool:
    """The context's ``account.country`` is none of ``countries`` (names or ISO codes,
    compared without case)."""
    country_ = display(env.context.get("account.country")).strip().casefold()
    return country_ not in {name.casefold() for name in countries}


def _identifier(value: Any) -> str:
    """A fiscal id as the API would store it: blanks removed, case ignored."""
    return "".join(display(value).split()).casefold()


@check("same_as_context")
def same_as_context(value: Any, env: Env, *, key: str) -> bool:
    """The value equals the context's value at ``key`` (ignoring blanks and case), or the
    context's value is blank (a value never set can be set)."""
    stored = _identifier(env.context.get(key))
    return not stored or _identifier(value) == stored


@check("context_false")
def context_false(value: Any, env: Env, *, key: str) -> bool:
    """The context says no at ``key``."""
    return env.context.get(key) is False


@check("context_positive")
def context_positive(value: Any, env: Env, *, key: str) -> bool:
    """The context's count at ``key`` is above zero."""
    count = env.context.get(key)
    return isinstance(count, int) and count > 0


@check("event_allowed")
def event_allowed(value: Any, env: Env, *, transitions: Mapping[str, Sequence[str]]) -> bool:
    """The event may be fired from the context's ``document.status`` by the state machine
    ``transitions`` (status -> events). A status the table does not list is not judged."""
    status = env.context.get("document.status")
    allowed = transitions.get(status) if isinstance(status, str) else None
    return allowed is None or display(value) in allowed


#: The media types the API's Rails 2 backend parses as JSON (``Mime::JSON`` and its aliases).
JSON_MEDIA_TYPES = frozenset({"application/json", "text/x-json", "application/jsonrequest"})


def is_json_content_type(header: Any) -> bool:
    """True for a ``Content-Type`` the API reads a JSON body with (parameters such as the
    charset do not matter; ``+json`` suffix types are not JSON to Rails 2).

    >>> is_json_content_type("application/json; charset=utf-8"), is_json_content_type(None)
    (True, False)
    >>> is_json_content_type("application/vnd.api+json")
    False
    """
    if not isinstance(header, str):
        return False
    return header.split(";", 1)[0].strip().casefold() in JSON_MEDIA_TYPES


@check("json_content_type")
def json_content_type(value: Any, env: Env) -> bool:
    """The request's ``Content-Type`` (context ``request.content_type``) is JSON."""
    return is_json_content_type(env.context.get("request.content_type"))


# --- what real accounts answer: fiscal numbers, lengths, tax exemptions -----------------------


def _portugal(country_: Any) -> bool:
    """The client's country names Portugal, as the ``country`` check reads names."""
    return isinstance(country_, str) and fold(country_) == "portugal"


def _nif_applies(value: Mapping[str, Any], country_field: str) -> bool:
    """A NIF is checked for a client of Portugal or of no country (absent or blank)."""
    country_ = value.get(country_field)
    return _blank(country_) or _portugal(country_)


@check("pt_nif")
def pt_nif(value: Any, env: Env, *, field: str, country: str) -> bool:
    """On a client: its ``field`` is a Portuguese NIF with a right check digit (a ``PT`` prefix
    and blanks allowed), when its ``country`` is Portugal or not given. A blank number passes
    (a final consumer), and so does any number of a client of another country."""
    if not isinstance(value, Mapping) or not _nif_applies(value, country):
        return True
    number = value.get(field)
    if _blank(number) or isinstance(number, bool) or not isinstance(number, (str, int)):
        return True  # none (a final consumer), or not text: the field's kind says so
    from .fiscal import is_valid_pt_nif

    return is_valid_pt_nif(number)


@check("vat_of_country")
def vat_of_country(value: Any, env: Env, *, field: str, country: str) -> bool:
    """On a client of Portugal: its ``field`` is not another EU country's VAT number (``FR...``,
    ``ES...``): the API checks the pair. Clients of other countries, or of none, pass."""
    if not isinstance(value, Mapping) or not _portugal(value.get(country)):
        return True
    from .fiscal import vat_country

    found = vat_country(value.get(field))
    return found is None or found == "PT"


@check("max_length")
def max_length(value: Any, env: Env, *, maximum: int) -> bool:
    """Text (a number as its digits) of at most ``maximum`` characters, as Rails counts them."""
    if isinstance(value, (list, Mapping)) or value is True:
        return True  # not text: another rule's business
    return len(display(value)) <= maximum


def _zero_rated(line: Any, rates: Mapping[str, Any]) -> bool:
    """A document line whose tax the account rates at 0 % (``rates``: name -> rate, the
    context's ``existing.taxes`` as a mapping; names compared without case)."""
    tax = line.get("tax") if isinstance(line, Mapping) else None
    name = tax.get("name") if isinstance(tax, Mapping) else None
    if not isinstance(name, str) or not name.strip():
        return False
    wanted = name.strip().casefold()
    return any(
        isinstance(known, str) and known.strip().casefold() == wanted and as_number(rate) == 0
        for known, rate in rates.items()
    )


@check("exemption_given")
def exemption_given(
    value: Any, env: Env, *, field: str, items: str, countries: Sequence[str]
) -> bool:
    """On a document of an account of ``countries`` (context ``account.country``): when a line
    of ``items`` names a tax the account rates at 0 % (context ``existing.taxes`` as a mapping
    name -> rate), ``field`` is given. The API applies the account's tax of that name, so the
    body alone cannot say a line is exempt: without the rates nothing is judged."""
    rates = env.context.get("existing.taxes")
    if not isinstance(value, Mapping) or not isinstance(rates, Mapping):
        return True
    if account_not_in(value, env, countries=countries):
        return True
    lines = value.get(items)
    if not isinstance(lines, list) or not any(_zero_rated(line, rates) for line in lines):
        return True
    return not _blank(value.get(field))
