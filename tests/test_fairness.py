"""Fair grading: every autograded part credits right answers and only right answers.

For each assignment, ``tests/fairness/<module>.py`` lists, per autograded part (by the
grade id of its answer cell), answers written the ways trainees write them: at least two
correct ones written differently and at least two plausible wrong ones. They are graded
by a real ``nbgrader autograde`` with the course's configuration:

- a correct answer earns the part's full marks, a wrong one earns nothing for that part;
- later parts keep their marks when they are right given the earlier answer, wrong or
  not (errors are carried forward);
- the feedback of these submissions, many with failed checks, shows no hidden test line
  and no traceback of a check, only plain messages.

To stay quick the answers are batched (see tests/fairness/batch.py): one submission
carries one answer for every part, and all submissions of an assignment, with those of
tests/test_assignments.py, are graded by one ``nbgrader autograde`` call.
"""

from __future__ import annotations

import re

import nbformat
import pytest

from cdatools.nbgrader_fixes import plain_failure
from tests.fairness.batch import (
    MODULES,
    Graded,
    autograded_parts,
    fixtures_of,
    graded_all,
    secret_lines,
    variant_student,
    visible_text,
)
from tests.nbgrader_course import EXERCISES, grades, source

ANSI = re.compile(r"\x1b\[[0-9;]*m")


@pytest.fixture(scope="module")
def batches(tmp_path_factory) -> dict[str, Graded]:
    return graded_all(tmp_path_factory.mktemp("graded"))


def scores(graded: Graded):
    for k, chosen in enumerate(graded.batch):
        yield (
            k,
            chosen,
            grades(graded.course, graded.assignment, graded.notebook, variant_student(k)),
        )


@pytest.mark.parametrize("assignment", list(MODULES))
def test_every_autograded_part_has_fixtures(assignment):
    notebook = nbformat.read(
        EXERCISES / "source" / assignment / f"{assignment}.ipynb", as_version=4
    )
    fixtures = fixtures_of(assignment)
    parts = autograded_parts(notebook)
    assert parts, assignment
    assert set(fixtures) == set(parts), (
        f"{assignment}: fixtures for {sorted(fixtures)}, autograded parts {sorted(parts)}"
    )
    for part in parts:
        assert len(fixtures[part]["right"]) >= 2, f"{assignment} {part}: two right answers"
        assert len(fixtures[part]["wrong"]) >= 2, f"{assignment} {part}: two wrong answers"
        for kind, variants in fixtures[part].items():
            for name, code in variants.items():
                compile(code, f"{assignment}:{part}:{kind}:{name}", "exec")


@pytest.mark.slow
@pytest.mark.parametrize("assignment", list(MODULES))
def test_right_answers_earn_full_marks_and_wrong_ones_nothing(batches, assignment):
    graded = batches[assignment]
    unfair = []
    for k, chosen, marks in scores(graded):
        for part, answer in chosen.items():
            grade = marks[f"{part}_tests"]
            wanted = grade.max_score if answer.right else 0.0
            if grade.score != wanted:
                kind = "right" if answer.right else "wrong"
                unfair.append(
                    f"{variant_student(k)} {part}: {kind} answer {answer.name!r} "
                    f"scored {grade.score}/{grade.max_score}"
                )
    assert not unfair, f"{assignment}:\n" + "\n".join(unfair)


@pytest.mark.slow
@pytest.mark.parametrize("assignment", list(MODULES))
def test_errors_are_carried_forward(batches, assignment):
    """Right later parts keep their marks in submissions with a wrong earlier part."""
    graded = batches[assignment]
    parts = list(graded.batch[0])
    carried = set()
    for _, chosen, marks in scores(graded):
        for i, part in enumerate(parts):
            if not chosen[part].right:
                for later in parts[i + 1 :]:
                    grade = marks[f"{later}_tests"]
                    if chosen[later].right and grade.score == grade.max_score:
                        carried.add(later)
    assert len(carried) >= len(parts) // 2, (
        f"{assignment}: only {sorted(carried)} were graded right after a wrong earlier part"
    )


@pytest.mark.slow
@pytest.mark.parametrize("assignment", list(MODULES))
def test_feedback_on_failed_checks_shows_no_hidden_test(batches, assignment):
    graded = batches[assignment]
    secrets = secret_lines(source(graded.course, graded.assignment, graded.notebook))
    failed_checks = 0
    for k, _, _ in scores(graded):
        student = variant_student(k)
        html = graded.course / "feedback" / student / assignment / graded.notebook
        text = visible_text(html.with_suffix(".html").read_text(encoding="utf-8"))
        leaked = [line for line in secrets if line in text]
        assert not leaked, f"{student}: feedback shows hidden lines {leaked[:3]}"
        autograded = nbformat.read(
            graded.course / "autograded" / student / assignment / graded.notebook, as_version=4
        )
        for cell in autograded.cells:
            meta = cell.metadata.get("nbgrader", {})
            if not meta.get("grade") or meta.get("solution") or cell.cell_type != "code":
                continue
            for output in cell.outputs:
                if output.output_type != "error":
                    continue
                failed_checks += 1
                frames = ANSI.sub("", "\n".join(output.traceback)).splitlines()
                shown = [
                    f
                    for f in frames
                    if re.search(r"\w{3}", f) and len(f.strip()) > 25 and f.strip() in text
                ]
                assert not shown, (
                    f"{student}, {meta['grade_id']}: feedback shows the traceback {shown[:3]}"
                )
                if output.ename == "AssertionError" and output.evalue.strip():
                    said = "This check did not pass: " + output.evalue.strip().splitlines()[0]
                else:
                    said = plain_failure(output.ename, output.evalue).splitlines()[0]
                assert said in text, (
                    f"{student}, {meta['grade_id']}: the feedback does not say {said!r}"
                )
    assert failed_checks, f"{assignment}: the batch should have failed checks to look at"


@pytest.mark.parametrize(
    ("ename", "evalue", "said", "unsaid"),
    [
        ("AssertionError", "`draft` should keep the order.", "did not pass: `draft` should", ""),
        ("AssertionError", "", "A check of this part did not pass", "AssertionError"),
        ("NameError", "name 'draft' is not defined", "name 'draft' is not defined", ""),
        ("KeyError", "'JA05'", "KeyError", "JA05"),
        ("ValueError", "expected [1, 2, 3]", "ValueError", "[1, 2, 3]"),
    ],
)
def test_plain_failure_gives_the_message_never_the_values(ename, evalue, said, unsaid):
    text = plain_failure(ename, evalue)
    assert said in text
    assert not unsaid or unsaid not in text
