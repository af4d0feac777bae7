"""House structure of the course notebooks that the content review asked for.

- After every code cell that draws a figure, the next cell is a markdown caption
  whose first line starts with ``**Figure.**`` (the website uses it as the figure's
  text alternative), with "(synthetic data)" where the data are synthetic.
- Tables shown from synthetic data get a ``**Table.**`` caption saying "synthetic".
- Every lesson ends with where to go next: its case, its graded assignment in
  ``exercises/release/`` and the next lesson; every relative link resolves.
- Case notebooks have objectives and key points, and their "what a CDA would do
  next" asks the trainee first and folds the course's answer in a <details> block.
- The start page gives the time of each part and a total that adds up.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from cdatools.notebook_i18n import is_edition

REPO_ROOT = Path(__file__).resolve().parents[1]
COURSE = REPO_ROOT / "course"
LESSONS = sorted(COURSE.glob("0[1-9]-*.ipynb"))
CASES = sorted((COURSE / "cases").glob("*.ipynb"))
NOTEBOOKS = sorted(
    p
    for p in COURSE.rglob("*.ipynb")
    if not {".ipynb_checkpoints", "my-work"} & set(p.parts) and not is_edition(p)
)
DRAWS = re.compile(r"\bplt\.subplots\(|\.plot_\w+\(|\bplot_\w+\(")
NOT_SYNTHETIC_PLOTS = re.compile(r"\bworkplan\.plot_")
LINK = re.compile(r"\]\(([^)\s]+)\)")
ASSIGNMENTS = {
    "01-role-of-the-cda": "01-workplan",
    "02-governance-system": "02-governance",
    "03-building-trust": "03-trust",
    "04-private-sector-and-commission": "04-joint-actions",
}


def cells(path: Path) -> list[nbformat.NotebookNode]:
    return nbformat.read(path, as_version=4).cells


def rel(path: Path) -> str:
    return str(path.relative_to(COURSE))


def figure_problems(notebook: list) -> list[str]:
    problems = []
    for i, cell in enumerate(notebook):
        if cell.cell_type != "code" or not DRAWS.search(cell.source):
            continue
        after = notebook[i + 1] if i + 1 < len(notebook) else None
        first = after.source.splitlines()[0] if after is not None and after.source else ""
        if after is None or after.cell_type != "markdown" or not first.startswith("**Figure.** "):
            problems.append(f"cell {i}: the next cell must be a '**Figure.** ...' caption")
            continue
        if len(first) < 60 or first.count(".") < 2:
            problems.append(f"cell {i + 1}: say in a sentence or two what to see: {first!r}")
        if not NOT_SYNTHETIC_PLOTS.search(cell.source) and "(synthetic data)" not in first:
            problems.append(f"cell {i + 1}: the caption must say '(synthetic data)'")
    return problems


@pytest.mark.parametrize("path", NOTEBOOKS, ids=rel)
def test_every_figure_has_a_caption_saying_what_to_see(path):
    problems = figure_problems(cells(path))
    assert not problems, f"{rel(path)}:\n" + "\n".join(problems)


def test_a_missing_caption_is_found():
    notebook = [
        nbformat.v4.new_code_cell("ax = trust.plot_network(G)"),
        nbformat.v4.new_markdown_cell("*Figure 1. A network.*"),
        nbformat.v4.new_code_cell("ax = workplan.plot_workplan(tasks)"),
        nbformat.v4.new_markdown_cell(
            "**Figure.** Table 1 as bars. See the overlap of the late tasks in year three."
        ),
    ]
    assert figure_problems(notebook) == [
        "cell 0: the next cell must be a '**Figure.** ...' caption",
    ]


TABLE_EXPRESSION = re.compile(r"(\]\]|\.round\(\d\)|\)|^[a-z_]+|^[a-z_]+\.[a-z_]+)$")
ASSIGNMENT = re.compile(r"^[\w.\[\]\"', ]+ = ")
NOT_A_TABLE = re.compile(
    r"^(Quiz\(|\[|cdatools\.__version__|[a-z_]+\.message$|joint_actions\.RANK)|\.messages$"
)


def table_problems(notebook: list) -> list[str]:
    problems = []
    synthetic = False
    for i, cell in enumerate(notebook):
        if cell.cell_type != "code" or not cell.source.strip():
            continue
        if re.search(r'cdatools\.load\("(?!cda_tasks)', cell.source):
            synthetic = True
        last = cell.source.strip().splitlines()[-1].strip()
        widget = re.fullmatch(r"[a-z_]+", last) and re.search(
            rf"^{last} = [A-Z]", cell.source, re.M
        )
        if (
            not synthetic
            or DRAWS.search(cell.source)
            or widget
            or last.startswith(("from ", "import "))
            or NOT_A_TABLE.search(last)
            or ASSIGNMENT.match(last)
            or not TABLE_EXPRESSION.search(last)
        ):
            continue
        after = notebook[i + 1] if i + 1 < len(notebook) else None
        first = after.source.splitlines()[0] if after is not None and after.source else ""
        if not (first.startswith("**Table.** ") and "synthetic" in first):
            problems.append(f"cell {i}: a table of synthetic data needs a '**Table.** ...' caption")
    return problems


@pytest.mark.parametrize(
    "path", [p for p in NOTEBOOKS if p.name not in {"00-start-here.ipynb"}], ids=rel
)
def test_every_synthetic_table_says_synthetic_in_its_caption(path):
    problems = table_problems(cells(path))
    assert not problems, f"{rel(path)}:\n" + "\n".join(problems)


def test_an_uncaptioned_synthetic_table_is_found():
    notebook = [
        nbformat.v4.new_code_cell('units = cdatools.load("bagru_units")\nunits.head()'),
        nbformat.v4.new_markdown_cell("Most units are printers."),
    ]
    assert table_problems(notebook) == [
        "cell 0: a table of synthetic data needs a '**Table.** ...' caption"
    ]


def links(path: Path) -> list[str]:
    return [
        target
        for cell in cells(path)
        if cell.cell_type == "markdown"
        for target in LINK.findall(cell.source)
    ]


@pytest.mark.parametrize("path", [*NOTEBOOKS, COURSE / "README.md"], ids=rel)
def test_every_relative_link_resolves(path):
    targets = (
        LINK.findall(path.read_text(encoding="utf-8")) if path.suffix == ".md" else links(path)
    )
    broken = []
    for target in targets:
        if re.match(r"[a-z]+:", target) or target.startswith("#"):
            continue
        file = (path.parent / target.split("#")[0]).resolve()
        if not file.exists():
            broken.append(target)
    assert not broken, f"{rel(path)} links to missing files: {broken}"


@pytest.mark.parametrize("path", LESSONS, ids=rel)
def test_every_lesson_ends_with_where_to_go_next(path):
    notebook = cells(path)
    last = notebook[-1]
    assert last.cell_type == "markdown" and last.source.startswith("## Where to go next")
    targets = LINK.findall(last.source)
    assignment = ASSIGNMENTS[path.stem]
    assert f"../exercises/release/{assignment}/{assignment}.ipynb" in targets
    assert any(t.startswith("cases/") for t in targets), "name the lesson's case study"
    index = LESSONS.index(path)
    if index + 1 < len(LESSONS):
        assert LESSONS[index + 1].name in targets, "name the next lesson"
    else:
        assert "../exercises/release/05-capstone-chontales/05-capstone-chontales.ipynb" in targets
    for target in targets:
        assert (path.parent / target.split("#")[0]).exists(), target


@pytest.mark.parametrize("path", CASES, ids=rel)
def test_cases_have_objectives_key_points_and_a_folded_answer(path):
    notebook = cells(path)
    headings = [
        line[3:].strip()
        for c in notebook
        if c.cell_type == "markdown"
        for line in c.source.splitlines()
        if line.startswith("## ")
    ]
    for heading in ("Learning objectives", "What happened", "Key points"):
        assert heading in headings, f"{rel(path)} lacks '## {heading}'"
    objectives = next(c for c in notebook if "## Learning objectives" in c.source)
    assert len(re.findall(r"^- \*\*[a-z]+\*\*", objectives.source, re.M)) >= 3
    index = next(i for i, c in enumerate(notebook) if "## What a CDA would do next" in c.source)
    prompt, answer = notebook[index], notebook[index + 1]
    assert "before you open" in prompt.source and "<details>" not in prompt.source
    assert answer.source.startswith("<details>") and answer.source.rstrip().endswith("</details>")
    assert "<summary>" in answer.source and answer.source.count("\n- ") >= 3


def minutes(text: str) -> int:
    found = re.fullmatch(r"\**(?:(\d+) h)? ?(?:(\d+) min)?\**", text.strip())
    assert found and any(found.groups()), f"not a time: {text!r}"
    return int(found.group(1) or 0) * 60 + int(found.group(2) or 0)


def test_start_page_gives_each_part_a_time_and_a_total_that_adds_up():
    text = "\n".join(c.source for c in cells(COURSE / "00-start-here.ipynb"))
    rows = [line.strip().strip("|").split("|") for line in text.splitlines()]
    parts = [row for row in rows if len(row) == 5 and row[0].strip().isdigit()]
    assert [int(row[0]) for row in parts] == [0, 1, 2, 3, 4, 5]
    total_row = next(row for row in rows if len(row) == 5 and "Total" in row[3])
    part_times = [minutes(row[4]) for row in parts]
    assert sum(part_times) == minutes(total_row[4])
    for row in parts[1:]:
        inner = [int(m) for m in re.findall(r"\((?:[^()]*?, )?(\d+) min\)", "|".join(row[1:4]))]
        assert sum(inner) == minutes(row[4]), f"part {row[0]}: {inner} != {row[4]}"


def test_lessons_3_and_4_widgets_plan_lomari_and_say_so():
    """The widget sections plan Lomari (invented), save apart from the trainee's own
    cluster, and name the planning toolkit for the trainee's own cluster."""
    expected = {
        "03-building-trust.ipynb": [
            r'TrustMap\(\s*cluster="Lomari", save_path=scenario\.save_path\("trust_map"\)',
        ],
        "04-private-sector-and-commission.ipynb": [
            r'JointActionPrioritiser\(\s*cluster="Lomari", save_path=scenario\.save_path\(',
            r'candidates_for\(scenario\.stakeholders\(\), "Lomari"\)',
            r'CommissionComposer\(\s*save_path=scenario\.save_path\("commission"\)',
        ],
    }
    for name, patterns in expected.items():
        notebook = cells(COURSE / name)
        code = "\n".join(c.source for c in notebook if c.cell_type == "code")
        text = "\n".join(c.source for c in notebook if c.cell_type == "markdown")
        for pattern in patterns:
            assert re.search(pattern, code), f"{name}: no widget matching {pattern}"
        assert "Lomari is **invented**" in text, f"{name}: say plainly that Lomari is invented"
        assert "(planning-toolkit.ipynb) has the same" in text, f"{name}: name the toolkit"
    lesson_4 = cells(COURSE / "04-private-sector-and-commission.ipynb")
    assert any("starts from four example stakeholders" in c.source for c in lesson_4)
