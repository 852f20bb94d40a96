"""Text the command echoes (file names, keys, sent values) made safe to print.

A payload is written by anyone: a value holding ESC sequences would recolour or clear the
terminal, a CR or LF would start a line of its own (a fake ``file:line:col: ...`` problem, or
a GitHub workflow command such as ``::add-mask::`` when the output is read by CI), and a lone
surrogate cannot even be encoded. Everything the command prints about its input goes through
``visible`` (or ``name`` for file names) first, so no input decides where a line starts or what
the terminal does; the JSON formats go through ``json_text``, which is always valid UTF-8.
"""

from __future__ import annotations

import json
import os
import re
from typing import Any

#: What is shown escaped: C0 controls and DEL, C1 controls, line and paragraph separators,
#: bidirectional overrides and isolates (they reorder what a terminal shows), the BOM and
#: every lone surrogate.
_UNSAFE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ufeff\ud800-\udfff]"
)
_SHORT = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
_SURROGATE = re.compile("[\ud800-\udfff]")
#: Lines starting like this are commands to a CI runner (GitHub's ``::`` and legacy ``##[``).
_COMMAND_START = ("::", "##")


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    short = _SHORT.get(char)
    if short is not None:
        return short
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str) -> str:
    """``text`` with every control, separator and bidi character and every lone surrogate shown
    as an escape, so it prints as exactly one line that cannot change the terminal.

    >>> visible("kg\\x1b[2J\\r\\n::error::x"), visible("não \\ud800")
    ('kg\\\\x1b[2J\\\\r\\\\n::error::x', 'não \\\\ud800')
    """
    return _UNSAFE.sub(_escape, text) if _UNSAFE.search(text) else text


def name(file: str) -> str:
    """A file name as printed at the start of a line: escaped like ``visible`` (bytes that are
    not UTF-8 shown as ``\\xff``), and ``./`` put before a relative name that would otherwise
    start a line as a CI command does.

    >>> name("bad\\udcff.json"), name("::error::x.json"), name("a.json")
    ('bad\\\\xff.json', './::error::x.json', 'a.json')
    """
    if _SURROGATE.search(file):
        file = os.fsencode(file).decode("utf-8", "backslashreplace")
    shown = visible(file)
    return "./" + shown if shown.startswith(_COMMAND_START) else shown


def lines(text: str) -> str:
    """Multi-line text (a listing) with each line made ``visible``: only its own line breaks
    stay, and no line can start as a CI command."""
    out = []
    for line in text.split("\n"):
        shown = visible(line)
        out.append(" " + shown if shown.startswith(_COMMAND_START) else shown)
    return "\n".join(out)


def json_text(value: Any, indent: int | None = None) -> str:
    """``json.dumps`` that is always valid UTF-8: lone surrogates (which ``ensure_ascii=False``
    would write raw, and no encoder can) are written as ``\\udxxx`` escapes, every other
    character as itself.

    >>> json_text({"unit": "kg\\ud800"})
    '{"unit": "kg\\\\ud800"}'
    """
    text = json.dumps(value, indent=indent, ensure_ascii=False)
    if _SURROGATE.search(text):  # only ever inside a string: the escape reads back the same
        text = _SURROGATE.sub(lambda match: f"\\u{ord(match.group()):04x}", text)
    return text
