"""The rule model: what a rule file means once loaded, independent of how it is evaluated."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

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


@dataclass(frozen=True)
class Rule:
    """One check with a stable id and the API's message for its failure."""

    id: str
    message: str
    check: str | None = None
    args: Mapping[str, Any] = field(default_factory=dict)
    when: tuple[str, Mapping[str, Any]] | None = None
    needs: tuple[str, ...] = ()
    modes: frozenset[str] | None = None
    at: str | None = None
    source: str = "seed"
    status: int = 422
    stop: bool = True
    severity: str = "error"
    doc: str = ""
    example: Mapping[str, Any] | None = None
    origin: str = ""

    def applies_in(self, mode: str) -> bool:
        """True when the rule is checked for bodies of ``mode`` (create, update, ...)."""
        return self.modes is None or mode in self.modes


#: The rule every closed object reports a key it does not declare with (a warning: the API
#: drops such keys without a word).
UNKNOWN_KEY_RULE = "field.unknown"

#: The kinds a field may declare (``kind: date``, or just ``due_date: date``); each is the rule
#: ``kind.<name>`` of the rule files, appended after the field's own rules.
KINDS = ("text", "number", "integer", "flag", "date", "datetime", "object", "list")


@dataclass(frozen=True)
class FieldSpec:
    """What a value must be: rules on it, and the specs of what it contains.

    ``kind`` names the field's kind (its rule is the last of ``rules``); an object spec with
    ``open`` False knows all its keys, so any other key is reported as dropped.
    """

    rules: tuple[Rule, ...] = ()
    required: Rule | None = None
    fields: Mapping[str, FieldSpec] | None = None
    each: FieldSpec | None = None
    invalid: Rule | None = None
    kind: str | None = None
    open: bool = False


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


@dataclass(frozen=True)
class EndpointSpec:
    """One API endpoint: its name, route, root keys and the spec of its body."""

    name: str
    path: str
    action: str
    roots: tuple[str, ...]
    body: FieldSpec
    mode: str
    method: str
    route: str
    success_status: int
    error_shape: str = "errors"
    doc: str = ""
    #: Keys the API takes beside the root key (``proprietary_uid`` on document create), with
    #: their specs: fields of the body's top level, not a second root.
    siblings: Mapping[str, FieldSpec] = field(default_factory=dict)

    @property
    def wrapped(self) -> bool:
        """False for the few endpoints whose parameters are not wrapped in a root key."""
        return bool(self.roots)


@dataclass(frozen=True)
class RuleSet:
    """Every endpoint and rule, loaded and checked; immutable and shared by all calls."""

    endpoints: Mapping[str, EndpointSpec]
    rules: Mapping[str, Rule]
    files: tuple[str, ...] = ()
    rule_endpoints: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
