"""The terminal sessions of the documents (```console blocks), read as commands and what each
shows, and the check that each command prints what is shown (tests/test_cli_sessions.py,
tests/test_replay_docs.py)."""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass

from cli_runner import TOP, Result, Run


@dataclass(frozen=True)
class Step:
    where: str
    command: str
    shown: str


def sessions(document: str) -> list[list[Step]]:
    """Each console block of ``document`` as its commands and what is shown under each."""
    text = (TOP / document).read_text(encoding="utf-8")
    blocks = re.findall(r"^```console\n(.*?)^```$", text, flags=re.S | re.M)
    out = []
    for number, block in enumerate(blocks, 1):
        steps: list[Step] = []
        for chunk in re.split(r"^\$ ", block, flags=re.M)[1:]:
            command, _, shown = chunk.partition("\n")
            steps.append(Step(f"{document} block {number}", command, shown))
        out.append(steps)
    return out


def to_run(command: str) -> Run:
    words = shlex.split(command)
    stdin = b""
    if "<" in words:
        at = words.index("<")
        stdin = (TOP / words[at + 1]).read_bytes()
        words = words[:at] + words[at + 2 :]
    assert words[0] == "ixrules", command
    return Run(words[1:], stdin=stdin)


def matches(shown: str, real: str) -> bool:
    """A line ``...`` stands for any lines, and ``...`` within a line for any text."""
    pattern = "".join(
        "(?:.*\n)*?"
        if line == "...\n"
        else ".*?".join(re.escape(part) for part in line.split("..."))
        for line in shown.splitlines(keepends=True)
    )
    return re.fullmatch(pattern, real) is not None


def check_sessions(document: str, ran: dict[str, Result]) -> None:
    """Each session of ``document`` shows what its commands print (``ran``: by command)."""
    for block in sessions(document):
        previous: Result | None = None
        for step in block:
            if step.command == "echo $?":
                assert previous is not None, step
                assert step.shown == f"{previous.code}\n", step
            elif step.command.startswith("cat "):
                real = (TOP / step.command[4:]).read_text(encoding="utf-8")
                assert matches(step.shown, real), step
            else:
                previous = ran[step.command]
                assert matches(step.shown, previous.err + previous.out), (step, previous)
