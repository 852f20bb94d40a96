"""Forms and the FastAPI type fix what can be fixed where it makes sense (issue 22, item 4):
``ixrules.forms.fix_form`` gives the fixed body and the fixes by form field
(``FixResult.by_field``); ``IXBody(endpoint, fix=True)`` applies the safe fixes only, logged on
the ``ixrules.pydantic`` logger, as ``preflight(fix=True)`` logs on ``ixrules.http``."""

from __future__ import annotations

import copy
import logging
from typing import Annotated, Any

import pytest
from pydantic import BaseModel, ValidationError

import ixrules
from ixrules.forms import fix_form
from ixrules.pydantic import IXBody

FORM = [
    ("invoice[date]", "2026-05-01"),
    ("invoice[due_date]", "31/05/2026"),
    ("invoice[client][name]", "Acme"),
    ("invoice[client][code]", "A1"),
    ("invoice[client][country]", "PT"),
    ("invoice[client][zip]", "1000-001"),
    ("invoice[items][][name]", "Pen"),
    ("invoice[items][][unit_price]", "1,5"),
    ("invoice[items][][quantity]", "1"),
]


def test_a_form_is_fixed_and_its_fixes_are_keyed_by_its_field_names() -> None:
    result = fix_form(FORM, "invoices.create", locale="pt")
    assert {
        field: [(e.before, e.after, e.applicability) for e in edits]
        for field, edits in result.by_field().items()
    } == {
        "invoice[date]": [("2026-05-01", "01/05/2026", "safe")],
        "invoice[client][country]": [("PT", "Portugal", "safe")],
    }
    client = result.body["invoice"]["client"]
    assert client == {"name": "Acme", "code": "A1", "country": "Portugal", "zip": "1000-001"}
    # the locale read the number as a form does (body_from_form), before any fix
    assert result.body["invoice"]["items"] == [
        {"name": "Pen", "unit_price": "1.5", "quantity": "1"}
    ]
    assert [(i.path, i.rule, i.severity) for i in result.report.issues] == [
        ("/invoice/client/zip", "field.unknown", "warning")
    ]


def test_a_form_gets_its_unsafe_fixes_only_when_asked() -> None:
    result = fix_form(FORM, "invoices.create", locale="pt", unsafe=True)
    assert list(result.by_field()) == [  # in report order
        "invoice[date]",
        "invoice[client][zip]",
        "invoice[client][country]",
    ]
    assert result.by_field("pointer")["/invoice/client/zip"][0].after == "postal_code"
    assert result.report.issues == []


def test_by_field_names_fields_in_every_style() -> None:
    result = ixrules.fix({"client": {"name": "Acme", "country": "DE"}})
    assert list(result.by_field("dotted")) == ["client.country"]
    assert list(result.by_field("pointer")) == ["/client/country"]
    assert ixrules.fix({"client": {"name": "Acme"}}).by_field() == {}


class Fixed(BaseModel):
    body: Annotated[dict[str, Any], IXBody("clients.create", fix=True)]


class Plain(BaseModel):
    body: Annotated[dict[str, Any], IXBody("clients.create")]


def test_ixbody_with_fix_applies_the_safe_fixes_and_logs_each(
    caplog: pytest.LogCaptureFixture,
) -> None:
    sent = {"client": {"name": "Acme", "code": "A1", "country": "PT", "zip": "1000-001"}}
    frozen = copy.deepcopy(sent)
    with caplog.at_level(logging.INFO, logger="ixrules.pydantic"):
        model = Fixed(body=sent)
    assert model.body == {
        "client": {"name": "Acme", "code": "A1", "country": "Portugal", "zip": "1000-001"}
    }  # zip -> postal_code is unsafe: never applied here
    assert sent == frozen
    assert [(r.name, r.levelname, r.getMessage()) for r in caplog.records] == [
        (
            "ixrules.pydantic",
            "INFO",
            "clients.create: fixed /client/country: 'PT' -> 'Portugal' (country.known)",
        )
    ]


def test_ixbody_without_fix_changes_nothing_and_refuses() -> None:
    with pytest.raises(ValidationError) as raised:
        Plain(body={"client": {"name": "Acme", "code": "A1", "country": "PT"}})
    assert [(e["loc"], e["msg"], e["type"]) for e in raised.value.errors()] == [
        (("body", "client", "country"), "Country PT was not found", "country.known")
    ]


def test_ixbody_with_fix_still_refuses_what_no_fix_mends() -> None:
    with pytest.raises(ValidationError) as raised:
        Fixed(body={"client": {"name": "Acme", "code": "A1", "country": "Narnia"}})
    assert [(e["loc"], e["msg"], e["type"]) for e in raised.value.errors()] == [
        (("body", "client", "country"), "Country Narnia was not found", "country.known")
    ]
