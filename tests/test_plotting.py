"""cdatools.plotting and package-wide rules: one style, optional ax, light imports, docstrings."""

from __future__ import annotations

import doctest
import inspect
import subprocess
import sys

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import networkx as nx
import pandas as pd
import pytest
from matplotlib.axes import Axes

from cdatools import (
    _validate,
    commission,
    governance,
    joint_actions,
    monitoring,
    plotting,
    stakeholders,
    trust,
    workplan,
)
from cdatools.plotting import OKABE_ITO, PALETTE, color, color_map, new_axes, style_axes

ANALYSIS_MODULES = [
    workplan,
    governance,
    trust,
    joint_actions,
    commission,
    stakeholders,
    monitoring,
    plotting,
]


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


# --- palette and helpers -----------------------------------------------------------------------


def test_palette_is_okabe_ito():
    assert PALETTE[:3] == ("#0072B2", "#E69F00", "#009E73")
    assert set(PALETTE) == set(OKABE_ITO.values())
    assert len(PALETTE) == 8


def test_color_cycles_and_color_map_is_stable():
    assert color(9) == color(1)
    assert color_map(["b", "a", "b"]) == {"b": PALETTE[0], "a": PALETTE[1]}


def test_new_axes_reuses_or_creates():
    _, ax = plt.subplots()
    assert new_axes(ax) is ax
    fresh = new_axes()
    assert isinstance(fresh, Axes) and fresh is not ax
    assert new_axes(polar=True).name == "polar"
    with pytest.raises(ValueError, match="needs a polar Axes"):
        new_axes(ax, polar=True)


def test_style_axes_sets_title_labels_and_frame():
    ax = style_axes(new_axes(), "Deliveries", "Month", "Head of cattle (count)")
    assert (ax.get_title(), ax.get_xlabel(), ax.get_ylabel()) == (
        "Deliveries",
        "Month",
        "Head of cattle (count)",
    )
    assert not ax.spines["top"].get_visible()
    assert not ax.spines["right"].get_visible()


@pytest.mark.parametrize(("title", "grid"), [("", "y"), ("A title", "diagonal")])
def test_style_axes_rejects_bad_arguments(title, grid):
    with pytest.raises(ValueError):
        style_axes(new_axes(), title, grid=grid)


# --- every plot function -----------------------------------------------------------------------


def _plan():
    return workplan.table1_plan()


def _survey():
    return pd.DataFrame(
        {
            "category": ["small_firms", "large_firms", "small_firms"],
            **{c: [1, 3, 5] for c in governance.CHARACTERISTICS},
        }
    )


def _actions():
    return pd.DataFrame(
        {
            "action_id": ["A", "B", "C"],
            "expected_benefit": [8, 3, 5],
            "cost_usd": [100, 900, 300],
            "duration_months": [1, 6, 2],
            "predatory_risk": ["low", "high", "medium"],
        }
    )


def _monthly():
    return pd.DataFrame(
        {"month": [1, 2, 3, 4], "period": ["before"] * 2 + ["after"] * 2, "x": [1, 2, 3, 4]}
    )


def _members():
    return pd.DataFrame({"commission_category": ["entrepreneurs", "local_government"]})


PLOTS = {
    "plot_workplan": lambda ax: workplan.plot_workplan(_plan(), ax=ax),
    "plot_hands_on": lambda ax: workplan.plot_hands_on(workplan.hands_on_profile(_plan()), ax=ax),
    "plot_heatmap": lambda ax: governance.plot_heatmap(governance.scorecard(_survey()), ax=ax),
    "plot_change": lambda ax: governance.plot_change(
        governance.compare_waves(
            pd.concat([_survey().assign(wave="baseline"), _survey().assign(wave="follow_up")])
        ),
        ax=ax,
    ),
    "plot_radar": lambda ax: governance.plot_radar(governance.scorecard(_survey()), ax=ax),
    "plot_network": lambda ax: trust.plot_network(nx.path_graph(4), ax=ax),
    "plot_matrix": lambda ax: joint_actions.plot_matrix(_actions(), ax=ax),
    "plot_commission": lambda ax: commission.plot_commission(
        commission.check_commission(_members()), ax=ax
    ),
    "plot_grid": lambda ax: stakeholders.plot_grid(
        pd.DataFrame({"power": [1, 5], "interest": [5, 1]}), ax=ax
    ),
    "plot_periods": lambda ax: monitoring.plot_periods(_monthly(), "x", ax=ax),
}


def test_every_public_plot_function_is_exercised():
    found = {
        name
        for module in ANALYSIS_MODULES
        for name, obj in vars(module).items()
        if name.startswith("plot_") and inspect.isfunction(obj)
    }
    assert found == set(PLOTS)


@pytest.mark.parametrize("name", sorted(PLOTS))
def test_plot_functions_follow_the_house_rules(name, monkeypatch):
    def no_show(*args, **kwargs):
        raise AssertionError(f"{name} called plt.show()")

    monkeypatch.setattr(plt, "show", no_show)
    before = dict(matplotlib.rcParams)
    ax = PLOTS[name](None)  # a new figure
    assert isinstance(ax, Axes)
    assert ax.get_title(), f"{name} drew no title"
    polar = name == "plot_radar"
    _, given = plt.subplots(subplot_kw={"projection": "polar"} if polar else None)
    assert PLOTS[name](given) is given  # draws on the Axes it is given
    assert dict(matplotlib.rcParams) == before, f"{name} changed matplotlib's global settings"
    signature = inspect.signature(
        next(getattr(m, name) for m in ANALYSIS_MODULES if hasattr(m, name))
    )
    assert signature.parameters["ax"].default is None
    assert signature.parameters["ax"].kind is inspect.Parameter.KEYWORD_ONLY


# --- light import ------------------------------------------------------------------------------


def test_importing_the_analysis_modules_does_not_import_heavy_libraries():
    code = (
        "import sys, cdatools\n"
        "from cdatools import workplan, governance, trust, joint_actions, commission, "
        "stakeholders, monitoring, plotting, _validate\n"
        "heavy = ('matplotlib', 'networkx', 'ipywidgets', 'scipy')\n"
        "print(','.join(m for m in heavy if m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True
    )
    assert result.stdout.strip() == ""


# --- docstrings --------------------------------------------------------------------------------

NO_RAISES = {"color", "color_map", "table1_plan", "describe"}


def public_functions():
    for module in ANALYSIS_MODULES:
        for name, obj in vars(module).items():
            if name.startswith("_") or getattr(obj, "__module__", None) != module.__name__:
                continue
            if inspect.isfunction(obj):
                yield f"{module.__name__}.{name}", obj
            elif inspect.isclass(obj):
                yield f"{module.__name__}.{name}", obj
                for attr, member in vars(obj).items():
                    if inspect.isfunction(member) and not attr.startswith("_"):
                        yield f"{module.__name__}.{name}.{attr}", member


@pytest.mark.parametrize(("qualname", "obj"), list(public_functions()), ids=lambda x: str(x))
def test_public_names_have_numpydoc_docstrings(qualname, obj):
    doc = inspect.getdoc(obj) or ""
    assert doc, f"{qualname} has no docstring"
    if inspect.isclass(obj):
        assert "Attributes\n----------" in doc, qualname
        return
    params = [p for p in inspect.signature(obj).parameters if p not in ("self",)]
    sections = ["Returns", "Examples"]
    if params:
        sections.append("Parameters")
    if obj.__name__ not in NO_RAISES:
        sections.append("Raises")
    for section in sections:
        assert f"{section}\n{'-' * len(section)}" in doc, f"{qualname} lacks {section}"
    assert inspect.signature(obj).return_annotation is not inspect.Signature.empty, (
        f"{qualname} has no return type hint"
    )


@pytest.mark.parametrize("module", [*ANALYSIS_MODULES, _validate], ids=lambda m: m.__name__)
def test_docstring_examples_run(module):
    flags = doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS
    result = doctest.testmod(module, optionflags=flags, verbose=False)
    assert result.failed == 0, f"{result.failed} docstring example(s) failed in {module.__name__}"
