"""The context snapshot: what the payload alone cannot tell (account settings, existing names,
the target document's status, the clock). A plain JSON-compatible dict, so a CLI can read it
from a file. A rule that needs a key the snapshot does not have is skipped, never guessed.

The snapshot is checked like a body: every key at every level must be one of :data:`KEYS`
(so a misspelt ``acount`` is an error naming ``account``, never a rule silently skipped), and
every value, down to the items of its lists, must have its key's type.
"""

from __future__ import annotations

from collections.abc import Mapping

from .values import as_iso_datetime, as_number, display

TYPE_CHECKING = False  # not typing's: importing typing is a cost of every start
if TYPE_CHECKING:
    from typing import Any

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

#: The keys whose value is a list of names (or numbers written as text): each item a string.
#: A number among them would never equal the sent text, so the rule reading them would pass
#: without a word.
NAME_LISTS = frozenset(key for key, types in KEYS.items() if list in types)

#: Longest key shown in a message, and looked up for a "did you mean".
_MAX_KEY = 100


class ContextError(ValueError):
    """The context snapshot is not usable (an unknown key, a wrong shape or type); says which
    key and why. ``path`` holds the keys (and list indexes) from the top of the snapshot to the
    value at fault, so a command can point at its line in the file."""

    def __init__(self, message: str, path: tuple[str | int, ...] = ()) -> None:
        super().__init__(message)
        self.path = path


def _tree(keys: Mapping[str, tuple[type, ...]]) -> dict[str, Any]:
    """The dotted keys as nested levels; a leaf holds its dotted key."""
    root: dict[str, Any] = {}
    for dotted in keys:
        *parents, leaf = dotted.split(".")
        level = root
        for part in parents:
            level = level.setdefault(part, {})
        level[leaf] = dotted
    return root


_TREE = _tree(KEYS)


class Context:
    """Read-only dotted-key access to a context snapshot, checked once on construction.

    >>> ctx = Context({"account": {"trial": True}})
    >>> ctx.get("account.trial"), ctx.has("account.country")
    (True, False)
    >>> Context({"acount": {"mb_payment_provider": False}})
    Traceback (most recent call last):
    ...
    ixrules.context.ContextError: unknown context key 'acount' (did you mean 'account'?)
    """

    __slots__ = ("_data",)

    def __init__(self, data: Mapping[str, Any] | None = None) -> None:
        if data is None:
            data = {}
        if not isinstance(data, Mapping):
            raise ContextError(f"context must be an object, not {type(data).__name__}")
        self._data = data
        if data:  # nothing to check in an empty one (most calls)
            _check_level(data, _TREE, ())

    def _lookup(self, key: str) -> Any:
        if not self._data:
            return _MISSING
        node: Any = self._data
        for part in key.split("."):
            if not isinstance(node, Mapping) or part not in node:
                return _MISSING
            node = node[part]
        return node

    def empty(self) -> bool:
        """True when the snapshot says nothing (most calls give none)."""
        return not self._data

    def has(self, key: str) -> bool:
        """True when the snapshot says something (not null) about ``key``."""
        value = self._lookup(key)
        return value is not _MISSING and value is not None

    def get(self, key: str) -> Any:
        """The value at ``key``, or None when the snapshot does not have it."""
        value = self._lookup(key)
        return None if value is _MISSING else value


def context_of(data: Mapping[str, Any] | None) -> Context:
    """``Context(data)``; for no context (most calls) one shared empty snapshot, which no one
    can change.

    >>> context_of(None) is context_of(None), context_of(None).empty()
    (True, True)
    """
    return _NO_CONTEXT if data is None else Context(data)


_NO_CONTEXT = Context(None)


def check_context(data: Any) -> None:
    """Raise :class:`ContextError` when ``data`` is not a usable snapshot (None is): for the
    APIs that take a context once and use it for many calls (``http.preflight``,
    ``pydantic.IXBody``), so a misspelt key fails where it is given, not on some later call.

    >>> check_context({"now": "2017-12-02T09:00:00", "acount": {"trial": True}})
    Traceback (most recent call last):
    ...
    ixrules.context.ContextError: unknown context key 'acount' (did you mean 'account'?)
    """
    from .values import Unreadable, plain

    try:
        data = plain(data)
    except Unreadable as exc:
        raise ContextError(f"the context {exc}") from None
    Context(data)


def _check_level(data: Mapping[Any, Any], level: Mapping[str, Any], path: tuple[str, ...]) -> None:
    """Every key of ``data`` is one ``level`` knows, and every value has its key's shape; a
    null is absent, at any level."""
    for key, value in data.items():
        where = (*path, key)
        if not isinstance(key, str):
            raise ContextError(
                f"context keys are strings, not {type(key).__name__} ({_shown(key)})", where
            )
        known = level.get(key)
        if known is None:
            raise ContextError(_unknown(path, key, level), where)
        if value is None:
            continue
        if isinstance(known, str):
            _check_value(known, value, where)
        elif isinstance(value, Mapping):
            _check_level(value, known, where)
        else:
            raise ContextError(
                f"context key {'.'.join(where)!r} must be a mapping (of "
                f"{_listing(known)}), not {_kind(value)}",
                where,
            )


def _check_value(key: str, value: Any, where: tuple[str, ...]) -> None:
    types = KEYS[key]
    if isinstance(value, bool) and bool not in types:
        raise ContextError(f"context key {key!r} must be {_names(types)}, not a boolean", where)
    if not isinstance(value, types):
        raise ContextError(
            f"context key {key!r} must be {_names(types)}, not {type(value).__name__}", where
        )
    if key == "now" and as_iso_datetime(value) is None:
        raise ContextError(
            f"context key 'now' must be YYYY-MM-DDTHH:MM:SS, not {_shown(value)}", where
        )
    if isinstance(value, list) and key in NAME_LISTS:
        for index, item in enumerate(value):
            if not isinstance(item, str):
                raise ContextError(
                    f"context key {key!r} must be a list of strings; item {index} is {_kind(item)}",
                    (*where, index),
                )
    elif isinstance(value, Mapping):  # existing.taxes: each name with its rate
        for name, rate in value.items():
            if isinstance(rate, bool) or as_number(rate) is None:
                raise ContextError(
                    f"context key {key!r} maps each name to its rate, a number; "
                    f"{_shown(name)} has {_kind(rate)}",
                    (*where, name),
                )


def _unknown(path: tuple[str, ...], key: str, level: Mapping[str, Any]) -> str:
    """The message for a key no rule reads, with the key it was probably meant to be."""
    dotted = ".".join((*path, key))
    shown = _shown(dotted)
    if key in KEYS:  # "account.trial" written as one key
        outer, _, inner = key.partition(".")
        return (
            f"unknown context key {shown} (context keys nest: write "
            f'{{"{outer}": {{"{inner}": ...}}}})'
        )
    guess = _closest(path, key, level)
    if guess is not None:
        return f"unknown context key {shown} (did you mean {guess!r}?)"
    return f"unknown context key {shown} (known here: {_listing(level)})"


def _closest(path: tuple[str, ...], key: str, level: Mapping[str, Any]) -> str | None:
    """The known key ``key`` was probably meant to be: a sibling spelt alike, else (at the top)
    a nested key of that name (``trial`` -> ``account.trial``)."""
    if len(key) > _MAX_KEY:
        return None
    import difflib  # only for a wrong key: not on every call

    folded = key.strip().casefold().replace("-", "_").replace(" ", "_")
    close = difflib.get_close_matches(folded, list(level), n=1, cutoff=0.6)
    if close:
        return ".".join((*path, close[0]))
    if not path:
        nested = [dotted for dotted in KEYS if dotted.rsplit(".", 1)[-1] == folded]
        if len(nested) == 1:
            return nested[0]
    return None


def _listing(level: Mapping[str, Any]) -> str:
    return ", ".join(sorted(level))


def _shown(value: Any) -> str:
    text = display(value)
    return repr(text if len(text) <= _MAX_KEY else text[:_MAX_KEY] + "...")


def _kind(value: Any) -> str:
    names = {str: "a string", bool: "a boolean", list: "a list", type(None): "null"}
    for kind, name in names.items():
        if isinstance(value, kind):
            return name
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, Mapping):
        return "a mapping"
    return type(value).__name__


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
