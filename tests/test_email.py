"""email-document for every document type: the recipient, copy and blind copy addresses."""

from __future__ import annotations

from typing import Any

import pytest
from support.bodies import DELETE, changed, load_example
from support.documents import FAMILY, validate

import ixrules

ENDPOINTS = [f"{path}.email" for path in [*FAMILY, "purchase_orders"]]
BODY = load_example("docs-v2-email-document.json")
FIELDS = {
    "/message/client/email": ("Email: is an invalid email", "email.to.valid"),
    "/message/cc": ("Cc: is an invalid email", "email.cc.valid"),
    "/message/bcc": ("Bcc: is an invalid email", "email.bcc.valid"),
}


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_the_documented_body_passes(endpoint: str) -> None:
    assert validate(endpoint, BODY) == []


@pytest.mark.parametrize("pointer", list(FIELDS))
@pytest.mark.parametrize(
    "bad",
    [
        "someone.example.com",
        "someone@",
        "a@b.com, nope",
        "a b@example.com",
        "Bruce <b@example.com>",
        42,
    ],
)
@pytest.mark.parametrize("endpoint", ["invoices.email", "quotes.email", "devolutions.email"])
def test_an_invalid_address(endpoint: str, pointer: str, bad: Any) -> None:
    message, rule = FIELDS[pointer]
    assert validate(endpoint, changed(BODY, pointer, bad)) == [(message, pointer, rule)]


@pytest.mark.parametrize("pointer", list(FIELDS))
@pytest.mark.parametrize(
    "good",
    [
        "a@example.com",
        " a@example.com ",
        "a@example.com, b@example.pt",
        "a@example.com;b@example.pt;",
        "joão@exemplo.pt",
    ],
)
def test_one_or_more_valid_addresses_pass(pointer: str, good: str) -> None:
    assert validate("invoices.email", changed(BODY, pointer, good)) == []


@pytest.mark.parametrize("pointer", ["/message/cc", "/message/bcc"])
@pytest.mark.parametrize("blank", ["", " ", None, False, DELETE])
def test_copies_are_optional(pointer: str, blank: Any) -> None:
    assert validate("invoices.email", changed(BODY, pointer, blank)) == []


@pytest.mark.parametrize("blank", ["", "  ", None, DELETE])
def test_the_recipient_is_required(blank: Any) -> None:
    assert validate("invoices.email", changed(BODY, "/message/client/email", blank)) == [
        ("Email is a required field", "/message/client/email", "email.to.present")
    ]


def test_the_client_is_required() -> None:
    assert validate("invoices.email", {"message": {"subject": "Invoice"}}) == [
        ("Email is a required field", "/message/client", "email.client.required")
    ]


def test_the_content_type_is_checked_when_the_context_says_it() -> None:
    rule = "request.content_type.json"
    no_json = {"request": {"content_type": "text/plain"}}
    assert validate("invoices.email", BODY, no_json) == [
        ("No content type or wrongly specified", "/message", rule)
    ]
    for good in ["application/json", "application/json; charset=utf-8", "Application/JSON"]:
        assert validate("invoices.email", BODY, {"request": {"content_type": good}}) == []
    assert ixrules.validate(BODY, "invoices.email").skipped == [rule]


def test_the_endpoint_is_inferred_from_the_message_key() -> None:
    assert ixrules.validate(BODY).endpoint == "invoices.email"
