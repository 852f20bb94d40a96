"""``ixrules schema ENDPOINT`` and ``ixrules schema --all DIR``: the JSON Schema of an endpoint's
bodies (see :mod:`ixrules.schema_export`), printed, or written one file per endpoint for an
editor's ``json.schemas`` setting.

Rule packs are text from anyone: the schema is written through ``safe.json_safe`` (a lone
surrogate in a message is a ``\\ud800`` escape, never an encoding error), and an endpoint whose
name cannot be a file's (a NUL, a separator, a lone surrogate) is a ``CommandError`` before
anything is written."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..api import Rules
from ..lint.safe import json_safe
from ..lint.sources import describe_os_error
from ..outfiles import OutputDirectory, check_name
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
    ``<endpoint>.schema.json``; return the files written. A link at one of those names is
    replaced, never written through (see :mod:`ixrules.outfiles`)."""
    names = {name: file_name(name) for name in rules.endpoints()}  # all checked first
    written = []
    try:
        with OutputDirectory(directory, create=True) as target:  # no link in it is followed
            for name, file in names.items():
                text = _dumps(rules.json_schema(name, locale=locale))
                written.append(target.write(file, text.encode("utf-8")))
    except OSError as exc:
        reason = describe_os_error(exc)
        raise CommandError(f"cannot write the schemas into {directory}: {reason}") from None
    return written


def file_name(endpoint: str) -> str:
    """The file ``--all`` writes ``endpoint``'s schema into, or a ``CommandError`` when the name
    cannot be a plain file name of this system (:func:`ixrules.outfiles.check_name`: no NUL, no
    separator, nothing that is not encodable, no leading dot).

    >>> file_name("invoices.create")
    'invoices.create.schema.json'
    >>> file_name("a\\x00b")
    Traceback (most recent call last):
    ...
    ixrules.cli.errors.CommandError: the endpoint name 'a\\x00b' cannot be a file name
    """
    try:
        return check_name(endpoint + SUFFIX)
    except ValueError:
        raise CommandError(f"the endpoint name {endpoint!r} cannot be a file name") from None


def _dumps(schema: dict[str, Any]) -> str:
    return json_safe(dumps(schema)) + "\n"
