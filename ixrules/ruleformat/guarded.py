"""A plugin's check as the rules call it: on copies of what it is given, and with whatever it
raises turned into a :class:`~.errors.PluginError`.

A plugin is code from another package, run on the caller's data. So that it can neither change
that data nor end the process (``sys.exit(0)`` in a check made ``ixrules lint`` exit 0 with no
output, at import or on one value, also with ``--jobs 2``), each call gets a copy of the value
(every dict and list in it new) and a context whose values are copied as they are read, and
anything it raises, ``SystemExit`` and ``KeyboardInterrupt`` included, is a ``PluginError``
naming the check. Its answer is read inside the same guard (a check's truth, a hint's text), so
an answer that raises when read is caught too. The shipped checks are not wrapped: they pay
nothing.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from ..checks import Check, Env
from ..context import Context
from ..values import copied
from .errors import PluginError

__all__ = ["PluginCall", "guarded"]


def guarded(check: Check) -> Check:
    """``check`` (a plugin's) with its function, its hint and its other facts that are
    functions called through a :class:`PluginCall`; its ``inline`` writer is dropped, so that
    the generated code calls the function, through the guard, instead of running the plugin's
    expression in its place. Pickles as ``guarded`` of the plugin's own registration."""
    facts: dict[str, Any] = {"fn": PluginCall(check.name, check.fn, bool), "inline": None}
    if check.hint is not None:
        facts["hint"] = PluginCall(check.name, check.hint, _text)
    for fact in ("json_schema", "reads_context", "arguments", "implies"):
        value = getattr(check, fact)
        if callable(value):
            facts[fact] = PluginCall(check.name, value, _same)
    out = _Guarded(**{**check.as_fields(), **facts})
    object.__setattr__(out, "original", check)
    return out


class _Guarded(Check):
    """A plugin's registration as the rules call it (see :func:`guarded`)."""

    original: Check

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        return guarded, (self.original,)


class PluginCall:
    """``fn(value, env, **args)`` called safely (see the module's docstring); ``answer`` reads
    what it returned. It looks like ``fn`` to ``inspect`` and ``typing`` (``__wrapped__``),
    and pickles as ``fn`` does, by reference."""

    def __init__(
        self, name: str, fn: Callable[..., Any], answer: Callable[[Any], Any] = bool
    ) -> None:
        self.name = name
        self.fn = fn
        self.answer = answer
        functools.update_wrapper(self, fn)

    def __call__(self, value: Any, *more: Any, **args: Any) -> Any:
        try:
            given = tuple(_copying(item) if isinstance(item, Env) else item for item in more)
            return self.answer(self.fn(copied(value), *given, **args))
        except BaseException as exc:  # SystemExit and KeyboardInterrupt too: see above
            raise PluginError(self.name, exc) from exc

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        return PluginCall, (self.name, self.fn, self.answer)

    def __repr__(self) -> str:
        return f"PluginCall({self.name!r}, {self.fn!r})"


def _same(answer: Any) -> Any:
    return answer


def _text(answer: Any) -> str | None:
    """A hint's answer: text, or None."""
    return None if answer is None else str(answer)


def _copying(env: Env) -> Env:
    return Env(_CopyingContext(env.context), env.mode)


class _CopyingContext(Context):
    """The call's context, each value a copy as it is read (a plugin may keep or change it)."""

    __slots__ = ("_inner",)

    def __init__(self, inner: Context) -> None:  # checked already: nothing to check again
        self._inner = inner

    def has(self, key: str) -> bool:
        return self._inner.has(key)

    def get(self, key: str) -> Any:
        return copied(self._inner.get(key))
