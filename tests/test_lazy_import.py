"""``import ixrules`` stays cheap: the heavy libraries and the rules load on first use, and the
lazily exported names are the real ones."""

from __future__ import annotations

import ast
import importlib
import importlib.util
import json
import pkgutil
import re
import subprocess
import sys
from pathlib import Path

import pytest

import ixrules

HEAVY = [
    "cerberus",
    "yaml",
    "email_validator",
    "pycountry",
    "babel",
    "ixrules.api",
    "httpx",
    "requests",
    "stdnum",
    "pydantic",
    "pydantic_core",
    "jsonschema",
    "ixrules.schema_export",
    *["dask", "distributed", "pandas", "pyarrow", "fsspec"],  # the dask extra
]


def modules_after(code: str) -> list[str]:
    probe = f"{code}\nimport sys, json\nprint(json.dumps(sorted(sys.modules)))"
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout
    return list(json.loads(out))


def test_import_loads_nothing_heavy() -> None:
    loaded = modules_after("import ixrules; ixrules.__version__")
    assert [name for name in HEAVY if name in loaded] == []


def test_the_local_lint_never_loads_the_dask_extra() -> None:
    loaded = modules_after(
        "import contextlib, io\nfrom ixrules.cli.main import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    main(['lint', 'examples/invoice.json'])"
    )
    assert "ixrules.api" in loaded
    assert [name for name in loaded if name.split(".")[0] in {"dask", "distributed"}] == []


def test_a_lint_without_a_configuration_reads_no_yaml_and_starts_no_pool() -> None:
    # finding no configuration needs neither its reader nor the rule loader, and --jobs 1
    # never imports the process pool (each costs a one-file lint tens of milliseconds)
    lint = (
        "import contextlib, io\nfrom ixrules.cli.main import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    main(['lint', '--jobs', '1', 'tests/fixtures/cli/invoice.json'])"
    )
    modules_after(lint)  # fills the rule cache
    loaded = modules_after(lint)
    assert "ixrules.configfind" in loaded
    unwanted = (
        "yaml",
        "ixrules.config",
        "ixrules.ruleformat.builder",
        "concurrent.futures.process",
    )
    assert [name for name in unwanted if name in loaded] == []


def test_a_one_file_lint_loads_only_what_its_output_needs(tmp_path: Path) -> None:
    # pathlib and urllib (SARIF's file URIs, finding a configuration) and tempfile (failures
    # held for json and sarif) cost a one-file lint's start 5 ms; --no-config and the text
    # output need none of them
    one = tmp_path / "invoice.json"
    one.write_text(json.dumps(BODY), encoding="utf-8")
    lint = run_command(["lint", "--no-progress", "--no-config", str(one)])
    modules_after(lint)  # fills the rule cache
    loaded = modules_after(lint)
    assert "ixrules.cli.writing" in loaded
    unwanted = ("pathlib", "urllib.parse", "tempfile", "ixrules.cli.fixing", "shutil", "difflib")
    unwanted += ("ixrules.mock.command", "ixrules.cli.replay")  # other commands' options
    unwanted += ("threading",)  # the signal handlers ask for the main thread without it
    assert [name for name in unwanted if name in loaded] == []


@pytest.mark.parametrize("columns", [None, "120", "0", "-3", "wide"])
def test_the_help_is_as_wide_as_argparse_makes_it(
    columns: str | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the parser finds argparse's width itself, so that argparse never imports shutil
    import shutil

    from ixrules.cli.options import terminal_columns

    if columns is None:
        monkeypatch.delenv("COLUMNS", raising=False)
    else:
        monkeypatch.setenv("COLUMNS", columns)
    assert terminal_columns() == shutil.get_terminal_size().columns


@pytest.mark.parametrize(
    "argv",
    [
        ["lint", "-f", "json", "--select", "item.*", "--no-config", "a.json", "b.jsonl"],
        ["lint", "--jobs", "0", "--fix", "--unsafe-fixes", "-"],
        ["rules", "invoices.create"],
        ["schema", "--all", "out"],
        ["replay", "cassette.yaml"],
        ["mock", "--port", "0"],
    ],
)
def test_a_command_declared_alone_reads_its_arguments_as_all_declared(argv: list[str]) -> None:
    from ixrules.cli.options import COMMANDS, build_parser

    alone, every = build_parser(argv), build_parser()
    assert alone.parse_args(argv) == every.parse_args(argv)
    assert alone.commands == every.commands == COMMANDS
    listed = every.format_help()  # every command, in order, as --help lists them
    assert re.findall(r"^    (\w+)", listed, re.M) == list(COMMANDS)


def run_command(argv: list[str]) -> str:
    return (
        "import contextlib, io\nfrom ixrules.cli.main import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    main({argv!r})"
    )


def test_the_version_loads_no_command_module() -> None:
    # the parser is built for --version too: declaring the options imports no command
    loaded = modules_after(run_command(["--version"]))
    unwanted = (
        "ixrules.cli.linting",
        "ixrules.cli.listing",
        "ixrules.cli.loading",
        "ixrules.cli.fixing",
        "ixrules.lint",
        "dataclasses",
        "difflib",
    )
    assert [name for name in unwanted if name in loaded] == []


def test_a_listing_loads_nothing_of_the_lint_command() -> None:
    loaded = modules_after(run_command(["endpoints", "--no-config"]))
    assert "ixrules.cli.listing" in loaded
    unwanted = (
        "ixrules.cli.linting",
        "ixrules.cli.fixing",
        "ixrules.cli.reporters",
        "ixrules.cli.parallel",
        "ixrules.cli.progress",
        "ixrules.cli.writing",
    )
    assert [name for name in unwanted if name in loaded] == []


def test_validating_never_loads_cerberus() -> None:
    loaded = modules_after("import ixrules; ixrules.validate({'invoice': {}})")
    assert "ixrules.api" in loaded and "cerberus" not in loaded


def test_a_process_after_the_first_never_loads_the_yaml_parser() -> None:
    first = modules_after("import ixrules; ixrules.validate({'invoice': {}})")  # fills the cache
    again = modules_after("import ixrules; ixrules.validate({'invoice': {}})")
    assert "ixrules.ruleformat.rulecache" in first and "yaml" not in again
    unwanted = ("gettext", "tempfile", "decimal", "difflib", "zlib", "hashlib", "pathlib")
    assert [name for name in unwanted if name in again] == []


#: A body with an e-mail address and a NIF (bench/startup.py's: what a first validate measures).
BODY = {
    "invoice": {
        "date": "03/12/2025",
        "client": {"name": "Acme", "email": "ana.silva@example.pt", "fiscal_id": "508025338"},
        "items": [{"name": "Pen", "unit_price": "1.5", "quantity": "2"}],
    }
}


def imports_at_load(module: str) -> set[str]:
    """The modules ``module``'s own statements import when it is loaded (not those inside
    functions, nor those under ``if TYPE_CHECKING:``)."""
    spec = importlib.util.find_spec(module)
    assert spec is not None and spec.origin is not None
    with open(spec.origin, encoding="utf-8") as handle:
        tree = ast.parse(handle.read())
    found: set[str] = set()
    todo: list[ast.stmt] = list(tree.body)
    while todo:
        node = todo.pop()
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
            found.add(node.module)
        elif isinstance(node, (ast.If, ast.Try)) and "TYPE_CHECKING" not in ast.unparse(node):
            todo += [*node.body, *node.orelse, *getattr(node, "finalbody", [])]
    return found


@pytest.mark.parametrize("what", ["validate", "lint"])
def test_validating_or_a_lint_loads_no_dataclasses_nor_inspect(what: str, tmp_path: Path) -> None:
    # dataclasses (with inspect, ast, dis, tokenize) and the methods every @dataclass writes
    # cost a fresh process' first validate 10-20 ms: the records on its way are ixrules.records
    one = tmp_path / "invoice.json"
    one.write_text(json.dumps(BODY), encoding="utf-8")
    code = {
        "validate": f"import ixrules; ixrules.validate({BODY!r})",
        "lint": run_command(["lint", "--no-progress", "--no-config", str(one)]),
    }[what]
    modules_after(code)  # fills the rule cache
    loaded = modules_after(code)
    heavy = {"dataclasses", "inspect"}
    ours = [name for name in loaded if name.split(".")[0] == "ixrules"]
    assert "ixrules.model" in ours and "ixrules.checks.registry" in ours
    assert sorted(name for name in ours if imports_at_load(name) & heavy) == []
    assert sorted(heavy & set(loaded)) == []


def test_a_valid_body_compiles_no_pattern_only_a_repair_or_a_locale_needs() -> None:
    # a regular expression compiled at import is paid by every start whether used or not
    probe = (
        "import re, sys\ncompiled = []\nreal = re.compile\n"
        "def spy(*args, **kwargs):\n"
        "    compiled.append(sys._getframe(1).f_globals['__name__'])\n"
        "    return real(*args, **kwargs)\n"
        "re.compile = spy\n"
        f"import ixrules; assert ixrules.validate({BODY!r}).ok\n"
        "print(*sorted(set(compiled)))"
    )
    for _ in range(2):  # the first fills the rule cache
        ran = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert ran.returncode == 0, ran.stderr
    out = ran.stdout.split()
    assert "ixrules.values" in out  # the numbers and dates a valid body has
    lazy = [
        "ixrules.checks.repairs",
        "ixrules.checks.schemaforms",
        "ixrules.messages",
        "ixrules.ruleformat.rulecache",
        "ixrules.lazypattern",  # where a LazyPattern compiles, on its first call
    ]
    assert [name for name in lazy if name in out] == []


def test_validating_never_loads_pydantic_nor_jsonschema() -> None:
    loaded = modules_after("import ixrules; ixrules.validate({'invoice': {}})")
    assert [name for name in ("pydantic", "pydantic_core", "jsonschema") if name in loaded] == []


def test_exporting_a_json_schema_needs_no_jsonschema() -> None:
    loaded = modules_after("import ixrules; ixrules.Rules.load().json_schema('invoices.create')")
    assert "ixrules.schema_export" in loaded and "jsonschema" not in loaded


def test_the_cerberus_side_loads_when_asked_for() -> None:
    loaded = modules_after("import ixrules; ixrules.Rules.load().schema('invoices.create')")
    assert "cerberus" in loaded and "ixrules.run.reference" in loaded


@pytest.mark.parametrize("name", sorted(set(ixrules.__all__) - {"__version__"}))
def test_every_public_name_resolves(name: str) -> None:
    value = getattr(ixrules, name)
    home = importlib.import_module(value.__module__)  # where it is defined
    assert home.__name__.startswith("ixrules.") and getattr(home, name) is value
    assert name in dir(ixrules)


SUBMODULES = sorted(
    info.name for info in pkgutil.iter_modules(ixrules.__path__) if not info.name.startswith("_")
)


def test_no_public_name_is_also_a_submodule() -> None:
    # importing a submodule binds it on the package: one named like a public name would
    # replace that name (as the module endpoints once did the function ixrules.endpoints)
    assert sorted(set(ixrules.__all__) & set(SUBMODULES)) == []


def test_endpoints_is_the_function_whatever_is_imported() -> None:
    for name in SUBMODULES:
        if name not in ("bulk", "pydantic"):  # the optional extras
            importlib.import_module(f"ixrules.{name}")
    assert callable(ixrules.endpoints) and "invoices.create" in ixrules.endpoints()


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        ixrules.nope  # noqa: B018


def test_validating_loads_no_typing() -> None:
    """``typing`` (with ``contextlib``) was 3 to 5 ms of a first validate: the modules on its
    way import it for the type checker only (``TYPE_CHECKING = False`` of their own), and the
    ``Literal`` aliases that are public are made when asked for."""
    code = f"import ixrules; ixrules.validate({BODY!r})"
    modules_after(code)  # fills the rule cache
    loaded = modules_after(code)
    assert "ixrules.run.codegen" in loaded and "typing" not in loaded
    # nor datetime: the checks compare a date's parts (values.date_parts)
    assert "datetime" not in loaded


def test_the_literal_aliases_are_still_importable() -> None:
    from typing import get_args

    from ixrules.api import Executor
    from ixrules.checks.registry import Applicability
    from ixrules.report import FieldStyle

    assert get_args(Executor) == ("fast", "cerberus")
    assert get_args(Applicability) == ("safe", "unsafe", "display")
    assert get_args(FieldStyle) == ("brackets", "dotted", "pointer")
