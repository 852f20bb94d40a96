"""An atheris fuzz target for the JSON-to-report path: bytes -> JSON -> validate -> report.

Run it with ``tox -e fuzz`` (60 seconds; ``tox -e fuzz -- -max_total_time=600`` for longer),
or by hand (atheris is not a dependency; install it into the venv first)::

    pip install atheris
    mkdir -p /tmp/ixrules-corpus
    python fuzz/fuzz_validate.py -max_total_time=300 /tmp/ixrules-corpus tests/fixtures/examples

(new inputs go to the first directory; the request examples of tests/fixtures seed it)

The package imports its modules lazily, so ``import ixrules`` alone would instrument only
``ixrules/__init__.py`` and atheris would see no coverage at all (it reported 2 over 10.4
million runs). Every module of the package is imported inside ``instrument_imports``, and the
rules are loaded there too, so coverage guides the fuzzer through the engine, the checks,
the values and the CLI's reading and placing of bodies.

Anything but a report or one of the documented errors (BodyError, EndpointError,
ContextError) is a crash. Bytes that are not JSON are skipped: reading a file is the CLI's job.
"""

from __future__ import annotations

import json
import sys
import zlib

import atheris

with atheris.instrument_imports(include=["ixrules"]):
    import importlib
    import pkgutil

    import ixrules

    for module in pkgutil.walk_packages(ixrules.__path__, "ixrules."):
        if not module.name.endswith("__main__"):  # that one runs the command
            importlib.import_module(module.name)
    from ixrules.lint.checker import Settings, check_body

    ENDPOINTS = ixrules.endpoints()  # loads and compiles the rules, instrumented

DOCUMENTED = (ixrules.BodyError, ixrules.EndpointError, ixrules.ContextError)
SETTINGS = Settings()


def test_one_input(data: bytes) -> None:
    """The bytes are a JSON body (invalid UTF-8 kept as lone surrogates, as a lenient reader
    would); it is validated with its endpoint inferred, and for one endpoint picked by the
    bytes' checksum."""
    check_body("fuzz.json", data, SETTINGS)  # the CLI's path: decode, parse, place
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
