"""JSON Lines are read in blocks: the same lines, chunks, sizes and failures as reading them
one line at a time (what ``readline`` gives)."""

from __future__ import annotations

import io

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
