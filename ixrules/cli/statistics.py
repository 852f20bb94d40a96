"""``ixrules lint --statistics``: how many problems each rule found, instead of the problems
(ruff's ``--statistics``), in the text or json format; most frequent first.

>>> from ixrules.lint.problems import Problem
>>> counts = Statistics()
>>> for unit in ("kg", "lb"):
...     counts.count(Problem("a.json", 1, 1, f"Unit {unit} is not included", "/x", "item.unit",
...                          "invoices.create"))
>>> counts.count(Problem("a.json", 1, 1, "Unknown key x", "/y", "field.unknown",
...                      "invoices.create", severity="warning"))
>>> print(counts.text({"item.unit": "Unit {value} is not included"}), end="")
2  item.unit      Unit {value} is not included
1  field.unknown  warning: Unknown key x
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence

from ..lint.problems import Failure, Problem
from ..lint.safe import json_text, visible
from ..records import MutableRecord, fill

#: The formats that can print statistics.
FORMATS = ("text", "json")


class Statistics(MutableRecord):
    """Problems counted per rule, with each rule's severity and the first message seen (shown
    when the rule catalogue has no message for it)."""

    FIELDS = ("counts", "severity", "first")

    counts: Counter[str]
    severity: dict[str, str]
    first: dict[str, str]

    def __init__(
        self,
        counts: Counter[str] | None = None,
        severity: dict[str, str] | None = None,
        first: dict[str, str] | None = None,
    ) -> None:
        fill(
            self,
            counts=Counter() if counts is None else counts,
            severity={} if severity is None else severity,
            first={} if first is None else first,
        )

    def count(self, problem: Problem) -> None:
        """Count one problem (or note)."""
        self.counts[problem.rule] += 1
        self.severity.setdefault(problem.rule, problem.severity)
        self.first.setdefault(problem.rule, problem.message)

    def rows(self, messages: Mapping[str, str]) -> list[tuple[int, str, str, str]]:
        """(count, rule, severity, message) per rule, most frequent first, then by rule id."""
        ordered = sorted(self.counts.items(), key=lambda item: (-item[1], item[0]))
        return [
            (number, rule, self.severity[rule], messages.get(rule, self.first[rule]))
            for rule, number in ordered
        ]

    def text(self, messages: Mapping[str, str]) -> str:
        """One line per rule: the count, the rule id and its message (a warning's or a
        note's marked, as the text format marks them)."""
        rows = self.rows(messages)
        if not rows:
            return ""
        count_width = max(len(str(number)) for number, *_ in rows)
        rule_width = max(len(rule) for _, rule, *_ in rows)
        lines = []
        for number, rule, severity, message in rows:
            mark = f"{severity}: " if severity != "error" else ""
            lines.append(
                f"{number:>{count_width}}  {rule:<{rule_width}}  {mark}{visible(message)}\n"
            )
        return "".join(lines)

    def json(
        self, messages: Mapping[str, str], failures: Sequence[Failure], summary: Mapping[str, int]
    ) -> str:
        """``{"version": 1, "statistics": [...], "failures": [...], "summary": {...}}``: each
        rule's ``rule``, ``count``, ``severity`` and ``message``."""
        from .reporters import JSON_VERSION

        document = {
            "version": JSON_VERSION,
            "statistics": [
                {"rule": rule, "count": number, "severity": severity, "message": message}
                for number, rule, severity, message in self.rows(messages)
            ],
            "failures": [failure.to_dict() for failure in failures],
            "summary": dict(summary),
        }
        return json_text(document, indent=2) + "\n"
