"""End to end: the ``ixrules`` command on files with known problems: every format's exact output,
exact positions, every exit code, stdin, directories, globs, JSON Lines (with a malformed line),
missing files, bad arguments, and ``--jobs``.

All invocations run once, in a module fixture (tests/cli_runner.py: in this process, and as the
installed script where a run needs a process: ``--jobs 2``, a terminal, ``python -m``); each
test reads its result.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from cli_runner import TOP, Result, Run, run_all

import ixrules
from ixrules.api import default_rules

F = "tests/fixtures/cli"
INVOICE = f"{F}/invoice.json"
EXPORT = f"{F}/export.jsonl"

INVOICE_TEXT = f"""\
{INVOICE}:4:17: Due date must be later than date [document.due_date.after_date]
{INVOICE}:5:15: Client is invalid [document.client.invalid]
{INVOICE}:5:65: Country Germani was not found [country.known] (did you mean 'Germany'?)
{INVOICE}:6:14: Invoice items is invalid [document.items.invalid]
{INVOICE}:7:69: Unit kg is not included in the list of accepted units [item.unit.accepted]
Found 5 problems in 1 file; 1 file checked.
"""

# (line, column, message, path, rule, hint) of each problem of tests/fixtures/cli/invoice.json
INVOICE_PROBLEMS = [
    (4, 17, "Due date must be later than date", "/invoice/due_date",
     "document.due_date.after_date", None),
    (5, 15, "Client is invalid", "/invoice/client", "document.client.invalid", None),
    (5, 65, "Country Germani was not found", "/invoice/client/country", "country.known",
     "did you mean 'Germany'?"),
    (6, 14, "Invoice items is invalid", "/invoice/items", "document.items.invalid", None),
    (7, 69, "Unit kg is not included in the list of accepted units", "/invoice/items/0/unit",
     "item.unit.accepted", None),
]  # fmt: skip

EXPORT_PROBLEMS = f"""\
{EXPORT}:4:20: Date is not valid [document.date.valid]
{EXPORT}:4:71: Invoice items is invalid [document.items.invalid]
{EXPORT}:4:102: Unit price must be a number [item.unit_price.number]
Found 3 problems in 1 body; 4 bodies checked in 1 file, 2 failures.
"""
EXPORT_FAILURES = f"""\
{EXPORT}:3:35: error: not valid JSON: Expecting property name enclosed in double quotes
{EXPORT}:5:1: error: cannot validate: the body must be a JSON object, not an array
"""

QUOTE = f"{F}/payloads/nested/quote.json"
QUOTE_TEXT = f"""\
{QUOTE}:3:15: Client is invalid [document.client.invalid]
{QUOTE}:3:15: Name is a required field [document.client.name.required]
{QUOTE}:4:14: Invoice items is invalid [document.items.invalid]
{QUOTE}:4:60: Quantity must be a number greater than 0 [item.quantity.positive]
Found 4 problems in 1 file; 2 files checked.
"""


# What ``ixrules --version`` imports must not include the engine, the rules or their libraries.
LIGHT = """
import sys
from ixrules.cli.main import main
main(["--version"])
heavy = {"cerberus", "yaml", "babel", "pycountry", "email_validator", "ixrules.api"}
print(sorted(name for name in sys.modules if name in heavy or name.split(".")[0] in heavy))
"""


def big_export(path: Path) -> None:
    """Several batches' worth of lines: clean, with problems, malformed, blank."""
    lines = []
    for number in range(700):
        kind = number % 7
        if kind == 0:
            lines.append('{"invoice": {"items": [{"unit": "kg"}]}}')
        elif kind == 1:
            lines.append(f'{{"quote": {{"retention": {95 + number % 10}}}}}')
        elif kind == 2:
            lines.append('{"quote": ')
        elif kind == 3:
            lines.append("")
        else:
            lines.append('{"shipping": {"loaded_at": "01/12/2017 10:00:00"}}')
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.fixture(scope="module")
def ran(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Result]]:
    tmp = tmp_path_factory.mktemp("cli")
    deep = tmp / "deep.json"
    deep.write_text('{"invoice": ' + "[" * 100_000 + "]" * 100_000 + "}", encoding="utf-8")
    big = tmp / "big.jsonl"
    big_export(big)
    invoice = (TOP / INVOICE).read_bytes()
    runs = {
        "text": Run(["lint", INVOICE]),
        "json": Run(["lint", "--format", "json", INVOICE]),
        "github": Run(["lint", "--format", "github", INVOICE]),
        "sarif": Run(["lint", "--format", "sarif", INVOICE]),
        "stdin": Run(["lint", "-"], stdin=invoice),
        "stdin_named": Run(["lint", "--stdin-filename", "sent/export.jsonl", "-"],
                           stdin=(TOP / EXPORT).read_bytes()),
        "directory": Run(["lint", f"{F}/payloads"]),
        "glob": Run(["lint", f"{F}/payloads/**/*.json", f"{F}/*.nothing"]),
        "reading": Run(["lint", f"{F}/bom.json", f"{F}/nan.json", f"{F}/duplicate.json"]),
        "jsonl": Run(["lint", EXPORT]),
        "missing": Run(["lint", f"{F}/missing.json", INVOICE]),
        "deep": Run(["lint", str(deep)]),
        "context": Run(["lint", "-e", "invoices.update", "-c", f"{F}/context.json",
                        f"{F}/mb-reference.json"]),
        "no_context": Run(["lint", "-e", "invoices.update", f"{F}/mb-reference.json"]),
        "bad_context": Run(["lint", "-c", f"{F}/nan.json", INVOICE]),
        "broken_rules": Run(["lint", "--rules", f"{F}/broken-rules", INVOICE]),
        "version": Run(["--version"]),
        "module": Run(["--version"], program=[sys.executable, "-m", "ixrules"]),
        "light": Run([], program=[sys.executable, "-c", LIGHT]),
        "jobs1": Run(["lint", "--jobs", "1", str(big), INVOICE, f"{F}/payloads"]),
        "jobs2": Run(["lint", "--jobs", "2", str(big), INVOICE, f"{F}/payloads"]),
        "tty": Run(["lint", "--no-progress", INVOICE], tty=True),
        "tty_no_color": Run(["lint", "--no-progress", INVOICE], tty=True, env={"NO_COLOR": "1"}),
    }  # fmt: skip
    yield run_all(runs)


def test_text_output(ran: dict[str, Result]) -> None:
    assert ran["text"] == Result(1, INVOICE_TEXT, "")


def test_json_output(ran: dict[str, Result]) -> None:
    result = ran["json"]
    assert result.code == 1 and result.err == ""
    keys = ("line", "column", "message", "path", "rule", "hint")
    common = {"file": INVOICE, "endpoint": "invoices.create", "status": 422, "severity": "error"}
    expected = [{**common, **dict(zip(keys, row, strict=True))} for row in INVOICE_PROBLEMS]
    summary = {"files": 1, "problems": 5, "files_with_problems": 1, "failures": 0}
    assert json.loads(result.out) == {
        "version": 1, "problems": expected, "failures": [], "summary": summary,
    }  # fmt: skip
    assert list(json.loads(result.out)["problems"][0]) == [
        "file", "line", "column", "message", "path", "rule", "severity", "endpoint", "status",
        "hint",
    ]  # fmt: skip


def test_github_output(ran: dict[str, Result]) -> None:
    expected = "".join(
        f"::error file={INVOICE},line={line},col={column},title={rule}::{message}"
        + (f" ({hint})" if hint else "")
        + "\n"
        for line, column, message, _, rule, hint in INVOICE_PROBLEMS
    )
    assert ran["github"] == Result(1, expected, "")


def test_sarif_output(ran: dict[str, Result]) -> None:
    result = ran["sarif"]
    assert result.code == 1 and result.err == ""
    sarif = json.loads(result.out)
    assert sarif["version"] == "2.1.0"
    assert sarif["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json"
    (run,) = sarif["runs"]
    driver = run["tool"]["driver"]
    assert (driver["name"], driver["version"]) == ("ixrules", ixrules.__version__)
    rules = default_rules().ruleset.rules
    assert [(r["id"], r["shortDescription"]["text"]) for r in driver["rules"]] == [
        (rule.id, rule.message) for rule in rules.values()
    ]
    assert run["columnKind"] == "unicodeCodePoints"
    ids = [r["id"] for r in driver["rules"]]
    assert [
        (
            r["ruleId"],
            r["ruleIndex"],
            r["level"],
            r["message"]["text"],
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            r["locations"][0]["physicalLocation"]["region"],
            r["properties"],
        )
        for r in run["results"]
    ] == [
        (
            rule,
            ids.index(rule),
            "error",
            message,
            INVOICE,
            {"startLine": line, "startColumn": column},
            {"endpoint": "invoices.create", "path": path, **({"hint": hint} if hint else {})},
        )
        for line, column, message, path, rule, hint in INVOICE_PROBLEMS
    ]


def test_stdin(ran: dict[str, Result]) -> None:
    assert ran["stdin"] == Result(1, INVOICE_TEXT.replace(INVOICE, "<stdin>"), "")


def test_stdin_named_as_json_lines(ran: dict[str, Result]) -> None:
    named = "sent/export.jsonl"
    expected = Result(
        2, EXPORT_PROBLEMS.replace(EXPORT, named), EXPORT_FAILURES.replace(EXPORT, named)
    )
    assert ran["stdin_named"] == expected


def test_directory_is_walked_for_json_files(ran: dict[str, Result]) -> None:
    # clean.json passes; .hidden/ is skipped; notes.txt is not a payload file
    assert ran["directory"] == Result(1, QUOTE_TEXT, "")


def test_glob(ran: dict[str, Result]) -> None:
    out = QUOTE_TEXT.replace("checked.", "checked, 1 failure.")
    expected = Result(2, out, f"{F}/*.nothing: error: no file matches this pattern\n")
    assert ran["glob"] == expected


def test_json_lines_with_a_malformed_line(ran: dict[str, Result]) -> None:
    # line 1 is clean, line 2 blank, line 3 malformed, line 4 has problems, line 5 is no payload:
    # every line is checked, failures go to stderr as they come, and the exit status is 2
    assert ran["jsonl"] == Result(2, EXPORT_PROBLEMS, EXPORT_FAILURES)


def test_missing_file_does_not_stop_the_others(ran: dict[str, Result]) -> None:
    out = INVOICE_TEXT.replace("checked.", "checked, 1 failure.")
    expected = Result(2, out, f"{F}/missing.json: error: no such file or directory\n")
    assert ran["missing"] == expected


def test_byte_order_mark_nan_and_duplicate_keys(ran: dict[str, Result]) -> None:
    # a BOM is skipped and not counted in columns; NaN is not JSON; a duplicate key keeps its last
    # value and positions point there
    bom, dup = f"{F}/bom.json", f"{F}/duplicate.json"
    result = ran["reading"]
    assert result.code == 2
    assert result.err == f"{F}/nan.json:2:16: error: not valid JSON: NaN is not a JSON value\n"
    assert result.out.splitlines()[2:6] == [
        f"{bom}:1:27: Retention must be a number between 0 and 99.99 [document.retention.range]",
        f"{dup}:1:13: Document should have at least one item [document.items.required]",
        f"{dup}:2:13: Client is invalid [document.client.invalid]",
        f"{dup}:2:38: Country Portugual was not found [country.known] (did you mean 'Portugal'?)",
    ]


def test_deeply_nested_json_is_a_one_line_error(ran: dict[str, Result]) -> None:
    result = ran["deep"]
    assert (result.code, result.out) == (
        2,
        "Could not check everything; no problems in the rest; 1 file checked, 1 failure.\n",
    )
    assert result.err.endswith(
        "deep.json:1:524: error: cannot read: nested deeper than 512 levels\n"
    )


def test_context_file(ran: dict[str, Result]) -> None:
    mb = f"{F}/mb-reference.json"
    assert ran["context"] == Result(
        1,
        f"{mb}:1:30: Option to generate MB reference is set but no payment provider is "
        "configurated [document.mb_reference.provider]\n"
        "Found 1 problem in 1 file; 1 file checked.\n",
        "",
    )
    # without the context the rule is skipped, never guessed: the body is clean, exit 0
    assert ran["no_context"] == Result(0, "No problems found; 1 file checked.\n", "")


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("bad_context",
         f"context {F}/nan.json:2:16: error: not valid JSON: NaN is not a JSON value"),
        ("broken_rules", f"broken rule file: {F}/broken-rules/documents.yaml:3: not valid YAML: "
         "expected ',' or ']', but got '<stream end>'"),
    ],
)  # fmt: skip
def test_could_not_run_is_one_line_and_exit_2(
    ran: dict[str, Result], name: str, reason: str
) -> None:
    assert ran[name] == Result(2, "", f"ixrules: error: {reason}\n")


def test_version_and_module(ran: dict[str, Result]) -> None:
    assert ran["version"] == Result(0, f"ixrules {ixrules.__version__}\n", "")
    assert ran["module"] == ran["version"]
    assert ran["light"] == Result(0, f"ixrules {ixrules.__version__}\n[]\n", "")


def test_jobs_2_gives_the_same_output_as_jobs_1(ran: dict[str, Result]) -> None:
    one, two = ran["jobs1"], ran["jobs2"]
    assert one.code == 2
    assert one.out.count("\n") > 300 and one.err.count("\n") == 100  # several batches
    assert two == one


def test_colour_only_on_a_terminal_and_not_with_no_color(ran: dict[str, Result]) -> None:
    first = "\x1b[1mtests/fixtures/cli/invoice.json:4:17:\x1b[0m Due date must be later than date"
    assert ran["tty"].out.startswith(first + " \x1b[2m[document.due_date.after_date]\x1b[0m\n")
    assert ran["tty"].code == 1
    assert ran["tty_no_color"].out == INVOICE_TEXT
