"""Printable handouts (make handouts / cdatools handouts, cdatools.handouts).

One test builds every handout of a scratch copy of the course, plus a role-card file
made here, with real chromium (one launch for all PDFs) and reads the PDFs back with
pypdf: one card per page, every link in the HTML pages leads somewhere. The others run
without a browser. About 12 s in all on the 2-core machine, most of it printing.
"""

from __future__ import annotations

import doctest
import re
import shutil
import subprocess
import sys
from pathlib import Path
from unicodedata import normalize

import pytest

from cdatools import handouts
from cdatools.handouts import build_handouts, card_page, split_cards
from cdatools.templates import list_templates
from tests.jupyter_lab import require_chromium

REPO = Path(__file__).resolve().parents[1]
COURSE = REPO / "course"
FOLDERS = ["templates", "role-cards", "facilitator", "field-kit"]

SAMPLE_CARDS = """# Role cards for Activity 9.9: A sample for the test

*Invented for the test.*
The setting, which every player hears: month 3 of the initiative *(invented)*.

## Tannery owner (Señor Ruiz)

**Who you are.** Tanner for 30 years; the river, the drums, the smell: all yours.

**Lines you may say.**
- "Leather at $4.50 a foot, not a cent less."

## Workshop owner (Ndèye)

**Who you are.** Six workers, new sandal models every month.

```text
## not a card: inside a code block
```

## Municipality officer

**What you fear.** The river report on the minister's desk.

## Trader

**What you know that others don't.** Two buyers from the capital come in month 5.

## Observer

Watch for: who speaks first, who is interrupted, whether an agreement names a date.
"""
SAMPLE_HEADINGS = [
    "Tannery owner (Señor Ruiz)",
    "Workshop owner (Ndèye)",
    "Municipality officer",
    "Trader",
    "Observer",
]


def scratch_course(root: Path, folders: list[str] = FOLDERS) -> Path:
    course = root / "course"
    for folder in folders:
        if (COURSE / folder).is_dir():
            shutil.copytree(COURSE / folder, course / folder)
    return course


# ----------------------------------------------------------------------------- cards
def test_split_cards_at_second_level_headings_outside_code():
    intro, cards = split_cards(SAMPLE_CARDS)
    assert intro.startswith("# Role cards for Activity 9.9") and "month 3" in intro
    assert [card.splitlines()[0][3:] for card in cards] == SAMPLE_HEADINGS
    assert "## not a card" in cards[1]


def test_card_page_puts_each_card_in_its_own_section():
    page, cards, setting = card_page(SAMPLE_CARDS)
    assert (cards, setting) == (5, True)
    assert page.count('<section class="card">') == 5 and 'class="setting"' in page
    assert page.count("<h1") == 1
    untitled, cards, setting = card_page("# Cards\n\n## A\nYou.\n\n## B\nThem.\n")
    assert (cards, setting) == (2, False)
    assert untitled.count('class="card first"') == 1 and untitled.count("<h1") == 1


# ----------------------------------------------------------------------------- build
def test_handouts_build_on_a_scratch_copy(tmp_path):
    require_chromium()
    from pypdf import PdfReader

    course = scratch_course(tmp_path)
    (course / "role-cards").mkdir(exist_ok=True)
    (course / "role-cards" / "9.9-sample.md").write_text(SAMPLE_CARDS, encoding="utf-8")
    out = tmp_path / "build" / "handouts"
    lines: list[str] = []
    report = build_handouts(course, out, paper="Letter", log=lines.append)
    assert report.ok, report.problems

    # One HTML page and one PDF per Markdown file, in a folder per group.
    expected = {
        f"{folder}/{path.stem}"
        for folder in FOLDERS
        for path in (course / folder).glob("*.md")
        if not (folder in {"templates", "role-cards"} and path.name == "README.md")
    }
    built = {f"{item.group.folder}/{item.html.stem}" for item in report.handouts}
    assert built == expected
    assert {f"templates/{name}" for name in list_templates()} <= built
    for item in report.handouts:
        assert item.html.is_file() and item.pdf is not None and item.pdf.is_file(), item.source
        assert item.pages and item.pages >= 1
    first = PdfReader(str(report.handouts[0].pdf)).pages[0]
    assert [round(float(v)) for v in first.mediabox[2:]] == [612, 792], "Letter paper"

    # Role cards: the setting on page 1, then one card per page, in order.
    sample = next(item for item in report.handouts if item.source.name == "9.9-sample.md")
    # NFKC turns the font's ligatures (ﬃ) back into letters.
    pages = [normalize("NFKC", page.extract_text()) for page in PdfReader(str(sample.pdf)).pages]
    assert len(pages) == 1 + len(SAMPLE_HEADINGS)
    assert "month 3" in pages[0] and "Señor Ruiz" not in pages[0]
    for number, heading in enumerate(SAMPLE_HEADINGS, 1):
        others = [h for h in SAMPLE_HEADINGS if h != heading]
        assert heading in pages[number], f"page {number + 1} should hold the card {heading!r}"
        assert not any(other in pages[number] for other in others), f"page {number + 1}"
        assert "Activity 9.9" in pages[number], "each card names its activity"
    assert "$4.50" in pages[1]

    # The course's own role cards: each card fits on one page.
    too_long = [
        f"{item.source.name}: {item.pages} pages for {item.cards} cards"
        + (" and the setting" if item.setting_page else "")
        for item in report.handouts
        if item.cards and item.pages != item.cards + item.setting_page
    ]
    assert too_long == []

    # index.html lists every handout, and no link in any page leads nowhere.
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "PDF (Letter paper)" in index
    for name in expected:
        assert f'href="{name}.pdf"' in index and f'href="{name}.html"' in index, name
    dead = []
    for page in [out / "index.html", *(item.html for item in report.handouts)]:
        for target in re.findall(r'href="([^"#]+)', page.read_text(encoding="utf-8")):
            if not re.match(r"^[a-z]+:", target) and not (page.parent / target).exists():
                dead.append(f"{page.relative_to(out)} -> {target}")
    assert dead == []
    assert any("handouts (PDF and HTML) in" in line for line in lines), lines


def test_missing_folders_are_skipped_with_a_line(tmp_path):
    course = scratch_course(tmp_path, ["templates"])
    lines: list[str] = []
    report = build_handouts(course, tmp_path / "out", pdf=False, log=lines.append)
    assert report.ok
    assert len(report.handouts) == len(list_templates())
    for folder in ["role-cards", "facilitator", "field-kit"]:
        assert any(f"no folder {course / folder}, skipped" in line for line in lines), folder
    index = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert "Not included" in index and "role-cards" in index

    empty = build_handouts(tmp_path / "nothing", tmp_path / "out2", log=lines.append)
    assert empty.handouts == [] and len(empty.notes) == 4
    assert (tmp_path / "out2" / "index.html").is_file()


def test_a_removed_handout_goes_and_other_files_stay(tmp_path):
    course = scratch_course(tmp_path, ["templates"])
    out = tmp_path / "out"
    build_handouts(course, out, pdf=False, log=lambda line: None)
    mine = out / "templates" / "my-notes.html"
    mine.write_text("<p>mine</p>", encoding="utf-8")
    (course / "templates" / "code-of-conduct.md").unlink()
    build_handouts(course, out, pdf=False, log=lambda line: None)
    assert not (out / "templates" / "code-of-conduct.html").exists()
    assert (out / "templates" / "meeting-minutes.html").exists()
    assert mine.read_text(encoding="utf-8") == "<p>mine</p>"


# ----------------------------------------------------------------------------- CLI
def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cdatools", "handouts", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_cli_reports_a_bad_file_by_name_and_builds_the_rest(tmp_path):
    course = scratch_course(tmp_path, ["templates"])
    (course / "templates" / "old-minutes.md").write_bytes("# Réunion\n".encode("latin-1"))
    done = run_cli("--course", str(course), "--out", "out", "--no-pdf", cwd=tmp_path)
    output = done.stdout + done.stderr
    assert done.returncode == 1, output
    assert "old-minutes.md: not UTF-8 text (byte 3" in output and "not built" in output
    assert "Traceback" not in output
    assert (tmp_path / "out" / "templates" / "meeting-minutes.html").is_file()
    assert "Role cards: no folder" in output


def test_cli_defaults_to_the_course_folder_here_and_refuses_a_wrong_one(tmp_path):
    scratch_course(tmp_path, ["templates"])
    done = run_cli("--no-pdf", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "build" / "handouts" / "templates" / "code-of-conduct.html").is_file()
    wrong = run_cli("--course", "no-such-folder", cwd=tmp_path)
    assert wrong.returncode == 2
    assert "the course folder no-such-folder does not exist" in wrong.stderr
    paper = run_cli("--paper", "B5", cwd=tmp_path)
    assert paper.returncode == 2 and "invalid choice: 'B5'" in paper.stderr


def test_make_handouts_is_in_the_help_and_runs_the_command():
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    assert "make handouts" in makefile
    plan = subprocess.run(
        ["make", "-n", "handouts", "PAPER=Letter"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert plan.returncode == 0, plan.stderr
    assert "-m cdatools handouts --out build/handouts --paper Letter" in plan.stdout
    assert '--language "$lang"' in plan.stdout and 'lang=""' in plan.stdout
    french = subprocess.run(
        ["make", "-n", "handouts", "LANG=fr"], cwd=REPO, capture_output=True, text=True
    )
    assert 'lang="fr"' in french.stdout, french.stdout
    wrong = subprocess.run(
        ["make", "-s", "handouts", "LANG=de", f"VENV={sys.prefix}"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert wrong.returncode != 0 and "LANG must be fr, es or en, not 'de'" in wrong.stderr


def test_docstring_examples_run():
    flags = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
    result = doctest.testmod(handouts, optionflags=flags, verbose=False)
    assert result.failed == 0 and result.attempted > 0


@pytest.mark.parametrize("folder", ["templates", "role-cards", "facilitator"])
def test_the_course_has_handouts_in(folder):
    sources, _ = handouts.find_sources(COURSE)
    assert any(group.folder == folder for group, _ in sources), f"course/{folder}/ has no .md"


@pytest.mark.parametrize("language", ["fr", "es"])
def test_handouts_in_french_and_spanish(tmp_path, language):
    """The translated editions print like the English: same files, one card per page."""
    require_chromium()
    from pypdf import PdfReader

    out = tmp_path / "handouts"
    report = build_handouts(out=out, language=language, log=lambda line: None)
    assert report.ok, report.problems
    english, _ = handouts.find_sources(COURSE)
    assert sorted((i.group.folder, i.source.name) for i in report.handouts) == sorted(
        (group.folder, path.name) for group, path in english
    ), "every English handout has its translation"
    assert all(language in item.source.parent.relative_to(COURSE).parts for item in report.handouts)
    index = (out / "index.html").read_text(encoding="utf-8")
    title = {"fr": "Documents à distribuer du cours", "es": "Materiales para repartir del curso"}
    assert f'<html lang="{language}">' in index and title[language] in index
    for item in report.handouts:
        page = item.html.read_text(encoding="utf-8")
        assert f'<html lang="{language}">' in page, item.source
        assert "[English]" not in page and "English</a>" not in page, item.source
        if item.cards:
            assert item.pages == item.cards + item.setting_page, (
                f"{item.source.name}: {item.pages} pages for {item.cards} cards"
            )
    card = next(i for i in report.handouts if i.source.name == "3.2-mediation.md")
    first_card = PdfReader(str(card.pdf)).pages[int(card.setting_page)]
    text = normalize("NFKC", first_card.extract_text())
    assert {"fr": "Lomari est inventé", "es": "Lomari es inventado"}[language] in text
