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

    The host is looked at first: a request to another host is passed on untouched, its body
    never read. A streamed body (a generator, a file object) is never read either, whatever
    the host: it is logged as not checked and sent. With an ``httpx.AsyncClient`` the check
    (and a ``context`` function) runs in a worker thread (``asyncio.to_thread``), so the event
    loop goes on serving other requests meanwhile.
    """
    if mode not in MODES:
        raise ValueError(f"mode must be one of {', '.join(MODES)}, not {mode!r}")
    if context is not None and not (isinstance(context, Mapping) or callable(context)):
        raise TypeError("context must be a mapping, a function returning one, or None")
    if isinstance(context, Mapping):
        from .context import check_context

        check_context(context)  # a misspelt key fails here, not on the first request
    check = _Check(context, mode, rules)
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

    def __init__(self, context: ContextSource, mode: Mode, rules: Rules | None = None) -> None:
        self._context = context
        self._mode = mode
        self._rules = rules

    def __call__(
        self, method: str, url: str, headers: Mapping[str, str], body: bytes | str | None
    ) -> None:
        if not is_invoicexpress_url(url):
            return
        from .endpoint_lookup import BodyError
        from .requests import check_request

        where = _where(url)
        context = self._context() if callable(self._context) else self._context
        try:
            report = check_request(
                method, url, headers=headers, body=body or None, context=context, rules=self._rules
            )
        except BodyError as exc:
            logger.warning("%s %s not checked: %s", method, where, exc)
            return
        if report.ok:
            return
        error = PreflightError(report, method, where)
        if self._mode == "raise":
            raise error
        logger.warning("%s", error)


# --- httpx ----------------------------------------------------------------------------------


def _wire_httpx(client: Any, check: _Check) -> None:
    import httpx

    if isinstance(client, httpx.AsyncClient):
        import asyncio

        async def hook(request: httpx.Request) -> None:
            arguments = _httpx_arguments(request)
            if arguments is not None:  # the check runs off the event loop
                await asyncio.to_thread(check, *arguments)

    elif isinstance(client, httpx.Client):

        def hook(request: httpx.Request) -> None:  # type: ignore[misc]
            arguments = _httpx_arguments(request)
            if arguments is not None:
                check(*arguments)

    else:
        raise TypeError(f"preflight takes an httpx.Client or AsyncClient, not {type(client)}")
    hook.ixrules_preflight = True  # type: ignore[attr-defined]
    hooks = client.event_hooks
    hooks["request"] = [
        h for h in hooks["request"] if not getattr(h, "ixrules_preflight", False)
    ] + [hook]
    client.event_hooks = hooks


def _httpx_arguments(request: Any) -> tuple[str, str, Any, bytes] | None:
    """What the check of an httpx request is given, or None when it is not checked: a request
    to another host, whose body is never looked at, and a streamed body (a generator, a file),
    which is never read (it may be any size, and reading it would hold it all in memory)."""
    import httpx

    url = str(request.url)
    if not is_invoicexpress_url(url):
        return None
    if not isinstance(request.stream, httpx.ByteStream):  # bytes, text, json=, data= are
        logger.warning("%s %s not checked: a streamed body", request.method, _where(url))
        return None
    return request.method, url, request.headers, request.content


def _where(url: str) -> str:
    """The URL as messages show it: without its query (the API key is there)."""
    return urlsplit(url)._replace(query="", fragment="").geturl()


# --- requests -------------------------------------------------------------------------------


class PreflightAdapter:
    """A requests transport adapter that runs the pre-flight, then hands the request to the
    adapter it wraps (the one that was mounted for that prefix: HTTPAdapter, or a test's)."""

    def __init__(self, inner: Any, check: Callable[..., None]) -> None:
        self.inner = inner
        self._check = check

    def send(self, request: Any, **kwargs: Any) -> Any:
        """Check the prepared request, then send it with the wrapped adapter."""
        body = request.body
        if not is_invoicexpress_url(request.url):
            pass  # another host: its body is not looked at
        elif body is not None and not isinstance(body, (bytes, str)):  # a stream or a file
            where = _where(request.url)
            logger.warning("%s %s not checked: a streamed body", request.method, where)
        else:
            self._check(request.method, request.url, request.headers, body)
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
