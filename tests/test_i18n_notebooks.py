"""Translated notebooks built from PO catalogs, kept in step with the English.

Every test works on a scratch course folder: a small notebook (markdown with a link, inline
code and an anchor; code cells that print and load a quiz) and a quiz file, translated into
French for real, then edited the way an author edits the English.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

from cdatools import notebook_i18n as nb

ROOT = Path(__file__).resolve().parents[1]

INTRO = (
    "# Trust in a cluster\n\nThis lesson is about **functional trust**.\n\n"
    'Run `cdatools.load("bagru_ties")` first.'
)
LINKS = (
    '<a id="joint-action"></a>\n### Joint action\n\n'
    "See [the glossary](glossary.ipynb#joint-action) and [Lesson 2](02-lesson.ipynb)."
)
CODE_1 = 'import cdatools\nprint("Trust")'
CODE_2 = 'from cdatools.quiz import Quiz\nQuiz("quizzes/check.json")'
QUIZ = {
    "title": "Self-check",
    "questions": [
        {
            "prompt": "What does a CDA build first?",
            "options": ["Functional trust", "Friendship"],
            "correct": 0,
            "explanations": ["Yes: trust that working together pays.", "Not first."],
        }
    ],
}
FRENCH = {
    "# Trust in a cluster": "# La confiance dans un cluster",
    "This lesson is about **functional trust**.": (
        "Cette leçon porte sur la **confiance fonctionnelle**."
    ),
    'Run `cdatools.load("bagru_ties")` first.': (
        'Exécutez d\'abord `cdatools.load("bagru_ties")`.'
    ),
    '<a id="joint-action"></a>\n### Joint action': (
        '<a id="joint-action"></a>\n### Action conjointe'
    ),
    "See [the glossary](glossary.ipynb#joint-action) and [Lesson 2](02-lesson.ipynb).": (
        "Voir [le glossaire](glossary.ipynb#joint-action) et [la leçon 2](02-lesson.ipynb)."
    ),
    "Self-check": "Vérifiez vos acquis",
    "What does a CDA build first?": "Que construit d'abord un ADC ?",
    "Functional trust": "La confiance fonctionnelle",
    "Friendship": "L'amitié",
    "Yes: trust that working together pays.": "Oui : la confiance que coopérer est payant.",
    "Not first.": "Pas en premier.",
}


def _notebook(cells: list[tuple[str, str, str]]) -> dict:
    return {
        "cells": [
            {"cell_type": kind, "id": cell_id, "metadata": {}, "source": text}
            | ({"execution_count": None, "outputs": []} if kind == "code" else {})
            for cell_id, kind, text in cells
        ],
        "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }


@pytest.fixture
def course(tmp_path):
    folder = tmp_path / "course"
    (folder / "quizzes").mkdir(parents=True)
    lesson = _notebook(
        [
            ("intro", "markdown", INTRO),
            ("code-1", "code", CODE_1),
            ("links", "markdown", LINKS),
            ("code-2", "code", CODE_2),
        ]
    )
    (folder / "01-lesson.ipynb").write_text(json.dumps(lesson, indent=1), encoding="utf-8")
    (folder / "02-lesson.ipynb").write_text(json.dumps(_notebook([])), encoding="utf-8")
    (folder / "glossary.ipynb").write_text(json.dumps(_notebook([])), encoding="utf-8")
    (folder / "quizzes" / "check.json").write_text(json.dumps(QUIZ), encoding="utf-8")
    return folder


def _translate(catalog: Path, table: dict[str, str]) -> None:
    """Do what a translator does: fill every entry and clear the out-of-date marks."""
    po = polib.pofile(str(catalog), wrapwidth=0)
    for entry in po:
        if entry.obsolete:
            continue
        entry.msgstr = table[entry.msgid]
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
        entry.previous_msgid = None
    po.save(str(catalog))


def _edit_english(path: Path, old: str, new: str) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    for cell in data["cells"]:
        text = "".join(cell["source"])
        if old in text:
            cell["source"] = text.replace(old, new)
    path.write_text(json.dumps(data, indent=1), encoding="utf-8")


def _translated_fully(course: Path) -> tuple[Path, Path]:
    lesson, quiz = course / "01-lesson.ipynb", course / "quizzes" / "check.json"
    for source in (lesson, quiz):
        report = nb.update(source, "fr", course=course)
        assert report.new == len(nb.units(source)) and report.kept == 0
        _translate(nb.catalog_path(source, "fr", course), FRENCH)
    return lesson, quiz


def test_a_fully_translated_notebook_builds_with_the_english_code(course):
    lesson, quiz = _translated_fully(course)
    assert nb.check("fr", course=course) == []
    built = json.loads(nb.build(lesson, "fr", course=course).read_text(encoding="utf-8"))
    english = json.loads(lesson.read_text(encoding="utf-8"))
    assert built["metadata"]["cdatools"]["language"] == "fr"
    assert built["metadata"]["cdatools"]["untranslated_paragraphs"] == 0
    switch, *cells = built["cells"]
    assert switch["id"] == "i18n-switch" and switch["cell_type"] == "markdown"
    # No Spanish catalog: the switch offers the English only.
    assert "".join(switch["source"]) == "[English](../01-lesson.ipynb) · **Français**"
    assert [c["id"] for c in cells] == [c["id"] for c in english["cells"]]
    for mine, theirs in zip(cells, english["cells"], strict=True):
        if theirs["cell_type"] == "code":
            assert mine == theirs, "a translated notebook's code cells are the English ones"
    intro = "".join(cells[0]["source"])
    # The translated title keeps the English's anchor, so links to it still land.
    assert intro == (
        '<a id="trust-in-a-cluster"></a>\n'
        "# La confiance dans un cluster\n\nCette leçon porte sur la **confiance fonctionnelle**."
        '\n\nExécutez d\'abord `cdatools.load("bagru_ties")`.'
    )
    links = "".join(cells[2]["source"])
    # No French glossary or Lesson 2 exists: the links lead to the English ones.
    assert "[le glossaire](../glossary.ipynb#joint-action)" in links
    assert "[la leçon 2](../02-lesson.ipynb)" in links
    assert '<a id="joint-action"></a>' in links

    nb.update(course / "02-lesson.ipynb", "fr", course=course)
    nb.build(course / "02-lesson.ipynb", "fr", course=course)
    relinked = json.loads(nb.build(lesson, "fr", course=course).read_text(encoding="utf-8"))
    assert "[la leçon 2](02-lesson.ipynb)" in "".join(relinked["cells"][3]["source"])

    nb.build(quiz, "fr", course=course)
    french_quiz = json.loads((course / "fr" / "quizzes" / "check.json").read_text("utf-8"))
    assert french_quiz["questions"][0]["options"] == ["La confiance fonctionnelle", "L'amitié"]
    assert french_quiz["questions"][0]["correct"] == 0, "the answers stay as they are"
    from cdatools.quiz import load_questions

    (question,) = load_questions(course / "fr" / "quizzes" / "check.json")
    assert question.prompt == "Que construit d'abord un ADC ?"


def test_an_edited_english_sentence_marks_its_translation_out_of_date(course):
    lesson, _ = _translated_fully(course)
    catalog = nb.catalog_path(lesson, "fr", course)
    _edit_english(
        lesson,
        "This lesson is about **functional trust**.",
        "This lesson is about **functional trust** and how it grows.",
    )
    problems = nb.check("fr", course=course)
    assert [p.kind for p in problems] == ["out of date"], problems
    (problem,) = problems
    assert problem.path == catalog and problem.line > 0
    assert "intro:2" in problem.message and "how it grows" in problem.message
    assert str(problem).startswith(f"{catalog}:{problem.line}: out of date")

    report = nb.update(lesson, "fr", course=course)
    assert (report.kept, report.fuzzy, report.new, report.obsolete) == (4, 1, 0, 0)
    entry = next(e for e in polib.pofile(str(catalog)) if e.msgctxt == "intro:2")
    assert "fuzzy" in entry.flags
    assert entry.previous_msgid == "This lesson is about **functional trust**."
    assert entry.msgstr == "Cette leçon porte sur la **confiance fonctionnelle**."
    assert [p.kind for p in nb.check("fr", course=course)] == ["out of date"]
    # Built now, the changed paragraph shows the current English, not the stale French.
    built = json.loads(nb.build(lesson, "fr", course=course).read_text(encoding="utf-8"))
    assert "and how it grows" in "".join(built["cells"][1]["source"])
    assert built["metadata"]["cdatools"]["untranslated_paragraphs"] == 1

    FRENCH["This lesson is about **functional trust** and how it grows."] = (
        "Cette leçon porte sur la **confiance fonctionnelle** et sur la façon dont elle grandit."
    )
    try:
        _translate(catalog, FRENCH)
    finally:
        del FRENCH["This lesson is about **functional trust** and how it grows."]
    assert nb.check("fr", course=course) == []


def test_moved_and_removed_paragraphs(course):
    lesson, _ = _translated_fully(course)
    catalog = nb.catalog_path(lesson, "fr", course)
    data = json.loads(lesson.read_text(encoding="utf-8"))
    data["cells"][0]["source"] = 'Run `cdatools.load("bagru_ties")` first.\n\n# Trust in a cluster'
    lesson.write_text(json.dumps(data), encoding="utf-8")
    report = nb.update(lesson, "fr", course=course)
    assert (report.kept, report.fuzzy, report.new, report.obsolete) == (4, 0, 0, 1)
    assert nb.check("fr", course=course) == []
    obsolete = [e for e in polib.pofile(str(catalog)) if e.obsolete]
    assert [e.msgid for e in obsolete] == ["This lesson is about **functional trust**."]


def test_new_english_is_reported_missing_until_update(course):
    lesson, _ = _translated_fully(course)
    _edit_english(lesson, "# Trust in a cluster", "# Trust in a cluster\n\nA new paragraph.")
    (problem,) = nb.check("fr", course=course)
    assert problem.kind == "missing" and "A new paragraph." in problem.message
    nb.update(lesson, "fr", course=course)
    (problem,) = nb.check("fr", course=course)
    assert problem.kind == "untranslated" and problem.line > 0


def test_a_broken_catalog_is_refused_naming_file_and_line(course):
    lesson, _ = _translated_fully(course)
    catalog = nb.catalog_path(lesson, "fr", course)
    good = catalog.read_text(encoding="utf-8")
    lines = good.splitlines()
    number = next(i for i, line in enumerate(lines) if line.startswith('msgstr "Cette leçon'))
    lines[number] = 'msgstr "Cette leçon porte sur la confiance'  # the closing quote is lost
    catalog.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(nb.CatalogError, match=rf"{catalog}:{number + 1}: not valid PO syntax"):
        nb.build(lesson, "fr", course=course)
    (problem,) = nb.check("fr", course=course)
    assert (problem.kind, problem.line) == ("broken", number + 1)
    assert not (course / "fr" / "01-lesson.ipynb").exists(), "nothing is built from it"

    # A translator translated the code in backticks and dropped a link's target.
    broken = good.replace(
        'msgstr "Exécutez d\'abord `cdatools.load(\\"bagru_ties\\")`."',
        'msgstr "Exécutez d\'abord `cdatools.charger(\\"bagru_ties\\")`."',
    ).replace("et [la leçon 2](02-lesson.ipynb).", "et [la leçon 2]().")
    assert broken != good
    catalog.write_text(broken, encoding="utf-8")
    with pytest.raises(nb.CatalogError) as refused:
        nb.build(lesson, "fr", course=course)
    message = str(refused.value)
    assert f"{catalog}:" in message
    assert 'cdatools.load("bagru_ties")' in message and "cdatools.charger" in message
    assert "02-lesson.ipynb" in message
    kinds = [p.kind for p in nb.check("fr", course=course)]
    assert kinds == ["broken", "broken"]


def test_the_command_line_reports_status_and_refuses_without_a_traceback(course):
    lesson, _ = _translated_fully(course)
    _edit_english(lesson, "# Trust in a cluster", "# Trust in clusters")
    nb.update(lesson, "fr", course=course)

    def run(*args: str) -> subprocess.CompletedProcess:
        command = [sys.executable, "-m", "cdatools.notebook_i18n", "--course", str(course), *args]
        return subprocess.run(command, capture_output=True, text=True, cwd=ROOT, check=False)

    result = run("status", "fr")
    assert result.returncode == 0, result.stderr
    rows = {line.split()[1]: line.split()[2:] for line in result.stdout.splitlines()[1:]}
    assert rows["01-lesson.ipynb"] == ["5", "4", "1", "0"]
    assert rows["quizzes/check.json"] == ["6", "6", "0", "0"]
    assert rows["02-lesson.ipynb"][-2:] == ["(no", "catalog)"]
    result = run("check", "fr")
    assert result.returncode == 1
    assert "out of date" in result.stdout and "1 problem(s)" in result.stdout
    result = run("editions", "fr")
    assert result.returncode == 1
    assert f"{course / 'fr' / '01-lesson.ipynb'}: not built yet; run python -m" in result.stdout
    assert run("build", "fr").returncode == 0
    result = run("editions", "fr")
    assert (result.returncode, result.stdout) == (0, "every edition is what build makes now\n")
    result = run("update", "fr", str(course / "fr" / "01-lesson.ipynb"))
    assert result.returncode == 1 and "not an English source" in result.stderr
    assert not (course / "i18n" / "fr" / "fr").exists()
    result = run("build", "de")
    assert result.returncode == 2 and "needs a language" in result.stderr
    result = run("build", "fr", str(course / "02-lesson.ipynb"))
    assert result.returncode == 1
    assert "has no fr catalog yet" in result.stderr and "Traceback" not in result.stderr


# ----------------------------------------------------------------- anchors and the switch
HEADINGS = (
    "## 3. How many respondents are enough?\n\nFewer than you think.\n\n"
    '<a id="norms"></a>\n### Norms\n\nSee [above](#3-how-many-respondents-are-enough).'
)
HEADINGS_FR = {
    "## 3. How many respondents are enough?": "## 3. Combien de répondants faut-il ?",
    "Fewer than you think.": "Moins que vous ne le pensez.",
    '<a id="norms"></a>\n### Norms': '<a id="norms"></a>\n### Normes',
    "See [above](#3-how-many-respondents-are-enough).": (
        "Voir [plus haut](#3-how-many-respondents-are-enough)."
    ),
    "# Notes": "# Notes",
    "Read [the count](protocol.ipynb#3-how-many-respondents-are-enough) and [the norms]"
    "(protocol.ipynb#norms).": "Lisez [le décompte](protocol.ipynb#3-how-many-respondents-are-"
    "enough) et [les normes](protocol.ipynb#norms).",
}


def test_translated_headings_keep_their_english_anchors(tmp_path):
    """Links written for the English (``protocol.ipynb#3-how-many-...``) land in an edition."""
    course = tmp_path / "course"
    course.mkdir()
    protocol = course / "protocol.ipynb"
    protocol.write_text(json.dumps(_notebook([("h", "markdown", HEADINGS)])), encoding="utf-8")
    notes = course / "notes.md"
    notes.write_text(
        "# Notes\n\nRead [the count](protocol.ipynb#3-how-many-respondents-are-enough) and "
        "[the norms](protocol.ipynb#norms).\n",
        encoding="utf-8",
    )
    assert nb.link_problems(protocol) == nb.link_problems(notes) == []
    for source in (protocol, notes):
        nb.update(source, "fr", course=course)
        _translate(nb.catalog_path(source, "fr", course), HEADINGS_FR)
    built_protocol = nb.build(protocol, "fr", course=course)
    built_notes = nb.build(notes, "fr", course=course)
    text = "".join(json.loads(built_protocol.read_text(encoding="utf-8"))["cells"][1]["source"])
    assert text.startswith(
        '<a id="3-how-many-respondents-are-enough"></a>\n## 3. Combien de répondants faut-il ?'
    )
    assert text.count('id="norms"') == 1, "a heading with its own anchor gets no second one"
    # "# Notes" is "# Notes" in French too: its anchor did not change, so none is added.
    assert "<a id=" not in built_notes.read_text(encoding="utf-8")
    assert nb.link_problems(built_protocol) == nb.link_problems(built_notes) == []

    # Without the generated anchor, the French links would be dead, and the check says so.
    built_protocol.write_text(
        built_protocol.read_text(encoding="utf-8").replace(
            '<a id=\\"3-how-many-respondents-are-enough\\"></a>\\n', ""
        ),
        encoding="utf-8",
    )
    assert nb.link_problems(built_notes) == [
        f"{built_notes}: link 'protocol.ipynb#3-how-many-respondents-are-enough': "
        f"{built_protocol} has no heading or id '3-how-many-respondents-are-enough'"
    ]
    (problem,) = nb.link_problems(built_protocol)
    assert "'#3-how-many-respondents-are-enough'" in problem


def test_heading_anchors_follow_github():
    """The anchors GitHub gives these headings (the rule the course's links follow)."""
    assert nb.heading_slug("3. How many respondents are enough?") == (
        "3-how-many-respondents-are-enough"
    )
    assert nb.heading_slug("Bagru: trust and cooperation among block printers") == (
        "bagru-trust-and-cooperation-among-block-printers"
    )
    assert nb.heading_slug("Activity 3.2: *mediating* the [tanners'](x.md) `quarrel`") == (
        "activity-32-mediating-the-tanners-quarrel"
    )
    assert nb.heading_slug("¿Qué hace un ADC?") == "qué-hace-un-adc"
    assert nb.heading_slug("L'ADC\u00a0: rôle & limites") == "ladc-rôle--limites"


def test_every_edition_opens_with_a_language_switch(course):
    lesson, quiz = _translated_fully(course)
    page = course / "notes.md"
    page.write_text("# Notes\n\nA page.\n", encoding="utf-8")
    for language in ("fr", "es"):
        for source in (lesson, page):
            nb.update(source, language, course=course)
            po = polib.pofile(str(nb.catalog_path(source, language, course)), wrapwidth=0)
            for entry in po:
                entry.msgstr = entry.msgstr or f"[{language}] {entry.msgid}"
            po.save(str(nb.catalog_path(source, language, course)))
    french = json.loads(nb.build(lesson, "fr", course=course).read_text(encoding="utf-8"))
    spanish = json.loads(nb.build(lesson, "es", course=course).read_text(encoding="utf-8"))
    assert french["cells"][0] == {
        "cell_type": "markdown",
        "id": "i18n-switch",
        "metadata": {},
        "source": [
            "[English](../01-lesson.ipynb) · **Français** · [Español](../es/01-lesson.ipynb)"
        ],
    }
    assert spanish["cells"][0]["source"] == [
        "[English](../01-lesson.ipynb) · [Français](../fr/01-lesson.ipynb) · **Español**"
    ]
    assert [c["id"] for c in spanish["cells"]].count("i18n-switch") == 1
    # "[es] # Notes" is no heading: the English heading's anchor stays on the page.
    assert nb.build(page, "es", course=course).read_text(encoding="utf-8") == (
        "[English](../notes.md) · [Français](../fr/notes.md) · **Español**\n\n"
        '<a id="notes"></a>\n[es] # Notes\n\n[es] A page.\n'
    )
    nb.build(page, "fr", course=course)
    assert nb.link_problems(course / "es" / "notes.md") == []
    # The switch's links all lead somewhere (the scratch glossary has no entries).
    problems = nb.link_problems(course / "fr" / "01-lesson.ipynb")
    assert problems and all("glossary.ipynb#joint-action" in p for p in problems), problems
    # A quiz file is data: no switch.
    assert json.loads(nb.render(quiz, "fr", course=course))["title"] == "Vérifiez vos acquis"


# ----------------------------------------------------------------- the committed editions
NOT_YET = nb.COURSE / "i18n" / "not-yet-translated.txt"


def not_yet_translated(listing: Path = NOT_YET, course: Path = nb.COURSE) -> set[tuple[str, str]]:
    """(language, source) pairs listed in course/i18n/not-yet-translated.txt."""
    listed = set()
    for number, line in enumerate(listing.read_text(encoding="utf-8").splitlines(), start=1):
        line = line.partition("#")[0].strip()
        if not line:
            continue
        language, _, source = line.partition(" ")
        assert language in nb.EDITIONS and (course / source.strip()).is_file(), (
            f"{listing}:{number}: expected '<fr|es> <English source under course/>', found {line!r}"
        )
        listed.add((language, source.strip()))
    return listed


def translation_list_problems(course: Path, listing: Path) -> list[str]:
    """Sources with no complete catalog that the list leaves out, and listed ones done."""
    incomplete = {p.path for p in nb.check(course=course)}
    listed = not_yet_translated(listing, course)
    problems = []
    for language in nb.EDITIONS:
        for source in nb.sources(course):
            name = source.relative_to(course).as_posix()
            catalog = nb.catalog_path(source, language, course)
            complete = catalog.exists() and catalog not in incomplete
            if not complete and (language, name) not in listed:
                problems.append(f"{language} {name}: no complete catalog, and not listed")
            if complete and (language, name) in listed:
                problems.append(f"{language} {name}: translated now, remove it from the list")
    return problems


def test_committed_catalogs_are_complete_and_current():
    """Every catalog in course/i18n/fr|es is finished and current (none untranslated,
    out of date, missing or broken)."""
    problems = nb.check()
    assert not problems, "\n".join(map(str, problems))


def test_what_is_not_translated_yet_is_listed():
    """Each English source has a complete catalog in each language, or is listed in
    course/i18n/not-yet-translated.txt; a source listed there but translated must leave
    the list, so what is left to translate can only shrink."""
    problems = translation_list_problems(nb.COURSE, NOT_YET)
    assert not problems, f"{NOT_YET.relative_to(ROOT)}:\n" + "\n".join(problems)


def test_the_translation_list_can_only_shrink(course):
    """On a scratch course: an untranslated source must be listed, a translated one not."""
    _translated_fully(course)
    listing = course / "i18n" / "not-yet-translated.txt"
    listing.write_text("# nothing listed\n", encoding="utf-8")
    assert translation_list_problems(course, listing) == [
        "fr 02-lesson.ipynb: no complete catalog, and not listed",
        "fr glossary.ipynb: no complete catalog, and not listed",
        "es 01-lesson.ipynb: no complete catalog, and not listed",
        "es 02-lesson.ipynb: no complete catalog, and not listed",
        "es glossary.ipynb: no complete catalog, and not listed",
        "es quizzes/check.json: no complete catalog, and not listed",
    ]
    everything = [
        f"{lang} {name}"
        for lang in ("fr", "es")
        for name in ("01-lesson.ipynb", "02-lesson.ipynb", "glossary.ipynb", "quizzes/check.json")
    ]
    listing.write_text("\n".join(everything) + "\n", encoding="utf-8")
    assert translation_list_problems(course, listing) == [
        "fr 01-lesson.ipynb: translated now, remove it from the list",
        "fr quizzes/check.json: translated now, remove it from the list",
    ]
    left = [
        line for line in everything if line not in ("fr 01-lesson.ipynb", "fr quizzes/check.json")
    ]
    listing.write_text("\n".join(left) + "\n", encoding="utf-8")
    assert translation_list_problems(course, listing) == []
    # An out-of-date catalog is not complete: the source must be listed again.
    _edit_english(course / "01-lesson.ipynb", "# Trust in a cluster", "# Trust in clusters")
    assert translation_list_problems(course, listing) == [
        "fr 01-lesson.ipynb: no complete catalog, and not listed"
    ]
    listing.write_text("es nowhere.ipynb\n", encoding="utf-8")
    with pytest.raises(AssertionError, match=r"not-yet-translated\.txt:1: expected"):
        translation_list_problems(course, listing)


def test_committed_editions_are_what_build_makes_now():
    """Every catalog has its edition and every edition its catalog, and each edition is what
    build makes now from the current catalog and English (a stale one names the command)."""
    problems = nb.edition_problems()
    assert not problems, "\n".join(problems)


def test_committed_editions_keep_the_english_code_and_answers():
    checked = 0
    for edition in nb.editions():
        language = edition.relative_to(nb.COURSE).parts[0]
        english = nb.COURSE / edition.relative_to(nb.COURSE / language)
        if edition.suffix == ".ipynb":
            built, original = (
                json.loads(p.read_text(encoding="utf-8")) for p in (edition, english)
            )
            assert built["metadata"]["cdatools"]["language"] == language, edition
            assert built["metadata"]["cdatools"]["untranslated_paragraphs"] == 0, edition
            assert [c for c in built["cells"] if c["cell_type"] == "code"] == [
                c for c in original["cells"] if c["cell_type"] == "code"
            ], f"{edition}: its code cells must be the English ones"
            assert built["cells"][0]["id"] == nb.SWITCH_CELL, edition
            checked += 1
        elif edition.suffix == ".json":
            built, original = (
                json.loads(p.read_text(encoding="utf-8")) for p in (edition, english)
            )
            assert _answers(built) == _answers(original), f"{edition}: its answers changed"
            checked += 1
    assert checked or not nb.editions()


def _answers(data, where: str = "") -> list[tuple[str, object]]:
    """A quiz file's answers and shape: every value but the displayed strings."""
    if isinstance(data, dict):
        return [item for key, value in data.items() for item in _answers(value, f"{where}/{key}")]
    if isinstance(data, list):
        return [item for n, value in enumerate(data) for item in _answers(value, f"{where}/{n}")]
    return [(where, None if isinstance(data, str) else data)]


CODE_PATH = re.compile(r"[\"']([\w./-]+\.(?:json|csv|md|ipynb|txt))[\"']")


def test_every_link_in_every_committed_edition_resolves():
    """Every relative link and anchor in course/fr and course/es leads somewhere: to an
    edition, or to the English where there is none; and every file a code cell opens by a
    relative path is there beside the edition, as beside the English."""
    problems = []
    for edition in nb.editions():
        if edition.suffix not in (".ipynb", ".md"):
            continue
        problems += nb.link_problems(edition)
        if edition.suffix == ".ipynb":
            language = edition.relative_to(nb.COURSE).parts[0]
            english = nb.COURSE / edition.relative_to(nb.COURSE / language)
            for cell in json.loads(edition.read_text(encoding="utf-8"))["cells"]:
                for name in CODE_PATH.findall("".join(cell["source"])):
                    opened = (english.parent / name).exists()
                    if (
                        cell["cell_type"] == "code"
                        and opened
                        and not (edition.parent / name).exists()
                    ):
                        problems.append(f"{edition}: a code cell opens {name}, not beside it")
    assert not problems, "\n".join(problems)


def test_every_anchor_in_the_english_course_resolves():
    """The English links' anchors lead to a heading or id: the editions inherit every link
    (their targets are kept exactly), so a broken English anchor would break three pages."""
    problems = [
        problem
        for source in nb.sources()
        if source.suffix in (".ipynb", ".md")
        for problem in nb.link_problems(source)
    ]
    assert not problems, "\n".join(problems)


def test_an_english_edit_fails_the_catalog_and_the_edition_checks(tmp_path):
    """On a copy of the course: an English sentence changed makes its catalogs out of date
    and its editions stale, naming the catalog's line and the command to rebuild."""
    copy = tmp_path / "course"
    shutil.copytree(nb.COURSE, copy, ignore=shutil.ignore_patterns("my-work", ".ipynb_*"))
    source = copy / "glossary.ipynb"
    for language in nb.EDITIONS:  # fresh editions, whatever state the course is in
        nb.build(source, language, course=copy)
    before_check = {str(p) for p in nb.check(course=copy)}
    before_editions = set(nb.edition_problems(course=copy))
    data = json.loads(source.read_text(encoding="utf-8"))
    cell = next(c for c in data["cells"] if c["cell_type"] == "markdown" and len(c["source"]) > 3)
    paragraph = next(
        line
        for before, line in zip(["\n", *cell["source"]], cell["source"], strict=False)
        if before == "\n" and len(line) > 40 and line[0].isalpha()
    )
    cell["source"] = [
        line.replace(paragraph, "A sentence the author rewrote.\n") for line in cell["source"]
    ]
    source.write_text(json.dumps(data, indent=1), encoding="utf-8")
    new_check = [p for p in nb.check(course=copy) if str(p) not in before_check]
    assert {(p.kind, p.path.parent.name) for p in new_check} == {
        ("out of date", "fr"),
        ("out of date", "es"),
    }, new_check
    assert all(p.line > 0 and "A sentence the author rewrote." in p.message for p in new_check)
    new_editions = set(nb.edition_problems(course=copy)) - before_editions
    for language in nb.EDITIONS:
        assert any(
            f"{language}/glossary.ipynb: out of date" in p
            and f"build {language} {copy / 'glossary.ipynb'}" in p
            for p in new_editions
        ), new_editions


def test_nbval_runs_an_edition_in_its_language(tmp_path):
    """Under make test (nbval), a French edition's cdatools speaks French, as in JupyterLab."""
    notebook = _notebook(
        [
            ("title", "markdown", "# Essai"),
            (
                "run",
                "code",
                "import cdatools\nfrom cdatools.i18n import gettext\n"
                "assert cdatools.get_language() == 'fr', cdatools.get_language()\n"
                "assert gettext('Undo last change') == 'Annuler la dernière modification'",
            ),
        ]
    )
    notebook["metadata"]["cdatools"] = {"language": "fr"}
    path = tmp_path / "fr" / "essai.ipynb"
    path.parent.mkdir()
    path.write_text(json.dumps(notebook), encoding="utf-8")
    english = tmp_path / "english.ipynb"
    notebook["metadata"].pop("cdatools")
    notebook["cells"][1]["source"] = "import cdatools\nassert cdatools.get_language() == 'en'"
    english.write_text(json.dumps(notebook), encoding="utf-8")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "conftest",
            "-q",
            "--nbval-lax",
            "--nbval-current-env",
            "-p",
            "no:cacheprovider",
            "--rootdir",
            str(tmp_path),
            str(path),
            str(english),
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:]
    assert "2 passed" in result.stdout
