"""What travels: a request as the mock reads it, a response as it answers, and the few bodies
of its own (not JSON, too big, too deep). No web framework here: the ASGI application, the
in-process transports and the tests all speak these two classes.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

#: The most a request body may hold (bytes); a bigger one is answered 413.
MAX_BODY = 1 << 20
#: The deepest a JSON body may nest; a deeper one is answered 400.
MAX_DEPTH = 64
#: The longest a header the mock writes may be (characters).
MAX_HEADER = 2048
#: The header that carries ixrules' warnings about a request (what the API would silently
#: drop or change), as a JSON array of ``{"rule", "path", "message"}``.
WARNINGS_HEADER = "x-ixrules-warnings"
#: The header that names the endpoint a request was routed to.
ENDPOINT_HEADER = "x-ixrules-endpoint"

JSON_TYPE = "application/json; charset=utf-8"


@dataclass(frozen=True)
class MockRequest:
    """A request: ``target`` is the path as sent (percent-encoded) with its query string."""

    method: str
    target: str
    headers: Mapping[str, str] = field(default_factory=dict)  # names in lower case
    body: bytes = b""

    def header(self, name: str) -> str | None:
        """A header's value (the name in lower case), or None."""
        return self.headers.get(name)

    @property
    def query(self) -> str:
        """The query string (without the ``?``)."""
        return self.target.partition("?")[2]

    def params(self) -> dict[str, list[str]]:
        """The query parameters, each with every value it was given, in order."""
        out: dict[str, list[str]] = {}
        for key, value in parse_qsl(self.query, keep_blank_values=True):
            out.setdefault(key, []).append(value)
        return out


@dataclass(frozen=True)
class MockResponse:
    """A response: status, headers (names in lower case) and the body's bytes."""

    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)

    def json(self) -> Any:
        """The body, parsed (None when empty)."""
        return json.loads(self.body) if self.body else None


def respond(
    status: int, payload: Any = None, headers: Mapping[str, str] | None = None
) -> MockResponse:
    """A JSON response (no body when ``payload`` is None)."""
    out = dict(headers or {})
    if payload is None:
        return MockResponse(status, b"", out)
    out["content-type"] = JSON_TYPE
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return MockResponse(status, body, out)


def empty(status: int) -> MockResponse:
    """A response without a body (the API's 404s are empty)."""
    return MockResponse(status, b"", {})


def generic(status: int, message: str) -> MockResponse:
    """The API's generic error shape (the OpenAPI description's ``400``/``422`` schemas)."""
    return respond(status, {"error": {"code": str(status), "message": message}})


def header_value(value: Any) -> str:
    """``value`` as JSON in printable ASCII (every other character escaped), cut to
    :data:`MAX_HEADER` characters: nothing of a request reaches a header unescaped."""
    text = json.dumps(value, ensure_ascii=True, separators=(",", ":"))
    text = "".join(ch if 32 <= ord(ch) < 127 else f"\\u{ord(ch):04x}" for ch in text)
    if len(text) > MAX_HEADER:
        text = text[: MAX_HEADER - 3] + "..."
    return text


def depth(value: Any, limit: int = MAX_DEPTH) -> int:
    """How deep ``value`` nests (counted up to ``limit + 1``, never recursing)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        if level > deepest:
            deepest = level
            if deepest > limit:
                return deepest
        if isinstance(item, dict):
            stack.extend((child, level + 1) for child in item.values())
        elif isinstance(item, list):
            stack.extend((child, level + 1) for child in item)
    return deepest


def log_text(value: str, limit: int = 200) -> str:
    """A piece of a request fit for a log line: printable ASCII, escaped, cut to ``limit``."""
    text = value.encode("unicode_escape").decode("ascii")
    text = "".join(ch if 32 <= ord(ch) < 127 else f"\\x{ord(ch):02x}" for ch in text)
    return text if len(text) <= limit else text[: limit - 3] + "..."
