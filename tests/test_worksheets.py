"""Printable field worksheets: each planning widget's save_pdf, and the blank versions."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from cdatools import worksheets

pypdf = pytest.importorskip("pypdf", reason="reading the worksheets needs pypdf (dev extra)")

MODELS = {
    "workplan": "WorkplanModel",
    "governance": "GovernanceModel",
    "trust_map": "TrustMapModel",
    "joint_actions": "JointActionModel",
    "commission": "CommissionModel",
    "stakeholder_grid": "StakeholderGridModel",
}
A4_POINTS = (595.44, 841.68)


def read(path):
    reader = pypdf.PdfReader(str(path))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def assert_one_a4_page(reader) -> None:
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert abs(float(box.width) - A4_POINTS[0]) < 1
    assert abs(float(box.height) - A4_POINTS[1]) < 1


def model_of(kind: str, tmp_path):
    import cdatools.widgets

    return getattr(cdatools.widgets, MODELS[kind])(save_path=tmp_path / f"{kind}.json")


def test_every_planning_widget_has_a_worksheet_layout():
    import cdatools.widgets

    kinds = {
        getattr(cdatools.widgets, name).kind
        for name in cdatools.widgets.__all__
        if name.endswith("Model")
    }
    assert kinds == set(worksheets.KINDS) == set(MODELS)


@pytest.mark.parametrize("kind", sorted(MODELS))
def test_save_pdf_writes_one_a4_page_with_the_plan(kind, tmp_path):
    model = model_of(kind, tmp_path)
    if kind == "commission":  # the Commission starts empty: pick members as a trainee would
        for candidate in model.candidates[:4]:
            model.toggle(candidate["stakeholder_id"], True)
        assert len(model.table()) == 4
    target = model.save_pdf(
        tmp_path / "out" / f"{kind}.pdf", cluster="Coopérative Ñandú & Bagru", date="2026-12-01"
    )
    assert target == tmp_path / "out" / f"{kind}.pdf"
    reader, text = read(target)
    assert_one_a4_page(reader)
    flat = squeeze(text)
    assert squeeze(worksheets.KINDS[kind].title) in flat
    assert squeeze("Cluster: Coopérative Ñandú & Bagru") in flat
    assert "2026-12-01" in flat
    assert "Notesanddecisions" in flat and "signature" in flat
    headings, rows = worksheets.plan_rows(model, worksheets.KINDS[kind])
    assert len(rows) == len(model.table())
    for heading in headings:
        assert squeeze(heading) in flat, heading
    for row in rows[:22]:
        first = row[0].removesuffix("...")
        assert squeeze(first) in flat, f"{kind}: {first!r} is not on the worksheet"
    for line in model.summary()[:1]:
        assert squeeze(line)[:40] in flat


def test_a_changed_plan_is_what_the_worksheet_shows(tmp_path):
    model = model_of("workplan", tmp_path)
    model.move_task("withdrawal", start=35, duration=2)
    _, text = read(model.save_pdf(tmp_path / "plan.pdf", cluster="Chontales"))
    flat = squeeze(text)
    assert dt.date.today().isoformat() in flat, "the date defaults to today"
    problem = model.summary()[0]
    assert problem.startswith("Problem:")
    assert squeeze(problem)[:50] in flat
    row = next(
        r
        for r in worksheets.plan_rows(model, worksheets.KINDS["workplan"])[1]
        if "withdrawal" in r[0].lower()
    )
    assert squeeze("".join(row[:3])) in flat  # activity, start 35, end 36


def test_the_view_saves_the_same_worksheet(tmp_path):
    from cdatools.widgets import StakeholderGrid

    view = StakeholderGrid(save_path=tmp_path / "grid.json")
    reader, text = read(view.save_pdf(tmp_path / "grid.pdf", cluster="Atuntaqui"))
    assert_one_a4_page(reader)
    assert "Atuntaqui" in text
    for name in view.model.table()["name"]:
        assert squeeze(name) in squeeze(text)


@pytest.mark.parametrize("kind", sorted(MODELS))
def test_blank_worksheets_are_one_a4_page_to_fill_in_by_hand(kind, tmp_path):
    reader, text = read(worksheets.write_blank(kind, tmp_path / f"{kind}-blank.pdf"))
    assert_one_a4_page(reader)
    flat = squeeze(text)
    sheet = worksheets.KINDS[kind]
    assert squeeze(sheet.title) in flat
    assert "Cluster:____" in flat and "Date:____" in flat
    for heading in sheet.blank_columns:
        assert squeeze(heading) in flat
    assert squeeze(sheet.instructions)[:40] in flat
    model = model_of(kind, tmp_path)
    first_values = [row[0] for row in worksheets.plan_rows(model, sheet)[1]]
    assert not any(squeeze(v) in flat for v in first_values if len(v) > 4), "blank means blank"


def test_all_blanks_in_one_folder(tmp_path):
    written = worksheets.write_all_blanks(tmp_path / "blanks")
    assert sorted(p.name for p in written) == sorted(f"{k}-blank.pdf" for k in MODELS)
    assert all(p.stat().st_size > 1000 for p in written)


def test_a_worksheet_must_be_a_pdf_and_a_known_kind(tmp_path):
    model = model_of("trust_map", tmp_path)
    with pytest.raises(ValueError, match=r"'.*plan\.png' should end in \.pdf"):
        model.save_pdf(tmp_path / "plan.png")
    assert not (tmp_path / "plan.png").exists()
    with pytest.raises(
        ValueError, match=r"no worksheet for a widget of kind 'budget'; known: workplan"
    ):
        worksheets.write_blank("budget", tmp_path / "b.pdf")


def test_typed_dollars_and_braces_print_as_typed(tmp_path):
    model = model_of("stakeholder_grid", tmp_path)
    model.set_stakeholder("Coopérative $5 {día}", power=4, interest=2)
    _, text = read(model.save_pdf(tmp_path / "g.pdf", cluster="Fund $5 {x} 100%_a"))
    assert squeeze("Fund $5 {x} 100%_a") in squeeze(text)
    assert squeeze("Coopérative $5 {día}") in squeeze(text)


@pytest.mark.parametrize(
    ("language", "words", "english"),
    [
        ("fr", ["Priorités d'actions conjointes", "Succès rapides ?", "Approuvé par"], "Agreed by"),
        (
            "es",
            ["Prioridades de acciones conjuntas", "¿Logros rápidos?", "Aprobado por"],
            "Quadrant",
        ),
    ],
)
def test_worksheets_print_in_the_language_cdatools_speaks(tmp_path, language, words, english):
    """A French or Spanish CDA's paper worksheets: headings, frames and table in the language."""
    from cdatools import i18n

    with i18n.speaking(language):
        blank = worksheets.write_blank("joint_actions", tmp_path / "blank.pdf")
        filled = worksheets.write_worksheet(
            model_of("joint_actions", tmp_path), tmp_path / "plan.pdf", cluster="Lomari"
        )
    reader, text = read(blank)
    assert_one_a4_page(reader)
    for word in words:
        assert squeeze(word) in squeeze(text), (word, text[:400])
    assert english not in text and "Notes and decisions" not in text
    _, plan = read(filled)
    said = {"fr": "Ce que dit l'analyse", "es": "Qué dice el análisis"}[language]
    assert squeeze(said) in squeeze(plan) and "Lomari" in plan
    worksheets.write_blank("joint_actions", tmp_path / "english.pdf")
    assert "Agreed by" in read(tmp_path / "english.pdf")[1], "English again outside the block"
