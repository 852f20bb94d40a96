"""The reference executor: the compiled program trees written as Cerberus schemas and run by
Cerberus itself, through ``IxValidator`` and its one custom rule ``ix``, which evaluates a
node's program with the policies of :mod:`ixrules.run.call`. Slower; kept so the tests can
hold the generated code of :mod:`ixrules.run.codegen` to what Cerberus does (same issues,
same order), and to give ``Rules.schema`` the schemas, checked by Cerberus' own schema
validation. Imported only when one of those is asked for: a plain call never builds a
Cerberus schema nor imports Cerberus.

Each schema: ``schema`` for objects and arrays, unknown keys allowed (never walked), null
allowed, and ``ix`` at every node, whose constraint is the node's program.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cerberus import Validator
from cerberus.schema import DefinitionSchema

from ..model import EndpointSpec
from ..report import Issue
from ..values import absent
from .call import Call, finish, needs, note_invalid, requires, unknown_keys
from .tree import BoundRule, Node, Program


class IxValidator(Validator):  # type: ignore[misc]
    """Cerberus Validator with the ``ix`` rule; everything else is stock Cerberus."""

    def _validate_ix(self, program: Program, field: str, value: Any) -> None:
        """{'nullable': True}"""
        call: Call = self._config["ix_call"]
        if absent(value):
            self._drop_remaining_rules()
            return
        parts = (*self.document_path, field)
        mode = call.env.mode
        for bound in program.rules:
            if run_rule(bound, value, parts, call, mode) and bound.rule.stop:
                break  # one message per value, unless the rule says the API goes on
        container = program.container
        if container is None:
            return
        if not isinstance(value, container):
            self._drop_remaining_rules("schema")
            return
        if program.invalid is not None:
            note_invalid(call, len(call.invalid), call.path(parts), program.invalid)
        if program.required and requires(mode) and isinstance(value, Mapping):
            require(program, value, parts, call, mode)
        if program.unknown is not None and isinstance(value, Mapping):
            known = program.known
            unknown_keys(call, program.unknown.rule, call.path(parts), value, known, known)


def run_rule(bound: BoundRule, value: Any, parts: tuple[Any, ...], call: Call, mode: str) -> bool:
    """Evaluate one rule on a present value; True when it failed (and was reported)."""
    rule = bound.rule
    if rule.modes is not None and mode not in rule.modes:
        return False
    env = call.env
    if (
        bound.when is not None
        and rule.when is not None
        and not bound.when.fn(value, env, **rule.when[1])
    ):
        return False
    if rule.needs and not needs(call, rule):
        return False
    check = bound.check
    if check is None or check.fn(value, env, **rule.args):
        return False
    if rule.at is not None:
        parts = (*parts, rule.at)
        value = value.get(rule.at) if isinstance(value, Mapping) else None
    _report(bound, value, parts, call)
    return True


def require(
    program: Program, value: Mapping[str, Any], parts: tuple[Any, ...], call: Call, mode: str
) -> None:
    """Report the children that must be present and are not."""
    for name, bound in program.required:
        child = value.get(name)
        if absent(child) and bound.rule.applies_in(mode):
            _report(bound, child, (*parts, name), call)


def _report(bound: BoundRule, value: Any, parts: tuple[Any, ...], call: Call) -> None:
    check = bound.check
    hint = check.hint(value) if check is not None and check.hint is not None else None
    call.report(bound.rule, parts, value, hint)


def cerberus_rules(node: Node) -> dict[str, Any]:
    """The Cerberus rules of one compiled node (recursively), sharing its programs."""
    out: dict[str, Any] = {"nullable": True, "ix": node.program}
    if node.fields is not None:
        out["schema"] = {name: cerberus_rules(child) for name, child in node.fields.items()}
        out["allow_unknown"] = True
    elif node.each is not None:
        out["schema"] = cerberus_rules(node.each)
    return out


def check_schema(schema: Mapping[str, Any]) -> DefinitionSchema:
    """A compiled schema checked by Cerberus (SchemaError if it is not one), ready to share."""
    return DefinitionSchema(IxValidator(), schema)


class Reference:
    """The Cerberus side of one rule set: for each body spec its node's rules under each root
    key its endpoints have (an unwrapped body under the key ``""``), and for each endpoint
    with keys beside its root those keys' too; all checked by Cerberus once, then shared."""

    def __init__(
        self,
        endpoints: Mapping[str, EndpointSpec],
        nodes: Mapping[int, Node],
        siblings: Mapping[str, tuple[tuple[str, Node], ...]],
    ) -> None:
        roots: dict[int, dict[str, None]] = {}
        for endpoint in endpoints.values():
            roots.setdefault(id(endpoint.body), {}).update(dict.fromkeys(endpoint.roots or ("",)))
        schemas: dict[int, dict[str, Any]] = {}
        for key, names in roots.items():
            rules = cerberus_rules(nodes[key])
            schemas[key] = {root: rules for root in names}
        self._bodies = {key: check_schema(schema) for key, schema in schemas.items()}
        self._beside: dict[str, DefinitionSchema] = {}
        for name, beside in siblings.items():
            schema = dict(schemas[id(endpoints[name].body)])
            schema.update((key, cerberus_rules(node)) for key, node in beside)
            self._beside[name] = check_schema(schema)

    def _schema_of(self, spec: EndpointSpec) -> DefinitionSchema:
        beside = self._beside.get(spec.name)
        return beside if beside is not None else self._bodies[id(spec.body)]

    def schema(self, spec: EndpointSpec) -> dict[str, Any]:
        """The checked schema of ``spec``'s bodies: its root keys' rules and its siblings'."""
        validated = self._schema_of(spec)
        return {key: validated[key] for key in (*(spec.roots or ("",)), *spec.siblings)}

    def run(
        self,
        spec: EndpointSpec,
        value: Any,
        root: str,
        call: Call,
        siblings: Mapping[str, Any],
    ) -> list[Issue]:
        """Validate ``value`` (found under the key ``root``) and the ``siblings`` beside it with
        Cerberus and return the call's issues."""
        validator = IxValidator(self._schema_of(spec), allow_unknown=True, ix_call=call)
        validator.validate({root: value, **siblings}, normalize=False)
        return finish(call)
