"""Every request body from the API's docs, client libraries and recorded traffic (copied into
tests/fixtures/examples; see its SOURCES.md) that the API accepts passes with no issue."""

from __future__ import annotations

from pathlib import Path

import pytest
from support.bodies import EXAMPLES, load_example, triples
from support.example_bodies import ACCEPTED, CONTEXTS, ENDPOINTS, KNOWN_REJECTED

import ixrules
from ixrules.api import default_rules

#: Examples for endpoints the rules do not cover, with the reason (none left).
NOT_COVERED: dict[str, str] = {}


_FLAG = 'Should be "0" or "1", the only flag values the API honours'
_ID = ("Unknown key id, which the API drops", "field.unknown")

#: The warnings accepted examples get, with why the API drops or changes what they send: the
#: API takes these bodies, but not every value in them as sent. Every other accepted example
#: gets no warning at all.
WARNED: dict[str, tuple[str, list[tuple[str, str, str]]]] = {
    "docs-v2-account-create.json": (
        'the docs\' placeholder "foo" for the marketing flag: only "0"/"1" mean anything',
        [(_FLAG, "/account/marketing", "kind.flag")],
    ),
    "docs-v2-account-create-already-user.json": (
        'the same placeholder "foo" for the marketing flag',
        [(_FLAG, "/account/marketing", "kind.flag")],
    ),
    "docs-v1-account-update.json": (
        "the v1 docs send terms as the integer 1: a flag sent as a JSON integer is not known to be "
        "applied (recorded: default_sequence 1 answered 201 and not applied)",
        [(_FLAG, "/account/terms", "kind.flag")],
    ),
    "openapi-tax-create.json": (
        "the OpenAPI example sends default_tax as the integer 1: a flag sent as a JSON integer is "
        "not known to be applied (recorded: default_sequence 1 answered 201 and not applied)",
        [(_FLAG, "/tax/default_tax", "kind.flag")],
    ),
    "rec-zoran759-sequence-create-201.json": (
        "recorded: the integer default_sequence 1 was answered 201 and left the series not default",
        [(_FLAG, "/sequence/default_sequence", "kind.flag")],
    ),
    "squarebit-fixture-client-update.json": (
        "the id of a client travels in the URL; an id in the body is dropped",
        [(_ID[0], "/client/id", _ID[1])],
    ),
    "squarebit-fixture-invoice-update.json": (
        "the id of a document travels in the URL; an id in the body is dropped",
        [(_ID[0], "/invoice/id", _ID[1])],
    ),
    "squarebit-fixture-item-update.json": (
        "the id of an item travels in the URL; an id in the body is dropped",
        [(_ID[0], "/item/id", _ID[1])],
    ),
}


@pytest.mark.parametrize("name", ACCEPTED)
def test_an_accepted_example_passes(name: str) -> None:
    report = ixrules.validate(load_example(name), ENDPOINTS[name])
    assert triples(report) == []
    reason, expected = WARNED.get(name, ("", []))
    assert bool(reason) == bool(expected)
    warnings = [(issue.message, issue.path, issue.rule) for issue in report.warnings]
    assert warnings == expected
    assert {issue.severity for issue in report.warnings} <= {"warning"}


def test_the_warned_examples_are_examples() -> None:
    assert set(WARNED) <= set(ENDPOINTS)


@pytest.mark.parametrize("name", ACCEPTED)
def test_the_endpoint_of_a_create_example_is_inferred(name: str) -> None:
    if ENDPOINTS[name].endswith(".create"):
        body = load_example(name)
        spec = default_rules().endpoint(ixrules.validate(body).endpoint or "")
        assert spec.action == "create" and next(iter(body)) in spec.roots


@pytest.mark.parametrize("name", sorted(KNOWN_REJECTED))
def test_a_known_rejected_example_gets_its_message(name: str) -> None:
    reason, expected = KNOWN_REJECTED[name]
    assert reason
    report = ixrules.validate(load_example(name), ENDPOINTS[name], context=CONTEXTS.get(name))
    assert triples(report) == expected
    warnings = [(issue.message, issue.path, issue.rule) for issue in report.warnings]
    assert warnings == WARNED.get(name, ("", []))[1]


def test_every_example_is_accounted_for() -> None:
    names = {path.name for path in Path(EXAMPLES).glob("*.json")}
    unaccounted = names - set(ENDPOINTS) - set(NOT_COVERED)
    assert not unaccounted, f"say which endpoint these are for, or why not: {sorted(unaccounted)}"
