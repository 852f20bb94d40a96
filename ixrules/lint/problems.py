"""What linting finds, as plain picklable records: every output format is a function of them."""

from __future__ import annotations

from typing import Any

from ..records import Record, fill


class Problem(Record):
    """What the lint reports about a file, at ``file:line:column`` (1-based; columns in
    characters): an :class:`ixrules.Issue` of one body (what is wrong, at a JSON pointer of the
    body) placed in the file's text, with the endpoint the body was checked for, or a note
    (``severity`` ``"note"``) that a rule was skipped, which no validation reports as an issue.
    An issue is about a body, wherever it came from; a problem is about a place in a file.

    >>> Problem("a.json", 4, 17, "Due date must be later than date", "/invoice/due_date",
    ...         "document.due_date.after_date", "invoices.create").location
    'a.json:4:17'
    """

    FIELDS = (
        "file",
        "line",
        "column",
        "message",
        "path",
        "rule",
        "endpoint",
        "status",
        "hint",
        "severity",
        "fix",
    )

    file: str
    line: int
    column: int
    message: str
    path: str
    rule: str
    endpoint: str
    #: The HTTP status the API refuses the body with; None for a warning or a note, which the
    #: API does not refuse.
    status: int | None
    hint: str | None
    severity: str
    #: The applicability of the fix its issue carries (``safe``, ``unsafe``, ``display``), or
    #: None: what the text format marks ``[*]`` (not part of the json format's keys).
    fix: str | None

    def __init__(
        self,
        file: str,
        line: int,
        column: int,
        message: str,
        path: str,
        rule: str,
        endpoint: str,
        status: int | None = 422,
        hint: str | None = None,
        severity: str = "error",
        fix: str | None = None,
    ) -> None:
        fill(
            self,
            file=file,
            line=line,
            column=column,
            message=message,
            path=path,
            rule=rule,
            endpoint=endpoint,
            status=status,
            hint=hint,
            severity=severity,
            fix=fix,
        )

    @property
    def location(self) -> str:
        """``file:line:column``, the form editors and terminals turn into a link."""
        return f"{self.file}:{self.line}:{self.column}"

    def to_dict(self) -> dict[str, Any]:
        """The problem as the ``json`` format prints it (every key always present)."""
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "message": self.message,
            "path": self.path,
            "rule": self.rule,
            "severity": self.severity,
            "endpoint": self.endpoint,
            "status": self.status,
            "hint": self.hint,
        }


class Failure(Record):
    """Something that could not be checked (unreadable file, malformed JSON, a body no endpoint
    takes); the run goes on and exits 2.

    >>> print(Failure("a.jsonl", "not valid JSON: Expecting value", 3, 1))
    a.jsonl:3:1: error: not valid JSON: Expecting value
    >>> print(Failure("missing.json", "no such file or directory"))
    missing.json: error: no such file or directory
    """

    FIELDS = ("file", "reason", "line", "column")

    file: str
    reason: str
    line: int | None
    column: int | None

    def __init__(
        self, file: str, reason: str, line: int | None = None, column: int | None = None
    ) -> None:
        fill(self, file=file, reason=reason, line=line, column=column)

    def to_dict(self) -> dict[str, Any]:
        """The failure as the ``json`` format prints it (every key always present)."""
        return {"file": self.file, "line": self.line, "column": self.column, "reason": self.reason}

    def __str__(self) -> str:
        """The stderr line, with the name and reason made safe to print (see ``safe``)."""
        from .safe import name, visible

        where = name(self.file)
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return f"{where}: error: {visible(self.reason)}"


Outcome = Problem | Failure
