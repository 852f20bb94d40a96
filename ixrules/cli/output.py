"""Standard output and standard error as the command writes them: a write that fails is an
``OutputBroken`` (exit 2, one line on stderr), never a traceback or the exit 1 of "problems
found"; colour only where it shows. Only the standard library is imported, so the parser (which
prints ``--help`` and ``--version`` through ``Output``) stays fast."""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Callable
from typing import Any, TextIO


class OutputBroken(Exception):
    """Standard output cannot be written (closed, a pipe its reader has left, a full disk): the
    run ends with exit 2 and one line on stderr, never a traceback or the exit 1 of
    "problems found"."""


class Output:
    """Standard output as the command writes it: what fails to write is an ``OutputBroken``."""

    def __init__(self, stream: TextIO | None) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        return int(self.apply(lambda stream: stream.write(text)))

    def flush(self) -> None:
        self.apply(lambda stream: stream.flush())

    def fileno(self) -> int:
        return int(self.apply(lambda stream: stream.fileno()))

    def apply(self, act: Callable[[TextIO], Any]) -> Any:
        """``act(stream)``, its ``OSError`` an ``OutputBroken``."""
        if self._stream is None:
            raise OutputBroken("it is closed")
        try:
            return act(self._stream)
        except OSError as exc:
            from ..lint.sources import describe_os_error

            raise OutputBroken(describe_os_error(exc)) from None


def stdout(utf8: bool) -> Output:
    """Standard output, never failing to encode: UTF-8 for the JSON formats, else the
    terminal's encoding with what it cannot show escaped; a write that fails (closed, broken
    pipe, full disk) raises ``OutputBroken``."""
    stream = sys.stdout
    out = Output(stream)
    if isinstance(stream, io.TextIOWrapper):  # reconfiguring flushes: it may fail too
        if utf8:
            out.apply(lambda text: stream.reconfigure(encoding="utf-8", errors="strict"))
        else:
            out.apply(lambda text: stream.reconfigure(errors="backslashreplace"))
    return out


def use_color(disabled: bool, stream: TextIO | None) -> bool:
    """Colour only on a terminal, and never with ``--no-color`` or a non-empty ``NO_COLOR``."""
    return (
        not disabled and not os.environ.get("NO_COLOR") and stream is not None and stream.isatty()
    )


def fail(reason: str) -> None:
    """``ixrules: error: REASON`` on stderr (what cannot be shown escaped)."""
    from ..lint.safe import visible

    if sys.stderr is not None:  # print(file=None) would write to stdout
        print(f"ixrules: error: {visible(reason)}", file=sys.stderr)


def silence_stdout() -> None:
    """After a broken pipe, send what is left to /dev/null so exiting does not complain."""
    if sys.stdout is None:
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # no file descriptor: nothing will be flushed there
        pass
    finally:
        os.close(devnull)
