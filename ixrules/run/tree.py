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
from ..records import Record, fill


class _Shared(Record):
    """A frozen record (:mod:`ixrules.records`) equal only to itself: shared by every call, and
    Cerberus hashes schemas, so identity is what matters (the fields are not compared)."""

    __eq__ = object.__eq__
    __hash__ = object.__hash__


class BoundRule(_Shared):
    """A rule with its check (and guard) looked up in the registry once."""

    FIELDS = ("rule", "check", "when")

    rule: Rule
    check: Check | None
    when: Check | None

    def __init__(self, rule: Rule, check: Check | None, when: Check | None) -> None:
        fill(self, rule=rule, check=check, when=when)


class Program(_Shared):
    """What runs at one node: the node's rules, its children's absence rules, the ``invalid``
    rule reported when anything below fails, the container it expects, and for an object
    that knows all its keys the rule its other keys are reported with (``unknown``)."""

    FIELDS = ("rules", "required", "invalid", "container", "unknown", "known")

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
        fill(
            self,
            rules=rules,
            required=required,
            invalid=invalid,
            container=container,
            unknown=unknown,
            known=known,
        )


class Node(_Shared):
    """One compiled node: its program, and the nodes of its object's known keys (``fields``)
    or of its array's elements (``each``). Immutable and shared by every call."""

    FIELDS = ("program", "fields", "each")

    program: Program
    fields: Mapping[str, Node] | None
    each: Node | None

    def __init__(
        self,
        program: Program,
        fields: Mapping[str, Node] | None = None,
        each: Node | None = None,
    ) -> None:
        fill(self, program=program, fields=fields, each=each)

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
