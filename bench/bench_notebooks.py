"""Run each course notebook in a fresh kernel; print its run time and peak memory.

Usage (from the repository root)::

    .venv/bin/python bench/bench_notebooks.py            # every English notebook in course/
    .venv/bin/python bench/bench_notebooks.py course/03-building-trust.ipynb
    .venv/bin/python bench/bench_notebooks.py --editions # and the French and Spanish ones

For each notebook the script starts a new kernel, runs every cell in the
notebook's own folder (as Jupyter and the tests do), and reads the kernel
process's peak resident memory (``VmHWM`` in ``/proc/<pid>/status`` on Linux;
psutil's figure elsewhere) just before shutting it down. Planning widgets save
into a temporary folder, so a run never touches a trainee's ``my-work/``.

Targets: each notebook under 10 s and 250 MB, the whole course under 90 s (the
English, and each translated edition on its own, ``course/fr/`` and ``course/es/``;
an edition runs with its language, as under JupyterLab). The exit status is 1 when a
notebook fails or a target is missed.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))
from cdatools.notebook_i18n import EDITIONS, is_edition  # noqa: E402

MAX_SECONDS = 10.0
MAX_MB = 250.0
MAX_TOTAL_SECONDS = 90.0


def peak_rss_mb(pid: int) -> float:
    """Peak resident memory of a process in MB (VmHWM on Linux, else current RSS)."""
    status = Path(f"/proc/{pid}/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    import psutil

    info = psutil.Process(pid).memory_info()
    return getattr(info, "peak_wset", info.rss) / 1024**2


def run(path: Path, timeout: int = 120) -> tuple[float, float, str | None]:
    """Execute one notebook; return (seconds, peak MB, error or None)."""
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(
        notebook,
        timeout=timeout,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
    )
    error = None
    start = time.perf_counter()
    # JupyterLab names the notebook to its kernel; a translated edition speaks its language.
    os.environ["JPY_SESSION_NAME"] = str(path)
    with client.setup_kernel():
        pid = client.km.provisioner.process.pid
        try:
            for index, cell in enumerate(notebook.cells):
                client.execute_cell(cell, index)
        except Exception as exc:  # report and carry on with the next notebook
            error = f"{type(exc).__name__}: {str(exc).strip().splitlines()[-1][:200]}"
        seconds = time.perf_counter() - start
        peak = peak_rss_mb(pid)
    return seconds, peak, error


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "notebooks", nargs="*", type=Path, help="default: every English course notebook"
    )
    parser.add_argument(
        "--editions", action="store_true", help="also the French and Spanish editions"
    )
    args = parser.parse_args(argv)
    paths = args.notebooks or sorted(
        p
        for p in (REPO_ROOT / "course").rglob("*.ipynb")
        if ".ipynb_checkpoints" not in p.parts and (args.editions or not is_edition(p))
    )
    os.environ.setdefault("JUPYTER_PLATFORM_DIRS", "1")
    failed = False
    totals: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as work:
        os.environ["CDATOOLS_WORK_DIR"] = work
        print(f"{'notebook':48} {'seconds':>8} {'peak MB':>8}")
        for path in paths:
            seconds, peak, error = run(path.resolve())
            group = _group(path.resolve())
            totals[group] = totals.get(group, 0.0) + seconds
            flags = []
            if seconds > MAX_SECONDS:
                flags.append(f"over {MAX_SECONDS:.0f} s")
            if peak > MAX_MB:
                flags.append(f"over {MAX_MB:.0f} MB")
            if error:
                flags.append(error)
            failed = failed or bool(flags)
            name = str(path.resolve().relative_to(REPO_ROOT))
            print(f"{name:48} {seconds:8.1f} {peak:8.0f}  {'; '.join(flags)}".rstrip())
    over = False
    for group, total in totals.items():
        late = total > MAX_TOTAL_SECONDS
        over = over or late
        label = "total" if group == "en" else f"total, {group} edition"
        print(f"{label:48} {total:8.1f}{'  over 90 s' if late else ''}")
    return 1 if failed or over else 0


def _group(path: Path) -> str:
    """``en``, or the edition (``fr``, ``es``) a notebook belongs to."""
    if is_edition(path):
        relative = path.relative_to((REPO_ROOT / "course").resolve())
        return relative.parts[0] if relative.parts[0] in EDITIONS else "en"
    return "en"


if __name__ == "__main__":
    sys.exit(main())
