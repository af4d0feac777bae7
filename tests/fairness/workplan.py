"""Answers to 01-workplan, part by part: what each autograded part accepts and refuses.

Each part is keyed by the grade id of its answer cell. ``right`` answers must earn the
part's full marks, ``wrong`` ones nothing; later parts are graded on the trainee's own
earlier results (errors carried forward). tests/test_fairness.py grades them with nbgrader.
"""

PARTS = {
    # Part A: the coordinator's draft plan.
    "draft_plan": {
        "right": {
            "by_label_then_reset_index": """
draft = tasks.set_index("task_id")[["activity", "start_month", "end_month", "cda_role"]].copy()
draft.loc["diagnostic", "end_month"] = 12
draft.loc["withdrawal", "start_month"] = 34
draft = draft.reset_index()
draft["months"] = draft.end_month - draft.start_month + 1
draft
""",
            "other_column_order_and_where": """
draft = tasks[["task_id", "cda_role", "activity", "end_month", "start_month"]].copy()
draft["end_month"] = draft["end_month"].where(draft["task_id"] != "diagnostic", 12)
draft["start_month"] = draft["start_month"].where(draft["task_id"] != "withdrawal", 34)
draft["months"] = [e - s + 1 for s, e in zip(draft["start_month"], draft["end_month"])]
draft
""",
        },
        "wrong": {
            "months_without_the_last_month": """
draft = tasks[["task_id", "activity", "start_month", "end_month", "cda_role"]].copy()
draft.loc[draft["task_id"] == "diagnostic", "end_month"] = 12
draft.loc[draft["task_id"] == "withdrawal", "start_month"] = 34
draft["months"] = draft["end_month"] - draft["start_month"]
draft
""",
            "months_computed_before_the_changes": """
draft = tasks[["task_id", "activity", "start_month", "end_month", "cda_role"]].copy()
draft["months"] = draft["end_month"] - draft["start_month"] + 1
draft.loc[draft["task_id"] == "diagnostic", "end_month"] = 12
draft.loc[draft["task_id"] == "withdrawal", "start_month"] = 34
draft
""",
            "sorted_by_start_month": """
draft = tasks[["task_id", "activity", "start_month", "end_month", "cda_role"]].copy()
draft.loc[draft["task_id"] == "diagnostic", "end_month"] = 12
draft.loc[draft["task_id"] == "withdrawal", "start_month"] = 34
draft["months"] = draft["end_month"] - draft["start_month"] + 1
draft = draft.sort_values("start_month")
draft
""",
        },
    },
    # Part B: the overlaps, the tasks that overlap the diagnostic, and for how long.
    "plan_overlaps": {
        "right": {
            "a_loop_over_the_rows": """
draft_overlaps = workplan.overlaps(draft)
with_diagnostic = []
diagnostic_action_months = 0
for row in draft_overlaps.itertuples():
    if row.task_a == "diagnostic":
        with_diagnostic.append(row.task_b)
    elif row.task_b == "diagnostic":
        with_diagnostic.append(row.task_a)
    if {row.task_a, row.task_b} == {"diagnostic", "action_plans"}:
        diagnostic_action_months = row.months
with_diagnostic.sort()
""",
            "query_and_sets_a_float_count": """
draft_overlaps = workplan.overlaps(draft)
mine = draft_overlaps.query("task_a == 'diagnostic' or task_b == 'diagnostic'")
with_diagnostic = sorted((set(mine["task_a"]) | set(mine["task_b"])) - {"diagnostic"})
pair = mine[(mine["task_a"] == "action_plans") | (mine["task_b"] == "action_plans")]
diagnostic_action_months = float(pair["months"].sum())
draft_overlaps
""",
        },
        "wrong": {
            "overlaps_of_table1_not_the_draft": """
draft_overlaps = workplan.overlaps(tasks)
pairs = draft_overlaps
is_diagnostic = (pairs["task_a"] == "diagnostic") | (pairs["task_b"] == "diagnostic")
mine = draft_overlaps[is_diagnostic]
with_diagnostic = sorted((set(mine["task_a"]) | set(mine["task_b"])) - {"diagnostic"})
pair = mine[(mine["task_a"] == "action_plans") | (mine["task_b"] == "action_plans")]
diagnostic_action_months = int(pair["months"].sum())
""",
            "shared_months_without_the_last": """
draft_overlaps = workplan.overlaps(draft)
pairs = draft_overlaps
is_diagnostic = (pairs["task_a"] == "diagnostic") | (pairs["task_b"] == "diagnostic")
mine = draft_overlaps[is_diagnostic]
with_diagnostic = sorted((set(mine["task_a"]) | set(mine["task_b"])) - {"diagnostic"})
d = draft.set_index("task_id")
diagnostic_action_months = int(
    min(d.loc["diagnostic", "end_month"], d.loc["action_plans", "end_month"])
    - max(d.loc["diagnostic", "start_month"], d.loc["action_plans", "start_month"])
)
""",
        },
    },
    # Part C: the violations of the draft and the rules it breaks.
    "plan_violations": {
        "right": {
            "set_comprehension": """
draft_violations = workplan.validate_plan(draft)
broken_rules = sorted({v.rule for v in draft_violations})
""",
            "loop_skipping_repeats": """
draft_violations = workplan.validate_plan(draft)
broken_rules = []
for violation in draft_violations:
    print(violation.message)
    if violation.rule not in broken_rules:
        broken_rules.append(violation.rule)
broken_rules.sort()
""",
        },
        "wrong": {
            "checked_table1_not_the_draft": """
draft_violations = workplan.validate_plan(tasks)
broken_rules = sorted({v.rule for v in draft_violations})
""",
            "task_ids_instead_of_rules": """
draft_violations = workplan.validate_plan(draft)
broken_rules = sorted({v.task_id for v in draft_violations})
""",
        },
    },
    # Part D: the revised plan.
    "revised_plan": {
        "right": {
            "withdrawal_from_month_31_the_latest_allowed": """
revised = draft.copy()
revised.loc[revised["task_id"] == "action_plans", "start_month"] = 13
revised.loc[revised["task_id"] == "action_plans", "end_month"] = 17
revised.loc[revised["task_id"] == "withdrawal", "start_month"] = 31
revised["months"] = revised["end_month"] - revised["start_month"] + 1
workplan.validate_plan(revised)
""",
            "by_label_action_plans_later": """
revised = draft.set_index("task_id")
revised.loc["action_plans", ["start_month", "end_month"]] = [15, 19]
revised.loc["withdrawal", "start_month"] = 28
revised["months"] = revised["end_month"] - revised["start_month"] + 1
revised = revised.reset_index()
""",
        },
        "wrong": {
            "diagnostic_shortened_back_to_9_months": """
revised = draft.copy()
revised.loc[revised["task_id"] == "diagnostic", "end_month"] = 9
revised.loc[revised["task_id"] == "withdrawal", "start_month"] = 30
revised["months"] = revised["end_month"] - revised["start_month"] + 1
""",
            "action_plans_squeezed_to_2_months": """
revised = draft.copy()
revised.loc[revised["task_id"] == "action_plans", "start_month"] = 13
revised.loc[revised["task_id"] == "withdrawal", "start_month"] = 30
revised["months"] = revised["end_month"] - revised["start_month"] + 1
""",
            "months_not_recomputed": """
revised = draft.copy()
revised.loc[revised["task_id"] == "action_plans", ["start_month", "end_month"]] = [13, 17]
revised.loc[revised["task_id"] == "withdrawal", "start_month"] = 30
""",
        },
    },
    # Part E: the Gantt chart of the revised plan.
    "workplan_chart": {
        "right": {
            "title_in_capitals": """
fig, ax = plt.subplots(figsize=(9, 5))
chart = workplan.plot_workplan(revised, ax=ax, title="REVISED PLAN")
""",
            "axes_from_subplots_inline": """
chart = workplan.plot_workplan(
    revised, ax=plt.subplots(figsize=(9, 5))[1], title="Work plan, revised"
)
""",
        },
        "wrong": {
            "draws_the_draft": """
fig, ax = plt.subplots(figsize=(9, 5))
chart = workplan.plot_workplan(draft, ax=ax, title="Revised plan")
""",
            "title_without_revised": """
fig, ax = plt.subplots(figsize=(9, 5))
chart = workplan.plot_workplan(revised, ax=ax, title="The new plan")
""",
        },
    },
}
