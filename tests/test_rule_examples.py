"""Every rule documents an example body, and that example really triggers the rule: the
examples that `ixrules explain` and docs/catalogue.md show cannot drift from the rules."""

from __future__ import annotations

import pytest

import ixrules
from ixrules.api import default_rules

RULES = default_rules().ruleset.rules


@pytest.mark.parametrize("rule_id", sorted(RULES))
def test_the_example_triggers_its_rule(rule_id: str) -> None:
    rule = RULES[rule_id]
    assert rule.example is not None, f"{rule.origin}: rule {rule_id} has no example"
    example = dict(rule.example)
    report = ixrules.validate(
        example["body"],
        example.get("endpoint"),
        context=example.get("context"),
        locale=example.get("locale"),
    )
    found = [(issue.rule, issue.severity) for issue in report.issues]
    assert (rule_id, rule.severity) in found, report.issues


@pytest.mark.parametrize("rule_id", sorted(RULES))
def test_every_rule_is_documented(rule_id: str) -> None:
    rule = RULES[rule_id]
    assert rule.doc.strip(), f"{rule.origin}: rule {rule_id} has no doc"
    assert rule_id in default_rules().ruleset.rule_endpoints, f"{rule_id} is used by no endpoint"
