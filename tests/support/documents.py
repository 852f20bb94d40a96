"""The document endpoints (invoices, estimates, guides): a valid body of each, ``validate`` as
triples, and each field's wrong values with what the API answers (tests/test_documents.py)."""

from __future__ import annotations

from typing import Any

import ixrules
from support.bodies import triples

INVOICES = ["invoices", "invoice_receipts", "simplified_invoices", "credit_notes", "debit_notes"]
ESTIMATES = ["quotes", "proformas", "fees_notes"]
GUIDES = ["shippings", "transports", "devolutions"]
FAMILY = {
    **dict.fromkeys(INVOICES, "invoice"),
    **dict.fromkeys(ESTIMATES, "quote"),
    **dict.fromkeys(GUIDES, "shipping"),
}
DOCUMENT_ENDPOINTS = [f"{path}.{action}" for path in FAMILY for action in ("create", "update")]
CLIENT = {"name": "Bruce Norris", "code": "A1", "email": "bruce@example.com", "country": "Portugal"}
ITEM = {
    "name": "Pen",
    "description": "Blue pen",
    "unit_price": "1.5",
    "quantity": "2",
    "unit": "unit",
    "discount": "0",
}
ADDRESS = {"detail": "Rua A", "city": "Lisboa", "postal_code": "1000-100", "country": "Portugal"}


def valid_body(endpoint: str) -> dict[str, Any]:
    """A complete body that the API accepts for ``endpoint``."""
    path = endpoint.split(".")[0]
    fields: dict[str, Any] = {
        "date": "01/12/2017",
        "due_date": "15/12/2017",
        "retention": "10",
        "client": dict(CLIENT),
        "items": [dict(ITEM)],
    }
    if path in GUIDES:
        fields.update(
            loaded_at="02/12/2017 10:00:00", address_from=dict(ADDRESS), address_to=dict(ADDRESS)
        )
    return {FAMILY[path]: fields}


def validate(endpoint: str, body: Any, context: Any = None) -> list[tuple[str, str, str]]:
    return triples(ixrules.validate(body, endpoint, context=context))


# (pointer below the root, bad value, good value, expected issues as (message, pointer below
# the root, rule)). Each case is checked on every document endpoint, create and update.
FIELD_CASES = {
    "items-not-array": (
        "/items",
        {"item": dict(ITEM)},
        [dict(ITEM)],
        [("Items element should be of type array", "/items", "document.items.array")],
    ),
    "country": (
        "/client/country",
        "Germani",
        "Germany",
        [
            ("Client is invalid", "/client", "document.client.invalid"),
            ("Country Germani was not found", "/client/country", "country.known"),
        ],
    ),
    "retention": (
        "/retention",
        "100",
        "99.99",
        [
            (
                "Retention must be a number between 0 and 99.99",
                "/retention",
                "document.retention.range",
            )
        ],
    ),
    "client-email": (
        "/client/email",
        "bruce.example.com",
        "bruce+x@example.co.uk",
        [
            ("Client is invalid", "/client", "document.client.invalid"),
            ("Email must be an email address", "/client/email", "client.email.valid"),
        ],
    ),
    "client-not-object": (
        "/client",
        "Bruce Norris",
        {"name": "Bruce Norris"},
        [("Client is invalid", "/client", "document.client.object")],
    ),
    "due-date": (
        "/due_date",
        "30/11/2017",
        "01/12/2017",
        [("Due date must be later than date", "/due_date", "document.due_date.after_date")],
    ),
    "discount": (
        "/items/0/discount",
        "10%",
        "10.5",
        [
            ("Invoice items is invalid", "/items", "document.items.invalid"),
            ("Discount is not a number", "/items/0/discount", "item.discount.number"),
        ],
    ),
    "quantity": (
        "/items/0/quantity",
        "0",
        "0.25",
        [
            ("Invoice items is invalid", "/items", "document.items.invalid"),
            (
                "Quantity must be a number greater than 0",
                "/items/0/quantity",
                "item.quantity.positive",
            ),
        ],
    ),
    "quantity-text": (
        "/items/0/quantity",
        "two",
        2,
        [
            ("Invoice items is invalid", "/items", "document.items.invalid"),
            (
                "Quantity must be a number greater than 0",
                "/items/0/quantity",
                "item.quantity.positive",
            ),
        ],
    ),
    "unit-price": (
        "/items/0/unit_price",
        "1,50",
        "1.50",
        [
            ("Invoice items is invalid", "/items", "document.items.invalid"),
            ("Unit price must be a number", "/items/0/unit_price", "item.unit_price.number"),
        ],
    ),
    "unit": (
        "/items/0/unit",
        "kg",
        "hour",
        [
            ("Invoice items is invalid", "/items", "document.items.invalid"),
            (
                "Unit kg is not included in the list of accepted units",
                "/items/0/unit",
                "item.unit.accepted",
            ),
        ],
    ),
    "item-not-object": (
        "/items/0",
        "Pen",
        dict(ITEM),
        [
            ("Invoice items is invalid", "/items", "document.items.invalid"),
            ("Invoice items is invalid", "/items/0", "document.item.object"),
        ],
    ),
    "date": (
        "/date",
        "31/02/2017",
        "28/02/2017",
        [("Date is not valid", "/date", "document.date.valid")],
    ),
}
