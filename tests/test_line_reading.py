"""JSON Lines are read in blocks: the same lines, chunks, sizes and failures as reading them
one line at a time (what ``readline`` gives)."""

from __future__ import annotations

import codecs
import io
import random
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ixrules.lint import sources


class ReadlineOnly:
    """A handle with ``readline`` alone: ``stream_lines`` reads it line by line."""

    def __init__(self, data: bytes) -> None:
        self._handle = io.BytesIO(data)

    def readline(self, size: int = -1, /) -> bytes:
        return self._handle.readline(size)


@settings(max_examples=500, deadline=None)
@given(
    st.lists(st.binary(max_size=12).map(lambda b: b.replace(b"\n", b"")), max_size=8),
    st.booleans(),
    st.integers(min_value=1, max_value=14),
    st.integers(min_value=1, max_value=9),
)
def test_lines_read_in_blocks_are_the_lines_read_one_by_one(
    lines: list[bytes], newline_at_end: bool, limit: int, block: int
) -> None:
    """``stream_lines`` reads a file in blocks (``read1``): the same lines, chunks, sizes and
    failures (a line longer than the limit ends them) as reading it a line at a time."""
    data = b"\n".join(lines) + (b"\n" if newline_at_end and lines else b"")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(sources, "READ_BLOCK", block)  # blocks that cut lines anywhere
        in_blocks = list(sources.stream_lines("f.jsonl", io.BytesIO(data), limit))
    one_by_one = list(sources.stream_lines("f.jsonl", ReadlineOnly(data), limit))
    assert in_blocks == one_by_one


def as_read(batch_items: list[sources.Item]) -> list[sources.Item]:
    """The items a worker checks: each span read back into its lines."""
    return [
        sources.read_span(item) if isinstance(item, sources.Span) else item for item in batch_items
    ]


def items_of(path: Path, spans: bool, limit: int) -> list[sources.Item]:
    found = [sources.Source(str(path), str(path), True, path.stat().st_size)]
    return [
        item
        for items, _ in sources.batches(found, io.BytesIO(), limit, spans=spans)
        for item in items
    ]


def test_a_worker_reads_back_the_very_lines_the_main_process_placed(tmp_path: Path) -> None:
    """``--jobs`` hands workers the place of the lines (``Span``), not their bytes: read back,
    they are the lines reading the file gives, whatever the file holds (a byte order mark,
    CRLF, blank lines, no newline at the end, a line over the limit, many chunks)."""
    rng = random.Random(26)
    pieces = [b'{"a": 1}', b"", b"  ", b'{"b": "x\\r"}\r', b"x" * 60, b"[1, 2]", b"\xff\xfe"]
    for case in range(200):
        lines = [rng.choice(pieces) for _ in range(rng.randrange(0, 400))]
        data = (codecs.BOM_UTF8 if case % 3 == 0 else b"") + b"\n".join(lines)
        data += b"\n" if case % 2 else b""
        path = tmp_path / f"{case}.jsonl"
        path.write_bytes(data)
        limit = rng.choice((50, 1 << 20))
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(sources, "BATCH_BODIES", rng.choice((1, 7, 256)))
            placed = items_of(path, spans=True, limit=limit)
            read = items_of(path, spans=False, limit=limit)
        assert as_read(placed) == read, case
        assert any(isinstance(item, sources.Span) for item in placed) == any(
            isinstance(item, sources.Lines) for item in read
        )


def test_lines_changed_under_a_worker_are_a_failure_not_other_lines(tmp_path: Path) -> None:
    path = tmp_path / "export.jsonl"
    path.write_bytes(b'{"a": 1}\n{"b": 2}\n{"c": 3}\n')
    (span,) = items_of(path, spans=True, limit=1 << 20)
    assert isinstance(span, sources.Span) and (span.first, span.count) == (1, 3)
    path.write_bytes(b'{"a": 1}\n{"b": 22222}\n')  # rewritten since it was placed
    failed = sources.read_span(span)
    assert isinstance(failed, sources.Failed)
    assert (failed.failure.file, failed.failure.line) == (str(path), 1)
    assert failed.failure.reason == "the file changed while it was read: lines 1 to 3 not checked"
    path.unlink()
    gone = sources.read_span(span)
    assert isinstance(gone, sources.Failed)
    assert gone.failure.reason == "no such file or directory"
