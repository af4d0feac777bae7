"""Scratch gradebooks for the workers, and merging their results into the course's.

Each worker autogrades one submission against a private SQLite gradebook that
holds only the assignment's structure (a *template*). The parent process then
copies that submission's results into the course's gradebook through nbgrader's
``Gradebook`` API, one submission at a time, so SQLite never sees two writers and
PostgreSQL sees ordinary short transactions.

The merge writes what ``nbgrader autograde`` itself writes: the student, the
submission and its timestamp, each grade's automatic score and whether it needs
manual grading (by the rule of nbgrader's ``SaveAutoGrades``), the automatic
comments, and the late-submission penalty (by nbgrader's ``AssignLatePenalties``
with the course's configured plugin). Manual scores and comments are never touched.
"""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path
from typing import Any


def _stamp_alembic_version(source: Any, url: str) -> None:
    """Give a new gradebook file the course gradebook's schema version before nbgrader opens it.

    nbgrader stamps a new gradebook by running the ``alembic`` program (about 2 s here);
    copying the version the course's gradebook already records is exact and instant.
    """
    from sqlalchemy import create_engine, text

    try:
        version = source.db.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except Exception:  # an older gradebook without the table: let nbgrader stamp it
        source.db.rollback()
        return
    if not version:
        return
    engine = create_engine(url)
    try:
        with engine.begin() as connection:
            connection.execute(
                text("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)")
            )
            connection.execute(
                text("INSERT INTO alembic_version (version_num) VALUES (:version)"),
                {"version": version},
            )
    finally:
        engine.dispose()


def build_template(
    db_url: str, course_id: str, assignment: str, target: str | Path
) -> tuple[str, int]:
    """Copy an assignment's structure from the course's gradebook into a new SQLite file.

    Parameters
    ----------
    db_url : str
        The course's gradebook (``sqlite:///...`` or ``postgresql://...``).
    course_id : str
        nbgrader's course id.
    assignment : str
        The assignment; ``nbgrader generate_assignment`` must have recorded it.
    target : str or Path
        The SQLite file to create.

    Returns
    -------
    tuple of (str, int)
        The template's URL and the number of notebooks in the assignment.

    Raises
    ------
    LookupError
        When the gradebook has no such assignment.
    """
    from nbgrader.api import Gradebook, MissingEntry

    url = f"sqlite:///{Path(target).resolve()}"
    with Gradebook(db_url, course_id) as source:
        _stamp_alembic_version(source, url)
    with Gradebook(db_url, course_id) as source, Gradebook(url, course_id) as copy:
        try:
            original = source.find_assignment(assignment)
        except MissingEntry:
            raise LookupError(
                f"the gradebook has no assignment {assignment!r}: run "
                f"'nbgrader generate_assignment {assignment}' first"
            ) from None
        copy.add_assignment(assignment, duedate=original.duedate, course_id=course_id)
        for notebook in original.notebooks:
            name = notebook.name
            copy.add_notebook(name, assignment, kernelspec=notebook.kernelspec)
            # Same order as the original: nbgrader puts deleted cells back by position.
            for cell in notebook.grade_cells:
                copy.update_or_create_grade_cell(
                    cell.name, name, assignment, max_score=cell.max_score, cell_type=cell.cell_type
                )
            for cell in notebook.solution_cells:
                copy.update_or_create_solution_cell(cell.name, name, assignment)
            for cell in notebook.task_cells:
                copy.update_or_create_task_cell(
                    cell.name, name, assignment, max_score=cell.max_score, cell_type=cell.cell_type
                )
            for cell in notebook.source_cells:
                copy.update_or_create_source_cell(
                    cell.name,
                    name,
                    assignment,
                    cell_type=cell.cell_type,
                    locked=cell.locked,
                    source=cell.source,
                    checksum=cell.checksum,
                )
        count = len(original.notebooks)
    return url, count


def prepare_private_gradebook(
    template: str | Path,
    target: str | Path,
    course_id: str,
    assignment: str,
    student: str | None,
    extension: Any,
) -> Any:
    """Copy the template for one submission; add the trainee and extension if known.

    Parameters
    ----------
    template : str or Path
        The template SQLite file from :func:`build_template`.
    target : str or Path
        The private SQLite file to create.
    course_id : str
        nbgrader's course id.
    assignment : str
        The assignment.
    student : str, optional
        The trainee, when the course's gradebook already knows them (so that
        ``Autograde.create_student = False`` behaves as in nbgrader).
    extension : datetime.timedelta, optional
        The trainee's extension for this assignment (late penalties depend on it).

    Returns
    -------
    nbgrader.api.Gradebook
        The private gradebook, open (close it, or use it in a ``with`` block).
    """
    import shutil

    from nbgrader.api import Gradebook

    shutil.copyfile(template, target)
    gradebook = Gradebook(f"sqlite:///{Path(target).resolve()}", course_id)
    if student is not None:
        gradebook.update_or_create_student(student)
        if extension is not None:
            gradebook.update_or_create_submission(assignment, student, extension=extension)
    return gradebook


def known_student(gradebook: Any, assignment: str, student: str) -> tuple[bool, Any]:
    """Whether the course's gradebook knows ``student``, and their extension if any."""
    from nbgrader.api import MissingEntry

    try:
        gradebook.find_student(student)
    except MissingEntry:
        return False, None
    try:
        return True, gradebook.find_submission(assignment, student).extension
    except MissingEntry:
        return True, None


def merge_submission(
    gradebook: Any,
    private_url: str,
    course_id: str,
    assignment: str,
    student: str,
    completed: Collection[str],
    penalties: Any,
) -> tuple[float, float]:
    """Copy one graded submission from a private gradebook into the course's.

    Parameters
    ----------
    gradebook : nbgrader.api.Gradebook
        The course's gradebook, open.
    private_url : str
        The worker's private gradebook.
    course_id : str
        nbgrader's course id.
    assignment, student : str
        Which submission.
    completed : collection of str
        Notebooks whose run finished (their scores are copied). For every other
        submitted notebook, automatic scores and comments are cleared and each
        grade is marked as needing manual grading: a run that did not finish never
        keeps a score, not even one from an earlier run.
    penalties : nbgrader.preprocessors.AssignLatePenalties
        Configured like nbgrader's own, to compute late penalties.

    Returns
    -------
    tuple of (float, float)
        The submission's total score and maximum score after the merge.
    """
    from nbgrader.api import Gradebook

    with Gradebook(private_url, course_id) as private:
        result = private.find_submission(assignment, student)
        timestamp = result.timestamp
        notebooks = {
            nb.notebook.name: (
                {g.name: (g.auto_score, g.needs_manual_grade) for g in nb.grades},
                {c.name: c.auto_comment for c in nb.comments},
            )
            for nb in result.notebooks
        }
    submission = _student_submission(gradebook, assignment, student, timestamp)
    try:
        for notebook in submission.notebooks:
            grades, comments = notebooks[notebook.notebook.name]
            finished = notebook.notebook.name in completed
            for grade in notebook.grades:
                auto_score, needs_manual = grades[grade.name]
                if finished:
                    grade.auto_score = auto_score
                    # nbgrader's SaveAutoGrades rule, on the course's gradebook.
                    grade.needs_manual_grade = (
                        grade.manual_score is not None or grade.auto_score is None
                    )
                elif auto_score == 0 and needs_manual is False:
                    # Not handed in: nbgrader scores it zero and does not flag it.
                    grade.auto_score, grade.needs_manual_grade = 0, False
                else:
                    grade.auto_score, grade.needs_manual_grade = None, True
            for comment in notebook.comments:
                comment.auto_comment = comments[comment.name] if finished else None
            if finished:
                _assign_late_penalty(penalties, submission, notebook, student)
        gradebook.db.commit()
    except Exception:
        gradebook.db.rollback()
        raise
    return float(submission.score), float(submission.max_score)


def _student_submission(gradebook: Any, assignment: str, student: str, timestamp: Any) -> Any:
    """The trainee's submission row, creating the trainee and the row when missing."""
    gradebook.update_or_create_student(student)
    if timestamp is None:
        return gradebook.update_or_create_submission(assignment, student)
    return gradebook.update_or_create_submission(assignment, student, timestamp=timestamp)


def _assign_late_penalty(penalties: Any, submission: Any, notebook: Any, student: str) -> None:
    """nbgrader's ``AssignLatePenalties.preprocess``, applied to the course's gradebook."""
    plugin = penalties.plugin_class(parent=penalties)
    notebook.late_submission_penalty = None
    if submission.total_seconds_late > 0:
        penalty = plugin.late_submission_penalty(
            student, notebook.score, submission.total_seconds_late
        )
        if penalty is not None:
            notebook.late_submission_penalty = penalties._check_late_penalty(notebook, penalty)


def clear_submission(
    gradebook: Any, assignment: str, student: str, timestamp: Any
) -> tuple[float, float]:
    """Record a submission whose run was stopped: no automatic score, every grade flagged.

    Parameters
    ----------
    gradebook : nbgrader.api.Gradebook
        The course's gradebook, open.
    assignment, student : str
        Which submission.
    timestamp : datetime.datetime, optional
        The submission time (from ``timestamp.txt``), recorded as nbgrader would.

    Returns
    -------
    tuple of (float, float)
        The submission's total score (manual scores only) and maximum score.
    """
    submission = _student_submission(gradebook, assignment, student, timestamp)
    try:
        for notebook in submission.notebooks:
            for grade in notebook.grades:
                grade.auto_score, grade.needs_manual_grade = None, True
            for comment in notebook.comments:
                comment.auto_comment = None
        gradebook.db.commit()
    except Exception:
        gradebook.db.rollback()
        raise
    return float(submission.score), float(submission.max_score)
