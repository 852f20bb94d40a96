"""Reading documents: one, a list (with the documented filters and pages), a document's PDF
and QR code (generated on the first request, ready on the next), its related documents, and
sending it by email."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from . import views
from .call import Call
from .documents import answer, doc_type, render
from .predict import display
from .totals import decimal
from .wire import MockResponse, empty, respond

#: Which families each list holds, and the key it answers under.
LISTS = {
    "invoices": (("invoice", "receipt"), "invoices"),
    "estimates": (("estimate",), "estimates"),
    "guides": (("guide",), "guides"),
}
#: Results a page holds unless ``per_page`` says (the API's default), and at most.
PER_PAGE, MAX_PER_PAGE = 10, 100
#: A list's filter word for a final document.
_STATUS_WORDS = {"sent": "final"}

QR_DRAFT = (
    "Document with ID {id} is still in draft. QR Codes are only available for final, "
    "canceled or settled documents."
)


def get(call: Call) -> MockResponse:
    """GET /<documents>/<id>.json."""
    return answer(call, call.target or {}, 200)


def email(call: Call) -> MockResponse:
    """PUT /<documents>/<id>/email-document.json: the mail is recorded on the document (the
    mock sends nothing); ``save: "1"`` makes the address the client's."""
    record = dict(call.target or {})
    sent = call.value
    raw = sent.get("client")
    client: Mapping[str, Any] = raw if isinstance(raw, Mapping) else {}
    mail = {
        "to": display(client.get("email")),
        "cc": display(sent.get("cc")),
        "bcc": display(sent.get("bcc")),
        "subject": display(sent.get("subject")),
        "at": call.now.isoformat(timespec="seconds"),
    }
    record["emails"] = [*(record.get("emails") or [])[-9:], mail]
    call.tx.update("document", record)
    if views.flag(client.get("save")) and record.get("client_id"):
        stored = call.tx.get("client", record["client_id"])
        if stored is not None:
            stored["email"] = mail["to"]
            call.tx.update("client", stored, name=display(stored.get("name")))
    return empty(200)


def pdf(call: Call) -> MockResponse:
    """GET /api/pdf/<id>.json: 202 while the PDF is made (the first request), then its URL."""
    record = dict(call.target or {})
    if not record.get("pdf_ready"):
        record["pdf_ready"] = True
        call.tx.update("document", record)
        return empty(202)
    url = f"{call.base_url}/_mock/files/{record['id']}.pdf"
    return respond(200, {"output": {"pdfUrl": url}})


def qr_code(call: Call) -> MockResponse:
    """GET /api/qr_codes/<id>.json: refused for a draft (the OpenAPI description's answer),
    202 while the image is made, then its URL."""
    record = dict(call.target or {})
    if record.get("status") == "draft":
        return respond(422, {"error": QR_DRAFT.format(id=record["id"])})
    if not record.get("qr_ready"):
        record["qr_ready"] = True
        call.tx.update("document", record)
        return respond(202, {"qr_code": {"status": "In progress"}})
    return respond(200, {"qr_code": {"url": f"{call.base_url}/_mock/files/{record['id']}.png"}})


def related(call: Call) -> MockResponse:
    """GET /document/<id>/related_documents.json: the documents it names as owner and those
    that name it (notes, receipts)."""
    record = call.target or {}
    out = []
    for other in call.tx.all("document"):
        if other["id"] == record.get("id"):
            continue
        if (
            other.get("owner_id") == record.get("id")
            or _same(other.get("owner_invoice_id"), record.get("id"))
            or (
                _same(record.get("owner_invoice_id"), other["id"])
                or record.get("owner_id") == other["id"]
            )
        ):
            out.append(other)
    return respond(200, {"documents": [render(call, doc) for doc in out]})


def _same(sent: Any, ident: Any) -> bool:
    return sent is not None and display(sent).strip() == str(ident)


# --- lists ------------------------------------------------------------------------------------


def list_documents(call: Call) -> MockResponse:
    """GET /invoices.json, /estimates.json, /guides.json, with the documented filters:
    ``type[]``, ``status[]`` ("sent" is a final document), ``date[from|to]``,
    ``due_date[from|to]``, ``loaded_at[from|to]``, ``total_before_taxes[from|to]``,
    ``reference``, ``text`` (in the client's name, the reference, the observations),
    ``page`` and ``per_page``. Deleted documents are listed only when asked for by status."""
    families, key = LISTS[call.endpoint.path]
    docs = [d for d in call.tx.all("document") if doc_type(d).family in families]
    return page_of(call, key, filtered(call, docs))


def client_documents(call: Call) -> MockResponse:
    """POST /clients/<id>/invoices.json: the client's documents, filtered by the body's
    ``status`` and ``by_type`` lists."""
    client_id = (call.target or {}).get("id")
    docs = [d for d in call.tx.all("document") if d.get("client_id") == client_id]
    statuses = _words(call.value.get("status"))
    types = _words(call.value.get("by_type"))
    if statuses:
        docs = [d for d in docs if d.get("status") in statuses]
    if types:
        docs = [d for d in docs if doc_type(d).name in types]
    return page_of(call, "invoices", docs)


def _words(value: Any) -> set[str]:
    values = value if isinstance(value, list) else [value] if isinstance(value, str) else []
    return {_STATUS_WORDS.get(display(v), display(v)) for v in values if v not in (None, "")}


def filtered(call: Call, docs: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """``docs`` with the list filters of the query applied."""
    params = call.params
    types = set(params.get("type[]", []))
    statuses = {_STATUS_WORDS.get(s, s) for s in params.get("status[]", [])}
    out = []
    for doc in docs:
        if types and doc_type(doc).name not in types:
            continue
        if statuses and doc.get("status") not in statuses:
            continue
        if not statuses and doc.get("status") == "deleted":
            continue
        if not _in_range(call, "date", _date(doc.get("date"))):
            continue
        if not _in_range(call, "due_date", _date(doc.get("due_date"))):
            continue
        if not _in_range(call, "loaded_at", _date(doc.get("loaded_at"))):
            continue
        if not _amount_in_range(call, render(call, doc)["before_taxes"]):
            continue
        reference = call.param("reference")
        if reference and display(doc.get("reference")) != reference:
            continue
        text = (call.param("text") or "").strip().casefold()
        if text and text not in _searchable(call, doc):
            continue
        out.append(doc)
    return out


def _searchable(call: Call, doc: Mapping[str, Any]) -> str:
    client = call.tx.get("client", doc["client_id"]) if doc.get("client_id") else None
    parts = [
        display((client or {}).get("name")),
        display(doc.get("reference")),
        display(doc.get("observations")),
    ]
    return " ".join(parts).casefold()


def _date(value: Any) -> dt.date | None:
    text = display(value).strip()[:10]
    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def _in_range(call: Call, name: str, value: dt.date | None) -> bool:
    low, high = _date(call.param(f"{name}[from]")), _date(call.param(f"{name}[to]"))
    if low is None and high is None:
        return True
    if value is None:
        return False
    return (low is None or value >= low) and (high is None or value <= high)


def _amount_in_range(call: Call, amount: Any) -> bool:
    low, high = call.param("total_before_taxes[from]"), call.param("total_before_taxes[to]")
    value = decimal(amount)
    if low not in (None, "") and value < decimal(low):
        return False
    return not (high not in (None, "") and value > decimal(high))


def page_numbers(call: Call) -> tuple[int, int]:
    """The page asked for and its size (``page`` from 1; ``per_page`` up to 100)."""
    page = _positive(call.param("page"), 1, 10**9)
    per_page = _positive(call.param("per_page"), PER_PAGE, MAX_PER_PAGE)
    return page, per_page


def _positive(text: str | None, default: int, most: int) -> int:
    text = (text or "").strip()
    if not text.isdigit() or len(text) > 10 or int(text) < 1:
        return default
    return min(int(text), most)


def page_of(call: Call, key: str, docs: list[dict[str, Any]]) -> MockResponse:
    """One page of documents, newest first, with its ``pagination``."""
    page, per_page = page_numbers(call)
    docs = sorted(docs, key=lambda d: d["id"], reverse=True)
    chosen = docs[(page - 1) * per_page : page * per_page]
    return respond(
        200,
        {
            key: [render(call, d) for d in chosen],
            "pagination": views.pagination(len(docs), page, per_page),
        },
    )
