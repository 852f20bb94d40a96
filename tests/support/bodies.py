"""Fixture bodies (tests/fixtures/), and issues as plain (message, path, rule) triples."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
EXAMPLES = FIXTURES / "examples"


def load_example(name: str) -> Any:
    """A request body copied from the API's docs, client libraries or recorded traffic."""
    return json.loads((EXAMPLES / name).read_text(encoding="utf-8"))


def triples(report: Any) -> list[tuple[str, str, str]]:
    """A report's issues as (message, path, rule id), in order: what the tests assert."""
    return [(issue.message, issue.path, issue.rule) for issue in report.errors]


def changed(body: Any, path: str, value: Any) -> Any:
    """A deep copy of ``body`` with the JSON pointer ``path`` set to ``value`` (or removed when
    ``value`` is ``DELETE``)."""
    out = copy.deepcopy(body)
    parts = [part for part in path.split("/")[1:]]
    node = out
    for part in parts[:-1]:
        node = node[int(part)] if isinstance(node, list) else node[part]
    last = parts[-1]
    if isinstance(node, list):
        if value is DELETE:
            del node[int(last)]
        else:
            node[int(last)] = value
    elif value is DELETE:
        del node[last]
    else:
        node[last] = value
    return out


DELETE = object()
