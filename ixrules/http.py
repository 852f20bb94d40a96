"""A pre-flight for the HTTP clients apps call the API with: every request to an InvoiceXpress
host (or to the hosts given: a mock's, a proxy's) is checked by :func:`ixrules.check_request`
before it leaves, and one the API would refuse is not sent.

:func:`preflight` wires the check into an ``httpx.Client`` or ``httpx.AsyncClient`` (a request
event hook) or a ``requests.Session`` (a :class:`PreflightAdapter` around each mounted
adapter) and gives the same object back, so it can wrap the line that makes the client:

    client = preflight(httpx.Client(base_url="https://acme.app.invoicexpress.com"))

Neither httpx nor requests is imported here until a client of theirs is given (install the
extra, ``ixrules[httpx]`` or ``ixrules[requests]``, that your app uses).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable, Mapping
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


#: The hosts :func:`preflight` checks unless told others: the API's
#: (``<account>.app.invoicexpress.com`` and the other names under ``invoicexpress.com``).
API_HOSTS: tuple[str, ...] = ("invoicexpress.com", "*.invoicexpress.com")


class Hosts:
    """The hosts whose requests are checked, each an exact name (``api.example.com``,
    ``127.0.0.1``, ``[::1]``) or a ``*.`` glob (``*.example.com``: every name under
    ``example.com``), with an optional port (``127.0.0.1:8040``; without one, any port).

    >>> mock = Hosts(["127.0.0.1:8040", "*.invoicexpress.com"])
    >>> [mock.covers(url) for url in ("http://127.0.0.1:8040/clients.json",
    ...     "http://127.0.0.1:8041/clients.json", "https://acme.app.invoicexpress.com/x.json")]
    [True, False, True]
    >>> Hosts(["http://127.0.0.1:8040"])
    Traceback (most recent call last):
    ...
    ValueError: hosts are names such as 'api.example.com', '*.example.com' or '127.0.0.1:8040', \
not 'http://127.0.0.1:8040' (write '127.0.0.1:8040')
    """

    def __init__(self, hosts: str | Iterable[str]) -> None:
        if not isinstance(hosts, (str, Iterable)):
            kind = type(hosts).__name__
            raise TypeError(f"hosts must be a host or a list of hosts, not {kind}")
        given = [hosts] if isinstance(hosts, str) else list(hosts)
        if not given:
            raise ValueError("hosts must name at least one host")
        self._patterns = tuple(_host_pattern(host) for host in given)

    def covers(self, url: str) -> bool:
        """True when the request to ``url`` is to be checked."""
        try:
            parts = urlsplit(url)
            host = (parts.hostname or "").rstrip(".").lower()
            port = parts.port or _DEFAULT_PORTS.get(parts.scheme.lower())
        except ValueError:  # a port that is no number: no host of ours
            return False
        return any(
            (host.endswith("." + name) if under else host == name) and want in (None, port)
            for name, under, want in self._patterns
        )


#: The port of a URL that gives none.
_DEFAULT_PORTS = {"http": 80, "https": 443}
#: A host as :class:`Hosts` takes it: ``*.`` or not, a name or an IP address (IPv6 in
#: brackets), an optional port.
_HOST = re.compile(
    r"(?P<glob>\*\.)?(?P<name>[a-z0-9.-]+|\[[0-9a-f:.]+\])(?::(?P<port>[0-9]{1,5}))?"
)


def _host_pattern(host: object) -> tuple[str, bool, int | None]:
    """A host of ``hosts=`` as (name, whether names under it match, port or None)."""
    if not isinstance(host, str):
        raise TypeError(f"hosts must be strings, not {type(host).__name__}")
    text = host.strip().lower()
    matched = _HOST.fullmatch(text.replace(".:", ":").rstrip("."))
    port = int(matched["port"]) if matched and matched["port"] else None
    labels = matched["name"].split(".") if matched and matched["name"][0] != "[" else []
    if (
        matched is None
        or (port is not None and not 0 < port < 65536)
        or any(not label or label[0] == "-" or label[-1] == "-" for label in labels)
    ):
        example = "'api.example.com', '*.example.com' or '127.0.0.1:8040'"
        netloc = urlsplit(text).netloc if "://" in text else ""
        fix = f" (write {netloc!r})" if netloc else ""
        raise ValueError(f"hosts are names such as {example}, not {host!r}{fix}")
    name = matched["name"].strip("[]")
    return name, matched["glob"] is not None, port


_API = Hosts(API_HOSTS)


def is_invoicexpress_url(url: str) -> bool:
    """True for a URL on InvoiceXpress' API hosts (:data:`API_HOSTS`), the ones
    :func:`preflight` checks unless given ``hosts``.

    >>> is_invoicexpress_url("https://acme.app.invoicexpress.com/invoices.json?api_key=k")
    True
    >>> is_invoicexpress_url("https://invoicexpress.com.example.org/invoices.json")
    False
    """
    return _API.covers(url)


def preflight(
    client: Client,
    *,
    context: ContextSource = None,
    mode: Mode = "raise",
    rules: Rules | None = None,
    hosts: str | Iterable[str] = API_HOSTS,
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
    (default: the shipped rules; ``Rules.from_config()`` for a project's packs). ``hosts``
    are the hosts whose requests are checked (default :data:`API_HOSTS`, the API's): exact
    names or ``*.`` globs, each with an optional port, as :class:`Hosts` reads them; give a
    mock's or a proxy's (``hosts=["127.0.0.1:8040"]``) to check the requests sent there.

    The host is looked at first: a request to another host is passed on untouched, its body
    never read. A streamed body (a generator, a file object) is never read either, whatever
    the host: it is logged as not checked and sent. With an ``httpx.AsyncClient`` the check
    (and a ``context`` function) runs in a worker thread (``asyncio.to_thread``), so the event
    loop goes on serving other requests meanwhile.

    With ``fix=True`` (opt-in) the safe fixes (:func:`ixrules.fix`: ``"PT"`` -> ``"Portugal"``,
    ``1`` -> ``"1"`` for a flag, ...) are applied to a JSON body before it is checked and sent,
    each one logged (logger ``ixrules.http``); the body is then sent as compact UTF-8 JSON.
    """
    if mode not in MODES:
        raise ValueError(f"mode must be one of {', '.join(MODES)}, not {mode!r}")
    if context is not None and not (isinstance(context, Mapping) or callable(context)):
        raise TypeError("context must be a mapping, a function returning one, or None")
    if isinstance(context, Mapping):
        from .context import check_context

        check_context(context)  # a misspelt key fails here, not on the first request
    check = _Check(context, mode, rules, Hosts(hosts), fix)
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
        self,
        context: ContextSource,
        mode: Mode,
        rules: Rules | None = None,
        hosts: Hosts = _API,
        fix: bool = False,
    ) -> None:
        self._context = context
        self._mode = mode
        self._rules = rules
        self.hosts = hosts
        self._fix = fix

    def __call__(
        self, method: str, url: str, headers: Mapping[str, str], body: bytes | str | None
    ) -> bytes | None:
        """Check one request; with ``fix``, the fixed body to send instead (None: unchanged)."""
        if not self.hosts.covers(url):
            return None
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
        import asyncio

        async def hook(request: httpx.Request) -> None:
            arguments = _httpx_arguments(request, check.hosts)
            if arguments is not None:  # the check runs off the event loop
                _replace_httpx(request, await asyncio.to_thread(check, *arguments))

    elif isinstance(client, httpx.Client):

        def hook(request: httpx.Request) -> None:  # type: ignore[misc]
            arguments = _httpx_arguments(request, check.hosts)
            if arguments is not None:
                _replace_httpx(request, check(*arguments))

    else:
        raise TypeError(f"preflight takes an httpx.Client or AsyncClient, not {type(client)}")
    hook.ixrules_preflight = True  # type: ignore[attr-defined]
    hooks = client.event_hooks
    hooks["request"] = [
        h for h in hooks["request"] if not getattr(h, "ixrules_preflight", False)
    ] + [hook]
    client.event_hooks = hooks


def _httpx_arguments(request: Any, hosts: Hosts) -> tuple[str, str, Any, bytes] | None:
    """What the check of an httpx request is given, or None when it is not checked: a request
    to another host, whose body is never looked at, and a streamed body (a generator, a file),
    which is never read (it may be any size, and reading it would hold it all in memory)."""
    import httpx

    url = str(request.url)
    if not hosts.covers(url):
        return None
    if not isinstance(request.stream, httpx.ByteStream):  # bytes, text, json=, data= are
        logger.warning("%s %s not checked: a streamed body", request.method, _where(url))
        return None
    return request.method, url, request.headers, request.content


def _where(url: str) -> str:
    """The URL as messages show it: without its query (the API key is there)."""
    return urlsplit(url)._replace(query="", fragment="").geturl()


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

    def __init__(self, inner: Any, check: _Check) -> None:
        self.inner = inner
        self._check = check

    def send(self, request: Any, **kwargs: Any) -> Any:
        """Check the prepared request, then send it with the wrapped adapter."""
        body = request.body
        if not self._check.hosts.covers(request.url):
            pass  # another host: its body is not looked at
        elif body is not None and not isinstance(body, (bytes, str)):  # a stream or a file
            where = _where(request.url)
            logger.warning("%s %s not checked: a streamed body", request.method, where)
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
