"""Run the ``ixrules`` command: in this process by calling its entry function
(``ixrules.cli.main.main``) with captured standard streams, working directory and environment,
or as the installed script in a subprocess (many at once: each loads the rules), optionally with
stdout and stderr on a pseudo-terminal. Both give the same :class:`Result`.

A run goes to a subprocess when it asks to (``process=True``) or needs one: a terminal, another
program, a time bound of its own (``timeout``: a run that would hang if the command broke can be
stopped only in a process), a variable only a new interpreter reads (``PYTHONPATH``: a plugin's
site), ``--jobs`` other than 1, or ``--dask``. The rest run in this process, one at a time (the
standard streams are the process'), each far cheaper than starting Python and loading the rules
again. tests/test_cli_runner.py runs a case of every command both ways, so the installed script
of each stays covered and the two runners are held to the same results.
"""

from __future__ import annotations

import contextlib
import io
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
    #: a time bound of its own (a run that could hang if broken): a subprocess, which can be
    #: stopped; else 60 seconds for a subprocess
    timeout: float | None = None
    cwd: Path | None = None
    #: True: always a subprocess; False: always in this process; None: a subprocess only
    #: when the run needs one (see the module's docstring)
    process: bool | None = None


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


#: Variables a running interpreter does not read again: a run setting one needs a process.
PROCESS_ONLY_ENV = frozenset({"PYTHONPATH", "PYTHONHOME", "PYTHONSAFEPATH", "PYTHONIOENCODING"})


def needs_process(spec: Run) -> bool:
    """Whether ``spec`` must run as a subprocess (see the module's docstring)."""
    if spec.process is not None:
        return spec.process
    if spec.tty or spec.program is not None or spec.timeout is not None:
        return True
    if PROCESS_ONLY_ENV & set(spec.env):
        return True
    args = list(spec.args)
    for at, arg in enumerate(args):
        if arg == "--dask" or arg.startswith("--dask="):
            return True
        if arg in ("--jobs", "-j"):
            jobs = args[at + 1] if at + 1 < len(args) else ""
        elif arg.startswith("--jobs="):
            jobs = arg.removeprefix("--jobs=")
        elif arg.startswith("-j"):
            jobs = arg.removeprefix("-j")
        else:
            continue
        if jobs != "1":
            return True
    return False


def run(spec: Run) -> Result:
    """Run one invocation from the top of the repository (or ``spec.cwd``)."""
    if not needs_process(spec):
        return run_here(spec)
    return run_process(spec)


class _Kept(io.BytesIO):
    """A byte buffer whose content outlives the text stream wrapped around it."""

    def close(self) -> None:  # a text wrapper closes its buffer when collected
        self.flush()


def run_here(spec: Run) -> Result:
    """Run one invocation in this process: the entry function called with ``spec.args``, and
    stdin, stdout and stderr UTF-8 text streams over bytes (as a subprocess' pipes are, so
    ``sys.stdout.buffer`` works), from ``spec.cwd`` (the top of the repository by default),
    with ``spec.env`` added to the environment and ``NO_COLOR`` removed. Everything is put back
    afterwards, whatever the command did to the streams (``reconfigure``). An exception the
    command lets escape fails the test (a subprocess would exit 1 with a traceback)."""
    import pytest

    from ixrules.cli.main import main

    fresh_caches()
    out, err = _Kept(), _Kept()
    streams = {
        "stdin": io.TextIOWrapper(_Kept(spec.stdin), encoding="utf-8", errors="surrogateescape"),
        "stdout": io.TextIOWrapper(out, encoding="utf-8", errors="surrogateescape"),
        "stderr": io.TextIOWrapper(err, encoding="utf-8", errors="backslashreplace"),
    }
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("NO_COLOR", raising=False)
        for name, value in spec.env.items():
            patch.setenv(name, value)
        patch.chdir(spec.cwd or TOP)
        for name, stream in streams.items():
            patch.setattr(sys, name, stream)
        try:
            code = main(list(spec.args))
        except SystemExit as exc:  # as the interpreter would exit
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        finally:
            for name in ("stdout", "stderr"):
                with contextlib.suppress(ValueError, OSError):
                    getattr(sys, name).flush()
    return Result(code, out.getvalue().decode(), err.getvalue().decode())


def fresh_caches() -> None:
    """Empty what the lint core keeps for the life of a process (rule sets, configurations and
    contexts, by the name the command was given, relative to its working directory): each
    in-process run starts as a fresh process would. The shipped rules (``default_rules``)
    stay loaded: they are the same for every run."""
    module = sys.modules.get("ixrules.lint.checker")
    for value in vars(module).values() if module is not None else ():
        if callable(getattr(value, "cache_clear", None)):
            value.cache_clear()


def run_process(spec: Run, env: Mapping[str, str] | None = None) -> Result:
    """Run one invocation as a subprocess (``env``: its whole environment, else this process'
    with ``spec.env`` added)."""
    argv = [*(spec.program or command()), *spec.args]
    env = dict(env) if env is not None else environment(spec.env)
    if spec.tty:
        return _run_on_tty(argv, env, spec.stdin)
    done = subprocess.run(
        argv,
        input=spec.stdin,
        capture_output=True,
        cwd=spec.cwd or TOP,
        env=env,
        timeout=60 if spec.timeout is None else spec.timeout,
        check=False,
    )
    return Result(done.returncode, done.stdout.decode(), done.stderr.decode())


def run_all(specs: Mapping[str, Run]) -> dict[str, Result]:
    """Every invocation; results by name. Subprocesses run concurrently while the in-process
    runs go one after the other in this thread."""
    with ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2)) as pool:
        futures = {
            # the environment is read now, before an in-process run changes it
            name: pool.submit(run_process, spec, environment(spec.env))
            for name, spec in specs.items()
            if needs_process(spec)
        }
        here = {name: run_here(spec) for name, spec in specs.items() if not needs_process(spec)}
        done = {**here, **{name: future.result() for name, future in futures.items()}}
    return {name: done[name] for name in specs}


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
