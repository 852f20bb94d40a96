"""The mock and the pre-flight never disagree: for generated account states and bodies (valid
ones, and valid ones with one thing wrong, from tests/strategies.py), the mock's status and
error body are exactly what ``ixrules.check_request`` predicts given a context built here,
independently of the mock, from the mock's own state snapshot (``GET /_mock/state``)."""

from __future__ import annotations

import json
import math
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import broken_cases, examples, valid_cases

import ixrules
from ixrules.mock import Mock
from ixrules.mock.transport import httpx_client

NOW = "2024-05-10T10:00:00"
RULES = ixrules.Rules.load()

#: Endpoints and the seeded record their route names ({id}): a document of the path's type,
#: else the first client, item, tax or account.
ENDPOINTS = [
    "clients.create",
    "clients.update",
    "items.create",
    "items.update",
    "taxes.create",
    "taxes.update",
    "sequences.create",
    "invoices.create",
    "invoices.update",
    "invoices.change_state",
    "credit_notes.change_state",
    "invoice_receipts.change_state",
    "quotes.create",
    "quotes.change_state",
    "shippings.create",
    "shippings.update",
    "shippings.change_state",
    "invoices.email",
    "partial_payments.create",
    "accounts.update",
    "accounts.create",
    "saft.export",
    "clients.treasury_movements",
]

NAMES = st.sampled_from(["Acme", "acme house", "Globex", "IVA23", "Pen", "2024", "A"])
STATUSES = {
    "invoices": ["draft", "final", "settled", "canceled"],
    "credit_notes": ["draft", "final", "settled"],
    "invoice_receipts": ["draft", "settled", "canceled"],
    "quotes": ["draft", "final", "accepted", "refused", "canceled"],
    "shippings": ["draft", "final", "canceled"],
}
PATH_TYPE = {
    "invoices": "invoice",
    "credit_notes": "credit_note",
    "invoice_receipts": "invoice_receipt",
    "quotes": "quote",
    "shippings": "shipping",
}


@st.composite
def seeds(draw: Any) -> dict[str, Any]:
    """An account's state: its settings, names it already has, a document of each type."""
    line = {"name": "Pen", "unit_price": "10", "quantity": 1}
    documents = [
        {
            "type": kind,
            "status": draw(st.sampled_from(STATUSES[path])),
            "date": "10/05/2024",
            "client": {"name": "Acme"},
            "items": [line],
        }
        for path, kind in PATH_TYPE.items()
    ]
    return {
        "now": NOW,
        "account": {
            "country": draw(st.sampled_from(["Portugal", "Spain", "PT"])),
            "trial": draw(st.booleans()),
            "mb_payment_provider": draw(st.booleans()),
            "company_info_complete": draw(st.booleans()),
            "fiscal_id": draw(st.sampled_from(["", "500100200"])),
        },
        "clients": [{"name": n} for n in draw(st.lists(NAMES, max_size=3, unique_by=str.casefold))],
        "items": [
            {"name": n, "unit_price": "1"}
            for n in draw(st.lists(NAMES, max_size=2, unique_by=str.casefold))
        ],
        "taxes": [
            {"name": n, "value": v, "region": "PT", "default_tax": i == 0}
            for i, (n, v) in enumerate(
                draw(
                    st.lists(
                        st.tuples(
                            st.sampled_from(["IVA23", "IVA0", "IVA6"]),
                            st.sampled_from(["23", "0", "6"]),
                        ),
                        min_size=1,
                        max_size=3,
                        unique_by=lambda t: t[0],
                    )
                )
            )
        ],
        "sequences": [
            {"serie": s, "default_sequence": i == 0}
            for i, s in enumerate(
                draw(st.lists(st.sampled_from(["A", "2024"]), min_size=1, max_size=2, unique=True))
            )
        ],
        "accounts": [
            {
                "organization_name": "Other",
                "fiscal_id": draw(st.sampled_from(["500100200", "999999990"])),
            }
        ],
        "documents": documents,
    }


def context_of(
    state: dict[str, Any], endpoint: str, target: dict[str, Any] | None, query: dict[str, str]
) -> dict[str, Any]:
    """The context snapshot of a request, from the mock's state as ``GET /_mock/state`` gives
    it (built here, not by the mock's own code)."""
    path = endpoint.split(".")[0]
    own = target["id"] if target is not None else None

    def names(kind: str, key: str = "name") -> list[str]:
        return [r[key] for r in state[kind] if not (path == kind and r["id"] == own)]

    account = {
        k: state["account"][k]
        for k in ("country", "trial", "mb_payment_provider", "company_info_complete")
    }
    context: dict[str, Any] = {
        "now": NOW,
        "account": account,
        "existing": {
            "clients": names("clients"),
            "items": names("items"),
            "taxes": {
                t["name"]: t["value"]
                for t in state["taxes"]
                if not (path == "taxes" and t["id"] == own)
            },
            "sequences": [s["serie"] for s in state["sequences"]],
        },
    }
    if path == "accounts":
        if target is not None:
            account["fiscal_id"] = state["account"]["fiscal_id"]
        context["fiscal_ids_in_use"] = [a["fiscal_id"] for a in state["accounts"] if a["fiscal_id"]]
        if target is None and state["account"]["fiscal_id"]:
            context["fiscal_ids_in_use"].append(state["account"]["fiscal_id"])
    if target is not None and "status" in target:
        context["document"] = {"id": target["id"], "status": target["status"]}
    if endpoint == "saft.export":
        month, year = query.get("month", ""), query.get("year", "")
        if month.strip().isdigit() and year.strip().isdigit() and 1 <= int(month) <= 12:
            context["documents_in_period"] = sum(
                1
                for d in state["documents"]
                if d["status"] not in ("draft", "deleted")
                and d["date"].split("/")[1:] == [f"{int(month):02d}", year.strip()]
            )
    return context


def _target(state: dict[str, Any], endpoint: str) -> dict[str, Any] | None:
    path = endpoint.split(".")[0]
    if "{id}" not in RULES.endpoint(endpoint).route:
        return None
    if path in ("clients", "items", "taxes"):
        return state[path][0] if state[path] else None
    if path == "accounts":
        return state["account"]
    wanted = "invoices" if path == "partial_payments" else path
    return next(d for d in state["documents"] if d["path"] == wanted)


@settings(
    max_examples=examples(120),
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
        HealthCheck.data_too_large,
    ],
)
@given(seed=seeds(), endpoint=st.sampled_from(ENDPOINTS), data=st.data())
def test_the_mock_answers_what_check_request_predicts(seed: Any, endpoint: str, data: Any) -> None:
    case = data.draw(st.one_of(valid_cases(endpoint), broken_cases(endpoint)), label="case")
    body = case.body
    mock = Mock(api_key="k", seed_data=seed)
    api = httpx_client(mock)
    state = api.get("/_mock/state").json()
    spec = RULES.endpoint(endpoint)
    target = _target(state, endpoint)
    path = spec.route.replace("{id}", str(target["id"] if target else 1), 1)
    query: dict[str, str] = {"api_key": "k"}
    sent: Any = body
    if not spec.roots:  # SAF-T: the parameters travel in the query
        query.update({str(k): _text(v) for k, v in body.items() if v is not None})
        sent = None
    try:
        content = None if sent is None else json.dumps(sent).encode()
    except (TypeError, ValueError):
        return  # a value JSON cannot carry never reaches an HTTP API
    response = api.request(
        spec.method,
        path,
        params=query,
        content=content,
        headers={"Content-Type": "application/json"},
    )
    if response.status_code in (400, 409):  # the mock's own answers, before any prediction
        return
    if target is None and "{id}" in spec.route:  # no such record: 404
        assert (response.status_code, response.content) == (404, b"")
        return
    parsed = json.loads(content) if content is not None else None
    predicted = ixrules.check_request(
        spec.method,
        str(response.request.url),
        headers={"Content-Type": "application/json"},
        body=parsed,
        context=context_of(state, endpoint, target, query),
    )
    if predicted.ok:  # SAF-T is 202 while the file is made (then 200), as the API answers
        generated = 202 if endpoint == "saft.export" else predicted.status
        assert response.status_code in (predicted.status, generated), response.text
        return
    assert response.status_code == predicted.status, (predicted.to_dict(), response.text)
    if predicted.status == 500:
        assert response.content == b""
    else:
        assert response.json() == predicted.to_api()


def _text(value: Any) -> str:
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    return value if isinstance(value, str) else json.dumps(value)
