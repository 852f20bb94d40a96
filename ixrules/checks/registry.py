"""What a check is: one registration carrying every fact the rest of ixrules needs about it.

A check is ``fn(value, env, **args) -> bool`` (True when the value passes). ``value`` is the
field's value, or the whole object for a rule declared on an object (cross-field checks).
Arguments come from the rule's ``args`` and are checked against the function's keyword-only
parameters when the rules are loaded. A check never sees an absent value: null and false mean
absent, and absence is the business of a field's ``required`` rule.

Its registration (:func:`check`, or a :class:`Check` made by hand) says the rest, so that no
other module keeps a table of checks: how the code generator writes it inline, its JSON
Schema form or why it has none, whether its values are numbers, which context keys it reads,
what its arguments must be beyond their annotated types, which check its passing implies,
the hint for a failing value and how a failing value is repaired (:class:`Fix`). The
built-in checks are collected from the family modules by :mod:`ixrules.checks`; a plugin
(entry point group ``ixrules.checks``) gives the same facts with the same decorator, or as
attributes of its function.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import ModuleType

from ..records import Record, fill
from ..typenames import literal_aliases

TYPE_CHECKING = False  # not typing's: importing typing is a cost of every start
if TYPE_CHECKING:
    from typing import Any, Literal

if TYPE_CHECKING:
    from ..context import Context
    from .schemaforms import Expressed


class Env(Record):
    """What a check may know besides the value: the call's context and mode, and the name of
    the endpoint called (``invoice_receipts.create``; empty when not known), which decides
    what a series' document type must be. A frozen record (:mod:`ixrules.records`), as are the
    other records here."""

    FIELDS = ("context", "mode", "locale", "endpoint", "memo")
    COMPARED = SHOWN = FIELDS[:-1]

    context: Context
    mode: str
    #: The language the values were written in (``"pt"``, ``"en_US"``...), when the caller
    #: said it: the repairs read it (``"1,5"`` is 1.5 in Portuguese), and one check,
    #: ``day_first`` (``3/6/2021`` from an en-US form means another day to the API).
    locale: str | None
    #: The endpoint being validated (a check of a field several endpoints share may differ).
    endpoint: str
    #: What this call has read already, by what it read and its text (the dates of a document
    #: are read by four or more rules): the call's own, never shared with another call.
    memo: dict[tuple[str, str], Any]

    def __init__(
        self,
        context: Context,
        mode: str,
        locale: str | None = None,
        endpoint: str = "",
        memo: dict[tuple[str, str], Any] | None = None,
    ) -> None:
        fill(
            self,
            context=context,
            mode=mode,
            locale=locale,
            endpoint=endpoint,
            memo={} if memo is None else memo,
        )


Args = Mapping[str, "Any"]
CheckFn = Callable[..., bool]
#: A failing value -> a suggestion (``did you mean 'Portugal'?``), or None.
HintFn = Callable[["Any"], "str | None"]
#: The rule's arguments -> the check's JSON Schema keywords, or the reason it has none.
SchemaForm = Callable[[Args], "Expressed | str"]
#: The rule's arguments -> the dotted context keys the check reads.
ContextKeys = Callable[[Args], tuple[str, ...]]
#: The rule's arguments -> what is wrong with them (beyond names and types), or None.
ArgumentCheck = Callable[[Args], "str | None"]
#: (its arguments, another check's name, that check's arguments) -> True when passing this
#: check guarantees passing the other on the same value.
Implies = Callable[[Args, str, Args], bool]


if TYPE_CHECKING:
    from .source import Source


#: (the rule's arguments, the name of the value, the code generator) -> a Python expression
#: true when the value passes, or None to call the function instead.
Inline = Callable[[Args, str, "Source"], "str | None"]

#: Who may apply a fix: a tool unasked (``safe``), only when asked (``unsafe``), or nobody: it
#: is only shown (``display``).
if TYPE_CHECKING:
    Applicability = Literal["safe", "unsafe", "display"]


class Fix(Record):
    """How a failing value is repaired: ``repair(value, env, **args)`` gives the value to send
    instead (or a :class:`Repaired` when this value's repair is less certain than the usual
    one), or None when it cannot say; ``applicability`` says who may apply it, ``description``
    says in one line what it does (the docs' table of fixes lists it)."""

    FIELDS = ("repair", "applicability", "description")

    repair: Callable[..., Any]
    applicability: Applicability
    description: str

    def __init__(
        self, repair: Callable[..., Any], applicability: Applicability, description: str
    ) -> None:
        fill(self, repair=repair, applicability=applicability, description=description)


class Repaired(Record):
    """A repair's answer for one value when it differs from the fix's usual one: the value to
    send, who may apply it (None: the fix's own applicability) and what it does."""

    FIELDS = ("value", "applicability", "description")

    value: Any
    applicability: Applicability | None
    description: str | None

    def __init__(
        self,
        value: Any,
        applicability: Applicability | None = None,
        description: str | None = None,
    ) -> None:
        fill(self, value=value, applicability=applicability, description=description)


class Check(Record):
    """A check and every fact about it. The facts ``json_schema``, ``reads_numbers`` and
    ``reads_context`` have no safe default: None means not said, which a built-in check may
    not leave (a test names it); the others default to what is always correct."""

    FIELDS = (
        "name",
        "fn",
        "hint",
        "inline",
        "json_schema",
        "reads_numbers",
        "reads_context",
        "arguments",
        "implies",
        "fix",
    )

    name: str
    #: ``fn(value, env, **args) -> bool``; its docstring says what passes.
    fn: CheckFn
    #: A suggestion for a failing value (an issue's ``hint``); None: no hint.
    hint: HintFn | None
    #: How the code generator writes it as an expression; None: it calls ``fn``.
    inline: Inline | None
    #: Its JSON Schema form (a function of the arguments), or the reason it has none.
    json_schema: SchemaForm | str | None
    #: True when the values it judges are numbers (a form reads them in the user's locale).
    reads_numbers: bool | None
    #: The context keys it reads (``context_keys()``: none).
    reads_context: ContextKeys | None
    #: What its arguments must be beyond their names and annotated types; None: nothing more.
    arguments: ArgumentCheck | None
    #: Which other checks its passing implies (besides itself without arguments).
    implies: Implies | None
    #: How a failing value is repaired; None: no repair.
    fix: Fix | None

    def __init__(
        self,
        name: str,
        fn: CheckFn,
        hint: HintFn | None = None,
        inline: Inline | None = None,
        json_schema: SchemaForm | str | None = None,
        reads_numbers: bool | None = None,
        reads_context: ContextKeys | None = None,
        arguments: ArgumentCheck | None = None,
        implies: Implies | None = None,
        fix: Fix | None = None,
    ) -> None:
        fill(
            self,
            name=name,
            fn=fn,
            hint=hint,
            inline=inline,
            json_schema=json_schema,
            reads_numbers=reads_numbers,
            reads_context=reads_context,
            arguments=arguments,
            implies=implies,
            fix=fix,
        )

    def missing(self) -> list[str]:
        """The facts with no safe default that this registration does not say."""
        return [name for name in REQUIRED_FACTS if getattr(self, name) is None]

    def reads(self, args: Args) -> tuple[str, ...]:
        """The context keys the check reads with these arguments."""
        return () if self.reads_context is None else self.reads_context(args)

    def schema_form(self, args: Args) -> Expressed | str:
        """Its JSON Schema keywords with these arguments, or why there are none."""
        form = self.json_schema
        if form is None:
            return "a check that does not say its JSON Schema form"
        return form if isinstance(form, str) else form(args)

    def argument_problem(self, args: Args) -> str | None:
        """What is wrong with a rule's arguments for this check, or None."""
        from .arguments import argument_problem

        return argument_problem(self, args)

    def passing_implies(self, args: Args, other: str, other_args: Args) -> bool:
        """True when a value passing this check (with ``args``) passes ``other`` too."""
        if other == self.name and not args and not other_args:
            return True
        return self.implies is not None and self.implies(args, other, other_args)

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        """Pickled as where it comes from, so that facts written as lambdas travel with a rule
        set: a decorated function's registration as that function's (by reference), one read
        from a plugin function's attributes by reading them again; any other field by field."""
        if getattr(self.fn, REGISTRATION, None) is self:
            return getattr, (self.fn, REGISTRATION)
        if plugin_check(self.name, self.fn) == self:
            return plugin_check, (self.name, self.fn)
        return Check, tuple(getattr(self, name) for name in ("name", *FACTS))


#: Every fact a registration carries (the fields of :class:`Check` after its name).
FACTS: tuple[str, ...] = Check.FIELDS[1:]
#: The facts a built-in check must say (None is "not said").
REQUIRED_FACTS = ("json_schema", "reads_numbers", "reads_context")
#: The attribute of a decorated function that holds its registration.
REGISTRATION = "ixrules_check"


def check(
    name: str,
    *,
    hint: HintFn | None = None,
    inline: Inline | None = None,
    json_schema: SchemaForm | str | None = None,
    reads_numbers: bool | None = None,
    reads_context: ContextKeys | None = None,
    arguments: ArgumentCheck | None = None,
    implies: Implies | None = None,
    fix: Fix | None = None,
) -> Callable[[CheckFn], CheckFn]:
    """Register ``fn`` as the check ``name`` with its facts: the registration is kept on the
    function (``fn.ixrules_check``), where :func:`collect` (the built-in checks) or the rule
    loader (a plugin's) finds it; nothing global changes."""

    def register(fn: CheckFn) -> CheckFn:
        record = Check(
            name,
            fn,
            hint=hint,
            inline=inline,
            json_schema=json_schema,
            reads_numbers=reads_numbers,
            reads_context=reads_context,
            arguments=arguments,
            implies=implies,
            fix=fix,
        )
        setattr(fn, REGISTRATION, record)
        return fn

    return register


def collect(*modules: ModuleType) -> dict[str, Check]:
    """The checks registered by the functions defined in ``modules``, in definition order."""
    out: dict[str, Check] = {}
    for module in modules:
        for value in vars(module).values():
            record = getattr(value, REGISTRATION, None)
            if not isinstance(record, Check) or value.__module__ != module.__name__:
                continue
            if record.name in out:
                raise RuntimeError(f"check {record.name!r} registered twice")
            out[record.name] = record
    return out


# The usual facts as small records, not closures: a rule set's plugin checks are pickled with
# it (to a spawned process or a Dask worker), and equal facts compare equal.


class _Keys(Record):
    FIELDS = ("keys",)

    keys: tuple[str, ...]

    def __init__(self, keys: tuple[str, ...]) -> None:
        fill(self, keys=keys)

    def __call__(self, args: Args) -> tuple[str, ...]:
        return self.keys


class _KeyIn(Record):
    FIELDS = ("arg",)

    arg: str

    def __init__(self, arg: str) -> None:
        fill(self, arg=arg)

    def __call__(self, args: Args) -> tuple[str, ...]:
        return (str(args[self.arg]),)


class _Implies(Record):
    FIELDS = ("other",)

    other: str

    def __init__(self, other: str) -> None:
        fill(self, other=other)

    def __call__(self, args: Args, name: str, other_args: Args) -> bool:
        return name == self.other and not args and not other_args


class _OwnKind(Record):
    FIELDS = ("check",)

    check: str

    def __init__(self, check: str) -> None:
        fill(self, check=check)

    def __call__(self, args: Args, other: str, other_args: Args) -> bool:
        if other != self.check or set(other_args) - {"allow_blank"}:
            return False
        return not args.get("allow_blank") or bool(other_args.get("allow_blank"))


def context_keys(*keys: str) -> ContextKeys:
    """The ``reads_context`` of a check that reads these keys (none: it reads no context)."""
    return _Keys(keys)


#: The ``reads_context`` of a check that reads no context.
NO_CONTEXT = context_keys()


def context_key_in(arg: str) -> ContextKeys:
    """The ``reads_context`` of a check that reads the key its argument ``arg`` names."""
    return _KeyIn(arg)


def implies_check(other: str) -> Implies:
    """The ``implies`` of a check without arguments whose passing implies ``other`` (without
    arguments) passes: a string is text."""
    return _Implies(other)


def own_kind(check: str) -> Implies:
    """The ``implies`` of a check whose passing with any bounds implies passing it with none
    but ``allow_blank``, as loose or looser (a field's kind after its own rule:
    ``kind.number`` after ``number(gt=0)``, ``kind.date`` after ``date``)."""
    return _OwnKind(check)


def plugin_check(name: str, loaded: Any) -> Check | None:
    """The registration of what a plugin's entry point gave for the check ``name``: a
    :class:`Check`, a function decorated with :func:`check`, or a plain function whose
    attributes named as the facts (``json_schema``, ``reads_context``, ...) say them. None
    when it is not callable."""
    if isinstance(loaded, Check):
        return loaded
    record = getattr(loaded, REGISTRATION, None)
    if isinstance(record, Check):
        return record
    if not callable(loaded):
        return None
    facts = {fact: getattr(loaded, fact) for fact in FACTS[1:] if hasattr(loaded, fact)}
    keys = facts.get("reads_context")
    if isinstance(keys, (tuple, list)) and all(isinstance(key, str) for key in keys):
        facts["reads_context"] = context_keys(*keys)
    return Check(name, loaded, **facts)


def fact_problem(check: Check) -> str | None:
    """What is wrong with a registration's facts (a plugin's are anyone's), or None."""
    for fact in FACTS:
        value = getattr(check, fact)
        if value is None:
            continue
        if fact == "json_schema":
            ok = isinstance(value, str) or callable(value)
        elif fact == "reads_numbers":
            ok = isinstance(value, bool)
        elif fact == "fix":
            ok = isinstance(value, Fix)
        else:
            ok = callable(value)
        if not ok:
            return f"its fact {fact!r} must be {_FACT_TYPES.get(fact, 'a function')}"
    return None


_FACT_TYPES = {
    "json_schema": "a function or the reason it has none",
    "reads_numbers": "true or false",
    "fix": "an ixrules.checks.Fix",
    "reads_context": "a function or a list of context keys",
}


_aliases = literal_aliases(__name__, Applicability=("safe", "unsafe", "display"))


def __getattr__(name: str) -> Any:
    """``Applicability`` (a ``typing.Literal``) and ``Source`` (a ``typing.Protocol``) when they
    are asked for: ``typing`` is not imported to validate (a cost of every start)."""
    if name == "Source":
        from .source import Source

        return Source
    return _aliases(name)
