"""The errors a broken rule file or configuration is reported with, importable without the YAML
parser (the command line catches them even when the rules come from the cache and YAML is never
loaded)."""

from __future__ import annotations

from collections.abc import Iterable


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


def did_you_mean(name: str, known: Iterable[str]) -> str:
    """``"; did you mean 'a' or 'b'?"`` naming the known names closest to ``name`` (spelt
    alike, the closest alone when it is far closer than the rest, or having ``name`` as one of
    their ``_``- or ``.``-separated words), or ``""`` when none is close: a pack that names
    something that does not exist is told what does.

    >>> did_you_mean("client", ["document_client", "client_body", "item_line"])
    "; did you mean 'client_body' or 'document_client'?"
    >>> did_you_mean("documnet_client", ["document_client", "client_body"])
    "; did you mean 'document_client'?"
    >>> did_you_mean("zzz", ["document_client"])
    ''
    """
    import difflib  # only for a broken pack: not on every load

    names = sorted(set(known) - {name})
    if len(name) > 100:
        return ""

    def likeness(other: str) -> float:
        return difflib.SequenceMatcher(None, name, other).ratio()

    close = difflib.get_close_matches(name, names, n=3, cutoff=0.6)
    if close:  # a typo's match is far closer than the rest: name it alone
        best = likeness(close[0])
        close = [other for other in close if likeness(other) >= best - 0.1]
    words = [other for other in names if name in other.replace(".", "_").split("_")]
    picked = sorted({*close, *words}, key=lambda other: (-likeness(other), other))[:3]
    if not picked:
        return ""
    quoted = [repr(other) for other in picked]
    listed = quoted[0] if len(quoted) == 1 else f"{', '.join(quoted[:-1])} or {quoted[-1]}"
    return f"; did you mean {listed}?"
