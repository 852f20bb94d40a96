"""The fast executor answers exactly what Cerberus answers with the same compiled rules: the
same issues (message, path, rule, status, hint, severity) in the same order, the same skipped
rules, on every endpoint: every test body, every rule's example, bodies generated from each
endpoint's own rules (tests/strategies.py) and at random, objects of many unknown keys, and
the hostile input of tests/test_hostile.py; and hostile input cannot crash it."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import broken_cases, examples, shaped_noise, valid_cases
from support.bodies import EXAMPLES, FIXTURES, load_example
from support.documents import DOCUMENT_ENDPOINTS, FIELD_CASES, valid_body
from support.hostile import HOSTILE, SLOW, hostile_params

from ixrules import BodyError, Rules
from ixrules.api import default_rules
from ixrules.model import EndpointSpec, FieldSpec
from ixrules.ruleformat.relink import rules_of
from ixrules.run.call import HINTED_KEYS

FAST = default_rules()
REFERENCE = Rules(FAST.ruleset, executor="cerberus")
ENDPOINTS = FAST.endpoints()
RULES = FAST.ruleset.rules

CONTEXTS: list[dict[str, Any] | None] = [
    None,
    {"account": {"mb_payment_provider": False}, "document": {"status": "settled"}},
    {"account": {"mb_payment_provider": True}, "now": "2017-12-02T09:00:00"},
    {
        "account": {
            "trial": True,
            "company_info_complete": False,
            "fiscal_id": "508025338",
            "country": "PT",
        },
        "existing": {
            "clients": ["Acme", "Bruce Norris"],
            "items": ["Pen"],
            "taxes": ["IVA23"],
            "sequences": ["A"],
        },
        "fiscal_ids_in_use": ["508025338"],
        "document": {"id": 7, "status": "final"},
        "documents_in_period": 0,
        "request": {"content_type": "text/plain"},
    },
    {"account": {"country": "Portugal"}, "existing": {"taxes": {"IVA23": 0, "IVA6": "6"}}},
]


def answer(
    rules: Rules, body: Any, endpoint: str | None, context: Any, parsed: bool = False
) -> Any:
    """Everything a report says, or the error that refused the body (``parsed``: given to
    ``validate_parsed``, whose generated proof skips the key-type tests)."""
    try:
        validate = rules.validate_parsed if parsed else rules.validate
        report = validate(body, endpoint, context=context)
    except BodyError as exc:
        return ("BodyError", str(exc))
    issues = [(i.message, i.path, i.rule, i.status, i.hint, i.severity) for i in report.issues]
    return issues, report.skipped, report.status


def same(body: Any, endpoint: str | None, context: Any = None, parsed: bool = True) -> None:
    """The fast executor answers as the reference; so does ``validate_parsed`` on the body's
    JSON text parsed (``parsed`` False: not asked, where the text would be megabytes)."""
    expected = answer(REFERENCE, body, endpoint, context)
    assert answer(FAST, body, endpoint, context) == expected
    if not parsed:
        return
    try:
        text = json.dumps(body)
    except (TypeError, ValueError, RecursionError):
        return  # no JSON text has this body: validate_parsed is never given it
    parsed = json.loads(text)
    if parsed != body:  # a tuple became a list, a key a string: compare it afresh
        expected = answer(REFERENCE, parsed, endpoint, context)
    assert answer(FAST, parsed, endpoint, context, parsed=True) == expected


def field_names(spec: FieldSpec, out: set[str]) -> set[str]:
    for name, child in (spec.fields or {}).items():
        out.add(name)
        field_names(child, out)
    if spec.each is not None:
        field_names(spec.each, out)
    return out


KEYS = sorted(
    set().union(*(field_names(e.body, set()) for e in FAST.ruleset.endpoints.values()))
    | {"unknown"}
)
ROOTS = sorted({root for e in FAST.ruleset.endpoints.values() for root in e.roots})
SAMPLES = [
    "1",
    "0",
    "-1",
    "1,5",
    " 2 ",
    "",
    "01/12/2017",
    "15/12/2017",
    "31/02/2017",
    "02/12/2017 10:00:00",
    "Portugal",
    "Germani",
    "PT",
    "a@example.com",
    "nope",
    "kg",
    "unit",
    "settled",
]


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize("context", CONTEXTS)
def test_the_fixture_examples(endpoint: str, context: Any) -> None:
    for path in sorted(EXAMPLES.glob("*.json")):
        same(load_example(path.name), endpoint, context)
        same(load_example(path.name), None, context)


@pytest.mark.parametrize("rule_id", sorted(RULES))
def test_every_rule_example(rule_id: str) -> None:
    example = dict(RULES[rule_id].example or {})
    for endpoint in (example.get("endpoint"), *ENDPOINTS):
        same(example["body"], endpoint, example.get("context"))


@pytest.mark.parametrize("endpoint", DOCUMENT_ENDPOINTS)
def test_the_document_field_cases(endpoint: str) -> None:
    from support.bodies import changed

    body = valid_body(endpoint)
    root = next(iter(body))
    same(body, endpoint)
    for pointer, bad, good, _ in FIELD_CASES.values():
        for value in (bad, good, None, False, [], {}):
            same(changed(body, f"/{root}{pointer}", value), endpoint)


def test_the_fixtures_directory_is_what_the_comparison_reads() -> None:
    assert (FIXTURES / "examples").is_dir() and any(EXAMPLES.glob("*.json"))


SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 3),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(SAMPLES),
    st.text(max_size=4),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(KEYS), inner, max_size=5)
    ),
    max_leaves=25,
)
BODIES = st.builds(
    lambda root, value: {root: value},
    st.sampled_from(ROOTS),
    st.dictionaries(st.sampled_from(KEYS), VALUES, max_size=8),
)


@settings(max_examples=300, deadline=None)
@given(
    body=BODIES,
    endpoint=st.sampled_from([None, *ENDPOINTS]),
    context=st.sampled_from(CONTEXTS),
)
def test_generated_bodies(body: Any, endpoint: str | None, context: Any) -> None:
    same(body, endpoint, context)


def nested(depth: int) -> Any:
    value: Any = "x"
    for _ in range(depth):
        value = [value]
    return value


@pytest.mark.parametrize(
    "where",
    [
        lambda deep: {"invoice": {"items": deep}},
        lambda deep: {"invoice": {"items": [deep]}},
        lambda deep: {"invoice": {"client": {"unknown": deep}}},
        lambda deep: {"invoice": {"unknown": {"a": deep}}},
    ],
)
def test_deep_input_is_no_crash(where: Any) -> None:
    report = FAST.validate(where(nested(100_000)), "invoices.update")
    assert all(issue.path.count("/") <= 4 for issue in report.errors)


def test_an_unknown_executor_is_refused() -> None:
    with pytest.raises(ValueError, match="executor must be one of fast, cerberus"):
        Rules(FAST.ruleset, executor="numba")  # type: ignore[arg-type]


def test_the_cerberus_schema_is_available_per_endpoint() -> None:
    schema = FAST.schema("invoice_receipts.create")
    assert sorted(schema) == ["invoice", "invoice_receipt", "proprietary_uid"]
    items = schema["invoice"]["schema"]["items"]
    assert items["nullable"] is True and items["ix"].container is list


def test_calls_from_many_threads_answer_as_one_thread_does() -> None:
    from concurrent.futures import ThreadPoolExecutor

    bodies = [
        (dict(RULES[rule_id].example or {}), endpoint)
        for rule_id in sorted(RULES)
        for endpoint in (None, "invoices.update")
    ]

    def both(case: tuple[dict[str, Any], str | None]) -> Any:
        example, endpoint = case
        return answer(FAST, example["body"], endpoint, example.get("context"))

    alone = [both(case) for case in bodies]
    with ThreadPoolExecutor(max_workers=8) as pool:
        assert list(pool.map(both, bodies * 4)) == alone * 4


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@settings(
    max_examples=examples(4),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(data=st.data())
def test_bodies_generated_from_each_endpoints_rules(endpoint: str, data: st.DataObject) -> None:
    """Every endpoint, on bodies built from its own rules: valid ones, ones with one thing
    broken, and ones shaped like the body with any value anywhere."""
    kind = data.draw(st.sampled_from(["valid", "broken", "noise"]), label="kind")
    if kind == "noise":
        body, context = data.draw(shaped_noise(endpoint), label="body and context")
    else:
        if kind == "broken" and not rules_of(FAST.ruleset.endpoints[endpoint].body):
            return
        make = valid_cases if kind == "valid" else broken_cases
        case = data.draw(make(endpoint), label="case")
        body, context = case.body, case.context
    if isinstance(context, dict) or context is None:
        same(body, endpoint, context)
        same(body, None, context)


# --- the cases that once slipped: many unknown keys, hostile input ------------------------------


def test_seventy_unknown_keys_close_to_a_known_one_get_the_same_64_hints() -> None:
    body = {"invoice": {f"due_date{i}": "01/12/2017" for i in range(70)}}
    same(body, "invoices.update")
    hints = [issue.hint for issue in FAST.validate(body, "invoices.update").warnings]
    assert hints == ["did you mean 'due_date'?"] * HINTED_KEYS + [None] * (70 - HINTED_KEYS)


def test_ten_thousand_unknown_keys() -> None:
    body = {"invoice": {f"key{i}": i for i in range(10_000)}}
    same(body, "invoices.update")
    warnings = FAST.validate(body, "invoices.update").warnings
    assert len(warnings) == 10_000 and warnings[-1].path == "/invoice/key9999"


def test_a_plain_call_builds_no_cerberus_schema() -> None:
    """``Rules.load()`` then ``validate()`` writes no Cerberus schema and imports neither
    Cerberus nor the reference executor (a fresh process, so nothing is loaded before)."""
    import json
    import subprocess
    import sys

    probe = (
        "import sys, json\n"
        "from ixrules import Rules\n"
        "rules = Rules.load()\n"
        "rules.validate({'invoice': {'items': [{'unit': 'kg'}]}}, 'invoices.create')\n"
        "print(json.dumps(sorted(sys.modules)))"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout
    loaded = json.loads(out)
    assert "ixrules.run.codegen" in loaded
    assert [name for name in ("cerberus", "ixrules.run.reference") if name in loaded] == []


#: One endpoint for each body spec, mode and wrapping: the others answer alike.
DISTINCT: dict[tuple[int, str, bool], tuple[str, EndpointSpec]] = {}
for _name, _spec in FAST.ruleset.endpoints.items():
    DISTINCT.setdefault((id(_spec.body), _spec.mode, bool(_spec.roots)), (_name, _spec))


def skeleton(spec: FieldSpec, value: Any, above: frozenset[int] = frozenset()) -> Any:
    """A body shaped as ``spec`` with ``value`` at every leaf and under an unknown key of every
    object (a fragment that holds itself holds ``value`` instead)."""
    if id(spec) in above:
        return value
    above = above | {id(spec)}
    if spec.fields is not None:
        out = {name: skeleton(child, value, above) for name, child in spec.fields.items()}
        out["x_unknown"] = value
        return out
    if spec.each is not None:
        return [skeleton(spec.each, value, above)]
    return value


def hostile_bodies(spec: EndpointSpec, value: Any) -> list[Any]:
    """``value`` at every leaf of ``spec``'s body, at every key of its top level, and as the
    whole body."""
    tops = [skeleton(spec.body, value), {name: value for name in spec.body.fields or ()}, value]
    return [{spec.roots[0]: top} if spec.roots else top for top in tops]


@pytest.mark.parametrize("kind", hostile_params())
def test_hostile_input(kind: str) -> None:
    value = HOSTILE[kind]()
    for name, spec in DISTINCT.values():
        for body in hostile_bodies(spec, value):
            same(body, name, parsed=kind not in SLOW)
