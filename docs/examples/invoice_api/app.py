"""A JSON API with ixrules in front of InvoiceXpress: FastAPI answers 422 with the API's own
messages, each at the ``loc`` of the field it is about, before anything is sent.

Install what it needs, then run it from the top of the source tree (uvicorn serves it on
http://127.0.0.1:8000; ``/docs`` is the OpenAPI page):

    pip install 'ixrules[pydantic]' fastapi uvicorn
    uvicorn --app-dir docs/examples/invoice_api app:app --reload

(``fastapi dev`` needs ``fastapi[standard]``, which brings uvicorn and more.)

The body is declared ``Annotated[dict[str, Any], IXBody("invoices.create")]``: pydantic checks it
is a JSON object, ixrules checks it as InvoiceXpress would, and the OpenAPI page (``/docs``)
shows the exported JSON Schema of the body. A client that sends ``Accept-Language: pt`` (or
``es``) gets the messages in that language: the error handler validates the body again with the
locale in pydantic's validation context.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import TypeAdapter, ValidationError

from ixrules.pydantic import IXBody

#: An invoice as InvoiceXpress takes it at POST /invoices.json.
InvoiceBody = Annotated[dict[str, Any], IXBody("invoices.create")]
INVOICE = TypeAdapter(InvoiceBody)


def create_app() -> FastAPI:
    app = FastAPI(title="Invoices, checked before they are sent")

    @app.post("/invoices", status_code=201)
    def create_invoice(body: InvoiceBody) -> dict[str, Any]:
        """Accept an invoice InvoiceXpress would accept (here it would be sent on)."""
        return {"accepted": True, "client": body["invoice"]["client"]["name"]}

    @app.exception_handler(RequestValidationError)
    async def in_the_clients_language(
        request: Request, exc: RequestValidationError
    ) -> JSONResponse:
        errors = list(exc.errors())
        locale = _language(request.headers.get("accept-language"))
        if locale is not None and isinstance(exc.body, dict):
            try:
                INVOICE.validate_python(exc.body, context={"locale": locale})
            except ValidationError as again:
                errors = [{**e, "loc": ("body", *e["loc"])} for e in again.errors()]
        return JSONResponse({"detail": jsonable_encoder(errors)}, status_code=422)

    return app


def _language(header: str | None) -> str | None:
    """The first language of an ``Accept-Language`` header (``pt-PT,pt;q=0.9`` -> ``pt-PT``)."""
    if not header:
        return None
    first = header.split(",", 1)[0].split(";", 1)[0].strip()
    return first or None


app = create_app()
