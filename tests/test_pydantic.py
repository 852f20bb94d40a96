"""``ixrules.pydantic.IXBody``: ixrules' errors as pydantic errors (``loc`` from the path, ``msg``
the API's exact message, ``type`` the rule id), warnings never failing, the locale and context
from the marker or the validation context, and the exported schema as the field's schema."""

from __future__ import annotations

from typing import Annotated, Any

import pytest
from pydantic import BaseModel, TypeAdapter, ValidationError

import ixrules
from ixrules.pydantic import IXBody


class Update(BaseModel):
    body: Annotated[dict[str, Any], IXBody("invoices.update")]


def errors(exc: pytest.ExceptionInfo[ValidationError]) -> list[tuple[Any, ...]]:
    return [(e["loc"], e["msg"], e["type"], e["input"]) for e in exc.value.errors()]


def test_errors_at_their_place_with_the_apis_message() -> None:
    with pytest.raises(ValidationError) as exc:
        Update(body={"invoice": {"items": [{"name": "Pen", "quantity": "0"}]}})
    assert errors(exc) == [
        (
            ("body", "invoice", "items"),
            "Invoice items is invalid",
            "document.items.invalid",
            [{"name": "Pen", "quantity": "0"}],
        ),
        (
            ("body", "invoice", "items", 0, "quantity"),
            "Quantity must be a number greater than 0",
            "item.quantity.positive",
            "0",
        ),
    ]


def test_a_whole_body() -> None:
    adapter = TypeAdapter(Annotated[dict[str, Any], IXBody("clients.create")])
    with pytest.raises(ValidationError) as exc:
        adapter.validate_python({"client": {"name": " ", "send_options": 4}})
    assert errors(exc) == [
        (("client", "name"), "Name is a required field", "client.name.present", " "),
        (
            ("client", "send_options"),
            "Send options must be within 1 and 3",
            "client.send_options.range",
            4,
        ),
    ]
    body = {"client": {"name": "Acme"}}
    assert adapter.validate_python(body) == body


def test_warnings_do_not_fail() -> None:
    body = {"invoice": {"rate": "1,2"}}
    assert ixrules.validate(body, "invoices.update").warnings
    assert Update(body=body).body == body


def test_the_locale_of_the_marker_and_of_the_call() -> None:
    class Portuguese(BaseModel):
        body: Annotated[dict[str, Any], IXBody("invoices.update", locale="pt")]

    body = {"invoice": {"items": [{"unit": "kg"}]}}
    with pytest.raises(ValidationError) as exc:
        Portuguese(body=body)
    assert [e["msg"] for e in exc.value.errors()] == [
        "Itens da fatura não são válidos",
        "Unidade kg não está incluída na lista de unidades aceites",
    ]
    with pytest.raises(ValidationError) as exc:
        Portuguese.model_validate({"body": body}, context={"locale": "es"})
    assert exc.value.errors()[1]["msg"] == (
        "Unidad kg no está incluida en la lista de unidades aceptadas"
    )
    assert exc.value.errors()[1]["type"] == "item.unit.accepted"


def test_the_context_snapshot() -> None:
    body = {"invoice": {"mb_reference": "1"}}
    assert Update(body=body).body == body  # no context: the rule is skipped
    with pytest.raises(ValidationError) as exc:
        Update.model_validate(
            {"body": body}, context={"ixrules_context": {"account": {"mb_payment_provider": False}}}
        )
    assert exc.value.errors()[0]["type"] == "document.mb_reference.provider"

    class Provider(BaseModel):
        body: Annotated[
            dict[str, Any],
            IXBody("invoices.update", context={"account": {"mb_payment_provider": False}}),
        ]

    with pytest.raises(ValidationError):
        Provider(body=body)


def test_a_body_ixrules_cannot_read() -> None:
    with pytest.raises(ValidationError) as exc:
        Update(body={"quote": {}})
    assert errors(exc) == [
        (
            ("body",),
            "no root key known to endpoint invoices.update: expected one of 'invoice'; got 'quote'",
            "ixrules.body",
            {"quote": {}},
        ),
    ]
    with pytest.raises(ValidationError) as exc:
        Update(body="invoice")  # type: ignore[arg-type]
    assert exc.value.errors()[0]["type"] == "dict_type"


def test_an_unknown_endpoint_fails_when_the_model_is_made() -> None:
    with pytest.raises(ixrules.EndpointError, match=r"invoices\.create"):

        class Wrong(BaseModel):
            body: Annotated[dict[str, Any], IXBody("invoices.creat")]


def test_the_field_schema_is_the_exported_one() -> None:
    shown = Update.model_json_schema()["properties"]["body"]
    exported = ixrules.Rules.load().json_schema("invoices.update")
    del exported["$schema"], exported["title"]
    assert {key: shown[key] for key in exported} == exported


def test_the_input_is_not_changed() -> None:
    body = {"invoice": {"items": [{"unit": "kg"}]}}
    with pytest.raises(ValidationError):
        Update(body=body)
    assert body == {"invoice": {"items": [{"unit": "kg"}]}}
