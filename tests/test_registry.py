"""A check is one registration carrying all its facts: every built-in check says them all,
docs/rules.md's "Adding a check" lists exactly the registration's facts, and a check
registered in one place works in code generation, JSON Schema, forms and the strategies, or
a test names what it lacks."""

from __future__ import annotations

import inspect
import pickle
import re
from pathlib import Path
from typing import Any

import pytest
from strategies import CHECK_STRATEGIES, reads
from support.plugins import installed_plugin

from ixrules import RuleFileError, Rules
from ixrules.checks import CHECKS, FACTS, REQUIRED_FACTS, Check, Env, check, plugin_check
from ixrules.checks.registry import (
    NO_CONTEXT,
    Args,
    Source,
    context_key_in,
    context_keys,
    fact_problem,
)
from ixrules.checks.schemaforms import Expressed
from ixrules.forms import number_fields
from ixrules.ruleformat.builder import load_rule_texts
from ixrules.schema_export import json_schema_notes

TOP = Path(__file__).resolve().parent.parent
RULES_MD = (TOP / "docs" / "rules.md").read_text(encoding="utf-8")


def adding_a_check() -> str:
    """docs/rules.md's section on adding a check."""
    start = RULES_MD.index("### Adding a check")
    return RULES_MD[start : RULES_MD.index("\n## ", start)]


def documented_facts() -> dict[str, bool]:
    """The facts the section's table lists, each with whether it says the fact is needed."""
    rows = re.findall(r"^\| `(\w+)` \| (\w+)", adding_a_check(), re.MULTILINE)
    return {fact: needed == "yes" for fact, needed in rows}


def gaps(name: str, registration: Check) -> list[str]:
    """Everything a check lacks, named: its facts, its docstring, its row in docs/rules.md's
    table of checks, its strategy in tests/strategies.py."""
    out = [f"fact {fact!r}" for fact in registration.missing()]
    if not (registration.fn.__doc__ or "").strip():
        out.append("a docstring")
    if f"| `{name}` |" not in RULES_MD:
        out.append("a row in docs/rules.md")
    if name not in CHECK_STRATEGIES:
        out.append("a CheckStrategy in tests/strategies.py")
    problem = fact_problem(registration)
    if problem is not None:
        out.append(problem)
    return out


@pytest.mark.parametrize("name", sorted(CHECKS))
def test_every_check_says_everything(name: str) -> None:
    assert gaps(name, CHECKS[name]) == [], f"check {name!r} lacks {gaps(name, CHECKS[name])}"


def test_the_documented_facts_are_the_registrations_fields() -> None:
    fields = list(Check.FIELDS)
    assert list(inspect.signature(Check).parameters) == fields
    assert fields[:2] == ["name", "fn"] and tuple(fields[1:]) == FACTS
    documented = documented_facts()
    assert sorted(documented) == sorted(FACTS[1:])  # every fact but the function itself
    assert sorted(fact for fact, needed in documented.items() if needed) == sorted(REQUIRED_FACTS)


def test_a_registration_says_which_facts_it_lacks() -> None:
    def bare(value: Any, env: Env) -> bool:
        return True

    assert Check("bare", bare).missing() == ["json_schema", "reads_numbers", "reads_context"]
    assert gaps("bare", Check("bare", bare)) == [
        "fact 'json_schema'",
        "fact 'reads_numbers'",
        "fact 'reads_context'",
        "a docstring",
        "a row in docs/rules.md",
        "a CheckStrategy in tests/strategies.py",
    ]
    assert Check("bare", bare).schema_form({}) == "a check that does not say its JSON Schema form"
    assert Check("bare", bare).reads({}) == ()


def test_the_context_a_check_reads_follows_its_arguments() -> None:
    assert CHECKS["after_now"].reads({}) == ("now",)
    assert CHECKS["context_true"].reads({"key": "account.trial"}) == ("account.trial",)
    assert CHECKS["exemption_given"].reads({}) == ("account.country", "existing.taxes")
    assert NO_CONTEXT({}) == () and context_keys("a", "b")({}) == ("a", "b")
    assert context_key_in("name")({"name": "now"}) == ("now",)


def test_what_a_check_implies() -> None:
    string, number = CHECKS["string"], CHECKS["number"]
    assert string.passing_implies({}, "text", {}) and string.passing_implies({}, "string", {})
    assert not string.passing_implies({}, "number", {})
    assert number.passing_implies({"gt": 0}, "number", {})
    assert number.passing_implies({"gt": 0}, "number", {"allow_blank": True})
    assert not number.passing_implies({"allow_blank": True}, "number", {})
    assert not number.passing_implies({}, "number", {"gt": 0})


# --- a scratch check, registered in one place ---------------------------------------------------


def _inline_min_length(args: Args, v: str, source: Source) -> str:
    return f"(type({v}) is not str or len({v}.strip()) >= {source.const('K', args['minimum'])})"


@check(
    "min_length",
    inline=_inline_min_length,
    json_schema=lambda args: Expressed(
        {"minLength": int(args["minimum"])},
        exact=False,
        note="blanks around the text are counted",
        typed=False,
    ),
    reads_numbers=False,
    reads_context=NO_CONTEXT,
)
def min_length(value: Any, env: Env, *, minimum: int) -> bool:
    """Text (blanks around it ignored) of at least ``minimum`` characters; other values pass."""
    return not isinstance(value, str) or len(value.strip()) >= minimum


SCRATCH = """
fragments:
  thing:
    fields:
      name:
        rules:
          - id: thing.name.short
            message: Name {value} is too short
            check: min_length
            args: {minimum: MINIMUM}
      size:
        rules:
          - id: thing.size.number
            message: Size {value} is not a number
            check: number
endpoints:
  - paths: [things]
    actions:
      create: {body: thing, mode: create}
"""


@pytest.fixture
def scratch(monkeypatch: pytest.MonkeyPatch) -> Check:
    """``min_length`` registered as a built-in check, for the test only."""
    registration: Check = getattr(min_length, "ixrules_check")  # noqa: B009
    monkeypatch.setitem(CHECKS, "min_length", registration)
    return registration


def test_a_scratch_check_registered_in_one_place_works_everywhere(scratch: Check) -> None:
    with pytest.raises(RuleFileError, match="argument 'minimum' must be an integer"):
        load_rule_texts([("things.yaml", SCRATCH.replace("MINIMUM", "three"))])
    ruleset = load_rule_texts([("things.yaml", SCRATCH.replace("MINIMUM", "3"))])
    fast, reference = Rules(ruleset), Rules(ruleset, executor="cerberus")
    for name in ("ab", " abc ", 12, None, ["a"]):
        body = {"thing": {"name": name, "size": "1"}}
        answers = [
            [(i.message, i.path, i.rule) for i in rules.validate(body).issues]
            for rules in (fast, reference)
        ]
        assert answers[0] == answers[1]
    assert fast.validate({"thing": {"name": "ab"}}).messages == ["Name ab is too short"]
    assert "len(v.strip()) >= K" in fast.source("things.create")  # inlined, not called

    schema = fast.json_schema("things.create")["properties"]["thing"]["properties"]["name"]
    assert schema["allOf"][0]["minLength"] == 3
    assert json_schema_notes(fast, "things.create")["rules"]["/name"][0]["expressed"] == "looser"
    assert number_fields("things.create", rules=fast) == ["thing.size"]
    assert reads(ruleset.rules["thing.name.short"]) == set()
    assert gaps("min_length", scratch) == [
        "a row in docs/rules.md",
        "a CheckStrategy in tests/strategies.py",
    ]


def test_a_scratch_check_without_its_facts_is_named_and_still_safe(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    bare = Check("min_length", min_length)
    monkeypatch.setitem(CHECKS, "min_length", bare)
    assert gaps("min_length", bare)[:3] == [
        "fact 'json_schema'",
        "fact 'reads_numbers'",
        "fact 'reads_context'",
    ]
    rules = Rules(load_rule_texts([("things.yaml", SCRATCH.replace("MINIMUM", "3"))]))
    assert rules.validate({"thing": {"name": "ab"}}).messages == ["Name ab is too short"]
    assert "check_min_length(v, call.env, minimum=K" in rules.source("things.create")
    written = json_schema_notes(rules, "things.create")["not_expressed"]
    assert written == [
        {
            "id": "thing.name.short",
            "path": "/name",
            "why": "a check that does not say its JSON Schema form",
        }
    ]
    assert number_fields("things.create", rules=rules) == ["thing.size"]


# --- plugins carry the same facts ----------------------------------------------------------------


def test_a_plugin_function_gives_its_facts_as_attributes() -> None:
    def house_code(value: Any, env: Env, *, prefix: str) -> bool:
        """Codes that start with the house prefix."""
        return isinstance(value, str) and value.startswith(prefix)

    facts: Any = house_code
    facts.json_schema = "reads the house's list"
    facts.reads_context = ["existing.items"]
    facts.reads_numbers = False
    registration = plugin_check("house_code", house_code)
    assert registration is not None and registration.missing() == []
    assert registration.schema_form({}) == "reads the house's list"
    assert registration.reads({}) == ("existing.items",)
    assert plugin_check("x", min_length) is getattr(min_length, "ixrules_check")  # noqa: B009
    assert plugin_check("x", 42) is None


def house_code(value: Any, env: Env, *, prefix: str) -> bool:
    """Codes that start with the house prefix (a plugin's function, facts as attributes)."""
    return isinstance(value, str) and value.startswith(prefix)


_FACTS: Any = house_code
_FACTS.json_schema = "reads the house's list"
_FACTS.reads_context = ("existing.items",)


def test_a_registration_travels_with_a_pickled_rule_set() -> None:
    """A rule set's plugin checks are pickled with it (to a spawned process, a Dask worker),
    facts written as lambdas included."""
    decorated: Check = getattr(min_length, "ixrules_check")  # noqa: B009
    assert pickle.loads(pickle.dumps(decorated)) is decorated
    read = plugin_check("house_code", house_code)
    assert read is not None and pickle.loads(pickle.dumps(read)) == read
    assert pickle.loads(pickle.dumps(read)).reads({}) == ("existing.items",)
    by_hand = Check("by_hand", house_code, reads_numbers=True, reads_context=NO_CONTEXT)
    assert pickle.loads(pickle.dumps(by_hand)) == by_hand


def test_a_plugin_fact_of_the_wrong_type_is_named() -> None:
    def odd(value: Any, env: Env) -> bool:
        return True

    facts: Any = odd
    facts.reads_numbers = "yes"
    registration = plugin_check("odd", odd)
    assert registration is not None
    assert fact_problem(registration) == "its fact 'reads_numbers' must be true or false"


PLUGIN = '''
from ixrules.checks import check

def _schema(args):
    from ixrules.checks.schemaforms import Expressed
    return Expressed({"type": "string", "pattern": "^" + args["prefix"]}, exact=False)

@check("house_code", json_schema=_schema, reads_numbers=False, reads_context=lambda a: ())
def house_code(value, env, *, prefix: str):
    """True for codes that start with the house prefix."""
    return isinstance(value, str) and value.startswith(prefix)
'''

PACK = """
fragments:
  house_thing:
    fields:
      code:
        rules:
          - id: thing.code.house
            message: Code {value} is not ours
            check: house_code
            args: {prefix: AC-}
endpoints:
  - paths: [things]
    actions:
      create: {body: house_thing, mode: create}
"""


def test_a_plugin_decorated_with_check_says_its_json_schema(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = installed_plugin(
        tmp_path / "site", "acme_facts", PLUGIN, {"house_code": "acme_facts:house_code"}
    )
    monkeypatch.syspath_prepend(str(site))
    pack = tmp_path / "pack.yaml"
    pack.write_text(PACK, encoding="utf-8")
    rules = Rules.load(extra=[pack])
    assert "house_code" not in CHECKS  # the registry is not changed
    assert rules.validate({"thing": {"code": "X-1"}}).messages == ["Code X-1 is not ours"]
    again = pickle.loads(pickle.dumps(rules))  # its facts are lambdas: pickled by reference
    assert again.validate({"thing": {"code": "X-1"}}).messages == ["Code X-1 is not ours"]
    code = rules.json_schema("things.create")["properties"]["thing"]["properties"]["code"]
    assert code["allOf"][0]["anyOf"][1] == {"type": "string", "pattern": "^AC-"}
