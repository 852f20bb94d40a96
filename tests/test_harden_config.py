"""Issue 27 item 9: every problem with a configuration is a ``ConfigError`` naming the file and
line, read in bounded time and memory. Before: a ``pyproject.toml`` nested 600 deep and a
5,000-digit integer were tracebacks in every command, ``--exclude 'x[]'`` an ``re.error``, a chain
of 300 included configurations a ``RecursionError``, a FIFO listed in ``rules:`` hung, a 1.5 GB
file was read whole, and an 8,000-item TOML list took 16.5 s.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pytest

from ixrules.cli import main as cli
from ixrules.config import Config, load_config, parse_config
from ixrules.configfind import MAX_CONFIG_BYTES
from ixrules.ruleformat.errors import ConfigError

INVOICE = '{"invoice": {"date": "03/12/2017"}}'


def lint(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(["lint", "--no-progress", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def project(root: Path, pyproject: str) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / ".git").mkdir(exist_ok=True)  # discovery stops here
    (root / "pyproject.toml").write_text(pyproject, encoding="utf-8")
    (root / "a.json").write_text(INVOICE, encoding="utf-8")
    return root


def refused(path: Path) -> tuple[str, int, str]:
    with pytest.raises(ConfigError) as raised:
        load_config(path)
    return raised.value.file, raised.value.line, raised.value.problem


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("[" * 600 + "]" * 600, "nested deeper than 64 levels"),
        ("{a = " * 600 + "1" + "}" * 600, "nested deeper than 64 levels"),
        ("9" * 5000, "a number too long to read"),
        ("[1, 2, " + "1_" * 4400 + "1]", "a number too long to read"),
    ],
    ids=["arrays", "inline tables", "integer", "integer with underscores"],
)
def test_what_tomllib_cannot_read_is_an_error_at_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
    value: str, problem: str,
) -> None:  # fmt: skip
    root = project(tmp_path, f"[tool.ixrules]\nstrict = true\n\nx = {value}\n")
    assert refused(root / "pyproject.toml")[1:] == (4, problem)
    monkeypatch.chdir(root)
    for command in (["lint", "--no-progress", "a.json"], ["rules"], ["schema", "quotes.update"]):
        code = cli.main(command)
        out, err = capsys.readouterr()
        assert (code, out) == (2, "")
        assert err == f"ixrules: error: broken configuration: pyproject.toml:4: {problem}\n"


def test_brackets_in_strings_and_comments_are_no_nesting(tmp_path: Path) -> None:
    text = (
        "[tool.ixrules]\n"
        f'exclude = [\'{"[" * 100}\', "{"{" * 100}\\"{"[" * 100}"]  # {"[" * 100}\n'
        "rules = []\n"
        f'strict = true\nnote = """\n{"[" * 100}\n"""\n'
    )
    root = project(tmp_path, text)
    with pytest.raises(ConfigError) as raised:  # read past the strings: then the unknown key
        load_config(root / "pyproject.toml")
    assert (raised.value.line, raised.value.problem) == (
        5,
        "unknown key 'note' (known: rules, ignore, severity, files, exclude, strict, "
        "per-file-ignores, locale)",
    )


@pytest.mark.parametrize(
    ("glob", "reason"),
    [("x[]", "an empty '[]' in the glob 'x[]'"), ("[z-a].json", "bad '[...]' in the glob "
     "'[z-a].json': bad character range z-a"), ("a[!]", "an empty '[]' in the glob 'a[!]'")],
)  # fmt: skip
def test_a_bad_glob_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
    glob: str, reason: str,
) -> None:  # fmt: skip
    root = project(tmp_path, "[tool.ixrules]\nstrict = false\n")
    monkeypatch.chdir(root)
    assert lint(capsys, "--exclude", glob, "a.json") == (
        2, "", f"ixrules: error: --exclude {glob!r}: {reason}\n"
    )  # fmt: skip
    with pytest.raises(ConfigError) as raised:
        parse_config(".ixrules.yaml", f"strict: true\nexclude:\n  - ok/*.json\n  - '{glob}'\n")
    assert str(raised.value) == f".ixrules.yaml:4: bad glob {glob!r}: {reason}"


def chain(tmp_path: Path, length: int) -> Path:
    """``length`` configurations, each including the next one through ``rules``."""
    for number in range(length):
        folder = tmp_path / f"c{number:03}"
        folder.mkdir(parents=True)
        last = number == length - 1
        text = "strict: true\n" if last else f"rules: [../c{number + 1:03}/.ixrules.yaml]\n"
        (folder / ".ixrules.yaml").write_text(text, encoding="utf-8")
    return tmp_path / "c000" / ".ixrules.yaml"


def test_included_configurations_nest_at_most_32_deep(tmp_path: Path) -> None:
    assert load_config(chain(tmp_path / "short", 32)) == Config(
        path=str(tmp_path / "short" / "c000" / ".ixrules.yaml"), root=str(tmp_path / "short/c000")
    )
    file, line, problem = refused(chain(tmp_path / "long", 300))
    assert (file, line) == (str(tmp_path / "long" / "c031" / ".ixrules.yaml"), 1)
    assert problem == "configurations included more than 32 deep"


@pytest.mark.skipif(sys.platform == "win32", reason="FIFOs")
def test_a_fifo_is_never_opened_for_reading_and_waited_on(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    os.mkfifo(tmp_path / "sub" / ".ixrules.yaml")
    os.mkfifo(tmp_path / "pyproject.toml")
    started = time.monotonic()
    with pytest.raises(ConfigError) as raised:
        parse_config(".ixrules.yaml", "rules: [sub/.ixrules.yaml]\n", root=str(tmp_path))
    assert str(raised.value) == (
        f"{tmp_path / 'sub' / '.ixrules.yaml'}:1: cannot read: not a regular "
        "file (a FIFO, device or socket)"
    )
    assert refused(tmp_path / "pyproject.toml")[2] == (
        "cannot read: not a regular file (a FIFO, device or socket)"
    )
    assert time.monotonic() - started < 5


def test_a_configuration_past_the_size_limit_is_not_read(tmp_path: Path) -> None:
    huge = tmp_path / ".ixrules.yaml"
    with huge.open("wb") as handle:  # 1.5 GB, sparse: nothing is written but its size
        handle.truncate(1_500_000_000)
    started = time.monotonic()
    assert refused(huge)[1:] == (1, f"cannot read: larger than {MAX_CONFIG_BYTES:,} bytes")
    assert time.monotonic() - started < 5


def test_thousands_of_entries_are_read_in_linear_time(tmp_path: Path) -> None:
    """16,000 ``files`` tables and a 16,000-item list (8,000 items took 16.5 s: each item's line
    was looked up by scanning the file again)."""
    entries = 16_000
    text = "[tool.ixrules]\nexclude = [\n" + "".join(f'  "x{i}/*.json",\n' for i in range(entries))
    text += "]\n" + "".join(
        f'[[tool.ixrules.files]]\nmatch = "m{i}/*.json"\nendpoint = "invoices.create"\n'
        for i in range(entries)
    )
    root = project(tmp_path, text)
    started = time.monotonic()
    config = load_config(root / "pyproject.toml")
    assert not config.excluded(str(root / "a.json")) and config.excluded(str(root / "x7/a.json"))
    assert config.endpoint_for(str(root / "m9/a.json")) == "invoices.create"
    assert time.monotonic() - started < 30  # a few seconds on a busy machine; minutes before
    last = config.files[-1]
    assert (last.match, last.line) == (f"m{entries - 1}/*.json", 4 * entries + 2)
