"""Issue 27, items 4, 10, 11 and 14: what the command prints, whatever a payload, a file name or a
rule pack holds. No line of stdout or stderr, in any format or command, starts (after blanks) as
a GitHub workflow command or holds the legacy ``##[``; the JSON formats still read back to the
very same data; every line of text is bounded in length; a stdout that cannot be written is exit
2 and one line; ``schema`` takes any pack. Every run goes through the installed command.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
from cli_runner import Result, Run, command, run_all

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="raw names, /dev/full")

SECONDS = 60
FORMATS = ("text", "json", "github", "sarif")
#: What GitHub's runner reads as a command: ``::`` after any white space (.NET's ``TrimStart``),
#: and the legacy ``##[`` anywhere.
COMMAND = re.compile(r"[\s\u180e\u200b\u2060\ufeff]*::")
#: Our own annotations, the only command lines allowed (github format, stdout).
ANNOTATION = re.compile(r"::(error|warning|notice) file=[^:]*(,line=\d+(,col=\d+)?)?,title=[^:]*::")
#: A value that tries every way in: leading blanks before ``::``, the legacy command, line
#: breaks JSON writes raw (U+2028, U+2029, NEL), CR/LF, and ``###[``.
HOSTILE = (
    "  ::error::h ##[set-output name=a;]b\u2028::warning::u\x85::notice::n\r\n"
    "  ::add-mask::m \u3000::stop-commands::t ###[x"
)
KEY = "  ::k##[y\u2029::error::z"
ENDPOINT = "ep##[x].create"
NAMES = ("a##[stop-commands]x.json", "  ::error::lead.json", "\u3000::error::wide.json")
BROKEN = "bad##[x]  ::x.json"
CONTEXT = "c##[x].json"


def pack() -> dict[str, Any]:
    """A rule pack whose every printed text is hostile: messages, docs, an example, a key, an
    endpoint's path and root."""
    example = {"endpoint": "invoices.create", "body": {"invoice": {"items": [{KEY: HOSTILE}]}}}
    discount = {
        "id": "hostile.discount",
        "message": HOSTILE + " {value}",
        "check": "number",
        "args": {"lte": 20},
        "doc": HOSTILE + "\n\n" + HOSTILE,
        "example": example,
    }
    key = {"id": "hostile.key", "message": HOSTILE, "check": "number"}
    return {
        "doc": HOSTILE,
        "fragments": {
            "item_line": {"fields": {"discount": {"rules": [discount]}}},
            "hostile_body": {"fields": {KEY: {"rules": [key]}}},
        },
        "endpoints": [
            {
                "paths": [ENDPOINT.rsplit(".", 1)[0]],
                "root": "r##[x]",
                "doc": HOSTILE,
                "actions": {"create": {"body": "hostile_body", "mode": "create"}},
            }
        ],
    }


BODY = {"quote": {"items": [{"unit": HOSTILE, KEY: 1, "discount": 50}]}}


@pytest.fixture(scope="module")
def ran(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Result]]:
    tmp = tmp_path_factory.mktemp("output")
    (tmp / "pack.yaml").write_text(json.dumps(pack()), encoding="ascii")
    for file in NAMES:
        (tmp / file).write_text(json.dumps(BODY), encoding="ascii")
    (tmp / BROKEN).write_text('{"quote": ', encoding="ascii")
    (tmp / "l##[x].jsonl").write_text(json.dumps(BODY) + "\n{\n", encoding="ascii")
    (tmp / CONTEXT).write_text(json.dumps({"now": HOSTILE}), encoding="ascii")
    extra = ["--pack", "pack.yaml"]
    lint = ["lint", "-e", "quotes.update", *extra]
    runs = {
        f"lint-{fmt}": Run([*lint, "-f", fmt, *NAMES, BROKEN, "l##[x].jsonl", "gone##[x].json"])
        for fmt in FORMATS
    }
    runs.update(
        {
            "context": Run([*lint, "-c", CONTEXT, NAMES[0]]),
            "endpoints": Run(["endpoints", *extra]),
            "rules": Run(["rules", *extra]),
            "rules-endpoint": Run(["rules", ENDPOINT, *extra]),
            "explain": Run(["explain", "hostile.discount", *extra]),
            "explain-key": Run(["explain", "hostile.key", *extra]),
            "explain-unknown": Run(["explain", "  ::x##[y]", *extra]),
            "schema": Run(["schema", ENDPOINT, *extra]),
            "schema-all": Run(["schema", "--all", "out##[x]", *extra]),
            "compile": Run(["compile", ENDPOINT, *extra]),
            "unknown-endpoint": Run(["schema", "  ::e##[x]", *extra]),
            "bad-pack": Run(["endpoints", "--pack", "missing##[x].yaml"]),
        }
    )
    yield run_all({key: Run(run.args, cwd=tmp, timeout=SECONDS) for key, run in runs.items()})


def assert_no_command(text: str, annotations: bool = False) -> None:
    """No line a CI runner reads as a command (our own annotations aside, when allowed)."""
    for line in text.splitlines():  # splits at U+2028, NEL, ... too: stricter than the runner
        assert "##[" not in line, line
        if COMMAND.match(line):
            assert annotations and ANNOTATION.match(line), line


@pytest.mark.parametrize(
    "key",
    [
        *(f"lint-{fmt}" for fmt in FORMATS),
        "context",
        "endpoints",
        "rules",
        "rules-endpoint",
        "explain",
        "explain-key",
        "explain-unknown",
        "schema",
        "schema-all",
        "compile",
        "unknown-endpoint",
        "bad-pack",
    ],
)
def test_no_line_of_any_output_is_a_workflow_command(ran: dict[str, Result], key: str) -> None:
    result = ran[key]
    assert "Traceback" not in result.err
    assert_no_command(result.out, annotations=key == "lint-github")
    assert_no_command(result.err)


def test_what_each_command_answers(ran: dict[str, Result]) -> None:
    codes = {key: result.code for key, result in ran.items()}
    assert codes == {
        **{f"lint-{fmt}": 2 for fmt in FORMATS},
        "context": 2,
        "endpoints": 0,
        "rules": 0,
        "rules-endpoint": 0,
        "explain": 0,
        "explain-key": 0,
        "explain-unknown": 2,
        "schema": 0,
        "schema-all": 0,
        "compile": 0,
        "unknown-endpoint": 2,
        "bad-pack": 2,
    }
    assert "ep#\\x23[x].create\n" in ran["endpoints"].out
    assert ran["explain-key"].out.startswith(  # the message's own line feed starts a line
        "hostile.key\n    \\x3a:error::h #\\x23[set-output name=a;]b\\u2028::warning::u\\x85"
        "::notice::n\\r\n  \\x3a:add-mask::m \u3000::stop-commands::t ##\\x23[x\n"
    )
    assert ran["context"].err.startswith("ixrules: error: context c#\\x23[x].json:1:9: error: ")


def test_text_and_github_show_the_value_escaped(ran: dict[str, Result]) -> None:
    shown = (
        "Unit   ::error::h #\\x23[set-output name=a;]b\\u2028::warning::u\\x85::notice::n\\r\\n"
        "  ::add-mask::m \u3000::stop-commands::t ##\\x23[x is not included in the list of "
        "accepted units"
    )
    text = ran["lint-text"]
    assert f"a#\\x23[stop-commands]x.json:1:31: {shown} [item.unit.accepted]\n" in text.out
    assert "\n./  ::error::lead.json:1:31: " in text.out
    assert "\n./\u3000::error::wide.json:1:31: " in text.out
    assert text.err.startswith("bad#\\x23[x]  ::x.json:1:11: error: not valid JSON: ")
    github = ran["lint-github"].out
    start = "::error file=a#\\x23[stop-commands]x.json,line=1,col=31,title=item.unit.accepted::"
    assert f"\n{start}{shown}\n" in github
    assert "\n::error file=./  %3A%3Aerror%3A%3Alead.json,line=1,col=31," in github


@pytest.mark.parametrize("fmt", ["json", "sarif"])
def test_json_formats_read_back_to_the_same_data(ran: dict[str, Result], fmt: str) -> None:
    result = ran[f"lint-{fmt}"]
    document = json.loads(result.out)
    if fmt == "json":
        files = {problem["file"] for problem in document["problems"]}
        messages = [problem["message"] for problem in document["problems"]]
        paths = [problem["path"] for problem in document["problems"]]
        assert {failure["file"] for failure in document["failures"]} == {
            BROKEN,
            "l##[x].jsonl",
            "gone##[x].json",
        }
    else:
        (run,) = document["runs"]
        files = {
            unquote(found["locations"][0]["physicalLocation"]["artifactLocation"]["uri"])
            for found in run["results"]
        }
        messages = [found["message"]["text"] for found in run["results"]]
        paths = [found["properties"]["path"] for found in run["results"]]
    assert set(NAMES) <= files
    assert f"Unit {HOSTILE} is not included in the list of accepted units" in messages
    assert f"{HOSTILE} 50" in messages
    key = KEY.replace("~", "~0").replace("/", "~1")
    assert f"/quote/items/0/{key}" in paths
    assert "#\\u0023[" in result.out and "\\u2028" in result.out and "\\u0085" in result.out


def test_schema_reads_back_to_the_pack(ran: dict[str, Result]) -> None:
    schema = json.loads(ran["schema"].out)
    assert schema["title"] == "ep##[x].create: POST /ep##[x].json"
    assert KEY in json.dumps(schema, ensure_ascii=False)
    assert ran["schema-all"].out.startswith("Wrote ")
    assert "out#\\x23[x]." in ran["schema-all"].out


# --- item 14: every printed line bounded --------------------------------------------------------

HUGE = 5_000_000
LONGEST = 4_000  # a line: a name, a message, a rule, a hint, each at most 500 characters


@pytest.fixture(scope="module")
def huge(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Result]]:
    tmp = tmp_path_factory.mktemp("huge")
    value = "k" * HUGE
    (tmp / "context.json").write_text(json.dumps({"now": value}), encoding="ascii")
    (tmp / "unit.json").write_text(json.dumps({"quote": {"items": [{"unit": value}]}}), "ascii")
    (tmp / "key.json").write_text(json.dumps({"quote": {value: 1}}), encoding="ascii")
    (tmp / "broken.json").write_text('{"quote": "' + value, encoding="ascii")
    message = {"id": "huge.rule", "message": "m" * HUGE, "check": "number", "doc": "d" * HUGE}
    huge_pack = {"fragments": {"item_line": {"fields": {"discount": {"rules": [message]}}}}}
    (tmp / "pack.yaml").write_text(json.dumps(huge_pack), encoding="ascii")
    long_name = "n" * 100_000 + ".json"
    lint = ["lint", "-e", "quotes.update"]
    runs = {
        "context": Run([*lint, "-c", "context.json", "unit.json"]),
        **{
            f"lint-{fmt}": Run([*lint, "-f", fmt, "unit.json", "key.json", "broken.json"])
            for fmt in FORMATS
        },
        "stdin-name": Run(
            [*lint, "--stdin-filename", long_name, "-"], stdin=json.dumps(BODY).encode()
        ),
        "rules": Run(["rules", "--pack", "pack.yaml"]),
        "explain": Run(["explain", "huge.rule", "--pack", "pack.yaml"]),
    }
    yield run_all({key: Run(r.args, r.stdin, cwd=tmp, timeout=SECONDS) for key, r in runs.items()})


@pytest.mark.parametrize(
    "key", ["context", "lint-text", "lint-github", "stdin-name", "rules", "explain"]
)
def test_every_line_of_text_is_bounded(huge: dict[str, Result], key: str) -> None:
    result = huge[key]
    assert "Traceback" not in result.err
    assert result.out or result.err
    for line in (result.out + result.err).splitlines():
        assert len(line) < LONGEST, line[:200]


def test_a_shortened_value_keeps_its_start_and_end(huge: dict[str, Result]) -> None:
    line = huge["lint-text"].out.splitlines()[1]
    assert line.startswith("unit.json:1:31: Unit kkk")
    assert "k…k" in line and line.endswith("k is not included in the list of accepted units "
                                            "[item.unit.accepted]")  # fmt: skip
    assert huge["context"].err.startswith("ixrules: error: context context.json:1:9: error: ")
    # the context's own message shortens the value (with "..."), before the line bound would
    assert huge["context"].err.endswith("kkk...'\n") and len(huge["context"].err) < 1000


@pytest.mark.parametrize("fmt", ["json", "sarif"])
def test_machine_formats_keep_the_whole_value(huge: dict[str, Result], fmt: str) -> None:
    text = huge[f"lint-{fmt}"].out
    assert f"Unit {'k' * HUGE} is not included" in text
    for line in huge[f"lint-{fmt}"].err.splitlines():  # stderr is text, bounded
        assert len(line) < LONGEST


# --- item 10: a closed or full stdout -------------------------------------------------------

INVOICE = str(Path(__file__).resolve().parent / "fixtures" / "cli" / "invoice.json")
COMMANDS = {
    "lint": ["lint", INVOICE],
    "lint-json": ["lint", "-f", "json", INVOICE],
    "lint-jobs": ["lint", "-j", "2", INVOICE],
    "endpoints": ["endpoints"],
    "schema": ["schema", "invoices.create"],
    "help": ["--help"],
}


def run_with_stdout(args: list[str], how: str) -> tuple[int, bytes]:
    """Run the command with stdout closed, full (/dev/full), or a pipe nobody reads."""
    argv = [*command(), *args]
    if how == "full":
        with open("/dev/full", "wb") as full:
            done = subprocess.run(argv, stdout=full, stderr=subprocess.PIPE, timeout=SECONDS)
        return done.returncode, done.stderr
    if how == "closed":
        done = subprocess.run(
            argv, stderr=subprocess.PIPE, timeout=SECONDS, preexec_fn=lambda: os.close(1)
        )
        return done.returncode, done.stderr
    process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()  # before anything is written: the first write meets EPIPE
    err = process.stderr.read()
    return process.wait(timeout=SECONDS), err


REASONS = {"full": "no space left on device", "closed": "it is closed", "pipe": "broken pipe"}


@pytest.mark.parametrize("how", ["full", "closed", "pipe"])
@pytest.mark.parametrize("name", list(COMMANDS))
def test_a_stdout_that_cannot_be_written_is_exit_2_and_one_line(name: str, how: str) -> None:
    code, err = run_with_stdout(COMMANDS[name], how)
    assert (code, err.decode()) == (
        2,
        f"ixrules: error: cannot write to standard output: {REASONS[how]}\n",
    )


# --- item 11: schema takes any pack ----------------------------------------------------------


def test_schema_of_a_pack_with_a_lone_surrogate_and_a_nul(tmp_path: Path) -> None:
    surrogate = {
        "fragments": {
            "odd_body": {
                "fields": {
                    "k\ud800": {
                        "rules": [
                            {"id": "odd.key", "message": "bad \ud800 here", "check": "number"}
                        ]
                    }
                }
            }
        },
        "endpoints": [{"paths": ["odd"], "root": "r", "actions": {"create": {"body": "odd_body"}}}],
    }
    nul = json.loads(json.dumps(surrogate))
    nul["endpoints"][0]["paths"] = ["odd\x00x"]
    (tmp_path / "surrogate.yaml").write_text(json.dumps(surrogate), encoding="ascii")
    (tmp_path / "nul.yaml").write_text(json.dumps(nul), encoding="ascii")
    ran = run_all(
        {
            "one": Run(["schema", "odd.create", "--pack", "surrogate.yaml"], cwd=tmp_path),
            "all": Run(["schema", "--all", "out", "--pack", "surrogate.yaml"], cwd=tmp_path),
            "nul": Run(["schema", "--all", "nul", "--pack", "nul.yaml"], cwd=tmp_path),
        }
    )
    assert ran["one"].code == 0 and ran["one"].err == ""
    schema = json.loads(ran["one"].out)
    # the key and the rule's message come back whole (as JSON escapes of the lone surrogate)
    assert "bad \ud800 here" in json.dumps(schema, ensure_ascii=False)
    assert "k\ud800" in json.dumps(schema, ensure_ascii=False)
    assert ran["all"].code == 0 and ran["all"].err == ""
    written = json.loads((tmp_path / "out" / "odd.create.schema.json").read_text("utf-8"))
    assert written == schema
    nul_run = ran["nul"]
    assert nul_run.code == 2 and nul_run.out == ""
    assert nul_run.err.startswith("ixrules: error: ") and nul_run.err.count("\n") == 1
    assert "odd\\x00x" in nul_run.err
    assert not (tmp_path / "nul").exists() or not any((tmp_path / "nul").iterdir())


# --- the mock's request log, printed as it serves ------------------------------------------------


def test_the_mocks_request_log_commands_no_runner() -> None:
    import io

    from ixrules.mock.core import Mock
    from ixrules.mock.wire import MockRequest

    log = io.StringIO()
    mock = Mock(api_key="k", log=log)
    mock.handle(MockRequest("POST", "/a##[set-output name=x;]y.json?api_key=k"))
    mock.handle(MockRequest("GE##[T", "/clients.json?api_key=k"))
    assert log.getvalue() == (
        "POST /a#\\x23[set-output name=x;]y.json 401\nGE#\\x23[T /clients.json 404\n"
    )
    assert_no_command(log.getvalue())
