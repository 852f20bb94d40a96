"""The example JSON API (docs/examples/invoice_api), through FastAPI's test client: a bad
invoice is answered 422 with the API's exact messages at the right ``loc`` and the rule id as
the error's ``type``, in the client's language when it asks; a good one is accepted; the
OpenAPI page documents the body with the exported JSON Schema."""

from __future__ import annotations

import importlib.util
import warnings
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

with warnings.catch_warnings():  # Starlette's note about which HTTP client it prefers
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

import ixrules

APP = Path(__file__).resolve().parent.parent / "docs" / "examples" / "invoice_api" / "app.py"

GOOD = {
    "invoice": {
        "date": "03/12/2017",
        "due_date": "10/12/2017",
        "client": {"name": "Acme", "code": "A1"},
        "items": [{"name": "Pen", "unit_price": "1.5", "quantity": 2, "unit": "unit"}],
    }
}
BAD = {
    "invoice": {
        "date": "03/12/2017",
        "due_date": "01/12/2017",
        "client": {"name": "Acme", "code": "A1", "country": "Germani"},
        "items": [{"name": "Pen", "unit_price": "1.5", "quantity": 2, "unit": "kg"}],
    }
}


def load_app() -> ModuleType:
    spec = importlib.util.spec_from_file_location("invoice_api_app", APP)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(load_app().create_app())


def found(response: Any) -> list[tuple[list[Any], str, str]]:
    return [(e["loc"], e["msg"], e["type"]) for e in response.json()["detail"]]


def test_a_good_invoice_is_accepted(client: TestClient) -> None:
    response = client.post("/invoices", json=GOOD)
    assert response.status_code == 201
    assert response.json() == {"accepted": True, "client": "Acme"}


def test_a_bad_invoice_gets_the_apis_messages(client: TestClient) -> None:
    response = client.post("/invoices", json=BAD)
    assert response.status_code == 422
    assert found(response) == [
        (
            ["body", "invoice", "due_date"],
            "Due date must be later than date",
            "document.due_date.after_date",
        ),
        (["body", "invoice", "client"], "Client is invalid", "document.client.invalid"),
        (
            ["body", "invoice", "client", "country"],
            "Country Germani was not found",
            "country.known",
        ),
        (["body", "invoice", "items"], "Invoice items is invalid", "document.items.invalid"),
        (
            ["body", "invoice", "items", 0, "unit"],
            "Unit kg is not included in the list of accepted units",
            "item.unit.accepted",
        ),
    ]
    assert [e["msg"] for e in response.json()["detail"]] == ixrules.validate(BAD).messages


def test_the_messages_in_the_clients_language(client: TestClient) -> None:
    body = {"invoice": {"client": {"name": "Acme"}, "items": [{"name": "Pen", "unit_price": 1}]}}
    response = client.post("/invoices", json=body, headers={"Accept-Language": "pt-PT,pt;q=0.9"})
    assert response.status_code == 422
    assert found(response) == [
        (["body", "invoice", "items"], "Itens da fatura não são válidos", "document.items.invalid"),
        (
            ["body", "invoice", "items", 0, "quantity"],
            "Quantidade tem de ser um número maior que 0",
            "item.quantity.positive",
        ),
    ]


def test_warnings_do_not_fail(client: TestClient) -> None:
    body = {"invoice": {**GOOD["invoice"], "rate": "1,2"}}
    assert [issue.rule for issue in ixrules.validate(body).warnings] == ["kind.number"]
    assert client.post("/invoices", json=body).status_code == 201


def test_a_body_without_the_root_key(client: TestClient) -> None:
    response = client.post("/invoices", json={"invoices": GOOD["invoice"]})
    assert response.status_code == 422
    assert found(response) == [
        (
            ["body"],
            "no root key known to endpoint invoices.create: expected one of 'invoice'; "
            "got 'invoices'; did you mean 'invoice'?",
            "ixrules.body",
        ),
    ]


def test_not_an_object(client: TestClient) -> None:
    response = client.post("/invoices", json=["invoice"])
    assert response.status_code == 422
    assert [e["type"] for e in response.json()["detail"]] == ["dict_type"]


def test_the_openapi_page_documents_the_body(client: TestClient) -> None:
    openapi = client.get("/openapi.json").json()
    content = openapi["paths"]["/invoices"]["post"]["requestBody"]["content"]
    schema = content["application/json"]["schema"]
    exported = ixrules.Rules.load().json_schema("invoices.create")
    del exported["$schema"], exported["title"]  # FastAPI titles the body itself
    if "$ref" in schema:  # FastAPI may name the body's schema
        schema = openapi["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    assert {key: schema[key] for key in exported} == exported
