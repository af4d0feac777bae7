"""``make book``: the course as an offline website and a PDF.

The book is built once per test session (from a clean execution cache, into a scratch
folder) and many things are checked on it: every course notebook has a page, in the
order of ``course/README.md``'s table, with its outputs; figures are images with a
text alternative; widgets show a picture; nothing is loaded from another host; search
works from the file system in chromium; axe-core finds no serious or critical
accessibility problem; the PDF has a table of contents and every lesson.

The French and Spanish books are built in the same session, from a scratch copy of
``course/`` whose editions (``course/fr/``, ``course/es/``) keep only a sample of their
notebooks (:data:`EDITION_SAMPLE`): the glossary and, in French, the start page and the
planning toolkit with its six widgets (drawn by cdatools speaking French). That checks
the books' machinery (their language, the language switch on every page of the three
sites, links between the sites, the pages not yet translated, the PDFs) at a fixed cost,
whatever the translators have finished; the edition notebooks themselves run in
tests/test_i18n_notebooks.py.
"""

from __future__ import annotations

import html
import importlib.util
import itertools
import json
import os
import re
import shutil
import sys
import time
import unicodedata
import urllib.parse
from pathlib import Path

import pytest

from tests.axe import run_axe, severe
from tests.jupyter_lab import CHROMIUM, chromium_page, require_chromium

REPO_ROOT = Path(__file__).resolve().parents[1]
COURSE = REPO_ROOT / "course"
# The edition notebooks the session's French and Spanish books are built from (see above).
EDITION_SAMPLE = {
    "fr": ["00-start-here.ipynb", "glossary.ipynb", "planning-toolkit.ipynb"],
    "es": ["glossary.ipynb"],
}
TITLES = {
    "en": "Cluster Governance, Trust and the Role of the CDA",
    "fr": "Gouvernance des clusters, confiance et rôle de l'ADC",
    "es": "Gobernanza de clústeres, confianza y papel del ADC",
}


def load_build_module():
    """book/build.py, imported once (it is a script, not a package)."""
    if "book_build" in sys.modules:
        return sys.modules["book_build"]
    spec = importlib.util.spec_from_file_location("book_build", REPO_ROOT / "book" / "build.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["book_build"] = module
    spec.loader.exec_module(module)
    return module


def readme_order() -> list[str]:
    """The notebooks of course/README.md's table, read here independently of the build."""
    text = (COURSE / "README.md").read_text(encoding="utf-8")
    return list(dict.fromkeys(re.findall(r"^\|\s*\[[^\]]*\]\(([^)]+\.ipynb)\)", text, re.M)))


def captions(notebook: Path) -> list[str]:
    """The first lines of a notebook's figure captions (markdown cells starting **Figure.**)."""
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    found = []
    for cell in cells:
        source = "".join(cell["source"])
        if cell["cell_type"] == "markdown" and re.match(r"\s*\*{1,2}Figure( \d+)?\.", source):
            found.append(source)
    return found


def page_of(site: Path, notebook: str) -> Path:
    return site / Path(notebook).with_suffix(".html")


def article(page: Path) -> str:
    text = page.read_text(encoding="utf-8")
    found = re.search(r'<article class="bd-article">(.*?)</article>', text, re.S)
    assert found, f"{page} has no article"
    return found.group(1)


def sample_course(destination: Path) -> Path:
    """A copy of ``course/`` whose editions keep only :data:`EDITION_SAMPLE`'s notebooks."""

    def ignore(folder: str, names: list[str]) -> set[str]:
        ignored = {n for n in names if n in {"my-work", ".ipynb_checkpoints"}}
        relative = Path(folder).resolve().relative_to(COURSE.resolve())
        if relative.parts and relative.parts[0] in EDITION_SAMPLE:
            language, inside = relative.parts[0], Path(*relative.parts[1:])
            ignored |= {
                n
                for n in names
                if n.endswith(".ipynb") and (inside / n).as_posix() not in EDITION_SAMPLE[language]
            }
        return ignored

    shutil.copytree(COURSE, destination, ignore=ignore)
    return destination


@pytest.fixture(scope="session")
def book(tmp_path_factory):
    """Build the books once per session (websites and PDFs) and return the build folder.

    It builds into ``build/test-book/`` with its own execution caches, as ``make book``
    does into ``build/``: on a clean clone (CI) that is a full build; on a developer's
    machine, notebooks whose code and library did not change are not run again. The
    English course is ``course/`` as it is; the editions are :data:`EDITION_SAMPLE`.
    """
    pytest.importorskip(
        "jupyter_book", reason="make book needs the book extra (pip install .[book])"
    )
    pytest.importorskip("pypdf", reason="make book needs the book extra (pip install .[book])")
    require_chromium()
    build = load_build_module()
    course = sample_course(tmp_path_factory.mktemp("book-course") / "course")
    folder = REPO_ROOT / "build" / "test-book"
    start = time.perf_counter()
    timings = build.build(folder, pdf=True, course=course)
    print(f"\nbooks built in {time.perf_counter() - start:.0f} s: {timings}")
    return folder


# ------------------------------------------------------------------ fast: no build
def test_the_order_comes_from_the_readme_table(tmp_path):
    build = load_build_module()
    assert build.course_order() == readme_order()
    assert len(readme_order()) >= 10

    (tmp_path / "cases").mkdir()
    for name in ("a.ipynb", "cases/b.ipynb", "glossary.ipynb"):
        (tmp_path / name).write_text("{}")
    readme = tmp_path / "README.md"
    readme.write_text(
        "| Notebook | What |\n|---|---|\n"
        "| [`glossary.ipynb`](glossary.ipynb) | new material, listed first |\n"
        "| [`a.ipynb`](a.ipynb) | a |\n| [`cases/b.ipynb`](cases/b.ipynb) | b |\n"
    )
    assert build.course_order(readme) == ["glossary.ipynb", "a.ipynb", "cases/b.ipynb"]
    (tmp_path / "extra.ipynb").write_text("{}")
    assert build.unlisted_notebooks(build.course_order(readme), tmp_path) == ["extra.ipynb"]


def test_the_book_extra_is_in_step_with_environment_yml():
    import yaml
    from packaging.requirements import Requirement

    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib

    pyproject = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    extra = {str(Requirement(r)) for r in pyproject["project"]["optional-dependencies"]["book"]}
    assert any(r.startswith("jupyter-book") and "<2" in r for r in extra), extra
    assert "cdatools[book]" in pyproject["project"]["optional-dependencies"]["dev"]
    environment = yaml.safe_load((REPO_ROOT / "environment.yml").read_text(encoding="utf-8"))
    pip_lines = next(d["pip"] for d in environment["dependencies"] if isinstance(d, dict))
    listed = {str(Requirement(line)) for line in pip_lines if not line.startswith("-")}
    assert extra <= listed, f"environment.yml's pip section lacks {sorted(extra - listed)}"


def test_a_missing_notebook_in_the_table_is_named(tmp_path):
    build = load_build_module()
    readme = tmp_path / "README.md"
    readme.write_text("intro\n\n| [`gone.ipynb`](gone.ipynb) | x |\n")
    with pytest.raises(build.BookError, match=r"line 3: the course table names 'gone.ipynb'"):
        build.course_order(readme)
    readme.write_text("no table here\n")
    with pytest.raises(build.BookError, match="has no course table"):
        build.course_order(readme)


@pytest.mark.parametrize("label", ["Figure", "Figura"])  # English and French; Spanish
def test_a_caption_becomes_the_alt_text_of_the_figure_before_it(tmp_path, label):
    import nbformat

    build = load_build_module()
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_markdown_cell("# Title"),
        nbformat.v4.new_code_cell("ax = plot()"),
        nbformat.v4.new_markdown_cell(
            f"**{label}.** Ties *before* and after, see [Box 3](#box).\nSecond line."
        ),
    ]
    path = tmp_path / "n.ipynb"
    nbformat.write(notebook, path)
    prepared = build.prepare_notebook(path, "n.ipynb", ["n.ipynb"])
    code = next(c for c in prepared.cells if c.cell_type == "code" and "plot()" in c.source)
    assert code.metadata["mystnb"]["image"]["alt"] == (
        "Ties before and after, see Box 3. Second line."
    )
    assert nbformat.read(path, as_version=4) == notebook, "the course notebook is not changed"

    notebook.cells = [notebook.cells[0], notebook.cells[2]]
    nbformat.write(notebook, path)
    with pytest.raises(build.BookError, match=r"cell 2: a figure caption must follow the code"):
        build.prepare_notebook(path, "n.ipynb")


def test_each_quiz_shows_its_own_questions_with_the_answers_folded():
    from cdatools.quiz import load_questions

    build = load_build_module()
    order = readme_order()
    quizzes = 0
    for notebook in order:
        source = COURSE / notebook
        prepared = build.prepare_notebook(source, notebook, order)
        for index, cell in enumerate(prepared.cells):
            found = build.QUIZ_CALL.search(cell.source) if cell.cell_type == "code" else None
            if not found:
                continue
            quizzes += 1
            assert "remove-output" in cell.metadata["tags"]
            path, check = source.parent / found.group(1), found.group(2)
            questions = load_questions(path, check) if check else load_questions(path)
            static = prepared.cells[index + 1].source
            assert static.startswith("**Self-check quiz.**")
            assert [q.prompt for q in questions] == re.findall(r"^\d+\. (.*)$", static, re.M)[
                : len(questions)
            ]
            assert ":::{dropdown} Answers" in static
    assert quizzes >= 4, "every lesson ends with a quiz"


# ------------------------------------------------------------------ the built site
@pytest.mark.slow
def test_every_course_notebook_has_a_page_in_the_readme_order(book):
    site = book / "site"
    order = readme_order()
    for notebook in order:
        assert page_of(site, notebook).is_file(), f"no page for {notebook}"
    index = (site / "index.html").read_text(encoding="utf-8")
    navigation = re.search(r'<nav class="[^"]*bd-docs-nav[^"]*"[^>]*>(.*?)</nav>', index, re.S)
    assert navigation, "index.html has no navigation"
    navigation = navigation.group(1)
    linked = [
        link.removesuffix(".html") + ".ipynb"
        for link in re.findall(r'href="([^"#]+\.html)"', navigation)
        if link != "index.html"
    ]
    assert linked[: len(order)] == order
    # The pages follow each other in the same order (the "next" link at the foot).
    for here, following in itertools.pairwise(order):
        text = page_of(site, here).read_text(encoding="utf-8")
        found = re.search(r'<a class="right-next"\s+href="([^"]+)"', text)
        assert found, f"{here} has no link to the next page"
        target = (page_of(site, here).parent / found.group(1)).resolve()
        assert target == page_of(site, following).resolve()


@pytest.mark.slow
def test_every_notebook_was_run_and_no_cell_failed(book):
    site = book / "site"
    for notebook in readme_order():
        cells = json.loads((COURSE / notebook).read_text(encoding="utf-8"))["cells"]
        body = article(page_of(site, notebook))
        assert "Traceback" not in body and "Error</span>" not in body, notebook
        if any(c["cell_type"] == "code" for c in cells):
            assert "cell_output" in body, f"{notebook}: no output on its page"


@pytest.mark.slow
def test_every_figure_is_an_image_with_its_caption_as_alt_text(book):
    site = book / "site"
    for notebook in readme_order():
        body = article(page_of(site, notebook))
        images = re.findall(r"<img\b[^>]*>", body)
        for image in images:
            alt = re.search(r'\balt="([^"]*)"', image)
            assert alt and alt.group(1).strip(), f"{notebook}: image without alt text {image[:120]}"
        alts = [html.unescape(re.search(r'\balt="([^"]*)"', i).group(1)) for i in images]
        for caption in captions(COURSE / notebook):
            words = re.sub(r"[*_`]|\[|\]\([^)]*\)", "", caption.split("\n")[0])
            words = re.sub(r"^\s*Figure( \d+)?\.\s*", "", words).strip()[:60]
            assert any(alt.startswith(words) for alt in alts), (
                f"{notebook}: no image has the caption {words!r} as its alt text"
            )


@pytest.mark.slow
def test_widgets_show_a_picture_and_how_to_use_them(book):
    site = book / "site"
    toolkit = article(site / "planning-toolkit.html")
    pictures = re.findall(r'<figure class="cda-widget-picture">(.*?)</figure>', toolkit, re.S)
    assert len(pictures) == 6, "the toolkit's six planning tools should each show a picture"
    for picture in pictures:
        assert re.search(r'<img src="data:image/png;base64,[^"]{2000,}" alt="Picture of', picture)
        assert "JupyterLab" in picture and "make lab" in picture
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "widget-view+json" not in text, f"{page.name}: a live widget view"
        assert not re.search(r"\w+\(children=\(", text), f"{page.name}: a widget's raw text"
    lesson3 = article(site / "03-building-trust.html")
    assert "Self-check quiz" in lesson3 and "functional trust" in lesson3.lower()


ELSEWHERE = re.compile(r"^(?:[a-z][a-z0-9+.-]*:)?//", re.I)


@pytest.mark.slow
def test_no_page_loads_anything_from_another_host(book):
    site = book / "site"
    problems = []
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        tags = re.findall(r"<(?:script|img|iframe|source|audio|video|embed)\b[^>]*>", text)
        tags += [t for t in re.findall(r"<link\b[^>]*>", text) if "stylesheet" in t or "pre" in t]
        for tag in tags:
            for value in re.findall(r'\b(?:src|href|srcset|data)="([^"]*)"', tag):
                if ELSEWHERE.match(value.strip()):
                    problems.append(f"{page.relative_to(site)}: {tag[:160]}")
        for value in re.findall(r"url\(\s*['\"]?([^'\")]+)", text):
            if ELSEWHERE.match(value):
                problems.append(f"{page.relative_to(site)}: url({value})")
        if re.search(r"https?://[^\"'\s]*(mathjax|unpkg|jsdelivr|cdnjs|googleapis|thebe)", text):
            problems.append(f"{page.relative_to(site)}: names a CDN")
    for sheet in site.rglob("*.css"):
        text = sheet.read_text(encoding="utf-8", errors="replace")
        for value in re.findall(r"(?:url\(|@import)\s*['\"]?([^'\")\s;]+)", text):
            if ELSEWHERE.match(value):
                problems.append(f"{sheet.relative_to(site)}: {value}")
    assert problems == []


@pytest.mark.slow
def test_search_index_and_downloads(book):
    site = book / "site"
    index = (site / "searchindex.js").read_text(encoding="utf-8")
    assert index.startswith("Search.setIndex(")
    assert "03-building-trust" in index
    for notebook in readme_order():
        body = article(page_of(site, notebook))
        link = re.search(r'<a class="reference download internal" download="" href="([^"]+)"', body)
        assert link, f"{notebook}: no download link"
        downloaded = page_of(site, notebook).parent / html.unescape(link.group(1))
        assert downloaded.name == Path(notebook).name
        # The notebook as it was in course/ when the book was built (unchanged, no outputs).
        assert (
            downloaded.read_bytes()
            == (book / "book" / "src" / "_notebooks" / notebook).read_bytes()
        )
        cells = json.loads(downloaded.read_text(encoding="utf-8"))["cells"]
        course_cells = json.loads((COURSE / notebook).read_text(encoding="utf-8"))["cells"]
        assert cells[0]["source"] == course_cells[0]["source"]
        assert all(not c.get("outputs") for c in cells)


@pytest.mark.slow
def test_the_pdf_has_contents_page_numbers_and_every_lesson(book):
    from pypdf import PdfReader

    reader = PdfReader(str(book / "course.pdf"))
    assert len(reader.pages) > 20
    width, height = float(reader.pages[0].mediabox.width), float(reader.pages[0].mediabox.height)
    assert abs(width - 595) < 2 and abs(height - 842) < 2, "A4 pages"
    titles = []
    for notebook in readme_order():
        first = json.loads((COURSE / notebook).read_text(encoding="utf-8"))["cells"][0]
        titles.append("".join(first["source"]).split("\n")[0].lstrip("# ").strip())

    def squeeze(text: str) -> str:  # no spaces (Chromium drops some), typographic quotes
        return "".join(text.replace("\u2019", "'").split())

    contents = squeeze(reader.pages[1].extract_text())
    assert contents.startswith("Contents")
    outline = {
        squeeze(str(item.title)): item for item in reader.outline if not isinstance(item, list)
    }
    for title in titles:
        assert squeeze(title) in contents, f"{title!r} is not in the table of contents"
        item = outline.get(squeeze(title))
        assert item is not None, f"{title!r} has no PDF bookmark"
        page = reader.get_destination_page_number(item)
        # The contents give the chapter's page number, and the page shows it in its footer.
        number = page + 1
        assert re.search(rf"{re.escape(squeeze(title))}\.*{number}", contents), title
        assert f"{number} / {len(reader.pages)}" in reader.pages[page].extract_text()
    figures = sum(len(captions(COURSE / n)) for n in readme_order())
    pictures = 0
    for page in reader.pages:  # image objects, counted without decoding them
        objects = page.get("/Resources", {}).get("/XObject", {})
        pictures += sum(1 for o in objects.values() if o.get_object().get("/Subtype") == "/Image")
    assert pictures >= figures
    assert (book / "site" / "course.pdf").read_bytes() == (book / "course.pdf").read_bytes()


# ------------------------------------------------------------------ in a browser
def blocked_elsewhere(page, failed: list[str], elsewhere: list[str]) -> None:
    """Abort every request that is not for a local file, and record it and any failure."""

    def route(route):
        elsewhere.append(route.request.url)
        route.abort()

    page.route(re.compile(r"^(?!file:|data:|about:|blob:)"), route)
    page.on("requestfailed", lambda request: failed.append(request.url))


@pytest.mark.slow
def test_the_site_works_from_the_file_system_and_search_finds_lesson_3(book):
    site = book / "site"
    lesson3 = json.loads((COURSE / "03-building-trust.ipynb").read_text(encoding="utf-8"))
    headings = " ".join(
        line
        for cell in lesson3["cells"]
        for line in "".join(cell["source"]).splitlines()
        if cell["cell_type"] == "markdown" and line.startswith("## ")
    )
    term = max(re.findall(r"[A-Za-z]{6,}", headings), key=len).lower()
    failed: list[str] = []
    elsewhere: list[str] = []
    with chromium_page() as page:
        blocked_elsewhere(page, failed, elsewhere)
        page.goto((site / "index.html").as_uri())
        page.wait_for_selector("nav.bd-docs-nav")
        page.click("nav.bd-docs-nav >> text=Lesson 3")
        page.wait_for_selector("article.bd-article img")
        assert page.url.endswith("03-building-trust.html")
        page.goto((site / "search.html").as_uri() + f"?q={term}")
        page.wait_for_selector("#search-results ul.search li a", timeout=30_000)
        results = page.eval_on_selector_all(
            "#search-results ul.search li a", "links => links.map(a => a.href)"
        )
        page.goto((site / "planning-toolkit.html").as_uri())
        page.wait_for_selector("figure.cda-widget-picture img")
        loaded = page.eval_on_selector_all(
            "figure.cda-widget-picture img", "imgs => imgs.map(i => i.naturalWidth)"
        )
    assert any(link.split("#")[0].endswith("03-building-trust.html") for link in results), (
        f"searching for {term!r} did not find Lesson 3: {results}"
    )
    assert all(width > 100 for width in loaded)
    assert elsewhere == [], "the site asked another host for something"
    assert failed == []


AXE_PAGES = [
    "index.html",
    "search.html",
    "03-building-trust.html",  # figures, a widget picture, quizzes with folded answers
    "planning-toolkit.html",  # six widget pictures
    "cases/04-bagru.html",
    "glossary.html",
    "fr/index.html",  # French text, the language switch, links to English pages
]


@pytest.mark.slow
def test_the_site_has_no_serious_accessibility_problems(book):
    """axe-core on the home page, search, and pages with every kind of content.

    Every page shares the theme; the pages checked hold every kind of output the course
    makes (tables, figures, widget pictures, quizzes, glossary anchors). The heading order
    of every page is checked in the next test.
    """
    site = book / "site"
    pages = [name for name in AXE_PAGES if (site / name).exists()]
    assert len(pages) >= 5
    problems = []
    with chromium_page() as page:
        for name in pages:
            page.goto((site / name).as_uri())
            page.wait_for_load_state("load")
            problems += [f"{name}: {line}" for line in severe(run_axe(page))]
    assert problems == []


@pytest.mark.slow
def test_every_page_has_one_title_and_headings_in_order(book):
    site = book / "site"
    problems = []
    pages = ["index.ipynb", *readme_order()]
    pages += [f"{lang}/{n}" for lang, sample in EDITION_SAMPLE.items() for n in ["index", *sample]]
    for notebook in pages:
        body = article(page_of(site, notebook))
        levels = [int(level) for level in re.findall(r"<h([1-6])\b", body)]
        if not levels or levels[0] != 1 or levels.count(1) != 1:
            problems.append(f"{notebook}: one h1 first, found {levels}")
        for before, after in itertools.pairwise(levels):
            if after - before > 1:
                problems.append(f"{notebook}: h{after} after h{before}")
    assert problems == []


def test_chromium_path_is_the_one_the_build_uses():
    build = load_build_module()
    assert build.CHROMIUM == CHROMIUM


# ------------------------------------------------------------------ French and Spanish
def edition_course(folder: Path) -> Path:
    """A small course with an English README table, notebooks, and French/Spanish editions."""
    import nbformat

    (folder / "quizzes").mkdir(parents=True)
    (folder / "README.md").write_text(
        "# The course notebooks\n\n| Notebook | What |\n|---|---|\n"
        "| [`a.ipynb`](a.ipynb) | a |\n| [`b.ipynb`](b.ipynb) | b |\n\n"
        "## Sources\n\nx\n\n## Coverage of the module\n\nnot on the home page\n",
        encoding="utf-8",
    )
    quiz = [
        {
            "prompt": "Who builds trust?",
            "options": ["The CDA", "Nobody"],
            "correct": 0,
            "explanations": ["Right: step by step.", "Wrong: it can be built."],
        }
    ]
    (folder / "quizzes" / "a.json").write_text(json.dumps(quiz), encoding="utf-8")
    for name, title in (("a.ipynb", "# Lesson A"), ("b.ipynb", "# Lesson B")):
        notebook = nbformat.v4.new_notebook()
        anchors = '<a id="key-points"></a>\n## Key points\n\nx'
        if name == "b.ipynb":
            anchors += '\n\n<a id="norms"></a>\n## Norms\n\ny'
        notebook.cells = [
            nbformat.v4.new_markdown_cell(f"{title}\n\nSee [lesson B](b.ipynb#norms)."),
            nbformat.v4.new_code_cell('Quiz("quizzes/a.json")'),
            nbformat.v4.new_markdown_cell(anchors),
        ]
        nbformat.write(notebook, folder / name)
    for language, title in (("fr", "# Leçon A"), ("es", "# Lección A")):
        edition = folder / language
        edition.mkdir()
        notebook = nbformat.v4.new_notebook()
        switch = nbformat.v4.new_markdown_cell("[English](../a.ipynb) · **Français**")
        switch["id"] = "i18n-switch"
        notebook.cells = [
            switch,
            nbformat.v4.new_markdown_cell(f"{title}\n\nVoir [la leçon B](../b.ipynb#norms)."),
            nbformat.v4.new_code_cell('Quiz("quizzes/a.json")'),
        ]
        notebook.metadata["cdatools"] = {"language": language, "untranslated_paragraphs": 3}
        nbformat.write(notebook, edition / "a.ipynb")
    (folder / "i18n").mkdir()
    (folder / "i18n" / "terms.csv").write_text("english,french\ntrust,confiance\n")
    return folder


def test_the_editions_are_books_of_their_own_not_pages_of_the_english_one(tmp_path):
    build = load_build_module()
    # The real course: no French or Spanish notebook is "unlisted" English material.
    assert not [n for n in build.unlisted_notebooks(readme_order()) if n.split("/")[0] in TITLES]
    course = edition_course(tmp_path / "course")
    assert build.unlisted_notebooks(["a.ipynb", "b.ipynb"], course) == []
    orders = build.book_orders(course)
    assert orders == {"en": ["a.ipynb", "b.ipynb"], "fr": ["a.ipynb"], "es": ["a.ipynb"]}
    src = tmp_path / "src"
    build.prepare_sources(src, tmp_path / "cache", course, "en", orders)
    written = sorted(p.relative_to(src).as_posix() for p in src.rglob("*") if p.is_file())
    assert not [p for p in written if p.split("/")[0] in {"fr", "es", "i18n"}], written
    assert "_toc.yml" in written and (src / "_toc.yml").read_text().count("- file:") == 2
    # An anchor one notebook has becomes a MyST target; one both have stays HTML (one
    # MyST target per name in a book).
    lesson_b = (src / "b.ipynb").read_text(encoding="utf-8")
    assert "(norms)=" in lesson_b and '<a id=\\"key-points\\"></a>' in lesson_b
    # The French book: its own notebooks, the English quiz under them, French settings.
    src_fr = tmp_path / "src-fr"
    assert build.prepare_sources(src_fr, tmp_path / "cache-fr", course, "fr", orders) == ["a.ipynb"]
    assert (src_fr / "quizzes" / "a.json").is_file()
    config = (src_fr / "_config.yml").read_text(encoding="utf-8")
    assert "language: fr" in config and TITLES["fr"] in config
    index = (src_fr / "index.md").read_text(encoding="utf-8")
    assert index.startswith(f"# {TITLES['fr']}\n")
    assert "[Leçon A](a.ipynb)" in index and "La traduction avance" in index
    assert '<a href="../b.html" hreflang="en" lang="en">Lesson B</a> (en anglais)' in index
    english_index = (src / "index.md").read_text(encoding="utf-8")
    assert 'href="fr/index.html"' in english_index and "not on the home page" not in english_index


def test_an_edition_page_speaks_its_language(tmp_path):
    build = load_build_module()
    course = edition_course(tmp_path / "course")
    orders = build.book_orders(course)
    pages = build.all_pages(orders)
    prepared = build.prepare_notebook(
        course / "fr" / "a.ipynb",
        "a.ipynb",
        orders["fr"],
        language="fr",
        pages=pages,
        course=course,
    )
    sources = [c.source for c in prepared.cells]
    assert sources[0].startswith("# Leçon A"), "the notebook's own switch cell is left out"
    assert not any("**Français**" in s for s in sources)
    # A link to a lesson the edition lacks leads to the English page, saying so.
    assert 'Voir <a href="../b.html#norms">la leçon B</a> (en anglais).' in sources[0]
    assert sources[1].startswith(
        "{download}`Télécharger ce notebook (.ipynb) </_notebooks/a.ipynb>`"
    )
    assert "3 paragraphes de cette page ne sont pas encore traduits" in sources[2]
    hidden = next(c for c in prepared.cells if "widget_pictures.register" in c.source)
    assert "widget_pictures.register('fr')" in hidden.source
    quiz = next(s for s in sources if "Vérifiez vos acquis" in s)
    assert "1. Who builds trust?" in quiz and ":::{dropdown} Réponses" in quiz
    spanish = build.prepare_notebook(
        course / "es" / "a.ipynb",
        "a.ipynb",
        orders["es"],
        language="es",
        pages=pages,
        course=course,
    )
    assert any(c.source.startswith("{download}`Descargar este cuaderno") for c in spanish.cells)
    assert any(":::{dropdown} Respuestas" in c.source for c in spanish.cells)
    # A link to a French notebook the French book lacks leads to the English page.
    assert (
        build.relink("[B](b.ipynb)", ["a.ipynb"], "a.ipynb", "fr", pages)
        == '<a href="../b.html">B</a> (en anglais)'
    )
    # The English page's link to an edition leads to that site's page.
    english = build.relink("[commencer ici](fr/a.ipynb)", ["a.ipynb"], "a.ipynb", "en", pages)
    assert english == '<a href="fr/a.html">commencer ici</a>'
    assert build.relink("[x](fr/b.ipynb)", ["a.ipynb"], "a.ipynb", "en", pages) == "x"


def site_of(site: Path, language: str) -> Path:
    return site if language == "en" else site / language


def html_pages(site: Path, language: str) -> list[str]:
    root = site_of(site, language)
    return sorted(
        p.relative_to(root).as_posix()
        for p in root.rglob("*.html")
        if not p.relative_to(root).parts[0].startswith("_")
        and not (language == "en" and p.relative_to(root).parts[0] in EDITION_SAMPLE)
    )


@pytest.mark.slow
def test_each_edition_is_a_site_in_its_language_and_the_english_has_none_of_it(book):
    site = book / "site"
    for language, sample in EDITION_SAMPLE.items():
        root = site / language
        index = (root / "index.html").read_text(encoding="utf-8")
        assert f'<html lang="{language}"' in index
        shown = html.unescape(re.sub(r"<[^>]+>", "", article(root / "index.html")))
        assert TITLES[language] in shown.replace("\u2019", "'")
        for notebook in sample:
            page = page_of(root, notebook)
            assert page.is_file(), f"no {language} page for {notebook}"
            first = json.loads((COURSE / language / notebook).read_text(encoding="utf-8"))
            title = next(
                line.lstrip("# ").strip()
                for c in first["cells"]
                if c["cell_type"] == "markdown" and c.get("id") != "i18n-switch"
                for line in "".join(c["source"]).splitlines()
                if line.startswith("# ")
            )
            heading = re.sub(r"<[^>]+>|#", "", re.search(r"<h1>(.*?)</h1>", article(page)).group(1))
            squeeze = lambda s: "".join(html.unescape(s).replace("\u2019", "'").split())  # noqa: E731
            assert squeeze(heading) == squeeze(title), (language, notebook)
        # Every English page the edition lacks is on its home page, marked as English.
        missing = [n for n in readme_order() if n not in sample]
        body = article(root / "index.html")
        word = {"fr": "(en anglais)", "es": "(en inglés)"}[language]
        for notebook in missing:
            href = "../" + Path(notebook).with_suffix(".html").as_posix()
            assert re.search(
                rf'href="{re.escape(href)}"[^>]*>.*?</a>\s*{re.escape(word)}', body, re.S
            ), f"{language}/index.html does not lead to the English {notebook}"
    # The French toolkit's widget pictures were drawn with cdatools speaking French.
    toolkit = article(site / "fr" / "planning-toolkit.html")
    alts = [html.unescape(a) for a in re.findall(r'<img src="data:[^"]*" alt="([^"]*)"', toolkit)]
    assert len(alts) == 6 and all(a.startswith("Image de l'outil") for a in alts), alts
    assert any("Carte de la confiance : qui fait confiance" in a for a in alts), alts
    assert "make lab LANG=fr" in toolkit
    # The English book: its pages, no edition page in its navigation, sources or search.
    english = html_pages(site, "en")
    assert not [p for p in english if p.split("/")[0] in EDITION_SAMPLE]
    navigation = re.search(
        r'<nav class="[^"]*bd-docs-nav[^"]*"[^>]*>(.*?)</nav>',
        (site / "index.html").read_text(encoding="utf-8"),
        re.S,
    ).group(1)
    assert not re.search(r'href="(?:fr|es)/', navigation)
    src = book / "book" / "src"
    assert not [p for p in src.iterdir() if p.name in {"fr", "es", "i18n"}]
    assert '"fr/' not in (site / "searchindex.js").read_text(encoding="utf-8")


def switch_links(text: str) -> tuple[str, dict[str, tuple[str, str]]]:
    """The current language and, for each other language, its link and text, of a page."""
    found = re.search(r'<nav class="cda-language-switch"[^>]*>(.*?)</nav>', text, re.S)
    assert found, "no language switch"
    current = re.findall(r'<span aria-current="page" lang="(\w+)">', found.group(1))
    links = {
        lang: (href, re.sub(r"<[^>]+>", "", words))
        for href, lang, words in re.findall(
            r'<a href="([^"]+)" hreflang="(\w+)" lang="\w+">(.*?)</a>', found.group(1), re.S
        )
    }
    assert len(current) == 1, current
    return current[0], links


@pytest.mark.slow
def test_every_page_of_the_three_sites_has_a_language_switch_to_the_same_page(book):
    site = book / "site"
    languages = ["en", *EDITION_SAMPLE]
    pages = {language: set(html_pages(site, language)) for language in languages}
    missing_note = {"en": "English", "fr": "pas encore traduite", "es": "aún no traducida"}
    checked = 0
    for language in languages:
        for relative in pages[language]:
            text = (site_of(site, language) / relative).read_text(encoding="utf-8")
            if '<article class="bd-article">' not in text and "search-results" not in text:
                continue
            current, links = switch_links(text)
            assert current == language, relative
            assert set(links) == set(languages) - {language}, (language, relative)
            here = (site_of(site, language) / relative).parent
            for other, (href, words) in links.items():
                target = os.path.normpath(here / href)
                if relative in pages[other]:
                    assert target == os.path.normpath(site_of(site, other) / relative), (
                        f"{language}/{relative}: the {other} link leads to {href}"
                    )
                else:  # not translated: that language's home page, saying so in it
                    assert target == os.path.normpath(site_of(site, other) / "index.html")
                    assert missing_note[other] in words, (language, relative, words)
            checked += 1
    assert checked >= len(readme_order()) + sum(len(s) for s in EDITION_SAMPLE.values())
    # Both kinds of link are there: a translated page and one that is not.
    _, links = switch_links((site / "glossary.html").read_text(encoding="utf-8"))
    assert links["fr"][0] == "fr/glossary.html" and links["es"][0] == "es/glossary.html"
    _, links = switch_links((site / "02-governance-system.html").read_text(encoding="utf-8"))
    assert links["fr"][0] == "fr/index.html" and "pas encore traduite" in links["fr"][1]


def ids_of(page: Path, cache: dict[Path, set[str]]) -> set[str]:
    if page not in cache:
        text = page.read_text(encoding="utf-8", errors="replace")
        cache[page] = set(re.findall(r'\b(?:id|name)="([^"]+)"', text))
    return cache[page]


@pytest.mark.slow
def test_every_link_in_the_three_sites_resolves(book):
    """Every link and resource of every page leads to a file of the site, and to its anchor."""
    site = book / "site"
    problems = []
    ids: dict[Path, set[str]] = {}
    pages = list(site.rglob("*.html"))
    assert len(pages) > 30
    for page in pages:
        if {"_static", "_sources"} & set(page.relative_to(site).parts):
            continue  # the theme's templates
        text = page.read_text(encoding="utf-8")
        text = re.sub(r"<script\b.*?</script>", "", text, flags=re.S)
        for value in re.findall(r'\b(?:href|src)="([^"]*)"', text):
            value = html.unescape(value)
            if not value or re.match(r"^(?:[a-z][a-z0-9+.-]*:|//)", value, re.I):
                continue  # another host (checked elsewhere), data:, mailto:, javascript:
            address, _, anchor = value.partition("#")
            address = address.split("?", 1)[0]  # the theme's files carry ?digest=...
            target = (page.parent / urllib.parse.unquote(address)).resolve() if address else page
            where = f"{page.relative_to(site)}: {value}"
            if not target.is_relative_to(site.resolve()) or not target.exists():
                problems.append(f"{where} (no such file)")
            elif anchor and target.suffix == ".html" and anchor not in ids_of(target, ids):
                problems.append(f"{where} (no such anchor)")
    assert problems == []


@pytest.mark.slow
def test_the_french_and_spanish_pdfs_have_their_title_contents_and_pages(book):
    from pypdf import PdfReader

    def squeeze(text: str) -> str:  # no spaces, no ligatures (ﬁ), plain apostrophes
        return "".join(unicodedata.normalize("NFKC", text).replace("\u2019", "'").split())

    english = PdfReader(str(book / "course.pdf"))
    english_marks = [i for i in english.outline if not isinstance(i, list)]
    # The cover's title, the contents, then one bookmark per chapter.
    assert len(english_marks) == 2 + len(readme_order()), "no French or Spanish chapter in it"
    contents_word = {"fr": "Tabledesmatières", "es": "Índice"}
    for language, sample in EDITION_SAMPLE.items():
        pdf = book / f"course-{language}.pdf"
        assert pdf.is_file()
        assert (book / "site" / language / "course.pdf").read_bytes() == pdf.read_bytes()
        reader = PdfReader(str(pdf))
        assert squeeze(TITLES[language]) in squeeze(reader.pages[0].extract_text())
        assert squeeze(reader.pages[1].extract_text()).startswith(contents_word[language])
        titles = [squeeze(str(i.title)) for i in reader.outline if not isinstance(i, list)]
        assert len(titles) == 2 + len(sample)
        assert titles[:2] == [squeeze(TITLES[language]), contents_word[language]]
        first = article(book / "site" / language / "glossary.html")
        heading = re.sub(r"<[^>]+>|#", "", re.search(r"<h1>(.*?)</h1>", first).group(1))
        assert squeeze(html.unescape(heading)) in titles


@pytest.mark.slow
def test_a_reader_switches_language_in_chromium(book):
    """From the French glossary to the English one and on to the Spanish one, offline."""
    site = book / "site"
    failed: list[str] = []
    elsewhere: list[str] = []
    with chromium_page() as page:
        blocked_elsewhere(page, failed, elsewhere)
        page.goto((site / "fr" / "glossary.html").as_uri())
        page.wait_for_selector("nav.cda-language-switch")
        assert page.evaluate("document.documentElement.lang") == "fr"
        assert page.is_visible("nav.cda-language-switch >> text=English")
        page.screenshot(path=str(book / "fr-glossary.png"))
        page.click("nav.cda-language-switch >> text=English")
        page.wait_for_load_state("load")
        assert page.url.endswith("/site/glossary.html")
        assert page.evaluate("document.documentElement.lang") == "en"
        page.click("nav.cda-language-switch >> text=Español")
        page.wait_for_load_state("load")
        assert page.url.endswith("/site/es/glossary.html")
        assert page.evaluate("document.documentElement.lang") == "es"
        # An English page the Spanish book lacks: to the Spanish home page, which says so.
        page.goto((site / "02-governance-system.html").as_uri())
        page.click("nav.cda-language-switch >> text=Español")
        page.wait_for_load_state("load")
        assert page.url.endswith("/site/es/index.html")
        assert page.is_visible("article >> text=(en inglés)")
    assert elsewhere == [] and failed == []
