"""A rule set's bodies compiled for the fast executor: a program tree per body spec and per
key beside a root, and each tree's generated function, built on its first call. Kept apart
from :class:`ixrules.api.Rules`, the public face, which holds one and asks it to prove a body
clean, run a body, or show a body's code."""

from __future__ import annotations

from ..checks import Env
from ..context import context_of
from ..endpoint_lookup import resolve, root_index
from ..model import UNKNOWN_KEY_RULE, EndpointSpec, RuleSet
from ..report import Issue, Report
from ..values import plain
from .call import Call, finish
from .tree import Node, compile_node

TYPE_CHECKING = False  # not typing's: importing typing is a cost of every start
if TYPE_CHECKING:
    from typing import Any

if TYPE_CHECKING:
    from .codegen import Runner

#: The types a body's top-level keys and values have when the body may be proved as it is.
_KEY_TYPES = frozenset({str})
_TYPES = frozenset({dict, list, str, int, float, bool, type(None)})


class Compiled:
    """Immutable once built but for the generated functions, each built once (safe to share
    between threads: two threads may both build one the first time, and either is kept)."""

    def __init__(self, ruleset: RuleSet) -> None:
        self.ruleset = ruleset
        #: The program tree of each body spec used so far, keyed by the spec's identity.
        self._nodes: dict[int, Node] = {}
        self._runners: dict[tuple[int, str, bool], Runner] = {}  # derived, on first use
        self.roots = root_index(ruleset.endpoints)
        #: Per endpoint with keys beside its root: their compiled nodes, in declared order.
        self.siblings: dict[str, tuple[tuple[str, Node], ...]] = {}
        self.unknown = ruleset.rules.get(UNKNOWN_KEY_RULE)
        #: Per endpoint: the keys its bodies may have at the top (its roots, then the keys
        #: beside them); any other is reported by the ordered path.
        self.declared: dict[str, frozenset[str]] = {}
        for endpoint in ruleset.endpoints.values():
            self.declared[endpoint.name] = frozenset({*endpoint.roots, *endpoint.siblings})
            if endpoint.siblings:
                self.siblings[endpoint.name] = tuple(
                    (name, compile_node(spec, self.unknown, ruleset.checks))
                    for name, spec in endpoint.siblings.items()
                )

    def node(self, spec: EndpointSpec) -> Node:
        """The program tree of ``spec``'s body, compiled on its first use (a process that
        validates one endpoint compiles one; the rule files were checked when loaded, so
        compiling cannot fail here)."""
        node = self._nodes.get(id(spec.body))
        if node is None:
            node = compile_node(spec.body, self.unknown, self.ruleset.checks)
            node = self._nodes.setdefault(id(spec.body), node)
        return node

    def all_nodes(self) -> dict[int, Node]:
        """Every body spec's tree, keyed by the spec's identity (the reference executor)."""
        for endpoint in self.ruleset.endpoints.values():
            self.node(endpoint)
        return dict(self._nodes)

    def runner(self, node: Node, spec: EndpointSpec, parsed: bool = False) -> Runner:
        """The generated function of ``node`` in ``spec``'s mode, built once; ``parsed``: the
        one for values that are plain data (it skips the key-type tests, a fifth of a
        document line's proof; a process normally uses one of the two)."""
        key = (id(node), spec.mode, parsed)
        runner = self._runners.get(key)
        if runner is None:
            from .codegen import build

            runner = self._runners.setdefault(key, build(node, spec.mode, spec.name, parsed))
        return runner

    def run(
        self,
        spec: EndpointSpec,
        value: Any,
        where: str,
        call: Call,
        sent: tuple[tuple[str, Node, Any], ...],
        tried: bool = False,
        parsed: bool = False,
    ) -> list[Issue]:
        """The body's generated code on its root value, then each sibling key's beside it
        (``parsed``: the body was given as parsed JSON, not read through ``values.plain``
        after :meth:`prove`, whose functions are reused)."""
        runner = self.runner(self.node(spec), spec, parsed)
        if not sent:
            return runner(value, where, call, True, tried)
        runner(value, where, call, False, tried)
        for name, node, item in sent:
            self.runner(node, spec, parsed)(item, name, call, False)
        return finish(call)

    def source(self, spec: EndpointSpec) -> str:
        """The Python source run for ``spec``'s bodies."""
        from .codegen import source

        return source(self.node(spec), spec.mode, spec.name)[0]

    def prove(
        self, body: dict[Any, Any], endpoint: Any, context: Any, locale: Any
    ) -> Report | Env | None:
        """The report of a body the generated code proves clean as it is, with no copy of it
        made and nothing of the caller's run (every value an exact JSON type); else, when the
        proof was tried on the root value and failed, its ``Env`` (the ordered path reuses
        what it read: each date is read once a call), and None when it was not tried."""
        if not (
            _KEY_TYPES.issuperset(map(type, body)) and _TYPES.issuperset(map(type, body.values()))
        ):
            return None
        if not (endpoint is None or type(endpoint) is str) or not (
            locale is None or type(locale) is str
        ):
            return None
        try:
            context = plain(context)
            spec, root = resolve(self.ruleset.endpoints, body, endpoint, self.roots)
            env = Env(context_of(context), spec.mode, locale=locale, endpoint=spec.name)
        except Exception:  # the ordered path raises what the caller is told
            return None
        value = body[root] if root is not None else body
        beside = self.siblings.get(spec.name, ())
        if type(value) is not dict:
            return None
        if root is not None and self.unknown is not None:
            declared = self.declared[spec.name]
            if declared and not declared.issuperset(body):
                return None
        call = Call(env=env, unwrapped=root is None, locale=locale)
        if not self.runner(self.node(spec), spec).clean(value, call):
            return env
        for name, node in beside:
            item = body.get(name)
            absent = item is None or item is False
            if not absent and not self.runner(node, spec).clean(item, call):
                return env
        return Report(
            endpoint=spec.name,
            issues=[],
            skipped=list(call.skipped),
            success_status=spec.success_status,
            error_shape=spec.error_shape,
        )
