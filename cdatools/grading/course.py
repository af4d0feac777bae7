"""An nbgrader course folder: its configuration, its submissions, its grading ledger.

The configuration is read by nbgrader's own ``AutogradeApp``, from the same places
``nbgrader autograde`` reads it (Jupyter's config folders, then
``<course>/nbgrader_config.py``), so cdatools grades with exactly the settings the
trainer gave nbgrader.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import os
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cdatools.grading.states import Outcome

LEDGER_NAME = "grading-states.csv"
LEDGER_FIELDS = [
    "student",
    "state",
    "score",
    "max_score",
    "seconds",
    "skipped",
    "details",
    "sha256",
]


@contextlib.contextmanager
def working_directory(path: str | Path) -> Iterator[None]:
    """Run a block with ``path`` as the current folder, then go back."""
    previous = os.getcwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(previous)


def load_app(
    course: str | Path,
    assignment: str,
    overrides: Sequence[str] = (),
    log_level: str = "WARN",
) -> Any:
    """An initialised ``nbgrader autograde`` application for a course.

    Parameters
    ----------
    course : str or Path
        The course root (the folder holding ``nbgrader_config.py``).
    assignment : str
        The assignment to grade.
    overrides : sequence of str
        Extra nbgrader command-line settings, e.g. ``["--Execute.timeout=10"]``.
    log_level : str
        nbgrader's log level.

    Returns
    -------
    nbgrader.apps.AutogradeApp
        The application; ``app.config`` and ``app.coursedir`` are what
        ``nbgrader autograde`` would use when run from ``course``.
    """
    from nbgrader.apps import AutogradeApp

    root = str(Path(course).resolve())
    app = AutogradeApp()
    with working_directory(root):
        app.initialize([assignment, f"--log-level={log_level}", *overrides], root=root)
    app.coursedir.assignment_id = assignment
    return app


@dataclass(frozen=True)
class Submission:
    """One trainee's submitted folder for an assignment."""

    student: str
    folder: Path


def submissions(coursedir: Any, assignment: str) -> list[Submission]:
    """Every submission of ``assignment`` in the course, sorted by trainee id.

    Parameters
    ----------
    coursedir : nbgrader.coursedir.CourseDirectory
        The course folder (paths follow its ``directory_structure``).
    assignment : str
        The assignment's name.

    Returns
    -------
    list of Submission
        Trainees excluded by ``CourseDirectory.student_id_exclude`` are left out.
    """
    import glob

    pattern = coursedir.format_path(coursedir.submitted_directory, "*", assignment)
    # As nbgrader does: the root is escaped, the placeholders are inserted as written.
    regexp = coursedir.format_path(
        coursedir.submitted_directory, "(?P<student_id>[^/]+)", re.escape(assignment), True
    )
    excluded = set(filter(None, (coursedir.student_id_exclude or "").split(",")))
    found = []
    for folder in sorted(glob.glob(pattern)):
        match = re.fullmatch(regexp, folder)
        if match is None or not os.path.isdir(folder):
            continue
        student = match.group("student_id")
        if student not in excluded:
            found.append(Submission(student=student, folder=Path(folder)))
    return found


def folder_digest(folder: str | Path) -> str:
    """A SHA-256 digest of every file in a folder (names and contents).

    Parameters
    ----------
    folder : str or Path
        The folder, e.g. a submission.

    Returns
    -------
    str
        Hex digest; it changes when any file is added, removed or edited.
    """
    digest = hashlib.sha256()
    root = Path(folder)
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


def report_dir(course: str | Path, assignment: str) -> Path:
    """Where grading states and reports of an assignment go: ``<course>/reports/<assignment>``."""
    return Path(course) / "reports" / assignment


def read_ledger(course: str | Path, assignment: str) -> dict[str, tuple[Outcome, str]]:
    """The last recorded outcome of each trainee, with the digest of what was graded.

    Parameters
    ----------
    course : str or Path
        The course root.
    assignment : str
        The assignment's name.

    Returns
    -------
    dict
        Trainee id -> (Outcome, submission digest); empty before the first run.
    """
    path = report_dir(course, assignment) / LEDGER_NAME
    if not path.exists():
        return {}
    with path.open(newline="", encoding="utf-8") as handle:
        return {
            row["student"]: (Outcome.from_row(row), row.get("sha256") or "")
            for row in csv.DictReader(handle)
        }


def write_ledger(
    course: str | Path, assignment: str, entries: dict[str, tuple[Outcome, str]]
) -> Path:
    """Write the grading states of an assignment (atomically).

    Parameters
    ----------
    course : str or Path
        The course root.
    assignment : str
        The assignment's name.
    entries : dict
        Trainee id -> (Outcome, submission digest).

    Returns
    -------
    Path
        The CSV file written, ``reports/<assignment>/grading-states.csv``.
    """
    folder = report_dir(course, assignment)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / LEDGER_NAME
    partial = path.with_suffix(".csv.partial")
    with partial.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=LEDGER_FIELDS)
        writer.writeheader()
        for student in sorted(entries):
            outcome, digest = entries[student]
            row = outcome.to_row()
            row["score"] = round(outcome.score, 4)
            row["max_score"] = round(outcome.max_score, 4)
            row["seconds"] = round(outcome.seconds, 2)
            writer.writerow({**row, "sha256": digest})
    os.replace(partial, path)
    return path
