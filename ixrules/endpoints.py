"""Which endpoint a body is for: by name, or inferred from its root key."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .model import EndpointSpec, singular
from .values import display

#: Keys that a body's root value holds when it asks for a change of state.
_STATE_KEYS = frozenset({"state", "message"})


class BodyError(ValueError):
    """The body cannot be validated at all: not an object, or no (or more than one) root key
    that the endpoint knows. The message says what was expected."""


class EndpointError(ValueError):
    """No endpoint has that name; the message lists the closest names."""


def find(endpoints: Mapping[str, EndpointSpec], name: str) -> EndpointSpec:
    """The endpoint called ``name`` (``invoices.create``, ``clients.update``, ...)."""
    try:
        return endpoints[name]
    except (KeyError, TypeError):
        # display(), not str() or repr(): the name may be any object, even a 5,000-digit int
        shown = display(name)
        import difflib  # only for a wrong name: not on every start-up

        close = difflib.get_close_matches(shown, list(endpoints), n=3) if len(shown) < 100 else []
        hint = f"; did you mean {', '.join(close)}?" if close else "; see ixrules.endpoints()"
        raise EndpointError(f"unknown endpoint {shown!r}{hint}") from None


def root_index(endpoints: Mapping[str, EndpointSpec]) -> dict[str, list[EndpointSpec]]:
    """Each root key with the endpoints that take it, in rule-file order (``Rules`` builds it
    once; it is what inferring an endpoint looks the body's root key up in)."""
    by_root: dict[str, list[EndpointSpec]] = {}
    for endpoint in endpoints.values():
        for root in endpoint.roots:
            by_root.setdefault(root, []).append(endpoint)
    return by_root


def resolve(
    endpoints: Mapping[str, EndpointSpec],
    body: Any,
    name: str | None,
    by_root: Mapping[str, list[EndpointSpec]] | None = None,
) -> tuple[EndpointSpec, str | None]:
    """The endpoint and the root key to validate ``body`` with.

    With a name, the body must carry one of that endpoint's root keys. Without one, the root
    key decides: the family key (``invoice``, ``quote``, ``shipping``) or a singular document
    type (``invoice_receipt``, ``proforma``, ...) means that path's ``create``, or its
    ``change_state`` when the body holds only ``state`` and ``message``.
    """
    if not isinstance(body, Mapping):
        raise BodyError(f"the body must be a JSON object, not {_kind(body)}")
    if name is not None:
        endpoint = find(endpoints, name)
        if not endpoint.wrapped:
            return endpoint, None
        return endpoint, _root_for(body, endpoint.roots, f"endpoint {endpoint.name}")
    if by_root is None:
        by_root = root_index(endpoints)
    root = _root_for(body, by_root, "any endpoint")
    return _infer(by_root[root], root, body[root]), root


def _root_for(
    body: Mapping[str, Any], roots: tuple[str, ...] | Mapping[str, Any], what: str
) -> str:
    found = [key for key in body if isinstance(key, str) and key in roots]
    if len(found) == 1:
        return found[0]
    if found:
        raise BodyError(
            f"ambiguous body: root keys {', '.join(map(repr, found))} are all known to {what}"
        )
    names = list(roots)
    expected = ", ".join(repr(root) for root in names[:12]) + (", ..." if len(names) > 12 else "")
    keys = ", ".join(repr(display(key)[:100]) for key in list(body)[:5]) or "none"
    raise BodyError(f"no root key known to {what}: expected one of {expected}; got {keys}")


def _infer(candidates: list[EndpointSpec], root: str, value: Any) -> EndpointSpec:
    own = [e for e in candidates if singular(e.path) == root] or candidates
    wants_state = isinstance(value, Mapping) and "state" in value and set(value) <= _STATE_KEYS
    order = ("change_state",) if wants_state else ("create",)
    for action in order:
        for endpoint in own:
            if endpoint.action == action:
                return endpoint
    return own[0]


def _kind(value: Any) -> str:
    names = {list: "an array", str: "a string", bool: "a boolean", type(None): "null"}
    for kind, name in names.items():
        if isinstance(value, kind):
            return name
    if isinstance(value, (int, float)):
        return "a number"
    return type(value).__name__
