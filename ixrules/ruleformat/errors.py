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
