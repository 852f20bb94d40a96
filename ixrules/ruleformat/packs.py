"""Rule packs layered over the rules loaded before them.

Before anything is built, every file's rule definitions are claimed by id (:func:`claim_ids`):
the first definition of an id needs no ``override``, every later one must be a pack's that
says ``override: true`` (a shipped file defining an id twice is reported while building, in
the order built), and the last one holds the id everywhere it is used. While building, a pack
extends what is already defined (:func:`extend`): a fragment it names again, and the body of
an endpoint it names again (:func:`extend_endpoints`). After building, an override that
replaced nothing is an error (:meth:`Claims.check_used`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from ..model import EndpointSpec, FieldSpec, Rule
from .errors import RuleFileError, did_you_mean
from .grammar import EXTENSION_KEYS, FIELD_KEYS, check_keys
from .reading import ParsedFile, YMap, line_of

if TYPE_CHECKING:
    from .fields import Fields

__all__ = ["Claims", "claim_ids", "extend", "extend_endpoints"]


@dataclasses.dataclass
class Claims:
    """Who may define each rule id, and who holds it, by rule id."""

    #: The definitions of each id that may be built (a shipped id defined twice has none of
    #: its shipped ones: the second one built is reported).
    allowed: dict[str, list[YMap]] = dataclasses.field(default_factory=dict)
    #: The definition that holds each id: the last pack's override, else the only definition.
    winners: dict[str, YMap] = dataclasses.field(default_factory=dict)
    #: First definitions that say ``override: true`` (file, line, node): each must replace a
    #: field's ``required`` or ``invalid`` rule.
    loose: dict[str, tuple[str, int, YMap]] = dataclasses.field(default_factory=dict)
    #: The ids whose loose override did replace something.
    used: set[str] = dataclasses.field(default_factory=set)

    def allows(self, rule_id: str, node: YMap) -> bool:
        """Whether ``node`` may define ``rule_id`` though a definition of it was built."""
        return any(claimed is node for claimed in self.allowed.get(rule_id, ()))

    def wins(self, rule_id: str, node: YMap) -> bool:
        """Whether the rule ``node`` defines holds ``rule_id`` (no claim: whoever is first)."""
        winner = self.winners.get(rule_id)
        return winner is None or winner is node

    def note_replacement(self, node: YMap) -> None:
        """Note that the rule ``node`` replaces a field's ``required`` or ``invalid`` rule."""
        rule_id = node.get("id")
        if isinstance(rule_id, str):
            loose = self.loose.get(rule_id)
            if loose is not None and loose[2] is node:
                self.used.add(rule_id)

    def check_used(self, known: Iterable[str]) -> None:
        """Raise for the first loose override that replaced nothing, naming the ids of
        ``known`` (the rule set's) closest to it."""
        for rule_id, (file, line, _) in self.loose.items():
            if rule_id not in self.used:
                hint = did_you_mean(rule_id, known)
                raise RuleFileError(
                    file, line, f"override: true, but no rule {rule_id!r} to replace{hint}"
                )


def claim_ids(parsed_files: Iterable[ParsedFile]) -> Claims:
    """Who defines each rule id, checked before anything is built (fragments are built
    lazily, so a pack's override may be read before the rule it replaces): the first
    definition must be no override, every later one must be a pack's override, and the last
    one wins everywhere the id is used."""
    claims = Claims()
    first: dict[str, tuple[str, int]] = {}
    for parsed in parsed_files:
        file = parsed.name
        for node in _rule_nodes(parsed):
            rule_id = node.get("id")
            if not isinstance(rule_id, str):
                continue  # reported when the rule is built
            override = node.get("override") is True
            if rule_id not in first:
                if override:  # may still replace a field's required/invalid rule
                    claims.loose[rule_id] = (file, node.line, node)
                first[rule_id] = (file, node.line)
            elif not parsed.pack:  # reported while building, in the order built
                winner = claims.winners.pop(rule_id, None)
                allowed = claims.allowed.get(rule_id, [])
                claims.allowed[rule_id] = [claimed for claimed in allowed if claimed is not winner]
                continue
            elif not override:
                where = "{}:{}".format(*first[rule_id])
                raise RuleFileError(
                    file,
                    node.line,
                    f"rule id {rule_id!r} already defined at {where}; "
                    "give override: true to replace it",
                )
            claims.winners[rule_id] = node
            claims.allowed.setdefault(rule_id, []).append(node)
    return claims


def _rule_nodes(parsed: ParsedFile) -> list[YMap]:
    """Every rule mapping of a file, by position: shared rules, and the ``rules``,
    ``required`` and ``invalid`` of every field spec (fragments, ``each``, ``fields`` and an
    action's ``extend``)."""
    data = parsed.data
    stack: list[Any] = (
        list(data.get("fragments", {}).values()) if isinstance(data.get("fragments"), dict) else []
    )
    for entry in data.get("endpoints", ()) if isinstance(data.get("endpoints"), list) else ():
        actions = entry.get("actions") if isinstance(entry, dict) else None
        for spec in actions.values() if isinstance(actions, dict) else ():
            if isinstance(spec, dict) and isinstance(spec.get("extend"), dict):
                stack.append(spec["extend"])
    shared = data.get("rules")
    out = [node for node in shared if isinstance(node, YMap)] if isinstance(shared, list) else []
    while stack:
        spec = stack.pop()
        if not isinstance(spec, YMap):
            continue
        for key in ("required", "invalid"):
            if isinstance(spec.get(key), YMap):
                out.append(spec[key])
        if isinstance(spec.get("rules"), list):
            out.extend(node for node in spec["rules"] if isinstance(node, YMap))
        if isinstance(spec.get("fields"), dict):
            stack.extend(spec["fields"].values())
        stack.append(spec.get("each"))
    return out


def extend(fields: Fields, base: FieldSpec, file: str, node: YMap) -> FieldSpec:
    """``base`` with a pack's additions: rules appended (or replaced in place by an
    override of the same id), fields merged, ``required``/``invalid`` set where there is
    none or replaced by a rule that says ``override: true``."""
    check_keys(file, node, FIELD_KEYS, "field")
    if "use" in node:
        raise RuleFileError(
            file, line_of(node, "use"), "a field that is already defined cannot 'use' another"
        )
    table = fields.table
    rules = list(base.rules)
    for index in range(len(node.get("rules", ()))):
        rule = table.entry(file, node["rules"], index)
        same = [i for i, old in enumerate(rules) if old.id == rule.id]
        if same:
            rules[same[0]] = rule
        else:
            rules.append(rule)
    required = _replaced(fields, file, node, "required", base.required, tuple(rules))
    invalid = _replaced(fields, file, node, "invalid", base.invalid, tuple(rules))
    children = dict(base.fields) if base.fields is not None else None
    if "fields" in node:
        children = children or {}
        for name, child in fields.children(file, node):
            old = children.get(name)
            if old is None and base.fields is not None and not base.open:
                raise RuleFileError(
                    file,
                    line_of(node["fields"], name),
                    f"no field {name!r} to extend: the object has no such key (the API drops "
                    f"keys it does not know){did_you_mean(name, base.fields)}",
                )
            children[name] = (
                fields.field(file, child) if old is None else extend(fields, old, file, child)
            )
    each = base.each
    if "each" in node:
        each = (
            fields.field(file, node["each"])
            if each is None
            else extend(fields, each, file, node["each"])
        )
    ordered = (
        *[rule for rule in rules if not rule.id.startswith("kind.")],
        *[rule for rule in rules if rule.id.startswith("kind.")],
    )
    return fields.spec(file, node, base, ordered, required, children, each, invalid)


def _replaced(
    fields: Fields, file: str, node: YMap, key: str, old: Rule | None, local: tuple[Rule, ...]
) -> Rule | None:
    """A field's ``required`` or ``invalid`` rule once a pack's node is layered on it."""
    if key not in node:
        return old
    value = node[key]
    if old is not None and not (isinstance(value, YMap) and value.get("override") is True):
        raise RuleFileError(
            file,
            line_of(node, key),
            f"this field already has the {key} rule {old.id!r} ({old.origin}); "
            "give the new one override: true to replace it",
        )
    if isinstance(value, YMap):
        fields.table.claims.note_replacement(value)
    return fields.table.rule_or_ref(file, node, key, local)


def extend_endpoints(
    fields: Fields,
    file: str,
    entry: YMap,
    spec: YMap,
    action: str,
    known: Mapping[str, EndpointSpec],
    sites: Mapping[str, str],
) -> list[EndpointSpec]:
    """A pack's action of endpoints that exist: each body extended with ``extend`` (a body
    the endpoints share, extended once and still shared)."""
    names = [f"{path}.{action}" for path in entry["paths"]]
    missing = [name for name in names if name not in known]
    if missing:
        raise RuleFileError(
            file,
            line_of(entry),
            f"endpoint {missing[0]!r} is new but {names[0]!r} exists: give them apart",
        )
    for key in spec:
        if key not in EXTENSION_KEYS:
            raise RuleFileError(
                file,
                line_of(spec, key),
                f"endpoint {names[0]!r} is already defined at {sites.get(names[0], '?')}: "
                f"a pack may only 'extend' its body, not give {key!r}",
            )
    if "extend" not in spec:
        raise RuleFileError(file, line_of(spec), f"action {action!r} extends nothing")
    extended: list[tuple[FieldSpec, FieldSpec]] = []  # each body met, and it extended
    out = []
    for name in names:
        base = known[name].body
        body = next((new for old, new in extended if old is base), None)
        if body is None:
            body = extend(fields, base, file, spec["extend"])
            extended.append((base, body))
        out.append(known[name].replace(body=body))
    return out
