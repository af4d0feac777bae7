"""Run nbgrader for real on a scratch copy of the course root (``exercises/``).

The tests use these helpers to generate assignments, hand in notebooks as a
trainee would, autograde them, and read the scores from the gradebook.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import nbformat

EXERCISES = Path(__file__).resolve().parents[1] / "exercises"
NBGRADER = Path(sys.executable).with_name("nbgrader")
GENERATED = ("release", "submitted", "autograded", "feedback")


@dataclass(frozen=True)
class Grade:
    """One graded cell of one submission, as recorded in the gradebook."""

    name: str
    score: float
    max_score: float
    auto: bool


def scratch_course(destination: Path) -> Path:
    """Copy the course root's configuration and sources into ``destination``."""
    shutil.copytree(
        EXERCISES,
        destination,
        ignore=shutil.ignore_patterns(*GENERATED, "gradebook.db*", ".ipynb_checkpoints"),
    )
    return destination


def nbgrader(course: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    """Run an ``nbgrader`` command in the course root and return the finished process."""
    env = dict(os.environ)
    env["JUPYTER_CONFIG_DIR"] = str(course / ".jupyter-config")
    env["JUPYTER_PLATFORM_DIRS"] = "1"
    env["PATH"] = f"{NBGRADER.parent}{os.pathsep}{env.get('PATH', '')}"
    result = subprocess.run(
        [str(NBGRADER), *args],
        cwd=course,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    if check and result.returncode != 0:
        raise AssertionError(
            f"nbgrader {' '.join(args)} exited with {result.returncode}:\n"
            f"{result.stdout[-3000:]}\n{result.stderr[-6000:]}"
        )
    return result


def submit(course: Path, student: str, assignment: str, notebooks: dict[str, object]) -> Path:
    """Hand in notebooks as ``student`` would: ``submitted/<student>/<assignment>/``.

    ``notebooks`` maps a notebook file name to a NotebookNode or to raw bytes (for
    corrupted files).
    """
    folder = course / "submitted" / student / assignment
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in notebooks.items():
        target = folder / name
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            nbformat.write(content, target)
    stamp = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M:%S.%f %Z")
    (folder / "timestamp.txt").write_text(stamp)
    return folder


def released(course: Path, assignment: str, notebook: str) -> nbformat.NotebookNode:
    """The student version nbgrader generated for ``notebook``."""
    return nbformat.read(course / "release" / assignment / notebook, as_version=4)


def source(course: Path, assignment: str, notebook: str) -> nbformat.NotebookNode:
    """The instructor's version of ``notebook`` (with solutions)."""
    return nbformat.read(course / "source" / assignment / notebook, as_version=4)


def grades(course: Path, assignment: str, notebook: str, student: str) -> dict[str, Grade]:
    """Every grade of a student's autograded notebook, by grade id."""
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        submission = gradebook.find_submission_notebook(Path(notebook).stem, assignment, student)
        return {
            grade.name: Grade(
                name=grade.name,
                score=float(grade.score),
                max_score=float(grade.max_score),
                auto=grade.auto_score is not None,
            )
            for grade in submission.grades
        }


def cell_by_grade_id(notebook: nbformat.NotebookNode, grade_id: str) -> nbformat.NotebookNode:
    """The cell whose nbgrader grade id is ``grade_id``."""
    for cell in notebook.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == grade_id:
            return cell
    raise KeyError(f"no cell has grade id {grade_id!r}")
