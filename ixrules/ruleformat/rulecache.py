"""Loaded rule sets cached on disk by content, so a fresh process does not parse YAML again.

Reading and checking the rule files (and importing the YAML parser to do it) is most of a fresh
process' first ``validate``. The loaded ``RuleSet`` is a pure function of the rule files' bytes
and of the code that reads them, so it is pickled into the user's cache directory under a
SHA-256 of exactly that: every rule file's name and bytes, the ixrules version, and the source
of the modules that decide what a rule set is. Any change to a rule file (shipped or a user's
own directory) or to that code is a different key, hence a miss.

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
import stat
from pathlib import Path

from ..__about__ import __version__
from ..model import RuleSet

__all__ = ["cache_dir", "content_key", "load_cached"]

#: The modules beside this package whose code decides what a rule set loaded from given files is.
_CODE = ("model.py", "checks.py", "context.py", "patterns.py")


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
    here = Path(__file__).resolve().parent
    code = [*sorted(here.glob("*.py")), *(here.parent / name for name in _CODE)]
    for path in [*code, *files]:
        digest.update(path.name.encode("utf-8", "surrogateescape") + b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


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
