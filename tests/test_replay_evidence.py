"""The project's own evidence replayed (issue 24, item 4): the recorded pairs of request and
answer (rec-zoran759, in tests/fixtures/examples and responses/), every answer under
tests/fixtures/responses/ at its endpoint's route, and the documented bodies the API accepts.
The verdict counts are recorded here: a change of the rules that moves one is seen.

Only the ``rec-`` pairs are real traffic with the body that caused the answer. The other
answers are documented examples of refusals whose request is not recorded (the one known body,
tim-online's, is sent): they are replayed without a body, so what ixrules predicts for them is a
prediction for an empty request, and their counts measure the reading of answers more than the
rules.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from support.bodies import EXAMPLES, FIXTURES, load_example
from support.evidence import RECORDED
from support.example_bodies import ACCEPTED, ENDPOINTS

import ixrules
from ixrules.api import default_rules
from ixrules.recordings import ReplayReport

BASE = "https://acme.app.invoicexpress.com"
RESPONSES = FIXTURES / "responses"
#: The recorded pairs: example body, the answer's file (None: a success not kept), status.
PAIRS: list[tuple[str, str | None, int]] = [
    ("rec-zoran759-client-create-201.json", None, 201),
    ("rec-zoran759-client-create-empty-422.json", "rec-zoran759-422-client-create-empty.json", 422),
    ("rec-zoran759-invoice-create-201.json", None, 201),
    ("rec-zoran759-invoice-receipt-create-201.json", None, 201),
    ("rec-zoran759-sequence-create-201.json", None, 201),
    ("rec-zoran759-simplified-invoice-create-201.json", None, 201),
    ("rec-zoran759-tax-create-201.json", None, 201),
    ("rec-zoran759-tax-create-duplicate-422.json",
     "rec-zoran759-422-tax-create-duplicate-name.json", 422),
]  # fmt: skip
#: Bodies known to have caused an answer of responses/ (besides the pairs).
SENT = {
    "lib-timonline-422-document-create-multi.json": {
        "invoice": {"date": "32/01/2023", "due_date": "01/02/2023", "client": {"name": "A"},
                    "items": []}},
}  # fmt: skip


def line(endpoint: str | None, body: Any, status: int, answer: str | None) -> dict[str, Any]:
    if endpoint is None:  # an answer of no known endpoint
        method, path = "POST", "/unknown.json"
    else:
        spec = default_rules().endpoint(endpoint)
        method, path = spec.method, spec.route.replace("{id}", "1")
    request: dict[str, Any] = {"method": method, "url": f"{BASE}{path}?api_key=k"}
    if body is not None:
        request["headers"], request["body"] = {"Content-Type": "application/json"}, body
    return {"request": request, "response": {"status": status, "body": answer}}


def recorded_pairs() -> list[dict[str, Any]]:
    out = []
    for example, answer, status in PAIRS:
        text = (RESPONSES / answer).read_text() if answer else None
        out.append(line(ENDPOINTS[example], load_example(example), status, text))
    key = (RESPONSES / "rec-zoran759-401-invalid-api-key.json").read_text()
    out.append(line("clients.get", None, 401, key))  # a key the API did not take
    return out


def documented_answers() -> list[dict[str, Any]]:
    paired = {answer for _, answer, _ in PAIRS} | {"rec-zoran759-401-invalid-api-key.json"}
    return [
        line(endpoint, SENT.get(name), status, (RESPONSES / name).read_text())
        for name, status, endpoint, _ in RECORDED
        if name not in paired
    ]


def accepted_examples() -> list[dict[str, Any]]:
    rules = default_rules()
    return [
        line(ENDPOINTS[name], load_example(name), rules.endpoint(ENDPOINTS[name]).success_status,
             None)
        for name in ACCEPTED
        if not name.startswith("rec-")
    ]  # fmt: skip


def replayed(tmp_path: Path, name: str, rows: list[dict[str, Any]]) -> ReplayReport:
    path = tmp_path / name
    path.write_text("".join(json.dumps(row) + "\n" for row in rows))
    return ixrules.replay(path)


def counts(report: ReplayReport) -> dict[str, int]:
    return {verdict: count for verdict, count in report.counts.items() if count}


def test_the_recorded_pairs(tmp_path: Path) -> None:
    report = replayed(tmp_path, "pairs.jsonl", recorded_pairs())
    assert counts(report) == {"agree": 7, "needs_state": 1, "not_comparable": 1}
    assert [(item.verdict, item.rules, item.needs) for item in report.replayed] == [
        ("agree", (), ()),
        ("agree", ("client.name.present",), ()),  # "Nome é um campo obrigatório"
        ("agree", (), ()),
        ("agree", (), ()),
        ("agree", (), ()),
        ("agree", (), ()),
        ("agree", (), ()),
        ("needs_state", ("tax.name.taken",), ("existing.taxes",)),  # IVA23 existed
        ("not_comparable", (), ()),  # a key the API did not take
    ]
    assert not report.failing


def test_the_documented_answers(tmp_path: Path) -> None:
    report = replayed(tmp_path, "answers.jsonl", documented_answers())
    assert counts(report) == {
        "agree": 3,
        "missed_refusal": 8,
        "false_alarm": 1,  # the SAF-T export's 202, replayed without its month and year
        "other_message": 20,
        "needs_state": 1,  # tim-online's tax exemption: the account's country and tax rates
        "not_comparable": 11,  # not found (6), conflicts (2), no known route (3)
    }


def test_the_accepted_documented_bodies(tmp_path: Path) -> None:
    report = replayed(tmp_path, "accepted.jsonl", accepted_examples())
    assert counts(report) == {"agree": 47}
    assert not report.failing


def test_every_answer_and_example_file_is_replayed() -> None:
    answers = {name for name, *_ in RECORDED}
    assert answers == {path.name for path in RESPONSES.iterdir()}
    assert {example for example, *_ in PAIRS} == {path.name for path in EXAMPLES.glob("rec-*.json")}
