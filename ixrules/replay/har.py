"""HAR 1.2 files (what browsers' developer tools, proxies and many HTTP libraries export):
``log.entries``, each with its ``request`` (``method``, ``url``, ``headers``, ``postData``) and
``response`` (``status``, ``headers``, ``content`` with its ``text``, base64 when ``encoding``
says so). A ``status`` of 0 is a request that got no answer.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

from .interaction import (
    Interaction,
    Malformed,
    ReplayError,
    base64_body,
    decoded,
    headers_of,
    status_of,
    text_of,
)


def is_har(data: Any) -> bool:
    """Whether parsed JSON is a HAR file (a mapping with ``log``)."""
    return isinstance(data, Mapping) and isinstance(data.get("log"), Mapping)


def read_har(file: str, data: Any, lines: list[int | None]) -> list[Interaction]:
    """The interactions of a parsed HAR file; ``lines`` gives where each entry starts."""
    entries = data["log"].get("entries")
    if not isinstance(entries, list):
        raise ReplayError(file, "not a HAR file: 'log.entries' is missing or not a list")
    out = []
    for index, entry in enumerate(entries):
        line = lines[index] if index < len(lines) else None
        try:
            out.append(_interaction(file, line, index, entry))
        except Malformed as exc:
            raise ReplayError(file, f"entry {index + 1}: {exc}", line) from None
    return out


def _interaction(file: str, line: int | None, index: int, entry: Any) -> Interaction:
    if not isinstance(entry, Mapping):
        raise Malformed("not a mapping of 'request' and 'response'")
    request, response = entry.get("request"), entry.get("response")
    if not isinstance(request, Mapping) or not isinstance(response, Mapping):
        raise Malformed("'request' or 'response' is missing or not a mapping")
    request_headers = headers_of(request.get("headers"), "the request's headers")
    response_headers = headers_of(response.get("headers"), "the response's headers")
    made = Interaction(
        file=file,
        line=line,
        index=index,
        method=text_of(request.get("method"), "the request's method").upper(),
        url=text_of(request.get("url"), "the request's url"),
        request_headers=request_headers,
        request_body=_posted(request.get("postData")),
        status=status_of(response.get("status")),
        response_headers=response_headers,
        response_body=_content(response.get("content")),
    )
    return made


def _posted(value: Any) -> Any:
    """``postData``: its ``text``, else its form ``params`` encoded as a form posts them."""
    if value is None:
        return None
    if not isinstance(value, Mapping):
        raise Malformed("the request's postData is not a mapping")
    text = value.get("text")
    if isinstance(text, str):
        return text
    params = value.get("params")
    if isinstance(params, list):
        pairs = [(p.get("name"), p.get("value", "")) for p in params if isinstance(p, Mapping)]
        return urlencode([(str(name), str(item)) for name, item in pairs if name is not None])
    if text is not None:
        raise Malformed("the request's postData text is not a string")
    return None


def _content(value: Any) -> Any:
    """``content``: its ``text``, decoded from base64 when its ``encoding`` says so (HAR keeps
    the text as the client read it, never compressed)."""
    if value is None:
        return None
    if not isinstance(value, Mapping):
        raise Malformed("the response's content is not a mapping")
    text = value.get("text")
    if text is None:
        return None
    if not isinstance(text, str):
        raise Malformed("the response's content text is not a string")
    if str(value.get("encoding", "")).casefold() == "base64":
        return decoded(base64_body(text, "the response's content text"), None)
    return text
