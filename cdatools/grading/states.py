"""How a submission's grading ended, and how that is read from a finished run.

Every submission ends in exactly one :class:`State`. When several things went
wrong, the most serious one is the state and the others are listed in the detail.

Examples
--------
>>> State.TIMED_OUT.label
'timed out'
>>> worst([State.GRADED, State.TAMPERED, State.OUT_OF_MEMORY]).label
'out of memory'
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any


class State(enum.Enum):
    """The end state of one submission, most serious first.

    Attributes
    ----------
    label : str
        The words shown in tables and reports (the enum's value).

    Notes
    -----
    Every state but ``GRADED`` is flagged for the trainer. Whether scores were kept
    depends on whether the run completed, not on the state: a cell that hit its time
    limit or the memory cap scores zero but the rest of the notebook is graded (as
    ``nbgrader autograde`` does); a run that was stopped or whose kernel died keeps
    no automatic score at all.
    """

    CORRUPT = "corrupt notebook"
    TIMED_OUT = "timed out"
    KERNEL_DIED = "kernel died"
    OUT_OF_MEMORY = "out of memory"
    ERROR = "grading error"
    TAMPERED = "tampered cells restored"
    GRADED = "graded"

    @property
    def label(self) -> str:
        """The words shown in tables and reports."""
        return str(self.value)

    @classmethod
    def from_label(cls, label: str) -> State:
        """The state whose label is ``label``.

        Parameters
        ----------
        label : str
            A label as written in a table, e.g. ``"timed out"``.

        Returns
        -------
        State
            The matching state.

        Examples
        --------
        >>> State.from_label("kernel died") is State.KERNEL_DIED
        True
        """
        return cls(label)


def worst(states: Iterable[State]) -> State:
    """The most serious of ``states`` (``GRADED`` when there are none).

    Parameters
    ----------
    states : iterable of State
        States observed for one submission.

    Returns
    -------
    State
        The first of them in the order of :class:`State`.
    """
    order = list(State)
    found = [order.index(s) for s in states]
    return order[min(found)] if found else State.GRADED


@dataclass
class Outcome:
    """What happened to one submission.

    Parameters
    ----------
    student : str
        The trainee's id.
    state : State
        How grading ended.
    details : list of str
        Plain-language notes: what was restored, which cell timed out, ...
    score, max_score : float
        Total score and maximum over the assignment's graded cells (autograded
        and manual); failed runs score zero on the autograded cells.
    seconds : float
        Wall-clock time spent on the submission.
    skipped : bool
        True when an earlier run's result was kept (no ``--force``).
    """

    student: str
    state: State
    details: list[str] = field(default_factory=list)
    score: float = 0.0
    max_score: float = 0.0
    seconds: float = 0.0
    skipped: bool = False

    def to_row(self) -> dict[str, Any]:
        """This outcome as a flat dictionary (for CSV files and tables)."""
        row = asdict(self)
        row["state"] = self.state.label
        row["details"] = "; ".join(self.details)
        return row

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> Outcome:
        """Read an outcome written by :meth:`to_row`."""
        details = str(row.get("details") or "")
        return cls(
            student=str(row["student"]),
            state=State.from_label(str(row["state"])),
            details=[d for d in details.split("; ") if d],
            score=float(row.get("score") or 0.0),
            max_score=float(row.get("max_score") or 0.0),
            seconds=float(row.get("seconds") or 0.0),
            skipped=str(row.get("skipped")) in {"True", "true", "1"},
        )


# Error names a kernel reports (nbclient's timeout error; Python's MemoryError).
CELL_TIMEOUT_ERROR = "CellTimeoutError"
MEMORY_ERROR = "MemoryError"
# Exit codes of a kernel stopped by the memory cap: SIGKILL (kernel OOM killer),
# SIGABRT and SIGSEGV (a C library that could not allocate).
MEMORY_SIGNALS = (-9, -6, -11)


def output_errors(notebook: Mapping[str, Any]) -> dict[str, list[str]]:
    """Error names found in a notebook's outputs, with the cells that raised them.

    Parameters
    ----------
    notebook : mapping
        A notebook (NotebookNode or the dict read from JSON) after execution.

    Returns
    -------
    dict
        Error name -> cell labels (grade id, or ``cell <n>``), in notebook order.

    Examples
    --------
    >>> nb = {"cells": [{"cell_type": "code", "metadata": {},
    ...     "outputs": [{"output_type": "error", "ename": "MemoryError"}]}]}
    >>> output_errors(nb)
    {'MemoryError': ['cell 1']}
    """
    found: dict[str, list[str]] = {}
    for index, cell in enumerate(notebook.get("cells", []), start=1):
        if cell.get("cell_type") != "code":
            continue
        grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        label = grade_id or f"cell {index}"
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                found.setdefault(str(output.get("ename")), []).append(label)
    return found


def classify_run(
    *,
    corrupt: Iterable[str] = (),
    tampering: Iterable[str] = (),
    errors: Mapping[str, Iterable[str]] | None = None,
    failure: str | None = None,
    kernel_exit: int | None = None,
    killed_for_time: bool = False,
) -> tuple[State, list[str]]:
    """The state and details of one submission from what its run left behind.

    Parameters
    ----------
    corrupt : iterable of str
        Notebooks that could not be read (with the reason).
    tampering : iterable of str
        Changes to locked, deleted or duplicated grading cells that nbgrader undid.
    errors : mapping, optional
        Error name -> cells, from :func:`output_errors` on the graded notebooks.
    failure : str, optional
        The exception that stopped nbgrader's run, as ``"Name: message"``.
    kernel_exit : int, optional
        The kernel's exit code when it stopped during the run.
    killed_for_time : bool
        True when the whole-notebook time budget ran out and the run was stopped.

    Returns
    -------
    tuple of (State, list of str)
        The state and its plain-language details.

    Examples
    --------
    >>> classify_run(errors={"CellTimeoutError": ["q1"]})[0].label
    'timed out'
    >>> classify_run(failure="DeadKernelError: Kernel died", kernel_exit=0)[0].label
    'kernel died'
    """
    errors = dict(errors or {})
    states: list[State] = []
    details: list[str] = []
    corrupt = list(corrupt)
    if corrupt:
        states.append(State.CORRUPT)
        details += [f"unreadable notebook: {c}" for c in corrupt]
    if killed_for_time:
        states.append(State.TIMED_OUT)
        details.append("the whole-notebook time budget ran out; the run was stopped")
    if failure and not corrupt and not killed_for_time:
        memory = MEMORY_ERROR in errors or (kernel_exit in MEMORY_SIGNALS)
        if CELL_TIMEOUT_ERROR in failure:
            states.append(State.TIMED_OUT)
            details.append("a cell ran past its time limit and could not be interrupted")
        elif "DeadKernel" in failure or kernel_exit is not None:
            states.append(State.OUT_OF_MEMORY if memory else State.KERNEL_DIED)
            code = "" if kernel_exit is None else f" (exit code {kernel_exit})"
            details.append(f"the kernel stopped during the run{code}")
        elif MEMORY_ERROR in failure:
            states.append(State.OUT_OF_MEMORY)
            details.append(f"grading ran out of memory: {failure}")
        else:
            states.append(State.ERROR)
            details.append(f"nbgrader could not grade it: {failure}")
    if MEMORY_ERROR in errors:
        states.append(State.OUT_OF_MEMORY)
        details.append("MemoryError (memory cap reached) in " + ", ".join(errors[MEMORY_ERROR]))
    if CELL_TIMEOUT_ERROR in errors:
        states.append(State.TIMED_OUT)
        details.append("cell time limit reached in " + ", ".join(errors[CELL_TIMEOUT_ERROR]))
    tampering = list(tampering)
    if tampering:
        states.append(State.TAMPERED)
        details += tampering
    return worst(states), details
