"""Finding a project's configuration: what every ``ixrules lint`` does first, so it reads no
YAML and imports neither the configuration reader nor the rule loader (``ixrules.config`` reads
what this finds, when it finds something).
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from pathlib import Path

#: The configuration file's name, and the TOML file that may hold a ``[tool.ixrules]`` table.
YAML_NAME = ".ixrules.yaml"
TOML_NAME = "pyproject.toml"


def discover(start: str | Path | None = None) -> Path | None:
    """The configuration of ``start`` (default: the working directory): the first
    ``.ixrules.yaml``, or ``pyproject.toml`` with a ``[tool.ixrules]`` table, in it or a folder
    above it, stopping at the repository root (a folder with ``.git``)."""
    here = Path(start if start is not None else os.getcwd()).resolve()
    for folder in (here, *here.parents):
        candidate = folder / YAML_NAME
        if candidate.is_file():
            return candidate
        candidate = folder / TOML_NAME
        if candidate.is_file() and _mentions_tool(candidate):
            return candidate
        if (folder / ".git").exists():
            return None
    return None


_GLOB = re.compile(r"[*?[]")


def linted_folder(paths: Sequence[str], here: str | Path | None = None) -> Path:
    """Where a lint of ``paths`` starts looking for its configuration: the deepest folder that
    holds every path, when it is the working directory ``here`` or below it (a folder linted
    from above it, ``ixrules lint examples``, brings its own configuration); else ``here``.
    Stdin (``-``) is in ``here``; a glob is in the folder of its literal start.

    >>> import tempfile; top = Path(tempfile.mkdtemp()); (top / "a" / "b").mkdir(parents=True)
    >>> [linted_folder(paths, top).relative_to(top).as_posix()
    ...  for paths in (["a"], ["a/b", "a/x.json"], ["a/b/*.json"], ["a", "-"], ["/"])]
    ['a', 'a', 'a/b', '.', '.']
    """
    top = Path(here if here is not None else os.getcwd()).resolve()
    folders = []
    for path in paths:
        if path == "-":
            folders.append(top)
            continue
        literal = _GLOB.split(path, maxsplit=1)[0]  # a glob's folder is before its pattern
        place = top / literal
        folder = place if literal.endswith("/") or (literal == path and place.is_dir()) else None
        folders.append((folder or place.parent).resolve())
    if not folders:
        return top
    common = Path(os.path.commonpath(folders))
    return common if common == top or top in common.parents else top


_TOOL_TABLE = re.compile(r"^[ \t]*\[\[?[ \t]*tool\.ixrules\b", re.MULTILINE)


def _mentions_tool(path: Path) -> bool:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return True  # reported, with its reason, when it is read
    return _TOOL_TABLE.search(text) is not None
