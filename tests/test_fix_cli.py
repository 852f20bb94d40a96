"""``ixrules lint --fix``, ``--unsafe-fixes``, ``--diff``, ``--fix-only``: files keep every
byte a fix does not change, the diff applies with ``patch`` (and with a small pure-Python
applier where ``patch`` is missing), JSON Lines are fixed line by line, stdin goes to stdout,
and the exit statuses are ruff's."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from cli_runner import Run, run, run_all

ODD = (
    '{\r\n   "client" : {"name":"Caf\u00e9 \u00c1gua \u2014 Lda",\r\n'
    '\t\t"country": "PT",   "zip": "1000-001",\r\n'
    '      "email": "a@b.pt"}}'
).encode()
ODD_SAFE = ODD.replace(b'"PT"', b'"Portugal"')
ODD_UNSAFE = ODD_SAFE.replace(b'"zip"', b'"postal_code"')
LINES = (
    b'{"sequence": {"serie": "A", "default_sequence": 1}}\n'
    b"\n"
    b'{"tax": {"name": "IVA23", "value": 23, "region": "PT"}}\r\n'
    b'{"item": {"name": "Pen", "unit_price": "9.99"}}\n'
    b'{"client": {"name": "Caf\xc3\xa9", "country": "Alemanha"}}'
)
LINES_FIXED = (
    LINES.replace(b'"default_sequence": 1', b'"default_sequence": "1"')
    .replace(b'"value": 23', b'"value": "23"')
    .replace(b'"Alemanha"', b'"Germany"')
)


def lint(tmp: Path, *args: str, stdin: bytes = b"") -> Run:
    return Run(["lint", "--no-progress", *args], stdin=stdin, cwd=tmp)


def write(tmp: Path, name: str, data: bytes) -> Path:
    path = tmp / name
    path.write_bytes(data)
    return path


def test_fix_rewrites_only_the_changed_tokens(tmp_path: Path) -> None:
    safe = write(tmp_path / "", "safe.json", ODD)
    unsafe = write(tmp_path, "unsafe.json", ODD)
    lines = write(tmp_path, "export.jsonl", LINES)
    results = run_all(
        {
            "safe": lint(tmp_path, "--fix", "safe.json", "export.jsonl"),
        }
    )
    result = results["safe"]
    assert safe.read_bytes() == ODD_SAFE
    assert lines.read_bytes() == LINES_FIXED
    assert "Fixed 4 problems (1 more fixable with --unsafe-fixes)." in result.out
    assert (
        "safe.json:3:35: warning: Unknown key zip, which the API drops [field.unknown]"
        in result.out
    )
    assert result.code == 0, result.err  # only a warning left
    result = run(lint(tmp_path, "--fix", "--unsafe-fixes", "unsafe.json"))
    assert unsafe.read_bytes() == ODD_UNSAFE
    assert result.code == 0 and "Fixed 2 problems." in result.out


def test_fix_leaves_no_temporary_file_and_keeps_the_mode(tmp_path: Path) -> None:
    path = write(tmp_path, "a.json", ODD)
    os.chmod(path, 0o640)
    assert run(lint(tmp_path, "--fix", "a.json")).code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.json"]
    assert path.stat().st_mode & 0o777 == 0o640


def test_fix_never_writes_through_a_symbolic_link(tmp_path: Path) -> None:
    target = write(tmp_path, "real.json", ODD)
    (tmp_path / "link.json").symlink_to(target)
    result = run(lint(tmp_path, "--fix", "link.json"))
    assert result.code == 2 and "symbolic link" in result.err
    assert target.read_bytes() == ODD and (tmp_path / "link.json").is_symlink()


def apply_unified_diff(old: bytes, diff: bytes) -> bytes:
    """A small applier of one file's unified diff (what CI uses where ``patch`` is missing)."""
    lines = old.splitlines(keepends=True)
    out: list[bytes] = []
    at = 0
    body = diff.splitlines(keepends=True)
    i = 0
    while i < len(body):
        header = re.match(rb"@@ -(\d+)(?:,(\d+))? \+\d+(?:,\d+)? @@", body[i])
        if not header:
            i += 1
            continue
        start = int(header[1]) - (0 if header[2] == b"0" else 1)
        out.extend(lines[at:start])
        at = start
        i += 1
        while i < len(body) and not body[i].startswith(b"@@"):
            line = body[i]
            nxt = body[i + 1] if i + 1 < len(body) else b""
            text = line[1:]
            if nxt.startswith(b"\\ No newline"):
                text = text.rstrip(b"\n")
            if line.startswith(b" "):
                out.append(lines[at])
                at += 1
            elif line.startswith(b"-"):
                assert lines[at] == text, (lines[at], text)
                at += 1
            elif line.startswith(b"+"):
                out.append(text)
            i += 1
    out.extend(lines[at:])
    return b"".join(out)


def test_diff_writes_nothing_and_applies_cleanly(tmp_path: Path) -> None:
    write(tmp_path, "a.json", ODD)
    write(tmp_path, "export.jsonl", LINES)
    result = run(Run(["lint", "--diff", "--unsafe-fixes", "a.json", "export.jsonl"], cwd=tmp_path))
    assert result.code == 1
    assert (tmp_path / "a.json").read_bytes() == ODD  # nothing written
    assert b"Would fix 5 problems." in result.err.encode()
    diff = result.out.encode()
    assert diff.startswith(b"--- a.json\n+++ a.json\n")
    parts = diff.split(b"--- export.jsonl\n")
    assert apply_unified_diff(ODD, parts[0]) == ODD_UNSAFE
    assert apply_unified_diff(LINES, b"--- export.jsonl\n" + parts[1]) == LINES_FIXED
    if shutil.which("patch") is None:
        pytest.skip("the patch program is not installed (the pure-Python applier passed)")
    done = subprocess.run(
        ["patch", "-p0"], input=diff, cwd=tmp_path, capture_output=True, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert (tmp_path / "a.json").read_bytes() == ODD_UNSAFE
    assert (tmp_path / "export.jsonl").read_bytes() == LINES_FIXED


def test_diff_with_nothing_to_fix_exits_0(tmp_path: Path) -> None:
    write(tmp_path, "a.json", ODD_SAFE)
    result = run(lint(tmp_path, "--diff", "a.json"))
    assert (result.code, result.out) == (0, "")


def test_stdin_writes_the_fixed_body_to_stdout(tmp_path: Path) -> None:
    result = run(lint(tmp_path, "--fix", "-", stdin=ODD))
    assert result.out.encode() == ODD_SAFE
    assert "Fixed 1 problem" in result.err and "Unknown key zip" in result.err
    assert result.code == 0


def test_fix_only_reports_nothing_else_and_exits_0(tmp_path: Path) -> None:
    write(tmp_path, "a.json", b'{"invoice": {"client": {"name": "A", "country": "PT"}}}')
    result = run(lint(tmp_path, "--fix-only", "a.json"))
    assert result.out == "Fixed 1 problem.\n" and result.code == 0
    left = run(lint(tmp_path, "--fix", "a.json"))
    assert left.code == 1 and "document.items.required" in left.out


def test_a_body_that_cannot_be_fixed_exits_2(tmp_path: Path) -> None:
    write(tmp_path, "a.json", b'{"fatura_recibo": {}}')
    write(tmp_path, "b.json", b"{")
    result = run(lint(tmp_path, "--fix", "a.json", "b.json"))
    assert result.code == 2
    assert "a.json: error: cannot fix: no root key" in result.err
    assert "b.json:1:2: error: not valid JSON" in result.err


def test_plain_lint_marks_what_fix_would_fix(tmp_path: Path) -> None:
    write(tmp_path, "a.json", ODD)
    result = run(lint(tmp_path, "a.json"))
    assert "Country PT was not found [country.known] [*] (did you mean 'Portugal'?)" in result.out
    assert "[field.unknown] [*]" not in result.out  # unsafe: not what --fix does


def test_the_pre_commit_hook_fixes() -> None:
    hooks = (Path(__file__).parent.parent / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    assert "- id: ixrules-fix" in hooks and "entry: ixrules lint --fix" in hooks
