"""Check bodies: decode, parse (with orjson where it is installed and reads the same values, else
the stdlib's C ``json``: see :func:`ixrules.jsontext.fast_loads`), validate through the public
API, and place each issue at ``file:line:column`` (scanning the text again only when there are
issues).

What is read as JSON, exactly:

- UTF-8 only; a leading byte order mark is skipped and not counted in columns.
- ``NaN``, ``Infinity`` and ``-Infinity`` are rejected: Python's ``json`` accepts them, but they
  are not JSON and the API's parser refuses them.
- A key given twice keeps its last value (as Python's ``json`` and the API's Ruby parser do);
  positions point at that last occurrence.
"""

from __future__ import annotations

import codecs
import json
import os
import re
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from ..api import Rules, default_rules, rules_dir
from ..context import ContextError
from ..endpoint_lookup import BodyError, EndpointError
from ..jsontext import NOT_READ, LongInteger, fast_loads, loads
from ..records import Record, fill
from ..ruleformat.errors import PluginError
from ..selection import UNCHANGED, Selection
from .positions import line_col, line_ends, nearest, newline_offsets, value_offsets
from .problems import Failure, Outcome, Problem
from .sources import (
    MAX_BYTES,
    Document,
    Failed,
    Item,
    Lines,
    Span,
    describe_os_error,
    read_file,
    read_span,
)


class Settings(Record):
    """What every body of one run is checked with (picklable, sent to worker processes)."""

    FIELDS = (
        "endpoint",
        "context",
        "rules_dir",
        "config",
        "packs",
        "max_bytes",
        "context_text",
        "show_skipped",
        "selection",
        "locale",
    )
    COMPARED = SHOWN = tuple(name for name in FIELDS if name != "context_text")

    endpoint: str | None
    context: Mapping[str, Any] | None
    rules_dir: str | None
    #: The project configuration (an absolute path), or None: its packs, severities and
    #: per-file settings; each process builds the rules from it once.
    config: str | None
    #: Rule packs named on the command line (``--pack``), layered after the configuration's.
    packs: tuple[str, ...]
    max_bytes: int
    #: The context file's bytes, when it came from one: what is sent to worker processes in
    #: place of the parsed context (pickling a deeply nested dict recurses; parsing it again
    #: gives the same value).
    context_text: bytes | None
    #: Report each rule skipped for want of context, as a note (``--show-skipped``).
    show_skipped: bool
    #: The command line's rule selection (``--select``, ``--extend-select``, ``--ignore``).
    selection: Selection
    #: The language of the messages and of the values (``--locale``, else the configuration's
    #: ``locale``): ``pt`` reads ``"1,5"`` as 1.5 when fixing.
    locale: str | None

    def __init__(
        self,
        endpoint: str | None = None,
        context: Mapping[str, Any] | None = None,
        rules_dir: str | None = None,
        config: str | None = None,
        packs: tuple[str, ...] = (),
        max_bytes: int = MAX_BYTES,
        context_text: bytes | None = None,
        show_skipped: bool = False,
        selection: Selection = UNCHANGED,
        locale: str | None = None,
    ) -> None:
        fill(
            self,
            endpoint=endpoint,
            context=context,
            rules_dir=rules_dir,
            config=config,
            packs=packs,
            max_bytes=max_bytes,
            context_text=context_text,
            show_skipped=show_skipped,
            selection=selection,
            locale=locale,
        )

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        context = None if self.context_text is not None else self.context
        return _settings, (
            self.endpoint,
            context,
            self.rules_dir,
            self.max_bytes,
            self.context_text,
            self.show_skipped,
            self.config,
            self.packs,
            self.selection,
            self.locale,
        )

    def _source(self, config: str) -> tuple[str, str, str | None, tuple[str, ...], Selection]:
        """Where the rule set configured by ``config`` comes from: the key of the per-process
        caches below (the working folder first: relative names mean another thing after a
        chdir)."""
        return _folder(), config, self.rules_dir, self.packs, self.selection

    def rules(self) -> Rules:
        """The rule set: the shipped one, or the rule files of ``rules_dir``, with the
        configuration's packs and severities when there is one, the ``packs``, and the
        ``selection``."""
        if self.config is not None:
            return _configured_rules(*self._source(self.config))
        if self.packs or self.selection:
            return _layered_rules(_folder(), self.rules_dir, self.packs, self.selection)
        return default_rules() if self.rules_dir is None else _load_rules(_folder(), self.rules_dir)

    def rules_for(self, file: str) -> Rules:
        """The rule set the bodies of ``file`` are checked with: :meth:`rules` less the
        configuration's ``per-file-ignores`` that match ``file``."""
        if self.config is None:
            return self.rules()
        ignored = _file_ignores(*self._source(self.config), file)
        if not ignored:
            return self.rules()
        return _ignoring(*self._source(self.config), ignored)

    def for_file(self, file: str) -> tuple[str | None, Mapping[str, Any] | None]:
        """The endpoint and context the bodies of ``file`` are checked with: the command
        line's, else the configuration's ``files`` entries that match it."""
        endpoint, context = self.endpoint, self.context
        if self.config is None or (endpoint is not None and context is not None):
            return endpoint, context
        given, path = _file_settings(*self._source(self.config), file)
        if endpoint is None:
            endpoint = given
        if context is None and path is not None:
            context = context_file(path)
        return endpoint, context


def _settings(
    endpoint: str | None,
    context: Mapping[str, Any] | None,
    rules_dir: str | None,
    max_bytes: int,
    context_text: bytes | None,
    show_skipped: bool,
    config: str | None,
    packs: tuple[str, ...],
    selection: Selection,
    locale: str | None = None,
) -> Settings:
    """Settings unpickled: the context parsed again from its file's bytes when it had one."""
    if context_text is not None:
        context = parse("<context>", context_text)[1]
    return Settings(
        endpoint,
        context,
        rules_dir,
        config,
        packs,
        max_bytes,
        context_text,
        show_skipped,
        selection,
        locale,
    )


def _folder() -> str:
    """The working folder, the first part of every cached rule set's key: a relative
    ``rules_dir``, configuration or file name means another thing once a long-lived process
    (a bulk worker, a test session) has changed folder."""
    return os.getcwd()


@lru_cache(maxsize=4)
def _load_rules(folder: str, directory: str) -> Rules:
    return Rules.load(directory)


@lru_cache(maxsize=4)
def _configured_rules(
    folder: str,
    config: str,
    directory: str | None,
    packs: tuple[str, ...],
    selection: Selection = UNCHANGED,
) -> Rules:
    from ..config import configured_ruleset  # Rules.from_config, with the selection

    ruleset, found = configured_ruleset(config, directory or rules_dir(), packs, selection)
    return Rules(ruleset, config=found)


@lru_cache(maxsize=4)
def _layered_rules(
    folder: str, directory: str | None, packs: tuple[str, ...], selection: Selection = UNCHANGED
) -> Rules:
    rules = Rules.load(directory, packs=packs)
    if not selection:
        return rules
    from ..config import Config, selected_ruleset

    return Rules(selected_ruleset(rules.ruleset, Config(), selection))


@lru_cache(maxsize=1024)
def _file_ignores(
    folder: str,
    config: str,
    directory: str | None,
    packs: tuple[str, ...],
    selection: Selection,
    file: str,
) -> tuple[str, ...]:
    """The ``per-file-ignores`` patterns that match ``file`` (once per file)."""
    found = _configured_rules(folder, config, directory, packs, selection).config
    return () if found is None else found.ignored_for(file)


@lru_cache(maxsize=16)
def _ignoring(
    folder: str,
    config: str,
    directory: str | None,
    packs: tuple[str, ...],
    selection: Selection,
    ignored: tuple[str, ...],
) -> Rules:
    """The configured rule set less the rules ``ignored`` matches (one per distinct set of
    per-file ignores: built once, shared by every file that has it)."""
    from ..config import without

    rules = _configured_rules(folder, config, directory, packs, selection)
    return Rules(without(rules.ruleset, ignored), config=rules.config)


@lru_cache(maxsize=1024)
def _file_settings(
    folder: str,
    config: str,
    directory: str | None,
    packs: tuple[str, ...],
    selection: Selection,
    file: str,
) -> tuple[str | None, str | None]:
    """The configuration's endpoint and context file for ``file`` (once per file: a JSON Lines
    file asks for each of its lines)."""
    found = _configured_rules(folder, config, directory, packs, selection).config
    if found is None or not found.files:
        return None, None
    return found.endpoint_for(file), found.context_for(file)


@lru_cache(maxsize=64)
def context_file(path: str) -> Any:
    """A context snapshot named by the configuration, read once per process."""
    return load_json_file(path)[0]


class Checked(Record):
    """What one batch gave: its outcomes in input order, and how many bodies it held."""

    FIELDS = ("outcomes", "bodies")

    outcomes: list[Outcome]
    bodies: int

    def __init__(self, outcomes: list[Outcome], bodies: int) -> None:
        fill(self, outcomes=outcomes, bodies=bodies)


class BadInput(Exception):
    """Bytes that are not one JSON value, or a file that cannot be read; carries the ``Failure``
    that says where and why. (The library's :class:`ixrules.values.Unreadable` is another
    thing: a caller's object that raises while it is read.)"""

    def __init__(self, failure: Failure) -> None:
        super().__init__(str(failure))
        self.failure = failure


def check_batch(items: tuple[Item, ...], settings: Settings) -> Checked:
    """Check every body of a batch (the unit of work of ``--jobs``)."""
    outcomes: list[Outcome] = []
    bodies = 0
    for item in items:
        if isinstance(item, Failed):
            outcomes.append(item.failure)
        elif isinstance(item, Document):
            bodies += 1
            outcomes.extend(_check_document(item, settings))
        else:
            lines = read_span(item) if isinstance(item, Span) else item
            if isinstance(lines, Failed):
                outcomes.append(lines.failure)
            else:
                bodies += _check_lines(lines, settings, outcomes)
    return Checked(outcomes, bodies)


def _check_document(document: Document, settings: Settings) -> list[Outcome]:
    data = document.data
    if data is None:
        try:
            data = read_file(document.path or "", settings.max_bytes)
        except OSError as exc:
            return [Failure(document.file, describe_os_error(exc))]
    return check_body(document.file, data.removeprefix(codecs.BOM_UTF8), settings)


def _check_lines(lines: Lines, settings: Settings, outcomes: list[Outcome]) -> int:
    bodies = 0
    for number, raw in enumerate(lines.lines, lines.first):
        if raw.strip():
            bodies += 1
            outcomes.extend(check_body(lines.file, raw, settings, line=number))
    return bodies


def check_body(
    file: str, data: bytes, settings: Settings, line: int | None = None
) -> list[Outcome]:
    """The problems of one body: a whole file (``line`` None), or line ``line`` of a JSON Lines
    file, whose positions are that line and a column within it."""
    try:
        text, body = parse(file, data, line)
    except BadInput as exc:
        return [exc.failure]
    place = _Placer(text, line)
    try:
        endpoint, context = settings.for_file(file)
        report = settings.rules_for(file).validate_parsed(
            body, endpoint, context=context, locale=settings.locale
        )
    except BadInput as exc:  # a context file named by the configuration
        return [Failure(file, f"context {exc.failure}", *place(place.start))]
    except (BodyError, EndpointError, ContextError, PluginError) as exc:
        return [Failure(file, f"cannot validate: {exc}", *place(place.start))]
    except RecursionError:
        return [Failure(file, "cannot validate: nested too deeply", *place(place.start))]
    except Exception as exc:  # a bug in a rule or check: one line, never a traceback
        reason = f"internal error while validating: {type(exc).__name__}: {exc}"
        return [Failure(file, reason, *place(place.start))]
    skipped = _skipped(file, report.skipped, report.endpoint or "", settings, place)
    if not report.issues:
        return skipped
    offsets = value_offsets(text)
    problems: list[Outcome] = []
    for issue in report.issues:
        pointer = nearest(body, offsets, issue.path)
        row, column = place(offsets.get(pointer, place.start))
        problems.append(
            Problem(
                file,
                row,
                column,
                issue.message,
                issue.path,
                issue.rule or "",  # always set by a validation
                report.endpoint or "",
                issue.status if issue.severity == "error" else None,  # the API takes a warning
                issue.hint,
                issue.severity,
                issue.fix.applicability if issue.fix is not None else None,
            )
        )
    return problems + skipped


def _skipped(
    file: str, rules: list[str], endpoint: str, settings: Settings, place: _Placer
) -> list[Outcome]:
    """With ``show_skipped``, a note for each rule skipped for want of context, at the body's
    start, saying which context keys it needs."""
    if not settings.show_skipped or not rules:
        return []
    catalogue = settings.rules().ruleset.rules
    row, column = place(place.start)
    out: list[Outcome] = []
    for rule_id in rules:
        rule = catalogue.get(rule_id)
        needs = ", ".join(rule.needs) if rule is not None else "context"
        message = f"Skipped: the context does not say {needs}"
        out.append(Problem(file, row, column, message, "", rule_id, endpoint, None, None, "note"))
    return out


def parse(file: str, data: bytes, line: int | None = None) -> tuple[str, Any]:
    """Decode and parse one JSON value; raise ``BadInput`` saying where and why not."""
    place = _Placer("", line)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        ends = line_ends(data[: exc.start])  # the line ends before the bad byte
        start = ends[-1] + 1 if ends else 0
        column = len(data[start : exc.start].decode("utf-8", "replace")) + 1
        row = line if line is not None else len(ends) + 1
        bad = data[exc.start]
        raise BadInput(Failure(file, f"not UTF-8 text: byte 0x{bad:02x}", row, column)) from None
    place = _Placer(text, line)
    if not text.strip(" \t\r\n"):
        raise BadInput(Failure(file, "empty: expected a JSON object", *place(0)))
    deep = f"cannot read: nested deeper than {MAX_NESTING} levels"
    try:
        value = NOT_READ
        if line is not None or len(data) >= FAST_PARSE_BYTES:  # importing orjson costs 3 ms
            value = fast_loads(data)  # orjson where it reads the same values, from the bytes
        if value is NOT_READ:
            value = loads(text)
        if _may_be_deep(text) and _depth(value) > MAX_NESTING:
            raise BadInput(Failure(file, deep, *place(too_deep(text) or place.start)))
        return text, value
    except json.JSONDecodeError as exc:
        failure = Failure(file, f"not valid JSON: {exc.msg}", *place(exc.pos))
    except LongInteger as exc:
        failure = Failure(file, f"cannot read: {exc.msg}", *place(exc.pos))
    except RecursionError:  # what the parser read was JSON, deeper than MAX_NESTING
        failure = Failure(file, deep, *place(too_deep(text) or place.start))
    except ValueError as exc:  # e.g. an integer longer than Python converts
        failure = Failure(file, f"cannot read: {exc}", *place(place.start))
    raise BadInput(failure)


#: From what size a whole file's body is parsed with orjson (JSON Lines always are): importing
#: it costs a one-file lint more than it saves on a small body.
FAST_PARSE_BYTES = 256 << 10

#: The deepest nesting read. Python's parser recurses once per level and stops where the stack
#: does, which depends on how deep the caller already is (a worker process is not the main one):
#: a fixed bound below that makes every run, with any ``--jobs``, read the same bodies.
MAX_NESTING = 512
_BRACKETS = re.compile(r'[\[\]{}]|"(?:[^"\\]|\\.)*"')


def _may_be_deep(text: str) -> bool:
    return text.count("[") + text.count("{") > MAX_NESTING


def _depth(value: Any) -> int:
    """How deeply a parsed value nests (iteratively: it may be deeper than the stack)."""
    deepest = 0
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            item = list(item.values())
        if isinstance(item, list):
            deepest = max(deepest, depth)
            stack.extend((child, depth + 1) for child in item if isinstance(child, (dict, list)))
    return deepest


def too_deep(text: str, limit: int = MAX_NESTING) -> int | None:
    """The offset of the first bracket nested deeper than ``limit`` in JSON text, or None
    (strings skipped). Only called on text the parser read (or read that far): its strings
    are closed, so the scan is linear.

    >>> too_deep("[" * 3 + "]" * 3, 2), too_deep('["[[[["]', 2)
    (2, None)
    """
    depth = 0
    for match in _BRACKETS.finditer(text):
        char = match.group()
        if char in "[{":
            depth += 1
            if depth > limit:
                return match.start()
        elif char in "]}":
            depth -= 1
    return None


def load_json_file(path: str, limit: int = MAX_BYTES) -> tuple[Any, bytes]:
    """One JSON value from a file (the ``--context`` snapshot), read like a body, and the
    file's bytes (BOM removed)."""
    try:
        data = read_file(path, limit).removeprefix(codecs.BOM_UTF8)
    except OSError as exc:
        raise BadInput(Failure(path, describe_os_error(exc))) from None
    return parse(path, data)[1], data


def load_context(path: str, limit: int = MAX_BYTES) -> tuple[Any, bytes]:
    """:func:`load_json_file` for a context snapshot, checked: a key no rule reads or a value
    of the wrong type is ``BadInput`` at its ``file:line:column``, like a body's problem."""
    from ..context import Context
    from ..values import pointer

    context, data = load_json_file(path, limit)
    try:
        Context(context)
    except ContextError as exc:
        text = data.decode("utf-8")
        offsets = value_offsets(text)
        at = offsets.get(nearest(context, offsets, pointer(exc.path)), 0)
        raise BadInput(Failure(path, str(exc), *line_col(text, at))) from None
    return context, data


class _Placer:
    """Offsets of one body's text -> (line, column): within the text, or on a fixed line."""

    def __init__(self, text: str, line: int | None) -> None:
        self.text = text
        self.line = line
        self.start = len(text) - len(text.lstrip(" \t\r\n"))
        self._newlines: list[int] | None = None

    def __call__(self, offset: int) -> tuple[int, int]:
        if self.line is not None:
            return self.line, offset + 1
        if self._newlines is None:
            self._newlines = newline_offsets(self.text)
        return line_col(self.text, offset, self._newlines)
