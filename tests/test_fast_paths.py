"""The start-up fast paths answer as their libraries do: a common e-mail address is accepted
without importing email-validator only when email-validator accepts it, and a NIF of nine digits
gets python-stdnum's verdict from the mod-11 arithmetic, on large generated sets and on what
Hypothesis draws. Neither library is imported when a body needs neither's authority."""

from __future__ import annotations

import json
import random
import string
import subprocess
import sys

import pytest
from email_validator import EmailNotValidError, validate_email
from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum.pt import nif

import ixrules
from ixrules.checks.text import common_address
from ixrules.countries import fold
from ixrules.fiscal import is_valid_pt_nif, nif_digits_valid, vat_country


def library_accepts(address: str) -> bool:
    try:
        validate_email(address, check_deliverability=False, test_environment=True)
    except EmailNotValidError:
        return False
    return True


# --- e-mail -----------------------------------------------------------------------------------

#: Pieces of local parts and labels, the common ones and the edges of the fast path's form.
LOCAL_PIECES = [
    *"abcxyzABZ0129_%+-.",
    "ana",
    "silva",
    "..",
    "!",
    "#",
    "'",
    '"',
    " ",
    "é",
    "ü",
    "(",
    "@",
    "~",
    "=",
    "/",
    "\u00a0",
    "\u200b",
]
COMMON_PIECES = [*"abcxyzABZ0129_%+-", "ana", "silva", "."]
LABELS = [
    "example",
    "mail",
    "EXAMPLE",
    "pt",
    "com",
    "a",
    "1",
    "123",
    "a-b",
    "-ab",
    "ab-",
    "xn--bcher-kva",
    "xn--abc",
    "ab--cd",
    "a--b",
    "a" * 63,
    "a" * 64,
    "",
    "test",
    "local",
    "localhost",
    "onion",
    "arpa",
    "invalid",
    "example_x",
    "bücher",
    "ex ample",
    "co",
    "uk",
    "x1",
]
TOPS = ["pt", "com", "PT", "io", "c", "1", "123", "co1", "test", "local", "arpa", "onion", "x"]


def generated_addresses(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        pieces = COMMON_PIECES if rng.random() < 0.6 else LOCAL_PIECES
        local = "".join(rng.choice(pieces) for _ in range(rng.choice((1, 2, 4, 8, 20))))
        if rng.random() < 0.02:
            local = "a" * rng.choice((63, 64, 65))
        labels = [rng.choice(LABELS[:6]) for _ in range(rng.choice((1, 1, 2)))]
        if rng.random() < 0.5:
            labels = [rng.choice(LABELS) for _ in range(rng.choice((0, 1, 1, 2, 3)))]
        domain = ".".join([*labels, rng.choice(TOPS[:3] if rng.random() < 0.5 else TOPS)])
        if rng.random() < 0.02:
            domain = ".".join(["a" * 63] * 4) + ".pt"  # past 253 characters
        at = rng.choice(("@",) * 8 + ("@@", ""))
        out.append(f"{local}{at}{domain}")
    return out


def test_every_common_address_is_one_email_validator_accepts() -> None:
    addresses = generated_addresses(40_000, seed=26)
    fast = [address for address in addresses if common_address(address)]
    refused = [address for address in fast if not library_accepts(address)]
    assert refused == []
    assert len(fast) > 4_000  # the fast path does decide a good share of them


@settings(max_examples=3_000, deadline=None)
@given(
    st.text(alphabet=string.ascii_letters + string.digits + "._%+-@!#'é", max_size=30),
    st.lists(st.text(alphabet=string.ascii_letters + string.digits + "-_", max_size=8)),
    st.text(alphabet=string.ascii_letters + string.digits + "-", max_size=6),
)
def test_a_drawn_common_address_is_one_email_validator_accepts(
    local: str, labels: list[str], top: str
) -> None:
    address = f"{local}@{'.'.join([*labels, top])}"
    if common_address(address):
        assert library_accepts(address), address


def test_the_fast_path_refuses_what_it_cannot_vouch_for() -> None:
    for address in (
        "a@b",  # a domain without a dot
        "a@b.c1",  # a top-level domain with a digit
        "a@b.test",  # special-use (email-validator takes it in its test environment)
        "a@xn--bcher-kva.pt",  # Punycode: email-validator decodes it
        "a..b@example.pt",
        ".a@example.pt",
        "a.@example.pt",
        "ana@-example.pt",
        "ana@example-.pt",
        "a" * 65 + "@example.pt",
        "josé@example.pt",  # not ASCII: email-validator decides
        "a!b@example.pt",  # valid atext, but outside the common form
    ):
        assert not common_address(address), address


def test_an_address_outside_the_fast_path_is_still_decided_by_email_validator() -> None:
    report = ixrules.validate(
        {"client": {"name": "Acme", "email": "josé@example.pt"}}, "clients.create"
    )
    assert report.ok
    report = ixrules.validate({"client": {"name": "Acme", "email": "a@b.test"}}, "clients.create")
    assert report.ok
    report = ixrules.validate({"client": {"name": "Acme", "email": "a@b"}}, "clients.create")
    assert [issue.rule for issue in report.issues] == ["client.email.valid"]


# --- NIF --------------------------------------------------------------------------------------


def test_nine_digits_get_stdnums_verdict() -> None:
    rng = random.Random(26)
    numbers = [f"{rng.randrange(10**9):09d}" for _ in range(100_000)]
    numbers += [f"{first}{rng.randrange(10**8):08d}" for first in "0125689" for _ in range(2_000)]
    different = [n for n in numbers if nif_digits_valid(n) != nif.is_valid(n)]
    assert different == []
    assert 9_000 < sum(nif.is_valid(n) for n in numbers) < 12_000  # about one in eleven


def test_a_prefixed_or_odd_number_gets_stdnums_verdict() -> None:
    rng = random.Random(27)
    numbers = []
    for _ in range(20_000):
        digits = f"{rng.randrange(10**9):09d}"
        prefix = rng.choice(("", "PT", "pt", "Pt", "pT", "PT ", "P", "ES", "\uff30\uff34"))
        digits = rng.choice((digits, digits[:8], digits + "0", digits.replace("1", "\u0661")))
        numbers.append(prefix + digits)
    for number in numbers:
        verdict = nif_digits_valid(number)
        assert verdict is None or verdict == nif.is_valid(number), number
        assert is_valid_pt_nif(number) == nif.is_valid("".join(number.split())), number


@settings(max_examples=2_000, deadline=None)
@given(st.text(alphabet="0123456789PTpt -.\u0661", max_size=13))
def test_a_drawn_number_gets_stdnums_verdict(number: str) -> None:
    compact = "".join(number.split())
    if compact:
        assert is_valid_pt_nif(number) == nif.is_valid(compact)


@settings(max_examples=2_000, deadline=None)
@given(st.text(alphabet="0123456789FRPTfrpt -.\u0661\u00a0", max_size=16))
def test_a_number_that_starts_with_a_digit_belongs_to_no_vat_country(number: str) -> None:
    """``vat_country`` answers None at once for a text starting with an ASCII digit (most
    numbers): what it answers after compacting the number."""
    compact = "".join(number.split())
    expected = None
    if 3 <= len(compact) <= 64 and compact[:2].isalpha():
        expected = vat_country(" " + number)  # a leading blank: the long way
    if number[:1].isascii() and number[:1].isdigit():
        assert expected is None
    assert vat_country(number) == expected


# --- country names ----------------------------------------------------------------------------


@settings(max_examples=2_000, deadline=None)
@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=24))
def test_an_ascii_name_folds_as_the_unicode_way_folds_it(name: str) -> None:
    """``fold`` skips the decomposition for ASCII text (Portugal, Spain, ...): the same answer."""
    import unicodedata

    slow = unicodedata.normalize("NFKD", name.replace("\u2019", "'"))
    slow = "".join(ch for ch in slow if not unicodedata.combining(ch)).casefold().strip()
    assert fold(name) == slow


# --- what a body needs ------------------------------------------------------------------------


def loaded_after(code: str) -> list[str]:
    probe = f"{code}\nimport sys, json\nprint(json.dumps(sorted(sys.modules)))"
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout
    return list(json.loads(out))


def test_a_common_address_and_nif_import_neither_library() -> None:
    body = {
        "client": {
            "name": "Acme",
            "email": "ana.silva@example.pt",
            "fiscal_id": "508025338",
            "country": "Portugal",
        }
    }
    loaded = loaded_after(f"import ixrules\nassert ixrules.validate({body!r}).ok")
    assert [name for name in loaded if name.split(".")[0] in {"email_validator", "stdnum"}] == []


def test_an_uncommon_address_imports_email_validator() -> None:
    body = {"client": {"name": "Acme", "email": "josé@example.pt"}}
    loaded = loaded_after(f"import ixrules\nixrules.validate({body!r})")
    assert "email_validator" in loaded


# --- dates ------------------------------------------------------------------------------------


def test_a_call_reads_each_date_once_and_the_next_call_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from ixrules.checks import numbers

    read: list[object] = []
    real = numbers.date_parts

    def counted(value: object) -> object:
        read.append(value)
        return real(value)

    monkeypatch.setattr(numbers, "date_parts", counted)
    rules = ixrules.Rules.load()
    body = {"invoice": {"date": "03/12/2017", "due_date": "01/12/2017"}}
    report = rules.validate(body, "invoices.update")
    assert [issue.rule for issue in report.issues] == ["document.due_date.after_date"]
    assert sorted(map(str, read)) == ["01/12/2017", "03/12/2017"]
    rules.validate(body, "invoices.update")  # no cache between calls: read again
    assert len(read) == 4
    same = {"invoice": {"date": "31/02/2017", "due_date": "31/02/2017"}}
    assert [issue.rule for issue in rules.validate(same, "invoices.update").issues] == [
        "document.date.valid",
        "kind.date",
    ]
    assert read[4:] == ["31/02/2017"]


@settings(max_examples=3000, deadline=None)
@given(
    day=st.integers(0, 32),
    month=st.integers(0, 13),
    year=st.one_of(st.integers(0, 10_000), st.sampled_from([1900, 2000, 2100, 2024, 2023])),
    iso=st.booleans(),
)
def test_a_date_s_parts_are_what_datetime_makes_of_it(
    day: int, month: int, year: int, iso: bool
) -> None:
    """The checks read a date as ``(year, month, day)`` without importing datetime: valid
    exactly when ``datetime.date`` takes it, leap years and the year range included."""
    import datetime

    from ixrules.values import as_date, date_parts

    text = f"{year:04d}-{month}-{day}" if iso else f"{day:02d}/{month:02d}/{year:04d}"
    try:
        expected: object = datetime.date(year, month, day)
    except ValueError:
        expected = None
    parts = date_parts(text)
    assert (None if parts is None else datetime.date(*parts)) == expected == as_date(text)
