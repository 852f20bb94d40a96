"""/api/accounts: every account message, with its path and rule id, and a nearby valid body."""

from __future__ import annotations

from typing import Any

import pytest
from support.bodies import DELETE, changed, load_example
from support.documents import validate

import ixrules

CREATE = load_example("openapi-account-create.json")
UPDATE = load_example("openapi-account-update.json")
CREATES = ["accounts.create", "accounts.create_already_user"]
ALL = [*CREATES, "accounts.update"]


def body_for(endpoint: str) -> Any:
    return UPDATE if endpoint == "accounts.update" else CREATE


@pytest.mark.parametrize("endpoint", ALL)
def test_an_email_must_be_valid(endpoint: str) -> None:
    body = body_for(endpoint)
    assert validate(endpoint, changed(body, "/account/email", "john.doe@")) == [
        ("Email is invalid", "/account/email", "account.email.valid")
    ]
    assert validate(endpoint, changed(body, "/account/email", "john@doe.pt")) == []


@pytest.mark.parametrize("endpoint", CREATES)
@pytest.mark.parametrize("terms", ["0", 0, "no", "yes"])
def test_a_new_account_accepts_the_terms(endpoint: str, terms: Any) -> None:
    assert validate(endpoint, changed(CREATE, "/account/terms", terms)) == [
        ("Terms and Conditions must be accepted", "/account/terms", "account.terms.accepted")
    ]


@pytest.mark.parametrize("endpoint", CREATES)
@pytest.mark.parametrize("terms", ["1", 1, True, None, False, DELETE])
def test_accepted_or_unsent_terms_pass(endpoint: str, terms: Any) -> None:
    assert validate(endpoint, changed(CREATE, "/account/terms", terms)) == []


def test_the_terms_are_not_judged_on_update() -> None:
    assert validate("accounts.update", changed(UPDATE, "/account/terms", "0")) == []


@pytest.mark.parametrize("country", ["Portugal", "PT", "pt"])
@pytest.mark.parametrize("code", ["1500555", "1500-55", "15005-555", "ABCD-EFG"])
def test_a_portuguese_postal_code_is_dddd_ddd(country: str, code: str) -> None:
    context = {"account": {"country": country}}
    assert validate("accounts.update", changed(UPDATE, "/account/postal_code", code), context) == [
        (
            "Postal Code must have the following format DDDD-DDD",
            "/account/postal_code",
            "account.postal_code.format",
        )
    ]
    good = changed(UPDATE, "/account/postal_code", "1500-555")
    assert validate("accounts.update", good, context) == []


def test_other_postal_codes_are_not_judged() -> None:
    body = changed(UPDATE, "/account/postal_code", "D02 X285")
    assert validate("accounts.update", body, {"account": {"country": "Ireland"}}) == []
    report = ixrules.validate(body, "accounts.update")
    assert report.ok and "account.postal_code.format" in report.skipped
    assert "account.postal_code.format" not in ixrules.validate(UPDATE, "accounts.update").skipped


def test_the_vat_number_cannot_be_changed() -> None:
    changed_id = {"account": {"fiscal_id": "999999990"}}
    assert validate("accounts.update", UPDATE, changed_id) == [
        ("Vat Number can't be changed", "/account/fiscal_id", "account.fiscal_id.unchanged")
    ]
    for same in ("500100200", " 500 100 200 "):
        assert validate("accounts.update", UPDATE, {"account": {"fiscal_id": same}}) == []
    # an account without a VAT number may set one; creating is not changing
    assert validate("accounts.update", UPDATE, {"account": {"fiscal_id": ""}}) == []
    assert validate("accounts.create", CREATE, changed_id) == []


@pytest.mark.parametrize("endpoint", ALL)
def test_a_vat_number_used_by_another_account(endpoint: str) -> None:
    body = body_for(endpoint)
    assert validate(endpoint, body, {"fiscal_ids_in_use": ["500100200"]}) == [
        (
            "Vat Number is already used in another account",
            "/account/fiscal_id",
            "account.fiscal_id.unique",
        )
    ]
    assert validate(endpoint, body, {"fiscal_ids_in_use": ["500100201"]}) == []
    assert "account.fiscal_id.unique" in ixrules.validate(body, endpoint).skipped


def test_the_endpoints_and_their_statuses() -> None:
    assert ixrules.validate(CREATE).endpoint == "accounts.create"
    assert ixrules.validate(CREATE).status == 201
    assert ixrules.validate(CREATE, "accounts.create_already_user").status == 200
    assert ixrules.validate(UPDATE, "accounts.update").status == 200
