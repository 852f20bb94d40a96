"""The pytest plugin (entry point ``pytest11``): the fixture ``ixrules_mock``, a fresh mock
InvoiceXpress for each test, in-process (no socket, no server).

::

    def test_a_client_name_is_unique(ixrules_mock):
        client = ixrules_mock.httpx            # an httpx.Client on the mock, key included
        assert client.post("/clients.json", json={"client": {"name": "Acme"}}).status_code == 201
        again = client.post("/clients.json", json={"client": {"name": "ACME"}})
        assert again.json() == {"errors": [{"error": "Name has already been taken"}]}

The marker ``@pytest.mark.ixrules_mock(seed={...}, language="pt", now="2024-05-01T10:00:00")``
starts the test's mock from a seed (see :mod:`ixrules.mock.seed`), in a language, at a time.

Loading the plugin imports nothing heavy: the mock is built when a test asks for it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    import httpx as httpx_module
    import requests as requests_module

    from .core import Mock

#: The base URL of an in-process mock (any URL reaches it through the transports).
BASE_URL = "http://ixrules-mock.test"
#: Its API key.
API_KEY = "ixrules-test-key"


class MockFixture:
    """What ``ixrules_mock`` gives a test: the mock, its base URL and key, ready clients, and
    the control routes as methods."""

    def __init__(self, mock: Mock) -> None:
        self.mock = mock
        self.base_url = mock.base_url
        self.api_key = mock.api_key
        self._clients: dict[str, Any] = {}

    def url(self, path: str) -> str:
        """The full URL of ``path`` on the mock, with the key (``/invoices.json`` ->
        ``http://.../invoices.json?api_key=...``)."""
        separator = "&" if "?" in path else "?"
        return f"{self.base_url}{path}{separator}api_key={self.api_key}"

    @property
    def httpx(self) -> httpx_module.Client:
        """An ``httpx.Client`` on the mock (base URL set, key sent with every request)."""
        if "httpx" not in self._clients:
            from .transport import httpx_client

            self._clients["httpx"] = httpx_client(self.mock)
        return self._clients["httpx"]  # type: ignore[no-any-return]

    @property
    def async_httpx(self) -> httpx_module.AsyncClient:
        """An ``httpx.AsyncClient`` on the mock."""
        if "async_httpx" not in self._clients:
            from .transport import async_httpx_client

            self._clients["async_httpx"] = async_httpx_client(self.mock)
        return self._clients["async_httpx"]  # type: ignore[no-any-return]

    @property
    def requests(self) -> requests_module.Session:
        """A ``requests.Session`` on the mock (its URLs and any ``https://`` URL)."""
        if "requests" not in self._clients:
            from .transport import requests_session

            self._clients["requests"] = requests_session(self.mock)
        return self._clients["requests"]  # type: ignore[no-any-return]

    def state(self) -> dict[str, Any]:
        """Everything the account holds (``GET /_mock/state``)."""
        from .control import state

        return state(self.mock)

    def received(self) -> list[dict[str, Any]]:
        """What arrived, with ixrules' findings (``GET /_mock/requests``)."""
        return self.mock.requests()

    def set_clock(self, now: str | None) -> None:
        """Freeze the clock at ``now`` (YYYY-MM-DDTHH:MM:SS), or let it run (None)."""
        self.mock.set_clock(now)

    def reset(self) -> None:
        """Back to the defaults and the seed."""
        self.mock.reset()

    def close(self) -> None:
        """Close the clients and the mock."""
        for client in self._clients.values():
            close = getattr(client, "close", None)
            if callable(close) and not _is_async(client):
                close()
        self.mock.close()


def _is_async(client: Any) -> bool:
    return type(client).__name__ == "AsyncClient"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "ixrules_mock(seed=None, language=None, now=None): how the ixrules_mock fixture starts",
    )


@pytest.fixture
def ixrules_mock(request: pytest.FixtureRequest) -> Iterator[MockFixture]:
    """A fresh mock InvoiceXpress for the test, in memory and in-process."""
    from .core import Mock

    marker = request.node.get_closest_marker("ixrules_mock")
    options = dict(marker.kwargs) if marker is not None else {}
    mock = Mock(
        api_key=API_KEY,
        base_url=BASE_URL,
        seed_data=options.get("seed"),
        language=options.get("language"),
        now=options.get("now"),
    )
    fixture = MockFixture(mock)
    try:
        yield fixture
    finally:
        fixture.close()
