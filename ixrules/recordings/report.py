"""What a replay found: each interaction's verdict, counted by verdict and by rule."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .classify import FAILING, VERDICTS, Replayed


@dataclass(frozen=True)
class ReplayReport:
    """The verdicts of a recording's interactions, in file order.

    ``counts`` has every verdict (zeros included); ``by_rule`` each rule a verdict is about,
    with its non-zero counts; ``failing`` is True when the API refused what ixrules let through
    or accepted what it refused (the command then exits 1).
    """

    replayed: tuple[Replayed, ...] = ()

    @classmethod
    def of(cls, parts: Iterable[ReplayReport]) -> ReplayReport:
        """Several recordings' reports as one (the command's, over its files)."""
        return cls(tuple(item for part in parts for item in part.replayed))

    @property
    def counts(self) -> dict[str, int]:
        out = dict.fromkeys(VERDICTS, 0)
        for item in self.replayed:
            out[item.verdict] += 1
        return out

    @property
    def by_rule(self) -> dict[str, dict[str, int]]:
        out: dict[str, dict[str, int]] = {}
        for item in self.replayed:
            for rule in item.rules:
                row = out.setdefault(rule, {})
                row[item.verdict] = row.get(item.verdict, 0) + 1
        order = {verdict: index for index, verdict in enumerate(VERDICTS)}
        return {
            rule: dict(sorted(out[rule].items(), key=lambda pair: order[pair[0]]))
            for rule in sorted(out)
        }

    @property
    def failing(self) -> bool:
        return any(item.verdict in FAILING for item in self.replayed)
