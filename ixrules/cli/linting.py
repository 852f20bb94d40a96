"""``ixrules lint``: sources -> checks -> reporter. The paths are expanded and read in input
order, checked here (``--jobs``) or on a Dask cluster (``--dask``), written in the format asked
for (or counted, ``--statistics``), and kept in a Parquet table with ``--output``; ``--fix`` and
its kin are :mod:`.fixing`'s."""

from __future__ import annotations

import argparse
import contextlib
import io
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, BinaryIO

from ..__about__ import __version__
from .errors import UsageError
from .loading import excluder, lint_settings
from .output import stdout, use_color

if TYPE_CHECKING:
    from ..lint.checker import Checked, Settings
    from ..lint.problems import Failure, Outcome
    from ..lint.sources import Skipped, Source
    from .progress import Progress

CLEAN, PROBLEMS, COULD_NOT_RUN = 0, 1, 2


@contextlib.contextmanager
def terminated_by_signals() -> Iterator[None]:
    """While linting, SIGTERM and SIGHUP raise ``Terminated`` (their default would end this
    process at once and leave the workers of ``--jobs`` running; while workers run,
    ``parallel`` handles them itself)."""
    from .errors import Terminated
    from .parallel import handling, in_main_thread

    def handle(signum: int, frame: object) -> None:
        raise Terminated(signum)

    if not in_main_thread():
        yield
        return
    with handling(("SIGTERM", "SIGHUP"), handle):
        yield


def run(args: argparse.Namespace) -> int:
    from ..lint import sources
    from . import reporters, writing
    from .progress import Progress
    from .statistics import FORMATS as STATISTICS_FORMATS

    if args.dask is not None and args.jobs != 1:
        raise UsageError("--jobs and --dask exclude each other")
    if args.statistics and args.format not in STATISTICS_FORMATS:
        raise UsageError(f"--statistics prints text or json, not {args.format}")
    if args.output is not None:
        _check_output(args.output)
    settings = lint_settings(args)
    config = settings.rules().config
    found = sources.expand(
        args.paths, args.stdin_filename, excluder(args.exclude, config), _tell_skipped
    )
    stdin = sys.stdin.buffer if sys.stdin is not None else io.BytesIO()  # stdin may be closed
    if args.fix or args.diff or args.fix_only:
        from .fixing import lint_fix

        fixing = lint_fix(args, settings, found, stdin)
        if fixing.failures:
            return COULD_NOT_RUN
        if args.diff:
            return PROBLEMS if fixing.changed else CLEAN
        return PROBLEMS if fixing.failing and not args.fix_only else CLEAN
    out = stdout(utf8=args.format in ("json", "sarif"))
    bar = not args.no_progress and not args.quiet
    progress = Progress.on(sys.stderr, sources.total_size(found), enabled=bar, out=out)
    catalogue = settings.rules().ruleset.rules if args.format == "sarif" else {}
    options = reporters.Options(
        color=use_color(args.no_color, sys.stdout),
        rules=reporters.rule_infos(catalogue),
        version=__version__,
    )
    summary = reporters.Summary(files=sum(isinstance(s, sources.Source) for s in found))
    lines = frozenset(s.file for s in found if isinstance(s, sources.Source) and s.lines)
    summary.lines = lines or None  # JSON Lines read: the summary counts bodies
    args.strict = args.strict or (config is not None and config.strict)
    try:
        with (
            _table(args.output) as keep,
            _engine(args, found, settings, stdin, progress) as found_outcomes,
        ):
            outcomes = _kept(found_outcomes, keep)
            if args.statistics:
                failing = writing.statistics(args, outcomes, summary, settings, out, progress)
            else:
                failing = writing.report(args, outcomes, summary, options, out, progress)
    finally:
        progress.finish()
    out.flush()
    if summary.failures:
        return COULD_NOT_RUN
    return PROBLEMS if failing and not args.exit_zero else CLEAN


def _tell_skipped(skipped: Skipped) -> None:
    """A path a walk or glob did not take, one line on stderr (it does not fail the run)."""
    if sys.stderr is not None:
        print(skipped, file=sys.stderr, flush=True)


@contextlib.contextmanager
def _engine(
    args: argparse.Namespace,
    found: Sequence[Source | Failure],
    settings: Settings,
    stdin: BinaryIO,
    progress: Progress,
) -> Iterator[Iterator[Outcome]]:
    """The outcomes of the run, in input order, as they are found: from the Dask cluster
    (``--dask``, reached now, before anything is printed) or the local engine (``--jobs``).
    Whatever still runs (worker processes, cluster tasks) stops when the block ends."""
    if args.dask is not None:
        from . import cluster

        with cluster.lint(args.dask, found, settings, stdin, progress) as outcomes:
            yield outcomes
        return
    from ..lint.sources import batches
    from . import parallel

    jobs = parallel.workers(args.jobs)
    run = parallel.run(
        batches(found, stdin, settings.max_bytes, spans=jobs > 1),  # workers read their lines
        settings,
        jobs,
        progress.advance,
    )
    try:
        yield _ticked(run, progress)
    finally:
        run.close()


def _ticked(run: Iterable[Checked], progress: Progress) -> Iterator[Outcome]:
    for checked in run:
        yield from checked.outcomes
        progress.tick()  # what it found is written: the bar goes under it


def _kept(outcomes: Iterable[Outcome], keep: Callable[[Outcome], None]) -> Iterator[Outcome]:
    """``outcomes``, each handed to ``keep`` (the ``--output`` table) as it goes by."""
    for outcome in outcomes:
        keep(outcome)
        yield outcome


def _check_output(path: str) -> None:
    """Refuse an ``--output`` that cannot be written, before any body is checked."""
    if not path.lower().endswith(".parquet"):
        raise UsageError(f"--output: only Parquet is written (FILE.parquet), not {path!r}")
    try:
        import pyarrow.parquet  # noqa: F401
    except ImportError:
        raise UsageError("--output needs pyarrow: pip install 'ixrules[dask]'") from None


@contextlib.contextmanager
def _table(path: str | None) -> Iterator[Callable[[Outcome], None]]:
    """With ``--output``, what writes each outcome to the Parquet table as the run goes (the
    file appears when the run is done); without it, what keeps nothing."""
    if path is None:
        yield lambda outcome: None
        return
    from ..lint.sources import describe_os_error
    from ..lint.table import parquet_writer
    from .errors import CommandError

    def failed(exc: OSError) -> CommandError:
        return CommandError(f"cannot write {path}: {describe_os_error(exc)}")

    def guarded(outcome: Outcome) -> None:
        try:
            keep(outcome)
        except OSError as exc:
            raise failed(exc) from None

    running = False  # what the run raises (a broken stdout...) is not the table's failure
    try:
        with parquet_writer(path) as keep:
            running = True
            yield guarded
            running = False
    except OSError as exc:
        if running:
            raise
        raise failed(exc) from None
