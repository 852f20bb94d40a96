"""check_request: each status it predicts (401, 404, 422 content type, 406, 422 messages, 200 and
201), from real URLs, and every route of the rules reachable from its own URL."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from support.bodies import load_example, triples
from support.evidence import TRIAL
from support.example_bodies import ACCEPTED, ENDPOINTS

import ixrules
from ixrules.api import default_rules

BASE = "https://acme.app.invoicexpress.com"
KEY = "?api_key=0123456789abcdef"
JSON = {"Content-Type": "application/json; charset=utf-8"}
CLIENT = load_example("docs-v2-client-create.json")


def url(path: str, query: str = KEY) -> str:
    return BASE + path + query


def test_a_clean_create_is_201_and_an_update_200() -> None:
    created = ixrules.check_request("POST", url("/clients.json"), headers=JSON, body=CLIENT)
    assert (created.endpoint, created.status, created.errors) == ("clients.create", 201, [])
    updated = ixrules.check_request("PUT", url("/clients/42.json"), headers=JSON, body=CLIENT)
    assert (updated.endpoint, updated.status, updated.errors) == ("clients.update", 200, [])


@pytest.mark.parametrize("query", ["", "?api_key=", "?api_key=%20", "?key=abc", "?API_KEY=abc"])
def test_no_api_key_is_401(query: str) -> None:
    report = ixrules.check_request("POST", url("/clients.json", query), headers=JSON, body=CLIENT)
    assert report.status == 401 and report.endpoint == "clients.create"
    assert triples(report) == [("Invalid API key", "", "request.api_key")]
    assert report.to_api() == {"errors": [{"error": "Invalid API key"}]}


def test_401_wins_over_everything_else() -> None:
    body = {"client": {"send_options": "9"}}
    report = ixrules.check_request("POST", url("/clients.json", ""), body=body)
    assert report.status == 401 and report.messages == ["Invalid API key"]
    assert ixrules.check_request("GET", url("/nowhere.json", "")).status == 401


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/client.json"),
        ("POST", "/invoices/42.json"),
        ("DELETE", "/invoices/42.json"),
        ("PUT", "/invoices/abc.json"),
        ("PUT", "/invoices/42/change_state.json"),
        ("GET", "/invoices/42/pdf.json"),
        ("PUT", "/clients.json"),
        ("GET", "/api/export_saft.xml"),
        ("POST", "/vat_moss_invoices.json"),
        ("PUT", "/receipts/42.json"),
        ("GET", "/"),
    ],
)
def test_a_route_the_api_does_not_have_is_404(method: str, path: str) -> None:
    report = ixrules.check_request(method, url(path), headers=JSON, body={"invoice": {}})
    assert report.endpoint is None and report.status == 404
    assert triples(report) == [("The requested resource does not exist.", "", "request.route")]
    assert report.to_dict()["endpoint"] is None


@pytest.mark.parametrize(
    "headers",
    [
        None,
        {},
        {"Content-Type": "text/plain"},
        {"Content-Type": "application/x-www-form-urlencoded"},
        {"Content-Type": "application/vnd.api+json"},
        {"Accept": "application/json"},
        {"Content-Type": ""},
    ],
)
def test_a_body_without_a_json_content_type_is_422(headers: Any) -> None:
    email = load_example("docs-v2-email-document.json")
    report = ixrules.check_request(
        "PUT", url("/invoices/42/email-document.json"), headers=headers, body=email
    )
    assert report.status == 422 and report.endpoint == "invoices.email"
    assert triples(report) == [
        ("No content type or wrongly specified", "", "request.content_type.json")
    ]


@pytest.mark.parametrize(
    "content_type",
    ["application/json", "application/json; charset=utf-8", "APPLICATION/JSON", "text/x-json"],
)
def test_json_content_types(content_type: str) -> None:
    email = load_example("docs-v2-email-document.json")
    report = ixrules.check_request(
        "PUT",
        url("/quotes/42/email-document.json"),
        headers={"content-type": content_type},
        body=email,
    )
    assert report.ok and report.status == 200 and report.skipped == []


def test_no_body_needs_no_content_type() -> None:
    report = ixrules.check_request("PUT", url("/sequences/7/register.json"))
    assert report.endpoint == "sequences.register" and report.status == 200


def test_a_transition_the_status_does_not_allow_is_406() -> None:
    body = {"quote": {"state": "accept"}}
    path = url("/quotes/7/change-state.json")
    draft = {"document": {"status": "draft"}}
    report = ixrules.check_request("PUT", path, headers=JSON, body=body, context=draft)
    assert report.status == 406 and report.endpoint == "quotes.change_state"
    assert triples(report) == [
        (
            "The document provided is in an invalid state.",
            "/quote/state",
            "state.estimate.transition",
        )
    ]
    final = {"document": {"status": "final"}}
    assert ixrules.check_request("PUT", path, headers=JSON, body=body, context=final).status == 200


def test_body_messages_are_422() -> None:
    body = {"invoice": {"state": "canceled"}}
    report = ixrules.check_request(
        "PUT", url("/invoice_receipts/3/change-state.json"), headers=JSON, body=body
    )
    assert report.status == 422 and report.to_api() == {
        "errors": [{"error": "Cancel message can't be blank"}]
    }


def test_the_saft_export_reads_its_query() -> None:
    ready = {"account": {"trial": False, "company_info_complete": True}, "documents_in_period": 2}
    ok = ixrules.check_request(
        "GET", url("/api/export_saft.json", KEY + "&month=1&year=2024"), context=ready
    )
    assert (ok.endpoint, ok.status, ok.errors) == ("saft.export", 200, [])
    missing = ixrules.check_request(
        "GET", url("/api/export_saft.json", KEY + "&year=2024"), context=ready
    )
    assert missing.status == 422
    assert missing.to_api() == {"message": "You need to send the month in the request body."}
    trial = ixrules.check_request(
        "GET",
        url("/api/export_saft.json", KEY + "&month=1&year=2024"),
        context={"account": {"trial": True}},
    )
    assert trial.to_api() == {"message": TRIAL}
    # without a key the answer is the API's usual 401 body, not the SAF-T shape
    assert ixrules.check_request("GET", url("/api/export_saft.json", "?month=1")).to_api() == {
        "errors": [{"error": "Invalid API key"}]
    }


def test_a_body_may_be_json_text() -> None:
    text = '{"client": {"name": "Acme", "send_options": "4"}}'
    for body in (text, text.encode()):
        report = ixrules.check_request("POST", url("/clients.json"), headers=JSON, body=body)
        assert report.messages == ["Send options must be within 1 and 3"]


def test_a_path_without_the_host_works() -> None:
    report = ixrules.check_request("post", "/items.json" + KEY, headers=JSON, body={"item": {}})
    assert report.endpoint == "items.create" and report.status == 422


@pytest.mark.parametrize(
    ("kwargs", "error", "says"),
    [
        ({"body": "{not json"}, ixrules.BodyError, "the body is not valid JSON"),
        (
            {"body": {"name": "Acme"}},
            ixrules.BodyError,
            "the body is not wrapped in its root key: 'name' is a field, not a root key; "
            "wrap it in 'client', as in {\"client\": {...}}",
        ),
        ({"body": CLIENT, "context": []}, ixrules.ContextError, "context must be an object"),
        ({"headers": ["Content-Type"]}, ValueError, "headers must be a mapping"),
    ],
)
def test_bad_input_is_a_clear_error(kwargs: dict[str, Any], error: type, says: str) -> None:
    arguments: dict[str, Any] = {"headers": JSON, **kwargs}
    with pytest.raises(error) as caught:
        ixrules.check_request("POST", url("/clients.json"), **arguments)
    assert says in str(caught.value)


def test_a_url_that_is_not_one_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="not a URL or a path"):
        ixrules.check_request("GET", "clients.json")


def test_the_callers_data_is_never_mutated() -> None:
    context = {"request": {"content_type": "text/plain"}}  # replaced by the header's, in a copy
    body, headers = copy.deepcopy(CLIENT), dict(JSON)
    before = copy.deepcopy((body, context, headers))
    ixrules.check_request(
        "PUT", url("/clients/1.json"), headers=headers, body=body, context=context
    )
    assert (body, context, headers) == before


def test_every_route_is_distinct() -> None:
    routes = [(spec.method, spec.route) for spec in default_rules().ruleset.endpoints.values()]
    assert len(routes) == len(set(routes))


@pytest.mark.parametrize("name", ACCEPTED)
def test_every_accepted_example_succeeds_on_its_own_route(name: str) -> None:
    spec = default_rules().endpoint(ENDPOINTS[name])
    path = spec.route.replace("{id}", "42")
    report = ixrules.check_request(spec.method, url(path), headers=JSON, body=load_example(name))
    assert (report.endpoint, report.status, report.errors) == (spec.name, spec.success_status, [])


@pytest.mark.parametrize("name", ixrules.endpoints())
def test_every_endpoint_is_reached_from_its_route(name: str) -> None:
    spec = default_rules().endpoint(name)
    report = ixrules.check_request(spec.method, url(spec.route.replace("{id}", "1")))
    assert report.endpoint == name


def test_routes_are_built_once_per_rule_set_by_the_requests_module() -> None:
    from ixrules.requests import find_route, routes

    rules = ixrules.Rules.load()
    assert routes(rules) is routes(rules)  # cached: a rule set never changes
    assert routes(rules) is not routes(default_rules())  # each rule set its own
    spec = find_route(routes(rules), "PUT", "/quotes/7/change-state.json")
    assert spec is not None and spec.name == "quotes.change_state"
    assert not hasattr(rules, "routes")  # Rules knows nothing of routes (no import cycle)
