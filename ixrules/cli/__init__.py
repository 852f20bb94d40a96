"""The ``ixrules`` command: lint JSON and JSON Lines payload files, list endpoints and rules.

``main.py`` is the thin pipeline (arguments -> sources -> checks -> reporter); the lint core it
runs (sources, checking, problems, the table) is the library package :mod:`ixrules.lint`, shared
with :mod:`ixrules.bulk`. Each concern has its own module, imported only when the command needs
it so ``ixrules --version`` stays fast. Nothing in the library imports this package.
"""
