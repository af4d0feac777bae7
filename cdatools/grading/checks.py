"""Checks on a submitted notebook before grading: can it be read, were grading cells changed?

nbgrader repairs tampering itself while autograding (``OverwriteCells`` restores
locked cells, cell types and points, and with ``add_missing_cells`` puts deleted
grading cells back; ``DeduplicateIds`` keeps only the last copy of a duplicated
cell). It only logs what it did; these checks say it in words for the trainer, by
comparing the submission with the cells recorded in the gradebook.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any


def read_notebook(path: str | Path) -> tuple[Any | None, str | None]:
    """Read and validate a notebook file.

    Parameters
    ----------
    path : str or Path
        The submitted file.

    Returns
    -------
    tuple
        ``(notebook, None)`` when it is a valid notebook, else ``(None, reason)``.
    """
    import nbformat

    try:
        notebook = nbformat.read(str(path), as_version=4)
        nbformat.validate(notebook)
    except Exception as error:  # any unreadable file is a corrupt notebook
        reason = str(error).strip().splitlines()[0] if str(error).strip() else ""
        return None, f"{Path(path).name}: {type(error).__name__} {reason}".strip()[:300]
    return notebook, None


def find_tampering(
    notebook: Any, recorded: Any, visible: Callable[[str], str] | None = None
) -> list[str]:
    """What nbgrader will have to restore in a submitted notebook.

    Parameters
    ----------
    notebook : nbformat.NotebookNode
        The submitted notebook.
    recorded : nbgrader.api.Notebook
        The notebook as recorded in the gradebook by ``generate_assignment``.
    visible : callable, optional
        Turns a recorded cell's source into what trainees were given (hidden
        tests removed; see :func:`hidden_test_remover`). nbgrader records test
        cells with their hidden tests, so an untouched released cell differs from
        the record; nbgrader itself logs a checksum warning for it (its issue
        #1961), which is not tampering.

    Returns
    -------
    list of str
        One sentence per change; empty when no grading cell was touched.
    """
    from nbgrader import utils

    name = recorded.name
    sources = {cell.name: cell for cell in recorded.source_cells}
    graded = {cell.name for cell in recorded.grade_cells} | {c.name for c in recorded.task_cells}
    points = {cell.name: float(cell.max_score) for cell in recorded.grade_cells}
    found: list[str] = []
    ids = [
        cell.metadata["nbgrader"].get("grade_id")
        for cell in notebook.cells
        if "nbgrader" in cell.metadata
        and (utils.is_grade(cell) or utils.is_solution(cell) or utils.is_locked(cell))
    ]
    for grade_id, count in sorted(Counter(ids).items(), key=lambda item: str(item[0])):
        if grade_id is not None and count > 1:
            found.append(f"{name}: cell '{grade_id}' appears {count} times (copies ignored)")
    present = set(ids)
    for grade_id in sorted(graded - present):
        found.append(f"{name}: grading cell '{grade_id}' was deleted (put back)")
    seen: set[str] = set()
    for cell in notebook.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id not in sources or grade_id in seen:
            continue
        seen.add(grade_id)
        source = sources[grade_id]
        if cell.cell_type != source.cell_type:
            found.append(f"{name}: cell '{grade_id}' was changed to {cell.cell_type} (restored)")
        if grade_id in points and utils.is_grade(cell):
            claimed = float(cell.metadata["nbgrader"].get("points", 0) or 0)
            if claimed != points[grade_id]:
                found.append(f"{name}: points of cell '{grade_id}' were changed (restored)")
        if source.locked:
            given = {(source.source or "").strip()}
            if visible is not None:
                given.add(visible(source.source or "").strip())
            if cell.source.strip() not in given:
                found.append(f"{name}: locked cell '{grade_id}' was edited (restored)")
    return found


def hidden_test_remover(parent: Any = None) -> Callable[[str], str]:
    """A function removing hidden tests from a cell's source, as nbgrader releases it.

    Parameters
    ----------
    parent : traitlets.config.Configurable, optional
        The nbgrader application, so the course's configured delimiters are used.

    Returns
    -------
    callable
        ``source -> source without hidden tests``.
    """
    import nbformat
    from nbgrader.preprocessors import ClearHiddenTests

    remover = ClearHiddenTests(parent=parent)

    def visible(source: str) -> str:
        cell = nbformat.v4.new_code_cell(source)
        remover._remove_hidden_test_region(cell)
        return str(cell.source)

    return visible
