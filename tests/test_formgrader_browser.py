"""A trainer grades a written part in the formgrader of ``make lab ROLE=trainer``, in chromium.

The course is a scratch nbgrader course with the small sample assignment; one trainee
handed in and ``cdatools grade`` graded the code parts. ``make lab ROLE=trainer
COURSE=<course>`` serves it. The trainer goes in the documented way (the lab's address
with its token first, then the formgrader), opens *Manual Grading*, the assignment, the
notebook and the submission, types points and a comment for the written part, and
reloads the page: the score and the comment are still there, and in the gradebook.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from cdatools.grading import cohort
from cdatools.grading.run import GradeOptions, grade
from cdatools.grading.sample import SAMPLE_ASSIGNMENT, write_sample_source
from tests.jupyter_lab import chromium_page, free_port, require_chromium, screenshot, serving
from tests.nbgrader_course import nbgrader, released, scratch_course, source, submit

REPO_ROOT = Path(__file__).resolve().parents[1]
TOKEN = "cda-formgrader-test"
A = SAMPLE_ASSIGNMENT
NB = f"{A}.ipynb"
COMMENT = "Links early results to trust between competitors: 1 point. Café, 5 $ — fine."


@pytest.fixture
def graded_course(tmp_path):
    course = scratch_course(tmp_path / "course")
    write_sample_source(course)
    nbgrader(course, "generate_assignment", A, "--force")
    solved = cohort.answered(released(course, A, NB), source(course, A, NB), written="strong")
    submit(course, "amina", A, {NB: solved})
    (outcome,) = grade(course, A, GradeOptions(jobs=1, cell_timeout=10, notebook_timeout=120))
    assert outcome.score == 4.0
    return course


@pytest.mark.slow
def test_a_trainer_grades_a_written_part_and_it_is_saved(graded_course, tmp_path):
    require_chromium()
    if sys.prefix == sys.base_prefix:
        pytest.skip("make lab is tested from the project's virtual environment (run 'make test')")
    from nbgrader.api import Gradebook

    port = free_port()
    env = dict(os.environ)
    for name in ("JUPYTER_CONFIG_DIR", "JUPYTERLAB_SETTINGS_DIR", "JUPYTERLAB_WORKSPACES_DIR"):
        env[name] = str(tmp_path / name.lower())
    command = [
        "make",
        "-s",
        "lab",
        "ROLE=trainer",
        f"COURSE={graded_course}",
        f"PORT={port}",
        "BROWSER=no",
        f"TOKEN={TOKEN}",
        f"VENV={sys.prefix}",
    ]
    base = f"http://127.0.0.1:{port}"
    log = tmp_path / "lab.log"
    with serving(command, env=env, cwd=REPO_ROOT, log=log, url=base, token=TOKEN):
        with chromium_page() as page:
            try:
                # The documented way in: the lab's address with its token, then the formgrader.
                page.goto(f"{base}/lab?token={TOKEN}")
                page.wait_for_selector("#jp-main-dock-panel", timeout=90_000)
                page.goto(f"{base}/formgrader/gradebook")
                page.click(f"a:text-is('{A}')", timeout=60_000)
                page.click(f"a:text-is('{A}')", timeout=60_000)  # the notebook
                page.click("a:has-text('Submission #1')", timeout=60_000)
                score = page.locator("input.score#trust_answer")
                score.wait_for(timeout=60_000)
                assert page.locator("text=Part C (1 point)").count() >= 1
                score.fill("1")
                score.press("Tab")
                comment = page.locator("textarea#trust_answer-comment")
                comment.fill(COMMENT)
                comment.press("Tab")
                page.wait_for_function(
                    "() => [...document.querySelectorAll('.score-saved, .comment-saved')]"
                    ".filter(e => e.offsetParent !== null).length >= 2",
                    timeout=30_000,
                )
                page.reload()
                page.wait_for_selector("input.score#trust_answer", timeout=60_000)
                page.wait_for_function(
                    "() => document.querySelector('input.score#trust_answer').value === '1'",
                    timeout=30_000,
                )
                assert page.locator("textarea#trust_answer-comment").input_value() == COMMENT
            except Exception:
                screenshot(page, "formgrader-manual-grading")
                print(log.read_text(errors="replace")[-4000:])
                raise
    url = f"sqlite:///{graded_course / 'gradebook.db'}"
    with Gradebook(url, "cda-governance-trust") as gradebook:
        saved = gradebook.find_grade("trust_answer", A, A, "amina")
        assert (saved.manual_score, saved.needs_manual_grade) == (1.0, False)
        assert gradebook.find_comment("trust_answer", A, A, "amina").manual_comment == COMMENT
        assert gradebook.find_submission(A, "amina").score == 5.0
    assert not (REPO_ROOT / "gradebook.db").exists()
