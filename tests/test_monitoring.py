"""cdatools.monitoring: before/after comparison with a bootstrap interval; Chontales helpers."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cdatools.monitoring import (
    _block_resample,
    chontales_monthly,
    compare_chontales,
    compare_periods,
    plot_periods,
)


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def days() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "period": ["before"] * 4 + ["after"] * 4,
            "days": [30, 32, 28, 30, 20, 22, 18, 20],
        }
    )


def deliveries() -> pd.DataFrame:
    """Two cooperatives, three months before and three after."""
    rows = []
    plan = {
        # month: (period, [(head, grade_a, days), (head, grade_a, days)])
        "2020-01-01": ("before", [(10, 2, 40.0), (30, 6, 20.0)]),
        "2020-02-01": ("before", [(0, 0, np.nan), (20, 4, 30.0)]),
        "2020-03-01": ("before", [(40, 8, 50.0), (10, 2, 50.0)]),
        "2020-04-01": ("after", [(20, 10, 10.0), (20, 10, 20.0)]),
        "2020-05-01": ("after", [(25, 10, 10.0), (15, 10, 10.0)]),
        "2020-06-01": ("after", [(20, 10, 15.0), (20, 10, 15.0)]),
    }
    for month, (period, coops) in plan.items():
        for coop, (head, grade, pay) in zip(["C1", "C2"], coops, strict=True):
            rows.append(
                {
                    "coop_id": coop,
                    "month": pd.Timestamp(month),
                    "period": period,
                    "head_delivered": head,
                    "head_grade_a": grade,
                    "payment_days": pay,
                }
            )
    return pd.DataFrame(rows)


# --- compare_periods ---------------------------------------------------------------------------


def test_compare_periods_by_hand():
    result = compare_periods(days(), "days")
    assert (result.before, result.after, result.difference) == (30.0, 20.0, -10.0)
    assert result.ci_low <= -10 <= result.ci_high
    assert result.ci_high < 0
    assert (result.n_before, result.n_after, result.unit) == (4, 4, "row")
    assert result.n_resamples == 2000
    # each bootstrap mean lies within the data's range, so the difference lies in [-14, -6]
    assert -14 <= result.ci_low and result.ci_high <= -6


def test_same_seed_same_interval_other_seed_other_interval():
    values = np.random.default_rng(0).normal(30, 5, size=40)
    data = pd.DataFrame({"period": ["before"] * 20 + ["after"] * 20, "days": values})
    a = compare_periods(data, "days", seed=1)
    b = compare_periods(data, "days", seed=1)
    c = compare_periods(data, "days", seed=2)
    assert (a.ci_low, a.ci_high) == (b.ci_low, b.ci_high)
    assert (a.ci_low, a.ci_high) != (c.ci_low, c.ci_high)


def test_constant_periods_give_a_zero_width_interval():
    data = pd.DataFrame({"period": ["before"] * 3 + ["after"] * 3, "x": [5, 5, 5, 7, 7, 7]})
    result = compare_periods(data, "x", block_length=2)
    assert (result.ci_low, result.ci_high) == (2.0, 2.0)
    assert "excludes zero" in result.message


def test_rows_are_averaged_per_unit_before_resampling():
    data = pd.DataFrame(
        {
            "period": ["before"] * 4 + ["after"] * 4,
            "month": [1, 1, 2, 2, 3, 3, 4, 4],
            "x": [1.0, 3.0, 3.0, 5.0, 6.0, 6.0, 8.0, 8.0],
        }
    )
    result = compare_periods(data, "x", unit="month")
    # months: before 2 and 4 (mean 3), after 6 and 8 (mean 7)
    assert (result.n_before, result.n_after) == (2, 2)
    assert (result.before, result.after, result.difference) == (3.0, 7.0, 4.0)
    assert result.unit == "month"
    assert "bootstrap over 2 + 2 months" in result.message


def test_coefficient_of_variation_by_hand():
    data = pd.DataFrame({"period": ["before"] * 3 + ["after"] * 3, "x": [1, 2, 3, 2, 2, 2]})
    result = compare_periods(data, "x", statistic="cv")
    assert result.before == pytest.approx(0.5)  # sd 1 (ddof=1) / mean 2
    assert result.after == 0.0
    assert result.difference == pytest.approx(-0.5)


def test_missing_values_are_left_out():
    data = days().astype({"days": float})
    data.loc[0, "days"] = np.nan
    result = compare_periods(data, "days")
    assert result.n_before == 3
    assert result.before == 30.0


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"statistic": "mode"}, "statistic must be one of 'mean', 'median', 'cv'; got 'mode'"),
        ({"block_length": 5}, "period 'before' has 4 row"),
        ({"confidence": 95}, "confidence must be between 0 and 1"),
        ({"n_resamples": 10}, "n_resamples must be a whole number >= 100"),
        ({"after": "later"}, r"'period' must be one of 'before', 'later'; row 4 has 'after'"),
        ({"unit": "month"}, "missing column 'month'"),
    ],
)
def test_compare_periods_errors(kwargs, match):
    with pytest.raises(ValueError, match=match):
        compare_periods(days(), "days", **kwargs)


def test_unit_in_both_periods_raises():
    data = days().assign(month=[1, 1, 2, 2, 2, 3, 3, 3])
    with pytest.raises(ValueError, match="month 2 has rows in both periods"):
        compare_periods(data, "days", unit="month")


def test_non_numeric_values_raise():
    data = days().astype({"days": object})
    data.loc[5, "days"] = "late"
    with pytest.raises(ValueError, match="'days' must hold numbers; row 5 has 'late'"):
        compare_periods(data, "days")


def test_block_resample_keeps_runs_together():
    x = np.arange(10.0)
    samples = _block_resample(x, 3, 50, np.random.default_rng(0))
    assert samples.shape == (50, 10)
    # within each block of three, values are consecutive
    blocks = samples[:, :9].reshape(50, 3, 3)
    assert (np.diff(blocks, axis=2) == 1).all()
    whole = _block_resample(x, 10, 5, np.random.default_rng(0))
    assert (whole == x).all()


@settings(max_examples=50, deadline=None, database=None)
@given(
    before=st.lists(st.floats(0, 100), min_size=3, max_size=12),
    after=st.lists(st.floats(0, 100), min_size=3, max_size=12),
    shift=st.floats(-50, 50),
    block=st.integers(1, 3),
)
def test_shifting_after_values_shifts_difference_and_interval(before, after, shift, block):
    data = pd.DataFrame(
        {"period": ["before"] * len(before) + ["after"] * len(after), "x": before + after}
    )
    moved = data.assign(x=np.where(data["period"] == "after", data["x"] + shift, data["x"]))
    a = compare_periods(data, "x", block_length=block, n_resamples=200)
    b = compare_periods(moved, "x", block_length=block, n_resamples=200)
    assert b.difference == pytest.approx(a.difference + shift, abs=1e-6)
    assert b.ci_low == pytest.approx(a.ci_low + shift, abs=1e-6)
    assert b.ci_high == pytest.approx(a.ci_high + shift, abs=1e-6)
    assert a.ci_low <= a.ci_high


# --- Chontales ---------------------------------------------------------------------------------


def test_chontales_monthly_by_hand():
    monthly = chontales_monthly(deliveries())
    assert monthly["head_delivered"].tolist() == [40, 20, 50, 40, 40, 40]
    assert monthly["grade_a_share"].tolist()[:2] == [0.2, 0.2]
    # January: (10*40 + 30*20) / 40 = 25 days; February: the empty delivery is left out
    assert monthly["payment_days"].tolist()[:2] == [25.0, 30.0]
    assert monthly["period"].tolist() == ["before"] * 3 + ["after"] * 3


def test_more_grade_a_than_delivered_raises():
    data = deliveries()
    data.loc[3, "head_grade_a"] = 25
    with pytest.raises(ValueError, match="must not exceed 'head_delivered'; row 3 has 25"):
        chontales_monthly(data)


def test_month_in_two_periods_raises():
    data = deliveries()
    data.loc[1, "period"] = "after"
    with pytest.raises(ValueError, match="has rows in two periods"):
        chontales_monthly(data)


def test_compare_chontales_by_hand():
    table = compare_chontales(deliveries(), block_length=1, n_resamples=500).set_index("indicator")
    # head per month: before 40, 20, 50 (cv = sd 15.28 / mean 36.67 = 0.417); after 40, 40, 40 (0)
    assert table.loc["delivery_regularity", "before"] == pytest.approx(
        np.std([40, 20, 50], ddof=1) / (110 / 3)
    )
    assert table.loc["delivery_regularity", "after"] == 0
    assert table.loc["grade_a_share", "after"] == pytest.approx((0.5 + 0.5 + 0.5) / 3)
    assert table.loc["grade_a_share", "better"] == "after"
    assert table.loc["payment_days", "difference"] < 0
    assert table.loc["payment_days", "message"].startswith(
        "Days from delivery to payment, lower is better:"
    )
    assert set(table["better"]) <= {"after", "before", "unclear"}


# --- plot --------------------------------------------------------------------------------------


def test_plot_periods_lines_and_means():
    monthly = chontales_monthly(deliveries())
    ax = plot_periods(monthly, "payment_days", ylabel="Days to payment (days)")
    assert len(ax.lines) == 4  # a line and a mean line per period
    before_mean = ax.lines[1].get_ydata()
    assert before_mean[0] == pytest.approx(np.mean(monthly["payment_days"][:3]))
    assert ax.get_ylabel() == "Days to payment (days)"
    assert ax.get_xlabel() == "Month"
    assert ax.get_title() == "Days to payment (days): before and after"


def test_plot_periods_on_given_axes_and_errors():
    _, ax = plt.subplots()
    monthly = chontales_monthly(deliveries())
    assert plot_periods(monthly, "head_delivered", ax=ax) is ax
    with pytest.raises(ValueError, match="missing column 'rain_mm'"):
        plot_periods(monthly, "rain_mm")


def test_counting_helpers_for_the_lessons():
    from cdatools.monitoring import count_and_total, count_per_year, running_total

    events = pd.DataFrame(
        {"date": ["2008-01-05", "2008-03-01", "2009-02-02"], "kind": ["a", "b", "a"]}
    )
    assert count_per_year(events, "kind").loc[2009].tolist() == [1, 0]
    with pytest.raises(ValueError, match="row 1 holds 'soon', not a date"):
        count_per_year(events.assign(date=["2008-01-05", "soon", "2009-02-02"]), "kind")
    units = pd.DataFrame({"kind": ["x", "y", "x"], "workers": [2, 3, 4]})
    assert count_and_total(units, "kind", ["workers"]).loc["x"].tolist() == [2, 6]
    with pytest.raises(ValueError, match="workers"):
        count_and_total(units.assign(workers=["a", "b", "c"]), "kind", ["workers"])
    years = running_total(pd.DataFrame({"year": [2003, 2001, 2001]}), "year")
    assert years["running_total"].tolist() == [2, 3]


def test_days_between_and_largest_first():
    from cdatools.monitoring import count_and_total, days_between

    events = pd.DataFrame(
        {
            "date": pd.to_datetime(["2008-03-01", "2008-01-01", "2008-01-31", "2008-02-10"]),
            "kind": ["review", "review", "review", "peer"],
        }
    )
    gaps = days_between(events, kind="review")
    assert gaps["count"] == 2 and gaps["max"] == 30 and gaps["min"] == 30
    with pytest.raises(ValueError, match="at least two events"):
        days_between(events, kind="peer")
    coops = pd.DataFrame({"town": ["a", "b", "b"], "farmers": [5, 1, 2]})
    assert count_and_total(coops, "town", ["farmers"], largest_first=True).index[0] == "a"
    assert count_and_total(coops, "town", ["farmers"]).index[0] == "a"
    assert (
        count_and_total(
            coops.assign(farmers=[1, 5, 2]), "town", ["farmers"], largest_first=True
        ).index[0]
        == "b"
    )
