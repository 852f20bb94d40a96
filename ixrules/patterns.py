"""Which regular expressions a rule file may use: those Python's backtracking engine runs in
linear time.

A rule pack is text from anyone, and a pattern such as ``(a+)+$`` takes exponential time on a
short value that almost matches (41 characters: over a minute). Patterns are checked when the
rules are loaded, on the parse tree of Python's own ``re`` parser, and refused with a reason
when they have what makes backtracking blow up:

- backreferences, lookarounds and conditional groups (not regular at all);
- a repeated part that can match strings of different lengths, or offers alternatives
  (``(a+)+``, ``(a|ab)*``, ``(aa|aa)*``): the engine tries every way to split the text
  (unless the part starts with a character nothing variable in it matches, as in
  ``(?:-[a-z]+)*``: then the text says where each repetition starts);
- two variable quantifiers in a row that can match the same character, with nothing between
  them that only one of them can match (``a*a*``, ``\\d+\\d+``, ``.*x.*``): every split point
  is tried, again and again.

What is left (fixed-width repeats, quantified character classes separated by what they cannot
match, alternatives outside repeats) matches in time linear in the text, which is at most
``MAX_SCALAR_TEXT`` characters anyway. The shipped patterns (``[0-9]{4}-[0-9]{3}``,
``[^ /^]+``) are of that kind.
"""

from __future__ import annotations

import importlib
import re
import sys
from typing import Any

# Python's own regex parser (private: ``re._parser`` since 3.11, ``sre_parse`` before).
_NEW = sys.version_info >= (3, 11)
_c: Any = importlib.import_module("re._constants" if _NEW else "sre_constants")
_p: Any = importlib.import_module("re._parser" if _NEW else "sre_parse")
_compiler: Any = importlib.import_module("re._compiler" if _NEW else "sre_compile")

#: A pattern longer than this is no rule's business.
MAX_PATTERN = 1000

_REPEATS = {_c.MAX_REPEAT, _c.MIN_REPEAT, getattr(_c, "POSSESSIVE_REPEAT", _c.MAX_REPEAT)}
_NOT_REGULAR = {
    _c.GROUPREF: "a backreference",
    _c.GROUPREF_EXISTS: "a conditional group",
    _c.ASSERT: "a lookahead or lookbehind",
    _c.ASSERT_NOT: "a lookahead or lookbehind",
}
_SINGLE = {_c.LITERAL, _c.NOT_LITERAL, _c.IN, _c.ANY, _c.CATEGORY}
_ZERO_WIDTH = {_c.AT}


class UnsafePattern(ValueError):
    """A pattern that is not valid, or that could backtrack catastrophically; says why."""


def check_pattern(regex: str) -> None:
    """Raise ``UnsafePattern`` unless ``regex`` is valid and runs in linear time.

    >>> check_pattern("[0-9]{4}-[0-9]{3}")
    >>> try:
    ...     check_pattern("(a+)+$")
    ... except UnsafePattern as exc:
    ...     print(exc)
    a repeated part that can match in more than one way (can take exponential time)
    """
    if len(regex) > MAX_PATTERN:
        raise UnsafePattern(f"longer than {MAX_PATTERN} characters")
    try:
        parsed = _p.parse(regex)
        re.compile(regex)
    except (re.error, RecursionError, OverflowError) as exc:
        raise UnsafePattern(f"not a valid regular expression: {exc}") from None
    _Checker(parsed).sequence(list(parsed.data))


class _Checker:
    def __init__(self, parsed: Any) -> None:
        self.state = parsed.state
        self.probes = _probes(parsed)
        self.cache: dict[tuple[Any, int, bool], frozenset[str]] = {}

    def sequence(self, items: list[Any]) -> None:
        items = _flatten(items)
        for index, item in enumerate(items):
            self.item(item)
            if self.variable(item):
                self.after(item, items[index + 1 :])

    def item(self, item: Any) -> None:
        op, av = item
        if op in _NOT_REGULAR:
            raise UnsafePattern(f"{_NOT_REGULAR[op]} is not allowed")
        if op in _REPEATS:
            _, high, body = av
            if high > 1 and not self.fixed(list(body.data)) and not self.delimited(body):
                raise UnsafePattern(
                    "a repeated part that can match in more than one way (can take "
                    "exponential time)"
                )
            self.sequence(list(body.data))
        elif op == _c.BRANCH:
            for branch in av[1]:
                self.sequence(list(branch.data))
        elif op == _c.SUBPATTERN:
            self.sequence(list(av[-1].data))
        elif op == getattr(_c, "ATOMIC_GROUP", None):
            self.sequence(list(av.data))

    def fixed(self, items: list[Any]) -> bool:
        """True for a part that matches one length only and offers no alternatives."""
        for op, av in items:
            if op in _NOT_REGULAR or op == _c.BRANCH:
                return False
            if op in _REPEATS and (av[0] != av[1] or not self.fixed(list(av[2].data))):
                return False
            if op == _c.SUBPATTERN and not self.fixed(list(av[-1].data)):
                return False
        return True

    def delimited(self, body: Any) -> bool:
        """A repeated part that starts with a character none of its variable parts can match
        (``(?:-[a-z]+)*``): each repetition starts at a place the text decides."""
        items = _flatten(list(body.data))
        if not items or items[0][0] not in _SINGLE:
            return False
        mark = self.chars(items[0])
        for item in items[1:]:
            if item[0] == _c.BRANCH or (item[0] in _REPEATS and not self.plain(item)):
                return False
            if self.variable(item) and mark & self.chars(item):
                return False
        return True

    def plain(self, item: Any) -> bool:
        """A repeat of a single character (``[a-z]+``)."""
        return all(op in _SINGLE for op, _ in item[1][2].data)

    def variable(self, item: Any) -> bool:
        op, av = item
        if op in _REPEATS:
            return bool(av[0] != av[1])
        return bool(op == _c.BRANCH)

    def after(self, item: Any, rest: list[Any]) -> None:
        """Refuse a variable ``item`` followed, with nothing only one of them matches between,
        by another variable part that can match the same character."""
        mine = self.chars(item)
        for other in rest:
            if other[0] in _ZERO_WIDTH:
                continue
            theirs = self.chars(other, first=True)
            if self.variable(other) and mine & theirs:
                raise UnsafePattern(
                    "quantifiers in a row that can match the same characters (can take "
                    "polynomial time): put something only one of them matches between them"
                )
            if self.least(other) > 0 and not mine & theirs:
                return

    def firsts(self, items: list[Any]) -> list[Any]:
        """The single-character parts a sequence can start with."""
        out: list[Any] = []
        for item in items:
            op, av = item
            if op in _SINGLE:
                out.append(item)
            elif op in _REPEATS:
                out.extend(self.firsts(list(av[2].data)))
            elif op == _c.SUBPATTERN:
                out.extend(self.firsts(list(av[-1].data)))
            elif op == _c.BRANCH:
                for branch in av[1]:
                    out.extend(self.firsts(list(branch.data)))
            elif op == getattr(_c, "ATOMIC_GROUP", None):
                out.extend(self.firsts(list(av.data)))
            if op not in _ZERO_WIDTH and self.least(item) > 0:
                break
        return out

    def least(self, item: Any) -> int:
        low, _ = _p.SubPattern(self.state, [item]).getwidth()
        return int(low)

    def chars(self, item: Any, first: bool = False) -> frozenset[str]:
        """The probe characters any single-character part of ``item`` matches (``first``: any
        it can start with)."""
        key = (item[0], id(item[1]), first)  # parts of the parse tree, alive while checking
        if key not in self.cache:
            found: set[str] = set()
            for leaf in self.firsts([item]) if first else _leaves(item):
                matcher = _compile(self.state, leaf)
                found.update(c for c in self.probes if matcher.fullmatch(c))
            self.cache[key] = frozenset(found)
        return self.cache[key]


def _compile(state: Any, leaf: Any) -> re.Pattern[str]:
    compiled: re.Pattern[str] = _compiler.compile(_p.SubPattern(state, [leaf]), state.flags)
    return compiled


def _flatten(items: list[Any]) -> list[Any]:
    """Groups that are not repeated, spliced into the sequence around them."""
    out: list[Any] = []
    for op, av in items:
        if op == _c.SUBPATTERN and not av[1] and not av[2]:  # no flags added or removed
            out.extend(_flatten(list(av[-1].data)))
        else:
            out.append((op, av))
    return out


def _leaves(item: Any) -> list[Any]:
    op, av = item
    if op in _SINGLE:
        return [item]
    if op in _REPEATS:
        return [leaf for sub in av[2].data for leaf in _leaves(sub)]
    if op == _c.SUBPATTERN:
        return [leaf for sub in av[-1].data for leaf in _leaves(sub)]
    if op == _c.BRANCH:
        return [leaf for branch in av[1] for sub in branch.data for leaf in _leaves(sub)]
    if op == getattr(_c, "ATOMIC_GROUP", None):
        return [leaf for sub in av.data for leaf in _leaves(sub)]
    return []


def _probes(parsed: Any) -> list[str]:
    """Characters to test sets on: Latin-1, every literal and range end of the pattern and
    their neighbours, and a few from other scripts and categories."""
    codes = set(range(256)) | {0x0661, 0x00A0, 0x2028, 0x3000, 0x4E2D, 0x1F600, 0x10FFFF}

    def visit(items: Any) -> None:
        for op, av in items:
            if op in (_c.LITERAL, _c.NOT_LITERAL):
                codes.update((av - 1, av, av + 1))
            elif op == _c.IN:
                visit(av)
            elif op == _c.RANGE:
                low, high = av
                codes.update((low - 1, low, low + 1, high - 1, high, high + 1))
            elif op in _REPEATS:
                visit(av[2].data)
            elif op == _c.SUBPATTERN:
                visit(av[-1].data)
            elif op == _c.BRANCH:
                for branch in av[1]:
                    visit(branch.data)

    visit(parsed.data)
    return [chr(code) for code in sorted(codes) if 0 <= code <= 0x10FFFF]
