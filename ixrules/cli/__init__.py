"""The ``ixrules`` command: lint JSON and JSON Lines payload files, list endpoints and rules.

``main.py`` is the thin pipeline (arguments -> sources -> checks -> reporter); each concern has
its own module, imported only when the command needs it so ``ixrules --version`` stays fast.
"""
