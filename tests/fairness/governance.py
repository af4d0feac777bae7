"""Answers to 02-governance, part by part: what each autograded part accepts and refuses.

Each part is keyed by the grade id of its answer cell. ``right`` answers must earn the
part's full marks, ``wrong`` ones nothing; later parts are graded on the trainee's own
earlier results (errors carried forward). tests/test_fairness.py grades them with nbgrader.
"""

PARTS = {
    # Part A: the baseline scorecard and the characteristic small firms rate lowest.
    "baseline_scorecard": {
        "right": {
            "keywords_reversed_and_drop_respondents": """
baseline_card = governance.scorecard(survey, cluster="Atuntaqui", wave="baseline")
small_firms_lowest = baseline_card.drop(columns="respondents").loc["small_firms"].idxmin()
""",
            "rounded_as_displayed_then_sorted": """
baseline_card = governance.scorecard(survey, wave="baseline", cluster="Atuntaqui").round(2)
scores = baseline_card.loc["small_firms", list(governance.CHARACTERISTICS)]
small_firms_lowest = scores.sort_values().index[0]
baseline_card
""",
        },
        "wrong": {
            "follow_up_wave": """
baseline_card = governance.scorecard(survey, wave="follow_up", cluster="Atuntaqui")
small_firms_lowest = baseline_card.loc["small_firms", list(governance.CHARACTERISTICS)].idxmin()
""",
            "highest_instead_of_lowest": """
baseline_card = governance.scorecard(survey, wave="baseline", cluster="Atuntaqui")
small_firms_lowest = baseline_card.loc["small_firms", list(governance.CHARACTERISTICS)].idxmax()
""",
        },
    },
    # Part B: baseline gaps, the function `flagged`, and the largest shortfall.
    "baseline_gaps": {
        "right": {
            "mask_then_tolist": """
gaps = governance.representation_gaps(voice)
baseline_gaps = gaps[(gaps.cluster == "Atuntaqui") & (gaps.wave == "baseline")]


def flagged(gaps):
    rows = gaps[gaps["under_represented"] == True]  # noqa: E712
    names = [str(name) for name in rows["category"].tolist()]
    names.sort()
    return names


under_represented_baseline = flagged(baseline_gaps)
most_underrepresented = baseline_gaps.sort_values("gap").iloc[0]["category"]
""",
            "query_and_the_rule_from_the_shares": """
baseline_gaps = governance.representation_gaps(voice).query(
    "cluster == 'Atuntaqui' and wave == 'baseline'"
)


def flagged(gaps):
    short = gaps["weight_share"] - gaps["voice_share"] > 0.05
    return sorted(str(c) for c in gaps.loc[short, "category"])


under_represented_baseline = flagged(baseline_gaps)
shortfall = baseline_gaps["weight_share"] - baseline_gaps["voice_share"]
most_underrepresented = str(baseline_gaps.loc[shortfall.idxmax(), "category"])
""",
        },
        "wrong": {
            "a_made_up_threshold_of_6_points": """
all_gaps = governance.representation_gaps(voice)
baseline_gaps = all_gaps[(all_gaps["cluster"] == "Atuntaqui") & (all_gaps["wave"] == "baseline")]


def flagged(gaps):
    return sorted(gaps.loc[gaps["gap"] < -0.06, "category"].astype(str))


under_represented_baseline = flagged(baseline_gaps)
most_underrepresented = str(baseline_gaps.loc[baseline_gaps["gap"].idxmin(), "category"])
""",
            "any_shortfall_at_all": """
all_gaps = governance.representation_gaps(voice)
baseline_gaps = all_gaps[(all_gaps["cluster"] == "Atuntaqui") & (all_gaps["wave"] == "baseline")]


def flagged(gaps):
    return sorted(gaps.loc[gaps["gap"] < 0, "category"].astype(str))


under_represented_baseline = flagged(baseline_gaps)
most_underrepresented = str(baseline_gaps.loc[baseline_gaps["gap"].idxmin(), "category"])
""",
            "largest_gap_the_wrong_way": """
all_gaps = governance.representation_gaps(voice)
baseline_gaps = all_gaps[(all_gaps["cluster"] == "Atuntaqui") & (all_gaps["wave"] == "baseline")]


def flagged(gaps):
    return sorted(gaps.loc[gaps["under_represented"], "category"].astype(str))


under_represented_baseline = flagged(baseline_gaps)
most_underrepresented = str(baseline_gaps.loc[baseline_gaps["gap"].idxmax(), "category"])
""",
        },
    },
    # Part C: change between waves, the function `solid_rows`, the largest solid rise.
    "wave_change": {
        "right": {
            "query_and_sort_values": """
change = governance.compare_waves(survey, cluster="Atuntaqui")


def solid_rows(table):
    return table.query("respondents_before >= 10 and respondents_after >= 10")


solid_change = solid_rows(change)
best = solid_change.sort_values("change", ascending=False).iloc[0]
largest_solid_rise = (best["category"], best["characteristic"])
""",
            "minimum_of_both_counts": """
change = governance.compare_waves(survey, cluster="Atuntaqui")


def solid_rows(table):
    fewest = table[["respondents_before", "respondents_after"]].min(axis=1)
    return table.loc[fewest >= 10].copy()


solid_change = solid_rows(change)
i = solid_change["change"].idxmax()
largest_solid_rise = tuple(solid_change.loc[i, ["category", "characteristic"]].astype(str))
""",
        },
        "wrong": {
            "more_than_10_instead_of_at_least": """
change = governance.compare_waves(survey, cluster="Atuntaqui")


def solid_rows(table):
    return table[(table["respondents_before"] > 10) & (table["respondents_after"] > 10)]


solid_change = solid_rows(change)
top = solid_change.loc[solid_change["change"].idxmax()]
largest_solid_rise = (str(top["category"]), str(top["characteristic"]))
""",
            "either_wave_instead_of_both": """
change = governance.compare_waves(survey, cluster="Atuntaqui")


def solid_rows(table):
    return table[(table["respondents_before"] >= 10) | (table["respondents_after"] >= 10)]


solid_change = solid_rows(change)
top = solid_change.loc[solid_change["change"].idxmax()]
largest_solid_rise = (str(top["category"]), str(top["characteristic"]))
""",
            "marks_the_rows_in_the_given_table": """
change = governance.compare_waves(survey, cluster="Atuntaqui")


def solid_rows(table):
    table["solid"] = (table["respondents_before"] >= 10) & (table["respondents_after"] >= 10)
    return table[table["solid"]]


solid_change = solid_rows(change)
top = solid_change.loc[solid_change["change"].idxmax()]
largest_solid_rise = (str(top["category"]), str(top["characteristic"]))
""",
        },
    },
    # Part D: follow-up gaps, which gaps closed, small firms' voice gain.
    "gaps_closed": {
        "right": {
            "list_comprehension_gain_rounded_to_2_decimals": """
g = governance.representation_gaps(voice)
follow_up_gaps = g[(g["cluster"] == "Atuntaqui") & (g["wave"] == "follow_up")]
still = flagged(follow_up_gaps)
gaps_closed = sorted([c for c in under_represented_baseline if c not in still])
after = follow_up_gaps.set_index("category").loc["small_firms", "voice_share"]
before = baseline_gaps.set_index("category").loc["small_firms", "voice_share"]
small_firms_voice_gain = round(after - before, 2)
""",
            "from_the_gap_columns": """
g = governance.representation_gaps(voice)
follow_up_gaps = g.query("cluster == 'Atuntaqui' and wave == 'follow_up'")
gaps_closed = sorted(set(under_represented_baseline).difference(flagged(follow_up_gaps)))
gap_after = follow_up_gaps[follow_up_gaps.category == "small_firms"]["gap"].item()
gap_before = baseline_gaps[baseline_gaps.category == "small_firms"]["gap"].item()
small_firms_voice_gain = gap_after - gap_before
""",
        },
        "wrong": {
            "in_percentage_points": """
g = governance.representation_gaps(voice)
follow_up_gaps = g[(g["cluster"] == "Atuntaqui") & (g["wave"] == "follow_up")]
gaps_closed = sorted(set(under_represented_baseline) - set(flagged(follow_up_gaps)))
after = follow_up_gaps.set_index("category").loc["small_firms", "voice_share"]
before = baseline_gaps.set_index("category").loc["small_firms", "voice_share"]
small_firms_voice_gain = float(after - before) * 100
""",
            "the_gaps_that_remain": """
g = governance.representation_gaps(voice)
follow_up_gaps = g[(g["cluster"] == "Atuntaqui") & (g["wave"] == "follow_up")]
gaps_closed = sorted(set(under_represented_baseline) & set(flagged(follow_up_gaps)))
after = follow_up_gaps.set_index("category").loc["small_firms", "voice_share"]
before = baseline_gaps.set_index("category").loc["small_firms", "voice_share"]
small_firms_voice_gain = float(after - before)
""",
        },
    },
    # Part E: the follow-up scorecard drawn as a heatmap.
    "follow_up_heatmap": {
        "right": {
            "columns_reordered_title_with_underscore": """
follow_up_card = governance.scorecard(survey, wave="follow_up", cluster="Atuntaqui")
follow_up_card = follow_up_card[["respondents", *reversed(governance.CHARACTERISTICS)]]
fig, ax = plt.subplots(figsize=(8, 4.5))
heatmap = governance.plot_heatmap(follow_up_card, ax=ax, title="ATUNTAQUI, follow_up wave")
""",
            "rounded_card_title_with_space": """
follow_up_card = governance.scorecard(survey, cluster="Atuntaqui", wave="follow_up").round(2)
heatmap = governance.plot_heatmap(
    follow_up_card, ax=plt.subplots(figsize=(8, 4.5))[1], title="Atuntaqui: follow up"
)
""",
        },
        "wrong": {
            "draws_the_baseline": """
follow_up_card = governance.scorecard(survey, wave="follow_up", cluster="Atuntaqui")
fig, ax = plt.subplots(figsize=(8, 4.5))
heatmap = governance.plot_heatmap(baseline_card, ax=ax, title="Atuntaqui at follow-up")
""",
            "follow_up_of_every_cluster": """
follow_up_card = governance.scorecard(survey, wave="follow_up")
fig, ax = plt.subplots(figsize=(8, 4.5))
heatmap = governance.plot_heatmap(follow_up_card, ax=ax, title="Atuntaqui at follow-up")
""",
        },
    },
}
