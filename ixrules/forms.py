"""Form input: what an HTML form posts (``invoice[items][0][unit_price]=1.234,56``) turned into
the API body that :func:`ixrules.validate` checks, with numbers written the user's way read
through Babel.

Field names follow the Rails/PHP bracket convention. A numeric segment is a list index
(``items[0]``); lists keep index order and are compacted (``items[0]`` and ``items[5]`` make a
list of two), so the report's paths, and :meth:`ixrules.Report.by_field`'s keys, number the
rows of the returned body. An empty segment (``items[][name]``) is the n-th occurrence of
that exact name: the first ``items[][name]`` and the first ``items[][unit_price]`` make
``items[0]``, the second ones ``items[1]``. A name given more than once without ``[]`` keeps
its last value (as Rails does). Nothing else is changed: values stay the strings (or files)
the form sent, unless a locale is given, and the caller's form is never modified.

>>> body_from_form([("invoice[client][name]", "Acme"), ("invoice[items][0][name]", "Pen"),
...                 ("invoice[items][0][unit_price]", "1.234,56")], locale="pt_PT")
{'invoice': {'client': {'name': 'Acme'}, 'items': [{'name': 'Pen', 'unit_price': '1234.56'}]}}
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from functools import lru_cache
from typing import TYPE_CHECKING, Any, NamedTuple

from .checks import Check, lookup
from .localenames import babel_locale
from .model import ANY_INDEX, field_specs  # ANY_INDEX: "any row" in number_fields' paths
from .values import MAX_SCALAR_TEXT, display

if TYPE_CHECKING:
    from babel import Locale

    from .api import Rules
    from .fixes.engine import FixResult

#: Longer indices are no row of any form (and would be slow to read as numbers).
_MAX_INDEX_DIGITS = 18
#: The most brackets a field name may have: deeper is no body the API takes (and building the
#: body recurses once per level).
MAX_DEPTH = 64
_NAME = re.compile(r"([^\[\]]+)((?:\[[^\[\]]*\])*)")
_SEGMENT = re.compile(r"\[([^\[\]]*)\]")
#: Group separators that people type as a plain space or a dot (pt_PT, fr_FR, ...).
_SPACE_GROUPS = frozenset({"\u00a0", "\u202f", " "})


class FormError(ValueError):
    """A submitted field name cannot be read as a place in the body: unbalanced brackets, or
    two fields giving one place two shapes. ``field`` is the name as the form sent it."""

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(f"form field {field!r}: {problem}")
        self.field = field
        self.problem = problem


def body_from_form(
    form: Any,
    *,
    locale: str | None = None,
    endpoint: str | None = None,
    rules: Rules | None = None,
    drop_blank: bool = False,
) -> dict[str, Any]:
    """The nested API body of the submitted ``form``.

    ``form`` is a multidict (Werkzeug's, Django's ``QueryDict``, Starlette's ``FormData``: any
    object with ``getlist`` or ``multi_items``), a list of ``(name, value)`` pairs, or a plain
    dict (a list value counts as repeated fields).

    With ``locale`` (``pt_PT``, ``es-ES``, ``en_GB``, ...), the values of number fields (those
    whose rules use the ``number`` check: see :func:`number_fields`) that Babel reads strictly
    as numbers of that locale become canonical decimal strings (``"1.234,56"`` -> ``"1234.56"``
    in ``pt_PT``); anything else, including an ambiguous or malformed number, is left exactly as
    typed for the rules to judge. An unknown locale converts nothing; a locale that is not a
    string is a ``TypeError``. Without ``endpoint`` the number fields are those of every
    endpoint whose root key the body has. Only the places where a number field can be are
    looked into: a value of the caller's nested deeper than any field, or holding itself, is
    returned as it is.

    ``drop_blank=True`` leaves out blank values (what an empty input posts), and the objects
    and rows that leaves empty: for forms where an empty input means "not filled in".

    >>> body_from_form({"invoice[items][][name]": ["Pen", "Ink"], "invoice[date]": "01/12/2017"})
    {'invoice': {'items': [{'name': 'Pen'}, {'name': 'Ink'}], 'date': '01/12/2017'}}
    >>> body_from_form([("invoice[items][0][quantity]", "1,5"), ("invoice[items][0][unit]", "")],
    ...                locale="es", drop_blank=True)
    {'invoice': {'items': [{'quantity': '1.5'}]}}
    >>> body_from_form([("invoice[client]", "Acme"), ("invoice[client][name]", "Acme")])
    Traceback (most recent call last):
    ...
    ixrules.forms.FormError: form field 'invoice[client][name]': 'invoice[client]' is a value in
    one field and holds fields in another
    """
    root = _Node()
    counts: dict[str, int] = {}
    for name, value in _pairs(form):
        if drop_blank and isinstance(value, str) and not value.strip():
            continue
        occurrence = counts.get(name, 0)
        counts[name] = occurrence + 1
        root.put(name, _path(name, occurrence), value)
    body: dict[str, Any] = root.build()
    if locale is None:
        return body
    read_in = babel_locale(_locale_name(locale))
    if read_in is None:
        return body
    patterns = _number_patterns(body, endpoint, rules)
    if not patterns:
        return body
    places = frozenset(path[:end] for path in patterns for end in range(len(path)))
    converted: dict[str, Any] = _with_numbers(body, (), _Numbers(patterns, places, read_in))
    return converted


def fix_form(
    form: Any,
    endpoint: str | None = None,
    *,
    locale: str | None = None,
    context: Mapping[str, Any] | None = None,
    unsafe: bool = False,
    rules: Rules | None = None,
    drop_blank: bool = False,
) -> FixResult:
    """The submitted ``form`` as a body (:func:`body_from_form`, numbers read in ``locale``)
    with what can be fixed fixed (:func:`ixrules.fix`: the safe fixes, the unsafe ones too with
    ``unsafe=True``). The result's ``body`` is the fixed body, its ``report`` what is left, and
    its :meth:`~ixrules.fixes.engine.FixResult.by_field` the fixes by form field name, to show
    next to each field or to write each ``after`` back into the form.

    >>> result = fix_form({"client[name]": "Acme", "client[country]": "Alemanha"})
    >>> result.body, {f: [e.after for e in edits] for f, edits in result.by_field().items()}
    ({'client': {'name': 'Acme', 'country': 'Germany'}}, {'client[country]': ['Germany']})
    """
    from .fixes.engine import fix

    body = body_from_form(
        form, locale=locale, endpoint=endpoint, rules=rules, drop_blank=drop_blank
    )
    return fix(body, endpoint, context=context, locale=locale, unsafe=unsafe, rules=rules)


def number_fields(endpoint: str, *, rules: Rules | None = None) -> list[str]:
    """The fields of ``endpoint`` that hold numbers (their rules use a check that reads numbers,
    ``number``),
    dotted, with ``*`` for any row of a list: the fields a locale's numbers are read in.

    >>> number_fields("invoices.create")
    ['invoice.global_discount.value', 'invoice.items.*.discount', 'invoice.items.*.quantity',
     'invoice.items.*.unit_price', 'invoice.rate', 'invoice.retention']
    """
    return sorted(".".join(path) for path in _endpoint_numbers(_rules(rules), endpoint))


def local_number(text: str, locale: str) -> str | None:
    """``text`` as a canonical decimal string when Babel reads it strictly as a number written
    in ``locale``'s way; None when it does not (ambiguous, malformed, or an unknown locale).

    Where the locale groups digits with a space (``pt_PT``, ``fr_FR``), a typed space or dot is
    read as that group separator too, still strictly (``1.234,56``; ``1.23,4`` is no number).

    >>> local_number("1.234,56", "pt_PT"), local_number("1.234,56", "es_ES")
    ('1234.56', '1234.56')
    >>> local_number("1,234.56", "en_GB"), local_number("1,5", "en_GB"), local_number("1,2,3", "pt")
    ('1234.56', None, None)
    """
    read_in = babel_locale(_locale_name(locale))
    return None if read_in is None else _parse(text, read_in)


def _pairs(form: Any) -> Iterator[tuple[str, Any]]:
    """The submitted (name, value) pairs, repeats included, whatever holds them; what a
    caller's form object raises while being read is a FormError."""
    if isinstance(form, (str, bytes)):
        raise TypeError("form data must be a multidict, a mapping or (name, value) pairs")
    try:
        for pair in _raw_pairs(form):
            if not isinstance(pair, (tuple, list)):
                raise TypeError(f"form data must be (name, value) pairs, got {display(pair)}")
            items = list(tuple.__iter__(pair) if isinstance(pair, tuple) else list.__iter__(pair))
            if len(items) != 2:
                raise TypeError(f"form data must be (name, value) pairs, got {display(pair)}")
            name, value = items
            if not isinstance(name, str):
                raise FormError(display(name), "field names are strings")
            if isinstance(value, str):
                value = str.__str__(value)  # a caller's subclass: its characters, no methods
            yield str.__str__(name), value
    except (FormError, TypeError):
        raise
    except Exception as exc:
        raise FormError("", f"the form data could not be read ({type(exc).__name__})") from None


def _raw_pairs(form: Any) -> Iterable[Any]:
    multi_items = getattr(form, "multi_items", None)
    getlist = getattr(form, "getlist", None)
    if callable(multi_items):
        return multi_items()  # type: ignore[no-any-return]
    if callable(getlist) and hasattr(form, "keys"):
        return [(name, value) for name in list(form.keys()) for value in getlist(name)]
    if isinstance(form, Mapping):
        items = dict.items(form) if isinstance(form, dict) else form.items()
        return [
            (name, item)
            for name, value in items
            for item in (value if isinstance(value, (list, tuple)) else (value,))
        ]
    return form  # type: ignore[no-any-return]


def _path(name: str, occurrence: int) -> list[str | int | tuple[int]]:
    """The place ``name`` names: keys, list indices, and the ``[]`` slot as ``(occurrence,)``."""
    match = _NAME.fullmatch(name)
    if match is None:
        problem = (
            "is not a form field name like name[key][0] (unbalanced or misplaced brackets)"
            if name
            else "is empty"
        )
        raise FormError(name, problem)
    path: list[str | int | tuple[int]] = [match[1]]
    appended = False
    segments = _SEGMENT.findall(match[2])
    if len(segments) > MAX_DEPTH:
        raise FormError(_shown(name), f"is nested deeper than {MAX_DEPTH} levels")
    for segment in segments:
        if segment == "":
            if appended:
                raise FormError(name, "has more than one []")
            appended = True
            path.append((occurrence,))
        elif segment.isdigit() and segment.isascii():
            if len(segment) > _MAX_INDEX_DIGITS:
                raise FormError(name, f"has an index longer than {_MAX_INDEX_DIGITS} digits")
            path.append(int(segment))
        else:
            path.append(segment)
    return path


class _Node:
    """A place in the body being built: an object, a list (by index or by ``[]``), or a value."""

    __slots__ = ("children", "has_value", "kind", "value")

    def __init__(self) -> None:
        self.children: dict[Any, _Node] = {}
        self.kind: str | None = None  # "object", "list", "[]"
        self.has_value = False
        self.value: Any = None

    def put(self, name: str, path: list[str | int | tuple[int]], value: Any) -> None:
        node = self
        for depth, key in enumerate(path):
            kind = "[]" if isinstance(key, tuple) else "list" if isinstance(key, int) else "object"
            if node.has_value:
                raise FormError(name, _SHAPES.format(_name_of(path[:depth])))
            if node.kind is not None and node.kind != kind:
                where, was = _name_of(path[:depth]), _KINDS[node.kind]
                raise FormError(
                    name, f"{where!r} is {was} in one field and {_KINDS[kind]} in another"
                )
            node.kind = kind
            node = node.children.setdefault(key, _Node())
        if node.children:
            raise FormError(name, _SHAPES.format(_name_of(path)))
        node.has_value = True
        node.value = value

    def build(self) -> Any:
        if self.has_value:
            return self.value
        if self.kind in ("object", None):
            return {key: child.build() for key, child in self.children.items()}
        return [self.children[key].build() for key in sorted(self.children)]


_SHAPES = "{!r} is a value in one field and holds fields in another"
_KINDS = {"object": "an object", "list": "a numbered list", "[]": "a [] list"}


def _shown(name: str) -> str:
    """A field name short enough to quote in a message."""
    return name if len(name) <= 200 else name[:200] + "..."


def _name_of(path: list[str | int | tuple[int]]) -> str:
    if not path:
        return ""
    head, *rest = path
    return str(head) + "".join("[]" if isinstance(key, tuple) else f"[{key}]" for key in rest)


def _rules(rules: Rules | None) -> Rules:
    if rules is not None:
        return rules
    from .api import default_rules

    return default_rules()


def _number_patterns(
    body: Mapping[str, Any], endpoint: str | None, rules: Rules | None
) -> frozenset[tuple[str, ...]]:
    ruleset = _rules(rules)
    if endpoint is not None:
        return _endpoint_numbers(ruleset, endpoint)
    out: frozenset[tuple[str, ...]] = frozenset()
    for root in body:
        out |= _root_numbers(ruleset, root)
    return out


@lru_cache(maxsize=256)
def _root_numbers(rules: Rules, root: str) -> frozenset[tuple[str, ...]]:
    """The number fields of every endpoint whose bodies have the root key ``root``."""
    out: frozenset[tuple[str, ...]] = frozenset()
    for spec in rules.ruleset.endpoints.values():
        if root in spec.roots:
            out |= _endpoint_numbers(rules, spec.name)
    return frozenset(path for path in out if path[:1] == (root,))


@lru_cache(maxsize=256)
def _endpoint_numbers(rules: Rules, endpoint: str) -> frozenset[tuple[str, ...]]:
    """The number fields of ``endpoint`` as paths, ``*`` for any row of a list (computed once
    per rule set and endpoint: the rule sets are immutable)."""
    spec = rules.endpoint(endpoint)
    return frozenset(
        path
        for root in spec.roots or (None,)
        for path, node in field_specs(spec.body, () if root is None else (root,))
        if any(_reads_numbers(rule.check, rules.ruleset.checks) for rule in node.rules)
    )


def _reads_numbers(name: str | None, plugins: Mapping[str, Check]) -> bool:
    """True when the check ``name`` judges numbers (its ``reads_numbers`` fact): its field's
    values are read in the form's locale."""
    check = lookup(name, plugins) if name is not None else None
    return check is not None and bool(check.reads_numbers)


class _Numbers(NamedTuple):
    """Where number fields are (``patterns``), the places above them (``places``: the only
    ones looked into), and the locale their numbers are read in."""

    patterns: frozenset[tuple[str, ...]]
    places: frozenset[tuple[str, ...]]
    locale: Locale


def _with_numbers(value: Any, path: tuple[str, ...], numbers: _Numbers) -> Any:
    """``value`` with the numbers of its number fields read. Recurses only along ``places``,
    so never deeper than the deepest number field, whatever ``value`` holds."""
    if path in numbers.places:
        if isinstance(value, dict):
            return {
                key: _with_numbers(item, (*path, key), numbers) for key, item in dict.items(value)
            }
        if isinstance(value, list):
            return [_with_numbers(item, (*path, ANY_INDEX), numbers) for item in value]
    elif isinstance(value, str) and path in numbers.patterns:
        number = _parse(value, numbers.locale)
        return value if number is None else number
    return value


def _locale_name(locale: Any) -> str:
    """The locale's name, checked: a ``TypeError`` for what is not a string."""
    if not isinstance(locale, str):
        raise TypeError(
            f"locale must be a string such as 'pt_PT' or 'es', not {type(locale).__name__}"
        )
    return str.__str__(locale)


def _parse(text: str, locale: Locale) -> str | None:
    from babel.numbers import NumberFormatError, get_decimal_symbol, get_group_symbol, parse_decimal

    text = text.strip()
    if not text or len(text) > MAX_SCALAR_TEXT:
        return None
    candidates = [text]
    group = get_group_symbol(locale)
    if group in _SPACE_GROUPS and get_decimal_symbol(locale) != ".":
        candidates.append(text.replace(" ", group).replace(".", group))
    for candidate in candidates:
        try:
            number = parse_decimal(candidate, locale, strict=True)
        except NumberFormatError:
            continue
        if number.is_finite():
            return format(number, "f")
    return None
