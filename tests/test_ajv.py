"""The exported JSON Schemas in the real Ajv (issue 25 item 3): every one compiles in Ajv 2020
with its default options and with ``strict: true`` (ajv-formats and ajv-errors loaded, as a
JavaScript app loads them), without a warning; the bodies ixrules accepts raise no error; and
the messages Ajv answers with are the API's, exactly, and only those ixrules reports.

Node and tests/js/node_modules (``npm ci --prefix tests/js``) are needed: without them the test
is skipped, unless ``CI`` is set, where it fails (.ci/run installs them).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from support.bodies import load_example
from support.example_bodies import ACCEPTED, ENDPOINTS

import ixrules
from ixrules.api import default_rules
from ixrules.schema_export import dumps, json_schema_notes

HERE = Path(__file__).resolve().parent
SCRIPT = HERE / "js" / "check_schemas.js"
MODES = ("default", "strict")

RULES = default_rules()
ITEM = {"name": "Pen", "unit_price": 1, "quantity": 1}
INVOICE = {"date": "01/01/2024", "client": {"name": "Acme", "code": "A1"}, "items": [ITEM]}
#: Bodies ixrules accepts besides the fixtures: the production shape of an invoice-receipt,
#: its sibling roots sent null (or false).
ACCEPTED_TOO = [
    (
        "invoice_receipts.create",
        {"invoice": None, "simplified_invoice": None, "invoice_receipt": INVOICE},
    ),
    ("invoice_receipts.create", {"invoice": False, "invoice_receipt": INVOICE}),
    ("invoices.create", {"invoice": {**INVOICE, "items": [{**ITEM, "unit_price": "1.5"}]}}),
]
#: The issue's body: ixrules reports the price is no number, not that it is negative, and the
#: unit without quotes; Ajv must say no more than that.
PRICE = {"invoice": {**INVOICE, "items": [{**ITEM, "unit_price": "123,0000", "unit": "kg"}]}}


def node_ready() -> bool:
    return shutil.which("node") is not None and (HERE / "js" / "node_modules" / "ajv").is_dir()


@pytest.fixture(scope="module")
def ajv() -> Any:
    """What Ajv says of every schema and of each body of ``BODIES``, in both modes."""
    if not node_ready():
        if os.environ.get("CI"):
            pytest.fail("node and tests/js/node_modules are needed: npm ci --prefix tests/js")
        pytest.skip("node or tests/js/node_modules missing (npm ci --prefix tests/js)")
    job = {
        "schemas": {name: RULES.json_schema(name) for name in RULES.endpoints()},
        "bodies": [{"endpoint": endpoint, "body": body} for endpoint, body, _ in BODIES],
    }
    done = subprocess.run(
        ["node", str(SCRIPT)],
        input=json.dumps(job),
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    return json.loads(done.stdout)


def rule_examples() -> list[tuple[str, Any, Any]]:
    """Each rule's example body, its endpoint and context (bodies ixrules refuses, mostly)."""
    out = []
    for rule in RULES.ruleset.rules.values():
        example = rule.example
        if not example or rule.severity != "error":
            continue
        body = example["body"]
        try:
            endpoint = example.get("endpoint") or ixrules.validate(body).endpoint
        except ixrules.BodyError:
            continue
        if isinstance(endpoint, str):
            out.append((endpoint, body, example.get("context")))
    return out


#: (endpoint, body, context) of every body sent to Ajv: accepted ones first.
BODIES: list[tuple[str, Any, Any]] = [
    *((ENDPOINTS[name], load_example(name), None) for name in ACCEPTED),
    *((endpoint, body, None) for endpoint, body in ACCEPTED_TOO),
    ("invoices.create", PRICE, None),
    *rule_examples(),
]


def api_messages(messages: list[str]) -> list[str]:
    """The messages ajv-errors gave (an ``errorMessage``); Ajv's own start with "must"."""
    return [message for message in messages if not message.startswith("must ")]


@pytest.mark.parametrize("mode", MODES)
def test_every_schema_compiles_without_a_word(ajv: Any, mode: str) -> None:
    assert ajv[mode]["compile"] == {}
    assert len(RULES.endpoints()) > 100


@pytest.mark.parametrize("mode", MODES)
def test_the_bodies_ixrules_accepts_raise_no_error(ajv: Any, mode: str) -> None:
    for (endpoint, body, context), errors in zip(BODIES, ajv[mode]["errors"], strict=True):
        if ixrules.validate(body, endpoint, context=context).ok:
            assert errors == [], (endpoint, body)
    accepted = len(ACCEPTED) + len(ACCEPTED_TOO)
    assert all(errors == [] for errors in ajv[mode]["errors"][:accepted])


@pytest.mark.parametrize("mode", MODES)
def test_the_messages_are_the_apis_and_only_those_ixrules_reports(ajv: Any, mode: str) -> None:
    checked = 0
    for (endpoint, body, context), errors in zip(BODIES, ajv[mode]["errors"], strict=True):
        report = ixrules.validate(body, endpoint, context=context)
        reported = set(report.messages)
        said = api_messages(errors)
        assert set(said) <= reported, (endpoint, body, said, reported)
        expected = expressed_messages(report, endpoint)
        assert expected <= set(said), (endpoint, body, expected, said)
        checked += bool(expected)
    assert checked > 30


def expressed_messages(report: ixrules.Report, endpoint: str) -> set[str]:
    """The messages of the errors the schema says it writes exactly, with an errorMessage
    (a message that shows the value has none)."""
    notes = json_schema_notes(RULES, endpoint)["rules"]
    exact = {
        entry["id"]
        for entries in notes.values()
        for entry in entries
        if entry["expressed"] == "exact" and entry.get("error_message", True)
    }
    return {issue.message for issue in report.errors if issue.rule in exact}


@pytest.mark.parametrize("mode", MODES)
def test_the_issue_body_gets_the_apis_words_and_no_more(ajv: Any, mode: str) -> None:
    errors = ajv[mode]["errors"][BODIES.index(("invoices.create", PRICE, None))]
    assert api_messages(errors) == ["Unit price must be a number"]
    assert not any('"kg"' in message for message in errors)
    assert ixrules.validate(PRICE, "invoices.create").messages == [
        "Invoice items is invalid",
        "Unit price must be a number",
        "Unit kg is not included in the list of accepted units",
    ]


def test_the_snippet_of_docs_schema_md_runs_as_written(ajv: Any, tmp_path: Path) -> None:
    text = (HERE.parent / "docs" / "schema.md").read_text(encoding="utf-8")
    (snippet,) = re.findall(r"^```js\n(.*?)^```$", text, flags=re.S | re.M)
    (tmp_path / "schemas").mkdir()
    schema = dumps(RULES.json_schema("invoices.create"))
    (tmp_path / "schemas" / "invoices.create.schema.json").write_text(schema, encoding="utf-8")
    body = json.dumps({"invoice": {**INVOICE, "client": None}})
    script = f"{snippet}\nvalidate({body});\nconsole.log(JSON.stringify(validate.errors));\n"
    (tmp_path / "snippet.js").write_text(script, encoding="utf-8")
    done = subprocess.run(
        ["node", "snippet.js"],
        cwd=tmp_path,
        env={**os.environ, "NODE_PATH": str(HERE / "js" / "node_modules")},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    errors = json.loads(done.stdout)
    assert [error["message"] for error in errors] == ["Client can't be blank"]
