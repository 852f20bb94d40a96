"""Rule files read the same with libyaml's parser (used when PyYAML has it, for speed) and with
PyYAML's pure-Python one: the same values, the same lines, the same error messages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from ixrules.ruleformat import reading
from ixrules.ruleformat.errors import RuleFileError
from ixrules.ruleformat.reading import YList, YMap, load_yaml

RULES = sorted((Path(__file__).resolve().parent.parent / "rules").glob("*.yaml"))
PARSERS = [reading.SafeLineLoader, *([yaml.CSafeLoader] if hasattr(yaml, "CSafeLoader") else [])]


def lines(value: Any) -> Any:
    """A parsed file with every line number it carries."""
    if isinstance(value, YMap):
        return (value.line, {k: (value.key_lines[k], lines(v)) for k, v in value.items()})
    if isinstance(value, YList):
        return (value.line, value.item_lines, [lines(v) for v in value])
    return value


def read(monkeypatch: pytest.MonkeyPatch, parser: Any, text: str) -> Any:
    monkeypatch.setattr(reading, "_Composer", parser)
    try:
        return lines(load_yaml(text, "f.yaml"))
    except RuleFileError as exc:
        return str(exc)


@pytest.mark.parametrize("path", RULES, ids=lambda p: p.name)
def test_the_shipped_rules_read_the_same(monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert len({repr(read(monkeypatch, parser, text)) for parser in PARSERS}) == 1


@pytest.mark.parametrize(
    "text",
    ["a: 1\nb: [1, 2\nc: 3\n", "a:\n  - 1\n - 2\n", 'k: "open\n', "a: [1,\n", "a: 1\na: 2\n"],
)
def test_broken_files_read_the_same(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    answers = {read(monkeypatch, parser, text) for parser in PARSERS}
    assert len(answers) == 1 and next(iter(answers)).startswith("f.yaml:")
