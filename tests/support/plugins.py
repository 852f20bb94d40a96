"""Plugins: a package that looks installed, for the entry point group ``ixrules.checks``."""

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from pathlib import Path


def installed_plugin(site: Path, module: str, source: str, checks: Mapping[str, str]) -> Path:
    """``site`` made a folder holding the module ``module`` (``source``, dedented) and its
    dist-info declaring ``checks`` (entry point name -> object reference) in the group
    ``ixrules.checks``: put on the path, it is an installed plugin."""
    info = site / f"{module}-1.0.dist-info"
    info.mkdir(parents=True, exist_ok=True)
    (site / f"{module}.py").write_text(textwrap.dedent(source), encoding="utf-8")
    (info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: {module.replace('_', '-')}\nVersion: 1.0\n",
        encoding="utf-8",
    )
    points = "".join(f"{name} = {target}\n" for name, target in checks.items())
    (info / "entry_points.txt").write_text(f"[ixrules.checks]\n{points}", encoding="utf-8")
    return site
