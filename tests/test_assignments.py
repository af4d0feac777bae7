"""The graded assignments grade correctly and fairly with a real nbgrader.

For every assignment, on a scratch copy of the course root: the source version
(with solutions) handed in as a trainee earns full marks on every autograded part,
the student version handed in unchanged earns (almost) nothing, a partly solved
notebook earns part of the marks, and feedback shows no hidden test and no mark
scheme. The committed student versions in ``exercises/release`` must match what
nbgrader generates from the sources. The graded batch is shared with
tests/test_fairness.py (tests/fairness/batch.py): one autograde call per assignment.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from tests.fairness.batch import (
    SOLUTION_BLOCK,
    graded_all,
    nbgrader_meta,
    notebooks_of,
    visible_text,
)
from tests.fairness.batch import secret_lines as _secret_lines
from tests.nbgrader_course import EXERCISES, grades, source

ASSIGNMENTS = sorted(p.name for p in (EXERCISES / "source").iterdir() if p.is_dir())
EXPECTED = ["01-workplan", "02-governance", "03-trust", "04-joint-actions", "05-capstone-chontales"]
# A blank notebook may pass a check by accident (an empty list is "sorted", say).
BLANK_BOUND = 0.05


@pytest.fixture(scope="module", params=ASSIGNMENTS)
def graded(request, tmp_path_factory):
    """An assignment generated, handed in by trainees, autograded and fed back.

    The batch is shared with tests/test_fairness.py (one autograde call per assignment):
    ``solved``, ``blank`` and ``partial`` are graded there with the fairness variants.
    """
    batch = graded_all(tmp_path_factory.mktemp("graded"))[request.param]
    return batch.course, batch.assignment, [batch.notebook]


def autograded_totals(course: Path, assignment: str, names: list[str], student: str):
    score = maximum = 0.0
    for name in names:
        for grade in grades(course, assignment, name, student).values():
            if grade.auto and grade.max_score and _is_test_cell(course, assignment, grade.name):
                score += grade.score
                maximum += grade.max_score
    return score, maximum


def _is_test_cell(course: Path, assignment: str, grade_id: str) -> bool:
    for name in notebooks_of(assignment):
        for cell in source(course, assignment, name).cells:
            meta = nbgrader_meta(cell)
            if meta.get("grade_id") == grade_id:
                return meta.get("grade") and not meta.get("solution")
    return False


def test_the_five_assignments_exist():
    assert ASSIGNMENTS == EXPECTED


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_points_headings_and_grade_ids(assignment):
    for name in notebooks_of(assignment):
        notebook = nbformat.read(EXERCISES / "source" / assignment / name, as_version=4)
        auto = manual = 0.0
        heading_points = 0.0
        for cell in notebook.cells:
            meta = nbgrader_meta(cell)
            if meta.get("grade"):
                assert re.fullmatch(r"[a-z][a-z0-9_]+", meta["grade_id"]), (
                    f"{name}: grade id {meta['grade_id']!r} is not a readable snake_case name"
                )
                if meta.get("solution"):
                    manual += meta["points"]
                else:
                    auto += meta["points"]
            if cell.cell_type == "markdown":
                for points in re.findall(r"^## Part \w+ \((\d+) points?\)", cell.source, re.M):
                    heading_points += float(points)
        assert auto + manual > 0
        assert auto / (auto + manual) >= 0.6, f"{name}: autograded parts are under 60% of points"
        assert heading_points == auto + manual, (
            f"{name}: the part headings announce {heading_points} points, "
            f"the graded cells carry {auto + manual}"
        )


@pytest.mark.slow
def test_solutions_earn_full_marks(graded):
    course, assignment, names = graded
    score, maximum = autograded_totals(course, assignment, names, "solved")
    assert maximum > 0
    failing = {
        grade.name: grade.score
        for name in names
        for grade in grades(course, assignment, name, "solved").values()
        if grade.auto
        and grade.score < grade.max_score
        and _is_test_cell(course, assignment, grade.name)
    }
    assert not failing, f"{assignment}: the solutions lose points on {failing}"
    assert score == maximum


@pytest.mark.slow
def test_unchanged_student_version_earns_almost_nothing(graded):
    course, assignment, names = graded
    score, maximum = autograded_totals(course, assignment, names, "blank")
    assert score <= BLANK_BOUND * maximum, (
        f"{assignment}: a blank notebook scores {score}/{maximum}"
    )


@pytest.mark.slow
def test_partial_answers_earn_partial_marks(graded):
    course, assignment, names = graded
    score, maximum = autograded_totals(course, assignment, names, "partial")
    assert 0 < score < maximum, f"{assignment}: a partly solved notebook scores {score}/{maximum}"


@pytest.mark.slow
def test_feedback_hides_hidden_tests_and_mark_schemes(graded):
    course, assignment, names = graded
    for name in names:
        secrets = _secret_lines(source(course, assignment, name))
        assert secrets, f"{name}: expected hidden tests to look for"
        for student in ("solved", "blank", "partial"):
            html = (course / "feedback" / student / assignment / name).with_suffix(".html")
            text = visible_text(html.read_text(encoding="utf-8"))
            assert "Success!" in text or student == "blank"
            leaked = [line for line in secrets if line in text]
            assert not leaked, f"{html.name} for {student} shows hidden lines: {leaked[:3]}"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_committed_student_versions_hold_no_secrets(assignment):
    for name in notebooks_of(assignment):
        path = EXERCISES / "release" / assignment / name
        assert path.exists(), f"{path} is missing: run 'make assignments'"
        text = path.read_text(encoding="utf-8")
        for marker in ("BEGIN SOLUTION", "BEGIN HIDDEN TESTS", "BEGIN MARK SCHEME"):
            assert marker not in text, f"{path} contains {marker!r}"
        secret = _secret_lines(nbformat.read(EXERCISES / "source" / assignment / name, 4))
        student = nbformat.read(path, as_version=4)
        body = "\n".join(cell.source for cell in student.cells)
        source_nb = nbformat.read(EXERCISES / "source" / assignment / name, as_version=4)
        solutions = [
            line.strip()
            for cell in source_nb.cells
            for block in SOLUTION_BLOCK.findall(cell.source)
            for line in block.splitlines()
            if len(line.strip()) > 25
        ]
        leaked = [line for line in secret + solutions if line in body]
        assert not leaked, f"{path} leaks solution or hidden lines: {leaked[:3]}"


@pytest.mark.slow
def test_committed_student_versions_are_up_to_date(tmp_path_factory):
    batches = graded_all(tmp_path_factory.mktemp("graded"))
    for assignment in ASSIGNMENTS:
        course = batches[assignment].course  # nbgrader generated it from the sources
        for name in notebooks_of(assignment):
            fresh = nbformat.read(course / "release" / assignment / name, as_version=4)
            committed = nbformat.read(EXERCISES / "release" / assignment / name, as_version=4)
            assert fresh == committed, (
                f"exercises/release/{assignment}/{name} is out of date with its source: "
                "run 'make assignments' and commit the result"
            )
