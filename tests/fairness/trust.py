"""Answers to 03-trust, part by part: what each autograded part accepts and refuses.

Each part is keyed by the grade id of its answer cell. ``right`` answers must earn the
part's full marks, ``wrong`` ones nothing; later parts are graded on the trainee's own
earlier results (errors carried forward). tests/test_fairness.py grades them with nbgrader.
"""

PARTS = {
    # Part A: the printers and the trust ties between two printers.
    "printer_trust_ties": {
        "right": {
            "query_with_a_list": """
printers = units.query("kind == 'printer'")["unit_id"].tolist()
printer_trust = ties.query("tie == 'trust' and source in @printers and target in @printers")
""",
            "masks_reset_index": """
printers = list(units[units["kind"] == "printer"]["unit_id"])
mask = (ties.tie == "trust") & ties.source.isin(printers) & ties.target.isin(printers)
printer_trust = ties[mask].reset_index(drop=True)
printer_trust
""",
        },
        "wrong": {
            "every_kind_of_tie": """
printers = units.loc[units["kind"] == "printer", "unit_id"]
printer_trust = ties[ties["source"].isin(printers) & ties["target"].isin(printers)]
""",
            "printers_taken_from_the_ties": """
trust_ties = ties[ties["tie"] == "trust"]
printers = units.loc[units["kind"] == "printer", "unit_id"]
both = trust_ties["source"].isin(printers) & trust_ties["target"].isin(printers)
printer_trust = trust_ties[both]
printers = sorted(set(printer_trust["source"]) | set(printer_trust["target"]))
""",
        },
    },
    # Part B: one trust network per wave.
    "printer_networks": {
        "right": {
            "a_dict_of_both_waves": """
nets = {
    wave: trust.network_from_ties(printer_trust, wave=wave, tie="trust", nodes=printers)
    for wave in ["before", "after"]
}
before_net, after_net = nets["before"], nets["after"]
""",
            "plain_networkx": """
def wave_net(wave):
    rows = printer_trust[(printer_trust["wave"] == wave) & (printer_trust["tie"] == "trust")]
    net = nx.Graph()
    net.add_nodes_from(printers)
    net.add_edges_from(zip(rows["source"], rows["target"]))
    return net


before_net = wave_net("before")
after_net = wave_net("after")
""",
        },
        "wrong": {
            "waves_swapped": """
before_net = trust.network_from_ties(printer_trust, wave="after", tie="trust", nodes=printers)
after_net = trust.network_from_ties(printer_trust, wave="before", tie="trust", nodes=printers)
""",
            "printers_without_ties_left_out": """
before_net = trust.network_from_ties(printer_trust, wave="before", tie="trust")
after_net = trust.network_from_ties(printer_trust, wave="after", tie="trust")
""",
        },
    },
    # Part C: bilateral against multilateral trust.
    "bilateral_multilateral": {
        "right": {
            "ratios_rounded_to_2_decimals": """
printer_measures = trust.compare_waves(before_net, after_net)
m = printer_measures
tie_growth = round(m.loc["ties", "after"] / m.loc["ties", "before"], 2)
triangle_growth = round(m.loc["triangles", "after"] / m.loc["triangles", "before"], 2)
more_multilateral = triangle_growth > tie_growth
""",
            "counted_with_networkx": """
printer_measures = trust.compare_waves(before_net, after_net)
tie_growth = after_net.number_of_edges() / before_net.number_of_edges()
triangles_after = sum(nx.triangles(after_net).values()) / 3
triangles_before = sum(nx.triangles(before_net).values()) / 3
triangle_growth = triangles_after / triangles_before
more_multilateral = bool(triangle_growth > tie_growth)
""",
        },
        "wrong": {
            "differences_not_ratios": """
printer_measures = trust.compare_waves(before_net, after_net)
tie_growth = printer_measures.loc["ties", "change"]
triangle_growth = printer_measures.loc["triangles", "change"]
more_multilateral = bool(triangle_growth > tie_growth)
""",
            "before_divided_by_after": """
printer_measures = trust.compare_waves(before_net, after_net)
tie_growth = printer_measures.loc["ties", "before"] / printer_measures.loc["ties", "after"]
triangle_growth = (
    printer_measures.loc["triangles", "before"] / printer_measures.loc["triangles", "after"]
)
more_multilateral = bool(triangle_growth > tie_growth)
""",
            "growth_as_a_share_of_before": """
printer_measures = trust.compare_waves(before_net, after_net)
m = printer_measures
tie_growth = (m.loc["ties", "after"] - m.loc["ties", "before"]) / m.loc["ties", "before"]
triangle_growth = m.loc["triangles", "change"] / m.loc["triangles", "before"]
more_multilateral = bool(triangle_growth > tie_growth)
""",
        },
    },
    # Part D: the brokers after, the strongest, and its partners' family groups.
    "printer_brokers": {
        "right": {
            "neighbors_into_a_set": """
printer_brokers = trust.brokers(after_net, top=5)
top_broker = printer_brokers.loc[0, "node"]
family_of = dict(zip(units["unit_id"], units["family_group"]))
top_broker_families = len({family_of[p] for p in after_net.neighbors(top_broker)})
""",
            "isin_and_nunique": """
printer_brokers = trust.brokers(after_net)
top_broker = printer_brokers.iloc[0]["node"]
partners = list(after_net[top_broker])
top_broker_families = units[units.unit_id.isin(partners)]["family_group"].nunique()
""",
        },
        "wrong": {
            "brokers_of_the_wave_before": """
printer_brokers = trust.brokers(before_net, top=5)
top_broker = printer_brokers["node"].iloc[0]
family_of = units.set_index("unit_id")["family_group"]
top_broker_families = family_of[list(before_net[top_broker])].nunique()
""",
            "partners_counted_not_families": """
printer_brokers = trust.brokers(after_net, top=5)
top_broker = printer_brokers["node"].iloc[0]
top_broker_families = after_net.degree(top_broker)
""",
        },
    },
    # Part E: the network after, brokers marked.
    "trust_network_chart": {
        "right": {
            "brokers_as_a_list": """
fig, ax = plt.subplots(figsize=(8, 6))
network_chart = trust.plot_network(
    after_net, ax=ax, highlight=list(printer_brokers["node"]), title="AFTER the first year"
)
""",
            "axes_inline": """
network_chart = trust.plot_network(
    after_net,
    ax=plt.subplots(figsize=(8, 6))[1],
    highlight=printer_brokers["node"],
    title="Bagru printers' trust network (after)",
)
""",
        },
        "wrong": {
            "draws_the_network_before": """
fig, ax = plt.subplots(figsize=(8, 6))
network_chart = trust.plot_network(
    before_net, ax=ax, highlight=printer_brokers["node"], title="Trust after"
)
""",
            "only_the_top_broker_marked": """
fig, ax = plt.subplots(figsize=(8, 6))
network_chart = trust.plot_network(after_net, ax=ax, highlight=[top_broker], title="after")
""",
        },
    },
    # Part F: the printers' ratings of their institutions, and the share trusting at least one.
    "institution_trust_share": {
        "right": {
            "highest_rating_per_printer_rounded": """
printer_ratings = ratings.query("unit_id in @printers")
best = printer_ratings.groupby(["wave", "unit_id"], observed=True)["trust"].max()
trusting_institutions = (best >= 4).groupby(level="wave", observed=True).mean().round(2)
""",
            "a_dict_of_numpy_numbers": """
printer_ratings = ratings[ratings.unit_id.isin(list(printers))].reset_index(drop=True)
summary = trust.institution_trust_summary(printer_ratings)
trusting_institutions = {
    wave: round(1 - summary.loc["share_trusting_none", wave], 3) for wave in ["after", "before"]
}
""",
            "a_loop_over_the_waves": """
printer_ratings = ratings[ratings["unit_id"].isin(printers)]
trusting_institutions = {}
for wave in ["before", "after"]:
    rows = printer_ratings[printer_ratings["wave"] == wave]
    trusted = rows.loc[rows["trust"] >= 4, "unit_id"].nunique()
    trusting_institutions[wave] = trusted / rows["unit_id"].nunique()
""",
        },
        "wrong": {
            "share_of_ratings_not_of_printers": """
printer_ratings = ratings[ratings["unit_id"].isin(printers)]
high = printer_ratings.assign(high=printer_ratings["trust"] >= 4)
trusting_institutions = high.groupby("wave", observed=True)["high"].mean()
""",
            "share_trusting_none_kept": """
printer_ratings = ratings[ratings["unit_id"].isin(printers)]
trusting_institutions = trust.institution_trust_summary(printer_ratings).loc[
    "share_trusting_none"
]
""",
            "only_full_trust_counted": """
printer_ratings = ratings[ratings["unit_id"].isin(printers)]
best = printer_ratings.groupby(["wave", "unit_id"], observed=True)["trust"].max()
trusting_institutions = (best > 4).groupby(level="wave", observed=True).mean()
""",
        },
    },
}
