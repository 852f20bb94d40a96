"""The checks rule files name: one registration each (see :mod:`ixrules.checks.registry`),
the built-in ones written by family: shapes, numbers and dates, text, the context, objects.

``CHECKS`` is the registry of built-in checks, read-only once the package is imported; the
checks of plugins are the rule set's own (``RuleSet.checks``), and :func:`lookup` finds a
rule's check in either.
"""

from __future__ import annotations

from collections.abc import Mapping

from . import contextual, documents, numbers, shapes, text
from .contextual import JSON_MEDIA_TYPES, is_json_content_type
from .registry import (
    FACTS,
    REQUIRED_FACTS,
    Check,
    Env,
    Fix,
    Repaired,
    check,
    collect,
    fact_problem,
    plugin_check,
)
from .text import suggest_country

__all__ = [
    "CHECKS",
    "FACTS",
    "JSON_MEDIA_TYPES",
    "REQUIRED_FACTS",
    "Check",
    "Env",
    "Fix",
    "Repaired",
    "check",
    "fact_problem",
    "is_json_content_type",
    "lookup",
    "plugin_check",
    "suggest_country",
]

#: Every built-in check by name.
CHECKS: dict[str, Check] = collect(shapes, numbers, text, contextual, documents)


def lookup(name: str, plugins: Mapping[str, Check] | None = None) -> Check | None:
    """The check ``name``: a built-in one, else one of ``plugins`` (a rule set's plugin checks)."""
    found = CHECKS.get(name)
    if found is None and plugins is not None:
        found = plugins.get(name)
    return found
