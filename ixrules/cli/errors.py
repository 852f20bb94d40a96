"""How the command stops short: a reason to exit 2, or a signal to unwind for."""

from __future__ import annotations


class CommandError(Exception):
    """The command cannot run at all (bad argument, unreadable context, broken rule file): its
    message is the one line printed on stderr before exiting 2."""


class Terminated(BaseException):
    """SIGTERM or SIGHUP while linting: the run unwinds as for Ctrl-C (workers ended, exit
    128 + the signal's number)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


class UsageError(Exception):
    """A bad command line: one line on stderr, exit 2 (argparse would print usage and more)."""
