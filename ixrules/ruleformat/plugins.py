"""Which check a rule names, and whether the rule's arguments fit it: the registry's checks,
and the checks of installed plugins (entry point group ``ixrules.checks``), loaded only when a
pack names a check the registry does not have.

A check's arguments are its keyword-only parameters; their annotations are the types a rule
file's ``args`` must have, and its registration may check more (see
:mod:`ixrules.checks.arguments`). A plugin's facts are checked when it is loaded.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from ..checks import CHECKS, Check, fact_problem, plugin_check
from .errors import RuleFileError, did_you_mean
from .grammar import PLUGIN_GROUP
from .guarded import guarded

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
        except BaseException as exc:  # a broken plugin, or one that exits: one line, exit 2
            raised = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
            raise RuleFileError(
                file, line, f"check plugin {name!r} ({point.value}) cannot load: {raised}"
            ) from None
        if member is not None:
            if isinstance(loaded, Mapping):
                loaded = loaded.get(member)
            else:
                loaded = getattr(loaded, member, None)
            if loaded is None:
                return None
        check = plugin_check(name, loaded)
        if check is None:
            raise RuleFileError(
                file, line, f"check plugin {name!r} ({point.value}) is not a function"
            )
        problem = fact_problem(check)
        if problem is not None:
            raise RuleFileError(file, line, f"check plugin {name!r} ({point.value}): {problem}")
        return guarded(check)


def _check_args(file: str, line: int, check: Check, args: dict[str, Any]) -> None:
    problem = check.argument_problem(args)
    if problem is not None:
        raise RuleFileError(file, line, problem)
