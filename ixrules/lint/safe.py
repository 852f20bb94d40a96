"""Text the command echoes (file names, keys, sent values, rule packs) made safe to print.

A payload is written by anyone: a value holding ESC sequences would recolour or clear the
terminal, a CR or LF would start a line of its own (a fake ``file:line:col: ...`` problem), and a
lone surrogate cannot even be encoded. When the output is read by a CI runner, text can also be
a command: GitHub's runner takes a line that starts, after any blanks, with ``::`` as a workflow
command (``::add-mask::``, ``::stop-commands::``), and finds the legacy ``##[command]`` anywhere
in a line. And a value may be megabytes long, which no line of a terminal or a log should be.

So everything the command prints goes through this module, and nowhere else is escaping done:

- ``visible`` for text inside a line (a message, a hint, a reason): shortened to ``MAX_SHOWN``
  characters, every control, separator and bidi character shown as an escape (``\\x1b``,
  ``\\n``, ``\\u2028``), and ``##[`` shown as ``#\\x23[``;
- ``name`` for a file name, which may start a line: as ``visible``, and ``./`` put before a name
  that would start a line as a command does;
- ``lines`` for a listing (``endpoints``, ``rules``, ``explain``, ``compile``): each line as
  ``visible``, and the first colon of a line that would start as a command shown as ``\\x3a``;
- ``json_text`` and ``json_safe`` for the JSON formats: the same characters written as JSON
  escapes (``\\u2028``, ``\\ud800``, ``#\\u0023[``), so the document is valid UTF-8, reads back
  to exactly the same data with ``json.loads``, and keeps every value whole.
"""

from __future__ import annotations

import json
import os
import re
from typing import Any

from ..lazypattern import LazyPattern

_CONTROLS = "\x00-\x1f"
#: What JSON writes raw in its strings and is shown escaped all the same: DEL and C1 controls,
#: line and paragraph separators, bidirectional overrides and isolates (they reorder what a
#: terminal shows), the BOM and every lone surrogate.
_RAW_IN_JSON = "\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ufeff\ud800-\udfff"
#: What is shown escaped in text: C0 controls too.
_UNSAFE = LazyPattern(f"[{_CONTROLS}{_RAW_IN_JSON}]")
_JSON_UNSAFE = LazyPattern(f"[{_RAW_IN_JSON}]")
_SHORT = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
_SURROGATE = LazyPattern("[\ud800-\udfff]")
#: The legacy workflow command, which the runner finds anywhere in a line, and how it is shown.
_LEGACY = "##["
_LEGACY_TEXT = "#\\x23["
_LEGACY_JSON = "#\\u0023["
#: What the runner trims before looking for ``::`` (.NET's ``TrimStart``: Unicode white space;
#: with the zero-width characters some versions count as such).
_BLANKS = LazyPattern(r"[\s\u180e\u200b\u2060]*")
#: File names starting like this (after blanks) are put after ``./``: ``::`` starts a command
#: of GitHub's runner, ``##`` one of others' (Azure's ``##vso[``).
_COMMAND_START = ("::", "##")
#: The most characters of one value shown in a line of text (an escape counts as one); the
#: machine formats keep every value whole.
MAX_SHOWN = 500
ELLIPSIS = "…"


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    short = _SHORT.get(char)
    if short is not None:
        return short
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def shorten(text: str, limit: int | None = MAX_SHOWN) -> str:
    """``text`` cut to ``limit`` characters, its start and end kept around an ellipsis.

    >>> shorten("Unit " + "k" * 1000 + " is not included", 40)
    'Unit kkkkkkkkkkkkkkkkkkkkk… not included'
    """
    if limit is None or len(text) <= limit:
        return text
    tail = (limit - 1) // 3
    return text[: limit - 1 - tail] + ELLIPSIS + text[len(text) - tail :]


def visible(text: str, limit: int | None = MAX_SHOWN) -> str:
    """``text`` shortened to ``limit`` characters, with every control, separator and bidi
    character and every lone surrogate shown as an escape, and the legacy workflow command
    ``##[`` as ``#\\x23[``: it prints as exactly one line of bounded length that cannot change
    the terminal or command a CI runner.

    >>> visible("kg\\x1b[2J\\r\\n::error::x"), visible("não \\ud800"), visible("a##[set-output]")
    ('kg\\\\x1b[2J\\\\r\\\\n::error::x', 'não \\\\ud800', 'a#\\\\x23[set-output]')
    """
    text = shorten(text, limit)
    if _UNSAFE.search(text):
        text = _UNSAFE.sub(_escape, text)
    return text.replace(_LEGACY, _LEGACY_TEXT) if _LEGACY in text else text


def _command_start(line: str) -> int:
    """Where ``line`` starts once the blanks a CI runner trims are skipped."""
    return _BLANKS.match(line).end()  # type: ignore[union-attr]  # it matches the empty string


def name(file: str, limit: int | None = MAX_SHOWN) -> str:
    """A file name as printed at the start of a line: as ``visible`` (bytes that are not UTF-8
    shown as ``\\xff``), and ``./`` put before a relative name that would otherwise start a
    line as a CI command does (blanks first included).

    >>> name("bad\\udcff.json"), name("::error::x.json"), name("  ::x.json"), name("a.json")
    ('bad\\\\xff.json', './::error::x.json', './  ::x.json', 'a.json')
    """
    if _SURROGATE.search(file):
        file = os.fsencode(file).decode("utf-8", "backslashreplace")
    shown = visible(file, limit)
    return "./" + shown if shown.startswith(_COMMAND_START, _command_start(shown)) else shown


def line(text: str, limit: int | None = MAX_SHOWN) -> str:
    """One line of free text as printed at the start of a line: as ``visible``, and the first
    colon of a line that would start as a CI command shown as ``\\x3a``.

    >>> line("  ::warning::x"), line("Severity: error")
    ('  \\\\x3a:warning::x', 'Severity: error')
    """
    shown = visible(text, limit)
    start = _command_start(shown)
    if shown.startswith("::", start):
        shown = shown[:start] + "\\x3a" + shown[start + 1 :]
    return shown


def lines(text: str) -> str:
    """Multi-line text (a listing) with each line made safe as ``line``: only its own line
    breaks stay, no line is longer than ``MAX_SHOWN`` characters of its text, and none can
    start as a CI command."""
    return "\n".join(line(each) for each in text.split("\n"))


def json_safe(text: str) -> str:
    """JSON text (as ``json.dumps(ensure_ascii=False)`` writes it) with what it writes raw and
    must not be printed raw written as JSON escapes instead: lone surrogates (no encoder takes
    them), line separators, C1 and bidi controls, and the ``#`` of ``##[``. These occur only
    inside strings, where the escapes read back as the same characters.

    >>> json_safe('{"unit": "kg\\ud800\\u2028##[x"}')
    '{"unit": "kg\\\\ud800\\\\u2028#\\\\u0023[x"}'
    """
    if _JSON_UNSAFE.search(text):
        text = _JSON_UNSAFE.sub(lambda match: f"\\u{ord(match.group()):04x}", text)
    return text.replace(_LEGACY, _LEGACY_JSON) if _LEGACY in text else text


def json_text(value: Any, indent: int | None = None) -> str:
    """``json.dumps`` whose text is always valid UTF-8 and safe to print (see ``json_safe``):
    every other character is written as itself, and ``json.loads`` gives ``value`` back.

    >>> json_text({"unit": "kg\\ud800"})
    '{"unit": "kg\\\\ud800"}'
    """
    return json_safe(json.dumps(value, indent=indent, ensure_ascii=False))
