"""``ixrules replay FILE...``: replay recordings and print the verdicts in one of the lint's
output formats. Exit status: 0 when no interaction is a false alarm or a missed refusal, 1 when
one is, 2 when a file or the context could not be read (one line on stderr each).

The replaying itself is ``ixrules.recordings``; the formats, ``replay_formats``. Only
``argparse`` is needed to declare the command, so ``ixrules --version`` stays fast; the rest
is imported when the command runs.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..api import Rules
    from .progress import Sink

CLEAN, FAILING, COULD_NOT_RUN = 0, 1, 2
_OUTPUTS = ("text", "json", "github", "sarif")
_INPUTS = ("vcr", "har", "jsonl")


def add_command(commands: Any, rules_option: Callable[[argparse.ArgumentParser], None]) -> None:
    """Declare ``replay`` among the command's subcommands (``commands``, from
    ``add_subparsers``), with the lint's ``--rules`` options (``rules_option``)."""
    replay = commands.add_parser(
        "replay",
        help="replay recorded traffic: where do ixrules' predictions and the API's answers differ",
        description="Replay recorded interactions (VCR cassettes of VCR.py or Ruby's VCR, HAR "
        "1.2 files, JSON Lines of {request, response}) through the rules and compare each "
        "prediction with the recorded answer. Exit status: 0 no false alarm or missed refusal, "
        "1 some, 2 could not run.",
    )
    replay.add_argument("paths", nargs="+", metavar="FILE")
    replay.add_argument("-c", "--context", metavar="FILE", help="context snapshot (a JSON file)")
    replay.add_argument("-f", "--format", choices=_OUTPUTS, default="text", help="output format")
    replay.add_argument(
        "--input-format",
        choices=_INPUTS,
        help="the recordings' format (default: by extension .yml/.yaml, .har, .jsonl, else by "
        "content)",
    )
    replay.add_argument("--no-color", action="store_true", help="no colour (also: NO_COLOR=1)")
    rules_option(replay)


def run(args: argparse.Namespace, rules: Rules, out: Sink, color: bool) -> int:
    """Replay every file of ``args.paths``; write the report to ``out``."""
    from ..__about__ import __version__
    from ..lint.checker import BadInput, load_context
    from ..lint.problems import Failure
    from ..recordings import ReplayError, ReplayReport, read_file, replay_interactions
    from .errors import CommandError
    from .replay_formats import render

    context = None
    if args.context is not None:
        try:
            context = load_context(args.context)[0]
        except BadInput as exc:
            raise CommandError(f"context {exc.failure}") from None
    reports, failures = [], []
    for path in args.paths:
        try:
            interactions = read_file(path, fmt=args.input_format)
        except ReplayError as exc:
            failure = Failure(exc.file, exc.reason, exc.line)
            print(failure, file=sys.stderr, flush=True)
            failures.append(failure)
            continue
        reports.append(replay_interactions(interactions, context=context, rules=rules))
    report = ReplayReport.of(reports)
    out.write(
        render(args.format, report, failures, files=len(reports), color=color, version=__version__)
    )
    out.flush()
    if failures:
        return COULD_NOT_RUN
    return FAILING if report.failing else CLEAN
