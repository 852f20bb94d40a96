"""Bodies read as the API reads them: a null root key is absent, keys beside the root key are
fields of the top level, an unwrapped body is never taken for another endpoint's, an unknown
root key gets a did-you-mean, and numbers past float range or NaN get the field's own
message."""

from __future__ import annotations

from typing import Any

import pytest
from support.bodies import load_example, triples

import ixrules
from ixrules import Rules
from ixrules.api import default_rules
from ixrules.ruleformat.builder import load_rule_texts
from ixrules.ruleformat.errors import RuleFileError

REFERENCE = Rules(default_rules().ruleset, executor="cerberus")
DOCUMENT = {
    "date": "01/12/2017",
    "due_date": "01/12/2017",
    "client": {"name": "Acme", "code": "A1"},
    "items": [{"name": "Pen", "unit_price": "1.5", "quantity": "2"}],
}
ROOTS = (
    "'account', 'at_communication', 'client', 'filter', 'invoice', 'invoice_receipt', "
    "'simplified_invoice', 'credit_note', 'debit_note', 'quote', 'proforma', 'fees_note', ..."
)


def both(body: Any, endpoint: str | None = None) -> list[tuple[str, str, str, str]]:
    """What both executors answer (they must agree), errors and warnings."""
    out = []
    for rules in (default_rules(), REFERENCE):
        report = rules.validate(body, endpoint)
        out.append([(i.message, i.path, i.rule or "", i.severity) for i in report.issues])
    assert out[0] == out[1]
    return out[0]


# --- null root keys -----------------------------------------------------------------------


def test_the_production_shape_with_null_siblings_is_an_invoice_receipt() -> None:
    """tim-online, in production since 2020: every sibling root key sent as null."""
    body = {
        "invoice": None,
        "simplified_invoice": None,
        "invoice_receipt": DOCUMENT,
        "credit_note": None,
        "debit_note": None,
    }
    report = ixrules.validate(body)
    assert report.endpoint == "invoice_receipts.create" and report.ok
    assert report.issues == []
    assert ixrules.validate(body, "invoice_receipts.create").ok
    short = {"invoice": None, "invoice_receipt": DOCUMENT, "credit_note": None}
    assert ixrules.validate(short).endpoint == "invoice_receipts.create"
    assert ixrules.validate(short, "invoice_receipts.create").issues == []


def test_the_null_root_is_absent_whichever_comes_first() -> None:
    body = {"invoice_receipt": None, "invoice": {"date": "31/02/2017"}}
    assert triples(ixrules.validate(body, "invoice_receipts.update")) == [
        ("Date is not valid", "/invoice/date", "document.date.valid")
    ]


def test_a_lone_null_root_is_still_not_an_object() -> None:
    with pytest.raises(ixrules.BodyError) as caught:
        ixrules.validate({"invoice": None})
    assert str(caught.value) == "the value of 'invoice' must be a JSON object for invoices.create"


def test_two_present_roots_are_still_ambiguous() -> None:
    with pytest.raises(ixrules.BodyError) as caught:
        ixrules.validate({"invoice": {}, "invoice_receipt": {}, "quote": None})
    assert str(caught.value) == (
        "ambiguous body: root keys 'invoice', 'invoice_receipt' are all known to any endpoint"
    )


# --- keys beside the root key -------------------------------------------------------------


def test_proprietary_uid_beside_the_root_is_a_field() -> None:
    body = load_example("openapi-invoice-create.json")
    assert ixrules.validate(body).endpoint == "invoices.create"
    assert both({"invoice": DOCUMENT, "proprietary_uid": "ODOO-1f2e"}, "invoices.create") == []
    assert both({"invoice": DOCUMENT, "proprietary_uid": "ODOO-1f2e"}) == []
    assert both({"invoice": DOCUMENT, "proprietary_uid": {"uid": 1}}, "invoices.create") == [
        ("Should be text", "/proprietary_uid", "kind.text", "warning")
    ]
    assert both({"proprietary_uid": ["x"], "invoice_receipt": DOCUMENT}) == [
        ("Should be text", "/proprietary_uid", "kind.text", "warning")
    ]


def test_a_sibling_is_checked_after_the_root_value() -> None:
    body = {"proprietary_uid": True, "invoice": {**DOCUMENT, "date": "31/02/2017"}}
    assert both(body, "invoices.create") == [
        ("Date is not valid", "/invoice/date", "document.date.valid", "error"),
        ("Should be text", "/proprietary_uid", "kind.text", "warning"),
    ]


def test_siblings_belong_to_the_actions_that_declare_them() -> None:
    rules = default_rules()
    assert list(rules.endpoint("invoices.create").siblings) == ["proprietary_uid"]
    assert rules.endpoint("invoices.update").siblings == {}
    assert "proprietary_uid" not in rules.schema("invoices.update")
    # on update nothing reads it (the API documents it on create only): a key the API drops
    assert both({"invoice": DOCUMENT, "proprietary_uid": [1]}, "invoices.update") == [
        (
            "Unknown key proprietary_uid, which the API drops",
            "/proprietary_uid",
            "field.unknown",
            "warning",
        )
    ]
    assert (
        "kind.text" in rules.ruleset.rule_endpoints
        and "invoices.create" in (rules.ruleset.rule_endpoints["kind.text"])
    )


def test_siblings_in_the_rule_format() -> None:
    text = """
fragments:
  thing: {fields: {name: {}}}
endpoints:
  - paths: [things]
    actions:
      create:
        body: thing
        mode: create
        siblings:
          token:
            rules:
              - id: thing.token.digits
                message: Token is invalid
                check: pattern
                args: {regex: "[0-9]+"}
"""
    rules = Rules(load_rule_texts([("things.yaml", text)]))
    report = rules.validate({"thing": {"name": "x"}, "token": "abc"})
    assert [(i.message, i.path, i.rule) for i in report.errors] == [
        ("Token is invalid", "/token", "thing.token.digits")
    ]
    assert rules.validate({"thing": {}, "token": "123"}).ok
    bad = text.replace("          token:\n", "          token: [1]\n          other:\n")
    with pytest.raises(RuleFileError, match="sibling 'token' must be a mapping or a kind"):
        load_rule_texts([("things.yaml", bad)])
    unwrapped = text.replace("  - paths: [things]\n", "  - paths: [things]\n    unwrapped: true\n")
    with pytest.raises(RuleFileError, match="siblings need a root key to sit beside"):
        load_rule_texts([("things.yaml", unwrapped)])


# --- unwrapped bodies ---------------------------------------------------------------------


def test_a_document_body_without_its_root_is_not_taken_for_a_client() -> None:
    body = {"date": "01/12/2017", "client": {"name": "Acme"}, "items": [{"name": "Pen"}]}
    with pytest.raises(ixrules.BodyError) as caught:
        ixrules.validate(body)
    assert str(caught.value) == (
        "the body is not wrapped in its root key: 'date', 'client', 'items' are fields, not root "
        "keys; wrap them in 'invoice', 'quote', 'shipping' or 'purchase_order', as in "
        '{"invoice": {...}}'
    )


def test_the_key_to_wrap_in_is_the_endpoint_whose_body_has_those_fields() -> None:
    body = {"loaded_at": "02/12/2017 10:00:00", "address_from": {}, "client": {"name": "A"}}
    with pytest.raises(ixrules.BodyError) as caught:
        ixrules.validate(body)
    assert str(caught.value) == (
        "the body is not wrapped in its root key: 'loaded_at', 'address_from', 'client' are "
        "fields, not root keys; wrap them in 'shipping', as in {\"shipping\": {...}}"
    )


def test_a_named_endpoint_says_its_own_root_key() -> None:
    with pytest.raises(ixrules.BodyError) as caught:
        ixrules.validate({"name": "Acme", "email": "a@example.com"}, "clients.create")
    assert str(caught.value) == (
        "the body is not wrapped in its root key: 'name', 'email' are fields, not root keys; "
        "wrap them in 'client', as in {\"client\": {...}}"
    )
    with pytest.raises(ixrules.BodyError) as caught:
        ixrules.validate({"value": "10"}, "clients.treasury_movements")
    assert str(caught.value) == (
        "the body is not wrapped in its root key: 'value' is a field, not a root key; wrap it "
        "in 'treasury_movement', as in {\"treasury_movement\": {...}}"
    )


def test_a_stray_field_beside_a_root_key_is_an_unwrapped_body_too() -> None:
    with pytest.raises(ixrules.BodyError, match="'items' is a field, not a root key"):
        ixrules.validate({"invoice": DOCUMENT, "items": []})


def test_keys_that_are_no_field_beside_the_root_are_left_alone() -> None:
    assert ixrules.validate({"invoice": DOCUMENT, "api_key": "k"}).endpoint == "invoices.create"


# --- unknown root keys --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("root", "meant"),
    [
        ("invoices", "invoice"),
        ("Invoice", "invoice"),
        ("INVOICE_RECEIPTS", "invoice_receipt"),
        ("estimate", "quote"),
        ("estimates", "quote"),
        ("guide", "shipping"),
        ("invoce", "invoice"),
        ("Sequences", "sequence"),
        ("taxes", "tax"),
    ],
)
def test_an_unknown_root_key_gets_a_did_you_mean(root: str, meant: str) -> None:
    with pytest.raises(ixrules.BodyError) as caught:
        ixrules.validate({root: {}})
    assert str(caught.value) == (
        f"no root key known to any endpoint: expected one of {ROOTS}; got {root!r}; "
        f"did you mean {meant!r}?"
    )


def test_a_named_endpoint_suggests_among_its_own_roots() -> None:
    with pytest.raises(ixrules.BodyError) as caught:
        ixrules.validate({"Invoice": {}}, "invoice_receipts.create")
    assert str(caught.value) == (
        "no root key known to endpoint invoice_receipts.create: expected one of 'invoice', "
        "'invoice_receipt'; got 'Invoice'; did you mean 'invoice'?"
    )


def test_nothing_close_gets_no_guess() -> None:
    with pytest.raises(ixrules.BodyError) as caught:
        ixrules.validate({"customer": {}}, "clients.create")
    assert str(caught.value) == (
        "no root key known to endpoint clients.create: expected one of 'client'; got 'customer'"
    )


# --- numbers past float range and NaN -----------------------------------------------------

HUGE = [float("nan"), float("inf"), -float("inf"), "1e400", "NaN", "-1e999"]


@pytest.mark.parametrize("value", HUGE, ids=repr)
@pytest.mark.parametrize(
    ("endpoint", "body", "pointer", "message", "rule"),
    [
        (
            "items.update",
            {"item": {"unit_price": None}},
            "/item/unit_price",
            "Unit price is not a number",
            "item.unit_price.not_a_number",
        ),
        (
            "taxes.update",
            {"tax": {"value": None}},
            "/tax/value",
            "Value must be a number between 0 and 99.99",
            "tax.value.range",
        ),
        (
            "clients.update",
            {"client": {"send_options": None}},
            "/client/send_options",
            "Send options is not a number",
            "client.send_options.number",
        ),
        (
            "invoices.update",
            {"invoice": {"retention": None}},
            "/invoice/retention",
            "Retention must be a number between 0 and 99.99",
            "document.retention.range",
        ),
    ],
)
def test_a_number_past_float_range_or_nan_gets_the_fields_message(
    value: Any, endpoint: str, body: dict[str, Any], pointer: str, message: str, rule: str
) -> None:
    root, field = pointer.split("/")[1:]
    sent = {root: {field: value}}
    assert triples(ixrules.validate(sent, endpoint)) == [(message, pointer, rule)]
    assert triples(REFERENCE.validate(sent, endpoint)) == [(message, pointer, rule)]


@pytest.mark.parametrize("value", [float("nan"), float("inf"), "1e400"], ids=repr)
def test_a_line_price_past_float_range_is_not_a_number(value: Any) -> None:
    body = {"invoice": {"items": [{"name": "Pen", "unit_price": value, "quantity": "1"}]}}
    assert triples(ixrules.validate(body, "invoices.update")) == [
        ("Invoice items is invalid", "/invoice/items", "document.items.invalid"),
        ("Unit price must be a number", "/invoice/items/0/unit_price", "item.unit_price.number"),
    ]


# --- blank names in documents -------------------------------------------------------------


@pytest.mark.parametrize("blank", ["", "  ", "\t"])
@pytest.mark.parametrize("endpoint", ["invoices.create", "quotes.create", "shippings.create"])
def test_a_documents_client_and_lines_refuse_a_blank_name_on_create(
    blank: str, endpoint: str
) -> None:
    root = endpoint.split(".")[0][:-1]
    client = {root: {**DOCUMENT, "client": {"name": blank, "code": "A1"}}}
    assert triples(ixrules.validate(client, endpoint)) == [
        ("Client is invalid", f"/{root}/client", "document.client.invalid"),
        ("Name is a required field", f"/{root}/client/name", "document.client.name.required"),
    ]
    line = {root: {**DOCUMENT, "items": [{"name": blank, "unit_price": "1", "quantity": "1"}]}}
    assert triples(ixrules.validate(line, endpoint)) == [
        ("Invoice items is invalid", f"/{root}/items", "document.items.invalid"),
        ("Name is a required field", f"/{root}/items/0/name", "document.item.name.required"),
    ]
    update = endpoint.replace("create", "update")
    assert triples(ixrules.validate(client, update)) == []
    assert triples(ixrules.validate(line, update)) == []
