"""The third writer of the compiled rules: a JSON Schema (Draft 2020-12) for each endpoint's body.

The schema is for editors and web frameworks: completion, hover text and a first line of
checking. It must never be stricter than the API, so each rule is written only where JSON
Schema says exactly what the rule's check says (``exact``) or says less (``looser``: the schema
accepts some values the rule refuses, never the reverse). Everything else (comparisons between
fields, rules that read the context, guarded rules, warnings) is listed under ``x-ixrules`` as
not expressed, with the reason. ``null`` and ``false`` mean absent to the API, so every value
constraint accepts them; unknown keys are dropped by the API, not refused, so objects stay open.

Each rule written carries its id (``x-ixrules-rule``) and ajv-errors' ``errorMessage`` (the
API's message, ``{value}`` written ``${0}``), so a JavaScript validator can answer with the
API's words too.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Any

from .messages import translate
from .model import UNKNOWN_KEY_RULE, EndpointSpec, FieldSpec, Rule
from .values import MAX_SCALAR_TEXT

if TYPE_CHECKING:
    from .api import Rules

DIALECT = "https://json-schema.org/draft/2020-12/schema"

#: The JSON values the API reads as "not sent".
ABSENT: dict[str, Any] = {"enum": [None, False]}


# --- regular expressions both Python's ``re`` and ECMA-262 (with the u flag) read alike ------


def _escape(char: str) -> str:
    """One character as a pattern atom: ASCII letters and digits bare, the rest escaped."""
    if char.isascii() and char.isalnum():
        return char
    code = ord(char)
    return f"\\u{code:04x}" if code <= 0xFFFF else char


@lru_cache(maxsize=1)
def _blanks() -> str:
    """A character class of what Python's ``str.strip()`` removes (ECMA's ``\\s`` differs)."""
    codes = [cp for cp in range(sys.maxunicode + 1) if chr(cp).isspace()]
    runs: list[list[int]] = []
    for code in codes:
        if runs and runs[-1][1] == code - 1:
            runs[-1][1] = code
        else:
            runs.append([code, code])
    spans = (
        _escape(chr(low)) + (f"-{_escape(chr(high))}" if high > low else "") for low, high in runs
    )
    return "[" + "".join(spans) + "]"


def _blank_pattern() -> str:
    return f"^{_blanks()}*$"


#: ``ixrules.values``' number syntax (Ruby's Float) with ASCII digits spelled out.
_DIGITS = "[0-9](?:_?[0-9])*"
NUMBER_PATTERN = (
    rf"^[ \t\r\n]*[+-]?(?:{_DIGITS}(?:\.{_DIGITS})?|\.{_DIGITS})"
    rf"(?:[eE][+-]?{_DIGITS})?[ \t\r\n]*$"
)
DATE_PATTERN = (
    r"^[ ]*(?:[0-9]{1,2}/[0-9]{1,2}/[0-9]{4}|[0-9]{1,2}-[0-9]{1,2}-[0-9]{4}"
    r"|[0-9]{1,2}\.[0-9]{1,2}\.[0-9]{4}|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2})[ ]*$"
)
DATETIME_PATTERN = (
    r"^[ ]*[0-9]{1,2}/[0-9]{1,2}/[0-9]{4}(?:[ T]+[0-9]{1,2}:[0-9]{2}(?::[0-9]{2})?)?[ ]*$"
)


@lru_cache(maxsize=1)
def _unfolded() -> Mapping[str, tuple[str, ...]]:
    """For each case-folded text, the characters whose ``casefold()`` it is (besides itself)."""
    out: dict[str, list[str]] = {}
    for cp in range(sys.maxunicode + 1):
        char = chr(cp)
        folded = char.casefold()
        if folded != char:
            out.setdefault(folded, []).append(char)
    return {key: tuple(chars) for key, chars in out.items()}


def casefold_pattern(text: str) -> str | None:
    """A pattern matching exactly the strings whose ``casefold()`` equals ``text``'s (Python
    folds character by character, so each piece of the folded text is spelled by any character
    that folds to it: ``s`` is also ``S`` and the long s).
    None when it would be unreasonably long.

    >>> import re
    >>> pattern = re.compile(casefold_pattern("Kg") or "")
    >>> [bool(pattern.search(s)) for s in ("kg", "KG", "\u212ag", "kgs")]
    [True, True, True, False]
    """
    folded, unfolded = text.casefold(), _unfolded()
    longest = max(map(len, unfolded))

    @cache
    def rest(start: int) -> str:
        if start == len(folded):
            return ""
        options = []
        for size in range(1, longest + 1):
            piece = folded[start : start + size]
            if len(piece) < size:
                break
            chars = [*([piece] if len(piece) == 1 else []), *unfolded.get(piece, ())]
            if not chars:
                continue
            atom = (
                _escape(chars[0]) if len(chars) == 1 else "[" + "".join(map(_escape, chars)) + "]"
            )
            options.append(atom + rest(start + size))
        return options[0] if len(options) == 1 else "(?:" + "|".join(options) + ")"

    pattern = "^" + rest(0) + "$"
    return pattern if len(pattern) <= 4000 else None


# --- what each check says in JSON Schema ----------------------------------------------------


@dataclass(frozen=True)
class Expressed:
    """A check written as JSON Schema keywords for a present value. ``exact``: the keywords
    refuse exactly what the check refuses; otherwise they refuse less, and ``note`` says what
    is left out, and ``looser_for`` the JSON types of the values it may let through (any other
    value the check refuses, the keywords refuse too). ``typed``: the keywords refuse null and
    false, so the writer must let them through. ``hints``: annotations (examples, ...) for the
    field, which never refuse."""

    keywords: Mapping[str, Any]
    exact: bool = True
    note: str = ""
    typed: bool = True
    hints: Mapping[str, Any] = field(default_factory=dict)
    looser_for: tuple[str, ...] = ("string",)


Args = Mapping[str, Any]
Writer = Callable[[Args], "Expressed | str"]

#: Each check of ``ixrules.checks`` and how it is written: keywords, or why it cannot be.
WRITERS: dict[str, Writer] = {}


def writes(name: str) -> Callable[[Writer], Writer]:
    def register(fn: Writer) -> Writer:
        WRITERS[name] = fn
        return fn

    return register


def _or_blank(keywords: Mapping[str, Any], allow_blank: Any) -> dict[str, Any]:
    if not allow_blank:
        return dict(keywords)
    branches = keywords["anyOf"] if list(keywords) == ["anyOf"] else [dict(keywords)]
    return {"anyOf": [{"type": "string", "pattern": _blank_pattern()}, *branches]}


@writes("object")
def _object(args: Args) -> Expressed:
    return Expressed({"type": "object"})


@writes("array")
def _array(args: Args) -> Expressed:
    return Expressed({"type": "array"})


@writes("string")
def _string(args: Args) -> Expressed:
    return Expressed({"type": "string"})


@writes("text")
def _text(args: Args) -> Expressed:
    return Expressed({"type": ["string", "number"]})


@writes("not_empty")
def _not_empty(args: Args) -> Expressed:
    empty = [{"type": "array", "maxItems": 0}, {"type": "string", "pattern": _blank_pattern()}]
    return Expressed({"not": {"anyOf": empty}}, typed=False)


@writes("number")
def _number(args: Args) -> Expressed:
    bounds: dict[str, Any] = {}
    for arg, keyword in (
        ("gt", "exclusiveMinimum"),
        ("gte", "minimum"),
        ("lt", "exclusiveMaximum"),
        ("lte", "maximum"),
    ):
        if args.get(arg) is not None:
            bounds[keyword] = args[arg]
    kind = "integer" if args.get("integer") else "number"
    text = {"type": "string", "pattern": NUMBER_PATTERN, "maxLength": MAX_SCALAR_TEXT}
    bounded = any(args.get(arg) is not None for arg in ("gt", "gte", "lt", "lte", "integer"))
    note = "a numeric string's bounds are not checked; " if bounded else ""
    note += "a number too large for a double (1e999) passes"
    keywords = _or_blank({"anyOf": [{"type": kind, **bounds}, text]}, args.get("allow_blank"))
    return Expressed(keywords, exact=False, note=note, looser_for=("string", "number"))


@writes("integer")
def _integer(args: Args) -> Expressed:
    blanks = _blanks()
    digits = f"^{blanks}*(?:[0-9]{{1,{MAX_SCALAR_TEXT}}})?{blanks}*$"
    keywords = {"anyOf": [{"type": "integer"}, {"type": "string", "pattern": digits}]}
    note = "a JSON number with no fraction (1.0) passes"
    return Expressed(keywords, exact=False, note=note, looser_for=("number",))


@writes("flag")
def _flag(args: Args) -> Expressed:
    blanks = _blanks()
    return Expressed({"type": "string", "pattern": f"^{blanks}*[01]?{blanks}*$"})


@writes("flag_set")
def _flag_set(args: Args) -> Expressed:
    return Expressed({"enum": ["1", 1, True]})


def _dates(pattern: str, what: str) -> Writer:
    def write(args: Args) -> Expressed:
        keywords = {"type": "string", "pattern": pattern, "maxLength": MAX_SCALAR_TEXT}
        note = f"the {what}'s calendar validity (31/02/2017) is not checked"
        return Expressed(_or_blank(keywords, args.get("allow_blank")), exact=False, note=note)

    return write


WRITERS["date"] = _dates(DATE_PATTERN, "date")
WRITERS["datetime"] = _dates(DATETIME_PATTERN, "moment")

#: Values ``display`` writes a non-string as: such a choice would also take a number or true.
_LOOKS_LIKE_ANOTHER_TYPE = re.compile(r"true|false|[-+0-9.eE]+|[\[{(<].*|")


@writes("one_of")
def _one_of(args: Args) -> Expressed | str:
    values = [str(value) for value in args.get("values", ())]
    if any(_LOOKS_LIKE_ANOTHER_TYPE.fullmatch(value) for value in values):
        return "a choice that a number or true would also spell"
    if not args.get("ignore_case"):
        return Expressed({"enum": values})
    patterns = [casefold_pattern(value) for value in values]
    if any(pattern is None for pattern in patterns):
        return "too many ways to write its choices in any case"
    alternatives = "|".join(f"(?:{str(pattern)[1:-1]})" for pattern in patterns)
    keywords = {"type": "string", "pattern": f"^(?:{alternatives})$"}
    return Expressed(keywords, hints={"examples": values})


@writes("tax_region")
def _tax_region(args: Args) -> Expressed:
    from .data.countries import TAX_REGION_CODES

    return Expressed({"enum": sorted(TAX_REGION_CODES)})


@writes("country")
def _country(args: Args) -> Expressed:
    from .data.countries import COUNTRY_NAMES

    note = (
        "the name itself is not checked: the API ignores case, accents and the apostrophe's "
        "shape, which no enum can say (the API's names are given as examples)"
    )
    keywords = {"type": "string", "maxLength": 64}
    return Expressed(keywords, exact=False, note=note, hints={"examples": list(COUNTRY_NAMES)})


_EMAIL_NOTE = (
    "only the '@' is checked: JSON Schema's email format is stricter than email-validator for "
    "internationalised addresses"
)


@writes("email")
def _email(args: Args) -> Expressed:
    keywords = {"type": "string", "pattern": "@", "maxLength": 320}
    return Expressed(_or_blank(keywords, args.get("allow_blank")), exact=False, note=_EMAIL_NOTE)


@writes("email_list")
def _email_list(args: Args) -> Expressed:
    keywords: dict[str, Any] = {"type": "string"}
    if not args.get("allow_blank"):
        keywords["pattern"] = "@"
    note = "each address of the list is not checked, " + _EMAIL_NOTE
    return Expressed(keywords, exact=False, note=note)


#: Patterns of the rule files that mean the same to Python and to ECMA-262: no escapes, no
#: groups with options, no dot (which the two read differently at line ends).
_PORTABLE = re.compile(r"[^\\.$]*")


@writes("pattern")
def _pattern(args: Args) -> Expressed | str:
    regex = str(args.get("regex", ""))
    if args.get("negate"):
        return "a pattern the value must not match"
    if "(?" in regex or not _PORTABLE.fullmatch(regex):
        return "its pattern is not one ECMA-262 reads as Python does"
    blanks = _blanks()
    # only on strings ixrules would read (longer ones it refuses): the blanks around the value
    # may also match the rule's pattern, and backtracking over them must stay short
    keywords = {
        "if": {"maxLength": MAX_SCALAR_TEXT},
        "then": {"pattern": f"^{blanks}*(?:{regex}){blanks}*$"},
    }
    note = "a number, or a string longer than 256 characters, is not checked"
    anything = ("string", "number", "boolean", "array", "object")
    return Expressed(keywords, exact=False, note=note, typed=False, looser_for=anything)


@writes("max_length")
def _max_length(args: Args) -> Expressed:
    note = "a number's digits are not counted"
    keywords = {"maxLength": int(args["maximum"])}
    return Expressed(keywords, exact=False, note=note, typed=False, looser_for=("number",))


def _blank_value() -> dict[str, Any]:
    return {"anyOf": [ABSENT, {"type": "string", "pattern": _blank_pattern()}]}


@writes("field_given")
def _field_given(args: Args) -> Expressed:
    name = str(args["field"])
    keywords = {"required": [name], "properties": {name: {"not": _blank_value()}}}
    return Expressed(keywords, typed=False)


@writes("given_when")
def _given_when(args: Args) -> Expressed | str:
    key, equals, name = str(args["key"]), str(args["equals"]), str(args["field"])
    if _LOOKS_LIKE_ANOTHER_TYPE.fullmatch(equals):
        return "a condition that a number or true would also meet"
    keywords = {
        "if": {"required": [key], "properties": {key: {"const": equals}}},
        "then": {"required": [name], "properties": {name: {"not": _blank_value()}}},
    }
    return Expressed(keywords, typed=False)


_NOT_EXPRESSIBLE = {
    "date_order": "compares two dates of the object",
    "field_blank": "reads another field of the object",
    "after_now": "compares with the clock",
    "context_true": "reads the context",
    "context_false": "reads the context",
    "context_not": "reads the context",
    "context_positive": "reads the context",
    "not_taken": "reads the context",
    "listed": "reads the context",
    "exemption_given": "reads the context",
    "pt_nif": "computes a check digit",
    "vat_of_country": "compares two fields of the object",
    "same_as_context": "reads the context",
    "account_not_in": "reads the context",
    "event_allowed": "reads the context",
    "json_content_type": "reads the request's headers",
}


def _not_expressible(why: str) -> Writer:
    def write(args: Args) -> str:
        return why

    return write


WRITERS.update((name, _not_expressible(why)) for name, why in _NOT_EXPRESSIBLE.items())


# --- one endpoint's schema ------------------------------------------------------------------


@dataclass
class _Writing:
    """What one endpoint's schema is written with, the error rules it could not express, and
    where each warning applies (never a constraint: the API accepts those values)."""

    endpoint: EndpointSpec
    locale: str | None
    unknown: Rule | None
    not_expressed: list[dict[str, str]] = field(default_factory=list)
    warnings: dict[str, list[str]] = field(default_factory=dict)

    def message(self, rule: Rule) -> str:
        return translate(rule.message, self.locale)

    def ajv_message(self, rule: Rule) -> str:
        """The message as ajv-errors writes a template: ``${0}`` is the value."""
        where = "0" if rule.at is None else f"0/{rule.at}"
        return self.message(rule).replace("{value}", "${" + where + "}")

    def entry(
        self, rule: Rule, path: str, expressed: str, note: str = "", **more: Any
    ) -> dict[str, Any]:
        out: dict[str, Any] = {"id": rule.id, "message": self.message(rule)}
        if rule.severity != "error":
            out["severity"] = rule.severity
        out["expressed"] = expressed
        if note:
            out["note"] = note
        out.update(more)
        if expressed == "no" and rule.severity != "error":
            self.warnings.setdefault(rule.id, []).append(path)
        elif expressed == "no":
            self.not_expressed.append({"id": rule.id, "path": path, "why": note})
        return out


def _rule_schema(rule: Rule, expressed: Expressed, writing: _Writing) -> dict[str, Any]:
    keywords = dict(expressed.keywords)
    if not expressed.typed:
        body = keywords
    elif list(keywords) == ["anyOf"]:
        body = {"anyOf": [ABSENT, *keywords["anyOf"]]}
    else:
        body = {"anyOf": [ABSENT, keywords]}
    return {"x-ixrules-rule": rule.id, **body, "errorMessage": writing.ajv_message(rule)}


def _description(spec: FieldSpec, rules: list[Rule]) -> str:
    docs = [rule.doc.strip() for rule in rules if rule.doc and not rule.id.startswith("kind.")]
    if not docs:
        docs = [rule.doc.strip() for rule in rules if rule.doc]
    if spec.required is not None and spec.required.doc and spec.required not in rules:
        docs.append(spec.required.doc.strip())
    return " ".join(dict.fromkeys(docs))


def _node(
    spec: FieldSpec, path: str, writing: _Writing, above: frozenset[int], required: Rule | None
) -> dict[str, Any]:
    """The schema of one spec of the tree (recursively): its own rules, its fields or items."""
    if id(spec) in above:  # a fragment that holds itself: accept anything below
        return {}
    above = above | {id(spec)}
    mode = writing.endpoint.mode
    out: dict[str, Any] = {}
    entries: list[dict[str, Any]] = []
    constraints: list[dict[str, Any]] = []
    hints: dict[str, Any] = {}
    rules = [rule for rule in spec.rules if rule.applies_in(mode)]
    preempting: Rule | None = None
    for rule in rules:
        writer = WRITERS.get(rule.check or "")
        result = writer(rule.args) if writer is not None else "a check ixrules does not write"
        if rule.needs:
            why = f"needs the context's {', '.join(rule.needs)}"
        elif rule.when is not None:
            why = f"checked only when its guard ({rule.when[0]}) holds"
        elif rule.severity != "error":
            why = "a warning: the API accepts the value"
        elif preempting is not None:
            why = f"not checked when the warning {preempting.id} before it fails"
        else:
            why = result if isinstance(result, str) else ""
        if why:
            entries.append(writing.entry(rule, path, "no", why))
        else:
            assert isinstance(result, Expressed)
            if result.exact:
                entries.append(writing.entry(rule, path, "exact"))
            else:
                looser = {"looser_for": list(result.looser_for)}
                entries.append(writing.entry(rule, path, "looser", result.note, **looser))
            constraints.append(_rule_schema(rule, result, writing))
        if rule.severity != "error" and rule.stop and preempting is None:
            preempting = rule
        if isinstance(result, Expressed):
            hints = {**result.hints, **hints}
    if required is not None:
        note = "a missing key, null and false are refused"
        entries.insert(0, writing.entry(required, path, "exact", note, required=True))
        constraints.insert(
            0,
            {
                "x-ixrules-rule": required.id,
                "not": ABSENT,
                "errorMessage": writing.ajv_message(required),
            },
        )
    description = _description(spec, rules)
    if description:
        out["description"] = description
    out.update(hints)
    if constraints:
        out["allOf"] = constraints
    if spec.fields is not None:
        properties: dict[str, Any] = {}
        names: list[str] = []
        messages: dict[str, str] = {}
        for name, child in spec.fields.items():
            needed = child.required
            if needed is not None and not (mode != "update" and needed.applies_in(mode)):
                needed = None
            properties[name] = _node(child, f"{path}/{name}", writing, above, needed)
            if needed is not None:
                names.append(name)
                messages[name] = writing.ajv_message(needed)
        out["properties"] = properties
        if names:
            out["required"] = names
            out["errorMessage"] = {"required": messages}
        if not spec.open and writing.unknown is not None:
            note = "a warning: the API drops the key without refusing the body"
            entries.append(writing.entry(writing.unknown, path, "no", note))
    if spec.each is not None:
        out["items"] = _node(spec.each, f"{path}/*", writing, above, None)
    if spec.invalid is not None:
        note = "refused whenever something inside is refused"
        entries.append(writing.entry(spec.invalid, path, "implied", note))
    if entries:
        out["x-ixrules"] = {"rules": entries}
    return out


def json_schema(rules: Rules, endpoint: str, *, locale: str | None = None) -> dict[str, Any]:
    """The JSON Schema (Draft 2020-12) of ``endpoint``'s bodies, messages in ``locale``'s
    language; see the module's docstring for what it says and what it leaves to ixrules."""
    spec = rules.endpoint(endpoint)
    writing = _Writing(spec, locale, rules.ruleset.rules.get(UNKNOWN_KEY_RULE))
    body = _node(spec.body, "", writing, frozenset(), None)
    title = f"{spec.name}: {spec.method} {spec.route}"
    out: dict[str, Any] = {"$schema": DIALECT, "title": title}
    if spec.doc:
        out["description"] = spec.doc.strip()
    out["type"] = "object"
    if spec.wrapped:
        rooted = {"type": "object", **body}
        out["properties"] = {root: rooted for root in spec.roots}
        if len(spec.roots) == 1:
            out["required"] = list(spec.roots)
        else:
            out["oneOf"] = [{"required": [root]} for root in spec.roots]
    else:
        out.update({key: value for key, value in body.items() if key != "x-ixrules"})
    out["x-ixrules"] = {
        "endpoint": spec.name,
        "method": spec.method,
        "route": spec.route,
        "mode": spec.mode,
        "not_expressed": writing.not_expressed,
        "warnings": writing.warnings,
        **(
            {"rules": body["x-ixrules"]["rules"]}
            if not spec.wrapped and "x-ixrules" in body
            else {}
        ),
    }
    return out


def dumps(schema: Any, indent: str = "") -> str:
    """A schema as indented JSON, with lists of plain values on one line (an enum, a list of
    required keys) so the file reads well in an editor.

    >>> print(dumps({"enum": [None, False], "not": {"type": "array"}}))
    {
      "enum": [null, false],
      "not": {"type": "array"}
    }
    """
    import json

    inner = indent + "  "
    plain = isinstance(schema, Mapping) and all(
        not isinstance(value, (Mapping, list))
        or (isinstance(value, list) and not any(isinstance(v, (Mapping, list)) for v in value))
        for value in schema.values()
    )
    if plain and schema:
        line = json.dumps(schema, ensure_ascii=False, separators=(", ", ": "))
        if len(line) + len(indent) <= 100:
            return line
    if isinstance(schema, Mapping) and schema:
        items = [
            f"{inner}{json.dumps(key)}: {dumps(value, inner)}" for key, value in schema.items()
        ]
        return "{\n" + ",\n".join(items) + "\n" + indent + "}"
    if isinstance(schema, list) and schema:
        if all(not isinstance(item, (Mapping, list)) for item in schema):
            return "[" + ", ".join(json.dumps(item, ensure_ascii=False) for item in schema) + "]"
        return (
            "[\n" + ",\n".join(inner + dumps(item, inner) for item in schema) + "\n" + indent + "]"
        )
    return json.dumps(schema, ensure_ascii=False)
