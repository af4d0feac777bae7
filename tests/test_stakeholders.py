"""cdatools.stakeholders: Mendelow's power/interest grid."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cdatools.stakeholders import QUADRANT_ADVICE, QUADRANTS, mendelow_grid, plot_grid


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def people() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "stakeholder_id": ["S1", "S2", "S3", "S4", "S5", "S6"],
            "name": ["Mayor", "Bank", "Printer", "Trader", "Chamber", "NGO"],
            "power": [5, 5, 1, 1, 3, 2],
            "interest": [5, 1, 5, 1, 3, 3],
        }
    )


def test_grid_by_hand():
    grid = mendelow_grid(people())
    assert grid["quadrant"].tolist() == [
        "manage_closely",
        "keep_satisfied",
        "keep_informed",
        "monitor",
        "manage_closely",  # 3 and 3: above 2.5, the middle gets more attention
        "keep_informed",  # power 2 is low, interest 3 is high
    ]
    assert grid.loc[0, "advice"] == QUADRANT_ADVICE["manage_closely"]
    assert list(grid.columns[:4]) == ["stakeholder_id", "name", "power", "interest"]


def test_threshold_can_be_raised():
    grid = mendelow_grid(people(), threshold=3)
    assert grid.loc[4, "quadrant"] == "monitor"  # 3 is no longer above the threshold


def test_other_columns_and_scale():
    data = pd.DataFrame({"influence": [9, 2], "stake": [8, 9]})
    grid = mendelow_grid(data, power="influence", interest="stake", scale=(0, 10), threshold=5)
    assert grid["quadrant"].tolist() == ["manage_closely", "keep_informed"]


@pytest.mark.parametrize(
    ("change", "kwargs", "match"),
    [
        (
            lambda d: d.assign(power=[5, 5, 1, 1, 3, 6]),
            {},
            r"'power' must be between 1 and 5; row 5 \(stakeholder_id 'S6'\) has 6",
        ),
        (lambda d: d.drop(columns="interest"), {}, "missing column 'interest'"),
        (lambda d: d.iloc[0:0], {}, "no rows"),
        (lambda d: d, {"threshold": 7}, "threshold must be within the scale 1-5"),
    ],
)
def test_bad_input_raises(change, kwargs, match):
    with pytest.raises(ValueError, match=match):
        mendelow_grid(change(people()), **kwargs)


ATTENTION = {"monitor": 0, "keep_informed": 1, "keep_satisfied": 1, "manage_closely": 2}


@settings(max_examples=100, deadline=None, database=None)
@given(
    power=st.integers(1, 5),
    interest=st.integers(1, 5),
    more_power=st.integers(0, 4),
    more_interest=st.integers(0, 4),
)
def test_more_power_or_interest_never_means_less_attention(
    power, interest, more_power, more_interest
):
    before = mendelow_grid(pd.DataFrame({"power": [power], "interest": [interest]}))
    after = mendelow_grid(
        pd.DataFrame(
            {"power": [min(power + more_power, 5)], "interest": [min(interest + more_interest, 5)]}
        )
    )
    assert ATTENTION[after.loc[0, "quadrant"]] >= ATTENTION[before.loc[0, "quadrant"]]
    assert after.loc[0, "quadrant"] in QUADRANTS


def test_plot_grid_one_scatter_per_quadrant():
    ax = plot_grid(people())
    assert len(ax.collections) == 4
    names = [t.get_text() for t in ax.texts]
    assert {"Mayor", "Printer", "Manage closely", "Monitor"} <= set(names)
    assert ax.get_xlabel() == "Interest in the initiative (score 1-5)"
    assert ax.get_ylabel() == "Power over the initiative (score 1-5)"
    assert ax.get_title() == "Stakeholders on the power/interest grid"


def test_plot_grid_spreads_stakeholders_with_equal_scores():
    data = pd.DataFrame({"name": ["a", "b", "c"], "power": [4, 4, 4], "interest": [4, 4, 4]})
    _, ax = plt.subplots()
    assert plot_grid(data, ax=ax) is ax
    points = ax.collections[0].get_offsets()
    assert len(np.unique(np.round(points, 6), axis=0)) == 3
    assert np.allclose(points.mean(axis=0), [4, 4])


def test_plot_grid_without_labels():
    ax = plot_grid(people(), label=None)
    assert "Mayor" not in [t.get_text() for t in ax.texts]
