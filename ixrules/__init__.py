"""ixrules: validate InvoiceXpress API request bodies before they are sent.

>>> import ixrules
>>> ixrules.validate({"item": {"name": "Pen", "unit_price": "1.5"}}).ok
True
>>> ixrules.check_request("PUT", "https://acme.app.invoicexpress.com/quotes/7/change-state.json"
...     "?api_key=k", headers={"Content-Type": "application/json"},
...     body={"quote": {"state": "accept"}}, context={"document": {"status": "draft"}}).status
406

The public names are imported on first use, so ``import ixrules.__about__`` (what
``ixrules --version`` needs) does not load Cerberus, YAML or the rules.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from .__about__ import __version__

# Loaded now (it is light) so that the ``endpoints`` function below, not the submodule of the
# same name, stays the package attribute whatever is imported later.
from .endpoints import BodyError, EndpointError

if TYPE_CHECKING:
    from .api import Rules, validate
    from .context import ContextError
    from .report import Issue, Report
    from .requests import check_request
    from .yamlsource import RuleFileError

#: Each public name and the module that defines it.
_HOMES = {
    "ContextError": "context",
    "Issue": "report",
    "Report": "report",
    "RuleFileError": "yamlsource",
    "Rules": "api",
    "validate": "api",
    "check_request": "requests",
}

__all__ = [
    "BodyError",
    "ContextError",
    "EndpointError",
    "Issue",
    "Report",
    "RuleFileError",
    "Rules",
    "__version__",
    "check_request",
    "endpoints",
    "validate",
]


def endpoints() -> list[str]:
    """Every endpoint name ``validate`` accepts, e.g. ``invoices.create``."""
    from .api import endpoints as listed

    return listed()


def __getattr__(name: str) -> Any:
    """Import a public name from its module the first time it is asked for (PEP 562)."""
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'ixrules' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{home}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_HOMES})
