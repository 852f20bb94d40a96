"""Which check a rule names, and whether the rule's arguments fit it: the registry's checks,
and the checks of installed plugins (entry point group ``ixrules.checks``), loaded only when a
pack names a check the registry does not have.

A check's arguments are its keyword-only parameters; their annotations are the types a rule
file's ``args`` must have (plain YAML data: a float argument takes a finite integer or float,
never a boolean).
"""

from __future__ import annotations

import inspect
import math
import types
import typing
from collections.abc import Callable, Collection, Mapping, Sequence
from functools import cache
from typing import Any

from ..checks import CHECKS, Check
from ..patterns import UnsafePattern, check_pattern
from .errors import RuleFileError, did_you_mean
from .grammar import PLUGIN_GROUP

__all__ = ["CheckResolver"]


class CheckResolver:
    """The checks the rules of one set of files name: the registry's, and the plugins' that
    packs name (kept in ``checks``, which the rule set carries)."""

    def __init__(self, packs: Collection[str]) -> None:
        self.packs = packs
        self.checks: dict[str, Check] = {}
        self.plugins: dict[str, Any] | None = None

    def check_call(self, file: str, line: int, name: str, args: dict[str, Any]) -> None:
        check = CHECKS.get(name) or self.checks.get(name)
        if check is None and file not in self.packs:  # the shipped rules need no plugin
            hint = did_you_mean(name, CHECKS)
            raise RuleFileError(file, line, f"no check named {name!r} in the registry{hint}")
        if check is None:
            check = self._plugin(file, line, name)
            if check is None:
                hint = did_you_mean(name, [*CHECKS, *(self.plugins or ())])
                raise RuleFileError(
                    file,
                    line,
                    f"no check named {name!r} in the registry or an installed plugin "
                    f"(entry point group {PLUGIN_GROUP}){hint}",
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
