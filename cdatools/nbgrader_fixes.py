"""Fixes for nbgrader 0.9 bugs that cost trainees marks, used from nbgrader_config.py.

``exercises/nbgrader_config.py`` puts these classes in nbgrader's own pipeline, so that
``nbgrader autograde`` and ``cdatools grade`` grade exactly alike.
"""

from __future__ import annotations

from typing import Any

from nbgrader.preprocessors import DeduplicateIds as _DeduplicateIds


class DeduplicateIds(_DeduplicateIds):
    """nbgrader's ``DeduplicateIds``, leaving a duplicated cell as an ordinary cell.

    When a trainee copies a grading cell, nbgrader 0.9 keeps the last copy and leaves
    ``metadata.nbgrader = {}`` on the others. With
    ``OverwriteCells.add_missing_cells = True`` the next step then fails with
    ``KeyError: 'grade_id'`` and the whole submission is lost (jupyter/nbgrader#1083).
    Removing the empty dictionary means the same to every other step: the copy is
    graded as an ordinary cell.
    """

    def preprocess_cell(self, cell: Any, resources: Any, cell_index: int) -> tuple[Any, Any]:
        cell, resources = super().preprocess_cell(cell, resources, cell_index)
        if cell.metadata.get("nbgrader", None) == {}:
            del cell.metadata["nbgrader"]
        return cell, resources
