"""What one call collects, and the policies both executors apply alike.

Two executors run the same compiled program tree (:mod:`ixrules.run.tree`): the generated
code of :mod:`ixrules.run.codegen` (the default) and Cerberus through
:mod:`ixrules.run.reference` (the reference the tests hold the generated code to). Whatever
decides a report beyond one check's verdict is written here once, and both call it:

* :func:`needs`: a rule whose context keys the call lacks is skipped (and listed), never
  guessed;
* :func:`requires`: which modes test ``required`` (an update never does);
* :func:`unknown_keys`: each key a closed object does not declare, reported with the closest
  declared key as the hint for the first :data:`HINTED_KEYS` of them (:func:`unknown_beside`:
  the same for the keys beside a body's root key);
* :func:`note_invalid` and :func:`finish`: a container's ``invalid`` rule is noted at its
  place in a pre-order walk, and its message placed just before the first issue it covers.

Nothing per call is stored on shared objects: each call collects into its own ``Call``.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

from ..checks import Env
from ..messages import render
from ..model import Rule
from ..report import Issue
from ..values import pointer, pointer_token

TYPE_CHECKING = False  # not typing's: importing typing is a cost of every start
if TYPE_CHECKING:
    from typing import Any

_new = object.__new__


class Call:
    """Everything one validation collects; lives exactly as long as the call. ``invalid``
    holds the ``invalid`` rules noted so far, with the path of their container. (A plain
    class: made once per call, and ``dataclasses`` is not imported to validate.)"""

    __slots__ = ("env", "invalid", "issues", "locale", "skipped", "unwrapped")

    def __init__(self, env: Env, unwrapped: bool, locale: str | None = None) -> None:
        self.env = env
        self.unwrapped = unwrapped
        self.locale = locale
        self.issues: list[Issue] = []
        self.skipped: dict[str, None] = {}
        self.invalid: list[tuple[str, Rule]] = []

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


# --- the policies -------------------------------------------------------------------------


def needs(call: Call, rule: Rule) -> bool:
    """True when the call's context has every key ``rule`` needs; else notes it skipped."""
    context = call.env.context
    if rule.needs and (context.empty() or not all(map(context.has, rule.needs))):
        call.skipped[rule.id] = None
        return False
    return True


def lacking(call: Call, rules: tuple[Rule, ...]) -> tuple[bool, ...]:
    """For each of ``rules``, True when the call's context lacks a key it needs (``needs``
    would skip it), noting nothing: asked once per call by the generated code's proof."""
    context = call.env.context
    if context.empty():
        return (True,) * len(rules)
    return tuple(not all(map(context.has, rule.needs)) for rule in rules)


def requires(mode: str) -> bool:
    """True when bodies of ``mode`` are checked for their required fields: an update sends
    only what changes."""
    return mode != "update"


#: How many unknown keys of one object get a "did you mean" hint: an object of thousands of
#: unknown keys is not a typo, and the nearest spelling costs a comparison with every key.
HINTED_KEYS = 64


def unknown_keys(
    call: Call,
    rule: Rule,
    path: str,
    value: Mapping[Any, Any],
    known: Collection[str],
    order: tuple[str, ...],
) -> None:
    """Report with ``rule`` each key of ``value`` (the object at ``path``) not in ``known``
    (the API drops it), with the closest of the declared keys ``order`` as the hint for the
    first :data:`HINTED_KEYS`. A key whose value is null sends nothing, so nothing is lost."""
    hinted = 0
    for key in value:
        if key not in known and value[key] is not None:
            hint = closest_key(key, order) if hinted < HINTED_KEYS else None
            hinted += 1
            where = f"{path}/{pointer_token(key)}"
            call.report_at(rule, where, key, f"did you mean {hint!r}?" if hint else None)


def unknown_beside(
    call: Call, rule: Rule, body: Mapping[Any, Any], declared: tuple[str, ...]
) -> None:
    """Report with ``rule`` each key beside the root key of ``body`` that its endpoint does not
    declare (``declared``: its root keys, then the keys it takes beside them): the API drops
    it without a word, as it drops unknown keys inside (a misspelt ``proprietary_uid`` loses
    the idempotency key). Null values and other endpoints' null root keys send nothing."""
    if not declared or set(declared).issuperset(body):
        return
    unknown_keys(call, rule, "", body, frozenset(declared), declared)


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


def note_invalid(call: Call, place: int, path: str, rule: Rule) -> None:
    """Note the ``invalid`` rule of the container at ``path`` at ``place`` among those noted:
    where a pre-order walk notes it (the reference, on entering the container; the generated
    code, after the container's children, only when something was reported)."""
    call.invalid.insert(place, (path, rule))


def finish(call: Call) -> list[Issue]:
    """The call's issues, each noted ``invalid`` message placed just before the first issue
    inside its container; an ``invalid`` error covers errors, never warnings alone."""
    issues = call.issues
    if not call.invalid or not issues:
        return issues
    out = list(issues)
    for prefix, rule in reversed(call.invalid):
        below = prefix + "/"
        for index, issue in enumerate(out):
            if issue.path.startswith(below):
                if issue.severity != "error" and rule.severity == "error":
                    continue
                message = render(rule, None, call.locale)
                out.insert(index, new_issue(rule, message, prefix, None))
                break
    return out
