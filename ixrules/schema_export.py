"""The third writer of the compiled rules: a JSON Schema (Draft 2020-12) for each endpoint's body.

The schema is for editors and web frameworks: completion, hover text and a first line of
checking. It must never be stricter than the API, so each rule is written only where JSON
Schema says exactly what the rule's check says (``exact``) or says less (``looser``: the schema
accepts some values the rule refuses, never the reverse). Everything else (comparisons between
fields, rules that read the context, guarded rules, warnings) is left to ixrules. ``null`` and
``false`` mean absent to the API, so every value constraint accepts them; unknown keys are
dropped by the API, not refused, so objects stay open. A rule after one that stops the field's
checks when it fails is written to apply only when that one passes, as ixrules runs them.

The schema holds only standard keywords and ajv-errors' ``errorMessage``, so it compiles in
Ajv's strict mode as it does in any 2020-12 validator: each object's and array's keywords sit
under ``if`` its type ``then`` (Ajv's strict types), each rule's constraint names its rule in
its ``$comment``, and each node's ``$comment`` says how its rules are written. The same
account as data (how each rule is written, the rules left out and why, where each warning
applies) is :func:`json_schema_notes`.

Each rule written carries ajv-errors' ``errorMessage``, the API's message, so a JavaScript
validator answers with the API's words; a message that shows the value (``{value}``) has none,
since ajv-errors prints a string value in JSON quotes (``Unit "kg" ...``) where the API does
not. What each check says in JSON Schema is its registration's ``json_schema`` fact (see
:mod:`ixrules.checks.schemaforms`); this module assembles them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .checks import Check, lookup
from .checks.schemaforms import ABSENT, Expressed, for_type
from .messages import translate
from .model import UNKNOWN_KEY_RULE, EndpointSpec, FieldSpec, Rule

if TYPE_CHECKING:
    from .api import Rules

__all__ = ["DIALECT", "dumps", "json_schema", "json_schema_notes"]

DIALECT = "https://json-schema.org/draft/2020-12/schema"


# --- one endpoint's schema ------------------------------------------------------------------


@dataclass
class _Writing:
    """What one endpoint's schema is written with, and the account of it: how each rule is
    written, by the path of its field; the error rules it could not express; and where each
    warning applies (never a constraint: the API accepts those values)."""

    endpoint: EndpointSpec
    locale: str | None
    unknown: Rule | None
    plugins: Mapping[str, Check]
    rules: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    not_expressed: list[dict[str, str]] = field(default_factory=list)
    warnings: dict[str, list[str]] = field(default_factory=dict)

    def message(self, rule: Rule) -> str:
        return translate(rule.message, self.locale)

    def error_message(self, rule: Rule) -> dict[str, str]:
        """ajv-errors' ``errorMessage`` for the rule: its message, unless it shows the value
        (ajv-errors would print a string value quoted, which the API does not)."""
        message = self.message(rule)
        return {} if "{value}" in rule.message else {"errorMessage": message}

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
        if expressed in ("exact", "looser") and "{value}" in rule.message:
            out["error_message"] = False
        if expressed == "no" and rule.severity != "error":
            self.warnings.setdefault(rule.id, []).append(path)
        elif expressed == "no":
            self.not_expressed.append({"id": rule.id, "path": path, "why": note})
        self.rules.setdefault(path, []).append(out)
        return out


def _keywords(expressed: Expressed) -> dict[str, Any]:
    """A check's keywords, ``null`` and ``false`` let through (they mean absent)."""
    keywords = dict(expressed.keywords)
    if not expressed.typed:
        return keywords
    if list(keywords) == ["anyOf"]:
        return {"anyOf": [ABSENT, *keywords["anyOf"]]}
    return {"anyOf": [ABSENT, keywords]}


def _rule_schema(
    rule: Rule, keywords: dict[str, Any], passed: list[dict[str, Any]], writing: _Writing
) -> dict[str, Any]:
    """A rule's constraint: its keywords, checked only when the rules before it that stop the
    field's checks (``passed``) pass, as ixrules checks it."""
    if passed:
        condition = passed[0] if len(passed) == 1 else {"allOf": list(passed)}
        keywords = {"if": condition, "then": keywords}
    return {"$comment": f"rule {rule.id}", **keywords, **writing.error_message(rule)}


def _description(spec: FieldSpec, rules: list[Rule]) -> str:
    docs = [rule.doc.strip() for rule in rules if rule.doc and not rule.id.startswith("kind.")]
    if not docs:
        docs = [rule.doc.strip() for rule in rules if rule.doc]
    if spec.required is not None and spec.required.doc and spec.required not in rules:
        docs.append(spec.required.doc.strip())
    return " ".join(dict.fromkeys(docs))


def _comment(entries: list[dict[str, Any]]) -> str:
    """How a node's rules are written, for whoever reads the schema."""
    said = []
    for entry in entries:
        if "severity" in entry:
            said.append(f"{entry['id']} ({entry['severity']}, never refused)")
            continue
        note = f": {entry['note']}" if entry.get("note") else ""
        said.append(f"{entry['id']} ({entry['expressed']}{note})")
    return "ixrules: " + "; ".join(said)


def _node(
    spec: FieldSpec, path: str, writing: _Writing, above: frozenset[int], required: Rule | None
) -> dict[str, Any]:
    """The schema of one spec of the tree (recursively): its own rules, its fields or items."""
    if id(spec) in above:  # a fragment that holds itself: accept anything below
        return {}
    above = above | {id(spec)}
    mode = writing.endpoint.mode
    out: dict[str, Any] = {}
    start = len(writing.rules.get(path, ()))
    if required is not None:
        note = "a missing key, null and false are refused"
        writing.entry(required, path, "exact", note, required=True)
    constraints: list[dict[str, Any]] = []
    passed: list[dict[str, Any]] = []  # the constraints of the stopping rules written so far
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
            severity = "warning" if preempting.severity != "error" else "rule"
            why = f"not checked when the {severity} {preempting.id} before it fails"
        else:
            why = result if isinstance(result, str) else ""
        if why:
            writing.entry(rule, path, "no", why)
        else:
            assert isinstance(result, Expressed)
            if result.exact:
                writing.entry(rule, path, "exact")
            else:
                looser = {"looser_for": list(result.looser_for)}
                writing.entry(rule, path, "looser", result.note, **looser)
            keywords = _keywords(result)
            constraints.append(_rule_schema(rule, keywords, passed, writing))
            if rule.stop:
                passed.append(keywords)
        stops = rule.stop and (rule.severity != "error" or (why and not rule.needs))
        if stops and preempting is None:
            preempting = rule
        if isinstance(result, Expressed):
            hints = {**result.hints, **hints}
    if required is not None:
        needed = {"$comment": f"rule {required.id}", "not": ABSENT}
        constraints.insert(0, {**needed, **writing.error_message(required)})
    description = _description(spec, rules)
    if description:
        out["description"] = description
    out.update(hints)
    if constraints:
        out["allOf"] = constraints
    shapes: list[dict[str, Any]] = []
    if spec.fields is not None:
        properties: dict[str, Any] = {}
        names: list[str] = []
        messages: dict[str, str] = {}
        for name, child in spec.fields.items():
            needed_rule = child.required
            if needed_rule is not None and not (mode != "update" and needed_rule.applies_in(mode)):
                needed_rule = None
            properties[name] = _node(child, f"{path}/{name}", writing, above, needed_rule)
            if needed_rule is not None:
                names.append(name)
                message = writing.error_message(needed_rule).get("errorMessage")
                if message is not None:
                    messages[name] = message
        contents: dict[str, Any] = {"properties": properties}
        if names:
            contents["required"] = names
            if messages:
                contents["errorMessage"] = {"required": messages}
        shapes.append(for_type("object", contents))
        if not spec.open and writing.unknown is not None:
            note = "a warning: the API drops the key without refusing the body"
            writing.entry(writing.unknown, path, "no", note)
    if spec.each is not None:
        items = _node(spec.each, f"{path}/*", writing, above, None)
        shapes.append(for_type("array", {"items": items}))
    if spec.invalid is not None:
        note = "refused whenever something inside is refused"
        writing.entry(spec.invalid, path, "implied", note)
    if shapes:
        out.update(shapes[0])
    if shapes[1:]:
        out.setdefault("allOf", []).extend(shapes[1:])
    mine = writing.rules.get(path, [])[start:]
    if mine:  # said after the description, before the keywords
        described = {"description": out.pop("description")} if "description" in out else {}
        out = {**described, "$comment": _comment(mine), **out}
    return out


def _written(rules: Rules, endpoint: str, locale: str | None) -> tuple[dict[str, Any], _Writing]:
    """An endpoint's schema, and the account of how it was written."""
    spec = rules.endpoint(endpoint)
    ruleset = rules.ruleset
    writing = _Writing(spec, locale, ruleset.rules.get(UNKNOWN_KEY_RULE), ruleset.checks)
    body = _node(spec.body, "", writing, frozenset(), None)
    title = f"{spec.name}: {spec.method} {spec.route}"
    out: dict[str, Any] = {"$schema": DIALECT, "title": title}
    if spec.doc:
        out["description"] = spec.doc.strip()
    left = [f"{item['id']} at {item['path'] or '/'}" for item in writing.not_expressed]
    out["$comment"] = (
        f"ixrules {spec.name} ({spec.mode}): "
        + (f"left to ixrules: {', '.join(left)}; " if left else "")
        + f"warnings, never constraints: {', '.join(writing.warnings) or 'none'}"
    )
    out["type"] = "object"
    if not spec.wrapped:
        out.update(_typed(body, "object"))
    elif len(spec.roots) == 1:
        out["properties"] = {spec.roots[0]: {"type": "object", **_typed(body, "object")}}
        out["required"] = list(spec.roots)
    else:  # one root key holds the body; the others may be sent null (or false)
        rooted = {"anyOf": [ABSENT, {"type": "object"}], **body}
        out["properties"] = {root: rooted for root in spec.roots}
        out["oneOf"] = [
            {"properties": {root: {"not": ABSENT}}, "required": [root]} for root in spec.roots
        ]
    return out, writing


def _typed(body: dict[str, Any], kind: str) -> dict[str, Any]:
    """A node's keywords where its type is known to be ``kind``: its contents beside the
    type, not under ``if``."""
    out = {key: value for key, value in body.items() if key not in ("if", "then")}
    if body.get("if") == {"type": kind}:
        then = {key: value for key, value in body["then"].items() if key != "type"}
        out.update(then)
    return out


def json_schema(rules: Rules, endpoint: str, *, locale: str | None = None) -> dict[str, Any]:
    """The JSON Schema (Draft 2020-12) of ``endpoint``'s bodies, messages in ``locale``'s
    language; see the module's docstring for what it says and what it leaves to ixrules."""
    return _written(rules, endpoint, locale)[0]


def json_schema_notes(rules: Rules, endpoint: str, *, locale: str | None = None) -> dict[str, Any]:
    """How :func:`json_schema` wrote ``endpoint``'s rules, as data for tools: ``rules``, each
    field's rules by the path of the field below the root value (``/items/*/unit``) with how
    each is written (``exact``, ``looser`` with what it lets through, ``no`` with why,
    ``implied``); ``not_expressed``, the error rules left to ixrules; ``warnings``, where each
    warning applies (a warning is never a constraint).

    >>> import ixrules
    >>> notes = json_schema_notes(ixrules.Rules.load(), "items.create")
    >>> [(rule["id"], rule["expressed"]) for rule in notes["rules"]["/unit"]]
    [('item.unit.accepted', 'exact'), ('kind.text', 'no')]
    """
    spec = rules.endpoint(endpoint)
    writing = _written(rules, endpoint, locale)[1]
    return {
        "endpoint": spec.name,
        "method": spec.method,
        "route": spec.route,
        "mode": spec.mode,
        "rules": writing.rules,
        "not_expressed": writing.not_expressed,
        "warnings": writing.warnings,
    }


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
