"""The mock's one door into ixrules: the routes, the prediction, and the fields a body keeps.

Every use of an ixrules name that is not exported by ``ixrules/__init__.py`` is in this module
(the route table, the rule set's endpoint specs, the rendering of messages in a language), so
that a change of those internals is fixed here and nowhere else in :mod:`ixrules.mock`.

The prediction is :func:`ixrules.check_request` itself: the mock answers what it answers.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

import ixrules
from ixrules import BodyError, ContextError, EndpointError, Report

if TYPE_CHECKING:
    from ixrules.model import FieldSpec

#: Ids in routes are numeric; longer ones than this are no id the mock can have.
MAX_ID_DIGITS = 18


class Unreadable(Exception):
    """The request cannot be read as the endpoint's body (not JSON, not an object, no root
    key): ``check_request`` raises rather than predicts, so the mock answers on its own."""


@dataclass(frozen=True)
class Endpoint:
    """One route of the API as the mock serves it."""

    name: str  # invoices.create
    path: str  # invoices: the resource the route belongs to
    action: str  # create
    method: str
    route: str  # /invoices/{id}.json
    roots: tuple[str, ...]  # the body's root keys (empty: parameters unwrapped)
    success_status: int
    pattern: re.Pattern[str]  # the route, each id a group

    def ids(self, path: str) -> tuple[int, ...] | None:
        """The ids in ``path`` when it is this route's, else None. An id too long to be one
        the mock has is -1 (answered 404)."""
        match = self.pattern.fullmatch(path)
        if match is None:
            return None
        return tuple(int(g) if len(g) <= MAX_ID_DIGITS else -1 for g in match.groups())


@lru_cache(maxsize=1)
def endpoints() -> tuple[Endpoint, ...]:
    """Every route of the shipped rules' route table."""
    from ixrules.api import default_rules
    from ixrules.requests import route_table

    out = []
    for route in route_table(default_rules().ruleset):
        spec = route.endpoint
        regex = "([0-9]+)".join(re.escape(part) for part in spec.route.split("{id}"))
        out.append(
            Endpoint(
                name=spec.name,
                path=spec.path,
                action=spec.action,
                method=spec.method,
                route=spec.route,
                roots=tuple(spec.roots),
                success_status=spec.success_status,
                pattern=re.compile(regex),
            )
        )
    return tuple(out)


def find(method: str, url: str) -> tuple[Endpoint, tuple[int, ...]] | None:
    """The endpoint serving ``method`` on ``url``'s path (read as ``check_request`` reads it),
    with the ids in the path; None when the API has no such route."""
    try:
        path = unquote(urlsplit(url).path)
    except ValueError:
        return None
    method = method.strip().upper()
    for endpoint in endpoints():
        if endpoint.method == method:
            ids = endpoint.ids(path)
            if ids is not None:
                return endpoint, ids
    return None


def predict(
    method: str,
    url: str,
    *,
    headers: Mapping[str, str],
    body: Any,
    context: Mapping[str, Any],
    language: str | None = None,
) -> Report:
    """``ixrules.check_request``'s answer, its messages in ``language`` (``pt``, ``es``;
    English when None). Raises :class:`Unreadable` where it raises instead of predicting."""
    try:
        return ixrules.check_request(
            method, url, headers=headers, body=body, context=context, locale=language
        )
    except (BodyError, EndpointError, ContextError) as exc:
        raise Unreadable(str(exc)) from None


def translate(message: str, language: str | None) -> str:
    """One of the rules' English messages (without a value) in ``language``."""
    from ixrules.messages import translate as _translate

    return _translate(message, language)


def kept(endpoint: str, value: Any) -> Any:
    """``value`` (the body under the endpoint's root key) without the keys the API drops: those
    the endpoint's spec does not declare, at any depth (objects it leaves open keep all)."""
    from ixrules.api import default_rules

    spec = default_rules().ruleset.endpoints[endpoint].body
    return _kept(spec, value)


def _kept(spec: FieldSpec, value: Any) -> Any:
    if isinstance(value, Mapping):
        if spec.fields is None or spec.open:
            return dict(value)
        return {
            key: _kept(spec.fields[key], item) for key, item in value.items() if key in spec.fields
        }
    if isinstance(value, list) and spec.each is not None:
        each = spec.each
        return [_kept(each, item) for item in value]
    return value


def display(value: Any) -> str:
    """A value as the rules write it in a message and compare it with a name of the context
    (``12`` is "12"), so a name the mock stores is the one the prediction compared."""
    from ixrules.values import display as _display

    return _display(value)


def json_content_type(header: str | None) -> bool:
    """True for a ``Content-Type`` the API reads a JSON body with."""
    from ixrules.checks import is_json_content_type

    return bool(is_json_content_type(header))
