"""Answers to 05-capstone-chontales, part by part: what each autograded part accepts and refuses.

Each part is keyed by the grade id of its answer cell. ``right`` answers must earn the
part's full marks, ``wrong`` ones nothing; later parts are graded on the trainee's own
earlier results (errors carried forward). tests/test_fairness.py grades them with nbgrader.
"""

PARTS = {
    # Part A: the deliveries, the months without delivery, the monthly totals.
    "monthly_deliveries": {
        "right": {
            "query": """
deliveries = cdatools.load("chontales_deliveries")
no_delivery = deliveries.query("head_delivered == 0")
monthly = monitoring.chontales_monthly(deliveries)
""",
            "not_more_than_zero_and_a_fresh_index": """
deliveries = cdatools.load("chontales_deliveries")
no_delivery = deliveries[~(deliveries["head_delivered"] > 0)].copy()
monthly = monitoring.chontales_monthly(deliveries).reset_index(drop=True)
monthly.tail()
""",
        },
        "wrong": {
            "empty_cells_dropped_first": """
deliveries = cdatools.load("chontales_deliveries").dropna()
no_delivery = deliveries[deliveries["head_delivered"] == 0]
monthly = monitoring.chontales_monthly(deliveries)
""",
            "no_grade_a_read_as_no_delivery": """
deliveries = cdatools.load("chontales_deliveries")
no_delivery = deliveries[deliveries["head_grade_a"] == 0]
monthly = monitoring.chontales_monthly(deliveries)
""",
        },
    },
    # Part B: the coefficient of variation per period.
    "delivery_regularity": {
        "right": {
            "agg_std_and_mean_numpy_bool": """
stats = monthly.groupby("period", observed=True)["head_delivered"].agg(["std", "mean"])
delivery_cv = stats["std"] / stats["mean"]
more_regular = delivery_cv["after"] < delivery_cv["before"]
""",
            "dict_rounded_to_3_decimals": """
cv = {}
for period, rows in monthly.groupby("period", observed=True):
    cv[period] = round(rows["head_delivered"].std() / rows["head_delivered"].mean(), 3)
delivery_cv = pd.Series(cv)
more_regular = bool(delivery_cv["after"] < delivery_cv["before"])
""",
        },
        "wrong": {
            "population_standard_deviation": """
by_period = monthly.groupby("period", observed=True)["head_delivered"]
delivery_cv = by_period.std(ddof=0) / by_period.mean()
more_regular = bool(delivery_cv["after"] < delivery_cv["before"])
""",
            "cooperative_rows_instead_of_monthly_totals": """
by_period = deliveries.groupby("period", observed=True)["head_delivered"]
delivery_cv = by_period.std() / by_period.mean()
more_regular = bool(delivery_cv["after"] < delivery_cv["before"])
""",
        },
    },
    # Part C: the agreement's outcomes and the change in supply, with intervals.
    "agreement_outcomes": {
        "right": {
            "rounded_table_keywords_in_another_order": """
outcomes = monitoring.compare_chontales(deliveries, seed=2013).round(3)
supply_change = monitoring.compare_periods(
    monthly, "head_delivered", seed=2013, block_length=3, unit="month"
)
""",
            "sorted_by_indicator": """
outcomes = monitoring.compare_chontales(deliveries, seed=2013).sort_values("indicator")
supply_change = monitoring.compare_periods(
    monthly, value="head_delivered", unit="month", block_length=3, seed=2013
)
print(supply_change.message)
""",
        },
        "wrong": {
            "seed_left_out": """
outcomes = monitoring.compare_chontales(deliveries)
supply_change = monitoring.compare_periods(monthly, "head_delivered", unit="month", block_length=3)
""",
            "blocks_of_one_month": """
outcomes = monitoring.compare_chontales(deliveries, seed=2013)
supply_change = monitoring.compare_periods(monthly, "head_delivered", unit="month", seed=2013)
""",
            "cooperative_rows_instead_of_monthly_totals": """
outcomes = monitoring.compare_chontales(deliveries, seed=2013)
supply_change = monitoring.compare_periods(
    deliveries, "head_delivered", unit="month", block_length=3, seed=2013
)
""",
        },
    },
    # Part D: each cooperative's change with its interval; who shows no clear increase.
    "coop_supply_changes": {
        "right": {
            "dicts_rounded_to_2_decimals": """
rows = []
for coop_id, coop_rows in deliveries.groupby("coop_id"):
    c = monitoring.compare_periods(
        coop_rows, "head_delivered", unit="month", block_length=3, seed=2013
    )
    rows.append(
        {"coop_id": coop_id, "before": c.before, "after": c.after, "difference": c.difference,
         "ci_low": c.ci_low, "ci_high": c.ci_high, "clear_increase": c.ci_low > 0}
    )
coop_supply = pd.DataFrame(rows).round(2)
unclear_coops = sorted(coop_supply.loc[~coop_supply["clear_increase"], "coop_id"])
coop_supply
""",
            "from_dict_other_column_order": """
records = {}
for coop, part in deliveries.groupby("coop_id"):
    r = monitoring.compare_periods(part, "head_delivered", unit="month", block_length=3, seed=2013)
    records[coop] = [r.ci_low, r.ci_high, r.before, r.after, r.difference]
coop_supply = pd.DataFrame.from_dict(
    records, orient="index", columns=["ci_low", "ci_high", "before", "after", "difference"]
)
coop_supply["coop_id"] = coop_supply.index
coop_supply["clear_increase"] = coop_supply["ci_low"] > 0
unclear_coops = sorted(coop_supply[coop_supply["clear_increase"] == False]["coop_id"])  # noqa: E712
""",
        },
        "wrong": {
            "clear_when_the_change_is_positive": """
rows = []
for coop_id, coop_rows in deliveries.groupby("coop_id"):
    c = monitoring.compare_periods(
        coop_rows, "head_delivered", unit="month", block_length=3, seed=2013
    )
    rows.append({"coop_id": coop_id, "before": c.before, "after": c.after,
                 "difference": c.difference, "ci_low": c.ci_low, "ci_high": c.ci_high})
coop_supply = pd.DataFrame(rows)
coop_supply["clear_increase"] = coop_supply["difference"] > 0
unclear_coops = sorted(coop_supply.loc[~coop_supply["clear_increase"], "coop_id"])
""",
            "seed_left_out": """
rows = []
for coop_id, coop_rows in deliveries.groupby("coop_id"):
    c = monitoring.compare_periods(coop_rows, "head_delivered", unit="month", block_length=3)
    rows.append({"coop_id": coop_id, "before": c.before, "after": c.after,
                 "difference": c.difference, "ci_low": c.ci_low, "ci_high": c.ci_high})
coop_supply = pd.DataFrame(rows)
coop_supply["clear_increase"] = coop_supply["ci_low"] > 0
unclear_coops = sorted(coop_supply.loc[~coop_supply["clear_increase"], "coop_id"])
""",
            "unclear_read_as_a_fall": """
rows = []
for coop_id, coop_rows in deliveries.groupby("coop_id"):
    c = monitoring.compare_periods(
        coop_rows, "head_delivered", unit="month", block_length=3, seed=2013
    )
    rows.append({"coop_id": coop_id, "before": c.before, "after": c.after,
                 "difference": c.difference, "ci_low": c.ci_low, "ci_high": c.ci_high})
coop_supply = pd.DataFrame(rows)
coop_supply["clear_increase"] = coop_supply["ci_low"] > 0
unclear_coops = sorted(coop_supply.loc[coop_supply["difference"] < 0, "coop_id"])
""",
        },
    },
    # Part E: a Cluster Commission of 5 to 9 members that passes the check.
    "commission_members": {
        "right": {
            "five_members": """
five = ["CHO-S01", "CHO-S03", "CHO-S05", "CHO-S07", "CHO-S09"]
commission_members = chontales_people[chontales_people["stakeholder_id"].isin(five)]
commission_check = commission.check_commission(commission_members)
""",
            "eight_members_sorted_by_name": """
eight = ["CHO-S10", "CHO-S08", "CHO-S07", "CHO-S05", "CHO-S04", "CHO-S03", "CHO-S02", "CHO-S01"]
commission_members = chontales_people.query("stakeholder_id in @eight").sort_values("name")
commission_check = commission.check_commission(commission_members)
commission_check.coverage
""",
        },
        "wrong": {
            "manage_closely_only": """
commission_members = chontales_people[chontales_people["quadrant"] == "manage_closely"]
commission_check = commission.check_commission(commission_members)
""",
            "no_slaughterhouse": """
chosen = ["CHO-S02", "CHO-S03", "CHO-S05", "CHO-S07", "CHO-S09"]
commission_members = chontales_people[chontales_people["stakeholder_id"].isin(chosen)]
commission_check = commission.check_commission(commission_members)
""",
            "ten_members": """
ten = [f"CHO-S{i:02d}" for i in range(1, 11)]
commission_members = chontales_people[chontales_people["stakeholder_id"].isin(ten)]
commission_check = commission.check_commission(commission_members)
""",
        },
    },
}
