"""The course's fill-in templates: list them, copy one to fill in, print a filled copy.

The blank templates are the Markdown files in ``course/templates/`` (a code of conduct, a
memorandum of understanding, the Commission's terms of reference, ...). A trainee never
writes in them: :func:`copy_template` puts a copy in the work folder (``my-work/``, or
the folder named by ``$CDATOOLS_WORK_DIR``) and never overwrites a copy that is already
there. :func:`export` turns a filled copy into a print-ready HTML page beside it, and a
PDF when the Chromium browser is installed (:mod:`cdatools.printing`).

:func:`render_page` is the Markdown-to-HTML step shared with ``make handouts``
(:mod:`cdatools.handouts`). It uses mistune, which JupyterLab's nbconvert already
installs, with tables and tick boxes (``- [ ]``).

Examples
--------
>>> "meeting-minutes" in list_templates()
True
"""

from __future__ import annotations

import difflib
import html
import os
import re
from dataclasses import dataclass
from pathlib import Path

from cdatools.i18n import get_language, gettext
from cdatools.widgets.persistence import DEFAULT_WORK_DIR, WORK_DIR_ENV

TEMPLATES_DIR = Path(__file__).resolve().parents[1] / "course" / "templates"
GENERATOR = "cdatools.templates"

# Print styles: A4 or Letter paper (the size comes from the printer), room to write by
# hand in empty table cells, long words and lines wrapped instead of running off the page.
PRINT_CSS = """
@page { margin: 16mm 15mm 18mm 15mm; }
html { font-family: "DejaVu Sans", Arial, Helvetica, sans-serif; font-size: 10.5pt;
       line-height: 1.4; color: #000; background: #fff; }
body { margin: 0 auto; max-width: 48em; padding: 1em; overflow-wrap: break-word; }
@media print { body { max-width: none; padding: 0; } }
h1 { font-size: 17pt; margin: 0 0 0.5em; }
h2 { font-size: 13pt; margin: 1.2em 0 0.4em; border-bottom: 0.5pt solid #666;
     break-after: avoid; }
h3 { font-size: 11pt; margin: 1em 0 0.3em; break-after: avoid; }
p, li { orphans: 2; widows: 2; }
table { border-collapse: collapse; width: 100%; margin: 0.4em 0 0.8em; font-size: 9.5pt; }
th, td { border: 0.6pt solid #555; padding: 3pt 5pt; text-align: left; vertical-align: top; }
th { background: #e8e8e8; }
td { height: 1.9em; }
tr { break-inside: avoid; }
ul.tasks, li.task-list-item { list-style: none; }
li.task-list-item { margin-left: -1.2em; }
.box { font-size: 1.15em; line-height: 1; }
table.form td:first-child { width: 45%; }
table.blank { table-layout: fixed; }
pre { white-space: pre-wrap; background: #f3f3f3; padding: 4pt; border-left: 2pt solid #888; }
code { font-family: "DejaVu Sans Mono", monospace; font-size: 0.9em; }
a { color: #000; }
details > summary { font-weight: bold; }
blockquote { margin: 0.5em 0; padding-left: 0.8em; border-left: 2pt solid #999; }
"""


class TemplateError(ValueError):
    """A template name, file or folder that cannot be used; the message says why."""


#: The first line of a translated page (``course/fr/...``): its language switch, written by
#: :func:`cdatools.notebook_i18n.build`, for example
#: ``[English](../../templates/x.md) · **Français** · [Español](../../es/templates/x.md)``.
_SWITCH_LINE = re.compile(r"^\[English\]\([^)]*\)(?: · .*)?$")
#: An empty anchor on a line of its own (editions keep their English heading anchors so).
_ANCHOR_LINE = re.compile(r"""^<a id=["'][^"']*["']></a>[ \t]*\n""", re.M)


def printable(text: str) -> str:
    """A page's Markdown as handed out: without a translated edition's language switch.

    A French or Spanish edition starts with a line of links to the same page in the other
    languages and keeps the English anchors of its headings as empty ``<a id>`` lines;
    both belong on screen, not on paper or in a trainee's copy.

    Parameters
    ----------
    text : str
        The page's Markdown.

    Returns
    -------
    str
        The same text without those lines (an English page is returned unchanged).

    Examples
    --------
    >>> printable('[English](../x.md) · **Français**\\n\\n<a id="m"></a>\\n# Compte rendu\\n')
    '# Compte rendu\\n'
    """
    lines = text.split("\n", 1)
    if _SWITCH_LINE.match(lines[0].strip()):
        text = lines[1].lstrip("\n") if len(lines) > 1 else ""
    return _ANCHOR_LINE.sub("", text)


def templates_dir(language: str | None = None) -> Path:
    """The folder of blank templates in ``language`` (default: the language in use).

    French and Spanish come from the translated editions, ``course/fr/templates/`` and
    ``course/es/templates/``; English, or a language whose edition is missing, from
    ``course/templates/``.

    Parameters
    ----------
    language : str, optional
        ``"en"``, ``"fr"`` or ``"es"``; default :func:`cdatools.get_language`.

    Returns
    -------
    pathlib.Path
        The folder.

    Examples
    --------
    >>> templates_dir("en").name, templates_dir("fr").parent.name
    ('templates', 'fr')
    """
    language = get_language() if language is None else language
    if language != "en":
        translated = TEMPLATES_DIR.parent / language / "templates"
        if translated.is_dir():
            return translated
    return TEMPLATES_DIR


@dataclass
class Exported:
    """What :func:`export` wrote.

    Attributes
    ----------
    html : pathlib.Path
        The print-ready HTML page.
    pdf : pathlib.Path or None
        The PDF, or None when it could not be printed here.
    note : str
        A message for the trainee: where the files are, or why there is no PDF.
    """

    html: Path
    pdf: Path | None
    note: str


# ----------------------------------------------------------------------------- names
def list_templates(folder: Path | None = None) -> list[str]:
    """The names of the blank templates, sorted.

    Parameters
    ----------
    folder : pathlib.Path, optional
        The templates folder; default ``course/templates/`` of the course.

    Returns
    -------
    list of str
        File names without ``.md``, such as ``"meeting-minutes"``; the folder's
        ``README.md`` is not a template.

    Examples
    --------
    >>> list_templates()[:2]
    ['business-case-one-pager', 'code-of-conduct']
    """
    folder = TEMPLATES_DIR if folder is None else Path(folder)
    return sorted(p.stem for p in folder.glob("*.md") if p.name.lower() != "readme.md")


def template_path(name: str) -> Path:
    """The blank template called ``name`` (with or without ``.md``).

    Parameters
    ----------
    name : str
        A name from :func:`list_templates`; letter case and a ``.md`` ending are ignored.

    Returns
    -------
    pathlib.Path
        The file in ``course/templates/``.

    Raises
    ------
    TemplateError
        If there is no such template; the message lists the names there are.

    Examples
    --------
    >>> template_path("Meeting-Minutes.md").name
    'meeting-minutes.md'
    """
    if not TEMPLATES_DIR.is_dir():
        raise TemplateError(
            f"the templates folder {TEMPLATES_DIR} is missing: install cdatools from the course's "
            "folder (pip install -e .), which holds course/templates/"
        )
    names = list_templates()
    wanted = str(name).strip().lower().removesuffix(".md")
    if wanted in names:
        translated = templates_dir() / f"{wanted}.md"
        return translated if translated.is_file() else TEMPLATES_DIR / f"{wanted}.md"
    close = difflib.get_close_matches(wanted, names, n=1)
    hint = f" Did you mean {close[0]!r}?" if close else ""
    raise TemplateError(
        f"there is no template called {name!r}.{hint} The templates are: {', '.join(names)}"
    )


def work_folder() -> Path:
    """The trainee's work folder: ``$CDATOOLS_WORK_DIR`` when set, else ``my-work/``.

    Returns
    -------
    pathlib.Path
        The folder (relative to the notebook's folder when it is ``my-work``).

    Examples
    --------
    >>> work_folder().name in {"my-work", os.path.basename(os.environ.get(WORK_DIR_ENV, ""))}
    True
    """
    return Path(os.environ.get(WORK_DIR_ENV) or DEFAULT_WORK_DIR)


# ----------------------------------------------------------------------------- copy
def copy_template(name: str, folder: str | Path | None = None, *, new: bool = False) -> Path:
    """Copy a blank template into the work folder to fill in; never overwrite a copy.

    If ``<folder>/<name>.md`` exists already (perhaps filled in), it is left exactly as
    it is: its path is returned and a message says so. Ask for ``new=True`` to get a
    further blank copy under the next free numbered name (``<name>-2.md``,
    ``<name>-3.md``, ...), for example minutes of a second meeting.

    Parameters
    ----------
    name : str
        A template name from :func:`list_templates` (``.md`` optional).
    folder : str or pathlib.Path, optional
        Where to put the copy; default :func:`work_folder`. Created when missing.
    new : bool
        Make a further blank copy instead of returning an existing one.

    Returns
    -------
    pathlib.Path
        The copy to open and fill in.

    Raises
    ------
    TemplateError
        If there is no template called ``name``, or ``folder`` is a file.

    Examples
    --------
    >>> import tempfile
    >>> scratch = tempfile.mkdtemp()
    >>> first = copy_template("meeting-minutes", scratch)  # doctest: +ELLIPSIS
    Your copy of the template 'meeting-minutes': ...meeting-minutes.md ...
    >>> again = copy_template("meeting-minutes", scratch)  # doctest: +ELLIPSIS
    You already have a copy: ...meeting-minutes.md. It is kept as it is...
    >>> again == first
    True
    >>> copy_template("meeting-minutes", scratch, new=True).name  # doctest: +ELLIPSIS
    Your copy ...
    'meeting-minutes-2.md'
    """
    source = template_path(name)
    target_folder = work_folder() if folder is None else Path(folder)
    if target_folder.exists() and not target_folder.is_dir():
        raise TemplateError(f"{target_folder} is a file, not a folder to copy the template into")
    target_folder.mkdir(parents=True, exist_ok=True)
    target = target_folder / source.name
    if target.exists() and not new:
        print(
            gettext(
                "You already have a copy: {path}. It is kept as it is (nothing was "
                "overwritten). For another blank copy: copy_template({name!r}, new=True)."
            ).format(path=target, name=source.stem)
        )
        return target
    text = printable(read_markdown(source)).encode("utf-8")
    number = 1
    while True:
        try:
            # "x" creates the file only when it does not exist: no copy is ever replaced.
            with open(target, "xb") as stream:
                stream.write(text)
            break
        except FileExistsError:
            number += 1
            target = target_folder / f"{source.stem}-{number}.md"
    print(
        gettext(
            "Your copy of the template {name!r}: {path} (open it from the file browser, fill "
            "in the blanks, then export(path) to print it)."
        ).format(name=source.stem, path=target)
    )
    return target


# ----------------------------------------------------------------------------- render
_FENCE = re.compile(r"^(```|~~~)")
_BOX = re.compile(r"\[( |x|X)\]")
_EMPTY_HEAD = re.compile(r"<table>\s*<thead>\s*<tr>\s*(?:<th[^>]*>\s*</th>\s*)+</tr>\s*</thead>")
_TABLE = re.compile(r"<table>.*?</table>", re.S)
_FILLED_CELL = re.compile(r"<td[^>]*>\s*[^<\s]")
_TASK_BOX = re.compile(r'<input class="task-list-item-checkbox"[^>]*/?>')
_BLANK_ITEM = re.compile(r"^(\s*(?:\d+[.)]|[-*+])\s+)(_{3,})(\s*)$")
_LONG_WORD = re.compile(r"[^\s<>]{30,}")
_VERBATIM = re.compile(r"(<pre\b.*?</pre>|<code\b.*?</code>|<[^>]+>)", re.S)


def _markdown() -> object:
    import mistune

    return mistune.create_markdown(escape=False, plugins=["table", "task_lists", "strikethrough"])


def markdown_title(text: str, default: str = "Untitled") -> str:
    """The text of the first ``# `` heading of a Markdown document.

    Parameters
    ----------
    text : str
        Markdown.
    default : str
        Returned when there is no such heading.

    Returns
    -------
    str
        The heading without ``#`` and without emphasis marks.

    Examples
    --------
    >>> markdown_title("Intro\\n\\n# Meeting *minutes*\\n")
    'Meeting minutes'
    """
    fenced = False
    for line in text.splitlines():
        if _FENCE.match(line.strip()):
            fenced = not fenced
        elif not fenced and re.match(r"^# \S", line):
            return re.sub(r"[*_`]", "", line[2:]).strip()
    return default


def render_markdown(text: str) -> str:
    """Markdown to an HTML fragment, with tables, tick boxes and folded parts opened.

    Tick boxes in lists (``- [ ]``) become check boxes; a ``[ ]`` elsewhere (in a table
    cell, in a sentence) becomes a box character. ``<details>`` blocks are printed open.

    Parameters
    ----------
    text : str
        Markdown (GitHub's flavour: tables, ``- [ ]``, ``~~strike~~``; HTML kept).

    Returns
    -------
    str
        An HTML fragment.

    Examples
    --------
    >>> render_markdown("| a | b |\\n|---|---|\\n| [ ] | $5 |")  # doctest: +ELLIPSIS
    '<table>...<span class="box">☐</span>...$5...'
    """
    fragment = _markdown()(_protect_blank_items(text))
    fragment = re.sub(r"<details(?![^>]*\bopen\b)", "<details open", fragment)
    # A table whose header cells are all empty is a form (label | blank): no header row.
    fragment = _EMPTY_HEAD.sub('<table class="form">', fragment)
    # A table with nothing but empty rows under its header gets columns of equal width.
    fragment = _TABLE.sub(
        lambda found: (
            found.group(0).replace("<table>", '<table class="blank">', 1)
            if "<td" in found.group(0) and not _FILLED_CELL.search(found.group(0))
            else found.group(0)
        ),
        fragment,
    )
    # Tick boxes print as box characters, which show clearly on paper and in PDF text.
    fragment = _TASK_BOX.sub(
        lambda found: (
            '<span class="box" aria-label="ticked">☒</span> '
            if "checked" in found.group(0)
            else '<span class="box" aria-label="not ticked">☐</span> '
        ),
        fragment,
    )

    def box(found: re.Match[str]) -> str:
        return '<span class="box">' + ("☐" if found.group(1) == " " else "☒") + "</span>"

    # Boxes and break points in text only: tags, code and preformatted blocks are kept.
    pieces = _VERBATIM.split(fragment)
    return "".join(
        p if p.startswith("<") else _LONG_WORD.sub(_soft_breaks, _BOX.sub(box, p)) for p in pieces
    )


def _protect_blank_items(text: str) -> str:
    """Keep a list item that is only a blank (``1. ______``) a blank, not a rule.

    Markdown reads a line of underscores as a horizontal rule, also inside a list item;
    escaping the underscores keeps them as a line to write on.
    """
    lines, fenced = [], False
    for line in text.split("\n"):
        if _FENCE.match(line.strip()):
            fenced = not fenced
        elif not fenced:
            line = _BLANK_ITEM.sub(lambda m: m.group(1) + m.group(2).replace("_", "\\_"), line)
        lines.append(line)
    return "\n".join(lines)


def _soft_breaks(found: re.Match[str]) -> str:
    """Allow a line break every 20 characters of a very long word (a web address, say).

    Table columns then stay as narrow as their ordinary words need, and the long word
    wraps instead of running off the page. Character references (``&amp;``) stay whole.
    """
    word, out, run, index = found.group(0), [], 0, 0
    while index < len(word):
        end = word.find(";", index) if word[index] == "&" else -1
        step = end + 1 - index if 0 < end - index <= 10 else 1
        out.append(word[index : index + step])
        index += step
        run += 1
        if run >= 20 and index < len(word):
            out.append("<wbr>")
            run = 0
    return "".join(out)


def html_page(body: str, title: str, *, css: str = "", lang: str = "en") -> str:
    """A self-contained HTML page (styles inline, nothing fetched) around ``body``.

    Parameters
    ----------
    body : str
        The HTML fragment.
    title : str
        The page's title.
    css : str
        More style rules, after the print styles.
    lang : str
        The page's language code.

    Returns
    -------
    str
        The page, marked as written by cdatools (so :func:`export` knows it may
        replace it).

    Examples
    --------
    >>> html_page("<p>x</p>", "Minutes").startswith("<!DOCTYPE html>")
    True
    """
    return (
        f'<!DOCTYPE html>\n<html lang="{html.escape(lang)}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta name="generator" content="{GENERATOR}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(title)}</title>\n<style>{PRINT_CSS}{css}</style>\n</head>\n"
        f"<body>\n<main>\n{body}\n</main>\n</body>\n</html>\n"
    )


def render_page(text: str, *, title: str | None = None, lang: str = "en") -> str:
    """A whole Markdown document as a print-ready HTML page.

    Parameters
    ----------
    text : str
        The Markdown (a template, filled or not).
    title : str, optional
        The page title; default the document's first ``# `` heading.
    lang : str
        The page's language code (``<html lang>``).

    Returns
    -------
    str
        A self-contained HTML page.

    Examples
    --------
    >>> page = render_page("# Minutes\\n\\n- [x] sent")
    >>> "<title>Minutes</title>" in page and "☒" in page
    True
    """
    return html_page(render_markdown(text), title or markdown_title(text), lang=lang)


def read_markdown(path: Path) -> str:
    """Read a Markdown file as UTF-8 text, with a clear error when it cannot be read.

    Parameters
    ----------
    path : pathlib.Path
        The file.

    Returns
    -------
    str
        Its text.

    Raises
    ------
    TemplateError
        If the file is missing, is a folder, or is not UTF-8 text.

    Examples
    --------
    >>> read_markdown(template_path("meeting-minutes")).startswith("# Meeting minutes")
    True
    """
    path = Path(path)
    if not path.is_file():
        raise TemplateError(
            f"{path}: no such file" + (" (it is a folder)" if path.is_dir() else "")
        )
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise TemplateError(
            f"{path}: not UTF-8 text (byte {error.start} is "
            f"{data[error.start : error.start + 1]!r}); save it again as UTF-8 "
            "(JupyterLab's editor saves UTF-8)"
        ) from error


def is_generated(path: Path) -> bool:
    """True when ``path`` is an HTML page written by this module (safe to replace).

    Parameters
    ----------
    path : pathlib.Path
        An HTML file.

    Returns
    -------
    bool
        Whether its head carries this module's ``generator`` mark; False for a file
        that is missing or cannot be read.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> page = pathlib.Path(tempfile.mkdtemp()) / "x.html"
    >>> _ = page.write_text(html_page("<p>x</p>", "x"), encoding="utf-8")
    >>> is_generated(page)
    True
    """
    try:
        head = Path(path).read_bytes()[:600].decode("utf-8", "replace")
    except OSError:
        return False
    return f'<meta name="generator" content="{GENERATOR}">' in head


# ----------------------------------------------------------------------------- export
def export(path: str | Path, *, pdf: bool = True, paper: str = "A4") -> Exported:
    """Print a (filled) template: an HTML page beside it and, if possible, a PDF.

    ``minutes.md`` gives ``minutes.html`` and ``minutes.pdf`` in the same folder; both
    are replaced on the next export. A file of those names that this function did not
    write is never replaced: the export stops with a message instead. When Chromium
    or Playwright is missing, the HTML is still written and the note says how to print
    it from a browser.

    Parameters
    ----------
    path : str or pathlib.Path
        The Markdown file, usually a copy made by :func:`copy_template`.
    pdf : bool
        Also print a PDF (needs Chromium, see :mod:`cdatools.printing`).
    paper : {"A4", "Letter"}
        The PDF's paper size.

    Returns
    -------
    Exported
        The files written and a note, which is also printed.

    Raises
    ------
    TemplateError
        If the file is missing, not Markdown, not UTF-8, one of the blank templates
        (copy it first), or an HTML/PDF of the same name was not written here.

    Examples
    --------
    >>> import tempfile
    >>> copy = copy_template("meeting-minutes", tempfile.mkdtemp())  # doctest: +ELLIPSIS
    Your copy ...
    >>> export(copy, pdf=False).html.suffix  # doctest: +ELLIPSIS
    HTML...
    '.html'
    """
    from cdatools import printing

    source = Path(path)
    if source.suffix.lower() != ".md":
        raise TemplateError(f"{source}: export needs a Markdown file ending in .md")
    text = read_markdown(source)
    if source.resolve().parent == TEMPLATES_DIR.resolve():
        raise TemplateError(
            f"{source} is a blank template that everyone shares: copy it first with "
            f"copy_template({source.stem!r}) and export your copy (blank templates for printing "
            "are made by 'make handouts')"
        )
    html_file = source.with_suffix(".html")
    pdf_file = source.with_suffix(".pdf")
    if html_file.exists() and not is_generated(html_file):
        raise TemplateError(
            f"{html_file} exists and was not written by export: it is left alone. "
            "Rename or move it, then export again"
        )
    if pdf and pdf_file.exists() and not html_file.exists():
        raise TemplateError(
            f"{pdf_file} exists and was not written by export: it is left alone. "
            "Rename or move it, then export again"
        )
    html_file.write_text(render_page(text, lang=get_language()), encoding="utf-8")
    written: Path | None = None
    problem = printing.printing_problem() if pdf else None
    if pdf and problem is None:
        printing.print_files([(html_file, pdf_file)], paper=paper)
        written = pdf_file
    if written is not None:
        note = f"HTML: {html_file}\nPDF:  {pdf_file}"
    elif pdf:
        note = (
            f"HTML: {html_file}\nNo PDF of {source.name}: {problem}. "
            f"Open {html_file.name} in a web browser and print it (or save it as PDF there)."
        )
    else:
        note = f"HTML: {html_file}"
    print(note)
    return Exported(html=html_file, pdf=written, note=note)
