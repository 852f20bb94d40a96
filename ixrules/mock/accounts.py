"""Accounts (the mock's own, and those created through the API) and the SAF-T export."""

from __future__ import annotations

import re
import secrets
from typing import Any

from .call import Call
from .predict import display
from .wire import MockResponse, respond

#: What an account's settings are made of, as sent (``password`` is never kept).
ACCOUNT_FIELDS = (
    "organization_name",
    "first_name",
    "last_name",
    "email",
    "phone",
    "fiscal_id",
    "tax_country",
    "language",
    "address",
    "city",
    "postal_code",
    "website",
    "fax",
    "terms",
    "marketing",
)

_NOT_NAME = re.compile(r"[^a-z0-9]+")

SAFT_STARTED = (
    "The SAF-T file generation was started. Please keep requesting until you get back the url."
)


def slug(text: str) -> str:
    """An account name fit for a subdomain."""
    out = _NOT_NAME.sub("-", text.casefold()).strip("-")[:40]
    return out or "account"


def _created(call: Call, status: int) -> MockResponse:
    data: dict[str, Any] = {key: call.value[key] for key in ACCOUNT_FIELDS if key in call.value}
    name = slug(display(data.get("organization_name")))
    data.update(name=name, api_key=secrets.token_hex(20), state="active", trial=True)
    record = call.tx.insert("account", data)
    body = {
        "account": {
            "id": str(record["id"]),
            "name": name,
            "url": f"https://{name}.app.invoicexpress.com",
            "api_key": record["api_key"],
            "state": "active",
        }
    }
    return respond(status, body)


def create(call: Call) -> MockResponse:
    """POST /api/accounts/create.json (201) and create_already_user.json (200): a new account.
    The mock serves only its own account; a new one is kept for what it takes (its VAT
    number is then in use)."""
    return _created(call, call.endpoint.success_status)


def update(call: Call) -> MockResponse:
    """PUT /api/accounts/<id>/update.json."""
    record = dict(call.target or {})
    record.update({key: call.value[key] for key in ACCOUNT_FIELDS if key in call.value})
    if isinstance(call.value.get("credentials"), dict):
        record["at_configured"] = True
    call.tx.update("account", record)
    return respond(200, {"Response": {"code": "200", "message": "Success"}})


def get(call: Call) -> MockResponse:
    """GET /api/accounts/<id>/get.json."""
    record = call.target or {}
    body = {
        "account": {
            "organization_name": record.get("organization_name", ""),
            "fiscal_id": record.get("fiscal_id", ""),
            "email": record.get("email", ""),
            "state": record.get("state", "active"),
            "at_configured": bool(record.get("at_configured")),
            "trial": bool(record.get("trial")),
        }
    }
    return respond(200, body)


def at_communication(call: Call) -> MockResponse:
    """POST /api/v3/accounts/at_communication.json: the settings are kept (not the password)."""
    record = dict(call.account)
    record["at_communication"] = {
        "at_subuser": display(call.value.get("at_subuser")),
        "communication_type": display(call.value.get("communication_type")),
    }
    record["at_configured"] = True
    call.tx.update("account", record)
    return respond(200, {"success": "true"})


def export_saft(call: Call) -> MockResponse:
    """GET /api/export_saft.json?month=&year=: 202 while the file is made (the first
    request for a month), then its URL."""
    month, year = display(call.param("month")).strip(), display(call.param("year")).strip()
    key = f"saft:{year}-{month}"
    if not call.tx.meta_get(key):
        call.tx.meta_set(key, True)
        return respond(202, {"message": SAFT_STARTED})
    url = f"{call.base_url}/_mock/files/saft-{year}-{month}.xml"
    return respond(200, {"Url": url})
