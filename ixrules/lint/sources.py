"""Which bodies to check: paths, directories, globs and stdin, turned into small batches.

A ``.json`` file (or anything not named ``.jsonl``/``.ndjson``) holds one body; a JSON Lines
file holds one body per line and is streamed, a batch of lines at a time, so memory stays flat
however large it is. Batches keep the cost of sending work to other processes low.

Reads are bounded and never block: only regular files (and stdin) are read, opened without
waiting (a FIFO named like a payload must not hang the run) and checked after opening; a file,
stdin or a JSON Lines line longer than the limit (``--max-bytes``) is a failure, not a
``MemoryError``. Directory walks and ``**`` globs enter each real directory once, so symbolic
links that loop (``ln -s . d/a``) cannot make them run forever, and never leave the tree they
were given: a symbolic link out of it (to ``/``, to ``~/.ssh``) is not followed but reported as
``Skipped``, so a repository cannot make the lint print what is elsewhere.
"""

from __future__ import annotations

import codecs
import fnmatch
import glob
import os
import re
import stat
from collections.abc import Callable, Iterator, Sequence
from typing import BinaryIO, Protocol

from ..records import Record, fill
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


class Skipped(Record):
    """A path a walk or a glob met and did not take: a symbolic link out of its tree. Printed
    as one line on stderr; it is no failure (the tree itself was checked)."""

    FIELDS = ("file", "tree")

    file: str
    tree: str

    def __init__(self, file: str, tree: str) -> None:
        fill(self, file=file, tree=tree)

    def __str__(self) -> str:
        from .safe import name

        return f"{name(self.file)}: skipped: a symbolic link leads out of {name(self.tree)}"


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


class Source(Record):
    """One input: ``file`` is the name shown in output; ``path`` is None for stdin."""

    FIELDS = ("file", "path", "lines", "size")

    file: str
    path: str | None
    lines: bool
    size: int | None

    def __init__(self, file: str, path: str | None, lines: bool, size: int | None = None) -> None:
        fill(self, file=file, path=path, lines=lines, size=size)


class Document(Record):
    """A whole file holding one body: read by whoever checks it (``data`` given for stdin)."""

    FIELDS = ("file", "path", "data")

    file: str
    path: str | None
    data: bytes | None

    def __init__(self, file: str, path: str | None = None, data: bytes | None = None) -> None:
        fill(self, file=file, path=path, data=data)


class Lines(Record):
    """Consecutive lines of a JSON Lines file, the first being line ``first``."""

    FIELDS = ("file", "first", "lines")

    file: str
    first: int
    lines: tuple[bytes, ...]

    def __init__(self, file: str, first: int, lines: tuple[bytes, ...]) -> None:
        fill(self, file=file, first=first, lines=lines)


class Span(Record):
    """Consecutive whole lines of a regular JSON Lines file, by their place: ``length`` bytes
    from ``offset`` of ``path``, ``count`` lines, the first being line ``first``. What
    ``--jobs`` hands a worker, which reads them itself (:func:`read_span`), instead of the
    lines' bytes: pickling them through the pool's pipes cost the main process more CPU than
    reading the file."""

    FIELDS = ("file", "path", "first", "offset", "length", "count")

    file: str
    path: str
    first: int
    offset: int
    length: int
    count: int

    def __init__(
        self, file: str, path: str, first: int, offset: int, length: int, count: int
    ) -> None:
        fill(self, file=file, path=path, first=first, offset=offset, length=length, count=count)


class Failed(Record):
    """A failure met while reading, kept in its place so output stays in input order."""

    FIELDS = ("failure",)

    failure: Failure

    def __init__(self, failure: Failure) -> None:
        fill(self, failure=failure)


Item = Document | Lines | Span | Failed
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
    skipped: Callable[[Skipped], None] | None = None,
) -> list[Source | Failure]:
    """The sources ``args`` name, in order: files as given, directories walked (sorted, hidden
    directories skipped), globs expanded; a file named twice is checked once; a path that does
    not exist, a glob that matches nothing and a directory with no payload file are each a
    ``Failure`` in their place (linting nothing must not look like a clean run). A path for
    which ``excluded`` is true is never read, even when named (as pre-commit names files).
    Walks and globs stay inside their tree (the directory, or a glob's part before its first
    wildcard): what ``skipped`` is given instead of a link out of it is never read."""
    out: list[Source | Failure] = []
    seen: set[str] = set()
    skip = excluded or (lambda path: False)
    told = skipped or (lambda path: None)

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
            found = list(_walk(arg, skip, told))
            if not found and not list(_walk(arg)):
                out.append(Failure(arg, "no *.json, *.jsonl or *.ndjson file in this directory"))
            for path in found:
                add(path)
        elif os.path.exists(arg):
            add(arg)
        elif _GLOB.search(arg):
            matches = sorted(glob_inside(arg, told))
            if not matches:
                out.append(Failure(arg, "no file matches this pattern"))
            for match in matches:
                if not os.path.isdir(match):
                    add(match)
                elif match.lower().endswith(WALKED_SUFFIXES):
                    out.append(Failure(match, "not a regular file (a directory)"))
                else:
                    add_all(list(_walk(match, skip, told)))
        else:
            out.append(Failure(arg, "no such file or directory"))
    return out


def _walk(
    directory: str,
    skip: Callable[[str], bool] | None = None,
    skipped: Callable[[Skipped], None] | None = None,
) -> Iterator[str]:
    """The payload files under ``directory``, sorted, hidden directories skipped, and what
    ``skip`` says is excluded (directories are then not entered); a symbolic link out of
    ``directory`` is given to ``skipped`` and not followed."""
    tree = _Tree(directory, skipped)
    for top, _, files in tree.walk(skip):
        for name in files:
            path = os.path.join(top, name)
            if (
                name.lower().endswith(WALKED_SUFFIXES)
                and not (skip is not None and skip(path))
                and tree.holds(path)
            ):
                yield path


class _Tree:
    """A directory walked without ever leaving it: a symbolic link is followed only when it
    resolves inside the directory (each real directory entered once, so links that loop end);
    one that points out is given to ``skipped`` instead."""

    def __init__(self, directory: str, skipped: Callable[[Skipped], None] | None) -> None:
        self.directory = directory
        self.root = os.path.realpath(directory)
        self._skipped = skipped

    def holds(self, path: str, anywhere: bool = False) -> bool:
        """True when ``path`` is inside the tree; else tell ``skipped``. A path met in the walk
        can lead out only if it is a link itself; with ``anywhere``, a link may be anywhere
        in it (a glob's match: ``d/*/x.json`` goes through ``d/link/``)."""
        if not anywhere and not os.path.islink(path):
            return True
        real = os.path.realpath(path)
        if self.root == real or real.startswith(self.root.rstrip(os.sep) + os.sep):
            return True
        if self._skipped is not None:
            self._skipped(Skipped(os.path.normpath(path), self.directory))
        return False

    def walk(
        self, skip: Callable[[str], bool] | None = None
    ) -> Iterator[tuple[str, list[str], list[str]]]:
        """``os.walk`` in sorted order, into the tree's directories and the links to them
        inside it, each real directory (device and inode) once, never one whose name starts
        with a dot or that ``skip`` excludes."""
        seen: set[tuple[int, int]] = set()
        for top, dirs, files in os.walk(self.directory, followlinks=True):
            try:
                info = os.stat(top)
            except OSError:
                dirs[:] = []
                continue
            if (info.st_dev, info.st_ino) in seen:
                dirs[:] = []
                continue
            seen.add((info.st_dev, info.st_ino))
            dirs[:] = [
                d
                for d in sorted(dirs)
                if not d.startswith(".")
                and not (skip is not None and skip(os.path.join(top, d)))
                and self.holds(os.path.join(top, d))
            ]
            files.sort()
            yield top, dirs, files


def glob_inside(pattern: str, skipped: Callable[[Skipped], None] | None = None) -> list[str]:
    """What ``glob.glob(pattern, recursive=True)`` matches inside the pattern's tree (its part
    before the first wildcard, or the working directory), with ``**`` walking each real
    directory once (``glob`` follows looping links until the path is too long: exponentially
    many paths) and never through a link out of the tree (see ``_Tree``). Hidden names match
    only a pattern part that starts with a dot, as in glob."""
    parts = pattern.split(os.sep)
    fixed = 0
    while fixed < len(parts) - 1 and not _GLOB.search(parts[fixed]):
        fixed += 1
    root = os.sep.join(parts[:fixed]) or ("" if not pattern.startswith(os.sep) else os.sep)
    start = root or os.curdir
    tree = _Tree(start, skipped)
    if "**" not in pattern:
        return [match for match in glob.glob(pattern) if tree.holds(match, anywhere=True)]
    wanted = parts[fixed:]
    if not os.path.isdir(start):
        return []
    out: list[str] = []
    for top, dirs, files in tree.walk():
        rel = os.path.relpath(top, start)
        prefix = [] if rel == os.curdir else rel.split(os.sep)
        for names, checked in ((dirs, False), (files, True)):  # dirs: held already
            for name in names:
                if _matches(wanted, [*prefix, name]):
                    path = (
                        os.path.join(root, *prefix, name) if root else os.path.join(*prefix, name)
                    )
                    if not checked or tree.holds(path):
                        out.append(path)
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
    sources: Sequence[Source | Failure],
    stdin: BinaryIO,
    limit: int = MAX_BYTES,
    spans: bool = False,
) -> Iterator[Batch]:
    """The items to check, in input order, grouped into batches of bounded size; a file, stdin
    or a JSON Lines line holds at most ``limit`` bytes. With ``spans``, the lines of a regular
    file are given by their place (:class:`Span`), for a worker process to read."""
    items: list[Item] = []
    size = bodies = 0
    for item, item_size, item_bodies in _items(sources, stdin, limit, spans):
        items.append(item)
        size += item_size
        bodies += item_bodies
        if bodies >= BATCH_BODIES or size >= BATCH_BYTES:
            yield tuple(items), size
            items, size, bodies = [], 0, 0
    if items:
        yield tuple(items), size


def _items(
    sources: Sequence[Source | Failure], stdin: BinaryIO, limit: int, spans: bool
) -> Iterator[tuple[Item, int, int]]:
    for source in sources:
        if isinstance(source, Failure):
            yield Failed(source), 0, 0
        elif source.lines:
            yield from _lines(source, stdin, limit, spans)
        elif source.path is None:
            try:
                data = read_limited(stdin, limit)
            except OSError as exc:
                yield Failed(Failure(source.file, describe_os_error(exc))), 0, 0
                continue
            yield Document(source.file, data=data), len(data), 1
        else:
            yield Document(source.file, source.path), source.size or 0, 1


def _lines(
    source: Source, stdin: BinaryIO, limit: int, spans: bool
) -> Iterator[tuple[Item, int, int]]:
    """Stream a JSON Lines source (see :func:`stream_lines`), a regular file's chunks as
    :class:`Span` items with ``spans``."""
    try:
        handle = stdin if source.path is None else open_regular(source.path)
    except OSError as exc:
        yield Failed(Failure(source.file, describe_os_error(exc))), 0, 0
        return
    try:
        found = stream_lines(source.file, handle, limit)
        if spans and source.path is not None:
            found = _as_spans(found, source.path, _opens_with_bom(source.path))
        yield from found
    finally:
        if handle is not stdin:
            handle.close()


class LineReader(Protocol):
    """What :func:`stream_lines` reads: a binary file, or anything with its ``readline``."""

    def readline(self, size: int = -1, /) -> bytes: ...


def stream_lines(
    file: str, handle: LineReader, limit: int, bom: bool = True
) -> Iterator[tuple[Item, int, int]]:
    """The lines of ``handle`` (JSON Lines of ``file``, from its line 1 on) in chunks, with their
    sizes and counts; a read error, or a line longer than ``limit``, ends them with a Failure
    (nothing after it is read). ``bom``: a byte order mark may open the first line."""
    chunk: list[bytes] = []
    first = number = 1
    size = 0
    try:
        for number, line in enumerate(_raw_lines(handle, limit), 1):
            if len(line) > limit and not (len(line) == limit + 1 and line.endswith(b"\n")):
                raise TooLarge(f"line longer than {limit:,} bytes (see --max-bytes)")
            if number == 1 and bom:
                line = line.removeprefix(codecs.BOM_UTF8)
            chunk.append(line)
            size += len(line)
            if len(chunk) >= BATCH_BODIES or size >= BATCH_BYTES:
                yield Lines(file, first, tuple(chunk)), size, len(chunk)
                chunk, first, size = [], number + 1, 0
        if chunk:
            yield Lines(file, first, tuple(chunk)), size, len(chunk)
    except OSError as exc:
        if chunk:
            yield Lines(file, first, tuple(chunk)), size, len(chunk)
        where = number if isinstance(exc, TooLarge) else number + 1
        reason = describe_os_error(exc)
        if isinstance(exc, TooLarge):
            reason += "; the rest of the file is not read"
        yield Failed(Failure(file, reason, where)), 0, 0


#: How much :func:`_raw_lines` asks of a file at a time.
READ_BLOCK = 1 << 18


def _raw_lines(handle: LineReader, limit: int) -> Iterator[bytes]:
    """The lines ``handle.readline(limit + 1)`` returns one by one (each with its newline; a
    line longer than ``limit`` cut after ``limit + 1`` bytes, and nothing after it), read in
    blocks where the handle has ``read1``: a ``readline`` per line cost 5 µs of a 1.8 KB
    line, a third of parsing it. ``read1`` returns what is there, so a pipe's lines are
    checked as they come."""
    read = getattr(handle, "read1", None)
    if read is None:
        yield from iter(lambda: handle.readline(limit + 1), b"")
        return
    pending = b""
    while True:
        block = read(READ_BLOCK)
        if not block:
            break
        lines = (pending + block if pending else block).split(b"\n")
        pending = lines.pop()
        for line in lines:
            if len(line) > limit:
                yield line[: limit + 1]
                return
            yield line + b"\n"
        if len(pending) > limit:
            yield pending[: limit + 1]
            return
    if pending:
        yield pending


def _as_spans(
    found: Iterator[tuple[Item, int, int]], path: str, bom: bool
) -> Iterator[tuple[Item, int, int]]:
    """``found`` with each chunk of lines given by its place in ``path`` (``bom``: the file
    opens with a byte order mark, which the first line's text went without)."""
    offset = 0
    for item, size, count in found:
        if isinstance(item, Lines):
            length = size + (len(codecs.BOM_UTF8) if bom and item.first == 1 else 0)
            yield Span(item.file, path, item.first, offset, length, len(item.lines)), size, count
            offset += length
        else:
            yield item, size, count


def _opens_with_bom(path: str) -> bool:
    try:
        with open_regular(path) as handle:
            return handle.read(3) == codecs.BOM_UTF8
    except OSError:
        return False  # the read of the lines says why


def read_span(span: Span) -> Lines | Failed:
    """The lines ``span`` places, read from its file as :func:`stream_lines` read them; a
    failure at its first line when they cannot be read or are no longer those lines (the file
    changed while it was checked)."""
    try:
        with open_regular(span.path) as handle:
            handle.seek(span.offset)
            data = handle.read(span.length)
    except OSError as exc:
        return Failed(Failure(span.file, describe_os_error(exc), span.first))
    parts = data.split(b"\n")
    lines = [part + b"\n" for part in parts[:-1]]
    if parts[-1]:
        lines.append(parts[-1])  # the file's last line, without a newline
    if len(data) != span.length or len(lines) != span.count:
        last = span.first + span.count - 1
        reason = f"the file changed while it was read: lines {span.first} to {last} not checked"
        return Failed(Failure(span.file, reason, span.first))
    if span.first == 1:
        lines[0] = lines[0].removeprefix(codecs.BOM_UTF8)
    return Lines(span.file, span.first, tuple(lines))


def describe_os_error(exc: OSError) -> str:
    """A one-line reason without the path (the caller shows it first).

    >>> describe_os_error(PermissionError(13, "Permission denied", "a.json"))
    'permission denied'
    """
    reason = exc.strerror or str(exc) or type(exc).__name__
    return reason[0].lower() + reason[1:]
