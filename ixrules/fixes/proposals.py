"""What fix each finding proposes: the check's ``fix`` fact, or the few fixes that belong to
a rule rather than to its check (a key the object does not declare, a negative line price)
or to the body's shape (a wrong or missing root key).

Nothing here applies anything: each finding gets an :class:`~ixrules.report.Edit` (its
``Issue.fix``), and :mod:`ixrules.fixes.engine` decides which to apply.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from ..checks import Check, Env, Repaired, lookup
from ..endpoint_lookup import RootIndex, closest_root, root_repair
from ..model import UNKNOWN_KEY_RULE, EndpointSpec, FieldSpec, Rule, RuleSet
from ..report import Edit, Issue
from ..run.call import closest_key
from ..values import MISSING, pointer_parts, pointer_token, value_at

#: The pseudo rule ids of the fixes of a body's shape (no rule reports them: the body cannot
#: be validated until they are made; :class:`ixrules.BodyError` says why).
ROOT_KEY = "body.root_key"
WRAP = "body.wrapped"

#: Keys integrators send for another one (observed: tests/fixtures/fix/SOURCES.md), as the
#: path below the object that declares the target: ``zip`` is a ``postal_code``,
#: ``tax_name`` the ``name`` of the line's ``tax``.
KEY_ALIASES: Mapping[str, tuple[str, ...]] = {
    "zip": ("postal_code",),
    "zip_code": ("postal_code",),
    "tax_name": ("tax", "name"),
}


@dataclass(frozen=True)
class Spot:
    """Where a rule fix looks: the finding, the body it is in, the value at its path (absent:
    :data:`MISSING`), and the declared keys of the object holding it (None: not known)."""

    issue: Issue
    rule: Rule
    body: Any
    value: Any
    declared: tuple[str, ...] | None
    env: Env


@dataclass(frozen=True)
class RuleFix:
    """A fix that belongs to a rule: ``propose(spot)`` gives the edit (or None), with the
    applicability and one-line description the docs' table lists."""

    propose: Callable[[Spot], Edit | None]
    applicability: str
    description: str


def _renamed_key(spot: Spot) -> Edit | None:
    key = pointer_parts(spot.issue.path)[-1] if spot.issue.path else None
    if key is None or spot.declared is None:
        return None
    target = KEY_ALIASES.get(key.strip().casefold())
    if target is None:
        close = closest_key(key, spot.declared)
        target = (close,) if close is not None else None
    if target is None or target[0] not in spot.declared:
        return None
    parent = spot.issue.path.rsplit("/", 1)[0]
    holder = value_at(spot.body, parent)
    if not isinstance(holder, Mapping) or not _free(holder, target):
        return None
    to = parent + "".join(f"/{pointer_token(part)}" for part in target)
    name = ".".join(target)
    return Edit(
        spot.issue.path,
        spot.rule.id,
        key,
        name,
        "unsafe",
        f"rename the key {key!r}, which the API drops, to {name!r}",
        op="move",
        to=to,
    )


def _free(holder: Mapping[str, Any], target: tuple[str, ...]) -> bool:
    """True when ``target`` (a key of ``holder``, or a path below it) is not there at all: a
    nested target is made whole, never merged into an object the body has."""
    return target[0] not in holder


def _price_advice(spot: Spot) -> Edit | None:
    return Edit(
        spot.issue.path,
        spot.rule.id,
        spot.value if spot.value is not MISSING else None,
        None,
        "display",
        "a negative line is a discount: write it as the line's `discount` or the document's "
        "`global_discount`, or issue a credit note",
    )


#: The fixes that belong to a rule (by rule id), not to its check.
RULE_FIXES: Mapping[str, RuleFix] = {
    UNKNOWN_KEY_RULE: RuleFix(
        _renamed_key,
        "unsafe",
        "a key the object does not declare -> its one close declared key or known alias "
        "(`due-date` -> `due_date`, `zip` -> `postal_code`, `tax_name` -> `tax.name`)",
    ),
    "item.unit_price.positive": RuleFix(
        _price_advice,
        "display",
        "a negative line price -> how to write a discount (shown only)",
    ),
}

#: The fixes of a body's shape, for the docs' table: (pseudo rule id, applicability, what).
SHAPE_FIXES = (
    (ROOT_KEY, "unsafe", "a wrong root key (`fatura_recibo`, `estimate`, `invoices`) -> renamed"),
    (WRAP, "unsafe", "a body without its root key -> wrapped in the endpoint's root key"),
)


def declared_keys(endpoint: EndpointSpec, path: str) -> tuple[str, ...] | None:
    """The keys declared by the object holding the key at ``path`` (None: not a declared
    object, or one open to any key)."""
    parts = pointer_parts(path)[:-1]
    spec: FieldSpec | None = endpoint.body
    if endpoint.wrapped:
        if not parts:
            return None
        head, parts = parts[0], parts[1:]
        spec = endpoint.body if head in endpoint.roots else endpoint.siblings.get(head)
    for part in parts:
        if spec is None:
            return None
        if spec.fields is not None:
            spec = spec.fields.get(part)
        elif spec.each is not None and part.isdigit():
            spec = spec.each
        else:
            return None
    if spec is None or spec.fields is None or spec.open:
        return None
    return tuple(spec.fields)


def fixable_rules(ruleset: RuleSet) -> frozenset[str]:
    """The ids of the rules whose findings may carry a fix."""
    out = set(RULE_FIXES) & set(ruleset.rules)
    for rule in ruleset.rules.values():
        found = lookup(rule.check, ruleset.checks) if rule.check else None
        if found is None or found.fix is None:
            continue
        if rule.at is None or found.fix.applicability == "display":
            out.add(rule.id)
    return frozenset(out)


def propose(
    issue: Issue, ruleset: RuleSet, endpoint: EndpointSpec, body: Any, env: Env
) -> Edit | None:
    """The fix of one finding, or None. A repair that fails (a plugin's bug) proposes none."""
    rule = ruleset.rules.get(issue.rule or "")
    if rule is None:
        return None
    where = issue.path
    if rule.at is not None:  # a rule on an object reported at one of its keys: only shown
        where = where[: len(where) - len(rule.at) - 1]
    value = value_at(body, where)
    try:
        own = RULE_FIXES.get(rule.id)
        if own is not None:
            declared = declared_keys(endpoint, issue.path) if rule.id == UNKNOWN_KEY_RULE else None
            return own.propose(Spot(issue, rule, body, value, declared, env))
        found = lookup(rule.check, ruleset.checks) if rule.check else None
        if found is None or value is MISSING:
            return None
        edit = _checked(found, rule, issue, value, env)
        if edit is not None and rule.at is not None and edit.applicability != "display":
            return None
        return edit
    except Exception:
        return None


def _checked(found: Check, rule: Rule, issue: Issue, value: Any, env: Env) -> Edit | None:
    fix = found.fix
    if fix is None:
        return None
    answer = fix.repair(value, env, **rule.args)
    if answer is None:
        return None
    applicability, description = fix.applicability, fix.description
    if isinstance(answer, Repaired):
        applicability = answer.applicability or applicability
        description = answer.description or description
        answer = answer.value
    if answer is not None and type(answer) is type(value) and answer == value:
        return None
    return Edit(issue.path, rule.id, value, answer, applicability, description)


def attach(
    issues: list[Issue],
    fixable: frozenset[str],
    ruleset: RuleSet,
    endpoint: EndpointSpec,
    body: Any,
    env: Env,
) -> None:
    """Give each of a call's new issues whose rule is in ``fixable`` (see
    :func:`fixable_rules`) its fix (``issue.fix``): the issues are the call's own, just made,
    so nothing anyone holds changes."""
    for issue in issues:
        if issue.rule in fixable:
            edit = propose(issue, ruleset, endpoint, body, env)
            if edit is not None:
                issue.__dict__["fix"] = edit


def shape_fix(ruleset: RuleSet, index: RootIndex, body: Any, name: str | None) -> Edit | None:
    """The fix of a body that cannot be validated for want of a known root key: the key
    renamed, or the body wrapped (both unsafe), or None."""
    found = root_repair(ruleset.endpoints, body, name, index)
    if found is None:
        return None
    op, key = found
    if op == "wrap":
        return Edit("", WRAP, None, key, "unsafe", f"wrap the body in its root key {key!r}", "wrap")
    roots = index.roots if name is None else ruleset.endpoints[name].roots
    target = closest_root(key, roots) or key
    return Edit(
        f"/{pointer_token(key)}",
        ROOT_KEY,
        key,
        target,
        "unsafe",
        f"rename the root key {key!r} to {target!r}",
        op="move",
        to=f"/{pointer_token(target)}",
    )
