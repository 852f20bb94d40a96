"""``ixrules endpoints``, ``rules``, ``explain``, ``schema`` and ``compile``: what the rule set
knows, printed (the texts are :mod:`.info`'s and :mod:`.schema`'s)."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from .errors import UsageError
from .loading import rules_of
from .output import stdout

if TYPE_CHECKING:
    from ..api import Rules

CLEAN = 0


def run(args: argparse.Namespace) -> int:
    from ..lint.safe import lines
    from . import info

    rules = rules_of(args)
    if args.command == "schema":
        _schema(rules, args)  # JSON: its strings are escaped by the encoder
        return CLEAN
    if args.command == "endpoints":
        listing = info.endpoints_text(rules)
    elif args.command == "rules":
        listing = info.rules_text(rules, args.endpoint)
    elif args.command == "compile":
        info.check_endpoint(rules, args.endpoint)
        listing = rules.source(args.endpoint)
    else:
        listing = info.explain_text(rules, args.rule)
    out = stdout(utf8=False)
    out.write(lines(listing))  # a user's rule pack is text from anyone
    out.flush()
    return CLEAN


def _schema(rules: Rules, args: argparse.Namespace) -> None:
    from ..lint.safe import visible
    from . import schema

    if (args.endpoint is None) == (args.all_dir is None):
        raise UsageError("schema takes an ENDPOINT or --all DIR (see 'ixrules schema --help')")
    if args.all_dir is not None:
        written = schema.write_all(rules, args.all_dir, args.locale)
        out = stdout(utf8=False)
        out.write(f"Wrote {len(written)} schemas into {visible(args.all_dir)}.\n")
    else:
        out = stdout(utf8=True)
        out.write(schema.schema_text(rules, args.endpoint, args.locale))
    out.flush()
