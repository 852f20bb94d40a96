"""A loaded rule set as JSON and back: what the rule cache stores (:mod:`.rulecache`).

Plain data, so that reading a cache file can only ever give back rules: the JSON names no class
or function, only which of the model's four records (``Rule``, ``FieldSpec``, ``EndpointSpec``,
``RuleSet``) each object is, and those are built from their fields. Every container is tagged
with its Python type (a tuple stays a tuple, a frozenset a frozenset, a mapping keeps keys of
any type), and a record met again is written as a reference to its first appearance, so the
rules and fragments that many endpoints share stay shared objects once read back.

A rule set that names plugin checks (functions) is not plain data, and is not written.

>>> from ixrules.model import FieldSpec, Rule, RuleSet
>>> rule = Rule("item.name.required", "Name can't be blank", modes=frozenset({"create"}))
>>> ruleset = RuleSet(endpoints={}, rules={rule.id: rule}, files=("items.yaml",))
>>> loads(dumps(ruleset)) == ruleset
True
>>> dumps(ruleset)[:60]
b'{"format":"ixrules-rules/1","value":{"record":["RuleSet",{"e'
"""

from __future__ import annotations

import json
import math
from typing import Any

from ..model import EndpointSpec, FieldSpec, Rule, RuleSet

__all__ = ["dumps", "loads"]

#: The records a cache file may hold, by the name it gives them.
RECORDS: dict[str, type] = {cls.__name__: cls for cls in (Rule, FieldSpec, EndpointSpec, RuleSet)}
_FORMAT = "ixrules-rules/1"


class NotPlain(ValueError):
    """What the rule set holds cannot be written as plain data (a plugin's check)."""


def dumps(ruleset: RuleSet) -> bytes:
    """``ruleset`` as JSON (UTF-8); ``NotPlain`` if it names plugin checks."""
    if ruleset.checks:
        raise NotPlain("a rule set naming plugin checks is not plain data")
    encoder = _Encoder()
    document = {"format": _FORMAT, "value": encoder.value(ruleset)}
    return json.dumps(document, allow_nan=False, separators=(",", ":")).encode("utf-8")


def loads(data: bytes) -> RuleSet:
    """The rule set :func:`dumps` wrote; ``ValueError`` (or ``TypeError``, ``KeyError``) for
    anything else."""
    document = json.loads(data)
    if not isinstance(document, dict) or document.get("format") != _FORMAT:
        raise ValueError("not a rule cache file of this format")
    value = _Decoder().value(document["value"])
    if not isinstance(value, RuleSet):
        raise ValueError("not a rule set")
    return value


class _Encoder:
    def __init__(self) -> None:
        self.seen: dict[int, int] = {}
        self.kept: list[Any] = []  # the records stay alive while their ids are keys

    def value(self, value: Any) -> Any:
        kind = type(value)
        if value is None or kind in (bool, int, str):
            return value
        if kind is float:
            if not math.isfinite(value):
                raise NotPlain(f"{value!r} is not a JSON number")
            return value
        if kind is list:
            return {"list": [self.value(item) for item in value]}
        if kind is tuple:
            return {"tuple": [self.value(item) for item in value]}
        if kind is frozenset:
            return {"frozenset": [self.value(item) for item in sorted(value, key=repr)]}
        if kind is dict:
            return {"dict": [[self.value(key), self.value(item)] for key, item in value.items()]}
        if kind.__name__ in RECORDS and RECORDS[kind.__name__] is kind:
            return self.record(value)
        raise NotPlain(f"a {kind.__name__} is not plain data")

    def record(self, value: Any) -> Any:
        known = self.seen.get(id(value))
        if known is not None:
            return {"same": known}
        fields = {name: self.value(item) for name, item in value.as_fields().items()}
        self.seen[id(value)] = len(self.kept)
        self.kept.append(value)
        return {"record": [type(value).__name__, fields]}


class _Decoder:
    def __init__(self) -> None:
        self.records: list[Any] = []

    def value(self, value: Any) -> Any:
        if not isinstance(value, dict):
            if isinstance(value, list):
                raise ValueError("an untagged list")
            return value
        ((tag, content),) = value.items()
        if tag == "list":
            return [self.value(item) for item in content]
        if tag == "tuple":
            return tuple(self.value(item) for item in content)
        if tag == "frozenset":
            return frozenset(self.value(item) for item in content)
        if tag == "dict":
            return {self.value(key): self.value(item) for key, item in content}
        if tag == "same":
            return self.records[content]
        if tag == "record":
            name, given = content
            cls = RECORDS[name]
            fields = {field: self.value(item) for field, item in given.items()}
            record = cls(**fields)
            self.records.append(record)
            return record
        raise ValueError(f"unknown tag {tag!r}")
