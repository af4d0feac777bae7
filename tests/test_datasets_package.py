"""The data package: contract with the analysis code, metadata, Frictionless, reproducibility."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
DATASETS = REPO / "datasets"
PACKAGE = json.loads((DATASETS / "datapackage.json").read_text(encoding="utf-8"))
RESOURCES = {r["name"]: r for r in PACKAGE["resources"]}

# The data contract agreed with the analysis modules (tools/data-contract.md): column ->
# type, primary key, and the allowed values of the contracted enums. Columns may be
# added to a dataset; none of these may be renamed, dropped or retyped.
CATEGORIES = [
    "small_firms",
    "large_firms",
    "business_associations",
    "service_providers",
    "knowledge_institutions",
    "local_government",
    "civil_society",
]
LIKERT = dict.fromkeys(
    [
        "representative",
        "responsive",
        "strategic",
        "legitimate",
        "leading_joint_action",
        "self_sustaining",
    ],
    "integer",
)
CONTRACT = {
    "cda_tasks": (
        {
            "task_id": "string",
            "activity": "string",
            "timeframe": "string",
            "start_month": "integer",
            "end_month": "integer",
            "cda_role": "string",
            "description": "string",
        },
        ["task_id"],
    ),
    "senegal_cdas": (
        {
            "cda_id": "string",
            "commune": "string",
            "region": "string",
            "junior_consultant": "string",
        },
        ["cda_id"],
    ),
    "senegal_meetings": (
        {
            "meeting_id": "string",
            "date": "date",
            "kind": "string",
            "host_cda": "string",
            "topic": "string",
        },
        ["meeting_id"],
    ),
    "senegal_attendance": ({"meeting_id": "string", "cda_id": "string"}, ["meeting_id", "cda_id"]),
    "atuntaqui_firms": (
        {
            "firm_id": "string",
            "founded_year": "integer",
            "employees": "integer",
            "main_product": "string",
            "chamber_member": "boolean",
            "chamber_joined_year": "integer",
        },
        ["firm_id"],
    ),
    "atuntaqui_service_use": (
        {
            "firm_id": "string",
            "year": "integer",
            "design_centre_hours": "number",
            "accessory_loans": "integer",
        },
        ["firm_id", "year"],
    ),
    "chontales_cooperatives": (
        {
            "coop_id": "string",
            "name": "string",
            "municipality": "string",
            "farmers": "integer",
            "mean_farm_ha": "number",
        },
        ["coop_id"],
    ),
    "chontales_deliveries": (
        {
            "coop_id": "string",
            "month": "date",
            "period": "string",
            "head_delivered": "integer",
            "head_grade_a": "integer",
            "payment_days": "number",
            "price_usd_per_kg": "number",
        },
        ["coop_id", "month"],
    ),
    "bagru_units": (
        {
            "unit_id": "string",
            "kind": "string",
            "workers": "integer",
            "style": "string",
            "water_litres_per_day": "integer",
        },
        ["unit_id"],
    ),
    "bagru_ties": (
        {"wave": "string", "source": "string", "target": "string", "tie": "string"},
        ["wave", "source", "target", "tie"],
    ),
    "governance_survey": (
        {
            "respondent_id": "string",
            "wave": "string",
            "cluster": "string",
            "category": "string",
            **LIKERT,
        },
        ["respondent_id", "wave"],
    ),
    "governance_voice": (
        {
            "wave": "string",
            "cluster": "string",
            "category": "string",
            "weight_share": "number",
            "voice_share": "number",
        },
        ["wave", "cluster", "category"],
    ),
    "joint_actions": (
        {
            "action_id": "string",
            "cluster": "string",
            "title": "string",
            "area": "string",
            "expected_benefit": "integer",
            "cost_usd": "integer",
            "duration_months": "integer",
            "time_limited": "boolean",
            "predatory_risk": "string",
        },
        ["action_id"],
    ),
    "stakeholders": (
        {
            "stakeholder_id": "string",
            "cluster": "string",
            "name": "string",
            "commission_category": "string",
            "power": "integer",
            "interest": "integer",
        },
        ["stakeholder_id"],
    ),
    "bagru_institution_trust": (
        {
            "wave": "string",
            "unit_id": "string",
            "institution_id": "string",
            "trust": "integer",
            "contact": "boolean",
        },
        ["wave", "unit_id", "institution_id"],
    ),
    # Generic field tables for a CDA's own cluster (course/field-kit/, course/my-cluster.ipynb).
    "cluster_actors": (
        {"actor_id": "string", "kind": "string", "group": "string", "workers": "integer"},
        ["actor_id"],
    ),
    "cluster_ties": (
        {"wave": "string", "source": "string", "target": "string", "tie": "string"},
        ["wave", "source", "target", "tie"],
    ),
    "cluster_institutions": (
        {"institution_id": "string", "name": "string", "commission_category": "string"},
        ["institution_id"],
    ),
    "cluster_institution_trust": (
        {
            "wave": "string",
            "actor_id": "string",
            "institution_id": "string",
            "trust": "integer",
            "contact": "boolean",
        },
        ["wave", "actor_id", "institution_id"],
    ),
    # Lomari, the course's invented practice cluster (cdatools.scenario, the lessons' activities).
    "scenario_stakeholders": (
        {
            "stakeholder_id": "string",
            "cluster": "string",
            "name": "string",
            "short_name": "string",
            "commission_category": "string",
            "power": "integer",
            "interest": "integer",
            "stance": "string",
            "wants": "string",
            "fears": "string",
        },
        ["stakeholder_id"],
    ),
    "scenario_conflicts": (
        {
            "conflict_id": "string",
            "party_a": "string",
            "party_b": "string",
            "issue": "string",
            "position_a": "string",
            "interest_a": "string",
            "position_b": "string",
            "interest_b": "string",
            "lesson": "integer",
        },
        ["conflict_id"],
    ),
    "scenario_story": (
        {"lesson": "integer", "month_from": "integer", "month_to": "integer", "event": "string"},
        ["event_id"],
    ),
    "scenario_joint_actions": (
        {
            "action_id": "string",
            "cluster": "string",
            "title": "string",
            "area": "string",
            "expected_benefit": "integer",
            "cost_usd": "integer",
            "duration_months": "integer",
            "time_limited": "boolean",
            "predatory_risk": "string",
        },
        ["action_id"],
    ),
    "scenario_trust_ties": (
        {"month": "integer", "first": "string", "second": "string"},
        ["month", "first", "second"],
    ),
}
CONTRACT_ENUMS = {
    ("cda_tasks", "cda_role"): ["lead", "coordinate", "facilitate", "support"],
    ("senegal_meetings", "kind"): ["review", "regional_peer", "joint_training"],
    ("chontales_deliveries", "period"): ["before", "after"],
    ("bagru_units", "kind"): ["printer", "dyer", "block_maker", "trader", "washer"],
    ("bagru_units", "style"): ["bagru", "dabu", "both", "none"],
    ("bagru_ties", "wave"): ["before", "after"],
    ("bagru_ties", "tie"): ["advice", "trust", "joint_order"],
    ("governance_survey", "wave"): ["baseline", "follow_up"],
    ("governance_survey", "category"): CATEGORIES,
    ("governance_voice", "category"): CATEGORIES,
    ("joint_actions", "area"): [
        "joint_training",
        "joint_advertising",
        "shared_rnd",
        "common_purchasing",
        "trade_fair",
        "quality_standard",
        "common_facility",
        "joint_export_marketing",
        "credit_guarantee",
        "geographical_indication",
    ],
    ("joint_actions", "predatory_risk"): ["low", "medium", "high"],
    ("cluster_ties", "wave"): ["baseline", "follow_up"],
    ("cluster_ties", "tie"): ["advice", "trust", "joint_order"],
    ("cluster_institution_trust", "wave"): ["baseline", "follow_up"],
    ("stakeholders", "commission_category"): [
        "entrepreneurs",
        "service_institutions",
        "knowledge_gatekeepers",
        "local_government",
        "issue_specific",
    ],
    ("scenario_stakeholders", "commission_category"): [
        "entrepreneurs",
        "service_institutions",
        "knowledge_gatekeepers",
        "local_government",
        "issue_specific",
    ],
    ("scenario_stakeholders", "stance"): ["supportive", "wary", "opposed"],
    ("scenario_joint_actions", "area"): [
        "joint_training",
        "joint_advertising",
        "shared_rnd",
        "common_purchasing",
        "trade_fair",
        "quality_standard",
        "common_facility",
        "joint_export_marketing",
        "credit_guarantee",
        "geographical_indication",
    ],
    ("scenario_joint_actions", "predatory_risk"): ["low", "medium", "high"],
}
CONTRACT_FOREIGN_KEYS = {
    ("senegal_meetings", "host_cda"): "senegal_cdas",
    ("senegal_attendance", "meeting_id"): "senegal_meetings",
    ("senegal_attendance", "cda_id"): "senegal_cdas",
    ("atuntaqui_service_use", "firm_id"): "atuntaqui_firms",
    ("chontales_deliveries", "coop_id"): "chontales_cooperatives",
    ("bagru_ties", "source"): "bagru_units",
    ("bagru_ties", "target"): "bagru_units",
    ("bagru_institution_trust", "unit_id"): "bagru_units",
    ("bagru_institution_trust", "institution_id"): "stakeholders",
    ("cluster_ties", "source"): "cluster_actors",
    ("cluster_ties", "target"): "cluster_actors",
    ("cluster_institution_trust", "actor_id"): "cluster_actors",
    ("cluster_institution_trust", "institution_id"): "cluster_institutions",
    ("scenario_conflicts", "party_a"): "scenario_stakeholders",
    ("scenario_conflicts", "party_b"): "scenario_stakeholders",
    ("scenario_conflicts", "also_involved"): "scenario_stakeholders",
    ("scenario_trust_ties", "first"): "scenario_stakeholders",
    ("scenario_trust_ties", "second"): "scenario_stakeholders",
}


def fields_of(name: str) -> dict[str, dict]:
    return {f["name"]: f for f in RESOURCES[name]["schema"]["fields"]}


def test_every_contracted_dataset_is_in_the_package_and_nothing_else():
    assert list(RESOURCES) == list(CONTRACT)


@pytest.mark.parametrize("name", list(CONTRACT))
def test_contracted_columns_keep_their_names_types_and_keys(name):
    columns, key = CONTRACT[name]
    fields = fields_of(name)
    for column, kind in columns.items():
        assert column in fields, f"{name}: contracted column {column!r} is missing"
        assert fields[column]["type"] == kind, f"{name}.{column} should be {kind}"
    assert RESOURCES[name]["schema"]["primaryKey"] == key


@pytest.mark.parametrize(("name", "column"), list(CONTRACT_ENUMS))
def test_contracted_allowed_values(name, column):
    assert fields_of(name)[column]["constraints"]["enum"] == CONTRACT_ENUMS[name, column]


@pytest.mark.parametrize(("name", "column"), list(CONTRACT_FOREIGN_KEYS))
def test_contracted_foreign_keys(name, column):
    keys = RESOURCES[name]["schema"].get("foreignKeys", [])
    targets = [k["reference"]["resource"] for k in keys if k["fields"] == [column]]
    assert targets == [CONTRACT_FOREIGN_KEYS[name, column]]


def test_only_the_module_table_is_not_synthetic():
    flags = {name: resource.get("synthetic") for name, resource in RESOURCES.items()}
    assert flags.pop("cda_tasks") is False
    assert set(flags.values()) == {True}


@pytest.mark.parametrize("name", list(CONTRACT))
def test_every_resource_documents_itself(name):
    resource = RESOURCES[name]
    assert resource["path"] == f"{name}.csv"
    assert resource["sources"], f"{name} names no source for its magnitudes"
    assert all(source["title"].strip() for source in resource["sources"])
    if resource["synthetic"]:
        assert "synthetic" in resource["description"].lower()
    for field in resource["schema"]["fields"]:
        assert field.get("description"), f"{name}.{field['name']} has no description"
        if field["type"] in {"integer", "number"}:
            assert field.get("unit"), f"{name}.{field['name']} has no unit"


def test_package_has_a_licence_and_sources():
    licence = PACKAGE["licenses"][0]
    assert licence["name"] == "CC-BY-4.0" and licence["path"].startswith("https://")
    assert len(PACKAGE["sources"]) >= 5


def test_csv_files_and_resources_match():
    on_disk = {p.name for p in DATASETS.glob("*.csv")}
    assert on_disk == {r["path"] for r in PACKAGE["resources"]}


def test_frictionless_validates_the_package():
    frictionless = pytest.importorskip("frictionless")
    report = frictionless.validate(str(DATASETS / "datapackage.json"))
    errors = [e.message for task in report.tasks for e in task.errors][:10]
    assert report.valid, "\n".join(errors)


def test_frictionless_catches_a_broken_copy(tmp_path):
    """The validation above can fail: a value outside an enum makes the package invalid."""
    frictionless = pytest.importorskip("frictionless")
    for path in DATASETS.iterdir():
        if path.is_file():  # sources/ holds the generator's inputs, not the package
            (tmp_path / path.name).write_bytes(path.read_bytes())
    units = tmp_path / "bagru_units.csv"
    units.write_text(units.read_text(encoding="utf-8").replace(",printer,", ",weaver,", 1))
    report = frictionless.validate(str(tmp_path / "datapackage.json"))
    assert not report.valid


def test_the_generator_reproduces_the_committed_files_byte_for_byte(tmp_path):
    from cdatools import datagen

    written = datagen.generate(tmp_path)
    assert [p.name for p in written] == [r["path"] for r in PACKAGE["resources"]]
    for path in written:
        committed = (DATASETS / path.name).read_bytes()
        assert path.read_bytes() == committed, f"{path.name} differs from the committed file"
        assert b"\r" not in committed


def test_the_generator_runs_from_the_command_line(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "cdatools.datagen", "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "bagru_ties.csv").is_file()


def test_csv_files_stay_small():
    total = sum(p.stat().st_size for p in DATASETS.glob("*.csv"))
    assert total < 3_000_000


def test_readme_documents_every_dataset_and_the_licence():
    readme = (DATASETS / "README.md").read_text(encoding="utf-8")
    for name, resource in RESOURCES.items():
        assert f"`{name}`" in readme, f"datasets/README.md does not describe {name}"
        for field in resource["schema"]["fields"]:
            assert f"`{field['name']}`" in readme, f"README misses {name}.{field['name']}"
    assert "CC-BY-4.0" in readme or "CC BY 4.0" in readme
    assert "synthetic" in readme.lower()


def test_readme_row_counts_match_the_files():
    readme = (DATASETS / "README.md").read_text(encoding="utf-8")
    for name, resource in RESOURCES.items():
        lines = (DATASETS / resource["path"]).read_bytes().count(b"\n") - 1
        assert f"| `{name}` | {lines:,} |" in readme, f"README row count for {name} is stale"


SOURCE_TABLES = sorted(p.stem for p in (DATASETS / "sources").glob("*.csv"))


def test_the_cases_hand_written_tables_are_source_files_not_python_literals():
    from cdatools import datagen

    assert len(SOURCE_TABLES) == 14  # the four cases' 9 tables and Lomari's 5
    readme = (DATASETS / "sources" / "README.md").read_text(encoding="utf-8")
    for name in SOURCE_TABLES:
        assert f"`{name}.csv`" in readme, f"datasets/sources/README.md does not describe {name}"
    text = Path(datagen.__file__).read_text(encoding="utf-8")
    for literal in ('"Rufisque"', '"knitwear"', '"San José"', "Yearly Expoferia", "Mendelow"):
        assert literal not in text, f"{literal} is still written in cdatools/datagen.py"


def test_the_generator_reads_the_source_files(tmp_path, monkeypatch):
    """Editing a source table changes the generated dataset: the files are really read."""
    from cdatools import datagen

    sources = tmp_path / "sources"
    sources.mkdir()
    for path in (DATASETS / "sources").glob("*.csv"):
        (sources / path.name).write_bytes(path.read_bytes())
    stakeholders = sources / "stakeholders.csv"
    stakeholders.write_text(
        stakeholders.read_text(encoding="utf-8").replace(
            "Chamber of Commerce of Antonio Ante", "Cámara de Comercio de Antonio Ante"
        ),
        encoding="utf-8",
    )
    monkeypatch.setattr(datagen, "SOURCES", sources)
    monkeypatch.setattr(datagen, "STAKEHOLDERS", datagen._stakeholders_by_cluster())
    table = datagen.stakeholders(datagen._rng("stakeholders"))["stakeholders"]
    assert table.loc[0, "name"] == "Cámara de Comercio de Antonio Ante"
    assert len(table) == len(datagen.stakeholders(None)["stakeholders"])


def test_a_bad_flag_in_a_source_table_is_named():
    from cdatools import datagen

    with pytest.raises(ValueError, match="'time_limited' must be true or false; found 'yes'"):
        datagen._flag({"title": "Fair", "time_limited": "yes"}, "time_limited")
