"""Rule files -> rule model, checked against the rule format's meta-schema.

A rule directory holds YAML files, each with ``fragments`` (named field specs, shared by every
file and referenced with ``use``) and ``endpoints``. Everything wrong with a file is reported
as a RuleFileError naming the file and line: unknown or mistyped keys, checks the registry
does not have, arguments a check does not take, fragments that do not exist or use themselves,
messages with placeholders other than ``{value}``, and rule ids defined twice.

Rule packs (a user's own files, loaded after the shipped ones) layer on top: a fragment or
endpoint they name that is already defined is extended (rules appended, fields merged), a rule
id already taken is replaced only by a rule that says ``override: true``, their rules' source
is ``user`` by default, their messages may carry their own translations
(``message: {en: ..., pt: ...}``), and they may name checks of installed plugins (the entry
point group ``ixrules.checks``).
"""

from __future__ import annotations

import dataclasses
import fnmatch
import inspect
import math
import os
import re
import stat
import string
import types
import typing
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from .checks import CHECKS, Check
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
from .patterns import UnsafePattern, check_pattern
from .yamlsource import RuleFileError, YList, YMap, line_of, load_yaml

if typing.TYPE_CHECKING:
    from .config import SeveritySetting

__all__ = ["RuleFileError", "load_rule_dir", "load_rule_texts", "pack_texts", "relevel"]

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
#: What a pack's rule may say besides: its own translations, and that it replaces a rule.
_PACK_RULE_KEYS = {**_RULE_KEYS, "message": (str, dict), "override": (bool,)}
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
#: What a pack's action may say besides: fields and rules added to its body.
_PACK_ACTION_KEYS = {**_ACTION_KEYS, "extend": (dict,)}
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
#: How deep field specs may nest, counting each ``use`` of a fragment: deeper is no body the API
#: takes, and building (and walking) the specs recurses once per level.
MAX_FIELD_DEPTH = 100
_ERROR_SHAPES = ("errors", "message")
_PLACEHOLDERS = frozenset({"value"})
_LANGUAGE_CODE = re.compile(r"[a-z]{2,3}")
#: What an action of an endpoint that is already defined may say in a pack: only what it adds.
_EXTENSION_KEYS = frozenset({"extend", "doc"})
#: The entry point group of plugin checks.
PLUGIN_GROUP = "ixrules.checks"

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
    pack: bool = False


def load_rule_dir(directory: str | Path, extra: Iterable[tuple[str, str]] = ()) -> RuleSet:
    """Load every ``*.yaml`` file of ``directory`` (in name order) into a RuleSet, with the
    rule packs ``extra`` (``(name, text)`` pairs, see :func:`pack_texts`) layered on top."""
    root = Path(directory)
    if not root.is_dir():
        raise RuleFileError(str(root), 1, "rule directory not found")
    files = sorted(root.glob("*.yaml"))
    if not files:
        raise RuleFileError(str(root), 1, "no *.yaml rule files in this directory")
    return load_rule_texts([_read(path) for path in files], extra)


#: The largest rule file read (the shipped ones are a few dozen kilobytes).
MAX_RULE_FILE_BYTES = 16 << 20


def _read_rule_file(path: Path) -> str:
    """A rule file's text: only a regular file is opened (a FIFO named ``*.yaml`` would block
    forever), and only up to ``MAX_RULE_FILE_BYTES``."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError("not a regular file")
        data = handle.read(MAX_RULE_FILE_BYTES + 1)
    if len(data) > MAX_RULE_FILE_BYTES:
        raise OSError(f"larger than {MAX_RULE_FILE_BYTES:,} bytes")
    return data.decode("utf-8")


def pack_texts(paths: Iterable[str | Path]) -> list[tuple[str, str]]:
    """The rule files of packs given as files or folders (a folder's ``*.yaml``, in name
    order), as ``(name, text)`` pairs, in the order given."""
    out: list[tuple[str, str]] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            files = sorted(path.glob("*.yaml"))
            if not files:
                raise RuleFileError(_shown(path), 1, "no *.yaml rule files in this folder")
            out.extend(_read(file, relative=True) for file in files)
        else:
            out.append(_read(path, relative=True))
    return out


def _shown(path: Path) -> str:
    """A pack's path as shown: relative to the working directory when below it."""
    relative = os.path.relpath(os.path.abspath(path))
    return str(path) if relative.startswith("..") else relative


def _read(path: Path, relative: bool = False) -> tuple[str, str]:
    """A file's name (a pack's as :func:`_shown`) and text, read as :func:`_read_rule_file`."""
    name = _shown(path) if relative else str(path)
    try:
        return name, _read_rule_file(path)
    except (OSError, UnicodeDecodeError) as exc:
        plain = relative and isinstance(exc, OSError) and exc.strerror
        reason = exc.strerror if plain and isinstance(exc, OSError) else exc
        raise RuleFileError(name, 1, f"cannot read: {reason}") from None


def load_rule_texts(
    texts: Iterable[tuple[str, str]], extra: Iterable[tuple[str, str]] = ()
) -> RuleSet:
    """Load rule files given as ``(name, text)`` pairs into a RuleSet, with the rule packs
    ``extra`` layered on top of them."""
    sources = []
    for pack, group in ((False, texts), (True, extra)):
        for name, text in group:
            data = load_yaml(text, name)
            if data is None:
                continue
            if not isinstance(data, YMap):
                raise RuleFileError(name, line_of(data), "a rule file is a mapping at the top")
            _check_keys(name, data, _FILE_KEYS, "rule file")
            sources.append(_Source(name, data, pack))
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
        self.depth = 0
        self.compact: list[YMap] = []
        self.packs = {source.name for source in self.sources if source.pack}
        self.extensions: dict[str, list[tuple[str, YMap]]] = {}
        self.extended: dict[tuple[int, int], FieldSpec] = {}
        self.fragment_specs: dict[str, FieldSpec] = {}
        self.winners: dict[str, int] = {}
        self.defined: set[int] = set()
        self.loose_overrides: dict[int, tuple[str, int, str]] = {}
        self.replacing: set[int] = set()
        self.checks: dict[str, Check] = {}
        self.plugins: dict[str, Any] | None = None

    def build(self) -> RuleSet:
        self._claim_ids()
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
                    if source.pack:  # a pack extends what is already defined
                        self.extensions.setdefault(name, []).append((source.name, spec))
                        continue
                    other = self.fragments[name][0]
                    raise RuleFileError(
                        source.name, line, f"fragment {name!r} also defined in {other}"
                    )
                self.fragments[name] = (source.name, spec)
        endpoints: dict[str, EndpointSpec] = {}
        sites: dict[str, str] = {}
        for source in self.sources:
            for index, entry in enumerate(source.data.get("endpoints", YList())):
                line = line_of(source.data["endpoints"], index)
                for endpoint in self._endpoints(source, entry, line, endpoints, sites):
                    endpoints[endpoint.name] = endpoint
        for source in self.sources:  # a pack's fragments are checked even when unused
            if source.pack:
                for name in source.data.get("fragments", YMap()):
                    self._fragment(source.name, line_of(source.data["fragments"], name), name)
        for node_id, (file, line, rule_id) in self.loose_overrides.items():
            if node_id not in self.replacing:
                raise RuleFileError(
                    file, line, f"override: true, but no rule {rule_id!r} to replace"
                )
        ruleset = RuleSet(
            endpoints=endpoints,
            rules=dict(self.rules),
            files=tuple(source.name for source in self.sources),
            checks=dict(self.checks),
        )
        return _relink(ruleset, lambda rule: self.rules.get(rule.id, rule))

    # --- rule ids -------------------------------------------------------------------------

    def _claim_ids(self) -> None:
        """Who defines each rule id, checked before anything is built (fragments are built
        lazily, so a pack's override may be read before the rule it replaces): the first
        definition must be no override, every later one must be a pack's override, and the
        last one wins everywhere the id is used."""
        first: dict[str, tuple[str, int]] = {}
        for source in self.sources:
            for file, node in _rule_nodes(source):
                rule_id = node.get("id")
                if not isinstance(rule_id, str):
                    continue  # reported when the rule is built
                override = node.get("override") is True
                if rule_id not in first:
                    if override:  # may still replace a field's required/invalid rule
                        self.loose_overrides[id(node)] = (file, node.line, rule_id)
                    first[rule_id] = (file, node.line)
                elif not source.pack:  # reported while building, in the order built
                    self.defined.discard(self.winners.pop(rule_id, 0))
                    continue
                elif not override:
                    where = "{}:{}".format(*first[rule_id])
                    raise RuleFileError(
                        file,
                        node.line,
                        f"rule id {rule_id!r} already defined at {where}; "
                        "give override: true to replace it",
                    )
                self.winners[rule_id] = id(node)
                self.defined.add(id(node))

    # --- endpoints ------------------------------------------------------------------------

    def _endpoints(
        self,
        source: _Source,
        entry: Any,
        line: int,
        known: Mapping[str, EndpointSpec],
        sites: dict[str, str],
    ) -> list[EndpointSpec]:
        file = source.name
        if not isinstance(entry, YMap):
            raise RuleFileError(file, line, "an endpoints entry must be a mapping")
        _check_keys(file, entry, _ENDPOINT_KEYS, "endpoints entry", required=("paths", "actions"))
        paths = entry["paths"]
        if not paths or not all(isinstance(p, str) and p for p in paths):
            raise RuleFileError(file, line_of(entry, "paths"), "paths must be a list of API paths")
        out: list[EndpointSpec] = []
        actions = []
        for action, spec in entry["actions"].items():
            action_line = line_of(entry["actions"], action)
            if not isinstance(spec, YMap):
                raise RuleFileError(file, action_line, f"action {action!r} must be a mapping")
            allowed = _PACK_ACTION_KEYS if source.pack else _ACTION_KEYS
            _check_keys(file, spec, allowed, f"action {action!r}")
            taken = [f"{path}.{action}" for path in paths if f"{path}.{action}" in known]
            if taken and not source.pack:
                raise RuleFileError(file, line_of(entry), f"endpoint {taken[0]!r} defined twice")
            if taken:  # a pack adds to an endpoint that exists: its body is extended
                out.extend(self._extend_endpoints(file, entry, spec, action, known, sites))
                continue
            if "body" not in spec:
                raise RuleFileError(
                    file, line_of(spec), f"action {action!r} lacks the required key 'body'"
                )
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
            if "extend" in spec:
                body = self._extend(body, file, spec["extend"])
            siblings = self._siblings(file, spec)
            actions.append((action, spec, body, mode, shape, siblings))
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
                sites[f"{path}.{action}"] = f"{file}:{line_of(entry)}"
        return out

    def _extend_endpoints(
        self,
        file: str,
        entry: YMap,
        spec: YMap,
        action: str,
        known: Mapping[str, EndpointSpec],
        sites: Mapping[str, str],
    ) -> list[EndpointSpec]:
        """A pack's action of endpoints that exist: each body extended with ``extend``."""
        names = [f"{path}.{action}" for path in entry["paths"]]
        missing = [name for name in names if name not in known]
        if missing:
            raise RuleFileError(
                file,
                line_of(entry),
                f"endpoint {missing[0]!r} is new but {names[0]!r} exists: give them apart",
            )
        for key in spec:
            if key not in _EXTENSION_KEYS:
                raise RuleFileError(
                    file,
                    line_of(spec, key),
                    f"endpoint {names[0]!r} is already defined at {sites.get(names[0], '?')}: "
                    f"a pack may only 'extend' its body, not give {key!r}",
                )
        if "extend" not in spec:
            raise RuleFileError(file, line_of(spec), f"action {action!r} extends nothing")
        return [
            dataclasses.replace(
                known[name], body=self._extend(known[name].body, file, spec["extend"])
            )
            for name in names
        ]

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
        if name in self.fragment_specs:
            return self.fragment_specs[name]
        frag_file, node = self.fragments[name]
        self.resolving.append(name)
        try:
            spec = self._field(frag_file, node)
            for ext_file, ext_node in self.extensions.get(name, ()):
                spec = self._extend(spec, ext_file, ext_node)
        finally:
            self.resolving.pop()
        self.fragment_specs[name] = spec
        return spec

    def _extend(self, base: FieldSpec, file: str, node: YMap) -> FieldSpec:
        """``base`` with a pack's additions: rules appended (or replaced in place by an
        override of the same id), fields merged, ``required``/``invalid`` set where there is
        none or replaced by a rule that says ``override: true``."""
        key = (id(base), id(node))
        if key in self.extended:
            return self.extended[key]
        _check_keys(file, node, _FIELD_KEYS, "field")
        if "use" in node:
            raise RuleFileError(
                file, line_of(node, "use"), "a field that is already defined cannot 'use' another"
            )
        rules = list(base.rules)
        for index in range(len(node.get("rules", ()))):
            rule = self._rule(file, node["rules"], index)
            same = [i for i, old in enumerate(rules) if old.id == rule.id]
            if same:
                rules[same[0]] = rule
            else:
                rules.append(rule)
        required = self._replaced(file, node, "required", base.required, tuple(rules))
        invalid = self._replaced(file, node, "invalid", base.invalid, tuple(rules))
        fields = dict(base.fields) if base.fields is not None else None
        if "fields" in node:
            fields = fields or {}
            for name, child in self._children(file, node):
                old = fields.get(name)
                fields[name] = (
                    self._field(file, child) if old is None else self._extend(old, file, child)
                )
        each = base.each
        if "each" in node:
            each = (
                self._field(file, node["each"])
                if each is None
                else self._extend(each, file, node["each"])
            )
        ordered = (
            *[rule for rule in rules if not rule.id.startswith("kind.")],
            *[rule for rule in rules if rule.id.startswith("kind.")],
        )
        spec = self._spec(file, node, base, ordered, required, fields, each, invalid)
        self.extended[key] = spec
        return spec

    def _replaced(
        self, file: str, node: YMap, key: str, old: Rule | None, local: tuple[Rule, ...]
    ) -> Rule | None:
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
            self.replacing.add(id(value))
        return self._rule_or_ref(file, node, key, local)

    def _field(self, file: str, node: YMap) -> FieldSpec:
        cached = self.built.get(id(node))
        if cached is not None:
            return cached
        self.depth += 1
        try:
            if self.depth > MAX_FIELD_DEPTH:
                raise RuleFileError(
                    file,
                    node.line,
                    f"fields nested deeper than {MAX_FIELD_DEPTH} levels (through 'use')",
                )
            return self._build_field(file, node)
        finally:
            self.depth -= 1

    def _build_field(self, file: str, node: YMap) -> FieldSpec:
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
            for name, child in self._children(file, node):
                fields[name] = self._field(file, child)
        each = base.each
        if "each" in node:
            each = self._field(file, node["each"])
        spec = self._spec(file, node, base, rules, required, fields, each, invalid)
        self.built[id(node)] = spec
        return spec

    def _children(self, file: str, node: YMap) -> Iterable[tuple[str, YMap]]:
        """The field specs of ``node``'s ``fields``, the compact ``due_date: date`` read as
        ``due_date: {kind: date}``."""
        out = []
        for name, child in node["fields"].items():
            if isinstance(child, str):
                child = self._compact(child, line_of(node["fields"], name))
            if not isinstance(child, YMap):
                raise RuleFileError(
                    file,
                    line_of(node["fields"], name),
                    f"field {name!r} must be a mapping or a kind ({', '.join(KINDS)})",
                )
            out.append((name, child))
        return out

    def _spec(
        self,
        file: str,
        node: YMap,
        base: FieldSpec,
        rules: tuple[Rule, ...],
        required: Rule | None,
        fields: dict[str, FieldSpec] | None,
        each: FieldSpec | None,
        invalid: Rule | None,
    ) -> FieldSpec:
        """The field spec a node builds (or a pack's node extends) into, its kind's rule last."""
        kind, final = self._kind(file, node, base, rules, fields, each)
        return FieldSpec(
            rules=final,
            required=required,
            fields=fields,
            each=each,
            invalid=invalid,
            kind=kind,
            open=node.get("open", base.open),
        )

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
        pack = file in self.packs
        allowed = _PACK_RULE_KEYS if pack else _RULE_KEYS
        _check_keys(file, node, allowed, "rule", required=_RULE_REQUIRED)
        rule_id = node["id"]
        site = (file, node.line, id(node))
        if rule_id in self.rule_sites:
            first = self.rule_sites[rule_id]
            if first[2] == id(node):
                return self.rules[rule_id]
            if self.winners.get(rule_id) != id(node) and id(node) not in self.defined:
                raise RuleFileError(
                    file, node.line, f"rule id {rule_id!r} already defined at {first[0]}:{first[1]}"
                )
        if not _valid_id(rule_id):
            raise RuleFileError(
                file, line_of(node, "id"), f"rule id {rule_id!r} must be dotted lower-case words"
            )
        message, translations = _check_message(file, node)
        check_name = node.get("check")
        args = _plain(dict(node.get("args", {})))  # plain data: a loaded rule set pickles
        if check_name is None and args:
            raise RuleFileError(file, line_of(node, "args"), "args given without a check")
        if check_name is not None:
            self._check_call(file, line_of(node, "check"), check_name, args)
        when = None
        if "when" in node:
            when_node = node["when"]
            _check_keys(file, when_node, _WHEN_KEYS, "when", required=("check",))
            when_args = _plain(dict(when_node.get("args", {})))
            self._check_call(file, line_of(when_node, "check"), when_node["check"], when_args)
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
        rule = Rule(
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
        if self.winners.get(rule_id, id(node)) == id(node) or rule_id not in self.rules:
            self.rules[rule_id] = rule  # a replaced rule stands in until its override is built
            self.rule_sites[rule_id] = site
        return rule

    def _check_call(self, file: str, line: int, name: str, args: dict[str, Any]) -> None:
        check = CHECKS.get(name) or self.checks.get(name)
        if check is None and file not in self.packs:  # the shipped rules need no plugin
            raise RuleFileError(file, line, f"no check named {name!r} in the registry")
        if check is None:
            check = self._plugin(file, line, name)
            if check is None:
                raise RuleFileError(
                    file,
                    line,
                    f"no check named {name!r} in the registry or an installed plugin "
                    f"(entry point group {PLUGIN_GROUP})",
                )
            self.checks[name] = check
        _check_args(file, line, check, args)

    def _plugin(self, file: str, line: int, name: str) -> Check | None:
        """The plugin check ``name`` (entry point group ``ixrules.checks``), loaded only when
        a rule names a check the registry does not have, so start-up stays fast."""
        if self.plugins is None:
            from importlib.metadata import entry_points

            self.plugins = {ep.name: ep for ep in entry_points(group=PLUGIN_GROUP)}
        point, member = self.plugins.get(name), None
        if point is None and "." in name:  # `acme.house_code`: a module (or mapping) `acme`
            prefix, _, member = name.rpartition(".")
            point = self.plugins.get(prefix)
        if point is None:
            return None
        try:
            loaded = point.load()
        except Exception as exc:  # a broken plugin: one line, never a traceback
            raise RuleFileError(
                file, line, f"check plugin {name!r} ({point.value}) cannot load: {exc}"
            ) from None
        if member is not None:
            if isinstance(loaded, Mapping):
                loaded = loaded.get(member)
            else:
                loaded = getattr(loaded, member, None)
            if loaded is None:
                return None
        if isinstance(loaded, Check):
            return loaded
        if not callable(loaded):
            raise RuleFileError(
                file, line, f"check plugin {name!r} ({point.value}) is not a function"
            )
        return Check(name, loaded)


def _check_message(file: str, node: YMap) -> tuple[str, dict[str, str]]:
    """The rule's English message, and its own translations by language."""
    value = node["message"]
    line = line_of(node, "message")
    if not isinstance(value, YMap):
        _check_template(file, line, value)
        return value, {}
    for language, text in value.items():
        where = line_of(value, language)
        if not _LANGUAGE_CODE.fullmatch(language):
            raise RuleFileError(
                file, where, f"message language {language!r} must be a code such as en, pt, es"
            )
        if not isinstance(text, str):
            raise RuleFileError(file, where, f"message in {language!r} must be a string")
        _check_template(file, where, text)
    if "en" not in value:
        raise RuleFileError(file, line, "message lacks its English text ('en')")
    return value["en"], {key: text for key, text in value.items() if key != "en"}


def _check_template(file: str, line: int, message: str) -> None:
    if not message:
        raise RuleFileError(file, line, "message must not be empty")
    try:
        fields = [field for field in string.Formatter().parse(message) if field[1] is not None]
    except ValueError as exc:
        raise RuleFileError(file, line, f"message is not a valid template: {exc}") from None
    names = {name for _, name, _, _ in fields if name is not None}
    for _, name, spec, conversion in fields:
        if name in _PLACEHOLDERS and (spec or conversion):
            shown = (
                "{"
                + name
                + (f"!{conversion}" if conversion else "")
                + (f":{spec}" if spec else "")
                + "}"
            )
            raise RuleFileError(
                file, line, f"message placeholder {shown} takes no format: write {{{name}}}"
            )
    unknown = names - _PLACEHOLDERS
    if unknown:
        raise RuleFileError(
            file,
            line,
            f"message uses unknown placeholder(s) {sorted(unknown)}; only {{value}} exists",
        )


def _check_args(file: str, line: int, check: Check, args: dict[str, Any]) -> None:
    name = check.name
    try:
        params = inspect.signature(check.fn).parameters
    except (TypeError, ValueError):
        return  # a plugin whose signature cannot be read: its arguments are its business
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
    hints = _arg_types(check.fn)
    for key, value in args.items():
        want = hints.get(key)
        if want is not None and not _conforms(value, want):
            raise RuleFileError(
                file, line, f"check {name!r} argument {key!r} must be {_describe(want)}"
            )
    if name == "pattern":
        try:
            check_pattern(args["regex"])
        except UnsafePattern as exc:
            raise RuleFileError(file, line, f"regex {args['regex']!r} is refused: {exc}") from None


@cache
def _arg_types(fn: Callable[..., bool]) -> dict[str, Any]:
    """The annotated types of a check's keyword arguments (shipped or a plugin's; a plugin's
    annotations that cannot be resolved are not checked)."""
    try:
        hints = typing.get_type_hints(fn)
    except Exception:
        return {}
    return {key: value for key, value in hints.items() if key not in ("value", "env", "return")}


def _conforms(value: Any, want: Any) -> bool:
    """Whether a rule file value has the annotated type (as plain YAML data: a float argument
    takes a finite integer or float, never a boolean)."""
    origin, params = typing.get_origin(want), typing.get_args(want)
    if origin in (types.UnionType, typing.Union):
        return any(_conforms(value, param) for param in params)
    if want is type(None):
        return value is None
    if want is Any:
        return True
    if want is bool:
        return isinstance(value, bool)
    if want is float:
        return (
            isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
        )
    if want is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if want is str:
        return isinstance(value, str)
    if origin is not None and issubclass(origin, Mapping):
        keys, items = params
        return isinstance(value, Mapping) and all(
            _conforms(k, keys) and _conforms(v, items) for k, v in value.items()
        )
    if origin is not None and issubclass(origin, Sequence):
        (item,) = params
        return isinstance(value, list) and all(_conforms(v, item) for v in value)
    return False


def _describe(want: Any) -> str:
    origin, params = typing.get_origin(want), typing.get_args(want)
    if origin in (types.UnionType, typing.Union):
        return " or ".join(_describe(param) for param in params)
    if origin is not None and issubclass(origin, Mapping):
        return f"a mapping of {_describe(params[1])}"
    if origin is not None and issubclass(origin, Sequence):
        return f"a list of {_describe(params[0]).removeprefix('a ').removeprefix('an ')}s"
    names = {bool: "a boolean", float: "a number", int: "an integer", str: "a string"}
    return names.get(want, "null" if want is type(None) else str(want))


def _rule_nodes(source: _Source) -> Iterable[tuple[str, YMap]]:
    """Every rule mapping of a file, by position: shared rules, and the ``rules``,
    ``required`` and ``invalid`` of every field spec (fragments, ``each``, ``fields`` and an
    action's ``extend``)."""
    file, data = source.name, source.data
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
    return [(file, node) for node in out]


_ID_GLOB = re.compile(r"[a-z0-9_.*?]+")


def relevel(ruleset: RuleSet, levels: Sequence[SeveritySetting]) -> RuleSet:
    """``ruleset`` with rules re-levelled (``error``/``warning``) or dropped (``off``), the last
    matching setting winning per rule. A pattern that names no rule is an error at its place
    (a typo must not silently report everything)."""
    if not levels:
        return ruleset
    for setting in levels:
        if not _ID_GLOB.fullmatch(setting.pattern):
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
        level = None
        for setting in levels:
            if fnmatch.fnmatchcase(rule_id, setting.pattern):
                level = setting.severity
        if level == "off":
            table[rule_id] = None
        elif level is not None and level != rule.severity:
            table[rule_id] = dataclasses.replace(rule, severity=level)
    if not table:
        return ruleset
    return _relink(ruleset, lambda rule: table.get(rule.id, rule))


def _relink(ruleset: RuleSet, swap: Callable[[Rule], Rule | None]) -> RuleSet:
    """``ruleset`` with every rule replaced by ``swap(rule)`` (None: dropped) throughout its
    spec trees, sharing kept (a spec used by many endpoints is rebuilt once), and the index of
    which endpoints check which rule rebuilt."""
    memo: dict[int, FieldSpec] = {}

    def spec_of(spec: FieldSpec) -> FieldSpec:
        done = memo.get(id(spec))
        if done is not None:
            return done
        rules: dict[str, Rule] = {}
        for rule in spec.rules:
            new = swap(rule)
            if new is not None:
                rules.setdefault(new.id, new)
        fields = (
            None
            if spec.fields is None
            else {name: spec_of(child) for name, child in spec.fields.items()}
        )
        out = dataclasses.replace(
            spec,
            rules=tuple(rules.values()),
            required=swap(spec.required) if spec.required is not None else None,
            invalid=swap(spec.invalid) if spec.invalid is not None else None,
            fields=fields,
            each=spec_of(spec.each) if spec.each is not None else None,
        )
        memo[id(spec)] = out
        return out

    rules = {}
    for rule_id, rule in ruleset.rules.items():
        new = swap(rule)
        if new is not None:
            rules[rule_id] = new
    endpoints = {
        name: dataclasses.replace(
            endpoint,
            body=spec_of(endpoint.body),
            siblings={key: spec_of(spec) for key, spec in endpoint.siblings.items()},
        )
        for name, endpoint in ruleset.endpoints.items()
    }
    rule_endpoints: dict[str, list[str]] = {}
    for endpoint in endpoints.values():
        below = [endpoint.body, *endpoint.siblings.values()]
        for rule in {r.id: r for spec in below for r in _rules_of(spec)}.values():
            if rule.applies_in(endpoint.mode):
                rule_endpoints.setdefault(rule.id, []).append(endpoint.name)
        if UNKNOWN_KEY_RULE in rules and _has_closed(endpoint.body):
            rule_endpoints.setdefault(UNKNOWN_KEY_RULE, []).append(endpoint.name)
    return dataclasses.replace(
        ruleset,
        endpoints=endpoints,
        rules=rules,
        rule_endpoints={key: tuple(value) for key, value in rule_endpoints.items()},
    )


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
