"""The examples in the docstrings, the README and docs/ run and print what they say."""

from __future__ import annotations

import doctest
import importlib
import pkgutil
from pathlib import Path

import pytest

import ixrules

TOP = Path(__file__).resolve().parent.parent
MODULES = [
    "ixrules",
    *sorted(
        name
        for _, name, _ in pkgutil.walk_packages(ixrules.__path__, "ixrules.")
        if not name.endswith("__main__")
    ),
]
DOCUMENTS = ["README.md", *sorted(str(p.relative_to(TOP)) for p in (TOP / "docs").glob("*.md"))]
FLAGS = doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS


@pytest.mark.parametrize("name", MODULES)
def test_module_examples(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name), optionflags=FLAGS)
    assert result.failed == 0


@pytest.mark.parametrize("name", DOCUMENTS)
def test_document_examples(name: str) -> None:
    result = doctest.testfile(str(TOP / name), module_relative=False, optionflags=FLAGS)
    assert result.failed == 0
