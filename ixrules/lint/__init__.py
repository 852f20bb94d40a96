"""The lint core, shared by the command line (``ixrules lint``) and :mod:`ixrules.bulk`: which
bodies to read (``sources``), checking one body and placing its issues at ``file:line:column``
(``checker``, ``positions``), what a run finds (``problems``: ``Problem`` and ``Failure``), the
problem table (``table``) and text made safe to print (``safe``).

A library package: it imports the public API and never ``ixrules.cli``, which imports it.
"""
