"""The state a mock starts from: its defaults, and a seed file (JSON or YAML) layered over them.

A seed holds any of::

    account:   {organization_name, language, country, fiscal_id, trial, mb_payment_provider,
                company_info_complete, email, ...}
    now:       "2024-05-01T10:00:00"           # the clock, frozen (else the real time)
    taxes:     [{name, value, region, code, default_tax}]       # replace the default taxes
    sequences: [{serie, default_sequence, registered}]          # replace the default series
    clients:   [{name, code, email, country, fiscal_id, ...}]
    items:     [{name, description, unit_price, unit, tax: {name}}]
    documents: [{type: invoice, status: final, client: {name}, items: [...], date, ...}]
    accounts:  [{organization_name, fiscal_id}]  # other accounts (their VAT numbers in use)

A document may be in any status: one that is not a draft is numbered in its sequence as if it
had been finalized. Seeded records are written as given, without being validated: a seed says
what the account already holds.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from . import catalog
from .call import Call
from .documents import BY_KEY, TYPES, number, resolve_client, resolve_lines, uid_name
from .predict import display, find, kept
from .store import Tx

#: The mock's account unless the seed says otherwise: a Portuguese account, paid (not a
#: trial), its company information complete, without a Multibanco payment provider.
DEFAULT_ACCOUNT: dict[str, Any] = {
    "organization_name": "Acme",
    "email": "billing@acme.example",
    "language": "en",
    "country": "Portugal",
    "fiscal_id": "",
    "trial": False,
    "mb_payment_provider": False,
    "company_info_complete": True,
    "state": "active",
}
#: Portugal's VAT rates (mainland), IVA23 the default.
DEFAULT_TAXES = [
    {"name": "IVA23", "value": "23.0", "region": "PT", "code": "NOR", "default_tax": True},
    {"name": "IVA13", "value": "13.0", "region": "PT", "code": "INT"},
    {"name": "IVA6", "value": "6.0", "region": "PT", "code": "RED"},
    {"name": "IVA0", "value": "0.0", "region": "PT", "code": "ISE"},
]
#: One series, the default, registered with the tax authority.
DEFAULT_SEQUENCES = [{"serie": "A", "default_sequence": True, "registered": True}]

SECTIONS = ("account", "now", "taxes", "sequences", "clients", "items", "documents", "accounts")


class SeedError(ValueError):
    """The seed cannot be used; says which part and why."""


def load(path: str | Path) -> dict[str, Any]:
    """A seed file, JSON (``.json``) or YAML (anything else)."""
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SeedError(f"cannot read the seed {str(file)!r}: {exc}") from None
    try:
        if file.suffix.lower() == ".json":
            data = json.loads(text)
        else:
            import yaml

            data = yaml.safe_load(text)
    except Exception as exc:  # the parsers' many errors: one line says which file
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise SeedError(f"the seed {str(file)!r} is not valid JSON or YAML: {first}") from None
    return check(data if data is not None else {})


def check(data: Any) -> dict[str, Any]:
    """A seed's shape checked: a mapping of the known sections, each of its kind."""
    if not isinstance(data, Mapping):
        raise SeedError(f"a seed is a mapping of {', '.join(SECTIONS)}")
    unknown = sorted(str(key) for key in data if key not in SECTIONS)
    if unknown:
        raise SeedError(
            f"unknown seed section(s) {', '.join(unknown)}; known: {', '.join(SECTIONS)}"
        )
    if not isinstance(data.get("account", {}), Mapping):
        raise SeedError("the seed's account is a mapping of settings")
    for section in SECTIONS[2:]:
        rows = data.get(section, [])
        if not isinstance(rows, list) or not all(isinstance(row, Mapping) for row in rows):
            raise SeedError(f"the seed's {section} is a list of mappings")
    now = data.get("now")
    if now is not None:
        parse_now(now)
    return dict(data)


def parse_now(value: Any) -> dt.datetime:
    """A clock setting: YYYY-MM-DDTHH:MM:SS."""
    try:
        return dt.datetime.strptime(str(value), "%Y-%m-%dT%H:%M:%S")
    except ValueError:
        raise SeedError(f"a time is written YYYY-MM-DDTHH:MM:SS, not {str(value)[:60]!r}") from None


def apply(
    tx: Tx, seed: Mapping[str, Any], *, account_name: str, language: str | None, base_url: str
) -> dict[str, Any]:
    """Write the defaults and ``seed`` into an empty store; returns the mock's account."""
    settings = {**DEFAULT_ACCOUNT, "name": account_name, **dict(seed.get("account") or {})}
    if language is not None:
        settings["language"] = language
    account = tx.insert("account", settings)
    tx.meta_set("account_id", account["id"])
    if seed.get("now") is not None:
        tx.meta_set("clock", parse_now(seed["now"]).isoformat())
    for row in seed.get("accounts") or []:
        tx.insert("account", {"state": "active", **dict(row)})
    for row in seed.get("taxes", DEFAULT_TAXES):
        data = {
            **row,
            "name": display(row.get("name")),
            "default_tax": _truthy(row.get("default_tax")),
        }
        tx.insert("tax", data, name=data["name"])
    for row in seed.get("sequences", DEFAULT_SEQUENCES):
        serie = display(row.get("serie"))
        data = {k: v for k, v in row.items() if k != "registered"}
        data.update(serie=serie, default_sequence=_truthy(row.get("default_sequence")))
        record = tx.insert("sequence", data, name=serie)
        if row.get("registered"):
            record["codes"] = catalog.validation_codes(record)
            tx.update("sequence", record, name=serie)
    for row in seed.get("clients") or []:
        name = display(row.get("name"))
        tx.insert("client", {**row, "name": name}, name=name)
    for row in seed.get("items") or []:
        name = display(row.get("name"))
        tx.insert("item", {**row, "name": name}, name=name)
    now = dt.datetime.now().replace(microsecond=0)
    for row in seed.get("documents") or []:
        _document(tx, row, account, now, base_url)
    tx.meta_set("seeded", True)
    return account


def _truthy(value: Any) -> bool:
    return value is True or display(value).strip() in ("1", "true")


def _document(
    tx: Tx, row: Mapping[str, Any], account: dict[str, Any], now: dt.datetime, base_url: str
) -> None:
    kind = display(row.get("type", "invoice"))
    dtype = TYPES.get(kind) or BY_KEY.get(kind)
    if dtype is None:
        raise SeedError(f"unknown document type {kind[:60]!r} in the seed")
    found = find("POST", f"/{dtype.path}.json")
    if found is None:  # receipts are not created by a POST: seed them as invoices' payments
        raise SeedError(f"documents of type {dtype.key} are not seeded (pay an invoice instead)")
    endpoint = found[0]
    body = {key: value for key, value in row.items() if key not in ("type", "status", "id")}
    call = Call(tx, endpoint, (), None, kept(endpoint.name, body), {}, account, now, base_url)
    record: dict[str, Any] = {"type": dtype.key, "status": "draft", "number": None}
    if isinstance(row.get("id"), int):
        record["id"] = row["id"]
    for key, value in call.value.items():
        if key not in ("client", "items"):
            record[key] = value
    if isinstance(call.value.get("client"), Mapping):
        record["client_id"] = resolve_client(call, call.value["client"])
    record["lines"] = resolve_lines(call, call.value.get("items") or [], "create")
    record.setdefault("date", now.strftime("%d/%m/%Y"))
    record.setdefault("due_date", record["date"])
    chosen = (
        tx.get("sequence", row["sequence_id"]) if isinstance(row.get("sequence_id"), int) else None
    )
    record["sequence_id"] = chosen["id"] if chosen else _default_sequence(tx)
    uid = row.get("proprietary_uid")
    if uid not in (None, ""):
        record["proprietary_uid"] = display(uid)
    stored = tx.insert("document", record, name=uid_name(uid) if uid not in (None, "") else None)
    status = display(row.get("status", "draft"))
    if status != "draft":
        number(call, stored)
    stored["status"] = status
    tx.update("document", stored)


def _default_sequence(tx: Tx) -> int | None:
    sequences = tx.all("sequence")
    chosen = next(
        (s for s in sequences if s.get("default_sequence")), sequences[0] if sequences else None
    )
    return None if chosen is None else int(chosen["id"])
