"""/items: every item message, with its path and rule id, and a nearby valid body."""

from __future__ import annotations

from typing import Any

import pytest
from support.bodies import DELETE, changed, load_example
from support.documents import validate

import ixrules

ENDPOINTS = ["items.create", "items.update"]
BODY = load_example("docs-v2-item-create.json")


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_a_full_item_passes(endpoint: str) -> None:
    assert validate(endpoint, BODY) == []


@pytest.mark.parametrize(
    ("pointer", "bad", "good", "expected"),
    [
        (
            "/item/unit_price",
            "",
            "0",
            [
                ("Unit price can't be blank", "/item/unit_price", "item.unit_price.blank"),
                ("Unit price is not a number", "/item/unit_price", "item.unit_price.not_a_number"),
            ],
        ),
        (
            "/item/unit_price",
            "9,99",
            "9.99",
            [("Unit price is not a number", "/item/unit_price", "item.unit_price.not_a_number")],
        ),
        (
            "/item/unit",
            "kg",
            "hour",
            [
                (
                    "Unit kg is not included in the list of accepted units",
                    "/item/unit",
                    "item.unit.accepted",
                )
            ],
        ),
        (
            "/item/unit",
            "",
            "Month",
            [
                (
                    "Unit  is not included in the list of accepted units",
                    "/item/unit",
                    "item.unit.accepted",
                )
            ],
        ),
        (
            "/item/name",
            "",
            "Item",
            [("Name is a required field", "/item/name", "item.name.present")],
        ),
    ],
)
@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_each_message(
    endpoint: str, pointer: str, bad: Any, good: Any, expected: list[tuple[str, str, str]]
) -> None:
    assert validate(endpoint, changed(BODY, pointer, bad)) == expected
    assert validate(endpoint, changed(BODY, pointer, good)) == []


def test_a_new_item_needs_a_name_and_a_price() -> None:
    assert validate("items.create", {"item": {"description": "Pen"}}) == [
        ("Name is a required field", "/item/name", "item.name.present"),
        ("Unit price can't be blank", "/item/unit_price", "item.unit_price.blank"),
    ]
    assert validate("items.update", changed(BODY, "/item/unit_price", DELETE)) == []


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_a_taken_name_needs_the_existing_names(endpoint: str) -> None:
    assert validate(endpoint, BODY, {"existing": {"items": ["ITEM NAME"]}}) == [
        ("Name has already been taken", "/item/name", "item.name.taken")
    ]
    assert validate(endpoint, BODY, {"existing": {"items": ["Item"]}}) == []
    assert ixrules.validate(BODY, endpoint).skipped == ["item.name.taken"]
