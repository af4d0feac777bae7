"""An nbgrader course folder: its configuration, its submissions, its grading ledger.

The configuration is read by nbgrader's own ``AutogradeApp``, from the same places
``nbgrader autograde`` reads it (Jupyter's config folders, then
``<course>/nbgrader_config.py``), so cdatools grades with exactly the settings the
trainer gave nbgrader.
"""

from __future__ import annotations

import contextlib
import csv
import difflib
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


COURSE_MARKERS = ("nbgrader_config.py", "source", "gradebook.db")
LOCK_NAME = ".cdatools-grading.lock"


class CourseError(RuntimeError):
    """The folder is not an nbgrader course, or the course has no such assignment."""


def require_course(course: str | Path) -> Path:
    """Check that a folder is an nbgrader course root before anything is written in it.

    nbgrader creates an empty ``gradebook.db`` wherever it is pointed; this check
    comes first so a wrong folder is reported and left as it was.

    Parameters
    ----------
    course : str or Path
        The folder given as the course.

    Returns
    -------
    Path
        The course root, resolved.

    Raises
    ------
    CourseError
        When the folder does not exist or holds none of ``nbgrader_config.py``,
        ``source/`` and ``gradebook.db``.
    """
    root = Path(course).expanduser().resolve()
    if not root.is_dir():
        raise CourseError(f"there is no folder {root}")
    if not any((root / marker).exists() for marker in COURSE_MARKERS):
        raise CourseError(
            f"{root} is not an nbgrader course folder (it has no nbgrader_config.py, "
            "source/ or gradebook.db). Run the command in the course folder (for this "
            "course: exercises/) or give it with --course-dir."
        )
    return root


def known_assignments(coursedir: Any, gradebook_names: Sequence[str] = ()) -> list[str]:
    """The assignments of a course: folders in ``source/`` and those in the gradebook.

    Parameters
    ----------
    coursedir : nbgrader.coursedir.CourseDirectory
        The course.
    gradebook_names : sequence of str
        Assignments the gradebook records.

    Returns
    -------
    list of str
        Sorted names.
    """
    source = Path(coursedir.format_path(coursedir.source_directory, ".", "x")).parent
    found = {p.name for p in source.iterdir() if p.is_dir()} if source.is_dir() else set()
    return sorted(found | set(gradebook_names))


def unknown_assignment_message(assignment: str, names: Sequence[str]) -> str:
    """A message for an assignment name that the course does not have, with the nearest names.

    Parameters
    ----------
    assignment : str
        The name given.
    names : sequence of str
        The course's assignments.

    Returns
    -------
    str
        The sentence to show.

    Examples
    --------
    >>> names = ["01-workplan", "02-governance", "03-trust"]
    >>> unknown_assignment_message("01-workplna", names)  # doctest: +NORMALIZE_WHITESPACE
    "the course has no assignment '01-workplna'. Did you mean '01-workplan'?
    Assignments: 01-workplan, 02-governance, 03-trust"
    >>> "Did you mean '03-trust'?" in unknown_assignment_message("trust", names)
    True
    """
    lowered = assignment.lower()
    close = [name for name in names if lowered and lowered in name.lower()]
    close += difflib.get_close_matches(assignment, names, n=3, cutoff=0.7)
    close = list(dict.fromkeys(close))[:3]
    text = f"the course has no assignment {assignment!r}."
    if close:
        text += " Did you mean " + " or ".join(repr(name) for name in close) + "?"
    text += " Assignments: " + (", ".join(names) if names else "none yet (source/ is empty)")
    return text


@contextlib.contextmanager
def grading_lock(course: str | Path, assignment: str) -> Iterator[Path]:
    """Hold the course's grading lock for one run; refuse at once if another run holds it.

    Two grading runs on one course would grade the same submissions twice and write
    the same gradebook and logs. The lock is ``.cdatools-grading.lock`` in the course
    root, held with ``flock`` (released by the system if the process dies) and removed
    at the end.

    Parameters
    ----------
    course : str or Path
        The course root.
    assignment : str
        What this run grades (written into the lock for the other run's message).

    Yields
    ------
    Path
        The lock file.

    Raises
    ------
    CourseError
        When another run holds the lock.
    """
    import fcntl
    from datetime import datetime

    path = Path(course) / LOCK_NAME
    while True:
        handle = path.open("a+", encoding="utf-8")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another grading run"
            handle.close()
            raise CourseError(
                f"another 'cdatools grade' is running on this course ({holder}). Wait for "
                f"it to finish, then run this command again; if no grading is running, "
                f"delete {path}."
            ) from None
        # The file may have been removed by the run that just finished: lock the new one.
        if path.exists() and os.path.samestat(os.fstat(handle.fileno()), path.stat()):
            break
        handle.close()
    try:
        handle.seek(0)
        handle.truncate()
        started = datetime.now().strftime("%Y-%m-%d %H:%M")
        handle.write(f"process {os.getpid()} grading {assignment}, started {started}\n")
        handle.flush()
        yield path
    finally:
        path.unlink(missing_ok=True)
        handle.close()


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
