"""``ixrules replay`` and ``ixrules.replay()`` (issue 24, item 4): recordings in each format
read into interactions, each interaction's verdict, the command's formats and exit status, and
files that cannot be read. The recordings under tests/fixtures/replay/ are made for these tests
(see the README there): they exercise every verdict and are not evidence of what the API does.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import ixrules
from ixrules.cli import main as cli
from ixrules.cli.replay_formats import describe
from ixrules.recordings import (
    VERDICTS,
    Interaction,
    ReplayError,
    ReplayReport,
    read_bytes,
    read_file,
    replay_interactions,
)

HERE = Path(__file__).resolve().parent
REPLAY = HERE / "fixtures" / "replay"
RECORDINGS = ["vcrpy-taxes.yaml", "ruby-vcr-clients.yml", "browser.har", "app-log.jsonl"]
DRAFT = REPLAY / "context" / "draft.json"


def rel(name: str) -> str:
    return f"tests/fixtures/replay/{name}"


# --- reading each format --------------------------------------------------------------------


def test_a_vcrpy_cassette() -> None:
    taxes = read_file(REPLAY / "vcrpy-taxes.yaml")  # type: ignore[arg-type]
    assert [(i.line, i.index, i.method, i.status) for i in taxes] == [
        (2, 0, "POST", 201), (20, 1, "POST", 422), (39, 2, "POST", 422),
    ]  # fmt: skip
    assert taxes[0].url == "https://acme.app.invoicexpress.com/taxes.json?api_key=API_KEY"
    assert taxes[0].header("content-type") == "application/json"
    assert taxes[1].response_body == '[["name","não está disponível."]]'  # !!binary, gzip
    assert (
        taxes[2].response_body == '{"errors": [{"error": "Send options must be within 1 and 3"}]}'
    )
    assert taxes[2].header("Content-Type", response=True) == "application/json"


def test_a_ruby_vcr_cassette() -> None:
    clients = read_file(str(REPLAY / "ruby-vcr-clients.yml"))
    assert [(i.line, i.method, i.status) for i in clients] == [
        (3, "POST", 201), (26, "GET", 404), (47, "POST", 422), (70, "PUT", 422),
    ]  # fmt: skip
    assert clients[1].request_body == ""
    assert clients[2].response_body == (  # base64_string
        '{"errors":[{"error":"Document creation limit reached for the period from 15/12/2022 '
        'to 15/01/2023."}]}'
    )
    assert clients[3].response_body == (  # the old !binary tag
        '{"errors":[{"error":"The document provided is in an invalid state"}]}'
    )


def test_a_har_file() -> None:
    entries = read_file(str(REPLAY / "browser.har"))
    assert [(i.line, i.method, i.status) for i in entries] == [
        (9, "POST", 422), (53, "POST", 200), (98, "POST", 500), (142, "POST", None),
        (185, "POST", 200), (229, "GET", 401),
    ]  # fmt: skip
    assert entries[1].response_body == '{"client": {"id": 8, "name": "Globex"}}'  # base64
    assert entries[5].request_body is None and entries[5].request_headers == ()


def test_json_lines() -> None:
    lines = read_file(str(REPLAY / "app-log.jsonl"))
    assert [(i.line, i.index, i.method, i.status) for i in lines] == [
        (1, 0, "POST", 201), (2, 1, "PUT", 406), (4, 2, "PUT", 422),
    ]  # fmt: skip
    assert lines[1].request_headers == (("Content-Type", "application/json"),)
    assert lines[2].request_body == {"invoice": {"state": "canceled"}}


def test_a_ruby_cassette_serialized_as_json_and_a_form_posted_in_a_har() -> None:
    cassette = {
        "http_interactions": [
            {
                "request": {"method": "post", "uri": "https://a.app.invoicexpress.com/taxes.json",
                            "body": {"encoding": "UTF-8", "string": '{"tax": {"name": "X"}}'},
                            "headers": {"Content-Type": ["application/json"]}},
                "response": {"status": {"code": 422, "message": "Unprocessable Entity"},
                             "headers": {}, "body": {"encoding": "UTF-8", "string": "x"}},
            }
        ],
        "recorded_with": "VCR 6.0.0",
    }  # fmt: skip
    text = json.dumps(cassette, indent=1).encode()
    for name in ("cassette.json", "cassette"):
        (found,) = read_bytes(name, text)
        assert (found.method, found.line, found.request_body) == (
            "POST",
            3,
            '{"tax": {"name": "X"}}',
        )
    har = {"log": {"entries": [{
        "request": {"method": "POST", "url": "https://a.app.invoicexpress.com/clients.json",
                    "headers": [], "postData": {"mimeType": "application/x-www-form-urlencoded",
                                                "params": [{"name": "client[name]",
                                                            "value": "A"}]}},
        "response": {"status": 422, "headers": [], "content": {"mimeType": "text/plain"}},
    }]}}  # fmt: skip
    (posted,) = read_bytes("form.har", json.dumps(har).encode())
    assert posted.request_body == "client%5Bname%5D=A" and posted.response_body is None


# --- verdicts -------------------------------------------------------------------------------

#: Every interaction of the recordings, as the text format describes it.
DESCRIBED = {
    ("vcrpy-taxes.yaml", 2): "agree: POST /taxes.json: answered 201; predicted 201",
    ("vcrpy-taxes.yaml", 20): 'needs state: POST /taxes.json: answered 422 "Nome não está '
    'disponível." [tax.name.taken]; predicted 201 (the context would decide it: existing.taxes)',
    ("vcrpy-taxes.yaml", 39): 'agree: POST /clients.json: answered 422 "Send options must be '
    'within 1 and 3" [client.send_options.range]; predicted 422 "Send options must be within 1 '
    'and 3" [client.send_options.range]',
    ("ruby-vcr-clients.yml", 3): "false alarm: POST /items.json: answered 201; predicted 422 "
    '"unit price is not valid" [item.unit_price.string]',
    ("ruby-vcr-clients.yml", 26): 'not comparable: GET /clients/99.json: answered 404 "Client '
    'not found"; predicted 200 (the API found no record at this URL; which records exist, '
    "ixrules does not know)",
    ("ruby-vcr-clients.yml", 47): 'missed refusal: POST /clients.json: answered 422 "Document '
    'creation limit reached for the period from 15/12/2022 to 15/01/2023."; predicted 201',
    ("ruby-vcr-clients.yml", 70): "needs state: PUT /invoices/7/change-state.json: answered 422 "
    '"The document provided is in an invalid state" [state.invoice.transition]; predicted 200 '
    "(the context would decide it: document.status)",
    ("browser.har", 9): 'other message: POST /clients.json: answered 422 "Country is not '
    'valid"; predicted 422 "Country Germani was not found" [country.known]',
    ("browser.har", 53): "other status: POST /clients.json: answered 200; predicted 201",
    ("browser.har", 98): 'agree: POST /taxes.json: answered 500; predicted 500 "Value must be '
    'sent as a string (the API fails on a JSON number)" [tax.value.string]',
    ("browser.har", 142): "not comparable: POST /invoices.json: answered nothing (no answer was "
    "recorded)",
    ("browser.har", 185): "not comparable: POST /api/accounts/1/archive.json: answered 200; "
    'predicted 404 "The requested resource does not exist." [request.route] (a route ixrules '
    "does not model)",
    ("browser.har", 229): 'agree: GET /clients.json: answered 401 "Invalid API key"; predicted '
    '401 "Invalid API key" [request.api_key]',
    ("app-log.jsonl", 1): "agree: POST /invoices.json: answered 201; predicted 201",
    ("app-log.jsonl", 2): 'needs state: PUT /quotes/7/change-state.json: answered 406 "The '
    'document provided is in an invalid state." [state.estimate.transition]; predicted 200 (the '
    "context would decide it: document.status)",
    ("app-log.jsonl", 4): 'agree: PUT /invoices/1001/change-state.json: answered 422 "Cancel '
    'message can\'t be blank" [state.cancel_message.required]; predicted 422 "Cancel message '
    "can't be blank\" [state.cancel_message.required]",
}


def replayed(*names: str, context: Any = None) -> ReplayReport:
    return ReplayReport.of(ixrules.replay(REPLAY / name, context=context) for name in names)


def test_every_interaction_s_verdict() -> None:
    report = replayed(*RECORDINGS)
    got = {(Path(item.file).name, item.line): describe(item) for item in report.replayed}
    assert got == DESCRIBED


def test_every_verdict_is_exercised_and_counted() -> None:
    report = replayed(*RECORDINGS)
    assert report.counts == {
        "agree": 6, "missed_refusal": 1, "false_alarm": 1, "other_message": 1,
        "other_status": 1, "needs_state": 3, "not_comparable": 3,
    }  # fmt: skip
    assert set(report.counts) == set(VERDICTS) and all(report.counts.values())
    assert report.by_rule == {
        "(no rule)": {"missed_refusal": 1},
        "client.send_options.range": {"agree": 1},
        "country.known": {"other_message": 1},
        "item.unit_price.string": {"false_alarm": 1},
        "request.api_key": {"agree": 1},
        "state.cancel_message.required": {"agree": 1},
        "state.estimate.transition": {"needs_state": 1},
        "state.invoice.transition": {"needs_state": 1},
        "tax.name.taken": {"needs_state": 1},
        "tax.value.string": {"agree": 1},
    }
    assert report.failing


def test_the_context_decides_what_needed_state() -> None:
    report = replayed("app-log.jsonl", context={"document": {"status": "draft"}})
    assert [(item.verdict, item.rules) for item in report.replayed] == [
        ("agree", ()),
        ("agree", ("state.estimate.transition",)),
        ("other_status", ("state.cancel_message.required", "state.invoice.transition")),
    ]
    assert not report.failing


def test_a_recording_that_filtered_out_the_key_is_judged_on_its_body() -> None:
    interaction = Interaction("log", 1, 0, "POST", "https://a.app.invoicexpress.com/clients.json",
                              (("Content-Type", "application/json"),), '{"client": {"name": "A"}}',
                              201, (), "{}")  # fmt: skip
    (item,) = replay_interactions([interaction]).replayed
    assert (item.verdict, item.predicted.status) == ("agree", 201)


def test_a_request_ixrules_cannot_read_is_not_comparable() -> None:
    interaction = Interaction("log", 1, 0, "POST", "https://a.app.invoicexpress.com/clients.json",
                              (("Content-Type", "application/json"),), "{not json", 422, (),
                              '{"errors": ["x"]}')  # fmt: skip
    (item,) = replay_interactions([interaction]).replayed
    assert item.verdict == "not_comparable"
    assert item.reason.startswith("the request cannot be checked: the body is not valid JSON")


def test_replay_is_the_function_and_nothing_given_is_changed() -> None:
    import ixrules.recordings.vcr  # its package is another name: nothing binds over the function

    assert callable(ixrules.replay) and ixrules.replay.__module__ == "ixrules.recordings"
    context = {"document": {"status": "draft"}}
    ixrules.replay(str(REPLAY / "app-log.jsonl"), context=context)
    assert context == {"document": {"status": "draft"}}


def test_a_bad_context_fails_before_anything_is_replayed() -> None:
    with pytest.raises(ixrules.ContextError) as caught:
        ixrules.replay(REPLAY / "app-log.jsonl", context={"documnet": {"status": "draft"}})
    assert str(caught.value) == "unknown context key 'documnet' (did you mean 'document'?)"


# --- the command ----------------------------------------------------------------------------


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(["replay", "--no-config", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_the_text_report(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, *(rel(name) for name in RECORDINGS))
    assert (code, err) == (1, "")
    listed = [
        f"{rel(file)}:{line}: {text}"
        for (file, line), text in sorted(DESCRIBED.items(), key=lambda pair: RECORDINGS.index(
            pair[0][0]) * 1000 + pair[0][1])
        if not text.startswith("agree")
    ]  # fmt: skip
    assert out.splitlines()[: len(listed)] == listed
    assert out.endswith(
        "verdict         interactions\n"
        "agree                      6\n"
        "missed refusal             1\n"
        "false alarm                1\n"
        "other message              1\n"
        "other status               1\n"
        "needs state                3\n"
        "not comparable             3\n"
        "total                     16\n"
        "\n"
        "rule                           agree  missed refusal  false alarm  other message  "
        "needs state\n"
        "(no rule)                          -               1            -              -"
        "            -\n"
        "client.send_options.range          1               -            -              -"
        "            -\n"
        "country.known                      -               -            -              1"
        "            -\n"
        "item.unit_price.string             -               -            1              -"
        "            -\n"
        "request.api_key                    1               -            -              -"
        "            -\n"
        "state.cancel_message.required      1               -            -              -"
        "            -\n"
        "state.estimate.transition          -               -            -              -"
        "            1\n"
        "state.invoice.transition           -               -            -              -"
        "            1\n"
        "tax.name.taken                     -               -            -              -"
        "            1\n"
        "tax.value.string                   1               -            -              -"
        "            -\n"
        "\n"
        "Replayed 16 interactions from 4 files: 1 missed refusal, 1 false alarm.\n"
    )


def test_exit_0_when_nothing_fails_and_the_context_file(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "-c", str(DRAFT), rel("app-log.jsonl"))
    assert code == 0
    assert out.endswith("Replayed 3 interactions from 1 file: no missed refusal, no false alarm.\n")
    code, _, err = run(capsys, "-c", rel("app-log.jsonl"), rel("app-log.jsonl"))
    assert code == 2
    assert err == (
        f"ixrules: error: context {rel('app-log.jsonl')}:2:1: error: not valid JSON: Extra data\n"
    )


@pytest.mark.parametrize("fmt", ["json", "github", "sarif"])
def test_every_format_has_both_tables(capsys: pytest.CaptureFixture[str], fmt: str) -> None:
    code, out, err = run(capsys, "-f", fmt, *(rel(name) for name in RECORDINGS))
    assert (code, err) == (1, "")
    if fmt == "github":
        annotations = [line for line in out.splitlines() if line.startswith("::")]
        assert len(annotations) == 10  # every interaction that did not agree
        assert annotations[0] == (
            f"::notice file={rel('vcrpy-taxes.yaml')},line=20,col=1,title=replay.needs_state::"
            'needs state: POST /taxes.json: answered 422 "Nome não está disponível." '
            "[tax.name.taken]; predicted 201 (the context would decide it: existing.taxes)"
        )
        assert "total                     16" in out and "tax.name.taken" in out
        return
    document = json.loads(out)
    tables = document if fmt == "json" else document["runs"][0]["properties"]["replay"]
    assert tables["verdicts"]["needs_state"] == 3 and tables["verdicts"]["agree"] == 6
    assert tables["rules"]["tax.name.taken"] == {"needs_state": 1}
    assert tables["summary"]["interactions"] == 16
    if fmt == "json":
        assert len(document["interactions"]) == 16 and document["failures"] == []
        assert document["interactions"][1]["needs"] == ["existing.taxes"]
    else:
        results = document["runs"][0]["results"]
        assert [r["ruleId"] for r in results].count("replay.false_alarm") == 1
        assert {r["level"] for r in results} == {"error", "warning", "note"}


def test_files_that_cannot_be_read(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("interactions:\n- request: {method: POST\n")
    code, out, err = run(capsys, str(bad), rel("vcrpy-taxes.yaml"), str(tmp_path / "none.har"))
    assert code == 2
    assert err.splitlines() == [
        f"{bad}:3: error: not valid YAML: expected ',' or '}}', but got '<stream end>'",
        f"{tmp_path / 'none.har'}: error: no such file or directory",
    ]
    assert out.endswith("Replayed 3 interactions from 1 file: no missed refusal, no false alarm.\n")
    code, out, _ = run(capsys, "-f", "json", str(bad))
    assert code == 2 and json.loads(out)["failures"] == [
        {"file": str(bad), "line": 3, "column": None,
         "reason": "not valid YAML: expected ',' or '}', but got '<stream end>'"},
    ]  # fmt: skip


BAD: list[tuple[str, bytes, str]] = [
    ("empty.yaml", b"  \n", "empty: no interactions"),
    ("latin.yaml", b"interactions: []\n# caf\xe9\n", "2: not UTF-8 text: byte 0xe9"),
    ("list.yaml", b"- a\n- b\n", "not a VCR cassette: expected a mapping with 'interactions'"),
    ("other.yaml", b"name: x\n", "not a VCR cassette: no 'interactions' (VCR.py) or "
     "'http_interactions' (Ruby VCR)"),
    ("unsafe.yaml", b"interactions: !!python/object/apply:os.system ['echo owned']\n",
     "1: not valid YAML: could not determine a constructor for the tag "
     "'tag:yaml.org,2002:python/object/apply:os.system'"),
    ("ruby1.yml", b"---\n- !ruby/struct:VCR::HTTPInteraction\n  request: {}\n",
     "2: not valid YAML: could not determine a constructor for the tag "
     "'!ruby/struct:VCR::HTTPInteraction'"),
    ("nomethod.yaml", b"interactions:\n- request: {uri: 'https://a/x.json'}\n  response: "
     b"{status: {code: 200}}\n", "2: interaction 1: the request's method is missing or not a "
     "string"),
    ("status.yaml", b"interactions:\n- request: {method: GET, uri: 'https://a/x.json'}\n  "
     b"response: {status: {code: OK}}\n", "2: interaction 1: the response's status is not a "
     "number"),
    ("status.yaml", b"interactions:\n- request: {method: GET, uri: 'https://a/x.json'}\n  "
     b"response: {status: 999}\n", "2: interaction 1: the response's status is not an HTTP "
     "status (100 to 599)"),
    ("base64.yml", b"http_interactions:\n- request: {method: get, uri: 'https://a/x.json'}\n  "
     b"response: {status: {code: 200}, body: {base64_string: '%%%'}}\n",
     "2: interaction 1: the response's body is not valid base64"),
    ("headers.yaml", b"interactions:\n- request: {method: GET, uri: 'https://a/x.json', headers: "
     b"{A: [[1]]}}\n  response: {status: 200}\n",
     "2: interaction 1: the request's headers: the value of a header is not text"),
    ("entries.har", b'{"log": {"entries": {}}}', "not a HAR file: 'log.entries' is missing or not "
     "a list"),
    ("entry.har",
     b'{"log": {"entries": [\n  {"request": {"method": "GET"}, "response": {"status": 200}}]}}',
     "2: entry 1: the request's url is missing or not a string"),
    ("broken.har", b'{"log": {"entries": [}', "1: not valid JSON: Expecting value"),
    ("what.json", b'{"a": 1}', "not a HAR file or a VCR cassette (or JSON Lines)"),
    ("deep.json", b"[" * 100_000 + b"]" * 100_000, "not readable: nested too deeply"),
    ("lines.jsonl", b'{"request": [], "response": {}}\n', "1: 'request' or 'response' is missing "
     "or not an object"),
    ("lines.jsonl", b'\n\n{"request": {"method": "GET", "url": "/x"}, "response": {"status": 200}}'
     b"\nnope\n", "4: not valid JSON: Expecting value"),
    ("lines.jsonl", b'[1]\n', "1: expected an object with 'request' and 'response'"),
]  # fmt: skip


@pytest.mark.parametrize(("name", "data", "says"), BAD)
def test_a_bad_recording_is_one_clear_error(name: str, data: bytes, says: str) -> None:
    with pytest.raises(ReplayError) as caught:
        read_bytes(name, data)
    assert str(caught.value) == f"{name}:{says}" if says[0].isdigit() else f"{name}: {says}"


def test_a_yaml_bomb_is_read_in_bounded_time() -> None:
    levels = ["a: &a ['x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x']"]
    for index in range(1, 9):
        name, before = chr(ord("a") + index), chr(ord("a") + index - 1)
        levels.append(f"{name}: &{name} [*{before}, *{before}, *{before}, *{before}, *{before}]")
    text = "\n".join(levels) + (
        "\ninteractions:\n- request: {method: GET, uri: 'https://a/x.json', headers: {A: *i}}\n"
        "  response: {status: 200, body: {string: *i}}\n"
    )
    with pytest.raises(ReplayError, match="is not text"):
        read_bytes("bomb.yaml", text.encode())


def test_declaring_the_command_loads_nothing_of_the_replay() -> None:
    probe = (
        "import sys, json\nfrom ixrules.cli.main import build_parser\nbuild_parser()\n"
        "print(json.dumps(sorted(sys.modules)))"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    loaded = json.loads(out.stdout)
    assert "ixrules.cli.replay" in loaded
    unwanted = ("yaml", "ixrules.api", "ixrules.requests", "ixrules.recordings")
    assert [m for m in unwanted if m in loaded] == []
