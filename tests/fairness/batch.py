"""One graded batch per assignment, shared by tests/test_assignments.py and test_fairness.py.

For each assignment, on a scratch copy of the course root, nbgrader generates the student
version; then these trainees hand in, and ONE ``nbgrader autograde`` call grades them all
(followed by one ``generate_feedback``):

- ``solved``: the source version, written answers in the trainee's words;
- ``blank``: the student version, unchanged;
- ``partial``: the source version with only the first answer kept;
- ``variantNN``: the answers of ``tests/fairness/<module>.py``, one answer per part
  (rotated, so that wrong early answers meet right later ones), each written in one of the
  three editions in turn (English, French, Spanish: ``EDITION_OF``);
- ``solved_fr``, ``blank_fr``, ``solved_es``, ``blank_es``: the solutions and the blank
  notebook in the French and Spanish editions (``exercises/release-fr|es``), built from
  the generated student version and the committed catalogs (tests/test_i18n_assignments.py).

Every edition is handed in to the one assignment, under the same notebook name, as a
trainee of that language hands it in: nbgrader grades them together.

Grading everything once, two assignments at a time, keeps ``make test`` short: the
assignment tests and the fairness tests read the same gradebooks.
"""

from __future__ import annotations

import html
import importlib.util
import json
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from tests.nbgrader_course import (
    EXERCISES,
    cell_by_grade_id,
    nbgrader,
    released,
    scratch_course,
    source,
    submit,
)

FIXTURES = Path(__file__).parent
MODULES = {
    "01-workplan": "workplan",
    "02-governance": "governance",
    "03-trust": "trust",
    "04-joint-actions": "joint_actions",
    "05-capstone-chontales": "capstone_chontales",
}
SOLUTION_BLOCK = re.compile(r"### BEGIN SOLUTION\n(.*?)### END SOLUTION", re.S)
HIDDEN_BLOCK = re.compile(r"### BEGIN HIDDEN TESTS\n(.*?)### END HIDDEN TESTS", re.S)


def nbgrader_meta(cell) -> dict:
    return cell.metadata.get("nbgrader", {})


def notebooks_of(assignment: str) -> list[str]:
    folder = EXERCISES / "source" / assignment
    return sorted(p.name for p in folder.glob("*.ipynb"))


def as_handed_in(notebook, written: str = "My own answer, in my own words."):
    """A copy of a source notebook whose written answers are a trainee's, not the mark scheme."""
    notebook = nbformat.from_dict(json.loads(json.dumps(notebook)))
    for cell in notebook.cells:
        if nbgrader_meta(cell).get("solution") and cell.cell_type == "markdown":
            cell.source = written
    return notebook


def stub_solutions(notebook, keep: int = 0):
    """A copy of a source notebook with all but the first ``keep`` answers cleared."""
    notebook = nbformat.from_dict(json.loads(json.dumps(notebook)))
    kept = 0
    for cell in notebook.cells:
        meta = nbgrader_meta(cell)
        if meta.get("solution") and cell.cell_type == "code":
            if kept < keep:
                kept += 1
                continue
            cell.source = SOLUTION_BLOCK.sub("raise NotImplementedError()\n", cell.source)
    return notebook


def visible_text(page: str) -> str:
    """The text a reader sees in an HTML page (syntax highlighting split into spans)."""
    page = re.sub(r"<(script|style)\b.*?</\1>", "", page, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", "", page))


def secret_lines(notebook) -> list[str]:
    """Distinctive lines of hidden tests and mark schemes."""
    lines = []
    for cell in notebook.cells:
        meta = nbgrader_meta(cell)
        blocks = HIDDEN_BLOCK.findall(cell.source)
        if meta.get("solution") and cell.cell_type == "markdown":
            blocks += SOLUTION_BLOCK.findall(cell.source)
        for block in blocks:
            lines += [s.strip() for s in block.splitlines() if len(s.strip()) > 25]
    return lines


def fixtures_of(assignment: str) -> dict[str, dict[str, dict[str, str]]]:
    """The answer variants of an assignment: ``{answer grade id: {"right"|"wrong": {...}}}``."""
    path = FIXTURES / f"{MODULES[assignment]}.py"
    spec = importlib.util.spec_from_file_location(f"fairness_{MODULES[assignment]}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.PARTS


@dataclass(frozen=True)
class Answer:
    """One answer put in one part of one submission."""

    part: str
    name: str  # the variant's name; "solution" for the source's own answer
    right: bool


def autograded_parts(notebook) -> list[str]:
    """Grade ids of the answer cells whose part is autograded (``<id>_tests`` exists)."""
    ids = [nbgrader_meta(c).get("grade_id") for c in notebook.cells]
    return [i for i in ids if i and f"{i}_tests" in ids]


def plan_batch(parts: list[str], fixtures) -> list[dict[str, Answer]]:
    """Submissions that carry every variant once, rotated so that parts mix."""
    lists = {}
    for part in parts:
        right = [Answer(part, name, True) for name in fixtures[part]["right"]]
        wrong = [Answer(part, name, False) for name in fixtures[part]["wrong"]]
        mixed = [a for pair in zip(right, wrong, strict=False) for a in pair]
        mixed += right[len(wrong) :] + wrong[len(right) :]
        lists[part] = mixed
    count = max(len(v) for v in lists.values())
    batch = []
    for k in range(count):
        chosen = {}
        for i, part in enumerate(parts):
            padded = lists[part] + [Answer(part, "solution", True)] * (count - len(lists[part]))
            chosen[part] = padded[(k + i) % count]
        batch.append(chosen)
    return batch


def build(notebook, fixtures, chosen: dict[str, Answer]):
    """A handed-in copy of the source notebook with the chosen answers in place."""
    notebook = as_handed_in(notebook)
    for part, answer in chosen.items():
        if answer.name != "solution":
            kind = "right" if answer.right else "wrong"
            cell_by_grade_id(notebook, part).source = fixtures[part][kind][answer.name].strip()
    return notebook


def variant_student(k: int) -> str:
    return f"variant{k:02d}"


#: The languages the student versions are released in; variant k is written in the k-th mod 3.
EDITIONS = ("en", "fr", "es")


def edition_of(k: int) -> str:
    """The edition the ``k``-th variant submission is written in."""
    return EDITIONS[k % len(EDITIONS)]


def build_editions(course: Path, assignment: str, name: str) -> dict[str, object]:
    """The French and Spanish editions of the generated student version, built in ``course``.

    Built as ``make assignments`` builds them: from ``release/`` and the catalogs in
    ``i18n/`` into ``release-fr/`` and ``release-es/``.
    """
    from cdatools import notebook_i18n

    release = course / "release"
    return {
        lang: nbformat.read(
            notebook_i18n.build(release / assignment / name, lang, course=release), as_version=4
        )
        for lang in EDITIONS[1:]
    }


def answered_in(edition, answered):
    """The edition with every answer cell holding what ``answered`` holds (by grade id).

    This is what a trainee does in an edition: they type into its answer cells; its text
    stays in their language, its grading cells are the English ones.
    """
    edition = nbformat.from_dict(json.loads(json.dumps(edition)))
    answers = {
        nbgrader_meta(c)["grade_id"]: c.source
        for c in answered.cells
        if nbgrader_meta(c).get("solution")
    }
    for cell in edition.cells:
        if nbgrader_meta(cell).get("solution"):
            cell.source = answers[nbgrader_meta(cell)["grade_id"]]
    return edition


@dataclass
class Graded:
    """An assignment's graded batch: where it is and what each variant submission holds."""

    course: Path
    assignment: str
    notebook: str
    batch: list[dict[str, Answer]] = field(default_factory=list)


def grade_assignment(assignment: str, root: Path) -> Graded:
    """Generate, hand in every submission, autograde once and write feedback once."""
    course = scratch_course(root / assignment)
    nbgrader(course, "generate_assignment", assignment, "--force", "--log-level=WARN")
    (name,) = notebooks_of(assignment)
    solved = source(course, assignment, name)
    submit(course, "solved", assignment, {name: as_handed_in(solved)})
    submit(course, "blank", assignment, {name: released(course, assignment, name)})
    submit(course, "partial", assignment, {name: stub_solutions(as_handed_in(solved), keep=1)})
    editions = build_editions(course, assignment, name)
    for lang, edition in editions.items():
        submit(
            course, f"solved_{lang}", assignment, {name: answered_in(edition, as_handed_in(solved))}
        )
        submit(course, f"blank_{lang}", assignment, {name: edition})
    fixtures = fixtures_of(assignment)
    batch = plan_batch(autograded_parts(solved), fixtures)
    for k, chosen in enumerate(batch):
        answered = build(solved, fixtures, chosen)
        if edition_of(k) != "en":
            answered = answered_in(editions[edition_of(k)], answered)
        submit(course, variant_student(k), assignment, {name: answered})
    nbgrader(course, "autograde", assignment, "--force", "--log-level=WARN")
    nbgrader(course, "generate_feedback", assignment, "--force", "--log-level=WARN")
    return Graded(course, assignment, name, batch)


_GRADED: dict[str, Graded] = {}


def graded_all(root: Path) -> dict[str, Graded]:
    """Every assignment's batch, graded once per test session, two assignments at a time."""
    if not _GRADED:
        with ThreadPoolExecutor(max_workers=2) as pool:
            futures = {a: pool.submit(grade_assignment, a, root) for a in MODULES}
            _GRADED.update({a: f.result() for a, f in futures.items()})
    return _GRADED
