"""The account's catalogue: clients, items, taxes and sequences. Names are unique per account
(compared without case and surrounding blanks); ``check_request`` refuses a taken one before a
handler here runs, and the database's unique index refuses it again if two writers raced."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

from . import views
from .call import Call
from .predict import display
from .reading import page_numbers
from .wire import MockResponse, empty, respond

# --- clients ----------------------------------------------------------------------------------


def _client_data(sent: Mapping[str, Any]) -> dict[str, Any]:
    out = {key: sent[key] for key in views.CLIENT_FIELDS if key in sent}
    if "name" in out:
        out["name"] = display(out["name"])
    return out


def create_client(call: Call) -> MockResponse:
    """POST /clients.json."""
    data = _client_data(call.value)
    record = call.tx.insert("client", data, name=data["name"])
    return respond(201, {"client": views.client(record, call.base_url)})


def update_client(call: Call) -> MockResponse:
    """PUT /clients/<id>.json (answered with an empty 200, as the API does)."""
    record = {**(call.target or {}), **_client_data(call.value)}
    call.tx.update("client", record, name=display(record.get("name")))
    return empty(200)


def get_client(call: Call) -> MockResponse:
    """GET /clients/<id>.json."""
    return respond(200, {"client": views.client(call.target or {}, call.base_url)})


def list_clients(call: Call) -> MockResponse:
    """GET /clients.json, a page at a time."""
    records = call.tx.all("client")
    page, per_page = page_numbers(call)
    chosen = records[(page - 1) * per_page : page * per_page]
    return respond(
        200,
        {
            "clients": [views.client(r, call.base_url) for r in chosen],
            "pagination": views.pagination(len(records), page, per_page),
        },
    )


def find_client_by_name(call: Call) -> MockResponse:
    """GET /clients/find-by-name.json?client_name=: the whole name (no partial search, as the
    OpenAPI description warns), compared without case; 404 when there is none."""
    found = call.tx.find("client", call.param("client_name") or "")
    if found is None:
        return empty(404)
    return respond(200, {"client": views.client(found, call.base_url)})


def find_client_by_code(call: Call) -> MockResponse:
    """GET /clients/find-by-code.json?client_code=: the first client with that code."""
    code = call.param("client_code")
    found = next(
        (c for c in call.tx.all("client") if code and display(c.get("code")) == code), None
    )
    if found is None:
        return empty(404)
    return respond(200, {"client": views.client(found, call.base_url)})


# --- items ------------------------------------------------------------------------------------


def _item_data(call: Call) -> dict[str, Any]:
    sent = call.value
    out: dict[str, Any] = {
        key: sent[key] for key in ("name", "description", "unit_price", "unit") if key in sent
    }
    if "name" in out:
        out["name"] = display(out["name"])
    tax = sent.get("tax")
    if isinstance(tax, Mapping) and tax.get("name") not in (None, ""):
        found = call.tx.find("tax", display(tax["name"]))
        if found is not None:
            out["tax"] = {"name": found["name"], "value": found["value"]}
    return out


def create_item(call: Call) -> MockResponse:
    """POST /items.json."""
    data = _item_data(call)
    record = call.tx.insert("item", data, name=data["name"])
    return respond(201, {"item": views.item(record)})


def update_item(call: Call) -> MockResponse:
    """PUT /items/<id>.json (an empty 200)."""
    record = {**(call.target or {}), **_item_data(call)}
    call.tx.update("item", record, name=display(record.get("name")))
    return empty(200)


def get_item(call: Call) -> MockResponse:
    """GET /items/<id>.json."""
    return respond(200, {"item": views.item(call.target or {})})


def list_items(call: Call) -> MockResponse:
    """GET /items.json."""
    return respond(200, {"items": [views.item(r) for r in call.tx.all("item")]})


def delete_item(call: Call) -> MockResponse:
    """DELETE /items/<id>.json (an empty 200; documents keep their lines)."""
    call.tx.delete("item", (call.target or {})["id"])
    return empty(200)


# --- taxes ------------------------------------------------------------------------------------


def _tax_data(call: Call) -> dict[str, Any]:
    sent = call.value
    out: dict[str, Any] = {
        key: sent[key] for key in ("name", "value", "region", "code") if key in sent
    }
    if "name" in out:
        out["name"] = display(out["name"])
    if "default_tax" in sent:
        out["default_tax"] = display(sent["default_tax"]).strip() == "1"
    return out


def _one_default(call: Call, kind: str, record: Mapping[str, Any]) -> None:
    """A new default tax (or sequence) is the only one."""
    field = "default_tax" if kind == "tax" else "default_sequence"
    if not record.get(field):
        return
    for other in call.tx.all(kind):
        if other["id"] != record["id"] and other.get(field):
            other[field] = False
            call.tx.update(kind, other, name=display(other.get("name", other.get("serie"))))


def create_tax(call: Call) -> MockResponse:
    """POST /taxes.json."""
    data = _tax_data(call)
    record = call.tx.insert("tax", data, name=data["name"])
    _one_default(call, "tax", record)
    return respond(201, {"tax": views.tax(record)})


def update_tax(call: Call) -> MockResponse:
    """PUT /taxes/<id>.json (an empty 200)."""
    record = {**(call.target or {}), **_tax_data(call)}
    call.tx.update("tax", record, name=display(record.get("name")))
    _one_default(call, "tax", record)
    return empty(200)


def get_tax(call: Call) -> MockResponse:
    """GET /taxes/<id>.json."""
    return respond(200, {"tax": views.tax(call.target or {})})


def list_taxes(call: Call) -> MockResponse:
    """GET /taxes.json."""
    return respond(200, {"taxes": [views.tax(r) for r in call.tx.all("tax")]})


def delete_tax(call: Call) -> MockResponse:
    """DELETE /taxes/<id>.json (an empty 200)."""
    call.tx.delete("tax", (call.target or {})["id"])
    return empty(200)


# --- sequences --------------------------------------------------------------------------------


def create_sequence(call: Call) -> MockResponse:
    """POST /sequences.json: a series, default when ``default_sequence`` is "1" (the integer
    1 is recorded not honoured)."""
    serie = display(call.value.get("serie"))
    data = {"serie": serie, "default_sequence": views.flag(call.value.get("default_sequence"))}
    record = call.tx.insert("sequence", data, name=serie)
    _one_default(call, "sequence", record)
    return respond(201, {"sequences": views.sequence(record)})


def get_sequence(call: Call) -> MockResponse:
    """GET /sequences/<id>.json (the API answers under ``sequences``, plural)."""
    return respond(200, {"sequences": views.sequence(call.target or {})})


def list_sequences(call: Call) -> MockResponse:
    """GET /sequences.json."""
    return respond(200, {"sequences": [views.sequence(r) for r in call.tx.all("sequence")]})


#: The answer to registering a series already registered (OpenAPI ``Sequence005Response``).
ALL_REGISTERED = {"errors": {"code": "005", "message": "All sequences are registered."}}


def register_sequence(call: Call) -> MockResponse:
    """PUT /sequences/<id>/register.json: each document type of the series gets its
    validation code (the ATCUD's prefix); a second time, 409 "All sequences are registered."."""
    record = dict(call.target or {})
    if record.get("codes"):
        return respond(409, ALL_REGISTERED)
    record["codes"] = validation_codes(record)
    call.tx.update("sequence", record, name=display(record.get("serie")))
    return respond(200, {"sequences": [views.sequence(record)]})


def validation_codes(record: Mapping[str, Any]) -> dict[str, str]:
    """A registered series' validation code per document type (eight characters, as the
    tax authority gives them; the mock's are derived from the series)."""
    out = {}
    for kind in views.SEQUENCE_TYPES:
        digest = hashlib.sha1(f"{record['id']}:{record.get('serie')}:{kind}".encode()).hexdigest()
        out[kind] = digest[:8].upper()
    return out


def set_current_sequence(call: Call) -> MockResponse:
    """PUT /sequences/<id>/set_current.json: the series becomes the default (an empty 200)."""
    record = dict(call.target or {})
    record["default_sequence"] = True
    call.tx.update("sequence", record, name=display(record.get("serie")))
    _one_default(call, "sequence", record)
    return empty(200)


def update_sequence(call: Call) -> MockResponse:
    """PUT /sequences/<id>.json: the API answered it with a 302 redirect (live: diogopms
    invoice-express-js), and nothing of the body is known to be read: the series is unchanged."""
    return empty(302)
