"""Allow ``python -m cdatools``."""

from cdatools.cli import main

raise SystemExit(main())
