"""A loaded rule set rebuilt with some rules swapped (a pack's overrides, a configuration's
severities), and the walks over spec trees that rebuilding needs: which rules a spec reaches,
and whether it has an object that knows all its keys.
"""

from __future__ import annotations

from collections.abc import Callable

from ..model import UNKNOWN_KEY_RULE, FieldSpec, Rule, RuleSet

__all__ = ["relink", "rules_of"]


def relink(ruleset: RuleSet, swap: Callable[[Rule], Rule | None]) -> RuleSet:
    """``ruleset`` with every rule replaced by ``swap(rule)`` (None: dropped) throughout its
    spec trees, sharing kept (a spec used by many endpoints is rebuilt once), and the index of
    which endpoints check which rule rebuilt."""
    memo: dict[int, FieldSpec] = {}

    def spec_of(spec: FieldSpec) -> FieldSpec:
        done = memo.get(id(spec))
        if done is not None:
            return done
        rules: dict[str, Rule] = {}
        for rule in spec.rules:
            new = swap(rule)
            if new is not None:
                rules.setdefault(new.id, new)
        fields = (
            None
            if spec.fields is None
            else {name: spec_of(child) for name, child in spec.fields.items()}
        )
        out = spec.replace(
            rules=tuple(rules.values()),
            required=swap(spec.required) if spec.required is not None else None,
            invalid=swap(spec.invalid) if spec.invalid is not None else None,
            fields=fields,
            each=spec_of(spec.each) if spec.each is not None else None,
        )
        memo[id(spec)] = out
        return out

    rules = {}
    for rule_id, rule in ruleset.rules.items():
        new = swap(rule)
        if new is not None:
            rules[rule_id] = new
    endpoints = {
        name: endpoint.replace(
            body=spec_of(endpoint.body),
            siblings={key: spec_of(spec) for key, spec in endpoint.siblings.items()},
        )
        for name, endpoint in ruleset.endpoints.items()
    }
    rule_endpoints: dict[str, list[str]] = {}
    for endpoint in endpoints.values():
        below = [endpoint.body, *endpoint.siblings.values()]
        for rule in {r.id: r for spec in below for r in rules_of(spec)}.values():
            if rule.applies_in(endpoint.mode):
                rule_endpoints.setdefault(rule.id, []).append(endpoint.name)
        if UNKNOWN_KEY_RULE in rules and _has_closed(endpoint.body):
            rule_endpoints.setdefault(UNKNOWN_KEY_RULE, []).append(endpoint.name)
    return ruleset.replace(
        endpoints=endpoints,
        rules=rules,
        rule_endpoints={key: tuple(value) for key, value in rule_endpoints.items()},
    )


def rules_of(spec: FieldSpec, seen: set[int] | None = None) -> list[Rule]:
    """Every rule reachable from ``spec``, in order, once each."""
    seen = set() if seen is None else seen
    if id(spec) in seen:
        return []
    seen.add(id(spec))
    out: list[Rule] = [rule for rule in (spec.required, spec.invalid) if rule is not None]
    out.extend(spec.rules)
    for child in (spec.fields or {}).values():
        out.extend(rules_of(child, seen))
    if spec.each is not None:
        out.extend(rules_of(spec.each, seen))
    return list({rule.id: rule for rule in out}.values())


def _has_closed(spec: FieldSpec, seen: set[int] | None = None) -> bool:
    """True when an object spec in ``spec``'s tree knows all its keys."""
    seen = set() if seen is None else seen
    if id(spec) in seen:
        return False
    seen.add(id(spec))
    if spec.fields is not None and not spec.open:
        return True
    below = [*(spec.fields or {}).values(), *([spec.each] if spec.each is not None else [])]
    return any(_has_closed(child, seen) for child in below)
