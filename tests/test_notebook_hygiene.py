"""Committed notebooks carry no outputs or execution counts, and are valid."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from cdatools.notebook_i18n import EDITIONS

REPO_ROOT = Path(__file__).resolve().parents[1]
# Generated or ignored folders (see .gitignore): build outputs hold executed copies.
SKIP_PARTS = {
    ".venv",
    ".git",
    ".ipynb_checkpoints",
    "submitted",
    "autograded",
    "feedback",
    "build",
    "dist",
    "test-artifacts",
    "node_modules",
    "my-work",
}


def course_notebooks(root: Path) -> list[Path]:
    return sorted(
        path
        for path in root.rglob("*.ipynb")
        if not SKIP_PARTS.intersection(path.relative_to(root).parts)
    )


def dirty_cells(notebook: nbformat.NotebookNode) -> list[str]:
    """Where a notebook holds outputs or execution counts, as 'cell N: ...' strings."""
    problems = []
    for index, cell in enumerate(notebook.cells, start=1):
        if cell.get("outputs"):
            problems.append(f"cell {index}: {len(cell.outputs)} output(s)")
        if cell.get("execution_count") is not None:
            problems.append(f"cell {index}: execution count {cell.execution_count}")
    return problems


NOTEBOOKS = course_notebooks(REPO_ROOT)


def test_there_are_notebooks_to_check():
    assert REPO_ROOT / "course" / "00-start-here.ipynb" in NOTEBOOKS
    # The translated editions are committed notebooks too: no outputs there either.
    for language in EDITIONS:
        start = REPO_ROOT / "course" / language / "00-start-here.ipynb"
        assert not start.exists() or start in NOTEBOOKS


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: str(p.relative_to(REPO_ROOT)))
def test_notebook_is_clean_and_valid(path):
    notebook = nbformat.read(path, as_version=4)
    nbformat.validate(notebook)
    problems = dirty_cells(notebook)
    assert not problems, (
        f"{path.relative_to(REPO_ROOT)} carries outputs: {'; '.join(problems)}. "
        "Clear them (Edit > Clear Outputs of All Cells) before committing."
    )


def test_dirty_cells_are_found():
    notebook = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_markdown_cell("# Title"),
            nbformat.v4.new_code_cell("1 + 1", execution_count=3),
        ]
    )
    notebook.cells[1].outputs = [
        nbformat.v4.new_output("execute_result", {"text/plain": "2"}, execution_count=3)
    ]
    assert dirty_cells(notebook) == ["cell 2: 1 output(s)", "cell 2: execution count 3"]
