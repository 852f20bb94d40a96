"""Each mistake of issue 22's "Why" list, fixed end to end from a fixture that names its source
(tests/fixtures/fix/SOURCES.md): the mistaken body's findings, the fixes with their
applicability, the fixed body, and the report after (empty: nothing is left)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, NamedTuple

import pytest

import ixrules

FIX = Path(__file__).parent / "fixtures" / "fix"
LINE = {"name": "Pen", "unit_price": "1.5", "quantity": 1}
CLIENT = {"name": "Acme", "code": "A1"}
FLAG = 'Should be "0" or "1", the only flag values the API honours'
DROPPED = "Unknown key {}, which the API drops"


def document(**fields: Any) -> dict[str, Any]:
    return {**fields, "client": CLIENT, "items": [LINE]}


class Mistake(NamedTuple):
    endpoint: str | None
    #: (message, path, rule, severity) of the mistaken body; None: it cannot be validated
    before: list[tuple[str, str, str, str]] | None
    fixes: list[tuple[str, str, Any, Any, str]]
    body: dict[str, Any]


MISTAKES = {
    "country-iso-code.json": Mistake(
        None,
        [("Country PT was not found", "/client/country", "country.known", "error")],
        [("/client/country", "country.known", "PT", "Portugal", "safe")],
        {"client": {**CLIENT, "country": "Portugal"}},
    ),
    "iso-date.json": Mistake(
        None,
        [
            (
                "Should be written dd/mm/yyyy: the API sets a date it cannot read to the "
                "current date",
                "/invoice/date",
                "document.date.written",
                "warning",
            ),
            ("Should be a date written dd/mm/yyyy", "/invoice/due_date", "kind.date", "warning"),
        ],
        [
            ("/invoice/date", "document.date.written", "2026-05-01", "01/05/2026", "safe"),
            ("/invoice/due_date", "kind.date", "2026-05-31T10:00:00", "31/05/2026", "safe"),
        ],
        {"invoice": document(date="01/05/2026", due_date="31/05/2026")},
    ),
    "iso-moment.json": Mistake(
        None,
        [("Date is not valid", "/invoice/date", "document.date.valid", "error")],
        [("/invoice/date", "document.date.valid", "2026-05-01T00:00:00Z", "01/05/2026", "safe")],
        {"invoice": document(date="01/05/2026", due_date="31/05/2026")},
    ),
    "month-first-date.json": Mistake(
        None,
        [("Date is not valid", "/invoice/date", "document.date.valid", "error")],
        [("/invoice/date", "document.date.valid", "12/25/2021", "25/12/2021", "unsafe")],
        {"invoice": document(date="25/12/2021", due_date="31/12/2021")},
    ),
    "item-price-number.json": Mistake(
        None,
        [("unit price is not valid", "/item/unit_price", "item.unit_price.string", "error")],
        [("/item/unit_price", "item.unit_price.string", 9.99, "9.99", "safe")],
        {"item": {"name": "Pen", "unit_price": "9.99"}},
    ),
    "tax-value-number.json": Mistake(
        None,
        [
            (
                "Value must be sent as a string (the API fails on a JSON number)",
                "/tax/value",
                "tax.value.string",
                "error",
            )
        ],
        [("/tax/value", "tax.value.string", 23, "23", "safe")],
        {"tax": {"name": "IVA23", "value": "23", "region": "PT"}},
    ),
    "sequence-flag-integer.json": Mistake(
        None,
        [(FLAG, "/sequence/default_sequence", "kind.flag", "warning")],
        [("/sequence/default_sequence", "kind.flag", 1, "1", "safe")],
        {"sequence": {"serie": "A2024", "default_sequence": "1"}},
    ),
    "flag-boolean.json": Mistake(
        None,
        [(FLAG, "/invoice/mb_reference", "kind.flag", "warning")],
        [("/invoice/mb_reference", "kind.flag", True, "1", "safe")],
        {"invoice": document(date="01/05/2026", due_date="31/05/2026", mb_reference="1")},
    ),
    "misspelled-keys.json": Mistake(
        None,
        [
            (DROPPED.format("due-date"), "/invoice/due-date", "field.unknown", "warning"),
            (DROPPED.format("tax_name"), "/invoice/items/0/tax_name", "field.unknown", "warning"),
        ],
        [
            ("/invoice/due-date", "field.unknown", "due-date", "due_date", "unsafe"),
            ("/invoice/items/0/tax_name", "field.unknown", "tax_name", "tax.name", "unsafe"),
        ],
        {
            "invoice": {
                "date": "01/05/2026",
                "due_date": "31/05/2026",
                "client": CLIENT,
                "items": [{**LINE, "tax": {"name": "IVA23"}}],
            }
        },
    ),
    "zip-alias.json": Mistake(
        None,
        [(DROPPED.format("zip"), "/client/zip", "field.unknown", "warning")],
        [("/client/zip", "field.unknown", "zip", "postal_code", "unsafe")],
        {"client": {**CLIENT, "address": "Rua A", "postal_code": "1000-001"}},
    ),
    "root-fatura-recibo.json": Mistake(
        None,
        None,
        [("/fatura_recibo", "body.root_key", "fatura_recibo", "invoice_receipt", "unsafe")],
        {"invoice_receipt": {"date": "01/05/2026", "client": CLIENT, "items": [LINE]}},
    ),
    "root-estimate.json": Mistake(
        "quotes.create",
        None,
        [("/estimate", "body.root_key", "estimate", "quote", "unsafe")],
        {"quote": document(date="01/05/2026", due_date="31/05/2026")},
    ),
    "root-invoices.json": Mistake(
        None,
        None,
        [("/invoices", "body.root_key", "invoices", "invoice", "unsafe")],
        {"invoice": document(date="01/05/2026", due_date="31/05/2026")},
    ),
    "unwrapped-invoice.json": Mistake(
        "invoices.create",
        None,
        [("", "body.wrapped", None, "invoice", "unsafe")],
        {"invoice": document(date="01/05/2026", due_date="31/05/2026")},
    ),
}


def findings(report: Any) -> list[tuple[str, str, str | None, str]]:
    return [(i.message, i.path, i.rule, i.severity) for i in report.issues]


def test_every_fixture_has_its_expectations_and_its_source() -> None:
    assert sorted([*MISTAKES, "browser-locale-date.json"]) == sorted(
        p.name for p in FIX.glob("*.json")
    )
    sources = (FIX / "SOURCES.md").read_text(encoding="utf-8")
    for name in [*MISTAKES, "country-other-languages.jsonl", "browser-locale-date.json"]:
        assert f"| `{name}` |" in sources, name


@pytest.mark.parametrize("name", sorted(MISTAKES))
def test_each_mistake_is_fixed_with_its_applicability_and_nothing_left(name: str) -> None:
    mistake = MISTAKES[name]
    body = json.loads((FIX / name).read_text(encoding="utf-8"))
    if mistake.before is None:
        with pytest.raises(ixrules.BodyError):
            ixrules.validate(body, mistake.endpoint)
    else:
        assert findings(ixrules.validate(body, mistake.endpoint)) == mistake.before
    unsafe = any(fix[-1] == "unsafe" for fix in mistake.fixes)
    result = ixrules.fix(body, mistake.endpoint, unsafe=unsafe)
    assert [(f.path, f.rule, f.before, f.after, f.applicability) for f in result.fixes] == (
        mistake.fixes
    )
    assert result.body == mistake.body
    assert findings(result.report) == []
    if unsafe and mistake.before is not None:  # without asking, the body is left as it was
        assert ixrules.fix(body, mistake.endpoint).body == body


def test_a_browser_locale_date_is_fixed_under_the_locale_its_writer_stated() -> None:
    body = json.loads((FIX / "browser-locale-date.json").read_text(encoding="utf-8"))
    assert findings(ixrules.validate(body)) == []  # no locale: read day first, as the API does
    assert findings(ixrules.validate(body, locale="en_US")) == [
        (
            "Should be written dd/mm/yyyy: the API reads 3/6/2021 day first",
            "/invoice/date",
            "document.date.month_first",
            "warning",
        )
    ]
    result = ixrules.fix(body, locale="en_US", unsafe=True)
    assert [(f.path, f.rule, f.before, f.after, f.applicability) for f in result.fixes] == [
        ("/invoice/date", "document.date.month_first", "3/6/2021", "06/03/2021", "unsafe")
    ]
    assert result.body == {"invoice": document(date="06/03/2021", due_date="31/12/2021")}
    assert findings(result.report) == []
    assert ixrules.fix(body, locale="en_US").body == body  # unsafe: only when asked


@pytest.mark.parametrize(
    ("line", "name"),
    [(0, "Spain"), (1, "Germany"), (2, "UK"), (3, "Macau"), (4, "UK")],
)
def test_each_country_name_of_another_language_is_fixed(line: int, name: str) -> None:
    text = (FIX / "country-other-languages.jsonl").read_text(encoding="utf-8")
    body = json.loads(text.splitlines()[line])
    sent = body["client"]["country"]
    message = f"Country {sent} was not found"
    before = findings(ixrules.validate(body))
    assert before == [(message, "/client/country", "country.known", "error")]
    result = ixrules.fix(body)
    assert [(f.path, f.before, f.after, f.applicability) for f in result.fixes] == [
        ("/client/country", sent, name, "safe")
    ]
    assert result.body == {"client": {"name": "Acme", "country": name}}
    assert findings(result.report) == []


def test_the_fix_table_tool_restores_a_stale_page() -> None:
    import importlib.util

    tool = Path(__file__).parent.parent / "tools" / "fix_table.py"
    spec = importlib.util.spec_from_file_location("fix_table_tool", tool)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    current = module.PAGE.read_text(encoding="utf-8")
    assert module.regenerated(current) == current  # the page is current
    stale = current.replace("| check `flag` | safe |", "| check `flag` | unsafe |")
    assert stale != current and module.regenerated(stale) == current
