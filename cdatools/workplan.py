"""The CDA's workplan: activities over a cluster initiative (module 2, Table 1).

A plan is a table with one row per activity: ``task_id``, ``activity``,
``start_month``, ``end_month`` (whole months, 1 = first month of the initiative,
both ends included) and ``cda_role`` (how hands-on the CDA is:
``lead``, ``coordinate``, ``facilitate`` or ``support``). This matches the
course's ``cda_tasks`` dataset, so ``cdatools.load("cda_tasks")`` can be passed
straight in, and a CDA can write their own plan in the same shape.

Reading Table 1 as months of a 36-month initiative (a modelling choice: the
module says its time frames are "meant only as guidance"):

========================  ===========================  ======  ==========
task_id                   Table 1 timeframe            months  cda_role
========================  ===========================  ======  ==========
diagnostic                6 to 12 months               1-9     lead
action_plans              3 to 6 months                10-14   coordinate
capacity_building         the following 2 years        13-36   coordinate
monitoring                throughout the initiative    1-36    lead
transfer                  usually the second year      13-24   facilitate
network_strengthening     usually the third year       25-36   support
withdrawal                towards the end              30-36   support
========================  ===========================  ======  ==========

The diagnostic takes the middle of its 6-12 month range and the action plans
5 of their 3-6 months; monitoring runs throughout, as Table 1 says (the
diagnostic doubles as its baseline, and the CDA monitors personally or
supervises consultants); preparing withdrawal starts 7 months before the end, so
the exit strategy is formulated "several months" ahead. This is the same reading
as the course's ``cda_tasks`` dataset.
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

WHERE = "workplan"

#: How hands-on the CDA is in each role, from 1 (does it personally) down.
#: A modelling choice for teaching: only the order lead > coordinate >
#: facilitate > support comes from the module; the even spacing is ours.
ROLE_WEIGHTS: dict[str, float] = {
    "lead": 1.0,
    "coordinate": 0.75,
    "facilitate": 0.5,
    "support": 0.25,
}

#: Columns a plan must have.
PLAN_COLUMNS: tuple[str, ...] = ("task_id", "activity", "start_month", "end_month", "cda_role")

_TABLE1: tuple[tuple[str, str, str, int, int, str, str], ...] = (
    (
        "diagnostic",
        "Preparation of diagnostic study",
        "6 to 12 months",
        1,
        9,
        "lead",
        "The CDA carries out the diagnostic with local stakeholders, or guides and "
        "coordinates the experts who do it.",
    ),
    (
        "action_plans",
        "Preparation of action plans",
        "3 to 6 months",
        10,
        14,
        "coordinate",
        "Action plans are drawn up from the diagnostic's findings together with the stakeholders.",
    ),
    (
        "capacity_building",
        "Plan/ensure implementation of capacity building activities",
        "The following 2 years",
        13,
        36,
        "coordinate",
        "The CDA finds the skills the cluster lacks and organises how to build them.",
    ),
    (
        "monitoring",
        "Monitor progress and evaluate results",
        "Throughout the initiative",
        1,
        36,
        "lead",
        "The CDA follows progress and evaluates results, personally or through trained "
        "consultants whom they hire and supervise; the diagnostic is the baseline.",
    ),
    (
        "transfer",
        "Transfer responsibility to cluster stakeholders",
        "Usually during the second year of the initiative",
        13,
        24,
        "facilitate",
        "The CDA hands over responsibilities, above all for implementing activities, "
        "to reliable stakeholders.",
    ),
    (
        "network_strengthening",
        "Strengthen the capabilities and the roles of networks of local stakeholders",
        "Usually during the third and final year of the initiative",
        25,
        36,
        "support",
        "Stakeholders take the lead in strategic planning; the CDA encourages and supports them.",
    ),
    (
        "withdrawal",
        "Make preparations for CDA withdrawal",
        "Towards the end of the initiative",
        30,
        36,
        "support",
        "An exit strategy is agreed several months before the end; future leaders are "
        "trained and funding for later initiatives is found.",
    ),
)


@dataclass(frozen=True)
class PlanViolation:
    """One problem found in a plan.

    Attributes
    ----------
    rule : str
        Short name of the rule broken, e.g. ``'diagnostic_before_action_plans'``.
    task_id : str
        The task concerned.
    message : str
        What is wrong and how to fix it, in plain words.
    """

    rule: str
    task_id: str
    message: str


def table1_plan() -> pd.DataFrame:
    """Return the module's Table 1 as a 36-month plan.

    Returns
    -------
    pandas.DataFrame
        One row per activity with columns ``task_id``, ``activity``, ``timeframe``
        (as written in Table 1), ``start_month``, ``end_month``, ``cda_role`` and
        ``description``. The month reading is explained in the module docstring.

    Examples
    --------
    >>> plan = table1_plan()
    >>> plan[["task_id", "start_month", "end_month"]].head(2)
            task_id  start_month  end_month
    0    diagnostic            1          9
    1  action_plans           10         14
    """
    columns = [
        "task_id",
        "activity",
        "timeframe",
        "start_month",
        "end_month",
        "cda_role",
        "description",
    ]
    return pd.DataFrame(list(_TABLE1), columns=columns)


def _checked_plan(
    plan: pd.DataFrame,
    start: str,
    end: str,
    role: str | None,
    weights: dict[str, float] | None = None,
) -> pd.DataFrame:
    """Check a plan's shape and return task_id, start, end and role columns."""
    needed = ["task_id", start, end] + ([role] if role is not None else [])
    v.require_columns(plan, needed, WHERE, name="plan")
    v.require_nonempty(plan, WHERE, name="plan")
    v.require_no_missing(plan, "task_id", WHERE)
    v.require_unique(plan, ["task_id"], WHERE)
    starts = v.require_numeric(plan, start, WHERE, id_col="task_id", integer=True)
    ends = v.require_numeric(plan, end, WHERE, id_col="task_id", integer=True)
    if role is not None:
        v.require_values_in(plan, role, list(weights or ROLE_WEIGHTS), WHERE, id_col="task_id")
    return pd.DataFrame(
        {
            "task_id": plan["task_id"].astype(str).to_numpy(),
            "start": starts.astype("int64").to_numpy(),
            "end": ends.astype("int64").to_numpy(),
            "role": plan[role].to_numpy() if role is not None else None,
        }
    )


def validate_plan(
    plan: pd.DataFrame,
    months: int = 36,
    *,
    exit_lead_months: int = 6,
    start: str = "start_month",
    end: str = "end_month",
    role: str = "cda_role",
) -> list[PlanViolation]:
    """Check a plan against the module's sequencing advice.

    Rules checked, each reported as a :class:`PlanViolation`:

    - ``start_after_end``: a task must not end before it starts;
    - ``outside_initiative``: tasks run within months 1 to ``months``;
    - ``diagnostic_before_action_plans``: action plans start after the diagnostic
      study has ended (they are built on its findings);
    - ``transfer_before_withdrawal``: handing responsibility to stakeholders starts
      before the CDA prepares to withdraw, and is finished by the time the CDA leaves;
    - ``exit_strategy_late``: preparing withdrawal starts at least
      ``exit_lead_months`` months before the end, so the exit strategy is
      formulated "several months before ending the initiative";
    - ``missing_task``: a task these rules need (``diagnostic``, ``action_plans``,
      ``transfer``, ``withdrawal``) is not in the plan.

    Parameters
    ----------
    plan : pandas.DataFrame
        The plan, with ``task_id`` and the start, end and role columns.
    months : int
        Length of the initiative in months.
    exit_lead_months : int
        How many months (counting the last) withdrawal preparation must cover.
        Default 6: our reading of "several months".
    start, end, role : str
        Column names, if your plan names them differently.

    Returns
    -------
    list of PlanViolation
        Empty when the plan follows every rule.

    Raises
    ------
    ValueError
        If the plan itself is malformed: a missing column, a repeated task_id, a
        month that is not a whole number, an unknown role, or ``months`` < 1.

    Examples
    --------
    >>> validate_plan(table1_plan())
    []
    >>> late = table1_plan().replace({"start_month": {30: 34}})
    >>> [p.rule for p in validate_plan(late)]
    ['exit_strategy_late']
    """
    months = v.require_positive_int(months, WHERE, "months")
    exit_lead_months = v.require_positive_int(exit_lead_months, WHERE, "exit_lead_months")
    tasks = _checked_plan(plan, start, end, role)
    found: list[PlanViolation] = []
    for row in tasks.itertuples(index=False):
        if row.start > row.end:
            found.append(
                PlanViolation(
                    "start_after_end",
                    row.task_id,
                    gettext(
                        "Task '{task}' starts in month {start} but ends in month {end}: a task "
                        "must end in or after the month it starts."
                    ).format(task=row.task_id, start=row.start, end=row.end),
                )
            )
        if row.start < 1 or row.end > months:
            found.append(
                PlanViolation(
                    "outside_initiative",
                    row.task_id,
                    gettext(
                        "Task '{task}' runs from month {start} to month {end}, outside the "
                        "initiative's months 1 to {months}."
                    ).format(task=row.task_id, start=row.start, end=row.end, months=months),
                )
            )

    by_id = tasks.set_index("task_id")
    needed = {
        "diagnostic": N_("the diagnostic study comes before the action plans"),
        "action_plans": N_("the diagnostic study comes before the action plans"),
        "transfer": N_("responsibility is transferred before the CDA withdraws"),
        "withdrawal": N_("the exit strategy is prepared several months before the end"),
    }
    for task_id, rule_text in needed.items():
        if task_id not in by_id.index:
            found.append(
                PlanViolation(
                    "missing_task",
                    task_id,
                    gettext(
                        "The plan has no task '{task}', so the rule '{rule}' cannot be "
                        "checked. Add the task, or rename yours to task_id '{task}'."
                    ).format(task=task_id, rule=gettext(rule_text)),
                )
            )

    def has(*ids: str) -> bool:
        return all(i in by_id.index for i in ids)

    if has("diagnostic", "action_plans"):
        diag_end = int(by_id.loc["diagnostic", "end"])
        plans_start = int(by_id.loc["action_plans", "start"])
        if plans_start <= diag_end:
            found.append(
                PlanViolation(
                    "diagnostic_before_action_plans",
                    "action_plans",
                    gettext(
                        "Action plans start in month {start}, but the diagnostic study runs "
                        "until month {end}. Action plans are built on the diagnostic's "
                        "findings: start them in month {earliest} or later."
                    ).format(start=plans_start, end=diag_end, earliest=diag_end + 1),
                )
            )
    if has("transfer", "withdrawal"):
        t_start, t_end = (int(by_id.loc["transfer", c]) for c in ("start", "end"))
        w_start, w_end = (int(by_id.loc["withdrawal", c]) for c in ("start", "end"))
        if t_start >= w_start:
            found.append(
                PlanViolation(
                    "transfer_before_withdrawal",
                    "transfer",
                    gettext(
                        "Transfer of responsibility starts in month {start}, not before "
                        "withdrawal preparation (month {withdrawal}). Stakeholders need to "
                        "take over before the CDA prepares to leave: start the transfer "
                        "before month {withdrawal}."
                    ).format(start=t_start, withdrawal=w_start),
                )
            )
        if t_end > w_end:
            found.append(
                PlanViolation(
                    "transfer_before_withdrawal",
                    "transfer",
                    gettext(
                        "Transfer of responsibility runs until month {end}, after the CDA has "
                        "withdrawn (month {withdrawn}). Finish the transfer by month "
                        "{withdrawn}."
                    ).format(end=t_end, withdrawn=w_end),
                )
            )
    if has("withdrawal"):
        w_start = int(by_id.loc["withdrawal", "start"])
        latest = months - exit_lead_months + 1
        if w_start > latest:
            found.append(
                PlanViolation(
                    "exit_strategy_late",
                    "withdrawal",
                    gettext(
                        "Withdrawal preparation starts in month {start}, leaving {left} "
                        "month(s) before the initiative ends in month {months}. Formulate the "
                        "exit strategy several months ahead: start by month {latest} to leave "
                        "at least {lead} months."
                    ).format(
                        start=w_start,
                        left=max(months - w_start + 1, 0),
                        months=months,
                        latest=latest,
                        lead=exit_lead_months,
                    ),
                )
            )
    return found


def overlaps(
    plan: pd.DataFrame, *, start: str = "start_month", end: str = "end_month"
) -> pd.DataFrame:
    """List every pair of tasks that run at the same time.

    Parameters
    ----------
    plan : pandas.DataFrame
        The plan, with ``task_id`` and the start and end columns.
    start, end : str
        Column names, if your plan names them differently.

    Returns
    -------
    pandas.DataFrame
        One row per overlapping pair, in plan order, with columns ``task_a``,
        ``task_b``, ``first_month``, ``last_month`` and ``months`` (how many months
        they share, both ends included).

    Raises
    ------
    ValueError
        If a column is missing, a month is not a whole number, a task_id repeats,
        or a task ends before it starts.

    Examples
    --------
    >>> overlaps(table1_plan()).head(2)[["task_a", "task_b", "months"]]
             task_a             task_b  months
    0    diagnostic         monitoring       9
    1  action_plans  capacity_building       2
    """
    tasks = _checked_plan(plan, start, end, None)
    _require_ordered(tasks)
    s = tasks["start"].to_numpy()
    e = tasks["end"].to_numpy()
    first = np.maximum.outer(s, s)
    last = np.minimum.outer(e, e)
    a_idx, b_idx = np.triu_indices(len(tasks), k=1)
    shared = last[a_idx, b_idx] - first[a_idx, b_idx] + 1
    keep = shared > 0
    ids = tasks["task_id"].to_numpy()
    return pd.DataFrame(
        {
            "task_a": ids[a_idx[keep]],
            "task_b": ids[b_idx[keep]],
            "first_month": first[a_idx, b_idx][keep],
            "last_month": last[a_idx, b_idx][keep],
            "months": shared[keep],
        }
    )


def _require_ordered(tasks: pd.DataFrame) -> None:
    bad = tasks[tasks["start"] > tasks["end"]]
    if len(bad):
        row = bad.iloc[0]
        raise ValueError(
            f"{WHERE}: task '{row['task_id']}' starts in month {row['start']} but ends in "
            f"month {row['end']}; expected start_month <= end_month"
        )


def hands_on_profile(
    plan: pd.DataFrame,
    months: int = 36,
    *,
    weights: dict[str, float] | None = None,
    start: str = "start_month",
    end: str = "end_month",
    role: str = "cda_role",
) -> pd.DataFrame:
    """Month by month, how many tasks run and how hands-on the CDA is.

    Each task counts its role's weight in every month it runs (see
    :data:`ROLE_WEIGHTS`). ``workload`` is the sum of the weights; ``hands_on``
    is their average, from 1 (the CDA leads everything running that month) down
    to 0.25 (the CDA only supports stakeholders who lead). ``workload`` grows
    with the number of parallel tasks; ``hands_on`` shows the module's point that
    the CDA makes their presence "progressively more redundant".

    Parameters
    ----------
    plan : pandas.DataFrame
        The plan.
    months : int
        Length of the initiative in months.
    weights : dict, optional
        Weight per role; defaults to :data:`ROLE_WEIGHTS`.
    start, end, role : str
        Column names, if your plan names them differently.

    Returns
    -------
    pandas.DataFrame
        One row per month with columns ``month``, ``active_tasks``, ``workload``
        and ``hands_on`` (NaN in a month with no task).

    Raises
    ------
    ValueError
        If the plan is malformed, a task ends before it starts, or the plan runs
        outside months 1 to ``months`` (a plan longer than the initiative).

    Examples
    --------
    >>> profile = hands_on_profile(table1_plan())
    >>> profile.loc[[0, 35], ["month", "active_tasks", "hands_on"]]
        month  active_tasks  hands_on
    0       1             2    1.0000
    35     36             4    0.5625
    """
    months = v.require_positive_int(months, WHERE, "months")
    weights = dict(ROLE_WEIGHTS if weights is None else weights)
    for name, weight in weights.items():
        if not 0 <= weight <= 1:
            raise ValueError(
                f"{WHERE}: role weight for {name!r} must be between 0 and 1; got {weight}"
            )
    tasks = _checked_plan(plan, start, end, role, weights)
    _require_ordered(tasks)
    outside = tasks[(tasks["start"] < 1) | (tasks["end"] > months)]
    if len(outside):
        row = outside.iloc[0]
        raise ValueError(
            f"{WHERE}: task '{row['task_id']}' runs from month {row['start']} to month "
            f"{row['end']}, outside the initiative's months 1 to {months}; shorten the task "
            f"or pass months={max(int(tasks['end'].max()), months)}"
        )
    month = np.arange(1, months + 1)
    active = (month[:, None] >= tasks["start"].to_numpy()) & (
        month[:, None] <= tasks["end"].to_numpy()
    )
    w = tasks["role"].astype(str).map(weights).to_numpy(dtype=float)
    count = active.sum(axis=1)
    workload = active @ w
    with np.errstate(invalid="ignore", divide="ignore"):
        hands_on = np.where(count > 0, workload / np.maximum(count, 1), np.nan)
    return pd.DataFrame(
        {"month": month, "active_tasks": count, "workload": workload, "hands_on": hands_on}
    )


def profile_changes(profile: pd.DataFrame) -> pd.DataFrame:
    """The months where the hands-on score changes, plus the first and the last month.

    Parameters
    ----------
    profile : pandas.DataFrame
        Output of :func:`hands_on_profile` (columns ``month`` and ``hands_on``).

    Returns
    -------
    pandas.DataFrame
        The rows of ``profile`` for month 1, every month whose score differs
        from the month before, and the last month.

    Raises
    ------
    ValueError
        If ``month`` or ``hands_on`` is missing, or the profile is empty.

    Examples
    --------
    >>> profile = hands_on_profile(table1_plan())
    >>> profile_changes(profile)["month"].tolist()
    [1, 10, 13, 25, 30, 36]
    """
    v.require_columns(profile, ["month", "hands_on"], WHERE, name="profile")
    v.require_nonempty(profile, WHERE, name="profile")
    score = profile["hands_on"].round(9)
    keep = score.ne(score.shift())
    keep.iloc[-1] = True
    return profile[keep]


def plot_workplan(
    plan: pd.DataFrame,
    months: int = 36,
    *,
    ax: Axes | None = None,
    label: str = "activity",
    start: str = "start_month",
    end: str = "end_month",
    role: str = "cda_role",
    title: str = N_("The CDA's workplan"),
) -> Axes:
    """Draw the plan as a Gantt chart, one bar per task coloured by the CDA's role.

    Month ``m`` is drawn from ``m - 1`` to ``m`` on the x axis, so a task in
    months 1-9 fills 0 to 9. A dashed line marks the end of the initiative, so
    tasks that run past it stand out.

    Parameters
    ----------
    plan : pandas.DataFrame
        The plan.
    months : int
        Length of the initiative in months.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure is made when omitted.
    label : str
        Column used to label the bars (falls back to ``task_id`` if absent).
    start, end, role : str
        Column names, if your plan names them differently.
    title : str
        Plot title.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes with the chart.

    Raises
    ------
    ValueError
        If the plan is malformed or a task ends before it starts.

    Examples
    --------
    >>> ax = plot_workplan(table1_plan())
    >>> len(ax.patches)
    7
    """
    import textwrap

    from matplotlib.patches import Patch

    from cdatools import plotting

    months = v.require_positive_int(months, WHERE, "months")
    tasks = _checked_plan(plan, start, end, role)
    _require_ordered(tasks)
    names = plan[label].astype(str) if label in plan.columns else tasks["task_id"]
    labels = [textwrap.fill(name, 32) for name in names]
    roles = list(ROLE_WEIGHTS)
    colours = plotting.color_map(roles)
    ax = plotting.new_axes(ax, figsize=(9.0, 0.6 * len(tasks) + 1.5))
    y = np.arange(len(tasks))
    ax.barh(
        y,
        tasks["end"] - tasks["start"] + 1,
        left=tasks["start"] - 1,
        color=[colours[r] for r in tasks["role"]],
        edgecolor="white",
        height=0.7,
    )
    ax.set_yticks(y, labels=labels)
    ax.invert_yaxis()
    ax.axvline(months, color=plotting.GREY, linestyle="--", linewidth=1)
    last = max(months, int(tasks["end"].max()))
    ax.set_xlim(0, last + 0.5)
    ax.set_xticks(np.arange(0, last + 1, 6))
    handles = [Patch(color=colours[r], label=r) for r in roles if r in set(tasks["role"])]
    ax.legend(
        handles=handles,
        title=gettext("CDA's role"),
        frameon=False,
        loc="upper left",
        bbox_to_anchor=(1, 1),
    )
    xlabel = gettext("Month of the initiative (months)")
    return plotting.style_axes(ax, gettext(title), xlabel, None, grid="x")


def plot_hands_on(
    profile: pd.DataFrame,
    *,
    ax: Axes | None = None,
    title: str = N_("The CDA steps back as stakeholders take over"),
) -> Axes:
    """Plot how hands-on the CDA is each month (from :func:`hands_on_profile`).

    Parameters
    ----------
    profile : pandas.DataFrame
        Output of :func:`hands_on_profile` (columns ``month`` and ``hands_on``).
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure is made when omitted.
    title : str
        Plot title.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes with one step line.

    Raises
    ------
    ValueError
        If ``profile`` lacks the ``month`` or ``hands_on`` column.

    Examples
    --------
    >>> ax = plot_hands_on(hands_on_profile(table1_plan()))
    >>> len(ax.lines)
    1
    """
    from cdatools import plotting

    v.require_columns(profile, ["month", "hands_on"], WHERE, name="profile")
    ax = plotting.new_axes(ax)
    ax.step(profile["month"], profile["hands_on"], where="mid", color=plotting.color(0))
    ax.set_ylim(0, 1.05)
    return plotting.style_axes(
        ax,
        gettext(title),
        gettext("Month of the initiative (months)"),
        gettext("Hands-on level (0-1; 1 = CDA leads every task)"),
    )
