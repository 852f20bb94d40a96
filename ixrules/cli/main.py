"""The ``ixrules`` command: parse arguments, then lint (sources -> checks -> reporter) or list
what the rules know. Exit status: 0 clean, 1 problems found, 2 could not run.

Only ``argparse`` and the version are imported up front; the engine, the rules and the other
modules of this package load when a command needs them, so ``ixrules --version`` stays fast.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, NoReturn, TextIO

from ..__about__ import __version__

if TYPE_CHECKING:
    from ..api import Rules
    from .checker import Settings
    from .problems import Outcome
    from .progress import Progress
    from .sources import Batch

CLEAN, PROBLEMS, COULD_NOT_RUN = 0, 1, 2
INTERRUPTED = 130
FORMATS = ("text", "json", "github", "sarif")


class _UsageError(Exception):
    """A bad command line: one line on stderr, exit 2 (argparse would print usage and more)."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise _UsageError(f"{message} (see '{self.prog} --help')")


def build_parser() -> argparse.ArgumentParser:
    """The command line: ``lint``, ``endpoints``, ``rules`` and ``explain``."""
    parser = _Parser(
        prog="ixrules",
        description="Validate InvoiceXpress API payloads before they are sent, with the API's "
        "own 422 messages. Exit status: 0 clean (warnings alone are clean unless --strict), "
        "1 problems found, 2 could not run.",
    )
    parser.add_argument("--version", action="version", version=f"ixrules {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    lint = commands.add_parser(
        "lint",
        help="check payload files (JSON, or JSON Lines: one body a line)",
        description="Check payload files: JSON files, JSON Lines files (.jsonl, .ndjson; one "
        "body a line, streamed), directories (searched for *.json, *.jsonl, *.ndjson), quoted "
        "globs, and '-' for stdin.",
    )
    lint.add_argument("paths", nargs="+", metavar="PATH")
    lint.add_argument(
        "-e", "--endpoint", help="validate every body for this endpoint (default: by root key)"
    )
    lint.add_argument("-c", "--context", metavar="FILE", help="context snapshot (a JSON file)")
    lint.add_argument("-f", "--format", choices=FORMATS, default="text", help="output format")
    lint.add_argument(
        "-j", "--jobs", type=_jobs, default=1, metavar="N", help="worker processes (0: one a CPU)"
    )
    lint.add_argument(
        "--stdin-filename", metavar="NAME", help="name stdin in output (NAME.jsonl: JSON Lines)"
    )
    lint.add_argument("--no-color", action="store_true", help="no colour (also: NO_COLOR=1)")
    lint.add_argument("--no-progress", action="store_true", help="no progress bar")
    lint.add_argument(
        "--dask",
        metavar="ADDRESS",
        help="check on a Dask cluster: a scheduler address, or 'local' (needs ixrules[dask])",
    )
    lint.add_argument(
        "--output", metavar="FILE", help="also write the problem table to FILE.parquet"
    )
    lint.add_argument(
        "--strict", action="store_true", help="warnings fail too (exit 1 for a warning alone)"
    )
    _rules_option(lint)

    _rules_option(commands.add_parser("endpoints", help="list the endpoint names"))
    rules = commands.add_parser("rules", help="list rule ids and messages")
    rules.add_argument("endpoint", nargs="?", metavar="ENDPOINT", help="only this endpoint's")
    _rules_option(rules)
    explain = commands.add_parser("explain", help="what a rule checks, with an example")
    explain.add_argument("rule", metavar="RULE_ID")
    _rules_option(explain)
    compiled = commands.add_parser(
        "compile", help="print the Python code an endpoint's bodies are checked with (debugging)"
    )
    compiled.add_argument("endpoint", metavar="ENDPOINT")
    _rules_option(compiled)
    return parser


def _rules_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--rules", metavar="DIR", dest="rules_dir", help="rule files to use instead of the shipped"
    )


def _jobs(value: str) -> int:
    try:
        jobs = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {value!r}") from None
    if jobs < 0:
        raise argparse.ArgumentTypeError("must be 0 (one a CPU) or more")
    return jobs


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command; return the exit status (never raises for bad input)."""
    from .problems import CommandError

    try:
        try:
            args = build_parser().parse_args(argv)
        except SystemExit as done:  # --help, --version
            return done.code if isinstance(done.code, int) else CLEAN
        if args.command is None:
            raise _UsageError(
                "missing command: lint, endpoints, rules, explain or compile (see --help)"
            )
        if args.command == "lint":
            return _lint(args)
        return _info(args)
    except (_UsageError, CommandError) as exc:
        _fail(str(exc))
    except KeyboardInterrupt:
        return INTERRUPTED
    except BrokenPipeError:  # e.g. piped into head: stop quietly
        _silence_stdout()
    return COULD_NOT_RUN


def _lint(args: argparse.Namespace) -> int:
    from . import reporters, sources
    from .problems import Failure, Problem
    from .progress import Progress

    if args.dask is not None and args.jobs != 1:
        raise _UsageError("--jobs and --dask exclude each other")
    if args.output is not None:
        _check_output(args.output)
    settings = _settings(args)
    found = sources.expand(args.paths, args.stdin_filename)
    stdin = sys.stdin.buffer if sys.stdin is not None else io.BytesIO()  # stdin may be closed
    if args.dask is not None:
        from . import cluster

        bar = not args.no_progress and sys.stderr.isatty()
        outcomes: Iterable[Outcome] = cluster.lint(args.dask, found, settings, stdin, bar)
        progress = Progress(None, None)  # Dask draws its own
    else:
        progress = Progress.on(sys.stderr, sources.total_size(found), enabled=not args.no_progress)
        outcomes = _checked(sources.batches(found, stdin), settings, args.jobs, progress)
    problems: list[Problem] = []
    table: list[Outcome] = []
    failed = False
    try:
        for outcome in outcomes:
            if args.output is not None:
                table.append(outcome)
            if isinstance(outcome, Failure):
                failed = True
                progress.clear()
                print(outcome, file=sys.stderr, flush=True)
            else:
                problems.append(outcome)
    finally:
        progress.finish()
    if args.output is not None:
        _write_table(table, args.output)
    catalogue = settings.rules().ruleset.rules if args.format == "sarif" else {}
    options = reporters.Options(
        color=_color(args.no_color, sys.stdout),
        rules=reporters.rule_infos(catalogue),
        version=__version__,
    )
    sys.stdout.write(reporters.REPORTERS[args.format](problems, options))
    sys.stdout.flush()
    if failed:
        return COULD_NOT_RUN
    failing = [p for p in problems if args.strict or p.severity == "error"]
    return PROBLEMS if failing else CLEAN


def _checked(
    batches: Iterable[Batch], settings: Settings, jobs: int, progress: Progress
) -> Iterator[Outcome]:
    """The outcomes of the local engine (``--jobs``), in input order, as they are found."""
    from . import parallel

    for checked in parallel.run(batches, settings, parallel.workers(jobs), progress.advance):
        yield from checked.outcomes


def _check_output(path: str) -> None:
    """Refuse an ``--output`` that cannot be written, before any body is checked."""
    if not path.lower().endswith(".parquet"):
        raise _UsageError(f"--output: only Parquet is written (FILE.parquet), not {path!r}")
    try:
        import pyarrow.parquet  # noqa: F401
    except ImportError:
        raise _UsageError("--output needs pyarrow: pip install 'ixrules[dask]'") from None


def _write_table(outcomes: Sequence[Outcome], path: str) -> None:
    from .problems import CommandError
    from .sources import describe_os_error
    from .table import write_parquet

    try:
        write_parquet(outcomes, path)
    except OSError as exc:
        raise CommandError(f"cannot write {path}: {describe_os_error(exc)}") from None


def _settings(args: argparse.Namespace) -> Settings:
    """Everything checked once before any body: rules, endpoint name, context snapshot."""
    from ..context import Context, ContextError
    from .checker import Settings, Unreadable, load_json_file
    from .problems import CommandError

    context = None
    if args.context is not None:
        try:
            context = load_json_file(args.context)
            Context(context)
        except Unreadable as exc:
            raise CommandError(f"context {exc.failure}") from None
        except ContextError as exc:
            raise CommandError(f"context {args.context}: {exc}") from None
    settings = Settings(args.endpoint, context, args.rules_dir)
    rules = _load(settings)
    if args.endpoint is not None:
        from .info import check_endpoint

        check_endpoint(rules, args.endpoint)
    return settings


def _load(settings: Settings) -> Rules:
    """The rule set, with a broken rule file reported as one line."""
    from ..rulefile import RuleFileError
    from .problems import CommandError

    try:
        return settings.rules()
    except RuleFileError as exc:
        raise CommandError(f"broken rule file: {exc}") from None
    except OSError as exc:
        raise CommandError(f"cannot read the rules: {exc}") from None


def _info(args: argparse.Namespace) -> int:
    from . import info
    from .checker import Settings

    rules = _load(Settings(rules_dir=args.rules_dir))
    if args.command == "endpoints":
        sys.stdout.write(info.endpoints_text(rules))
    elif args.command == "rules":
        sys.stdout.write(info.rules_text(rules, args.endpoint))
    elif args.command == "compile":
        info.check_endpoint(rules, args.endpoint)
        sys.stdout.write(rules.source(args.endpoint))
    else:
        sys.stdout.write(info.explain_text(rules, args.rule))
    return CLEAN


def _color(disabled: bool, stream: TextIO) -> bool:
    """Colour only on a terminal, and never with ``--no-color`` or a non-empty ``NO_COLOR``."""
    return not disabled and not os.environ.get("NO_COLOR") and stream.isatty()


def _fail(reason: str) -> None:
    print(f"ixrules: error: {reason}", file=sys.stderr)


def _silence_stdout() -> None:
    """After a broken pipe, send what is left to /dev/null so exiting does not complain."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
