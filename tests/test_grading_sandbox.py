"""``cdatools grade`` runs each trainee's kernel in a bubblewrap sandbox.

Trainees hand in notebooks that try to escape, each in the ways a curious or dishonest
trainee would write it: read the solutions by absolute path (in the test course and in
the repository's own ``exercises/source``), read another trainee's submission, read the
course gradebook and the private one next to their working copy, read and write in the
trainer's home, write into the course and the repository, connect to a listener the
test opens on 127.0.0.1, and leave a process running. Every attempt must fail where it
is made, nothing from outside may reach the graded copy or the feedback, the run must
go on, and honest trainees in the same run must be graded as before.
"""

from __future__ import annotations

import copy
import doctest
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import nbformat
import pytest

from cdatools.grading import cohort, sandbox
from cdatools.grading.run import GradeOptions, grade
from cdatools.grading.sample import SAMPLE_ASSIGNMENT, write_sample_source
from cdatools.grading.states import State
from tests.nbgrader_course import nbgrader, released, scratch_course, source, submit

A = SAMPLE_ASSIGNMENT
NB = f"{A}.ipynb"
REPO = Path(__file__).resolve().parents[1]
REPO_SOLUTION = REPO / "exercises" / "source" / "01-workplan" / "01-workplan.ipynb"
OPTIONS = GradeOptions(jobs=2, cell_timeout=20, notebook_timeout=120, memory_mb=1536)
TOKEN = uuid.uuid4().hex[:12]
# Secrets planted where no kernel may look; none may appear in what a trainee gets back.
OTHER_TRAINEE_SECRET = f"written-by-honest-{TOKEN}"
GRADEBOOK_SECRET = f"Gradebook{TOKEN}"
HOME_SECRET = f"trainer-home-{TOKEN}"
SOLUTION_MARKERS = ("BEGIN SOLUTION", "BEGIN MARK SCHEME")
# A sleep no other process on the machine runs (found by its command line afterwards).
SLEEP_SECONDS = f"{600 + int(TOKEN, 16) % 1000}.{int(TOKEN, 16) % 10000:04d}"


def attack_cells(course: Path, port: int) -> dict[str, list[str]]:
    """Each trainee's escape attempts: one code cell per attempt, no error handling."""
    home_secret = Path.home() / f".cdatools-sandbox-test-{TOKEN}"
    return {
        "reads_solution": [
            f"print(open({str(course / 'source' / A / NB)!r}).read())",
            f"print(open({str(REPO_SOLUTION)!r}).read())",
            f"import os\nprint(os.listdir({str(course / 'source')!r}))",
        ],
        "reads_classmate": [
            f"print(open({str(course / 'submitted' / 'honest' / A / NB)!r}).read())",
            f"import glob, os\nprint(os.listdir({str(course / 'submitted')!r}))",
        ],
        "reads_gradebook": [
            f"print(open({str(course / 'gradebook.db')!r}, 'rb').read())",
            # The private gradebook of this very run sits three folders up.
            "print(open('../../../gradebook.db', 'rb').read())",
            f"print(open({str(home_secret)!r}).read())",
        ],
        # Hands in links to a classmate's notebook and to the gradebook (see the fixture).
        "links_classmate": [
            "print(open('classmate.ipynb').read())",
            "print(open('loot.db', 'rb').read())",
        ],
        "writes_outside": [
            f"open({str(course / f'pwned-{TOKEN}.txt')!r}, 'w').write('pwned')",
            f"open({str(REPO / 'datasets' / f'pwned-{TOKEN}.csv')!r}, 'w').write('pwned')",
            f"open({str(Path.home() / f'pwned-{TOKEN}')!r}, 'w').write('pwned')",
            # Succeeds, but in the sandbox's private /tmp, which nobody else sees.
            f"open('/tmp/pwned-{TOKEN}', 'w').write('pwned')\nprint('wrote to my own /tmp')",
        ],
        "phones_home": [
            f"import socket\nsocket.create_connection(('127.0.0.1', {port}), timeout=5)",
            "import socket\nsocket.create_connection(('1.1.1.1', 53), timeout=5)",
        ],
        "leaves_process": [
            "import subprocess, time\n"
            f"child = subprocess.Popen(['sleep', '{SLEEP_SECONDS}'], start_new_session=True)\n"
            "time.sleep(0.5)\n"
            "print('started a process that outlives me:', child.poll() is None)",
        ],
    }


# Attempt -> the errors it may end in (the attempt must fail, not merely print nothing).
EXPECTED_ERRORS = {
    "reads_solution": [{"FileNotFoundError"}] * 3,
    "reads_classmate": [{"FileNotFoundError"}] * 2,
    "reads_gradebook": [{"FileNotFoundError"}] * 3,
    "links_classmate": [{"FileNotFoundError"}] * 2,
    "writes_outside": [
        {"FileNotFoundError"},
        {"OSError"},  # read-only file system: the datasets are shown read-only
        {"FileNotFoundError", "PermissionError"},
        set(),
    ],
    "phones_home": [{"ConnectionRefusedError"}, {"OSError"}],  # network unreachable
    "leaves_process": [set()],
}


def with_cells(notebook, sources: list[str]):
    """The notebook with extra code cells after its first cell, as a trainee adds them."""
    notebook = copy.deepcopy(notebook)
    extra = [nbformat.v4.new_code_cell(s) for s in sources]
    notebook.cells[1:1] = extra
    return notebook


def sleepers() -> list[int]:
    """Processes anywhere on the machine running the escape's ``sleep``."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if SLEEP_SECONDS in (entry / "cmdline").read_bytes().decode(errors="replace"):
                found.append(int(entry.name))
        except OSError:
            continue
    return found


@pytest.fixture(scope="module")
def listener():
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    server.setblocking(False)
    yield server
    server.close()


@pytest.fixture(scope="module")
def sandboxed_run(tmp_path_factory, listener):
    """The escaping and honest cohort graded in one sandboxed run, then feedback."""
    from nbgrader.api import Gradebook

    course = scratch_course(tmp_path_factory.mktemp("sandbox") / "course")
    write_sample_source(course)
    nbgrader(course, "generate_assignment", A, "--force")
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", "cda-governance-trust") as gradebook:
        gradebook.update_or_create_student("honest", first_name=GRADEBOOK_SECRET)
    release = released(course, A, NB)
    solved = cohort.answered(release, source(course, A, NB))
    honest = with_cells(solved, [])
    honest.cells.append(nbformat.v4.new_markdown_cell(OTHER_TRAINEE_SECRET))
    submit(course, "honest", A, {NB: honest})
    submit(course, "blank", A, {NB: release})
    attacks = attack_cells(course, listener.getsockname()[1])
    for student, cells in attacks.items():
        folder = submit(course, student, A, {NB: with_cells(solved, cells)})
        if student == "links_classmate":
            (folder / "classmate.ipynb").symlink_to(course / "submitted" / "honest" / A / NB)
            (folder / "loot.db").symlink_to(course / "gradebook.db")
    home_secret = Path.home() / f".cdatools-sandbox-test-{TOKEN}"
    home_secret.write_text(HOME_SECRET, encoding="utf-8")
    try:
        outcomes = {o.student: o for o in grade(course, A, OPTIONS)}
    finally:
        home_secret.unlink()
    nbgrader(course, "generate_feedback", A, "--force")
    yield course, outcomes, attacks
    for path in (
        course / f"pwned-{TOKEN}.txt",
        REPO / "datasets" / f"pwned-{TOKEN}.csv",
        Path.home() / f"pwned-{TOKEN}",
        Path(f"/tmp/pwned-{TOKEN}"),
    ):
        path.unlink(missing_ok=True)


def error_names(cell) -> set[str]:
    return {o.get("ename") for o in cell.get("outputs", []) if o.get("output_type") == "error"}


@pytest.mark.slow
def test_every_escape_fails_where_it_is_tried(sandboxed_run):
    course, _, attacks = sandboxed_run
    for student, sources in attacks.items():
        graded = nbformat.read(course / "autograded" / student / A / NB, as_version=4)
        cells = {c.source: c for c in graded.cells if c.cell_type == "code"}
        for source_, expected in zip(sources, EXPECTED_ERRORS[student], strict=True):
            found = error_names(cells[source_])
            if expected:
                assert found and found <= expected, (student, source_, found)
            else:
                assert not found, (student, source_, found)


@pytest.mark.slow
def test_escaping_and_honest_trainees_are_graded_as_usual(sandboxed_run):
    _, outcomes, attacks = sandboxed_run
    assert (outcomes["honest"].state, outcomes["honest"].score) == (State.GRADED, 4.0)
    assert (outcomes["blank"].state, outcomes["blank"].score) == (State.GRADED, 0.0)
    for student in attacks:
        # The run went on after each failed attempt: every test still ran and passed.
        assert (outcomes[student].state, outcomes[student].score) == (State.GRADED, 4.0)


@pytest.mark.slow
def test_nothing_from_outside_reaches_graded_copies_or_feedback(sandboxed_run):
    course, _, attacks = sandboxed_run
    secrets = (OTHER_TRAINEE_SECRET, GRADEBOOK_SECRET, HOME_SECRET, *SOLUTION_MARKERS)
    checked = 0
    for student in attacks:
        for path in [
            course / "autograded" / student / A / NB,
            course / "feedback" / student / A / f"{A}.html",
        ]:
            text = path.read_text(encoding="utf-8")
            leaked = [s for s in secrets if s in text]
            assert not leaked, (path, leaked)
            checked += 1
        # Nothing else was added to the trainee's graded folder either.
        assert sorted(p.name for p in (course / "autograded" / student / A).iterdir()) == [
            NB,
            "timestamp.txt",
        ]
    assert checked == 2 * len(attacks)
    # The honest trainee's own copy does carry their text: the check above can fail.
    own = (course / "autograded" / "honest" / A / NB).read_text(encoding="utf-8")
    assert OTHER_TRAINEE_SECRET in own


@pytest.mark.slow
def test_nothing_was_written_outside(sandboxed_run):
    course, _, _ = sandboxed_run
    for path in (
        course / f"pwned-{TOKEN}.txt",
        REPO / "datasets" / f"pwned-{TOKEN}.csv",
        Path.home() / f"pwned-{TOKEN}",
        Path(f"/tmp/pwned-{TOKEN}"),
    ):
        assert not path.exists(), path
    graded = (course / "autograded" / "writes_outside" / A / NB).read_text(encoding="utf-8")
    assert "wrote to my own /tmp" in graded


@pytest.mark.slow
def test_no_connection_reached_the_listener(sandboxed_run, listener):
    with pytest.raises(BlockingIOError):
        listener.accept()  # nothing is waiting to be accepted


@pytest.mark.slow
def test_no_process_outlives_the_grading(sandboxed_run):
    course, _, _ = sandboxed_run
    graded = (course / "autograded" / "leaves_process" / A / NB).read_text(encoding="utf-8")
    assert "started a process that outlives me: True" in graded
    deadline = time.monotonic() + 10
    while sleepers() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert sleepers() == []


def test_the_kernel_sees_only_python_cdatools_and_the_datasets():
    shown = [Path(p) for p in sandbox.library_paths()]
    assert REPO / "cdatools" in shown
    assert REPO / "datasets" in shown
    for path in shown:
        # Never the repository as a whole or a folder holding it or its exercises.
        assert not REPO.is_relative_to(path), path
        assert not (REPO / "exercises").is_relative_to(path), path


def test_kernel_environment_keeps_no_secrets():
    env = {
        "PGPASSWORD": "s3cret",
        "AWS_SECRET_ACCESS_KEY": "x",
        "HOME": "/root",
        "LANG": "es_EC.UTF-8",
        "NBGRADER_EXECUTION": "autograde",
        "DATABASE_URL": "postgresql://grader:pw@db/cda",
    }
    kept = sandbox.kernel_environment(env, ["/venv/bin", "/usr/bin"])
    assert kept["LANG"] == "es_EC.UTF-8" and kept["NBGRADER_EXECUTION"] == "autograde"
    assert kept["HOME"] == "/tmp" and kept["PATH"] == "/venv/bin:/usr/bin"
    assert not {"PGPASSWORD", "AWS_SECRET_ACCESS_KEY", "DATABASE_URL"} & set(kept)


@pytest.mark.parametrize(("platform", "name"), [("darwin", "macOS"), ("win32", "Windows")])
def test_no_sandbox_outside_linux_says_why(platform, name):
    reason = sandbox.unavailable_reason(platform)
    assert reason is not None and name in reason and "Linux" in reason


def _grade_cli(course: Path, *extra: str, path: str) -> subprocess.CompletedProcess[str]:
    script = Path(sys.executable).with_name("cdatools")
    env = dict(os.environ, PATH=path)
    return subprocess.run(
        [str(script), "grade", A, "--course-dir", str(course), "--cell-timeout", "20", *extra],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env=env,
    )


def test_without_bubblewrap_grade_refuses_unless_no_sandbox(tmp_path):
    course = scratch_course(tmp_path / "course")
    write_sample_source(course)
    nbgrader(course, "generate_assignment", A, "--force")
    release = released(course, A, NB)
    submit(course, "amina", A, {NB: cohort.answered(release, source(course, A, NB))})
    # A PATH without bubblewrap, as on a machine where it is not installed.
    no_bwrap = str(Path(sys.executable).parent)
    assert shutil.which("bwrap", path=no_bwrap) is None
    refused = _grade_cli(course, path=no_bwrap)
    assert refused.returncode == 1
    assert "bubblewrap" in refused.stderr and "--no-sandbox" in refused.stderr
    assert "Traceback" not in refused.stderr
    assert not (course / "autograded").exists()
    graded = _grade_cli(course, "--no-sandbox", path=no_bwrap)
    assert graded.returncode == 0, graded.stderr
    assert "WITHOUT the sandbox" in graded.stderr and "solutions" in graded.stderr
    assert "graded" in graded.stdout and "4" in graded.stdout


def _nobody() -> pwd.struct_passwd:
    return pwd.getpwnam("nobody")


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to become an ordinary user")
def test_as_an_ordinary_user_the_sandbox_uses_a_user_namespace(listener):
    """The same sandbox, started by an ordinary user (nobody) instead of root."""
    user = _nobody()
    # Outside pytest's own folders, which an ordinary user may not enter.
    tmp_path = Path(tempfile.mkdtemp(prefix="cdatools-userns-"))
    try:
        _as_an_ordinary_user(tmp_path, user, listener)
    finally:
        shutil.rmtree(tmp_path)


def _as_an_ordinary_user(tmp_path: Path, user: pwd.struct_passwd, listener) -> None:
    hidden = tmp_path / "hidden"
    hidden.mkdir()
    (hidden / "secret.txt").write_text(HOME_SECRET, encoding="utf-8")
    box = tmp_path / "box"
    etc, work, tmp = box / "etc", box / "work", box / "tmp"
    for folder in (box, etc, work, tmp):
        folder.mkdir()
    sandbox._write_accounts(etc, user.pw_uid, user.pw_gid)
    for folder in (tmp_path, hidden):
        folder.chmod(0o755)
    (hidden / "secret.txt").chmod(0o644)
    settings = sandbox.Sandbox(bwrap=str(shutil.which("bwrap")), readonly=(), etc=str(etc))
    settings.prepare(tmp, work)
    for path in (box, work, tmp):
        os.chown(path, user.pw_uid, user.pw_gid)
    port = listener.getsockname()[1]
    script = (
        f"cat {hidden}/secret.txt; echo read=$?; "
        f"echo pwned > {hidden}/pwned.txt; echo wrote=$?; "
        f"(exec 3<>/dev/tcp/127.0.0.1/{port}) 2>/dev/null; echo connected=$?; "
        "echo mine > own.txt; echo own=$?; "
        f"setsid sleep {SLEEP_SECONDS} & "
        "id -u; sleep 0.2"
    )
    command = settings.command(["/bin/bash", "-c", script], workdir=str(work), tmpdir=str(tmp))
    as_user = [
        str(shutil.which("setpriv")),
        f"--reuid={user.pw_uid}",
        f"--regid={user.pw_gid}",
        "--clear-groups",
        "--",
        *command,
    ]
    run = subprocess.run(as_user, capture_output=True, text=True, timeout=60, check=False)
    out = run.stdout.split()
    assert run.returncode == 0, run.stderr
    assert "read=1" in out and "wrote=1" in out and "connected=1" in out, run.stdout
    assert "own=0" in out and (work / "own.txt").read_text() == "mine\n"
    assert str(user.pw_uid) in out  # the grader's own (ordinary) user id, in a namespace
    assert HOME_SECRET not in run.stdout and not (hidden / "pwned.txt").exists()
    with pytest.raises(BlockingIOError):
        listener.accept()
    deadline = time.monotonic() + 5
    while sleepers() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert sleepers() == []


def test_docstring_examples_run():
    flags = doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS
    result = doctest.testmod(sandbox, optionflags=flags, verbose=False)
    assert result.attempted > 0 and result.failed == 0
