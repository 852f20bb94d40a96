"""The pre-commit hook as a user runs it: real ``pre-commit`` (from PyPI) installs this checkout
as a hook repository (pip builds it from the local path) into a scratch repository and runs it,
once as ``.pre-commit-hooks.yaml`` is pointed at by sha, once with the snippet of docs/cli.md as
written, its version tag made in a clone of the checkout."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ixrules.__about__ import __version__

TOP = Path(__file__).resolve().parent.parent
INVOICE = TOP / "examples" / "invoice.json"
PROBLEMS = [
    "payloads/bad.json:4:17: Due date must be later than date [document.due_date.after_date]",
    "payloads/bad.json:5:15: Client is invalid [document.client.invalid]",
    "payloads/bad.json:5:65: Country Germani was not found [country.known] (did you mean "
    "'Germany'?)",
    "payloads/bad.json:6:14: Invoice items is invalid [document.items.invalid]",
    "payloads/bad.json:7:96: Unit kg is not included in the list of accepted units "
    "[item.unit.accepted]",
    "Found 5 problems in 1 file; 2 files checked.",
]
GOOD = '{"client": {"name": "Acme", "code": "A1"}}\n'

pytestmark = pytest.mark.slow


def git(*args: str, cwd: Path) -> str:
    done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True)
    return done.stdout.strip()


def snippet() -> str:
    """The ``.pre-commit-config.yaml`` of docs/cli.md."""
    text = (TOP / "docs" / "cli.md").read_text(encoding="utf-8")
    found = re.search(r"In your `\.pre-commit-config\.yaml`:\n\n```yaml\n(.*?)```", text, re.S)
    assert found is not None
    return found.group(1)


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """pre-commit's own cache, shared by the runs of this module only."""
    if not (TOP / ".git").exists():
        pytest.skip("not a git checkout")
    return tmp_path_factory.mktemp("pre-commit-home")


def project(folder: Path, config: str) -> Path:
    """A scratch repository with a payload folder (a bad and a good body) and a JSON file that
    is not a payload, outside it."""
    folder.mkdir()
    git("init", "-q", cwd=folder)
    (folder / "payloads").mkdir()
    shutil.copy(INVOICE, folder / "payloads" / "bad.json")
    (folder / "payloads" / "good.json").write_text(GOOD, encoding="utf-8")
    (folder / "package.json").write_text('{"name": "web"}\n', encoding="utf-8")
    (folder / ".pre-commit-config.yaml").write_text(config, encoding="utf-8")
    git("add", "-A", cwd=folder)
    return folder


def pre_commit(folder: Path, home: Path) -> tuple[int, str]:
    env = {**os.environ, "PRE_COMMIT_HOME": str(home), "NO_COLOR": "1"}
    done = subprocess.run(
        [sys.executable, "-m", "pre_commit", "run", "--all-files", "--color", "never"],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    return done.returncode, done.stdout + done.stderr


def check_runs(folder: Path, home: Path) -> None:
    code, out = pre_commit(folder, home)
    assert code == 1, out
    assert re.search(r"^ixrules\.+Failed$", out, re.M), out
    assert "- exit code: 1" in out
    shown = [line for line in out.splitlines() if line.startswith(("payloads/", "Found"))]
    assert shown == PROBLEMS
    assert "package.json" not in out  # files: keeps the hook to the payload folder
    (folder / "payloads" / "bad.json").unlink()
    git("add", "-A", cwd=folder)
    code, out = pre_commit(folder, home)
    assert code == 0, out
    assert re.search(r"^ixrules\.+Passed$", out, re.M), out


def test_the_hook_runs_from_this_checkout(tmp_path: Path, home: Path) -> None:
    config = (
        f"repos:\n  - repo: {TOP}\n    rev: {git('rev-parse', 'HEAD', cwd=TOP)}\n"
        "    hooks:\n      - id: ixrules\n        files: ^payloads/\n"
    )
    check_runs(project(tmp_path / "project", config), home)


def test_the_documented_snippet_runs_as_written(tmp_path: Path, home: Path) -> None:
    text = snippet()
    assert text.startswith("repos:\n")  # a configuration map, not a bare list
    rev = re.search(r"^\s+rev: (\S+)", text, re.M)
    assert rev is not None and rev.group(1) == f"v{__version__}"  # pins the current version
    # the snippet's repository: a clone of this checkout, tagged as a release is
    clone = tmp_path / "ixrules"
    git("clone", "-q", str(TOP), str(clone), cwd=tmp_path)
    git("tag", rev.group(1), git("rev-parse", "HEAD", cwd=TOP), cwd=clone)
    config = re.sub(r"^(\s+- repo: )\S+", rf"\g<1>{clone}", text, count=1, flags=re.M)
    assert config != text
    check_runs(project(tmp_path / "project", config), home)
