"""``make book``: the course as an offline website and a PDF.

The book is built once per test session (from a clean execution cache, into a scratch
folder) and many things are checked on it: every course notebook has a page, in the
order of ``course/README.md``'s table, with its outputs; figures are images with a
text alternative; widgets show a picture; nothing is loaded from another host; search
works from the file system in chromium; axe-core finds no serious or critical
accessibility problem; the PDF has a table of contents and every lesson.
"""

from __future__ import annotations

import html
import importlib.util
import itertools
import json
import re
import sys
import time
from pathlib import Path

import pytest

from tests.axe import run_axe, severe
from tests.jupyter_lab import CHROMIUM, chromium_page, require_chromium

REPO_ROOT = Path(__file__).resolve().parents[1]
COURSE = REPO_ROOT / "course"


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


@pytest.fixture(scope="session")
def book():
    """Build the book once per session (website and PDF) and return the build folder.

    It builds into ``build/test-book/`` with its own execution cache, as ``make book``
    does into ``build/``: on a clean clone (CI) that is a full build; on a developer's
    machine, notebooks whose code and library did not change are not run again.
    """
    pytest.importorskip(
        "jupyter_book", reason="make book needs the book extra (pip install .[book])"
    )
    pytest.importorskip("pypdf", reason="make book needs the book extra (pip install .[book])")
    require_chromium()
    build = load_build_module()
    folder = REPO_ROOT / "build" / "test-book"
    start = time.perf_counter()
    timings = build.build(folder, pdf=True)
    print(f"\nbook built in {time.perf_counter() - start:.0f} s: {timings}")
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


def test_a_caption_becomes_the_alt_text_of_the_figure_before_it(tmp_path):
    import nbformat

    build = load_build_module()
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_markdown_cell("# Title"),
        nbformat.v4.new_code_cell("ax = plot()"),
        nbformat.v4.new_markdown_cell(
            "**Figure.** Ties *before* and after, see [Box 3](#box).\nSecond line."
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
    for notebook in ["index.ipynb", *readme_order()]:
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
