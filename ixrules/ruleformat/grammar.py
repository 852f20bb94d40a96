"""The rule format's grammar as data: for each kind of node its keys and the types their values
must have, the values some keys take, and the format's limits; with the checks that hold a node
to it (:func:`check_keys`, :func:`valid_rule_id`, :func:`check_message`). The docs' tables of
keys are tested against these tables (tests/test_docs.py).
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable, Mapping

from .errors import RuleFileError
from .reading import YMap, line_of

__all__ = [
    "ACTION_KEYS",
    "ACTION_ROUTES",
    "ENDPOINT_KEYS",
    "ERROR_SHAPES",
    "EXTENSION_KEYS",
    "FIELD_KEYS",
    "FILE_KEYS",
    "LANGUAGE_CODE",
    "MAX_FIELD_DEPTH",
    "MODES",
    "PACK_ACTION_KEYS",
    "PACK_RULE_KEYS",
    "PLACEHOLDERS",
    "PLUGIN_GROUP",
    "RULE_KEYS",
    "RULE_REQUIRED",
    "RULE_STATUSES",
    "WHEN_KEYS",
    "check_keys",
    "check_message",
    "valid_rule_id",
]

#: A rule file's top level.
FILE_KEYS: dict[str, tuple[type, ...]] = {
    "rules": (list,),
    "fragments": (dict,),
    "endpoints": (list,),
    "doc": (str,),
}
#: A field spec (a fragment, a ``fields`` entry, an ``each``, a sibling, an ``extend``).
FIELD_KEYS: dict[str, tuple[type, ...]] = {
    "use": (str,),
    "required": (str, dict),
    "rules": (list,),
    "fields": (dict,),
    "each": (dict,),
    "invalid": (dict,),
    "kind": (str,),
    "open": (bool,),
    "doc": (str,),
}
#: A rule.
RULE_KEYS: dict[str, tuple[type, ...]] = {
    "id": (str,),
    "message": (str,),
    "check": (str,),
    "args": (dict,),
    "when": (dict,),
    "needs": (list,),
    "modes": (list,),
    "at": (str,),
    "source": (str,),
    "status": (int,),
    "stop": (bool,),
    "severity": (str,),
    "doc": (str,),
    "example": (dict,),
}
#: The keys every rule gives.
RULE_REQUIRED = ("id", "message")
#: What a pack's rule may say besides: its own translations, and that it replaces a rule.
PACK_RULE_KEYS = {**RULE_KEYS, "message": (str, dict), "override": (bool,)}
#: A rule's ``when``: the check that must pass for the rule to be checked.
WHEN_KEYS: dict[str, tuple[type, ...]] = {"check": (str,), "args": (dict,)}
#: An ``endpoints`` entry.
ENDPOINT_KEYS: dict[str, tuple[type, ...]] = {
    "paths": (list,),
    "root": (str,),
    "unwrapped": (bool,),
    "actions": (dict,),
    "doc": (str,),
}
#: An entry's action.
ACTION_KEYS: dict[str, tuple[type, ...]] = {
    "body": (str,),
    "mode": (str,),
    "route": (str,),
    "status": (int,),
    "error_shape": (str,),
    "root": (str,),
    "siblings": (dict,),
    "doc": (str,),
}
#: What a pack's action may say besides: fields and rules added to its body.
PACK_ACTION_KEYS = {**ACTION_KEYS, "extend": (dict,)}
#: What an action of an endpoint that is already defined may say in a pack: only what it adds.
EXTENSION_KEYS = frozenset({"extend", "doc"})

#: The modes of an action (and of a rule's ``modes``).
MODES = ("create", "update", "action")
#: The statuses a rule may predict: 422 (validation), 404, 406 and 415 (routes, states, media
#: types), and 500 for a value the API is recorded to fail on without a message.
RULE_STATUSES = (422, 404, 406, 415, 500)
#: The shapes of the API's error answers an action may declare.
ERROR_SHAPES = ("errors", "message")
#: The placeholders a message may use.
PLACEHOLDERS = frozenset({"value"})
#: How a pack's message names the language of a translation.
LANGUAGE_CODE = re.compile(r"[a-z]{2,3}")
#: How deep field specs may nest, counting each ``use`` of a fragment: deeper is no body the API
#: takes, and building (and walking) the specs recurses once per level.
MAX_FIELD_DEPTH = 100
#: The entry point group of plugin checks.
PLUGIN_GROUP = "ixrules.checks"

#: How each action is routed when the rule file does not say: method, route, success status.
ACTION_ROUTES: dict[str, tuple[str, str, int]] = {
    "create": ("POST", "/{path}.json", 201),
    "update": ("PUT", "/{path}/{id}.json", 200),
    "change_state": ("PUT", "/{path}/{id}/change-state.json", 200),
    "email": ("PUT", "/{path}/{id}/email-document.json", 200),
}

#: How an error names a value type.
_TYPE_NAMES = {
    str: "a string",
    dict: "a mapping",
    list: "a list",
    int: "an integer",
    bool: "a boolean",
}


def check_keys(
    file: str,
    node: YMap,
    allowed: Mapping[str, tuple[type, ...]],
    kind: str,
    required: Iterable[str] = (),
) -> None:
    """Raise for the first key of ``node`` that ``allowed`` does not have or whose value is of
    another type (a boolean is no integer), then for a ``required`` key it lacks."""
    for key, value in node.items():
        if key not in allowed:
            known = ", ".join(sorted(allowed))
            raise RuleFileError(
                file, line_of(node, key), f"unknown key {key!r} in {kind} (known: {known})"
            )
        types = allowed[key]
        if (isinstance(value, bool) and bool not in types) or not isinstance(value, types):
            want = " or ".join(_TYPE_NAMES.get(t, t.__name__) for t in types)
            raise RuleFileError(
                file, line_of(node, key), f"{kind} key {key!r} must be {want}, not {value!r}"
            )
    for key in required:
        if key not in node:
            raise RuleFileError(file, line_of(node), f"{kind} lacks the required key {key!r}")


def valid_rule_id(rule_id: str) -> bool:
    """Whether ``rule_id`` is dotted lower-case words (two at least, each starting with a
    letter).

    >>> [valid_rule_id(x) for x in ("item.name.required", "item", "Item.name", "item.2nd")]
    [True, False, False, False]
    """
    parts = rule_id.split(".")
    return len(parts) >= 2 and all(
        part and part[0].isalpha() and all(c.islower() or c.isdigit() or c == "_" for c in part)
        for part in parts
    )


def check_message(file: str, node: YMap) -> tuple[str, dict[str, str]]:
    """The rule's English message, and its own translations by language."""
    value = node["message"]
    line = line_of(node, "message")
    if not isinstance(value, YMap):
        _check_template(file, line, value)
        return value, {}
    for language, text in value.items():
        where = line_of(value, language)
        if not LANGUAGE_CODE.fullmatch(language):
            raise RuleFileError(
                file, where, f"message language {language!r} must be a code such as en, pt, es"
            )
        if not isinstance(text, str):
            raise RuleFileError(file, where, f"message in {language!r} must be a string")
        _check_template(file, where, text)
    if "en" not in value:
        raise RuleFileError(file, line, "message lacks its English text ('en')")
    return value["en"], {key: text for key, text in value.items() if key != "en"}


def _check_template(file: str, line: int, message: str) -> None:
    if not message:
        raise RuleFileError(file, line, "message must not be empty")
    try:
        fields = [field for field in string.Formatter().parse(message) if field[1] is not None]
    except ValueError as exc:
        raise RuleFileError(file, line, f"message is not a valid template: {exc}") from None
    names = {name for _, name, _, _ in fields if name is not None}
    for _, name, spec, conversion in fields:
        if name in PLACEHOLDERS and (spec or conversion):
            shown = (
                "{"
                + name
                + (f"!{conversion}" if conversion else "")
                + (f":{spec}" if spec else "")
                + "}"
            )
            raise RuleFileError(
                file, line, f"message placeholder {shown} takes no format: write {{{name}}}"
            )
    unknown = names - PLACEHOLDERS
    if unknown:
        raise RuleFileError(
            file,
            line,
            f"message uses unknown placeholder(s) {sorted(unknown)}; only {{value}} exists",
        )
