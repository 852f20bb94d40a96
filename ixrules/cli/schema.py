"""``ixrules schema ENDPOINT`` and ``ixrules schema --all DIR``: the JSON Schema of an endpoint's
bodies (see :mod:`ixrules.schema_export`), printed, or written one file per endpoint for an
editor's ``json.schemas`` setting."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..api import Rules
from ..schema_export import dumps
from .errors import CommandError
from .info import check_endpoint

#: How each file of ``--all DIR`` is named.
SUFFIX = ".schema.json"


def schema_text(rules: Rules, endpoint: str, locale: str | None = None) -> str:
    """The endpoint's schema as indented JSON, ending with a newline."""
    check_endpoint(rules, endpoint)
    return _dumps(rules.json_schema(endpoint, locale=locale))


def write_all(rules: Rules, directory: str, locale: str | None = None) -> list[Path]:
    """Write every endpoint's schema into ``directory`` (made if missing) as
    ``<endpoint>.schema.json``; return the files written."""
    target = Path(directory)
    try:
        target.mkdir(parents=True, exist_ok=True)
        written = []
        for name in rules.endpoints():
            path = target / f"{name}{SUFFIX}"
            path.write_text(_dumps(rules.json_schema(name, locale=locale)), encoding="utf-8")
            written.append(path)
    except OSError as exc:
        raise CommandError(f"cannot write the schemas into {directory}: {exc.strerror}") from None
    return written


def _dumps(schema: dict[str, Any]) -> str:
    return dumps(schema) + "\n"
