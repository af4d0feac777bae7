"""Every practice activity in the lessons has its parts, and its handouts exist.

The table of activities is data: ``course/role-cards/activities.csv`` (id, lesson,
notebook, title, role-card file, templates), written from the issue 12 plan. For every
lesson notebook, each ``### Activity N.M: <title>`` block (the cells from that heading to
the next heading of level 1-3) must hold, in this order, ``**Situation.**``,
``**Roles for a group.**``, ``**On your own.**``, ``**Your turn.**`` and a folded model
answer ``<details><summary>What a good answer contains</summary> ... </details>``; it
links its role cards and its templates, and every file it links exists. Every role-card
file has a ``# Role cards for Activity N.M: <title>`` heading and at least two ``## ``
cards, each with the parts a player needs, short enough for one printed page.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
COURSE = REPO_ROOT / "course"
TABLE = COURSE / "role-cards" / "activities.csv"
LESSONS = sorted(COURSE.glob("0[1-9]-*.ipynb"))
ACTIVITY = re.compile(r"^### Activity (\d+\.\d+): (.+?)\s*$")
HEADING = re.compile(r"^#{1,3} ")
LINK = re.compile(r"\]\(([^)\s]+)\)")
PARTS = ("**Situation.**", "**Roles for a group.**", "**On your own.**", "**Your turn.**")
ANSWER = "<details><summary>What a good answer contains</summary>"
CARD_PARTS = (
    "**Who you are.**",
    "**What you want.**",
    "**What you fear.**",
    "**What you know that others don't.**",
    "**Lines you may say.**",
)
# The course's rule of thumb: an A4 page at a readable size holds about 450 words;
# a card is printed with its file's opening lines (the setting), so the two together fit.
WORDS_PER_PAGE = 450


@dataclass
class Activity:
    """One ``### Activity`` block of a notebook: its id, title and markdown text."""

    notebook: str
    id: str
    title: str
    text: str = ""
    cells: list[str] = field(default_factory=list)


def read_table(path: Path = TABLE) -> list[dict[str, str]]:
    """The table of activities, one dict per row, templates split on ';'."""
    with path.open(encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream))
    for number, row in enumerate(rows, start=2):
        for column in ("id", "lesson", "notebook", "title", "role_cards", "templates"):
            assert row.get(column), f"{path.name} row {number}: column {column!r} is empty"
    return rows


def activities(cells: list[nbformat.NotebookNode], notebook: str) -> list[Activity]:
    """Split a notebook's markdown into ``### Activity`` blocks."""
    found: list[Activity] = []
    current: Activity | None = None
    for index, cell in enumerate(cells):
        if cell.cell_type != "markdown":
            continue
        for line in cell.source.splitlines():
            match = ACTIVITY.match(line)
            if match:
                current = Activity(notebook, match.group(1), match.group(2))
                found.append(current)
            elif HEADING.match(line):
                current = None
            if current is not None:
                current.text += line + "\n"
        if current is not None:
            current.cells.append(f"cell {index}")
    return found


def activity_problems(activity: Activity, folder: Path) -> list[str]:
    """What an activity block lacks, each as a sentence naming the activity."""
    name = f"{activity.notebook}, Activity {activity.id}"
    text = activity.text
    problems = []
    positions = [text.find(part) for part in (*PARTS, ANSWER)]
    for part, position in zip((*PARTS, ANSWER), positions, strict=True):
        if position < 0:
            problems.append(f"{name}: no {part}")
    present = [p for p in positions if p >= 0]
    if present != sorted(present):
        problems.append(f"{name}: the parts must come in the order {[*PARTS, 'answer']}")
    answer_at = text.find(ANSWER)
    if answer_at >= 0:
        folded = text[answer_at:]
        end = folded.find("</details>")
        if end < 0:
            problems.append(f"{name}: the model answer's <details> is never closed")
        elif len(re.findall(r"^- ", folded[:end], re.M)) < 3:
            problems.append(f"{name}: the model answer should list at least three points")
    roles_at, alone_at = text.find(PARTS[1]), text.find(PARTS[2])
    if 0 <= roles_at < alone_at:
        roles = text[roles_at:alone_at]
        if len(re.findall(r"^- ", roles, re.M)) < 2:
            problems.append(f"{name}: list at least two parts under {PARTS[1]}")
        if not re.search(r"\]\(role-cards/[^)]+\.md\)", roles):
            problems.append(f"{name}: link the printable role cards under {PARTS[1]}")
    for target in LINK.findall(text):
        if re.match(r"[a-z]+:", target) or target.startswith("#"):
            continue
        if not (folder / target.split("#")[0]).exists():
            problems.append(f"{name}: links to a missing file {target}")
    return problems


def table_problems(rows: list[dict[str, str]], found: list[Activity]) -> list[str]:
    """Where the notebooks and the table of activities disagree."""
    problems = []
    by_id = {a.id: a for a in found}
    for activity in found:
        if [a.id for a in found].count(activity.id) > 1:
            problems.append(f"Activity {activity.id} appears more than once")
    listed = {row["id"] for row in rows}
    for activity in found:
        if activity.id not in listed:
            problems.append(f"{activity.notebook}: Activity {activity.id} is not in {TABLE.name}")
    for row in rows:
        activity = by_id.get(row["id"])
        if activity is None:
            problems.append(f"Activity {row['id']} ({row['title']}) is in no lesson")
            continue
        if activity.notebook != row["notebook"]:
            problems.append(
                f"Activity {row['id']} is in {activity.notebook}, not {row['notebook']}"
            )
        if activity.title != row["title"]:
            problems.append(
                f"Activity {row['id']} is titled {activity.title!r}, not {row['title']!r}"
            )
        links = set(LINK.findall(activity.text))
        for target in [row["role_cards"], *row["templates"].split(";")]:
            if target.strip() not in links:
                problems.append(f"Activity {row['id']} does not link {target.strip()}")
    return problems


def card_problems(path: Path, activity_id: str, title: str) -> list[str]:
    """What a role-card file lacks: its heading, two cards, each card's parts, one page each."""
    if not path.is_file():
        return [f"{path.name}: the role-card file is missing"]
    text = path.read_text(encoding="utf-8")
    problems = []
    expected = f"# Role cards for Activity {activity_id}: {title}"
    if not text.startswith(expected + "\n"):
        problems.append(f"{path.name}: the first line should be {expected!r}")
    head, *cards = re.split(r"^## ", text, flags=re.M)
    if len(cards) < 2:
        problems.append(f"{path.name}: has {len(cards)} '## ' card(s); a role play needs two")
    setting = len(head.split())
    for card in cards:
        name = card.splitlines()[0].strip()
        if not name.startswith("Observer"):
            missing = [part for part in CARD_PARTS if part not in card]
            if missing:
                problems.append(f"{path.name}, card {name!r}: no {', '.join(missing)}")
        if setting + len(card.split()) > WORDS_PER_PAGE:
            problems.append(
                f"{path.name}, card {name!r}: {setting + len(card.split())} words with the "
                f"setting, more than one printed page ({WORDS_PER_PAGE})"
            )
    return problems


ROWS = read_table()
FOUND = [a for path in LESSONS for a in activities(nbformat.read(path, 4).cells, path.name)]


def test_the_table_lists_two_activities_for_every_lesson():
    lessons = [int(row["lesson"]) for row in ROWS]
    for lesson in range(1, len(LESSONS) + 1):
        assert lessons.count(lesson) >= 2, f"{TABLE.name}: lesson {lesson} needs two activities"
    for row in ROWS:
        assert row["id"].split(".")[0] == row["lesson"], row
        assert (COURSE / row["notebook"]).is_file(), row["notebook"]


def test_every_activity_in_the_table_is_in_its_lesson():
    problems = table_problems(ROWS, FOUND)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("activity", FOUND, ids=lambda a: a.id)
def test_every_activity_has_its_parts_and_working_links(activity):
    problems = activity_problems(activity, COURSE)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("row", ROWS, ids=lambda r: r["id"])
def test_every_role_card_file_has_cards_a_player_can_use(row):
    problems = card_problems(COURSE / row["role_cards"], row["id"], row["title"])
    assert not problems, "\n".join(problems)


def test_every_template_in_the_table_exists():
    missing = sorted(
        {t.strip() for row in ROWS for t in row["templates"].split(";")}
        - {f"templates/{p.name}" for p in (COURSE / "templates").glob("*.md")}
    )
    assert not missing, f"{TABLE.name} names templates that do not exist: {missing}"


# ------------------------------------------------------- the checks can fail
def broken(cells: list[nbformat.NotebookNode], old: str, new: str) -> list:
    """A copy of a notebook's cells with the first ``old`` replaced by ``new``."""
    copy = [nbformat.from_dict(dict(c)) for c in cells]
    for cell in copy:
        if old in cell.source:
            cell.source = cell.source.replace(old, new, 1)
            return copy
    raise AssertionError(f"{old!r} is not in the notebook")


LESSON_3 = COURSE / "03-building-trust.ipynb"


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("**On your own.**", "**Alone.**", "no **On your own.**"),
        ("**Situation.**", "", "no **Situation.**"),
        (ANSWER, "<details><summary>Answer</summary>", "no <details><summary>What a good"),
        ("</details>", "", "<details> is never closed"),
        ("role-cards/3.1-diagnostic-presentation.md", "role-cards/3.1-missing.md", "missing file"),
        ("templates/diagnostic-presentation-agenda.md", "templates/agenda.md", "missing file"),
    ],
)
def test_a_broken_copy_of_lesson_3_is_caught(old, new, expected):
    cells = broken(nbformat.read(LESSON_3, 4).cells, old, new)
    first = activities(cells, LESSON_3.name)[0]
    problems = activity_problems(first, COURSE)
    assert any(expected in p for p in problems), problems


def test_parts_out_of_order_are_caught():
    cells = [
        nbformat.v4.new_markdown_cell(
            "### Activity 9.1: A test\n\n**Roles for a group.**\n- a\n- b\n"
            "[cards](role-cards/3.2-mediation.md)\n**Situation.** x\n**On your own.** y\n"
            f"**Your turn.** z\n{ANSWER}\n- 1\n- 2\n- 3\n</details>"
        )
    ]
    (activity,) = activities(cells, "test.ipynb")
    assert activity_problems(activity, COURSE) == [
        f"test.ipynb, Activity 9.1: the parts must come in the order {[*PARTS, 'answer']}"
    ]


def test_a_missing_or_renamed_activity_is_caught():
    cells = broken(nbformat.read(LESSON_3, 4).cells, "### Activity 3.2: Mediating", "### Mediating")
    found = [a for a in FOUND if a.notebook != LESSON_3.name]
    found += activities(cells, LESSON_3.name)
    assert "Activity 3.2 (Mediating between a tanner and a workshop owner) is in no lesson" in (
        table_problems(ROWS, found)
    )
    renamed = broken(nbformat.read(LESSON_3, 4).cells, "Mediating between", "Mediation between")
    found = [a for a in FOUND if a.notebook != LESSON_3.name] + activities(renamed, "x.ipynb")
    problems = table_problems(ROWS, found)
    assert any("Activity 3.2 is in x.ipynb" in p for p in problems)
    assert any("is titled 'Mediation between" in p for p in problems)


def test_a_role_card_file_with_one_card_or_a_thin_card_is_caught(tmp_path):
    path = tmp_path / "9.1-test.md"
    path.write_text(
        "# Role cards for Activity 9.1: A test\n\n## CDA\n\n**Who you are.** The CDA.\n",
        encoding="utf-8",
    )
    problems = card_problems(path, "9.1", "A test")
    assert "9.1-test.md: has 1 '## ' card(s); a role play needs two" in problems
    assert any("card 'CDA': no **What you want.**" in p for p in problems)
    long_card = "## Observer\n\n" + "word " * WORDS_PER_PAGE
    path.write_text(path.read_text(encoding="utf-8") + long_card, encoding="utf-8")
    assert any("more than one printed page" in p for p in card_problems(path, "9.1", "A test"))
    assert card_problems(tmp_path / "none.md", "9.1", "A test") == [
        "none.md: the role-card file is missing"
    ]
