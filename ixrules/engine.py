"""The Cerberus side: a Validator whose one custom rule, ``ix``, runs a node's compiled program
and writes issues to the call's own sink. Nothing per call is stored on shared objects: each
call builds its own Validator around the shared, immutable compiled schema.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from cerberus import Validator
from cerberus.schema import DefinitionSchema

from .checks import Env
from .compiler import BoundRule, Program
from .messages import render
from .model import Rule
from .report import Issue
from .values import pointer


@dataclass
class Call:
    """Everything one validation collects; lives exactly as long as the call."""

    env: Env
    unwrapped: bool
    locale: str | None = None
    issues: list[Issue] = field(default_factory=list)
    skipped: dict[str, None] = field(default_factory=dict)
    umbrellas: list[tuple[str, Rule]] = field(default_factory=list)

    def path(self, parts: tuple[Any, ...]) -> str:
        return pointer(parts[1:] if self.unwrapped else parts)

    def report(
        self, rule: Rule, parts: tuple[Any, ...], value: Any, hint: str | None = None
    ) -> None:
        self.issues.append(
            Issue(render(rule, value, self.locale), self.path(parts), rule.id, rule.status, hint)
        )


def absent(value: Any) -> bool:
    """Real clients send null for an unset field and false for an empty one: both are absent."""
    return value is None or value is False


class IxValidator(Validator):  # type: ignore[misc]
    """Cerberus Validator with the ``ix`` rule; everything else is stock Cerberus."""

    def _validate_ix(self, program: Program, field: str, value: Any) -> None:
        """{'nullable': True}"""
        call: Call = self._config["ix_call"]
        if absent(value):
            self._drop_remaining_rules()
            return
        parts = (*self.document_path, field)
        env = call.env
        mode = env.mode
        for bound in program.rules:
            if _run(bound, value, parts, call, mode):
                break  # one message per value: its first failing rule
        container = program.container
        if container is None:
            return
        if not isinstance(value, container):
            self._drop_remaining_rules("schema")
            return
        if program.invalid is not None:
            call.umbrellas.append((call.path(parts), program.invalid))
        if program.required and mode != "update" and isinstance(value, Mapping):
            for name, bound in program.required:
                child = value.get(name)
                if absent(child) and bound.rule.applies_in(mode):
                    _report(bound, child, (*parts, name), call)


def _run(bound: BoundRule, value: Any, parts: tuple[Any, ...], call: Call, mode: str) -> bool:
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
    if rule.needs:
        context = env.context
        if not all(context.has(key) for key in rule.needs):
            call.skipped[rule.id] = None
            return False
    check = bound.check
    if check is None or check.fn(value, env, **rule.args):
        return False
    if rule.at is not None:
        parts = (*parts, rule.at)
        value = value.get(rule.at) if isinstance(value, Mapping) else None
    _report(bound, value, parts, call)
    return True


def _report(bound: BoundRule, value: Any, parts: tuple[Any, ...], call: Call) -> None:
    check = bound.check
    hint = check.hint(value) if check is not None and check.hint is not None else None
    call.report(bound.rule, parts, value, hint)


def run(schema: DefinitionSchema, document: Mapping[str, Any], call: Call) -> list[Issue]:
    """Validate ``document`` and return its issues, umbrella messages placed before the
    first issue they cover."""
    validator = IxValidator(schema, allow_unknown=True, ix_call=call)
    validator.validate(document, normalize=False)
    issues = call.issues
    if not call.umbrellas or not issues:
        return issues
    out = list(issues)
    for prefix, rule in reversed(call.umbrellas):
        below = prefix + "/"
        for index, issue in enumerate(out):
            if issue.path.startswith(below):
                out.insert(
                    index, Issue(render(rule, None, call.locale), prefix, rule.id, rule.status)
                )
                break
    return out


def make_schema(rules: dict[str, Any]) -> DefinitionSchema:
    """Check a compiled schema with Cerberus once, so calls can share it."""
    return DefinitionSchema(IxValidator(), rules)
