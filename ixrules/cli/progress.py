"""A progress bar on stderr for long runs: only on a terminal, only after half a second, and
erased before anything else is written there."""

from __future__ import annotations

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
    >>> clock = iter([0.0, 1.0, 2.0]).__next__
    >>> bar = Progress(out, 200, clock=clock)
    >>> bar.advance(50, 3)
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
    ) -> None:
        self.stream = stream
        self.total = total
        self.clock = clock
        self.size = 0
        self.bodies = 0
        self.shown = False
        self.next_draw = clock() + DELAY

    @classmethod
    def on(cls, stream: TextIO, total: int | None, enabled: bool = True) -> Progress:
        """A bar drawing on ``stream`` if it is a terminal, otherwise one that does nothing."""
        return cls(stream if enabled and stream.isatty() else None, total)

    def advance(self, size: int, bodies: int) -> None:
        """Count a finished batch; redraw when it is time."""
        self.size += size
        self.bodies += bodies
        if self.stream is None:
            return
        now = self.clock()
        if now >= self.next_draw:
            self.next_draw = now + INTERVAL
            self._draw()

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
        """Erase the bar (before another line is written to the same stream)."""
        if self.stream is not None and self.shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self.shown = False

    def finish(self) -> None:
        """Erase the bar for good."""
        self.clear()
        self.stream = None
