"""ixrules.fiscal: the NIF and EU VAT checks the rules use, through their public names."""

from __future__ import annotations

from typing import Any

import pytest

from ixrules.fiscal import is_valid_pt_nif, vat_country


@pytest.mark.parametrize(
    "value",
    ["999999990", "PT999999990", "pt 999 999 990", " 123456789 ", "PT\t123456789", 501442600],
)
def test_a_portuguese_nif_with_a_right_check_digit_is_valid(value: Any) -> None:
    assert is_valid_pt_nif(value) is True


@pytest.mark.parametrize(
    "value",
    [
        "999999991",
        "12345678",
        "1234567890",
        "FR40303265045",
        "ES999999990",
        "",
        "   ",
        "PT",
        None,
        True,
        9.9,
        ["999999990"],
        "9" * 10_000,
    ],
)
def test_anything_else_is_not_a_nif(value: Any) -> None:
    assert is_valid_pt_nif(value) is False


@pytest.mark.parametrize(
    ("value", "country"),
    [
        ("FR40303265045", "FR"),
        ("fr 40 303 265 045", "FR"),
        ("DE136695976", "DE"),
        ("ESB58378431", "ES"),
        ("EL094259216", "GR"),
        ("ATU13585627", "AT"),
        ("PT999999990", "PT"),
    ],
)
def test_a_valid_eu_vat_number_names_its_country(value: str, country: str) -> None:
    assert vat_country(value) == country


@pytest.mark.parametrize(
    "value",
    ["FR00000000000", "DE136695977", "999999990", "US123456789", "XX1234", "", None, 42, "F"],
)
def test_an_invalid_or_unprefixed_number_has_no_country(value: Any) -> None:
    assert vat_country(value) is None
