"""``ixrules lint --dask ADDRESS``: the same lint, run on a Dask cluster through ``ixrules.bulk``
(``local``: a ``LocalCluster`` of one single-threaded worker process per core of this machine).

The sources are the ones ``ixrules lint`` finds; workers read the files themselves (by absolute
path, so a remote cluster needs them on a shared file system), with the read bounds of the local
run (``--max-bytes``, regular files only, never waiting on a FIFO); stdin is read here and sent.
The settings (the context may be large) are scattered to every worker once, never sent with a
task. The outcomes come back in input order, as they are found, with at most a few tasks per
worker thread in flight, so memory stays flat however many problems there are (here and on the
workers), and what is printed is exactly what the local run prints. The progress bar is the
local run's.
"""

from __future__ import annotations

import contextlib
import logging
import os
import warnings
from collections import deque
from collections.abc import Generator, Iterator, Sequence
from typing import TYPE_CHECKING, Any, BinaryIO

from ..lint.checker import Settings
from ..lint.problems import Failure, Outcome
from ..lint.sources import BATCH_BYTES, Failed, Source, batches
from .errors import CommandError
from .progress import Progress

if TYPE_CHECKING:
    from distributed import Client

    from ..bulk import Counted, Part, Unit

LOCAL = "local"
#: Tasks in flight per worker thread: enough to keep the workers busy while results are read,
#: few enough that what is held (here and on the workers) does not grow with the run.
IN_FLIGHT_PER_THREAD = 4
#: Bytes of a JSON Lines file one task checks: a batch of ``--jobs`` (what one task finds is
#: held whole, so the bound on memory is the local run's).
BLOCKSIZE = BATCH_BYTES
#: Seconds to wait for a scheduler (Dask's default is 30, spent retrying without a word).
CONNECT_TIMEOUT = 5


@contextlib.contextmanager
def lint(
    address: str,
    found: Sequence[Source | Failure],
    settings: Settings,
    stdin: BinaryIO,
    progress: Progress | None = None,
) -> Iterator[Iterator[Outcome]]:
    """The outcomes of the run, in input order, as they are found (``progress`` told of each
    unit's, and ticked once they are handed on). The cluster is reached on entering, so that
    one that cannot be is a ``CommandError`` before anything is printed; a task that fails for
    good is one when its outcomes are reached. What is still running stops when the block
    ends."""
    try:
        from .. import bulk  # noqa: F401
    except ImportError as exc:
        reason = f"--dask needs the dask extra: pip install 'ixrules[dask]' ({exc})"
        raise CommandError(reason) from None
    if settings.rules_dir is not None:  # the workers' working directory may not be ours
        settings = settings.replace(rules_dir=os.path.abspath(settings.rules_dir))
    with connect(address) as client:
        work = units(found, stdin, settings.max_bytes)
        outcomes = _outcomes(client, work, settings, progress or Progress(None, None))
        try:
            yield outcomes
        finally:
            outcomes.close()  # cancels what is still running, while the client is up


def _outcomes(
    client: Client,
    work: Iterator[tuple[Unit, int]],
    settings: Settings,
    progress: Progress,
) -> Generator[Outcome, None, None]:
    from .. import bulk

    shared = client.scatter(settings, broadcast=True, hash=False)
    window = IN_FLIGHT_PER_THREAD * max(1, sum(client.nthreads().values()))
    pending: deque[tuple[Any, int]] = deque()
    counted = bulk.Counted()
    try:
        for unit, size in work:
            pending.append((client.submit(bulk.check, unit, shared, pure=False), size))
            while len(pending) >= window:
                counted = yield from _next(pending, counted, progress)
        while pending:
            counted = yield from _next(pending, counted, progress)
    finally:
        with contextlib.suppress(Exception):  # the cluster may be gone: nothing to cancel
            client.cancel([future for future, _ in pending])


def _next(
    pending: deque[tuple[Any, int]], counted: Counted, progress: Progress
) -> Generator[Outcome, None, Counted]:
    """The outcomes of the first unit in flight, numbered in their files; what the units so
    far counted, after it."""
    from .. import bulk

    future, size = pending.popleft()
    try:
        part: Part = future.result()
    except Exception as exc:  # a task that failed for good (e.g. a worker lost 3 times)
        raise CommandError(f"the Dask run failed: {type(exc).__name__}: {exc}") from None
    future.release()
    progress.advance(size, part.bodies)
    yield from bulk.shift(part, counted)
    progress.tick()  # what it found is written: the bar goes under it
    return bulk.advance(counted, part)


def units(
    found: Sequence[Source | Failure], stdin: BinaryIO, limit: int
) -> Iterator[tuple[Unit, int]]:
    """The work of ``found``, with the bytes each unit covers: blocks of JSON Lines files, whole
    JSON files, stdin's batches (of at most ``limit`` bytes a body) and the failures already
    met, in order."""
    from ..bulk import Whole, blocks

    for index, source in enumerate(found):
        if isinstance(source, Failure):
            yield (Failed(source),), 0
        elif source.path is None:
            yield from batches([source], stdin, limit)
        elif source.lines:
            path = os.path.abspath(source.path)
            for block in blocks(source.file, path, BLOCKSIZE, key=str(index)):
                yield block, block.length or 0
        else:
            yield Whole(source.file, os.path.abspath(source.path)), source.size or 0


def _quiet() -> None:
    """Keep stderr the lint's: Dask's own warnings (a slow garbage collection, an unresponsive
    event loop on a busy machine) are logged at WARNING by loggers with levels of their own."""
    for name in [*logging.root.manager.loggerDict, "distributed"]:
        if name.split(".")[0] == "distributed":
            logging.getLogger(name).setLevel(logging.ERROR)
    warnings.filterwarnings("ignore", module=r"distributed(\.|$)")


@contextlib.contextmanager
def connect(address: str) -> Iterator[Client]:
    """A client of the scheduler at ``address``, or of a new local cluster for ``local``."""
    from distributed import Client, LocalCluster

    _quiet()
    if address == LOCAL:
        with (
            LocalCluster(
                n_workers=os.cpu_count() or 1,
                threads_per_worker=1,
                processes=True,
                dashboard_address=":0",  # the HTTP server runs even without a dashboard
                scheduler_kwargs={"dashboard": False},
                silence_logs=logging.ERROR,
            ) as cluster,
            Client(cluster) as client,
        ):
            yield client
        return
    try:
        client = Client(address, timeout=CONNECT_TIMEOUT)
    except Exception as exc:  # OSError, TimeoutError, ValueError for a malformed address...
        reason = " ".join(str(exc).split()) or type(exc).__name__
        raise CommandError(f"cannot reach the Dask scheduler at {address}: {reason}") from None
    with client:
        yield client
