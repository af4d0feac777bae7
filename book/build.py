"""Build the course as a static website and a printable PDF (``make book``), in English,
French and Spanish.

Steps:

1. Read the course's order from the table in ``course/README.md`` (notebooks in
   ``course/`` that the table does not list are added at the end, with a warning). The
   French and Spanish editions (``course/fr/``, ``course/es/``, built from the translation
   catalogs by ``cdatools.notebook_i18n``) are never part of the English book; each makes
   a book of its own, in the same order, of the notebooks it has.
2. Prepare a COPY of each notebook under ``build/book/src/`` (the notebooks in
   ``course/`` are never changed): the markdown caption after a figure, whose first line
   starts with ``**Figure.**``, becomes the alternative text of that figure's image; a
   self-check quiz is shown as its questions (answers folded away), because a widget
   cannot run on a static page; each page gets a link to download its notebook.
3. Run Jupyter Book 1 (Sphinx, MyST-NB) with its execution cache
   (``build/book/.jupyter_cache``): only notebooks whose code changed are run again.
   The site is copied to ``build/site/``, the French and Spanish ones to
   ``build/site/fr/`` and ``build/site/es/``; every page gets a language switch that
   leads to the same page in the other languages (or, where that page is not translated
   yet, to that language's home page, saying so).
4. Print the site's pages, in the course's order, to ``build/course.pdf`` with headless
   Chromium (``/usr/bin/chromium``, driven by Playwright): a cover, a table of contents
   with page numbers, PDF bookmarks and page numbers in the footer. The French and
   Spanish books are printed to ``build/course-fr.pdf`` and ``build/course-es.pdf``.

Run ``python book/build.py --help`` for the options. It prints how long each step took.
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import functools
import html
import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat

# The editions (course/fr/, course/es/) and the id of the language-switch cell their
# notebooks open with, from the tool that builds them.
from cdatools.notebook_i18n import EDITIONS, LANGUAGE_NAMES, SWITCH_CELL, is_edition

# The browser that prints the PDF, shared with the templates and handouts.
from cdatools.printing import CHROMIUM, chromium_page, print_pdf

ROOT = Path(__file__).resolve().parents[1]
COURSE = ROOT / "course"
BOOK = Path(__file__).resolve().parent
BUILD = ROOT / "build"

TITLE = "Cluster Governance, Trust and the Role of the CDA"
#: The books' languages: English first (its site is the root of build/site/), then the
#: editions, each in build/site/<language>/.
LANGUAGES = ("en", *EDITIONS)
#: Folders of course/ that are not the English course: the editions and the catalogs.
NOT_ENGLISH = {*EDITIONS, "i18n"}

# Everything the book itself says, in each language (the notebooks' words come from the
# course and its translation catalogs).
TEXT: dict[str, dict[str, str]] = {
    "en": {
        "title": TITLE,
        "author": "The CDA course team",
        "footer": "Built for offline use: this site makes no request to another host.",
        "intro": (
            "This is the course as a website: every notebook has been run, so its figures "
            "and tables show. It works without an internet connection, also opened from a "
            "USB stick. The whole course is also in one file to print, "
            '<a href="course.pdf">course.pdf</a> (<code>make book</code> makes it with the '
            "site).\n\n"
            "To use the interactive planning tools and quizzes, download a notebook (each "
            "page has a link) and run it in JupyterLab with the course installed "
            "(`make lab`)."
        ),
        "download": "Download this notebook (.ipynb)",
        "download_rest": (
            "to run it in JupyterLab with the course's `cdatools` package (see *Start here*)."
        ),
        "quiz": (
            "**Self-check quiz.** In Jupyter this cell shows the quiz: choose an answer and "
            "press **Check** to see why it is right or wrong. Here are its questions; "
            "the answers are folded away below."
        ),
        "answers": "Answers",
        "cover": "A course for Cluster Development Agents, printed from the course website.",
        "printed": "Printed {date}",
        "contents": "Contents",
        "switch": "Language",
        "switch_label": "Language:",
        "missing": "no English page: English home page",
    },
    "fr": {
        "title": "Gouvernance des clusters, confiance et rôle de l'ADC",
        "author": "L'équipe du cours pour les ADC",
        "footer": (
            "Conçu pour un usage hors ligne : ce site ne fait aucune demande à un autre serveur."
        ),
        "intro": (
            "Voici le cours en français, sous forme de site web : chaque notebook a été "
            "exécuté, ses figures et ses tableaux s'affichent donc. Le site fonctionne sans "
            "connexion à Internet, même ouvert depuis une clé USB. Le cours en français tient "
            "aussi dans un seul fichier à imprimer, "
            '<a href="course.pdf">course.pdf</a> (<code>make book</code> le produit avec le '
            "site).\n\n"
            "Pour utiliser les outils de planification et les questionnaires interactifs, "
            "téléchargez "
            "un notebook (chaque page a un lien) et exécutez-le dans JupyterLab avec le cours "
            "installé (`make lab LANG=fr`).\n\n"
            "En haut de chaque page, le choix de la langue mène à la même page en anglais ou "
            "en espagnol."
        ),
        "partial": (
            "La traduction avance partie par partie : un notebook pas encore traduit figure "
            "ci-dessous avec un lien vers sa version anglaise, signalée « en anglais »."
        ),
        "contents_heading": "Les notebooks du cours",
        "in_english": "en anglais",
        "untranslated": (
            "**Traduction en cours.** {n} paragraphes de cette page ne sont pas encore "
            "traduits et restent en anglais."
        ),
        "untranslated_one": (
            "**Traduction en cours.** Un paragraphe de cette page n'est pas encore traduit et "
            "reste en anglais."
        ),
        "download": "Télécharger ce notebook (.ipynb)",
        "download_rest": (
            "pour l'exécuter dans JupyterLab avec le paquet `cdatools` du cours (voir "
            "*Commencer ici*)."
        ),
        "quiz": (
            "**Vérifiez vos acquis (questionnaire).** Dans Jupyter, cette cellule affiche le "
            "questionnaire : "
            "choisissez une réponse et appuyez sur **Vérifier** pour voir pourquoi elle est "
            "juste ou fausse. Voici ses questions ; les réponses sont repliées plus bas."
        ),
        "answers": "Réponses",
        "cover": (
            "Un cours pour les agents de développement de clusters (ADC), imprimé depuis le "
            "site du cours."
        ),
        "printed": "Imprimé le {date}",
        "contents": "Table des matières",
        "switch": "Langue",
        "switch_label": "Langue :",
        "missing": "page pas encore traduite : accueil en français",
    },
    "es": {
        "title": "Gobernanza de clústeres, confianza y papel del ADC",
        "author": "El equipo del curso para ADC",
        "footer": (
            "Hecho para usarse sin conexión: este sitio no pide nada a ningún otro servidor."
        ),
        "intro": (
            "Este es el curso en español, en forma de sitio web: cada cuaderno se ha "
            "ejecutado, así que sus figuras y tablas se ven. El sitio funciona sin conexión a "
            "internet, también abierto desde una memoria USB. El curso en español está "
            "también en un solo archivo para imprimir, "
            '<a href="course.pdf">course.pdf</a> (<code>make book</code> lo genera junto con '
            "el sitio).\n\n"
            "Para usar las herramientas de planificación y los cuestionarios interactivos, "
            "descargue un cuaderno (cada página tiene un enlace) y ejecútelo en JupyterLab con "
            "el curso instalado (`make lab LANG=es`).\n\n"
            "Arriba en cada página, la elección del idioma lleva a la misma página en inglés o "
            "en francés."
        ),
        "partial": (
            "La traducción avanza por partes: un cuaderno aún no traducido aparece abajo con "
            "un enlace a su versión en inglés, marcada «en inglés»."
        ),
        "contents_heading": "Los cuadernos del curso",
        "in_english": "en inglés",
        "untranslated": (
            "**Traducción en curso.** {n} párrafos de esta página aún no están traducidos "
            "y siguen en inglés."
        ),
        "untranslated_one": (
            "**Traducción en curso.** Un párrafo de esta página aún no está traducido y sigue "
            "en inglés."
        ),
        "download": "Descargar este cuaderno (.ipynb)",
        "download_rest": (
            "para ejecutarlo en JupyterLab con el paquete `cdatools` del curso (vea "
            "*Empiece aquí*)."
        ),
        "quiz": (
            "**Compruebe lo aprendido (cuestionario).** En Jupyter esta celda muestra el "
            "cuestionario: elija una respuesta y pulse **Comprobar** para ver por qué es "
            "correcta o no. Aquí están sus preguntas; las respuestas están plegadas abajo."
        ),
        "answers": "Respuestas",
        "cover": (
            "Un curso para agentes de desarrollo de clústeres (ADC), impreso desde el sitio "
            "del curso."
        ),
        "printed": "Impreso el {date}",
        "contents": "Índice",
        "switch": "Idioma",
        "switch_label": "Idioma:",
        "missing": "página aún no traducida: inicio en español",
    },
}
MONTHS = {
    "fr": "janvier février mars avril mai juin juillet août septembre octobre novembre "
    "décembre".split(),
    "es": "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre "
    "diciembre".split(),
}
# The first line of a figure's caption cell: **Figure.** (the course's form; the French
# edition's too), **Figura.** (the Spanish edition's), and the older *Figure 1.* form.
CAPTION = re.compile(r"^\s*(\*\*Figur[ea]\.\*\*|\*\*Figure \d+\.\*\*|\*Figure \d+\.)")
QUIZ_CALL = re.compile(
    r"""Quiz\(\s*["']([^"']+\.json)["']\s*(?:,\s*check\s*=\s*["']([^"']+)["'])?"""
)
ANCHOR = re.compile(r"""^<a (?:id|name)=["']([\w-]+)["']>\s*</a>[ \t]*\n""", re.M)
TABLE_LINK = re.compile(r"^\|\s*\[`?([^`\]]+)`?\]\(([^)]+\.ipynb)\)")


class BookError(Exception):
    """A problem that stops the build; the message says what to fix."""


# ----------------------------------------------------------------------------- order
def course_order(readme: Path = COURSE / "README.md") -> list[str]:
    """The notebooks of the course table in ``course/README.md``, in its order.

    Parameters
    ----------
    readme : pathlib.Path
        The course README; its table rows start with a link to a notebook.

    Returns
    -------
    list of str
        Paths relative to ``course/``, such as ``"cases/01-senegal.ipynb"``.

    Raises
    ------
    BookError
        If the README has no such table, or the table names a missing notebook.
    """
    if not readme.exists():
        raise BookError(f"{readme} is missing: it gives the course's order")
    order: list[str] = []
    for number, line in enumerate(readme.read_text(encoding="utf-8").splitlines(), 1):
        found = TABLE_LINK.match(line)
        if not found:
            continue
        target = found.group(2).strip()
        if not (readme.parent / target).is_file():
            raise BookError(
                f"{readme}, line {number}: the course table names {target!r}, "
                f"which is not a file in {readme.parent}"
            )
        if target not in order:
            order.append(target)
    if not order:
        raise BookError(
            f"{readme} has no course table (rows starting with a link to a notebook, "
            "such as '| [`00-start-here.ipynb`](00-start-here.ipynb) | ... |')"
        )
    return order


def english_file(path: Path, course: Path = COURSE) -> bool:
    """Whether ``path`` (under ``course``) belongs to the English course.

    The editions (``course/fr/``, ``course/es/``: see ``cdatools.notebook_i18n``), the
    translation catalogs (``course/i18n/``) and what a trainee saved (``my-work/``) do not.
    """
    relative = path.relative_to(course)
    if any(part in {"my-work", ".ipynb_checkpoints"} for part in relative.parts):
        return False
    return not is_edition(path, course) and relative.parts[0] not in NOT_ENGLISH


def unlisted_notebooks(order: list[str], course: Path = COURSE) -> list[str]:
    """English course notebooks that the README's table does not list (sorted).

    The French and Spanish editions are not English notebooks: they make books of their own.
    """
    found = []
    for path in sorted(course.rglob("*.ipynb")):
        relative = path.relative_to(course).as_posix()
        if not english_file(path, course):
            continue
        if relative not in order:
            found.append(relative)
    return found


def edition_order(order: list[str], language: str, course: Path = COURSE) -> list[str]:
    """The notebooks of the English ``order`` that the edition in ``language`` has.

    An edition mirrors ``course/`` (``course/fr/cases/01-senegal.ipynb`` translates
    ``course/cases/01-senegal.ipynb``), so its book follows the English order.
    """
    if language == "en":
        return list(order)
    return [relative for relative in order if (course / language / relative).is_file()]


def notebook_title(path: Path) -> str:
    """The first heading of a notebook, without its ``#`` marks (the file name if none)."""
    try:
        cells = json.loads(path.read_text(encoding="utf-8")).get("cells", [])
    except (OSError, ValueError):
        return path.stem
    for cell in cells:
        if cell.get("cell_type") != "markdown":
            continue
        for line in "".join(cell.get("source", "")).splitlines():
            if line.startswith("#"):
                return line.lstrip("#").strip()
    return path.stem


# ----------------------------------------------------------------------------- notebooks
def caption_text(source: str) -> str:
    """A caption cell's text as plain text for an image's ``alt`` attribute."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", source)  # links: keep their words
    text = re.sub(r"[*_`]", "", text)
    text = re.sub(r"^\s*Figur[ea]( \d+)?\.\s*", "", text)
    return " ".join(text.split())


def quiz_markdown(quiz_file: Path, check: str | None = None, language: str = "en") -> str:
    """A quiz's questions as MyST markdown, the answers folded in a dropdown.

    The questions are read with :func:`cdatools.quiz.load_questions`, as the quiz in the
    notebook reads them (``check`` names a short in-lesson check); the words around them
    are in the book's ``language``.
    """
    from cdatools.quiz import load_questions

    try:
        questions = load_questions(quiz_file, check) if check else load_questions(quiz_file)
    except (ValueError, OSError) as error:
        raise BookError(f"{quiz_file}: cannot show the quiz: {error}") from error
    letters = "abcdefghijklmnopqrstuvwxyz"
    lines = [TEXT[language]["quiz"], ""]
    answers = []
    for number, question in enumerate(questions, 1):
        lines += [f"{number}. {question.prompt}", ""]
        lines += [f"   {letters[i]}. {option}" for i, option in enumerate(question.options)]
        lines.append("")
        correct = question.correct
        correct = sorted([correct] if isinstance(correct, int) else correct)
        explained = "; ".join(f"{letters[i]}: {question.explanations[i]}" for i in correct)
        answers.append(f"{number}. {explained}")
    lines += [f":::{{dropdown}} {TEXT[language]['answers']}", "", *answers, "", ":::"]
    return "\n".join(lines)


@functools.cache
def library_fingerprint() -> str:
    """A hash of the course library, its data and the book helpers (a change reruns notebooks).

    The execution cache knows only a notebook's code; the figures also depend on
    ``cdatools`` (not its grading and hub parts) and its data, so this hash goes into each
    notebook's hidden first cell.
    """
    import hashlib

    digest = hashlib.sha256()
    # The grading and hub parts of cdatools, and its command line, do not shape any page.
    unused = {"grading", "hub", "cli.py", "__main__.py", "nbgrader_fixes.py", "__pycache__"}
    files = [
        *sorted(
            p for p in (ROOT / "cdatools").rglob("*") if not unused & set(p.relative_to(ROOT).parts)
        ),
        *sorted((ROOT / "datasets").rglob("*")),
        BOOK / "widget_pictures.py",
    ]
    for path in files:
        if path.is_file():
            digest.update(path.relative_to(ROOT).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def relink(
    text: str,
    documents: list[str],
    here: str = "",
    language: str = "en",
    pages: set[str] | frozenset[str] = frozenset(),
) -> str:
    """Keep links to web pages and to the book's notebooks; other links keep their words only.

    Links to files that are not part of the book (a README, a folder) would lead nowhere
    on the website. A link to a notebook of another language's book (the English start
    page's link to ``fr/00-start-here.ipynb``; a French page's link to an English lesson
    not translated yet, ``../02-governance-system.ipynb``) leads to that page of the other
    site, which lies where the notebook lies in ``course/``. So does a French page's link
    to a French notebook the French book lacks: it leads to the English page, saying so.

    Parameters
    ----------
    text : str
        Markdown.
    documents : list of str
        The notebooks of this book, relative to its folder (``course/`` or ``course/fr/``).
    here : str
        The notebook the text is in, relative to the same folder.
    language : str
        This book's language (``"en"``, ``"fr"``, ``"es"``).
    pages : set of str
        The notebooks of every book, relative to ``course/`` (``fr/glossary.ipynb``).
    """
    folder = Path(here).parent
    prefix = "" if language == "en" else f"{language}/"

    def replace(found: re.Match[str]) -> str:
        words, target = found.group(1), found.group(2)
        address, _, anchor = target.partition("#")
        if re.match(r"^[a-z]+:", target) or target.startswith("#"):
            return found.group(0)
        resolved = os.path.normpath((folder / address).as_posix()) if address else ""
        if resolved in documents:
            return found.group(0)
        in_course = os.path.normpath(f"{prefix}{(folder / address).as_posix()}")
        if address and prefix and in_course not in pages and resolved in pages:
            in_course = resolved  # this edition lacks the page: the English one
        if address and in_course in pages:
            page = Path(in_course).with_suffix(".html").as_posix()
            start = os.path.dirname(f"{prefix}{here}") or "."
            href = os.path.relpath(page, start) + (f"#{anchor}" if anchor else "")
            note = ""
            if language != "en" and Path(in_course).parts[0] not in EDITIONS:
                note = f" ({TEXT[language]['in_english']})"
            return f'<a href="{html.escape(href, quote=True)}">{words}</a>{note}'
        return words

    return re.sub(r"(?<!!)\[([^\]]+)\]\(([^)\s]+)\)", replace, text)


def prepare_notebook(
    source: Path,
    relative: str,
    documents: list[str] | None = None,
    *,
    language: str = "en",
    pages: set[str] | frozenset[str] = frozenset(),
    course: Path = COURSE,
    shared_anchors: set[str] | frozenset[str] = frozenset(),
) -> nbformat.NotebookNode:
    """Return the book's copy of one notebook (see the module docstring, step 2).

    For a French or Spanish edition (``language``), the words the book adds are in that
    language, the notebook's code runs with cdatools speaking it, a quiz file the edition
    lacks is read from the English course, and a page with paragraphs still in English
    says how many.
    """
    try:
        notebook = nbformat.read(source, as_version=4)
    except Exception as error:  # nbformat raises several kinds for a broken file
        raise BookError(f"{source} is not a readable notebook: {error}") from error
    notebook = copy.deepcopy(notebook)
    cells = notebook.cells
    prepared = []
    for index, cell in enumerate(cells):
        if cell.get("id") == SWITCH_CELL:
            continue  # the site has its own language switch (see add_language_switches)
        cell.pop("id", None)
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
        if cell.cell_type == "markdown":
            # An HTML anchor (<a id="broker"></a>) becomes a MyST target, so links such as
            # glossary.ipynb#broker resolve on the website too. An id that other notebooks
            # of the book use too (an edition keeps each translated heading's English
            # anchor: "key-points" in every lesson) stays an HTML anchor: MyST targets are
            # one namespace for the whole book, and links to the id still land on it.
            cell.source = ANCHOR.sub(
                lambda m: (
                    f"{m.group(0)}\n" if m.group(1) in shared_anchors else f"({m.group(1)})=\n"
                ),
                cell.source,
            )
        if cell.cell_type == "markdown" and documents is not None:
            cell.source = relink(cell.source, documents, relative, language, pages)
        prepared.append(cell)
        if cell.cell_type == "markdown" and CAPTION.match(cell.source):
            figure = cells[index - 1] if index > 0 else None
            if figure is None or figure.cell_type != "code":
                raise BookError(
                    f"{source}, cell {index + 1}: a figure caption must follow the code cell "
                    "that draws the figure"
                )
            alt = caption_text(cell.source)
            figure.metadata.setdefault("mystnb", {})["image"] = {"alt": alt}
        if cell.cell_type == "code":
            quiz = QUIZ_CALL.search(cell.source)
            if quiz:
                quiz_file = source.parent / quiz.group(1)
                english = (course / relative).parent / quiz.group(1)
                if not quiz_file.is_file() and language != "en" and english.is_file():
                    quiz_file = english  # not translated yet: the English questions
                if not quiz_file.is_file():
                    raise BookError(f"{source}, cell {index + 1}: quiz file {quiz_file} is missing")
                tags = cell.metadata.setdefault("tags", [])
                if "remove-output" not in tags:
                    tags.append("remove-output")
                text = quiz_markdown(quiz_file, quiz.group(2), language)
                prepared.append(nbformat.v4.new_markdown_cell(text))
    if not any(cell.cell_type == "code" for cell in cells):
        # Nothing to run (the glossary): no kernel, no hidden cell.
        notebook.metadata["mystnb"] = {"execution_mode": "off"}
        notebook.cells = [*prepared[:1], *_added_cells(notebook, relative, language), *prepared[1:]]
        for cell in notebook.cells:
            cell.pop("id", None)
        notebook.nbformat_minor = 4
        return notebook
    register = "" if language == "en" else repr(language)
    pictures = nbformat.v4.new_code_cell(
        f"# cdatools {library_fingerprint()}\nimport sys\n\nsys.path.insert(0, {str(BOOK)!r})\n"
        f"import widget_pictures\n\nwidget_pictures.register({register})"
    )
    pictures.metadata["tags"] = ["remove-cell"]
    added = _added_cells(notebook, relative, language)
    notebook.cells = [*prepared[:1], *added, pictures, *prepared[1:]]
    for cell in notebook.cells:
        cell.pop("id", None)
    notebook.nbformat_minor = 4
    return notebook


def _added_cells(
    notebook: nbformat.NotebookNode, relative: str, language: str
) -> list[nbformat.NotebookNode]:
    """The cells the book adds after a page's title: the download link, and in an edition
    a note counting the paragraphs still in English."""
    words = TEXT[language]
    download = nbformat.v4.new_markdown_cell(
        f"{{download}}`{words['download']} </_notebooks/{relative}>` {words['download_rest']}"
    )
    added = [download]
    left = notebook.metadata.get("cdatools", {}).get("untranslated_paragraphs", 0)
    if language != "en" and isinstance(left, int) and left > 0:
        note = words["untranslated_one" if left == 1 else "untranslated"].format(n=left)
        added.append(nbformat.v4.new_markdown_cell(note))
    return added


def write_if_changed(target: Path, text: str | bytes) -> bool:
    """Write ``target`` only when its content changes, so Sphinx rereads only what changed."""
    data = text.encode("utf-8") if isinstance(text, str) else text
    if target.exists() and target.read_bytes() == data:
        return False
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    return True


def index_markdown(
    readme: Path, order: list[str], pages: set[str] | frozenset[str] = frozenset()
) -> str:
    """The English site's home page: the course README's introduction and table."""
    text = readme.read_text(encoding="utf-8")
    text = text.split("\n## Coverage of the module", 1)[0]
    body = text.split("\n", 1)[1] if text.startswith("# ") else text

    body = relink(body, order, "", "en", pages)
    editions = [
        f'<a href="{language}/index.html" hreflang="{language}" lang="{language}">'
        f"{TEXT[language]['title']}</a>"
        for language in EDITIONS
        if f"{language}/index" in pages
    ]
    also = ""
    if editions:
        also = (
            "The course in French and Spanish (the language switch at the top of each page "
            "leads there too): " + "; ".join(editions) + ".\n\n"
        )
    return f"# {TITLE}\n\n{TEXT['en']['intro']}\n\n{also}{body.strip()}\n"


def readme_introduction(readme: Path, english: Path) -> str:
    """A translated course README's text from after its title to its module coverage.

    The English home page shows ``course/README.md`` up to "## Coverage of the module";
    a translation is cut before the same section (counted among its ``##`` headings, with
    the anchor a translator may have put before it), and loses what precedes its title
    (the file's own links to its other languages).
    """
    headings = re.findall(r"^## (.*)$", english.read_text(encoding="utf-8"), re.M)
    position = (
        headings.index("Coverage of the module") if "Coverage of the module" in headings else None
    )
    lines = readme.read_text(encoding="utf-8").splitlines()
    title = next((i for i, line in enumerate(lines) if line.startswith("# ")), -1)
    lines = lines[title + 1 :]
    seen = 0
    for index, line in enumerate(lines):
        if line.startswith("## "):
            if seen == position:
                lines = lines[:index]
                break
            seen += 1
    while lines and (not lines[-1].strip() or ANCHOR.match(lines[-1] + "\n")):
        lines.pop()
    return "\n".join(lines) + "\n"


def edition_index_markdown(
    language: str,
    english: list[str],
    order: list[str],
    course: Path = COURSE,
    pages: set[str] | frozenset[str] = frozenset(),
) -> str:
    """An edition's home page, in its language: what the site is, and every notebook.

    The notebooks are listed in the English course's order; one the edition does not
    have yet leads to the English page and says it is in English.
    """
    words = TEXT[language]
    intro = words["intro"]
    if len(order) < len(english):
        intro += "\n\n" + words["partial"]
    readme = course / language / "README.md"
    if readme.is_file():  # the course README, translated: its introduction and table
        body = readme_introduction(readme, course / "README.md")
        body = relink(body, order, "", language, pages)
        return f"# {words['title']}\n\n{intro}\n\n{body.strip()}\n"
    lines = [f"# {words['title']}", "", intro, "", f"## {words['contents_heading']}", ""]
    for number, relative in enumerate(english, 1):
        if relative in order:
            title = notebook_title(course / language / relative).replace("]", "\\]")
            lines.append(f"{number}. [{title}]({relative})")
        else:
            title = html.escape(notebook_title(course / relative))
            href = "../" + Path(relative).with_suffix(".html").as_posix()
            lines.append(
                f'{number}. <a href="{href}" hreflang="en" lang="en">{title}</a> '
                f"({words['in_english']})"
            )
    return "\n".join(lines) + "\n"


def toc_yaml(order: list[str]) -> str:
    """A Jupyter Book table of contents with one chapter per notebook, in order."""
    lines = ["format: jb-book", "root: index", "chapters:"]
    lines += [f"  - file: {Path(path).with_suffix('').as_posix()}" for path in order]
    return "\n".join(lines) + "\n"


def config_yaml(cache: Path, language: str = "en") -> str:
    """The Jupyter Book configuration of the book in ``language``."""
    text = (BOOK / "_config.yml").read_text(encoding="utf-8")
    words = TEXT[language]
    for key, value in {
        "@CACHE@": str(cache),
        "@STATIC@": str(BOOK / "static"),
        "@LANGUAGE@": language,
        # JSON strings are YAML strings: quotes and apostrophes need no more care.
        "@TITLE@": json.dumps(words["title"], ensure_ascii=False),
        "@AUTHOR@": json.dumps(words["author"], ensure_ascii=False),
        "@FOOTER@": json.dumps(words["footer"], ensure_ascii=False),
    }.items():
        text = text.replace(key, value)
    return text


def shared_anchors(notebooks: list[Path]) -> set[str]:
    """The ``<a id>`` anchors that more than one of ``notebooks`` (or one, twice) has."""
    seen: dict[str, int] = {}
    for path in notebooks:
        try:
            cells = json.loads(path.read_text(encoding="utf-8")).get("cells", [])
        except (OSError, ValueError):
            continue  # prepare_notebook names the broken file
        for cell in cells:
            if cell.get("cell_type") == "markdown":
                for found in ANCHOR.finditer("".join(cell.get("source", ""))):
                    seen[found.group(1)] = seen.get(found.group(1), 0) + 1
    return {anchor for anchor, count in seen.items() if count > 1}


def english_order(course: Path = COURSE, warn: bool = True) -> list[str]:
    """The English book's notebooks: the README's table, then any it does not list."""
    order = course_order(course / "README.md")
    extra = unlisted_notebooks(order, course)
    if extra and warn:
        print(
            "book: course/README.md's table does not list "
            + ", ".join(extra)
            + "; they are added at the end of the book",
            file=sys.stderr,
        )
    return order + extra


def book_orders(course: Path = COURSE, warn: bool = True) -> dict[str, list[str]]:
    """Each book's notebooks in order, by language; an edition with none has no book."""
    english = english_order(course, warn)
    orders = {"en": english}
    for language in EDITIONS:
        order = edition_order(english, language, course)
        if order:
            orders[language] = order
    return orders


def all_pages(orders: dict[str, list[str]]) -> set[str]:
    """Every book's notebooks and home pages, relative to ``course/`` (``fr/glossary.ipynb``)."""
    found = set()
    for language, order in orders.items():
        prefix = "" if language == "en" else f"{language}/"
        found.update(f"{prefix}{relative}" for relative in order)
        found.add(f"{prefix}index")
    return found


def prepare_sources(
    src: Path,
    cache: Path,
    course: Path = COURSE,
    language: str = "en",
    orders: dict[str, list[str]] | None = None,
) -> list[str]:
    """Write the book's sources into ``src`` and return the course order used.

    ``language`` chooses the book: the English course (``course/``) or an edition
    (``course/fr/``); ``orders`` are every book's notebooks (:func:`book_orders`).
    """
    if orders is None:
        orders = book_orders(course, warn=language == "en")
    english = orders["en"]
    order = orders.get(language, [])
    pages = all_pages(orders)
    root = course if language == "en" else course / language
    wanted = {"_config.yml", "_toc.yml", "index.md"}
    write_if_changed(src / "_config.yml", config_yaml(cache, language))
    write_if_changed(src / "_toc.yml", toc_yaml(order))
    if language == "en":
        index = index_markdown(course / "README.md", order, pages)
    else:
        index = edition_index_markdown(language, english, order, course, pages)
    write_if_changed(src / "index.md", index)
    shared = shared_anchors([root / relative for relative in order])
    for relative in order:
        notebook = prepare_notebook(
            root / relative,
            relative,
            order,
            language=language,
            pages=pages,
            course=course,
            shared_anchors=shared,
        )
        write_if_changed(src / relative, nbformat.writes(notebook) + "\n")
        write_if_changed(src / "_notebooks" / relative, (root / relative).read_bytes())
        wanted.update({relative, f"_notebooks/{relative}"})
    # Data files the notebooks read (quizzes), and nothing a trainee saved: the English
    # course's, and over them an edition's own (its translated quizzes).
    data: dict[str, Path] = {}
    for path in sorted(course.rglob("*")):
        if path.is_file() and path.suffix in {".json", ".csv"} and english_file(path, course):
            data[path.relative_to(course).as_posix()] = path
    if language != "en":
        for path in sorted(root.rglob("*")):
            if path.is_file() and path.suffix in {".json", ".csv"} and "my-work" not in path.parts:
                data[path.relative_to(root).as_posix()] = path
    for relative, path in data.items():
        write_if_changed(src / relative, path.read_bytes())
        wanted.add(relative)
    for path in sorted(src.rglob("*"), reverse=True):
        relative = path.relative_to(src).as_posix()
        if path.is_file() and relative not in wanted:
            path.unlink()
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()
    return order


# ----------------------------------------------------------------------------- site
def run_jupyter_book(src: Path, out: Path, language: str = "en") -> None:
    jb = Path(sys.executable).with_name("jupyter-book")
    if not jb.exists():
        raise BookError(
            f"{jb} is missing: install the book tools with pip install -e '.[book]' "
            "(make book does it)"
        )
    env = dict(os.environ)
    env["MPLBACKEND"] = "module://matplotlib_inline.backend_inline"
    # Widgets start from their default plan, whatever a trainee saved on this machine.
    env["CDATOOLS_WORK_DIR"] = str(out / "widget-work")
    # cdatools speaks the book's language (the hidden first cell of each page says so too).
    env["CDATOOLS_LANGUAGE"] = language
    shutil.rmtree(out / "widget-work", ignore_errors=True)
    shutil.rmtree(out / "_build" / "html" / "reports", ignore_errors=True)
    command = [str(jb), "build", str(src), "--path-output", str(out), "--keep-going"]
    result = subprocess.run(command, env=env, text=True, capture_output=True, check=False)
    log = out / "jupyter-book.log"
    log.write_text(result.stdout + result.stderr, encoding="utf-8")
    reports = sorted((out / "_build" / "html" / "reports").rglob("*.err.log"))
    if result.returncode != 0 or reports:
        # Sphinx would not read an unchanged page again: forget them all, so the next
        # build runs the failed notebooks again (the cache keeps the ones that worked).
        shutil.rmtree(out / "_build" / ".doctrees", ignore_errors=True)
        detail = "\n".join(r.read_text(errors="replace")[-3000:] for r in reports)
        raise BookError(
            f"jupyter-book failed (exit {result.returncode}); see {log}\n"
            + (result.stdout + result.stderr)[-3000:]
            + detail
        )
    # MyST says "local id not found" for every link to an <a id> anchor (it knows only
    # headings), and links to it all the same; broken_links() checks those links instead.
    warnings = [
        line
        for line in result.stderr.splitlines()
        if "WARNING:" in line and "IPKernelApp" not in line and "local id not found" not in line
    ]
    for line in warnings:
        print(f"book: {line}", file=sys.stderr)


THEBE = re.compile(
    r'<script>const THEBE_JS_URL = "[^"]*";[^<]*</script>\s*'
    r'|<script[^>]*src="[^"]*sphinx-thebe\.js[^"]*"[^>]*></script>\s*'
)


def copy_site(html_dir: Path, site: Path) -> None:
    """Copy the built site, without the Thebe loader Jupyter Book adds to every page.

    Thebe would fetch its code from a CDN when a reader starts it; the course has no
    launch buttons, so the loader and the address are removed.
    """
    if site.exists():
        shutil.rmtree(site)
    shutil.copytree(
        html_dir,
        site,
        ignore=shutil.ignore_patterns(".buildinfo", "reports"),
    )
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        cleaned = THEBE.sub("", text)
        if cleaned != text:
            page.write_text(cleaned, encoding="utf-8")


def broken_links(site: Path) -> list[str]:
    """Links and images of the site's pages that lead to no file, or to no such anchor.

    Links to other hosts are not followed (the site asks none for anything). Returns one
    line per problem, such as ``fr/index.html: ../gone.html (no such file)``.
    """
    import urllib.parse

    ids: dict[Path, set[str]] = {}
    problems = []
    for page in sorted(site.rglob("*.html")):
        if {"_static", "_sources"} & set(page.relative_to(site).parts):
            continue  # the theme's templates
        text = re.sub(r"<script\b.*?</script>", "", page.read_text(encoding="utf-8"), flags=re.S)
        for value in re.findall(r'\b(?:href|src)="([^"]*)"', text):
            value = html.unescape(value)
            if not value or re.match(r"^(?:[a-z][a-z0-9+.-]*:|//)", value, re.I):
                continue
            address, _, anchor = value.partition("#")
            address = address.split("?", 1)[0]
            target = (page.parent / urllib.parse.unquote(address)).resolve() if address else page
            where = f"{page.relative_to(site).as_posix()}: {value}"
            if not target.is_relative_to(site.resolve()) or not target.exists():
                problems.append(f"{where} (no such file)")
                continue
            if anchor and target.suffix == ".html":
                if target not in ids:
                    found = re.findall(
                        r'\b(?:id|name)="([^"]+)"', target.read_text(encoding="utf-8")
                    )
                    ids[target] = set(found)
                if anchor not in ids[target]:
                    problems.append(f"{where} (no such anchor)")
    return problems


SWITCH_BEFORE = ('<article class="bd-article">', '<div class="bd-search-container">')


def site_root(site: Path, language: str) -> Path:
    """Where the book in ``language`` lies in the site (``build/site/``, ``build/site/fr/``)."""
    return site if language == "en" else site / language


def site_pages(site: Path, language: str) -> set[str]:
    """The HTML pages of the book in ``language``, relative to its folder in the site."""
    root = site_root(site, language)
    found = set()
    for page in root.rglob("*.html"):
        relative = page.relative_to(root)
        if language == "en" and relative.parts[0] in EDITIONS:
            continue
        if relative.parts[0].startswith("_"):
            continue
        found.add(relative.as_posix())
    return found


def switch_html(language: str, relative: str, site: Path, pages: dict[str, set[str]]) -> str:
    """The language switch of one page: links to the same page in the other languages.

    Where a language has no such page (not translated yet), its link leads to that
    language's home page and says so, in that language.
    """
    here = site_root(site, language) / relative
    items = []
    for other in pages:
        name = LANGUAGE_NAMES[other]
        if other == language:
            items.append(f'<li><span aria-current="page" lang="{other}">{name}</span></li>')
            continue
        found = relative in pages[other]
        target = site_root(site, other) / (relative if found else "index.html")
        href = html.escape(os.path.relpath(target, here.parent).replace(os.sep, "/"), quote=True)
        note = (
            "" if found else f' <span class="cda-language-note">({TEXT[other]["missing"]})</span>'
        )
        items.append(
            f'<li><a href="{href}" hreflang="{other}" lang="{other}">{name}{note}</a></li>'
        )
    words = TEXT[language]
    return (
        f'<nav class="cda-language-switch" aria-label="{html.escape(words["switch"])}">'
        f'<span class="cda-language-label">{html.escape(words["switch_label"])}</span>'
        f"<ul>{''.join(items)}</ul></nav>\n"
    )


def add_language_switches(site: Path, languages: list[str]) -> int:
    """Put the language switch at the top of every page of every book; return how many.

    It is added to the built pages, not to the notebooks, so a new translation changes
    no English page's source (Sphinx does not read the English pages again).
    """
    pages = {language: site_pages(site, language) for language in languages}
    count = 0
    for language in languages:
        for relative in sorted(pages[language]):
            page = site_root(site, language) / relative
            text = page.read_text(encoding="utf-8")
            marker = next((m for m in SWITCH_BEFORE if m in text), None)
            if marker is None:
                continue
            nav = switch_html(language, relative, site, pages)
            page.write_text(text.replace(marker, nav + marker, 1), encoding="utf-8")
            count += 1
    return count


# ----------------------------------------------------------------------------- PDF
@dataclass
class Chapter:
    """One page of the site, ready for printing."""

    path: str  # the page's HTML path in the site, such as "cases/01-senegal.html"
    title: str
    anchor: str
    body: str


ARTICLE = re.compile(r'<article class="bd-article">(.*?)</article>', re.S)
H1 = re.compile(r"<h1[^>]*>(.*?)</h1>", re.S)


def chapters(site: Path, order: list[str]) -> list[Chapter]:
    """The main text of each page of the site, in the course's order."""
    found = []
    for number, relative in enumerate(order, 1):
        page = site / Path(relative).with_suffix(".html")
        text = page.read_text(encoding="utf-8")
        article = ARTICLE.search(text)
        if article is None:
            raise BookError(f"{page} has no <article class='bd-article'>: cannot print it")
        body = article.group(1)
        heading = H1.search(body)
        title = re.sub(r"<[^>]+>", "", heading.group(1)).replace("#", "").strip() if heading else ""
        base = Path(relative).parent.as_posix()
        body = _rebase(body, base)
        found.append(Chapter(relative, html.unescape(title), f"chapter-{number}", body))
    return found


def _rebase(body: str, base: str) -> str:
    """Make a page's relative links and images work from the site's root folder."""
    body = re.sub(r'<a class="headerlink"[^>]*>.*?</a>', "", body, flags=re.S)
    body = re.sub(r'<button[^>]*class="[^"]*copybtn[^"]*".*?</button>', "", body, flags=re.S)
    if base in {"", "."}:
        return body

    def fix(found: re.Match[str]) -> str:
        attribute, value = found.group(1), found.group(2)
        if re.match(r"^(?:[a-z]+:|#|/)", value):
            return found.group(0)
        return f'{attribute}="{base}/{value}"'

    return re.sub(r'\b(src|href)="([^"]*)"', fix, body)


PRINT_CSS = """
@page { size: A4; margin: 18mm 16mm 20mm 16mm; }
body { font-family: "DejaVu Serif", Georgia, serif; font-size: 10.5pt; line-height: 1.4;
       color: #000; }
h1, h2, h3, h4 { font-family: "DejaVu Sans", Arial, sans-serif; break-after: avoid; }
h1 { font-size: 20pt; } h2 { font-size: 14pt; } h3 { font-size: 12pt; }
section.chapter { break-before: page; }
pre, code { font-family: "DejaVu Sans Mono", monospace; font-size: 8.5pt; }
pre { white-space: pre-wrap; background: #f3f3f3; padding: 4pt; border-left: 2pt solid #888; }
img { max-width: 100%; height: auto; break-inside: avoid; }
table { border-collapse: collapse; font-size: 8.5pt; margin: 4pt 0; }
th, td { border: 0.5pt solid #999; padding: 2pt 4pt; }
.cell_output, .output { break-inside: avoid; }
details > summary { font-weight: bold; }
a { color: #000; text-decoration: none; }
.cover { text-align: center; padding-top: 70mm; }
.cover h1 { font-size: 26pt; }
nav.toc ol { list-style: none; padding-left: 0; }
nav.toc li { display: flex; margin: 4pt 0; font-size: 12pt; }
nav.toc li .title { flex: 1; }
nav.toc li .dots { flex: 1 1 auto; border-bottom: 1pt dotted #000; margin: 0 4pt 4pt; }
.toggle-hidden, .dropdown-hidden, button, .sd-summary-up, .sd-summary-down { display: none; }
"""


def printed_on(language: str, when: time.struct_time | None = None) -> str:
    """Today's date as the book's language writes it (1 December 2026, 1er décembre 2026)."""
    when = when or time.localtime()
    if language == "en":
        return f"{when.tm_mday} {time.strftime('%B', when)} {when.tm_year}"
    day = "1er" if language == "fr" and when.tm_mday == 1 else str(when.tm_mday)
    month = MONTHS[language][when.tm_mon - 1]
    return (
        f"{day} {month} {when.tm_year}"
        if language == "fr"
        else f"{day} de {month} de {when.tm_year}"
    )


def print_html(
    parts: list[Chapter], pages: dict[str, int] | None = None, language: str = "en"
) -> str:
    """The whole course as one HTML document for printing, in the book's ``language``."""
    words = TEXT[language]
    rows = []
    for chapter in parts:
        number = str(pages.get(chapter.anchor, "")) if pages else "0"
        rows.append(
            f'<li><a class="title" href="#{chapter.anchor}">{html.escape(chapter.title)}</a>'
            f'<span class="dots"></span><span class="page">{number}</span></li>'
        )
    sections = [
        f'<section class="chapter" id="{c.anchor}" aria-label="{html.escape(c.title)}">'
        f"{c.body}</section>"
        for c in parts
    ]
    title = html.escape(words["title"])
    printed = html.escape(words["printed"].format(date=printed_on(language)))
    return (
        f'<!DOCTYPE html><html lang="{language}"><head><meta charset="utf-8">'
        f"<title>{title}</title><style>{PRINT_CSS}</style></head><body>"
        f'<div class="cover"><h1>{title}</h1>'
        f"<p>{html.escape(words['cover'])}</p>"
        f"<p>{printed}</p></div>"
        f'<section class="chapter" id="contents"><h1>{html.escape(words["contents"])}</h1>'
        '<nav class="toc"><ol>'
        + "".join(rows)
        + "</ol></nav></section>"
        + "".join(sections)
        + "</body></html>"
    )


def _print_pdf(page, source: Path, target: Path) -> None:
    print_pdf(page, source, target)  # A4, page numbers in the footer, bookmarks


def chapter_pages(pdf: Path, parts: list[Chapter]) -> dict[str, int]:
    """On which page of ``pdf`` each chapter starts (1-based), read from its bookmarks."""
    from pypdf import PdfReader

    reader = PdfReader(str(pdf))
    found: dict[str, int] = {}
    # Chromium drops the space where a long heading wraps: compare without spaces.
    titles = {"".join(c.title.split()): c.anchor for c in parts}

    def walk(items) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item)
                continue
            title = "".join(str(item.title).split())
            if title in titles and titles[title] not in found:
                found[titles[title]] = reader.get_destination_page_number(item) + 1

    walk(reader.outline)
    missing = [c.title for c in parts if c.anchor not in found]
    if missing:
        raise BookError(f"the printed PDF has no bookmark for: {', '.join(missing)}")
    return found


def build_pdf(
    site: Path,
    order: list[str],
    target: Path,
    state: Path | None = None,
    language: str = "en",
    browser: Callable[[], Any] | None = None,
) -> int:
    """Print the site's pages to one PDF with a table of contents and page numbers.

    The contents need each chapter's first page, which only printing tells. The first
    print uses the pages of the last build (kept in ``state``); when a chapter moved, a
    second print puts the new numbers in. When nothing that is printed changed, the PDF
    of the last build is kept. Returns how many times it printed (0, 1 or 2).
    ``browser``, when given, returns the Chromium page to print with (the books in three
    languages share one browser); otherwise one is started.
    """
    if not CHROMIUM.exists():
        raise BookError(
            f"the website is built, but printing the PDF needs chromium at {CHROMIUM} "
            "(Debian: apt-get install chromium; or set CDATOOLS_CHROMIUM to a Chromium or "
            "Chrome program). To build the website only: python book/build.py --no-pdf"
        )
    import hashlib

    parts = chapters(site, order)
    last: dict = {}
    if state is not None and state.exists():
        try:
            last = json.loads(state.read_text(encoding="utf-8"))
        except ValueError:
            last = {}
    guess = last.get("pages") or None
    if guess is not None and set(guess) != {c.anchor for c in parts}:
        guess = None
    text = print_html(parts, guess, language)
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    if target.exists() and last.get("html") == digest:
        return 0
    source = site / "_print.html"
    prints = 0
    try:
        with contextlib.ExitStack() as stack:
            page = browser() if browser else stack.enter_context(chromium_page())
            source.write_text(text, encoding="utf-8")
            _print_pdf(page, source, target)
            prints = 1
            pages = chapter_pages(target, parts)
            if pages != guess:
                text = print_html(parts, pages, language)
                digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
                source.write_text(text, encoding="utf-8")
                _print_pdf(page, source, target)
                prints = 2
    finally:
        source.unlink(missing_ok=True)
    if state is not None:
        state.write_text(json.dumps({"pages": pages, "html": digest}), encoding="utf-8")
    return prints


# ----------------------------------------------------------------------------- main
def pdf_name(language: str) -> str:
    """The printed book's file name in ``build/``: course.pdf, course-fr.pdf, course-es.pdf."""
    return "course.pdf" if language == "en" else f"course-{language}.pdf"


def build(build_dir: Path = BUILD, pdf: bool = True, course: Path = COURSE) -> dict[str, float]:
    """Build the sites (and the PDFs) from ``course``; return how many seconds each step took.

    The English book is built from ``course/`` into ``build_dir/book/`` and
    ``build_dir/site/``; each edition that has notebooks (``course/fr/``, ``course/es/``)
    into ``build_dir/book-<language>/`` and ``build_dir/site/<language>/``, each with its
    own execution cache (the pages' outputs are in their language). The timings have a
    total per step (``prepare``, ``site``, ``pdf``) and one per language (``site fr``).
    """
    timings: dict[str, float] = {"prepare": 0.0, "site": 0.0}
    site = build_dir / "site"
    start = time.perf_counter()
    orders = book_orders(course)
    languages = list(orders)
    for language in LANGUAGES:
        if language not in orders:
            print(
                f"book: course/{language}/ has no notebook yet: no {language} book", file=sys.stderr
            )
    outs = {
        language: build_dir / ("book" if language == "en" else f"book-{language}")
        for language in languages
    }
    for language in languages:
        out = outs[language]
        prepare_sources(out / "src", out / ".jupyter_cache", course, language, orders)
    timings["prepare"] = time.perf_counter() - start
    for language in languages:
        start = time.perf_counter()
        run_jupyter_book(outs[language] / "src", outs[language], language)
        timings[f"site {language}"] = time.perf_counter() - start
    start = time.perf_counter()
    for language in languages:
        copy_site(outs[language] / "_build" / "html", site_root(site, language))
    add_language_switches(site, languages)
    timings["site"] = time.perf_counter() - start + sum(timings[f"site {x}"] for x in languages)
    if pdf:
        timings["pdf"] = 0.0
        with contextlib.ExitStack() as stack:
            opened: list[Any] = []

            def browser() -> Any:  # one Chromium for the three books, started when needed
                if not opened:
                    opened.append(stack.enter_context(chromium_page()))
                return opened[0]

            for language in languages:
                start = time.perf_counter()
                root = site_root(site, language)
                target = build_dir / pdf_name(language)
                state = outs[language] / "pdf-state.json"
                build_pdf(root, orders[language], target, state, language, browser)
                shutil.copy2(target, root / "course.pdf")
                timings[f"pdf {language}"] = time.perf_counter() - start
                timings["pdf"] += timings[f"pdf {language}"]
    for problem in broken_links(site):  # (without the PDFs, the home pages' link to them)
        print(f"book: broken link: {problem}", file=sys.stderr)
    return timings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--build-dir", type=Path, default=BUILD, help="where to build (default: build/)"
    )
    parser.add_argument("--no-pdf", action="store_true", help="build the websites only")
    args = parser.parse_args(argv)
    try:
        timings = build(args.build_dir.resolve(), pdf=not args.no_pdf)
    except BookError as error:
        print(f"make book: {error}", file=sys.stderr)
        return 1
    for language in LANGUAGES:
        root = site_root(args.build_dir / "site", language)
        if not (root / "index.html").exists():
            continue
        print(f"website ({language}): {root / 'index.html'}")
        if not args.no_pdf:
            print(f"PDF ({language}):     {args.build_dir / pdf_name(language)}")
    print("time: " + ", ".join(f"{step} {seconds:.1f} s" for step, seconds in timings.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
