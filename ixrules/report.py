"""What a validation answers: plain records, so every output format is a function of them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

#: The order in which the API decides a request's status: the first that applies wins.
STATUS_PRECEDENCE = (401, 404, 406, 422)


@dataclass(frozen=True)
class Issue:
    """One problem: the API's message, where it is in the body, and the rule that found it.

    >>> Issue("Unit price must be a number", "/invoice/items/0/price", "item.unit_price.number")
    Issue(message='Unit price must be a number', path='/invoice/items/0/price',
          rule='item.unit_price.number', status=422, hint=None)
    """

    message: str
    path: str
    rule: str
    status: int = 422
    hint: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The issue as plain JSON-compatible data (``hint`` only when there is one)."""
        out: dict[str, Any] = {
            "message": self.message,
            "path": self.path,
            "rule": self.rule,
            "status": self.status,
        }
        if self.hint is not None:
            out["hint"] = self.hint
        return out


@dataclass(frozen=True)
class Report:
    """The result of validating one body against one endpoint.

    ``status`` is what the API would answer: the endpoint's success status when clean,
    422 for validation errors, or an earlier status (401, 404, 406) when one applies.
    ``skipped`` lists the ids of rules that needed context the caller did not give.
    ``endpoint`` is None only for a request to a route the API does not have.
    """

    endpoint: str | None
    errors: list[Issue] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    success_status: int = 200
    error_shape: str = "errors"

    @property
    def ok(self) -> bool:
        """True when the API would accept the body."""
        return not self.errors

    @property
    def status(self) -> int:
        """The HTTP status the API would answer with."""
        if not self.errors:
            return self.success_status
        present = {issue.status for issue in self.errors}
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

    def to_dict(self) -> dict[str, Any]:
        """The whole report as plain JSON-compatible data."""
        return {
            "endpoint": self.endpoint,
            "ok": self.ok,
            "status": self.status,
            "errors": [issue.to_dict() for issue in self.errors],
            "skipped": list(self.skipped),
        }
