"""Records as the API writes them in its responses (the OpenAPI response schemas, and the
recorded bodies of ``tests/fixtures/responses``): one function per resource."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from . import totals
from .store import Tx

#: What a draft's number reads, by account language (recorded: "rascunho", a Portuguese
#: account; the others are the mock's).
DRAFT_LABEL = {"pt": "rascunho", "es": "borrador"}
DRAFT_DEFAULT = "draft"

#: The currency names the responses give for a code (the API answers with the name).
CURRENCIES = {"EUR": "Euro", "USD": "US Dollar", "GBP": "British Pound"}

CLIENT_FIELDS = (
    "name",
    "code",
    "email",
    "language",
    "address",
    "city",
    "postal_code",
    "country",
    "fiscal_id",
    "website",
    "phone",
    "fax",
    "preferred_contact",
    "observations",
    "send_options",
    "payment_days",
    "tax_exemption_code",
)


def flag(value: Any) -> bool:
    """A flag the API honours: the string "1" (the integer 1 is recorded not honoured)."""
    return isinstance(value, str) and value.strip() == "1"


def client(record: Mapping[str, Any], base_url: str) -> dict[str, Any]:
    """A client (``ClientsGetResponse``)."""
    out: dict[str, Any] = {"id": record["id"]}
    for key in CLIENT_FIELDS:
        if key in record and record[key] is not None:
            out[key] = record[key]
    out.setdefault("send_options", "1")
    out.setdefault("payment_days", "0")
    out["open_account_link"] = f"{base_url}/_mock/clients/{record['id']}/account"
    return out


def document_client(record: Mapping[str, Any] | None) -> dict[str, Any]:
    """The client as a document shows it."""
    if record is None:
        return {}
    out = {"id": record["id"], "name": record.get("name")}
    for key in ("code", "country", "email", "fiscal_id"):
        if record.get(key) not in (None, ""):
            out[key] = record[key]
    return out


def tax(record: Mapping[str, Any]) -> dict[str, Any]:
    """A tax (``TaxesGetResponse``)."""
    return {
        "id": record["id"],
        "name": record.get("name"),
        "value": totals.number(totals.decimal(record.get("value"))),
        "region": record.get("region", ""),
        "code": record.get("code", ""),
        "default_tax": 1 if record.get("default_tax") else 0,
    }


def item(record: Mapping[str, Any]) -> dict[str, Any]:
    """A catalogue item (``ItemsGetResponse``)."""
    out: dict[str, Any] = {
        "id": record["id"],
        "name": record.get("name"),
        "description": record.get("description", ""),
        "unit_price": totals.number(totals.decimal(record.get("unit_price"))),
        "unit": record.get("unit", ""),
    }
    line_tax = record.get("tax")
    if isinstance(line_tax, Mapping):
        rate = totals.decimal(line_tax.get("value"))
        out["tax"] = {
            "name": line_tax.get("name"),
            "value": totals.number(rate),
            "comment": f"tax value:{totals.text(rate)}%",
        }
    return out


#: The document types a sequence numbers, in the order of the API's ``SequenceResponse``.
SEQUENCE_TYPES = (
    "invoice",
    "invoice_receipt",
    "simplified_invoice",
    "credit_note",
    "debit_note",
    "receipt",
    "shipping",
    "transport",
    "devolution",
    "proforma",
    "quote",
    "fees_note",
)


def sequence(record: Mapping[str, Any]) -> dict[str, Any]:
    """A sequence (``SequenceGetResponse``), with each document type's current number."""
    out: dict[str, Any] = {
        "id": record["id"],
        "serie": record.get("serie"),
        "default_sequence": 1 if record.get("default_sequence") else 0,
    }
    numbers = record.get("numbers") or {}
    codes = record.get("codes") or {}
    for kind in SEQUENCE_TYPES:
        out[f"current_{kind}_number"] = numbers.get(kind, 0)
        out[f"current_{kind}_sequence_id"] = record["id"]
        out[f"current_{kind}_validation_code"] = codes.get(kind, "N/A")
    return out


def lines(rows: Sequence[Mapping[str, Any]], global_discount: Any) -> tuple[list[Any], list[Any]]:
    """A document's lines as written, and their amounts."""
    shares = totals.global_shares(rows, global_discount)
    out, amounts = [], []
    for row, share in zip(rows, shares, strict=True):
        line_tax = row.get("tax") if isinstance(row.get("tax"), Mapping) else None
        rate = totals.decimal(line_tax.get("value")) if line_tax else totals.ZERO
        amount = totals.line(
            row.get("unit_price"), row.get("quantity"), row.get("discount"), rate, share
        )
        amounts.append(amount)
        written: dict[str, Any] = {
            "name": row.get("name"),
            "description": row.get("description", ""),
            "unit_price": totals.text(totals.decimal(row.get("unit_price"))),
            "unit": row.get("unit", ""),
            "quantity": totals.text(totals.decimal(row.get("quantity"))),
            "discount": totals.number(totals.decimal(row.get("discount"))),
            "subtotal": totals.number(amount.subtotal),
            "tax_amount": totals.number(amount.tax_amount),
            "discount_amount": totals.number(amount.discount_amount),
            "total": totals.number(amount.total),
        }
        if line_tax:
            written["tax"] = {
                "id": line_tax.get("id"),
                "name": line_tax.get("name"),
                "value": totals.number(rate),
            }
        out.append(written)
    return out, amounts


#: Document attributes written as they were sent (when they were).
_AS_SENT = (
    "reference",
    "observations",
    "tax_exemption",
    "tax_exemption_reason",
    "owner_invoice_id",
    "manual_sequence_number",
    "loaded_at",
    "license_plate",
    "address_from",
    "address_to",
    "load_site",
    "delivery_site",
    "global_discount",
    "rate",
    "plugin_id",
)


def document(
    tx: Tx, record: Mapping[str, Any], type_name: str, language: str, base_url: str
) -> dict[str, Any]:
    """A document of any type (``InvoiceGetResponse``, ``EstimateGetResponse``,
    ``GuideGetResponse``, a receipt)."""
    number = record.get("number")
    serie = record.get("serie") or ""
    if number is None:
        label = DRAFT_LABEL.get(language, DRAFT_DEFAULT)
        sequence_number = inverted = label
        atcud = ""
    else:
        sequence_number, inverted = f"{number}/{serie}", f"{serie}/{number}"
        atcud = record.get("atcud", "N/A")
    client_record = tx.get("client", record["client_id"]) if record.get("client_id") else None
    written, amounts = lines(record.get("lines") or [], record.get("global_discount"))
    out: dict[str, Any] = {
        "id": record["id"],
        "status": record.get("status"),
        "archived": False,
        "type": type_name,
        "sequence_number": sequence_number,
        "inverted_sequence_number": inverted,
        "atcud": atcud,
        "sequence_id": str(record.get("sequence_id", "")),
        "date": record.get("date"),
        "due_date": record.get("due_date"),
        "retention": str(record.get("retention") or "0"),
        "permalink": f"{base_url}/_mock/documents/{record['id']}",
        "saft_hash": record.get("saft_hash", ""),
    }
    for key in _AS_SENT:
        if record.get(key) is not None:
            out[key] = record[key]
    if "amount" in record:  # a receipt: its total is what was paid
        paid = totals.decimal(record["amount"])
        out.update(
            sum=totals.number(paid),
            discount=0,
            before_taxes=totals.number(paid),
            taxes=0,
            total=totals.number(paid),
        )
    else:
        out.update(totals.document(amounts))
    code = record.get("currency_code")
    out["currency"] = CURRENCIES.get(code, code) if isinstance(code, str) and code else "Euro"
    out["client"] = document_client(client_record)
    out["items"] = written
    if record.get("mb_reference") and number is not None:
        out["mb_reference"] = {
            "entity": "10611",
            "reference": _mb_reference(record["id"], number),
            "value": out["total"],
        }
    return out


def _mb_reference(ident: int, number: int) -> str:
    """A made-up Multibanco reference (nine digits in threes), the same for a document."""
    digits = f"{ident % 1000:03d}{number % 1000:03d}{ident // 1000 % 1000:03d}"
    return f"{digits[:3]} {digits[3:6]} {digits[6:]}"


def pagination(total: int, page: int, per_page: int) -> dict[str, int]:
    """The ``pagination`` of a list."""
    return {
        "total_entries": total,
        "current_page": page,
        "total_pages": max(1, -(-total // per_page)),
        "per_page": per_page,
    }
