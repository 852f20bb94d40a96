"""What one call collects, and the rule evaluation both executors share.

Two executors do the same thing over the same compiled programs:

* the fast one, :mod:`ixrules.codegen`: each body's program tree written out as Python source
  and run, with what Cerberus does with our schemas (null allowed, ``schema`` for objects and
  arrays, unknown keys never walked, the ``ix`` rule at each node) and nothing else.
* ``ixrules.reference.run_cerberus``: Cerberus itself, through ``IxValidator`` and its one
  custom rule ``ix``, evaluating rules with this module's functions. It is the reference the
  tests hold the generated code to (same issues, same order).

Nothing per call is stored on shared objects: each call collects into its own ``Call``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .checks import Env
from .compiler import BoundRule, Program
from .messages import render
from .model import Rule
from .report import Issue
from .values import absent, pointer

_new = object.__new__


@dataclass
class Call:
    """Everything one validation collects; lives exactly as long as the call."""

    env: Env
    unwrapped: bool
    locale: str | None = None
    issues: list[Issue] = field(default_factory=list)
    skipped: dict[str, None] = field(default_factory=dict)
    umbrellas: list[tuple[str, Rule]] = field(default_factory=list)  # (path, rule)

    def path(self, parts: tuple[Any, ...]) -> str:
        return pointer(parts[1:] if self.unwrapped else parts)

    def report(
        self, rule: Rule, parts: tuple[Any, ...], value: Any, hint: str | None = None
    ) -> None:
        self.report_at(rule, self.path(parts), value, hint)

    def report_at(self, rule: Rule, path: str, value: Any, hint: str | None = None) -> None:
        """Report ``rule`` at the JSON pointer ``path`` (the generated code writes its own)."""
        self.issues.append(new_issue(rule, render(rule, value, self.locale), path, hint))


def new_issue(rule: Rule, message: str, path: str, hint: str | None) -> Issue:
    """``Issue(message, path, rule.id, ...)`` built in one dict update, without the frozen
    dataclass' ``__setattr__`` per field (a third of the cost of reporting): the same object."""
    issue: Issue = _new(Issue)
    issue.__dict__.update(
        message=message,
        path=path,
        rule=rule.id,
        status=rule.status,
        hint=hint,
        severity=rule.severity,
    )
    return issue


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
    for prefix, rule in reversed(call.umbrellas):
        below = prefix + "/"
        for index, issue in enumerate(out):
            if issue.path.startswith(below):
                if issue.severity != "error" and rule.severity == "error":
                    continue  # an umbrella error covers errors, never warnings alone
                umbrella = render(rule, None, call.locale)
                out.insert(index, new_issue(rule, umbrella, prefix, None))
                break
    return out
