"""cdatools.workplan: Table 1 plan, rule checks, overlaps, hands-on profile, Gantt chart."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cdatools import workplan
from cdatools.workplan import (
    ROLE_WEIGHTS,
    hands_on_profile,
    overlaps,
    plot_hands_on,
    plot_workplan,
    table1_plan,
    validate_plan,
)

PLAN_COLUMNS = ["task_id", "activity", "timeframe", "start_month", "end_month", "cda_role"]


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def plan_with(**changes: tuple[int, int]) -> pd.DataFrame:
    """Table 1 with some tasks' (start, end) months replaced."""
    plan = table1_plan()
    for task_id, (start, end) in changes.items():
        plan.loc[plan["task_id"] == task_id, ["start_month", "end_month"]] = [start, end]
    return plan


def small_plan() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "task_id": ["A", "B", "C"],
            "activity": ["a", "b", "c"],
            "start_month": [1, 3, 6],
            "end_month": [3, 5, 6],
            "cda_role": ["lead", "support", "facilitate"],
        }
    )


# --- table1_plan -------------------------------------------------------------------------------


def test_table1_plan_reads_the_module_table_as_36_months():
    plan = table1_plan()
    assert list(plan.columns) == [*PLAN_COLUMNS, "description"]
    assert plan["task_id"].tolist() == [
        "diagnostic",
        "action_plans",
        "capacity_building",
        "monitoring",
        "transfer",
        "network_strengthening",
        "withdrawal",
    ]
    months = dict(
        zip(plan["task_id"], zip(plan["start_month"], plan["end_month"], strict=True), strict=True)
    )
    assert months["diagnostic"] == (1, 9)  # 6 to 12 months: the middle
    assert months["capacity_building"] == (13, 36)  # "the following 2 years"
    assert months["transfer"] == (13, 24)  # second year
    assert months["network_strengthening"] == (25, 36)  # third year
    assert plan["cda_role"].isin(ROLE_WEIGHTS).all()


def test_table1_plan_matches_the_bundled_cda_tasks_dataset():
    datasets = pytest.importorskip("cdatools.datasets")
    data = datasets.load("cda_tasks")
    ours = table1_plan()
    for col in PLAN_COLUMNS:
        assert ours[col].astype(str).tolist() == data[col].astype(str).tolist(), col


def test_table1_plan_follows_every_rule():
    assert validate_plan(table1_plan()) == []


# --- validate_plan -----------------------------------------------------------------------------


def rules(plan: pd.DataFrame, **kwargs) -> list[tuple[str, str]]:
    return [(p.rule, p.task_id) for p in validate_plan(plan, **kwargs)]


def test_task_ending_before_it_starts_is_reported():
    found = validate_plan(plan_with(transfer=(20, 15)))
    assert [(p.rule, p.task_id) for p in found] == [("start_after_end", "transfer")]
    assert "starts in month 20 but ends in month 15" in found[0].message


def test_task_outside_the_initiative_is_reported():
    found = validate_plan(plan_with(withdrawal=(30, 40)))
    assert [(p.rule, p.task_id) for p in found] == [("outside_initiative", "withdrawal")]
    assert "outside the initiative's months 1 to 36" in found[0].message


def test_shorter_initiative_flags_every_task_that_runs_past_it():
    outside = [t for r, t in rules(table1_plan(), months=24) if r == "outside_initiative"]
    assert outside == [
        "capacity_building",
        "monitoring",
        "network_strengthening",
        "withdrawal",
    ]


def test_action_plans_before_the_diagnostic_ends_is_reported():
    found = validate_plan(plan_with(action_plans=(8, 12)))
    assert [(p.rule, p.task_id) for p in found] == [
        ("diagnostic_before_action_plans", "action_plans")
    ]
    assert "start them in month 10 or later" in found[0].message


def test_transfer_starting_after_withdrawal_is_reported():
    found = rules(plan_with(transfer=(31, 36)))
    assert found == [("transfer_before_withdrawal", "transfer")]


def test_transfer_running_after_withdrawal_ends_is_reported():
    plan = plan_with(withdrawal=(30, 34))
    found = validate_plan(plan)
    assert [(p.rule, p.task_id) for p in found if p.rule != "exit_strategy_late"] == []
    plan = plan_with(withdrawal=(20, 22))
    messages = [p.message for p in validate_plan(plan) if p.rule == "transfer_before_withdrawal"]
    assert any("after the CDA has withdrawn (month 22)" in m for m in messages)


@pytest.mark.parametrize(("start", "late"), [(30, False), (31, False), (32, True), (36, True)])
def test_exit_strategy_needs_six_months_by_default(start, late):
    # months 31-36 are 6 months: the latest allowed start with exit_lead_months=6
    found = rules(plan_with(withdrawal=(start, 36)))
    assert (("exit_strategy_late", "withdrawal") in found) is late


def test_exit_lead_months_can_be_changed():
    plan = plan_with(withdrawal=(34, 36))
    assert rules(plan, exit_lead_months=3) == []
    message = validate_plan(plan, exit_lead_months=4)[0].message
    assert "leaving 3 month(s)" in message
    assert "start by month 33" in message


def test_missing_tasks_are_reported_not_raised():
    plan = table1_plan().query("task_id not in ['diagnostic', 'withdrawal']")
    found = validate_plan(plan)
    assert [(p.rule, p.task_id) for p in found] == [
        ("missing_task", "diagnostic"),
        ("missing_task", "withdrawal"),
    ]
    assert "rename yours to task_id 'diagnostic'" in found[0].message


def test_validate_plan_accepts_other_column_names():
    plan = table1_plan().rename(columns={"start_month": "begin", "cda_role": "role"})
    assert validate_plan(plan, start="begin", role="role") == []


@pytest.mark.parametrize(
    ("change", "match"),
    [
        (lambda p: p.drop(columns="end_month"), "missing column 'end_month'"),
        (lambda p: p.assign(start_month=p["start_month"].astype(float) + 0.5), "whole numbers"),
        (lambda p: p.replace({"cda_role": {"lead": "boss"}}), "must be one of 'lead'.*'boss'"),
        (lambda p: p.replace({"task_id": {"transfer": "monitoring"}}), "repeats task_id"),
        (lambda p: p.iloc[0:0], "no rows"),
    ],
)
def test_malformed_plans_raise(change, match):
    with pytest.raises(ValueError, match=match):
        validate_plan(change(table1_plan()))


def test_months_must_be_positive():
    with pytest.raises(ValueError, match="months must be a whole number >= 1; got 0"):
        validate_plan(table1_plan(), months=0)


# --- overlaps ----------------------------------------------------------------------------------


def test_overlaps_by_hand():
    # A 1-3 and B 3-5 share month 3; C (month 6) shares nothing.
    result = overlaps(small_plan())
    assert result.to_dict("records") == [
        {"task_a": "A", "task_b": "B", "first_month": 3, "last_month": 3, "months": 1}
    ]


def test_overlaps_of_table1_include_transfer_and_capacity_building():
    result = overlaps(table1_plan()).set_index(["task_a", "task_b"])
    assert result.loc[("capacity_building", "transfer"), "months"] == 12
    assert ("diagnostic", "action_plans") not in result.index


def test_overlaps_rejects_a_task_that_ends_before_it_starts():
    with pytest.raises(ValueError, match="task 'B' starts in month 3 but ends in month 2"):
        overlaps(small_plan().assign(end_month=[3, 2, 6]))


# --- hands_on_profile --------------------------------------------------------------------------


def test_hands_on_profile_by_hand():
    plan = pd.DataFrame(
        {
            "task_id": ["A", "B"],
            "start_month": [1, 2],
            "end_month": [2, 3],
            "cda_role": ["lead", "support"],
        }
    )
    profile = hands_on_profile(plan, months=4)
    assert profile["month"].tolist() == [1, 2, 3, 4]
    assert profile["active_tasks"].tolist() == [1, 2, 1, 0]
    # month 2: lead 1.0 + support 0.25 = 1.25 over 2 tasks = 0.625
    assert profile["workload"].tolist() == [1.0, 1.25, 0.25, 0.0]
    assert profile["hands_on"].tolist()[:3] == [1.0, 0.625, 0.25]
    assert np.isnan(profile["hands_on"].iloc[3])


def test_hands_on_falls_over_the_table1_initiative():
    hands_on = hands_on_profile(table1_plan())["hands_on"].to_numpy()
    assert hands_on[0] == 1.0
    assert hands_on[-1] < 0.6
    assert (np.diff(hands_on) <= 1e-12).all()


def test_plan_longer_than_the_initiative_raises():
    with pytest.raises(
        ValueError, match=r"task 'withdrawal' runs from month 30 to month 40.*months=40"
    ):
        hands_on_profile(plan_with(withdrawal=(30, 40)))


def test_custom_role_weights():
    plan = small_plan().replace({"cda_role": {"support": "lead"}})
    profile = hands_on_profile(plan, months=6, weights={"lead": 1.0, "facilitate": 0.0})
    assert profile["workload"].tolist() == [1.0, 1.0, 2.0, 1.0, 1.0, 0.0]


def test_role_weights_must_be_between_0_and_1():
    with pytest.raises(ValueError, match="role weight for 'lead' must be between 0 and 1"):
        hands_on_profile(small_plan(), months=6, weights={**ROLE_WEIGHTS, "lead": 2.0})


@settings(max_examples=60, deadline=None, database=None)
@given(
    tasks=st.lists(
        st.tuples(st.integers(1, 12), st.integers(0, 11), st.sampled_from(list(ROLE_WEIGHTS))),
        min_size=1,
        max_size=6,
    ),
    which=st.integers(0, 5),
)
def test_a_less_hands_on_role_never_raises_the_profile(tasks, which):
    plan = pd.DataFrame(
        {
            "task_id": [f"T{i}" for i in range(len(tasks))],
            "start_month": [s for s, _, _ in tasks],
            "end_month": [min(s + d, 12) for s, d, _ in tasks],
            "cda_role": [r for _, _, r in tasks],
        }
    )
    before = hands_on_profile(plan, months=12)
    assert ((before["hands_on"].dropna() >= 0.25) & (before["hands_on"].dropna() <= 1)).all()
    assert np.allclose(before["workload"], before["hands_on"].fillna(0) * before["active_tasks"])
    changed = plan.copy()
    changed.loc[which % len(plan), "cda_role"] = "support"
    after = hands_on_profile(changed, months=12)
    assert (after["workload"] <= before["workload"] + 1e-12).all()
    assert (after["hands_on"].fillna(0) <= before["hands_on"].fillna(0) + 1e-12).all()


# --- plots -------------------------------------------------------------------------------------


def test_plot_workplan_draws_one_bar_per_task():
    ax = plot_workplan(table1_plan())
    assert len(ax.patches) == 7
    assert ax.get_title() == "The CDA's workplan"
    assert ax.get_xlabel() == "Month of the initiative (months)"
    assert len(ax.get_yticklabels()) == 7
    first = ax.patches[0]  # diagnostic, months 1-9 drawn from 0 to 9
    assert (first.get_x(), first.get_width()) == (0, 9)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == list(ROLE_WEIGHTS)


def test_plot_workplan_draws_on_a_given_axes():
    _, ax = plt.subplots()
    assert plot_workplan(small_plan(), months=6, ax=ax) is ax
    assert len(ax.patches) == 3


def test_plot_workplan_shows_tasks_past_the_end():
    ax = plot_workplan(plan_with(withdrawal=(30, 40)))
    assert ax.get_xlim()[1] >= 40


def test_plot_hands_on_draws_one_line():
    ax = plot_hands_on(hands_on_profile(table1_plan()))
    assert len(ax.lines) == 1
    assert ax.get_ylabel().startswith("Hands-on level")
    assert len(ax.lines[0].get_xdata()) == 36


def test_module_names_are_documented():
    for name in ("table1_plan", "validate_plan", "overlaps", "hands_on_profile", "plot_workplan"):
        doc = getattr(workplan, name).__doc__
        for section in ("Parameters", "Returns", "Examples"):
            if name == "table1_plan" and section == "Parameters":
                continue
            assert section in doc, (name, section)


def test_profile_changes_keeps_first_last_and_changing_months():
    from cdatools.workplan import hands_on_profile, profile_changes, table1_plan

    profile = hands_on_profile(table1_plan())
    changes = profile_changes(profile)
    assert changes["month"].tolist() == [1, 10, 13, 25, 30, 36]
    steady = profile.assign(hands_on=0.5)
    assert profile_changes(steady)["month"].tolist() == [1, 36]
    with pytest.raises(ValueError, match="hands_on"):
        profile_changes(profile.drop(columns="hands_on"))
