"""The benchmark's bodies as msgspec Structs (see bench/alternatives.py); the date order and the
country list in ``__post_init__``, as msgspec's docs do cross-field checks."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

import msgspec
from msgspec import Meta, Struct

from ixrules.data.countries import COUNTRY_NAMES

COUNTRIES = frozenset(COUNTRY_NAMES)
Unit = Literal["service", "unit", "hour", "day", "month", "other"]
Date = Annotated[str, Meta(pattern=r"^\d{1,2}/\d{1,2}/\d{4}$")]
Email = Annotated[str, Meta(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")]


def _date(text: str | None) -> dt.date | None:
    try:
        return dt.datetime.strptime(text or "", "%d/%m/%Y").date()
    except ValueError:
        return None


class Client(Struct):
    name: Annotated[str, Meta(min_length=1)]
    code: str | None = None
    email: Email | None = None
    country: str | None = None
    address: str | None = None
    city: str | None = None
    postal_code: str | None = None
    fiscal_id: str | None = None

    def __post_init__(self) -> None:
        if self.country is not None and self.country not in COUNTRIES:
            raise ValueError("Country is not a country")


class Tax(Struct):
    name: str | None = None


class Line(Struct):
    name: Annotated[str, Meta(min_length=1)]
    quantity: Annotated[float, Meta(gt=0)]
    unit_price: float
    unit: Unit | None = None
    discount: float | None = None
    description: str | None = None
    tax: Tax | None = None


class Document(Struct):
    client: Client
    items: Annotated[list[Line], Meta(min_length=1)]
    date: Date | None = None
    due_date: Date | None = None
    retention: Annotated[float, Meta(ge=0, le=99.99)] | None = None
    reference: str | None = None
    observations: str | None = None

    def __post_init__(self) -> None:
        first, second = _date(self.date), _date(self.due_date)
        if first and second and second < first:
            raise ValueError("Due date must be later than date")


class Invoice(Struct):
    invoice: Document


class Contact(Struct):
    name: str | None = None
    email: Email | None = None
    phone: str | None = None


class ClientBody(Client):
    language: Literal["en", "pt", "es"] | None = None
    send_options: Literal[1, 2, 3] | None = None
    preferred_contact: Contact | None = None


class ClientRequest(Struct):
    client: ClientBody


class Item(Struct):
    name: Annotated[str, Meta(min_length=1)]
    description: str
    unit_price: float
    unit: Unit | None = None
    tax: dict[str, Any] | None = None


class ItemRequest(Struct):
    item: Item


STRUCTS: dict[str, type[Struct]] = {
    "invoice": Invoice,
    "client": ClientRequest,
    "item": ItemRequest,
}
__all__ = ["STRUCTS", "msgspec"]
