"""The run stage: a loaded rule set's bodies compiled once, then run for each call.

* :mod:`ixrules.run.tree`: each body spec compiled into a program tree (rules with their
  checks looked up, children's absence rules, the ``invalid`` rule, the expected container).
* :mod:`ixrules.run.call`: what one call collects, and every policy both executors share
  (context needs, required fields by mode, unknown keys and their hint cap, where ``invalid``
  messages go).
* :mod:`ixrules.run.codegen`: the default executor, the tree written out as Python, with
  :mod:`ixrules.run.proofs` writing its fast valid path (a proof that a value is clean, tried
  before the ordered code).
* :mod:`ixrules.run.compiled`: a rule set's trees and their generated functions, built once
  and shared: what :class:`ixrules.api.Rules` asks to prove a body clean or run it.
* :mod:`ixrules.run.reference`: the reference executor, the tree written as a Cerberus schema
  and run by Cerberus; imported only when it or a Cerberus schema is asked for.

Imports run one way: ``tree`` <- ``call`` <- ``codegen`` and ``reference``, ``tree`` <-
``proofs`` <- ``codegen`` <- ``compiled``; the stage reads the rule model and the checks, and
nothing in it imports the public API.
"""
