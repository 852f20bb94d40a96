"""``ixrules mock``: a local InvoiceXpress with state, for testing an integration safely.

The mock answers every route of the API the way :func:`ixrules.check_request` predicts the API
answers it, given the state it keeps (SQLite, in memory or in a file), so the mock and the
pre-flight never disagree. See ``docs/mock.md``.

- :class:`Mock` (``ixrules.mock.core``): the mock itself, framework-free;
- ``ixrules.mock.app.create_app``: its ASGI application (extra ``ixrules[mock]``: Starlette);
- ``ixrules.mock.transport``: in-process httpx transports and a requests adapter (no socket);
- the pytest fixture ``ixrules_mock`` (``ixrules.mock.pytest_plugin``);
- ``ixrules mock``: the command (uvicorn).

Importing this package imports neither Starlette nor uvicorn.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .core import Mock
    from .wire import MockRequest, MockResponse

__all__ = ["Mock", "MockRequest", "MockResponse"]


def __getattr__(name: str) -> Any:
    if name == "Mock":
        from .core import Mock

        return Mock
    if name in ("MockRequest", "MockResponse"):
        from . import wire

        return getattr(wire, name)
    raise AttributeError(f"module 'ixrules.mock' has no attribute {name!r}")
