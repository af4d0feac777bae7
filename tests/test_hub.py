"""The workshop hub end to end: ``make hub``, real Unix users, a real browser, nbgrader.

A scratch copy of the repository starts a hub (``make hub``) for one trainer and three
trainees on a random port with a temporary ``HUB_DIR``, and plays a workshop: logins in
chromium, a release, fetches (one from the *Assignments* panel in the browser), answers
(full, partial, none; one trainee submits twice), collection, grading with ``cdatools
grade``, feedback, and the checks on who may read what. The hub is then restarted with
a longer roster and an updated course. The test users (``cdat<random>...``) are removed
at the end.

Needs root (it creates Unix users), Debian's chromium and npm; CI runs it as root.
Set ``CDATOOLS_HUB_TEST_ENV`` to a folder to keep the users' environment between runs.
"""

from __future__ import annotations

import csv
import json
import os
import pwd
import random
import re
import shutil
import signal
import stat
import string
import subprocess
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
import pytest
import requests

from tests.jupyter_lab import chromium_page, free_port, require_chromium, screenshot
from tests.nbgrader_course import grades

REPO = Path(__file__).resolve().parents[1]
COPIED = ("Makefile", "cdatools", "course", "datasets", "exercises", "pyproject.toml", "LICENSE")
COPIED_README = "README.md"
ASSIGNMENT = "01-workplan"
NOTEBOOK = f"{ASSIGNMENT}.ipynb"
SOLUTION_BLOCK = re.compile(r"### BEGIN SOLUTION\n(.*?)### END SOLUTION\n?", re.S)
STUB = "# YOUR CODE HERE\nraise NotImplementedError()"

pytestmark = pytest.mark.slow


def require_hub_machine() -> None:
    if os.geteuid() != 0:
        pytest.skip("the hub test creates Unix users and must run as root (CI runs it so)")
    if not Path("/usr/bin/python3").exists() or shutil.which("useradd") is None:
        pytest.skip("the hub test needs a Debian-like Linux with /usr/bin/python3 and useradd")
    require_chromium()


def _world_traversable_dir(prefix: str) -> Path:
    path = Path(tempfile.mkdtemp(prefix=prefix))
    path.chmod(0o755)
    return path


@pytest.fixture(scope="session")
def users_env():
    """The users' environment, built by the first ``make hub`` of the session."""
    kept = os.environ.get("CDATOOLS_HUB_TEST_ENV")
    if kept:
        yield Path(kept)
        return
    parent = _world_traversable_dir("cdat-hub-env-")
    yield parent / "env"
    shutil.rmtree(parent, ignore_errors=True)


class Hub:
    """``make hub`` run from a scratch copy of the repository."""

    def __init__(self, scratch: Path, users_env: Path) -> None:
        self.scratch = scratch
        self.repo = scratch / "repo"
        self.hub_dir = scratch / "hub"
        self.users_env = users_env
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = scratch / "make-hub.log"
        self.process: subprocess.Popen | None = None

    def copy_repository(self) -> None:
        self.repo.mkdir(mode=0o700)
        ignore = shutil.ignore_patterns(
            "__pycache__", "*.egg-info", "my-work", ".ipynb_checkpoints", "submitted",
            "autograded", "feedback", "gradebook.db", "reports", "node_modules",
        )  # fmt: skip
        for name in COPIED:
            source = REPO / name
            if source.is_dir():
                shutil.copytree(source, self.repo / name, ignore=ignore)
            else:
                shutil.copy2(source, self.repo / name)
        shutil.copy2(REPO / COPIED_README, self.repo / COPIED_README)

    def make(self, roster: Path, *extra: str, check_start: bool = True) -> None:
        command = [
            "make", "-s", "--no-print-directory", "hub", f"ROSTER={roster}",
            f"HUB_DIR={self.hub_dir}", f"PORT={self.port}", "HOST=127.0.0.1",
            f"HUB_ENV={self.users_env}", "IDLE=30", *extra,
        ]  # fmt: skip
        env = {k: v for k, v in os.environ.items() if not k.startswith(("VIRTUAL_ENV", "JUPYTER"))}
        # The scratch copy has no .venv: make hub must work with the system's python3.
        env["PATH"] = ":".join(p for p in env["PATH"].split(":") if ".venv" not in p)
        with self.log.open("a") as stream:
            stream.write(f"\n===== {' '.join(command)}\n")
            stream.flush()
            self.process = subprocess.Popen(
                command, cwd=self.repo, env=env, stdout=stream, stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip
        deadline = time.monotonic() + 420  # the first start builds the users' environment
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"make hub exited with {self.process.returncode}:\n{self.tail()}")
            try:
                if requests.get(f"{self.base}/hub/api", timeout=5).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(1)
        pytest.fail(f"the hub did not answer within 420 s:\n{self.tail()}")

    def stop(self) -> None:
        """Ctrl+C, as a trainer stops the hub; it stops the users' servers too."""
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGINT)
        try:
            self.process.wait(timeout=90)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def tail(self) -> str:
        return self.log.read_text(errors="replace")[-6000:]

    def credentials(self) -> dict[str, str]:
        with (self.hub_dir / "credentials.csv").open() as stream:
            rows = list(csv.reader(stream))
        assert rows[0] == ["username", "password"]
        names = [row[0] for row in rows[1:]]
        assert len(names) == len(set(names)), f"a user appears twice in credentials: {names}"
        return dict(rows[1:])

    @property
    def course_root(self) -> Path:
        return self.hub_dir / "exercises"

    def as_user(self, name: str, *command: str, cwd: Path | None = None, check: bool = True):
        """Run a command as a hub user, with the environment their server has."""
        role = "trainer" if name.endswith("t") else "trainee"
        config = self.hub_dir / "etc" / "jupyter"
        env = [
            f"HOME={pwd.getpwnam(name).pw_dir}",
            f"JUPYTER_CONFIG_PATH={config / role}:{config / 'common'}",
            "JUPYTER_PLATFORM_DIRS=1",
            f"PATH={self.users_env / 'bin'}:/usr/bin:/bin",
        ]
        umask = "umask 002; " if role == "trainer" else ""
        result = subprocess.run(
            ["runuser", "-u", name, "--", "env", *env, "sh", "-c",
             umask + " ".join(f"'{part}'" for part in command)],
            cwd=cwd or "/", capture_output=True, text=True, timeout=600, check=False,
        )  # fmt: skip
        if check and result.returncode != 0:
            raise AssertionError(
                f"{name}: {' '.join(command)} exited with {result.returncode}:\n"
                f"{result.stdout[-3000:]}\n{result.stderr[-4000:]}"
            )
        return result


def write_roster(path: Path, rows: list[tuple[str, str, str, str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream)
        writer.writerow(["username", "role", "first_name", "last_name", "email"])
        for name, role, first, last in rows:
            writer.writerow([name, role, first, last, f"{name}@example.org"])
    return path


def processes_of(names: list[str]) -> list[int]:
    """Process ids of the running processes owned by these users."""
    uids = {pwd.getpwnam(name).pw_uid for name in names}
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and entry.stat().st_uid in uids:
                found.append(int(entry.name))
        except FileNotFoundError:
            pass
    return found


def remove_users(names: list[str]) -> None:
    """Stop what the test users still run (by process id), then delete them and their homes."""
    uids = {}
    for name in names:
        try:
            uids[pwd.getpwnam(name).pw_uid] = name
        except KeyError:
            continue
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if entry.stat().st_uid in uids:
                    os.kill(int(entry.name), signal.SIGKILL)
            except (FileNotFoundError, ProcessLookupError, PermissionError):
                pass
    for name in uids.values():
        subprocess.run(["userdel", "--remove", name], capture_output=True, check=False)


# -- what trainees type ------------------------------------------------------------------


def answered(released: dict, solutions: nbformat.NotebookNode, how: str, who: str) -> dict:
    """The released notebook as a trainee hands it in: ``full``, ``partial`` or ``none``."""
    notebook = nbformat.from_dict(json.loads(json.dumps(released)))
    if how == "none":
        return notebook
    by_id = {
        cell.metadata.get("nbgrader", {}).get("grade_id"): cell
        for cell in solutions.cells
        if cell.metadata.get("nbgrader", {}).get("solution")
    }
    code_answered = 0
    for cell in notebook.cells:
        meta = cell.metadata.get("nbgrader", {})
        if not meta.get("solution"):
            continue
        if cell.cell_type == "markdown":
            cell.source = (
                f"Réponse de {who}: the CDA should hand the network's tasks to local partners "
                "step by step — first the meetings, then the budget ($1,200 a year)."
            )
            continue
        if how == "partial" and code_answered >= 1:
            continue
        solution = SOLUTION_BLOCK.search(by_id[meta["grade_id"]].source)
        assert solution, f"no solution block in {meta['grade_id']}"
        assert STUB in cell.source, f"the released cell {meta['grade_id']} has no stub"
        cell.source = cell.source.replace(STUB, solution.group(1).rstrip("\n"))
        code_answered += 1
    return notebook


def autograded_score(course_root: Path, student: str) -> tuple[float, float]:
    """Autograded test-cell points of a student, and the maximum."""
    source = nbformat.read(course_root / "source" / ASSIGNMENT / NOTEBOOK, as_version=4)
    test_cells = {
        cell.metadata["nbgrader"]["grade_id"]
        for cell in source.cells
        if cell.metadata.get("nbgrader", {}).get("grade")
        and not cell.metadata["nbgrader"].get("solution")
    }
    found = grades(course_root, ASSIGNMENT, NOTEBOOK, student)
    score = sum(g.score for g in found.values() if g.name in test_cells)
    maximum = sum(g.max_score for g in found.values() if g.name in test_cells)
    return score, maximum


START_PAGE = re.compile(r".*/user/[a-z0-9]+/lab/tree/course/00-start-here\.ipynb")


class Laps:
    """Seconds each step took (printed with -s, to keep the test's run time in view)."""

    def __init__(self) -> None:
        self.last = time.monotonic()
        self.steps: list[str] = []

    def __call__(self, label: str) -> None:
        now = time.monotonic()
        self.steps.append(f"{label} {now - self.last:.0f} s")
        self.last = now

    def __str__(self) -> str:
        return "; ".join(self.steps)


FEEDBACK_SCORE = re.compile(r"\(Score: ([\d.]+) / ([\d.]+)\)")


# -- the test ----------------------------------------------------------------------------


@pytest.fixture
def hub(users_env):
    require_hub_machine()
    scratch = _world_traversable_dir("cdat-hub-")
    tag = "".join(random.choices(string.ascii_lowercase, k=4))
    hub = Hub(scratch, users_env)
    hub.names = {role: f"cdat{tag}{role}" for role in ("t", "a", "b", "c", "d")}
    had_group = subprocess.run(["getent", "group", "cda-trainers"], capture_output=True).returncode
    hub.copy_repository()
    try:
        yield hub
    finally:
        hub.stop()
        remove_users(list(hub.names.values()))
        if had_group != 0:
            subprocess.run(["groupdel", "cda-trainers"], capture_output=True, check=False)
        shutil.rmtree(scratch, ignore_errors=True)


def login_in_browser(page, hub: Hub, name: str, password: str) -> None:
    page.goto(f"{hub.base}/hub/login")
    page.fill("input[name=username]", name)
    page.fill("input[name=password]", password)
    page.click("input[type=submit], button[type=submit]")


def test_a_workshop_on_the_hub(hub):
    n = hub.names
    trainer, amina, bruno, carla = n["t"], n["a"], n["b"], n["c"]
    roster = write_roster(
        hub.scratch / "cohort.csv",
        [
            (trainer, "trainer", "Tomás", "Ñúñez"),
            (amina, "trainee", "Amina", "Diallo"),
            (bruno, "trainee", "Bruno", "Gómez"),
            (carla, "trainee", "Carla", "Pérez"),
        ],
    )
    started = time.monotonic()
    laps = Laps()
    hub.make(roster)
    first_start = time.monotonic() - started
    laps("hub started")

    # Users, passwords, private homes; credentials for root only.
    creds = hub.credentials()
    assert set(creds) == {trainer, amina, bruno, carla}
    info = (hub.hub_dir / "credentials.csv").stat()
    assert (info.st_uid, stat.S_IMODE(info.st_mode)) == (0, 0o600)
    for name in creds:
        home = Path(pwd.getpwnam(name).pw_dir)
        assert stat.S_IMODE(home.stat().st_mode) == 0o700, f"{home} is open to others"
    assert "behind HTTPS" not in hub.tail(), "127.0.0.1 is not reachable from outside"

    from cdatools.hub.client import HubUser

    users = {name: HubUser(hub.base, name, password) for name, password in creds.items()}

    # The other people log in through the same form (HTTP) first, so that their servers
    # start while the browser loads; the trainer registers the assignment meanwhile.
    for name in (trainer, bruno, carla):
        answer = users[name].login()
        assert answer.status_code == 200, f"{name}: login answered {answer.status_code}"
    pool = ThreadPoolExecutor(max_workers=1)
    generated = pool.submit(
        hub.as_user, trainer, "nbgrader", "generate_assignment", ASSIGNMENT, "--force",
        cwd=hub.course_root,
    )  # fmt: skip
    assert HubUser(hub.base, bruno, "not-the-password").login().status_code == 403
    assert HubUser(hub.base, "root", "whatever").login().status_code == 403

    # 1. Logins in a real browser: a wrong password is refused, the right one opens the
    #    course's start page.
    with chromium_page() as page:
        login_in_browser(page, hub, amina, creds[amina] + "x")
        page.wait_for_selector("text=Invalid username or password", timeout=30_000)
        assert "/hub/login" in page.url
        login_in_browser(page, hub, amina, creds[amina])
        try:
            page.wait_for_url(START_PAGE, timeout=240_000)
            page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=120_000)
            page.wait_for_selector(".jp-RenderedMarkdown h1:has-text('Start here')")
        except Exception:
            screenshot(page, "hub-start-page")
            raise
        for name in (trainer, bruno, carla):
            users[name].wait_for_server()

        # The idle culler runs as a hub service with the timeout given (IDLE=30 minutes).
        hub_xsrf = users[trainer].session.cookies.get("_xsrf", path="/hub/") or ""
        services = users[trainer].session.get(
            f"{hub.base}/hub/api/services", headers={"X-XSRFToken": hub_xsrf}, timeout=60
        )
        assert services.status_code == 200, services.text[:300]
        culler = services.json()["idle-culler"]
        assert "--timeout=1800" in culler["command"] and culler["pid"], culler

        # Trainers get the formgrader; trainees neither their own nor the trainer's.
        assert users[trainer].get("formgrader").status_code == 200
        assert users[bruno].get("formgrader").status_code == 404
        other = users[bruno].session.get(f"{hub.base}/user/{trainer}/formgrader", timeout=60)
        assert other.status_code in (403, 404) or "/hub/" in other.url, other.url
        assert "formgrader" not in other.text.lower() or other.status_code != 200

        laps("logins and spawns")
        # 2. The trainer generates and releases the assignment (from the course root).
        generated.result()
        pool.shutdown()
        hub.as_user(trainer, "nbgrader", "release_assignment", ASSIGNMENT, cwd=hub.course_root)

        laps("generate and release")
        # 3. Amina fetches it in the browser's Assignments panel.
        try:
            page.click(".lm-MenuBar-itemLabel:text-is('Nbgrader')")
            page.click(".lm-Menu-itemLabel:text-is('Assignment List')")
            released = page.locator("#released_assignments_list")
            released.locator(f"text={ASSIGNMENT}").wait_for(timeout=60_000)
            released.locator("button:has-text('Fetch')").first.click()
            page.locator(f"#fetched_assignments_list :text('{ASSIGNMENT}')").first.wait_for(
                timeout=60_000
            )
        except Exception:
            screenshot(page, "hub-assignments-panel")
            raise
    laps("browser fetch")
    # Amina's answers are typed through the same server API (a second session of hers).
    assert users[amina].login().status_code == 200
    users[amina].wait_for_server()
    for name in (bruno, carla):
        users[name].assignment_action("fetch", ASSIGNMENT)
    fetched = {name: users[name].read(f"{ASSIGNMENT}/{NOTEBOOK}")["content"] for name in
               (amina, bruno, carla)}  # fmt: skip

    # Answers: Amina fully, Bruno fully and then only in part (he submits twice: the
    # second counts), Carla not at all.
    solutions = nbformat.read(REPO / "exercises" / "source" / ASSIGNMENT / NOTEBOOK, 4)
    path = f"{ASSIGNMENT}/{NOTEBOOK}"
    users[amina].write_notebook(path, answered(fetched[amina], solutions, "full", amina))
    users[amina].assignment_action("submit", ASSIGNMENT)
    users[bruno].write_notebook(path, answered(fetched[bruno], solutions, "full", bruno))
    users[bruno].assignment_action("submit", ASSIGNMENT)
    time.sleep(1.1)
    users[bruno].write_notebook(path, answered(fetched[bruno], solutions, "partial", bruno))
    listed = users[bruno].assignment_action("submit", ASSIGNMENT)
    submitted = [a for a in listed if a.get("status") == "submitted"]
    assert len(submitted[0]["submissions"]) == 2, "Bruno's two submissions should be listed"
    users[carla].assignment_action("submit", ASSIGNMENT)

    laps("answers and submissions")
    # 4. The trainer collects, grades, and releases feedback.
    hub.as_user(trainer, "nbgrader", "collect", ASSIGNMENT, cwd=hub.course_root)
    # A trainer is an ordinary Unix user: trainees' code runs in the user-namespace sandbox.
    graded = hub.as_user(trainer, "cdatools", "grade", ASSIGNMENT, cwd=hub.course_root)
    assert "graded: 3" in graded.stdout, graded.stdout[-2000:]
    hub.as_user(trainer, "nbgrader", "generate_feedback", ASSIGNMENT, cwd=hub.course_root)
    hub.as_user(trainer, "nbgrader", "release_feedback", ASSIGNMENT, cwd=hub.course_root)

    laps("collect, grade, feedback")
    # The trainer's terminal in JupyterLab has the course's tools on its PATH.
    from cdatools.hub.client import terminal_output

    typed = terminal_output(users[trainer], "cd ~/exercises && nbgrader --version && ls")
    assert "source" in typed and "gradebook.db" in typed, typed[-1500:]

    # Scores as deserved: full, partial (Bruno's latest), zero.
    score = {name: autograded_score(hub.course_root, name) for name in (amina, bruno, carla)}
    full, maximum = score[amina]
    assert maximum > 0 and full == maximum, score
    assert 0 < score[bruno][0] < maximum, f"Bruno's latest (partial) submission counts: {score}"
    assert score[carla][0] <= 0.05 * maximum, score

    # 5. Each trainee fetches feedback and sees their own score, and only their own.
    for name in (amina, bruno, carla):
        listed = users[name].assignment_action("fetch_feedback", ASSIGNMENT)
        feedback = [
            s["local_feedback_path"]
            for a in listed
            if a.get("status") == "submitted"
            for s in a["submissions"]
            if s.get("local_feedback_path")
        ]
        assert feedback, f"{name} has no feedback"
        folder = users[name].read(feedback[-1])
        html_files = [c["path"] for c in folder["content"] if c["name"].endswith(".html")]
        assert len(html_files) == 1, folder
        page_html = users[name].read(html_files[0])["content"]
        shown = FEEDBACK_SCORE.search(page_html)
        total = sum(g.score for g in grades(hub.course_root, ASSIGNMENT, NOTEBOOK, name).values())
        assert shown and float(shown.group(1)) == pytest.approx(total, abs=0.01), shown
        for other_name in {amina, bruno, carla} - {name}:
            assert f"Réponse de {other_name}" not in page_html
        if name != carla:
            assert f"Réponse de {name}" in page_html

    laps("feedback fetched and checked")
    # 6. Who may read what.
    exchange = hub.hub_dir / "exchange" / "cda-governance-trust"
    forbidden = [
        Path(pwd.getpwnam(amina).pw_dir) / ASSIGNMENT / NOTEBOOK,
        exchange / "inbound",
        exchange / "feedback",
        hub.course_root / "source" / ASSIGNMENT / NOTEBOOK,
        hub.course_root / "gradebook.db",
        hub.repo / "exercises" / "source" / ASSIGNMENT / NOTEBOOK,
        hub.hub_dir / "credentials.csv",
    ]
    for target in forbidden:
        command = "ls" if not target.suffix else "cat"
        result = hub.as_user(bruno, command, str(target), check=False)
        assert result.returncode != 0, f"{bruno} could read {target}"
        assert "Permission denied" in result.stderr, result.stderr
    assert users[bruno].get(f"api/contents/../{amina}").status_code in (403, 404)

    # One trainee's runaway code meets the memory cap; their server keeps going.
    kernel = users[carla].start_kernel()
    errors = users[carla].run_cells(kernel, ["hog = bytearray(3 * 1024**3)", "print(1 + 1)"])
    users[carla].stop_kernel(kernel)
    assert errors == ["MemoryError: "] or errors[0].startswith("MemoryError"), errors
    assert users[carla].get("api/status").status_code == 200

    # Amina's own work: an edited lesson and a saved plan.
    lesson = "course/01-role-of-the-cda.ipynb"
    edited = users[amina].read(lesson)["content"]
    edited["cells"][0]["source"] += "\n\nMy note: ask the chamber about the Kaolack meeting."
    users[amina].write_notebook(lesson, edited)
    users[amina].make_folder("course/my-work")
    users[amina].write_text("course/my-work/workplan.json", '{"tasks": ["réunion", "$50"]}')

    laps("permissions, memory cap, edits")
    # 7. The trainer updates the course and restarts the hub with a longer roster.
    #    Ctrl+C stops the hub and every user's server.
    hub.stop()
    deadline = time.monotonic() + 20
    while processes_of(list(creds)) and time.monotonic() < deadline:
        time.sleep(1)
    assert processes_of(list(creds)) == [], "users' servers outlived the hub"
    course = hub.repo / "course"
    for name in ("00-start-here.ipynb", "01-role-of-the-cda.ipynb"):
        notebook = nbformat.read(course / name, as_version=4)
        notebook.cells.append(nbformat.v4.new_markdown_cell(f"Course update: {name}."))
        nbformat.write(notebook, course / name)
    dana = n["d"]
    longer = write_roster(
        hub.scratch / "cohort-2.csv",
        [
            (trainer, "trainer", "Tomás", "Ñúñez"),
            (amina, "trainee", "Amina", "Diallo"),
            (bruno, "trainee", "Bruno", "Gómez"),
            (carla, "trainee", "Carla", "Pérez"),
            (dana, "trainee", "Dana", "Wu"),
        ],
    )
    hub.make(longer)
    after = hub.credentials()
    assert {k: after[k] for k in creds} == creds, "existing users' passwords must not change"
    assert set(after) == set(creds) | {dana}

    laps("restart")
    again = HubUser(hub.base, amina, creds[amina])
    assert again.login().status_code == 200
    again.wait_for_server()
    mine = again.read(lesson)["content"]
    assert "Kaolack meeting" in mine["cells"][0]["source"], "Amina's edit was lost"
    update = again.read("course/01-role-of-the-cda (course update).ipynb")["content"]
    assert update["cells"][-1]["source"] == "Course update: 01-role-of-the-cda.ipynb."
    start = again.read("course/00-start-here.ipynb")["content"]
    assert start["cells"][-1]["source"] == "Course update: 00-start-here.ipynb."
    assert "réunion" in again.read("course/my-work/workplan.json")["content"]
    handed_in = again.read(f"{ASSIGNMENT}/{NOTEBOOK}")["content"]
    assert any("Réponse de" in "".join(c["source"]) for c in handed_in["cells"])
    assert HubUser(hub.base, dana, after[dana]).login().status_code == 200

    laps("after the restart")
    whole = time.monotonic() - started
    print(f"\nhub test: first start {first_start:.0f} s, whole workshop {whole:.0f} s: {laps}")


def test_a_bad_roster_changes_nothing(tmp_path):
    """Refused before anything changes: no user, no hub folder; row and column named."""
    require_hub_machine()
    name = "cdat" + "".join(random.choices(string.ascii_lowercase, k=4))
    roster = write_roster(
        tmp_path / "bad.csv",
        [(name, "trainee", "Amina", "Diallo"), ("Bad Name", "trainee", "B", "C"),
         (name, "student", "D", "E")],
    )  # fmt: skip
    hub_dir = tmp_path / "hub"
    result = subprocess.run(
        ["make", "-s", "hub", f"ROSTER={roster}", f"HUB_DIR={hub_dir}", "PORT=1"],
        cwd=REPO, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert result.returncode == 2
    assert "row 3, column username: 'Bad Name' is not a valid Unix user name" in result.stderr
    assert f"row 4, column username: '{name}' is a duplicate (already on row 2)" in result.stderr
    assert "row 4, column role: 'student' is not a role" in result.stderr
    assert "Traceback" not in result.stderr
    assert not hub_dir.exists()
    with pytest.raises(KeyError):
        pwd.getpwnam(name)
