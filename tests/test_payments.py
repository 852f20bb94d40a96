"""Payments: a partial payment, cancelling its receipt, and a client's current account."""

from __future__ import annotations

from typing import Any

import pytest
from support.bodies import DELETE, changed, load_example
from support.documents import validate

import ixrules

PAYMENT = load_example("docs-v2-partial-payment.json")


@pytest.mark.parametrize(
    "name",
    [
        "docs-v2-partial-payment.json",
        "openapi-partial-payment.json",
        "squarebit-fixture-partial-payment.json",
    ],
)
def test_documented_payments_pass(name: str) -> None:
    report = ixrules.validate(load_example(name))
    assert report.endpoint == "partial_payments.create" and report.ok and report.status == 200


@pytest.mark.parametrize(
    ("bad", "good"), [("ten", "10.5"), ("10,5", 10), ("", 0.01), (DELETE, "100")]
)
def test_the_amount_is_a_number(bad: Any, good: Any) -> None:
    assert validate(
        "partial_payments.create", changed(PAYMENT, "/partial_payment/amount", bad)
    ) == [("Amount is not a number", "/partial_payment/amount", "payment.amount.number")]
    assert (
        validate("partial_payments.create", changed(PAYMENT, "/partial_payment/amount", good)) == []
    )


@pytest.mark.parametrize(("bad", "good"), [("PAYPAL", "MB"), ("T B", "nu"), ("", "CI")])
def test_the_payment_mechanism_is_one_of_the_codes(bad: str, good: str) -> None:
    pointer = "/partial_payment/payment_mechanism"
    assert validate("partial_payments.create", changed(PAYMENT, pointer, bad)) == [
        ("Payment mechanism is invalid", pointer, "payment.mechanism.valid")
    ]
    assert validate("partial_payments.create", changed(PAYMENT, pointer, good)) == []


@pytest.mark.parametrize("name", ["docs-v2-cancel-payment.json", "openapi-cancel-payment.json"])
def test_documented_cancellations_pass(name: str) -> None:
    report = ixrules.validate(load_example(name))
    assert report.endpoint == "receipts.change_state" and report.ok


def test_a_cancellation_needs_its_reason() -> None:
    body = {"receipt": {"state": "canceled"}}
    assert validate("receipts.change_state", body) == [
        ("Cancel message can't be blank", "/receipt/message", "state.cancel_message.required")
    ]


@pytest.mark.parametrize(
    ("endpoint", "root", "name"),
    [
        ("clients.initial_balance", "initial_balance", "openapi-initial-balance.json"),
        ("clients.regularization", "regularization", "openapi-regularization.json"),
    ],
)
def test_a_balance_entry_is_dated(endpoint: str, root: str, name: str) -> None:
    body = load_example(name)
    assert validate(endpoint, body) == []
    assert validate(endpoint, changed(body, f"/{root}/date", DELETE)) == [
        ("Date can't be blank", f"/{root}/date", "balance.date.required")
    ]


def test_a_treasury_movement_value_is_a_number() -> None:
    body = load_example("openapi-treasury-movement.json")
    assert validate("clients.treasury_movements", body) == []
    assert validate(
        "clients.treasury_movements", changed(body, "/treasury_movement/value", "1,5")
    ) == [
        (
            "Validation failed: Value is not a number",
            "/treasury_movement/value",
            "treasury.value.number",
        )
    ]
