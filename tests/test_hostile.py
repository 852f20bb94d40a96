"""Hostile input: deep nesting, huge strings and arrays, NaN and Infinity, huge integers,
byte-order marks, invalid UTF-8, odd keys, Python-only values and non-object roots. Each gets
issues or one of the documented errors, in bounded time and memory: every case runs in a
forked child with a cap on its address space, and fails (never hangs) past a generous bound.
"""

from __future__ import annotations

import json
import multiprocessing
import re
import resource
import sys
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import pytest
from support.bodies import triples
from support.documents import valid_body
from support.hostile import (
    HOSTILE,
    SURROGATES,
    Unprintable,
    deep_dict,
    deep_list,
    hostile_params,
)

import ixrules
from ixrules.api import default_rules
from ixrules.lazypattern import LazyPattern
from ixrules.model import FieldSpec

pytestmark = pytest.mark.skipif(
    sys.platform != "linux", reason="bounds are enforced with fork and RLIMIT_AS"
)

DOCUMENTED = (ixrules.BodyError, ixrules.EndpointError, ixrules.ContextError)
SECONDS = 60.0  # generous: a hang fails here instead of stalling the suite
MEMORY = 1 << 30  # bytes of address space a case may add


def bounded(fn: Callable[[], Any], seconds: float = SECONDS, memory: int = MEMORY) -> Any:
    """``fn()`` run in a forked child with at most ``memory`` more bytes of address space;
    its result, or fails when it raises, dies or takes longer than ``seconds``."""
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)

    def child() -> None:
        with open("/proc/self/status", encoding="ascii") as status:
            size = next(int(line.split()[1]) for line in status if line.startswith("VmSize:"))
        resource.setrlimit(resource.RLIMIT_AS, (size * 1024 + memory, resource.RLIM_INFINITY))
        try:
            send.send(("ok", fn()))
        except BaseException as exc:  # sent to the parent, which fails the test
            send.send(("raised", f"{type(exc).__name__}: {str(exc)[:500]}"))

    process = context.Process(target=child, daemon=True)
    process.start()
    send.close()
    try:
        if not receive.poll(seconds):
            pytest.fail(f"still running after {seconds} s")
        try:
            outcome, value = receive.recv()
        except EOFError:
            pytest.fail(f"the child died (exit code {process.join(5) or process.exitcode})")
    finally:
        process.kill()
        process.join()
    if outcome != "ok":
        pytest.fail(f"raised in the child: {value}")
    return value


def outcome(body: Any, endpoint: str | None = None, context: Any = None) -> Any:
    """Triples (messages cut to 200 characters), or the documented error's class name."""
    try:
        report = ixrules.validate(body, endpoint, context=context)
    except DOCUMENTED as exc:
        return type(exc).__name__
    json.dumps(report.to_dict())  # the report is plain JSON
    return [(message[:200], path, rule) for message, path, rule in triples(report)]


# --- every known field of every endpoint ------------------------------------------------------


def field_paths(spec: FieldSpec, parts: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """The place of every field the rules know (array items at index 0)."""
    for name, child in (spec.fields or {}).items():
        yield (*parts, name)
        yield from field_paths(child, (*parts, name))
    if spec.each is not None:
        yield (*parts, 0)
        yield from field_paths(spec.each, (*parts, 0))


def placed(parts: tuple[Any, ...], value: Any) -> Any:
    """A skeleton body holding ``value`` at ``parts``."""
    for part in reversed(parts):
        value = [value] if isinstance(part, int) else {part: value}
    return value


def everywhere(value: Callable[[], Any]) -> Callable[[], list[Any]]:
    """Validate, for every endpoint, a body with ``value()`` at each known field in turn, at
    the root, and under an unknown key; the outcomes of all. Endpoints that share a body spec
    and mode validate alike: one of them stands for all."""

    def run() -> list[Any]:
        hostile = value()
        out = []
        distinct = {}
        for name, spec in default_rules().ruleset.endpoints.items():
            distinct.setdefault((id(spec.body), spec.mode, bool(spec.roots)), (name, spec))
        for name, spec in distinct.values():
            root = spec.roots[0] if spec.roots else None
            places = [(), ("x_unknown",), *field_paths(spec.body)]
            for parts in places:
                inner = placed(parts, hostile)
                body = {root: inner} if root is not None else inner
                result = outcome(body, name)
                assert result == "BodyError" or isinstance(result, list), result
                out.append((name, parts, result))
        return out

    return run


@pytest.mark.parametrize("kind", hostile_params())
def test_hostile_values_at_every_field(kind: str) -> None:
    results = bounded(everywhere(HOSTILE[kind]))
    assert len(results) > 10


# --- exact answers for the classic cases ------------------------------------------------------

INVALID_ITEMS = ("Invoice items is invalid", "/invoice/items", "document.items.invalid")


def with_item(**fields: Any) -> dict[str, Any]:
    body = valid_body("invoices.create")
    body["invoice"]["items"][0].update(fields)
    return body


def test_json_nan_infinity_and_1e400_are_not_numbers() -> None:
    body = json.loads(
        '{"invoice": {"retention": 1e400, "date": "01/12/2017", "client": {"name": "A"},'
        ' "items": [{"name": "Pen", "unit_price": NaN, "quantity": Infinity,'
        ' "discount": -Infinity}]}}'
    )
    assert outcome(body, "invoices.create") == [
        (
            "Retention must be a number between 0 and 99.99",
            "/invoice/retention",
            "document.retention.range",
        ),
        INVALID_ITEMS,
        ("Unit price must be a number", "/invoice/items/0/unit_price", "item.unit_price.number"),
        (
            "Quantity must be a number greater than 0",
            "/invoice/items/0/quantity",
            "item.quantity.positive",
        ),
        ("Discount is not a number", "/invoice/items/0/discount", "item.discount.number"),
    ]


def test_a_huge_integer_is_written_out_or_summarised_never_refused() -> None:
    """Python refuses to write an int of more than 4,300 digits (sys.set_int_max_str_digits,
    a process-wide setting a library must not touch); a message still writes it."""
    report = ixrules.validate(with_item(unit=10**5000), "invoices.create")
    assert triples(report) == [
        INVALID_ITEMS,
        (
            "Unit 1" + "0" * 5000 + " is not included in the list of accepted units",
            "/invoice/items/0/unit",
            "item.unit.accepted",
        ),
    ]
    assert outcome(with_item(unit=-(10**70_000)), "invoices.create")[1] == (
        "Unit <integer of about 70001 digits> is not included in the list of accepted units",
        "/invoice/items/0/unit",
        "item.unit.accepted",
    )
    assert outcome(with_item(unit_price=10**5000), "invoices.create") == [
        INVALID_ITEMS,
        ("Unit price must be a number", "/invoice/items/0/unit_price", "item.unit_price.number"),
    ]


def test_deep_nesting_in_a_field_that_writes_its_value() -> None:
    assert outcome(with_item(unit=deep_list(10_000)), "invoices.create") == [
        INVALID_ITEMS,
        (
            "Unit <list> is not included in the list of accepted units",
            "/invoice/items/0/unit",
            "item.unit.accepted",
        ),
    ]


def test_an_unprintable_object_is_named_by_its_type() -> None:
    body = with_item(unit=Unprintable())
    body["invoice"]["mb_reference"] = Unprintable()
    assert outcome(body, "invoices.create", {"account": {"mb_payment_provider": False}}) == [
        INVALID_ITEMS,
        (
            "Unit <Unprintable> is not included in the list of accepted units",
            "/invoice/items/0/unit",
            "item.unit.accepted",
        ),
    ]


def test_a_byte_order_mark_is_part_of_the_value() -> None:
    """A BOM inside a value is a character like any other (the API does not strip it)."""
    body = valid_body("invoices.create")
    body["invoice"]["date"] = "\ufeff01/12/2017"
    body["invoice"]["client"]["country"] = "\ufeffPortugal"
    assert outcome(body, "invoices.create") == [
        ("Date is not valid", "/invoice/date", "document.date.valid"),
        ("Client is invalid", "/invoice/client", "document.client.invalid"),
        ("Country \ufeffPortugal was not found", "/invoice/client/country", "country.known"),
    ]


def test_invalid_utf8_decoded_with_surrogateescape() -> None:
    body = valid_body("invoices.create")
    body["invoice"]["client"]["email"] = f"a@{SURROGATES}.com"
    body["invoice"]["client"]["country"] = SURROGATES
    assert outcome(body, "invoices.create") == [
        ("Client is invalid", "/invoice/client", "document.client.invalid"),
        ("Email must be an email address", "/invoice/client/email", "client.email.valid"),
        (f"Country {SURROGATES} was not found", "/invoice/client/country", "country.known"),
    ]


@pytest.mark.parametrize(
    "digits", ["\u0661\u0662", "\uff11\uff12", "\u0967.\u0968", "1\u0662"], ids=repr
)
def test_digits_of_other_scripts_are_not_numbers(digits: str) -> None:
    """Python's float() reads Arabic-Indic or full-width digits; Ruby's Float, which the API
    uses, does not."""
    assert outcome(with_item(unit_price=digits), "invoices.create") == [
        INVALID_ITEMS,
        ("Unit price must be a number", "/invoice/items/0/unit_price", "item.unit_price.number"),
    ]


@pytest.mark.parametrize(
    "date", ["\u0660\u0661/\u0661\u0662/\u0662\u0660\u0661\u0667", "\uff10\uff11/12/2017"], ids=repr
)
def test_dates_in_other_scripts_digits_are_not_dates(date: str) -> None:
    assert outcome({"invoice": {"date": date}}, "invoices.update") == [
        ("Date is not valid", "/invoice/date", "document.date.valid")
    ]


def test_python_only_containers_are_not_json_arrays_or_objects() -> None:
    for items in [({"name": "Pen"},), {1, 2}, frozenset(), b"[]", range(2)]:
        assert outcome({"invoice": {"items": items}}, "invoices.update") == [
            ("Items element should be of type array", "/invoice/items", "document.items.array")
        ]
    assert outcome({"invoice": {"client": ("Acme",)}}, "invoices.update") == [
        ("Client is invalid", "/invoice/client", "document.client.object")
    ]


def test_non_string_keys_are_unknown_keys() -> None:
    body = valid_body("invoices.create")
    body["invoice"].update({1: "x", None: "y", (1, 2): "z"})
    body["invoice"]["items"][0][3.5] = "w"
    assert outcome(body, "invoices.create") == []
    assert outcome({1: {}, None: []}) == "BodyError"


@pytest.mark.parametrize(
    "body",
    [[], [{"invoice": {}}], "invoice", "", None, 0, 1.5, float("nan"), True, b"{}", ("invoice",)],
    ids=repr,
)
def test_a_body_that_is_not_an_object(body: Any) -> None:
    with pytest.raises(ixrules.BodyError, match="the body must be a JSON object, not "):
        ixrules.validate(body)
    with pytest.raises(ixrules.BodyError, match="the body must be a JSON object, not "):
        ixrules.validate(body, "invoices.create")


@pytest.mark.parametrize("value", [[], "x", 3, ["invoice"], deep_list(10_000)], ids=type)
def test_a_root_value_that_is_not_an_object(value: Any) -> None:
    with pytest.raises(ixrules.BodyError) as caught:
        ixrules.validate({"invoice": value})
    assert str(caught.value) == "the value of 'invoice' must be a JSON object for invoices.create"


def test_unknown_root_keys_that_cannot_be_printed() -> None:
    body = {10**5000: {}, Unprintable(): {}, "x" * 10_000_000: {}}
    with pytest.raises(ixrules.BodyError) as caught:
        ixrules.validate(body)
    message = str(caught.value)
    assert message.startswith("no root key known to any endpoint: expected one of '")
    assert "'<Unprintable>'" in message and len(message) < 2000


@pytest.mark.parametrize(
    "endpoint", [10**5000, Unprintable(), ["invoices.create"], "x" * 1_000_000, ""], ids=type
)
def test_an_endpoint_name_that_is_no_name(endpoint: Any) -> None:
    def run() -> str:
        try:
            ixrules.validate({"invoice": {}}, endpoint)
        except ixrules.EndpointError as exc:
            return str(exc)[:60]
        return "no error"

    said = bounded(run, seconds=30)
    assert said.startswith("unknown endpoint "), said


@pytest.mark.parametrize(
    ("context", "problem"),
    [
        ([], "context must be an object, not list"),
        ({"now": "tomorrow"}, "context key 'now' must be YYYY-MM-DDTHH:MM:SS, not 'tomorrow'"),
        ({"now": "x" * 1_000_000 + "2017-01-01T00:00:00"}, "context key 'now' must be YYYY"),
        ({"account": {"trial": "yes"}}, "context key 'account.trial' must be a boolean, not str"),
        ({"existing": {"clients": {"A": 1}}}, "context key 'existing.clients' must be a list"),
        (
            {"documents_in_period": True},
            "context key 'documents_in_period' must be an integer, not a boolean",
        ),
        ({"document": {"id": 10**5000}}, None),
        ({"account": deep_dict(10_000)}, "unknown context key 'account.a'"),
    ],
    ids=["list", "now", "long now", "trial", "clients", "count", "huge id", "deep"],
)
def test_a_hostile_context(context: Any, problem: str | None) -> None:
    def run() -> str:
        try:
            ixrules.validate(valid_body("invoices.create"), "invoices.create", context=context)
        except ixrules.ContextError as exc:
            return str(exc)[:200]
        return "accepted"

    said = bounded(run, seconds=30)
    assert said == "accepted" if problem is None else said.startswith(problem), said


@pytest.mark.slow
def test_an_object_of_100000_keys() -> None:
    def run() -> Any:
        body = valid_body("invoices.create")
        body["invoice"].update({f"k{i}": [i] for i in range(100_000)})
        body["invoice"]["client"].update({f"k{i}": i for i in range(100_000)})
        return outcome(body, "invoices.create")

    assert bounded(run) == []


@pytest.mark.slow
def test_100000_invalid_items_each_get_their_message() -> None:
    def run() -> tuple[int, Any, Any]:
        report = ixrules.validate(
            {"invoice": {"items": [{"quantity": 0}] * 100_000}}, "invoices.update"
        )
        return len(report.errors), triples(report)[:2], triples(report)[-1]

    count, first, last = bounded(run)
    assert count == 100_001
    assert first[0] == INVALID_ITEMS
    assert last == (
        "Quantity must be a number greater than 0",
        "/invoice/items/99999/quantity",
        "item.quantity.positive",
    )


# --- every regular expression is linear-time ------------------------------------------------


def compiled_patterns() -> dict[str, re.Pattern[str]]:
    """Every compiled pattern at the top of an ixrules module, those compiled on first use
    (``LazyPattern``) compiled now."""
    import importlib
    import pkgutil

    out = {}
    for info in pkgutil.walk_packages(ixrules.__path__, "ixrules."):
        if info.name.endswith("__main__"):
            continue
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            if isinstance(value, re.Pattern):
                out[f"{info.name}.{name}"] = value
            elif isinstance(value, LazyPattern):
                out[f"{info.name}.{name}"] = value.compiled()
    return out


def test_the_patterns_found_are_all_of_them() -> None:
    """Every ``re.compile`` in the package's source is one of the module-level patterns
    tested below (a pattern compiled elsewhere would escape the linear-time test)."""
    from pathlib import Path

    sources = Path(ixrules.__file__).parent.rglob("*.py")
    # literal patterns; the route patterns built from the rules are tested on their own below
    literal = r"(?:re\.compile|LazyPattern)\(\s*[rbf]*[\"']"
    compiles = sum(len(re.findall(literal, path.read_text(encoding="utf-8"))) for path in sources)
    uses = []
    for path in Path(ixrules.__file__).parent.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        calls = r"\bre\.(?:match|search|fullmatch|findall|finditer|sub|split)\((\w+)"
        uses += [first for first in re.findall(calls, text) if first != "regex"]
    # the one exception, the ``pattern`` check's rule-file regex, is tested on its own below
    assert uses == [], "use module-level compiled patterns, so the linear-time test sees them"
    assert compiles == len(compiled_patterns()) > 0


ADVERSARIAL = [
    "1" * 100_000 + "x",
    " " * 100_000 + "x",
    "1_" * 50_000 + "x",
    "1" * 50_000 + "." + "1" * 50_000 + "e" + "x",
    "1" * 50_000 + "e" + "1" * 50_000 + "x",
    "+" + "0" * 100_000 + " " * 1000 + "x",
    "01/" * 33_000 + "x",
    "1/1/" + "2" * 100_000,
    " " * 50_000 + "01/12/2017" + " " * 50_000 + "x",
    "01/12/2017" + " T" * 50_000 + "x",
    "2017-" * 20_000 + "x",
    "\u0661" * 100_000,
    "[" * 100_000,
    "[a" * 50_000,
    "a[" + "b" * 100_000,
    "," * 100_000,
]


def methods_used(variable: str) -> set[str]:
    """How the package's source calls the pattern named ``variable``."""
    from pathlib import Path

    text = "".join(
        p.read_text(encoding="utf-8") for p in Path(ixrules.__file__).parent.rglob("*.py")
    )
    return set(re.findall(rf"\b{variable}\.(\w+)\(", text))


@pytest.mark.parametrize("name", sorted(compiled_patterns()))
def test_every_pattern_is_linear_on_long_input(name: str) -> None:
    """Each pattern, called the ways the package calls it (and anchored, at least), takes
    bounded time on long adversarial strings. (The number and date patterns start with
    ``[ ]*``: ``search`` would retry at every blank, quadratic on a long run of them, so the
    package only calls them anchored.)"""
    pattern = compiled_patterns()[name]
    methods = methods_used(name.rsplit(".", 1)[1]) | {"fullmatch", "match"}
    assert methods <= {"fullmatch", "match", "search", "split", "sub", "findall", "finditer"}, (
        methods
    )

    def run() -> int:
        found = 0
        for adversarial in ADVERSARIAL:
            # a bytes pattern (one read over a body's bytes) gets the same text, encoded
            text: Any = adversarial
            if isinstance(pattern.pattern, bytes):
                text = adversarial.encode("utf-8")
            for method in methods:
                if method == "sub":
                    found += len(pattern.sub(text[:0], text))
                elif method == "finditer":
                    found += sum(1 for _ in pattern.finditer(text))
                else:
                    found += bool(getattr(pattern, method)(text))
        return found

    bounded(run, seconds=30)


def rule_file_patterns() -> list[str]:
    """The regular expressions the rule files give the ``pattern`` check."""
    out = set()
    for rule in default_rules().ruleset.rules.values():
        for name, args in ((rule.check, rule.args), rule.when or (None, {})):
            if name == "pattern":
                out.add(args["regex"])
    return sorted(out)


@pytest.mark.parametrize("regex", rule_file_patterns())
def test_every_rule_file_pattern_is_fast_on_the_longest_text_it_sees(regex: str) -> None:
    """The ``pattern`` check matches at most 256 characters (longer text does not match), but
    a backtracking pattern can be exponential even on that: each is tried on adversarial
    text of that length."""
    from ixrules.values import MAX_SCALAR_TEXT

    def run() -> int:
        found = 0
        for text in ADVERSARIAL:
            for start in (0, 1, 2):
                found += re.fullmatch(regex, text[start : start + MAX_SCALAR_TEXT]) is not None
        return found

    bounded(run, seconds=10)


def test_every_route_pattern_is_linear_on_long_paths() -> None:
    """The route table's patterns (literal paths with ``[0-9]+`` for ids) on long paths."""
    from ixrules.requests import route_table

    routes = route_table(default_rules().ruleset)
    paths = [text[:100_000] for text in ADVERSARIAL] + ["/invoices/" + "1" * 100_000 + ".json"]

    def run() -> int:
        return sum(bool(r.pattern.fullmatch(path)) for r in routes for path in paths)

    bounded(run, seconds=30)


# --- a caller's subclasses whose methods raise or lie -------------------------------------------

_METHODS = (
    "__str__", "__repr__", "__format__", "__eq__", "__ne__", "__lt__", "__le__", "__gt__",
    "__ge__", "__len__", "__iter__", "__getitem__", "__contains__", "__bool__", "__int__",
    "__float__", "__index__", "__add__", "__mul__", "__mod__", "__reversed__", "strip", "lower",
    "upper", "casefold", "split", "replace", "startswith", "endswith", "encode", "isdigit",
    "items", "keys", "values", "get", "copy", "count", "index", "is_integer",
)  # fmt: skip


def liar(base: type) -> type:
    """A subclass of ``base`` whose every method (but ``__hash__``) raises."""

    def fail(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("lied")

    methods: dict[str, Any] = {name: fail for name in _METHODS if hasattr(base, name)}
    methods["__hash__"] = base.__hash__  # still usable as a key
    return type(f"Lying{base.__name__.title()}", (base,), methods)


class BadMapping(Mapping):  # type: ignore[type-arg]
    """A mapping that cannot be read at all."""

    def __getitem__(self, key: Any) -> Any:
        raise RuntimeError("no")

    def __iter__(self) -> Iterator[Any]:
        raise RuntimeError("no")

    def __len__(self) -> int:
        raise RuntimeError("no")


class LyingClass:
    """An object that claims to be a dict."""

    @property  # type: ignore[misc]
    def __class__(self) -> type:
        return dict


PLAIN_VALUES: dict[str, Any] = {
    "str": "kg",
    "int": 5,
    "float": 1.5,
    "dict": {"name": "Pen", "unit": "kg"},
    "list": [{"name": "Pen", "unit_price": "x"}],
}


def lying_copy(value: Any) -> Any:
    """``value`` rebuilt from lying subclasses at every level."""
    if isinstance(value, dict):
        return liar(dict)({liar(str)(k): lying_copy(v) for k, v in value.items()})
    if isinstance(value, list):
        return liar(list)(lying_copy(v) for v in value)
    if isinstance(value, bool) or value is None:
        return value  # neither can be subclassed
    return liar(type(value))(value)


@pytest.mark.parametrize("kind", PLAIN_VALUES)
def test_subclasses_whose_methods_raise_are_read_as_their_plain_values(kind: str) -> None:
    value = PLAIN_VALUES[kind]
    plain_run = everywhere(lambda: value)
    lying_run = everywhere(lambda: lying_copy(value))
    assert bounded(lying_run, seconds=120) == bounded(plain_run, seconds=120)


@pytest.mark.parametrize("value", [BadMapping(), [BadMapping()], LyingClass(), {"a": LyingClass()}])
def test_a_caller_object_that_cannot_be_read_is_a_body_error(value: Any) -> None:
    def run() -> list[Any]:
        return [outcome({"quote": {"items": value}}, "quotes.update"),
                outcome({"quote": {"x_unknown": value}}, "quotes.update")]  # fmt: skip

    for result in bounded(run):
        assert result == "BodyError" or isinstance(result, list), result


def test_a_lying_context_is_read_plain_or_is_a_context_error() -> None:
    body = {"invoice": {"mb_reference": "1"}}
    context = {"account": {"mb_payment_provider": False}}
    expected = outcome(body, "invoices.update", context)
    assert outcome(body, "invoices.update", lying_copy(context)) == expected
    assert outcome(body, "invoices.update", {"account": BadMapping()}) == "ContextError"
    lying_endpoint = liar(str)("invoices.update")
    assert outcome(body, lying_endpoint, context) == expected


# --- check_request and body_from_form: only their documented errors -----------------------------

REQUEST_ERRORS = (ixrules.BodyError, ixrules.EndpointError, ixrules.ContextError)
BASE = "https://acme.app.invoicexpress.com"


@pytest.mark.parametrize(
    ("method", "url", "headers", "body"),
    [
        ("POST", BASE + "/clients.json?api_key=k", {"Content-Type": "application/json"},
         '{"client": ' + "[" * 100_000 + "]" * 100_000 + "}"),
        ("POST", "http://[::1/clients.json", None, None),
        ("POST", "clients.json", None, None),
        (7, BASE + "/clients.json", None, None),
        ("POST", BASE + "/clients.json?api_key=k", ["Content-Type", "application/json"], "{}"),
        ("POST", BASE + "/clients.json?api_key=k", BadMapping(), "{}"),
        ("POST", BASE + "/clients.json?api_key=k", liar(dict)({"Content-Type": "x"}), "{}"),
        ("POST", BASE + "/clients.json?api_key=k", {"Content-Type": "application/json"},
         liar(bytes)(b'{"client": {}}')),
        (liar(str)("POST"), liar(str)(BASE + "/clients.json?api_key=k"),
         {liar(str)("Content-Type"): liar(str)("application/json")}, lying_copy({"client": {}})),
    ],
    ids=lambda value: type(value).__name__,
)  # fmt: skip
def test_check_request_raises_only_documented_errors(
    method: Any, url: Any, headers: Any, body: Any
) -> None:
    def run() -> str:
        try:
            return str(ixrules.check_request(method, url, headers=headers, body=body).status)
        except REQUEST_ERRORS as exc:
            return type(exc).__name__

    said = bounded(run, seconds=30)
    assert said in ("BodyError", "EndpointError", "ContextError") or said.isdigit(), said


@pytest.mark.parametrize(
    "form",
    [
        {"invoice" + "[a]" * 500: "x"},  # a 1,507-byte field name
        {"invoice" + "[a]" * 100_000: "x"},
        BadMapping(),
        [(liar(str)("invoice[date]"), liar(str)(" 01/12/2017 "))],
        liar(dict)({"invoice[date]": "01/12/2017"}),
    ],
    ids=lambda form: type(form).__name__,
)
def test_body_from_form_raises_only_form_errors(form: Any) -> None:
    from ixrules.forms import FormError, body_from_form

    def run() -> str:
        try:
            return repr(body_from_form(form, locale="pt_PT", drop_blank=True))[:60]
        except FormError as exc:
            return f"FormError: {exc}"[:120]

    said = bounded(run, seconds=30)
    assert said.startswith(("FormError", "{")), said
