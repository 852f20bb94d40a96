"""Whether a locale name is one Babel knows: ``--locale`` and the configuration's ``locale``
are refused when it is not, since an unknown name would quietly read values and write
messages as English (the library's functions keep that fallback: a form's locale comes from a
browser, and a form must still answer)."""

from __future__ import annotations

#: Longer names are no locale Babel knows (and are not worth parsing).
MAX_NAME = 64


def known_locale(name: str) -> bool:
    """True for ``pt``, ``pt_PT``, ``pt-PT``, ``en_US``...; Babel is imported here, on use."""
    from babel import Locale, UnknownLocaleError

    if len(name) > MAX_NAME:
        return False
    try:
        Locale.parse(name.strip().replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError):
        return False
    return True
