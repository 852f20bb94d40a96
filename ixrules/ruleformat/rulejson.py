"""A loaded rule set as JSON and back: what the rule cache stores (:mod:`.rulecache`).

Plain data, so that reading a cache file can only ever give back rules: the JSON names no class
or function, only which of the model's four records (``Rule``, ``FieldSpec``, ``EndpointSpec``,
``RuleSet``) each entry is, and those are built from their fields. Read on every fresh start,
so it is laid out for reading with few Python calls:

- ``records``: every record once, each before the records that hold it, as the record's name
  and its fields in order (``["Rule", "item.name.required", "Name can't be blank", ...]``);
  a record held by many (the rules and fragments endpoints share) is one object once read;
- a field's value: a string, number, true, false or null as itself; anything else an array
  tagged by its first element: ``["r", n]`` the n-th record; ``tuple``, ``list``,
  ``frozenset`` and ``dict`` (of string keys) of plain values as ``["t", ...]``, ``["l",
  ...]``, ``["f", ...]``, ``["d", {...}]``, which are read without looking at each value; in
  upper case, the same holding tagged values; and any other dict as ``["p", [key, value],
  ...]``;
- ``value``: the rule set, ``["r", n]``.

A rule set that names plugin checks (functions) is not plain data, and is not written.

>>> from ixrules.model import FieldSpec, Rule, RuleSet
>>> rule = Rule("item.name.required", "Name can't be blank", modes=frozenset({"create"}))
>>> ruleset = RuleSet(endpoints={}, rules={rule.id: rule}, files=("items.yaml",))
>>> loads(dumps(ruleset)) == ruleset
True
>>> dumps(ruleset)[:68]
b'{"format":"ixrules-rules/2","records":[["Rule","item.name.required",'
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable

from ..model import EndpointSpec, FieldSpec, Rule, RuleSet

TYPE_CHECKING = False  # not typing's: importing typing is a cost of every start
if TYPE_CHECKING:
    from typing import Any

__all__ = ["dumps", "loads"]

#: The records a cache file may hold, by the name it gives them.
RECORDS: dict[str, type] = {cls.__name__: cls for cls in (Rule, FieldSpec, EndpointSpec, RuleSet)}
_FORMAT = "ixrules-rules/2"


class NotPlain(ValueError):
    """What the rule set holds cannot be written as plain data (a plugin's check)."""


def dumps(ruleset: RuleSet) -> bytes:
    """``ruleset`` as JSON (UTF-8); ``NotPlain`` if it names plugin checks."""
    if ruleset.checks:
        raise NotPlain("a rule set naming plugin checks is not plain data")
    encoder = _Encoder()
    value = encoder.value(ruleset)
    document = {"format": _FORMAT, "records": encoder.records, "value": value}
    return json.dumps(document, allow_nan=False, separators=(",", ":")).encode("utf-8")


def loads(data: bytes) -> RuleSet:
    """The rule set :func:`dumps` wrote; ``ValueError`` (or ``TypeError``, ``LookupError``)
    for anything else."""
    document = json.loads(data)
    if not isinstance(document, dict) or document.get("format") != _FORMAT:
        raise ValueError("not a rule cache file of this format")
    records: list[Any] = []
    decode = _Decoder(records).value
    plain = _PLAIN
    for entry in document["records"]:
        cls = RECORDS[entry[0]]
        fields = [
            item if type(item) in plain else records[item[1]] if item[0] == "r" else decode(item)
            for item in entry[1:]
        ]
        records.append(cls(*fields))
    value = decode(document["value"])
    if not isinstance(value, RuleSet):
        raise ValueError("not a rule set")
    return value


#: The types JSON reads and writes as themselves.
_PLAIN = frozenset({str, int, float, bool, type(None)})


class _Encoder:
    def __init__(self) -> None:
        self.seen: dict[int, int] = {}
        self.kept: list[Any] = []  # the records stay alive while their ids are keys
        self.records: list[list[Any]] = []

    def value(self, value: Any) -> Any:
        kind = type(value)
        if kind in _PLAIN:
            if kind is float and not math.isfinite(value):
                raise NotPlain(f"{value!r} is not a JSON number")
            return value
        if kind is tuple or kind is list or kind is frozenset:
            items = sorted(value, key=repr) if kind is frozenset else value
            out = [self.value(item) for item in items]
            tag = _TAGS[kind]
            return [tag if self.plain(out) else tag.upper(), *out]
        if kind is dict:
            if all(type(key) is str for key in value):
                inner = {key: self.value(item) for key, item in value.items()}
                return ["d" if self.plain(inner.values()) else "D", inner]
            return ["p", *([self.value(key), self.value(item)] for key, item in value.items())]
        if kind.__name__ in RECORDS and RECORDS[kind.__name__] is kind:
            return self.record(value)
        raise NotPlain(f"a {kind.__name__} is not plain data")

    @staticmethod
    def plain(items: Iterable[Any]) -> bool:
        return all(type(item) in _PLAIN for item in items)

    def record(self, value: Any) -> list[Any]:
        known = self.seen.get(id(value))
        if known is None:
            fields = [self.value(item) for item in value.as_fields().values()]
            known = self.seen[id(value)] = len(self.records)
            self.kept.append(value)
            self.records.append([type(value).__name__, *fields])
        return ["r", known]


_TAGS: dict[type, str] = {tuple: "t", list: "l", frozenset: "f"}


class _Decoder:
    """Reads a tagged value (an array) of a record's field; the records read so far are
    ``records``."""

    def __init__(self, records: list[Any]) -> None:
        self.records = records

    def value(self, value: Any) -> Any:
        if type(value) is not list:
            if type(value) in _PLAIN:
                return value
            raise ValueError("an untagged object")
        tag = value[0]
        if tag == "r":
            return self.records[value[1]]
        if tag == "t":
            return tuple(value[1:])
        if tag == "d":  # a dict JSON just made, of plain values: nothing to convert
            return value[1]
        if tag == "l":
            return value[1:]
        if tag == "f":
            return frozenset(value[1:])
        plain, read, records = _PLAIN, self.value, self.records
        if tag == "D":
            return {
                key: item
                if type(item) in plain
                else records[item[1]]
                if item[0] == "r"
                else read(item)
                for key, item in value[1].items()
            }
        if tag == "p":
            return {read(key): read(item) for key, item in value[1:]}
        items = [
            item if type(item) in plain else records[item[1]] if item[0] == "r" else read(item)
            for item in value[1:]
        ]
        if tag == "T":
            return tuple(items)
        if tag == "L":
            return items
        if tag == "F":
            return frozenset(items)
        raise ValueError(f"unknown tag {tag!r}")
