"""ixrules against the alternatives, in one process, on the same bodies; and the costs around a
call (compiling the rules, importing the package, the command line). Prints one markdown report.

    tox -e bench                  # or: python bench/run.py [--quick]

Times are medians of repeated timeit runs (each run long enough to be measured, garbage
collection off as timeit does it); the ratios compare medians taken in this one process.
"""

from __future__ import annotations

import argparse
import gc
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

from alternatives import (  # noqa: E402
    cerberus_validator,
    fastjsonschema_validator,
    jsonschema_rs_validator,
    jsonschema_validator,
    msgspec_validator,
    pydantic_validator,
)
from bodies import CASES, invoice, invoice_with_errors  # noqa: E402
from floor import validate as floor_validate  # noqa: E402
from startup import compile_package, startup, startup_rows  # noqa: E402

import ixrules  # noqa: E402
from ixrules.api import Rules, rules_dir  # noqa: E402
from ixrules.ruleformat.builder import load_rule_dir  # noqa: E402

#: Issue 26's "Done when" targets: how the measured ratio must compare with the limit.
TARGETS: dict[str, tuple[str, float]] = {
    "valid 10-line invoice / pydantic v2 (EmailStr)": ("<=", 0.7),
    "valid 10-line invoice / json.loads of its text": ("<=", 3.0),
    "per document line / pydantic v2's per line": ("<=", 1.0),
    "valid 200-line invoice / json.loads of its text": ("<=", 2.0),
    "5-error 10-line invoice / pydantic v2 (EmailStr)": ("<=", 2.0),
    "lint --jobs 1 on JSON Lines / a json.loads-only loop": ("<=", 3.0),
    "JSON Lines, --jobs 2 speed-up over --jobs 1": (">=", 1.7),
    "first validate in a fresh process (rules cached) / python -c pass": ("<=", 3.5),
    "one-file lint / python -c pass": ("<=", 5.5),
}


def verdict(target: str, found: float | None) -> str:
    """``met`` or ``missed`` (by how much), for a target of :data:`TARGETS`."""
    if found is None:
        return "n/a"
    op, limit = TARGETS[target]
    if (found <= limit) if op == "<=" else (found >= limit):
        return "met"
    return f"missed by {abs(found / limit - 1) * 100:.0f} %"


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


#: The alternatives, each built for one of the schemas of bench/alternatives.py (None when its
#: package is not installed: ``tox -e bench`` installs them all).
ALTERNATIVES: dict[str, Callable[[str], Callable[[Any], Any] | None]] = {
    "pydantic v2 (EmailStr)": pydantic_validator,
    "msgspec": msgspec_validator,
    "fastjsonschema": fastjsonschema_validator,
    "jsonschema-rs": jsonschema_rs_validator,
    "hand-written Cerberus": cerberus_validator,
    "jsonschema": jsonschema_validator,
}


#: The pure-Python floor's column (bench/floor.py): invoices.create's rules written out by hand,
#: timed only on the bodies it handles with ixrules' very report (tests/test_floor.py).
FLOOR = "pure-Python floor"


def floor_issues(body: Any, endpoint: str) -> list[tuple[str, str, str, str]]:
    """ixrules' issues of ``body`` as the floor writes them, to check the floor's answer."""
    report = ixrules.validate(body, endpoint)
    return [(i.severity, i.path, i.rule, i.message) for i in report.issues]


def validators(repeat: int) -> tuple[list[str], dict[str, float | None]]:
    fast = ixrules.validate
    reference = Rules.load(executor="cerberus")
    known = set(ixrules.endpoints())
    names = ["json.loads of its text", *ALTERNATIVES, FLOOR]
    rows = [
        "| case | ixrules | " + " | ".join(names) + " | ixrules' Cerberus executor |",
        "|---|" + "---:|" * (len(names) + 2),
    ]
    ratios = [
        "| case | " + " | ".join(f"ixrules / {name}" for name in names) + " |",
        "|---|" + "---:|" * len(names),
    ]
    medians: dict[str, float | None] = {}
    notes = []
    for case, (body, endpoint, schema, has_errors) in CASES.items():
        text = json.dumps(body)
        fns: dict[str, Callable[[Any], Any]] = {
            "json.loads of its text": lambda _, t=text: json.loads(t)
        }
        for name, make in ALTERNATIVES.items():
            fn = make(schema)
            if fn is None:
                notes.append(f"- note: {name} is not installed")
                continue
            result = fn(body)
            found = result is not True and bool(result)
            if found != has_errors:
                notes.append(f"- note: {name} {'found' if found else 'missed'} issues in {case}")
            fns[name] = fn
        if endpoint == "invoices.create":
            answer = floor_validate(body)
            if answer is None or answer != floor_issues(body, endpoint):
                notes.append(f"- note: the floor does not give ixrules' report on {case}")
            else:
                fns[FLOOR] = floor_validate
        if endpoint in known:
            found = not fast(body, endpoint).ok
            if found != has_errors:
                notes.append(f"- note: ixrules {'found' if found else 'missed'} issues in {case}")
            fns["ixrules"] = lambda b, e=endpoint: fast(b, e)
            fns["reference"] = lambda b, e=endpoint: reference.validate(b, e)
        timed = dict(zip(fns, per_call(list(fns.values()), body, repeat), strict=True))
        ours = timed.get("ixrules")
        medians[case] = ours
        for name in names:
            medians[f"{case}/{name}"] = timed.get(name)
        rows.append(
            f"| {case} | {us(ours)} | "
            + " | ".join(us(timed.get(name)) for name in names)
            + f" | {us(timed.get('reference'))} |"
        )
        ratios.append(
            f"| {case} | " + " | ".join(ratio(ours, timed.get(name)) for name in names) + " |"
        )
    return rows + ["", *ratios] + (["", *dict.fromkeys(notes)] if notes else []), medians


def fresh_addresses(repeat: int) -> list[str]:
    """What the e-mail verdict cache saves: the valid 10-line invoice with the same address on
    every call, and with a new address on every call (email-validator asked each time)."""
    body = invoice(10)
    client = body["invoice"]["client"]
    counter = iter(range(10**9))

    def fresh(b: Any) -> Any:
        client["email"] = f"user{next(counter)}@example.com"
        return ixrules.validate(b, "invoices.create")

    def same(b: Any) -> Any:
        client["email"] = "bruce@example.com"
        return ixrules.validate(b, "invoices.create")

    cached, uncached = per_call([same, fresh], body, repeat)
    return [
        f"- e-mail verdicts: valid 10-line invoice {us(cached)} with an address seen before, "
        f"{us(uncached)} with a new address on every call (email-validator's own cost: "
        f"{us(uncached - cached)})"
    ]


# --- compiling, importing, the command line -----------------------------------------------


def compile_times(runs: int) -> tuple[list[str], float]:
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
    probe = (
        "import time; start = time.perf_counter(); import ixrules; "
        "ixrules.validate({'invoice': {}}, 'invoices.update'); "
        "print(time.perf_counter() - start)"
    )
    with tempfile.TemporaryDirectory() as cache:
        env = {**os.environ, "IXRULES_CACHE_DIR": cache}
        env.pop("IXRULES_NO_CACHE", None)
        firsts = [
            float(
                subprocess.run(
                    [sys.executable, "-c", probe],
                    capture_output=True,
                    text=True,
                    check=True,
                    env=env,
                ).stdout
            )
            for _ in range(runs + 1)
        ]
    cold, warm = firsts[0], statistics.median(firsts[1:])
    return [
        f"- rule files read and checked (YAML -> model, {len(ruleset.endpoints)} endpoints, "
        f"{len(ruleset.rules)} rules): {ms(statistics.median(loads))}",
        f"- compiled (program trees and Cerberus schemas): {ms(statistics.median(compiles))}",
        f"- Cerberus' check of the compiled schemas (on first `Rules.schema()` or "
        f"`executor='cerberus'` only; Cerberus already imported): {ms(statistics.median(checks))}",
        f"- first `validate` in a fresh process (imports + rules + the endpoint's code + call): "
        f"{ms(warm)} with the rule cache filled, {ms(cold)} the first time (parsing the YAML)",
    ], warm


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


def cli_times(runs: int, bodies: int, big_runs: int) -> tuple[list[str], dict[str, str]]:
    cli = command()
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    version_wall = wall([*cli, "--version"], runs, **quiet)
    lines = [f"- `ixrules --version`: {ms(version_wall)}"]
    found = {"ixrules --version": ms(version_wall)}
    lint_help = subprocess.run([*cli, "lint", "--help"], capture_output=True, text=True).stdout
    extra = ["--no-progress"] if "--no-progress" in lint_help else []
    with tempfile.TemporaryDirectory() as tmp:
        one = Path(tmp) / "invoice.json"
        one.write_text(json.dumps(invoice(10)))
        one_wall = wall([*cli, "lint", *extra, str(one)], runs, **quiet)
        lines.append(f"- `ixrules lint` one file (valid 10-line invoice): {ms(one_wall)}")
        found["ixrules lint of one small file"] = ms(one_wall)
        if not re.search(r"--jobs\b", lint_help):
            lines.append("- JSON Lines, --jobs 1 / --jobs 2: n/a (`ixrules lint` has no --jobs)")
            return lines, found
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
        loop = statistics.median(
            float(
                subprocess.run(
                    [sys.executable, "-c", LOADS_LOOP, str(many)],
                    capture_output=True,
                    text=True,
                    check=True,
                ).stdout
            )
            for _ in range(3)
        )
        loop_ratio = results["--jobs 1"] / loop
        lines.append(
            f"- a loop that only runs `json.loads` on each line: {loop:.2f} s; "
            f"`ixrules lint --jobs 1` / that loop: {loop_ratio:.2f}x"
        )
        lines.extend(lint_stages(many, bodies))
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
    found["JSON Lines, --jobs 2 speed-up over --jobs 1"] = (
        f"{speedup:.2f}x (two processes gained {headroom} meanwhile)"
    )
    found["lint --jobs 1 on JSON Lines / a json.loads-only loop"] = f"{loop_ratio:.2f}x"
    return lines, found


LOADS_LOOP = (
    "import json, sys, time\n"
    "start = time.perf_counter()\n"
    "with open(sys.argv[1], 'rb') as handle:\n"
    "    for line in handle:\n"
    "        json.loads(line)\n"
    "print(time.perf_counter() - start)\n"
)


def lint_stages(path: Path, bodies: int) -> list[str]:
    """Where ``ixrules lint`` spends its time on a JSON Lines file, stage by stage, in this
    process (one pass each over the same lines; --jobs 1 does all of them in turn)."""
    from ixrules.endpoint_lookup import resolve
    from ixrules.lint.checker import Settings, check_body, parse

    rules = ixrules.api.default_rules()
    settings = Settings()
    gc.disable()  # as timeit does: the parsed bodies kept here would make collections costly
    try:
        return _stages(path, bodies, rules, settings, check_body, parse, resolve)
    finally:
        gc.enable()


def _stages(
    path: Path, bodies: int, rules: Any, settings: Any, check_body: Any, parse: Any, resolve: Any
) -> list[str]:
    start = time.perf_counter()
    lines = path.read_bytes().splitlines()
    read = time.perf_counter() - start
    start = time.perf_counter()
    parsed = [parse("x", line, number)[1] for number, line in enumerate(lines, 1)]
    parsing = time.perf_counter() - start
    start = time.perf_counter()
    for body in parsed:
        resolve(rules.ruleset.endpoints, body, None, rules._compiled.roots)
    resolving = time.perf_counter() - start
    start = time.perf_counter()
    reports = [rules.validate_parsed(body) for body in parsed]  # as the lint calls it
    validating = time.perf_counter() - start
    start = time.perf_counter()
    for number, line in enumerate(lines, 1):
        check_body("x", line, settings, number)
    whole = time.perf_counter() - start
    issues = sum(len(report.issues) for report in reports)
    rows = [
        f"- lint stages on {len(lines):,} bodies ({issues:,} issues), per body: "
        f"reading {us(read / bodies)}, parsing (with orjson where it is installed, as the lint "
        f"does) {us(parsing / bodies)}, "
        f"endpoint inference {us(resolving / bodies)}, validation (inference included) "
        f"{us(validating / bodies)}, positions and problems "
        f"{us(max(0.0, whole - parsing - validating) / bodies)}; check_body in all "
        f"{us(whole / bodies)}"
    ]
    try:
        import orjson
    except ImportError:
        return rows
    start = time.perf_counter()
    fast = [orjson.loads(line) for line in lines]
    orjson_time = time.perf_counter() - start
    same = "identical values" if fast == parsed else "DIFFERENT values"
    rows.append(
        f"- `orjson.loads` alone: {us(orjson_time / bodies)} per body ({same}); the lint's "
        f"parse adds the decode, the blank test and the long-integer guard"
    )
    return rows


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
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)  # every run below: bytecode, as users have it
    compile_package()
    repeat = 5 if args.quick else 15
    bodies = args.jsonl or (10_000 if args.quick else 100_000)

    print("## validate: median time per call\n")
    rows, medians = validators(repeat)
    print("\n".join(rows))
    small, large = medians["invoice, 10 lines, valid"], medians["invoice, 200 lines, valid"]
    print(f"\n- 200-line invoice / 10-line invoice (ixrules): {ratio(large, small)}")
    print("\n".join(fresh_addresses(repeat)))
    print("\n## Around a call\n")
    compile_lines, _ = compile_times(repeat)
    print("\n".join(compile_lines))
    lines, _, _ = import_times(repeat * 2)
    print("\n".join(lines))
    measured: dict[str, str] = {}
    if not args.no_cli:
        cli_lines, measured = cli_times(repeat, bodies, 1 if args.quick else 3)
        print("\n".join(cli_lines))

    valid, invalid = "invoice, 10 lines, valid", "invoice, 10 lines, 5 errors"
    loads, pydantic = "json.loads of its text", "pydantic v2 (EmailStr)"

    def over(a: float | None, b: float | None) -> float | None:
        return None if a is None or b is None else a / b

    def per_line(case: str) -> float | None:
        ten = medians.get(f"{valid}{case}")
        two_hundred = medians.get(f"invoice, 200 lines, valid{case}")
        return None if ten is None or two_hundred is None else (two_hundred - ten) / 190

    found: dict[str, float | None] = {
        "valid 10-line invoice / pydantic v2 (EmailStr)": over(
            medians[valid], medians[f"{valid}/{pydantic}"]
        ),
        "valid 10-line invoice / json.loads of its text": over(
            medians[valid], medians[f"{valid}/{loads}"]
        ),
        "per document line / pydantic v2's per line": over(per_line(""), per_line(f"/{pydantic}")),
        "valid 200-line invoice / json.loads of its text": over(
            large, medians[f"invoice, 200 lines, valid/{loads}"]
        ),
        "5-error 10-line invoice / pydantic v2 (EmailStr)": over(
            medians[invalid], medians[f"{invalid}/{pydantic}"]
        ),
    }
    for target in (
        "lint --jobs 1 on JSON Lines / a json.loads-only loop",
        "JSON Lines, --jobs 2 speed-up over --jobs 1",
    ):
        text = measured.get(target)
        found[target] = float(text.split("x")[0]) if text else None
    start_lines, start_found = startup_rows(startup(repeat, command()))
    print("\n".join(start_lines))
    found.update(start_found)
    print("\n## Targets of issue 26\n")
    print("| target | wanted | measured | verdict |\n|---|---|---|---|")
    for target, (op, limit) in TARGETS.items():
        value = found.get(target)
        shown = "n/a" if value is None else f"{value:.2f}x"
        print(f"| {target} | {op} {limit}x | {shown} | {verdict(target, value)} |")
    floor_10 = medians.get(f"{valid}/{FLOOR}")
    print(
        f"\nThe pure-Python floor (bench/floor.py, same reports): ixrules / floor on the valid "
        f"10-line invoice {ratio(medians[valid], floor_10)}, on the valid 200-line invoice "
        f"{ratio(large, medians.get(f'invoice, 200 lines, valid/{FLOOR}'))}, per document line "
        f"{ratio(per_line(''), per_line(f'/{FLOOR}'))}, on the 5-error invoice "
        f"{ratio(medians[invalid], medians.get(f'{invalid}/{FLOOR}'))}; the floor / pydantic v2 "
        f"(EmailStr) on 10 lines {ratio(floor_10, medians[f'{valid}/{pydantic}'])}, per line "
        f"{ratio(per_line(f'/{FLOOR}'), per_line(f'/{pydantic}'))}"
    )
    print("\n## Machine\n")
    print("\n".join(machine()))
    print(f"- command: `{' '.join(['python', 'bench/run.py', *(argv or sys.argv[1:])])}`")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
