"""Rule model -> compiled program tree.

Each node of a body spec compiles once into a ``Node``: its ``Program`` (the node's rules with
their checks bound, its children's absence rules, the ``invalid`` rule, the container it
expects) and the nodes of what it contains. Calls run the tree written out as Python by
:mod:`ixrules.run.codegen`; :mod:`ixrules.run.reference` writes the same tree as a Cerberus
schema, for the reference executor the tests hold the generated code to.
"""

from __future__ import annotations

from collections.abc import Mapping

from ..checks import Check, lookup
from ..model import FieldSpec, Rule

TYPE_CHECKING = False  # not typing's: importing typing is a cost of every start
if TYPE_CHECKING:
    from typing import Any


class _Frozen:
    """Set once in ``__init__``, then read-only; equal only to itself (these are shared by
    every call, and Cerberus hashes schemas: identity is what matters). Plain classes, not
    dataclasses: importing ``dataclasses`` (and ``inspect``) cost a first ``validate`` 7 ms."""

    __slots__ = ()

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable")


_set = object.__setattr__


class BoundRule(_Frozen):
    """A rule with its check (and guard) looked up in the registry once."""

    __slots__ = ("check", "rule", "when")
    rule: Rule
    check: Check | None
    when: Check | None

    def __init__(self, rule: Rule, check: Check | None, when: Check | None) -> None:
        _set(self, "rule", rule)
        _set(self, "check", check)
        _set(self, "when", when)

    def __repr__(self) -> str:
        return f"BoundRule({self.rule.id!r})"

    def __reduce__(self) -> tuple[type[BoundRule], tuple[Any, ...]]:
        return BoundRule, (self.rule, self.check, self.when)


class Program(_Frozen):
    """What runs at one node: the node's rules, its children's absence rules, the ``invalid``
    rule reported when anything below fails, the container it expects, and for an object
    that knows all its keys the rule its other keys are reported with (``unknown``)."""

    __slots__ = ("container", "invalid", "known", "required", "rules", "unknown")
    rules: tuple[BoundRule, ...]
    required: tuple[tuple[str, BoundRule], ...]
    invalid: Rule | None
    container: type | None
    unknown: BoundRule | None
    known: tuple[str, ...]

    def __init__(
        self,
        rules: tuple[BoundRule, ...],
        required: tuple[tuple[str, BoundRule], ...],
        invalid: Rule | None,
        container: type | None,
        unknown: BoundRule | None = None,
        known: tuple[str, ...] = (),
    ) -> None:
        _set(self, "rules", rules)
        _set(self, "required", required)
        _set(self, "invalid", invalid)
        _set(self, "container", container)
        _set(self, "unknown", unknown)
        _set(self, "known", known)

    def __reduce__(self) -> tuple[type[Program], tuple[Any, ...]]:
        args = (self.rules, self.required, self.invalid, self.container, self.unknown)
        return Program, (*args, self.known)


class Node(_Frozen):
    """One compiled node: its program, and the nodes of its object's known keys (``fields``)
    or of its array's elements (``each``). Immutable and shared by every call."""

    __slots__ = ("each", "fields", "program")
    program: Program
    fields: Mapping[str, Node] | None
    each: Node | None

    def __init__(
        self,
        program: Program,
        fields: Mapping[str, Node] | None = None,
        each: Node | None = None,
    ) -> None:
        _set(self, "program", program)
        _set(self, "fields", fields)
        _set(self, "each", each)

    def __reduce__(self) -> tuple[type[Node], tuple[Any, ...]]:
        return Node, (self.program, self.fields, self.each)

    @property
    def depth(self) -> int:
        """How many nodes deep the tree is (it bounds how deep any walk of a body goes)."""
        below = [*(self.fields or {}).values(), *([self.each] if self.each else [])]
        return 1 + max((child.depth for child in below), default=0)


def implies(earlier: BoundRule, later: BoundRule) -> bool:
    """True when ``later``, unconditional, cannot fail once ``earlier`` has passed on the same
    value: so it need not be evaluated after it in one chain."""
    a, b = earlier.rule, later.rule
    if b.when is not None or b.needs or earlier.check is None or b.check is None:
        return False
    return earlier.check.passing_implies(a.args, b.check, b.args)


def bind(rule: Rule, checks: Mapping[str, Check] | None = None) -> BoundRule:
    """Look a rule's check and guard up in the registry, then in ``checks`` (the rule set's
    plugin checks)."""
    return BoundRule(
        rule=rule,
        check=_lookup(rule.check, checks) if rule.check else None,
        when=_lookup(rule.when[0], checks) if rule.when else None,
    )


def _lookup(name: str, checks: Mapping[str, Check] | None) -> Check:
    found = lookup(name, checks)
    if found is None:
        raise KeyError(f"no check named {name!r}")
    return found


def compile_node(
    spec: FieldSpec, unknown: Rule | None = None, checks: Mapping[str, Check] | None = None
) -> Node:
    """The compiled node of one field spec (recursively); ``unknown`` is the rule that closed
    objects report undeclared keys with (None: every object is open); ``checks`` holds the
    plugin checks the rules may name."""
    required: list[tuple[str, BoundRule]] = []
    fields: dict[str, Node] | None = None
    each: Node | None = None
    container: type | None = None
    if spec.fields is not None:
        container = Mapping
        fields = {}
        for name, child in spec.fields.items():
            fields[name] = compile_node(child, unknown, checks)
            if child.required is not None:
                required.append((name, bind(child.required, checks)))
    elif spec.each is not None:
        container = list
        each = compile_node(spec.each, unknown, checks)
    closed = fields is not None and not spec.open and unknown is not None
    program = Program(
        rules=tuple(bind(rule, checks) for rule in spec.rules),
        required=tuple(required),
        invalid=spec.invalid,
        container=container,
        unknown=bind(unknown, checks) if closed and unknown is not None else None,
        known=tuple(fields or ()) if closed else (),
    )
    return Node(program, fields, each)
