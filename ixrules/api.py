"""The public entry points: validate a body, list endpoints, load a rule set."""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

from cerberus.schema import DefinitionSchema

from .checks import Env
from .compiler import compile_body
from .context import Context
from .endpoints import BodyError, resolve
from .engine import Call, make_schema, run
from .loader import load_rule_dir
from .model import EndpointSpec, RuleSet
from .report import Report


class Rules:
    """A loaded, compiled rule set: immutable, shared, safe to use from many threads.

    >>> rules = Rules.load()
    >>> rules.validate({"quote": {"items": [{"unit": "kg"}]}}, "quotes.update").messages
    ['Invoice items is invalid', 'Unit kg is not included in the list of accepted units']
    """

    def __init__(self, ruleset: RuleSet) -> None:
        self.ruleset = ruleset
        schemas: dict[tuple[int, str | None], DefinitionSchema] = {}
        for endpoint in ruleset.endpoints.values():
            for root in endpoint.roots or (None,):
                key = (id(endpoint.body), root)
                if key not in schemas:
                    schemas[key] = make_schema(compile_body(endpoint.body, root))
        self._schemas = schemas

    @classmethod
    def load(cls, directory: str | Path | None = None) -> Rules:
        """Load and compile the rule files of ``directory`` (default: the shipped rules)."""
        return cls(load_rule_dir(directory if directory is not None else rules_dir()))

    def endpoints(self) -> list[str]:
        """The endpoint names, in rule-file order."""
        return list(self.ruleset.endpoints)

    def endpoint(self, name: str) -> EndpointSpec:
        """The endpoint called ``name``."""
        from .endpoints import find

        return find(self.ruleset.endpoints, name)

    def validate(
        self,
        body: Any,
        endpoint: str | None = None,
        *,
        context: Mapping[str, Any] | None = None,
        locale: str | None = None,
    ) -> Report:
        """Validate ``body`` for ``endpoint`` (inferred from the root key when None), with the
        messages in ``locale``'s language (``"pt"``, ``"es_ES"``, ...; English when None)."""
        spec, root = resolve(self.ruleset.endpoints, body, endpoint)
        value = body[root] if root is not None else body
        if not isinstance(value, Mapping):
            where = f"the value of {root!r}" if root is not None else "the body"
            raise BodyError(f"{where} must be a JSON object for {spec.name}")
        call = Call(env=Env(Context(context), spec.mode), unwrapped=root is None, locale=locale)
        document = {root if root is not None else "": value}
        issues = run(self._schemas[(id(spec.body), root)], document, call)
        return Report(
            endpoint=spec.name,
            errors=issues,
            skipped=list(call.skipped),
            success_status=spec.success_status,
            error_shape=spec.error_shape,
        )


def rules_dir() -> Path:
    """Where the shipped rule files are: inside the package when installed from a wheel, at the
    top of the source tree otherwise."""
    here = Path(__file__).resolve().parent
    inside = here / "rules"
    return inside if inside.is_dir() else here.parent / "rules"


@lru_cache(maxsize=1)
def default_rules() -> Rules:
    """The shipped rules, loaded and compiled once per process."""
    return Rules.load()


def validate(
    body: Any,
    endpoint: str | None = None,
    *,
    context: Mapping[str, Any] | None = None,
    locale: str | None = None,
) -> Report:
    """Validate a request body the way the InvoiceXpress API would, without calling it.

    The messages are the API's English ones; with ``locale`` (``"pt"``, ``"pt_PT"``, ``"es-ES"``,
    ...) they are in that language when ixrules has it (Portuguese, Spanish), English otherwise.

    >>> report = validate({"invoice": {"date": "03/12/2017", "due_date": "01/12/2017",
    ...     "client": {"name": "Acme", "code": "A1"},
    ...     "items": [{"name": "Pen", "unit_price": "1.5", "quantity": 0}]}})
    >>> report.status, report.messages
    (422, ['Due date must be later than date', 'Invoice items is invalid',
     'Quantity must be a number greater than 0'])
    >>> [(issue.path, issue.rule) for issue in report.errors][2]
    ('/invoice/items/0/quantity', 'item.quantity.positive')
    """
    return default_rules().validate(body, endpoint, context=context, locale=locale)


def endpoints() -> list[str]:
    """Every endpoint name ``validate`` accepts, e.g. ``invoices.create``."""
    return default_rules().endpoints()
