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

from .interaction import Interaction, Place, ReplayError, read_entries, recorded, status_of


def read_jsonl(file: str, text: str) -> list[Interaction]:
    """The interactions of a JSON Lines file, one a line."""
    entries: list[Any] = []
    lines: list[int | None] = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            entries.append(json.loads(line))
        except RecursionError:
            raise ReplayError(file, "not readable: nested too deeply", number) from None
        except ValueError as exc:
            reason = exc.msg if isinstance(exc, json.JSONDecodeError) else type(exc).__name__
            raise ReplayError(file, f"not valid JSON: {reason}", number) from None
        lines.append(number)
    return read_entries(file, entries, lines, "", _interaction)


def _interaction(
    place: Place, request: Mapping[str, Any], response: Mapping[str, Any]
) -> Interaction:
    status = status_of(response.get("status"))
    return recorded(
        place,
        request,
        response,
        url="url",
        request_body=request.get("body"),
        status=status,
        response_body=response.get("body"),
    )
