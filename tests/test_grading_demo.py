"""``cdatools demo``: the whole pipeline on a demonstration cohort, in a fresh folder."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from cdatools.cli import build_parser
from cdatools.grading.cohort import is_written_answer
from cdatools.grading.demo import MARKER, DemoError, lab_command, prepare_folder, run_demo

SCRIPT = Path(sys.executable).with_name("cdatools")


def test_the_demo_never_overwrites_a_folder_of_the_trainer(tmp_path):
    precious = tmp_path / "cda-demo-course"
    precious.mkdir()
    (precious / "grades.csv").write_text("keep me")
    with pytest.raises(DemoError, match="not a cdatools demo course"):
        prepare_folder(precious)
    assert (precious / "grades.csv").read_text() == "keep me"
    result = subprocess.run(
        [str(SCRIPT), "demo"], cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 1 and "not a cdatools demo course" in result.stderr


def test_an_earlier_demo_is_rebuilt(tmp_path):
    folder = tmp_path / "demo"
    prepare_folder(folder)
    (folder / "old-file").write_text("x")
    prepare_folder(folder)
    assert (folder / MARKER).exists() and not (folder / "old-file").exists()


@pytest.mark.slow
def test_demo_runs_generate_grade_feedback_report(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    paths = run_demo("cda-demo-course", jobs=2, trainees=9)
    out = capsys.readouterr().out
    course = tmp_path / "cda-demo-course"
    assert paths["html"] == course / "reports" / "01-workplan" / "report.html"
    assert f"Open the report: {paths['html']}" in out
    scores = pd.read_csv(paths["csv"]).set_index("student")
    assert len(scores) == 9
    states = scores["state"].to_dict()
    assert states["amina.diallo"] == "graded"  # excellent
    assert states["awa.sow"] == "timed out"  # infinite loop
    assert states["cheikh.ba"] == "kernel died"  # os._exit
    assert states["lucia.andrade"] == "corrupt notebook"
    assert states["diego.pozo"] == "tampered cells restored"
    assert states["maria.guerrero"] == "not submitted"
    auto = scores.loc["amina.diallo", "score"]
    assert auto > scores.loc["moussa.ndiaye", "score"] > scores.loc["ibrahima.fall", "score"]
    feedback = list((course / "feedback").glob("*/01-workplan/01-workplan.html"))
    assert len(feedback) >= 5
    # The one command that opens the formgrader on this course, and the grader's sheet.
    repo = Path(__file__).resolve().parents[1]
    assert f"make -C {repo} lab ROLE=trainer COURSE={course}" in out
    assert paths["markscheme"] == course / "reports" / "01-workplan" / "markscheme.html"
    assert "withdrawal_reflection" in paths["markscheme"].read_text(encoding="utf-8")
    # Written answers a trainer can practise on: strong, weak, off-topic, too short, empty.
    written = set()
    for notebook in course.glob("submitted/*/01-workplan/01-workplan.ipynb"):
        try:
            cells = nbformat.read(notebook, as_version=4).cells
        except Exception:
            continue  # the corrupted file
        written |= {c.source for c in cells if is_written_answer(c)}
    assert len(written) >= 4, written
    assert "YOUR ANSWER HERE" in written
    assert any(len(text.split()) > 150 for text in written)
    assert any(len(text.split()) < 12 and text != "YOUR ANSWER HERE" for text in written)


def test_the_demo_names_one_command_for_the_formgrader(tmp_path):
    repo = Path(__file__).resolve().parents[1]
    course = tmp_path / "my demo"
    assert lab_command(course) == f"make -C {repo} lab ROLE=trainer 'COURSE={course}'"
    parsed = build_parser().parse_args(["demo", "--lab"])
    assert parsed.lab is True
