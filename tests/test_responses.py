"""ixrules.read_response: the API's answers, in every recorded shape and language, read back to
the rule and the field (the recorded bodies are copies under tests/fixtures/responses/)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest
import requests
from support.evidence import RECORDED

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
