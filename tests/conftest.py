"""Fixtures and hooks only: the helpers test modules share are in tests/support/ (see its
``__init__``)."""

from __future__ import annotations

import compileall
import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# HYPOTHESIS_PROFILE=long (tox -e long) runs the properties of tests/test_properties.py with
# many more examples; the normal suite keeps the counts those tests ask for.
settings.register_profile(
    "long",
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
# The default profile has no deadline either: the suite runs on shared 2-core machines, where
# a slow example says nothing about the code.
settings.register_profile("default", deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

# The rule-set cache (ixrules.ruleformat.rulecache) never writes to the user's home during the
# tests: one temporary directory for the whole run, set before any test module loads the rules and
# inherited by the command-line tests' subprocesses (tests/cli_runner.py). Under pytest-xdist the
# controller makes it and its workers (which inherit its environment) share it: the cache's writes
# are atomic renames, and one worker's fill saves the others parsing the rule files again.
_SESSION = "IXRULES_TEST_SESSION_CACHE"
if not os.path.isdir(os.environ.get(_SESSION, "")):
    os.environ[_SESSION] = tempfile.mkdtemp(prefix="ixrules-test-cache-")
os.environ["IXRULES_CACHE_DIR"] = os.environ[_SESSION]
os.environ.pop("IXRULES_NO_CACHE", None)
# Subprocesses (the command-line tests, probes run with ``python -c``) may write bytecode: the
# workplace's PYTHONDONTWRITEBYTECODE=1 would have each of them compile the package again.
# pytest_configure compiles the package once, before any worker or subprocess starts.
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)

PACKAGE = Path(__file__).resolve().parent.parent / "ixrules"


def pytest_configure(config: pytest.Config) -> None:
    """Compile the package's bytecode once per run, in the xdist controller (or the only
    process), whatever ``PYTHONDONTWRITEBYTECODE`` says: ``py_compile`` writes regardless, and
    an up-to-date file is left alone, so this costs a few stat calls after the first run."""
    if hasattr(config, "workerinput"):  # an xdist worker: its controller has compiled
        return
    compileall.compile_dir(PACKAGE, quiet=1, workers=1)


@pytest.fixture(autouse=True)
def _rule_cache_in_a_temporary_directory(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test sees the run's temporary cache directory, whatever an earlier test set."""
    monkeypatch.setenv("IXRULES_CACHE_DIR", CACHE_DIR)


CACHE_DIR = os.environ["IXRULES_CACHE_DIR"]
