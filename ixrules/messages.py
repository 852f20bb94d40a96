"""Message templates: the API's wording with ``{value}`` where it writes the sent value, in
English (the rule's own message, byte for byte) or translated from the gettext catalogs under
``ixrules/locale/`` (Portuguese and Spanish, in the API's own words where they are known).

The catalogs are compiled ``.mo`` files read with the standard library's :mod:`gettext`, each
once per process on first use and never changed afterwards, so rendering is thread-safe and
English rendering touches no catalog at all.
"""

from __future__ import annotations

from functools import cache, lru_cache

from .lazypattern import LazyPattern
from .values import display

TYPE_CHECKING = False  # not typing's: importing typing is a cost of every start
if TYPE_CHECKING:
    from typing import Any

if TYPE_CHECKING:
    import gettext

    from .model import Rule

#: The gettext domain of the catalogs: ``ixrules/locale/<language>/LC_MESSAGES/ixrules.mo``.
DOMAIN = "ixrules"

_LANGUAGE = LazyPattern(r"[A-Za-z]{2,3}(?=$|[-_.@])")


def render(rule: Rule, value: Any, locale: str | None = None) -> str:
    """The rule's message with ``{value}`` filled in as the API writes it, in ``locale``'s
    language when there is a catalog for it (English otherwise).

    >>> from ixrules.model import Rule
    >>> rule = Rule("item.unit.accepted",
    ...             "Unit {value} is not included in the list of accepted units")
    >>> render(rule, "kg")
    'Unit kg is not included in the list of accepted units'
    >>> render(rule, "kg", "pt_PT")
    'Unidade kg não está incluída na lista de unidades aceites'
    """
    template = rule.translations.get(_language(locale) or "") if rule.translations else None
    if template is None:
        template = translate(rule.message, locale)
    if "{" not in template:
        return template
    return template.format(value=display(value))


def translate(message: str, locale: str | None) -> str:
    """``message`` (an English template) in ``locale``'s language, or itself when the locale is
    None, English, unknown or the catalog has no translation for it.

    >>> translate("Name is a required field", "pt-PT"), translate("Name is a required field", "es")
    ('Nome é um campo obrigatório', 'Nombre es un campo obligatorio')
    >>> translate("Name is a required field", "fr"), translate("Not a rule message", "pt")
    ('Name is a required field', 'Not a rule message')
    """
    language = language_of(locale)
    if language is None or not message:
        return message
    catalog = compiled_catalog(language)
    return message if catalog is None else catalog.gettext(message)


def _language(locale: str | None) -> str | None:
    """The language part of any locale name, whether or not ixrules has a catalog for it."""
    match = _LANGUAGE.match(locale.strip()) if locale else None
    return match.group().lower() if match is not None else None


def language_of(locale: str | None) -> str | None:
    """The language part of a locale name (``pt_PT``, ``pt-PT``, ``pt``, ``es_ES.UTF-8``) when a
    catalog exists for it, else None (meaning English).

    >>> language_of("pt_PT"), language_of("es-419"), language_of("PT"), language_of("en_GB")
    ('pt', 'es', 'pt', None)
    """
    if not locale:
        return None
    match = _LANGUAGE.match(locale.strip())
    if match is None:
        return None
    language = match.group().lower()
    return language if language in languages() else None


@lru_cache(maxsize=1)
def languages() -> frozenset[str]:
    """The languages that have a compiled catalog (English, the rules' own, is not among them).

    >>> sorted(languages())
    ['es', 'pt']
    """
    from importlib import resources  # only for a translated call: English needs no catalog

    root = resources.files("ixrules") / "locale"
    if not root.is_dir():
        return frozenset()
    return frozenset(
        entry.name for entry in root.iterdir() if (entry / "LC_MESSAGES" / f"{DOMAIN}.mo").is_file()
    )


@cache
def compiled_catalog(language: str) -> gettext.GNUTranslations | None:
    """The compiled catalog of ``language`` (``"pt"``, ``"es"``), read once per process; None
    when ixrules has none."""
    if language not in languages():
        return None
    import gettext
    from importlib import resources

    source = resources.files("ixrules") / "locale" / language / "LC_MESSAGES" / f"{DOMAIN}.mo"
    with source.open("rb") as handle:
        return gettext.GNUTranslations(handle)
