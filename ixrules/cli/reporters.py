"""Output formats: each is a pure function of the problems found (and a few options), looked up
by name in ``REPORTERS``. Failures (what could not be checked) are not theirs: they go to stderr.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import PurePath
from urllib.parse import quote

from ..model import Rule
from .problems import Problem

#: The version of the ``json`` format's shape; it changes only if a key changes meaning.
JSON_VERSION = 1
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


@dataclass(frozen=True)
class RuleInfo:
    """What SARIF registers about a rule: its id, message, what it checks and its severity."""

    id: str
    message: str
    doc: str = ""
    severity: str = "error"


@dataclass(frozen=True)
class Options:
    """What a reporter may use besides the problems: colour, the rule catalogue, the version."""

    color: bool = False
    rules: Sequence[RuleInfo] = field(default_factory=tuple)
    version: str = ""


Reporter = Callable[[Sequence[Problem], Options], str]


def text(problems: Sequence[Problem], options: Options) -> str:
    """One line per problem, ``file:line:col: message [rule]`` (a warning says ``warning:``
    before its message), then a count.

    >>> p = Problem("a.json", 5, 64, "Country Germani was not found", "/invoice/client/country",
    ...             "country.known", "invoices.create", hint="did you mean 'Germany'?")
    >>> print(text([p], Options()), end="")
    a.json:5:64: Country Germani was not found [country.known] (did you mean 'Germany'?)
    Found 1 problem in 1 file.
    >>> w = Problem("a.json", 3, 5, "The API drops this key", "/invoice/due-date",
    ...             "field.unknown", "invoices.create", hint="did you mean 'due_date'?",
    ...             severity="warning")
    >>> print(text([p, w], Options()), end="")
    a.json:5:64: Country Germani was not found [country.known] (did you mean 'Germany'?)
    a.json:3:5: warning: The API drops this key [field.unknown] (did you mean 'due_date'?)
    Found 2 problems (1 error, 1 warning) in 1 file.
    >>> text([], Options())
    ''
    """
    if not problems:
        return ""
    bold, dim, cyan, yellow, reset = (
        ("\x1b[1m", "\x1b[2m", "\x1b[36m", "\x1b[33m", "\x1b[0m") if options.color else 5 * ("",)
    )
    lines = []
    warnings = 0
    for problem in problems:
        mark = ""
        if problem.severity != "error":
            warnings += 1
            mark = f"{yellow}{problem.severity}:{reset} "
        line = (
            f"{bold}{problem.location}:{reset} {mark}{problem.message} {dim}[{problem.rule}]{reset}"
        )
        if problem.hint:
            line += f" {cyan}({problem.hint}){reset}"
        lines.append(line)
    files = len({problem.file for problem in problems})
    count = _plural(len(problems), "problem")
    if warnings:
        errors = len(problems) - warnings
        count += f" ({_plural(errors, 'error')}, {_plural(warnings, 'warning')})"
    lines.append(f"{bold}Found {count} in {_plural(files, 'file')}.{reset}")
    return "\n".join(lines) + "\n"


def as_json(problems: Sequence[Problem], options: Options) -> str:
    """``{"version": 1, "problems": [...]}``, each problem with every key of ``Problem.to_dict``.

    >>> print(as_json([], Options()), end="")
    {
      "version": 1,
      "problems": []
    }
    """
    document = {"version": JSON_VERSION, "problems": [p.to_dict() for p in problems]}
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def github(problems: Sequence[Problem], options: Options) -> str:
    """GitHub Actions workflow commands: each problem becomes an annotation on its line.

    >>> p = Problem("a.json", 4, 17, "Date is not valid", "/invoice/date", "document.date.valid",
    ...             "invoices.create")
    >>> print(github([p], Options()), end="")
    ::error file=a.json,line=4,col=17,title=document.date.valid::Date is not valid
    """
    lines = []
    for p in problems:
        properties = (
            f"file={_property(p.file)},line={p.line},col={p.column},title={_property(p.rule)}"
        )
        command = "error" if p.severity == "error" else "warning"
        lines.append(f"::{command} {properties}::{_data(p.message)}")
    return "".join(line + "\n" for line in lines)


def sarif(problems: Sequence[Problem], options: Options) -> str:
    """SARIF 2.1.0 (what code scanning reads): every rule registered in ``tool.driver.rules`` with
    its id and message, one result per problem; columns count Unicode code points."""
    index = {rule.id: number for number, rule in enumerate(options.rules)}
    results = []
    for p in problems:
        result: dict[str, object] = {"ruleId": p.rule}
        if p.rule in index:
            result["ruleIndex"] = index[p.rule]
        result["level"] = "error" if p.severity == "error" else "warning"
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
        results.append(result)
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
    document = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {"tool": {"driver": driver}, "columnKind": "unicodeCodePoints", "results": results}
        ],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


REPORTERS: dict[str, Reporter] = {"text": text, "json": as_json, "github": github, "sarif": sarif}


def rule_infos(rules: Mapping[str, Rule]) -> tuple[RuleInfo, ...]:
    """The catalogue SARIF registers, from a rule set's ``rules`` (id -> Rule)."""
    return tuple(
        RuleInfo(rule.id, rule.message, rule.doc, rule.severity) for rule in rules.values()
    )


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def _data(value: str) -> str:
    """Escape a workflow command's message."""
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(value: str) -> str:
    """Escape a workflow command's property value.

    >>> _property("a,b:c.json")
    'a%2Cb%3Ac.json'
    """
    return _data(value).replace(":", "%3A").replace(",", "%2C")


def _uri(file: str) -> str:
    """A SARIF artifact URI: relative paths stay relative, with forward slashes.

    >>> _uri("payloads/my invoice.json"), _uri("/tmp/a.json")
    ('payloads/my%20invoice.json', 'file:///tmp/a.json')
    """
    path = PurePath(file)
    if path.is_absolute():
        return "file://" + quote(path.as_posix())
    return quote(path.as_posix())
