"""The README's first screen holds the command CI runs, and its quick-start payload is real."""

from __future__ import annotations

from pathlib import Path

TOP = Path(__file__).resolve().parent.parent


def test_ci_runs_the_readme_test_command() -> None:
    readme = (TOP / "README.md").read_text(encoding="utf-8")
    ci = (TOP / ".ci" / "run").read_text(encoding="utf-8")
    command = ci.split("# --- the README's test command ---\n", 1)[1].strip()
    first_screen = "\n".join(readme.splitlines()[:40])
    assert command in first_screen
