"""Line amounts and document totals: the mock's own model of the arithmetic.

No source records how the API rounds, so this is a model, chosen to agree with every example
the OpenAPI description gives (a line of 24.3902 at 23 % is 24.39 + 5.61 = 30.00):

- a line's ``subtotal`` is unit price x quantity; its ``discount_amount`` is ``discount`` per
  cent of it; its ``tax_amount`` is the tax rate per cent of what remains; its ``total`` is what
  remains plus the tax. Each is rounded half up to cents on its own.
- a ``global_discount`` (``percentage`` of, or an ``absolute`` amount off, the amount before
  taxes) is spread over the lines in proportion before their tax is computed.
- the document's ``sum``, ``discount``, ``before_taxes``, ``taxes`` and ``total`` are the sums
  of the lines' rounded amounts. ``retention`` (withholding) is not taken off the total.

Values are read as the API reads numbers (a JSON number or a numeric string); what is no number
counts as 0, as a Rails backend reads it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

CENT = Decimal("0.01")
ZERO = Decimal(0)
_MAX_TEXT = 64


def decimal(value: Any, default: Decimal = ZERO) -> Decimal:
    """``value`` as a finite Decimal (a JSON number or numeric string), else ``default``.

    >>> decimal("1.50"), decimal(2), decimal("1,5"), decimal(True), decimal("1e999999")
    (Decimal('1.50'), Decimal('2'), Decimal('0'), Decimal('0'), Decimal('0'))
    """
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        return default
    text = str(value).strip().replace("_", "") if isinstance(value, str) else repr(value)
    if len(text) > _MAX_TEXT:
        return default
    try:
        number = Decimal(text)
    except InvalidOperation:
        return default
    if not number.is_finite() or abs(number.adjusted()) > 15:
        return default if number != 0 else ZERO
    return number


def cents(value: Decimal) -> Decimal:
    """Rounded half up to cents."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def number(value: Decimal) -> float | int:
    """A JSON number for an amount: an integer when whole, else a float."""
    if value == value.to_integral_value():
        return int(value)
    return float(value)


def text(value: Decimal) -> str:
    """An amount written as the API's responses write unit prices and quantities ("1.0")."""
    out = format(value.normalize(), "f") if value else "0"
    return out if "." in out else out + ".0"


@dataclass(frozen=True)
class Line:
    """One line's amounts."""

    subtotal: Decimal
    discount_amount: Decimal
    tax_amount: Decimal
    total: Decimal


def line(
    unit_price: Any, quantity: Any, discount: Any, rate: Decimal, share: Decimal = ZERO
) -> Line:
    """The amounts of one line; ``share`` is its part of a global discount, taken off before
    its tax."""
    subtotal = cents(decimal(unit_price) * decimal(quantity))
    discount_amount = cents(subtotal * decimal(discount) / 100) + cents(share)
    taxable = subtotal - discount_amount
    tax_amount = cents(taxable * rate / 100)
    return Line(subtotal, discount_amount, tax_amount, taxable + tax_amount)


def global_shares(lines: Sequence[Mapping[str, Any]], global_discount: Any) -> list[Decimal]:
    """Each line's part of the document's global discount, in proportion to its amount after
    its own discount."""
    bases = [
        cents(decimal(row.get("unit_price")) * decimal(row.get("quantity")))
        * (1 - decimal(row.get("discount")) / 100)
        for row in lines
    ]
    if not isinstance(global_discount, Mapping):
        return [ZERO] * len(lines)
    value = decimal(global_discount.get("value"))
    kind = global_discount.get("value_type")
    total = sum(bases, ZERO)
    if value <= 0 or total <= 0:
        return [ZERO] * len(lines)
    if kind == "percentage":
        return [base * min(value, Decimal(100)) / 100 for base in bases]
    if kind == "absolute":
        off = min(value, total)
        return [off * base / total for base in bases]
    return [ZERO] * len(lines)


def document(amounts: Sequence[Line]) -> dict[str, float | int]:
    """The document's totals from its lines' amounts."""
    total_sum = sum((a.subtotal for a in amounts), ZERO)
    discount = sum((a.discount_amount for a in amounts), ZERO)
    taxes = sum((a.tax_amount for a in amounts), ZERO)
    return {
        "sum": number(total_sum),
        "discount": number(discount),
        "before_taxes": number(total_sum - discount),
        "taxes": number(taxes),
        "total": number(total_sum - discount + taxes),
    }
