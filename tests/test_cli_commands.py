"""The ``ixrules`` command's listings and argument errors, called in-process (``main(argv)``) to
keep the suite fast; tests/test_cli.py runs the installed command end to end."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

import ixrules
from ixrules.api import default_rules
from ixrules.cli import main as cli
from ixrules.cli.output import use_color
from ixrules.cli.progress import Progress
from ixrules.cli.reporters import FORMATS, Options, report, text
from ixrules.lint.problems import Problem


def call(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(
    ("argv", "reason"),
    [
        (["lint", "-e", "invoices.creat", "x.json"], "unknown endpoint 'invoices.creat'; did you "
         "mean invoices.create, ...? (see 'ixrules endpoints')"),
        (["lint"], "the following arguments are required: PATH (see 'ixrules lint --help')"),
        ([], "missing command: lint, endpoints, rules, explain, schema, compile, mock or "
         "replay (see --help)"),
        (["lint", "--jobs", "-1", "x.json"],
         "argument -j/--jobs: must be 0 (one a CPU) or more (see 'ixrules lint --help')"),
        (["lint", "--jobs", "two", "x.json"],
         "argument -j/--jobs: not a number: 'two' (see 'ixrules lint --help')"),
        (["rules", "shipping.update"], "unknown endpoint 'shipping.update'; did you mean "
         "shippings.update, ...? (see 'ixrules endpoints')"),
        (["rules", "zzz"], "unknown endpoint 'zzz' (see 'ixrules endpoints')"),
        (["explain", "country.know"],
         "unknown rule 'country.know'; did you mean country.known...?"),
        (["explain", "zzz"], "unknown rule 'zzz'; see 'ixrules rules'"),
        (["compile", "taxes.craete"], "unknown endpoint 'taxes.craete'; did you mean "
         "taxes.create, ...? (see 'ixrules endpoints')"),
        (["lint", "-c", "tests/fixtures/cli/missing.json", "x.json"],
         "context tests/fixtures/cli/missing.json: error: no such file or directory"),
        (["lint", "-c", "tests/fixtures/cli/export.jsonl", "x.json"],
         "context tests/fixtures/cli/export.jsonl:3:1: error: not valid JSON: Extra data"),
        (["lint", "-c", "tests/fixtures/cli/bad-context.json", "x.json"],
         "context tests/fixtures/cli/bad-context.json:1:23: error: context key 'account.trial' "
         "must be a boolean, not str"),
        (["lint", "--rules", "tests/fixtures/cli/nowhere", "x.json"],
         "broken rule file: tests/fixtures/cli/nowhere:1: rule directory not found"),
    ],
)  # fmt: skip
def test_could_not_run_is_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], argv: list[str], reason: str
) -> None:
    code, out, err = call(capsys, *argv)
    assert (code, out) == (2, "")
    # "..." stands for the closest names, which change as endpoints are added
    pattern = ".*".join(re.escape(part) for part in f"ixrules: error: {reason}\n".split("..."))
    assert re.fullmatch(pattern, err), err


def test_bad_choice(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = call(capsys, "lint", "--format", "xml", "x.json")
    assert (code, out, err.count("\n")) == (2, "", 1)
    assert err.startswith("ixrules: error: argument -f/--format: invalid choice: 'xml'")


def test_help_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = call(capsys, "lint", "--help")
    assert code == 0 and "--endpoint" in out and "--jobs" in out


def test_endpoints(capsys: pytest.CaptureFixture[str]) -> None:
    assert call(capsys, "endpoints") == (0, "".join(f"{n}\n" for n in ixrules.endpoints()), "")


def test_rules(capsys: pytest.CaptureFixture[str]) -> None:
    rules = default_rules().ruleset
    code, out, _ = call(capsys, "rules")
    lines = out.splitlines()
    assert code == 0
    assert [line.split()[0] for line in lines] == list(rules.rules)
    width = max(map(len, rules.rules)) + 2
    marks = {"error": "", "warning": "warning: "}
    assert lines == [
        f"{rule.id:<{width}}{marks[rule.severity]}{rule.message}" for rule in rules.rules.values()
    ]
    assert f"{'field.unknown':<{width}}warning: Unknown key {{value}}, which the API drops" in lines
    code, out, _ = call(capsys, "rules", "shippings.update")
    wanted = [rid for rid in rules.rules if "shippings.update" in rules.rule_endpoints[rid]]
    assert [line.split()[0] for line in out.splitlines()] == wanted
    assert "guide.loaded_at.future" in wanted and "document.not_settled" not in wanted


def test_explain_shows_the_message_and_an_example_that_triggers_it(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = call(capsys, "explain", "document.not_settled")
    assert (code, err) == (0, "")
    assert out.startswith(
        "document.not_settled\n  Invoice has been settled so can't be changed anymore\n\n"
    )
    assert "Needs context: document.status (skipped when the context lacks it)\n" in out
    assert out.endswith(
        "Example that triggers it (invoices.update):\n"
        '  {\n    "invoice": {\n      "observations": "Paid"\n    }\n  }\n'
        'with the context:\n  {\n    "document": {\n      "status": "settled"\n    }\n  }\n'
        "ixrules answers:\n"
        "  /invoice: Invoice has been settled so can't be changed anymore [document.not_settled]\n"
    )


@pytest.mark.parametrize("rule_id", sorted(default_rules().ruleset.rules))
def test_every_rule_explains_with_an_example_that_triggers_it(
    capsys: pytest.CaptureFixture[str], rule_id: str
) -> None:
    code, out, _ = call(capsys, "explain", rule_id)
    assert code == 0
    assert f"[{rule_id}]\n" in out.split("ixrules answers:\n", 1)[1]


def test_colour_is_decided_by_the_terminal_the_flag_and_no_color(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.delenv("NO_COLOR", raising=False)
    assert use_color(False, Terminal()) is True
    assert use_color(True, Terminal()) is False
    assert use_color(False, io.StringIO()) is False
    monkeypatch.setenv("NO_COLOR", "")  # empty: not set, as no-color.org says
    assert use_color(False, Terminal()) is True
    monkeypatch.setenv("NO_COLOR", "1")
    assert use_color(False, Terminal()) is False


PROBLEM = Problem(
    "a b.json", 2, 3, "Unit kg, 50% off: no", "/x", "item.unit.accepted", "invoices.create",
    hint="did you mean 'unit'?",
)  # fmt: skip


def test_text_in_colour() -> None:
    assert text([PROBLEM], Options(color=True)) == (
        "\x1b[1ma b.json:2:3:\x1b[0m Unit kg, 50% off: no \x1b[2m[item.unit.accepted]\x1b[0m"
        " \x1b[36m(did you mean 'unit'?)\x1b[0m\n"
        "\x1b[1mFound 1 problem in 1 file; 1 file checked.\x1b[0m\n"
    )


def test_github_escapes_workflow_command_syntax() -> None:
    line = report(FORMATS["github"], [PROBLEM, PROBLEM], Options())
    assert (
        line
        == 2
        * "::error file=a b.json,line=2,col=3,title=item.unit.accepted::Unit kg, 50%25 off: no"
        " (did you mean 'unit'?)\n"
    )


def test_every_reporter_takes_no_problems() -> None:
    assert {
        name: report(fmt, [], Options()) for name, fmt in FORMATS.items() if name != "sarif"
    } == {
        "text": "No problems found; 0 files checked.\n",
        "json": '{\n  "version": 1,\n  "problems": [],\n  "failures": [],\n  "summary": '
        '{"files": 0, "problems": 0, "files_with_problems": 0, "failures": 0}\n}\n',
        "github": "",
    }


def test_progress_bar_draws_only_on_a_terminal_and_after_a_delay() -> None:
    quiet = io.StringIO()
    off = Progress.on(quiet, 100)
    off.advance(100, 1)
    off.tick()
    assert quiet.getvalue() == ""
    out = io.StringIO()
    times = iter([0.0, 0.2, 0.6, 0.65, 0.8])
    bar = Progress(out, None, clock=lambda: next(times))
    for _ in range(4):  # ticks at 0.2: too early; 0.6: first draw; 0.65: too soon; 0.8: redraw
        bar.advance(10, 1)
        bar.tick()
    bar.finish()
    assert out.getvalue() == "\r2 bodies\r4 bodies\r\x1b[K"


def test_pre_commit_hook_runs_the_lint_command_on_payload_files() -> None:
    import yaml

    top = Path(__file__).resolve().parent.parent
    hooks = yaml.safe_load((top / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    (hook,) = [entry for entry in hooks if entry["id"] == "ixrules"]  # ixrules-fix beside it
    assert (hook["id"], hook["entry"], hook["language"]) == ("ixrules", "ixrules lint", "python")
    files = re.compile(hook["files"])
    assert all(files.search(name) for name in ("a.json", "p/export.jsonl", "x.ndjson"))
    assert not any(files.search(name) for name in ("a.yaml", "a.json.bak"))


def test_an_empty_directory_is_not_a_clean_run(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    (tmp_path / "notes.txt").write_text("{}", encoding="utf-8")
    reason = "no *.json, *.jsonl or *.ndjson file in this directory"
    out = "Could not check everything; no problems in the rest; 0 files checked, 1 failure.\n"
    assert call(capsys, "lint", str(tmp_path)) == (2, out, f"{tmp_path}: error: {reason}\n")


ACME_PACK = Path(__file__).parent / "fixtures" / "own" / "acme.yaml"


@pytest.mark.parametrize("option", ["--pack", "--extra-rules"])
def test_a_pack_is_given_with_pack_or_its_old_name_extra_rules(
    capsys: pytest.CaptureFixture[str], option: str
) -> None:
    code, out, err = call(capsys, "rules", option, str(ACME_PACK))
    assert (code, err) == (0, "")
    (line,) = [line for line in out.splitlines() if line.startswith("acme.tax.house ")]
    assert line.split(None, 1)[1] == "warning: Tax {value} is not one of Acme's taxes"
    code, out, err = call(capsys, "lint", option, "tests/fixtures/cli/nowhere", "x.json")
    assert (code, out) == (2, "")
    reason = f"{option} tests/fixtures/cli/nowhere: no such file or directory"
    assert err == f"ixrules: error: {reason}\n"


def test_packs_given_under_both_names_are_all_layered(capsys: pytest.CaptureFixture[str]) -> None:
    # the same pack twice, once under each name: the second defines its rule ids again
    pack = str(ACME_PACK)
    code, out, err = call(capsys, "rules", "--extra-rules", pack, "--pack", pack)
    assert (code, out) == (2, "")
    assert "rule id 'acme." in err and "already defined" in err
