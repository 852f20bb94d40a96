"""Rule regexes are checked at load: what could backtrack catastrophically is refused, and
what is accepted matches adversarial text in bounded time.

The work a pattern costs is counted, not timed: ``fuzz/backtracker.py`` runs Python's parse
tree of a pattern as a backtracking engine does and counts its steps, and every accepted
pattern must stay under ``backtracker.bound`` on adversarial text of the longest length the
``pattern`` check sees. The real engine runs too, under an alarm that only catches a hang.
"""

from __future__ import annotations

import itertools
import json
import re
import signal
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ixrules.patterns import (
    AMBIGUOUS_LOOP,
    EMPTY_LOOP,
    EMPTY_TWICE,
    IN_A_ROW,
    MAX_WAYS,
    TOO_MANY_WAYS,
    UnsafePattern,
    check_pattern,
)
from ixrules.ruleformat.builder import load_rule_texts
from ixrules.ruleformat.errors import RuleFileError
from ixrules.values import MAX_SCALAR_TEXT

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "fuzz"))
import backtracker

SAFE = [
    "[0-9]{4}-[0-9]{3}",
    "[^ /^]+",
    r"\d+\.\d+",
    r"\d+(?:\.\d+)?",
    r"\s*\w+\s*",
    "[a-z]+(?:-[a-z]+)*",
    "(?:ab)+",
    r"[A-Z]{2}\d{9}",
    "PT|ES|FR",
    "(?i)abc",
    "x{2,5}y*",
    r"\d{1,3}(?:\.\d{3})*,\d{2}",
    r"(?:\d{3})+",
    ".{0,3}",
    r"[^\W\d]+\d+",
    "(?i:pt|es)[0-9]{9}",
    r"^\S+$",
    "a{1000}",
    "(?:a|b|ab)c",  # alternatives that start alike, outside a loop: two ways at most
]
UNSAFE = {
    "(a+)+$": "a repeated part that can match in more than one way",
    "(aa|aa)*b": "a repeated part that can match in more than one way",
    "(x+x+)+y": "a repeated part that can match in more than one way",
    "a*a*b": "quantifiers in a row that can match the same characters",
    r"\d+\d+x": "quantifiers in a row that can match the same characters",
    ".*x.*": "quantifiers in a row that can match the same characters",
    "a+b*a+c": "quantifiers in a row that can match the same characters",
    "a?" * 30 + "a" * 30: "quantifiers in a row that can match the same characters",
    "(?i)[a-z]+K+!": "quantifiers in a row that can match the same characters",
    "(?=a)a": "a lookahead or lookbehind is not allowed",
    "(?<!a)b": "a lookahead or lookbehind is not allowed",
    r"(a)\1": "a backreference is not allowed",
    "(?P<n>a)(?(n)b|c)": "a conditional group is not allowed",
    "(a": "not a valid regular expression",
    "a" * 1001: "longer than 1000 characters",
    # issue 27: the bypasses of the check that read the pattern text
    "(?:a(?i:a*))*": AMBIGUOUS_LOOP,
    "(a(?:)+)+": EMPTY_LOOP,
    "(a|a)*": AMBIGUOUS_LOOP,  # parsed as (a(?:|))*: an empty choice in a loop
    "(ab|[ab]c)*d": AMBIGUOUS_LOOP,
    "(?:a|b|ab)*c": AMBIGUOUS_LOOP,
    "(?i:k)+\u212a": IN_A_ROW,  # the Kelvin sign is a K when case is ignored
    r"[\u0660-\u0669]+\d": IN_A_ROW,  # Arabic-Indic digits are digits
    "(?:a?|b?)c": EMPTY_TWICE,
    "(?:a{2,3}){1,40}b": TOO_MANY_WAYS,
    "(?:a|b)?" * 20 + "[ab]": TOO_MANY_WAYS,
}


@pytest.mark.parametrize("regex", SAFE)
def test_linear_patterns_are_accepted_and_fast_on_adversarial_text(regex: str) -> None:
    check_pattern(regex)
    compiled = re.compile(regex)
    start = time.perf_counter()
    for char in "a-0 .xK_":
        for tail in ("", "!", "\x00"):
            compiled.fullmatch(char * (MAX_SCALAR_TEXT - 1) + tail)
            compiled.fullmatch((char + "-") * (MAX_SCALAR_TEXT // 2) + tail)
    assert time.perf_counter() - start < 1.0


@pytest.mark.parametrize(("regex", "reason"), UNSAFE.items(), ids=lambda v: v[:40])
def test_patterns_that_can_backtrack_catastrophically_are_refused(regex: str, reason: str) -> None:
    with pytest.raises(UnsafePattern) as raised:
        check_pattern(regex)
    assert str(raised.value).startswith(reason)


@pytest.mark.parametrize("depth", [100, 300, 500])
def test_deep_nesting_is_an_answer_not_a_recursion_error(depth: int) -> None:
    for regex in ("(" * depth + "a" + ")" * depth, "(?:" * depth + "a+" + ")+" * depth):
        with suppress(UnsafePattern):
            check_pattern(regex[:1000])


def test_the_refused_example_really_is_catastrophic() -> None:
    """What the check stops: 22 characters already take a measurable time, each one more
    doubles it (41 took over a minute)."""
    start = time.perf_counter()
    re.fullmatch("(a+)+$", "a" * 18 + "!")
    assert time.perf_counter() - start > 0.005


def test_what_the_parser_rewrites_is_judged_as_the_engine_runs_it() -> None:
    """``(a|ab)*c`` is parsed as ``(?:ab?)*c`` (the common prefix taken out): one way to
    match any text, so it is accepted, and it is linear. ``(a|a)*`` is parsed as
    ``(a(?:|))*``, an empty choice in every iteration, and refused."""
    check_pattern("(a|ab)*c")
    texts = [unit * (MAX_SCALAR_TEXT // len(unit)) + "!" for unit in ("a", "ab", "aab")]
    for text in texts:
        assert backtracker.steps("(a|ab)*c", text) <= backtracker.bound("(a|ab)*c", len(text))


# -- through the loader: a refused pattern is a RuleFileError naming the file and the line

RULES = """\
doc: Things.
fragments:
  thing:
    fields:
      name:
        rules:
          - id: thing.name.shape
            message: Name is invalid
            check: pattern
            args: {{regex: {regex}}}
endpoints:
  - paths: [things]
    root: thing
    actions:
      create: {{body: thing, mode: create, status: 201}}
"""


def load_error(regex: str) -> RuleFileError:
    with pytest.raises(RuleFileError) as raised:
        load_rule_texts([("pack.yaml", RULES.format(regex=json.dumps(regex)))])
    return raised.value


def test_a_safe_pattern_loads() -> None:
    load_rule_texts([("pack.yaml", RULES.format(regex=json.dumps("[0-9]{4}-[0-9]{3}")))])


def generated_bypasses() -> Iterator[str]:
    """The shapes that backtrack (nested quantifiers, choices in loops, adjacent quantifiers,
    empty repeated groups, non-regular parts, nested counted repeats), each with its inner
    atom and the whole dressed in every way the text can hide them: inline-flag groups,
    empty groups, capturing and atomic groups, anchors."""
    cores = [
        "(?:{a}+)+",
        "(?:{a}*)*",
        "(?:{a}|{a})*",
        "(?:{a}|{a}b|b)*c",
        "(?:{a}{a}|{a}{a})+",
        "(?:{a}?)+",
        "{a}*{a}*b",
        "(?:{a}{{1,2}})+",
        "(?:{a}{{2,3}}){{1,40}}",
        "(?:{a}(?:)+)+",
        "(?:{a}(?:|))*",
        "({a})\\1*",
        "(?={a}+){a}*",
        "(?:(?!b){a})*",
        "(?<=b){a}+",
    ]
    atoms = ["a", "(?i:a)", "(?i:A)", "(?:(?s:a))", "(?:a(?:))", "(?:(?:)a)", "[a]", "(?a:a)"]
    wrappers = ["{}", "(?i:{})", "(?:{})", "({})", "(?>{})", "^{}$", "(?:{})(?:)", "(?i)(?-i:{})"]
    for core, atom, wrapper in itertools.product(cores, atoms, wrappers):
        yield wrapper.format(core.format(a=atom))


GENERATED = sorted(set(generated_bypasses()))


def test_every_generated_bypass_is_refused_with_the_file_and_line() -> None:
    assert len(GENERATED) > 900
    for regex in GENERATED:
        error = load_error(regex)
        assert (error.file, error.line) == ("pack.yaml", 9), regex
        assert error.problem.startswith(f"regex {regex!r} is refused: "), regex
        assert str(error).startswith(f"pack.yaml:9: regex {regex!r} is refused: "), regex


@pytest.mark.parametrize("regex", ["(?:a(?i:a*))*", "(a(?:)+)+"])
def test_the_issue_bypasses_are_refused_at_load(regex: str) -> None:
    error = load_error(regex)
    reason = AMBIGUOUS_LOOP if "?i" in regex else EMPTY_LOOP
    assert str(error) == f"pack.yaml:9: regex {regex!r} is refused: {reason}"


# -- the measuring device: a step-counting backtracker, checked against re


@pytest.mark.parametrize("regex", ["(a+)+$", "(?:a(?i:a*))*", "(a|a)*", "(x+x+)+y"])
def test_the_step_counter_sees_what_makes_the_engine_hang(regex: str) -> None:
    """On 22 characters the refused shapes already take over 100 times the bound."""
    text = "a" * 22 + "!" if "x" not in regex else "x" * 22
    limit = 100 * backtracker.bound(regex, len(text))
    assert backtracker.steps(regex, text, limit=limit + 1) > limit


# -- the property: every pattern the check accepts is bounded on adversarial text

ATOMS = ["a", "b", "A", "-", r"\d", r"\w", r"\s", ".", "[ab]", "[^a]", "[a-z]", "(?:)", "()",
         "^", "$", r"\b", "\u212a", "[\u0660-\u0669]"]  # fmt: skip
QUANTIFIERS = ["*", "+", "?", "*?", "+?", "??", "{2}", "{0,3}", "{1,}", "{2,4}", "{0}", "*+"]
GROUPS = ["(?:{})", "({})", "(?i:{})", "(?-i:{})", "(?s:{})", "(?a:{})", "(?>{})"]


def regexes() -> st.SearchStrategy[str]:
    """Small regexes from a grammar of what backtracks: sequences of atoms, groups with and
    without flags, alternatives and quantified parts, nested."""
    atoms = st.sampled_from(ATOMS)

    def extend(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        return st.one_of(
            st.lists(inner, min_size=2, max_size=3).map("".join),
            st.tuples(st.sampled_from(GROUPS), inner).map(lambda g: g[0].format(g[1])),
            st.lists(inner, min_size=2, max_size=3).map(lambda xs: "(?:" + "|".join(xs) + ")"),
            st.tuples(inner, st.sampled_from(QUANTIFIERS)).map(lambda q: f"(?:{q[0]}){q[1]}"),
        )

    body = st.recursive(atoms, extend, max_leaves=8)
    return st.tuples(st.sampled_from(["", "(?i)", "(?s)"]), body).map("".join)


def adversarial(regex: str) -> list[str]:
    """Texts of the longest length the check sees, that make a backtracking engine try the
    most: runs of one or two of the pattern's characters, then one that ends no match."""
    chars = sorted({c for c in regex if c.isprintable()} | {"a", "A", "0", " ", "\u0661"})
    out = []
    for first, second in itertools.product(chars, ["", "a", "-", "0"]):
        unit = first + second
        body = (unit * MAX_SCALAR_TEXT)[: MAX_SCALAR_TEXT - 1]
        out += [body + "!", body + "\u212a"]
    return out


class Hang(Exception):
    pass


@contextmanager
def hang_detector(seconds: float) -> Iterator[None]:
    """Not a timing assertion: a pattern the check accepts matches in milliseconds; this
    only turns a hang into a failure instead of a stuck test run."""

    def alarm(*_: object) -> None:
        raise Hang

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(regexes())
def test_every_accepted_pattern_is_bounded_on_adversarial_text(regex: str) -> None:
    try:
        check_pattern(regex)
    except UnsafePattern:
        return
    limit = backtracker.bound(regex, MAX_SCALAR_TEXT)
    with hang_detector(20):
        for text in adversarial(regex):
            matched, steps = backtracker.run(regex, text, limit + 1)
            assert steps <= backtracker.bound(regex, len(text)), (regex, text[:10])
            assert matched == (re.fullmatch(regex, text) is not None), (regex, text[:10])


@settings(max_examples=200, deadline=None)
@given(regexes(), st.text(alphabet="abA-0 \u212a\u0661!", max_size=8))
def test_the_step_counter_answers_as_re_does(regex: str, text: str) -> None:
    """The model is a matcher: on short texts it answers what ``re`` answers."""
    matched, _ = backtracker.run(regex, text, limit=10**6)
    if matched is not None:
        assert matched == (re.fullmatch(regex, text) is not None)


def test_the_bound_is_what_the_module_promises() -> None:
    """``MAX_WAYS`` ways a prefix, each costing the program once: on an accepted pattern
    that offers exactly ``MAX_WAYS`` ways the steps stay within the bound."""
    regex = "(?:a|b|ab)" * 4 + "[ab]*"  # 2**4 = MAX_WAYS ways for the first characters
    assert MAX_WAYS == 16
    check_pattern(regex)
    with pytest.raises(UnsafePattern, match="more than 16 ways"):
        check_pattern("(?:a|b|ab)" * 5 + "[ab]*")
    text = "ab" * (MAX_SCALAR_TEXT // 2 - 1) + "!"
    assert backtracker.steps(regex, text) <= backtracker.bound(regex, len(text))
