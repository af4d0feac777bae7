"""The cohort report of an assignment: HTML with PNG figures, and CSV tables.

Everything comes from the course's gradebook (nbgrader's ``Gradebook`` API), plus
the grading states ``cdatools grade`` recorded. Files are written to
``<course>/reports/<assignment>/``:

``report.html``
    Score distribution, per-question means and maximums, the hardest questions,
    flagged submissions, who needs manual grading, who has not submitted.
``scores.csv``
    One row per trainee (submitted or not), with a column per question.
``questions.csv``
    One row per graded question.
``score-distribution.png``, ``questions.png``
    The figures, linked from the HTML by relative paths.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

from cdatools.grading.course import read_ledger, report_dir

HARDEST = 3
QUESTION_COLUMNS = [
    "question",
    "kind",
    "max_score",
    "mean",
    "mean_percent",
    "graded",
    "full_marks",
    "awaiting_manual",
]


class ReportError(RuntimeError):
    """The report cannot be written (no such assignment, no gradebook)."""


def gradebook_tables(db_url: str, course_id: str, assignment: str) -> tuple[Any, Any]:
    """Read an assignment's grades from a gradebook into two tables.

    Parameters
    ----------
    db_url : str
        The gradebook.
    course_id : str
        nbgrader's course id.
    assignment : str
        The assignment.

    Returns
    -------
    tuple of pandas.DataFrame
        ``grades`` (one row per trainee and question: student, notebook, question,
        kind ``auto`` or ``manual``, score, max_score, needs_manual_grade, has_score:
        False when neither nbgrader nor a trainer has scored it, so its 0 is no score) and
        ``students`` (every trainee in the gradebook: student, name, submitted).

    Raises
    ------
    ReportError
        When the gradebook has no such assignment.
    """
    import pandas as pd
    from nbgrader.api import Gradebook, MissingEntry

    rows, people = [], []
    with Gradebook(db_url, course_id) as gradebook:
        try:
            recorded = gradebook.find_assignment(assignment)
        except MissingEntry:
            raise ReportError(f"the gradebook has no assignment {assignment!r}") from None
        manual = {(nb.name, cell.name) for nb in recorded.notebooks for cell in nb.solution_cells}
        submitted = {s.student.id: s for s in recorded.submissions}
        for student in gradebook.students:
            name = " ".join(filter(None, [student.first_name, student.last_name]))
            people.append(
                {"student": student.id, "name": name, "submitted": student.id in submitted}
            )
        for student, submission in submitted.items():
            for notebook in submission.notebooks:
                for grade in notebook.grades:
                    rows.append(
                        {
                            "student": student,
                            "notebook": notebook.name,
                            "question": grade.name,
                            "kind": "manual" if (notebook.name, grade.name) in manual else "auto",
                            "score": float(grade.score),
                            "max_score": float(grade.max_score),
                            "needs_manual_grade": bool(grade.needs_manual_grade),
                            "has_score": grade.auto_score is not None
                            or grade.manual_score is not None,
                        }
                    )
    columns = ["student", "notebook", "question", "kind", "score", "max_score"]
    grades = pd.DataFrame(rows, columns=[*columns, "needs_manual_grade", "has_score"])
    students = pd.DataFrame(people, columns=["student", "name", "submitted"])
    return grades, students


NO_AUTOMATIC_SCORE = "no automatic score"


def student_status(
    submitted: bool, state: str, to_grade: int, to_confirm: int, no_auto: bool
) -> str:
    """What is final about one trainee's score, in words.

    Parameters
    ----------
    submitted : bool
        Whether the trainee handed in.
    state : str
        The grading state (``graded``, ``kernel died``, ...).
    to_grade : int
        Parts with no score yet (written parts, or parts of a run that did not finish).
    to_confirm : int
        Parts a trainer had scored and a re-grade put back on the to-do list.
    no_auto : bool
        True when the automatic grading did not finish (a broken submission).

    Returns
    -------
    str
        ``final``, or why not.

    Examples
    --------
    >>> student_status(True, "graded", 0, 0, False)
    'final'
    >>> student_status(True, "graded", 1, 0, False)
    'not final: 1 written part to grade'
    >>> student_status(False, "not submitted", 0, 0, False)
    'not submitted: no score'
    """
    if not submitted:
        return "not submitted: no score"
    if no_auto:
        return f"not final: {state}, {NO_AUTOMATIC_SCORE} (see what to do)"
    if to_grade:
        return f"not final: {to_grade} written part{'s' if to_grade > 1 else ''} to grade"
    if to_confirm:
        plural = "s" if to_confirm > 1 else ""
        return f"not final: {to_confirm} part{plural} to confirm after re-grading"
    return "final"


def summarise(grades: Any, students: Any, states: dict[str, str] | None = None) -> tuple[Any, Any]:
    """Per-trainee and per-question summaries, saying what is final.

    Parameters
    ----------
    grades, students : pandas.DataFrame
        From :func:`gradebook_tables`.
    states : dict, optional
        Trainee -> grading state label (from ``cdatools grade``).

    Returns
    -------
    tuple of pandas.DataFrame
        ``per_student`` (one row per trainee: state, status (``final`` or why not),
        final, score, max_score, percent, questions needing manual grading, then one
        column per question, left empty where the part has no score yet; trainees who
        did not submit have no score at all) and ``per_question`` (question, kind,
        max_score, mean and mean_percent over the answers that have a score, graded:
        how many, full_marks, awaiting_manual: how many still need a person), sorted
        hardest first; written questions still awaiting manual grading go last.

    Examples
    --------
    >>> import pandas as pd
    >>> grades = pd.DataFrame({"student": ["a", "b"], "notebook": ["n", "n"],
    ...     "question": ["q1", "q1"], "kind": ["auto", "auto"], "score": [2.0, 0.0],
    ...     "max_score": [2.0, 2.0], "needs_manual_grade": [False, False],
    ...     "has_score": [True, True]})
    >>> students = pd.DataFrame({"student": ["a", "b", "c"], "name": ["", "", ""],
    ...     "submitted": [True, True, False]})
    >>> per_student, per_question = summarise(grades, students)
    >>> per_student["percent"].tolist()
    [100.0, 0.0, nan]
    >>> per_student["status"].tolist()
    ['final', 'final', 'not submitted: no score']
    >>> float(per_question.loc[0, "mean_percent"])
    50.0
    """
    import pandas as pd

    states = states or {}
    grades = grades.copy()
    if "has_score" not in grades:
        grades["has_score"] = True
    grades["has_score"] = grades["has_score"].astype(bool)
    grades["needs_manual_grade"] = grades["needs_manual_grade"].astype(bool)
    grades["to_grade"] = grades["needs_manual_grade"] & ~grades["has_score"]
    grades["to_confirm"] = grades["needs_manual_grade"] & grades["has_score"]
    maximum = grades.drop_duplicates("question")["max_score"].sum() if len(grades) else 0.0
    totals = grades.groupby("student")["score"].sum()
    manual = (
        grades[grades["needs_manual_grade"]]
        .groupby("student")["question"]
        .apply(lambda q: ", ".join(sorted(q)))
    )
    to_grade = grades[grades["kind"] == "manual"].groupby("student")["to_grade"].sum()
    to_confirm = grades.groupby("student")["to_confirm"].sum()
    no_auto = grades[grades["kind"] == "auto"].groupby("student")["to_grade"].any()
    per_student = students.copy()
    per_student["state"] = [
        states.get(s, "graded") if sub else "not submitted"
        for s, sub in zip(per_student["student"], per_student["submitted"], strict=True)
    ]
    per_student["status"] = [
        student_status(
            bool(sub),
            state,
            int(to_grade.get(s, 0)),
            int(to_confirm.get(s, 0)),
            bool(no_auto.get(s, False)),
        )
        for s, sub, state in zip(
            per_student["student"], per_student["submitted"], per_student["state"], strict=True
        )
    ]
    per_student["final"] = per_student["status"] == "final"
    # No automatic score: the total is not known yet (not 0), and stays out of the statistics.
    unknown = per_student["student"].map(lambda s: bool(no_auto.get(s, False)))
    per_student["score"] = per_student["student"].map(totals).where(~unknown)
    per_student["max_score"] = maximum
    per_student["percent"] = (100 * per_student["score"] / maximum).round(1) if maximum else None
    per_student["needs_manual_grading"] = [manual.get(s, "") for s in per_student["student"]]
    if len(grades):
        # A part with no score yet is left empty, not written as 0.
        scored = grades.assign(score=grades["score"].where(~grades["to_grade"]))
        wide = scored.pivot_table(index="student", columns="question", values="score", dropna=False)
        order = list(dict.fromkeys(grades["question"]))
        per_student = per_student.merge(
            wide.reindex(columns=order), left_on="student", right_index=True, how="left"
        )
    submitted = grades[grades["student"].isin(students.loc[students["submitted"], "student"])]
    submitted = submitted.assign(
        full=submitted["score"] >= submitted["max_score"],
        counted=submitted["score"].where(~submitted["to_grade"]),
    )
    per_question = (
        submitted.groupby(["question", "kind"], sort=False)
        .agg(
            max_score=("max_score", "first"),
            mean=("counted", "mean"),
            graded=("counted", "count"),
            full_marks=("full", "sum"),
            trainees=("score", "size"),
            awaiting_manual=("needs_manual_grade", "sum"),
        )
        .reset_index()
    )
    per_question["mean_percent"] = (100 * per_question["mean"] / per_question["max_score"]).round(1)
    per_question["mean"] = per_question["mean"].round(2)
    # Hardest first; questions still waiting for manual grading go last.
    waiting = (per_question["kind"] == "manual") & (per_question["awaiting_manual"] > 0)
    per_question = (
        per_question.assign(waiting=waiting)
        .sort_values(["waiting", "mean_percent"], kind="stable", na_position="last")
        .drop(columns="waiting")
        .reset_index(drop=True)
    )
    return per_student.reset_index(drop=True), pd.DataFrame(per_question)


def _figures(per_student: Any, per_question: Any, folder: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    scores = per_student["percent"].dropna()
    fig, ax = plt.subplots(figsize=(7, 3.8))
    ax.hist(scores, bins=[0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100.001], color="#2f6f8f")
    ax.set_xlabel("score (% of the assignment's points)")
    ax.set_ylabel("trainees")
    ax.set_title(f"Score distribution ({len(scores)} submissions)")
    ax.set_xlim(0, 100)
    fig.tight_layout()
    fig.savefig(folder / "score-distribution.png", dpi=110)
    plt.close(fig)

    ordered = per_question
    fig, ax = plt.subplots(figsize=(7.5, 0.45 * max(len(ordered), 2) + 1.2))
    labels = [
        f"{q} ({'awaiting manual grading' if k == 'manual' and waiting else k})"
        for q, k, waiting in zip(
            ordered["question"], ordered["kind"], ordered["awaiting_manual"], strict=True
        )
    ]
    ax.barh(labels, ordered["max_score"], color="#d9e4ea", label="maximum")
    ax.barh(labels, ordered["mean"], color="#2f6f8f", label="mean")
    ax.set_xlabel("points")
    ax.set_title("Mean score per question (hardest at the top)")
    ax.invert_yaxis()
    ax.legend(loc="best")
    fig.tight_layout()
    fig.savefig(folder / "questions.png", dpi=110)
    plt.close(fig)


def _table(frame: Any, columns: list[str]) -> str:
    if frame.empty:
        return "<p>None.</p>"
    head = "".join(f"<th>{html.escape(c)}</th>" for c in columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(_text(v))}</td>" for v in row) + "</tr>"
        for row in frame[columns].itertuples(index=False)
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _text(value: Any) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return f"{value:g}" if isinstance(value, float) else str(value)


def write_report(
    course: str | Path,
    assignment: str,
    db_url: str | None = None,
    out: str | Path | None = None,
) -> dict[str, Path]:
    """Write the cohort report of an assignment.

    Parameters
    ----------
    course : str or Path
        The nbgrader course root.
    assignment : str
        The assignment.
    db_url : str, optional
        The gradebook; the course's configured one by default.
    out : str or Path, optional
        The folder to write to; ``<course>/reports/<assignment>`` by default.

    Returns
    -------
    dict of Path
        ``html``, ``csv`` (scores), ``questions``, ``distribution`` and ``figure``.

    Raises
    ------
    ReportError
        When the course or assignment is unknown.
    """
    from cdatools.grading.course import (
        CourseError,
        known_assignments,
        load_app,
        require_course,
        unknown_assignment_message,
    )

    try:
        course = require_course(course)
    except CourseError as error:
        raise ReportError(str(error)) from None
    overrides = [f"--CourseDirectory.db_url={db_url}"] if db_url else []
    app = load_app(course, assignment, overrides)
    coursedir = app.coursedir
    url = coursedir.db_url
    if url.startswith("sqlite:///") and not Path(url.removeprefix("sqlite:///")).exists():
        names = known_assignments(coursedir)
        if assignment not in names:
            raise ReportError(unknown_assignment_message(assignment, names))
        raise ReportError(_not_graded_yet(assignment))
    try:
        grades, students = gradebook_tables(url, coursedir.course_id, assignment)
    except ReportError as error:
        names = known_assignments(coursedir, _recorded(url, coursedir.course_id))
        if assignment not in names:
            raise ReportError(unknown_assignment_message(assignment, names)) from None
        raise ReportError(f"{error}: {_not_graded_yet(assignment)}") from None
    except Exception as error:
        raise ReportError(f"cannot read the gradebook {url}: {error}") from error
    if not students["submitted"].any():
        raise ReportError(_not_graded_yet(assignment))
    ledger = read_ledger(course, assignment)
    states = {student: outcome.state.label for student, (outcome, _) in ledger.items()}
    details = {student: "; ".join(outcome.details) for student, (outcome, _) in ledger.items()}
    per_student, per_question = summarise(grades, students, states)
    folder = Path(out) if out else report_dir(course, assignment)
    folder.mkdir(parents=True, exist_ok=True)
    paths = {
        "html": folder / "report.html",
        "csv": folder / "scores.csv",
        "questions": folder / "questions.csv",
        "distribution": folder / "score-distribution.png",
        "figure": folder / "questions.png",
    }
    per_student.to_csv(paths["csv"], index=False)
    per_question.to_csv(paths["questions"], index=False)
    _figures(per_student, per_question, folder)
    paths["html"].write_text(
        _html(assignment, per_student, per_question, details), encoding="utf-8"
    )
    return paths


def _not_graded_yet(assignment: str) -> str:
    return (
        f"no submission of {assignment} has been graded yet, so there is nothing to report. "
        f"Grade first: 'cdatools grade {assignment}' in the course folder (after "
        f"'nbgrader generate_assignment {assignment}' and collecting the submissions into "
        f"submitted/<trainee id>/{assignment}/)."
    )


def _recorded(db_url: str, course_id: str) -> list[str]:
    from nbgrader.api import Gradebook

    with Gradebook(db_url, course_id) as gradebook:
        return [a.name for a in gradebook.assignments]


BROKEN_STATES = {"corrupt notebook", "kernel died", "grading error", "timed out", "out of memory"}


def what_to_do(assignment: str, student: str, state: str, status: str) -> tuple[str, str]:
    """For a flagged submission: what the trainer should do, and what the trainee receives.

    Parameters
    ----------
    assignment, student : str
        Which submission.
    state : str
        Its grading state.
    status : str
        From :func:`student_status`.

    Returns
    -------
    tuple of str
        (what to do, what the trainee receives).
    """
    regrade = f"cdatools grade {assignment} --student {student} --force"
    folder = f"submitted/{student}/{assignment}/"
    if NO_AUTOMATIC_SCORE in status:
        return (
            f"Open {folder} and see what went wrong (the notes say). Fix it yourself if it "
            f"is small (a stray loop, a cut-off file you have a good copy of) or ask the "
            f"trainee to hand in again, then run '{regrade}', 'cdatools feedback "
            f"{assignment}' and this report again. The formgrader cannot open it: there is "
            "no graded copy.",
            "Nothing yet: no feedback file can be written without a finished grading run. "
            "Tell the trainee their notebook could not be graded and why.",
        )
    if state == "tampered cells restored":
        return (
            "Nothing to fix: nbgrader graded the notebook with the original test cells. "
            "Check the notes if you suspect more than an accident.",
            "Feedback graded with the original test cells.",
        )
    return (
        "The run finished: the part that hit the limit scores zero, the rest is graded. "
        f"If the limit was unfair, raise it and run '{regrade}'.",
        "Feedback with zero for the part that hit the limit.",
    )


def _html(assignment: str, per_student: Any, per_question: Any, details: dict[str, str]) -> str:
    submitted = per_student[per_student["submitted"]]
    missing = per_student[~per_student["submitted"]]
    flagged = submitted[submitted["state"] != "graded"].copy()
    flagged["what happened"] = [details.get(s, "") for s in flagged["student"]]
    advice = [
        what_to_do(assignment, s, state, status)
        for s, state, status in zip(
            flagged["student"], flagged["state"], flagged["status"], strict=True
        )
    ]
    flagged["what to do"] = [a[0] for a in advice]
    flagged["the trainee receives"] = [a[1] for a in advice]
    manual = submitted[submitted["needs_manual_grading"] != ""]
    final = submitted[submitted["final"]]
    scores = submitted["percent"].dropna()
    stats = (
        f"{len(submitted)} of {len(per_student)} trainees submitted; "
        f"median score {scores.median():.0f}%, mean {scores.mean():.0f}%"
        if len(scores)
        else f"no submission yet among {len(per_student)} trainees"
    )
    finality = f"{len(final)} of {len(submitted)} submitted scores are final" + (
        "; the others are not: the table below says why for each trainee"
        if len(final) < len(submitted)
        else ""
    )
    waiting = (per_question["kind"] == "manual") & (per_question["awaiting_manual"] > 0)
    hardest = per_question[~waiting & per_question["mean"].notna()].head(HARDEST)
    hardest_items = "".join(
        f"<li><b>{html.escape(q)}</b>: mean {m:g} of {x:g} points ({p:g}%)</li>"
        for q, m, x, p in zip(
            hardest["question"],
            hardest["mean"],
            hardest["max_score"],
            hardest["mean_percent"],
            strict=True,
        )
    )
    title = f"Cohort report: {html.escape(assignment)}"
    a = html.escape(assignment)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<style>
body {{ font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem;
  color: #1d2b33; }}
table {{ border-collapse: collapse; margin: 0.5rem 0 1.5rem; }}
th, td {{ border: 1px solid #c9d6dd; padding: 0.25rem 0.6rem; text-align: left;
  vertical-align: top; }}
th {{ background: #eef3f6; }}
img {{ max-width: 100%; }}
.note {{ background: #fffbe8; border-left: 4px solid #c9a400; padding: 0.4rem 0.8rem; }}
</style></head><body>
<h1>{title}</h1>
<p>{html.escape(stats)}. <b>{html.escape(finality)}.</b></p>
<div class="note"><p><b>What is final.</b> A score is final when every part has a score
and nothing waits for you. Until then the <i>status</i> column says why not: written
parts still to grade (they count nothing yet, and are left empty in
<a href="scores.csv">scores.csv</a>, not 0), a broken submission with no automatic score,
or parts to confirm after a re-grade. Trainees who did not submit have no score at all.
Means per question are over the answers that have a score. nbgrader's own
<code>nbgrader export</code> writes 0 for all of these: use scores.csv, whose
<i>status</i> and <i>final</i> columns say what is final.</p>
<p><b>Re-grading and your manual grades.</b> When a submission is graded again
(<code>--force</code>, or the trainee handed in again), nbgrader keeps the points and
comments you gave by hand but puts those parts back on the <i>Manual Grading</i> list,
because the answer may have changed: open each one in the formgrader, check it and save
the score again. Until then the trainee's status says "to confirm after re-grading".</p>
</div>
<h2>Score distribution</h2>
<img src="score-distribution.png" alt="Histogram of the trainees' scores in percent">
<h2>Questions</h2>
<p>The hardest questions (lowest mean, as a share of their points; written questions
still awaiting manual grading are left out):</p><ol>{hardest_items}</ol>
<img src="questions.png" alt="Mean and maximum points per question">
{_table(per_question, QUESTION_COLUMNS)}
<h2>Submissions flagged while grading</h2>
<p>Each flagged submission, what happened, what to do about it, and what the trainee
receives as things stand.</p>
{_table(flagged, ["student", "state", "what happened", "what to do", "the trainee receives"])}
<h2>Needs manual grading</h2>
<p>Written parts to grade, parts to confirm after a re-grade, and parts whose automatic
grading did not finish. Open the formgrader (<i>Manual Grading</i>) with the grader's
sheet beside it (<code>cdatools markscheme {a}</code>); when you are done, run
<code>cdatools feedback {a}</code> so the feedback carries your scores and comments,
and this report again.</p>
{_table(manual, ["student", "name", "status", "needs_manual_grading"])}
<h2>Not submitted</h2>
{_table(missing, ["student", "name"])}
<h2>All trainees</h2>
{_table(per_student, ["student", "name", "state", "status", "score", "max_score", "percent"])}
<p>Tables: <a href="scores.csv">scores.csv</a> (a column per question, empty where a
part has no score yet), <a href="questions.csv">questions.csv</a>.</p>
</body></html>
"""
