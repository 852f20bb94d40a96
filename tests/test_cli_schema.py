"""``ixrules schema``: the exported JSON Schema printed for one endpoint, or written one file per
endpoint with ``--all DIR``; bad arguments get one line and exit 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ixrules.api import default_rules
from ixrules.cli import main as cli


def call(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_one_endpoint(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = call(capsys, "schema", "invoices.create")
    assert (code, err) == (0, "")
    assert json.loads(out) == default_rules().json_schema("invoices.create")
    assert out.endswith("}\n") and '"enum": [null, false]' in out


def test_in_portuguese(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = call(capsys, "schema", "items.create", "--locale", "pt")
    item = json.loads(out)["properties"]["item"]
    assert code == 0
    assert item["properties"]["unit_price"]["allOf"][2]["errorMessage"] == (
        "Preço unitário não é um número"
    )
    assert item["errorMessage"] == {
        "required": {
            "name": "Nome é um campo obrigatório",
            "unit_price": "Preço unitário não pode estar em branco",
        }
    }
    # a message that shows the value has none: ajv-errors would print the value in quotes
    # ("Unidade \"kg\" ..."), which the API does not (issue 25 item 3)
    unit = item["properties"]["unit"]
    assert unit["allOf"][0]["$comment"] == "rule item.unit.accepted"
    assert "errorMessage" not in unit["allOf"][0]


def test_every_endpoint_into_a_folder(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    target = tmp_path / "schemas"
    code, out, err = call(capsys, "schema", "--all", str(target))
    names = default_rules().endpoints()
    assert (code, out, err) == (0, f"Wrote {len(names)} schemas into {target}.\n", "")
    assert sorted(p.name for p in target.iterdir()) == sorted(f"{n}.schema.json" for n in names)
    written = json.loads((target / "quotes.update.schema.json").read_text(encoding="utf-8"))
    assert written == default_rules().json_schema("quotes.update")


@pytest.mark.parametrize(
    ("argv", "reason"),
    [
        (["schema"], "schema takes an ENDPOINT or --all DIR (see 'ixrules schema --help')"),
        (
            ["schema", "invoices.create", "--all", "x"],
            "schema takes an ENDPOINT or --all DIR (see 'ixrules schema --help')",
        ),
        (
            ["schema", "invoice.create"],
            "unknown endpoint 'invoice.create'; did you mean "
            "invoices.create, ...? (see 'ixrules endpoints')",
        ),
    ],
)
def test_bad_arguments(capsys: pytest.CaptureFixture[str], argv: list[str], reason: str) -> None:
    code, out, err = call(capsys, *argv)
    assert (code, out) == (2, "")
    shown = err.removeprefix("ixrules: error: ").removesuffix("\n")
    head, _, tail = reason.partition("...")
    assert shown.startswith(head) and shown.endswith(tail), shown


def test_a_folder_that_cannot_be_written(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    code, out, err = call(capsys, "schema", "--all", str(blocker / "schemas"))
    assert (code, out) == (2, "")
    assert err.startswith(f"ixrules: error: cannot write the schemas into {blocker / 'schemas'}: ")
