"""Which bodies to check: paths, directories, globs and stdin, turned into small batches.

A ``.json`` file (or anything not named ``.jsonl``/``.ndjson``) holds one body; a JSON Lines
file holds one body per line and is streamed, a batch of lines at a time, so memory stays flat
however large it is. Batches keep the cost of sending work to other processes low.

Reads are bounded and never block: only regular files (and stdin) are read, opened without
waiting (a FIFO named like a payload must not hang the run) and checked after opening; a file,
stdin or a JSON Lines line longer than the limit (``--max-bytes``) is a failure, not a
``MemoryError``. Directory walks and ``**`` globs enter each real directory once, so symbolic
links that loop (``ln -s . d/a``) cannot make them run forever.
"""

from __future__ import annotations

import codecs
import fnmatch
import glob
import os
import re
import stat
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
#: The default of ``--max-bytes``: the most a JSON file, stdin or one JSON Lines line may hold.
MAX_BYTES = 64 << 20


class TooLarge(OSError):
    """More bytes than the limit: read no further."""


def open_regular(path: str) -> BinaryIO:
    """``path`` opened for reading if it is a regular file; else an ``OSError`` saying what it
    is. Opening never waits (``O_NONBLOCK``: a FIFO with no writer would block ``open``), and
    the check is made on the opened file, so nothing can be swapped in between."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise OSError(f"not a regular file ({_kind(mode)})")
        os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a file"


def read_limited(handle: BinaryIO, limit: int) -> bytes:
    """All of ``handle``, or ``TooLarge`` past ``limit`` bytes (reading at most one more)."""
    data = handle.read(limit + 1)
    if len(data) > limit:
        raise TooLarge(f"larger than {limit:,} bytes (see --max-bytes)")
    return data


def read_file(path: str, limit: int = MAX_BYTES) -> bytes:
    """A regular file's bytes, at most ``limit`` of them (see ``open_regular``)."""
    with open_regular(path) as handle:
        return read_limited(handle, limit)


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

    def add_all(paths: list[str]) -> None:
        for path in paths:
            add(path)

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
            matches = sorted(_glob(arg))
            if not matches:
                out.append(Failure(arg, "no file matches this pattern"))
            for match in matches:
                if not os.path.isdir(match):
                    add(match)
                elif match.lower().endswith(WALKED_SUFFIXES):
                    out.append(Failure(match, "not a regular file (a directory)"))
                else:
                    add_all(list(_walk(match, skip)))
        else:
            out.append(Failure(arg, "no such file or directory"))
    return out


def _walk(directory: str, skip: Callable[[str], bool] | None = None) -> Iterator[str]:
    """The payload files under ``directory``, sorted, hidden directories skipped, and what
    ``skip`` says is excluded (directories are then not entered)."""
    for top, dirs, files in _tree(directory):
        if skip is not None:
            dirs[:] = [d for d in dirs if not skip(os.path.join(top, d))]
        for name in files:
            path = os.path.join(top, name)
            if name.lower().endswith(WALKED_SUFFIXES) and not (skip is not None and skip(path)):
                yield path


def _tree(directory: str) -> Iterator[tuple[str, list[str], list[str]]]:
    """``os.walk`` in sorted order, following symbolic links to directories but entering each
    real directory (device and inode) once, and never one whose name starts with a dot."""
    seen: set[tuple[int, int]] = set()
    for top, dirs, files in os.walk(directory, followlinks=True):
        try:
            info = os.stat(top)
        except OSError:
            dirs[:] = []
            continue
        if (info.st_dev, info.st_ino) in seen:
            dirs[:] = []
            continue
        seen.add((info.st_dev, info.st_ino))
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        files.sort()
        yield top, dirs, files


def _glob(pattern: str) -> list[str]:
    """What ``glob.glob(pattern, recursive=True)`` matches, but with ``**`` walking each real
    directory once (``glob`` follows looping links until the path is too long: exponentially
    many paths). Hidden names match only a pattern part that starts with a dot, as in glob."""
    if "**" not in pattern:
        return glob.glob(pattern)
    parts = pattern.split(os.sep)
    fixed = 0
    while fixed < len(parts) - 1 and not _GLOB.search(parts[fixed]):
        fixed += 1
    root = os.sep.join(parts[:fixed]) or ("" if not pattern.startswith(os.sep) else os.sep)
    wanted = parts[fixed:]
    start = root or os.curdir
    if not os.path.isdir(start):
        return []
    out: list[str] = []
    for top, dirs, files in _tree(start):
        rel = os.path.relpath(top, start)
        prefix = [] if rel == os.curdir else rel.split(os.sep)
        for name in dirs + files:
            if _matches(wanted, [*prefix, name]):
                out.append(
                    os.path.join(root, *prefix, name) if root else os.path.join(*prefix, name)
                )
    return out


def _matches(pattern: list[str], parts: list[str]) -> bool:
    """Whether path ``parts`` match glob ``pattern`` parts (``**`` is any number of parts)."""
    if not pattern:
        return not parts
    head = pattern[0]
    if head == "**":
        return _matches(pattern[1:], parts) or (
            bool(parts) and not parts[0].startswith(".") and _matches(pattern, parts[1:])
        )
    if not parts or (parts[0].startswith(".") and not head.startswith(".")):
        return False
    return fnmatch.fnmatchcase(parts[0], head) and _matches(pattern[1:], parts[1:])


def _file_source(path: str) -> Source | Failure:
    """A file to read, or a failure for what is not a regular file (checked again on open)."""
    try:
        info = os.stat(path)
    except OSError:
        return Source(path, path, is_lines(path))  # the read says why
    if not stat.S_ISREG(info.st_mode):
        return Failure(path, f"not a regular file ({_kind(info.st_mode)})")
    return Source(path, path, is_lines(path), info.st_size)


def total_size(sources: Sequence[Source | Failure]) -> int | None:
    """The bytes to read, or None when unknown (stdin)."""
    total = 0
    for source in sources:
        if isinstance(source, Source):
            if source.size is None:
                return None
            total += source.size
    return total


def batches(
    sources: Sequence[Source | Failure], stdin: BinaryIO, limit: int = MAX_BYTES
) -> Iterator[Batch]:
    """The items to check, in input order, grouped into batches of bounded size; a file, stdin
    or a JSON Lines line holds at most ``limit`` bytes."""
    items: list[Item] = []
    size = bodies = 0
    for item, item_size, item_bodies in _items(sources, stdin, limit):
        items.append(item)
        size += item_size
        bodies += item_bodies
        if bodies >= BATCH_BODIES or size >= BATCH_BYTES:
            yield tuple(items), size
            items, size, bodies = [], 0, 0
    if items:
        yield tuple(items), size


def _items(
    sources: Sequence[Source | Failure], stdin: BinaryIO, limit: int
) -> Iterator[tuple[Item, int, int]]:
    for source in sources:
        if isinstance(source, Failure):
            yield Failed(source), 0, 0
        elif source.lines:
            yield from _lines(source, stdin, limit)
        elif source.path is None:
            try:
                data = read_limited(stdin, limit)
            except OSError as exc:
                yield Failed(Failure(source.file, describe_os_error(exc))), 0, 0
                continue
            yield Document(source.file, data=data), len(data), 1
        else:
            yield Document(source.file, source.path), source.size or 0, 1


def _lines(source: Source, stdin: BinaryIO, limit: int) -> Iterator[tuple[Item, int, int]]:
    """Stream a JSON Lines source in chunks of lines; a read error, or a line longer than
    ``limit``, ends it with a Failure."""
    chunk: list[bytes] = []
    first = number = 1
    size = 0
    try:
        handle = stdin if source.path is None else open_regular(source.path)
    except OSError as exc:
        yield Failed(Failure(source.file, describe_os_error(exc))), 0, 0
        return
    try:
        for number, line in enumerate(iter(lambda: handle.readline(limit + 1), b""), 1):
            if len(line) > limit and not (len(line) == limit + 1 and line.endswith(b"\n")):
                raise TooLarge(f"line longer than {limit:,} bytes (see --max-bytes)")
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
        where = number if isinstance(exc, TooLarge) else number + 1
        reason = describe_os_error(exc)
        if isinstance(exc, TooLarge):
            reason += "; the rest of the file is not read"
        yield Failed(Failure(source.file, reason, where)), 0, 0
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
