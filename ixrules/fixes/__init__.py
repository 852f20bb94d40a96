"""Fixes: how a body the rules find fault with is repaired, and applying the repairs.

Every finding whose rule or check knows a repair carries it as ``Issue.fix`` (an
:class:`ixrules.report.Edit`: path, rule, before, after, applicability, description).
:func:`ixrules.fix` (:mod:`ixrules.fixes.engine`) applies the safe ones, and the unsafe ones
when asked, until nothing is left to fix; :mod:`ixrules.fixes.text` writes them into a JSON
file's own text, changing only the tokens they change, and :mod:`ixrules.fixes.files` does it
for a file's bytes. The repairs are facts of the checks (their ``fix``, see
:mod:`ixrules.checks.repairs`) and of a few rules (:mod:`ixrules.fixes.proposals`).
"""
