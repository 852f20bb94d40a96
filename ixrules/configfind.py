"""Finding a project's configuration: what every ``ixrules lint`` does first, so it reads no
YAML and imports neither the configuration reader nor the rule loader (``ixrules.config`` reads
what this finds, when it finds something).
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Sequence
from pathlib import Path

from .ruleformat.errors import ConfigError

#: The configuration file's name, and the TOML file that may hold a ``[tool.ixrules]`` table.
YAML_NAME = ".ixrules.yaml"
TOML_NAME = "pyproject.toml"
#: The largest configuration file read (a big project's pyproject.toml is tens of kilobytes).
MAX_CONFIG_BYTES = 4 << 20


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
        text = read_config(path)
    except ConfigError:
        return True  # reported, with its reason, when it is read
    return _TOOL_TABLE.search(text) is not None


def read_config(path: str | Path, shown: str | None = None) -> str:
    """A configuration file's text, or a ``ConfigError`` at line 1 of ``shown`` (default: the
    path) saying why not: only a regular file is read (opened without waiting, so a FIFO named
    like a configuration cannot hang the run), of at most ``MAX_CONFIG_BYTES``, in UTF-8."""
    file = str(path) if shown is None else shown
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
        with os.fdopen(fd, "rb") as handle:
            mode = os.fstat(fd).st_mode
            data = handle.read(MAX_CONFIG_BYTES + 1) if stat.S_ISREG(mode) else None
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise ConfigError(file, 1, f"cannot read: {reason}") from None
    except ValueError as exc:  # a NUL in the path
        raise ConfigError(file, 1, f"cannot read: {exc}") from None
    if data is None:
        kind = "a directory" if stat.S_ISDIR(mode) else "a FIFO, device or socket"
        raise ConfigError(file, 1, f"cannot read: not a regular file ({kind})")
    if len(data) > MAX_CONFIG_BYTES:
        raise ConfigError(file, 1, f"cannot read: larger than {MAX_CONFIG_BYTES:,} bytes")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ConfigError(file, line, f"cannot read: not UTF-8 text: {exc.reason}") from None
