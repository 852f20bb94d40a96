"""A Babel extraction method: the translatable strings are the rules' messages, so the message
catalog template (``ixrules/locale/ixrules.pot``) is extracted from ``rules/*.yaml`` with
Babel's own tooling (``pybabel extract -F tools/babel.cfg``; see docs/forms.md).

The method follows Babel's extractor protocol: ``(fileobj, keywords, comment_tags, options)``
yielding ``(line, funcname, message, comments)``.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from typing import IO, Any

from .reading import YList, YMap, load_yaml

#: What an extraction method yields for each message.
Extracted = tuple[int, None, str, list[str]]


def extract_rules(
    fileobj: IO[bytes],
    keywords: Collection[str],
    comment_tags: Collection[str],
    options: Mapping[str, Any],
) -> Iterator[Extracted]:
    """Every rule message of a rule file, with its line and the rule id as a translator
    comment (the id says where the message is shown).

    >>> import io
    >>> text = b"x:\\n  rules:\\n    - id: a.b\\n      message: Unit {value} is bad\\n"
    >>> list(extract_rules(io.BytesIO(text), (), (), {}))
    [(4, None, 'Unit {value} is bad', ['rule a.b'])]
    """
    name = getattr(fileobj, "name", "<rules>")
    document = load_yaml(fileobj.read().decode("utf-8"), str(name))
    yield from _rules_in(document)


def _rules_in(node: Any) -> Iterator[Extracted]:
    if isinstance(node, YMap):
        rule_id, message = node.get("id"), node.get("message")
        if isinstance(rule_id, str) and isinstance(message, str):
            yield node.key_lines["message"], None, message, [f"rule {rule_id}"]
        for key, value in node.items():
            if key != "example":  # example bodies are data, not messages
                yield from _rules_in(value)
    elif isinstance(node, YList):
        for item in node:
            yield from _rules_in(item)
