"""Fiscal numbers as the API checks them: a Portuguese NIF's check digit, and which EU country a
VAT number belongs to. Public so that an app can check a number as it is typed, with the same
answer the rules give; the arithmetic is python-stdnum's (``stdnum.pt.nif``, ``stdnum.eu.vat``),
but for the common NIF of nine ASCII digits (``PT`` before them or not), whose mod-11 check
digit is computed here without importing python-stdnum (20 ms of a process's start-up); a
property test holds that arithmetic to stdnum's answer.

>>> is_valid_pt_nif("PT 999 999 990"), is_valid_pt_nif("999999991"), is_valid_pt_nif("")
(True, False, False)
>>> vat_country("FR40303265045"), vat_country("EL094259216"), vat_country("FR00000000000")
('FR', 'GR', None)
"""

from __future__ import annotations

from functools import lru_cache

TYPE_CHECKING = False  # not typing's: importing typing is a cost of every start
if TYPE_CHECKING:
    from typing import Any

#: Longer text is not a fiscal number (and never handed to the checksum code).
_MAX_LENGTH = 64

#: VAT prefixes that are not the country's ISO 3166-1 code: Greece writes EL, Northern Ireland
#: (part of the United Kingdom) XI.
_PREFIX_TO_ISO = {"EL": "GR", "XI": "GB"}


def _text(value: Any) -> str | None:
    """The number as text with every blank removed, or None for what cannot be one."""
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        return None
    if isinstance(value, int) and value.bit_length() > 4 * _MAX_LENGTH:
        return None  # far too long, and past Python's int-to-str limit before long
    text = "".join(str(value).split())
    return text if 0 < len(text) <= _MAX_LENGTH else None


def is_valid_pt_nif(value: Any) -> bool:
    """True when ``value`` is a Portuguese NIF with a right check digit, written with or without
    the ``PT`` prefix and blanks. An empty value is not a NIF (whether blank is allowed is the
    caller's decision: the API takes an empty ``fiscal_id`` as a final consumer).

    >>> is_valid_pt_nif("123456789"), is_valid_pt_nif("pt123456789"), is_valid_pt_nif(123456789)
    (True, True, True)
    >>> is_valid_pt_nif("12345678"), is_valid_pt_nif("FR40303265045"), is_valid_pt_nif(None)
    (False, False, False)
    """
    if type(value) is str and len(value) == 9 and value.isdigit() and value.isascii():
        return _nif_is_valid(value)  # the common form, already compact
    text = _text(value)
    return text is not None and _nif_is_valid(text)


def nif_digits_valid(text: str) -> bool | None:
    """The verdict on a NIF written as nine ASCII digits, optionally after ``PT`` in any case
    (python-stdnum's: the first digit is not 0 and the ninth is the mod-11 check digit of the
    eight before it); None for any other text, which only python-stdnum decides.

    >>> nif_digits_valid("999999990"), nif_digits_valid("pt999999991"), nif_digits_valid("9-9")
    (True, False, None)
    """
    if len(text) == 11 and text[:2].isascii() and text[:2].upper() == "PT":
        text = text[2:]
    if len(text) != 9 or not text.isascii() or not text.isdigit():
        return None
    if text[0] == "0":
        return False
    total = sum((9 - index) * int(digit) for index, digit in enumerate(text[:8]))
    return (11 - total) % 11 % 10 == int(text[8])


@lru_cache(maxsize=4096)
def _nif_is_valid(text: str) -> bool:
    """The verdict on one compacted number, remembered: an app sends the same clients again and
    again, and the check costs more than the rest of a client's rules (a bounded cache of a
    pure function of a short string: thread-safe). Nine digits are decided here, any other
    text by python-stdnum."""
    verdict = nif_digits_valid(text)
    if verdict is not None:
        return verdict
    from stdnum.pt import nif

    return bool(nif.is_valid(text))


def vat_country(value: Any) -> str | None:
    """The ISO 3166-1 alpha-2 code of the EU member state whose VAT number ``value`` is (by its
    prefix: ``FR``, ``DE``, ``EL`` for Greece, ...), or None when it is not a valid VAT number of
    the country its prefix names (no prefix, an unknown one, a wrong check digit).

    >>> vat_country("DE 136 695 976"), vat_country("PT999999990"), vat_country("999999990")
    ('DE', 'PT', None)
    """
    if type(value) is str and "0" <= value[:1] <= "9":
        return None  # a number without a prefix (most are): nothing to compact
    text = _text(value)
    if text is None or len(text) < 3 or not text[:2].isalpha():
        return None
    return _vat_country_of(text)


@lru_cache(maxsize=4096)
def _vat_country_of(text: str) -> str | None:
    """``vat_country`` of one compacted number, remembered (as ``_nif_is_valid`` is)."""
    from stdnum.eu import vat

    prefix = text[:2].upper()
    country = _PREFIX_TO_ISO.get(prefix, prefix)
    known = prefix.lower() in vat.MEMBER_STATES or country.lower() in vat.MEMBER_STATES
    return country if known and vat.is_valid(text) else None
