"""``python -m ml_emissions``: the command line."""

from .cli import main

raise SystemExit(main())
