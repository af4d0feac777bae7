"""A one-line progress bar on standard error, and the summary table.

No dependency: on a terminal the bar redraws in place; in a log file (not a
terminal) each finished submission is one line.
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from collections.abc import Sequence
from typing import TextIO

from cdatools.grading.states import Outcome, State

BAR_WIDTH = 28


class Progress:
    """Progress of a grading run.

    Parameters
    ----------
    total : int
        How many submissions will be processed.
    label : str
        What is being graded (shown before the bar).
    stream : text file, optional
        Where to draw; standard error by default.

    Examples
    --------
    >>> import io
    >>> out = io.StringIO()
    >>> bar = Progress(2, "01-workplan", stream=out)
    >>> bar.update(Outcome("amina", State.GRADED, score=3, max_score=4))
    >>> "1/2" in out.getvalue()
    True
    """

    def __init__(self, total: int, label: str, stream: TextIO | None = None) -> None:
        self.total = total
        self.label = label
        self.stream = stream if stream is not None else sys.stderr
        self.done = 0
        self.counts: Counter[str] = Counter()
        self.started = time.monotonic()
        self.running: set[str] = set()
        self.live = bool(getattr(self.stream, "isatty", lambda: False)())

    def start(self, student: str) -> None:
        """Note that ``student``'s submission is being graded."""
        self.running.add(student)
        if self.live:
            self._draw()

    def update(self, outcome: Outcome) -> None:
        """Count one finished submission and redraw."""
        self.running.discard(outcome.student)
        self.done += 1
        self.counts["flagged" if outcome.state is not State.GRADED else "graded"] += 1
        if self.live:
            self._draw()
        else:
            self.stream.write(
                f"[{self.done}/{self.total}] {outcome.student}: {outcome.state.label}"
                f" ({outcome.seconds:.1f} s)\n"
            )
            self.stream.flush()

    def close(self) -> None:
        """Finish the bar's line."""
        if self.live:
            self._draw()
            self.stream.write("\n")
            self.stream.flush()

    def _draw(self) -> None:
        filled = int(BAR_WIDTH * self.done / self.total) if self.total else BAR_WIDTH
        bar = "#" * filled + "." * (BAR_WIDTH - filled)
        elapsed = time.monotonic() - self.started
        text = (
            f"\rGrading {self.label} [{bar}] {self.done}/{self.total}"
            f"  graded {self.counts['graded']}, flagged {self.counts['flagged']}"
            f"  {int(elapsed) // 60}:{int(elapsed) % 60:02d}"
        )
        if self.running:
            text += "  now: " + ", ".join(sorted(self.running))[:40]
        self.stream.write(text.ljust(110))
        self.stream.flush()


def summary_table(outcomes: Sequence[Outcome]) -> str:
    """The end-of-run table: one row per trainee, then counts by state.

    Parameters
    ----------
    outcomes : sequence of Outcome
        One per submission.

    Returns
    -------
    str
        A plain-text table.

    Examples
    --------
    >>> print(summary_table([Outcome("amina", State.GRADED, score=3, max_score=4)]))
    ... # doctest: +NORMALIZE_WHITESPACE
    trainee  state   score  time  notes
    amina    graded  3/4    0.0s
    <BLANKLINE>
    graded: 1
    """
    rows = [("trainee", "state", "score", "time", "notes")]
    for outcome in sorted(outcomes, key=lambda o: o.student):
        state = outcome.state.label + (" (earlier run)" if outcome.skipped else "")
        score = f"{outcome.score:g}/{outcome.max_score:g}"
        notes = "; ".join(outcome.details)
        if len(notes) > 90:
            notes = notes[:87] + "..."
        rows.append((outcome.student, state, score, f"{outcome.seconds:.1f}s", notes))
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(row[:4], widths, strict=True))
        + "  "
        + row[4]
        for row in rows
    ]
    counts = Counter(o.state.label for o in outcomes)
    totals = ", ".join(
        f"{label}: {counts[label]}" for label in [s.label for s in State] if counts[label]
    )
    return "\n".join(line.rstrip() for line in lines) + "\n\n" + totals
