"""Every request body from the API's docs, client libraries and recorded traffic (copied into
tests/fixtures/examples; see its SOURCES.md) that the API accepts passes with no issue."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import EXAMPLES, load_example, triples

import ixrules

#: Bodies the API does not accept as they are, with the reason and what ixrules answers.
KNOWN_REJECTED = {
    "hivesolutions-example-invoice-create.json": (
        "unit_price '123,0000' uses a decimal comma; the API reads numbers with a point",
        [
            ("Invoice items is invalid", "/invoice/items", "document.items.invalid"),
            (
                "Unit price must be a number",
                "/invoice/items/0/unit_price",
                "item.unit_price.number",
            ),
        ],
    ),
}

LATER = "its endpoint is not in the rules yet (issue 3)"

#: Examples for endpoints the rules do not cover (yet), with the reason.
NOT_COVERED: dict[str, str] = {
    "docs-v1-account-update.json": LATER,
    "docs-v2-account-create-already-user.json": LATER,
    "docs-v2-account-create.json": LATER,
    "docs-v2-account-update.json": LATER,
    "docs-v2-cancel-payment.json": LATER,
    "docs-v2-client-create.json": LATER,
    "docs-v2-client-invoices-filter.json": LATER,
    "docs-v2-email-document.json": LATER,
    "docs-v2-invoice-change-state.json": LATER,
    "docs-v2-item-create.json": LATER,
    "docs-v2-partial-payment.json": LATER,
    "docs-v2-purchase-order-create.json": LATER,
    "docs-v2-purchase-order-update.json": LATER,
    "docs-v2-quote-change-state.json": LATER,
    "docs-v2-sequence-create.json": LATER,
    "docs-v2-tax-create.json": LATER,
    "hivesolutions-example-invoice-finalize.json": LATER,
    "openapi-account-create.json": LATER,
    "openapi-account-update.json": LATER,
    "openapi-at-communication.json": LATER,
    "openapi-cancel-payment.json": LATER,
    "openapi-client-create.json": LATER,
    "openapi-client-invoices-filter.json": LATER,
    "openapi-email-document.json": LATER,
    "openapi-estimate-change-state.json": LATER,
    "openapi-guide-change-state.json": LATER,
    "openapi-initial-balance.json": LATER,
    "openapi-invoice-change-state.json": LATER,
    "openapi-item-create.json": LATER,
    "openapi-partial-payment.json": LATER,
    "openapi-regularization.json": LATER,
    "openapi-sequence-create.json": LATER,
    "openapi-tax-create.json": LATER,
    "openapi-treasury-movement.json": LATER,
    "rec-zoran759-client-create-201.json": LATER,
    "rec-zoran759-client-create-empty-422.json": LATER,
    "rec-zoran759-sequence-create-201.json": LATER,
    "rec-zoran759-tax-create-201.json": LATER,
    "rec-zoran759-tax-create-duplicate-422.json": LATER,
    "squarebit-fixture-cancel-payment.json": LATER,
    "squarebit-fixture-client-create.json": LATER,
    "squarebit-fixture-client-update.json": LATER,
    "squarebit-fixture-email-document.json": LATER,
    "squarebit-fixture-estimate-change-state.json": LATER,
    "squarebit-fixture-guide-change-state.json": LATER,
    "squarebit-fixture-invoice-change-state.json": LATER,
    "squarebit-fixture-item-create.json": LATER,
    "squarebit-fixture-item-update.json": LATER,
    "squarebit-fixture-partial-payment.json": LATER,
    "squarebit-fixture-sequence-create.json": LATER,
    "squarebit-fixture-tax-create.json": LATER,
}

#: Which endpoint each example is a body of (the docs page or route it was sent to).
ENDPOINTS = {
    "docs-v2-invoice-create.json": "invoices.create",
    "docs-v2-invoice-update.json": "invoices.update",
    "docs-v2-quote-create.json": "quotes.create",
    "docs-v2-shipping-create.json": "shippings.create",
    "docs-v2-shipping-update.json": "shippings.update",
    "hivesolutions-example-invoice-create.json": "invoices.create",
    "openapi-estimate-create.json": "quotes.create",
    "openapi-guide-create.json": "shippings.create",
    "openapi-invoice-create.json": "invoices.create",
    "openapi-invoice-update.json": "invoices.update",
    "rec-zoran759-invoice-create-201.json": "invoices.create",
    "rec-zoran759-invoice-receipt-create-201.json": "invoice_receipts.create",
    "rec-zoran759-simplified-invoice-create-201.json": "simplified_invoices.create",
    "squarebit-fixture-estimate-create.json": "quotes.create",
    "squarebit-fixture-guide-create.json": "shippings.create",
    "squarebit-fixture-invoice-create.json": "invoices.create",
    "squarebit-fixture-invoice-update.json": "invoices.update",
}

ACCEPTED = sorted(set(ENDPOINTS) - set(KNOWN_REJECTED))


@pytest.mark.parametrize("name", ACCEPTED)
def test_an_accepted_example_passes(name: str) -> None:
    report = ixrules.validate(load_example(name), ENDPOINTS[name])
    assert triples(report) == []


@pytest.mark.parametrize("name", ACCEPTED)
def test_the_endpoint_of_a_create_example_is_inferred(name: str) -> None:
    if ENDPOINTS[name].endswith(".create"):
        root = next(iter(load_example(name)))
        inferred = ixrules.validate(load_example(name)).endpoint
        assert inferred.split(".")[1] == "create" and root in (
            inferred.split(".")[0][:-1],
            "invoice",
            "quote",
            "shipping",
        )


@pytest.mark.parametrize("name", sorted(KNOWN_REJECTED))
def test_a_known_rejected_example_gets_its_message(name: str) -> None:
    reason, expected = KNOWN_REJECTED[name]
    assert reason
    assert triples(ixrules.validate(load_example(name), ENDPOINTS[name])) == expected


def test_every_example_is_accounted_for() -> None:
    names = {path.name for path in Path(EXAMPLES).glob("*.json")}
    unaccounted = names - set(ENDPOINTS) - set(NOT_COVERED)
    assert not unaccounted, f"say which endpoint these are for, or why not: {sorted(unaccounted)}"
