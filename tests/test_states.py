"""change-state for every document type and for receipts: unknown events, the cancel message,
and (with the document's status) the transitions each state machine refuses with 406."""

from __future__ import annotations

import pytest
from support.bodies import triples
from support.documents import ESTIMATES, FAMILY, GUIDES, INVOICES, validate

import ixrules

INVALID_STATE = "Invalid state"
CANCEL = "Cancel message can't be blank"
WRONG_STATUS = "The document provided is in an invalid state."
INVOICE_EVENTS = ("finalized", "deleted", "canceled", "settled", "second_copy")
ESTIMATE_EVENTS = ("finalized", "deleted", "canceled", "accept", "refuse", "accepted", "refused")
GUIDE_EVENTS = ("finalized", "deleted", "canceled", "second_copy")
EVENTS: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(INVOICES, INVOICE_EVENTS),
    **dict.fromkeys(ESTIMATES, ESTIMATE_EVENTS),
    **dict.fromkeys(GUIDES, GUIDE_EVENTS),
    "receipts": ("canceled",),
    "purchase_orders": ("finalized", "deleted", "canceled", "accepted", "refused", "completed"),
}
ROOT = {**FAMILY, "receipts": "receipt", "purchase_orders": "purchase_order"}
EVENT_RULE = {
    **dict.fromkeys(INVOICES, "state.invoice.event"),
    **dict.fromkeys(ESTIMATES, "state.estimate.event"),
    **dict.fromkeys(GUIDES, "state.guide.event"),
    "receipts": "state.receipt.event",
    "purchase_orders": "state.purchase_order.event",
}


def body(path: str, state: object, message: object = "Wrong totals") -> dict[str, object]:
    return {ROOT[path]: {"state": state, "message": message}}


@pytest.mark.parametrize("path", list(EVENTS))
def test_every_event_of_the_family_passes(path: str) -> None:
    for event in EVENTS[path]:
        assert validate(f"{path}.change_state", body(path, event)) == []


@pytest.mark.parametrize("path", list(EVENTS))
@pytest.mark.parametrize("event", ["finalize", "Finalized", "draft", 1, "", None])
def test_an_unknown_event_is_an_invalid_state(path: str, event: object) -> None:
    assert validate(f"{path}.change_state", body(path, event)) == [
        (INVALID_STATE, f"/{ROOT[path]}/state", EVENT_RULE[path])
    ]


@pytest.mark.parametrize(
    ("path", "event"),
    [
        ("invoices", "accept"),
        ("quotes", "settled"),
        ("shippings", "settled"),
        ("receipts", "finalized"),
        ("debit_notes", "refused"),
    ],
)
def test_an_event_of_another_family_is_an_invalid_state(path: str, event: str) -> None:
    assert validate(f"{path}.change_state", body(path, event)) == [
        (INVALID_STATE, f"/{ROOT[path]}/state", EVENT_RULE[path])
    ]


@pytest.mark.parametrize("path", list(EVENTS))
@pytest.mark.parametrize("message", [None, "", "  ", False])
def test_cancelling_says_why(path: str, message: object) -> None:
    root = ROOT[path]
    assert validate(f"{path}.change_state", body(path, "canceled", message)) == [
        (CANCEL, f"/{root}/message", "state.cancel_message.required")
    ]
    if path != "receipts":
        assert validate(f"{path}.change_state", body(path, "finalized", message)) == []


@pytest.mark.parametrize("root", ["invoice", "invoice_receipt"])
def test_the_family_key_and_the_singular_type_are_both_taken(root: str) -> None:
    report = ixrules.validate({root: {"state": "canceled"}}, "invoice_receipts.change_state")
    assert triples(report) == [(CANCEL, f"/{root}/message", "state.cancel_message.required")]


# (path, status, allowed events, refused events)
TRANSITIONS = [
    ("invoices", "draft", ["finalized", "deleted"], ["canceled", "settled", "unsettled"]),
    ("invoices", "final", ["canceled", "settled"], ["finalized", "deleted", "unsettled"]),
    ("simplified_invoices", "settled", [], ["canceled", "unsettled", "finalized"]),
    ("invoice_receipts", "settled", ["canceled"], ["unsettled", "deleted"]),
    ("credit_notes", "settled", ["unsettled"], ["canceled", "settled"]),
    ("debit_notes", "final", ["settled", "canceled"], ["unsettled"]),
    ("invoices", "canceled", [], ["canceled", "finalized"]),
    ("quotes", "draft", ["finalized", "deleted"], ["accept", "refuse", "canceled"]),
    ("proformas", "final", ["accept", "accepted", "refuse", "refused", "canceled"], ["finalized"]),
    ("fees_notes", "accepted", ["refuse", "refused", "canceled"], ["accept", "accepted"]),
    ("quotes", "refused", ["accept", "accepted", "canceled"], ["refuse", "deleted"]),
    ("shippings", "draft", ["finalized", "deleted"], ["canceled"]),
    ("transports", "final", ["canceled"], ["finalized", "deleted"]),
    ("devolutions", "canceled", [], ["canceled"]),
    ("receipts", "canceled", [], ["canceled"]),
    ("receipts", "final", ["canceled"], []),
]
TRANSITION_RULE = {
    **dict.fromkeys(["invoices", "simplified_invoices"], "state.invoice.transition"),
    "invoice_receipts": "state.invoice_receipt.transition",
    **dict.fromkeys(["credit_notes", "debit_notes"], "state.note.transition"),
    **dict.fromkeys(ESTIMATES, "state.estimate.transition"),
    **dict.fromkeys(GUIDES, "state.guide.transition"),
    "receipts": "state.receipt.transition",
}


@pytest.mark.parametrize(("path", "status", "allowed", "refused"), TRANSITIONS)
def test_the_state_machine_from_the_documents_status(
    path: str, status: str, allowed: list[str], refused: list[str]
) -> None:
    endpoint = f"{path}.change_state"
    context = {"document": {"status": status}}
    for event in allowed:
        assert ixrules.validate(body(path, event), endpoint, context=context).ok
    for event in refused:
        report = ixrules.validate(body(path, event), endpoint, context=context)
        if event in EVENTS[path] or (event == "unsettled" and path in INVOICES):
            assert triples(report) == [
                (WRONG_STATUS, f"/{ROOT[path]}/state", TRANSITION_RULE[path])
            ]
            assert report.status == 406 and report.messages == [WRONG_STATUS]
        else:
            assert report.status == 422 and report.messages == [INVALID_STATE]


def test_a_status_the_table_does_not_know_is_not_judged() -> None:
    report = ixrules.validate(
        body("invoices", "canceled"),
        "invoices.change_state",
        context={"document": {"status": "sent"}},
    )
    assert report.ok and report.skipped == []


def test_without_the_status_the_transition_is_skipped() -> None:
    report = ixrules.validate(body("quotes", "accept"), "quotes.change_state")
    assert report.ok and report.skipped == ["state.estimate.transition"]


def test_406_wins_over_422() -> None:
    report = ixrules.validate(
        {"invoice": {"state": "canceled"}},
        "invoices.change_state",
        context={"document": {"status": "draft"}},
    )
    assert [issue.status for issue in report.errors] == [422, 406]
    assert report.status == 406 and report.messages == [WRONG_STATUS]


@pytest.mark.parametrize(
    ("root", "endpoint"),
    [
        ("invoice", "invoices.change_state"),
        ("invoice_receipt", "invoice_receipts.change_state"),
        ("quote", "quotes.change_state"),
        ("fees_note", "fees_notes.change_state"),
        ("transport", "transports.change_state"),
        ("receipt", "receipts.change_state"),
        ("purchase_order", "purchase_orders.change_state"),
    ],
)
def test_a_change_of_state_is_inferred_from_its_keys(root: str, endpoint: str) -> None:
    report = ixrules.validate({root: {"state": "canceled", "message": "Wrong"}})
    assert report.endpoint == endpoint and report.status == 200
