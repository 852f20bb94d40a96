"""The fast executor: each body spec's program tree written out as Python source, once, and run.

:func:`source` writes one function per (body spec, mode): the checks whose registration says
how to write them as an expression (``inline``) inlined, the others called directly with
their arguments spelled out, the mode's rules only (an update never tests ``required``), and
paths built only when an issue is reported. What the function does is what
:mod:`ixrules.run.reference` does through Cerberus: for each present value its own rules
(stopping at the first failure of a ``stop`` rule), then for an object its missing required
children, its unknown keys, and each known child in the body's key order; for an array each
element. Both apply the policies of :mod:`ixrules.run.call` by calling them;
``tests/test_executors.py`` holds the two to the same reports.

The source has two units: the proof of :mod:`ixrules.run.proofs` with ``run``, compiled when
the body spec is first used, and the ordered code, compiled when a body first fails the proof
(a process that only sees clean bodies never pays for it).

The source is built from the rule set only, never from a body: rules, checks, their
arguments and key sets are constants of the function's namespace, referenced by name or
index; field names are written as string literals with ``repr``. Generated code recurses
only into the keys the rules know, so its depth is bounded by the compiled tree's.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from ..checks import Check
from ..model import Rule
from ..report import Issue
from ..values import MAX_SCALAR_TEXT, as_number, pointer_token
from .call import Call, finish, lacking, needs, note_invalid, requires, unknown_keys
from .proofs import Prover
from .tree import BoundRule, Node, implies

TYPE_CHECKING = False  # not typing's: importing typing is a cost of every start
if TYPE_CHECKING:
    from typing import Any, Protocol

#: Where a node is: the call's pointer prefix ``"p"``, then the rule files' keys (1-tuples) and
#: the names of the loop variables holding array indexes.
Path = list["str | tuple[str]"]

#: A ``dd.dd`` number's shape: what ``values.as_number`` reads as ``float()`` of the text.
DECIMAL = re.compile(r"[0-9]+(?:\.[0-9]+)?")


if TYPE_CHECKING:  # for the type checker only: typing is not imported to run

    class Runner(Protocol):
        """A compiled body: ``run(value, root, call, done=True, tried=False)`` -> the call's
        issues, ``invalid`` messages placed (``done`` False: not yet, more values of the same body
        follow); it first proves the value clean unless ``tried``. ``clean(value, call)``: the
        proof alone (:mod:`ixrules.run.proofs`), with the skips it notes; True when ``value``, of
        exact JSON types whatever the caller passed, has nothing to report."""

        clean: Callable[[Any, Call], bool]

        def __call__(
            self, value: Any, r: str, call: Call, done: bool = True, tried: bool = False
        ) -> list[Issue]: ...


class _Writer:
    """Writes the source of one body's function for one mode, collecting its constants."""

    def __init__(self, mode: str) -> None:
        self.mode = mode
        self.requires = requires(mode)
        self.names: dict[int, str] = {}
        self.namespace: dict[str, Any] = {
            "Mapping": Mapping,
            "finish": finish,
            "needs": needs,
            "unknown_keys": unknown_keys,
            "note_invalid": note_invalid,
            "NUMBER": as_number,
            "token": pointer_token,
            "LONGEST": MAX_SCALAR_TEXT,
            "SHAPE": DECIMAL.fullmatch,
            "lacking": lacking,
        }
        self.rules: list[Rule] = []
        self.rule_index: dict[int, int] = {}
        self.helpers: list[list[str]] = []
        self.count = 0
        self.reads_number = False  # an expression of the current chain tests ``x``
        #: Writes the proofs of array elements the ordered code tries first (None: it does not)
        self.prover: Prover | None = None

    # --- constants ------------------------------------------------------------------------

    def const(self, prefix: str, value: Any) -> str:
        """The namespace name of ``value`` (one name per object)."""
        name = self.names.get(id(value))
        if name is None:
            name = f"{prefix}{len(self.names)}"
            self.names[id(value)] = name
            self.namespace[name] = value
        return name

    def rule(self, rule: Rule) -> str:
        """``R[i]``: the rule as a constant, with its id in a comment nearby."""
        index = self.rule_index.get(id(rule))
        if index is None:
            index = self.rule_index[id(rule)] = len(self.rules)
            self.rules.append(rule)
        return f"R[{index}]"

    def check_name(self, check: Check) -> str:
        """The local name a check's function is called by: ``check_<name>``, a plugin's dotted
        name (``acme.house_code``) spelled with underscores, never clashing with another."""
        name = "check_" + "".join(c if c.isalnum() or c == "_" else "_" for c in check.name)
        if not name.isidentifier() or not name.isascii():
            name = f"check_{len(self.namespace)}"
        while self.namespace.get(name, check.fn) is not check.fn:
            name += "_"
        self.namespace[name] = check.fn
        return name

    def call_of(self, check: Check, args: Mapping[str, Any], v: str) -> str:
        """A direct call of a registered check, its arguments spelled out as constants."""
        spelled = []
        for key, value in args.items():
            if not key.isidentifier():
                raise ValueError(f"argument {key!r} of {check.name} is not an identifier")
            spelled.append(f", {key}={self.const('K', value)}")
        return f"{self.check_name(check)}({v}, call.env{''.join(spelled)})"

    # --- checks as expressions ------------------------------------------------------------

    def passes(self, check: Check, args: Mapping[str, Any], v: str) -> str:
        """An expression true when ``v`` passes ``check``: the check's ``inline`` expression
        where it has one for these arguments, else a call of its function."""
        if check.inline is not None:
            expression = check.inline(args, v, _Inlining(self, check, args))
            if expression is not None:
                return expression
        return self.call_of(check, args, v)

    def bind(self, name: str, value: Any) -> str:
        """``value`` bound as ``name`` in the namespace (the same name, the same object)."""
        if self.namespace.setdefault(name, value) is not value:
            raise ValueError(f"{name!r} names two objects in the generated code")
        return name

    # --- nodes ----------------------------------------------------------------------------

    def node(
        self, node: Node, v: str, path: Path, index: list[str], out: list[str], pad: str
    ) -> None:
        """Statements that run ``node`` on the present value ``v`` at ``path``."""
        program = node.program
        container = node.fields is not None or node.each is not None
        depth = len(index)
        invalid = program.invalid if container else None
        mark = f"m{depth}"
        if invalid is not None:
            out.append(f"{pad}{mark} = len(call.issues)")
        self.own_rules(program.rules, v, path, out, pad)
        parts = _pointer(path)
        if node.fields is not None:
            out.append(f"{pad}if type({v}) is dict or isinstance({v}, Mapping):")
            inner = pad + "    "
            out.append(f"{inner}pass")
            if invalid is not None:
                out.append(f"{inner}u{depth} = len(call.invalid)")
            self.required(program.required, v, path, out, inner)
            if program.unknown is not None:
                known = self.const("KNOWN", frozenset(program.known))
                rule = self.rule(program.unknown.rule)
                out.append(f"{inner}if not {known}.issuperset({v}):")  # in C, the usual case
                out.append(
                    f"{inner}    unknown_keys(call, {rule}, {parts}, {v}, {known}, "
                    f"{self.const('KEYS', program.known)})"
                )
            self.children(node.fields, v, path, index, out, inner)
            if invalid is not None:
                self.close_invalid(invalid, parts, mark, depth, out, inner)
        elif node.each is not None:
            out.append(f"{pad}if isinstance({v}, list):")
            inner = pad + "    "
            if invalid is not None:
                out.append(f"{inner}u{depth} = len(call.invalid)")
            i, c = f"i{depth}", f"c{depth}"
            proved = self.element_proof(node.each) if self.prover is not None else None
            if proved is not None:
                out.append(f"{inner}L = lacking(call, NEEDS)")
            out.append(f"{inner}for {i}, {c} in enumerate({v}):")
            out.append(f"{inner}    if {c} is not None and {c} is not False:")
            if proved is not None:  # a clean element costs its proof, a third of this code
                out.append(f"{inner}        if {proved[0]}({c}, call, L):")
                if proved[1] is not None:
                    out.append(f"{inner}            {proved[1]}({c}, call, L)")
                out.append(f"{inner}            continue")
            before = len(out)
            if depth < _INLINED_ARRAYS:
                self.node(node.each, c, [*path, i], [*index, i], out, inner + "        ")
            else:  # arrays of arrays: a new function now and then, for Python's block limit
                helper = self.helper(node.each, [*path, i], [*index, i])
                if helper is not None:
                    arguments = ", ".join([c, "call", "p", *index, i])
                    out.append(f"{inner}        {helper}({arguments})")
            if len(out) == before:
                out.append(f"{inner}        pass")
            if invalid is not None:
                self.close_invalid(invalid, parts, mark, depth, out, inner)

    def element_proof(self, each: Node) -> tuple[str, str | None] | None:
        """For an array of objects: the names of the functions proving one element clean and
        noting its skips (None: nothing to note; it returns at once once every skip it could
        note is noted). Elements are plain data here, so the proof is the one for it."""
        if each.fields is None or self.prover is None:
            return None
        prover = self.prover
        proof = prover.function(each, "a", prover.prove)
        noting = prover.noting(each)
        if not noting:
            return proof, None
        done = " and ".join(
            f"(not {prover.slot(rule)} or {self.const('ID', rule.id)} in call.skipped)"
            for rule in noting
        )

        def notes(node: Node, v: str, out: list[str], pad: str, blocks: int) -> None:
            out.extend([f"{pad}if {done}:", f"{pad}    return"])
            prover.notes(node, v, out, pad, blocks)

        return proof, prover.function(each, "n", notes)

    def close_invalid(
        self, rule: Rule, parts: str, mark: str, depth: int, out: list[str], pad: str
    ) -> None:
        """Note the node's ``invalid`` rule when anything was reported at or below it, at the
        place a pre-order walk would have noted it (``finish`` places its message)."""
        out.append(f"{pad}if len(call.issues) > {mark}:")
        out.append(f"{pad}    note_invalid(call, u{depth}, {parts}, {self.rule(rule)})")

    def own_rules(
        self, rules: tuple[BoundRule, ...], v: str, path: Path, out: list[str], pad: str
    ) -> None:
        """A node's rules: an if/elif chain, broken after each rule that does not stop."""
        keyword = "if"
        passed: list[BoundRule] = []  # unconditional rules this chain has got past
        start, self.reads_number = len(out), False
        for bound in rules:
            rule = bound.rule
            if not rule.applies_in(self.mode):
                continue
            if keyword == "if":
                passed = []
            if any(implies(earlier, bound) for earlier in passed):
                continue  # reached only when a stricter check of the value has passed
            tests = []
            if bound.when is not None and rule.when is not None:
                tests.append(self.passes(bound.when, rule.when[1], v))
            if rule.needs:
                tests.append(f"needs(call, {self.rule(rule)})")
            if bound.check is None:
                if rule.needs:  # evaluated, when reached, for its one effect: noting a skip
                    out.append(f"{pad}{keyword} {' and '.join(tests)} and False:  # {rule.id}")
                    out.append(f"{pad}    pass")
                    keyword = "elif"
                continue
            tests.append(f"not ({self.passes(bound.check, rule.args, v)})")
            out.append(f"{pad}{keyword} {' and '.join(tests)}:  # {rule.id}")
            if rule.at is not None:
                at = repr(rule.at)
                value = f"({v}.get({at}) if isinstance({v}, Mapping) else None)"
                where = _pointer([*path, (rule.at,)])
            else:
                value, where = v, _pointer(path)
            self.report(bound, where, value, out, pad + "    ")
            keyword = "elif" if rule.stop else "if"
            if rule.stop and rule.when is None and not rule.needs:
                passed.append(bound)
        if self.reads_number:
            out.insert(start, self.number_line(v, pad))

    def number_line(self, v: str, pad: str) -> str:
        """``x = `` the number ``v`` is, once for every number rule of a chain: a string of
        digits with at most one dot in them read here (the length first, so a long text is
        not scanned; what ``values.as_number`` answers for it), anything else by
        ``values.as_number``."""
        return (
            f"{pad}x = (float({v}) if type({v}) is str and len({v}) <= LONGEST "
            f"and ({v}.isdigit() and {v}.isascii() or SHAPE({v}) is not None) "
            f"else NUMBER({v}))"
        )

    def report(self, bound: BoundRule, where: str, value: str, out: list[str], pad: str) -> None:
        rule = self.rule(bound.rule)
        check = bound.check
        if check is not None and check.hint is not None:
            hint = self.const("HINT", check.hint)
            out.append(f"{pad}w = {value}")
            out.append(f"{pad}call.report_at({rule}, {where}, w, {hint}(w))")
        else:
            out.append(f"{pad}call.report_at({rule}, {where}, {value})")

    def required(
        self,
        required: tuple[tuple[str, BoundRule], ...],
        v: str,
        path: Path,
        out: list[str],
        pad: str,
    ) -> None:
        if not self.requires:
            return
        for name, bound in required:
            if not bound.rule.applies_in(self.mode):
                continue
            key = repr(name)
            out.append(f"{pad}c = {v}.get({key})")
            out.append(f"{pad}if c is None or c is False:  # {bound.rule.id}")
            self.report(bound, _pointer([*path, (name,)]), "c", out, pad + "    ")

    def children(
        self,
        fields: Mapping[str, Node],
        v: str,
        path: Path,
        index: list[str],
        out: list[str],
        pad: str,
    ) -> None:
        """Each known child in the body's key order, through a table of helper functions."""
        table: dict[str, str] = {}
        for name, child in fields.items():
            helper = self.helper(child, [*path, (name,)], index)
            if helper is not None:
                table[name] = helper
        if not table:
            return
        self.count += 1
        dispatch = f"D{self.count}"
        self.namespace[dispatch] = table  # names now; functions once the source is run
        out.append(f"{pad}for k, c in {v}.items():")
        out.append(f"{pad}    if c is not None and c is not False:")
        out.append(f"{pad}        f = {dispatch}.get(k)")
        out.append(f"{pad}        if f is not None:")
        out.append(f"{pad}            f(c, call, {', '.join(['p', *index])})")

    def helper(self, node: Node, path: Path, index: list[str]) -> str | None:
        """The name of a helper function running ``node`` (None when it does nothing)."""
        body: list[str] = []
        self.node(node, "v", path, index, body, "    ")
        if not body:
            return None
        self.count += 1
        last = path[-1]
        name = f"n{self.count}_{_ident(str(last[0]) if isinstance(last, tuple) else 'item')}"
        signature = ", ".join(["v", "call", "p", *index])
        self.helpers.append([f"def {name}({signature}):", *body])
        return name


class _Inlining:
    """What a check's ``inline`` writer asks of the writer (``ixrules.checks.registry.Source``)
    while it writes one expression of ``check`` with ``args``."""

    def __init__(self, writer: _Writer, check: Check, args: Mapping[str, Any]) -> None:
        self.writer, self.check, self.args = writer, check, args

    def const(self, prefix: str, value: Any) -> str:
        return self.writer.const(prefix, value)

    def bind(self, name: str, value: Any) -> str:
        return self.writer.bind(name, value)

    def number(self, value: str) -> str:
        self.writer.reads_number = True
        return "x"

    def call(self, value: str) -> str:
        return self.writer.call_of(self.check, self.args, value)


#: How many arrays deep one function inlines its loops (CPython allows 20 nested blocks).
_INLINED_ARRAYS = 6


def _pointer(path: Path) -> str:
    """An expression for the JSON pointer of ``path``: the call's prefix ``p``, the rule
    files' keys escaped here once, and ``str()`` of the array indexes."""
    pieces: list[str] = []
    literal = ""
    for part in path:
        if isinstance(part, tuple):
            literal += "/" + pointer_token(part[0])
            continue
        if part != "p":
            literal += "/"
        if literal:
            pieces.append(repr(literal))
            literal = ""
        pieces.append("p" if part == "p" else f"str({part})")
    if literal:
        pieces.append(repr(literal))
    return " + ".join(pieces)


def _ident(name: str) -> str:
    text = "".join(ch if ch.isalnum() else "_" for ch in name)
    return text[:30] if text.isascii() else "field"


def expression(check: Check, args: Mapping[str, Any], mode: str) -> tuple[str, dict[str, Any]]:
    """What the generated code tests for ``check`` with ``args`` on a value named ``v`` (its
    inline form, or a call), and the names it reads besides ``v``, ``call`` and ``x`` (the
    value read as a number, where the form asks for it)."""
    writer = _Writer(mode)
    return writer.passes(check, args, "v"), writer.namespace


def source(
    node: Node, mode: str, name: str = "body", parsed: bool = False
) -> tuple[str, dict[str, Any]]:
    """The Python source of ``node``'s function for ``mode`` (its two units, each with its
    legend of rule indexes), and the namespace of the first."""
    proof, namespace = _proof_unit(node, mode, name, parsed)
    ordered, _ = _ordered_unit(node, mode, name)
    return "\n".join([*proof, "", "", *ordered]), namespace


def _legend(writer: _Writer) -> list[str]:
    return ["", *(f"# R[{i}] = {rule.id}" for i, rule in enumerate(writer.rules)), ""]


def _proof_unit(node: Node, mode: str, name: str, parsed: bool) -> tuple[list[str], dict[str, Any]]:
    """The unit compiled when the body spec is first used: the proof, and ``run``, which
    calls the ordered code (``ORDERED``) for a value the proof cannot take. ``parsed``: for
    plain data only (see :class:`~ixrules.run.proofs.Prover`)."""
    writer = _Writer(mode)
    prover = Prover(writer, parsed)
    proof: list[str] = []
    prover.prove(node, "value", proof, "    ", 0)
    noted: list[str] = []
    prover.notes(node, "value", noted, "    ", 0)
    kind = ", for plain data" if parsed else ""
    lines = [
        f'"""{name}, mode {mode}{kind}: generated by ixrules.run.codegen from the rule files."""',
        "",
    ]
    unpack = prover.unpack("    ")
    for function in prover.functions:
        lines.extend([function[0], *unpack, *function[1:], "", ""])
    lines.append("def prove(value, call, L):  # True: the ordered code would report nothing")
    lines.extend([*unpack, *proof, "    return True", "", ""])
    lines.append("def notes(value, call, L):  # after a proof: the skips it would note")
    lines.extend([*unpack, *noted, "    pass", "", ""])
    lines.append("def clean(value, call):")
    lines.append("    L = lacking(call, NEEDS)")
    lines.append("    if prove(value, call, L):")
    lines.append("        notes(value, call, L)")
    lines.append("        return True")
    lines.append("    return False")
    lines.extend(["", ""])
    lines.append("def run(value, r, call, done=True, tried=False):")
    lines.append('    p = "" if call.unwrapped else "/" + token(r)')
    lines.append(
        "    if value is not None and value is not False and (tried or not clean(value, call)):"
    )
    lines.append("        ORDERED(value, p, call)")
    lines.append("    return finish(call) if done else call.issues")
    namespace = writer.namespace
    namespace["R"] = tuple(writer.rules)
    namespace["NEEDS"] = tuple(prover.needing)
    return [*lines, *_legend(writer)], namespace


def _ordered_unit(node: Node, mode: str, name: str) -> tuple[list[str], dict[str, Any]]:
    """The unit written and compiled when a body first fails the proof: ``ordered``, which
    reports each issue in order, and its helper per field (names of its own namespace)."""
    writer = _Writer(mode)
    writer.prover = prover = Prover(writer, parsed=True)  # the ordered code reads plain data
    body: list[str] = []
    writer.node(node, "value", ["p"], [], body, "    ")
    lines = [f"# {name}, mode {mode}: the ordered code, run when the proof fails.", "", ""]
    unpack = prover.unpack("    ")
    for function in prover.functions:
        lines.extend([function[0], *unpack, *function[1:], "", ""])
    for helper in writer.helpers:
        lines.extend([*helper, "", ""])
    lines.append("def ordered(value, p, call):  # the issues of a value the proof cannot take")
    lines.extend([*body, "    pass"])
    namespace = writer.namespace
    namespace["R"] = tuple(writer.rules)
    namespace["NEEDS"] = tuple(prover.needing)
    return [*lines, *_legend(writer)], namespace


def build(node: Node, mode: str, name: str = "body", parsed: bool = False) -> Runner:
    """``node``'s function for ``mode``, ready to call: the proof written and compiled now,
    the ordered code on the first body the proof cannot take (a process that sees only clean
    bodies never writes nor compiles it: 40 % of the source). ``parsed``: a function only
    ever given plain data, whose proof does not test key types."""
    proof, namespace = _proof_unit(node, mode, name, parsed)
    where = f"<ixrules.run.codegen {name} {mode}>"

    def compile_ordered(value: Any, p: str, call: Call) -> None:
        """Write and compile the ordered code into a namespace of its own, publish it, then
        run it (two threads may both do so: each runs its own, and either is kept)."""
        ordered, own = _ordered_unit(node, mode, name)
        exec(compile("\n".join(ordered), where, "exec"), own)
        for key, table in list(own.items()):
            if key.startswith("D") and key[1:].isdigit():
                own[key] = {field: own[helper] for field, helper in table.items()}
        namespace["ORDERED"] = own["ordered"]
        own["ordered"](value, p, call)

    namespace["ORDERED"] = compile_ordered
    exec(compile("\n".join(proof), where, "exec"), namespace)
    runner: Runner = namespace["run"]
    runner.clean = namespace["clean"]
    return runner
