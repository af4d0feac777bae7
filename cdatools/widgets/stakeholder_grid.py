"""Widget 6: Mendelow's stakeholder power/interest grid."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import traitlets

from cdatools.widgets.base import PlanModel, PlanView

if TYPE_CHECKING:
    from pathlib import Path

    import pandas as pd
    from matplotlib.axes import Axes

DEFAULT_STAKEHOLDERS = (
    ("Business association", 4, 5),
    ("Municipality", 5, 3),
    ("Small workshops", 2, 4),
    ("Regional university", 3, 2),
)


class StakeholderGridModel(PlanModel):
    """Stakeholders rated for power and interest, placed on Mendelow's grid.

    Parameters
    ----------
    save_path : str or pathlib.Path, optional
        Where the grid is saved (default ``my-work/stakeholder_grid.json``).

    Attributes
    ----------
    stakeholders : list of dict
        ``{"name", "power", "interest"}`` records, ratings 1-5.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> model = StakeholderGridModel(save_path=pathlib.Path(tempfile.mkdtemp()) / "s.json")
    >>> model.set_stakeholder("Bank", power=5, interest=5)
    >>> model.table().set_index("name").loc["Bank", "quadrant"]
    'manage_closely'
    """

    kind = "stakeholder_grid"
    state_traits = ("stakeholders",)
    figure_size = (6.5, 5.0)

    stakeholders = traitlets.List(traitlets.Dict())

    def __init__(self, save_path: str | Path | None = None) -> None:
        start = [{"name": n, "power": p, "interest": i} for n, p, i in DEFAULT_STAKEHOLDERS]
        super().__init__(save_path=save_path, stakeholders=start)

    def set_stakeholder(self, name: str, *, power: int, interest: int) -> None:
        """Add a stakeholder, or change one's power and interest (each 1-5)."""
        name = name.strip()
        if not name:
            raise ValueError("a stakeholder needs a name")
        for label, value in (("power", power), ("interest", interest)):
            if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
                raise ValueError(f"{label} of {name!r} must be a whole number 1-5, not {value!r}")
        record = {"name": name, "power": power, "interest": interest}
        names = [s["name"] for s in self.stakeholders]
        if name in names:
            self.stakeholders = [record if s["name"] == name else s for s in self.stakeholders]
        else:
            self.stakeholders = [*self.stakeholders, record]

    def remove_stakeholder(self, name: str) -> None:
        """Take a stakeholder off the grid."""
        if name not in [s["name"] for s in self.stakeholders]:
            raise ValueError(f"no stakeholder {name!r} on the grid")
        self.stakeholders = [s for s in self.stakeholders if s["name"] != name]

    def frame(self) -> pd.DataFrame:
        import pandas as pd

        frame = pd.DataFrame(self.stakeholders, columns=["name", "power", "interest"])
        frame.insert(0, "stakeholder_id", [f"S{i + 1:02d}" for i in range(len(frame))])
        return frame

    def table(self) -> pd.DataFrame:
        from cdatools.stakeholders import mendelow_grid

        if not self.stakeholders:
            import pandas as pd

            return pd.DataFrame(columns=["name", "power", "interest", "quadrant"])
        return mendelow_grid(self.frame()).drop(columns="stakeholder_id")

    def summary(self) -> list[str]:
        if not self.stakeholders:
            return ["Add stakeholders to place them on the grid."]
        grid = self.table()
        return [
            f"{str(quadrant).replace('_', ' ').capitalize()}: {', '.join(group['name'])}."
            for quadrant, group in grid.groupby("quadrant", sort=False, observed=True)
        ]

    def draw(self, ax: Axes) -> Axes:
        from cdatools.stakeholders import plot_grid

        if not self.stakeholders:
            ax.set_axis_off()
            ax.text(0.5, 0.5, "No stakeholders yet", ha="center", va="center")
            return ax
        return plot_grid(self.frame(), ax=ax)

    def to_state(self) -> dict[str, Any]:
        return {"stakeholders": [dict(s) for s in self.stakeholders]}

    def parse_state(self, state: dict[str, Any]) -> dict[str, Any]:
        records = state["stakeholders"]
        if not isinstance(records, list):
            raise ValueError("'stakeholders' must be a list")
        checked = []
        for number, record in enumerate(records, start=1):
            name, power, interest = record["name"], record["power"], record["interest"]
            if not isinstance(name, str) or not name.strip():
                raise ValueError(f"stakeholder {number} has no name")
            for label, value in (("power", power), ("interest", interest)):
                if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
                    raise ValueError(f"stakeholder {number}: {label} {value!r} is not 1-5")
            checked.append({"name": name, "power": power, "interest": interest})
        return {"stakeholders": checked}


class StakeholderGrid(PlanView):
    """Place stakeholders on Mendelow's power/interest grid.

    Choose a stakeholder (or type a new name), set power and interest, and press
    *Save stakeholder*; the grid and the advice per quadrant update at once.

    Parameters
    ----------
    save_path : str or pathlib.Path, optional
        Where the grid is saved (default ``my-work/stakeholder_grid.json``).
    """

    def __init__(self, save_path: str | Path | None = None) -> None:
        import ipywidgets

        self.model = StakeholderGridModel(save_path=save_path)
        self._name = ipywidgets.Combobox(
            options=self._names(),
            description="Stakeholder",
            placeholder="choose or type a name",
            ensure_option=False,
        )
        self._power = ipywidgets.IntSlider(
            value=3, min=1, max=5, description="Power", tooltip="1 little power, 5 decisive"
        )
        self._interest = ipywidgets.IntSlider(
            value=3, min=1, max=5, description="Interest", tooltip="1 indifferent, 5 very keen"
        )
        save = ipywidgets.Button(
            description="Save stakeholder", tooltip="Add or update the stakeholder"
        )
        remove = ipywidgets.Button(description="Remove", tooltip="Take the stakeholder off")
        self._status = ipywidgets.Label()
        self._name.observe(self._show, names="value")
        save.on_click(lambda _: self._save())
        remove.on_click(lambda _: self._remove())
        self.model.observe(self._refresh_names, names="stakeholders")
        super().__init__()
        self._assemble(
            "Stakeholder power/interest grid",
            [
                self._name,
                self._power,
                self._interest,
                ipywidgets.HBox([save, remove]),
                self._status,
            ],
        )

    def _names(self) -> list[str]:
        return [s["name"] for s in self.model.stakeholders]

    def _show(self, change: dict[str, Any]) -> None:
        for record in self.model.stakeholders:
            if record["name"] == change["new"]:
                self._power.value, self._interest.value = record["power"], record["interest"]

    def _save(self) -> None:
        try:
            self.model.set_stakeholder(
                self._name.value, power=self._power.value, interest=self._interest.value
            )
        except ValueError as error:
            self._status.value = f"Not saved: {error}"
        else:
            self._status.value = f"Saved {self._name.value.strip()}."

    def _remove(self) -> None:
        try:
            self.model.remove_stakeholder(self._name.value.strip())
        except ValueError as error:
            self._status.value = f"Not removed: {error}"
        else:
            self._status.value = "Removed."

    def _refresh_names(self, change: dict[str, Any]) -> None:
        self._name.options = self._names()
