"""Writing a lint's outcomes as they come: the report in the format asked for (``report``), or
the problems counted per rule (``statistics``, for ``--statistics``). Failures go to stderr as
they are met, whatever is written; the progress bar is told before anything is written, so it
stays out of the report's lines. Each returns whether a problem fails the run (``--strict``:
warnings too)."""

from __future__ import annotations

import argparse
import contextlib
import io
import sys
from collections.abc import Iterable, Iterator
from typing import IO

from ..lint.checker import Settings
from ..lint.problems import Failure, Outcome, Problem
from . import reporters
from .progress import Progress, Sink
from .statistics import Statistics


def fails(outcome: Problem, strict: bool) -> bool:
    """Whether a problem fails the run: an error, or with ``--strict`` a warning too."""
    return outcome.severity == "error" or (strict and outcome.severity == "warning")


def report(
    args: argparse.Namespace,
    outcomes: Iterable[Outcome],
    summary: reporters.Summary,
    options: reporters.Options,
    out: Sink,
    progress: Progress,
) -> bool:
    """Write each outcome in the format asked for, as it comes; whether a problem fails the
    run."""
    fmt = reporters.FORMATS[args.format]
    failing = False

    def write(chunk: str) -> None:
        if chunk:
            progress.writing(chunk)
            out.write(chunk)

    with _held(fmt.failures_last) as held:
        write(fmt.start(options))
        for count, outcome in enumerate(outcomes, 1):
            if isinstance(outcome, Failure):
                progress.writing("", to_stderr=True)
                print(outcome, file=sys.stderr, flush=True)
                chunk = fmt.failure(outcome, summary.failures, options)
                if fmt.failures_last:
                    held.write(chunk)
                else:
                    write(chunk)
            else:
                write(fmt.problem(outcome, summary.entries, options))
                failing = failing or fails(outcome, args.strict)
            summary.count(outcome)
            if count % 256 == 0:
                out.flush()
        progress.finish()
        summary.bodies = progress.bodies
        out.write(fmt.between(summary, options))
        held.seek(0)
        for chunk in iter(lambda: held.read(1 << 16), ""):
            out.write(chunk)
    if not (args.quiet and args.format == "text"):  # the text's end is its summary line
        out.write(fmt.end(summary, options))
    return failing


@contextlib.contextmanager
def _held(needed: bool) -> Iterator[IO[str]]:
    """Where the failures a format lists after its problems wait: on disk past a megabyte; a
    format that lists none never imports ``tempfile`` (a millisecond of a one-file lint)."""
    if not needed:
        yield io.StringIO()
        return
    import tempfile

    with tempfile.SpooledTemporaryFile(max_size=1 << 20, mode="w+", encoding="utf-8") as held:
        yield held


def statistics(
    args: argparse.Namespace,
    outcomes: Iterable[Outcome],
    summary: reporters.Summary,
    settings: Settings,
    out: Sink,
    progress: Progress,
) -> bool:
    """``--statistics``: count the problems per rule, then print the counts (failures go to
    stderr as they come, as without it); whether a problem fails the run."""
    counted, failures, failing = Statistics(), list[Failure](), False
    for outcome in outcomes:
        if isinstance(outcome, Failure):
            progress.writing("", to_stderr=True)
            print(outcome, file=sys.stderr, flush=True)
            failures.append(outcome)
        else:
            counted.count(outcome)
            failing = failing or fails(outcome, args.strict)
        summary.count(outcome)
    summary.bodies = progress.bodies
    messages = {rule.id: rule.message for rule in settings.rules().ruleset.rules.values()}
    if args.format == "json":
        out.write(counted.json(messages, failures, reporters.summary_dict(summary)))
        return failing
    out.write(counted.text(messages))
    if not args.quiet:
        out.write(reporters.TEXT.end(summary, reporters.Options()))
    return failing
