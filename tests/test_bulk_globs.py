"""``bulk.units`` expands local globs as ``ixrules lint`` does: a link out of the pattern's
tree is never read (the lint's guarantee, docs/robustness.md, holds for a Dask run too)."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("dask")

from ixrules.bulk import Whole, units


def test_a_glob_does_not_follow_a_link_out_of_its_tree(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.json").write_text("{}")
    tree = tmp_path / "tree"
    (tree / "in").mkdir(parents=True)
    (tree / "in" / "a.json").write_text("{}")
    (tree / "out").symlink_to(outside)
    found = [unit.file for unit in units([f"{tree}/**/*.json"]) if isinstance(unit, Whole)]
    assert found == [f"{tree}/in/a.json"]


def test_a_glob_through_a_link_inside_its_tree_is_read(tmp_path: Path) -> None:
    tree = tmp_path / "tree"
    (tree / "in").mkdir(parents=True)
    (tree / "in" / "a.json").write_text("{}")
    (tree / "again").symlink_to(tree / "in")
    found = sorted(unit.file for unit in units([f"{tree}/*/*.json"]) if isinstance(unit, Whole))
    assert found == [f"{tree}/again/a.json", f"{tree}/in/a.json"]
