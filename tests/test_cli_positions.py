"""The position scanner: every JSON pointer maps to where its value starts, for any JSON text
``json.dumps`` can write, and the lint positions of missing keys, duplicates and bad input."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ixrules.lint.checker import BadInput, Settings, check_body, parse
from ixrules.lint.positions import (
    constant_offset,
    line_col,
    nearest,
    newline_offsets,
    value_offsets,
)
from ixrules.lint.problems import Failure, Problem

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=30,
)


def pointers(value: Any, prefix: str = "") -> dict[str, Any]:
    out = {prefix: value}
    if isinstance(value, dict):
        for key, item in value.items():
            escaped = key.replace("~", "~0").replace("/", "~1")
            out.update(pointers(item, f"{prefix}/{escaped}"))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            out.update(pointers(item, f"{prefix}/{index}"))
    return out


@settings(max_examples=100, deadline=None)
@given(JSON, st.sampled_from([None, 1, 2]), st.booleans())
def test_every_pointer_maps_to_the_start_of_its_value(
    value: Any, indent: int | None, ascii_only: bool
) -> None:
    text = json.dumps(value, indent=indent, ensure_ascii=ascii_only)
    offsets = value_offsets(text)
    expected = pointers(value)
    assert set(offsets) == set(expected)
    decoder = json.JSONDecoder()
    for pointer, offset in offsets.items():
        assert decoder.raw_decode(text, offset)[0] == expected[pointer]


def test_line_and_column_count_characters_from_1() -> None:
    text = '{\r\n  "é": ["x",\n\t"y"]}'
    offsets = value_offsets(text)
    newlines = newline_offsets(text)
    assert line_col(text, offsets["/é"], newlines) == (2, 8)
    assert line_col(text, offsets["/é/1"], newlines) == (3, 2)
    assert line_col(text, offsets[""]) == (1, 1)


def test_duplicate_keys_map_to_the_last_occurrence() -> None:
    text = '{"a": {"x": 1}, "a": {"y": 2}}'
    data = json.loads(text)
    offsets = value_offsets(text)
    assert offsets["/a"] == text.rindex("{")
    # /a/x was in the first "a", which json dropped: the nearest existing value is /a
    assert nearest(data, offsets, "/a/x") == "/a"
    assert nearest(data, offsets, "/a/y") == "/a/y"


def test_nearest_existing_parent_for_missing_keys_and_items() -> None:
    data = {"invoice": {"items": [{"name": "Pen"}]}}
    offsets = value_offsets(json.dumps(data))
    assert nearest(data, offsets, "/invoice/items/0/unit") == "/invoice/items/0"
    assert nearest(data, offsets, "/invoice/items/3/unit") == "/invoice/items"
    assert nearest(data, offsets, "/invoice/client/name") == "/invoice"
    assert nearest(data, offsets, "/quote") == ""


def test_escaped_keys() -> None:
    text = '{"a/b": {"c~d": 1}}'
    assert value_offsets(text)["/a~1b/c~0d"] == text.index("1")


def test_constants_are_found_where_they_are() -> None:
    assert constant_offset('{"a": "NaN", "b": [Infinity]}') == (19, "Infinity")
    assert constant_offset('{"a": 1}') is None


def test_scanner_stops_quietly_on_text_that_is_not_json() -> None:
    assert value_offsets('{"a": [1, }') == {"": 0, "/a": 6, "/a/0": 7, "/a/1": 10}
    assert value_offsets("") == {"": 0}


@pytest.mark.parametrize(
    ("data", "line", "failure"),
    [
        (b"", None, Failure("f", "empty: expected a JSON object", 1, 1)),
        (b'{"a":\n 1,}', None, Failure("f", "not valid JSON: Expecting property name enclosed in "
                                            "double quotes", 2, 4)),
        (b'{"a": 1} {}', 7, Failure("f", "not valid JSON: Extra data", 7, 10)),
        (b'{"a":\n "\xff"}', None, Failure("f", "not UTF-8 text: byte 0xff", 2, 3)),
        (b'{"a": -Infinity}', None, Failure("f", "not valid JSON: -Infinity is not a JSON value",
                                            1, 7)),
        (b'{"a": "\x01"}', None, Failure("f", "not valid JSON: Invalid control character at", 1,
                                         8)),
        # issue 27 item 16: the integer's own place, and a reason a user can act on
        (b'{"n": ' + b"1" * 5000 + b"}", None, Failure("f", "cannot read: an integer of 5,000 "
         "digits (at most 4,300 are read)", 1, 7)),
    ],
)  # fmt: skip
def test_unreadable_bodies_say_where_and_why(
    data: bytes, line: int | None, failure: Failure
) -> None:
    with pytest.raises(BadInput) as caught:
        parse("f", data, line)
    assert caught.value.failure == failure


def test_a_body_no_endpoint_takes_is_a_failure_at_its_start() -> None:
    assert check_body("f", b'\n  ["invoice"]', Settings()) == [
        Failure("f", "cannot validate: the body must be a JSON object, not an array", 2, 3)
    ]


def test_json_lines_positions_are_the_file_line_and_a_column_in_it() -> None:
    line = b'{"quote": {"client": {"name": "A", "country": "Germani"}}}\n'
    problems = check_body("e.jsonl", line, Settings("quotes.update"), line=42)
    assert [(p.line, p.column, p.rule) for p in problems if isinstance(p, Problem)] == [
        (42, 22, "document.client.invalid"),
        (42, 47, "country.known"),
    ]
