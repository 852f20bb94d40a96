"""Rewrite the generated table of fixes in docs/fix.md (between its two markers).

    python tools/fix_table.py            # rewrite docs/fix.md
    python tools/fix_table.py --check    # exit 1 when docs/fix.md is not current

The table is :func:`ixrules.fixes.table.fix_table` of the shipped rules; tests/test_fix.py
keeps the page equal to it.
"""

from __future__ import annotations

import sys
from pathlib import Path

from ixrules.api import default_rules
from ixrules.fixes.table import END, START, fix_table

PAGE = Path(__file__).resolve().parent.parent / "docs" / "fix.md"


def regenerated(text: str) -> str:
    """``text`` with its table replaced by the generated one."""
    start, end = text.index(START), text.index(END) + len(END) + 1
    return text[:start] + fix_table(default_rules().ruleset) + text[end:]


def main(argv: list[str]) -> int:
    text = PAGE.read_text(encoding="utf-8")
    new = regenerated(text)
    if "--check" in argv:
        return 0 if new == text else 1
    if new != text:
        PAGE.write_text(new, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
