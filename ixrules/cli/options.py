"""The command line of ``ixrules``: its parser, every command's options and their value types.

Only ``argparse`` and the standard library are imported (the parser is built for ``--help`` and
``--version`` too); ``mock`` and ``replay`` declare their own options from modules that import
nothing else until their command runs.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from typing import Any, NoReturn

from ..__about__ import __version__
from .errors import UsageError
from .output import Output

FORMATS = ("text", "json", "github", "sarif")


def terminal_columns() -> int:
    """``shutil.get_terminal_size().columns``, without importing ``shutil`` (with ``bz2``,
    ``lzma`` and ``fnmatch``: 2 ms of every command's start, for argparse's help width):
    ``$COLUMNS`` when a positive number, else the width of the terminal on stdout, else 80."""
    try:
        columns = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        columns = 0
    if columns > 0:
        return columns
    try:
        return os.get_terminal_size(sys.__stdout__.fileno()).columns or 80  # type: ignore[union-attr]
    except (AttributeError, ValueError, OSError):
        return 80


class HelpFormatter(argparse.HelpFormatter):
    """argparse's help formatter, given the width argparse would find (every parser makes one
    per option it declares, and argparse's imports ``shutil`` to find it)."""

    def __init__(
        self,
        prog: str,
        indent_increment: int = 2,
        max_help_position: int = 24,
        width: int | None = None,
    ) -> None:
        if width is None:
            width = terminal_columns() - 2
        super().__init__(prog, indent_increment, max_help_position, width)


class Parser(argparse.ArgumentParser):
    """argparse's parser, with a one-line usage error and ``--help`` written through
    ``Output``; ``commands`` names the subcommands in the order ``--help`` lists them."""

    commands: tuple[str, ...] = ()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", HelpFormatter)  # the subcommands' parsers too
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see '{self.prog} --help')")

    def _print_message(self, message: str, file: Any = None) -> None:
        if message and (file is None or file is sys.stdout):  # --help, --version
            out = Output(sys.stdout)  # argparse would ignore a failed write
            out.write(message)
            out.flush()
        else:
            super()._print_message(message, file)


#: The commands, in the order ``--help`` lists them.
COMMANDS = ("lint", "endpoints", "rules", "explain", "schema", "compile", "mock", "replay")


def build_parser(argv: Sequence[str] | None = None) -> Parser:
    """The command line: ``lint``, ``endpoints``, ``rules``, ``explain``, ``schema``,
    ``compile``, ``mock`` and ``replay``. When ``argv`` starts with one of them, only that
    command is declared: declaring every command's options is 2 ms of
    each start, and a command's arguments never reach another's parser; ``--help``, no command
    or an unknown one declare them all, so help and errors read as ever."""
    parser = Parser(
        prog="ixrules",
        description="Validate InvoiceXpress API payloads before they are sent, with the API's "
        "own 422 messages. Exit status: 0 clean (warnings alone are clean unless --strict), "
        "1 problems found, 2 could not run.",
    )
    parser.add_argument("--version", action="version", version=f"ixrules {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    named = argv[0] if argv else None
    wanted = (named,) if named in COMMANDS else COMMANDS
    if "lint" in wanted:
        _lint_command(commands)
    if {"endpoints", "rules", "explain", "schema", "compile"} & set(wanted):
        _listing_commands(commands)
    if "mock" in wanted:
        from ..mock.command import add_parser as add_mock_parser  # argparse only: no server

        add_mock_parser(commands)
    if "replay" in wanted:
        from .replay import add_command as add_replay  # argparse only: stays fast

        add_replay(commands, rules_option)
    parser.commands = COMMANDS
    return parser


def _lint_command(commands: Any) -> None:
    """``lint`` and its options."""
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
    _fix_options(lint)
    rules_option(lint)


def _listing_commands(commands: Any) -> None:
    """``endpoints``, ``rules``, ``explain``, ``schema`` and ``compile``: a few options each."""
    rules_option(commands.add_parser("endpoints", help="list the endpoint names"))
    rules = commands.add_parser("rules", help="list rule ids and messages")
    rules.add_argument("endpoint", nargs="?", metavar="ENDPOINT", help="only this endpoint's")
    rules_option(rules)
    explain = commands.add_parser("explain", help="what a rule checks, with an example")
    explain.add_argument("rule", metavar="RULE_ID")
    rules_option(explain)
    schema = commands.add_parser(
        "schema",
        help="the JSON Schema of an endpoint's bodies (for editors)",
        description="Print the JSON Schema (Draft 2020-12) of ENDPOINT's bodies, or write one "
        "file per endpoint into DIR (ENDPOINT.schema.json).",
    )
    schema.add_argument("endpoint", nargs="?", metavar="ENDPOINT")
    schema.add_argument("--all", metavar="DIR", dest="all_dir", help="write every endpoint's")
    schema.add_argument("--locale", help="messages in this language (pt, es; default English)")
    rules_option(schema)
    compiled = commands.add_parser(
        "compile", help="print the Python code an endpoint's bodies are checked with (debugging)"
    )
    compiled.add_argument("endpoint", metavar="ENDPOINT")
    rules_option(compiled)


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


def _fix_options(lint: argparse.ArgumentParser) -> None:
    """The fix options of ``ixrules lint``."""
    lint.add_argument(
        "--fix", action="store_true", help="apply the safe fixes to the files (stdin: to stdout)"
    )
    lint.add_argument(
        "--unsafe-fixes",
        action="store_true",
        help="with --fix or --diff, the unsafe fixes too (renamed keys, decimal commas, ...)",
    )
    lint.add_argument(
        "--diff",
        action="store_true",
        help="print the fixes as a unified diff and write nothing (exit 1 when there are any)",
    )
    lint.add_argument(
        "--fix-only", action="store_true", help="apply the fixes and report nothing else"
    )
    lint.add_argument(
        "--locale",
        help='the language of the messages and of the values: pt reads "1,5" as 1.5 when '
        "fixing (also 'locale' in the configuration; default English)",
    )


def _patterns(value: str) -> tuple[str, ...]:
    """A comma-separated list of rule ids or globs."""
    patterns = tuple(part.strip() for part in value.split(","))
    if not all(patterns):
        raise argparse.ArgumentTypeError(f"an empty rule id in {value!r}")
    return patterns


def rules_option(parser: argparse.ArgumentParser) -> None:
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
