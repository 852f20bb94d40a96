"""The ``ixrules`` command: lint JSON and JSON Lines payload files, list endpoints and rules.

``main.py`` is the dispatcher: it parses the arguments (``options.py``) and hands them to the
command's module, imported then: ``linting.py`` (arguments -> sources -> checks -> reporter),
``listing.py`` (endpoints, rules, explain, schema, compile), ``replay.py``, the mock's. What they
share is ``loading.py`` (the rule set and the lint's settings) and ``output.py`` (standard
output). The lint core they run (sources, checking, problems, the table) is the library package
:mod:`ixrules.lint`, shared with :mod:`ixrules.bulk`. Each concern has its own module, imported
only when the command needs it so ``ixrules --version`` stays fast. Nothing in the library
imports this package.
"""
