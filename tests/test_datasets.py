"""Loading the case-study datasets: dtypes, the public API, and realistic magnitudes."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
import pytest

import cdatools
from cdatools import datasets

REPO = Path(__file__).resolve().parents[1]
PACKAGE = json.loads((REPO / "datasets" / "datapackage.json").read_text(encoding="utf-8"))
NAMES = [r["name"] for r in PACKAGE["resources"]]


def schema_fields(name: str) -> list[dict]:
    return next(r for r in PACKAGE["resources"] if r["name"] == name)["schema"]["fields"]


# ------------------------------------------------------------------ API


def test_import_cdatools_does_not_import_pandas():
    code = "import sys, cdatools; assert cdatools.__version__; print('pandas' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_public_names_are_exported_lazily():
    for name in ["list_datasets", "load", "load_csv", "describe", "DatasetError"]:
        assert name in cdatools.__all__
        assert name in dir(cdatools)
        assert getattr(cdatools, name) is getattr(datasets, name)
    with pytest.raises(AttributeError, match="no attribute 'nonexistent'"):
        _ = cdatools.nonexistent


def test_list_datasets_follows_the_package():
    assert cdatools.list_datasets() == NAMES


def test_dataset_error_is_a_value_error():
    assert issubclass(cdatools.DatasetError, ValueError)


def test_unknown_dataset_names_the_known_ones():
    with pytest.raises(cdatools.DatasetError, match=r"no dataset called 'bagru'.*bagru_ties"):
        cdatools.load("bagru")


@pytest.mark.parametrize("name", NAMES)
def test_every_dataset_loads_with_the_schema_dtypes(name):
    frame = cdatools.load(name)
    fields = schema_fields(name)
    assert list(frame.columns) == [f["name"] for f in fields]
    assert len(frame) > 0
    for field in fields:
        column = frame[field["name"]]
        cons = field.get("constraints", {})
        if field["type"] == "string" and "enum" in cons:
            assert isinstance(column.dtype, pd.CategoricalDtype)
            assert list(column.cat.categories) == cons["enum"]
            assert column.cat.ordered == bool(field.get("categoriesOrdered"))
        elif field["type"] == "integer":
            assert str(column.dtype) == ("int64" if cons.get("required") else "Int64")
        elif field["type"] == "number":
            assert column.dtype == np.float64
        elif field["type"] == "boolean":
            assert column.dtype == bool
        elif field["type"] == "date":
            assert pd.api.types.is_datetime64_any_dtype(column)
        else:
            assert pd.api.types.is_string_dtype(column) or column.dtype == object


def test_load_csv_of_a_copy_equals_load(tmp_path):
    target = tmp_path / "my_cluster_deliveries.csv"
    shutil.copy(REPO / "datasets" / "chontales_deliveries.csv", target)
    own = cdatools.load_csv(target, schema="chontales_deliveries")
    pd.testing.assert_frame_equal(own, cdatools.load("chontales_deliveries"))


def test_load_csv_accepts_columns_in_any_order(tmp_path):
    original = cdatools.load("bagru_units")
    shuffled = pd.read_csv(REPO / "datasets" / "bagru_units.csv", dtype=str)
    shuffled[list(reversed(shuffled.columns))].to_csv(tmp_path / "units.csv", index=False)
    pd.testing.assert_frame_equal(
        cdatools.load_csv(tmp_path / "units.csv", "bagru_units"), original
    )


def test_load_csv_checks_foreign_keys_against_given_references(tmp_path):
    path = tmp_path / "ties.csv"
    shutil.copy(REPO / "datasets" / "bagru_ties.csv", path)
    units = cdatools.load("bagru_units")
    assert len(cdatools.load_csv(path, "bagru_ties", references={"bagru_units": units})) > 0
    with pytest.raises(cdatools.DatasetError, match="foreign key"):
        cdatools.load_csv(path, "bagru_ties", references={"bagru_units": units.iloc[:10]})


def test_data_folder_can_be_moved_with_an_environment_variable(tmp_path, monkeypatch):
    shutil.copytree(REPO / "datasets", tmp_path / "data")
    monkeypatch.setenv("CDATOOLS_DATA_DIR", str(tmp_path / "data"))
    assert cdatools.datasets.data_dir() == tmp_path / "data"
    assert len(cdatools.load("stakeholders")) > 0


def test_missing_data_folder_says_where_it_looked(tmp_path, monkeypatch):
    monkeypatch.setenv("CDATOOLS_DATA_DIR", str(tmp_path / "nowhere"))
    with pytest.raises(FileNotFoundError, match=r"nowhere.*datapackage\.json.*CDATOOLS_DATA_DIR"):
        cdatools.list_datasets()


def test_describe_lists_columns_units_and_provenance():
    table = cdatools.describe("chontales_deliveries")
    assert list(table["column"]) == [f["name"] for f in schema_fields("chontales_deliveries")]
    row = table.set_index("column").loc["price_usd_per_kg"]
    assert "US$" in row["unit"] and "2.8" in row["constraints"]
    assert table.attrs["synthetic"] is True
    assert table.attrs["sources"]


# ------------------------------------------------------------------ magnitudes (case-facts.md)


def test_cda_tasks_follow_table_one():
    tasks = cdatools.load("cda_tasks").set_index("task_id")
    assert len(tasks) == 7
    assert (tasks["end_month"] >= tasks["start_month"]).all()
    assert tasks.loc["monitoring", ["start_month", "end_month"]].tolist() == [1, 36]
    assert tasks.loc["transfer", "start_month"] >= 13 and tasks.loc["transfer", "end_month"] <= 24
    assert tasks.loc["network_strengthening", "start_month"] >= 25
    assert tasks["end_month"].max() == 36
    # the CDA grows less hands-on over time
    early, late = tasks.loc["diagnostic", "cda_role"], tasks.loc["withdrawal", "cda_role"]
    assert early < late  # ordered categorical: lead < coordinate < facilitate < support


def test_senegal_review_meetings_every_two_months_with_all_cdas():
    cdas = cdatools.load("senegal_cdas")
    meetings = cdatools.load("senegal_meetings")
    attendance = cdatools.load("senegal_attendance")
    assert len(cdas) == 10 and cdas["commune"].is_unique
    span = meetings["date"].max() - meetings["date"].min()
    assert pd.Timedelta(days=2.5 * 365) < span < pd.Timedelta(days=3.5 * 365)
    reviews = meetings[meetings["kind"] == "review"].sort_values("date")
    assert reviews["date"].diff().dt.days.max() <= 61
    present = attendance.groupby("meeting_id").size()
    assert present.reindex(reviews["meeting_id"]).min() >= 9
    assert present.reindex(reviews["meeting_id"]).median() == 10
    trainings = meetings[meetings["kind"] == "joint_training"]
    assert 5 <= len(trainings) <= 20
    assert (trainings["stakeholder_participants"] > 0).all()


def test_senegal_peer_meetings_are_among_neighbours():
    cdas = cdatools.load("senegal_cdas").set_index("cda_id")
    meetings = cdatools.load("senegal_meetings")
    attendance = cdatools.load("senegal_attendance").merge(meetings, on="meeting_id")
    peer = attendance[attendance["kind"] == "regional_peer"]
    same_zone = peer["cda_id"].map(cdas["zone"]) == peer["host_cda"].map(cdas["zone"])
    assert same_zone.mean() > 0.85
    assert peer.groupby("meeting_id").size().min() >= 2


def test_atuntaqui_firms_are_many_small_and_skewed():
    firms = cdatools.load("atuntaqui_firms")
    assert 450 <= len(firms) <= 550
    assert 8 <= firms["employees"].mean() <= 12
    assert firms["employees"].median() < firms["employees"].mean()
    assert firms["employees"].max() > 5 * firms["employees"].median()
    assert (firms["founded_year"] >= 1982).mean() > 0.8  # the mill closed in 1982


def test_atuntaqui_membership_rises_after_the_chamber_is_founded():
    firms = cdatools.load("atuntaqui_firms")
    joined = firms["chamber_joined_year"].dropna()
    cumulative = joined.value_counts().sort_index().cumsum()
    assert cumulative.is_monotonic_increasing and cumulative.index.min() >= 2000
    assert cumulative.iloc[-1] > 3 * cumulative.iloc[0]
    members = firms[firms["chamber_member"]]
    assert members["employees"].mean() > firms.loc[~firms["chamber_member"], "employees"].mean()


def test_atuntaqui_services_are_used_more_by_members_and_after_opening():
    use = cdatools.load("atuntaqui_service_use").merge(cdatools.load("atuntaqui_firms"))
    by_year = use.groupby("year")["design_centre_hours"].mean()
    assert by_year.iloc[0] == 0 and by_year.iloc[-1] > 0
    late = use[use["year"] >= 2006]
    hours = late.groupby("chamber_member")["design_centre_hours"].mean()
    assert hours[True] > 1.5 * hours[False]
    assert (use["year"] >= use["founded_year"]).all()


def test_chontales_has_about_7000_farmers_on_small_farms():
    coops = cdatools.load("chontales_cooperatives")
    assert 6500 <= coops["farmers"].sum() <= 7500
    assert coops["mean_farm_ha"].between(3.5, 50).all()
    assert coops["municipality"].nunique() >= 5


def test_chontales_deliveries_show_the_agreement_and_the_dry_season():
    deliveries = cdatools.load("chontales_deliveries")
    months = deliveries["month"].drop_duplicates()
    assert len(months) == 48
    assert (deliveries["month"].dt.day == 1).all()
    counts = deliveries.drop_duplicates("month")["period"].value_counts()
    assert counts["before"] == counts["after"] == 24
    dry = deliveries["month"].dt.month.isin([2, 3, 4, 5])
    assert (
        deliveries.loc[dry, "head_delivered"].mean()
        < 0.85 * deliveries.loc[~dry, "head_delivered"].mean()
    )
    period = deliveries.groupby("period", observed=True)
    totals = period[["head_delivered", "head_grade_a"]].sum()
    share_a = totals["head_grade_a"] / totals["head_delivered"]
    assert share_a["after"] > share_a["before"] + 0.1
    payment = period["payment_days"].mean()
    assert payment["after"] < 0.6 * payment["before"]
    variation = deliveries.groupby(["coop_id", "period"], observed=True)["head_delivered"].agg(
        lambda s: s.std() / s.mean()
    )
    cv = variation.groupby(level="period", observed=True).mean()
    assert cv["after"] < cv["before"]
    assert period["head_delivered"].mean()["after"] > period["head_delivered"].mean()["before"]
    assert deliveries["price_usd_per_kg"].dropna().between(2.8, 3.3).all()


def test_bagru_has_a_few_hundred_units_and_about_5000_people():
    units = cdatools.load("bagru_units")
    assert 200 <= len(units) <= 500
    assert 3500 <= units["workers"].sum() <= 6000
    assert units["water_litres_per_day"].max() <= 1000
    printers = units[units["kind"] == "printer"]
    assert (printers["style"] != "none").all()
    assert (units.loc[units["kind"] == "trader", "style"] == "none").all()


def _graph(ties: pd.DataFrame, units: pd.DataFrame, wave: str, kinds: list[str]) -> nx.Graph:
    graph = nx.Graph()
    graph.add_nodes_from(units["unit_id"])
    chosen = ties[(ties["wave"] == wave) & ties["tie"].isin(kinds)]
    graph.add_edges_from(zip(chosen["source"], chosen["target"], strict=True))
    return graph


def test_bagru_ties_grow_denser_and_more_multilateral_after_trust_building():
    units, ties = cdatools.load("bagru_units"), cdatools.load("bagru_ties")
    counts = ties.groupby(["wave", "tie"], observed=True).size()
    for tie in ["trust", "joint_order"]:
        assert counts["after", tie] > 1.5 * counts["before", tie]
    before = _graph(ties, units, "before", ["trust"])
    after = _graph(ties, units, "after", ["trust"])
    assert nx.transitivity(after) > nx.transitivity(before)
    assert sum(nx.triangles(after).values()) > 3 * sum(nx.triangles(before).values())


def test_bagru_has_a_couple_of_brokers_after_trust_building():
    units, ties = cdatools.load("bagru_units"), cdatools.load("bagru_ties")
    after = _graph(ties, units, "after", ["advice", "trust", "joint_order"])
    betweenness = pd.Series(nx.betweenness_centrality(after)).sort_values(ascending=False)
    top, rest = betweenness.iloc[:2], betweenness.iloc[2:]
    assert top.min() > 2 * rest.max()
    family = units.set_index("unit_id")["family_group"]
    for broker in top.index:
        assert family[list(after.neighbors(broker))].nunique() >= 8


def test_governance_improves_from_baseline_to_follow_up():
    survey = cdatools.load("governance_survey")
    scores = survey.columns[4:]
    means = survey.groupby("wave", observed=True)[list(scores)].mean()
    assert (means.loc["follow_up"] > means.loc["baseline"]).all()
    assert survey.groupby(["cluster", "wave"], observed=True).size().min() >= 50
    baseline = survey[survey["wave"] == "baseline"]
    rep = baseline.groupby("category", observed=True)["representative"].mean()
    assert rep["small_firms"] < rep["large_firms"]
    panel = survey.groupby("respondent_id")["wave"].nunique()
    assert 0.6 < (panel == 2).mean() < 1


def test_voice_moves_towards_weight():
    voice = cdatools.load("governance_voice")
    sums = voice.groupby(["wave", "cluster"], observed=True)[["weight_share", "voice_share"]].sum()
    assert np.allclose(sums, 1, atol=0.005)
    gap = (voice["voice_share"] - voice["weight_share"]).abs().groupby(voice["wave"]).sum()
    assert gap["follow_up"] < gap["baseline"]


def test_joint_actions_match_the_module_on_risk_and_time_limits():
    actions = cdatools.load("joint_actions")
    assert actions["cluster"].nunique() == 4
    low_risk = actions[actions["area"].isin(["joint_training", "joint_advertising"])]
    assert (low_risk["predatory_risk"] == "low").all()
    gi = actions[actions["area"] == "geographical_indication"]
    assert "Bagru" in set(gi["cluster"])
    assert actions["time_limited"].mean() > 0.5
    facility = actions.loc[actions["area"] == "common_facility", "cost_usd"].median()
    training = actions.loc[actions["area"] == "joint_training", "cost_usd"].median()
    assert facility > 10 * training


def test_stakeholders_cover_every_commission_category_per_cluster():
    people = cdatools.load("stakeholders")
    per_cluster = people.groupby("cluster")["commission_category"].nunique()
    assert (per_cluster >= 4).all()
    assert people["power"].nunique() >= 4 and people["interest"].nunique() >= 4
