"""Many threads validating different bodies against the one shared, compiled rule set get
exactly the answers a serial run gets (form backends call ixrules from many threads at once)."""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from strategies import LONG
from support.bodies import EXAMPLES, load_example

import ixrules
from ixrules.api import Rules, default_rules

THREADS = 16
ROUNDS = 60 if LONG else 6


def cases() -> list[tuple[Any, str | None, Any]]:
    """Every rule's example (each endpoint's rules, with their contexts), each example body
    of tests/fixtures with its endpoint inferred, and each of those with one field removed:
    valid and invalid bodies, for every endpoint the rules define."""
    out: list[tuple[Any, str | None, Any]] = []
    ruleset = default_rules().ruleset
    for rule in ruleset.rules.values():
        if rule.example is not None:
            example = dict(rule.example)
            out.append((example["body"], example.get("endpoint"), example.get("context")))
    for name, spec in ruleset.endpoints.items():  # a few rule examples sent to each endpoint
        used = [r for r, names in ruleset.rule_endpoints.items() if name in names]
        for rule_id in used[:3]:
            example = dict(ruleset.rules[rule_id].example or {})
            body = example.get("body")
            if isinstance(body, dict) and len(body) == 1 and spec.roots:
                value = next(iter(body.values()))
                out.append(({spec.roots[-1]: value}, name, example.get("context")))
    for path in sorted(Path(EXAMPLES).glob("*.json")):
        out.append((load_example(path.name), None, None))
    for body, endpoint, context in out[:60]:
        if isinstance(body, dict) and len(body) == 1:
            ((root, value),) = body.items()
            if isinstance(value, dict):
                for key in list(value)[:1]:
                    rest = {k: v for k, v in value.items() if k != key}
                    out.append(({root: rest}, endpoint, context))
    return out


def answer(rules: Rules, body: Any, endpoint: str | None, context: Any) -> Any:
    """What validating gives: the report as data, or the documented error."""
    try:
        return rules.validate(body, endpoint, context=context).to_dict()
    except (ixrules.BodyError, ixrules.EndpointError, ixrules.ContextError) as exc:
        return f"{type(exc).__name__}: {exc}"


@contextmanager
def frequent_switches() -> Iterator[None]:
    """Make the interpreter switch threads as often as it can, so calls interleave."""
    before = sys.getswitchinterval()
    sys.setswitchinterval(1e-5)
    try:
        yield
    finally:
        sys.setswitchinterval(before)


def run_threads(rules: Rules, work: list[tuple[Any, str | None, Any]]) -> list[list[Any]]:
    barrier = threading.Barrier(THREADS)
    results: list[list[Any]] = [[] for _ in range(THREADS)]
    failures: list[BaseException] = []

    def worker(index: int) -> None:
        try:
            # each thread its own order, so different bodies run at the same moment
            mine = work[index:] + work[:index]
            for _ in range(ROUNDS):
                barrier.wait(timeout=60)
                results[index].append([answer(rules, *case) for case in mine])
        except BaseException as exc:  # reported below, in the main thread
            failures.append(exc)
            barrier.abort()

    threads = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(THREADS)]
    with frequent_switches():
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=300)
    assert not any(thread.is_alive() for thread in threads), "a validating thread hangs"
    assert not failures, failures
    return results


def test_threads_get_the_serial_answers() -> None:
    rules = default_rules()
    work = cases()
    serial = [answer(rules, *case) for case in work]
    answered = {got["endpoint"] for got in serial if isinstance(got, dict)}
    with_rules = {
        name for names in default_rules().ruleset.rule_endpoints.values() for name in names
    }
    assert len(work) >= 40 and answered >= with_rules
    results = run_threads(rules, work)
    for index, rounds in enumerate(results):
        expected = serial[index:] + serial[:index]
        assert len(rounds) == ROUNDS
        for got in rounds:
            assert got == expected


def test_threads_sharing_a_freshly_loaded_rule_set() -> None:
    """A Rules object loaded by the caller is as shareable as the default one, from its
    very first call."""
    rules = Rules.load()
    work = cases()[:40]
    results = run_threads(rules, work)
    serial = [answer(default_rules(), *case) for case in work]
    for index, rounds in enumerate(results):
        assert all(got == serial[index:] + serial[:index] for got in rounds)


def test_loading_rules_in_many_threads() -> None:
    """Loading and compiling touches only the call's own objects (the check registry is only
    read), so rule sets loaded at once in many threads all answer alike."""
    loaded: list[Rules] = []
    barrier = threading.Barrier(8)

    def load() -> None:
        barrier.wait(timeout=60)
        loaded.append(Rules.load())

    threads = [threading.Thread(target=load, daemon=True) for _ in range(8)]
    with frequent_switches():
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
    assert len(loaded) == 8
    work = cases()[::4]
    serial = [answer(default_rules(), *case) for case in work]
    for rules in loaded:
        assert rules.endpoints() == ixrules.endpoints()
        assert [answer(rules, *case) for case in work] == serial
