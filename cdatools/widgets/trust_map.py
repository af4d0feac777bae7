"""Widget 3: a trust map (who trusts whom, the course's network measures, brokers)."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import traitlets

from cdatools.i18n import N_, gettext
from cdatools.widgets.base import PlanModel, PlanView, named
from cdatools.widgets.text import check_text, duplicate_message, figure_text, find_same

if TYPE_CHECKING:
    from pathlib import Path

    import networkx as nx
    import pandas as pd
    from matplotlib.axes import Axes

DEFAULT_STAKEHOLDERS = ("Printer A", "Printer B", "Dyer", "Block maker", "Trader")
DEFAULT_TIES = (("Printer A", "Dyer"), ("Printer B", "Dyer"), ("Dyer", "Block maker"))


def default_map(cluster: str | None = None) -> tuple[list[str], list[list[str]]]:
    """The stakeholders and ties a new trust map starts from.

    Parameters
    ----------
    cluster : str, optional
        None for the small generic example; ``"Lomari"`` for the course's invented
        practice cluster at month 6 (``scenario_trust_ties``, with the stakeholders'
        short names).

    Returns
    -------
    tuple of (list of str, list of list of str)
        The names, and the pairs who trust each other (each pair sorted).

    Raises
    ------
    ValueError
        If ``cluster`` is another value; the message names it and what is accepted.

    Examples
    --------
    >>> names, ties = default_map("Lomari")
    >>> names[0], len(names)
    ("Artisans' Association", 13)
    """
    if cluster is None:
        return list(DEFAULT_STAKEHOLDERS), [sorted(pair) for pair in DEFAULT_TIES]
    if cluster != "Lomari":
        raise ValueError(
            f"the trust map has a starting map for cluster 'Lomari' only (or None for the "
            f"small example), not {cluster!r}"
        )
    from cdatools.datasets import load

    people = load("scenario_stakeholders")
    short = dict(zip(people["stakeholder_id"], people["short_name"], strict=True))
    ties = load("scenario_trust_ties")
    ties = ties[ties["month"] == 6]
    pairs = zip(ties["first"], ties["second"], strict=True)
    pairs = [sorted([short[a], short[b]]) for a, b in pairs]
    return list(short.values()), pairs


def circle_positions(names: list[str]) -> dict[str, tuple[float, float]]:
    """Places on a circle in the order given, so adding a stakeholder moves no one else far.

    Examples
    --------
    >>> circle_positions(["a", "b"])["a"]
    (0.0, 1.0)
    """
    count = max(len(names), 1)
    return {
        name: (
            round(math.sin(2 * math.pi * i / count), 6),
            round(math.cos(2 * math.pi * i / count), 6),
        )
        for i, name in enumerate(names)
    }


class TrustMapModel(PlanModel):
    """A map of trust ties between stakeholders.

    Parameters
    ----------
    save_path : str or pathlib.Path, optional
        Where the map is saved (default ``my-work/trust_map.json``).
    cluster : str, optional
        ``"Lomari"`` starts, when nothing is saved yet, from the invented practice
        cluster's map at month 6 (see :func:`default_map`).

    Attributes
    ----------
    stakeholders : list of str
        Names, in the order they were added.
    ties : list of list of str
        Pairs of names that trust each other (undirected), sorted within each pair.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> model = TrustMapModel(save_path=pathlib.Path(tempfile.mkdtemp()) / "t.json")
    >>> model.add_tie("Printer A", "Printer B")
    >>> model.measures().triangles
    1
    """

    kind = "trust_map"
    state_traits = ("stakeholders", "ties")
    figure_size = (5.0, 4.6)
    figure_title = N_("Trust map: who trusts whom (circled: brokers)")

    stakeholders = traitlets.List(traitlets.Unicode())
    ties = traitlets.List(traitlets.List(traitlets.Unicode(), minlen=2, maxlen=2))

    def __init__(self, save_path: str | Path | None = None, *, cluster: str | None = None) -> None:
        names, ties = default_map(cluster)
        super().__init__(save_path=save_path, stakeholders=names, ties=ties)

    def add_stakeholder(self, name: str) -> None:
        """Add a stakeholder (a firm, an institution or a person) with no ties yet."""
        name = check_text(name, gettext("a stakeholder's name"))
        same = find_same(name, self.stakeholders)
        if same is not None:
            raise ValueError(duplicate_message(name, same, gettext("on the map")))
        self.stakeholders = [*self.stakeholders, name]

    def remove_stakeholder(self, name: str) -> None:
        """Remove a stakeholder and all their ties."""
        self._require(name)
        with self.hold_trait_notifications():
            self.ties = [pair for pair in self.ties if name not in pair]
            self.stakeholders = [s for s in self.stakeholders if s != name]

    def add_tie(self, first: str, second: str) -> None:
        """Record that two stakeholders trust each other."""
        pair = self._pair(first, second)
        if pair in self.ties:
            raise ValueError(
                gettext("{first} and {second} are already tied").format(first=first, second=second)
            )
        self.ties = [*self.ties, pair]

    def remove_tie(self, first: str, second: str) -> None:
        """Remove the tie between two stakeholders."""
        pair = self._pair(first, second)
        if pair not in self.ties:
            raise ValueError(
                gettext("{first} and {second} have no tie to remove").format(
                    first=first, second=second
                )
            )
        self.ties = [t for t in self.ties if t != pair]

    def _require(self, name: str | None) -> None:
        if name is None:
            raise ValueError(gettext("choose a stakeholder first"))
        if name not in self.stakeholders:
            raise ValueError(
                gettext("{name} is not on the map; add the stakeholder first").format(
                    name=repr(name)
                )
            )

    def _pair(self, first: str, second: str) -> list[str]:
        self._require(first)
        self._require(second)
        if first == second:
            raise ValueError(
                gettext("a tie needs two different stakeholders, not {name} twice").format(
                    name=repr(first)
                )
            )
        return sorted([first, second])

    def graph(self) -> nx.Graph:
        """The map as a networkx graph (every stakeholder, tied or not)."""
        import networkx as nx

        graph = nx.Graph()
        graph.add_nodes_from(self.stakeholders)
        graph.add_edges_from(tuple(pair) for pair in self.ties)
        return graph

    def measures(self):
        """Bilateral and multilateral trust measures (:func:`cdatools.trust.trust_measures`)."""
        from cdatools.trust import trust_measures

        return trust_measures(self.graph())

    def brokers(self, top: int = 3) -> pd.DataFrame:
        """The stakeholders best placed to broker trust (:func:`cdatools.trust.brokers`)."""
        from cdatools.trust import brokers

        return brokers(self.graph(), top=top)

    def summary(self) -> list[str]:
        if not self.stakeholders:
            return [gettext("Add stakeholders, then the ties between those who trust each other.")]
        m = self.measures()
        lines = [
            gettext(
                "Bilateral trust: {ties} tie(s) among {nodes} stakeholders (density {density}); "
                "{isolates} stakeholder(s) trust no one yet."
            ).format(ties=m.ties, nodes=m.nodes, density=f"{m.density:.2f}", isolates=m.isolates),
            gettext(
                "Trust spreading beyond pairs (the course's network proxy): {triangles} closed "
                "triangle(s), transitivity {transitivity}; {components} separate group(s)"
            ).format(
                triangles=m.triangles,
                transitivity=f"{m.transitivity:.2f}",
                components=m.components,
            )
            + (gettext(" - one connected community.") if m.components == 1 else "."),
        ]
        if self.ties:
            top = self.brokers()
            top = top[top["betweenness"] > 0]
            if len(top):
                lines.append(
                    gettext("Brokers (bridge otherwise separate stakeholders): {names}.").format(
                        names=", ".join(top["node"])
                    )
                )
            else:
                lines.append(
                    gettext("No broker yet: no one links stakeholders who are not already tied.")
                )
        return lines

    def table(self) -> pd.DataFrame:
        import pandas as pd

        from cdatools.trust import brokers

        graph = self.graph()
        if graph.number_of_edges() == 0:
            return pd.DataFrame({"stakeholder": self.stakeholders, "ties": 0, "partners": ""})
        roles = brokers(graph, top=None).set_index("node")
        return pd.DataFrame(
            {
                "stakeholder": self.stakeholders,
                "ties": [graph.degree(s) for s in self.stakeholders],
                "partners": ["; ".join(sorted(graph.neighbors(s))) for s in self.stakeholders],
                "betweenness": [
                    round(float(roles.loc[s, "betweenness"]), 3) for s in self.stakeholders
                ],
                "constraint": [roles.loc[s, "constraint"] for s in self.stakeholders],
            }
        )

    def draw(self, ax: Axes) -> Axes:
        from cdatools.trust import plot_network

        if not self.stakeholders:
            ax.set_axis_off()
            ax.text(0.5, 0.5, gettext("No stakeholders yet"), ha="center", va="center")
            return ax
        graph = self.graph()
        highlight = self._highlight()
        positions = circle_positions(self.stakeholders)
        ax = plot_network(
            graph,
            pos=positions,
            ax=ax,
            highlight=highlight,
            title=gettext("Trust map (circled: brokers)"),
        )
        # plot_network labels the brokers with their plain names; relabel every
        # stakeholder the same way, wrapped, so long names stay readable.
        for text in list(ax.texts):
            text.remove()
        for name, (x, y) in positions.items():
            ax.annotate(
                _wrap(figure_text(name)),
                (x, y),
                xytext=(0, -9 if y <= 0 else 9),
                textcoords="offset points",
                ha="center",
                va="top" if y <= 0 else "bottom",
                fontsize=8,
                fontweight="bold" if name in highlight else "normal",
            )
        ax.set_aspect("equal", adjustable="box")
        ax.set_xlim(-1.7, 1.7)
        ax.set_ylim(-1.55, 1.4)  # room for the labels above and below the circle
        return ax

    def text_alternative(self, summary: list[str] | None = None) -> str:
        summary = self.summary() if summary is None else summary
        ties = "; ".join(
            gettext("{first} with {second}").format(first=a, second=b) for a, b in self.ties
        ) or gettext("none")
        return (
            gettext("{title}. Stakeholders: {names}. Ties: {ties}.").format(
                title=gettext(self.figure_title), names="; ".join(self.stakeholders), ties=ties
            )
            + " "
            + " ".join(summary)
        )

    def _highlight(self) -> list[str]:
        if not self.ties:
            return []
        top = self.brokers()
        return list(top.loc[top["betweenness"] > 0, "node"])

    def layout_key(self) -> object:
        return (tuple(self.stakeholders), tuple(self._highlight()), len(self.ties) > 0)

    def quick_artists(self, fig) -> list | None:
        """The ties and the caption that counts them: all a new tie changes.

        The points (and the brokers' rings) are drawn again after the ties, as in a
        full drawing, so that a new tie passes under them, not over them.
        """
        ax = fig.axes[0]
        if not self.stakeholders or not ax.collections:
            return None
        layers = sorted(ax.collections, key=lambda artist: artist.get_zorder())
        if layers[0] is not ax.collections[0]:
            return None
        return [(ax, ax.xaxis.label), *((ax, layer) for layer in layers)]

    def update_quick(self, fig, artists: list) -> None:
        from cdatools.trust import trust_measures

        positions = circle_positions(self.stakeholders)
        artists[1][1].set_segments([(positions[a], positions[b]) for a, b in self.ties])
        m = trust_measures(self.graph())
        artists[0][1].set_text(
            gettext("{nodes} stakeholders, {ties} ties, {components} connected part(s)").format(
                nodes=m.nodes, ties=m.ties, components=m.components
            )
        )

    def to_state(self) -> dict[str, Any]:
        return {"stakeholders": list(self.stakeholders), "ties": [list(p) for p in self.ties]}

    def parse_state(self, state: dict[str, Any]) -> dict[str, Any]:
        names, ties = state["stakeholders"], state["ties"]
        if not isinstance(names, list) or not all(isinstance(n, str) and n for n in names):
            raise ValueError("'stakeholders' must be a list of names")
        if len(set(names)) != len(names):
            raise ValueError("'stakeholders' lists a name twice")
        for pair in ties:
            if not isinstance(pair, list) or len(pair) != 2 or not set(pair) <= set(names):
                raise ValueError(f"tie {pair!r} must join two stakeholders on the map")
            if pair[0] == pair[1]:
                raise ValueError(f"tie {pair!r} joins a stakeholder to itself")
        return {"stakeholders": names, "ties": [sorted(pair) for pair in ties]}


def _wrap(text: str, width: int = 18) -> str:
    import textwrap

    return "\n".join(textwrap.wrap(text, width, break_long_words=True)) or text


class TrustMap(PlanView):
    """Draw who trusts whom and watch trust spread beyond pairs.

    The measures are the course's network proxy, not the module's multilateral
    trust (entrepreneurs' trust in their support institutions): put institutions on
    the map to see that part.

    Add stakeholders by name, then choose two and press *Add tie* when they trust
    each other. The measures, the brokers and the map update at once.

    Parameters
    ----------
    save_path : str or pathlib.Path, optional
        Where the map is saved (default ``my-work/trust_map.json``).
    cluster : str, optional
        ``"Lomari"`` starts from the invented practice cluster's map at month 6.
    """

    def __init__(self, save_path: str | Path | None = None, *, cluster: str | None = None) -> None:
        import ipywidgets

        self.model = TrustMapModel(save_path=save_path, cluster=cluster)
        self._setup()
        full = ipywidgets.Layout(width="100%")
        self._name = named(
            ipywidgets.Text(
                description=gettext("Name"),
                placeholder=gettext("e.g. Dyers' cooperative"),
                continuous_update=True,
                layout=full,
            ),
            gettext("Name of a stakeholder to add to the map or remove from it"),
        )
        add = named(
            ipywidgets.Button(description=gettext("Add stakeholder"), icon="plus"),
            gettext("Add stakeholder: put the name typed above on the map"),
        )
        remove = named(
            ipywidgets.Button(description=gettext("Remove stakeholder"), icon="trash"),
            gettext("Remove stakeholder: take the name typed above off the map, with their ties"),
        )
        self._first = named(
            ipywidgets.Dropdown(description=gettext("Between"), layout=full),
            gettext("First stakeholder of a tie"),
        )
        self._second = named(
            ipywidgets.Dropdown(description=gettext("and"), layout=full),
            gettext("Second stakeholder of a tie"),
        )
        tie = named(
            ipywidgets.Button(description=gettext("Add tie"), icon="link"),
            gettext("Add tie: the two chosen stakeholders trust each other"),
        )
        untie = named(
            ipywidgets.Button(description=gettext("Remove tie"), icon="unlink"),
            gettext("Remove tie between the two chosen stakeholders"),
        )
        add.on_click(lambda _: self._add())
        remove.on_click(lambda _: self._remove())
        tie.on_click(lambda _: self._tie())
        untie.on_click(lambda _: self._untie())
        self.model.observe(self._names_changed, names="stakeholders")
        self._names_changed()
        super().__init__()
        wrap = {"flex_flow": "row wrap"}
        self._assemble(
            gettext("Trust map"),
            [
                self._name,
                ipywidgets.HBox([add, remove], layout=wrap),
                self._first,
                self._second,
                ipywidgets.HBox([tie, untie], layout=wrap),
            ],
        )

    def _add(self) -> None:
        name = self._name.value.strip()
        done = gettext("Added {name}.").format(name=name)
        if self._act(self.model.add_stakeholder, self._name.value, done=done):
            self._name.value = ""

    def _remove(self) -> None:
        typed = self._name.value.strip()
        name = find_same(typed, list(self.model.stakeholders)) if typed else None
        if name is None:
            self._say(
                gettext(
                    "type the name of a stakeholder on the map to remove ({name} is not on it)"
                ).format(name=repr(typed))
                if typed
                else gettext("type the name of the stakeholder to remove"),
                "error",
            )
            return
        ties = sum(name in pair for pair in self.model.ties)
        self._ask(
            gettext("Remove {name} and their {ties} tie(s) from the map?").format(
                name=name, ties=ties
            ),
            gettext("Yes, remove"),
            lambda: self._act(
                self.model.remove_stakeholder,
                name,
                done=gettext("Removed {name}. Undo last change brings them back.").format(
                    name=name
                ),
            ),
        )

    def _tie(self) -> None:
        first, second = self._first.value, self._second.value
        done = gettext("Tied {first} and {second}.").format(first=first, second=second)
        self._act(self.model.add_tie, first, second, done=done)

    def _untie(self) -> None:
        first, second = self._first.value, self._second.value
        self._act(
            self.model.remove_tie,
            first,
            second,
            done=gettext(
                "Removed the tie between {first} and {second}. Undo last change restores it."
            ).format(first=first, second=second),
        )

    def _names_changed(self, change: dict[str, Any] | None = None) -> None:
        names = list(self.model.stakeholders)
        first, second = self._first.value, self._second.value
        self._first.options = names
        self._second.options = names
        if names:
            self._first.value = first if first in names else names[0]
        if len(names) > 1:
            default = next(n for n in names if n != self._first.value)
            self._second.value = second if second in names and second != first else default
        elif names:
            self._second.value = names[0]
