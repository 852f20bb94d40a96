"""The atheris fuzz targets run for a short, fixed number of inputs: a crash, a hang (an
input over ``-timeout`` seconds) or a broken assertion in a target fails the test. Long runs
are ``tox -e fuzz`` (docs/robustness.md)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("atheris", reason="atheris has no wheel for this platform")

ROOT = Path(__file__).resolve().parent.parent
RUNS = 2000


@pytest.mark.slow
@pytest.mark.parametrize(
    ("target", "flags", "seeds"),
    [
        ("fuzz_validate.py", [], [ROOT / "tests" / "fixtures" / "examples"]),
        ("fuzz_patterns.py", ["-max_len=512"], []),
    ],
)
def test_the_fuzz_target_survives_a_fixed_number_of_inputs(
    target: str, flags: list[str], seeds: list[Path], tmp_path: Path
) -> None:
    command = [
        sys.executable,
        str(ROOT / "fuzz" / target),
        f"-runs={RUNS}",
        "-seed=27",
        "-timeout=20",
        "-rss_limit_mb=2048",
        *flags,
        str(tmp_path),
        *map(str, seeds),
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)
    tail = done.stderr[-3000:]
    assert done.returncode == 0, tail
    assert f"Done {RUNS} runs" in done.stderr, tail
