"""/taxes: every tax message, with its path and rule id, and a nearby valid body."""

from __future__ import annotations

from typing import Any

import pytest
from support.bodies import DELETE, changed, load_example
from support.documents import validate

import ixrules

ENDPOINTS = ["taxes.create", "taxes.update"]
BODY = load_example("docs-v2-tax-create.json")
EMPTY = ("Tax region is empty", "/tax/region", "tax.region.empty")


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_a_full_tax_passes(endpoint: str) -> None:
    assert validate(endpoint, BODY) == []
    assert validate(endpoint, BODY, {"account": {"country": "Portugal"}}) == []


@pytest.mark.parametrize(
    ("pointer", "bad", "good", "expected"),
    [
        ("/tax/value", " ", "0", [("Value can't be blank", "/tax/value", "tax.value.blank")]),
        *[
            (
                "/tax/value",
                bad,
                good,
                [("Value must be a number between 0 and 99.99", "/tax/value", "tax.value.range")],
            )
            for bad, good in [("100", "99.99"), ("-1", "0"), ("23%", "23"), ("23,0", "6")]
        ],
        *[
            (
                "/tax/region",
                bad,
                good,
                [("Tax region is not valid", "/tax/region", "tax.region.valid")],
            )
            for bad, good in [
                ("Portugal", "PT-AC"),
                ("PT-AZ", "PT-MA"),
                ("XX", "Desconhecido"),
                ("UK", "GB"),
            ]
        ],
    ],
)
@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_each_message(
    endpoint: str, pointer: str, bad: Any, good: Any, expected: list[tuple[str, str, str]]
) -> None:
    assert validate(endpoint, changed(BODY, pointer, bad)) == expected
    assert validate(endpoint, changed(BODY, pointer, good)) == []


def test_a_new_tax_needs_a_value() -> None:
    assert validate("taxes.create", changed(BODY, "/tax/value", DELETE)) == [
        ("Value can't be blank", "/tax/value", "tax.value.blank")
    ]
    assert validate("taxes.update", changed(BODY, "/tax/value", DELETE)) == []


@pytest.mark.parametrize("country", ["Portugal", "PT", "pt", "portugal"])
def test_a_portuguese_account_needs_a_region(country: str) -> None:
    context = {"account": {"country": country}}
    missing = changed(BODY, "/tax/region", DELETE)
    assert validate("taxes.create", missing, context) == [EMPTY]
    assert validate("taxes.create", changed(BODY, "/tax/region", ""), context) == [EMPTY]
    assert validate("taxes.update", changed(BODY, "/tax/region", " "), context) == [EMPTY]
    # on update a region left out is unchanged
    assert validate("taxes.update", missing, context) == []


@pytest.mark.parametrize("country", ["Spain", "IE", "United Kingdom"])
def test_other_accounts_may_leave_the_region_out(country: str) -> None:
    context = {"account": {"country": country}}
    assert validate("taxes.create", changed(BODY, "/tax/region", DELETE), context) == []
    assert validate("taxes.create", changed(BODY, "/tax/region", ""), context) == []


def test_the_region_rule_needs_the_account_country_only_when_the_region_is_missing() -> None:
    missing = changed(BODY, "/tax/region", DELETE)
    assert ixrules.validate(missing, "taxes.create").skipped == [
        "tax.region.empty",
        "tax.name.taken",
    ]
    assert ixrules.validate(BODY, "taxes.create").skipped == ["tax.name.taken"]


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_a_taken_name_needs_the_existing_names(endpoint: str) -> None:
    body = load_example("rec-zoran759-tax-create-duplicate-422.json")
    assert validate(endpoint, body, {"existing": {"taxes": ["IVA6", "iva23"]}}) == [
        ("Name has already been taken", "/tax/name", "tax.name.taken")
    ]
    assert validate(endpoint, body, {"existing": {"taxes": ["IVA6"]}}) == []
