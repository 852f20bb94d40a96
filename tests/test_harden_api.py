"""Issue 27, items 5, 8, 13 and 16 (the library's side): the pre-flight never reads a body it does
not check and never blocks the event loop; ``IXBody`` and the example app answer 422, never 500,
for numbers JSON cannot write; ``body_from_form`` with a locale takes any value and says clearly
what a bad locale is; ``check_request`` refuses ``NaN`` and ``Infinity`` as the lint does.
"""

from __future__ import annotations

import asyncio
import importlib.util
import json
import logging
import math
import threading
import tracemalloc
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

import httpx
import pytest
import requests
from pydantic import BaseModel, ValidationError

import ixrules
from ixrules.forms import body_from_form, local_number
from ixrules.http import preflight
from ixrules.pydantic import IXBody

with warnings.catch_warnings():  # Starlette's note about which HTTP client it prefers
    warnings.simplefilter("ignore")
    from fastapi import FastAPI
    from fastapi.testclient import TestClient

BASE = "https://acme.app.invoicexpress.com"
URL = f"{BASE}/clients.json?api_key=secret"
GOOD = {"client": {"name": "Acme", "code": "A1"}}
BAD = {"client": {"name": "Acme", "send_options": "4"}}
CHUNK = 64 << 10


class Upload:
    """A streamed body: chunks made as they are read, each read recorded."""

    def __init__(self, chunks: int) -> None:
        self.chunks = chunks
        self.reads = 0

    def __iter__(self) -> Iterator[bytes]:
        for _ in range(self.chunks):
            self.reads += 1
            yield b"x" * CHUNK


class Drain(httpx.BaseTransport):
    """A transport that sends a streamed body chunk by chunk, as a socket would, and records
    how many chunks had been read before it got the request (httpx's MockTransport reads the
    whole body first)."""

    def __init__(self, upload: Upload | None = None) -> None:
        self.upload = upload
        self.read_before: int | None = None
        self.size = 0
        self.requests: list[httpx.Request] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        self.read_before = None if self.upload is None else self.upload.reads
        for chunk in request.stream:  # type: ignore[union-attr]
            self.size += len(chunk)
        return httpx.Response(201)


# --- item 5: the pre-flight looks at the host first -------------------------------------------


@pytest.mark.parametrize(
    "url", ["https://uploads.example.com/big", f"{BASE}/clients.json?api_key=k"]
)
def test_a_streamed_body_is_never_read_by_the_preflight(
    url: str, caplog: pytest.LogCaptureFixture
) -> None:
    upload = Upload(256)  # 16 MB
    drain = Drain(upload)
    client = preflight(httpx.Client(transport=drain))
    tracemalloc.start()
    try:
        with caplog.at_level(logging.WARNING, logger="ixrules.http"):
            assert client.post(url, content=upload).status_code == 201
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert drain.read_before == 0  # the transport got it unread
    assert drain.size == 256 * CHUNK
    assert peak < 4 * 1024 * 1024, peak  # a few chunks, never the body
    messages = [record.getMessage() for record in caplog.records]
    if url.startswith(BASE):  # the API's host: said plainly, without the key
        assert messages == [f"POST {BASE}/clients.json not checked: a streamed body"]
    else:
        assert messages == []


def test_a_body_to_another_host_is_never_looked_at() -> None:
    class Watched(httpx.ByteStream):
        touched = 0

        def __iter__(self) -> Iterator[bytes]:
            Watched.touched += 1
            yield b"{}"

    drain = Drain()
    client = preflight(httpx.Client(transport=drain))
    request = httpx.Request("POST", "https://example.com/x", stream=Watched(b"{}"))
    assert client.send(request).status_code == 201 and len(drain.requests) == 1
    assert Watched.touched == 1  # once: by the transport


def test_requests_to_another_host_are_not_checked_and_no_key_is_logged(
    caplog: pytest.LogCaptureFixture,
) -> None:
    sent: list[requests.PreparedRequest] = []

    class Local(requests.adapters.BaseAdapter):
        def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:
            sent.append(request)
            response = requests.Response()
            response.status_code = 201
            return response

        def close(self) -> None:
            pass

    session = requests.Session()
    session.mount("https://", Local())
    preflight(session)
    with caplog.at_level(logging.WARNING, logger="ixrules.http"):
        session.post(URL, data=iter([b"{}"]))  # a stream to the API: logged, key left out
        session.post("https://example.com/x", data=iter([b"{}"]))  # another host: silence
    assert [record.getMessage() for record in caplog.records] == [
        f"POST {BASE}/clients.json not checked: a streamed body"
    ]
    assert len(sent) == 2


def test_the_async_check_runs_off_the_event_loop() -> None:
    """While one request is being checked, the loop goes on: a ticker task ticks. The check's
    context function waits until the ticker has ticked, which it can only do if the check is
    not running on the loop (on the loop, the wait times out and the test fails)."""
    entered, ticked = threading.Event(), threading.Event()

    def context() -> dict[str, Any]:
        entered.set()
        assert ticked.wait(timeout=10), "the event loop was blocked while the check ran"
        return {}

    async def run() -> int:
        async def ticker() -> None:
            ticks = 0
            while not ticked.is_set():
                await asyncio.sleep(0.001)
                if entered.is_set():
                    ticks += 1
                    if ticks >= 3:
                        ticked.set()

        client = preflight(
            httpx.AsyncClient(transport=httpx.MockTransport(lambda r: httpx.Response(201))),
            context=context,
        )
        async with client:
            task = asyncio.ensure_future(ticker())
            response = await client.post(URL, json=GOOD)
            await task
        return response.status_code

    assert asyncio.run(run()) == 201


def test_the_async_check_still_refuses() -> None:
    async def run() -> str:
        client = preflight(
            httpx.AsyncClient(transport=httpx.MockTransport(lambda r: httpx.Response(201)))
        )
        async with client:
            try:
                await client.post(URL, json=BAD)
            except ixrules.PreflightError as exc:
                return str(exc)
        return ""

    assert asyncio.run(run()).endswith(
        "would be refused with 422: Send options must be within 1 and 3"
    )


# --- item 8: IXBody and the example app answer 422 for numbers JSON cannot write ----------------

APP = Path(__file__).resolve().parent.parent / "docs" / "examples" / "invoice_api" / "app.py"
NON_FINITE = ["NaN", "Infinity", "-Infinity", "1e400"]


def example_app() -> Any:
    spec = importlib.util.spec_from_file_location("invoice_api_harden", APP)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.create_app()


def plain_app() -> FastAPI:
    """IXBody with FastAPI's own error handler."""
    app = FastAPI()

    @app.post("/invoices")
    def create(body: Annotated[dict[str, Any], IXBody("invoices.create")]) -> dict[str, Any]:
        return {}

    return app


@pytest.fixture(scope="module")
def clients() -> dict[str, TestClient]:
    return {
        "example": TestClient(example_app(), raise_server_exceptions=False),
        "plain": TestClient(plain_app(), raise_server_exceptions=False),
    }


SPELLED = {"NaN": "NaN", "Infinity": "Infinity", "-Infinity": "-Infinity", "1e400": "Infinity"}


@pytest.mark.parametrize("app", ["example", "plain"])
@pytest.mark.parametrize("number", NON_FINITE)
@pytest.mark.parametrize(
    "template",
    [
        '{"invoice": {"retention": %s}}',  # the value itself is in error
        '{"invoice": {"items": [{"unit": "kg", "quantity": %s}]}}',  # inside an umbrella's input
        '{"invoices": {"retention": %s}}',  # a body ixrules cannot place
    ],
)
def test_a_non_finite_number_is_a_422_never_a_500(
    clients: dict[str, TestClient], app: str, number: str, template: str
) -> None:
    response = clients[app].post(
        "/invoices", content=template % number, headers={"content-type": "application/json"}
    )
    assert response.status_code == 422, response.text
    text = json.dumps(response.json())
    assert f'"{SPELLED[number]}"' in text


@pytest.mark.parametrize("number", NON_FINITE)
def test_the_example_app_answers_422_for_a_bare_non_finite_body(
    clients: dict[str, TestClient], number: str
) -> None:
    response = clients["example"].post(
        "/invoices", content=number, headers={"content-type": "application/json"}
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["input"] == SPELLED[number]


class Model(BaseModel):
    body: Annotated[dict[str, Any], IXBody("invoices.update")]


def test_ixbody_errors_never_hold_a_non_finite_number() -> None:
    body = {"invoice": {"retention": math.nan, "items": [{"unit": "kg", "quantity": -math.inf}]}}
    with pytest.raises(ValidationError) as caught:
        Model(body=body)
    inputs = [error["input"] for error in caught.value.errors()]
    assert "NaN" in inputs and [{"unit": "kg", "quantity": "-Infinity"}] in inputs
    json.dumps(inputs, allow_nan=False)  # what a JSON response does
    assert math.isnan(body["invoice"]["retention"])  # the caller's body is untouched


def test_finite_copies_only_what_it_must_at_any_depth_and_through_cycles() -> None:
    from ixrules.pydantic import finite  # new in issue 27

    deep: Any = [math.inf]
    for _ in range(10_000):
        deep = [deep]
    cyclic: dict[str, Any] = {"n": math.nan}
    cyclic["self"] = cyclic
    out = finite({"deep": deep, "cyclic": cyclic, "fine": {"a": 1.5}})
    assert out["cyclic"]["n"] == "NaN" and out["cyclic"]["self"] is out["cyclic"]
    node = out["deep"]
    for _ in range(10_000):
        node = node[0]
    assert node == ["Infinity"]
    fine = {"a": [1.5, "x"]}
    assert finite(fine) is fine


# --- item 13: body_from_form with a locale ----------------------------------------------------


def nested(levels: int) -> Any:
    value: Any = "1,5"
    for _ in range(levels):
        value = [value]
    return value


def test_a_deep_or_cyclic_value_is_returned_as_it_is() -> None:
    deep = nested(2000)
    cyclic: dict[str, Any] = {}
    cyclic["invoice"] = cyclic
    forms: list[Any] = [
        {"invoice[items]": [deep]},
        [("invoice[items][0][unit_price]", deep)],
        {"invoice": cyclic},
        {"invoice": {"items": [{"unit_price": deep}]}},
    ]
    for form in forms:
        body = body_from_form(form, locale="pt")
        assert isinstance(body, dict)
    assert (
        body_from_form([("invoice[items][0][unit_price]", deep)], locale="pt")["invoice"]["items"][
            0
        ]["unit_price"]
        is deep
    )
    assert body_from_form({"invoice": cyclic}, locale="pt")["invoice"]["invoice"] is cyclic


def test_numbers_are_still_read_where_number_fields_are() -> None:
    form = {"invoice": {"items": [{"unit_price": "1.234,5", "name": "1,5"}]}}
    assert body_from_form(form, locale="pt") == {
        "invoice": {"items": [{"unit_price": "1234.5", "name": "1,5"}]}
    }


@pytest.mark.parametrize("locale", [5, ["pt"], b"pt", {"pt": 1}])
def test_a_locale_that_is_no_string_is_a_type_error(locale: Any) -> None:
    message = "locale must be a string such as 'pt_PT' or 'es', not "
    with pytest.raises(TypeError, match=f"^{message}{type(locale).__name__}$"):
        body_from_form({"invoice[items][0][unit_price]": "1,5"}, locale=locale)
    with pytest.raises(TypeError, match=f"^{message}"):
        local_number("1,5", locale)


@pytest.mark.parametrize("locale", ["", "xx", "pt\x00", "p" * 10_000, "pt_PT_" * 1000])
def test_an_unknown_locale_converts_nothing(locale: str) -> None:
    form = {"invoice[items][0][unit_price]": "1,5"}
    assert body_from_form(form, locale=locale) == {"invoice": {"items": [{"unit_price": "1,5"}]}}


# --- item 16: check_request refuses what the lint refuses ------------------------------------


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ('{"client": {"name": NaN}}', "NaN is not a JSON value: line 1 column 21 (char 20)"),
        ('{"client": {"name": "A",\n "x": -Infinity}}', "-Infinity is not a JSON value: line 2 "
         "column 7 (char 31)"),
        ('{"client": {"name": Infinity}}', "Infinity is not a JSON value: line 1 column 21 "
         "(char 20)"),
    ],
)  # fmt: skip
@pytest.mark.parametrize("as_bytes", [False, True])
def test_check_request_refuses_nan_and_infinity_in_json_text(
    text: str, says: str, as_bytes: bool
) -> None:
    body: Any = text.encode() if as_bytes else text
    with pytest.raises(ixrules.BodyError) as caught:
        ixrules.check_request("POST", URL, headers={"Content-Type": "application/json"}, body=body)
    assert str(caught.value) == f"the body is not valid JSON: {says}"


def test_check_request_says_where_an_integer_too_long_to_read_is() -> None:
    text = '{"client": {"name": "A", "code": ' + "1" * 5000 + "}}"
    with pytest.raises(ixrules.BodyError) as caught:
        ixrules.check_request("POST", URL, headers={"Content-Type": "application/json"}, body=text)
    assert str(caught.value) == (
        "the body cannot be read: an integer of 5,000 digits (at most 4,300 are read): line 1 "
        "column 34 (char 33)"
    )


def test_the_preflight_sends_a_nan_body_unchecked(caplog: pytest.LogCaptureFixture) -> None:
    seen: list[httpx.Request] = []
    client = preflight(
        httpx.Client(transport=httpx.MockTransport(lambda r: seen.append(r) or httpx.Response(201)))
    )
    with caplog.at_level(logging.WARNING, logger="ixrules.http"):
        client.post(
            URL, content=b'{"client": {"name": NaN}}', headers={"content-type": "application/json"}
        )
    assert len(seen) == 1
    assert [record.getMessage() for record in caplog.records] == [
        f"POST {BASE}/clients.json not checked: the body is not valid JSON: NaN is not a JSON "
        "value: line 1 column 21 (char 20)"
    ]
