"""Answers to 04-joint-actions, part by part: what each autograded part accepts and refuses.

Each part is keyed by the grade id of its answer cell. ``right`` answers must earn the
part's full marks, ``wrong`` ones nothing; later parts are graded on the trainee's own
earlier results (errors carried forward). tests/test_fairness.py grades them with nbgrader.
"""

PARTS = {
    # Part A: Atuntaqui's proposals.
    "atuntaqui_proposals": {
        "right": {
            "query_then_reset_index": """
atuntaqui_actions = cdatools.load("joint_actions").query("cluster == 'Atuntaqui'")
atuntaqui_actions = atuntaqui_actions.reset_index(drop=True)
""",
            "loc_with_a_copy": """
table = cdatools.load("joint_actions")
atuntaqui_actions = table.loc[table.cluster.eq("Atuntaqui")].copy()
atuntaqui_actions
""",
        },
        "wrong": {
            "every_cluster_kept": """
atuntaqui_actions = cdatools.load("joint_actions")
""",
            "cluster_column_dropped": """
table = cdatools.load("joint_actions")
atuntaqui_actions = table[table["cluster"] == "Atuntaqui"].drop(columns="cluster")
""",
        },
    },
    # Part B: the ranking and the quick wins in rank order.
    "ranked_proposals": {
        "right": {
            "loop_over_rows": """
ranked = joint_actions.rank_actions(atuntaqui_actions)
quick_win_ids = []
for row in ranked.itertuples():
    if row.quadrant == "quick_win":
        quick_win_ids.append(row.action_id)
""",
            "query_then_list": """
ranked = joint_actions.rank_actions(atuntaqui_actions)
quick_win_ids = list(ranked.query("quadrant == 'quick_win'")["action_id"])
ranked
""",
        },
        "wrong": {
            "re_sorted_by_benefit": """
ranked = joint_actions.rank_actions(atuntaqui_actions).sort_values(
    "expected_benefit", ascending=False
)
quick_win_ids = ranked.loc[ranked["quadrant"] == "quick_win", "action_id"].tolist()
""",
            "quick_win_read_as_low_risk": """
ranked = joint_actions.rank_actions(atuntaqui_actions)
quick_win_ids = ranked.loc[ranked["predatory_risk"] == "low", "action_id"].tolist()
""",
        },
    },
    # Part C: the function safe_shortlist and the shortlist of ranked.
    "safe_shortlist": {
        "right": {
            "query_with_and": """
def safe_shortlist(table):
    return table.query("predatory_risk == 'low' and time_limited and duration_months <= 6")


shortlist = safe_shortlist(ranked)
""",
            "row_by_row_with_isin": """
def safe_shortlist(table):
    keep = []
    for label, row in table.iterrows():
        if row["predatory_risk"] == "low" and row["time_limited"] == True:  # noqa: E712
            if row["duration_months"] < 7:
                keep.append(label)
    return table.loc[keep]


shortlist = safe_shortlist(ranked)
shortlist
""",
        },
        "wrong": {
            "under_6_months_instead_of_at_most_6": """
def safe_shortlist(table):
    ok = (table["predatory_risk"] == "low") & table["time_limited"]
    return table[ok & (table["duration_months"] < 6)]


shortlist = safe_shortlist(ranked)
""",
            "time_limit_left_out": """
def safe_shortlist(table):
    return table[(table["predatory_risk"] == "low") & (table["duration_months"] <= 6)]


shortlist = safe_shortlist(ranked)
""",
            "sorted_by_cost": """
def safe_shortlist(table):
    ok = (table["predatory_risk"] == "low") & table["time_limited"]
    return table[ok & (table["duration_months"] <= 6)].sort_values("cost_usd")


shortlist = safe_shortlist(ranked)
""",
            "marks_the_rows_in_the_given_table": """
def safe_shortlist(table):
    table["safe"] = (table["predatory_risk"] == "low") & table["time_limited"]
    table["safe"] = table["safe"] & (table["duration_months"] <= 6)
    return table[table["safe"]]


shortlist = safe_shortlist(ranked)
""",
        },
    },
    # Part D: the function pick_within_budget.
    "pick_within_budget": {
        "right": {
            "spent_so_far": """
def pick_within_budget(candidates, budget):
    if budget < 0:
        raise ValueError("The budget cannot be negative.")
    spent = 0
    chosen = []
    for i in range(len(candidates)):
        cost = candidates["cost_usd"].iloc[i]
        if spent + cost <= budget:
            chosen.append(candidates["action_id"].iloc[i])
            spent = spent + cost
    return chosen
""",
            "zip_over_columns": """
def pick_within_budget(candidates, budget):
    \"\"\"Keep, in order, the actions that fit what is left of the budget.\"\"\"
    if budget < 0:
        raise ValueError(f"budget is {budget}; it cannot be below zero")
    left = budget
    kept = []
    for action, cost in zip(candidates["action_id"], candidates["cost_usd"]):
        if cost > left:
            continue
        kept.append(str(action))
        left -= cost
    return kept
""",
        },
        "wrong": {
            "strictly_less_than_what_is_left": """
def pick_within_budget(candidates, budget):
    if budget < 0:
        raise ValueError("negative budget")
    left = budget
    kept = []
    for action, cost in zip(candidates["action_id"], candidates["cost_usd"]):
        if cost < left:
            kept.append(action)
            left -= cost
    return kept
""",
            "stops_at_the_first_that_does_not_fit": """
def pick_within_budget(candidates, budget):
    if budget < 0:
        raise ValueError("negative budget")
    left = budget
    kept = []
    for action, cost in zip(candidates["action_id"], candidates["cost_usd"]):
        if cost > left:
            break
        kept.append(action)
        left -= cost
    return kept
""",
            "writes_a_column_into_the_candidates": """
def pick_within_budget(candidates, budget):
    if budget < 0:
        raise ValueError("negative budget")
    candidates["fits"] = False
    left = budget
    for label in candidates.index:
        if candidates.loc[label, "cost_usd"] <= left:
            candidates.loc[label, "fits"] = True
            left -= candidates.loc[label, "cost_usd"]
    return candidates.loc[candidates["fits"], "action_id"].tolist()
""",
            "no_error_for_a_negative_budget": """
def pick_within_budget(candidates, budget):
    left = budget
    kept = []
    for action, cost in zip(candidates["action_id"], candidates["cost_usd"]):
        if cost <= left:
            kept.append(action)
            left -= cost
    return kept
""",
        },
    },
    # Part E: the first wave within US$45,000 and the comparison with select_portfolio.
    "first_wave_budget": {
        "right": {
            "cost_from_a_lookup": """
first_wave = pick_within_budget(shortlist, 45000)
cost_of = dict(zip(shortlist["action_id"], shortlist["cost_usd"]))
first_wave_cost = sum(cost_of[i] for i in first_wave)
portfolio = joint_actions.select_portfolio(atuntaqui_actions, 45000, horizon=12)
extra_in_portfolio = sorted(i for i in portfolio.plan["action_id"] if i not in first_wave)
""",
            "numpy_total_and_set_difference": """
first_wave = pick_within_budget(shortlist, budget=45_000)
first_wave_cost = shortlist[shortlist.action_id.isin(first_wave)].cost_usd.sum()
portfolio = joint_actions.select_portfolio(atuntaqui_actions, budget=45_000, horizon=12)
extra_in_portfolio = sorted(set(portfolio.plan.action_id).difference(first_wave))
print(first_wave, first_wave_cost)
""",
        },
        "wrong": {
            "whole_ranking_instead_of_shortlist": """
first_wave = pick_within_budget(ranked, 45_000)
first_wave_cost = ranked.loc[ranked["action_id"].isin(first_wave), "cost_usd"].sum()
portfolio = joint_actions.select_portfolio(atuntaqui_actions, budget=45_000, horizon=12)
extra_in_portfolio = sorted(set(portfolio.plan["action_id"]) - set(first_wave))
""",
            "difference_the_wrong_way_round": """
first_wave = pick_within_budget(shortlist, 45_000)
first_wave_cost = shortlist.loc[shortlist["action_id"].isin(first_wave), "cost_usd"].sum()
portfolio = joint_actions.select_portfolio(atuntaqui_actions, budget=45_000, horizon=12)
extra_in_portfolio = sorted(set(first_wave) - set(portfolio.plan["action_id"]))
""",
            "portfolio_over_three_years": """
first_wave = pick_within_budget(shortlist, 45_000)
first_wave_cost = shortlist.loc[shortlist["action_id"].isin(first_wave), "cost_usd"].sum()
portfolio = joint_actions.select_portfolio(atuntaqui_actions, budget=45_000, horizon=36)
extra_in_portfolio = sorted(set(portfolio.plan["action_id"]) - set(first_wave))
""",
        },
    },
}
