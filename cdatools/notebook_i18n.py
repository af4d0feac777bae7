"""The course's notebooks in French and Spanish, built from the English through PO catalogs.

Each English source (a notebook or markdown page under ``course/``: lessons, cases, start
page, toolkit, glossary, templates, role cards, facilitator notes; or a quiz file
``course/quizzes/*.json``) has one catalog per language,
``course/i18n/<language>/<source path>.po``: for example ``course/i18n/fr/glossary.ipynb.po``
and ``course/i18n/es/quizzes/01-role-of-the-cda.json.po``. All translation sources live in
``course/i18n/``, beside the term list (``terms.csv``), so a translator works in one
folder. The built editions are ``course/fr/`` and ``course/es/``; they mirror ``course/``,
so every relative path in a code cell (``quizzes/...``) and every link between notebooks
finds its translated counterpart.

What is translated:

- a notebook's markdown, paragraph by paragraph (blocks separated by blank lines; a fenced
  code block stays whole). Each entry's context is ``<cell id>:<paragraph number>``, so the
  cell ids the notebooks carry keep translations attached to their paragraph; a markdown
  page's paragraphs likewise, with the context ``p<paragraph number>``;
- a quiz file's prompts, options and explanations (what the quiz widget displays); the
  answers (``correct``) and the structure are copied unchanged, so a quiz grades the same.

Code cells are never translated: an edition's code cells are the English ones, character
for character. What they display in the trainee's language comes from ``cdatools.i18n``
(the edition's notebook metadata says ``"cdatools": {"language": "fr"}``).

When the English changes, :func:`update` merges with gettext's semantics: an unchanged
paragraph keeps its translation; a paragraph that moved keeps it too; a changed paragraph
keeps the old translation marked *fuzzy* (out of date) with the previous English beside it;
a removed one becomes obsolete (``#~``, kept for reference). :func:`check` reports every
untranslated, out-of-date or missing entry and every broken entry (PO syntax; inline code,
link targets, HTML tags or ``{placeholders}`` that differ from the English), naming the file
and line. :func:`build` writes the edition, refusing a broken catalog; untranslated or
out-of-date paragraphs stay in English there, and the notebook's metadata counts them.

Command line (from the repository)::

    python -m cdatools.notebook_i18n update fr course/glossary.ipynb   # create/refresh catalogs
    python -m cdatools.notebook_i18n build fr course/glossary.ipynb    # write course/fr/...
    python -m cdatools.notebook_i18n status                             # counts per catalog
    python -m cdatools.notebook_i18n check                              # what is not done
    python -m cdatools.notebook_i18n editions                           # stale editions

Without paths, ``update`` and ``build`` act on the sources that already have a catalog in
that language. polib (the dev extra) reads and writes the catalogs.
"""

from __future__ import annotations

import copy
import json
import re
import string
import sys
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = [
    "CatalogError",
    "Problem",
    "Unit",
    "anchors",
    "build",
    "catalog_path",
    "check",
    "edition_path",
    "edition_problems",
    "editions",
    "heading_slug",
    "is_edition",
    "link_problems",
    "main",
    "sources",
    "status",
    "switch_markdown",
    "units",
    "update",
]

ROOT = Path(__file__).resolve().parents[1]
COURSE = ROOT / "course"
#: The languages the course is translated into.
EDITIONS = ("fr", "es")
#: Folders under the course folder that are not English sources.
NOT_SOURCES = {*EDITIONS, "i18n", "my-work", ".ipynb_checkpoints"}
PLURAL_FORMS = {"fr": "nplurals=2; plural=(n > 1);", "es": "nplurals=2; plural=(n != 1);"}
#: What a translation must keep exactly as the English has it (as a multiset).
PROTECTED = re.compile(
    r"`[^`\n]+`"  # inline code
    r"|\]\([^)\s]+"  # a link's target
    r"|<[^<>\n]+>"  # an HTML tag or anchor
    r"|\$[^$\n]+\$"  # inline mathematics
)
_PO_LINE = re.compile(
    r'(?:(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)\s+)?"(?:[^"\\]|\\.)*"\s*'
)


class CatalogError(ValueError):
    """A catalog cannot be used; the message names the file and line."""


@dataclass(frozen=True)
class Unit:
    """One piece of English to translate: its context (where it is) and its text."""

    context: str
    text: str
    note: str = ""


@dataclass(frozen=True)
class Problem:
    """Something not done or wrong in a catalog, with where it is."""

    path: Path
    line: int
    kind: str
    message: str

    def __str__(self) -> str:
        return f"{_shown(self.path)}:{self.line}: {self.kind}: {self.message}"


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


# ----------------------------------------------------------------- the English units
def _blocks(markdown: str) -> list[str]:
    """Split markdown into paragraphs and the blank runs between them (kept, in order).

    Joining the list gives back the text exactly; even items are text, odd items are
    separators. A fenced code block is never split.
    """
    lines = markdown.splitlines(keepends=True)
    pieces: list[str] = []
    current: list[str] = []
    blank: list[str] = []
    fence = False
    for line in lines:
        if line.lstrip().startswith(("```", "~~~")):
            fence = not fence
        if not fence and not line.strip():
            if current:
                pieces.append("".join(current))
                current = []
            blank.append(line)
            continue
        if blank:
            if not pieces:
                pieces.append("")
            pieces.append("".join(blank))
            blank = []
        current.append(line)
    if current:
        pieces.append("".join(current))
    if blank:
        if not pieces:
            pieces.append("")
        pieces.append("".join(blank))
    return pieces


def _paragraph(block: str) -> tuple[str, str]:
    """A block's text without its final line break, and that line break."""
    stripped = block.rstrip("\n")
    return stripped, block[len(stripped) :]


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise CatalogError(f"{_shown(path)}: cannot read it as UTF-8 text ({error})") from None


def _markdown_paragraphs(text: str) -> Iterator[tuple[int, str]]:
    for number, block in enumerate(_blocks(text)[0::2], start=1):
        paragraph, _ = _paragraph(block)
        if paragraph.strip():
            yield number, paragraph


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise CatalogError(f"{_shown(path)}: cannot read it as JSON ({error})") from None


def _quiz_strings(data: Any, where: str = "") -> Iterator[tuple[str, str]]:
    """(context, text) for every displayed string of a quiz file, in order."""
    if isinstance(data, dict):
        for key, value in data.items():
            inner = f"{where}/{key}" if where else key
            if key in ("prompt", "title") and isinstance(value, str):
                yield inner, value
            elif key in ("options", "explanations") and isinstance(value, list):
                for number, text in enumerate(value):
                    if isinstance(text, str):
                        yield f"{inner}/{number}", text
            elif key not in ("correct", "multiple"):
                yield from _quiz_strings(value, inner)
    elif isinstance(data, list):
        for number, item in enumerate(data):
            yield from _quiz_strings(item, f"{where}/{number}" if where else str(number))


def _translatable(cell: dict) -> bool:
    """Whether a notebook cell's text is translated: markdown, except nbgrader's own cells.

    An nbgrader answer, graded or locked cell (``YOUR ANSWER HERE`` in a student version)
    stays as nbgrader wrote it: autograde compares it with the checksum it recorded, so an
    answer left untouched in an edition scores zero as it does in the English.
    """
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return cell.get("cell_type") == "markdown" and not any(
        meta.get(key) for key in ("solution", "grade", "locked")
    )


def units(source: Path) -> list[Unit]:
    """The English units of a notebook or quiz file, in reading order.

    Parameters
    ----------
    source : pathlib.Path
        An English notebook (``.ipynb``) or quiz file (``.json``).

    Returns
    -------
    list of Unit
        One unit per markdown paragraph (context ``<cell id>:<n>``) or per displayed
        quiz string (context such as ``questions/2/options/1``).

    Raises
    ------
    CatalogError
        If the file cannot be read, or a markdown cell has no id (nbformat 4.5 ids
        keep translations attached to their cell).
    """
    if source.suffix == ".md":
        return [
            Unit(f"p{number}", paragraph)
            for number, paragraph in _markdown_paragraphs(_read_text(source))
        ]
    data = _read_json(source)
    if source.suffix == ".json":
        return [Unit(context, text) for context, text in _quiz_strings(data)]
    found = []
    for position, cell in enumerate(data.get("cells", []), start=1):
        if not _translatable(cell):
            continue
        cell_id = cell.get("id")
        if not cell_id:
            raise CatalogError(
                f"{_shown(source)}: cell {position} has no id; save the notebook with "
                "JupyterLab 4 (nbformat 4.5) so its cells carry ids"
            )
        text = "".join(cell.get("source", ""))
        pieces = _blocks(text)
        for number, block in enumerate(pieces[0::2], start=1):
            paragraph, _ = _paragraph(block)
            if paragraph.strip():
                found.append(Unit(f"{cell_id}:{number}", paragraph, f"cell {position}"))
    return found


# ----------------------------------------------------------------- paths
def sources(course: Path = COURSE) -> list[Path]:
    """The English sources of the course: its notebooks and quiz files."""
    found = []
    for path in sorted(course.rglob("*")):
        relative = path.relative_to(course)
        if relative.parts[0] in NOT_SOURCES or ".ipynb_checkpoints" in relative.parts:
            continue
        if path.suffix in (".ipynb", ".md") or (
            path.suffix == ".json" and relative.parts[0] == "quizzes"
        ):
            found.append(path)
    return found


def is_edition(path: Path | str, course: Path = COURSE) -> bool:
    """Whether ``path`` lies in a translated edition (``course/fr/``, ``course/es/``).

    The one test every tool and test that walks the English course uses to leave the
    built editions out (they are checked by tests/test_i18n_notebooks.py instead). A
    relative path counts from the current folder; a path outside the course is not an
    edition.

    Examples
    --------
    >>> is_edition(COURSE / "fr" / "glossary.ipynb"), is_edition(COURSE / "glossary.ipynb")
    (True, False)
    """
    try:
        relative = Path(path).resolve().relative_to(course.resolve())
    except ValueError:
        return False
    return bool(relative.parts) and relative.parts[0] in EDITIONS


def _layout(course: Path, language: str) -> tuple[Path, Path]:
    """The folders of ``course``'s catalogs and edition in ``language``.

    A course folder keeps both inside it (``course/i18n/fr/``, ``course/fr/``). An nbgrader
    release folder (a folder named ``release``, such as ``exercises/release``) keeps them
    beside it (``exercises/i18n/fr/``, ``exercises/release-fr/``), because
    ``nbgrader generate_assignment --force`` deletes and rewrites ``release/<assignment>/``;
    the edition ``release-fr/<assignment>/<notebook>`` has the release's assignment and
    notebook names, so nbgrader grades it as the same assignment.
    """
    if _is_release(course):
        return course.parent / "i18n" / language, course.parent / f"release-{language}"
    return course / "i18n" / language, course / language


def _is_release(folder: Path) -> bool:
    """Whether ``folder`` is an nbgrader release folder (its editions sit beside it)."""
    return folder.name == "release"


def catalog_path(source: Path, language: str, course: Path = COURSE) -> Path:
    """Where the catalog of ``source`` in ``language`` lives (``course/i18n/fr/x.ipynb.po``)."""
    relative = source.resolve().relative_to(course.resolve())
    return _layout(course, language)[0] / f"{relative}.po"


def edition_path(source: Path, language: str, course: Path = COURSE) -> Path:
    """Where the translated file is built (``course/fr/x.ipynb``)."""
    relative = source.resolve().relative_to(course.resolve())
    return _layout(course, language)[1] / relative


def _language(language: str) -> str:
    if language not in EDITIONS:
        raise CatalogError(
            f"no edition {language!r}; the editions are {', '.join(map(repr, EDITIONS))}"
        )
    return language


# ----------------------------------------------------------------- reading catalogs
def _polib():
    try:
        import polib
    except ImportError:  # pragma: no cover - the dev extra has it
        raise CatalogError(
            "the notebook catalogs need polib: pip install -e '.[dev]' (or pip install polib)"
        ) from None
    return polib


def _syntax(path: Path) -> None:
    """Refuse a PO file whose lines are not comments, keywords or quoted strings."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise CatalogError(f"{_shown(path)}: not UTF-8 text (byte {error.start})") from None
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if not _PO_LINE.fullmatch(stripped):
            raise CatalogError(
                f"{_shown(path)}:{number}: not valid PO syntax: {stripped[:60]!r} (expected a "
                'keyword such as msgstr followed by a quoted string, or a "quoted" continuation)'
            )


def read_catalog(path: Path):
    """Read a catalog with polib after a strict syntax check (errors name file and line)."""
    polib = _polib()
    _syntax(path)
    try:
        return polib.pofile(str(path), wrapwidth=0)
    except (OSError, ValueError) as error:
        raise CatalogError(f"{_shown(path)}: {error}") from None


def _protected(text: str) -> Counter:
    fields = [f"{{{name}}}" for _, name, _, _ in string.Formatter().parse(text) if name]
    return Counter(PROTECTED.findall(text)) + Counter(fields)


def _safe_protected(text: str) -> Counter:
    try:
        return _protected(text)
    except ValueError:  # a lone brace: compare the other tokens only
        return Counter(PROTECTED.findall(text))


def _entry_problems(path: Path, entry) -> list[Problem]:
    problems = []
    if entry.msgstr:
        expected, found = _safe_protected(entry.msgid), _safe_protected(entry.msgstr)
        if expected != found:
            lost = sorted((expected - found).elements())
            added = sorted((found - expected).elements())
            problems.append(
                Problem(
                    path,
                    entry.linenum,
                    "broken",
                    f"{entry.msgctxt}: the translation must keep the English's code, links, "
                    f"tags and placeholders exactly; missing {lost}, not in the English {added}",
                )
            )
    return problems


# ----------------------------------------------------------------- update
def _match(found: Sequence[Unit], catalog) -> list[tuple[Unit, Any, str]]:
    """Pair each English unit with the catalog entry that holds its translation.

    ``same``: same context and text; ``moved``: same text elsewhere (a moved paragraph);
    ``changed``: same context, other text (the English changed: the translation is out of
    date); ``new``: nothing to reuse. Text matches are made before context matches, so an
    inserted paragraph does not take the translation of the one it pushed down.
    """
    entries = [e for e in catalog if not e.obsolete and e.msgid]
    used: set[int] = set()
    result: list[tuple[Unit, Any, str] | None] = [None] * len(found)
    by_key = {(e.msgctxt, e.msgid): e for e in entries}
    for index, unit in enumerate(found):
        entry = by_key.get((unit.context, unit.text))
        if entry is not None and id(entry) not in used:
            used.add(id(entry))
            result[index] = (unit, entry, "same")
    for index, unit in enumerate(found):
        if result[index] is None:
            entry = next((e for e in entries if e.msgid == unit.text and id(e) not in used), None)
            if entry is not None:
                used.add(id(entry))
                result[index] = (unit, entry, "moved")
    by_context = {e.msgctxt: e for e in entries}
    for index, unit in enumerate(found):
        if result[index] is None:
            entry = by_context.get(unit.context)
            if entry is not None and id(entry) not in used and entry.msgstr:
                used.add(id(entry))
                result[index] = (unit, entry, "changed")
            else:
                result[index] = (unit, None, "new")
    return [item for item in result if item is not None]


@dataclass
class UpdateReport:
    """What :func:`update` did to one catalog."""

    catalog: Path
    kept: int = 0
    new: int = 0
    fuzzy: int = 0
    obsolete: int = 0


def _new_catalog(source: Path, language: str, course: Path):
    polib = _polib()
    catalog = polib.POFile(wrapwidth=0)
    catalog.header = (
        f"Translation of {source.relative_to(course)} ({language}).\n"
        "Terms: course/i18n/terms.csv. An entry's context is <cell id>:<paragraph> in a\n"
        "notebook, p<paragraph> in a page and the field's path in a quiz;\n"
        "keep `code`, link targets, <tags> and {placeholders} exactly as in the English."
    )
    catalog.metadata = {
        "Project-Id-Version": "cdatools course",
        "Language": language,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": PLURAL_FORMS[language],
        "X-Source": str(source.relative_to(course)),
    }
    return catalog


def update(source: Path, language: str, *, course: Path = COURSE) -> UpdateReport:
    """Create or refresh the catalog of ``source`` in ``language`` from the current English.

    Parameters
    ----------
    source : pathlib.Path
        The English notebook or quiz file.
    language : str
        ``"fr"`` or ``"es"``.
    course : pathlib.Path, optional
        The course folder (a scratch copy in tests).

    Returns
    -------
    UpdateReport
        How many entries were kept, are new, became fuzzy (out of date) or obsolete.

    Raises
    ------
    CatalogError
        If the existing catalog is broken (it is left as it is), or the source cannot be read.
    """
    polib = _polib()
    _language(language)
    target = catalog_path(source, language, course)
    report = UpdateReport(target)
    old = read_catalog(target) if target.exists() else _new_catalog(source, language, course)
    previously_obsolete = [e for e in old if e.obsolete]
    entries = []
    matches = _match(units(source), old)
    for unit, match, how in matches:
        entry = polib.POEntry(msgctxt=unit.context, msgid=unit.text, msgstr="")
        if unit.note:
            entry.comment = unit.note
        if match is not None:
            entry.msgstr = match.msgstr
            entry.tcomment = match.tcomment
            entry.flags = list(match.flags)
            entry.previous_msgid = match.previous_msgid
            if how == "changed":
                entry.flags = sorted({*match.flags, "fuzzy"})
                entry.previous_msgid = match.previous_msgid or match.msgid
        report.kept += how in ("same", "moved")
        report.fuzzy += how == "changed"
        report.new += how == "new"
        entries.append(entry)
    used = {id(match) for _, match, _ in matches if match is not None}
    for entry in old:
        if not entry.obsolete and entry.msgid and id(entry) not in used and entry.msgstr:
            entry.obsolete = True
            entries.append(entry)
            report.obsolete += 1
    entries += previously_obsolete
    fresh = _new_catalog(source, language, course)
    fresh.metadata.update({k: v for k, v in old.metadata.items() if k not in fresh.metadata})
    fresh.header = old.header or fresh.header
    for entry in entries:
        fresh.append(entry)
    target.parent.mkdir(parents=True, exist_ok=True)
    fresh.save(str(target))
    return report


# ----------------------------------------------------------------- check and status
def check(
    language: str | None = None, paths: Sequence[Path] | None = None, *, course: Path = COURSE
) -> list[Problem]:
    """Everything not done or wrong in the catalogs (all that exist, or those of ``paths``).

    An entry is *untranslated* (empty), *out of date* (fuzzy, or its English changed since
    the last update), *missing* (English the catalog does not have yet: run update) or
    *broken* (code, links, tags or placeholders differ from the English). A catalog that
    cannot be read is reported by file and line. An empty list means the catalogs are
    complete and current.
    """
    problems: list[Problem] = []
    for _, source, target in _catalogs(language, paths, course):
        try:
            catalog = read_catalog(target)
        except CatalogError as error:
            found = re.search(r":(\d+):", str(error))
            problems.append(
                Problem(target, int(found.group(1)) if found else 0, "broken", str(error))
            )
            continue
        if not source.exists():
            problems.append(
                Problem(target, 0, "orphan", f"its English source {_shown(source)} is gone")
            )
            continue
        for unit, entry, how in _match(units(source), catalog):
            if how == "new":
                problems.append(
                    Problem(
                        target, 0, "missing", f"{unit.context}: {unit.text[:70]!r} (run update)"
                    )
                )
                continue
            if how == "changed":
                problems.append(
                    Problem(
                        target,
                        entry.linenum,
                        "out of date",
                        f"{unit.context}: the English changed to {unit.text[:70]!r}; "
                        "run update and revise the translation",
                    )
                )
                continue
            if "fuzzy" in entry.flags:
                problems.append(
                    Problem(
                        target, entry.linenum, "out of date", f"{unit.context}: {unit.text[:70]!r}"
                    )
                )
            elif not entry.msgstr:
                problems.append(
                    Problem(
                        target, entry.linenum, "untranslated", f"{unit.context}: {unit.text[:70]!r}"
                    )
                )
            problems.extend(_entry_problems(target, entry))
    return problems


def _catalogs(
    language: str | None, paths: Sequence[Path] | None, course: Path
) -> Iterator[tuple[str, Path, Path]]:
    languages = [_language(language)] if language else list(EDITIONS)
    for lang in languages:
        if paths:
            for source in paths:
                yield lang, Path(source), catalog_path(Path(source), lang, course)
            continue
        folder = _layout(course, lang)[0]
        for target in sorted(folder.rglob("*.po")) if folder.exists() else []:
            relative = target.relative_to(folder)
            yield lang, course / str(relative)[: -len(".po")], target


def status(language: str | None = None, *, course: Path = COURSE) -> list[dict[str, Any]]:
    """One row per English source and language: entries, translated, fuzzy, untranslated.

    Sources without a catalog in a language are listed with ``catalog`` False.
    """
    rows = []
    for lang in [_language(language)] if language else list(EDITIONS):
        for source in sources(course):
            target = catalog_path(source, lang, course)
            row: dict[str, Any] = {
                "language": lang,
                "source": str(source.relative_to(course)),
                "catalog": target.exists(),
                "entries": len(units(source)),
            }
            if target.exists():
                problems = check(lang, [source], course=course)
                kinds = Counter(p.kind for p in problems)
                row.update(
                    translated=row["entries"]
                    - kinds["untranslated"]
                    - kinds["out of date"]
                    - kinds["missing"],
                    fuzzy=kinds["out of date"],
                    untranslated=kinds["untranslated"] + kinds["missing"],
                    broken=kinds["broken"],
                )
            else:
                row.update(translated=0, fuzzy=0, untranslated=row["entries"], broken=0)
            rows.append(row)
    return rows


# ----------------------------------------------------------------- build
def _translations(target: Path) -> dict[tuple[str, str], str]:
    catalog = read_catalog(target)
    broken = [p for e in catalog if not e.obsolete for p in _entry_problems(target, e)]
    if broken:
        raise CatalogError("\n".join(map(str, broken)))
    current = [e for e in catalog if not e.obsolete and e.msgstr and "fuzzy" not in e.flags]
    table = {(e.msgctxt, e.msgid): e.msgstr for e in current}
    for entry in current:  # a moved paragraph keeps its translation (keyed by text alone)
        table.setdefault(("", entry.msgid), entry.msgstr)
    return table


def _lookup(table: dict[tuple[str, str], str], context: str, text: str) -> str | None:
    found = table.get((context, text))
    return found if found is not None else table.get(("", text))


def build(source: Path, language: str, *, course: Path = COURSE) -> Path:
    """Write the edition of ``source`` in ``language`` and return its path (see :func:`render`).

    Raises
    ------
    CatalogError
        If the catalog is missing or broken (file and line named); nothing is written.
    """
    text = render(source, language, course=course)
    output = edition_path(source, language, course)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text, encoding="utf-8")
    return output


def render(source: Path, language: str, *, course: Path = COURSE) -> str:
    """The text of the edition of ``source`` in ``language`` (what :func:`build` writes).

    Code cells are copied unchanged; markdown paragraphs and quiz strings are replaced by
    their translations where the catalog has a current one, and stay English otherwise
    (the notebook's ``metadata.cdatools`` counts those). Three things are generated, not
    translated:

    - a translated heading gets ``<a id="<English anchor>"></a>`` on the line before it
      (:func:`heading_slug`), so links written for the English (``cases.md#bagru-...``)
      still name an anchor of the edition (JupyterLab's sanitizer keeps the id, as
      ``data-jupyter-id``);
    - a relative link whose target has no edition in the language leads to the English
      file (:func:`_relink`);
    - a notebook or page opens with the language switch (:func:`switch_markdown`): a
      notebook's own first markdown cell, id ``i18n-switch``, a page's first line.

    Raises
    ------
    CatalogError
        If the catalog is missing or broken (file and line named); nothing is written.
    """
    _language(language)
    target = catalog_path(source, language, course)
    if not target.exists():
        raise CatalogError(
            f"{_shown(source)} has no {language} catalog yet ({_shown(target)}): "
            f"run python -m cdatools.notebook_i18n update {language} {_shown(source)}"
        )
    table = _translations(target)
    if source.suffix == ".md":
        pieces = _blocks(_read_text(source))
        for index in range(0, len(pieces), 2):
            paragraph, end = _paragraph(pieces[index])
            translated = _lookup(table, f"p{index // 2 + 1}", paragraph)
            if paragraph.strip() and translated is not None:
                pieces[index] = _keep_anchors(paragraph, translated) + end
            pieces[index] = _relink(pieces[index], source, language, course)
        return switch_markdown(source, language, course=course) + "\n\n" + "".join(pieces)
    data = _read_json(source)
    left = 0
    if source.suffix == ".json":
        built, left = _translate_quiz(data, table)
    else:
        built = copy.deepcopy(data)
        for cell in built.get("cells", []):
            if not _translatable(cell):
                continue
            pieces = _blocks("".join(cell.get("source", "")))
            for index in range(0, len(pieces), 2):
                paragraph, end = _paragraph(pieces[index])
                if not paragraph.strip():
                    continue
                translated = _lookup(table, f"{cell['id']}:{index // 2 + 1}", paragraph)
                if translated is not None:
                    pieces[index] = _keep_anchors(paragraph, translated) + end
                else:
                    left += 1
                pieces[index] = _relink(pieces[index], source, language, course)
            cell["source"] = "".join(pieces).splitlines(keepends=True)
        cells = [c for c in built.get("cells", []) if c.get("id") != SWITCH_CELL]
        if not _is_release(course):
            # A graded student version gets no switch: the trainee's answers stay in the
            # copy they fetched, and a hub copy has no sibling editions to link to.
            switch = switch_markdown(source, language, course=course)
            cell = {"cell_type": "markdown", "id": SWITCH_CELL, "metadata": {}}
            cells.insert(0, {**cell, "source": switch.splitlines(keepends=True)})
        built["cells"] = cells
        here = edition_path(source, language, course).parent.resolve()
        built.setdefault("metadata", {})["cdatools"] = {
            "language": language,
            "source": Path(_relative(source.resolve(), here)).as_posix(),
            "catalog": Path(
                _relative(catalog_path(source, language, course).resolve(), here)
            ).as_posix(),
            "untranslated_paragraphs": left,
        }
    return json.dumps(built, indent=1, ensure_ascii=False) + "\n"


def editions(language: str | None = None, *, course: Path = COURSE) -> list[Path]:
    """The files of the built editions (``course/fr/...``, ``course/es/...``), sorted."""
    found = []
    for lang in [_language(language)] if language else list(EDITIONS):
        folder = _layout(course, lang)[1]
        for path in sorted(folder.rglob("*")) if folder.is_dir() else []:
            parts = set(path.relative_to(folder).parts)
            if path.is_file() and not parts & {".ipynb_checkpoints", "my-work"}:
                found.append(path)
    return found


def edition_problems(language: str | None = None, *, course: Path = COURSE) -> list[str]:
    """Where the built editions are not what :func:`build` makes now from the catalogs.

    One line per edition that differs from a fresh build (its catalog or its English
    changed since it was built, or so did the catalogs of the pages it links to), per
    catalog whose edition is missing, and per edition file without a catalog; each names
    the file and the command that puts it right. An empty list means every edition is
    current.
    """
    problems = []
    for lang in [_language(language)] if language else list(EDITIONS):
        built = set()
        for _, source, _catalog in _catalogs(lang, None, course):
            output = edition_path(source, lang, course)
            built.add(output)
            command = f"python -m cdatools.notebook_i18n build {lang} {_shown(source)}"
            if not source.exists():
                continue  # check() reports the orphan catalog
            try:
                text = render(source, lang, course=course)
            except CatalogError as error:
                problems.append(f"{_shown(output)}: cannot be built: {error}")
                continue
            if not output.exists():
                problems.append(f"{_shown(output)}: not built yet; run {command}")
            elif output.read_text(encoding="utf-8") != text:
                problems.append(
                    f"{_shown(output)}: out of date (its catalog, its English or the pages it "
                    f"links to changed since it was built); run {command}"
                )
        catalogs, edition = _layout(course, lang)
        for path in editions(lang, course=course):
            if path not in built:
                relative = path.relative_to(edition)
                problems.append(
                    f"{_shown(path)}: no catalog {_shown(catalogs)}/{relative}.po "
                    "builds it (its English source is gone, or it was never translated); "
                    "delete it, or restore its catalog and build"
                )
    return problems


# ----------------------------------------------------------------- language switch
#: The id of an edition notebook's first cell, the language switch (generated by build).
SWITCH_CELL = "i18n-switch"
#: Each language's name in itself, as the switch shows it.
LANGUAGE_NAMES = {"en": "English", "fr": "Français", "es": "Español"}


def switch_markdown(source: Path, language: str, *, course: Path = COURSE) -> str:
    """The language switch at the top of the edition of ``source`` in ``language``.

    One line naming the page's language in bold and linking to the same page in English
    and in each other language whose edition of it is built (it has a catalog there), for
    example ``[English](../glossary.ipynb) · **Français** · [Español](../es/glossary.ipynb)``.
    """
    here = edition_path(source, language, course).parent.resolve()
    shown = []
    for other in ("en", *EDITIONS):
        name = LANGUAGE_NAMES[other]
        if other == language:
            shown.append(f"**{name}**")
        elif other == "en":
            shown.append(f"[{name}]({Path(_relative(source.resolve(), here)).as_posix()})")
        elif _translated(source, other, course):
            target = edition_path(source, other, course).resolve()
            shown.append(f"[{name}]({Path(_relative(target, here)).as_posix()})")
    return " · ".join(shown)


# ----------------------------------------------------------------- headings and anchors
_HEADING = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$")
_ID = re.compile(r"""<[a-zA-Z][^<>]*?\s(?:id|name)=["']([^"']+)["']""")
_FENCE = re.compile(r"^ {0,3}(```|~~~).*?^ {0,3}\1[^\n]*$", re.M | re.S)
_CODE_SPAN = re.compile(r"`[^`\n]*`")


def heading_slug(heading: str) -> str:
    """The anchor GitHub gives a markdown heading: the rule the course's links follow.

    The heading's text is rendered (links keep their words, HTML tags and emphasis marks
    go), lower-cased, stripped of every character that is not a letter, digit, ``_``,
    ``-`` or space, and its spaces become ``-``: ``3. How many respondents are enough?``
    gives ``3-how-many-respondents-are-enough``. (JupyterLab 4.6 names a heading by its
    text with spaces turned into ``-``, ``3.-How-many-respondents-are-enough?``; an
    explicit ``<a id="...">`` is kept there as ``data-jupyter-id``.)

    Examples
    --------
    >>> heading_slug("Bagru: trust and cooperation among **block printers**")
    'bagru-trust-and-cooperation-among-block-printers'
    >>> heading_slug("¿Cuántos encuestados bastan?")
    'cuántos-encuestados-bastan'
    """
    text = re.sub(r"!\[([^\]]*)\]\([^)]*\)", "", heading)  # images: no text
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)  # links: their text
    text = re.sub(r"<[!/a-zA-Z][^>]*>", "", text)  # HTML tags
    text = re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", text)  # backslash escapes
    text = re.sub(r"(\*{1,3}|_{1,3})(?=\S)(.+?)(?<=\S)\1", r"\2", text)  # emphasis
    text = text.replace("`", "")
    for entity, char in (("&amp;", "&"), ("&lt;", "<"), ("&gt;", ">"), ("&quot;", '"')):
        text = text.replace(entity, char)
    return re.sub(r"[^\w\- ]", "", text.strip().lower()).replace(" ", "-")


def _headings(paragraph: str) -> list[tuple[int, str]]:
    """(line number, heading text) of each ATX heading in a paragraph, outside fences."""
    found = []
    fence = False
    for number, line in enumerate(paragraph.split("\n")):
        if line.lstrip().startswith(("```", "~~~")):
            fence = not fence
            continue
        heading = None if fence else _HEADING.match(line)
        if heading:
            found.append((number, heading.group(2)))
    return found


def _keep_anchors(english: str, translated: str) -> str:
    """``translated`` with ``<a id="...">`` before each heading whose anchor changed.

    Each heading of the English paragraph keeps its anchor: when the translated heading
    in the same place has another one, the English anchor is put on the line before it
    (unless the translation already carries that id, as the glossary's entries do).
    """
    theirs = _headings(translated)
    have = {heading_slug(text) for _, text in theirs} | set(_ID.findall(translated))
    inserts: dict[int, list[str]] = {}
    for position, (_, text) in enumerate(_headings(english)):
        slug = heading_slug(text)
        if not slug or slug in have:
            continue
        have.add(slug)
        if position < len(theirs):
            line = theirs[position][0]
        else:
            line = theirs[-1][0] if theirs else 0
        inserts.setdefault(line, []).append(f'<a id="{slug}"></a>')
    lines = translated.split("\n")
    for line in sorted(inserts, reverse=True):
        lines[line:line] = inserts[line]
    return "\n".join(lines)


def _markdown_of(path: Path) -> list[str]:
    """The markdown of a notebook (one string per markdown cell) or of a page."""
    if path.suffix == ".md":
        return [_read_text(path)]
    data = _read_json(path)
    return [
        "".join(c.get("source", ""))
        for c in data.get("cells", [])
        if c.get("cell_type") == "markdown"
    ]


def anchors(path: Path) -> set[str]:
    """Every anchor a link can name in a notebook or page: its headings' and its ids."""
    found: set[str] = set()
    for text in _markdown_of(path):
        text = _FENCE.sub("", text)
        found.update(_ID.findall(_CODE_SPAN.sub("", text)))
        found.update(heading_slug(heading) for _, heading in _headings(text))
    return found


_TARGET = re.compile(r"\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)|\shref=[\"']([^\"']+)[\"']")


def link_problems(path: Path) -> list[str]:
    """Relative links in a notebook or page whose file or anchor does not exist.

    Each problem names the file, the link and what is missing. Links to web addresses
    (``https:``, ``mailto:``...) are not followed; a link to ``#anchor`` looks in the
    file itself, ``other.ipynb#anchor`` in the other file's headings and ids.
    """
    problems = []
    cache: dict[Path, set[str]] = {}
    for text in _markdown_of(path):
        text = _CODE_SPAN.sub("", _FENCE.sub("", text))
        for match in _TARGET.finditer(text):
            link = match.group(1) or match.group(2)
            if re.match(r"^[a-z][a-z0-9+.-]*:", link, re.I) or link.startswith("/"):
                continue
            file_part, _, anchor = link.partition("#")
            target = (path.parent / file_part).resolve() if file_part else path
            if not target.exists():
                problems.append(f"{_shown(path)}: link {link!r}: no file {_shown(target)}")
                continue
            if not anchor or target.suffix not in (".ipynb", ".md"):
                continue
            if target not in cache:
                cache[target] = anchors(target)
            if anchor not in cache[target]:
                problems.append(
                    f"{_shown(path)}: link {link!r}: {_shown(target)} has no heading or id "
                    f"{anchor!r}"
                )
    return problems


_LINK = re.compile(r"(\]\(|href=[\"'])([^)\s\"'#]+)(#[^)\s\"']*)?")


def _relink(text: str, source: Path, language: str, course: Path) -> str:
    """Point a relative link at the English file when it has no edition.

    A link between notebooks (``02-governance-system.ipynb#norms``) finds the translated
    notebook beside the edition when that file has a catalog in the language (so it is
    built too) or is already there; otherwise the trainee would meet a dead link, so it is
    rewritten to the English file (``../02-governance-system.ipynb#norms``).
    """

    def fix(match: re.Match) -> str:
        opening, target, anchor = match.group(1), match.group(2), match.group(3) or ""
        if re.match(r"^[a-z][a-z0-9+.-]*:", target, re.I) or target.startswith("/"):
            return match.group(0)
        english = (source.parent / target).resolve()
        here = edition_path(source, language, course).parent.resolve()
        student = _release_edition(english, language)
        if student is not None:  # an assignment's student version: link to its edition
            return f"{opening}{Path(_relative(student, here)).as_posix()}{anchor}"
        edition = (edition_path(source, language, course).parent / target).resolve()
        if edition.exists() or not english.exists() or _translated(english, language, course):
            return match.group(0)
        relative = Path(_relative(english, here)).as_posix()
        return f"{opening}{relative}{anchor}"

    return _LINK.sub(fix, text)


def _release_edition(english: Path, language: str) -> Path | None:
    """The edition of a student version (``release/a/a.ipynb`` -> ``release-fr/a/a.ipynb``).

    Only when that notebook has a catalog in ``language`` (so ``make assignments`` builds
    it); otherwise None, and the link keeps leading to the English student version.
    """
    folder = next((f for f in english.parents if _is_release(f)), None)
    if folder is not None and catalog_path(english, language, folder).exists():
        return edition_path(english, language, folder)
    return None


def _translated(english: Path, language: str, course: Path) -> bool:
    """Whether ``english`` has a catalog in ``language`` (so its edition is built too)."""
    try:
        return catalog_path(english, language, course).exists()
    except ValueError:  # outside the course folder
        return False


def _relative(target: Path, start: Path) -> str:
    import os

    return os.path.relpath(target, start)


def _translate_quiz(data: Any, table: dict[tuple[str, str], str]) -> tuple[Any, int]:
    built = copy.deepcopy(data)
    left = 0
    for context, text in _quiz_strings(data):
        translated = _lookup(table, context, text)
        if translated is None:
            left += 1
            continue
        holder: Any = built
        parts = context.split("/")
        for part in parts[:-1]:
            holder = holder[int(part)] if isinstance(holder, list) else holder[part]
        last = parts[-1]
        holder[int(last) if isinstance(holder, list) else last] = translated
    return built, left


# ----------------------------------------------------------------- command line
def _paths(arguments: Iterable[str], course: Path = COURSE) -> list[Path]:
    found = []
    for argument in arguments:
        path = Path(argument).resolve()
        if not path.is_file():
            raise CatalogError(f"{argument}: no such file")
        try:
            path.relative_to(course.resolve())
        except ValueError:
            raise CatalogError(f"{argument}: not a file of the course folder {course}") from None
        if is_edition(path, course) or path.relative_to(course.resolve()).parts[0] == "i18n":
            raise CatalogError(
                f"{argument}: a translated edition or a catalog, not an English source; name "
                "the English file (course/...), whose catalogs and editions follow from it"
            )
        found.append(path)
    return found


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: ``[--course DIR] update|build|status|check|editions [fr|es] [files]``."""
    args = list(sys.argv[1:] if argv is None else argv)
    course = COURSE
    if len(args) >= 2 and args[0] == "--course":
        course, args = Path(args[1]).resolve(), args[2:]
    usage = (
        "usage: python -m cdatools.notebook_i18n update|build <fr|es> [files...]\n"
        "       python -m cdatools.notebook_i18n status|check|editions [fr|es]"
    )
    if not args or args[0] not in ("update", "build", "status", "check", "editions"):
        print(usage, file=sys.stderr)
        return 2
    command, rest = args[0], args[1:]
    language = rest[0] if rest and rest[0] in EDITIONS else None
    files = rest[1:] if language else rest
    try:
        if command in ("update", "build"):
            if language is None:
                print(f"{command} needs a language: fr or es\n{usage}", file=sys.stderr)
                return 2
            paths = _paths(files, course) or [s for _, s, _ in _catalogs(language, None, course)]
            for source in paths:
                if command == "update":
                    report = update(source, language, course=course)
                    print(
                        f"{_shown(report.catalog)}: {report.kept} kept, {report.new} new, "
                        f"{report.fuzzy} out of date, {report.obsolete} obsolete"
                    )
                else:
                    print(f"wrote {_shown(build(source, language, course=course))}")
            return 0
        if command == "status":
            print(
                f"{'language':8} {'source':48} {'entries':>7} {'done':>5} {'fuzzy':>5} {'todo':>5}"
            )
            for row in status(language, course=course):
                mark = "" if row["catalog"] else "  (no catalog)"
                print(
                    f"{row['language']:8} {row['source']:48} {row['entries']:7} "
                    f"{row['translated']:5} {row['fuzzy']:5} {row['untranslated']:5}{mark}"
                )
            return 0
        if command == "editions":
            stale = edition_problems(language, course=course)
            print("\n".join(stale) if stale else "every edition is what build makes now")
            return 1 if stale else 0
        problems = check(language, _paths(files, course) or None, course=course)
        for problem in problems:
            print(problem)
        print(f"{len(problems)} problem(s)" if problems else "catalogs complete and current")
        return 1 if problems else 0
    except CatalogError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
