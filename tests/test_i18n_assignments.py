"""The graded assignments in French and Spanish grade exactly like the English.

The editions ``exercises/release-fr/`` and ``exercises/release-es/`` are the student
versions (``exercises/release/``) with their text translated through the catalogs in
``exercises/i18n/<language>/`` (``cdatools.notebook_i18n``); ``make assignments`` builds
them. Here:

- every catalog is complete and current, and every committed edition is what the catalogs
  and the committed student version build (so a change to the English fails until the
  translations are revised and ``make assignments`` is run);
- an edition keeps the student version's code cells, nbgrader metadata (grade ids, points,
  checksums) and answer stubs exactly, and translates every other paragraph;
- graded with a real nbgrader, in the batch shared with tests/test_assignments.py and
  tests/test_fairness.py (tests/fairness/batch.py: one ``autograde`` per assignment, all
  editions handed in to the one assignment): the solutions handed in in each edition earn
  full marks and the same marks as in English on every cell, each blank edition earns
  what the blank English earns (nothing), the fairness variants are written in all three
  editions, and each trainee's feedback page is in the language of their edition.
"""

from __future__ import annotations

import json
import re
import shutil

import nbformat
import pytest

from cdatools import notebook_i18n as nb
from tests.fairness.batch import EDITIONS, edition_of, graded_all, nbgrader_meta, visible_text
from tests.nbgrader_course import EXERCISES, grades, nbgrader

RELEASE = EXERCISES / "release"
LANGUAGES = EDITIONS[1:]
ASSIGNMENTS = sorted(p.name for p in (EXERCISES / "source").iterdir() if p.is_dir())
NOTEBOOKS = [
    (assignment, path.name)
    for assignment in ASSIGNMENTS
    for path in sorted((RELEASE / assignment).glob("*.ipynb"))
]
CASES = [(lang, a, n) for lang in LANGUAGES for a, n in NOTEBOOKS]
# A heading each edition must show (in the notebook and in the trainee's feedback).
PART_A = {"en": "Part A", "fr": "Partie A", "es": "Parte A"}
COURSE_ID = "cda-governance-trust"  # exercises/nbgrader_config.py


def _ids(case) -> str:
    return "-".join(case) if isinstance(case, tuple) else str(case)


def test_the_assignment_editions_are_laid_out_beside_the_release():
    """Catalogs in exercises/i18n/<lang>/, editions in exercises/release-<lang>/."""
    source = RELEASE / "01-workplan" / "01-workplan.ipynb"
    assert nb.catalog_path(source, "fr", RELEASE) == (
        EXERCISES / "i18n" / "fr" / "01-workplan" / "01-workplan.ipynb.po"
    )
    assert nb.edition_path(source, "es", RELEASE) == (
        EXERCISES / "release-es" / "01-workplan" / "01-workplan.ipynb"
    )
    assert len(NOTEBOOKS) == 5


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_assignment_catalog_is_complete_and_current(language):
    paths = [RELEASE / a / n for a, n in NOTEBOOKS]
    for path in paths:
        assert nb.catalog_path(path, language, RELEASE).exists(), (
            f"no {language} catalog for {path.relative_to(EXERCISES)}: run python -m "
            f"cdatools.notebook_i18n --course exercises/release update {language} "
            f"exercises/release/{path.relative_to(RELEASE)}"
        )
    problems = nb.check(language, paths, course=RELEASE)
    assert not problems, "\n".join(map(str, problems[:20]))


@pytest.mark.parametrize("case", CASES, ids=_ids)
def test_committed_edition_is_built_from_the_release_and_catalog(case):
    language, assignment, name = case
    release = RELEASE / assignment / name
    committed = nb.edition_path(release, language, RELEASE)
    assert committed.exists(), f"{committed} is missing: run 'make assignments'"
    assert committed.read_text(encoding="utf-8") == nb.render(release, language, course=RELEASE), (
        f"{committed.relative_to(EXERCISES.parent)} is out of date with the student version "
        "or its catalog: run 'make assignments' and commit the result"
    )


def test_no_edition_file_is_left_without_a_catalog(tmp_path):
    """Every file in release-fr|es is built from a catalog; a stray one is named."""
    assert nb.edition_problems(course=RELEASE) == []
    for folder in ("release", "i18n", "release-fr"):
        shutil.copytree(EXERCISES / folder, tmp_path / folder)
    (tmp_path / "release-fr" / "01-workplan" / "old-copy.ipynb").write_text("{}")
    problems = nb.edition_problems("fr", course=tmp_path / "release")
    assert len(problems) == 1 and "release-fr/01-workplan/old-copy.ipynb" in problems[0]
    assert "i18n/fr/01-workplan/old-copy.ipynb.po" in problems[0]


@pytest.mark.parametrize("case", CASES, ids=_ids)
def test_edition_keeps_code_grading_cells_and_stubs_and_translates_the_text(case):
    language, assignment, name = case
    english = nbformat.read(RELEASE / assignment / name, as_version=4)
    edition = nbformat.read(EXERCISES / f"release-{language}" / assignment / name, as_version=4)
    assert edition.metadata["cdatools"]["language"] == language
    assert edition.metadata["cdatools"]["untranslated_paragraphs"] == 0
    assert edition.metadata["kernelspec"] == english.metadata["kernelspec"]
    # Cell for cell the release: no language switch in a graded copy (a trainee's answers
    # would not follow a link to another edition, and a hub copy has no siblings).
    by_id = {cell.id: cell for cell in edition.cells}
    assert [c.id for c in edition.cells] == [c.id for c in english.cells]
    translated = 0
    for cell in english.cells:
        twin = by_id[cell.id]
        assert twin.cell_type == cell.cell_type, cell.id
        assert nbgrader_meta(twin) == nbgrader_meta(cell), f"{cell.id}: nbgrader metadata"
        if cell.cell_type == "code" or nbgrader_meta(cell):
            assert twin.source == cell.source, f"{cell.id}: must be the English cell exactly"
        else:
            translated += twin.source != cell.source
    markdown = [c for c in english.cells if c.cell_type == "markdown" and not nbgrader_meta(c)]
    assert translated == len(markdown), "every text cell is translated"
    text = "\n".join(c.source for c in edition.cells if c.cell_type == "markdown")
    assert re.search(rf"^#+ {PART_A[language]} \(", text, re.M)
    assert not re.search(r"^#+ Part A \(", text, re.M)


# ----------------------------------------------------------------- graded with nbgrader
@pytest.fixture(scope="module")
def batches(tmp_path_factory):
    return graded_all(tmp_path_factory.mktemp("graded"))


def _scores(graded, student: str) -> dict[str, float | None]:
    return {
        name: grade.score if grade.auto else None
        for name, grade in grades(
            graded.course, graded.assignment, graded.notebook, student
        ).items()
    }


@pytest.mark.slow
@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_solutions_in_every_edition_earn_full_and_the_same_marks(batches, assignment):
    graded = batches[assignment]
    english = _scores(graded, "solved")
    maxima = grades(graded.course, assignment, graded.notebook, "solved")
    auto = {k for k, g in maxima.items() if g.auto and g.max_score}
    assert auto and all(english[k] == maxima[k].max_score for k in auto)
    for language in LANGUAGES:
        scores = _scores(graded, f"solved_{language}")
        assert scores == english, f"{assignment}: the {language} solutions score {scores}"


@pytest.mark.slow
@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_a_blank_edition_earns_nothing_like_the_blank_english(batches, assignment):
    graded = batches[assignment]
    english = _scores(graded, "blank")
    for language in LANGUAGES:
        scores = _scores(graded, f"blank_{language}")
        assert scores == english, f"{assignment}: blank {language} {scores} vs English {english}"
        assert sum(s or 0 for s in scores.values()) == 0, f"{assignment} {language}: {scores}"
        # The untouched answer stubs are scored 0 by nbgrader itself, as in English.
        assert all(s is not None for s in scores.values()), f"{assignment} {language}"


@pytest.mark.slow
@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_the_trainer_grades_every_edition_as_one_assignment(batches, assignment):
    from nbgrader.api import Gradebook

    graded = batches[assignment]
    with Gradebook(f"sqlite:///{graded.course / 'gradebook.db'}") as gradebook:
        assert [a.name for a in gradebook.assignments] == [assignment]
        handed_in = {s.student.id for s in gradebook.find_assignment(assignment).submissions}
    for language in LANGUAGES:
        assert {f"solved_{language}", f"blank_{language}"} <= handed_in
    # The fairness variants (right and wrong answers, graded in tests/test_fairness.py)
    # are written in the three editions in turn.
    written = {edition_of(k) for k in range(len(graded.batch))}
    assert written == set(EDITIONS), f"{assignment}: variants only in {written}"
    for k in range(len(graded.batch)):
        handed = nbformat.read(
            graded.course / "submitted" / f"variant{k:02d}" / assignment / graded.notebook, 4
        )
        language = handed.metadata.get("cdatools", {}).get("language", "en")
        assert language == edition_of(k)


@pytest.mark.slow
@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_feedback_comes_in_the_trainees_language(batches, assignment):
    graded = batches[assignment]
    for language in EDITIONS:
        student = "solved" if language == "en" else f"solved_{language}"
        page = graded.course / "feedback" / student / assignment / graded.notebook
        text = visible_text(page.with_suffix(".html").read_text(encoding="utf-8"))
        assert f"{PART_A[language]} (" in text, f"{student}: feedback not in {language}"
        others = [PART_A[o] for o in EDITIONS if o != language]
        assert not any(f"{other} (" in text for other in others), f"{student}: mixed languages"
        autograded = graded.course / "autograded" / student / assignment / graded.notebook
        meta = json.loads(autograded.read_text(encoding="utf-8"))["metadata"]
        assert meta.get("cdatools", {}).get("language", "en") == language


def test_an_english_edit_to_a_student_version_fails_until_translated(tmp_path):
    """On a copy: a changed English sentence makes its translation out of date."""
    import shutil

    release = tmp_path / "release"
    shutil.copytree(RELEASE / "01-workplan", release / "01-workplan")
    shutil.copytree(EXERCISES / "i18n", tmp_path / "i18n")
    notebook = release / "01-workplan" / "01-workplan.ipynb"
    assert nb.check("fr", [notebook], course=release) == []
    data = json.loads(notebook.read_text(encoding="utf-8"))
    cell = next(c for c in data["cells"] if "".join(c["source"]).startswith("---\n## Part B"))
    cell["source"] = [line.replace("tend to overlap", "often overlap") for line in cell["source"]]
    notebook.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    problems = nb.check("fr", [notebook], course=release)
    assert [p.kind for p in problems] == ["out of date"], problems
    assert "often overlap" in problems[0].message
    edition = json.loads(nb.render(notebook, "fr", course=release))
    assert edition["metadata"]["cdatools"]["untranslated_paragraphs"] == 1
    nb.update(notebook, "fr", course=release)
    problems = nb.check("fr", [notebook], course=release)
    assert [p.kind for p in problems] == ["out of date"], "fuzzy until revised"


@pytest.mark.slow
def test_a_hub_releases_an_edition_through_the_exchange(batches, tmp_path):
    """The guide's command: release_assignment --CourseDirectory.release_directory=release-fr.

    The exchange then holds the French notebook under the English name: what trainees
    fetch. (One nbgrader call: each takes seconds. Re-releasing another edition with
    ``--force``, fetching, submitting, collecting and fetching French feedback were tried
    by hand with a real exchange; the guide gives the commands.)
    """
    graded = batches["01-workplan"]
    exchange = tmp_path / "exchange"
    exchange.mkdir()
    nbgrader(
        graded.course,
        "release_assignment",
        "01-workplan",
        "--CourseDirectory.release_directory=release-fr",
        f"--Exchange.root={exchange}",
        "--log-level=WARN",
    )
    outbound = exchange / COURSE_ID / "outbound" / "01-workplan" / graded.notebook
    built = graded.course / "release-fr" / "01-workplan" / graded.notebook
    assert nbformat.read(outbound, 4) == nbformat.read(built, 4)
    assert nbformat.read(outbound, 4).metadata["cdatools"]["language"] == "fr"
