"""An atheris fuzz target for the JSON-to-report path: bytes -> JSON -> validate -> report.

Run (atheris is not a dependency; install it into the venv first)::

    pip install atheris
    mkdir -p /tmp/ixrules-corpus
    python fuzz/fuzz_validate.py -max_total_time=300 /tmp/ixrules-corpus tests/fixtures/examples

(new inputs go to the first directory; the request examples of tests/fixtures seed it)

Anything but a report or one of the documented errors (BodyError, EndpointError,
ContextError) is a crash. Bytes that are not JSON are skipped: reading a file is the CLI's job.
"""

from __future__ import annotations

import json
import sys
import zlib

import atheris

with atheris.instrument_imports():
    import ixrules

ENDPOINTS = ixrules.endpoints()
DOCUMENTED = (ixrules.BodyError, ixrules.EndpointError, ixrules.ContextError)


def test_one_input(data: bytes) -> None:
    """The bytes are a JSON body (invalid UTF-8 kept as lone surrogates, as a lenient reader
    would); it is validated with its endpoint inferred, and for one endpoint picked by the
    bytes' checksum."""
    try:
        body = json.loads(data.decode("utf-8", "surrogateescape"))
    except (ValueError, RecursionError):
        return
    for endpoint in (None, ENDPOINTS[zlib.crc32(data) % len(ENDPOINTS)]):
        try:
            report = ixrules.validate(body, endpoint)
        except DOCUMENTED:
            continue
        json.dumps(report.to_dict())
        report.to_api()


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
