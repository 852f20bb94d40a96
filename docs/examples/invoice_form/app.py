"""A form backend with ixrules: one invoice form whose errors are shown under the fields they
are about, in the language the user picks, before anything is sent to InvoiceXpress.

Run it from the top of the source tree (with Flask installed):

    flask --app docs/examples/invoice_form/app.py run

The form posts bracketed names (``invoice[items][0][unit_price]``); ``body_from_form`` turns them
into the API body, reading numbers the user's way (``1.234,56`` in Portuguese), ``validate``
checks it in the user's language, and ``Report.by_field`` keys the messages by those same names.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from flask import Flask, render_template, request

import ixrules
from ixrules.forms import FormError, body_from_form

ENDPOINT = "invoices.create"
#: The languages the form offers, and the locale its numbers are written in.
LOCALES = {"en": "en_GB", "pt": "pt_PT", "es": "es_ES"}
#: The app's own words (the error messages come from ixrules).
TEXT = {
    "en": {
        "title": "New invoice",
        "date": "Date",
        "due_date": "Due date",
        "client": "Client",
        "name": "Name",
        "email": "Email",
        "country": "Country",
        "items": "Items",
        "quantity": "Quantity",
        "unit_price": "Unit price",
        "unit": "Unit",
        "discount": "Discount (%)",
        "send": "Check",
        "valid": "The invoice is valid: ready to send to InvoiceXpress.",
    },
    "pt": {
        "title": "Nova fatura",
        "date": "Data",
        "due_date": "Data de vencimento",
        "client": "Cliente",
        "name": "Nome",
        "email": "Email",
        "country": "País",
        "items": "Itens",
        "quantity": "Quantidade",
        "unit_price": "Preço unitário",
        "unit": "Unidade",
        "discount": "Desconto (%)",
        "send": "Verificar",
        "valid": "A fatura é válida: pronta a enviar para o InvoiceXpress.",
    },
    "es": {
        "title": "Nueva factura",
        "date": "Fecha",
        "due_date": "Fecha de vencimiento",
        "client": "Cliente",
        "name": "Nombre",
        "email": "Email",
        "country": "País",
        "items": "Artículos",
        "quantity": "Cantidad",
        "unit_price": "Precio unitario",
        "unit": "Unidad",
        "discount": "Descuento (%)",
        "send": "Comprobar",
        "valid": "La factura es válida: lista para enviar a InvoiceXpress.",
    },
}
#: Item rows the form always offers (empty rows are left out of the body).
ROWS = 3


def create_app() -> Flask:
    """The Flask application (a factory, so tests get a fresh one)."""
    app = Flask(__name__, root_path=str(Path(__file__).resolve().parent))

    @app.get("/")
    def new_invoice() -> str:
        return page(language(request.args.get("lang")), {}, {})

    @app.post("/")
    def check_invoice() -> tuple[str, int]:
        lang = language(request.form.get("lang"))
        fields = [(name, value) for name, value in request.form.items(multi=True)]
        fields = [(name, value) for name, value in fields if name.startswith("invoice[")]
        try:
            body = body_from_form(fields, locale=LOCALES[lang], endpoint=ENDPOINT, drop_blank=True)
        except FormError as error:  # a hand-made post with broken names
            return page(lang, {}, {"": [str(error)]}), 400
        body.setdefault("invoice", {})
        report = ixrules.validate(body, ENDPOINT, locale=lang)
        return page(lang, body, report.by_field(), sent=body if report.ok else None), report.status

    return app


def language(value: str | None) -> str:
    """The user's choice of language, English unless it is one the form offers."""
    return value if value in LOCALES else "en"


def page(lang: str, body: dict[str, Any], errors: dict[str, list[str]], sent: Any = None) -> str:
    """The form, filled in with ``body`` and each field's messages under it."""
    items = body.get("invoice", {}).get("items", [])
    return render_template(
        "invoice.html",
        lang=lang,
        languages=list(LOCALES),
        text=TEXT[lang],
        values=flatten(body),
        errors=errors,
        rows=range(max(ROWS, len(items) if isinstance(items, list) else 0)),
        sent=json.dumps(sent, indent=2, ensure_ascii=False) if sent is not None else None,
    )


def flatten(value: Any, name: str = "") -> dict[str, Any]:
    """The body's values by form field name, to fill the form in again."""
    if isinstance(value, dict):
        pairs = value.items()
    elif isinstance(value, list):
        pairs = ((str(index), item) for index, item in enumerate(value))
    else:
        return {name: value}
    out: dict[str, Any] = {}
    for key, item in pairs:
        out.update(flatten(item, f"{name}[{key}]" if name else str(key)))
    return out


app = create_app()
