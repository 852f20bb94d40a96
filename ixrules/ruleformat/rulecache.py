"""Loaded rule sets cached on disk by content, so a fresh process does not parse YAML again.

Reading and checking the rule files (and importing the YAML parser to do it) is most of a fresh
process' first ``validate``. The loaded ``RuleSet`` is a pure function of the rule files' bytes
and of the code that reads them, so it is pickled into the user's cache directory under a
SHA-256 of exactly that: every rule file's name and bytes, the ixrules version, and the source
of the modules that decide what a rule set is (:func:`code_files`: this package and every
module of ixrules it imports, found by following the imports). Any change to a rule file
(shipped or a user's own directory) or to that code is a different key, hence a miss.

Where: ``$IXRULES_CACHE_DIR``, else ``$XDG_CACHE_HOME/ixrules``, else ``~/.cache/ixrules``.
``IXRULES_NO_CACHE=1`` turns the cache off. Writes are atomic (a temporary file, then
``os.replace``), and any failure to read or write is silent: the rule files are then parsed, as
without a cache. The cache directory is the user's own, trusted as their home is (a pickle runs
code when read; a process that can write there can already run code as the user).
"""

from __future__ import annotations

import hashlib
import os
import pickle
import re
import stat
from pathlib import Path

from ..__about__ import __version__
from ..model import RuleSet

__all__ = ["cache_dir", "code_files", "content_key", "load_cached"]


def cache_dir() -> Path | None:
    """Where cached rule sets live, or None when caching is off."""
    if os.environ.get("IXRULES_NO_CACHE", "") not in ("", "0"):
        return None
    explicit = os.environ.get("IXRULES_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "ixrules"


def content_key(files: list[Path]) -> str:
    """The SHA-256 of the rule files' names and bytes, the version and the loading code."""
    digest = hashlib.sha256(f"ixrules {__version__}\0".encode())
    top = _PACKAGE.parent
    for path, data in code_files(_PACKAGE).items():
        digest.update(path.relative_to(top).as_posix().encode() + b"\0" + data + b"\0")
    for path in files:
        digest.update(path.name.encode("utf-8", "surrogateescape") + b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


#: This package: its modules read rule files into a rule set.
_PACKAGE = Path(__file__).resolve().parent
#: A relative import (``from .x import y``, ``from .. import x, y``), one or more lines.
_IMPORT = re.compile(r"^[ \t]*from[ \t]+(\.+)([\w.]*)[ \t]+import[ \t]+(\([^)]*\)|[^\n]*)", re.M)


def code_files(package: Path) -> dict[Path, bytes]:
    """The source of every module whose code decides what ``package`` (a package of ixrules)
    loads: its own modules, and the modules of ixrules they import, import by import (a
    package imported is walked whole, with the ``__init__`` of each package on the way), in
    path order. Only relative imports are followed: that is how ixrules imports itself."""
    top = package.parent
    found: dict[Path, bytes] = {}
    todo = sorted(package.rglob("*.py"))
    followed: set[tuple[str, ...]] = set()
    while todo:
        path = todo.pop()
        if path in found or not path.is_file():
            continue
        found[path] = data = path.read_bytes()
        here = path.parent.relative_to(top).parts
        for dots, module, names in _IMPORT.findall(data.decode("utf-8")):
            up = len(dots) - 1
            if up > len(here):
                continue  # above ixrules
            base = here[: len(here) - up]
            if module:
                targets = [(*base, *module.split("."))]
            else:  # ``from . import a, b``: submodules, or names of the package itself
                targets = [(*base, name) for name in _NAME.findall(names.strip("()"))]
            for parts in targets:
                if parts not in followed:
                    followed.add(parts)
                    todo.extend(_module_files(top, parts) or [top.joinpath(*base, "__init__.py")])
    return dict(sorted(found.items()))


#: An imported name, without its ``as`` alias.
_NAME = re.compile(r"(\w+)(?:[ \t]+as[ \t]+\w+)?")


def _module_files(top: Path, parts: tuple[str, ...]) -> list[Path]:
    """The files of the module ``parts`` of ``top``: its file, or every file of the package,
    with the ``__init__`` of each package on the way."""
    on_the_way = [top.joinpath(*parts[:end], "__init__.py") for end in range(1, len(parts))]
    target = top.joinpath(*parts)
    if target.is_dir():
        return [*on_the_way, *target.rglob("*.py")]
    module = target.with_name(f"{parts[-1]}.py")
    return [*on_the_way, module] if module.is_file() else []


def load_cached(directory: str | Path) -> RuleSet:
    """The rule set of ``directory``'s ``*.yaml`` files: from the cache when the files (and
    ixrules) are unchanged, else parsed, then cached for the next process."""
    where = cache_dir()
    files = sorted(Path(directory).glob("*.yaml")) if Path(directory).is_dir() else []
    key = None
    if where is not None and files and all(_plain_file(path) for path in files):
        try:
            key = content_key(files)
            with (where / f"rules-{key}.pickle").open("rb") as handle:
                cached = pickle.load(handle)
            if isinstance(cached, RuleSet):
                return cached
        except Exception:  # missing, unreadable, corrupt, from another version: parse instead
            pass
    from .builder import load_rule_dir

    ruleset = load_rule_dir(directory)
    if where is not None and key is not None:
        _store(where, key, ruleset)
    return ruleset


def _plain_file(path: Path) -> bool:
    """A regular file of a sane size: anything else (a FIFO would block the hashing) is left to
    the loader, which reports it."""
    try:
        info = path.stat()
    except OSError:
        return False
    return stat.S_ISREG(info.st_mode) and info.st_size <= _MAX_HASHED


#: Past this size a rule file is not hashed for the cache (the loader refuses it anyway).
_MAX_HASHED = 16 << 20


def _store(where: Path, key: str, ruleset: RuleSet) -> None:
    """Write the cache file atomically; a failure only means the next process parses again."""
    try:
        where.mkdir(parents=True, exist_ok=True)
        import tempfile  # only when writing: a hit never pays for it

        handle, temporary = tempfile.mkstemp(prefix=".rules-", suffix=".tmp", dir=where)
        try:
            with os.fdopen(handle, "wb") as out:
                pickle.dump(ruleset, out, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, where / f"rules-{key}.pickle")
        except BaseException:
            os.unlink(temporary)
            raise
    except Exception:
        pass
