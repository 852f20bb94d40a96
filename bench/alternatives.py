"""What a user would write instead of ixrules: the same rules by hand, as a Cerberus schema and
as a JSON Schema (Draft 2020-12), each used the way its documentation shows.

They check what ixrules checks on these endpoints, as far as each tool can say it: numbers as
JSON numbers or numeric strings, dd/mm/yyyy dates, the due date not before the date, required
fields, e-mail addresses, the API's country names and units. JSON Schema cannot compare two
fields (due date vs date) or put a range on a numeric string, so its schema is a little less
strict, never more; that only flatters it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from cerberus import Validator
from jsonschema import Draft202012Validator

from ixrules.data.countries import COUNTRY_NAMES

UNITS = ["service", "unit", "hour", "day", "month", "other"]
COUNTRIES = list(COUNTRY_NAMES)
EMAIL = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"

# --- Cerberus -----------------------------------------------------------------------------


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return None
    return None


def _date(value: Any) -> dt.date | None:
    try:
        return dt.datetime.strptime(value, "%d/%m/%Y").date()
    except (TypeError, ValueError):
        return None


CheckWith = Callable[[str, Any, Callable[..., None]], None]


def check(test: Callable[[Any], bool], message: str) -> CheckWith:
    """A ``check_with`` function, as Cerberus' docs write them."""

    def check_with(field: str, value: Any, error: Callable[..., None]) -> None:
        if not test(value):
            error(field, message)

    return check_with


number = check(lambda v: _number(v) is not None, "must be a number")
positive = check(lambda v: (_number(v) or 0) > 0, "must be a number greater than 0")
retention = check(lambda v: 0 <= (_number(v) or -1) <= 99.99, "must be between 0 and 99.99")
date = check(lambda v: _date(v) is not None, "is not valid")
send_options = check(lambda v: (_number(v) or 0) in (1, 2, 3), "must be within 1 and 3")


def due_after_date(field: str, value: Any, error: Callable[..., None]) -> None:
    first, second = _date(value.get("date")), _date(value.get("due_date"))
    if first and second and second < first:
        error(field, "due date must be later than date")


CERBERUS_CLIENT = {
    "name": {"type": "string", "required": True, "empty": False},
    "code": {"type": "string", "nullable": True},
    "email": {"type": "string", "nullable": True, "regex": EMAIL},
    "country": {"type": "string", "nullable": True, "allowed": COUNTRIES},
}
CERBERUS_LINE = {
    "type": "dict",
    "allow_unknown": True,
    "schema": {
        "name": {"type": "string", "required": True, "empty": False},
        "quantity": {"required": True, "check_with": positive},
        "unit_price": {"required": True, "check_with": number},
        "unit": {"type": "string", "nullable": True, "allowed": UNITS},
        "discount": {"nullable": True, "check_with": number},
    },
}
CERBERUS = {
    "invoice": {
        "invoice": {
            "type": "dict",
            "required": True,
            "allow_unknown": True,
            "check_with": due_after_date,
            "schema": {
                "date": {"type": "string", "nullable": True, "check_with": date},
                "due_date": {"type": "string", "nullable": True, "check_with": date},
                "retention": {"nullable": True, "check_with": retention},
                "client": {
                    "type": "dict",
                    "required": True,
                    "allow_unknown": True,
                    "schema": CERBERUS_CLIENT,
                },
                "items": {
                    "type": "list",
                    "required": True,
                    "minlength": 1,
                    "schema": CERBERUS_LINE,
                },
            },
        }
    },
    "client": {
        "client": {
            "type": "dict",
            "required": True,
            "allow_unknown": True,
            "schema": {
                **CERBERUS_CLIENT,
                "code": {"type": "string", "required": True},
                "language": {"type": "string", "nullable": True, "allowed": ["en", "pt", "es"]},
                "send_options": {"nullable": True, "check_with": send_options},
                "preferred_contact": {
                    "type": "dict",
                    "nullable": True,
                    "allow_unknown": True,
                    "schema": {"email": {"type": "string", "nullable": True, "regex": EMAIL}},
                },
            },
        }
    },
    "item": {
        "item": {
            "type": "dict",
            "required": True,
            "allow_unknown": True,
            "schema": {
                "name": {"type": "string", "required": True, "empty": False},
                "description": {"type": "string", "required": True},
                "unit_price": {"required": True, "check_with": number},
                "unit": {"type": "string", "nullable": True, "allowed": UNITS},
                "tax": {"type": "dict", "nullable": True, "allow_unknown": True},
            },
        }
    },
}


def cerberus_validator(name: str) -> Callable[[Any], Any]:
    """Validate with a reused Validator, defaults as documented (normalization on); the errors
    are read, since a caller wants them."""
    validator = Validator(CERBERUS[name], allow_unknown=True)

    def run(body: Any) -> Any:
        return validator.validate(body) or validator.errors

    return run


# --- JSON Schema --------------------------------------------------------------------------

NUMBER = r"^\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*$"
POSITIVE = r"^\s*\+?(0*[1-9]\d*(\.\d*)?|0*\.\d*[1-9]\d*)([eE][+-]?\d+)?\s*$"
DATE = r"^\d{1,2}/\d{1,2}/\d{4}$"


def _opt(schema: dict[str, Any]) -> dict[str, Any]:
    """Null allowed, as ixrules allows it."""
    return {"anyOf": [{"type": "null"}, schema]}


JSON_NUMBER = {"type": ["number", "string"], "pattern": NUMBER}
JSON_EMAIL = {"type": ["string", "null"], "format": "email"}
JSON_CLIENT: dict[str, Any] = {
    "type": "object",
    "required": ["name"],
    "properties": {
        "name": {"type": "string", "minLength": 1},
        "code": {"type": ["string", "null"]},
        "email": JSON_EMAIL,
        "country": _opt({"enum": COUNTRIES}),
    },
}
JSON_LINE = {
    "type": "object",
    "required": ["name", "quantity", "unit_price"],
    "properties": {
        "name": {"type": "string", "minLength": 1},
        "quantity": {"type": ["number", "string"], "exclusiveMinimum": 0, "pattern": POSITIVE},
        "unit_price": JSON_NUMBER,
        "unit": _opt({"enum": UNITS}),
        "discount": _opt(JSON_NUMBER),
    },
}
JSONSCHEMA: dict[str, dict[str, Any]] = {
    "invoice": {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "required": ["invoice"],
        "properties": {
            "invoice": {
                "type": "object",
                "required": ["client", "items"],
                "properties": {
                    "date": {"type": ["string", "null"], "pattern": DATE},
                    "due_date": {"type": ["string", "null"], "pattern": DATE},
                    "retention": _opt({**JSON_NUMBER, "minimum": 0, "maximum": 99.99}),
                    "client": JSON_CLIENT,
                    "items": {"type": "array", "minItems": 1, "items": JSON_LINE},
                },
            }
        },
    },
    "client": {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "required": ["client"],
        "properties": {
            "client": {
                **JSON_CLIENT,
                "required": ["name", "code"],
                "properties": {
                    **JSON_CLIENT["properties"],
                    "language": _opt({"enum": ["en", "pt", "es"]}),
                    "send_options": _opt({"enum": ["1", "2", "3", 1, 2, 3]}),
                    "preferred_contact": _opt(
                        {
                            "type": "object",
                            "properties": {
                                "email": {"type": ["string", "null"], "format": "email"}
                            },
                        }
                    ),
                },
            }
        },
    },
    "item": {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "required": ["item"],
        "properties": {
            "item": {
                "type": "object",
                "required": ["name", "description", "unit_price"],
                "properties": {
                    "name": {"type": "string", "minLength": 1},
                    "description": {"type": "string"},
                    "unit_price": JSON_NUMBER,
                    "unit": _opt({"enum": UNITS}),
                    "tax": _opt({"type": "object"}),
                },
            }
        },
    },
}


def jsonschema_validator(name: str) -> Callable[[Any], Any]:
    """Validate with a reused Draft 2020-12 validator (formats asserted, so e-mails are
    checked) and collect every error with ``iter_errors``."""
    schema = JSONSCHEMA[name]
    Draft202012Validator.check_schema(schema)
    validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)

    def run(body: Any) -> Any:
        return list(validator.iter_errors(body))

    return run


def fastjsonschema_validator(name: str) -> Callable[[Any], Any] | None:
    """The same JSON Schema compiled to Python by fastjsonschema (draft 7, its newest: the
    schema uses nothing draft 2020-12 added); it stops at the first error, as it is built to."""
    try:
        import fastjsonschema
    except ImportError:
        return None
    schema = {key: value for key, value in JSONSCHEMA[name].items() if key != "$schema"}
    validate = fastjsonschema.compile(schema)

    def run(body: Any) -> Any:
        try:
            validate(body)
        except fastjsonschema.JsonSchemaValueException as exc:
            return [exc.message]
        return []

    return run


def jsonschema_rs_validator(name: str) -> Callable[[Any], Any] | None:
    """The same JSON Schema with jsonschema-rs (Rust), formats asserted, every error listed."""
    try:
        import jsonschema_rs
    except ImportError:
        return None
    validator = jsonschema_rs.Draft202012Validator(JSONSCHEMA[name], validate_formats=True)

    def run(body: Any) -> Any:
        return [error.message for error in validator.iter_errors(body)]

    return run


# --- pydantic v2 and msgspec: the same checks as models ------------------------------------


def pydantic_validator(name: str) -> Callable[[Any], Any] | None:
    """The same checks as pydantic v2 models (lax mode reads numeric strings as numbers, as the
    API does), ``EmailStr`` for addresses (email-validator, as ixrules), the date order as a
    model validator; every error collected."""
    try:
        from pydantic_models import MODELS, ValidationError
    except ImportError:
        return None
    model = MODELS[name]

    def run(body: Any) -> Any:
        try:
            model.model_validate(body)
        except ValidationError as exc:
            return exc.errors()
        return []

    return run


def msgspec_validator(name: str) -> Callable[[Any], Any] | None:
    """The same checks as msgspec Structs, converted from the parsed body (``strict=False``
    reads numeric strings as numbers); it stops at the first error."""
    try:
        import msgspec
        from msgspec_models import STRUCTS
    except ImportError:
        return None
    struct = STRUCTS[name]

    def run(body: Any) -> Any:
        try:
            msgspec.convert(body, struct, strict=False)
        except msgspec.ValidationError as exc:
            return [str(exc)]
        return []

    return run
