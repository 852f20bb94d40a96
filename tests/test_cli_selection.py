"""ruff's options on ``ixrules lint``: ``--select`` / ``--extend-select`` / ``--ignore`` by rule id
or glob, ``per-file-ignores`` in the configuration, ``--statistics``, ``--exit-zero``, ``--quiet``,
with ruff's precedence (the command line over the configuration, the most specific pattern
wins, ``--ignore`` wins a tie, per-file ignores after the selection)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from ixrules.cli import main as cli
from ixrules.selection import Selection, resolve, specificity

TOP = Path(__file__).resolve().parent.parent
INVOICE = TOP / "examples" / "invoice.json"

DUE = "a.json:4:17: Due date must be later than date [document.due_date.after_date]"
CLIENT = "a.json:5:15: Client is invalid [document.client.invalid]"
COUNTRY = "a.json:5:65: Country Germani was not found [country.known] (did you mean 'Germany'?)"
ITEMS = "a.json:6:14: Invoice items is invalid [document.items.invalid]"
UNIT = "a.json:7:96: Unit kg is not included in the list of accepted units [item.unit.accepted]"
ALL = [DUE, CLIENT, COUNTRY, ITEMS, UNIT]


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A scratch repository holding ``a.json`` (the README's invoice: five problems)."""
    (tmp_path / ".git").mkdir()
    shutil.copy(INVOICE, tmp_path / "a.json")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def lint(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, list[str], str]:
    code = cli.main(["lint", "--no-color", *argv])
    out, err = capsys.readouterr()
    return code, out.splitlines(), err


def summary(problems: int, files: int = 1, checked: int = 1) -> str:
    noun = "problem" if problems == 1 else "problems"
    where = "file" if files == 1 else "files"
    read = "file" if checked == 1 else "files"
    return f"Found {problems} {noun} in {files} {where}; {checked} {read} checked."


# --- selection on the command line ---------------------------------------------------------


@pytest.mark.parametrize(
    ("options", "shown"),
    [
        ([], ALL),
        # a parent's "... is invalid" counts only the rules that run
        (["--select", "document.*"], [DUE]),
        (["--select", "document.*,country.known"], [DUE, CLIENT, COUNTRY]),
        (["--select", "document.*", "--select", "item.*"], [DUE, ITEMS, UNIT]),
        (["--ignore", "document.*"], [COUNTRY, UNIT]),
        # the most specific pattern wins, whichever option gives it
        (
            ["--ignore", "document.*", "--extend-select", "document.due_date.after_date"],
            [DUE, COUNTRY, UNIT],
        ),
        (["--select", "document.due_date.after_date", "--ignore", "document.*"], [DUE]),
        (["--select", "document.*", "--ignore", "document.*.invalid"], [DUE]),
        # at the same specificity --ignore wins
        (["--select", "item.unit.accepted", "--ignore", "item.unit.accepted"], []),
        # a rule left out is dropped: its parent's "... is invalid" no longer counts it
        (["--ignore", "item.unit.accepted"], [DUE, CLIENT, COUNTRY]),
        (["--select", "*", "--ignore", "country.known"], [DUE, ITEMS, UNIT]),
    ],
)
def test_select_ignore_and_extend_select_pick_the_rules(
    project: Path, capsys: pytest.CaptureFixture[str], options: list[str], shown: list[str]
) -> None:
    code, out, err = lint(capsys, *options, "a.json")
    end = summary(len(shown)) if shown else "No problems found; 1 file checked."
    assert (code, out, err) == (1 if shown else 0, [*shown, end], "")


@pytest.mark.parametrize(
    ("options", "reason"),
    [
        (
            ["--select", "documnet.due_date.after_date"],
            "--select 'documnet.due_date.after_date' matches no rule id (did you mean "
            "'document.due_date.after_date'?)",
        ),
        (["--ignore", "zzz.*"], "--ignore 'zzz.*' matches no rule id (see 'ixrules rules')"),
        (
            ["--extend-select", "Document.Date"],
            "--extend-select 'Document.Date' is no rule id or glob of ids (lower-case words, "
            "dots, *)",
        ),
        (
            ["--select", "document.*,,x"],
            "argument --select: an empty rule id in 'document.*,,x' (see 'ixrules lint --help')",
        ),
        (["--statistics", "--format", "sarif"], "--statistics prints text or json, not sarif"),
    ],
)
def test_a_selection_that_names_no_rule_is_one_line_and_exit_2(
    project: Path, capsys: pytest.CaptureFixture[str], options: list[str], reason: str
) -> None:
    assert lint(capsys, *options, "a.json") == (2, [], f"ixrules: error: {reason}\n")


def test_resolution_is_ruffs() -> None:
    ids = ["a.x", "a.y", "b.x"]
    assert resolve(ids, {"a.x"}, Selection()) == {"a.x"}
    assert resolve(ids, {"a.x"}, Selection(select=("b.*",))) == {"b.x"}
    assert resolve(ids, {"a.x"}, Selection(extend_select=("b.*",))) == {"a.x", "b.x"}
    assert resolve(ids, set(ids), Selection(ignore=("*.x",))) == {"a.y"}
    assert resolve(ids, set(), Selection(select=("*",), ignore=("a.*",))) == {"b.x"}
    assert resolve(ids, set(), Selection(select=("a.x",), ignore=("a.*",))) == {"a.x"}
    assert specificity("a.*") < specificity("a.x.*") < specificity("a.x")


# --- the command line over the configuration --------------------------------------------------


def test_select_on_the_command_line_turns_back_on_what_the_configuration_ignores(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / ".ixrules.yaml").write_text(
        "ignore: [country.known]\nseverity:\n  document.items.invalid: off\n", encoding="utf-8"
    )
    assert lint(capsys, "a.json") == (1, [DUE, UNIT, summary(2)], "")
    # a select resets the configuration's ignores, as ruff's does
    assert lint(capsys, "--select", "country.*", "a.json") == (1, [COUNTRY, summary(1)], "")
    # without a select, the command line adds to what the configuration leaves on
    code, out, _ = lint(capsys, "--extend-select", "country.known", "a.json")
    assert (code, out) == (1, [DUE, CLIENT, COUNTRY, UNIT, summary(4)])
    code, out, _ = lint(capsys, "--ignore", "document.*", "a.json")
    assert (code, out) == (1, [UNIT, summary(1)])


def test_a_rule_turned_back_on_keeps_the_severity_the_configuration_gave_it(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / ".ixrules.yaml").write_text(
        "severity:\n  country.known: warning\n  country.*: off\n", encoding="utf-8"
    )
    code, out, _ = lint(capsys, "--select", "country.known", "a.json")
    warned = COUNTRY.replace(": Country", ": warning: Country")
    assert (code, out) == (
        0,
        [warned, "Found 1 problem (0 errors, 1 warning) in 1 file; 1 file checked."],
    )


# --- per-file ignores ---------------------------------------------------------------------


PER_FILE_YAML = """\
per-file-ignores:
  "legacy/*.json": [item.unit.accepted, "country.*"]
"""
PER_FILE_TOML = """\
[tool.ixrules.per-file-ignores]
"legacy/*.json" = ["item.unit.accepted", "country.*"]
"""


@pytest.mark.parametrize(
    ("name", "text"), [(".ixrules.yaml", PER_FILE_YAML), ("pyproject.toml", PER_FILE_TOML)]
)
def test_per_file_ignores_drop_rules_in_the_files_a_glob_matches(
    project: Path, capsys: pytest.CaptureFixture[str], name: str, text: str
) -> None:
    (project / name).write_text(text, encoding="utf-8")
    (project / "legacy").mkdir()
    shutil.copy(INVOICE, project / "legacy" / "a.json")
    code, out, err = lint(capsys, "legacy/a.json", "a.json")
    legacy = DUE.replace("a.json", "legacy/a.json")  # the unit's parent goes with it
    assert (code, out, err) == (1, [legacy, *ALL, summary(6, 2, 2)], "")
    # per-file ignores apply after the selection: they never turn a rule on
    code, out, err = lint(capsys, "--select", "country.known", "legacy/a.json", "a.json")
    assert (code, out, err) == (1, [COUNTRY, summary(1, 1, 2)], "")


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        (
            'per-file-ignores:\n  "legacy/*.json": [item.unit.acepted]\n',
            ".ixrules.yaml:2: 'item.unit.acepted' matches no rule id (did you mean "
            "'item.unit.accepted'?)",
        ),
        (
            'per-file-ignores:\n  "legacy/*.json": item.unit.accepted\n',
            ".ixrules.yaml:2: per-file-ignores of 'legacy/*.json' must be a list of rule ids",
        ),
        (
            'per-file-ignores:\n  "legacy/[*.json": [item.unit.accepted]\n',
            ".ixrules.yaml:2: bad glob 'legacy/[*.json': unclosed '[' in the glob 'legacy/[*.json'",
        ),
        (
            'per-file-ignores:\n  "a.json":\n    - item.unit.accepted\n    - Item\n',
            ".ixrules.yaml:4: 'Item' is no rule id or glob of ids (lower-case words, dots, *)",
        ),
        (
            "per-file-ignores: [a.json]\n",
            ".ixrules.yaml:1: per-file-ignores must be a mapping of file globs to lists of "
            "rule ids or globs",
        ),
    ],
)
def test_a_broken_per_file_ignore_is_one_line_with_file_and_line(
    project: Path, capsys: pytest.CaptureFixture[str], text: str, reason: str
) -> None:
    (project / ".ixrules.yaml").write_text(text, encoding="utf-8")
    assert lint(capsys, "a.json") == (2, [], f"ixrules: error: broken configuration: {reason}\n")


def test_a_broken_per_file_ignore_in_pyproject_names_its_line(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.ixrules.per-file-ignores]\n"a.json" = ["nope"]\n',
        encoding="utf-8",
    )
    reason = "pyproject.toml:5: 'nope' matches no rule id (see 'ixrules rules')"
    assert lint(capsys, "a.json") == (2, [], f"ixrules: error: broken configuration: {reason}\n")


# --- statistics, exit-zero, quiet ---------------------------------------------------------


def test_statistics_count_the_problems_of_each_rule(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copy(INVOICE, project / "b.json")
    (project / "c.json").write_text('{"invoice": {"rate": "1,2"}}', encoding="utf-8")
    code, out, err = lint(capsys, "--statistics", "a.json", "b.json", "c.json")
    assert (code, err) == (1, "")
    assert out == [
        "2  country.known                 Country {value} was not found",
        "2  document.client.invalid       Client is invalid",
        "2  document.due_date.after_date  Due date must be later than date",
        "2  document.items.invalid        Invoice items is invalid",
        "2  item.unit.accepted            Unit {value} is not included in the list of accepted "
        "units",
        "1  document.client.required      Client can't be blank",
        "1  document.items.required       Document should have at least one item",
        "1  kind.number                   warning: Should be a number",
        "Found 13 problems (12 errors, 1 warning) in 3 files; 3 files checked.",
    ]
    code, out, _ = lint(capsys, "--statistics", "--quiet", "--select", "country.*", "a.json")
    assert (code, out) == (1, ["1  country.known  Country {value} was not found"])


def test_statistics_in_json(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = cli.main(
        ["lint", "--statistics", "-f", "json", "--select", "item.*", "a.json", "x.json"]
    )
    document = json.loads(capsys.readouterr().out)
    assert code == 2
    assert document == {
        "version": 1,
        "statistics": [
            {
                "rule": "item.unit.accepted",
                "count": 1,
                "severity": "error",
                "message": "Unit {value} is not included in the list of accepted units",
            }
        ],
        "failures": [
            {"file": "x.json", "line": None, "column": None, "reason": "no such file or directory"}
        ],
        "summary": {"files": 1, "problems": 1, "files_with_problems": 1, "failures": 1},
    }


def test_exit_zero_passes_problems_but_not_failures(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert lint(capsys, "--exit-zero", "a.json") == (0, [*ALL, summary(5)], "")
    code, _, err = lint(capsys, "--exit-zero", "a.json", "missing.json")
    assert (code, err) == (2, "missing.json: error: no such file or directory\n")


def test_quiet_prints_the_problems_only(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert lint(capsys, "--quiet", "a.json") == (1, ALL, "")
    assert lint(
        capsys, "-q", "--select", "country.known", "--ignore", "country.known", "a.json"
    ) == (
        0,
        [],
        "",
    )
    code, out, _ = lint(capsys, "-q", "-f", "json", "a.json")
    assert code == 1 and out[-1] == "}"  # a machine format stays whole


def test_help_lists_the_ruff_options(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["lint", "--help"]) == 0
    shown = " ".join(capsys.readouterr().out.split())
    for option in (
        "--select RULES",
        "--extend-select RULES",
        "--ignore RULES",
        "--statistics",
        "--exit-zero",
        "-q, --quiet",
    ):
        assert option in shown


# --- JSON Lines summaries count bodies ------------------------------------------------------


def test_a_json_lines_summary_counts_bodies(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    requests = (TOP / "examples" / "requests.jsonl").read_text(encoding="utf-8")
    (project / "r.jsonl").write_text(requests + "\n" + requests, encoding="utf-8")
    code, out, _ = lint(capsys, "--quiet", "r.jsonl")
    assert (code, len(out)) == (1, 8)
    code, out, _ = lint(capsys, "r.jsonl", "a.json")
    assert out[-1] == "Found 13 problems in 5 bodies; 7 bodies checked in 2 files."
    code = cli.main(["lint", "-f", "json", "r.jsonl"])
    found = json.loads(capsys.readouterr().out)["summary"]
    assert found == {
        "files": 1,
        "problems": 8,
        "files_with_problems": 1,
        "failures": 0,
        "bodies": 6,
        "bodies_with_problems": 4,
    }
    (project / "clean.jsonl").write_text(requests.splitlines()[0] + "\n", encoding="utf-8")
    assert lint(capsys, "clean.jsonl") == (0, ["No problems found; 1 body checked in 1 file."], "")
