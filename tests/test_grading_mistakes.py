"""Ordinary mistakes with the trainer commands get a clear message, not a traceback.

Each case runs the real ``cdatools`` command: the report before any grading, a typo
in the assignment's name, a folder that is not a course, and a second grading run
while the first is still going. Each must exit non-zero, say what is wrong and what
to do, and leave no file behind.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cdatools.grading import cohort
from cdatools.grading.course import CourseError, grading_lock, unknown_assignment_message
from cdatools.grading.sample import SAMPLE_ASSIGNMENT, write_sample_source
from tests.nbgrader_course import nbgrader, released, scratch_course, source, submit

SCRIPT = Path(sys.executable).with_name("cdatools")
A = SAMPLE_ASSIGNMENT
NB = f"{A}.ipynb"


def cdatools(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env["PATH"] = f"{SCRIPT.parent}{os.pathsep}{env.get('PATH', '')}"
    return subprocess.run(
        [str(SCRIPT), *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300
    )


def files(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*")}


def clear_failure(result: subprocess.CompletedProcess[str], *needles: str) -> None:
    assert result.returncode == 1, (result.returncode, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr + result.stdout, result.stderr
    for needle in needles:
        assert needle in result.stderr, result.stderr


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """The course's five assignments plus the sample, with the sample generated."""
    course = scratch_course(tmp_path_factory.mktemp("mistakes") / "course")
    write_sample_source(course)
    nbgrader(course, "generate_assignment", A, "--force")
    return course


def test_a_folder_that_is_not_a_course_is_named_and_left_as_it_was(tmp_path):
    (tmp_path / "notes.txt").write_text("my notes")
    before = files(tmp_path)
    for command in (
        ["report", "01-workplan"],
        ["grade", "01-workplan"],
        ["feedback", "01-workplan"],
        ["markscheme", "01-workplan"],
    ):
        result = cdatools(*command, cwd=tmp_path)
        clear_failure(result, f"{tmp_path} is not an nbgrader course folder", "--course-dir")
        assert files(tmp_path) == before, "no gradebook.db or anything else may be left"


def test_a_typo_in_the_assignment_gets_the_nearest_names(generated):
    before = files(generated)
    for command in ("report", "grade", "feedback", "markscheme"):
        result = cdatools(command, "01-workplna", "--course-dir", str(generated), cwd=generated)
        clear_failure(
            result, "no assignment '01-workplna'", "Did you mean '01-workplan'?", "05-capstone"
        )
        assert "generate_assignment 01-workplna" not in result.stderr
    assert files(generated) == before


def test_the_report_before_grading_says_to_grade_first(generated):
    before = files(generated)
    result = cdatools("report", A, cwd=generated)
    clear_failure(result, f"no submission of {A} has been graded yet", f"cdatools grade {A}")
    # An assignment that exists in source/ but was never generated: the same advice.
    result = cdatools("report", "03-trust", cwd=generated)
    clear_failure(result, "no submission of 03-trust has been graded yet")
    assert files(generated) == before


def test_a_second_grading_run_on_the_same_course_is_refused(generated, tmp_path):
    course = tmp_path / "course"
    import shutil

    shutil.copytree(generated, course)
    solved = cohort.answered(released(course, A, NB), source(course, A, NB))
    submit(course, "slow", A, {NB: cohort.with_code(solved, "import time\ntime.sleep(15)\n")})
    env = dict(os.environ)
    env["PATH"] = f"{SCRIPT.parent}{os.pathsep}{env.get('PATH', '')}"
    first = subprocess.Popen(
        [str(SCRIPT), "grade", A, "--jobs", "1"],
        cwd=course,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        lock = course / ".cdatools-grading.lock"
        deadline = time.monotonic() + 60
        while not lock.exists():
            assert first.poll() is None, first.communicate()
            assert time.monotonic() < deadline, "the first run never took the lock"
            time.sleep(0.2)
        second = cdatools("grade", A, cwd=course)
        clear_failure(second, "another 'cdatools grade' is running on this course", f"grading {A}")
        out, err = first.communicate(timeout=240)
    finally:
        if first.poll() is None:
            first.kill()
    assert first.returncode == 0, err
    assert "slow" in out
    assert not lock.exists(), "the lock is removed when the run ends"
    log = (course / "reports" / A / "grading.log").read_text()
    assert log.count("===== worker-1 =====") == 1, "the second run must not overwrite the log"


def test_the_lock_is_taken_once_and_released(tmp_path):
    with grading_lock(tmp_path, "01-workplan") as path:
        assert "grading 01-workplan" in path.read_text()
        with pytest.raises(CourseError, match="another 'cdatools grade' is running"):
            with grading_lock(tmp_path, "02-governance"):
                pass
    assert not path.exists()
    with grading_lock(tmp_path, "02-governance"):
        pass


def test_nearest_names_for_typos():
    names = ["01-workplan", "02-governance", "03-trust", "04-joint-actions"]
    assert "Did you mean '04-joint-actions'?" in unknown_assignment_message("joint", names)
    assert "Did you mean '02-governance'?" in unknown_assignment_message("02-governence", names)
    assert "Did you mean" not in unknown_assignment_message("zzz", names)
