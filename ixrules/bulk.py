"""Bulk validation with Dask: the lint of ``ixrules lint``, run as a Dask graph over JSON Lines
files (local paths or any fsspec URL, e.g. ``s3://bucket/logs/*.jsonl``) or over a Dask bag, for
archives too large for one machine. Needs the ``dask`` extra: ``pip install 'ixrules[dask]'``.

Each JSON Lines file is split into byte blocks at line ends; a task reads its block on the
worker and checks its lines with the lint core the command line uses (:mod:`ixrules.lint`), so
a malformed line is the same ``Failure`` record the local lint makes, never a failed task. Line
numbers are counted per block and added up afterwards, in a chain of tiny tasks, so blocks are
checked in parallel and still report the line of the whole file. Tasks carry only plain settings
(endpoint, context, rule directory): each worker process loads and compiles the rules once, on
its first task.

>>> table = lint_bag(["examples/requests.jsonl"])
>>> rows = table.compute(scheduler="synchronous")
>>> rows[["line", "column", "rule"]].values.tolist()  # doctest: +NORMALIZE_WHITESPACE
[[2, 63, 'document.items.invalid'], [2, 125, 'item.unit.accepted'],
 [3, 54, 'document.client.invalid'], [3, 80, 'client.email.valid']]
"""

from __future__ import annotations

import codecs
import dataclasses
import glob
import io
import os
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import dask.bag
import fsspec
from dask.delayed import Delayed, delayed
from fsspec.utils import read_block

from .lint.checker import Settings, check_batch
from .lint.problems import Failure, Outcome
from .lint.sources import Document, Failed, Item, Lines, describe_os_error, is_lines
from .lint.table import frame

if TYPE_CHECKING:
    import dask.dataframe
    from fsspec.core import OpenFile

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
    are numbered already)."""

    outcomes: list[Outcome]
    lines: dict[str, int] = dataclasses.field(default_factory=dict)
    keys: dict[str, str] = dataclasses.field(default_factory=dict)
    #: How many bodies the part checked (what a summary counts for JSON Lines).
    bodies: int = 0


@dataclass(frozen=True)
class Block:
    """Bytes ``offset`` to ``offset + length`` of a JSON Lines file, widened to whole lines
    (each line belongs to the block it starts in); ``length`` None: to the end. ``key`` names
    the file's line counter: one per file given, even if two are shown under the same name."""

    file: str
    source: OpenFile
    offset: int
    length: int | None
    key: str


@dataclass(frozen=True)
class Whole:
    """A file holding one JSON body, read on the worker."""

    file: str
    source: OpenFile


Unit = Block | Whole | tuple[Item, ...]


def lint_bag(
    paths_or_bag: str | Sequence[str] | dask.bag.Bag,
    *,
    endpoint: str | None = None,
    config: None = None,
    context: Mapping[str, Any] | None = None,
    rules_dir: str | None = None,
    blocksize: int = BLOCKSIZE,
) -> dask.dataframe.DataFrame:
    """The problems of every body, as a lazy Dask DataFrame with the columns of
    ``ixrules.lint.table.COLUMNS`` (``file, line, column, endpoint, path, rule, severity,
    message, status, hint, failure``), rows in file order and line order within a file.

    ``paths_or_bag`` is a path or URL, a list of them (globs expanded by fsspec; files named
    ``*.jsonl``/``*.ndjson`` hold one body a line, others one body), or a Dask bag of lines:
    ``str``/``bytes`` (named ``<bag>``) or ``(line, path)`` pairs as ``dask.bag.read_text(...,
    include_path=True)`` makes them; lines are numbered per path in bag order.

    ``endpoint``, ``context`` and ``rules_dir`` are those of ``ixrules lint`` (``-e``, ``-c``'s
    snapshot, ``--rules``); ``config=None`` means the shipped rules. A failure (malformed line,
    unreadable file) is a row with ``failure`` true, its reason in ``message``.
    """
    import dask.dataframe  # pandas and pyarrow: only for the table, not for ``ixrules lint``

    if config is not None:
        raise TypeError("config: only None (the shipped rules) is supported")
    rules_dir = None if rules_dir is None else os.path.abspath(rules_dir)  # read on the workers
    settings = Settings(endpoint, context, rules_dir)
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
    files, or a glob of them."""
    for index, path in enumerate(paths):
        if "://" not in path and _GLOB.search(path):
            found = [
                (name, fsspec.open(name, "rb")) for name in sorted(glob.glob(path, recursive=True))
            ]
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
    file: str, source: OpenFile, blocksize: int = BLOCKSIZE, key: str | None = None
) -> Iterator[Block]:
    """The blocks of one JSON Lines file (one for a file whose size is unknown or unreadable:
    the worker then says why), counting lines under ``key`` (default: the file's name)."""
    key = file if key is None else key
    try:
        size = source.fs.size(source.path)
    except OSError:
        size = None
    if size is None:
        yield Block(file, source, 0, None, key)
        return
    for offset in range(0, max(size, 1), blocksize):
        yield Block(file, source, offset, min(blocksize, size - offset), key)


def plan(work: Sequence[Unit], settings: Settings) -> list[Delayed]:
    """One task per unit: a ``Block``, a ``Whole`` file, or a batch of items (as
    ``ixrules.lint.sources`` makes them, e.g. for stdin), each giving a ``Part``."""
    return [delayed(_check, pure=True)(unit, settings) for unit in work]


def numbered(parts: Sequence[Delayed]) -> list[Delayed]:
    """Each part's outcomes with line numbers of the whole file: the lines of the parts before
    it are added up in a chain of tiny tasks (the parts themselves run in parallel)."""
    out = []
    start: Any = {}
    for part in parts:
        out.append(delayed(_shift, pure=True)(part, start))
        start = delayed(_advance, pure=True)(start, part)
    return out


def _check(unit: Unit, settings: Settings) -> Part:
    if isinstance(unit, Block):
        return _check_block(unit, settings)
    if isinstance(unit, Whole):
        try:
            with unit.source as handle:
                data = handle.read()
        except OSError as exc:
            return Part([Failure(unit.file, describe_os_error(exc))])
        checked = check_batch((Document(unit.file, data=data),), settings)
        return Part(checked.outcomes, bodies=checked.bodies)
    checked = check_batch(unit, settings)
    return Part(checked.outcomes, bodies=checked.bodies)


def _check_block(block: Block, settings: Settings) -> Part:
    try:
        with block.source as handle:
            data = read_block(handle, block.offset, block.length, delimiter=b"\n")
    except OSError as exc:
        line = None if block.offset == 0 else 1
        return Part(
            [Failure(block.file, describe_os_error(exc), line)], {}, {block.file: block.key}
        )
    lines = io.BytesIO(data).readlines()  # split at b"\n" only, as reading a file by lines does
    if block.offset == 0 and lines:
        lines[0] = lines[0].removeprefix(codecs.BOM_UTF8)
    checked = check_batch((Lines(block.file, 1, tuple(lines)),), settings)
    return Part(checked.outcomes, {block.key: len(lines)}, {block.file: block.key}, checked.bodies)


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
    return Part(checked.outcomes, counts, keys, checked.bodies)


def bodies(parts: Sequence[Delayed]) -> Delayed:
    """How many bodies ``parts`` checked, added up."""
    counted: Delayed = delayed(sum, pure=True)([delayed(_bodies, pure=True)(p) for p in parts])
    return counted


def _bodies(part: Part) -> int:
    return part.bodies


def _shift(part: Part, start: Mapping[str, int]) -> list[Outcome]:
    out = []
    for outcome in part.outcomes:
        before = start.get(part.keys.get(outcome.file, ""), 0)
        if outcome.line is not None and before:
            outcome = dataclasses.replace(outcome, line=outcome.line + before)
        out.append(outcome)
    return out


def _advance(start: Mapping[str, int], part: Part) -> dict[str, int]:
    after = dict(start)
    for key, count in part.lines.items():
        after[key] = after.get(key, 0) + count
    return after
