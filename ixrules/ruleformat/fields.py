"""Field specs of one set of files: each fragment built once and kept by name (with the packs'
extensions of it applied), and the specs inside built from their nodes."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from ..model import KINDS, FieldSpec, Rule
from .errors import RuleFileError, did_you_mean
from .grammar import FIELD_KEYS, MAX_FIELD_DEPTH, check_keys
from .packs import extend
from .reading import ParsedFile, YMap, line_of
from .rules import RuleTable

__all__ = ["Fields", "compact"]


class Fields:
    """The fragments of one set of files by name, and the field specs built from them."""

    def __init__(self, table: RuleTable) -> None:
        self.table = table
        #: Each fragment's file and node, by name.
        self.fragments: dict[str, tuple[str, YMap]] = {}
        #: The packs' extensions of each fragment (file and node), in pack order.
        self.extensions: dict[str, list[tuple[str, YMap]]] = {}
        #: Each fragment's spec, once built.
        self.built: dict[str, FieldSpec] = {}
        #: The fragments being built, outermost first (a fragment among them uses itself).
        self.resolving: list[str] = []
        self.depth = 0

    def register(self, parsed: ParsedFile) -> None:
        """Note a file's fragments; a pack's fragment of a name already defined extends it."""
        fragments = parsed.data.get("fragments", YMap())
        for name, spec in fragments.items():
            line = line_of(fragments, name)
            if not isinstance(spec, YMap):
                raise RuleFileError(parsed.name, line, f"fragment {name!r} must be a mapping")
            if name in self.fragments:
                if parsed.pack:  # a pack extends what is already defined
                    self.extensions.setdefault(name, []).append((parsed.name, spec))
                    continue
                other = self.fragments[name][0]
                raise RuleFileError(parsed.name, line, f"fragment {name!r} also defined in {other}")
            self.fragments[name] = (parsed.name, spec)

    def fragment(self, file: str, line: int, name: str) -> FieldSpec:
        """The spec of the fragment ``name`` (named at ``file``:``line``)."""
        if name not in self.fragments:
            hint = did_you_mean(name, self.fragments)
            raise RuleFileError(file, line, f"no fragment named {name!r}{hint}")
        if name in self.resolving:
            cycle = " -> ".join([*self.resolving, name])
            raise RuleFileError(file, line, f"fragment uses itself: {cycle}")
        if name in self.built:
            return self.built[name]
        fragment_file, node = self.fragments[name]
        self.resolving.append(name)
        try:
            spec = self.field(fragment_file, node)
            for pack_file, pack_node in self.extensions.get(name, ()):
                spec = extend(self, spec, pack_file, pack_node)
        finally:
            self.resolving.pop()
        self.built[name] = spec
        return spec

    def check_reached(self, file: str, line: int, name: str) -> None:
        """Raise when a pack's fragment ``name`` is its own (it extends no fragment of that
        name) and no endpoint reached it: its rules would never run, most likely because the
        name is not the one meant (``client`` for ``document_client``)."""
        if self.fragments[name][0] == file and name not in self.built:
            hint = did_you_mean(name, self.fragments)
            raise RuleFileError(
                file,
                line,
                f"fragment {name!r} extends nothing (no fragment has that name) "
                f"and no endpoint uses it{hint}",
            )

    def field(self, file: str, node: YMap) -> FieldSpec:
        """The spec a field node builds into (at most ``MAX_FIELD_DEPTH`` deep)."""
        self.depth += 1
        try:
            if self.depth > MAX_FIELD_DEPTH:
                raise RuleFileError(
                    file,
                    node.line,
                    f"fields nested deeper than {MAX_FIELD_DEPTH} levels (through 'use')",
                )
            return self._build(file, node)
        finally:
            self.depth -= 1

    def _build(self, file: str, node: YMap) -> FieldSpec:
        check_keys(file, node, FIELD_KEYS, "field")
        base = FieldSpec()
        if "use" in node:
            base = self.fragment(file, line_of(node, "use"), node["use"])
        table = self.table
        rules = base.rules
        if "rules" in node:
            rules = rules + tuple(
                table.entry(file, node["rules"], index) for index in range(len(node["rules"]))
            )
        required = base.required
        if "required" in node:
            required = table.rule_or_ref(file, node, "required", rules)
        invalid = base.invalid
        if "invalid" in node:
            invalid = table.define(file, node["invalid"], line_of(node, "invalid"))
        fields = dict(base.fields) if base.fields is not None else None
        if "fields" in node:
            fields = fields or {}
            for name, child in self.children(file, node):
                fields[name] = self.field(file, child)
        each = base.each
        if "each" in node:
            each = self.field(file, node["each"])
        return self.spec(file, node, base, rules, required, fields, each, invalid)

    def children(self, file: str, node: YMap) -> Iterable[tuple[str, YMap]]:
        """The field specs of ``node``'s ``fields``, the compact ``due_date: date`` read as
        ``due_date: {kind: date}``."""
        out = []
        for name, child in node["fields"].items():
            if isinstance(child, str):
                child = compact(child, line_of(node["fields"], name))
            if not isinstance(child, YMap):
                raise RuleFileError(
                    file,
                    line_of(node["fields"], name),
                    f"field {name!r} must be a mapping or a kind ({', '.join(KINDS)})",
                )
            out.append((name, child))
        return out

    def spec(
        self,
        file: str,
        node: YMap,
        base: FieldSpec,
        rules: tuple[Rule, ...],
        required: Rule | None,
        fields: dict[str, FieldSpec] | None,
        each: FieldSpec | None,
        invalid: Rule | None,
    ) -> FieldSpec:
        """The field spec a node builds (or a pack's node extends) into, its kind's rule last."""
        kind, final = self._kind(file, node, base, rules, fields, each)
        return FieldSpec(
            rules=final,
            required=required,
            fields=fields,
            each=each,
            invalid=invalid,
            kind=kind,
            open=node.get("open", base.open),
        )

    def _kind(
        self,
        file: str,
        node: YMap,
        base: FieldSpec,
        rules: tuple[Rule, ...],
        fields: Mapping[str, FieldSpec] | None,
        each: FieldSpec | None,
    ) -> tuple[str | None, tuple[Rule, ...]]:
        """The field's kind and its rules with the kind's rule last. An explicit ``kind`` needs
        its rule ``kind.<name>``; an object (``fields``) or array (``each``) is of kind object
        or list when the rule set defines that kind's rule."""
        defined = self.table.rules
        if "kind" in node:
            kind = node["kind"]
            if kind not in KINDS:
                raise RuleFileError(
                    file,
                    line_of(node, "kind"),
                    f"unknown kind {kind!r} (known: {', '.join(KINDS)})",
                )
            if f"kind.{kind}" not in defined:
                raise RuleFileError(
                    file, line_of(node, "kind"), f"kind {kind!r} needs a rule 'kind.{kind}'"
                )
        elif base.kind is not None:
            return base.kind, rules  # the fragment's rules already end with it
        elif fields is not None and "kind.object" in defined:
            kind = "object"
        elif each is not None and "kind.list" in defined:
            kind = "list"
        else:
            return None, rules
        own = [rule for rule in rules if not rule.id.startswith("kind.")]
        return kind, (*own, defined[f"kind.{kind}"])


def compact(kind: str, line: int) -> YMap:
    """``name: date`` read as ``name: {kind: date}``."""
    node = YMap(kind=kind)
    node.line, node.key_lines = line, {"kind": line}
    return node
