"""The six planning widgets: models in plain Python, views driven without a browser."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from cdatools import widgets
from cdatools.datasets import data_dir

MODELS = [
    "WorkplanModel",
    "GovernanceModel",
    "TrustMapModel",
    "JointActionModel",
    "CommissionModel",
    "StakeholderGridModel",
]
VIEWS = [
    "WorkplanBuilder",
    "GovernanceAssessment",
    "TrustMap",
    "JointActionPrioritiser",
    "CommissionComposer",
    "StakeholderGrid",
]


def change_something(model) -> None:
    """One typical edit per widget."""
    name = type(model).__name__
    if name == "WorkplanModel":
        model.move_task("transfer", start=14, duration=8)
    elif name == "GovernanceModel":
        model.rate("Large firms", "strategic", 5)
    elif name == "TrustMapModel":
        model.add_tie("Printer A", "Printer B")
    elif name == "JointActionModel":
        model.budget = 12_000
    elif name == "CommissionModel":
        model.toggle("CHO-S07", True)
    else:
        model.set_stakeholder("Cooperative bank", power=4, interest=2)


# ---------------------------------------------------------------- the shared contract
@pytest.mark.parametrize("name", MODELS)
def test_contract_save_restore_export(name, tmp_path):
    cls = getattr(widgets, name)
    path = tmp_path / f"{name}.json"
    model = cls(save_path=path)
    assert not path.exists()
    before = json.dumps(model.state, sort_keys=True)
    change_something(model)
    saved = json.loads(path.read_text(encoding="utf-8"))
    assert saved == model.state
    assert json.dumps(saved, sort_keys=True) != before
    assert saved["kind"] == model.kind
    restored = cls(save_path=path)
    assert restored.state == model.state
    assert restored.notice == ""
    table = pd.read_csv(model.export_csv(tmp_path / "out" / f"{name}.csv"))
    assert len(table) > 0
    assert (model.save_png(tmp_path / "out" / f"{name}.png")).read_bytes()[:4] == b"\x89PNG"
    assert [p.name for p in tmp_path.glob(".*.tmp")] == []


@pytest.mark.parametrize("name", MODELS)
def test_contract_unreadable_file_is_kept(name, tmp_path):
    path = tmp_path / "save.json"
    kind = getattr(widgets, name).kind
    path.write_text(f'{{"kind": "{kind}", "half": ', encoding="utf-8")
    original = path.read_bytes()
    model = getattr(widgets, name)(save_path=path)
    kept = list(tmp_path.glob("save.unreadable-*.json"))
    assert len(kept) == 1 and kept[0].read_bytes() == original
    assert "could not be read" in model.notice and kept[0].name in model.notice


@pytest.mark.parametrize("name", MODELS)
def test_contract_state_from_another_widget_is_refused(name, tmp_path):
    path = tmp_path / "save.json"
    other = "trust_map" if name != "TrustMapModel" else "workplan"
    path.write_text(json.dumps({"kind": other, "version": 1}), encoding="utf-8")
    model = getattr(widgets, name)(save_path=path)
    assert f"'{other}' widget" in model.notice


# ---------------------------------------------------------------- each widget's analysis
def test_workplan_reports_a_late_exit_strategy_and_recovers(tmp_path):
    model = widgets.WorkplanModel(save_path=tmp_path / "w.json")
    assert model.violations() == []
    model.move_task("withdrawal", start=35, duration=2)
    rules = [v.rule for v in model.violations()]
    assert rules == ["exit_strategy_late"]
    table = model.table().set_index("task_id")
    assert table.loc["withdrawal", "duration_months"] == 2
    assert "exit strategy" in table.loc["withdrawal", "problems"]
    model.reset()
    assert model.violations() == []


def test_workplan_rejects_a_zero_duration(tmp_path):
    model = widgets.WorkplanModel(save_path=tmp_path / "w.json")
    with pytest.raises(ValueError, match="duration of 'transfer' must be at least 1 month, not 0"):
        model.move_task("transfer", start=3, duration=0)
    with pytest.raises(ValueError, match="no activity 'lunch'"):
        model.move_task("lunch", start=3, duration=2)


def test_governance_gaps_and_disagreement(tmp_path):
    model = widgets.GovernanceModel(save_path=tmp_path / "g.json")
    assert model.gaps() == []
    model.rate("Small firms", "representative", 1)
    model.rate("Large firms", "representative", 5)
    assert model.gaps() == [
        "Weak: Representative, rated 1 by Small firms.",
        "Groups disagree on Representative: from 1 (Small firms) to 5 (Large firms).",
    ]
    card = model.scorecard()
    assert card.loc["Small firms", "representative"] == 1
    model.add_group("women entrepreneurs")
    assert "women entrepreneurs" in model.table()["category"].tolist()
    with pytest.raises(ValueError, match="rating must be a whole number 1-5, not 6"):
        model.rate("Small firms", "strategic", 6)


def test_trust_map_measures_follow_ties(tmp_path):
    model = widgets.TrustMapModel(save_path=tmp_path / "t.json")
    # Default: a star around the dyer (3 ties) and an isolated trader.
    m = model.measures()
    assert (m.ties, m.triangles, m.components, m.isolates) == (3, 0, 2, 1)
    assert model.brokers()["node"].iloc[0] == "Dyer"
    model.add_tie("Printer A", "Printer B")
    model.add_tie("Trader", "Block maker")
    m = model.measures()
    assert (m.ties, m.triangles, m.components, m.isolates) == (5, 1, 1, 0)
    assert any("one connected community" in line for line in model.summary())
    model.remove_stakeholder("Dyer")
    assert model.measures().ties == 2
    with pytest.raises(ValueError, match="already tied"):
        model.add_tie("Printer B", "Printer A")


def test_joint_actions_plan_respects_the_budget(tmp_path):
    model = widgets.JointActionModel(save_path=tmp_path / "j.json")
    model.budget = 10_000
    plan = model.portfolio()
    assert plan.spent <= 10_000
    assert plan.plan["cost_usd"].sum() == plan.spent
    model.set_action(
        action_id="NEW01",
        title="Joint stand at the regional fair",
        area="trade_fair",
        expected_benefit=9,
        cost_usd=500,
        duration_months=1,
        time_limited=True,
        predatory_risk="low",
    )
    assert model.ranking()["action_id"].iloc[0] == "NEW01"
    assert "NEW01" in model.table()["action_id"].tolist()
    with pytest.raises(ValueError, match="risk 'none' must be low, medium or high"):
        model.set_action(**{**model.actions[0], "predatory_risk": "none"})


def test_joint_actions_start_from_the_cluster_asked_for(tmp_path):
    bagru = widgets.JointActionModel(save_path=tmp_path / "b.json", cluster="Bagru")
    expected = pd.read_csv(data_dir() / "joint_actions.csv")
    expected = expected[expected["cluster"] == "Bagru"]
    assert [a["action_id"] for a in bagru.actions] == expected["action_id"].tolist()
    view = widgets.JointActionPrioritiser(save_path=tmp_path / "v.json", cluster="Bagru")
    assert view.model.actions == bagru.actions
    with pytest.raises(ValueError, match=r"'Bagrru'.*'Bagru'"):
        widgets.JointActionModel(save_path=tmp_path / "x.json", cluster="Bagrru")


def test_trust_map_calls_its_network_measures_the_course_proxy(tmp_path):
    summary = " ".join(widgets.TrustMapModel(save_path=tmp_path / "t.json").summary())
    assert "course's network proxy" in summary
    assert "Multilateral trust:" not in summary


def test_commission_gaps_close_as_members_join(tmp_path):
    model = widgets.CommissionModel(save_path=tmp_path / "c.json")
    model.members = ["CHO-S01", "CHO-S05"]
    assert model.check().gaps == ("service_institutions", "knowledge_gatekeepers")
    model.toggle("CHO-S07", True)
    model.toggle("CHO-S09", True)
    assert model.check().gaps == ()
    assert model.table()["seat"].tolist() == [1, 2, 3, 4]
    with pytest.raises(Exception, match="'NOBODY' is not among the candidates"):
        model.members = ["NOBODY"]


def test_stakeholder_grid_quadrants(tmp_path):
    model = widgets.StakeholderGridModel(save_path=tmp_path / "s.json")
    model.set_stakeholder("Bank", power=5, interest=1)
    grid = model.table().set_index("name")
    assert grid.loc["Bank", "quadrant"] == "keep_satisfied"
    assert grid.loc["Small workshops", "quadrant"] == "keep_informed"
    model.remove_stakeholder("Bank")
    assert "Bank" not in model.table()["name"].tolist()
    with pytest.raises(ValueError, match="power of 'X' must be a whole number 1-5, not 0"):
        model.set_stakeholder("X", power=0, interest=3)


# ---------------------------------------------------------------- the views, without a browser
@pytest.mark.parametrize("name", VIEWS)
def test_view_redraws_and_saves_when_the_model_changes(name, tmp_path):
    view = getattr(widgets, name)(save_path=tmp_path / "v.json")
    first = view._png
    assert first[:4] == b"\x89PNG"
    assert "data:image/png;base64," in view._figure.value
    change_something(view.model)
    assert view._png != first
    assert json.loads((tmp_path / "v.json").read_text()) == view.state


def test_workplan_slider_edits_the_model(tmp_path):
    view = widgets.WorkplanBuilder(save_path=tmp_path / "w.json")
    view._sliders["withdrawal"].value = (35, 36)
    assert view.model.table().set_index("task_id").loc["withdrawal", "start_month"] == 35
    assert "exit strategy" in view._summary.value
    view._reset()
    assert view._sliders["withdrawal"].value == (35, 36), "reset must ask first"
    view._answer(True)
    assert view._sliders["withdrawal"].value == (30, 36)


def test_governance_sliders_follow_the_chosen_group(tmp_path):
    view = widgets.GovernanceAssessment(save_path=tmp_path / "g.json")
    view._group.value = "Large firms"
    view._sliders["legitimate"].value = 1
    assert view.model.ratings["Large firms"]["legitimate"] == 1
    view._group.value = "Small firms"
    assert view._sliders["legitimate"].value == 3


def test_views_show_a_notice_for_an_unreadable_save(tmp_path):
    path = tmp_path / "t.json"
    path.write_text("not json", encoding="utf-8")
    view = widgets.TrustMap(save_path=path)
    assert "Notice:" in view._notice.value and "could not be read" in view._notice.value


def test_export_buttons_write_files(tmp_path):
    view = widgets.StakeholderGrid(save_path=tmp_path / "s.json")
    view._export_name.value = str(tmp_path / "exports" / "grid")
    view._export("csv")
    view._export("png")
    assert (tmp_path / "exports" / "grid.csv").exists()
    assert (tmp_path / "exports" / "grid.png").exists()
    assert "Saved" in view._export_status.value


def test_constructors_do_not_display(tmp_path, capsys):
    widgets.CommissionComposer(save_path=tmp_path / "c.json")
    assert capsys.readouterr().out == ""


def test_workplan_role_changes_the_hands_on_profile(tmp_path):
    from cdatools.workplan import hands_on_profile

    view = widgets.WorkplanBuilder(save_path=tmp_path / "w.json")
    before = hands_on_profile(view.model.plan())["hands_on"].sum()
    view._roles["network_strengthening"].value = "lead"
    after = hands_on_profile(view.model.plan())["hands_on"].sum()
    assert (
        view.model.table().set_index("task_id").loc["network_strengthening", "cda_role"] == "lead"
    )
    assert after > before
    with pytest.raises(ValueError, match="role of 'transfer' must be one of lead, coordinate"):
        view.model.set_role("transfer", "boss")


@pytest.mark.parametrize("name", VIEWS)
def test_views_are_real_widgets_that_render(name, tmp_path):
    import ipywidgets

    view = getattr(widgets, name)(save_path=tmp_path / "v.json")
    assert isinstance(view, ipywidgets.VBox)
    bundle = view._repr_mimebundle_()
    assert bundle["application/vnd.jupyter.widget-view+json"]["model_id"] == view.model_id
    assert view._figure in _descendants(view)


def _descendants(widget):
    for child in getattr(widget, "children", ()):
        yield child
        yield from _descendants(child)


def test_workplan_quick_redraw_matches_a_full_drawing(tmp_path):
    import io

    import numpy as np
    from PIL import Image

    model = widgets.WorkplanModel(save_path=tmp_path / "w.json")
    model.png()
    model.move_task("transfer", start=10, duration=20)
    model.set_role("monitoring", "coordinate")
    quick = np.asarray(Image.open(io.BytesIO(model.png())).convert("RGB"), dtype=float)
    full_bytes = io.BytesIO()
    model.figure().savefig(full_bytes, format="png", dpi=100)
    full = np.asarray(Image.open(full_bytes).convert("RGB"), dtype=float)
    assert quick.shape == full.shape
    assert np.abs(quick - full).mean() < 1.0, "the quick redraw should look like a full drawing"
    unchanged = widgets.WorkplanModel(save_path=tmp_path / "other.json")
    before = np.asarray(Image.open(io.BytesIO(unchanged.png())).convert("RGB"), dtype=float)
    assert np.abs(quick - before).mean() > 1.0, "the moved bars must show"


def _picture(data):
    import io

    import numpy as np
    from PIL import Image

    return np.asarray(Image.open(io.BytesIO(data)).convert("RGB"), dtype=float)


@pytest.mark.parametrize(
    ("name", "edits"),
    [
        (
            "GovernanceModel",
            [
                lambda m: m.rate("Small firms", "representative", 1),
                lambda m: m.rate("Large firms", "strategic", 5),
            ],
        ),
        ("WorkplanModel", [lambda m: m.move_task("transfer", start=10, duration=20)]),
        (
            "WorkplanModel",  # past the project's end (a wider time axis) and back again
            [
                lambda m: m.move_task("withdrawal", start=32, duration=6),
                lambda m: m.move_task("withdrawal", start=30, duration=6),
                lambda m: m.move_task("withdrawal", start=33, duration=6),
                lambda m: m.move_task("withdrawal", start=31, duration=6),
            ],
        ),
        ("JointActionModel", [lambda m: setattr(m, "budget", 12_000.0)]),
        ("JointActionModel", [lambda m: setattr(m, "budget", 0.0)]),
        ("TrustMapModel", [lambda m: m.add_tie("Printer A", "Printer B")]),
        (
            "CommissionModel",
            [
                lambda m: m.toggle("CHO-S01", True),
                lambda m: m.toggle("CHO-S05", True),
                lambda m: m.toggle("CHO-S07", True),
            ],
        ),
        (
            "StakeholderGridModel",
            [
                lambda m: m.set_stakeholder("Regional university", power=1, interest=1),
                lambda m: m.set_stakeholder("Municipality", power=4, interest=5),
            ],
        ),
    ],
)
def test_quick_redraw_matches_a_full_drawing(name, edits, tmp_path):
    import io

    import numpy as np

    model = getattr(widgets, name)(save_path=tmp_path / "m.json")
    before = _picture(model.png())
    for edit in edits:
        edit(model)
        quick = model.png()
    live = model._live_figures.get((100, model.layout_key()))
    assert live is not None and live.artists is not None, "the quick path was taken"
    assert len(model._live_figures) <= widgets.base.LIVE_LAYOUTS_KEPT
    full = io.BytesIO()
    model.figure().savefig(full, format="png", dpi=100)
    quick, full = _picture(quick), _picture(full.getvalue())
    assert quick.shape == full.shape
    assert np.abs(quick - full).mean() < 1.0, "the quick redraw should look like a full drawing"
    # A few pixels may differ by anti-aliasing or a one-pixel shift of a spine; a part left
    # stale (a line not moved, a caption drawn over the old one) differs in many more.
    strongly = (np.abs(quick - full).max(axis=2) > 60).mean()
    assert strongly < 0.0009, f"{strongly:.2%} of the pixels differ from a full drawing"
    assert np.abs(quick - before).mean() > 0.05, "the change must show"
