"""The frozen records of :mod:`ixrules.records` behave as the frozen dataclasses they replace:
constructor, equality, hash, ``repr``, immutability, ``replace`` and pickling."""

from __future__ import annotations

import copy
import importlib
import inspect
import pickle

import pytest

from ixrules.checks import Check, Env, Fix, Repaired
from ixrules.checks.schemaforms import Expressed
from ixrules.context import Context
from ixrules.model import EndpointSpec, FieldSpec, Rule, RuleSet
from ixrules.records import FrozenInstanceError, MutableRecord, Record, fill
from ixrules.report import Edit, Issue, Report

MODULES = ["ixrules.model", "ixrules.report", "ixrules.checks.registry"]
MODULES += ["ixrules.checks.schemaforms", "ixrules.lint.problems", "ixrules.lint.sources"]
MODULES += ["ixrules.lint.checker", "ixrules.selection", "ixrules.cli.reporters"]
MODULES += ["ixrules.cli.statistics", "ixrules.endpoint_lookup"]


def records() -> list[type[Record]]:
    found = []
    for name in MODULES:
        module = importlib.import_module(name)
        found += [
            value
            for value in vars(module).values()
            if isinstance(value, type) and issubclass(value, Record) and value.__module__ == name
        ]
    return found


@pytest.mark.parametrize("cls", records(), ids=lambda cls: cls.__qualname__)
def test_the_fields_are_the_constructors_parameters_and_annotations(cls: type[Record]) -> None:
    assert list(inspect.signature(cls).parameters) == list(cls.FIELDS)
    assert list(cls.__annotations__)[-len(cls.FIELDS) :] == list(cls.FIELDS)


def test_a_record_is_frozen() -> None:
    issue = Issue("Name can't be blank", "/item/name", "item.name.required")
    with pytest.raises(FrozenInstanceError, match="cannot assign to field 'message'"):
        issue.message = "x"
    with pytest.raises(AttributeError, match="cannot delete field 'path'"):
        del issue.path
    assert issue.message == "Name can't be blank"


def test_equality_hash_and_repr_are_the_dataclass_ones() -> None:
    fix = Edit("/item/name", "item.name.required", None, "Pen", "display", "name it")
    one = Issue("Name can't be blank", "/item/name", "item.name.required", fix=fix)
    two = Issue("Name can't be blank", "/item/name", "item.name.required")
    assert one == two and hash(one) == hash(two)  # the fix takes no part
    assert one != Issue("Name can't be blank", "/item/name", "item.name.required", 500)
    assert one != ("Name can't be blank", "/item/name", "item.name.required", 422, None, "error")
    assert repr(one) == (
        "Issue(message=\"Name can't be blank\", path='/item/name', rule='item.name.required', "
        "status=422, hint=None, severity='error')"
    )
    assert repr(Repaired(1)) == "Repaired(value=1, applicability=None, description=None)"
    assert {Repaired(1): "a"}[Repaired(1)] == "a"
    with pytest.raises(TypeError):
        hash(Report("items.create"))  # holds lists, as the dataclass did


def test_a_default_container_is_new_for_each_record() -> None:
    one, two = Rule("a", "A"), Rule("b", "B")
    assert one.args == {} and one.args is not two.args
    assert Report(None).issues == [] and Report(None).issues is not Report(None).issues
    assert Env(Context(), "create").memo is not Env(Context(), "create").memo
    assert Expressed({}).hints == {} and RuleSet({}, {}).checks == {}
    route = ("a.b", "/a", "b", ("a",), FieldSpec(), "create", "POST", "/a", 201)
    assert EndpointSpec(*route) == EndpointSpec(*route, siblings={})


def test_replace_makes_a_new_record_through_the_constructor() -> None:
    rule = Rule("item.name.required", "Name can't be blank")
    warning = rule.replace(severity="warning")
    assert (warning.severity, rule.severity, warning.id) == ("warning", "error", rule.id)
    assert warning == Rule("item.name.required", "Name can't be blank", severity="warning")
    with pytest.raises(TypeError, match="Rule has no field 'level'"):
        rule.replace(level="warning")
    assert Report("a").replace(error_shape="message").as_fields() == {
        "endpoint": "a",
        "issues": [],
        "skipped": [],
        "success_status": 200,
        "error_shape": "message",
    }


def test_records_pickle_and_copy_as_equal_records() -> None:
    fix = Edit("/item/name", "item.name.required", None, "Pen", "display", "name it")
    issue = Issue("Name can't be blank", "/item/name", "item.name.required", hint="h", fix=fix)
    report = Report("items.create", [issue], ["a.rule"], 201)
    for again in (pickle.loads(pickle.dumps(report)), copy.deepcopy(report), copy.copy(report)):
        assert again == report and again.issues[0].fix == fix
    env = Env(Context(), "update", "pt", "items.update", {("x", "y"): 1})
    again_env = pickle.loads(pickle.dumps(env))
    assert (again_env.mode, again_env.locale, again_env.memo) == ("update", "pt", env.memo)
    assert pickle.loads(pickle.dumps(Fix(len, "safe", "d"))) == Fix(len, "safe", "d")


def test_a_check_subclass_compares_only_with_its_own_class() -> None:
    class Other(Check):
        pass

    assert Check("c", len) == Check("c", len) and Other("c", len) != Check("c", len)


def test_a_mutable_record_is_assigned_compared_and_not_hashed() -> None:
    class Tally(MutableRecord):
        FIELDS = ("seen", "last")

        def __init__(self, seen: int = 0, last: str | None = None) -> None:
            fill(self, seen=seen, last=last)

    tally = Tally()
    tally.seen += 1
    assert tally == Tally(1) and tally != Tally(2)
    assert repr(tally).endswith(".Tally(seen=1, last=None)")
    with pytest.raises(TypeError):
        hash(tally)
