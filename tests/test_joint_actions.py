"""cdatools.joint_actions: impact/effort matrix, ranking, portfolio, plot."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cdatools.joint_actions import (
    RISK_LEVELS,
    classify_actions,
    plot_matrix,
    rank_actions,
    select_portfolio,
)

FIXED = {"impact_threshold": 5, "effort_threshold": 5, "cost_scale": 10_000, "duration_scale": 12}


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def four() -> pd.DataFrame:
    """One proposal per quadrant.

    Scales are the largest cost (1000) and duration (4): effort for A and C is
    10 * (0.5 * 0 + 0.5 * 1/4) = 1.25, for B and D 10 * (0.5 + 0.5) = 10.
    Thresholds: median impact (8, 8, 2, 2) = 5, median effort = 5.625.
    """
    return pd.DataFrame(
        {
            "action_id": ["A", "B", "C", "D"],
            "expected_benefit": [8, 8, 2, 2],
            "cost_usd": [0, 1000, 0, 1000],
            "duration_months": [1, 4, 1, 4],
            "time_limited": [True, True, True, True],
            "predatory_risk": ["low", "low", "low", "low"],
        }
    )


def actions() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "action_id": ["JA01", "JA02", "JA03", "JA04", "JA05", "JA06"],
            "title": ["facility", "training", "fair", "export", "ads", "purchasing"],
            "expected_benefit": [9, 7, 6, 8, 4, 6],
            "cost_usd": [8000, 1000, 2000, 6000, 500, 7000],
            "duration_months": [12, 2, 1, 6, 1, 10],
            "time_limited": [False, True, True, True, True, True],
            "predatory_risk": ["medium", "low", "low", "high", "low", "medium"],
        }
    )


# --- classify ----------------------------------------------------------------------------------


def test_classify_one_per_quadrant_by_hand():
    table = classify_actions(four())
    assert table["effort"].tolist() == [1.25, 10.0, 1.25, 10.0]
    assert table["impact"].tolist() == [8, 8, 2, 2]
    assert table["quadrant"].tolist() == ["quick_win", "major_project", "fill_in", "thankless_task"]
    assert table.attrs == {"impact_threshold": 5.0, "effort_threshold": 5.625}


def test_on_the_threshold_counts_as_high_impact_and_low_effort():
    table = classify_actions(four(), impact_threshold=8, effort_threshold=10)
    assert table["quadrant"].tolist() == ["quick_win", "quick_win", "fill_in", "fill_in"]


def test_fixed_scales_make_effort_absolute():
    table = classify_actions(four(), cost_scale=2000, duration_scale=8)
    # B: 10 * (0.5 * 1000/2000 + 0.5 * 4/8) = 5
    assert table.loc[1, "effort"] == 5.0


def test_free_proposals_only():
    table = classify_actions(four().assign(cost_usd=0))
    assert table["effort"].tolist() == [1.25, 5.0, 1.25, 5.0]


def test_negative_cost_message_names_row_and_id():
    data = actions()
    data.loc[3, "cost_usd"] = -50
    with pytest.raises(
        ValueError,
        match=(
            r"^joint_actions: column 'cost_usd' must be >= 0; "
            r"row 3 \(action_id 'JA04'\) has -50$"
        ),
    ):
        classify_actions(data)


@pytest.mark.parametrize(
    ("column", "value", "match"),
    [
        ("duration_months", 0, "'duration_months' must be >= 1; row 0"),
        ("duration_months", 1.5, "'duration_months' must hold whole numbers"),
        ("expected_benefit", 11, "'expected_benefit' must be between 1 and 10"),
        ("cost_usd", "ten", "'cost_usd' must hold numbers; row 0 .* has 'ten'"),
        ("action_id", "JA02", "repeats action_id 'JA02'"),
    ],
)
def test_bad_values_raise(column, value, match):
    data = actions()
    data[column] = data[column].astype(object)
    data.loc[0, column] = value
    with pytest.raises(ValueError, match=match):
        classify_actions(data)


def test_missing_column_raises():
    with pytest.raises(ValueError, match="missing column 'cost_usd'"):
        classify_actions(actions().drop(columns="cost_usd"))


def test_scales_must_be_positive():
    with pytest.raises(ValueError, match="cost_scale must be > 0; got 0"):
        classify_actions(actions(), cost_scale=0)


# --- rank --------------------------------------------------------------------------------------


def test_rank_follows_the_module_by_hand():
    ranked = rank_actions(actions(), **FIXED)
    # Effort with fixed scales (10,000 USD, 12 months):
    # JA02 10*(0.05+0.0833)=1.33 JA03 1.42 JA05 0.67 -> low effort; JA01 9.0, JA04 5.5, JA06 7.67
    # low risk first: JA02 (quick win), JA03 (quick win), JA05 (fill-in);
    #   quick wins by benefit per 1000 USD: JA02 7.0 > JA03 3.0
    # medium risk: JA06 (time-limited) before JA01 (open-ended); high risk last: JA04
    assert ranked["action_id"].tolist() == ["JA02", "JA03", "JA05", "JA06", "JA01", "JA04"]
    assert ranked["rank"].tolist() == [1, 2, 3, 4, 5, 6]
    assert ranked.set_index("action_id").loc["JA02", "benefit_per_1000_usd"] == 7.0


def test_time_limited_before_quick_win_within_a_risk_level():
    data = four().assign(time_limited=[False, True, True, True])
    assert rank_actions(data)["action_id"].tolist()[0] != "A"


def test_free_actions_rank_first_among_equals():
    data = four().assign(expected_benefit=[8, 8, 8, 8], cost_usd=[500, 0, 500, 500])
    data["duration_months"] = 1
    ranked = rank_actions(data)
    assert ranked["action_id"].tolist()[0] == "B"
    assert np.isinf(ranked["benefit_per_1000_usd"].iloc[0])


@pytest.mark.parametrize(
    ("column", "value", "match"),
    [
        ("predatory_risk", "extreme", r"'predatory_risk' must be one of 'low', 'medium', 'high'"),
        ("time_limited", "yes", "'time_limited' must be one of True, False"),
    ],
)
def test_rank_bad_categories(column, value, match):
    data = actions()
    data[column] = data[column].astype(object)
    data.loc[2, column] = value
    with pytest.raises(ValueError, match=match + r"; row 2 \(action_id 'JA03'\)"):
        rank_actions(data)


proposal = st.fixed_dictionaries(
    {
        "expected_benefit": st.integers(1, 10),
        "cost_usd": st.integers(0, 10_000),
        "duration_months": st.integers(1, 12),
        "time_limited": st.booleans(),
        "predatory_risk": st.sampled_from(RISK_LEVELS),
    }
)
proposals = st.lists(proposal, min_size=1, max_size=8).map(
    lambda rows: pd.DataFrame(rows).assign(action_id=[f"A{i}" for i in range(len(rows))])
)


def rank_of(data: pd.DataFrame, action_id: str, **kwargs) -> int:
    ranked = rank_actions(data, **kwargs)
    return int(ranked.set_index("action_id").loc[action_id, "rank"])


@settings(max_examples=100, deadline=None, database=None)
@given(data=proposals, pick=st.integers(0, 7))
def test_raising_risk_never_moves_an_action_earlier(data, pick):
    i = pick % len(data)
    target = data.loc[i, "action_id"]
    level = RISK_LEVELS.index(data.loc[i, "predatory_risk"])
    before = rank_of(data, target)
    for higher in RISK_LEVELS[level + 1 :]:
        riskier = data.copy()
        riskier.loc[i, "predatory_risk"] = higher
        assert rank_of(riskier, target) >= before


@settings(max_examples=100, deadline=None, database=None)
@given(data=proposals, pick=st.integers(0, 7))
def test_making_an_action_time_limited_never_moves_it_later(data, pick):
    i = pick % len(data)
    target = data.loc[i, "action_id"]
    limited = data.copy()
    limited.loc[i, "time_limited"] = True
    assert rank_of(limited, target) <= rank_of(data, target)


@settings(max_examples=100, deadline=None, database=None)
@given(data=proposals, pick=st.integers(0, 7), extra=st.integers(1, 5000))
def test_raising_cost_never_moves_an_action_earlier_with_fixed_scales(data, pick, extra):
    i = pick % len(data)
    target = data.loc[i, "action_id"]
    dearer = data.copy()
    dearer.loc[i, "cost_usd"] += extra
    assert rank_of(dearer, target, **FIXED) >= rank_of(data, target, **FIXED)


@settings(max_examples=100, deadline=None, database=None)
@given(data=proposals)
def test_ranking_is_a_permutation_respecting_risk_order(data):
    ranked = rank_actions(data)
    assert sorted(ranked["action_id"]) == sorted(data["action_id"])
    risk = ranked["predatory_risk"].map(RISK_LEVELS.index).to_numpy()
    assert (np.diff(risk) >= 0).all()


# --- portfolio ---------------------------------------------------------------------------------


def test_select_portfolio_by_hand():
    p = select_portfolio(actions(), budget=4000, start_month=15, max_parallel=1, **FIXED)
    # rank order JA02 (1000), JA03 (2000), JA05 (500), JA06 (7000), JA01, JA04
    assert p.plan["action_id"].tolist() == ["JA02", "JA03", "JA05"]
    assert p.plan["cumulative_cost_usd"].tolist() == [1000, 3000, 3500]
    # one at a time: JA02 months 15-16, JA03 17, JA05 18
    assert p.plan["start_month"].tolist() == [15, 17, 18]
    assert p.plan["end_month"].tolist() == [16, 17, 18]
    assert p.plan["order"].tolist() == [1, 2, 3]
    assert (p.spent, p.remaining) == (3500.0, 500.0)
    reasons = dict(zip(p.left_out["action_id"], p.left_out["reason"], strict=True))
    assert reasons["JA06"] == "costs 7,000 USD but only 500 USD of the budget is left"
    assert set(reasons) == {"JA06", "JA01", "JA04"}


def test_parallel_slots_and_horizon():
    p = select_portfolio(actions(), budget=100_000, start_month=25, horizon=36, **FIXED)
    plan = p.plan.set_index("action_id")
    # two slots: JA02 25-26 and JA03 25-25; JA05 26-26; JA06 (10 months) 27-36
    assert plan.loc["JA02", ["start_month", "end_month"]].tolist() == [25, 26]
    assert plan.loc["JA03", ["start_month", "end_month"]].tolist() == [25, 25]
    assert plan.loc["JA06", ["start_month", "end_month"]].tolist() == [27, 36]
    reasons = dict(zip(p.left_out["action_id"], p.left_out["reason"], strict=True))
    assert reasons["JA01"] == (
        "would run from month 27 to month 38, past the initiative's last month 36"
    )
    assert plan.loc["JA04", ["start_month", "end_month"]].tolist() == [27, 32]


def test_thankless_tasks_are_left_out_unless_asked():
    p = select_portfolio(four(), budget=10_000)
    assert "D" not in p.plan["action_id"].tolist()
    assert p.left_out.set_index("action_id").loc["D", "reason"].startswith("thankless task")
    p = select_portfolio(four(), budget=10_000, skip_thankless=False)
    assert "D" in p.plan["action_id"].tolist()


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"budget": -1}, "budget must be a number >= 0"),
        ({"budget": 100, "max_parallel": 0}, "max_parallel must be a whole number >= 1"),
        ({"budget": 100, "start_month": 10, "horizon": 5}, "must not be before start_month"),
    ],
)
def test_portfolio_errors(kwargs, match):
    with pytest.raises(ValueError, match=match):
        select_portfolio(actions(), **kwargs)


def test_zero_budget_selects_only_free_actions():
    p = select_portfolio(four(), budget=0)
    assert p.plan["action_id"].tolist() == ["A", "C"]
    assert p.spent == 0


@settings(max_examples=100, deadline=None, database=None)
@given(data=proposals, budget=st.integers(0, 30_000), parallel=st.integers(1, 3))
def test_portfolio_respects_budget_and_rank(data, budget, parallel):
    p = select_portfolio(data, budget=budget, max_parallel=parallel)
    assert p.spent <= budget
    chosen, left = p.plan["action_id"].tolist(), p.left_out["action_id"].tolist()
    assert sorted(chosen + left) == sorted(data["action_id"])
    assert (np.diff(p.plan["rank"]) > 0).all()  # plan follows rank order
    assert (np.diff(p.plan["start_month"]) >= 0).all()  # later ranks never start earlier
    assert p.left_out["reason"].str.len().gt(0).all()
    running = [
        ((p.plan["start_month"] <= m) & (p.plan["end_month"] >= m)).sum()
        for m in range(1, int(p.plan["end_month"].max()) + 1 if len(p.plan) else 1)
    ]
    assert max(running, default=0) <= parallel


# --- plot --------------------------------------------------------------------------------------


def test_plot_matrix_by_risk_level():
    ax = plot_matrix(actions())
    assert len(ax.collections) == 3  # low, medium, high
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [
        "low risk",
        "medium risk",
        "high risk",
    ]
    assert len(ax.lines) == 2  # threshold lines
    texts = [t.get_text() for t in ax.texts]
    assert {"Quick wins", "Major projects", "Fill-ins", "Thankless tasks"} <= set(texts)
    assert "JA04" in texts
    assert ax.get_xlabel().startswith("Effort (0-10")
    assert ax.get_ylabel().startswith("Impact")


def test_plot_matrix_threshold_lines_and_given_axes():
    _, ax = plt.subplots()
    assert plot_matrix(four(), ax=ax) is ax
    vertical, horizontal = ax.lines
    assert vertical.get_xdata()[0] == 5.625
    assert horizontal.get_ydata()[0] == 5.0


def test_plot_matrix_without_risk_column():
    ax = plot_matrix(four().drop(columns="predatory_risk"))
    assert len(ax.collections) == 1
    assert ax.get_legend() is None


# ---------------------------------------------- the rule is the course's, and adjustable
def _two_kinds() -> pd.DataFrame:
    """A small low-risk benefit against a large medium-risk one."""
    return pd.DataFrame(
        {
            "action_id": ["TRAIN", "WATER", "FAIR"],
            "title": ["Dye training", "Water recycling", "Fair stall"],
            "expected_benefit": [3, 9, 5],
            "cost_usd": [11_000, 166_000, 30_000],
            "duration_months": [3, 23, 5],
            "time_limited": [True, False, True],
            "predatory_risk": ["low", "medium", "medium"],
        }
    )


def test_default_rule_can_put_a_small_benefit_above_a_large_one_and_says_so():
    from cdatools.joint_actions import RANKING_RULE

    ranked = rank_actions(_two_kinds())
    assert ranked["action_id"].tolist()[0] == "TRAIN"
    assert ranked.attrs["rule"] == RANKING_RULE
    assert RANKING_RULE.startswith("Course ranking rule: lower risk of predatory behaviour first")


def test_order_changes_the_ranking():
    ranked = rank_actions(_two_kinds(), order=["benefit", "predatory_risk"])
    assert ranked["action_id"].tolist() == ["WATER", "FAIR", "TRAIN"]
    assert "larger expected benefit first" in ranked.attrs["rule"]


def test_weights_give_a_score_and_rank_by_it():
    ranked = rank_actions(_two_kinds(), weights={"benefit": 3, "predatory_risk": 1})
    assert ranked["action_id"].tolist()[0] == "WATER"
    assert ranked["score"].is_monotonic_decreasing
    assert ranked["score"].between(0, 1).all()
    only_risk = rank_actions(_two_kinds(), weights={"predatory_risk": 1, "benefit": 0})
    assert only_risk["action_id"].tolist()[0] == "TRAIN"


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"order": ["risk"]}, "order must list criteria from .*got \\['risk'\\]"),
        ({"order": ["benefit", "benefit"]}, "names a criterion twice"),
        ({"order": []}, "order must list criteria"),
        ({"weights": {"cost": 1}}, "unknown criterion 'cost'"),
        ({"weights": {"benefit": -1}}, "weight of 'benefit' must be a number >= 0; got -1"),
        ({"weights": {"benefit": "lots"}}, "weight of 'benefit' must be a number"),
        ({"weights": {"benefit": 0}}, "at least one weight must be above 0"),
    ],
)
def test_bad_rule_is_refused_with_a_clear_message(options, message):
    with pytest.raises(ValueError, match=message):
        rank_actions(_two_kinds(), **options)


def test_comparison_with_concern_first_shows_where_they_disagree():
    from cdatools.joint_actions import compare_with_concern_first

    table = compare_with_concern_first(_two_kinds())
    assert table["action_id"].tolist() == ["WATER", "FAIR", "TRAIN"]
    water = table.set_index("action_id").loc["WATER"]
    assert (water["course_rank"], water["concern_rank"], water["places_later"]) == (3, 1, 2)
    assert table["places_later"].sum() == 0
    same = compare_with_concern_first(_two_kinds(), order=["benefit"])
    assert (same["places_later"] == 0).all()


def test_portfolio_follows_a_changed_rule():
    plan = select_portfolio(_two_kinds(), budget=200_000, order=["benefit"]).plan
    assert plan["action_id"].tolist()[0] == "WATER"
