"""Form backends: a report's messages keyed by form field name, and submitted form data (bracketed
names, numbers written the user's way) turned into the API body."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from support.bodies import triples
from werkzeug.datastructures import ImmutableMultiDict, MultiDict

import ixrules
from ixrules.api import Rules
from ixrules.forms import FormError, body_from_form, local_number, number_fields
from ixrules.report import Issue, Report, field_name
from ixrules.ruleformat.builder import load_rule_texts
from ixrules.values import as_number

#: A new invoice with one wrong value in the client, one in the first line and one on its own.
BAD = {
    "invoice": {
        "date": "03/12/2017",
        "due_date": "01/12/2017",
        "client": {"name": "Acme", "email": "acme.example.com"},
        "items": [
            {"name": "Pen", "unit_price": "1.5", "quantity": 0, "unit": "kg"},
            {"name": "Ink", "unit_price": "2", "quantity": 1},
        ],
    }
}


# --- Report.by_field -------------------------------------------------------------------------


def test_by_field_keys_messages_by_the_forms_own_names() -> None:
    report = ixrules.validate(BAD, "invoices.create")
    assert report.by_field() == {
        "invoice[due_date]": ["Due date must be later than date"],
        "invoice[client]": ["Client is invalid"],
        "invoice[client][email]": ["Email must be an email address"],
        "invoice[items]": ["Invoice items is invalid"],
        "invoice[items][0][quantity]": ["Quantity must be a number greater than 0"],
        "invoice[items][0][unit]": ["Unit kg is not included in the list of accepted units"],
    }
    assert report.by_field() == report.by_field("brackets")


def test_by_field_dotted_and_pointer_styles() -> None:
    report = ixrules.validate(BAD, "invoices.create")
    assert list(report.by_field("dotted")) == [
        "invoice.due_date",
        "invoice.client",
        "invoice.client.email",
        "invoice.items",
        "invoice.items.0.quantity",
        "invoice.items.0.unit",
    ]
    assert list(report.by_field("pointer")) == [issue.path for issue in report.errors]
    assert list(report.by_field("pointer").values()) == list(report.by_field().values())


def test_umbrella_messages_land_on_the_parent_field() -> None:
    body = {"invoice": {"items": [{"name": "Pen", "unit_price": "x", "quantity": 1}]}}
    report = ixrules.validate(body, "invoices.update")
    assert triples(report) == [
        ("Invoice items is invalid", "/invoice/items", "document.items.invalid"),
        ("Unit price must be a number", "/invoice/items/0/unit_price", "item.unit_price.number"),
    ]
    assert report.by_field() == {
        "invoice[items]": ["Invoice items is invalid"],
        "invoice[items][0][unit_price]": ["Unit price must be a number"],
    }


def test_by_field_deduplicates_per_field_in_report_order() -> None:
    report = Report(
        "invoices.create",
        [
            Issue("Name is a required field", "/invoice/items/0/name", "a"),
            Issue("Client is invalid", "/invoice/client", "b"),
            Issue("Name is a required field", "/invoice/items/0/name", "c"),
            Issue("Another", "/invoice/items/0/name", "d"),
            Issue("Name is a required field", "/invoice/items/1/name", "e"),
        ],
    )
    assert report.by_field() == {
        "invoice[items][0][name]": ["Name is a required field", "Another"],
        "invoice[client]": ["Client is invalid"],
        "invoice[items][1][name]": ["Name is a required field"],
    }


def test_the_whole_body_is_keyed_by_the_empty_name_in_every_style() -> None:
    month = Issue("You need to send the month in the request body.", "", "saft.month")
    report = Report("saft.export", [month], error_shape="message")
    for style in ("brackets", "dotted", "pointer"):
        assert report.by_field(style) == {"": ["You need to send the month in the request body."]}


def test_a_valid_report_has_no_fields() -> None:
    assert Report("invoices.create").by_field() == {}


def test_unwrapped_paths_and_escaped_pointers() -> None:
    assert field_name("/month") == "month"
    assert field_name("/month", "dotted") == "month"
    assert field_name("/a~1b/c~0d/0") == "a/b[c~d][0]"
    assert field_name("/a~1b/c~0d/0", "pointer") == "/a~1b/c~0d/0"


def test_an_unknown_style_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="unknown field style 'snake'"):
        Report("invoices.create").by_field("snake")  # type: ignore[arg-type]


# --- body_from_form: names -------------------------------------------------------------------

FORM = [
    ("invoice[date]", "01/12/2017"),
    ("invoice[client][name]", "Acme"),
    ("invoice[items][0][name]", "Pen"),
    ("invoice[items][0][unit_price]", "1.5"),
    ("invoice[items][1][name]", "Ink"),
    ("invoice[items][1][unit_price]", "2"),
]
NESTED = {
    "invoice": {
        "date": "01/12/2017",
        "client": {"name": "Acme"},
        "items": [{"name": "Pen", "unit_price": "1.5"}, {"name": "Ink", "unit_price": "2"}],
    }
}


@pytest.mark.parametrize(
    "form",
    [
        FORM,
        tuple(FORM),
        MultiDict(FORM),
        ImmutableMultiDict(FORM),
        dict(FORM),
        {name: [value] for name, value in FORM},
    ],
    ids=["pairs", "tuple", "multidict", "immutable-multidict", "dict", "dict-of-lists"],
)
def test_every_kind_of_form_data_gives_the_nested_body(form: Any) -> None:
    assert body_from_form(form) == NESTED


def test_a_multi_items_form_keeps_its_order() -> None:
    class FormData:  # Starlette's FormData shape
        def multi_items(self) -> list[tuple[str, str]]:
            return [("a[][n]", "1"), ("a[][n]", "2")]

    assert body_from_form(FormData()) == {"a": [{"n": "1"}, {"n": "2"}]}


def test_indices_are_list_positions_in_index_order_and_sparse_ones_are_compacted() -> None:
    form = [("a[10][n]", "ten"), ("a[2][n]", "two"), ("a[02][m]", "two too"), ("a[5][n]", "five")]
    assert body_from_form(form) == {
        "a": [{"n": "two", "m": "two too"}, {"n": "five"}, {"n": "ten"}]
    }
    assert body_from_form([("a[99999999999]", "x")]) == {"a": ["x"]}


def test_empty_brackets_put_the_nth_occurrence_of_a_name_in_row_n() -> None:
    form = MultiDict(
        [
            ("invoice[items][][name]", "Pen"),
            ("invoice[items][][name]", "Ink"),
            ("invoice[items][][unit_price]", "1"),
            ("invoice[items][][unit_price]", "2"),
            ("invoice[tags][]", "a"),
            ("invoice[tags][]", "b"),
        ]
    )
    assert body_from_form(form) == {
        "invoice": {
            "items": [{"name": "Pen", "unit_price": "1"}, {"name": "Ink", "unit_price": "2"}],
            "tags": ["a", "b"],
        }
    }


def test_a_repeated_name_keeps_its_last_value() -> None:
    form = [("invoice[mb_reference]", "0"), ("invoice[mb_reference]", "1")]
    assert body_from_form(form) == {"invoice": {"mb_reference": "1"}}


def test_values_are_passed_through_untouched_without_a_locale() -> None:
    upload = object()
    form = [("a[n]", " 1.234,56 "), ("a[f]", upload), ("a[e]", ""), ("a[i]", 3)]
    body = body_from_form(form)
    assert body == {"a": {"n": " 1.234,56 ", "f": upload, "e": "", "i": 3}}
    assert body["a"]["f"] is upload


def test_drop_blank_leaves_out_empty_inputs_and_the_rows_they_empty() -> None:
    form = [
        ("invoice[date]", ""),
        ("invoice[client][name]", "Acme"),
        ("invoice[client][email]", "  "),
        ("invoice[items][0][name]", "Pen"),
        ("invoice[items][0][discount]", ""),
        ("invoice[items][1][name]", ""),
        ("invoice[items][1][unit]", ""),
        ("invoice[items][2][name]", "Ink"),
    ]
    assert body_from_form(form, drop_blank=True) == {
        "invoice": {"client": {"name": "Acme"}, "items": [{"name": "Pen"}, {"name": "Ink"}]}
    }
    assert body_from_form([("a", "")], drop_blank=True) == {}


def test_the_callers_form_is_never_modified() -> None:
    form = MultiDict(FORM)
    pairs = [list(pair) for pair in FORM]
    before = (copy.deepcopy(list(form.items(multi=True))), copy.deepcopy(pairs))
    body_from_form(form, locale="pt_PT")
    body_from_form(pairs, locale="pt_PT")
    assert (list(form.items(multi=True)), pairs) == before


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("invoice[items", "is not a form field name like name[key][0]"),
        ("invoice]items[", "is not a form field name like name[key][0]"),
        ("invoice[items]x", "is not a form field name like name[key][0]"),
        ("invoice[a[b]]", "is not a form field name like name[key][0]"),
        ("[items]", "is not a form field name like name[key][0]"),
        ("", "is empty"),
        ("invoice[items][][tags][]", "has more than one []"),
        ("invoice[items][1234567890123456789][name]", "has an index longer than 18 digits"),
    ],
)
def test_a_malformed_name_is_a_form_error_naming_the_field(name: str, problem: str) -> None:
    with pytest.raises(FormError) as caught:
        body_from_form([("invoice[date]", "01/12/2017"), (name, "1")])
    assert caught.value.field == name
    assert str(caught.value).startswith(f"form field {name!r}: {problem}")
    assert isinstance(caught.value, ValueError)


@pytest.mark.parametrize(
    ("form", "field", "problem"),
    [
        (
            [("a[b]", "1"), ("a[b][c]", "2")],
            "a[b][c]",
            "'a[b]' is a value in one field and holds fields in another",
        ),
        (
            [("a[b][c]", "2"), ("a[b]", "1")],
            "a[b]",
            "'a[b]' is a value in one field and holds fields in another",
        ),
        (
            [("a[0]", "1"), ("a[x]", "2")],
            "a[x]",
            "'a' is a numbered list in one field and an object in another",
        ),
        (
            [("a[0][n]", "1"), ("a[][n]", "2")],
            "a[][n]",
            "'a' is a numbered list in one field and a [] list in another",
        ),
        (
            [("a", "1"), ("a[]", "2")],
            "a[]",
            "'a' is a value in one field and holds fields in another",
        ),
    ],
)
def test_conflicting_shapes_are_a_form_error(
    form: list[tuple[str, str]], field: str, problem: str
) -> None:
    with pytest.raises(FormError) as caught:
        body_from_form(form)
    assert (caught.value.field, caught.value.problem) == (field, problem)


def test_form_data_of_the_wrong_kind_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="form data must be"):
        body_from_form("invoice[date]=01/12/2017")
    with pytest.raises(TypeError, match="form data must be"):
        body_from_form([("a", "1", "2")])
    with pytest.raises(FormError, match="field names are strings"):
        body_from_form([(1, "x")])


# --- body_from_form: numbers in the user's locale --------------------------------------------


def line(**values: str) -> list[tuple[str, str]]:
    return [(f"invoice[items][0][{name}]", value) for name, value in values.items()]


@pytest.mark.parametrize(
    ("locale", "typed", "read"),
    [
        ("pt_PT", "1.234,56", "1234.56"),
        ("pt-PT", "1234,56", "1234.56"),
        ("pt_PT", "1 234,56", "1234.56"),
        ("pt_PT", "1\u00a0234,56", "1234.56"),
        ("pt", "1.234.567,8", "1234567.8"),
        ("pt_PT", "0,50", "0.50"),
        ("pt_PT", "-1,5", "-1.5"),
        ("pt_PT", " 12,5 ", "12.5"),
        ("es_ES", "1.234,56", "1234.56"),
        ("es", "1,5", "1.5"),
        ("es_ES", "1.500", "1500"),
        ("en_GB", "1,234.56", "1234.56"),
        ("en_GB", "1234.5", "1234.5"),
        ("en", "1,234", "1234"),
        ("de_DE", "1.234,56", "1234.56"),
        ("fr_FR", "1 234,56", "1234.56"),
    ],
)
def test_numbers_written_the_local_way_are_read_through_babel(
    locale: str, typed: str, read: str
) -> None:
    body = body_from_form(line(unit_price=typed), locale=locale)
    assert body == {"invoice": {"items": [{"unit_price": read}]}}
    assert local_number(typed, locale) == read


@pytest.mark.parametrize(
    ("locale", "typed"),
    [
        ("pt_PT", "1.23,4"),  # a group of two digits
        ("pt_PT", "1,234.56"),  # the marks swapped
        ("es_ES", "1.5"),  # a dot that is no group: maybe a decimal point
        ("es_ES", "12,345,6"),
        ("en_GB", "1,5"),
        ("en_GB", "1.234,56"),
        ("pt_PT", "1,5 €"),
        ("pt_PT", "um"),
        ("pt_PT", ""),
        ("pt_PT", "NaN"),
        ("pt_PT", "1" * 300),
        ("xx_YY", "1,5"),  # a locale Babel does not know
        ("not a locale", "1,5"),
    ],
)
def test_ambiguous_or_malformed_numbers_are_left_exactly_as_typed(locale: str, typed: str) -> None:
    body = body_from_form(line(unit_price=typed), locale=locale)
    assert body == {"invoice": {"items": [{"unit_price": typed}]}}
    assert local_number(typed, locale) is None


def test_the_rules_report_a_number_left_as_typed() -> None:
    form = [("invoice[items][0][name]", "Pen"), *line(unit_price="1,5", quantity="2")]
    body = body_from_form(form, locale="en_GB")
    report = ixrules.validate(body, "invoices.update")
    assert report.by_field() == {
        "invoice[items]": ["Invoice items is invalid"],
        "invoice[items][0][unit_price]": ["Unit price must be a number"],
    }
    assert ixrules.validate(body_from_form(form, locale="pt_PT"), "invoices.update").ok


def test_only_number_fields_are_read_as_numbers() -> None:
    form = [
        ("invoice[date]", "1,5"),
        ("invoice[retention]", "12,5"),
        ("invoice[observations]", "1.234,56"),
        ("invoice[client][name]", "1.234,56"),
        ("invoice[client][code]", "0,5"),
        *line(name="1,5", unit_price="1,5", quantity="2,0", discount="10,5", unit="1,5"),
    ]
    assert body_from_form(form, locale="pt_PT") == {
        "invoice": {
            "date": "1,5",
            "retention": "12.5",
            "observations": "1.234,56",
            "client": {"name": "1.234,56", "code": "0,5"},
            "items": [
                {
                    "name": "1,5",
                    "unit_price": "1.5",
                    "quantity": "2.0",
                    "discount": "10.5",
                    "unit": "1,5",
                }
            ],
        }
    }


def test_number_fields_come_from_the_rules() -> None:
    assert number_fields("invoices.create") == [
        "invoice.global_discount.value",
        "invoice.items.*.discount",
        "invoice.items.*.quantity",
        "invoice.items.*.unit_price",
        "invoice.rate",
        "invoice.retention",
    ]
    assert number_fields("shippings.update")[0] == "shipping.items.*.discount"


WIDGETS = """
fragments:
  widget:
    doc: A test resource.
    fields:
      price:
        rules:
          - id: widget.price.number
            message: Price is not a number
            check: number
            doc: A number.
            example: {body: {widget: {price: x}}}
      label:
        rules:
          - id: widget.label.string
            message: Label is invalid
            check: string
            doc: Text.
            example: {body: {widget: {label: 1}}}
endpoints:
  - paths: [widgets]
    root: widget
    doc: Widgets.
    actions:
      create: {body: widget, mode: create}
"""


def test_a_rule_set_of_ones_own_decides_the_number_fields() -> None:
    rules = Rules(load_rule_texts([("widgets.yaml", WIDGETS)]))
    form = [("widget[price]", "1.234,5"), ("widget[label]", "1.234,5")]
    expected = {"widget": {"price": "1234.5", "label": "1.234,5"}}
    assert body_from_form(form, locale="pt", rules=rules) == expected
    assert body_from_form(form, locale="pt", rules=rules, endpoint="widgets.create") == expected
    assert number_fields("widgets.create", rules=rules) == ["widget.price"]
    # the shipped rules know no widget: nothing is read as a number
    assert body_from_form(form, locale="pt") == {"widget": {"price": "1.234,5", "label": "1.234,5"}}


def test_the_endpoint_named_decides_the_number_fields() -> None:
    form = line(unit_price="1,5")
    assert body_from_form(form, locale="pt", endpoint="quotes.create") == {
        "invoice": {"items": [{"unit_price": "1,5"}]}  # quotes read `quote`, not `invoice`
    }
    with pytest.raises(ixrules.EndpointError):
        body_from_form(form, locale="pt", endpoint="invoice.create")


def test_from_the_form_to_messages_under_its_fields() -> None:
    form = MultiDict(
        [
            ("invoice[date]", "03/12/2017"),
            ("invoice[due_date]", "01/12/2017"),
            ("invoice[client][name]", "Acme"),
            ("invoice[items][0][name]", "Pen"),
            ("invoice[items][0][unit_price]", "1.234,56"),
            ("invoice[items][0][quantity]", "0,0"),
        ]
    )
    report = ixrules.validate(body_from_form(form, locale="pt_PT"), locale="pt_PT")
    errors = report.by_field()
    assert errors == {
        "invoice[due_date]": ["Vencimento deve ser igual ou posterior à data do documento"],
        "invoice[items]": ["Itens da fatura não são válidos"],
        "invoice[items][0][quantity]": ["Quantidade tem de ser um número maior que 0"],
    }
    assert set(errors) - {"invoice[items]"} <= set(form)  # the form's own names


@given(st.text(max_size=20), st.sampled_from(["pt_PT", "pt", "es_ES", "en_GB", "de_DE", "fr"]))
def test_a_number_read_is_one_the_api_reads_and_nothing_else_raises(text: str, locale: str) -> None:
    read = local_number(text, locale)
    assert read is None or as_number(read) is not None
