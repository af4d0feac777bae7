"""The course covers the whole module, and every lesson has the house structure.

course/module-sections.json lists the module's sections, tables and boxes (it is
committed, so this test does not need the module text). course/README.md maps
each of them to a notebook and heading in a table between two marker comments.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat
import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
COURSE = REPO_ROOT / "course"
README = COURSE / "README.md"
SECTIONS = COURSE / "module-sections.json"
LESSONS = sorted(COURSE.glob("0[1-9]-*.ipynb"))
CASES = sorted((COURSE / "cases").glob("*.ipynb"))
LESSON_HEADINGS = ("Learning objectives", "Overview", "Self-check", "Key points", "Reflect")
CASE_HEADINGS = ("What happened", "What the numbers show", "What a CDA would do next")
TABLE = re.compile(r"<!-- coverage-table: start -->(.*?)<!-- coverage-table: end -->", re.S)
HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*$")


def coverage_rows(text: str) -> list[tuple[str, str, str]]:
    """Rows of the coverage table as (section id, notebook, heading)."""
    found = TABLE.search(text)
    if not found:
        raise AssertionError(
            "course/README.md has no coverage table between "
            "'<!-- coverage-table: start -->' and '<!-- coverage-table: end -->'"
        )
    rows = []
    for line in found.group(1).strip().splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) != 3:
            raise AssertionError(f"coverage table row needs 3 cells, got {len(cells)}: {line!r}")
        if cells[0] == "Module section" or set(cells[0]) <= {"-", ":"}:
            continue
        rows.append((cells[0], cells[1], cells[2]))
    return rows


def headings(path: Path) -> set[str]:
    """Every markdown heading in a notebook, without the # marks."""
    notebook = nbformat.read(path, as_version=4)
    found = set()
    for cell in notebook.cells:
        if cell.cell_type != "markdown":
            continue
        for line in cell.source.splitlines():
            match = HEADING.match(line)
            if match:
                found.add(match.group(1))
    return found


ROWS = coverage_rows(README.read_text(encoding="utf-8"))
SECTION_IDS = [s["id"] for s in json.loads(SECTIONS.read_text(encoding="utf-8"))["sections"]]


def test_the_table_is_parsed():
    assert ROWS, "the coverage table in course/README.md is empty"
    assert coverage_rows(
        "<!-- coverage-table: start -->\n| Module section | Notebook | Heading |\n|---|---|---|\n"
        "| 2.1 | a.ipynb | Organisations |\n<!-- coverage-table: end -->"
    ) == [("2.1", "a.ipynb", "Organisations")]


@pytest.mark.parametrize("section", SECTION_IDS)
def test_every_module_section_is_mapped(section):
    mapped = {row[0] for row in ROWS}
    assert section in mapped, (
        f"module section {section!r} (course/module-sections.json) has no row in the coverage "
        "table of course/README.md; add a row naming the notebook and heading that teach it"
    )


def test_the_table_names_only_known_sections():
    unknown = sorted({row[0] for row in ROWS} - set(SECTION_IDS))
    assert not unknown, f"coverage table names sections not in module-sections.json: {unknown}"


@pytest.mark.parametrize(("section", "notebook", "heading"), ROWS, ids=lambda v: str(v))
def test_mapped_notebook_and_heading_exist(section, notebook, heading):
    path = COURSE / notebook
    assert path.is_file(), f"coverage table row {section!r}: notebook course/{notebook} is missing"
    assert heading in headings(path), (
        f"coverage table row {section!r}: course/{notebook} has no heading {heading!r}; "
        "update the table or the notebook"
    )


def test_there_are_four_lessons_and_four_cases():
    assert len(LESSONS) == 4, [p.name for p in LESSONS]
    assert len(CASES) == 4, [p.name for p in CASES]


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name)
def test_lesson_has_the_house_structure(path):
    found = headings(path)
    missing = [h for h in LESSON_HEADINGS if h not in found]
    assert not missing, f"{path.name} lacks the heading(s) {missing}"


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name)
def test_lesson_has_a_quiz_that_exists(path):
    notebook = nbformat.read(path, as_version=4)
    code = "\n".join(c.source for c in notebook.cells if c.cell_type == "code")
    quizzes = re.findall(r'Quiz\("([^"]+)"\)', code)
    assert quizzes, f"{path.name} has no Quiz(...) cell for its self-check"
    for quiz in quizzes:
        assert (path.parent / quiz).is_file(), f"{path.name} names a missing quiz file {quiz}"


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.name)
def test_case_study_has_the_house_structure(path):
    found = headings(path)
    missing = [h for h in CASE_HEADINGS if h not in found]
    assert not missing, f"{path.name} lacks the heading(s) {missing}"
    assert any(h.startswith("Discussion questions") for h in found), f"{path.name}: no discussion"


@pytest.mark.parametrize("path", [*LESSONS, *CASES], ids=lambda p: p.name)
def test_notebooks_that_use_case_data_say_synthetic(path):
    notebook = nbformat.read(path, as_version=4)
    text = "\n".join(c.source for c in notebook.cells)
    loads = set(re.findall(r'cdatools\.load\("([a-z_]+)"\)', text))
    if loads - {"cda_tasks"}:
        assert "synthetic" in text.lower(), f"{path.name} uses case data but never says synthetic"
