"""A replay's report in each of the lint's output formats: ``text`` (a line per interaction
that did not agree, then the tables by verdict and by rule), ``json`` (every interaction and
both tables), ``github`` (an annotation per interaction, then the tables) and ``sarif`` (a
result per interaction, the tables in the run's ``properties``).

``github`` and ``sarif`` are the lint's own reporters, fed one record per interaction, so their
escaping is the lint's; the text goes through ``ixrules.lint.safe`` like every line the lint
prints. What is echoed of a recording is only a method, a path and messages with its secrets
replaced (see ``ixrules.recordings.redact``).
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from ..lint.problems import Failure, Outcome, Problem
from ..lint.safe import json_text, lines, name, visible
from ..recordings.classify import FAILING, VERDICTS, Replayed, Said
from ..recordings.report import ReplayReport
from . import reporters

#: The version of the ``json`` format's shape.
JSON_VERSION = 1
FORMATS = ("text", "json", "github", "sarif")
#: Messages of one side shown on an interaction's line (the rest counted).
_SHOWN = 3
_SEVERITY = {
    "missed_refusal": "error",
    "false_alarm": "error",
    "other_message": "warning",
    "other_status": "warning",
    "needs_state": "note",
    "not_comparable": "note",
}
_DOCS = {
    "missed_refusal": "The API refused a request ixrules predicted it would accept.",
    "false_alarm": "The API accepted a request ixrules predicted it would refuse.",
    "other_message": "Both refused, but the API gave a message ixrules did not predict.",
    "other_status": "The same answer as predicted, with another status.",
    "needs_state": "The API's message is a rule's that was skipped for want of context.",
    "not_comparable": "Nothing to compare (an unmodelled route, no message, no answer).",
}


def render(
    fmt: str,
    report: ReplayReport,
    failures: Sequence[Failure] = (),
    *,
    files: int = 1,
    color: bool = False,
    version: str = "",
) -> str:
    """The whole output of format ``fmt`` for a report and the files that could not be read."""
    if fmt == "text":
        return _text(report, files, color)
    if fmt == "json":
        return _json(report, failures, files)
    outcomes: list[Outcome] = [
        _problem(item) for item in report.replayed if item.verdict != "agree"
    ]
    outcomes += failures
    rules = tuple(
        reporters.RuleInfo(f"replay.{verdict}", verdict.replace("_", " "), doc, _level(verdict))
        for verdict, doc in _DOCS.items()
    )
    options = reporters.Options(rules=rules, version=version)
    if fmt == "github":
        annotations = reporters.report(reporters.GITHUB, outcomes, options, files)
        return annotations + lines(_tables(report, files)) + "\n"
    if fmt == "sarif":
        document = json.loads(reporters.report(reporters.SARIF, outcomes, options, files))
        tables = _tables_json(report, files, len(failures))
        document["runs"][0]["properties"] = {"replay": tables}
        return json_text(document, indent=2) + "\n"
    raise ValueError(f"format must be one of {', '.join(FORMATS)}, not {fmt!r}")


def describe(item: Replayed) -> str:
    """One interaction as words: what was sent, what the API answered, what was predicted."""
    head = f"{item.label}: {item.method} {item.path}: "
    answered = (
        "answered nothing" if item.answered.status is None else _side("answered", item.answered)
    )
    if item.verdict == "not_comparable" and item.predicted.status is None:
        return f"{head}{answered} ({item.reason})"
    text = f"{head}{answered}; {_side('predicted', item.predicted)}"
    if item.needs:
        text += f" (the context would decide it: {', '.join(item.needs)})"
    elif item.reason:
        text += f" ({item.reason})"
    return text


def _side(verb: str, said: Said) -> str:
    shown = [f'"{text}"' + (f" [{rule}]" if rule else "") for text, rule in said.messages[:_SHOWN]]
    more = len(said.messages) - _SHOWN
    if more > 0:
        shown.append(f"and {more} more")
    return f"{verb} {said.status}" + (" " + ", ".join(shown) if shown else "")


def _level(verdict: str) -> str:
    return "error" if verdict in FAILING else "warning"


def _problem(item: Replayed) -> Problem:
    return Problem(
        item.file,
        item.line or 1,
        1,
        describe(item),
        "",
        f"replay.{item.verdict}",
        item.endpoint or "",
        item.answered.status or 0,
        None,
        _SEVERITY[item.verdict],
    )


# --- text -----------------------------------------------------------------------------------


def _text(report: ReplayReport, files: int, color: bool) -> str:
    bold, red, yellow, reset = ("\x1b[1m", "\x1b[31m", "\x1b[33m", "\x1b[0m") if color else [""] * 4
    out = []
    for item in report.replayed:
        if item.verdict == "agree":
            continue
        where = name(item.file) + (f":{item.line}" if item.line is not None else "")
        tint = red if item.verdict in FAILING else yellow
        label, rest = describe(item).split(": ", 1)
        out.append(f"{bold}{where}:{reset} {tint}{label}:{reset} {visible(rest)}")
    if out:
        out.append("")
    out.append(_tables(report, files))
    return "\n".join(out) + "\n"


def _tables(report: ReplayReport, files: int) -> str:
    """The table by verdict, the table by rule, and the summary line."""
    counts = report.counts
    width = max(len(verdict) for verdict in VERDICTS)
    out = ["verdict".ljust(width) + "  interactions"]
    for verdict in VERDICTS:
        out.append(verdict.replace("_", " ").ljust(width) + f"  {counts[verdict]:>12}")
    out.append("total".ljust(width) + f"  {len(report.replayed):>12}")
    by_rule = report.by_rule
    if by_rule:
        columns = [v for v in VERDICTS if any(v in row for row in by_rule.values())]
        first = max(len("rule"), *(len(rule) for rule in by_rule))
        out.append("")
        out.append("  ".join(["rule".ljust(first), *(v.replace("_", " ") for v in columns)]))
        for rule, row in by_rule.items():
            cells = [str(row.get(v, "-")).rjust(len(v)) for v in columns]
            out.append("  ".join([visible(rule).ljust(first), *cells]))
    out.append("")
    out.append(_summary(report, files))
    return "\n".join(out)


def _summary(report: ReplayReport, files: int) -> str:
    counts = report.counts
    replayed = (
        f"Replayed {_plural(len(report.replayed), 'interaction')} from {_plural(files, 'file')}"
    )
    failing = [
        _plural(counts[verdict], verdict.replace("_", " "))
        for verdict in VERDICTS
        if verdict in FAILING and counts[verdict]
    ]
    if failing:
        return f"{replayed}: {', '.join(failing)}."
    return f"{replayed}: no missed refusal, no false alarm."


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


# --- json -----------------------------------------------------------------------------------


def _tables_json(report: ReplayReport, files: int, failures: int) -> dict[str, object]:
    return {
        "verdicts": report.counts,
        "rules": report.by_rule,
        "summary": {"files": files, "interactions": len(report.replayed), "failures": failures},
    }


def _json(report: ReplayReport, failures: Sequence[Failure], files: int) -> str:
    tables = _tables_json(report, files, len(failures))
    document = {
        "version": JSON_VERSION,
        "interactions": [item.to_dict() for item in report.replayed],
        "failures": [failure.to_dict() for failure in failures],
        **tables,
    }
    return json_text(document, indent=2) + "\n"
