"""preflight(client, hosts=...): the hosts whose requests are checked, by default the API's;
a mock's or a proxy's when told (issue 25 item 5). The mock runs in-process at its base URL
(http://127.0.0.1:8040), as ``ixrules mock --port 8040`` serves it: nothing touches the network.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import requests

import ixrules
from ixrules.http import API_HOSTS, Hosts, preflight
from ixrules.mock import Mock
from ixrules.mock.transport import async_httpx_client, httpx_client, requests_session

BAD = {"client": {"name": "Acme", "send_options": "4"}}
GOOD = {"client": {"name": "Acme"}}
MESSAGE = (
    "POST http://127.0.0.1:8040/clients.json would be refused with 422: "
    "Send options must be within 1 and 3"
)
MOCK = ["127.0.0.1:8040"]


@pytest.fixture
def mock() -> Iterator[Mock]:
    made = Mock(api_key="k")
    yield made
    made.close()


class Seen:
    """A MockTransport handler that records what reached it."""

    def __init__(self) -> None:
        self.urls: list[str] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.urls.append(str(request.url))
        return httpx.Response(201, json={"client": {"id": 1}})


def test_by_default_a_mock_is_not_checked_and_the_api_is(mock: Mock) -> None:
    client = preflight(httpx_client(mock))
    assert client.post("/clients.json", json=BAD).status_code == 422  # the mock refused it
    assert len(mock.requests()) == 1
    assert API_HOSTS == ("invoicexpress.com", "*.invoicexpress.com")


def test_pointed_at_the_mock_a_bad_body_never_leaves(mock: Mock) -> None:
    client = preflight(httpx_client(mock), hosts=MOCK)
    with pytest.raises(ixrules.PreflightError) as caught:
        client.post("/clients.json", json=BAD)
    assert str(caught.value) == MESSAGE
    assert mock.requests() == []
    assert client.post("/clients.json", json=GOOD).status_code == 201
    assert len(mock.requests()) == 1


def test_the_async_client_and_requests_take_hosts_too(mock: Mock) -> None:
    client = preflight(async_httpx_client(mock), hosts=MOCK)

    async def run() -> str:
        try:
            await client.post("/clients.json", json=BAD)
        except ixrules.PreflightError as exc:
            return str(exc)
        finally:
            await client.aclose()
        return ""

    assert asyncio.run(run()) == MESSAGE
    session = preflight(requests_session(mock), hosts=MOCK)
    with pytest.raises(ixrules.PreflightError) as caught:
        session.post("http://127.0.0.1:8040/clients.json", json=BAD)
    assert str(caught.value) == MESSAGE
    assert mock.requests() == []


def test_given_hosts_replace_the_api_hosts_so_both_are_named_to_check_both() -> None:
    seen = Seen()
    api = "https://acme.app.invoicexpress.com/clients.json?api_key=k"
    only_proxy = preflight(httpx.Client(transport=httpx.MockTransport(seen)), hosts="proxy.lan")
    assert only_proxy.post(api, json=BAD).status_code == 201
    with pytest.raises(ixrules.PreflightError):
        only_proxy.post("http://proxy.lan/clients.json?api_key=k", json=BAD)
    both = preflight(
        httpx.Client(transport=httpx.MockTransport(seen)), hosts=[*API_HOSTS, "proxy.lan"]
    )
    with pytest.raises(ixrules.PreflightError):
        both.post(api, json=BAD)
    assert seen.urls == [api]


@pytest.mark.parametrize(
    ("hosts", "url", "covered"),
    [
        (["127.0.0.1:8040"], "http://127.0.0.1:8040/clients.json", True),
        (["127.0.0.1:8040"], "http://127.0.0.1:8041/clients.json", False),
        (["127.0.0.1:8040"], "http://127.0.0.2:8040/clients.json", False),
        (["127.0.0.1"], "http://127.0.0.1:9999/clients.json", True),  # no port: any port
        (["localhost:80"], "http://localhost/clients.json", True),  # the scheme's port
        (["localhost:443"], "https://LOCALHOST./clients.json", True),
        (["localhost:80"], "https://localhost/clients.json", False),
        (["[::1]:8040"], "http://[::1]:8040/clients.json", True),
        (["*.example.com"], "https://a.b.example.com/x.json", True),
        (["*.example.com"], "https://example.com/x.json", False),
        (["*.example.com"], "https://badexample.com/x.json", False),
        (["*.example.com:8443"], "https://api.example.com:8443/x.json", True),
        (["*.example.com:8443"], "https://api.example.com/x.json", False),
        (["Proxy.LAN."], "http://proxy.lan/x.json", True),
        (["proxy.lan"], "http://proxy.lan:notaport/x.json", False),
        (list(API_HOSTS), "https://invoicexpress.com.example.org/x.json", False),
        (list(API_HOSTS), "https://acme.app.invoicexpress.com/x.json", True),
    ],
)
def test_hosts_are_names_or_globs_with_an_optional_port(
    hosts: list[str], url: str, covered: bool
) -> None:
    assert Hosts(hosts).covers(url) is covered


@pytest.mark.parametrize(
    ("hosts", "error", "message"),
    [
        (
            ["http://127.0.0.1:8040"],
            ValueError,
            "hosts are names such as 'api.example.com', '*.example.com' or '127.0.0.1:8040', "
            "not 'http://127.0.0.1:8040' (write '127.0.0.1:8040')",
        ),
        (
            ["*"],
            ValueError,
            "hosts are names such as 'api.example.com', '*.example.com' or '127.0.0.1:8040', "
            "not '*'",
        ),
        (
            ["a.example.com:70000"],
            ValueError,
            "hosts are names such as 'api.example.com', '*.example.com' or '127.0.0.1:8040', "
            "not 'a.example.com:70000'",
        ),
        (
            ["example.com/api"],
            ValueError,
            "hosts are names such as 'api.example.com', '*.example.com' or '127.0.0.1:8040', "
            "not 'example.com/api'",
        ),
        ([], ValueError, "hosts must name at least one host"),
        ([8040], TypeError, "hosts must be strings, not int"),
        (None, TypeError, "hosts must be a host or a list of hosts, not NoneType"),
    ],
)
def test_bad_hosts_get_a_clear_answer(hosts: Any, error: type[Exception], message: str) -> None:
    with pytest.raises(error) as caught:
        preflight(requests.Session(), hosts=hosts)
    assert str(caught.value) == message


def test_the_default_hosts_still_check_the_api_only() -> None:
    seen = Seen()
    client = preflight(httpx.Client(transport=httpx.MockTransport(seen)))
    with pytest.raises(ixrules.PreflightError):
        client.post("https://acme.app.invoicexpress.com/clients.json?api_key=k", json=BAD)
    assert client.post("http://127.0.0.1:8040/clients.json", json=BAD).status_code == 201
    assert seen.urls == ["http://127.0.0.1:8040/clients.json"]
