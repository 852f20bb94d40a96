"""Whole requests: a method, a URL, headers and a body, answered with the status the API would
give and, for 422 and 406, its messages.

The routes come from the rule files (each endpoint's ``route``), so a route the rules do not
list is one the API does not have. The checks run in the order the API decides: the API key
(401), the route (404), the content type of a sent body (422), then the body's rules (406 for a
change of state the document's status does not allow, 422 for the rest).

>>> url = "https://acme.app.invoicexpress.com/clients.json?api_key=secret"
>>> report = check_request("POST", url, headers={"Content-Type": "application/json"},
...     body={"client": {"name": "Acme", "send_options": "4"}})
>>> report.endpoint, report.status, report.messages
('clients.create', 422, ['Send options must be within 1 and 3'])
>>> check_request("GET", "https://acme.app.invoicexpress.com/clients/42.json").status
401
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from .api import Rules, default_rules
from .checks import is_json_content_type
from .context import ContextError
from .endpoint_lookup import BodyError, EndpointError
from .jsontext import LongInteger, loads
from .messages import render
from .model import EndpointSpec, RuleSet
from .report import Issue, Report
from .values import Unreadable, plain

#: The API's answer to a missing or wrong key (a recorded 401 body).
API_KEY_MESSAGE = "Invalid API key"
#: What a 404 means (the API answers it with an empty body).
NOT_FOUND_MESSAGE = "The requested resource does not exist."
#: The rule that holds the content-type message, in rules/email.yaml.
CONTENT_TYPE_RULE = "request.content_type.json"
#: Ids in routes are numeric.
_ID = "[0-9]+"
#: The warning on a route real integrations use whose answer no source records.
UNRECORDED_RULE = "request.route.unrecorded"
#: Routes real integrations use that the documented table does not list, and whose answer no
#: source records (reference observed.md §5): each pattern with the documented route's method
#: and a rewrite of the path to it. Such a request is checked as the documented route's, with a
#: warning that the API's answer is not recorded, never a confident 404.
_POST_FOR_PUT = re.compile(r"(/[a-z_]+/[0-9]+/(?:change-state|email-document)\.json)")
_POST_ACCOUNT_UPDATE = re.compile(r"(/api/accounts/[0-9]+/update\.json)")
_SINGULAR_CHANGE_STATE = re.compile(r"/([a-z_]+[^s/])(/[0-9]+/change-state\.json)")
UNRECORDED_ROUTES: tuple[tuple[str, re.Pattern[str], str, str], ...] = (
    # POST .../change-state.json (hivesolutions), POST .../email-document.json
    ("POST", _POST_FOR_PUT, "PUT", r"\1"),
    ("POST", _POST_ACCOUNT_UPDATE, "PUT", r"\1"),
    # PUT invoice/{id}/change-state.json, the singular path (ripe-tech)
    ("PUT", _SINGULAR_CHANGE_STATE, "PUT", r"/\1s\2"),
)


@dataclass(frozen=True)
class Route:
    """One route of the API: its method, its path pattern, and the endpoint it serves."""

    method: str
    pattern: re.Pattern[str]
    endpoint: EndpointSpec


def route_table(ruleset: RuleSet) -> tuple[Route, ...]:
    """Every endpoint's route, ``{id}`` standing for a numeric id.

    >>> routes = route_table(default_rules().ruleset)
    >>> find_route(routes, "PUT", "/quotes/7/change-state.json").name
    'quotes.change_state'
    >>> find_route(routes, "PUT", "/quotes/seven/change-state.json") is None
    True
    """
    out = []
    for spec in ruleset.endpoints.values():
        regex = _ID.join(re.escape(part) for part in spec.route.split("{id}"))
        out.append(Route(spec.method, re.compile(regex), spec))
    return tuple(out)


def find_route(routes: tuple[Route, ...], method: str, path: str) -> EndpointSpec | None:
    """The endpoint serving ``method`` on ``path``, or None when the API has no such route."""
    for route in routes:
        if route.method == method and route.pattern.fullmatch(path):
            return route.endpoint
    return None


def unrecorded_route(
    routes: tuple[Route, ...], method: str, path: str
) -> tuple[EndpointSpec, str] | None:
    """For a route integrations use whose answer is not recorded (:data:`UNRECORDED_ROUTES`):
    the documented endpoint it stands for and the warning to give, else None.

    >>> spec, warning = unrecorded_route(routes(default_rules()), "POST",
    ...     "/invoices/7/change-state.json")
    >>> spec.name
    'invoices.change_state'
    """
    for used, pattern, documented, rewrite in UNRECORDED_ROUTES:
        match = pattern.fullmatch(path) if method == used else None
        spec = find_route(routes, documented, match.expand(rewrite)) if match else None
        if spec is not None:
            warning = (
                f"The API's answer to {method} {path} is not recorded; checked as "
                f"{spec.method} {spec.route}, the documented route"
            )
            return spec, warning
    return None


@lru_cache(maxsize=8)
def routes(rules: Rules) -> tuple[Route, ...]:
    """The routes of ``rules``' endpoints, built on first use and kept while the rule set is
    among the last few asked for (a rule set never changes, so its routes never do).

    >>> find_route(routes(default_rules()), "POST", "/clients.json").name
    'clients.create'
    """
    return route_table(rules.ruleset)


def check_request(
    method: str,
    url: str,
    *,
    headers: Mapping[str, str] | None = None,
    body: Any = None,
    context: Mapping[str, Any] | None = None,
    rules: Rules | None = None,
    locale: str | None = None,
) -> Report:
    """Predict the API's answer to a whole request, without sending it.

    ``url`` is a full URL (``https://<account>.app.invoicexpress.com/invoices.json?api_key=...``)
    or its path and query. ``body`` is the JSON body, parsed (a dict) or as text; None when no
    body is sent. For the SAF-T export (and the other routes without a body) the query
    parameters are the parameters validated. ``context`` is as for ``validate``; ``rules``
    is the rule set to use (default: the shipped rules; e.g. ``Rules.from_config()``);
    ``locale`` the language of the messages, as for ``validate`` (an account's language).

    The report's ``endpoint`` is None for a route the API does not have (404).

    >>> base = "https://acme.app.invoicexpress.com"
    >>> report = check_request("GET", base + "/api/export_saft.json?api_key=k&year=2024")
    >>> report.endpoint, report.status, report.to_api()
    ('saft.export', 422, {'message': 'You need to send the month in the request body.'})
    >>> check_request("GET", base + "/invoices/42/pdf.json?api_key=k").status
    404
    >>> check_request("PUT", base + "/invoices/42/email-document.json?api_key=k",
    ...     body={"message": {"client": {"email": "a@example.com"}}}).messages
    ['No content type or wrongly specified']
    """
    rules = default_rules() if rules is None else rules
    return _check(rules, routes(rules), method, url, headers, body, context, locale)


def _check(
    rules: Rules,
    routes: tuple[Route, ...],
    method: str,
    url: str,
    headers: Mapping[str, str] | None,
    body: Any,
    context: Mapping[str, Any] | None,
    locale: str | None = None,
) -> Report:
    if not isinstance(method, str) or not isinstance(url, str):
        raise EndpointError("method and url must be strings")
    method, url = str.__str__(method), str.__str__(url)  # a caller's subclass: its characters
    try:
        context = plain(context)
    except Unreadable as exc:
        raise ContextError(f"the context {exc}") from None
    path, query = split_url(url)
    issues: list[Issue] = []
    if not query.get("api_key", "").strip():
        issues.append(Issue(API_KEY_MESSAGE, "", "request.api_key", 401))
    method = method.strip().upper()
    spec = find_route(routes, method, path)
    if spec is None:
        near = unrecorded_route(routes, method, path)
        if near is None:
            issues.append(Issue(NOT_FOUND_MESSAGE, "", "request.route", 404))
            return Report(endpoint=None, issues=issues)
        spec = near[0]
        issues.append(Issue(near[1], "", UNRECORDED_RULE, severity="warning"))
    content_type = _header(headers, "content-type")
    if body is not None and not is_json_content_type(content_type):
        rule = rules.ruleset.rules[CONTENT_TYPE_RULE]
        issues.append(Issue(render(rule, None, locale), "", rule.id, rule.status))
        return _report(spec, issues, [])
    payload = _parse(body)
    if not spec.wrapped:
        if payload is not None and not isinstance(payload, Mapping):
            raise BodyError(f"the body of {spec.name} must be a JSON object")
        extra = {key: value for key, value in query.items() if key != "api_key"}
        payload = {**(payload or {}), **extra}
    elif payload is None:
        payload = {spec.roots[0]: {}}
    if body is not None and (context is None or isinstance(context, Mapping)):
        context = _with_content_type(context, content_type)
    report = rules.validate(payload, spec.name, context=context, locale=locale)
    return _report(spec, issues + report.issues, report.skipped)


def split_url(url: str) -> tuple[str, dict[str, str]]:
    """The decoded path and the query parameters (the last of a repeated one wins, as in
    Rails) of a full URL or of a path; :class:`ixrules.EndpointError` for what is neither.

    >>> split_url("https://acme.app.invoicexpress.com/clients/4%32.json?api_key=k&page=2")
    ('/clients/42.json', {'api_key': 'k', 'page': '2'})
    """
    try:
        parts = urlsplit(url.strip())
        query = dict(parse_qsl(parts.query, keep_blank_values=True))
    except ValueError as exc:  # e.g. an unclosed IPv6 bracket in the host
        raise EndpointError(f"not a URL: {exc}") from None
    if not parts.path.startswith("/"):
        raise EndpointError(f"not a URL or a path starting with '/': {url[:200]!r}")
    return unquote(parts.path), query


def _header(headers: Mapping[str, str] | None, name: str) -> str | None:
    """A header's value, its name compared without case."""
    if headers is None:
        return None
    if not isinstance(headers, Mapping):
        raise BodyError("the request's headers must be a mapping of names to values")
    try:
        pairs = list(plain(headers).items())
    except Unreadable as exc:
        raise BodyError(f"the request's headers {exc}") from None
    for key, value in pairs:
        if isinstance(key, str) and key.strip().casefold() == name:
            return value if isinstance(value, str) else None
    return None


def _parse(body: Any) -> Any:
    """A body given as JSON text, parsed; a parsed body as it is."""
    if isinstance(body, (bytes, bytearray)):
        try:
            body = bytes(memoryview(body)).decode("utf-8")  # no method of a subclass runs
        except UnicodeDecodeError as exc:
            raise BodyError(f"the body is not UTF-8: {exc}") from None
    if isinstance(body, str):
        try:
            return loads(str.__str__(body))  # NaN and Infinity refused, as the lint does
        except RecursionError:
            raise BodyError("the body is nested too deeply to read") from None
        except LongInteger as exc:
            raise BodyError(f"the body cannot be read: {exc}") from None
        except ValueError as exc:
            raise BodyError(f"the body is not valid JSON: {exc}") from None
    try:
        return plain(body)
    except Unreadable as exc:
        raise BodyError(f"the body {exc}") from None


def _with_content_type(context: Mapping[str, Any] | None, content_type: str | None) -> Any:
    """The caller's context with the request's content type added (a new dict: the caller's
    is never changed)."""
    out = dict(context or {})
    request = out.get("request")
    out["request"] = {
        **(request if isinstance(request, Mapping) else {}),
        "content_type": (content_type or ""),
    }
    return out


def _report(spec: EndpointSpec, issues: list[Issue], skipped: list[str]) -> Report:
    report = Report(
        endpoint=spec.name,
        issues=issues,
        skipped=skipped,
        success_status=spec.success_status,
        error_shape=spec.error_shape,
    )
    if report.status in (401, 404):
        # Refused before the endpoint's own code runs, so in the API's usual error shape.
        report = report.replace(error_shape="errors")
    return report
