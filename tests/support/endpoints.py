"""The endpoints the property tests run on: one per distinct body spec and mode (every endpoint
in a long run), and those with something to break (tests/test_properties.py)."""

from __future__ import annotations

from strategies import LONG, ruleset_endpoints

import ixrules
from ixrules.ruleformat.relink import rules_of

ENDPOINTS = ixrules.endpoints()


def _distinct() -> list[str]:
    """One endpoint for each body spec and mode (endpoints that share both validate alike and
    differ only in name and root key); every endpoint in a long run."""
    if LONG:
        return ENDPOINTS
    seen: dict[tuple[int, str, bool], str] = {}
    for name, spec in ruleset_endpoints().items():
        seen.setdefault((id(spec.body), spec.mode, bool(spec.roots)), name)
    return list(seen.values())


DISTINCT = _distinct()
#: Endpoints with something to break (a body of any keys has no rule).
BREAKABLE = [name for name in DISTINCT if rules_of(ruleset_endpoints()[name].body)]
