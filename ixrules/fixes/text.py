"""Write fixes into a JSON text, changing only the tokens they change.

A file keeps its formatting: each fix rewrites one token, found by the lint's position
scanner (:mod:`ixrules.lint.positions`), and every other character stays as it was
(indentation, key order, line endings, non-ASCII text, escapes elsewhere):

* a value replaced: the value's token, written as compact JSON (non-ASCII as itself);
* a key renamed: the key's token only (``"due-date"`` -> ``"due_date"``);
* a key moved into an object that is not there (``"tax_name": "IVA23"``): the key's token
  becomes ``"tax": {"name"`` and a ``}`` follows the value, on the same line;
* a body wrapped in its root key, the one structural change: ``{"ROOT": `` is written before
  the body's first character and ``}`` after its last, the body's own lines unchanged inside.
"""

from __future__ import annotations

import json
from typing import Any

from ..lint.positions import key_offsets, value_offsets
from ..report import Edit
from ..values import pointer_parts

_DECODER = json.JSONDecoder()


def token(value: Any) -> str:
    """``value`` as the JSON token a fix writes."""
    return json.dumps(value, ensure_ascii=False)


def rewrite(text: str, edits: list[Edit]) -> str | None:
    """``text`` with ``edits`` written into it, in order (each one's pointer read in the text
    as the edits before it left it); None when an edit has no place in the text."""
    for edit in edits:
        written = _one(text, edit)
        if written is None:
            return None
        text = written
    return text


def _one(text: str, edit: Edit) -> str | None:
    if edit.op == "wrap":
        start = len(text) - len(text.lstrip(" \t\r\n\ufeff"))
        end = _DECODER.raw_decode(text, start)[1]
        return f"{text[:start]}{{{token(edit.after)}: {text[start:end]}}}{text[end:]}"
    if edit.op == "move" and edit.to is not None:
        key = key_offsets(text).get(edit.path)
        if key is None:
            return None
        start, end = key, _DECODER.raw_decode(text, key)[1]
        parent = pointer_parts(edit.path)[:-1]
        target = pointer_parts(edit.to)[len(parent) :]
        if len(target) == 1:
            return text[:start] + token(target[0]) + text[end:]
        value_start = value_offsets(text)[edit.path]
        value_end = _DECODER.raw_decode(text, value_start)[1]
        opened = token(target[0]) + "".join(f": {{{token(part)}" for part in target[1:])
        closed = "}" * (len(target) - 1)
        return text[:start] + opened + text[end:value_end] + closed + text[value_end:]
    found = value_offsets(text).get(edit.path)
    if found is None:
        return None
    end = _DECODER.raw_decode(text, found)[1]
    return text[:found] + token(edit.after) + text[end:]
