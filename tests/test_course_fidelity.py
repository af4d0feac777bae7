"""The course labels its own tools as its own, and never uses synthetic data as evidence.

course/README.md holds a fidelity list: every method, score, rule or measure the
course adds, with the module passage it serves, what it captures and what it
leaves out. These tests check that list against cdatools, that each notebook using
one of those tools says it is the course's, and that sentences the course review
found unfaithful do not come back.
"""

from __future__ import annotations

import importlib
import json
import re
from pathlib import Path

import nbformat
import pytest

from cdatools.notebook_i18n import is_edition

REPO_ROOT = Path(__file__).resolve().parents[1]
COURSE = REPO_ROOT / "course"
README = COURSE / "README.md"
FIDELITY = re.compile(r"<!-- fidelity-list: start -->(.*?)<!-- fidelity-list: end -->", re.S)
NAME = re.compile(r"`([a-z_]+)\.([A-Za-z_][A-Za-z0-9_]*)`")
NOTEBOOKS = sorted(
    p
    for p in COURSE.rglob("*.ipynb")
    if not {".ipynb_checkpoints", "my-work"} & set(p.parts) and not is_edition(p)
)
COURSE_LABEL = re.compile(r"course's (?:tool|tools|proxy|rule|reading)[^.]*not the module's", re.I)


def fidelity_rows(text: str) -> list[list[str]]:
    found = FIDELITY.search(text)
    if not found:
        raise AssertionError("course/README.md has no fidelity list between its two markers")
    rows = []
    for line in found.group(1).strip().splitlines()[2:]:
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        assert len(cells) == 6, f"fidelity row needs 6 cells: {line!r}"
        rows.append(cells)
    return rows


def listed_names(text: str) -> list[tuple[str, str]]:
    return [name for row in fidelity_rows(text) for name in NAME.findall(row[1])]


def test_every_listed_name_exists_in_cdatools():
    names = listed_names(README.read_text(encoding="utf-8"))
    assert len(names) >= 20
    missing = []
    for module, attribute in names:
        try:
            found = hasattr(importlib.import_module(f"cdatools.{module}"), attribute)
        except ModuleNotFoundError:
            found = False
        if not found:
            missing.append(f"{module}.{attribute}")
    assert not missing, f"course/README.md's fidelity list names what cdatools lacks: {missing}"


def test_a_made_up_name_would_be_caught():
    text = (
        "<!-- fidelity-list: start -->\n| a | b | c | d | e | f |\n|---|---|---|---|---|---|\n"
        "| X | `trust.no_such_measure` | p | c | l | u |\n<!-- fidelity-list: end -->"
    )
    ((module, attribute),) = listed_names(text)
    assert not hasattr(importlib.import_module(f"cdatools.{module}"), attribute)


def test_every_row_says_what_it_captures_and_leaves_out():
    for row in fidelity_rows(README.read_text(encoding="utf-8")):
        tool, names, passage, captures, leaves_out, used_in = row
        assert names and NAME.search(names), f"{tool}: no cdatools name"
        for what, cell in (
            ("passage", passage),
            ("captures", captures),
            ("leaves out", leaves_out),
        ):
            assert len(cell) > 20, f"{tool}: '{what}' is too thin: {cell!r}"
        assert used_in, f"{tool}: say where it is used"


@pytest.mark.parametrize(
    "name",
    [
        "workplan.hands_on_profile",
        "governance.scorecard",
        "joint_actions.rank_actions",
        "commission.check_commission",
        "trust.trust_measures",
        "trust.institution_trust",
        "stakeholders.mendelow_grid",
    ],
)
def test_the_tools_the_review_named_are_listed(name):
    module, attribute = name.split(".")
    assert (module, attribute) in listed_names(README.read_text(encoding="utf-8"))


def notebook_text(path: Path) -> tuple[str, str]:
    cells = nbformat.read(path, as_version=4).cells
    markdown = "\n".join(c.source for c in cells if c.cell_type == "markdown")
    code = "\n".join(c.source for c in cells if c.cell_type == "code")
    return markdown, code


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: str(p.relative_to(COURSE)))
def test_notebooks_using_a_course_tool_say_it_is_the_courses(path):
    markdown, code = notebook_text(path)
    used = sorted(
        {
            f"{module}.{attribute}"
            for module, attribute in listed_names(README.read_text(encoding="utf-8"))
            if re.search(rf"\b{module}\.{attribute}\b", code)
        }
    )
    if used:
        assert COURSE_LABEL.search(markdown), (
            f"{path.relative_to(COURSE)} uses {used} but never says, in a sentence, that "
            "it is the course's tool and not the module's"
        )


# Sentences the course review found unfaithful, and patterns of the same kind.
UNFAITHFUL = [
    r"that is what the module means",
    r"matches what the module describes",
    r"(confirms|proves|shows that) the module",
    r"the module's (way|ranking)",
    r"order the module advises",
    r"body to carry governance beyond the project",
    r"service institutions[^.]*may also join",
    r"most Commission seats should come from",
    r"just as the real",
    r"The project kept its promise",
    r"trust came first, and business followed",
    r"the agreement opened the door, and",
]


def course_texts() -> list[tuple[str, str]]:
    texts = [(str(p.relative_to(COURSE)), "\n".join(notebook_text(p))) for p in NOTEBOOKS]
    for quiz in sorted((COURSE / "quizzes").glob("*.json")):
        data = json.loads(quiz.read_text(encoding="utf-8"))
        items = data["questions"] + [q for check in data.get("checks", {}).values() for q in check]
        lines = [data["title"]]
        for item in items:
            lines.append(item["prompt"])
            lines += [
                f"{o} || {e}" for o, e in zip(item["options"], item["explanations"], strict=True)
            ]
        texts.append((quiz.name, "\n".join(lines)))
    texts.append(("README.md", README.read_text(encoding="utf-8")))
    return texts


@pytest.mark.parametrize("pattern", UNFAITHFUL)
def test_unfaithful_sentences_do_not_come_back(pattern):
    hits = []
    for name, text in course_texts():
        for match in re.finditer(pattern, text, re.I):
            start = text.rfind("\n", 0, match.start()) + 1
            line = text[start : text.find("\n", match.end())]
            if "|| Misconception:" in line:
                continue  # a quiz option may state a misconception in order to correct it
            hits.append(f"{name}: {line.strip()[:120]}")
    assert not hits, f"unfaithful wording {pattern!r} found:\n" + "\n".join(hits)


def test_the_unfaithful_check_can_fail():
    assert re.search(UNFAITHFUL[0], "That is what the module means by trust.", re.I)


def test_multilateral_trust_is_defined_as_the_module_defines_it():
    for name in ("03-building-trust.ipynb", "glossary.ipynb"):
        markdown, _ = notebook_text(COURSE / name)
        assert re.search(
            r"multilateral trust[^.]*entrepreneurs[^.]*representatives of their support "
            r"institutions",
            markdown,
            re.I | re.S,
        ), f"{name} must state the module's definition of multilateral trust"


def test_the_commission_is_temporary_in_every_description():
    for name, text in course_texts():
        for match in re.finditer(r"Cluster Commission[^.\n]*(permanent|beyond the project)", text):
            line = text[max(0, match.start() - 200) : match.end()]
            assert "Misconception" in line, f"{name}: {match.group(0)!r}"
