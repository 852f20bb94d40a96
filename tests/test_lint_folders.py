"""The lint core keeps each rule set it builds for the life of the process: a relative rule
folder must be read again once the process has changed folder (a bulk worker, a test session)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ixrules.lint.checker import Settings

TOP = Path(__file__).resolve().parent.parent
BODY = {
    "invoice": {
        "date": "03/12/2017",
        "due_date": "01/12/2017",
        "client": {"name": "Acme", "code": "A1"},
        "items": [{"name": "Pen", "unit_price": "1.5", "quantity": 2}],
    }
}


def _rules_in(folder: Path, message: str) -> None:
    shutil.copytree(TOP / "rules", folder / "rules")
    documents = folder / "rules" / "documents.yaml"
    text = documents.read_text(encoding="utf-8")
    documents.write_text(
        text.replace("message: Due date must be later than date", f"message: {message}"),
        encoding="utf-8",
    )


def _due_date_message(settings: Settings) -> str:
    report = settings.rules().validate(BODY, "invoices.create")
    (issue,) = [i for i in report.issues if i.path == "/invoice/due_date"]
    return issue.message


def test_a_relative_rule_folder_is_read_from_the_current_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _rules_in(tmp_path / "a", "Due date A")
    _rules_in(tmp_path / "b", "Due date B")
    settings = Settings(rules_dir="rules")
    monkeypatch.chdir(tmp_path / "a")
    assert _due_date_message(settings) == "Due date A"
    monkeypatch.chdir(tmp_path / "b")
    assert _due_date_message(settings) == "Due date B"
    monkeypatch.chdir(tmp_path / "a")
    assert _due_date_message(settings) == "Due date A"
