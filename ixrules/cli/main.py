"""The ``ixrules`` command: parse the arguments, then hand them to the command's module. Exit
status: 0 clean, 1 problems found, 2 could not run.

Only ``argparse``, the options and the output are imported up front; each command's module
(:mod:`.linting`, :mod:`.listing`, :mod:`.replay`, :mod:`ixrules.mock.command`) loads when that
command runs, and the engine and the rules with it, so ``ixrules --version`` stays fast and a
command pays only for what it uses.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from .errors import UsageError
from .options import build_parser
from .output import OutputBroken, fail, silence_stdout

CLEAN, PROBLEMS, COULD_NOT_RUN = 0, 1, 2
INTERRUPTED = 130


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command; return the exit status (never raises for bad input)."""
    from .errors import CommandError, Terminated

    try:
        if argv is None:
            argv = sys.argv[1:]
        parser = build_parser(argv)
        try:
            args = parser.parse_args(argv)
        except SystemExit as done:  # --help, --version
            return done.code if isinstance(done.code, int) else CLEAN
        if args.command is None:
            *first, last = parser.commands
            raise UsageError(f"missing command: {', '.join(first)} or {last} (see --help)")
        return _run(args)
    except (UsageError, CommandError) as exc:
        fail(str(exc))
    except KeyboardInterrupt:
        return INTERRUPTED
    except Terminated as exc:
        return 128 + exc.signum
    except OutputBroken as exc:  # e.g. piped into head, or > /dev/full
        silence_stdout()
        fail(f"cannot write to standard output: {exc}")
    except BrokenPipeError:
        silence_stdout()
    return COULD_NOT_RUN


def _run(args: argparse.Namespace) -> int:
    """The command of ``args``, its module imported now."""
    if args.command == "lint":
        from .linting import run as lint
        from .linting import terminated_by_signals

        with terminated_by_signals():
            return lint(args)
    if args.command == "mock":
        from ..mock.command import run as run_mock

        return run_mock(args)
    if args.command == "replay":
        from .loading import rules_of
        from .output import stdout, use_color
        from .replay import run as replay

        color = use_color(args.no_color, sys.stdout)
        return replay(args, rules_of(args), stdout(args.format in ("json", "sarif")), color)
    from .listing import run as listing

    return listing(args)
