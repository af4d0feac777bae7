"""Widget 5: a Cluster Commission composer (coverage of Box 4's categories, gaps, balance)."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

import traitlets

from cdatools.i18n import N_, gettext
from cdatools.widgets.base import PlanModel, PlanView, escaped_description, named
from cdatools.widgets.text import figure_text

if TYPE_CHECKING:
    from pathlib import Path

    import pandas as pd
    from matplotlib.axes import Axes

DEFAULT_CLUSTER = "Chontales"
#: Box 4's categories as cdatools.commission words them, for the catalogs.
_CATEGORIES_FOR_CATALOGS = (
    N_("entrepreneurs and their organisations"),
    N_("service institutions"),
    N_("knowledge gatekeepers"),
    N_("local government"),
    N_("issue-specific members"),
)


def default_candidates(cluster: str = DEFAULT_CLUSTER) -> list[dict[str, str]]:
    """The course's stakeholder list for one cluster (synthetic data).

    ``"Lomari"``, the course's invented practice cluster, reads ``scenario_stakeholders``.
    """
    from cdatools.commission import candidates_for
    from cdatools.datasets import load

    if cluster == "Lomari":
        return candidates_for(load("scenario_stakeholders"), cluster)
    stakeholders = load("stakeholders")
    chosen = stakeholders[stakeholders["cluster"] == cluster]
    return [
        {
            "stakeholder_id": str(row["stakeholder_id"]),
            "name": str(row["name"]),
            "commission_category": str(row["commission_category"]),
        }
        for row in chosen.to_dict("records")
    ]


class CommissionModel(PlanModel):
    """A proposed Cluster Commission: members picked from a list of candidates.

    Parameters
    ----------
    save_path : str or pathlib.Path, optional
        Where the proposal is saved (default ``my-work/commission.json``).
    candidates : list of dict, optional
        ``{"stakeholder_id", "name", "commission_category"}`` records; default: the
        course's stakeholders of ``cluster``.
    cluster : str
        Whose stakeholders to offer when ``candidates`` is not given (default
        ``"Chontales"``; ``"Lomari"`` is the course's invented practice cluster).

    Attributes
    ----------
    members : list of str
        ``stakeholder_id`` of each member, in the order they were picked.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> model = CommissionModel(save_path=pathlib.Path(tempfile.mkdtemp()) / "c.json")
    >>> model.members = ["CHO-S01", "CHO-S05"]
    >>> model.check().gaps
    ('service_institutions', 'knowledge_gatekeepers')
    """

    kind = "commission"
    state_traits = ("members", "candidates")
    figure_size = (5.4, 3.2)
    figure_title = N_("Bar chart: seats on the proposed Cluster Commission per category of Box 4")

    candidates = traitlets.List(traitlets.Dict())
    members = traitlets.List(traitlets.Unicode())

    def __init__(
        self,
        save_path: str | Path | None = None,
        candidates: list[dict[str, str]] | None = None,
        *,
        cluster: str = DEFAULT_CLUSTER,
    ) -> None:
        chosen = candidates if candidates is not None else default_candidates(cluster)
        super().__init__(save_path=save_path, candidates=chosen)

    @traitlets.validate("members")
    def _check_members(self, proposal: dict[str, Any]) -> list[str]:
        known = {c["stakeholder_id"] for c in self.candidates}
        for member in proposal["value"]:
            if member not in known:
                raise traitlets.TraitError(
                    gettext("{member} is not among the candidates").format(member=repr(member))
                )
        if len(set(proposal["value"])) != len(proposal["value"]):
            raise traitlets.TraitError(gettext("a member is listed twice"))
        return proposal["value"]

    def toggle(self, stakeholder_id: str, member: bool) -> None:
        """Put a candidate on the Commission (``member=True``) or take them off."""
        if member and stakeholder_id not in self.members:
            self.members = [*self.members, stakeholder_id]
        elif not member and stakeholder_id in self.members:
            self.members = [m for m in self.members if m != stakeholder_id]

    def member_frame(self) -> pd.DataFrame:
        import pandas as pd

        by_id = {c["stakeholder_id"]: c for c in self.candidates}
        rows = [by_id[m] for m in self.members]
        return pd.DataFrame(rows, columns=["stakeholder_id", "name", "commission_category"])

    def check(self):
        """Coverage, gaps and balance (:func:`cdatools.commission.check_commission`)."""
        from cdatools.commission import check_commission

        return check_commission(self.member_frame())

    def summary(self) -> list[str]:
        if not self.members:
            return [gettext("Pick members: the Commission has no seats yet.")]
        findings = self.check().findings
        if not findings:
            return [
                gettext("OK: {count} members cover all four categories in balance.").format(
                    count=len(self.members)
                )
            ]
        return [gettext("Check: {finding}").format(finding=finding.message) for finding in findings]

    def table(self) -> pd.DataFrame:
        frame = self.member_frame()
        frame.insert(0, "seat", range(1, len(frame) + 1))
        return frame

    def draw(self, ax: Axes) -> Axes:
        from cdatools.commission import plot_commission

        if not self.members:
            ax.set_axis_off()
            ax.set_title(gettext("Seats on the proposed Cluster Commission"), fontweight="bold")
            ax.text(
                0.5,
                0.5,
                gettext("No members yet: tick candidates to give them a seat"),
                ha="center",
                va="center",
            )
            return ax
        check = self.check()
        ax = plot_commission(check, ax=ax)
        required = list(check.coverage["required"])
        for bar, needed in zip(ax.patches, required, strict=False):
            if not needed:  # told apart by pattern as well as colour
                bar.set_hatch("//")
                bar.set_edgecolor("#1F1F1F")
        for text in list(ax.texts):
            text.remove()
        gaps = set(check.gaps)
        for row, category in enumerate(check.coverage["category"]):
            ax.text(
                0.1,
                row,
                gettext("missing"),
                va="center",
                color="#A33B00",  # contrast >= 4.5:1 on white
                fontweight="bold",
                visible=category in gaps,
                gid=f"missing-{category}",
            )
        import textwrap

        from matplotlib.ticker import MaxNLocator

        ax.set_yticks(
            ax.get_yticks(),
            labels=[
                textwrap.fill(figure_text(gettext(label.get_text())), 22)
                for label in ax.get_yticklabels()
            ],
        )
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_title(gettext("Seats per category of Box 4"), fontweight="bold")
        return ax

    def text_alternative(self, summary: list[str] | None = None) -> str:
        summary = self.summary() if summary is None else summary
        title = gettext(self.figure_title)
        if not self.members:
            return gettext("{title}: no members yet.").format(title=title) + " " + " ".join(summary)
        seats = "; ".join(
            f"{gettext(row.label)} {row.seats}"
            for row in self.check().coverage.itertuples(index=False)
        )
        return (
            gettext("{title}. Seats: {seats}.").format(title=title, seats=seats)
            + " "
            + " ".join(summary)
        )

    def layout_key(self) -> object:
        if not self.members:
            return "empty"
        return ("members", int(self.check().coverage["seats"].max()))

    def quick_artists(self, fig) -> list | None:
        ax = fig.axes[0]
        if not self.members:
            return None
        return [(ax, artist) for artist in [*ax.patches, *ax.texts]]

    def update_quick(self, fig, artists: list) -> None:
        check = self.check()
        seats = list(check.coverage["seats"])
        bars = [a for _, a in artists if a in fig.axes[0].patches]
        for bar, count in zip(bars, seats, strict=True):
            bar.set_width(count)
        gaps = set(check.gaps)
        for _, text in artists:
            gid = text.get_gid() or ""
            if gid.startswith("missing-"):
                text.set_visible(gid.removeprefix("missing-") in gaps)

    def to_state(self) -> dict[str, Any]:
        return {"candidates": [dict(c) for c in self.candidates], "members": list(self.members)}

    def parse_state(self, state: dict[str, Any]) -> dict[str, Any]:
        from cdatools.commission import CATEGORIES

        candidates, members = state["candidates"], state["members"]
        for number, candidate in enumerate(candidates, start=1):
            if set(candidate) != {"stakeholder_id", "name", "commission_category"}:
                raise ValueError(f"candidate {number} must have stakeholder_id, name, category")
            if candidate["commission_category"] not in CATEGORIES:
                raise ValueError(
                    f"candidate {number}: category {candidate['commission_category']!r} "
                    f"is not one of {', '.join(CATEGORIES)}"
                )
        known = {c["stakeholder_id"] for c in candidates}
        unknown = [m for m in members if m not in known]
        if unknown:
            raise ValueError(f"member {unknown[0]!r} is not among the candidates")
        return {"candidates": candidates, "members": members}


class CommissionComposer(PlanView):
    """Compose a Cluster Commission and check it against Box 4.

    Tick the stakeholders who should sit on the Commission; the seats per category,
    the missing categories and any imbalance update at once.

    Parameters
    ----------
    save_path : str or pathlib.Path, optional
        Where the proposal is saved (default ``my-work/commission.json``).
    candidates : list of dict, optional
        Candidates to choose from (default: the course's stakeholders of ``cluster``).
    cluster : str
        Whose stakeholders to offer when ``candidates`` is not given (default
        ``"Chontales"``; ``"Lomari"`` is the course's invented practice cluster).
    """

    def __init__(
        self,
        save_path: str | Path | None = None,
        candidates: list[dict[str, str]] | None = None,
        *,
        cluster: str = DEFAULT_CLUSTER,
    ) -> None:
        import ipywidgets

        from cdatools.commission import CATEGORY_LABELS

        self.model = CommissionModel(save_path=save_path, candidates=candidates, cluster=cluster)
        self._setup()
        self._boxes: dict[str, ipywidgets.Checkbox] = {}
        groups: dict[str, list[ipywidgets.Widget]] = {}
        for candidate in self.model.candidates:
            category = gettext(
                CATEGORY_LABELS.get(
                    candidate["commission_category"], candidate["commission_category"]
                )
            )
            box = ipywidgets.Checkbox(
                value=candidate["stakeholder_id"] in self.model.members,
                description=escaped_description(candidate["name"]),
                description_allow_html=True,
                indent=False,
                layout=ipywidgets.Layout(width="100%"),
            )
            named(
                box,
                gettext("Seat for {name} ({category})").format(
                    name=candidate["name"], category=category
                ),
            )
            box.observe(
                lambda change, sid=candidate["stakeholder_id"]: self._toggled(sid, change["new"]),
                names="value",
            )
            self._boxes[candidate["stakeholder_id"]] = box
            groups.setdefault(category, []).append(box)
        controls: list[ipywidgets.Widget] = [
            ipywidgets.HTML(
                "<b>{}</b> {}".format(
                    html.escape(gettext("Candidates")),
                    html.escape(gettext("by category of Box 4 (tick to give a seat)")),
                )
            )
        ]
        for category, boxes in groups.items():
            heading = html.escape(category[:1].upper() + category[1:])
            controls += [ipywidgets.HTML(f"<i>{heading}</i>"), *boxes]
        self.model.observe(self._sync, names="members")
        super().__init__()
        self._assemble(gettext("Cluster Commission composer"), controls)

    def _toggled(self, stakeholder_id: str, member: bool) -> None:
        name = next(
            c["name"] for c in self.model.candidates if c["stakeholder_id"] == stakeholder_id
        )
        if (stakeholder_id in self.model.members) == member:
            return
        self.model.toggle(stakeholder_id, member)
        self._say(
            gettext("{name} has a seat ({count} members).").format(
                name=name, count=len(self.model.members)
            )
            if member
            else gettext("{name} no longer has a seat. Undo last change gives it back.").format(
                name=name
            )
        )

    def _sync(self, change: dict[str, Any]) -> None:
        for stakeholder_id, box in self._boxes.items():
            box.value = stakeholder_id in self.model.members
