"""Unit tests of the grading package: states, checks, progress, report tables, CLI wiring."""

from __future__ import annotations

import doctest
import io
import subprocess
import sys

import nbformat
import pandas as pd
import pytest

from cdatools.cli import build_parser
from cdatools.grading import (
    checks,
    cohort,
    course,
    markscheme,
    noexchange,
    progress,
    report,
    sample,
    states,
)
from cdatools.grading.states import Outcome, State, classify_run


@pytest.mark.parametrize(
    "module",
    [states, progress, report, sample, cohort, course, markscheme, noexchange],
    ids=lambda m: m.__name__,
)
def test_docstring_examples_run(module):
    flags = doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS
    result = doctest.testmod(module, optionflags=flags, verbose=False)
    assert result.failed == 0


@pytest.mark.parametrize(
    ("kwargs", "state"),
    [
        ({}, State.GRADED),
        ({"tampering": ["cell x edited"]}, State.TAMPERED),
        ({"errors": {"CellTimeoutError": ["q1"]}}, State.TIMED_OUT),
        ({"errors": {"MemoryError": ["q1"]}}, State.OUT_OF_MEMORY),
        ({"failure": "DeadKernelError: Kernel died", "kernel_exit": 1}, State.KERNEL_DIED),
        ({"failure": "DeadKernelError: Kernel died", "kernel_exit": -9}, State.OUT_OF_MEMORY),
        ({"failure": "CellTimeoutError: no reply"}, State.TIMED_OUT),
        ({"failure": "ValueError: odd metadata"}, State.ERROR),
        ({"corrupt": ["nb.ipynb: NotJSONError"], "failure": "x"}, State.CORRUPT),
        ({"killed_for_time": True, "tampering": ["t"]}, State.TIMED_OUT),
    ],
)
def test_classify_run(kwargs, state):
    assert classify_run(**kwargs)[0] is state


def test_the_worst_state_wins_and_every_problem_is_listed():
    state, details = classify_run(
        tampering=["cell 'q1_test' edited"], errors={"CellTimeoutError": ["q2"]}
    )
    assert state is State.TIMED_OUT
    assert len(details) == 2


def test_outcomes_survive_a_csv_round_trip():
    outcome = Outcome("amina", State.TAMPERED, ["a", "b"], 3.5, 5.0, 2.25)
    assert Outcome.from_row(outcome.to_row()) == outcome


def test_ledger_round_trip(tmp_path):
    entries = {"amina": (Outcome("amina", State.GRADED, [], 4.0, 5.0, 1.0), "abc")}
    path = course.write_ledger(tmp_path, "01-workplan", entries)
    assert path == tmp_path / "reports" / "01-workplan" / "grading-states.csv"
    assert course.read_ledger(tmp_path, "01-workplan") == entries


def test_folder_digest_sees_every_change(tmp_path):
    (tmp_path / "a.ipynb").write_text("{}")
    first = course.folder_digest(tmp_path)
    (tmp_path / "timestamp.txt").write_text("2024-01-01 00:00:00")
    assert course.folder_digest(tmp_path) != first


def test_corrupt_files_are_named(tmp_path):
    path = tmp_path / "nb.ipynb"
    path.write_bytes(cohort.corrupted(sample.sample_notebook()))
    notebook, problem = checks.read_notebook(path)
    assert notebook is None and problem.startswith("nb.ipynb: ")
    nbformat.write(sample.sample_notebook(), path)
    assert checks.read_notebook(path)[1] is None


def test_hidden_tests_are_removed_like_nbgrader_does():
    visible = checks.hidden_test_remover()
    text = "assert f(1) == 2\n### BEGIN HIDDEN TESTS\nassert f(2) == 4\n### END HIDDEN TESTS"
    assert visible(text).strip() == "assert f(1) == 2"


def test_cohort_variants():
    source = sample.sample_notebook()
    solved = cohort.answered(source, source)
    assert "BEGIN SOLUTION" not in "".join(c.source for c in solved.cells)
    assert len(cohort.with_duplicated_answer(solved).cells) == len(solved.cells) + 1
    assert len(cohort.without_first_test(solved).cells) == len(solved.cells) - 1
    looped = cohort.with_code(solved, cohort.INFINITE_LOOP, answer="quick_wins_answer")
    assert any(c.source.startswith("while True") for c in looped.cells)
    with pytest.raises(KeyError):
        cohort.with_code(solved, "x", answer="nope")


def test_summary_table_counts_states():
    table = progress.summary_table(
        [
            Outcome("amina", State.GRADED, [], 4, 5),
            Outcome("bakary", State.TIMED_OUT, ["stopped"], 0, 5, skipped=True),
        ]
    )
    assert "timed out (earlier run)" in table
    assert table.splitlines()[-1] == "timed out: 1, graded: 1"


def test_progress_bar_redraws_on_a_terminal():
    class Terminal(io.StringIO):
        def isatty(self):
            return True

    out = Terminal()
    bar = progress.Progress(2, "01-workplan", stream=out)
    bar.start("amina")
    bar.update(Outcome("amina", State.GRADED))
    bar.close()
    text = out.getvalue()
    assert "\r" in text and "1/2" in text and "now: amina" in text


def test_summarise_lists_hardest_questions_first():
    grades = pd.DataFrame(
        {
            "student": ["a", "a", "a", "b", "b", "b"],
            "notebook": ["n"] * 6,
            "question": ["easy", "hard", "essay"] * 2,
            "kind": ["auto", "auto", "manual"] * 2,
            "score": [2.0, 0.0, 0.0, 2.0, 1.0, 0.0],
            "max_score": [2.0, 4.0, 3.0] * 2,
            "needs_manual_grade": [False, False, False, False, False, True],
        }
    )
    students = pd.DataFrame(
        {"student": ["a", "b", "c"], "name": ["A", "B", "C"], "submitted": [True, True, False]}
    )
    per_student, per_question = report.summarise(grades, students, {"a": "timed out"})
    # The essay scores lowest but still awaits a trainer, so it comes last.
    assert per_question["question"].tolist() == ["hard", "easy", "essay"]
    assert per_question["full_marks"].tolist() == [0, 2, 0]
    assert per_student.set_index("student")["state"].to_dict() == {
        "a": "timed out",
        "b": "graded",
        "c": "not submitted",
    }
    assert per_student.set_index("student").loc["b", "needs_manual_grading"] == "essay"
    assert per_student.set_index("student").loc["b", "score"] == 3.0


def test_parser_knows_the_trainer_commands():
    parser = build_parser()
    args = parser.parse_args(["grade", "01-workplan", "--jobs", "2", "--force"])
    assert (args.command, args.assignment, args.jobs, args.force) == (
        "grade",
        "01-workplan",
        2,
        True,
    )
    with pytest.raises(SystemExit):
        parser.parse_args(["grade", "01-workplan", "--jobs", "0"])
    assert parser.parse_args(["demo"]).dir == "cda-demo-course"


def test_importing_cdatools_does_not_import_nbgrader():
    code = (
        "import sys, cdatools, cdatools.cli, cdatools.grading; "
        "print('nbgrader' in sys.modules, 'pandas' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.split() == ["False", "False"]
