"""Time loading and validating every case-study dataset.

Run from the repository folder:

    .venv/bin/python bench/bench_datasets.py            # 5 repeats
    .venv/bin/python bench/bench_datasets.py --repeat 20 --check

Each ``cdatools.load(name)`` reads the CSV file, checks it against its schema (types,
ranges, allowed values, keys, cross-column rules) and checks its foreign keys, which
reads and checks the tables it points to as well. The goal is under 1 s for all datasets
together. The first figure is the one-off cost of importing pandas and cdatools.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time

GOAL_SECONDS = 1.0


def main(argv: list[str] | None = None) -> int:
    """Print the load time per dataset and in total; with --check, fail above the goal."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs to take the median of")
    parser.add_argument("--check", action="store_true", help="exit 1 if over the goal")
    args = parser.parse_args(argv)

    start = time.perf_counter()
    import cdatools

    names = cdatools.list_datasets()
    cdatools.load(names[0])  # imports pandas and reads datapackage.json
    first_use = time.perf_counter() - start

    timings: dict[str, list[float]] = {name: [] for name in names}
    totals, rows = [], {}
    for _ in range(args.repeat):
        run_start = time.perf_counter()
        for name in names:
            t0 = time.perf_counter()
            rows[name] = len(cdatools.load(name))
            timings[name].append(time.perf_counter() - t0)
        totals.append(time.perf_counter() - run_start)

    print(f"Python {sys.version.split()[0]}; median of {args.repeat} runs")
    print(f"first use (imports, datapackage.json): {first_use * 1000:8.1f} ms")
    print(f"{'dataset':<24}{'rows':>8}{'median ms':>12}{'max ms':>10}")
    for name in names:
        median, worst = statistics.median(timings[name]), max(timings[name])
        print(f"{name:<24}{rows[name]:>8}{median * 1000:>12.1f}{worst * 1000:>10.1f}")
    total, worst = statistics.median(totals), max(totals)
    print(f"{'all datasets':<24}{sum(rows.values()):>8}{total * 1000:>12.1f}{worst * 1000:>10.1f}")
    verdict = "met" if total < GOAL_SECONDS else "NOT met"
    print(f"goal: all datasets in under {GOAL_SECONDS:.0f} s -> {verdict}")
    return 1 if args.check and total >= GOAL_SECONDS else 0


if __name__ == "__main__":
    raise SystemExit(main())
