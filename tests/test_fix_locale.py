"""``ixrules lint --locale`` and the configuration's ``locale``: the language the values were
written in drives the locale fixes (``"1,5"`` -> ``"1.5"`` under ``pt``; an ambiguous dashed
date read month first under ``en_US``) with ``--fix``, ``--diff``, ``--unsafe-fixes`` and
``--jobs``; the command line wins over the configuration."""

from __future__ import annotations

from pathlib import Path

from cli_runner import Run, run

BODY = (
    b'{"invoice": {"date": "05-01-2026", "due_date": "31/12/2026",\r\n'
    b'  "client": {"name": "Ac\xc3\xa9", "code": "A1"},\r\n'
    b'  "items": [{"name": "Pen", "unit_price": "1,5", "quantity": "1"}]}}\r\n'
)
DAY_FIRST = BODY.replace(b'"05-01-2026"', b'"05/01/2026"')
MONTH_FIRST = BODY.replace(b'"05-01-2026"', b'"01/05/2026"')
POINT = b'"unit_price": "1.5"'


def lint(tmp: Path, *args: str) -> Run:
    return Run(["lint", "--no-progress", *args], cwd=tmp)


def body(tmp: Path, config: str | None = None) -> Path:
    if config is not None:
        (tmp / ".ixrules.yaml").write_text(config, encoding="utf-8")
    path = tmp / "a.json"
    path.write_bytes(BODY)
    return path


def test_without_a_locale_a_decimal_comma_is_not_fixed(tmp_path: Path) -> None:
    path = body(tmp_path)
    result = run(lint(tmp_path, "--fix", "--unsafe-fixes", "a.json"))
    assert path.read_bytes() == DAY_FIRST
    assert "a.json:3:43: Unit price must be a number [item.unit_price.number]" in result.out
    assert "Fixed 1 problem." in result.out and result.code == 1


def test_locale_pt_fixes_a_decimal_comma_only_with_unsafe_fixes(tmp_path: Path) -> None:
    path = body(tmp_path)
    safe = run(lint(tmp_path, "--fix", "--locale", "pt", "a.json"))
    assert path.read_bytes() == DAY_FIRST
    assert "(1 more fixable with --unsafe-fixes)" in safe.out and safe.code == 1
    result = run(lint(tmp_path, "--fix", "--unsafe-fixes", "--locale", "pt", "a.json"))
    assert path.read_bytes() == DAY_FIRST.replace(b'"unit_price": "1,5"', POINT)
    assert "Fixed 1 problem." in result.out and result.code == 0


def test_diff_under_a_locale_writes_nothing(tmp_path: Path) -> None:
    path = body(tmp_path)
    result = run(lint(tmp_path, "--diff", "--unsafe-fixes", "--locale", "en_US", "a.json"))
    assert path.read_bytes() == BODY and result.code == 1
    assert '-{"invoice": {"date": "05-01-2026", "due_date": "31/12/2026",\r\n' in result.out
    assert '+{"invoice": {"date": "01/05/2026", "due_date": "31/12/2026",\r\n' in result.out
    assert "1,5" in result.out and "1.5" not in result.out


def test_the_configuration_gives_the_locale_and_jobs_take_it(tmp_path: Path) -> None:
    path = body(tmp_path, "locale: pt\n")
    result = run(lint(tmp_path, "--fix", "--unsafe-fixes", "-j", "2", "a.json"))
    assert path.read_bytes() == DAY_FIRST.replace(b'"unit_price": "1,5"', POINT)
    assert result.code == 0, result.err
    path.write_bytes(BODY)
    checked = run(lint(tmp_path, "-j", "2", "--strict", "a.json"))  # messages in Portuguese too
    assert "[document.date.written]" in checked.out and checked.code == 1
    assert "Should be written" not in checked.out


def test_the_command_line_wins_over_the_configuration(tmp_path: Path) -> None:
    path = body(tmp_path, "locale: pt\n")
    result = run(lint(tmp_path, "--fix", "--unsafe-fixes", "--locale", "en_US", "a.json"))
    assert path.read_bytes() == MONTH_FIRST
    assert "a.json:3:43: Unit price must be a number [item.unit_price.number]" in result.out


def test_a_locale_in_the_configuration_is_a_language_code(tmp_path: Path) -> None:
    body(tmp_path, "locale: [pt]\n")
    result = run(lint(tmp_path, "a.json"))
    assert result.code == 2
    assert ".ixrules.yaml:1: locale must be a language code (pt, es, en_US)" in result.err


def test_an_unknown_locale_in_the_configuration_is_refused_with_its_line(tmp_path: Path) -> None:
    body(tmp_path, "strict: false\nlocale: xx\n")
    result = run(lint(tmp_path, "a.json"))
    assert result.code == 2
    assert (
        ".ixrules.yaml:2: unknown locale 'xx': write a language code (pt, es, en_US)" in result.err
    )


def test_an_unknown_locale_on_the_command_line_is_refused(tmp_path: Path) -> None:
    """It used to read the values and write the messages as English without a word."""
    body(tmp_path)
    result = run(lint(tmp_path, "--locale", "xx", "--fix", "a.json"))
    assert (result.code, result.out) == (2, "")
    assert "--locale 'xx': no such locale (pt, es, en_US, ...)" in result.err
    assert (tmp_path / "a.json").read_bytes() == BODY
    assert run(lint(tmp_path, "--locale", "pt-PT", "a.json")).code == 1


def test_a_browser_date_is_warned_and_fixed_under_a_month_first_locale(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    sent = b'{"invoice": {"date": "3/6/2021", "due_date": "31/12/2021"}}\n'
    path.write_bytes(sent)
    plain = run(lint(tmp_path, "--endpoint", "invoices.update", "a.json"))
    assert (plain.code, plain.out) == (0, "No problems found; 1 file checked.\n")
    warned = run(lint(tmp_path, "--endpoint", "invoices.update", "--locale", "en_US", "a.json"))
    assert (
        "a.json:1:22: warning: Should be written dd/mm/yyyy: the API reads 3/6/2021 day first "
        "[document.date.month_first]" in warned.out
    )
    fixed = run(
        lint(
            tmp_path,
            "--endpoint",
            "invoices.update",
            "--locale",
            "en_US",
            "--fix",
            "--unsafe-fixes",
            "a.json",
        )
    )
    assert fixed.code == 0, fixed.out + fixed.err
    assert path.read_bytes() == sent.replace(b'"3/6/2021"', b'"06/03/2021"')
