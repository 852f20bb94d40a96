"""Files ixrules writes (``ixrules schema --all DIR``, ``ixrules lint --output FILE.parquet``),
written so that nothing a repository holds can turn the write into one somewhere else.

A repository is input from anyone, and so is what is committed at an output's name: a symbolic
link from ``problems.parquet`` (or ``invoices.create.schema.json``) to ``~/.bashrc`` would have
the tool overwrite that file with text a rule pack chose. So the target directory is opened once
and every file is created *in it* (``dir_fd``) under a fresh temporary name, with ``O_EXCL`` and
``O_NOFOLLOW`` (never an existing file, never through a link), and renamed over the name only
once it is complete: a link at the name is replaced by the file, its target left alone, and an
interrupted run leaves no half-written file behind. A name is one plain file name (no
separator, no ``..``, no NUL, no leading dot), so nothing lands outside the directory.

The directory itself is the one the user named (links on the way to it are followed, as for any
path typed on a command line); what is inside it is never followed.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

__all__ = ["OutputDirectory", "check_name", "replacing", "rewrite"]

_CREATE = (
    os.O_WRONLY
    | os.O_CREAT
    | os.O_EXCL
    | getattr(os, "O_NOFOLLOW", 0)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
)
_DIRECTORY = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_CLOEXEC", 0)
#: Whether files can be made relative to an opened directory here (not on Windows).
_AT = {os.open, os.rename, os.unlink} <= os.supports_dir_fd  # os.replace is as os.rename


def check_name(name: str) -> str:
    """``name`` if it is one plain file name, else a ``ValueError`` saying why not.

    >>> check_name("invoices.create.schema.json")
    'invoices.create.schema.json'
    >>> check_name("../.bashrc")
    Traceback (most recent call last):
    ...
    ValueError: '../.bashrc' is not a plain file name (it holds a path separator)
    """
    separators = {"/", os.sep, *([os.altsep] if os.altsep else [])}
    if not name:
        reason = "it is empty"
    elif "\0" in name:
        reason = "it holds a NUL"
    elif any(separator in name for separator in separators):
        reason = "it holds a path separator"
    elif name.startswith("."):
        reason = "it starts with a dot"
    else:
        try:
            os.fsencode(name)
            return name
        except UnicodeError:
            reason = "it cannot be encoded for this file system"
    raise ValueError(f"{name!r} is not a plain file name ({reason})")


class OutputDirectory:
    """A directory opened once, to write files into by name (see the module's docstring).

    ``create``: make it (and its parents) first when missing. Use as a context manager, or
    call :meth:`close`.
    """

    def __init__(self, path: str | os.PathLike[str], *, create: bool = False) -> None:
        self.path = Path(path)
        if create:
            self.path.mkdir(parents=True, exist_ok=True)
        self._fd: int | None = os.open(self.path, _DIRECTORY) if _AT else None

    @classmethod
    def opened(cls, path: str | os.PathLike[str], fd: int) -> OutputDirectory:
        """The directory ``path`` already opened as ``fd`` (checked by the caller; closed with
        this object)."""
        directory = cls.__new__(cls)
        directory.path = Path(path)
        directory._fd = fd if _AT else None
        if not _AT:
            os.close(fd)
        return directory

    def __enter__(self) -> OutputDirectory:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Let go of the directory (the files written stay)."""
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    @contextlib.contextmanager
    def replacing(self, name: str, mode: int = 0o666) -> Iterator[BinaryIO]:
        """A new binary file that becomes ``name`` in this directory when the block ends
        without an exception (it is removed otherwise). ``mode`` is filtered by the umask."""
        check_name(name)
        temporary = f".{name}.{secrets.token_hex(8)}.tmp"
        fd = self._open(temporary, mode)
        try:
            with os.fdopen(fd, "wb") as handle:
                yield handle
            self._rename(temporary, name)
        except BaseException:
            with contextlib.suppress(OSError):
                self._unlink(temporary)
            raise

    def rewrite(self, name: str, data: bytes) -> Path:
        """Replace the regular file ``name`` of this directory with ``data``, keeping its
        permission bits (the umask does not filter them), synced to disk before the rename. A
        file that is a symbolic link, or no regular file, is refused with an ``OSError``: a
        file the user named is rewritten, never one a link points to, nor the link replaced
        (which would cut it)."""
        check_name(name)
        found = self._lstat(name)
        if stat.S_ISLNK(found.st_mode):
            raise OSError(f"{self.path / name} is a symbolic link: not rewritten")
        if not stat.S_ISREG(found.st_mode):
            raise OSError(f"{self.path / name} is not a regular file: not rewritten")
        with self.replacing(name, 0o600) as handle:
            handle.write(data)
            handle.flush()
            if hasattr(os, "fchmod"):  # POSIX: the bits the file had, whatever the umask
                os.fchmod(handle.fileno(), stat.S_IMODE(found.st_mode))
            os.fsync(handle.fileno())
        return self.path / name

    def write(self, name: str, data: bytes) -> Path:
        """Write ``data`` as the file ``name`` (see :meth:`replacing`); return its path."""
        with self.replacing(name) as handle:
            handle.write(data)
        return self.path / name

    # Names are relative to the descriptor, or joined to the path where there is no dir_fd.

    def _open(self, name: str, mode: int) -> int:
        if self._fd is None:
            return os.open(self.path / name, _CREATE, mode)
        return os.open(name, _CREATE, mode, dir_fd=self._fd)

    def _lstat(self, name: str) -> os.stat_result:
        if self._fd is None:
            return os.lstat(self.path / name)
        return os.stat(name, dir_fd=self._fd, follow_symlinks=False)

    def _rename(self, source: str, target: str) -> None:
        if self._fd is None:
            os.replace(self.path / source, self.path / target)
        else:
            os.replace(source, target, src_dir_fd=self._fd, dst_dir_fd=self._fd)

    def _unlink(self, name: str) -> None:
        if self._fd is None:
            os.unlink(self.path / name)
        else:
            os.unlink(name, dir_fd=self._fd)


@contextlib.contextmanager
def replacing(path: str | os.PathLike[str], mode: int = 0o666) -> Iterator[BinaryIO]:
    """A new binary file that becomes ``path`` when the block ends without an exception, made
    in ``path``'s directory as :meth:`OutputDirectory.replacing` makes it (a link at ``path``
    is replaced, never followed)."""
    where = Path(path)
    with (
        OutputDirectory(where.parent) as directory,
        directory.replacing(where.name, mode) as handle,
    ):
        yield handle


def rewrite(path: str | os.PathLike[str], data: bytes) -> None:
    """Replace the existing regular file at ``path`` with ``data``, as
    :meth:`OutputDirectory.rewrite` does (its permission bits kept; a symbolic link at
    ``path`` refused, never followed nor replaced; what a reader sees is the old file or the
    new one, never half of one)."""
    where = Path(path)
    with OutputDirectory(where.parent) as directory:
        directory.rewrite(where.name, data)
