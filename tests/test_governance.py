"""cdatools.governance: scorecard, representation gaps, change between waves, plots."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cdatools.governance import (
    CHARACTERISTICS,
    compare_waves,
    plot_change,
    plot_heatmap,
    plot_radar,
    representation_gaps,
    scorecard,
)


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def survey() -> pd.DataFrame:
    """Five answers in two waves; means worked out by hand in the tests."""
    rows = [
        # respondent, wave, category, six scores
        ("R1", "baseline", "small_firms", [1, 2, 2, 3, 1, 1]),
        ("R2", "baseline", "small_firms", [2, 2, 3, 3, 2, 1]),
        ("R3", "baseline", "local_government", [4, 4, 4, 5, 3, 2]),
        ("R1", "follow_up", "small_firms", [3, 3, 3, 3, 3, 2]),
        ("R4", "follow_up", "civil_society", [2, 2, 2, 2, 2, 2]),
    ]
    records = [
        {"respondent_id": r, "wave": w, "cluster": "Bagru", "category": c}
        | dict(zip(CHARACTERISTICS, scores, strict=True))
        for r, w, c, scores in rows
    ]
    return pd.DataFrame(records)


def voice() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "wave": ["baseline"] * 3,
            "cluster": ["Bagru"] * 3,
            "category": ["small_firms", "large_firms", "local_government"],
            "weight_share": [0.5, 0.3, 0.2],
            "voice_share": [0.2, 0.3, 0.5],
        }
    )


# --- scorecard ---------------------------------------------------------------------------------


def test_scorecard_by_hand():
    card = scorecard(survey(), wave="baseline")
    assert card.index.tolist() == ["small_firms", "local_government"]
    assert card.loc["small_firms", "representative"] == 1.5  # (1 + 2) / 2
    assert card.loc["small_firms", "strategic"] == 2.5  # (2 + 3) / 2
    assert card.loc["local_government", "legitimate"] == 5.0
    assert card["respondents"].tolist() == [2, 1]
    assert list(card.columns) == [*CHARACTERISTICS, "respondents"]


def test_scorecard_skips_unanswered_questions():
    data = survey()
    data["representative"] = data["representative"].astype("float")
    data.loc[1, "representative"] = np.nan
    card = scorecard(data, wave="baseline")
    assert card.loc["small_firms", "representative"] == 1.0
    assert card.loc["small_firms", "respondents"] == 2


def test_scorecard_refuses_to_mix_waves():
    with pytest.raises(ValueError, match=r"2 waves \('baseline', 'follow_up'\); pass wave="):
        scorecard(survey())


def test_scorecard_unknown_wave():
    with pytest.raises(ValueError, match="wave 'midline' is not in the survey"):
        scorecard(survey(), wave="midline")


def test_choosing_a_wave_needs_a_wave_column():
    with pytest.raises(ValueError, match="cannot choose wave 'baseline': the survey has no column"):
        scorecard(survey().drop(columns="wave").iloc[:3], wave="baseline")


def test_scorecard_refuses_to_mix_clusters():
    data = pd.concat([survey(), survey().assign(cluster="Atuntaqui")], ignore_index=True)
    with pytest.raises(ValueError, match="2 clusters"):
        scorecard(data, wave="baseline")
    assert scorecard(data, wave="baseline", cluster="Atuntaqui")["respondents"].sum() == 3


def test_score_outside_the_scale_names_the_respondent():
    data = survey()
    data.loc[2, "strategic"] = 7
    with pytest.raises(
        ValueError,
        match=r"column 'strategic' must be between 1 and 5; row 2 \(respondent_id 'R3'\) has 7",
    ):
        scorecard(data, wave="baseline")


def test_scorecard_missing_column():
    with pytest.raises(ValueError, match="missing column 'self_sustaining'"):
        scorecard(survey().drop(columns="self_sustaining"), wave="baseline")


def test_scorecard_with_own_columns_and_groups():
    data = pd.DataFrame({"role": ["a", "a", "b"], "trust": [1, 3, 5]})
    card = scorecard(data, by="role", characteristics=["trust"])
    assert card["trust"].to_dict() == {"a": 2.0, "b": 5.0}


# --- representation_gaps -----------------------------------------------------------------------


def test_representation_gaps_by_hand():
    gaps = representation_gaps(voice())
    assert gaps["category"].tolist() == ["small_firms", "large_firms", "local_government"]
    assert np.allclose(gaps["gap"], [-0.3, 0.0, 0.3])
    assert gaps["under_represented"].tolist() == [True, False, False]
    assert gaps.loc[0, "message"] == (
        "small_firms: 50% of the cluster but 20% of the voice in governance (30 points short)"
    )
    assert gaps.loc[1, "message"] == ""
    assert {"wave", "cluster"} <= set(gaps.columns)


def test_a_shortfall_equal_to_the_tolerance_is_not_a_gap():
    data = voice().assign(voice_share=[0.45, 0.35, 0.2])  # small firms exactly 5 points short
    assert not representation_gaps(data)["under_represented"].any()
    assert representation_gaps(data, tolerance=0.04)["under_represented"].sum() == 1


def test_percentages_instead_of_shares_raise():
    data = voice().assign(voice_share=[20, 30, 50])
    with pytest.raises(ValueError, match="'voice_share' must be between 0 and 1"):
        representation_gaps(data)


def test_shares_must_sum_to_one_per_group():
    data = voice().assign(weight_share=[0.5, 0.3, 0.1])
    with pytest.raises(
        ValueError, match=r"for wave 'baseline', cluster 'Bagru'; it sums to 0\.900"
    ):
        representation_gaps(data)


def test_category_repeated_in_a_group_raises():
    data = pd.concat([voice(), voice().iloc[[0]]], ignore_index=True)
    with pytest.raises(ValueError, match="repeats"):
        representation_gaps(data)


def test_negative_tolerance_raises():
    with pytest.raises(ValueError, match="tolerance must be between 0 and 1"):
        representation_gaps(voice(), tolerance=-0.1)


shares = st.lists(st.integers(1, 20), min_size=2, max_size=7)


@settings(max_examples=80, deadline=None, database=None)
@given(weights=shares, voices=shares, data=st.data())
def test_giving_a_category_more_voice_never_creates_its_gap(weights, voices, data):
    n = min(len(weights), len(voices))
    w = np.array(weights[:n], float) / sum(weights[:n])
    s = np.array(voices[:n], float) / sum(voices[:n])
    table = pd.DataFrame({"category": [f"c{i}" for i in range(n)], "weight_share": w})
    before = representation_gaps(table.assign(voice_share=s)).set_index("category")
    # move some voice from category j to category i
    i, j = data.draw(st.integers(0, n - 1)), data.draw(st.integers(0, n - 1))
    moved = s.copy()
    amount = data.draw(st.floats(0, 1)) * moved[j]
    moved[j] -= amount
    moved[i] += amount
    after = representation_gaps(table.assign(voice_share=moved)).set_index("category")
    if not before.loc[f"c{i}", "under_represented"]:
        assert not after.loc[f"c{i}", "under_represented"]
    # every other category except the donor keeps its verdict
    for k in range(n):
        if k not in (i, j):
            assert (
                after.loc[f"c{k}", "under_represented"] == before.loc[f"c{k}", "under_represented"]
            )


# --- compare_waves -----------------------------------------------------------------------------


def test_compare_waves_by_hand():
    result = compare_waves(survey())
    small = result[(result["category"] == "small_firms")].set_index("characteristic")
    assert small.loc["representative", ["before", "after", "change"]].tolist() == [1.5, 3.0, 1.5]
    assert small.loc["self_sustaining", "change"] == 1.0
    assert small["respondents_before"].iloc[0] == 2
    assert small["respondents_after"].iloc[0] == 1
    # a group present in only one wave gets NaN change
    civil = result[result["category"] == "civil_society"]
    assert civil["before"].isna().all()
    assert civil["change"].isna().all()
    assert len(result) == 3 * len(CHARACTERISTICS)


def test_compare_waves_unknown_wave():
    with pytest.raises(ValueError, match="wave 'endline' is not in the survey"):
        compare_waves(survey(), after="endline")


# --- plots -------------------------------------------------------------------------------------


def test_plot_heatmap_has_one_cell_label_per_score():
    card = scorecard(survey(), wave="baseline")
    ax = plot_heatmap(card)
    assert len(ax.images) == 1
    assert len(ax.texts) == 2 * 6
    assert ax.texts[0].get_text() == "1.5"
    assert ax.get_title() == "Governance scorecard by stakeholder group"
    assert ax.get_xlabel() == "Governance characteristic"
    assert [t.get_text() for t in ax.get_yticklabels()] == ["small_firms", "local_government"]


def test_plot_change_uses_a_symmetric_scale():
    ax = plot_change(compare_waves(survey()), limit=2)
    assert ax.images[0].get_clim() == (-2, 2)
    assert "n/a" in [t.get_text() for t in ax.texts]


def test_plot_radar_one_outline_per_group_on_a_given_axes():
    card = scorecard(survey(), wave="baseline")
    _, ax = plt.subplots(subplot_kw={"projection": "polar"})
    assert plot_radar(card, ax=ax) is ax
    assert len(ax.lines) == 2
    assert len(ax.get_xticklabels()) == 6
    assert ax.get_title() == "How each group rates the governance system"


def test_plot_radar_needs_polar_axes():
    _, ax = plt.subplots()
    with pytest.raises(ValueError, match="needs a polar Axes"):
        plot_radar(scorecard(survey(), wave="baseline"), ax=ax)


def test_plot_radar_unknown_group_and_too_few_spokes():
    card = scorecard(survey(), wave="baseline")
    with pytest.raises(ValueError, match="group 'traders' is not in the scorecard"):
        plot_radar(card, groups=["traders"])
    with pytest.raises(ValueError, match="at least 3 characteristics"):
        plot_radar(card, characteristics=["representative", "responsive"])


def test_share_by_size_compares_small_and_larger_firms():
    from cdatools.governance import share_by_size

    firms = pd.DataFrame({"employees": [1, 9, 10, 50], "chamber_member": [False, True, True, True]})
    table = share_by_size(firms).set_index("size")
    assert table.loc["under 10", "share"] == 0.5 and table.loc["10 or more", "firms"] == 2
    with pytest.raises(ValueError, match="chamber_member"):
        share_by_size(firms.assign(chamber_member=["yes", "no", "yes", "no"]))
