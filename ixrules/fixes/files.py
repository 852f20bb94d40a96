"""Fix the bodies of a file's bytes, as the lint reads them: a JSON document, or a JSON Lines
file line by line. Only the changed tokens are rewritten (:mod:`ixrules.fixes.text`); the
byte order mark, line endings and every other byte stay as they were."""

from __future__ import annotations

import codecs
import json
from dataclasses import dataclass, field

from ..context import ContextError
from ..endpoint_lookup import BodyError, EndpointError
from ..lint.checker import BadInput, Settings, parse
from ..lint.problems import Failure
from ..report import Edit
from .engine import fix
from .text import rewrite


@dataclass
class FileFix:
    """What fixing one file's bytes gave: the new bytes (``data``, the same object when nothing
    changed), the fixes applied, the unsafe fixes left for ``--unsafe-fixes``, and the bodies
    that could not be fixed (each a :class:`Failure`, the file's other bodies fixed still)."""

    data: bytes
    applied: list[Edit] = field(default_factory=list)
    pending: list[Edit] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        """True when any body of the file was fixed."""
        return bool(self.applied)


def fix_bytes(
    file: str, data: bytes, settings: Settings, *, lines: bool, unsafe: bool = False
) -> FileFix:
    """The fixes of a file's bytes: the whole file as one body, or each line of a JSON Lines
    file (``lines``) as its own."""
    out = FileFix(data)
    if not lines:
        bom = codecs.BOM_UTF8 if data.startswith(codecs.BOM_UTF8) else b""
        fixed = _fix_body(file, data[len(bom) :], settings, unsafe, None, out)
        if fixed is not None:
            out.data = bom + fixed
        return out
    parts: list[bytes] = []
    for number, raw in enumerate(data.splitlines(keepends=True), 1):
        content = raw.rstrip(b"\r\n")
        ending = raw[len(content) :]
        fixed = _fix_body(file, content, settings, unsafe, number, out) if content.strip() else None
        parts.append(raw if fixed is None else fixed + ending)
    if out.applied:
        out.data = b"".join(parts)
    return out


def _fix_body(
    file: str, data: bytes, settings: Settings, unsafe: bool, line: int | None, out: FileFix
) -> bytes | None:
    """One body's fixed bytes, or None when nothing changed; what went wrong is added to
    ``out.failures``."""
    try:
        text, body = parse(file, data, line)
        endpoint, context = settings.for_file(file)
        result = fix(
            body,
            endpoint,
            context=context,
            locale=settings.locale,
            unsafe=unsafe,
            rules=settings.rules_for(file),
        )
    except BadInput as exc:
        out.failures.append(exc.failure)
        return None
    except (BodyError, EndpointError, ContextError) as exc:
        out.failures.append(Failure(file, f"cannot fix: {exc}", line))
        return None
    out.pending.extend([] if unsafe else result.pending("unsafe"))
    if not result.fixes:
        return None
    written = rewrite(text, result.fixes)
    if written is None or json.loads(written) != result.body:  # never write what was not meant
        out.failures.append(Failure(file, "cannot write its fixes in place", line))
        return None
    out.applied.extend(result.fixes)
    return written.encode("utf-8")
