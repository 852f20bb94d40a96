"""The API's answers read back: an error body, in whichever of its shapes and languages, as a
:class:`~ixrules.report.Report` whose issues name the rule and the field.

The API answers a refusal in several shapes (``{"errors": [{"error": ...}]}``, ``{"errors":
{"error": ...}}``, ``{"errors": [...]}``, ``{"errors": {"field": [...]}}``, ``{"message":
...}``, Rails 2's ``[["name", "is not available."]]``, XML, plain text on a 500) and in the
account's language. :func:`read_response` takes any of them and matches each message against the
rules' messages in every language ixrules has (the catalogues run backwards), so an app can show
the API's own refusal next to the field that caused it, as it shows a prediction:

>>> body = {"client": {"name": "Acme", "send_options": "4"}}
>>> report = read_response((422, {"errors": [{"error": "Send options must be within 1 and 3"}]}),
...                        sent=body, endpoint="clients.create")
>>> [(issue.rule, issue.path) for issue in report.errors]
[('client.send_options.range', '/client/send_options')]
>>> report.by_field()
{'client[send_options]': ['Send options must be within 1 and 3']}

A message no rule has is kept, with ``rule`` None:

>>> [(i.message, i.rule, i.status) for i in read_response((500, "Internal Server Error")).errors]
[('Internal Server Error', None, 500)]
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from functools import lru_cache
from http import HTTPStatus
from typing import TYPE_CHECKING, Any

from .messages import languages, translate
from .model import ANY_INDEX as _ANY
from .model import field_specs
from .report import Issue, Report
from .values import pointer

if TYPE_CHECKING:
    from .api import Rules
    from .model import RuleSet

#: Longest answer read (a real error body is a few hundred bytes).
MAX_BODY = 1_000_000
#: Longest message kept (and matched against the rules); a longer one is cut there.
MAX_MESSAGE = 2_000
#: How deep error entries are looked into (the API's nest two or three levels).
_MAX_DEPTH = 8
#: Keys of an error object that hold its text, not a field's name.
_TEXT_KEYS = ("error", "message", "reason")
#: Rails' prefix of ``record.save!``'s messages (``Validation failed: A, B``).
_VALIDATION_FAILED = "validation failed:"
_XML_ERROR = re.compile(r"<error>([^<]*)</error>")
#: Answers given before any rule runs (the key, the route): their text is kept, no rule named.
_BEFORE_RULES = frozenset({401, 404})
#: Rules of the request itself (its content type), which apply at every endpoint.
_REQUEST_RULES = "request."


@dataclass(frozen=True)
class Message:
    """One message of an answer: its text and, when the shape says so, the field's name."""

    text: str
    field: str | None = None


def read_response(
    response: Any, *, sent: Any = None, endpoint: str | None = None, rules: Rules | None = None
) -> Report:
    """The API's answer as a report: one issue per message, with the rule that has that message
    (None when none has) and, given ``sent`` (the body that was sent), the JSON pointer of the
    field the message is about.

    ``response`` is an ``httpx.Response`` or a ``requests.Response`` (their request gives the
    endpoint and, when JSON, the sent body, unless given), or a pair ``(status, body)`` with the
    body parsed (a dict or list), as text or as bytes. ``endpoint`` (``"invoices.create"``)
    narrows a message several rules share (``Name is a required field``) to that endpoint's;
    without it, the root key of ``sent`` narrows it to that resource's rules (a ``tax`` body's
    "Name has already been taken" is the tax's). When neither can choose, the issue names no
    rule and its ``hint`` lists the rules that share the message.

    A success status answers a clean report. An error answer always has at least one issue:
    an empty 404 gets the status' own phrase ("Not Found"). The messages of a 401, a 404 and
    a 5xx are kept as they are, with no rule: no rule's check decides them.

    >>> read_response((422, [["name", "não está disponível."]]), sent={"tax": {"name": "IVA23"}},
    ...               endpoint="taxes.create").errors
    [Issue(message='Nome não está disponível.', path='/tax/name', rule='tax.name.taken',
           status=422, hint=None, severity='error')]
    >>> read_response((422, {"errors": {"zip": ["is too long"]}}), endpoint="clients.create").errors
    [Issue(message='Zip is too long', path='/client/zip', rule=None, status=422, hint=None,
           severity='error')]
    >>> read_response((422, {"errors": [{"error": "Nome é um campo obrigatório"}]}),
    ...               sent={"client": {}}, endpoint="clients.create").errors[0].rule
    'client.name.present'
    >>> read_response((201, {"client": {"id": 1}})).ok
    True
    >>> taken = (422, {"errors": [{"error": "Name has already been taken"}]})
    >>> [(i.rule, i.path) for i in read_response(taken, sent={"tax": {"name": "IVA23"}}).errors]
    [('tax.name.taken', '/tax/name')]
    >>> issue = read_response(taken).errors[0]
    >>> issue.rule, issue.hint.split(" all ")[0]
    (None, 'rules client.name.taken, item.name.taken, tax.name.taken')
    """
    if rules is None:
        from .api import default_rules

        rules = default_rules()
    status, body, request = _unpack(response, rules)
    if request is not None:
        endpoint = endpoint if endpoint is not None else request[0]
        sent = sent if sent is not None else request[1]
    if endpoint is not None:
        rules.endpoint(endpoint)  # an unknown name is an EndpointError, not a silent miss
    if 200 <= status < 400:
        return Report(endpoint, [], success_status=status)
    messages = [Message(m.text[:MAX_MESSAGE], m.field) for m in _messages(body)]
    if not messages:
        messages = [Message(_phrase(status))]
    if status in _BEFORE_RULES or status >= 500:
        issues = [Issue(message.text, "", None, status) for message in messages]
    else:
        placer = _Placer(rules, _matchers(rules), sent, endpoint)
        issues = [placer.place(message, status) for message in messages]
    shape = "message" if isinstance(body, Mapping) and "message" in body else "errors"
    return Report(endpoint, issues, error_shape=shape)


# --- the answer's parts -------------------------------------------------------------------


def _unpack(response: Any, rules: Rules) -> tuple[int, Any, tuple[str | None, Any] | None]:
    """The status, the body (parsed when JSON) and what the request says: its endpoint among
    ``rules``' routes and its JSON body, when ``response`` is an httpx or requests response
    that knows its request."""
    if isinstance(response, tuple) and len(response) == 2:
        status, body = response
        return _status(status), _parse(body), None
    status = getattr(response, "status_code", None)
    if status is None:
        raise TypeError(
            "read_response takes an httpx or requests response, or a pair (status, body), "
            f"not {type(response).__name__}"
        )
    return _status(status), _parse(getattr(response, "content", b"")), _request_of(response, rules)


def _status(status: Any) -> int:
    if isinstance(status, bool) or not isinstance(status, int) or not 100 <= status <= 599:
        raise ValueError(f"an HTTP status is an integer from 100 to 599, not {status!r}")
    return status


def _parse(body: Any) -> Any:
    """JSON text or bytes parsed; other text kept as text; parsed bodies as they are."""
    if isinstance(body, (bytes, bytearray)):
        body = bytes(body[:MAX_BODY]).decode("utf-8", errors="replace")
    if isinstance(body, str):
        text = body[:MAX_BODY].strip()
        try:
            return json.loads(text)
        except (ValueError, RecursionError):  # not JSON, or nested past the parser's limit
            return text
    return body


def _request_of(response: Any, rules: Rules) -> tuple[str | None, Any] | None:
    """The endpoint the response's request went to and the JSON body it sent, if known."""
    try:
        request = response.request
    except RuntimeError:  # an httpx.Response built without a request
        return None
    if request is None or not isinstance(getattr(request, "method", None), str):
        return None
    from .requests import find_route, routes, split_url

    try:
        path, _ = split_url(str(request.url))
    except ValueError:
        return None
    spec = find_route(routes(rules), request.method.upper(), path)
    content = getattr(request, "content", None)  # httpx
    if content is None:
        content = getattr(request, "body", None)  # requests
    sent = _parse(content) if isinstance(content, (bytes, str)) and content else None
    return (spec.name if spec else None), (sent if isinstance(sent, Mapping) else None)


def _messages(body: Any) -> Iterator[Message]:
    """Every message of an error body, in order, with its field's name when the shape gives
    one (observed.md §4 and the recorded answers)."""
    if isinstance(body, str):
        found = [html.unescape(text).strip() for text in _XML_ERROR.findall(body)]
        if found or body.lstrip().startswith("<"):
            yield from (Message(text) for text in found if text)
        elif body:
            yield Message(body)
        return
    if isinstance(body, list):
        if len(body) == 2 and all(isinstance(part, str) for part in body):  # ["field", "is ..."]
            yield _field_message(body[0], body[1])
            return
        for entry in body:
            if (
                isinstance(entry, list)
                and len(entry) == 2
                and all(isinstance(part, str) for part in entry)
            ):  # Rails 2's errors.to_json pairs
                yield _field_message(entry[0], entry[1])
            else:
                yield from _texts(entry)
        return
    if not isinstance(body, Mapping):
        return
    if "errors" in body:
        errors = body["errors"]
        if isinstance(errors, Mapping) and not any(key in errors for key in _TEXT_KEYS):
            yield from _by_field(errors)  # {"errors": {"field": [...]}}
        else:
            yield from _texts(errors)
        return
    if any(key in body for key in _TEXT_KEYS):
        yield from _texts(body)
        return
    yield from _by_field(body)  # Rails' errors as a hash: {"name": ["is not available."]}


def _texts(value: Any, depth: int = 0) -> Iterator[Message]:
    """The texts of an error entry: a string, a list of them, ``{"error": ...}``, ``{"code":
    ..., "message": ...}``. Nothing deeper than a few levels is an error message."""
    if depth > _MAX_DEPTH:
        return
    if isinstance(value, str):
        if value.strip():
            yield Message(value.strip())
    elif isinstance(value, list):
        for entry in value:
            yield from _texts(entry, depth + 1)
    elif isinstance(value, Mapping):
        for key in _TEXT_KEYS:
            if key in value:
                yield from _texts(value[key], depth + 1)


def _by_field(errors: Mapping[Any, Any]) -> Iterator[Message]:
    for field, texts in errors.items():
        for text in [texts] if isinstance(texts, str) else texts if isinstance(texts, list) else []:
            if isinstance(text, str) and text.strip():
                yield _field_message(str(field), text)


def _field_message(field: str, text: str) -> Message:
    """Rails' full message of an attribute's error (``base`` errors are the record's)."""
    field, text = field.strip(), text.strip()
    if field in ("", "base"):
        return Message(text)
    return Message(f"{field.replace('_', ' ').capitalize()} {text}", field)


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return f"HTTP {status}"


# --- the rules' messages, backwards --------------------------------------------------------


def _normal(text: str) -> str:
    """A message as compared: case, runs of blanks and a final full stop do not matter."""
    return " ".join(text.split()).casefold().rstrip(".").rstrip()


@dataclass(frozen=True)
class _Matchers:
    """The rules' messages in every language, each to the rules that have it; built once per
    rule set and never changed."""

    exact: Mapping[str, tuple[str, ...]]
    texts: Mapping[str, str]
    patterns: tuple[tuple[re.Pattern[str], str], ...]
    places: Mapping[str, tuple[tuple[str, tuple[Any, ...]], ...]]


@lru_cache(maxsize=8)
def _matchers(rules: Rules) -> _Matchers:
    ruleset = rules.ruleset
    exact: dict[str, list[str]] = {}
    texts: dict[str, str] = {}
    patterns: list[tuple[re.Pattern[str], str]] = []
    for rule in ruleset.rules.values():
        if rule.severity != "error":
            continue  # warnings are ixrules' words: the API never answers with them
        for language in (None, *sorted(languages())):
            template = translate(rule.message, language)
            if "{value}" in template:
                head, _, tail = template.partition("{value}")
                regex = re.escape(_normal(head)) + r"\s*(.*?)\s*" + re.escape(_normal(tail))
                patterns.append((re.compile(regex, re.DOTALL), rule.id))
            else:
                texts.setdefault(_normal(template), template)
                ids = exact.setdefault(_normal(template), [])
                if rule.id not in ids:
                    ids.append(rule.id)
    return _Matchers(
        {text: tuple(ids) for text, ids in exact.items()},
        texts,
        tuple(patterns),
        _places(ruleset),
    )


def _places(ruleset: RuleSet) -> Mapping[str, tuple[tuple[str, tuple[Any, ...]], ...]]:
    """Where each rule reports, per endpoint: paths with ``*`` for any row of a list."""
    out: dict[str, dict[tuple[str, tuple[Any, ...]], None]] = {}
    for spec in ruleset.endpoints.values():
        for root in spec.roots or (None,):
            for path, node in field_specs(spec.body, () if root is None else (root,)):
                for rule in node.rules:
                    where = (*path, rule.at) if rule.at else path
                    out.setdefault(rule.id, {})[(spec.name, where)] = None
                for own in (node.required, node.invalid):
                    if own is not None:
                        out.setdefault(own.id, {})[(spec.name, path)] = None
    return {rule: tuple(places) for rule, places in out.items()}


class _Placer:
    """Places one answer's messages: which rule, which field. Lives for one call."""

    def __init__(self, rules: Rules, matchers: _Matchers, sent: Any, endpoint: str | None):
        self.rules = rules
        self.matchers = matchers
        self.sent = sent
        self.endpoint = endpoint
        self.family = _family(rules.ruleset, sent) if endpoint is None else frozenset()
        self._predicted: list[Issue] | None = None
        self._used: set[int] = set()

    def place(self, message: Message, status: int) -> Issue:
        message = self._whole(message)
        rules = self._candidates(message)
        if message.field is not None:
            rules = [rule for rule in rules if self._last_key(rule) == message.field] or rules
        rule = hint = None
        path = ""
        predicted = self._prediction(rules)
        if predicted is not None:
            rule, path = predicted.rule, predicted.path
        elif len(rules) > 1 and not self._one_resource(rules):
            hint = (
                f"rules {', '.join(rules)} all have this message; the endpoint, or the body "
                "that was sent, would choose"
            )
        elif rules:
            rule = rules[0]
            path = self._locate(self._rule_places(rule))
        if message.field is not None and not path:
            path = self._locate(self._field_places(message.field))
        return Issue(message.text, path, rule, status, hint)

    def _candidates(self, message: Message) -> list[str]:
        """The rules whose message (in any language) this is: the endpoint's; without one, those
        of the sent body's resource family (its root key's endpoints) when any is."""
        text = _normal(message.text)
        found = self._matching(text)
        if not found and text.startswith(_VALIDATION_FAILED):
            found = self._matching(text[len(_VALIDATION_FAILED) :].strip())
        found = list(dict.fromkeys(found))
        if self.endpoint is not None:
            return [rule for rule in found if self._reaches(rule, {self.endpoint})]
        if self.family:
            return [rule for rule in found if self._reaches(rule, self.family)] or found
        return found

    def _reaches(self, rule: str, endpoints: AbstractSet[str]) -> bool:
        return rule.startswith(_REQUEST_RULES) or not endpoints.isdisjoint(self._endpoints(rule))

    def _one_resource(self, rules: list[str]) -> bool:
        """Whether rules sharing a message are one resource's (some endpoint has them all, as a
        document's client name and line name): the first is then as good as any. Rules of
        different resources (a client's, an item's, a tax's taken name) cannot be told apart."""
        if self.endpoint is not None:
            return True
        common = set(self._endpoints(rules[0]))
        for rule in rules[1:]:
            common &= set(self._endpoints(rule))
        return bool(common)

    def _matching(self, text: str) -> list[str]:
        found = list(self.matchers.exact.get(text, ()))
        if not found:
            found = [rule for regex, rule in self.matchers.patterns if regex.fullmatch(text)]
        return found

    def _whole(self, message: Message) -> Message:
        """A Rails attribute error (``name``, ``não está disponível.``) as the whole message of
        the rule that has it in the answer's language ("Nome não está disponível."), found by
        the attribute's name and the message's end; unchanged when no rule's message ends so."""
        if message.field is None:
            return message
        fragment = _normal(message.text.partition(" ")[2])
        for known, rules in self.matchers.exact.items():
            if known.endswith(" " + fragment) and any(
                self._last_key(rule) == message.field for rule in rules
            ):
                stop = "." if message.text.endswith(".") else ""
                return Message(self.matchers.texts[known].rstrip(".") + stop, message.field)
        return message

    def _endpoints(self, rule: str) -> tuple[str, ...]:
        return tuple(self.rules.ruleset.rule_endpoints.get(rule, ()))

    def _rule_places(self, rule: str) -> tuple[tuple[Any, ...], ...]:
        """The rule's places at the endpoint (at the sent body's family's endpoints, or at
        every endpoint, when it is not known)."""
        places = self.matchers.places.get(rule, ())
        if self.endpoint is not None:
            here = [path for name, path in places if name == self.endpoint]
        else:
            here = [path for name, path in places if not self.family or name in self.family]
            here = here or [path for _, path in places]
        return tuple(dict.fromkeys(here))

    def _last_key(self, rule: str) -> str | None:
        keys = [path[-1] for _, path in self.matchers.places.get(rule, ()) if path]
        return keys[0] if keys else None

    def _prediction(self, rules: list[str]) -> Issue | None:
        """The first issue of the prediction for ``sent`` with one of ``rules``, not already
        used by an earlier message of the answer."""
        if not rules or not isinstance(self.sent, Mapping):
            return None
        if self._predicted is None:
            self._predicted = self._predict()
        for index, issue in enumerate(self._predicted):
            if issue.rule in rules and index not in self._used:
                self._used.add(index)
                return issue
        return None

    def _predict(self) -> list[Issue]:
        from .context import ContextError
        from .endpoint_lookup import BodyError, EndpointError

        try:
            return self.rules.validate(self.sent, self.endpoint).issues
        except (BodyError, EndpointError, ContextError):
            return []

    def _field_places(self, field: str) -> tuple[tuple[Any, ...], ...]:
        """Where a field of that name is, for a message keyed by the field (no rule has it)."""
        spec = self.rules.ruleset.endpoints.get(self.endpoint or "")
        roots: tuple[Any, ...] = ()
        if spec is not None:
            roots = spec.roots or (None,)
        elif isinstance(self.sent, Mapping) and len(self.sent) == 1:
            roots = tuple(self.sent)
        return tuple((field,) if root is None else (root, field) for root in roots)

    def _locate(self, places: tuple[tuple[Any, ...], ...]) -> str:
        """The pointer of the first place that exists in ``sent``; with no such place, and the
        endpoint known, its first place without rows (the field's path at that endpoint);
        else ``""``: without the body or the endpoint, the field is not known."""
        for place in places:
            found = _find(self.sent, place)
            if found is not None:
                return pointer(found)
        if self.endpoint is not None:
            for place in places:
                if _ANY not in place:
                    return pointer(place)
        return ""


def _family(ruleset: RuleSet, sent: Any) -> frozenset[str]:
    """The endpoints that take the sent body's root key (a ``tax`` body: the taxes'); none when
    the body names no root key, or several."""
    if not isinstance(sent, Mapping):
        return frozenset()
    roots = {key for key, value in sent.items() if isinstance(key, str) and value is not None}
    found = [
        {spec.name for spec in ruleset.endpoints.values() if root in spec.roots} for root in roots
    ]
    found = [names for names in found if names]
    return frozenset(found[0]) if len(found) == 1 else frozenset()


def _find(value: Any, place: tuple[Any, ...]) -> tuple[Any, ...] | None:
    """The first concrete path matching ``place`` in ``value`` whose parent exists (a missing
    last key is where a required field's message belongs)."""
    if not place:
        return ()
    head, rest = place[0], place[1:]
    if head == _ANY:
        if not isinstance(value, list):
            return None
        for index, item in enumerate(value):
            found = _find(item, rest)
            if found is not None:
                return (index, *found)
        return None
    if not isinstance(value, Mapping):
        return None
    if head not in value:
        return (head,) if not rest else None
    found = _find(value[head], rest)
    return None if found is None else (head, *found)
