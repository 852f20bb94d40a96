"""The exported JSON Schemas are honest: run with ``jsonschema`` (Draft 2020-12, formats
asserted) they accept every body ixrules accepts (a schema stricter than the API would be a
false alarm in every editor), and they refuse what ixrules refuses wherever they say they can:
a rule marked ``exact`` is refused whenever ixrules reports it, a ``looser`` one whenever the
value is of a JSON type it is not looser for. Bodies: the fixtures, every rule's example, and
the property tests' generated bodies (valid, broken, and noise shaped like the body)."""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator
from strategies import broken_cases, examples, ruleset_endpoints, shaped_noise, valid_cases
from support.bodies import EXAMPLES, load_example
from support.endpoints import BREAKABLE, DISTINCT
from support.example_bodies import ENDPOINTS as EXAMPLE_ENDPOINTS

import ixrules
from ixrules.api import default_rules
from ixrules.schema_export import json_schema_notes
from ixrules.values import pointer_parts

RULES = default_rules()
ALL = RULES.endpoints()
SCHEMAS = {name: RULES.json_schema(name) for name in ALL}
VALIDATORS = {
    name: Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
    for name, schema in SCHEMAS.items()
}


def places(endpoint: str) -> dict[tuple[str, str, bool], dict[str, Any]]:
    """Each rule entry of an endpoint's schema notes by (path below the root value, rule id,
    whether it is the entry of a required key)."""
    notes = json_schema_notes(RULES, endpoint)
    return {
        (path, entry["id"], bool(entry.get("required"))): entry
        for path, entries in notes["rules"].items()
        for entry in entries
    }


PLACES = {name: places(name) for name in SCHEMAS}
NOTES = json_schema_notes(RULES, "invoices.create")


def is_json(value: Any) -> bool:
    """A value a JSON parser could have returned (no NaN, no tuples, string keys only)."""
    if value is None or isinstance(value, (bool, str)):
        return True
    if isinstance(value, int):
        return value.bit_length() < 14_000  # Python's json reads no more than 4300 digits
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, list):
        return all(is_json(item) for item in value)
    if isinstance(value, dict):
        return all(isinstance(key, str) and is_json(item) for key, item in value.items())
    return False


def json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    return {str: "string", list: "array", dict: "object"}.get(type(value), "null")


def at(body: Any, path: str) -> Any:
    node = body
    for part in pointer_parts(path):
        if isinstance(node, list):
            node = node[int(part)]
        elif isinstance(node, Mapping):
            node = node.get(part)
        else:
            return None
    return node


def refusals(body: Any, endpoint: str, context: Any = None) -> tuple[bool, list[str]]:
    """Whether ixrules accepts the body, and the reasons the schema must refuse it (each
    reported error of a rule the schema says it expresses for that value)."""
    try:
        report = ixrules.validate(body, endpoint, context=context)
    except ixrules.BodyError as exc:
        return False, [f"BodyError: {exc}"]
    spec = ruleset_endpoints()[endpoint]
    must = []
    for issue in report.errors:
        rule = RULES.ruleset.rules[issue.rule]
        parts = pointer_parts(issue.path)[1 if spec.roots else 0 :]
        where = "".join("/" + ("*" if part.isdigit() else part) for part in parts)
        value = at(body, issue.path)
        missing = value is None or value is False
        if rule.at is not None:  # a rule on the object, reported at one of its keys
            where, value, missing = (
                where.rpartition("/")[0],
                at(body, issue.path[: -len(rule.at) - 1]),
                False,
            )
        entry = PLACES[endpoint].get((where, rule.id, missing))
        if entry is None:
            continue
        if entry["expressed"] == "exact" or (
            entry["expressed"] == "looser" and json_type(value) not in entry["looser_for"]
        ):
            must.append(f"{rule.id} at {issue.path}")
    return report.ok, must


def assert_honest(body: Any, endpoint: str, context: Any = None) -> None:
    ok, must = refusals(body, endpoint, context)
    errors = [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
        for e in VALIDATORS[endpoint].iter_errors(body)
    ]
    shown = json.dumps(body)[:1500]
    if ok:
        assert errors == [], (
            f"{endpoint}: the schema refuses a body ixrules accepts: {errors} {shown}"
        )
    if must:
        assert errors, f"{endpoint}: the schema accepts a body refused for {must}: {shown}"


def test_every_check_has_a_writer() -> None:
    """A check added to ixrules/checks/ says how it is written in JSON Schema, or why not
    (its registration's ``json_schema``)."""
    from ixrules.checks import CHECKS

    assert sorted(name for name, check in CHECKS.items() if check.json_schema is None) == []


@pytest.mark.parametrize("endpoint", ALL)
def test_every_schema_is_valid_2020_12(endpoint: str) -> None:
    Draft202012Validator.check_schema(SCHEMAS[endpoint])
    assert SCHEMAS[endpoint]["$schema"] == "https://json-schema.org/draft/2020-12/schema"


@pytest.mark.parametrize("name", sorted(path.name for path in EXAMPLES.glob("*.json")))
def test_fixtures(name: str) -> None:
    endpoint = EXAMPLE_ENDPOINTS.get(name)
    if endpoint is None:
        pytest.skip("no endpoint known for this example")
    assert_honest(load_example(name), endpoint)


def test_the_accepted_fixtures_are_accepted() -> None:
    accepted = [
        name
        for name, endpoint in EXAMPLE_ENDPOINTS.items()
        if ixrules.validate(load_example(name), endpoint).ok
    ]
    assert len(accepted) > 30
    for name in accepted:
        assert VALIDATORS[EXAMPLE_ENDPOINTS[name]].is_valid(load_example(name)), name


EXAMPLED = [rule for rule in RULES.ruleset.rules.values() if rule.example]


@pytest.mark.parametrize("rule", EXAMPLED, ids=lambda rule: rule.id)
def test_rule_examples(rule: Any) -> None:
    example = rule.example
    body, endpoint = example["body"], example.get("endpoint")
    if endpoint is None:
        endpoint = ixrules.validate(body).endpoint
    assert_honest(body, endpoint, example.get("context"))


def test_the_expressed_examples_are_refused() -> None:
    """Most rules with an example are refused by the schema too (without the context)."""
    refused = []
    for rule in EXAMPLED:
        example = rule.example
        assert example is not None
        endpoint = example.get("endpoint") or ixrules.validate(example["body"]).endpoint
        if example.get("context") is None and not VALIDATORS[endpoint].is_valid(example["body"]):
            refused.append(rule.id)
    for expected in ("item.unit.accepted", "document.items.array", "document.retention.range"):
        assert expected in refused
    assert len(refused) >= 25, refused


def relaxed(normal: int) -> settings:
    return settings(
        max_examples=examples(normal),
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )


@pytest.mark.parametrize("endpoint", DISTINCT)
@relaxed(8)
@given(data=st.data())
def test_valid_bodies_are_accepted(endpoint: str, data: st.DataObject) -> None:
    case = data.draw(valid_cases(endpoint), label="case")
    if is_json(case.body):
        assert_honest(case.body, endpoint, None)


@pytest.mark.parametrize("endpoint", BREAKABLE)
@relaxed(12)
@given(data=st.data())
def test_broken_bodies(endpoint: str, data: st.DataObject) -> None:
    case = data.draw(broken_cases(endpoint), label="case")
    if is_json(case.body):
        assert_honest(case.body, endpoint, None)


@pytest.mark.parametrize("endpoint", DISTINCT)
@relaxed(15)
@given(data=st.data())
def test_noise_shaped_like_the_body(endpoint: str, data: st.DataObject) -> None:
    body, _ = data.draw(shaped_noise(endpoint), label="body")
    if is_json(body):
        assert_honest(body, endpoint, None)


def test_null_and_false_are_absent() -> None:
    body = {
        "invoice": {
            "date": None,
            "due_date": False,
            "items": [
                {"name": "Pen", "unit_price": 1, "quantity": 1, "unit": None, "discount": False}
            ],
            "client": {"name": "Acme", "country": None, "email": False},
        }
    }
    assert ixrules.validate(body, "invoices.create").ok
    assert VALIDATORS["invoices.create"].is_valid(body)


def test_unknown_keys_are_not_refused() -> None:
    body = {
        "invoice": {
            "client": {"name": "Acme"},
            "due-date": "01/12/2017",
            "items": [{"name": "Pen", "unit_price": 1, "quantity": 1, "colour": "blue"}],
        }
    }
    assert ixrules.validate(body, "invoices.create").ok
    assert VALIDATORS["invoices.create"].is_valid(body)


def test_what_is_not_expressed_is_listed() -> None:
    listed = {entry["id"]: entry["why"] for entry in NOTES["not_expressed"]}
    assert listed["document.due_date.after_date"] == "compares two dates of the object"
    assert (
        listed["document.mb_reference.provider"]
        == "needs the context's account.mb_payment_provider"
    )
    assert "kind.date" not in listed
    warnings = NOTES["warnings"]
    assert "/due_date" in warnings["kind.date"] and "" in warnings["field.unknown"]


@pytest.mark.parametrize("quantity", [2**1024 - 2**970 - 1, 10**400, "1e999", " 1_000 ", "0", 1.0])
def test_numbers_at_the_edges(quantity: Any) -> None:
    """The largest integer a double rounds to (accepted) and those past it (refused by ixrules,
    not by the schema: it says it is looser there); numeric strings outside the bounds."""
    body = {"invoice": {"items": [{"quantity": quantity}]}}
    assert_honest(body, "invoices.update")
