"""``cdatools demo``: the whole pipeline on a demonstration cohort, in a fresh folder."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from cdatools.grading.demo import MARKER, DemoError, prepare_folder, run_demo

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
