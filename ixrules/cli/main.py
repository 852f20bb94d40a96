"""The ``ixrules`` command: parse arguments, then lint (sources -> checks -> reporter) or list
what the rules know. Exit status: 0 clean, 1 problems found, 2 could not run.

Only ``argparse`` and the version are imported up front; the engine, the rules and the other
modules of this package load when a command needs them, so ``ixrules --version`` stays fast.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, BinaryIO, NoReturn, TextIO

from ..__about__ import __version__

if TYPE_CHECKING:
    from ..api import Rules
    from ..config import Config
    from ..lint.checker import Checked, Settings
    from ..lint.problems import Failure, Outcome
    from ..lint.sources import Skipped, Source
    from ..selection import Selection
    from .progress import Progress

CLEAN, PROBLEMS, COULD_NOT_RUN = 0, 1, 2
INTERRUPTED = 130
FORMATS = ("text", "json", "github", "sarif")


class _UsageError(Exception):
    """A bad command line: one line on stderr, exit 2 (argparse would print usage and more)."""


class _OutputBroken(Exception):
    """Standard output cannot be written (closed, a pipe its reader has left, a full disk): the
    run ends with exit 2 and one line on stderr, never a traceback or the exit 1 of
    "problems found"."""


class _Output:
    """Standard output as the command writes it: what fails to write is an ``_OutputBroken``."""

    def __init__(self, stream: TextIO | None) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        return int(self.apply(lambda stream: stream.write(text)))

    def flush(self) -> None:
        self.apply(lambda stream: stream.flush())

    def fileno(self) -> int:
        return int(self.apply(lambda stream: stream.fileno()))

    def apply(self, act: Callable[[TextIO], Any]) -> Any:
        """``act(stream)``, its ``OSError`` an ``_OutputBroken``."""
        if self._stream is None:
            raise _OutputBroken("it is closed")
        try:
            return act(self._stream)
        except OSError as exc:
            from ..lint.sources import describe_os_error

            raise _OutputBroken(describe_os_error(exc)) from None


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise _UsageError(f"{message} (see '{self.prog} --help')")

    def _print_message(self, message: str, file: Any = None) -> None:
        if message and (file is None or file is sys.stdout):  # --help, --version
            out = _Output(sys.stdout)  # argparse would ignore a failed write
            out.write(message)
            out.flush()
        else:
            super()._print_message(message, file)


def build_parser() -> argparse.ArgumentParser:
    """The command line: ``lint``, ``endpoints``, ``rules``, ``explain``, ``schema`` and
    ``compile``."""
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
    lint.add_argument(
        "--max-bytes",
        type=_size,
        default=None,
        metavar="SIZE",
        help="the most a file, stdin or a JSON Lines line may hold (default 64M; K, M, G)",
    )
    lint.add_argument("--no-color", action="store_true", help="no colour (also: NO_COLOR=1)")
    lint.add_argument("--no-progress", action="store_true", help="no progress bar")
    lint.add_argument(
        "--show-skipped",
        action="store_true",
        help="note each rule skipped for want of context (and the keys it needs)",
    )
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
    lint.add_argument(
        "--exclude",
        action="append",
        default=[],
        metavar="GLOB",
        help="never read files matching GLOB (repeatable; also 'exclude' in the configuration)",
    )
    _selection_options(lint)
    from .fixing import add_fix_options

    add_fix_options(lint)
    _rules_option(lint)

    _rules_option(commands.add_parser("endpoints", help="list the endpoint names"))
    rules = commands.add_parser("rules", help="list rule ids and messages")
    rules.add_argument("endpoint", nargs="?", metavar="ENDPOINT", help="only this endpoint's")
    _rules_option(rules)
    explain = commands.add_parser("explain", help="what a rule checks, with an example")
    explain.add_argument("rule", metavar="RULE_ID")
    _rules_option(explain)
    schema = commands.add_parser(
        "schema",
        help="the JSON Schema of an endpoint's bodies (for editors)",
        description="Print the JSON Schema (Draft 2020-12) of ENDPOINT's bodies, or write one "
        "file per endpoint into DIR (ENDPOINT.schema.json).",
    )
    schema.add_argument("endpoint", nargs="?", metavar="ENDPOINT")
    schema.add_argument("--all", metavar="DIR", dest="all_dir", help="write every endpoint's")
    schema.add_argument("--locale", help="messages in this language (pt, es; default English)")
    _rules_option(schema)
    compiled = commands.add_parser(
        "compile", help="print the Python code an endpoint's bodies are checked with (debugging)"
    )
    compiled.add_argument("endpoint", metavar="ENDPOINT")
    _rules_option(compiled)
    from ..mock.command import add_parser as add_mock_parser  # argparse only: no server
    from .replay import add_command as add_replay  # argparse only: stays fast

    add_mock_parser(commands)
    add_replay(commands, _rules_option)
    return parser


def _selection_options(lint: argparse.ArgumentParser) -> None:
    """ruff's options for which rules run and what is printed."""
    group = lint.add_argument_group(
        "rule selection and output (as ruff's: the command line wins over the configuration)"
    )
    for option, default, meaning in (
        ("--select", None, "check only these rules (replaces what the configuration turns off)"),
        ("--extend-select", [], "check these rules too"),
        (
            "--ignore",
            [],
            "do not check these rules (the most specific pattern wins, --ignore a tie)",
        ),
    ):
        group.add_argument(
            option,
            action="append",
            default=default,
            type=_patterns,
            metavar="RULES",
            help=f"{meaning}: rule ids or globs, comma-separated, repeatable",
        )
    group.add_argument(
        "--statistics",
        action="store_true",
        help="print how many problems each rule found instead of the problems (text or json)",
    )
    group.add_argument(
        "--exit-zero", action="store_true", help="exit 0 even when problems are found"
    )
    group.add_argument(
        "-q", "--quiet", action="store_true", help="print the problems only: no summary, no bar"
    )


def _patterns(value: str) -> tuple[str, ...]:
    """A comma-separated list of rule ids or globs."""
    patterns = tuple(part.strip() for part in value.split(","))
    if not all(patterns):
        raise argparse.ArgumentTypeError(f"an empty rule id in {value!r}")
    return patterns


def _rules_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--rules", metavar="DIR", dest="rules_dir", help="rule files to use instead of the shipped"
    )
    parser.add_argument(
        "--pack",
        "--extra-rules",  # its old name, still taken
        action=_PackOption,
        default=[],
        dest="packs",
        metavar="PATH",
        help="a rule pack (file or folder) layered over the rules (repeatable; --extra-rules "
        "is its old name)",
    )
    parser.add_argument(
        "--config",
        metavar="FILE",
        help="the project configuration (default: .ixrules.yaml or [tool.ixrules] in "
        "pyproject.toml, found from here upward to the repository root)",
    )
    parser.add_argument("--no-config", action="store_true", help="ignore any project configuration")


class _PackOption(argparse.Action):
    """``--pack PATH`` (or its old name ``--extra-rules``): each pack with the spelling that
    named it, in command-line order, so an error quotes the option as the user wrote it."""

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: object,
        option_string: str | None = None,
    ) -> None:
        given = [*getattr(namespace, self.dest), (option_string or "--pack", str(values))]
        setattr(namespace, self.dest, given)


def _jobs(value: str) -> int:
    try:
        jobs = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {value!r}") from None
    if jobs < 0:
        raise argparse.ArgumentTypeError("must be 0 (one a CPU) or more")
    return jobs


def _size(value: str) -> int:
    """A byte count: digits, optionally followed by K, M or G (powers of 1024)."""
    text = value.strip().upper().removesuffix("B")
    scale = 1
    if text[-1:] in ("K", "M", "G"):
        scale = 1 << (10 * ("KMG".index(text[-1]) + 1))
        text = text[:-1]
    if not text.isdigit() or len(text) > 15 or int(text) * scale < 1:
        raise argparse.ArgumentTypeError(f"not a size: {value!r} (e.g. 1048576, 512K, 64M)")
    return int(text) * scale


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command; return the exit status (never raises for bad input)."""
    from .errors import CommandError, Terminated

    try:
        try:
            args = build_parser().parse_args(argv)
        except SystemExit as done:  # --help, --version
            return done.code if isinstance(done.code, int) else CLEAN
        if args.command is None:
            raise _UsageError(
                "missing command: lint, endpoints, rules, explain, schema or compile (see --help)"
            )
        if args.command == "lint":
            with _terminated_by_signals():
                return _lint(args)
        if args.command == "mock":
            from ..mock.command import run as run_mock

            return run_mock(args)
        if args.command == "replay":
            from .replay import run as replay

            color = use_color(args.no_color, sys.stdout)
            return replay(args, _rules(args), _stdout(args.format in ("json", "sarif")), color)
        return _info(args)
    except (_UsageError, CommandError) as exc:
        _fail(str(exc))
    except KeyboardInterrupt:
        return INTERRUPTED
    except Terminated as exc:
        return 128 + exc.signum
    except _OutputBroken as exc:  # e.g. piped into head, or > /dev/full
        _silence_stdout()
        _fail(f"cannot write to standard output: {exc}")
    except BrokenPipeError:
        _silence_stdout()
    return COULD_NOT_RUN


@contextlib.contextmanager
def _terminated_by_signals() -> Iterator[None]:
    """While linting, SIGTERM and SIGHUP raise ``Terminated`` (their default would end this
    process at once and leave the workers of ``--jobs`` running; while workers run,
    ``parallel`` handles them itself)."""
    import threading

    from .errors import Terminated
    from .parallel import handling

    def handle(signum: int, frame: object) -> None:
        raise Terminated(signum)

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    with handling(("SIGTERM", "SIGHUP"), handle):
        yield


def _lint(args: argparse.Namespace) -> int:
    from ..lint import sources
    from . import reporters, writing
    from .progress import Progress
    from .statistics import FORMATS as STATISTICS_FORMATS

    if args.dask is not None and args.jobs != 1:
        raise _UsageError("--jobs and --dask exclude each other")
    if args.statistics and args.format not in STATISTICS_FORMATS:
        raise _UsageError(f"--statistics prints text or json, not {args.format}")
    if args.output is not None:
        _check_output(args.output)
    settings = _settings(args)
    config = settings.rules().config
    found = sources.expand(
        args.paths, args.stdin_filename, _excluder(args.exclude, config), _tell_skipped
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
    out = _stdout(utf8=args.format in ("json", "sarif"))
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


def _stdout(utf8: bool) -> _Output:
    """Standard output, never failing to encode: UTF-8 for the JSON formats, else the
    terminal's encoding with what it cannot show escaped; a write that fails (closed, broken
    pipe, full disk) raises ``_OutputBroken``."""
    stream = sys.stdout
    out = _Output(stream)
    if isinstance(stream, io.TextIOWrapper):  # reconfiguring flushes: it may fail too
        if utf8:
            out.apply(lambda text: stream.reconfigure(encoding="utf-8", errors="strict"))
        else:
            out.apply(lambda text: stream.reconfigure(errors="backslashreplace"))
    return out


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

    run = parallel.run(
        batches(found, stdin, settings.max_bytes),
        settings,
        parallel.workers(args.jobs),
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
        raise _UsageError(f"--output: only Parquet is written (FILE.parquet), not {path!r}")
    try:
        import pyarrow.parquet  # noqa: F401
    except ImportError:
        raise _UsageError("--output needs pyarrow: pip install 'ixrules[dask]'") from None


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


def _settings(args: argparse.Namespace) -> Settings:
    """Everything checked once before any body: rules, endpoint name, context snapshot."""
    from ..lint.checker import BadInput, Settings, load_context
    from ..lint.sources import MAX_BYTES
    from .errors import CommandError

    context = text = None
    max_bytes = args.max_bytes or MAX_BYTES
    if args.context is not None:
        try:
            context, text = load_context(args.context, max_bytes)
        except BadInput as exc:
            raise CommandError(f"context {exc.failure}") from None
    settings = Settings(
        args.endpoint,
        context,
        args.rules_dir,
        _config_path(args),
        _packs(args.packs),
        max_bytes,
        context_text=text,
        show_skipped=args.show_skipped,
        selection=_selection(args),
    )
    rules = _load(settings)
    if args.endpoint is not None:
        from .info import check_endpoint

        check_endpoint(rules, args.endpoint)
    if rules.config is not None and context is None:
        for entry in rules.config.files:  # every context the configuration names, read now
            if entry.context is not None:
                try:
                    load_context(entry.context, max_bytes)
                except BadInput as exc:
                    raise CommandError(
                        f"broken configuration: {entry.file}:{entry.line}: context {exc.failure}"
                    ) from None
    return settings


def _selection(args: argparse.Namespace) -> Selection:
    """The rule selection of ``--select``, ``--extend-select`` and ``--ignore``."""
    from ..selection import Selection

    def joined(groups: list[tuple[str, ...]]) -> tuple[str, ...]:
        return tuple(pattern for group in groups for pattern in group)

    select = None if args.select is None else joined(args.select)
    return Selection(select, joined(args.extend_select), joined(args.ignore))


def _packs(given: list[tuple[str, str]]) -> tuple[str, ...]:
    """The ``--pack`` packs as absolute paths (each must exist)."""
    from .errors import CommandError

    for option, path in given:
        if not os.path.exists(path):
            raise CommandError(f"{option} {path}: no such file or directory")
    return tuple(os.path.abspath(path) for _, path in given)


def _config_path(args: argparse.Namespace) -> str | None:
    """The configuration to use: ``--config``, else the one found upward from the folder of
    the paths linted (see ``linted_folder``) or from here; none with ``--no-config``."""
    from ..configfind import discover, linted_folder
    from .errors import CommandError

    if args.no_config:
        if args.config is not None:
            raise CommandError("--config and --no-config exclude each other")
        return None
    if args.config is not None:
        if not os.path.isfile(args.config):
            raise CommandError(f"configuration {args.config}: no such file")
        return os.path.abspath(str(args.config))
    found = discover(linted_folder(getattr(args, "paths", ())))
    return None if found is None else str(found)


def _excluder(patterns: list[str], config: Config | None) -> Callable[[str], bool] | None:
    """Whether a path is excluded: by ``--exclude`` (relative to the working directory) or by
    the configuration's ``exclude`` (relative to its folder)."""
    if not patterns and (config is None or not config.exclude):
        return None
    from ..config import glob_regex, matches
    from .errors import CommandError

    for pattern in patterns:
        try:
            glob_regex(pattern)
        except ValueError as exc:
            raise CommandError(f"--exclude {pattern!r}: {exc}") from None
    here = os.getcwd()

    def excluded(path: str) -> bool:
        return matches(patterns, here, path) or (config is not None and config.excluded(path))

    return excluded


def _load(settings: Settings) -> Rules:
    """The rule set, with a broken rule file reported as one line."""
    from ..ruleformat.errors import ConfigError, PluginError, RuleFileError
    from ..selection import SelectionError
    from .errors import CommandError

    try:
        return settings.rules()
    except (SelectionError, PluginError) as exc:  # a plugin's fact that failed on its args
        raise CommandError(str(exc)) from None
    except ConfigError as exc:
        raise CommandError(f"broken configuration: {exc}") from None
    except RuleFileError as exc:
        raise CommandError(f"broken rule file: {exc}") from None
    except OSError as exc:
        raise CommandError(f"cannot read the rules: {exc}") from None


def _rules(args: argparse.Namespace) -> Rules:
    """The rule set of ``--rules``, ``--pack`` and the configuration."""
    from ..lint.checker import Settings

    settings = Settings(
        rules_dir=args.rules_dir, config=_config_path(args), packs=_packs(args.packs)
    )
    return _load(settings)


def _info(args: argparse.Namespace) -> int:
    from ..lint.safe import lines
    from . import info

    rules = _rules(args)
    if args.command == "schema":
        _schema(rules, args)  # JSON: its strings are escaped by the encoder
        return CLEAN
    if args.command == "endpoints":
        listing = info.endpoints_text(rules)
    elif args.command == "rules":
        listing = info.rules_text(rules, args.endpoint)
    elif args.command == "compile":
        info.check_endpoint(rules, args.endpoint)
        listing = rules.source(args.endpoint)
    else:
        listing = info.explain_text(rules, args.rule)
    out = _stdout(utf8=False)
    out.write(lines(listing))  # a user's rule pack is text from anyone
    out.flush()
    return CLEAN


def _schema(rules: Rules, args: argparse.Namespace) -> None:
    from ..lint.safe import visible
    from . import schema

    if (args.endpoint is None) == (args.all_dir is None):
        raise _UsageError("schema takes an ENDPOINT or --all DIR (see 'ixrules schema --help')")
    if args.all_dir is not None:
        written = schema.write_all(rules, args.all_dir, args.locale)
        out = _stdout(utf8=False)
        out.write(f"Wrote {len(written)} schemas into {visible(args.all_dir)}.\n")
    else:
        out = _stdout(utf8=True)
        out.write(schema.schema_text(rules, args.endpoint, args.locale))
    out.flush()


def use_color(disabled: bool, stream: TextIO | None) -> bool:
    """Colour only on a terminal, and never with ``--no-color`` or a non-empty ``NO_COLOR``."""
    return (
        not disabled and not os.environ.get("NO_COLOR") and stream is not None and stream.isatty()
    )


def _fail(reason: str) -> None:
    from ..lint.safe import visible

    if sys.stderr is not None:  # print(file=None) would write to stdout
        print(f"ixrules: error: {visible(reason)}", file=sys.stderr)


def _silence_stdout() -> None:
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
