"""The control routes, for test suites (the API has no ``/_mock``):

- ``POST /_mock/reset``: back to the defaults and the seed;
- ``GET /_mock/state``: everything the account holds, as the API writes it, with the clock;
- ``PUT /_mock/clock``: ``{"now": "YYYY-MM-DDTHH:MM:SS"}`` freezes the clock, ``{"now": null}``
  lets it run;
- ``GET /_mock/requests``: what arrived, oldest first, with ixrules' findings;
- ``GET /_mock/files/<name>``: the placeholder behind a PDF, QR code or SAF-T URL.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from . import views
from .documents import doc_type
from .seed import SeedError
from .wire import MockRequest, MockResponse, empty, generic, respond

if TYPE_CHECKING:
    from .core import Mock

_FILES = {".pdf": "application/pdf", ".png": "image/png", ".xml": "application/xml"}


def handle(mock: Mock, request: MockRequest) -> MockResponse:
    """Answer a ``/_mock`` request."""
    path = request.target.partition("?")[0]
    method = request.method.strip().upper()
    if path == "/_mock/reset" and method == "POST":
        mock.reset()
        return respond(200, {"reset": True})
    if path == "/_mock/state" and method == "GET":
        return respond(200, state(mock))
    if path == "/_mock/requests" and method == "GET":
        return respond(200, {"requests": mock.requests()})
    if path == "/_mock/clock" and method == "PUT":
        return _clock(mock, request)
    if path == "/_mock/clock" and method == "GET":
        return respond(200, {"now": mock.now().isoformat()})
    if path.startswith("/_mock/files/") and method == "GET":
        suffix = path[path.rfind(".") :] if "." in path else ""
        kind = _FILES.get(suffix)
        if kind is None:
            return empty(404)
        return MockResponse(200, b"ixrules mock file\n", {"content-type": kind})
    return empty(404)


def _clock(mock: Mock, request: MockRequest) -> MockResponse:
    try:
        sent = json.loads(request.body or b"null")
    except (ValueError, RecursionError):
        return generic(400, 'Send {"now": "YYYY-MM-DDTHH:MM:SS"} or {"now": null}.')
    if not isinstance(sent, dict) or "now" not in sent:
        return generic(400, 'Send {"now": "YYYY-MM-DDTHH:MM:SS"} or {"now": null}.')
    try:
        now = mock.set_clock(None if sent["now"] is None else str(sent["now"]))
    except SeedError as exc:
        return generic(400, str(exc))
    return respond(200, {"now": now.isoformat(), "frozen": sent["now"] is not None})


def state(mock: Mock) -> dict[str, Any]:
    """Everything the account holds, as the API writes each record."""
    with mock.store.transaction() as tx:
        own = tx.meta_get("account_id")
        account = tx.get("account", own) or {}
        stored = account.get("language")
        language = stored if isinstance(stored, str) else "en"
        clock = tx.meta_get("clock")
        out: dict[str, Any] = {
            "now": clock,
            "account": {k: v for k, v in account.items() if k != "api_key"},
            "accounts": [
                {k: v for k, v in a.items() if k != "api_key"}
                for a in tx.all("account")
                if a["id"] != own
            ],
            "clients": [views.client(r, mock.base_url) for r in tx.all("client")],
            "items": [views.item(r) for r in tx.all("item")],
            "taxes": [views.tax(r) for r in tx.all("tax")],
            "sequences": [views.sequence(r) for r in tx.all("sequence")],
            "documents": [
                {
                    "path": doc_type(r).path,
                    **views.document(tx, r, doc_type(r).name, language, mock.base_url),
                }
                for r in tx.all("document")
            ],
            "entries": tx.all("entry"),
        }
    return out
