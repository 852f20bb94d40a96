"""The public entry points: validate a body, list endpoints, load a rule set."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from functools import cached_property, lru_cache

from .checks import Env
from .context import ContextError, context_of
from .endpoint_lookup import BodyError, resolve
from .model import EndpointSpec, RuleSet
from .report import Report
from .run.call import Call, unknown_beside
from .run.compiled import Compiled
from .typenames import literal_aliases
from .values import Unreadable, plain

TYPE_CHECKING = False  # not typing's: importing typing is a cost of every start
if TYPE_CHECKING:
    from typing import Any, Literal

    Executor = Literal["fast", "cerberus"]

if TYPE_CHECKING:
    from pathlib import Path

    from .config import Config
    from .run.reference import Reference

#: How calls are run: ``fast`` runs each body's program tree written out as Python
#: (:mod:`ixrules.run.codegen`); ``cerberus`` runs the same programs through Cerberus (the
#: reference executor, slower, kept to hold the fast one to it).
EXECUTORS: tuple[Executor, ...] = ("fast", "cerberus")


class Rules:
    """A loaded, compiled rule set: immutable, shared, safe to use from many threads.

    Each body spec is compiled once into a program tree. Calls run the tree written out as
    Python source (``executor="fast"``, the default; each body's function is generated on its
    first call, see :meth:`source`) or through Cerberus (``executor="cerberus"``, the
    reference). The Cerberus schemas are written from the trees, and checked by Cerberus,
    only when first needed (``schema()`` or the Cerberus executor), so plain calls never
    build them nor import Cerberus.

    >>> rules = Rules.load()
    >>> rules.validate({"quote": {"items": [{"unit": "kg"}]}}, "quotes.update").messages
    ['Invoice items is invalid', 'Unit kg is not included in the list of accepted units']
    """

    def __init__(
        self, ruleset: RuleSet, *, executor: Executor = "fast", config: Config | None = None
    ) -> None:
        if executor not in EXECUTORS:
            raise ValueError(f"executor must be one of {', '.join(EXECUTORS)}, not {executor!r}")
        self.ruleset = ruleset
        self.executor = executor
        #: The configuration the rules were built from (plain data: its per-file settings,
        #: exclusions and ``strict``); None for rules loaded without one.
        self.config = config
        self._compiled = Compiled(ruleset)
        if executor == "cerberus":
            self._reference  # noqa: B018 (check the schemas now: the executor needs them)

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        """Pickle (and copy) the plain rule set, the executor and the configuration, and compile
        again on load: the compiled trees are keyed by the identity of the rule set's specs,
        which a copy does not keep (a custom rule set sent to a spawned or Dask worker would
        otherwise answer ``KeyError`` on every call).

        >>> import copy, pickle
        >>> rules = pickle.loads(pickle.dumps(Rules.load()))
        >>> copy.deepcopy(rules).validate({"quote": {"retention": 200}}, "quotes.update").messages
        ['Retention must be a number between 0 and 99.99']
        """
        return _rebuild, (self.ruleset, self.executor, self.config)

    @cached_property
    def _reference(self) -> Reference:
        """The Cerberus schemas of the compiled trees, checked by Cerberus (once, when first
        asked for: by ``schema()`` or the Cerberus executor)."""
        from .run.reference import Reference

        compiled = self._compiled
        return Reference(self.ruleset.endpoints, compiled.all_nodes(), compiled.siblings)

    @classmethod
    def load(
        cls,
        directory: str | Path | None = None,
        *,
        packs: Iterable[str | Path] = (),
        extra: Iterable[str | Path] = (),
        executor: Executor = "fast",
    ) -> Rules:
        """Load and compile the rule files of ``directory`` (default: the shipped rules), with
        the rule packs ``packs`` (files or folders of ``*.yaml``) layered over them in order.
        Without packs, a fresh process reads the rule set from a cache while the files are
        unchanged (see :mod:`ixrules.ruleformat.rulecache`). ``extra`` is the old name of ``packs``,
        kept for existing callers (give one or the other).

        >>> Rules.load(packs=["docs/examples/acme/rules"]).ruleset.rules["acme.tax.house"].source
        'user'
        """
        directory = directory if directory is not None else shipped_rules()
        packs = _packs(packs, extra)
        if packs:  # the YAML parser is imported only when there is YAML to read
            from .ruleformat.builder import load_rule_dir
            from .ruleformat.reading import pack_texts

            ruleset = load_rule_dir(directory, pack_texts(packs))
        else:
            from .ruleformat.rulecache import load_cached

            ruleset = load_cached(directory)
        return cls(ruleset, executor=executor)

    @classmethod
    def from_config(
        cls,
        path: str | Path | None = None,
        *,
        directory: str | Path | None = None,
        packs: Iterable[str | Path] = (),
        extra: Iterable[str | Path] = (),
        executor: Executor = "fast",
    ) -> Rules:
        """The rules a project's configuration asks for: the shipped rules (or ``directory``'s)
        with its packs (then ``packs``) layered over them, its ``ignore`` and ``severity``
        applied (see :func:`ixrules.config.configured_ruleset`). ``path`` names the
        configuration; None finds it from the working directory upward (no configuration: the
        shipped rules as they are). A broken configuration or pack raises
        :class:`ixrules.RuleFileError` (:class:`ixrules.config.ConfigError` for the
        configuration itself) naming the file and line. ``extra`` is the old name of ``packs``.

        >>> Rules.from_config().validate({"item": {"name": "Pen", "unit_price": "1.5"}}).ok
        True
        """
        from .config import configured_ruleset

        directory = directory if directory is not None else rules_dir()
        ruleset, config = configured_ruleset(path, directory, _packs(packs, extra))
        return cls(ruleset, executor=executor, config=config)

    @cached_property
    def _fixable(self) -> frozenset[str]:
        """The ids of the rules whose findings may carry a fix (``Issue.fix``)."""
        from .fixes.proposals import fixable_rules

        return fixable_rules(self.ruleset)

    def endpoints(self) -> list[str]:
        """The endpoint names, in rule-file order."""
        return list(self.ruleset.endpoints)

    def endpoint(self, name: str) -> EndpointSpec:
        """The endpoint called ``name``."""
        from .endpoint_lookup import find

        return find(self.ruleset.endpoints, name)

    def schema(self, name: str) -> dict[str, Any]:
        """The Cerberus schema of endpoint ``name``'s bodies, checked by Cerberus: each root
        key's rules and those of the keys beside it, with our one custom rule ``ix`` at every
        node (``ixrules.run.reference.IxValidator`` runs it).

        >>> schema = Rules.load().schema("invoices.create")
        >>> sorted(schema), sorted(schema["invoice"]["schema"]["items"])
        (['invoice', 'proprietary_uid'], ['ix', 'nullable', 'schema'])
        """
        return self._reference.schema(self.endpoint(name))

    def json_schema(self, name: str, *, locale: str | None = None) -> dict[str, Any]:
        """The JSON Schema (Draft 2020-12) of endpoint ``name``'s bodies, for editors and web
        frameworks: never stricter than the API, each rule's constraint with its id and the API's
        message, standard keywords only (Ajv's strict mode compiles it); how each rule is
        written is :func:`ixrules.schema_export.json_schema_notes`.

        >>> schema = Rules.load().json_schema("invoices.create")
        >>> schema["required"], schema["properties"]["invoice"]["required"]
        (['invoice'], ['client', 'items'])
        """
        from .schema_export import json_schema

        return json_schema(self, name, locale=locale)

    def source(self, name: str) -> str:
        """The Python source the fast executor runs for endpoint ``name``'s bodies (what
        ``ixrules compile NAME`` prints): for reading and debugging, never for editing.

        >>> print(Rules.load().source("taxes.create").splitlines()[0])
        \"\"\"taxes.create, mode create: generated by ixrules.run.codegen from the rule files.\"\"\"
        """
        return self._compiled.source(self.endpoint(name))

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
        tried = None
        if self.executor == "fast" and type(body) is dict:
            proved = self._compiled.prove(body, endpoint, context, locale)
            if isinstance(proved, Report):
                return proved
            tried = proved
        try:
            body = plain(body)  # nothing of the caller's runs while validating
        except Unreadable as exc:
            raise BodyError(f"the body {exc}") from None
        return self._validate(body, endpoint, context, locale, tried, parsed=False)

    def validate_parsed(
        self,
        body: Any,
        endpoint: str | None = None,
        *,
        context: Mapping[str, Any] | None = None,
        locale: str | None = None,
    ) -> Report:
        """:meth:`validate` for a body that is plain JSON data by construction (what
        ``json.loads`` or ``orjson.loads`` returned): it is not read through first, which costs
        about a seventh of a 10-line invoice's call. The lint and bulk paths use it; anything
        else passes :meth:`validate`, whose answer is the same for such a body. The context is
        still read as plain data.

        >>> Rules.load().validate_parsed({"quote": {"retention": 200}}, "quotes.update").messages
        ['Retention must be a number between 0 and 99.99']
        """
        return self._validate(body, endpoint, context, locale, None, parsed=True)

    def _validate(
        self,
        body: Any,
        endpoint: str | None,
        context: Mapping[str, Any] | None,
        locale: str | None,
        tried: Env | None,
        parsed: bool,
    ) -> Report:
        """:meth:`validate_parsed`; ``tried``: the ``Env`` of the root value's proof when it
        has failed already (None when it was not tried); ``parsed``: called by it."""
        try:
            context = plain(context)
        except Unreadable as exc:
            raise ContextError(f"the context {exc}") from None
        if isinstance(endpoint, str):
            endpoint = str.__str__(endpoint)
        locale = str.__str__(locale) if isinstance(locale, str) else None
        spec, root = resolve(self.ruleset.endpoints, body, endpoint, self._compiled.roots)
        value = body[root] if root is not None else body
        if not isinstance(value, Mapping):
            where = f"the value of {root!r}" if root is not None else "the body"
            raise BodyError(f"{where} must be a JSON object for {spec.name}")
        memo = {} if tried is None else tried.memo
        env = Env(context_of(context), spec.mode, locale=locale, endpoint=spec.name, memo=memo)
        call = Call(env=env, unwrapped=root is None, locale=locale)
        where = root if root is not None else ""
        beside = self._compiled.siblings.get(spec.name, ())
        sent = (
            tuple((name, node, body[name]) for name, node in beside if name in body)
            if beside
            else ()
        )
        unknown = self._compiled.unknown
        declared = self._compiled.declared[spec.name]
        if root is not None and unknown is not None and not declared.issuperset(body):
            ordered = (*spec.roots, *(name for name, _ in beside))
            unknown_beside(call, unknown, body, ordered)
        if self.executor == "fast":
            issues = self._compiled.run(spec, value, where, call, sent, tried is not None, parsed)
        else:
            siblings = {name: item for name, _, item in sent}
            issues = self._reference.run(spec, value, where, call, siblings)
        if issues:
            from .fixes.proposals import attach

            attach(issues, self._fixable, self.ruleset, spec, body, env)
        return Report(
            endpoint=spec.name,
            issues=issues,
            skipped=list(call.skipped),
            success_status=spec.success_status,
            error_shape=spec.error_shape,
        )


def _rebuild(ruleset: RuleSet, executor: Executor, config: Config | None = None) -> Rules:
    return Rules(ruleset, executor=executor, config=config)


def _packs(packs: Iterable[str | Path], extra: Iterable[str | Path]) -> tuple[str | Path, ...]:
    """The packs given as ``packs`` or under their old name ``extra`` (not both)."""
    packs, extra = tuple(packs), tuple(extra)
    if packs and extra:
        raise TypeError("give the rule packs as packs= (extra= is its old name), not both")
    return packs or extra


def rules_dir() -> Path:
    """Where the shipped rule files are: inside the package when installed from a wheel, at the
    top of the source tree otherwise."""
    from pathlib import Path

    return Path(shipped_rules())


def shipped_rules() -> str:
    """:func:`rules_dir` as a string (what a start uses: ``pathlib`` costs 5 ms to import)."""
    here = os.path.dirname(os.path.realpath(__file__))
    inside = os.path.join(here, "rules")
    return inside if os.path.isdir(inside) else os.path.join(os.path.dirname(here), "rules")


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


#: ``Executor`` at run time (see :mod:`ixrules.typenames`).
__getattr__ = literal_aliases(__name__, Executor=EXECUTORS)
