"""The language of cdatools' messages, labels and figures: English, French or Spanish.

Every trainee-facing string of ``cdatools`` (widget labels and buttons, messages,
summaries, figure labels, the quiz interface, the data loaders' errors) goes through
:func:`gettext`, which looks it up in the catalog of the current language and falls
back to the English text for anything not (yet) translated.

The language is chosen, in this order, by

1. :func:`set_language` (``cdatools.set_language("fr")``), for the rest of the session;
2. the edition of the notebook the kernel runs: the French and Spanish notebooks
   (``course/fr/...``) share the English code cells, so they cannot call
   :func:`set_language`; their metadata says ``"cdatools": {"language": "fr"}`` instead,
   and JupyterLab tells the kernel which notebook it runs (``JPY_SESSION_NAME``);
3. the environment variable ``CDATOOLS_LANGUAGE`` (``make lab LANG=fr`` sets it);
4. the computer's locale: the first of ``LANGUAGE``, ``LC_ALL``, ``LC_MESSAGES`` and
   ``LANG`` that is set, as the standard library's :mod:`gettext` reads them
   (``fr_SN.UTF-8`` gives French, ``es_EC.UTF-8`` Spanish);
5. English.

Strings are translated when they are shown, not when a module is imported, so a
widget built after :func:`set_language` speaks the new language.

The catalogs are ``cdatools/locale/<language>/LC_MESSAGES/cdatools.po`` (text, edited
by translators) and the compiled ``cdatools.mo`` beside them, which the standard
library reads. The ``.mo`` files are committed with the ``.po`` files, so a fresh
clone, ``pip install -e .`` and ``pip install .`` need no build step and no extra
package at run time; ``tests/test_i18n.py`` fails when a ``.mo`` file does not match
its ``.po`` file, and ``python -m cdatools.i18n compile`` rewrites them (with Babel,
a development dependency). ``python -m cdatools.i18n extract`` refreshes the template
``cdatools.pot`` from the source and updates both catalogs (see ``babel.cfg``).

Examples
--------
>>> from cdatools import i18n
>>> previous = i18n.get_language()
>>> i18n.set_language("fr")
'fr'
>>> i18n.gettext("Undo last change")
'Annuler la dernière modification'
>>> i18n.set_language("es")
'es'
>>> i18n.gettext("Undo last change")
'Deshacer el último cambio'
>>> i18n.gettext("A sentence no catalog holds.")
'A sentence no catalog holds.'
>>> i18n.set_language(previous)  # doctest: +ELLIPSIS
'...'
"""

from __future__ import annotations

import contextlib
import functools
import gettext as _gettext
import json
import os
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path

__all__ = [
    "LANGUAGES",
    "UnsupportedLanguageError",
    "get_language",
    "gettext",
    "language_from_environment",
    "ngettext",
    "set_language",
    "speaking",
]

#: The gettext domain: the catalogs are ``<language>/LC_MESSAGES/cdatools.mo``.
DOMAIN = "cdatools"
#: The folder that holds the catalogs.
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
#: The languages offered, by code, with their names in their own language.
LANGUAGES: dict[str, str] = {"en": "English", "fr": "français", "es": "español"}
#: The environment variable that chooses the language before the locale does.
ENV_VAR = "CDATOOLS_LANGUAGE"
#: Where JupyterLab tells a kernel which notebook it runs (jupyter_server 2).
SESSION_VAR = "JPY_SESSION_NAME"
#: The locale variables read, in the standard library's order.
LOCALE_VARS = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")

_current: str | None = None
_catalogs: dict[str, _gettext.NullTranslations] = {}


class UnsupportedLanguageError(ValueError):
    """A language the course does not offer was asked for."""


def _offered() -> str:
    return ", ".join(f"'{code}' ({name})" for code, name in LANGUAGES.items())


def _code(language: str) -> str | None:
    """The offered language a locale name means (``fr_SN.UTF-8`` -> ``fr``), or None."""
    text = language.strip()
    for separator in (".", "@"):
        text = text.split(separator, 1)[0]
    code = text.replace("-", "_").split("_", 1)[0].lower()
    if code in ("c", "posix"):
        return "en"
    return code if code in LANGUAGES else None


@functools.lru_cache(maxsize=16)
def _edition_of(notebook: str) -> str | None:
    """The language a translated notebook's metadata names, or None."""
    try:
        with open(notebook, encoding="utf-8") as handle:
            metadata = json.load(handle).get("metadata", {})
        language = metadata.get("cdatools", {}).get("language")
    except (OSError, ValueError, AttributeError):
        return None
    return language if language in LANGUAGES else None


def language_from_environment(environ: Mapping[str, str] | None = None) -> str:
    """The language the environment asks for, or ``"en"``.

    Parameters
    ----------
    environ : mapping, optional
        The environment to read (default :data:`os.environ`).

    Returns
    -------
    str
        ``"en"``, ``"fr"`` or ``"es"``: the language in the ``cdatools`` metadata of the
        notebook named by ``JPY_SESSION_NAME`` (a translated edition); else
        ``CDATOOLS_LANGUAGE`` when it names an offered language; else the first offered
        language named by ``LANGUAGE`` (a colon-separated list), ``LC_ALL``,
        ``LC_MESSAGES`` or ``LANG``, taking the first of those that is set, as
        :mod:`gettext` does; English otherwise.

    Examples
    --------
    >>> language_from_environment({"LANG": "fr_SN.UTF-8"})
    'fr'
    >>> language_from_environment({"LANGUAGE": "de:es_EC", "LANG": "fr_FR.UTF-8"})
    'es'
    >>> language_from_environment({"LANG": "de_DE.UTF-8"})
    'en'
    """
    env = os.environ if environ is None else environ
    session = env.get(SESSION_VAR, "").strip()
    edition = _edition_of(session) if session.endswith(".ipynb") else None
    if edition is not None:
        return edition
    chosen = env.get(ENV_VAR, "").strip()
    if chosen and _code(chosen) is not None:
        return _code(chosen) or "en"
    for name in LOCALE_VARS:
        value = env.get(name, "").strip()
        if not value:
            continue
        for part in value.split(":"):
            code = _code(part) if part else None
            if code is not None:
                return code
        return "en"
    return "en"


def set_language(language: str) -> str:
    """Show cdatools' messages, labels and figures in ``language`` from now on.

    Widgets and quizzes built afterwards use it; rebuild (re-run the cell of) a widget
    already on the page to see it in the new language.

    Parameters
    ----------
    language : str
        ``"en"``, ``"fr"`` or ``"es"``; a locale name such as ``"fr_SN"``, ``"es-EC"``
        or ``"fr_FR.UTF-8"`` is read as its language.

    Returns
    -------
    str
        The language code now in use.

    Raises
    ------
    UnsupportedLanguageError
        If the language is not one the course offers; the message names it and the
        languages offered. (A subclass of ``ValueError``.)
    """
    global _current
    code = _code(language) if isinstance(language, str) else None
    if code is None:
        raise UnsupportedLanguageError(
            f"cdatools: the language {language!r} is not offered; choose one of {_offered()}"
        )
    _current = code
    return code


@contextlib.contextmanager
def speaking(language: str) -> Iterator[str]:
    """Use ``language`` inside a ``with`` block, then go back to the language before.

    Examples
    --------
    >>> with speaking("es"):
    ...     gettext("Undo last change")
    'Deshacer el último cambio'
    """
    global _current
    before = _current
    try:
        yield set_language(language)
    finally:
        _current = before


def get_language() -> str:
    """The language code in use: ``"en"``, ``"fr"`` or ``"es"``.

    Until :func:`set_language` is called, the environment decides (see
    :func:`language_from_environment`).
    """
    if _current is None:
        return language_from_environment()
    return _current


def _catalog(code: str) -> _gettext.NullTranslations:
    catalog = _catalogs.get(code)
    if catalog is None:
        if code == "en":
            catalog = _gettext.NullTranslations()
        else:
            catalog = _gettext.translation(
                DOMAIN, localedir=str(LOCALE_DIR), languages=[code], fallback=True
            )
        _catalogs[code] = catalog
    return catalog


def gettext(message: str) -> str:
    """``message`` in the current language, or as given when no translation exists."""
    return _catalog(get_language()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural form for ``n``, in the current language."""
    return _catalog(get_language()).ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Mark a string for the catalogs without translating it (translate it when shown)."""
    return message


_ = gettext


# ------------------------------------------------------------------- maintenance
ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = LOCALE_DIR / f"{DOMAIN}.pot"


def po_path(code: str) -> Path:
    """The translators' catalog of a language."""
    return LOCALE_DIR / code / "LC_MESSAGES" / f"{DOMAIN}.po"


def compiled(code: str) -> bytes:
    """The ``.mo`` bytes the ``.po`` file of ``code`` compiles to (needs Babel)."""
    import io

    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po_path(code).open("rb") as handle:
        catalog = read_po(handle, locale=code, domain=DOMAIN)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    return buffer.getvalue()


def compile_catalogs() -> list[Path]:
    """Rewrite every ``.mo`` file from its ``.po`` file; return the files written."""
    written = []
    for code in LANGUAGES:
        if code == "en":
            continue
        target = po_path(code).with_suffix(".mo")
        target.write_bytes(compiled(code))
        written.append(target)
    _catalogs.clear()
    return written


#: Keyword arguments whose text the course's notebooks pass to cdatools' plots; their
#: string values join the catalogs (see :func:`course_strings`).
SHOWN_KEYWORDS = ("title", "xlabel", "ylabel")


def course_strings(course: Path | None = None) -> dict[str, list[str]]:
    """Text the English notebooks pass to cdatools' plots, with the notebooks that pass it.

    A translated notebook's code cells are the English ones, so a figure title written in
    a lesson (``title="Payment delays"``) is English there too. cdatools looks every title
    and axis label up in its catalogs before drawing (:func:`cdatools.plotting.style_axes`),
    so these strings, once translated in the catalogs, show in the edition's language.

    Parameters
    ----------
    course : Path, optional
        The course folder (default: the repository's ``course/``); only its English
        notebooks are read (:func:`cdatools.notebook_i18n.sources`).

    Returns
    -------
    dict of str to list of str
        Each string passed as ``title=``, ``xlabel=`` or ``ylabel=`` in a code cell, and the
        notebooks (relative paths) that pass it.
    """
    import ast
    import json

    from cdatools.notebook_i18n import COURSE, sources

    course = COURSE if course is None else course
    found: dict[str, list[str]] = {}
    for path in sources(course):
        if path.suffix != ".ipynb":
            continue
        notebook = json.loads(path.read_text(encoding="utf-8"))
        for cell in notebook.get("cells", []):
            if cell.get("cell_type") != "code":
                continue
            source = "".join(cell.get("source", []))
            try:
                tree = ast.parse(source)
            except SyntaxError:  # IPython magics or a cell left for the trainee to finish
                continue
            for node in ast.walk(tree):
                if not isinstance(node, ast.Call):
                    continue
                for keyword in node.keywords:
                    value = keyword.value
                    if (
                        keyword.arg in SHOWN_KEYWORDS
                        and isinstance(value, ast.Constant)
                        and isinstance(value.value, str)
                        and value.value.strip()
                    ):
                        where = path.relative_to(course).as_posix()
                        places = found.setdefault(value.value, [])
                        if where not in places:
                            places.append(where)
    return found


def data_strings() -> dict[str, list[str]]:
    """The practice scenario's narrative text (events, conflicts, wants and fears).

    :data:`cdatools.scenario.NARRATIVE` names the columns that
    :mod:`cdatools.scenario`'s loaders show in the trainee's language.

    Returns
    -------
    dict of str to list of str
        Each text, with where it comes from (``<dataset>.csv row <n>, <column>``).
    """
    import csv

    from cdatools.scenario import NARRATIVE

    found: dict[str, list[str]] = {}
    for name, columns in NARRATIVE.items():
        path = ROOT / "datasets" / f"{name}.csv"
        with path.open(encoding="utf-8", newline="") as handle:
            for number, row in enumerate(csv.DictReader(handle), start=2):
                for column in columns:
                    text = row[column]
                    if text.strip():
                        found.setdefault(text, []).append(f"{name}.csv row {number}, {column}")
    return found


def write_template(path: Path) -> Path:
    """Write the catalog template: cdatools' marked strings (Babel) and the course's.

    Parameters
    ----------
    path : Path
        Where to write the ``.pot`` file.

    Returns
    -------
    Path
        ``path``.
    """
    import subprocess

    import polib

    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "--quiet",
            "extract",
            "-F",
            str(ROOT / "babel.cfg"),
            "--no-location",
            "--sort-output",
            "--no-wrap",
            "--project=cdatools",
            "--msgid-bugs-address=https://github.com/",
            "-o",
            str(path),
            str(ROOT / "cdatools"),
        ],
        check=True,
        cwd=ROOT,
    )
    template = polib.pofile(str(path), wrapwidth=0)
    known = {entry.msgid for entry in template}
    for text, notebooks in sorted(course_strings().items()):
        if text not in known:
            comment = "Shown in a figure by course/" + ", course/".join(notebooks)
            template.append(polib.POEntry(msgid=text, msgstr="", comment=comment))
            known.add(text)
    for text, places in sorted(data_strings().items()):
        if text not in known:
            comment = "Lomari (invented scenario), datasets/" + "; ".join(places)
            template.append(polib.POEntry(msgid=text, msgstr="", comment=comment))
            known.add(text)
    template.save(str(path))
    return path


def extract() -> list[Path]:
    """Refresh ``cdatools.pot`` (:func:`write_template`) and update the ``.po`` files (Babel)."""
    import subprocess

    write_template(TEMPLATE)
    paths = []
    for code in LANGUAGES:
        if code == "en":
            continue
        subprocess.run(
            [
                sys.executable,
                "-m",
                "babel.messages.frontend",
                "--quiet",
                "update",
                "--no-wrap",
                "--init-missing",
                "-D",
                DOMAIN,
                "-i",
                str(TEMPLATE),
                "-d",
                str(LOCALE_DIR),
                "-l",
                code,
            ],
            check=True,
        )
        paths.append(po_path(code))
    return paths


def main(argv: list[str] | None = None) -> int:
    """``python -m cdatools.i18n extract|compile``: maintain the catalogs."""
    args = sys.argv[1:] if argv is None else argv
    if args == ["extract"]:
        for path in extract():
            print(f"updated {path.relative_to(ROOT)}")
        return 0
    if args == ["compile"]:
        for path in compile_catalogs():
            print(f"wrote {path.relative_to(ROOT)}")
        return 0
    print("usage: python -m cdatools.i18n extract|compile", file=sys.stderr)
    return 2


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
