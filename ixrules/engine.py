"""Running a compiled body on one call's value, and collecting what it finds.

Two executors do the same thing over the same compiled programs:

* ``walk`` (the default): a small iterative walk of the ``Node`` tree. It does exactly what
  Cerberus does with our schemas (null allowed, ``schema`` for objects and arrays, unknown keys
  allowed and never walked, the ``ix`` rule at each node) without Cerberus' per-value child
  validators, rule queues and error trees, which were nearly all of the time of a call.
* ``ixrules.reference.run_cerberus``: Cerberus itself, through ``IxValidator`` and its one
  custom rule ``ix``. It is the reference the tests hold ``walk`` to (same issues, same order),
  and it shares this module's rule evaluation.

Nothing per call is stored on shared objects: each call collects into its own ``Call``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .checks import Env
from .compiler import BoundRule, Node, Program
from .messages import render
from .model import Rule
from .report import Issue
from .values import absent, pointer


@dataclass
class Call:
    """Everything one validation collects; lives exactly as long as the call."""

    env: Env
    unwrapped: bool
    locale: str | None = None
    issues: list[Issue] = field(default_factory=list)
    skipped: dict[str, None] = field(default_factory=dict)
    umbrellas: list[tuple[tuple[Any, ...], Rule]] = field(default_factory=list)

    def path(self, parts: tuple[Any, ...]) -> str:
        return pointer(parts[1:] if self.unwrapped else parts)

    def report(
        self, rule: Rule, parts: tuple[Any, ...], value: Any, hint: str | None = None
    ) -> None:
        self.issues.append(
            Issue(
                render(rule, value, self.locale),
                self.path(parts),
                rule.id,
                rule.status,
                hint,
                rule.severity,
            )
        )


# --- the fast executor --------------------------------------------------------------------


def walk(
    node: Node,
    value: Any,
    root: str,
    call: Call,
    siblings: tuple[tuple[str, Node, Any], ...] = (),
) -> list[Issue]:
    """Run ``node`` on ``value`` (found under the key ``root``), then each sibling's node on
    the value beside the root key, and return the call's issues.

    A pre-order walk with an explicit stack, so the order of issues is Cerberus' order (a
    node's own issues and its missing children's, then each known child in the body's key
    order) and no body, however deep, can exhaust the interpreter's stack: only keys the rules
    know are followed, so the walk is never deeper than the compiled tree.
    """
    mode = call.env.mode
    requires = mode != "update"
    umbrellas = call.umbrellas
    stack: list[tuple[Node, Any, tuple[Any, ...]]] = [
        (child, item, (key,)) for key, child, item in reversed(siblings)
    ]
    stack.append((node, value, (root,)))
    pop, push = stack.pop, stack.extend
    while stack:
        node, value, parts = pop()
        if value is None or value is False:  # absent(value), inlined: the hot path
            continue
        program = node.program
        for bound in program.rules:
            if run_rule(bound, value, parts, call, mode) and bound.rule.stop:
                break  # one message per value, unless the rule says the API goes on
        fields, each = node.fields, node.each
        if fields is not None:
            if not isinstance(value, Mapping):
                continue
            if program.invalid is not None:
                umbrellas.append((parts, program.invalid))
            if requires and program.required:
                require(program, value, parts, call, mode)
            if program.unknown is not None:
                report_unknown(program, value, parts, call)
            below = [
                (child, item, (*parts, key))
                for key, item in value.items()
                if (child := fields.get(key)) is not None
            ]
            below.reverse()
            push(below)
        elif each is not None and isinstance(value, list):
            if program.invalid is not None:
                umbrellas.append((parts, program.invalid))
            push([(each, value[i], (*parts, i)) for i in range(len(value) - 1, -1, -1)])
    return finish(call)


# --- what both executors share ------------------------------------------------------------


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


def require(
    program: Program, value: Mapping[str, Any], parts: tuple[Any, ...], call: Call, mode: str
) -> None:
    """Report the children that must be present and are not."""
    for name, bound in program.required:
        child = value.get(name)
        if absent(child) and bound.rule.applies_in(mode):
            _report(bound, child, (*parts, name), call)


def report_unknown(
    program: Program, value: Mapping[str, Any], parts: tuple[Any, ...], call: Call
) -> None:
    """Report each key of ``value`` the object's spec does not declare (the API drops it),
    with the closest declared key as the hint for the first few: an object of thousands of
    unknown keys is not a typo, and the nearest spelling costs a comparison with every key."""
    bound = program.unknown
    if bound is None:
        return
    known = program.known
    hinted = 0
    for key in value:
        if key not in known:
            hint = closest_key(key, known) if hinted < HINTED_KEYS else None
            hinted += 1
            call.report(bound.rule, (*parts, key), key, f"did you mean {hint!r}?" if hint else None)


#: How many unknown keys of one object get a "did you mean" hint.
HINTED_KEYS = 64


def closest_key(key: Any, known: tuple[str, ...]) -> str | None:
    """The declared key ``key`` was probably meant to be: the same once case, ``-`` and blanks
    are set aside (``due-date``, ``Due_Date``), else the nearest spelling (``unitprice``)."""
    if not isinstance(key, str) or len(key) > 64:
        return None
    folded = _fold_key(key)
    for name in known:
        if _fold_key(name) == folded:
            return name
    import difflib

    close = difflib.get_close_matches(folded, known, n=1, cutoff=0.75)
    return close[0] if close else None


def _fold_key(key: str) -> str:
    return key.strip().casefold().replace("-", "_").replace(" ", "_")


def _report(bound: BoundRule, value: Any, parts: tuple[Any, ...], call: Call) -> None:
    check = bound.check
    hint = check.hint(value) if check is not None and check.hint is not None else None
    call.report(bound.rule, parts, value, hint)


def finish(call: Call) -> list[Issue]:
    """The call's issues, each umbrella message placed before the first issue it covers."""
    issues = call.issues
    if not call.umbrellas or not issues:
        return issues
    out = list(issues)
    for parts, rule in reversed(call.umbrellas):
        prefix = call.path(parts)
        below = prefix + "/"
        for index, issue in enumerate(out):
            if issue.path.startswith(below):
                if issue.severity != "error" and rule.severity == "error":
                    continue  # an umbrella error covers errors, never warnings alone
                umbrella = render(rule, None, call.locale)
                out.insert(
                    index, Issue(umbrella, prefix, rule.id, rule.status, None, rule.severity)
                )
                break
    return out
