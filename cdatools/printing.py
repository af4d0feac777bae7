"""Printing HTML pages to PDF with headless Chromium (driven by Playwright).

One place for the browser the course prints with: ``make book`` (``book/build.py``), the
templates' :func:`cdatools.templates.export` and ``make handouts``
(:mod:`cdatools.handouts`) all use it. The browser is Debian's chromium at
``/usr/bin/chromium``, or the program named by the environment variable
``CDATOOLS_CHROMIUM``. Pages are printed with every request outside the local files
blocked, so a page never reaches the network.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

CHROMIUM = Path(os.environ.get("CDATOOLS_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Page numbers in the footer of every printed page ("3 / 12").
FOOTER = (
    '<div style="font-size:8pt;width:100%;text-align:center;font-family:sans-serif">'
    '<span class="pageNumber"></span> / <span class="totalPages"></span></div>'
)
MARGINS = {"top": "18mm", "bottom": "20mm", "left": "16mm", "right": "16mm"}
PAPERS = ("A4", "Letter")


class PrintError(RuntimeError):
    """Printing to PDF cannot run here; the message says why and what to do."""


def printing_problem() -> str | None:
    """Why PDFs cannot be printed on this machine, or None when they can.

    Returns
    -------
    str or None
        A sentence naming what is missing (the browser or Playwright) and how to get
        it; None when both are there.

    Examples
    --------
    >>> problem = printing_problem()
    >>> problem is None or "chromium" in problem.lower() or "playwright" in problem.lower()
    True
    """
    if not CHROMIUM.exists():
        return (
            f"printing a PDF needs the Chromium browser at {CHROMIUM} (Debian: apt-get install "
            "chromium; elsewhere set CDATOOLS_CHROMIUM to a Chromium or Chrome program)"
        )
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return (
            "printing a PDF needs the Python package playwright "
            "(pip install -e '.[book]' in the course folder installs it)"
        )
    return None


@contextmanager
def chromium_page() -> Iterator[Any]:
    """A Playwright page in headless Chromium that can load local files only.

    Yields
    ------
    playwright.sync_api.Page
        A page whose requests to anything but ``file:``, ``data:`` and ``about:``
        addresses are aborted. The browser closes when the block ends.

    Raises
    ------
    PrintError
        If Chromium or Playwright is missing (see :func:`printing_problem`).

    Examples
    --------
    >>> with chromium_page() as page:  # doctest: +SKIP
    ...     print_pdf(page, Path("page.html"), Path("page.pdf"))
    """
    problem = printing_problem()
    if problem:
        raise PrintError(problem)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            page = browser.new_page()
            page.route(re.compile(r"^(?!file:|data:|about:)"), lambda route: route.abort())
            yield page
        finally:
            browser.close()


def print_pdf(
    page: Any,
    source: Path,
    target: Path,
    *,
    paper: str = "A4",
    footer: str = FOOTER,
    outline: bool = True,
) -> None:
    """Print one local HTML file to a PDF, with page numbers in the footer.

    Parameters
    ----------
    page : playwright.sync_api.Page
        A page from :func:`chromium_page`.
    source : pathlib.Path
        The HTML file to print.
    target : pathlib.Path
        The PDF to write (replaced when it exists).
    paper : {"A4", "Letter"}
        The paper size.
    footer : str
        Chromium's footer template (HTML); the default shows "page / pages".
    outline : bool
        Write PDF bookmarks from the page's headings.

    Raises
    ------
    ValueError
        If ``paper`` is not one of the sizes above.

    Examples
    --------
    >>> with chromium_page() as page:  # doctest: +SKIP
    ...     print_pdf(page, Path("minutes.html"), Path("minutes.pdf"), paper="Letter")
    """
    if paper not in PAPERS:
        raise ValueError(f"paper must be one of {', '.join(PAPERS)}, not {paper!r}")
    page.goto(Path(source).resolve().as_uri(), wait_until="load")
    page.pdf(
        path=str(target),
        format=paper,
        print_background=True,
        display_header_footer=True,
        header_template="<span></span>",
        footer_template=footer,
        margin=MARGINS,
        outline=outline,
        tagged=True,
    )


def print_files(pairs: Sequence[tuple[Path, Path]], *, paper: str = "A4") -> None:
    """Print several HTML files to PDFs with one launch of the browser.

    Parameters
    ----------
    pairs : sequence of (pathlib.Path, pathlib.Path)
        ``(html_file, pdf_file)`` pairs.
    paper : {"A4", "Letter"}
        The paper size.

    Raises
    ------
    PrintError
        If Chromium or Playwright is missing.

    Examples
    --------
    >>> print_files([])  # nothing to print: the browser is not started
    """
    if not pairs:
        return
    with chromium_page() as page:
        for source, target in pairs:
            print_pdf(page, source, target, paper=paper)
