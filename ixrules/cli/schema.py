"""``ixrules schema ENDPOINT`` and ``ixrules schema --all DIR``: the JSON Schema of an endpoint's
bodies (see :mod:`ixrules.schema_export`), printed, or written one file per endpoint for an
editor's ``json.schemas`` setting.

Rule packs are text from anyone: the schema is written through ``safe.json_safe`` (a lone
surrogate in a message is a ``\\ud800`` escape, never an encoding error), and an endpoint whose
name cannot be a file's (a NUL, a separator, a lone surrogate) is a ``CommandError`` before
anything is written."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from ..api import Rules
from ..lint.safe import json_safe
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
    names = {name: file_name(name) for name in rules.endpoints()}
    try:
        target.mkdir(parents=True, exist_ok=True)
        written = []
        for name, file in names.items():
            path = target / file
            path.write_text(_dumps(rules.json_schema(name, locale=locale)), encoding="utf-8")
            written.append(path)
    except OSError as exc:
        raise CommandError(f"cannot write the schemas into {directory}: {exc.strerror}") from None
    return written


def file_name(endpoint: str) -> str:
    """The file ``--all`` writes ``endpoint``'s schema into, or a ``CommandError`` when the name
    cannot be a plain file name of this system (no NUL, no separator, nothing that is not
    encodable, not ``.`` or ``..``).

    >>> file_name("invoices.create")
    'invoices.create.schema.json'
    >>> file_name("a\\x00b")
    Traceback (most recent call last):
    ...
    ixrules.cli.errors.CommandError: the endpoint name 'a\\x00b' cannot be a file name
    """
    try:
        encoded = os.fsencode(endpoint)
    except UnicodeError:
        encoded = b"\0"
    separators = {os.sep, *([os.altsep] if os.altsep else [])}
    if b"\0" in encoded or endpoint in ("", ".", "..") or any(s in endpoint for s in separators):
        raise CommandError(f"the endpoint name {endpoint!r} cannot be a file name")
    return endpoint + SUFFIX


def _dumps(schema: dict[str, Any]) -> str:
    return json_safe(dumps(schema)) + "\n"
