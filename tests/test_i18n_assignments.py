"""A translated student version grades exactly like the English one, in the same assignment.

No assignment is translated yet; this checks the mechanism the French and Spanish editions
will use. On a scratch nbgrader course, the student version of assignment 1 goes through
``cdatools.notebook_i18n`` (a catalog whose every paragraph is marked as translated, then
a built edition: markdown changed, code cells the English ones, same file name and grade
ids). Two trainees hand in the same solutions, one in each edition, to the one English
assignment; nbgrader gives both the same score on every graded cell, and the French
trainee's autograded copy keeps the edition's text (so feedback is in their language).
"""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import polib
import pytest

from cdatools import notebook_i18n as nb
from tests.nbgrader_course import grades, nbgrader, released, scratch_course, source, submit

ASSIGNMENT = "01-workplan"
MARK = "[fr] "


def _solved(notebook: nbformat.NotebookNode, solutions: dict[str, str]) -> nbformat.NotebookNode:
    """The notebook with every solution cell answered as the instructor's version does."""
    copy = nbformat.from_dict(json.loads(json.dumps(notebook)))
    for cell in copy.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("solution") and meta.get("grade_id") in solutions:
            cell.source = solutions[meta["grade_id"]]
    return copy


@pytest.mark.slow
def test_a_translated_edition_grades_like_the_english(tmp_path):
    course = scratch_course(tmp_path / "exercises")
    nbgrader(course, "generate_assignment", ASSIGNMENT, "--force", "--log-level=WARN")
    for student in ("en1", "fr1"):
        nbgrader(course, "db", "student", "add", student, "--log-level=WARN")
    name = sorted(p.name for p in (course / "source" / ASSIGNMENT).glob("*.ipynb"))[0]
    english = released(course, ASSIGNMENT, name)

    folder = course / "release" / ASSIGNMENT
    release = folder / name
    nb.update(release, "fr", course=folder)
    catalog = nb.catalog_path(release, "fr", course=folder)
    po = polib.pofile(str(catalog), wrapwidth=0)
    for entry in po:
        entry.msgstr = MARK + entry.msgid  # stands for a translation: text changes, code stays
    po.save(str(catalog))
    assert nb.check("fr", course=folder) == []
    edition = nbformat.read(nb.build(release, "fr", course=folder), as_version=4)
    assert [c.source for c in edition.cells if c.cell_type == "code"] == [
        c.source for c in english.cells if c.cell_type == "code"
    ]
    assert sum(c.cell_type == "markdown" and c.source.startswith(MARK) for c in edition.cells) > 5

    solutions = {
        cell.metadata["nbgrader"]["grade_id"]: cell.source
        for cell in source(course, ASSIGNMENT, name).cells
        if cell.metadata.get("nbgrader", {}).get("solution")
    }
    submit(course, "en1", ASSIGNMENT, {name: _solved(english, solutions)})
    submit(course, "fr1", ASSIGNMENT, {name: _solved(edition, solutions)})
    nbgrader(course, "autograde", ASSIGNMENT, "--force", "--log-level=WARN")

    stem = Path(name).stem
    in_english, in_french = (
        grades(course, ASSIGNMENT, stem, "en1"),
        grades(course, ASSIGNMENT, stem, "fr1"),
    )
    assert set(in_english) == set(in_french)
    assert {k: g.score for k, g in in_french.items()} == {k: g.score for k, g in in_english.items()}
    auto = [g for g in in_english.values() if g.auto and g.max_score]
    assert auto and all(g.score == g.max_score for g in auto), "the solutions earn full marks"
    graded_copy = nbformat.read(course / "autograded" / "fr1" / ASSIGNMENT / name, as_version=4)
    assert any(c.cell_type == "markdown" and c.source.startswith(MARK) for c in graded_copy.cells)
