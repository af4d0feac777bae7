"""Tools for Cluster Development Agents (CDAs).

The package backs the course "Cluster Governance, Trust and the Role of the CDA"
and stays useful afterwards on a CDA's own cluster data.
Importing it is cheap: heavy libraries load only when a function needs them.

Examples
--------
>>> import cdatools
>>> "load" in cdatools.__all__
True
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# Public name -> submodule of cdatools that defines it. The submodule is imported the
# first time the name is used, so `import cdatools` does not import pandas.
# To export a new function, add one line here.
_LAZY: dict[str, str] = {
    "DatasetError": "datasets",
    "describe": "datasets",
    "list_datasets": "datasets",
    "load": "datasets",
    "load_csv": "datasets",
    "get_language": "i18n",
    "set_language": "i18n",
}

# Analysis modules, imported on first use too: ``cdatools.trust.brokers(...)``.
_SUBMODULES: tuple[str, ...] = (
    "commission",
    "datasets",
    "field",
    "governance",
    "i18n",
    "joint_actions",
    "monitoring",
    "plotting",
    "quiz",
    "scenario",
    "stakeholders",
    "templates",
    "trust",
    "widgets",
    "workplan",
)

__all__ = ["__version__", *_LAZY, *_SUBMODULES]

if TYPE_CHECKING:  # pragma: no cover - for type checkers and editors only
    from cdatools.datasets import DatasetError as DatasetError
    from cdatools.datasets import describe as describe
    from cdatools.datasets import list_datasets as list_datasets
    from cdatools.datasets import load as load
    from cdatools.datasets import load_csv as load_csv
    from cdatools.i18n import get_language as get_language
    from cdatools.i18n import set_language as set_language


def __getattr__(name: str) -> Any:
    """Import the submodule behind a public name on first use (PEP 562)."""
    if name in _SUBMODULES:
        value = importlib.import_module(f"cdatools.{name}")
        globals()[name] = value
        return value
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'cdatools' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"cdatools.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
