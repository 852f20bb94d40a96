"""Locale names read by Babel: the one place that parses them. Forms read numbers in the
locale they are given (an unknown one reads as English: a form's locale comes from a browser,
and a form must still answer); ``--locale`` and the configuration's ``locale`` are refused
when Babel does not know them."""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from babel import Locale

#: Longer names are no locale Babel knows (and are not worth parsing).
MAX_NAME = 64


@lru_cache(maxsize=64)
def babel_locale(name: str) -> Locale | None:
    """Babel's locale for ``pt_PT`` / ``pt-PT`` / ``pt``, or None when Babel does not know it.
    Babel is imported here, on first use, not when ixrules is."""
    from babel import Locale, UnknownLocaleError

    if len(name) > MAX_NAME:
        return None
    try:
        return Locale.parse(name.strip().replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError):
        return None


def known_locale(name: str) -> bool:
    """True for ``pt``, ``pt_PT``, ``pt-PT``, ``en_US``...: a name Babel knows."""
    return babel_locale(name) is not None
