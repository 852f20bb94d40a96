"""The two ways tests run the command (tests/cli_runner.py) give the same result: the entry
function called in this process with captured streams, and the installed script as a subprocess.
Each case runs both ways, and there is one for every command: most command-line tests run in
this process, and these keep the installed script of each command covered. The in-process
runner leaves the process as it found it."""

from __future__ import annotations

import os
import shutil
import signal
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from cli_runner import TOP, Result, Run, needs_process, run_all, run_here, run_process

F = "tests/fixtures/cli"
INVOICE = f"{F}/invoice.json"
CASES = {
    "version": Run(["--version"]),
    "text": Run(["lint", "--no-progress", INVOICE]),
    "json from stdin": Run(["lint", "-f", "json", "-"], stdin=(TOP / INVOICE).read_bytes()),
    "json lines with failures": Run(["lint", f"{F}/export.jsonl"]),
    "not UTF-8 and a surrogate": Run(["lint", "-"], stdin=b'{"invoice": {"x\xff": 1}}'),
    "a missing file": Run(["lint", f"{F}/missing.json"]),
    "usage error": Run(["lint", "--format", "nothing", INVOICE]),
    "no command": Run([]),
    "explain": Run(["explain", "document.due_date.after_date"]),
    "endpoints": Run(["endpoints"]),
    "rules": Run(["rules", "invoices.create"]),
    "schema": Run(["schema", "invoices.create"]),
    "compile": Run(["compile", "taxes.create"]),
    "replay": Run(["replay", "tests/fixtures/replay/app-log.jsonl"]),
    "mock": Run(["mock", "--help"]),
    "another folder": Run(["lint", "invoice.json"], cwd=TOP / F),
    "colour off": Run(["lint", INVOICE], env={"NO_COLOR": "1"}),
}


@pytest.fixture(scope="module")
def both() -> dict[str, tuple[Result, Result]]:
    here = run_all({name: replace(spec, process=False) for name, spec in CASES.items()})
    there = run_all({name: replace(spec, process=True) for name, spec in CASES.items()})
    return {name: (here[name], there[name]) for name in CASES}


@pytest.mark.parametrize("name", CASES)
def test_in_process_and_subprocess_give_the_same_result(
    both: dict[str, tuple[Result, Result]], name: str
) -> None:
    here, there = both[name]
    assert here == there


def test_the_cases_cover_every_exit_status_and_command(
    both: dict[str, tuple[Result, Result]],
) -> None:
    assert {here.code for here, _ in both.values()} == {0, 1, 2}
    commands = {spec.args[0] for spec in CASES.values() if spec.args}
    assert commands >= {"lint", "endpoints", "rules", "explain", "schema", "compile", "replay"}
    assert commands >= {"mock", "--version"}


def test_an_in_process_run_leaves_the_process_as_it_was(tmp_path: Path) -> None:
    before = (
        sys.stdin,
        sys.stdout,
        sys.stderr,
        os.getcwd(),
        dict(os.environ),
        signal.getsignal(signal.SIGTERM),
    )
    run_here(Run(["lint", "--no-progress", INVOICE], env={"IXRULES_PROBE": "1"}, cwd=TOP))
    run_here(Run(["lint", "-f", "json", "-"], stdin=b"{}", cwd=tmp_path))
    after = (
        sys.stdin,
        sys.stdout,
        sys.stderr,
        os.getcwd(),
        dict(os.environ),
        signal.getsignal(signal.SIGTERM),
    )
    assert after == before


def test_a_relative_rules_folder_is_read_again_in_each_run(tmp_path: Path) -> None:
    """The lint core keeps a rule set by the name it was given: an earlier run's ``--rules
    rules`` from the top of the repository (the shipped rules) is not this folder's."""
    shutil.copytree(TOP / F / "broken-rules", tmp_path / "rules")
    (tmp_path / "invoice.json").write_bytes((TOP / INVOICE).read_bytes())
    args = ["lint", "--rules", "rules", "invoice.json"]
    assert run_here(Run(["lint", "--rules", "rules", INVOICE])).code == 1
    here = run_here(Run(args, cwd=tmp_path))
    assert here == run_process(Run(args, cwd=tmp_path))
    assert here.code == 2 and here.err.startswith("ixrules: error: broken rule file: rules/")


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        (Run(["lint", "a.json"]), False),
        (Run(["lint", "--jobs", "1", "a.json"]), False),
        (Run(["lint", "-j", "1", "a.json"]), False),
        (Run(["lint", "--jobs=1", "a.json"]), False),
        (Run(["lint", "--jobs", "2", "a.json"]), True),
        (Run(["lint", "-j2", "a.json"]), True),
        (Run(["lint", "--jobs=0", "a.json"]), True),
        (Run(["lint", "--dask", "local", "a.json"]), True),
        (Run(["lint", "a.json"], tty=True), True),
        (Run(["--version"], program=[sys.executable, "-m", "ixrules"]), True),
        (Run(["lint", "a.json"], env={"PYTHONPATH": "site"}), True),
        (Run(["lint", "a.json"], env={"IXRULES_CACHE_DIR": "/c"}), False),
        (Run(["lint", "a.json"], timeout=30), True),
        (Run(["lint", "a.json"], process=True), True),
        (Run(["lint", "--jobs", "2", "a.json"], process=False), False),
    ],
)
def test_which_runs_need_a_process(spec: Run, expected: bool) -> None:
    assert needs_process(spec) is expected
