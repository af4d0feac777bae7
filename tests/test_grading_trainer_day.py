"""A trainer's day after grading: the grader's sheet, feedback that follows the gradebook,
feedback that needs no internet, and reports and exports that say what is final.

The course is a scratch copy of ``exercises/`` (its real ``nbgrader_config.py``) with
the small sample assignment: one trainee hands in a full answer, one a corrupted file,
and one never hands in. Everything runs for real: nbgrader, ``cdatools grade``,
``cdatools feedback``, ``cdatools report`` and the guide's own nbgrader command.
"""

from __future__ import annotations

import dataclasses
import html
import html.parser
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from cdatools.grading import cohort
from cdatools.grading.markscheme import write_sheet, written_parts
from cdatools.grading.run import GradeOptions, grade
from cdatools.grading.sample import SAMPLE_ASSIGNMENT, write_sample_source
from tests.nbgrader_course import EXERCISES, nbgrader, released, scratch_course, source, submit

A = SAMPLE_ASSIGNMENT
NB = f"{A}.ipynb"
SCRIPT = Path(sys.executable).with_name("cdatools")
OPTIONS = GradeOptions(jobs=2, cell_timeout=10, notebook_timeout=120)
ASSIGNMENTS = sorted(p.name for p in (EXERCISES / "source").iterdir() if p.is_dir())


def cdatools(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env["PATH"] = f"{SCRIPT.parent}{os.pathsep}{env.get('PATH', '')}"
    return subprocess.run(
        [str(SCRIPT), *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=600
    )


def set_manual_grade(course: Path, student: str, points: float, comment: str) -> None:
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", "cda-governance-trust") as gradebook:
        # What the formgrader's save does (nbgrader's GradeHandler.put).
        grade_ = gradebook.find_grade("trust_answer", A, A, student)
        grade_.manual_score, grade_.needs_manual_grade = points, False
        gradebook.find_comment("trust_answer", A, A, student).manual_comment = comment
        gradebook.db.commit()


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """The sample graded: amina (full answers), bakary (corrupted file), chidi (absent)."""
    from nbgrader.api import Gradebook

    course = scratch_course(tmp_path_factory.mktemp("day") / "course")
    write_sample_source(course)
    nbgrader(course, "generate_assignment", A, "--force")
    solved = cohort.answered(released(course, A, NB), source(course, A, NB), written="strong")
    submit(course, "amina", A, {NB: solved})
    submit(course, "bakary", A, {NB: cohort.corrupted(solved)})
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", "cda-governance-trust") as gradebook:
        gradebook.update_or_create_student("chidi", first_name="Chidi", last_name="Okafor")
    grade(course, A, OPTIONS)
    return course


def copy_of(course: Path, tmp_path: Path) -> Path:
    target = tmp_path / "course"
    shutil.copytree(course, target)
    return target


# ---------------------------------------------------------------- the grader's sheet


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_the_graders_sheet_holds_every_written_part(assignment, tmp_path):
    out = tmp_path / "sheet.html"
    assert write_sheet(EXERCISES, assignment, out=out)[0] == out
    page = out.read_text(encoding="utf-8")
    notebooks = sorted((EXERCISES / "source" / assignment).glob("*.ipynb"))
    parts = [p for nb in notebooks for p in written_parts(nbformat.read(nb, 4), nb.stem)]
    assert parts, f"{assignment} has parts graded by hand"
    for part in parts:
        cell = next(
            c
            for nb in notebooks
            for c in nbformat.read(nb, 4).cells
            if c.metadata.get("nbgrader", {}).get("grade_id") == part.grade_id
        )
        assert f'<h2>{part.grade_id} <span class="points">{part.points:g} points' in page
        # The question trainees read, and the mark scheme's own words, are on the page.
        heading = re.search(r"## (Part [A-Z]) \((\d+) points?\)", part.question)
        assert heading and float(heading.group(2)) == part.points, part.question[:80]
        assert heading.group(1) in page
        assert "Mark scheme" in cell.source or "MARK SCHEME" in cell.source
        text = html.unescape(re.sub(r"<[^>]+>", "", page))
        checked = 0
        for line in part.mark_scheme.splitlines():
            words = re.sub(r"^\s*([-*]|\d+\.)\s+", "", re.sub(r"[*_`]", "", line)).strip()
            if len(words) > 40 and "|" not in line:
                assert words[:30] in text, words
                checked += 1
        assert checked >= 2, f"{part.grade_id}: the mark scheme's text is on the sheet"
    assert external(page) == [], "the sheet works offline"


def test_cdatools_markscheme_writes_the_sheet_into_the_course(tmp_path):
    course = scratch_course(tmp_path / "course")
    result = cdatools("markscheme", "04-joint-actions", cwd=course)
    assert result.returncode == 0, result.stderr
    sheet = course / "reports" / "04-joint-actions" / "markscheme.html"
    assert f"(2 parts graded by hand, 10 points): {sheet}" in result.stdout
    assert "business_case" in sheet.read_text(encoding="utf-8")


def test_the_sheet_of_an_unknown_assignment_suggests_names(tmp_path):
    result = cdatools("markscheme", "03-turst", "--course-dir", str(EXERCISES), cwd=tmp_path)
    assert result.returncode == 1 and "Did you mean '03-trust'?" in result.stderr
    assert "Traceback" not in result.stderr


# ---------------------------------------------------------------- feedback


class _Resources(html.parser.HTMLParser):
    """Every address a page loads (scripts, styles, images, frames, CSS url())."""

    def __init__(self) -> None:
        super().__init__()
        self.loaded: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in {"script", "img", "iframe", "video", "audio", "source"} and attrs.get("src"):
            self.loaded.append(attrs["src"])
        if tag == "link" and attrs.get("href"):
            self.loaded.append(attrs["href"])

    def handle_data(self, data):
        self.loaded += re.findall(r"url\(\s*['\"]?([^)'\"]+)", data)
        self.loaded += re.findall(r"@import\s+['\"]([^'\"]+)", data)


def external(page: str) -> list[str]:
    parser = _Resources()
    parser.feed(page)
    return [url for url in parser.loaded if re.match(r"(https?:)?//", url)]


@pytest.mark.slow
def test_feedback_follows_the_gradebook_and_works_offline(graded, tmp_path):
    course = copy_of(graded, tmp_path)
    first = cdatools("feedback", A, cwd=course)
    assert first.returncode == 0, first.stderr
    html_file = course / "feedback" / "amina" / A / f"{A}.html"
    assert "1 feedback files written" in first.stdout
    # The corrupted submission gets none, and the trainer is told what to do.
    assert "bakary: corrupt notebook" in first.stdout
    assert f"cdatools grade {A} --student bakary --force" in first.stdout
    for output in (first.stdout, first.stderr):
        assert "not recognized" not in output and "Traceback" not in output
    page = html_file.read_text(encoding="utf-8")
    assert external(page) == [], "feedback must load nothing from another host"
    assert "cdnjs" not in page and "MathJax.Hub" not in page

    # The trainer grades the written part in the formgrader (here through nbgrader's API).
    set_manual_grade(course, "amina", 1.0, "Clear link between quick wins and trust: 1 point.")
    again = cdatools("feedback", A, cwd=course)
    assert again.returncode == 0, again.stderr
    assert "Clear link between quick wins and trust" in html_file.read_text(encoding="utf-8")

    # The guide's exact command does the same after another change.
    set_manual_grade(course, "amina", 0.5, "Half a point: name the competitors.")
    guide = nbgrader(course, "generate_feedback", A, "--force")
    assert "not recognized" not in guide.stdout + guide.stderr
    page = html_file.read_text(encoding="utf-8")
    assert "Half a point: name the competitors." in page
    assert external(page) == []


# ---------------------------------------------------------------- what is final


@pytest.mark.slow
def test_reports_and_exports_say_what_is_final(graded, tmp_path):
    course = copy_of(graded, tmp_path)
    result = cdatools("report", A, cwd=course)
    assert result.returncode == 0, result.stderr
    scores = pd.read_csv(course / "reports" / A / "scores.csv").set_index("student")
    assert scores.loc["amina", "status"] == "not final: 1 written part to grade"
    assert pd.isna(scores.loc["amina", "trust_answer"]), "an ungraded part is empty, not 0"
    assert scores.loc["amina", "score"] == 4.0
    assert scores.loc["bakary", "status"].startswith("not final: corrupt notebook")
    assert pd.isna(scores.loc["bakary", "score"]) and pd.isna(scores.loc["bakary", "share_test"])
    assert scores.loc["chidi", "status"] == "not submitted: no score"
    assert pd.isna(scores.loc["chidi", "score"])
    assert not scores["final"].any()
    questions = pd.read_csv(course / "reports" / A / "questions.csv").set_index("question")
    # Means over the answers that have a score: bakary's missing scores do not count as 0.
    assert questions.loc["share_test", "graded"] == 1
    assert questions.loc["share_test", "mean"] == 2.0
    assert questions.loc["trust_answer", "graded"] == 0
    page = (course / "reports" / A / "report.html").read_text(encoding="utf-8")
    for needle in (
        "0 of 2 submitted scores are final",
        "What is final",
        "nbgrader export",
        "Re-grading and your manual grades",
        f"cdatools grade {A} --student bakary --force",
        "Nothing yet: no feedback file",
    ):
        assert needle in page, needle

    set_manual_grade(course, "amina", 1.0, "Good.")
    cdatools("report", A, cwd=course)
    scores = pd.read_csv(course / "reports" / A / "scores.csv").set_index("student")
    assert scores.loc["amina", "status"] == "final" and scores.loc["amina", "score"] == 5.0
    questions = pd.read_csv(course / "reports" / A / "questions.csv").set_index("question")
    assert questions.loc["trust_answer", "mean"] == 1.0

    # Re-grading puts the hand-graded part back on the list; the report says so.
    grade(course, A, dataclasses.replace(OPTIONS, force=True, students=["amina"]))
    cdatools("report", A, cwd=course)
    scores = pd.read_csv(course / "reports" / A / "scores.csv").set_index("student")
    assert scores.loc["amina", "status"] == "not final: 1 part to confirm after re-grading"
    assert scores.loc["amina", "trust_answer"] == 1.0, "the manual score is kept"
