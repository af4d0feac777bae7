"""What ``make hub`` changes on the machine: packages, environments, users, folders.

Every function here is safe to run again: it does only what is missing, never
changes an existing user's password or files, and never deletes anyone's work.
"""

from __future__ import annotations

import csv
import grp
import hashlib
import io
import json
import os
import pwd
import secrets
import shutil
import socket
import subprocess
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

from cdatools.hub.roster import Person
from cdatools.hub.settings import LAB_OVERRIDES
from cdatools.hub.sync import COURSE_ROOT_UPDATES, IGNORED_NAMES, sync_tree

# Debian's own Python: a pyenv or conda Python in /root cannot be run by other users.
SYSTEM_PYTHON = "/usr/bin/python3"
# What the hub copies from the repository for the users (never exercises/).
APP_PARTS = ("cdatools", "datasets", "course", "pyproject.toml", "README.md", "LICENSE")
# nbgrader's generated folders in a course root: the hub's copy keeps its own.
COURSE_ROOT_GENERATED = (
    "submitted",
    "autograded",
    "feedback",
    "reports",
    "gradebook.db",
    "gradebook.db-journal",
)
PASSWORD_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"  # no l/1, o/0 to misread
FIRST_UID = 1000


class HubSetupError(RuntimeError):
    """A step of the set-up failed; the message says which and what to do."""


def say(message: str) -> None:
    print(f"[make hub] {message}", flush=True)


def run(command: Sequence[str], *, what: str, **kwargs) -> subprocess.CompletedProcess:
    """Run a command; on failure raise :class:`HubSetupError` with its output."""
    result = subprocess.run(list(command), capture_output=True, text=True, check=False, **kwargs)
    if result.returncode != 0:
        output = (result.stdout + result.stderr).strip()[-3000:]
        raise HubSetupError(f"{what} failed ({' '.join(command)}):\n{output}")
    return result


# -- checks that change nothing ------------------------------------------------------


def system_account_conflicts(people: Iterable[Person], lookup=pwd.getpwnam) -> list[str]:
    """Roster names that belong to system accounts (uid below 1000) on this machine."""
    problems = []
    for person in people:
        try:
            entry = lookup(person.username)
        except KeyError:
            continue
        if entry.pw_uid < FIRST_UID:
            problems.append(
                f"row {person.row}, column username: '{person.username}' is a system account "
                f"on this machine (uid {entry.pw_uid}); choose another name"
            )
    return problems


def port_in_use(host: str, port: int) -> bool:
    """Whether something already listens on ``host:port``."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return True
    return False


# -- system packages ----------------------------------------------------------------


def missing_system_packages() -> list[str]:
    """Debian packages the hub needs and the machine lacks."""
    missing = []
    if not Path(SYSTEM_PYTHON).exists():
        missing.append("python3")
    if not _has_venv():
        missing.append("python3-venv")
    if shutil.which("node") is None and shutil.which("nodejs") is None:
        missing.append("nodejs")
    if shutil.which("npm") is None:
        missing.append("npm")
    return missing


def _has_venv() -> bool:
    if not Path(SYSTEM_PYTHON).exists():
        return False
    probe = subprocess.run(
        [SYSTEM_PYTHON, "-c", "import ensurepip, venv"], capture_output=True, check=False
    )
    return probe.returncode == 0


def install_system_packages(packages: list[str]) -> None:
    """``apt-get install`` the packages (Debian and Ubuntu)."""
    if not packages:
        return
    if shutil.which("apt-get") is None:
        raise HubSetupError(
            f"the hub needs {', '.join(packages)}; install them with your system's package "
            "manager (this is not a Debian or Ubuntu machine)"
        )
    say(f"installing {' '.join(packages)} from the system packages (apt-get)")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    run(["apt-get", "update", "-qq"], what="apt-get update", env=env)
    run(
        ["apt-get", "install", "-y", "-qq", "--no-install-recommends", *packages],
        what="apt-get install",
        env=env,
    )


# -- the hub's copy of the course, the users' environment, the proxy ----------------------


def copy_app(repo: Path, app_dir: Path) -> None:
    """Copy the package, the datasets and the course (not the exercises) for the users."""
    staging = app_dir.with_name(app_dir.name + ".new")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    ignore = shutil.ignore_patterns(*IGNORED_NAMES, "*.pyc", "*.egg-info", "build")
    for part in APP_PARTS:
        source = repo / part
        if source.is_dir():
            shutil.copytree(source, staging / part, ignore=ignore)
        elif source.is_file():
            shutil.copy2(source, staging / part)
    make_world_readable(staging)
    old = app_dir.with_name(app_dir.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if app_dir.exists():
        app_dir.rename(old)
    staging.rename(app_dir)
    shutil.rmtree(old, ignore_errors=True)


def make_world_readable(top: Path) -> None:
    """Folders 0755, files 0644 (0755 when executable)."""
    for folder, _, files in os.walk(top):
        os.chmod(folder, 0o755)
        for name in files:
            path = Path(folder) / name
            if path.is_symlink():
                continue
            mode = path.stat().st_mode
            os.chmod(path, 0o755 if mode & 0o100 else 0o644)


def build_user_env(env_dir: Path, app_dir: Path) -> None:
    """The environment every user's server runs from (Debian's Python, outside /root).

    The course package is installed in editable mode from the hub's copy (``app_dir``),
    so its data files (datasets, templates) are where the code expects them and a
    course update needs no reinstall. The environment is made once, then updated only
    when the package's requirements change or it points at another copy: a stamp file
    records what was installed.
    """
    pyproject = (app_dir / "pyproject.toml").read_bytes()
    python = Path(SYSTEM_PYTHON).resolve().name.encode()
    deps_stamp = hashlib.sha256(pyproject + python).hexdigest()
    stamp = env_dir / ".cda-hub-installed"
    installed = stamp.read_text().split("\n") if stamp.exists() else []
    pip = [str(env_dir / "bin" / "python"), "-m", "pip", "--disable-pip-version-check"]
    os.umask(0o022)
    if not (env_dir / "bin" / "python").exists():
        say(f"creating the users' environment in {env_dir} (Debian's Python)")
        run([SYSTEM_PYTHON, "-m", "venv", str(env_dir)], what="creating the users' environment")
        installed = []
    if installed[:1] != [deps_stamp]:
        say("installing the course package with JupyterHub into it (pip, about a minute)")
        run([*pip, "install", "--quiet", "--upgrade", "pip"], what="upgrading pip")
        run(
            [*pip, "install", "--quiet", "--editable", f"{app_dir}[hub]"],
            what="installing the course package into the users' environment",
        )
    elif installed[1:2] != [str(app_dir)]:
        say(f"pointing the users' environment at {app_dir}")
        run(
            [*pip, "install", "--quiet", "--no-deps", "--editable", str(app_dir)],
            what="installing the course package",
        )
    else:
        make_world_readable(app_dir)
        return
    overrides = env_dir / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    overrides.parent.mkdir(parents=True, exist_ok=True)
    overrides.write_text(json.dumps(LAB_OVERRIDES, indent=2) + "\n")
    shutil.rmtree(app_dir / "build", ignore_errors=True)
    make_world_readable(env_dir)
    make_world_readable(app_dir)
    stamp.write_text(f"{deps_stamp}\n{app_dir}\n")


def install_proxy(package_dir: Path, proxy_dir: Path) -> list[str]:
    """``configurable-http-proxy`` from the npm registry, at the version the lock file pins."""
    binary = proxy_dir / "node_modules" / ".bin" / "configurable-http-proxy"
    lock = (package_dir / "package-lock.json").read_bytes()
    stamp = proxy_dir / ".cda-hub-installed"
    wanted = hashlib.sha256(lock).hexdigest()
    if not (binary.exists() and stamp.exists() and stamp.read_text().strip() == wanted):
        say("installing configurable-http-proxy from the npm registry")
        proxy_dir.mkdir(parents=True, exist_ok=True)
        for name in ("package.json", "package-lock.json"):
            shutil.copy2(package_dir / name, proxy_dir / name)
        run(
            ["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"],
            what="installing configurable-http-proxy",
            cwd=proxy_dir,
        )
        stamp.write_text(wanted + "\n")
    return [str(binary)]


# -- users and groups ----------------------------------------------------------------


def ensure_group(name: str) -> None:
    try:
        grp.getgrnam(name)
    except KeyError:
        run(["groupadd", name], what=f"creating the group {name}")


def generate_password(length: int = 12) -> str:
    """A random password that is easy to copy by hand (no l/1 or o/0), in groups of 4."""
    chars = "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(length))
    return "-".join(chars[i : i + 4] for i in range(0, length, 4))


def gecos(person: Person) -> str:
    """The comment field of ``/etc/passwd``: the person's name, without separators."""
    text = person.full_name or person.username
    return "".join(ch for ch in text if ch not in ":,=\n")


def create_users(people: Iterable[Person], credentials: Path) -> tuple[dict[str, str], list[str]]:
    """Create the Unix users that are missing, with a password each.

    Each new password is added to ``credentials`` as soon as it is set, so a run that
    stops half-way (a full disk, say) loses no one's password.

    Returns
    -------
    (dict, list)
        New users' passwords by user name; names of users that already existed (their
        password, home and files are left as they are).
    """
    passwords: dict[str, str] = {}
    existing: list[str] = []
    for person in people:
        try:
            pwd.getpwnam(person.username)
        except KeyError:
            pass
        else:
            existing.append(person.username)
            continue
        run(
            [
                "useradd",
                "--create-home",
                "--shell",
                "/bin/bash",
                "--comment",
                gecos(person),
                person.username,
            ],
            what=f"creating the user {person.username} (row {person.row})",
        )
        home = Path(pwd.getpwnam(person.username).pw_dir)
        os.chmod(home, 0o700)
        password = generate_password()
        run(
            ["chpasswd"],
            what=f"setting the password of {person.username}",
            input=f"{person.username}:{password}\n",
        )
        passwords[person.username] = password
        append_credentials(credentials, {person.username: password})
    return passwords, existing


def add_to_group(usernames: Iterable[str], group: str) -> None:
    members = set(grp.getgrnam(group).gr_mem)
    for name in usernames:
        if name not in members and pwd.getpwnam(name).pw_gid != grp.getgrnam(group).gr_gid:
            run(["usermod", "--append", "--groups", group, name], what=f"adding {name} to {group}")


def homes_readable_by_others(usernames: Iterable[str]) -> list[str]:
    """Existing users whose home folder other users can read (the hub does not change it)."""
    found = []
    for name in usernames:
        home = Path(pwd.getpwnam(name).pw_dir)
        if home.is_dir() and home.stat().st_mode & 0o004:
            found.append(f"{name} ({home})")
    return found


def append_credentials(path: Path, passwords: dict[str, str]) -> None:
    """Add ``username,password`` rows to the credentials file (root only, mode 0600)."""
    new_file = not path.exists()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    os.fchmod(fd, 0o600)
    os.fchown(fd, 0, 0)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    if new_file:
        writer.writerow(["username", "password"])
    for name, password in passwords.items():
        writer.writerow([name, password])
    with os.fdopen(fd, "w", encoding="utf-8") as stream:
        stream.write(buffer.getvalue())


# -- nbgrader's course root and exchange -------------------------------------------------


def prepare_course_root(exercises: Path, course_root: Path, group: str) -> None:
    """The trainers' copy of ``exercises/``: group-shared, closed to everyone else.

    The course's files are synchronised as for a trainee (edits a trainer made on the hub
    are kept); what nbgrader generates there (submissions, grades, the gradebook) is never
    touched.
    """
    gid = grp.getgrnam(group).gr_gid
    course_root.mkdir(parents=True, exist_ok=True)
    os.chown(course_root, 0, gid)
    os.chmod(course_root, 0o2770)
    staging = course_root.parent / ".exercises-master"
    shutil.rmtree(staging, ignore_errors=True)
    shutil.copytree(
        exercises,
        staging,
        ignore=shutil.ignore_patterns(*COURSE_ROOT_GENERATED, *IGNORED_NAMES, COURSE_ROOT_UPDATES),
    )
    os.chmod(staging, 0o700)
    try:
        report = sync_tree(staging, course_root, updates_dir=COURSE_ROOT_UPDATES)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    if report.new_versions:
        say(
            f"the course's exercises changed where you had edited them on the hub: your files "
            f"were kept, the new versions are in {course_root / COURSE_ROOT_UPDATES}"
        )
    gradebook = course_root / "gradebook.db"
    if not gradebook.exists():
        # SQLite makes new databases 0644 whatever the umask: an empty file made here
        # (SQLite fills it) keeps the gradebook writable by every trainer.
        gradebook.touch()
    for folder, dirs, files in os.walk(course_root):
        for name in [*dirs, *files]:
            path = Path(folder) / name
            if path.is_symlink():
                continue
            stat = path.stat()
            if stat.st_uid == 0:  # what make hub copied; trainers' own files stay theirs
                os.chown(path, 0, gid)
                os.chmod(path, (0o2770 if path.is_dir() else 0o660))


def prepare_exchange(exchange: Path, group: str) -> None:
    """nbgrader's exchange: anyone may add (not rename or delete others'), trainers own it."""
    exchange.mkdir(parents=True, exist_ok=True)
    os.chown(exchange, 0, grp.getgrnam(group).gr_gid)
    os.chmod(exchange, 0o3777)


def private_file(path: Path) -> None:
    """Create ``path`` if missing, readable by root only (the hub's database)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o600)
    os.fchmod(fd, 0o600)
    os.close(fd)


def protect_instructor_sources(repo: Path) -> list[str]:
    """Close the clone's ``exercises/source`` to other users; return what to tell the trainer."""
    notes = []
    source = repo / "exercises" / "source"
    if source.is_dir() and source.stat().st_mode & 0o007:
        os.chmod(source, source.stat().st_mode & ~0o007)
        notes.append(
            f"{source} held the solutions and was readable by every user: it is now closed "
            "to users other than root (chmod o-rwx)"
        )
    if (repo / ".git").is_dir() and _reachable_by_others(repo / ".git"):
        notes.append(
            f"the clone's history ({repo / '.git'}) holds the solutions too and every user "
            f"can read it: keep the clone in a folder only root can open, e.g. chmod o-rwx {repo}"
        )
    return notes


def _reachable_by_others(path: Path) -> bool:
    for folder in [path, *path.parents]:
        mode = folder.stat().st_mode
        if not mode & 0o001:
            return False
    return bool(path.stat().st_mode & 0o004)


def write_config_files(hub_dir: Path, files: dict[str, str]) -> None:
    """Write the hub's configuration files (world-readable, except the hub's own)."""
    for relative, text in files.items():
        target = hub_dir / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        for parent in target.relative_to(hub_dir).parents:
            if str(parent) != ".":
                os.chmod(hub_dir / parent, 0o755)
        target.write_text(text, encoding="utf-8")
        os.chmod(target, 0o600 if relative == "hub-settings.json" else 0o644)


def python_runs_for_others(python: str = sys.executable) -> bool:
    """Whether users other than root could run this Python (pyenv in /root cannot)."""
    return _reachable_by_others(Path(python).resolve())
