"""The five properties of fixing (issue 22), over generated bodies (``tests/strategies.py``:
broken ones, each with one thing wrong) and over real bodies (``tests/fixtures/examples/``)
mutated with the mistakes integrators make:

1. a fix never introduces an error that was not there;
2. fixing twice changes nothing the second time;
3. the loop converges in a bounded number of passes (a cycle is reported, never endless);
4. no value that no rule flagged is touched;
5. two fixes on one path never both apply.
"""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import broken_bodies, examples, ruleset_endpoints
from support.bodies import EXAMPLES

import ixrules
from ixrules.fixes.engine import MAX_PASSES, FixResult
from ixrules.report import Edit, Report
from ixrules.ruleformat.relink import rules_of
from ixrules.values import pointer_parts

BREAKABLE = [name for name, spec in ruleset_endpoints().items() if rules_of(spec.body)][::3]


def relaxed(normal: int) -> Any:
    return settings(
        max_examples=examples(normal),
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
    )


def errors(report: Report) -> set[tuple[str | None, str]]:
    return {(issue.rule, issue.path) for issue in report.errors}


def moved(path: str, fixes: list[Edit]) -> str:
    for edit in fixes:
        if (
            edit.op == "move"
            and edit.to
            and (path == edit.path or path.startswith(edit.path + "/"))
        ):
            path = edit.to + path[len(edit.path) :]
    return path


MISSING = object()


def same(a: Any, b: Any) -> bool:
    """The same JSON value: equal and of one type, NaN the same as NaN (``nan != nan``)."""
    return type(a) is type(b) and (a == b or repr(a) == repr(b) == "nan")


def leaves(value: Any, prefix: str = "") -> dict[str, Any]:
    """Every scalar of a body by its JSON pointer."""
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for key, item in value.items():
            out.update(leaves(item, f"{prefix}/{str(key).replace('~', '~0').replace('/', '~1')}"))
        return out
    if isinstance(value, list):
        out = {}
        for index, item in enumerate(value):
            out.update(leaves(item, f"{prefix}/{index}"))
        return out
    return {prefix: value}


def check_properties(body: Any, endpoint: str | None, context: Any, unsafe: bool) -> None:
    before = ixrules.validate(body, endpoint, context=context)
    frozen = copy.deepcopy(body)
    result = ixrules.fix(body, endpoint, context=context, unsafe=unsafe)
    assert body == frozen  # the input is never mutated
    # 3. converges: no cycle, and never more fixes than passes allow
    assert result.cycle == ()
    # 1. no new error (an error's place read where a fix moved it)
    had = {(rule, moved(path, result.fixes)) for rule, path in errors(before)}
    assert errors(result.report) <= had, (result.fixes, result.report.errors)
    # 2. fixing twice changes nothing the second time
    again = ixrules.fix(result.body, endpoint, context=context, unsafe=unsafe)
    assert again.fixes == [] and again.body == result.body
    # 4. only what a rule flagged is touched
    flagged = {issue.path for issue in before.issues}
    old, new = leaves(body), leaves(result.body)
    for path, value in old.items():
        target = moved(path, result.fixes)
        if not same(new.get(target, MISSING), value):
            assert path in flagged or any(path.startswith(f + "/") for f in flagged), path
    # 5. two fixes on one path never both apply
    places = [edit.path for edit in result.fixes]
    assert len(places) == len(set(places))
    assert all(
        edit.applicability in (("safe", "unsafe") if unsafe else ("safe",)) for edit in result.fixes
    )


@pytest.mark.parametrize("endpoint", BREAKABLE)
@relaxed(15)
@given(data=st.data(), unsafe=st.booleans())
def test_fixing_a_generated_body_keeps_the_properties(
    endpoint: str, data: st.DataObject, unsafe: bool
) -> None:
    case = data.draw(broken_bodies(endpoint), label="case")
    check_properties(case.body, endpoint, case.context, unsafe)


def real_bodies() -> list[tuple[str, Any]]:
    out = []
    for path in sorted(EXAMPLES.glob("*.json")):
        try:
            body = json.loads(path.read_text(encoding="utf-8"))
            ixrules.validate(body)
        except (ValueError, ixrules.BodyError):
            continue
        if isinstance(body, dict):
            out.append((path.name, body))
    return out


REAL = real_bodies()

#: What integrators send instead of the right value, by key (the mistakes of issue 22).
MISTAKES = {
    "country": st.sampled_from(
        ["PT", "DE", "Alemanha", "Espanha", "Reino Unido", "Macao", "TO", ""]
    ),
    "unit_price": st.sampled_from([9.99, 12, "1,5", -5, 1e20]),
    "value": st.sampled_from([23, 0.5, "23"]),
    "date": st.sampled_from(
        [
            "2026-05-01T00:00:00Z",
            "2026/05/01",
            "12/25/2021",
            "3/6/2021",
            "2026-05-01",
            "01-05-2026",
            "1.5.2026",
            "05-01-2026",
        ]
    ),
    "due_date": st.sampled_from(
        ["2026-05-31T10:00:00+01:00", "2026-05-31", "2026-05-31T10:00:00", "12-31-2026"]
    ),
    "default_sequence": st.sampled_from([1, 0, True]),
}
RENAMES = {"due_date": "due-date", "postal_code": "zip", "name": "Name"}


def mutate(draw: Any, body: Any) -> Any:
    """``body`` with some of its values swapped for integrators' mistakes and some keys
    misspelt."""
    body = copy.deepcopy(body)
    stack = [body]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(node)
            continue
        if not isinstance(node, dict):
            continue
        for key in list(node):
            if key in MISTAKES and draw(st.booleans()):
                node[key] = draw(MISTAKES[key])
            elif key in RENAMES and RENAMES[key] not in node and draw(st.integers(0, 3)) == 0:
                node[RENAMES[key]] = node.pop(key)
            else:
                stack.append(node[key])
    return body


@pytest.mark.parametrize(("name", "body"), REAL, ids=[name for name, _ in REAL])
@relaxed(8)
@given(data=st.data(), unsafe=st.booleans(), locale=st.sampled_from([None, "pt", "en_US"]))
def test_fixing_a_mutated_real_body_keeps_the_properties(
    name: str, body: Any, data: st.DataObject, unsafe: bool, locale: str | None
) -> None:
    mutated = mutate(data.draw, body)
    try:
        ixrules.validate(mutated)
    except ixrules.BodyError:
        return
    check_properties(mutated, None, None, unsafe)


def test_a_cycle_is_reported_naming_its_rules(monkeypatch: pytest.MonkeyPatch) -> None:
    """Two repairs that undo each other: the loop stops and names the rule, never spins."""
    from ixrules.checks import CHECKS, Fix, Repaired

    flip = {"PT": "XX", "XX": "PT"}

    def flipping(value: Any, env: Any) -> Any:
        return Repaired(flip.get(value, "PT"))

    original = CHECKS["country"]

    monkeypatch.setitem(CHECKS, "country", original.replace(fix=Fix(flipping, "safe", "flip")))
    rules = ixrules.Rules.load()  # compiled with the patched registration
    result: FixResult = ixrules.fix({"client": {"name": "A", "country": "PT"}}, rules=rules)
    assert result.cycle == ("country.known",)
    assert len(result.fixes) <= MAX_PASSES


def test_one_fix_per_place_per_pass() -> None:
    from ixrules.fixes.engine import one_per_place

    edits = [
        Edit("/a/b", "r.one", 1, "1", "safe", ""),
        Edit("/a/b", "r.two", 1, "2", "safe", ""),
        Edit("/a", "r.three", {}, None, "safe", "", op="move", to="/c"),
        Edit("/d", "r.four", 1, "1", "safe", ""),
    ]
    assert [edit.rule for edit in one_per_place(edits)] == ["r.one", "r.four"]
    assert pointer_parts("/a/b") == ["a", "b"]
