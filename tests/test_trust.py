"""cdatools.trust: networks from ties and meetings, trust measures, brokers, waves, plots."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import networkx as nx
import numpy as np
import pandas as pd
import pytest

from cdatools.trust import (
    TrustMeasures,
    brokers,
    compare_waves,
    fixed_layout,
    network_from_meetings,
    network_from_ties,
    plot_network,
    tie_changes,
    trust_measures,
)


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def kite() -> nx.Graph:
    """a-b-c form a triangle; d hangs off c; e is alone.

    By hand: 5 nodes, 4 ties, 1 triangle. Connected triples (pairs of partners):
    a 1, b 1, c 3, d 0, e 0 = 5, of which 3 are closed: transitivity 3/5 = 0.6.
    Clustering: a 1, b 1, c 1/3, d 0, e 0 -> mean 7/15. Density 4/10.
    """
    G = nx.Graph()  # built edge by edge: nx.Graph(edges) warns on networkx 3.0 without scipy
    G.add_edges_from([("a", "b"), ("b", "c"), ("c", "a"), ("c", "d")])
    G.add_node("e")
    return G


def ties() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "wave": ["before"] * 3 + ["after"] * 4,
            "source": ["a", "a", "b", "a", "a", "b", "c"],
            "target": ["b", "c", "c", "b", "b", "c", "d"],
            "tie": ["trust", "advice", "trust", "trust", "advice", "trust", "joint_order"],
        }
    )


# --- trust_measures ----------------------------------------------------------------------------


def test_trust_measures_by_hand():
    m = trust_measures(kite())
    assert m == TrustMeasures(
        nodes=5,
        ties=4,
        mean_degree=1.6,
        triangles=1,
        transitivity=0.6,
        average_clustering=pytest.approx(7 / 15),
        density=0.4,
        components=2,
        largest_component_share=0.8,
        isolates=1,
    )


def test_trust_measures_agree_with_networkx():
    G = nx.gnm_random_graph(60, 150, seed=3)
    m = trust_measures(G)
    assert m.transitivity == pytest.approx(nx.transitivity(G))
    assert m.average_clustering == pytest.approx(nx.average_clustering(G))
    assert m.triangles == sum(nx.triangles(G).values()) // 3


def test_single_stakeholder_network():
    G = nx.Graph()
    G.add_node("only")
    m = trust_measures(G)
    assert (m.nodes, m.ties, m.density, m.components, m.isolates) == (1, 0, 0.0, 1, 1)


@pytest.mark.parametrize(
    ("graph", "match"),
    [
        (nx.Graph(), "the network is empty"),
        (nx.path_graph(2, create_using=nx.DiGraph), "expected an undirected networkx.Graph"),
        ("a-b", "got str"),
    ],
)
def test_bad_networks_raise(graph, match):
    with pytest.raises(ValueError, match=match):
        trust_measures(graph)


# --- brokers -----------------------------------------------------------------------------------


def test_brokers_by_hand():
    table = brokers(kite(), top=None).set_index("node")
    # c sits on the a-d and b-d paths: 2 of the C(4,2) = 6 pairs among the other four nodes
    assert table.loc["c", "betweenness"] == pytest.approx(2 / 6)
    assert table.loc["a", "betweenness"] == 0
    # Burt's constraint: d has one partner (1.0); a: (1/2 + 1/2*1/3)^2 + (1/2 + 1/2*1/2)^2
    assert table.loc["d", "constraint"] == pytest.approx(1.0)
    assert table.loc["a", "constraint"] == pytest.approx(4 / 9 + 9 / 16)
    assert table.loc["c", "constraint"] == pytest.approx(1 / 4 + 1 / 4 + 1 / 9)
    assert np.isnan(table.loc["e", "constraint"])  # undefined for an isolate


def test_brokers_order_and_top():
    table = brokers(kite(), top=2)
    assert table["node"].tolist() == ["c", "d"]  # then lowest constraint among the zero-betweenness
    assert list(table.columns) == ["node", "degree", "betweenness", "constraint"]


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_brokers_agree_with_networkx(seed):
    G = nx.gnm_random_graph(80, 160, seed=seed)
    G.add_node("isolate")
    for u, w in G.edges():
        G[u][w]["weight"] = 1 + (hash((u, w)) % 3)
    table = brokers(G, top=None, weight="weight").set_index("node")
    between = nx.betweenness_centrality(G)
    constraint = nx.constraint(G, weight="weight")
    for node in G:
        assert table.loc[node, "betweenness"] == pytest.approx(between[node], abs=1e-12)
        if np.isnan(constraint[node]):
            assert np.isnan(table.loc[node, "constraint"])
        else:
            assert table.loc[node, "constraint"] == pytest.approx(constraint[node])


def test_brokers_large_graph_uses_networkx(monkeypatch):
    import cdatools.trust as trust

    monkeypatch.setattr(trust, "DENSE_LIMIT", 5)
    table = brokers(kite(), top=None).set_index("node")
    assert table.loc["c", "betweenness"] == pytest.approx(2 / 6)
    assert table.loc["c", "constraint"] == pytest.approx(11 / 18)


def test_brokers_top_must_be_positive():
    with pytest.raises(ValueError, match="top must be a whole number >= 1; got 0"):
        brokers(kite(), top=0)


# --- network_from_ties -------------------------------------------------------------------------


def test_network_from_ties_counts_tie_kinds_as_weight():
    G = network_from_ties(ties(), wave="after", nodes=list("abcde"))
    assert sorted(G.nodes) == list("abcde")
    assert G["a"]["b"]["weight"] == 2  # trust + advice
    assert G["c"]["d"]["weight"] == 1
    assert G.number_of_edges() == 3


def test_network_from_ties_filters_by_kind():
    G = network_from_ties(ties(), wave="after", tie="trust")
    assert sorted(G.edges) == [("a", "b"), ("b", "c")]
    G = network_from_ties(ties(), wave="after", tie=["trust", "joint_order"])
    assert G.number_of_edges() == 3


def test_reversed_duplicates_are_one_tie():
    data = pd.DataFrame({"source": ["a", "b"], "target": ["b", "a"]})
    G = network_from_ties(data)
    assert G.number_of_edges() == 1
    assert G["a"]["b"]["weight"] == 2


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({}, r"2 waves \('before', 'after'\); pass wave="),
        ({"wave": "during"}, "wave 'during' is not in column 'wave'"),
        ({"wave": "after", "tie": "friendship"}, "tie kind 'friendship' is not in column 'tie'"),
        ({"wave": "after", "nodes": ["a", "b", "c"]}, "names 'd' in row 6"),
    ],
)
def test_network_from_ties_errors(kwargs, match):
    with pytest.raises(ValueError, match=match):
        network_from_ties(ties(), **kwargs)


def test_self_tie_raises():
    data = pd.DataFrame({"source": ["a", "b"], "target": ["b", "b"]})
    with pytest.raises(ValueError, match="row 1 ties 'b' to itself"):
        network_from_ties(data)


def test_empty_network_raises():
    data = pd.DataFrame({"source": pd.Series([], dtype=str), "target": pd.Series([], dtype=str)})
    with pytest.raises(ValueError, match="the network is empty"):
        network_from_ties(data)
    assert network_from_ties(data, nodes=["x"]).number_of_nodes() == 1


def test_other_column_names():
    data = pd.DataFrame({"from": ["a"], "to": ["b"]})
    G = network_from_ties(data, source="from", target="to")
    assert list(G.edges) == [("a", "b")]
    with pytest.raises(ValueError, match="missing columns 'source', 'target'"):
        network_from_ties(data)


# --- network_from_meetings ---------------------------------------------------------------------


def meetings() -> tuple[pd.DataFrame, pd.DataFrame]:
    meet = pd.DataFrame({"meeting_id": ["m1", "m2", "m3"], "kind": ["review", "peer", "peer"]})
    attendance = pd.DataFrame(
        {
            "meeting_id": ["m1", "m1", "m1", "m2", "m2", "m3", "m3"],
            "cda_id": ["A", "B", "C", "A", "B", "A", "B"],
        }
    )
    return meet, attendance


def test_co_attendance_by_hand():
    G = network_from_meetings(*meetings())
    assert G["A"]["B"]["weight"] == 3
    assert G["A"]["C"]["weight"] == 1
    assert G["B"]["C"]["weight"] == 1


def test_co_attendance_by_kind_and_minimum():
    G = network_from_meetings(*meetings(), kind="peer", nodes=["A", "B", "C", "D"])
    assert list(G.edges(data="weight")) == [("A", "B", 2)]
    assert G.number_of_nodes() == 4
    G = network_from_meetings(*meetings(), min_meetings=2)
    assert list(G.edges) == [("A", "B")]
    assert G.has_node("C")


def test_attendance_at_an_unknown_meeting_raises():
    meet, attendance = meetings()
    with pytest.raises(ValueError, match="names meeting 'm3', which is not in the meetings table"):
        network_from_meetings(meet.iloc[:2], attendance)


def test_person_listed_twice_for_a_meeting_raises():
    meet, attendance = meetings()
    with pytest.raises(ValueError, match="repeats"):
        network_from_meetings(meet, pd.concat([attendance, attendance.iloc[[0]]]))


def test_kind_filter_without_meetings_table_raises():
    with pytest.raises(ValueError, match="pass the meetings table"):
        network_from_meetings(None, meetings()[1], kind="peer")


# --- waves -------------------------------------------------------------------------------------


def test_compare_waves_path_to_triangle():
    table = compare_waves(nx.path_graph(3), nx.complete_graph(3))
    assert table.loc["ties"].tolist() == [2.0, 3.0, 1.0]
    assert table.loc["triangles", "change"] == 1
    assert table.loc["transitivity"].tolist() == [0.0, 1.0, 1.0]
    assert table.index.name == "measure"


def test_tie_changes_by_hand():
    before = network_from_ties(ties(), wave="before")
    after = network_from_ties(ties(), wave="after")
    table = tie_changes(before, after)
    assert table.to_dict("records") == [
        {"source": "a", "target": "b", "status": "kept"},
        {"source": "b", "target": "c", "status": "kept"},
        {"source": "c", "target": "d", "status": "gained"},
        {"source": "a", "target": "c", "status": "lost"},
    ]


def test_fixed_layout_keeps_shared_nodes_in_place():
    before = nx.path_graph(4)
    after = nx.complete_graph(5)
    pos = fixed_layout(before, after, seed=1)
    assert sorted(pos) == [0, 1, 2, 3, 4]
    again = fixed_layout(before, after, seed=1)
    assert all(np.allclose(pos[n], again[n]) for n in pos)


def test_fixed_layout_needs_a_network():
    with pytest.raises(ValueError, match="at least one network"):
        fixed_layout()


# --- plot --------------------------------------------------------------------------------------


def test_plot_network_draws_ties_and_groups():
    G = kite()
    ax = plot_network(G, groups={"a": "printer", "b": "printer", "c": "dyer"}, highlight=["c"])
    lines = [c for c in ax.collections if isinstance(c, matplotlib.collections.LineCollection)]
    assert len(lines) == 1
    assert len(lines[0].get_segments()) == 4
    # one scatter per group (dyer, other, printer) plus the highlight ring
    assert len(ax.collections) == 1 + 3 + 1
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["dyer", "other", "printer"]
    assert ax.get_title() == "Trust network"
    assert ax.get_xlabel() == "5 stakeholders, 4 ties, 2 connected part(s)"


def test_plot_network_same_layout_on_given_axes():
    before, after = nx.path_graph(3), nx.complete_graph(3)
    pos = fixed_layout(before, after)
    _, (left, right) = plt.subplots(1, 2)
    assert plot_network(before, pos=pos, ax=left, title="Before") is left
    assert plot_network(after, pos=pos, ax=right, title="After") is right
    xy_left = left.collections[1].get_offsets()
    xy_right = right.collections[1].get_offsets()
    assert np.allclose(xy_left, xy_right)


def test_plot_network_errors():
    with pytest.raises(ValueError, match="no position for node 'e'"):
        plot_network(kite(), pos={n: (0, 0) for n in "abcd"})
    with pytest.raises(ValueError, match="highlighted node 'z' is not in the network"):
        plot_network(kite(), highlight=["z"])


# ------------------------------------------------------- trust between firms and institutions
def _ratings() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "wave": ["before"] * 4 + ["after"] * 4,
            "unit_id": ["U1", "U1", "U2", "U2"] * 2,
            "institution_id": ["BANK", "NGO"] * 4,
            "trust": [1, 4, 2, 2, 5, 4, 4, 3],
        }
    )


def test_institution_trust_counts_units_that_trust_each_institution():
    from cdatools.trust import institution_trust

    table = institution_trust(_ratings()).set_index(["institution_id", "wave"])
    assert table.loc[("BANK", "before"), "share_trusting"] == 0
    assert table.loc[("BANK", "after"), "share_trusting"] == 1
    assert table.loc[("NGO", "before"), "mean_rating"] == 3
    wide = institution_trust(_ratings(), names={"BANK": "Bank", "NGO": "NGO"}, wide=True)
    assert list(wide.columns) == ["after", "before"] or list(wide.columns) == ["before", "after"]
    assert wide.loc["Bank", "after"] == 1


def test_institution_trust_summary_is_multilateral_trust_in_the_module_sense():
    from cdatools.trust import institution_trust_summary

    summary = institution_trust_summary(_ratings())
    assert summary.loc["share_trusting_none", "before"] == 0.5
    assert summary.loc["share_trusting_none", "after"] == 0
    assert summary.loc["mean_institutions_trusted", "after"] == 1.5


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"trust": [1, 4, 2, 2, 5, 4, 4, 7]}, "trust"),
        ({"trust": [1, 4, 2, 2, 5, 4, 4, "high"]}, "trust"),
    ],
)
def test_institution_ratings_outside_1_to_5_are_refused(change, message):
    from cdatools.trust import institution_trust

    with pytest.raises(ValueError, match=message):
        institution_trust(_ratings().assign(**change))
    with pytest.raises(ValueError, match="threshold must be a whole rating 1-5; got 6"):
        institution_trust(_ratings(), threshold=6)


def test_ties_across_groups_and_group_of_and_part_of():
    from cdatools.trust import group_of, part_of, ties_across_groups

    units = pd.DataFrame({"unit_id": ["A", "B", "C"], "family": ["F1", "F1", "F2"]})
    groups = group_of(units, "unit_id", "family")
    assert groups == {"A": "F1", "B": "F1", "C": "F2"}
    ties = pd.DataFrame(
        {
            "wave": ["before", "after", "after"],
            "source": ["A", "A", "B"],
            "target": ["B", "C", "C"],
            "tie": ["trust", "trust", "trust"],
        }
    )
    table = ties_across_groups(ties, groups)
    assert table.loc["after", "across_groups"] == 2 and table.loc["before", "across_groups"] == 0
    with pytest.raises(ValueError, match="target 'C' has no group"):
        ties_across_groups(ties, {"A": 1, "B": 1})
    with pytest.raises(ValueError, match="unit_id"):
        group_of(pd.concat([units, units]), "unit_id", "family")
    G = nx.path_graph(["A", "B", "C"])
    small = part_of(G, ["A", "B", "Z"])
    assert sorted(small.nodes) == ["A", "B"] and small.number_of_edges() == 1
    small.add_edge("A", "C")
    assert not G.has_edge("A", "C")


def test_network_between_keeps_only_the_period_and_kinds():
    from cdatools.trust import network_between

    meetings = pd.DataFrame(
        {
            "meeting_id": ["m1", "m2", "m3"],
            "kind": ["peer", "peer", "review"],
            "date": pd.to_datetime(["2008-01-01", "2009-01-01", "2008-02-01"]),
        }
    )
    attendance = pd.DataFrame(
        {"meeting_id": ["m1", "m1", "m2", "m2", "m3", "m3"], "cda_id": list("ABBCAC")}
    )
    early = network_between(meetings, attendance, end="2008-07-01", kind="peer", nodes="ABC")
    assert sorted(early.edges()) == [("A", "B")] and sorted(early.nodes) == ["A", "B", "C"]
    late = network_between(meetings, attendance, start="2008-07-01")
    assert sorted(late.edges()) == [("B", "C")]
    with pytest.raises(ValueError, match="row 1 holds 'soon', not a date"):
        network_between(meetings.assign(date=["2008-01-01", "soon", "2008-02-01"]), attendance)
