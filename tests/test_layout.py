"""The package's layout holds: imports run one way (no import cycle, even through an import
inside a function; nothing but ``__main__`` imports the command line), and no module, test
modules included, reaches into another module's private names.

Read from the source with ``ast``, so every import counts, not only those a run happens to reach;
imports under ``if TYPE_CHECKING:`` are for the type checker only and do not count.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

TOP = Path(__file__).resolve().parent.parent
PACKAGE = TOP / "ixrules"
TESTS = TOP / "tests"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(TOP).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}
TEST_MODULES = {
    **{path.stem: path for path in sorted(TESTS.glob("*.py"))},
    **{f"support.{path.stem}": path for path in sorted((TESTS / "support").glob("*.py"))},
}
#: Private names that test modules of other branches of issue 21 still use; each goes when its
#: owner makes the name public or stops using it (an entry no longer used fails, to be removed).
ELSEWHERE: set[tuple[str, str]] = set()


def private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def runtime_nodes(tree: ast.Module) -> Iterator[ast.AST]:
    """Every node of a module except those under ``if TYPE_CHECKING:``."""
    stack: list[ast.AST] = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            stack.extend(node.orelse)
            continue
        yield node
        stack.extend(ast.iter_child_nodes(node))


def imported_from(node: ast.ImportFrom, importer: str, is_package: bool) -> str:
    """The absolute name of the module ``from ... import`` reads from."""
    if not node.level:
        return node.module or ""
    parts = importer.split(".")
    base = parts if is_package else parts[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, *([node.module] if node.module else [])])


def imports(name: str, path: Path) -> Iterator[tuple[str, ast.AST]]:
    """The modules of the package that ``name`` imports at run time, with where."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in runtime_nodes(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node
        elif isinstance(node, ast.ImportFrom):
            source = imported_from(node, name, path.name == "__init__.py")
            submodules = [f"{source}.{alias.name}" for alias in node.names]
            if all(module in MODULES for module in submodules):  # from . import module
                # the package itself is already imported (a parent always is): the dependency is
                # on the submodules alone
                for module in submodules:
                    yield module, node
                continue
            yield source, node
            for module in submodules:
                if module in MODULES:
                    yield module, node


def graph() -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for name, path in MODULES.items():
        targets = {target for target, _ in imports(name, path) if target in MODULES}
        # importing ixrules.a.b runs ixrules/__init__ and ixrules/a/__init__: not a dependency
        # of interest (the package's __init__ imports nothing of its own eagerly)
        out[name] = {target for target in targets if target != name}
    return out


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan's, iteratively)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for start in sorted(edges):
        if start in index:
            continue
        work = [(start, iter(sorted(edges[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_the_cycle_finder_finds_cycles() -> None:
    edges = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": {"e"}}
    assert cycles(edges) == [["a", "b", "c"]]


def test_no_import_cycle_in_the_package() -> None:
    assert cycles(graph()) == []


def test_the_routes_and_the_rules_import_one_way() -> None:
    edges = graph()
    assert "ixrules.api" in edges["ixrules.requests"]
    assert "ixrules.requests" not in edges["ixrules.api"]


def test_only_main_imports_the_command_line() -> None:
    importers = sorted(
        name
        for name, targets in graph().items()
        if not name.startswith("ixrules.cli")
        and any(target == "ixrules.cli" or target.startswith("ixrules.cli.") for target in targets)
    )
    assert importers == ["ixrules.__main__"]


def test_the_lint_core_and_bulk_are_library_code() -> None:
    edges = graph()
    for name in [*(name for name in MODULES if name.startswith("ixrules.lint")), "ixrules.bulk"]:
        assert not any(target.startswith("ixrules.cli") for target in edges[name]), name


# --- private names ------------------------------------------------------------------------


def local_module(name: str) -> bool:
    """A module of this project: the package's, or a test module (helpers included)."""
    return name == "ixrules" or name.startswith("ixrules.") or name in TEST_MODULES


def private_uses(importer: str, path: Path, is_package: bool) -> Iterator[str]:
    """``module._name`` for each private name of another module that ``path`` uses: imported
    (``from m import _name``) or read from a module it imported (``m._name``)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    modules: dict[str, str] = {}  # local name -> module it is bound to
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if local_module(alias.name):
                    bound = alias.asname or alias.name.split(".")[0]
                    modules[bound] = alias.name if alias.asname else bound
        elif isinstance(node, ast.ImportFrom):
            source = imported_from(node, importer, is_package)
            if not local_module(source):
                continue
            for alias in node.names:
                full = f"{source}.{alias.name}"
                if full in MODULES:
                    modules[alias.asname or alias.name] = full
                elif private(alias.name) and source != importer:
                    yield full
    for node in ast.walk(tree):
        if not isinstance(node, ast.Attribute) or not private(node.attr):
            continue
        dotted = ast.unparse(node.value)
        head, _, rest = dotted.partition(".")
        if head not in modules:
            continue
        module = modules[head] + (f".{rest}" if rest else "")
        if module in MODULES and module != importer:
            yield f"{module}.{node.attr}"


#: Issue 21: no module over about 600 lines and no class over about 300; tables of data aside.
MODULE_LINES, CLASS_LINES = 600, 300
DATA = {"ixrules/data/countries.py"}


def test_no_module_and_no_class_grows_past_its_size() -> None:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        name = str(path.relative_to(TOP))
        text = path.read_text(encoding="utf-8")
        if name not in DATA and text.count("\n") > MODULE_LINES:
            found.append(f"{name}: {text.count(chr(10))} lines")
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.ClassDef) and node.end_lineno is not None:
                lines = node.end_lineno - node.lineno + 1
                if lines > CLASS_LINES:
                    found.append(f"{name}: class {node.name}, {lines} lines")
    assert found == []


def test_no_package_module_uses_another_modules_private_names() -> None:
    found = sorted(
        f"{name}: {use}"
        for name, path in MODULES.items()
        for use in private_uses(name, path, path.name == "__init__.py")
    )
    assert found == []


def test_no_test_module_uses_a_private_name() -> None:
    found = {
        (str(path.relative_to(TOP)), use)
        for name, path in TEST_MODULES.items()
        for use in private_uses(name, path, False)
    }
    assert sorted(found - ELSEWHERE) == []
    assert sorted(ELSEWHERE - found) == [], "no longer used: remove from ELSEWHERE"


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("from ixrules.requests import _split", ["ixrules.requests._split"]),
        ("from .requests import _split", ["ixrules.requests._split"]),
        (
            "from ixrules.ruleformat import relink\nrelink._has_closed(x)",
            ["ixrules.ruleformat.relink._has_closed"],
        ),
        ("import ixrules\nixrules._EXPORTS", ["ixrules._EXPORTS"]),
        (
            "import ixrules.ruleformat.grammar\nixrules.ruleformat.grammar._TYPE_NAMES",
            ["ixrules.ruleformat.grammar._TYPE_NAMES"],
        ),
        ("import ixrules.cli.main as cli\ncli._color(1)", ["ixrules.cli.main._color"]),
        ("from ixrules.requests import split_url\nresponse._content", []),
        ("import os\nos._exit(1)", []),
        ("from .model import ANY_INDEX as _ANY", []),
    ],
)
def test_the_private_name_finder(tmp_path: Path, source: str, expected: list[str]) -> None:
    path = tmp_path / "probe.py"
    path.write_text(source, encoding="utf-8")
    assert list(private_uses("ixrules.probe", path, False)) == expected


# --- test modules import helpers, never conftest nor another test module ----------------------


def imported_test_modules(source: str) -> list[str]:
    """The modules named ``conftest`` or ``test_*`` that ``source`` imports, wherever the import
    is (inside a function too)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and not node.level:
            names = [node.module or ""]
        else:
            continue
        found += [
            name
            for name in names
            if name.split(".")[0] == "conftest" or name.split(".")[-1].startswith("test_")
        ]
    return found


def test_no_test_module_imports_conftest_or_another_test_module() -> None:
    found = sorted(
        f"{path.relative_to(TOP)} imports {name}"
        for path in TEST_MODULES.values()
        for name in imported_test_modules(path.read_text(encoding="utf-8"))
    )
    assert found == [], "move what is shared to tests/support/"


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("from conftest import triples", ["conftest"]),
        ("import conftest", ["conftest"]),
        ("def f():\n    from test_documents import validate", ["test_documents"]),
        ("import test_cli_sessions as sessions", ["test_cli_sessions"]),
        ("from support.documents import validate\nfrom cli_runner import Run", []),
        ("from strategies import examples\nimport pytest", []),
    ],
)
def test_the_test_import_finder(source: str, expected: list[str]) -> None:
    assert imported_test_modules(source) == expected
