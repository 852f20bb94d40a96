"""The mock's state: SQLite (the standard library's), in memory or in a file.

Every record is a row of one table, its attributes a JSON document: a client, an item, a tax, a
sequence, a document (of any type), an account, a client's balance entry. A record with a
unique name (a client's, an item's, a tax's, a sequence's series, a document's
``proprietary_uid``) keeps it folded in ``name_key``, under a unique index, so the database
itself refuses a second one even if two writers raced.

Each request is one transaction (:meth:`Store.transaction`): a per-store lock serializes the
requests of one process, and ``BEGIN IMMEDIATE`` those of several processes sharing a file, so
a request sees every write before it and none is lost; an error rolls the whole request back.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

#: The layout's version, kept in the file: a file of another version is not opened.
SCHEMA_VERSION = "1"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS records (
    kind TEXT NOT NULL,
    id INTEGER NOT NULL,
    name_key TEXT,
    data TEXT NOT NULL,
    PRIMARY KEY (kind, id)
);
CREATE UNIQUE INDEX IF NOT EXISTS records_name ON records (kind, name_key)
    WHERE name_key IS NOT NULL;
"""


#: ``Tx.update``'s default: the record keeps its unique name.
KEEP: Any = object()


class StoreError(Exception):
    """The database cannot be used (another program's file, a newer layout, unreadable)."""


def fold(name: str) -> str:
    """A unique name as the API compares it: without case and surrounding blanks."""
    return name.strip().casefold()


class Store:
    """The database of one mock. Thread-safe: one transaction at a time."""

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = str(path) if path is not None else None
        try:
            self._db = sqlite3.connect(
                self.path or ":memory:", check_same_thread=False, isolation_level=None, timeout=30
            )
            if self.path:
                self._db.execute("PRAGMA journal_mode=WAL")
                self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.executescript(_SCHEMA)
            row = self._db.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"cannot use {self.path or 'the in-memory database'}: {exc}") from None
        if row is None:
            self._db.execute("INSERT INTO meta VALUES ('schema', ?)", (SCHEMA_VERSION,))
        elif row[0] != SCHEMA_VERSION:
            raise StoreError(f"{self.path} holds a mock database of layout {row[0]!r}")
        self._lock = threading.Lock()

    @property
    def fresh(self) -> bool:
        """True when the database has never been seeded."""
        with self._lock:
            row = self._db.execute("SELECT 1 FROM meta WHERE key = 'seeded'").fetchone()
        return row is None

    @contextmanager
    def transaction(self) -> Iterator[Tx]:
        """One request's reads and writes, all kept or (on an exception) none."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield Tx(self._db)
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def close(self) -> None:
        """Close the database (an in-memory one is gone)."""
        with self._lock:
            self._db.close()


class Tx:
    """The reads and writes of one transaction. Records are plain dicts with their ``id``."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def get(self, kind: str, ident: int) -> dict[str, Any] | None:
        """The record ``ident`` of ``kind``, or None."""
        row = self._db.execute(
            "SELECT data FROM records WHERE kind = ? AND id = ?", (kind, ident)
        ).fetchone()
        return None if row is None else _loads(row[0])

    def find(self, kind: str, name: str) -> dict[str, Any] | None:
        """The record of ``kind`` whose unique name is ``name`` (folded), or None."""
        row = self._db.execute(
            "SELECT data FROM records WHERE kind = ? AND name_key = ?", (kind, fold(name))
        ).fetchone()
        return None if row is None else _loads(row[0])

    def all(self, kind: str) -> list[dict[str, Any]]:
        """Every record of ``kind``, oldest first."""
        rows = self._db.execute("SELECT data FROM records WHERE kind = ? ORDER BY id", (kind,))
        return [_loads(data) for (data,) in rows]

    def count(self, kind: str) -> int:
        """How many records of ``kind`` there are."""
        row = self._db.execute("SELECT COUNT(*) FROM records WHERE kind = ?", (kind,)).fetchone()
        return int(row[0])

    def insert(self, kind: str, data: dict[str, Any], name: str | None = None) -> dict[str, Any]:
        """Add a record (its ``id`` the next of its kind, unless ``data`` has one); ``name`` is
        its unique name. Returns the record as stored."""
        ident = data.get("id")
        if not isinstance(ident, int) or isinstance(ident, bool):
            ident = self.next_id(kind)
        else:
            self.meta_set(f"id:{kind}", max(ident, self.meta_get(f"id:{kind}", 0)))
        record = {"id": ident, **{k: v for k, v in data.items() if k != "id"}}
        self._db.execute(
            "INSERT INTO records (kind, id, name_key, data) VALUES (?, ?, ?, ?)",
            (kind, ident, None if name is None else fold(name), _dumps(record)),
        )
        return record

    def update(self, kind: str, record: dict[str, Any], name: str | None = KEEP) -> None:
        """Store ``record`` (with its ``id``) again; ``name`` is its unique name now (None: it
        has none), by default the one it had."""
        if name is KEEP:
            self._db.execute(
                "UPDATE records SET data = ? WHERE kind = ? AND id = ?",
                (_dumps(record), kind, record["id"]),
            )
            return
        self._db.execute(
            "UPDATE records SET data = ?, name_key = ? WHERE kind = ? AND id = ?",
            (_dumps(record), None if name is None else fold(name), kind, record["id"]),
        )

    def delete(self, kind: str, ident: int) -> None:
        """Remove the record ``ident`` of ``kind``."""
        self._db.execute("DELETE FROM records WHERE kind = ? AND id = ?", (kind, ident))

    def next_id(self, kind: str) -> int:
        """A new id of ``kind``: never one given before, even after a delete."""
        ident = int(self.meta_get(f"id:{kind}", 0)) + 1
        self.meta_set(f"id:{kind}", ident)
        return ident

    def meta_get(self, key: str, default: Any = None) -> Any:
        """A setting of the mock (account, clock, counters), or ``default``."""
        row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return default if row is None else _loads(row[0])

    def meta_set(self, key: str, value: Any) -> None:
        """Store a setting of the mock."""
        self._db.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, _dumps(value)),
        )

    def clear(self) -> None:
        """Remove every record and setting (the layout stays)."""
        self._db.execute("DELETE FROM records")
        self._db.execute("DELETE FROM meta WHERE key != 'schema'")


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _loads(text: str) -> Any:
    return json.loads(text)
