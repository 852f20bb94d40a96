"""The third writer of the compiled rules: a JSON Schema (Draft 2020-12) for each endpoint's body.

The schema is for editors and web frameworks: completion, hover text and a first line of
checking. It must never be stricter than the API, so each rule is written only where JSON
Schema says exactly what the rule's check says (``exact``) or says less (``looser``: the schema
accepts some values the rule refuses, never the reverse). Everything else (comparisons between
fields, rules that read the context, guarded rules, warnings) is listed under ``x-ixrules`` as
not expressed, with the reason. ``null`` and ``false`` mean absent to the API, so every value
constraint accepts them; unknown keys are dropped by the API, not refused, so objects stay open.

Each rule written carries its id (``x-ixrules-rule``) and ajv-errors' ``errorMessage`` (the
API's message, ``{value}`` written ``${0}``), so a JavaScript validator can answer with the
API's words too. What each check says in JSON Schema is its registration's ``json_schema``
fact (see :mod:`ixrules.checks.schemaforms`); this module assembles them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .checks import Check, lookup
from .checks.schemaforms import ABSENT, Expressed
from .messages import translate
from .model import UNKNOWN_KEY_RULE, EndpointSpec, FieldSpec, Rule

if TYPE_CHECKING:
    from .api import Rules

DIALECT = "https://json-schema.org/draft/2020-12/schema"


# --- one endpoint's schema ------------------------------------------------------------------


@dataclass
class _Writing:
    """What one endpoint's schema is written with, the error rules it could not express, and
    where each warning applies (never a constraint: the API accepts those values)."""

    endpoint: EndpointSpec
    locale: str | None
    unknown: Rule | None
    plugins: Mapping[str, Check]
    not_expressed: list[dict[str, str]] = field(default_factory=list)
    warnings: dict[str, list[str]] = field(default_factory=dict)

    def message(self, rule: Rule) -> str:
        return translate(rule.message, self.locale)

    def ajv_message(self, rule: Rule) -> str:
        """The message as ajv-errors writes a template: ``${0}`` is the value."""
        where = "0" if rule.at is None else f"0/{rule.at}"
        return self.message(rule).replace("{value}", "${" + where + "}")

    def entry(
        self, rule: Rule, path: str, expressed: str, note: str = "", **more: Any
    ) -> dict[str, Any]:
        out: dict[str, Any] = {"id": rule.id, "message": self.message(rule)}
        if rule.severity != "error":
            out["severity"] = rule.severity
        out["expressed"] = expressed
        if note:
            out["note"] = note
        out.update(more)
        if expressed == "no" and rule.severity != "error":
            self.warnings.setdefault(rule.id, []).append(path)
        elif expressed == "no":
            self.not_expressed.append({"id": rule.id, "path": path, "why": note})
        return out


def _rule_schema(rule: Rule, expressed: Expressed, writing: _Writing) -> dict[str, Any]:
    keywords = dict(expressed.keywords)
    if not expressed.typed:
        body = keywords
    elif list(keywords) == ["anyOf"]:
        body = {"anyOf": [ABSENT, *keywords["anyOf"]]}
    else:
        body = {"anyOf": [ABSENT, keywords]}
    return {"x-ixrules-rule": rule.id, **body, "errorMessage": writing.ajv_message(rule)}


def _description(spec: FieldSpec, rules: list[Rule]) -> str:
    docs = [rule.doc.strip() for rule in rules if rule.doc and not rule.id.startswith("kind.")]
    if not docs:
        docs = [rule.doc.strip() for rule in rules if rule.doc]
    if spec.required is not None and spec.required.doc and spec.required not in rules:
        docs.append(spec.required.doc.strip())
    return " ".join(dict.fromkeys(docs))


def _node(
    spec: FieldSpec, path: str, writing: _Writing, above: frozenset[int], required: Rule | None
) -> dict[str, Any]:
    """The schema of one spec of the tree (recursively): its own rules, its fields or items."""
    if id(spec) in above:  # a fragment that holds itself: accept anything below
        return {}
    above = above | {id(spec)}
    mode = writing.endpoint.mode
    out: dict[str, Any] = {}
    entries: list[dict[str, Any]] = []
    constraints: list[dict[str, Any]] = []
    hints: dict[str, Any] = {}
    rules = [rule for rule in spec.rules if rule.applies_in(mode)]
    preempting: Rule | None = None
    for rule in rules:
        check = lookup(rule.check, writing.plugins) if rule.check is not None else None
        result = (
            check.schema_form(rule.args) if check is not None else "a check ixrules does not write"
        )
        if rule.needs:
            why = f"needs the context's {', '.join(rule.needs)}"
        elif rule.when is not None:
            why = f"checked only when its guard ({rule.when[0]}) holds"
        elif rule.severity != "error":
            why = "a warning: the API accepts the value"
        elif preempting is not None:
            why = f"not checked when the warning {preempting.id} before it fails"
        else:
            why = result if isinstance(result, str) else ""
        if why:
            entries.append(writing.entry(rule, path, "no", why))
        else:
            assert isinstance(result, Expressed)
            if result.exact:
                entries.append(writing.entry(rule, path, "exact"))
            else:
                looser = {"looser_for": list(result.looser_for)}
                entries.append(writing.entry(rule, path, "looser", result.note, **looser))
            constraints.append(_rule_schema(rule, result, writing))
        if rule.severity != "error" and rule.stop and preempting is None:
            preempting = rule
        if isinstance(result, Expressed):
            hints = {**result.hints, **hints}
    if required is not None:
        note = "a missing key, null and false are refused"
        entries.insert(0, writing.entry(required, path, "exact", note, required=True))
        constraints.insert(
            0,
            {
                "x-ixrules-rule": required.id,
                "not": ABSENT,
                "errorMessage": writing.ajv_message(required),
            },
        )
    description = _description(spec, rules)
    if description:
        out["description"] = description
    out.update(hints)
    if constraints:
        out["allOf"] = constraints
    if spec.fields is not None:
        properties: dict[str, Any] = {}
        names: list[str] = []
        messages: dict[str, str] = {}
        for name, child in spec.fields.items():
            needed = child.required
            if needed is not None and not (mode != "update" and needed.applies_in(mode)):
                needed = None
            properties[name] = _node(child, f"{path}/{name}", writing, above, needed)
            if needed is not None:
                names.append(name)
                messages[name] = writing.ajv_message(needed)
        out["properties"] = properties
        if names:
            out["required"] = names
            out["errorMessage"] = {"required": messages}
        if not spec.open and writing.unknown is not None:
            note = "a warning: the API drops the key without refusing the body"
            entries.append(writing.entry(writing.unknown, path, "no", note))
    if spec.each is not None:
        out["items"] = _node(spec.each, f"{path}/*", writing, above, None)
    if spec.invalid is not None:
        note = "refused whenever something inside is refused"
        entries.append(writing.entry(spec.invalid, path, "implied", note))
    if entries:
        out["x-ixrules"] = {"rules": entries}
    return out


def json_schema(rules: Rules, endpoint: str, *, locale: str | None = None) -> dict[str, Any]:
    """The JSON Schema (Draft 2020-12) of ``endpoint``'s bodies, messages in ``locale``'s
    language; see the module's docstring for what it says and what it leaves to ixrules."""
    spec = rules.endpoint(endpoint)
    ruleset = rules.ruleset
    writing = _Writing(spec, locale, ruleset.rules.get(UNKNOWN_KEY_RULE), ruleset.checks)
    body = _node(spec.body, "", writing, frozenset(), None)
    title = f"{spec.name}: {spec.method} {spec.route}"
    out: dict[str, Any] = {"$schema": DIALECT, "title": title}
    if spec.doc:
        out["description"] = spec.doc.strip()
    out["type"] = "object"
    if spec.wrapped:
        rooted = {"type": "object", **body}
        out["properties"] = {root: rooted for root in spec.roots}
        if len(spec.roots) == 1:
            out["required"] = list(spec.roots)
        else:
            out["oneOf"] = [{"required": [root]} for root in spec.roots]
    else:
        out.update({key: value for key, value in body.items() if key != "x-ixrules"})
    out["x-ixrules"] = {
        "endpoint": spec.name,
        "method": spec.method,
        "route": spec.route,
        "mode": spec.mode,
        "not_expressed": writing.not_expressed,
        "warnings": writing.warnings,
        **(
            {"rules": body["x-ixrules"]["rules"]}
            if not spec.wrapped and "x-ixrules" in body
            else {}
        ),
    }
    return out


def dumps(schema: Any, indent: str = "") -> str:
    """A schema as indented JSON, with lists of plain values on one line (an enum, a list of
    required keys) so the file reads well in an editor.

    >>> print(dumps({"enum": [None, False], "not": {"type": "array"}}))
    {
      "enum": [null, false],
      "not": {"type": "array"}
    }
    """
    import json

    inner = indent + "  "
    plain = isinstance(schema, Mapping) and all(
        not isinstance(value, (Mapping, list))
        or (isinstance(value, list) and not any(isinstance(v, (Mapping, list)) for v in value))
        for value in schema.values()
    )
    if plain and schema:
        line = json.dumps(schema, ensure_ascii=False, separators=(", ", ": "))
        if len(line) + len(indent) <= 100:
            return line
    if isinstance(schema, Mapping) and schema:
        items = [
            f"{inner}{json.dumps(key)}: {dumps(value, inner)}" for key, value in schema.items()
        ]
        return "{\n" + ",\n".join(items) + "\n" + indent + "}"
    if isinstance(schema, list) and schema:
        if all(not isinstance(item, (Mapping, list)) for item in schema):
            return "[" + ", ".join(json.dumps(item, ensure_ascii=False) for item in schema) + "]"
        return (
            "[\n" + ",\n".join(inner + dumps(item, inner) for item in schema) + "\n" + indent + "]"
        )
    return json.dumps(schema, ensure_ascii=False)
