"""ixrules: validate InvoiceXpress API request bodies before they are sent.

>>> import ixrules
>>> ixrules.validate({"item": {"name": "Pen", "unit_price": "1.5"}}).ok
True
>>> ixrules.check_request("PUT", "https://acme.app.invoicexpress.com/quotes/7/change-state.json"
...     "?api_key=k", headers={"Content-Type": "application/json"},
...     body={"quote": {"state": "accept"}}, context={"document": {"status": "draft"}}).status
406
"""

from .__about__ import __version__
from .api import Rules, endpoints, validate
from .context import ContextError
from .endpoints import BodyError, EndpointError
from .report import Issue, Report
from .requests import check_request
from .yamlsource import RuleFileError

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
