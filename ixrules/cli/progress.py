"""A progress bar on stderr for long runs: only on a terminal, only after half a second.

It is erased before a line is written under it (a failure on stderr, or a problem when stdout
is the same terminal) and drawn again at the next tick, never in the middle of a line of
output: when stdout shares the terminal, that output is flushed first and the bar waits until
its last line is complete. When stdout goes elsewhere (a file, a pipe), problems never erase
it. It is erased for good only when the run ends.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from typing import TextIO

#: Seconds before the bar first appears (short runs never show it), and between redraws.
DELAY = 0.5
INTERVAL = 0.1
WIDTH = 30


class Progress:
    """Bytes read out of ``total`` (None when unknown, as for stdin) and bodies checked.

    >>> import io
    >>> out = io.StringIO()
    >>> clock = iter([0.0, 1.0, 2.0, 3.0]).__next__
    >>> bar = Progress(out, 200, clock=clock)
    >>> bar.advance(50, 3)
    >>> bar.tick()
    >>> out.getvalue()
    '\\r[=======>                      ]  25%  3 bodies'
    >>> bar.finish()
    >>> out.getvalue()[-4:]
    '\\r\\x1b[K'
    """

    def __init__(
        self,
        stream: TextIO | None,
        total: int | None,
        clock: Callable[[], float] = time.monotonic,
        shared: TextIO | None = None,
    ) -> None:
        self.stream = stream
        self.total = total
        self.clock = clock
        #: stdout, when it is the same terminal as ``stream``: flushed before each draw, and
        #: the bar is erased before anything is written to it.
        self.shared = shared
        self.size = 0
        self.bodies = 0
        self.shown = False
        #: Whether the last chunk written to ``shared`` left its line open (no bar then).
        self.line_open = False
        self.next_draw = clock() + DELAY

    @classmethod
    def on(
        cls, stream: TextIO, total: int | None, enabled: bool = True, out: TextIO | None = None
    ) -> Progress:
        """A bar drawing on ``stream`` if it is a terminal, otherwise one that does nothing;
        ``out`` is where the report goes (the bar keeps out of its lines if it is the same
        terminal)."""
        if not enabled or not stream.isatty():
            return cls(None, total)
        return cls(stream, total, shared=out if out is not None and _same(out, stream) else None)

    def advance(self, size: int, bodies: int) -> None:
        """Count a finished batch (drawn at the next :meth:`tick`)."""
        self.size += size
        self.bodies += bodies

    def tick(self) -> None:
        """Draw the bar when it is time, and only at the start of a line."""
        if self.stream is None or (self.shared is not None and self.line_open):
            return
        now = self.clock()
        if now >= self.next_draw:
            self.next_draw = now + INTERVAL
            if self.shared is not None:
                self.shared.flush()
            self._draw()

    def writing(self, chunk: str, to_stderr: bool = False) -> None:
        """Say that ``chunk`` is about to be written to stdout (or to stderr): the bar is erased
        first if it shares a line with it."""
        if to_stderr or self.shared is not None:
            self.clear()
        if chunk and not to_stderr:
            self.line_open = not chunk.endswith("\n")

    def _draw(self) -> None:
        assert self.stream is not None
        count = f"{self.bodies:,} bodies"
        if self.total:
            share = min(self.size / self.total, 1.0)
            filled = int(share * WIDTH)
            bar = "=" * filled + (">" if filled < WIDTH else "") + " " * (WIDTH - filled - 1)
            line = f"[{bar[:WIDTH]}] {share:4.0%}  {count}"
        else:
            line = count
        self.stream.write("\r" + line)
        self.stream.flush()
        self.shown = True

    def clear(self) -> None:
        """Erase the bar (before a line is written where it is); it is drawn again at the next
        tick that is due."""
        if self.stream is not None and self.shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self.shown = False

    def finish(self) -> None:
        """Erase the bar for good: the run is over."""
        self.clear()
        self.stream = None


def _same(one: TextIO, other: TextIO) -> bool:
    """Whether two streams write to the same file (the same terminal)."""
    try:
        return os.path.sameopenfile(one.fileno(), other.fileno())
    except (OSError, ValueError, AttributeError):
        return False
