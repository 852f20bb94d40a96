"""Output formats, written as the run goes: each is a set of pure functions that turn one
problem (or one failure) into a chunk of text, with a header before the first and a footer
after the last, so the command writes each problem as it is found and memory does not grow
with the number of problems. ``report`` joins the chunks for callers that want one string.

Everything echoed from the input (file names, messages with sent values, JSON pointers) is made
safe first (see ``safe``): no input can start a line of output or reach the terminal raw. The
machine-readable formats report what could not be checked too (json: ``failures``; sarif: a
tool execution notification; github: an ``::error`` for the file); the text format leaves
that to stderr, where the command prints it as it goes.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping, Sequence

from ..lint.problems import Failure, Outcome, Problem
from ..lint.safe import json_text, name, visible
from ..model import Rule
from ..records import MutableRecord, Record, fill

#: The version of the ``json`` format's shape; it changes only if a key changes meaning.
JSON_VERSION = 1
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


class RuleInfo(Record):
    """What SARIF registers about a rule: its id, message, what it checks and its severity."""

    FIELDS = ("id", "message", "doc", "severity")

    id: str
    message: str
    doc: str
    severity: str

    def __init__(self, id: str, message: str, doc: str = "", severity: str = "error") -> None:
        fill(self, id=id, message=message, doc=doc, severity=severity)


class Options(Record):
    """What a reporter may use besides the problems: colour, the rule catalogue, the version."""

    FIELDS = ("color", "rules", "version")

    #: Each rule's number in ``rules``, by id (made from ``rules``: not a field).
    index: Mapping[str, int]
    color: bool
    rules: Sequence[RuleInfo]
    version: str

    def __init__(
        self, color: bool = False, rules: Sequence[RuleInfo] | None = None, version: str = ""
    ) -> None:
        fill(self, color=color, rules=() if rules is None else rules, version=version)
        self.__post_init__()

    def __post_init__(self) -> None:
        index = {rule.id: number for number, rule in reversed(list(enumerate(self.rules)))}
        object.__setattr__(self, "index", index)


class Summary(MutableRecord):
    """What the footer says: files read, problems found (and in how many files), failures;
    when JSON Lines are read (``lines`` names the files read), bodies rather than files."""

    FIELDS = (
        "files",
        "problems",
        "warnings",
        "problem_files",
        "failures",
        "notes",
        "lines",
        "bodies",
        "problem_bodies",
        "_last",
        "_last_body",
    )
    SHOWN = FIELDS[:-2]

    files: int
    problems: int
    warnings: int
    problem_files: int
    failures: int
    notes: int
    #: The JSON Lines files read (the footer then counts bodies), or None when there are none.
    lines: frozenset[str] | None
    #: Bodies checked (counted by the run when ``lines`` is set).
    bodies: int
    problem_bodies: int
    _last: str | None
    _last_body: tuple[str, int] | None

    def __init__(
        self,
        files: int = 0,
        problems: int = 0,
        warnings: int = 0,
        problem_files: int = 0,
        failures: int = 0,
        notes: int = 0,
        lines: frozenset[str] | None = None,
        bodies: int = 0,
        problem_bodies: int = 0,
        _last: str | None = None,
        _last_body: tuple[str, int] | None = None,
    ) -> None:
        fill(
            self,
            files=files,
            problems=problems,
            warnings=warnings,
            problem_files=problem_files,
            failures=failures,
            notes=notes,
            lines=lines,
            bodies=bodies,
            problem_bodies=problem_bodies,
            _last=_last,
            _last_body=_last_body,
        )

    @property
    def entries(self) -> int:
        """Problems and notes written so far (the index of the next one)."""
        return self.problems + self.notes

    def count(self, outcome: Outcome) -> None:
        """Count one outcome (outcomes come in input order: a file's problems are together)."""
        if isinstance(outcome, Failure):
            self.failures += 1
            return
        if outcome.severity == "note":
            self.notes += 1
            return
        self.problems += 1
        if outcome.severity != "error":
            self.warnings += 1
        if outcome.file != self._last:
            self._last = outcome.file
            self.problem_files += 1
            self._last_body = None
        if self.lines is None:
            return
        body = (outcome.file, outcome.line if outcome.file in self.lines else 0)
        if body != self._last_body:  # a JSON Lines body is its line, a JSON file's the file
            self._last_body = body
            self.problem_bodies += 1

    @property
    def by_body(self) -> bool:
        """Whether the footer counts bodies (JSON Lines were read) rather than files."""
        return self.lines is not None


class Format(Record):
    """One output format as chunks: ``start``; ``problem`` and ``failure`` for each (``index``
    counts the chunks of that kind so far, for separators); ``end``. When ``failures_last`` is
    set, failure chunks are written after the last problem, between ``between`` and ``end``
    (the json and sarif documents keep them in a list of their own)."""

    FIELDS = ("start", "problem", "failure", "end", "between", "failures_last")

    start: Callable[[Options], str]
    problem: Callable[[Problem, int, Options], str]
    failure: Callable[[Failure, int, Options], str]
    end: Callable[[Summary, Options], str]
    between: Callable[[Summary, Options], str]
    failures_last: bool

    def __init__(
        self,
        start: Callable[[Options], str],
        problem: Callable[[Problem, int, Options], str],
        failure: Callable[[Failure, int, Options], str],
        end: Callable[[Summary, Options], str],
        between: Callable[[Summary, Options], str] = lambda summary, options: "",
        failures_last: bool = False,
    ) -> None:
        fill(
            self,
            start=start,
            problem=problem,
            failure=failure,
            end=end,
            between=between,
            failures_last=failures_last,
        )


def report(
    fmt: Format, outcomes: Iterable[Outcome], options: Options, files: int | None = None
) -> str:
    """The whole output of ``fmt`` for ``outcomes`` as one string (``files``: how many files
    were read; by default, the number of distinct files named by the outcomes)."""
    summary = Summary()
    head, held = [fmt.start(options)], list[str]()
    names: set[str] = set()
    for outcome in outcomes:
        names.add(outcome.file)
        if isinstance(outcome, Failure):
            chunk = fmt.failure(outcome, summary.failures, options)
            (held if fmt.failures_last else head).append(chunk)
        else:
            head.append(fmt.problem(outcome, summary.entries, options))
        summary.count(outcome)
    summary.files = len(names) if files is None else files
    return "".join([*head, fmt.between(summary, options), *held, fmt.end(summary, options)])


# --- text ---------------------------------------------------------------------------------


def _styles(options: Options) -> tuple[str, str, str, str, str]:
    """bold, dim, cyan, yellow and reset, or nothing without colour."""
    if options.color:
        return "\x1b[1m", "\x1b[2m", "\x1b[36m", "\x1b[33m", "\x1b[0m"
    return "", "", "", "", ""


def _text_problem(problem: Problem, index: int, options: Options) -> str:
    bold, dim, cyan, yellow, reset = _styles(options)
    mark = f"{yellow}{problem.severity}:{reset} " if problem.severity != "error" else ""
    where = f"{name(problem.file)}:{problem.line}:{problem.column}"
    message, rule = visible(problem.message), visible(problem.rule)
    line = f"{bold}{where}:{reset} {mark}{message} {dim}[{rule}]{reset}"
    if problem.fix == "safe":  # as ruff marks what --fix would fix
        line += f" {cyan}[*]{reset}"
    if problem.hint:
        line += f" {cyan}({visible(problem.hint)}){reset}"
    return line + "\n"


def _text_end(summary: Summary, options: Options) -> str:
    bold, _, _, _, reset = _styles(options)
    checked = f"{_plural(summary.files, 'file')} checked"
    where = _plural(summary.problem_files, "file")
    if summary.by_body:  # JSON Lines: bodies, in how many files
        checked = f"{_plural(summary.bodies, 'body')} checked in {_plural(summary.files, 'file')}"
        where = _plural(summary.problem_bodies, "body")
    if summary.failures:
        checked += f", {_plural(summary.failures, 'failure')}"
    if summary.notes:
        checked += f", {summary.notes} skipped {'rule' if summary.notes == 1 else 'rules'}"
    if not summary.problems:
        if summary.failures:  # what could not be checked may hold problems: not "no problems"
            return f"{bold}Could not check everything; no problems in the rest; {checked}.{reset}\n"
        return f"{bold}No problems found; {checked}.{reset}\n"
    count = _plural(summary.problems, "problem")
    if summary.warnings:
        errors = summary.problems - summary.warnings
        count += f" ({_plural(errors, 'error')}, {_plural(summary.warnings, 'warning')})"
    return f"{bold}Found {count} in {where}; {checked}.{reset}\n"


TEXT = Format(
    start=lambda options: "",
    problem=_text_problem,
    failure=lambda failure, index, options: "",  # on stderr, as the run goes
    end=_text_end,
)


def text(problems: Sequence[Problem], options: Options) -> str:
    """One line per problem, ``file:line:col: message [rule]`` (a warning says ``warning:``
    before its message), then a count of problems and of files checked.

    >>> p = Problem("a.json", 5, 64, "Country Germani was not found", "/invoice/client/country",
    ...             "country.known", "invoices.create", hint="did you mean 'Germany'?")
    >>> print(text([p], Options()), end="")
    a.json:5:64: Country Germani was not found [country.known] (did you mean 'Germany'?)
    Found 1 problem in 1 file; 1 file checked.
    >>> w = Problem("a.json", 3, 5, "The API drops this key", "/invoice/due-date",
    ...             "field.unknown", "invoices.create", hint="did you mean 'due_date'?",
    ...             severity="warning")
    >>> print(text([p, w], Options()), end="")
    a.json:5:64: Country Germani was not found [country.known] (did you mean 'Germany'?)
    a.json:3:5: warning: The API drops this key [field.unknown] (did you mean 'due_date'?)
    Found 2 problems (1 error, 1 warning) in 1 file; 1 file checked.
    >>> text([], Options())
    'No problems found; 0 files checked.\\n'
    """
    return report(TEXT, problems, options)


# --- json ---------------------------------------------------------------------------------


def _indented(value: object, depth: int) -> str:
    """``value`` as ``json.dumps(indent=2)`` writes it at ``depth`` levels in."""
    pad = "  " * depth
    return pad + json_text(value, indent=2).replace("\n", "\n" + pad)


def _item(value: object, index: int, depth: int) -> str:
    return ("," if index else "") + "\n" + _indented(value, depth)


def _close(count: int, depth: int) -> str:
    return "\n" + "  " * depth + "]" if count else "]"


JSON = Format(
    start=lambda options: f'{{\n  "version": {JSON_VERSION},\n  "problems": [',
    problem=lambda problem, index, options: _item(problem.to_dict(), index, 2),
    failure=lambda failure, index, options: _item(failure.to_dict(), index, 2),
    between=lambda summary, options: _close(summary.entries, 1) + ',\n  "failures": [',
    end=lambda summary, options: (
        _close(summary.failures, 1)
        + ',\n  "summary": '
        + json_text(summary_dict(summary))
        + "\n}\n"
    ),
    failures_last=True,
)


def summary_dict(summary: Summary) -> dict[str, int]:
    """The json format's ``summary``: ``bodies`` and ``bodies_with_problems`` only when JSON
    Lines were read, ``skipped`` only when rules were skipped."""
    out = {
        "files": summary.files,
        "problems": summary.problems,
        "files_with_problems": summary.problem_files,
        "failures": summary.failures,
    }
    if summary.by_body:
        out.update(bodies=summary.bodies, bodies_with_problems=summary.problem_bodies)
    if summary.notes:
        out["skipped"] = summary.notes
    return out


def as_json(problems: Sequence[Problem], options: Options) -> str:
    """``{"version": 1, "problems": [...], "failures": [...], "summary": {...}}``: each problem
    with every key of ``Problem.to_dict``, each failure with ``Failure.to_dict``'s.

    >>> print(as_json([], Options()), end="")
    {
      "version": 1,
      "problems": [],
      "failures": [],
      "summary": {"files": 0, "problems": 0, "files_with_problems": 0, "failures": 0}
    }
    """
    return report(JSON, problems, options)


# --- github -------------------------------------------------------------------------------


def _github_problem(p: Problem, index: int, options: Options) -> str:
    properties = f"file={_property(p.file)},line={p.line},col={p.column},title={_property(p.rule)}"
    command = {"error": "error", "note": "notice"}.get(p.severity, "warning")
    message = p.message + (f" ({p.hint})" if p.hint else "")
    return f"::{command} {properties}::{_data(message)}\n"


def _github_failure(f: Failure, index: int, options: Options) -> str:
    properties = f"file={_property(f.file)}"
    if f.line is not None:
        properties += f",line={f.line}"
        if f.column is not None:
            properties += f",col={f.column}"
    return f"::error {properties},title=ixrules::{_data('could not check: ' + f.reason)}\n"


GITHUB = Format(
    start=lambda options: "",
    problem=_github_problem,
    failure=_github_failure,
    end=lambda summary, options: "",
)


def github(problems: Sequence[Problem], options: Options) -> str:
    """GitHub Actions workflow commands: each problem becomes an annotation on its line.

    >>> p = Problem("a.json", 4, 17, "Date is not valid", "/invoice/date", "document.date.valid",
    ...             "invoices.create")
    >>> print(github([p], Options()), end="")
    ::error file=a.json,line=4,col=17,title=document.date.valid::Date is not valid
    """
    return report(GITHUB, problems, options)


# --- sarif --------------------------------------------------------------------------------


def _sarif_start(options: Options) -> str:
    driver = {
        "name": "ixrules",
        "version": options.version,
        "rules": [
            {
                "id": rule.id,
                "shortDescription": {"text": rule.message},
                "fullDescription": {"text": rule.doc.strip() or rule.message},
                "defaultConfiguration": {
                    "level": "error" if rule.severity == "error" else "warning"
                },
            }
            for rule in options.rules
        ],
    }
    head = {"$schema": SARIF_SCHEMA, "version": "2.1.0"}
    return (
        json_text(head, indent=2)[:-2]
        + ',\n  "runs": [\n    {\n      "tool": '
        + _indented({"driver": driver}, 3).lstrip()
        + ',\n      "columnKind": "unicodeCodePoints",\n      "results": ['
    )


def _sarif_problem(p: Problem, index: int, options: Options) -> str:
    result: dict[str, object] = {"ruleId": p.rule}
    if p.rule in options.index:
        result["ruleIndex"] = options.index[p.rule]
    result["level"] = {"error": "error", "note": "note"}.get(p.severity, "warning")
    result["message"] = {"text": p.message}
    result["locations"] = [
        {
            "physicalLocation": {
                "artifactLocation": {"uri": _uri(p.file)},
                "region": {"startLine": p.line, "startColumn": p.column},
            }
        }
    ]
    properties: dict[str, object] = {"endpoint": p.endpoint, "path": p.path}
    if p.hint:
        properties["hint"] = p.hint
    result["properties"] = properties
    return _item(result, index, 4)


def _sarif_failure(f: Failure, index: int, options: Options) -> str:
    location: dict[str, object] = {"artifactLocation": {"uri": _uri(f.file)}}
    if f.line is not None:
        region: dict[str, int] = {"startLine": f.line}
        if f.column is not None:
            region["startColumn"] = f.column
        location["region"] = region
    notification = {
        "level": "error",
        "message": {"text": f"could not check {f.file}: {f.reason}"},
        "locations": [{"physicalLocation": location}],
    }
    return _item(notification, index, 6)


def _sarif_between(summary: Summary, options: Options) -> str:
    ok = "false" if summary.failures else "true"
    return (
        _close(summary.entries, 3)
        + ',\n      "invocations": [\n        {\n          "executionSuccessful": '
        + ok
        + ',\n          "toolExecutionNotifications": ['
    )


SARIF = Format(
    start=_sarif_start,
    problem=_sarif_problem,
    failure=_sarif_failure,
    between=_sarif_between,
    end=lambda summary, options: (
        _close(summary.failures, 5) + "\n        }\n      ]\n    }\n  ]\n}\n"
    ),
    failures_last=True,
)


def sarif(problems: Sequence[Problem], options: Options) -> str:
    """SARIF 2.1.0 (what code scanning reads): every rule registered in ``tool.driver.rules`` with
    its id and message, one result per problem; columns count Unicode code points; what could not
    be checked is a tool execution notification, and the invocation then did not succeed."""
    return report(SARIF, problems, options)


FORMATS: dict[str, Format] = {"text": TEXT, "json": JSON, "github": GITHUB, "sarif": SARIF}


def rule_infos(rules: Mapping[str, Rule]) -> tuple[RuleInfo, ...]:
    """The catalogue SARIF registers, from a rule set's ``rules`` (id -> Rule)."""
    return tuple(
        RuleInfo(rule.id, rule.message, rule.doc, getattr(rule, "severity", "error"))
        for rule in rules.values()
    )


def _plural(count: int, noun: str) -> str:
    plural = "bodies" if noun == "body" else f"{noun}s"
    return f"{count} {noun}" if count == 1 else f"{count} {plural}"


def _data(value: str) -> str:
    """Escape a workflow command's message: controls shown as escapes, then GitHub's own
    escapes for ``%``, CR and LF.

    >>> _data("50% \\x1b[2J")
    '50%25 \\\\x1b[2J'
    """
    return _percent(visible(value))


def _property(value: str) -> str:
    """Escape a workflow command's property value (a file name, shown as ``name`` shows it).

    >>> _property("a,b:c.json")
    'a%2Cb%3Ac.json'
    """
    return _percent(name(value)).replace(":", "%3A").replace(",", "%2C")


def _percent(shown: str) -> str:
    """GitHub's own escapes for ``%``, CR and LF, in text already made safe by ``safe``."""
    return shown.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _uri(file: str) -> str:
    """A SARIF artifact URI: relative paths stay relative, with forward slashes; the bytes of
    the name are percent-encoded, so a name that is not UTF-8 names the same file.

    >>> _uri("payloads/my invoice.json"), _uri("/tmp/a.json"), _uri("bad\\udcff.json")
    ('payloads/my%20invoice.json', 'file:///tmp/a.json', 'bad%FF.json')
    """
    from pathlib import PurePath  # only SARIF names files by URI: 4 ms of a start otherwise
    from urllib.parse import quote

    path = PurePath(file)
    encoded = quote(os.fsencode(path.as_posix()))
    return "file://" + encoded if path.is_absolute() else encoded
