"""Rule nodes into rules: each node held to the grammar, built once, and kept by its id."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..context import KEYS as CONTEXT_KEYS
from ..model import SEVERITIES, SOURCES, Rule
from .errors import RuleFileError, did_you_mean
from .grammar import (
    MODES,
    PACK_RULE_KEYS,
    RULE_KEYS,
    RULE_REQUIRED,
    RULE_STATUSES,
    WHEN_KEYS,
    check_keys,
    check_message,
    valid_rule_id,
)
from .reading import YList, YMap, line_of

if TYPE_CHECKING:
    from .packs import Claims
    from .plugins import CheckResolver

__all__ = ["RuleTable", "make_rule"]


@dataclass(frozen=True)
class _Site:
    """Where the rule that holds an id was defined."""

    file: str
    line: int
    node: YMap


class RuleTable:
    """The rules of one set of files, by id. Each definition is built once (a field spec that
    is extended for several endpoints reaches its rules again); a second definition of an id is
    refused unless the packs' claims allow it, and the claimed winner holds the id."""

    def __init__(self, claims: Claims, resolver: CheckResolver) -> None:
        self.claims = claims
        self.resolver = resolver
        self.rules: dict[str, Rule] = {}
        self.sites: dict[str, _Site] = {}

    def entry(self, file: str, rules: YList, index: int) -> Rule:
        """The rule of a ``rules`` list entry: a rule defined in place, or the id of a rule
        defined before."""
        node = rules[index]
        line = line_of(rules, index)
        if isinstance(node, str):
            if node in self.rules:
                return self.rules[node]
            hint = did_you_mean(node, self.rules)
            raise RuleFileError(file, line, f"rule {node!r} is not defined (yet){hint}")
        if not isinstance(node, YMap):
            raise RuleFileError(file, line, "a rule must be a mapping or a rule id")
        return self.define(file, node, line)

    def rule_or_ref(self, file: str, node: YMap, key: str, local: tuple[Rule, ...]) -> Rule:
        """The rule of a field's ``required`` (or a pack's ``invalid``): defined in place, or
        the id of one of the field's own rules or of a rule defined before."""
        value = node[key]
        line = line_of(node, key)
        if isinstance(value, str):
            for rule in local:
                if rule.id == value:
                    return rule
            if value in self.rules:
                return self.rules[value]
            hint = did_you_mean(value, [*(rule.id for rule in local), *self.rules])
            raise RuleFileError(
                file, line, f"{key} refers to rule {value!r}, which is not defined{hint}"
            )
        return self.define(file, value, line)

    def define(self, file: str, node: YMap, line: int) -> Rule:
        """The rule a rule node defines, built the first time the node is reached."""
        if not isinstance(node, YMap):
            raise RuleFileError(file, line, "a rule must be a mapping")
        pack = file in self.resolver.packs
        allowed = PACK_RULE_KEYS if pack else RULE_KEYS
        check_keys(file, node, allowed, "rule", required=RULE_REQUIRED)
        rule_id = node["id"]
        site = self.sites.get(rule_id)
        if site is not None:
            if site.node is node:
                return self.rules[rule_id]
            if not self.claims.allows(rule_id, node):
                raise RuleFileError(
                    file,
                    node.line,
                    f"rule id {rule_id!r} already defined at {site.file}:{site.line}",
                )
        rule = make_rule(file, node, pack, self.resolver)
        if self.claims.wins(rule_id, node) or rule_id not in self.rules:
            self.rules[rule_id] = rule  # a replaced rule stands in until its override is built
            self.sites[rule_id] = _Site(file, node.line, node)
        return rule


def make_rule(file: str, node: YMap, pack: bool, resolver: CheckResolver) -> Rule:
    """The rule of a node whose keys are checked: its id, message, check, condition, context
    needs, modes, source, severity and status each checked."""
    rule_id = node["id"]
    if not valid_rule_id(rule_id):
        raise RuleFileError(
            file, line_of(node, "id"), f"rule id {rule_id!r} must be dotted lower-case words"
        )
    message, translations = check_message(file, node)
    check_name = node.get("check")
    args = _plain(dict(node.get("args", {})))  # plain data: a loaded rule set pickles
    if check_name is None and args:
        raise RuleFileError(file, line_of(node, "args"), "args given without a check")
    if check_name is not None:
        resolver.check_call(file, line_of(node, "check"), check_name, args)
    when = None
    if "when" in node:
        when_node = node["when"]
        check_keys(file, when_node, WHEN_KEYS, "when", required=("check",))
        when_args = _plain(dict(when_node.get("args", {})))
        resolver.check_call(file, line_of(when_node, "check"), when_node["check"], when_args)
        when = (when_node["check"], when_args)
    needs = tuple(node.get("needs", ()))
    for key in needs:
        if not isinstance(key, str) or key not in CONTEXT_KEYS:
            raise RuleFileError(file, line_of(node, "needs"), f"needs unknown context key {key!r}")
    modes = None
    if "modes" in node:
        bad = [mode for mode in node["modes"] if mode not in MODES]
        if bad or not node["modes"]:
            raise RuleFileError(file, line_of(node, "modes"), f"modes must be among {MODES}")
        modes = frozenset(node["modes"])
    source = node.get("source", "user" if pack else "seed")
    if source not in SOURCES:
        raise RuleFileError(file, line_of(node, "source"), f"source must be one of {SOURCES}")
    severity = node.get("severity", "error")
    if severity not in SEVERITIES:
        raise RuleFileError(
            file, line_of(node, "severity"), f"severity must be one of {SEVERITIES}"
        )
    if severity == "warning" and "source" not in node and not pack:
        source = "ixrules"
    status = node.get("status", 422)
    if status not in RULE_STATUSES:
        raise RuleFileError(
            file,
            line_of(node, "status"),
            f"status must be one of {', '.join(map(str, RULE_STATUSES))}",
        )
    return Rule(
        id=rule_id,
        message=message,
        check=check_name,
        args=args,
        when=when,
        needs=needs,
        modes=modes,
        at=node.get("at"),
        source=source,
        status=status,
        stop=node.get("stop", True),
        severity=severity,
        doc=node.get("doc", ""),
        example=_plain(node["example"]) if "example" in node else None,
        origin=f"{file if pack else Path(file).name}:{node.line}",
        translations=translations,
    )


def _plain(value: Any) -> Any:
    """``value`` as plain dicts and lists (no YMap/YList): what a loaded rule set keeps, so it
    pickles without the YAML reader."""
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value
