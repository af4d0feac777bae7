"""The field kit: questionnaires, templates, filled example, protocol and my-cluster.ipynb.

A CDA collects answers with the kit's printable questionnaires, types them into CSV files in
the schemas of the course's data package, and runs ``course/my-cluster.ipynb`` on them.
These tests check that the templates and the example match the schemas, that broken copies
are refused with the file, row and column named, that the protocol's figures are the
planning aids' output, and that the notebook shows a clear message for a broken folder.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from cdatools import DatasetError, datagen, datasets, field, load_csv

REPO = Path(__file__).resolve().parents[1]
KIT = REPO / "course" / "field-kit"
EXAMPLE = KIT / "example"
TEMPLATES = KIT / "templates"
NOTEBOOK = REPO / "course" / "my-cluster.ipynb"
QUESTIONNAIRES = {
    "governance-survey.md": ["governance_survey.csv"],
    "trust-network.md": ["cluster_actors.csv", "cluster_ties.csv"],
    "institution-trust.md": ["cluster_institutions.csv", "cluster_institution_trust.csv"],
}


def schema_fields(file_name: str) -> list[dict]:
    return datasets._resource(field.FILES[file_name][0])["schema"]["fields"]


def copy_example(tmp_path: Path) -> Path:
    folder = tmp_path / "my-data"
    shutil.copytree(EXAMPLE, folder)
    return folder


def rewrite(path: Path, change) -> None:
    """Apply ``change`` to the rows of a CSV file (a list of lists, header first)."""
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    rows = change(rows)
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)


# ------------------------------------------------------------------ templates and example


def test_the_kit_has_one_template_and_one_example_file_per_field_file():
    assert sorted(p.name for p in TEMPLATES.glob("*.csv")) == sorted(field.FILES)
    assert sorted(p.name for p in EXAMPLE.glob("*.csv")) == sorted(field.FILES)
    assert list(field.FILES) == list(datagen.FIELD_FILES)
    assert {k: v[0] for k, v in field.FILES.items()} == datagen.FIELD_FILES


@pytest.mark.parametrize("name", list(field.FILES))
def test_a_template_is_the_schemas_header_and_is_refused_until_filled(name):
    """Decision: an empty template is refused, with a message saying it has no answers."""
    path = TEMPLATES / name
    header = path.read_text(encoding="utf-8")
    assert header == ",".join(f["name"] for f in schema_fields(name)) + "\n"
    with pytest.raises(DatasetError) as caught:
        load_csv(path, schema=field.FILES[name][0])
    assert caught.value.row == 2
    assert str(path) in str(caught.value)
    assert "header but no data rows" in str(caught.value)


def test_the_templates_folder_is_reported_as_not_filled_in():
    status = field.check_folder(TEMPLATES)
    assert not status["ready"].any()
    assert status["problem"].str.contains("has a header but no answers yet").all()


@pytest.mark.parametrize("name", list(field.FILES))
def test_the_filled_example_loads_with_its_schema(name):
    table = load_csv(EXAMPLE / name, schema=field.FILES[name][0])
    assert len(table) > 0
    assert list(table.columns) == [f["name"] for f in schema_fields(name)]


def test_the_example_is_marked_synthetic():
    survey = load_csv(EXAMPLE / "governance_survey.csv", schema="governance_survey")
    assert set(survey["cluster"]) == {"Example cluster (synthetic)"}
    readme = (KIT / "README.md").read_text(encoding="utf-8")
    assert "**The filled example is invented.**" in readme
    for name in ("cluster_actors", "cluster_ties", "cluster_institutions"):
        resource = datasets._resource(name)
        assert resource["synthetic"] is True
        assert "invented example cluster" in resource["description"]


def test_the_example_is_the_generators_output_and_matches_the_data_package(tmp_path):
    written = datagen.write_field_example(tmp_path)
    assert [p.name for p in written] == list(field.FILES)
    for path in written:
        assert path.read_bytes() == (EXAMPLE / path.name).read_bytes(), path.name
        if path.name.startswith("cluster_"):
            assert path.read_bytes() == (datasets.data_dir() / path.name).read_bytes()


# ------------------------------------------------------------------ broken copies


BAD_VALUES = {  # file -> (column, bad value, words the message must contain)
    "governance_survey.csv": ("category", "farmers", "small_firms"),
    "cluster_actors.csv": ("workers", "five", "whole number"),
    "cluster_ties.csv": ("tie", "friendship", "advice"),
    "cluster_institutions.csv": ("commission_category", "bank", "service_institutions"),
    "cluster_institution_trust.csv": ("trust", "6", "5"),
}


@pytest.mark.parametrize("name", list(field.FILES))
def test_a_copy_missing_a_column_is_refused_naming_file_and_column(tmp_path, name):
    folder = copy_example(tmp_path)
    column = schema_fields(name)[-1]["name"]

    def drop(rows):
        at = rows[0].index(column)
        return [row[:at] + row[at + 1 :] for row in rows]

    rewrite(folder / name, drop)
    with pytest.raises(DatasetError) as caught:
        load_csv(folder / name, schema=field.FILES[name][0])
    message = str(caught.value)
    assert str(folder / name) in message
    assert repr(column) in message and "row 1 (the header)" in message


@pytest.mark.parametrize("name", list(field.FILES))
def test_a_copy_with_a_bad_value_is_refused_naming_file_row_and_column(tmp_path, name):
    folder = copy_example(tmp_path)
    column, bad, expected = BAD_VALUES[name]

    def spoil(rows):
        rows[3][rows[0].index(column)] = bad  # the third data row: row 4 of the file
        return rows

    rewrite(folder / name, spoil)
    with pytest.raises(DatasetError) as caught:
        load_csv(folder / name, schema=field.FILES[name][0])
    err = caught.value
    assert (err.row, err.column) == (4, column)
    message = str(err)
    assert str(folder / name) in message and "row 4" in message and repr(bad) in message
    assert expected in message


def test_a_tie_naming_an_unknown_firm_is_refused_with_its_row(tmp_path):
    folder = copy_example(tmp_path)

    def spoil(rows):
        rows[5][rows[0].index("target")] = "F99"
        return rows

    rewrite(folder / "cluster_ties.csv", spoil)
    with pytest.raises(DatasetError) as caught:
        load_csv(folder / "cluster_ties.csv", schema="cluster_ties")
    assert (caught.value.row, caught.value.column) == (6, "target")
    assert "'F99'" in str(caught.value) and "cluster_actors" in str(caught.value)


def test_a_firm_naming_itself_is_refused(tmp_path):
    folder = copy_example(tmp_path)
    rewrite(folder / "cluster_ties.csv", lambda rows: [*rows, ["baseline", "F03", "F03", "trust"]])
    with pytest.raises(DatasetError) as caught:
        load_csv(folder / "cluster_ties.csv", schema="cluster_ties")
    assert caught.value.row == 323
    assert "does not name itself" in str(caught.value)


def test_load_field_data_lists_every_file_to_fix(tmp_path):
    folder = copy_example(tmp_path)
    (folder / "cluster_institutions.csv").unlink()
    rewrite(
        folder / "cluster_ties.csv", lambda rows: [rows[0], *rows[1:4], ["later", *rows[4][1:]]]
    )
    status = field.check_folder(folder)
    assert status.set_index("file")["ready"].to_dict() == {
        "governance_survey.csv": True,
        "cluster_actors.csv": True,
        "cluster_ties.csv": False,
        "cluster_institutions.csv": False,
        "cluster_institution_trust.csv": True,
    }
    with pytest.raises(field.FieldDataError) as caught:
        field.load_field_data(folder)
    message = str(caught.value)
    assert "(2 files to fix)" in message
    assert f"{folder / 'cluster_institutions.csv'} is missing" in message
    assert str(TEMPLATES / "cluster_institutions.csv") in message
    assert "row 5 (line 5 of the file), column 'wave'" in message and "'later'" in message


def test_a_survey_mixing_clusters_is_refused(tmp_path):
    folder = copy_example(tmp_path)

    def other(rows):
        rows[2][rows[0].index("cluster")] = "Another cluster"
        return rows

    rewrite(folder / "governance_survey.csv", other)
    with pytest.raises(field.FieldDataError, match="names 2 clusters"):
        field.load_field_data(folder)


def test_a_missing_folder_is_named(tmp_path):
    with pytest.raises(FileNotFoundError, match=r"there is no folder .*nowhere"):
        field.check_folder(tmp_path / "nowhere")


# ------------------------------------------------------------------ analyses


def test_a_tie_counts_once_when_either_firm_names_the_other():
    answers = pd.DataFrame(
        {
            "wave": ["baseline"] * 4,
            "source": ["F2", "F1", "F1", "F3"],
            "target": ["F1", "F2", "F3", "F2"],
            "tie": ["trust", "trust", "trust", "advice"],
        }
    )
    pairs = field.undirected_ties(answers)
    assert pairs[["source", "target", "tie", "named_by"]].to_numpy().tolist() == [
        ["F1", "F2", "trust", 2],
        ["F1", "F3", "trust", 1],
        ["F2", "F3", "advice", 1],
    ]


def test_the_example_analyses_give_the_expected_shapes():
    data = field.load_field_data(EXAMPLE)
    ties = field.undirected_ties(data.ties)
    assert len(ties) < len(data.ties)  # some pairs named each other
    agreement = field.answer_agreement(data)
    assert agreement["answers"].sum() == len(data.ties)
    assert agreement["ties"].sum() == len(ties)
    measures = field.network_measures(data)
    trust_pairs = ties[(ties["tie"] == "trust") & (ties["wave"] == "baseline")]
    assert measures.loc["ties", "baseline"] == len(trust_pairs)
    assert measures.loc["nodes", "follow_up"] == len(data.actors)
    counts = field.respondents(data)
    assert counts.loc["governance survey: small_firms", "enough"]
    assert not counts.loc["governance survey: large_firms", "enough"]


def test_one_round_is_enough_to_run_the_analyses(tmp_path):
    folder = copy_example(tmp_path)
    for name in ("governance_survey.csv", "cluster_ties.csv", "cluster_institution_trust.csv"):
        rewrite(
            folder / name,
            lambda rows: [r for r in rows if r[0] != "follow_up" and r[1] != "follow_up"],
        )
    data = field.load_field_data(folder)
    assert data.waves == ["baseline"]
    assert list(field.network_measures(data).columns) == ["baseline"]
    assert "follow_up round" in field.governance_change(data).loc[0, "note"]
    assert list(field.institution_trust_by_institution(data).columns) == ["baseline"]


def test_a_network_surveyed_in_fewer_rounds_than_the_governance_survey(tmp_path):
    folder = copy_example(tmp_path)
    rewrite(folder / "cluster_ties.csv", lambda rows: [r for r in rows if r[0] != "follow_up"])
    data = field.load_field_data(folder)
    assert data.waves == ["baseline", "follow_up"]
    assert field.network_rounds(data) == ["baseline"]
    assert list(field.network_measures(data).columns) == ["baseline"]
    assert field.respondents(data).loc["trust and advice network", "follow_up"] == 0
    baseline_only = data.survey[data.survey["wave"] == "baseline"]
    data.survey = baseline_only.reset_index(drop=True)
    card = field.scorecard(data)  # the survey's own last round, not the network's
    assert card["respondents"].sum() == len(baseline_only)


# ------------------------------------------------------------------ documents


def entry_columns(text: str) -> set[str]:
    return set(re.findall(r"^\| `([a-z_]+)` \|", text, re.M))


@pytest.mark.parametrize("questionnaire", list(QUESTIONNAIRES))
def test_each_questionnaire_says_how_to_enter_every_column_and_allowed_value(questionnaire):
    text = (KIT / questionnaire).read_text(encoding="utf-8")
    for name in QUESTIONNAIRES[questionnaire]:
        assert f"`{name}`" in text
        for spec in schema_fields(name):
            assert spec["name"] in entry_columns(text), f"{questionnaire} lacks {spec['name']}"
            for value in spec.get("constraints", {}).get("enum", []):
                assert f"`{value}`" in text, f"{questionnaire} does not list {value!r}"
    assert "```" not in text, "a printable questionnaire holds no code blocks"
    assert "[protocol](protocol.md)" in text
    assert "Consent read and given" in text


def test_the_kit_readme_links_every_questionnaire_template_and_example():
    readme = (KIT / "README.md").read_text(encoding="utf-8")
    for target in [*QUESTIONNAIRES, "protocol.md", "../my-cluster.ipynb"]:
        assert f"]({target})" in readme
    for name in field.FILES:
        assert f"](templates/{name})" in readme and f"](example/{name})" in readme


def protocol_table(heading: str) -> list[list[float]]:
    text = (KIT / "protocol.md").read_text(encoding="utf-8")
    part = text[text.index(heading) :]
    rows = re.findall(r"^\| ([\d.]+) \| ([\d.]+) \| ([\d.]+) \|(?: ([\d.]+) \|)?$", part, re.M)
    return [[float(x) for x in row if x] for row in rows]


def test_the_protocols_precision_table_is_the_planning_aids_output():
    rows = [r for r in protocol_table("### Averages and shares") if len(r) == 4]
    assert [int(r[0]) for r in rows] == [5, 10, 15, 20, 30]
    computed = field.sample_precision([5, 10, 15, 20, 30]).round(2)
    assert rows == computed.astype(float).to_numpy().tolist()


def test_the_protocols_network_table_is_the_planning_aids_output():
    rows = [r for r in protocol_table("### Network measures") if len(r) == 3]
    assert [r[0] for r in rows] == [0.5, 0.6, 0.7, 0.8, 0.9]
    computed = field.network_coverage([0.5, 0.6, 0.7, 0.8, 0.9]).round(2)
    assert rows == computed.to_numpy().tolist()


def test_the_protocol_covers_consent_confidentiality_numbers_and_limits():
    text = (KIT / "protocol.md").read_text(encoding="utf-8")
    for heading in (
        "## 1. Consent",
        "## 2. Confidentiality: who sees names",
        "## 3. How many respondents are enough",
        "## 4. What the measures cannot tell",
    ):
        assert heading in text
    assert "Taking part is your choice" in text and "stop at any time" in text
    assert f"**At least {field.MIN_PER_CATEGORY} per stakeholder category**" in text


# ------------------------------------------------------------------ the notebook


def run_notebook_on(folder: Path, tmp_path: Path) -> list:
    """Run my-cluster.ipynb as a trainee would after setting ``folder``; return its cells."""
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    notebook = nbformat.read(NOTEBOOK, as_version=4)
    cell = next(c for c in notebook.cells if c.source.startswith("folder = field.example_folder()"))
    cell.source = f"folder = {str(folder)!r}\nfolder"
    client = NotebookClient(
        notebook,
        timeout=120,
        kernel_name="python3",
        resources={"metadata": {"path": str(NOTEBOOK.parent)}},
    )
    with pytest.raises(CellExecutionError):
        client.execute()
    return notebook.cells


def test_the_notebook_shows_a_clear_message_for_a_broken_folder(tmp_path):
    folder = copy_example(tmp_path)
    (folder / "cluster_actors.csv").unlink()

    def spoil(rows):
        rows[2][rows[0].index("trust")] = "4.5"
        return rows

    rewrite(folder / "cluster_institution_trust.csv", spoil)
    cells = run_notebook_on(folder, tmp_path)
    check = next(c for c in cells if c.source == "field.check_folder(folder)")
    shown = check.outputs[0]["data"]["text/plain"]
    assert "cluster_actors.csv" in shown and "False" in shown
    load = next(c for c in cells if c.source.startswith("data = field.load_field_data(folder)"))
    (error,) = [o for o in load.outputs if o["output_type"] == "error"]
    assert error["ename"] == "FieldDataError"
    text = "\n".join(error["traceback"])
    assert "Traceback" not in text and "File " not in text.split("\n")[0]
    assert f"{folder / 'cluster_actors.csv'} is missing" in text
    assert "cluster_institution_trust.csv, row 3 (line 3 of the file), column 'trust'" in text
    assert "'4.5'" in text
    later = next(c for c in cells if c.source == "field.respondents(data)")
    assert not later.get("outputs"), "nothing after the failed load may run"


def test_the_docstring_examples_of_field_run():
    import doctest

    flags = doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS
    result = doctest.testmod(field, optionflags=flags, verbose=False)
    assert result.attempted > 10
    assert result.failed == 0, f"{result.failed} docstring example(s) failed in cdatools.field"
