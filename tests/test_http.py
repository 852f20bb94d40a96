"""ixrules.http.preflight: the check runs inside httpx and requests clients, before a request
leaves; nothing touches the network (httpx's MockTransport, a local requests adapter)."""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

import httpx
import pytest
import requests

import ixrules
from ixrules.http import PreflightAdapter, preflight

BASE = "https://acme.app.invoicexpress.com"
URL = f"{BASE}/clients.json?api_key=secret"
GOOD = {"client": {"name": "Acme", "code": "A1"}}
BAD = {"client": {"name": "Acme", "send_options": "4"}}
MESSAGE = (
    "POST https://acme.app.invoicexpress.com/clients.json would be refused with 422: "
    "Send options must be within 1 and 3"
)
STATE_URL = f"{BASE}/quotes/7/change-state.json?api_key=secret"
ACCEPT = {"quote": {"state": "accept"}}


class Seen:
    """A MockTransport handler that records what reached it."""

    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return httpx.Response(201, json={"client": {"id": 1}})


def test_a_bad_body_through_httpx_raises_and_is_not_sent() -> None:
    seen = Seen()
    client = httpx.Client(transport=httpx.MockTransport(seen))
    assert preflight(client) is client
    with pytest.raises(ixrules.PreflightError) as caught:
        client.post(URL, json=BAD)
    assert seen.requests == []
    assert str(caught.value) == MESSAGE
    assert isinstance(caught.value, ValueError)
    report = caught.value.report
    assert [(i.message, i.path, i.rule, i.status) for i in report.errors] == [
        ("Send options must be within 1 and 3", "/client/send_options",
         "client.send_options.range", 422),
    ]  # fmt: skip
    assert report.by_field() == {"client[send_options]": ["Send options must be within 1 and 3"]}


def test_a_good_body_through_httpx_reaches_the_transport() -> None:
    seen = Seen()
    client = preflight(httpx.Client(transport=httpx.MockTransport(seen)))
    response = client.post(URL, json=GOOD)
    assert response.status_code == 201
    assert [json.loads(r.content) for r in seen.requests] == [GOOD]


def test_the_async_client_too() -> None:
    seen = Seen()
    client = preflight(httpx.AsyncClient(transport=httpx.MockTransport(seen)))

    async def run() -> tuple[int, str]:
        ok = await client.post(URL, json=GOOD)
        try:
            await client.post(URL, json=BAD)
        except ixrules.PreflightError as exc:
            return ok.status_code, str(exc)
        finally:
            await client.aclose()
        return ok.status_code, ""

    assert asyncio.run(run()) == (201, MESSAGE)
    assert [json.loads(r.content) for r in seen.requests] == [GOOD]


def test_warn_mode_logs_and_sends(caplog: pytest.LogCaptureFixture) -> None:
    seen = Seen()
    client = preflight(httpx.Client(transport=httpx.MockTransport(seen)), mode="warn")
    with caplog.at_level(logging.WARNING, logger="ixrules.http"):
        assert client.post(URL, json=BAD).status_code == 201
    assert [(r.name, r.levelname, r.getMessage()) for r in caplog.records] == [
        ("ixrules.http", "WARNING", MESSAGE)
    ]
    assert len(seen.requests) == 1


@pytest.mark.parametrize(
    "url",
    ["https://example.com/clients.json", "https://invoicexpress.com.example.org/clients.json"],
)
def test_other_hosts_are_untouched(url: str) -> None:
    seen = Seen()
    client = preflight(httpx.Client(transport=httpx.MockTransport(seen)))
    assert client.post(url, json=BAD).status_code == 201  # no api_key, a bad body: not judged
    assert len(seen.requests) == 1


def test_the_context_may_be_a_function_called_for_each_request() -> None:
    seen = Seen()
    statuses = iter(["draft", "sent"])
    calls: list[str] = []

    def context() -> dict[str, Any]:
        status = next(statuses)
        calls.append(status)
        return {"document": {"status": status}}

    client = preflight(httpx.Client(transport=httpx.MockTransport(seen)), context=context)
    with pytest.raises(ixrules.PreflightError) as caught:
        client.put(STATE_URL, json=ACCEPT)
    assert caught.value.report.status == 406
    assert caught.value.report.messages == ["The document provided is in an invalid state."]
    assert client.put(STATE_URL, json=ACCEPT).status_code == 201
    assert calls == ["draft", "sent"] and len(seen.requests) == 1


def test_a_mapping_context_and_a_second_call_replaces_the_first() -> None:
    seen = Seen()
    client = httpx.Client(transport=httpx.MockTransport(seen))
    preflight(client, context={"document": {"status": "draft"}})
    preflight(client, context={"document": {"status": "sent"}})
    assert len(client.event_hooks["request"]) == 1
    assert client.put(STATE_URL, json=ACCEPT).status_code == 201


def test_no_api_key_is_a_predicted_401_and_the_key_never_shows() -> None:
    client = preflight(httpx.Client(transport=httpx.MockTransport(Seen())))
    with pytest.raises(ixrules.PreflightError) as caught:
        client.get(f"{BASE}/clients/42.json?api_key=")
    assert caught.value.report.status == 401
    client = preflight(httpx.Client(transport=httpx.MockTransport(Seen())))
    with pytest.raises(ixrules.PreflightError) as caught:
        client.post(URL, json=BAD)
    assert "secret" not in str(caught.value) and "secret" not in caught.value.url


def test_a_body_the_rules_cannot_place_is_logged_and_sent(caplog: pytest.LogCaptureFixture) -> None:
    seen = Seen()
    client = preflight(httpx.Client(transport=httpx.MockTransport(seen)))
    with caplog.at_level(logging.WARNING, logger="ixrules.http"):
        client.post(URL, json={"customer": {"name": "Acme"}})
    assert len(seen.requests) == 1
    assert [r.getMessage() for r in caplog.records] == [
        "POST https://acme.app.invoicexpress.com/clients.json not checked: no root key known to "
        "endpoint clients.create: expected one of 'client'; got 'customer'"
    ]


# --- requests -------------------------------------------------------------------------------


class LocalAdapter(requests.adapters.BaseAdapter):
    """Answers every request itself and records it: the session never opens a socket."""

    def __init__(self) -> None:
        super().__init__()
        self.requests: list[requests.PreparedRequest] = []

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:
        self.requests.append(request)
        response = requests.Response()
        response.status_code = 201
        response._content = b'{"client": {"id": 1}}'
        response.request = request
        return response

    def close(self) -> None:
        pass


def local_session(**options: Any) -> tuple[requests.Session, LocalAdapter]:
    session = requests.Session()
    adapter = LocalAdapter()
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    return preflight(session, **options), adapter


def test_a_bad_body_through_requests_raises_and_is_not_sent() -> None:
    session, adapter = local_session()
    with pytest.raises(ixrules.PreflightError) as caught:
        session.post(URL, json=BAD)
    assert str(caught.value) == MESSAGE and adapter.requests == []


def test_a_good_body_through_requests_reaches_the_adapter() -> None:
    session, adapter = local_session()
    assert session.post(URL, json=GOOD).status_code == 201
    assert [json.loads(r.body or b"") for r in adapter.requests] == [GOOD]
    assert isinstance(session.get_adapter(URL), PreflightAdapter)


def test_requests_warn_mode_and_other_hosts(caplog: pytest.LogCaptureFixture) -> None:
    session, adapter = local_session(mode="warn")
    with caplog.at_level(logging.WARNING, logger="ixrules.http"):
        assert session.post(URL, json=BAD).status_code == 201
        assert session.post("http://localhost/clients.json", json=BAD).status_code == 201
    assert [r.getMessage() for r in caplog.records] == [MESSAGE]
    assert len(adapter.requests) == 2


def test_requests_preflight_twice_wraps_once() -> None:
    session, adapter = local_session()
    preflight(session, mode="warn")
    wrapped = session.get_adapter(URL)
    assert isinstance(wrapped, PreflightAdapter) and wrapped.inner is adapter
    assert session.post(URL, json=BAD).status_code == 201


def test_a_text_body_with_a_json_content_type_is_read() -> None:
    session, adapter = local_session()
    with pytest.raises(ixrules.PreflightError):
        session.post(URL, data=json.dumps(BAD), headers={"Content-Type": "application/json"})
    with pytest.raises(ixrules.PreflightError) as caught:
        session.post(URL, data={"client[name]": "Acme"})  # a form post: not JSON
    assert caught.value.report.messages == ["No content type or wrongly specified"]
    assert adapter.requests == []


@pytest.mark.parametrize(
    ("client", "options", "message"),
    [
        (object(), {}, "preflight takes an httpx.Client, an httpx.AsyncClient or a "
         "requests.Session, not object"),
        (requests.Session(), {"mode": "loud"}, "mode must be one of raise, warn, not 'loud'"),
        (requests.Session(), {"context": 3},
         "context must be a mapping, a function returning one, or None"),
    ],
)  # fmt: skip
def test_bad_arguments_get_a_clear_answer(client: Any, options: Any, message: str) -> None:
    with pytest.raises((TypeError, ValueError)) as caught:
        preflight(client, **options)
    assert str(caught.value) == message


def test_the_module_and_its_error_import_neither_client_library() -> None:
    import subprocess
    import sys

    probe = (
        "import sys, ixrules, ixrules.http; ixrules.PreflightError; "
        "print(sorted({'httpx', 'requests', 'ixrules.api'} & set(sys.modules)))"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
