"""Recorded traffic replayed through ixrules, to see where its predictions and the API's real
answers part ways: :func:`replay` (``ixrules.replay``) and ``ixrules replay FILE...``.

A recording (a VCR cassette of VCR.py or Ruby's VCR, a HAR 1.2 file, or JSON Lines of
``{request, response}``) is read into interactions (``read``); each request goes through
:func:`ixrules.check_request` (with a context snapshot when given) and the recorded answer
through :func:`ixrules.read_response`, and each interaction gets a verdict (agree, missed
refusal, false alarm, other message, other status, needs state, not comparable: see
``classify``). Secrets of the recording (the API key, credentials in headers and bodies) never
appear in what a replay returns (``redact``).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from .classify import FAILING, VERDICTS, Replayed, Said, replay_one
from .interaction import Interaction, ReplayError
from .read import FORMATS, read_bytes, read_file
from .redact import Secrets
from .report import ReplayReport

if TYPE_CHECKING:
    from ..api import Rules

__all__ = [
    "FAILING",
    "FORMATS",
    "VERDICTS",
    "Interaction",
    "ReplayError",
    "ReplayReport",
    "Replayed",
    "Said",
    "read_bytes",
    "read_file",
    "replay",
    "replay_interactions",
]


def replay(
    recording: str | os.PathLike[str],
    *,
    context: Mapping[str, Any] | None = None,
    rules: Rules | None = None,
    format: str | None = None,
    max_bytes: int | None = None,
) -> ReplayReport:
    """Replay the recording at ``recording`` and judge each interaction.

    ``format`` is ``"vcr"``, ``"har"`` or ``"jsonl"`` (default: told by the extension, else by
    the content); ``context`` is what :func:`ixrules.check_request` takes; ``rules`` the rule
    set (default: the shipped rules). A file that cannot be read, or is in no format ixrules
    reads, raises :class:`ReplayError` naming the file and line; a bad context raises
    :class:`ixrules.ContextError` before anything is replayed.
    """
    from ..context import check_context

    check_context(context)
    interactions = read_file(os.fspath(recording), fmt=format, limit=max_bytes)
    return replay_interactions(interactions, context=context, rules=rules)


def replay_interactions(
    interactions: list[Interaction],
    *,
    context: Mapping[str, Any] | None = None,
    rules: Rules | None = None,
) -> ReplayReport:
    """Judge interactions already read (from any source: build :class:`Interaction` records).
    The secrets of each recording (interactions of one ``file``) are kept out of all of its
    verdicts."""
    if rules is None:
        from ..api import default_rules

        rules = default_rules()
    by_file: dict[str, list[Interaction]] = {}
    for item in interactions:
        by_file.setdefault(item.file, []).append(item)
    secrets = {file: Secrets.of(items) for file, items in by_file.items()}
    return ReplayReport(
        tuple(replay_one(item, rules, context, secrets[item.file]) for item in interactions)
    )
