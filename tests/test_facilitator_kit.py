"""The facilitator's kit in ``course/facilitator/`` holds together with the course it describes.

Each check is a function of the repository's folder that returns the problems it finds, so
that the last test can run every check on a copy broken on purpose and see it fail.

- every file the kit names (links and repository paths in backticks) exists, and every link
  to a heading of a kit page finds that heading;
- every activity the kit names is a ``### Activity N.M`` heading of lesson N, each lesson's
  activities have a section in that lesson's notes, which links the role cards and templates
  the lesson's activity uses, and a schedule row that places an activity opens lesson N and
  prints its role cards;
- every ``## Reflect`` prompt of the lessons and of ``my-cluster.ipynb``, and every case's
  discussion question, has a model answer in the notes, found by quoting its first words;
- each lesson's and case's timing table names the notebook's real headings, covers all of
  them, and its "alone" minutes add up to the time the start page gives;
- the sections a schedule names after a notebook are that notebook's headings, in order;
- each day of the five-day workshop and each live session of the blended course runs from
  one session to the next without gap or overlap, with minutes that match the times; the
  activities take the time the notes give them; both schedules cover the four lessons, the
  four cases, the five assignments and every activity;
- the kit is linked from ``README.md``, the trainer guide and ``course/README.md``.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from cdatools.notebook_i18n import is_edition

ROOT = Path(__file__).resolve().parents[1]
KIT = Path("course/facilitator")
KIT_FILES = [
    "README.md",
    "01-role-of-the-cda.md",
    "02-governance-system.md",
    "03-building-trust.md",
    "04-private-sector-and-commission.md",
    "cases.md",
    "assignments-and-my-cluster.md",
    "five-day-workshop.md",
    "blended-course.md",
    "misconceptions.md",
]
LESSONS = {
    1: "01-role-of-the-cda",
    2: "02-governance-system",
    3: "03-building-trust",
    4: "04-private-sector-and-commission",
}
CASES = {
    "01-senegal": "Senegal: a network of CDAs",
    "02-atuntaqui": "Atuntaqui: the chamber of commerce as focal point",
    "03-chontales": "Chontales: a supply agreement",
    "04-bagru": "Bagru: trust and cooperation among block printers",
}
# The activities the plan fixes (two per lesson); the lessons may add more.
PLANNED_ACTIVITIES = {"1.1", "1.2", "2.1", "2.2", "3.1", "3.2", "4.1", "4.2"}
# Repository paths the kit may name that are made by running something, not committed.
GENERATED = ("build/", "exercises/reports/", "exercises/submitted/", "exercises/autograded/",
             "exercises/feedback/", "exercises/release/")  # fmt: skip
REPO_PATH = re.compile(r"`((?:course|exercises|cdatools|datasets|tests|book|deploy)/[^`\s]*)`")
ASSIGNMENT = re.compile(r"`(0[1-9]-[a-z][a-z-]*)`")
LINK = re.compile(r"(?<!!)\[[^\]]*\]\(([^)\s]+)\)")
ACTIVITY = re.compile(r"\bActivit(?:y|ies) (\d)\.(\d)(?:\s+and\s+(\d)\.(\d))?")
TIME = re.compile(r"^(\d\d):(\d\d)-(\d\d):(\d\d)$")
MIN_WORDS = 40

Problems = list[str]


# ----------------------------------------------------------------------------- reading


def kit_text(root: Path, name: str) -> str:
    return (root / KIT / name).read_text(encoding="utf-8")


def notebook_markdown(path: Path) -> list[str]:
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return ["".join(c["source"]) for c in cells if c["cell_type"] == "markdown"]


def notebook_headings(path: Path) -> list[tuple[int, str]]:
    """(level, text) of every heading in the notebook's markdown cells, in order."""
    found = []
    for text in notebook_markdown(path):
        for line in text.splitlines():
            match = re.match(r"^(#{1,4}) (.+?)\s*$", line)
            if match:
                found.append((len(match.group(1)), match.group(2)))
    return found


def section_lines(text: str, heading: str) -> list[str]:
    """The lines under the heading ``heading`` (a whole heading line), up to the next one of
    the same or a higher level."""
    lines = text.splitlines()
    level = len(heading) - len(heading.lstrip("#"))
    start = None
    for i, line in enumerate(lines):
        if start is None and line.strip() == heading:
            start = i + 1
        elif start is not None and re.match(rf"^#{{1,{level}}} ", line):
            return lines[start:i]
    return lines[start:] if start is not None else []


def notebook_section(path: Path, heading: str) -> list[str]:
    return section_lines("\n".join(notebook_markdown(path)), heading)


def words(text: str) -> str:
    """Lower-case letters and digits only, single spaces, links reduced to their text: for
    matching quoted prompts."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


def slug(heading: str) -> str:
    """The anchor GitHub and JupyterLab give a Markdown heading."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def tables(lines: list[str]) -> list[list[list[str]]]:
    """Markdown tables in ``lines``: each a list of rows (cells stripped), header and
    separator dropped."""
    found, current = [], []
    for line in [*lines, ""]:
        if line.startswith("|"):
            current.append([c.strip() for c in line.strip().strip("|").split("|")])
        elif current:
            found.append([r for r in current[1:] if not set("".join(r)) <= set("-: ")])
            current = []
    return found


def start_page_minutes(root: Path) -> dict[str, int]:
    """Minutes the start page's table gives each lesson and case notebook."""
    minutes = {}
    for text in notebook_markdown(root / "course/00-start-here.ipynb"):
        for line in text.splitlines():
            if not line.startswith("|"):
                continue
            for cell in line.split("|"):
                for match in re.finditer(
                    r"\]\(((?:cases/)?0\d-[\w-]+\.ipynb)\)[^|]*?(\d+) min", cell
                ):
                    minutes[match.group(1)] = int(match.group(2))
    return minutes


def to_minutes(hours: str, mins: str) -> int:
    return int(hours) * 60 + int(mins)


def kit_activity_ids(text: str) -> set[str]:
    ids = set()
    for match in ACTIVITY.finditer(text):
        ids.add(f"{match.group(1)}.{match.group(2)}")
        if match.group(3):
            ids.add(f"{match.group(3)}.{match.group(4)}")
    return ids


def lesson_activities(root: Path, lesson: int) -> dict[str, str]:
    """Activity id -> title, from the lesson's ``### Activity N.M: title`` headings."""
    found = {}
    for level, text in notebook_headings(root / f"course/{LESSONS[lesson]}.ipynb"):
        match = re.match(r"^Activity (\d\.\d+): (.+)$", text)
        if level == 3 and match:
            found[match.group(1)] = match.group(2).strip()
    return found


def activity_minutes(root: Path) -> dict[str, int]:
    """Activity id -> the "Timing (about N minutes)" the lesson notes give it."""
    found = {}
    for name in LESSONS.values():
        text = kit_text(root, f"{name}.md")
        for match in re.finditer(r"^## Activity (\d\.\d+):", text, flags=re.M):
            body = "\n".join(section_lines(text, text[match.start() :].splitlines()[0]))
            timing = re.search(r"\*\*Timing \(about (\d+) minutes\)", body)
            if timing:
                found[match.group(1)] = int(timing.group(1))
    return found


# ------------------------------------------------------------------------------ checks


def check_files(root: Path) -> Problems:
    return [f"{KIT / name} is missing" for name in KIT_FILES if not (root / KIT / name).is_file()]


def check_named_paths(root: Path) -> Problems:
    """Every link, repository path and assignment name in the kit exists."""
    problems = []
    for name in KIT_FILES:
        page = root / KIT / name
        if not page.is_file():
            continue
        text = page.read_text(encoding="utf-8")
        for target in LINK.findall(text):
            if re.match(r"^[a-z]+:", target) or target.startswith("#"):
                continue
            path_part, _, anchor = target.partition("#")
            resolved = (page.parent / path_part).resolve()
            if not resolved.exists():
                problems.append(f"{name}: the link {target!r} leads to no file")
            elif anchor and resolved.suffix == ".md":
                anchors = {
                    slug(line.lstrip("#"))
                    for line in resolved.read_text(encoding="utf-8").splitlines()
                    if re.match(r"^#{1,6} ", line)
                }
                if anchor not in anchors:
                    problems.append(f"{name}: the link {target!r} finds no such heading")
        for path in REPO_PATH.findall(text):
            if any(ch in path for ch in "<>*") or path.startswith(GENERATED):
                continue
            if not (root / path.rstrip("/")).exists():
                problems.append(f"{name}: `{path}` does not exist in the repository")
        for assignment in ASSIGNMENT.findall(text):
            if not (root / "exercises/source" / assignment / f"{assignment}.ipynb").is_file():
                problems.append(f"{name}: no assignment exercises/source/{assignment}/")
    return problems


def check_activities(root: Path) -> Problems:
    """Activities named in the kit are in their lessons; each lesson's activities have notes."""
    problems = []
    in_lessons = {n: lesson_activities(root, n) for n in LESSONS}
    for name in KIT_FILES:
        if not (root / KIT / name).is_file():
            continue
        for activity in sorted(kit_activity_ids(kit_text(root, name))):
            lesson = int(activity.split(".")[0])
            if lesson not in LESSONS or activity not in in_lessons[lesson]:
                problems.append(
                    f"{name} names Activity {activity}, but lesson {lesson}'s notebook has no "
                    f"'### Activity {activity}' heading"
                )
    for lesson, name in LESSONS.items():
        text = kit_text(root, f"{name}.md")
        noted = dict(re.findall(r"^## Activity (\d\.\d+): (.+?)\s*$", text, flags=re.M))
        for activity, title in in_lessons[lesson].items():
            if activity not in noted:
                problems.append(f"{name}.md has no '## Activity {activity}: ...' section")
            elif words(noted[activity]) != words(title):
                problems.append(
                    f"{name}.md calls Activity {activity} {noted[activity]!r}; "
                    f"the lesson calls it {title!r}"
                )
        for activity in noted:
            if not activity.startswith(f"{lesson}."):
                problems.append(f"{name}.md has notes for Activity {activity} of another lesson")
        # the role cards and templates the lesson's activity uses are the ones the notes print
        notebook = root / f"course/{name}.ipynb"
        linked = {re.sub(r"^\.\./", "", t.partition("#")[0]) for t in LINK.findall(text)}
        for activity, title in in_lessons[lesson].items():
            section = "\n".join(notebook_section(notebook, f"### Activity {activity}: {title}"))
            for target in sorted(set(LINK.findall(section))):
                target = target.partition("#")[0]
                if re.match(r"^(role-cards|templates)/[^/]+\.md$", target) and not target.endswith(
                    "README.md"
                ):
                    if target not in linked:
                        problems.append(
                            f"{name}.md does not link {target}, which Activity {activity} uses"
                        )
    return problems


def model_answers(text: str, kind: str) -> list[tuple[str, str]]:
    """(quoted first words, answer body) for every heading ``### kind "...``."""
    found = []
    for match in re.finditer(rf'^(#{{3,4}}) {kind} "([^"]+?)(?:\.\.\.)?"\s*$', text, flags=re.M):
        body = "\n".join(section_lines(text, match.group(0).strip()))
        found.append((match.group(2), body))
    return found


def match_prompts(prompts: list[str], answers: list[tuple[str, str]], where: str) -> Problems:
    problems = []
    for prompt in prompts:
        hits = [body for quote, body in answers if words(prompt).startswith(words(quote))]
        if len(hits) != 1:
            problems.append(
                f"{where}: {len(hits)} model answers quote the start of {prompt[:60]!r}"
                " (expected exactly one)"
            )
        elif len(words(hits[0]).split()) < MIN_WORDS:
            problems.append(
                f"{where}: the model answer to {prompt[:60]!r} is under {MIN_WORDS} words"
            )
    return problems


def reflect_prompts(path: Path) -> list[str]:
    lines = notebook_section(path, "## Reflect")
    return [line[2:].strip() for line in lines if line.startswith("- ")]


def check_reflect_answers(root: Path) -> Problems:
    problems = []
    pages = {f"{name}.ipynb": f"{name}.md" for name in LESSONS.values()}
    pages["my-cluster.ipynb"] = "assignments-and-my-cluster.md"
    for notebook, notes in pages.items():
        prompts = reflect_prompts(root / "course" / notebook)
        if not prompts:
            problems.append(f"{notebook} has no '## Reflect' prompts to answer")
        answers = model_answers(kit_text(root, notes), "Reflect:")
        problems += match_prompts(prompts, answers, f"{notes} (Reflect of {notebook})")
    return problems


def check_case_answers(root: Path) -> Problems:
    problems = []
    cases = kit_text(root, "cases.md")
    for case, title in CASES.items():
        questions = [
            re.sub(r"^\d+\.\s+", "", line).strip()
            for line in notebook_section(
                root / f"course/cases/{case}.ipynb", "## Discussion questions"
            )
            if re.match(r"^\d+\.\s", line)
        ]
        if not questions:
            problems.append(f"cases/{case}.ipynb has no numbered discussion questions")
        section = "\n".join(section_lines(cases, f"## {title}"))
        answers = [(quote, body) for quote, body in model_answers(section, r"Q\d+\.")]
        problems += match_prompts(questions, answers, f"cases.md ({title})")
    return problems


def timing_rows(lines: list[str]) -> tuple[list[list[str]], list[str] | None]:
    """The first table under '### Timings' or '## Timings': its rows, and the total row."""
    found = tables(lines)
    if not found:
        return [], None
    rows = [r for r in found[0] if not r[0].startswith("**Total")]
    total = next((r for r in found[0] if r[0].startswith("**Total")), None)
    return rows, total


def number(cell: str) -> int:
    return int(cell.strip("* "))


def check_timing_table(
    rows: list[list[str]], total: list[str] | None, notebook: Path, minutes: int | None, where: str
) -> Problems:
    problems = []
    if not rows or total is None:
        return [f"{where}: no timing table with a **Total** row"]
    headings = notebook_headings(notebook)
    named = [part.strip() for row in rows for part in row[0].split(" + ")]
    for part in named:
        if not any(text == part for level, text in headings if level in (2, 3)):
            problems.append(f"{where}: {part!r} is not a heading of {notebook.name}")
    for level, text in headings:
        if level == 2 and text not in named:
            problems.append(f"{where}: the notebook's section {text!r} has no row")
    for column in (1, 2):
        try:
            values = [number(row[column]) for row in rows]
            stated = number(total[column])
        except (ValueError, IndexError):
            problems.append(f"{where}: column {column + 1} holds something other than minutes")
            continue
        if sum(values) != stated:
            problems.append(f"{where}: column {column + 1} adds up to {sum(values)}, not {stated}")
    if minutes is not None and number(total[1]) != minutes:
        problems.append(
            f"{where}: the self-study total is {number(total[1])} min; "
            f"the start page gives {minutes}"
        )
    return problems


def check_timings(root: Path) -> Problems:
    problems = []
    minutes = start_page_minutes(root)
    for lesson, name in LESSONS.items():
        notebook = f"{name}.ipynb"
        rows, total = timing_rows(section_lines(kit_text(root, f"{name}.md"), "## Timings"))
        problems += check_timing_table(
            rows, total, root / "course" / notebook, minutes.get(notebook), f"{name}.md"
        )
        practise = [r for r in rows if r[0].startswith("Practise")]
        ids = lesson_activities(root, lesson)
        per_activity = activity_minutes(root)
        if practise and ids and all(a in per_activity for a in ids):
            stated = number(practise[0][2])
            wanted = sum(per_activity[a] for a in ids)
            if stated != wanted:
                problems.append(
                    f"{name}.md: the practice row gives {stated} workshop min, "
                    f"its activities' timings add up to {wanted}"
                )
    cases = kit_text(root, "cases.md")
    for case, title in CASES.items():
        notebook = root / f"course/cases/{case}.ipynb"
        rows, total = timing_rows(
            section_lines("\n".join(section_lines(cases, f"## {title}")) + "\n", "### Timings")
        )
        problems += check_timing_table(
            rows, total, notebook, minutes.get(f"cases/{case}.ipynb"), f"cases.md ({title})"
        )
        group = re.search(r"(\d+)-minute group session", notebook_markdown(notebook)[0])
        if total is not None and group and number(total[2]) != int(group.group(1)):
            problems.append(
                f"cases.md ({title}): group total {number(total[2])} min; "
                f"the notebook says {group.group(1)}"
            )
    return problems


def schedule_blocks(text: str, heading: str) -> dict[str, list[list[str]]]:
    """Session tables (rows whose first cell is a time span) under each heading matching
    ``heading``, by heading."""
    blocks = {}
    for match in re.finditer(heading, text, flags=re.M):
        line = text[match.start() :].splitlines()[0]
        found = tables(section_lines(text, line))
        blocks[line] = [r for t in found for r in t if TIME.match(r[0])]
    return blocks


def check_session_times(rows: list[list[str]], where: str) -> Problems:
    problems = []
    if not rows:
        return [f"{where}: no sessions with times"]
    previous_end = None
    for row in rows:
        h1, m1, h2, m2 = TIME.match(row[0]).groups()
        start, end = to_minutes(h1, m1), to_minutes(h2, m2)
        if previous_end is not None and start != previous_end:
            problems.append(f"{where}: {row[0]} does not start when the session before ends")
        if not row[1].isdigit() or int(row[1]) != end - start:
            problems.append(f"{where}: {row[0]} lasts {end - start} min, the table says {row[1]}")
        previous_end = end
    first = to_minutes(*TIME.match(rows[0][0]).groups()[:2])
    total = sum(int(r[1]) for r in rows if r[1].isdigit())
    if total != previous_end - first:
        problems.append(f"{where}: the sessions add up to {total} min, not {previous_end - first}")
    return problems


def check_schedules(root: Path) -> Problems:
    problems = []
    five = kit_text(root, "five-day-workshop.md")
    days = schedule_blocks(five, r"^## Day \d")
    if len(days) != 5:
        problems.append(f"five-day-workshop.md has {len(days)} days, not 5")
    lines = five.splitlines()
    for day, rows in days.items():
        problems += check_session_times(rows, f"five-day-workshop.md, {day}")
        if rows and (rows[0][0][:5] != "09:00" or rows[-1][0][-5:] != "17:00"):
            problems.append(f"five-day-workshop.md, {day}: does not run from 09:00 to 17:00")
        before = [line for line in lines[: lines.index(day)] if line.strip()]
        if not before or "page-break-before: always" not in before[-1]:
            problems.append(f"five-day-workshop.md, {day}: does not start on a new printed page")
    per_activity = activity_minutes(root)
    for rows in days.values():
        for row in rows:
            for activity in kit_activity_ids(row[4]):
                if activity in per_activity and int(row[1]) != per_activity[activity]:
                    problems.append(
                        f"five-day-workshop.md: Activity {activity} gets {row[1]} min; "
                        f"its notes time it at {per_activity[activity]}"
                    )
    blended = kit_text(root, "blended-course.md")
    live = schedule_blocks(blended, r"^## Week \d")
    for week, rows in live.items():
        problems += check_session_times(rows, f"blended-course.md, {week}")
        study = [t for t in tables(section_lines(blended, week)) if not TIME.match(t[0][0])]
        if not study:
            problems.append(f"blended-course.md, {week}: no self-study table")
            continue
        items = [r for r in study[0] if not r[0].startswith("**Total")]
        total = [r for r in study[0] if r[0].startswith("**Total")]
        if not total or sum(number(r[-1]) for r in items) != number(total[0][-1]):
            problems.append(f"blended-course.md, {week}: the self-study minutes do not add up")
    return problems


def schedule_rows(text: str) -> list[list[str]]:
    rows = []
    for heading in (r"^## Day \d", r"^## Week \d"):
        for found in schedule_blocks(text, heading).values():
            rows += found
        for match in re.finditer(heading, text, flags=re.M):
            line = text[match.start() :].splitlines()[0]
            for table in tables(section_lines(text, line)):
                rows += [r for r in table if not TIME.match(r[0])]
    return rows


def heading_named(part: str, headings: list[str]) -> int | None:
    """The position of the heading ``part`` names: the whole heading, or its words before
    a colon ("Practise" for "Practise: listening and handing over")."""
    for i, heading in enumerate(headings):
        if part == heading or heading.startswith(f"{part}:"):
            return i
    return None


def check_schedule_sections(root: Path) -> Problems:
    """The sections a schedule names after a notebook's link are that notebook's headings,
    a run's first heading before its last."""
    problems = []
    for name in ("five-day-workshop.md", "blended-course.md"):
        for row in schedule_rows(kit_text(root, name)):
            for cell in row:
                match = re.search(r"\]\(([^)\s]+\.ipynb)\):\s*(.+)$", cell)
                if not match:
                    continue
                notebook = (root / KIT / match.group(1)).resolve()
                if not notebook.is_file():
                    continue  # check_named_paths reports it
                headings = [text for level, text in notebook_headings(notebook) if level >= 2]
                text = match.group(2).strip()
                splits = [[text]] + [
                    [text[: m.start()], text[m.end() :]] for m in re.finditer(" to ", text)
                ]
                found = False
                for parts in splits:
                    places = [heading_named(part.strip(), headings) for part in parts]
                    if None not in places and places == sorted(places):
                        found = True
                        break
                if not found:
                    problems.append(
                        f"{name}: {text!r} ({row[0]}) names no heading, or no run of headings, "
                        f"of {match.group(1)}"
                    )
    return problems


def check_coverage(root: Path) -> Problems:
    """Both schedules cover every lesson, case, assignment and activity; a row that places an
    activity opens its lesson, and a live session that runs it prints its role cards."""
    problems = []
    lessons = {f"{name}.ipynb" for name in LESSONS.values()}
    cases = {f"cases/{case}.ipynb" for case in CASES}
    assignments = {p.name for p in (root / "exercises/source").iterdir() if p.is_dir()}
    activities = set(PLANNED_ACTIVITIES)
    for lesson in LESSONS:
        activities |= set(lesson_activities(root, lesson))
    for name in ("five-day-workshop.md", "blended-course.md"):
        rows = schedule_rows(kit_text(root, name))
        text = "\n".join("|".join(r) for r in rows)
        linked = {re.sub(r"^\.\./", "", t.partition("#")[0]) for t in LINK.findall(text)}
        for missing in sorted((lessons | cases) - linked):
            problems.append(f"{name}: no session opens {missing}")
        for missing in sorted(assignments - set(ASSIGNMENT.findall(text))):
            problems.append(f"{name}: no session runs the assignment {missing}")
        for missing in sorted(activities - kit_activity_ids(text)):
            problems.append(f"{name}: no session runs Activity {missing}")
        for row in rows:
            timed = bool(TIME.match(row[0]))
            # timed: Time, Min, Session, Notebook, Activity, Assignment, Print;
            # self-study: Item, Notebook, Activity, Min
            notebook, placed = (row[3], row[4]) if timed else (row[1], row[2])
            for activity in sorted(kit_activity_ids(placed)):
                lesson = int(activity.split(".")[0])
                if f"{LESSONS.get(lesson)}.ipynb" not in notebook:
                    problems.append(
                        f"{name}: the row placing Activity {activity} ({row[0]}) "
                        f"does not open lesson {lesson}"
                    )
                if timed and "done alone" not in row[2] and f"role-cards/{activity}-" not in row[6]:
                    problems.append(
                        f"{name}: the session running Activity {activity} ({row[0]}) "
                        "prints no role cards for it"
                    )
    return problems


def check_links_to_kit(root: Path) -> Problems:
    wanted = {
        "README.md": "course/facilitator/README.md",
        "exercises/README.md": "../course/facilitator/README.md",
        "course/README.md": "facilitator/README.md",
    }
    problems = []
    for page, target in wanted.items():
        if f"]({target})" not in (root / page).read_text(encoding="utf-8"):
            problems.append(f"{page} has no link to the facilitator's kit ({target})")
    return problems


CHECKS: dict[str, Callable[[Path], Problems]] = {
    "files": check_files,
    "named_paths": check_named_paths,
    "activities": check_activities,
    "reflect_answers": check_reflect_answers,
    "case_answers": check_case_answers,
    "timings": check_timings,
    "schedules": check_schedules,
    "coverage": check_coverage,
    "schedule_sections": check_schedule_sections,
    "links_to_kit": check_links_to_kit,
}


@pytest.mark.parametrize("check", CHECKS, ids=str)
def test_facilitator_kit(check: str) -> None:
    problems = CHECKS[check](ROOT)
    assert not problems, "\n".join(problems)


def test_prompts_match_whatever_their_links() -> None:
    linked = "Which norm (a [code of conduct](glossary.ipynb#code-of-conduct), a contract)?"
    assert words(linked) == words("Which norm (a code of conduct, a contract)?")
    assert words(linked).startswith(words("Which norm (a code of conduct..."))
    assert not words(linked).startswith(words("Which norm (a contract"))


# ------------------------------------------------------------- each check can fail


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {path}: the breakage below needs updating"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def edit_notebook_heading(path: Path, old: str, new: str) -> None:
    notebook = json.loads(path.read_text(encoding="utf-8"))
    for cell in notebook["cells"]:
        joined = "".join(cell["source"])
        if old in joined:
            cell["source"] = joined.replace(old, new)
            path.write_text(json.dumps(notebook), encoding="utf-8")
            return
    raise AssertionError(f"{old!r} is in no cell of {path}")


def lengthen_on_start_page(root: Path, lesson: str) -> None:
    """Add five minutes to the lesson's time in the start page's table."""
    path = root / "course/00-start-here.ipynb"
    text = path.read_text(encoding="utf-8")
    pattern = re.compile(rf"(\]\({lesson}\.ipynb\)[^|]*?\()(\d+)( min\))")
    assert pattern.search(text), f"no time for {lesson} on the start page"
    path.write_text(
        pattern.sub(lambda m: f"{m.group(1)}{int(m.group(2)) + 5}{m.group(3)}", text, count=1),
        encoding="utf-8",
    )


def first_activity_heading(root: Path) -> str:
    text = "\n".join(notebook_markdown(root / "course/03-building-trust.ipynb"))
    match = re.search(r"^### Activity 3\.1:.*$", text, flags=re.M)
    return match.group(0) if match else "### Activity 3.1"


BREAKAGES: dict[str, tuple[str, Callable[[Path], None]]] = {
    "a kit file removed": ("files", lambda r: (r / KIT / "misconceptions.md").unlink()),
    "a role-card file renamed": (
        "named_paths",
        lambda r: (r / "course/role-cards/3.2-mediation.md").rename(r / "course/role-cards/x.md"),
    ),
    "a template renamed": (
        "named_paths",
        lambda r: (r / "course/templates/meeting-minutes.md").rename(r / "course/templates/m.md"),
    ),
    "an assignment misspelt": (
        "named_paths",
        lambda r: edit(r / KIT / "five-day-workshop.md", "`03-trust`", "`03-trusts`"),
    ),
    "an anchor to a missing heading": (
        "named_paths",
        lambda r: edit(r / KIT / "cases.md", "## Senegal: a network of CDAs", "## Senegal"),
    ),
    "an activity moved out of its lesson": (
        "activities",
        lambda r: edit_notebook_heading(
            r / "course/03-building-trust.ipynb",
            first_activity_heading(r),
            first_activity_heading(r).replace("3.1", "3.9"),
        ),
    ),
    "a role-card file the notes do not print": (
        "activities",
        lambda r: edit(
            r / KIT / "02-governance-system.md",
            "](../role-cards/2.2-values.md)",
            "](2.2-values.md)",
            9,
        ),
    ),
    "a Reflect prompt without a model answer": (
        "reflect_answers",
        lambda r: edit_notebook_heading(
            r / "course/02-governance-system.ipynb",
            "- Is there an organisation",
            "- Which partner would you call first?\n- Is there an organisation",
        ),
    ),
    "a Reflect answer quoting the wrong words": (
        "reflect_answers",
        lambda r: edit(
            r / KIT / "03-building-trust.md",
            'Reflect: "Who are the brokers',
            'Reflect: "Who are the bankers',
        ),
    ),
    "a discussion answer removed": (
        "case_answers",
        lambda r: edit(
            r / KIT / "cases.md", '#### Q3. "The accessory bank', "#### The accessory bank"
        ),
    ),
    "lesson minutes that no longer add up": (
        "timings",
        lambda r: edit(
            r / KIT / "01-role-of-the-cda.md",
            "| The exit strategy | 5 |",
            "| The exit strategy | 6 |",
        ),
    ),
    "the start page's time changed": (
        "timings",
        lambda r: lengthen_on_start_page(r, "03-building-trust"),
    ),
    "a notebook section with no row": (
        "timings",
        lambda r: edit_notebook_heading(
            r / "course/04-private-sector-and-commission.ipynb",
            "## Why firms hold back",
            "## Why firms wait",
        ),
    ),
    "a gap between two sessions": (
        "schedules",
        lambda r: edit(
            r / KIT / "five-day-workshop.md", "| 11:45-12:30 | 45 |", "| 11:50-12:30 | 40 |"
        ),
    ),
    "a session's minutes wrong": (
        "schedules",
        lambda r: edit(
            r / KIT / "blended-course.md", "| 17:15-18:00 | 45 |", "| 17:15-18:00 | 40 |"
        ),
    ),
    "a day not on its own page": (
        "schedules",
        lambda r: edit(
            r / KIT / "five-day-workshop.md",
            '<div style="page-break-before: always"></div>\n\n## Day 3',
            "## Day 3",
        ),
    ),
    "a section renamed in a lesson": (
        "schedule_sections",
        lambda r: edit_notebook_heading(
            r / "course/03-building-trust.ipynb", "## No fixed path", "## No set path"
        ),
    ),
    "a run of sections out of order": (
        "schedule_sections",
        lambda r: edit(
            r / KIT / "five-day-workshop.md",
            "Functional trust to No fixed path",
            "No fixed path to Functional trust",
        ),
    ),
    "a case left out of a schedule": (
        "coverage",
        lambda r: edit(
            r / KIT / "blended-course.md",
            "[`cases/04-bagru.ipynb`](../cases/04-bagru.ipynb)",
            "Bagru",
        ),
    ),
    "an assignment left out of a schedule": (
        "coverage",
        lambda r: edit(
            r / KIT / "five-day-workshop.md", "`05-capstone-chontales`", "the capstone", count=2
        ),
    ),
    "the README's link removed": (
        "links_to_kit",
        lambda r: edit(r / "README.md", "](course/facilitator/README.md)", "](course/README.md)"),
    ),
}


def _not_copied(folder: str, names: list[str]) -> set[str]:
    """Trainees' work, checkpoints, and the translated editions (the kit checks the English)."""
    skipped = set(shutil.ignore_patterns("my-work", ".ipynb_*")(folder, names))
    if Path(folder) == ROOT / "course":
        skipped |= {name for name in names if is_edition(ROOT / "course" / name)}
    return skipped


def copy_repository(target: Path) -> Path:
    for folder in ("course", "exercises/source"):
        shutil.copytree(ROOT / folder, target / folder, ignore=_not_copied)
    (target / "tests").mkdir()
    for page in ("README.md", "exercises/README.md", "tests/test_facilitator_kit.py"):
        shutil.copy(ROOT / page, target / page)
    return target


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_repository(tmp_path_factory.mktemp("pristine"))


@pytest.mark.parametrize("breakage", BREAKAGES, ids=str)
def test_check_fails_on_a_broken_copy(breakage: str, pristine: Path, tmp_path: Path) -> None:
    check, breaks = BREAKAGES[breakage]
    copy = tmp_path / "repo"
    shutil.copytree(pristine, copy)
    before = set(CHECKS[check](copy))
    assert before == set(CHECKS[check](ROOT)), "the copy should start like the repository"
    breaks(copy)
    assert set(CHECKS[check](copy)) - before, f"the check {check!r} did not notice {breakage}"
