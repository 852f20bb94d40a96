"""The arguments of ``ixrules mock`` and its entry, importing no server until it runs (the
command line builds its parser for ``ixrules --version`` too)."""

from __future__ import annotations

import argparse
import sys
from typing import Any

#: What to say when the extra is not installed.
INSTALL = "ixrules mock needs the mock extra: python -m pip install 'ixrules[mock]'"


def add_parser(commands: Any) -> argparse.ArgumentParser:
    """Add ``mock`` to the command line's subcommands."""
    parser: argparse.ArgumentParser = commands.add_parser(
        "mock",
        help="serve a local InvoiceXpress with state (needs ixrules[mock])",
        description="Serve the InvoiceXpress API's routes locally, with state in SQLite, "
        "answering each request as ixrules predicts the API answers it. Point an integration's "
        "base URL at it: http://127.0.0.1:8040/invoices.json?api_key=KEY. It has no real "
        "authentication: it binds 127.0.0.1 unless told otherwise.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=_port, default=8040, help="port (default 8040; 0: any free)")
    parser.add_argument(
        "--api-key", help="the key requests must send (default: kept in --db, else new)"
    )
    parser.add_argument("--account", default="acme", help="the account's name (default acme)")
    parser.add_argument(
        "--db", metavar="FILE", help="SQLite file to keep the state in (default: memory)"
    )
    parser.add_argument("--language", choices=("en", "pt", "es"), help="the account's language")
    parser.add_argument(
        "--seed", metavar="FILE", help="start state, JSON or YAML (see docs/mock.md)"
    )
    parser.add_argument(
        "--now", metavar="YYYY-MM-DDTHH:MM:SS", help="freeze the clock at this time"
    )
    parser.add_argument("--quiet", action="store_true", help="no line per request on stderr")
    return parser


def _port(value: str) -> int:
    if not value.isdigit() or int(value) > 65535:
        raise argparse.ArgumentTypeError(f"not a port: {value!r}")
    return int(value)


def run(args: argparse.Namespace) -> int:
    """Serve until SIGINT or SIGTERM; 2 (with one line on stderr) when it cannot."""
    try:
        import starlette  # noqa: F401
        import uvicorn  # noqa: F401
    except ImportError:
        print(INSTALL, file=sys.stderr)
        return 2
    from .serve import serve

    return serve(
        host=args.host,
        port=args.port,
        api_key=args.api_key,
        account=args.account,
        db=args.db,
        language=args.language,
        seed=args.seed,
        now=args.now,
        quiet=args.quiet,
    )
