"""One request being served: what the route named, the records it found, the body it kept.
Every resource handler takes a :class:`Call` and answers a :class:`~.wire.MockResponse`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .predict import Endpoint
from .store import Tx
from .wire import MockResponse


@dataclass
class Call:
    """A request the prediction accepted, about to change the state or read it."""

    tx: Tx
    endpoint: Endpoint
    ids: tuple[int, ...]
    #: The record the route's first id names (a document, a client, ...), when it has one.
    target: dict[str, Any] | None
    #: The body under its root key, without the keys the API drops ({} when there is none).
    value: dict[str, Any]
    #: The query parameters, each with all its values.
    params: dict[str, list[str]]
    #: The account the mock is (its settings: language, country, ...).
    account: dict[str, Any]
    now: dt.datetime
    base_url: str
    #: The second record a route names (a client's balance entry), when it has one.
    second: dict[str, Any] | None = None
    #: Whole body as sent (for keys beside the root, e.g. ``proprietary_uid``).
    body: dict[str, Any] = field(default_factory=dict)

    @property
    def language(self) -> str:
        """The account's language: the API answers and labels in it."""
        language = self.account.get("language")
        return language if isinstance(language, str) else "en"

    def param(self, name: str) -> str | None:
        """A query parameter's last value (the last of a repeated one wins, as in Rails)."""
        values = self.params.get(name)
        return values[-1] if values else None

    def today(self) -> str:
        """The mock's date, as the API writes dates (dd/mm/yyyy)."""
        return self.now.strftime("%d/%m/%Y")


Handler = Callable[[Call], MockResponse]
