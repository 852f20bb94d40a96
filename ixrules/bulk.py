"""Bulk validation with Dask: the lint of ``ixrules lint``, run as a Dask graph over JSON Lines
files (local paths or any fsspec URL, e.g. ``s3://bucket/logs/*.jsonl``) or over a Dask bag, for
archives too large for one machine. Needs the ``dask`` extra: ``pip install 'ixrules[dask]'``.

Each JSON Lines file is split into byte blocks at line ends; a task reads its block on the
worker and checks its lines with the lint core the command line uses (:mod:`ixrules.lint`), with
its read bounds (a local file only if regular, opened without waiting; ``max_bytes`` a body or a
line), so a malformed line is the same ``Failure`` record the local lint makes, never a failed
task. Line numbers are counted per block and added up afterwards, in a chain of tiny tasks, so
blocks are checked in parallel and still report the line of the whole file. The settings
(endpoint, context, rule directory) are one node of the graph, sent to each worker once: each
worker process loads and compiles the rules once, on its first task.

>>> table = lint_bag(["examples/requests.jsonl"])
>>> rows = table.compute(scheduler="synchronous")
>>> rows[["line", "column", "rule"]].values.tolist()  # doctest: +NORMALIZE_WHITESPACE
[[2, 63, 'document.items.invalid'], [2, 125, 'item.unit.accepted'],
 [3, 54, 'document.client.invalid'], [3, 80, 'client.email.valid']]
"""

from __future__ import annotations

import dataclasses
import os
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, BinaryIO, TypeAlias

import dask.bag
import fsspec
from dask.delayed import Delayed, delayed
from fsspec.core import OpenFile

from .context import check_context
from .lint.checker import Settings, check_batch
from .lint.problems import Failure, Outcome
from .lint.sources import (
    MAX_BYTES,
    Document,
    Failed,
    Item,
    Lines,
    describe_os_error,
    glob_inside,
    is_lines,
    open_regular,
    read_limited,
    stream_lines,
)
from .lint.table import frame

if TYPE_CHECKING:
    import dask.dataframe

__all__ = ["BLOCKSIZE", "lint_bag"]

#: Bytes of a JSON Lines file one task checks (about 2,000 bodies of a 10-line invoice).
BLOCKSIZE = 4 << 20
#: How a bag's plain lines (not ``(line, path)`` pairs) are named.
BAG = "<bag>"
_GLOB = re.compile(r"[*?[]")


@dataclass(frozen=True)
class Part:
    """What one task found: outcomes whose line numbers count from the part's first line of each
    file, and how many lines of each file the part held (to number the parts after it), by the
    key of each file's line counter (``keys``: file name -> key; outcomes of files without one
    are numbered already). ``ended``: the keys of files whose reading stopped in this part (a
    line longer than the read bound, a read error), as ``ixrules lint`` stops reading them:
    what later parts found in them is dropped. ``bodies``: how many bodies were checked."""

    outcomes: list[Outcome]
    lines: dict[str, int] = dataclasses.field(default_factory=dict)
    keys: dict[str, str] = dataclasses.field(default_factory=dict)
    ended: frozenset[str] = frozenset()
    bodies: int = 0


@dataclass(frozen=True)
class Counted:
    """The lines of each file's parts so far, by key, and the keys of files that ended early:
    what numbering the next part needs."""

    lines: Mapping[str, int] = dataclasses.field(default_factory=dict)
    ended: frozenset[str] = frozenset()


#: A file's source: a local path (read as ``ixrules lint`` reads it: a regular file only,
#: opened without waiting) or an fsspec file (a URL).
Opened: TypeAlias = "str | OpenFile"


@dataclass(frozen=True)
class Block:
    """Bytes ``offset`` to ``offset + length`` of a JSON Lines file, widened to whole lines
    (each line belongs to the block it starts in); ``length`` None: to the end. ``key`` names
    the file's line counter: one per file given, even if two are shown under the same name."""

    file: str
    source: Opened
    offset: int
    length: int | None
    key: str


@dataclass(frozen=True)
class Whole:
    """A file holding one JSON body, read on the worker."""

    file: str
    source: Opened


Unit = Block | Whole | tuple[Item, ...]


def lint_bag(
    paths_or_bag: str | Sequence[str] | dask.bag.Bag,
    *,
    endpoint: str | None = None,
    config: None = None,
    context: Mapping[str, Any] | None = None,
    rules_dir: str | None = None,
    blocksize: int = BLOCKSIZE,
    max_bytes: int = MAX_BYTES,
) -> dask.dataframe.DataFrame:
    """The problems of every body, as a lazy Dask DataFrame with the columns of
    ``ixrules.lint.table.COLUMNS`` (``file, line, column, endpoint, path, rule, severity,
    message, status, hint, failure``), rows in file order and line order within a file.

    ``paths_or_bag`` is a path or URL, a list of them (globs expanded by fsspec; files named
    ``*.jsonl``/``*.ndjson`` hold one body a line, others one body), or a Dask bag of lines:
    ``str``/``bytes`` (named ``<bag>``) or ``(line, path)`` pairs as ``dask.bag.read_text(...,
    include_path=True)`` makes them; lines are numbered per path in bag order.

    ``endpoint``, ``context``, ``rules_dir`` and ``max_bytes`` are those of ``ixrules lint``
    (``-e``, ``-c``'s snapshot, ``--rules``, ``--max-bytes``: the most a file of one body or a
    JSON Lines line may hold, more being a failure that ends the file's lines, as there);
    ``config=None`` means the shipped rules. A failure (malformed line, unreadable file) is a
    row with ``failure`` true, its reason in ``message``.
    """
    import dask.dataframe  # pandas and pyarrow: only for the table, not for ``ixrules lint``

    if config is not None:
        raise TypeError("config: only None (the shipped rules) is supported")
    rules_dir = None if rules_dir is None else os.path.abspath(rules_dir)  # read on the workers
    check_context(context)  # a misspelt key fails here, not in every task
    settings = Settings(endpoint, context, rules_dir, max_bytes=max_bytes)
    if endpoint is not None:
        settings.rules().endpoint(endpoint)  # an unknown name fails here, not in every task
    if isinstance(paths_or_bag, dask.bag.Bag):
        parts = [
            delayed(_check_elements, pure=True)(partition, settings)
            for partition in paths_or_bag.to_delayed()
        ]
    else:
        paths = [paths_or_bag] if isinstance(paths_or_bag, str) else list(paths_or_bag)
        parts = plan(list(units(paths, blocksize)), settings)
    frames = [delayed(frame, pure=True)(outcomes) for outcomes in numbered(parts)]
    table: dask.dataframe.DataFrame = dask.dataframe.from_delayed(
        frames, meta=frame([]), verify_meta=False
    )
    return table


def units(paths: Iterable[str], blocksize: int = BLOCKSIZE) -> Iterator[Unit]:
    """The units of work of ``paths`` (paths or URLs), in order. Local globs are expanded as
    ``ixrules lint`` does (sorted, ``**`` included, names as matched), URL globs by fsspec; a
    pattern matching nothing is a failure in its place. Directories are not walked: name their
    files, or a glob of them. Local files are read as ``ixrules lint`` reads them (regular files
    only, opened without waiting), URLs through fsspec."""
    for index, path in enumerate(paths):
        found: list[tuple[str, Opened]]
        if "://" not in path:
            names = sorted(glob_inside(path)) if _GLOB.search(path) else [path]
            found = [(name, name) for name in names]
        else:
            sources = fsspec.open_files(path, mode="rb")
            glob_url = _GLOB.search(path) is not None
            found = [(source.full_name if glob_url else path, source) for source in sources]
        if not found:
            yield (Failed(Failure(path, "no file matches this pattern")),)
        for match, (file, source) in enumerate(found):
            if is_lines(file):
                yield from blocks(file, source, blocksize, key=f"{index}.{match}")
            else:
                yield Whole(file, source)


def blocks(
    file: str, source: Opened, blocksize: int = BLOCKSIZE, key: str | None = None
) -> Iterator[Block]:
    """The blocks of one JSON Lines file (one for a file whose size is unknown or unreadable:
    the worker then says why), counting lines under ``key`` (default: the file's name)."""
    key = file if key is None else key
    try:
        size = os.stat(source).st_size if isinstance(source, str) else source.fs.size(source.path)
    except OSError:
        size = None
    if size is None:
        yield Block(file, source, 0, None, key)
        return
    for offset in range(0, max(size, 1), blocksize):
        yield Block(file, source, offset, min(blocksize, size - offset), key)


def plan(work: Sequence[Unit], settings: Settings) -> list[Delayed]:
    """One task per unit: a ``Block``, a ``Whole`` file, or a batch of items (as
    ``ixrules.lint.sources`` makes them, e.g. for stdin), each giving a ``Part``. The settings
    (the context, which may be large) are one node of the graph that every task depends on, so
    each worker is sent them once, not with every task."""
    shared = delayed(settings, pure=True)
    return [delayed(check, pure=True)(unit, shared) for unit in work]


def numbered(parts: Sequence[Delayed]) -> list[Delayed]:
    """Each part's outcomes with line numbers of the whole file: the lines of the parts before
    it are added up in a chain of tiny tasks (the parts themselves run in parallel)."""
    out = []
    start: Any = Counted()
    for part in parts:
        out.append(delayed(shift, pure=True)(part, start))
        start = delayed(advance, pure=True)(start, part)
    return out


def check(unit: Unit, settings: Settings) -> Part:
    """Read and check one unit, bounded as ``ixrules lint`` reads (``settings.max_bytes``: the
    most a file or a JSON Lines line may hold)."""
    if isinstance(unit, Block):
        return _check_block(unit, settings)
    if isinstance(unit, Whole):
        if isinstance(unit.source, str):  # read by the checker, as the local run reads it
            checked = check_batch((Document(unit.file, unit.source),), settings)
            return Part(checked.outcomes, bodies=checked.bodies)
        try:
            with unit.source as handle:
                data = read_limited(handle, settings.max_bytes)
        except OSError as exc:
            return Part([Failure(unit.file, describe_os_error(exc))])
        checked = check_batch((Document(unit.file, data=data),), settings)
        return Part(checked.outcomes, bodies=checked.bodies)
    checked = check_batch(unit, settings)
    return Part(checked.outcomes, bodies=checked.bodies)


def _open(source: Opened) -> BinaryIO:
    if isinstance(source, str):
        return open_regular(source)
    opened: BinaryIO = source.open()
    return opened


def _check_block(block: Block, settings: Settings) -> Part:
    """The lines starting in the block, streamed and checked as ``ixrules lint`` streams a JSON
    Lines file (a line longer than ``max_bytes`` ends the file); a line that starts before the
    block is the business of the block it starts in."""
    keys = {block.file: block.key}
    limit = settings.max_bytes
    try:
        handle = _open(block.source)
    except OSError as exc:
        line = None if block.offset == 0 else 1
        return Part([Failure(block.file, describe_os_error(exc), line)], {}, keys)
    with handle:
        try:
            if block.offset > 0:
                handle.seek(block.offset - 1)
                before = handle.readline(limit + 2)  # the end of the line the block opens in
                if not before.endswith(b"\n"):  # in a line too long, or the last one: not ours
                    return Part([], {block.key: 0}, keys)
                start = block.offset - 1 + len(before)
            else:
                start = 0
        except OSError as exc:
            return Part([Failure(block.file, describe_os_error(exc), 1)], {}, keys)
        end = None if block.length is None else block.offset + block.length
        reader = _Starting(handle, start, end)
        outcomes: list[Outcome] = []
        bodies = 0
        for item, _, _ in stream_lines(block.file, reader, limit, bom=block.offset == 0):
            checked = check_batch((item,), settings)
            outcomes.extend(checked.outcomes)
            bodies += checked.bodies
    ended = frozenset() if reader.finished else frozenset({block.key})
    return Part(outcomes, {block.key: reader.count}, keys, ended, bodies)


class _Starting:
    """The lines of ``handle`` that start from ``start`` up to ``end`` (None: the end of the
    file), read as a file's lines are; ``finished`` once they have all been read."""

    def __init__(self, handle: BinaryIO, start: int, end: int | None) -> None:
        self.handle = handle
        self.position = start
        self.end = end
        self.count = 0
        self.finished = False

    def readline(self, size: int = -1) -> bytes:
        line = b""
        if self.end is None or self.position < self.end:
            line = self.handle.readline(size)
        if not line:
            self.finished = True
            return b""
        self.position += len(line)
        self.count += 1
        return line


def _check_elements(elements: Iterable[Any], settings: Settings) -> Part:
    """A bag partition: runs of consecutive lines of one file become ``Lines`` items."""
    counts: dict[str, int] = {}
    items: list[Item] = []
    run: list[bytes] = []
    run_file = ""
    for element in elements:
        line, file = element if isinstance(element, tuple) else (element, BAG)
        if file != run_file and run:
            items.append(Lines(run_file, counts.get(run_file, 0) + 1, tuple(run)))
            counts[run_file] = counts.get(run_file, 0) + len(run)
            run = []
        run_file = file
        run.append(line.encode("utf-8") if isinstance(line, str) else line)
    if run:
        items.append(Lines(run_file, counts.get(run_file, 0) + 1, tuple(run)))
        counts[run_file] = counts.get(run_file, 0) + len(run)
    keys = {file: file for file in counts}
    checked = check_batch(tuple(items), settings)
    return Part(checked.outcomes, counts, keys, bodies=checked.bodies)


def shift(part: Part, start: Counted) -> list[Outcome]:
    """A part's outcomes numbered in the whole file, given what the parts before it counted;
    those of a file that ended in an earlier part are dropped."""
    out = []
    for outcome in part.outcomes:
        key = part.keys.get(outcome.file, "")
        if key in start.ended:
            continue
        before = start.lines.get(key, 0)
        if outcome.line is not None and before:
            outcome = outcome.replace(line=outcome.line + before)
        out.append(outcome)
    return out


def advance(start: Counted, part: Part) -> Counted:
    """What the parts up to and including ``part`` counted."""
    lines = dict(start.lines)
    for key, count in part.lines.items():
        lines[key] = lines.get(key, 0) + count
    return Counted(lines, start.ended | part.ended)
