"""Translated notebooks built from PO catalogs, kept in step with the English.

Every test works on a scratch course folder: a small notebook (markdown with a link, inline
code and an anchor; code cells that print and load a quiz) and a quiz file, translated into
French for real, then edited the way an author edits the English.
"""

from __future__ import annotations

import json
import os
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
    assert [c["id"] for c in built["cells"]] == [c["id"] for c in english["cells"]]
    for mine, theirs in zip(built["cells"], english["cells"], strict=True):
        if theirs["cell_type"] == "code":
            assert mine == theirs, "a translated notebook's code cells are the English ones"
    intro = "".join(built["cells"][0]["source"])
    assert intro == (
        "# La confiance dans un cluster\n\nCette leçon porte sur la **confiance fonctionnelle**."
        '\n\nExécutez d\'abord `cdatools.load("bagru_ties")`.'
    )
    links = "".join(built["cells"][2]["source"])
    # No French glossary or Lesson 2 exists: the links lead to the English ones.
    assert "[le glossaire](../glossary.ipynb#joint-action)" in links
    assert "[la leçon 2](../02-lesson.ipynb)" in links
    assert '<a id="joint-action"></a>' in links

    nb.update(course / "02-lesson.ipynb", "fr", course=course)
    nb.build(course / "02-lesson.ipynb", "fr", course=course)
    relinked = json.loads(nb.build(lesson, "fr", course=course).read_text(encoding="utf-8"))
    assert "[la leçon 2](02-lesson.ipynb)" in "".join(relinked["cells"][2]["source"])

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
    assert "and how it grows" in "".join(built["cells"][0]["source"])
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
    result = run("build", "de")
    assert result.returncode == 2 and "needs a language" in result.stderr
    result = run("build", "fr", str(course / "02-lesson.ipynb"))
    assert result.returncode == 1
    assert "has no fr catalog yet" in result.stderr and "Traceback" not in result.stderr


def test_committed_catalogs_are_complete_current_and_build():
    """Every catalog in course/i18n is finished and current, and builds a whole edition.

    The editions themselves (course/fr/, course/es/) are not committed yet: the English
    content tests (tests/test_course_glossary.py) would read them as English notebooks.
    """
    problems = nb.check()
    assert not problems, "\n".join(map(str, problems))
    built = 0
    for language in nb.EDITIONS:
        for _, source, _ in nb._catalogs(language, None, nb.COURSE):
            text = nb.render(source, language)
            if source.suffix != ".ipynb":
                continue
            edition, english = json.loads(text), json.loads(source.read_text(encoding="utf-8"))
            assert edition["metadata"]["cdatools"]["untranslated_paragraphs"] == 0, source
            assert [c for c in edition["cells"] if c["cell_type"] == "code"] == [
                c for c in english["cells"] if c["cell_type"] == "code"
            ]
            built += 1
    catalogs = [p for lang in nb.EDITIONS for p in (nb.COURSE / "i18n" / lang).rglob("*.ipynb.po")]
    assert built == len(catalogs)


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
