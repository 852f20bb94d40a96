"""The context snapshot of a request, built from the store: what ``check_request`` needs to
know that the body cannot tell (the names the account already has, the target document's
status, the account's settings, the clock, how many documents a period holds). The keys are
those of ``ixrules.context.KEYS``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from .documents import doc_type
from .predict import Endpoint, display
from .store import Tx
from .totals import decimal, number

#: The account settings a rule may ask for.
ACCOUNT_KEYS = ("mb_payment_provider", "trial", "company_info_complete", "country")


def context(
    tx: Tx,
    endpoint: Endpoint,
    target: Mapping[str, Any] | None,
    account: Mapping[str, Any],
    now: dt.datetime,
    params: Mapping[str, list[str]],
) -> dict[str, Any]:
    """The snapshot for one request to ``endpoint`` about ``target`` (the record its route
    names, if any). For an update, a record's own name is not among the names taken."""
    own = target.get("id") if target is not None else None
    path = endpoint.path

    def others(kind: str, resource: str) -> list[dict[str, Any]]:
        return [r for r in tx.all(kind) if not (path == resource and r["id"] == own)]

    settings = {key: account[key] for key in ACCOUNT_KEYS if account.get(key) is not None}
    out: dict[str, Any] = {
        "now": now.isoformat(timespec="seconds"),
        "account": settings,
        "existing": {
            "clients": [display(r.get("name")) for r in others("client", "clients")],
            "items": [display(r.get("name")) for r in others("item", "items")],
            "taxes": {
                display(r.get("name")): number(decimal(r.get("value")))
                for r in others("tax", "taxes")
            },
            "sequences": [display(r.get("serie")) for r in tx.all("sequence")],
        },
    }
    if path == "accounts":
        accounts = tx.all("account")
        if target is not None:
            settings["fiscal_id"] = display(target.get("fiscal_id"))
        out["fiscal_ids_in_use"] = [
            display(a.get("fiscal_id")) for a in accounts if a["id"] != own and a.get("fiscal_id")
        ]
    if target is not None and "type" in target and "status" in target:
        out["document"] = {"id": target["id"], "status": target["status"]}
    if endpoint.name == "saft.export":
        count = documents_in_period(tx, params)
        if count is not None:
            out["documents_in_period"] = count
    return out


def documents_in_period(tx: Tx, params: Mapping[str, list[str]]) -> int | None:
    """How many documents (not drafts, not deleted) are dated in the month and year the
    query names; None when it names no readable month and year."""
    month, year = (_whole((params.get(k) or [""])[-1]) for k in ("month", "year"))
    if month is None or year is None or not 1 <= month <= 12:
        return None
    count = 0
    for doc in tx.all("document"):
        if doc.get("status") in ("draft", "deleted") or doc_type(doc).family == "purchase_order":
            continue
        day = display(doc.get("date")).strip()
        parts = day.split("/")
        if len(parts) == 3 and parts[1].isdigit() and parts[2].isdigit():
            count += int(parts[1]) == month and int(parts[2]) == year
    return count


def _whole(text: str) -> int | None:
    text = text.strip()
    return int(text) if text.isdigit() and len(text) <= 6 else None
