"""Before/after comparison of outcome indicators, with an honest uncertainty estimate.

A CDA monitors outcomes against the diagnostic's baseline. A difference in
means alone hides how much it could be chance, so :func:`compare_periods` adds a
bootstrap interval: it resamples the data many times and reports the range in
which the middle 95% of the resampled differences fall.

Being honest about the bootstrap means resampling the things that are
independent:

- rows from the same month (e.g. several cooperatives' deliveries) share the
  month's weather and prices, so pass ``unit="month"``: values are averaged
  per month and months are resampled, not rows;
- neighbouring months resemble each other (seasons, slow trends), so pass
  ``block_length=3``: runs of three consecutive months are resampled together
  (a moving-block bootstrap).

With 24 months a side and blocks of three, intervals rest on 8 blocks per
period: they are approximate, and wider than a naive row bootstrap would
suggest. That is the honest answer. A before/after comparison also cannot tell
what caused a change (prices, rain and other programmes change too): say so when
you report it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from cdatools import _validate as v
from cdatools.i18n import N_, gettext

if TYPE_CHECKING:
    from matplotlib.axes import Axes

WHERE = "monitoring"

#: Statistics :func:`compare_periods` can compare.
STATISTICS: tuple[str, ...] = ("mean", "median", "cv")


@dataclass(frozen=True)
class PeriodComparison:
    """Result of :func:`compare_periods`.

    Attributes
    ----------
    value : str
        The indicator compared.
    statistic : str
        ``'mean'``, ``'median'`` or ``'cv'`` (coefficient of variation: standard
        deviation divided by mean; lower means more regular).
    before, after : float
        The statistic in each period.
    difference : float
        ``after - before``.
    ci_low, ci_high : float
        Bootstrap percentile interval for the difference.
    confidence : float
        Interval coverage, e.g. 0.95.
    n_before, n_after : int
        Independent units (rows, or months when ``unit`` is given) per period.
    unit : str
        What was resampled: ``'row'`` or the unit column's name.
    block_length : int
        Consecutive units resampled together.
    n_resamples : int
        Bootstrap resamples drawn.
    """

    value: str
    statistic: str
    before: float
    after: float
    difference: float
    ci_low: float
    ci_high: float
    confidence: float
    n_before: int
    n_after: int
    unit: str
    block_length: int
    n_resamples: int

    @property
    def message(self) -> str:
        """The result in one or two plain sentences."""
        return self.describe()

    def describe(self, label: str | None = None) -> str:
        """The result in plain sentences, naming the indicator ``label`` if given.

        Parameters
        ----------
        label : str, optional
            How to name the indicator; default ``'<value> (<statistic>)'``.

        Returns
        -------
        str
            Values, change, interval and whether the interval includes zero.

        Examples
        --------
        >>> df = pd.DataFrame({"period": ["before"] * 3 + ["after"] * 3,
        ...                    "days": [30, 32, 28, 20, 22, 18]})
        >>> compare_periods(df, "days").describe("Days to payment")[:40]
        'Days to payment: 30 before, 20 after, a '
        """
        name = label or f"{self.value} ({self.statistic})"
        units = f"{self.unit}s" if self.unit != "row" else "rows"
        blocks = f" in blocks of {self.block_length}" if self.block_length > 1 else ""
        verdict = (
            "The interval includes zero: the data cannot rule out no change."
            if self.ci_low <= 0 <= self.ci_high
            else "The interval excludes zero."
        )
        return (
            f"{name}: {self.before:.3g} before, {self.after:.3g} "
            f"after, a change of {self.difference:+.3g} ({self.confidence:.0%} interval "
            f"{self.ci_low:+.3g} to {self.ci_high:+.3g}; bootstrap over {self.n_before} + "
            f"{self.n_after} {units}{blocks}). {verdict}"
        )


def _statistic(samples: np.ndarray, statistic: str) -> np.ndarray:
    """The statistic along the last axis."""
    if statistic == "mean":
        return samples.mean(axis=-1)
    if statistic == "median":
        return np.median(samples, axis=-1)
    mean = samples.mean(axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return samples.std(axis=-1, ddof=1) / mean


def _block_resample(
    x: np.ndarray, block_length: int, n_resamples: int, rng: np.random.Generator
) -> np.ndarray:
    """Moving-block bootstrap: (n_resamples, len(x)) samples made of runs of ``x``."""
    n = len(x)
    n_blocks = -(-n // block_length)
    starts = rng.integers(0, n - block_length + 1, size=(n_resamples, n_blocks))
    idx = (starts[:, :, None] + np.arange(block_length)).reshape(n_resamples, -1)[:, :n]
    return x[idx]


def compare_periods(
    df: pd.DataFrame,
    value: str,
    *,
    period_col: str = "period",
    before: object = "before",
    after: object = "after",
    unit: str | None = None,
    block_length: int = 1,
    statistic: str = "mean",
    n_resamples: int = 2000,
    confidence: float = 0.95,
    seed: int = 0,
) -> PeriodComparison:
    """Compare an indicator before and after, with a bootstrap interval for the change.

    Parameters
    ----------
    df : pandas.DataFrame
        Observations with a period column and the value column.
    value : str
        The indicator column.
    period_col : str
        Column saying which period each row belongs to.
    before, after : optional
        The two period labels.
    unit : str, optional
        Column of independent units, e.g. ``'month'``: values are averaged per
        unit and units are resampled. Units are taken in sorted order (time order
        for dates). Default: each row is a unit.
    block_length : int
        Consecutive units resampled together (1 = ordinary bootstrap).
    statistic : {'mean', 'median', 'cv'}
        What to compare.
    n_resamples : int
        Bootstrap resamples (default 2,000).
    confidence : float
        Interval coverage, between 0 and 1.
    seed : int
        Seed for numpy's random Generator; the same seed gives the same interval.

    Returns
    -------
    PeriodComparison
        The two values, their difference, the interval and a ``message``.

    Raises
    ------
    ValueError
        If a column is missing, a value is not a number, a period has fewer than 2
        units or fewer units than ``block_length``, a unit falls in both periods,
        or an option is out of range.

    Examples
    --------
    >>> df = pd.DataFrame({"period": ["before"] * 4 + ["after"] * 4,
    ...                    "days": [30, 32, 28, 30, 20, 22, 18, 20]})
    >>> result = compare_periods(df, "days")
    >>> result.before, result.after, result.difference
    (30.0, 20.0, -10.0)
    >>> result.ci_high < 0
    True
    """
    v.require_choice(statistic, STATISTICS, WHERE, "statistic")
    block_length = v.require_positive_int(block_length, WHERE, "block_length")
    n_resamples = v.require_positive_int(n_resamples, WHERE, "n_resamples", minimum=100)
    if not 0 < confidence < 1:
        raise ValueError(f"{WHERE}: confidence must be between 0 and 1; got {confidence}")
    columns = [period_col, value] + ([unit] if unit is not None else [])
    v.require_columns(df, columns, WHERE)
    v.require_values_in(df, period_col, [before, after], WHERE)
    values = v.require_numeric(df, value, WHERE, allow_missing=True)
    data = pd.DataFrame({"period": df[period_col], "value": values})
    data = data[data["value"].notna()]
    if unit is not None:
        v.require_no_missing(df, unit, WHERE)
        data["unit"] = df.loc[data.index, unit]
        both = data.groupby("unit", observed=True)["period"].nunique()
        if (both > 1).any():
            raise ValueError(
                f"{WHERE}: {unit} {v.quote(both[both > 1].index[0])} has rows in both periods; "
                f"expected each {unit} to belong to one period"
            )
        data = (
            data.groupby(["period", "unit"], sort=True, observed=True)["value"].mean().reset_index()
        )
    series = {}
    for label, period in (("before", before), ("after", after)):
        x = data.loc[data["period"] == period, "value"].to_numpy(dtype=float)
        if len(x) < max(2, block_length):
            raise ValueError(
                f"{WHERE}: period {v.quote(period)} has {len(x)} {unit or 'row'}(s) with a value "
                f"of '{value}'; expected at least {max(2, block_length)}"
            )
        series[label] = x
    rng = np.random.default_rng(seed)
    stat_b = _statistic(series["before"], statistic)
    stat_a = _statistic(series["after"], statistic)
    boot_b = _statistic(
        _block_resample(series["before"], block_length, n_resamples, rng), statistic
    )
    boot_a = _statistic(_block_resample(series["after"], block_length, n_resamples, rng), statistic)
    tail = (1 - confidence) / 2
    low, high = np.nanquantile(boot_a - boot_b, [tail, 1 - tail])
    return PeriodComparison(
        value=value,
        statistic=statistic,
        before=float(stat_b),
        after=float(stat_a),
        difference=float(stat_a - stat_b),
        ci_low=float(low),
        ci_high=float(high),
        confidence=confidence,
        n_before=len(series["before"]),
        n_after=len(series["after"]),
        unit=unit or "row",
        block_length=block_length,
        n_resamples=n_resamples,
    )


def chontales_monthly(
    deliveries: pd.DataFrame,
    *,
    month: str = "month",
    period: str = "period",
    head: str = "head_delivered",
    grade_a: str = "head_grade_a",
    payment: str = "payment_days",
) -> pd.DataFrame:
    """Sum the cooperatives' deliveries into one row per month.

    Parameters
    ----------
    deliveries : pandas.DataFrame
        One row per cooperative and month (the course's ``chontales_deliveries``).
    month, period, head, grade_a, payment : str
        Column names, if your data names them differently.

    Returns
    -------
    pandas.DataFrame
        Columns ``month``, ``period``, ``head_delivered`` (total head),
        ``grade_a_share`` (grade-A head / head delivered, 0-1) and
        ``payment_days`` (mean days to payment, weighted by head delivered;
        rows with no payment recorded, e.g. months with no delivery, are left
        out), sorted by month.

    Raises
    ------
    ValueError
        If a column is missing, a count is negative, grade-A head exceed head
        delivered, or a month falls in two periods.

    Examples
    --------
    >>> d = pd.DataFrame({"month": ["2020-01-01"] * 2, "period": ["before"] * 2,
    ...                   "head_delivered": [10, 30], "head_grade_a": [5, 5],
    ...                   "payment_days": [40.0, 20.0]})
    >>> chontales_monthly(d)[["head_delivered", "grade_a_share", "payment_days"]]
       head_delivered  grade_a_share  payment_days
    0              40           0.25          25.0
    """
    v.require_columns(deliveries, [month, period, head, grade_a, payment], WHERE, name="deliveries")
    v.require_nonempty(deliveries, WHERE, name="deliveries")
    v.require_no_missing(deliveries, month, WHERE)
    heads = v.require_numeric(deliveries, head, WHERE, low=0, integer=True)
    grade = v.require_numeric(deliveries, grade_a, WHERE, low=0, integer=True)
    days = v.require_numeric(deliveries, payment, WHERE, low=0, allow_missing=True)
    over = grade > heads
    if over.any():
        first, text, _ = v.first_bad(deliveries, over)
        raise ValueError(
            f"{WHERE}: column '{grade_a}' must not exceed '{head}'; {text} has "
            f"{grade.iloc[first]:g} grade-A head out of {heads.iloc[first]:g}"
        )
    periods = deliveries.groupby(month, observed=True)[period].nunique()
    if (periods > 1).any():
        raise ValueError(
            f"{WHERE}: month {v.quote(periods[periods > 1].index[0])} has rows in two periods; "
            "expected each month to belong to one period"
        )
    frame = pd.DataFrame(
        {
            "month": deliveries[month],
            "period": deliveries[period],
            "head": heads,
            "grade": grade,
            "weighted_days": days.fillna(0) * heads,
            "paid_head": heads.where(days.notna(), 0),
            "days": days,
        }
    )
    g = frame.groupby(["month", "period"], sort=True, observed=True)
    sums = g[["head", "grade", "weighted_days", "paid_head"]].sum()
    plain_days = g["days"].mean()
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(sums["head"] > 0, sums["grade"] / sums["head"], np.nan)
        weighted = np.where(
            sums["paid_head"] > 0, sums["weighted_days"] / sums["paid_head"], plain_days
        )
    out = pd.DataFrame(
        {
            "head_delivered": sums["head"].astype("int64"),
            "grade_a_share": share,
            "payment_days": weighted,
        },
        index=sums.index,
    ).reset_index()
    return out


#: The Chontales indicators: monthly column, statistic, which way is better, and a label.
CHONTALES_INDICATORS: dict[str, tuple[str, str, str, str]] = {
    "delivery_regularity": (
        "head_delivered",
        "cv",
        "lower",
        "Delivery regularity (coefficient of variation of head delivered per month)",
    ),
    "grade_a_share": ("grade_a_share", "mean", "higher", "Share of cattle graded A"),
    "payment_days": ("payment_days", "mean", "lower", "Days from delivery to payment"),
}


def compare_chontales(
    deliveries: pd.DataFrame,
    *,
    block_length: int = 3,
    n_resamples: int = 2000,
    confidence: float = 0.95,
    seed: int = 0,
) -> pd.DataFrame:
    """Before/after comparison of the Chontales supply agreement's three outcomes.

    - delivery regularity: coefficient of variation of the total head delivered
      per month (lower = more regular supply to the slaughterhouse);
    - grade-A share: share of cattle meeting the top quality grade (higher is better);
    - payment days: mean days from delivery to payment (lower is better).

    Months are the resampled units, in moving blocks of ``block_length`` (see the
    module docstring).

    Parameters
    ----------
    deliveries : pandas.DataFrame
        The course's ``chontales_deliveries`` (or your own, same columns) with
        ``period`` values ``'before'`` and ``'after'``.
    block_length : int
        Consecutive months resampled together (default 3).
    n_resamples : int
        Bootstrap resamples.
    confidence : float
        Interval coverage.
    seed : int
        Random seed.

    Returns
    -------
    pandas.DataFrame
        One row per indicator: ``indicator``, ``statistic``, ``before``,
        ``after``, ``difference``, ``ci_low``, ``ci_high``, ``better`` (``'after'``
        when the whole interval points to improvement, ``'before'`` when it points
        to a decline, else ``'unclear'``) and ``message``.

    Raises
    ------
    ValueError
        As for :func:`chontales_monthly` and :func:`compare_periods`.

    Examples
    --------
    >>> months = pd.date_range("2020-01-01", periods=12, freq="MS")
    >>> d = pd.DataFrame({"month": months, "period": ["before"] * 6 + ["after"] * 6,
    ...                   "head_delivered": [50, 90, 40, 100, 60, 80] + [70, 72, 71, 69, 70, 70],
    ...                   "head_grade_a": [10] * 6 + [30] * 6,
    ...                   "payment_days": [45.0] * 6 + [15.0] * 6})
    >>> compare_chontales(d, block_length=2)[["indicator", "better"]]
                 indicator better
    0  delivery_regularity  after
    1        grade_a_share  after
    2         payment_days  after
    """
    monthly = chontales_monthly(deliveries)
    rows = []
    for name, (column, statistic, direction, label) in CHONTALES_INDICATORS.items():
        result = compare_periods(
            monthly,
            column,
            unit="month",
            block_length=block_length,
            statistic=statistic,
            n_resamples=n_resamples,
            confidence=confidence,
            seed=seed,
        )
        sign = 1 if direction == "higher" else -1
        gains = (sign * result.ci_low, sign * result.ci_high)
        if min(gains) > 0:
            better = "after"
        elif max(gains) < 0:
            better = "before"
        else:
            better = "unclear"
        rows.append(
            {
                "indicator": name,
                "statistic": statistic,
                "before": result.before,
                "after": result.after,
                "difference": result.difference,
                "ci_low": result.ci_low,
                "ci_high": result.ci_high,
                "better": better,
                "message": result.describe(f"{label}, {direction} is better"),
            }
        )
    return pd.DataFrame(rows)


def plot_periods(
    monthly: pd.DataFrame,
    value: str,
    *,
    ax: Axes | None = None,
    time: str = "month",
    period_col: str = "period",
    before: object = "before",
    after: object = "after",
    ylabel: str | None = None,
    title: str | None = None,
) -> Axes:
    """Plot an indicator over time, each period in its own colour with its mean.

    Parameters
    ----------
    monthly : pandas.DataFrame
        One row per time point (e.g. from :func:`chontales_monthly`).
    value : str
        The indicator column.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure is made when omitted.
    time, period_col : str
        Time and period columns.
    before, after : optional
        The two period labels.
    ylabel : str, optional
        y-axis label with units; defaults to the column name.
    title : str, optional
        Plot title; a default names the indicator.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes: for each period a line and a dashed line at its mean.

    Raises
    ------
    ValueError
        If a column is missing or a period label is unknown.

    Examples
    --------
    >>> m = pd.DataFrame({"month": [1, 2, 3, 4], "period": ["before"] * 2 + ["after"] * 2,
    ...                   "payment_days": [40, 44, 20, 22]})
    >>> len(plot_periods(m, "payment_days", ylabel="Days to payment (days)").lines)
    4
    """
    from cdatools import plotting

    v.require_columns(monthly, [time, period_col, value], WHERE)
    v.require_values_in(monthly, period_col, [before, after], WHERE)
    ax = plotting.new_axes(ax, figsize=(8.0, 4.0))
    data = monthly.sort_values(time)
    for i, period in enumerate((before, after)):
        part = data[data[period_col] == period]
        if len(part) == 0:
            continue
        colour = plotting.color(i)
        ax.plot(part[time], part[value], color=colour, marker="o", markersize=3, label=str(period))
        mean = float(pd.to_numeric(part[value]).mean())
        ax.plot(
            [part[time].iloc[0], part[time].iloc[-1]],
            [mean, mean],
            color=colour,
            linestyle="--",
            linewidth=1.5,
            label=gettext("{period} mean").format(period=period),
        )
    ax.legend(frameon=False, loc="upper left", bbox_to_anchor=(1, 1))
    label = ylabel or value.replace("_", " ")
    title = title or gettext("{label}: before and after").format(label=gettext(label))
    return plotting.style_axes(ax, title, N_("Month"), label)


def count_per_year(events: pd.DataFrame, by: str, *, date: str = "date") -> pd.DataFrame:
    """Count events (for example meetings) per calendar year and kind.

    Parameters
    ----------
    events : pandas.DataFrame
        One row per event, with a date column and a column to split by.
    by : str
        The column whose values become the table's columns (for example ``kind``).
    date : str
        The date column.

    Returns
    -------
    pandas.DataFrame
        One row per year, one column per value of ``by`` (zero where none).

    Raises
    ------
    ValueError
        If a column is missing or a date cannot be read.

    Examples
    --------
    >>> events = pd.DataFrame({"date": pd.to_datetime(["2008-01-05", "2008-03-01", "2009-02-02"]),
    ...                        "kind": ["review", "peer", "review"]})
    >>> count_per_year(events, "kind").to_dict("index")
    {2008: {'peer': 1, 'review': 1}, 2009: {'peer': 0, 'review': 1}}
    """
    v.require_columns(events, [date, by], WHERE, name="events")
    dates = pd.to_datetime(events[date], errors="coerce")
    if dates.isna().any():
        row = int(np.flatnonzero(dates.isna().to_numpy())[0])
        raise ValueError(
            f"{WHERE}: column {date!r} row {row} holds {events[date].iloc[row]!r}, not a date"
        )
    table = pd.crosstab(dates.dt.year.rename("year"), events[by].astype(str))
    table.columns.name = by
    return table


def count_and_total(
    table: pd.DataFrame, by: str, totals: list[str], *, largest_first: bool = False
) -> pd.DataFrame:
    """For each group, how many rows, and the total of some columns.

    Parameters
    ----------
    table : pandas.DataFrame
        For example the ``bagru_units`` table.
    by : str
        The column to group by (for example ``kind``).
    totals : list of str
        Numeric columns to add up within each group.
    largest_first : bool
        Sort the groups by the first total, largest first (default: by group).

    Returns
    -------
    pandas.DataFrame
        One row per group: ``count`` and one total per column in ``totals``.

    Raises
    ------
    ValueError
        If a column is missing or not numeric.

    Examples
    --------
    >>> units = pd.DataFrame({"kind": ["a", "a", "b"], "workers": [1, 2, 5]})
    >>> count_and_total(units, "kind", ["workers"]).to_dict("index")
    {'a': {'count': 2, 'workers': 3}, 'b': {'count': 1, 'workers': 5}}
    """
    v.require_columns(table, [by, *totals], WHERE, name="table")
    for column in totals:
        v.require_numeric(table, column, WHERE)
    groups = table.groupby(by, observed=True, sort=True)
    out = groups[totals].sum()
    out.insert(0, "count", groups.size())
    if largest_first:
        out = out.sort_values(totals[0], ascending=False, kind="stable")
    return out


def days_between(
    events: pd.DataFrame, *, kind: str | None = None, date: str = "date", kind_col: str = "kind"
) -> pd.Series:
    """Summarise the days between one event and the next (for example review meetings).

    Parameters
    ----------
    events : pandas.DataFrame
        One row per event with a date column.
    kind : str, optional
        Keep only events of this kind (in ``kind_col``).
    date, kind_col : str
        Column names, if your data names them differently.

    Returns
    -------
    pandas.Series
        ``count``, ``mean``, ``std``, ``min``, quartiles and ``max`` of the gaps,
        in whole days.

    Raises
    ------
    ValueError
        If a column is missing, a date cannot be read, or fewer than two events remain.

    Examples
    --------
    >>> events = pd.DataFrame({"date": pd.to_datetime(["2008-01-01", "2008-01-31", "2008-03-01"])})
    >>> days_between(events)["max"]
    np.float64(30.0)
    """
    v.require_columns(events, [date], WHERE, name="events")
    chosen = events
    if kind is not None:
        v.require_columns(events, [kind_col], WHERE, name="events")
        chosen = events[events[kind_col] == kind]
    dates = pd.to_datetime(chosen[date], errors="coerce")
    if dates.isna().any():
        raise ValueError(f"{WHERE}: column {date!r} holds a value that is not a date")
    if len(dates) < 2:
        raise ValueError(f"{WHERE}: need at least two events to measure gaps; got {len(dates)}")
    gaps = dates.sort_values().diff().dt.days.dropna()
    return gaps.describe().round(0).rename("days between events")


def running_total(table: pd.DataFrame, by: str) -> pd.DataFrame:
    """How many rows fall on each value of ``by`` (for example a year), and the running total.

    Parameters
    ----------
    table : pandas.DataFrame
        For example the ``atuntaqui_firms`` table.
    by : str
        The column to count by (for example ``chamber_joined_year``); empty
        values are left out.

    Returns
    -------
    pandas.DataFrame
        One row per value, in order: ``count`` and ``running_total``.

    Raises
    ------
    ValueError
        If the column is missing.

    Examples
    --------
    >>> running_total(pd.DataFrame({"year": [2001, 2001, 2003, None]}), "year").to_dict("index")
    {2001.0: {'count': 2, 'running_total': 2}, 2003.0: {'count': 1, 'running_total': 3}}
    """
    v.require_columns(table, [by], WHERE, name="table")
    counts = table[by].dropna().value_counts().sort_index()
    return pd.DataFrame({"count": counts, "running_total": counts.cumsum()}).rename_axis(by)
