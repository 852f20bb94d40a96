"""The messages real accounts answer with (observed traffic and integrations' code, beyond the
error-code page): each rule is triggered by the body its evidence describes, with its message,
path, rule id and severity exactly, and a nearby valid body passes. The evidence line each test
stands on is quoted in its docstring."""

from __future__ import annotations

from typing import Any

import pytest
from support.bodies import DELETE, changed, load_example
from support.evidence import EXEMPTION, INVOICE

import ixrules
from ixrules.api import default_rules

RULES = default_rules().ruleset.rules


def issues(
    body: Any, endpoint: str | None = None, context: Any = None, locale: str | None = None
) -> list[tuple[str, str, str | None, str, int]]:
    """Every finding (errors and warnings) as (message, path, rule, severity, status)."""
    report = ixrules.validate(body, endpoint, context=context, locale=locale)
    return [(i.message, i.path, i.rule, i.severity, i.status) for i in report.issues]


def errors(body: Any, endpoint: str | None = None, context: Any = None) -> list[Any]:
    return [i for i in issues(body, endpoint, context) if i[3] == "error"]


CLIENT = load_example("docs-v2-client-create.json")
FISCAL = ("Fiscal is invalid", "/invoice/client/fiscal_id", "client.fiscal_id.nif", "error", 422)
CLIENT_INVALID = ("Client is invalid", "/invoice/client", "document.client.invalid", "error", 422)


def test_every_new_rule_says_where_its_message_comes_from() -> None:
    sources = {
        "client.fiscal_id.nif": "observed",
        "client.fiscal_id.foreign_vat": "inferred",
        "client.name.length": "inferred",
        "item.unit_price.positive": "observed",
        "document.tax_exemption.needed": "observed",
        "document.tax_exemption.accepted": "observed",
        "item.unit_price.string": "observed",
        "tax.value.string": "inferred",
        "document.global_discount.value_type": "inferred",
        "account.organization_name.blank": "inferred",
        "account.email.blank": "inferred",
        "account.password.blank": "inferred",
        "sequence.serie.blank": "inferred",
        "tax.name.blank": "inferred",
    }
    assert {rule: (RULES[rule].source, RULES[rule].severity) for rule in sources} == {
        rule: (source, "error") for rule, source in sources.items()
    }


# --- the Portuguese NIF -------------------------------------------------------------------


@pytest.mark.parametrize("country", [None, "", "  ", "Portugal", "PORTUGAL", " portugal "])
@pytest.mark.parametrize("nif", ["123456780", "PT123456780", "999999991", "12345678", "ABC"])
def test_a_wrong_nif_of_a_portugal_or_country_less_client(country: Any, nif: str) -> None:
    """observed.md §1: "Fiscal is invalid (pt: Fiscal não é válido) | a client whose country is
    Portugal, or who has no country, with a `fiscal_id` that fails the Portuguese NIF check
    digit; comes with "Client is invalid" | live (Ventrata ...), code (... tim-online
    go-invoicexpress records `{"errors":["Fiscal is invalid"]}`)"."""
    body = changed(
        changed(INVOICE, "/invoice/client/fiscal_id", nif), "/invoice/client/country", country
    )
    found = errors(body, "invoices.create")
    if country in ("", "  "):  # a blank country is the country rule's business too
        found = [issue for issue in found if issue[2] != "country.known"]
    assert found == [CLIENT_INVALID, FISCAL]


@pytest.mark.parametrize(
    "nif", ["123456789", "PT123456789", "pt 123 456 789", "999999990", 508025338, "", "  "]
)
@pytest.mark.parametrize("country", [None, "Portugal"])
def test_a_right_nif_an_empty_one_and_the_consumer_nif_pass(nif: Any, country: Any) -> None:
    """ "A `PT` prefix before a valid NIF is accepted; an empty `fiscal_id` is accepted (final
    consumer); `999999990` is the generic consumer NIF and valid"."""
    body = changed(
        changed(INVOICE, "/invoice/client/fiscal_id", nif), "/invoice/client/country", country
    )
    assert errors(body, "invoices.create") == []


@pytest.mark.parametrize("country", ["Spain", "France", "Germany"])
def test_another_countrys_client_is_not_judged(country: str) -> None:
    """ "Not raised when the client's country is another one"."""
    body = changed(
        INVOICE, "/invoice/client", {"name": "Acme", "country": country, "fiscal_id": "123"}
    )
    assert errors(body, "invoices.create") == []


def test_the_nif_of_a_client_at_clients() -> None:
    """The same Client model answers /clients: no umbrella there, the field alone."""
    body = changed(CLIENT, "/client/fiscal_id", "508025330")
    assert issues(body, "clients.create") == [
        ("Fiscal is invalid", "/client/fiscal_id", "client.fiscal_id.nif", "error", 422)
    ]
    assert errors(CLIENT, "clients.create") == []  # 508025338 with country Portugal


def test_the_nif_message_in_portuguese() -> None:
    body = changed(INVOICE, "/invoice/client/fiscal_id", "123456780")
    assert [i[0] for i in issues(body, "invoices.create", locale="pt")] == [
        "Cliente não é válido",
        "Fiscal não é válido",
    ]


# --- a foreign VAT number on a Portugal client ----------------------------------------------


@pytest.mark.parametrize("vat", ["FR40303265045", "DE136695976", "ES B58378431"])
def test_a_foreign_vat_number_on_a_portugal_client(vat: str) -> None:
    """observed.md §1: "Contribuinte não é válido | a Portugal client whose `fiscal_id` is a
    foreign EU VAT number (prefix FR, ES, ...): the API checks the pair country + number | code
    (SuesteCreative, a test named foreign-vat-country-mismatch); English text not recorded"."""
    client = {"name": "Acme", "country": "Portugal", "fiscal_id": vat}
    body = changed(INVOICE, "/invoice/client", client)
    foreign = (
        "Vat Number is invalid",
        "/invoice/client/fiscal_id",
        "client.fiscal_id.foreign_vat",
        "error",
        422,
    )
    assert errors(body, "invoices.create") == [CLIENT_INVALID, foreign]
    assert [i[0] for i in issues(body, "invoices.create", locale="pt")] == [
        "Cliente não é válido",
        "Contribuinte não é válido",
    ]
    # the same number on a client of that country, or a Portuguese one, passes
    assert errors(changed(body, "/invoice/client/country", "France"), "invoices.create") == []
    assert (
        errors(changed(body, "/invoice/client/fiscal_id", "PT999999990"), "invoices.create") == []
    )


# --- names over 100 characters ------------------------------------------------------------


def test_a_client_name_over_100_characters() -> None:
    """observed.md §1: "Nome é demasiado longo | a client `name` over 100 characters; the whole
    document is refused | code (SuesteCreative caps names at 100); English text not recorded
    (Rails' default would be "Name is too long (maximum is 100 characters)": inference)"."""
    long = "É" * 101
    too_long = ("Name is too long (maximum is 100 characters)", "error", 422)
    body = changed(INVOICE, "/invoice/client/name", long)
    assert errors(body, "invoices.create") == [
        CLIENT_INVALID,
        (too_long[0], "/invoice/client/name", "client.name.length", *too_long[1:]),
    ]
    assert errors(changed(body, "/invoice/client/name", "É" * 100), "invoices.create") == []
    at_clients = changed(CLIENT, "/client/name", long)
    assert errors(at_clients, "clients.update") == [
        (too_long[0], "/client/name", "client.name.length", *too_long[1:])
    ]
    assert [i[0] for i in issues(at_clients, "clients.update", locale="pt")] == [
        "Nome é demasiado longo"
    ]


# --- negative line prices -----------------------------------------------------------------


@pytest.mark.parametrize("price", ["-5", -0.01, "-1e2"])
@pytest.mark.parametrize("endpoint", ["invoices.create", "quotes.update", "shippings.create"])
def test_a_negative_line_price(price: Any, endpoint: str) -> None:
    """observed.md §1: "Item price must be positive | a document line with a negative
    `unit_price` (integrators tried negative lines as discounts) | code + changelog
    (SuesteCreative "Discount Repair")"."""
    key = endpoint.split(".")[0][:-1]
    body = {key: changed(INVOICE, "/invoice/items/0/unit_price", price)["invoice"]}
    positive = ("Item price must be positive", "error", 422)
    assert errors(body, endpoint) == [
        ("Invoice items is invalid", f"/{key}/items", "document.items.invalid", "error", 422),
        (positive[0], f"/{key}/items/0/unit_price", "item.unit_price.positive", *positive[1:]),
    ]
    assert errors(changed(body, f"/{key}/items/0/unit_price", "0"), endpoint) == []


def test_a_negative_price_at_items_is_not_judged() -> None:
    """The recorded message is a document line's; /items' own is not recorded."""
    assert errors({"item": {"name": "Pen", "unit_price": "-1"}}, "items.create") == []


# --- VAT exemptions -----------------------------------------------------------------------


RATES = {"IVA0": 0, "IVA23": 23, "Isento": "0.0"}
PT = {"account": {"country": "Portugal"}, "existing": {"taxes": RATES}}


def zero_rated(**extra: Any) -> dict[str, Any]:
    line = {"name": "Book", "unit_price": "10", "quantity": 1, "tax": {"name": "IVA0"}}
    return {"invoice": {**INVOICE["invoice"], "items": [line], **extra}}


@pytest.mark.parametrize("tax", ["IVA0", "iva0", " Isento "])
def test_a_zero_rate_line_without_exemption_on_a_portuguese_account(tax: str) -> None:
    """observed.md §1: "Razão de isenção deve ter uma opção selecionada | a Portuguese account's
    document with a 0 % tax line and no document-level `tax_exemption` | proxy (SuesteCreative)"
    and "Tax exemption should be one of: M09, ... M99 | a document whose `tax_exemption` is
    missing (where needed) or not an accepted code | code (tim-online go-invoicexpress)"."""
    body = changed(zero_rated(), "/invoice/items/0/tax/name", tax)
    needed = (EXEMPTION, "/invoice/tax_exemption", "document.tax_exemption.needed", "error", 422)
    assert errors(body, "invoices.create", PT) == [needed]
    upper = {**PT, "account": {"country": "pt"}}
    assert errors(body, "invoices.create", upper) == [needed]
    pt = [i[0] for i in issues(body, "invoices.create", PT, locale="pt")]
    assert pt == ["Razão de isenção deve ter uma opção selecionada"]
    # an exemption, another account, a taxed line, an update: nothing to say
    assert errors(zero_rated(tax_exemption="M07"), "invoices.create", PT) == []
    spain = {**PT, "account": {"country": "Spain"}}
    assert errors(body, "invoices.create", spain) == []
    assert errors(changed(body, "/invoice/items/0/tax/name", "IVA23"), "invoices.create", PT) == []
    assert errors(body, "invoices.update", PT) == []


def test_the_exemption_needs_the_account_country_and_the_rates() -> None:
    report = ixrules.validate(zero_rated(), "invoices.create")
    assert report.ok and "document.tax_exemption.needed" in report.skipped
    names = {"account": {"country": "Portugal"}, "existing": {"taxes": ["IVA0", "IVA23"]}}
    report = ixrules.validate(zero_rated(), "invoices.create", context=names)
    assert report.ok and "document.tax_exemption.needed" not in report.skipped  # no rates


def test_a_line_without_a_tax_name_is_not_judged() -> None:
    for tax in ({}, {"name": ""}, {"value": 0}):
        assert (
            errors(changed(zero_rated(), "/invoice/items/0/tax", tax), "invoices.create", PT) == []
        )


def test_a_tax_name_is_still_compared_with_the_names_of_the_rates() -> None:
    body = {"tax": {"name": "iva23", "value": "23", "region": "PT"}}
    assert errors(body, "taxes.create", {"existing": {"taxes": RATES}}) == [
        ("Name has already been taken", "/tax/name", "tax.name.taken", "error", 422)
    ]


@pytest.mark.parametrize("code", ["M50", "M17", "X01", "M1"])
def test_an_exemption_code_the_api_does_not_know(code: str) -> None:
    """The tim-online answer, verbatim, for a code not accepted."""
    assert errors(zero_rated(tax_exemption=code), "invoices.update") == [
        (EXEMPTION, "/invoice/tax_exemption", "document.tax_exemption.accepted", "error", 422)
    ]


@pytest.mark.parametrize(
    "code", ["M00", "M01", "M03", "M08", "M16", "M19", "M26", "M34", "M44", "M46", "M99", "m07", ""]
)
def test_every_code_either_source_names_passes(code: str) -> None:
    assert errors(zero_rated(tax_exemption=code), "invoices.update") == []


# --- JSON numbers where the API wants strings ----------------------------------------------


@pytest.mark.parametrize("endpoint", ["items.create", "items.update"])
@pytest.mark.parametrize("price", [9.99, 10, 0])
def test_an_item_price_sent_as_a_json_number(endpoint: str, price: Any) -> None:
    """observed.md §1: "unit price is not valid | `POST`/`PUT /items.json` with `unit_price` as a
    JSON number; a string works. Document lines do accept JSON numbers | live (diogopms
    invoice-express-js live runner; the integrator's wording of the answer)"."""
    body = {"item": {"name": "Pen", "unit_price": price}}
    assert errors(body, endpoint) == [
        ("unit price is not valid", "/item/unit_price", "item.unit_price.string", "error", 422)
    ]
    assert errors({"item": {"name": "Pen", "unit_price": str(price)}}, endpoint) == []
    assert errors(changed(INVOICE, "/invoice/items/0/unit_price", price), "invoices.create") == []


@pytest.mark.parametrize("value", [23, 0, 6.5])
def test_a_tax_value_sent_as_a_json_number_is_a_500(value: Any) -> None:
    """observed.md §1: "(HTTP 500, no text) | `POST /taxes.json` with `value` as a JSON number (a
    string works) | live (diogopms)"."""
    body = {"tax": {"name": "IVA23", "value": value, "region": "PT"}}
    message = "Value must be sent as a string (the API fails on a JSON number)"
    assert errors(body, "taxes.create") == [
        (message, "/tax/value", "tax.value.string", "error", 500)
    ]
    report = ixrules.validate(body, "taxes.create")
    assert report.status == 500 and report.messages == [message]
    assert (
        errors({"tax": {"name": "IVA23", "value": str(value), "region": "PT"}}, "taxes.create")
        == []
    )


def test_a_500_decides_the_status_before_a_422() -> None:
    body = {"tax": {"name": "IVA23", "value": 23, "region": "PT-AZ"}}
    report = ixrules.validate(body, "taxes.create")
    assert [i.status for i in report.errors] == [500, 422] and report.status == 500


# --- global discount ----------------------------------------------------------------------


@pytest.mark.parametrize("value_type", ["amount", "Percentage", "fixed", 1])
def test_a_global_discount_type_other_than_percentage_or_absolute(value_type: Any) -> None:
    """observed.md §1: "(refused, text not recorded) | `global_discount.value_type` other than
    `percentage` or `absolute` (e.g. `amount`) | code (SuesteCreative)"."""
    body = changed(INVOICE, "/invoice/global_discount", {"value_type": value_type, "value": "10"})
    assert errors(body, "invoices.create") == [
        (
            "Value type is not included in the list",
            "/invoice/global_discount/value_type",
            "document.global_discount.value_type",
            "error",
            422,
        )
    ]
    for good in ("percentage", "absolute"):
        fixed = changed(body, "/invoice/global_discount/value_type", good)
        assert errors(fixed, "invoices.create") == []


# --- fields the OpenAPI description marks required ------------------------------------------

ACCOUNT = load_example("openapi-account-create.json")


@pytest.mark.parametrize("endpoint", ["accounts.create", "accounts.create_already_user"])
@pytest.mark.parametrize(
    ("field", "message"),
    [
        ("organization_name", "Organization name can't be blank"),
        ("email", "Email can't be blank"),
        ("password", "Password can't be blank"),
    ],
)
@pytest.mark.parametrize("absent", [DELETE, None, "", " "])
def test_a_new_account_needs_what_the_openapi_requires(
    endpoint: str, field: str, message: str, absent: Any
) -> None:
    """The OpenAPI AccountCreateRequest: `required: [organization_name, email, password,
    terms]`; Rails' presence wording (inferred)."""
    body = changed(ACCOUNT, f"/account/{field}", absent)
    assert errors(body, endpoint) == [
        (message, f"/account/{field}", f"account.{field}.blank", "error", 422)
    ]
    assert errors(ACCOUNT, endpoint) == []


def test_an_account_update_needs_none_of_them() -> None:
    body = {"account": {"organization_name": "Acme"}}
    assert errors(body, "accounts.update") == []


@pytest.mark.parametrize("absent", [DELETE, None, "", "  "])
def test_a_sequence_needs_its_serie(absent: Any) -> None:
    """The OpenAPI SequenceCreateRequest requires `serie`."""
    body = changed(load_example("docs-v2-sequence-create.json"), "/sequence/serie", absent)
    assert errors(body, "sequences.create") == [
        ("Serie can't be blank", "/sequence/serie", "sequence.serie.blank", "error", 422)
    ]


@pytest.mark.parametrize("absent", [DELETE, None, "", "  "])
def test_a_tax_needs_its_name(absent: Any) -> None:
    """The OpenAPI TaxesCreateRequest requires `name`."""
    body = changed(load_example("docs-v2-tax-create.json"), "/tax/name", absent)
    assert errors(body, "taxes.create") == [
        ("Name can't be blank", "/tax/name", "tax.name.blank", "error", 422)
    ]
    if absent is DELETE or absent is None:
        assert errors(body, "taxes.update") == []


# --- translations of recorded Portuguese ----------------------------------------------------


def test_the_recorded_portuguese_of_the_due_date() -> None:
    """observed.md §1: "Vencimento deve ser igual ou posterior à data do documento | the
    Portuguese text of "Due date must be later than date" | proxy (SuesteCreative finalize
    adapter)"."""
    body = changed(INVOICE, "/invoice/due_date", "30/11/2017")
    assert [i[0] for i in issues(body, "invoices.create", locale="pt")] == [
        "Vencimento deve ser igual ou posterior à data do documento"
    ]


def test_explain_says_where_the_message_comes_from_and_a_predicted_500() -> None:
    from ixrules.cli.info import explain_text

    text = explain_text(default_rules(), "tax.value.string")
    assert "Severity: error\nPredicts: HTTP 500\n" in text
    assert "Message from: the backend's Rails conventions" in text
    nif = explain_text(default_rules(), "client.fiscal_id.nif")
    assert "Message from: a recorded or documented API response" in nif
    assert "Predicts" not in nif


@pytest.mark.parametrize("number", [["123456780"], {"nif": "1"}, True, 1.5])
def test_a_fiscal_id_that_is_no_text_is_left_to_its_kind(number: Any) -> None:
    body = changed(INVOICE, "/invoice/client/fiscal_id", number)
    assert [i for i in errors(body, "invoices.create") if i[2].startswith("client.fiscal")] == []


@pytest.mark.parametrize("digits", [65, 5001, 70_000])
def test_a_fiscal_id_of_thousands_of_digits_is_no_nif(digits: int) -> None:
    body = changed(INVOICE, "/invoice/client/fiscal_id", 10 ** (digits - 1))
    assert errors(body, "invoices.create") == [CLIENT_INVALID, FISCAL]
