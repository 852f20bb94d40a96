"""A backtracking matcher that counts its steps: how the tests and the regex fuzz target
measure the work a pattern costs without a clock.

It runs Python's own parse tree of a pattern the way a backtracking engine does (the
classic split/jump machine: each alternative, optional and iteration a choice point tried
in order, a failure going back to the latest one), one instruction a step. Single
characters and zero-width assertions (``^``, ``$``, ``\\b``) are tested by the engine
itself, under the flags in force where they stand; counted repeats are written out.
``steps(pattern, text)`` is the number of instructions run for a full match of ``text``;
for a pattern that
``ixrules.patterns`` accepts it is at most ``bound(pattern, len(text))``:
``(n + 1) * MAX_WAYS * len(program)``.

Independent of ``ixrules.patterns`` on purpose: it shares only Python's parser with it.
"""

from __future__ import annotations

import importlib
import sys
from typing import Any

from ixrules.patterns import MAX_WAYS

_NEW = sys.version_info >= (3, 11)
_c: Any = importlib.import_module("re._constants" if _NEW else "sre_constants")
_p: Any = importlib.import_module("re._parser" if _NEW else "sre_parse")
_compiler: Any = importlib.import_module("re._compiler" if _NEW else "sre_compile")

_TYPE_FLAGS = _c.SRE_FLAG_ASCII | _c.SRE_FLAG_LOCALE | _c.SRE_FLAG_UNICODE
_REPEATS = {_c.MAX_REPEAT, _c.MIN_REPEAT, getattr(_c, "POSSESSIVE_REPEAT", None)}
_SINGLE = {_c.LITERAL, _c.NOT_LITERAL, _c.IN, _c.ANY}

#: A program longer than this is not modelled (the fuzz target then relies on its timeout).
MAX_PROGRAM = 20_000


class TooBig(Exception):
    """The pattern's program, counted repeats written out, is longer than ``MAX_PROGRAM``."""


class _Program:
    def __init__(self) -> None:
        self.code: list[list[Any]] = []
        self.registers = 0

    def emit(self, *instruction: Any) -> int:
        if len(self.code) >= MAX_PROGRAM:
            raise TooBig
        self.code.append(list(instruction))
        return len(self.code) - 1

    def sequence(self, items: Any, flags: int) -> None:
        for item in items:
            self.item(item, flags)

    def item(self, item: Any, flags: int) -> None:
        op, av = item
        if op in _SINGLE or op == _c.AT:
            state = _p.State()
            state.flags = flags
            compiled = _compiler.compile(_p.SubPattern(state, [item]))
            self.emit("char" if op in _SINGLE else "at", compiled)
        elif op == _c.SUBPATTERN:
            _, add, remove, sub = av
            if add & _TYPE_FLAGS:  # (?a:...) replaces the pattern's unicode flag, as re does
                flags &= ~_TYPE_FLAGS
            self.sequence(sub.data, (flags | add) & ~remove)
        elif op == getattr(_c, "ATOMIC_GROUP", None):
            self.atomic(lambda: self.sequence(av.data, flags))
        elif op == getattr(_c, "POSSESSIVE_REPEAT", None):
            self.atomic(lambda: self.repeat(av, False, flags))
        elif op == _c.BRANCH:
            self.branch(av[1], flags)
        elif op in _REPEATS:
            self.repeat(av, op == _c.MIN_REPEAT, flags)
        else:
            raise ValueError(f"not modelled: {op}")

    def atomic(self, body: Any) -> None:
        """Once ``body`` has matched, the ways it left open are dropped (``(?>...)``, ``*+``)."""
        register = self.registers
        self.registers += 1
        self.emit("commit_from", register)
        body()
        self.emit("commit", register)

    def branch(self, branches: list[Any], flags: int) -> None:
        jumps = []
        for index, branch in enumerate(branches):
            split = None
            if index < len(branches) - 1:
                split = self.emit("split", len(self.code) + 1, None)
            self.sequence(branch.data, flags)
            if split is not None:
                jumps.append(self.emit("jmp", None))
                self.code[split][2] = len(self.code)
        for jump in jumps:
            self.code[jump][1] = len(self.code)

    def repeat(self, av: Any, lazy: bool, flags: int) -> None:
        low, high, body = av
        for _ in range(low):
            self.sequence(body.data, flags)
        if high == _c.MAXREPEAT:
            register = self.registers
            self.registers += 1
            top = self.choice(lazy)
            self.emit("save", register)
            self.sequence(body.data, flags)
            self.emit("progress", register)  # an empty iteration ends the loop
            self.emit("jmp", top)
            self.resolve(top, lazy)
            return
        opened = []
        for _ in range(high - low):
            opened.append(self.choice(lazy))
            self.sequence(body.data, flags)
        for split in opened:
            self.resolve(split, lazy)

    def choice(self, lazy: bool) -> int:
        """A split whose way out is filled in later (``resolve``)."""
        here = len(self.code)
        return self.emit("split", None, here + 1) if lazy else self.emit("split", here + 1, None)

    def resolve(self, split: int, lazy: bool) -> None:
        self.code[split][1 if lazy else 2] = len(self.code)


def program(pattern: str) -> list[list[Any]]:
    """The instructions for ``pattern`` (raises ``TooBig``)."""
    parsed = _p.parse(pattern)
    built = _Program()
    built.sequence(parsed.data, parsed.state.flags)
    built.emit("match")
    return built.code


def steps(pattern: str, text: str, limit: int = 10**8) -> int:
    """How many instructions a backtracking full match of ``text`` runs (stops at
    ``limit``)."""
    return run(pattern, text, limit)[1]


def run(pattern: str, text: str, limit: int = 10**8) -> tuple[bool | None, int]:
    """Whether ``text`` matches whole (``None``: ``limit`` reached first), and the steps."""
    code = program(pattern)
    end = len(text)
    count = 0
    registers = 1 + max(
        (args[1] for args in code if args[0] in ("save", "commit_from")), default=-1
    )
    stack: list[tuple[int, int, tuple[int, ...]]] = [(0, 0, (-1,) * registers)]
    while stack:
        pc, at, marks = stack.pop()
        while True:
            count += 1
            if count >= limit:
                return None, count
            kind, *args = code[pc]
            if kind == "char":
                if at < end and args[0].match(text, at):
                    pc, at = pc + 1, at + 1
                    continue
                break
            if kind == "at":  # zero width: the engine itself says if it holds here
                if args[0].match(text, at):
                    pc += 1
                    continue
                break
            if kind == "split":
                stack.append((args[1], at, marks))
                pc = args[0]
            elif kind == "jmp":
                pc = args[0]
            elif kind == "save":
                marks = (*marks[: args[0]], at, *marks[args[0] + 1 :])
                pc += 1
            elif kind == "commit_from":  # remember how deep the stack of open ways is
                marks = (*marks[: args[0]], len(stack), *marks[args[0] + 1 :])
                pc += 1
            elif kind == "commit":
                del stack[marks[args[0]] :]
                pc += 1
            elif kind == "progress":
                if marks[args[0]] == at:
                    break
                pc += 1
            else:  # match
                if at == end:
                    return True, count
                break
    return False, count


def bound(pattern: str, length: int) -> int:
    """The most steps an accepted pattern may take on a text of ``length`` characters."""
    return (length + 1) * MAX_WAYS * len(program(pattern))
