"""Load the course's case-study datasets, or your own cluster's data in the same shape.

Every dataset is a CSV file described in ``datasets/datapackage.json``, a Frictionless
Data Package. Each load checks the file against its Table Schema: columns, types, ranges,
allowed values, keys and the links between tables. Bad data raises
:class:`DatasetError`, whose message names the file, the row, the column and what was
expected; you never get half a table.

Rows are counted as in a spreadsheet: the header is row 1 and the first data row is row 2.

Examples
--------
>>> from cdatools import list_datasets, load
>>> "chontales_deliveries" in list_datasets()
True
>>> deliveries = load("chontales_deliveries")
>>> str(deliveries["month"].dtype).startswith("datetime64")
True
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from cdatools import _schema_check
from cdatools._schema_check import Problem
from cdatools.i18n import gettext

__all__ = [
    "DatasetError",
    "Problem",
    "data_dir",
    "describe",
    "list_datasets",
    "load",
    "load_csv",
]

ENV_VAR = "CDATOOLS_DATA_DIR"
DESCRIPTOR = "datapackage.json"
MAX_PROBLEMS_SHOWN = 20

_descriptor_cache: dict[tuple[str, int], dict[str, Any]] = {}


class DatasetError(ValueError):
    """A data file does not match its schema.

    Parameters
    ----------
    path : str or Path
        The file that was being read.
    problems : sequence of Problem
        What is wrong, each with its row (header = row 1) and column where known.
    schema : str, optional
        The name of the schema the file was checked against.

    Attributes
    ----------
    path : str
        The file.
    problems : list of Problem
        Every problem found in the stage of checking that failed.
    row, column : int or str or None
        Row and column of the first problem, for convenience.

    Examples
    --------
    >>> err = DatasetError("my.csv", [Problem(3, "farmers", "expected a whole number; found 'x'")])
    >>> print(err)
    my.csv, row 3 (line 3 of the file), column 'farmers': expected a whole number; found 'x'
    >>> isinstance(err, ValueError)
    True
    """

    def __init__(
        self, path: str | Path, problems: Sequence[Problem], schema: str | None = None
    ) -> None:
        self.path = str(path)
        self.problems = list(problems)
        self.schema = schema
        super().__init__(self._text())

    @property
    def row(self) -> int | None:
        """Row of the first problem (header = row 1), or None."""
        return self.problems[0].row if self.problems else None

    @property
    def column(self) -> str | None:
        """Column of the first problem, or None."""
        return self.problems[0].column if self.problems else None

    def _text(self) -> str:
        if len(self.problems) == 1:
            return f"{self.path}, {self.problems[0]}"
        if self.schema:
            head = gettext("{path} does not match the schema {schema} ({count} problems):")
        else:
            head = gettext("{path} does not match its schema ({count} problems):")
        lines = [head.format(path=self.path, schema=repr(self.schema), count=len(self.problems))]
        lines += [f"  - {p}" for p in self.problems[:MAX_PROBLEMS_SHOWN]]
        if len(self.problems) > MAX_PROBLEMS_SHOWN:
            more = len(self.problems) - MAX_PROBLEMS_SHOWN
            lines.append("  " + gettext("... and {count} more").format(count=more))
        return "\n".join(lines)


def data_dir() -> Path:
    """Return the folder that holds ``datapackage.json`` and the case-study CSV files.

    The folder is ``datasets/`` next to the ``cdatools`` package in the repository, or the
    folder named by the environment variable ``CDATOOLS_DATA_DIR``.

    Returns
    -------
    Path
        The data folder.

    Raises
    ------
    FileNotFoundError
        If the folder has no ``datapackage.json``; the message says where it looked.

    Examples
    --------
    >>> (data_dir() / "datapackage.json").is_file()
    True
    """
    override = os.environ.get(ENV_VAR)
    folder = Path(override) if override else Path(__file__).resolve().parents[1] / "datasets"
    if not (folder / DESCRIPTOR).is_file():
        how = (
            gettext("the folder named by {variable}").format(variable=ENV_VAR)
            if override
            else gettext("the repository's datasets/")
        )
        raise FileNotFoundError(
            gettext(
                "cdatools could not find its datasets: looked for {path} ({how}). Run "
                "cdatools from the course repository, or set {variable} to the folder that "
                "holds datapackage.json."
            ).format(path=folder / DESCRIPTOR, how=how, variable=ENV_VAR)
        )
    return folder


def _descriptor() -> dict[str, Any]:
    """The data package descriptor, read once per folder and file version."""
    path = data_dir() / DESCRIPTOR
    key = (str(path), path.stat().st_mtime_ns)
    if key not in _descriptor_cache:
        _descriptor_cache.clear()
        _descriptor_cache[key] = json.loads(path.read_text(encoding="utf-8"))
    return _descriptor_cache[key]


def _resource(name: str) -> dict[str, Any]:
    for resource in _descriptor()["resources"]:
        if resource["name"] == name:
            return resource
    known = ", ".join(list_datasets())
    raise DatasetError(
        data_dir() / DESCRIPTOR,
        [
            Problem(
                None,
                None,
                gettext("no dataset called {name}; known: {known}").format(
                    name=repr(name), known=known
                ),
            )
        ],
    )


def list_datasets() -> list[str]:
    """Return the names of the case-study datasets, in the order of the data package.

    Returns
    -------
    list of str
        Names to pass to :func:`load`, :func:`describe` and ``load_csv(schema=...)``.

    Examples
    --------
    >>> list_datasets()[:3]
    ['cda_tasks', 'senegal_cdas', 'senegal_meetings']
    """
    return [resource["name"] for resource in _descriptor()["resources"]]


def describe(name: str) -> pd.DataFrame:
    """Describe the columns of a dataset: type, unit, constraints and meaning.

    Parameters
    ----------
    name : str
        A name from :func:`list_datasets`.

    Returns
    -------
    pandas.DataFrame
        One row per column with ``column``, ``type``, ``unit``, ``required``,
        ``constraints`` and ``description``. ``DataFrame.attrs`` holds the dataset's
        ``title``, ``description``, ``synthetic`` flag and ``sources``.

    Raises
    ------
    DatasetError
        If there is no dataset with that name.

    Examples
    --------
    >>> describe("cda_tasks").loc[0, "column"]
    'task_id'
    """
    resource = _resource(name)
    rows = []
    for field in resource["schema"]["fields"]:
        cons = dict(field.get("constraints", {}))
        required = bool(cons.pop("required", False))
        rows.append(
            {
                "column": field["name"],
                "type": field.get("type", "string"),
                "unit": field.get("unit", ""),
                "required": required,
                "constraints": "; ".join(f"{k}: {v}" for k, v in cons.items()),
                "description": field.get("description", ""),
            }
        )
    table = pd.DataFrame(rows)
    table.attrs = {
        "title": resource.get("title", name),
        "description": resource.get("description", ""),
        "synthetic": bool(resource.get("synthetic", False)),
        "sources": [source["title"] for source in resource.get("sources", [])],
    }
    return table


def _read(
    path: Path,
    name: str,
    references: Mapping[str, pd.DataFrame | str | Path],
    strict: bool,
    loaded: dict[Path, pd.DataFrame],
) -> pd.DataFrame:
    """Read, check and type one file; ``loaded`` holds tables already read in this call."""
    schema = _resource(name)["schema"]
    try:
        raw = path.read_bytes()
    except IsADirectoryError:
        raise DatasetError(
            path, [Problem(None, None, gettext("expected a CSV file, found a folder"))]
        ) from None

    def reference(ref_name: str) -> tuple[pd.DataFrame, str] | None:
        given = references.get(ref_name)
        if isinstance(given, pd.DataFrame):
            return given, gettext("the {name} table passed in references").format(name=ref_name)
        ref_path = Path(given) if given is not None else path.parent / _resource(ref_name)["path"]
        if given is None and not ref_path.is_file():
            if strict:
                problem = Problem(
                    None,
                    None,
                    gettext("cannot check the foreign keys: {path} is missing").format(
                        path=ref_path
                    ),
                )
                raise DatasetError(path, [problem], name)
            return None
        key = ref_path.resolve()
        if key not in loaded:
            loaded[key] = _read(ref_path, ref_name, references, strict, loaded)
        return loaded[key], str(ref_path)

    try:
        frame, text = _schema_check.read_table(raw, schema)
        _schema_check.check_foreign_keys(frame, schema, reference, text)
    except _schema_check.Invalid as err:
        raise DatasetError(path, err.problems, name) from None
    return _schema_check.finalise(frame, schema)


def load(name: str) -> pd.DataFrame:
    """Load a case-study dataset, checked against its schema.

    Parameters
    ----------
    name : str
        A name from :func:`list_datasets`, such as ``"bagru_ties"``.

    Returns
    -------
    pandas.DataFrame
        Columns in schema order. Dates are ``datetime64``, allowed-value columns are
        ``Categorical`` in the schema's order, integers are ``int64`` (``Int64`` where the
        schema lets a cell be empty) and yes/no columns are ``bool``.

    Raises
    ------
    DatasetError
        If there is no such dataset, or its file (or a file its foreign keys point to)
        breaks the schema.
    FileNotFoundError
        If the data folder cannot be found (see :func:`data_dir`).

    Examples
    --------
    >>> firms = load("atuntaqui_firms")
    >>> firms["employees"].dtype
    dtype('int64')
    """
    path = data_dir() / _resource(name)["path"]
    if not path.is_file():
        raise DatasetError(
            path,
            [
                Problem(
                    None,
                    None,
                    gettext("the file of dataset {name} is missing").format(name=repr(name)),
                )
            ],
        )
    return _read(path, name, {}, True, {})


def load_csv(
    path: str | Path,
    schema: str,
    *,
    references: Mapping[str, pd.DataFrame | str | Path] | None = None,
) -> pd.DataFrame:
    """Load your own CSV file, checked against the schema of a course dataset.

    Use this to analyse your own cluster with the course's tools: give your file the
    same columns as the course dataset (see :func:`describe`), save it as "CSV UTF-8" with
    commas between columns, and load it here. Columns may come in any order.

    Parameters
    ----------
    path : str or Path
        The CSV file.
    schema : str
        The name of the course dataset whose shape the file must have.
    references : mapping, optional
        Tables that the file's foreign keys point to, by dataset name, as DataFrames or
        file paths. A foreign key not given here is checked against a file of the
        dataset's name next to ``path`` (e.g. ``senegal_cdas.csv``) if there is one, and
        is not checked otherwise.

    Returns
    -------
    pandas.DataFrame
        The checked table, with the same dtypes as :func:`load` gives.

    Raises
    ------
    DatasetError
        If the file breaks the schema: a missing or extra column, a wrong type, a value
        out of range or not allowed, an empty file, a repeated key, a broken foreign key,
        a wrong delimiter or encoding. The message names the file, row and column.
    FileNotFoundError
        If ``path`` does not exist.

    Examples
    --------
    >>> own = load_csv(data_dir() / "chontales_cooperatives.csv", schema="chontales_cooperatives")
    >>> int(own["farmers"].sum()) > 0
    True
    """
    path = Path(path)
    _resource(schema)
    return _read(path, schema, dict(references or {}), False, {})
