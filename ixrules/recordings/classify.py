"""One interaction replayed: the request goes through :func:`ixrules.check_request`, the
recorded answer through :func:`ixrules.read_response`, and the two are compared.

Each interaction gets one verdict:

- ``agree``: the API answered as predicted (the same success, or the same refusal: every
  message it gave was predicted, by rule or by text; a refusal with no message, by its
  status alone).
- ``missed_refusal``: the API refused a request ixrules predicted it would accept.
- ``false_alarm``: the API accepted a request ixrules predicted it would refuse.
- ``other_message``: both refused, but the API gave a message ixrules did not predict.
- ``other_status``: the same messages (or both successes) with another status.
- ``needs_state``: the API's message is a rule's that was skipped for want of context; the
  verdict names the context keys that would have decided it.
- ``not_comparable``: nothing to compare: a route ixrules does not model, a refusal with no
  body or no message (and not the predicted status), no answer at all, a request ixrules
  cannot read, or an answer about what no request can tell (the key's validity, a record that
  does not exist, a conflict, the rate limit, the API unavailable).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from http import HTTPStatus
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlsplit

from ..endpoint_lookup import BodyError, EndpointError
from ..report import Issue, Report
from .interaction import Interaction
from .redact import Secrets

if TYPE_CHECKING:
    from ..api import Rules

#: The verdicts, in the order tables list them.
VERDICTS = (
    "agree",
    "missed_refusal",
    "false_alarm",
    "other_message",
    "other_status",
    "needs_state",
    "not_comparable",
)
#: The verdicts that fail a replay (exit status 1).
FAILING = frozenset({"missed_refusal", "false_alarm"})
#: The API key that stands for one a recording filtered out (most do).
FILTERED_KEY = "filtered-by-the-recording"
#: Answers about what no request can tell, when ixrules predicted another status.
_UNKNOWABLE = {
    401: "the API refused the key; which keys are valid, ixrules cannot know",
    404: "the API found no record at this URL; which records exist, ixrules does not know",
    409: "a conflict with another request of the time (a creation still running)",
    429: "the API limited the rate of requests",
    502: "the API was unavailable",
    503: "the API was unavailable",
    504: "the API was unavailable",
}
#: Longest message kept in a verdict (a real one is one line).
MAX_MESSAGE = 300


@dataclass(frozen=True)
class Said:
    """One side of an interaction: a status and its messages, each with its rule (or None)."""

    status: int | None
    messages: tuple[tuple[str, str | None], ...] = ()

    @property
    def rules(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(rule for _, rule in self.messages if rule is not None))

    def to_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "messages": [{"message": text, "rule": rule} for text, rule in self.messages],
        }


@dataclass(frozen=True)
class Replayed:
    """An interaction's verdict, with what the API answered and what ixrules predicted. Every
    text in it has had the recording's secrets replaced; it holds no URL query, header or body.
    """

    file: str
    line: int | None
    index: int
    method: str
    path: str
    endpoint: str | None
    verdict: str
    answered: Said
    predicted: Said
    #: The rules the verdict is about (for the table by rule).
    rules: tuple[str, ...] = ()
    #: For ``needs_state``: the context keys that would decide it.
    needs: tuple[str, ...] = ()
    #: Why, for ``not_comparable``.
    reason: str = ""

    @property
    def label(self) -> str:
        """The verdict as words: ``missed refusal``."""
        return self.verdict.replace("_", " ")

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "line": self.line,
            "index": self.index,
            "method": self.method,
            "path": self.path,
            "endpoint": self.endpoint,
            "verdict": self.verdict,
            "answered": self.answered.to_dict(),
            "predicted": self.predicted.to_dict(),
            "rules": list(self.rules),
            "needs": list(self.needs),
            "reason": self.reason,
        }


def replay_one(
    interaction: Interaction,
    rules: Rules,
    context: Mapping[str, Any] | None = None,
    secrets: Secrets | None = None,
) -> Replayed:
    """The verdict of one interaction (``context`` already checked by the caller). ``secrets``
    are those of its whole recording (a key one interaction's URL holds is redacted in the
    others' texts too); by default, the interaction's own."""
    from ..context import ContextError

    if secrets is None:
        secrets = Secrets.of([interaction])
    judge = _Judge(interaction, rules, secrets)
    try:
        return judge.verdict(context)
    except ContextError:
        raise
    except Exception as exc:  # a bug in a rule or check: one verdict, never a traceback
        reason = f"internal error while checking: {type(exc).__name__}: {exc}"
        return judge.made("not_comparable", reason=secrets.redact(reason)[:MAX_MESSAGE])


class _Judge:
    """Builds one interaction's verdict; lives for one call."""

    def __init__(self, interaction: Interaction, rules: Rules, secrets: Secrets) -> None:
        self.interaction = interaction
        self.rules = rules
        self.secrets = secrets
        self.path = secrets.redact(_path(interaction.url))
        self.answered = Said(interaction.status)
        self.predicted = Said(None)
        self.endpoint: str | None = None

    def made(self, verdict: str, rules: tuple[str, ...] = (), **more: Any) -> Replayed:
        it = self.interaction
        return Replayed(
            it.file,
            it.line,
            it.index,
            it.method,
            self.path,
            self.endpoint,
            verdict,
            self.answered,
            self.predicted,
            rules,
            **more,
        )

    def said(self, status: int | None, issues: list[Issue]) -> Said:
        messages = tuple(
            (self.secrets.redact(issue.message)[:MAX_MESSAGE], issue.rule) for issue in issues
        )
        return Said(status, messages)

    def verdict(self, context: Mapping[str, Any] | None) -> Replayed:
        status = self.interaction.status
        if status is None:
            return self.made("not_comparable", reason="no answer was recorded")
        try:
            report = self.predict(context)
        except (BodyError, EndpointError) as exc:
            reason = f"the request cannot be checked: {self.secrets.redact(str(exc))[:200]}"
            return self.made("not_comparable", reason=reason)
        self.endpoint = report.endpoint
        deciding = [issue for issue in report.errors if issue.status == report.status]
        self.predicted = self.said(report.status, deciding)
        if report.endpoint is None:
            return self.made("not_comparable", reason="a route ixrules does not model")
        if status < 400:
            self.answered = Said(status)
            if not report.ok:
                return self.made("false_alarm", self.predicted.rules)
            return self.made("agree" if report.status == status else "other_status")
        return self.refused(report, status)

    def predict(self, context: Mapping[str, Any] | None) -> Report:
        from ..requests import check_request

        it = self.interaction
        body = it.request_body
        if isinstance(body, str) and not body.strip():
            body = None
        headers = dict(_joined(it.request_headers))
        if not headers and body is not None:  # headers not recorded: the body's own type
            headers = {"Content-Type": "application/json"}
        url = it.url if it.status == 401 else _with_key(it.url)
        return check_request(
            it.method, url, headers=headers, body=body, context=context, rules=self.rules
        )

    def refused(self, report: Report, status: int) -> Replayed:
        from ..responses import read_response

        body = self.interaction.response_body
        if body is None or (isinstance(body, (str, bytes)) and not body.strip()):
            issues = []
        else:
            sent = _parsed(self.interaction.request_body)
            answer = read_response(
                (status, body), sent=sent, endpoint=report.endpoint, rules=self.rules
            )
            issues = answer.errors
        if len(issues) == 1 and issues[0].rule is None and issues[0].message == _phrase(status):
            issues = []  # no message in the body: read_response gave the status' phrase
        self.answered = self.said(status, issues)
        if status in _UNKNOWABLE and report.status != status:
            return self.made("not_comparable", reason=_UNKNOWABLE[status])
        if not issues:
            return self.unspoken(report, status, "the answer holds no message to compare")
        missed = [issue for issue in issues if not _predicted(issue, report)]
        skipped = [
            issue.rule
            for issue in missed
            if issue.rule is not None and issue.rule in report.skipped
        ]
        if skipped:
            needs = [key for rule in skipped for key in self.rules.ruleset.rules[rule].needs]
            return self.made("needs_state", tuple(skipped), needs=tuple(dict.fromkeys(needs)))
        involved = tuple(dict.fromkeys((*self.answered.rules, *self.predicted.rules)))
        if report.ok:
            return self.made("missed_refusal", self.answered.rules or ("(no rule)",))
        if missed:
            return self.made("other_message", involved or ("(no rule)",))
        return self.made("agree" if report.status == status else "other_status", involved)

    def unspoken(self, report: Report, status: int, reason: str) -> Replayed:
        """A refusal with no message: the status is all the API said. The same status as
        predicted agrees (a tax's rate sent as a JSON number: a 500 with no text); any other
        cannot be compared."""
        if report.status == status:
            return self.made("agree", self.predicted.rules)
        return self.made("not_comparable", reason=reason)


def _predicted(answered: Issue, report: Report) -> bool:
    """Whether an answered message is one the prediction holds, by rule or by text."""
    text = _normal(answered.message)
    return any(
        (answered.rule is not None and issue.rule == answered.rule)
        or _normal(issue.message) == text
        for issue in report.errors
    )


def _normal(text: str) -> str:
    return " ".join(text.split()).casefold().rstrip(".").rstrip()


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return f"HTTP {status}"


def _path(url: str) -> str:
    """The URL's path only: no scheme, host, credentials, query or fragment."""
    try:
        path = urlsplit(url.strip()).path
    except ValueError:
        return "(not a URL)"
    return path or "/"


def _with_key(url: str) -> str:
    """The URL with an API key when the recording filtered it out (a missing key is only
    judged when the API answered 401)."""
    try:
        parts = urlsplit(url.strip())
        query = parse_qsl(parts.query, keep_blank_values=True)
    except ValueError:
        return url
    if any(name == "api_key" and value.strip() for name, value in query):
        return url
    joiner = "&" if parts.query else ("" if url.rstrip().endswith("?") else "?")
    return url.rstrip().split("#", 1)[0] + joiner + "api_key=" + FILTERED_KEY


def _joined(headers: tuple[tuple[str, str], ...]) -> dict[str, str]:
    out: dict[str, str] = {}
    for name, value in headers:
        out[name] = f"{out[name]}, {value}" if name in out else value
    return out


def _parsed(body: Any) -> Any:
    """The sent body as JSON data, when it is JSON (for placing the answer's messages)."""
    if isinstance(body, (bytes, bytearray)):
        body = bytes(body).decode("utf-8", "replace")
    if isinstance(body, str):
        try:
            return json.loads(body)
        except (ValueError, RecursionError):
            return None
    return body
