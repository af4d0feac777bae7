"""One plotting style for the whole package.

Every plot in ``cdatools`` uses the Okabe-Ito palette, which people with the
common forms of colour blindness can tell apart, has a title and labelled axes
with units, takes an optional ``ax`` and returns it, and never calls
``plt.show()``. Styling is applied to each Axes; matplotlib's global settings
(``rcParams``) are never changed.

matplotlib is imported inside the functions, so ``import cdatools`` stays light.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from cdatools.i18n import gettext

if TYPE_CHECKING:
    from matplotlib.axes import Axes

#: The Okabe-Ito colour-blind-safe palette (Okabe and Ito, 2008), by name.
OKABE_ITO: dict[str, str] = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "bluish_green": "#009E73",
    "vermillion": "#D55E00",
    "sky_blue": "#56B4E9",
    "reddish_purple": "#CC79A7",
    "yellow": "#F0E442",
    "black": "#000000",
}

#: The palette in the order plots use it for categories.
PALETTE: tuple[str, ...] = tuple(OKABE_ITO.values())

#: Colour map for ordered values (scores, counts): perceptually uniform and colour-blind safe.
SEQUENTIAL_CMAP = "cividis"

#: Colour map for changes around zero (ColorBrewer PuOr, colour-blind safe).
DIVERGING_CMAP = "PuOr"

#: A neutral grey for context (edges, grid lines, reference lines).
GREY = "#999999"


def color(i: int) -> str:
    """Return the ``i``-th palette colour, cycling after eight.

    Parameters
    ----------
    i : int
        Position, from 0.

    Returns
    -------
    str
        A hex colour such as ``'#0072B2'``.

    Examples
    --------
    >>> color(0)
    '#0072B2'
    >>> color(8) == color(0)
    True
    """
    return PALETTE[i % len(PALETTE)]


def color_map(keys: Iterable[object]) -> dict[object, str]:
    """Give each key a fixed palette colour, in the order the keys come.

    Parameters
    ----------
    keys : iterable
        Category names; repeats are ignored.

    Returns
    -------
    dict
        Key to hex colour.

    Examples
    --------
    >>> color_map(["lead", "support"])
    {'lead': '#0072B2', 'support': '#E69F00'}
    """
    unique = list(dict.fromkeys(keys))
    return {key: color(i) for i, key in enumerate(unique)}


def new_axes(
    ax: Axes | None = None, *, figsize: tuple[float, float] = (7.0, 4.5), polar: bool = False
) -> Axes:
    """Return ``ax``, or a new Axes on a new figure when ``ax`` is None.

    Parameters
    ----------
    ax : matplotlib.axes.Axes, optional
        An Axes to draw on.
    figsize : tuple of float
        Width and height in inches of a new figure.
    polar : bool
        Whether the plot needs polar axes (radar charts).

    Returns
    -------
    matplotlib.axes.Axes
        The Axes to draw on.

    Raises
    ------
    ValueError
        If ``polar`` is True but the given ``ax`` is not a polar Axes.

    Examples
    --------
    >>> ax = new_axes()
    >>> new_axes(ax) is ax
    True
    """
    if ax is not None:
        if polar and getattr(ax, "name", "") != "polar":
            raise ValueError(
                "plotting: this chart needs a polar Axes; create one with "
                "plt.subplots(subplot_kw={'projection': 'polar'}) or pass ax=None"
            )
        return ax
    import matplotlib.pyplot as plt

    subplot_kw = {"projection": "polar"} if polar else None
    _, ax = plt.subplots(figsize=figsize, subplot_kw=subplot_kw, layout="constrained")
    return ax


def style_axes(
    ax: Axes,
    title: str,
    xlabel: str | None = None,
    ylabel: str | None = None,
    *,
    grid: str | None = "y",
) -> Axes:
    """Apply the house style: title, axis labels, light grid, no top or right frame.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        The Axes to style.
    title : str
        The plot title; must not be empty.
    xlabel, ylabel : str, optional
        Axis labels, with units in brackets, e.g. ``'Cost (USD)'``.
    grid : {'x', 'y', 'both'} or None
        Which grid lines to draw.

    Returns
    -------
    matplotlib.axes.Axes
        The same Axes.

    Raises
    ------
    ValueError
        If ``title`` is empty or ``grid`` is not one of the choices.

    Examples
    --------
    >>> ax = style_axes(new_axes(), "Deliveries", "Month", "Head of cattle (count)")
    >>> ax.get_title()
    'Deliveries'
    """
    if not title:
        raise ValueError("plotting: every plot needs a title; got an empty title")
    if grid not in ("x", "y", "both", None):
        raise ValueError(f"plotting: grid must be 'x', 'y', 'both' or None; got {grid!r}")
    # Titles and labels show in the trainee's language when the catalogs have them:
    # cdatools' own (marked N_) and those the lessons pass (course strings, see i18n).
    ax.set_title(gettext(title), fontweight="bold")
    if xlabel is not None:
        ax.set_xlabel(gettext(xlabel))
    if ylabel is not None:
        ax.set_ylabel(gettext(ylabel))
    if ax.name != "polar":
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        if grid is not None:
            ax.grid(True, axis=grid, color=GREY, alpha=0.3, linewidth=0.8)
            ax.set_axisbelow(True)
    return ax
