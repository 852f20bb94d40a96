"""Checks of text: a choice from a list, a country, a tax region, e-mail addresses, a pattern,
a length."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from functools import lru_cache

from ..countries import fold
from ..data.countries import COUNTRY_NAMES, TAX_REGION_CODES
from ..lazypattern import LazyPattern
from ..values import MAX_SCALAR_TEXT, display
from .registry import NO_CONTEXT, Args, Env, check, own_kind
from .repairs import COUNTRY_FIX, LENGTH_FIX
from .schemaforms import (
    Expressed,
    blanks,
    casefold_pattern,
    for_type,
    looks_like_another_type,
    or_blank,
)

TYPE_CHECKING = False  # not typing's: importing typing is a cost of every start
if TYPE_CHECKING:
    from typing import Any

    from .source import Source

# --- one of a list ------------------------------------------------------------------------


def _inline_one_of(args: Args, v: str, source: Source) -> str | None:
    values = args["values"]
    text = f"({v} if type({v}) is str else {source.bind('display', display)}({v}))"
    if args.get("ignore_case"):
        folded = frozenset(value.casefold() for value in values)
        exact = frozenset(value for value in folded if value.casefold() == value)
        # written as listed (the usual case): no fold
        return (
            f"(type({v}) is str and {v} in {source.const('S', exact)} "
            f"or {text}.casefold() in {source.const('S', folded)})"
        )
    if all(type(value) is str for value in values):
        return f"{text} in {source.const('S', frozenset(values))}"
    return None


def _one_of_form(args: Args) -> Expressed | str:
    values = [str(value) for value in args.get("values", ())]
    if any(looks_like_another_type(value) for value in values):
        return "a choice that a number or true would also spell"
    if not args.get("ignore_case"):
        return Expressed({"enum": values})
    patterns = [casefold_pattern(value) for value in values]
    if any(pattern is None for pattern in patterns):
        return "too many ways to write its choices in any case"
    alternatives = "|".join(f"(?:{str(pattern)[1:-1]})" for pattern in patterns)
    keywords = {"type": "string", "pattern": f"^(?:{alternatives})$"}
    return Expressed(keywords, hints={"examples": values})


@check(
    "one_of",
    inline=_inline_one_of,
    json_schema=_one_of_form,
    reads_numbers=False,
    reads_context=NO_CONTEXT,
)
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


# --- countries and tax regions ------------------------------------------------------------

_FOLDED_COUNTRIES = frozenset(fold(name) for name in COUNTRY_NAMES)
_COUNTRIES = frozenset(COUNTRY_NAMES)


def suggest_country(value: Any) -> str | None:
    """A hint for an unknown country: the API's name for whatever ``ixrules.countries`` can
    place (an ISO code, a name in the main languages), else the nearest of the API's names.
    A territory the API has no name for gets no guess: a neighbour's name would be wrong."""
    from ..countries import iso_code, to_api

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


def _country_form(args: Args) -> Expressed:
    note = (
        "the name itself is not checked: the API ignores case, accents and the apostrophe's "
        "shape, which no enum can say (the API's names are given as examples)"
    )
    keywords = {"type": "string", "maxLength": 64}
    return Expressed(keywords, exact=False, note=note, hints={"examples": list(COUNTRY_NAMES)})


@check(
    "country",
    hint=suggest_country,
    fix=COUNTRY_FIX,
    json_schema=_country_form,
    reads_numbers=False,
    reads_context=NO_CONTEXT,
)
def country(value: Any, env: Env) -> bool:
    """One of the API's own 251 country names (not an ISO code)."""
    if type(value) is str and value in _COUNTRIES:  # the API's own spelling, as usually sent
        return True
    return isinstance(value, str) and len(value) <= 64 and fold(value) in _FOLDED_COUNTRIES


@check(
    "tax_region",
    json_schema=lambda args: Expressed({"enum": sorted(TAX_REGION_CODES)}),
    reads_numbers=False,
    reads_context=NO_CONTEXT,
)
def tax_region(value: Any, env: Env) -> bool:
    """PT, PT-AC, PT-MA, Desconhecido, or a country code of the API's tax-region table."""
    return isinstance(value, str) and value in TAX_REGION_CODES


# --- e-mail -------------------------------------------------------------------------------

_EMAIL_NOTE = (
    "only the '@' is checked: JSON Schema's email format is stricter than email-validator for "
    "internationalised addresses"
)


def _email_form(args: Args) -> Expressed:
    keywords = {"type": "string", "pattern": "@", "maxLength": 320}
    return Expressed(or_blank(keywords, args.get("allow_blank")), exact=False, note=_EMAIL_NOTE)


@check(
    "email",
    json_schema=_email_form,
    reads_numbers=False,
    reads_context=NO_CONTEXT,
    implies=own_kind("email"),
)
def email(value: Any, env: Env, *, allow_blank: bool = False) -> bool:
    """One syntactically valid address, checked by email-validator with no network lookup."""
    if not isinstance(value, str):
        return False
    if allow_blank and not value.strip():
        return True
    return _email_ok(value)


#: What the local part of a common address is made of (a subset of RFC 5322's atext).
_LOCAL_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_%+-")
#: What a label of a common domain is made of.
_LABEL_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-")
#: Top-level domains email-validator refuses or treats apart (its special-use names).
_SPECIAL_TLDS = frozenset({"arpa", "invalid", "local", "localhost", "onion", "test"})


def common_address(text: str) -> bool:
    """True when ``text`` is an address of the common ASCII form that email-validator accepts
    (checked without importing it: compiling its Unicode patterns is 30 ms of a process's
    start-up): a local part of letters, digits and ``_%+-`` in dot-separated runs, at most 64
    characters; a domain of two or more labels of letters, digits and inner hyphens (at most
    63 characters each, no ``xn--``-like label), at most 253 characters, ending in a label of
    letters that is not a special-use name. False says nothing: email-validator decides every
    other text (a property test holds this to its verdicts).

    >>> common_address("ana.silva+iv@mail.example.pt"), common_address("a..b@example.pt")
    (True, False)
    """
    if len(text) > 254 or not text.isascii():
        return False
    local, at, domain = text.partition("@")
    if not at or not 0 < len(local) <= 64 or len(domain) > 253:
        return False
    for run in local.split("."):
        if not run or not _LOCAL_CHARS.issuperset(run):
            return False
    labels = domain.split(".")
    if len(labels) < 2:
        return False
    for label in labels:
        if not 0 < len(label) <= 63 or not _LABEL_CHARS.issuperset(label):
            return False
        if label[0] == "-" or label[-1] == "-" or label[2:4] == "--":
            return False
    top = labels[-1]
    return top.isalpha() and top.lower() not in _SPECIAL_TLDS


@lru_cache(maxsize=4096)
def _email_ok(text: str) -> bool:
    """The verdict on one address, asked once per address per process (a bounded cache of a
    pure function: thread-safe): a common address is accepted at once, any other is
    email-validator's to decide."""
    if len(text) > 320:
        return False
    if common_address(text):
        return True
    from email_validator import EmailNotValidError, validate_email

    try:
        validate_email(text, check_deliverability=False, test_environment=True)
    except EmailNotValidError:
        return False
    return True


_ADDRESS_SEPARATORS = LazyPattern(r"[,;]")


def _email_list_form(args: Args) -> Expressed:
    keywords: dict[str, Any] = {"type": "string"}
    if not args.get("allow_blank"):
        keywords["pattern"] = "@"
    note = "each address of the list is not checked, " + _EMAIL_NOTE
    return Expressed(keywords, exact=False, note=note)


@check("email_list", json_schema=_email_list_form, reads_numbers=False, reads_context=NO_CONTEXT)
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


# --- patterns and lengths -----------------------------------------------------------------

#: Patterns of the rule files that mean the same to Python and to ECMA-262: no escapes, no
#: groups with options, no dot (which the two read differently at line ends).
_PORTABLE = LazyPattern(r"[^\\.$]*")


def _pattern_form(args: Args) -> Expressed | str:
    regex = str(args.get("regex", ""))
    if args.get("negate"):
        return "a pattern the value must not match"
    if "(?" in regex or not _PORTABLE.fullmatch(regex):
        return "its pattern is not one ECMA-262 reads as Python does"
    # only on strings ixrules would read (longer ones it refuses): the blanks around the value
    # may also match the rule's pattern, and backtracking over them must stay short
    keywords = {
        "if": {"type": "string", "maxLength": MAX_SCALAR_TEXT},
        "then": {"type": "string", "pattern": f"^{blanks()}*(?:{regex}){blanks()}*$"},
    }
    note = "a number, or a string longer than 256 characters, is not checked"
    anything = ("string", "number", "boolean", "array", "object")
    return Expressed(keywords, exact=False, note=note, typed=False, looser_for=anything)


def _linear_regex(args: Args) -> str | None:
    """A rule pack is text from anyone: its pattern must run in linear time."""
    from ..patterns import UnsafePattern, check_pattern

    try:
        check_pattern(args["regex"])
    except UnsafePattern as exc:
        return f"regex {args['regex']!r} is refused: {exc}"
    return None


@check(
    "pattern",
    json_schema=_pattern_form,
    reads_numbers=False,
    reads_context=NO_CONTEXT,
    arguments=_linear_regex,
)
def pattern(value: Any, env: Env, *, regex: str, negate: bool = False) -> bool:
    """The string (blanks around it ignored) matches ``regex`` whole; ``negate`` inverts it
    (for a guard). Rule files are loaded only with patterns ``ixrules.patterns`` finds
    linear-time, and texts longer than ``MAX_SCALAR_TEXT`` never reach them."""
    text = display(value).strip()
    matched = len(text) <= MAX_SCALAR_TEXT and re.fullmatch(regex, text) is not None
    return matched != negate


def _max_length_form(args: Args) -> Expressed:
    note = "a number's digits are not counted"
    keywords = for_type("string", {"maxLength": int(args["maximum"])})
    return Expressed(keywords, exact=False, note=note, typed=False, looser_for=("number",))


def _inline_max_length(args: Args, v: str, source: Source) -> str:
    limit = source.const("K", args["maximum"])
    return f"((len({v}) <= {limit}) if type({v}) is str else {source.call(v)})"


@check(
    "max_length",
    inline=_inline_max_length,
    json_schema=_max_length_form,
    reads_numbers=False,
    reads_context=NO_CONTEXT,
    fix=LENGTH_FIX,
)
def max_length(value: Any, env: Env, *, maximum: int) -> bool:
    """Text (a number as its digits) of at most ``maximum`` characters, as Rails counts them."""
    if isinstance(value, (list, Mapping)) or value is True:
        return True  # not text: another rule's business
    return len(display(value)) <= maximum
