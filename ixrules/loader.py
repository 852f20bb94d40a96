"""Rule files -> rule model, checked against the rule format's meta-schema.

A rule directory holds YAML files, each with ``fragments`` (named field specs, shared by every
file and referenced with ``use``) and ``endpoints``. Everything wrong with a file is reported
as a RuleFileError naming the file and line: unknown or mistyped keys, checks the registry
does not have, arguments a check does not take, fragments that do not exist or use themselves,
messages with placeholders other than ``{value}``, and rule ids defined twice.
"""

from __future__ import annotations

import inspect
import string
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .checks import CHECKS
from .context import KEYS as CONTEXT_KEYS
from .model import (
    KINDS,
    SEVERITIES,
    SOURCES,
    UNKNOWN_KEY_RULE,
    EndpointSpec,
    FieldSpec,
    Rule,
    RuleSet,
    singular,
)
from .yamlsource import RuleFileError, YList, YMap, line_of, load_yaml

__all__ = ["RuleFileError", "load_rule_dir", "load_rule_texts"]

# The meta-schema: for each kind of node, its keys and the types their values must have.
_FIELD_KEYS: dict[str, tuple[type, ...]] = {
    "use": (str,),
    "required": (str, dict),
    "rules": (list,),
    "fields": (dict,),
    "each": (dict,),
    "invalid": (dict,),
    "kind": (str,),
    "open": (bool,),
    "doc": (str,),
}
_RULE_KEYS: dict[str, tuple[type, ...]] = {
    "id": (str,),
    "message": (str,),
    "check": (str,),
    "args": (dict,),
    "when": (dict,),
    "needs": (list,),
    "modes": (list,),
    "at": (str,),
    "source": (str,),
    "status": (int,),
    "stop": (bool,),
    "severity": (str,),
    "doc": (str,),
    "example": (dict,),
}
_RULE_REQUIRED = ("id", "message")
_WHEN_KEYS: dict[str, tuple[type, ...]] = {"check": (str,), "args": (dict,)}
_ENDPOINT_KEYS: dict[str, tuple[type, ...]] = {
    "paths": (list,),
    "root": (str,),
    "unwrapped": (bool,),
    "actions": (dict,),
    "doc": (str,),
}
_ACTION_KEYS: dict[str, tuple[type, ...]] = {
    "body": (str,),
    "mode": (str,),
    "route": (str,),
    "status": (int,),
    "error_shape": (str,),
    "root": (str,),
    "siblings": (dict,),
    "doc": (str,),
}
_FILE_KEYS: dict[str, tuple[type, ...]] = {
    "rules": (list,),
    "fragments": (dict,),
    "endpoints": (list,),
    "doc": (str,),
}
_MODES = ("create", "update", "action")
#: The statuses a rule may predict: 422 (validation), 404, 406 and 415 (routes, states, media
#: types), and 500 for a value the API is recorded to fail on without a message.
RULE_STATUSES = (422, 404, 406, 415, 500)
_ERROR_SHAPES = ("errors", "message")
_PLACEHOLDERS = frozenset({"value"})

#: How each action is routed when the rule file does not say: method, route, success status.
ACTION_ROUTES: dict[str, tuple[str, str, int]] = {
    "create": ("POST", "/{path}.json", 201),
    "update": ("PUT", "/{path}/{id}.json", 200),
    "change_state": ("PUT", "/{path}/{id}/change-state.json", 200),
    "email": ("PUT", "/{path}/{id}/email-document.json", 200),
}


@dataclass
class _Source:
    """One parsed file and where its nodes are."""

    name: str
    data: YMap


def load_rule_dir(directory: str | Path) -> RuleSet:
    """Load every ``*.yaml`` file of ``directory`` (in name order) into a RuleSet."""
    root = Path(directory)
    if not root.is_dir():
        raise RuleFileError(str(root), 1, "rule directory not found")
    files = sorted(root.glob("*.yaml"))
    if not files:
        raise RuleFileError(str(root), 1, "no *.yaml rule files in this directory")
    texts = []
    for path in files:
        try:
            texts.append((str(path), path.read_text(encoding="utf-8")))
        except (OSError, UnicodeDecodeError) as exc:
            raise RuleFileError(str(path), 1, f"cannot read: {exc}") from None
    return load_rule_texts(texts)


def load_rule_texts(texts: Iterable[tuple[str, str]]) -> RuleSet:
    """Load rule files given as ``(name, text)`` pairs into a RuleSet."""
    sources = []
    for name, text in texts:
        data = load_yaml(text, name)
        if data is None:
            continue
        if not isinstance(data, YMap):
            raise RuleFileError(name, line_of(data), "a rule file is a mapping at the top")
        _check_keys(name, data, _FILE_KEYS, "rule file")
        sources.append(_Source(name, data))
    return _Builder(sources).build()


def _check_keys(
    file: str,
    node: YMap,
    allowed: Mapping[str, tuple[type, ...]],
    kind: str,
    required: Iterable[str] = (),
) -> None:
    for key, value in node.items():
        if key not in allowed:
            known = ", ".join(sorted(allowed))
            raise RuleFileError(
                file, line_of(node, key), f"unknown key {key!r} in {kind} (known: {known})"
            )
        types = allowed[key]
        if (isinstance(value, bool) and bool not in types) or not isinstance(value, types):
            want = " or ".join(_TYPE_NAMES.get(t, t.__name__) for t in types)
            raise RuleFileError(
                file, line_of(node, key), f"{kind} key {key!r} must be {want}, not {value!r}"
            )
    for key in required:
        if key not in node:
            raise RuleFileError(file, line_of(node), f"{kind} lacks the required key {key!r}")


_TYPE_NAMES = {
    str: "a string",
    dict: "a mapping",
    list: "a list",
    int: "an integer",
    bool: "a boolean",
}


class _Builder:
    """Turns parsed files into the model, resolving fragments and rule references."""

    def __init__(self, sources: list[_Source]) -> None:
        self.sources = sources
        self.fragments: dict[str, tuple[str, YMap]] = {}
        self.rules: dict[str, Rule] = {}
        self.rule_sites: dict[str, tuple[str, int, int]] = {}
        self.built: dict[int, FieldSpec] = {}
        self.resolving: list[str] = []
        self.pending_refs: list[tuple[str, int, str]] = []
        self.compact: list[YMap] = []

    def build(self) -> RuleSet:
        for source in self.sources:  # rules of no field first: kinds and fields name them
            shared = source.data.get("rules", YList())
            for index in range(len(shared)):
                if not isinstance(shared[index], YMap):
                    raise RuleFileError(
                        source.name, line_of(shared, index), "a shared rule must be a mapping"
                    )
                self._rule(source.name, shared, index)
        for source in self.sources:
            fragments = source.data.get("fragments", YMap())
            for name, spec in fragments.items():
                line = line_of(fragments, name)
                if not isinstance(spec, YMap):
                    raise RuleFileError(source.name, line, f"fragment {name!r} must be a mapping")
                if name in self.fragments:
                    other = self.fragments[name][0]
                    raise RuleFileError(
                        source.name, line, f"fragment {name!r} also defined in {other}"
                    )
                self.fragments[name] = (source.name, spec)
        endpoints: dict[str, EndpointSpec] = {}
        rule_endpoints: dict[str, list[str]] = {}
        for source in self.sources:
            for index, entry in enumerate(source.data.get("endpoints", YList())):
                for endpoint in self._endpoints(
                    source.name, entry, line_of(source.data["endpoints"], index)
                ):
                    if endpoint.name in endpoints:
                        raise RuleFileError(
                            source.name, line_of(entry), f"endpoint {endpoint.name!r} defined twice"
                        )
                    endpoints[endpoint.name] = endpoint
                    below = [endpoint.body, *endpoint.siblings.values()]
                    for rule in {r.id: r for spec in below for r in _rules_of(spec)}.values():
                        if rule.applies_in(endpoint.mode):
                            rule_endpoints.setdefault(rule.id, []).append(endpoint.name)
                    if UNKNOWN_KEY_RULE in self.rules and _has_closed(endpoint.body):
                        rule_endpoints.setdefault(UNKNOWN_KEY_RULE, []).append(endpoint.name)
        return RuleSet(
            endpoints=endpoints,
            rules=dict(self.rules),
            files=tuple(source.name for source in self.sources),
            rule_endpoints={key: tuple(value) for key, value in rule_endpoints.items()},
        )

    # --- endpoints ------------------------------------------------------------------------

    def _endpoints(self, file: str, entry: Any, line: int) -> list[EndpointSpec]:
        if not isinstance(entry, YMap):
            raise RuleFileError(file, line, "an endpoints entry must be a mapping")
        _check_keys(file, entry, _ENDPOINT_KEYS, "endpoints entry", required=("paths", "actions"))
        paths = entry["paths"]
        if not paths or not all(isinstance(p, str) and p for p in paths):
            raise RuleFileError(file, line_of(entry, "paths"), "paths must be a list of API paths")
        actions = []
        for action, spec in entry["actions"].items():
            action_line = line_of(entry["actions"], action)
            if not isinstance(spec, YMap):
                raise RuleFileError(file, action_line, f"action {action!r} must be a mapping")
            _check_keys(file, spec, _ACTION_KEYS, f"action {action!r}", required=("body",))
            mode = spec.get("mode", "action")
            if mode not in _MODES:
                raise RuleFileError(file, line_of(spec, "mode"), f"mode must be one of {_MODES}")
            shape = spec.get("error_shape", "errors")
            if shape not in _ERROR_SHAPES:
                raise RuleFileError(
                    file,
                    line_of(spec, "error_shape"),
                    f"error_shape must be one of {_ERROR_SHAPES}",
                )
            body = self._fragment(file, line_of(spec, "body"), spec["body"])
            siblings = self._siblings(file, spec)
            actions.append((action, spec, body, mode, shape, siblings))
        out = []
        for path in paths:
            for action, spec, body, mode, shape, siblings in actions:
                method, route, status = self._route(file, spec, action, path)
                roots = self._roots(entry, spec, path)
                if siblings and not roots:
                    raise RuleFileError(
                        file, line_of(spec, "siblings"), "siblings need a root key to sit beside"
                    )
                out.append(
                    EndpointSpec(
                        name=f"{path}.{action}",
                        path=path,
                        action=action,
                        roots=roots,
                        body=body,
                        mode=mode,
                        method=method,
                        route=route.replace("{path}", path),
                        success_status=spec.get("status", status),
                        error_shape=shape,
                        doc=spec.get("doc", entry.get("doc", "")),
                        siblings=siblings,
                    )
                )
        return out

    def _siblings(self, file: str, spec: YMap) -> dict[str, FieldSpec]:
        """An action's ``siblings``: the keys taken beside the root key, each a field spec (or
        a kind alone, as in ``fields``)."""
        node = spec.get("siblings", YMap())
        out = {}
        for name, child in node.items():
            line = line_of(node, name)
            if isinstance(child, str):
                child = self._compact(child, line)
            if not isinstance(child, YMap):
                raise RuleFileError(
                    file, line, f"sibling {name!r} must be a mapping or a kind ({', '.join(KINDS)})"
                )
            out[name] = self._field(file, child)
        return out

    @staticmethod
    def _roots(entry: YMap, spec: YMap, path: str) -> tuple[str, ...]:
        """An action's own ``root`` replaces the entry's; the entry's family ``root`` is
        accepted beside the path's singular; an ``unwrapped`` entry has none."""
        if "root" in spec:
            return (spec["root"],)
        if entry.get("unwrapped", False):
            return ()
        family = [entry["root"]] if "root" in entry else []
        return tuple(dict.fromkeys([*family, singular(path)]))

    def _route(self, file: str, spec: YMap, action: str, path: str) -> tuple[str, str, int]:
        if "route" in spec:
            method, _, route = spec["route"].partition(" ")
            if method not in ("GET", "POST", "PUT", "DELETE") or not route.startswith("/"):
                raise RuleFileError(file, line_of(spec, "route"), "route must read 'METHOD /path'")
            return method, route, 201 if method == "POST" else 200
        if action not in ACTION_ROUTES:
            raise RuleFileError(
                file, line_of(spec), f"action {action!r} has no conventional route: give a route"
            )
        return ACTION_ROUTES[action]

    # --- field specs ----------------------------------------------------------------------

    def _fragment(self, file: str, line: int, name: str) -> FieldSpec:
        if name not in self.fragments:
            raise RuleFileError(file, line, f"no fragment named {name!r}")
        if name in self.resolving:
            cycle = " -> ".join([*self.resolving, name])
            raise RuleFileError(file, line, f"fragment uses itself: {cycle}")
        frag_file, node = self.fragments[name]
        self.resolving.append(name)
        try:
            return self._field(frag_file, node)
        finally:
            self.resolving.pop()

    def _field(self, file: str, node: YMap) -> FieldSpec:
        cached = self.built.get(id(node))
        if cached is not None:
            return cached
        _check_keys(file, node, _FIELD_KEYS, "field")
        base = FieldSpec()
        if "use" in node:
            base = self._fragment(file, line_of(node, "use"), node["use"])
        rules = base.rules
        if "rules" in node:
            rules = rules + tuple(
                self._rule(file, node["rules"], index) for index in range(len(node["rules"]))
            )
        required = base.required
        if "required" in node:
            required = self._rule_or_ref(file, node, "required", rules)
        invalid = base.invalid
        if "invalid" in node:
            invalid = self._rule_at(file, node["invalid"], line_of(node, "invalid"))
        fields = dict(base.fields) if base.fields is not None else None
        if "fields" in node:
            fields = fields or {}
            for name, child in node["fields"].items():
                if isinstance(child, str):  # the compact form: `due_date: date`
                    child = self._compact(child, line_of(node["fields"], name))
                if not isinstance(child, YMap):
                    raise RuleFileError(
                        file,
                        line_of(node["fields"], name),
                        f"field {name!r} must be a mapping or a kind ({', '.join(KINDS)})",
                    )
                fields[name] = self._field(file, child)
        each = base.each
        if "each" in node:
            each = self._field(file, node["each"])
        kind, rules = self._kind(file, node, base, rules, fields, each)
        spec = FieldSpec(
            rules=rules,
            required=required,
            fields=fields,
            each=each,
            invalid=invalid,
            kind=kind,
            open=node.get("open", base.open),
        )
        self.built[id(node)] = spec
        return spec

    def _compact(self, kind: str, line: int) -> YMap:
        """``name: date`` read as ``name: {kind: date}``; kept alive, since ``built`` is keyed
        by the node's id."""
        node = YMap(kind=kind)
        node.line, node.key_lines = line, {"kind": line}
        self.compact.append(node)
        return node

    def _kind(
        self,
        file: str,
        node: YMap,
        base: FieldSpec,
        rules: tuple[Rule, ...],
        fields: Mapping[str, FieldSpec] | None,
        each: FieldSpec | None,
    ) -> tuple[str | None, tuple[Rule, ...]]:
        """The field's kind and its rules with the kind's rule last. An explicit ``kind`` needs
        its rule ``kind.<name>``; an object (``fields``) or array (``each``) is of kind object
        or list when the rule set defines that kind's rule."""
        if "kind" in node:
            kind = node["kind"]
            if kind not in KINDS:
                raise RuleFileError(
                    file,
                    line_of(node, "kind"),
                    f"unknown kind {kind!r} (known: {', '.join(KINDS)})",
                )
            if f"kind.{kind}" not in self.rules:
                raise RuleFileError(
                    file, line_of(node, "kind"), f"kind {kind!r} needs a rule 'kind.{kind}'"
                )
        elif base.kind is not None:
            return base.kind, rules  # the fragment's rules already end with it
        elif fields is not None and "kind.object" in self.rules:
            kind = "object"
        elif each is not None and "kind.list" in self.rules:
            kind = "list"
        else:
            return None, rules
        own = [rule for rule in rules if not rule.id.startswith("kind.")]
        return kind, (*own, self.rules[f"kind.{kind}"])

    def _rule_or_ref(self, file: str, node: YMap, key: str, local: tuple[Rule, ...]) -> Rule:
        value = node[key]
        line = line_of(node, key)
        if isinstance(value, str):
            for rule in local:
                if rule.id == value:
                    return rule
            if value in self.rules:
                return self.rules[value]
            raise RuleFileError(file, line, f"{key} refers to rule {value!r}, which is not defined")
        return self._rule_at(file, value, line)

    def _rule(self, file: str, rules: YList, index: int) -> Rule:
        node = rules[index]
        line = line_of(rules, index)
        if isinstance(node, str):
            if node in self.rules:
                return self.rules[node]
            raise RuleFileError(file, line, f"rule {node!r} is not defined (yet)")
        if not isinstance(node, YMap):
            raise RuleFileError(file, line, "a rule must be a mapping or a rule id")
        return self._rule_at(file, node, line)

    def _rule_at(self, file: str, node: YMap, line: int) -> Rule:
        if not isinstance(node, YMap):
            raise RuleFileError(file, line, "a rule must be a mapping")
        _check_keys(file, node, _RULE_KEYS, "rule", required=_RULE_REQUIRED)
        rule_id = node["id"]
        site = (file, node.line, id(node))
        if rule_id in self.rule_sites:
            first = self.rule_sites[rule_id]
            if first[2] == id(node):
                return self.rules[rule_id]
            raise RuleFileError(
                file, node.line, f"rule id {rule_id!r} already defined at {first[0]}:{first[1]}"
            )
        if not _valid_id(rule_id):
            raise RuleFileError(
                file, line_of(node, "id"), f"rule id {rule_id!r} must be dotted lower-case words"
            )
        _check_message(file, node)
        check_name = node.get("check")
        args = _plain(dict(node.get("args", {})))  # plain data: a loaded rule set pickles
        if check_name is None and args:
            raise RuleFileError(file, line_of(node, "args"), "args given without a check")
        if check_name is not None:
            _check_call(file, line_of(node, "check"), check_name, args)
        when = None
        if "when" in node:
            when_node = node["when"]
            _check_keys(file, when_node, _WHEN_KEYS, "when", required=("check",))
            when_args = _plain(dict(when_node.get("args", {})))
            _check_call(file, line_of(when_node, "check"), when_node["check"], when_args)
            when = (when_node["check"], when_args)
        needs = tuple(node.get("needs", ()))
        for key in needs:
            if key not in CONTEXT_KEYS:
                raise RuleFileError(
                    file, line_of(node, "needs"), f"needs unknown context key {key!r}"
                )
        modes = None
        if "modes" in node:
            bad = [mode for mode in node["modes"] if mode not in _MODES]
            if bad or not node["modes"]:
                raise RuleFileError(file, line_of(node, "modes"), f"modes must be among {_MODES}")
            modes = frozenset(node["modes"])
        source = node.get("source", "seed")
        if source not in SOURCES:
            raise RuleFileError(file, line_of(node, "source"), f"source must be one of {SOURCES}")
        severity = node.get("severity", "error")
        if severity not in SEVERITIES:
            raise RuleFileError(
                file, line_of(node, "severity"), f"severity must be one of {SEVERITIES}"
            )
        if severity == "warning" and "source" not in node:
            source = "ixrules"
        status = node.get("status", 422)
        if status not in RULE_STATUSES:
            raise RuleFileError(
                file,
                line_of(node, "status"),
                f"status must be one of {', '.join(map(str, RULE_STATUSES))}",
            )
        rule = Rule(
            id=rule_id,
            message=node["message"],
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
            origin=f"{Path(file).name}:{node.line}",
        )
        self.rules[rule_id] = rule
        self.rule_sites[rule_id] = site
        return rule


def _check_message(file: str, node: YMap) -> None:
    message = node["message"]
    line = line_of(node, "message")
    if not message:
        raise RuleFileError(file, line, "message must not be empty")
    try:
        names = {name for _, name, _, _ in string.Formatter().parse(message) if name is not None}
    except ValueError as exc:
        raise RuleFileError(file, line, f"message is not a valid template: {exc}") from None
    unknown = names - _PLACEHOLDERS
    if unknown:
        raise RuleFileError(
            file,
            line,
            f"message uses unknown placeholder(s) {sorted(unknown)}; only {{value}} exists",
        )


def _check_call(file: str, line: int, name: str, args: dict[str, Any]) -> None:
    check = CHECKS.get(name)
    if check is None:
        raise RuleFileError(file, line, f"no check named {name!r} in the registry")
    params = inspect.signature(check.fn).parameters
    accepted = {p.name for p in params.values() if p.kind is inspect.Parameter.KEYWORD_ONLY}
    unknown = set(args) - accepted
    if unknown:
        raise RuleFileError(
            file,
            line,
            f"check {name!r} takes no argument(s) {sorted(unknown)} (it takes {sorted(accepted)})",
        )
    missing = [
        p.name
        for p in params.values()
        if p.kind is inspect.Parameter.KEYWORD_ONLY
        and p.default is inspect.Parameter.empty
        and p.name not in args
    ]
    if missing:
        raise RuleFileError(file, line, f"check {name!r} needs argument(s) {missing}")


def _valid_id(rule_id: str) -> bool:
    parts = rule_id.split(".")
    return len(parts) >= 2 and all(
        part and part[0].isalpha() and all(c.islower() or c.isdigit() or c == "_" for c in part)
        for part in parts
    )


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


def _has_closed(spec: FieldSpec, seen: set[int] | None = None) -> bool:
    """True when an object spec in ``spec``'s tree knows all its keys."""
    seen = set() if seen is None else seen
    if id(spec) in seen:
        return False
    seen.add(id(spec))
    if spec.fields is not None and not spec.open:
        return True
    below = [*(spec.fields or {}).values(), *([spec.each] if spec.each is not None else [])]
    return any(_has_closed(child, seen) for child in below)


def _rules_of(spec: FieldSpec, seen: set[int] | None = None) -> list[Rule]:
    """Every rule reachable from ``spec``, in order, once each."""
    seen = set() if seen is None else seen
    if id(spec) in seen:
        return []
    seen.add(id(spec))
    out: list[Rule] = [rule for rule in (spec.required, spec.invalid) if rule is not None]
    out.extend(spec.rules)
    for child in (spec.fields or {}).values():
        out.extend(_rules_of(child, seen))
    if spec.each is not None:
        out.extend(_rules_of(spec.each, seen))
    return list({rule.id: rule for rule in out}.values())
