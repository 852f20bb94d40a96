"""``ixrules mock`` as a real server: a subprocess on a free port of 127.0.0.1, driven over a
socket by httpx and requests. The issue's scenario and a restart on the same database, the
concurrency of one transaction per request, a clean stop on SIGINT and SIGTERM, the warning
when it listens beyond this machine, and the quick starts of docs/mock.md."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
import requests

KEY = "server-test-key"
NOW = "2024-05-10T10:00:00"
TOP = Path(__file__).resolve().parent.parent


class Server:
    """A running ``ixrules mock`` and what it printed."""

    def __init__(self, process: subprocess.Popen[str], url: str, banner: list[str]) -> None:
        self.process = process
        self.url = url
        self.banner = banner

    def stop(self, signum: int = signal.SIGTERM) -> tuple[int, str, str]:
        """Send ``signum``; the exit status and the rest of stdout and stderr."""
        self.process.send_signal(signum)
        out, err = self.process.communicate(timeout=30)
        return self.process.returncode, out, err


@contextmanager
def server(*args: str) -> Iterator[Server]:
    """``ixrules mock --port 0 ARGS`` until the block ends (then stopped, whatever happened)."""
    command = [sys.executable, "-m", "ixrules", "mock", "--port", "0", "--quiet", *args]
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=TOP,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        banner = [process.stdout.readline() for _ in range(5)] if process.stdout else []
        if not banner[0].startswith("ixrules mock serving "):
            _, err = process.communicate(timeout=30)
            raise AssertionError(f"the mock did not start: {banner} {err}")
        yield Server(process, banner[0].split()[-1], banner)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate(timeout=30)


def errors(response: Any) -> list[str]:
    return [entry["error"] for entry in response.json()["errors"]]


def invoice(**changes: Any) -> dict[str, Any]:
    body = {
        "date": "10/05/2024",
        "due_date": "10/06/2024",
        "client": {"name": "Acme", "code": "A1"},
        "items": [{"name": "Pen", "unit_price": "10", "quantity": "2", "tax": {"name": "IVA23"}}],
    }
    body.update(changes)
    return {"invoice": body}


def test_the_scenario_over_http_and_a_restart_finds_it_all(tmp_path: Path) -> None:
    db = str(tmp_path / "mock.db")
    with server("--db", db, "--api-key", KEY, "--now", NOW) as mock:
        api = httpx.Client(base_url=mock.url, params={"api_key": KEY}, timeout=30)
        assert (
            api.post("/clients.json", json={"client": {"name": "Acme", "code": "A1"}}).status_code
            == 201
        )
        again = api.post("/clients.json", json={"client": {"name": "Acme"}})
        assert (again.status_code, errors(again)) == (422, ["Name has already been taken"])
        late = api.post("/invoices.json", json=invoice(due_date="01/05/2024"))
        assert (late.status_code, errors(late)) == (422, ["Due date must be later than date"])
        draft = api.post("/invoices.json", json=invoice())
        assert draft.status_code == 201 and draft.json()["invoice"]["status"] == "draft"
        ident = draft.json()["invoice"]["id"]
        assert api.get(f"/invoices/{ident}.json").json() == draft.json()
        state = f"/invoices/{ident}/change-state.json"
        final = api.put(state, json={"invoice": {"state": "finalized"}})
        assert final.json()["invoice"]["status"] == "final"
        cancel = api.put(state, json={"invoice": {"state": "canceled"}})
        assert (cancel.status_code, errors(cancel)) == (422, ["Cancel message can't be blank"])
        assert (
            api.put(state, json={"invoice": {"state": "settled"}}).json()["invoice"]["status"]
            == "settled"
        )
        update = api.put(f"/invoices/{ident}.json", json={"invoice": {"observations": "x"}})
        assert (update.status_code, errors(update)) == (
            422,
            ["Invoice has been settled so can't be changed anymore"],
        )
        assert (
            api.get("/invoices/999999.json").status_code,
            api.get("/invoices/999999.json").content,
        ) == (404, b"")
        keyless = httpx.get(f"{mock.url}/invoices/{ident}.json", timeout=30)
        assert (keyless.status_code, errors(keyless)) == (401, ["Invalid API key"])
        before = api.get("/_mock/state").text.replace(mock.url, "BASE")
        status, out, _ = mock.stop(signal.SIGTERM)
        assert status == 0 and "ixrules mock stopped" in out
    with server("--db", db) as mock:  # the key is kept in the database too
        assert f"api key:  {KEY}" in mock.banner[2]
        api = httpx.Client(base_url=mock.url, params={"api_key": KEY}, timeout=30)
        assert api.get("/_mock/state").text.replace(mock.url, "BASE") == before
        assert api.get(f"/invoices/{ident}.json").json()["invoice"]["status"] == "settled"
        again = api.post("/clients.json", json={"client": {"name": "ACME"}})
        assert errors(again) == ["Name has already been taken"]
        status, out, _ = mock.stop(signal.SIGINT)
        assert status == 0 and "ixrules mock stopped" in out


def _at_once(count: int, send: Any) -> list[Any]:
    """``send(i)`` for i in range(count), from ``count`` threads released together."""
    gate = threading.Barrier(count)

    def one(index: int) -> Any:
        gate.wait()
        return send(index)

    with ThreadPoolExecutor(count) as pool:
        return list(pool.map(one, range(count)))


def test_concurrent_creates_never_lose_a_write(tmp_path: Path) -> None:
    with server("--api-key", KEY, "--db", str(tmp_path / "c.db")) as mock:
        url = f"{mock.url}/clients.json?api_key={KEY}"

        def create(name: str) -> httpx.Response:
            with httpx.Client(timeout=60) as client:
                return client.post(url, json={"client": {"name": name}})

        same = _at_once(16, lambda i: create("Acme"))
        assert Counter(r.status_code for r in same) == {201: 1, 422: 15}
        assert {tuple(errors(r)) for r in same if r.status_code == 422} == {
            ("Name has already been taken",)
        }
        distinct = _at_once(32, lambda i: create(f"Client {i}"))
        assert [r.status_code for r in distinct] == [201] * 32
        clients = httpx.get(f"{mock.url}/_mock/state", timeout=30).json()["clients"]
        assert sorted(c["name"] for c in clients) == sorted(
            ["Acme", *(f"Client {i}" for i in range(32))]
        )
        assert len({c["id"] for c in clients}) == 33


def test_listening_beyond_this_machine_is_said_loudly() -> None:
    with server("--host", "0.0.0.0", "--api-key", KEY) as mock:
        status, _, err = mock.stop()
    assert status == 0
    assert err.startswith(
        "WARNING: ixrules mock is listening on 0.0.0.0, not only on this machine."
    )


def test_a_port_in_use_or_a_bad_seed_is_one_line_and_exit_2(tmp_path: Path) -> None:
    with server("--api-key", KEY) as mock:
        port = mock.url.rsplit(":", 1)[1]
        busy = subprocess.run(
            [sys.executable, "-m", "ixrules", "mock", "--port", port],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert busy.returncode == 2 and busy.stderr.startswith("ixrules mock: cannot listen on")
        assert len(busy.stderr.splitlines()) == 1
    seed = tmp_path / "seed.json"
    seed.write_text('{"clients": {"name": "Acme"}}', encoding="utf-8")
    bad = subprocess.run(
        [sys.executable, "-m", "ixrules", "mock", "--port", "0", "--seed", str(seed)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (bad.returncode, bad.stderr) == (
        2,
        "ixrules mock: the seed's clients is a list of mappings\n",
    )


def test_a_body_over_the_limit_is_413_and_the_server_serves_on() -> None:
    with server("--api-key", KEY) as mock:
        big = httpx.post(
            f"{mock.url}/clients.json?api_key={KEY}",
            timeout=30,
            content=b'{"client": {"name": "' + b"x" * (2 << 20) + b'"}}',
            headers={"Content-Type": "application/json"},
        )
        assert big.status_code == 413
        small = httpx.post(
            f"{mock.url}/clients.json?api_key={KEY}", json={"client": {"name": "A"}}, timeout=30
        )
        assert small.status_code == 201


# --- the quick starts of docs/mock.md -----------------------------------------------------------


def _quick_start(language: str) -> str:
    """The first code block of ``language`` in docs/mock.md."""
    text = (TOP / "docs" / "mock.md").read_text(encoding="utf-8")
    start = text.index(f"```{language}\n") + len(language) + 4
    return text[start : text.index("```", start)]


def test_the_any_language_quick_start_runs_as_written(tmp_path: Path) -> None:
    script = _quick_start("sh")
    assert "ixrules mock --port 8040 --api-key local-key" in script
    with server("--api-key", "local-key", "--now", NOW) as mock:
        for line in script.splitlines():
            if line.startswith("curl "):
                command = line.replace("http://127.0.0.1:8040", mock.url)
                out = subprocess.run(
                    command, shell=True, capture_output=True, text=True, timeout=60
                )
                assert out.returncode == 0, out.stderr
                assert json.loads(out.stdout)  # each answers JSON
        names = [
            c["name"] for c in httpx.get(f"{mock.url}/_mock/state", timeout=30).json()["clients"]
        ]
        assert names == ["Acme"]


def test_the_python_quick_start_over_a_socket_with_httpx_and_requests() -> None:
    with server("--api-key", "local-key", "--now", NOW) as mock:
        base = mock.url
        with httpx.Client(base_url=base, params={"api_key": "local-key"}, timeout=30) as api:
            assert api.post("/clients.json", json={"client": {"name": "Acme"}}).status_code == 201
        session = requests.Session()
        session.params = {"api_key": "local-key"}
        answer = session.post(f"{base}/clients.json", json={"client": {"name": "acme"}}, timeout=30)
        assert (answer.status_code, errors(answer)) == (422, ["Name has already been taken"])
        created = session.post(f"{base}/invoices.json", json=invoice(), timeout=30)
        assert created.status_code == 201 and created.json()["invoice"]["total"] == 24.6


def test_the_fixture_quick_start_runs_as_written(tmp_path: Path) -> None:
    source = _quick_start("python")
    assert "def test_" in source and "ixrules_mock" in source
    (tmp_path / "test_quick_start.py").write_text(source, encoding="utf-8")
    out = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
    )
    assert out.returncode == 0, out.stdout + out.stderr
    assert " passed" in out.stdout


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_sigint_stops_the_server_cleanly() -> None:
    with server("--api-key", KEY) as mock:
        assert httpx.get(f"{mock.url}/clients.json?api_key={KEY}", timeout=30).status_code == 200
        status, out, err = mock.stop(signal.SIGINT)
    assert status == 0 and out.strip() == "ixrules mock stopped" and "Traceback" not in err
