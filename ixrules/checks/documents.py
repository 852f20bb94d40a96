"""Checks on an object that compare its fields: a field given or blank, a client's fiscal
number against its country, a document's tax exemption against its lines."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from ..countries import fold
from ..fiscal import is_valid_pt_nif, vat_country
from ..values import absent, as_number, display
from .contextual import account_not_in
from .registry import NO_CONTEXT, Args, Env, check, context_keys
from .repairs import EXEMPTION_FIX
from .schemaforms import Expressed, blank_value, for_type, looks_like_another_type

TYPE_CHECKING = False  # not typing's: importing typing is a cost of every start
if TYPE_CHECKING:
    from typing import Any

    from .source import Source


def _blank(value: Any) -> bool:
    """Absent (null, false, missing) or a string of blanks."""
    return absent(value) or (isinstance(value, str) and not value.strip())


# --- a field given or blank ---------------------------------------------------------------


def _field_given_form(args: Args) -> Expressed:
    name = str(args["field"])
    keywords = {"required": [name], "properties": {name: {"not": blank_value()}}}
    return Expressed(for_type("object", keywords), typed=False)


def _inline_field_given(args: Args, v: str, source: Source) -> str:
    field, blank = source.const("K", str(args["field"])), source.bind("BLANK_FIELD", _blank)
    return f"((not {blank}({v}.get({field}))) if type({v}) is dict else {source.call(v)})"


@check(
    "field_given",
    inline=_inline_field_given,
    json_schema=_field_given_form,
    reads_numbers=False,
    reads_context=NO_CONTEXT,
)
def field_given(value: Any, env: Env, *, field: str) -> bool:
    """On an object: its ``field`` is present and not blank."""
    return not isinstance(value, Mapping) or not _blank(value.get(field))


@check(
    "field_blank",
    json_schema="reads another field of the object",
    reads_numbers=False,
    reads_context=NO_CONTEXT,
)
def field_blank(value: Any, env: Env, *, field: str) -> bool:
    """On an object (a guard): its ``field`` is blank. On create an absent field is blank too;
    on update absent means unchanged, so only a field sent blank counts."""
    if not isinstance(value, Mapping):
        return False
    if env.mode == "update":
        sent = value.get(field)
        return isinstance(sent, str) and not sent.strip()
    return _blank(value.get(field))


def _given_when_form(args: Args) -> Expressed | str:
    key, equals, name = str(args["key"]), str(args["equals"]), str(args["field"])
    if looks_like_another_type(equals):
        return "a condition that a number or true would also meet"
    keywords = {
        "if": {"type": "object", "required": [key], "properties": {key: {"const": equals}}},
        "then": {
            "type": "object",
            "required": [name],
            "properties": {name: {"not": blank_value()}},
        },
    }
    return Expressed(keywords, typed=False)


@check("given_when", json_schema=_given_when_form, reads_numbers=False, reads_context=NO_CONTEXT)
def given_when(value: Any, env: Env, *, field: str, key: str, equals: str) -> bool:
    """On an object: its ``field`` is present and not blank whenever its ``key`` is ``equals``."""
    if not isinstance(value, Mapping) or display(value.get(key)) != equals:
        return True
    return not _blank(value.get(field))


# --- fiscal numbers -----------------------------------------------------------------------


def _portugal(country: Any) -> bool:
    """The client's country names Portugal, as the ``country`` check reads names: a text longer
    than 64 characters names no country (and folding 10 MB takes a second and a half)."""
    if country == "Portugal":  # how nearly every client writes it: no fold
        return True
    return isinstance(country, str) and len(country) <= 64 and fold(country) == "portugal"


def _nif_applies(value: Mapping[str, Any], country_field: str) -> bool:
    """A NIF is checked for a client of Portugal or of no country (absent or blank)."""
    country = value.get(country_field)
    return _blank(country) or _portugal(country)


@check(
    "pt_nif", json_schema="computes a check digit", reads_numbers=False, reads_context=NO_CONTEXT
)
def pt_nif(value: Any, env: Env, *, field: str, country: str) -> bool:
    """On a client: its ``field`` is a Portuguese NIF with a right check digit (a ``PT`` prefix
    and blanks allowed), when its ``country`` is Portugal or not given. A blank number passes
    (a final consumer), and so does any number of a client of another country."""
    if not (type(value) is dict or isinstance(value, Mapping)) or not _nif_applies(value, country):
        return True
    number = value.get(field)
    if _blank(number) or isinstance(number, bool) or not isinstance(number, (str, int)):
        return True  # none (a final consumer), or not text: the field's kind says so
    return is_valid_pt_nif(number)


@check(
    "vat_of_country",
    json_schema="compares two fields of the object",
    reads_numbers=False,
    reads_context=NO_CONTEXT,
)
def vat_of_country(value: Any, env: Env, *, field: str, country: str) -> bool:
    """On a client of Portugal: its ``field`` is not another EU country's VAT number (``FR...``,
    ``ES...``): the API checks the pair. Clients of other countries, or of none, pass."""
    if not (type(value) is dict or isinstance(value, Mapping)) or not _portugal(value.get(country)):
        return True
    found = vat_country(value.get(field))
    return found is None or found == "PT"


# --- tax exemptions -----------------------------------------------------------------------


def _zero_rated(line: Any, rates: Mapping[str, Any]) -> bool:
    """A document line whose tax the account rates at 0 % (``rates``: name -> rate, the
    context's ``existing.taxes`` as a mapping; names compared without case)."""
    tax = line.get("tax") if isinstance(line, Mapping) else None
    name = tax.get("name") if isinstance(tax, Mapping) else None
    if not isinstance(name, str) or not name.strip():
        return False
    wanted = name.strip().casefold()
    return any(
        isinstance(known, str) and known.strip().casefold() == wanted and as_number(rate) == 0
        for known, rate in rates.items()
    )


def _coded(line: Any, field: str) -> bool:
    """A document line that carries its own exemption code (``field``, the line's
    ``tax_exemption``: where a live account wants it)."""
    return isinstance(line, Mapping) and not _blank(line.get(field))


def _nested_code(line: Any) -> bool:
    """A document line whose exemption code is nested in its tax (``tax.exemption_code``),
    where the API does not read it."""
    tax = line.get("tax") if isinstance(line, Mapping) else None
    return isinstance(tax, Mapping) and not _blank(tax.get("exemption_code"))


def _uncoded(
    document: Mapping[str, Any],
    env: Env,
    field: str,
    items: str,
    countries: Sequence[str],
    exempt: Callable[[Any], bool],
) -> bool:
    """On a document of an account of ``countries`` without a code of its own (``field``): a
    line of ``items`` that ``exempt`` says is exempt has no code of its own either."""
    if account_not_in(document, env, countries=countries) or not _blank(document.get(field)):
        return False
    lines = document.get(items)
    return isinstance(lines, list) and any(
        exempt(line) and not _coded(line, field) for line in lines
    )


@check(
    "exemption_given",
    json_schema="reads the context",
    reads_numbers=False,
    reads_context=context_keys("account.country", "existing.taxes"),
    fix=EXEMPTION_FIX,
)
def exemption_given(
    value: Any, env: Env, *, field: str, items: str, countries: Sequence[str]
) -> bool:
    """On a document of an account of ``countries`` (context ``account.country``): each line
    of ``items`` that names a tax the account rates at 0 % (context ``existing.taxes`` as a
    mapping name -> rate) has an exemption code, on the line (its own ``field``) or on the
    document (``field``): the sources conflict on the place, so both pass. A line whose code
    is only in its tax is ``nested_exemption_given``'s. The API applies
    the account's tax of that name, so the body alone cannot say a line is exempt: without
    the rates nothing is judged."""
    rates = env.context.get("existing.taxes")
    if not isinstance(value, Mapping) or not isinstance(rates, Mapping):
        return True
    return not _uncoded(
        value,
        env,
        field,
        items,
        countries,
        lambda line: _zero_rated(line, rates) and not _nested_code(line),
    )


@check(
    "nested_exemption_given",
    json_schema="reads the context",
    reads_numbers=False,
    reads_context=context_keys("account.country"),
)
def nested_exemption_given(
    value: Any, env: Env, *, field: str, items: str, countries: Sequence[str]
) -> bool:
    """On a document of an account of ``countries``: a line of ``items`` whose only exemption
    code is nested in its tax (``tax.exemption_code``, which the API ignores) is an exempt
    line without a code, unless the document has one (``field``): its sender says it is
    exempt, whatever the rates (``exemption_given`` leaves such lines to this check, so a line
    is judged once)."""
    if not isinstance(value, Mapping):
        return True
    return not _uncoded(value, env, field, items, countries, _nested_code)
