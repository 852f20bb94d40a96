"""Every request field the OpenAPI description names is declared in the rules, with its kind.

tests/fixtures/openapi-fields.txt is the description's field list, written by
``python tools/openapi_fields.py <invoicexpress-openapi.yaml>`` (the tests never read the
description itself). Each declared field then gets a value of the wrong kind, whose answer is
asserted exactly, next to a value of the right kind that passes.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest
from support.bodies import FIXTURES

import ixrules
from ixrules.api import default_rules
from ixrules.model import ANY_INDEX, EndpointSpec, FieldSpec, field_specs

RULES = default_rules()

#: The OpenAPI request schemas, and the ixrules endpoints whose bodies each describes.
_INVOICES = ("invoices", "invoice_receipts", "simplified_invoices", "credit_notes", "debit_notes")
_ESTIMATES = ("quotes", "proformas", "fees_notes")
_GUIDES = ("shippings", "transports", "devolutions")
SCHEMA_ENDPOINTS: dict[str, tuple[str, ...]] = {
    "AccountCreateRequest": ("accounts.create", "accounts.create_already_user"),
    "AccountUpdateRequest": ("accounts.update",),
    "AtCommunicationRequest": ("accounts.at_communication",),
    "InvoiceCreateRequest": tuple(f"{path}.create" for path in _INVOICES),
    "InvoiceUpdateRequest": tuple(f"{path}.update" for path in _INVOICES),
    "EstimateCreateRequest": tuple(f"{p}.{a}" for p in _ESTIMATES for a in ("create", "update")),
    "GuideCreateRequest": tuple(f"{p}.{a}" for p in _GUIDES for a in ("create", "update")),
    "ChangeStateInvoiceRequest": tuple(f"{path}.change_state" for path in _INVOICES),
    "ChangeStateEstimateRequest": tuple(f"{path}.change_state" for path in _ESTIMATES),
    "ChangeStateGuideRequest": tuple(f"{path}.change_state" for path in _GUIDES),
    "EmailDocumentRequest": tuple(f"{p}.email" for p in (*_INVOICES, *_ESTIMATES, *_GUIDES)),
    "PaymentRequest": ("partial_payments.create",),
    "CancelPaymentRequest": ("receipts.change_state",),
    "SequenceCreateRequest": ("sequences.create",),
    "TaxesCreateRequest": ("taxes.create", "taxes.update"),
    "ClientRequest": ("clients.create", "clients.update"),
    "ClientsInvoiceFilterRequest": ("clients.invoices",),
    "ItemRequest": ("items.create", "items.update"),
    "InitialBalanceRequest": ("clients.initial_balance",),
    "RegularizationRequest": ("clients.regularization",),
    "TreasuryMovementRequest": ("clients.treasury_movements",),
    "SaftExportParams": ("saft.export",),
}

#: OpenAPI fields the body specs deliberately do not declare, with the reason.
NOT_DECLARED = {
    ("InvoiceCreateRequest", "/proprietary_uid"): (
        "the idempotency key sits beside the root key, not inside the document: it is read "
        "with the body's root keys, not declared as a field of the document"
    ),
}

#: Fields declared beyond the OpenAPI description, per schema, with the reason.
ADDED = {
    **{
        (schema, f"/{root}/items/*/{field}"): (
            "a line's exemption code is `tax_exemption` (live, issue 24); integrators send "
            "`tax.value` and `tax.exemption_code`, declared to say what the API does with them"
        )
        for schema, root in (
            ("InvoiceCreateRequest", "invoice"),
            ("InvoiceUpdateRequest", "invoice"),
            ("EstimateCreateRequest", "quote"),
            ("GuideCreateRequest", "shipping"),
        )
        for field in ("tax_exemption", "tax/value", "tax/exemption_code")
    },
    ("ClientRequest", "/client/payment_days"): "in the API's responses; a tested client sends it",
    ("ClientRequest", "/client/tax_exemption_code"): "likewise",
    ("ClientRequest", "/client/preferred_contact/mobile"): "likewise",
    ("GuideCreateRequest", "/shipping/mb_reference"): (
        "every document shares the Multibanco flag (and its provider rule)"
    ),
}

#: Flags the OpenAPI types as integers (example 1): the API honours "0"/"1", an integer flag
#: was recorded answered 201 and not applied (observed.md §2), so they are declared flags.
FLAGS_TYPED = {("TaxesCreateRequest", "/tax/default_tax")}

#: The OpenAPI type of a field, and the kinds that declare it. Strings include the kinds
#: the API reads out of text (numeric strings, ids, flags, dates): traffic sends both.
KINDS_OF_TYPE = {
    "string": {"text", "number", "integer", "flag", "date", "datetime"},
    "number": {"number"},
    "integer": {"integer"},
    "object": {"object"},
    "array": {"list"},
}

#: OpenAPI enums that no one_of rule or flag kind holds, with the reason.
ENUMS_NOT_LISTED = {
    "/account/terms": 'an acceptance: its own rule takes "1", 1 and true as accepted',
    "/client/send_options": "a number from 1 to 3, with the API's own two messages",
    "/account/credentials/type": "a constant with a default (AT); no other value is documented",
    "/account/credentials/context": "a constant with a default (Sequences)",
    "/invoice/global_discount/value_type": "its refusal is recorded: an error rule, not a list",
}


def openapi_fields() -> list[tuple[str, str, str, str]]:
    """(schema, pointer, type, enum) of every line of the fixture."""
    text = (FIXTURES / "openapi-fields.txt").read_text(encoding="utf-8")
    rows = []
    for line in text.splitlines():
        schema, pointer, kind, enum = line.split("\t")
        rows.append((schema, pointer, kind, enum))
    return rows


def declared(endpoint: EndpointSpec) -> dict[str, FieldSpec]:
    """The endpoint's declared fields by pointer (``*`` for any row), under its first root."""
    prefix = (endpoint.roots[0],) if endpoint.roots else ()
    return {"/" + "/".join(path): spec for path, spec in field_specs(endpoint.body, prefix)}


def in_rules(endpoint: EndpointSpec, pointer: str) -> FieldSpec | None:
    """The spec at an OpenAPI pointer, whose first step is the endpoint's root key (any of
    them) unless the endpoint is unwrapped."""
    if endpoint.roots:
        root, _, rest = pointer[1:].partition("/")
        if root not in endpoint.roots:
            return None
        pointer = "/" + "/".join(filter(None, (endpoint.roots[0], rest)))
    return declared(endpoint).get(pointer)


FIELDS = openapi_fields()


def test_the_fixture_lists_every_schema_the_endpoints_are_mapped_to() -> None:
    assert {schema for schema, *_ in FIELDS} == set(SCHEMA_ENDPOINTS)
    assert len(FIELDS) > 250
    for endpoints in SCHEMA_ENDPOINTS.values():
        for name in endpoints:
            RULES.endpoint(name)  # raises for a name the rules do not have


@pytest.mark.parametrize(("schema", "pointer", "kind", "enum"), FIELDS)
def test_every_openapi_field_is_declared_with_a_matching_kind(
    schema: str, pointer: str, kind: str, enum: str
) -> None:
    for name in SCHEMA_ENDPOINTS[schema]:
        spec = in_rules(RULES.endpoint(name), pointer)
        if (schema, pointer) in NOT_DECLARED:
            assert spec is None, f"{pointer} is declared now: drop it from NOT_DECLARED"
            continue
        assert spec is not None, f"{name} does not declare {pointer} (OpenAPI {schema})"
        kinds = KINDS_OF_TYPE[kind] | ({"flag"} if (schema, pointer) in FLAGS_TYPED else set())
        assert spec.kind in kinds, (name, pointer, spec.kind, kind)
        if enum:
            listed = spec.kind == "flag" or any(rule.check == "one_of" for rule in spec.rules)
            relative = "/" + pointer.split("/", 2)[-1] if pointer.count("/") > 1 else pointer
            assert listed or pointer in ENUMS_NOT_LISTED or relative in ENUMS_NOT_LISTED, (
                f"{name} {pointer}: the OpenAPI lists {enum}; say it with one_of, or why not"
            )


def test_the_only_additions_are_listed() -> None:
    documented: dict[str, set[str]] = {}
    for schema, pointer, _, _ in FIELDS:
        documented.setdefault(schema, set()).add(pointer)
    added = set()
    for schema, endpoints in SCHEMA_ENDPOINTS.items():
        endpoint = RULES.endpoint(endpoints[-1])
        for pointer in declared(endpoint):
            if pointer != "/" + "/".join(endpoint.roots[:1]) and pointer not in documented[schema]:
                added.add((schema, pointer))
    assert added == set(ADDED)


def test_every_declared_field_has_a_kind() -> None:
    for name in RULES.endpoints():
        for pointer, spec in declared(RULES.endpoint(name)).items():
            if pointer.count("/") > 1 or not RULES.endpoint(name).roots:
                assert spec.kind is not None or pointer == "/", (name, pointer)


def test_only_free_form_objects_stay_open() -> None:
    for name in RULES.endpoints():
        for pointer, spec in declared(RULES.endpoint(name)).items():
            assert not (spec.fields is not None and spec.open), (name, pointer)


# --- a wrong kind, and a right one, for every declared field --------------------------------

#: A value of each kind that is of another kind, and one of the kind.
WRONG = {
    "text": ["x"],
    "number": "abc",
    "integer": "1.5",
    "flag": "yes",
    "date": "31/02/2017",
    "datetime": "tomorrow",
    "object": "x",
    "list": "x",
}
RIGHT = {
    "text": "x",
    "number": "1.5",
    "integer": "12",
    "flag": "1",
    "date": "03/12/2017",
    "datetime": "03/12/2017 10:00:00",
    "object": {},
    "list": [],
}

#: A right value for a field that takes only some texts, by the field's last key.
RIGHT_TEXT = {
    "fiscal_id": "999999990",
    "tax_exemption": "M00",
    "tax_exemption_reason": "M00",
    "exemption_code": "",  # a line's tax: any code there is ignored (warned)
    "value": "",  # a line's tax: its value is not known to be read (warned)
    "value_type": "percentage",
    "email": "someone@example.com",
    "cc": "someone@example.com",
    "bcc": "someone@example.com",
    "country": "Portugal",
    "language": "pt",
    "tax_country": "1",
    "communication_type": "auto",
    "unit": "hour",
    "currency_code": "EUR",
    "movement_type": "Payment",
    "payment_method": "MB",
    "payment_mechanism": "MB",
    "region": "PT",
    "terms": "1",
    "state": "finalized",
}
RIGHT_AT = {
    ("taxes.update", "/code"): "NOR",
    ("clients.update", "/code"): "C1",
    ("receipts.change_state", "/state"): "canceled",
    ("invoices.email", "/client"): {"email": "someone@example.com"},
}

#: The smallest body each endpoint takes (under its root key), for those that need one.
BASE: dict[str, dict[str, Any]] = {
    "accounts.create": {
        "organization_name": "Acme",
        "email": "someone@example.com",
        "password": "secret123",
    },
    "sequences.create": {"serie": "A"},
    "invoices.email": {"client": {"email": "someone@example.com"}},
    "partial_payments.create": {"amount": 10},
    "receipts.change_state": {"state": "canceled", "message": "Wrong"},
    "clients.initial_balance": {"date": "2024-01-31"},
    "saft.export": {"month": "1", "year": "2024"},
    **{
        f"{path}.change_state": {"state": "finalized"}
        for path in ("invoices", "invoice_receipts", "credit_notes", "quotes", "shippings")
    },
    "purchase_orders.change_state": {"state": "finalized"},
}

_CLIENT = ("Client is invalid", "/client", "document.client.invalid", "error")
_ITEMS = ("Invoice items is invalid", "/items", "document.items.invalid", "error")
_NOT_LISTED = "['x'] is not one of the values the API accepts here"
_STATE = ("Invalid state", "/state")

#: Where a wrong kind is answered by the field's own rules rather than its kind's: the issues,
#: with paths under the root key. The API's own message comes first (an error where the API
#: refuses), the umbrella of a client or a line beside it.
OWN: dict[tuple[str, str], list[tuple[str, str, str, str]]] = {
    ("invoices.update", "/tax_exemption"): [
        (
            "Tax exemption should be one of: M09, M08, M07, M06, M05, M04, M03, M02, M01, M16, "
            "M15, M14, M13, M12, M11, M10, M99",
            "/tax_exemption",
            "document.tax_exemption.accepted",
            "error",
        )
    ],
    ("invoices.update", "/global_discount/value_type"): [
        (
            "Value type is not included in the list",
            "/global_discount/value_type",
            "document.global_discount.value_type",
            "error",
        )
    ],
    ("accounts.create", "/tax_country"): [
        (_NOT_LISTED, "/tax_country", "account.tax_country.known", "warning")
    ],
    ("accounts.create", "/language"): [(_NOT_LISTED, "/language", "language.known", "warning")],
    ("accounts.create", "/terms"): [
        ("Terms and Conditions must be accepted", "/terms", "account.terms.accepted", "error")
    ],
    ("accounts.create", "/email"): [("Email is invalid", "/email", "account.email.valid", "error")],
    ("accounts.update", "/email"): [("Email is invalid", "/email", "account.email.valid", "error")],
    ("accounts.at_communication", "/communication_type"): [
        (_NOT_LISTED, "/communication_type", "at.communication_type.known", "warning")
    ],
    ("clients.update", "/email"): [
        ("Email must be an email address", "/email", "client.email.valid", "error")
    ],
    ("clients.update", "/language"): [(_NOT_LISTED, "/language", "language.known", "warning")],
    ("clients.update", "/country"): [
        ("Country ['x'] was not found", "/country", "country.known", "error")
    ],
    ("clients.update", "/preferred_contact"): [
        ("Client contact is invalid", "/preferred_contact", "client.contact.object", "error")
    ],
    ("clients.update", "/preferred_contact/email"): [
        ("Client contact is invalid", "/preferred_contact", "client.contact.invalid", "error"),
        (
            "Preferred contact: email must be an email",
            "/preferred_contact/email",
            "client.contact.email.valid",
            "error",
        ),
    ],
    ("clients.update", "/send_options"): [
        ("Send options is not a number", "/send_options", "client.send_options.number", "error")
    ],
    ("invoices.update", "/currency_code"): [
        (_NOT_LISTED, "/currency_code", "document.currency_code.known", "warning")
    ],
    ("invoices.email", "/client/email"): [
        ("Email: is an invalid email", "/client/email", "email.to.valid", "error")
    ],
    ("invoices.email", "/cc"): [("Cc: is an invalid email", "/cc", "email.cc.valid", "error")],
    ("invoices.email", "/bcc"): [("Bcc: is an invalid email", "/bcc", "email.bcc.valid", "error")],
    ("items.update", "/unit_price"): [
        ("Unit price is not a number", "/unit_price", "item.unit_price.not_a_number", "error")
    ],
    ("items.update", "/unit"): [
        (
            "Unit ['x'] is not included in the list of accepted units",
            "/unit",
            "item.unit.accepted",
            "error",
        )
    ],
    ("partial_payments.create", "/amount"): [
        ("Amount is not a number", "/amount", "payment.amount.number", "error")
    ],
    ("partial_payments.create", "/payment_mechanism"): [
        ("Payment mechanism is invalid", "/payment_mechanism", "payment.mechanism.valid", "error")
    ],
    ("clients.treasury_movements", "/value"): [
        ("Validation failed: Value is not a number", "/value", "treasury.value.number", "error")
    ],
    ("clients.treasury_movements", "/movement_type"): [
        (_NOT_LISTED, "/movement_type", "treasury.movement_type.known", "warning")
    ],
    ("clients.treasury_movements", "/payment_method"): [
        (_NOT_LISTED, "/payment_method", "treasury.payment_method.known", "warning")
    ],
    ("taxes.update", "/value"): [
        ("Value must be a number between 0 and 99.99", "/value", "tax.value.range", "error")
    ],
    ("taxes.update", "/region"): [
        ("Tax region is not valid", "/region", "tax.region.valid", "error")
    ],
    ("taxes.update", "/code"): [(_NOT_LISTED, "/code", "tax.code.known", "warning")],
    ("receipts.change_state", "/state"): [(*_STATE, "state.receipt.event", "error")],
    ("purchase_orders.change_state", "/state"): [(*_STATE, "state.purchase_order.event", "error")],
    ("quotes.change_state", "/state"): [(*_STATE, "state.estimate.event", "error")],
    ("shippings.change_state", "/state"): [(*_STATE, "state.guide.event", "error")],
    **{
        (f"{path}.change_state", "/state"): [(*_STATE, "state.invoice.event", "error")]
        for path in ("invoices", "invoice_receipts", "credit_notes")
    },
    ("shippings.update", "/address_from/country"): [
        ("Country ['x'] was not found", "/address_from/country", "country.known", "error")
    ],
    ("shippings.update", "/address_to/country"): [
        ("Country ['x'] was not found", "/address_to/country", "country.known", "error")
    ],
}

#: Exemption codes are checked wherever a body takes one, and a line's tax says what it holds
#: that the API does not read (issue 24; tests/test_evidence.py).
_CODES = (
    "Tax exemption should be one of: M09, M08, M07, M06, M05, M04, M03, M02, M01, M16, M15, "
    "M14, M13, M12, M11, M10, M99"
)
for _name in ("invoices.update", "quotes.update", "shippings.update"):
    for _field in ("/tax_exemption", "/tax_exemption_reason"):
        OWN.setdefault(
            (_name, _field), [(_CODES, _field, "document.tax_exemption.accepted", "error")]
        )
    OWN[_name, "/items/*/tax_exemption"] = [
        ("Invoice items is invalid", "/items", "document.items.invalid", "error"),
        (_CODES, "/items/0/tax_exemption", "document.tax_exemption.accepted", "error"),
    ]
    OWN[_name, "/items/*/tax/value"] = [
        (
            "Tax value ['x'] is not known to be read: a line's rate is that of the account's "
            "tax it names",
            "/items/0/tax/value",
            "item.tax.value.unread",
            "warning",
        )
    ]
    OWN[_name, "/items/*/tax/exemption_code"] = [
        (
            "Tax exemption code ['x'] is ignored here: a line's exemption code goes in its "
            "tax_exemption",
            "/items/0/tax/exemption_code",
            "item.tax.exemption_code.ignored",
            "warning",
        )
    ]
for _document in ("invoices.update", "quotes.update", "shippings.update"):
    OWN.update(
        {
            (_document, "/date"): [("Date is not valid", "/date", "document.date.valid", "error")],
            (_document, "/retention"): [
                (
                    "Retention must be a number between 0 and 99.99",
                    "/retention",
                    "document.retention.range",
                    "error",
                )
            ],
            (_document, "/client"): [
                ("Client is invalid", "/client", "document.client.object", "error")
            ],
            (_document, "/client/email"): [
                _CLIENT,
                ("Email must be an email address", "/client/email", "client.email.valid", "error"),
            ],
            (_document, "/client/country"): [
                _CLIENT,
                ("Country ['x'] was not found", "/client/country", "country.known", "error"),
            ],
            (_document, "/items"): [
                ("Items element should be of type array", "/items", "document.items.array", "error")
            ],
            (_document, "/items/*"): [
                _ITEMS,
                ("Invoice items is invalid", "/items/0", "document.item.object", "error"),
            ],
            (_document, "/items/*/quantity"): [
                _ITEMS,
                (
                    "Quantity must be a number greater than 0",
                    "/items/0/quantity",
                    "item.quantity.positive",
                    "error",
                ),
            ],
            (_document, "/items/*/unit_price"): [
                _ITEMS,
                (
                    "Unit price must be a number",
                    "/items/0/unit_price",
                    "item.unit_price.number",
                    "error",
                ),
            ],
            (_document, "/items/*/unit"): [
                _ITEMS,
                (
                    "Unit ['x'] is not included in the list of accepted units",
                    "/items/0/unit",
                    "item.unit.accepted",
                    "error",
                ),
            ],
            (_document, "/items/*/discount"): [
                _ITEMS,
                ("Discount is not a number", "/items/0/discount", "item.discount.number", "error"),
            ],
        }
    )


def _bodies() -> list[str]:
    """One endpoint per body spec (an update where there is one: nothing is required)."""
    groups: dict[int, list[str]] = {}
    for name in RULES.endpoints():
        endpoint = RULES.endpoint(name)
        if endpoint.body.fields is not None:
            groups.setdefault(id(endpoint.body), []).append(name)
    return [
        next((n for n in names if n.endswith(".update")), names[0]) for names in groups.values()
    ]


CASES = [
    (name, "/" + "/".join(path), spec.kind)
    for name in _bodies()
    for path, spec in field_specs(RULES.endpoint(name).body)
    if path and spec.kind is not None
]


def _put(tree: dict[str, Any], path: list[str], value: Any) -> None:
    """Set ``value`` at ``path`` of ``tree``, making objects, and one row for ``*``."""
    node: Any = tree
    for step, after in zip(path, [*path[1:], None], strict=True):
        if step == ANY_INDEX:
            if after is None:
                node[:] = [value]
                return
            if not node:
                node.append({})
            node = node[0]
        elif after is None:
            node[step] = value
        else:
            node = node.setdefault(step, [] if after == ANY_INDEX else {})


def _body(endpoint: str, pointer: str, value: Any) -> tuple[dict[str, Any], str]:
    spec = RULES.endpoint(endpoint)
    inner = copy.deepcopy(BASE.get(endpoint, {}))
    _put(inner, [part for part in pointer.split("/") if part], copy.deepcopy(value))
    prefix = f"/{spec.roots[0]}" if spec.roots else ""
    return ({spec.roots[0]: inner} if spec.roots else inner), prefix


def _issues(report: Any) -> list[tuple[str, str, str, str]]:
    return [(i.message, i.path, i.rule, i.severity) for i in report.issues]


def test_every_body_spec_is_exercised() -> None:
    assert len(CASES) > 200
    assert {name for name, _, _ in CASES} >= {"invoices.update", "saft.export", "accounts.update"}
    stale = set(OWN) - {(name, pointer) for name, pointer, _ in CASES}
    assert not stale


@pytest.mark.parametrize(("endpoint", "pointer", "kind"), CASES)
def test_a_value_of_the_wrong_kind_is_reported(endpoint: str, pointer: str, kind: str) -> None:
    body, prefix = _body(endpoint, pointer, WRONG[kind])
    where = prefix + pointer.replace(f"/{ANY_INDEX}", "/0")
    rule = RULES.ruleset.rules[f"kind.{kind}"]
    expected = [(rule.message, where, rule.id, "warning")]
    if (endpoint, pointer) in OWN:
        expected = [(m, prefix + p, r, s) for m, p, r, s in OWN[endpoint, pointer]]
    assert _issues(ixrules.validate(body, endpoint)) == expected


@pytest.mark.parametrize(("endpoint", "pointer", "kind"), CASES)
def test_a_value_of_the_right_kind_passes(endpoint: str, pointer: str, kind: str) -> None:
    last = pointer.rsplit("/", 1)[-1]
    value = RIGHT_AT.get((endpoint, pointer), RIGHT[kind])
    if kind == "text" and (endpoint, pointer) not in RIGHT_AT:
        value = RIGHT_TEXT.get(last, value)
    body, _ = _body(endpoint, pointer, value)
    assert _issues(ixrules.validate(body, endpoint)) == []


# --- what real clients send that the API drops or changes ------------------------------------

#: Keys real integrations send that the API drops (observed traffic: 201s), what ixrules
#: says, and why the value is lost.
DROPPED = [
    (
        "shippings.update",
        {"shipping": {"address_from": {"detail": "Rua A", "email": "a@example.com"}}},
        "/shipping/address_from/email",
        None,
        "an address has no email (OCA sends one); the API keeps detail, city, postal code, country",
    ),
    (
        "invoices.update",
        {"invoice": {"items": [{"name": "Pen", "discount_amount": 5}]}},
        "/invoice/items/0/discount_amount",
        None,
        "a line's discount is the percentage `discount`; `discount_amount` is ignored",
    ),
    (
        "invoices.update",
        {"invoice": {"items": [{"name": "Pen", "exemption_reason": "M07"}]}},
        "/invoice/items/0/exemption_reason",
        None,
        "the exemption reason is the document's `tax_exemption`, not a line's",
    ),
    (
        "invoices.update",
        {"invoice": {"items": [{"name": "Pen", "tax_name": "IVA23"}]}},
        "/invoice/items/0/tax_name",
        None,
        "a line's tax is the object `tax: {name}`",
    ),
    (
        "shippings.update",
        {"shipping": {"address_to": {"zip": "1000-001"}}},
        "/shipping/address_to/zip",
        None,
        "the postal code is `postal_code`",
    ),
    (
        "invoices.update",
        {"invoice": {"type": "Invoice"}},
        "/invoice/type",
        None,
        "the type of a document is its path, not a key of its body",
    ),
]


@pytest.mark.parametrize(("endpoint", "body", "where", "hint", "reason"), DROPPED)
def test_a_key_the_api_drops_is_a_warning(
    endpoint: str, body: dict[str, Any], where: str, hint: str | None, reason: str
) -> None:
    assert reason
    key = where.rsplit("/", 1)[-1]
    report = ixrules.validate(body, endpoint)
    assert report.errors == []
    found = [(i.message, i.path, i.rule, i.severity, i.hint) for i in report.issues]
    assert found == [
        (f"Unknown key {key}, which the API drops", where, "field.unknown", "warning", hint)
    ]


def test_a_line_tax_the_account_lacks_is_named() -> None:
    line = {"name": "Pen", "unit_price": 1, "quantity": 1, "tax": {"name": "IVA24"}}
    body = {"invoice": {"client": {"name": "Acme"}, "items": [line]}}
    context = {"existing": {"taxes": ["IVA23", "IVA6"]}}
    found = _issues(ixrules.validate(body, "invoices.create", context=context))
    assert found == [
        (
            "Tax IVA24 is not one of the account's taxes, so the account's default tax is "
            "applied instead",
            "/invoice/items/0/tax/name",
            "item.tax.default_applied",
            "warning",
        )
    ]
    found = _issues(ixrules.validate(body, "invoices.update", context=context))
    assert found == [
        (
            "Tax IVA24 is not one of the account's taxes, so no tax is applied to the line",
            "/invoice/items/0/tax/name",
            "item.tax.none_applied",
            "warning",
        )
    ]
    listed = {"existing": {"taxes": [" iva24 "]}}
    assert ixrules.validate(body, "invoices.create", context=listed).issues == []
    assert "item.tax.default_applied" in ixrules.validate(body, "invoices.create").skipped


def test_only_the_first_unknown_keys_of_an_object_get_a_hint() -> None:
    from ixrules.run.call import HINTED_KEYS

    body = {"invoice": {f"due-date{'_' * i}": "01/12/2017" for i in range(HINTED_KEYS + 1)}}
    hints = [issue.hint for issue in ixrules.validate(body, "invoices.update").warnings]
    assert hints[0] == "did you mean 'due_date'?"
    assert len(hints) == HINTED_KEYS + 1 and hints[-1] is None


def test_a_client_name_the_account_lacks_creates_a_client() -> None:
    line = {"name": "Pen", "unit_price": 1, "quantity": 1}
    body = {"invoice": {"client": {"name": "Acme Lda"}, "items": [line]}}
    context = {"existing": {"clients": ["Acme", "Globex"]}}
    assert _issues(ixrules.validate(body, "invoices.create", context=context)) == [
        (
            "Client Acme Lda is not one of the account's clients, so the API creates a new one",
            "/invoice/client/name",
            "document.client.created",
            "warning",
        )
    ]
    known = {"existing": {"clients": ["ACME LDA "]}}
    assert ixrules.validate(body, "invoices.create", context=known).issues == []
