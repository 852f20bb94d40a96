"""Issue 27 item 1: nothing the tool writes lands outside its target. ``schema --all DIR`` and
``lint --output FILE.parquet`` followed a symbolic link committed at an output name (a link to
``~/.bashrc`` had it overwritten with text a rule pack chose); each output file is now made in
its directory under a fresh name and renamed over the link, and a name is one plain file name.
"""

from __future__ import annotations

import json
import os
import stat
import sys
from pathlib import Path

import pyarrow.parquet
import pytest

from ixrules.api import default_rules
from ixrules.cli import main as cli
from ixrules.lint.table import COLUMNS
from ixrules.outfiles import OutputDirectory, check_name, replacing, rewrite

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="symbolic links, modes")

F = "tests/fixtures/cli"


def call(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def planted(tmp_path: Path, at: Path) -> Path:
    """A file outside ``at``'s directory, and a link to it at ``at``: what a repository holds."""
    victim = tmp_path / "home" / ".bashrc"
    victim.parent.mkdir(exist_ok=True)
    victim.write_text("# mine\n", encoding="utf-8")
    at.parent.mkdir(parents=True, exist_ok=True)
    at.symlink_to(victim)
    return victim


def leftovers(directory: Path) -> list[str]:
    return sorted(path.name for path in directory.iterdir() if path.name.startswith("."))


def test_schema_all_replaces_a_link_at_an_output_name(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    target = tmp_path / "repo" / "schemas"
    at = target / "invoices.create.schema.json"
    victim = planted(tmp_path, at)
    code, out, err = call(capsys, "schema", "--all", str(target))
    assert (code, err) == (0, "") and out.startswith("Wrote ")
    assert victim.read_text(encoding="utf-8") == "# mine\n"
    assert not at.is_symlink() and stat.S_ISREG(at.lstat().st_mode)
    assert json.loads(at.read_text(encoding="utf-8")) == default_rules().json_schema(
        "invoices.create"
    )
    assert leftovers(target) == []


def test_lint_output_replaces_a_link_at_its_name(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    at = tmp_path / "repo" / "problems.parquet"
    victim = planted(tmp_path, at)
    code, _, _ = call(capsys, "lint", "--no-progress", "--output", str(at), f"{F}/export.jsonl")
    assert code == 2  # the file holds malformed lines
    assert victim.read_text(encoding="utf-8") == "# mine\n"
    assert not at.is_symlink()
    written = pyarrow.parquet.read_table(at)
    assert written.schema.names == list(COLUMNS) and written.num_rows == 5
    assert leftovers(at.parent) == []


def test_lint_output_that_cannot_be_placed_leaves_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    at = tmp_path / "problems.parquet"
    at.mkdir()  # a directory at the name: the rename fails, after the run
    code, _, err = call(capsys, "lint", "--no-progress", "--output", str(at), f"{F}/invoice.json")
    assert code == 2 and err.endswith(f"ixrules: error: cannot write {at}: is a directory\n")
    assert sorted(tmp_path.iterdir()) == [at] and list(at.iterdir()) == []


def test_lint_output_into_a_missing_folder_fails_before_any_body(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    at = tmp_path / "missing" / "problems.parquet"
    code, out, err = call(capsys, "lint", "--output", str(at), f"{F}/invoice.json")
    assert (code, out) == (2, "")
    assert err == f"ixrules: error: cannot write {at}: no such file or directory\n"


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("", "it is empty"),
        ("..", "it starts with a dot"),
        (".bashrc", "it starts with a dot"),
        ("../x.json", "it holds a path separator"),
        ("/etc/x.json", "it holds a path separator"),
        ("a\0b", "it holds a NUL"),
        ("\ud800.json", "it cannot be encoded for this file system"),
    ],
)
def test_a_name_is_one_plain_file_name(name: str, reason: str) -> None:
    with pytest.raises(ValueError) as raised:
        check_name(name)
    assert str(raised.value) == f"{name!r} is not a plain file name ({reason})"


def test_a_file_appears_only_when_complete_and_as_the_umask_says(tmp_path: Path) -> None:
    with OutputDirectory(tmp_path) as directory:
        with pytest.raises(RuntimeError), directory.replacing("a.json") as handle:
            handle.write(b"half")
            raise RuntimeError("interrupted")
        assert list(tmp_path.iterdir()) == []
        before = os.umask(0o027)
        try:
            written = directory.write("a.json", b"{}")
        finally:
            os.umask(before)
    assert written == tmp_path / "a.json" and written.read_bytes() == b"{}"
    assert stat.S_IMODE(written.stat().st_mode) == 0o640


def test_files_go_into_the_directory_opened_whatever_its_path_becomes(tmp_path: Path) -> None:
    """The directory is opened once and written through its descriptor: a swap of the path
    after that (a link put in its place) cannot send a file elsewhere."""
    (tmp_path / "out").mkdir()
    (tmp_path / "elsewhere").mkdir()
    with OutputDirectory(tmp_path / "out") as directory:
        (tmp_path / "out").rename(tmp_path / "moved")
        (tmp_path / "out").symlink_to(tmp_path / "elsewhere")
        directory.write("a.json", b"{}")
    assert [path.name for path in (tmp_path / "moved").iterdir()] == ["a.json"]
    assert list((tmp_path / "elsewhere").iterdir()) == []


def test_an_existing_file_is_replaced_whole(tmp_path: Path) -> None:
    (tmp_path / "out.bin").write_bytes(b"old and longer")
    with replacing(tmp_path / "out.bin") as handle:
        handle.write(b"new")
    assert (tmp_path / "out.bin").read_bytes() == b"new"
    assert [path.name for path in tmp_path.iterdir()] == ["out.bin"]


# --- endpoint names are file names: checked where the rule format reads them ---------------

NEW_ENDPOINT = """endpoints:
  - paths: [{path}]
    actions:
      {action}:
        route: POST /notes.json
        body: account_create_body
"""


SEPARATOR, DOT = "it holds a path separator", "it starts or ends with a dot"


@pytest.mark.parametrize(
    ("path", "action", "shown", "reason"),
    [
        ('"../../home/me/.bashrc"', "create", "'../../home/me/.bashrc'", SEPARATOR),
        ('"/etc/x"', "create", "'/etc/x'", SEPARATOR),
        ('".hidden"', "create", "'.hidden'", DOT),
        ('"notes."', "create", "'notes.'", DOT),
        ('"a..b"', "create", "'a..b'", "it holds '..'"),
        ('"a\\0b"', "create", "'a\\x00b'", "it holds a control character"),
        ('"a\\ud800"', "create", "'a\\ud800'", "it is not valid text (a lone surrogate)"),
        ("notes", '"x\\\\y"', "'x\\\\y'", SEPARATOR),
        ("notes", '"..x"', "'..x'", DOT),
    ],
)
def test_a_pack_cannot_name_an_endpoint_that_is_no_file_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], path: str, action: str, shown: str,
    reason: str,
) -> None:  # fmt: skip
    kind, line = ("path", 2) if action == "create" else ("action", 4)
    problem = f"{kind} {shown} cannot be part of an endpoint name: {reason}"
    pack = tmp_path / "pack.yaml"
    pack.write_text(NEW_ENDPOINT.format(path=path, action=action), encoding="utf-8")
    target = tmp_path / "schemas"
    code, out, err = call(capsys, "schema", "--pack", str(pack), "--all", str(target))
    assert (code, out) == (2, "")
    assert err == f"ixrules: error: broken rule file: {pack}:{line}: {problem}\n"
    assert not target.exists()


def test_a_plain_new_endpoint_is_written(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    pack = tmp_path / "pack.yaml"
    pack.write_text(NEW_ENDPOINT.format(path="notes", action="create"), encoding="utf-8")
    target = tmp_path / "schemas"
    code, _, err = call(capsys, "schema", "--pack", str(pack), "--all", str(target))
    assert (code, err) == (0, "") and (target / "notes.create.schema.json").is_file()


# --- rewriting a file in place (lint --fix): the one atomic writer, ixrules.outfiles ---------


def test_rewrite_keeps_the_mode_whatever_the_umask(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    path.write_bytes(b"{}")
    os.chmod(path, 0o604)
    old = os.umask(0o077)
    try:
        rewrite(path, b'{"a": 1}')
    finally:
        os.umask(old)
    assert path.read_bytes() == b'{"a": 1}'
    assert stat.S_IMODE(path.stat().st_mode) == 0o604
    assert leftovers(tmp_path) == []


def test_rewrite_refuses_a_link_and_writes_nowhere(tmp_path: Path) -> None:
    link = tmp_path / "work" / "a.json"
    victim = planted(tmp_path, link)
    with pytest.raises(OSError, match="is a symbolic link: not rewritten"):
        rewrite(link, b"{}")
    assert link.is_symlink() and victim.read_text(encoding="utf-8") == "# mine\n"
    assert leftovers(link.parent) == []


def test_rewrite_refuses_what_is_no_regular_file(tmp_path: Path) -> None:
    (tmp_path / "d.json").mkdir()
    with pytest.raises(OSError, match="is not a regular file: not rewritten"):
        rewrite(tmp_path / "d.json", b"{}")
    with pytest.raises(FileNotFoundError):
        rewrite(tmp_path / "missing.json", b"{}")
    assert leftovers(tmp_path) == [] and sorted(p.name for p in tmp_path.iterdir()) == ["d.json"]
