"""Broken rule files are reported at load time with their file, line and what is wrong."""

from __future__ import annotations

import textwrap

import pytest

from ixrules import RuleFileError, Rules
from ixrules.ruleformat.builder import load_rule_texts

BODY = """\
fragments:
  thing:
    fields:
      name:
        rules:
          - id: thing.name.short
            message: Name is too long
            check: string
endpoints:
  - paths: [things]
    actions:
      create: {body: thing, mode: create}
"""


def load(text: str, name: str = "things.yaml") -> None:
    load_rule_texts([(name, textwrap.dedent(text))])


def error(text: str) -> tuple[str, int, str]:
    with pytest.raises(RuleFileError) as caught:
        load(text)
    exc = caught.value
    return exc.file, exc.line, exc.problem


def test_a_good_file_loads() -> None:
    ruleset = load_rule_texts([("things.yaml", BODY)])
    assert list(ruleset.endpoints) == ["things.create"]
    assert ruleset.endpoints["things.create"].roots == ("thing",)
    assert ruleset.rules["thing.name.short"].origin == "things.yaml:6"


@pytest.mark.parametrize(
    ("old", "new", "line", "problem"),
    [
        (
            "            check: string\n",
            "            check: strng\n",
            8,
            "no check named 'strng' in the registry",
        ),
        (
            "            check: string\n",
            "            check: string\n            args: {gt: 1}\n",
            8,
            "check 'string' takes no argument(s) ['gt'] (it takes [])",
        ),
        (
            "            check: string\n",
            "            check: number\n            colour: red\n",
            9,
            "unknown key 'colour' in rule (known: args, at, check, doc, example, id, message, "
            "modes, needs, severity, source, status, stop, when)",
        ),
        (
            "            message: Name is too long\n",
            "            message: Name {name} is too long\n",
            7,
            "message uses unknown placeholder(s) ['name']; only {value} exists",
        ),
        (
            "            message: Name is too long\n",
            "            message: [Name]\n",
            7,
            "rule key 'message' must be a string, not ['Name']",
        ),
        (
            "      create: {body: thing, mode: create}\n",
            "      create: {body: thin, mode: create}\n",
            12,
            "no fragment named 'thin'",
        ),
        (
            "      create: {body: thing, mode: create}\n",
            "      create: {body: thing, mode: make}\n",
            12,
            "mode must be one of ('create', 'update', 'action')",
        ),
        (
            "    fields:\n",
            "    use: thing\n    fields:\n",
            3,
            "fragment uses itself: thing -> thing",
        ),
        (
            "          - id: thing.name.short\n",
            "          - id: Thing-Name\n",
            6,
            "rule id 'Thing-Name' must be dotted lower-case words",
        ),
        (
            "        rules:\n",
            "        rules:\n          - id: thing.name.short\n            message: Twice\n",
            8,
            "rule id 'thing.name.short' already defined at things.yaml:6",
        ),
        ("  thing:\n", "  thing:\n  thing:\n", 3, "duplicate key 'thing'"),
        (
            "            check: string\n",
            "            check: string\n            needs: [weather]\n",
            9,
            "needs unknown context key 'weather'",
        ),
        (
            "            check: string\n",
            "            check: string\n            needs: [{account: trial}]\n",
            9,
            "needs unknown context key {'account': 'trial'}",
        ),
    ],
)
def test_a_broken_file_says_where_and_what(old: str, new: str, line: int, problem: str) -> None:
    assert old in BODY
    file, at, said = error(BODY.replace(old, new, 1))
    assert (file, at) == ("things.yaml", line)
    assert problem in said


def test_yaml_syntax_errors_have_a_line() -> None:
    file, line, problem = error("fragments:\n  a: [1, 2\n")
    assert file == "things.yaml" and line >= 2 and problem


def test_unsafe_tags_are_refused() -> None:
    _, line, problem = error("fragments: !!python/object:os.system {}\n")
    assert line == 1 and "tag" in problem


def test_the_error_reads_file_line_problem() -> None:
    with pytest.raises(RuleFileError) as caught:
        load(BODY.replace("check: string", "check: strng"))
    assert str(caught.value) == (
        "things.yaml:8: no check named 'strng' in the registry; did you mean 'string'?"
    )


def test_a_rule_directory_is_loaded_in_name_order(tmp_path: object) -> None:
    from pathlib import Path

    folder = Path(str(tmp_path))
    (folder / "things.yaml").write_text(BODY, encoding="utf-8")
    rules = Rules.load(folder)
    assert rules.endpoints() == ["things.create"]
    assert rules.validate({"thing": {"name": 3}}).messages == ["Name is too long"]
    (folder / "bad.yaml").write_text("endpoints: 3\n", encoding="utf-8")
    with pytest.raises(RuleFileError) as caught:
        Rules.load(folder)
    assert caught.value.file.endswith("bad.yaml") and caught.value.line == 1


def test_a_missing_rule_directory() -> None:
    with pytest.raises(RuleFileError, match="rule directory not found"):
        Rules.load("/nonexistent/rules")
