"""/sequences: the series name rule (see docs/endpoints.md) and the taken series."""

from __future__ import annotations

from typing import Any

import pytest
from support.bodies import changed, load_example
from support.documents import validate

import ixrules

BODY = load_example("docs-v2-sequence-create.json")
INVALID = [("The sequence name is invalid", "/sequence/serie", "sequence.serie.valid")]


@pytest.mark.parametrize("serie", ["2017", 2017, "A", "FT-2024", "série_1", "2024.B", " 2024 "])
def test_names_that_can_number_a_document_pass(serie: Any) -> None:
    assert validate("sequences.create", changed(BODY, "/sequence/serie", serie)) == []


@pytest.mark.parametrize("serie", ["A/2024", "A 2024", "A^1", "/"])
def test_names_that_cannot_number_a_document_are_invalid(serie: str) -> None:
    assert validate("sequences.create", changed(BODY, "/sequence/serie", serie)) == INVALID


def test_a_taken_series_needs_the_existing_series() -> None:
    assert validate("sequences.create", BODY, {"existing": {"sequences": ["2016", "2017"]}}) == [
        ("Serie has already been taken", "/sequence/serie", "sequence.serie.taken")
    ]
    assert validate("sequences.create", BODY, {"existing": {"sequences": ["2016"]}}) == []
    report = ixrules.validate(BODY)
    assert report.endpoint == "sequences.create" and report.skipped == ["sequence.serie.taken"]
