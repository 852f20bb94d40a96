"""The errors a broken rule file or configuration is reported with, importable without the YAML
parser (the command line catches them even when the rules come from the cache and YAML is never
loaded)."""

from __future__ import annotations


class RuleFileError(ValueError):
    """A rule file is unusable: says which file, which line, and what is wrong."""

    def __init__(self, file: str, line: int, problem: str) -> None:
        super().__init__(f"{file}:{line}: {problem}")
        self.file = file
        self.line = line
        self.problem = problem


class ConfigError(RuleFileError):
    """A configuration is unusable: which file, which line, and what is wrong."""


class PluginError(RuntimeError):
    """A plugin's check (entry point group ``ixrules.checks``, named by a rule pack) failed
    while validating: which check, and what it raised. Raised by ``validate`` and everything
    built on it, in place of whatever the plugin raised (``SystemExit`` and
    ``KeyboardInterrupt`` included), so a plugin can neither end the caller's process nor
    escape as an exception the API does not document."""

    def __init__(self, check: str, raised: BaseException) -> None:
        from ..values import display  # only when a plugin has failed

        said = display(raised)
        said = said if len(said) <= 200 else said[:199] + "…"
        shown = f"{type(raised).__name__}: {said}" if said else type(raised).__name__
        super().__init__(f"check plugin {check!r} failed: {shown}")
        self.check = check
