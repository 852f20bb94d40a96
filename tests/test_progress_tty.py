"""The progress bar on a real terminal (a pseudo-terminal): seen for the whole of a long run with
many problems while stdout goes to a file, drawn again after each failure printed under it,
never written into the file, and, when stdout is the same terminal, never in a line of the
report."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from ixrules.cli.progress import Progress

TOP = Path(__file__).resolve().parent.parent
CLIENT = {"name": "Acme", "code": "A1"}
GOOD = {
    "invoice": {
        "date": "03/12/2017",
        "due_date": "03/12/2017",
        "client": CLIENT,
        "items": [{"name": "Pen", "unit_price": "1.5", "quantity": 2}],
    }
}
BAD = {
    "quote": {
        "client": CLIENT,
        "items": [{"name": "Desk", "unit_price": "120", "quantity": 1, "unit": "kg"}],
    }
}
BODIES = 100_000
EVERY_FAILURE = 20_000  # a malformed line every so often: a failure on stderr, under the bar
BAR = re.compile(r"\[[=> ]{30}\] +\d+%  [\d,]+ bodies")
PROBLEM = re.compile(
    r"big\.jsonl:\d+:(63: Invoice items is invalid \[document\.items\.invalid\]|125: Unit kg is "
    r"not included in the list of accepted units \[item\.unit\.accepted\])"
)
FAILURE = re.compile(r"big\.jsonl:\d+:\d+: error: not valid JSON: .*")


def command() -> list[str]:
    script = Path(sys.executable).parent / "ixrules"
    return [str(script)] if script.exists() else [sys.executable, "-m", "ixrules"]


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """100,000 bodies, a third of them with two problems, and a malformed line now and then."""
    folder = tmp_path_factory.mktemp("big")
    good, bad = json.dumps(GOOD), json.dumps(BAD)
    with open(folder / "big.jsonl", "w", encoding="utf-8") as out:
        for number in range(1, BODIES + 1):
            if number % EVERY_FAILURE == EVERY_FAILURE // 2:
                out.write('{"invoice": \n')
            else:
                out.write((bad if number % 3 == 0 else good) + "\n")
    return folder


def on_terminal(argv: list[str], cwd: Path, stdout: Path | None) -> tuple[int, str]:
    """Run with stderr (and stdout, unless a file is given) on a pseudo-terminal; what the
    terminal received."""
    master, slave = os.openpty()
    env = {key: value for key, value in os.environ.items() if key != "NO_COLOR"}
    with open(stdout, "wb") if stdout is not None else open(os.devnull, "wb") as file:
        process = subprocess.Popen(
            argv,
            cwd=cwd,
            stdin=subprocess.DEVNULL,
            stdout=file if stdout is not None else slave,
            stderr=slave,
            env=env,
        )
        os.close(slave)
        received = bytearray()
        while True:
            try:
                chunk = os.read(master, 1 << 16)
            except OSError:  # the other end closed
                break
            if not chunk:
                break
            received += chunk
        os.close(master)
        code = process.wait(timeout=600)
    return code, received.decode("utf-8").replace("\r\n", "\n")


def screen(received: str) -> list[str]:
    """The lines a terminal shows: ``\\r`` returns to the first column, ``ESC [K`` erases to
    the end of the line, ``\\n`` ends it; colour codes are left out."""
    received = re.sub(r"\x1b\[[0-9;]*m", "", received)
    lines, line, column, at = [], list[str](), 0, 0
    while at < len(received):
        if received.startswith("\x1b[K", at):
            del line[column:]
            at += 3
            continue
        char = received[at]
        if char == "\r":
            column = 0
        elif char == "\n":
            lines.append("".join(line))
            line, column = [], 0
        else:
            line[column : column + 1] = [char]
            column += 1
        at += 1
    if line:
        lines.append("".join(line))
    return lines


@pytest.mark.slow
def test_the_bar_stays_up_while_the_report_goes_to_a_file(big: Path) -> None:
    report = big / "out.txt"
    code, received = on_terminal([*command(), "lint", "big.jsonl"], big, report)
    assert code == 2  # problems, and failures
    written = report.read_text(encoding="utf-8")
    assert "\r" not in written and "bodies ]" not in written and not BAR.search(written)
    assert written.endswith("; 100000 bodies checked in 1 file, 5 failures.\n")
    # the terminal got only the bar and the failures, and saw the bar all along
    draws = [match.start() for match in BAR.finditer(received)]
    assert len(draws) >= 10
    failures = [match.end() for match in FAILURE.finditer(received)]
    assert len(failures) == BODIES // EVERY_FAILURE
    assert all(any(draw > end for draw in draws) for end in failures)  # drawn again after each
    assert received.endswith("\r\x1b[K")  # erased when the run ends
    assert all(BAR.fullmatch(line) or FAILURE.fullmatch(line) or not line
               for line in screen(received))  # fmt: skip


@pytest.mark.slow
def test_on_one_terminal_the_bar_and_the_report_never_share_a_line(big: Path) -> None:
    code, received = on_terminal([*command(), "lint", "big.jsonl"], big, None)
    assert code == 2
    lines = screen(received)
    summary = "Found 66662 problems in 33331 bodies; 100000 bodies checked in 1 file, 5 failures."
    assert lines[-1] == summary
    assert all(PROBLEM.fullmatch(line) or FAILURE.fullmatch(line) for line in lines[:-1])
    assert len(lines) == 66662 + 5 + 1
    # the bar was drawn between problems, not only before the first
    first_problem = received.index("big.jsonl:")
    assert len(BAR.findall(received[first_problem:])) >= 3


def test_the_bar_waits_for_a_complete_line_of_a_shared_terminal() -> None:
    stderr, stdout = io.StringIO(), io.StringIO()
    clock = iter(float(second) for second in range(100)).__next__
    bar = Progress(stderr, None, clock=clock, shared=stdout)
    bar.advance(0, 5)
    bar.tick()  # 1 s: drawn
    assert stderr.getvalue() == "\r5 bodies"
    bar.writing('{\n  "problems": [')  # a line left open: erased, and not drawn again
    bar.tick()
    assert stderr.getvalue() == "\r5 bodies\r\x1b[K"
    bar.writing("\n  ]\n")
    bar.tick()
    assert stderr.getvalue() == "\r5 bodies\r\x1b[K\r5 bodies"


def test_problems_written_elsewhere_never_erase_the_bar() -> None:
    stderr = io.StringIO()
    clock = iter(float(second) for second in range(100)).__next__
    bar = Progress(stderr, 100, clock=clock)  # stdout is not this terminal
    bar.advance(50, 1)
    bar.tick()
    bar.writing("a.json:1:1: Client can't be blank [document.client.required]\n")
    assert not stderr.getvalue().endswith("\x1b[K")
    bar.writing("", to_stderr=True)  # a failure is printed on the bar's own stream
    assert stderr.getvalue().endswith("\r\x1b[K")
    bar.tick()
    assert stderr.getvalue().endswith("bodies")  # and the bar comes back under it
