"""Prioritise joint actions: the course's ranking tool, built on module 2's advice.

Proposals are placed on an impact/effort matrix:

=================  ===============  ==============
quadrant           impact           effort
=================  ===============  ==============
``quick_win``      high             low
``major_project``  high             high
``fill_in``        low              low
``thankless_task`` low              high
=================  ===============  ==============

*Impact* is the proposal's ``expected_benefit`` score (1-10). *Effort* combines
cost and duration, on a 0-10 scale (a modelling choice, documented so a CDA can
change it)::

    effort = 10 * (0.5 * cost_usd / cost_scale + 0.5 * duration_months / duration_scale)

``cost_scale`` and ``duration_scale`` default to the largest cost and duration
among the proposals, so the most expensive, longest proposal scores about 10.
Pass fixed scales (e.g. the budget and 36 months) to compare lists with each
other. By default the thresholds are the medians. A proposal exactly on a
threshold gets the benefit of the doubt: high impact, low effort.

The ranking is **the course's tool, not the module's**. The module gives advice
in words: start with activities that leave little or no room for predatory
behaviour, propose time-limited activities, let quick wins test the reliability
of counterparts, and *at the same time* address the problems of major concern
to entrepreneurs. It gives no order among these. The course's default rule
(:data:`DEFAULT_ORDER`, said in words by :func:`ranking_rule`) applies the
criteria one after another: lower predatory risk first, then time-limited
actions, then quick wins, then more benefit per 1,000 USD, then ``action_id``
to break ties. Because risk comes first, a small low-risk benefit can rank above
a large medium-risk one. Change the order (``order=``) or give weights
(``weights=``), and use :func:`compare_with_concern_first` to see where the rule
and the module's "problems of major concern first" pull apart.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from cdatools import _validate as v
from cdatools.i18n import N_, gettext

if TYPE_CHECKING:
    from matplotlib.axes import Axes

WHERE = "joint_actions"

#: Quadrant names, in the order plots and tables list them.
QUADRANTS: tuple[str, ...] = ("quick_win", "major_project", "fill_in", "thankless_task")

#: Readable quadrant names for plots.
QUADRANT_LABELS: dict[str, str] = {
    "quick_win": N_("Quick wins"),
    "major_project": N_("Major projects"),
    "fill_in": N_("Fill-ins"),
    "thankless_task": N_("Thankless tasks"),
}

#: Allowed predatory-risk levels, lowest first (this is the ranking order).
RISK_LEVELS: tuple[str, ...] = ("low", "medium", "high")

#: Criteria a ranking can use, each with what "comes first" means, in words.
CRITERIA: dict[str, str] = {
    "predatory_risk": "lower risk of predatory behaviour first",
    "time_limited": "time-limited actions (with an end date) before open-ended ones",
    "quick_win": "quick wins (high impact for low effort) before the rest",
    "benefit_per_cost": "more expected benefit per 1,000 USD first",
    "benefit": "larger expected benefit first (the problems of major concern)",
}

#: The course's default ranking rule: criteria applied one after another.
DEFAULT_ORDER: tuple[str, ...] = ("predatory_risk", "time_limited", "quick_win", "benefit_per_cost")


def _check_order(order: Sequence[str]) -> tuple[str, ...]:
    order = tuple(order)
    unknown = [c for c in order if c not in CRITERIA]
    if unknown or not order:
        raise ValueError(
            f"{WHERE}: order must list criteria from {', '.join(CRITERIA)}; got {list(order)!r}"
        )
    if len(set(order)) != len(order):
        raise ValueError(f"{WHERE}: order names a criterion twice: {list(order)!r}")
    return order


def _check_weights(weights: Mapping[str, float]) -> dict[str, float]:
    unknown = [c for c in weights if c not in CRITERIA]
    if unknown:
        raise ValueError(
            f"{WHERE}: weight for unknown criterion {unknown[0]!r}; "
            f"criteria are {', '.join(CRITERIA)}"
        )
    clean = {}
    for name, value in weights.items():
        try:
            number = float(value)
        except (TypeError, ValueError):
            number = float("nan")
        if not np.isfinite(number) or number < 0:
            raise ValueError(f"{WHERE}: weight of {name!r} must be a number >= 0; got {value!r}")
        clean[name] = number
    if not sum(clean.values()) > 0:
        raise ValueError(f"{WHERE}: at least one weight must be above 0; got {dict(weights)!r}")
    return clean


def ranking_rule(
    order: Sequence[str] = DEFAULT_ORDER, weights: Mapping[str, float] | None = None
) -> str:
    """Say a ranking rule in words.

    Parameters
    ----------
    order : sequence of str
        Criteria from :data:`CRITERIA`, applied one after another.
    weights : mapping of str to float, optional
        If given, the rule is a weighted score instead of an order.

    Returns
    -------
    str
        One sentence.

    Raises
    ------
    ValueError
        If a criterion is unknown or a weight is negative.

    Examples
    --------
    >>> ranking_rule(["benefit", "predatory_risk"])
    'Course ranking rule: larger expected benefit first (the problems of major concern); then, among equals, lower risk of predatory behaviour first; ties by id.'
    """  # noqa: E501
    if weights is not None:
        clean = _check_weights(weights)
        parts = [f"{w:g} x ({CRITERIA[c]})" for c, w in clean.items() if w > 0]
        return (
            "Course ranking rule: a weighted score, "
            + " + ".join(parts)
            + ", each criterion scored 0-1; highest score first; ties by id."
        )
    order = _check_order(order)
    words = [CRITERIA[order[0]], *(f"then, among equals, {CRITERIA[c]}" for c in order[1:])]
    return "Course ranking rule: " + "; ".join(words) + "; ties by id."


#: The course's default rule in words.
RANKING_RULE: str = ranking_rule()


@dataclass(frozen=True)
class Portfolio:
    """A sequenced selection of joint actions under a budget.

    Attributes
    ----------
    plan : pandas.DataFrame
        Selected actions in order: ``order``, ``action_id``, the ranking
        columns, ``cost_usd``, ``cumulative_cost_usd``, ``start_month`` and
        ``end_month``.
    left_out : pandas.DataFrame
        ``action_id``, ``rank`` and ``reason`` (in words) for every action not selected.
    budget : float
        The budget given, in USD.
    spent : float
        Total cost of the selected actions, in USD.
    """

    plan: pd.DataFrame
    left_out: pd.DataFrame
    budget: float
    spent: float

    @property
    def remaining(self) -> float:
        """Budget not spent, in USD."""
        return self.budget - self.spent


def _classify(
    actions: pd.DataFrame,
    impact_threshold: float | None,
    effort_threshold: float | None,
    cost_scale: float | None,
    duration_scale: float | None,
    id_col: str,
    benefit: str,
    cost: str,
    duration: str,
    benefit_range: tuple[float, float],
) -> tuple[pd.DataFrame, float, float]:
    v.require_columns(actions, [id_col, benefit, cost, duration], WHERE, name="actions")
    v.require_nonempty(actions, WHERE, name="actions")
    v.require_no_missing(actions, id_col, WHERE)
    v.require_unique(actions, [id_col], WHERE)
    impact = v.require_numeric(
        actions, benefit, WHERE, id_col=id_col, low=benefit_range[0], high=benefit_range[1]
    )
    costs = v.require_numeric(actions, cost, WHERE, id_col=id_col, low=0)
    months = v.require_numeric(actions, duration, WHERE, id_col=id_col, low=1, integer=True)
    for name, value in (("cost_scale", cost_scale), ("duration_scale", duration_scale)):
        if value is not None and not value > 0:
            raise ValueError(f"{WHERE}: {name} must be > 0; got {value}")
    c_scale = cost_scale if cost_scale is not None else (costs.max() or 1.0)
    d_scale = duration_scale if duration_scale is not None else months.max()
    effort = 10 * (0.5 * costs / c_scale + 0.5 * months / d_scale)
    t_impact = float(impact.median()) if impact_threshold is None else float(impact_threshold)
    t_effort = float(effort.median()) if effort_threshold is None else float(effort_threshold)
    high_impact = impact >= t_impact - 1e-9
    high_effort = effort > t_effort + 1e-9
    quadrant = np.select(
        [high_impact & ~high_effort, high_impact & high_effort, ~high_impact & ~high_effort],
        ["quick_win", "major_project", "fill_in"],
        default="thankless_task",
    )
    table = actions.copy()
    table["impact"] = impact
    table["effort"] = effort.round(10)
    table["quadrant"] = quadrant
    table.attrs.update(impact_threshold=t_impact, effort_threshold=t_effort)
    return table, t_impact, t_effort


def classify_actions(
    actions: pd.DataFrame,
    *,
    impact_threshold: float | None = None,
    effort_threshold: float | None = None,
    cost_scale: float | None = None,
    duration_scale: float | None = None,
    id_col: str = "action_id",
    benefit: str = "expected_benefit",
    cost: str = "cost_usd",
    duration: str = "duration_months",
    benefit_range: tuple[float, float] = (1, 10),
) -> pd.DataFrame:
    """Place each proposal in a quadrant of the impact/effort matrix.

    Parameters
    ----------
    actions : pandas.DataFrame
        One row per proposal with an id, expected benefit, cost (USD) and
        duration (whole months).
    impact_threshold, effort_threshold : float, optional
        Where high starts; default the medians of the proposals.
    cost_scale, duration_scale : float, optional
        Cost (USD) and duration (months) that count as full effort; default the
        largest among the proposals.
    id_col, benefit, cost, duration : str
        Column names, if your data names them differently.
    benefit_range : tuple of float
        Allowed range of the benefit score.

    Returns
    -------
    pandas.DataFrame
        A copy of ``actions`` with ``impact``, ``effort`` (0-10) and ``quadrant``
        added. The thresholds used are in ``.attrs``.

    Raises
    ------
    ValueError
        If a column is missing, an id repeats, a cost is negative, a duration is
        not a whole number of months >= 1, a benefit is outside ``benefit_range``,
        or a scale is not positive.

    Examples
    --------
    >>> actions = pd.DataFrame({"action_id": ["A", "B", "C", "D"],
    ...                         "expected_benefit": [8, 8, 2, 2],
    ...                         "cost_usd": [0, 1000, 0, 1000],
    ...                         "duration_months": [1, 4, 1, 4]})
    >>> classify_actions(actions)["quadrant"].tolist()
    ['quick_win', 'major_project', 'fill_in', 'thankless_task']
    """
    table, _, _ = _classify(
        actions,
        impact_threshold,
        effort_threshold,
        cost_scale,
        duration_scale,
        id_col,
        benefit,
        cost,
        duration,
        benefit_range,
    )
    return table


def rank_actions(
    actions: pd.DataFrame,
    *,
    impact_threshold: float | None = None,
    effort_threshold: float | None = None,
    cost_scale: float | None = None,
    duration_scale: float | None = None,
    id_col: str = "action_id",
    benefit: str = "expected_benefit",
    cost: str = "cost_usd",
    duration: str = "duration_months",
    risk: str = "predatory_risk",
    time_limited: str = "time_limited",
    benefit_range: tuple[float, float] = (1, 10),
    order: Sequence[str] = DEFAULT_ORDER,
    weights: Mapping[str, float] | None = None,
) -> pd.DataFrame:
    """Rank proposals with the course's rule (see the module docstring and :data:`RANKING_RULE`).

    The rule is the course's tool, not the module's: the module gives advice in
    words and no order among its points. Change ``order`` or give ``weights`` to
    try another rule.

    Parameters
    ----------
    actions : pandas.DataFrame
        Proposals, as for :func:`classify_actions`, plus ``predatory_risk``
        (``'low'``, ``'medium'`` or ``'high'``) and ``time_limited`` (True/False).
    impact_threshold, effort_threshold, cost_scale, duration_scale : float, optional
        As for :func:`classify_actions`.
    id_col, benefit, cost, duration, risk, time_limited : str
        Column names, if your data names them differently.
    benefit_range : tuple of float
        Allowed range of the benefit score.
    order : sequence of str
        Criteria from :data:`CRITERIA`, applied one after another (default
        :data:`DEFAULT_ORDER`). Ties left by all of them are broken by id.
    weights : mapping of str to float, optional
        Instead of an order, a weight (>= 0) per criterion. Each criterion is
        scored 0-1 (low risk 1, medium 0.5, high 0; time-limited 1; quick win 1;
        benefit scaled over ``benefit_range``; benefit per cost as a percentile
        among the proposals) and the weighted mean is the ``score`` column,
        highest first.

    Returns
    -------
    pandas.DataFrame
        The classified proposals with ``benefit_per_1000_usd`` (infinite for free
        actions), ``score`` (only with ``weights``) and ``rank`` (1 = start
        first), sorted by rank. ``.attrs["rule"]`` holds the rule in words.

    Raises
    ------
    ValueError
        As for :func:`classify_actions`, if a risk level is unknown,
        ``time_limited`` is not True/False, a criterion is unknown or a weight
        is negative.

    Examples
    --------
    >>> actions = pd.DataFrame({"action_id": ["A", "B"], "expected_benefit": [9, 3],
    ...                         "cost_usd": [500, 500], "duration_months": [2, 2],
    ...                         "time_limited": [True, True],
    ...                         "predatory_risk": ["high", "low"]})
    >>> rank_actions(actions)["action_id"].tolist()
    ['B', 'A']
    >>> rank_actions(actions, order=["benefit", "predatory_risk"])["action_id"].tolist()
    ['A', 'B']
    """
    v.require_columns(actions, [id_col, risk, time_limited], WHERE, name="actions")
    table, _, _ = _classify(
        actions,
        impact_threshold,
        effort_threshold,
        cost_scale,
        duration_scale,
        id_col,
        benefit,
        cost,
        duration,
        benefit_range,
    )
    v.require_values_in(table, risk, RISK_LEVELS, WHERE, id_col=id_col)
    v.require_values_in(table, time_limited, [True, False], WHERE, id_col=id_col)
    costs = table[cost].astype(float)
    with np.errstate(divide="ignore"):
        table["benefit_per_1000_usd"] = np.where(
            costs > 0, table["impact"] / (costs / 1000), np.inf
        )
    scores = _criterion_scores(table, risk, time_limited, benefit_range)
    if weights is not None:
        clean = _check_weights(weights)
        total = sum(clean.values())
        table["score"] = sum(w * scores[c] for c, w in clean.items()) / total
        keys = [-table["score"].to_numpy()]
        rule = ranking_rule(weights=clean)
    else:
        criteria = _check_order(order)
        keys = [-scores[c].to_numpy() for c in criteria]
        rule = ranking_rule(criteria)
    sequence = np.lexsort((table[id_col].astype(str).to_numpy(), *reversed(keys)))
    table = table.iloc[sequence].copy()
    table["rank"] = np.arange(1, len(table) + 1)
    table.attrs["rule"] = rule
    return table


def _criterion_scores(
    table: pd.DataFrame, risk: str, time_limited: str, benefit_range: tuple[float, float]
) -> dict[str, pd.Series]:
    """Each criterion scored 0-1, where 1 means "comes first"."""
    low, high = benefit_range
    per_cost = table["benefit_per_1000_usd"].replace(np.inf, np.finfo(float).max)
    return {
        "predatory_risk": table[risk].astype(str).map({"low": 1.0, "medium": 0.5, "high": 0.0}),
        "time_limited": table[time_limited].astype(bool).astype(float),
        "quick_win": (table["quadrant"] == "quick_win").astype(float),
        "benefit_per_cost": per_cost.rank(pct=True, method="average"),
        "benefit": (table["impact"] - low) / ((high - low) or 1.0),
    }


def compare_with_concern_first(
    actions: pd.DataFrame,
    *,
    id_col: str = "action_id",
    benefit: str = "expected_benefit",
    **rank_options: object,
) -> pd.DataFrame:
    """Set the course's ranking beside a "problems of major concern first" order.

    The module asks the CDA to start where predatory behaviour is hard *and*, at
    the same time, to deliver tangible improvements where entrepreneurs' concern
    is greatest. Taking expected benefit as the measure of concern, this puts the
    two orders side by side so a CDA can see where they disagree.

    Parameters
    ----------
    actions : pandas.DataFrame
        Proposals, as for :func:`rank_actions`.
    id_col, benefit : str
        Column names, if your data names them differently.
    **rank_options
        Passed on to :func:`rank_actions` for the course's ranking (``order``,
        ``weights``, thresholds...).

    Returns
    -------
    pandas.DataFrame
        One row per proposal, in "concern first" order: ``action_id``, ``title``
        (if present), ``expected_benefit``, ``predatory_risk``, ``course_rank``,
        ``concern_rank`` and ``places_later`` (how many places later the course's
        rule puts it than "concern first" would; negative means earlier).

    Raises
    ------
    ValueError
        As for :func:`rank_actions`.

    Examples
    --------
    >>> actions = pd.DataFrame({"action_id": ["A", "B"], "expected_benefit": [9, 3],
    ...                         "cost_usd": [500, 500], "duration_months": [2, 2],
    ...                         "time_limited": [True, True],
    ...                         "predatory_risk": ["medium", "low"]})
    >>> compare_with_concern_first(actions)[["action_id", "course_rank", "concern_rank"]]
      action_id  course_rank  concern_rank
    0         A            2             1
    1         B            1             2
    """
    course = rank_actions(actions, id_col=id_col, benefit=benefit, **rank_options)  # type: ignore[arg-type]
    concern = rank_actions(
        actions,
        id_col=id_col,
        benefit=benefit,
        **{k: val for k, val in rank_options.items() if k not in ("order", "weights")},  # type: ignore[arg-type]
        order=("benefit", "predatory_risk"),
    )
    columns = [c for c in (id_col, "title", benefit, "predatory_risk") if c in course.columns]
    table = concern[columns].copy()
    table["course_rank"] = table[id_col].map(course.set_index(id_col)["rank"])
    table["concern_rank"] = concern["rank"].to_numpy()
    table["places_later"] = table["course_rank"] - table["concern_rank"]
    table.attrs["rule"] = course.attrs["rule"]
    return table.reset_index(drop=True)


def select_portfolio(
    actions: pd.DataFrame,
    budget: float,
    *,
    start_month: int = 1,
    horizon: int | None = None,
    max_parallel: int = 2,
    skip_thankless: bool = True,
    id_col: str = "action_id",
    cost: str = "cost_usd",
    duration: str = "duration_months",
    **rank_options: object,
) -> Portfolio:
    """Pick and schedule joint actions in rank order until the budget runs out.

    Walks down :func:`rank_actions` (the course's rule; pass ``order=`` or
    ``weights=`` to change it) and takes each action that still fits the
    remaining budget (greedy: a cheaper, lower-ranked action can still be taken
    after an expensive one is skipped). Selected actions are scheduled in rank
    order: each starts in the first month one of ``max_parallel`` slots is free
    and runs for its duration.

    Parameters
    ----------
    actions : pandas.DataFrame
        Proposals, as for :func:`rank_actions`.
    budget : float
        Money available, in USD (>= 0).
    start_month : int
        Month of the initiative when the first actions can start.
    horizon : int, optional
        Last month of the initiative; actions that would end later are left out.
    max_parallel : int
        How many joint actions run at once (default 2: a modelling choice about
        what one CDA can accompany).
    skip_thankless : bool
        Leave out thankless tasks (low impact, high effort) whatever the budget.
    id_col, cost, duration : str
        Column names, if your data names them differently.
    **rank_options
        Passed on to :func:`rank_actions` (thresholds, scales, column names).

    Returns
    -------
    Portfolio
        The sequenced plan, what was left out and why, and the money spent.

    Raises
    ------
    ValueError
        If ``budget`` is negative, ``start_month`` or ``max_parallel`` < 1,
        ``horizon`` < ``start_month``, or the actions are invalid.

    Examples
    --------
    >>> actions = pd.DataFrame({"action_id": ["A", "B", "C"], "expected_benefit": [9, 8, 7],
    ...                         "cost_usd": [4000, 3000, 1000], "duration_months": [3, 3, 2],
    ...                         "time_limited": [True, True, True],
    ...                         "predatory_risk": ["low", "low", "low"]})
    >>> p = select_portfolio(actions, budget=5000)
    >>> p.plan[["order", "action_id", "cumulative_cost_usd", "start_month", "end_month"]]
       order action_id  cumulative_cost_usd  start_month  end_month
    0      1         B                 3000            1          3
    1      2         C                 4000            1          2
    >>> p.left_out["reason"].tolist()
    ['costs 4,000 USD but only 1,000 USD of the budget is left']
    """
    if not np.isfinite(budget) or budget < 0:
        raise ValueError(f"{WHERE}: budget must be a number >= 0 (USD); got {budget}")
    start_month = v.require_positive_int(start_month, WHERE, "start_month")
    max_parallel = v.require_positive_int(max_parallel, WHERE, "max_parallel")
    if horizon is not None and (v.require_positive_int(horizon, WHERE, "horizon") < start_month):
        raise ValueError(
            f"{WHERE}: horizon (month {horizon}) must not be before start_month ({start_month})"
        )
    ranked = rank_actions(
        actions,
        id_col=id_col,
        cost=cost,
        duration=duration,
        **rank_options,  # type: ignore[arg-type]
    )
    remaining = float(budget)
    slots = [start_month] * max_parallel
    chosen, left = [], []
    for row in ranked.to_dict("records"):
        price, months = float(row[cost]), int(row[duration])
        begin = min(slots)
        end = begin + months - 1
        if skip_thankless and row["quadrant"] == "thankless_task":
            reason = gettext(
                "thankless task: low impact ({impact}) for high effort ({effort} of 10); "
                "redesign it or drop it"
            ).format(impact=f"{row['impact']:g}", effort=f"{row['effort']:.1f}")
        elif price > remaining + 1e-9:
            reason = gettext(
                "costs {price} USD but only {remaining} USD of the budget is left"
            ).format(price=f"{price:,.0f}", remaining=f"{remaining:,.0f}")
        elif horizon is not None and end > horizon:
            reason = gettext(
                "would run from month {start} to month {end}, past the initiative's last month "
                "{horizon}"
            ).format(start=begin, end=end, horizon=horizon)
        else:
            slots[slots.index(begin)] = end + 1
            remaining -= price
            chosen.append({**row, "start_month": begin, "end_month": end})
            continue
        left.append({id_col: row[id_col], "rank": row["rank"], "reason": reason})
    plan = pd.DataFrame(chosen, columns=[*ranked.columns, "start_month", "end_month"])
    plan.insert(0, "order", np.arange(1, len(plan) + 1))
    plan.insert(plan.columns.get_loc(cost) + 1, "cumulative_cost_usd", plan[cost].cumsum())
    left_out = pd.DataFrame(left, columns=[id_col, "rank", "reason"])
    spent = float(plan[cost].sum()) if len(plan) else 0.0
    return Portfolio(plan=plan, left_out=left_out, budget=float(budget), spent=spent)


def plot_matrix(
    actions: pd.DataFrame,
    *,
    ax: Axes | None = None,
    impact_threshold: float | None = None,
    effort_threshold: float | None = None,
    cost_scale: float | None = None,
    duration_scale: float | None = None,
    id_col: str = "action_id",
    benefit: str = "expected_benefit",
    cost: str = "cost_usd",
    duration: str = "duration_months",
    risk: str = "predatory_risk",
    benefit_range: tuple[float, float] = (1, 10),
    title: str = N_("Joint actions on the impact/effort matrix"),
) -> Axes:
    """Draw proposals on the impact/effort matrix, coloured by predatory risk.

    Parameters
    ----------
    actions : pandas.DataFrame
        Proposals, as for :func:`classify_actions` (a ``predatory_risk`` column
        is used for colour and marker if present).
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure is made when omitted.
    impact_threshold, effort_threshold, cost_scale, duration_scale : float, optional
        As for :func:`classify_actions`; the dashed lines show the thresholds.
    id_col, benefit, cost, duration, risk : str
        Column names, if your data names them differently.
    benefit_range : tuple of float
        Allowed range of the benefit score (also the y-axis range).
    title : str
        Plot title.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes: one scatter per risk level, two threshold lines, quadrant names
        and a label per proposal.

    Raises
    ------
    ValueError
        As for :func:`classify_actions`, or for an unknown risk level.

    Examples
    --------
    >>> actions = pd.DataFrame({"action_id": ["A", "B"], "expected_benefit": [8, 3],
    ...                         "cost_usd": [100, 900], "duration_months": [1, 6]})
    >>> len(plot_matrix(actions).collections)
    1
    """
    from cdatools import plotting

    table, t_impact, t_effort = _classify(
        actions,
        impact_threshold,
        effort_threshold,
        cost_scale,
        duration_scale,
        id_col,
        benefit,
        cost,
        duration,
        benefit_range,
    )
    ax = plotting.new_axes(ax, figsize=(7.5, 6.0))
    styles = {
        "low": (plotting.OKABE_ITO["bluish_green"], "o"),
        "medium": (plotting.OKABE_ITO["orange"], "s"),
        "high": (plotting.OKABE_ITO["vermillion"], "^"),
    }
    if risk in table.columns:
        v.require_values_in(table, risk, RISK_LEVELS, WHERE, id_col=id_col)
        for level in RISK_LEVELS:
            part = table[table[risk] == level]
            if len(part):
                colour, marker = styles[level]
                ax.scatter(
                    part["effort"],
                    part["impact"],
                    color=colour,
                    marker=marker,
                    s=60,
                    label=f"{level} risk",
                    zorder=3,
                )
        ax.legend(title="Predatory risk", frameon=False, loc="upper left", bbox_to_anchor=(1, 1))
    else:
        ax.scatter(table["effort"], table["impact"], color=plotting.color(0), s=60, zorder=3)
    for row in table.itertuples(index=False):
        x, y = row.effort, row.impact
        ax.annotate(
            str(getattr(row, id_col)), (x, y), xytext=(4, 4), textcoords="offset points", fontsize=8
        )
    ax.axvline(t_effort, color=plotting.GREY, linestyle="--", linewidth=1)
    ax.axhline(t_impact, color=plotting.GREY, linestyle="--", linewidth=1)
    x_max = max(10.0, float(table["effort"].max()) * 1.05)
    ax.set_xlim(0, x_max)
    ax.set_ylim(benefit_range[0] - 0.5, benefit_range[1] + 0.5)
    corners = {
        "quick_win": (0.02, 0.98, "left", "top"),
        "major_project": (0.98, 0.98, "right", "top"),
        "fill_in": (0.02, 0.02, "left", "bottom"),
        "thankless_task": (0.98, 0.02, "right", "bottom"),
    }
    for quadrant, (x, y, ha, va) in corners.items():
        ax.text(
            x,
            y,
            gettext(QUADRANT_LABELS[quadrant]),
            transform=ax.transAxes,
            ha=ha,
            va=va,
            color=plotting.GREY,
            fontsize=10,
            fontweight="bold",
        )
    return plotting.style_axes(
        ax,
        title,
        N_("Effort (0-10: cost and duration, 10 = largest)"),
        gettext("Impact (expected benefit, {low}-{high})").format(
            low=f"{benefit_range[0]:g}", high=f"{benefit_range[1]:g}"
        ),
        grid=None,
    )
