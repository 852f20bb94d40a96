"""The problem table: one row per ``Problem`` or ``Failure``, in output order. It is what
``ixrules lint --output FILE.parquet`` writes (with either engine) and the rows of
``ixrules.bulk.lint_bag``'s DataFrame, so the two are the same table.

A ``Failure`` (a malformed line, an unreadable file) is a row too, flagged ``failure``: its
``message`` is the reason, ``rule``, ``path`` and ``endpoint`` are empty, ``status`` is null.
``status`` is null for a warning and a note too: the API does not refuse the body for them.

Needs pyarrow (the ``dask`` extra); imported only when a table is asked for.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any

from ..outfiles import replacing
from .problems import Failure, Outcome

if TYPE_CHECKING:
    import pandas
    import pyarrow

#: The columns, in order.
COLUMNS = (
    "file",
    "line",
    "column",
    "endpoint",
    "path",
    "rule",
    "severity",
    "message",
    "status",
    "hint",
    "failure",
)


def record(outcome: Outcome) -> dict[str, Any]:
    """One row.

    >>> from ixrules.lint.problems import Problem
    >>> record(Failure("a.jsonl", "not valid JSON: Expecting value", 3, 1))["failure"]
    True
    >>> row = record(Problem("a.json", 4, 17, "Date is not valid", "/invoice/date",
    ...                      "document.date.valid", "invoices.create"))
    >>> row["severity"], row["status"], row["failure"]
    ('error', 422, False)
    """
    if isinstance(outcome, Failure):
        return {
            "file": outcome.file,
            "line": outcome.line,
            "column": outcome.column,
            "endpoint": "",
            "path": "",
            "rule": "",
            "severity": "error",
            "message": outcome.reason,
            "status": None,
            "hint": None,
            "failure": True,
        }
    return {
        "file": outcome.file,
        "line": outcome.line,
        "column": outcome.column,
        "endpoint": outcome.endpoint,
        "path": outcome.path,
        "rule": outcome.rule,
        "severity": outcome.severity,
        "message": outcome.message,
        "status": outcome.status,
        "hint": outcome.hint,
        "failure": False,
    }


def schema() -> pyarrow.Schema:
    """The table's Arrow schema (line and column are null for a failure of a whole file)."""
    import pyarrow as pa

    types = {"line": pa.int64(), "column": pa.int64(), "status": pa.int64()}
    types["failure"] = pa.bool_()
    return pa.schema(
        [
            pa.field(name, types.get(name, pa.string()), nullable=name not in _REQUIRED)
            for name in COLUMNS
        ]
    )


_REQUIRED = frozenset({"file", "endpoint", "path", "rule", "severity", "message", "failure"})


def arrow(outcomes: Iterable[Outcome]) -> pyarrow.Table:
    """The outcomes as an Arrow table."""
    import pyarrow as pa

    return pa.Table.from_pylist([record(outcome) for outcome in outcomes], schema=schema())


def frame(outcomes: Iterable[Outcome]) -> pandas.DataFrame:
    """The outcomes as a pandas DataFrame with Arrow-backed columns (nullable integers)."""
    import pandas as pd

    return arrow(outcomes).to_pandas(types_mapper=pd.ArrowDtype)


#: Rows a row group of the Parquet file holds: what :func:`parquet_writer` buffers at most.
ROW_GROUP = 4096


@contextlib.contextmanager
def parquet_writer(path: str, rows: int = ROW_GROUP) -> Iterator[Callable[[Outcome], None]]:
    """A function to call with each outcome in turn, writing the table to the Parquet file
    ``path`` as the run goes, a row group of ``rows`` rows at a time, so that memory does not
    grow with the number of rows. The file is made as :func:`ixrules.outfiles.replacing` makes
    it (a link at ``path`` is replaced, never written through) and appears at ``path`` only
    when the block ends without an exception."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    held: list[dict[str, Any]] = []
    layout = schema()
    with replacing(path) as handle:
        writer = pq.ParquetWriter(handle, layout)
        try:

            def flush() -> None:
                writer.write_table(pa.Table.from_pylist(held, schema=layout))
                held.clear()

            def add(outcome: Outcome) -> None:
                held.append(record(outcome))
                if len(held) >= rows:
                    flush()

            yield add
            if held:
                flush()
        finally:
            writer.close()


def write_parquet(outcomes: Iterable[Outcome], path: str) -> None:
    """Write the table to a Parquet file (see :func:`parquet_writer`)."""
    with parquet_writer(path) as add:
        for outcome in outcomes:
            add(outcome)
