"""A document's life: created as a draft, updated, changing state; its lines' items and taxes
found in (or added to) the account's catalogue.

The decisions ``check_request`` makes (whether a change of state is allowed, whether a settled
document may change) are made before a handler here runs; a handler only carries out what
was accepted:

- a new document is a ``draft``; an unknown client name creates the client, an unknown item
  name creates the item and a known one is updated with the line's values (OpenAPI
  description), an unknown tax name is the account's default tax on create and no tax on
  update (OpenAPI description);
- an update replaces the lines when ``items`` is sent (V2 docs: "any missing items from the
  original document will be deleted") and keeps the rest of what is not sent;
- ``finalized`` gives the document the next number of its type in its sequence (the default
  sequence unless ``sequence_id`` names another), and an invoice-receipt is settled by it;
  every other event moves the status as the reference's state table says.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from . import views
from .call import Call
from .predict import display
from .wire import MockResponse, respond


@dataclass(frozen=True)
class DocType:
    """A document type: its path, its singular key (response root, sequence counter), the
    ``type`` the API writes, and its family (which list it is in)."""

    path: str
    key: str
    name: str
    family: str


TYPES = {
    t.path: t
    for t in (
        DocType("invoices", "invoice", "Invoice", "invoice"),
        DocType("invoice_receipts", "invoice_receipt", "InvoiceReceipt", "invoice"),
        DocType("simplified_invoices", "simplified_invoice", "SimplifiedInvoice", "invoice"),
        DocType("credit_notes", "credit_note", "CreditNote", "invoice"),
        DocType("debit_notes", "debit_note", "DebitNote", "invoice"),
        DocType("receipts", "receipt", "Receipt", "receipt"),
        DocType("quotes", "quote", "Quote", "estimate"),
        DocType("proformas", "proforma", "Proforma", "estimate"),
        DocType("fees_notes", "fees_note", "FeesNote", "estimate"),
        DocType("shippings", "shipping", "Shipping", "guide"),
        DocType("transports", "transport", "Transport", "guide"),
        DocType("devolutions", "devolution", "Devolution", "guide"),
        DocType("purchase_orders", "purchase_order", "PurchaseOrder", "purchase_order"),
    )
}
BY_KEY = {t.key: t for t in TYPES.values()}

#: The status each event leads to (the reference's state tables; ``accept``/``refuse`` and
#: their past participles are both taken, as the rules take both).
EVENTS = {
    "finalized": "final",
    "deleted": "deleted",
    "canceled": "canceled",
    "settled": "settled",
    "unsettled": "final",
    "second_copy": "second_copy",
    "accept": "accepted",
    "accepted": "accepted",
    "refuse": "refused",
    "refused": "refused",
    "completed": "completed",
}

#: Attributes resolved rather than stored as sent.
_RESOLVED = frozenset({"client", "items", "sequence_id", "mb_reference"})


def doc_type(record: Mapping[str, Any]) -> DocType:
    """The type of a stored document."""
    return BY_KEY[record["type"]]


def render(call: Call, record: Mapping[str, Any]) -> dict[str, Any]:
    """A stored document as the API writes it."""
    return views.document(call.tx, record, doc_type(record).name, call.language, call.base_url)


def answer(call: Call, record: Mapping[str, Any], status: int) -> MockResponse:
    """A document's response: the document under its type's singular key."""
    return respond(status, {doc_type(record).key: render(call, record)})


def uid_name(uid: Any) -> str:
    """The unique name a ``proprietary_uid`` is kept under (exact: case matters)."""
    return "uid:" + display(uid).encode("utf-8", "surrogatepass").hex()


# --- create, update ---------------------------------------------------------------------------


def create(call: Call) -> MockResponse:
    """POST /<documents>.json: a new draft."""
    dtype = TYPES[call.endpoint.path]
    record: dict[str, Any] = {"type": dtype.key, "status": "draft", "number": None}
    _apply(call, record, "create")
    record.setdefault("date", call.today())
    record.setdefault("due_date", record["date"])
    uid = call.body.get("proprietary_uid")
    name = uid_name(uid) if uid not in (None, "") else None
    stored = call.tx.insert("document", record, name=name)
    return answer(call, stored, call.endpoint.success_status)


def update(call: Call) -> MockResponse:
    """PUT /<documents>/<id>.json: the sent attributes replace the stored ones; sent items
    replace every line."""
    record = dict(call.target or {})
    _apply(call, record, "update")
    call.tx.update("document", record)
    return answer(call, record, call.endpoint.success_status)


def _apply(call: Call, record: dict[str, Any], mode: str) -> None:
    value = call.value
    for key, item in value.items():
        if key not in _RESOLVED:
            record[key] = item
    if "mb_reference" in value:
        record["mb_reference"] = views.flag(value["mb_reference"])
    if "client" in value and isinstance(value["client"], Mapping):
        client_id = resolve_client(call, value["client"])
        if client_id is not None:
            record["client_id"] = client_id
    if isinstance(value.get("items"), list):
        record["lines"] = resolve_lines(call, value["items"], mode)
    if mode == "create" or "sequence_id" in value:
        sequence = _sequence(call, value.get("sequence_id"))
        record["sequence_id"] = sequence["id"] if sequence else None
    if mode == "create" and call.body.get("proprietary_uid") not in (None, ""):
        record["proprietary_uid"] = display(call.body["proprietary_uid"])


def resolve_client(call: Call, sent: Mapping[str, Any]) -> int | None:
    """The id of the client a document names: the account's client of that name, or a new
    one made of what was sent (the OpenAPI description: "If the client name does not exist,
    a new one is created")."""
    name = sent.get("name")
    if name is None or not display(name).strip():
        return None
    text = display(name)
    found = call.tx.find("client", text)
    if found is not None:
        return int(found["id"])
    data = {key: item for key, item in sent.items() if key in views.CLIENT_FIELDS}
    data["name"] = text
    return int(call.tx.insert("client", data, name=text)["id"])


def resolve_lines(call: Call, sent: list[Any], mode: str) -> list[dict[str, Any]]:
    """The document's lines: each line's catalogue item created or updated with its values,
    its tax found by name."""
    out = []
    for row in sent:
        if not isinstance(row, Mapping):
            continue
        item = _catalogue_item(call, row)
        line = {
            "name": display(row["name"]) if row.get("name") is not None else None,
            "description": row.get("description", (item or {}).get("description", "")),
            "unit_price": row.get("unit_price", (item or {}).get("unit_price", "0")),
            "quantity": row.get("quantity", "1"),
            "unit": row.get("unit", (item or {}).get("unit", "")),
            "discount": row.get("discount", 0),
            "tax": line_tax(call, row.get("tax"), item, mode),
        }
        out.append(line)
    return out


def _catalogue_item(call: Call, row: Mapping[str, Any]) -> dict[str, Any] | None:
    """The account's item a line names, updated with the line's values, or created."""
    name = row.get("name")
    if name is None or not display(name).strip():
        return None
    text = display(name)
    found = call.tx.find("item", text)
    values = {key: row[key] for key in ("description", "unit_price", "unit") if key in row}
    sent_tax = row.get("tax")
    if isinstance(sent_tax, Mapping) and sent_tax.get("name") not in (None, ""):
        tax = call.tx.find("tax", display(sent_tax["name"]))
        if tax is not None:
            values["tax"] = {"name": tax["name"], "value": tax["value"]}
    if found is None:
        return call.tx.insert("item", {"name": text, **values}, name=text)
    found.update(values)
    call.tx.update("item", found, name=found["name"])
    return found


def line_tax(
    call: Call, sent: Any, item: Mapping[str, Any] | None, mode: str
) -> dict[str, Any] | None:
    """The tax a line is charged: the account's tax of the sent name; for a name the account
    does not have, the default tax on create and none on update; when no tax is sent, the
    item's tax, else the default tax."""
    name = sent.get("name") if isinstance(sent, Mapping) else None
    if name not in (None, ""):
        found = call.tx.find("tax", display(name))
        if found is not None:
            return _tax_of(found)
        return default_tax(call) if mode == "create" else None
    item_tax = (item or {}).get("tax")
    if isinstance(item_tax, Mapping) and item_tax.get("name"):
        found = call.tx.find("tax", display(item_tax["name"]))
        if found is not None:
            return _tax_of(found)
    return default_tax(call)


def default_tax(call: Call) -> dict[str, Any] | None:
    """The account's default tax (the first one when none is marked), or None."""
    taxes = call.tx.all("tax")
    chosen = next((t for t in taxes if t.get("default_tax")), taxes[0] if taxes else None)
    return _tax_of(chosen) if chosen else None


def _tax_of(record: Mapping[str, Any]) -> dict[str, Any]:
    return {"id": record["id"], "name": record.get("name"), "value": record.get("value")}


def _sequence(call: Call, sent: Any) -> dict[str, Any] | None:
    """The sequence a document is numbered in: the one ``sequence_id`` names when the account
    has it, else the default (else the first)."""
    text = display(sent).strip()
    if text.isdigit() and len(text) <= 18:
        found = call.tx.get("sequence", int(text))
        if found is not None:
            return found
    sequences = call.tx.all("sequence")
    return next(
        (s for s in sequences if s.get("default_sequence")), sequences[0] if sequences else None
    )


# --- change of state --------------------------------------------------------------------------


def change_state(call: Call) -> MockResponse:
    """PUT /<documents>/<id>/change-state.json: the event moves the status (finalizing numbers
    the document)."""
    record = dict(call.target or {})
    event = display(call.value.get("state")).strip()
    status = EVENTS.get(event, record.get("status"))
    dtype = doc_type(record)
    if event == "finalized":
        if record.get("number") is None:
            number(call, record)
        if dtype.key == "invoice_receipt":
            status = "settled"
    if event == "canceled":
        record["cancel_message"] = display(call.value.get("message"))
    record["status"] = status
    call.tx.update("document", record)
    return answer(call, record, call.endpoint.success_status)


def number(call: Call, record: dict[str, Any]) -> None:
    """Give ``record`` the next number of its type in its sequence, its ATCUD and hash."""
    key = doc_type(record).key
    sequence = call.tx.get("sequence", record.get("sequence_id") or 0) or _sequence(call, None)
    if sequence is None:  # an account without sequences: one is made, as a first login does
        sequence = call.tx.insert("sequence", {"serie": "A", "default_sequence": True}, name="A")
    numbers = dict(sequence.get("numbers") or {})
    numbers[key] = int(numbers.get(key, 0)) + 1
    sequence["numbers"] = numbers
    call.tx.update("sequence", sequence, name=display(sequence.get("serie")))
    value = numbers[key]
    record.update(number=value, serie=display(sequence.get("serie")), sequence_id=sequence["id"])
    code = (sequence.get("codes") or {}).get(key)
    portuguese = display(call.account.get("country")).strip().casefold() in ("portugal", "pt")
    record["atcud"] = f"{code}-{value}" if code else ("N/D" if portuguese else "N/A")
    digest = hashlib.sha1(f"{record['id']}:{key}:{value}".encode()).hexdigest()
    record["saft_hash"] = digest[:4]
