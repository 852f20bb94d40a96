"""A rule's arguments against its check: the names its keyword-only parameters take, the types
they are annotated with (read as plain YAML data), then the check's own ``arguments`` fact.
The rule loader turns a problem into a ``RuleFileError`` with the rule's file and line."""

from __future__ import annotations

import inspect
import math
import types
import typing
from collections.abc import Callable, Mapping, Sequence
from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .registry import Args, Check


def argument_problem(check: Check, args: Args) -> str | None:
    """What is wrong with ``args`` for ``check``, or None (also for a plugin whose signature
    cannot be read: its arguments are its business)."""
    name = check.name
    try:
        params = inspect.signature(check.fn).parameters
    except (TypeError, ValueError):
        return None
    accepted = {p.name for p in params.values() if p.kind is inspect.Parameter.KEYWORD_ONLY}
    unknown = set(args) - accepted
    if unknown:
        takes = sorted(accepted)
        return f"check {name!r} takes no argument(s) {sorted(unknown)} (it takes {takes})"
    missing = [
        p.name
        for p in params.values()
        if p.kind is inspect.Parameter.KEYWORD_ONLY
        and p.default is inspect.Parameter.empty
        and p.name not in args
    ]
    if missing:
        return f"check {name!r} needs argument(s) {missing}"
    hints = arg_types(check.fn)
    for key, value in args.items():
        want = hints.get(key)
        if want is not None and not conforms(value, want):
            return f"check {name!r} argument {key!r} must be {describe(want)}"
    return None if check.arguments is None else check.arguments(args)


#: The names of ``typing`` a check's annotations may use.
_TYPING_NAMES = ("Any", "Literal")


@cache
def arg_types(fn: Callable[..., bool]) -> dict[str, Any]:
    """The annotated types of a check's keyword arguments (shipped or a plugin's; a plugin's
    annotations that cannot be resolved are not checked)."""
    # the modules of the shipped checks import typing's names for the type checker only (not
    # imported to validate): they are supplied here when the annotations are read
    known = getattr(fn, "__globals__", {})  # a plugin's check is wrapped: no globals of its own
    missing = {name: getattr(typing, name) for name in _TYPING_NAMES if name not in known}
    try:
        hints = typing.get_type_hints(fn, localns=missing)
    except Exception:
        return {}
    return {key: value for key, value in hints.items() if key not in ("value", "env", "return")}


def conforms(value: Any, want: Any) -> bool:
    """Whether a rule file value has the annotated type (as plain YAML data: a float argument
    takes a finite integer or float, never a boolean)."""
    origin, params = typing.get_origin(want), typing.get_args(want)
    if origin in (types.UnionType, typing.Union):
        return any(conforms(value, param) for param in params)
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
            conforms(k, keys) and conforms(v, items) for k, v in value.items()
        )
    if origin is not None and issubclass(origin, Sequence):
        (item,) = params
        return isinstance(value, list) and all(conforms(v, item) for v in value)
    return False


def describe(want: Any) -> str:
    """An annotated type as a rule file's author reads it (``a list of strings``)."""
    origin, params = typing.get_origin(want), typing.get_args(want)
    if origin in (types.UnionType, typing.Union):
        return " or ".join(describe(param) for param in params)
    if origin is not None and issubclass(origin, Mapping):
        return f"a mapping of {describe(params[1])}"
    if origin is not None and issubclass(origin, Sequence):
        return f"a list of {describe(params[0]).removeprefix('a ').removeprefix('an ')}s"
    names = {bool: "a boolean", float: "a number", int: "an integer", str: "a string"}
    return names.get(want, "null" if want is type(None) else str(want))
