"""The installed command against hostile input (what a hostile trial of it found, each kept
fixed here): payloads and file names that try to forge output, crash an encoder, hang a read
or exhaust memory. Every run has a time bound, so a regression fails instead of hanging.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from cli_runner import Result, Run, command, run_all

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="FIFOs, /dev/zero, raw names")

SECONDS = 30  # generous: each of these takes well under a second when it works
FORMATS = ("text", "json", "github", "sarif")
#: A unit that tries everything: a lone surrogate, an escape-encoded byte, ESC sequences, and
#: CR/LF followed by a fake problem line and GitHub workflow commands.
FORGED = (
    "\\udcff\\ud800\\u001b[2J\\u001b]0;pwned\\u0007\\r\\n"
    "a.json:1:1: Fake problem [fake.rule]\\n::add-mask::secret\\r\\n::error::forged\\u2028x"
)
#: A file name with bytes that are not UTF-8, ESC and a newline.
RAW_NAME = os.fsdecode(b"bad\xff\x1b[31m\nname.json")


def body(unit: str) -> bytes:
    return ('{"quote": {"items": [{"unit": "' + unit + '"}]}}').encode()


@pytest.fixture(scope="module")
def ran(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Result]]:
    tmp = tmp_path_factory.mktemp("hostile")
    (tmp / "forged.json").write_bytes(body(FORGED))
    (tmp / "surrogate.json").write_bytes(body("\\ud800"))
    (tmp / "escaped.json").write_bytes(body("\\udcff"))
    (tmp / RAW_NAME).write_bytes(body("kg"))
    (tmp / "::error::x.json").write_bytes(body("kg"))
    runs: dict[str, Run] = {}
    for fmt in FORMATS:
        for case in ("forged", "surrogate", "escaped"):
            runs[f"{case}-{fmt}"] = Run(
                ["lint", "-e", "quotes.update", "-f", fmt, f"{case}.json"], cwd=tmp,
                timeout=SECONDS,
            )  # fmt: skip
        names = [RAW_NAME, "::error::x.json", "gone\x1b.json"]
        runs[f"names-{fmt}"] = Run(
            ["lint", "-e", "quotes.update", "-f", fmt, *names], cwd=tmp, timeout=SECONDS
        )
    yield _run_raw(runs)


def _run_raw(runs: dict[str, Run]) -> dict[str, Result]:
    """Results with stdout and stderr decoded strictly: invalid UTF-8 fails the test."""
    return run_all(runs)


def lines_start_as_defined(out: str, fmt: str) -> None:
    """Every line starts as the format defines it (and no line holds a raw control)."""
    for line in out.splitlines():
        assert not any(ord(c) < 0x20 or 0x7F <= ord(c) < 0xA0 for c in line), line
        if fmt == "github":
            assert line.startswith(("::error file=", "::warning file=")), line
        elif fmt == "text":
            starts = ("forged.json:", "surrogate.json:", "escaped.json:", "bad", "./::error::",
                      "Found ", "No problems")  # fmt: skip
            assert line.startswith(starts), line
            assert not line.startswith("::"), line


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_payload_cannot_forge_lines_or_reach_the_terminal(
    ran: dict[str, Result], fmt: str
) -> None:
    result = ran[f"forged-{fmt}"]
    assert result.code == 1 and result.err == ""
    if fmt in ("json", "sarif"):
        text = json.dumps(json.loads(result.out))
        assert "\\ud800" in text and "\\u001b[2J" in text
        return
    lines_start_as_defined(result.out, fmt)
    shown = (
        "Unit \\udcff\\ud800\\x1b[2J\\x1b]0;pwned\\x07\\r\\na.json:1:1: Fake problem [fake.rule]"
        "\\n::add-mask::secret\\r\\n::error::forged\\u2028x is not included in the list of "
        "accepted units"
    )
    assert shown in result.out


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("case", ["surrogate", "escaped"])
def test_lone_surrogates_never_crash_and_json_stays_utf8(
    ran: dict[str, Result], fmt: str, case: str
) -> None:
    result = ran[f"{case}-{fmt}"]
    assert result.code == 1 and result.err == "", result.err
    escape = "\\ud800" if case == "surrogate" else "\\udcff"
    if fmt in ("json", "sarif"):
        document = json.loads(result.out)
        message = "Unit " + escape.encode().decode("unicode_escape")
        assert message in json.dumps(document, ensure_ascii=False)
    else:
        assert f"Unit {escape} is not included" in result.out


@pytest.mark.parametrize("fmt", FORMATS)
def test_file_names_are_shown_escaped_and_never_as_a_command(
    ran: dict[str, Result], fmt: str
) -> None:
    result = ran[f"names-{fmt}"]
    assert result.code == 2
    assert result.err == "gone\\x1b.json: error: no such file or directory\n"
    if fmt == "sarif":
        (run,) = json.loads(result.out)["runs"]
        uris = [
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run["results"]
        ]
        assert uris[0] == "bad%FF%1B%5B31m%0Aname.json"
        assert uris[-1] == "%3A%3Aerror%3A%3Ax.json"
        assert run["invocations"][0]["executionSuccessful"] is False
    elif fmt == "json":
        document = json.loads(result.out)
        assert document["problems"][0]["file"] == "bad\udcff\x1b[31m\nname.json"
        assert document["failures"] == [
            {"file": "gone\x1b.json", "line": None, "column": None,
             "reason": "no such file or directory"}
        ]  # fmt: skip
    else:
        lines_start_as_defined(result.out, fmt)
        if fmt == "text":
            assert result.out.startswith("bad\\xff\\x1b[31m\\nname.json:1:21: Invoice items")
            assert "\n./::error::x.json:1:21: " in result.out
        else:
            assert "::error file=bad\\xff\\x1b[31m\\nname.json,line=1" in result.out
            assert "::error file=./%3A%3Aerror%3A%3Ax.json,line=1" in result.out
            assert result.out.endswith(
                "::error file=gone\\x1b.json,title=ixrules::could not check: no such file or "
                "directory\n"
            )


# --- reads that must not block, loop or exhaust memory --------------------------------------------

INVOICE = Path(__file__).resolve().parent / "fixtures" / "cli" / "invoice.json"


@pytest.fixture(scope="module")
def reads(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Result]]:
    tmp = tmp_path_factory.mktemp("reads")
    loop = tmp / "d"
    loop.mkdir()
    (loop / "a").symlink_to(".")
    (loop / "b").symlink_to(".")
    (loop / "invoice.json").write_bytes(INVOICE.read_bytes())
    os.mkfifo(loop / "fifo.json")
    (loop / "dir.json").mkdir()
    rules = tmp / "rules"
    rules.mkdir()
    os.mkfifo(rules / "fifo.yaml")
    runs = {
        "fifo_arg": Run(["lint", "d/fifo.json", "d/invoice.json"]),
        "fifo_context": Run(["lint", "-c", "d/fifo.json", "d/invoice.json"]),
        "fifo_in_directory": Run(["lint", "d"]),
        "fifo_rules": Run(["lint", "--rules", "rules", "d/invoice.json"]),
        "self_links_glob": Run(["lint", "d/**/*.json"]),
        "zero_arg": Run(["lint", "/dev/zero", "d/invoice.json"]),
        "zero_context": Run(["lint", "-c", "/dev/zero", "d/invoice.json"]),
        "zero_stdin": Run(["lint", "-"], stdin=b"{" * 2000),
        "max_bytes": Run(["lint", "--max-bytes", "100", "d/invoice.json"]),
        "max_line": Run(["lint", "--max-bytes", "1K", "--stdin-filename", "x.jsonl", "-"],
                        stdin=b'{"item": {}}\n' + b" " * 2000 + b"\n{}\n"),
        "bad_size": Run(["lint", "--max-bytes", "lots", "d/invoice.json"]),
    }  # fmt: skip
    specs = {
        key: Run(run.args, stdin=run.stdin, cwd=tmp, timeout=SECONDS) for key, run in runs.items()
    }
    yield run_all(specs)


INVOICE_TAIL = "Found 5 problems in 1 file; "


def test_a_fifo_is_a_problem_never_a_hang(reads: dict[str, Result]) -> None:
    fifo = "d/fifo.json: error: not a regular file (a FIFO)\n"
    result = reads["fifo_arg"]
    assert (result.code, result.err) == (2, fifo)
    assert result.out.endswith(INVOICE_TAIL + "1 file checked, 1 failure.\n")
    assert reads["fifo_context"] == Result(
        2, "", "ixrules: error: context d/fifo.json: error: not a regular file (a FIFO)\n"
    )
    walked = reads["fifo_in_directory"]
    assert walked.code == 2 and walked.err == fifo
    assert reads["fifo_rules"] == Result(
        2,
        "",
        "ixrules: error: broken rule file: rules/fifo.yaml:1: cannot read: not a regular file\n",
    )


def test_globs_and_walks_enter_each_real_directory_once(reads: dict[str, Result]) -> None:
    result = reads["self_links_glob"]
    assert result.code == 2
    assert result.err == (
        "d/dir.json: error: not a regular file (a directory)\n"
        "d/fifo.json: error: not a regular file (a FIFO)\n"
    )
    assert result.out.count("d/invoice.json:4:17: Due date") == 1


def test_reads_are_bounded(reads: dict[str, Result]) -> None:
    device = "/dev/zero: error: not a regular file (a device)\n"
    assert reads["zero_arg"].code == 2 and reads["zero_arg"].err == device
    assert reads["zero_context"] == Result(2, "", f"ixrules: error: context {device}")
    assert reads["zero_stdin"].code == 2
    assert reads["max_bytes"] == Result(
        2,
        "Could not check everything; no problems in the rest; 1 file checked, 1 failure.\n",
        "d/invoice.json: error: larger than 100 bytes (see --max-bytes)\n",
    )
    line = reads["max_line"]
    assert line.err == (
        "x.jsonl:2: error: line longer than 1,024 bytes (see --max-bytes); the rest of the file "
        "is not read\n"
    )
    assert line.out.startswith("x.jsonl:1:10: ")
    assert reads["bad_size"].code == 2
    assert "not a size: 'lots'" in reads["bad_size"].err


def test_dev_zero_on_stdin_is_cut_at_the_limit() -> None:
    with open("/dev/zero", "rb") as zero:
        done = subprocess.run(
            [*command(), "lint", "--max-bytes", "1M", "-"], stdin=zero, capture_output=True,
            timeout=SECONDS, check=False,
        )  # fmt: skip
    assert done.returncode == 2
    assert done.stderr == b"<stdin>: error: larger than 1,048,576 bytes (see --max-bytes)\n"


# --- --jobs: the same output as --jobs 1, settings sent once, workers ended with the run ------


def nested_context(levels: int) -> str:
    return '{"account": {"trial": true}, "n": ' + '{"n": ' * levels + "{}" + "}" * levels + "}"


@pytest.fixture(scope="module")
def jobs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Result]]:
    tmp = tmp_path_factory.mktemp("jobs")
    (tmp / "context.json").write_text(nested_context(500), encoding="utf-8")
    names = []
    for depth in (400, 511, 512, 513, 975, 980, 984, 3000):
        name = f"deep{depth}.json"
        inner = depth - 2  # nested in two objects: {"invoice": {"x": [[...]]}}
        (tmp / name).write_text(
            '{"invoice": {"x": ' + "[" * inner + "]" * inner + "}}", encoding="utf-8"
        )
        names.append(name)
    lines = [f'{{"quote": {{"x": {"[" * depth}{"]" * depth}}}}}' for depth in (100, 600, 990)]
    (tmp / "deep.jsonl").write_text("\n".join(lines * 200) + "\n", encoding="utf-8")
    names.append("deep.jsonl")
    runs = {
        f"jobs{n}": Run(["lint", "-j", str(n), "-c", "context.json", *names], cwd=tmp,
                        timeout=SECONDS)
        for n in (1, 2)
    }  # fmt: skip
    yield run_all(runs)


def test_jobs_2_is_byte_identical_for_deep_bodies_and_a_deep_context(
    jobs: dict[str, Result],
) -> None:
    one, two = jobs["jobs1"], jobs["jobs2"]
    assert one == two
    assert one.code == 2
    assert "deep512.json:1:13: Client can't be blank" in one.out
    assert "deep513.json:1:529: error: cannot read: nested deeper than 512 levels\n" in one.err
    assert "deep980.json:1:529: error: cannot read: nested deeper than 512 levels\n" in one.err
    assert one.err.count("deep.jsonl:") == 400


def children(pid: int) -> list[int]:
    with open(f"/proc/{pid}/task/{pid}/children", encoding="ascii") as listing:
        return [int(word) for word in listing.read().split()]


def alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            return stat.read().split(") ", 1)[1][0] != "Z"
    except FileNotFoundError:
        return False


@pytest.mark.parametrize(("name", "code"), [("SIGTERM", 143), ("SIGHUP", 129), ("SIGINT", 130)])
def test_a_signal_to_the_main_process_ends_the_workers(
    tmp_path: Path, name: str, code: int
) -> None:
    import signal
    import time

    line = '{"invoice": {"items": [{"unit": "kg", "quantity": 0}], "date": "x"}}\n'
    (tmp_path / "big.jsonl").write_text(line * 200_000, encoding="utf-8")
    process = subprocess.Popen(
        [*command(), "lint", "-j", "2", "big.jsonl"], cwd=tmp_path,
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + SECONDS
        while len(workers := children(process.pid)) < 2:
            assert time.monotonic() < deadline and process.poll() is None
            time.sleep(0.05)
        time.sleep(0.3)  # the workers are checking
        process.send_signal(getattr(signal, name))
        assert process.wait(timeout=SECONDS) == code
        assert process.stderr is not None and process.stderr.read() == b""
        time.sleep(0.2)
        assert not [pid for pid in workers if alive(pid)]
    finally:
        process.kill()
        process.wait()


# --- what a new user is told: skipped rules, files checked -------------------------------------

MB = "tests/fixtures/cli/mb-reference.json"
SKIPPED = [
    ("document.not_settled", "document.status"),
    ("document.mb_reference.provider", "account.mb_payment_provider"),
]


def test_show_skipped_lists_the_rules_skipped_for_want_of_context() -> None:
    runs = {
        fmt: Run(["lint", "--show-skipped", "-e", "invoices.update", "-f", fmt, MB],
                 timeout=SECONDS)
        for fmt in FORMATS
    }  # fmt: skip
    runs["quiet"] = Run(["lint", "-e", "invoices.update", MB], timeout=SECONDS)
    ran = run_all(runs)
    notes = "".join(
        f"{MB}:1:1: note: Skipped: the context does not say {key} [{rule}]\n"
        for rule, key in SKIPPED
    )
    assert ran["text"] == Result(
        0, notes + "No problems found; 1 file checked, 2 skipped rules.\n", ""
    )
    assert ran["quiet"] == Result(0, "No problems found; 1 file checked.\n", "")
    assert ran["github"].out == "".join(
        f"::notice file={MB},line=1,col=1,title={rule}::Skipped: the context does not say {key}\n"
        for rule, key in SKIPPED
    )
    document = json.loads(ran["json"].out)
    assert [(p["rule"], p["severity"]) for p in document["problems"]] == [
        (rule, "note") for rule, _ in SKIPPED
    ]
    assert document["summary"]["skipped"] == 2 and ran["json"].code == 0
    (run,) = json.loads(ran["sarif"].out)["runs"]
    assert [r["level"] for r in run["results"]] == ["note", "note"]


# --- memory does not grow with the number of problems --------------------------------------------


def max_rss_kb(args: list[str], cwd: Path) -> int:
    """The peak resident memory of one run of the command (its own, from ``wait4``)."""
    process = subprocess.Popen(
        [*command(), *args], cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    assert process.returncode == 1
    return int(usage.ru_maxrss)


@pytest.mark.parametrize("fmt", ["text", "sarif"])
def test_memory_stays_flat_however_many_problems(tmp_path: Path, fmt: str) -> None:
    line = '{"quote": {"items": [' + ",".join(['{"unit":1}'] * 1000) + "]}}\n"
    (tmp_path / "few.jsonl").write_text(line * 3, encoding="utf-8")  # 3,003 problems
    (tmp_path / "many.jsonl").write_text(line * 24, encoding="utf-8")  # 24,024 problems
    few, many = (
        max_rss_kb(["lint", "-e", "quotes.update", "-f", fmt, f"{name}.jsonl"], tmp_path)
        for name in ("few", "many")
    )
    assert many - few < 8 * 1024, (few, many)  # kilobytes: it grew with them before
