"""Widget 6: Mendelow's stakeholder power/interest grid."""

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

#: The grid a trainee starts from (names in the trainee's language when created).
DEFAULT_STAKEHOLDERS = (
    (N_("Business association"), 4, 5),
    (N_("Municipality"), 5, 3),
    (N_("Small workshops"), 2, 4),
    (N_("Regional university"), 3, 2),
)
#: Mendelow's quadrants as cdatools.stakeholders names them, for the catalogs.
_QUADRANTS_FOR_CATALOGS = (
    N_("Manage closely"),
    N_("Keep satisfied"),
    N_("Keep informed"),
    N_("Monitor"),
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
    figure_size = (5.4, 4.3)
    figure_title = N_("Stakeholders on Mendelow's power/interest grid")

    stakeholders = traitlets.List(traitlets.Dict())

    def __init__(self, save_path: str | Path | None = None) -> None:
        start = [
            {"name": gettext(n), "power": p, "interest": i} for n, p, i in DEFAULT_STAKEHOLDERS
        ]
        super().__init__(save_path=save_path, stakeholders=start)

    def set_stakeholder(self, name: str, *, power: int, interest: int) -> None:
        """Add a stakeholder, or change one's power and interest (each 1-5).

        A name that differs from one on the grid only by case or spacing is refused
        (it would be the same stakeholder twice); type it as it is on the grid to
        change that stakeholder.
        """
        name = check_text(name, gettext("a stakeholder's name"))
        for label, value in ((gettext("power"), power), (gettext("interest"), interest)):
            if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
                raise ValueError(
                    gettext("{what} of {name} must be a whole number 1-5, not {value}").format(
                        what=label, name=repr(name), value=repr(value)
                    )
                )
        record = {"name": name, "power": power, "interest": interest}
        names = [s["name"] for s in self.stakeholders]
        same = find_same(name, names)
        if same is not None and same != name:
            raise ValueError(
                duplicate_message(name, same, gettext("on the grid"))
                + gettext("; choose {same} to change it, or give a different name").format(
                    same=repr(same)
                )
            )
        if name in names:
            self.stakeholders = [record if s["name"] == name else s for s in self.stakeholders]
        else:
            self.stakeholders = [*self.stakeholders, record]

    def remove_stakeholder(self, name: str) -> None:
        """Take a stakeholder off the grid."""
        if name not in [s["name"] for s in self.stakeholders]:
            raise ValueError(gettext("no stakeholder {name} on the grid").format(name=repr(name)))
        self.stakeholders = [s for s in self.stakeholders if s["name"] != name]

    def frame(self) -> pd.DataFrame:
        import pandas as pd

        frame = pd.DataFrame(self.stakeholders, columns=["name", "power", "interest"])
        frame.insert(0, "stakeholder_id", [f"S{i + 1:02d}" for i in range(len(frame))])
        return frame.astype({"name": object})

    def table(self) -> pd.DataFrame:
        from cdatools.stakeholders import mendelow_grid

        if not self.stakeholders:
            import pandas as pd

            return pd.DataFrame(columns=["name", "power", "interest", "quadrant"])
        return mendelow_grid(self.frame()).drop(columns="stakeholder_id")

    def summary(self) -> list[str]:
        if not self.stakeholders:
            return [gettext("Add stakeholders to place them on the grid.")]
        from cdatools.stakeholders import QUADRANT_LABELS

        grid = self.table()
        return [
            gettext("{quadrant}: {names}.").format(
                quadrant=gettext(QUADRANT_LABELS.get(str(quadrant), str(quadrant))),
                names="; ".join(group["name"]),
            )
            for quadrant, group in grid.groupby("quadrant", sort=False, observed=True)
        ]

    def draw(self, ax: Axes) -> Axes:
        from cdatools.stakeholders import plot_grid

        if not self.stakeholders:
            ax.set_axis_off()
            ax.text(0.5, 0.5, gettext("No stakeholders yet"), ha="center", va="center")
            return ax
        frame = self.frame()
        frame["name"] = [figure_text(name) for name in frame["name"]]
        ax = plot_grid(frame, ax=ax)
        for text in ax.texts:
            if text.get_transform() == ax.transAxes:  # quadrant names: contrast >= 4.5:1
                text.set_color("#4D4D4D")
            elif getattr(text, "xy", (0, 0))[0] >= 4.0:  # labels on the right go left
                text.set_position((-6, 0))
                text.set_horizontalalignment("right")
        return ax

    def layout_key(self) -> object:
        """The names and which quadrants are used: a new rating then only moves points."""
        if not self.stakeholders:
            return ()
        quadrants = frozenset(self.table()["quadrant"].astype(str))
        return (tuple(s["name"] for s in self.stakeholders), quadrants)

    def quick_artists(self, fig) -> list | None:
        ax = fig.axes[0]
        if not self.stakeholders:
            return None
        labels = [t for t in ax.texts if t.get_transform() != ax.transAxes]
        return [(ax, artist) for artist in [*ax.collections, *labels]]

    def update_quick(self, fig, artists: list) -> None:
        import numpy as np
        from matplotlib.collections import PathCollection

        from cdatools.stakeholders import QUADRANTS, _spread, mendelow_grid

        grid = mendelow_grid(self.frame())
        x, y = _spread(grid["interest"].to_numpy(), grid["power"].to_numpy(), step=0.13)
        quadrant = grid["quadrant"].astype(str).to_numpy()
        present = [q for q in QUADRANTS if (quadrant == q).any()]
        points = [a for _, a in artists if isinstance(a, PathCollection)]
        for name, collection in zip(present, points, strict=True):
            keep = quadrant == name
            collection.set_offsets(np.column_stack([x[keep], y[keep]]))
        labels = [a for _, a in artists if not isinstance(a, PathCollection)]
        for text, xi, yi in zip(labels, x, y, strict=True):
            text.xy = (xi, yi)
            right = xi >= 4.0
            text.set_position((-6, 0) if right else (5, 0))
            text.set_horizontalalignment("right" if right else "left")

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
        self._setup()
        names = self._names()
        self._name = named(
            ipywidgets.Combobox(
                options=names,
                value=names[0] if names else "",
                description=gettext("Stakeholder"),
                placeholder=gettext("choose or type a name"),
                ensure_option=False,
                layout=ipywidgets.Layout(width="100%"),
            ),
            gettext("Stakeholder: choose one on the grid or type a new name"),
        )
        self._power = named(
            ipywidgets.IntSlider(value=3, min=1, max=5, description=gettext("Power"), readout=True),
            gettext("Power over the initiative, 1 little to 5 decisive"),
        )
        self._interest = named(
            ipywidgets.IntSlider(
                value=3, min=1, max=5, description=gettext("Interest"), readout=True
            ),
            gettext("Interest in the initiative, 1 indifferent to 5 very keen"),
        )
        for slider in (self._power, self._interest):
            read_only_readout(slider)
        save = named(
            ipywidgets.Button(description=gettext("Save stakeholder"), icon="check"),
            gettext("Save stakeholder: add it, or update its power and interest"),
        )
        remove = named(
            ipywidgets.Button(description=gettext("Remove"), icon="trash"),
            gettext("Remove the chosen stakeholder from the grid"),
        )
        self._name.observe(self._show, names="value")
        save.on_click(lambda _: self._save())
        remove.on_click(lambda _: self._remove())
        self.model.observe(self._refresh_names, names="stakeholders")
        self._show({"new": self._name.value})
        super().__init__()
        self._assemble(
            gettext("Stakeholder power/interest grid"),
            [
                self._name,
                self._power,
                self._interest,
                ipywidgets.HBox([save, remove], layout={"flex_flow": "row wrap"}),
            ],
        )

    def _names(self) -> list[str]:
        return [s["name"] for s in self.model.stakeholders]

    def _show(self, change: dict[str, Any]) -> None:
        for record in self.model.stakeholders:
            if record["name"] == change["new"]:
                self._power.value, self._interest.value = record["power"], record["interest"]

    def _save(self) -> None:
        name = self._name.value.strip()
        self._act(
            lambda: self.model.set_stakeholder(
                self._name.value, power=self._power.value, interest=self._interest.value
            ),
            done=gettext("Saved {name}: power {power}, interest {interest}.").format(
                name=name, power=self._power.value, interest=self._interest.value
            ),
        )

    def _remove(self) -> None:
        name = self._name.value.strip()
        if name not in self._names():
            self._say(
                gettext("choose a stakeholder on the grid to remove ({name} is not on it)").format(
                    name=repr(name)
                ),
                "error",
            )
            return
        self._ask(
            gettext("Remove {name} from the grid?").format(name=name),
            gettext("Yes, remove"),
            lambda: self._act(
                self.model.remove_stakeholder,
                name,
                done=gettext("Removed {name}. Undo last change brings them back.").format(
                    name=name
                ),
            ),
        )

    def _refresh_names(self, change: dict[str, Any]) -> None:
        self._name.options = self._names()
