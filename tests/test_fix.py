"""Each fix: the mistaken body, the fixed body, the applicability and the report after; each
mistake of issue 22's "Why" fixed end to end from a fixture naming its source; ``Issue.fix``
proposed without anything applied."""

from __future__ import annotations

import copy
import json
import pickle
from typing import Any

import pytest
from support.bodies import FIXTURES, triples

import ixrules
from ixrules.checks import CHECKS
from ixrules.report import Issue

FIX = FIXTURES / "fix"
INVOICE = {
    "date": "01/05/2026",
    "due_date": "31/05/2026",
    "client": {"name": "Acme", "code": "A1"},
    "items": [{"name": "Pen", "unit_price": "1.5", "quantity": 1}],
}


def fixture(name: str) -> Any:
    return json.loads((FIX / name).read_text(encoding="utf-8"))


def invoice(**changes: Any) -> dict[str, Any]:
    body = copy.deepcopy(INVOICE)
    body.update(changes)
    return {"invoice": body}


def summary(result: ixrules.fixes.engine.FixResult) -> list[tuple[str, str, Any, Any, str]]:
    return [(f.path, f.rule, f.before, f.after, f.applicability) for f in result.fixes]


# --- each fix -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sent", "name"),
    [
        ("PT", "Portugal"),
        ("DE", "Germany"),
        ("Alemanha", "Germany"),
        ("Espanha", "Spain"),
        ("Reino Unido", "UK"),
        ("United Kingdom", "UK"),
        ("Macao", "Macau"),
        ("deu", "Germany"),
    ],
)
def test_a_country_code_or_foreign_name_becomes_the_apis_name(sent: str, name: str) -> None:
    body = {"client": {"name": "Acme", "country": sent}}
    result = ixrules.fix(body)
    assert result.body == {"client": {"name": "Acme", "country": name}}
    assert summary(result) == [("/client/country", "country.known", sent, name, "safe")]
    assert result.report.ok and triples(result.report) == []
    assert body["client"]["country"] == sent  # the input is never mutated


@pytest.mark.parametrize("sent", ["TO", "XK", "Narnia", ""])
def test_a_country_the_api_has_no_name_for_is_never_guessed(sent: str) -> None:
    result = ixrules.fix({"client": {"name": "Acme", "country": sent}})
    assert result.fixes == []
    assert result.body["client"]["country"] == sent


def test_a_json_number_where_the_api_needs_a_string() -> None:
    result = ixrules.fix(fixture("item-price-number.json"))
    assert result.body == {"item": {"name": "Pen", "unit_price": "9.99"}}
    assert summary(result) == [("/item/unit_price", "item.unit_price.string", 9.99, "9.99", "safe")]
    assert result.report.ok
    taxes = ixrules.fix(fixture("tax-value-number.json"))
    assert taxes.body["tax"]["value"] == "23" and taxes.report.ok
    assert summary(taxes) == [("/tax/value", "tax.value.string", 23, "23", "safe")]


@pytest.mark.parametrize(("sent", "text"), [(1e20, "100000000000000000000"), (0.1, "0.1")])
def test_numbers_become_their_own_digits(sent: float, text: str) -> None:
    result = ixrules.fix({"item": {"name": "Pen", "unit_price": sent}})
    assert result.body["item"]["unit_price"] == text


@pytest.mark.parametrize(("sent", "flag"), [(1, "1"), (True, "1"), (0, "0")])
def test_a_flag_becomes_the_string_the_api_honours(sent: Any, flag: str) -> None:
    result = ixrules.fix({"sequence": {"serie": "A2024", "default_sequence": sent}})
    assert result.body == {"sequence": {"serie": "A2024", "default_sequence": flag}}
    assert summary(result) == [("/sequence/default_sequence", "kind.flag", sent, flag, "safe")]
    assert result.report.issues == []


def test_false_is_absent_so_no_rule_flags_it_and_no_fix_touches_it() -> None:
    body = {"sequence": {"serie": "A2024", "default_sequence": False}}
    assert ixrules.fix(body).body == body


@pytest.mark.parametrize(
    ("sent", "date", "applicability"),
    [
        ("2026-05-01T00:00:00Z", "01/05/2026", "safe"),
        ("2026-05-01T00:00:00", "01/05/2026", "safe"),
        ("2026/05/01", "01/05/2026", "safe"),
        ("2026-05-01T10:30:00+01:00", "01/05/2026", "unsafe"),
        ("12/25/2021", "25/12/2021", "unsafe"),
    ],
)
def test_dates_written_otherwise_become_dd_mm_yyyy(
    sent: str, date: str, applicability: str
) -> None:
    body = invoice(date=sent, due_date="31/12/2026")
    issue = next(i for i in ixrules.validate(body).issues if i.path == "/invoice/date")
    assert issue.fix is not None
    assert (issue.fix.after, issue.fix.applicability) == (date, applicability)
    safe = ixrules.fix(body)
    assert safe.body["invoice"]["date"] == (date if applicability == "safe" else sent)
    result = ixrules.fix(body, unsafe=True)
    assert result.body["invoice"]["date"] == date
    assert result.report.ok and triples(result.report) == []


def test_an_ambiguous_date_the_api_reads_is_never_touched_without_a_month_first_locale() -> None:
    # 3/6/2021 is a real day read day first: without en_US no rule flags it, so no fix touches it
    body = invoice(date="3/6/2021", due_date="31/12/2021")
    assert ixrules.fix(body, unsafe=True).fixes == []
    assert ixrules.fix(body, unsafe=True, locale="pt").fixes == []


def test_an_iso_moment_becomes_a_guide_moment() -> None:
    body = {"shipping": {"loaded_at": "2026-05-01T10:00:00"}}
    result = ixrules.fix(body, "shippings.update")
    assert result.body == {"shipping": {"loaded_at": "01/05/2026 10:00:00"}}
    assert [f.applicability for f in result.fixes] == ["safe"]
    zoned = ixrules.fix({"shipping": {"loaded_at": "2026-05-01T10:00:00Z"}}, "shippings.update")
    assert zoned.fixes == [] and zoned.pending()[0].after == "01/05/2026 10:00:00"


def test_a_decimal_comma_is_read_only_in_a_language_that_writes_one() -> None:
    body = invoice(items=[{"name": "Pen", "unit_price": "1,5", "quantity": 1}])
    assert ixrules.fix(body, unsafe=True).fixes == []
    assert ixrules.fix(body, locale="pt").fixes == []  # unsafe: only when asked
    result = ixrules.fix(body, locale="pt", unsafe=True)
    assert summary(result) == [
        ("/invoice/items/0/unit_price", "item.unit_price.number", "1,5", "1.5", "unsafe")
    ]
    assert result.report.ok
    thousands = invoice(items=[{"name": "Pen", "unit_price": "1.234,5", "quantity": 1}])
    fixed = ixrules.fix(thousands, locale="pt_PT", unsafe=True).body
    assert fixed["invoice"]["items"][0]["unit_price"] == "1234.5"


def test_misspelled_and_aliased_keys_are_renamed_only_when_asked() -> None:
    body = fixture("misspelled-keys.json")
    assert ixrules.fix(body).fixes == []
    result = ixrules.fix(body, unsafe=True)
    assert summary(result) == [
        ("/invoice/due-date", "field.unknown", "due-date", "due_date", "unsafe"),
        ("/invoice/items/0/tax_name", "field.unknown", "tax_name", "tax.name", "unsafe"),
    ]
    assert list(result.body["invoice"]) == ["date", "due_date", "client", "items"]
    assert result.body["invoice"]["items"][0] == {
        "name": "Pen",
        "unit_price": "1.5",
        "quantity": 1,
        "tax": {"name": "IVA23"},
    }
    assert result.report.issues == []
    assert result.patch == [
        {"op": "move", "from": "/invoice/due-date", "path": "/invoice/due_date"},
        {"op": "add", "path": "/invoice/items/0/tax", "value": {}},
        {"op": "move", "from": "/invoice/items/0/tax_name", "path": "/invoice/items/0/tax/name"},
    ]


def test_zip_becomes_postal_code() -> None:
    result = ixrules.fix(
        {"shipping": {"address_from": {"detail": "Rua A", "zip": "1000-001"}}},
        "shippings.update",
        unsafe=True,
    )
    assert result.body == {
        "shipping": {"address_from": {"detail": "Rua A", "postal_code": "1000-001"}}
    }
    assert summary(result) == [
        ("/shipping/address_from/zip", "field.unknown", "zip", "postal_code", "unsafe")
    ]


def test_a_rename_onto_a_key_the_object_has_is_not_proposed() -> None:
    body = invoice(**{"due-date": "30/05/2026"})
    issue = next(i for i in ixrules.validate(body).issues if i.rule == "field.unknown")
    assert issue.fix is None


@pytest.mark.parametrize(
    ("name", "endpoint", "root"),
    [
        ("root-fatura-recibo.json", None, "invoice_receipt"),
        ("root-estimate.json", "quotes.create", "quote"),
        ("root-invoices.json", None, "invoice"),
        ("unwrapped-invoice.json", "invoices.create", "invoice"),
    ],
)
def test_a_wrong_or_missing_root_key_is_fixed_only_when_asked(
    name: str, endpoint: str | None, root: str
) -> None:
    body = fixture(name)
    with pytest.raises(ixrules.BodyError):
        ixrules.fix(body, endpoint)
    result = ixrules.fix(body, endpoint, unsafe=True)
    assert list(result.body) == [root]
    inner = body if name.startswith("unwrapped") else next(iter(body.values()))
    assert result.body[root] == inner
    assert [f.applicability for f in result.fixes] == ["unsafe"]
    assert result.report.ok, triples(result.report)
    if name.startswith("unwrapped"):
        assert result.fixes[0].op == "wrap"
        assert result.patch == [{"op": "replace", "path": "", "value": {root: body}}]
    else:
        assert result.patch == [{"op": "move", "from": f"/{next(iter(body))}", "path": f"/{root}"}]


def test_display_fixes_are_shown_never_applied() -> None:
    long = "A" * 120
    body = invoice(client={"name": long, "code": "A1"})
    body["invoice"]["items"][0]["unit_price"] = "-5"
    report = ixrules.validate(body)
    fixes = {issue.rule: issue.fix for issue in report.issues if issue.fix is not None}
    assert fixes["client.name.length"].applicability == "display"
    assert fixes["client.name.length"].after == "A" * 100
    assert fixes["item.unit_price.positive"].applicability == "display"
    assert "discount" in fixes["item.unit_price.positive"].description
    result = ixrules.fix(body, unsafe=True)
    assert result.fixes == [] and result.body == body


def test_a_zero_rate_line_without_exemption_gets_advice() -> None:
    body = invoice(
        items=[{"name": "Pen", "unit_price": "1", "quantity": 1, "tax": {"name": "IVA0"}}]
    )
    context = {"account": {"country": "Portugal"}, "existing": {"taxes": {"IVA0": 0}}}
    report = ixrules.validate(body, context=context)
    issue = next(i for i in report.issues if i.rule == "document.tax_exemption.needed")
    assert issue.fix is not None and issue.fix.applicability == "display"
    assert issue.fix.after is None and "tax_exemption" in issue.fix.description
    assert ixrules.fix(body, context=context, unsafe=True).fixes == []


# --- the API --------------------------------------------------------------------------------


def test_every_issue_with_a_fix_carries_it_without_anything_applied() -> None:
    body = {"client": {"name": "Acme", "country": "PT", "zip": "1000-001"}}
    report = ixrules.validate(body)
    fixes = [(i.rule, i.fix.after if i.fix else None) for i in report.issues]
    assert fixes == [("field.unknown", "postal_code"), ("country.known", "Portugal")]
    assert body == {"client": {"name": "Acme", "country": "PT", "zip": "1000-001"}}
    assert report.messages == ["Country PT was not found"]


def test_an_issue_with_a_fix_compares_pickles_and_prints_as_before() -> None:
    report = ixrules.validate({"client": {"name": "Acme", "country": "PT"}})
    issue = report.issues[0]
    bare = Issue(issue.message, issue.path, issue.rule, issue.status, issue.hint, issue.severity)
    assert issue == bare and repr(issue) == repr(bare)
    assert pickle.loads(pickle.dumps(issue)).fix == issue.fix
    assert issue.to_dict()["fix"] == {
        "path": "/client/country",
        "rule": "country.known",
        "op": "replace",
        "before": "PT",
        "after": "Portugal",
        "applicability": "safe",
        "description": CHECKS["country"].fix.description,  # type: ignore[union-attr]
    }
    assert "fix" not in bare.to_dict()


def test_both_executors_propose_the_same_fixes() -> None:
    body = fixture("misspelled-keys.json")
    body["invoice"]["date"] = "2026-05-01T00:00:00Z"
    fast = ixrules.Rules.load().validate(body)
    reference = ixrules.Rules.load(executor="cerberus").validate(body)
    assert [i.fix for i in fast.issues] == [i.fix for i in reference.issues]


def test_the_result_is_a_new_object_and_the_patch_rebuilds_it() -> None:
    body = {"client": {"name": "Acme", "country": "PT"}, "extra": [1]}
    frozen = copy.deepcopy(body)
    result = ixrules.fix({"client": body["client"]}, unsafe=True)
    assert body == frozen and result.body is not body
    assert apply_patch({"client": body["client"]}, result.patch) == result.body


def test_a_body_that_is_no_object_raises_body_error() -> None:
    with pytest.raises(ixrules.BodyError):
        ixrules.fix([1, 2])


# --- the JSON Patch -------------------------------------------------------------------------


def apply_patch(document: Any, operations: list[dict[str, Any]]) -> Any:
    """RFC 6902 ``add``, ``replace`` and ``move`` (what :func:`ixrules.fix` writes), applied to
    a copy: the patch is checked against the standard, not against our own code."""
    document = copy.deepcopy(document)

    def parts(pointer: str) -> list[str]:
        return [p.replace("~1", "/").replace("~0", "~") for p in pointer.split("/")[1:]]

    def holder(pointer: str) -> tuple[Any, str]:
        *up, last = parts(pointer)
        node = document
        for part in up:
            node = node[int(part)] if isinstance(node, list) else node[part]
        return node, last

    for op in operations:
        if op["path"] == "" and op["op"] in ("add", "replace"):
            document = copy.deepcopy(op["value"])
            continue
        if op["op"] == "move":
            source, key = holder(op["from"])
            value = source.pop(key)
            target, new = holder(op["path"])
            target[new] = value
            continue
        target, key = holder(op["path"])
        if isinstance(target, list):
            target[int(key)] = copy.deepcopy(op["value"])
        else:
            target[key] = copy.deepcopy(op["value"])
    return document


@pytest.mark.parametrize("name", sorted(p.name for p in FIX.glob("*.json")))
def test_each_mistake_is_fixed_end_to_end_from_its_fixture(name: str) -> None:
    body = fixture(name)
    endpoint = {"root-estimate.json": "quotes.create", "unwrapped-invoice.json": "invoices.create"}
    locale = {"browser-locale-date.json": "en_US"}  # the locale its writer stated
    result = ixrules.fix(body, endpoint.get(name), locale=locale.get(name), unsafe=True)
    assert result.fixes, name
    assert result.report.ok, triples(result.report)
    assert [i for i in result.report.issues if i.fix is not None and i.fix.after is not None] == []
    assert apply_patch(body, result.patch) == result.body
    assert name in (FIX / "SOURCES.md").read_text(encoding="utf-8")


def test_each_country_of_the_other_languages_fixture() -> None:
    lines = (FIX / "country-other-languages.jsonl").read_text(encoding="utf-8").splitlines()
    fixed = [ixrules.fix(json.loads(line)).body["client"]["country"] for line in lines]
    assert fixed == ["Spain", "Germany", "UK", "Macau", "UK"]


# --- the pre-flight -------------------------------------------------------------------------


def test_preflight_applies_safe_fixes_only_when_asked(caplog: pytest.LogCaptureFixture) -> None:
    import logging

    httpx = pytest.importorskip("httpx")
    from ixrules.http import preflight

    seen: list[Any] = []

    def handler(request: Any) -> Any:
        seen.append(json.loads(request.content))
        return httpx.Response(201, json={})

    url = "https://acme.app.invoicexpress.com/clients.json?api_key=k"
    body = {"client": {"name": "Acme", "code": "A1", "country": "PT"}}
    plain = preflight(httpx.Client(transport=httpx.MockTransport(handler)))
    with pytest.raises(ixrules.PreflightError):
        plain.post(url, json=body)
    fixing = preflight(httpx.Client(transport=httpx.MockTransport(handler)), fix=True)
    with caplog.at_level(logging.INFO, logger="ixrules.http"):
        fixing.post(url, json=body)
    assert seen == [{"client": {"name": "Acme", "code": "A1", "country": "Portugal"}}]
    assert "fixed /client/country: 'PT' -> 'Portugal' (country.known)" in caplog.text


def test_preflight_fixes_a_requests_body_too() -> None:
    requests = pytest.importorskip("requests")
    from ixrules.http import preflight

    sent: list[Any] = []

    class Adapter(requests.adapters.BaseAdapter):  # type: ignore[misc]
        def send(self, request: Any, **kwargs: Any) -> Any:
            sent.append((json.loads(request.body), request.headers["Content-Length"]))
            response = requests.Response()
            response.status_code = 201
            return response

        def close(self) -> None:
            pass

    session = requests.Session()
    session.mount("https://", Adapter())
    preflight(session, fix=True)
    url = "https://acme.app.invoicexpress.com/sequences.json?api_key=k"
    session.post(url, json={"sequence": {"serie": "A2024", "default_sequence": 1}})
    fixed = {"sequence": {"serie": "A2024", "default_sequence": "1"}}
    assert sent == [(fixed, str(len(json.dumps(fixed).encode())))]


def test_the_table_of_fixes_in_the_docs_is_the_generated_one() -> None:
    from ixrules.api import default_rules
    from ixrules.fixes.table import END, START, fix_table

    text = (FIXTURES.parent.parent / "docs" / "fix.md").read_text(encoding="utf-8")
    shown = text[text.index(START) : text.index(END) + len(END)] + "\n"
    stale = "docs/fix.md is stale: python tools/fix_table.py"
    assert shown == fix_table(default_rules().ruleset), stale
