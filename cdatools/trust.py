"""Trust networks: who works with whom, and how that changes.

Module 2 says the CDA first builds *bilateral* trust (between cluster
stakeholders, be they individuals or institutions) and then *multilateral* trust,
which the module defines as trust between the cluster's entrepreneurs and the
representatives of their support institutions. Two kinds of measure follow:

- :func:`institution_trust` and :func:`institution_trust_summary` read the
  module's multilateral trust directly, from each firm's rating of each support
  institution;
- the network measures below are the course's tools, not the module's. Ties
  between pairs (``ties``, ``mean_degree``) show bilateral trust. Closed triads
  (``triangles``, ``transitivity``, ``average_clustering``), ``density`` and one
  connected community (``components``, ``largest_component_share``) are the
  course's *proxy* for the group-wide side of trust among firms: they capture
  whether trust spreads beyond pairs and family groups, and miss trust in
  institutions altogether;
- brokers: stakeholders who link groups that would otherwise not meet (high
  betweenness, low Burt's constraint). They are useful allies for a CDA, and
  points of fragility if they leave.

Networks are undirected :class:`networkx.Graph` objects. networkx is imported
inside the functions, so ``import cdatools`` stays light.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from cdatools import _validate as v
from cdatools.i18n import N_, gettext

if TYPE_CHECKING:
    import networkx as nx
    from matplotlib.axes import Axes

WHERE = "trust"

#: Graphs up to this many nodes use exact dense-matrix betweenness and constraint
#: (fast for a few hundred nodes); larger graphs fall back to networkx.
DENSE_LIMIT = 600


@dataclass(frozen=True)
class TrustMeasures:
    """Whole-network measures of trust among stakeholders (the course's network proxy).

    Ties show bilateral trust; triangles, transitivity and connected groups show
    trust spreading beyond pairs. They are the course's proxy, not the module's
    multilateral trust (trust between entrepreneurs and their support
    institutions, see :func:`institution_trust_summary`).

    Attributes
    ----------
    nodes : int
        Stakeholders in the network, isolates included.
    ties : int
        Pairs with a tie (dyads): bilateral trust.
    mean_degree : float
        Average number of partners per stakeholder.
    triangles : int
        Closed triads (three stakeholders all tied to each other).
    transitivity : float
        Share of two-step paths that are closed into triangles (0-1).
    average_clustering : float
        Mean over stakeholders of how many of their partners are tied to each
        other (0-1; stakeholders with fewer than two partners count 0).
    density : float
        Share of all possible pairs that have a tie (0-1).
    components : int
        Separate groups (isolates count as one each); 1 means one community.
    largest_component_share : float
        Share of stakeholders in the largest group (0-1).
    isolates : int
        Stakeholders with no tie.
    """

    nodes: int
    ties: int
    mean_degree: float
    triangles: int
    transitivity: float
    average_clustering: float
    density: float
    components: int
    largest_component_share: float
    isolates: int


def _pick(df: pd.DataFrame, column: str, value: Any, what: str) -> pd.DataFrame:
    """Filter on one value (or several); with None, insist the column holds one value."""
    if column not in df.columns:
        if value is not None:
            raise ValueError(
                f"{WHERE}: cannot choose {what} {v.quote(value)}: the data has no column '{column}'"
            )
        return df
    found = list(dict.fromkeys(df[column].dropna().tolist()))
    if value is None:
        if len(found) > 1 and what == "wave":
            raise ValueError(
                f"{WHERE}: the ties come from {len(found)} waves ({v.quote_list(found)}); "
                f"pass wave=... to build one network per wave"
            )
        return df
    wanted = [value] if isinstance(value, (str, int)) else list(value)
    unknown = [w for w in wanted if w not in found]
    if unknown:
        raise ValueError(
            f"{WHERE}: {what} {v.quote(unknown[0])} is not in column '{column}'; "
            f"found {v.quote_list(found)}"
        )
    return df[df[column].isin(wanted)]


def _graph(nodes: Iterable[Hashable], pairs: pd.DataFrame, name: str) -> nx.Graph:
    import networkx as nx

    G = nx.Graph(name=name)
    G.add_nodes_from(nodes)
    G.add_weighted_edges_from(pairs.itertuples(index=False, name=None))
    if G.number_of_nodes() == 0:
        raise ValueError(
            f"{WHERE}: the network is empty (no stakeholders and no ties); check the filters "
            "(wave, tie, kind) or pass nodes=... to include stakeholders without ties"
        )
    return G


def _undirected_pairs(a: pd.Series, b: pd.Series) -> pd.DataFrame:
    """Count each unordered pair once, with the smaller label first."""
    a_str, b_str = a.astype(str), b.astype(str)
    swap = (a_str > b_str).to_numpy()
    first = np.where(swap, b.to_numpy(dtype=object), a.to_numpy(dtype=object))
    second = np.where(swap, a.to_numpy(dtype=object), b.to_numpy(dtype=object))
    pairs = pd.DataFrame({"u": first, "v": second})
    return pairs.groupby(["u", "v"], sort=True).size().rename("weight").reset_index()


def _require_known(values: pd.Series, nodes: list[Hashable], column: str) -> None:
    unknown = ~values.isin(nodes)
    if unknown.any():
        first, text, _ = v.first_bad(values.to_frame(), unknown)
        raise ValueError(
            f"{WHERE}: column '{column}' names {v.quote(values.iloc[first])} in {text}, "
            "which is not in the nodes given; expected one of the nodes"
        )


def network_from_ties(
    ties: pd.DataFrame,
    *,
    wave: object = None,
    tie: str | Sequence[str] | None = None,
    nodes: Iterable[Hashable] | None = None,
    source: str = "source",
    target: str = "target",
    wave_col: str = "wave",
    tie_col: str = "tie",
) -> nx.Graph:
    """Build an undirected network from a list of ties.

    Parameters
    ----------
    ties : pandas.DataFrame
        One row per tie, with ``source`` and ``target`` columns (and optionally
        ``wave`` and ``tie`` kind, as in the course's ``bagru_ties``).
    wave : optional
        Which wave to use; required when the table holds more than one.
    tie : str or sequence of str, optional
        Which kinds of tie to keep (e.g. ``'trust'``); default all.
    nodes : iterable, optional
        Every stakeholder, so those without ties are counted (e.g.
        ``units["unit_id"]``). Without it, only stakeholders with a tie appear.
    source, target, wave_col, tie_col : str
        Column names, if your data names them differently.

    Returns
    -------
    networkx.Graph
        Undirected; edge attribute ``weight`` = number of tie rows between the pair
        (e.g. 2 for a pair with an advice and a trust tie).

    Raises
    ------
    ValueError
        If a column is missing, a wave or tie kind is unknown, a tie joins a
        stakeholder to itself or names someone not in ``nodes``, or the network
        is empty.

    Examples
    --------
    >>> ties = pd.DataFrame({"source": ["a", "b"], "target": ["b", "c"]})
    >>> G = network_from_ties(ties, nodes=["a", "b", "c", "d"])
    >>> G.number_of_nodes(), G.number_of_edges()
    (4, 2)
    """
    v.require_columns(ties, [source, target], WHERE, name="ties")
    data = _pick(ties, wave_col, wave, "wave")
    data = _pick(data, tie_col, tie, "tie kind")
    for col in (source, target):
        v.require_no_missing(data, col, WHERE)
    self_tie = data[source] == data[target]
    if self_tie.any():
        first, text, _ = v.first_bad(data, self_tie)
        raise ValueError(
            f"{WHERE}: {text} ties {v.quote(data[source].iloc[first])} to itself; "
            "expected source and target to differ"
        )
    all_nodes = list(dict.fromkeys(nodes)) if nodes is not None else []
    if nodes is not None:
        _require_known(data[source], all_nodes, source)
        _require_known(data[target], all_nodes, target)
    pairs = _undirected_pairs(data[source], data[target])
    all_nodes += [n for n in pd.unique(pairs[["u", "v"]].to_numpy().ravel()) if n not in all_nodes]
    return _graph(all_nodes, pairs, f"ties {wave}" if wave is not None else "ties")


def network_from_meetings(
    meetings: pd.DataFrame | None,
    attendance: pd.DataFrame,
    *,
    kind: str | Sequence[str] | None = None,
    nodes: Iterable[Hashable] | None = None,
    min_meetings: int = 1,
    meeting: str = "meeting_id",
    person: str = "cda_id",
    kind_col: str = "kind",
) -> nx.Graph:
    """Build a co-attendance network: two people are tied if they met.

    Parameters
    ----------
    meetings : pandas.DataFrame or None
        One row per meeting (``meeting_id`` and optionally ``kind``), used to
        check attendance and to filter by kind; None to use all attendance rows.
    attendance : pandas.DataFrame
        One row per person per meeting.
    kind : str or sequence of str, optional
        Which kinds of meeting to count (e.g. ``'regional_peer'``).
    nodes : iterable, optional
        Every person, so those who never met anyone are counted.
    min_meetings : int
        Keep a tie only if the pair met at least this often.
    meeting, person, kind_col : str
        Column names, if your data names them differently.

    Returns
    -------
    networkx.Graph
        Undirected; edge attribute ``weight`` = meetings the pair attended together.

    Raises
    ------
    ValueError
        If a column is missing, attendance names an unknown meeting, a person is
        listed twice for one meeting, the kind is unknown, ``min_meetings`` < 1,
        or the network is empty.

    Examples
    --------
    >>> attendance = pd.DataFrame({"meeting_id": ["m1", "m1", "m1", "m2", "m2"],
    ...                            "cda_id": ["A", "B", "C", "A", "B"]})
    >>> G = network_from_meetings(None, attendance)
    >>> G["A"]["B"]["weight"], G["A"]["C"]["weight"]
    (2, 1)
    """
    min_meetings = v.require_positive_int(min_meetings, WHERE, "min_meetings")
    v.require_columns(attendance, [meeting, person], WHERE, name="attendance")
    for col in (meeting, person):
        v.require_no_missing(attendance, col, WHERE)
    v.require_unique(attendance, [meeting, person], WHERE)
    data = attendance
    if meetings is not None:
        v.require_columns(meetings, [meeting], WHERE, name="meetings")
        unknown = ~data[meeting].isin(meetings[meeting])
        if unknown.any():
            first, text, _ = v.first_bad(data, unknown)
            raise ValueError(
                f"{WHERE}: attendance {text} names meeting "
                f"{v.quote(data[meeting].iloc[first])}, which is not in the meetings table"
            )
        chosen = _pick(meetings, kind_col, kind, "meeting kind")
        data = data[data[meeting].isin(chosen[meeting])]
    elif kind is not None:
        raise ValueError(f"{WHERE}: to filter by kind, pass the meetings table")
    all_nodes = list(dict.fromkeys(nodes)) if nodes is not None else []
    if nodes is not None:
        _require_known(data[person], all_nodes, person)
    pairs_raw = data[[meeting, person]].merge(data[[meeting, person]], on=meeting)
    pairs_raw = pairs_raw[
        pairs_raw[f"{person}_x"].astype(str) < pairs_raw[f"{person}_y"].astype(str)
    ]
    pairs = _undirected_pairs(pairs_raw[f"{person}_x"], pairs_raw[f"{person}_y"])
    pairs = pairs[pairs["weight"] >= min_meetings]
    all_nodes += [n for n in pd.unique(data[person]) if n not in all_nodes]
    return _graph(all_nodes, pairs, "co-attendance")


def network_between(
    meetings: pd.DataFrame,
    attendance: pd.DataFrame,
    *,
    start: str | pd.Timestamp | None = None,
    end: str | pd.Timestamp | None = None,
    kind: str | Sequence[str] | None = None,
    nodes: Iterable[Hashable] | None = None,
    date: str = "date",
    meeting: str = "meeting_id",
    person: str = "cda_id",
) -> nx.Graph:
    """Co-attendance network of the meetings held in a period (and of some kinds).

    Keeps the meetings dated from ``start`` (included) to ``end`` (excluded) and
    their attendance, then calls :func:`network_from_meetings`.

    Parameters
    ----------
    meetings : pandas.DataFrame
        One row per meeting with an id, a date and a ``kind`` column.
    attendance : pandas.DataFrame
        One row per person per meeting.
    start, end : str or pandas.Timestamp, optional
        The period; open-ended when omitted.
    kind : str or sequence of str, optional
        Keep only meetings of these kinds.
    nodes : iterable, optional
        Everyone who should appear, ties or not.
    date, meeting, person : str
        Column names, if your data names them differently.

    Returns
    -------
    networkx.Graph
        As for :func:`network_from_meetings`.

    Raises
    ------
    ValueError
        If a column is missing, a date cannot be read, or as for
        :func:`network_from_meetings`.

    Examples
    --------
    >>> meetings = pd.DataFrame({"meeting_id": ["m1", "m2"], "kind": ["peer", "peer"],
    ...                          "date": pd.to_datetime(["2008-01-01", "2009-01-01"])})
    >>> attendance = pd.DataFrame({"meeting_id": ["m1", "m1", "m2", "m2"],
    ...                            "cda_id": ["A", "B", "B", "C"]})
    >>> sorted(network_between(meetings, attendance, end="2008-07-01").edges())
    [('A', 'B')]
    """
    v.require_columns(meetings, [meeting, date], WHERE, name="meetings")
    dates = pd.to_datetime(meetings[date], errors="coerce")
    if dates.isna().any():
        row = int(np.flatnonzero(dates.isna().to_numpy())[0])
        raise ValueError(
            f"{WHERE}: column {date!r} row {row} holds {meetings[date].iloc[row]!r}, not a date"
        )
    keep = pd.Series(True, index=meetings.index)
    if start is not None:
        keep &= dates >= pd.Timestamp(start)
    if end is not None:
        keep &= dates < pd.Timestamp(end)
    chosen = meetings[keep]
    v.require_columns(attendance, [meeting, person], WHERE, name="attendance")
    present = attendance[attendance[meeting].isin(chosen[meeting])]
    return network_from_meetings(
        chosen, present, kind=kind, nodes=nodes, meeting=meeting, person=person
    )


def _require_graph(G: Any) -> None:
    import networkx as nx

    if not isinstance(G, nx.Graph) or G.is_directed() or G.is_multigraph():
        raise ValueError(
            f"{WHERE}: expected an undirected networkx.Graph; got {type(G).__name__}. "
            "Build one with network_from_ties or network_from_meetings."
        )
    if G.number_of_nodes() == 0:
        raise ValueError(f"{WHERE}: the network is empty; expected at least one stakeholder")


def trust_measures(G: nx.Graph) -> TrustMeasures:
    """Compute the network measures of trust: ties (bilateral) and the course's group proxy.

    Parameters
    ----------
    G : networkx.Graph
        An undirected network with at least one node.

    Returns
    -------
    TrustMeasures
        Counts and shares described in :class:`TrustMeasures`. Edge weights are
        ignored: a tie is there or not.

    Raises
    ------
    ValueError
        If ``G`` is not an undirected Graph or has no nodes.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.Graph()
    >>> G.add_edges_from([("a", "b"), ("b", "c"), ("c", "a"), ("c", "d")])
    >>> m = trust_measures(G)
    >>> m.triangles, m.transitivity, round(m.density, 3)
    (1, 0.6, 0.667)
    """
    import networkx as nx

    _require_graph(G)
    n = G.number_of_nodes()
    m = G.number_of_edges()
    tri = np.fromiter(nx.triangles(G).values(), dtype=float, count=n)
    deg = np.fromiter((d for _, d in G.degree()), dtype=float, count=n)
    triads = deg * (deg - 1) / 2
    with np.errstate(invalid="ignore", divide="ignore"):
        local = np.where(triads > 0, tri / np.where(triads > 0, triads, 1), 0.0)
    sizes = [len(c) for c in nx.connected_components(G)]
    return TrustMeasures(
        nodes=n,
        ties=m,
        mean_degree=2 * m / n,
        triangles=int(tri.sum() // 3),
        transitivity=float(tri.sum() / triads.sum()) if triads.sum() > 0 else 0.0,
        average_clustering=float(local.mean()),
        density=float(nx.density(G)),
        components=len(sizes),
        largest_component_share=max(sizes) / n,
        isolates=int((deg == 0).sum()),
    )


def _dense_betweenness(A: np.ndarray) -> np.ndarray:
    """Exact normalised betweenness of an undirected, unweighted graph (Brandes, in matrix form).

    Breadth-first search runs from every source at once: row ``s`` of ``dist``
    and ``sigma`` holds the distance to, and number of shortest paths to, each
    node. Dependencies are then accumulated level by level, from the farthest
    back to the source, as in Brandes (2001).
    """
    n = A.shape[0]
    dist = np.full((n, n), -1, dtype=np.int64)
    np.fill_diagonal(dist, 0)
    sigma = np.eye(n)
    frontier = np.eye(n)
    level = 0
    while True:
        reached = frontier @ A
        new = (reached > 0) & (dist < 0)
        if not new.any():
            break
        level += 1
        dist[new] = level
        frontier = np.where(new, reached, 0.0)
        sigma += frontier
    delta = np.zeros((n, n))
    safe_sigma = np.where(sigma > 0, sigma, 1.0)
    for lvl in range(level, 0, -1):
        pull = np.where(dist == lvl, (1.0 + delta) / safe_sigma, 0.0) @ A
        delta += np.where(dist == lvl - 1, sigma * pull, 0.0)
    np.fill_diagonal(delta, 0.0)
    scores = delta.sum(axis=0)
    # Each unordered pair was counted from both ends; normalise by (n-1)(n-2)/2 pairs.
    return scores / ((n - 1) * (n - 2)) if n > 2 else np.zeros(n)


def _dense_constraint(W: np.ndarray) -> np.ndarray:
    """Burt's constraint from a symmetric weight matrix; NaN for isolates."""
    strength = W.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        P = W / strength[:, None]
    P[strength == 0] = 0.0
    local = (P + P @ P) ** 2
    c = np.where(W > 0, local, 0.0).sum(axis=1)
    return np.where(strength > 0, c, np.nan)


def brokers(G: nx.Graph, *, top: int | None = 5, weight: str | None = None) -> pd.DataFrame:
    """Rank stakeholders as brokers: high betweenness, low Burt's constraint.

    Betweenness is the share of shortest paths between other pairs that pass
    through a stakeholder (0-1, hop counts, exact). Burt's constraint (about 0-1)
    is high when all of a stakeholder's partners know each other (no brokerage)
    and low when they bridge separate groups. Constraint is undefined for a
    stakeholder with no ties: it is NaN there.

    Parameters
    ----------
    G : networkx.Graph
        An undirected network with at least one node.
    top : int or None
        How many rows to return (None for all).
    weight : str, optional
        Edge attribute used as tie strength in the constraint; default None
        treats every tie alike (as networkx does).

    Returns
    -------
    pandas.DataFrame
        Columns ``node``, ``degree``, ``betweenness`` and ``constraint``, sorted by
        betweenness (high first), then constraint (low first), then node.

    Raises
    ------
    ValueError
        If ``G`` is not an undirected Graph, has no nodes, or ``top`` < 1.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.Graph()
    >>> G.add_edges_from([("a", "b"), ("b", "c"), ("c", "a"), ("c", "d")])
    >>> brokers(G, top=1)[["node", "degree", "betweenness"]].round(3)
      node  degree  betweenness
    0    c       3        0.667
    """
    import networkx as nx

    _require_graph(G)
    if top is not None:
        top = v.require_positive_int(top, WHERE, "top")
    nodes = list(G)
    n = len(nodes)
    if n <= DENSE_LIMIT:
        W = nx.to_numpy_array(G, nodelist=nodes, weight=weight, nonedge=0.0)
        np.fill_diagonal(W, 0.0)
        A = (W != 0).astype(float)
        between = _dense_betweenness(A)
        constraint = _dense_constraint(np.abs(W) if weight else A)
    else:
        between_map = nx.betweenness_centrality(G)
        between = np.array([between_map[u] for u in nodes])
        constraint_map = nx.constraint(G, weight=weight)
        constraint = np.array([constraint_map[u] for u in nodes], dtype=float)
    table = pd.DataFrame(
        {
            "node": nodes,
            "degree": [G.degree(u) for u in nodes],
            "betweenness": between,
            "constraint": constraint,
        }
    )
    order = np.lexsort(
        (
            table["node"].astype(str).to_numpy(),
            table["constraint"].fillna(np.inf).to_numpy(),
            -table["betweenness"].round(12).to_numpy(),
        )
    )
    table = table.iloc[order].reset_index(drop=True)
    return table if top is None else table.head(top)


def compare_waves(before: nx.Graph, after: nx.Graph) -> pd.DataFrame:
    """Set the trust measures of two waves side by side.

    Parameters
    ----------
    before, after : networkx.Graph
        The networks of the two waves (ideally over the same stakeholders: pass
        ``nodes=`` when building them, so density is comparable).

    Returns
    -------
    pandas.DataFrame
        One row per measure of :class:`TrustMeasures`, columns ``before``,
        ``after`` and ``change`` (after minus before).

    Raises
    ------
    ValueError
        If either network is empty or not an undirected Graph.

    Examples
    --------
    >>> import networkx as nx
    >>> table = compare_waves(nx.path_graph(3), nx.complete_graph(3))
    >>> table.loc["triangles"].tolist()
    [0.0, 1.0, 1.0]
    """
    b = asdict(trust_measures(before))
    a = asdict(trust_measures(after))
    table = pd.DataFrame({"before": b, "after": a}, dtype=float)
    table["change"] = table["after"] - table["before"]
    table.index.name = "measure"
    return table


def tie_changes(before: nx.Graph, after: nx.Graph) -> pd.DataFrame:
    """List ties kept, gained and lost between two waves.

    Parameters
    ----------
    before, after : networkx.Graph
        The networks of the two waves.

    Returns
    -------
    pandas.DataFrame
        Columns ``source``, ``target`` (the smaller label first) and ``status``
        (``'kept'``, ``'gained'`` or ``'lost'``), sorted by status then pair.

    Raises
    ------
    ValueError
        If either network is empty or not an undirected Graph.

    Examples
    --------
    >>> import networkx as nx
    >>> before, after = nx.Graph(), nx.Graph()
    >>> before.add_edge("a", "b")
    >>> after.add_edge("b", "c")
    >>> tie_changes(before, after)
      source target  status
    0      b      c  gained
    1      a      b    lost
    """
    _require_graph(before)
    _require_graph(after)

    def pairs(G: nx.Graph) -> set[tuple[Hashable, Hashable]]:
        return {(u, w) if str(u) <= str(w) else (w, u) for u, w in G.edges()}

    b, a = pairs(before), pairs(after)
    rows = [(*p, "kept") for p in b & a] + [(*p, "gained") for p in a - b]
    rows += [(*p, "lost") for p in b - a]
    table = pd.DataFrame(rows, columns=["source", "target", "status"])
    rank = table["status"].map({"kept": 0, "gained": 1, "lost": 2})
    order = np.lexsort((table["target"].astype(str), table["source"].astype(str), rank))
    return table.iloc[order].reset_index(drop=True)


def fixed_layout(*graphs: nx.Graph, seed: int = 0) -> dict[Hashable, np.ndarray]:
    """One node layout for several networks, so the same stakeholder stays in place.

    The layout is computed once on the union of the networks, so drawing each
    wave with it makes new and lost ties visible instead of reshuffling everyone.
    The largest connected group of the union gets a force-directed ("spring")
    layout; everyone outside it (isolates and small groups) sits on a ring
    around it, small groups side by side, so they neither hide in the crowd nor
    get flung to the corners.

    Parameters
    ----------
    *graphs : networkx.Graph
        The networks (e.g. before and after).
    seed : int
        Random seed; the same seed gives the same picture.

    Returns
    -------
    dict
        Node to an (x, y) array, for :func:`plot_network`'s ``pos``.

    Raises
    ------
    ValueError
        If no network is given or one is empty or not an undirected Graph.

    Examples
    --------
    >>> import networkx as nx
    >>> pos = fixed_layout(nx.path_graph(3), nx.path_graph(4))
    >>> sorted(pos)
    [0, 1, 2, 3]
    """
    import networkx as nx

    if not graphs:
        raise ValueError(f"{WHERE}: fixed_layout needs at least one network; got none")
    for G in graphs:
        _require_graph(G)
    union = nx.compose_all(graphs)
    groups = sorted(nx.connected_components(union), key=lambda c: (-len(c), min(map(str, c))))
    core = union.subgraph(groups[0])
    try:
        pos = nx.spring_layout(core, seed=seed)
    except ImportError:  # networkx needs scipy for 500+ nodes; use a numpy-only layout
        pos = nx.forceatlas2_layout(core, seed=seed)
    pos = {u: np.asarray(xy, dtype=float) for u, xy in pos.items()}
    rim = [u for group in groups[1:] for u in sorted(group, key=str)]
    if rim:
        centre = np.mean(list(pos.values()), axis=0)
        radius = max(
            float(np.max(np.linalg.norm(np.array(list(pos.values())) - centre, axis=1))), 0.5
        )
        angles = np.linspace(0, 2 * np.pi, len(rim), endpoint=False)
        for u, angle in zip(rim, angles, strict=True):
            pos[u] = centre + 1.15 * radius * np.array([np.cos(angle), np.sin(angle)])
    return pos


def institution_trust(
    ratings: pd.DataFrame,
    *,
    threshold: int = 4,
    names: Mapping[str, str] | None = None,
    wide: bool = False,
    unit: str = "unit_id",
    institution: str = "institution_id",
    rating: str = "trust",
    wave: str = "wave",
) -> pd.DataFrame:
    """How far firms trust each support institution, wave by wave.

    Parameters
    ----------
    ratings : pandas.DataFrame
        One row per wave, unit and institution with a 1-5 trust rating, as in
        the course's ``bagru_institution_trust``.
    threshold : int
        Rating from which a unit counts as trusting the institution (default 4).
    names : mapping, optional
        Institution id to a readable name, added as a ``name`` column.
    wide : bool
        If True, return only ``share_trusting``, one row per institution (named
        by ``names`` when given) and one column per wave, in wave order.
    unit, institution, rating, wave : str
        Column names, if your data names them differently.

    Returns
    -------
    pandas.DataFrame
        One row per institution and wave: ``respondents``, ``mean_rating`` and
        ``share_trusting`` (share of units rating it ``threshold`` or more).

    Raises
    ------
    ValueError
        If a column is missing, a rating is outside 1-5 or ``threshold`` is
        not 1-5.

    Examples
    --------
    >>> r = pd.DataFrame({"wave": ["before"] * 2, "unit_id": ["U1", "U2"],
    ...                   "institution_id": ["BANK", "BANK"], "trust": [2, 5]})
    >>> institution_trust(r)[["institution_id", "share_trusting"]]
      institution_id  share_trusting
    0           BANK             0.5
    """
    table = _institution_ratings(ratings, threshold, unit, institution, rating, wave)
    out = (
        table.groupby([institution, wave], observed=True, sort=True)
        .agg(
            respondents=(unit, "nunique"),
            mean_rating=(rating, "mean"),
            share_trusting=("_trusts", "mean"),
        )
        .reset_index()
    )
    if names is not None:
        out.insert(1, "name", out[institution].map(names))
    if wide:
        row = "name" if names is not None else institution
        out = out.pivot_table(
            index=row, columns=wave, values="share_trusting", aggfunc="first", observed=True
        )
        out.columns = [str(c) for c in out.columns]
        out.columns.name = "share trusting"
    return out


def institution_trust_summary(
    ratings: pd.DataFrame,
    *,
    threshold: int = 4,
    unit: str = "unit_id",
    institution: str = "institution_id",
    rating: str = "trust",
    wave: str = "wave",
) -> pd.DataFrame:
    """Multilateral trust in the module's sense: firms' trust in their institutions.

    Parameters
    ----------
    ratings : pandas.DataFrame
        As for :func:`institution_trust`.
    threshold : int
        Rating from which a unit counts as trusting an institution.
    unit, institution, rating, wave : str
        Column names, if your data names them differently.

    Returns
    -------
    pandas.DataFrame
        One row per measure, one column per wave: ``units``, ``institutions``,
        ``mean_rating``, ``mean_institutions_trusted``, ``share_trusting_none``
        and ``share_trusting_three_or_more``.

    Raises
    ------
    ValueError
        As for :func:`institution_trust`.

    Examples
    --------
    >>> r = pd.DataFrame({"wave": ["before"] * 2, "unit_id": ["U1", "U2"],
    ...                   "institution_id": ["BANK", "BANK"], "trust": [2, 5]})
    >>> float(institution_trust_summary(r).loc["share_trusting_none", "before"])
    0.5
    """
    table = _institution_ratings(ratings, threshold, unit, institution, rating, wave)
    per_unit = table.groupby([wave, unit], observed=True)["_trusts"].sum().reset_index()
    columns = {}
    for name, part in per_unit.groupby(wave, observed=True, sort=True):
        rows = table[table[wave] == name]
        counts = part["_trusts"]
        columns[name] = {
            "units": float(part[unit].nunique()),
            "institutions": float(rows[institution].nunique()),
            "mean_rating": float(rows[rating].mean()),
            "mean_institutions_trusted": float(counts.mean()),
            "share_trusting_none": float((counts == 0).mean()),
            "share_trusting_three_or_more": float((counts >= 3).mean()),
        }
    return pd.DataFrame(columns)


def _institution_ratings(
    ratings: pd.DataFrame,
    threshold: int,
    unit: str,
    institution: str,
    rating: str,
    wave: str,
) -> pd.DataFrame:
    v.require_columns(ratings, [wave, unit, institution, rating], WHERE, name="ratings")
    v.require_nonempty(ratings, WHERE, name="ratings")
    if not (isinstance(threshold, (int, np.integer)) and 1 <= threshold <= 5):
        raise ValueError(f"{WHERE}: threshold must be a whole rating 1-5; got {threshold!r}")
    scores = v.require_numeric(ratings, rating, WHERE, id_col=unit, low=1, high=5)
    table = ratings.copy()
    table[rating] = scores
    table["_trusts"] = scores >= threshold
    return table


def ties_across_groups(
    ties: pd.DataFrame,
    groups: Mapping[Hashable, object],
    *,
    tie: str = "trust",
    wave: str = "wave",
    source: str = "source",
    target: str = "target",
) -> pd.DataFrame:
    """Count ties of one kind that cross from one group to another, per wave.

    Parameters
    ----------
    ties : pandas.DataFrame
        One row per tie, with ``wave``, ``source``, ``target`` and ``tie``
        columns as in the course's ``bagru_ties``.
    groups : mapping
        Stakeholder to group (for example unit to family group).
    tie : str
        The kind of tie to count.
    wave, source, target : str
        Column names, if your data names them differently.

    Returns
    -------
    pandas.DataFrame
        One row per wave: ``ties``, ``across_groups`` and ``share_across``.

    Raises
    ------
    ValueError
        If a column is missing or a stakeholder has no group.

    Examples
    --------
    >>> t = pd.DataFrame({"wave": ["w", "w"], "source": ["A", "A"],
    ...                   "target": ["B", "C"], "tie": ["trust", "trust"]})
    >>> ties_across_groups(t, {"A": 1, "B": 1, "C": 2}).to_dict("records")
    [{'ties': 2, 'across_groups': 1, 'share_across': 0.5}]
    """
    v.require_columns(ties, [wave, source, target, "tie"], WHERE, name="ties")
    chosen = ties[ties["tie"] == tie]
    group_of = pd.Series(groups, dtype=object)
    for column in (source, target):
        missing = sorted(set(chosen[column]) - set(group_of.index), key=str)
        if missing:
            raise ValueError(
                f"{WHERE}: {column} {missing[0]!r} has no group; give every stakeholder a group"
            )
    across = chosen[source].map(group_of).to_numpy() != chosen[target].map(group_of).to_numpy()
    table = chosen.assign(_across=across).groupby(wave, observed=True)["_across"]
    out = pd.DataFrame({"ties": table.size(), "across_groups": table.sum().astype(int)})
    out["share_across"] = out["across_groups"] / out["ties"]
    return out


def group_of(table: pd.DataFrame, key: str, group: str) -> dict[Hashable, object]:
    """A mapping from each row's ``key`` to its ``group``, for colouring a network.

    Parameters
    ----------
    table : pandas.DataFrame
        For example the ``bagru_units`` table.
    key, group : str
        The id column and the group column.

    Returns
    -------
    dict

    Raises
    ------
    ValueError
        If a column is missing or a key repeats.

    Examples
    --------
    >>> group_of(pd.DataFrame({"id": ["A", "B"], "zone": ["N", "S"]}), "id", "zone")
    {'A': 'N', 'B': 'S'}
    """
    v.require_columns(table, [key, group], WHERE, name="table")
    v.require_unique(table, [key], WHERE)
    return dict(zip(table[key], table[group], strict=True))


def part_of(G: nx.Graph, nodes: Iterable[Hashable]) -> nx.Graph:
    """The part of a network made of the given stakeholders and the ties among them.

    Parameters
    ----------
    G : networkx.Graph
        The network.
    nodes : iterable
        Stakeholders to keep; those not in ``G`` are ignored.

    Returns
    -------
    networkx.Graph
        A new graph (a copy, so changing it leaves ``G`` alone).

    Raises
    ------
    ValueError
        If ``G`` is not a networkx graph.

    Examples
    --------
    >>> import networkx as nx
    >>> part_of(nx.path_graph(4), [0, 1, 2]).number_of_edges()
    2
    """
    _require_graph(G)
    return G.subgraph(list(nodes)).copy()


def plot_network(
    G: nx.Graph,
    *,
    pos: Mapping[Hashable, Sequence[float]] | None = None,
    ax: Axes | None = None,
    groups: Mapping[Hashable, object] | None = None,
    highlight: Iterable[Hashable] = (),
    title: str = N_("Trust network"),
    seed: int = 0,
) -> Axes:
    """Draw a network: grey lines for ties, dots for stakeholders.

    Positions have no units, so the axes are hidden; the title and legend carry
    the meaning. Pass the same ``pos`` (from :func:`fixed_layout`) for each wave.

    Parameters
    ----------
    G : networkx.Graph
        The network.
    pos : mapping, optional
        Node to (x, y); computed with :func:`fixed_layout` when omitted.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure is made when omitted.
    groups : mapping, optional
        Node to group (e.g. the kind of unit) for colour and legend.
    highlight : iterable
        Nodes to mark and label (e.g. the top brokers).
    title : str
        Plot title.
    seed : int
        Layout seed when ``pos`` is omitted.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes: one line collection for the ties and one scatter per group.

    Raises
    ------
    ValueError
        If ``G`` is empty, ``pos`` lacks a node, or a highlighted node is not in ``G``.

    Examples
    --------
    >>> import networkx as nx
    >>> ax = plot_network(nx.path_graph(4), highlight=[1])
    >>> ax.get_title()
    'Trust network'
    """
    from matplotlib.collections import LineCollection

    from cdatools import plotting

    _require_graph(G)
    pos = fixed_layout(G, seed=seed) if pos is None else pos
    missing = [u for u in G if u not in pos]
    if missing:
        raise ValueError(
            f"{WHERE}: pos has no position for node {v.quote(missing[0])}; build pos with "
            "fixed_layout(...) over every wave you draw"
        )
    marked = list(dict.fromkeys(highlight))
    absent = [u for u in marked if u not in G]
    if absent:
        raise ValueError(f"{WHERE}: highlighted node {v.quote(absent[0])} is not in the network")
    ax = plotting.new_axes(ax, figsize=(7.0, 7.0))
    segments = [(pos[u], pos[w]) for u, w in G.edges()]
    ax.add_collection(LineCollection(segments, colors=plotting.GREY, linewidths=0.6, alpha=0.6))
    nodes = list(G)
    labels = [groups.get(u, "other") if groups else "stakeholder" for u in nodes]
    colours = plotting.color_map(sorted(set(labels), key=str))
    xy = np.array([pos[u] for u in nodes], dtype=float).reshape(-1, 2)
    for group, colour in colours.items():
        keep = np.array([lab == group for lab in labels])
        size = 25 if len(nodes) <= 100 else 12
        ax.scatter(xy[keep, 0], xy[keep, 1], s=size, color=colour, label=str(group), zorder=2)
    for u in marked:
        x, y = pos[u]
        ax.scatter([x], [y], s=140, facecolors="none", edgecolors="black", linewidths=1.5, zorder=3)
        ax.annotate(str(u), (x, y), xytext=(5, 5), textcoords="offset points", fontsize=9)
    if groups:
        ax.legend(frameon=False, loc="upper left", bbox_to_anchor=(1, 1), title=gettext("Group"))
    ax.set_aspect("equal", adjustable="datalim")
    ax.margins(0.08)
    ax.autoscale_view()
    ax.set_xticks([])
    ax.set_yticks([])
    plotting.style_axes(ax, title, grid=None)
    for side in ("left", "bottom"):
        ax.spines[side].set_visible(False)
    m = trust_measures(G)
    ax.set_xlabel(
        gettext("{nodes} stakeholders, {ties} ties, {components} connected part(s)").format(
            nodes=m.nodes, ties=m.ties, components=m.components
        )
    )
    return ax
