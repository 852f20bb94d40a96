"""The reference executor: Cerberus itself runs the compiled schema, through ``IxValidator``
and its one custom rule ``ix``, which evaluates a node's program with the rule evaluation of
:mod:`ixrules.engine`. Slower; kept so the tests can hold the generated code of
:mod:`ixrules.codegen` to what Cerberus does (same issues, same order), and to check compiled
schemas with Cerberus' own schema validation. Imported only when used, so ordinary calls
never load Cerberus.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cerberus import Validator
from cerberus.schema import DefinitionSchema

from .compiler import Program
from .engine import Call, finish, report_unknown, require, run_rule
from .report import Issue
from .values import absent


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
            call.umbrellas.append((call.path(parts), program.invalid))
        if program.required and mode != "update" and isinstance(value, Mapping):
            require(program, value, parts, call, mode)
        if program.unknown is not None and isinstance(value, Mapping):
            report_unknown(program, value, parts, call)


def run_cerberus(
    schema: DefinitionSchema,
    value: Any,
    root: str,
    call: Call,
    siblings: Mapping[str, Any] | None = None,
) -> list[Issue]:
    """Validate ``value`` (found under the key ``root``) and the ``siblings`` beside it with
    Cerberus and return its issues."""
    validator = IxValidator(schema, allow_unknown=True, ix_call=call)
    validator.validate({root: value, **(siblings or {})}, normalize=False)
    return finish(call)


def check_schema(schema: Mapping[str, Any]) -> DefinitionSchema:
    """A compiled schema checked by Cerberus (SchemaError if it is not one), ready to share."""
    return DefinitionSchema(IxValidator(), schema)
