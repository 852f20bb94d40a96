"""``ixrules lint --fix`` byte for byte, beyond tests/test_fix_cli.py: a byte order mark,
escapes and a key moved into an object it makes, in a CRLF file; a JSON Lines file with one
line that cannot be fixed (the others still are, exit 2); ``--strict`` on what is left."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from cli_runner import Run, run

BOM = b"\xef\xbb\xbf"
ESCAPED = (
    BOM + b'{\r\n\t"invoice" :  {\r\n'
    b'\t\t"date": "2026-05-01",   "due_date" : "31/05/2026",\r\n'
    b'\t\t"client": {"name": "Caf\\u00e9 \xc3\x81gua", "code": "A1", "country": "Espanha"},\r\n'
    b'\t\t"items": [ {"name": "P\\u00eana \\"fina\\"", "unit_price": "1.5", "quantity": 1,\r\n'
    b'\t\t            "tax_name": "IVA23"} ]\r\n'
    b"\t}\r\n}"
)


def lint(tmp: Path, *args: str) -> Run:
    return Run(["lint", "--no-progress", *args], cwd=tmp)


def test_a_bom_escapes_and_a_moved_key_keep_every_other_byte(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    path.write_bytes(ESCAPED)
    result = run(lint(tmp_path, "--fix", "--unsafe-fixes", "a.json"))
    assert result.code == 0, result.out + result.err
    assert path.read_bytes() == (
        ESCAPED.replace(b'"2026-05-01"', b'"01/05/2026"')
        .replace(b'"Espanha"', b'"Spain"')
        .replace(b'"tax_name": "IVA23"', b'"tax": {"name": "IVA23"}')
    )
    assert "Fixed 3 problems." in result.out


def test_a_diff_of_a_bom_and_crlf_file_applies_with_patch(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    path.write_bytes(ESCAPED)
    result = run(lint(tmp_path, "--diff", "--unsafe-fixes", "a.json"))
    assert result.code == 1 and path.read_bytes() == ESCAPED
    done = subprocess.run(
        ["patch", "-p0", "--binary"],
        input=result.out.encode(),
        cwd=tmp_path,
        capture_output=True,
        check=False,
    )
    if done.returncode == 127:  # pragma: no cover - no patch program here
        pytest.skip("the patch program is not installed")
    assert done.returncode == 0, done.stdout + done.stderr
    fixed = run(lint(tmp_path, "--diff", "--unsafe-fixes", "a.json"))
    assert (fixed.code, fixed.out) == (0, "")  # what the patch made is what --fix makes


def test_a_json_lines_file_with_a_broken_line_fixes_the_others(tmp_path: Path) -> None:
    path = tmp_path / "export.jsonl"
    path.write_bytes(
        b'{"client": {"name": "A", "country": "PT"}}\r\n'
        b'{"client": \r\n'
        b'{"tax": {"name": "IVA23", "value": 23, "region": "PT"}}'
    )
    result = run(lint(tmp_path, "--fix", "export.jsonl"))
    assert result.code == 2
    assert "export.jsonl:2:" in result.err and "not valid JSON" in result.err
    assert path.read_bytes() == (
        b'{"client": {"name": "A", "country": "Portugal"}}\r\n'
        b'{"client": \r\n'
        b'{"tax": {"name": "IVA23", "value": "23", "region": "PT"}}'
    )


def test_strict_fails_on_the_warnings_fix_leaves(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    path.write_bytes(b'{"client": {"name": "A", "country": "PT", "zip": "1000-001"}}')
    assert run(lint(tmp_path, "--fix", "a.json")).code == 0  # a warning left: not a failure
    path.write_bytes(b'{"client": {"name": "A", "country": "PT", "zip": "1000-001"}}')
    strict = run(lint(tmp_path, "--fix", "--strict", "a.json"))
    assert strict.code == 1 and "[field.unknown]" in strict.out
    assert (
        path.read_bytes() == b'{"client": {"name": "A", "country": "Portugal", "zip": "1000-001"}}'
    )


def test_a_rule_ignored_for_a_file_has_its_fix_not_applied(tmp_path: Path) -> None:
    (tmp_path / ".ixrules.yaml").write_text(
        'per-file-ignores:\n  "a.json": [country.known]\n', encoding="utf-8"
    )
    body = b'{"client": {"name": "A", "country": "PT"}}'
    (tmp_path / "a.json").write_bytes(body)
    (tmp_path / "b.json").write_bytes(body)
    result = run(lint(tmp_path, "--fix", "a.json", "b.json"))
    assert result.code == 0 and "Fixed 1 problem." in result.out
    assert (tmp_path / "a.json").read_bytes() == body  # not reported there, so not fixed
    assert (tmp_path / "b.json").read_bytes() == body.replace(b'"PT"', b'"Portugal"')
