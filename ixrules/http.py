"""A pre-flight for the HTTP clients apps call the API with: every request to an InvoiceXpress
host is checked by :func:`ixrules.check_request` before it leaves, and one the API would refuse
is not sent.

:func:`preflight` wires the check into an ``httpx.Client`` or ``httpx.AsyncClient`` (a request
event hook) or a ``requests.Session`` (a :class:`PreflightAdapter` around each mounted
adapter) and gives the same object back, so it can wrap the line that makes the client:

    client = preflight(httpx.Client(base_url="https://acme.app.invoicexpress.com"))

Neither httpx nor requests is imported here until a client of theirs is given (install the
extra, ``ixrules[httpx]`` or ``ixrules[requests]``, that your app uses).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from .api import Rules
    from .report import Report

#: What :func:`preflight` does with a request the API would refuse: raise
#: :class:`PreflightError` without sending it, or log a warning and send it all the same.
Mode = Literal["raise", "warn"]
MODES: tuple[Mode, ...] = ("raise", "warn")

#: The context given to :func:`preflight`: a snapshot, or a function giving a fresh one for
#: each request (the account's state and ``now`` change while a client lives).
ContextSource = Mapping[str, Any] | Callable[[], Mapping[str, Any] | None] | None

#: Where the warnings of ``mode="warn"`` go.
logger = logging.getLogger("ixrules.http")

Client = TypeVar("Client")


class PreflightError(ValueError):
    """A request was not sent because the API would refuse it. ``report`` is the prediction
    (its status, the API's messages, the fields), ``method`` and ``url`` the request (the URL
    without its query, so the API key is never in a message or a log).

    >>> from ixrules.report import Issue, Report
    >>> report = Report("clients.create", [Issue("Name is a required field", "/client/name",
    ...                                          "client.name.present")])
    >>> print(PreflightError(report, "POST", "https://acme.app.invoicexpress.com/clients.json"))
    POST https://acme.app.invoicexpress.com/clients.json would be refused with 422: Name is a
    required field
    """

    def __init__(self, report: Report, method: str, url: str) -> None:
        self.report = report
        self.method = method
        self.url = url
        messages = "; ".join(report.messages)
        super().__init__(f"{method} {url} would be refused with {report.status}: {messages}")


def is_invoicexpress_url(url: str) -> bool:
    """True for a URL on InvoiceXpress' API hosts (``<account>.app.invoicexpress.com`` and the
    other names under ``invoicexpress.com``); other hosts are never checked.

    >>> is_invoicexpress_url("https://acme.app.invoicexpress.com/invoices.json?api_key=k")
    True
    >>> is_invoicexpress_url("https://invoicexpress.com.example.org/invoices.json")
    False
    """
    host = (urlsplit(url).hostname or "").rstrip(".").lower()
    return host == "invoicexpress.com" or host.endswith(".invoicexpress.com")


def preflight(
    client: Client,
    *,
    context: ContextSource = None,
    mode: Mode = "raise",
    rules: Rules | None = None,
    fix: bool = False,
) -> Client:
    """Check every request ``client`` makes to an InvoiceXpress host before it is sent, and give
    ``client`` back.

    ``client`` is an ``httpx.Client``, an ``httpx.AsyncClient`` or a ``requests.Session``.
    ``context`` is what :func:`ixrules.check_request` takes (the document's status, the
    account's names, ``now``...), as a mapping or as a function called for each request.
    With ``mode="raise"`` a request the API would refuse raises :class:`PreflightError` and is
    not sent; with ``mode="warn"`` the prediction is logged (logger ``ixrules.http``) and the
    request goes. A body the rules cannot place (not JSON, no root key the endpoint knows) is
    logged and sent: the pre-flight never refuses without a prediction. Calling it again on
    the same client replaces the earlier check. For a ``requests.Session``, the adapters
    mounted when it is called are the ones checked. ``rules`` is the rule set to check with
    (default: the shipped rules; ``Rules.from_config()`` for a project's packs).

    With ``fix=True`` (opt-in) the safe fixes (:func:`ixrules.fix`: ``"PT"`` -> ``"Portugal"``,
    ``1`` -> ``"1"`` for a flag, ...) are applied to a JSON body before it is checked and sent,
    each one logged (logger ``ixrules.http``); the body is then sent as compact UTF-8 JSON.
    """
    if mode not in MODES:
        raise ValueError(f"mode must be one of {', '.join(MODES)}, not {mode!r}")
    if context is not None and not (isinstance(context, Mapping) or callable(context)):
        raise TypeError("context must be a mapping, a function returning one, or None")
    check = _Check(context, mode, rules, fix)
    module = type(client).__module__.split(".", 1)[0]
    if module == "httpx":
        _wire_httpx(client, check)
        return client
    if module == "requests":
        _wire_requests(client, check)
        return client
    raise TypeError(
        "preflight takes an httpx.Client, an httpx.AsyncClient or a requests.Session, "
        f"not {type(client).__name__}"
    )


class _Check:
    """The check one client runs on each request: immutable, shared by its threads."""

    def __init__(
        self, context: ContextSource, mode: Mode, rules: Rules | None = None, fix: bool = False
    ) -> None:
        self._context = context
        self._mode = mode
        self._rules = rules
        self._fix = fix

    def __call__(
        self, method: str, url: str, headers: Mapping[str, str], body: bytes | str | None
    ) -> bytes | None:
        """Check one request; with ``fix``, the fixed body to send instead (None: unchanged)."""
        if not is_invoicexpress_url(url):
            return None
        from .endpoint_lookup import BodyError
        from .requests import check_request

        where = urlsplit(url)._replace(query="", fragment="").geturl()
        context = self._context() if callable(self._context) else self._context
        try:
            report = check_request(
                method, url, headers=headers, body=body or None, context=context, rules=self._rules
            )
        except BodyError as exc:
            logger.warning("%s %s not checked: %s", method, where, exc)
            return None
        fixed = None
        if self._fix and report.endpoint is not None and _has_safe_fix(report):
            fixed, report = _fixed(body, report, context, self._rules, f"{method} {where}")
        if report.ok:
            return fixed
        error = PreflightError(report, method, where)
        if self._mode == "raise":
            raise error
        logger.warning("%s", error)
        return fixed


def _has_safe_fix(report: Report) -> bool:
    return any(i.fix is not None and i.fix.applicability == "safe" for i in report.issues)


def _fixed(
    body: bytes | str | None,
    report: Report,
    context: Mapping[str, Any] | None,
    rules: Rules | None,
    where: str,
) -> tuple[bytes | None, Report]:
    """The body with its safe fixes, as the bytes to send, and its report; (None, ``report``)
    when the body is no JSON object or nothing changed."""
    import json

    from .fixes.engine import fix

    try:
        parsed = json.loads(body) if body else None
    except ValueError:
        return None, report
    if not isinstance(parsed, dict):
        return None, report
    result = fix(parsed, report.endpoint, context=context, rules=rules)
    if not result.fixes:
        return None, report
    for edit in result.fixes:
        logger.info(
            "%s: fixed %s: %r -> %r (%s)", where, edit.path, edit.before, edit.after, edit.rule
        )
    return json.dumps(result.body, ensure_ascii=False).encode("utf-8"), result.report


# --- httpx ----------------------------------------------------------------------------------


def _wire_httpx(client: Any, check: _Check) -> None:
    import httpx

    if isinstance(client, httpx.AsyncClient):

        async def hook(request: httpx.Request) -> None:
            body = await request.aread()
            _replace_httpx(request, check(request.method, str(request.url), request.headers, body))

    elif isinstance(client, httpx.Client):

        def hook(request: httpx.Request) -> None:  # type: ignore[misc]
            _replace_httpx(
                request, check(request.method, str(request.url), request.headers, request.read())
            )

    else:
        raise TypeError(f"preflight takes an httpx.Client or AsyncClient, not {type(client)}")
    hook.ixrules_preflight = True  # type: ignore[attr-defined]
    hooks = client.event_hooks
    hooks["request"] = [
        h for h in hooks["request"] if not getattr(h, "ixrules_preflight", False)
    ] + [hook]
    client.event_hooks = hooks


def _replace_httpx(request: Any, body: bytes | None) -> None:
    """Send ``body`` (a fixed body) in place of the request's own."""
    if body is None:
        return
    import httpx

    request.stream = httpx.ByteStream(body)
    request._content = body  # what request.content (and a MockTransport) reads
    request.headers["Content-Length"] = str(len(body))


# --- requests -------------------------------------------------------------------------------


class PreflightAdapter:
    """A requests transport adapter that runs the pre-flight, then hands the request to the
    adapter it wraps (the one that was mounted for that prefix: HTTPAdapter, or a test's)."""

    def __init__(self, inner: Any, check: Callable[..., bytes | None]) -> None:
        self.inner = inner
        self._check = check

    def send(self, request: Any, **kwargs: Any) -> Any:
        """Check the prepared request, then send it with the wrapped adapter."""
        body = request.body
        if body is not None and not isinstance(body, (bytes, str)):  # a stream or a file
            logger.warning("%s %s not checked: a streamed body", request.method, request.url)
        else:
            fixed = self._check(request.method, request.url, request.headers, body)
            if fixed is not None:
                request.body = fixed
                request.headers["Content-Length"] = str(len(fixed))
        return self.inner.send(request, **kwargs)

    def close(self) -> None:
        """Close the wrapped adapter (``Session.close`` closes every mounted adapter)."""
        self.inner.close()


def _wire_requests(session: Any, check: _Check) -> None:
    import requests

    if not isinstance(session, requests.Session):
        raise TypeError(f"preflight takes a requests.Session, not {type(session)}")
    for prefix, adapter in list(session.adapters.items()):
        inner = adapter.inner if isinstance(adapter, PreflightAdapter) else adapter
        session.mount(prefix, cast(Any, PreflightAdapter(inner, check)))
