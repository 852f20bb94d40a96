"""docs/catalogue.md is generated from the rules and current, and every message of the API's
error-code page (a copy lives in tests/fixtures/error-codes.txt) is produced by some rule,
byte for byte."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from support.bodies import FIXTURES

from ixrules.api import default_rules
from ixrules.catalogue import render_catalogue

TOP = Path(__file__).resolve().parent.parent
RULES = default_rules().ruleset.rules


def seed_messages() -> list[str]:
    """The bullet points of the 422 section of the error-code page."""
    text = (FIXTURES / "error-codes.txt").read_text(encoding="utf-8")
    return [line.strip()[2:] for line in text.splitlines() if line.strip().startswith("• ")]


def template(message: str) -> re.Pattern[str]:
    return re.compile(re.escape(message).replace(re.escape("{value}"), ".+"))


#: Seed messages no rule produces yet, with why (none left).
PENDING: dict[str, str] = {}


def test_the_catalogue_is_current() -> None:
    path = TOP / "docs" / "catalogue.md"
    assert path.read_text(encoding="utf-8") == render_catalogue(default_rules().ruleset), (
        "regenerate it: python -m ixrules.catalogue > docs/catalogue.md"
    )


def test_the_seed_has_45_messages() -> None:
    assert len(seed_messages()) == 45
    assert len(set(seed_messages())) == 41  # "Name has already been taken" is listed 3 times...


@pytest.mark.parametrize("message", sorted(set(seed_messages())))
def test_every_seed_message_has_a_rule(message: str) -> None:
    if message in PENDING:
        pytest.xfail(PENDING[message])
    produced = [rule.id for rule in RULES.values() if template(rule.message).fullmatch(message)]
    assert produced, f"no rule produces {message!r}"
