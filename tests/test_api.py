"""The public API: endpoint names and inference, Report and Issue, errors for unusable bodies,
and the caller's data left untouched."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from support.bodies import triples
from support.documents import valid_body

import ixrules


def test_endpoint_names_follow_the_api_paths() -> None:
    names = ixrules.endpoints()
    for path in (
        "invoices",
        "invoice_receipts",
        "simplified_invoices",
        "credit_notes",
        "debit_notes",
        "quotes",
        "proformas",
        "fees_notes",
        "shippings",
        "transports",
        "devolutions",
    ):
        assert f"{path}.create" in names and f"{path}.update" in names
    assert len(names) == len(set(names))


@pytest.mark.parametrize(
    ("root", "endpoint"),
    [
        ("invoice", "invoices.create"),
        ("invoice_receipt", "invoice_receipts.create"),
        ("simplified_invoice", "simplified_invoices.create"),
        ("credit_note", "credit_notes.create"),
        ("debit_note", "debit_notes.create"),
        ("quote", "quotes.create"),
        ("proforma", "proformas.create"),
        ("fees_note", "fees_notes.create"),
        ("shipping", "shippings.create"),
        ("transport", "transports.create"),
        ("devolution", "devolutions.create"),
    ],
)
def test_the_endpoint_is_inferred_from_the_root_key(root: str, endpoint: str) -> None:
    assert ixrules.validate({root: {}}).endpoint == endpoint


@pytest.mark.parametrize("root", ["invoice", "invoice_receipt"])
def test_family_key_and_singular_type_are_both_accepted(root: str) -> None:
    body = {root: valid_body("invoices.create")["invoice"]}
    report = ixrules.validate(body, "invoice_receipts.create")
    assert report.ok and report.endpoint == "invoice_receipts.create"


def test_paths_name_the_root_key_the_body_used() -> None:
    body = {"invoice_receipt": {"retention": "x"}}
    assert triples(ixrules.validate(body, "invoice_receipts.update")) == [
        (
            "Retention must be a number between 0 and 99.99",
            "/invoice_receipt/retention",
            "document.retention.range",
        )
    ]


@pytest.mark.parametrize(
    ("body", "endpoint", "says"),
    [
        ([], None, "the body must be a JSON object, not an array"),
        ("invoice", None, "the body must be a JSON object, not a string"),
        (None, None, "the body must be a JSON object, not null"),
        (
            {},
            None,
            "no root key known to any endpoint: expected one of 'account', 'at_communication'",
        ),
        ({"invoices": {}}, None, "got 'invoices'"),
        ({"invoice": {}, "quote": {}}, None, "ambiguous body: root keys 'invoice', 'quote'"),
        (
            {"quote": {}},
            "invoices.create",
            "no root key known to endpoint invoices.create: expected one of 'invoice'",
        ),
        ({"invoice": []}, None, "the value of 'invoice' must be a JSON object for invoices.create"),
        ({"invoice": "x"}, "invoices.update", "the value of 'invoice' must be a JSON object"),
    ],
)
def test_an_unusable_body_is_a_clear_error(body: Any, endpoint: str | None, says: str) -> None:
    with pytest.raises(ixrules.BodyError, match=None) as caught:
        ixrules.validate(body, endpoint)
    assert says in str(caught.value)
    assert isinstance(caught.value, ValueError)


def test_an_unknown_endpoint_names_the_closest() -> None:
    with pytest.raises(ixrules.EndpointError) as caught:
        ixrules.validate({"invoice": {}}, "invoice.create")
    assert str(caught.value) == (
        "unknown endpoint 'invoice.create'; did you mean invoices.create, invoices.get, "
        "invoices.update?"
    )
    assert isinstance(caught.value, ValueError)


@pytest.mark.parametrize(
    ("context", "says"),
    [
        ([], "context must be an object, not list"),
        (
            {"account": {"mb_payment_provider": "no"}},
            "context key 'account.mb_payment_provider' must be a boolean, not str",
        ),
        ({"now": "yesterday"}, "context key 'now' must be YYYY-MM-DDTHH:MM:SS, not 'yesterday'"),
        (
            {"documents_in_period": True},
            "context key 'documents_in_period' must be an integer, not a boolean",
        ),
    ],
)
def test_a_bad_context_is_a_clear_error(context: Any, says: str) -> None:
    with pytest.raises(ixrules.ContextError) as caught:
        ixrules.validate({"invoice": {}}, context=context)
    assert str(caught.value) == says


def test_the_report() -> None:
    body = valid_body("invoices.create")
    body["invoice"]["due_date"] = "01/01/2017"
    body["invoice"]["items"][0]["unit"] = "kg"
    report = ixrules.validate(body)
    assert not report.ok and report.status == 422 and report.endpoint == "invoices.create"
    assert report.messages == [
        "Due date must be later than date",
        "Invoice items is invalid",
        "Unit kg is not included in the list of accepted units",
    ]
    assert report.to_api() == {"errors": [{"error": message} for message in report.messages]}
    issue = report.errors[2]
    assert issue.to_dict() == {
        "message": "Unit kg is not included in the list of accepted units",
        "path": "/invoice/items/0/unit",
        "rule": "item.unit.accepted",
        "severity": "error",
        "status": 422,
    }
    assert report.to_dict()["errors"][2] == issue.to_dict()
    clean = ixrules.validate(valid_body("invoices.create"))
    assert clean.ok and clean.status == 201 and clean.messages == [] and clean.errors == []


def test_messages_are_deduplicated_but_issues_are_not() -> None:
    body = valid_body("invoices.create")
    body["invoice"]["items"] = ["a", "b"]
    report = ixrules.validate(body)
    assert [issue.path for issue in report.errors] == [
        "/invoice/items",
        "/invoice/items/0",
        "/invoice/items/1",
    ]
    assert report.messages == ["Invoice items is invalid"]


def test_the_callers_data_is_never_mutated() -> None:
    body = valid_body("shippings.create")
    body["shipping"]["items"].append({"quantity": None, "unit": "kg", "discount": False})
    body["shipping"]["client"]["country"] = "Germani"
    context = {"now": "2030-01-01T00:00:00", "account": {"mb_payment_provider": False}}
    before, context_before = copy.deepcopy(body), copy.deepcopy(context)
    ixrules.validate(body, context=context)
    assert body == before and context == context_before


def test_results_are_deterministic() -> None:
    body = valid_body("invoices.create")
    body["invoice"]["items"] = [{"unit": "kg", "quantity": "x"}, "x", {"discount": "y"}]
    first = ixrules.validate(body)
    for _ in range(5):
        assert ixrules.validate(body) == first


EXAMPLES = sorted(
    (Path(__file__).parent / "fixtures" / "examples").glob("*.json"), key=lambda p: p.name
)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_validate_parsed_answers_as_validate_does_for_parsed_json(path: Path) -> None:
    # the lint's entry point skips reading the body through: for what json.loads returns the
    # two give the same report, or the same error
    body = json.loads(path.read_text(encoding="utf-8"))
    rules = ixrules.Rules.load()
    try:
        expected: Any = rules.validate(body)
    except ixrules.BodyError as exc:
        expected = str(exc)
    try:
        got: Any = rules.validate_parsed(body)
    except ixrules.BodyError as exc:
        got = str(exc)
    assert got == expected


# --- rule packs: packs=, and extra= its old name ---------------------------------------------

ACME_PACK = Path(__file__).parent / "fixtures" / "own" / "acme.yaml"
DUE_DATE_MISSING = {
    "invoice": {
        "date": "01/03/2025",
        "client": {"name": "Lisbon Pens", "code": "LP1"},
        "items": [{"name": "Pen", "unit_price": 1.5, "quantity": 10}],
    }
}


def test_packs_and_their_old_name_extra_layer_the_same_rules() -> None:
    by_packs = ixrules.Rules.load(packs=[ACME_PACK])
    by_extra = ixrules.Rules.load(extra=[ACME_PACK])
    assert by_packs.ruleset.rules.keys() == by_extra.ruleset.rules.keys()
    assert "acme.tax.house" in by_packs.ruleset.rules
    assert by_packs.validate(DUE_DATE_MISSING) == by_extra.validate(DUE_DATE_MISSING)
    configured = ixrules.Rules.from_config(packs=[ACME_PACK])
    assert configured.ruleset.rules.keys() == by_packs.ruleset.rules.keys()
    assert (
        ixrules.Rules.from_config(extra=[ACME_PACK]).ruleset.rules.keys()
        == configured.ruleset.rules.keys()
    )


@pytest.mark.parametrize("load", [ixrules.Rules.load, ixrules.Rules.from_config])
def test_packs_given_under_both_names_is_a_type_error(load: Any) -> None:
    with pytest.raises(TypeError, match=r"packs= \(extra= is its old name\), not both"):
        load(packs=[ACME_PACK], extra=[ACME_PACK])


def test_a_configured_rule_set_keeps_its_configuration_through_pickle() -> None:
    import pickle

    config = Path(__file__).parent.parent / "docs" / "examples" / "acme" / ".ixrules.yaml"
    rules = ixrules.Rules.from_config(config)
    again = pickle.loads(pickle.dumps(rules))
    assert again.config == rules.config and again.config is not None
    assert again.config.packs == rules.config.packs != ()
    assert again.validate(DUE_DATE_MISSING) == rules.validate(DUE_DATE_MISSING)
