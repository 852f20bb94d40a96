"""Helpers shared by the test modules, one module per job; with ``cli_runner`` (the command's
runs) and ``strategies`` (hypothesis strategies) beside the tests, they are all a test module
imports from the suite: never ``conftest`` (fixtures and hooks only) nor another test module
(tests/test_layout.py checks)."""
