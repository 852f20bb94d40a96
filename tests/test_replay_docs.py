"""docs/replay.md's sessions are real (issue 24: its example run is a test): each ``$ ixrules
replay ...`` prints exactly what is shown, checked as tests/test_cli_sessions.py checks the
other documents."""

from __future__ import annotations

import pytest
from cli_runner import Result, run_all
from support.sessions import check_sessions, sessions, to_run

DOCUMENT = "docs/replay.md"
STEPS = [step for block in sessions(DOCUMENT) for step in block]


@pytest.fixture(scope="module")
def ran() -> dict[str, Result]:
    commands = {step.command for step in STEPS if step.command.startswith("ixrules")}
    return run_all({command: to_run(command) for command in commands})


def test_the_document_shows_runs() -> None:
    assert [step.command.split()[:2] for step in STEPS].count(["ixrules", "replay"]) == 3


def test_each_session_prints_what_is_shown(ran: dict[str, Result]) -> None:
    check_sessions(DOCUMENT, ran)
