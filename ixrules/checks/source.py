"""What an inline writer may ask of the code generator: a protocol, apart from the registry
(which names it as ``ixrules.checks.registry.Source``) so that the registry imports no
``typing`` on the way to a validate."""

from __future__ import annotations

from typing import Any, Protocol


class Source(Protocol):
    """What an inline writer may ask of the code generator while writing one expression."""

    def const(self, prefix: str, value: Any) -> str:
        """The name the generated code reads the constant ``value`` by."""
        ...

    def bind(self, name: str, value: Any) -> str:
        """``value`` (a function or type the expression uses) bound as ``name``."""
        ...

    def number(self, value: str) -> str:
        """The name of ``value`` read as a number (``values.as_number``), once a value."""
        ...

    def call(self, value: str) -> str:
        """The plain call of the check on ``value`` with the rule's arguments."""
        ...
