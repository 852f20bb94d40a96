"""Money: paying a document (a receipt is issued; paid in full, the document is settled),
cancelling a receipt (the document it paid is unsettled), and a client's current account
(/api/v3: initial balance, regularizations, treasury movements, the balance)."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from . import totals
from .call import Call
from .documents import answer, number, render
from .predict import display
from .wire import MockResponse, empty, respond


def pay(call: Call) -> MockResponse:
    """POST /documents/<id>/partial_payments.json: a final receipt for ``amount``; when the
    receipts not canceled cover the document's total, the document is settled."""
    document = dict(call.target or {})
    sent = call.value
    receipt: dict[str, Any] = {
        "type": "receipt",
        "status": "draft",
        "number": None,
        "owner_id": document["id"],
        "client_id": document.get("client_id"),
        "amount": totals.text(totals.decimal(sent.get("amount"))),
        "date": display(sent.get("payment_date")) or call.today(),
        "due_date": display(sent.get("payment_date")) or call.today(),
        "payment_mechanism": display(sent.get("payment_mechanism")),
        "observations": display(sent.get("note")),
        "sequence_id": document.get("sequence_id"),
    }
    receipt = call.tx.insert("document", receipt)
    number(call, receipt)
    receipt["status"] = "final"
    call.tx.update("document", receipt)
    due = totals.decimal(render(call, document)["total"])
    if _paid(call, document) >= due and document.get("status") in ("final", "second_copy"):
        document["status"] = "settled"
        call.tx.update("document", document)
    return answer(call, receipt, call.endpoint.success_status)


def _paid(call: Call, document: Mapping[str, Any]) -> Decimal:
    receipts = [
        r
        for r in call.tx.all("document")
        if r.get("owner_id") == document["id"] and r.get("status") != "canceled"
    ]
    return sum((totals.decimal(r.get("amount")) for r in receipts), totals.ZERO)


def cancel_receipt(call: Call) -> MockResponse:
    """PUT /receipts/<id>/change-state.json: the receipt is canceled, and the document it paid,
    if settled, is final again."""
    receipt = dict(call.target or {})
    receipt["status"] = "canceled"
    receipt["cancel_message"] = display(call.value.get("message"))
    call.tx.update("document", receipt)
    owner = call.tx.get("document", receipt.get("owner_id") or 0)
    if owner is not None and owner.get("status") == "settled":
        owner["status"] = "final"
        call.tx.update("document", owner)
    return answer(call, receipt, call.endpoint.success_status)


# --- a client's current account -------------------------------------------------------------


def _entries(call: Call, kind: str) -> list[dict[str, Any]]:
    client_id = (call.target or {}).get("id")
    return [
        e for e in call.tx.all("entry") if e.get("client_id") == client_id and e.get("kind") == kind
    ]


def _entry(call: Call, kind: str) -> dict[str, Any]:
    sent = call.value
    return {
        "client_id": (call.target or {})["id"],
        "kind": kind,
        "value": totals.number(totals.decimal(sent.get("value"))),
        "date": display(sent.get("date")),
        "observation": display(sent.get("observation")) or "null",
    }


def initial_balance(call: Call) -> MockResponse:
    """PUT /api/v3/clients/<id>/initial_balance.json: the client's one initial balance."""
    entry = _entry(call, "initial_balance")
    for old in _entries(call, "initial_balance"):
        call.tx.delete("entry", old["id"])
    call.tx.insert("entry", entry)
    shown = {key: entry[key] for key in ("value", "date", "observation")}
    return respond(200, {"initial_balance": shown})


def regularization(call: Call) -> MockResponse:
    """POST /api/v3/clients/<id>/regularization.json."""
    entry = call.tx.insert("entry", _entry(call, "regularization"))
    return respond(call.endpoint.success_status, {"regularization": [_regularization(entry)]})


def _regularization(entry: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "id": entry["id"],
        "number": f"NR{entry['id']:08d}",
        "value": entry["value"],
        "date": entry["date"],
        "observation": entry["observation"],
    }


def list_regularizations(call: Call) -> MockResponse:
    """GET /api/v3/clients/<id>/regularization.json."""
    entries = _entries(call, "regularization")
    from .reading import page_numbers
    from .views import pagination

    page, per_page = page_numbers(call)
    chosen = entries[(page - 1) * per_page : page * per_page]
    return respond(
        200,
        {
            "regularization": [_regularization(e) for e in chosen],
            "pagination": pagination(len(entries), page, per_page),
        },
    )


def treasury_movement(call: Call) -> MockResponse:
    """POST /api/v3/clients/<id>/treasury_movements.json."""
    entry = _entry(call, "treasury_movement")
    sent = call.value
    for key in ("movement_type", "payment_method", "serie"):
        entry[key] = display(sent.get(key))
    call.tx.insert("entry", entry)
    shown = {
        key: entry[key]
        for key in ("value", "movement_type", "payment_method", "date", "serie", "observation")
    }
    return respond(call.endpoint.success_status, {"treasury_movement": shown})


def delete_entry(call: Call) -> MockResponse:
    """DELETE /api/v3/clients/<id>/regularization/<id>.json and .../treasury_movements/<id>."""
    if call.second is not None:
        call.tx.delete("entry", call.second["id"])
    return empty(call.endpoint.success_status)


def balance(call: Call) -> MockResponse:
    """GET /api/v3/clients/<id>/balance.json: the mock's model of a current account: the
    initial balance, plus what final documents charge, minus regularizations, receipts and
    payments, plus reimbursements."""
    client_id = (call.target or {}).get("id")
    initial = _entries(call, "initial_balance")
    start = totals.decimal(initial[-1]["value"]) if initial else totals.ZERO
    with_vat = without_vat = start
    for doc in call.tx.all("document"):
        if doc.get("client_id") != client_id or doc.get("status") in (
            "draft",
            "canceled",
            "deleted",
        ):
            continue
        if doc["type"] in ("invoice", "simplified_invoice", "debit_note"):
            shown = render(call, doc)
            with_vat += totals.decimal(shown["total"])
            without_vat += totals.decimal(shown["before_taxes"])
        elif doc["type"] in ("receipt", "credit_note"):
            paid = totals.decimal(render(call, doc)["total"])
            with_vat -= paid
            without_vat -= paid
    for entry in _entries(call, "regularization"):
        with_vat -= totals.decimal(entry["value"])
        without_vat -= totals.decimal(entry["value"])
    for entry in _entries(call, "treasury_movement"):
        sign = 1 if display(entry.get("movement_type")).casefold() == "reimbursement" else -1
        with_vat += sign * totals.decimal(entry["value"])
        without_vat += sign * totals.decimal(entry["value"])
    body = {
        "currency": {"symbol": "€", "code": "EUR"},
        "initial_balance": {
            "value": totals.number(start),
            "created_at": initial[-1]["date"] if initial else "1970-01-01",
            "observation": initial[-1]["observation"] if initial else "null",
        },
        "balance": {"with_vat": totals.number(with_vat), "without_vat": totals.number(without_vat)},
        "overdue_balance": {"with_vat": 0, "without_vat": 0},
        "remaining_balance": {
            "total": totals.number(with_vat),
            "value": totals.number(without_vat),
        },
    }
    return respond(200, body)
