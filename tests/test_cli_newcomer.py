"""What a new user tripped on (issue 25): the shipped examples linted as they are, the FastAPI
example's run command, warnings that carry no HTTP status, the docs' json keys and README
counts, docs/bulk.md's worked example against a real scheduler, and a scheduler that cannot be
reached."""

from __future__ import annotations

import json
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from ixrules.cli import main as cli

TOP = Path(__file__).resolve().parent.parent
APP = TOP / "docs" / "examples" / "invoice_api" / "app.py"


def command() -> list[str]:
    script = Path(sys.executable).parent / "ixrules"
    return [str(script)] if script.exists() else [sys.executable, "-m", "ixrules"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# --- the shipped examples -----------------------------------------------------------------


def test_the_examples_folder_lints_with_its_own_configuration(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(TOP)
    code = cli.main(["lint", "--no-color", "examples"])
    out, err = capsys.readouterr()
    assert (code, err) == (1, "")
    assert "context.json" not in out  # the context snapshot is no account body
    lines = out.splitlines()
    assert lines[0] == (
        "examples/invoice-update.json:1:30: Option to generate MB reference is set but no "
        "payment provider is configurated [document.mb_reference.provider]"
    )
    assert lines[-1] == "Found 10 problems in 4 bodies; 5 bodies checked in 3 files."
    assert [line for line in lines if line.startswith("examples/invoice.json")] == [
        line.replace("examples/", "examples/", 1)
        for line in cli_lines(capsys, "examples/invoice.json")
    ]


def cli_lines(capsys: pytest.CaptureFixture[str], path: str) -> list[str]:
    cli.main(["lint", "--no-color", "--quiet", path])
    return capsys.readouterr().out.splitlines()


# --- the FastAPI example -------------------------------------------------------------------


def documented_command() -> list[str]:
    """The run command the example's docstring gives (and docs/schema.md repeats)."""
    doc = APP.read_text(encoding="utf-8")
    (line,) = [line.strip() for line in doc.splitlines() if line.strip().startswith("uvicorn ")]
    schema_doc = " ".join((TOP / "docs" / "schema.md").read_text(encoding="utf-8").split())
    assert f"`{line.removesuffix(' --reload')}`" in schema_doc
    return line.split()


def test_the_fastapi_example_runs_with_the_documented_command() -> None:
    pytest.importorskip("uvicorn")
    words = documented_command()
    assert words[0] == "uvicorn" and "--reload" in words
    port = free_port()
    argv = [sys.executable, "-m", *[word for word in words if word != "--reload"]]
    server = subprocess.Popen(
        [*argv, "--host", "127.0.0.1", "--port", str(port)],
        cwd=TOP,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{base}/openapi.json", timeout=5) as answer:
                    openapi = json.load(answer)
                break
            except (urllib.error.URLError, ConnectionError):
                assert server.poll() is None, server.stdout.read() if server.stdout else ""
                assert time.monotonic() < deadline
                time.sleep(0.2)
        assert "/invoices" in openapi["paths"]
        bad = json.dumps({"invoice": {"date": "03/12/2017", "due_date": "01/12/2017"}})
        request = urllib.request.Request(
            f"{base}/invoices", bad.encode(), {"Content-Type": "application/json"}
        )
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request, timeout=10)
        detail = json.load(refused.value)["detail"]
        assert refused.value.code == 422
        assert "Due date must be later than date" in [error["msg"] for error in detail]
    finally:
        server.terminate()
        server.wait(timeout=30)
        if server.stdout is not None:
            server.stdout.close()


# --- warnings carry no status ---------------------------------------------------------------


WARNED = '{"invoice": {"client": {"name": "A", "code": "A1"}, "items": [{"name": "Pen", ' \
    '"unit_price": "1.5", "quantity": 1}], "rate": "1,2"}}\n'  # fmt: skip


def test_a_warning_has_no_status_in_json_and_parquet(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".git").mkdir()
    (tmp_path / "w.json").write_text(WARNED, encoding="utf-8")
    code = cli.main(["lint", "-f", "json", "--show-skipped", "w.json", "--output", "t.parquet"])
    problems = json.loads(capsys.readouterr().out)["problems"]
    assert code == 0
    assert [(p["severity"], p["rule"], p["status"]) for p in problems] == [
        ("warning", "kind.number", None),
        ("note", "document.tax_exemption.needed", None),
        ("note", "document.item.tax_exemption.needed", None),
        ("note", "document.client.created", None),
    ]
    pyarrow = pytest.importorskip("pyarrow.parquet")
    rows = pyarrow.read_table(tmp_path / "t.parquet").to_pylist()
    assert [(row["severity"], row["status"]) for row in rows] == [
        ("warning", None),
        ("note", None),
        ("note", None),
        ("note", None),
    ]
    (tmp_path / "e.json").write_text(
        '{"invoice": {"date": "99/99/2017", "rate": "x"}}', encoding="utf-8"
    )
    cli.main(["lint", "-f", "json", "-e", "invoices.update", "e.json"])
    statuses = {p["severity"]: p["status"] for p in json.loads(capsys.readouterr().out)["problems"]}
    assert statuses == {"error": 422, "warning": None}


# --- the docs say what the command does -----------------------------------------------------


def test_the_json_keys_are_listed_once_each() -> None:
    text = (TOP / "docs" / "cli.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| (`(?:problems|version|failures|summary)[^|]*) \|", text, re.M)
    keys = [key for row in rows for key in re.findall(r"`([^`]+)`", row)]
    assert len(keys) == len(set(keys)) == 13
    shown = json.loads(re.search(r"\$ ixrules lint --format json [^\n]*\n(\{.*?\n\})", text,
                                 re.S).group(1))  # fmt: skip
    assert {f"problems[].{key}" for key in shown["problems"][0]} == {
        key for key in keys if key.startswith("problems")
    }


NUMBERS = {"three": 3, "four": 4, "five": 5, "six": 6}


def test_the_readme_counts_the_messages_it_shows() -> None:
    text = (TOP / "README.md").read_text(encoding="utf-8")
    said = re.search(r"with (\w+) wrong fields, and the (\w+) messages", text)
    assert said is not None
    session = text[said.end() :].split("```", 2)[1]
    shown = re.findall(r"^examples/invoice\.json:\d+:\d+: ", session, re.M)
    assert NUMBERS[said.group(2)] == len(shown) == 5
    assert f"Found {len(shown)} problems" in session
    fields = {line.split(" [")[1] for line in session.splitlines() if ".invalid]" not in line
              and line.startswith("examples/invoice.json")}  # fmt: skip
    assert NUMBERS[said.group(1)] == len(fields)
    assert "three wrong fields, five messages" in text


@pytest.mark.slow
def test_the_bulk_worked_example_prints_what_the_docs_show(tmp_path: Path) -> None:
    distributed = pytest.importorskip("distributed")
    text = (TOP / "docs" / "bulk.md").read_text(encoding="utf-8")
    block = re.search(r"```text\n(\$ ixrules lint --dask tcp://\S+ [^\n]*\n.*?)```", text, re.S)
    assert block is not None
    command_line, *shown = block.group(1).splitlines()
    code_line = shown.index("$ echo $?")
    expected, code = shown[:code_line], int(shown[code_line + 1])
    words = command_line.removeprefix("$ ").split()
    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None,
        protocol="tcp", host="127.0.0.1", scheduler_port=0,
    ) as cluster:  # fmt: skip
        address = cluster.scheduler_address
        argv = [word if not word.startswith("tcp://") else address for word in words[1:]]
        argv = [str(tmp_path / w) if w.endswith(".parquet") else w for w in argv]
        done = subprocess.run(
            [*command(), *argv], cwd=TOP, capture_output=True, text=True, timeout=300, check=False
        )
    assert (done.returncode, done.stdout.splitlines(), done.stderr) == (code, expected, "")
    assert (tmp_path / "problems.parquet").is_file()


@pytest.mark.slow
def test_an_unreachable_scheduler_fails_promptly_with_one_line() -> None:
    port = free_port()  # nothing listens there
    started = time.monotonic()
    done = subprocess.run(
        [*command(), "lint", "--dask", f"tcp://127.0.0.1:{port}", "examples/invoice.json"],
        cwd=TOP,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    took = time.monotonic() - started
    reason = f"Timed out trying to connect to tcp://127.0.0.1:{port} after 5 s"
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == (
        f"ixrules: error: cannot reach the Dask scheduler at tcp://127.0.0.1:{port}: {reason}\n"
    )
    assert took < 25  # Dask's own default is 30 s, spent without a word
