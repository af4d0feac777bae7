"""Widget 4: a joint-action prioritiser (impact/effort matrix, ranking, a plan within budget)."""

from __future__ import annotations

import functools
import html
from typing import TYPE_CHECKING, Any

import traitlets

from cdatools.i18n import N_, gettext
from cdatools.widgets.base import PlanModel, PlanView, named, read_only_readout
from cdatools.widgets.text import TITLE_LIMIT, check_text, duplicate_message, find_same

if TYPE_CHECKING:
    from pathlib import Path

    import pandas as pd
    from matplotlib.axes import Axes

FIELDS = (
    "action_id",
    "title",
    "area",
    "expected_benefit",
    "cost_usd",
    "duration_months",
    "time_limited",
    "predatory_risk",
)
DEFAULT_BUDGET = 50_000.0
DEFAULT_CLUSTER = "Chontales"


def risk_levels() -> tuple[str, ...]:
    """Levels of predatory risk, lowest first (from :mod:`cdatools.joint_actions`)."""
    from cdatools.joint_actions import RISK_LEVELS

    return RISK_LEVELS


@functools.cache
def areas() -> tuple[str, ...]:
    """Areas of cooperation the course's data package allows, in its order."""
    from cdatools.datasets import load

    return tuple(load("joint_actions")["area"].cat.categories)


def default_actions(cluster: str = DEFAULT_CLUSTER) -> list[dict[str, Any]]:
    """The course's proposed joint actions for one cluster (synthetic data).

    Parameters
    ----------
    cluster : str
        A cluster of the course's ``joint_actions`` dataset, e.g. ``"Bagru"``, or
        ``"Lomari"``, the invented practice cluster (``scenario_joint_actions``).

    Returns
    -------
    list of dict
        One record per proposal (see :data:`FIELDS`).

    Raises
    ------
    ValueError
        If the dataset has no proposals for ``cluster``; the message lists those it has.
    """
    from cdatools.datasets import load

    actions = load("scenario_joint_actions" if cluster == "Lomari" else "joint_actions")
    chosen = actions[actions["cluster"] == cluster]
    if chosen.empty:
        known = sorted([*map(str, actions["cluster"].unique()), "Lomari"])
        known = ", ".join(repr(c) for c in known)
        raise ValueError(
            f"the course's joint_actions data have no proposals for cluster {cluster!r}; "
            f"choose one of {known}"
        )
    return [_record(row) for row in chosen.to_dict("records")]


def parse_amount(text: str, what: str, *, whole: bool = True) -> int | float:
    """Read an amount of US dollars typed by a trainee, or refuse it with a message.

    Digits, with optional thousands separators (``12,500`` or ``12 500``); a
    decimal part only when ``whole`` is False. Never guesses: ``12.5`` for a whole
    amount, ``1e3``, ``-200`` and ``abc`` are refused, naming what was typed.

    Examples
    --------
    >>> parse_amount("12,500", "the cost")
    12500
    >>> parse_amount("12.5", "the cost")
    Traceback (most recent call last):
    ...
    ValueError: the cost must be a whole number of US dollars (like 12500), not '12.5'
    """
    import re

    typed = str(text).strip()
    plain = re.sub(r"(?<=\d)[,\s\u00a0\u202f](?=\d{3}\b)", "", typed)
    pattern = r"\d+" if whole else r"\d+(\.\d+)?"
    example = "12500" if whole else "12500 or 12500.50"
    if typed.startswith("-") and re.fullmatch(pattern, plain[1:] or "x"):
        raise ValueError(
            gettext("{what} cannot be negative: {typed}").format(what=what, typed=repr(typed))
        )
    if not re.fullmatch(pattern, plain):
        message = (
            gettext("{what} must be a whole number of US dollars (like {example}), not {typed}")
            if whole
            else gettext("{what} must be a number of US dollars (like {example}), not {typed}")
        )
        example = "12500" if whole else gettext("12500 or 12500.50")
        raise ValueError(message.format(what=what, example=example, typed=repr(typed)))
    value = int(plain) if whole else float(plain)
    if value > 10**9:
        raise ValueError(
            gettext("{what} must be at most 1,000,000,000 US dollars, not {typed}").format(
                what=what, typed=repr(typed)
            )
        )
    return value


#: The areas of cooperation in words (translated when shown); others are spelled out.
AREA_LABELS = {
    "joint_training": N_("Joint training"),
    "joint_advertising": N_("Joint advertising"),
    "shared_rnd": N_("Shared research and development"),
    "common_purchasing": N_("Common purchasing"),
    "trade_fair": N_("Trade fair"),
    "quality_standard": N_("Quality standard"),
    "common_facility": N_("Common facility"),
    "joint_export_marketing": N_("Joint export marketing"),
    "credit_guarantee": N_("Credit guarantee"),
    "geographical_indication": N_("Geographical indication"),
}


def area_label(area: str) -> str:
    """An area of cooperation in words (``trade_fair`` -> ``Trade fair``)."""
    if area in AREA_LABELS:
        return gettext(AREA_LABELS[area])
    return area.replace("_", " ").capitalize()


def _record(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "action_id": str(row["action_id"]),
        "title": str(row["title"]),
        "area": str(row["area"]),
        "expected_benefit": int(row["expected_benefit"]),
        "cost_usd": int(row["cost_usd"]),
        "duration_months": int(row["duration_months"]),
        "time_limited": bool(row["time_limited"]),
        "predatory_risk": str(row["predatory_risk"]),
    }


def check_action(action: dict[str, Any]) -> dict[str, Any]:
    """Check one proposed action and return it cleaned; ValueError names what is wrong."""
    missing = [field for field in FIELDS if field not in action]
    if missing:
        raise ValueError(f"action {action.get('action_id', '?')!r} lacks {', '.join(missing)}")
    name = action["action_id"]
    if not isinstance(name, str) or not name.strip():
        raise ValueError(f"an action's id must be text, not {name!r}")
    if not isinstance(action["title"], str) or not action["title"].strip():
        raise ValueError(f"action {name!r} needs a title")
    if action["area"] not in areas():
        raise ValueError(
            f"action {name!r}: area {action['area']!r} is not one of {', '.join(areas())}"
        )
    if action["predatory_risk"] not in risk_levels():
        raise ValueError(
            f"action {name!r}: risk {action['predatory_risk']!r} must be low, medium or high"
        )
    for field, low, high in (
        ("expected_benefit", 1, 10),
        ("cost_usd", 0, 10**9),
        ("duration_months", 1, 120),
    ):
        value = action[field]
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise ValueError(
                f"action {name!r}: {field} must be a whole number {low}-{high}, not {value!r}"
            )
    if not isinstance(action["time_limited"], bool):
        raise ValueError(f"action {name!r}: time_limited must be true or false")
    return _record(action)


class JointActionModel(PlanModel):
    """Proposed joint actions, ranked by the course's rule, and a plan within a budget.

    Parameters
    ----------
    save_path : str or pathlib.Path, optional
        Where the proposals are saved (default ``my-work/joint_actions.json``).
    cluster : str
        Whose proposals from the course's synthetic ``joint_actions`` data the widget
        starts from when nothing is saved yet (default ``"Chontales"``); ``"Lomari"``
        starts from the invented practice cluster's ``scenario_joint_actions``.

    Attributes
    ----------
    actions : list of dict
        One record per proposal (see :data:`FIELDS`).
    budget : float
        Money available for joint actions, in US dollars.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> model = JointActionModel(save_path=pathlib.Path(tempfile.mkdtemp()) / "j.json")
    >>> model.budget = 20_000
    >>> model.portfolio().spent <= 20_000
    True
    """

    kind = "joint_actions"
    state_traits = ("actions", "budget")
    figure_size = (5.4, 4.6)
    figure_title = N_("Impact/effort matrix of the proposed joint actions (ringed: in the plan)")

    actions = traitlets.List(traitlets.Dict())
    budget = traitlets.Float(DEFAULT_BUDGET)

    def __init__(
        self, save_path: str | Path | None = None, *, cluster: str = DEFAULT_CLUSTER
    ) -> None:
        super().__init__(save_path=save_path, actions=default_actions(cluster))

    @traitlets.validate("budget")
    def _check_budget(self, proposal: dict[str, Any]) -> float:
        if proposal["value"] < 0:
            raise traitlets.TraitError(
                gettext("the budget must be 0 or more, not {budget}").format(
                    budget=proposal["value"]
                )
            )
        return float(proposal["value"])

    def set_action(self, **action: Any) -> None:
        """Add a proposal, or replace the one with the same ``action_id``."""
        title = check_text(action.get("title"), gettext("a proposal's title"), TITLE_LIMIT)
        record = check_action({**action, "title": title})
        others = [a["title"] for a in self.actions if a["action_id"] != record["action_id"]]
        same = find_same(title, others)
        if same is not None:
            raise ValueError(duplicate_message(title, same, gettext("a proposal")))
        ids = [a["action_id"] for a in self.actions]
        if record["action_id"] in ids:
            self.actions = [
                record if a["action_id"] == record["action_id"] else a for a in self.actions
            ]
        else:
            self.actions = [*self.actions, record]

    def remove_action(self, action_id: str) -> None:
        """Drop a proposal."""
        if action_id not in [a["action_id"] for a in self.actions]:
            raise ValueError(gettext("no action {action}").format(action=repr(action_id)))
        self.actions = [a for a in self.actions if a["action_id"] != action_id]

    def next_id(self) -> str:
        """A free action id for a new proposal."""
        taken = {a["action_id"] for a in self.actions}
        number = len(taken) + 1
        while f"NEW{number:02d}" in taken:
            number += 1
        return f"NEW{number:02d}"

    def frame(self) -> pd.DataFrame:
        import pandas as pd

        return pd.DataFrame(self.actions, columns=list(FIELDS))

    def ranking(self) -> pd.DataFrame:
        """Proposals in rank order (:func:`cdatools.joint_actions.rank_actions`)."""
        from cdatools.joint_actions import rank_actions

        return rank_actions(self.frame())

    def portfolio(self):
        """The sequenced plan within the budget (see ``joint_actions.select_portfolio``).

        Worked out once per plan: the summary, the figure and the table share it.
        """
        from cdatools.joint_actions import select_portfolio

        key = (id(self.actions), self.budget)
        cached = getattr(self, "_portfolio", None)
        if cached is None or cached[0] != key or cached[1] is not self.actions:
            cached = (key, self.actions, select_portfolio(self.frame(), self.budget))
            self._portfolio = cached
        return cached[2]

    def summary(self) -> list[str]:
        if not self.actions:
            return [gettext("Add proposed joint actions to rank them.")]
        ranked = self.ranking()
        quick = ranked.loc[ranked["quadrant"] == "quick_win", "title"].tolist()
        chosen = self.portfolio()
        plan = "; ".join(
            gettext("{order}. {title} (months {start}-{end})").format(
                order=row.order, title=row.title, start=row.start_month, end=row.end_month
            )
            for row in chosen.plan.itertuples()
        )
        lines = [
            gettext("Quick wins (high impact, low effort): {actions}.").format(
                actions="; ".join(quick) if quick else gettext("none")
            ),
            gettext("Plan within {budget} USD: {plan}. Spent {spent} USD.").format(
                budget=f"{self.budget:,.0f}",
                plan=plan or gettext("no proposal fits this budget"),
                spent=f"{chosen.spent:,.0f}",
            ),
        ]
        lines += [
            gettext("Left out: {action}, {reason}.").format(action=row.action_id, reason=row.reason)
            for row in chosen.left_out.itertuples()
        ]
        return lines

    def table(self) -> pd.DataFrame:
        if not self.actions:
            import pandas as pd

            return pd.DataFrame(columns=["order", *FIELDS])
        chosen = self.portfolio()
        plan = chosen.plan.assign(status="in the plan")
        left = self.ranking().merge(chosen.left_out[["action_id", "reason"]], on="action_id")
        left = left.assign(status="left out")
        import pandas as pd

        return pd.concat([plan, left], ignore_index=True)

    def draw(self, ax: Axes) -> Axes:
        from cdatools.joint_actions import plot_matrix

        if not self.actions:
            ax.set_axis_off()
            ax.text(0.5, 0.5, gettext("No proposals yet"), ha="center", va="center")
            return ax
        ax = plot_matrix(self.frame(), ax=ax)
        _spread_labels(ax)
        for text in ax.texts:
            if text.get_transform() == ax.transAxes:  # quadrant names: contrast >= 4.5:1
                text.set_color("#4D4D4D")
        chosen = self.portfolio().plan
        rings = ax.scatter(
            chosen["effort"],
            chosen["impact"],
            s=260,
            facecolors="none",
            edgecolors="black",
            linewidths=1.4,
            label=gettext("in the plan (within the budget)"),
            zorder=4,
        )
        rings.set_gid("plan-rings")
        ax.legend(
            title=gettext("Predatory risk"),
            loc="upper center",
            bbox_to_anchor=(0.5, -0.14),
            ncols=2,
            frameon=False,
            fontsize=8,
        )
        return ax

    def layout_key(self) -> object:
        """Everything but the budget: a new budget only moves the rings."""
        import json

        return json.dumps(self.actions, sort_keys=True)

    def quick_artists(self, fig) -> list | None:
        ax = fig.axes[0]
        rings = [c for c in ax.collections if c.get_gid() == "plan-rings"]
        return [(ax, rings[0])] if rings else None

    def update_quick(self, fig, artists: list) -> None:
        import numpy as np

        chosen = self.portfolio().plan
        points = np.column_stack([chosen["effort"], chosen["impact"]]) if len(chosen) else []
        artists[0][1].set_offsets(np.asarray(points, dtype=float).reshape(-1, 2))

    def to_state(self) -> dict[str, Any]:
        return {"budget": self.budget, "actions": [dict(a) for a in self.actions]}

    def parse_state(self, state: dict[str, Any]) -> dict[str, Any]:
        budget = state["budget"]
        if isinstance(budget, bool) or not isinstance(budget, (int, float)) or budget < 0:
            raise ValueError(f"'budget' must be a number 0 or more, not {budget!r}")
        actions = [check_action(action) for action in state["actions"]]
        ids = [a["action_id"] for a in actions]
        if len(set(ids)) != len(ids):
            raise ValueError("two actions share an action_id")
        return {"budget": float(budget), "actions": actions}


def _spread_labels(ax) -> None:
    """Place the labels of points that sit close together around them, so none covers another."""
    places = [(8, 7, "left"), (8, -13, "left"), (0, 12, "center"), (0, -18, "center")]
    labels = [t for t in ax.texts if t.get_transform() != ax.transAxes and hasattr(t, "xy")]
    placed: list[tuple[float, float]] = []
    for text in sorted(labels, key=lambda t: t.xy[0]):
        x, y = text.xy
        count = sum(abs(x - px) < 1.0 and abs(y - py) < 0.6 for px, py in placed)
        placed.append((x, y))
        dx, dy, align = places[count % len(places)]
        text.set_position((dx, dy - 10 * (count // len(places))))
        text.set_horizontalalignment(align)
        text.set_fontsize(7)
        text.set_bbox(
            {"boxstyle": "round,pad=0.1", "facecolor": "white", "edgecolor": "none", "alpha": 0.8}
        )
        text.set_zorder(6)


class JointActionPrioritiser(PlanView):
    """Rank proposed joint actions and choose a plan within a budget.

    Pick a proposal to edit it (or *New proposal*), set its benefit, cost, duration,
    time limit and risk of predatory behaviour, and press *Save proposal*. The
    impact/effort matrix, the quick wins and the sequenced plan update at once.

    Parameters
    ----------
    save_path : str or pathlib.Path, optional
        Where the proposals are saved (default ``my-work/joint_actions.json``).
    cluster : str
        Whose proposals from the course's synthetic data to start from when nothing
        is saved yet (default ``"Chontales"``; also ``"Atuntaqui"``, ``"Bagru"``,
        ``"Senegal"``, and ``"Lomari"``, the course's invented practice cluster).
    """

    def __init__(
        self, save_path: str | Path | None = None, *, cluster: str = DEFAULT_CLUSTER
    ) -> None:
        import ipywidgets

        self.model = JointActionModel(save_path=save_path, cluster=cluster)
        self._setup()
        wide = {"description_width": "130px"}
        full = ipywidgets.Layout(width="100%")
        self._budget = named(
            ipywidgets.Text(
                value=f"{self.model.budget:,.0f}",
                description=gettext("Budget (USD)"),
                continuous_update=False,
                style=wide,
                layout=full,
            ),
            gettext("Budget for joint actions in US dollars (press Enter to apply)"),
        )
        self._budget_message = ipywidgets.HTML()
        self._budget_message.add_class("cda-status")
        self._choice = named(
            ipywidgets.Dropdown(description=gettext("Proposal"), style=wide, layout=full),
            gettext("Proposal to edit, or New proposal"),
        )
        self._dirty = ipywidgets.HTML()
        self._title = named(
            ipywidgets.Text(description=gettext("Title"), style=wide, layout=full),
            gettext("Title of the proposal"),
        )
        self._area = named(
            ipywidgets.Dropdown(
                options=[(area_label(a), a) for a in areas()],
                description=gettext("Area"),
                style=wide,
                layout=full,
            ),
            gettext("Area of cooperation of the proposal"),
        )
        self._benefit = named(
            read_only_readout(
                ipywidgets.IntSlider(
                    min=1, max=10, description=gettext("Expected benefit"), style=wide, layout=full
                )
            ),
            gettext("Expected benefit, 1 little to 10 large"),
        )
        self._cost = named(
            ipywidgets.Text(
                description=gettext("Cost (USD)"),
                placeholder=gettext("whole dollars, e.g. 12500"),
                style=wide,
                layout=full,
            ),
            gettext("Cost of the proposal in whole US dollars"),
        )
        self._cost_message = ipywidgets.HTML()
        self._cost_message.add_class("cda-status")
        self._duration = named(
            read_only_readout(
                ipywidgets.IntSlider(
                    min=1, max=60, description=gettext("Duration (months)"), style=wide, layout=full
                )
            ),
            gettext("Duration of the proposal in months, 1 to 60"),
        )
        self._limited = named(
            ipywidgets.Checkbox(
                description=gettext("Time-limited (has an end date)"), indent=False
            ),
            gettext("Time-limited: the proposal has an end date"),
        )
        self._risk = named(
            ipywidgets.RadioButtons(
                options=[
                    (gettext("Low"), "low"),
                    (gettext("Medium"), "medium"),
                    (gettext("High"), "high"),
                ],
                description=gettext("Predatory risk"),
                orientation="horizontal",
                style=wide,
                layout=full,
            ),
            gettext("Risk that partners copy secrets or steal clients"),
        )
        save = named(
            ipywidgets.Button(
                description=gettext("Save proposal"), icon="check", button_style="primary"
            ),
            gettext("Save proposal: store the values above"),
        )
        new = named(
            ipywidgets.Button(description=gettext("New proposal"), icon="plus"),
            gettext("New proposal: start a blank one"),
        )
        self._delete_button = named(
            ipywidgets.Button(description=gettext("Delete proposal"), icon="trash"),
            gettext("Delete the chosen proposal (asks first)"),
        )
        self._shown: str | None = None
        self._choice.observe(self._chosen, names="value")
        save.on_click(lambda _: self._save())
        new.on_click(lambda _: self._new())
        self._delete_button.on_click(lambda _: self._delete())
        self._budget.observe(self._budget_changed, names="value")
        for field in (
            self._title,
            self._area,
            self._benefit,
            self._cost,
            self._duration,
            self._limited,
            self._risk,
        ):
            field.observe(self._mark_unsaved, names="value")
        self.model.observe(self._actions_changed, names="actions")
        self._actions_changed()
        first = self.model.actions[0]["action_id"] if self.model.actions else NEW
        self._choice.value = first
        self._load(first)
        super().__init__()
        row = {"flex_flow": "row wrap"}
        self._assemble(
            gettext("Joint-action prioritiser"),
            [
                self._budget,
                self._budget_message,
                self._choice,
                self._dirty,
                self._title,
                self._area,
                self._benefit,
                self._cost,
                self._cost_message,
                self._duration,
                self._limited,
                self._risk,
                ipywidgets.HBox([save, new, self._delete_button], layout=row),
            ],
        )

    # ------------------------------------------------------------- the form
    def _labels(self) -> list[tuple[str, str]]:
        return [(gettext("New proposal (blank form)"), NEW)] + [
            (f"{a['action_id']}: {a['title']}", a["action_id"]) for a in self.model.actions
        ]

    def _record(self, action_id: str) -> dict[str, Any] | None:
        return next((a for a in self.model.actions if a["action_id"] == action_id), None)

    def _form(self) -> dict[str, Any]:
        return {
            "title": self._title.value,
            "area": self._area.value,
            "expected_benefit": self._benefit.value,
            "cost": self._cost.value.strip(),
            "duration_months": self._duration.value,
            "time_limited": self._limited.value,
            "predatory_risk": self._risk.value,
        }

    def _blank_form(self) -> dict[str, Any]:
        return {
            "title": "",
            "area": areas()[0],
            "expected_benefit": 5,
            "cost": "",
            "duration_months": 6,
            "time_limited": True,
            "predatory_risk": "low",
        }

    def _saved_form(self, action_id: str | None) -> dict[str, Any]:
        record = self._record(action_id) if action_id else None
        if record is None:
            return self._blank_form()
        return {
            "title": record["title"],
            "area": record["area"],
            "expected_benefit": record["expected_benefit"],
            "cost": str(record["cost_usd"]),
            "duration_months": record["duration_months"],
            "time_limited": record["time_limited"],
            "predatory_risk": record["predatory_risk"],
        }

    def _load(self, action_id: str | None) -> None:
        values = self._saved_form(action_id)
        self._loading = True
        try:
            self._title.value = values["title"]
            self._area.value = values["area"] if values["area"] in areas() else areas()[0]
            self._benefit.value = values["expected_benefit"]
            self._cost.value = values["cost"]
            self._duration.value = min(max(values["duration_months"], 1), 60)
            self._limited.value = values["time_limited"]
            self._risk.value = values["predatory_risk"]
        finally:
            self._loading = False
        self._shown = action_id
        self._cost_message.value = ""
        self._mark_unsaved()

    def _unsaved(self) -> bool:
        return self._form() != self._saved_form(self._shown)

    def _mark_unsaved(self, change: dict[str, Any] | None = None) -> None:
        if getattr(self, "_loading", False):
            return
        if self._unsaved():
            what = (
                self._shown if self._shown and self._shown != NEW else gettext("the new proposal")
            )
            head = html.escape(gettext("Unsaved changes"))
            rest = html.escape(gettext("to {what}: press {button} to keep them.")).format(
                what=html.escape(what), button=f"<i>{html.escape(gettext('Save proposal'))}</i>"
            )
            self._dirty.value = f"<div style='color:#8A4B00'><b>&#9998; {head}</b> {rest}</div>"
        else:
            self._dirty.value = ""
        self._delete_button.disabled = self._shown in (None, NEW)

    def _chosen(self, change: dict[str, Any]) -> None:
        if getattr(self, "_switching", False) or change["new"] == self._shown:
            return
        target = change["new"]
        if self._unsaved():
            previous = self._shown
            self._switching = True
            try:
                self._choice.value = previous
            finally:
                self._switching = False
            what = previous if previous and previous != NEW else gettext("the new proposal")
            self._ask(
                gettext(
                    "Your changes to {what} are not saved. Discard them and open another proposal?"
                ).format(what=what),
                gettext("Yes, discard changes"),
                lambda: self._switch(target),
            )
            return
        self._load(target)

    def _switch(self, target: str) -> None:
        self._switching = True
        try:
            self._choice.value = target
        finally:
            self._switching = False
        self._load(target)
        self._say(gettext("Your unsaved changes were discarded."))

    def _new(self) -> None:
        if self._shown == NEW:
            self._load(NEW)
            return
        self._choice.value = NEW  # asks first when there are unsaved changes

    def _save(self) -> None:
        try:
            cost = parse_amount(self._cost.value, gettext("the cost"))
        except ValueError as error:
            not_saved = gettext("Not saved:")
            self._cost_message.value = f"<b>{html.escape(not_saved)}</b> {html.escape(str(error))}"
            self._say(f"{not_saved} {error}", "error")
            return
        self._cost_message.value = ""
        action_id = self._shown if self._shown not in (None, NEW) else self.model.next_id()
        saved = self._act(
            lambda: self.model.set_action(
                action_id=action_id,
                title=self._title.value,
                area=self._area.value,
                expected_benefit=self._benefit.value,
                cost_usd=cost,
                duration_months=self._duration.value,
                time_limited=self._limited.value,
                predatory_risk=self._risk.value,
            ),
            done=gettext("Saved {action}.").format(action=action_id),
        )
        if saved:
            self._switching = True
            try:
                self._choice.value = action_id
            finally:
                self._switching = False
            self._load(action_id)

    def _delete(self) -> None:
        removed = self._shown
        if removed in (None, NEW):
            self._say(gettext("choose a saved proposal to delete"), "error")
            return
        title = self._record(removed)["title"]
        self._ask(
            gettext("Delete {action} ({title})?").format(action=removed, title=title),
            gettext("Yes, delete"),
            lambda: self._delete_now(removed),
        )

    def _delete_now(self, removed: str) -> None:
        if self._act(
            self.model.remove_action,
            removed,
            done=gettext(
                "Deleted {action}. Undo last change brings it back; no other proposal is selected."
            ).format(action=removed),
        ):
            self._switching = True
            try:
                self._choice.value = NEW
            finally:
                self._switching = False
            self._load(NEW)

    def _actions_changed(self, change: dict[str, Any] | None = None) -> None:
        current = self._choice.value
        self._switching = True
        try:
            self._choice.options = self._labels()
            ids = [a["action_id"] for a in self.model.actions]
            self._choice.value = current if current in ids else NEW
        finally:
            self._switching = False
        if self._choice.value != self._shown:
            self._load(self._choice.value)

    def _after_undo(self) -> None:
        self._budget.value = f"{self.model.budget:,.0f}"
        self._load(self._shown)

    def _budget_changed(self, change: dict[str, Any]) -> None:
        try:
            budget = parse_amount(change["new"], gettext("the budget"), whole=False)
        except ValueError as error:
            head = html.escape(gettext("Budget not changed:"))
            self._budget_message.value = f"<b>{head}</b> {html.escape(str(error))}"
            return
        self._budget_message.value = ""
        if budget != self.model.budget:
            self.model.budget = budget
            self._say(gettext("Budget set to {budget} USD.").format(budget=f"{budget:,.0f}"))


#: The Proposal menu's value for a new, blank proposal.
NEW = ""
