"""``cdatools demo``: a demonstration cohort, graded and reported, in one command.

It builds a scratch nbgrader course (by default ``./cda-demo-course``) from the
course's first assignment (``exercises/source/01-workplan``, or a small built-in
sample when the package is installed without the course folder), invents about two
dozen trainees with submissions from excellent to empty plus a few broken ones
(an infinite loop, a kernel that exits, a corrupted file, a changed test cell) and
two who never submit, then runs the whole pipeline: generate, grade, feedback, report.
"""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from cdatools.grading import cohort
from cdatools.grading.sample import SAMPLE_ASSIGNMENT, write_sample_source

MARKER = ".cdatools-demo"
COURSE_ASSIGNMENT = "01-workplan"
DEMO_CELL_TIMEOUT = 20
TRAINEES = [
    ("Amina", "Diallo"),
    ("Moussa", "Ndiaye"),
    ("Fatou", "Sarr"),
    ("Ibrahima", "Fall"),
    ("Awa", "Sow"),
    ("Cheikh", "Ba"),
    ("Lucia", "Andrade"),
    ("Diego", "Pozo"),
    ("Maria", "Guerrero"),
    ("Jorge", "Vaca"),
    ("Sofia", "Cevallos"),
    ("Carmen", "Lopez"),
    ("Ruben", "Obando"),
    ("Elena", "Sequeira"),
    ("Jose", "Mairena"),
    ("Ana", "Barrios"),
    ("Priya", "Sharma"),
    ("Rakesh", "Chhipa"),
    ("Sunita", "Meena"),
    ("Arjun", "Rathore"),
    ("Kavita", "Joshi"),
    ("Vikram", "Saini"),
    ("Neha", "Gupta"),
    ("Imran", "Khan"),
]
# Profile of each trainee, in the order above (then repeated for larger cohorts): 5
# excellent, 5 good, 5 partial, 3 empty, 4 broken, 2 absent; the first nine show each kind.
PROFILES = [
    "excellent",
    "good",
    "partial",
    "empty",
    "infinite loop",
    "kernel exits",
    "corrupted file",
    "changed test cell",
    "absent",
    *["excellent"] * 4,
    *["good"] * 4,
    *["partial"] * 4,
    *["empty"] * 2,
    "absent",
]


# The written answer each profile hands in, in turn (see cohort.WRITTEN_ANSWERS), so the
# first nine trainees already show a strong, weak, off-topic, too short and empty answer.
WRITTEN_BY_PROFILE = {
    "excellent": ["strong", "strong", "weak", "strong"],
    "good": ["weak", "strong", "too short"],
    "partial": ["off-topic", "too short", "weak", "empty"],
    "infinite loop": ["too short"],
    "kernel exits": ["strong"],
    "corrupted file": ["strong"],
    "changed test cell": ["weak"],
}


class DemoError(RuntimeError):
    """The demo could not be built (a folder in the way, nbgrader failing)."""


def exercises_folder() -> Path | None:
    """The course's ``exercises`` folder next to the package, when it has 01-workplan."""
    import cdatools

    folder = Path(cdatools.__file__).resolve().parents[1] / "exercises"
    notebook = folder / "source" / COURSE_ASSIGNMENT / f"{COURSE_ASSIGNMENT}.ipynb"
    return folder if notebook.exists() else None


def prepare_folder(target: Path) -> None:
    """Create the demo folder; rebuild an earlier demo, never touch anything else."""
    if target.exists():
        if not (target / MARKER).exists():
            raise DemoError(
                f"{target} exists and is not a cdatools demo course; choose another --dir"
            )
        shutil.rmtree(target)
    target.mkdir(parents=True)
    (target / MARKER).write_text("Built by 'cdatools demo'; safe to delete.\n", encoding="utf-8")


def build_course(target: Path) -> str:
    """Write the course configuration and the assignment's source; return its name."""
    exercises = exercises_folder()
    if exercises is not None:
        assignment = COURSE_ASSIGNMENT
        shutil.copy(exercises / "nbgrader_config.py", target / "nbgrader_config.py")
        (target / "source").mkdir()
        shutil.copy(exercises / "source" / "header.ipynb", target / "source" / "header.ipynb")
        shutil.copytree(exercises / "source" / assignment, target / "source" / assignment)
    else:
        assignment = SAMPLE_ASSIGNMENT
        (target / "nbgrader_config.py").write_text(
            'c = get_config()  # noqa: F821\nc.CourseDirectory.course_id = "cda-demo"\n'
            "c.OverwriteCells.add_missing_cells = True\n",
            encoding="utf-8",
        )
        write_sample_source(target, assignment)
    with (target / "nbgrader_config.py").open("a", encoding="utf-8") as config:
        config.write(
            "\n# Demo only: a shorter cell time limit, so the runaway loop stops sooner.\n"
            f"c.Execute.timeout = {DEMO_CELL_TIMEOUT}\n"
        )
    return assignment


def nbgrader(course: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run an nbgrader command in the course folder with this Python's environment."""
    env = dict(os.environ)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    return subprocess.run(
        [sys.executable, "-m", "nbgrader", *args, "--log-level=WARN"],
        cwd=course,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def submission_for(
    profile: str, release: Any, source: Any, rng: random.Random, written: str = "strong"
) -> Any:
    """A notebook (or corrupted bytes) handed in by a trainee of this profile.

    ``written`` is the kind of written answer (a key of ``cohort.WRITTEN_ANSWERS``, or
    ``"empty"``); empty submissions leave every answer as released.
    """
    answers = cohort.answer_ids(release)
    if profile == "excellent":
        return cohort.answered(release, source, written=written)
    # Later parts often build on the first, so good and partial trainees solve it.
    if profile == "good":
        missed = rng.choice(answers[1:] or answers)
        return cohort.answered(release, source, [a for a in answers if a != missed], written)
    if profile == "partial":
        kept = answers[:1] + rng.sample(answers[1:], k=max(0, len(answers) // 2 - 1))
        return cohort.answered(release, source, kept, written=written)
    if profile == "empty":
        return release
    if profile == "infinite loop":
        good = cohort.answered(release, source, answers[:-1], written=written)
        return cohort.with_code(good, cohort.INFINITE_LOOP, answer=rng.choice(answers))
    if profile == "kernel exits":
        return cohort.with_code(
            cohort.answered(release, source, written=written),
            cohort.KERNEL_EXIT,
            answer=answers[-1],
        )
    if profile == "corrupted file":
        return cohort.corrupted(cohort.answered(release, source, written=written))
    if profile == "changed test cell":
        return cohort.with_changed_test(
            cohort.answered(release, source, answers[1:], written=written)
        )
    raise ValueError(f"unknown profile {profile!r}")


def hand_in(course: Path, assignment: str, trainees: int, seed: int = 8) -> dict[str, str]:
    """Register the trainees and write their submissions; return trainee -> profile."""
    import nbformat
    from nbgrader.api import Gradebook

    from cdatools.grading.course import load_app

    rng = random.Random(seed)
    notebook = f"{assignment}.ipynb"
    release = nbformat.read(course / "release" / assignment / notebook, as_version=4)
    source = nbformat.read(course / "source" / assignment / notebook, as_version=4)
    coursedir = load_app(course, assignment).coursedir
    due = datetime.now(timezone.utc).replace(microsecond=0)
    profiles = {}
    seen: dict[str, int] = {}
    with Gradebook(coursedir.db_url, coursedir.course_id) as gradebook:
        for index in range(trainees):
            first, last = TRAINEES[index % len(TRAINEES)]
            student = f"{first}.{last}".lower() + (
                f"{index // len(TRAINEES)}" if index >= 24 else ""
            )
            profile = PROFILES[index % len(PROFILES)]
            profiles[student] = profile
            gradebook.update_or_create_student(student, first_name=first, last_name=last)
            if profile == "absent":
                continue
            folder = course / "submitted" / student / assignment
            folder.mkdir(parents=True)
            kinds = WRITTEN_BY_PROFILE.get(profile, ["empty"])
            written = kinds[seen.get(profile, 0) % len(kinds)]
            seen[profile] = seen.get(profile, 0) + 1
            content = submission_for(profile, release, source, rng, written)
            if isinstance(content, bytes):
                (folder / notebook).write_bytes(content)
            else:
                nbformat.write(content, folder / notebook)
            stamp = due - timedelta(hours=rng.randint(1, 72), minutes=rng.randint(0, 59))
            (folder / "timestamp.txt").write_text(stamp.strftime("%Y-%m-%d %H:%M:%S.%f %Z"))
    return profiles


def run_demo(
    directory: str | Path = "cda-demo-course",
    jobs: int | None = None,
    trainees: int = len(TRAINEES),
) -> dict[str, Path]:
    """Build the demonstration cohort and run generate, grade, feedback and report.

    Parameters
    ----------
    directory : str or Path
        The folder to create; an earlier demo there is rebuilt, any other folder
        is left alone (:class:`DemoError`).
    jobs : int, optional
        Grading workers (the number of cores by default).
    trainees : int
        Cohort size (24 by default, two of whom do not submit).

    Returns
    -------
    dict of Path
        The report's files (``html``, ``csv``, ...), plus ``course``.

    Raises
    ------
    DemoError
        When the folder is in the way or an nbgrader step fails.
    """
    from cdatools.grading.feedback import FeedbackError, write_feedback
    from cdatools.grading.markscheme import write_sheet
    from cdatools.grading.progress import summary_table
    from cdatools.grading.report import write_report
    from cdatools.grading.run import GradeOptions, GradingError, grade

    target = Path(directory).resolve()
    prepare_folder(target)
    assignment = build_course(target)
    print(f"Demo course: {target}")
    print(f"1/4 Generating the student version of {assignment} ...")
    generated = nbgrader(target, "generate_assignment", assignment, "--force")
    if generated.returncode != 0:
        raise DemoError("nbgrader generate_assignment failed:\n" + generated.stderr[-3000:])
    profiles = hand_in(target, assignment, trainees)
    handed_in = sum(p != "absent" for p in profiles.values())
    print(f"    {len(profiles)} trainees, {handed_in} submissions in submitted/")
    print(f"2/4 Grading (cells stop after {DEMO_CELL_TIMEOUT} s) ...")
    try:
        outcomes = grade(target, assignment, GradeOptions(jobs=jobs, notebook_timeout=300))
    except GradingError as error:
        raise DemoError(str(error)) from error
    print(summary_table(outcomes))
    print("3/4 Writing feedback and the grader's sheet ...")
    try:
        feedback = write_feedback(target, assignment)
    except FeedbackError as error:
        raise DemoError(str(error)) from error
    print(f"    {len(feedback.written)} feedback files in {target / 'feedback'}")
    print(f"    no feedback for {len(feedback.missing)} broken submissions (see the report)")
    sheet, _ = write_sheet(target, assignment)
    print("4/4 Writing the cohort report ...")
    paths = write_report(target, assignment)
    print(f"\nOpen the report: {paths['html']}")
    print(f"Scores as CSV:   {paths['csv']}")
    print(f"Grader's sheet:  {sheet}")
    # The trainer may have run .venv/bin/cdatools without the environment on PATH.
    script = Path(sys.executable).with_name("cdatools")
    on_path = shutil.which("cdatools")
    command = "cdatools" if on_path and Path(on_path) == script else str(script)
    print("\nNext, grade the written parts in the formgrader. Open it on this course with:\n")
    print(f"    {lab_command(target)}\n")
    print(
        "(or 'cdatools demo --lab' next time). In JupyterLab: Nbgrader menu > Formgrader > "
        "Manual Grading, with\nthe grader's sheet open beside it. Then write the feedback "
        "and the report again:"
        f"\n    {command} feedback {assignment} --course-dir {target}"
        f"\n    {command} report {assignment} --course-dir {target}"
    )
    return {**paths, "course": target, "markscheme": sheet}


def repository() -> Path | None:
    """The course repository holding this package (with its Makefile), if any."""
    exercises = exercises_folder()
    if exercises is None or not (exercises.parent / "Makefile").exists():
        return None
    return exercises.parent


def lab_argv(course: Path) -> list[str]:
    """The command that opens JupyterLab with the formgrader on ``course``, as a list."""
    repo = repository()
    if repo is not None:
        return ["make", "-C", str(repo), "lab", "ROLE=trainer", f"COURSE={course}"]
    jupyter = str(Path(sys.executable).with_name("jupyter"))
    return [jupyter, "lab", f"--ServerApp.root_dir={course}", f"--CourseDirectory.root={course}"]


def lab_command(course: Path) -> str:
    """The one shell command that opens the formgrader on ``course``.

    Parameters
    ----------
    course : Path
        The course root (absolute).

    Returns
    -------
    str
        ``make -C <repository> lab ROLE=trainer COURSE=<course>`` from a clone of the
        course; ``jupyter lab`` with the course as root otherwise.
    """
    import shlex

    return shlex.join(lab_argv(course))


def open_lab(course: Path) -> None:
    """Replace this process with JupyterLab and the formgrader on ``course``."""
    print(f"Opening the formgrader: {lab_command(course)}", flush=True)
    argv = lab_argv(course)
    os.execvp(argv[0], argv)
