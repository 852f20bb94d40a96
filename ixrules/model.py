"""The rule model: what a rule file means once loaded, independent of how it is evaluated."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from .records import Record, fill

TYPE_CHECKING = False  # not typing's: importing typing is a cost of every start
if TYPE_CHECKING:
    from typing import Any

if TYPE_CHECKING:
    from .checks import Check

#: Where a message's wording comes from: the seed page, a recorded or documented response
#: outside the seed, the Rails conventions of the backend (the API's exact text unknown),
#: ixrules itself (a warning: the API answers nothing), or a user's rule pack.
SOURCES = ("seed", "observed", "inferred", "ixrules", "user")

#: What a finding predicts: ``error``, the API refuses the request with the rule's message;
#: ``warning``, the API accepts it but does not do what was sent (a dropped key, an ignored
#: flag, a default applied instead).
SEVERITIES = ("error", "warning")


def singular(path: str) -> str:
    """The API's singular root key of a path.

    >>> [singular(p) for p in ("invoice_receipts", "taxes", "fees_notes", "sequences")]
    ['invoice_receipt', 'tax', 'fees_note', 'sequence']
    """
    if path.endswith("xes"):
        return path[:-2]
    return path[:-1] if path.endswith("s") else path


class Rule(Record):
    """One check with a stable id and the API's message for its failure (a frozen record:
    :mod:`ixrules.records`). ``translations`` is a rule pack's own translations of
    ``message``, by language (``{"pt": ...}``); the shipped rules have none (their
    translations are the gettext catalogs)."""

    FIELDS = (
        "id",
        "message",
        "check",
        "args",
        "when",
        "needs",
        "modes",
        "at",
        "source",
        "status",
        "stop",
        "severity",
        "doc",
        "example",
        "origin",
        "translations",
    )

    id: str
    message: str
    check: str | None
    args: Mapping[str, Any]
    when: tuple[str, Mapping[str, Any]] | None
    needs: tuple[str, ...]
    modes: frozenset[str] | None
    at: str | None
    source: str
    status: int
    stop: bool
    severity: str
    doc: str
    example: Mapping[str, Any] | None
    origin: str
    translations: Mapping[str, str]

    def __init__(
        self,
        id: str,
        message: str,
        check: str | None = None,
        args: Mapping[str, Any] | None = None,
        when: tuple[str, Mapping[str, Any]] | None = None,
        needs: tuple[str, ...] = (),
        modes: frozenset[str] | None = None,
        at: str | None = None,
        source: str = "seed",
        status: int = 422,
        stop: bool = True,
        severity: str = "error",
        doc: str = "",
        example: Mapping[str, Any] | None = None,
        origin: str = "",
        translations: Mapping[str, str] | None = None,
    ) -> None:
        fill(
            self,
            id=id,
            message=message,
            check=check,
            args={} if args is None else args,
            when=when,
            needs=needs,
            modes=modes,
            at=at,
            source=source,
            status=status,
            stop=stop,
            severity=severity,
            doc=doc,
            example=example,
            origin=origin,
            translations={} if translations is None else translations,
        )

    def applies_in(self, mode: str) -> bool:
        """True when the rule is checked for bodies of ``mode`` (create, update, ...)."""
        return self.modes is None or mode in self.modes


#: The rule every closed object reports a key it does not declare with (a warning: the API
#: drops such keys without a word).
UNKNOWN_KEY_RULE = "field.unknown"

#: The kinds a field may declare (``kind: date``, or just ``due_date: date``); each is the rule
#: ``kind.<name>`` of the rule files, appended after the field's own rules.
KINDS = ("text", "number", "integer", "flag", "date", "datetime", "object", "list")


class FieldSpec(Record):
    """What a value must be: rules on it, and the specs of what it contains (a frozen record).

    ``kind`` names the field's kind (its rule is the last of ``rules``); an object spec with
    ``open`` False knows all its keys, so any other key is reported as dropped.
    """

    FIELDS = ("rules", "required", "fields", "each", "invalid", "kind", "open")

    rules: tuple[Rule, ...]
    required: Rule | None
    fields: Mapping[str, FieldSpec] | None
    each: FieldSpec | None
    invalid: Rule | None
    kind: str | None
    open: bool

    def __init__(
        self,
        rules: tuple[Rule, ...] = (),
        required: Rule | None = None,
        fields: Mapping[str, FieldSpec] | None = None,
        each: FieldSpec | None = None,
        invalid: Rule | None = None,
        kind: str | None = None,
        open: bool = False,
    ) -> None:
        fill(
            self,
            rules=rules,
            required=required,
            fields=fields,
            each=each,
            invalid=invalid,
            kind=kind,
            open=open,
        )


#: How :func:`field_specs` writes "any row of this list" in a path.
ANY_INDEX = "*"


def field_specs(
    spec: FieldSpec, prefix: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], FieldSpec]]:
    """Every spec of a body's tree with its path (``*`` for any row of a list), parents first.
    A fragment that contains itself is walked once per branch, not forever.

    >>> leaf = FieldSpec()
    >>> tree = FieldSpec(fields={"items": FieldSpec(each=FieldSpec(fields={"unit": leaf}))})
    >>> [path for path, _ in field_specs(tree, ("invoice",))]
    [('invoice',), ('invoice', 'items'), ('invoice', 'items', '*'),
     ('invoice', 'items', '*', 'unit')]
    """
    stack = [(prefix, spec, frozenset[int]())]
    while stack:
        path, node, above = stack.pop()
        if id(node) in above:
            continue
        yield path, node
        inner = above | {id(node)}
        children = [((*path, name), child) for name, child in (node.fields or {}).items()]
        if node.each is not None:
            children.append(((*path, ANY_INDEX), node.each))
        stack.extend((where, child, inner) for where, child in reversed(children))


class EndpointSpec(Record):
    """One API endpoint: its name, route, root keys and the spec of its body (a frozen
    record). ``siblings`` are the keys the API takes beside the root key (``proprietary_uid``
    on document create), with their specs: fields of the body's top level, not a second
    root."""

    FIELDS = (
        "name",
        "path",
        "action",
        "roots",
        "body",
        "mode",
        "method",
        "route",
        "success_status",
        "error_shape",
        "doc",
        "siblings",
    )

    name: str
    path: str
    action: str
    roots: tuple[str, ...]
    body: FieldSpec
    mode: str
    method: str
    route: str
    success_status: int
    error_shape: str
    doc: str
    siblings: Mapping[str, FieldSpec]

    def __init__(
        self,
        name: str,
        path: str,
        action: str,
        roots: tuple[str, ...],
        body: FieldSpec,
        mode: str,
        method: str,
        route: str,
        success_status: int,
        error_shape: str = "errors",
        doc: str = "",
        siblings: Mapping[str, FieldSpec] | None = None,
    ) -> None:
        fill(
            self,
            name=name,
            path=path,
            action=action,
            roots=roots,
            body=body,
            mode=mode,
            method=method,
            route=route,
            success_status=success_status,
            error_shape=error_shape,
            doc=doc,
            siblings={} if siblings is None else siblings,
        )

    @property
    def wrapped(self) -> bool:
        """False for the few endpoints whose parameters are not wrapped in a root key."""
        return bool(self.roots)


class RuleSet(Record):
    """Every endpoint and rule, loaded and checked; immutable and shared by all calls (a
    frozen record). ``checks`` are the checks of installed plugins (entry point group
    ``ixrules.checks``) the rules name; the shipped checks are not repeated there."""

    FIELDS = ("endpoints", "rules", "files", "rule_endpoints", "checks")

    endpoints: Mapping[str, EndpointSpec]
    rules: Mapping[str, Rule]
    files: tuple[str, ...]
    rule_endpoints: Mapping[str, tuple[str, ...]]
    checks: Mapping[str, Check]

    def __init__(
        self,
        endpoints: Mapping[str, EndpointSpec],
        rules: Mapping[str, Rule],
        files: tuple[str, ...] = (),
        rule_endpoints: Mapping[str, tuple[str, ...]] | None = None,
        checks: Mapping[str, Check] | None = None,
    ) -> None:
        fill(
            self,
            endpoints=endpoints,
            rules=rules,
            files=files,
            rule_endpoints={} if rule_endpoints is None else rule_endpoints,
            checks={} if checks is None else checks,
        )
