"""The mock as an ASGI application (Starlette), for uvicorn or any ASGI server.

The application only carries bytes between the server and :meth:`Mock.handle
<ixrules.mock.core.Mock.handle>`: it reads the body up to the mock's limit (a bigger one is
answered 413 without being read further), passes the path as it was sent (percent-encoded)
with the query string, and runs the mock in a worker thread so the event loop keeps serving
while a request waits for the database.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import quote

import anyio.to_thread
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount
from starlette.types import Receive, Scope, Send

from .wire import MockRequest, generic

if TYPE_CHECKING:
    from .core import Mock


def create_app(mock: Mock) -> Starlette:
    """The ASGI application serving ``mock`` on every path and method."""

    async def serve(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":  # websockets: the API has none
            return
        request = Request(scope, receive)
        body, too_big = await _read(request, mock.max_body)
        if too_big:
            answer = generic(413, f"The request body is over {mock.max_body} bytes.")
        else:
            answer = await anyio.to_thread.run_sync(mock.handle, _request(scope, body))
        response = Response(answer.body, status_code=answer.status, headers=answer.headers)
        if too_big:
            response.headers["connection"] = "close"
        await response(scope, receive, send)

    return Starlette(routes=[Mount("/", app=serve)])


async def _read(request: Request, limit: int) -> tuple[bytes, bool]:
    """The body, or (b"", True) once it is past ``limit`` bytes."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and len(declared) < 20 and int(declared) > limit:
        return b"", True
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            return b"", True
        chunks.append(chunk)
    return b"".join(chunks), False


def _request(scope: Scope, body: bytes) -> MockRequest:
    """The mock's view of an ASGI request: the path as sent, its query, lower-case headers."""
    raw: Any = scope.get("raw_path")
    path = raw.decode("latin-1") if isinstance(raw, bytes) else quote(scope.get("path", "/"))
    path = path.partition("?")[0]
    query = scope.get("query_string", b"").decode("latin-1")
    headers: dict[str, str] = {}
    for name, value in scope.get("headers", []):
        headers.setdefault(name.decode("latin-1").lower(), value.decode("latin-1"))
    target = f"{path}?{query}" if query else path
    return MockRequest(scope.get("method", "GET"), target, headers, body)
