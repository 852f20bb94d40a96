"""Minimal ``ixrules lint FILE...`` (text output; exit 0 clean, 1 problems, 2 could not run)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="ixrules")
    parser.add_argument("--version", action="store_true")
    sub = parser.add_subparsers(dest="command")
    lint = sub.add_parser("lint")
    lint.add_argument("paths", nargs="+")
    lint.add_argument("--endpoint")
    args = parser.parse_args(argv)
    if args.version:
        from ..__about__ import __version__

        print(f"ixrules {__version__}")
        return 0
    if args.command != "lint":
        parser.print_usage(sys.stderr)
        return 2
    from ..api import validate

    found = False
    for path in args.paths:
        try:
            with open(path, encoding="utf-8") as handle:
                body = json.load(handle)
            report = validate(body, args.endpoint)
        except (OSError, ValueError) as exc:
            print(f"ixrules: {path}: {exc}", file=sys.stderr)
            return 2
        for issue in report.errors:
            found = True
            print(f"{path}: {issue.path}: {issue.message} [{issue.rule}]")
    return 1 if found else 0
