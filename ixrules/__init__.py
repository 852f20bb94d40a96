"""ixrules: validate InvoiceXpress API request bodies before they are sent.

>>> import ixrules
>>> ixrules.validate({"item": {"name": "Pen", "unit_price": "1.5"}}).ok
True
"""

from .__about__ import __version__
from .api import Rules, endpoints, validate
from .context import ContextError
from .endpoints import BodyError, EndpointError
from .report import Issue, Report
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
    "endpoints",
    "validate",
]
