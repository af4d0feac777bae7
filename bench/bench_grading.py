"""Grade the same cohort with ``nbgrader autograde`` and with ``cdatools grade --jobs 2``.

Usage (from the repository root)::

    .venv/bin/python bench/bench_grading.py                 # the demo cohort (24 trainees)
    .venv/bin/python bench/bench_grading.py --trainees 48   # a larger cohort

The script builds the demonstration cohort of ``cdatools demo`` (submissions from
excellent to empty, an infinite loop, a kernel that exits, a corrupted file, a
changed test cell) in a scratch folder, copies it three times, then in one run times
plain ``nbgrader autograde`` on one copy, ``cdatools grade --jobs N`` (each kernel in
its sandbox, as trainers run it) on another and ``cdatools grade --jobs N --no-sandbox``
on the third. It prints the times, the speed-up of the sandboxed run over nbgrader,
the sandbox's cost per submission (the two cdatools runs compared, and the start of
one empty sandbox against a plain Python start), and checks that all three gave the
same score to every grade of every submission.

Target: at least 2.0 times faster than nbgrader, sandbox on, with 2 jobs on a 2-core
machine. Compare figures within one run: the machine may be shared and its load
changes between runs. The exit status is 1 when the scores differ or the target is
missed.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET = 2.0
STARTS = 10


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


def sandbox_start(scratch: Path) -> tuple[float, float]:
    """Median seconds to run ``python -c pass`` in an empty sandbox, and without one."""
    from cdatools.grading import sandbox

    settings = sandbox.plan(scratch, [])
    work, tmp = scratch / "start-work", scratch / "start-tmp"
    work.mkdir()
    tmp.mkdir()
    settings.prepare(tmp, work)
    plain = [sys.executable, "-c", "pass"]
    boxed = settings.command(plain, workdir=str(work), tmpdir=str(tmp))
    env = sandbox.kernel_environment(os.environ, settings.path_dirs())

    def median(command: list[str]) -> float:
        times = []
        for _ in range(STARTS):
            start = time.perf_counter()
            subprocess.run(command, env=env, check=True, capture_output=True)
            times.append(time.perf_counter() - start)
        return statistics.median(times)

    return median(boxed), median(plain)


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
        plain, ours, open_ = folder / "nbgrader", folder / "cdatools", folder / "no-sandbox"
        for copy in (plain, ours, open_):
            shutil.copytree(cohort, copy)
        nbgrader_bin = [sys.executable, "-m", "nbgrader"]
        grade = [sys.executable, "-m", "cdatools", "grade", assignment, "--jobs", str(args.jobs)]
        print(f"Cohort: {submitted} submissions of {assignment} on {os.cpu_count()} cores")
        print(f"Load average before: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
        seconds_plain = timed([*nbgrader_bin, "autograde", assignment], plain)
        print(f"nbgrader autograde (serial):              {seconds_plain:7.1f} s")
        seconds_ours = timed(grade, ours)
        print(f"cdatools grade --jobs {args.jobs} (sandbox):        {seconds_ours:7.1f} s")
        seconds_open = timed([*grade, "--no-sandbox"], open_)
        print(f"cdatools grade --jobs {args.jobs} --no-sandbox:     {seconds_open:7.1f} s")
        print(f"Load average after: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
        ratio = seconds_plain / seconds_ours
        print(f"speed-up, sandbox on: {ratio:.2f}x (target {TARGET}x)")
        print(f"speed-up, no sandbox: {seconds_plain / seconds_open:.2f}x")
        per = (seconds_ours - seconds_open) / submitted
        print(
            f"sandbox cost per submission: {per:+.2f} s of wall-clock time with {args.jobs} "
            f"jobs ({per * args.jobs:+.2f} s of a worker's time)"
        )
        boxed, bare = sandbox_start(folder)
        print(
            f"start of Python: {boxed * 1000:.0f} ms in a sandbox, {bare * 1000:.0f} ms without "
            f"(sandbox set-up {1000 * (boxed - bare):.0f} ms; median of {STARTS})"
        )
        theirs = scores(plain, assignment)
        different = []
        for name, copy in (("sandbox", ours), ("no sandbox", open_)):
            mine = scores(copy, assignment)
            wrong = sorted(k for k in theirs.keys() | mine.keys() if theirs.get(k) != mine.get(k))
            print(
                f"grades compared with nbgrader ({name}): {len(theirs)}; different: {len(wrong)}"
                + (f" {wrong[:5]}" if wrong else "")
            )
            different += wrong
        return 0 if ratio >= TARGET and not different else 1


if __name__ == "__main__":
    sys.exit(main())
