"""Frozen records without :mod:`dataclasses`: what the records on the path of a first
``validate`` are built on (issue 26). Importing ``dataclasses`` imports ``inspect``, ``ast``,
``dis`` and ``tokenize``, and every ``@dataclass`` writes and compiles its methods when its
module is imported: together 10-20 ms of a fresh process whose whole start is a few times that.

A record class lists its fields in ``FIELDS`` (in order) and writes its own ``__init__``, which
stores them with :func:`fill`. :class:`Record` gives what ``@dataclass(frozen=True)`` gave:

- equality of two records of the same class, field by field (``COMPARED``, every field unless
  the class names fewer), and a hash of the same fields, so equal records hash alike (a record
  holding a dict or a list is unhashable, as a frozen dataclass is);
- the dataclass' ``repr`` (``Issue(message='...', path='...')``) of the fields in ``SHOWN``;
- immutability: assigning or deleting an attribute raises :class:`FrozenInstanceError`;
- :meth:`Record.replace`, what ``dataclasses.replace`` did, and :meth:`Record.as_fields`.

:class:`MutableRecord` is the same without the immutability (and so without a hash).

A record keeps a ``__dict__``, so it pickles and copies as a frozen dataclass did (pickle fills
the ``__dict__`` without calling ``__setattr__``), and a field's default may be a class
attribute.

>>> class Point(Record):
...     FIELDS = ("x", "y")
...     def __init__(self, x: int, y: int = 0) -> None:
...         fill(self, x=x, y=y)
>>> Point(1), Point(1) == Point(1, 0), Point(1).replace(y=2)
(Point(x=1, y=0), True, Point(x=1, y=2))
>>> Point(1).x = 5
Traceback (most recent call last):
ixrules.records.FrozenInstanceError: cannot assign to field 'x'
"""

from __future__ import annotations

TYPE_CHECKING = False  # not typing's: this module is imported on the way to every validate
if TYPE_CHECKING:
    from typing import Any, ClassVar, TypeVar

    R = TypeVar("R", bound="Record")

__all__ = ["FrozenInstanceError", "MutableRecord", "Record", "fill"]


class FrozenInstanceError(AttributeError):
    """An attribute of a record assigned or deleted (``dataclasses.FrozenInstanceError``'s
    part: an ``AttributeError``)."""


def fill(record: Record, **fields: Any) -> None:
    """Store ``fields`` on ``record`` (its ``__init__``'s one write: the record is frozen)."""
    record.__dict__.update(fields)


class Record:
    """The base of a frozen record: see the module's docstring."""

    __slots__ = ()

    #: Every field, in the order of the constructor's parameters.
    FIELDS: ClassVar[tuple[str, ...]] = ()
    #: The fields equality and the hash compare (None: every field).
    COMPARED: ClassVar[tuple[str, ...] | None] = None
    #: The fields the ``repr`` shows (None: every field).
    SHOWN: ClassVar[tuple[str, ...] | None] = None

    def __setattr__(self, name: str, value: Any) -> None:
        raise FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise FrozenInstanceError(f"cannot delete field {name!r}")

    def compared(self) -> tuple[Any, ...]:
        """The values equality and the hash compare, in field order."""
        names = self.FIELDS if self.COMPARED is None else self.COMPARED
        return tuple([getattr(self, name) for name in names])

    def __eq__(self, other: object) -> bool:
        if other.__class__ is self.__class__:
            assert isinstance(other, Record)
            return self.compared() == other.compared()
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self.compared())

    def __repr__(self) -> str:
        names = self.FIELDS if self.SHOWN is None else self.SHOWN
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in names)
        return f"{type(self).__qualname__}({shown})"

    def as_fields(self) -> dict[str, Any]:
        """Every field's value by its name, in order (not recursive: ``dataclasses.asdict``
        copied the values it met too)."""
        return {name: getattr(self, name) for name in self.FIELDS}

    def replace(self: R, **changes: Any) -> R:
        """A copy with ``changes`` to its fields, made by the constructor (so it checks and
        defaults as the constructor does); a name that is not a field is a ``TypeError``."""
        unknown = set(changes) - set(self.FIELDS)
        if unknown:
            raise TypeError(f"{type(self).__name__} has no field {sorted(unknown)[0]!r}")
        return type(self)(**{**self.as_fields(), **changes})


class MutableRecord(Record):
    """A record whose fields may be assigned (a dataclass without ``frozen``): equal field by
    field, unhashable."""

    __slots__ = ()
    __hash__ = None  # type: ignore[assignment]

    def __setattr__(self, name: str, value: Any) -> None:
        object.__setattr__(self, name, value)

    def __delattr__(self, name: str) -> None:
        object.__delattr__(self, name)
