"""Load on the workshop hub: a room of trainees logging in and running lesson 1 at once.

Run as root from the repository root (it creates Unix users and removes them after):

    .venv/bin/python bench/bench_hub.py                 # 20 trainees
    .venv/bin/python bench/bench_hub.py --trainees 5 --env /tmp/cda-hub-env

It starts ``make hub`` from a scratch copy of the repository on a random port, logs in N
trainees at the same moment, and has each run every code cell of lesson 1 in order in a
kernel of their own server. It prints the time until every server was ready, the median
and 95th-percentile time to run the lesson, and the memory used per trainee (PSS: each
shared page counted once, split among the processes that share it) with their kernel
still running. Goals on a 2-core, 24 GB machine: all succeed; 95th percentile under 60 s;
under 300 MB per active trainee.
"""

from __future__ import annotations

import argparse
import os
import pwd
import random
import shutil
import statistics
import string
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from cdatools.hub.client import HubUser  # noqa: E402
from tests.test_hub import Hub, _world_traversable_dir, remove_users, write_roster  # noqa: E402

LESSON = "course/01-role-of-the-cda.ipynb"


def pss_megabytes(uid: int) -> float:
    """Proportional memory of every process of one Unix user, in MB."""
    total_kb = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if entry.stat().st_uid != uid:
                continue
            for line in (entry / "smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total_kb += int(line.split()[1])
                    break
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
    return total_kb / 1024


def peak_address_space_mb(uid: int) -> float:
    """The largest address space (VmPeak) of one user's processes: what MEMORY caps."""
    peak_kb = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if entry.stat().st_uid != uid:
                continue
            for line in (entry / "status").read_text().splitlines():
                if line.startswith("VmPeak:"):
                    peak_kb = max(peak_kb, int(line.split()[1]))
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
    return peak_kb / 1024


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trainees", type=int, default=20)
    parser.add_argument("--env", default="", help="users' environment to reuse (HUB_ENV)")
    parser.add_argument("--memory-mb", type=int, default=2048, help="MEMORY cap per trainee")
    args = parser.parse_args()
    if os.geteuid() != 0:
        print("bench_hub.py creates Unix users: run it as root", file=sys.stderr)
        return 2

    cells = [
        cell.source
        for cell in nbformat.read(REPO / LESSON, as_version=4).cells
        if cell.cell_type == "code" and cell.source.strip()
    ]
    scratch = _world_traversable_dir("cdat-bench-hub-")
    env_parent = None
    if args.env:
        users_env = Path(args.env)
    else:
        env_parent = _world_traversable_dir("cdat-bench-env-")
        users_env = env_parent / "env"
    hub = Hub(scratch, users_env)
    tag = "".join(random.choices(string.ascii_lowercase, k=3))
    trainer = f"cdatb{tag}t"
    trainees = [f"cdatb{tag}{i:02d}" for i in range(args.trainees)]
    roster = write_roster(
        scratch / "cohort.csv",
        [(trainer, "trainer", "Tomás", "T")] + [(n, "trainee", "Trainee", n) for n in trainees],
    )
    load_before = os.getloadavg()
    try:
        hub.copy_repository()
        started = time.monotonic()
        hub.make(roster, f"MEMORY={args.memory_mb}")
        print(f"make hub (users, environment, start): {time.monotonic() - started:.0f} s")
        creds = hub.credentials()
        users = [HubUser(hub.base, name, creds[name]) for name in trainees]

        def log_in(user: HubUser) -> float:
            begin = time.monotonic()
            answer = user.login(timeout=600)
            if answer.status_code != 200:
                raise RuntimeError(f"{user.name}: login answered {answer.status_code}")
            user.wait_for_server(timeout=900)
            return time.monotonic() - begin

        def run_lesson(user: HubUser) -> tuple[float, list[str], str]:
            begin = time.monotonic()
            kernel = ""
            try:
                kernel = user.start_kernel(LESSON)
                begin = time.monotonic()
                errors = user.run_cells(kernel, cells, timeout=900)
            except Exception as error:  # one trainee's failure must not hide the others
                errors = [f"{type(error).__name__}: {error}"]
            return time.monotonic() - begin, errors, kernel

        with ThreadPoolExecutor(max_workers=len(users)) as pool:
            begin = time.monotonic()
            ready = list(pool.map(log_in, users))
            all_ready = time.monotonic() - begin
            runs = list(pool.map(run_lesson, users))
        memory = [pss_megabytes(pwd.getpwnam(user.name).pw_uid) for user in users]
        peak = max(peak_address_space_mb(pwd.getpwnam(user.name).pw_uid) for user in users)
        failed = {u.name: errors for u, (_, errors, _) in zip(users, runs, strict=True) if errors}
        times = [seconds for seconds, _, _ in runs]
        for user, (_, _, kernel) in zip(users, runs, strict=True):
            if kernel:
                user.stop_kernel(kernel)
    finally:
        hub.stop()
        remove_users([trainer, *trainees])
        shutil.rmtree(scratch, ignore_errors=True)
        if env_parent:
            shutil.rmtree(env_parent, ignore_errors=True)
    load_after = os.getloadavg()

    n = len(users)
    print(f"trainees: {n}; lesson 1: {len(cells)} code cells")
    print(f"succeeded: {n - len(failed)} of {n}")
    for name, errors in failed.items():
        print(f"  {name}: {errors[:3]}")
    print(
        f"all servers ready: {all_ready:.1f} s after the logins (slowest single login "
        f"{max(ready):.1f} s, median {statistics.median(ready):.1f} s)"
    )
    print(
        f"lesson 1 run time: median {statistics.median(times):.1f} s, "
        f"95th percentile {percentile(times, 0.95):.1f} s, slowest {max(times):.1f} s"
    )
    print(
        f"memory per trainee (server + kernel, PSS): median {statistics.median(memory):.0f} MB, "
        f"largest {max(memory):.0f} MB, all {n}: {sum(memory) / 1024:.1f} GB"
    )
    dropped = sum(user.reconnections for user in users)
    print(f"kernel connections dropped by the server and reopened (as JupyterLab does): {dropped}")
    print(f"largest address space of one process: {peak:.0f} MB (MEMORY cap {args.memory_mb} MB)")
    print(
        f"machine: {os.cpu_count()} cores, load average {load_before[0]:.1f} before, "
        f"{load_after[0]:.1f} after (other work on the machine slows every figure)"
    )
    return 0 if not failed else 1


if __name__ == "__main__":
    raise SystemExit(main())
