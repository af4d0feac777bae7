"""A small sample assignment: quick to grade, for tests and for a demo without the course.

The notebook has two autograded parts (2 points each, with hidden tests) and one
written part (1 point, with a mark scheme), in nbgrader's source format.

Examples
--------
>>> nb = sample_notebook()
>>> sorted(c.metadata["nbgrader"]["grade_id"] for c in nb.cells if "nbgrader" in c.metadata)
['quick_wins_answer', 'quick_wins_test', 'share_answer', 'share_test', 'trust_answer']
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

SAMPLE_ASSIGNMENT = "00-sample"

_CELLS: list[tuple[str, str, dict[str, Any] | None]] = [
    (
        "markdown",
        "# Sample assignment: cluster basics\n\n"
        "A short assignment that shows how grading works.\n\n"
        "## Part A (2 points)\n\n"
        "Write `share_of_members(members, firms)`: the percentage of a cluster's firms "
        "that are members of its association, rounded to one decimal.",
        None,
    ),
    (
        "code",
        "def share_of_members(members, firms):\n"
        "    ### BEGIN SOLUTION\n"
        "    return round(100 * members / firms, 1)\n"
        "    ### END SOLUTION",
        {"solution": True, "grade": False, "locked": False, "grade_id": "share_answer"},
    ),
    (
        "code",
        "assert share_of_members(30, 120) == 25.0, 'expected 25.0 for 30 members of 120 firms'\n"
        "print('Success!')\n"
        "### BEGIN HIDDEN TESTS\n"
        "assert share_of_members(1, 3) == 33.3\n"
        "### END HIDDEN TESTS",
        {"solution": False, "grade": True, "locked": True, "grade_id": "share_test", "points": 2},
    ),
    (
        "markdown",
        "## Part B (2 points)\n\n"
        "Write `quick_wins(actions, budget)`: the names of the joint actions whose cost "
        "fits the budget, cheapest first. `actions` maps a name to a cost.",
        None,
    ),
    (
        "code",
        "def quick_wins(actions, budget):\n"
        "    ### BEGIN SOLUTION\n"
        "    affordable = [(cost, name) for name, cost in actions.items() if cost <= budget]\n"
        "    return [name for cost, name in sorted(affordable)]\n"
        "    ### END SOLUTION",
        {"solution": True, "grade": False, "locked": False, "grade_id": "quick_wins_answer"},
    ),
    (
        "code",
        "actions = {'trade fair': 900, 'joint purchase': 300, 'training': 500}\n"
        "assert quick_wins(actions, 600) == ['joint purchase', 'training']\n"
        "print('Success!')\n"
        "### BEGIN HIDDEN TESTS\n"
        "assert quick_wins(actions, 100) == []\n"
        "assert quick_wins({'a': 1, 'b': 1}, 1) == ['a', 'b']\n"
        "### END HIDDEN TESTS",
        {
            "solution": False,
            "grade": True,
            "locked": True,
            "grade_id": "quick_wins_test",
            "points": 2,
        },
    ),
    (
        "markdown",
        "## Part C (1 point)\n\nIn two or three sentences: why start with quick wins?",
        None,
    ),
    (
        "markdown",
        "### BEGIN SOLUTION\n"
        "Quick wins show firms that cooperation pays before they risk much on it.\n"
        "=== BEGIN MARK SCHEME ===\n"
        "One point for linking early visible results to trust between competitors.\n"
        "=== END MARK SCHEME ===\n"
        "### END SOLUTION",
        {
            "solution": True,
            "grade": True,
            "locked": False,
            "grade_id": "trust_answer",
            "points": 1,
        },
    ),
]


def sample_notebook() -> Any:
    """The sample assignment's source notebook (instructor version).

    Returns
    -------
    nbformat.NotebookNode
        A version 4 notebook with nbgrader metadata (schema 3).
    """
    import nbformat

    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = {
        "display_name": "Python 3 (ipykernel)",
        "language": "python",
        "name": "python3",
    }
    notebook.metadata["language_info"] = {"name": "python"}
    for index, (kind, text, meta) in enumerate(_CELLS):
        maker = nbformat.v4.new_code_cell if kind == "code" else nbformat.v4.new_markdown_cell
        cell = maker(text)
        cell["id"] = f"sample-{index:02d}"
        if meta is not None:
            cell.metadata["nbgrader"] = {"schema_version": 3, **meta}
            if not meta.get("grade"):
                cell.metadata["nbgrader"].pop("points", None)
        notebook.cells.append(cell)
    return notebook


def write_sample_source(course: str | Path, assignment: str = SAMPLE_ASSIGNMENT) -> Path:
    """Write the sample assignment into ``<course>/source/<assignment>/``.

    Parameters
    ----------
    course : str or Path
        An nbgrader course root.
    assignment : str
        The assignment's name (and its notebook's).

    Returns
    -------
    Path
        The source notebook written.
    """
    import nbformat

    folder = Path(course) / "source" / assignment
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{assignment}.ipynb"
    nbformat.write(sample_notebook(), path)
    return path
