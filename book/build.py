"""Build the course as a static website and a printable PDF (``make book``).

Steps:

1. Read the course's order from the table in ``course/README.md`` (notebooks in
   ``course/`` that the table does not list are added at the end, with a warning).
2. Prepare a COPY of each notebook under ``build/book/src/`` (the notebooks in
   ``course/`` are never changed): the markdown caption after a figure, whose first line
   starts with ``**Figure.**``, becomes the alternative text of that figure's image; a
   self-check quiz is shown as its questions (answers folded away), because a widget
   cannot run on a static page; each page gets a link to download its notebook.
3. Run Jupyter Book 1 (Sphinx, MyST-NB) with its execution cache
   (``build/book/.jupyter_cache``): only notebooks whose code changed are run again.
   The site is copied to ``build/site/``.
4. Print the site's pages, in the course's order, to ``build/course.pdf`` with headless
   Chromium (``/usr/bin/chromium``, driven by Playwright): a cover, a table of contents
   with page numbers, PDF bookmarks and page numbers in the footer.

Run ``python book/build.py --help`` for the options. It prints how long each step took.
"""

from __future__ import annotations

import argparse
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
from dataclasses import dataclass
from pathlib import Path

import nbformat

# The browser that prints the PDF, shared with the templates and handouts.
from cdatools.printing import CHROMIUM, chromium_page, print_pdf

ROOT = Path(__file__).resolve().parents[1]
COURSE = ROOT / "course"
BOOK = Path(__file__).resolve().parent
BUILD = ROOT / "build"

TITLE = "Cluster Governance, Trust and the Role of the CDA"
# The first line of a figure's caption cell: **Figure.** (the course's form), and the
# older *Figure 1.* form while notebooks move over.
CAPTION = re.compile(r"^\s*(\*\*Figure\.\*\*|\*\*Figure \d+\.\*\*|\*Figure \d+\.)")
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


def unlisted_notebooks(order: list[str], course: Path = COURSE) -> list[str]:
    """Course notebooks that the README's table does not list (sorted)."""
    found = []
    for path in sorted(course.rglob("*.ipynb")):
        relative = path.relative_to(course).as_posix()
        if any(part in {"my-work", ".ipynb_checkpoints"} for part in path.parts):
            continue
        if relative not in order:
            found.append(relative)
    return found


# ----------------------------------------------------------------------------- notebooks
def caption_text(source: str) -> str:
    """A caption cell's text as plain text for an image's ``alt`` attribute."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", source)  # links: keep their words
    text = re.sub(r"[*_`]", "", text)
    text = re.sub(r"^\s*Figure( \d+)?\.\s*", "", text)
    return " ".join(text.split())


def quiz_markdown(quiz_file: Path, check: str | None = None) -> str:
    """A quiz's questions as MyST markdown, the answers folded in a dropdown.

    The questions are read with :func:`cdatools.quiz.load_questions`, as the quiz in the
    notebook reads them (``check`` names a short in-lesson check).
    """
    from cdatools.quiz import load_questions

    try:
        questions = load_questions(quiz_file, check) if check else load_questions(quiz_file)
    except (ValueError, OSError) as error:
        raise BookError(f"{quiz_file}: cannot show the quiz: {error}") from error
    letters = "abcdefghijklmnopqrstuvwxyz"
    lines = [
        "**Self-check quiz.** In Jupyter this cell shows the quiz: choose an answer and "
        "press **Check** to see why it is right or wrong. Here are its questions; "
        "the answers are folded away below.",
        "",
    ]
    answers = []
    for number, question in enumerate(questions, 1):
        lines += [f"{number}. {question.prompt}", ""]
        lines += [f"   {letters[i]}. {option}" for i, option in enumerate(question.options)]
        lines.append("")
        correct = question.correct
        correct = sorted([correct] if isinstance(correct, int) else correct)
        explained = "; ".join(f"{letters[i]}: {question.explanations[i]}" for i in correct)
        answers.append(f"{number}. {explained}")
    lines += [":::{dropdown} Answers", "", *answers, "", ":::"]
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


def relink(text: str, documents: list[str], here: str = "") -> str:
    """Keep links to web pages and to the book's notebooks; other links keep their words only.

    Links to files that are not part of the book (a README, a folder) would lead nowhere
    on the website.
    """
    folder = Path(here).parent

    def replace(found: re.Match[str]) -> str:
        words, target = found.group(1), found.group(2)
        address = target.split("#", 1)[0]
        if re.match(r"^[a-z]+:", target) or target.startswith("#"):
            return found.group(0)
        resolved = os.path.normpath((folder / address).as_posix()) if address else ""
        if resolved in documents:
            return found.group(0)
        return words

    return re.sub(r"(?<!!)\[([^\]]+)\]\(([^)\s]+)\)", replace, text)


def prepare_notebook(
    source: Path, relative: str, documents: list[str] | None = None
) -> nbformat.NotebookNode:
    """Return the book's copy of one notebook (see the module docstring, step 2)."""
    try:
        notebook = nbformat.read(source, as_version=4)
    except Exception as error:  # nbformat raises several kinds for a broken file
        raise BookError(f"{source} is not a readable notebook: {error}") from error
    notebook = copy.deepcopy(notebook)
    cells = notebook.cells
    prepared = []
    for index, cell in enumerate(cells):
        cell.pop("id", None)
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
        if cell.cell_type == "markdown":
            # An HTML anchor (<a id="broker"></a>) becomes a MyST target, so links such as
            # glossary.ipynb#broker resolve on the website too.
            cell.source = ANCHOR.sub(r"(\1)=\n", cell.source)
        if cell.cell_type == "markdown" and documents is not None:
            cell.source = relink(cell.source, documents, relative)
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
                if not quiz_file.is_file():
                    raise BookError(f"{source}, cell {index + 1}: quiz file {quiz_file} is missing")
                tags = cell.metadata.setdefault("tags", [])
                if "remove-output" not in tags:
                    tags.append("remove-output")
                text = quiz_markdown(quiz_file, quiz.group(2))
                prepared.append(nbformat.v4.new_markdown_cell(text))
    pictures = nbformat.v4.new_code_cell(
        f"# cdatools {library_fingerprint()}\nimport sys\n\nsys.path.insert(0, {str(BOOK)!r})\n"
        "import widget_pictures\n\nwidget_pictures.register()"
    )
    pictures.metadata["tags"] = ["remove-cell"]
    download = nbformat.v4.new_markdown_cell(
        f"{{download}}`Download this notebook (.ipynb) </_notebooks/{relative}>` "
        "to run it in JupyterLab with the course's `cdatools` package "
        "(see *Start here*)."
    )
    notebook.cells = [*prepared[:1], download, pictures, *prepared[1:]]
    for cell in notebook.cells:
        cell.pop("id", None)
    notebook.nbformat_minor = 4
    return notebook


def write_if_changed(target: Path, text: str | bytes) -> bool:
    """Write ``target`` only when its content changes, so Sphinx rereads only what changed."""
    data = text.encode("utf-8") if isinstance(text, str) else text
    if target.exists() and target.read_bytes() == data:
        return False
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    return True


def index_markdown(readme: Path, order: list[str]) -> str:
    """The site's home page: the course README's introduction and table."""
    text = readme.read_text(encoding="utf-8")
    text = text.split("\n## Coverage of the module", 1)[0]
    body = text.split("\n", 1)[1] if text.startswith("# ") else text

    body = relink(body, order)
    return (
        f"# {TITLE}\n\n"
        "This is the course as a website: every notebook has been run, so its figures and "
        "tables show. It works without an internet connection, also opened from a USB stick. "
        "The whole course is also in one file to print, "
        '<a href="course.pdf">course.pdf</a> (<code>make book</code> makes it with the site).\n\n'
        "To use the interactive planning tools and quizzes, download a notebook (each page "
        "has a link) and run it in JupyterLab with the course installed (`make lab`).\n\n"
        f"{body.strip()}\n"
    )


def toc_yaml(order: list[str]) -> str:
    """A Jupyter Book table of contents with one chapter per notebook, in order."""
    lines = ["format: jb-book", "root: index", "chapters:"]
    lines += [f"  - file: {Path(path).with_suffix('').as_posix()}" for path in order]
    return "\n".join(lines) + "\n"


def config_yaml(cache: Path) -> str:
    text = (BOOK / "_config.yml").read_text(encoding="utf-8")
    return text.replace("@CACHE@", str(cache)).replace("@STATIC@", str(BOOK / "static"))


def prepare_sources(src: Path, cache: Path, course: Path = COURSE) -> list[str]:
    """Write the book's sources into ``src`` and return the course order used."""
    order = course_order(course / "README.md")
    extra = unlisted_notebooks(order, course)
    if extra:
        print(
            "book: course/README.md's table does not list "
            + ", ".join(extra)
            + "; they are added at the end of the book",
            file=sys.stderr,
        )
    order = order + extra
    wanted = {"_config.yml", "_toc.yml", "index.md"}
    write_if_changed(src / "_config.yml", config_yaml(cache))
    write_if_changed(src / "_toc.yml", toc_yaml(order))
    write_if_changed(src / "index.md", index_markdown(course / "README.md", order))
    for relative in order:
        notebook = prepare_notebook(course / relative, relative, order)
        write_if_changed(src / relative, nbformat.writes(notebook) + "\n")
        write_if_changed(src / "_notebooks" / relative, (course / relative).read_bytes())
        wanted.update({relative, f"_notebooks/{relative}"})
    # Data files the notebooks read (quizzes), and nothing a trainee saved.
    for path in sorted(course.rglob("*")):
        relative = path.relative_to(course).as_posix()
        if path.is_file() and path.suffix in {".json", ".csv"} and "my-work" not in path.parts:
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
def run_jupyter_book(src: Path, out: Path) -> None:
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
    warnings = [
        line
        for line in result.stderr.splitlines()
        if "WARNING:" in line and "IPKernelApp" not in line
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


def print_html(parts: list[Chapter], pages: dict[str, int] | None = None) -> str:
    """The whole course as one HTML document for printing."""
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
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{html.escape(TITLE)}</title><style>{PRINT_CSS}</style></head><body>"
        f'<div class="cover"><h1>{html.escape(TITLE)}</h1>'
        "<p>A course for Cluster Development Agents, printed from the course website.</p>"
        f"<p>Printed {time.strftime('%d %B %Y')}</p></div>"
        '<section class="chapter" id="contents"><h1>Contents</h1><nav class="toc"><ol>'
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


def build_pdf(site: Path, order: list[str], target: Path, state: Path | None = None) -> int:
    """Print the site's pages to one PDF with a table of contents and page numbers.

    The contents need each chapter's first page, which only printing tells. The first
    print uses the pages of the last build (kept in ``state``); when a chapter moved, a
    second print puts the new numbers in. When nothing that is printed changed, the PDF
    of the last build is kept. Returns how many times it printed (0, 1 or 2).
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
    text = print_html(parts, guess)
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    if target.exists() and last.get("html") == digest:
        return 0
    source = site / "_print.html"
    prints = 0
    try:
        with chromium_page() as page:
            source.write_text(text, encoding="utf-8")
            _print_pdf(page, source, target)
            prints = 1
            pages = chapter_pages(target, parts)
            if pages != guess:
                text = print_html(parts, pages)
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
def build(build_dir: Path = BUILD, pdf: bool = True, course: Path = COURSE) -> dict[str, float]:
    """Build the site (and the PDF) from ``course``; return how many seconds each step took."""
    timings: dict[str, float] = {}
    out = build_dir / "book"
    src = out / "src"
    cache = out / ".jupyter_cache"
    site = build_dir / "site"
    start = time.perf_counter()
    order = prepare_sources(src, cache, course)
    timings["prepare"] = time.perf_counter() - start
    start = time.perf_counter()
    run_jupyter_book(src, out)
    copy_site(out / "_build" / "html", site)
    timings["site"] = time.perf_counter() - start
    if pdf:
        start = time.perf_counter()
        target = build_dir / "course.pdf"
        build_pdf(site, order, target, out / "pdf-state.json")
        shutil.copy2(target, site / "course.pdf")
        timings["pdf"] = time.perf_counter() - start
    return timings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--build-dir", type=Path, default=BUILD, help="where to build (default: build/)"
    )
    parser.add_argument("--no-pdf", action="store_true", help="build the website only")
    args = parser.parse_args(argv)
    try:
        timings = build(args.build_dir.resolve(), pdf=not args.no_pdf)
    except BookError as error:
        print(f"make book: {error}", file=sys.stderr)
        return 1
    site = args.build_dir / "site" / "index.html"
    print(f"website: {site}")
    if not args.no_pdf:
        print(f"PDF:     {args.build_dir / 'course.pdf'}")
    print("time: " + ", ".join(f"{step} {seconds:.1f} s" for step, seconds in timings.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
