"""Finding a project's configuration: what every ``ixrules lint`` does first, so it reads no
YAML and imports neither the configuration reader nor the rule loader (``ixrules.config`` reads
what this finds, when it finds something).
"""

from __future__ import annotations

import os
import re
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


_TOOL_TABLE = re.compile(r"^[ \t]*\[\[?[ \t]*tool\.ixrules\b", re.MULTILINE)


def _mentions_tool(path: Path) -> bool:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return True  # reported, with its reason, when it is read
    return _TOOL_TABLE.search(text) is not None
