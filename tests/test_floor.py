"""The pure-Python floor of the benchmark (bench/floor.py) gives the reports ixrules gives for
``invoices.create``: on the bench bodies, the fixture examples and generated bodies, wherever
it handles a body at all (it answers None, "not handled", for the bodies beyond it; the share it
handles is printed, and must stay most of the realistic ones)."""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import broken_bodies, valid_cases
from support.bodies import EXAMPLES

import ixrules

BENCH = Path(__file__).resolve().parent.parent / "bench"
sys.path.insert(0, str(BENCH))

import bodies  # noqa: E402
import floor  # noqa: E402

ENDPOINT = "invoices.create"


def ours(body: Any) -> list[tuple[str, str, str, str]]:
    report = ixrules.validate(body, ENDPOINT)
    assert all(issue.hint is None and issue.status == 422 for issue in report.issues)
    return [(i.severity, i.path, i.rule, i.message) for i in report.issues]


def held(body: Any, seen: Counter[str]) -> None:
    """The floor's answer is ixrules' whenever it answers."""
    found = floor.validate(body)
    if found is None:
        seen["not handled"] += 1
        return
    assert found == ours(body), json.dumps(body)[:2000]
    seen["handled with issues" if found else "handled, valid"] += 1


def share(seen: Counter[str]) -> float:
    total = sum(seen.values())
    print(f"floor: {total - seen['not handled']} of {total} bodies handled; {dict(seen)}")
    return (total - seen["not handled"]) / total


@pytest.mark.parametrize("case", sorted(bodies.CASES))
def test_the_bench_bodies(case: str) -> None:
    body, endpoint, _, _ = bodies.CASES[case]
    if endpoint != ENDPOINT:
        return
    found = floor.validate(body)
    assert found is not None, "the floor handles every invoice the bench times"
    assert found == ours(body)


def test_the_bench_errors_are_the_five_expected() -> None:
    assert floor.validate(bodies.invoice_with_errors()) == [
        ("error", "/invoice/due_date", "document.due_date.after_date", floor.DUE_DATE_MESSAGE),
        ("error", "/invoice/client", "document.client.invalid", "Client is invalid"),
        ("error", "/invoice/client/email", "client.email.valid", "Email must be an email address"),
        ("error", "/invoice/items", "document.items.invalid", "Invoice items is invalid"),
        (
            "error",
            "/invoice/items/2/quantity",
            "item.quantity.positive",
            "Quantity must be a number greater than 0",
        ),
        (
            "error",
            "/invoice/items/5/unit",
            "item.unit.accepted",
            "Unit kg is not included in the list of accepted units",
        ),
        (
            "error",
            "/invoice/items/7/unit_price",
            "item.unit_price.number",
            "Unit price must be a number",
        ),
    ]


def test_the_fixture_examples() -> None:
    seen: Counter[str] = Counter()
    for path in sorted(EXAMPLES.glob("*.json")):
        body = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(body, dict) and "invoice" in body:
            held(body, seen)
    assert share(seen) > 0


@pytest.mark.parametrize("make", [valid_cases, broken_bodies], ids=["valid", "broken"])
def test_generated_bodies(make: Any) -> None:
    seen: Counter[str] = Counter()

    @settings(
        max_examples=1000,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=make(ENDPOINT))
    def check(case: Any) -> None:
        held(case.body, seen)

    check()
    share(seen)  # these draw every field the rules know, most beyond the floor: printed only


#: Values a realistic invoice's fields take, right and wrong, as apps send them.
TEXTS = st.sampled_from(["Acme", "PO-42", "", " ", 7, 1.5, None, False])
NUMBERS = st.sampled_from(
    ["1", "2.50", "0", "-1", "1,50", "abc", "", " ", "1e3", 3, 0, -2, 2.5, None, False]
)
DATES = st.sampled_from(["01/12/2017", "1/2/2017", "31/12/2017", "30/11/2017", "2017-12-01", None])
LINE = st.fixed_dictionaries(
    {},
    optional={
        "name": st.sampled_from(["Pen", "", 5, 0, None]),
        "description": TEXTS,
        "unit_price": NUMBERS,
        "quantity": NUMBERS,
        "unit": st.sampled_from(["unit", "Hour", "kg", "", "service", None]),
        "discount": NUMBERS,
        "tax": st.sampled_from(
            [
                {"name": "IVA23"},
                {"name": None},
                {},
                None,
                {"value": 23},
                {"name": "IVA0", "exemption_code": "M07", "value": " "},
            ]
        ),
        "tax_exemption": st.sampled_from(["M07", "", "M77", None]),
    },
)
CLIENT = st.fixed_dictionaries(
    {"name": st.sampled_from(["Bruce Norris", "Acme", "", None])},
    optional={
        "code": TEXTS,
        "email": st.sampled_from(
            ["bruce@example.com", "a.b+c@mail.pt", "bruce.example.com", "", "x@y", None]
        ),
        "country": st.sampled_from(["Portugal", "Spain", "", None]),
        "fiscal_id": st.sampled_from(
            ["508025338", "123456789", "123456780", "012345678", "", "PT508025338", None]
        ),
        "city": TEXTS,
        "phone": TEXTS,
    },
)
INVOICES = st.fixed_dictionaries(
    {
        "invoice": st.fixed_dictionaries(
            {  # now and then a client or items the API refuses outright
                "client": st.one_of(CLIENT, CLIENT, CLIENT, st.sampled_from(["Acme", [], None])),
                "items": st.one_of(
                    *[st.lists(st.one_of(LINE, st.none()), min_size=1, max_size=6)] * 3,
                    st.sampled_from([[], {}, "x", None]),
                ),
            },
            optional={
                "date": DATES,
                "due_date": DATES,
                "reference": TEXTS,
                "observations": TEXTS,
                "retention": NUMBERS,
                "tax_exemption": st.sampled_from(["M07", "m99", "", "M77", 7, None]),
                "currency_code": st.sampled_from(["EUR", "eur", "", "XXX", None]),
                "sequence_id": st.sampled_from(["12", " ", "1a", 12, 1.5, None]),
                "mb_reference": st.sampled_from(["0", "1", "", "yes", 1, None]),
                "rate": st.sampled_from(["1.2", "1,2", "", None]),
                "global_discount": st.sampled_from(
                    [{"value_type": "percentage", "value": "10"}, {"value_type": "x"}, None]
                ),
            },
        )
    }
)


def test_realistic_invoices() -> None:
    seen: Counter[str] = Counter()

    @settings(max_examples=3000, deadline=None, database=None, derandomize=True)
    @given(body=INVOICES)
    def check(body: Any) -> None:
        held(body, seen)

    check()
    assert share(seen) > 0.15  # the draws include values beyond it on purpose
    assert seen["handled with issues"] > 0 and seen["handled, valid"] > 0
