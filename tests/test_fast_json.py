"""The lint reads a body with orjson where it is installed, and only where orjson gives the very
values the ``json`` module does: large integers, ``1e400``, ``-0.0``, duplicate keys, lone
surrogates, ``NaN``, bytes that are not UTF-8 and deep nesting are read (or refused) exactly as
before; on generated JSON the two readers agree value for value, type for type."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ixrules.jsontext import NOT_READ, fast_loads, loads, long_digit_run
from ixrules.lint.checker import BadInput, parse
from ixrules.lint.problems import Failure

orjson = pytest.importorskip("orjson")


def same(a: Any, b: Any) -> bool:
    """Equal values of the same types all the way down (-0.0 is not 0.0, 1 is not 1.0 nor
    True), dict keys in the same order; iterative (a body may nest deeper than the stack)."""
    stack = [(a, b)]
    while stack:
        x, y = stack.pop()
        if type(x) is not type(y):
            return False
        if isinstance(x, float):
            if repr(x) != repr(y):
                return False
        elif isinstance(x, dict):
            if list(x) != list(y):
                return False
            stack.extend((x[key], y[key]) for key in x)
        elif isinstance(x, list):
            if len(x) != len(y):
                return False
            stack.extend(zip(x, y, strict=True))
        elif x != y:
            return False
    return True


TRICKY = [
    b"[18446744073709551616]",  # past 64 bits: orjson would give a float
    b"[-9223372036854775809]",
    b"[9223372036854775807, 18446744073709551615]",
    b"[1234567890123456789]",
    b"[12345678901234567890.5]",
    b'{"id": "12345678901234567890"}',
    b"[1e400, -1e400]",
    b"[1e-400]",
    b"[-0.0, -0, 0.0]",
    b'{"a": 1, "a": 2}',
    b'{"a": {"b": 1}, "a": [2]}',
    b'["\\ud800"]',
    b'["\\udc00\\ud800"]',
    b'["\\ud83d\\ude00"]',
    b'{"\\ud800": 1}',
    b"[1.7976931348623157e308, 5e-324, 2.2250738585072011e-308, 0.1, 1E2]",
    b'"\\u0000"',
    b"[" * 600 + b"]" * 600,
    b"[" * 2000 + b"]" * 2000,
    b'{"invoice": {"date": "03/12/2017", "items": [{"unit_price": 1.50, "quantity": 2}]}}',
    b"  \t[1]\r\n",
    b"[true, false, null]",
]


@pytest.mark.parametrize("data", TRICKY)
def test_orjson_is_used_only_where_it_reads_the_same_values(data: bytes) -> None:
    fast = fast_loads(data)
    if fast is NOT_READ:
        return
    assert same(fast, loads(data.decode("utf-8")))


@pytest.mark.parametrize(
    "data",
    [
        b"[18446744073709551616]",
        b"[-9223372036854775809]",
        b"[1e400]",
        b'["\\ud800"]',
        b"[NaN]",
        b'["\xed\xa0\x80"]',  # a surrogate encoded in UTF-8: not UTF-8
        b"[" * 2000 + b"]" * 2000,
    ],
)
def test_what_orjson_reads_otherwise_is_left_to_the_exact_reader(data: bytes) -> None:
    assert fast_loads(data) is NOT_READ


def test_orjson_reads_the_common_body() -> None:
    data = b'{"invoice": {"date": "03/12/2017", "items": [{"unit_price": "1.5"}], "x": -0.0}}'
    value = fast_loads(data)
    assert value is not NOT_READ and same(value, json.loads(data))
    assert fast_loads(data, reader=None) is NOT_READ  # without orjson: the json module's


def parsed(data: bytes) -> tuple[str, Any]:
    try:
        return "value", parse("x.jsonl", data, line=1)[1]  # a JSON Lines body: orjson's
    except BadInput as exc:
        return "refused", exc.failure


@pytest.mark.parametrize("data", TRICKY)
def test_the_lint_parses_as_without_orjson(data: bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    got = parsed(data)
    monkeypatch.setattr("ixrules.lint.checker.fast_loads", lambda data: NOT_READ)
    expected = parsed(data)
    assert got[0] == expected[0]
    if got[0] == "value":
        assert same(got[1], expected[1])
    else:
        assert isinstance(got[1], Failure) and got[1] == expected[1]


def test_a_small_file_is_parsed_without_importing_orjson(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    asked: list[bytes] = []
    monkeypatch.setattr("ixrules.lint.checker.fast_loads", lambda data: asked.append(data))
    parse("x.json", b'{"a": 1}')
    assert asked == []
    parse("x.jsonl", b'{"a": 1}', line=3)
    parse("x.json", b'{"a": "' + b"x" * (256 << 10) + b'"}')
    assert len(asked) == 2


def test_the_lint_says_why_as_before() -> None:
    for data, reason in [
        (b'{"a": NaN}', "not valid JSON: NaN is not a JSON value"),
        (b'{"a": 1', "not valid JSON: Expecting ',' delimiter"),
        (b'["\xff"]', "not UTF-8 text: byte 0xff"),
        (b"[" + b"9" * 5000 + b"]", "cannot read: an integer of 5,000 digits"),
    ]:
        with pytest.raises(BadInput) as caught:
            parse("x.json", data)
        assert caught.value.failure.reason.startswith(reason)


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda children: (
        st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=8), children, max_size=5)
    ),
    max_leaves=30,
)


@settings(max_examples=1_500, deadline=None)
@given(json_values, st.booleans())
def test_on_generated_json_the_two_readers_agree(value: Any, ascii_only: bool) -> None:
    text = json.dumps(value, ensure_ascii=ascii_only)
    data = text.encode("utf-8", "surrogatepass")
    fast = fast_loads(data)
    if fast is not NOT_READ:
        assert same(fast, loads(text))


@settings(max_examples=2_000, deadline=None)
@given(st.binary(max_size=80) | st.text(alphabet='0123456789 .e-"', max_size=80).map(str.encode))
def test_a_long_run_of_digits_is_found_as_the_regex_finds_it(data: bytes) -> None:
    """``fast_loads`` leaves to the exact reader every body with a run of 19 ASCII digits (an
    integer orjson may read as a float), found by a translate and a substring search: the
    same bodies as the regex ``[0-9]{19}`` finds."""
    assert long_digit_run(data) == (re.search(rb"[0-9]{19}", data) is not None)
