"""``ixrules.bulk`` and ``ixrules lint --dask`` on a 2-worker ``LocalCluster`` (processes): the
problem table equals the local lint's (the example files, 10 generated files x 2,000 lines with
errors scattered, a bag, malformed lines), survives a worker killed mid-run, and the command
prints byte for byte what the local run prints, in every format, with ``--output`` tables equal.

One cluster serves the whole module; the test that kills a worker runs last.
"""

from __future__ import annotations

import io
import json
import os
import random
import re
import time
import tracemalloc
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import dask.bag
import pandas
import pyarrow.parquet
import pytest
from cli_runner import TOP, Result, Run, run_all
from distributed import Client, LocalCluster

from ixrules import EndpointError
from ixrules.bulk import lint_bag
from ixrules.cli import cluster
from ixrules.lint import sources, table
from ixrules.lint.checker import Settings, check_batch
from ixrules.lint.problems import Failure, Outcome

#: A Dask cluster of processes, and files of thousands of lines: the slow tests (CI runs them).
pytestmark = pytest.mark.slow

F = "tests/fixtures/cli"
EXAMPLES = [
    "examples/invoice.json",
    "examples/requests.jsonl",
    f"{F}/export.jsonl",
    f"{F}/bom.json",
    f"{F}/nan.json",
    f"{F}/duplicate.json",
    f"{F}/payloads/**/*.json",  # recursive: payloads/ and payloads/nested/
    f"{F}/missing.jsonl",
    f"{F}/*.nothing",
]
FILES, LINES = 10, 2_000
BLOCK = 32 << 10  # about ten blocks a generated file: line numbers must add up across them

VALID = {
    "invoice": {
        "date": "03/12/2017",
        "due_date": "04/12/2017",
        "client": {"name": "Pão & Cª", "code": "A1"},
        "items": [{"name": "Pen", "unit_price": "1.5", "quantity": 2}],
    }
}
LATE = json.dumps({"invoice": {**VALID["invoice"], "due_date": "02/12/2017"}}).encode()
SCATTERED = [
    '{"invoice": {"items": [{"unit": "kg"}]}}',
    '{"quote": {"retention": 97}}',
    '{"shipping": {"loaded_at": "01/12/2017 10:00:00"}}',
    '{"invoice": {"date": "31/02/2017", "client": {"name": "Zé", "country": "Germani"}}}',
    '{"invoice": ',
    "[1, 2]",
    '{"invoice": {"date": NaN}}',
    "",
]


def generated(directory: Path) -> list[str]:
    """Ten JSON Lines files, mostly valid bodies, one line in twenty of a kind in SCATTERED."""
    chance = random.Random(16)
    paths = []
    for number in range(FILES):
        path = directory / f"part-{number:02}.jsonl"
        lines = [
            chance.choice(SCATTERED) if chance.random() < 0.05 else json.dumps(VALID)
            for _ in range(LINES)
        ]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        paths.append(str(path))
    return paths


def local(paths: Sequence[str], settings: Settings | None = None) -> list[Outcome]:
    """What ``ixrules lint`` finds, in its order, from the local engine's own functions."""
    found = sources.expand(paths)
    return [
        outcome
        for items, _ in sources.batches(found, io.BytesIO())
        for outcome in check_batch(items, settings or Settings()).outcomes
    ]


def assert_same_table(got: pandas.DataFrame, outcomes: Sequence[Outcome]) -> None:
    pandas.testing.assert_frame_equal(got.reset_index(drop=True), table.frame(outcomes))


@pytest.fixture(scope="module")
def client() -> Iterator[Client]:
    with (
        LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            dashboard_address=":0",
            scheduler_kwargs={"dashboard": False},
        ) as cluster,
        Client(cluster) as connected,
    ):
        yield connected


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    return generated(tmp_path_factory.mktemp("bulk"))


@pytest.fixture(scope="module")
def expected(files: list[str]) -> list[Outcome]:
    return local(files)


def test_the_generated_set_has_problems_and_failures_everywhere(expected: list[Outcome]) -> None:
    assert len({outcome.file for outcome in expected}) == FILES
    assert sum(isinstance(outcome, Failure) for outcome in expected) > 100
    assert max(outcome.line or 0 for outcome in expected) > LINES - 100


def test_the_example_files_give_the_local_table(client: Client) -> None:
    os.chdir(TOP)  # the names are relative, as given
    assert_same_table(lint_bag(EXAMPLES).compute(), local(EXAMPLES))


def test_the_generated_files_give_the_local_table(
    client: Client, files: list[str], expected: list[Outcome]
) -> None:
    assert_same_table(lint_bag(files, blocksize=BLOCK).compute(), expected)


def test_a_bag_of_lines_with_their_paths(
    client: Client, files: list[str], expected: list[Outcome]
) -> None:
    bag = dask.bag.read_text(files[:3], include_path=True, blocksize=BLOCK)
    assert bag.npartitions > 3
    assert_same_table(lint_bag(bag).compute(), local(files[:3]))


def test_a_bag_of_plain_lines_is_named_bag(client: Client) -> None:
    bag = dask.bag.from_sequence(['{"quote": {"retention": 97}}', "{", "[]"], npartitions=2)
    got = lint_bag(bag).compute()
    assert got[["file", "line", "column", "rule", "message", "failure"]].values.tolist() == [
        ["<bag>", 1, 11, "document.client.required", "Client can't be blank", False],
        ["<bag>", 1, 11, "document.items.required", "Document should have at least one item",
         False],
        ["<bag>", 2, 2, "", "not valid JSON: Expecting property name enclosed in double quotes",
         True],
        ["<bag>", 3, 1, "", "cannot validate: the body must be a JSON object, not an array", True],
    ]  # fmt: skip


def test_malformed_lines_are_rows_not_failed_tasks(client: Client, tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_bytes(b'{"invoice": \n\n{"a": NaN}\n\xff\n[]\n' + LATE + b"\n")
    got = lint_bag([str(path)]).compute()
    assert_same_table(got, local([str(path)]))
    rows = got[["line", "column", "message", "failure"]].values.tolist()
    assert rows == [
        [1, 14, "not valid JSON: Expecting value", True],
        [3, 7, "not valid JSON: NaN is not a JSON value", True],
        [4, 1, "not UTF-8 text: byte 0xff", True],
        [5, 1, "cannot validate: the body must be a JSON object, not an array", True],
        [6, 48, "Due date must be later than date", False],
    ]


def test_endpoint_and_context_as_the_command_takes_them(client: Client) -> None:
    os.chdir(TOP)
    context = json.loads((TOP / F / "context.json").read_text())
    paths = [f"{F}/mb-reference.json"]
    got = lint_bag(paths, endpoint="invoices.update", context=context).compute()
    assert len(got) == 1
    assert_same_table(got, local(paths, Settings("invoices.update", context)))


def test_an_unknown_endpoint_fails_before_any_task() -> None:
    with pytest.raises(EndpointError) as raised:
        lint_bag(["examples/requests.jsonl"], endpoint="invoices.craete")
    assert str(raised.value) == (
        "unknown endpoint 'invoices.craete'; did you mean invoices.create, invoices.get, "
        "invoices.update?"
    )


# --- the command line ----------------------------------------------------------------------

FORMATS = ("text", "json", "github", "sarif")


@pytest.fixture(scope="module")
def ran(
    client: Client, files: list[str], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Result]:
    address = client.scheduler.address
    tmp = tmp_path_factory.mktemp("cli")
    paths = [f"{F}/export.jsonl", f"{F}/invoice.json", f"{F}/payloads", f"{F}/missing.json",
             "examples"]  # fmt: skip
    runs = {}
    for engine, extra in (("local", []), ("dask", ["--dask", address])):
        for fmt in FORMATS:
            # the text runs also write the table, and check a file of several blocks
            text = fmt == "text"
            output = ["--output", str(tmp / f"{engine}.parquet")] if text else []
            more = [files[0]] if text else []
            runs[f"{engine}-{fmt}"] = Run(["lint", *extra, "-f", fmt, *output, *paths, *more])
        runs[f"{engine}-stdin"] = Run(["lint", *extra, "--stdin-filename", "in.jsonl", "-"],
                                      stdin=(TOP / F / "export.jsonl").read_bytes())  # fmt: skip
        runs[f"{engine}-tty"] = Run(["lint", *extra, f"{F}/invoice.json"], tty=True)
        # a file and stdin shown under the same name: each keeps its own line numbers
        runs[f"{engine}-twice"] = Run(["lint", *extra, "--stdin-filename", f"{F}/export.jsonl",
                                       f"{F}/export.jsonl", "-"],
                                      stdin=(TOP / F / "export.jsonl").read_bytes())  # fmt: skip
    runs["dask-tty-long"] = Run(["lint", "--dask", address, *files], tty=True)  # > 0.5 s
    bounded = bounded_files(tmp / "bounded")
    for engine, extra in (("local", []), ("dask", ["--dask", address])):
        runs[f"{engine}-bounded"] = Run(["lint", *extra, "--max-bytes", "1K", bounded])
    runs["dask-rules"] = Run(["lint", "--dask", address, "--rules", "rules", f"{F}/invoice.json"])
    runs["local-rules"] = Run(["lint", "--rules", "rules", f"{F}/invoice.json"])
    runs["dask-local"] = Run(["lint", "--dask", "local", f"{F}/export.jsonl"])
    runs["local-small"] = Run(["lint", f"{F}/export.jsonl"])
    runs["no-progress"] = Run(["lint", "--dask", address, "--no-progress", f"{F}/invoice.json"],
                              tty=True)  # fmt: skip
    runs["jobs"] = Run(["lint", "--dask", address, "--jobs", "2", f"{F}/invoice.json"])
    runs["csv"] = Run(["lint", "--output", str(tmp / "p.csv"), f"{F}/invoice.json"])
    runs["unreachable"] = Run(
        ["lint", "--dask", "tcp://127.0.0.1:9", f"{F}/invoice.json"],
        env={"DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT": "1s"},
    )
    results = run_all(runs)
    for engine in ("local", "dask"):
        results[f"{engine}.parquet"] = Result(0, str(tmp / f"{engine}.parquet"), "")
    return results


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_command_prints_what_the_local_run_prints(ran: dict[str, Result], fmt: str) -> None:
    here, there = ran[f"local-{fmt}"], ran[f"dask-{fmt}"]
    assert here.code == 2 and "missing.json: error: no such file or directory" in here.err
    assert "Found" in here.out if fmt == "text" else here.out
    assert (there.code, there.out, there.err) == (here.code, here.out, here.err)


def test_output_writes_the_same_table_with_either_engine(ran: dict[str, Result]) -> None:
    here = pyarrow.parquet.read_table(ran["local.parquet"].out)
    there = pyarrow.parquet.read_table(ran["dask.parquet"].out)
    assert here.schema.names == list(table.COLUMNS)
    assert here.num_rows > 50 and here.equals(there)


def test_stdin_is_sent_to_the_cluster(ran: dict[str, Result]) -> None:
    here, there = ran["local-stdin"], ran["dask-stdin"]
    assert "in.jsonl:4:20: Date is not valid [document.date.valid]" in here.out
    assert (there.code, there.out, there.err) == (here.code, here.out, here.err)


def bounded_files(directory: Path) -> str:
    """A file of one body and a JSON Lines line, each over 1 KiB, among bodies under it."""
    directory.mkdir()
    late = json.dumps({"invoice": {"date": "31/02/2017"}})
    long = json.dumps({"invoice": {"observations": "y" * 2000}})
    (directory / "big.json").write_text(long, encoding="utf-8")
    (directory / "small.json").write_text(late, encoding="utf-8")
    lines = [late, json.dumps(VALID), long, late, late]
    (directory / "long.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(directory)


def test_dask_honours_the_read_bounds_of_the_local_run(ran: dict[str, Result]) -> None:
    """Issue 27 item 12: --max-bytes held for a file of one body and for a JSON Lines line, and
    nothing read after a line too long (--dask read whole files and blocks unbounded)."""
    here, there = ran["local-bounded"], ran["dask-bounded"]
    folder = ran["local-bounded"].err.split("big.json", 1)[0]
    assert here.err == (
        f"{folder}big.json: error: larger than 1,024 bytes (see --max-bytes)\n"
        f"{folder}long.jsonl:3: error: line longer than 1,024 bytes (see --max-bytes); the rest "
        "of the file is not read\n"
    )
    assert ":4:" not in here.out and "small.json:1:22: Date is not valid" in here.out
    assert (there.code, there.out, there.err) == (here.code, here.out, here.err)


def test_a_name_shown_twice_keeps_two_line_counts(ran: dict[str, Result]) -> None:
    here, there = ran["local-twice"], ran["dask-twice"]
    assert here.out.count(f"{F}/export.jsonl:4:20: Date is not valid") == 2
    assert (there.code, there.out, there.err) == (here.code, here.out, here.err)


def test_rule_files_of_a_directory_are_read_on_the_workers(ran: dict[str, Result]) -> None:
    here, there = ran["local-rules"], ran["dask-rules"]
    assert here.code == 1 and here.out.endswith("Found 5 problems in 1 file; 1 file checked.\n")
    assert (there.code, there.out, there.err) == (here.code, here.out, here.err)


def test_a_local_cluster_of_this_machine(ran: dict[str, Result]) -> None:
    here, there = ran["local-small"], ran["dask-local"]
    assert (there.code, there.out, there.err) == (here.code, here.out, here.err)


def unbarred(shown: str) -> str:
    """A terminal's text without progress bars (Dask's or the local one) and their erasing."""
    return re.sub(r"\r\[[^\]\n]*\][^\r\n\x1b]*|\x1b\[2K\r|\r\x1b\[K", "", shown)


#: The local run's progress bar, which --dask draws too (Dask's own would need every task
#: submitted at once, and the results held until the end).
BAR = re.compile(r"\r\[[=> ]{30}\] +\d+%  [\d,]+ bodies")


def test_the_progress_bar_on_a_terminal_after_half_a_second(ran: dict[str, Result]) -> None:
    long = ran["dask-tty-long"].out
    assert BAR.search(long) and "\r\x1b[K" in long  # drawn, then erased
    tail = "bodies checked in 10 files, 370 failures.\x1b[0m"  # the report after it
    assert long.rstrip("\n").endswith(tail)
    # a short run: no bar at all on an idle machine (on a busy one, either run may pass 0.5 s)
    assert unbarred(ran["dask-tty"].out) == unbarred(ran["local-tty"].out)
    assert not BAR.search(ran["no-progress"].out)
    assert not BAR.search(ran["dask-text"].err)


def test_bad_options_are_one_line_and_exit_2(ran: dict[str, Result]) -> None:
    assert (ran["jobs"].code, ran["jobs"].out) == (2, "")
    assert ran["jobs"].err == ("ixrules: error: --jobs and --dask exclude each other\n")
    assert ran["csv"].err.startswith("ixrules: error: --output: only Parquet is written")
    assert ran["unreachable"].code == 2
    assert ran["unreachable"].err.startswith(
        "ixrules: error: cannot reach the Dask scheduler at tcp://127.0.0.1:9: "
    )
    assert ran["unreachable"].err.count("\n") == 1


# --- what is sent, what is held (issue 27 items 12 and 15) --------------------------------

#: How many times a ``Snapshot`` was unpickled in this process (on a worker: sent to it).
UNPICKLED = [0]


def rebuilt(items: dict[str, Any]) -> Snapshot:
    UNPICKLED[0] += 1
    return Snapshot(items)


class Snapshot(dict[str, Any]):
    """A context snapshot that counts how many times it is unpickled, where it is."""

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        return rebuilt, (dict(self),)


def unpickled() -> int:
    """This process's count, then zero."""
    count, UNPICKLED[0] = UNPICKLED[0], 0
    return count


def test_the_context_is_sent_to_each_worker_once(client: Client, tmp_path: Path) -> None:
    """Issue 27 item 12: a task carried the settings (a 60 MB context: 1.7 GB and 68.6 s)."""
    for number in range(24):
        (tmp_path / f"{number:02}.json").write_bytes(LATE)
    context = Snapshot({"account": {"mb_payment_provider": False}})
    settings = Settings(context=context)
    found = sources.expand([str(tmp_path)])
    client.run(unpickled)
    with cluster.lint(client.scheduler.address, found, settings, io.BytesIO()) as outcomes:
        assert list(outcomes) == local([str(tmp_path)], settings)
    sent = client.run(unpickled)
    assert len(sent) == 2 and per_worker(sent), sent  # 24 tasks, 2 workers
    paths = sorted(str(path) for path in tmp_path.iterdir())
    table = client.compute(lint_bag(paths, context=context)).result()
    assert_same_table(table, local(paths, settings))
    sent = client.run(unpickled)
    assert per_worker(sent), sent


def per_worker(sent: dict[str, int]) -> bool:
    """Each worker got the context once, or twice: Dask's replication retries a copy whose
    answer timed out (``retry_operation`` around the worker's ``gather``), so on a loaded
    machine a worker may receive it again (CI saw ``{A: 2, B: 1}``). Sent with each task, it
    would be a dozen a worker."""
    return max(sent.values()) <= 2


def test_memory_stays_flat_however_many_problems(
    client: Client, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 27 item 15: --dask held every outcome until the end (927 MB for 692,000 problems
    against 85 MB). Blocks and the window made small, so that a few thousand problems are
    in flight while 48,048 go by."""
    monkeypatch.setattr(cluster, "BLOCKSIZE", 16 << 10)
    monkeypatch.setattr(cluster, "IN_FLIGHT_PER_THREAD", 1)
    line = '{"quote": {"items": [' + ",".join(['{"unit":1}'] * 1000) + "]}}\n"
    settings = Settings(endpoint="quotes.update")
    peaks = []
    for lines in (4, 48):
        path = tmp_path / f"{lines}.jsonl"
        path.write_text(line * lines, encoding="utf-8")
        found = sources.expand([str(path)])
        tracemalloc.start()
        try:
            with cluster.lint(client.scheduler.address, found, settings, io.BytesIO()) as run:
                assert sum(1 for _ in run) == lines * 1001
            peaks.append(tracemalloc.get_traced_memory()[1])
        finally:
            tracemalloc.stop()
    assert peaks[1] - peaks[0] < 8 << 20, peaks  # bytes: it held all 48,048 before


# --- last: a worker lost mid-run -----------------------------------------------------------


def test_a_worker_killed_mid_run_is_retried_and_the_table_is_complete(
    client: Client, files: list[str], expected: list[Outcome]
) -> None:
    some = files[:4]
    future = client.compute(lint_bag(some, blocksize=BLOCK // 2))
    deadline = time.monotonic() + 30
    busy: list[str] = []
    while not busy and time.monotonic() < deadline:
        busy = [worker for worker, keys in client.processing().items() if keys]
        time.sleep(0.01)
    assert busy and not future.done()
    client.run(os._exit, 1, workers=busy[:1], on_error="ignore")
    assert_same_table(future.result(timeout=60), [o for o in expected if o.file in some])
    while busy[0] in client.scheduler_info()["workers"] and time.monotonic() < deadline:
        time.sleep(0.05)
    assert busy[0] not in client.scheduler_info()["workers"]  # it did die
