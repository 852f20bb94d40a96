"""ixrules.read_response without ``endpoint=`` (issue 24, item 3): the sent body's resource
family (its root key's endpoints) chooses among rules that share a message, and an answer
nothing can place names no rule and says which rules share it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

import ixrules

RESPONSES = Path(__file__).resolve().parent / "fixtures" / "responses"
TAKEN = {"errors": [{"error": "Name has already been taken"}]}
HINT = (
    "rules client.name.taken, item.name.taken, tax.name.taken all have this message; the "
    "endpoint, or the body that was sent, would choose"
)


def placed(report: ixrules.Report) -> list[tuple[str, str | None, str, str | None]]:
    return [(i.message, i.rule, i.path, i.hint) for i in report.errors]


def test_a_duplicate_tax_answer_is_the_tax_s_not_the_client_s() -> None:
    report = ixrules.read_response((422, TAKEN), sent={"tax": {"name": "IVA23", "value": "23"}})
    assert placed(report) == [("Name has already been taken", "tax.name.taken", "/tax/name", None)]


def test_the_recorded_duplicate_tax_answer_without_the_endpoint() -> None:
    answer = (RESPONSES / "rec-zoran759-422-tax-create-duplicate-name.json").read_bytes()
    sent = {"tax": {"name": "IVA23", "value": "23.0", "region": "PT", "default_tax": "1"}}
    assert placed(ixrules.read_response((422, answer), sent=sent)) == [
        ("Nome não está disponível.", "tax.name.taken", "/tax/name", None)
    ]


@pytest.mark.parametrize(
    "text", ["Name has already been taken", "Nome não está disponível", "Nombre no está disponible"]
)
@pytest.mark.parametrize(
    ("sent", "rule", "path"),
    [
        ({"client": {"name": "Acme"}}, "client.name.taken", "/client/name"),
        ({"item": {"name": "Pen", "unit_price": "1"}}, "item.name.taken", "/item/name"),
        ({"tax": {"name": "IVA23"}}, "tax.name.taken", "/tax/name"),
    ],
)
def test_each_family_gets_its_own_rule_in_each_language(
    text: str, sent: dict[str, Any], rule: str, path: str
) -> None:
    report = ixrules.read_response((422, {"errors": [{"error": text}]}), sent=sent)
    assert placed(report) == [(text, rule, path, None)]


def test_without_body_or_endpoint_the_rule_is_not_guessed() -> None:
    assert placed(ixrules.read_response((422, TAKEN))) == [
        ("Name has already been taken", None, "", HINT)
    ]
    report = ixrules.read_response((422, {"errors": [{"error": "Name is a required field"}]}))
    assert [(i.rule, i.hint) for i in report.errors] == [
        (
            None,
            "rules client.name.present, document.client.name.required, "
            "document.item.name.required, item.name.present all have this message; the "
            "endpoint, or the body that was sent, would choose",
        )
    ]


def test_a_body_whose_root_no_endpoint_takes_cannot_choose_either() -> None:
    report = ixrules.read_response((422, TAKEN), sent={"supplier": {"name": "Acme"}})
    assert placed(report) == [("Name has already been taken", None, "", HINT)]


def test_within_one_resource_the_prediction_still_chooses() -> None:
    sent = {"invoice": {"client": {"name": "Acme"}, "items": [{"unit_price": "1"}]}}
    report = ixrules.read_response((422, {"errors": [{"error": "Name is a required field"}]}),
                                   sent=sent)  # fmt: skip
    assert placed(report) == [
        ("Name is a required field", "document.item.name.required", "/invoice/items/0/name", None)
    ]


def test_a_message_one_rule_has_is_placed_as_before() -> None:
    report = ixrules.read_response((422, {"errors": [{"error": "Tax region is empty"}]}))
    assert placed(report) == [("Tax region is empty", "tax.region.empty", "", None)]


def test_an_httpx_response_without_its_request_takes_the_family_from_sent() -> None:
    response = httpx.Response(422, json=TAKEN)
    report = ixrules.read_response(response, sent={"item": {"name": "Pen"}})
    assert placed(report) == [
        ("Name has already been taken", "item.name.taken", "/item/name", None)
    ]


def test_the_endpoint_still_wins_over_the_family() -> None:
    report = ixrules.read_response((422, TAKEN), sent={"tax": {"name": "IVA23"}},
                                   endpoint="taxes.update")  # fmt: skip
    assert placed(report) == [("Name has already been taken", "tax.name.taken", "/tax/name", None)]
