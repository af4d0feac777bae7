"""Grade every submission of an assignment with several worker processes.

Each worker (:mod:`cdatools.grading.worker`) runs in its own session; its kernels
run in theirs. The parent hands out one submission at a time, stops a worker and
its kernel when the whole-notebook time budget runs out, merges each finished
submission into the course's gradebook (one writer, one submission at a time),
and records every submission's end state in ``reports/<assignment>/grading-states.csv``.
Unless ``GradeOptions.sandbox`` is False, every kernel runs in a bubblewrap sandbox
(:mod:`cdatools.grading.sandbox`); where that cannot run, grading refuses to start.
"""

from __future__ import annotations

import dataclasses
import json
import os
import queue
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import warnings
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from cdatools.grading.course import (
    CourseError,
    folder_digest,
    grading_lock,
    known_assignments,
    load_app,
    read_ledger,
    report_dir,
    require_course,
    submissions,
    unknown_assignment_message,
    write_ledger,
)
from cdatools.grading.progress import Progress
from cdatools.grading.states import Outcome, State, classify_run

DEFAULT_NOTEBOOK_TIMEOUT = 600.0
READY_TIMEOUT = 120.0


class GradingError(RuntimeError):
    """The grading run itself could not go ahead (no assignment, no gradebook, ...)."""


def default_memory_mb(jobs: int) -> int:
    """A memory cap per kernel: half the machine's memory shared by the workers.

    Parameters
    ----------
    jobs : int
        Number of workers.

    Returns
    -------
    int
        Megabytes, between 1536 and 4096.
    """
    try:
        total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // 1024**2
    except (ValueError, OSError, AttributeError):  # pragma: no cover - not POSIX
        total = 8192
    return int(min(4096, max(1536, total // (2 * max(jobs, 1)))))


@dataclass
class GradeOptions:
    """Settings of a grading run.

    Parameters
    ----------
    jobs : int, optional
        Worker processes; the number of CPU cores by default.
    force : bool
        Grade again submissions that an earlier run already processed.
    cell_timeout : int, optional
        Seconds a cell may run (nbgrader's ``Execute.timeout``); the course's
        setting by default.
    notebook_timeout : float
        Seconds a whole submission may take before it is stopped.
    memory_mb : int, optional
        Memory cap of each kernel (address space); see :func:`default_memory_mb`.
    db_url : str, optional
        The gradebook (nbgrader's ``CourseDirectory.db_url``); the course's by default.
    students : list of str
        Grade only these trainees (all when empty).
    nbgrader_args : list of str
        More nbgrader settings, e.g. ``["--LimitOutput.max_lines=200"]``.
    sandbox : bool
        Run each trainee's kernel in a sandbox (:mod:`cdatools.grading.sandbox`).
        False grades as ``nbgrader autograde`` does, trainees' code running as you.
    """

    jobs: int | None = None
    force: bool = False
    cell_timeout: int | None = None
    notebook_timeout: float = DEFAULT_NOTEBOOK_TIMEOUT
    memory_mb: int | None = None
    db_url: str | None = None
    students: list[str] = field(default_factory=list)
    nbgrader_args: list[str] = field(default_factory=list)
    sandbox: bool = True

    def overrides(self) -> list[str]:
        """The nbgrader command-line settings these options amount to."""
        args = list(self.nbgrader_args)
        if self.db_url:
            args.append(f"--CourseDirectory.db_url={self.db_url}")
        if self.cell_timeout is not None:
            args.append(f"--Execute.timeout={int(self.cell_timeout)}")
        return args


@dataclass
class _Worker:
    number: int
    process: subprocess.Popen[str]
    log: Path
    ready: bool = False
    job: dict[str, Any] | None = None
    started: float = 0.0
    kernels: list[int] = field(default_factory=list)


class _Pool:
    """The worker processes and the queue of their messages."""

    def __init__(
        self,
        course: Path,
        assignment: str,
        overrides: list[str],
        scratch: Path,
        sandbox: str = "null",
    ):
        self.course, self.assignment, self.overrides = course, assignment, overrides
        self.scratch, self.sandbox = scratch, sandbox
        self.messages: queue.Queue[tuple[_Worker, dict[str, Any]]] = queue.Queue()
        self.workers: list[_Worker] = []
        self.count = 0
        self.started = time.monotonic()

    def spawn(self) -> _Worker:
        self.count += 1
        log = self.scratch / f"worker-{self.count}.log"
        env = dict(os.environ)
        env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
        with log.open("w", encoding="utf-8") as log_file:
            process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "cdatools.grading.worker",
                    str(self.course),
                    self.assignment,
                    json.dumps(self.overrides),
                    self.sandbox,
                ],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=log_file,
                cwd=self.course,
                env=env,
                text=True,
                encoding="utf-8",
                start_new_session=True,
            )
        worker = _Worker(self.count, process, log)
        self.workers.append(worker)
        threading.Thread(target=self._read, args=(worker,), daemon=True).start()
        return worker

    def _read(self, worker: _Worker) -> None:
        assert worker.process.stdout is not None
        for line in worker.process.stdout:
            try:
                message = json.loads(line)
            except json.JSONDecodeError:
                continue
            self.messages.put((worker, message))
        worker.process.stdout.close()
        self.messages.put((worker, {"event": "eof"}))

    def send(self, worker: _Worker, job: dict[str, Any]) -> None:
        assert worker.process.stdin is not None
        worker.job, worker.started, worker.kernels = job, time.monotonic(), []
        worker.process.stdin.write(json.dumps(job) + "\n")
        worker.process.stdin.flush()

    def kill(self, worker: _Worker) -> None:
        """Stop a worker, its kernels and everything they started."""
        for pid in [*worker.kernels, worker.process.pid]:
            try:
                os.killpg(pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        try:
            worker.process.wait(timeout=30)
        except subprocess.TimeoutExpired:  # pragma: no cover - SIGKILL does not hang
            pass
        if worker.process.stdin is not None and not worker.process.stdin.closed:
            try:
                worker.process.stdin.close()
            except OSError:
                pass
        if worker in self.workers:
            self.workers.remove(worker)

    def close(self) -> None:
        for worker in list(self.workers):
            try:
                if worker.process.stdin is not None:
                    worker.process.stdin.close()
                worker.process.wait(timeout=20)
            except (subprocess.TimeoutExpired, OSError):
                pass
            self.kill(worker)


def grade(
    course: str | Path,
    assignment: str,
    options: GradeOptions | None = None,
    progress: TextIO | None = None,
) -> list[Outcome]:
    """Autograde every submission of an assignment in parallel; record the results.

    Parameters
    ----------
    course : str or Path
        The nbgrader course root.
    assignment : str
        The assignment to grade (it must have been generated).
    options : GradeOptions, optional
        Workers, limits, gradebook; defaults suit a laptop.
    progress : text file, optional
        Where the progress bar goes (standard error by default).

    Returns
    -------
    list of Outcome
        One per submission (skipped ones included), sorted by trainee.

    Raises
    ------
    GradingError
        When grading cannot start (unknown course or assignment, gradebook error).
    """
    options = options or GradeOptions()
    try:
        course = require_course(course)
        _check_assignment(course, assignment, options)
        with grading_lock(course, assignment):
            return _grade_locked(course, assignment, options, progress)
    except CourseError as error:
        raise GradingError(str(error)) from None


def _grade_locked(
    course: Path, assignment: str, options: GradeOptions, progress: TextIO | None
) -> list[Outcome]:
    jobs = options.jobs or os.cpu_count() or 1
    scratch = Path(tempfile.mkdtemp(prefix=f"cdatools-grade-{assignment}-"))
    try:
        sandbox, probe = _start_sandbox(course, scratch, options, progress)
    except BaseException:
        shutil.rmtree(scratch, ignore_errors=True)
        raise
    pool = _Pool(
        course, assignment, options.overrides(), scratch, sandbox.to_json() if sandbox else "null"
    )
    try:
        # Start the workers first: each needs a few seconds to import nbgrader, which
        # they do while this process reads the course and its gradebook.
        for _ in range(min(jobs, len(list(course.glob(f"submitted/*/{assignment}"))))):
            pool.spawn()
        from sqlalchemy.exc import SAWarning

        with warnings.catch_warnings():
            # nbgrader's add_submission trips SQLAlchemy 2 autoflush warnings; harmless.
            warnings.simplefilter("ignore", SAWarning)
            return _grade(course, assignment, options, jobs, pool, progress, probe)
    finally:
        pool.close()
        if probe is not None:
            probe.close()
        shutil.rmtree(scratch, ignore_errors=True)


def _start_sandbox(
    course: Path, scratch: Path, options: GradeOptions, progress: TextIO | None
) -> tuple[Any, Any]:
    """The run's sandbox settings and its probe (None, None without the sandbox).

    The probe starts a first sandbox at once and runs while the workers start.
    """
    from cdatools.grading import sandbox as sandboxing

    if not options.sandbox:
        print(sandboxing.NO_SANDBOX_WARNING, file=progress or sys.stderr, flush=True)
        return None, None
    try:
        plan = sandboxing.plan(scratch, [course, scratch, Path.home()])
        probe = sandboxing.Probe(plan, scratch)
    except (sandboxing.SandboxError, OSError) as error:
        raise GradingError(f"cannot grade in a sandbox: {error}") from None
    # Grading processes copy matplotlib's font cache from where the probe builds it.
    return dataclasses.replace(plan, seed=str(probe.tmp / "matplotlib")), probe


def _grade(
    course: Path,
    assignment: str,
    options: GradeOptions,
    jobs: int,
    pool: _Pool,
    progress: TextIO | None,
    probe: Any = None,
) -> list[Outcome]:
    from nbgrader.api import Gradebook
    from nbgrader.preprocessors import AssignLatePenalties

    from cdatools.grading.merge import build_template, known_student, merge_submission

    memory_mb = options.memory_mb or default_memory_mb(jobs)
    overrides = options.overrides()
    try:
        app = load_app(course, assignment, overrides)
    except SystemExit as exit_:  # traitlets reports bad settings by exiting
        raise GradingError(f"nbgrader could not read the settings {overrides}") from exit_
    coursedir = app.coursedir
    found = submissions(coursedir, assignment)
    if options.students:
        wanted = set(options.students)
        found = [s for s in found if s.student in wanted]
    ledger = read_ledger(course, assignment)
    outcomes: dict[str, Outcome] = {}
    todo = []
    for submission in found:
        digest = folder_digest(submission.folder)
        previous = ledger.get(submission.student)
        autograded = Path(
            coursedir.format_path(coursedir.autograded_directory, submission.student, assignment)
        )
        if not options.force and previous and previous[1] == digest:
            if autograded.exists() or previous[0].state is not State.GRADED:
                outcomes[submission.student] = _skipped(previous[0])
                continue
        todo.append((submission, digest))
    workers = min(jobs, len(todo))
    for worker in pool.workers[workers:]:
        pool.kill(worker)
    try:
        template, _ = build_template(
            coursedir.db_url, coursedir.course_id, assignment, pool.scratch / "template.db"
        )
    except LookupError as error:
        raise GradingError(str(error)) from None
    except Exception as error:
        raise GradingError(f"cannot open the gradebook {coursedir.db_url}: {error}") from error
    if probe is not None and todo:
        from cdatools.grading.sandbox import SandboxError

        try:
            probe.result()
        except SandboxError as error:
            raise GradingError(f"cannot grade in a sandbox: {error}") from None
    progress_bar = Progress(len(todo), assignment, stream=progress)
    with Gradebook(coursedir.db_url, coursedir.course_id) as gradebook:
        penalties = AssignLatePenalties(parent=app)
        try:
            _loop(
                pool,
                deque(todo),
                workers,
                options,
                memory_mb,
                template,
                gradebook,
                app,
                penalties,
                outcomes,
                ledger,
                progress_bar,
                known_student,
                merge_submission,
            )
        finally:
            pool.close()
            if todo:
                progress_bar.close()
            _collect_logs(pool.scratch, report_dir(course, assignment))
    return [outcomes[s] for s in sorted(outcomes)]


def _check_assignment(course: Path, assignment: str, options: GradeOptions) -> None:
    """Refuse a name the course does not know, suggesting the nearest ones."""
    if (course / "source" / assignment).is_dir():
        return
    try:
        coursedir = load_app(course, assignment, options.overrides()).coursedir
    except SystemExit as exit_:  # traitlets reports bad settings by exiting
        raise GradingError(f"nbgrader could not read the settings {options.overrides()}") from exit_
    names = known_assignments(coursedir)
    if assignment not in names:
        names = known_assignments(coursedir, _recorded_assignments(coursedir))
    if assignment not in names:
        raise GradingError(unknown_assignment_message(assignment, names))


def _recorded_assignments(coursedir: Any) -> list[str]:
    """The assignments the gradebook records (none when its SQLite file does not exist)."""
    from nbgrader.api import Gradebook

    url = coursedir.db_url
    if url.startswith("sqlite:///") and not Path(url.removeprefix("sqlite:///")).exists():
        return []
    try:
        with Gradebook(url, coursedir.course_id) as gradebook:
            return [a.name for a in gradebook.assignments]
    except Exception as error:
        raise GradingError(f"cannot open the gradebook {url}: {error}") from error


def _skipped(previous: Outcome) -> Outcome:
    return Outcome(
        student=previous.student,
        state=previous.state,
        details=previous.details,
        score=previous.score,
        max_score=previous.max_score,
        seconds=0.0,
        skipped=True,
    )


def _loop(
    pool: _Pool,
    pending: deque[Any],
    workers: int,
    options: GradeOptions,
    memory_mb: int,
    template: str,
    gradebook: Any,
    app: Any,
    penalties: Any,
    outcomes: dict[str, Outcome],
    ledger: dict[str, tuple[Outcome, str]],
    progress: Progress,
    known_student: Any,
    merge_submission: Any,
) -> None:
    coursedir = app.coursedir
    course, assignment = pool.course, pool.assignment
    template_file = template.removeprefix("sqlite:///")
    digests = {s.student: d for s, d in pending}
    for _ in range(workers - len(pool.workers)):
        pool.spawn()
    spawned_at = pool.started

    def finish(outcome: Outcome) -> None:
        outcomes[outcome.student] = outcome
        ledger[outcome.student] = (outcome, digests[outcome.student])
        write_ledger(course, assignment, ledger)
        progress.update(outcome)

    def dispatch(worker: _Worker) -> None:
        if not pending:
            return
        submission, _ = pending.popleft()
        known, extension = known_student(gradebook, assignment, submission.student)
        gradebook.db.rollback()  # end the read transaction before the worker runs
        job_dir = pool.scratch / f"job-{submission.student}"
        job_dir.mkdir()
        pool.send(
            worker,
            {
                "student": submission.student,
                "scratch": str(job_dir),
                "template": template_file,
                "known": known,
                "extension_seconds": None if extension is None else extension.total_seconds(),
                "memory_mb": memory_mb,
            },
        )
        progress.start(submission.student)

    def flagged(worker: _Worker, state: State, detail: str) -> None:
        """A submission whose run was stopped: clear its automatic scores, keep nothing."""
        assert worker.job is not None
        student = worker.job["student"]
        score, maximum = _clear_submission(gradebook, app, student)
        _remove_autograded(coursedir, student, assignment)
        finish(
            Outcome(
                student,
                state,
                [detail],
                score,
                maximum,
                time.monotonic() - worker.started,
            )
        )
        shutil.rmtree(worker.job["scratch"], ignore_errors=True)
        worker.job = None

    while pending or any(w.job for w in pool.workers):
        busy = [w for w in pool.workers if w.job]
        now = time.monotonic()
        deadline = min(
            [w.started + options.notebook_timeout for w in busy]
            + ([spawned_at + READY_TIMEOUT] if not any(w.ready for w in pool.workers) else [])
            + [now + 1.0]
        )
        try:
            worker, message = pool.messages.get(timeout=max(0.05, deadline - now))
        except queue.Empty:
            worker, message = None, None
        if worker is not None and worker not in pool.workers:
            continue  # a message from a worker already stopped
        event = (message or {}).get("event")
        if worker is not None and event == "ready":
            worker.ready = True
            dispatch(worker)
        elif worker is not None and event == "kernel":
            worker.kernels.append(int(message["pid"]))
        elif worker is not None and event == "done":
            job, started = worker.job, worker.started
            assert job is not None
            seconds = time.monotonic() - started
            worker.job = None
            # Give the worker its next submission first, then merge this one meanwhile.
            dispatch(worker)
            outcome = _finish_job(
                message, job, seconds, gradebook, app, penalties, merge_submission
            )
            shutil.rmtree(job["scratch"], ignore_errors=True)
            finish(outcome)
        elif worker is not None and event == "eof":
            code = worker.process.wait()
            if worker.job is None and not worker.ready:
                pool.kill(worker)
                raise GradingError(
                    f"a grading process could not start (exit code {code}): "
                    + worker.log.read_text(encoding="utf-8")[-3000:]
                )
            if worker.job is not None:
                flagged(worker, State.ERROR, f"the grading process stopped (exit code {code})")
            pool.kill(worker)
            if pending:
                pool.spawn()
        # Stop what ran out of time.
        now = time.monotonic()
        for worker in [w for w in pool.workers if w.job]:
            if now - worker.started > options.notebook_timeout:
                pool.kill(worker)
                flagged(
                    worker,
                    State.TIMED_OUT,
                    f"stopped after {options.notebook_timeout:g} s (whole-notebook time budget)",
                )
                if pending:
                    pool.spawn()
        if not any(w.ready for w in pool.workers) and now - spawned_at > READY_TIMEOUT:
            raise GradingError("the grading processes did not start within two minutes")


def _finish_job(
    message: dict[str, Any],
    job: dict[str, Any],
    seconds: float,
    gradebook: Any,
    app: Any,
    penalties: Any,
    merge_submission: Any,
) -> Outcome:
    coursedir = app.coursedir
    assignment, student = coursedir.assignment_id, job["student"]
    if "internal_error" in message:
        score, maximum = _clear_submission(gradebook, app, student)
        _remove_autograded(coursedir, student, assignment)
        last = message["internal_error"].strip().splitlines()[-1:]
        detail = f"grading error: {' '.join(last)}"
        return Outcome(student, State.ERROR, [detail], score, maximum, seconds)
    state, details = classify_run(
        corrupt=message["corrupt"],
        tampering=message["tampering"],
        errors=message["errors"],
        failure=message["failure"],
        kernel_exit=message["kernel_exit"],
    )
    score, maximum = merge_submission(
        gradebook,
        message["db_url"],
        coursedir.course_id,
        assignment,
        student,
        message["completed"],
        penalties,
    )
    _remove_autograded(coursedir, student, assignment)
    if message["autograded"]:
        destination = Path(
            coursedir.format_path(coursedir.autograded_directory, student, assignment)
        )
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copytree(message["autograded"], destination)
    return Outcome(student, state, details, score, maximum, seconds)


def _clear_submission(gradebook: Any, app: Any, student: str) -> tuple[float, float]:
    """Record a submission whose run never finished: no automatic score at all."""
    from cdatools.grading.merge import clear_submission

    coursedir = app.coursedir
    assignment = coursedir.assignment_id
    folder = coursedir.format_path(coursedir.submitted_directory, student, assignment)
    timestamp = coursedir.get_existing_timestamp(folder)
    return clear_submission(gradebook, assignment, student, timestamp)


def _remove_autograded(coursedir: Any, student: str, assignment: str) -> None:
    folder = Path(coursedir.format_path(coursedir.autograded_directory, student, assignment))
    if folder.exists():
        shutil.rmtree(folder)


def _collect_logs(scratch: Path, destination: Path) -> None:
    """Keep the workers' nbgrader logs in ``reports/<assignment>/grading.log``."""
    logs = sorted(scratch.glob("worker-*.log"))
    if not logs:
        return
    destination.mkdir(parents=True, exist_ok=True)
    with (destination / "grading.log").open("w", encoding="utf-8") as out:
        for log in logs:
            out.write(f"===== {log.stem} =====\n")
            out.write(log.read_text(encoding="utf-8", errors="replace"))
