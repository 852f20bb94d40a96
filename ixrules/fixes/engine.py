"""Apply the fixes the findings propose, pass after pass, the way ruff's ``--fix`` does.

Each pass validates the body, takes the proposed fixes its caller allows (``safe``, and
``unsafe`` when asked; ``display`` never), at most one per place (two fixes on one path, or on
a path and one below it, never both apply: the next pass sees the result of the first), and
applies them to a copy. A pass whose fixes would bring an error the body did not have is
taken back fix by fix, keeping only those that bring none. The loop stops when no fix is left,
when a body comes back that an earlier pass had (a cycle, reported with the rules that made
it), or after :data:`MAX_PASSES` passes. The caller's body is never changed.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..context import Context
from ..endpoint_lookup import BodyError, root_index
from ..report import Edit, Report, field_name
from ..values import Unreadable, plain, pointer_parts
from .proposals import shape_fix

if TYPE_CHECKING:
    from ..api import Rules
    from ..report import FieldStyle

#: How many passes the loop makes at most: each pass fixes every place it can, and a fix
#: makes the next pass's fixes possible only below a renamed key or a wrapped body.
MAX_PASSES = 8


@dataclass(frozen=True)
class FixResult:
    """What :func:`fix` did: the fixed ``body`` (a new object), the ``fixes`` applied in order,
    the same as an RFC 6902 ``patch``, and the ``report`` of the fixed body (whose issues still
    carry the fixes not applied: unsafe ones not asked for, display ones). ``rejected`` are the
    fixes taken back because they would have brought a new error; ``cycle`` names the rules
    whose fixes brought a body back to an earlier state (empty when the loop converged)."""

    body: Any
    fixes: list[Edit]
    patch: list[dict[str, Any]]
    report: Report
    rejected: list[Edit] = field(default_factory=list)
    cycle: tuple[str, ...] = ()

    @property
    def changed(self) -> bool:
        """True when any fix was applied."""
        return bool(self.fixes)

    def by_field(self, style: FieldStyle = "brackets") -> dict[str, list[Edit]]:
        """The fixes applied, grouped by the form field each changed, in ``style`` as
        :meth:`ixrules.Report.by_field` names fields (``brackets``: the form's own input names;
        a renamed key under its old name, the field the form sent; a wrapped body under ``""``),
        to show next to each field what was changed, or to write ``edit.after`` back into it.

        >>> fixed = fix({"client": {"name": "Acme", "country": "PT"}}).by_field()
        >>> [(field, [(e.before, e.after) for e in edits]) for field, edits in fixed.items()]
        [('client[country]', [('PT', 'Portugal')])]
        """
        out: dict[str, list[Edit]] = {}
        for edit in self.fixes:
            out.setdefault(field_name(edit.path, style), []).append(edit)
        return out

    def pending(self, applicability: str = "unsafe") -> list[Edit]:
        """The fixes of ``applicability`` the fixed body's findings still propose (``unsafe``:
        what asking for unsafe fixes would add)."""
        return [
            issue.fix
            for issue in self.report.issues
            if issue.fix is not None and issue.fix.applicability == applicability
        ]


def fix(
    body: Any,
    endpoint: str | None = None,
    *,
    context: Mapping[str, Any] | None = None,
    locale: str | None = None,
    unsafe: bool = False,
    rules: Rules | None = None,
) -> FixResult:
    """Fix what can be fixed in ``body`` for ``endpoint`` (inferred when None): the safe fixes,
    and the unsafe ones too with ``unsafe=True``. ``locale`` is the language the messages are
    in and the values were written in (``"pt"``: ``"1,5"`` is 1.5). ``rules`` defaults to the
    shipped rules. Raises :class:`ixrules.BodyError` for a body that cannot be validated and has
    no fix that would make it so.

    >>> result = fix({"client": {"name": "Acme", "country": "PT"}})
    >>> result.body, [(f.path, f.before, f.after) for f in result.fixes]
    ({'client': {'name': 'Acme', 'country': 'Portugal'}}, [('/client/country', 'PT', 'Portugal')])
    >>> result.patch, result.report.ok
    ([{'op': 'replace', 'path': '/client/country', 'value': 'Portugal'}], True)
    """
    if rules is None:
        from ..api import default_rules

        rules = default_rules()
    try:
        body = plain(body)
    except Unreadable as exc:
        raise BodyError(f"the body {exc}") from None
    allowed = ("safe", "unsafe") if unsafe else ("safe",)
    return _Loop(rules, endpoint, context, locale, allowed).run(body)


@dataclass
class _Loop:
    rules: Rules
    endpoint: str | None
    context: Mapping[str, Any] | None
    locale: str | None
    allowed: Collection[str]
    applied: list[Edit] = field(default_factory=list)
    patch: list[dict[str, Any]] = field(default_factory=list)
    rejected: list[Edit] = field(default_factory=list)

    def validate(self, body: Any) -> Report:
        return self.rules.validate_parsed(
            body, self.endpoint, context=self.context, locale=self.locale
        )

    def run(self, body: Any) -> FixResult:
        Context(self.context)  # a context that is no mapping fails here, before any pass
        seen: dict[str, int] = {_canonical(body): 0}
        cycle: tuple[str, ...] = ()
        report = self._report_or_reshape(body)
        while isinstance(report, Edit):
            body = self._apply([report], body)
            seen[_canonical(body)] = len(self.applied)
            report = self._report_or_reshape(body)
        for _ in range(MAX_PASSES):
            chosen = one_per_place(
                issue.fix
                for issue in report.issues
                if issue.fix is not None
                and issue.fix.applicability in self.allowed
                and issue.fix.after is not None
                and issue.fix not in self.rejected
            )
            if not chosen:
                break
            kept, new_report = self._guarded(chosen, body, report)
            if not kept:
                break
            body, report = self._apply(kept, body), new_report
            key = _canonical(body)
            if key in seen:
                cycle = tuple(dict.fromkeys(edit.rule for edit in self.applied[seen[key] :]))
                break
            seen[key] = len(self.applied)
        else:
            cycle = tuple(dict.fromkeys(edit.rule for edit in self.applied[-len(chosen) :]))
        return FixResult(body, self.applied, self.patch, report, self.rejected, cycle)

    def _report_or_reshape(self, body: Any) -> Report | Edit:
        """The body's report, or the shape fix that would let it be validated."""
        try:
            return self.validate(body)
        except BodyError:
            index = root_index(self.rules.ruleset.endpoints)
            edit = shape_fix(self.rules.ruleset, index, body, self.endpoint)
            if edit is None or edit.applicability not in self.allowed or edit in self.applied:
                raise
            return edit

    def _guarded(self, chosen: list[Edit], body: Any, report: Report) -> tuple[list[Edit], Report]:
        """The fixes of ``chosen`` that bring no new error, with the report after them: all of
        them when together they bring none, else those kept one by one, each tried on the
        body the ones kept before it made (two fixes fine alone may clash together)."""
        after_report = self.validate(_applied(chosen, body))
        if not _new_errors(report, after_report, chosen):
            return chosen, after_report
        kept: list[Edit] = []
        current, current_report = body, report
        for edit in chosen:
            candidate = _applied([edit], current)
            candidate_report = self.validate(candidate)
            if _new_errors(report, candidate_report, [*kept, edit]):
                self.rejected.append(edit)
            else:
                kept.append(edit)
                current, current_report = candidate, candidate_report
        return kept, current_report

    def _apply(self, edits: list[Edit], body: Any) -> Any:
        for edit in edits:
            self.patch.extend(edit.patch(body))
            body = _applied([edit], body)
            self.applied.append(edit)
        return body


def one_per_place(edits: Iterable[Edit]) -> list[Edit]:
    """The edits in order, leaving out each one whose place (its path, or where it moves a key
    to) is the place of one kept before, or above or below it."""
    kept: list[Edit] = []
    places: list[str] = []
    for edit in edits:
        mine = [edit.path] + ([edit.to] if edit.to is not None else [])
        if any(_overlap(a, b) for a in mine for b in places):
            continue
        kept.append(edit)
        places.extend(mine)
    return kept


def _overlap(a: str, b: str) -> bool:
    return a == b or a.startswith(b + "/") or b.startswith(a + "/") or not a or not b


def _new_errors(before: Report, after: Report, edits: list[Edit]) -> bool:
    """True when ``after`` has an error (rule and place) that ``before`` did not, places moved
    by ``edits`` read at their new place."""
    moves = [(edit.path, edit.to) for edit in edits if edit.op == "move" and edit.to is not None]
    had = {(issue.rule, _moved(issue.path, moves)) for issue in before.errors}
    return any((issue.rule, issue.path) not in had for issue in after.errors)


def _moved(path: str, moves: list[tuple[str, str]]) -> str:
    for old, new in moves:
        if path == old or path.startswith(old + "/"):
            return new + path[len(old) :]
    return path


def _applied(edits: list[Edit], body: Any) -> Any:
    """``body`` with ``edits`` made, as a new object sharing what they do not touch."""
    for edit in edits:
        body = _edited(edit, body)
    return body


def _edited(edit: Edit, body: Any) -> Any:
    if edit.op == "wrap":
        return {edit.after: body}
    if edit.op == "move" and edit.to is not None:
        parent = pointer_parts(edit.path)[:-1]
        key = pointer_parts(edit.path)[-1]
        target = pointer_parts(edit.to)[len(parent) :]
        return _rebuild(body, parent, lambda holder: _renamed(holder, key, target))
    return _rebuild(body, pointer_parts(edit.path), lambda _: edit.after)


def _rebuild(node: Any, parts: list[str], change: Any) -> Any:
    if not parts:
        return change(node)
    head, rest = parts[0], parts[1:]
    if isinstance(node, dict):
        copy = dict(node)
        copy[head] = _rebuild(node[head], rest, change)
        return copy
    items = list(node)
    items[int(head)] = _rebuild(items[int(head)], rest, change)
    return items


def _renamed(holder: dict[str, Any], key: str, target: list[str]) -> dict[str, Any]:
    """``holder`` with ``key`` renamed ``target[0]`` in its place, the value nested under the
    rest of ``target`` in objects made for it (the target is not in ``holder``)."""
    value = holder[key]
    for part in reversed(target[1:]):
        value = {part: value}
    return {
        (target[0] if name == key else name): (value if name == key else item)
        for name, item in holder.items()
    }


def _canonical(body: Any) -> str:
    import json

    return json.dumps(body, sort_keys=True, default=repr)
