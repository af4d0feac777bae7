"""``python -m cdatools.hub``: see :mod:`cdatools.hub.cli`."""

from cdatools.hub.cli import main

raise SystemExit(main())
