"""The Lomari plan grows from lesson to lesson, as a trainee works through the course.

A scratch copy of ``course/`` and ``datasets/`` runs Lessons 1 to 4 in order with nbclient,
each once, with ``CDATOOLS_WORK_DIR`` pointing at a scratch ``my-work/``. Between the runs
the trainee's work changes the way it does in real life:

- before Lesson 1, the counterpart cell is edited (a trainee's own answer, with an accent,
  a dash and ``$``), and the Lomari work plan was already moved in its widget (saved in
  ``my-work/lomari/workplan.json``);
- after Lesson 2, the norms are edited by hand in ``my-work/lomari-plan.json``;
- before Lesson 3, a trust tie was added in the Lomari trust map widget (bag makers and
  workshops), which joins the groups that were cut off;
- after Lesson 3, the mediation's outcome is edited by hand in the plan file.

Each lesson must save its part of the plan (the shared plan's chain table), and each edit
must show in the next lesson's output.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import nbformat
import pytest

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[1]
LESSONS = {
    1: "01-role-of-the-cda.ipynb",
    2: "02-governance-system.ipynb",
    3: "03-building-trust.ipynb",
    4: "04-private-sector-and-commission.ipynb",
}
# What each lesson saves (the shared plan's chain table; Lesson 4 also saves its business case).
CHAIN = {
    1: {"workplan", "counterpart", "handover"},
    2: {"governance", "norms", "values_step"},
    3: {"trust_map", "agenda", "mediation_outcome"},
    4: {"joint_actions", "commission", "terms_of_reference", "exit_step"},
}
COUNTERPART = "Coopérative des jeunes cordonniers — budget $1,200 (LOM-S03)"
NORM = "Chaque modèle exposé reste à son auteur: no copying for 18 months, fine $50"
OUTCOME = "Tanners grade every batch; workshops pay within 21 days; review in month 12 (Ñ)"
TRANSFER = "Transfer responsibility to cluster stakeholders (months 16-27, facilitate)"


def cell_text(cell) -> str:
    """What a trainee sees under a code cell, as plain text (errors included)."""
    parts = []
    for output in cell.get("outputs", []):
        if output["output_type"] == "stream":
            parts.append(output["text"])
        elif output["output_type"] == "error":
            parts.append("\n".join([output["ename"], output["evalue"], *output["traceback"]]))
        else:
            parts.append(output.get("data", {}).get("text/plain", ""))
    return "\n".join(parts)


def cell_running(cells, code: str):
    """The one code cell whose source contains ``code``."""
    found = [c for c in cells if c.cell_type == "code" and code in c.source]
    assert len(found) == 1, f"expected one cell running {code!r}, found {len(found)}"
    return found[0]


def read_plan(work: Path) -> dict:
    return json.loads((work / "lomari-plan.json").read_text(encoding="utf-8"))


def edit_plan(work: Path, lesson: int, name: str, value) -> None:
    """Change one saved decision in the plan file, as a trainee editing it by hand would."""
    path = work / "lomari-plan.json"
    state = read_plan(work)
    state["lessons"][str(lesson)][name] = value
    path.write_text(json.dumps(state, indent=2, ensure_ascii=False), encoding="utf-8")


def run_lesson(folder: Path, lesson: int, edit=None) -> list:
    """Run one lesson of the scratch course in a fresh kernel; return its executed cells."""
    from nbclient import NotebookClient

    path = folder / LESSONS[lesson]
    notebook = nbformat.read(path, as_version=4)
    if edit is not None:
        edit(notebook)
    client = NotebookClient(
        notebook,
        timeout=300,
        kernel_name="python3",
        allow_errors=True,
        resources={"metadata": {"path": str(folder)}},
    )
    client.execute()
    errors = [
        cell_text(cell)
        for cell in notebook.cells
        if any(o["output_type"] == "error" for o in cell.get("outputs", []))
    ]
    assert not errors, f"Lesson {lesson} raised an error:\n{errors[0][-3000:]}"
    return notebook.cells


def answer_counterpart(notebook) -> None:
    """The trainee writes their own counterpart in Lesson 1's cell."""
    cell = cell_running(notebook.cells, "counterpart = ")
    lines = cell.source.splitlines()
    index = next(i for i, line in enumerate(lines) if line.startswith("counterpart = "))
    lines[index] = f"counterpart = {COUNTERPART!r}"
    cell.source = "\n".join(lines)


@pytest.fixture(scope="module")
def chain(tmp_path_factory):
    """Lessons 1-4 run in order, with the trainee's edits between them."""
    from cdatools.widgets import TrustMapModel, WorkplanModel

    root = tmp_path_factory.mktemp("lomari-chain")
    course, data, work = root / "course", root / "datasets", root / "my-work"
    shutil.copytree(REPO / "course", course, ignore=shutil.ignore_patterns("my-work"))
    shutil.copytree(REPO / "datasets", data)
    runs, plans = {}, {}
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CDATOOLS_WORK_DIR", str(work))  # the kernels inherit both
        patch.setenv("CDATOOLS_DATA_DIR", str(data))
        patch.setenv("MPLBACKEND", "Agg")
        patch.chdir(course)
        # A widget session before Lesson 1's record cell: the transfer starts in month 16.
        workplan = WorkplanModel(save_path=work / "lomari" / "workplan.json")
        workplan.move_task("transfer", start=16, duration=12)
        runs[1] = run_lesson(course, 1, edit=answer_counterpart)
        plans[1] = read_plan(work)
        runs[2] = run_lesson(course, 2)
        plans[2] = read_plan(work)
        edit_plan(work, 2, "norms", [NORM, *plans[2]["lessons"]["2"]["norms"][1:]])
        trust = TrustMapModel(save_path=work / "lomari" / "trust_map.json", cluster="Lomari")
        trust.add_tie("Bag makers", "Shoe workshops")
        runs[3] = run_lesson(course, 3)
        plans[3] = read_plan(work)
        edit_plan(work, 3, "mediation_outcome", OUTCOME)
        runs[4] = run_lesson(course, 4)
        plans[4] = read_plan(work)
    assert os.environ.get("CDATOOLS_WORK_DIR") != str(work)
    return {"runs": runs, "plans": plans, "work": work}


@pytest.mark.parametrize("lesson", list(LESSONS))
def test_each_lesson_saves_its_part_of_the_plan(chain, lesson):
    part = chain["plans"][lesson]["lessons"][str(lesson)]
    missing = CHAIN[lesson] - set(part)
    assert not missing, f"Lesson {lesson} did not save {sorted(missing)}"
    for name in CHAIN[lesson]:
        assert part[name], f"Lesson {lesson} saved an empty {name}"
    earlier = {str(n) for n in range(1, lesson)}
    assert set(chain["plans"][lesson]["lessons"]) == earlier | {str(lesson)}


def test_lesson_1_saves_the_trainees_counterpart_and_widget_plan(chain):
    part = chain["plans"][1]["lessons"]["1"]
    assert part["counterpart"] == COUNTERPART
    assert TRANSFER in part["workplan"]["governance_tasks"]


def test_lesson_2_shows_lesson_1s_decisions(chain):
    cells = chain["runs"][2]
    shown = cell_text(cell_running(cells, "plan.show(upto=1)"))
    assert "Lesson 1: your decisions" in shown and "not recorded yet" not in shown
    assert COUNTERPART in shown
    assert COUNTERPART in cell_text(cell_running(cells, 'plan.get(1, "counterpart")'))
    assert TRANSFER in cell_text(cell_running(cells, '"governance_tasks"'))


def test_lesson_3_builds_on_the_norms_edited_after_lesson_2(chain):
    cells = chain["runs"][3]
    assert NORM in cell_text(cell_running(cells, "plan.show(upto=2)"))
    carried = cell_text(cell_running(cells, "carried_forward"))
    assert NORM in carried and "course example" not in carried


def test_lesson_3_records_the_trust_map_as_the_widget_left_it(chain):
    facts = chain["plans"][3]["lessons"]["3"]["trust_map"]
    assert facts["widget"] == "trust_map"
    assert facts["cut_off"] == []  # the tie added in the widget joined the bag makers
    assert facts["ties"] == 14


def test_lesson_4_uses_lesson_3s_trust_map_and_the_edited_mediation(chain):
    cells = chain["runs"][4]
    assert OUTCOME in cell_text(cell_running(cells, "plan.show(upto=3)"))
    assert OUTCOME in cell_text(cell_running(cells, 'plan.get(3, "mediation_outcome"'))
    brokers = cell_text(cell_running(cells, "trust_summary"))
    assert "cut off from the main group:" in brokers
    assert "Bag makers:" not in brokers  # no longer cut off after the trainee's tie
    assert "example" not in brokers


def test_the_final_plan_holds_every_lesson(chain):
    shown = cell_text(cell_running(chain["runs"][4], "plan.show(upto=4)"))
    for lesson in LESSONS:
        assert f"Lesson {lesson}: your decisions" in shown
    assert "not recorded yet" not in shown
    for value in (COUNTERPART, NORM, OUTCOME):
        assert value in shown
    part = chain["plans"][4]["lessons"]["4"]
    assert part["joint_actions"]["chosen"] and part["commission"]["widget"] == "commission"
