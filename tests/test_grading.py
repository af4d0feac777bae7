"""``cdatools grade`` on a cohort with bad submissions, checked against nbgrader itself.

On a scratch course holding the small sample assignment (two autograded parts of
2 points, one written part of 1 point), trainees hand in good and bad notebooks:
an infinite loop, a loop that ignores interrupts, a memory bomb, ``os._exit``, a
corrupted file, deleted and duplicated cells, a changed test cell and huge output.
Every good submission must be graded correctly, every bad one must end in the right
state, the submitted files must not change, and plain ``nbgrader autograde`` on a
copy of the same cohort must give identical grades.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import resource
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from cdatools.grading import cohort
from cdatools.grading.course import read_ledger
from cdatools.grading.run import GradeOptions, grade
from cdatools.grading.sample import SAMPLE_ASSIGNMENT, write_sample_source
from cdatools.grading.states import State
from tests.nbgrader_course import NBGRADER, nbgrader, released, scratch_course, source, submit

A = SAMPLE_ASSIGNMENT
NB = f"{A}.ipynb"
CELL_TIMEOUT = 3
MEMORY_MB = 1536
OPTIONS = GradeOptions(jobs=2, cell_timeout=CELL_TIMEOUT, notebook_timeout=25, memory_mb=MEMORY_MB)
STUBBORN_LOOP = (
    "import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nwhile True:\n    pass\n"
)

# Trainee -> (expected state, expected total score, excluded from the nbgrader run).
EXPECTED = {
    "solved": (State.GRADED, 4.0),
    "blank": (State.GRADED, 0.0),
    "partial": (State.GRADED, 2.0),
    "loop": (State.TIMED_OUT, 2.0),
    "stubborn": (State.TIMED_OUT, 0.0),
    "bomb": (State.OUT_OF_MEMORY, 2.0),
    "exits": (State.KERNEL_DIED, 0.0),
    "corrupt": (State.CORRUPT, 0.0),
    "changed_test": (State.TAMPERED, 0.0),
    "cut_and_paste": (State.TAMPERED, 4.0),
    "chatty": (State.GRADED, 4.0),
}


def build_cohort(course: Path) -> None:
    """Hand in the cohort of EXPECTED into a generated course."""
    release = released(course, A, NB)
    solutions = source(course, A, NB)
    solved = cohort.answered(release, solutions)
    first = cohort.answer_ids(release)[0]
    notebooks = {
        "solved": solved,
        "blank": release,
        "partial": cohort.answered(release, solutions, solved=[first]),
        "loop": cohort.with_code(solved, cohort.INFINITE_LOOP),
        "stubborn": cohort.with_code(solved, STUBBORN_LOOP),
        "bomb": cohort.with_code(solved, cohort.MEMORY_BOMB),
        "exits": cohort.with_code(solved, cohort.KERNEL_EXIT),
        "corrupt": cohort.corrupted(solved),
        "changed_test": cohort.with_changed_test(release),
        "cut_and_paste": cohort.with_duplicated_answer(cohort.without_first_test(solved)),
        "chatty": cohort.with_code(solved, cohort.HUGE_OUTPUT),
    }
    for student, notebook in notebooks.items():
        submit(course, student, A, {NB: notebook})


def new_course(folder: Path) -> Path:
    course = scratch_course(folder)
    write_sample_source(course)
    nbgrader(course, "generate_assignment", A, "--force")
    return course


def digests(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def gradebook_dump(course: Path, db_url: str | None = None) -> dict[tuple[str, str], tuple]:
    """Every grade of every submission: (student, grade id) -> scores and flags."""
    from nbgrader.api import Gradebook

    url = db_url or f"sqlite:///{course / 'gradebook.db'}"
    dump = {}
    with Gradebook(url, "cda-governance-trust") as gradebook:
        for submission in gradebook.find_assignment(A).submissions:
            for notebook in submission.notebooks:
                for grade_ in notebook.grades:
                    dump[(submission.student.id, grade_.name)] = (
                        grade_.auto_score,
                        grade_.manual_score,
                        float(grade_.score),
                        grade_.needs_manual_grade,
                    )
                for comment in notebook.comments:
                    dump[(submission.student.id, f"comment:{comment.name}")] = (
                        comment.auto_comment,
                    )
    return dump


@pytest.fixture(scope="module")
def cohort_course(tmp_path_factory):
    """A generated course with the bad cohort handed in, before any grading."""
    course = new_course(tmp_path_factory.mktemp("cohort") / "course")
    build_cohort(course)
    return course


@pytest.fixture(scope="module")
def graded(cohort_course, tmp_path_factory):
    """The cohort graded by cdatools, with the submitted files' digests before grading."""
    course = tmp_path_factory.mktemp("graded") / "course"
    shutil.copytree(cohort_course, course)
    before = digests(course / "submitted")
    outcomes = grade(course, A, OPTIONS)
    return course, {o.student: o for o in outcomes}, before


@pytest.mark.slow
def test_every_submission_ends_in_the_right_state(graded):
    _, outcomes, _ = graded
    assert set(outcomes) == set(EXPECTED)
    wrong = {
        student: (outcomes[student].state.label, outcomes[student].score, outcomes[student].details)
        for student, (state, score) in EXPECTED.items()
        if (outcomes[student].state, outcomes[student].score) != (state, score)
    }
    assert not wrong, f"unexpected states or scores: {wrong}"
    for outcome in outcomes.values():
        assert outcome.max_score == 5.0
        assert not outcome.skipped


@pytest.mark.slow
def test_flagged_submissions_say_what_happened(graded):
    _, outcomes, _ = graded
    assert any("share_answer" in d for d in outcomes["loop"].details)
    assert any("could not be interrupted" in d for d in outcomes["stubborn"].details)
    assert any("MemoryError" in d for d in outcomes["bomb"].details)
    assert any("kernel stopped" in d for d in outcomes["exits"].details)
    assert any("edited" in d and "share_test" in d for d in outcomes["changed_test"].details)
    details = " ".join(outcomes["cut_and_paste"].details)
    assert "deleted" in details and "appears 2 times" in details


@pytest.mark.slow
def test_runs_that_did_not_finish_keep_no_automatic_score(graded):
    course, _, _ = graded
    dump = gradebook_dump(course)
    for student in ("stubborn", "exits", "corrupt"):
        for name in ("share_test", "quick_wins_test"):
            auto, _, score, needs_manual = dump[(student, name)]
            assert auto is None and score == 0 and needs_manual, (student, name)
        assert not (course / "autograded" / student).exists()
    for student in ("solved", "loop", "bomb", "chatty", "cut_and_paste"):
        assert (course / "autograded" / student / A / NB).exists()


@pytest.mark.slow
def test_huge_output_is_cut_by_nbgrader(graded):
    course, _, _ = graded
    path = course / "autograded" / "chatty" / A / NB
    assert path.stat().st_size < 200_000
    assert "Output truncated" in path.read_text(encoding="utf-8")


@pytest.mark.slow
def test_submitted_files_are_never_changed(graded):
    course, _, before = graded
    assert digests(course / "submitted") == before


@pytest.mark.slow
def test_states_are_recorded_in_the_ledger(graded):
    course, outcomes, _ = graded
    ledger = read_ledger(course, A)
    assert {s: o.state for s, (o, _) in ledger.items()} == {s: o.state for s, o in outcomes.items()}


def _limit_memory() -> None:  # runs in the nbgrader child before exec
    limit = MEMORY_MB * 1024**2
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


@pytest.mark.slow
def test_scores_are_identical_to_nbgrader_autograde(cohort_course, graded, tmp_path):
    """Plain nbgrader (same cell time limit, same memory cap) on the same cohort."""
    course = tmp_path / "course"
    shutil.copytree(cohort_course, course)
    env = dict(os.environ)
    env["PATH"] = f"{NBGRADER.parent}{os.pathsep}{env.get('PATH', '')}"
    subprocess.run(
        [str(NBGRADER), "autograde", A, f"--Execute.timeout={CELL_TIMEOUT}"],
        cwd=course,
        env=env,
        capture_output=True,
        timeout=600,
        check=False,  # nbgrader exits 1 because some submissions failed
        preexec_fn=_limit_memory,
    )
    ours = gradebook_dump(graded[0])
    theirs = gradebook_dump(course)
    assert set(ours) == set(theirs)
    different = {key: (ours[key], theirs[key]) for key in ours if ours[key] != theirs[key]}
    assert not different, f"cdatools and nbgrader disagree: {different}"
    for student in sorted(EXPECTED):
        mine = graded[0] / "autograded" / student / A / NB
        assert mine.exists() == (course / "autograded" / student / A / NB).exists(), student


@pytest.mark.slow
def test_a_second_run_skips_and_force_regrades_the_same(graded, tmp_path):
    course = tmp_path / "course"
    shutil.copytree(graded[0], course)
    before = gradebook_dump(course)
    again = grade(course, A, OPTIONS)
    assert all(o.skipped for o in again)
    assert gradebook_dump(course) == before
    forced = grade(course, A, dataclasses.replace(OPTIONS, force=True))
    assert not any(o.skipped for o in forced)
    assert {o.student: (o.state, o.score) for o in forced} == {s: e for s, e in EXPECTED.items()}
    assert gradebook_dump(course) == before


@pytest.mark.slow
def test_regrading_keeps_manual_scores_and_drops_stale_passes(tmp_path):
    from nbgrader.api import Gradebook

    course = new_course(tmp_path / "course")
    release = released(course, A, NB)
    solved = cohort.answered(release, source(course, A, NB))
    submit(course, "amina", A, {NB: solved})
    assert grade(course, A, OPTIONS)[0].score == 4.0
    url = f"sqlite:///{course / 'gradebook.db'}"
    with Gradebook(url, "cda-governance-trust") as gradebook:
        gradebook.find_grade("trust_answer", A, A, "amina").manual_score = 1.0
        gradebook.db.commit()
    # The trainee hands in again, and this time the kernel dies half way.
    submit(course, "amina", A, {NB: cohort.with_code(solved, cohort.KERNEL_EXIT)})
    (outcome,) = grade(course, A, OPTIONS)
    assert outcome.state is State.KERNEL_DIED
    dump = gradebook_dump(course)
    assert dump[("amina", "trust_answer")][1] == 1.0
    assert dump[("amina", "share_test")][0] is None
    assert outcome.score == 1.0  # the manual point only


@pytest.mark.slow
def test_the_whole_notebook_time_budget_stops_a_run(tmp_path):
    course = new_course(tmp_path / "course")
    release = released(course, A, NB)
    solved = cohort.answered(release, source(course, A, NB))
    submit(course, "amina", A, {NB: cohort.with_code(solved, "import time\ntime.sleep(120)\n")})
    options = dataclasses.replace(OPTIONS, cell_timeout=60, notebook_timeout=8)
    (outcome,) = grade(course, A, options)
    assert outcome.state is State.TIMED_OUT
    assert any("budget" in d for d in outcome.details)
    assert 8 <= outcome.seconds < 30
    assert gradebook_dump(course)[("amina", "quick_wins_test")][0] is None


def test_grading_an_unknown_assignment_is_an_error(tmp_path):
    from cdatools.grading.run import GradingError

    course = new_course(tmp_path / "course")
    submit(course, "amina", "no-such-assignment", {NB: released(course, A, NB)})
    with pytest.raises(GradingError, match="no assignment 'no-such-assignment'"):
        grade(course, "no-such-assignment", OPTIONS)


def test_cli_grade_exit_codes_and_summary(tmp_path):
    course = new_course(tmp_path / "course")
    submit(course, "amina", A, {NB: released(course, A, NB)})
    submit(course, "bakary", A, {NB: cohort.corrupted(released(course, A, NB))})
    script = Path(sys.executable).with_name("cdatools")
    env = dict(os.environ)
    env["PATH"] = f"{script.parent}{os.pathsep}{env.get('PATH', '')}"
    run = subprocess.run(
        [
            str(script),
            "grade",
            A,
            "--jobs",
            "2",
            "--course-dir",
            str(course),
            "--cell-timeout",
            "5",
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env=env,
    )
    assert run.returncode == 0, run.stderr
    assert "[2/2]" in run.stderr
    lines = {line.split()[0]: line for line in run.stdout.splitlines() if line.strip()}
    assert "graded" in lines["amina"] and "corrupt notebook" in lines["bakary"]
    unknown = subprocess.run(
        [str(script), "grade", "nothing-here", "--course-dir", str(course)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env=env,
    )
    assert unknown.returncode == 1
    assert "the course has no assignment 'nothing-here'" in unknown.stderr
    assert "Traceback" not in unknown.stderr


def test_sample_notebook_is_valid():
    from cdatools.grading.sample import sample_notebook

    nbformat.validate(sample_notebook())


@pytest.mark.slow
def test_cohort_report(graded, tmp_path):
    from nbgrader.api import Gradebook

    from cdatools.grading.report import write_report

    course = tmp_path / "course"
    shutil.copytree(graded[0], course)
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", "cda-governance-trust") as gradebook:
        gradebook.update_or_create_student("absent", first_name="Ama", last_name="Owusu")
    paths = write_report(course, A)
    assert paths["html"] == course / "reports" / A / "report.html"
    scores = pd.read_csv(paths["csv"]).set_index("student")
    assert scores.loc["absent", "state"] == "not submitted"
    assert scores.loc["solved", "score"] == 4.0 and scores.loc["solved", "percent"] == 80.0
    assert scores.loc["exits", "state"] == "kernel died"
    assert "share_test" in scores.loc["exits", "needs_manual_grading"]
    questions = pd.read_csv(paths["questions"])
    assert set(questions["question"]) == {"share_test", "quick_wins_test", "trust_answer"}
    page = paths["html"].read_text(encoding="utf-8")
    for needle in (
        'src="score-distribution.png"',
        'src="questions.png"',
        "Ama Owusu",
        "kernel died",
    ):
        assert needle in page
    for figure in ("distribution", "figure"):
        assert paths[figure].read_bytes().startswith(b"\x89PNG")
