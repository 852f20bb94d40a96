"""ixrules against the alternatives, in one process, on the same bodies; and the costs around a
call (compiling the rules, importing the package, the command line). Prints one markdown report.

    tox -e bench                  # or: python bench/run.py [--quick]

Times are medians of repeated timeit runs (each run long enough to be measured, garbage
collection off as timeit does it); the ratios compare medians taken in this one process.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import timeit
from collections.abc import Callable, Sequence
from importlib.metadata import version
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from alternatives import cerberus_validator, jsonschema_validator  # noqa: E402
from bodies import CASES, invoice, invoice_with_errors  # noqa: E402

import ixrules  # noqa: E402
from ixrules.api import Rules, rules_dir  # noqa: E402
from ixrules.loader import load_rule_dir  # noqa: E402

TARGETS = {
    "validate / hand-written Cerberus, 10-line invoice (valid and 5 errors)": "<= 0.5x",
    "validate / jsonschema, valid 10-line invoice": "<= 1.0x",
    "200-line invoice / 10-line invoice": "<= 25x",
    "import ixrules": "< 60 ms",
    "ixrules --version": "< 150 ms",
    "JSON Lines, --jobs 2 speed-up over --jobs 1": ">= 1.7x",
}


def per_call(fns: Sequence[Callable[[Any], Any]], arg: Any, repeat: int) -> list[float]:
    """Median seconds per call of each ``fn(arg)``. The functions take turns, one timed run
    each per round, so a change in the machine's load touches them alike."""
    timers = [timeit.Timer(lambda fn=fn: fn(arg)) for fn in fns]
    numbers = [max(1, timer.autorange()[0] // 4) for timer in timers]  # ~0.05 s a run
    runs: list[list[float]] = [[] for _ in fns]
    for _ in range(repeat):
        for timer, number, times in zip(timers, numbers, runs, strict=True):
            times.append(timer.timeit(number) / number)
    return [statistics.median(times) for times in runs]


def wall(argv: Sequence[str], runs: int, **kwargs: Any) -> float:
    """Median wall seconds of running ``argv`` to completion."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(argv, check=False, **kwargs)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def peak_rss(argv: Sequence[str]) -> tuple[float, int]:
    """Wall seconds and the peak resident memory (KiB) of the largest process of one run."""
    probe = (
        "import resource, subprocess, sys, time\n"
        "start = time.perf_counter()\n"
        "subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)\n"
        "print(time.perf_counter() - start, "
        "resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe, *argv], capture_output=True, text=True, check=True
    ).stdout.split()
    return float(out[0]), int(out[1])


def ms(seconds: float | None) -> str:
    return "n/a" if seconds is None else f"{seconds * 1000:.1f} ms"


def us(seconds: float | None) -> str:
    return "n/a" if seconds is None else f"{seconds * 1e6:,.0f} µs"


def ratio(a: float | None, b: float | None) -> str:
    return "n/a" if a is None or b is None else f"{a / b:.2f}x"


def machine() -> list[str]:
    cpu = platform.processor() or "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return [
        f"- CPU: {cpu}, {os.cpu_count()} cores; {platform.platform()}",
        f"- Python {platform.python_version()} ({platform.python_implementation()}); "
        f"ixrules {ixrules.__version__}, Cerberus {version('cerberus')}, "
        f"jsonschema {version('jsonschema')}",
        f"- load average when the run ended: {' '.join(f'{x:.2f}' for x in os.getloadavg())}",
    ]


# --- validate against the alternatives ----------------------------------------------------


def validators(repeat: int) -> tuple[list[str], dict[str, float | None]]:
    fast = ixrules.validate
    reference = Rules.load(executor="cerberus")
    known = set(ixrules.endpoints())
    rows = [
        "| case | ixrules | hand-written Cerberus | jsonschema | ixrules / Cerberus "
        "| ixrules / jsonschema | ixrules on its Cerberus executor |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    medians: dict[str, float | None] = {}
    notes = []
    for case, (body, endpoint, schema, has_errors) in CASES.items():
        cerberus, jsonschema = cerberus_validator(schema), jsonschema_validator(schema)
        ours = ref = None
        for name, fn in (("Cerberus", cerberus), ("jsonschema", jsonschema)):
            result = fn(body)
            found = result is not True and bool(result)
            if found != has_errors:
                notes.append(f"- note: {name} {'found' if found else 'missed'} issues in {case}")
        if endpoint in known:
            found = not fast(body, endpoint).ok
            if found != has_errors:
                notes.append(f"- note: ixrules {'found' if found else 'missed'} issues in {case}")
            ours, theirs, js, ref = per_call(
                [
                    lambda b, e=endpoint: fast(b, e),
                    cerberus,
                    jsonschema,
                    lambda b, e=endpoint: reference.validate(b, e),
                ],
                body,
                repeat,
            )
        else:
            theirs, js = per_call([cerberus, jsonschema], body, repeat)
        medians[case] = ours
        rows.append(
            f"| {case} | {us(ours)} | {us(theirs)} | {us(js)} | {ratio(ours, theirs)} "
            f"| {ratio(ours, js)} | {us(ref)} |"
        )
        medians[f"{case}/cerberus"], medians[f"{case}/jsonschema"] = theirs, js
    return rows + (["", *notes] if notes else []), medians


# --- compiling, importing, the command line -----------------------------------------------


def compile_times(runs: int) -> list[str]:
    directory = rules_dir()
    loads, compiles, checks = [], [], []
    for _ in range(runs):
        start = time.perf_counter()
        ruleset = load_rule_dir(directory)
        loaded = time.perf_counter()
        rules = Rules(ruleset)
        compiled = time.perf_counter()
        rules.schema("invoices.create")  # Cerberus checks every compiled schema, once
        loads.append(loaded - start)
        compiles.append(compiled - loaded)
        checks.append(time.perf_counter() - compiled)
    first = subprocess.run(
        [
            sys.executable,
            "-c",
            "import time; start = time.perf_counter(); import ixrules; "
            "ixrules.validate({'invoice': {}}, 'invoices.update'); "
            "print(time.perf_counter() - start)",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return [
        f"- rule files read and checked (YAML -> model, {len(ruleset.endpoints)} endpoints, "
        f"{len(ruleset.rules)} rules): {ms(statistics.median(loads))}",
        f"- compiled (program trees and Cerberus schemas): {ms(statistics.median(compiles))}",
        f"- Cerberus' check of the compiled schemas (on first `Rules.schema()` or "
        f"`executor='cerberus'` only; Cerberus already imported): {ms(statistics.median(checks))}",
        f"- first `validate` in a fresh process (imports + load + compile + call): "
        f"{ms(float(first))}",
    ]


def import_times(runs: int) -> tuple[list[str], float, float]:
    cumulative = []
    for _ in range(runs):
        err = subprocess.run(
            [sys.executable, "-X", "importtime", "-c", "import ixrules"],
            capture_output=True,
            text=True,
            check=True,
        ).stderr
        line = [row for row in err.splitlines() if row.rstrip().endswith("| ixrules")][-1]
        cumulative.append(int(line.split("|")[1]) / 1e6)
    bare = wall([sys.executable, "-c", "pass"], runs)
    loaded = wall([sys.executable, "-c", "import ixrules"], runs)
    importtime = statistics.median(cumulative)
    lines = [
        f"- `python -X importtime -c 'import ixrules'`: {ms(importtime)} (cumulative)",
        f"- wall, `python -c 'import ixrules'`: {ms(loaded)} "
        f"(the bare interpreter, `python -c pass`: {ms(bare)})",
    ]
    return lines, importtime, loaded


def command() -> list[str]:
    script = shutil.which("ixrules", path=str(Path(sys.executable).parent))
    return [script] if script else [sys.executable, "-m", "ixrules"]


def cli_times(runs: int, bodies: int, big_runs: int) -> tuple[list[str], float, str | None]:
    cli = command()
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    version_wall = wall([*cli, "--version"], runs, **quiet)
    lines = [f"- `ixrules --version`: {ms(version_wall)}"]
    lint_help = subprocess.run([*cli, "lint", "--help"], capture_output=True, text=True).stdout
    extra = ["--no-progress"] if "--no-progress" in lint_help else []
    with tempfile.TemporaryDirectory() as tmp:
        one = Path(tmp) / "invoice.json"
        one.write_text(json.dumps(invoice(10)))
        lines.append(
            f"- `ixrules lint` one file (valid 10-line invoice): "
            f"{ms(wall([*cli, 'lint', *extra, str(one)], runs, **quiet))}"
        )
        if not re.search(r"--jobs\b", lint_help):
            lines.append("- JSON Lines, --jobs 1 / --jobs 2: n/a (`ixrules lint` has no --jobs)")
            return lines, version_wall, None
        many = Path(tmp) / "bodies.jsonl"
        write_jsonl(many, bodies)
        size = many.stat().st_size / 1e6
        engines = {"--jobs 1": ["--jobs", "1"], "--jobs 2": ["--jobs", "2"]}
        if re.search(r"--dask\b", lint_help) and _has("distributed"):
            engines["--dask local"] = ["--dask", "local"]  # a LocalCluster, one worker a core
        measured: dict[str, list[tuple[float, int]]] = {name: [] for name in engines}
        headrooms = []
        for _ in range(big_runs):  # rounds: each engine, then the machine's headroom
            for name, runs_here in measured.items():
                argv = [*cli, "lint", *engines[name], *extra, str(many)]
                runs_here.append(peak_rss(argv))
            headrooms.append(parallel_headroom())
        results = {}
        for name, runs_here in measured.items():
            seconds = statistics.median(run[0] for run in runs_here)
            rss = max(run[1] for run in runs_here)
            results[name] = seconds
            lines.append(
                f"- `ixrules lint {name}` on {bodies:,} JSON Lines bodies ({size:.0f} MB, "
                f"1 in 100 with 5 errors): {seconds:.2f} s, {bodies / seconds:,.0f} bodies/s, "
                f"peak RSS of the largest process {rss / 1024:.0f} MiB"
            )
        speedup = results["--jobs 1"] / results["--jobs 2"]
        headroom = f"{min(headrooms):.2f}x to {max(headrooms):.2f}x"
        lines.append(
            f"- --jobs 2 speed-up over --jobs 1: {speedup:.2f}x (what two processes of pure "
            f"Python gained on this machine between the rounds: {headroom})"
        )
        if "--dask local" in results:
            lines.append(
                f"- --dask local speed-up over --jobs 1: "
                f"{results['--jobs 1'] / results['--dask local']:.2f}x (over --jobs 2: "
                f"{results['--jobs 2'] / results['--dask local']:.2f}x; it includes starting "
                f"the cluster)"
            )
        small = max(1, bodies // 10)
        write_jsonl(many, small)
        _, rss_small = peak_rss([*cli, "lint", "--jobs", "1", *extra, str(many)])
        lines.append(
            f"- memory: peak RSS with {small:,} bodies (--jobs 1): {rss_small / 1024:.0f} MiB"
        )
    return lines, version_wall, f"{speedup:.2f}x (two processes gained {headroom} meanwhile)"


def _has(module: str) -> bool:
    from importlib.util import find_spec

    return find_spec(module) is not None


def _spin(count: int) -> float:
    start = time.perf_counter()
    total = 0
    for index in range(count):
        total += index
    return time.perf_counter() - start


def parallel_headroom() -> float:
    """How much faster two processes get through twice the work than one process gets through
    it once, right now: about 2 on an idle 2-core machine, less when other work shares it. The
    ceiling for any ``--jobs 2`` speed-up measured in the same minute."""
    from concurrent.futures import ProcessPoolExecutor

    count = 5_000_000
    with ProcessPoolExecutor(max_workers=2) as pool:
        list(pool.map(_spin, [1000, 1000]))  # start both workers before timing
        start = time.perf_counter()
        list(pool.map(_spin, [count]))
        one = time.perf_counter() - start
        start = time.perf_counter()
        list(pool.map(_spin, [count, count]))
        two = time.perf_counter() - start
    return 2 * one / two


def write_jsonl(path: Path, count: int) -> None:
    good, bad = json.dumps(invoice(10)), json.dumps(invoice_with_errors())
    with path.open("w", encoding="utf-8") as out:
        for index in range(count):
            out.write(bad if index % 100 == 99 else good)
            out.write("\n")


# --- the report ---------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats, 10,000 JSON Lines")
    parser.add_argument("--jsonl", type=int, help="how many JSON Lines bodies (100,000)")
    parser.add_argument("--no-cli", action="store_true", help="skip the command-line timings")
    args = parser.parse_args(argv)
    repeat = 5 if args.quick else 15
    bodies = args.jsonl or (10_000 if args.quick else 100_000)

    print("## validate: median time per call\n")
    rows, medians = validators(repeat)
    print("\n".join(rows))
    small, large = medians["invoice, 10 lines, valid"], medians["invoice, 200 lines, valid"]
    print(f"\n- 200-line invoice / 10-line invoice (ixrules): {ratio(large, small)}")
    print("\n## Around a call\n")
    print("\n".join(compile_times(repeat)))
    lines, importtime, import_wall = import_times(repeat * 2)
    print("\n".join(lines))
    version_wall: float | None = None
    speedup: str | None = None
    if not args.no_cli:
        cli_lines, version_wall, speedup = cli_times(repeat, bodies, 1 if args.quick else 3)
        print("\n".join(cli_lines))

    valid, invalid = "invoice, 10 lines, valid", "invoice, 10 lines, 5 errors"
    measured = [
        f"{ratio(medians[valid], medians[valid + '/cerberus'])} and "
        f"{ratio(medians[invalid], medians[invalid + '/cerberus'])}",
        ratio(medians[valid], medians[valid + "/jsonschema"]),
        ratio(large, small),
        f"{ms(importtime)} importtime, {ms(import_wall)} wall",
        ms(version_wall),
        speedup or "n/a",
    ]
    print("\n## Targets\n")
    print("| target | wanted | measured |\n|---|---|---|")
    for (target, wanted), got in zip(TARGETS.items(), measured, strict=True):
        print(f"| {target} | {wanted} | {got} |")
    print("\n## Machine\n")
    print("\n".join(machine()))
    print(f"- command: `{' '.join(['python', 'bench/run.py', *(argv or sys.argv[1:])])}`")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
