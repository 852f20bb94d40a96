"""The terminal sessions shown in README.md and docs/cli.md (```console blocks) are real: each
``$ ixrules ...`` prints exactly the lines shown under it (stderr, then stdout), ``$ echo $?``
shows its exit status, and ``$ cat FILE`` shows the file. A line ``...`` stands for any lines,
and ``...`` within a line for any text.
"""

from __future__ import annotations

import pytest
from cli_runner import Result, run_all
from support.sessions import check_sessions, sessions, to_run

DOCUMENTS = ("README.md", "docs/cli.md", "docs/schema.md", "docs/own-rules.md")


STEPS = [step for document in DOCUMENTS for block in sessions(document) for step in block]


@pytest.fixture(scope="module")
def ran() -> dict[str, Result]:
    commands = {step.command for step in STEPS if step.command.startswith("ixrules")}
    return run_all({command: to_run(command) for command in commands})


def test_documents_have_sessions() -> None:
    for document in DOCUMENTS:
        assert sessions(document), document


@pytest.mark.parametrize("document", DOCUMENTS)
def test_sessions_show_what_the_command_prints(document: str, ran: dict[str, Result]) -> None:
    check_sessions(document, ran)
