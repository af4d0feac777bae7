"""Widget 2: a governance self-assessment (six characteristics per stakeholder group)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import traitlets

from cdatools.i18n import N_, gettext
from cdatools.widgets.base import PlanModel, PlanView, named, read_only_readout
from cdatools.widgets.text import check_text, duplicate_message, figure_text, find_same

if TYPE_CHECKING:
    from pathlib import Path

    import pandas as pd
    from matplotlib.axes import Axes

#: The groups a new assessment starts with (named in the trainee's language when created).
DEFAULT_GROUPS = (
    N_("Small firms"),
    N_("Large firms"),
    N_("Business associations"),
    N_("Local government"),
)
#: The six characteristics' names as cdatools.governance spells them, for the catalogs.
_LABELS_FOR_CATALOGS = (
    N_("Representative"),
    N_("Responsive"),
    N_("Strategic"),
    N_("Legitimate"),
    N_("Leads joint action"),
    N_("Self-sustaining"),
)
#: A rating at or below this is a weak point of the governance system.
WEAK = 2
#: Groups whose ratings of one characteristic differ by this much see it differently.
DISAGREEMENT = 2


def default_groups(cluster: str | None = None) -> list[str]:
    """The stakeholder groups a new assessment starts with, each to be rated 3 on everything.

    Parameters
    ----------
    cluster : str, optional
        None for four general example groups; ``"Lomari"`` for the firm groups of the
        course's invented practice cluster (its ``entrepreneurs`` stakeholders except the
        association, whose working is what they rate), by their short names.

    Returns
    -------
    list of str
        The groups' names.

    Raises
    ------
    ValueError
        If ``cluster`` is another value; the message names it and what is accepted.

    Examples
    --------
    >>> default_groups("Lomari")
    ['Tanneries', 'Shoe workshops', 'Shoe factory', 'Bag makers', 'Traders']
    """
    if cluster is None:
        return [gettext(g) for g in DEFAULT_GROUPS]
    if cluster != "Lomari":
        raise ValueError(
            gettext(
                "the governance assessment has starting groups for cluster 'Lomari' only "
                "(or None for the general example), not {cluster}"
            ).format(cluster=repr(cluster))
        )
    from cdatools.datasets import load

    people = load("scenario_stakeholders")
    firms = people[
        (people["commission_category"] == "entrepreneurs")
        & (people["org_type"] != "business association")
    ]
    return [str(name) for name in firms["short_name"]]


def _characteristics() -> tuple[str, ...]:
    from cdatools.governance import CHARACTERISTICS

    return CHARACTERISTICS


def _label(characteristic: str) -> str:
    from cdatools.governance import CHARACTERISTIC_LABELS

    return gettext(CHARACTERISTIC_LABELS.get(characteristic, characteristic))


def governance_gaps(ratings: dict[str, dict[str, int]]) -> list[str]:
    """The weak points and disagreements in a set of ratings, in plain words.

    Parameters
    ----------
    ratings : dict
        ``{group: {characteristic: rating 1-5}}``.

    Returns
    -------
    list of str
        One sentence per characteristic rated weak (2 or lower) by some group, and per
        characteristic on which groups differ by 2 points or more.

    Examples
    --------
    >>> ratings = {"Small firms": {"representative": 1}, "Large firms": {"representative": 4}}
    >>> for line in governance_gaps(ratings):
    ...     print(line)
    Weak: Representative, rated 1 by Small firms.
    Groups disagree on Representative: from 1 (Small firms) to 4 (Large firms).
    """
    weak, disagree = [], []
    characteristics = {c for scores in ratings.values() for c in scores}
    for characteristic in [c for c in _characteristics() if c in characteristics]:
        scores = {g: s[characteristic] for g, s in ratings.items() if characteristic in s}
        low = [
            gettext("{score} by {group}").format(score=score, group=group)
            for group, score in scores.items()
            if score <= WEAK
        ]
        if low:
            weak.append(
                gettext("Weak: {characteristic}, rated {ratings}.").format(
                    characteristic=_label(characteristic), ratings="; ".join(low)
                )
            )
        lowest = min(scores, key=scores.get)
        highest = max(scores, key=scores.get)
        if scores[highest] - scores[lowest] >= DISAGREEMENT:
            disagree.append(
                gettext(
                    "Groups disagree on {characteristic}: from {low} ({low_group}) "
                    "to {high} ({high_group})."
                ).format(
                    characteristic=_label(characteristic),
                    low=scores[lowest],
                    low_group=lowest,
                    high=scores[highest],
                    high_group=highest,
                )
            )
    return weak + disagree


class GovernanceModel(PlanModel):
    """Ratings of the six governance characteristics by stakeholder group.

    Parameters
    ----------
    save_path : str or pathlib.Path, optional
        Where the ratings are saved (default ``my-work/governance.json``).
    cluster : str, optional
        ``"Lomari"`` starts from the invented practice cluster's firm groups
        (see :func:`default_groups`); by default four general example groups.

    Attributes
    ----------
    ratings : dict
        ``{group: {characteristic: rating 1-5}}``; every group rates all six.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> model = GovernanceModel(save_path=pathlib.Path(tempfile.mkdtemp()) / "g.json")
    >>> model.rate("Small firms", "representative", 1)
    >>> model.gaps()[0]
    'Weak: Representative, rated 1 by Small firms.'
    """

    kind = "governance"
    state_traits = ("ratings",)
    figure_size = (5.0, 4.9)
    figure_title = N_("Radar chart: how each stakeholder group rates the governance system")

    ratings = traitlets.Dict()

    def __init__(self, save_path: str | Path | None = None, *, cluster: str | None = None) -> None:
        start = {g: dict.fromkeys(_characteristics(), 3) for g in default_groups(cluster)}
        super().__init__(save_path=save_path, ratings=start)

    def rate(self, group: str, characteristic: str, rating: int) -> None:
        """Set one group's rating (1 = very poor, 5 = very good) of one characteristic."""
        if group not in self.ratings:
            raise ValueError(
                gettext("no group {group}; add it first (groups: {groups})").format(
                    group=repr(group), groups=", ".join(self.ratings)
                )
            )
        if characteristic not in _characteristics():
            raise ValueError(
                gettext("unknown characteristic {characteristic}; expected one of {known}").format(
                    characteristic=repr(characteristic), known=", ".join(_characteristics())
                )
            )
        if isinstance(rating, bool) or not isinstance(rating, int) or not 1 <= rating <= 5:
            raise ValueError(
                gettext("a rating must be a whole number 1-5, not {rating}").format(
                    rating=repr(rating)
                )
            )
        updated = {g: dict(s) for g, s in self.ratings.items()}
        updated[group][characteristic] = rating
        self.ratings = updated

    def add_group(self, group: str) -> None:
        """Add a stakeholder group, with every characteristic rated 3 to start."""
        group = check_text(group, gettext("a group's name"))
        same = find_same(group, list(self.ratings))
        if same is not None:
            raise ValueError(duplicate_message(group, same, gettext("a group")))
        self.ratings = {**self.ratings, group: dict.fromkeys(_characteristics(), 3)}

    def remove_group(self, group: str) -> None:
        """Remove a stakeholder group and its ratings."""
        if group not in self.ratings:
            raise ValueError(gettext("no group {group}").format(group=repr(group)))
        if len(self.ratings) == 1:
            raise ValueError(gettext("keep at least one group"))
        self.ratings = {g: s for g, s in self.ratings.items() if g != group}

    def scorecard(self) -> pd.DataFrame:
        """The ratings as a :func:`cdatools.governance.scorecard` table."""
        import pandas as pd

        from cdatools.governance import scorecard

        rows = [{"category": group, **scores} for group, scores in self.ratings.items()]
        return scorecard(pd.DataFrame(rows))

    def gaps(self) -> list[str]:
        """Weak points and disagreements, in words (see :func:`governance_gaps`)."""
        return governance_gaps(self.ratings)

    def summary(self) -> list[str]:
        return self.gaps() or [
            gettext("No weak points: every group rates every characteristic 3 or more.")
        ]

    def table(self) -> pd.DataFrame:
        card = self.scorecard().drop(columns="respondents").reset_index()
        card["weakest"] = [
            min(_characteristics(), key=lambda c, g=group: self.ratings[g][c])
            for group in card["category"]
        ]
        return card

    def draw(self, ax: Axes) -> Axes:
        from cdatools.governance import plot_radar

        card = self.scorecard()
        card.index = [_wrap(figure_text(str(group))) for group in card.index]
        ax = plot_radar(card, ax=ax, title=gettext("How each group rates\nthe governance system"))
        # Groups differ by line style and marker as well as colour.
        styles = ["-", "--", ":", "-."]
        markers = ["o", "s", "^", "D", "v", "P"]
        for number, line in enumerate(ax.lines):
            line.set_linestyle(styles[number % len(styles)])
            line.set_marker(markers[number % len(markers)])
            line.set_markersize(4)
        for text in list(ax.texts):  # the radius note moves into the legend's title
            text.remove()
        ax.legend(
            frameon=False,
            loc="upper center",
            bbox_to_anchor=(0.5, -0.08),
            ncols=2,
            title=gettext("Group (radius: score, 1 weak to 5 strong)"),
            title_fontsize=9,
            fontsize=8,
        )
        for label in ax.get_xticklabels():
            label.set_fontsize(8)
        ax.title.set_fontsize(11)
        return ax

    def populate(self, fig) -> None:
        self.draw(fig.add_subplot(projection="polar"))

    def layout_key(self) -> object:
        return tuple(self.ratings)

    def quick_artists(self, fig) -> list:
        """Each group's outline and fill: all a change of rating moves."""
        ax = fig.axes[0]
        return [(ax, artist) for artist in [*ax.lines, *ax.patches]]

    def update_quick(self, fig, artists: list) -> None:
        import numpy as np

        card = self.scorecard()
        columns = list(_characteristics())
        angles = np.linspace(0, 2 * np.pi, len(columns), endpoint=False)
        closed = np.append(angles, angles[0])
        lines = [a for _, a in artists if a in fig.axes[0].lines]
        fills = [a for _, a in artists if a in fig.axes[0].patches]
        for group, line, fill in zip(card.index, lines, fills, strict=True):
            values = card.loc[group, columns].to_numpy(dtype=float)
            ring = np.append(values, values[0])
            line.set_data(closed, ring)
            fill.set_xy(np.column_stack([closed, ring]))

    def to_state(self) -> dict[str, Any]:
        return {"ratings": {g: dict(s) for g, s in self.ratings.items()}}

    def parse_state(self, state: dict[str, Any]) -> dict[str, Any]:
        ratings = state["ratings"]
        if not isinstance(ratings, dict) or not ratings:
            raise ValueError("'ratings' must map at least one group to its ratings")
        for group, scores in ratings.items():
            if set(scores) != set(_characteristics()):
                raise ValueError(f"group {group!r} must rate exactly the six characteristics")
            for characteristic, rating in scores.items():
                if isinstance(rating, bool) or not isinstance(rating, int) or not 1 <= rating <= 5:
                    raise ValueError(f"{group}/{characteristic}: rating {rating!r} is not 1-5")
        return {"ratings": ratings}


def _wrap(text: str, width: int = 24) -> str:
    import textwrap

    return "\n".join(textwrap.wrap(text, width, break_long_words=True)) or text


class GovernanceAssessment(PlanView):
    """Rate a cluster's governance system by stakeholder group, and see the gaps.

    Choose a group, set its six ratings with the sliders (1 = very poor, 5 = very
    good); the radar chart and the list of weak points update at once.

    Parameters
    ----------
    save_path : str or pathlib.Path, optional
        Where the ratings are saved (default ``my-work/governance.json``).
    cluster : str, optional
        ``"Lomari"`` starts from the invented practice cluster's firm groups.
    """

    def __init__(self, save_path: str | Path | None = None, *, cluster: str | None = None) -> None:
        import html

        import ipywidgets

        self.model = GovernanceModel(save_path=save_path, cluster=cluster)
        self._setup()
        groups = list(self.model.ratings)
        self._group = named(
            ipywidgets.Dropdown(
                options=groups,
                value=groups[0],
                description=gettext("Stakeholder group"),
                style={"description_width": "initial"},
                layout=ipywidgets.Layout(width="100%"),
            ),
            gettext("Stakeholder group whose ratings the sliders show"),
        )
        self._sliders = {}
        for characteristic in _characteristics():
            slider = ipywidgets.IntSlider(
                min=1,
                max=5,
                description=_label(characteristic),
                continuous_update=False,
                style={"description_width": "170px"},
                layout=ipywidgets.Layout(width="100%"),
            )
            read_only_readout(slider)
            named(
                slider,
                gettext("{characteristic}, 1 very poor to 5 very good").format(
                    characteristic=_label(characteristic)
                ),
            )
            self._sliders[characteristic] = slider
        self._new_group = named(
            ipywidgets.Text(
                description=gettext("New group"),
                placeholder=gettext("e.g. women entrepreneurs"),
                layout=ipywidgets.Layout(width="100%"),
            ),
            gettext("Name of a new stakeholder group"),
        )
        add = named(
            ipywidgets.Button(description=gettext("Add group"), icon="plus"),
            gettext("Add group: the group named in New group"),
        )
        remove = named(
            ipywidgets.Button(description=gettext("Remove group"), icon="trash"),
            gettext("Remove group: the group chosen in Stakeholder group, with its ratings"),
        )
        self._group.observe(self._show_group, names="value")
        for characteristic, slider in self._sliders.items():
            slider.observe(
                lambda change, c=characteristic: self._rated(c, change["new"]), names="value"
            )
        add.on_click(lambda _: self._add())
        remove.on_click(lambda _: self._remove())
        self.model.observe(self._groups_changed, names="ratings")
        super().__init__()
        self._show_group()
        self._assemble(
            gettext("Governance self-assessment"),
            [
                self._group,
                ipywidgets.HTML(
                    "<small>"
                    + html.escape(
                        gettext("1 = very poor, 5 = very good (arrow keys move a slider)")
                    )
                    + "</small>"
                ),
                *self._sliders.values(),
                self._new_group,
                ipywidgets.HBox([add, remove], layout={"flex_flow": "row wrap"}),
            ],
        )

    def _add(self) -> None:
        name = self._new_group.value.strip()
        done = gettext("Added the group {group}.").format(group=name)
        if self._act(self.model.add_group, self._new_group.value, done=done):
            self._new_group.value = ""
            self._group.value = name

    def _remove(self) -> None:
        group = self._group.value
        if group is None:
            self._say(gettext("choose a group to remove"), "error")
            return
        self._ask(
            gettext("Remove the group {group} and its six ratings?").format(group=group),
            gettext("Yes, remove"),
            lambda: self._act(
                self.model.remove_group,
                group,
                done=gettext("Removed {group}. Undo last change brings the group back.").format(
                    group=group
                ),
            ),
        )

    def _rated(self, characteristic: str, rating: int) -> None:
        group = self._group.value
        if group is not None and self.model.ratings[group][characteristic] != rating:
            self.model.rate(group, characteristic, rating)
            self._say(
                gettext("{group}: {characteristic} rated {rating}.").format(
                    group=group, characteristic=_label(characteristic), rating=rating
                )
            )

    def _show_group(self, change: dict[str, Any] | None = None) -> None:
        scores = self.model.ratings.get(self._group.value, {})
        for characteristic, slider in self._sliders.items():
            if characteristic in scores:
                slider.value = scores[characteristic]

    def _groups_changed(self, change: dict[str, Any]) -> None:
        if list(self._group.options) != list(self.model.ratings):
            current = self._group.value
            self._group.options = list(self.model.ratings)
            self._group.value = current if current in self.model.ratings else self._group.options[0]
        self._show_group()
