"""The SAF-T PT export: the month, and the three messages that need the account's state, answered
as the API does, one {"message": ...}."""

from __future__ import annotations

from typing import Any

import pytest
from support.bodies import triples
from support.evidence import TRIAL

import ixrules

MONTH = "You need to send the month in the request body."
COMPANY = (
    "Warning! There is required information missing from Company information. Before you export "
    "the SAF-T PT, please go to Company information and fill out the missing fields."
)
EMPTY = "There aren't any documents to export on the selected period."
PARAMS = {"month": "1", "year": "2024"}
READY = {"account": {"trial": False, "company_info_complete": True}, "documents_in_period": 3}


def export(params: Any, context: Any = None) -> ixrules.Report:
    return ixrules.validate(params, "saft.export", context=context)


def test_a_ready_account_exports() -> None:
    report = export(PARAMS, READY)
    assert report.ok and report.status == 200 and report.skipped == [] and report.to_api() == {}


@pytest.mark.parametrize(
    "params", [{"year": "2024"}, {"month": "", "year": "2024"}, {"month": None}]
)
def test_the_month_is_required(params: dict[str, Any]) -> None:
    report = export(params, READY)
    assert triples(report) == [(MONTH, "/month", "saft.month.required")]
    assert report.to_api() == {"message": MONTH}


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"account": {"trial": True, "company_info_complete": True}}, (TRIAL, "", "saft.trial")),
        (
            {"account": {"trial": False, "company_info_complete": False}},
            (COMPANY, "", "saft.company_info"),
        ),
        ({"documents_in_period": 0}, (EMPTY, "", "saft.documents")),
    ],
)
def test_the_account_state_messages(change: dict[str, Any], expected: tuple[str, str, str]) -> None:
    report = export(PARAMS, {**READY, **change})
    assert triples(report) == [expected]
    assert report.to_api() == {"message": expected[0]} and report.status == 422


def test_one_message_in_the_order_the_api_checks() -> None:
    worst = {"account": {"trial": True, "company_info_complete": False}, "documents_in_period": 0}
    assert export({}, worst).to_api() == {"message": TRIAL}
    no_trial = {**worst, "account": {"trial": False, "company_info_complete": False}}
    assert export({}, no_trial).to_api() == {"message": MONTH}
    assert export(PARAMS, no_trial).to_api() == {"message": COMPANY}


def test_without_the_context_the_state_is_skipped() -> None:
    report = export(PARAMS)
    assert report.ok and report.skipped == ["saft.trial", "saft.company_info", "saft.documents"]
