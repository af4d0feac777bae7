"""Mendelow's power/interest grid for the CDA's stakeholder analysis.

Each stakeholder gets a score for power (ability to influence the initiative)
and interest (how much it cares about it), here on a 1-5 scale. The grid sorts
them into four groups, each with its own way of engaging:

==================  =======  ========  ==============================================
quadrant            power    interest  engagement
==================  =======  ========  ==============================================
``manage_closely``  high     high      key players: involve them in decisions
``keep_satisfied``  high     low       meet their needs without overloading them
``keep_informed``   low      high      keep them informed; they can become allies
``monitor``         low      low       watch for changes with little effort
==================  =======  ========  ==============================================

By default a score above 2.5 (3, 4 or 5 on the 1-5 scale) counts as high:
a stakeholder in the middle gets the more attentive treatment.

The grid is a common stakeholder tool (Mendelow, 1991), not module 2's. It plans
*engagement*. It does not decide who sits on a Cluster Commission: Box 4's
categories do (see :func:`cdatools.commission.propose_members`), and section 2.1
warns against bodies controlled by a few powerful stakeholders.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from cdatools import _validate as v
from cdatools.i18n import N_, gettext

if TYPE_CHECKING:
    from matplotlib.axes import Axes

WHERE = "stakeholders"

#: Quadrants, from most to least attention.
QUADRANTS: tuple[str, ...] = ("manage_closely", "keep_satisfied", "keep_informed", "monitor")

#: Readable names for plots.
QUADRANT_LABELS: dict[str, str] = {
    "manage_closely": "Manage closely",
    "keep_satisfied": "Keep satisfied",
    "keep_informed": "Keep informed",
    "monitor": "Monitor",
}

#: What the CDA does with each group, in plain words.
QUADRANT_ADVICE: dict[str, str] = {
    "manage_closely": "Key players: involve them in decisions and meet them often.",
    "keep_satisfied": "Powerful but less engaged: meet their needs, do not overload them.",
    "keep_informed": (
        "Engaged but with little power: keep them informed; they can become allies, "
        "and low power is no reason to leave them off the Commission."
    ),
    "monitor": "Watch for changes in their power or interest; little effort needed now.",
}


def mendelow_grid(
    stakeholders: pd.DataFrame,
    *,
    threshold: float = 2.5,
    scale: tuple[float, float] = (1, 5),
    power: str = "power",
    interest: str = "interest",
    id_col: str = "stakeholder_id",
) -> pd.DataFrame:
    """Place each stakeholder in a quadrant of Mendelow's power/interest grid.

    Parameters
    ----------
    stakeholders : pandas.DataFrame
        One row per stakeholder with power and interest scores.
    threshold : float
        Scores above it count as high (default 2.5: 3 or more on a 1-5 scale).
    scale : tuple of float
        Lowest and highest allowed score.
    power, interest, id_col : str
        Column names, if your data names them differently.

    Returns
    -------
    pandas.DataFrame
        A copy with ``quadrant`` and ``advice`` added.

    Raises
    ------
    ValueError
        If a column is missing, the table is empty, a score is outside ``scale``,
        or ``threshold`` is outside ``scale``.

    Examples
    --------
    >>> people = pd.DataFrame({"stakeholder_id": ["mayor", "printer"],
    ...                        "power": [5, 1], "interest": [2, 5]})
    >>> mendelow_grid(people)["quadrant"].tolist()
    ['keep_satisfied', 'keep_informed']
    """
    if not scale[0] <= threshold <= scale[1]:
        raise ValueError(
            f"{WHERE}: threshold must be within the scale {scale[0]:g}-{scale[1]:g}; "
            f"got {threshold}"
        )
    v.require_columns(stakeholders, [power, interest], WHERE, name="stakeholders")
    v.require_nonempty(stakeholders, WHERE, name="stakeholders")
    ident = id_col if id_col in stakeholders.columns else None
    p = v.require_numeric(stakeholders, power, WHERE, id_col=ident, low=scale[0], high=scale[1])
    i = v.require_numeric(stakeholders, interest, WHERE, id_col=ident, low=scale[0], high=scale[1])
    high_p, high_i = p > threshold, i > threshold
    quadrant = np.select(
        [high_p & high_i, high_p & ~high_i, ~high_p & high_i],
        ["manage_closely", "keep_satisfied", "keep_informed"],
        default="monitor",
    )
    table = stakeholders.copy()
    table["quadrant"] = quadrant
    table["advice"] = table["quadrant"].map(QUADRANT_ADVICE)
    return table


def _spread(x: np.ndarray, y: np.ndarray, step: float) -> tuple[np.ndarray, np.ndarray]:
    """Stack points that share a position in a short column, centred on it."""
    x, y = x.astype(float).copy(), y.astype(float).copy()
    keys = pd.Series(list(zip(x, y, strict=True)))
    for _, idx in keys.groupby(keys).groups.items():
        if len(idx) > 1:
            y[idx] += step * (np.arange(len(idx)) - (len(idx) - 1) / 2)
    return x, y


def plot_grid(
    stakeholders: pd.DataFrame,
    *,
    ax: Axes | None = None,
    threshold: float = 2.5,
    scale: tuple[float, float] = (1, 5),
    label: str | None = "name",
    power: str = "power",
    interest: str = "interest",
    id_col: str = "stakeholder_id",
    title: str = N_("Stakeholders on the power/interest grid"),
) -> Axes:
    """Draw Mendelow's grid: interest across, power up, one colour per quadrant.

    Stakeholders with the same scores are stacked in a short column centred on
    their point, so none hides another; long names are shortened in the labels.

    Parameters
    ----------
    stakeholders : pandas.DataFrame
        One row per stakeholder (see :func:`mendelow_grid`).
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure is made when omitted.
    threshold, scale : float, tuple of float
        As for :func:`mendelow_grid`.
    label : str or None
        Column used to label points (falls back to ``id_col``); None for no labels.
    power, interest, id_col : str
        Column names, if your data names them differently.
    title : str
        Plot title.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes: one scatter per quadrant present, two dividing lines.

    Raises
    ------
    ValueError
        As for :func:`mendelow_grid`.

    Examples
    --------
    >>> people = pd.DataFrame({"name": ["Mayor", "Printer"], "power": [5, 1], "interest": [2, 5]})
    >>> len(plot_grid(people).collections)
    2
    """
    from cdatools import plotting

    grid = mendelow_grid(
        stakeholders,
        threshold=threshold,
        scale=scale,
        power=power,
        interest=interest,
        id_col=id_col,
    )
    ax = plotting.new_axes(ax, figsize=(7.5, 6.0))
    x, y = _spread(grid[interest].to_numpy(), grid[power].to_numpy(), step=0.13)
    colours = {
        "manage_closely": plotting.OKABE_ITO["vermillion"],
        "keep_satisfied": plotting.OKABE_ITO["orange"],
        "keep_informed": plotting.OKABE_ITO["blue"],
        "monitor": plotting.OKABE_ITO["bluish_green"],
    }
    quadrant = grid["quadrant"].to_numpy()
    for q in QUADRANTS:
        keep = quadrant == q
        if keep.any():
            name = gettext(QUADRANT_LABELS[q])
            ax.scatter(x[keep], y[keep], color=colours[q], s=50, label=name, zorder=3)
    names_col = label if label in grid.columns else (id_col if id_col in grid.columns else None)
    if label is not None and names_col is not None:
        for xi, yi, name in zip(x, y, grid[names_col].astype(str), strict=True):
            short = name if len(name) <= 24 else name[:23] + "\u2026"
            ax.annotate(
                short,
                (xi, yi),
                xytext=(5, 0),
                textcoords="offset points",
                fontsize=7,
                va="center",
            )
    ax.axvline(threshold, color=plotting.GREY, linestyle="--", linewidth=1)
    ax.axhline(threshold, color=plotting.GREY, linestyle="--", linewidth=1)
    pad = 0.5
    ax.set_xlim(scale[0] - pad, scale[1] + pad)
    ax.set_ylim(scale[0] - pad, scale[1] + pad)
    corners = {
        "manage_closely": (0.98, 0.98, "right", "top"),
        "keep_satisfied": (0.02, 0.98, "left", "top"),
        "keep_informed": (0.98, 0.02, "right", "bottom"),
        "monitor": (0.02, 0.02, "left", "bottom"),
    }
    for q, (cx, cy, ha, va) in corners.items():
        ax.text(
            cx,
            cy,
            gettext(QUADRANT_LABELS[q]),
            transform=ax.transAxes,
            ha=ha,
            va=va,
            color=plotting.GREY,
            fontsize=10,
            fontweight="bold",
        )
    lo, hi = scale
    return plotting.style_axes(
        ax,
        gettext(title),
        gettext("Interest in the initiative (score {low}-{high})").format(
            low=f"{lo:g}", high=f"{hi:g}"
        ),
        gettext("Power over the initiative (score {low}-{high})").format(
            low=f"{lo:g}", high=f"{hi:g}"
        ),
        grid=None,
    )
