"""The mock in-process, without a socket, in the manner of moto: an ``httpx`` transport
(sync and async) and a ``requests`` adapter that hand each request to :meth:`Mock.handle
<ixrules.mock.core.Mock.handle>` and its answer back as the library's own response.

>>> from ixrules.mock import Mock
>>> mock = Mock(api_key="k", now="2024-05-01T10:00:00")
>>> client = httpx_client(mock)
>>> client.post("/clients.json", json={"client": {"name": "Acme"}}).status_code
201
>>> client.post("/clients.json", json={"client": {"name": "ACME"}}).json()
{'errors': [{'error': 'Name has already been taken'}]}
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import httpx

from .wire import MockRequest, MockResponse

if TYPE_CHECKING:
    import requests

    from .core import Mock


def _request(
    method: str, target: str, headers: Iterable[tuple[str, str]], body: bytes
) -> MockRequest:
    out: dict[str, str] = {}
    for name, value in headers:
        out.setdefault(name.lower(), value)
    return MockRequest(method, target, out, body)


def _target(url: httpx.URL) -> str:
    return url.raw_path.decode("ascii", "replace")


class MockTransport(httpx.BaseTransport):
    """An ``httpx.Client`` transport answering from a mock (any host: the mock is the API)."""

    def __init__(self, mock: Mock) -> None:
        self.mock = mock

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        answer = self.mock.handle(
            _request(request.method, _target(request.url), request.headers.items(), request.read())
        )
        return _httpx_response(answer, request)


class AsyncMockTransport(httpx.AsyncBaseTransport):
    """An ``httpx.AsyncClient`` transport answering from a mock (the mock runs in a worker
    thread, so the event loop is not held while it waits for its database)."""

    def __init__(self, mock: Mock) -> None:
        self.mock = mock

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        import anyio.to_thread

        body = await request.aread()
        asked = _request(request.method, _target(request.url), request.headers.items(), body)
        answer = await anyio.to_thread.run_sync(self.mock.handle, asked)
        return _httpx_response(answer, request)


def _httpx_response(answer: MockResponse, request: httpx.Request) -> httpx.Response:
    return httpx.Response(
        answer.status, headers=answer.headers, content=answer.body, request=request
    )


def httpx_client(mock: Mock, **options: Any) -> httpx.Client:
    """An ``httpx.Client`` on the mock: its base URL, its key sent with every request."""
    options.setdefault("base_url", mock.base_url)
    options.setdefault("params", {"api_key": mock.api_key})
    return httpx.Client(transport=MockTransport(mock), **options)


def async_httpx_client(mock: Mock, **options: Any) -> httpx.AsyncClient:
    """An ``httpx.AsyncClient`` on the mock, as :func:`httpx_client`."""
    options.setdefault("base_url", mock.base_url)
    options.setdefault("params", {"api_key": mock.api_key})
    return httpx.AsyncClient(transport=AsyncMockTransport(mock), **options)


def requests_adapter(mock: Mock) -> requests.adapters.BaseAdapter:
    """A ``requests`` transport adapter answering from ``mock``: mount it on the base URL."""
    adapter: requests.adapters.BaseAdapter = _adapter_class()(mock)
    return adapter


def requests_session(mock: Mock) -> requests.Session:
    """A ``requests.Session`` on the mock: the adapter mounted on its base URL (and on any
    InvoiceXpress account's URL), its key sent with every request."""
    import requests

    session = requests.Session()
    adapter = requests_adapter(mock)
    session.mount(mock.base_url + "/", adapter)
    session.mount("https://", adapter)  # https://<account>.app.invoicexpress.com stays local
    session.params = {"api_key": mock.api_key}
    return session


@lru_cache(maxsize=1)
def _adapter_class() -> Any:
    import requests
    from requests.adapters import BaseAdapter
    from requests.structures import CaseInsensitiveDict

    class MockAdapter(BaseAdapter):
        """A ``requests`` adapter answering from a mock."""

        def __init__(self, mock: Mock) -> None:
            super().__init__()
            self.mock = mock

        def send(
            self, request: requests.PreparedRequest, *args: Any, **kwargs: Any
        ) -> requests.Response:
            body: Any = request.body
            if body is None:
                data = b""
            elif isinstance(body, str):
                data = body.encode("utf-8")
            elif isinstance(body, (bytes, bytearray)):
                data = bytes(body)
            else:  # a file or an iterable of chunks
                read = getattr(body, "read", None)
                data = read() if callable(read) else b"".join(bytes(c) for c in body)
            target = request.path_url or "/"
            headers = [
                (name, value.decode("latin-1") if isinstance(value, bytes) else value)
                for name, value in request.headers.items()
            ]
            answer = self.mock.handle(_request(request.method or "GET", target, headers, data))
            response = requests.Response()
            response.status_code = answer.status
            response.headers = CaseInsensitiveDict(answer.headers)
            response._content = answer.body
            response.encoding = "utf-8"
            response.url = request.url or ""
            response.request = request
            response.reason = _REASONS.get(answer.status, "")
            return response

        def close(self) -> None:
            pass

    return MockAdapter


_REASONS = {
    200: "OK",
    201: "Created",
    202: "Accepted",
    204: "No Content",
    400: "Bad Request",
    401: "Unauthorized",
    404: "Not Found",
    406: "Not Acceptable",
    409: "Conflict",
    413: "Payload Too Large",
    422: "Unprocessable Entity",
    500: "Internal Server Error",
}
