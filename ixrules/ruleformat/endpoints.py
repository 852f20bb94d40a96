"""A rule file's ``endpoints`` entries into endpoint specs: one per path and action, routed by
convention unless the action gives a route, its body a fragment (and, in a pack, what the pack
adds to it)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..model import KINDS, EndpointSpec, FieldSpec, singular
from .errors import RuleFileError, did_you_mean
from .fields import Fields, compact
from .grammar import (
    ACTION_KEYS,
    ACTION_ROUTES,
    ENDPOINT_KEYS,
    ERROR_SHAPES,
    MODES,
    PACK_ACTION_KEYS,
    check_keys,
    name_part_problem,
)
from .packs import extend, extend_endpoints
from .reading import ParsedFile, YMap, line_of

__all__ = ["entry_endpoints"]


def entry_endpoints(
    fields: Fields,
    parsed: ParsedFile,
    entry: Any,
    line: int,
    known: Mapping[str, EndpointSpec],
    sites: dict[str, str],
) -> list[EndpointSpec]:
    """The endpoints an ``endpoints`` entry (at ``line``) defines, or, in a pack, extends
    (``known``: the endpoints defined so far; ``sites``: where each was, filled in here)."""
    file = parsed.name
    if not isinstance(entry, YMap):
        raise RuleFileError(file, line, "an endpoints entry must be a mapping")
    check_keys(file, entry, ENDPOINT_KEYS, "endpoints entry", required=("paths", "actions"))
    paths = entry["paths"]
    if not paths or not all(isinstance(p, str) and p for p in paths):
        raise RuleFileError(file, line_of(entry, "paths"), "paths must be a list of API paths")
    for path in paths:
        _check_name_part(file, line_of(entry, "paths"), "path", path)
    out: list[EndpointSpec] = []
    actions = []
    for action, spec in entry["actions"].items():
        action_line = line_of(entry["actions"], action)
        _check_name_part(file, action_line, "action", str(action))
        if not isinstance(spec, YMap):
            raise RuleFileError(file, action_line, f"action {action!r} must be a mapping")
        allowed = PACK_ACTION_KEYS if parsed.pack else ACTION_KEYS
        check_keys(file, spec, allowed, f"action {action!r}")
        if parsed.pack and "body" not in spec:  # extends endpoints: each must exist
            _check_extended(file, entry, action, known)
        taken = [f"{path}.{action}" for path in paths if f"{path}.{action}" in known]
        if taken and not parsed.pack:
            raise RuleFileError(file, line_of(entry), f"endpoint {taken[0]!r} defined twice")
        if taken:  # a pack adds to an endpoint that exists: its body is extended
            out.extend(extend_endpoints(fields, file, entry, spec, action, known, sites))
            continue
        if "body" not in spec:
            raise RuleFileError(
                file, line_of(spec), f"action {action!r} lacks the required key 'body'"
            )
        mode = spec.get("mode", "action")
        if mode not in MODES:
            raise RuleFileError(file, line_of(spec, "mode"), f"mode must be one of {MODES}")
        shape = spec.get("error_shape", "errors")
        if shape not in ERROR_SHAPES:
            raise RuleFileError(
                file,
                line_of(spec, "error_shape"),
                f"error_shape must be one of {ERROR_SHAPES}",
            )
        body = fields.fragment(file, line_of(spec, "body"), spec["body"])
        if "extend" in spec:
            body = extend(fields, body, file, spec["extend"])
        siblings = _siblings(fields, file, spec)
        actions.append((action, spec, body, mode, shape, siblings))
    for path in paths:
        for action, spec, body, mode, shape, siblings in actions:
            method, route, status = _route(file, spec, action)
            roots = _roots(entry, spec, path)
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


def _check_name_part(file: str, line: int, kind: str, part: str) -> None:
    problem = name_part_problem(part)
    if problem is not None:
        raise RuleFileError(
            file, line, f"{kind} {part!r} cannot be part of an endpoint name: {problem}"
        )


def _check_extended(file: str, entry: YMap, action: str, known: Mapping[str, EndpointSpec]) -> None:
    """Raise for the first of a pack's endpoints that gives no body (so it can only extend)
    and does not exist, at the path or the action spelt wrong, naming the closest that exist:
    never "lacks the required key 'body'" for an endpoint that is not there."""
    for index, path in enumerate(entry["paths"]):
        if f"{path}.{action}" in known:
            continue
        actions = [spec.action for spec in known.values() if spec.path == path]
        if actions:
            raise RuleFileError(
                file,
                line_of(entry["actions"], action),
                f"no endpoint '{path}.{action}' to extend: {path} has no action {action!r} "
                f"(a new one gives a body){did_you_mean(action, actions)}",
            )
        raise RuleFileError(
            file,
            line_of(entry["paths"], index),
            f"no endpoint '{path}.{action}' to extend: no endpoint has the path {path!r} "
            f"(a new one gives a body){did_you_mean(path, {e.path for e in known.values()})}",
        )


def _siblings(fields: Fields, file: str, spec: YMap) -> dict[str, FieldSpec]:
    """An action's ``siblings``: the keys taken beside the root key, each a field spec (or
    a kind alone, as in ``fields``)."""
    node = spec.get("siblings", YMap())
    out = {}
    for name, child in node.items():
        line = line_of(node, name)
        if isinstance(child, str):
            child = compact(child, line)
        if not isinstance(child, YMap):
            raise RuleFileError(
                file, line, f"sibling {name!r} must be a mapping or a kind ({', '.join(KINDS)})"
            )
        out[name] = fields.field(file, child)
    return out


def _roots(entry: YMap, spec: YMap, path: str) -> tuple[str, ...]:
    """An action's own ``root`` replaces the entry's; the entry's family ``root`` is
    accepted beside the path's singular; an ``unwrapped`` entry has none."""
    if "root" in spec:
        return (spec["root"],)
    if entry.get("unwrapped", False):
        return ()
    family = [entry["root"]] if "root" in entry else []
    return tuple(dict.fromkeys([*family, singular(path)]))


def _route(file: str, spec: YMap, action: str) -> tuple[str, str, int]:
    """An action's method, route and success status: its own ``route``, or the convention."""
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
