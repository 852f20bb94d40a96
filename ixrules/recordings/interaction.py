"""One recorded interaction, as every reader gives it: the request that was sent and the answer
the API gave, with the place in the file it came from. Readers turn each format's spelling
(VCR.py's and Ruby VCR's YAML, HAR 1.2, JSON Lines) into this one shape; nothing downstream
knows which format an interaction came from.
"""

from __future__ import annotations

import base64
import binascii
import zlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

#: The most a compressed body is inflated to (a real answer is a few hundred bytes).
MAX_INFLATED = 16 << 20

Headers = tuple[tuple[str, str], ...]


class ReplayError(ValueError):
    """A recording that cannot be replayed (unreadable, not a format ixrules reads, an
    interaction missing its method or URL): says which file, where and why, in one line, and
    never quotes the recording (it may hold secrets)."""

    def __init__(self, file: str, reason: str, line: int | None = None) -> None:
        where = file if line is None else f"{file}:{line}"
        super().__init__(f"{where}: {reason}")
        self.file = file
        self.reason = reason
        self.line = line


@dataclass(frozen=True)
class Interaction:
    """A request and the answer it got. ``request_body`` and ``response_body`` are text, bytes
    (a binary or undecodable body), a parsed JSON value (JSON Lines may hold one) or None;
    ``status`` is None when no answer was recorded (a HAR entry of an aborted request)."""

    file: str
    line: int | None
    index: int
    method: str
    url: str
    request_headers: Headers
    request_body: Any
    status: int | None
    response_headers: Headers
    response_body: Any

    def header(self, name: str, response: bool = False) -> str | None:
        """A header's values joined by commas (names compared without case), or None."""
        wanted = name.casefold()
        pairs = self.response_headers if response else self.request_headers
        values = [value for key, value in pairs if key.casefold() == wanted]
        return ", ".join(values) if values else None


class Malformed(ValueError):
    """A reader's complaint about one interaction; the reader adds the file and line."""


@dataclass(frozen=True)
class Place:
    """Where an entry is: its file, the line it starts on (when known), its index."""

    file: str
    line: int | None
    index: int


#: What a reader gives :func:`read_entries` to build one interaction: where the entry is, and
#: its request and response objects.
Build = Callable[[Place, Mapping[str, Any], Mapping[str, Any]], Interaction]


def read_entries(
    file: str, entries: list[Any], lines: list[int | None], noun: str, build: Build
) -> list[Interaction]:
    """Each entry of a recording built into an interaction; a malformed one is a
    :class:`ReplayError` at its line, naming it (``interaction 3``, ``entry 3``)."""
    out = []
    for index, entry in enumerate(entries):
        line = lines[index] if index < len(lines) else None
        try:
            out.append(build(Place(file, line, index), *request_response(entry)))
        except Malformed as exc:
            prefix = f"{noun} {index + 1}: " if noun else ""
            raise ReplayError(file, f"{prefix}{exc}", line) from None
    return out


def recorded(
    place: Place,
    request: Mapping[str, Any],
    response: Mapping[str, Any],
    *,
    url: str,
    request_body: Any,
    status: int | None,
    response_body: Any,
) -> Interaction:
    """An interaction of a request and a response object whose method and headers every format
    writes alike; ``url`` names the request's URL key (``uri`` in VCR), and the bodies and
    status are as the format's reader found them."""
    return Interaction(
        file=place.file,
        line=place.line,
        index=place.index,
        method=text_of(request.get("method"), "the request's method").upper(),
        url=text_of(request.get(url), f"the request's {url}"),
        request_headers=headers_of(request.get("headers"), "the request's headers"),
        request_body=request_body,
        status=status,
        response_headers=headers_of(response.get("headers"), "the response's headers"),
        response_body=response_body,
    )


def request_response(entry: Any) -> tuple[Mapping[str, Any], Mapping[str, Any]]:
    """An entry's ``request`` and ``response`` objects."""
    if not isinstance(entry, Mapping):
        raise Malformed("expected an object with 'request' and 'response'")
    request, response = entry.get("request"), entry.get("response")
    if not isinstance(request, Mapping) or not isinstance(response, Mapping):
        raise Malformed("'request' or 'response' is missing or not an object")
    return request, response


def text_of(value: Any, what: str) -> str:
    """A required string field."""
    if not isinstance(value, str) or not value.strip():
        raise Malformed(f"{what} is missing or not a string")
    return value.strip()


def status_of(value: Any, what: str = "the response's status") -> int | None:
    """An HTTP status given as a number or its digits; 0 (a HAR entry never answered) is
    None, no answer."""
    if isinstance(value, str) and value.strip().isdigit() and len(value.strip()) <= 3:
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise Malformed(f"{what} is not a number")
    if value == 0:
        return None
    if not 100 <= value <= 599:
        raise Malformed(f"{what} is not an HTTP status (100 to 599)")
    return value


def headers_of(value: Any, what: str) -> Headers:
    """Headers as name-value pairs, from a mapping of names to a value or a list of values
    (VCR, JSON Lines), or a list of ``{"name", "value"}`` objects or ``[name, value]`` pairs
    (HAR, JSON Lines)."""
    if value is None:
        return ()
    pairs: list[tuple[str, str]] = []
    if isinstance(value, Mapping):
        for name, values in value.items():
            for item in values if isinstance(values, list) else [values]:
                pairs.append(_pair(name, item, what))
    elif isinstance(value, list):
        for entry in value:
            if isinstance(entry, Mapping):
                pairs.append(_pair(entry.get("name"), entry.get("value"), what))
            elif isinstance(entry, list) and len(entry) == 2:
                pairs.append(_pair(entry[0], entry[1], what))
            else:
                raise Malformed(f"{what} are neither a mapping nor a list of name-value pairs")
    else:
        raise Malformed(f"{what} are neither a mapping nor a list of name-value pairs")
    return tuple(pairs)


def _pair(name: Any, value: Any, what: str) -> tuple[str, str]:
    if not isinstance(name, str):
        raise Malformed(f"{what}: a header name is not a string")
    if value is None:
        return name, ""
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        return name, str(value)
    raise Malformed(f"{what}: the value of a header is not text")


def base64_body(value: Any, what: str) -> bytes:
    """A body recorded in base64 (Ruby VCR's ``base64_string``, HAR's ``encoding: base64``)."""
    if not isinstance(value, str):
        raise Malformed(f"{what} is not base64 text")
    try:
        return base64.b64decode("".join(value.split()), validate=True)
    except (binascii.Error, ValueError):
        raise Malformed(f"{what} is not valid base64") from None


def decoded(body: Any, encoding: str | None) -> Any:
    """A body as sent: bytes inflated when the ``Content-Encoding`` says gzip or deflate (VCR.py
    records the compressed bytes), then read as UTF-8 text when they are; anything else is
    returned as it is (bytes that are not UTF-8 stay bytes)."""
    if isinstance(body, (bytes, bytearray)):
        body = bytes(body)
        if encoding and encoding.strip().casefold() in ("gzip", "x-gzip", "deflate"):
            body = _inflate(body)
        try:
            return body.decode("utf-8")
        except UnicodeDecodeError:
            return body
    return body


def _inflate(data: bytes) -> bytes:
    """gzip, zlib or raw deflate data inflated (at most ``MAX_INFLATED`` bytes); the data as it
    is when it is none of them."""
    for wbits in (47, -15):  # gzip or zlib (header detected), then raw deflate
        inflater = zlib.decompressobj(wbits)
        try:
            out = inflater.decompress(data, MAX_INFLATED)
        except zlib.error:
            continue
        if inflater.unconsumed_tail:
            raise Malformed(f"a compressed body inflates past {MAX_INFLATED >> 20} MiB")
        return out
    return data
