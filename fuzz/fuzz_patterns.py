"""An atheris fuzz target for the rule-regex check: random patterns go through
``ixrules.patterns.check_pattern``; any pattern it accepts is matched against adversarial
values of up to ``MAX_SCALAR_TEXT`` characters, by the real engine and by the step-counting
model of ``fuzz/backtracker.py``.

A finding is: anything but ``UnsafePattern`` escaping the check; an accepted pattern whose
model run takes more steps than ``backtracker.bound`` allows, or answers other than ``re``;
and a hang (run with ``-timeout=N``: libFuzzer reports an input that takes longer than
``N`` seconds). Run it with ``tox -e fuzz`` or by hand::

    pip install atheris
    python fuzz/fuzz_patterns.py -timeout=10 -max_total_time=300 /tmp/ixrules-regex-corpus

Half the inputs are pattern text as the bytes spell it; the other half are built from the
bytes by a small grammar of the shapes that backtrack (nested and adjacent quantifiers,
alternatives, inline-flag groups, empty groups, counted repeats, classes), so most of them
parse.
"""

from __future__ import annotations

import re
import sys

import atheris

with atheris.instrument_imports(include=["ixrules.patterns", "backtracker"]):
    import backtracker

    from ixrules.patterns import UnsafePattern, check_pattern
    from ixrules.values import MAX_SCALAR_TEXT

ATOMS = ["a", "b", "A", "-", "0", ".", r"\d", r"\w", r"\s", r"\W", "[ab]", "[^a]", "[a-z]",
         "(?:)", "()", "^", "$", r"\b", "\u212a", "[\u0660-\u0669]", "[^\\W\\d]"]  # fmt: skip
QUANTIFIERS = ["*", "+", "?", "*?", "+?", "{2}", "{0,3}", "{1,}", "{2,5}", "{0}", "*+", "{1,40}"]
GROUPS = ["(?:{})", "({})", "(?i:{})", "(?-i:{})", "(?s:{})", "(?a:{})", "(?>{})", "(?x:{} )"]
PREFIXES = ["", "(?i)", "(?s)", "(?a)"]


def grammar(data: atheris.FuzzedDataProvider, depth: int = 0) -> str:
    """A pattern drawn from the bytes: a sequence of atoms, groups, alternations and
    quantified parts, at most four levels deep."""
    parts = []
    for _ in range(data.ConsumeIntInRange(1, 3)):
        kind = data.ConsumeIntInRange(0, 4 if depth < 4 else 0)
        if kind == 0:
            part = ATOMS[data.ConsumeIntInRange(0, len(ATOMS) - 1)]
        elif kind == 1:
            part = GROUPS[data.ConsumeIntInRange(0, len(GROUPS) - 1)].format(
                grammar(data, depth + 1)
            )
        elif kind == 2:
            part = f"(?:{grammar(data, depth + 1)}|{grammar(data, depth + 1)})"
        else:
            inner = grammar(data, depth + 1)
            quantifier = QUANTIFIERS[data.ConsumeIntInRange(0, len(QUANTIFIERS) - 1)]
            part = f"(?:{inner}){quantifier}"
        parts.append(part)
    return "".join(parts)


def adversarial(pattern: str, data: atheris.FuzzedDataProvider) -> list[str]:
    """Values that make a backtracking engine try many ways: long runs of one or two of the
    pattern's characters and a few from the bytes, then a character that ends no match."""
    chars = sorted({c for c in pattern if c.isprintable()} | {"a", "A", "0", " "})
    extra = data.ConsumeUnicodeNoSurrogates(8)
    out = []
    for first in chars[:12]:
        for second in ("", chars[data.ConsumeIntInRange(0, len(chars) - 1)], extra):
            unit = (first + second) or "a"
            body = (unit * MAX_SCALAR_TEXT)[: MAX_SCALAR_TEXT - 1]
            out += [body + "!", body + "\x00", body[: MAX_SCALAR_TEXT // 2] + "\u212a"]
    return out


def test_one_input(raw: bytes) -> None:
    data = atheris.FuzzedDataProvider(raw)
    if data.ConsumeBool():
        pattern = data.ConsumeUnicodeNoSurrogates(80)
    else:
        pattern = PREFIXES[data.ConsumeIntInRange(0, len(PREFIXES) - 1)] + grammar(data)
    try:
        check_pattern(pattern)
    except UnsafePattern:
        return
    try:
        limit = backtracker.bound(pattern, MAX_SCALAR_TEXT)
    except backtracker.TooBig:
        limit = None
    for text in adversarial(pattern, data):
        expected = re.fullmatch(pattern, text) is not None
        if limit is None:
            continue
        matched, steps = backtracker.run(pattern, text, limit + 1)
        if steps > backtracker.bound(pattern, len(text)):
            raise AssertionError(f"{pattern!r} took {steps} steps on {text[:20]!r}...")
        if matched != expected:
            raise AssertionError(f"model and re disagree on {pattern!r} / {text[:20]!r}...")


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
