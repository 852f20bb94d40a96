"""The public ``typing.Literal`` aliases of the modules on the way to a validate, made when they
are asked for: importing ``typing`` is a cost of every start, and only a type checker (which
reads each module's own ``if TYPE_CHECKING:`` spelling) or a caller's introspection needs them.

>>> attribute = literal_aliases("mod", Colour=("red", "blue"))
>>> attribute("Colour")
typing.Literal['red', 'blue']
"""

from __future__ import annotations

TYPE_CHECKING = False  # not typing's: this module is imported on the way to every validate
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any


def literal_aliases(module: str, **aliases: tuple[str, ...]) -> Callable[[str], Any]:
    """A module ``__getattr__`` answering each of ``aliases`` with the ``Literal`` of its
    values, and any other name with the ``AttributeError`` Python gives."""

    def attribute(name: str) -> Any:
        values = aliases.get(name)
        if values is None:
            raise AttributeError(f"module {module!r} has no attribute {name!r}")
        from typing import Literal

        return Literal[values]

    return attribute
