"""Checks of what the context snapshot says: account settings, names that exist, the target
document's state, the request's headers. None has a JSON Schema form: the body alone cannot
say whether it passes."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ..values import as_number, display
from .registry import Env, check, context_key_in, context_keys

TYPE_CHECKING = False  # not typing's: importing typing is a cost of every start
if TYPE_CHECKING:
    from typing import Any

_READS = "reads the context"


@check("context_true", json_schema=_READS, reads_numbers=False, reads_context=context_key_in("key"))
def context_true(value: Any, env: Env, *, key: str) -> bool:
    """The context says yes at ``key``."""
    return env.context.get(key) is True


@check(
    "context_false", json_schema=_READS, reads_numbers=False, reads_context=context_key_in("key")
)
def context_false(value: Any, env: Env, *, key: str) -> bool:
    """The context says no at ``key``."""
    return env.context.get(key) is False


@check("context_not", json_schema=_READS, reads_numbers=False, reads_context=context_key_in("key"))
def context_not(value: Any, env: Env, *, key: str, values: Sequence[str]) -> bool:
    """The context's value at ``key`` is none of ``values``."""
    return env.context.get(key) not in values


@check(
    "context_positive", json_schema=_READS, reads_numbers=False, reads_context=context_key_in("key")
)
def context_positive(value: Any, env: Env, *, key: str) -> bool:
    """The context's count at ``key`` is above zero."""
    count = env.context.get(key)
    return isinstance(count, int) and count > 0


@check("not_taken", json_schema=_READS, reads_numbers=False, reads_context=context_key_in("key"))
def not_taken(value: Any, env: Env, *, key: str) -> bool:
    """The value is not among the names the context lists at ``key`` (compared without case);
    a mapping lists its keys (``existing.taxes`` may give each name with its rate)."""
    names = env.context.get(key) or ()
    text = display(value).strip().casefold()
    return all(not (isinstance(name, str) and name.strip().casefold() == text) for name in names)


@check("listed", json_schema=_READS, reads_numbers=False, reads_context=context_key_in("key"))
def listed(value: Any, env: Env, *, key: str) -> bool:
    """The value is among the names the context lists at ``key`` (compared without case and
    surrounding blanks): the other side of ``not_taken``, for a name that must exist."""
    return not not_taken(value, env, key=key)


def _identifier(value: Any) -> str:
    """A fiscal id as the API would store it: blanks removed, case ignored."""
    return "".join(display(value).split()).casefold()


@check(
    "same_as_context", json_schema=_READS, reads_numbers=False, reads_context=context_key_in("key")
)
def same_as_context(value: Any, env: Env, *, key: str) -> bool:
    """The value equals the context's value at ``key`` (ignoring blanks and case), or the
    context's value is blank (a value never set can be set)."""
    stored = _identifier(env.context.get(key))
    return not stored or _identifier(value) == stored


@check(
    "account_not_in",
    json_schema=_READS,
    reads_numbers=False,
    reads_context=context_keys("account.country"),
)
def account_not_in(value: Any, env: Env, *, countries: Sequence[str]) -> bool:
    """The context's ``account.country`` is none of ``countries`` (names or ISO codes,
    compared without case)."""
    country_ = display(env.context.get("account.country")).strip().casefold()
    return country_ not in {name.casefold() for name in countries}


@check(
    "event_allowed",
    json_schema=_READS,
    reads_numbers=False,
    reads_context=context_keys("document.status"),
)
def event_allowed(value: Any, env: Env, *, transitions: Mapping[str, Sequence[str]]) -> bool:
    """The event may be fired from the context's ``document.status`` by the state machine
    ``transitions`` (status -> events). A status the table does not list is not judged."""
    status = env.context.get("document.status")
    allowed = transitions.get(status) if isinstance(status, str) else None
    return allowed is None or display(value) in allowed


#: The media types the API's Rails 2 backend parses as JSON (``Mime::JSON`` and its aliases).
JSON_MEDIA_TYPES = frozenset({"application/json", "text/x-json", "application/jsonrequest"})


def is_json_content_type(header: Any) -> bool:
    """True for a ``Content-Type`` the API reads a JSON body with (parameters such as the
    charset do not matter; ``+json`` suffix types are not JSON to Rails 2).

    >>> is_json_content_type("application/json; charset=utf-8"), is_json_content_type(None)
    (True, False)
    >>> is_json_content_type("application/vnd.api+json")
    False
    """
    if not isinstance(header, str):
        return False
    return header.split(";", 1)[0].strip().casefold() in JSON_MEDIA_TYPES


@check(
    "json_content_type",
    json_schema="reads the request's headers",
    reads_numbers=False,
    reads_context=context_keys("request.content_type"),
)
def json_content_type(value: Any, env: Env) -> bool:
    """The request's ``Content-Type`` (context ``request.content_type``) is JSON."""
    return is_json_content_type(env.context.get("request.content_type"))


# --- the state of the documents a body names ----------------------------------------------


def _document_type(name: Any) -> str:
    """A document type folded for comparison: ``InvoiceReceipt``, ``invoice_receipt`` and the
    path ``invoice_receipts`` are one type."""
    folded = "".join(ch for ch in display(name).casefold() if ch.isalnum())
    return folded[:-1] if folded.endswith("s") else folded


@check(
    "series_of_document",
    json_schema=_READS,
    reads_numbers=False,
    reads_context=context_key_in("key"),
)
def series_of_document(value: Any, env: Env, *, key: str) -> bool:
    """The series the context describes at ``key`` (its document type: ``invoice_receipt``,
    ``InvoiceReceipt``) is one of the called endpoint's document type (its path,
    ``invoice_receipts``). Passes when the endpoint is not known."""
    path = env.endpoint.partition(".")[0]
    return not path or _document_type(env.context.get(key)) == _document_type(path)


@check(
    "at_most_context",
    json_schema=_READS,
    reads_numbers=True,
    reads_context=context_key_in("key"),
)
def at_most_context(value: Any, env: Env, *, key: str) -> bool:
    """The value, a number, is not above the context's number at ``key``. Passes when either
    is not a number: that is another rule's business."""
    amount, limit = as_number(value), as_number(env.context.get(key))
    return amount is None or limit is None or amount <= limit


@check(
    "context_at_most",
    json_schema=_READS,
    reads_numbers=False,
    reads_context=lambda args: (str(args["key"]), str(args["limit"])),  # both it compares
)
def context_at_most(value: Any, env: Env, *, key: str, limit: str) -> bool:
    """The context's number at ``key`` is not above its number at ``limit`` (a credit note's
    total against its related documents'). Passes when either is not a number."""
    amount, most = as_number(env.context.get(key)), as_number(env.context.get(limit))
    return amount is None or most is None or amount <= most
