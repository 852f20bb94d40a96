"""Regular expressions compiled on first use: a module-level pattern that a valid body's
``validate`` or a clean file's lint never needs (a repair's, a locale's, the cache key's, the
escapes of what a lint prints) costs a fresh process its
compilation at import, whether used or not (issue 26). A :class:`LazyPattern` is declared where
a compiled pattern would be, called the same way (``fullmatch``, ``match``, ``findall``...), and
compiled once, when first called (``functools`` caches it: two threads racing compile the same
pattern, and either's is kept). tests/test_hostile.py holds it to the linear-time test with
the compiled ones.

>>> digits = r"[0-9]+"
>>> DIGITS = LazyPattern(digits)
>>> DIGITS.pattern, bool(DIGITS.fullmatch("2026")), DIGITS.findall("1 and 22")
('[0-9]+', True, ['1', '22'])
"""

from __future__ import annotations

import re
from functools import cache, partial

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from typing import Any

__all__ = ["LazyPattern"]


class LazyPattern:
    """``re.compile(pattern, flags)``, made when first called."""

    __slots__ = ("compiled", "flags", "pattern")

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self.pattern = pattern
        self.flags = flags
        #: The compiled pattern (compiled by the first call, then kept).
        self.compiled: Callable[[], re.Pattern[str]] = cache(partial(re.compile, pattern, flags))

    def fullmatch(self, text: str) -> re.Match[str] | None:
        return self.compiled().fullmatch(text)

    def match(self, text: str) -> re.Match[str] | None:
        return self.compiled().match(text)

    def search(self, text: str) -> re.Match[str] | None:
        return self.compiled().search(text)

    def findall(self, text: str) -> list[Any]:
        return self.compiled().findall(text)

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        return self.compiled().finditer(text)

    def split(self, text: str) -> list[str]:
        return self.compiled().split(text)

    def sub(self, replacement: str | Callable[[re.Match[str]], str], text: str) -> str:
        return self.compiled().sub(replacement, text)
