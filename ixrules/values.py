"""How the API reads the values it is sent: numbers, dates, flags, and JSON pointers.

The backend is Rails: a number may travel as a JSON number or as a numeric string, read the way
Ruby's ``Kernel#Float`` reads it (sign, digits with single underscores, a fraction, an exponent,
surrounding blanks; no comma decimal mark, no NaN or Infinity). Dates travel as ``dd/mm/yyyy``.
Digits are ASCII digits only, as in Ruby (Python's ``\\d`` and ``float`` also read other scripts'
digits, which the API refuses). Every pattern here is linear-time on any input.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping

from .lazypattern import LazyPattern

TYPE_CHECKING = False  # not typing's: importing typing is a cost of every start
if TYPE_CHECKING:  # datetime is imported where a date object is made: checks compare parts
    import datetime as _dt
    from typing import Any

_DIGITS = r"\d(?:_?\d)*"
_NUMBER = re.compile(
    rf"[ \t\r\n]*[+-]?(?:{_DIGITS}(?:\.{_DIGITS})?|\.{_DIGITS})(?:[eE][+-]?{_DIGITS})?[ \t\r\n]*",
    re.ASCII,
)
_DATE = re.compile(r"[ ]*(\d{1,2})([/.-])(\d{1,2})\2(\d{4})[ ]*", re.ASCII)
_ISO_DATE = LazyPattern(r"[ ]*(\d{4})-(\d{1,2})-(\d{1,2})[ ]*", re.ASCII)
_DATETIME = re.compile(
    r"[ ]*(\d{1,2})/(\d{1,2})/(\d{4})(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2}))?)?[ ]*", re.ASCII
)
_ISO_DATETIME = LazyPattern(r"(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})", re.ASCII)

#: Longest string read as a number or date; longer ones are not numbers (and never scanned).
MAX_SCALAR_TEXT = 256


def as_number(value: Any) -> float | None:
    """The numeric value of a JSON number or numeric string, or None when it is not a number.

    >>> as_number("10.0"), as_number(5), as_number(" 1_000 "), as_number("123,0000")
    (10.0, 5.0, 1000.0, None)
    >>> as_number(True), as_number("NaN"), as_number(float("inf"))
    (None, None, None)
    """
    kind = type(value)
    if kind is str:  # the common shapes first: "3", "1.50" (the regex decides the rest)
        if value.isdigit() and value.isascii() and len(value) <= MAX_SCALAR_TEXT:
            return float(value)
        whole, dot, fraction = value.partition(".")
        if (
            dot
            and whole.isdigit()
            and fraction.isdigit()
            and value.isascii()
            and len(value) <= MAX_SCALAR_TEXT
        ):
            return float(value)
    elif kind is float:
        return value if math.isfinite(value) else None
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        try:
            number = float(value)
        except OverflowError:
            return None
        return number if math.isfinite(number) else None
    if isinstance(value, str) and len(value) <= MAX_SCALAR_TEXT and _NUMBER.fullmatch(value):
        number = float(value.strip().replace("_", ""))
        return number if math.isfinite(number) else None
    return None


def as_date(value: Any) -> _dt.date | None:
    """The calendar date of a ``dd/mm/yyyy`` string (``d/m/yyyy``, ``-`` or ``.`` separators and
    ISO ``yyyy-mm-dd`` are read too, as Ruby's date parser does), or None.

    >>> as_date("03/12/2017"), as_date("3/12/2017"), as_date("31/02/2017")
    (datetime.date(2017, 12, 3), datetime.date(2017, 12, 3), None)
    """
    parts = date_parts(value)
    if parts is None:
        return None
    import datetime

    return datetime.date(*parts)


def date_parts(value: Any) -> tuple[int, int, int] | None:
    """:func:`as_date`'s ``(year, month, day)``: what the checks read and compare (tuples
    order as the dates do), with no ``datetime`` imported for it.

    >>> date_parts("03/12/2017"), date_parts("2017-12-3"), date_parts("29/02/2100")
    ((2017, 12, 3), (2017, 12, 3), None)
    """
    if not isinstance(value, str) or len(value) > MAX_SCALAR_TEXT:
        return None
    match = _DATE.fullmatch(value)
    if match:
        day, month, year = int(match[1]), int(match[3]), int(match[4])
    else:
        match = _ISO_DATE.fullmatch(value)
        if not match:
            return None
        year, month, day = int(match[1]), int(match[2]), int(match[3])
    if not (1 <= year <= 9999 and 1 <= month <= 12 and 1 <= day <= 31):
        return None  # datetime's range: years 1 to 9999
    if day > _DAYS[month] or (
        month == 2 and day == 29 and (year % 4 or (year % 100 == 0 and year % 400))
    ):
        return None
    return year, month, day


#: The days of each month (February's 29th is tested against the leap years).
_DAYS = (0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def as_datetime(value: Any) -> _dt.datetime | None:
    """A guide's ``dd/mm/yyyy HH:mm:ss`` (the date alone means midnight), or None.

    >>> as_datetime("02/12/2017 19:00:00")
    datetime.datetime(2017, 12, 2, 19, 0)
    """
    if not isinstance(value, str) or len(value) > MAX_SCALAR_TEXT:
        return None
    match = _DATETIME.fullmatch(value)
    if not match:
        return None
    day, month, year = int(match[1]), int(match[2]), int(match[3])
    hour, minute, second = (int(part) if part else 0 for part in match.groups()[3:])
    import datetime

    try:
        return datetime.datetime(year, month, day, hour, minute, second)
    except ValueError:
        return None


def as_iso_datetime(value: Any) -> _dt.datetime | None:
    """The context's ``YYYY-MM-DDTHH:MM:SS`` clock, or None."""
    if not isinstance(value, str):
        return None
    match = _ISO_DATETIME.fullmatch(value)
    if not match:
        return None
    import datetime

    try:
        year, month, day, hour, minute, second = (int(part) for part in match.groups())
        return datetime.datetime(year, month, day, hour, minute, second)
    except ValueError:
        return None


def is_flag_set(value: Any) -> bool:
    """True for the API's "on" flag: ``"1"``, ``1`` or ``true``."""
    if value is True:
        return True
    # Compare only JSON scalars: an arbitrary object's ``==`` may do anything, even raise.
    return (
        isinstance(value, (int, float, str)) and not isinstance(value, bool) and value in (1, "1")
    )


def absent(value: Any) -> bool:
    """Real clients send null for an unset field and false for an empty one: both are absent."""
    return value is None or value is False


def display(value: Any) -> str:
    """How the API writes a sent value into a message ("Unit kg ...", "Country Germani ...")."""
    if isinstance(value, str):
        return value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return _int_text(value)
    try:
        return str(value)
    except Exception:  # nested too deep, an int past Python's digit limit, a broken __str__
        return f"<{type(value).__name__}>"


#: Past this many bits (about 20,000 digits) an integer is not written out: decimal conversion
#: time grows with the square of the length.
_MAX_INT_BITS = 66_000


def _int_text(value: int) -> str:
    """An integer's digits, even past Python's int-to-str limit (which is process-global and
    must not be changed by a library), within a bounded time.

    >>> len(_int_text(10**5000)), _int_text(-(10**70000))
    (5001, '<integer of about 70001 digits>')
    """
    bits = value.bit_length()
    if bits > _MAX_INT_BITS:
        return f"<integer of about {int(bits * math.log10(2)) + 1} digits>"
    import decimal  # only for integers past the limit of str(): rare

    return str(decimal.Decimal(value))


def pointer(parts: tuple[Any, ...] | list[Any]) -> str:
    """A JSON pointer (RFC 6901) from path parts.

    >>> pointer(("invoice", "items", 2, "quantity")), pointer(("a/b", "c~d"))
    ('/invoice/items/2/quantity', '/a~1b/c~0d')
    """
    out = []
    for part in parts:
        text = part if type(part) is str else str(part)
        if "~" in text or "/" in text:
            text = text.replace("~", "~0").replace("/", "~1")
        out.append(text)
    return "/" + "/".join(out) if out else ""


def pointer_token(part: Any) -> str:
    """One reference token of a JSON pointer, escaped (``~`` -> ``~0``, ``/`` -> ``~1``)."""
    return str(part).replace("~", "~0").replace("/", "~1")


def pointer_parts(path: str) -> list[str]:
    """The unescaped reference tokens of a JSON pointer (``""`` has none).

    >>> pointer_parts("/a~1b/c~0d/0"), pointer_parts("")
    (['a/b', 'c~d', '0'], [])
    """
    return [raw.replace("~1", "/").replace("~0", "~") for raw in path.split("/")[1:]]


#: What :func:`value_at` answers for a pointer that names nothing in the body.
MISSING: Any = object()


def value_at(body: Any, path: str) -> Any:
    """The value at the JSON pointer ``path`` of ``body``, or :data:`MISSING`.

    >>> value_at({"a": [1, {"b": 2}]}, "/a/1/b"), value_at({"a": []}, "/a/0") is MISSING
    (2, True)
    """
    for part in pointer_parts(path):
        if isinstance(body, Mapping) and part in body:
            body = body[part]
        elif isinstance(body, list) and part.isdigit() and int(part) < len(body):
            body = body[int(part)]
        else:
            return MISSING
    return body


# --- values as their plain JSON types ---------------------------------------------------------

_SCALARS = (str, int, float, bool, type(None))
#: Built-in types whose own methods are trusted (a caller's subclass of them is not).
_TRUSTED = frozenset({str, int, float, bool, type(None), tuple, set, frozenset, bytes, complex})


class Unreadable(Exception):
    """A caller's object that could not be read as plain data (its method raised)."""

    def __init__(self, where: str, exc: BaseException) -> None:
        super().__init__(f"the value at {where or '/'} could not be read ({type(exc).__name__})")


class Opaque:
    """What stands for a caller's object of a type of its own: it is no JSON type, and shows
    as the object's ``str()`` (taken once, safely) in messages."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    def __str__(self) -> str:
        return self.text

    __repr__ = __str__


def plain(value: Any) -> Any:
    """``value`` read as plain JSON data: ``dict``, ``list``, ``str``, ``int``, ``float``,
    ``bool`` and ``None`` exactly, so no caller's method runs during validation. Subclasses of
    those are read through the base type's own methods (a ``str`` subclass whose ``__str__``
    raises is still its characters), other mappings through their ``items()``; tuples, sets
    and the like stay as they are, and any other object becomes an ``Opaque`` stand-in. Keys
    of a caller's own type become ``Opaque`` too (JSON has no such keys). Iterative, so no depth
    is too deep; shared and cyclic containers are read once each. Returns ``value`` itself
    when it is plain already. Raises ``Unreadable`` when a caller's object raises.

    >>> class S(str):
    ...     def __str__(self): raise RuntimeError("no")
    >>> plain({"a": [S("kg"), 1.5]}), type(plain(S("kg")))
    ({'a': ['kg', 1.5]}, <class 'str'>)
    """
    if _is_plain(value):
        return value
    return _convert(value)


def copied(value: Any) -> Any:
    """``value`` (plain data) with every dict and list in it a new one: what code the caller
    does not control (a plugin's check) is given, so that it cannot change the caller's data.
    Iterative, so no depth is too deep; a container shared in ``value`` is shared in the copy.

    >>> body = {"items": [{"unit": "kg"}]}
    >>> copy = copied(body)
    >>> copy == body, copy["items"] is body["items"]
    (True, False)
    """
    if type(value) in _LEAVES:
        return value
    return _convert(value)


#: Leaf types whose values are plain as they are (the trusted types but the containers whose
#: items may be anything), and the types a plain key may have.
_LEAVES = _TRUSTED - {tuple, set, frozenset}
_KEYS = frozenset(_SCALARS)
#: How deep ``_is_plain`` recurses; a deeper document is converted (iteratively) instead.
_PLAIN_DEPTH = 100


def _is_plain(value: Any) -> bool:
    """True when ``value`` is plain already (the usual case, asked on every call: so the one
    loop does as little as it can per value, and recursion is bounded, then given up)."""
    kind = type(value)
    if kind is dict or kind is list:
        return _plain_tree(value, set(), 0)
    return kind in _LEAVES


def _plain_tree(value: Any, seen: set[int], depth: int) -> bool:
    if id(value) in seen:
        return True  # shared, or a cycle: read once
    if depth > _PLAIN_DEPTH:
        return False
    seen.add(id(value))
    items: Any = value
    if type(value) is dict:
        if not _KEYS.issuperset(map(type, value)):
            return False
        items = value.values()
    for child in items:
        kind = type(child)
        if kind is str:
            continue
        if kind is dict or kind is list:
            if not _plain_tree(child, seen, depth + 1):
                return False
        elif kind not in _LEAVES:
            return False  # a caller's type, or a tuple or set whose items may be anything
    return True


def _convert(value: Any) -> Any:
    done: dict[int, Any] = {}
    root: list[Any] = [None]
    # (object, where, container to fill, key or index in it)
    stack: list[tuple[Any, str, Any, Any]] = [(value, "", root, 0)]
    keep: list[Any] = []  # the originals stay alive while their ids are memo keys
    while stack:
        item, where, into, slot = stack.pop()
        kind = type(item)
        if kind in _LEAVES:
            into[slot] = item
            continue
        if id(item) in done:
            into[slot] = done[id(item)]
            continue
        try:
            if isinstance(item, dict):
                pairs: Any = list(dict.items(item))
            elif isinstance(item, list):
                items = list(list.__iter__(item))
                out: list[Any] = [None] * len(items)
                done[id(item)] = out
                keep.append(item)
                into[slot] = out
                stack.extend(
                    (child, f"{where}/{index}", out, index) for index, child in enumerate(items)
                )
                continue
            elif isinstance(item, str):
                into[slot] = str.__str__(item)
                continue
            elif isinstance(item, int):
                into[slot] = int.__int__(item)
                continue
            elif isinstance(item, float):
                into[slot] = float.__float__(item)
                continue
            elif kind in (tuple, set, frozenset):
                into[slot] = item  # not JSON: shown by ``display``, which never raises
                continue
            elif isinstance(item, Mapping):
                pairs = list(item.items())
            else:
                into[slot] = Opaque(display(item))
                continue
        except Exception as exc:
            raise Unreadable(where, exc) from None
        mapping: dict[Any, Any] = {}
        done[id(item)] = mapping
        keep.append(item)
        into[slot] = mapping
        for key, child in pairs:
            try:
                if type(key) in _TRUSTED:
                    name = key
                elif isinstance(key, str):
                    name = str.__str__(key)
                else:
                    name = Opaque(display(key))
                mapping[name] = None
            except Exception as exc:
                raise Unreadable(where, exc) from None
            stack.append((child, f"{where}/{pointer_token(display(name))}", mapping, name))
    return root[0]
