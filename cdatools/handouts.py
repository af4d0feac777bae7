"""Printable handouts for a workshop: templates, role cards, the facilitator's kit.

``make handouts`` (``cdatools handouts``) calls :func:`build_handouts`, which turns the
course's Markdown handouts into print-ready HTML pages and PDFs under
``build/handouts/``, one of each per file, with an ``index.html`` listing them:

=========================  ==============================  ============================
Group                      Read from (``course/...``)       Printed as
=========================  ==============================  ============================
Templates                  ``templates/*.md``               the blank form
Role cards                 ``role-cards/*.md``              one card per page
Facilitator's kit          ``facilitator/*.md``             notes and workshop schedules
Field-kit questionnaires   ``field-kit/*.md``               the questionnaires
=========================  ==============================  ============================

A folder's ``README.md`` is left out for templates and role cards (it describes the
folder, it is not handed out). In a role-card file, each ``## `` section is one card and
starts a new page; the text before the first card (the setting, which everyone hears)
gets a page of its own when there is any. A missing folder is skipped with a line
saying so; a file that cannot be read is reported and the others are still built.
All PDFs are printed with one launch of Chromium (:mod:`cdatools.printing`).
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from cdatools import i18n, printing
from cdatools.i18n import N_, gettext, ngettext
from cdatools.templates import (
    TemplateError,
    html_page,
    is_generated,
    markdown_title,
    printable,
    read_markdown,
    render_markdown,
)

COURSE_DIR = Path(__file__).resolve().parents[1] / "course"


@dataclass(frozen=True)
class Group:
    """A kind of handout: the folder it is read from and how it is printed."""

    folder: str  # under course/, and the same name under the output folder
    label: str
    cards: bool = False  # one page per "## " section
    skip_readme: bool = True


GROUPS: tuple[Group, ...] = (
    Group("templates", N_("Templates")),
    Group("role-cards", N_("Role cards"), cards=True),
    Group("facilitator", N_("Facilitator's kit"), skip_readme=False),
    Group("field-kit", N_("Field-kit questionnaires"), skip_readme=False),
)

CARD_CSS = """
section.card { break-before: page; }
section.card.first { break-before: auto; }
.running { font-size: 8.5pt; color: #333; margin: 0 0 0.8em; padding-bottom: 0.2em;
           border-bottom: 0.5pt solid #999; font-weight: normal; }
section.card h2 { font-size: 16pt; border: none; margin-top: 0.2em; }
"""


@dataclass
class Handout:
    """One handout built: its source, its files, and its printed pages."""

    group: Group
    source: Path
    title: str
    html: Path
    pdf: Path | None = None
    pages: int | None = None
    cards: int | None = None  # role cards: the number of cards (## sections)
    setting_page: bool = False  # role cards: the setting has a page of its own


@dataclass
class HandoutsReport:
    """What :func:`build_handouts` built, skipped and could not build."""

    out: Path
    paper: str = "A4"
    handouts: list[Handout] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when every file found was built (as asked: with PDFs or without)."""
        return not self.problems


# ----------------------------------------------------------------------------- cards
_FENCE = re.compile(r"^\s*(```|~~~)")


def split_cards(text: str) -> tuple[str, list[str]]:
    """Split a role-card file into the text before the first card and the cards.

    Parameters
    ----------
    text : str
        Markdown whose ``## `` headings (outside code blocks) each start a card.

    Returns
    -------
    tuple of (str, list of str)
        The text before the first ``## `` heading, and each card's Markdown, starting
        with its heading.

    Examples
    --------
    >>> intro, cards = split_cards("# Cards\\n\\nSet.\\n## CDA\\nYou.\\n## Observer\\nSee.")
    >>> [card.splitlines()[0] for card in cards]
    ['## CDA', '## Observer']
    """
    intro: list[str] = []
    cards: list[list[str]] = []
    fenced = False
    for line in text.splitlines():
        if _FENCE.match(line):
            fenced = not fenced
        if not fenced and line.startswith("## "):
            cards.append([line])
        elif cards:
            cards[-1].append(line)
        else:
            intro.append(line)
    return "\n".join(intro).strip() + "\n", ["\n".join(card).strip() + "\n" for card in cards]


def _without_title(markdown: str) -> str:
    """Markdown without its first ``# `` heading line."""
    return re.sub(r"(?m)^# .*\n?", "", markdown, count=1).strip()


def card_page(text: str, *, lang: str = "en") -> tuple[str, int, bool]:
    """A role-card file as an HTML page with one card per printed page.

    Parameters
    ----------
    text : str
        The role-card Markdown.
    lang : str
        The page's language code.

    Returns
    -------
    tuple of (str, int, bool)
        The page, the number of cards, and whether the setting (the text before the
        first card, other than the title) has a page of its own.

    Examples
    --------
    >>> page, cards, setting = card_page("# Cards\\n\\n## CDA\\nYou.\\n\\n## Observer\\nWatch.")
    >>> cards, setting, page.count('class="card')
    (2, False, 2)
    """
    title = markdown_title(text)
    intro, cards = split_cards(text)
    setting = bool(_without_title(intro))
    # A card is handed out alone, so each carries its activity and, for the course's
    # scenario, the reminder that Lomari is invented.
    invented = " · " + gettext("Lomari is invented") if "Lomari" in text else ""
    running = html.escape(title + invented)
    parts = []
    if setting:
        parts.append(f'<section class="setting">{render_markdown(intro)}</section>')
    for number, card in enumerate(cards, 1):
        first = number == 1 and not setting
        if first:
            header = f'<h1 class="running">{running}</h1>'
        else:
            header = f'<p class="running">{running}</p>'
        css_class = "card first" if first else "card"
        parts.append(f'<section class="{css_class}">{header}{render_markdown(card)}</section>')
    if not cards:
        parts.append(render_markdown(text))
    return html_page("\n".join(parts), title, css=CARD_CSS, lang=lang), len(cards), setting


# ----------------------------------------------------------------------------- links
_LINK = re.compile(r'<a href="([^"]*)">(.*?)</a>', re.S)


def relink(fragment: str, here: Path, built: set[Path]) -> str:
    """Point links between handouts at their HTML pages; other local links keep words only.

    Parameters
    ----------
    fragment : str
        HTML of a handout.
    here : pathlib.Path
        The handout's Markdown file (links are relative to its folder).
    built : set of pathlib.Path
        The resolved Markdown files that become handouts.

    Returns
    -------
    str
        The HTML with ``x.md`` links turned into ``x.html`` where ``x.md`` is a handout;
        links to notebooks, folders and other files turned into plain words (they do
        not exist on paper or in the handouts folder); web links kept.

    Examples
    --------
    >>> relink('<a href="lesson.ipynb">Lesson 1</a>', Path("c/x.md"), set())
    'Lesson 1'
    """

    def replace(found: re.Match[str]) -> str:
        target, words = html.unescape(found.group(1)), found.group(2)
        if re.match(r"^[a-z][a-z0-9+.-]*:", target) or target.startswith("#"):
            return found.group(0)
        address, _, anchor = target.partition("#")
        resolved = (here.parent / address).resolve() if address else None
        if resolved in built:
            new = address[: -len(".md")] + ".html" + (f"#{anchor}" if anchor else "")
            return f'<a href="{html.escape(new)}">{words}</a>'
        return words

    return _LINK.sub(replace, fragment)


# ----------------------------------------------------------------------------- build
def find_sources(course: Path) -> tuple[list[tuple[Group, Path]], list[str]]:
    """The Markdown handouts in ``course``, and a line for each folder that is missing.

    Parameters
    ----------
    course : pathlib.Path
        The course folder.

    Returns
    -------
    tuple of (list of (Group, pathlib.Path), list of str)
        Each handout's group and file, sorted by name within each group in the order of
        :data:`GROUPS`; and one line per group whose folder is missing or empty.

    Examples
    --------
    >>> sources, missing = find_sources(COURSE_DIR)
    >>> any(path.name == "meeting-minutes.md" for _, path in sources)
    True
    """
    sources: list[tuple[Group, Path]] = []
    notes: list[str] = []
    for group in GROUPS:
        folder = course / group.folder
        if not folder.is_dir():
            notes.append(
                gettext("{group}: no folder {folder}, skipped").format(
                    group=gettext(group.label), folder=folder
                )
            )
            continue
        files = sorted(folder.glob("*.md"))
        if group.skip_readme:
            files = [f for f in files if f.name.lower() != "readme.md"]
        if not files:
            notes.append(
                gettext("{group}: no .md files in {folder}, skipped").format(
                    group=gettext(group.label), folder=folder
                )
            )
        sources.extend((group, path) for path in files)
    return sources, notes


def _clean(out: Path, keep: set[Path]) -> None:
    """Remove handouts of an earlier build whose source has gone (only files made here)."""
    for group in GROUPS:
        for page in sorted((out / group.folder).glob("*.html")):
            if page not in keep and is_generated(page):
                page.unlink()
                page.with_suffix(".pdf").unlink(missing_ok=True)


def _pdf_pages(pdf: Path) -> int | None:
    try:
        from pypdf import PdfReader
    except ImportError:
        return None
    return len(PdfReader(str(pdf)).pages)


def index_page(report: HandoutsReport) -> str:
    """The ``index.html`` that lists every handout, grouped, with links to both files.

    Parameters
    ----------
    report : HandoutsReport
        What was built; its notes and problems are listed under "Not included".

    Returns
    -------
    str
        A self-contained HTML page whose links are relative to the output folder.

    Examples
    --------
    >>> "Handouts for the course" in index_page(HandoutsReport(out=Path("out")))
    True
    """
    esc = html.escape
    intro = gettext(
        "Everything a trainer hands out in a workshop, ready to print: each handout as a "
        "PDF ({paper} paper) and as a web page that any browser prints. Role cards print one "
        "card per page: cut or hand out the pages one by one. Lomari, the cluster of the "
        "role cards, is invented."
    ).format(paper=report.paper)
    parts = [f"<h1>{esc(gettext(INDEX_TITLE))}</h1>", f"<p>{esc(intro)}</p>"]
    for group in GROUPS:
        items = [h for h in report.handouts if h.group == group]
        if not items:
            continue
        parts.append(f"<h2>{esc(gettext(group.label))}</h2><ul>")
        for item in items:
            base = f"{group.folder}/{item.html.stem}"
            web = esc(gettext("web page"))
            links = [f'<a href="{esc(base)}.html">{web}</a>']
            if item.pdf is not None:
                pages = ""
                if item.pages:
                    pages = ", " + ngettext("{n} page", "{n} pages", item.pages).format(
                        n=item.pages
                    )
                links.insert(0, f'<a href="{esc(base)}.pdf">PDF{esc(pages)}</a>')
            extra = ""
            if item.cards is not None:
                if item.setting_page:
                    shown = gettext("{n} cards, and a page with the setting")
                else:
                    shown = gettext("{n} cards")
                extra = " (" + esc(shown.format(n=item.cards)) + ")"
            parts.append(
                f"<li><strong>{html.escape(item.title)}</strong>{extra}: {' · '.join(links)}"
                f' <span class="source">({html.escape(item.source.name)})</span></li>'
            )
        parts.append("</ul>")
    if report.notes or report.problems:
        missing = esc(gettext("Not included"))
        parts.append(f"<h2>{missing}</h2><ul>")
        parts += [f"<li>{html.escape(line)}</li>" for line in report.notes + report.problems]
        parts.append("</ul>")
    css = ".source { color: #555; font-size: 0.9em; } li { margin: 0.3em 0; }"
    title = gettext(INDEX_TITLE)
    return html_page("\n".join(parts), title, css=css, lang=i18n.get_language())


def build_handouts(
    course: str | Path | None = None,
    out: str | Path = "build/handouts",
    *,
    pdf: bool = True,
    paper: str = "A4",
    language: str | None = None,
    log: Callable[[str], None] = print,
) -> HandoutsReport:
    """Build every printable handout into ``out`` (HTML, PDF and an ``index.html``).

    Parameters
    ----------
    course : str or pathlib.Path, optional
        The course folder holding ``templates/``, ``role-cards/``, ``facilitator/`` and
        ``field-kit/``; default the course beside this package.
    out : str or pathlib.Path
        The output folder (created); earlier handouts whose source has gone are removed.
    pdf : bool
        Print PDFs too (needs Chromium); without, only the HTML pages are written.
    paper : {"A4", "Letter"}
        The PDFs' paper size.
    language : {"en", "fr", "es"}, optional
        Print this language's edition: the handouts are read from ``<course>/fr/`` or
        ``<course>/es/`` (the translated editions), the index and the cards' running
        heads are in that language, and each page's language switch is left out. Default:
        the English handouts from ``course`` itself.
    log : callable
        Receives one line per step, skipped folder and problem (default: print).

    Returns
    -------
    HandoutsReport
        The handouts built, the folders skipped (``notes``) and the files or PDFs that
        could not be made (``problems``; empty when all went well).

    Raises
    ------
    ValueError
        If ``paper`` is not A4 or Letter, or ``language`` is not one the course offers.

    Examples
    --------
    >>> import tempfile
    >>> report = build_handouts(out=tempfile.mkdtemp(), pdf=False, log=lambda line: None)
    >>> report.ok, (report.out / "index.html").exists()
    (True, True)
    """
    if paper not in printing.PAPERS:
        raise ValueError(f"paper must be one of {', '.join(printing.PAPERS)}, not {paper!r}")
    course = COURSE_DIR if course is None else Path(course)
    if language is not None:
        offered = ", ".join(i18n.LANGUAGES)
        if language not in i18n.LANGUAGES:
            raise ValueError(f"language must be one of {offered}, not {language!r}")
        if language != "en":
            course = course / language
        return _in_language(language, course, out, pdf=pdf, paper=paper, log=log)
    out = Path(out)
    report = HandoutsReport(out=out, paper=paper)
    sources, report.notes = find_sources(course)
    for line in report.notes:
        log(line)
    built = {path.resolve() for _, path in sources}
    for group, source in sources:
        try:
            text = printable(read_markdown(source))
        except TemplateError as error:
            report.problems.append(f"{error}: not built")
            log(report.problems[-1])
            continue
        target = out / group.folder / f"{source.stem}.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        item = Handout(group, source, markdown_title(text, source.stem), target)
        lang = i18n.get_language()
        if group.cards:
            page, item.cards, item.setting_page = card_page(text, lang=lang)
        else:
            page = html_page(render_markdown(text), item.title, lang=lang)
        target.write_text(relink(page, source, built), encoding="utf-8")
        report.handouts.append(item)
    _clean(out, {item.html for item in report.handouts})
    if pdf and report.handouts:
        problem = printing.printing_problem()
        if problem:
            report.problems.append(
                f"no PDFs: {problem}. The web pages are built; print them from a browser, "
                "or run again with --no-pdf to skip PDFs"
            )
            log(report.problems[-1])
        else:
            printing.print_files(
                [(item.html, item.html.with_suffix(".pdf")) for item in report.handouts],
                paper=paper,
            )
            for item in report.handouts:
                item.pdf = item.html.with_suffix(".pdf")
                item.pages = _pdf_pages(item.pdf)
                expected = (item.cards or 0) + item.setting_page
                if item.cards and item.pages is not None and item.pages > expected:
                    log(
                        f"note: {item.source}: {item.pages} pages for {item.cards} cards"
                        + (" and the setting" if item.setting_page else "")
                        + ": a card runs over one page; shorten it to fit"
                    )
    (out / "index.html").parent.mkdir(parents=True, exist_ok=True)
    (out / "index.html").write_text(index_page(report), encoding="utf-8")
    count = len(report.handouts)
    kind = "PDF and HTML" if pdf and all(item.pdf for item in report.handouts) else "HTML"
    plural = "s" if count != 1 else ""
    log(f"{count} handout{plural} ({kind}) in {out}; the list: {out / 'index.html'}")
    if report.problems:
        log(f"{len(report.problems)} problem{'s' if len(report.problems) != 1 else ''}: see above")
    return report


def _in_language(
    language: str,
    course: Path,
    out: str | Path,
    *,
    pdf: bool,
    paper: str,
    log: Callable[[str], None],
) -> HandoutsReport:
    """:func:`build_handouts` with cdatools speaking ``language`` for the while."""
    with i18n.speaking(language):
        return build_handouts(course, out, pdf=pdf, paper=paper, log=log)


INDEX_TITLE = N_("Handouts for the course")

__all__ = [
    "GROUPS",
    "Group",
    "Handout",
    "HandoutsReport",
    "build_handouts",
    "card_page",
    "find_sources",
    "index_page",
    "relink",
    "split_cards",
]
