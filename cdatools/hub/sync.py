"""Copy the course into a person's folder, and update it later without losing their work.

:func:`sync_tree` compares three versions of each file: the course's current file, the
copy in the person's folder, and what was copied there last time (a manifest of
checksums kept beside the copy). A file the person never changed takes the course's
new version; a file they changed is left alone, and the course's new version is saved
next to it under a name that says so. Files that are not part of the course (their
``my-work/`` folder, new notebooks) are never touched.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

MANIFEST = ".cda-course-manifest.json"
UPDATES_NOTE = "COURSE-UPDATES.txt"
IGNORED_NAMES = frozenset({"my-work", ".ipynb_checkpoints", "__pycache__", MANIFEST, UPDATES_NOTE})
COURSE_ROOT_UPDATES = "course-updates"


@dataclass
class SyncReport:
    """What :func:`sync_tree` did, as paths relative to the target folder."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    new_versions: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.new_versions)


def checksum(path: Path) -> str:
    """SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


def course_files(master: Path) -> dict[str, Path]:
    """The course's files under ``master``, by relative POSIX path."""
    found: dict[str, Path] = {}
    for folder, dirs, files in os.walk(master):
        dirs[:] = sorted(d for d in dirs if d not in IGNORED_NAMES and not d.startswith("."))
        for name in sorted(files):
            if name in IGNORED_NAMES or name.startswith("."):
                continue
            path = Path(folder) / name
            found[path.relative_to(master).as_posix()] = path
    return found


def new_version_name(relative: str, number: int = 1) -> str:
    """Where the course's new version goes when the person changed their copy."""
    path = Path(relative)
    label = "course update" if number == 1 else f"course update {number}"
    return (path.parent / f"{path.stem} ({label}){path.suffix}").as_posix()


def _free_new_version_name(target: Path, relative: str, digest: str) -> str:
    """A name for the new version that overwrites nothing the person may have edited."""
    number = 1
    while True:
        other = new_version_name(relative, number)
        existing = target / other
        if not existing.exists() or (existing.is_file() and checksum(existing) == digest):
            return other
        number += 1


def _copy(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.partial")
    shutil.copyfile(source, partial)
    os.replace(partial, target)


def sync_tree(master: Path, target: Path, updates_dir: str | None = None) -> SyncReport:
    """Bring the copy of the course in ``target`` up to date with ``master``.

    Parameters
    ----------
    master
        The course as the trainer provides it (read only).
    target
        The person's copy (created when missing).
    updates_dir
        Where, relative to ``target``, the course's new version of a file the person
        changed is saved (same relative path). Default: beside the person's file, as
        ``<name> (course update)<suffix>``. An nbgrader course root needs a folder of its
        own, or nbgrader would take the new version for part of the assignment.

    Returns
    -------
    SyncReport
        Files added, updated, kept as the person left them, and new versions saved
        beside changed files.

    Notes
    -----
    A file the person deleted is copied again (the course's version). Nothing is ever
    deleted from ``target``. The manifest records, for each course file, the checksum of
    the version last copied, so a later run can tell the person's edits from the
    course's changes.
    """
    master, target = Path(master), Path(target)
    target.mkdir(parents=True, exist_ok=True)
    manifest_path = target / MANIFEST
    try:
        last = json.loads(manifest_path.read_text(encoding="utf-8"))
        if not isinstance(last, dict):
            last = {}
    except (FileNotFoundError, ValueError):
        last = {}
    report = SyncReport()
    manifest: dict[str, str] = {}
    pairs: list[tuple[str, str]] = []
    for relative, source in course_files(master).items():
        new = checksum(source)
        copy = target / relative
        if not copy.exists():
            _copy(source, copy)
            report.added.append(relative)
            manifest[relative] = new
            continue
        mine = checksum(copy) if copy.is_file() else None
        if mine == new:
            manifest[relative] = new
        elif mine is not None and mine == last.get(relative):
            _copy(source, copy)
            report.updated.append(relative)
            manifest[relative] = new
        else:
            # Changed by the person (or of unknown history): their copy stays.
            report.kept.append(relative)
            manifest[relative] = new
            if last.get(relative) != new:
                if updates_dir:
                    other = _free_new_version_name(target, f"{updates_dir}/{relative}", new)
                else:
                    other = _free_new_version_name(target, relative, new)
                _copy(source, target / other)
                report.new_versions.append(other)
                pairs.append((relative, other))
    partial = manifest_path.with_name(f".{MANIFEST}.partial")
    partial.write_text(json.dumps(manifest, indent=1, sort_keys=True), encoding="utf-8")
    os.replace(partial, manifest_path)
    if report.new_versions:
        with (target / UPDATES_NOTE).open("a", encoding="utf-8") as note:
            note.write(
                "The course was updated. You had changed these files, so your version "
                "was kept and the course's new version saved beside it:\n"
            )
            for relative, other in pairs:
                note.write(f"  {relative}  ->  new version: {other}\n")
    return report
