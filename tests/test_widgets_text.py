"""Widgets a trainee cannot break: typed text, bad values, deletions, names for screen readers.

Property-based tests (hypothesis) type any Unicode text into every widget model: each
operation either raises a clear ValueError or is accepted, and an accepted plan always
draws, saves, restores in a new view and exports with the text exactly as typed.
"""

from __future__ import annotations

import io
import json
import string

import ipywidgets
import pandas as pd
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from cdatools import widgets
from cdatools.widgets.joint_actions import parse_amount
from cdatools.widgets.text import check_text, text_key

TRICKY = [
    "R&D fund $^$",
    "($5 and $10 shares)",
    "$x_1$ \\alpha {braces} \\",
    "Coopérative des teinturiers",
    "Asociación de ganaderos de Chontales, Nicaragua",
    "राजस्थान हस्तशिल्प संघ",
    "Women's group 🌾🐄",
    "a" * 200,
    "two\nlines",
    "tab\there",
    "   ",
    "\u200b",
    "<b>bold</b> & 'quotes'",
    "NA",
    "=SUM(A1)",
]
ANY_TEXT = st.one_of(st.sampled_from(TRICKY), st.text(max_size=90))
PROPERTY = settings(
    max_examples=5,
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],  # report the example, skip shrinking
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _draws_saves_restores_exports(model, view_class, tmp_path, texts):
    """An accepted plan draws, saves, restores in a new view, and exports as typed."""
    assert model.png()[:4] == b"\x89PNG"
    model.save()
    assert json.loads(model.save_path.read_text(encoding="utf-8")) == model.state
    view = view_class(save_path=model.save_path)
    assert view.model.notice == "", view.model.notice
    assert view.model.state == model.state
    assert view._png[:4] == b"\x89PNG", view._figure.value
    csv = model.export_csv(tmp_path / "out.csv")
    table = pd.read_csv(csv, dtype=str, keep_default_na=False)
    cells = set(table.to_numpy().ravel())
    for text in texts:
        assert text in cells, f"{text!r} should be in the CSV exactly as typed"
    assert model.save_png(tmp_path / "out.png").read_bytes()[:4] == b"\x89PNG"


def _accepted(action, *args, **kwargs):
    try:
        action(*args, **kwargs)
    except ValueError as error:
        assert str(error), "a refusal must say why"
        return False
    return True


# ---------------------------------------------------------------- any text, every model
@PROPERTY
@given(names=st.lists(ANY_TEXT, min_size=1, max_size=3))
def test_trust_map_takes_any_text(tmp_path_factory, names):
    tmp_path = tmp_path_factory.mktemp("trust")
    model = widgets.TrustMapModel(save_path=tmp_path / "t.json")
    kept = []
    for name in names:
        if _accepted(model.add_stakeholder, name):
            kept.append(name.strip())
            model.add_tie(name.strip(), "Dyer")
    _draws_saves_restores_exports(model, widgets.TrustMap, tmp_path, kept)


@PROPERTY
@given(names=st.lists(ANY_TEXT, min_size=1, max_size=3), power=st.integers(-1, 7))
def test_stakeholder_grid_takes_any_text(tmp_path_factory, names, power):
    tmp_path = tmp_path_factory.mktemp("grid")
    model = widgets.StakeholderGridModel(save_path=tmp_path / "s.json")
    kept = []
    for name in names:
        if _accepted(model.set_stakeholder, name, power=power, interest=3):
            kept.append(name.strip())
    assert (power in range(1, 6)) or not kept, "an out-of-range power must be refused"
    _draws_saves_restores_exports(model, widgets.StakeholderGrid, tmp_path, kept)


@PROPERTY
@given(names=st.lists(ANY_TEXT, min_size=1, max_size=3), rating=st.integers(0, 6))
def test_governance_takes_any_text(tmp_path_factory, names, rating):
    tmp_path = tmp_path_factory.mktemp("gov")
    model = widgets.GovernanceModel(save_path=tmp_path / "g.json")
    kept = []
    for name in names:
        if _accepted(model.add_group, name):
            kept.append(name.strip())
            rated = _accepted(model.rate, name.strip(), "responsive", rating)
            assert rated == (1 <= rating <= 5)
    _draws_saves_restores_exports(model, widgets.GovernanceAssessment, tmp_path, kept)


@PROPERTY
@given(titles=st.lists(ANY_TEXT, min_size=1, max_size=2), cost=st.integers(-5, 10**6))
def test_joint_actions_take_any_text(tmp_path_factory, titles, cost):
    tmp_path = tmp_path_factory.mktemp("joint")
    model = widgets.JointActionModel(save_path=tmp_path / "j.json")
    kept = []
    for title in titles:
        action = {
            "action_id": model.next_id(),
            "title": title,
            "area": model.actions[0]["area"],
            "expected_benefit": 7,
            "cost_usd": cost,
            "duration_months": 3,
            "time_limited": True,
            "predatory_risk": "low",
        }
        if _accepted(model.set_action, **action):
            kept.append(title.strip())
    assert cost >= 0 or not kept, "a negative cost must be refused"
    _draws_saves_restores_exports(model, widgets.JointActionPrioritiser, tmp_path, kept)


@PROPERTY
@given(name=st.text(min_size=1, max_size=90).filter(lambda t: t.strip()))
def test_commission_draws_any_candidate_name(tmp_path_factory, name):
    tmp_path = tmp_path_factory.mktemp("commission")
    candidates = [
        {"stakeholder_id": "A", "name": name, "commission_category": "entrepreneurs"},
        {
            "stakeholder_id": "B",
            "name": "Mayor's office",
            "commission_category": "local_government",
        },
    ]
    model = widgets.CommissionModel(save_path=tmp_path / "c.json", candidates=candidates)
    model.toggle("A", True)
    try:
        _draws_saves_restores_exports(model, widgets.CommissionComposer, tmp_path, [name])
    except UnicodeEncodeError:
        pytest.fail(f"a candidate name {name!r} broke saving")


@PROPERTY
@given(activity=ANY_TEXT)
def test_workplan_restores_any_activity_text(tmp_path_factory, activity):
    tmp_path = tmp_path_factory.mktemp("workplan")
    path = tmp_path / "w.json"
    model = widgets.WorkplanModel(save_path=path)
    state = model.state
    state["tasks"][0]["activity"] = activity
    path.write_text(json.dumps(state), encoding="utf-8")
    restored = widgets.WorkplanModel(save_path=path)
    assert restored.notice == ""
    _draws_saves_restores_exports(restored, widgets.WorkplanBuilder, tmp_path, [activity])


# ---------------------------------------------------------------- the reported cases
def test_dollar_signs_are_drawn_as_typed_and_a_saved_file_with_them_restores(tmp_path):
    path = tmp_path / "trust_map.json"
    model = widgets.TrustMapModel(save_path=path)
    model.add_stakeholder("R&D fund $^$")
    model.add_stakeholder("($5 and $10 shares)")
    model.add_tie("R&D fund $^$", "Dyer")
    figure = model.figure()
    drawn = [t for ax in figure.axes for t in ax.texts]
    for name in ("R&D fund $^$", "($5 and $10 shares)"):
        text = next(t for t in drawn if t.get_text().replace("\n", " ") == name)
        shown = text.get_text()
        assert text._preprocess_math(shown) == (shown, False), "drawn as mathematics"
    view = widgets.TrustMap(save_path=path)  # as after a kernel restart
    assert view.model.notice == ""
    assert "R&amp;D fund $^$" in view._figure.value, "the text alternative names it"
    written = view.save_png(tmp_path / "map.png")
    assert written.stat().st_size > 5_000


def test_a_figure_that_cannot_be_drawn_keeps_the_widget_working(tmp_path, monkeypatch):
    view = widgets.StakeholderGrid(save_path=tmp_path / "s.json")

    def broken(ax):
        raise RuntimeError("font cache is corrupt")

    monkeypatch.setattr(view.model, "draw", broken)
    view._name.value = "Cooperative bank"
    view._save()
    assert "font cache is corrupt" in view._figure.value
    assert "Your plan is saved" in view._figure.value
    saved = json.loads((tmp_path / "s.json").read_text(encoding="utf-8"))
    assert "Cooperative bank" in [s["name"] for s in saved["stakeholders"]]
    view._export_name.value = str(tmp_path / "out")
    view._export("png")
    assert "Not saved" in view._export_status.value
    view._export("csv")
    assert (tmp_path / "out.csv").exists()


def test_fonts_without_a_script_fall_back_visibly(tmp_path):
    view = widgets.TrustMap(save_path=tmp_path / "t.json")
    view.model.add_stakeholder("राजस्थान हस्तशिल्प संघ")
    if view.model.missing_glyphs:
        assert "show as empty boxes" in view._summary.value
    assert view._png[:4] == b"\x89PNG"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "is empty"),
        ("   ", "is empty"),
        ("two\nlines", "must be one line"),
        ("tab\there", "cannot hold a tab"),
        ("\u200b", "no visible character"),
        ("x" * 61, "61 characters long; keep it to 60"),
    ],
)
def test_text_that_cannot_be_kept_is_refused_with_the_reason(text, reason):
    with pytest.raises(ValueError, match=reason):
        check_text(text, "a stakeholder's name")


# ---------------------------------------------------------------- duplicates
def test_duplicates_are_found_whatever_the_case_and_spacing(tmp_path):
    trust = widgets.TrustMapModel(save_path=tmp_path / "t.json")
    with pytest.raises(ValueError, match="'dyer' is already on the map as 'Dyer'"):
        trust.add_stakeholder("dyer")
    with pytest.raises(ValueError, match="already on the map"):
        trust.add_stakeholder("  Printer   a ")
    governance = widgets.GovernanceModel(save_path=tmp_path / "g.json")
    governance.add_group("small_workshops")
    with pytest.raises(ValueError, match="as 'small_workshops'"):
        governance.add_group("Small workshops")
    with pytest.raises(ValueError, match="as 'Small firms'"):
        governance.add_group("small_firms")
    grid = widgets.StakeholderGridModel(save_path=tmp_path / "s.json")
    with pytest.raises(ValueError, match="as 'Municipality'"):
        grid.set_stakeholder("MUNICIPALITY", power=2, interest=2)
    joint = widgets.JointActionModel(save_path=tmp_path / "j.json")
    copy = {**joint.actions[0], "action_id": "NEW01", "title": joint.actions[0]["title"].upper()}
    with pytest.raises(ValueError, match="already a proposal"):
        joint.set_action(**copy)
    assert text_key("Small  Firms") == text_key("small_firms")


# ---------------------------------------------------------------- bad values
@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("12.5", "whole number of US dollars (like 12500), not '12.5'"),
        ("1e3", "not '1e3'"),
        ("-200", "cannot be negative: '-200'"),
        ("abc", "not 'abc'"),
        ("", "not ''"),
    ],
)
def test_amounts_are_never_guessed(typed, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse_amount(typed, "the cost")


def test_amounts_with_separators_are_read():
    assert parse_amount("12,500", "the cost") == 12500
    assert parse_amount("12 500", "the cost") == 12500
    assert parse_amount("2500.50", "the budget", whole=False) == 2500.5


def test_bad_cost_and_budget_get_a_message_at_the_control(tmp_path):
    view = widgets.JointActionPrioritiser(save_path=tmp_path / "j.json")
    before = view.model.state
    view._cost.value = "12.5"
    view._save()
    assert "not &#x27;12.5&#x27;" in view._cost_message.value
    view._budget.value = "-1000"
    assert "cannot be negative" in view._budget_message.value
    assert view.model.state == before, "nothing may change after a refused value"
    view._budget.value = "20,000"
    assert view.model.budget == 20_000 and view._budget_message.value == ""


def test_sliders_cannot_be_typed_out_of_range(tmp_path):
    for name in ("GovernanceAssessment", "StakeholderGrid", "JointActionPrioritiser"):
        view = getattr(widgets, name)(save_path=tmp_path / f"{name}.json")
        sliders = [w for w in _descendants(view) if isinstance(w, ipywidgets.IntSlider)]
        assert sliders and all(not s.readout for s in sliders), name
        assert all(f": {s.value}" in s.description for s in sliders), "the value stays visible"


# ---------------------------------------------------------------- nothing lost
def test_delete_asks_first_and_selects_nothing_afterwards(tmp_path):
    view = widgets.JointActionPrioritiser(save_path=tmp_path / "j.json")
    count = len(view.model.actions)
    chosen = view._choice.value
    assert chosen, "the Proposal menu starts on a proposal"
    view._delete()
    assert len(view.model.actions) == count, "delete must ask first"
    view._answer(False)
    assert len(view.model.actions) == count and view._choice.value == chosen
    view._delete()
    view._delete()  # a double click asks once
    view._answer(True)
    assert len(view.model.actions) == count - 1
    assert view._choice.value == "" and view._delete_button.disabled
    view._delete()  # a further click deletes nothing
    assert len(view.model.actions) == count - 1
    assert "choose a saved proposal" in view._status.value
    view._undo_clicked()
    assert len(view.model.actions) == count
    assert chosen in [a["action_id"] for a in view.model.actions]


def test_unsaved_edits_are_marked_and_never_dropped_silently(tmp_path):
    view = widgets.JointActionPrioritiser(save_path=tmp_path / "j.json")
    first = view._choice.value
    other = view._choice.options[2][1]
    view._title.value = "Shared cold store"
    assert "Unsaved changes" in view._dirty.value
    view._choice.value = other
    assert view._choice.value == first and view._title.value == "Shared cold store"
    assert view._confirm_bar.layout.display == "flex"
    view._answer(False)
    assert view._title.value == "Shared cold store"
    view._save()
    assert view.model.actions[0]["title"] == "Shared cold store"
    assert view._dirty.value == ""


@pytest.mark.parametrize(
    ("name", "ask"),
    [
        ("TrustMap", lambda v: (setattr(v._name, "value", "Dyer"), v._remove())),
        ("StakeholderGrid", lambda v: (setattr(v._name, "value", "Municipality"), v._remove())),
        ("GovernanceAssessment", lambda v: v._remove()),
        (
            "WorkplanBuilder",
            lambda v: (v.model.move_task("transfer", start=3, duration=2), v._reset()),
        ),
    ],
)
def test_remove_and_reset_ask_first_and_can_be_undone(name, ask, tmp_path):
    view = getattr(widgets, name)(save_path=tmp_path / "v.json")
    ask(view)
    before = view.model.state
    assert view._confirm_bar.layout.display == "flex"
    view._answer(True)
    assert view.model.state != before
    assert not view._undo.disabled
    view._undo_clicked()
    assert view.model.state == before
    assert json.loads((tmp_path / "v.json").read_text(encoding="utf-8")) == before


# ---------------------------------------------------------------- names and layout
def _descendants(widget):
    for child in getattr(widget, "children", ()):
        yield child
        yield from _descendants(child)


CONTROLS = (
    ipywidgets.Button,
    ipywidgets.Dropdown,
    ipywidgets.Text,
    ipywidgets.IntSlider,
    ipywidgets.IntRangeSlider,
    ipywidgets.Checkbox,
    ipywidgets.RadioButtons,
    ipywidgets.Combobox,
)


VIEWS = [
    "CommissionComposer",
    "GovernanceAssessment",
    "JointActionPrioritiser",
    "StakeholderGrid",
    "TrustMap",
    "WorkplanBuilder",
]


@pytest.mark.parametrize("name", VIEWS)
def test_every_control_has_its_own_name_and_the_figure_a_text_alternative(name, tmp_path):
    view = getattr(widgets, name)(save_path=tmp_path / "v.json")
    controls = [w for w in _descendants(view) if isinstance(w, CONTROLS)]
    named = [w.tooltip or w.description for w in controls if w is not view._confirm_yes]
    assert all(named), "every control needs a name"
    assert len(set(named)) == len(named), f"names repeat: {named}"
    assert all("cda-named" in w._dom_classes for w in controls if w.tooltip)
    assert "alt='" in view._figure.value
    assert view.model.summary()[0][:20] in view._figure.value.replace("&#x27;", "'")
    options = [w for w in controls if isinstance(w, ipywidgets.Dropdown)]
    assert all(w.value is not None for w in options), "every menu starts with a choice"
    assert "_" not in "".join(str(label) for w in options for label in w._options_labels)
    assert "cda-widget" in view._dom_classes


def test_the_commission_chart_is_relaid_out_after_the_first_member(tmp_path):
    model = widgets.CommissionModel(save_path=tmp_path / "c.json")
    empty = model.png()
    model.toggle("CHO-S01", True)
    quick = model.png()
    full = io.BytesIO()
    model.figure().savefig(full, format="png", dpi=100)
    assert quick != empty
    assert model.layout_key() != "empty"
    import numpy as np
    from PIL import Image

    a = np.asarray(Image.open(io.BytesIO(quick)).convert("L"), dtype=float)
    b = np.asarray(Image.open(full).convert("L"), dtype=float)
    assert a.shape == b.shape and np.abs(a - b).mean() < 1.0, "labels and axes must be drawn"


def test_the_status_line_is_escaped_html(tmp_path):
    view = widgets.TrustMap(save_path=tmp_path / "t.json")
    view._name.value = "<img src=x onerror=alert(1)> $x$"
    view._add()
    assert "&lt;img" in view._status.value and "<img" not in view._status.value
    assert set(string.ascii_letters) & set(view._status.value)
