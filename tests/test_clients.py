"""/clients: every client message, with its path and rule id, and a nearby valid body."""

from __future__ import annotations

from typing import Any

import pytest
from support.bodies import DELETE, changed, load_example
from support.documents import validate

import ixrules

ENDPOINTS = ["clients.create", "clients.update"]
BODY = load_example("docs-v2-client-create.json")
CONTACT_INVALID = (
    "Client contact is invalid",
    "/client/preferred_contact",
    "client.contact.invalid",
)


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_a_full_client_passes(endpoint: str) -> None:
    assert validate(endpoint, BODY) == []


@pytest.mark.parametrize(
    ("pointer", "bad", "good", "expected"),
    [
        (
            "/client/country",
            "Germani",
            "Germany",
            [("Country Germani was not found", "/client/country", "country.known")],
        ),
        (
            "/client/email",
            "foo.bar.com",
            "",
            [("Email must be an email address", "/client/email", "client.email.valid")],
        ),
        (
            "/client/preferred_contact/email",
            "email@",
            "email@example.com",
            [
                CONTACT_INVALID,
                (
                    "Preferred contact: email must be an email",
                    "/client/preferred_contact/email",
                    "client.contact.email.valid",
                ),
            ],
        ),
        (
            "/client/preferred_contact",
            "Bruce",
            {"name": "Bruce", "mobile": None},
            [("Client contact is invalid", "/client/preferred_contact", "client.contact.object")],
        ),
        (
            "/client/send_options",
            "one",
            1,
            [
                (
                    "Send options is not a number",
                    "/client/send_options",
                    "client.send_options.number",
                )
            ],
        ),
        (
            "/client/send_options",
            "0",
            "3",
            [
                (
                    "Send options must be within 1 and 3",
                    "/client/send_options",
                    "client.send_options.range",
                )
            ],
        ),
        (
            "/client/send_options",
            4,
            "",
            [
                (
                    "Send options must be within 1 and 3",
                    "/client/send_options",
                    "client.send_options.range",
                )
            ],
        ),
        (
            "/client/name",
            "  ",
            "Bruce Norris",
            [("Name is a required field", "/client/name", "client.name.present")],
        ),
    ],
)
@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_each_message(
    endpoint: str, pointer: str, bad: Any, good: Any, expected: list[tuple[str, str, str]]
) -> None:
    assert validate(endpoint, changed(BODY, pointer, bad)) == expected
    assert validate(endpoint, changed(BODY, pointer, good)) == []


def test_a_new_client_needs_a_name_but_an_update_does_not() -> None:
    body = changed(BODY, "/client/name", DELETE)
    assert validate("clients.create", body) == [
        ("Name is a required field", "/client/name", "client.name.present")
    ]
    assert validate("clients.create", {"client": {}}) == [
        ("Name is a required field", "/client/name", "client.name.present")
    ]
    assert validate("clients.update", body) == []
    assert validate("clients.update", {"client": {"name": None, "email": False}}) == []


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_a_taken_name_needs_the_existing_names(endpoint: str) -> None:
    taken = {"existing": {"clients": ["Other", "client name "]}}
    assert validate(endpoint, BODY, taken) == [
        ("Name has already been taken", "/client/name", "client.name.taken")
    ]
    assert validate(endpoint, BODY, {"existing": {"clients": ["Client Name 2"]}}) == []
    report = ixrules.validate(BODY, endpoint)
    assert report.ok and report.skipped == ["client.name.taken"]


def test_the_endpoint_is_inferred_and_the_status_is_201() -> None:
    report = ixrules.validate(BODY)
    assert report.endpoint == "clients.create" and report.status == 201
    assert ixrules.validate(BODY, "clients.update").status == 200
