"""ixrules: validate InvoiceXpress API request bodies before they are sent.

>>> import ixrules
>>> ixrules.validate({"item": {"name": "Pen", "unit_price": "1.5"}}).ok
True
>>> ixrules.check_request("PUT", "https://acme.app.invoicexpress.com/quotes/7/change-state.json"
...     "?api_key=k", headers={"Content-Type": "application/json"},
...     body={"quote": {"state": "accept"}}, context={"document": {"status": "draft"}}).status
406

Importing the package is cheap: the public names below are imported on first use, so a
command that only prints its version never loads YAML or the rules.
"""

from __future__ import annotations

from importlib import import_module

from .__about__ import __version__

TYPE_CHECKING = False  # not typing's: importing typing would double the cost of this import
if TYPE_CHECKING:
    from typing import Any

    from .api import Rules, endpoints, validate
    from .context import ContextError
    from .endpoint_lookup import BodyError, EndpointError
    from .fixes.engine import fix
    from .http import PreflightError
    from .recordings import replay
    from .report import Issue, Report
    from .requests import check_request
    from .responses import read_response
    from .ruleformat.errors import PluginError, RuleFileError

#: Each lazily exported name and the module that defines it.
_EXPORTS = {
    "BodyError": "endpoint_lookup",
    "ContextError": "context",
    "EndpointError": "endpoint_lookup",
    "Issue": "report",
    "PluginError": "ruleformat.errors",
    "PreflightError": "http",
    "Report": "report",
    "RuleFileError": "ruleformat.errors",
    "Rules": "api",
    "check_request": "requests",
    "fix": "fixes.engine",
    "endpoints": "api",
    "read_response": "responses",
    "replay": "recordings",
    "validate": "api",
}

__all__ = [
    "BodyError",
    "ContextError",
    "EndpointError",
    "Issue",
    "PluginError",
    "PreflightError",
    "Report",
    "RuleFileError",
    "Rules",
    "__version__",
    "check_request",
    "endpoints",
    "fix",
    "read_response",
    "replay",
    "validate",
]


def __getattr__(name: str) -> Any:
    """Import a public name's module the first time the name is asked for."""
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'ixrules' has no attribute {name!r}")
    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value  # later lookups are plain attribute reads
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_EXPORTS})
