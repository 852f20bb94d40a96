"""Rule regexes are checked at load: what could backtrack catastrophically is refused, and
what is accepted matches adversarial text in linear time."""

from __future__ import annotations

import re
import time

import pytest

from ixrules.patterns import UnsafePattern, check_pattern
from ixrules.values import MAX_SCALAR_TEXT

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
]
UNSAFE = {
    "(a+)+$": "a repeated part that can match in more than one way",
    "(a|ab)*c": "a repeated part that can match in more than one way",
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


def test_the_refused_example_really_is_catastrophic() -> None:
    """What the check stops: 22 characters already take a measurable time, each one more
    doubles it (41 took over a minute)."""
    start = time.perf_counter()
    re.fullmatch("(a+)+$", "a" * 18 + "!")
    assert time.perf_counter() - start > 0.005
