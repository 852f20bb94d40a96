"""The ``ixrules`` command: parse arguments, load bodies, validate, report."""
