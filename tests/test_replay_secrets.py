"""A replay never prints the secrets of a recording (issue 24, item 4): the API key of a URL,
credentials in headers (Authorization, Cookie, X-Api-Key, a session cookie set by the answer),
passwords in bodies and in a URL's user info, even when the API's answer echoes them, in every
output format, on stdout and stderr, and in what ``ixrules.replay()`` returns."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest

import ixrules
from ixrules.cli import main as cli

KEY = "KEY-s3cr3t-0001"
BEARER = "BEARER-s3cr3t-0002"
COOKIE = "COOKIE-s3cr3t-0003"
X_KEY = "XAPI-s3cr3t-0004"
SET_COOKIE = "SETCOOKIE-s3cr3t-0005"
PASSWORD = "PASSWORD-s3cr3t-0006"
USERINFO = "USERINFO-s3cr3t-0007"
TOKEN = "TOKEN-s3cr3t-0008"
SECRETS = [KEY, BEARER, COOKIE, X_KEY, SET_COOKIE, PASSWORD, USERINFO, TOKEN]

HOST = f"https://me:{USERINFO}@acme.app.invoicexpress.com"
REQUEST_HEADERS = {
    "Content-Type": "application/json",
    "Authorization": f"Bearer {BEARER}",
    "Cookie": f"_ix_session={COOKIE}; theme=dark",
    "X-Api-Key": X_KEY,
}
RESPONSE_HEADERS = {"Set-Cookie": f"_ix_session={SET_COOKIE}; path=/; HttpOnly"}

#: (method, path and query, sent body, status, answer)
TRAFFIC: list[tuple[str, str, Any, int, Any]] = [
    ("POST", f"/api/accounts/create.json?api_key={KEY}&token={TOKEN}",
     {"account": {"first_name": "A", "last_name": "B", "email": "not-an-address",
                  "password": PASSWORD, "terms": "1"}},
     422, {"errors": [{"error": f"Invalid API key {KEY}"},
                      {"error": f"Password {PASSWORD} is too weak"}]}),
    ("GET", "/clients/1.json", None, 401,
     {"errors": [{"error": f"Invalid API key {KEY} for {BEARER}"}]}),
    ("POST", f"/clients.json?api_key={KEY}", {"client": {"name": X_KEY, "country": COOKIE}}, 201,
     {"client": {"id": 1}}),
    ("POST", f"/clients.json?api_key={KEY}", {"client": {"name": "Acme", "country": TOKEN}}, 422,
     {"errors": [{"error": f"Country {TOKEN} was not found"}]}),
]  # fmt: skip


def _text(body: Any) -> str | None:
    return None if body is None else json.dumps(body)


def vcrpy(path: Path) -> None:
    lines = ["interactions:"]
    for method, where, sent, status, answer in TRAFFIC:
        lines += [
            "- request:",
            f"    body: {json.dumps(_text(sent))}",
            "    headers:",
            *(f"      {name}: [{json.dumps(value)}]" for name, value in REQUEST_HEADERS.items()),
            f"    method: {method}",
            f"    uri: {json.dumps(HOST + where)}",
            "  response:",
            f"    body: {{string: {json.dumps(_text(answer))}}}",
            "    headers:",
            *(f"      {name}: [{json.dumps(value)}]" for name, value in RESPONSE_HEADERS.items()),
            f"    status: {{code: {status}, message: x}}",
        ]
    path.write_text("\n".join(lines) + "\nversion: 1\n")


def ruby(path: Path) -> None:
    lines = ["---", "http_interactions:"]
    for method, where, sent, status, answer in TRAFFIC:
        encoded = base64.b64encode((_text(answer) or "").encode()).decode()
        lines += [
            "- request:",
            f"    method: {method.lower()}",
            f"    uri: {json.dumps(HOST + where)}",
            "    body:",
            "      encoding: UTF-8",
            f"      string: {json.dumps(_text(sent) or '')}",
            "    headers:",
            *(f"      {name}:\n      - {json.dumps(value)}" for name, value in
              REQUEST_HEADERS.items()),
            "  response:",
            f"    status:\n      code: {status}\n      message: x",
            "    headers:",
            *(f"      {name}:\n      - {json.dumps(value)}" for name, value in
              RESPONSE_HEADERS.items()),
            f"    body:\n      encoding: ASCII-8BIT\n      base64_string: {encoded}",
            "  recorded_at: Tue, 03 Sep 2019 23:00:26 GMT",
        ]  # fmt: skip
    path.write_text("\n".join(lines) + "\nrecorded_with: VCR 5.0.0\n")


def har(path: Path) -> None:
    def pairs(headers: dict[str, str]) -> list[dict[str, str]]:
        return [{"name": name, "value": value} for name, value in headers.items()]

    entries = []
    for method, where, sent, status, answer in TRAFFIC:
        request: dict[str, Any] = {"method": method, "url": HOST + where,
                                   "headers": pairs(REQUEST_HEADERS)}  # fmt: skip
        if sent is not None:
            request["postData"] = {"mimeType": "application/json", "text": _text(sent)}
        content = {"mimeType": "application/json", "text": _text(answer) or ""}
        entries.append({"request": request, "response": {
            "status": status, "headers": pairs(RESPONSE_HEADERS), "content": content}})  # fmt: skip
    path.write_text(json.dumps({"log": {"version": "1.2", "entries": entries}}, indent=2))


def jsonl(path: Path) -> None:
    rows = [
        {"request": {"method": method, "url": HOST + where, "headers": REQUEST_HEADERS,
                     "body": sent},
         "response": {"status": status, "headers": RESPONSE_HEADERS, "body": answer}}
        for method, where, sent, status, answer in TRAFFIC
    ]  # fmt: skip
    path.write_text("".join(json.dumps(row) + "\n" for row in rows))


WRITERS = {"vcrpy.yaml": vcrpy, "ruby.yml": ruby, "traffic.har": har, "log.jsonl": jsonl}


@pytest.fixture
def recordings(tmp_path: Path) -> list[str]:
    out = []
    for name, write in WRITERS.items():
        write(tmp_path / name)
        out.append(str(tmp_path / name))
    return out


def leaked(text: str) -> list[str]:
    return [secret for secret in SECRETS if secret in text]


def test_the_recordings_hold_every_secret(recordings: list[str]) -> None:
    for recording in recordings:
        raw = Path(recording).read_text()
        held = [secret for secret in SECRETS if secret in raw or secret in _b64(raw)]
        assert held == SECRETS, recording


def _b64(text: str) -> str:
    out = []
    for token in text.split():
        try:
            out.append(base64.b64decode(token, validate=True).decode("utf-8", "replace"))
        except ValueError:
            continue
    return " ".join(out)


@pytest.mark.parametrize("fmt", ["text", "json", "github", "sarif"])
def test_no_format_prints_a_secret(
    recordings: list[str], capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    code = cli.main(["replay", "--no-config", "-f", fmt, *recordings])
    out, err = capsys.readouterr()
    assert code in (0, 1) and err == ""
    assert leaked(out) == [] and leaked(err) == []
    assert "[redacted]" in out  # the answers that echoed a secret are still shown
    assert "/api/accounts/create.json" in out


def test_the_api_returns_no_secret(recordings: list[str]) -> None:
    for recording in recordings:
        report = ixrules.replay(recording)
        assert len(report.replayed) == 4
        assert leaked(repr(report)) == [], recording
        assert leaked(json.dumps([item.to_dict() for item in report.replayed])) == []


def test_a_broken_recording_s_error_quotes_no_secret(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = {
        "bad.yaml": f"interactions:\n- request: {{method: GET, uri: '{HOST}/x?api_key={KEY}'}}\n"
        f"  response: {{status: {{code: '{PASSWORD}'}}}}\n",
        "bad.jsonl": json.dumps(
            {
                "request": {"method": "GET", "url": f"/x?api_key={KEY}"},
                "response": {"status": TOKEN},
            }
        )
        + "\n",
        "bad.har": f'{{"log": {{"entries": [{{"request": {{"url": "{KEY}"}}}}, {BEARER}]}}}}',
    }
    for name, text in broken.items():
        (tmp_path / name).write_text(text)
    for fmt in ("text", "json", "github", "sarif"):
        code = cli.main(["replay", "--no-config", "-f", fmt, *(str(tmp_path / n) for n in broken)])
        out, err = capsys.readouterr()
        assert code == 2 and err.count("error:") == 3
        assert leaked(out) == [] and leaked(err) == []
