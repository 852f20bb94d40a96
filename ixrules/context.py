"""The context snapshot: what the payload alone cannot tell (account settings, existing names,
the target document's status, the clock). A plain JSON-compatible dict, so a CLI can read it
from a file. A rule that needs a key the snapshot does not have is skipped, never guessed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .values import as_iso_datetime

_MISSING = object()

#: Every key a rule may ask for, with the JSON type it must have.
KEYS: dict[str, tuple[type, ...]] = {
    "account.mb_payment_provider": (bool,),
    "account.trial": (bool,),
    "account.company_info_complete": (bool,),
    "account.fiscal_id": (str,),
    "account.country": (str,),
    "existing.clients": (list,),
    "existing.items": (list,),
    "existing.taxes": (list, dict),  # names, or each name with its rate: {"IVA0": 0}
    "existing.sequences": (list,),
    "fiscal_ids_in_use": (list,),
    "document.id": (str, int),
    "document.status": (str,),
    "document.amount_due": (int, float, str),  # what is still to pay on the document
    "document.total": (int, float, str),  # the document's total (a credit note's, to finalize)
    "document.related_total": (int, float, str),  # the total of the documents it relates to
    "owner_document.status": (str,),  # the status of the document owner_invoice_id names
    "sequence.document_type": (str,),  # the document type of the series sequence_id names
    "documents_in_period": (int,),
    "now": (str,),
    "request.content_type": (str,),
}


class ContextError(ValueError):
    """The context snapshot is not usable (wrong shape or type); says which key and why."""


class Context:
    """Read-only dotted-key access to a context snapshot, checked once on construction.

    >>> ctx = Context({"account": {"trial": True}})
    >>> ctx.get("account.trial"), ctx.has("account.country")
    (True, False)
    """

    __slots__ = ("_data",)

    def __init__(self, data: Mapping[str, Any] | None = None) -> None:
        if data is None:
            data = {}
        if not isinstance(data, Mapping):
            raise ContextError(f"context must be an object, not {type(data).__name__}")
        self._data = data
        if not data:
            return  # nothing to check (most calls)
        for key, types in KEYS.items():
            value = self._lookup(key)
            if value is _MISSING or value is None:
                continue
            if isinstance(value, bool) and bool not in types:
                raise ContextError(f"context key {key!r} must be {_names(types)}, not a boolean")
            if not isinstance(value, types):
                raise ContextError(
                    f"context key {key!r} must be {_names(types)}, not {type(value).__name__}"
                )
            if key == "now" and as_iso_datetime(value) is None:
                raise ContextError(f"context key 'now' must be YYYY-MM-DDTHH:MM:SS, not {value!r}")

    def _lookup(self, key: str) -> Any:
        if not self._data:
            return _MISSING
        node: Any = self._data
        for part in key.split("."):
            if not isinstance(node, Mapping) or part not in node:
                return _MISSING
            node = node[part]
        return node

    def has(self, key: str) -> bool:
        """True when the snapshot says something (not null) about ``key``."""
        value = self._lookup(key)
        return value is not _MISSING and value is not None

    def get(self, key: str) -> Any:
        """The value at ``key``, or None when the snapshot does not have it."""
        value = self._lookup(key)
        return None if value is _MISSING else value


def _names(types: tuple[type, ...]) -> str:
    names = {
        bool: "a boolean",
        str: "a string",
        int: "an integer",
        list: "a list",
        dict: "a mapping",
        float: "a number",
    }
    return " or ".join(names.get(t, t.__name__) for t in types)
