"""Hostile input: tests/test_hostile.py places each at every field, tests/test_executors.py
holds both executors to the same answer on each."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any


def deep_list(levels: int) -> Any:
    value: Any = "x"
    for _ in range(levels):
        value = [value]
    return value


def deep_dict(levels: int) -> Any:
    value: Any = "x"
    for _ in range(levels):
        value = {"name": value, "items": value} if levels < 30 else {"a": value}
    return value


class Unprintable:
    """A value whose ``str``, ``repr`` and ``==`` raise: nothing may call them unguarded."""

    def __str__(self) -> str:
        raise RuntimeError("no str")

    __repr__ = __str__

    def __eq__(self, other: object) -> bool:
        raise RuntimeError("no ==")

    __hash__ = object.__hash__


SURROGATES = b"caf\xe9 \xff\xfe".decode("utf-8", "surrogateescape")
HOSTILE: dict[str, Callable[[], Any]] = {
    "10,000 levels of lists": lambda: deep_list(10_000),
    "10,000 levels of objects": lambda: deep_dict(10_000),
    "a 10 MB string": lambda: "x" * 10_000_000,
    "a 10 MB numeric string": lambda: "1" * 10_000_000,
    # 100,000 of each: test_100000_items and test_an_object_of_100000_keys (once, not everywhere)
    "5,000 items": lambda: [{"name": "Pen", "unit_price": 1, "quantity": 1}] * 5_000,
    "an object of 10,000 keys": lambda: {f"k{i}": i for i in range(10_000)},
    "NaN": lambda: float("nan"),
    "Infinity": lambda: float("inf"),
    "-Infinity": lambda: float("-inf"),
    "1e400 read by json": lambda: json.loads("1e400"),
    "a 5,001-digit integer": lambda: 10**5000,
    "a 70,000-digit integer": lambda: -(10**70_000),
    "a byte-order mark": lambda: "\ufeff01/12/2017",
    "lone surrogates": lambda: SURROGATES,
    "non-string keys": lambda: {1: "a", None: "b", (1, 2): "c", 2.5: "d", frozenset(): "e"},
    "a tuple": lambda: ("Pen", 1),
    "a set": lambda: {1, 2},
    "bytes": lambda: b"01/12/2017",
    "an unprintable object": lambda: Unprintable(),
    "a list of unprintable objects": lambda: [Unprintable(), {"name": Unprintable()}],
}

#: Kinds that take seconds at every field (10,000 levels are read through at every leaf, a
#: 10 MB string goes through every check): marked slow where they are placed everywhere.
SLOW = frozenset(
    {
        "10,000 levels of lists",
        "10,000 levels of objects",
        "a 10 MB string",
        "a 10 MB numeric string",
        "5,000 items",
        "an object of 10,000 keys",
    }
)


def hostile_params() -> list[Any]:
    """Every kind of :data:`HOSTILE` as a test parameter, the :data:`SLOW` ones marked slow."""
    import pytest

    slow = pytest.mark.slow
    return [pytest.param(kind, marks=slow) if kind in SLOW else kind for kind in HOSTILE]
