"""Which bodies to check: paths, directories, globs and stdin, turned into small batches.

A ``.json`` file (or anything not named ``.jsonl``/``.ndjson``) holds one body; a JSON Lines
file holds one body per line and is streamed, a batch of lines at a time, so memory stays flat
however large it is. Batches keep the cost of sending work to other processes low.
"""

from __future__ import annotations

import codecs
import glob
import os
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import BinaryIO

from .problems import Failure

#: Suffixes of JSON Lines files (one body per line).
LINES_SUFFIXES = (".jsonl", ".ndjson")
#: Suffixes a directory is searched for.
WALKED_SUFFIXES = (".json", *LINES_SUFFIXES)
#: How much one batch holds, at most.
BATCH_BODIES = 256
BATCH_BYTES = 1 << 20

STDIN = "-"
_GLOB = re.compile(r"[*?[]")


@dataclass(frozen=True)
class Source:
    """One input: ``file`` is the name shown in output; ``path`` is None for stdin."""

    file: str
    path: str | None
    lines: bool
    size: int | None = None


@dataclass(frozen=True)
class Document:
    """A whole file holding one body: read by whoever checks it (``data`` given for stdin)."""

    file: str
    path: str | None = None
    data: bytes | None = None


@dataclass(frozen=True)
class Lines:
    """Consecutive lines of a JSON Lines file, the first being line ``first``."""

    file: str
    first: int
    lines: tuple[bytes, ...]


@dataclass(frozen=True)
class Failed:
    """A failure met while reading, kept in its place so output stays in input order."""

    failure: Failure


Item = Document | Lines | Failed
#: A batch of items, and its size in bytes (for the progress bar).
Batch = tuple[tuple[Item, ...], int]


def is_lines(name: str) -> bool:
    """True for a JSON Lines file name.

    >>> is_lines("export.jsonl"), is_lines("invoice.json")
    (True, False)
    """
    return name.lower().endswith(LINES_SUFFIXES)


def expand(
    args: Sequence[str],
    stdin_name: str | None = None,
    excluded: Callable[[str], bool] | None = None,
) -> list[Source | Failure]:
    """The sources ``args`` name, in order: files as given, directories walked (sorted, hidden
    directories skipped), globs expanded; a file named twice is checked once; a path that does
    not exist, a glob that matches nothing and a directory with no payload file are each a
    ``Failure`` in their place (linting nothing must not look like a clean run). A path for
    which ``excluded`` is true is never read, even when named (as pre-commit names files)."""
    out: list[Source | Failure] = []
    seen: set[str] = set()
    skip = excluded or (lambda path: False)

    def add(path: str) -> None:
        key = os.path.realpath(path)
        if skip(path):
            return
        if key not in seen:
            seen.add(key)
            out.append(_file_source(path))

    for arg in args:
        if arg == STDIN:
            if STDIN not in seen:
                seen.add(STDIN)
                name = stdin_name or "<stdin>"
                out.append(Source(name, None, is_lines(name)))
        elif os.path.isdir(arg):
            found = list(_walk(arg, skip))
            if not found and not list(_walk(arg)):
                out.append(Failure(arg, "no *.json, *.jsonl or *.ndjson file in this directory"))
            for path in found:
                add(path)
        elif os.path.exists(arg):
            add(arg)
        elif _GLOB.search(arg):
            matches = sorted(glob.glob(arg, recursive=True))
            if not matches:
                out.append(Failure(arg, "no file matches this pattern"))
            for match in matches:
                for path in _walk(match, skip) if os.path.isdir(match) else [match]:
                    add(path)
        else:
            out.append(Failure(arg, "no such file or directory"))
    return out


def _walk(directory: str, skip: Callable[[str], bool] | None = None) -> Iterator[str]:
    for top, dirs, files in os.walk(directory):
        dirs[:] = sorted(
            d
            for d in dirs
            if not d.startswith(".") and not (skip is not None and skip(os.path.join(top, d)))
        )
        for name in sorted(files):
            path = os.path.join(top, name)
            if name.lower().endswith(WALKED_SUFFIXES) and not (skip is not None and skip(path)):
                yield path


def _file_source(path: str) -> Source:
    try:
        size: int | None = os.stat(path).st_size
    except OSError:
        size = None
    return Source(path, path, is_lines(path), size)


def total_size(sources: Sequence[Source | Failure]) -> int | None:
    """The bytes to read, or None when unknown (stdin)."""
    total = 0
    for source in sources:
        if isinstance(source, Source):
            if source.size is None:
                return None
            total += source.size
    return total


def batches(sources: Sequence[Source | Failure], stdin: BinaryIO) -> Iterator[Batch]:
    """The items to check, in input order, grouped into batches of bounded size."""
    items: list[Item] = []
    size = bodies = 0
    for item, item_size, item_bodies in _items(sources, stdin):
        items.append(item)
        size += item_size
        bodies += item_bodies
        if bodies >= BATCH_BODIES or size >= BATCH_BYTES:
            yield tuple(items), size
            items, size, bodies = [], 0, 0
    if items:
        yield tuple(items), size


def _items(sources: Sequence[Source | Failure], stdin: BinaryIO) -> Iterator[tuple[Item, int, int]]:
    for source in sources:
        if isinstance(source, Failure):
            yield Failed(source), 0, 0
        elif source.lines:
            yield from _lines(source, stdin)
        elif source.path is None:
            data = stdin.read()
            yield Document(source.file, data=data), len(data), 1
        else:
            yield Document(source.file, source.path), source.size or 0, 1


def _lines(source: Source, stdin: BinaryIO) -> Iterator[tuple[Item, int, int]]:
    """Stream a JSON Lines source in chunks of lines; a read error ends it with a Failure."""
    chunk: list[bytes] = []
    first = number = 1
    size = 0
    try:
        handle = stdin if source.path is None else open(source.path, "rb")  # noqa: SIM115
    except OSError as exc:
        yield Failed(Failure(source.file, describe_os_error(exc))), 0, 0
        return
    try:
        for number, line in enumerate(handle, 1):
            if number == 1:
                line = line.removeprefix(codecs.BOM_UTF8)
            chunk.append(line)
            size += len(line)
            if len(chunk) >= BATCH_BODIES or size >= BATCH_BYTES:
                yield Lines(source.file, first, tuple(chunk)), size, len(chunk)
                chunk, first, size = [], number + 1, 0
        if chunk:
            yield Lines(source.file, first, tuple(chunk)), size, len(chunk)
    except OSError as exc:
        if chunk:
            yield Lines(source.file, first, tuple(chunk)), size, len(chunk)
        yield Failed(Failure(source.file, describe_os_error(exc), number + 1)), 0, 0
    finally:
        if handle is not stdin:
            handle.close()


def describe_os_error(exc: OSError) -> str:
    """A one-line reason without the path (the caller shows it first).

    >>> describe_os_error(PermissionError(13, "Permission denied", "a.json"))
    'permission denied'
    """
    reason = exc.strerror or str(exc) or type(exc).__name__
    return reason[0].lower() + reason[1:]
