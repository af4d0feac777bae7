"""Lomari, the course's invented practice cluster: its data, cdatools.scenario and its widgets.

The data are checked through the data package (every load validates against the schema),
then against what the shared plan (issue 12) fixes: the stakeholders' ids, names and
categories, the conflicts' parties and lessons, an invented story, enough joint actions
with more than one quick win, and a trust map with groups cut off. The plan file is used
as trainees use it: accents, ``$``, long text, empty answers, re-running a lesson, a
hand-edited file and a corrupt one.
"""

from __future__ import annotations

import doctest
import json
import shutil
from pathlib import Path

import pytest

from cdatools import datasets, scenario
from cdatools.scenario import LomariPlan, PlanError

REPO = Path(__file__).resolve().parents[1]
DATASETS = REPO / "datasets"
SCENARIO_DATASETS = [
    "scenario_stakeholders",
    "scenario_conflicts",
    "scenario_story",
    "scenario_joint_actions",
    "scenario_trust_ties",
]
# The shared plan's table (team spec for issue 12): id, name, Commission category, type.
SPEC_STAKEHOLDERS = [
    (
        "LOM-S01",
        "Leather Artisans' Association (president: a tannery owner for 20 years)",
        "entrepreneurs",
        "business association",
    ),
    ("LOM-S02", "Tannery owners along the river", "entrepreneurs", "firms"),
    ("LOM-S03", "Young shoe-workshop owners", "entrepreneurs", "firms"),
    ("LOM-S04", "Shoe factory (about 150 workers)", "entrepreneurs", "firm"),
    (
        "LOM-S05",
        "Bag makers' savings group (women working from home)",
        "entrepreneurs",
        "savings group",
    ),
    ("LOM-S06", "Leather traders", "entrepreneurs", "traders"),
    ("LOM-S07", "Lomari municipality (environment office)", "local_government", "municipality"),
    (
        "LOM-S08",
        "Regional government trade department",
        "local_government",
        "regional government",
    ),
    ("LOM-S09", "Technical training centre", "knowledge_gatekeepers", "training institute"),
    ("LOM-S10", "Microfinance bank branch", "service_institutions", "financial institution"),
    ("LOM-S11", "Regional chamber of commerce", "service_institutions", "business association"),
    ("LOM-S12", "National SME agency (funds the CDA)", "service_institutions", "public agency"),
    ("LOM-S13", "Riverside residents' committee", "issue_specific", "NGO"),
]
# conflict -> (party_a, party_b, third party or None, lesson where it surfaces)
SPEC_CONFLICTS = {
    "C1": ("LOM-S02", "LOM-S03", None, 3),
    "C2": ("LOM-S07", "LOM-S02", "LOM-S13", 3),
    "C3": ("LOM-S04", "LOM-S03", None, 4),
    "C4": ("LOM-S01", "LOM-S03", "LOM-S05", 2),
    "C5": ("LOM-S06", "LOM-S05", None, 2),
}
# Decisions each lesson saves (the shared plan's chain table).
CHAIN = {
    1: {"workplan", "counterpart", "handover"},
    2: {"governance", "norms", "values_step"},
    3: {"trust_map", "agenda", "mediation_outcome"},
    4: {"joint_actions", "commission", "business_case", "terms_of_reference", "exit_step"},
}


@pytest.fixture
def plan(tmp_path) -> LomariPlan:
    return LomariPlan(tmp_path / "my-work" / "lomari-plan.json")


def saved(plan: LomariPlan) -> dict:
    return json.loads(plan.path.read_text(encoding="utf-8"))


# ------------------------------------------------------------------ the data


@pytest.mark.parametrize("name", SCENARIO_DATASETS)
def test_each_scenario_dataset_loads_through_its_schema_and_says_invented(name):
    table = datasets.load(name)  # raises DatasetError when a row breaks the schema
    assert len(table) > 0
    resource = datasets._resource(name)
    assert resource["synthetic"] is True
    assert "invented" in resource["description"].lower()
    assert "invented" in resource["title"].lower()
    assert any("invented" in s["title"].lower() for s in resource["sources"])


def test_the_readmes_say_lomari_is_invented():
    readme = (DATASETS / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Lomari") :]
    assert "**Lomari is invented.**" in section
    assert "not a real place" in section
    sources = (DATASETS / "sources" / "README.md").read_text(encoding="utf-8")
    assert "**invented**" in sources and "`scenario_example_plan.json`" in sources


def test_stakeholders_are_the_ones_the_shared_plan_fixes():
    people = scenario.stakeholders()
    got = list(
        people[["stakeholder_id", "name", "commission_category", "org_type"]]
        .astype(str)
        .itertuples(index=False, name=None)
    )
    assert got == SPEC_STAKEHOLDERS
    assert set(people["cluster"].astype(str)) == {"Lomari"}
    assert people["short_name"].is_unique and people["short_name"].str.len().max() <= 30
    by_id = people.set_index("stakeholder_id")
    factory, bag_makers = by_id.loc["LOM-S04"], by_id.loc["LOM-S05"]
    assert factory["power"] >= 4 and factory["interest"] <= 2  # high power, low interest
    assert bag_makers["power"] <= 2 and bag_makers["interest"] >= 4  # the reverse
    assert set(people["stance"].astype(str)) == {"supportive", "wary", "opposed"}
    for column in ("wants", "fears"):
        assert people[column].str.len().min() > 30, f"every {column} is a real sentence"


def test_conflicts_name_the_parties_and_lessons_of_the_shared_plan():
    table = scenario.conflicts()
    assert list(table["conflict_id"]) == list(SPEC_CONFLICTS)
    for row in table.itertuples(index=False):
        party_a, party_b, third, lesson = SPEC_CONFLICTS[row.conflict_id]
        assert (row.party_a, row.party_b, row.lesson) == (party_a, party_b, lesson)
        assert (row.also_involved or None) == third
        for text in (row.issue, row.position_a, row.interest_a, row.position_b, row.interest_b):
            assert len(text) > 15
        assert row.position_a != row.interest_a and row.position_b != row.interest_b
    c1 = scenario.conflict("C1")
    assert c1["party_a_name"] == "Tannery owners along the river"
    assert c1["also_involved"] is None and c1["also_involved_name"] is None
    assert scenario.conflict("c4")["also_involved_name"].startswith("Bag makers")
    assert isinstance(c1["lesson"], int)  # plain Python values, ready for an f-string


def test_story_runs_from_the_start_page_to_lesson_4_and_every_event_is_invented():
    for lesson in scenario.STORY_LESSONS:
        events = scenario.story(lesson)
        assert len(events) >= 1, f"lesson {lesson} tells no part of the story"
        assert events["event"].str.endswith("(invented)").all()
        assert events["months"].str.match(r"months? \d+(-\d+)?$").all()
    assert scenario.story(0)["months"].tolist() == ["month 1"]
    raw = datasets.load("scenario_story")
    assert raw["month_to"].max() == 36 and (raw["month_from"] <= raw["month_to"]).all()
    assert not raw["event"].str.contains(r"\b(?:19|20)\d\d\b").any(), "no calendar years"


def test_joint_actions_work_like_the_cases_and_have_several_quick_wins():
    from cdatools.joint_actions import classify_actions

    actions = scenario.joint_actions()
    cases = datasets.load("joint_actions")
    assert list(actions.columns) == list(cases.columns)
    assert len(actions) >= 8
    assert list(actions["action_id"]) == [f"LJA{i:02d}" for i in range(1, len(actions) + 1)]
    assert set(actions["cluster"].astype(str)) == {"Lomari"}
    assert set(actions["area"].astype(str)) <= set(cases["area"].cat.categories)
    quadrants = classify_actions(actions)["quadrant"]
    assert (quadrants == "quick_win").sum() > 1
    assert actions["time_limited"].any() and not actions["time_limited"].all()


def test_trust_ties_at_month_6_leave_groups_cut_off():
    import networkx as nx

    ties = scenario.trust_ties(6)
    people = scenario.stakeholders()
    graph = nx.Graph()
    graph.add_nodes_from(people["short_name"])
    graph.add_edges_from(zip(ties["first_name"], ties["second_name"], strict=True))
    assert list(graph.neighbors("Bag makers")) == ["Traders"]
    assert list(graph.neighbors("Tanneries")) == ["Artisans' Association"]
    assert not graph.has_edge("Tanneries", "Shoe workshops")  # conflict C1
    assert not graph.has_edge("Town hall", "Tanneries")  # conflict C2
    assert nx.number_connected_components(graph) > 1
    with pytest.raises(PlanError, match="recorded for month 6, not 12"):
        scenario.trust_ties(12)


def _copy_datasets(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    shutil.copytree(DATASETS, folder)
    return folder


def test_a_broken_copy_of_the_scenario_data_is_refused_naming_row_and_column(tmp_path, monkeypatch):
    folder = _copy_datasets(tmp_path)
    people = folder / "scenario_stakeholders.csv"
    good = people.read_text(encoding="utf-8")
    people.write_text(good.replace(",opposed,", ",hostile,", 1), encoding="utf-8")
    conflicts = folder / "scenario_conflicts.csv"
    conflicts.write_text(
        conflicts.read_text(encoding="utf-8").replace("C3,LOM-S04", "C3,LOM-S44", 1),
        encoding="utf-8",
    )
    monkeypatch.setenv("CDATOOLS_DATA_DIR", str(folder))
    with pytest.raises(datasets.DatasetError) as broken:
        scenario.stakeholders()
    text = str(broken.value)
    assert "scenario_stakeholders.csv" in text and "row 7" in text and "'stance'" in text
    assert "'hostile'" in text
    people.write_text(good, encoding="utf-8")  # only the conflict is broken now
    with pytest.raises(datasets.DatasetError, match=r"row 4.*'party_a'.*LOM-S44"):
        datasets.load("scenario_conflicts")


def test_the_generator_reads_the_scenario_source_files(tmp_path, monkeypatch):
    """Editing a hand-written table changes the dataset: the sources are really read."""
    from cdatools import datagen

    sources = tmp_path / "sources"
    shutil.copytree(DATASETS / "sources", sources)
    story = sources / "scenario_story.csv"
    story.write_text(
        story.read_text(encoding="utf-8").replace("You arrive in Lomari", "Llegas a Lomari"),
        encoding="utf-8",
    )
    monkeypatch.setattr(datagen, "SOURCES", sources)
    tables = datagen.scenario(datagen._rng("scenario"))
    assert tables["scenario_story"].loc[0, "event"].startswith("Llegas a Lomari")
    assert sorted(tables) == sorted(SCENARIO_DATASETS)


# ------------------------------------------------------------------ look-ups


def test_find_stakeholder_by_id_name_or_short_name():
    assert scenario.find_stakeholder("lom-s09")["short_name"] == "Training centre"
    assert scenario.find_stakeholder("  Leather   traders ")["stakeholder_id"] == "LOM-S06"
    assert scenario.find_stakeholder("BAG MAKERS")["stakeholder_id"] == "LOM-S05"
    with pytest.raises(PlanError, match=r"no Lomari stakeholder is called 'Tanneurs'.*LOM-S02"):
        scenario.find_stakeholder("Tanneurs")


def test_bad_lessons_and_conflicts_are_named():
    with pytest.raises(PlanError, match=r"must be 0, 1, 2, 3 or 4, not 5"):
        scenario.story(5)
    with pytest.raises(PlanError, match=r"not True"):
        scenario.story(True)
    with pytest.raises(PlanError, match=r"not '1'"):
        scenario.story("1")
    with pytest.raises(PlanError, match=r"no conflict 'C6'; expected one of C1, C2"):
        scenario.conflict("C6")


def test_save_path_keeps_lomari_apart_under_the_work_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("CDATOOLS_WORK_DIR", str(tmp_path / "scratch"))
    assert scenario.save_path("trust_map") == tmp_path / "scratch" / "lomari" / "trust_map.json"
    monkeypatch.delenv("CDATOOLS_WORK_DIR")
    assert scenario.save_path("workplan") == Path("my-work") / "lomari" / "workplan.json"
    for bad in ("../workplan", "", "trust map", "a/b", 3):
        with pytest.raises(PlanError, match="plain name"):
            scenario.save_path(bad)


def test_the_default_plan_file_is_in_the_work_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("CDATOOLS_WORK_DIR", str(tmp_path))
    assert LomariPlan().path == tmp_path / "lomari-plan.json"


# ------------------------------------------------------------------ recording decisions


def test_record_and_get_keep_text_exactly_as_typed(plan, capsys):
    typed = 'Técnico Ñandú: $5,000 for the stand; 50% each — "fair" {shares}\nline two'
    plan.record(1, counterpart="  Training centre ", handover=["Chair meetings", typed], months=18)
    assert "Saved lesson 1 of your Lomari plan (counterpart, handover, months)" in (
        capsys.readouterr().out
    )
    assert plan.get(1, "counterpart") == "Training centre"  # spaces at the ends dropped
    assert plan.get(1, "handover") == ["Chair meetings", typed]
    assert plan.get(1, "months") == 18
    again = LomariPlan(plan.path)  # a new notebook reads the same file
    assert again.get(1, "handover")[1] == typed
    assert saved(plan)["lessons"]["1"]["handover"][1] == typed
    assert saved(plan)["kind"] == "lomari_plan"


def test_long_text_is_kept_and_too_long_text_is_refused(plan):
    long_text = "Agreed norms for the stand. " * 300  # about 8,400 characters
    plan.record(2, norms=long_text)
    assert plan.get(2, "norms") == long_text.strip()
    before = plan.path.read_bytes()
    with pytest.raises(PlanError, match=r"'norms' is 20,001 characters long; keep it under"):
        plan.record(2, norms="x" * 20_001)
    assert plan.path.read_bytes() == before


def test_rerunning_a_lesson_replaces_only_its_own_decisions(plan):
    plan.record(1, counterpart="Training centre", handover=["A"])
    plan.record(2, norms=["Pay before the fair"])
    plan.record(1, counterpart="Shoe workshops")  # the trainee changes their mind
    parts = plan.parts()
    assert parts[1] == {"counterpart": "Shoe workshops", "handover": ["A"]}
    assert parts[2] == {"norms": ["Pay before the fair"]}
    plan.forget(1)
    assert 1 not in plan.parts() and plan.parts()[2] == {"norms": ["Pay before the fair"]}


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", r"'counterpart' is empty"),
        ("   \n ", r"'counterpart' is empty"),
        ([], r"'counterpart' is an empty list"),
        (["Chair meetings", " "], r"'counterpart' \(item 2\) is empty"),
        (["Chair meetings", 3], r"item 2 must be text, not 3"),
        (None, r"must be text, a list of text, or a number, not None"),
        (True, r"must be text, a list of text, or a number, not True"),
        ({"a": 1}, r"not a dict"),
        (float("nan"), r"must be a number, not nan"),
    ],
)
def test_empty_or_non_text_decisions_are_refused_and_nothing_is_saved(plan, value, message):
    plan.record(1, handover=["Keep this"])
    before = plan.path.read_bytes()
    with pytest.raises(PlanError, match=message):
        plan.record(1, handover=["Changed"], counterpart=value)
    assert plan.path.read_bytes() == before  # the valid decision was not saved either


@pytest.mark.parametrize("lesson", [0, 5, -1, "1", 1.0, True, None])
def test_unknown_lessons_are_refused(plan, lesson):
    with pytest.raises(PlanError, match=r"must be 1, 2, 3 or 4, not"):
        plan.record(lesson, counterpart="Training centre")
    assert not plan.path.exists()


def test_record_needs_a_decision(plan):
    with pytest.raises(PlanError, match=r"plan.record\(3\) needs at least one decision"):
        plan.record(3)


def test_no_temporary_files_are_left_beside_the_plan(plan):
    for lesson in scenario.LESSONS:
        plan.record(lesson, note=f"lesson {lesson}")
    assert [p.name for p in plan.path.parent.iterdir()] == ["lomari-plan.json"]


# ------------------------------------------------------------------ the file by hand


def test_a_value_edited_by_hand_is_what_the_next_lesson_gets(plan):
    plan.record(3, mediation_outcome="Pay within 30 days")
    state = saved(plan)
    state["lessons"]["3"]["mediation_outcome"] = "Pay within 21 days, grade every batch"
    plan.path.write_text(json.dumps(state, ensure_ascii=False), encoding="utf-8-sig")  # BOM
    assert LomariPlan(plan.path).get(3, "mediation_outcome") == (
        "Pay within 21 days, grade every batch"
    )
    assert "Pay within 21 days" in str(plan.show(upto=3))


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b'{"kind": "lomari_plan", "lessons": {"1": {"counterpart": "x"}', "not valid JSON"),
        (b"\xff\xfe not text", "not UTF-8"),
        (b'["lomari_plan"]', "a JSON list, not an object"),
        (b'{"kind": "trust_map", "lessons": {}}', "'kind' is 'trust_map'"),
        (b'{"kind": "lomari_plan", "lessons": {"7": {}}}', "a part for lesson '7'"),
        (b'{"kind": "lomari_plan", "lessons": {"1": "x"}}', "lesson 1's part is a str"),
    ],
)
def test_an_unreadable_plan_is_set_aside_never_overwritten(tmp_path, content, reason):
    path = tmp_path / "lomari-plan.json"
    path.write_bytes(content)
    with pytest.warns(UserWarning, match="could not be read"):
        plan = LomariPlan(path)
    kept = [p for p in tmp_path.iterdir() if p.name.startswith("lomari-plan.unreadable-")]
    assert len(kept) == 1 and kept[0].read_bytes() == content
    assert reason in plan.notice and kept[0].name in plan.notice
    assert not path.exists()
    assert plan.notice in str(plan.show(upto=1))
    plan.record(1, counterpart="Training centre")  # carries on with a fresh file
    assert kept[0].read_bytes() == content
    assert plan.get(1, "counterpart") == "Training centre"


# ------------------------------------------------------------------ showing the plan


def test_show_says_which_lessons_are_missing_and_uses_the_course_examples(plan):
    examples = scenario.example_decisions()
    plan.record(1, counterpart="Shoe workshops (LOM-S03)")
    text = str(plan.show(upto=3))
    assert text.startswith("Your Lomari plan so far (lessons 1-3)")
    assert "invented" in text
    assert "- counterpart: Shoe workshops (LOM-S03)" in text
    assert "- work plan (course example):" in text  # lesson 1's part lacks the work plan
    for lesson in (2, 3):
        assert (
            f"Lesson {lesson}: not recorded yet. Run lesson {lesson} first, or carry on: "
            "the course's example decisions are used." in text
        )
    assert examples[2]["values_step"] in text
    assert "Lesson 4" not in text
    assert plan.get(2, "values_step") == examples[2]["values_step"]
    assert plan.get(2, "values_step", example=False) is None
    assert plan.get(2, "nothing", default="n/a") == "n/a"


def test_show_nothing_yet_and_bad_upto(plan):
    assert "Nothing recorded yet: your Lomari plan starts in lesson 1." in str(plan.show(0))
    with pytest.raises(PlanError, match=r"the last lesson to show must be 0, 1, 2, 3 or 4"):
        plan.show(upto=5)


def test_show_renders_as_html_that_shows_text_literally(plan):
    plan.record(2, norms=["<b>Pay</b> $100 & keep $ prices", "Ça va\nsecond line"])
    summary = plan.show(upto=2)
    page = summary._repr_html_()
    assert "mathjax_ignore" in page  # $ is never typeset as mathematics
    assert "&lt;b&gt;Pay&lt;/b&gt; $100 &amp; keep $ prices" in page
    assert "<b>Pay</b>" not in page
    assert "Ça va<br>second line" in page
    assert repr(summary) == str(summary) == summary.text


def test_the_course_examples_cover_every_decision_of_the_chain():
    examples = scenario.example_decisions()
    assert sorted(examples) == list(scenario.LESSONS)
    for lesson, names in CHAIN.items():
        assert names <= set(examples[lesson]), f"lesson {lesson} example lacks {names}"
    for lesson, names in CHAIN.items():
        for name in names & set(scenario.WIDGET_KINDS):
            assert examples[lesson][name]["widget"] == name
    counterpart = examples[1]["counterpart"]
    assert scenario.find_stakeholder("LOM-S09")["name"] in counterpart


# ------------------------------------------------------------------ widgets on Lomari


def test_widgets_start_from_lomari_and_their_summaries_are_recorded(plan, monkeypatch, tmp_path):
    from cdatools import commission
    from cdatools.widgets import (
        CommissionComposer,
        GovernanceModel,
        JointActionPrioritiser,
        TrustMap,
        WorkplanModel,
    )

    monkeypatch.setenv("CDATOOLS_WORK_DIR", str(tmp_path / "work"))
    trust = TrustMap(save_path=scenario.save_path("trust_map"), cluster="Lomari")
    assert trust.model.stakeholders == list(scenario.stakeholders()["short_name"])
    facts = plan.record_widget(3, trust)
    assert facts["cut_off"] == ["Bag makers", "Traders"] and facts["isolated"] == []
    assert facts["brokers"] and set(facts["brokers"]) <= set(trust.model.stakeholders)
    trust.model.add_tie("Bag makers", "Shoe workshops")  # the trainee links them
    assert plan.record_widget(3, trust)["cut_off"] == []
    assert plan.get(3, "trust_map")["cut_off"] == []

    prioritiser = JointActionPrioritiser(
        save_path=scenario.save_path("joint_actions"), cluster="Lomari"
    )
    assert [a["action_id"] for a in prioritiser.model.actions][:2] == ["LJA01", "LJA02"]
    prioritiser.model.budget = 10_000
    facts = plan.record_widget(4, prioritiser)
    assert facts["chosen"] and facts["spent"] <= 10_000 and len(facts["quick_wins"]) > 1

    candidates = commission.candidates_for(scenario.stakeholders(), scenario.CLUSTER)
    composer = CommissionComposer(save_path=scenario.save_path("commission"), candidates=candidates)
    composer.model.members = ["LOM-S03", "LOM-S05", "LOM-S07"]
    facts = plan.record_widget(4, composer)
    assert facts["member_ids"] == ["LOM-S03", "LOM-S05", "LOM-S07"]
    assert facts["members"][1].startswith("Bag makers")
    assert facts["gaps"] == ["service institutions", "knowledge gatekeepers"]
    same = CommissionComposer(save_path=tmp_path / "c.json", cluster="Lomari")
    assert same.model.candidates == candidates

    workplan = WorkplanModel(save_path=scenario.save_path("workplan"))
    workplan.move_task("transfer", start=20, duration=6)
    facts = plan.record_widget(1, workplan)
    assert (
        "Transfer responsibility to cluster stakeholders (months 20-25, facilitate)"
        in (facts["governance_tasks"])
    )
    governance = GovernanceModel(save_path=scenario.save_path("governance"))
    governance.rate("Small firms", "representative", 1)
    assert plan.record_widget(2, governance)["weakest"] == ["Representative"]

    assert sorted(p.name for p in (tmp_path / "work" / "lomari").iterdir()) == [
        "commission.json",
        "governance.json",
        "joint_actions.json",
        "trust_map.json",
        "workplan.json",
    ]
    text = str(plan.show(upto=4))
    assert "cut off from the main group: none" in text
    assert "members: Young shoe-workshop owners; Bag makers' savings group" in text


def test_record_widget_refuses_something_else(plan):
    with pytest.raises(PlanError, match=r"one of the planning widgets .* not 'str'"):
        plan.record_widget(1, "my work plan")
    with pytest.raises(PlanError, match=r"must be 1, 2, 3 or 4, not 9"):
        plan.record_widget(9, "my work plan")


def test_widget_options_refuse_clusters_they_do_not_know(tmp_path):
    from cdatools.widgets import JointActionModel, TrustMapModel

    with pytest.raises(ValueError, match=r"no proposals for cluster 'Lomary'.*'Lomari'"):
        JointActionModel(save_path=tmp_path / "j.json", cluster="Lomary")
    with pytest.raises(ValueError, match=r"'Lomari' only .* not 'Bagru'"):
        TrustMapModel(save_path=tmp_path / "t.json", cluster="Bagru")


def test_docstring_examples_run():
    flags = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
    result = doctest.testmod(scenario, optionflags=flags, verbose=False)
    assert result.attempted > 20 and result.failed == 0


# ------------------------------------------------------------------ what a lesson builds on


def test_carried_forward_shows_the_earlier_lessons_decisions_or_the_examples(plan):
    examples = scenario.example_decisions()
    text = str(scenario.carried_forward(plan, 3))
    assert "From Lesson 2 (not recorded yet: run Lesson 2 first" in text
    assert examples[2]["norms"][0] in text
    assert "weakest governance characteristics (put them on the agenda) (course example)" in text
    plan.record(2, norms=["Un modèle montré sur le stand appartient à son auteur", "Pay $40"])
    text = str(scenario.carried_forward(plan, 3))
    assert "From Lesson 2\n" in text and "(not recorded yet" not in text
    assert "- your norms (the ground rules of the meeting and the mediation):\n" in text
    assert "    - Un modèle montré sur le stand appartient à son auteur" in text
    assert examples[2]["norms"][0] not in text
    plan.record(3, mediation_outcome="Pay within 21 days")
    assert "agreed (course example)" not in str(scenario.carried_forward(plan, 4))
    assert "agreed: Pay within 21 days" in str(scenario.carried_forward(plan, 4))
    with pytest.raises(PlanError, match=r"must be 2, 3 or 4, not 1"):
        scenario.carried_forward(plan, 1)
    with pytest.raises(PlanError, match=r"needs your LomariPlan, not 'str'"):
        scenario.carried_forward("plan", 3)


def test_trust_summary_matches_the_map_to_lomaris_stakeholders(plan, tmp_path):
    from cdatools.widgets import TrustMapModel

    text = str(scenario.trust_summary(plan))
    assert "(the course's example map)" in text
    assert "Bag makers: Bag makers' savings group (women working from home), LOM-S05" in text
    trust = TrustMapModel(save_path=tmp_path / "t.json", cluster="Lomari")
    trust.add_stakeholder("Coopérative des teinturiers")  # a name the trainee adds
    plan.record_widget(3, trust)
    text = str(scenario.trust_summary(plan))
    assert "example" not in text
    assert "Coopérative des teinturiers: not one of Lomari's thirteen stakeholders" in text
    assert "Training centre: Technical training centre, LOM-S09, knowledge gatekeepers" in text


def test_governance_ratings_all_alike_have_no_weakest_characteristic(tmp_path):
    from cdatools.widgets import GovernanceModel

    governance = GovernanceModel(save_path=tmp_path / "g.json")  # every rating 3
    assert scenario.summarise_widget(governance)["weakest"] == []
    governance.rate("Large firms", "strategic", 2)
    governance.rate("Small firms", "legitimate", 4)
    facts = scenario.summarise_widget(governance)
    assert facts["weakest"] == ["Strategic"]  # mean 2.75; the rest 3 or more
    governance.rate("Local government", "representative", 2)  # ties with strategic
    assert scenario.summarise_widget(governance)["weakest"] == ["Representative", "Strategic"]
    assert facts["mean_ratings"]["Legitimate"] == 3.25


def test_the_course_example_trust_map_is_the_data_at_month_6(tmp_path):
    """The example a skipped Lesson 3 falls back on matches the map the widget starts from."""
    from cdatools.widgets import TrustMapModel

    model = TrustMapModel(save_path=tmp_path / "t.json", cluster="Lomari")
    assert scenario.example_decisions()[3]["trust_map"] == scenario.summarise_widget(model)


def test_governance_assessment_on_lomari_starts_from_its_firm_groups(tmp_path):
    from cdatools.widgets.governance import GovernanceModel, default_groups

    people = scenario.stakeholders()
    firms = set(people.loc[people["commission_category"] == "entrepreneurs", "short_name"])
    groups = default_groups("Lomari")
    assert set(groups) < firms and "Artisans' Association" not in groups
    model = GovernanceModel(save_path=tmp_path / "g.json", cluster="Lomari")
    assert list(model.ratings) == groups
    with pytest.raises(ValueError, match="'Bagru'"):
        GovernanceModel(save_path=tmp_path / "h.json", cluster="Bagru")
