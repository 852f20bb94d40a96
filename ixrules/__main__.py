"""``python -m ixrules``: the same as the ``ixrules`` command."""

from .cli.main import main

raise SystemExit(main())
