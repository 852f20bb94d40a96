"""The installed command against hostile input (what a hostile trial of it found, each kept
fixed here): payloads and file names that try to forge output, crash an encoder, hang a read
or exhaust memory. Every run has a time bound, so a regression fails instead of hanging.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator

import pytest
from cli_runner import Result, Run, run_all

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
