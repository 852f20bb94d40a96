"""The example form backend (docs/examples/invoice_form): real form posts through Flask's test
client, each message shown under the field it is about, in English, Portuguese and Spanish."""

from __future__ import annotations

import importlib.util
from html.parser import HTMLParser
from pathlib import Path
from types import ModuleType
from urllib.parse import urlencode

import pytest
from flask.testing import FlaskClient

APP = Path(__file__).resolve().parent.parent / "docs" / "examples" / "invoice_form" / "app.py"
FORM = "application/x-www-form-urlencoded"


def load_app() -> ModuleType:
    spec = importlib.util.spec_from_file_location("invoice_form_app", APP)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def client() -> FlaskClient:
    app = load_app().create_app()
    app.config["TESTING"] = True
    return app.test_client()


#: Elements without an end tag.
VOID = frozenset({"input", "meta", "br", "link", "img", "hr"})


class Fields(HTMLParser):
    """The page's messages by the field they are shown under: each ``<p class="error">`` belongs
    to the innermost element around it with a ``data-field``."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str | None] = []
        self.errors: dict[str, list[str]] = {}
        self.inputs: list[str] = []
        self.values: dict[str, str] = {}
        self.reading: str | None = None
        self.valid: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "input":
            self.inputs.append(found["name"] or "")
            self.values[found["name"] or ""] = found.get("value") or ""
        if tag in VOID:
            return
        self.stack.append(found.get("data-field"))
        if tag == "p" and found.get("class") == "error":
            self.reading = next(field for field in reversed(self.stack) if field is not None)
        elif tag == "p" and found.get("class") == "valid":
            self.reading = "valid"

    def handle_endtag(self, tag: str) -> None:
        if tag not in VOID:
            self.stack.pop()
        self.reading = None

    def handle_data(self, data: str) -> None:
        if self.reading == "valid":
            self.valid.append(data)
        elif self.reading is not None:
            self.errors.setdefault(self.reading, []).append(data)


def post(client: FlaskClient, pairs: list[tuple[str, str]], status: int) -> Fields:
    response = client.post("/", data=urlencode(pairs), content_type=FORM)
    assert response.status_code == status
    assert response.mimetype == "text/html"
    page = Fields()
    page.feed(response.get_data(as_text=True))
    return page


def bad_invoice(lang: str, unit_price: str) -> list[tuple[str, str]]:
    return [
        ("lang", lang),
        ("invoice[date]", "03/12/2017"),
        ("invoice[due_date]", "01/12/2017"),
        ("invoice[client][name]", ""),
        ("invoice[client][email]", "acme.example.com"),
        ("invoice[client][country]", "Germani"),
        ("invoice[items][0][name]", "Pen"),
        ("invoice[items][0][quantity]", "0"),
        ("invoice[items][0][unit_price]", unit_price),
        ("invoice[items][0][unit]", "kg"),
        ("invoice[items][0][discount]", ""),
        ("invoice[items][1][name]", ""),
        ("invoice[items][1][quantity]", ""),
        ("invoice[items][1][unit_price]", ""),
        ("invoice[items][1][unit]", ""),
        ("invoice[items][1][discount]", ""),
        ("invoice[items][2][name]", "Ink"),
        ("invoice[items][2][quantity]", "2"),
        ("invoice[items][2][unit_price]", "x"),
        ("invoice[items][2][unit]", "unit"),
        ("invoice[items][2][discount]", "dez"),
    ]


EXPECTED = {
    "en": {
        "invoice[due_date]": ["Due date must be later than date"],
        "invoice[client]": ["Client is invalid"],
        "invoice[client][name]": ["Name is a required field"],
        "invoice[client][email]": ["Email must be an email address"],
        "invoice[client][country]": ["Country Germani was not found"],
        "invoice[items]": ["Invoice items is invalid"],
        "invoice[items][0][quantity]": ["Quantity must be a number greater than 0"],
        "invoice[items][0][unit]": ["Unit kg is not included in the list of accepted units"],
        "invoice[items][1][unit_price]": ["Unit price must be a number"],
        "invoice[items][1][discount]": ["Discount is not a number"],
    },
    "pt": {
        "invoice[due_date]": ["Vencimento deve ser igual ou posterior à data do documento"],
        "invoice[client]": ["Cliente não é válido"],
        "invoice[client][name]": ["Nome é um campo obrigatório"],
        "invoice[client][email]": ["Email tem de ser um endereço de email"],
        "invoice[client][country]": ["País Germani não foi encontrado"],
        "invoice[items]": ["Itens da fatura não são válidos"],
        "invoice[items][0][quantity]": ["Quantidade tem de ser um número maior que 0"],
        "invoice[items][0][unit]": ["Unidade kg não está incluída na lista de unidades aceites"],
        "invoice[items][1][unit_price]": ["Preço unitário tem de ser um número"],
        "invoice[items][1][discount]": ["Desconto não é um número"],
    },
    "es": {
        "invoice[due_date]": ["Fecha de vencimiento debe ser posterior a la fecha"],
        "invoice[client]": ["Cliente no es válido"],
        "invoice[client][name]": ["Nombre es un campo obligatorio"],
        "invoice[client][email]": ["Email debe ser una dirección de email"],
        "invoice[client][country]": ["País Germani no se ha encontrado"],
        "invoice[items]": ["Artículos de la factura no son válidos"],
        "invoice[items][0][quantity]": ["Cantidad debe ser un número mayor que 0"],
        "invoice[items][0][unit]": ["Unidad kg no está incluida en la lista de unidades aceptadas"],
        "invoice[items][1][unit_price]": ["Precio unitario debe ser un número"],
        "invoice[items][1][discount]": ["Descuento no es un número"],
    },
}
#: The unit price each language writes one thousand two hundred and thirty-four and a half.
LOCAL_PRICE = {"en": "1,234.5", "pt": "1.234,5", "es": "1.234,5"}


@pytest.mark.parametrize("lang", ["en", "pt", "es"])
def test_each_message_is_shown_under_its_field(client: FlaskClient, lang: str) -> None:
    page = post(client, bad_invoice(lang, LOCAL_PRICE[lang]), 422)
    assert page.errors == EXPECTED[lang]
    # every field with a message is on the page, the blank row left out and the rows renumbered
    assert set(page.errors) - {"invoice[client]", "invoice[items]"} <= set(page.inputs)
    assert page.values["invoice[items][0][unit_price]"] == "1234.5"
    assert page.values["invoice[items][1][name]"] == "Ink"
    assert page.values["invoice[items][2][name]"] == ""
    assert page.valid == []


def test_a_number_written_another_languages_way_is_left_for_the_rules(
    client: FlaskClient,
) -> None:
    page = post(client, bad_invoice("en", "1.234,5"), 422)
    assert page.errors["invoice[items][0][unit_price]"] == ["Unit price must be a number"]
    assert page.values["invoice[items][0][unit_price]"] == "1.234,5"


@pytest.mark.parametrize(
    ("lang", "valid"),
    [
        ("en", "The invoice is valid: ready to send to InvoiceXpress."),
        ("pt", "A fatura é válida: pronta a enviar para o InvoiceXpress."),
    ],
)
def test_a_valid_invoice_shows_success(client: FlaskClient, lang: str, valid: str) -> None:
    pairs = [
        ("lang", lang),
        ("invoice[date]", "01/12/2017"),
        ("invoice[due_date]", "15/12/2017"),
        ("invoice[client][name]", "Acme"),
        ("invoice[client][country]", "Portugal"),
        ("invoice[items][0][name]", "Pen"),
        ("invoice[items][0][quantity]", "2"),
        ("invoice[items][0][unit_price]", LOCAL_PRICE[lang]),
        ("invoice[items][0][unit]", "unit"),
        ("invoice[items][1][name]", ""),
    ]
    page = post(client, pairs, 201)
    assert page.errors == {}
    assert page.valid == [valid]


def test_the_empty_form_in_each_language(client: FlaskClient) -> None:
    for lang, title in (("en", "New invoice"), ("pt", "Nova fatura"), ("xx", "New invoice")):
        response = client.get(f"/?lang={lang}")
        assert response.status_code == 200
        assert f"<title>{title}</title>" in response.get_data(as_text=True)
    page = Fields()
    page.feed(client.get("/").get_data(as_text=True))
    assert "invoice[items][2][discount]" in page.inputs and page.errors == {}


def test_a_broken_field_name_is_reported_at_the_top_not_a_traceback(client: FlaskClient) -> None:
    page = post(client, [("lang", "en"), ("invoice[items][0", "Pen")], 400)
    assert page.errors == {
        "": [
            "form field 'invoice[items][0': is not a form field name like name[key][0] "
            "(unbalanced or misplaced brackets)"
        ]
    }


def test_an_empty_post_asks_for_client_and_items(client: FlaskClient) -> None:
    page = post(client, [("lang", "pt")], 422)
    assert page.errors == {
        "invoice[client]": ["Cliente não pode estar em branco"],
        "invoice[items]": ["O documento deve ter pelo menos um item"],
    }
