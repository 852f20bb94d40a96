"""Messages in Portuguese and Spanish: every rule message (enumerated when the tests run, so a
new rule without a translation fails here) has one in each catalog, the compiled catalogs are
those of the .po files, and English stays byte for byte the rules' own messages."""

from __future__ import annotations

import io
import re
import string
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po
from support.bodies import FIXTURES, triples

import ixrules
from ixrules.api import default_rules
from ixrules.messages import compiled_catalog, language_of, languages, translate

TOP = Path(__file__).resolve().parent.parent
LOCALE = TOP / "ixrules" / "locale"
LANGUAGES = ("pt", "es")
RULES = default_rules().ruleset.rules
#: Every message some rule produces, English templates with {value}.
MESSAGES = sorted({rule.message for rule in RULES.values()})
#: Locale names that mean English: no catalog, so the rules' own messages.
ENGLISH = (None, "", "en", "en_GB", "en-US", "fr_FR", "zz", "  ", "1")


def po(language: str) -> Catalog:
    with (LOCALE / language / "LC_MESSAGES" / "ixrules.po").open("rb") as handle:
        return read_po(handle, locale=language)


def mo(language: str) -> Catalog:
    with (LOCALE / language / "LC_MESSAGES" / "ixrules.mo").open("rb") as handle:
        return read_mo(handle)


def translations(catalog: Catalog) -> dict[str, str]:
    """The catalog's usable translations: msgid -> msgstr, headers and fuzzy entries left out."""
    return {
        str(message.id): str(message.string)
        for message in catalog
        if message.id and message.string and not message.fuzzy
    }


PO = {language: translations(po(language)) for language in LANGUAGES}


def seed_templates() -> list[str]:
    """The distinct messages of the API's error-code page, with {value} where it interpolates."""
    text = (FIXTURES / "error-codes.txt").read_text(encoding="utf-8")
    seed = [line.strip()[2:] for line in text.splitlines() if line.strip().startswith("• ")]
    return sorted(
        {
            message.replace("Country Germani ", "Country {value} ").replace(
                "Unit kg ", "Unit {value} "
            )
            for message in seed
        }
    )


# --- every message is translated -------------------------------------------------------------


def test_the_catalogs_are_portuguese_and_spanish() -> None:
    assert languages() == frozenset(LANGUAGES)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("message", MESSAGES)
def test_every_rule_message_has_a_translation(language: str, message: str) -> None:
    assert message in PO[language], (
        f"no {language} translation of {message!r}: add it to "
        f"ixrules/locale/{language}/LC_MESSAGES/ixrules.po (see docs/forms.md, Translations)"
    )
    assert translate(message, language) == PO[language][message], "recompile the .mo files"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_of_the_error_code_page_is_translated_already(language: str) -> None:
    templates = seed_templates()
    assert len(templates) == 41
    assert [message for message in templates if message not in PO[language]] == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_exactly_the_placeholders_of_the_message(language: str) -> None:
    for message, translated in PO[language].items():
        fields = [name for _, name, _, _ in string.Formatter().parse(message) if name is not None]
        assert [
            name for _, name, _, _ in string.Formatter().parse(translated) if name is not None
        ] == fields, message
        assert translated.format(value="x")  # formats with {value} alone
        assert translated == translated.strip() and translated != message, message


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_compiled_catalogs_are_those_of_the_po_files(language: str) -> None:
    assert translations(mo(language)) == PO[language], (
        "recompile: pybabel compile -D ixrules -d ixrules/locale"
    )
    compiled = io.BytesIO()
    write_mo(compiled, po(language))
    compiled.seek(0)
    assert translations(read_mo(compiled)) == PO[language]


def extracted() -> set[str]:
    """What Babel extracts with the project's mapping (tools/babel.cfg)."""
    with (TOP / "tools" / "babel.cfg").open(encoding="utf-8") as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    return {message for _, _, message, _, _ in extract_from_dir(TOP, method_map, options_map)}


def test_babel_extracts_every_rule_message_and_each_is_translated() -> None:
    found = extracted()
    assert set(MESSAGES) <= found
    for language in LANGUAGES:
        assert sorted(found - set(PO[language])) == [], f"run pybabel update for {language}"


# --- the locale decides the language, English is unchanged -----------------------------------


def examples() -> list[tuple[str, dict[str, Any]]]:
    return [(rule_id, dict(rule.example or {})) for rule_id, rule in sorted(RULES.items())]


def run(example: dict[str, Any], locale: str | None) -> ixrules.Report:
    return ixrules.validate(
        example["body"], example.get("endpoint"), context=example.get("context"), locale=locale
    )


def template(message: str) -> re.Pattern[str]:
    parts = [re.escape(part) for part in message.split("{value}")]
    return re.compile("(.*)".join(parts), re.DOTALL)


@pytest.mark.parametrize(("rule_id", "example"), examples(), ids=[i for i, _ in examples()])
def test_english_is_byte_for_byte_the_rules_messages(rule_id: str, example: dict[str, Any]) -> None:
    report = run(example, None)
    for issue in report.errors:
        assert template(RULES[issue.rule].message).fullmatch(issue.message), issue
    for locale in ENGLISH:
        assert triples(run(example, locale)) == triples(report), locale
        assert run(example, locale).to_api() == report.to_api()


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(("rule_id", "example"), examples(), ids=[i for i, _ in examples()])
def test_translated_reports_differ_only_in_the_words(
    language: str, rule_id: str, example: dict[str, Any]
) -> None:
    english = run(example, None)
    translated = run(example, language)
    assert [(i.path, i.rule, i.status) for i in translated.errors] == [
        (i.path, i.rule, i.status) for i in english.errors
    ]
    assert translated.skipped == english.skipped and translated.status == english.status
    for before, after in zip(english.errors, translated.errors, strict=True):
        source = RULES[before.rule].message
        value = template(source).fullmatch(before.message)
        assert value is not None
        assert after.message == PO[language][source].format(value=(value.groups() or ("",))[0])


def test_the_apis_own_portuguese() -> None:
    body = {"invoice": {"client": {"code": "A1"}, "items": [{"name": "Pen", "unit_price": 1}]}}
    report = ixrules.validate(body, "invoices.create", locale="pt")
    assert triples(report) == [
        ("Cliente não é válido", "/invoice/client", "document.client.invalid"),
        ("Nome é um campo obrigatório", "/invoice/client/name", "document.client.name.required"),
        ("Itens da fatura não são válidos", "/invoice/items", "document.items.invalid"),
        (
            "Quantidade tem de ser um número maior que 0",
            "/invoice/items/0/quantity",
            "item.quantity.positive",
        ),
    ]
    assert report.to_api() == {"errors": [{"error": message} for message in report.messages]}
    assert translate("Name has already been taken", "pt") == "Nome não está disponível."


def test_values_are_written_into_the_translated_message() -> None:
    body = {
        "invoice": {"client": {"name": "Acme", "country": "Germani"}, "items": [{"unit": "kg"}]}
    }
    assert ixrules.validate(body, "invoices.update", locale="es-ES").messages == [
        "Cliente no es válido",
        "País Germani no se ha encontrado",
        "Artículos de la factura no son válidos",
        "Unidad kg no está incluida en la lista de unidades aceptadas",
    ]
    # an empty value is written as nothing (two spaces), as the API words it at /items
    assert ixrules.validate({"item": {"unit": ""}}, "items.update", locale="es").messages == [
        "Unidad  no está incluida en la lista de unidades aceptadas"
    ]
    assert ixrules.validate(body, "invoices.update", locale="pt_PT").messages[1] == (
        "País Germani não foi encontrado"
    )


@pytest.mark.parametrize(
    ("locale", "language"),
    [
        ("pt", "pt"),
        ("pt_PT", "pt"),
        ("pt-PT", "pt"),
        ("pt-pt", "pt"),
        ("PT", "pt"),
        ("pt_BR", "pt"),
        ("pt_PT.UTF-8", "pt"),
        (" pt ", "pt"),
        ("es", "es"),
        ("es_ES", "es"),
        ("es-419", "es"),
        ("ES", "es"),
        *((locale, None) for locale in ENGLISH),
        ("portuguese", None),
        ("p", None),
    ],
)
def test_locale_names(locale: str | None, language: str | None) -> None:
    assert language_of(locale) == language
    expected = {"pt": "Nome é um campo obrigatório", "es": "Nombre es un campo obligatorio"}
    message = "Name is a required field"
    assert translate(message, locale) == expected.get(language or "", message)


def test_rules_validate_takes_the_locale_too() -> None:
    body = {"quote": {"items": [{"unit": "kg"}]}}
    assert default_rules().validate(body, "quotes.update", locale="es").messages == [
        "Artículos de la factura no son válidos",
        "Unidad kg no está incluida en la lista de unidades aceptadas",
    ]


# --- light, thread-safe, shipped -------------------------------------------------------------


def test_babel_is_not_imported_to_validate_in_any_language() -> None:
    script = (
        "import sys, ixrules\n"
        "body = {'invoice': {'items': [{'unit': 'kg'}]}}\n"
        "assert ixrules.validate(body, 'invoices.update', locale='pt').messages[0] == "
        "'Itens da fatura não são válidos'\n"
        "print(sorted(name for name in sys.modules if name.split('.')[0] == 'babel'))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], check=True, capture_output=True, text=True, cwd=TOP
    )
    assert out.stdout.strip() == "[]"


def test_many_threads_in_many_languages_get_each_their_own() -> None:
    body = {"invoice": {"client": {"name": "Acme", "email": "x"}, "items": [{"unit": "kg"}]}}
    locales = ["pt", "es", None, "pt_PT", "en", "es_ES"] * 20
    expected = {
        locale: ixrules.validate(body, "invoices.update", locale=locale).messages
        for locale in set(locales)
    }

    def messages(locale: str | None) -> list[str]:
        return ixrules.validate(body, "invoices.update", locale=locale).messages

    compiled_catalog.cache_clear()  # the threads race to load the catalogs
    languages.cache_clear()
    with ThreadPoolExecutor(max_workers=8) as pool:
        got = list(pool.map(messages, locales))
    assert got == [expected[locale] for locale in locales]


def test_the_wheel_ships_the_compiled_catalogs() -> None:
    from hatchling.builders.wheel import WheelBuilder

    shipped = {f.distribution_path for f in WheelBuilder(str(TOP)).recurse_included_files()}
    for language in LANGUAGES:
        assert f"ixrules/locale/{language}/LC_MESSAGES/ixrules.mo" in shipped
