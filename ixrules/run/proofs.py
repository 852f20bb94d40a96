"""The fast valid path of the generated code: a proof that a value is clean.

:mod:`ixrules.run.codegen` writes, beside each body's ordered code, two functions from the
same program tree:

* ``prove(v, call, L)``: one chain of exact type tests (``type(v) is dict``, never
  ``isinstance``, so no caller's class or method is consulted), key-set tests (every key an
  exact ``str`` the node declares, every required key present) and each rule's own test on the
  value, true only when the ordered code would report nothing on ``v``. It has no effect: it
  notes nothing, reports nothing, changes nothing. Only the built-in checks are evaluated (a
  plugin's check makes the proof fail), and only on values it has proved plain JSON, children
  before the object's own rules (those read the children); ``False`` proves nothing, and the
  ordered code runs instead.
* The same two for plain data (``parsed``: what a JSON parser returned, or ``values.plain``
  read): no key-type tests, since no key of such a value can run a caller's ``__eq__``, and an
  object's own rules before its children, since a body that fails often fails a cross-field
  rule. ``Rules.validate_parsed`` runs these, and the ordered code tries each object of an
  array by its element's proof before running its own code for it.
* ``notes(v, call, L)``: after a proof, the rules the ordered code would have skipped for want
  of context keys, noted in the order it notes them (a pre-order walk in the body's key
  order), an array left as soon as everything below it has been noted.

What is known is written as known: a leaf is proved for a ``str`` first, its rules' type tests
written there as ``True`` (and as ``False`` in the branch for the other leaf types), a
container's "is an object" as ``True`` after its own exact type test, and a rule's condition
left out where an earlier rule of the value proved it; the compiler drops what that decides.

``L`` holds, for each rule that needs context keys (in :attr:`Prover.needing` order), whether
the call's context lacks one of them; each function names its entries ``l0``, ``l1``, ... It
is asked once per call (:func:`~ixrules.run.call.lacking`), not once per value.
"""

from __future__ import annotations

from collections.abc import Mapping

from ..checks import CHECKS, Check
from ..model import Rule
from .tree import BoundRule, Node, implies

TYPE_CHECKING = False  # not typing's: importing typing is a cost of every start
if TYPE_CHECKING:
    from typing import Any, Protocol

#: The exact types a leaf of a proved value may have (a container is proved by its node).
LEAF_TYPES = frozenset({str, int, float, bool})
#: The one type a proved object's keys have.
KEY_TYPES = frozenset({str})
#: How many blocks deep one function nests before a child's proof gets a function of its own
#: (CPython allows 20 nested blocks).
_BLOCKS = 12


if TYPE_CHECKING:  # for the type checker only: typing is not imported to run

    class Writer(Protocol):
        """What the proof writer asks of the code generator (``ixrules.run.codegen``)."""

        mode: str
        requires: bool
        reads_number: bool

        def const(self, prefix: str, value: Any) -> str: ...

        def passes(self, check: Check, args: Mapping[str, Any], v: str) -> str: ...

        def rule(self, rule: Rule) -> str: ...

        def number_line(self, v: str, pad: str) -> str: ...


class Prover:
    """Writes the ``prove`` and ``notes`` functions of one body for one mode."""

    def __init__(self, writer: Writer, parsed: bool = False) -> None:
        self.writer = writer
        #: The value is plain data (what a JSON parser returned, or ``values.plain`` read):
        #: no key of it can run a caller's ``__eq__``, so key types are not tested.
        self.parsed = parsed
        self.needing: list[Rule] = []  # the rules with needs, by their index in ``L``
        self.index: dict[int, int] = {}
        self.functions: list[list[str]] = []
        self.count = 0
        self.names = 0

    def fresh(self) -> str:
        self.names += 1
        return f"c{self.names}"

    def slot(self, rule: Rule) -> str:
        """The local name of ``rule``'s entry in ``L`` (see :meth:`unpack`)."""
        return f"l{self.position(rule)}"

    def position(self, rule: Rule) -> int:
        """The index of ``rule``'s entry in ``L``: True when the call's context lacks a key
        the rule needs."""
        found = self.index.get(id(rule))
        if found is None:
            found = self.index[id(rule)] = len(self.needing)
            self.needing.append(rule)
        return found

    def unpack(self, pad: str) -> list[str]:
        """The statement that names each entry of ``L`` (no integer in the source but the
        rules' indexes), once every slot is known."""
        if not self.needing:
            return []
        names = ", ".join(f"l{index}" for index in range(len(self.needing)))
        return [f"{pad}({names},) = L"]

    def applying(self, node: Node) -> list[BoundRule]:
        mode = self.writer.mode
        return [bound for bound in node.program.rules if bound.rule.applies_in(mode)]

    # --- prove ----------------------------------------------------------------------------

    def prove(self, node: Node, v: str, out: list[str], pad: str, blocks: int) -> None:
        """Statements that ``return False`` unless ``node`` is clean on the present ``v``."""
        w = self.writer
        if blocks >= _BLOCKS:
            name = self.function(node, "a", self.prove)
            out.append(f"{pad}if not {name}({v}, call, L):")
            out.append(f"{pad}    return False")
            return
        if node.fields is not None:
            known = w.const("KNOWN", frozenset(node.fields))
            keys = "" if self.parsed else f"not {w.const('KEYTYPES', KEY_TYPES)}"
            if keys:  # a key of a caller's type is refused before a lookup runs its __eq__
                keys += f".issuperset(map(type, {v})) or "
            out.append(f"{pad}if type({v}) is not dict or {keys}not {known}.issuperset({v}):")
            out.append(f"{pad}    return False")
            if self.parsed:
                self.container_rules(node, v, "dict", out, pad)
            required = {
                name
                for name, bound in node.program.required
                if w.requires and bound.rule.applies_in(w.mode)
            }
            for name, child in node.fields.items():
                c = self.fresh()
                out.append(f"{pad}{c} = {v}.get({name!r})")
                if child.fields is None and child.each is None:
                    self.leaf(child, c, out, pad, name in required)
                    continue
                if name in required:  # absent: the ordered code reports it
                    out.append(f"{pad}if {c} is None or {c} is False:")
                    out.append(f"{pad}    return False")
                    self.prove(child, c, out, pad, blocks)
                    continue
                out.append(f"{pad}if {c} is not None and {c} is not False:")
                self.prove(child, c, out, pad + "    ", blocks + 1)
        elif node.each is not None:
            c = self.fresh()
            out.append(f"{pad}if type({v}) is not list:")
            out.append(f"{pad}    return False")
            if self.parsed:
                self.container_rules(node, v, "list", out, pad)
            out.append(f"{pad}for {c} in {v}:")
            out.append(f"{pad}    if {c} is not None and {c} is not False:")
            self.prove(node.each, c, out, pad + "        ", blocks + 2)
        else:
            out.append(f"{pad}if type({v}) not in {w.const('LEAVES', LEAF_TYPES)}:")
            out.append(f"{pad}    return False")
            self.own_rules(node, v, out, pad)
            return
        if not self.parsed:  # a caller's value may hold anything: its children's types first
            self.container_rules(node, v, "dict" if node.fields is not None else "list", out, pad)

    def container_rules(self, node: Node, v: str, kind: str, out: list[str], pad: str) -> None:
        """A container's own rules, on ``v`` whose exact type ``kind`` is proved above. On plain
        data they are tested before its children (all must hold, and a body that fails often
        fails a cross-field rule: a due date before the date is found before the lines are
        read); on a caller's value, after them: only then are its children plain."""
        tests: list[str] = []
        self.own_rules(node, v, tests, pad)
        out.extend(_known(line, v, kind) for line in tests)

    def leaf(self, node: Node, v: str, out: list[str], pad: str, required: bool) -> None:
        """Statements that ``return False`` unless the leaf ``node`` is clean on ``v`` (absent
        passes unless ``required``). A string, what most leaves hold, is tested first by the
        same rules with its type known: each ``type(v) is str`` of their tests is ``True``
        there (``False`` for the other leaf types), and the compiler drops what that
        decides."""
        w = self.writer
        tests: list[str] = []
        self.own_rules(node, v, tests, pad + "    ")
        known = [_known(line, v, "str") for line in tests]
        out.append(f"{pad}if type({v}) is str:")
        out.extend(known or [f"{pad}    pass"])
        leaves = w.const("LEAVES", LEAF_TYPES)
        if required:
            out.append(f"{pad}else:")
            out.append(f"{pad}    if {v} is None or {v} is False or type({v}) not in {leaves}:")
        else:
            out.append(f"{pad}elif {v} is not None and {v} is not False:")
            out.append(f"{pad}    if type({v}) not in {leaves}:")
        out.append(f"{pad}        return False")
        out.extend(_known(line, v, "str", holds=False) for line in tests)

    def own_rules(self, node: Node, v: str, out: list[str], pad: str) -> None:
        """``return False`` unless every rule of ``node`` passes on ``v`` (or is skipped)."""
        w = self.writer
        passed: list[BoundRule] = []
        tests: list[str] = []
        w.reads_number = False
        for bound in self.applying(node):
            rule = bound.rule
            if any(implies(earlier, bound) for earlier in passed):
                continue
            if bound.check is None:
                continue  # only notes a skip, when reached: ``notes`` does
            if not _builtin(bound.check) or (bound.when is not None and not _builtin(bound.when)):
                out.append(f"{pad}return False  # {rule.id}: a plugin's check")
                return
            test = w.passes(bound.check, rule.args, v)
            if bound.when is not None and rule.when is not None and not _holds(passed, bound):
                test = f"not {w.passes(bound.when, rule.when[1], v)} or {test}"
            if rule.needs:  # a skipped rule passes: asked first, it spares the rest
                test = f"{self.slot(rule)} or {test}"
            tests.append(f"{pad}if not ({test}):  # {rule.id}")
            tests.append(f"{pad}    return False")
            if rule.stop and rule.when is None and not rule.needs:
                passed.append(bound)
        if w.reads_number:
            out.append(w.number_line(v, pad))
        out.extend(tests)

    def function(self, node: Node, kind: str, write: Any) -> str:
        """A function of its own for ``node``'s statements (``kind`` a: prove, n: notes)."""
        self.count += 1
        name = f"{kind}{self.count}"
        body: list[str] = []
        write(node, "v", body, "    ", 0)
        tail = ["    return True"] if kind == "a" else ["    pass"]
        self.functions.append([f"def {name}(v, call, L):", *body, *tail])
        return name

    # --- notes ----------------------------------------------------------------------------

    def noting(self, node: Node) -> list[Rule]:
        """The rules with needs in ``node``'s subtree, as the ordered code reaches them."""
        out = [bound.rule for bound in self.applying(node) if bound.rule.needs]
        for child in (node.fields or {}).values():
            out.extend(self.noting(child))
        if node.each is not None:
            out.extend(self.noting(node.each))
        return out

    def notes(self, node: Node, v: str, out: list[str], pad: str, blocks: int) -> None:
        """Statements noting the skips of ``node``'s subtree on the proved value ``v``."""
        if not self.noting(node):
            return
        w = self.writer
        if blocks >= _BLOCKS:
            name = self.function(node, "n", self.notes)
            out.append(f"{pad}{name}({v}, call, L)")
            return
        w.reads_number = False
        tests: list[str] = []
        for bound in self.applying(node):
            rule = bound.rule
            if not rule.needs:
                continue
            test = self.slot(rule)
            if bound.when is not None and rule.when is not None:
                test += f" and {w.passes(bound.when, rule.when[1], v)}"
            tests.append(f"{pad}if {test}:  # {rule.id}")
            tests.append(f"{pad}    call.skipped[{w.const('ID', rule.id)}] = None")
        if w.reads_number:
            out.append(w.number_line(v, pad))
        out.extend(tests)
        if node.fields is not None:
            children = [(name, c) for name, c in node.fields.items() if self.noting(c)]
            if len(children) == 1:
                name, child = children[0]
                c = self.fresh()
                out.append(f"{pad}{c} = {v}.get({name!r})")
                out.append(f"{pad}if {c} is not None and {c} is not False:")
                self.notes(child, c, out, pad + "    ", blocks + 1)
            elif children:
                k, c = self.fresh(), self.fresh()
                names = w.const("NOTED", frozenset(name for name, _ in children))
                out.append(f"{pad}for {k}, {c} in {v}.items():")  # in the body's order
                out.append(f"{pad}    if {k} not in {names} or {c} is None or {c} is False:")
                out.append(f"{pad}        continue")
                keyword = "if"
                for name, child in children:
                    out.append(f"{pad}    {keyword} {k} == {name!r}:")
                    self.notes(child, c, out, pad + "        ", blocks + 2)
                    keyword = "elif"
        elif node.each is not None:
            c = self.fresh()
            done = " and ".join(
                f"(not {self.slot(rule)} or {w.const('ID', rule.id)} in call.skipped)"
                for rule in self.noting(node.each)
            )
            out.append(f"{pad}for {c} in {v}:")
            out.append(f"{pad}    if {done}:")
            out.append(f"{pad}        break")
            out.append(f"{pad}    if {c} is not None and {c} is not False:")
            self.notes(node.each, c, out, pad + "        ", blocks + 2)


def _holds(passed: list[BoundRule], bound: BoundRule) -> bool:
    """True when ``bound``'s condition is a check a rule already passed on the value, with the
    same arguments (``document.date.written`` applies to what ``document.date.valid`` read as a
    date): the proof has it true already."""
    assert bound.rule.when is not None
    return any(
        earlier.check is bound.when and earlier.rule.args == bound.rule.when[1]
        for earlier in passed
    )


def _known(line: str, v: str, kind: str, holds: bool = True) -> str:
    """``line`` with what is known of ``v``'s type written as constants: that it is an exact
    ``kind`` (``holds``), or an exact leaf type other than it. The compiler drops what that
    decides (a leaf's "is text" in its string branch, a container's "is an object")."""
    yes, no = ("True", "False") if holds else ("False", "True")
    for end in (" ", ")"):  # what follows a test in the checks' expressions
        line = line.replace(f"type({v}) is not {kind}{end}", no + end)
        line = line.replace(f"type({v}) is {kind}{end}", yes + end)
    for name in (kind, "Mapping") if kind == "dict" else (kind,):
        line = line.replace(f"isinstance({v}, {name})", yes)
    return line


def _builtin(check: Check) -> bool:
    """True for a shipped check (a plugin's is never evaluated by a proof)."""
    return CHECKS.get(check.name) is check
