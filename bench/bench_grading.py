"""Grade the same cohort with ``nbgrader autograde`` and with ``cdatools grade --jobs 2``.

Usage (from the repository root)::

    .venv/bin/python bench/bench_grading.py                 # the demo cohort (24 trainees)
    .venv/bin/python bench/bench_grading.py --trainees 48   # a larger cohort

The script builds the demonstration cohort of ``cdatools demo`` (submissions from
excellent to empty, an infinite loop, a kernel that exits, a corrupted file, a
changed test cell) in a scratch folder, copies it twice, then in one run times
plain ``nbgrader autograde`` on one copy and ``cdatools grade --jobs N`` on the
other, prints both times and the ratio, and checks that both gave the same score
to every grade of every submission.

Target: at least 1.8 times faster with 2 jobs on a 2-core machine (the limit is 2).
The exit status is 1 when the scores differ or the target is missed.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET = 1.8


def build_cohort(folder: Path, trainees: int) -> tuple[Path, str]:
    """The demo course with its cohort handed in, not yet graded."""
    from cdatools.grading import demo

    course = folder / "cohort"
    demo.prepare_folder(course)
    assignment = demo.build_course(course)
    generated = demo.nbgrader(course, "generate_assignment", assignment, "--force")
    if generated.returncode != 0:
        sys.exit(generated.stderr)
    demo.hand_in(course, assignment, trainees)
    return course, assignment


def timed(command: list[str], cwd: Path) -> float:
    env = dict(os.environ)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, env=env, capture_output=True, check=False)
    return time.perf_counter() - start


def scores(course: Path, assignment: str) -> dict[tuple[str, str], tuple]:
    from nbgrader.api import Gradebook

    from cdatools.grading.course import load_app

    coursedir = load_app(course, assignment).coursedir
    found = {}
    with Gradebook(coursedir.db_url, coursedir.course_id) as gradebook:
        for submission in gradebook.find_assignment(assignment).submissions:
            for notebook in submission.notebooks:
                for grade in notebook.grades:
                    found[(submission.student.id, grade.name)] = (
                        grade.auto_score,
                        float(grade.score),
                    )
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--trainees", type=int, default=24, help="cohort size (default 24)")
    parser.add_argument("--jobs", type=int, default=2, help="cdatools workers (default 2)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-grading-") as scratch:
        folder = Path(scratch)
        cohort, assignment = build_cohort(folder, args.trainees)
        submitted = len(list((cohort / "submitted").iterdir()))
        plain, ours = folder / "nbgrader", folder / "cdatools"
        shutil.copytree(cohort, plain)
        shutil.copytree(cohort, ours)
        nbgrader_bin = [sys.executable, "-m", "nbgrader"]
        cdatools_bin = [sys.executable, "-m", "cdatools"]
        print(f"Cohort: {submitted} submissions of {assignment} on {os.cpu_count()} cores")
        seconds_plain = timed([*nbgrader_bin, "autograde", assignment], plain)
        print(f"nbgrader autograde:            {seconds_plain:7.1f} s")
        seconds_ours = timed([*cdatools_bin, "grade", assignment, "--jobs", str(args.jobs)], ours)
        print(f"cdatools grade --jobs {args.jobs}:       {seconds_ours:7.1f} s")
        ratio = seconds_plain / seconds_ours
        print(f"ratio: {ratio:.2f}x faster (target {TARGET}x)")
        theirs, mine = scores(plain, assignment), scores(ours, assignment)
        different = sorted(k for k in theirs.keys() | mine.keys() if theirs.get(k) != mine.get(k))
        print(
            f"grades compared: {len(theirs)}; different: {len(different)}"
            + (f" {different[:5]}" if different else "")
        )
        return 0 if ratio >= TARGET and not different else 1


if __name__ == "__main__":
    sys.exit(main())
