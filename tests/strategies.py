"""Hypothesis strategies that build request bodies from the rules themselves.

Every endpoint's FieldSpec tree is walked: objects get their fields, arrays their items, and a
leaf gets a value drawn from the strategy of one of its checks. ``CHECK_STRATEGIES`` says, for
each check name of the registry, how to make a value (or an object, or a context) that passes
it and one that fails it. A check added to ``ixrules/checks/`` needs an entry here;
``test_every_check_has_a_strategy`` lists the ones that have none.

The strategies are an independent statement of what the API accepts (Ruby's number syntax,
``dd/mm/yyyy`` dates, the API's country names, ...): a value a strategy calls valid that ixrules
refuses, or the reverse, is a bug in one of the two. Only where two rules constrain the same
value is the other rule's check function used, as a filter.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import string
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from hypothesis import assume, settings
from hypothesis import strategies as st

from ixrules.api import default_rules
from ixrules.checks import CHECKS, Env
from ixrules.context import Context
from ixrules.data.countries import COUNTRY_NAMES, TAX_REGION_CODES
from ixrules.model import EndpointSpec, FieldSpec, Rule
from ixrules.values import as_number

Args = Mapping[str, Any]
Strategy = st.SearchStrategy[Any]

#: Examples per property in the normal suite; the ``long`` profile (HYPOTHESIS_PROFILE=long,
#: see tests/conftest.py and tox.ini) runs its own, much larger, number instead.
LONG = os.environ.get("HYPOTHESIS_PROFILE") == "long"


def examples(normal: int) -> int:
    """How many examples a property tries: ``normal`` in the suite, the profile's in a long run."""
    return max(normal, settings.default.max_examples) if LONG else normal


# --- plain JSON -------------------------------------------------------------------------------

SCALARS: Strategy = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=12)
)
#: Arbitrary JSON as a JSON parser returns it (NaN and Infinity included: Python's json module
#: reads them, and reads ``1e400`` as infinity).
JSON: Strategy = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=24,
)
#: What a Python caller may hand over where JSON belongs.
PYTHON_ONLY: Strategy = st.one_of(
    st.tuples(st.integers(), st.text(max_size=3)),
    st.frozensets(st.integers(), max_size=3),
    st.binary(max_size=8),
    # past Python's int-to-str limit (drawn as an exponent: hypothesis prints what it draws)
    st.integers(min_value=4400, max_value=4500).map(lambda digits: -(10**digits)),
    st.just(object()),
    st.dictionaries(st.integers() | st.none(), st.integers(), max_size=2),
)
PRESENT: Strategy = st.text(min_size=1, max_size=12) | st.integers() | st.floats(allow_nan=False)


# --- one strategy per check -------------------------------------------------------------------


@dataclass(frozen=True)
class CheckStrategy:
    """How to pass and fail one check.

    ``valid``/``invalid``: values that pass/fail it (for checks on a value). ``repair``/
    ``spoil``: for checks on an object (cross-field), make a generated object pass, or the
    field updates that make it fail. ``context_pass``/``context_fail``: for checks that read
    the context, the context entries (dotted key -> value) under which it passes/fails for a
    value (``context_fail`` gives None when no context fails it for that value). ``fields``:
    for a check on an object, the fields a generated object always has (not blank), so that
    it passes. (The context keys a check reads are its registration's ``reads_context``.)
    """

    valid: Callable[[Args], Strategy] | None = None
    invalid: Callable[[Args], Strategy] | None = None
    repair: Callable[[dict[str, Any], Args], dict[str, Any]] | None = None
    spoil: Callable[[Args], Strategy] | None = None
    context_pass: Callable[[Args, Any], dict[str, Any]] | None = None
    context_fail: Callable[[Args, Any], dict[str, Any] | None] | None = None
    fields: Callable[[Args], tuple[str, ...]] = lambda args: ()


def _texts_with_a_digit(alphabet: str = string.ascii_letters) -> Strategy:
    """Text that is no country name, unit or code: every one of those lacks digits."""
    return st.builds(
        lambda a, d, b: a + d + b,
        st.text(alphabet, max_size=6),
        st.sampled_from("0123456789"),
        st.text(alphabet, max_size=6),
    )


NOT_NUMERIC_TEXT = [
    "",
    " ",
    "1,5",
    "123,0000",
    "NaN",
    "nan",
    "Infinity",
    "-Infinity",
    "inf",
    "0x10",
    "1__0",
    "_1",
    "1_",
    "1.",
    "1e",
    "e1",
    "--1",
    "+-1",
    "1 2",
    "\u0661\u0662",  # Arabic-Indic digits: Python's float reads them, Ruby's Float does not
    "\uff11\uff12",  # full-width digits
    "1\u00a0",
    "ten",
    "10%",
]


def _number_text(x: float | int, style: int) -> str:
    text = repr(x) if isinstance(x, float) else str(x)
    if style == 1:
        return f" {text} "
    if style == 2 and isinstance(x, int) and abs(x) >= 10:
        digits = str(abs(x))
        return ("-" if x < 0 else "") + digits[0] + "_" + digits[1:]
    if style == 3:
        return f"{x:e}" if float(f"{x:e}") == x else text
    return text


def _in_bounds(args: Args) -> Callable[[float], bool]:
    def ok(x: float) -> bool:
        return not (
            ("gt" in args and args["gt"] is not None and not x > args["gt"])
            or ("gte" in args and args["gte"] is not None and not x >= args["gte"])
            or ("lt" in args and args["lt"] is not None and not x < args["lt"])
            or ("lte" in args and args["lte"] is not None and not x <= args["lte"])
            or (args.get("integer") and not float(x).is_integer())
        )

    return ok


def _valid_numbers(args: Args) -> Strategy:
    ok = _in_bounds(args)
    low = max((args[k] for k in ("gt", "gte") if args.get(k) is not None), default=-1e9)
    high = min((args[k] for k in ("lt", "lte") if args.get(k) is not None), default=1e9)
    floats = st.floats(min_value=low, max_value=high, allow_nan=False, allow_infinity=False)
    if args.get("integer"):
        floats = st.integers(min_value=int(low) - 1, max_value=int(high) + 1).map(float)
    ints = st.integers(min_value=int(max(low, -1e9)) - 1, max_value=int(min(high, 1e9)) + 1)
    numbers = (floats | ints | st.sampled_from([0, 1, 99.99, 100, 0.001, 1e6])).filter(ok)
    as_text = st.builds(_number_text, numbers, st.integers(0, 3)).filter(
        lambda text: ok(float(text.replace("_", "")))
    )
    blank = st.sampled_from(["", "  "]) if args.get("allow_blank") else st.nothing()
    return numbers | as_text | blank


def _invalid_numbers(args: Args) -> Strategy:
    ok = _in_bounds(args)
    texts = [t for t in NOT_NUMERIC_TEXT if not (args.get("allow_blank") and not t.strip())]
    shapes = (
        st.sampled_from(texts) | st.just(True) | st.lists(st.integers(), min_size=1, max_size=2)
    )
    shapes |= st.sampled_from([float("nan"), float("inf"), float("-inf"), 10**400])
    shapes |= st.text(string.ascii_letters, min_size=1, max_size=6).filter(
        lambda t: t.lower() not in ("e",)
    )
    outside = (st.floats(-1e9, 1e9) | st.integers(-(10**9), 10**9)).filter(lambda x: not ok(x))
    return shapes | outside | outside.map(repr)


def _format_date(day: dt.date, style: int) -> str:
    if style == 1:
        return f"{day.day}/{day.month}/{day.year:04d}"
    if style == 2:
        return f"{day.day:02d}-{day.month:02d}-{day.year:04d}"
    if style == 3:
        return day.isoformat()
    return f"{day.day:02d}/{day.month:02d}/{day.year:04d}"


DATES: Strategy = st.dates(min_value=dt.date(1000, 1, 1), max_value=dt.date(9999, 12, 31))
INVALID_DATES = [
    "31/02/2017",
    "32/01/2017",
    "01/13/2017",
    "00/01/2017",
    "2017/12/03",
    "3/12/17",
    "01/12/2017 10",
    "01.12-2017",
    "tomorrow",
    "",
    "\u0660\u0661/\u0661\u0662/\u0662\u0660\u0661\u0667",
]


def _datetimes(args: Args) -> Strategy:
    return st.builds(
        lambda d, h, m, s: f"{_format_date(d, 0)} {h:02d}:{m:02d}:{s:02d}",
        DATES,
        st.integers(0, 23),
        st.integers(0, 59),
        st.integers(0, 59),
    ) | DATES.map(lambda d: _format_date(d, 0))


def _date_order_repair(obj: dict[str, Any], args: Args) -> dict[str, Any]:
    first, second = obj.get(args["earlier"]), obj.get(args["later"])
    if isinstance(first, str) and isinstance(second, str):
        from ixrules.values import as_date  # only to order two generated, valid dates

        a, b = as_date(first), as_date(second)
        if a is not None and b is not None and b < a:
            return {**obj, args["earlier"]: second, args["later"]: first}
    return obj


def _date_order_spoil(args: Args) -> Strategy:
    def updates(day: dt.date, back: int, styles: tuple[int, int]) -> dict[str, Any]:
        before = day - dt.timedelta(days=back)
        return {
            args["earlier"]: _format_date(day, styles[0]),
            args["later"]: _format_date(before, styles[1]),
        }

    days = st.dates(min_value=dt.date(1001, 1, 1), max_value=dt.date(9999, 12, 31))
    return st.builds(
        updates, days, st.integers(1, 400), st.tuples(st.integers(0, 3), st.integers(0, 3))
    )


def _case_variants(choices: list[str]) -> Strategy:
    return st.sampled_from(choices).flatmap(
        lambda c: st.sampled_from([c, c.lower(), c.upper(), c.title()])
    )


def _one_of_valid(args: Args) -> Strategy:
    values = list(args["values"])
    return _case_variants(values) if args.get("ignore_case") else st.sampled_from(values)


def _one_of_invalid(args: Args) -> Strategy:
    folded = {v.casefold() for v in args["values"]} if args.get("ignore_case") else None

    def outside(text: str) -> bool:
        return text.casefold() not in folded if folded is not None else text not in args["values"]

    return (st.sampled_from(["", "kg", "Kilo", "units", " unit"]) | _texts_with_a_digit()).filter(
        outside
    )


def _emails(args: Args) -> Strategy:
    atom = st.text(string.ascii_lowercase + string.digits + "+_-", min_size=1, max_size=8)
    local = st.lists(atom, min_size=1, max_size=3).map(".".join)
    label = st.text(string.ascii_lowercase + string.digits, min_size=1, max_size=8)
    domain = st.builds(
        lambda labels, top: ".".join([*labels, top]),
        st.lists(label, min_size=1, max_size=2),
        st.sampled_from(["com", "pt", "co.uk", "org"]),
    )
    valid = st.builds(lambda a, b: f"{a}@{b}", local, domain)
    return valid | st.sampled_from(["", "   "]) if args.get("allow_blank") else valid


def _bad_emails(args: Args) -> Strategy:
    bad = ["acme.example.com", "a@", "@example.com", "a@@example.com", "a b@example.com"]
    bad += ["a@example..com", ".a@example.com", "a@-example.com", "a@\udcff.com", "x" * 400]
    if not args.get("allow_blank"):
        bad.append("")
    return st.sampled_from(bad) | st.integers() | st.lists(st.just("a@example.com"), max_size=1)


def _a_status_outside(args: Args, value: Any) -> dict[str, Any]:
    return {args["key"]: "ixrules-test-" + "-".join(sorted(map(str, args["values"])))}


def _email_lists(args: Args) -> Strategy:
    joined = st.builds(
        lambda parts, separator: separator.join(parts),
        st.lists(_emails({}), min_size=1, max_size=3),
        st.sampled_from([",", ";", ", ", " ; "]),
    )
    return joined | st.sampled_from(["", " ", ",", " ; "]) if args.get("allow_blank") else joined


def _bad_email_lists(args: Args) -> Strategy:
    bad = _bad_emails({"allow_blank": True}).filter(lambda v: isinstance(v, str) and v.strip())
    mixed = st.builds(lambda good, wrong: f"{good}, {wrong}", _emails({}), bad)
    blank = st.sampled_from(["", ",", " ; "]) if not args.get("allow_blank") else st.nothing()
    return mixed | bad.filter(lambda v: "," not in v and ";" not in v) | st.integers() | blank


def _matching(args: Args) -> Strategy:
    return st.from_regex(args["regex"], fullmatch=True).filter(
        lambda text: text == text.strip() and 0 < len(text) <= 256
    )


def _not_matching(args: Args) -> Strategy:
    return st.text(max_size=20).filter(
        lambda text: re.fullmatch(args["regex"], text.strip()) is None
    )


def _pattern(negate: bool) -> Callable[[Args], Strategy]:
    return lambda args: (_not_matching if bool(args.get("negate")) != negate else _matching)(args)


def _event_fail(args: Args, value: Any) -> dict[str, Any] | None:
    for status, events in args["transitions"].items():
        if shown(value) not in events:
            return {"document.status": status}
    return None


#: NIFs with a right check digit, written as clients write them; and ones without.
GOOD_NIFS = ["999999990", "123456789", "PT123456789", "pt 508 025 338", "508025338"]
BAD_NIFS = ["123456780", "PT123456780", "999999991", "12345678", "ABC", "5080253380"]
FOREIGN_VAT = ["FR40303265045", "DE136695976", "EL094259216", "ES B58378431"]
PORTUGAL = ["Portugal", "PORTUGAL", "portugal"]


def _fiscal_repair(obj: dict[str, Any], args: Args) -> dict[str, Any]:
    """A client whose number any country takes: a right NIF (or none)."""
    if not is_absent(obj.get(args["field"])):
        obj[args["field"]] = "999999990"
    return obj


def _a_nested_code_only(args: Args, value: Any) -> dict[str, Any] | None:
    """A Portuguese account, when a line of the document has its exemption code only in its
    tax's ``exemption_code`` and the document gives none."""
    if not isinstance(value, Mapping) or str(value.get(args["field"]) or "").strip():
        return None
    lines = value.get(args["items"])
    for line in lines if isinstance(lines, list) else []:
        tax = line.get("tax") if isinstance(line, Mapping) else None
        code = tax.get("exemption_code") if isinstance(tax, Mapping) else None
        own = line.get(args["field"]) if isinstance(line, Mapping) else None
        if isinstance(code, str) and code.strip() and not (isinstance(own, str) and own.strip()):
            return {"account.country": "Portugal"}
    return None


def _an_amount_due_below(args: Args, value: Any) -> dict[str, Any] | None:
    """An amount due below the value, when the value is a number."""
    number = as_number(value)
    return None if number is None else {args["key"]: number - 1}


def _a_zero_rate_line_without_exemption(args: Args, value: Any) -> dict[str, Any] | None:
    """A Portuguese account rating at 0 % the tax a line of the document names, when the
    document gives no exemption."""
    if not isinstance(value, Mapping) or str(value.get(args["field"]) or "").strip():
        return None
    lines = value.get(args["items"])
    names = [
        line["tax"]["name"]
        for line in (lines if isinstance(lines, list) else [])
        if isinstance(line, Mapping)
        and isinstance(line.get("tax"), Mapping)
        and isinstance(line["tax"].get("name"), str)
        and line["tax"]["name"].strip()
    ]
    if not names:
        return None
    return {"account.country": "Portugal", "existing.taxes": {names[0]: 0}}


LISTED_NAMES = ["IVA23", "IVA13", "Isento", "acme house"]

CHECK_STRATEGIES: dict[str, CheckStrategy] = {
    "object": CheckStrategy(
        valid=lambda args: st.dictionaries(st.text(max_size=6), JSON, max_size=3),
        invalid=lambda args: st.text(max_size=6) | st.integers() | st.lists(JSON, max_size=2),
    ),
    "array": CheckStrategy(
        valid=lambda args: st.lists(JSON, max_size=3),
        invalid=lambda args: (
            st.text(max_size=6)
            | st.integers()
            | st.dictionaries(st.text(max_size=4), JSON, max_size=2)
            | st.just(True)
        ),
    ),
    "not_empty": CheckStrategy(
        valid=lambda args: st.text(min_size=1).filter(str.strip),
        invalid=lambda args: st.sampled_from([[], "", "   ", "\t\n"]),
    ),
    "string": CheckStrategy(
        valid=lambda args: st.text(max_size=20),
        invalid=lambda args: (
            st.integers() | st.floats() | st.lists(JSON, max_size=2) | st.just(True)
        ),
    ),
    "number": CheckStrategy(valid=_valid_numbers, invalid=_invalid_numbers),
    "day_first": CheckStrategy(
        # it fails only under a locale the properties do not state: every date passes it
        valid=lambda args: st.builds(_format_date, DATES, st.integers(0, 1)),
    ),
    "date": CheckStrategy(
        # dd/mm/yyyy only: the dashed and ISO forms the check also reads are warned on the same
        # documents' fields (document.date.written), so they are not clean values there
        valid=lambda args: st.builds(_format_date, DATES, st.integers(0, 1)),
        invalid=lambda args: (
            st.sampled_from(
                [d for d in INVALID_DATES if d or not args.get("allow_blank")]
                + (["2017-12-03", "03-12-2017"] if args.get("slashed") else [])
            )
            | st.integers()
            | st.just(True)
        ),
    ),
    "datetime": CheckStrategy(
        valid=_datetimes,
        invalid=lambda args: st.sampled_from(["tomorrow", "31/02/2017 10:00:00", "10:00"]),
    ),
    "text": CheckStrategy(
        valid=lambda args: st.text(max_size=20) | st.integers() | st.floats(allow_nan=False),
        invalid=lambda args: (
            st.lists(JSON, max_size=2)
            | st.dictionaries(st.text(max_size=4), JSON, max_size=2)
            | st.just(True)
        ),
    ),
    "integer": CheckStrategy(
        valid=lambda args: st.integers(0, 10**9) | st.integers(0, 10**9).map(str),
        invalid=lambda args: st.sampled_from(["abc", "1.5", "-1", 1.5, True, [1], "\uff11"]),
    ),
    "flag": CheckStrategy(
        valid=lambda args: st.sampled_from(["0", "1", " 1 ", ""]),
        invalid=lambda args: st.sampled_from([1, 0, "yes", "2", "true", True, [], {}]),
    ),
    "date_order": CheckStrategy(repair=_date_order_repair, spoil=_date_order_spoil),
    "after_now": CheckStrategy(
        valid=_datetimes,
        context_pass=lambda args, value: {"now": "0001-01-01T00:00:00"},
        context_fail=lambda args, value: {"now": "9999-12-31T23:59:59"},
    ),
    "one_of": CheckStrategy(valid=_one_of_valid, invalid=_one_of_invalid),
    "country": CheckStrategy(
        valid=lambda args: _case_variants(list(COUNTRY_NAMES)),
        invalid=lambda args: (
            st.sampled_from(["Germani", "PT", "PRT", "Atlantis", "", "Portugal!"])
            | _texts_with_a_digit()
            | st.integers()
        ),
    ),
    "tax_region": CheckStrategy(
        valid=lambda args: st.sampled_from(sorted(TAX_REGION_CODES)),
        invalid=lambda args: (
            st.sampled_from(["pt", "PT-XX", "Portugal", ""]) | _texts_with_a_digit()
        ),
    ),
    "email": CheckStrategy(valid=_emails, invalid=_bad_emails),
    "flag_set": CheckStrategy(
        valid=lambda args: st.sampled_from(["1", 1, True]),
        invalid=lambda args: st.sampled_from(["0", 0, "yes", "no", "2", "", 2, []]),
    ),
    "context_true": CheckStrategy(
        context_pass=lambda args, value: {args["key"]: True},
        context_fail=lambda args, value: {args["key"]: False},
    ),
    "context_not": CheckStrategy(
        context_pass=_a_status_outside,
        context_fail=lambda args, value: {args["key"]: args["values"][0]},
    ),
    "not_taken": CheckStrategy(
        valid=lambda args: st.text(string.ascii_letters + " ", min_size=1, max_size=12),
        context_pass=lambda args, value: {args["key"]: ["ixrules test name 0"]},
        context_fail=lambda args, value: {
            args["key"]: ["x", f" {value.upper() if isinstance(value, str) else value} "]
        },
    ),
    # Valid names come from one list the passing context holds whole: a body may name several
    # (one per line), and every one of them must be listed at once.
    "listed": CheckStrategy(
        valid=lambda args: st.sampled_from(LISTED_NAMES),
        context_pass=lambda args, value: {
            args["key"]: ["x", *(f" {name.upper()} " for name in LISTED_NAMES)]
        },
        context_fail=lambda args, value: {args["key"]: ["ixrules test name 0"]},
    ),
    "email_list": CheckStrategy(valid=_email_lists, invalid=_bad_email_lists),
    "pattern": CheckStrategy(valid=_pattern(False), invalid=_pattern(True)),
    "field_given": CheckStrategy(
        spoil=lambda args: st.fixed_dictionaries({args["field"]: st.sampled_from(["", "  "])}),
        fields=lambda args: (args["field"],),
    ),
    "field_blank": CheckStrategy(),  # a guard on an object: it decides, never fails
    "given_when": CheckStrategy(
        spoil=lambda args: st.fixed_dictionaries(
            {args["key"]: st.just(args["equals"]), args["field"]: st.sampled_from(["", " "])}
        ),
        fields=lambda args: (args["field"],),
    ),
    "context_false": CheckStrategy(
        context_pass=lambda args, value: {args["key"]: False},
        context_fail=lambda args, value: {args["key"]: True},
    ),
    "context_positive": CheckStrategy(
        context_pass=lambda args, value: {args["key"]: 3},
        context_fail=lambda args, value: {args["key"]: 0},
    ),
    "account_not_in": CheckStrategy(
        context_pass=lambda args, value: {"account.country": "Atlantis"},
        context_fail=lambda args, value: {"account.country": args["countries"][-1].lower()},
    ),
    "same_as_context": CheckStrategy(
        context_pass=lambda args, value: {args["key"]: f" {shown(value).upper()} "},
        context_fail=lambda args, value: {args["key"]: f"X{shown(value)}0"},
    ),
    "event_allowed": CheckStrategy(
        context_pass=lambda args, value: {"document.status": "ixrules-test-status"},
        context_fail=_event_fail,
    ),
    "pt_nif": CheckStrategy(
        repair=_fiscal_repair,
        spoil=lambda args: st.fixed_dictionaries(
            {args["field"]: st.sampled_from(BAD_NIFS), args["country"]: st.sampled_from(PORTUGAL)}
        ),
    ),
    "vat_of_country": CheckStrategy(
        repair=_fiscal_repair,
        spoil=lambda args: st.fixed_dictionaries(
            {
                args["field"]: st.sampled_from(FOREIGN_VAT),
                args["country"]: st.sampled_from(PORTUGAL),
            }
        ),
    ),
    "max_length": CheckStrategy(
        valid=lambda args: st.text(min_size=1, max_size=args["maximum"]),
        invalid=lambda args: st.text(
            string.ascii_letters + "çãé ",
            min_size=args["maximum"] + 1,
            max_size=args["maximum"] + 9,
        ),
    ),
    "nested_exemption_given": CheckStrategy(
        context_pass=lambda args, value: {"account.country": "Atlantis"},
        context_fail=_a_nested_code_only,
    ),
    "blank": CheckStrategy(
        valid=lambda args: st.sampled_from(["", " ", "\t"]),
        invalid=lambda args: st.text(min_size=1).filter(str.strip) | st.integers(),
    ),
    # a series' type passes only for the endpoint called: no context at all is the pass
    "series_of_document": CheckStrategy(
        context_pass=lambda args, value: {},
        context_fail=lambda args, value: {args["key"]: "ixrules-test-type"},
    ),
    "at_most_context": CheckStrategy(
        valid=lambda args: st.integers(min_value=0, max_value=10**6).map(str),
        context_pass=lambda args, value: {args["key"]: 10**12},
        context_fail=_an_amount_due_below,
    ),
    "context_at_most": CheckStrategy(
        context_pass=lambda args, value: {args["key"]: 1, args["limit"]: 2},
        context_fail=lambda args, value: {args["key"]: 2, args["limit"]: 1},
    ),
    "exemption_given": CheckStrategy(
        context_pass=lambda args, value: {"account.country": "Atlantis"},
        context_fail=_a_zero_rate_line_without_exemption,
    ),
    "json_content_type": CheckStrategy(
        context_pass=lambda args, value: {"request.content_type": "application/json"},
        context_fail=lambda args, value: {"request.content_type": "text/plain"},
    ),
}


# --- walking the rules ------------------------------------------------------------------------


def ruleset_endpoints() -> dict[str, EndpointSpec]:
    return dict(default_rules().ruleset.endpoints)


def is_absent(value: Any) -> bool:
    return value is None or value is False


def shown(value: Any) -> str:
    """How a message writes a value (the tests' own statement of it)."""
    if isinstance(value, str):
        return value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def pointer(parts: tuple[Any, ...]) -> str:
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def set_dotted(tree: dict[str, Any], key: str, value: Any) -> None:
    *head, last = key.split(".")
    node = tree
    for part in head:
        node = node.setdefault(part, {})
    node[last] = value


def get_dotted(tree: Mapping[str, Any], key: str) -> Any:
    node: Any = tree
    for part in key.split("."):
        if not isinstance(node, Mapping) or part not in node:
            return None
        node = node[part]
    return node


def strategy_of(name: str | None) -> CheckStrategy | None:
    return CHECK_STRATEGIES.get(name) if name else None


def reads(rule: Rule) -> set[str]:
    """The context keys a rule depends on: its ``needs``, and what its check and guard read
    (their registrations' ``reads_context``)."""
    out = set(rule.needs)
    for name, args in ((rule.check, rule.args), rule.when or (None, {})):
        if name is not None:
            out.update(CHECKS[name].reads(args))
    return out


@dataclass(frozen=True)
class Site:
    """A node of a generated body: where it is and the specs on the way there."""

    parts: tuple[Any, ...]  # from the top of the body (the root key first when wrapped)
    chain: tuple[tuple[tuple[Any, ...], FieldSpec], ...]  # (parts, spec) of each ancestor
    spec: FieldSpec


@dataclass
class Case:
    """A generated body for one endpoint, with the context it is validated with and what the
    validation must answer."""

    endpoint: str
    body: dict[str, Any]
    context: dict[str, Any] | None
    expected: list[tuple[str, str, str]] = field(default_factory=list)
    skipped: set[str] = field(default_factory=set)
    broken: str = ""


def get_at(body: Any, parts: tuple[Any, ...]) -> Any:
    node = body
    for part in parts:
        node = node[part]
    return node


def put_at(body: Any, parts: tuple[Any, ...], value: Any) -> None:
    get_at(body, parts[:-1])[parts[-1]] = value


#: The strategy of each leaf spec's candidates, per mode: built once, since Hypothesis checks
#: every new strategy object, and a body of the full inventory has hundreds of leaves.
_LEAVES: dict[tuple[int, str], tuple[FieldSpec, Strategy]] = {}


def _leaf_candidates(spec: FieldSpec, mode: str) -> Strategy:
    """(the rule whose strategy draws the value or None, that strategy), for one leaf."""
    cached = _LEAVES.get((id(spec), mode))
    if cached is not None:
        return cached[1]
    candidates: list[tuple[Rule | None, Strategy]] = []
    for rule in spec.rules:
        if not rule.applies_in(mode):
            continue
        strategy = strategy_of(rule.check)
        if strategy is not None and strategy.valid is not None:
            candidates.append((rule, strategy.valid(rule.args)))
        guard = strategy_of(rule.when[0]) if rule.when else None
        if rule.when is not None and guard is not None:
            for make in (guard.valid, guard.invalid):
                if make is not None:
                    candidates.append((None, make(rule.when[1])))
    if not candidates:
        candidates.append((None, PRESENT))
    out = st.sampled_from(candidates)
    _LEAVES[id(spec), mode] = (spec, out)
    return out


#: How often a leaf is drawn again before its body is given up (see ``Maker.leaf``).
LEAF_TRIES = 4


class Maker:
    """Draws one body for one endpoint, remembering every node it made."""

    def __init__(self, draw: Callable[[Strategy], Any], spec: EndpointSpec) -> None:
        self.draw = draw
        self.spec = spec
        self.mode = spec.mode
        self.endpoint = spec.name
        self.sites: list[Site] = []
        self.with_context = bool(draw(st.booleans()))
        self.context: dict[str, Any] = {}
        #: The rule whose own strategy drew each leaf: never used to filter that leaf.
        self.primary: dict[tuple[Any, ...], Rule] = {}

    # rules as the engine sees them
    def applicable(self, spec: FieldSpec) -> list[Rule]:
        return [rule for rule in spec.rules if rule.applies_in(self.mode)]

    def env(self) -> Env:
        return Env(Context(self.context), self.mode, endpoint=self.endpoint)

    def guard_passes(self, rule: Rule, value: Any) -> bool:
        if rule.when is None:
            return True
        return bool(CHECKS[rule.when[0]].fn(value, self.env(), **rule.when[1]))

    def runs(self, rule: Rule, value: Any) -> bool:
        """True when the engine evaluates ``rule``'s check on ``value``."""
        if not self.guard_passes(rule, value):
            return False
        return all(get_dotted(self.context, key) is not None for key in rule.needs)

    def passes(self, rule: Rule, value: Any) -> bool:
        """The rule's own check function (used only for the *other* rules of a value)."""
        if rule.check is None or is_absent(value) or not self.runs(rule, value):
            return True
        return bool(CHECKS[rule.check].fn(value, self.env(), **rule.args))

    def required_here(self, child: FieldSpec) -> bool:
        return (
            child.required is not None
            and self.mode != "update"
            and child.required.applies_in(self.mode)
        )

    # building
    def top(self, spec: FieldSpec, site: Site) -> dict[str, Any]:
        """The body's object (of any keys, when the rules say nothing of its fields)."""
        if spec.fields is None and spec.each is None:
            self.sites.append(site)
            value = self.settle(spec, self.build_object(spec, site))
        else:
            value = self.build(spec, site)
        assume(isinstance(value, dict))
        return value  # type: ignore[no-any-return]

    def build(self, spec: FieldSpec, site: Site) -> Any:
        self.sites.append(site)
        if spec.fields is not None:
            value: Any = self.build_object(spec, site)
        elif spec.each is not None:
            size = self.draw(st.integers(0, 3))
            value = [
                self.build(spec.each, self.child(site, index, spec.each)) for index in range(size)
            ]
        else:
            return self.leaf(spec, site)
        return self.settle(spec, value)

    def child(self, site: Site, key: Any, spec: FieldSpec) -> Site:
        return Site((*site.parts, key), (*site.chain, (site.parts, site.spec)), spec)

    def build_object(self, spec: FieldSpec, site: Site) -> dict[str, Any]:
        fields = spec.fields or {}
        obj: dict[str, Any] = {}
        wanted = {
            name
            for rule in self.applicable(spec)
            if (strategy := strategy_of(rule.check)) is not None
            for name in strategy.fields(rule.args)
        }
        for name in sorted(wanted - set(fields)):
            obj[name] = self.draw(st.text(string.ascii_letters, min_size=1, max_size=8))
        for name, child in fields.items():
            if self.required_here(child) or name in wanted:
                choice = "present"
            else:
                choice = self.draw(st.sampled_from(["present", "present", "missing", None, False]))
            if choice == "present":
                obj[name] = self.build(child, self.child(site, name, child))
            elif choice != "missing":
                obj[name] = choice
        if not spec.open:  # closed objects warn of other keys (field.unknown): none is drawn
            return obj
        extra = self.draw(
            st.dictionaries(
                st.text(string.ascii_lowercase, min_size=1, max_size=6), JSON, max_size=2
            )
        )
        for name, value in extra.items():  # keys the rules do not know, which open objects
            if name not in fields:  # ignore
                obj["x_" + name] = value
        return obj

    def settle(self, spec: FieldSpec, value: Any) -> Any:
        """Let a container's own rules (cross-field ones) pass: repair, or give up the example."""
        for rule in self.applicable(spec):
            strategy = strategy_of(rule.check)
            if strategy is not None and strategy.repair is not None and isinstance(value, dict):
                value = strategy.repair(value, rule.args)
        return value

    def leaf(self, spec: FieldSpec, site: Site) -> Any:
        """A value drawn by one of the leaf's rules, drawn again (a few times) while another
        rule of the leaf that needs no context refuses it: ``finish`` would give the whole
        body up for it, and a run of such bodies made a valid-body property Unsatisfiable
        (seed 3: 459 of 459 given up)."""
        for _ in range(LEAF_TRIES):
            primary, strategy = self.draw(_leaf_candidates(spec, self.mode))
            value = self.draw(strategy)
            if not is_absent(value) and all(
                rule is primary or self.passes(rule, value) for rule in self.applicable(spec)
            ):
                break
        if primary is not None:
            self.primary[site.parts] = primary
        assume(not is_absent(value))
        return value

    # after the body is drawn
    def finish(self, body: dict[str, Any], valid: bool = True) -> None:
        """Give every context rule that runs a context it passes with (or none at all), and
        check the other rules of each value with their own functions (not ``valid``: a body
        where two rules of one value disagree is kept)."""
        if self.with_context:
            for site, value in self.present_sites(body):
                for rule in self.applicable(site.spec):
                    strategy = strategy_of(rule.check)
                    if (
                        strategy is not None
                        and strategy.context_pass is not None
                        and self.guard_passes(rule, value)
                    ):
                        for key, entry in strategy.context_pass(rule.args, value).items():
                            set_dotted(self.context, key, entry)
        for site, value in self.present_sites(body) if valid else ():
            primary = self.primary.get(site.parts)
            for rule in self.applicable(site.spec):
                if rule is not primary and not self.passes(rule, value):
                    assume(False)  # two rules of one value disagree: not a valid body

    def present_sites(self, body: Any) -> Iterator[tuple[Site, Any]]:
        for site in self.sites:
            try:
                value = get_at(body, site.parts)
            except (KeyError, IndexError, TypeError):
                continue
            if not is_absent(value):
                yield site, value

    def skipped(self, body: Any) -> set[str]:
        out = set()
        for site, value in self.present_sites(body):
            for rule in self.applicable(site.spec):
                if rule.needs and self.guard_passes(rule, value) and not self.runs(rule, value):
                    out.add(rule.id)
        return out


def _wrap(spec: EndpointSpec, root: str | None, value: dict[str, Any]) -> dict[str, Any]:
    return {root: value} if root is not None else value


def _start(draw: Callable[[Strategy], Any], spec: EndpointSpec) -> tuple[Maker, str | None, Site]:
    maker = Maker(draw, spec)
    root = draw(st.sampled_from(spec.roots)) if spec.roots else None
    parts: tuple[Any, ...] = (root,) if root is not None else ()
    return maker, root, Site(parts, (), spec.body)


@st.composite
def valid_cases(draw: Callable[[Strategy], Any], endpoint: str) -> Case:
    """A body the API accepts for ``endpoint``, with a context under which every rule that
    needs one passes, or no context at all (those rules are then skipped)."""
    spec = ruleset_endpoints()[endpoint]
    maker, root, top = _start(draw, spec)
    value = maker.top(spec.body, top)
    body = _wrap(spec, root, value)
    maker.finish(body)
    context = maker.context if maker.with_context else None
    return Case(endpoint, body, context, [], maker.skipped(body))


def _invalid_messages(site: Site, issue_parts: tuple[Any, ...]) -> list[tuple[str, str, str]]:
    """The "X is invalid" messages of the containers the issue is inside, outermost first."""
    out = []
    for parts, spec in (*site.chain, (site.parts, site.spec)):
        inside = len(parts) < len(issue_parts) and issue_parts[: len(parts)] == parts
        if inside and spec.invalid is not None:
            rule = spec.invalid
            out.append((rule.message.format(value=""), pointer(parts), rule.id))
    return out


def _issue(rule: Rule, parts: tuple[Any, ...], value: Any) -> tuple[str, str, str]:
    return (rule.message.format(value=shown(value)), pointer(parts), rule.id)


@st.composite
def broken_cases(draw: Callable[[Strategy], Any], endpoint: str, exact: bool = True) -> Case:
    """A valid body with exactly one thing wrong, and the issues that must say so: the
    broken rule's message at its path, after the ``invalid`` message of each container it is
    in. Not ``exact`` (:func:`broken_bodies`): one thing broken the same way, without
    rejecting the bodies where other rules fail too, and no ``expected`` issues."""
    spec = ruleset_endpoints()[endpoint]
    maker, root, top = _start(draw, spec)
    value = maker.top(spec.body, top)
    body = _wrap(spec, root, value)
    maker.finish(body, valid=exact)

    options: list[tuple[str, Site, Any]] = []
    top_depth = 1 if spec.roots else 0
    for site, current in maker.present_sites(body):
        for rule in maker.applicable(site.spec):
            strategy = strategy_of(rule.check)
            if strategy is None:
                continue
            if len(site.parts) <= top_depth and rule.id in ("kind.object", "kind.list"):
                continue  # a root value that is no object is a BodyError, not an issue
            if strategy.invalid is not None:
                options.append(("value", site, rule))
            if strategy.spoil is not None and isinstance(current, dict):
                options.append(("object", site, rule))
            if strategy.context_fail is not None and maker.with_context:
                options.append(("context", site, rule))
        if site.spec.fields is not None and isinstance(current, Mapping):
            for name, child in site.spec.fields.items():
                if maker.required_here(child):
                    options.append(("required", site, name))
    if not options and not exact:
        return Case(endpoint, body, maker.context or None, [], set(), "nothing to break")
    assume(options)
    # a uniform pick (sampled_from favours the first options, here always the outermost)
    how, site, what = draw(st.randoms(use_true_random=False)).choice(options)
    current = get_at(body, site.parts)
    before = maker.applicable(site.spec)

    if how == "required":
        name = what
        child = site.spec.fields[name]  # type: ignore[index]
        absent = draw(st.sampled_from(["delete", None, False]))
        if absent == "delete":
            del current[name]
            absent = None
        else:
            current[name] = absent
        parts = (*site.parts, name)
        rule = child.required
        assert rule is not None
        for other in before if exact else ():  # the container's own rules may read the field
            assume(maker.passes(other, current))
        if not exact:
            return Case(endpoint, body, maker.context or None, [], set(), f"{rule.id} (absent)")
        expected = [*_invalid_messages(site, parts), _issue(rule, parts, absent)]
        return Case(endpoint, body, maker.context or None, expected, set(), f"{rule.id} (absent)")

    rule = what
    strategy = strategy_of(rule.check)
    assert strategy is not None
    index = before.index(rule)
    if how == "value":
        assert strategy.invalid is not None
        bad = draw(strategy.invalid(rule.args))
        assume(not is_absent(bad))
        if site.parts:
            put_at(body, site.parts, bad)
        else:
            assume(isinstance(bad, dict))
            body = bad
        current = bad
    elif how == "object":
        assert strategy.spoil is not None
        updates = draw(strategy.spoil(rule.args))
        current.update(updates)
        for name, item in updates.items() if exact else ():  # changed fields stay valid alone
            child = (site.spec.fields or {}).get(name)
            if child is not None:
                assume(not (is_absent(item) and maker.required_here(child)))
                for other in maker.applicable(child):
                    assume(maker.passes(other, item))
    else:
        assert strategy.context_fail is not None
        keys = reads(rule)
        for other_site, other_value in maker.present_sites(body) if exact else ():
            for other in maker.applicable(other_site.spec):
                if (other_site is site and other is rule) or not reads(other) & keys:
                    continue
                if other.check is not None:
                    assume(not maker.guard_passes(other, other_value))
        failing = strategy.context_fail(rule.args, current)
        assume(failing is not None or not exact)
        for key, entry in (failing or {}).items():
            set_dotted(maker.context, key, entry)

    if not exact:
        context = maker.context if maker.with_context else None
        return Case(endpoint, body, context, [], set(), f"{rule.id} ({how})")
    assume(maker.runs(rule, current))  # its guard holds and its context is there
    for other in before[:index]:  # one message per value: nothing before it may fail
        assume(maker.passes(other, current))
    # a rule with ``stop: false`` lets the value's next rules run (and report) too
    also: list[Rule] = []
    if not rule.stop:
        for other in before[index + 1 :]:
            if not maker.passes(other, current):
                also.append(other)
                if other.stop:
                    break
    for parts, spec in site.chain:  # nor may the containers' own rules
        holder = get_at(body, parts)
        for other in maker.applicable(spec):
            assume(maker.passes(other, holder))

    parts = site.parts
    shown_value = current
    if rule.at is not None:
        parts = (*parts, rule.at)
        shown_value = current.get(rule.at) if isinstance(current, Mapping) else None
    invalid = _invalid_messages(site, parts) if rule.severity == "error" else []
    expected = [*invalid, _issue(rule, parts, shown_value)]
    expected += [_issue(other, site.parts, current) for other in also]
    context = maker.context if maker.with_context else None
    return Case(endpoint, body, context, expected, set(), f"{rule.id} ({how})")


def broken_bodies(endpoint: str) -> st.SearchStrategy[Case]:
    """A valid body with one thing broken as :func:`broken_cases` breaks it, other rules
    failing too or not: what a property that holds for any broken body needs (the fixes'),
    drawn without rejecting most bodies for failing more than the one rule."""
    return broken_cases(endpoint, exact=False)


@st.composite
def shaped_noise(draw: Callable[[Strategy], Any], endpoint: str) -> tuple[dict[str, Any], Any]:
    """A body shaped like the endpoint's (its known fields, at their places) with any value at
    every node: valid, invalid, arbitrary JSON or Python-only values; and a random context."""
    spec = ruleset_endpoints()[endpoint]
    root = draw(st.sampled_from(spec.roots)) if spec.roots else None
    value = draw(noise(spec.body))
    body = {root: value} if root is not None else value
    if not isinstance(body, dict):
        body = {"": body}
    return body, draw(CONTEXTS)


_NOISE: dict[int, Strategy] = {}


def noise(spec: FieldSpec) -> Strategy:
    cached = _NOISE.get(id(spec))
    if cached is not None:
        return cached
    options: list[Strategy] = [JSON, PYTHON_ONLY]
    for rule in spec.rules:
        for name, args in ((rule.check, rule.args), rule.when or (None, {})):
            strategy = strategy_of(name)
            if strategy is not None:
                options += [make(args) for make in (strategy.valid, strategy.invalid) if make]
    if spec.fields is not None:
        fields = {name: noise(child) for name, child in spec.fields.items()}
        known = st.fixed_dictionaries({}, optional=fields)
        options += [
            known,
            known,
            st.tuples(known, JSON).map(lambda pair: {**pair[0], "x": pair[1]}),
        ]
    if spec.each is not None:
        options += [st.lists(noise(spec.each), max_size=3)] * 2
    out = st.one_of(options)
    _NOISE[id(spec)] = out
    return out


def _context_values(key: str, types: tuple[type, ...]) -> Strategy:
    if key == "now":
        return st.datetimes(min_value=dt.datetime(1000, 1, 1)).map(
            lambda d: d.strftime("%Y-%m-%dT%H:%M:%S")
        )
    by_type: dict[type, Strategy] = {
        bool: st.booleans(),
        int: st.integers(min_value=-5, max_value=10**6),
        str: st.sampled_from(["draft", "final", "settled", "canceled", "PT", "Portugal"])
        | st.text(max_size=9),
        list: st.lists(st.text(max_size=8), max_size=3),  # names: a number is a ContextError
    }
    return st.one_of([by_type[t] for t in types if t in by_type] or [st.none()])


def _contexts() -> Strategy:
    """None, or any well-typed snapshot of the context keys rules may ask for."""
    from ixrules.context import KEYS

    @st.composite
    def snapshot(draw: Callable[[Strategy], Any]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, types in KEYS.items():
            if draw(st.booleans()):
                set_dotted(out, key, draw(_context_values(key, types) | st.none()))
        return out

    return st.none() | snapshot()


CONTEXTS: Strategy = _contexts()


def json_text(value: Any) -> str:
    """A JSON rendering for failure messages."""
    return json.dumps(value, default=repr)[:2000]


def snapshot(value: Any) -> Any:
    """A comparable record of a value and everything in it, with the identity of each
    container (NaN, huge ints and arbitrary objects included), to see whether it changed."""
    if isinstance(value, float):
        return ("float", repr(value))
    if isinstance(value, (str, bytes, bool, int)) or value is None:
        return (type(value).__name__, value)
    if isinstance(value, Mapping):
        items = tuple((snapshot(k), snapshot(v)) for k, v in value.items())
        return ("map", id(value), items)
    if isinstance(value, (list, tuple)):
        return (type(value).__name__, id(value), tuple(snapshot(v) for v in value))
    if isinstance(value, (set, frozenset)):
        return (type(value).__name__, id(value), len(value))
    return ("object", id(value))


# --- a caller's subclasses whose every method raises ------------------------------------------

_LYING_METHODS = (
    "__str__", "__repr__", "__format__", "__eq__", "__ne__", "__lt__", "__le__", "__gt__",
    "__ge__", "__len__", "__iter__", "__getitem__", "__contains__", "__bool__", "__int__",
    "__float__", "__index__", "strip", "lower", "casefold", "split", "replace", "startswith",
    "items", "keys", "values", "get", "copy", "is_integer",
)  # fmt: skip
_LIARS: dict[type, type] = {}


def liar(base: type) -> type:
    """A subclass of ``base`` whose every method but ``__hash__`` raises."""
    if base not in _LIARS:

        def fail(*args: Any, **kwargs: Any) -> Any:
            raise RuntimeError("lied")

        methods: dict[str, Any] = {name: fail for name in _LYING_METHODS if hasattr(base, name)}
        methods["__hash__"] = base.__hash__
        _LIARS[base] = type(f"Lying{base.__name__.title()}", (base,), methods)
    return _LIARS[base]


def lying_copy(value: Any) -> Any:
    """``value`` (plain JSON data) rebuilt from lying subclasses at every level."""
    if isinstance(value, dict):
        return liar(dict)({liar(str)(k): lying_copy(v) for k, v in value.items()})
    if isinstance(value, list):
        return liar(list)(lying_copy(v) for v in value)
    if isinstance(value, bool) or value is None:
        return value
    return liar(type(value))(value)
