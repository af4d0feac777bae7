"""``cdatools grade --db postgresql://...`` against a real PostgreSQL server.

The test starts its own server (Debian's ``postgresql`` package: ``initdb`` and
``pg_ctl`` in ``/usr/lib/postgresql/<version>/bin``; ``.ci/run`` installs it) in a
temporary folder, as the ``postgres`` system user when the tests run as root
(PostgreSQL refuses to run as root), on a free local port. It generates the sample
assignment into that gradebook with nbgrader, grades a small cohort with
``cdatools grade --db``, checks the scores, and stops the server.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from cdatools.grading import cohort
from cdatools.grading.sample import SAMPLE_ASSIGNMENT, write_sample_source
from tests.nbgrader_course import NBGRADER, released, scratch_course, source, submit

A = SAMPLE_ASSIGNMENT
NB = f"{A}.ipynb"
COURSE_ID = "cda-governance-trust"


def postgres_bin() -> Path | None:
    """Debian's PostgreSQL server programs (newest version), or None."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def as_server_user(command: list[str]) -> list[str]:
    """Run as the ``postgres`` user when we are root (the server refuses root)."""
    if os.geteuid() != 0:
        return command
    return ["runuser", "-u", "postgres", "--", *command]


@pytest.fixture(scope="module")
def postgres_url() -> Iterator[str]:
    """A running PostgreSQL server with an empty database; its SQLAlchemy URL."""
    binaries = postgres_bin()
    if binaries is None:
        pytest.skip("PostgreSQL is not installed (Debian: apt-get install postgresql)")
    try:  # the driver SQLAlchemy uses for postgresql:// URLs (psycopg 3 or psycopg2)
        import sqlalchemy

        sqlalchemy.create_engine("postgresql://probe@127.0.0.1/probe")
    except ImportError:
        pytest.skip("no PostgreSQL driver: pip install -e '.[postgres]'")
    if os.geteuid() == 0:
        try:
            server_user = pwd.getpwnam("postgres")
        except KeyError:
            pytest.skip("running as root and there is no 'postgres' system user")
    folder = Path(tempfile.mkdtemp(prefix="cdatools-pg-"))
    data = folder / "data"
    if os.geteuid() == 0:
        os.chown(folder, server_user.pw_uid, server_user.pw_gid)
    port = free_port()
    run = {"check": True, "capture_output": True, "text": True, "timeout": 120}
    subprocess.run(
        as_server_user(
            [str(binaries / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust"]
        ),
        **run,
    )
    options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1"
    start = [str(binaries / "pg_ctl"), "-D", str(data), "-o", options]
    subprocess.run(as_server_user([*start, "-l", str(folder / "server.log"), "-w", "start"]), **run)
    try:
        createdb = [str(binaries / "createdb"), "-h", "127.0.0.1", "-p", str(port)]
        subprocess.run([*createdb, "-U", "postgres", "gradebook"], **run)
        yield f"postgresql://postgres@127.0.0.1:{port}/gradebook"
    finally:
        subprocess.run(
            as_server_user(
                [str(binaries / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"]
            ),
            check=False,
            capture_output=True,
            timeout=120,
        )
        shutil.rmtree(folder, ignore_errors=True)


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PATH"] = f"{NBGRADER.parent}{os.pathsep}{env.get('PATH', '')}"
    return env


@pytest.mark.slow
def test_grade_with_a_postgresql_gradebook(postgres_url, tmp_path):
    from nbgrader.api import Gradebook

    course = scratch_course(tmp_path / "course")
    write_sample_source(course)
    generated = subprocess.run(
        [str(NBGRADER), "generate_assignment", A, f"--CourseDirectory.db_url={postgres_url}"],
        cwd=course,
        env=_env(),
        check=False,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert generated.returncode == 0, generated.stderr[-3000:]
    assert not (course / "gradebook.db").exists()
    release = released(course, A, NB)
    solved = cohort.answered(release, source(course, A, NB))
    submit(course, "solved", A, {NB: solved})
    submit(course, "blank", A, {NB: release})
    submit(course, "exits", A, {NB: cohort.with_code(solved, cohort.KERNEL_EXIT)})
    script = Path(sys.executable).with_name("cdatools")
    command = [str(script), "grade", A, "--db", postgres_url, "--jobs", "2"]
    command += ["--course-dir", str(course), "--cell-timeout", "10"]
    result = subprocess.run(
        command, env=_env(), capture_output=True, text=True, timeout=600, check=False
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert not (course / "gradebook.db").exists(), "grading wrote to a SQLite gradebook"
    with Gradebook(postgres_url, COURSE_ID) as gradebook:
        totals = {s.student.id: float(s.score) for s in gradebook.find_assignment(A).submissions}
        dead = gradebook.find_grade("share_test", A, A, "exits")
        assert dead.auto_score is None and dead.needs_manual_grade
    assert totals == {"solved": 4.0, "blank": 0.0, "exits": 0.0}
    again = subprocess.run(
        command, env=_env(), capture_output=True, text=True, timeout=600, check=False
    )
    assert again.returncode == 0 and "(earlier run)" in again.stdout
