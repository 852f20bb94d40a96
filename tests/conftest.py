"""Shared helpers: fixture bodies, and issues as plain (message, path, rule) triples."""

from __future__ import annotations

import compileall
import copy
import json
import os
import tempfile
from pathlib import Path
from typing import Any

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

FIXTURES = Path(__file__).parent / "fixtures"
EXAMPLES = FIXTURES / "examples"


def load_example(name: str) -> Any:
    """A request body copied from the API's docs, client libraries or recorded traffic."""
    return json.loads((EXAMPLES / name).read_text(encoding="utf-8"))


def triples(report: Any) -> list[tuple[str, str, str]]:
    """A report's issues as (message, path, rule id), in order: what the tests assert."""
    return [(issue.message, issue.path, issue.rule) for issue in report.errors]


def changed(body: Any, path: str, value: Any) -> Any:
    """A deep copy of ``body`` with the JSON pointer ``path`` set to ``value`` (or removed when
    ``value`` is ``DELETE``)."""
    out = copy.deepcopy(body)
    parts = [part for part in path.split("/")[1:]]
    node = out
    for part in parts[:-1]:
        node = node[int(part)] if isinstance(node, list) else node[part]
    last = parts[-1]
    if isinstance(node, list):
        if value is DELETE:
            del node[int(last)]
        else:
            node[int(last)] = value
    elif value is DELETE:
        del node[last]
    else:
        node[last] = value
    return out


DELETE = object()
