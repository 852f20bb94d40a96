"""Every message of the seed's "Create or Update" list, for create and update of all eleven
document types: the exact message, path and rule id, and a nearby valid body that passes."""

from __future__ import annotations

from typing import Any

import pytest
from support.bodies import DELETE, changed, triples
from support.documents import (
    DOCUMENT_ENDPOINTS,
    FAMILY,
    FIELD_CASES,
    GUIDES,
    INVOICES,
    ITEM,
    valid_body,
    validate,
)

import ixrules


def rooted(endpoint: str, issues: list[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
    root = "/" + FAMILY[endpoint.split(".")[0]]
    return [(message, root + path, rule) for message, path, rule in issues]


@pytest.mark.parametrize("endpoint", DOCUMENT_ENDPOINTS)
def test_the_valid_body_passes(endpoint: str) -> None:
    report = ixrules.validate(valid_body(endpoint), endpoint)
    assert triples(report) == []
    assert report.ok and report.status == (201 if endpoint.endswith("create") else 200)


@pytest.mark.parametrize("case", sorted(FIELD_CASES))
@pytest.mark.parametrize("endpoint", DOCUMENT_ENDPOINTS)
def test_field_message(endpoint: str, case: str) -> None:
    pointer, bad, good, expected = FIELD_CASES[case]
    root = "/" + FAMILY[endpoint.split(".")[0]]
    body = valid_body(endpoint)
    if case == "due-date":  # equal dates are fine, the day before is not
        assert validate(endpoint, changed(body, root + "/due_date", "01/12/2017")) == []
    assert validate(endpoint, changed(body, root + pointer, bad)) == rooted(endpoint, expected)
    assert validate(endpoint, changed(body, root + pointer, good)) == []


UNIT_BLANK = (
    "Unit is empty, and the API's answer to an empty unit on a document line is not recorded"
)


@pytest.mark.parametrize("endpoint", DOCUMENT_ENDPOINTS)
def test_an_empty_line_unit_is_a_warning(endpoint: str) -> None:
    """No source records the API's answer to an empty unit on a document line (the v1 docs
    record "Unit  is not included ..." at /items.json only): a warning, not an error."""
    root = "/" + FAMILY[endpoint.split(".")[0]]
    report = ixrules.validate(changed(valid_body(endpoint), root + "/items/0/unit", ""), endpoint)
    assert triples(report) == []
    assert [(i.message, i.path, i.rule, i.severity) for i in report.warnings] == [
        (UNIT_BLANK, root + "/items/0/unit", "document.item.unit.blank", "warning")
    ]
    assert (
        ixrules.validate(
            changed(valid_body(endpoint), root + "/items/0/unit", "day"), endpoint
        ).issues
        == []
    )


@pytest.mark.parametrize("endpoint", [e for e in DOCUMENT_ENDPOINTS if e.split(".")[0] in GUIDES])
@pytest.mark.parametrize("side", ["address_from", "address_to"])
def test_guide_address_country(endpoint: str, side: str) -> None:
    root = "/shipping"
    body = changed(valid_body(endpoint), f"{root}/{side}/country", "Germani")
    assert validate(endpoint, body) == [
        ("Country Germani was not found", f"{root}/{side}/country", "country.known")
    ]
    assert validate(endpoint, changed(body, f"{root}/{side}/country", "germany")) == []


@pytest.mark.parametrize("endpoint", [e for e in DOCUMENT_ENDPOINTS if e.split(".")[0] in GUIDES])
def test_guide_loaded_at_must_be_in_the_future(endpoint: str) -> None:
    body = valid_body(endpoint)
    late = {"now": "2017-12-02T10:00:01"}
    early = {"now": "2017-12-02T09:59:59"}
    assert validate(endpoint, body, late) == [
        ("Loaded at must be later than now", "/shipping/loaded_at", "guide.loaded_at.future")
    ]
    assert validate(endpoint, body, early) == []
    skipped = ixrules.validate(body, endpoint).skipped
    # without existing.clients, whether a new document creates its client is not known either
    assert [rule for rule in skipped if rule != "document.client.created"] == [
        "guide.loaded_at.future"
    ]


MB = "Option to generate MB reference is set but no payment provider is configurated"


@pytest.mark.parametrize("endpoint", DOCUMENT_ENDPOINTS)
def test_mb_reference_needs_a_payment_provider(endpoint: str) -> None:
    root = "/" + FAMILY[endpoint.split(".")[0]]
    body = changed(valid_body(endpoint), root + "/mb_reference", "1")
    without = {"account": {"mb_payment_provider": False}}
    assert validate(endpoint, body, without) == [
        (MB, root + "/mb_reference", "document.mb_reference.provider")
    ]
    assert validate(endpoint, body, {"account": {"mb_payment_provider": True}}) == []
    assert validate(endpoint, changed(body, root + "/mb_reference", "0"), without) == []
    report = ixrules.validate(body, endpoint)
    assert report.ok and "document.mb_reference.provider" in report.skipped


SETTLED = "Invoice has been settled so can't be changed anymore"


@pytest.mark.parametrize("path", INVOICES)
def test_a_settled_invoice_cannot_be_updated(path: str) -> None:
    endpoint = f"{path}.update"
    body = {"invoice": {"observations": "Paid in full"}}
    assert validate(endpoint, body, {"document": {"status": "settled"}}) == [
        (SETTLED, "/invoice", "document.not_settled")
    ]
    assert validate(endpoint, body, {"document": {"status": "final"}}) == []
    assert ixrules.validate(body, endpoint).skipped == ["document.not_settled"]
    # creating is never refused for that reason
    create = ixrules.validate(
        valid_body(f"{path}.create"), f"{path}.create", context={"document": {"status": "settled"}}
    )
    assert create.ok and "document.not_settled" not in create.skipped


@pytest.mark.parametrize("endpoint", [e for e in DOCUMENT_ENDPOINTS if e.endswith(".create")])
def test_create_requires_client_and_items(endpoint: str) -> None:
    root = "/" + FAMILY[endpoint.split(".")[0]]
    body = changed(changed(valid_body(endpoint), root + "/client", DELETE), root + "/items", DELETE)
    assert validate(endpoint, body) == [
        ("Client can't be blank", root + "/client", "document.client.required"),
        ("Document should have at least one item", root + "/items", "document.items.required"),
    ]
    assert validate(endpoint, changed(valid_body(endpoint), root + "/items", [])) == [
        ("Document should have at least one item", root + "/items", "document.items.not_empty")
    ]


@pytest.mark.parametrize("endpoint", [e for e in DOCUMENT_ENDPOINTS if e.endswith(".create")])
def test_create_requires_names_quantity_and_price(endpoint: str) -> None:
    root = "/" + FAMILY[endpoint.split(".")[0]]
    body = valid_body(endpoint)
    body = changed(body, root + "/client", {"code": "A1"})
    body = changed(body, root + "/items", [{"description": "no name, price or quantity"}])
    assert validate(endpoint, body) == [
        ("Client is invalid", root + "/client", "document.client.invalid"),
        ("Name is a required field", root + "/client/name", "document.client.name.required"),
        ("Invoice items is invalid", root + "/items", "document.items.invalid"),
        ("Name is a required field", root + "/items/0/name", "document.item.name.required"),
        (
            "Quantity must be a number greater than 0",
            root + "/items/0/quantity",
            "item.quantity.positive",
        ),
        ("Unit price must be a number", root + "/items/0/unit_price", "item.unit_price.number"),
    ]


@pytest.mark.parametrize("endpoint", [e for e in DOCUMENT_ENDPOINTS if e.endswith(".update")])
def test_update_requires_nothing(endpoint: str) -> None:
    root = FAMILY[endpoint.split(".")[0]]
    assert validate(endpoint, {root: {}}) == []
    assert validate(endpoint, {root: {"client": {"code": "A1"}, "items": [{"unit": "day"}]}}) == []
    assert validate(endpoint, {root: {"items": []}}) == []


@pytest.mark.parametrize("absent", [None, False])
@pytest.mark.parametrize("endpoint", ["invoices.create", "quotes.update", "shippings.create"])
def test_null_and_false_mean_absent(endpoint: str, absent: Any) -> None:
    root = FAMILY[endpoint.split(".")[0]]
    body = valid_body(endpoint)
    for field in ("retention", "due_date", "date"):
        body[root][field] = absent
    for field in ("email", "country"):
        body[root]["client"][field] = absent
    for field in ("discount", "unit", "description"):
        body[root]["items"][0][field] = absent
    assert validate(endpoint, body) == []


def test_absent_required_values_are_reported_even_as_null() -> None:
    body = valid_body("invoices.create")
    body["invoice"]["items"][0]["quantity"] = None
    body["invoice"]["client"] = None
    assert validate("invoices.create", body) == [
        ("Client can't be blank", "/invoice/client", "document.client.required"),
        ("Invoice items is invalid", "/invoice/items", "document.items.invalid"),
        (
            "Quantity must be a number greater than 0",
            "/invoice/items/0/quantity",
            "item.quantity.positive",
        ),
    ]


@pytest.mark.parametrize("value", [1, 1.5, "1", " 2.50 ", "1e2", "1_000", "-0.0e1"])
def test_numbers_are_json_numbers_or_numeric_strings(value: Any) -> None:
    body = changed(valid_body("invoices.create"), "/invoice/items/0/unit_price", value)
    assert validate("invoices.create", body) == []


@pytest.mark.parametrize("value", [True, "", "1,5", "NaN", "Infinity", "0x10", [1], {"v": 1}])
def test_what_is_not_a_number(value: Any) -> None:
    body = changed(valid_body("invoices.create"), "/invoice/items/0/unit_price", value)
    assert validate("invoices.create", body) == [
        ("Invoice items is invalid", "/invoice/items", "document.items.invalid"),
        ("Unit price must be a number", "/invoice/items/0/unit_price", "item.unit_price.number"),
    ]


@pytest.mark.parametrize("date", ["1/2/2017", "01-02-2017", "01.02.2017", "2017-02-01"])
def test_dates_the_api_reads(date: str) -> None:
    body = changed(valid_body("invoices.create"), "/invoice/date", date)
    assert validate("invoices.create", body) == []


@pytest.mark.parametrize("country", ["portugal", "PORTUGAL", "Côte d'Ivoire", "Cote d\u2019Ivoire"])
def test_countries_ignore_case_accents_and_apostrophes(country: str) -> None:
    body = changed(valid_body("invoices.create"), "/invoice/client/country", country)
    assert validate("invoices.create", body) == []


def test_an_iso_code_is_not_a_country_but_gets_a_hint() -> None:
    body = changed(valid_body("invoices.create"), "/invoice/client/country", "PT")
    report = ixrules.validate(body)
    assert triples(report) == [
        ("Client is invalid", "/invoice/client", "document.client.invalid"),
        ("Country PT was not found", "/invoice/client/country", "country.known"),
    ]
    assert report.errors[1].hint == "did you mean 'Portugal'?"


def test_several_lines_report_each_line() -> None:
    body = valid_body("invoices.create")
    body["invoice"]["items"] = [dict(ITEM), dict(ITEM, quantity=-1), dict(ITEM, unit="kg")]
    assert validate("invoices.create", body) == [
        ("Invoice items is invalid", "/invoice/items", "document.items.invalid"),
        (
            "Quantity must be a number greater than 0",
            "/invoice/items/1/quantity",
            "item.quantity.positive",
        ),
        (
            "Unit kg is not included in the list of accepted units",
            "/invoice/items/2/unit",
            "item.unit.accepted",
        ),
    ]
    assert ixrules.validate(body).messages == [
        "Invoice items is invalid",
        "Quantity must be a number greater than 0",
        "Unit kg is not included in the list of accepted units",
    ]
