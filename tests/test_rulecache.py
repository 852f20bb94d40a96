"""The on-disk cache of loaded rule sets: a hit is the same rule set, any change to a rule file
or to the code that reads it is a miss, a broken cache never breaks loading, and nothing in the
cache runs or is read unless the user made it."""

from __future__ import annotations

import json
import os
import pickle
import shutil
import stat
import sys
import time
from pathlib import Path

import pytest

import ixrules
from ixrules.api import Rules, rules_dir
from ixrules.model import FieldSpec, Rule, RuleSet, field_specs
from ixrules.ruleformat import builder, rulecache, rulejson
from ixrules.ruleformat.builder import load_rule_dir
from ixrules.ruleformat.errors import RuleFileError
from ixrules.ruleformat.rulecache import cache_dir, code_files, content_key, load_cached

#: The cache needs user ids and directory descriptors (POSIX); elsewhere it is off.
pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="no rule cache on Windows")


@pytest.fixture
def rules_copy(tmp_path: Path) -> Path:
    copy = tmp_path / "rules"
    shutil.copytree(rules_dir(), copy)
    return copy


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    where = tmp_path / "cache"
    monkeypatch.setenv("IXRULES_CACHE_DIR", str(where))
    return where


def _no_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(directory: object) -> None:
        raise AssertionError("the rule files were parsed")

    monkeypatch.setattr(builder, "load_rule_dir", refuse)


def test_a_hit_is_the_same_rule_set_without_parsing(
    rules_copy: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = load_cached(rules_copy)
    assert len(list(cache.glob("rules-*.json"))) == 1
    _no_parsing(monkeypatch)
    again = load_cached(rules_copy)
    assert again == first == load_rule_dir(rules_copy)
    body = {"invoice": {"date": "31/02/2017"}}
    assert Rules(again).validate(body).issues == Rules(first).validate(body).issues


def test_changing_a_rule_file_is_a_miss(rules_copy: Path, cache: Path) -> None:
    load_cached(rules_copy)
    target = next(
        path
        for path in sorted(rules_copy.glob("*.yaml"))
        if "message: Date is not valid" in path.read_text(encoding="utf-8")
    )
    target.write_text(
        target.read_text(encoding="utf-8").replace(
            "message: Date is not valid", "message: Date is wrong", 1
        ),
        encoding="utf-8",
    )
    changed = load_cached(rules_copy)
    assert len(list(cache.glob("rules-*.json"))) == 2
    messages = Rules(changed).validate({"invoice": {"date": "31/02/2017"}}, "invoices.update")
    assert "Date is wrong" in messages.messages


def test_a_new_rule_file_is_a_miss(rules_copy: Path, cache: Path) -> None:
    before = load_cached(rules_copy)
    (rules_copy / "zz-empty.yaml").write_text("# nothing yet\n", encoding="utf-8")
    assert load_cached(rules_copy) == before
    assert len(list(cache.glob("rules-*.json"))) == 2


def test_a_corrupt_cache_file_falls_back_to_parsing(rules_copy: Path, cache: Path) -> None:
    expected = load_cached(rules_copy)
    for path in cache.glob("rules-*.json"):
        path.write_bytes(b"not a cache file")
    assert load_cached(rules_copy) == expected
    for path in cache.glob("rules-*.json"):
        path.write_bytes(b"")
    assert load_cached(rules_copy) == expected


def test_an_unwritable_cache_is_silent(
    rules_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("in the way", encoding="utf-8")
    monkeypatch.setenv("IXRULES_CACHE_DIR", str(blocked / "cache"))
    assert load_cached(rules_copy) == load_rule_dir(rules_copy)


def test_the_cache_can_be_turned_off(
    rules_copy: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("IXRULES_NO_CACHE", "1")
    assert cache_dir() is None
    load_cached(rules_copy)
    assert not cache.exists()


def test_where_the_cache_lives(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("IXRULES_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert cache_dir() == tmp_path / "ixrules"
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert cache_dir() == Path(os.path.expanduser("~")) / ".cache" / "ixrules"


def test_errors_in_rule_files_are_still_reported(cache: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "a.yaml").write_text("rules: [1\n", encoding="utf-8")
    with pytest.raises(RuleFileError):
        load_cached(bad)
    with pytest.raises(RuleFileError, match="not found"):
        load_cached(tmp_path / "missing")


def test_the_key_covers_the_code_that_shapes_a_rule_set() -> None:
    top = Path(ixrules.__file__).resolve().parent
    names = {path.relative_to(top).as_posix() for path in code_files(top / "ruleformat")}
    package = {f"ruleformat/{path.name}" for path in (top / "ruleformat").glob("*.py")}
    assert package <= names
    assert {"model.py", "context.py", "patterns.py"} <= names
    assert "checks.py" in names or any(name.startswith("checks/") for name in names)
    assert not {"api.py", "config.py", "engine.py", "codegen.py"} & names
    assert not any(name.startswith("cli/") for name in names)


def test_the_code_is_found_by_following_the_imports(tmp_path: Path) -> None:
    files = {
        "pkg/__init__.py": "",
        "pkg/a.py": "from ..b import x\nfrom . import c as see, d\nfrom .. import (\n    e,\n)\n",
        "pkg/c.py": "from ...outside import nothing\n",
        "pkg/inner/m.py": "",
        "b.py": "def f():\n    from .sub.deep import y\n",
        "sub/__init__.py": "",
        "sub/deep.py": "",
        "e/__init__.py": "",
        "e/one.py": "",
        "e/more/two.py": "",
        "unused.py": "",
        "__init__.py": "",
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    found = code_files(tmp_path / "pkg")
    assert [path.relative_to(tmp_path).as_posix() for path in found] == [
        *("b.py", "e/__init__.py", "e/more/two.py", "e/one.py"),
        *("pkg/__init__.py", "pkg/a.py", "pkg/c.py", "pkg/inner/m.py"),
        *("sub/__init__.py", "sub/deep.py"),
    ]
    assert found[tmp_path / "b.py"] == files["b.py"].encode()


def test_changing_code_the_rules_depend_on_is_a_miss(
    tmp_path: Path, rules_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy = tmp_path / "ixrules"
    shutil.copytree(Path(ixrules.__file__).resolve().parent, copy)
    monkeypatch.setattr(rulecache, "_PACKAGE", copy / "ruleformat")
    files = sorted(rules_copy.glob("*.yaml"))
    before = content_key(files)
    with (copy / "cli" / "main.py").open("a", encoding="utf-8") as handle:
        handle.write("# no rule set changes\n")
    assert content_key(files) == before
    with (copy / "patterns.py").open("a", encoding="utf-8") as handle:
        handle.write("# the regexes a rule may give change\n")
    assert content_key(files) != before


# --- nothing in the cache is trusted that the user did not make (issue 27 item 3) -----------


def parses(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Each time the rule files are parsed (not taken from the cache), a mark."""
    marks: list[object] = []
    parse = builder.load_rule_dir

    def counted(directory: object, *more: object) -> object:
        marks.append(directory)
        return parse(directory, *more)  # type: ignore[arg-type]

    monkeypatch.setattr(builder, "load_rule_dir", counted)
    return marks


def cache_file(cache: Path, rules_copy: Path) -> Path:
    return cache / f"rules-{content_key(sorted(rules_copy.glob('*.yaml')))}.json"


def test_the_cache_is_plain_data_never_a_pickle(
    rules_copy: Path, cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A pickle ran when read: one committed where the cache pointed ran on ``ixrules lint``."""
    load_cached(rules_copy)
    assert json.loads(cache_file(cache, rules_copy).read_bytes())["format"] == "ixrules-rules/2"
    ran = tmp_path / "ran"

    class Payload:
        def __reduce__(self) -> tuple[object, tuple[str]]:
            return (os.mkdir, (str(ran),))

    planted = cache_file(cache, rules_copy)
    for name in (planted.with_suffix(".pickle"), planted):
        name.write_bytes(pickle.dumps(Payload()))
    marks = parses(monkeypatch)
    assert load_cached(rules_copy) == load_rule_dir(rules_copy)
    assert not ran.exists() and len(marks) == 1
    planted.write_bytes(b'{"format": "ixrules-rules/2", "records": [["Popen"]], "value": ["r", 0]}')
    assert load_cached(rules_copy) == load_rule_dir(rules_copy)  # no such record: parsed


@pytest.mark.parametrize("variable", ["IXRULES_CACHE_DIR", "XDG_CACHE_HOME"])
def test_a_relative_cache_directory_is_ignored(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, variable: str
) -> None:
    """A relative XDG_CACHE_HOME put the cache in the linted repository (the XDG
    specification says to ignore it)."""
    monkeypatch.delenv("IXRULES_CACHE_DIR")
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv(variable, "repo/.cache")
    assert cache_dir() == tmp_path / ".cache" / "ixrules"


def test_a_new_cache_directory_and_its_files_are_the_user_s_alone(
    rules_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    where = tmp_path / "fresh" / "ixrules"
    monkeypatch.setenv("IXRULES_CACHE_DIR", str(where))
    before = os.umask(0)
    try:
        load_cached(rules_copy)
    finally:
        os.umask(before)
    assert stat.S_IMODE(where.stat().st_mode) == 0o700
    written = sorted(where.iterdir())  # the rule set, and the stamp of its key
    assert [path.name[:6] for path in written] == ["rules-", "stamp-"]
    assert {stat.S_IMODE(path.stat().st_mode) for path in written} == {0o600}


@pytest.mark.parametrize("what", ["directory", "file"])
@pytest.mark.parametrize("how", ["writable by others", "owned by someone else"])
def test_a_cache_someone_else_could_write_is_not_used(
    rules_copy: Path, cache: Path, monkeypatch: pytest.MonkeyPatch, what: str, how: str
) -> None:
    """A cache directory owned by another user was used as is (a planted pickle ran as
    root)."""
    load_cached(rules_copy)
    target = cache if what == "directory" else cache_file(cache, rules_copy)
    before = sorted(cache.iterdir())
    if how == "writable by others":
        target.chmod(target.stat().st_mode | 0o022)
    else:
        monkeypatch.setattr(os, "getuid", lambda: target.stat().st_uid + 1)
    marks = parses(monkeypatch)
    assert load_cached(rules_copy) == load_rule_dir(rules_copy)
    assert len(marks) == 1
    if what == "directory":
        assert sorted(cache.iterdir()) == before  # nothing written there either


def test_a_link_at_the_key_is_not_followed(
    rules_copy: Path, cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    load_cached(rules_copy)
    real = cache_file(cache, rules_copy)
    elsewhere = tmp_path / "elsewhere.json"
    real.rename(elsewhere)
    real.symlink_to(elsewhere)
    marks = parses(monkeypatch)
    load_cached(rules_copy)
    assert len(marks) == 1


def test_a_fifo_at_the_key_never_hangs(
    rules_copy: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    load_cached(rules_copy)
    real = cache_file(cache, rules_copy)
    real.unlink()
    os.mkfifo(real)
    marks = parses(monkeypatch)
    started = time.monotonic()
    assert load_cached(rules_copy) == load_rule_dir(rules_copy)
    assert time.monotonic() - started < 10 and len(marks) == 1


def test_the_shipped_rules_go_through_json_unchanged(rules_copy: Path) -> None:
    ruleset = load_rule_dir(rules_copy)
    back = rulejson.loads(rulejson.dumps(ruleset))
    assert back == ruleset
    # each rule is one object again, wherever the fragments use it, as the loader made it
    used = [
        rule
        for endpoint in back.endpoints.values()
        for _, spec in field_specs(endpoint.body)
        for rule in spec.rules
    ]
    assert len(used) > 1000 and all(rule is back.rules[rule.id] for rule in used)


def test_every_kind_of_value_goes_through_json_unchanged() -> None:
    rule = Rule(
        "thing.size.number",
        "Size must be a number",
        "number",
        {"gt": 0, "units": ("cm", "m"), "nested": {"deep": [1, (2, 3)]}, "off": None},
        ("context.kind", {"in": ["a", "b"]}),
        ("document.status",),
        frozenset({"create", "update"}),
        example={"thing": {"size": 1.5}},
        translations={"pt": "O tamanho"},
    )
    spec = FieldSpec(rules=(rule,), fields={"size": FieldSpec(rules=(rule,), kind="number")})
    odd = {1: "one", (2, 3): ["two", "three"], None: frozenset({4})}  # keys of any type
    ruleset = RuleSet(endpoints={}, rules={rule.id: rule}, files=("a.yaml",), rule_endpoints=odd)
    back = rulejson.loads(rulejson.dumps(ruleset))
    assert back == ruleset and back.rule_endpoints == odd
    assert type(back.rules[rule.id].args["units"]) is tuple
    again = rulejson.loads(rulejson.dumps(RuleSet({}, {"s": rule}, rule_endpoints={"x": spec})))
    shared = again.rule_endpoints["x"]
    assert shared.rules[0] is again.rules["s"] is shared.fields["size"].rules[0]


@pytest.mark.parametrize(
    "forged",
    [
        b'{"format": "ixrules-rules/2", "records": [], "value": ["r", 0]}',  # no such record
        b'{"format": "ixrules-rules/2", "records": [["RuleSet", ["r", 1], {}]], "value": 1}',
        b'{"format": "ixrules-rules/2", "records": [["Check", "x"]], "value": ["r", 0]}',
        b'{"format": "ixrules-rules/2", "records": [["Rule", "a", "A", ["x"]]], "value": 1}',
        b'{"format": "ixrules-rules/2", "records": [["Rule", "a", "A", {"x": 1}]], "value": 1}',
        b'{"format": "ixrules-rules/2", "records": [], "value": ["t", 1]}',  # not a rule set
        b'{"format": "ixrules-rules/1", "value": {"record": ["RuleSet", {}]}}',  # the old one
    ],
)
def test_a_forged_cache_file_reads_as_an_error(forged: bytes) -> None:
    with pytest.raises((ValueError, TypeError, LookupError)):
        rulejson.loads(forged)
