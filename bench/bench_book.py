"""How long ``make book`` takes: a full build from a clean cache, then rebuilds.

Run from the repository: ``.venv/bin/python bench/bench_book.py``.

It copies ``course/`` to a scratch folder (so the course is never changed), then:

1. builds the website and the PDF with an empty execution cache (every notebook runs);
2. rebuilds after changing one markdown cell of Lesson 3 (no notebook runs again);
3. rebuilds with nothing changed.

Goals: the full build under 5 minutes, a rebuild after a markdown change under 30 s.
Each figure is split into the website (Jupyter Book) and the PDF (chromium).
On a shared, loaded machine the figures vary; the ratio of rebuild to full build is the
steadier number.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
GOALS = {"full build": 300.0, "rebuild after a markdown change": 30.0}


def load_build():
    spec = importlib.util.spec_from_file_location("book_build", ROOT / "book" / "build.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["book_build"] = module
    spec.loader.exec_module(module)
    return module


def timed(build, folder: Path, course: Path) -> tuple[float, dict[str, float]]:
    start = time.perf_counter()
    steps = build.build(folder, pdf=True, course=course)
    return time.perf_counter() - start, steps


def main() -> int:
    build = load_build()
    os.environ.setdefault("MPLBACKEND", "Agg")
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} (1 min)")
    with tempfile.TemporaryDirectory(prefix="bench-book-") as scratch:
        course = Path(scratch) / "course"
        shutil.copytree(
            ROOT / "course",
            course,
            ignore=shutil.ignore_patterns("my-work", ".ipynb_checkpoints"),
        )
        folder = Path(scratch) / "build"
        results = {}
        results["full build"] = timed(build, folder, course)

        lesson = course / "03-building-trust.ipynb"
        notebook = nbformat.read(lesson, as_version=4)
        cell = next(c for c in notebook.cells if c.cell_type == "markdown" and c.source)
        marker = "A sentence the benchmark added to a markdown cell."
        cell.source += f"\n\n{marker}"
        nbformat.write(notebook, lesson)
        results["rebuild after a markdown change"] = timed(build, folder, course)
        page = (folder / "site" / "03-building-trust.html").read_text(encoding="utf-8")
        if marker not in page:
            print("ERROR: the rebuilt page does not show the changed markdown")
            return 1
        results["rebuild with nothing changed"] = timed(build, folder, course)
        pages = sum(1 for _ in (folder / "site").rglob("*.html"))
        size = sum(p.stat().st_size for p in (folder / "site").rglob("*") if p.is_file())
        pdf = (folder / "course.pdf").stat().st_size

    print(f"site: {pages} pages, {size / 1e6:.1f} MB; PDF {pdf / 1e6:.1f} MB")
    print(f"{'step':34} {'total':>8} {'website':>8} {'PDF':>8}   goal")
    full = results["full build"][0]
    for name, (total, steps) in results.items():
        goal = GOALS.get(name)
        verdict = (
            "" if goal is None else (f"< {goal:.0f} s " + ("met" if total < goal else "MISSED"))
        )
        print(
            f"{name:34} {total:7.1f}s {steps['site']:7.1f}s {steps.get('pdf', 0):7.1f}s   {verdict}"
        )
    rebuild = results["rebuild after a markdown change"][0]
    print(f"rebuild / full build: {rebuild / full:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
