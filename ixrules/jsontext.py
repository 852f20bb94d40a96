"""JSON text read as the API's parser reads it, saying where it is not.

Python's ``json`` reads ``NaN``, ``Infinity`` and ``-Infinity``, which are not JSON and which the
API's parser refuses; and it refuses, with an error that says neither where nor why in terms a
user can act on, integers longer than the interpreter converts (4,300 digits by default), which
are JSON. ``ixrules lint`` and :func:`ixrules.check_request` both read JSON text with ``loads``,
so they accept and refuse the same texts, and each refusal has its offset.

Where orjson is installed, ``fast_loads`` reads the common body with it (several times faster,
and from the bytes: no decoded copy), but only where it gives the very values ``loads`` gives:
whatever it refuses (``NaN``, a lone surrogate, ``1e400``, bytes that are not UTF-8, deep
nesting) and any text with a run of 19 digits (orjson reads an integer past 64 bits as a float)
is left to ``loads``, which reads it or says exactly why not.

>>> loads('{"retention": NaN}')
Traceback (most recent call last):
...
json.decoder.JSONDecodeError: NaN is not a JSON value: line 1 column 15 (char 14)
"""

from __future__ import annotations

import json
import re
import sys
from functools import cache
from typing import Any

#: A JSON string (skipped), or one of the constants Python reads and JSON does not have.
_CONSTANT_OR_STRING = re.compile(r'"(?:[^"\\]|\\.)*"|NaN|-?Infinity')
#: A JSON string (skipped), or a number: its integer part, fraction and exponent.
_NUMBER_OR_STRING = re.compile(r'"(?:[^"\\]|\\.)*"|-?([0-9]+)(\.[0-9]+)?([eE][-+]?[0-9]+)?')


class LongInteger(ValueError):
    """An integer with more digits than the interpreter converts (valid JSON, not read):
    ``pos`` is its offset in the text, ``lineno`` and ``colno`` its line and column."""

    def __init__(self, doc: str, pos: int, digits: int, limit: int) -> None:
        self.msg = f"an integer of {digits:,} digits (at most {limit:,} are read)"
        self.doc = doc
        self.pos = pos
        self.lineno = doc.count("\n", 0, pos) + 1
        self.colno = pos - doc.rfind("\n", 0, pos)
        super().__init__(f"{self.msg}: line {self.lineno} column {self.colno} (char {pos})")


#: A run of digits that may be an integer orjson reads as a float (past 64 bits), found as
#: ``_LONG_RUN in data.translate(_DIGITS_AS_ZEROS)``: every ASCII digit a ``0``, every other
#: byte a blank, then one substring search, both in C (the regex ``[0-9]{19}`` took 18 µs on
#: a 1.8 KB line, longer than orjson's whole parse; this takes 1).
_DIGITS_AS_ZEROS = bytes(0x30 if 0x30 <= byte <= 0x39 else 0x20 for byte in range(256))
_LONG_RUN = b"0" * 19
#: What ``fast_loads`` answers for bytes it leaves to ``loads``.
NOT_READ: Any = object()


@cache
def _orjson_loads() -> Any:
    """orjson's ``loads``, or None when it is not installed (imported on first use only)."""
    try:
        from orjson import loads as orjson_loads
    except ImportError:
        return None
    return orjson_loads


def long_digit_run(data: bytes) -> bool:
    """True when ``data`` holds a run of 19 or more ASCII digits (what ``fast_loads`` leaves
    to the exact reader).

    >>> long_digit_run(b'[1844674407370955161]'), long_digit_run(b'[184467440737095516]')
    (True, False)
    """
    return _LONG_RUN in data.translate(_DIGITS_AS_ZEROS)


def fast_loads(data: bytes, reader: Any = "orjson") -> Any:
    """The JSON value of ``data`` (UTF-8, no byte order mark) read by orjson when it is
    installed and reads exactly what :func:`loads` would; else ``NOT_READ``, and the caller
    reads the text with :func:`loads` (which also says where and why a text is not JSON).

    >>> fast_loads(b'{"a": [1, -0.0, "x"]}') in ({"a": [1, -0.0, "x"]}, NOT_READ)
    True
    >>> fast_loads(b"[18446744073709551616]") is NOT_READ
    True
    """
    if reader == "orjson":
        reader = _orjson_loads()
    if reader is None or long_digit_run(data):
        return NOT_READ
    try:
        return reader(data)
    except ValueError:  # orjson.JSONDecodeError: loads decides, and says why
        return NOT_READ


class _Constant(ValueError):
    """NaN or Infinity met while parsing."""


def _refuse(spelling: str) -> Any:
    raise _Constant(spelling)


def loads(text: str) -> Any:
    """One JSON value from ``text``, as ``json.loads`` reads it, but with ``NaN``, ``Infinity``
    and ``-Infinity`` a ``json.JSONDecodeError`` at their place (as any other text that is not
    JSON), and an integer too long to convert a ``LongInteger`` at its place. Deep nesting is
    the caller's business (``RecursionError`` passes through).

    >>> loads('[1, "NaN"]')
    [1, 'NaN']
    >>> try:
    ...     loads('[1, ' + '9' * 5000 + ']')
    ... except LongInteger as exc:
    ...     print(exc.msg, exc.pos)
    an integer of 5,000 digits (at most 4,300 are read) 4
    """
    try:
        return json.loads(text, parse_constant=_refuse)
    except _Constant as exc:
        offset, spelling = constant_offset(text) or (0, str(exc))
        raise json.JSONDecodeError(f"{spelling} is not a JSON value", text, offset) from None
    except (json.JSONDecodeError, RecursionError):
        raise
    except ValueError:  # the only other one: an integer past the conversion limit
        found = long_integer(text)
        if found is None:
            raise
        raise LongInteger(text, *found) from None


def constant_offset(text: str) -> tuple[int, str] | None:
    """The offset and spelling of the first ``NaN``/``Infinity`` literal outside strings.
    Linear: called on text the parser read up to that literal, whose strings are closed.

    >>> constant_offset('{"a": "NaN", "b": [1, -Infinity]}')
    (22, '-Infinity')
    """
    for found in _CONSTANT_OR_STRING.finditer(text):
        if not found.group().startswith('"'):
            return found.start(), found.group()
    return None


def long_integer(text: str) -> tuple[int, int, int] | None:
    """The offset and digit count of the first integer (no fraction, no exponent: those are
    read as floats, whatever their length) longer than the interpreter converts, and that
    limit; None when there is none.

    >>> long_integer('["' + '1' * 5000 + '", 1.' + '5' * 5000 + ', -' + '7' * 4301 + ']')
    (10009, 4301, 4300)
    """
    limit = _digit_limit()
    if not limit:
        return None
    for found in _NUMBER_OR_STRING.finditer(text):
        digits, fraction, exponent = found.groups()
        if digits is not None and fraction is None and exponent is None and len(digits) > limit:
            return found.start(), len(digits), limit
    return None


def _digit_limit() -> int:
    get = getattr(sys, "get_int_max_str_digits", None)
    return 0 if get is None else int(get())
