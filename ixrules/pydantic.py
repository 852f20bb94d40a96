"""pydantic v2 and FastAPI: a request body validated by ixrules, with the API's messages.

``IXBody`` is an ``Annotated`` marker for a ``dict`` field or a whole request body. After
pydantic has checked that the value is a dict, ixrules validates it for the endpoint; its
errors become one ``pydantic_core.ValidationError`` whose errors each have ``loc`` from the
issue's path, ``msg`` the API's exact message and ``type`` the rule id, so FastAPI's 422
answer carries them. Warnings never fail validation. The field's JSON Schema is the one
``Rules.json_schema`` exports, so FastAPI's OpenAPI page documents the body with it.

>>> from typing import Annotated, Any
>>> from pydantic import BaseModel, ValidationError
>>> class Order(BaseModel):
...     body: Annotated[dict[str, Any], IXBody("invoices.update")]
>>> try:
...     Order(body={"invoice": {"items": [{"name": "Pen", "unit": "kg"}]}})
... except ValidationError as exc:
...     [(e["loc"], e["msg"], e["type"]) for e in exc.errors()]
[(('body', 'invoice', 'items'), 'Invoice items is invalid', 'document.items.invalid'),
 (('body', 'invoice', 'items', 0, 'unit'),
  'Unit kg is not included in the list of accepted units', 'item.unit.accepted')]

The locale and the context snapshot come from the marker, or per call from pydantic's
validation context (``{"locale": "pt", "ixrules_context": {...}}``), which wins.

An error's ``input`` never holds a number JSON cannot write: Python's ``json`` (which FastAPI
reads bodies with) takes ``NaN``, ``Infinity`` and ``1e400``, and the JSON response would then
fail with a 500 instead of the 422. They are written as the strings ``"NaN"``, ``"Infinity"``
and ``"-Infinity"`` (see :func:`finite`, which an error handler can use for pydantic's own
errors too).

Needs the ``pydantic`` extra: ``pip install 'ixrules[pydantic]'``.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import pydantic_core
from pydantic_core import PydanticCustomError, core_schema

from .context import check_context
from .values import pointer_parts

if TYPE_CHECKING:
    from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler
    from pydantic.json_schema import JsonSchemaValue

    from .api import Rules
    from .report import Report

#: Keys of pydantic's validation context that ixrules reads.
LOCALE_KEY = "locale"
CONTEXT_KEY = "ixrules_context"

logger = logging.getLogger("ixrules.pydantic")


class IXBody:
    """Validate an annotated ``dict`` as the body of ``endpoint`` (``"invoices.create"``), with
    an optional context snapshot, locale, and rule set (the shipped rules by default).

    With ``fix=True`` (opt-in) the safe fixes (:func:`ixrules.fix`: ``"PT"`` -> ``"Portugal"``,
    ``12.5`` -> ``"12.5"``, ``2026-05-01`` -> ``01/05/2026``) are applied first, each logged
    (logger ``ixrules.pydantic``, level INFO), and the validated value is the fixed body (a new
    object: the input is never changed); unsafe fixes are never applied here."""

    __slots__ = ("context", "endpoint", "fix", "locale", "rules")

    def __init__(
        self,
        endpoint: str,
        *,
        context: Mapping[str, Any] | None = None,
        locale: str | None = None,
        rules: Rules | None = None,
        fix: bool = False,
    ) -> None:
        if context is not None:
            check_context(context)  # a misspelt key fails here, not as a client's 422
        self.endpoint = endpoint
        self.context = context
        self.locale = locale
        self.rules = rules
        self.fix = fix

    def __repr__(self) -> str:
        return f"IXBody({self.endpoint!r})"

    def _rules(self) -> Rules:
        if self.rules is not None:
            return self.rules
        from .api import default_rules

        return default_rules()

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        self._rules().endpoint(self.endpoint)  # an unknown endpoint fails at class definition
        return core_schema.with_info_after_validator_function(self._validate, handler(source))

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        exported = self._rules().json_schema(self.endpoint, locale=self.locale)
        exported.pop("$schema", None)  # embedded in a document that has its own dialect
        return exported

    def _validate(self, value: Any, info: core_schema.ValidationInfo) -> Any:
        given = info.context if isinstance(info.context, Mapping) else {}
        locale = given.get(LOCALE_KEY, self.locale)
        context = given.get(CONTEXT_KEY, self.context)
        from .endpoint_lookup import BodyError

        try:
            if self.fix:
                value, report = self._fixed(value, context, locale)
            else:
                report = self._rules().validate(
                    value, self.endpoint, context=context, locale=locale
                )
        except BodyError as exc:
            error: pydantic_core.InitErrorDetails = {
                "type": PydanticCustomError("ixrules.body", str(exc)),
                "loc": (),
                "input": finite(value),
            }
            raise pydantic_core.ValidationError.from_exception_data(
                self.endpoint, [error]
            ) from None
        if report.errors:
            raise validation_error(report, value)
        return value

    def _fixed(self, value: Any, context: Any, locale: Any) -> tuple[Any, Report]:
        """The body with its safe fixes applied (each logged), and the report of it."""
        from .fixes.engine import fix

        result = fix(value, self.endpoint, context=context, locale=locale, rules=self._rules())
        for edit in result.fixes:
            logger.info(
                "%s: fixed %s: %r -> %r (%s)",
                self.endpoint,
                edit.path,
                edit.before,
                edit.after,
                edit.rule,
            )
        return (result.body if result.fixes else value), result.report


def validation_error(report: Report, body: Any) -> pydantic_core.ValidationError:
    """A report's errors as one ``ValidationError`` (``loc`` from each issue's path, ``msg``
    its message, ``type`` its rule id); its warnings are left out."""
    errors: list[pydantic_core.InitErrorDetails] = []
    for issue in report.errors:
        loc = _loc(body, issue.path)
        errors.append(
            {
                # no context: pydantic leaves the message as it is, braces and all
                "type": PydanticCustomError(issue.rule or "ixrules", issue.message),
                "loc": loc,
                "input": finite(_at(body, loc)),
            }
        )
    return pydantic_core.ValidationError.from_exception_data(report.endpoint or "ixrules", errors)


def _loc(body: Any, path: str) -> tuple[str | int, ...]:
    """The path's tokens, with list indexes as integers (as pydantic writes them)."""
    loc: list[str | int] = []
    node = body
    for part in pointer_parts(path):
        if isinstance(node, list) and part.isdigit():
            index = int(part)
            loc.append(index)
            node = node[index] if index < len(node) else None
        else:
            loc.append(part)
            node = node.get(part) if isinstance(node, Mapping) else None
    return tuple(loc)


def _at(body: Any, loc: tuple[str | int, ...]) -> Any:
    node = body
    for part in loc:
        if isinstance(node, list) and isinstance(part, int) and part < len(node):
            node = node[part]
        elif isinstance(node, Mapping):
            node = node.get(part)
        else:
            return None
    return node


_SPELLINGS = {"nan": "NaN", "inf": "Infinity", "-inf": "-Infinity"}


def finite(value: Any) -> Any:
    """``value`` with every float that is not finite (``NaN``, ``±Infinity``: what ``1e400``
    is read as) written as its spelling, a string, so that a JSON response can carry it; the
    dicts, lists and tuples holding one are copied (tuples as lists), nothing else is. Returns
    ``value`` itself when there is none. Iterative, and each container is read once, so any
    depth and cycles are fine.

    >>> finite({"retention": float("nan"), "items": [1e400, -1e400, 2.5]})
    {'retention': 'NaN', 'items': ['Infinity', '-Infinity', 2.5]}
    >>> body = {"a": [1.5]}
    >>> finite(body) is body
    True
    """
    if not _has_nonfinite(value):
        return value
    copies: dict[int, Any] = {}
    root: list[Any] = [None]
    stack: list[tuple[Any, Any, Any]] = [(value, root, 0)]
    while stack:
        item, into, slot = stack.pop()
        if isinstance(item, float) and not math.isfinite(item):
            into[slot] = _SPELLINGS[repr(float(item))]
        elif id(item) in copies:
            into[slot] = copies[id(item)]
        elif isinstance(item, dict):
            mapping: dict[Any, Any] = {}
            copies[id(item)] = into[slot] = mapping
            for key, child in dict.items(item):
                mapping[key] = None
                stack.append((child, mapping, key))
        elif isinstance(item, (list, tuple)):
            children = _items(item)
            array: list[Any] = [None] * len(children)
            copies[id(item)] = into[slot] = array
            stack.extend((child, array, index) for index, child in enumerate(children))
        else:
            into[slot] = item
    return root[0]


def _has_nonfinite(value: Any) -> bool:
    seen: set[int] = set()
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, float):
            if not math.isfinite(item):
                return True
        elif isinstance(item, (dict, list, tuple)) and id(item) not in seen:
            seen.add(id(item))
            stack.extend(dict.values(item) if isinstance(item, dict) else _items(item))
    return False


def _items(array: list[Any] | tuple[Any, ...]) -> list[Any]:
    """A list's or tuple's items through the base type's own methods (a subclass's may lie)."""
    return list(list.__iter__(array) if isinstance(array, list) else tuple.__iter__(array))
