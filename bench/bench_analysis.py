"""Time ``import cdatools`` against ``import pandas``, and each analysis on the bundled data.

Run from the repository folder:

    .venv/bin/python bench/bench_analysis.py                 # defaults
    .venv/bin/python bench/bench_analysis.py --repeat 30 --check

Goals (issue 4):

- ``import cdatools`` takes at most 1.2 times as long as ``import pandas``. Both are
  timed in fresh interpreters in the same run, alternating, and the medians compared.
  For information, the same is shown for importing every analysis module
  (``from cdatools import workplan, governance, trust, ...``), which does import pandas
  and numpy but not matplotlib or networkx.
- Each analysis takes under 50 ms on the course data (median of ``--repeat`` runs,
  data loaded beforehand with ``cdatools.load``). Plot preparation and drawing are
  timed too, for information only.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from collections.abc import Callable

IMPORT_RATIO_GOAL = 1.2
ANALYSIS_GOAL_MS = 50.0

_TIMER = "import time; t = time.perf_counter(); {stmt}; print(time.perf_counter() - t)"
IMPORTS = {
    "import pandas": "import pandas",
    "import cdatools": "import cdatools",
    "import all analysis modules": (
        "from cdatools import workplan, governance, trust, joint_actions, commission, "
        "stakeholders, monitoring, plotting"
    ),
}


def time_imports(repeat: int) -> dict[str, float]:
    """Median seconds for each import statement, each in a fresh interpreter."""
    samples: dict[str, list[float]] = {name: [] for name in IMPORTS}
    for _ in range(repeat):
        for name, stmt in IMPORTS.items():  # interleaved, so drift hits all alike
            out = subprocess.run(
                [sys.executable, "-c", _TIMER.format(stmt=stmt)],
                capture_output=True,
                text=True,
                check=True,
            )
            samples[name].append(float(out.stdout))
    return {name: statistics.median(values) for name, values in samples.items()}


def time_call(func: Callable[[], object], repeat: int) -> tuple[float, float]:
    """Median and maximum milliseconds of ``func()`` over ``repeat`` runs (after one warm-up)."""
    func()
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        runs.append((time.perf_counter() - start) * 1000)
    return statistics.median(runs), max(runs)


def analyses() -> tuple[dict[str, Callable[[], object]], dict[str, Callable[[], object]]]:
    """The analyses on the course data, and (separately) the plot steps."""
    import cdatools
    from cdatools import (
        commission,
        governance,
        joint_actions,
        monitoring,
        stakeholders,
        trust,
        workplan,
    )

    tasks = cdatools.load("cda_tasks")
    survey = cdatools.load("governance_survey")
    voice = cdatools.load("governance_voice")
    ties = cdatools.load("bagru_ties")
    units = cdatools.load("bagru_units")["unit_id"]
    meetings = cdatools.load("senegal_meetings")
    attendance = cdatools.load("senegal_attendance")
    actions = cdatools.load("joint_actions")
    people = cdatools.load("stakeholders")
    deliveries = cdatools.load("chontales_deliveries")

    bagru_actions = actions[actions["cluster"] == "Bagru"]
    bagru_people = people[people["cluster"] == "Bagru"]
    before = trust.network_from_ties(ties, wave="before", nodes=units)
    after = trust.network_from_ties(ties, wave="after", nodes=units)
    card = governance.scorecard(survey, wave="baseline", cluster="Bagru")
    change = governance.compare_waves(survey, cluster="Bagru")
    monthly = monitoring.chontales_monthly(deliveries)

    steps = {
        "workplan.validate_plan": lambda: workplan.validate_plan(tasks),
        "workplan.overlaps": lambda: workplan.overlaps(tasks),
        "workplan.hands_on_profile": lambda: workplan.hands_on_profile(tasks),
        "governance.scorecard (1 cluster, 1 wave)": lambda: governance.scorecard(
            survey, wave="baseline", cluster="Bagru"
        ),
        "governance.compare_waves (1 cluster)": lambda: governance.compare_waves(
            survey, cluster="Bagru"
        ),
        "governance.representation_gaps (all)": lambda: governance.representation_gaps(voice),
        f"trust.network_from_ties ({len(units)} units)": lambda: trust.network_from_ties(
            ties, wave="after", nodes=units
        ),
        "trust.network_from_meetings (Senegal)": lambda: trust.network_from_meetings(
            meetings, attendance
        ),
        "trust.trust_measures (Bagru after)": lambda: trust.trust_measures(after),
        "trust.brokers (Bagru after, exact)": lambda: trust.brokers(after),
        "trust.compare_waves (Bagru)": lambda: trust.compare_waves(before, after),
        "trust.tie_changes (Bagru)": lambda: trust.tie_changes(before, after),
        "joint_actions.rank_actions (all 4 clusters)": lambda: joint_actions.rank_actions(actions),
        "joint_actions.select_portfolio (Bagru)": lambda: joint_actions.select_portfolio(
            bagru_actions, budget=150_000, start_month=13, horizon=36
        ),
        "commission.check_commission (Bagru)": lambda: commission.check_commission(bagru_people),
        "stakeholders.mendelow_grid (all)": lambda: stakeholders.mendelow_grid(people),
        "monitoring.chontales_monthly": lambda: monitoring.chontales_monthly(deliveries),
        "monitoring.compare_chontales (3 x 2,000 resamples)": lambda: monitoring.compare_chontales(
            deliveries
        ),
    }
    pos = trust.fixed_layout(before, after)
    plots = {
        "trust.fixed_layout (Bagru, both waves)": lambda: trust.fixed_layout(before, after),
        "workplan.plot_workplan": lambda: workplan.plot_workplan(tasks),
        "governance.plot_heatmap": lambda: governance.plot_heatmap(card),
        "governance.plot_radar": lambda: governance.plot_radar(card),
        "governance.plot_change": lambda: governance.plot_change(change),
        "trust.plot_network (Bagru after)": lambda: trust.plot_network(after, pos=pos),
        "joint_actions.plot_matrix (Bagru)": lambda: joint_actions.plot_matrix(bagru_actions),
        "stakeholders.plot_grid (Bagru)": lambda: stakeholders.plot_grid(bagru_people),
        "monitoring.plot_periods": lambda: monitoring.plot_periods(monthly, "payment_days"),
    }
    return steps, plots


def main(argv: list[str] | None = None) -> int:
    """Print the import ratio and the analysis times; with --check, fail if a goal is missed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20, help="timed runs per analysis")
    parser.add_argument("--import-repeat", type=int, default=7, help="fresh interpreters each")
    parser.add_argument("--check", action="store_true", help="exit 1 if a goal is missed")
    args = parser.parse_args(argv)

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    print(f"Python {sys.version.split()[0]} on {sys.platform}")
    imports = time_imports(args.import_repeat)
    base = imports["import pandas"]
    print(f"\nImport time, median of {args.import_repeat} fresh interpreters each:")
    for name, seconds in imports.items():
        print(f"  {name:<32}{seconds * 1000:8.1f} ms   ratio to pandas {seconds / base:5.2f}")
    ratio = imports["import cdatools"] / base
    import_ok = ratio <= IMPORT_RATIO_GOAL
    print(
        f"  goal: import cdatools <= {IMPORT_RATIO_GOAL} x import pandas -> "
        f"{'met' if import_ok else 'NOT met'} ({ratio:.2f})"
    )

    steps, plots = analyses()
    print(f"\nAnalyses on the bundled data, median and max of {args.repeat} runs (ms):")
    slow = []
    for name, func in steps.items():
        median, worst = time_call(func, args.repeat)
        flag = "" if median < ANALYSIS_GOAL_MS else "  <- over the goal"
        if flag:
            slow.append(name)
        print(f"  {name:<52}{median:8.1f}{worst:8.1f}{flag}")
    print(
        f"  goal: each under {ANALYSIS_GOAL_MS:.0f} ms -> "
        f"{'met' if not slow else 'NOT met: ' + ', '.join(slow)}"
    )

    print(f"\nPlot steps (information only), median and max of {min(args.repeat, 5)} runs (ms):")
    for name, func in plots.items():
        median, worst = time_call(lambda f=func: (f(), plt.close("all")), min(args.repeat, 5))
        print(f"  {name:<52}{median:8.1f}{worst:8.1f}")

    return 1 if args.check and (slow or not import_ok) else 0


if __name__ == "__main__":
    raise SystemExit(main())
