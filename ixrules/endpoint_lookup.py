"""Which endpoint a body is for: by name, or inferred from its root key."""

from __future__ import annotations

from collections.abc import Mapping

from .model import EndpointSpec, singular
from .records import Record, fill
from .values import absent, display

TYPE_CHECKING = False  # not typing's: importing typing is a cost of every start
if TYPE_CHECKING:
    from typing import Any

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


class RootIndex(Record):
    """What inferring an endpoint from a body's root key looks up, built once per rule set
    (``Rules`` holds one): nothing of it is rebuilt per call. A frozen record, not a
    ``NamedTuple``: typing compiles each field's annotation of one when it is defined (a
    millisecond of every start)."""

    FIELDS = ("by_root", "roots", "wrapped", "beside", "inferred")

    #: Each root key with the endpoints that take it, in rule-file order.
    by_root: dict[str, list[EndpointSpec]]
    #: Those root keys, in order.
    roots: tuple[str, ...]
    #: The endpoints whose bodies are wrapped in a root key.
    wrapped: list[EndpointSpec]
    #: Per root key: the keys its endpoints take beside it.
    beside: dict[str, frozenset[str]]
    #: Per root key and "the body holds only a state change": the endpoint it means.
    inferred: dict[tuple[str, bool], EndpointSpec]

    def __init__(
        self,
        by_root: dict[str, list[EndpointSpec]],
        roots: tuple[str, ...],
        wrapped: list[EndpointSpec],
        beside: dict[str, frozenset[str]],
        inferred: dict[tuple[str, bool], EndpointSpec],
    ) -> None:
        fill(self, by_root=by_root, roots=roots, wrapped=wrapped, beside=beside, inferred=inferred)


def root_index(endpoints: Mapping[str, EndpointSpec]) -> RootIndex:
    """The :class:`RootIndex` of ``endpoints``."""
    by_root: dict[str, list[EndpointSpec]] = {}
    for endpoint in endpoints.values():
        for root in endpoint.roots:
            by_root.setdefault(root, []).append(endpoint)
    return RootIndex(
        by_root=by_root,
        roots=tuple(by_root),
        wrapped=[e for e in endpoints.values() if e.wrapped],
        beside={
            root: frozenset(key for e in found for key in e.siblings)
            for root, found in by_root.items()
        },
        inferred={
            (root, state): _infer(found, root, state)
            for root, found in by_root.items()
            for state in (False, True)
        },
    )


def resolve(
    endpoints: Mapping[str, EndpointSpec],
    body: Any,
    name: str | None,
    index: RootIndex | None = None,
) -> tuple[EndpointSpec, str | None]:
    """The endpoint and the root key to validate ``body`` with.

    A root key whose value is null is absent (clients send ``{"invoice": null,
    "invoice_receipt": {...}}``). With a name, the body must carry one of that endpoint's root
    keys. Without one, the root key decides: the family key (``invoice``, ``quote``,
    ``shipping``) or a singular document type (``invoice_receipt``, ``proforma``, ...) means
    that path's ``create``, or its ``change_state`` when the body holds only ``state`` and
    ``message``. A body whose top level holds field names (``date``, ``items``) is not wrapped
    in its root key, so no endpoint is inferred from it: the error names the key to wrap it in.
    """
    if not isinstance(body, Mapping):
        raise BodyError(f"the body must be a JSON object, not {_kind(body)}")
    if name is not None:
        endpoint = find(endpoints, name)
        if not endpoint.wrapped:
            return endpoint, None
        return endpoint, _root_for(body, endpoint.roots, f"endpoint {endpoint.name}", [endpoint])
    if index is None:
        index = root_index(endpoints)
    by_root, wrapped = index.by_root, index.wrapped
    if len(body) == 1:  # the usual body: one root key, nothing beside it to look at
        ((root, value),) = body.items()
        if type(root) is str and root in by_root:
            return index.inferred[root, _wants_state(value)], root
    root = _root_for(body, index.roots, "any endpoint", wrapped)
    beside = index.beside[root]
    loose = [
        key
        for key in body
        if key != root and key not in beside and not (key in by_root and absent(body[key]))
    ]
    if loose and _wrap_in(loose, wrapped):
        raise BodyError(_unwrapped(body, wrapped))
    return index.inferred[root, _wants_state(body[root])], root


def _wants_state(value: Any) -> bool:
    """A root value holding only ``state`` (and ``message``): a ``change_state`` body."""
    return isinstance(value, Mapping) and "state" in value and set(value) <= _STATE_KEYS


#: Root keys people write for another one: the API's families of estimates and guides, which
#: its own paths and docs call estimates and guides.
#: Portuguese names of a document type seen as root keys (``fatura_recibo``: an integrator's
#: first attempt, issue 22).
ALIASES = {"estimate": "quote", "guide": "shipping", "fatura_recibo": "invoice_receipt"}


def _root_for(
    body: Mapping[str, Any], roots: tuple[str, ...], what: str, candidates: list[EndpointSpec]
) -> str:
    found = [key for key in body if isinstance(key, str) and key in roots]
    present = [key for key in found if not absent(body[key])] or found
    if len(present) == 1:
        return present[0]
    if present:
        raise BodyError(
            f"ambiguous body: root keys {', '.join(map(repr, present))} are all known to {what}"
        )
    if _wrap_in(list(body), candidates):
        raise BodyError(_unwrapped(body, candidates))
    expected = ", ".join(repr(root) for root in roots[:12]) + (", ..." if len(roots) > 12 else "")
    keys = ", ".join(repr(display(key)[:100]) for key in list(body)[:5]) or "none"
    hint = next((h for key in body if (h := closest_root(key, roots)) is not None), None)
    mean = f"; did you mean {hint!r}?" if hint else ""
    raise BodyError(f"no root key known to {what}: expected one of {expected}; got {keys}{mean}")


def closest_root(key: Any, roots: tuple[str, ...]) -> str | None:
    """The root key ``key`` was probably meant to be: the same without case (``Invoice``), its
    singular (``invoices``), a known alias (``estimate`` -> ``quote``), else the nearest
    spelling (``invoce``)."""
    if not isinstance(key, str) or len(key) > 64:
        return None
    folded = key.strip().casefold().replace("-", "_").replace(" ", "_")
    for guess in (folded, singular(folded), ALIASES.get(folded), ALIASES.get(singular(folded))):
        if guess in roots:
            return guess
    import difflib  # only for a wrong root key: not on every start-up

    close = difflib.get_close_matches(folded, roots, n=1, cutoff=0.8)
    return close[0] if close else None


def root_repair(
    endpoints: Mapping[str, EndpointSpec], body: Any, name: str | None, index: RootIndex
) -> tuple[str, str] | None:
    """How a body with no root key the endpoint (or any endpoint) knows would get one:
    ``("wrap", root)`` when its top level holds the fields of exactly one family's body,
    ``("move", key)`` when exactly one of its keys is a wrong spelling or an alias of a root key
    (``fatura_recibo``, ``invoices``), else None (nothing certain enough to propose)."""
    if not isinstance(body, Mapping) or not body:
        return None
    candidates = [find(endpoints, name)] if name is not None else index.wrapped
    roots = tuple(root for endpoint in candidates for root in endpoint.roots)
    if not roots or any(isinstance(key, str) and key in roots for key in body):
        return None
    wrap = _wrap_in(list(body), candidates)
    if len(wrap) == 1:
        return "wrap", wrap[0]
    if wrap:
        return None
    renames = [key for key in body if closest_root(key, roots) is not None]
    return ("move", renames[0]) if len(renames) == 1 else None


def _wrap_in(keys: list[Any], candidates: list[EndpointSpec]) -> list[str]:
    """The family root keys of the endpoints whose bodies have the most of ``keys`` as fields,
    in rule-file order (none when no key is a field): what to wrap an unwrapped body in."""
    best, roots = 0, dict[str, None]()
    for endpoint in candidates:
        fields = endpoint.body.fields or {}
        score = sum(1 for key in keys if isinstance(key, str) and key in fields)
        if score and score >= best:
            if score > best:
                best, roots = score, {}
            roots[endpoint.roots[0]] = None
    return list(roots)


def _unwrapped(body: Mapping[str, Any], candidates: list[EndpointSpec]) -> str:
    roots = _wrap_in(list(body), candidates)
    fields = {
        key for e in candidates if e.roots and e.roots[0] in roots for key in e.body.fields or {}
    }
    keys = [repr(key) for key in body if isinstance(key, str) and key in fields][:5]
    one = len(keys) == 1
    what = (
        f"{keys[0]} is a field, not a root key"
        if one
        else f"{', '.join(keys)} are fields, not root keys"
    )
    where = " or ".join(
        [", ".join(map(repr, roots[:-1])), repr(roots[-1])] if roots[1:] else [repr(roots[0])]
    )
    return (
        f"the body is not wrapped in its root key: {what}; wrap {'it' if one else 'them'} in "
        f'{where}, as in {{"{roots[0]}": {{...}}}}'
    )


def _infer(candidates: list[EndpointSpec], root: str, wants_state: bool) -> EndpointSpec:
    own = [e for e in candidates if singular(e.path) == root] or candidates
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
