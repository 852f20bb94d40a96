"""The rule cache's stamp: a process whose rule files and modules stat as the stamp says takes
the cache key from it without hashing a file; any difference, a forged or linked stamp, or a
stamp of files changed too recently, and the key is hashed as before."""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

import pytest

from ixrules.api import rules_dir
from ixrules.ruleformat import builder, rulecache
from ixrules.ruleformat.builder import load_rule_dir
from ixrules.ruleformat.rulecache import content_key, load_cached

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
    monkeypatch.setattr(rulecache, "STAMP_DELAY_NS", 0)  # the files were all just written
    return where


def hashes(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """A mark each time the key is hashed from the files."""
    marks: list[object] = []
    real = rulecache.content_key

    def counted(files: list[Path]) -> str:
        marks.append(files)
        return real(files)

    monkeypatch.setattr(rulecache, "content_key", counted)
    return marks


def parses(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    marks: list[object] = []
    parse = builder.load_rule_dir

    def counted(directory: object, *more: object) -> object:
        marks.append(directory)
        return parse(directory, *more)  # type: ignore[arg-type]

    monkeypatch.setattr(builder, "load_rule_dir", counted)
    return marks


def the_stamp(cache: Path) -> Path:
    (stamp,) = cache.glob("stamp-*.json")
    return stamp


def test_a_stamped_process_hashes_nothing(
    rules_copy: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = load_cached(rules_copy)
    stamp = json.loads(the_stamp(cache).read_bytes())
    assert stamp["key"] == content_key(sorted(rules_copy.glob("*.yaml")))
    assert oct(the_stamp(cache).stat().st_mode & 0o777) == "0o600"
    hashed, parsed = hashes(monkeypatch), parses(monkeypatch)
    assert load_cached(rules_copy) == first
    assert hashed == [] and parsed == []


def test_a_recent_change_writes_no_stamp(
    rules_copy: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(rulecache, "STAMP_DELAY_NS", 60 * 10**9)
    target = rules_copy / "clients.yaml"
    target.write_bytes(target.read_bytes())  # modified and changed now
    load_cached(rules_copy)
    assert list(cache.glob("rules-*.json")) and not list(cache.glob("stamp-*.json"))


def test_an_edit_that_keeps_the_modification_time_is_seen(
    rules_copy: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    load_cached(rules_copy)
    target = rules_copy / "clients.yaml"
    before = target.stat()
    text = target.read_text(encoding="utf-8")
    changed = text.replace("Clients (`client`)", "CLIENTS (`client`)", 1)  # the same size
    assert changed != text and len(changed) == len(text)
    target.write_text(changed, encoding="utf-8")
    os.utime(target, ns=(before.st_atime_ns, before.st_mtime_ns))  # the time put back
    hashed = hashes(monkeypatch)
    assert load_cached(rules_copy) == load_rule_dir(rules_copy)
    assert len(hashed) == 1
    assert json.loads(the_stamp(cache).read_bytes())["key"] == content_key(
        sorted(rules_copy.glob("*.yaml"))
    )


@pytest.mark.parametrize("key", ["../../evil", "0" * 63, "A" * 64, 7, None])
def test_a_forged_key_is_not_followed(
    rules_copy: Path, cache: Path, monkeypatch: pytest.MonkeyPatch, key: object
) -> None:
    load_cached(rules_copy)
    stamp = the_stamp(cache)
    forged = json.loads(stamp.read_bytes())
    forged["key"] = key
    stamp.write_text(json.dumps(forged), encoding="utf-8")
    hashed, parsed = hashes(monkeypatch), parses(monkeypatch)
    assert load_cached(rules_copy) == load_rule_dir(rules_copy)
    assert len(hashed) == 1 and parsed == []


def test_a_stamp_of_other_files_does_not_poison_the_cache(
    rules_copy: Path, cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = tmp_path / "other"
    shutil.copytree(rules_copy, other)
    clients = other / "clients.yaml"
    text = clients.read_text(encoding="utf-8")
    clients.write_text(text.replace("is a required field", "is a needed field"), encoding="utf-8")
    load_cached(other)  # cached: another rule set, under its own key
    other_key = json.loads(the_stamp(cache).read_bytes())["key"]
    the_stamp(cache).unlink()
    load_cached(rules_copy)
    stamp = the_stamp(cache)
    forged = json.loads(stamp.read_bytes())
    forged["key"] = other_key  # the other rule set's key, under this directory's stats
    forged["stats"] = forged["stats"].replace(" 0 ", " 1 ", 1) + "\n'x.yaml' 1 1 1 1 1"
    stamp.write_text(json.dumps(forged), encoding="utf-8")
    assert load_cached(rules_copy) == load_rule_dir(rules_copy) != load_rule_dir(other)


def test_a_linked_stamp_is_not_read(
    rules_copy: Path, cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    load_cached(rules_copy)
    stamp = the_stamp(cache)
    elsewhere = tmp_path / "elsewhere.json"
    stamp.rename(elsewhere)
    stamp.symlink_to(elsewhere)
    hashed = hashes(monkeypatch)
    load_cached(rules_copy)
    assert len(hashed) == 1
    stamp.unlink()
    os.link(elsewhere, stamp)  # a hard link: another name for it may be anyone's
    load_cached(rules_copy)
    assert len(hashed) == 2


def test_a_stamp_others_may_write_is_not_read(
    rules_copy: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    load_cached(rules_copy)
    the_stamp(cache).chmod(0o666)
    hashed = hashes(monkeypatch)
    load_cached(rules_copy)
    assert len(hashed) == 1


def test_a_new_module_of_ixrules_is_a_stamp_miss(
    rules_copy: Path, cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy = tmp_path / "ixrules"
    shutil.copytree(Path(rulecache.__file__).resolve().parent.parent, copy)
    monkeypatch.setattr(rulecache, "_PACKAGE", copy / "ruleformat")
    load_cached(rules_copy)
    (copy / "checks" / "added.py").write_text("X = 1\n", encoding="utf-8")
    hashed = hashes(monkeypatch)
    load_cached(rules_copy)
    assert len(hashed) == 1
