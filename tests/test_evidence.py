"""This year's evidence in the rules (issue 24, "The rules follow the evidence"): each finding
is triggered by the body its evidence describes, with message, path, rule id and severity
exactly, and a nearby body passes. Each test quotes its evidence from tests/fixtures/
observed.md (a copy of the reference) and checks the quote is there, word for word."""

from __future__ import annotations

from typing import Any

import pytest
from support.bodies import FIXTURES, changed
from support.evidence import EXEMPTION, INVOICE

import ixrules
from ixrules.api import default_rules
from ixrules.catalogue import render_catalogue
from ixrules.context import KEYS
from ixrules.messages import translate
from ixrules.wording import RECORDED, wording

RULES = default_rules().ruleset.rules
EVIDENCE = " ".join((FIXTURES / "observed.md").read_text(encoding="utf-8").split())


def quoted(*lines: str) -> None:
    """Each quoted line is in the evidence file, blanks aside."""
    for line in lines:
        assert " ".join(line.split()) in EVIDENCE, line


def issues(
    body: Any, endpoint: str | None = None, context: Any = None, locale: str | None = None
) -> list[tuple[str, str, str | None, str]]:
    """Every finding (errors and warnings) as (message, path, rule, severity)."""
    report = ixrules.validate(body, endpoint, context=context, locale=locale)
    return [(i.message, i.path, i.rule, i.severity) for i in report.issues]


PT = {"account": {"country": "Portugal"}}
RATES = {**PT, "existing": {"taxes": {"IVA0": 0, "IVA23": 23}}}
IGNORED = (
    "Tax exemption code M07 is ignored here: a line's exemption code goes in its tax_exemption"
)


def zero_line(**line: Any) -> dict[str, Any]:
    item = {"name": "Book", "unit_price": "10", "quantity": 1, "tax": {"name": "IVA0"}, **line}
    return {"invoice": {**INVOICE["invoice"], "items": [item]}}


# --- the line-level VAT exemption ---------------------------------------------------------

LINE_LEVEL = (
    "on a Portuguese account, a 0 % line's exemption code must travel **on the line**, as "
    "`items[].tax_exemption`: a code nested in `items[].tax.exemption_code` is ignored and the "
    "document refused, even when the document-level `tax_exemption` is also set"
)


@pytest.mark.parametrize("context", [None, PT, RATES])
def test_a_code_on_the_line_is_a_declared_field(context: Any) -> None:
    """The one key the live account needed is no longer "a key the API drops"."""
    quoted(LINE_LEVEL, "`items[].tax_exemption` is a real field")
    assert issues(zero_line(tax_exemption="M07"), "invoices.create", context) == []
    quote = {"quote": zero_line(tax_exemption="M07")["invoice"]}
    assert issues(quote, "quotes.update") == []


def test_a_code_on_the_line_satisfies_a_zero_rate_line() -> None:
    """Given a Portuguese account and a 0 % tax table, a document whose only code is on the
    line is not refused; without any code it still is."""
    quoted("the sources conflict, so both placements are accepted")
    assert issues(zero_line(tax_exemption="M07"), "invoices.create", RATES) == []
    document_level = changed(zero_line(), "/invoice/tax_exemption", "M07")
    assert issues(document_level, "invoices.create", RATES) == []
    needed = (EXEMPTION, "/invoice/tax_exemption", "document.tax_exemption.needed", "error")
    assert issues(zero_line(), "invoices.create", RATES) == [needed]
    # one line with its code, another without: the other still needs one
    two = zero_line(tax_exemption="M07")
    two["invoice"]["items"].append(
        {"name": "Map", "unit_price": "5", "quantity": 1, "tax": {"name": "IVA0"}}
    )
    assert issues(two, "invoices.create", RATES) == [needed]


@pytest.mark.parametrize("code", ["M50", "X", "M1"])
def test_a_code_on_the_line_is_one_the_api_knows(code: str) -> None:
    assert (
        issues(zero_line(tax_exemption=code), "invoices.update")
        == [
            (
                EXEMPTION,
                "/invoice/items/0/tax_exemption",
                "document.tax_exemption.accepted",
                "error",
            ),
            ("Invoice items is invalid", "/invoice/items", "document.items.invalid", "error"),
        ][::-1]
    )


def test_a_code_nested_in_the_tax_is_a_key_the_api_ignores() -> None:
    quoted("`tax.exemption_code` is a key the API ignores")
    nested = zero_line(tax={"name": "IVA0", "exemption_code": "M07"})
    warning = (
        IGNORED,
        "/invoice/items/0/tax/exemption_code",
        "item.tax.exemption_code.ignored",
        "warning",
    )
    assert issues(nested, "invoices.update") == [warning]
    assert issues(zero_line(tax={"name": "IVA0", "exemption_code": ""}), "invoices.update") == []


def test_a_nested_code_alone_is_refused_with_the_recorded_text() -> None:
    """Razão de isenção deve ter uma opção selecionada, for a line-level code: recorded live
    in Portuguese; the English is the answer recorded for a missing exemption (inferred)."""
    quoted(
        "| Razão de isenção deve ter uma opção selecionada, for a line-level code |",
        "live (digitaldev-lx/laravel-invoice-express 3.2.0 changelog",
    )
    nested = zero_line(tax={"name": "IVA0", "exemption_code": "M07"})
    warning = (
        IGNORED,
        "/invoice/items/0/tax/exemption_code",
        "item.tax.exemption_code.ignored",
        "warning",
    )
    refused = (EXEMPTION, "/invoice/tax_exemption", "document.item.tax_exemption.needed", "error")
    assert issues(nested, "invoices.create", PT) == [refused, warning]
    pt = issues(nested, "invoices.create", PT, locale="pt")
    assert pt[0][0] == "Razão de isenção deve ter uma opção selecionada"
    assert RULES["document.item.tax_exemption.needed"].source == "inferred"
    # the same code on the line, or one on the document, or another account: no refusal
    on_line = zero_line(tax={"name": "IVA0", "exemption_code": "M07"}, tax_exemption="M07")
    assert issues(on_line, "invoices.create", PT) == [warning]
    document = changed(nested, "/invoice/tax_exemption", "M07")
    assert issues(document, "invoices.create", PT) == [warning]
    assert issues(nested, "invoices.create", {"account": {"country": "Spain"}}) == [warning]
    # with the rates too, the line is judged once, by the same rule
    assert issues(nested, "invoices.create", RATES) == [refused, warning]
    report = ixrules.validate(nested, "invoices.create")
    assert "document.item.tax_exemption.needed" in report.skipped


# --- keys beside the root -----------------------------------------------------------------

UIE = "Unknown key proprietary_uie, which the API drops"


@pytest.mark.parametrize("executor", ["fast", "cerberus"])
def test_a_misspelt_key_beside_the_root_is_reported(executor: str) -> None:
    """ "Unknown keys are dropped without a word, beside the root key too (a misspelt
    `proprietary_uid` loses the idempotency key ...)"."""
    quoted("Unknown keys are dropped without a word, beside the root key too")
    rules = ixrules.Rules.load(executor=executor)
    body = {**INVOICE, "proprietary_uie": "order-1190"}
    for endpoint in ("invoices.create", None):
        report = rules.validate(body, endpoint)
        assert report.ok and report.endpoint == "invoices.create"
        assert [(i.message, i.path, i.rule, i.severity, i.hint) for i in report.issues] == [
            (UIE, "/proprietary_uie", "field.unknown", "warning", "did you mean 'proprietary_uid'?")
        ]
    assert rules.validate({**INVOICE, "proprietary_uid": "order-1190"}).issues == []


def test_null_sibling_roots_and_null_keys_say_nothing() -> None:
    """tim-online sends `null` for every sibling root key; a `null` sends nothing."""
    quoted("`null` for every sibling root key")
    body = {
        "invoice": None,
        "simplified_invoice": None,
        "invoice_receipt": INVOICE["invoice"],
        "credit_note": None,
        "debit_note": None,
        "proprietary_uid": "x",
        "whatever": None,
    }
    report = ixrules.validate(body)
    assert report.endpoint == "invoice_receipts.create" and report.issues == []
    inner = changed(INVOICE, "/invoice/colour", None)
    assert issues(inner, "invoices.update") == []


# --- refusals no source records are warnings ----------------------------------------------

COUNTRY_BLANK = "Country is empty, and the API's answer to an empty country is not recorded"


@pytest.mark.parametrize(
    ("body", "endpoint", "path"),
    [
        ({"client": {"name": "Acme", "country": ""}}, "clients.create", "/client/country"),
        (
            changed(INVOICE, "/invoice/client/country", ""),
            "invoices.create",
            "/invoice/client/country",
        ),
        (
            {"shipping": {"address_from": {"country": " "}}},
            "shippings.update",
            "/shipping/address_from/country",
        ),
    ],
)
def test_an_empty_country_is_a_warning(body: Any, endpoint: str, path: str) -> None:
    quoted(
        '`country: ""` on a client and `unit: ""` on a document line are sent by production '
        'Go code (zero values) and OCA guides (`address_*.country: ""`); the API\'s answer to '
        "either is recorded nowhere."
    )
    assert issues(body, endpoint) == [(COUNTRY_BLANK, path, "country.blank", "warning")]
    assert issues(changed(body, path, "Portugal"), endpoint) == []


def test_an_empty_unit_stays_refused_at_items_where_it_is_recorded() -> None:
    quoted("The v1 docs record `Unit  is not included in the list of accepted units` (two spaces)")
    assert issues({"item": {"name": "Pen", "unit_price": "1", "unit": ""}}, "items.update") == [
        (
            "Unit  is not included in the list of accepted units",
            "/item/unit",
            "item.unit.accepted",
            "error",
        )
    ]
    line = changed(INVOICE, "/invoice/items/0/unit", "")
    assert [i[2:] for i in issues(line, "invoices.create")] == [
        ("document.item.unit.blank", "warning")
    ]


def test_the_decisions_are_listed_in_the_endpoint_docs() -> None:
    text = (FIXTURES.parent.parent / "docs" / "endpoints.md").read_text(encoding="utf-8")
    for rule in (
        "country.blank",
        "document.item.unit.blank",
        "item.tax.value.unread",
        "request.route.unrecorded",
        "sequences.update",
    ):
        assert f"`{rule}`" in text


# --- state refusals: context keys ---------------------------------------------------------


def test_the_new_context_keys_are_declared() -> None:
    for key in (
        "sequence.document_type",
        "owner_document.status",
        "document.amount_due",
        "document.total",
        "document.related_total",
    ):
        assert key in KEYS


SERIES = "Sequence does not match the document type"


def test_a_series_of_another_document_type() -> None:
    quoted(
        "| A série não corresponde ao tipo de documento | a document created with a "
        "`sequence_id` whose series belongs to another document type"
    )
    body = changed(INVOICE, "/invoice/sequence_id", "123")
    wrong = {"sequence": {"document_type": "invoice"}}
    assert issues(body, "invoice_receipts.create", wrong) == [
        (SERIES, "/invoice/sequence_id", "document.sequence.document_type", "error")
    ]
    assert issues(body, "invoice_receipts.create", wrong, locale="pt")[0][0] == (
        "A série não corresponde ao tipo de documento"
    )
    for right in ("invoice_receipt", "InvoiceReceipt", "invoice_receipts"):
        context = {"sequence": {"document_type": right}}
        assert issues(body, "invoice_receipts.create", context) == []
    assert issues(body, "invoices.create", wrong) == []
    report = ixrules.validate(body, "invoice_receipts.create")
    assert report.ok and "document.sequence.document_type" in report.skipped


def test_an_owner_document_in_draft() -> None:
    quoted(
        "| Owner document must not be in draft | a credit (or debit) note whose "
        "`owner_invoice_id` names a document still in draft"
    )
    body = changed(INVOICE, "/invoice/owner_invoice_id", "9")
    draft = {"owner_document": {"status": "draft"}}
    assert issues(body, "credit_notes.create", draft) == [
        (
            "Owner document must not be in draft",
            "/invoice/owner_invoice_id",
            "document.owner.not_draft",
            "error",
        )
    ]
    assert issues(body, "credit_notes.create", {"owner_document": {"status": "final"}}) == []
    assert issues(INVOICE, "credit_notes.create", draft) == []
    assert "document.owner.not_draft" in ixrules.validate(body, "credit_notes.create").skipped


def test_a_partial_payment_above_what_is_due() -> None:
    quoted("a partial payment above what is still due on the document | live (diogopms")
    due = {"document": {"amount_due": "123.45"}}
    assert issues({"partial_payment": {"amount": "150"}}, None, due) == [
        (
            "Amount must be less than or equal to the amount due",
            "/partial_payment/amount",
            "payment.amount.due",
            "error",
        )
    ]
    assert issues({"partial_payment": {"amount": 123.45}}, None, due) == []
    report = ixrules.validate({"partial_payment": {"amount": "150"}})
    assert report.ok and "payment.amount.due" in report.skipped


def test_a_credit_note_above_its_related_documents() -> None:
    quoted(
        "| O total não pode ser superior ao total dos documentos relacionados | finalizing a "
        "credit note whose total is above the total of the documents it relates to"
    )
    body = {"credit_note": {"state": "finalized"}}
    above = {"document": {"total": "150.00", "related_total": 100}}
    message = "Total can't be greater than the total of the related documents"
    assert issues(body, "credit_notes.change_state", above) == [
        (message, "/credit_note/state", "state.note.total", "error")
    ]
    assert issues(body, "credit_notes.change_state", above, locale="pt")[0][0] == (
        "O total não pode ser superior ao total dos documentos relacionados"
    )
    within = {"document": {"total": "100.00", "related_total": 100}}
    assert issues(body, "credit_notes.change_state", within) == []
    canceled = {"credit_note": {"state": "canceled", "message": "x"}}
    assert issues(canceled, "credit_notes.change_state", above) == []
    report = ixrules.validate(body, "credit_notes.change_state")
    assert report.ok and "state.note.total" in report.skipped


# --- silent losses ------------------------------------------------------------------------

WRITTEN = "Should be written dd/mm/yyyy: the API sets a date it cannot read to the current date"
FLAG = 'Should be "0" or "1", the only flag values the API honours'


@pytest.mark.parametrize("date", ["2026-05-01", "01-05-2026", "01.05.2026"])
@pytest.mark.parametrize("field", ["date", "due_date"])
def test_a_document_date_not_written_dd_mm_yyyy(date: str, field: str) -> None:
    quoted(
        'V1 docs: a date in an invalid format "will be set to current date".',
        "no source shows the API reading `yyyy-mm-dd`",
    )
    body = changed(INVOICE, f"/invoice/{field}", date)
    other = "due_date" if field == "date" else "date"
    body = changed(body, f"/invoice/{other}", None)
    assert issues(body, "invoices.update") == [
        (WRITTEN, f"/invoice/{field}", "document.date.written", "warning")
    ]
    assert issues(changed(body, f"/invoice/{field}", "1/5/2026"), "invoices.update") == []


def test_other_document_dates_and_moments() -> None:
    assert issues({"partial_payment": {"amount": "1", "payment_date": "2026-05-01"}}) == [
        (WRITTEN, "/partial_payment/payment_date", "document.date.written", "warning")
    ]
    assert issues({"shipping": {"loaded_at": "2026-05-01T10:00:00"}}, "shippings.update") == [
        (
            "Should be a moment written dd/mm/yyyy HH:mm:ss",
            "/shipping/loaded_at",
            "kind.datetime",
            "warning",
        )
    ]
    # the /api/v3 client-balance endpoints take ISO dates
    assert (
        issues({"initial_balance": {"value": 1, "date": "2023-05-19"}}, "clients.initial_balance")
        == []
    )


@pytest.mark.parametrize(
    ("body", "endpoint", "path"),
    [
        ({"account": {"terms": 1}}, "accounts.update", "/account/terms"),
        (
            {
                "account": {
                    "organization_name": "A",
                    "email": "a@example.com",
                    "password": "secret123",
                    "terms": True,
                }
            },
            "accounts.create",
            "/account/terms",
        ),
        (
            {"tax": {"name": "IVA9", "value": "9", "default_tax": 2}},
            "taxes.create",
            "/tax/default_tax",
        ),
        ({"tax": {"default_tax": "2"}}, "taxes.update", "/tax/default_tax"),
        ({"tax": {"default_tax": 1}}, "taxes.update", "/tax/default_tax"),
        (
            {"quote": {"auto_add_related_document": 0}},
            "quotes.update",
            "/quote/auto_add_related_document",
        ),
        ({"invoice": {"mb_reference": True}}, "invoices.update", "/invoice/mb_reference"),
    ],
)
def test_a_flag_sent_as_a_json_integer_or_boolean(body: Any, endpoint: str, path: str) -> None:
    quoted("`default_sequence: 1` sent as an integer returned 201 and was not applied (recorded)")
    assert issues(body, endpoint) == [(FLAG, path, "kind.flag", "warning")]
    assert issues(changed(body, path, "1"), endpoint) == []


@pytest.mark.parametrize(
    ("body", "endpoint", "path"),
    [
        ({"quote": {"tax_exemption": "M77"}}, "quotes.update", "/quote/tax_exemption"),
        ({"shipping": {"tax_exemption": "M77"}}, "shippings.update", "/shipping/tax_exemption"),
        (
            {"invoice": {"tax_exemption_reason": "M77"}},
            "invoices.update",
            "/invoice/tax_exemption_reason",
        ),
        (
            {"quote": {"tax_exemption_reason": "M77"}},
            "quotes.update",
            "/quote/tax_exemption_reason",
        ),
    ],
)
def test_exemption_codes_are_checked_wherever_the_field_exists(
    body: Any, endpoint: str, path: str
) -> None:
    assert issues(body, endpoint) == [(EXEMPTION, path, "document.tax_exemption.accepted", "error")]
    assert issues(changed(body, path, "M00"), endpoint) == []


# --- noise --------------------------------------------------------------------------------

VALUE = "Tax value 23 is not known to be read: a line's rate is that of the account's tax it names"


def test_a_line_tax_value_says_what_is_known() -> None:
    quoted(
        "Whether the API reads that `value` is recorded nowhere: the rate of a line comes "
        "from the account's tax table by name."
    )
    body = changed(INVOICE, "/invoice/items/0/tax", {"name": "IVA23", "value": 23})
    assert issues(body, "invoices.update") == [
        (VALUE, "/invoice/items/0/tax/value", "item.tax.value.unread", "warning")
    ]
    assert "drop" not in RULES["item.tax.value.unread"].message
    assert issues(changed(body, "/invoice/items/0/tax/value", None), "invoices.update") == []


# --- routes -------------------------------------------------------------------------------

BASE = "https://acme.app.invoicexpress.com"
JSON = {"Content-Type": "application/json"}


def test_a_route_answered_302_is_predicted_302() -> None:
    quoted("`PUT /sequences/{id}.json` (answered 302, diogopms)")
    report = ixrules.check_request(
        "PUT", BASE + "/sequences/5.json?api_key=k", headers=JSON, body={"sequence": {"serie": "A"}}
    )
    assert (report.endpoint, report.status, report.issues) == ("sequences.update", 302, [])


@pytest.mark.parametrize(
    ("method", "path", "body", "endpoint"),
    [
        (
            "POST",
            "/invoices/42/change-state.json",
            {"invoice": {"state": "finalized"}},
            "invoices.change_state",
        ),
        (
            "PUT",
            "/invoice/42/change-state.json",
            {"invoice": {"state": "finalized"}},
            "invoices.change_state",
        ),
        (
            "POST",
            "/quotes/42/email-document.json",
            {"message": {"client": {"email": "a@example.com"}}},
            "quotes.email",
        ),
        ("POST", "/api/accounts/3/update.json", {"account": {"city": "Porto"}}, "accounts.update"),
    ],
)
def test_a_route_real_code_uses_is_not_a_confident_404(
    method: str, path: str, body: Any, endpoint: str
) -> None:
    quoted("an uncertain route is not a confident 404")
    report = ixrules.check_request(method, BASE + path + "?api_key=k", headers=JSON, body=body)
    assert report.endpoint == endpoint and report.status != 404 and report.ok
    spec = default_rules().endpoint(endpoint)
    assert [(i.message, i.rule, i.severity) for i in report.issues] == [
        (
            f"The API's answer to {method} {path} is not recorded; checked as "
            f"{spec.method} {spec.route}, the documented route",
            "request.route.unrecorded",
            "warning",
        )
    ]
    bad = ixrules.check_request(
        "PUT", BASE + "/invoices/42/change_state.json?api_key=k", headers=JSON, body=body
    )
    assert bad.status == 404


# --- whose wording ------------------------------------------------------------------------


def test_the_recorded_portuguese_is_the_catalogs() -> None:
    quoted("several messages are known only in Portuguese")
    for message, (text, _) in RECORDED["pt"].items():
        assert message in {rule.message for rule in RULES.values()}, message
        assert translate(message, "pt") == text
    messages = {rule.message for rule in RULES.values()}
    assert len([m for m in messages if wording(m, "pt") == "recorded"]) == 10
    assert {wording(m, "es") for m in messages} == {"translation"}


def test_the_catalogue_says_whose_wording_per_locale() -> None:
    text = render_catalogue(default_rules().ruleset)
    assert "| message | rule id | severity | source | pt | es | needs context | endpoints |" in text
    row = next(line for line in text.splitlines() if "`client.fiscal_id.nif`" in line)
    assert "| observed | recorded | translation |" in row
    row = next(line for line in text.splitlines() if "`document.retention.range`" in line)
    assert "| seed | translation | translation |" in row


def test_explain_says_whose_wording_per_locale() -> None:
    from ixrules.cli.info import explain_text

    text = explain_text(default_rules(), "client.fiscal_id.nif")
    assert "In es: Fiscal no es válido (the project's translation)\n" in text
    assert "In pt: Fiscal não é válido (the API's recorded wording, live (Ventrata" in text
    retention = explain_text(default_rules(), "document.retention.range")
    assert "(the project's translation)" in retention and "recorded wording" not in retention
