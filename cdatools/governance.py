"""A governance scorecard from the stakeholder survey.

Module 2 lists six characteristics of the governance system a cluster should
develop: representative of all categories of stakeholders, responsive to their
needs, strategically oriented, legitimate within and outside the cluster,
leading joint action, and self-sustaining. The course's ``governance_survey``
asks stakeholders to rate each on a 1-5 scale (Likert); ``governance_voice``
gives each stakeholder category's weight in the cluster and its voice in the
governing bodies.

Survey scores are ordinal: read a difference of a few tenths as a hint to ask
more, not as a measurement. Every table reports how many respondents stand
behind each number.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from cdatools import _validate as v
from cdatools.i18n import N_, gettext

if TYPE_CHECKING:
    from matplotlib.axes import Axes

WHERE = "governance"

#: The six characteristics, as survey column names, in the module's order.
CHARACTERISTICS: tuple[str, ...] = (
    "representative",
    "responsive",
    "strategic",
    "legitimate",
    "leading_joint_action",
    "self_sustaining",
)

#: Short labels for plots.
CHARACTERISTIC_LABELS: dict[str, str] = {
    "representative": "Representative",
    "responsive": "Responsive",
    "strategic": "Strategic",
    "legitimate": "Legitimate",
    "leading_joint_action": "Leads joint action",
    "self_sustaining": "Self-sustaining",
}

#: Stakeholder categories of the course data, in display order.
CATEGORIES: tuple[str, ...] = (
    "small_firms",
    "large_firms",
    "business_associations",
    "service_providers",
    "knowledge_institutions",
    "local_government",
    "civil_society",
)


def _ordered(values: Sequence[object]) -> list[object]:
    """Known categories in display order, then any others sorted."""
    present = list(dict.fromkeys(values))
    known = [c for c in CATEGORIES if c in present]
    return known + sorted((c for c in present if c not in CATEGORIES), key=str)


def _select(survey: pd.DataFrame, column: str, value: object, what: str) -> pd.DataFrame:
    """Keep rows where ``column == value``; with value None, insist on a single value."""
    if column not in survey.columns:
        if value is not None:
            raise ValueError(
                f"{WHERE}: cannot choose {what} {v.quote(value)}: the survey has no column "
                f"'{column}'"
            )
        return survey
    found = _ordered(survey[column].dropna().unique().tolist())
    if value is None:
        if len(found) > 1:
            raise ValueError(
                f"{WHERE}: the survey has {len(found)} {what}s ({v.quote_list(found)}); "
                f"pass {column}=... to choose one, so answers from different {what}s "
                "are not mixed"
            )
        return survey
    if value not in found:
        raise ValueError(
            f"{WHERE}: {column} {v.quote(value)} is not in the survey; found {v.quote_list(found)}"
        )
    return survey[survey[column] == value]


def _check_scores(
    survey: pd.DataFrame, characteristics: Sequence[str], scale: tuple[int, int], id_col: str
) -> None:
    for col in characteristics:
        v.require_numeric(
            survey,
            col,
            WHERE,
            id_col=id_col if id_col in survey.columns else None,
            low=scale[0],
            high=scale[1],
            integer=True,
            allow_missing=True,
        )


def scorecard(
    survey: pd.DataFrame,
    *,
    wave: object = None,
    cluster: object = None,
    by: str = "category",
    characteristics: Sequence[str] = CHARACTERISTICS,
    scale: tuple[int, int] = (1, 5),
) -> pd.DataFrame:
    """Mean score of each governance characteristic by stakeholder category.

    Parameters
    ----------
    survey : pandas.DataFrame
        One row per respondent (and wave), with the ``by`` column and one column
        per characteristic holding whole-number scores; empty cells (no answer)
        are left out of the means.
    wave, cluster : optional
        Which survey wave and cluster to use. Required when the survey holds more
        than one, so that answers are never mixed by accident.
    by : str
        Column that groups respondents (default ``'category'``).
    characteristics : sequence of str
        Score columns, default :data:`CHARACTERISTICS`.
    scale : tuple of int
        Lowest and highest allowed score.

    Returns
    -------
    pandas.DataFrame
        Index: the groups (known categories in :data:`CATEGORIES` order); columns:
        the mean of each characteristic, then ``respondents`` (rows in the group).

    Raises
    ------
    ValueError
        If a column is missing, a score is outside ``scale`` or not a whole number,
        the requested wave or cluster is absent, or the survey mixes several waves
        or clusters and none was chosen.

    Examples
    --------
    >>> survey = pd.DataFrame({
    ...     "category": ["small_firms", "small_firms", "local_government"],
    ...     "representative": [2, 3, 5], "responsive": [1, 2, 4],
    ... })
    >>> card = scorecard(survey, characteristics=["representative", "responsive"])
    >>> card.reset_index()
               category  representative  responsive  respondents
    0       small_firms             2.5         1.5            2
    1  local_government             5.0         4.0            1
    """
    characteristics = list(characteristics)
    v.require_columns(survey, [by, *characteristics], WHERE, name="survey")
    data = _select(survey, "wave", wave, "wave")
    data = _select(data, "cluster", cluster, "cluster")
    v.require_nonempty(data, WHERE, name="survey")
    v.require_no_missing(data, by, WHERE)
    _check_scores(data, characteristics, scale, "respondent_id")
    scores = data[characteristics].apply(pd.to_numeric)
    grouped = scores.groupby(data[by], sort=False, observed=True)
    table = grouped.mean()
    table["respondents"] = grouped.size()
    table = table.loc[_ordered(table.index.tolist())]
    table.index.name = by
    return table


def representation_gaps(
    voice: pd.DataFrame,
    *,
    tolerance: float = 0.05,
    category: str = "category",
    weight: str = "weight_share",
    voice_share: str = "voice_share",
    group: Sequence[str] = ("wave", "cluster"),
) -> pd.DataFrame:
    """Find categories whose voice in governance is weaker than their weight in the cluster.

    A category is under-represented when its share of seats and speaking time
    (``voice_share``) is more than ``tolerance`` below its share of the cluster
    (``weight_share``, e.g. of firms or jobs). The rule looks only at the
    category's own row, so adding other rows never changes its verdict.

    Parameters
    ----------
    voice : pandas.DataFrame
        One row per category (and per wave and cluster, if present) with the two
        share columns, each between 0 and 1 and summing to 1 within a group.
    tolerance : float
        How far (in share points, 0.05 = 5 percentage points) voice may fall
        below weight before it counts as a gap.
    category, weight, voice_share : str
        Column names, if your data names them differently.
    group : sequence of str
        Columns that separate independent tables (those present are used).

    Returns
    -------
    pandas.DataFrame
        The group columns, ``category``, ``weight_share``, ``voice_share``,
        ``gap`` (voice minus weight), ``under_represented`` (bool) and ``message``
        (a sentence for flagged rows, empty otherwise), sorted with the largest
        shortfall first.

    Raises
    ------
    ValueError
        If a column is missing, a share is outside 0-1 (percentages?), the shares
        of a group do not sum to 1 (within 0.01), a category repeats in a group,
        or ``tolerance`` is negative.

    Examples
    --------
    >>> voice = pd.DataFrame({"category": ["small_firms", "large_firms"],
    ...                       "weight_share": [0.7, 0.3], "voice_share": [0.4, 0.6]})
    >>> representation_gaps(voice)[["category", "gap", "under_represented"]]
          category  gap  under_represented
    0  small_firms -0.3               True
    1  large_firms  0.3              False
    """
    if not 0 <= tolerance <= 1:
        raise ValueError(f"{WHERE}: tolerance must be between 0 and 1; got {tolerance}")
    v.require_columns(voice, [category, weight, voice_share], WHERE, name="voice table")
    v.require_nonempty(voice, WHERE, name="voice table")
    v.require_no_missing(voice, category, WHERE)
    keys = [g for g in group if g in voice.columns]
    for col in (weight, voice_share):
        v.require_numeric(voice, col, WHERE, id_col=category, low=0, high=1)
    v.require_unique(voice, [*keys, category], WHERE)
    data = voice[[*keys, category, weight, voice_share]].copy()
    data[[weight, voice_share]] = data[[weight, voice_share]].astype(float)
    if keys:
        sums = data.groupby(keys, observed=True)[[weight, voice_share]].sum()
    else:
        sums = data[[weight, voice_share]].sum().to_frame().T
    for col in (weight, voice_share):
        off = sums[col][(sums[col] - 1).abs() > 0.01]
        if len(off):
            where_text = ""
            if keys:
                key = off.index[0] if isinstance(off.index[0], tuple) else (off.index[0],)
                where_text = " for " + ", ".join(
                    f"{k} {v.quote(val)}" for k, val in zip(keys, key, strict=True)
                )
            raise ValueError(
                f"{WHERE}: column '{col}' must sum to 1 within each {' + '.join(keys) or 'table'}"
                f"{where_text}; it sums to {off.iloc[0]:.3f}. Shares are fractions (0.25), "
                "not percentages (25)."
            )
    data["gap"] = (data[voice_share] - data[weight]).round(10)
    data["under_represented"] = data["gap"] < -tolerance - 1e-12
    data["message"] = ""
    flagged = data["under_represented"]
    data.loc[flagged, "message"] = [
        f"{row[category]}: {row[weight]:.0%} of the cluster but {row[voice_share]:.0%} of the "
        f"voice in governance ({-row['gap'] * 100:.0f} points short)"
        for _, row in data[flagged].iterrows()
    ]
    return data.sort_values("gap", kind="stable").reset_index(drop=True)


def compare_waves(
    survey: pd.DataFrame,
    *,
    before: object = "baseline",
    after: object = "follow_up",
    cluster: object = None,
    by: str = "category",
    wave_col: str = "wave",
    characteristics: Sequence[str] = CHARACTERISTICS,
    scale: tuple[int, int] = (1, 5),
) -> pd.DataFrame:
    """Change in mean scores between two survey waves, by group and characteristic.

    Parameters
    ----------
    survey : pandas.DataFrame
        The survey with a wave column.
    before, after : optional
        The two waves to compare.
    cluster : optional
        Which cluster to use when the survey holds several.
    by : str
        Column that groups respondents.
    wave_col : str
        Column naming the wave.
    characteristics : sequence of str
        Score columns.
    scale : tuple of int
        Lowest and highest allowed score.

    Returns
    -------
    pandas.DataFrame
        Long table with columns ``by``, ``characteristic``, ``before``, ``after``,
        ``change`` (after minus before; NaN when a group is missing from a wave),
        ``respondents_before`` and ``respondents_after``.

    Raises
    ------
    ValueError
        If a column or wave is missing, or a score is invalid.

    Examples
    --------
    >>> survey = pd.DataFrame({"wave": ["baseline", "follow_up"],
    ...                        "category": ["small_firms", "small_firms"],
    ...                        "responsive": [2, 4]})
    >>> compare_waves(survey, characteristics=["responsive"])[["before", "after", "change"]]
       before  after  change
    0     2.0    4.0     2.0
    """
    characteristics = list(characteristics)
    v.require_columns(survey, [wave_col, by, *characteristics], WHERE, name="survey")
    data = _select(survey, "cluster", cluster, "cluster")
    cards = {}
    for label, wave in (("before", before), ("after", after)):
        one = _select(data, wave_col, wave, "wave")
        cards[label] = scorecard(one, by=by, characteristics=characteristics, scale=scale)
    groups = _ordered([*cards["before"].index, *cards["after"].index])
    rows = []
    for group in groups:
        for ch in characteristics:
            b = cards["before"][ch].get(group, np.nan)
            a = cards["after"][ch].get(group, np.nan)
            rows.append(
                {
                    by: group,
                    "characteristic": ch,
                    "before": b,
                    "after": a,
                    "change": a - b,
                    "respondents_before": int(cards["before"]["respondents"].get(group, 0)),
                    "respondents_after": int(cards["after"]["respondents"].get(group, 0)),
                }
            )
    return pd.DataFrame(rows)


def _heatmap(
    table: pd.DataFrame,
    *,
    ax: Axes | None,
    cmap: str,
    vmin: float,
    vmax: float,
    title: str,
    colorbar_label: str,
    fmt: str,
) -> Axes:
    import matplotlib

    from cdatools import plotting

    ax = plotting.new_axes(ax, figsize=(8.0, 0.5 * len(table) + 2.5))
    values = table.to_numpy(dtype=float)
    image = ax.imshow(values, cmap=cmap, vmin=vmin, vmax=vmax, aspect="auto")
    ax.set_xticks(
        np.arange(table.shape[1]),
        labels=[gettext(CHARACTERISTIC_LABELS.get(c, str(c))) for c in table.columns],
        rotation=30,
        ha="right",
    )
    ax.set_yticks(np.arange(table.shape[0]), labels=[str(i) for i in table.index])
    colours = matplotlib.colormaps[cmap]
    for (i, j), value in np.ndenumerate(values):
        if np.isnan(value):
            text, colour = "n/a", "black"
        else:
            text = format(value, fmt)
            r, g, b, _ = colours((value - vmin) / (vmax - vmin))
            colour = "white" if 0.299 * r + 0.587 * g + 0.114 * b < 0.5 else "black"
        ax.text(j, i, text, ha="center", va="center", color=colour, fontsize=9)
    ax.figure.colorbar(image, ax=ax, label=gettext(colorbar_label))
    plotting.style_axes(
        ax, title, N_("Governance characteristic"), N_("Stakeholder group"), grid=None
    )
    for side in ("top", "right"):
        ax.spines[side].set_visible(True)
    return ax


def plot_heatmap(
    card: pd.DataFrame,
    *,
    ax: Axes | None = None,
    characteristics: Sequence[str] | None = None,
    scale: tuple[int, int] = (1, 5),
    title: str = N_("Governance scorecard by stakeholder group"),
) -> Axes:
    """Heatmap of a :func:`scorecard`: groups in rows, characteristics in columns.

    Parameters
    ----------
    card : pandas.DataFrame
        Output of :func:`scorecard`.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure is made when omitted.
    characteristics : sequence of str, optional
        Columns to show; default: every column except ``respondents``.
    scale : tuple of int
        Score range, fixing the colour scale so waves can be compared.
    title : str
        Plot title.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes with one image and a number in each cell.

    Raises
    ------
    ValueError
        If a requested characteristic is not a column of ``card``.

    Examples
    --------
    >>> card = pd.DataFrame({"responsive": [2.5, 4.0]}, index=["small_firms", "large_firms"])
    >>> len(plot_heatmap(card).images)
    1
    """
    from cdatools import plotting

    cols = list(characteristics or [c for c in card.columns if c != "respondents"])
    v.require_columns(card, cols, WHERE, name="scorecard")
    return _heatmap(
        card[cols],
        ax=ax,
        cmap=plotting.SEQUENTIAL_CMAP,
        vmin=scale[0],
        vmax=scale[1],
        title=title,
        colorbar_label=gettext("Mean score ({low}-{high})").format(low=scale[0], high=scale[1]),
        fmt=".1f",
    )


def plot_change(
    comparison: pd.DataFrame,
    *,
    ax: Axes | None = None,
    by: str = "category",
    limit: float = 2.0,
    title: str = N_("Change in governance scores between waves"),
) -> Axes:
    """Heatmap of the change between waves (from :func:`compare_waves`).

    Parameters
    ----------
    comparison : pandas.DataFrame
        Output of :func:`compare_waves`.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure is made when omitted.
    by : str
        The group column of ``comparison``.
    limit : float
        Colour scale runs from ``-limit`` to ``+limit`` score points.
    title : str
        Plot title.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes with one image, rises and falls in contrasting colours.

    Raises
    ------
    ValueError
        If a column is missing or ``limit`` is not positive.

    Examples
    --------
    >>> comparison = pd.DataFrame({"category": ["small_firms"], "characteristic": ["responsive"],
    ...                            "change": [0.5]})
    >>> len(plot_change(comparison).images)
    1
    """
    from cdatools import plotting

    v.require_columns(comparison, [by, "characteristic", "change"], WHERE, name="comparison")
    if not limit > 0:
        raise ValueError(f"{WHERE}: limit must be > 0; got {limit}")
    wide = comparison.pivot_table(
        index=by, columns="characteristic", values="change", aggfunc="mean", dropna=False
    )
    wide = wide.loc[
        _ordered(wide.index.tolist()), list(dict.fromkeys(comparison["characteristic"]))
    ]
    return _heatmap(
        wide,
        ax=ax,
        cmap=plotting.DIVERGING_CMAP,
        vmin=-limit,
        vmax=limit,
        title=title,
        colorbar_label=N_("Change in mean score (points)"),
        fmt="+.1f",
    )


def plot_radar(
    card: pd.DataFrame,
    *,
    ax: Axes | None = None,
    groups: Sequence[object] | None = None,
    characteristics: Sequence[str] | None = None,
    scale: tuple[int, int] = (1, 5),
    title: str = N_("How each group rates the governance system"),
) -> Axes:
    """Radar chart of a :func:`scorecard`: one closed outline per group.

    Parameters
    ----------
    card : pandas.DataFrame
        Output of :func:`scorecard`.
    ax : matplotlib.axes.Axes, optional
        A polar Axes to draw on; a new figure is made when omitted.
    groups : sequence, optional
        Rows to draw (default: all; more than about five becomes hard to read).
    characteristics : sequence of str, optional
        Spokes; default: every column except ``respondents``.
    scale : tuple of int
        Score range for the radius.
    title : str
        Plot title.

    Returns
    -------
    matplotlib.axes.Axes
        The polar Axes, with one line per group.

    Raises
    ------
    ValueError
        If ``ax`` is not polar, a group or characteristic is unknown, or fewer
        than three characteristics are given.

    Examples
    --------
    >>> card = pd.DataFrame({"a": [2, 4], "b": [3, 3], "c": [5, 1]}, index=["x", "y"])
    >>> len(plot_radar(card).lines)
    2
    """
    from cdatools import plotting

    cols = list(characteristics or [c for c in card.columns if c != "respondents"])
    v.require_columns(card, cols, WHERE, name="scorecard")
    if len(cols) < 3:
        raise ValueError(
            f"{WHERE}: a radar chart needs at least 3 characteristics; got {len(cols)}"
        )
    rows = list(card.index if groups is None else groups)
    unknown = [g for g in rows if g not in card.index]
    if unknown:
        raise ValueError(
            f"{WHERE}: group {v.quote(unknown[0])} is not in the scorecard; "
            f"found {v.quote_list(card.index)}"
        )
    ax = plotting.new_axes(ax, figsize=(7.0, 6.0), polar=True)
    angles = np.linspace(0, 2 * np.pi, len(cols), endpoint=False)
    closed = np.append(angles, angles[0])
    for i, group in enumerate(rows):
        values = card.loc[group, cols].to_numpy(dtype=float)
        ax.plot(closed, np.append(values, values[0]), color=plotting.color(i), label=str(group))
        ax.fill(closed, np.append(values, values[0]), color=plotting.color(i), alpha=0.08)
    ax.set_xticks(angles, labels=[gettext(CHARACTERISTIC_LABELS.get(c, c)) for c in cols])
    ax.set_ylim(scale[0] - 1, scale[1])
    ax.set_yticks(np.arange(scale[0], scale[1] + 1))
    ax.set_theta_offset(np.pi / 2)
    ax.set_theta_direction(-1)
    ax.set_rlabel_position(180 / len(cols))
    ax.legend(frameon=False, loc="upper left", bbox_to_anchor=(1.05, 1.0), title=gettext("Group"))
    ax.text(
        0.0,
        -0.1,
        gettext("Radius: mean score ({low} = weak, {high} = strong)").format(
            low=scale[0], high=scale[1]
        ),
        transform=ax.transAxes,
        fontsize=9,
    )
    plotting.style_axes(ax, title)
    ax.title.set_y(1.08)
    return ax


def share_by_size(
    firms: pd.DataFrame,
    column: str = "chamber_member",
    *,
    size: str = "employees",
    small_below: int = 10,
) -> pd.DataFrame:
    """Compare small and larger firms on a yes/no column (for example chamber membership).

    Parameters
    ----------
    firms : pandas.DataFrame
        One row per firm, with a size column and a True/False column.
    column : str
        The True/False column to compare (default ``chamber_member``).
    size : str
        Column with each firm's number of workers.
    small_below : int
        Firms with fewer workers than this count as small (default 10).

    Returns
    -------
    pandas.DataFrame
        Two rows (``under N`` and ``N or more``) with ``firms`` and ``share``
        (the share of firms for which ``column`` is True).

    Raises
    ------
    ValueError
        If a column is missing, a size is not a number of at least 0, or
        ``column`` holds something other than True/False.

    Examples
    --------
    >>> firms = pd.DataFrame({"employees": [2, 3, 40], "chamber_member": [True, False, True]})
    >>> share_by_size(firms).to_dict("records")
    [{'size': 'under 10', 'firms': 2, 'share': 0.5}, {'size': '10 or more', 'firms': 1, 'share': 1.0}]
    """  # noqa: E501
    v.require_columns(firms, [size, column], WHERE, name="firms")
    workers = v.require_numeric(firms, size, WHERE, low=0)
    v.require_values_in(firms, column, [True, False], WHERE)
    small = workers < small_below
    labels = [f"under {small_below}", f"{small_below} or more"]
    rows = []
    for label, part in zip(labels, (small, ~small), strict=True):
        values = firms.loc[part, column].astype(bool)
        rows.append({"size": label, "firms": int(part.sum()), "share": float(values.mean())})
    return pd.DataFrame(rows)
