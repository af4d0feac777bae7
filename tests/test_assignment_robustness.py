"""nbgrader grades a batch fairly when trainees hand in broken or tampered notebooks.

One batch of the first assignment, autograded with the course's own configuration
(with a short per-cell timeout so the test stays quick): an infinite loop times out
and the rest of that notebook and of the batch is graded; a deleted grading cell is
restored and run; a duplicated cell does not double the marks; a grading cell
changed to cheat is put back; a corrupted file is reported and the batch goes on.
"""

from __future__ import annotations

import copy

import nbformat
import pytest

from tests.nbgrader_course import grades, nbgrader, released, scratch_course, source, submit

ASSIGNMENT = "01-workplan"
NOTEBOOK = f"{ASSIGNMENT}.ipynb"


def meta(cell) -> dict:
    return cell.metadata.get("nbgrader", {})


def grading_cells(notebook) -> list:
    return [c for c in notebook.cells if meta(c).get("grade") and not meta(c).get("solution")]


def answer_cells(notebook) -> list:
    return [c for c in notebook.cells if meta(c).get("solution") and c.cell_type == "code"]


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    course = scratch_course(tmp_path_factory.mktemp("robust") / "course")
    nbgrader(course, "generate_assignment", ASSIGNMENT, "--force")
    solved = source(course, ASSIGNMENT, NOTEBOOK)
    blank = released(course, ASSIGNMENT, NOTEBOOK)

    looping = copy.deepcopy(solved)
    answer_cells(looping)[-1].source = "while True:\n    pass\n"

    deleted = copy.deepcopy(solved)
    first_test = grading_cells(deleted)[0]
    deleted.cells = [c for c in deleted.cells if c is not first_test]

    duplicated = copy.deepcopy(solved)
    original = grading_cells(duplicated)[0]
    clone = copy.deepcopy(original)
    clone["id"] = f"copy-of-{original['id']}"
    duplicated.cells.insert(duplicated.cells.index(original) + 1, clone)

    cheating = copy.deepcopy(blank)
    for cell in grading_cells(cheating):
        cell.source = 'print("Success!")'

    submit(course, "solved", ASSIGNMENT, {NOTEBOOK: solved})
    submit(course, "looping", ASSIGNMENT, {NOTEBOOK: looping})
    submit(course, "deleted", ASSIGNMENT, {NOTEBOOK: deleted})
    submit(course, "duplicated", ASSIGNMENT, {NOTEBOOK: duplicated})
    submit(course, "cheating", ASSIGNMENT, {NOTEBOOK: cheating})
    submit(course, "corrupt", ASSIGNMENT, {NOTEBOOK: b'{"cells": [ this is not json'})
    result = nbgrader(
        course, "autograde", ASSIGNMENT, "--force", "--Execute.timeout=8", check=False
    )
    return course, solved, result


def totals(course, student):
    marks = grades(course, ASSIGNMENT, NOTEBOOK, student)
    tests = {
        c.metadata["nbgrader"]["grade_id"]
        for c in grading_cells(source(course, ASSIGNMENT, NOTEBOOK))
    }
    chosen = [g for g in marks.values() if g.name in tests]
    return sum(g.score for g in chosen), sum(g.max_score for g in chosen), marks


@pytest.mark.slow
def test_corrupted_file_is_reported_and_the_batch_goes_on(batch):
    course, _, result = batch
    assert result.returncode == 1, "nbgrader exits 1 when a submission could not be graded"
    assert "corrupt" in result.stdout + result.stderr
    for student in ("solved", "looping", "deleted", "duplicated", "cheating"):
        assert (course / "autograded" / student / ASSIGNMENT / NOTEBOOK).exists(), student
    assert not (course / "autograded" / "corrupt" / ASSIGNMENT / NOTEBOOK).exists()


@pytest.mark.slow
def test_solved_notebook_earns_full_marks_in_a_mixed_batch(batch):
    course, _, _ = batch
    score, maximum, _ = totals(course, "solved")
    assert score == maximum > 0


@pytest.mark.slow
def test_infinite_loop_times_out_and_the_rest_is_graded(batch):
    course, solved, _ = batch
    score, maximum, marks = totals(course, "looping")
    last_test = meta(grading_cells(solved)[-1])["grade_id"]
    assert marks[last_test].score == 0, "the part whose answer loops must score nothing"
    assert 0 < score < maximum, "parts after the loop must still be graded"
    graded = nbformat.read(course / "autograded" / "looping" / ASSIGNMENT / NOTEBOOK, 4)
    last_test = grading_cells(graded)[-1]
    assert last_test.get("execution_count"), "the last grading cell must have run"


@pytest.mark.slow
def test_deleted_grading_cell_is_restored_and_run(batch):
    course, solved, _ = batch
    score, maximum, marks = totals(course, "deleted")
    first_test = meta(grading_cells(solved)[0])["grade_id"]
    assert first_test in marks
    assert marks[first_test].score == marks[first_test].max_score
    assert score == maximum


@pytest.mark.slow
def test_duplicated_cell_does_not_double_the_marks(batch):
    course, _, _ = batch
    score, maximum, _ = totals(course, "duplicated")
    _, solved_max, _ = totals(course, "solved")
    assert maximum == solved_max
    assert score == maximum


@pytest.mark.slow
def test_changed_grading_cells_are_put_back(batch):
    course, _, _ = batch
    score, maximum, _ = totals(course, "cheating")
    assert maximum > 0
    assert score == 0, "test cells rewritten to print Success! must be restored and fail"
