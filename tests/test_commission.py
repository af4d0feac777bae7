"""cdatools.commission: coverage, gaps and balance of a proposed Cluster Commission."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cdatools.commission import (
    CATEGORIES,
    CORE_CATEGORIES,
    SURVEY_TO_COMMISSION,
    check_commission,
    plot_commission,
)


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def members(*categories: str) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "stakeholder_id": [f"S{i:02d}" for i in range(len(categories))],
            "commission_category": list(categories),
        }
    )


BALANCED = members(
    "entrepreneurs",
    "entrepreneurs",
    "entrepreneurs",
    "service_institutions",
    "knowledge_gatekeepers",
    "local_government",
    "issue_specific",
)


def rules(check) -> list[tuple[str, str]]:
    return [(f.rule, f.category) for f in check.findings]


def test_balanced_commission_passes():
    check = check_commission(BALANCED)
    assert check.ok
    assert check.gaps == ()
    cov = check.coverage.set_index("category")
    assert cov["seats"].tolist() == [3, 1, 1, 1, 1]
    assert cov.loc["entrepreneurs", "share"] == pytest.approx(3 / 7)
    assert cov["required"].tolist() == [True, True, True, True, False]


def test_gaps_are_the_missing_core_categories():
    check = check_commission(members("entrepreneurs", "local_government"))
    assert check.gaps == ("service_institutions", "knowledge_gatekeepers")
    gap_messages = [f.message for f in check.findings if f.rule == "gap"]
    assert gap_messages[1].startswith("No member represents knowledge gatekeepers")
    assert "university" in gap_messages[1]


def test_issue_specific_members_are_optional():
    check = check_commission(BALANCED.iloc[:-1])
    assert check.ok


def test_one_category_with_more_than_half_the_seats():
    check = check_commission(
        members(
            "local_government",
            "local_government",
            "local_government",
            "entrepreneurs",
            "entrepreneurs",
            "service_institutions",
            "knowledge_gatekeepers",
        )
    )
    assert rules(check) == []  # 3 of 7 = 43%: not more than half
    check = check_commission(
        members(
            "local_government",
            "local_government",
            "local_government",
            "entrepreneurs",
            "service_institutions",
        )
    )
    assert ("dominant_category", "local_government") in rules(check)
    message = next(f.message for f in check.findings if f.rule == "dominant_category")
    assert message.startswith("Local government hold 3 of 5 seats (60%), more than 50%")


def test_entrepreneurs_under_a_quarter():
    check = check_commission(
        members(
            "entrepreneurs",
            "service_institutions",
            "service_institutions",
            "knowledge_gatekeepers",
            "knowledge_gatekeepers",
            "local_government",
        )
    )
    assert rules(check) == [("few_entrepreneurs", "entrepreneurs")]
    assert "only 1 of 6 seats (17%)" in check.findings[0].message


def test_missing_entrepreneurs_is_a_gap_not_also_few():
    check = check_commission(members("service_institutions", "knowledge_gatekeepers"))
    assert ("few_entrepreneurs", "entrepreneurs") not in rules(check)
    assert ("gap", "entrepreneurs") in rules(check)


def test_too_many_issue_specific_members():
    check = check_commission(BALANCED.iloc[3:])  # 1 of 4 each: 25% is not more than 25%
    assert ("many_issue_specific", "issue_specific") not in rules(check)
    extra = members("issue_specific", "issue_specific").assign(stakeholder_id=["X1", "X2"])
    check = check_commission(pd.concat([BALANCED, extra], ignore_index=True))
    assert ("many_issue_specific", "issue_specific") in rules(check)


def test_limits_can_be_changed():
    check = check_commission(BALANCED, max_share=0.4)
    assert ("dominant_category", "entrepreneurs") in rules(check)


@pytest.mark.parametrize(
    ("data", "kwargs", "match"),
    [
        (
            members("entrepreneurs", "ngo"),
            {},
            r"'commission_category' must be one of .*; row 1 \(stakeholder_id 'S01'\) has 'ngo'",
        ),
        (members(), {}, "members has no rows"),
        (pd.concat([BALANCED, BALANCED.iloc[[0]]]), {}, "repeats stakeholder_id 'S00'"),
        (BALANCED.rename(columns={"commission_category": "kind"}), {}, "missing column"),
        (BALANCED, {"max_share": 1.5}, "max_share must be between 0 and 1"),
    ],
)
def test_bad_input_raises(data, kwargs, match):
    with pytest.raises(ValueError, match=match):
        check_commission(data, **kwargs)


def test_other_category_column_and_no_ids():
    data = pd.DataFrame({"kind": ["entrepreneurs", "local_government"]})
    check = check_commission(data, category="kind")
    assert len(check.gaps) == 2


def test_survey_mapping_covers_every_survey_category():
    assert set(SURVEY_TO_COMMISSION.values()) <= set(CATEGORIES)
    assert len(SURVEY_TO_COMMISSION) == 7


commission = st.lists(st.sampled_from(CATEGORIES), min_size=1, max_size=12)


@settings(max_examples=100, deadline=None, database=None)
@given(seats=commission, extra=st.sampled_from(CATEGORIES))
def test_adding_a_member_never_adds_a_gap(seats, extra):
    before = check_commission(members(*seats))
    after = check_commission(members(*seats, extra))
    assert set(after.gaps) <= set(before.gaps)
    if extra in before.gaps:
        assert set(after.gaps) == set(before.gaps) - {extra}


@settings(max_examples=100, deadline=None, database=None)
@given(seats=commission)
def test_gaps_are_exactly_the_absent_core_categories(seats):
    check = check_commission(members(*seats))
    assert set(check.gaps) == set(CORE_CATEGORIES) - set(seats)
    assert check.coverage["seats"].sum() == len(seats)
    assert check.coverage["share"].sum() == pytest.approx(1.0)


def test_plot_commission_marks_gaps():
    check = check_commission(members("entrepreneurs", "local_government"))
    ax = plot_commission(check)
    assert len(ax.patches) == 5
    assert [t.get_text() for t in ax.texts] == ["missing", "missing"]
    assert ax.get_xlabel() == "Seats (number of members)"
    assert ax.get_title() == "Seats on the proposed Cluster Commission"


def test_plot_commission_on_given_axes_and_wrong_input():
    _, ax = plt.subplots()
    assert plot_commission(check_commission(BALANCED), ax=ax) is ax
    with pytest.raises(ValueError, match="expected the result of check_commission"):
        plot_commission(BALANCED)


# ------------------------------------------------------------------ seats follow Box 4, not power
def _candidates() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "stakeholder_id": ["ASSOC", "BIGFIRM", "BANK", "UNI", "TOWN", "NGO"],
            "name": ["Small firms' network", "Big firm", "Bank", "University", "Town", "NGO"],
            "commission_category": [
                "entrepreneurs",
                "entrepreneurs",
                "service_institutions",
                "knowledge_gatekeepers",
                "local_government",
                "issue_specific",
            ],
            "power": [1, 5, 2, 2, 5, 1],
            "interest": [5, 2, 2, 4, 4, 3],
        }
    )


def test_proposal_seats_every_core_candidate_whatever_their_power():
    from cdatools.commission import propose_members

    proposal = propose_members(_candidates())
    members = proposal[proposal["seat"] == "member"]
    assert set(members["stakeholder_id"]) == {"ASSOC", "BIGFIRM", "BANK", "UNI", "TOWN"}
    assert proposal.iloc[-1]["stakeholder_id"] == "NGO"
    assert proposal.iloc[-1]["seat"] == "invited for a defined period"
    assert proposal["why"].str.startswith("Box 4").all()
    assert check_commission(members).gaps == ()


def test_a_commission_of_the_powerful_only_is_flagged():
    powerful = _candidates()[_candidates()["power"] >= 4]
    extra = powerful.assign(stakeholder_id=["X1", "X2"])
    check = check_commission(pd.concat([powerful, extra]))
    rules = [finding.rule for finding in check.findings]
    assert "seats_follow_power" in rules
    assert any("seem to follow power" in m for m in check.messages)
    mixed = check_commission(_candidates())
    assert "seats_follow_power" not in [finding.rule for finding in mixed.findings]
    without_power = check_commission(powerful.drop(columns="power").iloc[:3])
    assert "seats_follow_power" not in [f.rule for f in without_power.findings]


def test_candidates_for_the_composer_come_from_one_cluster():
    from cdatools.commission import candidates_for

    people = _candidates().assign(cluster=["A", "A", "A", "B", "B", "B"])
    records = candidates_for(people, "A")
    assert [r["stakeholder_id"] for r in records] == ["ASSOC", "BIGFIRM", "BANK"]
    assert set(records[0]) == {"stakeholder_id", "name", "commission_category"}
    with pytest.raises(ValueError, match="no stakeholder in cluster 'C'; clusters are A, B"):
        candidates_for(people, "C")


def test_proposal_refuses_an_unknown_category():
    from cdatools.commission import propose_members

    bad = _candidates().assign(commission_category="firms")
    with pytest.raises(ValueError, match="firms"):
        propose_members(bad)
