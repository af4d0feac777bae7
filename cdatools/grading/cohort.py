"""Invented trainee submissions, from excellent to broken, built from an assignment's notebooks.

Each function takes the student version (as released) and returns a changed copy,
as a trainee might hand it in. The demo and the tests build cohorts from them.

Examples
--------
>>> from cdatools.grading.sample import sample_notebook
>>> source = sample_notebook()
>>> [c.metadata["nbgrader"]["grade_id"] for c in source.cells if is_code_answer(c)]
['share_answer', 'quick_wins_answer']
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable
from typing import Any

WRITTEN_ANSWER = (
    "A CDA should plan the exit from the start: hand the coordination tasks to the "
    "cluster's own association step by step, train its staff, and agree with the "
    "members how the joint actions will be paid for once the project ends."
)
# Written answers of different quality, for practising grading against a mark scheme.
# They answer the first assignment's written part (preparing the CDA's withdrawal).
WRITTEN_ANSWERS = {
    "strong": (
        "In the coordinator's draft I would only start preparing my exit in months 34 to 36. "
        "Three months is too short: nobody could test whether the hand-over works, and the "
        "day the project ends there would be a gap that nobody fills.\n\n"
        "In my revised plan withdrawal starts in month 30. By then the networks task "
        "(months 25-36) is led by the stakeholders and I only support it. My exit strategy "
        "will say who takes over each thing I still do: the business association runs the "
        "monitoring with a local consultant we trained, and the chamber chairs the Cluster "
        "Commission. I will put extra effort into the weakest links between firms and the "
        "training institute, train two future leaders and a network development agent, and "
        "list where the money for next year comes from (members' fees of about US$ 2,500, "
        "a municipal budget line and a donor programme).\n\n"
        "The transfer of responsibility in months 13-24 is the rehearsal: every activity I "
        "hand over should run once without me while I can still help. Before I leave I will "
        "check that the Commission has met and decided twice without me, and that one joint "
        "action was organised by the firms alone."
    ),
    "weak": (
        "The exit is important because the CDA cannot stay for ever. I will prepare it "
        "carefully and talk to the stakeholders so that they continue the work. The plan "
        "should be sustainable and the cluster must be strong."
    ),
    "off-topic": (
        "Bagru is known for its hand block printing with natural dyes, and many families "
        "have printed there for generations. The printers need better access to markets, "
        "so a trade fair in Jaipur would help them sell more and meet new buyers."
    ),
    "too short": "We leave at the end and the association continues.",
}
WRITTEN_ANSWER = WRITTEN_ANSWERS["strong"]
_DELIMITER = re.compile(r"^[ \t]*#+ *(BEGIN|END) SOLUTION.*\n?", re.M)

# Code a trainee might leave in an answer, for the broken submissions.
INFINITE_LOOP = "while True:\n    pass\n"
KERNEL_EXIT = "import os\nos._exit(1)\n"
MEMORY_BOMB = "hog = []\nwhile True:\n    hog.append(bytearray(64 * 1024 * 1024))\n"
HUGE_OUTPUT = "print('\\n'.join(f'output line {n}' for n in range(200_000)))\n"


def _meta(cell: Any) -> dict[str, Any]:
    return dict(cell.get("metadata", {}).get("nbgrader", {}))


def grade_id(cell: Any) -> str | None:
    """A cell's nbgrader grade id, or None."""
    return _meta(cell).get("grade_id")


def is_code_answer(cell: Any) -> bool:
    """True for a code cell where the trainee writes the answer."""
    return cell.cell_type == "code" and bool(_meta(cell).get("solution"))


def is_written_answer(cell: Any) -> bool:
    """True for a markdown cell where the trainee writes a graded answer."""
    return cell.cell_type == "markdown" and bool(_meta(cell).get("solution"))


def is_test(cell: Any) -> bool:
    """True for a locked, autograded test cell."""
    meta = _meta(cell)
    return bool(meta.get("grade")) and not meta.get("solution") and cell.cell_type == "code"


def answer_ids(notebook: Any) -> list[str]:
    """The grade ids of the code answers, in order."""
    return [str(grade_id(c)) for c in notebook.cells if is_code_answer(c)]


def solution_code(source_cell: Any) -> str:
    """The instructor's solution of a source cell, without nbgrader's delimiters."""
    return _DELIMITER.sub("", source_cell.source)


def answered(
    release: Any,
    source: Any,
    solved: Iterable[str] | None = None,
    written: bool | str = True,
) -> Any:
    """The student version with some answers filled in from the source version.

    Parameters
    ----------
    release : nbformat.NotebookNode
        The student version.
    source : nbformat.NotebookNode
        The instructor version (with solutions).
    solved : iterable of str, optional
        Grade ids of the code answers to fill in (all by default).
    written : bool or str
        Fill the written answers: True or ``"strong"`` for a good answer, one of
        the other keys of :data:`WRITTEN_ANSWERS` (``"weak"``, ``"off-topic"``,
        ``"too short"``) for a poorer one, False or ``"empty"`` to leave them as given.

    Returns
    -------
    nbformat.NotebookNode
        A new notebook; ``release`` is unchanged.
    """
    notebook = copy.deepcopy(release)
    solutions = {grade_id(c): c for c in source.cells if is_code_answer(c)}
    keep = set(solutions) if solved is None else set(solved)
    kind = "strong" if written is True else written or "empty"
    text = WRITTEN_ANSWERS.get(str(kind))
    for cell in notebook.cells:
        if is_code_answer(cell) and grade_id(cell) in keep and grade_id(cell) in solutions:
            cell.source = solution_code(solutions[grade_id(cell)])
        elif is_written_answer(cell) and text is not None:
            cell.source = text
    return notebook


def with_code(notebook: Any, code: str, answer: str | None = None) -> Any:
    """A copy with ``code`` put at the top of an answer cell (the first by default)."""
    notebook = copy.deepcopy(notebook)
    for cell in notebook.cells:
        if is_code_answer(cell) and (answer is None or grade_id(cell) == answer):
            cell.source = code + cell.source
            return notebook
    raise KeyError(f"no code answer {answer!r}")


def with_changed_test(notebook: Any) -> Any:
    """A copy whose first test cell was rewritten to pass whatever the answer."""
    notebook = copy.deepcopy(notebook)
    for cell in notebook.cells:
        if is_test(cell):
            cell.source = "print('Success!')"
            return notebook
    raise KeyError("no test cell")


def without_first_test(notebook: Any) -> Any:
    """A copy with the first test cell deleted."""
    notebook = copy.deepcopy(notebook)
    index = next(i for i, c in enumerate(notebook.cells) if is_test(c))
    del notebook.cells[index]
    return notebook


def with_duplicated_answer(notebook: Any) -> Any:
    """A copy where the first answer cell was copied and pasted (same grade id twice)."""
    notebook = copy.deepcopy(notebook)
    index = next(i for i, c in enumerate(notebook.cells) if is_code_answer(c))
    duplicate = copy.deepcopy(notebook.cells[index])
    duplicate["id"] = f"{duplicate.get('id', 'cell')}-copy"
    notebook.cells.insert(index + 1, duplicate)
    return notebook


def corrupted(notebook: Any) -> bytes:
    """The notebook's file cut off half way, as a failed upload leaves it."""
    import nbformat

    text = nbformat.writes(notebook)
    return text[: len(text) // 2].encode("utf-8")
