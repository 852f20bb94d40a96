"""Dates: every form a rule flags is written dd/mm/yyyy, for certain or only when asked; and
every repair binds to the arguments of every rule whose check has it, so that no repair can
silently not apply (a repair that raises proposes nothing: ``document.date.written`` passes
``slashed`` to its check, and a date repair that did not take it never fixed a date)."""

from __future__ import annotations

import inspect
from typing import Any

import pytest

import ixrules
from ixrules.checks import CHECKS, lookup


def invoice(date: str, due_date: str = "31/12/2026") -> dict[str, Any]:
    return {
        "invoice": {
            "date": date,
            "due_date": due_date,
            "client": {"name": "Acme", "code": "A1"},
            "items": [{"name": "Pen", "unit_price": "1.5", "quantity": "1"}],
        }
    }


def edits(result: Any) -> list[tuple[str, str, Any, Any, str]]:
    return [(f.path, f.rule, f.before, f.after, f.applicability) for f in result.fixes]


def findings(report: Any) -> list[tuple[str, str, str | None, str]]:
    return [(i.message, i.path, i.rule, i.severity) for i in report.issues]


# --- every repair binds to its rules' arguments ---------------------------------------------


def test_every_repair_takes_the_arguments_of_every_rule_whose_check_has_it() -> None:
    ruleset = ixrules.Rules.load().ruleset
    bound = set()
    for rule in ruleset.rules.values():
        found = lookup(rule.check, ruleset.checks) if rule.check else None
        if found is None or found.fix is None:
            continue
        inspect.signature(found.fix.repair).bind("value", None, **rule.args)  # raises if not
        bound.add(rule.check)
    assert bound == {name for name, check in CHECKS.items() if check.fix is not None}


@pytest.mark.parametrize("name", sorted(n for n, c in CHECKS.items() if c.fix is not None))
def test_every_repair_takes_every_argument_its_check_takes(name: str) -> None:
    check = CHECKS[name]
    assert check.fix is not None
    repair = inspect.signature(check.fix.repair).parameters
    open_ended = any(p.kind is inspect.Parameter.VAR_KEYWORD for p in repair.values())
    for parameter in list(inspect.signature(check.fn).parameters.values())[2:]:
        assert open_ended or parameter.name in repair, (name, parameter.name)


# --- the lead's case: ISO dates on a document ----------------------------------------------


def test_an_iso_date_and_a_date_time_on_a_document_are_fixed_safely() -> None:
    body = invoice("2026-05-01", "2026-05-01T10:00:00")
    before = ixrules.validate(body)
    assert findings(before) == [
        (
            "Should be written dd/mm/yyyy: the API sets a date it cannot read to the current date",
            "/invoice/date",
            "document.date.written",
            "warning",
        ),
        ("Should be a date written dd/mm/yyyy", "/invoice/due_date", "kind.date", "warning"),
    ]
    result = ixrules.fix(body)
    assert edits(result) == [
        ("/invoice/date", "document.date.written", "2026-05-01", "01/05/2026", "safe"),
        ("/invoice/due_date", "kind.date", "2026-05-01T10:00:00", "01/05/2026", "safe"),
    ]
    assert result.body == invoice("01/05/2026", "01/05/2026")
    assert result.report.issues == []
    assert body == invoice("2026-05-01", "2026-05-01T10:00:00")  # never mutated


# --- each form ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sent", "fixed"),
    [
        ("2026-05-01", "01/05/2026"),
        ("2026-5-1", "01/05/2026"),
        ("2026-05-01T10:00:00", "01/05/2026"),
        ("2026-05-01 23:59:59", "01/05/2026"),
        ("2026-05-01T00:00:00Z", "01/05/2026"),
        ("2026/05/01", "01/05/2026"),
        # day first with dashes or dots, read as the API's date parser reads them
        ("01-05-2026", "01/05/2026"),
        ("1.5.2026", "01/05/2026"),
        ("25-12-2026", "25/12/2026"),
    ],
)
@pytest.mark.parametrize("locale", [None, "pt"])
def test_a_date_whose_day_is_certain_is_fixed_safely(
    sent: str, fixed: str, locale: str | None
) -> None:
    result = ixrules.fix(invoice(sent), locale=locale)
    assert [(f.path, f.before, f.after, f.applicability) for f in result.fixes] == [
        ("/invoice/date", sent, fixed, "safe")
    ]
    assert result.body == invoice(fixed)
    assert result.report.issues == []


@pytest.mark.parametrize(
    ("sent", "locale", "fixed", "rule"),
    [
        # a month-first date no day-first reading makes a day: an error the API answers
        ("12/31/2026", None, "31/12/2026", "document.date.valid"),
        ("12/31/2026", "en_US", "31/12/2026", "document.date.valid"),
        ("12-31-2026", None, "31/12/2026", "document.date.valid"),
        # a date with dashes both ways a day, under a stated month-first locale: read month first
        ("05-01-2026", "en_US", "01/05/2026", "document.date.written"),
        ("5.1.2026", "en-us", "01/05/2026", "document.date.written"),
        # an ISO moment in a time zone: the zone may move the day
        ("2026-05-01T10:30:00+01:00", None, "01/05/2026", "document.date.valid"),
    ],
)
def test_a_date_whose_day_could_change_is_fixed_only_when_asked(
    sent: str, locale: str | None, fixed: str, rule: str
) -> None:
    body = invoice(sent)
    issue = next(i for i in ixrules.validate(body, locale=locale).issues if i.rule == rule)
    assert issue.path == "/invoice/date" and issue.fix is not None
    assert (issue.fix.after, issue.fix.applicability) == (fixed, "unsafe")
    assert ixrules.fix(body, locale=locale).body == body
    result = ixrules.fix(body, locale=locale, unsafe=True)
    assert result.body == invoice(fixed)
    assert result.report.issues == []


def test_without_a_month_first_locale_an_ambiguous_dashed_date_is_read_day_first() -> None:
    result = ixrules.fix(invoice("05-01-2026"))
    assert edits(result) == [
        ("/invoice/date", "document.date.written", "05-01-2026", "05/01/2026", "safe")
    ]


@pytest.mark.parametrize("locale", [None, "pt", "pt_PT", "es"])
def test_a_slashed_ambiguous_date_is_never_touched_without_a_month_first_locale(
    locale: str | None,
) -> None:
    # 3/6/2021 is a real day written as the API documents dates: without a stated month-first
    # locale nothing says it was meant month first, so no rule flags it and no fix touches it
    body = invoice("3/6/2021", "31/12/2021")
    assert ixrules.validate(body, locale=locale).issues == []
    result = ixrules.fix(body, locale=locale, unsafe=True)
    assert result.fixes == [] and result.body == body


@pytest.mark.parametrize("locale", ["en_US", "en-US", "en_CA", "en_PH"])
def test_a_browser_date_under_a_month_first_locale_is_warned_and_fixed_when_asked(
    locale: str,
) -> None:
    """Issue 22's browser-locale date: ``3/6/2021`` from an en-US form means the 6th of
    March; the API reads the 3rd of June. Warned only under the stated locale, fixed only
    with the unsafe fixes, and the fixed date (two digits each) is never flagged again."""
    body = invoice("3/6/2021", "31/12/2021")
    message = "Should be written dd/mm/yyyy: the API reads 3/6/2021 day first"
    assert findings(ixrules.validate(body, locale=locale)) == [
        (message, "/invoice/date", "document.date.month_first", "warning")
    ]
    safe = ixrules.fix(body, locale=locale)
    assert safe.fixes == [] and safe.body == body
    result = ixrules.fix(body, locale=locale, unsafe=True)
    assert edits(result) == [
        ("/invoice/date", "document.date.month_first", "3/6/2021", "06/03/2021", "unsafe")
    ]
    assert result.body == invoice("06/03/2021", "31/12/2021")
    assert result.report.issues == []
    again = ixrules.fix(result.body, locale=locale, unsafe=True)
    assert again.fixes == [] and again.body == result.body


@pytest.mark.parametrize(
    "date", ["06/03/2021", "3/3/2021", "13/6/2021", "3/13/2021", "0/6/2021", "2021-03-06"]
)
def test_a_date_that_reads_one_way_is_not_warned_under_a_month_first_locale(date: str) -> None:
    # two digits each is the API's own form; equal parts, a part over 12 or 0 read one way
    # (2021-03-06 and 3/13/2021 are other rules' business)
    rules = [i.rule for i in ixrules.validate(invoice(date, "31/12/2021"), locale="en_US").issues]
    assert "document.date.month_first" not in rules


def test_a_date_that_is_no_day_at_all_is_left_for_the_user() -> None:
    body = invoice("31/02/2026")
    result = ixrules.fix(body, locale="en_US", unsafe=True)
    assert result.fixes == []
    assert findings(result.report) == [
        ("Date is not valid", "/invoice/date", "document.date.valid", "error")
    ]


@pytest.mark.parametrize(
    ("sent", "fixed", "applicability"),
    [
        ("2026-05-01T10:00:00", "01/05/2026 10:00:00", "safe"),
        ("2026-05-01 10:00", "01/05/2026 10:00:00", "safe"),
        ("2026-05-01T10:00:00Z", "01/05/2026 10:00:00", "unsafe"),
    ],
)
def test_a_moment_is_written_as_the_guides_moment(
    sent: str, fixed: str, applicability: str
) -> None:
    body = {"shipping": {"loaded_at": sent}}
    issue = ixrules.validate(body, "shippings.update").issues[0]
    assert (issue.rule, issue.severity, issue.message) == (
        "kind.datetime",
        "warning",
        "Should be a moment written dd/mm/yyyy HH:mm:ss",
    )
    assert issue.fix is not None
    assert (issue.fix.after, issue.fix.applicability) == (fixed, applicability)
    result = ixrules.fix(body, "shippings.update", unsafe=applicability == "unsafe")
    assert result.body == {"shipping": {"loaded_at": fixed}}
    assert result.report.issues == []
