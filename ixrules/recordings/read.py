"""Reading a recording: its bytes (a bounded read of a regular file), its format (named, or
told by the file's extension, else by its content), and the reader for that format."""

from __future__ import annotations

import json
import os
from typing import Any

from .har import is_har, read_har
from .interaction import Interaction, ReplayError
from .jsonl import read_jsonl
from .vcr import is_cassette, read_cassette, read_yaml

#: The formats a recording may be in: VCR cassettes (YAML or JSON, both flavours), HAR 1.2,
#: JSON Lines of ``{request, response}``.
FORMATS = ("vcr", "har", "jsonl")
_BY_EXTENSION = {
    ".yml": "vcr",
    ".yaml": "vcr",
    ".har": "har",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
}


def read_file(path: str, *, fmt: str | None = None, limit: int | None = None) -> list[Interaction]:
    """The interactions of the recording at ``path`` (at most ``limit`` bytes; the command's
    default when None)."""
    from ..lint.sources import MAX_BYTES, describe_os_error
    from ..lint.sources import read_file as read_bounded

    name = os.fspath(path)
    try:
        data = read_bounded(name, limit or MAX_BYTES)
    except OSError as exc:
        raise ReplayError(name, describe_os_error(exc)) from None
    return read_bytes(name, data, fmt=fmt)


def read_bytes(file: str, data: bytes, *, fmt: str | None = None) -> list[Interaction]:
    """The interactions of a recording's bytes; ``file`` names it in errors and results."""
    if fmt is not None and fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ReplayError(file, f"not UTF-8 text: byte 0x{data[exc.start]:02x}", line) from None
    if not text.strip():
        raise ReplayError(file, "empty: no interactions")
    if fmt is None:
        fmt = _BY_EXTENSION.get(os.path.splitext(file)[1].casefold()) or _sniff(text)
    if fmt == "jsonl":
        return read_jsonl(file, text)
    if fmt == "vcr" and not text.lstrip().startswith("{"):
        return read_yaml(file, text)
    return _read_json(file, text, fmt)


def _sniff(text: str) -> str:
    """``json`` (a HAR file or a cassette as JSON), ``jsonl`` or ``vcr`` (YAML)."""
    if not text.lstrip().startswith("{"):
        return "vcr"
    first = text.lstrip().split("\n", 1)[0]
    try:
        json.loads(first)
    except ValueError:
        return "json"  # an object over several lines
    rest = text.lstrip()[len(first) :].strip()
    return "jsonl" if rest.startswith("{") else "json"


def _read_json(file: str, text: str, fmt: str) -> list[Interaction]:
    try:
        data = json.loads(text)
    except RecursionError:
        raise ReplayError(file, "not readable: nested too deeply") from None
    except json.JSONDecodeError as exc:
        line = text.count("\n", 0, exc.pos) + 1
        raise ReplayError(file, f"not valid JSON: {exc.msg}", line) from None
    except ValueError as exc:
        raise ReplayError(file, f"not readable: {type(exc).__name__}") from None
    if fmt in ("har", "json") and is_har(data):
        return read_har(file, data, _lines(text, "/log/entries", data["log"].get("entries")))
    if fmt in ("vcr", "json") and is_cassette(data):
        key = "http_interactions" if "http_interactions" in data else "interactions"
        return read_cassette(file, data, _lines(text, f"/{key}", data.get(key)))
    wanted = {"har": "a HAR file ('log.entries')", "vcr": "a VCR cassette ('interactions')"}
    raise ReplayError(
        file, f"not {wanted.get(fmt, 'a HAR file or a VCR cassette (or JSON Lines)')}"
    )


def _lines(text: str, pointer: str, entries: Any) -> list[int | None]:
    """The line each entry of the list at ``pointer`` starts on."""
    if not isinstance(entries, list) or not entries:
        return []
    from ..lint.positions import line_col, newline_offsets, value_offsets

    offsets = value_offsets(text)
    newlines = newline_offsets(text)
    out: list[int | None] = []
    for index in range(len(entries)):
        at = offsets.get(f"{pointer}/{index}")
        out.append(None if at is None else line_col(text, at, newlines)[0])
    return out
