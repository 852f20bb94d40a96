"""``ixrules mock``: requests per second for a valid invoice create over a socket (a real
server in a subprocess, one keep-alive client, then eight at once), and the per-request cost of
the in-process transport (httpx through ``MockTransport``, and ``Mock.handle`` alone). Prints
one markdown table; not part of bench/run.py (the lead adds it there).

    python bench/mock_bench.py [--quick]
"""

from __future__ import annotations

import argparse
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx

from ixrules.mock import Mock, MockRequest
from ixrules.mock.transport import httpx_client

TOP = Path(__file__).resolve().parent.parent
KEY = "bench-key"
BODY = {
    "invoice": {
        "date": "10/05/2024",
        "due_date": "10/06/2024",
        "client": {"name": "Acme", "code": "A1"},
        "items": [
            {"name": f"Item {i}", "unit_price": "10.5", "quantity": "2", "tax": {"name": "IVA23"}}
            for i in range(3)
        ],
    }
}


def _server() -> tuple[subprocess.Popen[str], str]:
    command = [sys.executable, "-m", "ixrules", "mock", "--port", "0", "--api-key", KEY,
               "--quiet", "--now", "2024-05-10T10:00:00"]  # fmt: skip
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, cwd=TOP)
    assert process.stdout is not None
    first = process.stdout.readline()
    if not first.startswith("ixrules mock serving "):
        process.kill()
        raise SystemExit(f"the mock did not start: {first!r}")
    return process, first.split()[-1]


def over_a_socket(count: int, clients: int) -> float:
    """Requests per second of valid invoice creates, ``clients`` keep-alive clients at once."""
    process, url = _server()
    try:
        with httpx.Client(base_url=url, params={"api_key": KEY}, timeout=60) as warm:
            for _ in range(20):
                assert warm.post("/invoices.json", json=BODY).status_code == 201

        def run(share: int) -> None:
            with httpx.Client(base_url=url, params={"api_key": KEY}, timeout=60) as api:
                for _ in range(share):
                    assert api.post("/invoices.json", json=BODY).status_code == 201

        start = time.perf_counter()
        with ThreadPoolExecutor(clients) as pool:
            list(pool.map(run, [count // clients] * clients))
        elapsed = time.perf_counter() - start
        return (count // clients) * clients / elapsed
    finally:
        process.send_signal(signal.SIGTERM)
        process.communicate(timeout=30)


def in_process(count: int) -> tuple[float, float]:
    """Microseconds per valid invoice create: through httpx's in-process transport, and
    through ``Mock.handle`` alone."""
    mock = Mock(api_key=KEY, now="2024-05-10T10:00:00")
    api = httpx_client(mock)
    for _ in range(20):
        api.post("/invoices.json", json=BODY)
    start = time.perf_counter()
    for _ in range(count):
        api.post("/invoices.json", json=BODY)
    through_httpx = (time.perf_counter() - start) / count * 1e6
    import json

    raw = MockRequest("POST", f"/invoices.json?api_key={KEY}",
                      {"content-type": "application/json"}, json.dumps(BODY).encode())  # fmt: skip
    start = time.perf_counter()
    for _ in range(count):
        assert mock.handle(raw).status == 201
    alone = (time.perf_counter() - start) / count * 1e6
    return through_httpx, alone


def main(argv: Any = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer requests")
    args = parser.parse_args(argv)
    count = 300 if args.quick else 2000
    one = over_a_socket(count, 1)
    eight = over_a_socket(count, 8)
    through_httpx, alone = in_process(count // 2 if args.quick else count)
    print("| ixrules mock: valid 3-line invoice create | value |")
    print("|---|---|")
    print(f"| over a socket, 1 keep-alive client | {one:,.0f} requests/s |")
    print(f"| over a socket, 8 clients at once | {eight:,.0f} requests/s |")
    print(f"| in-process, httpx MockTransport | {through_httpx:,.0f} µs a request |")
    print(f"| in-process, Mock.handle alone | {alone:,.0f} µs a request |")


if __name__ == "__main__":
    main()
