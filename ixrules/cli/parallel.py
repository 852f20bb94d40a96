"""``--jobs``: check batches in worker processes, yielding results in input order.

At most a few batches per worker are in flight, so reading a huge JSON Lines file never runs
far ahead of checking it, and output is identical to ``--jobs 1``. A regular file's lines go to
a worker by their place (``sources.Span``), and the worker reads them: sending their bytes
through the pool's pipes cost this process more CPU than reading the file. The settings (the context
and the rules) go to each worker once, when it starts, never with each batch; and the workers
end with the run however it ends: done, interrupted, terminated (SIGTERM, SIGHUP) or failed.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator
from typing import TYPE_CHECKING, NoReturn

from ..lint.checker import Checked, Settings, check_batch
from ..lint.sources import Batch, Item, Lines
from .errors import CommandError, Terminated

if TYPE_CHECKING:  # the pool is imported only by a lint with --jobs above 1
    from concurrent.futures import Future, ProcessPoolExecutor

#: What a worker process checks with: set once, when it starts (each worker is a process of
#: its own; nothing is shared, and the main process never sets it).
_worker_settings: Settings | None = None


def _start_worker(settings: Settings) -> None:
    global _worker_settings
    _worker_settings = settings
    # The main process decides when workers stop (and stops them): a Ctrl-C reaching the whole
    # process group must not print a traceback per worker, and the main process's handlers
    # for SIGTERM and SIGHUP, inherited when forked, are not the worker's.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), signal.SIG_DFL)
    settings.rules()  # loaded now (inherited already when forked), not in the first batch


def _check_in_worker(items: tuple[Item, ...]) -> Checked:
    assert _worker_settings is not None
    return check_batch(items, _worker_settings)


_BROKEN = "a worker process stopped unexpectedly (out of memory?)"
#: Batches queued per worker: enough to keep workers busy while the next batch is read.
IN_FLIGHT_PER_JOB = 4


def workers(jobs: int) -> int:
    """The number of processes for ``--jobs`` (0 means one per CPU).

    >>> workers(3), workers(0) == (os.cpu_count() or 1)
    (3, True)
    """
    return jobs if jobs > 0 else os.cpu_count() or 1


def run(
    batches: Iterable[Batch],
    settings: Settings,
    jobs: int,
    done: Callable[[int, int], None] = lambda size, bodies: None,
) -> Generator[Checked, None, None]:
    """Check ``batches`` with ``jobs`` processes (1: in this process); ``done(size, bodies)`` is
    called as each batch's result is handed on."""
    if jobs <= 1:  # item by item: what is held at once is one body's problems, at most
        for items, size in batches:
            for item in items:
                for body in _bodies(item):
                    checked = check_batch((body,), settings)
                    done(0, checked.bodies)
                    yield checked
            done(size, 0)
        return
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    settings.rules()  # load once here: forked workers inherit the compiled rules
    pending: deque[tuple[Future[Checked], int]] = deque()
    pool = ProcessPoolExecutor(max_workers=jobs, initializer=_start_worker, initargs=(settings,))
    stopped: list[int] = []
    finished = False
    try:
        with _stopping_workers(pool, stopped):
            try:
                for items, size in batches:
                    pending.append((pool.submit(_check_in_worker, items), size))
                    if len(pending) >= jobs * IN_FLIGHT_PER_JOB:
                        yield _next(pending, done, stopped)
                while pending:
                    yield _next(pending, done, stopped)
            except BrokenProcessPool:
                if stopped:
                    _raise_for(stopped[0])
                raise CommandError(_BROKEN) from None
            finished = True
    finally:
        if finished:
            pool.shutdown(wait=True)
        else:  # interrupted, terminated, or the consumer stopped: workers end now
            _terminate(pool)


@contextlib.contextmanager
def _stopping_workers(pool: ProcessPoolExecutor, stopped: list[int]) -> Iterator[None]:
    """While the pool runs, SIGINT, SIGTERM and SIGHUP kill its workers, and end this process
    at once with the status the signal calls for (130, 143, 129) once what was written is
    flushed. Unwinding the main thread instead (raising from the handler, or through the
    broken pool) could stop it inside the pool's own locks and queues, and the process then
    sometimes hung at exit, waiting for the pool's threads."""
    if not in_main_thread():
        yield
        return

    def handle(signum: int, frame: object) -> None:
        stopped.append(signum)
        workers = list((getattr(pool, "_processes", None) or {}).values())
        for process in workers:
            with contextlib.suppress(Exception):
                process.kill()
        for process in workers:
            with contextlib.suppress(Exception):
                process.join(timeout=5)
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):
                stream.flush()
        os._exit(128 + signum)

    with handling(("SIGINT", "SIGTERM", "SIGHUP"), handle):
        yield


def in_main_thread() -> bool:
    """Whether this is the main thread (the only one that may set signal handlers), asked
    without importing ``threading`` when nothing has (0.7 ms of a one-file lint): then no
    thread was started through it. (One started with ``_thread`` alone gets ``signal``'s
    ``ValueError`` from :func:`handling`, as it did when ``threading``, first imported in it,
    took it for the main thread.)"""
    threading = sys.modules.get("threading")
    return threading is None or threading.current_thread() is threading.main_thread()


@contextlib.contextmanager
def handling(names: Iterable[str], handler: Callable[[int, object], None]) -> Iterator[None]:
    """``handler`` for the signals ``names`` (those this platform has) while the block runs,
    the previous handlers restored after it."""
    present = [name for name in names if hasattr(signal, name)]
    previous = {name: signal.signal(getattr(signal, name), handler) for name in present}
    try:
        yield
    finally:
        for name, before in previous.items():
            signal.signal(getattr(signal, name), before)


def _raise_for(signum: int) -> NoReturn:
    if signum == signal.SIGINT:
        raise KeyboardInterrupt
    raise Terminated(signum)


def _terminate(pool: ProcessPoolExecutor) -> None:
    """Stop the workers at once, whatever they are doing, and wait until they are gone."""
    workers = list((getattr(pool, "_processes", None) or {}).values())
    for process in workers:
        process.terminate()
    pool.shutdown(wait=False, cancel_futures=True)
    for process in workers:
        process.join(timeout=5)
        if process.is_alive():
            process.kill()
            process.join()


def _bodies(item: Item) -> Iterator[Item]:
    """An item split into one item per body (a JSON Lines chunk into its lines)."""
    if isinstance(item, Lines):
        for number, raw in enumerate(item.lines, item.first):
            yield Lines(item.file, number, (raw,))
    else:
        yield item


def _next(
    pending: deque[tuple[Future[Checked], int]],
    done: Callable[[int, int], None],
    stopped: list[int],
) -> Checked:
    from concurrent.futures.process import BrokenProcessPool

    future, size = pending.popleft()
    try:
        checked = future.result()
    except BrokenProcessPool:
        if stopped:
            _raise_for(stopped[0])
        raise CommandError(_BROKEN) from None
    done(size, checked.bodies)
    return checked
