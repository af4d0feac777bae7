"""The grader's sheet: each written part's question, mark scheme and points, on one page.

nbgrader's formgrader shows the trainee's answer but not the mark scheme, which lives
inside the answer cell of the instructor version (``source/``). ``cdatools markscheme
ASSIGNMENT`` writes ``reports/<assignment>/markscheme.html`` in the course folder: for
every part graded by hand (a written answer or a task), the question as trainees read
it, the points, the cell's id as the formgrader names it, and the mark scheme with the
model answer. Open it in JupyterLab beside the formgrader (drag its tab to the side).

Examples
--------
>>> from cdatools.grading.sample import sample_notebook
>>> [(p.grade_id, p.points) for p in written_parts(sample_notebook())]
[('trust_answer', 1.0)]
>>> written_parts(sample_notebook())[0].mark_scheme
'One point for linking early visible results to trust between competitors.'
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

_SOLUTION = re.compile(r"^[ \t]*#+ *(BEGIN|END) SOLUTION.*$\n?", re.M)
_MARK_SCHEME = re.compile(r"=== BEGIN MARK SCHEME ===\s*\n(.*?)\n?\s*=== END MARK SCHEME ===", re.S)


class MarkSchemeError(RuntimeError):
    """The sheet cannot be written (no such assignment, no instructor version)."""


@dataclass(frozen=True)
class WrittenPart:
    """One part graded by hand.

    Attributes
    ----------
    notebook : str
        The notebook's name (without ``.ipynb``).
    grade_id : str
        The cell's id, as the formgrader shows it.
    points : float
        Its points.
    question : str
        The markdown text trainees read before answering (the part's heading and task).
    mark_scheme : str
        The mark scheme (markdown): nbgrader's mark-scheme region when the cell has
        one, else the whole instructor answer (criteria and model answer).
    """

    notebook: str
    grade_id: str
    points: float
    question: str
    mark_scheme: str


def _meta(cell: Any) -> dict[str, Any]:
    return dict(cell.get("metadata", {}).get("nbgrader", {}))


def _manual(cell: Any) -> bool:
    meta = _meta(cell)
    written = cell.cell_type == "markdown" and meta.get("solution") and meta.get("grade")
    return bool(written or meta.get("task"))


def written_parts(notebook: Any, name: str = "") -> list[WrittenPart]:
    """The parts of an instructor notebook that a trainer grades by hand.

    Parameters
    ----------
    notebook : nbformat.NotebookNode
        The instructor version (``source/<assignment>/<notebook>.ipynb``).
    name : str
        The notebook's name, recorded with each part.

    Returns
    -------
    list of WrittenPart
        In notebook order.
    """
    parts = []
    question: list[str] = []
    for cell in notebook.cells:
        if _manual(cell):
            meta = _meta(cell)
            text = cell.source
            found = _MARK_SCHEME.findall(text)
            scheme = "\n\n".join(s.strip() for s in found) if found else _SOLUTION.sub("", text)
            parts.append(
                WrittenPart(
                    notebook=name,
                    grade_id=str(meta.get("grade_id")),
                    points=float(meta.get("points") or 0),
                    question="\n\n".join(question).strip(),
                    mark_scheme=scheme.strip(),
                )
            )
            question = []
        elif cell.cell_type == "markdown" and not _meta(cell):
            source = cell.source.strip()
            # A part starts at its heading: keep the text from the last heading on.
            if re.match(r"^(---\s*\n)?#{1,3} ", source):
                question = []
            question.append(re.sub(r"^---\s*\n", "", source))
        elif cell.cell_type == "code" or _meta(cell):
            question = [] if _meta(cell).get("grade") else question
    return parts


def _markdown(text: str) -> str:
    from nbconvert.filters import markdown2html

    # Headings get a pilcrow link to themselves; on a printed or side-by-side sheet it is noise.
    return re.sub(r'<a class="anchor-link"[^>]*>.*?</a>', "", str(markdown2html(text)))


def _heading(question: str) -> str:
    for line in question.splitlines():
        if line.startswith("#"):
            return line.lstrip("#").strip()
    return ""


def sheet_html(assignment: str, parts: list[WrittenPart]) -> str:
    """The grader's sheet as a self-contained HTML page (nothing from another host).

    Parameters
    ----------
    assignment : str
        The assignment's name.
    parts : list of WrittenPart
        From :func:`written_parts`.

    Returns
    -------
    str
        The page.
    """
    total = sum(p.points for p in parts)
    sections = []
    for part in parts:
        sections.append(
            f"""<section>
<h2>{html.escape(part.grade_id)} <span class="points">{part.points:g} points</span></h2>
<p class="where">Notebook <code>{html.escape(part.notebook)}</code>: in the formgrader, the
answer box under <b>{html.escape(_heading(part.question) or part.grade_id)}</b>
(cell id <code>{html.escape(part.grade_id)}</code>).</p>
<h3>The question</h3>
<div class="question">{_markdown(part.question) if part.question else "<p>(no text)</p>"}</div>
<h3>Mark scheme</h3>
<div class="scheme">{_markdown(part.mark_scheme)}</div>
</section>"""
        )
    body = "\n".join(sections) or "<p>This assignment has no part graded by hand.</p>"
    title = f"Grader's sheet: {html.escape(assignment)}"
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<style>
body {{ font-family: system-ui, sans-serif; max-width: 52rem; margin: 1.5rem auto;
  padding: 0 1rem; color: #1d2b33; line-height: 1.45; }}
section {{ border-top: 3px solid #2f6f8f; margin-top: 2rem; }}
.points {{ font-size: 0.8em; color: #2f6f8f; margin-left: 0.5em; }}
.where {{ color: #4a5b66; font-size: 0.9em; }}
.question {{ background: #f3f6f8; padding: 0.2rem 1rem; }}
.scheme {{ background: #fffbe8; padding: 0.2rem 1rem; }}
table {{ border-collapse: collapse; }}
th, td {{ border: 1px solid #c9d6dd; padding: 0.25rem 0.5rem; vertical-align: top; }}
</style></head><body>
<h1>{title}</h1>
<p>Every part of {html.escape(assignment)} that you grade by hand: {len(parts)}
part{"s" if len(parts) != 1 else ""}, {total:g} points. Keep this page open beside
the formgrader's <i>Manual Grading</i> page; trainees never see it. Enter the points in
the formgrader's score box of the answer named here, and a short comment that says
which criteria the answer met.</p>
{body}
</body></html>
"""


def write_sheet(
    course: str | Path, assignment: str, out: str | Path | None = None
) -> tuple[Path, list[WrittenPart]]:
    """Write the grader's sheet of an assignment.

    Parameters
    ----------
    course : str or Path
        The nbgrader course root (with ``source/<assignment>/``).
    assignment : str
        The assignment.
    out : str or Path, optional
        The HTML file; ``<course>/reports/<assignment>/markscheme.html`` by default.

    Returns
    -------
    tuple of (Path, list of WrittenPart)
        The file written and the parts it shows.

    Raises
    ------
    MarkSchemeError
        When the folder is not a course or has no instructor version of the assignment.
    """
    import nbformat

    from cdatools.grading.course import CourseError, require_course, unknown_assignment_message

    try:
        root = require_course(course)
    except CourseError as error:
        raise MarkSchemeError(str(error)) from None
    source = root / "source"
    folder = source / assignment
    if not folder.is_dir():
        names = sorted(p.name for p in source.iterdir() if p.is_dir()) if source.is_dir() else []
        raise MarkSchemeError(unknown_assignment_message(assignment, names))
    parts: list[WrittenPart] = []
    for path in sorted(folder.glob("*.ipynb")):
        parts += written_parts(nbformat.read(path, as_version=4), path.stem)
    target = Path(out) if out else root / "reports" / assignment / "markscheme.html"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(sheet_html(assignment, parts), encoding="utf-8")
    return target, parts
