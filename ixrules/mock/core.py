"""The mock: a local InvoiceXpress with state, answering each request the way
``ixrules.check_request`` predicts the API answers it.

Each request is served in this order, the order in which the API decides:

1. ``/_mock/...``: the control routes for test suites (:mod:`.control`);
2. a body over :data:`~.wire.MAX_BODY` is 413; a target over 8 KiB is 414;
3. a missing or wrong ``api_key`` (401) and a route the API does not have (404), as
   ``check_request`` answers them;
4. a body that is not JSON, or nested deeper than :data:`~.wire.MAX_DEPTH`, is 400;
5. in one transaction: an id the account does not have is 404 (empty body, as recorded); a
   repeated ``proprietary_uid`` is 409; then ``check_request``, given the context snapshot of
   the store, decides: its errors are the answer (401, 404, 406, 422 with the API's messages,
   in the account's language; a predicted 500 is answered with no text, as recorded), and only
   a prediction of success lets the handler change the state and answer with the API's body.

ixrules' warnings (what the API would silently drop or change) travel in the
``X-Ixrules-Warnings`` header. Nothing a request holds is written to a header or a log line
unescaped.
"""

from __future__ import annotations

import collections
import contextlib
import datetime as dt
import hmac
import json
import secrets
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode

from . import control, handlers, predict, seed, snapshot
from .call import Call
from .documents import TYPES, uid_name
from .store import Store, Tx
from .wire import (
    ENDPOINT_HEADER,
    MAX_BODY,
    MAX_DEPTH,
    WARNINGS_HEADER,
    MockRequest,
    MockResponse,
    depth,
    empty,
    generic,
    header_value,
    log_text,
    respond,
)

#: The longest request target (path and query) served; a longer one is answered 414.
MAX_TARGET = 8192
#: How many requests ``GET /_mock/requests`` remembers (the oldest are forgotten).
LOG_SIZE = 1000
#: The OpenAPI description's generic answer to parameters the API cannot read.
BAD_PARAMETERS = "Some parameters were incorrect."
#: The API's answer to a repeated ``proprietary_uid`` (OpenAPI ``409CreateInvoice``).
UID_CONFLICT = "There's an ongoing document creation with the provided UID {uid}"
LANGUAGES = ("en", "pt", "es")


class Mock:
    """One mock InvoiceXpress account: its store, its key, its clock, its request log.

    ``db`` is a SQLite file (state survives a restart) or None (in memory). ``seed`` is a seed
    file's path or its data (see :mod:`.seed`); it is applied to a new database only.
    ``language`` is the account's (its messages are in it); ``now`` freezes the clock.
    Thread-safe: requests are served one transaction at a time.
    """

    def __init__(
        self,
        *,
        api_key: str | None = None,
        account: str = "acme",
        db: str | Path | None = None,
        language: str | None = None,
        seed_data: str | Path | Mapping[str, Any] | None = None,
        now: str | None = None,
        base_url: str = "http://127.0.0.1:8040",
        max_body: int = MAX_BODY,
        log: Any = None,
    ) -> None:
        if language is not None and language not in LANGUAGES:
            raise ValueError(f"language must be one of {', '.join(LANGUAGES)}, not {language!r}")
        self.account_name = account
        self.base_url = base_url.rstrip("/")
        self.max_body = max_body
        self._language = language
        self._log_stream = log
        if isinstance(seed_data, (str, Path)):
            self._seed: Mapping[str, Any] = seed.load(seed_data)
        else:
            self._seed = seed.check({} if seed_data is None else seed_data)
        self.store = Store(db)
        self._requests: collections.deque[dict[str, Any]] = collections.deque(maxlen=LOG_SIZE)
        self._count = 0
        self._log_lock = threading.Lock()
        with self.store.transaction() as tx:
            if tx.meta_get("seeded") is None:
                seed.apply(
                    tx, self._seed, account_name=account, language=language, base_url=self.base_url
                )
            stored_key = tx.meta_get("api_key")
            self.api_key = api_key or stored_key or secrets.token_hex(16)
            tx.meta_set("api_key", self.api_key)
            if now is not None:
                tx.meta_set("clock", seed.parse_now(now).isoformat())
            if language is not None:
                record = tx.get("account", tx.meta_get("account_id"))
                if record is not None and record.get("language") != language:
                    record["language"] = language
                    tx.update("account", record)

    # --- state the control routes use ---------------------------------------------------------

    def reset(self) -> None:
        """Forget everything and start again from the defaults and the seed (the key, the
        clock set at start and the request log stay... the log is cleared)."""
        with self.store.transaction() as tx:
            key, clock = tx.meta_get("api_key"), tx.meta_get("clock")
            tx.clear()
            seed.apply(
                tx,
                self._seed,
                account_name=self.account_name,
                language=self._language,
                base_url=self.base_url,
            )
            tx.meta_set("api_key", key)
            if self._seed.get("now") is None and clock is not None:
                tx.meta_set("clock", clock)
        with self._log_lock:
            self._requests.clear()

    def now(self) -> dt.datetime:
        """The mock's clock: frozen when set, else the real local time."""
        with self.store.transaction() as tx:
            return _clock(tx.meta_get("clock"))

    def set_clock(self, value: str | None) -> dt.datetime:
        """Freeze the clock at ``value`` (YYYY-MM-DDTHH:MM:SS), or let it run (None)."""
        stamp = None if value is None else seed.parse_now(value).isoformat()
        with self.store.transaction() as tx:
            tx.meta_set("clock", stamp)
            return _clock(stamp)

    def requests(self) -> list[dict[str, Any]]:
        """What arrived, oldest first, with ixrules' findings."""
        with self._log_lock:
            return list(self._requests)

    def close(self) -> None:
        """Close the store."""
        self.store.close()

    # --- serving --------------------------------------------------------------------------------

    def handle(self, request: MockRequest) -> MockResponse:
        """Answer one request; never raises (a fault of the mock itself is a 500)."""
        entry: dict[str, Any] = {
            "method": log_text(request.method, 16),
            "path": log_text(_path_of(request.target)),
        }
        controlling = _path_of(request.target).startswith("/_mock")
        try:
            if controlling:
                return control.handle(self, request)  # the control routes are not logged
            response = self._handle(request, entry)
        except Exception as exc:  # the mock's own fault: said in one escaped line, served on
            entry["fault"] = log_text(f"{type(exc).__name__}: {exc}")
            response = respond(500, {"error": {"code": "500", "message": "Internal Server Error"}})
            if controlling:
                return response
        entry["status"] = response.status
        self._remember(entry)
        return response

    def _remember(self, entry: dict[str, Any]) -> None:
        with self._log_lock:
            self._count += 1
            entry["seq"] = self._count
            self._requests.append(entry)
        if self._log_stream is not None:
            line = f"{entry['method']} {entry['path']} {entry['status']}"
            if "endpoint" in entry:
                line += f" {entry['endpoint']}"
            if entry.get("fault"):
                line += f" fault: {entry['fault']}"
            with contextlib.suppress(OSError, ValueError):  # a closed stream: serve on
                print(line, file=self._log_stream, flush=True)

    def _handle(self, request: MockRequest, entry: dict[str, Any]) -> MockResponse:
        target = request.target
        if len(request.body) > self.max_body:
            return generic(413, f"The request body is over {self.max_body} bytes.")
        if len(target) > MAX_TARGET or not target.startswith("/"):
            return empty(414 if len(target) > MAX_TARGET else 404)
        method = request.method.strip().upper()
        headers = dict(request.headers)
        found = predict.find(method, target)
        key = dict(parse_qsl(request.query, keep_blank_values=True)).get("api_key", "")
        known = hmac.compare_digest(key.encode(), self.api_key.encode())
        if found is None or not known:
            checked = target if known else _without_key(target)
            report = predict.predict(method, checked, headers=headers, body=None, context={})
            entry["findings"] = [issue.to_dict() for issue in report.errors]
            if report.status == 404:
                return empty(404)
            return respond(report.status, report.to_api())
        endpoint, ids = found
        entry["endpoint"] = endpoint.name
        body, problem = _read_body(request)
        if problem is not None:
            entry["problem"] = problem
            return generic(400, BAD_PARAMETERS)
        with self.store.transaction() as tx:
            return self._serve(tx, request, endpoint, ids, body, entry)

    def _serve(
        self,
        tx: Tx,
        request: MockRequest,
        endpoint: predict.Endpoint,
        ids: tuple[int, ...],
        body: Any,
        entry: dict[str, Any],
    ) -> MockResponse:
        exists, target, second = handlers.targets(tx, endpoint, ids)
        if not exists:
            return empty(404)
        account = tx.get("account", tx.meta_get("account_id")) or {}
        if endpoint.path == "accounts" and target is not None and target["id"] != account.get("id"):
            return empty(404)  # the mock serves its own account only
        if endpoint.action == "create" and endpoint.path in TYPES and isinstance(body, Mapping):
            uid = body.get("proprietary_uid")
            if uid not in (None, "") and tx.find("document", uid_name(uid)) is not None:
                entry["conflict"] = "proprietary_uid"
                return respond(409, {"reason": UID_CONFLICT.format(uid=predict.display(uid))})
        now = _clock(tx.meta_get("clock"))
        params = request.params()
        context = snapshot.context(tx, endpoint, target, account, now, params)
        language = account.get("language") if account.get("language") in LANGUAGES else None
        try:
            report = predict.predict(
                request.method,
                request.target,
                headers=dict(request.headers),
                body=body,
                context=context,
                language=language,
            )
        except predict.Unreadable as exc:
            # Valid JSON the endpoint cannot read (not an object, no root key): the API fails
            # reading it (recorded: an initial balance not wrapped in its root key, HTTP 500).
            entry["problem"] = log_text(str(exc))
            return empty(500)
        entry["findings"] = [issue.to_dict() for issue in report.issues]
        extra = _warnings_header(report)
        if not report.ok:
            if report.status == 404:
                return empty(404)
            if report.status == 500:  # recorded with no text: the reason goes in a header
                return MockResponse(
                    500,
                    b"",
                    {**extra, "x-ixrules-errors": header_value([_brief(i) for i in report.errors])},
                )
            return respond(
                report.status, report.to_api(), {**extra, ENDPOINT_HEADER: endpoint.name}
            )
        serve = handlers.handler(endpoint)
        if serve is None:  # a route of the rules the mock has no handler for: say so
            return respond(501, {"error": {"code": "501", "message": "Not served by the mock."}})
        value = _root_value(endpoint, body)
        call = Call(
            tx,
            endpoint,
            ids,
            target,
            value,
            params,
            account,
            now,
            self.base_url,
            second=second,
            body=body if isinstance(body, dict) else {},
        )
        response = serve(call)
        response.headers.update(extra)
        response.headers[ENDPOINT_HEADER] = endpoint.name
        return response


def _clock(stamp: Any) -> dt.datetime:
    if isinstance(stamp, str):
        return dt.datetime.fromisoformat(stamp)
    return dt.datetime.now().replace(microsecond=0)


def _path_of(target: str) -> str:
    return target.partition("?")[0]


def _without_key(target: str) -> str:
    """The target without its ``api_key`` (so ``check_request`` predicts the 401 of a key the
    mock does not know)."""
    path, _, query = target.partition("?")
    pairs = [(k, v) for k, v in parse_qsl(query, keep_blank_values=True) if k != "api_key"]
    return f"{path}?{urlencode(pairs)}" if pairs else path


def _read_body(request: MockRequest) -> tuple[Any, str | None]:
    """The body: None when there is none, parsed when it is JSON, its text when it is not
    (``check_request`` answers a body that is not sent as JSON); or the problem with it."""
    raw = request.body
    if not raw.strip():
        return None, None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None, "the body is not UTF-8"
    try:
        parsed = json.loads(text)
    except RecursionError:
        return None, "the body is nested too deeply"
    except ValueError:
        if predict.json_content_type(request.header("content-type")):
            return None, "the body is not valid JSON"
        return text, None  # not JSON and not said to be: the content type decides (422)
    if depth(parsed) > MAX_DEPTH:
        return None, "the body is nested too deeply"
    return parsed, None


def _root_value(endpoint: predict.Endpoint, body: Any) -> dict[str, Any]:
    """The body under the endpoint's root key (the first present), without the keys the API
    drops; the whole body for an unwrapped endpoint; {} when there is none."""
    if not isinstance(body, Mapping):
        return {}
    if not endpoint.roots:
        return dict(predict.kept(endpoint.name, body))
    for root in endpoint.roots:
        value = body.get(root)
        if isinstance(value, Mapping):
            return dict(predict.kept(endpoint.name, value))
    return {}


def _brief(issue: Any) -> dict[str, Any]:
    return {"rule": issue.rule, "path": issue.path, "message": issue.message}


def _warnings_header(report: Any) -> dict[str, str]:
    warnings = report.warnings
    if not warnings:
        return {}
    return {WARNINGS_HEADER: header_value([_brief(w) for w in warnings])}
