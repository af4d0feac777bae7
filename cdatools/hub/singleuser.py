"""Start script of each person's server on the workshop hub.

JupyterHub runs ``python -m cdatools.hub.singleuser [arguments]`` as the person's Unix
user. It brings ``~/course`` up to date with the hub's copy of the course (keeping the
person's edits and ``my-work/``), links the course root into trainers' homes, caps a
trainee's memory, then replaces itself with ``jupyterhub-singleuser``.
"""

from __future__ import annotations

import os
import resource
import sys
from pathlib import Path

from cdatools.hub.sync import sync_tree


def log(message: str) -> None:
    print(f"[cda-hub] {message}", file=sys.stderr, flush=True)


def update_course(master: Path, home: Path) -> None:
    """Copy or update ``~/course``; never stop the server from starting."""
    try:
        report = sync_tree(master, home / "course")
    except OSError as error:
        log(f"could not update the course in {home / 'course'}: {error}")
        return
    if report.changed:
        log(
            f"course: {len(report.added)} added, {len(report.updated)} updated, "
            f"{len(report.new_versions)} new versions saved beside your own"
        )


def link_course_root(course_root: Path, home: Path) -> None:
    """``~/exercises`` -> the shared course root, unless something else has that name."""
    link = home / "exercises"
    if not link.exists() and not link.is_symlink():
        try:
            link.symlink_to(course_root)
        except OSError as error:
            log(f"could not link {link} to {course_root}: {error}")


def cap_memory(megabytes: int) -> None:
    """Limit the address space of this server and every kernel it starts."""
    limit = megabytes * 1024 * 1024
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    home = Path.home()
    role = os.environ.get("CDA_HUB_ROLE", "trainee")
    if role == "trainer":
        # Files in the shared course root stay writable by the other trainers.
        os.umask(0o002)
        if os.environ.get("CDA_HUB_COURSE_ROOT"):
            link_course_root(Path(os.environ["CDA_HUB_COURSE_ROOT"]), home)
    master = os.environ.get("CDA_HUB_COURSE")
    if master and Path(master).is_dir():
        update_course(Path(master), home)
    memory = os.environ.get("CDA_HUB_MEMORY_MB", "")
    if memory.isdigit() and int(memory) > 0:
        cap_memory(int(memory))
    os.chdir(home)
    server = Path(sys.executable).with_name("jupyterhub-singleuser")
    os.execv(server, [str(server), *argv])


if __name__ == "__main__":
    main()
