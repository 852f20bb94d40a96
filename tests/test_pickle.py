"""A ``Rules`` object travels: pickled to a spawned process (or a Dask worker) and deep-copied,
it answers exactly what the original does (its compiled trees are rebuilt, not copied)."""

from __future__ import annotations

import copy
import multiprocessing
import pickle
from pathlib import Path
from typing import Any

from ixrules import Rules
from ixrules.api import rules_dir

BODY = {"quote": {"retention": 200, "items": [{"unit": "kg"}]}}


def answer(rules: Rules) -> list[Any]:
    report = rules.validate(BODY, "quotes.update")
    return [issue.to_dict() for issue in report.errors]


def custom(tmp: Path) -> Rules:
    for path in rules_dir().glob("*.yaml"):
        (tmp / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    return Rules.load(tmp)


def test_rules_pickle_and_copy(tmp_path: Path) -> None:
    for executor in ("fast", "cerberus"):
        rules = Rules(custom(tmp_path).ruleset, executor=executor)
        expected = answer(rules)
        assert expected
        for other in (pickle.loads(pickle.dumps(rules)), copy.deepcopy(rules), copy.copy(rules)):
            assert other.executor == executor
            assert answer(other) == expected


def _answer_in_child(rules: Rules) -> list[Any]:
    return answer(rules)


def test_a_custom_rule_set_answers_in_a_spawned_worker(tmp_path: Path) -> None:
    rules = custom(tmp_path)
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        assert pool.apply(_answer_in_child, (rules,)) == answer(rules)
