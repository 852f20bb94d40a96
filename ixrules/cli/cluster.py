"""``ixrules lint --dask ADDRESS``: the same lint, run on a Dask cluster through ``ixrules.bulk``
(``local``: a ``LocalCluster`` of one single-threaded worker process per core of this machine).

The sources are the ones ``ixrules lint`` finds; workers read the files themselves (by absolute
path, so a remote cluster needs them on a shared file system), stdin is read here and sent. The
outcomes come back in input order, so what is printed is exactly what the local run prints.
Dask's own progress bar is drawn on stderr, only on a terminal, only once the run has lasted half
a second, and erased when done, as the local run's.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import os
import sys
import warnings
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any, BinaryIO

from ..lint.checker import Settings
from ..lint.problems import Failure, Outcome
from ..lint.sources import Failed, Source, batches
from .errors import CommandError
from .progress import DELAY

if TYPE_CHECKING:
    from distributed import Client

    from ..bulk import Unit

LOCAL = "local"
#: Seconds to wait for a scheduler (Dask's default is 30, spent retrying without a word).
CONNECT_TIMEOUT = 5


def lint(
    address: str,
    found: Sequence[Source | Failure],
    settings: Settings,
    stdin: BinaryIO,
    progress: bool,
) -> tuple[list[Outcome], int]:
    """Every outcome of the run, in input order, and how many bodies it checked; a
    ``CommandError`` if the cluster cannot run it."""
    try:
        from .. import bulk
    except ImportError as exc:
        reason = f"--dask needs the dask extra: pip install 'ixrules[dask]' ({exc})"
        raise CommandError(reason) from None
    work = list(units(found, stdin))
    if settings.rules_dir is not None:  # the workers' working directory may not be ours
        settings = dataclasses.replace(settings, rules_dir=os.path.abspath(settings.rules_dir))
    with connect(address) as client:
        parts = bulk.plan(work, settings)
        futures = client.compute([*bulk.numbered(parts), bulk.bodies(parts)])
        if progress:
            show_progress(futures)
        try:
            *results, bodies = client.gather(futures)
        except Exception as exc:  # a task that failed for good (e.g. a worker lost 3 times)
            raise CommandError(f"the Dask run failed: {type(exc).__name__}: {exc}") from None
    return [outcome for outcomes in results for outcome in outcomes], bodies


def units(found: Sequence[Source | Failure], stdin: BinaryIO) -> Iterator[Unit]:
    """The work of ``found``: blocks of JSON Lines files, whole JSON files, stdin's batches and
    the failures already met, in order."""
    import fsspec

    from ..bulk import Whole, blocks

    for index, source in enumerate(found):
        if isinstance(source, Failure):
            yield (Failed(source),)
        elif source.path is None:
            for items, _ in batches([source], stdin):
                yield items
        else:
            opened = fsspec.open(os.path.abspath(source.path), "rb")
            if source.lines:
                yield from blocks(source.file, opened, key=str(index))
            else:
                yield Whole(source.file, opened)


def show_progress(futures: list[Any]) -> None:
    """Dask's text progress bar until the futures are done, drawn under the command's rules: on
    stderr (Dask draws on stdout, the report's), only once the run has lasted ``DELAY``, and
    erased at the end only if it was drawn."""
    from distributed.diagnostics.progressbar import TextProgressBar

    class Bar(TextProgressBar):
        shown = False

        def _draw_bar(self, remaining: Any, all: Any, **kwargs: Any) -> None:
            if self.elapsed >= DELAY:
                self.shown = True
                super()._draw_bar(remaining, all, **kwargs)

        def _draw_stop(self, **kwargs: Any) -> None:
            if self.shown:
                super()._draw_stop(**kwargs)

    with contextlib.redirect_stdout(sys.stderr):
        Bar(futures)  # blocks until done


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
