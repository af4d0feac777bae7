"""Fixes for nbgrader 0.9 bugs that cost trainees marks, used from nbgrader_config.py.

``exercises/nbgrader_config.py`` puts these classes in nbgrader's own pipeline, so that
``nbgrader autograde`` and ``cdatools grade`` grade exactly alike.
"""

from __future__ import annotations

from typing import Any

import nbformat
from nbgrader.preprocessors import DeduplicateIds as _DeduplicateIds
from nbgrader.preprocessors import NbGraderPreprocessor


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


#: Said in place of a failed check that carries no message of its own.
NO_MESSAGE = (
    "A check of this part did not pass. Read the task again, compare your answer with "
    "what it asks for, and run the notebook again from the top."
)


def plain_failure(ename: str, evalue: str) -> str:
    """The short message a trainee reads in place of a failed check's traceback.

    Parameters
    ----------
    ename, evalue
        The exception's class name and message, as the kernel reported them.

    Returns
    -------
    str
        The assertion's own message when it has one; for a name the answer never
        defined, that name; otherwise a plain sentence naming only the kind of error.
        Never the failing source line, never the values a hidden check expected.
    """
    evalue = (evalue or "").strip()
    if ename == "AssertionError":
        return f"This check did not pass: {evalue}" if evalue else NO_MESSAGE
    if ename == "NameError":
        return (
            f"This check could not run: {evalue}. Define it in your answer cell (with the "
            "exact name the task gives) and run the notebook again from the top."
        )
    if "Timeout" in ename or "DeadKernel" in ename:
        return (
            "This check could not finish: the notebook ran too long or stopped. Look for a "
            "loop that never ends or a very slow step in your answers."
        )
    return (
        f"This check stopped with an error ({ename}) while it used your answer: the answer "
        "is probably not of the kind the task asks for (a DataFrame, a list, a number...). "
        "Read the task again and check the type and columns of your answer."
    )


class PlainTestErrors(NbGraderPreprocessor):
    """Replace the traceback of a failed grading cell by a short message in plain words.

    nbgrader's feedback removes hidden tests from a grading cell's source but keeps the
    cell's error output, whose traceback shows the failing hidden line, often with the
    values it expected (jupyter/nbgrader#917). This step keeps every other output (a
    ``Success!`` printed by the visible checks, say) and puts, in place of each error,
    the message :func:`plain_failure` writes. Answer cells keep their tracebacks: they
    show only the trainee's own code.
    """

    def preprocess_cell(self, cell: Any, resources: Any, cell_index: int) -> tuple[Any, Any]:
        meta = cell.metadata.get("nbgrader", {})
        if cell.cell_type != "code" or not meta.get("grade") or meta.get("solution"):
            return cell, resources
        outputs = []
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                text = plain_failure(output.get("ename", ""), output.get("evalue", ""))
                output = nbformat.v4.new_output("stream", name="stderr", text=text + "\n")
            outputs.append(output)
        cell.outputs = outputs
        return cell, resources
