"""Rule model -> Cerberus schemas, with each node's named checks bound to their functions.

Cerberus walks the body (``schema`` for objects and arrays, unknown keys allowed, null
allowed); every check of ours runs in the one custom rule ``ix`` attached to each node, whose
constraint is the node's compiled program. Compiling happens once per distinct body spec.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .checks import CHECKS, Check
from .model import FieldSpec, Rule


@dataclass(frozen=True, eq=False)
class BoundRule:
    """A rule with its check (and guard) looked up in the registry once."""

    rule: Rule
    check: Check | None
    when: Check | None

    def __hash__(self) -> int:  # Cerberus hashes schemas; identity is what matters here
        return id(self)


@dataclass(frozen=True, eq=False)
class Program:
    """What the ``ix`` rule does at one node: the node's rules, its children's absence rules,
    the umbrella rule reported when anything below fails, and the container it expects."""

    rules: tuple[BoundRule, ...]
    required: tuple[tuple[str, BoundRule], ...]
    invalid: Rule | None
    container: type | None

    def __hash__(self) -> int:
        return id(self)


def bind(rule: Rule) -> BoundRule:
    """Look a rule's check and guard up in the registry."""
    return BoundRule(
        rule=rule,
        check=CHECKS[rule.check] if rule.check else None,
        when=CHECKS[rule.when[0]] if rule.when else None,
    )


def compile_spec(spec: FieldSpec) -> dict[str, Any]:
    """The Cerberus rules of one node (recursively)."""
    required: list[tuple[str, BoundRule]] = []
    children: dict[str, Any] | None = None
    container: type | None = None
    if spec.fields is not None:
        container = Mapping
        children = {}
        for name, child in spec.fields.items():
            children[name] = compile_spec(child)
            if child.required is not None:
                required.append((name, bind(child.required)))
    elif spec.each is not None:
        container = list
    program = Program(
        rules=tuple(bind(rule) for rule in spec.rules),
        required=tuple(required),
        invalid=spec.invalid,
        container=container,
    )
    out: dict[str, Any] = {"nullable": True, "ix": program}
    if children is not None:
        out["schema"] = children
        out["allow_unknown"] = True
    elif spec.each is not None:
        out["schema"] = compile_spec(spec.each)
    return out


def compile_body(spec: FieldSpec, root: str | None) -> dict[str, Any]:
    """The Cerberus schema of a whole body: the spec under its root key, or the spec's own
    fields for an unwrapped body."""
    if root is not None:
        return {root: compile_spec(spec)}
    return {"": compile_spec(spec)}
