"""Interactive planning widgets for CDAs, each a saving model plus a view.

Every widget keeps one contract: it takes ``save_path``, exposes its plan as a
JSON-serialisable dict at ``.state``, saves every change at once and atomically,
restores from the same ``save_path``, writes its plan with ``.export_csv(path)`` and
its figure with ``.save_png(path)``, and keeps an unreadable save file aside with a
visible notice instead of overwriting it.
"""
