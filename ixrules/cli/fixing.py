"""``ixrules lint --fix``, ``--unsafe-fixes``, ``--diff`` and ``--fix-only``, the way ruff
does them: safe fixes are written into the files (only the changed tokens), unsafe ones too
when asked, ``--diff`` prints what would change and writes nothing, and stdin's fixed body goes
to stdout. The problems left are then reported as a plain lint reports them (unless
``--fix-only``), and a last line says how many were fixed and how many more ``--unsafe-fixes``
would fix."""

from __future__ import annotations

import argparse
import difflib
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, BinaryIO, TextIO

from ..lint.problems import Failure, Outcome
from ..lint.sources import Source, describe_os_error, read_file, read_limited

if TYPE_CHECKING:  # the parser is built for --version too: the rules load only to fix
    from ..lint.checker import Settings


@dataclass
class FixRun:
    """How a fixing run ended, for the command's exit status: failures (exit 2), whether any
    error is left (exit 1 for ``--fix``), whether anything changed (exit 1 for ``--diff``)."""

    failures: int = 0
    failing: bool = False
    changed: bool = False


def lint_fix(
    args: argparse.Namespace, settings: Settings, found: Sequence[Source | Failure], stdin: BinaryIO
) -> FixRun:
    """Fix every source of ``found`` as ``args`` ask, writing the files (or the diff), then
    report what is left."""
    from ..fixes.files import fix_bytes
    from ..outfiles import rewrite
    from .reporters import FORMATS, Options, Summary

    stdout = sys.stdout
    # stdin's fixed body is the output: what is left is then reported on stderr
    report_to = sys.stderr if any(_is_stdin(s) for s in found) and not args.diff else stdout
    fmt = FORMATS[args.format]
    options = Options(version="")
    summary = Summary(files=sum(isinstance(s, Source) for s in found))
    run = FixRun()
    fixed = more = 0
    strict = args.strict
    quiet = args.fix_only or args.diff  # a diff is all --diff prints on stdout
    if not quiet:
        report_to.write(fmt.start(options))
    for source in found:
        if isinstance(source, Failure):
            print(source, file=sys.stderr)
            run.failures += 1
            continue
        try:
            data = _read(source, stdin, settings.max_bytes)
        except OSError as exc:
            print(Failure(source.file, describe_os_error(exc)), file=sys.stderr)
            run.failures += 1
            continue
        result = fix_bytes(
            source.file, data, settings, lines=source.lines, unsafe=args.unsafe_fixes
        )
        for failure in result.failures:
            print(failure, file=sys.stderr)
        run.failures += len(result.failures)
        more += len(result.pending)
        if result.changed:
            run.changed = True
            fixed += len(result.applied)
        if args.diff:
            if result.changed:
                _write_diff(stdout, source.file, data, result.data)
            continue
        if source.path is None:
            stdout.flush()
            sys.stdout.buffer.write(result.data)
            sys.stdout.buffer.flush()
        elif result.changed:
            try:
                rewrite(source.path, result.data)
            except OSError as exc:
                print(Failure(source.file, f"not written: {exc}"), file=sys.stderr)
                run.failures += 1
                continue
        if quiet:
            continue
        for outcome in _left(source, result.data, settings):
            if isinstance(outcome, Failure):
                continue  # said while fixing
            report_to.write(fmt.problem(outcome, summary.entries, options))
            summary.count(outcome)
            run.failing = run.failing or outcome.severity == "error"
            run.failing = run.failing or (strict and outcome.severity == "warning")
    if not quiet:
        report_to.write(fmt.between(summary, options))
        report_to.write(fmt.end(summary, options))
    said = sys.stderr if args.diff or args.format != "text" else report_to
    said.write(_fixed_line(fixed, more, args))
    return run


def _is_stdin(source: Source | Failure) -> bool:
    return isinstance(source, Source) and source.path is None


def _read(source: Source, stdin: BinaryIO, limit: int) -> bytes:
    if source.path is None:
        return read_limited(stdin, limit)
    return read_file(source.path, limit)


def _left(source: Source, data: bytes, settings: Settings) -> list[Outcome]:
    """The problems of the fixed bytes, as a lint of them finds them."""
    from ..lint.checker import check_body

    if not source.lines:
        return check_body(source.file, data.removeprefix(b"\xef\xbb\xbf"), settings)
    out: list[Outcome] = []
    for number, raw in enumerate(data.splitlines(), 1):
        if raw.strip():
            out.extend(check_body(source.file, raw, settings, line=number))
    return out


def _write_diff(out: TextIO, file: str, old: bytes, new: bytes) -> None:
    """A unified diff of one file, applicable with ``patch -p0`` from where the lint ran (a
    last line without a line ending is marked as diff and patch expect)."""
    before = old.decode("utf-8", "surrogateescape").splitlines(keepends=True)
    after = new.decode("utf-8", "surrogateescape").splitlines(keepends=True)
    chunks: list[str] = []
    for line in difflib.unified_diff(before, after, fromfile=file, tofile=file):
        chunks.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    out.flush()
    sys.stdout.buffer.write("".join(chunks).encode("utf-8", "surrogateescape"))
    sys.stdout.buffer.flush()


def _fixed_line(fixed: int, more: int, args: argparse.Namespace) -> str:
    """``Fixed 3 problems (2 more fixable with --unsafe-fixes).``, as ruff words it."""
    verb = "Would fix" if args.diff else "Fixed"
    line = f"{verb} {fixed} problem{'' if fixed == 1 else 's'}"
    if more and not args.unsafe_fixes:
        line += f" ({more} more fixable with --unsafe-fixes)"
    return line + ".\n"
