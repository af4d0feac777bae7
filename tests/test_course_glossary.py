"""The glossary notebook defines the course's terms, and every notebook links the
first use of each term to its entry.

An entry in course/glossary.ipynb is ``<a id="ID"></a>`` then ``### Term``, a plain
definition, and optionally ``*Also written:* a; b.`` (other spellings). A use of a
term counts if it is outside headings, figure and table captions (their first
lines, used as text alternatives), code spans, quotations ("...") and links to
other pages; its first use in a notebook must be a link to ``glossary.ipynb#ID``.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from cdatools.notebook_i18n import is_edition

REPO_ROOT = Path(__file__).resolve().parents[1]
COURSE = REPO_ROOT / "course"
GLOSSARY = COURSE / "glossary.ipynb"
NOTEBOOKS = [
    p
    for p in sorted(
        p
        for p in COURSE.rglob("*.ipynb")
        if not {".ipynb_checkpoints", "my-work"} & set(p.parts) and not is_edition(p)
    )
    if p != GLOSSARY
]
ENTRY = re.compile(r'<a id="([a-z0-9-]+)"></a>\s*\n### (.+?)\s*\n(.*?)(?=<a id="|\Z)', re.S)
MASKS = [
    re.compile(r"`[^`\n]*`"),
    re.compile(r'"[^"\n]*"'),
    re.compile(r"\[[^\]\n]*\]\([^)\n]*\)"),
    re.compile(r"<[^>\n]+>"),
    re.compile(r"^#{1,6} .*$", re.M),
    re.compile(r"^\*\*(?:Figure|Table)\.\*\*.*$", re.M),
]
GLOSSARY_LINK = re.compile(r"\[([^\]\n]+)\]\((?:\.\./)?glossary\.ipynb#([a-z0-9-]+)\)")
REQUIRED = [
    "Public good",
    "Social capital",
    "Business development services",
    "Geographical Indication",
    "Ordinal scale",
    "Coefficient of variation",
    "Bootstrap interval",
    "Betweenness",
    "Burt's constraint",
    "Transitivity",
    "Multilateral trust",
    "Synthetic data",
]


def entries() -> dict[str, tuple[str, list[str], str]]:
    text = "\n\n".join(
        c.source for c in nbformat.read(GLOSSARY, as_version=4).cells if c.cell_type == "markdown"
    )
    found = {}
    for anchor, term, body in ENTRY.findall(text):
        names = [term]
        also = re.search(r"\*Also written:\* (.+)", body)
        if also:
            names += [a.strip().rstrip(".") for a in also.group(1).split(";")]
        found[anchor] = (term, names, body.strip())
    return found


def pattern(names: list[str]) -> re.Pattern[str]:
    alternatives = sorted((re.escape(n) for n in names), key=len, reverse=True)
    return re.compile(r"(?<![\w/#-])(" + "|".join(alternatives) + r")(?:s|es)?(?![\w-])", re.I)


def first_use(text: str, rx: re.Pattern[str]) -> re.Match[str] | None:
    masked = [(m.start(), m.end()) for mask in MASKS for m in mask.finditer(text)]
    for match in rx.finditer(text):
        if not any(a <= match.start() < b for a, b in masked):
            return match
    return None


def markdown(path: Path) -> list[str]:
    return [c.source for c in nbformat.read(path, as_version=4).cells if c.cell_type == "markdown"]


def test_glossary_defines_the_terms_a_cda_meets():
    terms = {term for term, _, _ in entries().values()}
    missing = [t for t in REQUIRED if t not in terms]
    assert not missing, f"the glossary lacks {missing}"
    for term, _, body in entries().values():
        definition = body.split("*Where:*")[0].strip()
        assert len(definition) >= 60, f"{term}: define it in a plain sentence or two"
        assert term.lower() not in definition.lower()[:20], f"{term}: do not define it by itself"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: str(p.relative_to(COURSE)))
def test_every_glossary_link_resolves(path):
    anchors = set(entries())
    for source in markdown(path):
        for _, anchor in GLOSSARY_LINK.findall(source):
            assert anchor in anchors, f"{path.name} links to glossary.ipynb#{anchor}, not an entry"
        for target in re.findall(r"\]\(([^)]*glossary\.ipynb[^)]*)\)", source):
            expected = "../glossary.ipynb" if path.parent.name == "cases" else "glossary.ipynb"
            assert target.split("#")[0] == expected, f"{path.name}: wrong path {target}"


def unlinked_first_uses(sources: list[str]) -> list[str]:
    problems = []
    for anchor, (term, names, _) in entries().items():
        rx = pattern(names)
        for source in sources:
            links = [(m.start(), m.end(), m.group(2)) for m in GLOSSARY_LINK.finditer(source)]
            linked = [(a, b) for a, b, target in links if target == anchor]
            plain = first_use(source, rx)
            first_link = min((a for a, _ in linked), default=None)
            if plain is None and first_link is None:
                continue
            if plain is not None and (first_link is None or plain.start() < first_link):
                problems.append(f"{term!r}: first used unlinked in {plain.group(0)!r}")
            break
    return problems


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: str(p.relative_to(COURSE)))
def test_first_use_of_each_term_links_to_the_glossary(path):
    problems = unlinked_first_uses(markdown(path))
    assert not problems, f"{path.relative_to(COURSE)}:\n" + "\n".join(problems)


def test_an_unlinked_first_use_is_found():
    sources = [
        "## Social capital\n\nWhere social capital is strong, contracts matter less.",
        "[Social capital](glossary.ipynb#social-capital) again.",
    ]
    assert unlinked_first_uses(sources) == [
        "'Social capital': first used unlinked in 'social capital'"
    ]


def test_every_lesson_and_case_links_the_glossary():
    for path in NOTEBOOKS:
        if path.name == "planning-toolkit.ipynb":
            continue
        assert any(GLOSSARY_LINK.search(s) for s in markdown(path)), path.name
