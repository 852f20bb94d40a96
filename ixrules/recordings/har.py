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
    Place,
    ReplayError,
    base64_body,
    decoded,
    read_entries,
    recorded,
    status_of,
)


def is_har(data: Any) -> bool:
    """Whether parsed JSON is a HAR file (a mapping with ``log``)."""
    return isinstance(data, Mapping) and isinstance(data.get("log"), Mapping)


def read_har(file: str, data: Any, lines: list[int | None]) -> list[Interaction]:
    """The interactions of a parsed HAR file; ``lines`` gives where each entry starts."""
    entries = data["log"].get("entries")
    if not isinstance(entries, list):
        raise ReplayError(file, "not a HAR file: 'log.entries' is missing or not a list")
    return read_entries(file, entries, lines, "entry", _interaction)


def _interaction(
    place: Place, request: Mapping[str, Any], response: Mapping[str, Any]
) -> Interaction:
    return recorded(
        place,
        request,
        response,
        url="url",
        request_body=_posted(request.get("postData")),
        status=status_of(response.get("status")),
        response_body=_content(response.get("content")),
    )


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
