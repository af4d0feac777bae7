"""A grading process: autogrades submissions one at a time with nbgrader's ``Autograde``.

The parent (:mod:`cdatools.grading.run`) starts each worker as
``python -m cdatools.grading.worker COURSE ASSIGNMENT OVERRIDES_JSON SANDBOX_JSON`` in its
own session (process group) and talks to it in JSON lines: the worker says ``ready``,
receives one job per line, reports the kernel's process id as soon as the kernel
starts (so the parent can stop it), and answers ``done`` with what happened.

For each job the worker builds a private course folder: a link to the course's
``source/<assignment>``, a copy of the one submission, and a private copy of the
gradebook template. It then runs nbgrader's own ``Autograde`` converter there,
configured exactly as ``nbgrader autograde`` would be, with two additions that do
not change any score: the kernel is started with a memory cap (``RLIMIT_AS``), and
the notebook being executed is kept so a kernel death can be diagnosed.

Unless the trainer turned it off, every kernel runs in a bubblewrap sandbox
(:mod:`cdatools.grading.sandbox`): it sees its working copy (the private copy of the
submission), a private ``/tmp`` and what Python needs, nothing else; it has no network
and talks to this process over Unix sockets (ZMQ's ``ipc`` transport); interrupts are
sent as messages (a signal would reach bubblewrap, not the kernel).
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

from jupyter_client.manager import AsyncKernelManager
from nbgrader.converters import Autograde, NbGraderException
from nbgrader.preprocessors import DeduplicateIds, Execute
from traitlets import Enum

from cdatools.grading import checks
from cdatools.grading.course import load_app
from cdatools.grading.merge import prepare_private_gradebook
from cdatools.grading.sandbox import Sandbox, kernel_environment
from cdatools.grading.states import output_errors
from cdatools.nbgrader_fixes import DeduplicateIds as FixedDeduplicateIds

# Set by the worker for the job at hand.
_MEMORY_BYTES: int | None = None
_NOTIFY: Callable[[dict[str, Any]], None] = lambda message: None  # noqa: E731
_KERNELS: list[Any] = []
_EXECUTING: dict[str, Any] = {}
_SANDBOX: Sandbox | None = None
# The job's private folder (every sandboxed kernel works inside it) and the folders
# made for its kernels (connection files and sockets, private /tmp).
_JOB: dict[str, Any] = {"dir": None, "made": []}
# A Unix socket's path has at most 107 bytes: connection folders go here when short.
_SOCKET_PATH_ROOM = 100


def _connection_folder() -> Path:
    job = _JOB["dir"]
    root = job.parent if job is not None else Path(tempfile.gettempdir())
    if len(str(root)) + len("/kXXXXXXXX/kernel-ipc-NN") > _SOCKET_PATH_ROOM:
        root = Path("/tmp")
    folder = Path(tempfile.mkdtemp(prefix="k", dir=root))
    _JOB["made"].append(folder)
    return folder


def _cap_memory(limit: int) -> None:  # pragma: no cover - runs in the kernel's child
    import resource

    try:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (ValueError, OSError):
        pass


class CappedKernelManager(AsyncKernelManager):
    """A kernel manager whose kernels run under a memory cap, sandboxed, and are reported."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._folder: Path | None = None
        if _SANDBOX is not None:
            # Unix sockets in a folder the sandbox shares: no network needed.
            self._folder = _connection_folder()
            self.transport = "ipc"
            self.connection_file = str(self._folder / "kernel.json")
            self.ip = str(self._folder / "kernel-ipc")

    def _sandboxed(self, kernel_cmd: list[str], kw: dict[str, Any]) -> list[str]:
        assert _SANDBOX is not None and self._folder is not None
        job = _JOB["dir"]
        workdir = Path(kw.get("cwd") or os.getcwd()).resolve()
        if job is None or job.resolve() not in workdir.parents:
            raise RuntimeError(f"refusing to run a kernel in {workdir}: not a private copy")
        program = Path(shutil.which(kernel_cmd[0]) or kernel_cmd[0]).resolve()
        if not any(Path(p) in program.parents for p in ("/usr", *_SANDBOX.readonly)):
            raise RuntimeError(
                f"the kernel's program {program} lies outside what the sandbox shows "
                f"({', '.join(_SANDBOX.readonly)}): use a kernel of the Python that runs "
                "cdatools"
            )
        tmpdir = Path(tempfile.mkdtemp(prefix="tmp-", dir=job))
        _JOB["made"].append(tmpdir)
        _SANDBOX.prepare(tmpdir, workdir, self._folder)
        kw["env"] = kernel_environment(kw.get("env") or os.environ, _SANDBOX.path_dirs())
        # Keep the launcher from setting JPY_PARENT_PID (kernel_environment sets it to 1).
        kw["independent"] = True
        # SIGINT would reach bubblewrap (outside the sandbox), not the kernel.
        self.kernel_spec.interrupt_mode = "message"
        return _SANDBOX.command(
            kernel_cmd, workdir=str(workdir), tmpdir=str(tmpdir), ipcdir=str(self._folder)
        )

    async def _async_launch_kernel(self, kernel_cmd: list[str], **kw: Any) -> None:
        if _MEMORY_BYTES:
            limit = _MEMORY_BYTES
            kw["preexec_fn"] = lambda: _cap_memory(limit)
        if _SANDBOX is not None:
            kernel_cmd = self._sandboxed(kernel_cmd, kw)
        await super()._async_launch_kernel(kernel_cmd, **kw)
        process = getattr(self.provisioner, "process", None)
        if process is not None:
            _KERNELS.append(process)
            _NOTIFY({"event": "kernel", "pid": process.pid})


class CappedExecute(Execute):
    """nbgrader's ``Execute`` (same configuration) with :class:`CappedKernelManager`.

    The kernel is stopped at once when the notebook has run (nbclient's
    ``shutdown_kernel = "immediate"``) instead of waiting for it to exit politely;
    every cell has run by then, so no score changes, and a worker is free half a
    second sooner. ``Execute.shutdown_kernel`` in the course's configuration wins.
    """

    shutdown_kernel = Enum(["graceful", "immediate"], default_value="immediate").tag(config=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("kernel_manager_class", CappedKernelManager)
        super().__init__(*args, **kwargs)

    def preprocess(self, nb: Any, resources: Any = None, km: Any = None) -> Any:
        _EXECUTING["notebook"] = nb
        return super().preprocess(nb, resources, km=km)


class TrackedAutograde(Autograde):
    """nbgrader's ``Autograde`` that records which notebooks finished and why others did not."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.autograde_preprocessors = [
            CappedExecute if pp is Execute else pp for pp in self.autograde_preprocessors
        ]
        # A course that lists nbgrader's own DeduplicateIds gets the fixed one (a copied
        # grading cell would otherwise lose the trainee the whole notebook).
        self.sanitize_preprocessors = [
            FixedDeduplicateIds if pp is DeduplicateIds else pp
            for pp in self.sanitize_preprocessors
        ]
        self.completed: list[str] = []
        self.failures: dict[str, str] = {}

    def convert_single_notebook(self, notebook_filename: str) -> None:
        notebook_id = Path(notebook_filename).stem
        try:
            super().convert_single_notebook(notebook_filename)
        except BaseException as error:
            self.failures[notebook_id] = f"{type(error).__name__}: {error}"[:500]
            raise
        self.completed.append(notebook_id)


def grade_one(app: Any, job: dict[str, Any]) -> dict[str, Any]:
    """Autograde one submission in a private course folder.

    Parameters
    ----------
    app : nbgrader.apps.AutogradeApp
        The initialised application (configuration) of the real course.
    job : dict
        ``student``, ``scratch`` (an empty folder to work in), ``template`` (the
        gradebook template file), ``known`` (the trainee is in the course's
        gradebook), ``extension_seconds`` and ``memory_mb``.

    Returns
    -------
    dict
        ``completed`` and ``failures`` by notebook, ``corrupt`` and ``tampering``
        notes, output ``errors`` by name, the kernel's exit code, and the paths of
        the private gradebook and autograded folder.
    """
    global _MEMORY_BYTES
    from datetime import timedelta

    from nbgrader.coursedir import CourseDirectory

    student, real = job["student"], app.coursedir
    assignment = real.assignment_id
    scratch = Path(job["scratch"])
    coursedir = CourseDirectory(parent=app)
    coursedir.root = str(scratch)
    coursedir.assignment_id = assignment
    coursedir.student_id = student
    coursedir.notebook_id = "*"
    source_link = Path(coursedir.format_path(coursedir.source_directory, ".", assignment))
    source_link.parent.mkdir(parents=True, exist_ok=True)
    real_source = Path(real.format_path(real.source_directory, ".", assignment)).resolve()
    if real_source.exists():
        source_link.symlink_to(real_source, target_is_directory=True)
    submitted = Path(coursedir.format_path(coursedir.submitted_directory, student, assignment))
    original = real.format_path(real.submitted_directory, student, assignment)
    if _SANDBOX is None:
        shutil.copytree(original, submitted)
    else:
        # A link in a submission would be followed here, by the grader, and whatever
        # it points at (the gradebook, say) copied in beside the notebook: keep no link.
        shutil.copytree(original, submitted, symlinks=True)
        for path in sorted(submitted.rglob("*")):
            if path.is_symlink():
                print(f"sandbox: left out the link {path.name} -> {os.readlink(path)}")
                path.unlink()
    extension = job.get("extension_seconds")
    private = prepare_private_gradebook(
        job["template"],
        scratch / "gradebook.db",
        real.course_id,
        assignment,
        student if job.get("known") else None,
        None if extension is None else timedelta(seconds=extension),
    )
    coursedir.db_url = f"sqlite:///{(scratch / 'gradebook.db').resolve()}"
    corrupt, tampering = [], []
    visible = checks.hidden_test_remover(app)
    with private:
        for recorded in private.find_assignment(assignment).notebooks:
            path = submitted / f"{recorded.name}.ipynb"
            if not path.exists():
                continue
            notebook, problem = checks.read_notebook(path)
            if problem:
                corrupt.append(problem)
            else:
                tampering += checks.find_tampering(notebook, recorded, visible)

    _MEMORY_BYTES = int(job["memory_mb"]) * 1024**2 if job.get("memory_mb") else None
    _KERNELS.clear()
    _EXECUTING.clear()
    _JOB["dir"], _JOB["made"] = scratch, []
    converter = TrackedAutograde(coursedir=coursedir, parent=app)
    converter.force = True
    failure = None
    try:
        converter.start()
    except NbGraderException as error:
        failure = "; ".join(converter.failures.values()) or f"NbGraderException: {error}"
    except MemoryError:
        failure = "MemoryError: the grading process ran out of memory (output too large?)"
    finally:
        for folder in _JOB["made"]:
            shutil.rmtree(folder, ignore_errors=True)
    errors: dict[str, list[str]] = {}
    autograded = Path(coursedir.format_path(coursedir.autograded_directory, student, assignment))
    for path in sorted(autograded.glob("*.ipynb")) if autograded.exists() else []:
        for name, cells in output_errors(json.loads(path.read_text(encoding="utf-8"))).items():
            errors.setdefault(name, []).extend(f"{path.stem}: {c}" for c in cells)
    if failure and "notebook" in _EXECUTING:
        for name, cells in output_errors(_EXECUTING["notebook"]).items():
            errors.setdefault(name, []).extend(cells)
    kernel_exit = None
    if failure:
        for process in _KERNELS:
            for _ in range(20):
                if process.poll() is not None:
                    break
                time.sleep(0.05)
            if process.returncode is not None:
                kernel_exit = process.returncode
                if _SANDBOX is not None and kernel_exit > 128:
                    # bubblewrap reports a kernel killed by signal N as 128 + N.
                    kernel_exit = 128 - kernel_exit
    return {
        "event": "done",
        "student": student,
        "completed": converter.completed,
        "failures": converter.failures,
        "failure": failure,
        "corrupt": corrupt,
        "tampering": tampering,
        "errors": errors,
        "kernel_exit": kernel_exit,
        "db_url": coursedir.db_url,
        "autograded": str(autograded) if autograded.exists() and not failure else None,
    }


def serve(
    course: str,
    assignment: str,
    overrides: list[str],
    channel: TextIO,
    sandbox: Sandbox | None = None,
) -> None:
    """Answer grading jobs read from standard input until it closes.

    Parameters
    ----------
    course : str
        The course root.
    assignment : str
        The assignment to grade.
    overrides : list of str
        nbgrader command-line settings (e.g. ``--Execute.timeout=10``).
    channel : text file
        Where JSON messages to the parent go.
    sandbox : Sandbox, optional
        How to sandbox the kernels; None runs them as this process's user, unconfined.
    """
    global _NOTIFY, _SANDBOX

    def send(message: dict[str, Any]) -> None:
        channel.write(json.dumps(message) + "\n")
        channel.flush()

    _NOTIFY = send
    _SANDBOX = sandbox
    app = load_app(course, assignment, overrides, log_level="INFO")
    send({"event": "ready", "pid": os.getpid()})
    for line in sys.stdin:
        if not line.strip():
            continue
        job = json.loads(line)
        try:
            send(grade_one(app, job))
        except Exception:
            send(
                {
                    "event": "done",
                    "student": job.get("student"),
                    "internal_error": traceback.format_exc()[-2000:],
                }
            )


def main(argv: list[str] | None = None) -> int:
    """Entry point of a worker process (not meant to be run by hand)."""
    args = sys.argv[1:] if argv is None else argv
    course, assignment, overrides = args[0], args[1], json.loads(args[2])
    sandbox = Sandbox.from_json(args[3]) if len(args) > 3 else None
    # Keep the message channel for ourselves; anything else written to standard
    # output (by the kernel, say) goes to the log instead.
    channel = os.fdopen(os.dup(1), "w", buffering=1, encoding="utf-8")
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    serve(course, assignment, overrides, channel, sandbox)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
