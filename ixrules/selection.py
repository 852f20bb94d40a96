"""Which rules a run checks: ruff's ``select``, ``extend-select`` and ``ignore``, by rule id or
glob of ids (``document.*``), layered over what the project configuration leaves on.

The resolution is ruff's: the command line wins over the configuration. A ``select`` resets
the set (the configuration's ``ignore`` and ``severity: off`` no longer apply); without one,
the set is what the configuration leaves on. ``extend-select`` adds to it and ``ignore`` takes
away; where a rule matches several patterns the most specific one decides (an exact id over a
glob, a glob with more literal characters over one with fewer), and ``ignore`` wins a tie. A
rule left out is dropped from the rule set, exactly as the configuration's ``ignore`` drops it
(a parent's "... is invalid" no longer counts it). Per-file ignores (the configuration's
``per-file-ignores``) apply after the selection, to the files they match.

>>> ids = ["document.date.valid", "document.items.invalid", "item.unit.accepted"]
>>> chosen = Selection(select=("document.*",), ignore=("document.*.invalid",))
>>> sorted(resolve(ids, set(ids), chosen))
['document.date.valid']
>>> sorted(resolve(ids, {"item.unit.accepted"}, Selection(extend_select=("document.date.valid",))))
['document.date.valid', 'item.unit.accepted']
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Collection, Iterable, Sequence

from .records import Record, fill

#: A rule id or a glob of ids: lower-case words, digits, dots, ``_``, ``*`` and ``?``.
PATTERN = re.compile(r"[a-z0-9_.*?]+")
_WILD = re.compile(r"[*?]")


class Selection(Record):
    """One source's rule selection (the command line's): ``select`` None keeps what the
    configuration leaves on; ``extend_select`` adds, ``ignore`` takes away."""

    FIELDS = ("select", "extend_select", "ignore")

    select: tuple[str, ...] | None
    extend_select: tuple[str, ...]
    ignore: tuple[str, ...]

    def __init__(
        self,
        select: tuple[str, ...] | None = None,
        extend_select: tuple[str, ...] = (),
        ignore: tuple[str, ...] = (),
    ) -> None:
        fill(self, select=select, extend_select=extend_select, ignore=ignore)

    def __bool__(self) -> bool:
        return self.select is not None or bool(self.extend_select or self.ignore)

    def named(self) -> Iterable[tuple[str, str]]:
        """Each pattern with the option that gave it, in option order."""
        for option, patterns in (
            ("--select", self.select or ()),
            ("--extend-select", self.extend_select),
            ("--ignore", self.ignore),
        ):
            for pattern in patterns:
                yield option, pattern


#: No selection: the rules the configuration leaves on.
UNCHANGED = Selection()


class SelectionError(ValueError):
    """A pattern that is no rule id or glob of ids, or that matches no rule: a typo must not
    silently check everything (or nothing)."""


def is_pattern(text: str) -> bool:
    """Whether ``text`` is written as a rule id or glob of ids (whether or not it matches one).

    >>> is_pattern("document.*"), is_pattern("Document")
    (True, False)
    """
    return PATTERN.fullmatch(text) is not None


def specificity(pattern: str) -> tuple[int, int]:
    """How specific a pattern is: an exact id over any glob, then more literal characters.

    >>> specificity("*") < specificity("document.*") < specificity("document.date.*")
    True
    >>> specificity("document.date.*") < specificity("document.date.valid")
    True
    """
    if not _WILD.search(pattern):
        return (1, len(pattern))
    return (0, len(_WILD.sub("", pattern)))


def matching(ids: Iterable[str], pattern: str) -> list[str]:
    """The rule ids ``pattern`` matches (``fnmatch`` globs, case-sensitive)."""
    return [rule_id for rule_id in ids if fnmatch.fnmatchcase(rule_id, pattern)]


def check(ids: Collection[str], pattern: str) -> None:
    """Raise :class:`SelectionError` unless ``pattern`` is a rule id or glob matching a rule."""
    if not is_pattern(pattern):
        raise SelectionError(
            f"{pattern!r} is no rule id or glob of ids (lower-case words, dots, *)"
        )
    if matching(ids, pattern):
        return
    import difflib  # only for a pattern matching nothing: a millisecond of every lint's start

    close = difflib.get_close_matches(pattern, sorted(ids), n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else " (see 'ixrules rules')"
    raise SelectionError(f"{pattern!r} matches no rule id{hint}")


def resolve(ids: Sequence[str], on: Collection[str], selection: Selection) -> set[str]:
    """The rule ids checked: ``on`` (what the configuration leaves on) changed by
    ``selection``, with ruff's precedence (see the module's docstring)."""
    updates: dict[str, bool] = {}
    given = [(pattern, True) for pattern in (*(selection.select or ()), *selection.extend_select)]
    given += [(pattern, False) for pattern in selection.ignore]
    # least specific first, so a more specific pattern overwrites; at one specificity the
    # ignores come last and win
    for pattern, enabled in sorted(given, key=lambda item: (specificity(item[0]), not item[1])):
        for rule_id in matching(ids, pattern):
            updates[rule_id] = enabled
    base = set() if selection.select is not None else set(on)
    for rule_id, enabled in updates.items():
        if enabled:
            base.add(rule_id)
        else:
            base.discard(rule_id)
    return base
