"""Two severities: an error predicts the API's refusal; a warning says the API accepts the body
but will not do what was sent. Warnings never change ``ok``, ``status`` or ``to_api()``, and
the command line exits 1 for them only with ``--strict``."""

from __future__ import annotations

import json

import pytest
from cli_runner import Run, run

import ixrules
from ixrules import RuleFileError
from ixrules.ruleformat.builder import load_rule_texts

DROPPED = {"shipping": {"address_from": {"detail": "Rua A", "zip": "1000-001"}}}


def test_an_unknown_key_is_a_warning_with_the_closest_key() -> None:
    body = {"shipping": {"address_from": {"detail": "Rua A", "City": "Lisboa", "postal-code": "1"}}}
    report = ixrules.validate(body, "shippings.update")
    assert [(i.message, i.path, i.rule, i.severity, i.hint) for i in report.issues] == [
        (
            "Unknown key City, which the API drops",
            "/shipping/address_from/City",
            "field.unknown",
            "warning",
            "did you mean 'city'?",
        ),
        (
            "Unknown key postal-code, which the API drops",
            "/shipping/address_from/postal-code",
            "field.unknown",
            "warning",
            "did you mean 'postal_code'?",
        ),
    ]
    assert report.ok and report.status == 200 and report.errors == []
    assert report.messages == [] and report.to_api() == {"errors": []}
    nearby = {"shipping": {"address_from": {"detail": "Rua A", "city": "Lisboa"}}}
    assert ixrules.validate(nearby, "shippings.update").issues == []


def test_a_warning_inside_an_object_brings_no_umbrella_error() -> None:
    body = {"shipping": {"address_from": {"detail": ["Rua A"]}}}
    report = ixrules.validate(body, "shippings.update")
    assert [(i.message, i.path, i.rule, i.severity) for i in report.issues] == [
        ("Should be text", "/shipping/address_from/detail", "kind.text", "warning")
    ]


def test_warnings_are_kept_apart_from_errors() -> None:
    body = {"shipping": {"date": "31/02/2017", "address_from": {"zip": "1"}}}
    report = ixrules.validate(body, "shippings.update")
    assert [(i.rule, i.severity) for i in report.issues] == [
        ("document.date.valid", "error"),
        ("field.unknown", "warning"),
    ]
    assert [i.rule for i in report.errors] == ["document.date.valid"]
    assert [i.rule for i in report.warnings] == ["field.unknown"]
    assert report.by_field() == {"shipping[date]": ["Date is not valid"]}
    assert report.by_field(warnings=True)["shipping[address_from][zip]"] == [
        "Unknown key zip, which the API drops"
    ]
    assert report.to_dict()["warnings"][0]["severity"] == "warning"


def test_warnings_are_translated() -> None:
    report = ixrules.validate(DROPPED, "shippings.update", locale="pt")
    assert report.warnings[0].message == "Chave desconhecida zip, que a API descarta"


RULES = """
rules:
  - id: kind.text
    message: Should be text
    severity: warning
    check: text
fragments:
  thing:
    fields:
      name: text
      size: {kind: text, rules: [{id: thing.size.short, message: Too long, check: pattern,
                                  args: {regex: ".{0,3}"}}]}
endpoints:
  - paths: [things]
    root: thing
    actions:
      create: {body: thing, mode: create}
"""


def test_a_kind_runs_after_the_fields_own_rules() -> None:
    rules = ixrules.Rules(load_rule_texts([("things.yaml", RULES)]))
    report = rules.validate({"thing": {"name": {"a": 1}, "size": "12345", "other": 1}})
    assert [(i.path, i.rule, i.severity) for i in report.issues] == [
        ("/thing/name", "kind.text", "warning"),
        ("/thing/size", "thing.size.short", "error"),
    ]  # no field.unknown rule in this rule set: objects are open


@pytest.mark.parametrize(
    ("old", "new", "line", "problem"),
    [
        ("name: text", "name: txt", 10, "unknown kind 'txt' (known: text, number, integer, "
         "flag, date, datetime, object, list)"),
        ("name: text", "name: date", 10, "kind 'date' needs a rule 'kind.date'"),
        ("name: text", "name: 3", 10, "field 'name' must be a mapping or a kind (text, number, "
         "integer, flag, date, datetime, object, list)"),
        ("severity: warning", "severity: info", 5, "severity must be one of ('error', "
         "'warning')"),
        ("    fields:", "    open: 'yes'\n    fields:", 9, "field key 'open' must be a boolean, "
         "not 'yes'"),
    ],
)  # fmt: skip
def test_kinds_and_severities_in_a_broken_file(old: str, new: str, line: int, problem: str) -> None:
    with pytest.raises(RuleFileError) as caught:
        load_rule_texts([("things.yaml", RULES.replace(old, new, 1))])
    assert (caught.value.line, caught.value.problem) == (line, problem)


def test_the_command_line_prints_warnings_and_exits_0_unless_strict(tmp_path: object) -> None:
    body = json.dumps(DROPPED).encode()
    plain = run(Run(["lint", "-e", "shippings.update", "-", "--stdin-filename", "a.json"], body))
    assert (plain.code, plain.err) == (0, "")
    assert plain.out == (
        "a.json:1:58: warning: Unknown key zip, which the API drops [field.unknown]\n"
        "Found 1 problem (0 errors, 1 warning) in 1 file; 1 file checked.\n"
    )
    strict = run(Run(["lint", "--strict", "-e", "shippings.update", "-"], body))
    assert strict.code == 1
    github = run(Run(["lint", "-f", "github", "-e", "shippings.update", "-"], body))
    assert github.out.startswith("::warning file=<stdin>,line=1,col=58,title=field.unknown::")
    sarif = json.loads(run(Run(["lint", "-f", "sarif", "-e", "shippings.update", "-"], body)).out)
    result = sarif["runs"][0]["results"][0]
    assert (result["ruleId"], result["level"]) == ("field.unknown", "warning")
    registered = sarif["runs"][0]["tool"]["driver"]["rules"][result["ruleIndex"]]
    assert registered["defaultConfiguration"] == {"level": "warning"}
    as_json = json.loads(run(Run(["lint", "-f", "json", "-e", "shippings.update", "-"], body)).out)
    assert as_json["problems"][0]["severity"] == "warning"


@pytest.mark.parametrize(("code", "warned"), [("USD", False), ("usd", True), ("US$", True)])
def test_a_currency_is_a_code_in_capitals(code: str, warned: bool) -> None:
    report = ixrules.validate({"invoice": {"currency_code": code}}, "invoices.update")
    expected = [
        (
            f"{code} is not one of the values the API accepts here",
            "/invoice/currency_code",
            "document.currency_code.known",
            "warning",
        )
    ]
    found = [(i.message, i.path, i.rule, i.severity) for i in report.issues]
    assert found == (expected if warned else []) and report.ok
