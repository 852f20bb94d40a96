"""The benchmark's bodies as pydantic v2 models: what a user of pydantic would write for the
checks ixrules makes on them (see bench/alternatives.py). Imported only by the benchmark."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    EmailStr,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from ixrules.data.countries import COUNTRY_NAMES

__all__ = ["MODELS", "ValidationError"]

COUNTRIES = frozenset(COUNTRY_NAMES)
Unit = Literal["service", "unit", "hour", "day", "month", "other"]
Date = Annotated[str, Field(pattern=r"^\d{1,2}/\d{1,2}/\d{4}$")]


def _date(text: str | None) -> dt.date | None:
    try:
        return dt.datetime.strptime(text or "", "%d/%m/%Y").date()
    except ValueError:
        return None


class Open(BaseModel):
    model_config = ConfigDict(extra="allow")


class Client(Open):
    name: Annotated[str, Field(min_length=1)]
    code: str | None = None
    email: EmailStr | None = None
    country: str | None = None

    @field_validator("country")
    @classmethod
    def known(cls, value: str | None) -> str | None:
        if value is not None and value not in COUNTRIES:
            raise ValueError("is not a country")
        return value


class Line(Open):
    name: Annotated[str, Field(min_length=1)]
    quantity: Annotated[float, Field(gt=0)]
    unit_price: float
    unit: Unit | None = None
    discount: float | None = None


class Document(Open):
    date: Date | None = None
    due_date: Date | None = None
    retention: Annotated[float, Field(ge=0, le=99.99)] | None = None
    client: Client
    items: Annotated[list[Line], Field(min_length=1)]

    @model_validator(mode="after")
    def due_after_date(self) -> Document:
        first, second = _date(self.date), _date(self.due_date)
        if first and second and second < first:
            raise ValueError("Due date must be later than date")
        return self


class Invoice(Open):
    invoice: Document


class Contact(Open):
    email: EmailStr | None = None


class ClientBody(Client):
    code: str
    language: Literal["en", "pt", "es"] | None = None
    send_options: Literal[1, 2, 3, "1", "2", "3"] | None = None
    preferred_contact: Contact | None = None


class ClientRequest(Open):
    client: ClientBody


class Item(Open):
    name: Annotated[str, Field(min_length=1)]
    description: str
    unit_price: float
    unit: Unit | None = None
    tax: dict[str, object] | None = None


class ItemRequest(Open):
    item: Item


MODELS: dict[str, type[BaseModel]] = {
    "invoice": Invoice,
    "client": ClientRequest,
    "item": ItemRequest,
}
