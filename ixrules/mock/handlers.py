"""Which handler serves each endpoint, and which records the ids of its route name."""

from __future__ import annotations

from typing import Any

from . import accounts, catalog, documents, payments, reading
from .call import Handler
from .documents import TYPES
from .predict import Endpoint
from .store import Tx

#: Endpoints served by a handler of their own (by name).
NAMED: dict[str, Handler] = {
    "invoices.list": reading.list_documents,
    "estimates.list": reading.list_documents,
    "guides.list": reading.list_documents,
    "documents.pdf": reading.pdf,
    "documents.qr_code": reading.qr_code,
    "documents.related_documents": reading.related,
    "partial_payments.create": payments.pay,
    "receipts.get": reading.get,
    "receipts.change_state": payments.cancel_receipt,
    "clients.create": catalog.create_client,
    "clients.update": catalog.update_client,
    "clients.get": catalog.get_client,
    "clients.list": catalog.list_clients,
    "clients.find_by_name": catalog.find_client_by_name,
    "clients.find_by_code": catalog.find_client_by_code,
    "clients.invoices": reading.client_documents,
    "clients.balance": payments.balance,
    "clients.initial_balance": payments.initial_balance,
    "clients.regularization": payments.regularization,
    "clients.list_regularization": payments.list_regularizations,
    "clients.delete_regularization": payments.delete_entry,
    "clients.treasury_movements": payments.treasury_movement,
    "clients.delete_treasury_movement": payments.delete_entry,
    "items.create": catalog.create_item,
    "items.update": catalog.update_item,
    "items.get": catalog.get_item,
    "items.list": catalog.list_items,
    "items.delete": catalog.delete_item,
    "taxes.create": catalog.create_tax,
    "taxes.update": catalog.update_tax,
    "taxes.get": catalog.get_tax,
    "taxes.list": catalog.list_taxes,
    "taxes.delete": catalog.delete_tax,
    "sequences.create": catalog.create_sequence,
    "sequences.get": catalog.get_sequence,
    "sequences.list": catalog.list_sequences,
    "sequences.register": catalog.register_sequence,
    "sequences.set_current": catalog.set_current_sequence,
    "sequences.update": catalog.update_sequence,
    "accounts.create": accounts.create,
    "accounts.create_already_user": accounts.create,
    "accounts.update": accounts.update,
    "accounts.get": accounts.get,
    "accounts.at_communication": accounts.at_communication,
    "saft.export": accounts.export_saft,
}

#: What every document type's endpoints do, by action.
DOCUMENT_ACTIONS: dict[str, Handler] = {
    "create": documents.create,
    "update": documents.update,
    "get": reading.get,
    "change_state": documents.change_state,
    "email": reading.email,
}

#: The kind of record the first id of a route names, by the route's resource.
KINDS = {
    "clients": "client",
    "items": "item",
    "taxes": "tax",
    "sequences": "sequence",
    "accounts": "account",
}
#: The kind of balance entry the second id of a client's route names.
ENTRY_KINDS = {
    "clients.delete_regularization": "regularization",
    "clients.delete_treasury_movement": "treasury_movement",
}


def handler(endpoint: Endpoint) -> Handler | None:
    """The handler of ``endpoint`` (None for one the mock does not serve)."""
    named = NAMED.get(endpoint.name)
    if named is not None:
        return named
    if endpoint.path in TYPES:
        return DOCUMENT_ACTIONS.get(endpoint.action)
    return None


def targets(
    tx: Tx, endpoint: Endpoint, ids: tuple[int, ...]
) -> tuple[bool, dict[str, Any] | None, dict[str, Any] | None]:
    """Whether the records the route's ids name exist, and those records (first, second)."""
    if not ids:
        return True, None, None
    first = tx.get(_kind(endpoint), ids[0]) if ids[0] >= 0 else None
    if first is None or not _fits(endpoint, first):
        return False, None, None
    second = None
    if len(ids) > 1:
        second = tx.get("entry", ids[1]) if ids[1] >= 0 else None
        kind = ENTRY_KINDS.get(endpoint.name)
        if second is None or second.get("client_id") != first["id"] or second.get("kind") != kind:
            return False, None, None
    return True, first, second


def _kind(endpoint: Endpoint) -> str:
    return KINDS.get(endpoint.path, "document")


def _fits(endpoint: Endpoint, record: dict[str, Any]) -> bool:
    """A document named by a typed route is of that type; a payment pays an invoice."""
    path = endpoint.path
    if path in TYPES:
        return bool(record.get("type") == TYPES[path].key)
    if path == "partial_payments":
        return documents.doc_type(record).family == "invoice"
    return True
