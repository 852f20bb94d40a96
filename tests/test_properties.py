"""Properties of ``validate`` on bodies generated from the rules, for every endpoint the rules
define (endpoints added to the rule files are covered without touching this file):

- a valid body has no issue (and the rules that need an absent context are the skipped ones);
- a body with exactly one thing wrong has exactly that thing's message, path and rule id, after
  the umbrella message of each container it is in;
- on anything at all (arbitrary JSON, Python-only values, valid and invalid values mixed, at
  the known fields' places), nothing escapes but the documented ValueErrors, the caller's data
  is left as it was, the answer is the same every time, and every issue is well formed.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st
from strategies import (
    CHECK_STRATEGIES,
    JSON,
    broken_cases,
    examples,
    json_text,
    lying_copy,
    ruleset_endpoints,
    shaped_noise,
    snapshot,
    valid_cases,
)
from support.bodies import triples
from support.endpoints import BREAKABLE, DISTINCT

import ixrules
from ixrules.api import default_rules
from ixrules.checks import CHECKS

ENDPOINTS = ixrules.endpoints()


RULES = default_rules().ruleset.rules
DOCUMENTED = (ixrules.BodyError, ixrules.EndpointError, ixrules.ContextError)


def relaxed(normal: int) -> settings:
    """Settings of a property: ``normal`` examples in the suite, no per-example deadline (a
    loaded CI machine must not make a property flaky), and filtering allowed."""
    return settings(
        max_examples=examples(normal),
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )


def test_every_check_has_a_strategy() -> None:
    """A check without an entry in tests/strategies.py CHECK_STRATEGIES is never generated:
    add one (values that pass and fail it, or how an object or a context passes and fails)."""
    missing = sorted(set(CHECKS) - set(CHECK_STRATEGIES))
    assert missing == [], f"checks without a strategy in tests/strategies.py: {missing}"


def test_every_endpoint_is_generated() -> None:
    assert sorted(ruleset_endpoints()) == sorted(ENDPOINTS)


@pytest.mark.parametrize("endpoint", DISTINCT)
@relaxed(12)
@given(data=st.data())
def test_a_valid_body_passes(endpoint: str, data: st.DataObject) -> None:
    case = data.draw(valid_cases(endpoint), label="case")
    report = ixrules.validate(case.body, endpoint, context=case.context)
    assert triples(report) == [], json_text(case.body)
    assert report.ok and report.status == ruleset_endpoints()[endpoint].success_status
    assert set(report.skipped) == case.skipped


@pytest.mark.parametrize("endpoint", BREAKABLE)
@relaxed(20)
@given(data=st.data())
def test_one_broken_thing_has_exactly_its_message(endpoint: str, data: st.DataObject) -> None:
    case = data.draw(broken_cases(endpoint), label="case")
    event(case.broken)
    report = ixrules.validate(case.body, endpoint, context=case.context)
    found = [(issue.message, issue.path, issue.rule) for issue in report.issues]
    assert found == case.expected, (case.broken, json_text(case.body), case.context)


def _check_report(body: Any, endpoint: str | None, context: Any) -> None:
    """Validate, and assert what holds of any input."""
    before = snapshot(body), snapshot(context)
    try:
        report = ixrules.validate(body, endpoint, context=context)
    except DOCUMENTED as exc:
        assert str(exc)
        assert (snapshot(body), snapshot(context)) == before, "the caller's data changed"
        return
    assert (snapshot(body), snapshot(context)) == before, "the caller's data changed"
    again = ixrules.validate(body, endpoint, context=context)
    assert again == report, "not deterministic"
    assert report.endpoint in ENDPOINTS
    spec = ruleset_endpoints()[report.endpoint]
    for issue in report.errors:
        rule = RULES[issue.rule]
        assert issue.status == rule.status
        if "{value}" not in rule.message:
            assert issue.message == rule.message
        else:
            head, _, tail = rule.message.partition("{value}")
            assert issue.message.startswith(head) and issue.message.endswith(tail)
        assert issue.path == "" or issue.path.startswith("/")
        if spec.roots:
            assert issue.path.split("/")[1] in spec.roots
        assert _parent_exists(body, issue.path)
    data = report.to_dict()
    json.dumps(data, allow_nan=False)
    json.dumps(report.to_api(), allow_nan=False)
    assert report.ok == (report.errors == [])


def _parent_exists(body: Any, path: str) -> bool:
    """The container an issue points into is in the body (the issue's own key may not be:
    a missing required field)."""
    parts = [p.replace("~1", "/").replace("~0", "~") for p in path.split("/")[1:]]
    node = body
    for part in parts[:-1]:
        if isinstance(node, list):
            node = node[int(part)]
        elif isinstance(node, dict) and part in node:
            node = node[part]
        else:
            return False
    return isinstance(node, (dict, list))


@pytest.mark.parametrize("endpoint", DISTINCT)
@relaxed(20)
@given(data=st.data())
def test_anything_shaped_like_the_body(endpoint: str, data: st.DataObject) -> None:
    body, context = data.draw(shaped_noise(endpoint), label="body and context")
    _check_report(body, endpoint, context)


@pytest.mark.parametrize("endpoint", DISTINCT)
@relaxed(10)
@given(value=JSON, context=st.none() | JSON)
def test_arbitrary_json_under_the_root_key(endpoint: str, value: Any, context: Any) -> None:
    roots = ruleset_endpoints()[endpoint].roots
    body = {roots[0]: value} if roots else value
    _check_report(body, endpoint, context)


@relaxed(100)
@given(body=JSON, endpoint=st.none() | st.sampled_from(ENDPOINTS) | st.text(max_size=12))
def test_arbitrary_json_anywhere(body: Any, endpoint: str | None) -> None:
    _check_report(body, endpoint, None)


@relaxed(60)
@given(data=st.data())
def test_the_endpoint_inferred_from_the_root_key(data: st.DataObject) -> None:
    endpoint = data.draw(st.sampled_from([e for e in ENDPOINTS if ruleset_endpoints()[e].roots]))
    body, context = data.draw(shaped_noise(endpoint))
    _check_report(body, None, context)


@relaxed(30)
@given(data=st.data())
def test_the_same_issues_whatever_was_validated_before(data: st.DataObject) -> None:
    """No state leaks from one call to the next: a body's answer does not depend on what was
    validated before it."""
    first, second = data.draw(st.sampled_from(ENDPOINTS)), data.draw(st.sampled_from(ENDPOINTS))
    body, context = data.draw(shaped_noise(first))
    other, other_context = data.draw(shaped_noise(second))

    def answer(body: Any, endpoint: str, context: Any) -> Any:
        try:
            return ixrules.validate(body, endpoint, context=context)
        except DOCUMENTED as exc:
            return repr(exc)

    alone = answer(body, first, context)
    answer(other, second, other_context)
    assert answer(body, first, context) == alone


@pytest.mark.parametrize("endpoint", DISTINCT)
@relaxed(10)
@given(data=st.data())
def test_lying_subclasses_answer_what_their_plain_values_answer(
    endpoint: str, data: st.DataObject
) -> None:
    """A body and context built of subclasses whose every method raises are read as the plain
    values they hold: the same report, or the same documented error."""
    body, context = data.draw(shaped_noise(endpoint), label="body and context")
    try:  # plain JSON only: what a caller's subclasses could hold
        body, context = json.loads(json.dumps([body, context], default=str))
    except ValueError:  # an integer past Python's int-to-str limit
        assume(False)

    def answer(body: Any, context: Any) -> Any:
        try:
            return ixrules.validate(body, endpoint, context=context)
        except DOCUMENTED as exc:
            return type(exc).__name__, str(exc)

    assert answer(lying_copy(body), lying_copy(context)) == answer(body, context)
