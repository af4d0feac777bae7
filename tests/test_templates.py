"""The fill-in templates (course/templates/) and cdatools.templates: list, copy, export.

The export tests print real PDFs with Debian's chromium and read their text back with
pypdf; the rest runs without a browser. About 4 s in all on the 2-core machine.
"""

from __future__ import annotations

import doctest
import itertools
import re
from html.parser import HTMLParser
from pathlib import Path
from unicodedata import normalize

import pytest

from cdatools import printing, templates
from cdatools.templates import TemplateError
from tests.jupyter_lab import require_chromium

TEMPLATES = Path(__file__).resolve().parents[1] / "course" / "templates"
# The names the plan fixes, and the activities that use each one.
EXPECTED = {
    "business-case-one-pager": ["4.1"],
    "code-of-conduct": ["2.1"],
    "commission-terms-of-reference": ["4.2"],
    "diagnostic-presentation-agenda": ["3.1"],
    "exit-strategy-checklist": ["1.2"],
    "meeting-minutes": ["1.1", "2.2", "3.2", "4.2"],
    "memorandum-of-understanding": ["2.1"],
}


def text_of(name: str) -> str:
    return (TEMPLATES / f"{name}.md").read_text(encoding="utf-8")


def section(text: str, heading: str) -> str:
    """The Markdown under a '## ' heading that starts with ``heading``, up to the next one."""
    found = re.search(rf"(?ms)^## {re.escape(heading)}[^\n]*\n(.*?)(?=^## |\Z)", text)
    assert found, f"no '## {heading}' section"
    return found.group(1)


def table_headers(markdown: str) -> list[list[str]]:
    """The header cells of every Markdown table."""
    lines = markdown.splitlines()
    headers = []
    for before, after in itertools.pairwise(lines):
        if before.startswith("|") and re.fullmatch(r"\|(\s*:?-+:?\s*\|)+", after.strip()):
            headers.append([cell.strip() for cell in before.strip().strip("|").split("|")])
    return headers


class Structure(HTMLParser):
    """Counts what the rendered page holds."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: dict[str, int] = {}
        self.h1: list[str] = []
        self._in_h1 = False

    def handle_starttag(self, tag, attrs):
        self.tags[tag] = self.tags.get(tag, 0) + 1
        self._in_h1 = tag == "h1" or self._in_h1

    def handle_endtag(self, tag):
        if tag == "h1":
            self._in_h1 = False

    def handle_data(self, data):
        if self._in_h1:
            self.h1.append(data)


# ----------------------------------------------------------------------------- content
def test_the_seven_templates_of_the_plan_are_there():
    assert templates.list_templates() == sorted(EXPECTED)
    assert (TEMPLATES / "README.md").is_file()
    readme = (TEMPLATES / "README.md").read_text(encoding="utf-8")
    for name in EXPECTED:
        assert f"]({name}.md)" in readme, f"README.md does not link {name}.md"


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_template_has_title_how_to_use_and_blanks(name):
    text = text_of(name)
    lines = text.splitlines()
    assert lines[0].startswith("# ") and len(lines[0]) > 4, f"{name}: first line is not a title"
    how = text.split("\n\n")[1]
    assert how.startswith("**How to use.**"), f"{name}: the paragraph after the title"
    for activity in EXPECTED[name]:
        assert activity in how, f"{name}: 'How to use' does not name Activity {activity}"
    blanks = text.count("____") + text.count("- [ ]")
    empty_rows = len(re.findall(r"(?m)^\|(\s*\|)+\s*$", text))
    assert (blanks >= 5 and empty_rows >= 1) or blanks >= 10, f"{name}: too few blanks to fill"


def test_meeting_minutes_have_an_agreed_actions_table():
    actions = section(text_of("meeting-minutes"), "Agreed actions")
    assert table_headers(actions) == [["Action", "Who", "By when"]]
    assert len(re.findall(r"(?m)^\|(\s*\|){3}\s*$", actions)) >= 4, "rows to fill in"


def test_exit_strategy_has_a_handover_plan_and_the_six_characteristics():
    text = text_of("exit-strategy-checklist")
    plan = section(text, "Handover plan")
    header = table_headers(plan)[0]
    assert header[0].startswith("Task the CDA does") and header[1] == "Who takes it over"
    assert any("alone" in cell for cell in header), "when the counterpart works alone"
    ready = section(text, "Is the governance system ready")
    for word in ["represents", "responds", "innovation", "legitimate", "coordination", "sustain"]:
        assert word in ready, f"governance characteristic '{word}' missing"
    assert "several months" in text  # the module: written several months before the end


def test_memorandum_of_understanding_covers_what_the_plan_lists():
    headings = re.findall(r"(?m)^## (.*)$", text_of("memorandum-of-understanding"))
    joined = " | ".join(headings).lower()
    for part in [
        "parties",
        "joint action",
        "what each party brings",
        "decisions",
        "costs and benefits",
        "confidentiality",
        "leave",
        "duration and review",
        "signatures",
    ]:
        assert part in joined, f"MoU has no section on {part!r}: {headings}"


def test_commission_terms_follow_box_4_and_mark_the_course_suggestions():
    text = text_of("commission-terms-of-reference")
    members = section(text, "2. Members")
    for kind in [
        "representing the cluster's entrepreneurs",
        "provide services to the cluster",
        "Knowledge gatekeepers",
        "Local government",
    ]:
        assert kind in members, f"Box 4 category missing: {kind}"
    assert "defined period" in members  # guests while an issue is discussed
    assert "consultative" in text and "does not" in text  # not an executive agency
    for heading in ["3. Chair and rotation", "4. How the Commission decides", "5. Meetings"]:
        assert "course's suggestion" in section(text, heading), f"{heading}: not marked"
    assert re.search(r"(?m)^## 7\. .*exit", text), "a section on the CDA's exit"
    assert table_headers(section(text, "7."))[0][1].startswith("Member or organisation")


def test_additions_beyond_the_module_are_marked():
    # Every template that adds a rule of thumb says so in the course's words.
    for name in EXPECTED:
        text = text_of(name)
        assert "course's suggestion" in text or "course's note" in text or "The course" in text, (
            name
        )


# ----------------------------------------------------------------------------- render
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_template_renders_with_its_tables_and_boxes(name):
    text = text_of(name)
    page = templates.render_page(text)
    parsed = Structure()
    parsed.feed(page)
    assert "".join(parsed.h1).strip() == templates.markdown_title(text)
    assert parsed.tags.get("h1") == 1
    assert parsed.tags.get("table", 0) == len(table_headers(text))
    assert "|---" not in page and "| --- |" not in page, "a table was not rendered"
    boxes = text.count("[ ]")
    assert page.count("☐") == boxes, "every [ ] becomes a box"
    assert "<hr" not in page, "a blank line of ____ became a rule"
    assert "<script" not in page and "http" not in page.split("<body>")[0], "self-contained"


def test_rendering_keeps_dollars_accents_and_code():
    html_text = templates.render_markdown(
        "Price: $5 and $7 for Señora Ndèye's café.\n\n`[ ]` stays code\n\n- [x] done"
    )
    assert "$5 and $7" in html_text and "Señora Ndèye" in html_text
    assert "<code>[ ]</code>" in html_text and "☒" in html_text


# ----------------------------------------------------------------------------- copy
@pytest.fixture
def work(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "my-work"
    monkeypatch.setenv("CDATOOLS_WORK_DIR", str(folder))
    return folder


def test_copy_never_overwrites_a_filled_copy(work, capsys):
    path = templates.copy_template("meeting-minutes")
    assert path == work / "meeting-minutes.md"
    assert path.read_text(encoding="utf-8") == text_of("meeting-minutes")
    filled = path.read_text(encoding="utf-8").replace(
        "| Name of the meeting | |", "| Name of the meeting | Médiation tanneurs - ateliers |"
    )
    path.write_text(filled, encoding="utf-8")
    capsys.readouterr()

    again = templates.copy_template("meeting-minutes")
    message = capsys.readouterr().out
    assert again == path
    assert path.read_text(encoding="utf-8") == filled, "the filled copy was changed"
    assert "already have a copy" in message and str(path) in message and "new=True" in message

    second = templates.copy_template("Meeting-Minutes.md", new=True)
    third = templates.copy_template("meeting-minutes", new=True)
    assert [second.name, third.name] == ["meeting-minutes-2.md", "meeting-minutes-3.md"]
    assert second.read_text(encoding="utf-8") == text_of("meeting-minutes")
    assert path.read_text(encoding="utf-8") == filled


def test_copy_goes_to_my_work_without_the_variable(tmp_path, monkeypatch):
    monkeypatch.delenv("CDATOOLS_WORK_DIR", raising=False)
    monkeypatch.chdir(tmp_path)
    path = templates.copy_template("code-of-conduct")
    assert path == Path("my-work") / "code-of-conduct.md" and path.is_file()


def test_copy_into_a_given_folder_and_not_into_a_file(tmp_path):
    assert templates.copy_template("business-case-one-pager", tmp_path / "a" / "b").is_file()
    blocker = tmp_path / "notes.txt"
    blocker.write_text("mine", encoding="utf-8")
    with pytest.raises(TemplateError, match=r"notes.txt is a file, not a folder"):
        templates.copy_template("business-case-one-pager", blocker)
    assert blocker.read_text(encoding="utf-8") == "mine"


@pytest.mark.parametrize("wrong", ["minutes-of-meeting", "mou", "", "exit strategy"])
def test_unknown_name_names_it_and_the_valid_ones(work, wrong):
    with pytest.raises(TemplateError) as caught:
        templates.copy_template(wrong)
    message = str(caught.value)
    assert f"no template called {wrong!r}" in message
    for name in EXPECTED:
        assert name in message
    assert not work.exists() or not any(work.iterdir()), "nothing copied"


def test_a_near_miss_gets_a_suggestion():
    with pytest.raises(TemplateError, match=r"Did you mean 'meeting-minutes'\?"):
        templates.template_path("meeting-minute")


# ----------------------------------------------------------------------------- export
LONG_LINE = (
    "Les tanneurs livreront le cuir à la qualité convenue et les ateliers paieront dans les "
    "trente jours ; si une livraison est refusée, les deux parties se retrouvent chez le CDA "
    "dans la semaine pour regarder le cuir ensemble, et personne ne change ses prix sans "
    "prévenir les autres un mois à l'avance, ce que tout le monde a répété deux fois."
)
ADDRESS = "https://lomari.example/minutes/month-9/agreed-actions/mediation-tanneries-workshops"
FILLED = {
    "Name of the meeting": "Mediación: curtiembres y talleres (mes 9, inventado)",
    "Place": "Salle de la coopérative, Lomari — São João",
}
ACTIONS = [
    (
        "Publish a price list for leather grades A-C at $4.50 and $6",
        "Señora Ndèye Diop",
        "month 10",
    ),
    (LONG_LINE, "Ramón Pérez & Ana", "month 11"),
    (ADDRESS, "Jyoti Kumari", "month 12"),
]


def fill_minutes(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    for label, value in FILLED.items():
        text = text.replace(f"| {label} | |", f"| {label} | {value} |", 1)
    rows = "\n".join(f"| {a} | {w} | {b} |" for a, w, b in ACTIONS)
    text = text.replace(
        "| Action | Who | By when |\n|---|---|---|\n",
        f"| Action | Who | By when |\n|---|---|---|\n{rows}\n",
        1,
    )
    text = text.replace(
        "- [ ] Every action above has one named person",
        "- [x] Every action above has one named person",
    )
    path.write_text(text, encoding="utf-8")
    return text


def squeeze(text: str) -> str:
    """Text without white space, and the font's ligatures (ﬁ, ﬃ) as letters."""
    return "".join(normalize("NFKC", text).split())


def test_export_prints_the_filled_values_to_pdf(work):
    require_chromium()
    from pypdf import PdfReader

    path = templates.copy_template("meeting-minutes")
    fill_minutes(path)
    result = templates.export(path)
    assert (
        result.html == work / "meeting-minutes.html" and result.pdf == work / "meeting-minutes.pdf"
    )
    reader = PdfReader(str(result.pdf))
    assert 2 <= len(reader.pages) <= 5
    width, height = (float(v) for v in reader.pages[0].mediabox[2:])
    assert (round(width), round(height)) == (596, 843), "A4"
    text = squeeze("".join(page.extract_text() for page in reader.pages))
    for value in [*FILLED.values(), *(cell for row in ACTIONS for cell in row)]:
        assert squeeze(value) in text, f"not in the PDF: {value[:60]}"
    assert "☒" in text and "☐" in text

    # Nothing runs off the page: at the printed width the page needs no sideways scrolling.
    with printing.chromium_page() as page:
        page.set_viewport_size({"width": 680, "height": 1000})  # A4 less the margins, in px
        page.emulate_media(media="print")
        page.goto(result.html.resolve().as_uri())
        overflow = page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
    assert overflow <= 0, f"the page is {overflow}px wider than the paper"

    # Exporting again replaces the files it made itself.
    before = result.html.stat().st_mtime_ns
    templates.export(path, pdf=False)
    assert result.html.stat().st_mtime_ns >= before


def test_export_without_chromium_writes_html_and_says_how_to_print(work, monkeypatch, capsys):
    monkeypatch.setattr(printing, "CHROMIUM", Path("/nonexistent/chromium"))
    path = templates.copy_template("code-of-conduct")
    result = templates.export(path)
    out = capsys.readouterr().out
    assert result.pdf is None and result.html.is_file()
    assert not path.with_suffix(".pdf").exists()
    assert "No PDF of code-of-conduct.md" in out and "/nonexistent/chromium" in out
    assert "code-of-conduct.html in a web browser" in out


def test_export_refuses_what_it_must_not_touch(work, tmp_path):
    path = templates.copy_template("memorandum-of-understanding")
    mine = path.with_suffix(".html")
    mine.write_text("<p>my own page</p>", encoding="utf-8")
    with pytest.raises(TemplateError, match="was not written by export: it is left alone"):
        templates.export(path, pdf=False)
    assert mine.read_text(encoding="utf-8") == "<p>my own page</p>"
    other = templates.copy_template("code-of-conduct")
    own_pdf = other.with_suffix(".pdf")
    own_pdf.write_bytes(b"%PDF-1.4 my scan")
    with pytest.raises(TemplateError, match=r"code-of-conduct\.pdf exists and was not written"):
        templates.export(other)
    assert own_pdf.read_bytes() == b"%PDF-1.4 my scan" and not other.with_suffix(".html").exists()

    with pytest.raises(TemplateError, match="blank template that everyone shares"):
        templates.export(TEMPLATES / "meeting-minutes.md", pdf=False)
    assert not (TEMPLATES / "meeting-minutes.html").exists()

    with pytest.raises(TemplateError, match=r"missing\.md: no such file"):
        templates.export(tmp_path / "missing.md", pdf=False)
    notes = tmp_path / "notes.txt"
    notes.write_text("x", encoding="utf-8")
    with pytest.raises(TemplateError, match=r"notes\.txt: export needs a Markdown file"):
        templates.export(notes, pdf=False)
    latin = tmp_path / "latin.md"
    latin.write_bytes("# Réunion\n".encode("latin-1"))
    with pytest.raises(TemplateError, match=r"latin\.md: not UTF-8 text \(byte 3 is b'\\xe9'\)"):
        templates.export(latin, pdf=False)


def test_docstring_examples_run(work):
    flags = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
    for module in (templates, printing):
        result = doctest.testmod(module, optionflags=flags, verbose=False)
        assert result.failed == 0 and result.attempted > 0, module.__name__


# ----------------------------------------------------------------------------- languages
@pytest.mark.parametrize(
    ("language", "title"), [("fr", "# Compte rendu de réunion"), ("es", "# Acta de reunión")]
)
def test_a_copy_comes_in_the_trainees_language_without_the_screen_links(
    work, capsys, language, title
):
    """In a French or Spanish notebook, the copy is the translated form, ready to fill."""
    from cdatools import i18n

    with i18n.speaking(language):
        path = templates.copy_template("Meeting-Minutes")
        again = templates.copy_template("meeting-minutes")
    text = path.read_text(encoding="utf-8")
    assert again == path and text.startswith(title + "\n"), text[:80]
    assert "[English](" not in text and "<a id=" not in text
    edition = (
        templates.TEMPLATES_DIR.parent / language / "templates" / "meeting-minutes.md"
    ).read_text(encoding="utf-8")
    assert text == templates.printable(edition)
    assert text.count("|") == text_of("meeting-minutes").count("|"), "the table kept its cells"
    said = capsys.readouterr().out
    assert ("Votre copie du modèle" if language == "fr" else "Su copia de la plantilla") in said
    assert ("Vous avez déjà une copie" if language == "fr" else "Ya tiene una copia") in said


def test_printable_leaves_english_pages_as_they_are():
    for name in templates.list_templates():
        assert templates.printable(text_of(name)) == text_of(name), name
    sentence = "[English](x.md) is a link in a sentence.\n"
    assert templates.printable(sentence) == sentence
