"""Every request field the OpenAPI description names, one line each, for tests/test_inventory.py.

    python tools/openapi_fields.py ../shared/reference/invoicexpress-openapi.yaml

writes tests/fixtures/openapi-fields.txt: ``schema<TAB>/json/pointer<TAB>type<TAB>enum`` per
field of each request body schema (``*`` for any row of an array; the enum column lists the
schema's allowed values, comma-separated, or is empty). The SAF-T export's query parameters
(SaftExportParams) are listed too: ixrules validates them as an unwrapped body. The tests read
this file, never the OpenAPI description itself.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

OUT = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "openapi-fields.txt"

#: Schemas that describe a request's parameters without being a requestBody.
QUERY_SCHEMAS = ("SaftExportParams",)


def resolve(doc: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    """A schema with its ``$ref`` followed (to the end of the chain)."""
    while "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[1]
        node = doc["components"]["schemas"][name]
    return node


def fields(doc: dict[str, Any], node: dict[str, Any], path: str) -> Iterator[tuple[str, str, str]]:
    """(pointer, type, enum) of every property below ``node``, parents first."""
    node = resolve(doc, node)
    for name, child in (node.get("properties") or {}).items():
        child = resolve(doc, child)
        where = f"{path}/{name}"
        enum = ",".join(str(value) for value in child.get("enum", ()))
        yield where, str(child.get("type", "object")), enum
        if "properties" in child:
            yield from fields(doc, child, where)
        elif child.get("type") == "array":
            row = resolve(doc, child.get("items", {}))
            yield f"{where}/*", str(row.get("type", "object")), ""
            yield from fields(doc, row, f"{where}/*")


def request_schemas(doc: dict[str, Any]) -> list[str]:
    """The request body schemas of every operation, in the description's order, once each."""
    names: list[str] = []
    for operations in doc["paths"].values():
        for operation in operations.values():
            if not isinstance(operation, dict):
                continue
            content = (operation.get("requestBody") or {}).get("content", {})
            ref = content.get("application/json", {}).get("schema", {}).get("$ref")
            if ref and ref.rsplit("/", 1)[1] not in names:
                names.append(ref.rsplit("/", 1)[1])
    return [*names, *QUERY_SCHEMAS]


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: python tools/openapi_fields.py <invoicexpress-openapi.yaml>", file=sys.stderr)
        return 2
    doc = yaml.safe_load(Path(argv[1]).read_text(encoding="utf-8"))
    schemas = doc["components"]["schemas"]
    lines = [
        "\t".join((name, *row))
        for name in request_schemas(doc)
        for row in fields(doc, schemas[name], "")
    ]
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{OUT}: {len(lines)} fields")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
