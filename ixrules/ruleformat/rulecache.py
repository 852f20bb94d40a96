"""Loaded rule sets cached on disk by content, so a fresh process does not parse YAML again.

Reading and checking the rule files (and importing the YAML parser to do it) is most of a fresh
process' first ``validate``. The loaded ``RuleSet`` is a pure function of the rule files' bytes
and of the code that reads them, so it is stored in the user's cache directory under a SHA-256
of exactly that: every rule file's name and bytes, the ixrules version, and the source of the
modules that decide what a rule set is (:func:`code_files`: this package and every module of
ixrules it imports, found by following the imports). Any change to a rule file (shipped or a
user's own directory) or to that code is a different key, hence a miss.

Hashing all that is itself a cost of every start (7 ms), so the key is also kept in a *stamp*
(``stamp-*.json``, one per rule directory): the key, with the size, modification and change
times (in nanoseconds), inode and device of every rule file and of every module of ixrules. A
process whose files all stat the same takes the key from the stamp and reads no file but the
cache's; any difference (an edit that kept the modification time still changes the change
time) means hashing again and a new stamp. A stamp is read as the cache files are (below), its
key must be 64 hex digits, and it is written only when no file was changed in the last two
seconds (a file written twice within the file system's clock tick could otherwise keep its
stamp).

What is stored is plain data: JSON of the rule model (:mod:`.rulejson`), which reading can only
turn back into rules, never into code. A cache directory is wherever the environment points, so
nothing in it is trusted that the user did not make:

- where: ``$IXRULES_CACHE_DIR``, else ``$XDG_CACHE_HOME/ixrules``, else ``~/.cache/ixrules``;
  a relative path in either variable is ignored (the XDG specification says so: it would put
  the cache in whatever folder is being linted);
- the directory is made with mode 0700, and used only if it is owned by the user and nobody
  else may write to it; a cache file only if it is a regular file with the same owner and
  mode, opened without waiting (a FIFO at the key never hangs) and without following a link;
- writes are atomic (a temporary file made with ``O_EXCL`` in the opened directory, then
  renamed), and any failure to read or write is silent: the rule files are then parsed, as
  without a cache. ``IXRULES_NO_CACHE=1`` turns the cache off. Where these checks cannot be
  made (no user ids or ``dir_fd``: Windows), there is no cache.
"""

from __future__ import annotations

import json
import os
import re
import stat
import time
from collections.abc import Sequence

from ..__about__ import __version__
from ..lazypattern import LazyPattern
from ..model import RuleSet

TYPE_CHECKING = False  # not typing's: importing typing is a cost of every start
if TYPE_CHECKING:  # pathlib (5 ms of a start) is imported only when the key is hashed
    from pathlib import Path

__all__ = ["cache_dir", "code_files", "content_key", "load_cached"]

#: The largest cache file read (the shipped rules' is about a megabyte).
MAX_CACHE_BYTES = 64 << 20


def cache_dir() -> Path | None:
    """Where cached rule sets live, or None when caching is off (or cannot be made safe)."""
    from pathlib import Path

    where = cache_path()
    return None if where is None else Path(where)


def cache_path() -> str | None:
    """:func:`cache_dir` as a string (what a start uses: no ``pathlib``)."""
    if os.environ.get("IXRULES_NO_CACHE", "") not in ("", "0"):
        return None
    if not _SAFE_HERE:
        return None
    explicit = os.environ.get("IXRULES_CACHE_DIR", "")
    if os.path.isabs(explicit):
        return explicit
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):
        base = os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "ixrules")


#: Whether the owner and link checks can be made here: user ids and ``dir_fd``.
_SAFE_HERE = hasattr(os, "getuid") and {os.open, os.rename} <= os.supports_dir_fd


def content_key(files: Sequence[str | Path]) -> str:
    """The SHA-256 of the rule files' names and bytes, the version and the loading code."""
    import hashlib  # only when the stamp does not say the key: it loads OpenSSL (2 ms)
    from pathlib import Path

    paths = [Path(path) for path in files]

    digest = hashlib.sha256(f"ixrules {__version__}\0".encode())
    package = Path(_PACKAGE)
    top = package.parent
    for path, data in code_files(package).items():
        digest.update(path.relative_to(top).as_posix().encode() + b"\0" + data + b"\0")
    for path in paths:
        digest.update(path.name.encode("utf-8", "surrogateescape") + b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


#: This package: its modules read rule files into a rule set.
_PACKAGE = os.path.dirname(os.path.realpath(__file__))
#: A relative import (``from .x import y``, ``from .. import x, y``), one or more lines (a
#: pattern compiled when the key is hashed, as :data:`_NAME`: a start with a stamp never is).
_IMPORT = LazyPattern(r"^[ \t]*from[ \t]+(\.+)([\w.]*)[ \t]+import[ \t]+(\([^)]*\)|[^\n]*)", re.M)


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
_NAME = LazyPattern(r"(\w+)(?:[ \t]+as[ \t]+\w+)?")


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
    where = cache_path()
    files = _rule_files(directory)
    key = stamped = None
    if where is not None and files and all(_plain_file(path) for path in files):
        try:
            stamped = _stamps(directory, files)
            key = _stamped_key(where, directory, stamped)
            if key is not None:
                cached = _read(where, key)
                if cached is not None:
                    return cached
            key = content_key(files)
            cached = _read(where, key)
            if cached is not None:
                _store_stamp(where, directory, key, stamped)
                return cached
        except Exception:  # unreadable, corrupt, from another version: parse instead
            pass
    from .builder import load_rule_dir

    ruleset = load_rule_dir(directory)
    if where is not None and key is not None:
        _store(where, key, ruleset)
        if stamped is not None:
            _store_stamp(where, directory, key, stamped)
    return ruleset


#: How recent (in nanoseconds) a file's change may be for a stamp to be written: a clock tick of
#: the file system, with margin.
STAMP_DELAY_NS = 2_000_000_000
#: The digits of a cache key: a SHA-256 in hex, 64 of them (a set: no pattern compiled on a start).
_HEX = frozenset("0123456789abcdef")


def _rule_files(directory: str | Path) -> list[str]:
    """The ``*.yaml`` files of ``directory`` (as ``Path.glob("*.yaml")`` finds them), sorted."""
    try:
        with os.scandir(directory) as entries:
            names = [entry.path for entry in entries if entry.name.endswith(".yaml")]
    except OSError:  # missing, not a directory: the loader says so
        return []
    return sorted(names)


def _stamps(directory: str | Path, files: list[str]) -> tuple[str, bool]:
    """What the stamp of ``directory`` must say of its rule files and of ixrules' modules:
    their stats, one line each; and whether any changed too recently to be stamped."""
    racy_after = time.time_ns() - STAMP_DELAY_NS
    racy = False
    lines = [f"ixrules {__version__}", f"rules {os.fsdecode(os.path.abspath(directory))!r}"]
    code = os.path.dirname(os.fspath(_PACKAGE))
    paths = [(os.path.basename(path), path) for path in files]
    under = code + os.sep  # every module's path starts so: cut it, not os.path.relpath (0.4 ms)
    for path in _modules(code):
        name = path[len(under) :] if path.startswith(under) else os.path.relpath(path, code)
        paths.append((f"code {name}", path))
    for name, path in paths:
        info = os.stat(path)
        racy = racy or min(info.st_mtime_ns, info.st_ctime_ns) > racy_after
        lines.append(
            f"{name!r} {info.st_size} {info.st_mtime_ns} {info.st_ctime_ns} "
            f"{info.st_ino} {info.st_dev}"
        )
    return "\n".join(lines), racy


def _modules(top: str) -> list[str]:
    """Every module of the package ``top``, in a stable order (``__pycache__`` left out)."""
    found: list[str] = []
    todo = [os.fspath(top)]
    while todo:
        with os.scandir(todo.pop()) as entries:
            for entry in entries:
                if entry.name.endswith(".py") and entry.is_file(follow_symlinks=False):
                    found.append(entry.path)
                elif entry.name != "__pycache__" and entry.is_dir(follow_symlinks=False):
                    todo.append(entry.path)
    return sorted(found)


def _stamp_name(directory: str | Path) -> str:
    """The stamp file of a rule directory: its path, checksummed (FNV-1a, 64 bits, in Python:
    ``zlib`` is 0.4 ms of a start; two paths that collide only miss, the stamp repeats its
    path)."""
    digest = 0xCBF29CE484222325
    for byte in os.fsencode(os.path.abspath(directory)):
        digest = ((digest ^ byte) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return f"stamp-{digest:016x}.json"


def _stamped_key(where: str, directory: str | Path, stamped: tuple[str, bool]) -> str | None:
    """The key the stamp of ``directory`` gives, when every file stats as it says."""
    data = _read_file(where, _stamp_name(directory), _MAX_STAMP_BYTES)
    if data is None:
        return None
    stamp = json.loads(data)
    if not isinstance(stamp, dict) or stamp.get("stats") != stamped[0]:
        return None
    key = stamp.get("key")
    return key if isinstance(key, str) and len(key) == 64 and set(key) <= _HEX else None


#: The largest stamp read (the package's modules make it about 20 KB).
_MAX_STAMP_BYTES = 1 << 20


def _store_stamp(where: str, directory: str | Path, key: str, stamped: tuple[str, bool]) -> None:
    """Write the stamp atomically, unless a file changed too recently; a failure only means the
    next process hashes again."""
    stats, racy = stamped
    if not racy:
        data = json.dumps({"key": key, "stats": stats}).encode()
        _write_file(where, _stamp_name(directory), data)


def _plain_file(path: str) -> bool:
    """A regular file of a sane size: anything else (a FIFO would block the hashing) is left to
    the loader, which reports it."""
    try:
        info = os.stat(path)
    except OSError:
        return False
    return stat.S_ISREG(info.st_mode) and info.st_size <= _MAX_HASHED


#: Past this size a rule file is not hashed for the cache (the loader refuses it anyway).
_MAX_HASHED = 16 << 20


def _name(key: str) -> str:
    return f"rules-{key}.json"


def _mine(info: os.stat_result) -> bool:
    """Owned by this user, and nobody else may write to it."""
    return info.st_uid == os.getuid() and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def _opened(where: str, create: bool) -> int | None:
    """The cache directory, opened, if it is safe to use: made (mode 0700) when ``create``
    asks, then checked on the opened descriptor, so nothing can be swapped in between."""
    if create:
        try:
            os.makedirs(where, mode=0o700, exist_ok=True)
        except OSError:
            return None
    try:
        fd = os.open(where, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | os.O_CLOEXEC)
    except OSError:
        return None
    info = os.fstat(fd)
    if stat.S_ISDIR(info.st_mode) and _mine(info):
        return fd
    os.close(fd)
    return None


def _read(where: str, key: str) -> RuleSet | None:
    """The cached rule set under ``key``, or None: missing, or not a file this user made."""
    from .rulejson import loads

    data = _read_file(where, _name(key), MAX_CACHE_BYTES)
    return None if data is None else loads(data)


def _read_file(where: str, name: str, limit: int) -> bytes | None:
    """The bytes of the cache file ``name``, or None: missing, larger than ``limit``, a link
    (symbolic, or hard: another name may be anyone's), or not a regular file this user made."""
    directory = _opened(where, create=False)
    if directory is None:
        return None
    try:
        flags = os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW | os.O_CLOEXEC
        fd = os.open(name, flags, dir_fd=directory)
    except OSError:
        return None
    finally:
        os.close(directory)
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or not _mine(info) or info.st_nlink != 1:
            return None
        data = handle.read(limit + 1)
    return None if len(data) > limit else data


def _store(where: str, key: str, ruleset: RuleSet) -> None:
    """Write the cache file atomically; a failure only means the next process parses again."""
    from .rulejson import dumps, loads

    try:
        data = dumps(ruleset)
        if loads(data) != ruleset:  # what the model holds that JSON would not give back
            return
    except Exception:
        return
    _write_file(where, _name(key), data)


def _write_file(where: str, name: str, data: bytes) -> None:
    """Write ``name`` in the cache directory atomically, owner-only (the cache file and its
    stamp); a failure is silent: the next process only does the work again."""
    from ..outfiles import OutputDirectory

    try:
        directory = _opened(where, create=True)
        if directory is None:
            return
        with (
            OutputDirectory.opened(where, directory) as out,
            out.replacing(name, mode=0o600) as handle,
        ):
            handle.write(data)
    except Exception:
        pass
