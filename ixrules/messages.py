"""Message templates: the API's wording with ``{value}`` where it writes the sent value."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .values import display

if TYPE_CHECKING:
    from .model import Rule


def render(rule: Rule, value: Any, locale: str | None = None) -> str:
    """The rule's message with ``{value}`` filled in as the API writes it.

    >>> from ixrules.model import Rule
    >>> rule = Rule("item.unit.accepted", "Unit {value} is not included in the list of units")
    >>> render(rule, "kg")
    'Unit kg is not included in the list of units'
    """
    template = rule.message
    if "{" not in template:
        return template
    return template.format(value=display(value))
