"""``--jobs``: check batches in worker processes, yielding results in input order.

At most a few batches per worker are in flight, so reading a huge JSON Lines file never runs
far ahead of checking it, and output is identical to ``--jobs 1``.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING

from .checker import Checked, Settings, check_batch
from .problems import CommandError
from .sources import Batch

if TYPE_CHECKING:  # the process pool is imported only for --jobs 2 or more
    from concurrent.futures import Future

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
) -> Iterator[Checked]:
    """Check ``batches`` with ``jobs`` processes (1: in this process); ``done(size, bodies)`` is
    called as each batch's result is handed on."""
    if jobs <= 1:
        for items, size in batches:
            checked = check_batch(items, settings)
            done(size, checked.bodies)
            yield checked
        return
    from concurrent.futures import ProcessPoolExecutor

    settings.rules()  # load once here: forked workers inherit the compiled rules
    pending: deque[tuple[Future[Checked], int]] = deque()
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        try:
            for items, size in batches:
                pending.append((pool.submit(check_batch, items, settings), size))
                if len(pending) >= jobs * IN_FLIGHT_PER_JOB:
                    yield _next(pending, done)
            while pending:
                yield _next(pending, done)
        finally:
            for future, _ in pending:
                future.cancel()


def _next(pending: deque[tuple[Future[Checked], int]], done: Callable[[int, int], None]) -> Checked:
    from concurrent.futures.process import BrokenProcessPool

    future, size = pending.popleft()
    try:
        checked = future.result()
    except BrokenProcessPool:
        raise CommandError("a worker process stopped unexpectedly (out of memory?)") from None
    done(size, checked.bodies)
    return checked
