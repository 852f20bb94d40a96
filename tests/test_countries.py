"""ixrules.countries: ISO codes and names in any language to the API's own country names."""

from __future__ import annotations

from typing import Any

import pycountry
import pytest
from babel import Locale

import ixrules
from ixrules.countries import from_api, iso_code, no_api_name, to_api
from ixrules.data.countries import COUNTRY_NAMES, ISO_TO_COUNTRY

#: observed.md §3: ISO codes the API has no country name for.
NO_API_NAME = {
    "AX", "AQ", "BL", "BQ", "BV", "GS", "MF", "PM", "SS", "SX", "TF", "TK", "TO", "UM", "VI", "XK",
}  # fmt: skip
NOT_API = "is not one of the API's country names (see ixrules.countries.to_api)"
CODES = sorted(country.alpha_2 for country in pycountry.countries)


def expected(code: str) -> str | None:
    if code in NO_API_NAME:
        return None
    return "UK" if code == "GB" else ISO_TO_COUNTRY[code]


@pytest.mark.parametrize("code", CODES)
def test_every_iso_code_gets_the_api_name_or_none(code: str) -> None:
    alpha_3 = pycountry.countries.get(alpha_2=code).alpha_3
    assert to_api(code) == to_api(code.lower()) == to_api(alpha_3) == expected(code)


def test_the_codes_without_an_api_name_are_the_observed_ones() -> None:
    assert no_api_name() == NO_API_NAME
    assert to_api("XK") is None and to_api("Kosovo") is None and iso_code("Kosovo") == "XK"


@pytest.mark.parametrize("locale", ["en", "pt", "pt_PT", "es", "fr", "de"])
def test_every_cldr_name_of_the_main_languages_gets_the_api_name(locale: str) -> None:
    territories = Locale.parse(locale).territories
    wrong = {
        code: to_api(territories[code])
        for code in CODES
        if to_api(territories[code]) != expected(code)
    }
    assert wrong == {}
    assert {code: to_api(territories[code], locale=locale) for code in wrong} == {}


@pytest.mark.parametrize(
    ("value", "name"),
    [
        ("Alemanha", "Germany"),
        ("Deutschland", "Germany"),
        ("Allemagne", "Germany"),
        ("ALEMANIA", "Germany"),
        ("Germany", "Germany"),
        ("  germany ", "Germany"),
        ("United Kingdom", "UK"),
        ("Reino Unido", "UK"),
        ("Great Britain", "Great Britain"),
        ("Macao", "Macau"),
        ("Macao SAR China", "Macau"),
        ("Czechia", "Czech Republic"),
        ("Chéquia", "Czech Republic"),
        ("Espanha", "Spain"),
        ("Estados Unidos", "United States"),
        ("cote d'ivoire", "Côte d\u2019Ivoire"),
        ("Costa do Marfim", "Côte d\u2019Ivoire"),
        ("Ivory Coast", "Ivory Coast"),
        ("Burma", "Burma"),
        ("Германия", "Germany"),
        ("ドイツ", "Germany"),
    ],
)
def test_names_in_any_language(value: str, name: str) -> None:
    assert to_api(value) == name


def test_the_swapped_and_mistaken_codes_of_hand_written_maps() -> None:
    # FK/FO and NA/NR swapped in one integration, TO sent as Togo in another (observed.md §3).
    assert (to_api("FK"), to_api("FO")) == ("Falkland Islands", "Faeroe Islands (Føroyar)")
    assert (to_api("NA"), to_api("NR")) == ("Namibia", "Nauru")
    assert (to_api("TO"), to_api("TG")) == (None, "Togo")
    assert (to_api("Falkland Islands"), to_api("Faroe Islands")) == (
        "Falkland Islands",
        "Faeroe Islands (Føroyar)",
    )
    assert (to_api("Namibia"), to_api("Nauru")) == ("Namibia", "Nauru")
    assert (to_api("Tonga"), to_api("Togo")) == (None, "Togo")


@pytest.mark.parametrize(
    "value", ["", "   ", "Narnia", "ZZ", "EU", "World", "x" * 10_000, None, 42]
)
def test_what_names_no_country_is_none(value: Any) -> None:
    assert to_api(value) is None and iso_code(value) is None


@pytest.mark.parametrize("name", [n for n in COUNTRY_NAMES if n != "International Monetary Fund"])
def test_every_api_name_has_an_iso_code(name: str) -> None:
    code = from_api(name)
    assert len(code) == 2 and code.isupper()
    assert from_api(name.upper()) == code


@pytest.mark.parametrize(
    ("name", "code"),
    [("Germany", "DE"), ("UK", "GB"), ("Great Britain", "GB"), ("Burma", "MM"),
     ("East Timor", "TL"), ("Zaïre", "CD"), ("Upper Volta", "BF"), ("Netherlands Antilles", "AN"),
     ("Faeroe Islands (Føroyar)", "FO"), ("Samoa (Western)", "WS"), ("Western Samoa", "WS")],
)  # fmt: skip
def test_from_api(name: str, code: str) -> None:
    assert from_api(name) == code


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("Deutschland", f"'Deutschland' {NOT_API}"),
        ("DE", f"'DE' {NOT_API}"),
        (None, f"None {NOT_API}"),
        ("International Monetary Fund",
         "'International Monetary Fund' is one of the API's names but no territory's"),
    ],
)  # fmt: skip
def test_from_api_refuses_what_is_no_api_territory(name: Any, message: str) -> None:
    with pytest.raises(ValueError) as caught:
        from_api(name)
    assert str(caught.value) == message


def test_a_locale_is_tried_first() -> None:
    assert to_api("Alemanha", locale="pt_PT") == "Germany"
    assert to_api("Vietname", locale="pt-PT") == "Vietnam"
    assert to_api("Germany", locale="xx-nonsense") == "Germany"


def test_the_country_check_hints_with_it() -> None:
    body = {"client": {"name": "Acme", "country": "Alemanha"}}
    report = ixrules.validate(body, "clients.create")
    assert [(i.message, i.path, i.rule, i.hint) for i in report.errors] == [
        ("Country Alemanha was not found", "/client/country", "country.known",
         "did you mean 'Germany'?"),
    ]  # fmt: skip
    body = {"client": {"name": "Acme", "country": "Tonga"}}
    report = ixrules.validate(body, "clients.create")
    assert [i.hint for i in report.errors] == ["the API has no country name for TO"]


def test_reading_every_language_leaves_babel_as_it_was() -> None:
    from babel import Locale
    from babel.numbers import format_decimal

    assert iso_code("Saksamaa") == "DE"  # an Estonian name: reads every locale Babel has
    assert format_decimal(1234.5, locale=Locale.parse("pt_PT")) == "1\u00a0234,5"
    assert Locale.parse("de_CH").territories["DE"] == "Deutschland"
