"""What a validation answers: plain records, so every output format is a function of them."""

from __future__ import annotations

from .records import Record, fill
from .typenames import literal_aliases
from .values import MISSING, pointer_parts, value_at

TYPE_CHECKING = False  # not typing's: importing typing is a cost of every start
if TYPE_CHECKING:
    from typing import Any, Literal

    FieldStyle = Literal["brackets", "dotted", "pointer"]

#: How :meth:`Report.by_field` names a field: ``invoice[items][0][quantity]`` (what HTML forms
#: post, Rails and PHP style), ``invoice.items.0.quantity`` or ``/invoice/items/0/quantity``.
FIELD_STYLES: tuple[FieldStyle, ...] = ("brackets", "dotted", "pointer")

#: Who may apply a fix: a tool unasked (``safe``: the meaning is kept for certain), only when
#: asked (``unsafe``: probably right, could change the meaning), or nobody (``display``).
APPLICABILITIES = ("safe", "unsafe", "display")


class Edit(Record):
    """One fix of a body, proposed or applied: what changes at ``path`` (a JSON pointer), the
    rule whose finding it repairs, the value ``before`` and ``after``, who may apply it and what
    it does in one line. ``op`` says what kind of change it is: ``replace`` a value; ``move`` a
    key (``path`` names it, ``to`` is its new pointer, ``before``/``after`` the old and new
    names); ``wrap`` the whole body in the root key ``after``. A ``display`` edit may have no
    ``after`` at all (None): its description says what to do.

    >>> Edit("/client/country", "country.known", "PT", "Portugal", "safe", "the API's name").patch()
    [{'op': 'replace', 'path': '/client/country', 'value': 'Portugal'}]

    A frozen record (:mod:`ixrules.records`), as are :class:`Issue` and :class:`Report`.
    """

    FIELDS = ("path", "rule", "before", "after", "applicability", "description", "op", "to")

    path: str
    rule: str
    before: Any
    after: Any
    applicability: str
    description: str
    op: Literal["replace", "move", "wrap"]
    to: str | None

    def __init__(
        self,
        path: str,
        rule: str,
        before: Any,
        after: Any,
        applicability: str,
        description: str,
        op: Literal["replace", "move", "wrap"] = "replace",
        to: str | None = None,
    ) -> None:
        fill(
            self,
            path=path,
            rule=rule,
            before=before,
            after=after,
            applicability=applicability,
            description=description,
            op=op,
            to=to,
        )

    def patch(self, body: Any = None) -> list[dict[str, Any]]:
        """The edit as RFC 6902 JSON Patch operations. A ``wrap`` replaces the whole document
        with ``{after: body}``, so it needs the ``body`` it applies to; a ``move`` into an object
        that is not there yet adds it first."""
        if self.op == "wrap":
            return [{"op": "replace", "path": "", "value": {self.after: body}}]
        if self.op == "move" and self.to is not None:
            out: list[dict[str, Any]] = []
            new_parent = self.to.rsplit("/", 1)[0]
            old_parent = self.path.rsplit("/", 1)[0]
            if new_parent != old_parent and (body is None or value_at(body, new_parent) is MISSING):
                out.append({"op": "add", "path": new_parent, "value": {}})
            out.append({"op": "move", "from": self.path, "path": self.to})
            return out
        return [{"op": "replace", "path": self.path, "value": self.after}]

    def to_dict(self) -> dict[str, Any]:
        """The edit as plain JSON-compatible data."""
        out: dict[str, Any] = {
            "path": self.path,
            "rule": self.rule,
            "op": self.op,
            "before": self.before,
            "after": self.after,
            "applicability": self.applicability,
            "description": self.description,
        }
        if self.to is not None:
            out["to"] = self.to
        return out


#: The order in which the API decides a request's status: the first that applies wins. A 500
#: (a value the backend fails on while reading it) comes before the validations' 422.
STATUS_PRECEDENCE = (401, 404, 406, 500, 422)


class Issue(Record):
    """One problem: the message, where it is in the body, the rule that found it, and its
    severity: an ``error`` is a refusal the API answers with ``message``; a ``warning`` is
    something the API accepts but does not do as sent (ixrules' own words). An issue is about a
    body, wherever it came from; the lint places each one in its file's text as a
    :class:`ixrules.lint.problems.Problem` (``file:line:column``). ``fix`` is how the body
    could be repaired (an :class:`Edit`, proposed, never applied), or None; it takes no part
    in comparing issues, so two executors' reports stay equal.

    >>> Issue("Unit price must be a number", "/invoice/items/0/price", "item.unit_price.number")
    Issue(message='Unit price must be a number', path='/invoice/items/0/price',
          rule='item.unit_price.number', status=422, hint=None, severity='error')
    """

    FIELDS = ("message", "path", "rule", "status", "hint", "severity", "fix")
    COMPARED = SHOWN = FIELDS[:-1]

    message: str
    path: str
    rule: str | None
    status: int
    hint: str | None
    severity: str
    #: The default of an issue made without its ``__init__`` (the executor's fast one).
    fix: Edit | None = None

    def __init__(
        self,
        message: str,
        path: str,
        rule: str | None,
        status: int = 422,
        hint: str | None = None,
        severity: str = "error",
        fix: Edit | None = None,
    ) -> None:
        fill(
            self,
            message=message,
            path=path,
            rule=rule,
            status=status,
            hint=hint,
            severity=severity,
            fix=fix,
        )

    def to_dict(self) -> dict[str, Any]:
        """The issue as plain JSON-compatible data (``hint`` and ``fix`` only when there is
        one)."""
        out: dict[str, Any] = {
            "message": self.message,
            "path": self.path,
            "rule": self.rule,
            "severity": self.severity,
            "status": self.status,
        }
        if self.hint is not None:
            out["hint"] = self.hint
        if self.fix is not None:
            out["fix"] = self.fix.to_dict()
        return out


class Report(Record):
    """The result of validating one body against one endpoint.

    ``issues`` holds every finding in order; ``errors`` and ``warnings`` split them by
    severity. Only errors decide: ``ok``, ``status``, ``messages`` and ``to_api()`` never look
    at warnings, since the API answers nothing about them.
    ``status`` is what the API would answer: the endpoint's success status when clean,
    422 for validation errors, or an earlier status (401, 404, 406) when one applies.
    ``skipped`` lists the ids of rules that needed context the caller did not give.
    ``endpoint`` is None only for a request to a route the API does not have.

    >>> dropped = Issue("Unknown key 'due-date': the API drops it", "/invoice/due-date",
    ...                 "field.unknown", severity="warning")
    >>> report = Report("invoices.create", [dropped])
    >>> report.ok, report.status, report.errors, [w.rule for w in report.warnings]
    (True, 200, [], ['field.unknown'])
    """

    FIELDS = ("endpoint", "issues", "skipped", "success_status", "error_shape")

    endpoint: str | None
    issues: list[Issue]
    skipped: list[str]
    success_status: int
    error_shape: str

    def __init__(
        self,
        endpoint: str | None,
        issues: list[Issue] | None = None,
        skipped: list[str] | None = None,
        success_status: int = 200,
        error_shape: str = "errors",
    ) -> None:
        fill(
            self,
            endpoint=endpoint,
            issues=[] if issues is None else issues,
            skipped=[] if skipped is None else skipped,
            success_status=success_status,
            error_shape=error_shape,
        )

    @property
    def errors(self) -> list[Issue]:
        """The findings the API refuses the request for, in order."""
        return [issue for issue in self.issues if issue.severity == "error"]

    @property
    def warnings(self) -> list[Issue]:
        """What the API accepts but will not do as sent, in order."""
        return [issue for issue in self.issues if issue.severity != "error"]

    @property
    def ok(self) -> bool:
        """True when the API would accept the body (warnings or not)."""
        return all(issue.severity != "error" for issue in self.issues)

    @property
    def status(self) -> int:
        """The HTTP status the API would answer with."""
        errors = self.errors
        if not errors:
            return self.success_status
        present = {issue.status for issue in errors}
        for status in STATUS_PRECEDENCE:
            if status in present:
                return status
        return min(present)

    @property
    def messages(self) -> list[str]:
        """The distinct messages of the deciding status, in order, as the API lists them."""
        status = self.status
        seen: dict[str, None] = {}
        for issue in self.errors:
            if issue.status == status:
                seen.setdefault(issue.message, None)
        return list(seen)

    def to_api(self) -> dict[str, Any]:
        """The error body the endpoint really answers with.

        >>> client = Issue("Client is invalid", "/invoice/client", "document.client.invalid")
        >>> Report("invoices.create", [client]).to_api()
        {'errors': [{'error': 'Client is invalid'}]}
        >>> month = Issue("You need to send the month in the request body.", "/month", "saft.month")
        >>> Report("saft.export", [month], error_shape="message").to_api()
        {'message': 'You need to send the month in the request body.'}
        """
        messages = self.messages
        if self.error_shape == "message":
            return {"message": messages[0]} if messages else {}
        return {"errors": [{"error": message} for message in messages]}

    def by_field(
        self, style: FieldStyle = "brackets", *, warnings: bool = False, hints: bool = False
    ) -> dict[str, list[str]]:
        """Every error message grouped by the form field it belongs to, for showing next to the
        field (``warnings=True`` adds the warnings' messages after them; ``hints=True`` writes
        an issue's hint after its message, in parentheses, as the command line does).

        Fields are named in ``style`` (see :data:`FIELD_STYLES`); the default, ``brackets``, is
        what an HTML form posts and :func:`ixrules.forms.body_from_form` reads, so the keys are
        the form's own input names. Umbrella messages ("Client is invalid") are keyed by their
        parent field (``invoice[client]``). Issues on the whole body (path ``""``, e.g. a missing
        parameter of an unwrapped endpoint) are keyed by ``""`` in every style. Fields come in
        report order; a field's messages in report order, each once.

        >>> report = Report("invoices.create", [
        ...     Issue("Invoice items is invalid", "/invoice/items", "document.items.invalid"),
        ...     Issue("Quantity must be a number greater than 0", "/invoice/items/0/quantity",
        ...           "item.quantity.positive")])
        >>> report.by_field()
        {'invoice[items]': ['Invoice items is invalid'],
         'invoice[items][0][quantity]': ['Quantity must be a number greater than 0']}
        >>> list(report.by_field("dotted"))
        ['invoice.items', 'invoice.items.0.quantity']
        >>> list(report.by_field("pointer"))
        ['/invoice/items', '/invoice/items/0/quantity']
        >>> Report("clients.create", [Issue("Country Germani was not found",
        ...     "/client/country", "country.known", hint="did you mean 'Germany'?")]
        ... ).by_field(hints=True)
        {'client[country]': ["Country Germani was not found (did you mean 'Germany'?)"]}
        """
        if style not in FIELD_STYLES:
            raise ValueError(f"unknown field style {style!r}; expected one of {FIELD_STYLES}")
        out: dict[str, dict[str, None]] = {}
        for issue in self.issues if warnings else self.errors:
            message = issue.message
            if hints and issue.hint:
                message += f" ({issue.hint})"
            out.setdefault(field_name(issue.path, style), {}).setdefault(message, None)
        return {name: list(messages) for name, messages in out.items()}

    def to_dict(self) -> dict[str, Any]:
        """The whole report as plain JSON-compatible data."""
        return {
            "endpoint": self.endpoint,
            "ok": self.ok,
            "status": self.status,
            "errors": [issue.to_dict() for issue in self.errors],
            "warnings": [issue.to_dict() for issue in self.warnings],
            "skipped": list(self.skipped),
        }


def field_name(path: str, style: FieldStyle = "brackets") -> str:
    """The form field name of the JSON pointer ``path`` in ``style``; ``""`` stays ``""``.

    >>> field_name("/invoice/client/name"), field_name("/invoice/items/0/unit", "dotted")
    ('invoice[client][name]', 'invoice.items.0.unit')
    >>> field_name("/month"), field_name("")
    ('month', '')
    """
    if style == "pointer" or not path:
        return path
    parts = pointer_parts(path)
    if style == "dotted":
        return ".".join(parts)
    return parts[0] + "".join(f"[{part}]" for part in parts[1:])


#: ``FieldStyle`` at run time (see :mod:`ixrules.typenames`).
__getattr__ = literal_aliases(__name__, FieldStyle=FIELD_STYLES)
