"""Widget 4: a joint-action prioritiser (impact/effort matrix, ranking, a plan within budget)."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

import traitlets

from cdatools.widgets.base import PlanModel, PlanView

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
    """The course's proposed joint actions for one cluster (synthetic data)."""
    from cdatools.datasets import load

    actions = load("joint_actions")
    chosen = actions[actions["cluster"] == cluster]
    return [_record(row) for row in chosen.to_dict("records")]


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
    if not str(action["title"]).strip():
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
    """Proposed joint actions, ranked the module's way, and a plan within a budget.

    Parameters
    ----------
    save_path : str or pathlib.Path, optional
        Where the proposals are saved (default ``my-work/joint_actions.json``).

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
    figure_size = (7.0, 5.0)

    actions = traitlets.List(traitlets.Dict())
    budget = traitlets.Float(DEFAULT_BUDGET)

    def __init__(self, save_path: str | Path | None = None) -> None:
        super().__init__(save_path=save_path, actions=default_actions())

    @traitlets.validate("budget")
    def _check_budget(self, proposal: dict[str, Any]) -> float:
        if proposal["value"] < 0:
            raise traitlets.TraitError(f"the budget must be 0 or more, not {proposal['value']}")
        return float(proposal["value"])

    def set_action(self, **action: Any) -> None:
        """Add a proposal, or replace the one with the same ``action_id``."""
        record = check_action(action)
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
            raise ValueError(f"no action {action_id!r}")
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
        """The sequenced plan within the budget (see ``joint_actions.select_portfolio``)."""
        from cdatools.joint_actions import select_portfolio

        return select_portfolio(self.frame(), self.budget)

    def summary(self) -> list[str]:
        if not self.actions:
            return ["Add proposed joint actions to rank them."]
        ranked = self.ranking()
        quick = ranked.loc[ranked["quadrant"] == "quick_win", "title"].tolist()
        chosen = self.portfolio()
        lines = [
            "Quick wins (high impact, low effort): "
            + ("; ".join(quick) if quick else "none")
            + ".",
            f"Plan within {self.budget:,.0f} USD: "
            + "; ".join(
                f"{row.order}. {row.title} (months {row.start_month}-{row.end_month})"
                for row in chosen.plan.itertuples()
            )
            + f". Spent {chosen.spent:,.0f} USD.",
        ]
        lines += [
            f"Left out: {row.action_id}, {row.reason}." for row in chosen.left_out.itertuples()
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
            ax.text(0.5, 0.5, "No proposals yet", ha="center", va="center")
            return ax
        ax = plot_matrix(self.frame(), ax=ax)
        chosen = self.portfolio().plan
        if len(chosen):
            ax.scatter(
                chosen["effort"],
                chosen["impact"],
                s=260,
                facecolors="none",
                edgecolors="black",
                linewidths=1.4,
                label=f"in the plan ({self.budget:,.0f} USD)",
                zorder=4,
            )
            ax.legend(title="Predatory risk", loc="upper left", bbox_to_anchor=(1.02, 1))
        return ax

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


class JointActionPrioritiser(PlanView):
    """Rank proposed joint actions and choose a plan within a budget.

    Pick a proposal to edit it (or *New proposal*), set its benefit, cost, duration,
    time limit and risk of predatory behaviour, and press *Save proposal*. The
    impact/effort matrix, the quick wins and the sequenced plan update at once.

    Parameters
    ----------
    save_path : str or pathlib.Path, optional
        Where the proposals are saved (default ``my-work/joint_actions.json``).
    """

    def __init__(self, save_path: str | Path | None = None) -> None:
        import ipywidgets

        self.model = JointActionModel(save_path=save_path)
        wide = {"description_width": "150px"}
        self._choice = ipywidgets.Dropdown(description="Proposal", style=wide)
        self._title = ipywidgets.Text(description="Title", style=wide)
        self._area = ipywidgets.Dropdown(options=areas(), description="Area", style=wide)
        self._benefit = ipywidgets.IntSlider(
            min=1,
            max=10,
            description="Expected benefit",
            style=wide,
            tooltip="1 little benefit to 10 large benefit for the cluster",
        )
        self._cost = ipywidgets.BoundedIntText(
            min=0, max=10**9, step=500, description="Cost (USD)", style=wide
        )
        self._duration = ipywidgets.IntSlider(
            min=1, max=60, description="Duration (months)", style=wide
        )
        self._limited = ipywidgets.Checkbox(description="Time-limited (has an end date)")
        self._risk = ipywidgets.ToggleButtons(
            options=risk_levels(),
            description="Predatory risk",
            style=wide,
            tooltips=[
                "Little scope for free-riding or copying",
                "Some scope",
                "Partners could copy secrets or steal clients",
            ],
        )
        save = ipywidgets.Button(description="Save proposal", tooltip="Store these values")
        new = ipywidgets.Button(description="New proposal", tooltip="Start a blank proposal")
        delete = ipywidgets.Button(description="Delete proposal", tooltip="Remove this proposal")
        self._budget = ipywidgets.BoundedFloatText(
            value=self.model.budget,
            min=0,
            max=10**9,
            step=1000,
            description="Budget (USD)",
            style=wide,
        )
        self._status = ipywidgets.Label()
        self._choice.observe(self._show, names="value")
        save.on_click(lambda _: self._save())
        new.on_click(lambda _: self._blank())
        delete.on_click(lambda _: self._delete())
        self._budget.observe(self._budget_changed, names="value")
        self.model.observe(self._actions_changed, names="actions")
        self._actions_changed()
        super().__init__()
        self._assemble(
            "Joint-action prioritiser",
            [
                self._budget,
                self._choice,
                self._title,
                self._area,
                self._benefit,
                self._cost,
                self._duration,
                self._limited,
                self._risk,
                ipywidgets.HBox([save, new, delete]),
                self._status,
            ],
        )

    def _labels(self) -> list[tuple[str, str]]:
        return [(f"{a['action_id']}: {a['title']}", a["action_id"]) for a in self.model.actions]

    def _actions_changed(self, change: dict[str, Any] | None = None) -> None:
        current = self._choice.value
        self._choice.options = self._labels()
        ids = [a["action_id"] for a in self.model.actions]
        if current in ids:
            self._choice.value = current

    def _show(self, change: dict[str, Any]) -> None:
        for action in self.model.actions:
            if action["action_id"] == change["new"]:
                self._title.value = action["title"]
                self._area.value = action["area"]
                self._benefit.value = action["expected_benefit"]
                self._cost.value = action["cost_usd"]
                self._duration.value = action["duration_months"]
                self._limited.value = action["time_limited"]
                self._risk.value = action["predatory_risk"]

    def _blank(self) -> None:
        self._editing_new = self.model.next_id()
        self._choice.value = None
        self._title.value = ""
        self._status.value = f"New proposal {self._editing_new}: fill it in, then Save proposal."

    def _save(self) -> None:
        action_id = (
            self._choice.value or getattr(self, "_editing_new", None) or self.model.next_id()
        )
        try:
            self.model.set_action(
                action_id=action_id,
                title=self._title.value,
                area=self._area.value,
                expected_benefit=self._benefit.value,
                cost_usd=self._cost.value,
                duration_months=self._duration.value,
                time_limited=self._limited.value,
                predatory_risk=self._risk.value,
            )
        except ValueError as error:
            self._status.value = f"Not saved: {error}"
            return
        self._editing_new = None
        self._choice.value = action_id
        self._status.value = f"Saved {action_id}."

    def _delete(self) -> None:
        if self._choice.value is None:
            self._status.value = "Choose a proposal to delete."
            return
        removed = self._choice.value
        self.model.remove_action(removed)
        self._status.value = f"Deleted {removed}."

    def _budget_changed(self, change: dict[str, Any]) -> None:
        self.model.budget = change["new"]
