"""Which regular expressions a rule file may use: those Python's backtracking engine matches
in time linear in the text, with a bound that holds for every value the ``pattern`` check
sees.

A rule pack is text from anyone, and a pattern such as ``(a+)+$`` takes exponential time on a
short value that almost matches (41 characters: over a minute). Each pattern is checked when
the rules are loaded and refused, with a reason, unless it is in a subset proven to match in
bounded time.

Why an analysis and not an engine without backtracking (google-re2): the core dependencies
are fixed by the design (a compiled C++ library would be the seventh, and the only one
without a pure-Python wheel), and RE2 is not Python's dialect: its ``\\d``, ``\\w``, ``\\s``
and case folding are ASCII or differ, so a rule would answer differently from the same
pattern in ``re`` (which the reference executor, the JSON Schema export and the rule
author's own tests use). Rule patterns are short and simple; the subset below accepts what
they need (``[0-9]{4}-[0-9]{3}``, ``[^ /^]+``, ``\\d+(?:\\.\\d+)?``, ``PT|ES|FR``,
``[a-z]+(?:-[a-z]+)*``) and refuses, with a reason, what the author can rewrite.

How the check works. It reads the parse tree of Python's own parser (``re._parser``), never
the pattern text: inline-flag groups (``(?i:...)``), empty groups and repeats (``(?:)+``),
alternatives with a common prefix (``aa|aa`` is parsed as ``aa(?:|)``) are what the engine
will run, whatever way they were written. On that tree it builds the Glushkov automaton:
one *position* per single-character item (``a``, ``[^ /]``, ``\\d``, ``.``, each under the
flags in force where it stands), and for each position the positions that may match the
next character. Counted repeats are written out (``x{1,3}`` is ``x(?:x(?:x)?)?``); a repeat
too large to write out is read as ``x+`` or ``x*``, which can only add ways to match. The
character sets are compared exactly, over all of Unicode: two sets are compared on a list of
probe characters holding every boundary of the pattern's literals and ranges, of the
``\\d``/``\\w``/``\\s`` classes it uses, and (when case is ignored) every character that has
a case, so two sets overlap if and only if they share a probe.

A pattern is refused when it has

- a backreference, a lookaround or a conditional group (not regular at all);
- a repeated part that can match the empty string (``(a?)*``, ``(a(?:)+)+``): the engine
  tries empty iterations in more than one way;
- a part that can match the empty string in more than one way (``(?:a?|b?)``, ``a(?:|)``);
- a position inside a loop (one that can follow itself) from which two positions, or two
  ways to the same position, can take the same next character: ``(a+)+``, ``(a|ab)*c``,
  ``(?:a(?i:a*))*`` ("a repeated part that can match in more than one way", exponential),
  ``a*a*``, ``.*x.*``, ``\\d+\\d+`` ("quantifiers in a row", polynomial);
- more than ``MAX_WAYS`` ways to match one text in all, from choices outside loops
  (``a?a?a?...aaa``): each such choice is made once per way, so the ways multiply.

The bound. For an accepted pattern, a choice between positions that can take the same
character is only ever offered at a position outside every loop, which a way through the
automaton passes at most once; so any prefix of the text has at most ``MAX_WAYS`` ways
through, and from each the engine tries each path of empty steps once (there is at most
one path between two positions, as none repeats or doubles an empty match). A match on a
text of ``n`` characters therefore does at most ``(n + 1) * MAX_WAYS * L`` steps for a
pattern of ``L`` instructions, times the engine's constant work per step (it saves the
capturing groups' marks at some backtracking points). The ``pattern`` check gives the engine
at most ``MAX_SCALAR_TEXT`` (256) characters, and ``L`` is bounded by ``MAX_PATTERN`` with
the written-out repeats capped at ``MAX_POSITIONS``: milliseconds on any value.
``tests/test_patterns.py`` counts the steps of a backtracking matcher against that bound
for generated patterns and adversarial texts, and ``fuzz/fuzz_patterns.py`` runs the real
engine on what a fuzzer makes.
"""

from __future__ import annotations

import array
import functools
import importlib
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

# Python's own regex parser (private: ``re._parser`` since 3.11, ``sre_parse`` before).
_NEW = sys.version_info >= (3, 11)
_c: Any = importlib.import_module("re._constants" if _NEW else "sre_constants")
_p: Any = importlib.import_module("re._parser" if _NEW else "sre_parse")
_compiler: Any = importlib.import_module("re._compiler" if _NEW else "sre_compile")

#: A pattern longer than this is no rule's business.
MAX_PATTERN = 1000
#: How many ways an accepted pattern may have to match one text (choices outside loops).
MAX_WAYS = 16
#: Counted repeats are written out up to this many positions in all; beyond, read as loops.
MAX_POSITIONS = 2000

_REPEATS = {_c.MAX_REPEAT, _c.MIN_REPEAT, getattr(_c, "POSSESSIVE_REPEAT", _c.MAX_REPEAT)}
_ATOMIC = getattr(_c, "ATOMIC_GROUP", None)
_NOT_REGULAR = {
    _c.GROUPREF: "a backreference",
    _c.GROUPREF_EXISTS: "a conditional group",
    _c.ASSERT: "a lookahead or lookbehind",
    _c.ASSERT_NOT: "a lookahead or lookbehind",
}
_SINGLE = {_c.LITERAL, _c.NOT_LITERAL, _c.IN, _c.ANY}
_IGNORECASE = _c.SRE_FLAG_IGNORECASE
# runs of the classes whose edges are probed (Unicode, as the engine's str patterns read them)
_DIGITS = re.compile(r"\d+")
_WORDS = re.compile(r"\w+")
_SPACES = re.compile(r"\s+")
_UNBOUNDED = _c.MAXREPEAT

EMPTY_LOOP = (
    "a repeated part that can match the empty string (can take exponential time): make what "
    "is repeated match at least one character"
)
AMBIGUOUS_LOOP = "a repeated part that can match in more than one way (can take exponential time)"
IN_A_ROW = (
    "quantifiers in a row that can match the same characters (can take polynomial time): put "
    "something only one of them matches between them"
)
EMPTY_TWICE = (
    "a part that can match the empty string in more than one way (as in (?:a?|b?)): make "
    "only one of its alternatives optional"
)
TOO_MANY_WAYS = (
    "quantifiers in a row that can match the same characters, or alternatives that start "
    f"alike, give a text more than {MAX_WAYS} ways to match (can take exponential time)"
)


class UnsafePattern(ValueError):
    """A pattern that is not valid, or that could backtrack catastrophically; says why."""


def check_pattern(regex: str) -> None:
    """Raise ``UnsafePattern`` unless ``regex`` is valid and matches in bounded time.

    >>> check_pattern("[0-9]{4}-[0-9]{3}")
    >>> try:
    ...     check_pattern("(?:a(?i:a*))*")
    ... except UnsafePattern as exc:
    ...     print(exc)
    a repeated part that can match in more than one way (can take exponential time)
    """
    if len(regex) > MAX_PATTERN:
        raise UnsafePattern(f"longer than {MAX_PATTERN} characters")
    try:
        parsed = _p.parse(regex)
        re.compile(regex)
    except (re.error, RecursionError, OverflowError, ValueError) as exc:
        raise UnsafePattern(f"not a valid regular expression: {exc}") from None
    try:
        _refuse_irregular(parsed.data)
        automaton = _Builder(parsed.state.flags).build(parsed)
    except RecursionError:
        raise UnsafePattern("nested too deeply") from None
    automaton.check()


def _refuse_irregular(items: Iterable[Any]) -> None:
    """Backreferences, lookarounds and conditionals, wherever they are (even under ``{0}``)."""
    for op, av in items:
        if op in _NOT_REGULAR:
            raise UnsafePattern(f"{_NOT_REGULAR[op]} is not allowed")
        for sub in _children(op, av):
            _refuse_irregular(sub.data)


def _children(op: Any, av: Any) -> list[Any]:
    """The sub-patterns directly under an item of the parse tree."""
    if op in _REPEATS:
        return [av[2]]
    if op == _c.SUBPATTERN:
        return [av[-1]]
    if op == _c.BRANCH:
        return list(av[1])
    if op == _ATOMIC:
        return [av]
    return []


@dataclass
class _Part:
    """What the Glushkov construction knows of a part: whether it can match the empty
    string, the positions it can start and end with."""

    empty: bool
    first: list[int] = field(default_factory=list)
    last: list[int] = field(default_factory=list)


_EMPTY = _Part(True)


class _Builder:
    """Builds the automaton: positions (single-character items with their flags) and, for
    each, the positions that may come next; refuses empty-match ambiguity on the way."""

    def __init__(self, flags: int) -> None:
        self.flags = flags
        self.leaves: list[tuple[Any, int]] = []
        self.follow: list[dict[int, None]] = []  # ordered sets
        self.loops = 0  # how many repeats (of more than one iteration) the walk is inside

    def build(self, parsed: Any) -> _Automaton:
        whole = self.sequence(parsed.data, self.flags)
        return _Automaton(self.leaves, self.follow, whole.first)

    def sequence(self, items: Iterable[Any], flags: int) -> _Part:
        out = _EMPTY
        for item in items:
            out = self.concat(out, self.item(item, flags))
        return out

    def item(self, item: Any, flags: int) -> _Part:
        op, av = item
        if op in _SINGLE:
            self.leaves.append((item, flags))
            self.follow.append({})
            position = len(self.leaves) - 1
            return _Part(False, [position], [position])
        if op == _c.SUBPATTERN:
            _, add, remove, sub = av
            return self.sequence(sub.data, (flags | add) & ~remove)
        if op == _ATOMIC:
            return self.sequence(av.data, flags)
        if op == _c.BRANCH:
            return self.branch(av[1], flags)
        if op in _REPEATS:
            return self.repeat(av, flags)
        if op == _c.AT:
            return _EMPTY  # ^ $ \b \A \Z: match no character, only ever remove ways
        raise UnsafePattern(f"{str(op).lower()} is not supported")

    def branch(self, branches: list[Any], flags: int) -> _Part:
        parts = [self.sequence(branch.data, flags) for branch in branches]
        if sum(part.empty for part in parts) > 1:
            self.ambiguous_empty()
        return _Part(
            any(part.empty for part in parts),
            [p for part in parts for p in part.first],
            [p for part in parts for p in part.last],
        )

    def repeat(self, av: Any, flags: int) -> _Part:
        low, high, body = av
        if high == 0:
            return _EMPTY
        if high == 1:
            part = self.sequence(body.data, flags)
            if low == 0:
                if part.empty:
                    self.ambiguous_empty()
                part = _Part(True, part.first, part.last)
            return part
        self.loops += 1
        try:
            copies = low + (1 if high == _UNBOUNDED else high - low)
            if len(self.leaves) + copies * _size(body.data) <= MAX_POSITIONS:
                return self.written_out(low, high, body, flags)
            return self.loop(self.sequence(body.data, flags), low)
        finally:
            self.loops -= 1

    def written_out(self, low: int, high: int, body: Any, flags: int) -> _Part:
        """``x{2,4}`` as ``xx(?:x(?:x)?)?``, ``x{2,}`` as ``xxx*``: the ways to match are
        the engine's, one iteration after another."""
        out = _EMPTY
        for _ in range(low):
            out = self.concat(out, self.nonempty(body, flags))
        if high == _UNBOUNDED:
            return self.concat(out, self.loop(self.nonempty(body, flags), 0))
        tail = _EMPTY
        for _ in range(high - low):
            tail = self.concat(self.nonempty(body, flags), tail)
            tail = _Part(True, tail.first, tail.last)
        return self.concat(out, tail)

    def nonempty(self, body: Any, flags: int) -> _Part:
        part = self.sequence(body.data, flags)
        if part.empty:
            raise UnsafePattern(EMPTY_LOOP)
        return part

    def loop(self, part: _Part, low: int) -> _Part:
        """A part repeated any number of times: each of its last positions may be followed
        by each of its first; an edge that is already there is a second way to go."""
        if part.empty:
            raise UnsafePattern(EMPTY_LOOP)
        for end in part.last:
            for start in part.first:
                if start in self.follow[end]:
                    raise UnsafePattern(AMBIGUOUS_LOOP)
                self.follow[end][start] = None
        return _Part(low == 0, part.first, part.last)

    def concat(self, left: _Part, right: _Part) -> _Part:
        for end in left.last:
            for start in right.first:
                self.follow[end][start] = None  # new: each pair meets at one place
        return _Part(
            left.empty and right.empty,
            left.first + right.first if left.empty else left.first,
            right.last + left.last if right.empty else right.last,
        )

    def ambiguous_empty(self) -> None:
        raise UnsafePattern(AMBIGUOUS_LOOP if self.loops else EMPTY_TWICE)


def _size(items: Iterable[Any]) -> int:
    """How many positions a part has once its counted repeats are written out."""
    total = 0
    for op, av in items:
        if op in _SINGLE:
            total += 1
        elif op in _REPEATS:
            low, high, body = av
            copies = low + 1 if high == _UNBOUNDED else high
            total += copies * _size(body.data)
        else:
            total += sum(_size(sub.data) for sub in _children(op, av))
        if total > MAX_POSITIONS:
            return total  # enough to know it is too large
    return total


class _Automaton:
    """The positions, what follows each, and where a match starts; ``check`` refuses the
    choices that make backtracking blow up."""

    def __init__(self, leaves: list[tuple[Any, int]], follow: list[Any], first: list[int]):
        self.leaves = leaves
        self.follow = [list(targets) for targets in follow]
        self.first = first
        self.component, self.order = _components(self.follow)
        self.sets = _CharSets(leaves)

    def cyclic(self, position: int) -> bool:
        own = self.component[position]
        return any(self.component[other] == own for other in self.follow[position])

    def check(self) -> None:
        """Refuse a choice inside a loop (the exponential kind first: it is the worse), then
        too many ways to match one text from choices outside loops."""
        found: list[str] = []
        for position, targets in enumerate(self.follow):
            if self.cyclic(position):
                found += self.conflicts(position, targets)
        if found:
            raise UnsafePattern(AMBIGUOUS_LOOP if AMBIGUOUS_LOOP in found else found[0])
        if self.ways() > MAX_WAYS:
            raise UnsafePattern(TOO_MANY_WAYS)

    def ways(self) -> int:
        """An upper bound (capped past ``MAX_WAYS``) on how many ways through the automaton
        any text has: from a position, at most as many as the most targets one character
        goes to (one, in a loop), times the most ways from any of them; the components
        are taken sinks first."""
        most: list[int] = [1] * len(self.follow)
        for members in self.order:
            outside = [
                most[target]
                for member in members
                for target in self.follow[member]
                if self.component[target] != self.component[member]
            ]
            here = max(outside, default=1)
            if len(members) == 1 and not self.cyclic(members[0]):
                here = min(here * self.most(self.follow[members[0]]), MAX_WAYS + 1)
            for member in members:
                most[member] = here
        start = max((most[target] for target in self.first), default=1)
        return min(start * self.most(self.first), MAX_WAYS + 1)

    def conflicts(self, source: int, targets: list[int]) -> list[str]:
        """Two targets of a position in a loop that can take the same character: both back
        in the loop (exponential), or one leaving it (polynomial)."""
        own = self.component[source]
        seen = 0
        for index, target in enumerate(targets):
            mask = self.sets.mask(target)
            if seen & mask:
                other = next(t for t in targets[:index] if self.sets.mask(t) & mask)
                stays = self.component[target] == own == self.component[other]
                return [AMBIGUOUS_LOOP if stays else IN_A_ROW]
            seen |= mask
        return []

    def most(self, targets: list[int]) -> int:
        """The most ``targets`` one character can go to (capped past ``MAX_WAYS``)."""
        levels: list[int] = []  # levels[k]: the probes at least k + 2 targets match
        seen = 0
        for target in targets:
            mask = self.sets.mask(target)
            for k in range(len(levels) - 1, -1, -1):
                if levels[k] & mask:
                    if k + 1 == len(levels):
                        levels.append(0)
                    levels[k + 1] |= levels[k] & mask
            if seen & mask:
                if not levels:
                    levels.append(0)
                levels[0] |= seen & mask
            seen |= mask
            if len(levels) >= MAX_WAYS:
                break
        return len(levels) + 1


def _components(follow: list[list[int]]) -> tuple[list[int], list[list[int]]]:
    """The strongly connected component of each position, and the components' members,
    sinks first (Tarjan, without recursion)."""
    count = len(follow)
    index = [-1] * count
    low = [0] * count
    component = [-1] * count
    stack: list[int] = []
    order: list[list[int]] = []
    on_stack = [False] * count
    counter = 0
    for root in range(count):
        if index[root] != -1:
            continue
        work = [(root, 0)]
        while work:
            node, edge = work.pop()
            if edge == 0:
                index[node] = low[node] = counter
                counter += 1
                stack.append(node)
                on_stack[node] = True
            targets = follow[node]
            if edge < len(targets):
                work.append((node, edge + 1))
                nxt = targets[edge]
                if index[nxt] == -1:
                    work.append((nxt, 0))
                elif on_stack[nxt]:
                    low[node] = min(low[node], index[nxt])
                continue
            if work and work[-1][0] != node:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                members = []
                while True:
                    member = stack.pop()
                    on_stack[member] = False
                    component[member] = node
                    members.append(member)
                    if member == node:
                        break
                order.append(members)
    return component, order


class _CharSets:
    """Each position's character set as a bit mask over probe characters chosen so that two
    sets share a character if and only if they share a probe."""

    def __init__(self, leaves: list[tuple[Any, int]]) -> None:
        self.leaves = leaves
        points: set[int] = set(range(257))
        for leaf, flags in leaves:
            points.update(_points(leaf, flags))
        self.probes = "".join(chr(code) for code in sorted(points) if code <= sys.maxunicode)
        self.masks: dict[tuple[int, int], int] = {}

    def mask(self, position: int) -> int:
        leaf, flags = self.leaves[position]
        key = (id(leaf), flags)  # the parse tree is alive while it is checked
        if key not in self.masks:
            hits = ["0"] * len(self.probes)
            for found in _leaf_regex(leaf, flags).finditer(self.probes):
                hits[found.start()] = "1"
            self.masks[key] = int("".join(reversed(hits)) or "0", 2)
        return self.masks[key]


def _leaf_regex(leaf: Any, flags: int) -> re.Pattern[str]:
    """One single-character item compiled alone, under the flags in force where it stands."""
    state = _p.State()
    state.flags = flags
    compiled: re.Pattern[str] = _compiler.compile(_p.SubPattern(state, [leaf]))
    return compiled


def _points(leaf: Any, flags: int) -> set[int]:
    """The code points where membership in ``leaf``'s set can change: its literals and range
    ends (and their case variants), the edges of the classes it uses, and every character
    that has a case when case is ignored (those are probed one by one)."""
    op, av = leaf
    out: set[int] = set()
    items = av if op == _c.IN else [leaf]
    for sub_op, sub_av in items:
        if sub_op in (_c.LITERAL, _c.NOT_LITERAL):
            out.update(_around(sub_av))
        elif sub_op == _c.RANGE:
            out.update(_around(sub_av[0]))
            out.update(_around(sub_av[1]))
        elif sub_op == _c.CATEGORY:
            out.update(_category_points(str(sub_av)))
    if flags & _IGNORECASE:
        out.update(_cased_points())
    return out


def _around(code: int) -> set[int]:
    """A code point, the one after it, and the same for its case variants."""
    out = {code, code + 1}
    char = chr(code)
    for variant in (char.lower(), char.upper(), char.casefold()):
        if len(variant) == 1:
            out.update((ord(variant), ord(variant) + 1))
    return out


@functools.cache
def _every_character() -> str:
    return (
        array.array("I", range(sys.maxunicode + 1)).tobytes().decode("utf-32-le", "surrogatepass")
    )


@functools.cache
def _category_points(category: str) -> frozenset[int]:
    """Where a class (``\\d``, ``\\w``, ``\\s`` and their negations, Unicode or ASCII) starts
    and stops (computed once, by the engine itself)."""
    name = category.upper().replace("UNI_", "").replace("NOT_", "")
    runs = {"CATEGORY_DIGIT": _DIGITS, "CATEGORY_WORD": _WORDS, "CATEGORY_SPACE": _SPACES}
    if name not in runs:  # a line break, or a locale's class (bytes only): ASCII, all probed
        return frozenset()
    out: set[int] = set()
    for found in runs[name].finditer(_every_character()):
        out.update((found.start(), found.end()))
    return frozenset(out)


@functools.cache
def _cased_points() -> frozenset[int]:
    """Every character that has a case (the engine's own test), and the one after each."""
    iscased = importlib.import_module("_sre").unicode_iscased
    out: set[int] = set()
    for code in range(sys.maxunicode + 1):
        if iscased(code):
            out.update((code, code + 1))
    return frozenset(out)
