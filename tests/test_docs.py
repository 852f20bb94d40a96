"""docs/rules.md documents the whole rule vocabulary: every check of the registry and every key
the loader accepts, and its example file is the one shown."""

from __future__ import annotations

from pathlib import Path

import pytest

from ixrules.checks import CHECKS
from ixrules.ruleformat import grammar

TOP = Path(__file__).resolve().parent.parent
RULES_MD = (TOP / "docs" / "rules.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(CHECKS))
def test_every_check_is_documented(name: str) -> None:
    assert f"| `{name}` |" in RULES_MD


KEYS = sorted(
    {
        *grammar.FIELD_KEYS,
        *grammar.RULE_KEYS,
        *grammar.ENDPOINT_KEYS,
        *grammar.ACTION_KEYS,
        *grammar.FILE_KEYS,
        *grammar.PACK_RULE_KEYS,
        *grammar.PACK_ACTION_KEYS,
    }
)


@pytest.mark.parametrize("key", KEYS)
def test_every_key_of_the_format_is_documented(key: str) -> None:
    assert f"`{key}`" in RULES_MD


def test_the_example_file_is_shown_as_it_is() -> None:
    example = (TOP / "docs" / "examples" / "things.yaml").read_text(encoding="utf-8")
    assert f"```yaml\n{example}```" in RULES_MD
