"""Start-up as users get it: bytecode compiled (``PYTHONDONTWRITEBYTECODE`` unset for every run,
as an installed wheel has it) and CPU time (user + system) of fresh processes, each taken as a
ratio to ``python -c pass`` measured in the same rounds (the contenders alternate, so a change in
the machine's load touches them alike)."""

from __future__ import annotations

import compileall
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

import ixrules

#: A body with an e-mail address and a NIF (the values whose libraries cost most to import).
BODY = {
    "invoice": {
        "date": "03/12/2025",
        "due_date": "03/12/2025",
        "client": {
            "name": "Acme",
            "code": "A1",
            "email": "ana.silva@example.pt",
            "fiscal_id": "508025338",
            "country": "Portugal",
        },
        "items": [{"name": "Pen", "unit_price": "1.5", "quantity": "2"}],
    }
}


def user_env() -> dict[str, str]:
    """The environment of a user's run: bytecode written and read."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def compile_package() -> None:
    """Compile the package's bytecode once, as installing a wheel does."""
    compileall.compile_dir(str(Path(ixrules.__file__).parent), quiet=1, force=False)


def cpu(argv: Sequence[str], env: dict[str, str]) -> float:
    """CPU seconds (user + system) of one run of ``argv``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime


def startup(rounds: int, lint: Sequence[str]) -> dict[str, float]:
    """Median CPU seconds of ``python -c pass``, a first ``validate`` with the rule cache filled,
    and a one-file lint (``lint``: the command, without the file)."""
    env = user_env()
    compile_package()
    with tempfile.TemporaryDirectory() as tmp:
        one = Path(tmp) / "invoice.json"
        one.write_text(json.dumps(BODY), encoding="utf-8")
        cases = {
            "python -c pass": [sys.executable, "-c", "pass"],
            "first validate": [sys.executable, "-c", f"import ixrules; ixrules.validate({BODY!r})"],
            "one-file lint": [*lint, "lint", "--no-progress", "--no-config", str(one)],
        }
        for argv in cases.values():  # fills the rule cache, writes the bytecode
            cpu(argv, env)
        times: dict[str, list[float]] = {name: [] for name in cases}
        for _ in range(rounds):
            for name, argv in cases.items():
                times[name].append(cpu(argv, env))
    return {name: statistics.median(found) for name, found in times.items()}


#: Issue 26's start-up targets and the case each measures (over ``python -c pass``).
STARTUP_TARGETS = {
    "first validate in a fresh process (rules cached) / python -c pass": "first validate",
    "one-file lint / python -c pass": "one-file lint",
}


def startup_rows(measured: dict[str, float]) -> tuple[list[str], dict[str, float | None]]:
    """The lines of the report, and each target's measured ratio."""
    base = measured["python -c pass"]
    lines = [
        f"- CPU time, bytecode compiled, `PYTHONDONTWRITEBYTECODE` unset: `python -c pass` "
        f"{base * 1000:.1f} ms, first `validate` (e-mail and NIF, rules cached) "
        f"{measured['first validate'] * 1000:.1f} ms, one-file lint "
        f"{measured['one-file lint'] * 1000:.1f} ms"
    ]
    ratios: dict[str, float | None] = {
        target: measured[case] / base for target, case in STARTUP_TARGETS.items()
    }
    return lines, ratios
