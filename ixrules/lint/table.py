"""The problem table: one row per ``Problem`` or ``Failure``, in output order. It is what
``ixrules lint --output FILE.parquet`` writes (with either engine) and the rows of
``ixrules.bulk.lint_bag``'s DataFrame, so the two are the same table.

A ``Failure`` (a malformed line, an unreadable file) is a row too, flagged ``failure``: its
``message`` is the reason, ``rule``, ``path`` and ``endpoint`` are empty, ``status`` is null.
``status`` is null for a warning and a note too: the API does not refuse the body for them.

Needs pyarrow (the ``dask`` extra); imported only when a table is asked for.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

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


def write_parquet(outcomes: Iterable[Outcome], path: str) -> None:
    """Write the table to a Parquet file."""
    import pyarrow.parquet as pq

    pq.write_table(arrow(outcomes), path)
