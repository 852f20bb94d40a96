"""Which endpoint each request body of tests/fixtures/examples is for, and which of them the API
refuses as they are, with why and what ixrules answers (tests/test_examples.py)."""

from __future__ import annotations

from typing import Any


def _fiscal(root: str) -> list[tuple[str, str, str]]:
    """What a document whose client has a placeholder NIF is answered."""
    return [
        ("Client is invalid", f"/{root}/client", "document.client.invalid"),
        ("Fiscal is invalid", f"/{root}/client/fiscal_id", "client.fiscal_id.nif"),
    ]


#: Bodies the API does not accept as they are, with the reason and what ixrules answers.
#: Recorded bodies (``rec-``) the API accepted are never here; docs, OpenAPI and fixture
#: examples carry placeholders (NIFs that fail the check digit) the API refuses.
KNOWN_REJECTED = {
    "docs-v2-invoice-update.json": (
        "placeholder NIF 508000000 of a Portugal client fails the check digit (recorded: "
        "'Fiscal is invalid', Ventrata, tim-online)",
        _fiscal("invoice"),
    ),
    "docs-v2-shipping-update.json": (
        "placeholder NIF 508000000 of a Portugal client fails the check digit (recorded: "
        "'Fiscal is invalid', Ventrata, tim-online)",
        _fiscal("shipping"),
    ),
    "openapi-estimate-create.json": (
        "placeholder NIF 500999888 of a Portugal client fails the check digit (recorded: "
        "'Fiscal is invalid', Ventrata, tim-online)",
        _fiscal("quote"),
    ),
    "openapi-guide-create.json": (
        "placeholder NIF 508000000 of a Portugal client fails the check digit (recorded: "
        "'Fiscal is invalid', Ventrata, tim-online)",
        _fiscal("shipping"),
    ),
    "openapi-invoice-create.json": (
        "placeholder NIF 500999888 of a Portugal client fails the check digit (recorded: "
        "'Fiscal is invalid', Ventrata, tim-online)",
        _fiscal("invoice"),
    ),
    "openapi-invoice-update.json": (
        "placeholder NIF 500999888 of a Portugal client fails the check digit (recorded: "
        "'Fiscal is invalid', Ventrata, tim-online)",
        _fiscal("invoice"),
    ),
    "squarebit-fixture-estimate-create.json": (
        "placeholder NIF 508000000 of a Portugal client fails the check digit (recorded: "
        "'Fiscal is invalid', Ventrata, tim-online)",
        _fiscal("quote"),
    ),
    "squarebit-fixture-guide-create.json": (
        "placeholder NIF 508000000 of a Portugal client fails the check digit (recorded: "
        "'Fiscal is invalid', Ventrata, tim-online)",
        _fiscal("shipping"),
    ),
    "squarebit-fixture-invoice-create.json": (
        "placeholder NIF 508000000 of a Portugal client fails the check digit (recorded: "
        "'Fiscal is invalid', Ventrata, tim-online)",
        _fiscal("invoice"),
    ),
    "squarebit-fixture-invoice-update.json": (
        "placeholder NIF 508000000 of a Portugal client fails the check digit (recorded: "
        "'Fiscal is invalid', Ventrata, tim-online)",
        _fiscal("invoice"),
    ),
    "openapi-item-create.json": (
        "unit_price as a JSON number: /items.json answers 'unit price is not valid' "
        "(live: diogopms)",
        [("unit price is not valid", "/item/unit_price", "item.unit_price.string")],
    ),
    "squarebit-fixture-item-update.json": (
        "unit_price as a JSON number: /items.json answers 'unit price is not valid' "
        "(live: diogopms)",
        [("unit price is not valid", "/item/unit_price", "item.unit_price.string")],
    ),
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
    "rec-zoran759-client-create-empty-422.json": (
        "recorded 422: a client needs a name ('Nome é um campo obrigatório', Portuguese account)",
        [("Name is a required field", "/client/name", "client.name.present")],
    ),
    "rec-zoran759-tax-create-duplicate-422.json": (
        "recorded 422: the account already had a tax called IVA23 (see CONTEXTS)",
        [("Name has already been taken", "/tax/name", "tax.name.taken")],
    ),
}
#: The account state a known-rejected example was refused in.
CONTEXTS: dict[str, Any] = {
    "rec-zoran759-tax-create-duplicate-422.json": {"existing": {"taxes": ["IVA23"]}},
}
#: Which endpoint each example is a body of (the docs page or route it was sent to).
ENDPOINTS = {
    "docs-v1-account-update.json": "accounts.update",
    "docs-v2-account-create-already-user.json": "accounts.create_already_user",
    "docs-v2-account-create.json": "accounts.create",
    "docs-v2-account-update.json": "accounts.update",
    "docs-v2-cancel-payment.json": "receipts.change_state",
    "docs-v2-client-create.json": "clients.create",
    "docs-v2-client-invoices-filter.json": "clients.invoices",
    "docs-v2-email-document.json": "invoices.email",
    "docs-v2-invoice-change-state.json": "invoices.change_state",
    "docs-v2-invoice-create.json": "invoices.create",
    "docs-v2-invoice-update.json": "invoices.update",
    "docs-v2-item-create.json": "items.create",
    "docs-v2-partial-payment.json": "partial_payments.create",
    "docs-v2-purchase-order-create.json": "purchase_orders.create",
    "docs-v2-purchase-order-update.json": "purchase_orders.update",
    "docs-v2-quote-change-state.json": "quotes.change_state",
    "docs-v2-quote-create.json": "quotes.create",
    "docs-v2-sequence-create.json": "sequences.create",
    "docs-v2-shipping-create.json": "shippings.create",
    "docs-v2-shipping-update.json": "shippings.update",
    "docs-v2-tax-create.json": "taxes.create",
    "hivesolutions-example-invoice-create.json": "invoices.create",
    "hivesolutions-example-invoice-finalize.json": "invoices.change_state",
    "openapi-account-create.json": "accounts.create",
    "openapi-account-update.json": "accounts.update",
    "openapi-at-communication.json": "accounts.at_communication",
    "openapi-cancel-payment.json": "receipts.change_state",
    "openapi-client-create.json": "clients.create",
    "openapi-client-invoices-filter.json": "clients.invoices",
    "openapi-email-document.json": "invoices.email",
    "openapi-estimate-change-state.json": "quotes.change_state",
    "openapi-estimate-create.json": "quotes.create",
    "openapi-guide-change-state.json": "shippings.change_state",
    "openapi-guide-create.json": "shippings.create",
    "openapi-initial-balance.json": "clients.initial_balance",
    "openapi-invoice-change-state.json": "invoices.change_state",
    "openapi-invoice-create.json": "invoices.create",
    "openapi-invoice-update.json": "invoices.update",
    "openapi-item-create.json": "items.create",
    "openapi-partial-payment.json": "partial_payments.create",
    "openapi-regularization.json": "clients.regularization",
    "openapi-sequence-create.json": "sequences.create",
    "openapi-tax-create.json": "taxes.create",
    "openapi-treasury-movement.json": "clients.treasury_movements",
    "rec-zoran759-client-create-201.json": "clients.create",
    "rec-zoran759-client-create-empty-422.json": "clients.create",
    "rec-zoran759-invoice-create-201.json": "invoices.create",
    "rec-zoran759-invoice-receipt-create-201.json": "invoice_receipts.create",
    "rec-zoran759-sequence-create-201.json": "sequences.create",
    "rec-zoran759-simplified-invoice-create-201.json": "simplified_invoices.create",
    "rec-zoran759-tax-create-201.json": "taxes.create",
    "rec-zoran759-tax-create-duplicate-422.json": "taxes.create",
    "squarebit-fixture-cancel-payment.json": "receipts.change_state",
    "squarebit-fixture-client-create.json": "clients.create",
    "squarebit-fixture-client-update.json": "clients.update",
    "squarebit-fixture-email-document.json": "invoices.email",
    "squarebit-fixture-estimate-change-state.json": "quotes.change_state",
    "squarebit-fixture-estimate-create.json": "quotes.create",
    "squarebit-fixture-guide-change-state.json": "shippings.change_state",
    "squarebit-fixture-guide-create.json": "shippings.create",
    "squarebit-fixture-invoice-change-state.json": "invoices.change_state",
    "squarebit-fixture-invoice-create.json": "invoices.create",
    "squarebit-fixture-invoice-update.json": "invoices.update",
    "squarebit-fixture-item-create.json": "items.create",
    "squarebit-fixture-item-update.json": "items.update",
    "squarebit-fixture-partial-payment.json": "partial_payments.create",
    "squarebit-fixture-sequence-create.json": "sequences.create",
    "squarebit-fixture-tax-create.json": "taxes.create",
}
ACCEPTED = sorted(set(ENDPOINTS) - set(KNOWN_REJECTED))
