"""Bad data raises DatasetError naming the file, the row and the column: one test per kind.

Each test copies a course file, breaks one row or the header, and checks the message.
Rows are counted as in a spreadsheet (header = row 1); the tests find the row to break
with the csv module, independently of the loader.
"""

from __future__ import annotations

import csv
import io
import random
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

import cdatools
from cdatools import DatasetError

DATASETS = Path(__file__).resolve().parents[1] / "datasets"


def rows_of(name: str) -> list[list[str]]:
    """The course file as a list of records, header first."""
    text = (DATASETS / f"{name}.csv").read_text(encoding="utf-8")
    return list(csv.reader(io.StringIO(text, newline="")))


def write(path: Path, records: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(records)
    return path


def first_row(records: list[list[str]], column: str, predicate) -> int:
    """Index in ``records`` (= spreadsheet row - 1) of the first row that matches."""
    index = records[0].index(column)
    return next(i for i, r in enumerate(records) if i and predicate(r[index]))


def broken(tmp_path: Path, name: str, column: str, predicate, value: str) -> tuple[Path, int]:
    """Copy a dataset, set ``column`` to ``value`` in the first matching row; return the row."""
    records = rows_of(name)
    i = first_row(records, column, predicate)
    records[i][records[0].index(column)] = value
    return write(tmp_path / f"{name}.csv", records), i + 1


def fails(path: Path, schema: str, **kwargs) -> DatasetError:
    with pytest.raises(DatasetError) as info:
        cdatools.load_csv(path, schema, **kwargs)
    err = info.value
    assert isinstance(err, ValueError)
    assert err.__cause__ is None and err.__suppress_context__, "no pandas traceback attached"
    assert str(path) in str(err)
    return err


def assert_names(err: DatasetError, row: int, column: str | None) -> None:
    message = str(err)
    assert re.search(rf"\brow {row}\b", message), message
    assert err.row == row
    if column is not None:
        assert repr(column) in message, message
        assert err.column == column


# ------------------------------------------------------------------ header and shape


def test_missing_column(tmp_path):
    records = [r[:2] + r[3:] for r in rows_of("senegal_cdas")]  # drop 'region'
    err = fails(write(tmp_path / "cdas.csv", records), "senegal_cdas")
    assert_names(err, 1, "region")
    assert "missing" in str(err)


def test_extra_column(tmp_path):
    records = [[*r, "note"] for r in rows_of("senegal_cdas")]
    records[0][-1] = "notes"
    err = fails(write(tmp_path / "cdas.csv", records), "senegal_cdas")
    assert_names(err, 1, "notes")
    assert "unexpected column" in str(err)


def test_duplicated_column_name(tmp_path):
    records = [[*r, r[1]] for r in rows_of("senegal_cdas")]
    err = fails(write(tmp_path / "cdas.csv", records), "senegal_cdas")
    assert_names(err, 1, "commune")


def test_empty_file(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    err = fails(path, "senegal_cdas")
    assert_names(err, 1, None)
    assert "empty" in str(err) and "cda_id, commune, region" in str(err)


def test_header_without_rows(tmp_path):
    path = write(tmp_path / "header.csv", rows_of("senegal_cdas")[:1])
    err = fails(path, "senegal_cdas")
    assert_names(err, 2, None)
    assert "no data rows" in str(err)


@pytest.mark.parametrize(("delimiter", "word"), [(";", "semicolons"), ("\t", "tabs")])
def test_wrong_delimiter(tmp_path, delimiter, word):
    path = tmp_path / "cdas.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, delimiter=delimiter, lineterminator="\n").writerows(
            rows_of("senegal_cdas")
        )
    err = fails(path, "senegal_cdas")
    header = delimiter.join(rows_of("senegal_cdas")[0])
    assert_names(err, 1, header)
    assert word in str(err) and "commas" in str(err)


def test_wrong_encoding(tmp_path):
    """One row typed in a Windows-1252 editor, the rest UTF-8."""
    records = rows_of("chontales_cooperatives")
    i = 7
    records[i][1] = "Cooperativa Ganadera Peña"
    lines = []
    for k, record in enumerate(records):
        text = io.StringIO()
        csv.writer(text, lineterminator="\n").writerow(record)
        lines.append(text.getvalue().encode("cp1252" if k == i else "utf-8"))
    path = tmp_path / "coops.csv"
    path.write_bytes(b"".join(lines))
    err = fails(path, "chontales_cooperatives")
    assert_names(err, i + 1, "name")
    assert "UTF-8" in str(err) and "'ñ'" in str(err)


def test_row_with_an_extra_cell(tmp_path):
    records = rows_of("chontales_deliveries")
    i = first_row(records, "price_usd_per_kg", lambda v: v != "")
    column = records[0].index("price_usd_per_kg")
    records[i][column : column + 1] = records[i][column].split(".")  # a decimal comma
    err = fails(write(tmp_path / "deliveries.csv", records), "chontales_deliveries")
    assert_names(err, i + 1, None)
    assert "9 cells but the header has 8" in str(err)


def test_row_with_a_missing_cell(tmp_path):
    records = rows_of("senegal_cdas")
    records[5] = records[5][:-1]
    err = fails(write(tmp_path / "cdas.csv", records), "senegal_cdas")
    assert_names(err, 6, None)


def test_blank_row_in_the_middle(tmp_path):
    records = rows_of("senegal_cdas")
    records.insert(4, [])
    err = fails(write(tmp_path / "cdas.csv", records), "senegal_cdas")
    assert_names(err, 5, None)
    assert "blank" in str(err)


# ------------------------------------------------------------------ cells


def test_wrong_type_integer(tmp_path):
    path, row = broken(tmp_path, "cda_tasks", "start_month", lambda v: v == "13", "May")
    err = fails(path, "cda_tasks")
    assert_names(err, row, "start_month")
    assert "whole number" in str(err) and "'May'" in str(err)


def test_wrong_type_number_with_decimal_comma_in_quotes(tmp_path):
    path, row = broken(tmp_path, "chontales_deliveries", "payment_days", bool, "12,5")
    err = fails(path, "chontales_deliveries")
    assert_names(err, row, "payment_days")
    assert "'.' as decimal point" in str(err)


def test_wrong_type_date(tmp_path):
    path, row = broken(tmp_path, "senegal_meetings", "date", bool, "09/07/2007")
    err = fails(
        path, "senegal_meetings", references={"senegal_cdas": DATASETS / "senegal_cdas.csv"}
    )
    assert_names(err, row, "date")
    assert "yyyy-mm-dd" in str(err)


def test_impossible_date(tmp_path):
    path, row = broken(tmp_path, "senegal_meetings", "date", bool, "2008-02-30")
    assert_names(fails(path, "senegal_meetings"), row, "date")


def test_wrong_type_boolean(tmp_path):
    path, row = broken(tmp_path, "atuntaqui_firms", "chamber_member", lambda v: v == "true", "yes")
    err = fails(path, "atuntaqui_firms")
    assert_names(err, row, "chamber_member")
    assert "true or false" in str(err)


def test_value_out_of_range(tmp_path):
    path, row = broken(tmp_path, "cda_tasks", "end_month", lambda v: v == "14", "40")
    err = fails(path, "cda_tasks")
    assert_names(err, row, "end_month")
    assert "from 1 to 36" in str(err) and "'40'" in str(err)


def test_value_below_minimum(tmp_path):
    path, row = broken(tmp_path, "bagru_units", "workers", bool, "0")
    err = fails(path, "bagru_units")
    assert_names(err, row, "workers")
    assert "at least 1" in str(err)


def test_value_not_in_the_allowed_set(tmp_path):
    path, row = broken(tmp_path, "senegal_meetings", "kind", lambda v: v == "review", "Review")
    err = fails(path, "senegal_meetings")
    assert_names(err, row, "kind")
    assert "'review', 'regional_peer', 'joint_training'" in str(err)


def test_required_value_missing(tmp_path):
    path, row = broken(tmp_path, "senegal_cdas", "commune", bool, "")
    err = fails(path, "senegal_cdas")
    assert_names(err, row, "commune")
    assert "required" in str(err)


def test_every_bad_column_is_reported_at_once(tmp_path):
    records = rows_of("cda_tasks")
    records[2][records[0].index("start_month")] = "x"
    records[4][records[0].index("cda_role")] = "boss"
    err = fails(write(tmp_path / "tasks.csv", records), "cda_tasks")
    assert [(p.row, p.column) for p in err.problems] == [(3, "start_month"), (5, "cda_role")]
    assert "2 problems" in str(err)


def test_many_bad_rows_are_counted(tmp_path):
    records = rows_of("bagru_units")
    for record in records[1:]:
        record[records[0].index("kind")] = "weaver"
    err = fails(write(tmp_path / "units.csv", records), "bagru_units")
    assert_names(err, 2, "kind")
    assert f"{len(records) - 1} rows with this problem: 2, 3, 4, 5, 6, ..." in str(err)


# ------------------------------------------------------------------ keys and rules


def test_duplicate_primary_key(tmp_path):
    records = rows_of("senegal_attendance")
    records.append(records[7])
    err = fails(write(tmp_path / "attendance.csv", records), "senegal_attendance")
    assert_names(err, len(records), "cda_id")
    assert "first in row 8" in str(err)


def test_duplicate_unique_value(tmp_path):
    records = rows_of("senegal_cdas")
    records[4][0] = records[2][0]
    err = fails(write(tmp_path / "cdas.csv", records), "senegal_cdas")
    assert_names(err, 5, "cda_id")
    assert "row 3" in str(err)


def test_broken_foreign_key_against_a_sibling_file(tmp_path):
    shutil.copy(DATASETS / "senegal_cdas.csv", tmp_path / "senegal_cdas.csv")
    path, row = broken(tmp_path, "senegal_meetings", "host_cda", bool, "CDA11")
    err = fails(path, "senegal_meetings")
    assert_names(err, row, "host_cda")
    assert "senegal_cdas.csv" in str(err) and "'CDA11'" in str(err)


def test_broken_foreign_key_through_load(tmp_path, monkeypatch):
    shutil.copytree(DATASETS, tmp_path / "data")
    path, row = broken(tmp_path / "data", "atuntaqui_service_use", "firm_id", bool, "ATU999")
    monkeypatch.setenv("CDATOOLS_DATA_DIR", str(tmp_path / "data"))
    with pytest.raises(DatasetError) as info:
        cdatools.load("atuntaqui_service_use")
    assert str(path) in str(info.value)
    assert_names(info.value, row, "firm_id")


def test_a_broken_referenced_file_is_named(tmp_path, monkeypatch):
    shutil.copytree(DATASETS, tmp_path / "data")
    path, row = broken(tmp_path / "data", "senegal_cdas", "cda_id", bool, "")
    monkeypatch.setenv("CDATOOLS_DATA_DIR", str(tmp_path / "data"))
    with pytest.raises(DatasetError) as info:
        cdatools.load("senegal_attendance")
    assert str(path) in str(info.value)
    assert_names(info.value, row, "cda_id")


def test_cross_column_rule(tmp_path):
    records = rows_of("chontales_deliveries")
    i = first_row(records, "head_delivered", lambda v: int(v) > 5)
    head = int(records[i][records[0].index("head_delivered")])
    records[i][records[0].index("head_grade_a")] = str(head + 1)
    err = fails(write(tmp_path / "deliveries.csv", records), "chontales_deliveries")
    assert_names(err, i + 1, "head_grade_a")
    assert f"head_grade_a={head + 1}, head_delivered={head}" in str(err)


def test_undirected_ties_stored_once(tmp_path):
    records = rows_of("bagru_ties")
    records[3][1], records[3][2] = records[3][2], records[3][1]
    err = fails(write(tmp_path / "ties.csv", records), "bagru_ties")
    assert_names(err, 4, "source")


def test_member_without_joining_year(tmp_path):
    path, row = broken(tmp_path, "atuntaqui_firms", "chamber_joined_year", bool, "")
    err = fails(path, "atuntaqui_firms")
    assert_names(err, row, "chamber_joined_year")


def test_shares_must_add_up_to_one(tmp_path):
    path, row = broken(tmp_path, "governance_voice", "voice_share", bool, "0.900")
    err = fails(path, "governance_voice")
    assert_names(err, row, "voice_share")
    assert "add up to 1" in str(err)


# ------------------------------------------------------------------ what is accepted


def test_excel_style_bom_and_crlf_are_accepted(tmp_path):
    text = (DATASETS / "bagru_units.csv").read_text(encoding="utf-8")
    path = tmp_path / "units.csv"
    path.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    pd.testing.assert_frame_equal(
        cdatools.load_csv(path, "bagru_units"), cdatools.load("bagru_units")
    )


def test_quoted_line_breaks_shift_line_numbers_not_rows(tmp_path):
    records = rows_of("cda_tasks")
    records[1][records[0].index("description")] += "\nSecond line."
    records[3][records[0].index("start_month")] = "soon"
    err = fails(write(tmp_path / "tasks.csv", records), "cda_tasks")
    assert "row 4 (line 5 of the file)" in str(err)


def test_trailing_blank_lines_are_ignored(tmp_path):
    path = tmp_path / "cdas.csv"
    path.write_bytes((DATASETS / "senegal_cdas.csv").read_bytes() + b"\n\n")
    assert len(cdatools.load_csv(path, "senegal_cdas")) == 10


GARBAGE = ["", " ", "x", "-1", "1e9", "3,5", "NaN", "true", "2013-02-30", '"', "a\nb", "é", "0"]


@pytest.mark.parametrize("seed", range(40))
def test_any_edit_gives_a_table_or_a_dataset_error(tmp_path, seed):
    """Random one-cell edits (seeded, so reproducible) never escape as another exception."""
    rng = random.Random(seed)
    name = rng.choice(["cda_tasks", "senegal_meetings", "chontales_deliveries", "joint_actions"])
    records = rows_of(name)
    row, column = rng.randrange(1, len(records)), rng.randrange(len(records[0]))
    records[row][column] = rng.choice(GARBAGE)
    path = write(tmp_path / f"{name}.csv", records)
    try:
        frame = cdatools.load_csv(path, name)
    except DatasetError as err:
        assert str(path) in str(err)
        assert err.problems
    else:
        assert list(frame.columns) == records[0]
