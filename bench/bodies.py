"""The bodies every validator is timed on: realistic, and the same for all of them."""

from __future__ import annotations

import copy
from typing import Any

CLIENT = {
    "name": "Bruce Norris",
    "code": "A1",
    "email": "bruce@example.com",
    "address": "Rua das Flores, 1",
    "city": "Lisboa",
    "postal_code": "1000-100",
    "country": "Portugal",
    "fiscal_id": "508025338",
}


def line(index: int) -> dict[str, Any]:
    """One item line, as apps send them (numbers as strings, a tax by name)."""
    return {
        "name": f"Pen {index}",
        "description": "Blue pen",
        "unit_price": f"{1 + index % 7}.50",
        "quantity": str(1 + index % 3),
        "unit": "unit",
        "discount": "0",
        "tax": {"name": "IVA23"},
    }


def invoice(lines: int) -> dict[str, Any]:
    """A valid invoice with ``lines`` item lines."""
    return {
        "invoice": {
            "date": "01/12/2017",
            "due_date": "15/12/2017",
            "reference": "PO-42",
            "observations": "Delivered by hand",
            "retention": "10",
            "client": dict(CLIENT),
            "items": [line(index) for index in range(lines)],
        }
    }


def invoice_with_errors() -> dict[str, Any]:
    """The 10-line invoice with five mistakes, each one a different rule."""
    body = copy.deepcopy(invoice(10))
    doc = body["invoice"]
    doc["due_date"] = "30/11/2017"  # before the date
    doc["client"]["email"] = "bruce.example.com"  # not an address
    doc["items"][2]["quantity"] = "0"  # not > 0
    doc["items"][5]["unit"] = "kg"  # not a unit
    doc["items"][7]["unit_price"] = "1,50"  # decimal comma
    return body


def client() -> dict[str, Any]:
    """A client for clients.create (reference §3.10)."""
    return {
        "client": {
            **CLIENT,
            "language": "pt",
            "send_options": "2",
            "preferred_contact": {"name": "Bruce", "email": "bruce@example.com", "phone": "21"},
        }
    }


def item() -> dict[str, Any]:
    """An item for items.create (reference §3.11)."""
    return {
        "item": {
            "name": "Pen",
            "description": "Blue pen",
            "unit_price": "1.50",
            "unit": "unit",
            "tax": {"name": "IVA23"},
        }
    }


#: case -> (body, ixrules endpoint, alternative schema name, issues expected (True/False))
CASES: dict[str, tuple[dict[str, Any], str, str, bool]] = {
    "invoice, 10 lines, valid": (invoice(10), "invoices.create", "invoice", False),
    "invoice, 10 lines, 5 errors": (invoice_with_errors(), "invoices.create", "invoice", True),
    "invoice, 200 lines, valid": (invoice(200), "invoices.create", "invoice", False),
    "client, valid": (client(), "clients.create", "client", False),
    "item, valid": (item(), "items.create", "item", False),
}
