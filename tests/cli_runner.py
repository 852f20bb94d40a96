"""Run the installed ``ixrules`` command as a subprocess, many runs at once (they are slow one by
one: each loads the rules), optionally with stdout and stderr on a pseudo-terminal."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

TOP = Path(__file__).resolve().parent.parent


def command() -> list[str]:
    """The console script installed next to this interpreter, else ``python -m ixrules``."""
    script = shutil.which("ixrules", path=str(Path(sys.executable).parent))
    return [script] if script else [sys.executable, "-m", "ixrules"]


@dataclass(frozen=True)
class Run:
    """One invocation: arguments after ``ixrules``, stdin bytes, extra environment, tty."""

    args: Sequence[str]
    stdin: bytes = b""
    env: Mapping[str, str] = field(default_factory=dict)
    tty: bool = False
    program: Sequence[str] | None = None
    timeout: float = 60
    cwd: Path | None = None


@dataclass(frozen=True)
class Result:
    code: int
    out: str
    err: str


def environment(extra: Mapping[str, str]) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key != "NO_COLOR"}
    if "IXRULES_CACHE_DIR" not in env:  # never the user's own cache (conftest sets one)
        env["IXRULES_CACHE_DIR"] = os.path.join(tempfile.gettempdir(), "ixrules-test-cache")
    env.update(extra)
    return env


def run(spec: Run) -> Result:
    """Run one invocation from the top of the repository."""
    argv = [*(spec.program or command()), *spec.args]
    env = environment(spec.env)
    if spec.tty:
        return _run_on_tty(argv, env, spec.stdin)
    done = subprocess.run(
        argv,
        input=spec.stdin,
        capture_output=True,
        cwd=spec.cwd or TOP,
        env=env,
        timeout=spec.timeout,
        check=False,
    )
    return Result(done.returncode, done.stdout.decode(), done.stderr.decode())


def run_all(specs: Mapping[str, Run]) -> dict[str, Result]:
    """Every invocation, run concurrently; results by name."""
    with ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2)) as pool:
        futures = {name: pool.submit(run, spec) for name, spec in specs.items()}
        return {name: future.result() for name, future in futures.items()}


def _run_on_tty(argv: list[str], env: dict[str, str], stdin: bytes) -> Result:
    import pty
    import threading

    leader, follower = pty.openpty()
    chunks: list[bytes] = []

    def drain() -> None:  # read while the command writes, so a full terminal never blocks it
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # EIO: the other side is closed and drained
                return
            if not chunk:
                return
            chunks.append(chunk)

    reader = threading.Thread(target=drain)
    reader.start()
    try:
        process = subprocess.Popen(
            argv, stdin=subprocess.PIPE, stdout=follower, stderr=follower, cwd=TOP, env=env
        )
        os.close(follower)
        try:
            process.communicate(stdin, timeout=60)
        finally:
            process.kill()
            process.wait()
        reader.join(timeout=10)
    finally:
        os.close(leader)
    text = b"".join(chunks).decode().replace("\r\n", "\n")
    return Result(process.returncode, text, "")
