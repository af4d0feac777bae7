"""The ``cdatools`` command line.

Subcommands for trainers (grading, reports, a demo cohort) are added here as they
are built; ``cdatools --help`` lists what is available in this version.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from cdatools import __version__


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, not {value}")
    return value


def _positive_float(text: str) -> float:
    value = float(text)
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be more than 0, not {value}")
    return value


def _add_grading_commands(commands: argparse._SubParsersAction) -> None:
    """Register ``grade``, ``report`` and ``demo`` (trainer commands)."""
    course_help = "the nbgrader course folder (default: the current folder)"
    db_help = "the gradebook's database URL (nbgrader's db_url), e.g. postgresql://user@host/db"
    grade = commands.add_parser(
        "grade",
        help="autograde every submission of an assignment in parallel, with a summary",
        description=(
            "Autograde every submission of ASSIGNMENT with nbgrader's own grading steps, "
            "several at a time, each under a time and memory limit, and record the scores "
            "in the course's gradebook. Each submission ends in a state shown in the "
            "summary: graded, timed out, out of memory, kernel died, corrupt notebook, "
            "tampered cells restored (or grading error). Submitted files are never changed. "
            "Each trainee's code runs in a sandbox (bubblewrap) that shows it only its own "
            "copy, without network; where no sandbox can run, grading stops unless "
            "--no-sandbox. "
            "A second run skips what was already processed unless --force. Exit status 0 "
            "when every submission was processed, flagged ones included."
        ),
    )
    grade.add_argument("assignment", metavar="ASSIGNMENT")
    grade.add_argument(
        "--jobs",
        "-j",
        type=_positive_int,
        default=None,
        help=f"submissions graded at once (default: the number of cores, {os.cpu_count()})",
    )
    grade.add_argument("--course-dir", default=".", help=course_help)
    grade.add_argument("--force", action="store_true", help="grade again what was processed")
    grade.add_argument("--db", default=None, help=db_help)
    grade.add_argument(
        "--cell-timeout",
        type=_positive_int,
        default=None,
        help="seconds one cell may run (default: the course's Execute.timeout)",
    )
    grade.add_argument(
        "--notebook-timeout",
        type=_positive_float,
        default=600.0,
        help="seconds one whole submission may take before it is stopped (default: 600)",
    )
    grade.add_argument(
        "--memory-mb",
        type=_positive_int,
        default=None,
        help="memory cap of each trainee's kernel in MB (default: half the RAM per job)",
    )
    grade.add_argument(
        "--no-sandbox",
        action="store_true",
        help=(
            "run trainees' code WITHOUT the sandbox, as you, with access to your files and "
            "network (only for notebooks you trust, where the sandbox cannot run)"
        ),
    )
    grade.add_argument(
        "--student",
        action="append",
        default=[],
        metavar="ID",
        help="grade only this trainee (repeat for several)",
    )
    report = commands.add_parser(
        "report",
        help="a cohort report (HTML, PNG figures, CSV) for a graded assignment",
        description=(
            "Write a cohort report for ASSIGNMENT from the gradebook: score distribution, "
            "per-question means and maximums, the hardest questions, who needs manual "
            "grading and who has not submitted. Written to <course>/reports/ASSIGNMENT/."
        ),
    )
    report.add_argument("assignment", metavar="ASSIGNMENT")
    report.add_argument("--course-dir", default=".", help=course_help)
    report.add_argument("--db", default=None, help=db_help)
    report.add_argument("--out", default=None, help="folder for the report files")
    feedback = commands.add_parser(
        "feedback",
        help="write every trainee's feedback again from the gradebook (after manual grading)",
        description=(
            "Write the HTML feedback of every graded submission of ASSIGNMENT again, from "
            "the gradebook as it is now (nbgrader generate_feedback --force), so scores and "
            "comments you changed in the formgrader are in it. Lists the trainees who get "
            "no feedback (broken submissions) and what to do. Files go to feedback/."
        ),
    )
    feedback.add_argument("assignment", metavar="ASSIGNMENT")
    feedback.add_argument("--course-dir", default=".", help=course_help)
    feedback.add_argument("--db", default=None, help=db_help)
    markscheme = commands.add_parser(
        "markscheme",
        help="the grader's sheet: each written part's question, mark scheme and points",
        description=(
            "Write the grader's sheet of ASSIGNMENT, an HTML page with every part graded by "
            "hand: the question, the points, the cell's id and the mark scheme, from the "
            "instructor version in source/. Open it in JupyterLab beside the formgrader. "
            "Written to <course>/reports/ASSIGNMENT/markscheme.html."
        ),
    )
    markscheme.add_argument("assignment", metavar="ASSIGNMENT")
    markscheme.add_argument("--course-dir", default=".", help=course_help)
    markscheme.add_argument("--out", default=None, help="the HTML file to write")
    demo = commands.add_parser(
        "demo",
        help="build a demonstration cohort and run generate, grade, feedback and report",
        description=(
            "Build a scratch nbgrader course with about two dozen invented trainees "
            "(excellent to empty submissions, and a few broken ones), then generate the "
            "assignment, grade it, write feedback and the cohort report."
        ),
    )
    demo.add_argument(
        "--dir",
        default="cda-demo-course",
        help="the folder to create (default: ./cda-demo-course); an existing demo is rebuilt",
    )
    demo.add_argument("--jobs", "-j", type=_positive_int, default=None, help="workers")
    demo.add_argument("--trainees", type=_positive_int, default=24, help="cohort size")
    demo.add_argument(
        "--lab",
        action="store_true",
        help="then open JupyterLab with the formgrader on the demo course",
    )


def _add_handouts_command(commands: argparse._SubParsersAction) -> None:
    """Register ``handouts`` (printable templates, role cards and facilitator's kit)."""
    handouts = commands.add_parser(
        "handouts",
        help="print the templates, role cards and facilitator's kit to PDF and HTML",
        description=(
            "Build every printable handout of the course (templates, role cards with one "
            "card per page, the facilitator's kit and the field-kit questionnaires) as PDF "
            "and HTML, with an index.html listing them. Missing folders are skipped and "
            "said so. PDFs need Chromium; without it, or with --no-pdf, the HTML pages are "
            "built and print from any browser."
        ),
    )
    handouts.add_argument(
        "--course",
        default=None,
        help="the course folder (default: ./course when it exists, else the installed course)",
    )
    handouts.add_argument(
        "--out", default="build/handouts", help="where to write (default: build/handouts)"
    )
    handouts.add_argument("--no-pdf", action="store_true", help="build the HTML pages only")
    handouts.add_argument(
        "--paper", choices=["A4", "Letter"], default="A4", help="PDF paper size (default: A4)"
    )
    handouts.add_argument(
        "--language",
        choices=["en", "fr", "es"],
        default="en",
        help=(
            "print the French or Spanish edition (course/fr, course/es) into OUT/fr or OUT/es "
            "(default: en, the English handouts in OUT)"
        ),
    )


def build_parser() -> argparse.ArgumentParser:
    """Build the argument parser for the ``cdatools`` command.

    Returns
    -------
    argparse.ArgumentParser
        The parser with every available subcommand registered.

    Examples
    --------
    >>> build_parser().prog
    'cdatools'
    """
    parser = argparse.ArgumentParser(
        prog="cdatools",
        description=(
            "Tools for the course 'Cluster Governance, Trust and the Role of the CDA': "
            "helpers for trainees and Cluster Development Agents, and grading tools "
            "for trainers."
        ),
        epilog="Open the course with 'make lab' from the repository folder.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", title="commands", metavar="COMMAND")
    _add_grading_commands(commands)
    _add_handouts_command(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``cdatools`` command.

    Parameters
    ----------
    argv : sequence of str, optional
        Arguments without the program name; defaults to ``sys.argv[1:]``.

    Returns
    -------
    int
        The process exit code: 0 on success.

    Examples
    --------
    >>> main([])  # doctest: +SKIP
    0
    """
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 0
    try:
        return _run(args)
    except KeyboardInterrupt:
        print(f"cdatools {args.command}: stopped (Ctrl+C).", file=sys.stderr)
        return 130


def _run(args: argparse.Namespace) -> int:
    if args.command == "grade":
        return _grade(args)
    if args.command == "report":
        return _report(args)
    if args.command == "demo":
        return _demo(args)
    if args.command == "feedback":
        return _feedback(args)
    if args.command == "markscheme":
        return _markscheme(args)
    if args.command == "handouts":
        return _handouts(args)
    return 0  # pragma: no cover - argparse rejects unknown commands


def _grade(args: argparse.Namespace) -> int:
    from cdatools.grading.progress import summary_table
    from cdatools.grading.run import GradeOptions, GradingError, grade

    options = GradeOptions(
        jobs=args.jobs,
        force=args.force,
        cell_timeout=args.cell_timeout,
        notebook_timeout=args.notebook_timeout,
        memory_mb=args.memory_mb,
        db_url=args.db,
        students=args.student,
        sandbox=not args.no_sandbox,
    )
    try:
        outcomes = grade(args.course_dir, args.assignment, options)
    except GradingError as error:
        print(f"cdatools grade: {error}", file=sys.stderr)
        return 1
    if not outcomes:
        print(f"No submission of {args.assignment} to grade in {args.course_dir}.")
        return 0
    print(summary_table(outcomes))
    return 0


def _report(args: argparse.Namespace) -> int:
    from cdatools.grading.report import ReportError, write_report

    try:
        paths = write_report(args.course_dir, args.assignment, db_url=args.db, out=args.out)
    except ReportError as error:
        print(f"cdatools report: {error}", file=sys.stderr)
        return 1
    print(f"Report: {paths['html']}")
    print(f"Scores (CSV): {paths['csv']}")
    return 0


def _demo(args: argparse.Namespace) -> int:
    from cdatools.grading.demo import DemoError, open_lab, run_demo

    try:
        paths = run_demo(args.dir, jobs=args.jobs, trainees=args.trainees)
    except DemoError as error:
        print(f"cdatools demo: {error}", file=sys.stderr)
        return 1
    if args.lab:
        open_lab(paths["course"])
    return 0


def _feedback(args: argparse.Namespace) -> int:
    from cdatools.grading.feedback import FeedbackError, write_feedback

    try:
        result = write_feedback(args.course_dir, args.assignment, db_url=args.db)
    except FeedbackError as error:
        print(f"cdatools feedback: {error}", file=sys.stderr)
        return 1
    folders = sorted({str(path.parent) for path in result.written})
    print(f"{len(result.written)} feedback files written, from the gradebook as it is now:")
    for folder in folders:
        print(f"  {folder}")
    if result.missing:
        print(f"\nNo feedback for {len(result.missing)} trainees who handed in:")
        for student, why in result.missing.items():
            print(f"  {student}: {why}")
    return 0


def _markscheme(args: argparse.Namespace) -> int:
    from cdatools.grading.markscheme import MarkSchemeError, write_sheet

    try:
        path, parts = write_sheet(args.course_dir, args.assignment, out=args.out)
    except MarkSchemeError as error:
        print(f"cdatools markscheme: {error}", file=sys.stderr)
        return 1
    points = sum(part.points for part in parts)
    count = f"{len(parts)} part{'s' if len(parts) != 1 else ''} graded by hand"
    print(f"Grader's sheet ({count}, {points:g} points): {path}")
    print("Open it in JupyterLab beside the formgrader (drag its tab to one side).")
    return 0


def _handouts(args: argparse.Namespace) -> int:
    from pathlib import Path

    from cdatools.handouts import COURSE_DIR, build_handouts

    course = args.course
    if course is None and Path("course", "templates").is_dir():
        course = "course"
    if course is not None and not Path(course).is_dir():
        print(f"cdatools handouts: the course folder {course} does not exist", file=sys.stderr)
        return 2
    out = Path(args.out)
    if args.language != "en":
        out = out / args.language
        edition = Path(course or COURSE_DIR) / args.language
        if not edition.is_dir():
            print(
                f"cdatools handouts: there is no {args.language} edition ({edition} is missing)",
                file=sys.stderr,
            )
            return 2
    report = build_handouts(
        course, out, pdf=not args.no_pdf, paper=args.paper, language=args.language
    )
    return 0 if report.ok else 1
