"""ixrules.read_response: the API's answers, in every recorded shape and language, read back to
the rule and the field (the recorded bodies are copies under tests/fixtures/responses/)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest
import requests

import ixrules
from ixrules.api import default_rules

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "responses"
RULES = default_rules().ruleset.rules
Triple = tuple[str, "str | None", str]


def triples(report: ixrules.Report) -> list[tuple[str, str | None, str]]:
    return [(issue.message, issue.rule, issue.path) for issue in report.errors]


# --- every message of the catalogue, in every language, back to its rule and field ---------


#: A 500 has no text: a rule predicting one says what ixrules knows, never what the API says.
ANSWERED = sorted(r for r in RULES if RULES[r].severity == "error" and RULES[r].status != 500)


#: Rules whose answer is another's, text and place alike, both decided by the context (which
#: an answer does not carry): the answer reads back to the other. A 0 % line's code nested in
#: its tax is refused with the text of a missing exemption (issue 24).
SAME_ANSWER = {"document.item.tax_exemption.needed": "document.tax_exemption.needed"}


@pytest.mark.parametrize("locale", [None, "pt", "es"])
@pytest.mark.parametrize("rule_id", ANSWERED)
def test_each_catalogue_message_reads_back_to_its_rule_and_field(
    rule_id: str, locale: str | None
) -> None:
    example = dict(RULES[rule_id].example or {})
    body, endpoint = example["body"], example.get("endpoint")
    predicted = ixrules.validate(body, endpoint, context=example.get("context"), locale=locale)
    assert rule_id in [issue.rule for issue in predicted.errors]
    answer = (predicted.status, predicted.to_api())  # what the API answers to that body
    report = ixrules.read_response(answer, sent=body, endpoint=predicted.endpoint)
    expected: dict[str, tuple[str, str | None, str]] = {}
    for issue in predicted.errors:
        if issue.status == predicted.status:
            rule = SAME_ANSWER.get(issue.rule, issue.rule)
            expected.setdefault(issue.message, (issue.message, rule, issue.path))
    assert triples(report) == list(expected.values())
    assert report.status == predicted.status and not report.ok


# --- the recorded answers -------------------------------------------------------------------

RECORDED: list[tuple[str, int, str | None, list[tuple[str, str | None, str]]]] = [
    ("issue-gem3-422-items-not-array.xml", 422, "invoices.create",
     [("Items element should be of type array", "document.items.array", "/invoice/items")]),
    ("legacy-docs-422-account-create.xml", 422, "accounts.create",
     [("Terms and Conditions must be accepted", "account.terms.accepted", "/account/terms"),
      ("Email is invalid", "account.email.valid", "/account/email")]),
    ("legacy-docs-422-change-state-cancel-message.xml", 422, "invoices.change_state",
     [("Cancel message can't be blank", "state.cancel_message.required", "/invoice/message")]),
    ("legacy-docs-422-change-state-invalid-state.xml", 422, "invoices.change_state",
     [("Invalid state", "state.invoice.event", "/invoice/state")]),
    ("legacy-docs-422-change-state-no-content-type.xml", 422, "invoices.change_state",
     [("No content type or wrongly specified.", "request.content_type.json", "")]),
    ("legacy-docs-422-items-create.xml", 422, "items.create",
     [("Name has already been taken", "item.name.taken", "/item/name"),
      ("Unit price can't be blank", "item.unit_price.blank", "/item/unit_price"),
      ("Unit price is not a number", "item.unit_price.not_a_number", "/item/unit_price"),
      ("Unit kg is not included in the list of accepted units", "item.unit.accepted", "/item/unit"),
      ("Unit  is not included in the list of accepted units", "item.unit.accepted", "/item/unit")]),
    ("lib-timonline-422-change-state-cant-handle.json", 422, "credit_notes.change_state",
     [("CantHandle: draft for CreditNote", None, "")]),
    ("lib-timonline-422-document-create-multi.json", 422, "invoices.create",
     [("Document should have at least one item", "document.items.not_empty", "/invoice/items"),
      ("Date is not valid", "document.date.valid", "/invoice/date"),
      ("Tax exemption should be one of: M09, M08, M07, M06, M05, M04, M03, M02, M01, M16, M15, "
       "M14, M13, M12, M11, M10, M99", "document.tax_exemption.needed", "/invoice/tax_exemption")]),
    ("lib-timonline-422-document-creation-limit.json", 422, "invoices.create",
     [("Document creation limit reached for the period from 15/12/2022 to 15/01/2023.", None, "")]),
    ("lib-timonline-422-fiscal-invalid.json", 422, "invoices.create",
     [("Fiscal is invalid", "client.fiscal_id.nif", "/invoice/client/fiscal_id")]),
    ("openapi-doc-202-saft.json", 202, "saft.export", []),
    ("openapi-doc-400-generic.json", 400, None, [("Some parameters were incorrect.", None, "")]),
    ("openapi-doc-401.json", 401, "clients.get", [("Invalid API key", None, "")]),
    ("openapi-doc-404-account.json", 404, "accounts.update",
     [("The account doesn't exist.", None, "")]),
    ("openapi-doc-404-clients.json", 404, "clients.get", [("Client not found", None, "")]),
    ("openapi-doc-404-document.json", 404, "invoices.get", [("Document not found", None, "")]),
    ("openapi-doc-404-qrcode.json", 404, "documents.qr_code",
     [("No document with ID 24563387 was found in this account", None, "")]),
    ("openapi-doc-404-sequence.json", 404, "sequences.get",
     [("The sequence doesn't exist.", None, "")]),
    ("openapi-doc-409-create-invoice.json", 409, "invoices.create",
     [("There's an ongoing document creation with the provided UID "
       "UUID41237123189981ddajkls23478y", None, "")]),
    ("openapi-doc-409-sequence.json", 409, "sequences.register",
     [("All sequences are registered.", None, "")]),
    ("openapi-doc-422-already-user.json", 422, "accounts.create_already_user",
     [("Terms and Conditions should be accepted", None, "")]),
    ("openapi-doc-422-at-communication.json", 422, "accounts.at_communication",
     [("The field at_subuser has an incorrect size", None, "")]),
    ("openapi-doc-422-cancel-payment.json", 422, "receipts.change_state",
     [("CantHandle: 1 for Invoice", None, "")]),
    ("openapi-doc-422-change-state.json", 422, "invoices.change_state",
     [("CantHandle: 1 for Invoice", None, "")]),
    ("openapi-doc-422-create-account.json", 422, "accounts.create",
     [("Owner Owner is invalid", None, "")]),
    ("openapi-doc-422-create-clients.json", 422, "clients.create",
     [("Name can't be blank", None, "")]),
    ("openapi-doc-422-create-invoice.json", 422, "invoices.create",
     [("undefined method `match' for 1:Integer", None, "")]),
    ("openapi-doc-422-create-items.json", 422, "items.create",
     [("Price is a required field", None, ""), ("RRP is a required field", None, ""),
      ("Name is a required field", "item.name.present", "/item/name")]),
    ("openapi-doc-422-create-taxes.json", 422, "taxes.create",
     [("Name is not available.", None, "/tax/name")]),
    ("openapi-doc-422-generate-payment.json", 422, "partial_payments.create",
     [("Payment mechanism is invalid", "payment.mechanism.valid",
       "/partial_payment/payment_mechanism")]),
    ("openapi-doc-422-generic.json", 422, None, [("Some parameters were incorrect.", None, "")]),
    ("openapi-doc-422-initial-balance.json", 422, "clients.initial_balance",
     [("Date can't be blank", "balance.date.required", "/initial_balance/date")]),
    ("openapi-doc-422-pdf.json", 422, "documents.pdf",
     [("The {document-id} provided is in an invalid state.", None, "")]),
    ("openapi-doc-422-qrcode.json", 422, "documents.qr_code",
     [("Document with ID 248920464 is still in draft. QR Codes are only available for final, "
       "canceled or settled documents.", None, "")]),
    ("openapi-doc-422-regularization.json", 422, "clients.regularization",
     [("The regularization amount must be less than or equal to the remaining balance", None, ""),
      ("Date can't be blank", "balance.date.required", "/regularization/date")]),
    ("openapi-doc-422-saft.json", 422, "saft.export",
     [("There aren't any documents to export on the selected period.", "saft.documents", "")]),
    ("openapi-doc-422-send-email.json", 422, "invoices.email",
     [("Email is a required field", "email.client.required", "/message/client")]),
    ("openapi-doc-422-sequence.json", 422, None, [("Sequence name not allowed.", None, "")]),
    ("openapi-doc-422-treasury-movement.json", 422, "clients.treasury_movements",
     [("Validation failed: Value is not a number", "treasury.value.number",
       "/treasury_movement/value")]),
    ("openapi-doc-422-update-account.json", 422, "accounts.update",
     [("Fiscal id is invalid", None, "/account/fiscal_id")]),
    ("openapi-doc-422-update-invoice.json", 422, "invoices.update",
     [("Elemento client não fornecido", None, "")]),
    ("openapi-doc-422-update-items.json", 422, "items.update",
     [("Name is not available.", None, ""),
      ("Name can't be changed because it is already associated with invoices", None, ""),
      ("Price is not valid. Check the decimal mark and if you are inserting only numbers.",
       None, "")]),
    ("openapi-doc-422-update-taxes.json", 422, "taxes.update",
     [("Tax region is empty", "tax.region.empty", "/tax/region")]),
    ("openapi-doc-500-saft.json", 500, "saft.export",
     [("Error generating SAF-T. Please try again.", None, "")]),
    ("rec-zoran759-401-invalid-api-key.json", 401, "clients.get", [("Invalid API key", None, "")]),
    ("rec-zoran759-422-client-create-empty.json", 422, "clients.create",
     [("Nome é um campo obrigatório", "client.name.present", "/client/name")]),
    ("rec-zoran759-422-tax-create-duplicate-name.json", 422, "taxes.create",
     [("Nome não está disponível.", "tax.name.taken", "/tax/name")]),
]  # fmt: skip


def test_every_recorded_answer_is_in_the_table() -> None:
    assert sorted(name for name, *_ in RECORDED) == sorted(p.name for p in FIXTURES.iterdir())


@pytest.mark.parametrize(("name", "status", "endpoint", "expected"), RECORDED)
def test_each_recorded_answer(
    name: str, status: int, endpoint: str | None, expected: list[Triple]
) -> None:
    report = ixrules.read_response((status, (FIXTURES / name).read_bytes()), endpoint=endpoint)
    assert triples(report) == expected
    assert [issue.status for issue in report.errors] == [status] * len(expected)
    assert report.ok is (status < 400) and report.endpoint == endpoint


def test_the_timonline_multi_answer_given_the_body_that_caused_it() -> None:
    sent = {"invoice": {"date": "32/01/2023", "due_date": "01/02/2023", "client": {"name": "A"},
                        "items": []}}  # fmt: skip
    body = (FIXTURES / "lib-timonline-422-document-create-multi.json").read_text()
    report = ixrules.read_response((422, body), sent=sent, endpoint="invoices.create")
    assert [(i.rule, i.path) for i in report.errors] == [
        ("document.items.not_empty", "/invoice/items"),
        ("document.date.valid", "/invoice/date"),
        ("document.tax_exemption.needed", "/invoice/tax_exemption"),
    ]
    assert report.by_field() == {
        "invoice[items]": ["Document should have at least one item"],
        "invoice[date]": ["Date is not valid"],
        "invoice[tax_exemption]": [
            "Tax exemption should be one of: M09, M08, M07, M06, M05, M04, M03, M02, M01, M16, "
            "M15, M14, M13, M12, M11, M10, M99"
        ],
    }  # fmt: skip


def test_a_line_s_message_points_at_the_line_that_caused_it() -> None:
    sent = {"invoice": {"items": [{"name": "Pen", "unit": "hour"}, {"name": "Ink", "unit": "kg"}]}}
    unit = "Unidade kg não está incluída na lista de unidades aceites"
    answer = {"errors": [{"error": "Invoice items is invalid"}, {"error": unit}]}
    report = ixrules.read_response((422, answer), sent=sent, endpoint="invoices.update")
    assert triples(report) == [
        ("Invoice items is invalid", "document.items.invalid", "/invoice/items"),
        ("Unidade kg não está incluída na lista de unidades aceites", "item.unit.accepted",
         "/invoice/items/1/unit"),
    ]  # fmt: skip
    assert report.by_field("dotted") == {
        "invoice.items": ["Invoice items is invalid"],
        "invoice.items.1.unit": ["Unidade kg não está incluída na lista de unidades aceites"],
    }


def test_a_rule_that_needs_context_is_found_where_its_field_is() -> None:
    # "Name has already been taken" needs the account's names, which read_response is not given
    sent = {"item": {"name": "Pen", "unit_price": "1"}}
    answer = {"errors": [{"error": "Nome não está disponível"}]}
    report = ixrules.read_response((422, answer), sent=sent, endpoint="items.create")
    assert triples(report) == [("Nome não está disponível", "item.name.taken", "/item/name")]


# --- the shapes of observed.md §4 -----------------------------------------------------------

SHAPES: list[tuple[Any, list[Triple]]] = [
    ({"errors": [{"error": "Name is a required field"}]},
     [("Name is a required field", "client.name.present", "/client/name")]),
    ({"errors": {"error": "Name is a required field"}},
     [("Name is a required field", "client.name.present", "/client/name")]),
    ({"errors": ["Nombre es un campo obligatorio"]},
     [("Nombre es un campo obligatorio", "client.name.present", "/client/name")]),
    ({"errors": {"send_options": ["must be within 1 and 3"]}},
     [("Send options must be within 1 and 3", "client.send_options.range",
       "/client/send_options")]),
    ({"errors": {"country": "was not found"}},
     [("Country was not found", "country.known", "/client/country")]),
    ({"message": "Send options must be within 1 and 3"},
     [("Send options must be within 1 and 3", "client.send_options.range",
       "/client/send_options")]),
    ([["name", "is a required field"]],
     [("Name is a required field", "client.name.present", "/client/name")]),
    ({"base": ["Name is a required field"]},
     [("Name is a required field", "client.name.present", "/client/name")]),
    ('<?xml version="1.0"?><errors><error>Country Alemanha was not found</error>'
     "<error>Send options must be within 1 &amp; 3</error></errors>",
     [("Country Alemanha was not found", "country.known", "/client/country"),
      ("Send options must be within 1 & 3", None, "")]),
    ("Internal error, please try again", [("Internal error, please try again", None, "")]),
    ("", [("Unprocessable Entity", None, "")]),
    ({"unexpected": 1}, [("Unprocessable Entity", None, "")]),
]  # fmt: skip


@pytest.mark.parametrize(("body", "expected"), SHAPES)
def test_every_shape(body: Any, expected: list[Triple]) -> None:
    sent = {"client": {"name": "", "send_options": "7", "country": "Alemanha"}}
    assert triples(ixrules.read_response((422, body), sent=sent, endpoint="clients.create")) == (
        expected
    )
    text = body if isinstance(body, str) else json.dumps(body)
    by_bytes = ixrules.read_response((422, text.encode()), sent=sent, endpoint="clients.create")
    assert triples(by_bytes) == expected


def test_without_the_body_or_the_endpoint_the_field_is_not_known() -> None:
    report = ixrules.read_response((422, {"errors": [{"error": "Send options is not a number"}]}))
    assert triples(report) == [("Send options is not a number", "client.send_options.number", "")]
    assert report.endpoint is None


@pytest.mark.parametrize("status", [401, 404, 500, 503])
def test_answers_before_or_beside_the_rules_keep_their_text(status: int) -> None:
    report = ixrules.read_response((status, {"errors": [{"error": "Name is a required field"}]}))
    assert triples(report) == [("Name is a required field", None, "")]
    assert report.status == status
    assert triples(ixrules.read_response((status, b""))) == [
        ({401: "Unauthorized", 404: "Not Found", 500: "Internal Server Error",
          503: "Service Unavailable"}[status], None, ""),
    ]  # fmt: skip


# --- response objects -----------------------------------------------------------------------

URL = "https://acme.app.invoicexpress.com/clients.json?api_key=k"
SENT = {"client": {"name": "Acme", "send_options": "4"}}
ANSWER = {"errors": [{"error": "Send options must be within 1 and 3"}]}
PLACED = [("Send options must be within 1 and 3", "client.send_options.range",
           "/client/send_options")]  # fmt: skip


def test_an_httpx_response_gives_its_endpoint_and_sent_body() -> None:
    client = httpx.Client(transport=httpx.MockTransport(lambda r: httpx.Response(422, json=ANSWER)))
    response = client.post(URL, json=SENT)
    report = ixrules.read_response(response)
    assert triples(report) == PLACED and report.endpoint == "clients.create"
    assert report.by_field() == {"client[send_options]": ["Send options must be within 1 and 3"]}


def test_an_httpx_response_without_a_request() -> None:
    report = ixrules.read_response(httpx.Response(422, json=ANSWER), sent=SENT)
    assert triples(report) == PLACED and report.endpoint is None


def test_a_requests_response() -> None:
    request = requests.Request("POST", URL, json=SENT).prepare()
    response = requests.Response()
    response.status_code = 422
    response._content = json.dumps(ANSWER).encode()
    response.request = request
    report = ixrules.read_response(response)
    assert triples(report) == PLACED and report.endpoint == "clients.create"
    response.request = None  # type: ignore[assignment]
    assert triples(ixrules.read_response(response)) == [
        ("Send options must be within 1 and 3", "client.send_options.range", "")
    ]


def test_a_success_is_a_clean_report() -> None:
    report = ixrules.read_response(httpx.Response(201, json={"client": {"id": 1}}))
    assert report.ok and report.status == 201 and report.issues == []


@pytest.mark.parametrize(
    ("response", "error", "message"),
    [
        ({"errors": []}, TypeError, "read_response takes an httpx or requests response, or a pair "
         "(status, body), not dict"),
        ((42, {}), ValueError, "an HTTP status is an integer from 100 to 599, not 42"),
        (("422", {}), ValueError, "an HTTP status is an integer from 100 to 599, not '422'"),
    ],
)  # fmt: skip
def test_bad_input_gets_a_clear_answer(response: Any, error: type, message: str) -> None:
    with pytest.raises(error) as caught:
        ixrules.read_response(response)
    assert str(caught.value) == message


def test_an_unknown_endpoint_is_an_endpoint_error() -> None:
    with pytest.raises(ixrules.EndpointError):
        ixrules.read_response((422, ANSWER), endpoint="client.create")


def test_nothing_given_is_changed() -> None:
    sent = json.loads(json.dumps(SENT))
    answer = json.loads(json.dumps(ANSWER))
    ixrules.read_response((422, answer), sent=sent, endpoint="clients.create")
    assert sent == SENT and answer == ANSWER


def test_hostile_answers_get_an_answer_not_a_traceback() -> None:
    deep: Any = "Name is a required field"
    for _ in range(100_000):
        deep = [deep]
    assert triples(ixrules.read_response((422, {"errors": deep}))) == [
        ("Unprocessable Entity", None, "")
    ]
    text = "[" * 100_000 + "]" * 100_000
    assert [i.rule for i in ixrules.read_response((422, text)).errors] == [None]
    long = "Unit " + "x " * 1_000_000 + "is not included in the list of accepted units"
    report = ixrules.read_response((422, {"errors": [{"error": long}]}))
    assert [len(i.message) for i in report.errors] == [2_000]


def test_the_same_answers_from_many_threads() -> None:
    from concurrent.futures import ThreadPoolExecutor

    def read(index: int) -> list[tuple[str, str | None, str]]:
        sent = {"client": {"name": "Acme", "send_options": str(index % 5)}}
        return triples(ixrules.read_response((422, ANSWER), sent=sent, endpoint="clients.create"))

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(read, range(64)))
    assert all(result == results[0] for result in results)
