"""Widget 1: the CDA's work-plan builder (a live Gantt chart and the plan's rule checks)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import traitlets

from cdatools.i18n import N_, gettext
from cdatools.widgets.base import PlanModel, PlanView, named
from cdatools.widgets.text import figure_text

#: Each role has a pattern as well as a colour, so roles are never told apart by colour alone.
ROLE_HATCHES = {"lead": "", "coordinate": "//", "facilitate": "..", "support": "xx"}
#: The roles' names in the controls (translated when shown).
ROLE_LABELS = {
    "lead": N_("Lead"),
    "coordinate": N_("Coordinate"),
    "facilitate": N_("Facilitate"),
    "support": N_("Support"),
}


def _mark_roles(ax, roles: list[str]) -> None:
    """Give the Gantt bars and the legend's patches their role's hatch pattern."""
    for bar, role in zip(ax.patches, roles, strict=False):
        bar.set_hatch(ROLE_HATCHES.get(role, ""))
        bar.set_edgecolor("white")
    legend = ax.get_legend()
    if legend is not None:
        for handle, text in zip(legend.legend_handles, legend.get_texts(), strict=False):
            handle.set_hatch(ROLE_HATCHES.get(text.get_text(), ""))
            handle.set_edgecolor("white")
            if hasattr(handle, "set_hatchcolor"):
                handle.set_hatchcolor("white")


if TYPE_CHECKING:
    from pathlib import Path

    import pandas as pd
    from matplotlib.axes import Axes

TASK_KEYS = ("task_id", "activity", "start_month", "end_month", "cda_role")


def default_tasks() -> list[dict[str, Any]]:
    """The module's Table 1 read as a 36-month plan, as a list of task records."""
    from cdatools.workplan import table1_plan

    plan = table1_plan()
    return [
        {key: (int(row[key]) if key.endswith("_month") else str(row[key])) for key in TASK_KEYS}
        for _, row in plan.iterrows()
    ]


class WorkplanModel(PlanModel):
    """A CDA work plan on a timeline, checked against the module's advice.

    Parameters
    ----------
    save_path : str or pathlib.Path, optional
        Where the plan is saved (default ``my-work/workplan.json``).

    Attributes
    ----------
    tasks : list of dict
        One record per activity: ``task_id``, ``activity``, ``start_month``,
        ``end_month`` (both included) and ``cda_role``.
    months : int
        Length of the initiative in months.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> model = WorkplanModel(save_path=pathlib.Path(tempfile.mkdtemp()) / "plan.json")
    >>> model.move_task("withdrawal", start=35, duration=2)
    >>> [v.rule for v in model.violations()]
    ['exit_strategy_late']
    """

    kind = "workplan"
    state_traits = ("tasks", "months")
    figure_size = (6.2, 5.8)
    figure_title = N_(
        "Gantt chart of the CDA's work plan by month, coloured and patterned by the CDA's role, "
        "above the CDA's hands-on level month by month"
    )

    tasks = traitlets.List(traitlets.Dict())
    months = traitlets.Int(36)

    def __init__(self, save_path: str | Path | None = None) -> None:
        super().__init__(save_path=save_path, tasks=default_tasks())

    @traitlets.validate("months")
    def _check_months(self, proposal: dict[str, Any]) -> int:
        months = proposal["value"]
        if not 6 <= months <= 120:
            raise traitlets.TraitError(
                gettext("months must be 6 to 120, not {months}").format(months=months)
            )
        return months

    # --------------------------------------------------------------- editing
    def move_task(self, task_id: str, *, start: int, duration: int) -> None:
        """Set when an activity starts (month) and how many months it lasts."""
        if duration < 1:
            raise ValueError(
                gettext("duration of {task} must be at least 1 month, not {duration}").format(
                    task=repr(task_id), duration=duration
                )
            )
        if start < 1:
            raise ValueError(
                gettext("start of {task} must be month 1 or later, not {start}").format(
                    task=repr(task_id), start=start
                )
            )
        self._find(task_id)
        self.tasks = [
            {**task, "start_month": start, "end_month": start + duration - 1}
            if task["task_id"] == task_id
            else task
            for task in self.tasks
        ]

    def set_role(self, task_id: str, role: str) -> None:
        """Set how hands-on the CDA is in an activity: lead, coordinate, facilitate or support."""
        from cdatools.workplan import ROLE_WEIGHTS

        if role not in ROLE_WEIGHTS:
            raise ValueError(
                gettext("role of {task} must be one of {roles}, not {role}").format(
                    task=repr(task_id), roles=", ".join(ROLE_WEIGHTS), role=repr(role)
                )
            )
        self._find(task_id)
        self.tasks = [
            {**task, "cda_role": role} if task["task_id"] == task_id else task
            for task in self.tasks
        ]

    def reset(self) -> None:
        """Go back to the module's Table 1."""
        self.tasks = default_tasks()

    def _find(self, task_id: str) -> dict[str, Any]:
        for task in self.tasks:
            if task["task_id"] == task_id:
                return task
        known = ", ".join(t["task_id"] for t in self.tasks)
        raise ValueError(
            gettext("no activity {task} in the plan; known: {known}").format(
                task=repr(task_id), known=known
            )
        )

    # --------------------------------------------------------------- analysis
    def plan(self) -> pd.DataFrame:
        """The plan as a DataFrame in the shape of :func:`cdatools.workplan.table1_plan`."""
        import pandas as pd

        return pd.DataFrame(self.tasks, columns=list(TASK_KEYS))

    def violations(self) -> list:
        """The plan's problems (see :func:`cdatools.workplan.validate_plan`)."""
        from cdatools.workplan import validate_plan

        return validate_plan(self.plan(), self.months)

    def summary(self) -> list[str]:
        found = self.violations()
        if not found:
            return [gettext("OK: the plan follows the module's sequencing advice.")]
        return [
            gettext("Problem: {problem}").format(problem=violation.message) for violation in found
        ]

    def table(self) -> pd.DataFrame:
        plan = self.plan()
        plan["duration_months"] = plan["end_month"] - plan["start_month"] + 1
        problems = {}
        for violation in self.violations():
            problems.setdefault(violation.task_id, []).append(violation.message)
        plan["problems"] = [" ".join(problems.get(t, [])) for t in plan["task_id"]]
        return plan

    def draw(self, ax: Axes) -> Axes:
        from cdatools.workplan import plot_workplan

        plan = self.plan()
        months = max(self.months, int(plan["end_month"].max()))
        plan["activity"] = [figure_text(str(a), 120) for a in plan["activity"]]
        ax = plot_workplan(plan, months, ax=ax)
        _mark_roles(ax, list(plan["cda_role"]))
        for label in ax.get_yticklabels():
            label.set_fontsize(8)
        return ax

    def draw_hands_on(self, ax: Axes) -> Axes:
        """Draw how hands-on the CDA is month by month (see ``workplan.plot_hands_on``)."""
        from cdatools.workplan import hands_on_profile, plot_hands_on

        plan = self.plan()
        months = max(self.months, int(plan["end_month"].max()))
        ax = plot_hands_on(hands_on_profile(plan, months), ax=ax)
        ax.set_ylabel(gettext("Hands-on level\n(1 = CDA leads all)"))
        return ax

    def populate(self, fig) -> None:
        """The Gantt chart above the CDA's hands-on profile."""
        gantt, profile = fig.subplots(2, 1, height_ratios=[3, 2])
        self.draw(gantt)
        self.draw_hands_on(profile)

    def layout_key(self) -> object:
        last = max([self.months, *(task["end_month"] for task in self.tasks)])
        roles = frozenset(task["cda_role"] for task in self.tasks)
        return (self.months, last, roles, tuple(task["activity"] for task in self.tasks))

    def quick_artists(self, fig) -> list:
        """The bars, the Gantt chart's lines and the hands-on line: all a move changes."""
        gantt, profile = fig.axes
        artists = [(gantt, bar) for bar in gantt.patches]
        artists += [(gantt, line) for line in gantt.lines]
        return [*artists, (profile, profile.lines[0])]

    def update_quick(self, fig, artists: list) -> None:
        from cdatools.plotting import color_map
        from cdatools.workplan import ROLE_WEIGHTS, hands_on_profile

        plan = self.plan()
        colours = color_map(list(ROLE_WEIGHTS))
        gantt = fig.axes[0]
        for bar, task in zip(gantt.patches, plan.itertuples(), strict=True):
            bar.set_x(task.start_month - 1)
            bar.set_width(task.end_month - task.start_month + 1)
            bar.set_facecolor(colours[task.cda_role])
            bar.set_hatch(ROLE_HATCHES.get(task.cda_role, ""))
        months = max(self.months, int(plan["end_month"].max()))
        profile = hands_on_profile(plan, months)
        artists[-1][1].set_data(profile["month"], profile["hands_on"])

    # --------------------------------------------------------------- state
    def to_state(self) -> dict[str, Any]:
        return {"months": self.months, "tasks": [dict(task) for task in self.tasks]}

    def parse_state(self, state: dict[str, Any]) -> dict[str, Any]:
        tasks = state["tasks"]
        if not isinstance(tasks, list) or not tasks:
            raise ValueError("'tasks' must be a non-empty list")
        for number, task in enumerate(tasks, start=1):
            missing = [key for key in TASK_KEYS if key not in task]
            if missing:
                raise ValueError(f"task {number} lacks {', '.join(missing)}")
            for key in ("start_month", "end_month"):
                if not isinstance(task[key], int) or isinstance(task[key], bool):
                    raise ValueError(f"task {number}: {key} must be a whole number")
        months = state["months"]
        if not isinstance(months, int):
            raise ValueError(f"'months' must be a whole number, not {months!r}")
        return {"months": months, "tasks": [{key: t[key] for key in TASK_KEYS} for t in tasks]}


class WorkplanBuilder(PlanView):
    """Build a CDA work plan: one timeline slider per activity, a Gantt chart, the checks.

    Drag (or use the arrow keys on) a slider's two handles to set when an activity
    starts and ends, and choose how hands-on the CDA is in it; the Gantt chart, the
    CDA's hands-on profile and the list of problems update at once, and the plan is
    saved to ``save_path``.

    Parameters
    ----------
    save_path : str or pathlib.Path, optional
        Where the plan is saved (default ``my-work/workplan.json``).

    Examples
    --------
    >>> builder = WorkplanBuilder()  # doctest: +SKIP
    >>> builder  # shows it in a notebook  # doctest: +SKIP
    """

    def __init__(self, save_path: str | Path | None = None) -> None:
        import html

        import ipywidgets

        from cdatools.workplan import ROLE_WEIGHTS

        self.model = WorkplanModel(save_path=save_path)
        self._setup()
        self._sliders: dict[str, ipywidgets.IntRangeSlider] = {}
        self._roles: dict[str, ipywidgets.Dropdown] = {}
        self._labels: dict[str, ipywidgets.HTML] = {}
        rows = [
            ipywidgets.HTML(
                "<small>"
                + html.escape(
                    gettext(
                        "Each activity: its months (arrow keys move a handle) and the CDA's "
                        "role (lead is the most hands-on, support the least)."
                    )
                )
                + "</small>"
            )
        ]
        for task in self.model.tasks:
            activity = str(task["activity"])
            slider = named(
                ipywidgets.IntRangeSlider(
                    value=(task["start_month"], task["end_month"]),
                    min=1,
                    max=max(self.model.months, task["end_month"]),
                    step=1,
                    readout=False,
                    continuous_update=False,
                    layout=ipywidgets.Layout(flex="1 1 auto", width="auto"),
                ),
                gettext("{activity} (months)").format(activity=activity),
            )
            slider.observe(self._slider_moved, names="value")
            role = named(
                ipywidgets.Dropdown(
                    options=[
                        (gettext(ROLE_LABELS.get(r, r.capitalize())), r) for r in ROLE_WEIGHTS
                    ],
                    value=task["cda_role"],
                    layout=ipywidgets.Layout(width="120px"),
                ),
                gettext("CDA's role in {activity}").format(activity=activity),
            )
            role.observe(
                lambda change, tid=task["task_id"]: self._role_chosen(tid, change["new"]),
                names="value",
            )
            label = ipywidgets.HTML(layout=ipywidgets.Layout(margin="4px 0 0 0"))
            self._sliders[task["task_id"]] = slider
            self._roles[task["task_id"]] = role
            self._labels[task["task_id"]] = label
            rows += [label, ipywidgets.HBox([slider, role])]
        reset = named(
            ipywidgets.Button(description=gettext("Reset to Table 1"), icon="refresh"),
            gettext(
                "Reset to Table 1: put every activity back where the module's Table 1 places it "
                "(asks first)"
            ),
        )
        reset.on_click(lambda _: self._reset())
        self.model.observe(self._sync_sliders, names="tasks")
        self._sync_sliders()
        super().__init__()
        self._assemble(gettext("CDA work plan (36 months)"), [*rows, reset])

    def _slider_moved(self, change: dict[str, Any]) -> None:
        for task_id, slider in self._sliders.items():
            if slider is change["owner"]:
                start, end = change["new"]
                self.model.move_task(task_id, start=start, duration=end - start + 1)
                self._show_label(task_id)

    def _role_chosen(self, task_id: str, role: str) -> None:
        if self.model._find(task_id)["cda_role"] != role:
            self.model.set_role(task_id, role)

    def _reset(self) -> None:
        self._ask(
            gettext(
                "Put every activity back where Table 1 places it? Your months and roles are "
                "replaced (Undo last change brings them back)."
            ),
            gettext("Yes, reset"),
            lambda: self._act(
                self.model.reset,
                done=gettext("Back to Table 1. Undo last change restores your plan."),
            ),
        )

    def _show_label(self, task_id: str) -> None:
        import html

        task = self.model._find(task_id)
        self._labels[task_id].value = (
            f"<span style='white-space:normal'><b>{html.escape(str(task['activity']))}</b>: "
            + html.escape(
                gettext("months {start}-{end}").format(
                    start=task["start_month"], end=task["end_month"]
                )
            )
            + "</span>"
        )

    def _sync_sliders(self, change: dict[str, Any] | None = None) -> None:
        for task in self.model.tasks:
            slider = self._sliders.get(task["task_id"])
            if slider is not None:
                slider.max = max(slider.max, task["end_month"])
                slider.value = (task["start_month"], task["end_month"])
                self._roles[task["task_id"]].value = task["cda_role"]
                self._show_label(task["task_id"])
