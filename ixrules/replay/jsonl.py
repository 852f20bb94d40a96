"""JSON Lines of interactions, for traffic an app logs itself: one object a line,

    {"request": {"method": "POST", "url": "https://acme.app.invoicexpress.com/taxes.json",
                 "headers": {"Content-Type": "application/json"}, "body": {"tax": {...}}},
     "response": {"status": 422, "body": {"errors": [{"error": "..."}]}}}

``headers`` is a mapping (a value or a list of values a name) or a list of ``[name, value]``
pairs; a ``body`` is the JSON value itself or its text; ``headers`` and ``body`` may be left
out. Blank lines are skipped.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from .interaction import Interaction, Malformed, ReplayError, headers_of, status_of, text_of


def read_jsonl(file: str, text: str) -> list[Interaction]:
    """The interactions of a JSON Lines file, one a line."""
    out: list[Interaction] = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            entry = json.loads(line)
        except RecursionError:
            raise ReplayError(file, "not readable: nested too deeply", number) from None
        except ValueError as exc:
            reason = exc.msg if isinstance(exc, json.JSONDecodeError) else type(exc).__name__
            raise ReplayError(file, f"not valid JSON: {reason}", number) from None
        try:
            out.append(_interaction(file, number, len(out), entry))
        except Malformed as exc:
            raise ReplayError(file, str(exc), number) from None
    return out


def _interaction(file: str, line: int, index: int, entry: Any) -> Interaction:
    if not isinstance(entry, Mapping):
        raise Malformed("expected an object with 'request' and 'response'")
    request, response = entry.get("request"), entry.get("response")
    if not isinstance(request, Mapping) or not isinstance(response, Mapping):
        raise Malformed("'request' or 'response' is missing or not an object")
    return Interaction(
        file=file,
        line=line,
        index=index,
        method=text_of(request.get("method"), "the request's method").upper(),
        url=text_of(request.get("url"), "the request's url"),
        request_headers=headers_of(request.get("headers"), "the request's headers"),
        request_body=request.get("body"),
        status=status_of(response.get("status")),
        response_headers=headers_of(response.get("headers"), "the response's headers"),
        response_body=response.get("body"),
    )
