"""Feedback for trainees: always up to date, readable offline, without spurious warnings.

Three things nbgrader 0.9 does not do for this course, and how they are fixed:

- ``nbgrader generate_feedback`` skips every trainee who already has a feedback
  file, so feedback written before manual grading keeps the old scores and lacks
  the trainer's comments. :func:`write_feedback` (``cdatools feedback``) always
  writes it again from the gradebook, and says who gets none and why.
- nbgrader's feedback page loads MathJax from a public CDN. The course's
  configuration uses :class:`OfflineFeedbackExporter`, the same page without it.
- nbgrader's ``ClearHiddenTests`` and ``ClearMarkScheme`` warn "Config option
  display_data_priority not recognized" on every run: the HTML exporter hands every
  preprocessor that setting and theirs is not configurable. Importing this module
  makes it configurable (it is never used by them), so the warning goes.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nbconvert.exporters import HTMLExporter
from nbgrader.preprocessors import NbGraderPreprocessor

# nbconvert's templates load MathJax through this macro; the feedback page gets one that
# loads nothing. Feedback is read offline (slow or no connection); the course's written
# answers carry no equations, and a trainee's "US$ 2,500 ... $ 300" stays plain text
# instead of becoming mathematics.
OFFLINE_MATHJAX = """{%- macro mathjax(url="") -%}
<!-- MathJax left out: this page loads nothing from another host. -->
{%- endmacro %}
"""

# The HTML exporter configures display_data_priority on every preprocessor it loads;
# nbgrader's base preprocessor declares the trait without config=True, so traitlets
# warns for each of them. Declaring it configurable silences that (nbgrader never
# reads it in these preprocessors).
NbGraderPreprocessor.class_traits()["display_data_priority"].metadata["config"] = True


class OfflineFeedbackExporter(HTMLExporter):
    """nbgrader's feedback page with nothing loaded from another host (no MathJax CDN).

    Set as ``c.GenerateFeedback.exporter_class`` in the course's ``nbgrader_config.py``.
    It is nbgrader's own feedback template, with nbconvert's MathJax macro replaced by
    one that loads nothing. The formgrader keeps its own exporter and is not affected.
    """

    def __init__(self, config: Any = None, **kwargs: Any) -> None:
        from jinja2 import DictLoader

        loaders = [DictLoader({"mathjax.html.j2": OFFLINE_MATHJAX})]
        super().__init__(config=config, extra_loaders=loaders, **kwargs)


@dataclass
class FeedbackResult:
    """What ``cdatools feedback`` wrote.

    Attributes
    ----------
    written : list of Path
        Feedback files written (one per trainee and notebook).
    missing : dict
        Trainee -> why no feedback was written (not submitted, broken submission).
    log : str
        nbgrader's messages (warnings and errors only).
    """

    written: list[Path] = field(default_factory=list)
    missing: dict[str, str] = field(default_factory=dict)
    log: str = ""


class FeedbackError(RuntimeError):
    """Feedback could not be written (not a course, no such assignment, nbgrader failed)."""


def write_feedback(
    course: str | Path, assignment: str, db_url: str | None = None
) -> FeedbackResult:
    """Write every trainee's feedback for an assignment again, from the gradebook.

    Parameters
    ----------
    course : str or Path
        The nbgrader course root.
    assignment : str
        The assignment.
    db_url : str, optional
        The gradebook; the course's configured one by default.

    Returns
    -------
    FeedbackResult
        The files written and the trainees who get none, with the reason.

    Raises
    ------
    FeedbackError
        When the folder is not a course, the assignment is unknown or nbgrader fails.
    """
    from cdatools.grading.course import (
        CourseError,
        known_assignments,
        load_app,
        read_ledger,
        require_course,
        unknown_assignment_message,
    )

    try:
        root = require_course(course)
    except CourseError as error:
        raise FeedbackError(str(error)) from None
    overrides = [f"--CourseDirectory.db_url={db_url}"] if db_url else []
    coursedir = load_app(root, assignment, overrides).coursedir
    names = known_assignments(coursedir)
    if assignment not in names:
        raise FeedbackError(unknown_assignment_message(assignment, names))
    autograded = Path(coursedir.format_path(coursedir.autograded_directory, "*", assignment))
    graded = sorted(autograded.parent.parent.glob(f"*/{assignment}"))
    if not graded:
        raise FeedbackError(
            f"no graded submission of {assignment} yet: run 'cdatools grade {assignment}' first"
        )
    env = dict(os.environ)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "nbgrader",
            "generate_feedback",
            assignment,
            "--force",
            "--log-level=WARN",
            *overrides,
        ],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if run.returncode != 0:
        raise FeedbackError("nbgrader generate_feedback failed:\n" + run.stderr[-3000:])
    result = FeedbackResult(log=run.stderr.strip())
    feedback = Path(coursedir.format_path(coursedir.feedback_directory, "*", assignment))
    result.written = sorted(feedback.parent.parent.glob(f"*/{assignment}/*.html"))
    with_feedback = {p.parent.parent.name for p in result.written}
    ledger = read_ledger(root, assignment)
    submitted = Path(coursedir.format_path(coursedir.submitted_directory, "*", assignment))
    for folder in sorted(submitted.parent.parent.glob(f"*/{assignment}")):
        student = folder.parent.name
        if student in with_feedback:
            continue
        outcome = ledger.get(student, (None, ""))[0]
        state = outcome.state.label if outcome is not None else "not graded yet"
        result.missing[student] = (
            f"{state}: no automatic grading finished, so there is no graded copy to write "
            f"feedback from. Look at the file, fix it or ask for it again, then "
            f"'cdatools grade {assignment} --student {student} --force' and this command again."
        )
    return result
