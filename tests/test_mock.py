"""``ixrules mock`` in-process: a document's whole life, the API's answers (401, 404, 406,
409, 422 in the account's language, the recorded 500s), bad input, every route, the control
routes, seeds, and the fixture and transports themselves. Served through the ``ixrules_mock``
fixture (no socket); tests/test_mock_server.py runs the real server."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import httpx
import pytest

from ixrules.mock import Mock, MockRequest
from ixrules.mock.handlers import handler
from ixrules.mock.predict import endpoints
from ixrules.mock.pytest_plugin import MockFixture
from ixrules.mock.transport import async_httpx_client, httpx_client
from ixrules.mock.wire import MAX_HEADER

NOW = "2024-05-10T10:00:00"
JSON = {"Content-Type": "application/json"}


def invoice(**changes: Any) -> dict[str, Any]:
    """A valid invoice body (a client of the account's, one line at 23 %)."""
    body = {
        "date": "10/05/2024",
        "due_date": "10/06/2024",
        "client": {"name": "Acme", "code": "A1"},
        "items": [
            {"name": "Pen", "unit_price": "24.3902", "quantity": "1", "tax": {"name": "IVA23"}}
        ],
    }
    body.update(changes)
    return {"invoice": body}


def errors(response: httpx.Response) -> list[str]:
    return [entry["error"] for entry in response.json()["errors"]]


# --- the issue's scenario -----------------------------------------------------------------------


@pytest.mark.ixrules_mock(now=NOW)
def test_a_documents_whole_life(ixrules_mock: MockFixture) -> None:
    api = ixrules_mock.httpx
    created = api.post("/clients.json", json={"client": {"name": "Acme", "code": "A1"}})
    assert created.status_code == 201 and created.json()["client"]["name"] == "Acme"
    again = api.post("/clients.json", json={"client": {"name": "Acme"}})
    assert (again.status_code, errors(again)) == (422, ["Name has already been taken"])
    late = api.post("/invoices.json", json=invoice(date="10/05/2024", due_date="01/05/2024"))
    assert (late.status_code, errors(late)) == (422, ["Due date must be later than date"])

    draft = api.post("/invoices.json", json=invoice())
    assert draft.status_code == 201
    document = draft.json()["invoice"]
    assert document["status"] == "draft" and document["client"]["name"] == "Acme"
    assert (document["sum"], document["taxes"], document["total"]) == (24.39, 5.61, 30)
    ident = document["id"]
    assert api.get(f"/invoices/{ident}.json").json()["invoice"] == document

    final = api.put(
        f"/invoices/{ident}/change-state.json", json={"invoice": {"state": "finalized"}}
    )
    assert final.status_code == 200
    assert final.json()["invoice"]["status"] == "final"
    assert final.json()["invoice"]["sequence_number"] == "1/A"
    cancel = api.put(
        f"/invoices/{ident}/change-state.json", json={"invoice": {"state": "canceled"}}
    )
    assert (cancel.status_code, errors(cancel)) == (422, ["Cancel message can't be blank"])
    settle = api.put(f"/invoices/{ident}/change-state.json", json={"invoice": {"state": "settled"}})
    assert settle.json()["invoice"]["status"] == "settled"
    update = api.put(f"/invoices/{ident}.json", json={"invoice": {"observations": "Paid"}})
    assert (update.status_code, errors(update)) == (
        422,
        ["Invoice has been settled so can't be changed anymore"],
    )
    missing = api.get("/invoices/987654.json")
    assert (missing.status_code, missing.content) == (404, b"")
    keyless = httpx.Client(transport=api._transport, base_url=ixrules_mock.base_url)
    refused = keyless.get(f"/invoices/{ident}.json")
    assert (refused.status_code, refused.json()) == (
        401,
        {"errors": [{"error": "Invalid API key"}]},
    )


# --- the API's answers ------------------------------------------------------------------------


def test_a_wrong_key_is_401_and_an_unknown_route_404(ixrules_mock: MockFixture) -> None:
    api = ixrules_mock.httpx
    wrong = api.get("/clients.json", params={"api_key": "nope"})
    assert wrong.status_code == 401 and errors(wrong) == ["Invalid API key"]
    assert api.get("/invoices/1/nothing.json").status_code == 404
    assert api.get("/invoices/1/nothing.json").content == b""


@pytest.mark.parametrize(
    "path",
    [
        "/invoices/0.json",
        "/invoices/99999999.json",
        "/invoices/" + "9" * 60 + ".json",
        "/invoices/-1.json",
        "/invoices/abc.json",
        "/invoices/1e3.json",
        "/invoices/%31%00.json",
        "/invoices/\uff11.json",
        "/clients/1.json",
        "/api/v3/clients/1/regularization/2.json",
    ],
)
def test_an_unknown_id_of_any_shape_is_404_with_no_body(
    ixrules_mock: MockFixture, path: str
) -> None:
    method = "DELETE" if "regularization/" in path else "GET"
    response = ixrules_mock.httpx.request(method, path)
    assert (response.status_code, response.content) == (404, b"")


def test_an_id_of_another_type_is_404(ixrules_mock: MockFixture) -> None:
    api = ixrules_mock.httpx
    ident = api.post("/invoices.json", json=invoice()).json()["invoice"]["id"]
    assert api.get(f"/quotes/{ident}.json").status_code == 404
    assert api.get(f"/invoices/{ident}.json").status_code == 200


def test_a_transition_the_state_table_forbids_is_406(ixrules_mock: MockFixture) -> None:
    api = ixrules_mock.httpx
    ident = api.post("/invoices.json", json=invoice()).json()["invoice"]["id"]
    response = api.put(
        f"/invoices/{ident}/change-state.json", json={"invoice": {"state": "settled"}}
    )
    assert (response.status_code, errors(response)) == (
        406,
        ["The document provided is in an invalid state."],
    )
    unknown = api.put(f"/invoices/{ident}/change-state.json", json={"invoice": {"state": "paid"}})
    assert (unknown.status_code, errors(unknown)) == (422, ["Invalid state"])


@pytest.mark.ixrules_mock(language="pt")
def test_the_messages_are_in_the_accounts_language(ixrules_mock: MockFixture) -> None:
    api = ixrules_mock.httpx
    late = api.post("/invoices.json", json=invoice(due_date="01/05/2024"))
    assert errors(late) == ["Vencimento deve ser igual ou posterior à data do documento"]
    api.post("/clients.json", json={"client": {"name": "Acme"}})
    assert errors(api.post("/clients.json", json={"client": {"name": "acme"}})) == [
        "Nome não está disponível."
    ]
    draft = api.post("/invoices.json", json=invoice()).json()["invoice"]
    assert draft["sequence_number"] == "rascunho"  # recorded on a Portuguese account
    plain = api.post("/clients.json", content=b"{}", headers={"Content-Type": "text/plain"})
    assert errors(plain) == ["Tipo de conteúdo em falta ou mal especificado"]


def test_a_repeated_proprietary_uid_is_409(ixrules_mock: MockFixture) -> None:
    api = ixrules_mock.httpx
    first = api.post("/invoices.json", json={**invoice(), "proprietary_uid": "ODOO-1"})
    assert first.status_code == 201
    ident = first.json()["invoice"]["id"]
    assert (
        api.put(f"/invoices/{ident}.json", json={"invoice": {"reference": "R"}}).status_code == 200
    )
    second = api.post("/invoices.json", json={**invoice(), "proprietary_uid": "ODOO-1"})
    assert second.status_code == 409
    assert second.json() == {
        "reason": "There's an ongoing document creation with the provided UID ODOO-1"
    }
    other = api.post("/invoices.json", json={**invoice(), "proprietary_uid": "odoo-1"})
    assert other.status_code == 201  # a uid is compared as it is written
    assert len(api.get("/invoices.json").json()["invoices"]) == 2


def test_the_recorded_500s(ixrules_mock: MockFixture) -> None:
    api = ixrules_mock.httpx
    tax = api.post("/taxes.json", json={"tax": {"name": "IVA9", "value": 9, "region": "PT"}})
    assert (tax.status_code, tax.content) == (500, b"")
    assert json.loads(tax.headers["x-ixrules-errors"])[0]["rule"] == "tax.value.string"
    assert (
        api.post(
            "/taxes.json", json={"tax": {"name": "IVA9", "value": "9", "region": "PT"}}
        ).status_code
        == 201
    )
    client = api.post("/clients.json", json={"client": {"name": "Acme"}}).json()["client"]["id"]
    unwrapped = api.put(
        f"/api/v3/clients/{client}/initial_balance.json", json={"value": 10, "date": "2024-01-01"}
    )
    assert (unwrapped.status_code, unwrapped.content) == (500, b"")
    wrapped = api.put(
        f"/api/v3/clients/{client}/initial_balance.json",
        json={"initial_balance": {"value": 10, "date": "2024-01-01"}},
    )
    assert wrapped.status_code == 200 and wrapped.json()["initial_balance"]["value"] == 10


def test_unknown_keys_are_dropped_and_named_in_a_header(ixrules_mock: MockFixture) -> None:
    api = ixrules_mock.httpx
    body = invoice(**{"due-date": "01/06/2024"})
    body["invoice"]["client"]["zip"] = "1000-001"
    response = api.post("/invoices.json", json=body)
    assert response.status_code == 201
    warnings = json.loads(response.headers["x-ixrules-warnings"])
    assert [(w["rule"], w["path"]) for w in warnings] == [
        ("field.unknown", "/invoice/due-date"),
        ("field.unknown", "/invoice/client/zip"),
        ("document.client.created", "/invoice/client/name"),
    ]
    document = response.json()["invoice"]
    assert document["due_date"] == "10/06/2024" and "due-date" not in document
    client = api.get(f"/clients/{document['client']['id']}.json").json()["client"]
    assert "zip" not in client


def test_a_warning_header_is_escaped_and_bounded(ixrules_mock: MockFixture) -> None:
    hostile = "é\r\nSet-Cookie: x=1\u2028" + "\x00" * 3 + "k" * 5000
    body = invoice(**{hostile: "1"})
    response = ixrules_mock.httpx.post("/invoices.json", json=body)
    assert response.status_code == 201
    header = response.headers["x-ixrules-warnings"]
    assert len(header) <= MAX_HEADER
    assert all(32 <= ord(ch) < 127 for ch in header)
    assert "Set-Cookie" not in response.headers


# --- bad input --------------------------------------------------------------------------------

BAD_PARAMETERS = {"error": {"code": "400", "message": "Some parameters were incorrect."}}


@pytest.mark.parametrize(
    "content",
    [
        b"{",
        b'{"invoice": ',
        b"\xff\xfe",
        b'{"invoice": {"client": }}',
        b"[" * 100000,
        b'{"a":' * 5000 + b"1" + b"}" * 5000,
        b'{"invoice": ' + b"[" * 70 + b"]" * 70 + b"}",
    ],
)
def test_a_body_that_is_no_json_or_too_deep_is_400_and_the_mock_serves_on(
    ixrules_mock: MockFixture, content: bytes
) -> None:
    api = ixrules_mock.httpx
    response = api.post("/invoices.json", content=content, headers=JSON)
    assert (response.status_code, response.json()) == (400, BAD_PARAMETERS)
    assert api.post("/invoices.json", json=invoice()).status_code == 201


def test_a_body_not_sent_as_json_is_the_content_type_message(ixrules_mock: MockFixture) -> None:
    api = ixrules_mock.httpx
    ident = api.post("/invoices.json", json=invoice()).json()["invoice"]["id"]
    for content_type in ("text/plain", "application/vnd.api+json", ""):
        response = api.put(
            f"/invoices/{ident}/email-document.json",
            content=json.dumps({"message": {"client": {"email": "a@example.com"}}}),
            headers={"Content-Type": content_type},
        )
        assert (response.status_code, errors(response)) == (
            422,
            ["No content type or wrongly specified"],
        )
    form = api.post(
        "/clients.json",
        content=b"client[name]=Acme",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert errors(form) == ["No content type or wrongly specified"]


def test_a_body_over_the_limit_is_413() -> None:
    mock = Mock(api_key="k", max_body=1000)
    api = httpx_client(mock)
    response = api.post("/clients.json", json={"client": {"name": "x" * 2000}})
    assert response.status_code == 413
    assert api.post("/clients.json", json={"client": {"name": "Acme"}}).status_code == 201


def test_a_valid_json_body_that_is_not_an_object_is_answered_as_the_api_fails(
    ixrules_mock: MockFixture,
) -> None:
    api = ixrules_mock.httpx
    for body in ([1, 2], "text", 3, None, {"quote": {}}):
        response = api.post("/invoices.json", content=json.dumps(body), headers=JSON)
        if body is None:  # "null": no body at all, the missing root's messages
            assert response.status_code == 422
        else:
            assert (response.status_code, response.content) == (500, b"")


@pytest.mark.parametrize(
    "name",
    [
        "<script>alert(1)</script>",
        "Robert'); DROP TABLE records;--",
        "\u202eevil",
        "a\x00b",
        "😀" * 50,
        "\ud800".encode("utf-8", "surrogatepass").decode("utf-8", "replace"),
    ],
)
def test_hostile_strings_are_stored_and_given_back_as_sent(
    ixrules_mock: MockFixture, name: str
) -> None:
    api = ixrules_mock.httpx
    created = api.post("/clients.json", json={"client": {"name": name}})
    assert created.status_code == 201
    ident = created.json()["client"]["id"]
    assert api.get(f"/clients/{ident}.json").json()["client"]["name"] == name
    found = api.get("/clients/find-by-name.json", params={"client_name": name})
    assert found.status_code == 200 and found.json()["client"]["id"] == ident
    log = ixrules_mock.received()
    assert all(isinstance(entry["path"], str) and entry["path"].isascii() for entry in log)


def test_a_fault_of_the_mock_is_a_500_and_it_serves_on(
    ixrules_mock: MockFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ixrules.mock import catalog

    def broken(call: Any) -> Any:
        raise RuntimeError("boom\r\nX-Injected: 1")

    monkeypatch.setitem(
        __import__("ixrules.mock.handlers").mock.handlers.NAMED, "clients.create", broken
    )
    api = ixrules_mock.httpx
    response = api.post("/clients.json", json={"client": {"name": "Acme"}})
    assert response.status_code == 500 and "x-injected" not in response.headers
    assert ixrules_mock.received()[-1]["fault"] == "RuntimeError: boom\\r\\nX-Injected: 1"
    assert api.get("/clients.json").json()["clients"] == []  # rolled back
    monkeypatch.setitem(
        __import__("ixrules.mock.handlers").mock.handlers.NAMED,
        "clients.create",
        catalog.create_client,
    )
    assert api.post("/clients.json", json={"client": {"name": "Acme"}}).status_code == 201


# --- the documents' life ----------------------------------------------------------------------


def test_finalizing_numbers_each_type_in_its_sequence(ixrules_mock: MockFixture) -> None:
    api = ixrules_mock.httpx
    numbers = []
    for path, root in (("invoices", "invoice"), ("invoices", "invoice"), ("quotes", "quote")):
        ident = api.post(f"/{path}.json", json={root: invoice()["invoice"]}).json()[root]["id"]
        done = api.put(f"/{path}/{ident}/change-state.json", json={root: {"state": "finalized"}})
        numbers.append(done.json()[root]["sequence_number"])
    assert numbers == ["1/A", "2/A", "1/A"]
    sequence = api.get("/sequences.json").json()["sequences"][0]
    assert (sequence["current_invoice_number"], sequence["current_quote_number"]) == (2, 1)


def test_an_invoice_receipt_is_settled_by_finalizing(ixrules_mock: MockFixture) -> None:
    api = ixrules_mock.httpx
    created = api.post("/invoice_receipts.json", json={"invoice_receipt": invoice()["invoice"]})
    ident = created.json()["invoice_receipt"]["id"]
    done = api.put(
        f"/invoice_receipts/{ident}/change-state.json", json={"invoice": {"state": "finalized"}}
    )
    assert done.json()["invoice_receipt"]["status"] == "settled"
    cancel = api.put(
        f"/invoice_receipts/{ident}/change-state.json",
        json={"invoice": {"state": "canceled", "message": "Wrong"}},
    )
    assert cancel.json()["invoice_receipt"]["status"] == "canceled"


def test_an_estimates_life(ixrules_mock: MockFixture) -> None:
    api = ixrules_mock.httpx
    ident = api.post("/quotes.json", json={"quote": invoice()["invoice"]}).json()["quote"]["id"]

    def event(state: str) -> httpx.Response:
        return api.put(f"/quotes/{ident}/change-state.json", json={"quote": {"state": state}})

    assert event("accept").status_code == 406  # a draft is not accepted
    assert event("finalized").json()["quote"]["status"] == "final"
    assert event("accept").json()["quote"]["status"] == "accepted"
    assert event("refused").json()["quote"]["status"] == "refused"
    assert event("finalized").status_code == 406


def test_an_update_replaces_the_lines_and_keeps_the_rest(ixrules_mock: MockFixture) -> None:
    api = ixrules_mock.httpx
    body = invoice(observations="First")
    body["invoice"]["items"].append({"name": "Ink", "unit_price": "2", "quantity": "3"})
    ident = api.post("/invoices.json", json=body).json()["invoice"]["id"]
    updated = api.put(
        f"/invoices/{ident}.json",
        json={"invoice": {"items": [{"name": "Ink", "unit_price": "2", "quantity": 1}]}},
    )
    document = updated.json()["invoice"]
    assert [line["name"] for line in document["items"]] == ["Ink"]
    assert document["observations"] == "First" and document["total"] == 2.46
    kept = api.put(f"/invoices/{ident}.json", json={"invoice": {"reference": "PO-1"}}).json()
    assert [line["name"] for line in kept["invoice"]["items"]] == ["Ink"]


def test_unknown_clients_and_items_are_created_known_items_updated(
    ixrules_mock: MockFixture,
) -> None:
    api = ixrules_mock.httpx
    api.post(
        "/items.json", json={"item": {"name": "Pen", "unit_price": "1.0", "description": "Old"}}
    )
    body = invoice(client={"name": "Globex", "email": "a@globex.example"})
    body["invoice"]["items"][0].update(description="Blue pen", unit="unit")
    response = api.post("/invoices.json", json=body)
    warnings = [w["rule"] for w in json.loads(response.headers["x-ixrules-warnings"])]
    assert warnings == ["document.client.created"]
    clients = api.get("/clients.json").json()["clients"]
    assert [(c["name"], c.get("email")) for c in clients] == [("Globex", "a@globex.example")]
    items = api.get("/items.json").json()["items"]
    assert [(i["name"], i["description"], i["unit_price"], i["unit"]) for i in items] == [
        ("Pen", "Blue pen", 24.3902, "unit")
    ]


def test_an_unknown_tax_is_the_default_on_create_and_none_on_update(
    ixrules_mock: MockFixture,
) -> None:
    api = ixrules_mock.httpx
    body = invoice()
    body["invoice"]["items"][0]["tax"] = {"name": "IVA99"}
    created = api.post("/invoices.json", json=body)
    line = created.json()["invoice"]["items"][0]
    assert line["tax"]["name"] == "IVA23" and line["tax_amount"] == 5.61
    assert [w["rule"] for w in json.loads(created.headers["x-ixrules-warnings"])] == [
        "document.client.created",
        "item.tax.default_applied",
    ]
    ident = created.json()["invoice"]["id"]
    updated = api.put(f"/invoices/{ident}.json", json=body).json()["invoice"]
    assert "tax" not in updated["items"][0] and updated["taxes"] == 0


def test_a_document_without_date_is_dated_by_the_mocks_clock(ixrules_mock: MockFixture) -> None:
    ixrules_mock.set_clock("2025-02-03T04:05:06")
    body = invoice()
    del body["invoice"]["date"], body["invoice"]["due_date"]
    document = ixrules_mock.httpx.post("/invoices.json", json=body).json()["invoice"]
    assert (document["date"], document["due_date"]) == ("03/02/2025", "03/02/2025")


def test_a_guide_is_loaded_after_the_mocks_now(ixrules_mock: MockFixture) -> None:
    api = ixrules_mock.httpx
    ixrules_mock.set_clock("2024-05-10T10:00:00")
    guide = invoice(loaded_at="10/05/2024 09:00:00")["invoice"]
    late = api.post("/shippings.json", json={"shipping": guide})
    assert errors(late) == ["Loaded at must be later than now"]
    guide["loaded_at"] = "10/05/2024 11:00:00"
    assert api.post("/shippings.json", json={"shipping": guide}).status_code == 201


# --- reading, payments, catalogue -------------------------------------------------------------


def test_pdf_is_202_then_200_and_a_drafts_qr_code_is_refused(ixrules_mock: MockFixture) -> None:
    api = ixrules_mock.httpx
    ident = api.post("/invoices.json", json=invoice()).json()["invoice"]["id"]
    first, second = api.get(f"/api/pdf/{ident}.json"), api.get(f"/api/pdf/{ident}.json")
    assert (first.status_code, second.status_code) == (202, 200)
    assert second.json()["output"]["pdfUrl"].endswith(f"/_mock/files/{ident}.pdf")
    assert api.get(second.json()["output"]["pdfUrl"]).status_code == 200
    qr = api.get(f"/api/qr_codes/{ident}.json")
    assert qr.status_code == 422 and qr.json() == {
        "error": f"Document with ID {ident} is still in draft. QR Codes are only available "
        "for final, canceled or settled documents."
    }
    api.put(f"/invoices/{ident}/change-state.json", json={"invoice": {"state": "finalized"}})
    assert api.get(f"/api/qr_codes/{ident}.json").status_code == 202
    assert "url" in api.get(f"/api/qr_codes/{ident}.json").json()["qr_code"]


def test_a_payment_issues_a_receipt_and_settles_what_it_pays(ixrules_mock: MockFixture) -> None:
    api = ixrules_mock.httpx
    ident = api.post("/invoices.json", json=invoice()).json()["invoice"]["id"]
    api.put(f"/invoices/{ident}/change-state.json", json={"invoice": {"state": "finalized"}})
    part = api.post(
        f"/documents/{ident}/partial_payments.json",
        json={"partial_payment": {"amount": "10", "payment_mechanism": "TB"}},
    )
    assert part.status_code == 200 and part.json()["receipt"]["total"] == 10
    assert api.get(f"/invoices/{ident}.json").json()["invoice"]["status"] == "final"
    rest = api.post(
        f"/documents/{ident}/partial_payments.json", json={"partial_payment": {"amount": 20}}
    ).json()["receipt"]
    assert api.get(f"/invoices/{ident}.json").json()["invoice"]["status"] == "settled"
    related = api.get(f"/document/{ident}/related_documents.json").json()["documents"]
    assert [d["type"] for d in related] == ["Receipt", "Receipt"]
    blank = api.put(
        f"/receipts/{rest['id']}/change-state.json", json={"receipt": {"state": "canceled"}}
    )
    assert errors(blank) == ["Cancel message can't be blank"]
    api.put(
        f"/receipts/{rest['id']}/change-state.json",
        json={"receipt": {"state": "canceled", "message": "Bounced"}},
    )
    assert api.get(f"/invoices/{ident}.json").json()["invoice"]["status"] == "final"
    twice = api.put(
        f"/receipts/{rest['id']}/change-state.json",
        json={"receipt": {"state": "canceled", "message": "Again"}},
    )
    assert twice.status_code == 406


def test_lists_filter_and_page(ixrules_mock: MockFixture) -> None:
    api = ixrules_mock.httpx
    for day in range(1, 26):
        api.post("/invoices.json", json=invoice(date=f"{day:02d}/05/2024", due_date="30/05/2024"))
    page = api.get("/invoices.json", params={"page": 2, "per_page": 10}).json()
    assert len(page["invoices"]) == 10
    assert page["pagination"] == {
        "total_entries": 25,
        "current_page": 2,
        "total_pages": 3,
        "per_page": 10,
    }
    ranged = api.get(
        "/invoices.json", params={"date[from]": "05/05/2024", "date[to]": "07/05/2024"}
    )
    assert sorted(d["date"] for d in ranged.json()["invoices"]) == [
        "05/05/2024",
        "06/05/2024",
        "07/05/2024",
    ]
    assert api.get("/invoices.json", params={"status[]": "sent"}).json()["invoices"] == []
    assert api.get("/estimates.json").json()["estimates"] == []
    assert api.get("/invoices.json", params={"type[]": ["CreditNote"]}).json()["invoices"] == []


def test_find_a_client_and_its_documents(ixrules_mock: MockFixture) -> None:
    api = ixrules_mock.httpx
    ident = api.post("/clients.json", json={"client": {"name": "Acme", "code": "A1"}}).json()[
        "client"
    ]["id"]
    api.post("/invoices.json", json=invoice())
    assert (
        api.get("/clients/find-by-name.json", params={"client_name": "acme"}).json()["client"]["id"]
        == ident
    )
    assert (
        api.get("/clients/find-by-code.json", params={"client_code": "A1"}).json()["client"]["id"]
        == ident
    )
    assert api.get("/clients/find-by-name.json", params={"client_name": "Ac"}).status_code == 404
    listed = api.post(f"/clients/{ident}/invoices.json", json={"filter": {"status": ["draft"]}})
    assert [d["client"]["name"] for d in listed.json()["invoices"]] == ["Acme"]
    assert api.post(f"/clients/{ident}/invoices.json").json()["pagination"]["total_entries"] == 1


def test_a_sequence_is_registered_once_and_made_current(ixrules_mock: MockFixture) -> None:
    api = ixrules_mock.httpx
    created = api.post(
        "/sequences.json", json={"sequence": {"serie": "B2024", "default_sequence": 1}}
    )
    sequence = created.json()["sequences"]
    assert created.status_code == 201 and sequence["default_sequence"] == 0  # recorded
    assert errors(api.post("/sequences.json", json={"sequence": {"serie": "b2024"}})) == [
        "Serie has already been taken"
    ]
    assert api.put(f"/sequences/{sequence['id']}/register.json").status_code == 200
    again = api.put(f"/sequences/{sequence['id']}/register.json")
    assert (again.status_code, again.json()["errors"]["code"]) == (409, "005")
    assert api.put(f"/sequences/{sequence['id']}/set_current.json").status_code == 200
    listed = api.get("/sequences.json").json()["sequences"]
    assert [s["serie"] for s in listed if s["default_sequence"]] == ["B2024"]
    ident = api.post("/invoices.json", json=invoice()).json()["invoice"]["id"]
    final = api.put(
        f"/invoices/{ident}/change-state.json", json={"invoice": {"state": "finalized"}}
    )
    assert final.json()["invoice"]["sequence_number"] == "1/B2024"


def test_items_and_taxes(ixrules_mock: MockFixture) -> None:
    api = ixrules_mock.httpx
    item = api.post(
        "/items.json", json={"item": {"name": "Pen", "unit_price": "1.5", "unit": "unit"}}
    )
    assert item.status_code == 201
    assert errors(api.post("/items.json", json={"item": {"name": "pen", "unit_price": 2}})) == [
        "Name has already been taken",
        "unit price is not valid",
    ]
    ident = item.json()["item"]["id"]
    assert (
        api.put(
            f"/items/{ident}.json", json={"item": {"name": "Pen", "unit_price": "2.0"}}
        ).status_code
        == 200
    )
    assert api.get(f"/items/{ident}.json").json()["item"]["unit_price"] == 2
    assert api.delete(f"/items/{ident}.json").status_code == 200
    assert api.get(f"/items/{ident}.json").status_code == 404
    region = api.post("/taxes.json", json={"tax": {"name": "IVA5", "value": "5"}})
    assert errors(region) == ["Tax region is empty"]  # a Portuguese account
    tax = api.post(
        "/taxes.json",
        json={"tax": {"name": "IVA5", "value": "5", "region": "PT", "default_tax": "1"}},
    )
    assert tax.json()["tax"]["default_tax"] == 1
    assert [t["name"] for t in api.get("/taxes.json").json()["taxes"] if t["default_tax"]] == [
        "IVA5"
    ]


def test_an_accounts_settings_and_saft(ixrules_mock: MockFixture) -> None:
    api = ixrules_mock.httpx
    account = api.get("/api/accounts/1/get.json").json()["account"]
    assert account["organization_name"] == "Acme"
    assert api.get("/api/accounts/2/get.json").status_code == 404
    other = api.post(
        "/api/accounts/create.json",
        json={
            "account": {
                "organization_name": "Globex",
                "email": "a@globex.example",
                "password": "x" * 8,
                "terms": "1",
                "fiscal_id": "500100200",
            }
        },
    )
    assert other.status_code == 201 and other.json()["account"]["name"] == "globex"
    taken = api.put("/api/accounts/1/update.json", json={"account": {"fiscal_id": "500100200"}})
    assert errors(taken) == ["Vat Number is already used in another account"]
    assert (
        api.put(
            "/api/accounts/1/update.json", json={"account": {"fiscal_id": "999999990"}}
        ).status_code
        == 200
    )
    changed = api.put("/api/accounts/1/update.json", json={"account": {"fiscal_id": "123456789"}})
    assert errors(changed) == ["Vat Number can't be changed"]
    none = api.get("/api/export_saft.json", params={"month": "5", "year": "2024"})
    assert none.json() == {
        "message": "There aren't any documents to export on the selected period."
    }
    ident = api.post("/invoices.json", json=invoice()).json()["invoice"]["id"]
    api.put(f"/invoices/{ident}/change-state.json", json={"invoice": {"state": "finalized"}})
    first = api.get("/api/export_saft.json", params={"month": "5", "year": "2024"})
    second = api.get("/api/export_saft.json", params={"month": "5", "year": "2024"})
    assert (first.status_code, second.status_code) == (202, 200) and "Url" in second.json()
    month = api.get("/api/export_saft.json", params={"year": "2024"})
    assert month.json() == {"message": "You need to send the month in the request body."}


def test_a_clients_current_account(ixrules_mock: MockFixture) -> None:
    api = ixrules_mock.httpx
    ident = api.post("/clients.json", json={"client": {"name": "Acme"}}).json()["client"]["id"]
    base = f"/api/v3/clients/{ident}"
    api.put(
        f"{base}/initial_balance.json",
        json={"initial_balance": {"value": 100, "date": "2024-01-01"}},
    )
    blank = api.post(f"{base}/regularization.json", json={"regularization": {"value": 10}})
    assert errors(blank) == ["Date can't be blank"]
    made = api.post(
        f"{base}/regularization.json", json={"regularization": {"value": 10, "date": "2024-02-01"}}
    )
    entry = made.json()["regularization"][0]
    moved = api.post(
        f"{base}/treasury_movements.json",
        json={
            "treasury_movement": {"value": "5", "movement_type": "Payment", "date": "2024-02-02"}
        },
    )
    assert moved.status_code == 201
    assert api.get(f"{base}/balance.json").json()["balance"]["with_vat"] == 85
    assert len(api.get(f"{base}/regularization.json").json()["regularization"]) == 1
    assert api.delete(f"{base}/regularization/{entry['id']}.json").status_code == 200
    assert api.delete(f"{base}/regularization/{entry['id']}.json").status_code == 404


# --- every route, and nothing served without a prediction -------------------------------------


def test_every_route_of_the_route_table_has_a_handler() -> None:
    assert [e.name for e in endpoints() if handler(e) is None] == []


SEED = {
    "clients": [{"name": "Acme", "code": "A1"}],
    "items": [{"name": "Pen", "unit_price": "1.0"}],
    "documents": [
        {
            "type": t,
            "status": "final",
            "client": {"name": "Acme"},
            "items": [{"name": "Pen", "unit_price": "1", "quantity": 1}],
        }
        for t in (
            "invoice",
            "invoice_receipt",
            "simplified_invoice",
            "credit_note",
            "debit_note",
            "quote",
            "proforma",
            "fees_note",
            "shipping",
            "transport",
            "devolution",
            "purchase_order",
        )
    ],
}


@pytest.mark.ixrules_mock(seed=SEED, now=NOW)
def test_every_route_answers_without_a_fault(ixrules_mock: MockFixture) -> None:
    api = ixrules_mock.httpx
    documents = {d["path"]: d["id"] for d in ixrules_mock.state()["documents"]}
    pay = api.post(
        f"/documents/{documents['invoices']}/partial_payments.json",
        json={"partial_payment": {"amount": "0.5"}},
    )
    documents["receipts"] = pay.json()["receipt"]["id"]
    entry = api.post(
        "/api/v3/clients/1/treasury_movements.json",
        json={"treasury_movement": {"value": "1", "date": "2024-01-01"}},
    )
    assert entry.status_code == 201
    api.post(
        "/api/v3/clients/1/regularization.json",
        json={"regularization": {"value": "1", "date": "2024-01-01"}},
    )
    entries = {e["kind"]: e["id"] for e in ixrules_mock.state()["entries"]}
    for endpoint in endpoints():
        ids = [
            documents.get(endpoint.path, documents["invoices"])
            if endpoint.path not in ("clients", "items", "taxes", "sequences", "accounts")
            else 1
        ]
        if endpoint.name == "clients.delete_regularization":
            ids.append(entries["regularization"])
        if endpoint.name == "clients.delete_treasury_movement":
            ids.append(entries["treasury_movement"])
        path = endpoint.route
        for ident in ids:
            path = path.replace("{id}", str(ident), 1)
        response = api.request(
            endpoint.method, path, json={endpoint.roots[0]: {}} if endpoint.roots else None
        )
        assert response.status_code not in (405, 501), endpoint.name
        assert "fault" not in ixrules_mock.received()[-1], endpoint.name
        assert response.status_code < 500 or endpoint.name == "taxes.create", endpoint.name


# --- control routes, seeds, the fixture and the transports ------------------------------------


def test_the_control_routes(ixrules_mock: MockFixture) -> None:
    api = ixrules_mock.httpx
    api.post("/clients.json", json={"client": {"name": "Acme", "email": "nope"}})
    api.post("/clients.json", json={"client": {"name": "Acme"}})
    log = api.get("/_mock/requests").json()["requests"]
    assert [(entry["status"], entry["endpoint"]) for entry in log] == [
        (422, "clients.create"),
        (201, "clients.create"),
    ]
    assert [f["rule"] for f in log[0]["findings"]] == ["client.email.valid"]
    assert [c["name"] for c in api.get("/_mock/state").json()["clients"]] == ["Acme"]
    clock = api.put("/_mock/clock", json={"now": "2030-01-02T03:04:05"})
    assert clock.json() == {"now": "2030-01-02T03:04:05", "frozen": True}
    assert api.get("/_mock/state").json()["now"] == "2030-01-02T03:04:05"
    assert api.put("/_mock/clock", json={"now": "tomorrow"}).status_code == 400
    assert api.put("/_mock/clock", json={"now": None}).json()["frozen"] is False
    assert api.post("/_mock/reset").json() == {"reset": True}
    assert api.get("/_mock/state").json()["clients"] == []
    assert api.get("/_mock/requests").json()["requests"] == []
    assert api.get("/_mock/nothing").status_code == 404


def test_a_seed_file_in_yaml(tmp_path: Any) -> None:
    seed = tmp_path / "seed.yaml"
    seed.write_text(
        "account: {organization_name: Globex, mb_payment_provider: true, country: Spain}\n"
        "now: '2024-05-10T10:00:00'\n"
        "taxes: [{name: IVA21, value: '21', region: ES, default_tax: 1}]\n"
        "documents:\n"
        "  - {type: invoice, status: settled, client: {name: Acme},\n"
        "     items: [{name: Pen, unit_price: '10', quantity: 1}]}\n",
        encoding="utf-8",
    )
    mock = Mock(api_key="k", seed_data=seed)
    api = httpx_client(mock)
    document = api.get("/invoices/1.json").json()["invoice"]
    assert (document["status"], document["sequence_number"], document["total"]) == (
        "settled",
        "1/A",
        12.1,
    )
    assert errors(api.put("/invoices/1.json", json={"invoice": {"observations": "x"}})) == [
        "Invoice has been settled so can't be changed anymore"
    ]
    body = invoice(mb_reference="1")
    body["invoice"]["items"][0]["tax"] = {"name": "IVA21"}
    assert api.post("/invoices.json", json=body).status_code == 201  # the provider is set
    assert api.post("/taxes.json", json={"tax": {"name": "Zero", "value": "0"}}).status_code == 201


@pytest.mark.parametrize(
    ("seed", "message"),
    [
        ([], "a seed is a mapping"),
        ({"clientes": []}, "unknown seed section(s) clientes"),
        ({"clients": {"name": "A"}}, "the seed's clients is a list of mappings"),
        ({"now": "today"}, "a time is written YYYY-MM-DDTHH:MM:SS"),
        ({"documents": [{"type": "bill"}]}, "unknown document type 'bill'"),
    ],
)
def test_a_bad_seed_says_what_is_wrong(seed: Any, message: str) -> None:
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        Mock(api_key="k", seed_data=seed)


def test_the_fixture_gives_a_fresh_mock_each_time(ixrules_mock: MockFixture) -> None:
    assert ixrules_mock.httpx.get("/clients.json").json()["clients"] == []
    assert ixrules_mock.requests.get(ixrules_mock.url("/clients.json")).json()["clients"] == []
    assert (
        ixrules_mock.requests.post(
            ixrules_mock.url("/clients.json"), json={"client": {"name": "A"}}
        ).status_code
        == 201
    )
    assert (
        ixrules_mock.requests.get(
            "https://acme.app.invoicexpress.com/clients/1.json",
            params={"api_key": ixrules_mock.api_key},
        ).json()["client"]["name"]
        == "A"
    )


def test_the_async_transport() -> None:
    import anyio

    mock = Mock(api_key="k")

    async def scenario() -> list[int]:
        async with async_httpx_client(mock) as api:
            first = await api.post("/clients.json", json={"client": {"name": "Acme"}})
            second = await api.post("/clients.json", json={"client": {"name": "Acme"}})
            return [first.status_code, second.status_code]

    assert anyio.run(scenario) == [201, 422]


def test_the_mock_reads_a_request_as_sent() -> None:
    mock = Mock(api_key="k")
    raw = MockRequest(
        "post",
        "/clients.json?api_key=k",
        {"content-type": "application/json"},
        b'{"client": {"name": "Acme"}}',
    )
    assert mock.handle(raw).status == 201
    encoded = mock.handle(MockRequest("GET", "/clients/%31.json?api_key=k"))
    assert encoded.status == 200 and encoded.json()["client"]["name"] == "Acme"


def test_importing_ixrules_or_the_mock_imports_no_server() -> None:
    probe = (
        "import sys, json, ixrules, ixrules.mock\n"
        "from ixrules.mock import Mock\n"
        "from ixrules.cli.main import build_parser\nbuild_parser()\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('starlette', 'uvicorn', 'httpx', 'requests', 'ixrules.api'))))"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout) == []


def test_the_command_without_the_extra_says_how_to_install_it() -> None:
    probe = (
        "import sys\nsys.modules['uvicorn'] = None\n"
        "from ixrules.cli.main import main\nsys.exit(main(['mock']))"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert out.returncode == 2 and out.stdout == ""
    assert (
        out.stderr == "ixrules mock needs the mock extra: python -m pip install 'ixrules[mock]'\n"
    )
