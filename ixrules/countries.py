"""Countries as the API spells them, from whatever an app has: an ISO code, or a name in any
language Babel knows.

The API takes a client's ``country`` only in its own English spelling ("Germany", "UK",
"Macau", "Czech Republic"); apps hold ISO codes, CLDR names ("Macao SAR China", "Czechia") or
names in their users' language ("Alemanha", "Deutschland", "Allemagne"). :func:`to_api` turns
any of these into the API's name, and :func:`from_api` turns the API's name back into a code.

The names come from the data, not from tables written here: the API's list and its ISO map
(:mod:`ixrules.data.countries`), pycountry's ISO 3166 names and withdrawn codes, and the CLDR
territory names of every language Babel has. Each index is built on first use, once per
process, and never changed afterwards (safe to share between threads).

>>> to_api("DE"), to_api("deu"), to_api("Alemanha"), to_api("Allemagne"), to_api("Deutschland")
('Germany', 'Germany', 'Germany', 'Germany', 'Germany')
>>> to_api("United Kingdom"), to_api("Macao SAR China"), to_api("Czechia"), to_api("Reino Unido")
('UK', 'Macau', 'Czech Republic', 'UK')
>>> to_api("TO"), to_api("Tonga"), to_api("Narnia")  # Tonga: the API has no name for it
(None, None, None)
>>> from_api("Germany"), from_api("UK"), from_api("Burma")
('DE', 'GB', 'MM')
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cache, lru_cache

from .data.countries import COUNTRY_NAMES, ISO_TO_COUNTRY

TYPE_CHECKING = False  # not typing's: importing typing is a cost of every start
if TYPE_CHECKING:
    from typing import Any

#: The API's list has both "UK" and "Great Britain" for GB; "UK" is the one it lists among its
#: main markets (Portugal, Ireland, UK, Canada, United States), so that is what GB becomes.
_PREFERRED = {"GB": "UK"}

#: The API's names that neither pycountry nor CLDR spells: older or informal names.
_API_ONLY = {
    "UK": "GB",
    "Ivory Coast": "CI",
    "Kampuchea": "KH",
    "Samoa (America)": "AS",
    "Western Samoa": "WS",
    "Tahiti": "PF",
}

#: Kosovo's user-assigned code (CLDR has it, ISO 3166-1 does not): the API has no name for it.
_KOSOVO = "XK"

#: Languages whose names win when two languages' names for different territories collide.
_FIRST_LANGUAGES = ("en", "pt", "es", "fr", "de")

#: No country name is longer than this (the longest CLDR names are about 60 characters).
_MAX_LENGTH = 100


def fold(text: str) -> str:
    """A name as the API's database compares it: case, accents, the apostrophe's shape and the
    blanks around it do not matter (MySQL's default collation).

    >>> fold("  Côte d\u2019Ivoire "), fold("SÃO TOMÉ and príncipe")
    ("cote d'ivoire", 'sao tome and principe')
    """
    if text.isascii():  # nothing to decompose, no accent to drop: the same, a tenth the cost
        return text.casefold().strip()
    import unicodedata  # imported for the first name that needs it (a cost of every start)

    text = unicodedata.normalize("NFKD", text.replace("\u2019", "'"))
    return "".join(ch for ch in text if not unicodedata.combining(ch)).casefold().strip()


def _key(text: str) -> str:
    """A name as the indexes hold it: folded, runs of blanks made one."""
    return " ".join(fold(text).split())


def to_api(value: Any, *, locale: str | None = None) -> str | None:
    """The API's name for the country ``value`` names, or None when it names none the API has.

    ``value`` is an ISO 3166-1 alpha-2 or alpha-3 code, one of the API's own names (any case or
    accents), or a territory's name in a language CLDR has. With ``locale`` (``"pt_PT"``,
    ``"de"``...) that language's names are tried first, for the rare name that means different
    territories in different languages. None also for the territories the API has no name for
    (Tonga, the Åland Islands, South Sudan, Kosovo, ...).

    >>> to_api("TG"), to_api("FK"), to_api("FO"), to_api("NA"), to_api("NR")
    ('Togo', 'Falkland Islands', 'Faeroe Islands (Føroyar)', 'Namibia', 'Nauru')
    >>> to_api("côte d'ivoire"), to_api("Estados Unidos", locale="es"), to_api(42)
    ('Côte d\u2019Ivoire', 'United States', None)
    """
    if not isinstance(value, str):
        return None
    api = _api_names().get(_key(value))
    if api is not None:
        return api
    code = iso_code(value, locale=locale)
    return None if code is None else _api_name(code)


def iso_code(value: Any, *, locale: str | None = None, everywhere: bool = True) -> str | None:
    """The ISO 3166-1 alpha-2 code of the territory ``value`` names (a code or a name, as for
    :func:`to_api`), whether or not the API has a name for it; None when it names none.

    With ``everywhere=False`` only the names of English, Portuguese, Spanish, French, German
    and ``locale``'s language are tried: the few milliseconds of a guess as the user types,
    where reading every language's names (over a thousand CLDR locales) the first time takes
    about two seconds.

    >>> iso_code("deu"), iso_code("Alemanha"), iso_code("Tonga"), iso_code("Kosovo")
    ('DE', 'DE', 'TO', 'XK')
    >>> iso_code("Saksamaa"), iso_code("Saksamaa", everywhere=False)  # Estonian
    ('DE', None)
    """
    if not isinstance(value, str) or not 0 < len(value.strip()) <= _MAX_LENGTH:
        return None
    text = value.strip()
    code = _codes().get(text.upper())
    if code is not None:
        return code
    key = _key(text)
    api = _api_names().get(key)
    if api is not None:
        return _api_codes().get(api)
    return _code_of_name(key, locale, everywhere)


def from_api(name: str) -> str:
    """The ISO 3166-1 alpha-2 code of one of the API's country names (any case or accents).

    A name the API keeps for a territory that has changed gives today's code ("East Timor":
    TL); "Netherlands Antilles", dissolved into several, gives its withdrawn code AN. Raises
    ValueError for a name that is not the API's, and for "International Monetary Fund", which
    the API lists but is no territory.

    >>> from_api("Czech Republic"), from_api("east timor"), from_api("Netherlands Antilles")
    ('CZ', 'TL', 'AN')
    >>> from_api("Deutschland")
    Traceback (most recent call last):
    ...
    ValueError: 'Deutschland' is not one of the API's country names (see ixrules.countries.to_api)
    """
    api = _api_names().get(_key(name)) if isinstance(name, str) else None
    if api is None:
        raise ValueError(
            f"{name!r} is not one of the API's country names (see ixrules.countries.to_api)"
        )
    code = _api_codes().get(api)
    if code is None:
        raise ValueError(f"{api!r} is one of the API's names but no territory's")
    return code


def no_api_name() -> frozenset[str]:
    """The ISO codes (pycountry's, and Kosovo's XK) of territories the API has no name for.

    >>> sorted(no_api_name())
    ['AQ', 'AX', 'BL', 'BQ', 'BV', 'GS', 'MF', 'PM', 'SS', 'SX', 'TF', 'TK', 'TO', 'UM', 'VI',
     'XK']
    """
    return frozenset(code for code in set(_codes().values()) if _api_name(code) is None)


def _api_name(code: str) -> str | None:
    return _PREFERRED.get(code) or ISO_TO_COUNTRY.get(code)


@cache
def _api_names() -> Mapping[str, str]:
    """Each of the API's names, folded, to the name as the API writes it."""
    return {_key(name): name for name in COUNTRY_NAMES}


@cache
def _codes() -> Mapping[str, str]:
    """Every ISO alpha-2 and alpha-3 code pycountry knows (and XK), to the alpha-2 code."""
    import pycountry

    out = {_KOSOVO: _KOSOVO, "XKX": _KOSOVO}
    for entry in pycountry.countries:
        out[entry.alpha_2] = out[entry.alpha_3] = entry.alpha_2
    return out


@cache
def _api_codes() -> Mapping[str, str]:
    """Each of the API's names to its alpha-2 code: the API's own map, the withdrawn codes of
    ISO 3166-3 for names the API kept from before (their successor when there is one), then
    the few names nobody else spells."""
    out = {name: code for code, name in ISO_TO_COUNTRY.items()}
    withdrawn = _withdrawn()
    for name in COUNTRY_NAMES:
        if name not in out and _key(name) in withdrawn:
            out[name] = withdrawn[_key(name)]
    for name, code in _API_ONLY.items():
        out.setdefault(name, code)
    return out


@cache
def _withdrawn() -> Mapping[str, str]:
    """Withdrawn country names (the part before a comma: "Burma", "Zaire"), folded, to today's
    code (the last two letters of the ISO 3166-3 code) or, when split up, the old one."""
    import pycountry

    out: dict[str, str] = {}
    for entry in pycountry.historic_countries:
        successor = entry.alpha_4[2:]
        out.setdefault(
            _key(entry.name.split(",")[0]), entry.alpha_2 if successor == "HH" else successor
        )
    return out


def _code_of_name(key: str, locale: str | None, everywhere: bool) -> str | None:
    languages = [_locale_name(locale)] if locale else []
    languages += ["en"]
    for language in languages:
        code = _language_names(language).get(key)
        if code is not None:
            return code
    code = _iso_names().get(key)
    if code is None:
        code = (_all_names() if everywhere else _main_names()).get(key)
    return code


@lru_cache(maxsize=64)
def _locale_name(locale: str) -> str:
    """Babel's identifier of ``pt-PT`` / ``pt_PT`` / ``es_ES.UTF-8``, or the text unchanged."""
    from babel import Locale, UnknownLocaleError

    try:
        return str(Locale.parse(locale.strip().split(".")[0].replace("-", "_")))
    except (UnknownLocaleError, ValueError, TypeError):
        return locale


@lru_cache(maxsize=64)
def _language_names(language: str) -> Mapping[str, str]:
    """:func:`_names_of`, kept for the few locales an app asks for."""
    return _names_of(language)


def _names_of(language: str) -> Mapping[str, str]:
    """CLDR's names of the territories in ``language`` (with what it inherits), folded."""
    from babel import Locale, UnknownLocaleError

    try:
        return _indexed(Locale.parse(language).territories)
    except (UnknownLocaleError, ValueError, TypeError):
        return {}


def _own_names(identifier: str) -> Mapping[str, str]:
    """The names Babel's locale ``identifier`` gives itself, not those it inherits (the merged
    indexes read every locale, so each name once is enough, and much quicker). Read from
    Babel's own data file, not through ``localedata.load(..., merge_inherited=False)``, which
    would leave the unmerged data in Babel's cache for every later ``Locale`` of that name."""
    import pickle

    from babel import localedata

    with open(localedata.resolve_locale_filename(identifier), "rb") as handle:
        data = pickle.load(handle)  # Babel's packaged CLDR data, as Babel itself reads it
    territories = data.get("territories") if isinstance(data, dict) else None
    return _indexed(territories if isinstance(territories, Mapping) else {})


def _indexed(territories: Mapping[str, str]) -> Mapping[str, str]:
    """Folded names to alpha-2 codes, for territories with an ISO code only (not "Europe",
    "World", "Canary Islands")."""
    codes = _codes()
    return {_key(name): code for code, name in territories.items() if codes.get(code) == code}


@cache
def _iso_names() -> Mapping[str, str]:
    """pycountry's English names (short, official, common) and the withdrawn ones."""
    import pycountry

    out: dict[str, str] = {}
    for entry in pycountry.countries:
        for attribute in ("name", "official_name", "common_name"):
            name = getattr(entry, attribute, None)
            if isinstance(name, str):
                out.setdefault(_key(name), entry.alpha_2)
    for name, code in _withdrawn().items():
        if code in _codes():
            out.setdefault(name, code)
    return out


@cache
def _main_names() -> Mapping[str, str]:
    """The CLDR names of the first languages (en, pt, es, fr, de) and of their locales that
    name territories their own way (``pt_PT``, ``de_CH``...)."""
    from babel import localedata

    names = [
        name for name in localedata.locale_identifiers() if _language(name) in _FIRST_LANGUAGES
    ]
    return _merge(_own_names(name) for name in _ordered(sorted(names)))


def _language(locale: str) -> str:
    return locale.split("_", 1)[0]


@cache
def _all_names() -> Mapping[str, str]:
    """The CLDR names of every locale Babel has (read once, about two seconds): where two give the
    same name to different territories, the first of en, pt, es, fr, de, then the other
    locales in alphabetical order (``pt_PT`` after ``pt``), wins."""
    from babel import localedata

    return _merge(_names_of(name) for name in _ordered(sorted(localedata.locale_identifiers())))


def _ordered(identifiers: Iterable[str]) -> list[str]:
    """The first languages, then every other locale in the given order."""
    rest = [name for name in identifiers if name not in _FIRST_LANGUAGES]
    return [*_FIRST_LANGUAGES, *rest]


def _merge(indexes: Iterable[Mapping[str, str]]) -> Mapping[str, str]:
    out: dict[str, str] = {}
    for index in indexes:
        for name, code in index.items():
            out.setdefault(name, code)
    return out
