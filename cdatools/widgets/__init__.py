"""Interactive planning widgets for CDAs, each a saving model plus a view.

Every widget keeps one contract: it takes ``save_path``, exposes its plan as a
JSON-serialisable dict at ``.state``, saves every change at once and atomically,
restores from the same ``save_path``, writes its plan with ``.export_csv(path)`` and
its figure with ``.save_png(path)``, and keeps an unreadable save file aside with a
visible notice instead of overwriting it.

=========================  ========================  ============================
View (show it in a cell)   Model (plain Python)      Saved by default to
=========================  ========================  ============================
``WorkplanBuilder``        ``WorkplanModel``         ``my-work/workplan.json``
``GovernanceAssessment``   ``GovernanceModel``       ``my-work/governance.json``
``TrustMap``               ``TrustMapModel``         ``my-work/trust_map.json``
``JointActionPrioritiser`` ``JointActionModel``      ``my-work/joint_actions.json``
``CommissionComposer``     ``CommissionModel``       ``my-work/commission.json``
``StakeholderGrid``        ``StakeholderGridModel``  ``my-work/stakeholder_grid.json``
=========================  ========================  ============================
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "WorkplanBuilder": "workplan",
    "WorkplanModel": "workplan",
    "GovernanceAssessment": "governance",
    "GovernanceModel": "governance",
    "TrustMap": "trust_map",
    "TrustMapModel": "trust_map",
    "JointActionPrioritiser": "joint_actions",
    "JointActionModel": "joint_actions",
    "CommissionComposer": "commission",
    "CommissionModel": "commission",
    "StakeholderGrid": "stakeholder_grid",
    "StakeholderGridModel": "stakeholder_grid",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'cdatools.widgets' has no attribute {name!r}")
    module = importlib.import_module(f"cdatools.widgets.{_EXPORTS[name]}")
    return getattr(module, name)


def __dir__() -> list[str]:
    return sorted([*globals(), *_EXPORTS])
