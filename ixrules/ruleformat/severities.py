"""A configuration's ``severity`` and ``ignore`` applied to a loaded rule set: rules made errors
or warnings, or dropped, by rule id or glob of ids."""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..model import SEVERITIES, Rule, RuleSet
from .errors import RuleFileError
from .relink import relink

__all__ = ["ID_GLOB", "SeveritySetting", "apply_severities"]


@dataclass(frozen=True)
class SeveritySetting:
    """One setting of a configuration's ``severity`` (or ``ignore``: severity ``off``): a rule
    id or glob of ids, and where it was written."""

    pattern: str
    severity: str
    file: str = "<config>"
    line: int = 1


#: What a setting's pattern may be: a rule id, or a glob of ids.
ID_GLOB = re.compile(r"[a-z0-9_.*?]+")


def apply_severities(ruleset: RuleSet, settings: Sequence[SeveritySetting]) -> RuleSet:
    """``ruleset`` with rules made ``error`` or ``warning``, or dropped (``off``), the last
    matching setting winning per rule. A pattern that names no rule is an error at its place
    (a typo must not silently report everything)."""
    if not settings:
        return ruleset
    for setting in settings:
        if not ID_GLOB.fullmatch(setting.pattern):
            raise RuleFileError(
                setting.file,
                setting.line,
                f"{setting.pattern!r} is no rule id or glob of ids (lower-case words, dots, *)",
            )
        if setting.severity not in (*SEVERITIES, "off"):
            raise RuleFileError(
                setting.file,
                setting.line,
                f"severity must be error, warning or off, not {setting.severity!r}",
            )
        if not any(fnmatch.fnmatchcase(rule_id, setting.pattern) for rule_id in ruleset.rules):
            raise RuleFileError(
                setting.file, setting.line, f"{setting.pattern!r} matches no rule id"
            )
    table: dict[str, Rule | None] = {}
    for rule_id, rule in ruleset.rules.items():
        severity = None
        for setting in settings:
            if fnmatch.fnmatchcase(rule_id, setting.pattern):
                severity = setting.severity
        if severity == "off":
            table[rule_id] = None
        elif severity is not None and severity != rule.severity:
            table[rule_id] = rule.replace(severity=severity)
    if not table:
        return ruleset
    return relink(ruleset, lambda rule: table.get(rule.id, rule))
