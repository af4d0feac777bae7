"""Check a CSV file against a Frictionless Table Schema, vectorised with pandas and numpy.

This private module turns the bytes of a CSV file into a typed DataFrame or reports every
way in which the file breaks its schema. It knows nothing about where files live: the
public loaders in :mod:`cdatools.datasets` read the bytes, pick the schema, resolve
foreign keys and turn :class:`Invalid` into :class:`cdatools.datasets.DatasetError`.

Rows are counted as a spreadsheet counts them: the header is row 1, the first data row is
row 2. The checks run column by column on whole arrays; nothing loops over rows in Python
except when a file has quoted cells, where the C-coded :mod:`csv` reader counts fields.

Supported: field types ``string``, ``integer``, ``number``, ``boolean``, ``date``; the
constraints ``required``, ``unique``, ``enum``, ``minimum``, ``maximum``, ``pattern``,
``minLength``, ``maxLength``; ``primaryKey`` and ``foreignKeys``; and the cross-column
rules this project keeps under ``"cdatools:rules"`` (``compare``, ``required_if``,
``empty_unless``, ``group_sum``), described in ``datasets/README.md``.
"""

from __future__ import annotations

import csv
import io
import operator
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd

from cdatools.i18n import N_, gettext

__all__ = ["Invalid", "Problem", "check_foreign_keys", "finalise", "read_table"]

DELIMITER = ","
OTHER_DELIMITERS = {
    ";": N_("semicolons (';')"),
    "\t": N_("tabs"),
    "|": N_("vertical bars ('|')"),
}
SUPPORTED_TYPES = {"string", "integer", "number", "boolean", "date"}
SUPPORTED_CONSTRAINTS = {
    "required",
    "unique",
    "enum",
    "minimum",
    "maximum",
    "pattern",
    "minLength",
    "maxLength",
}
DEFAULT_TRUE = ["true", "True", "TRUE", "1"]
DEFAULT_FALSE = ["false", "False", "FALSE", "0"]
EXPECTED_TYPE = {
    "integer": N_("a whole number"),
    "number": N_("a number written with '.' as decimal point and no thousands separator"),
    "boolean": N_("true or false"),
    "date": N_("a date written yyyy-mm-dd (for example 2013-07-01)"),
}
OPERATORS: dict[str, Callable[[Any, Any], Any]] = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
    "==": operator.eq,
    "!=": operator.ne,
}
MAX_ROWS_LISTED = 5


@dataclass(frozen=True)
class Problem:
    """One way in which a file breaks its schema.

    Attributes
    ----------
    row : int or None
        Row as a spreadsheet counts it (header = row 1); None for the whole file.
    column : str or None
        The column concerned, if any.
    message : str
        What was expected and what was found.
    line : int or None
        Line of the file where the row starts (differs from ``row`` only when a quoted
        cell spans several lines).
    """

    row: int | None
    column: str | None
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            if self.row == 1:
                where.append(gettext("row 1 (the header)"))
            else:
                line = self.row if self.line is None else self.line
                where.append(
                    gettext("row {row} (line {line} of the file)").format(row=self.row, line=line)
                )
        if self.column is not None:
            where.append(gettext("column {column}").format(column=repr(self.column)))
        return (", ".join(where) + ": " if where else "") + self.message


class Invalid(Exception):
    """Raised with the problems found; the public loader turns it into a DatasetError."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        super().__init__(problems)
        self.problems = list(problems)


# ----------------------------------------------------------------------------- reading


def _decode(raw: bytes, names: list[str]) -> str:
    """Return the text of a UTF-8 file (a byte-order mark is allowed) or raise Invalid."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        offset = err.start
        line = raw.count(b"\n", 0, offset) + 1
        start = raw.rfind(b"\n", 0, offset) + 1
        before = raw[start:offset].decode("utf-8", "replace")
        position = before.count(DELIMITER)
        header = next(csv.reader([raw.split(b"\n", 1)[0].decode("utf-8", "replace")]), [])
        column = header[position] if position < len(header) else None
        if line == 1 and position < len(names):
            column = names[position]
        bad = raw[offset : offset + 1]
        guess = raw[offset : err.end].decode("cp1252", "replace")
        message = gettext(
            "the file is not UTF-8 text: byte 0x{byte} at byte offset {offset} cannot be read "
            "(in Windows-1252 it would be {guess}); expected UTF-8, so save the file as "
            "'CSV UTF-8' from your spreadsheet and try again"
        ).format(byte=bad.hex().upper(), offset=offset, guess=repr(guess))
        raise Invalid([Problem(line, column, message)]) from None


def _check_header(header: list[str], names: list[str]) -> None:
    expected = ", ".join(names)
    if len(header) == 1 and len(names) > 1:
        for delimiter, label in OTHER_DELIMITERS.items():
            if delimiter in header[0]:
                message = gettext(
                    "the header is a single column: the file seems to use {separator} between "
                    "columns; expected commas (','), with the columns {expected}"
                ).format(separator=gettext(label), expected=expected)
                raise Invalid([Problem(1, header[0], message)])
    problems = []
    seen = set()
    for label in header:
        if label in seen:
            problems.append(Problem(1, label, gettext("the column name appears twice")))
        seen.add(label)
    for label in header:
        if label not in names:
            problems.append(
                Problem(
                    1,
                    label,
                    gettext("unexpected column; expected only the columns {expected}").format(
                        expected=expected
                    ),
                )
            )
    for name in names:
        if name not in seen:
            problems.append(
                Problem(
                    1,
                    name,
                    gettext("the column is missing; expected {expected}").format(expected=expected),
                )
            )
    if problems:
        raise Invalid(problems)


def _field_counts(body: bytes, quoted: bool) -> tuple[np.ndarray, np.ndarray]:
    """Fields per record and whether each record is blank, for the header and every row."""
    if not quoted:
        buf = np.frombuffer(body, dtype=np.uint8)
        newlines = np.flatnonzero(buf == ord("\n"))
        starts = np.concatenate(([0], newlines + 1))
        ends = np.concatenate((newlines, [len(buf)]))
        commas = np.concatenate(([0], np.cumsum(buf == ord(DELIMITER))))
        counts = commas[ends] - commas[starts] + 1
        lengths = ends - starts
        ends_cr = np.zeros(len(ends), dtype=bool)
        has_text = lengths > 0
        ends_cr[has_text] = buf[ends[has_text] - 1] == ord("\r")
        blank = (lengths - ends_cr) == 0
        return counts, blank
    records = list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline="")))
    counts = np.fromiter((len(r) for r in records), dtype=np.int64, count=len(records))
    blank = counts == 0
    return np.where(blank, 1, counts), blank


def _record_lines(text: str) -> np.ndarray:
    """Line of the file on which each record starts (header first)."""
    reader = csv.reader(io.StringIO(text, newline=""))
    lines, previous = [], 0
    for _ in reader:
        lines.append(previous + 1)
        previous = reader.line_num
    return np.asarray(lines, dtype=np.int64)


def _with_lines(problems: list[Problem], text: str) -> list[Problem]:
    if '"' not in text:
        return problems
    lines = _record_lines(text)
    return [
        replace(p, line=int(lines[p.row - 1])) if p.row and p.row <= len(lines) else p
        for p in problems
    ]


def _rows_text(rows: np.ndarray) -> str:
    listed = ", ".join(str(r) for r in rows[:MAX_ROWS_LISTED])
    return listed + (", ..." if len(rows) > MAX_ROWS_LISTED else "")


def _check_shape(body: bytes, quoted: bool, width: int) -> None:
    counts, blank = _field_counts(body, quoted)
    if len(counts) < 2:
        raise Invalid([Problem(2, None, gettext("the file has a header but no data rows"))])
    rows = np.arange(1, len(counts) + 1)
    problems = []
    if blank[1:].any():
        bad = rows[1:][blank[1:]]
        problems.append(
            Problem(
                int(bad[0]),
                None,
                gettext("expected a row of data; the row is blank (blank rows: {rows})").format(
                    rows=_rows_text(bad)
                ),
            )
        )
    wrong = (counts != width) & ~blank
    wrong[0] = False
    if wrong.any():
        bad = rows[wrong]
        found = counts[wrong][0]
        problems.append(
            Problem(
                int(bad[0]),
                None,
                gettext(
                    "the row has {found} cells but the header has {width}; check for a missing "
                    "or extra comma, such as a decimal comma or text with a comma that is not "
                    "in quotes (rows with this problem: {rows})"
                ).format(found=found, width=width, rows=_rows_text(bad)),
            )
        )
    if problems:
        raise Invalid(problems)


# ----------------------------------------------------------------------------- cells


def _more_rows(count: int, rows: np.ndarray) -> str:
    return gettext(" ({count} rows with this problem: {rows})").format(
        count=count, rows=_rows_text(rows)
    )


def _mask_problem(
    mask: np.ndarray, column: str, expected: str, raw: pd.Series, found: str | None = None
) -> Problem:
    """A problem at the first row where ``mask`` is true, counting the other rows."""
    index = np.flatnonzero(mask)
    rows = index + 2
    if found is None:
        found = gettext("found {value}").format(value=repr(raw.iloc[index[0]]))
    message = gettext("expected {expected}; {found}").format(expected=expected, found=found)
    if len(index) > 1:
        message += _more_rows(len(index), rows)
    return Problem(int(rows[0]), column, message)


def _convert(raw: pd.Series, field: dict, empty: np.ndarray) -> tuple[pd.Series, np.ndarray]:
    """Typed values (missing where empty or unreadable) and the mask of unreadable cells."""
    kind = field.get("type", "string")
    if kind == "string":
        return raw.mask(empty), np.zeros(len(raw), dtype=bool)
    if kind == "integer":
        ok = raw.str.fullmatch(r"[+-]?[0-9]{1,18}").to_numpy(dtype=bool)  # fits in int64
        values = pd.to_numeric(raw.where(ok), errors="coerce")
        return values, ~empty & ~ok
    if kind == "number":
        values = pd.to_numeric(raw.mask(empty), errors="coerce").astype("float64")
        finite = np.isfinite(values.to_numpy())
        return values.where(finite), ~empty & ~finite
    if kind == "boolean":
        truth = dict.fromkeys(field.get("trueValues", DEFAULT_TRUE), True)
        truth.update(dict.fromkeys(field.get("falseValues", DEFAULT_FALSE), False))
        values = raw.map(truth)
        return values, ~empty & values.isna().to_numpy()
    if kind == "date":
        ok = raw.str.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}").to_numpy(dtype=bool)
        values = pd.to_datetime(raw.where(ok), format="%Y-%m-%d", errors="coerce")
        return values, ~empty & values.isna().to_numpy()
    raise ValueError(f"field {field['name']!r}: cdatools cannot check the type {kind!r}")


def _bound(field: dict, key: str) -> Any:
    value = field["constraints"][key]
    return pd.Timestamp(value) if field.get("type") == "date" else value


def _check_constraints(
    raw: pd.Series, values: pd.Series, field: dict, present: np.ndarray, required: bool
) -> list[Problem]:
    name = field["name"]
    cons = field.get("constraints", {})
    unknown = set(cons) - SUPPORTED_CONSTRAINTS
    if unknown:
        raise ValueError(f"field {name!r}: cdatools cannot check the constraints {unknown}")
    problems = []
    if required and not present.all():
        problems.append(
            _mask_problem(
                ~present,
                name,
                gettext("a value (the column is required)"),
                raw,
                gettext("the cell is empty"),
            )
        )
    if "enum" in cons:
        bad = present & ~values.isin(cons["enum"]).to_numpy()
        if bad.any():
            allowed = ", ".join(repr(v) for v in cons["enum"])
            expected = gettext("one of {allowed}").format(allowed=allowed)
            problems.append(_mask_problem(bad, name, expected, raw))
    if "minimum" in cons or "maximum" in cons:
        low = _bound(field, "minimum") if "minimum" in cons else None
        high = _bound(field, "maximum") if "maximum" in cons else None
        bad = np.zeros(len(raw), dtype=bool)
        if low is not None:
            bad |= present & (values < low).to_numpy(dtype=bool, na_value=False)
        if high is not None:
            bad |= present & (values > high).to_numpy(dtype=bool, na_value=False)
        if bad.any():
            if low is not None and high is not None:
                expected = gettext("a value from {low} to {high}").format(
                    low=cons["minimum"], high=cons["maximum"]
                )
            elif low is not None:
                expected = gettext("a value of at least {low}").format(low=cons["minimum"])
            else:
                expected = gettext("a value of at most {high}").format(high=cons["maximum"])
            problems.append(_mask_problem(bad, name, expected, raw))
    if "pattern" in cons:
        ok = raw.str.fullmatch(cons["pattern"]).to_numpy(dtype=bool)
        if (present & ~ok).any():
            expected = gettext("text matching the pattern {pattern}").format(
                pattern=repr(cons["pattern"])
            )
            problems.append(_mask_problem(present & ~ok, name, expected, raw))
    for key, op, words in (
        ("minLength", operator.lt, N_("text of at least {count} characters")),
        ("maxLength", operator.gt, N_("text of at most {count} characters")),
    ):
        if key in cons:
            bad = present & op(raw.str.len().to_numpy(), cons[key])
            if bad.any():
                expected = gettext(words).format(count=cons[key])
                problems.append(_mask_problem(bad, name, expected, raw))
    if cons.get("unique"):
        dup = present & values.duplicated(keep=False).to_numpy()
        later = present & values.duplicated(keep="first").to_numpy()
        if later.any():
            first = int(
                np.flatnonzero(dup & (values == values.iloc[np.argmax(later)]).to_numpy())[0]
            )
            expected = gettext("a value not used in another row (it is also in row {row})").format(
                row=first + 2
            )
            problems.append(_mask_problem(later, name, expected, raw))
    return problems


# ----------------------------------------------------------------------------- keys, rules


def _show(value: Any) -> str:
    """A cell value as a trainee would type it: quotes around text, plain numbers."""
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, np.generic):
        value = value.item()
    return "empty" if pd.isna(value) else repr(value)


def _key_text(frame: pd.DataFrame, row: int, fields: Sequence[str]) -> str:
    return ", ".join(f"{f}={_show(frame[f].iloc[row])}" for f in fields)


def _check_primary_key(frame: pd.DataFrame, pk: Sequence[str]) -> list[Problem]:
    later = frame.duplicated(subset=list(pk), keep="first").to_numpy()
    if not later.any():
        return []
    index = np.flatnonzero(later)
    row = int(index[0])
    same = (frame[list(pk)] == frame[list(pk)].iloc[row]).all(axis=1).to_numpy()
    first = int(np.flatnonzero(same)[0])
    message = gettext(
        "expected each ({fields}) to appear once; found {key} again (first in row {row})"
    ).format(fields=", ".join(pk), key=_key_text(frame, row, pk), row=first + 2)
    if len(index) > 1:
        message += gettext(" ({count} repeated rows: {rows})").format(
            count=len(index), rows=_rows_text(index + 2)
        )
    return [Problem(row + 2, pk[-1], message)]


def _rule_problem(mask: np.ndarray, frame: pd.DataFrame, rule: dict, expected: str) -> Problem:
    index = np.flatnonzero(mask)
    fields = [rule["field"], *([rule["other"]] if "other" in rule else [])]
    message = gettext("expected {expected} ({description}); found {found}").format(
        expected=expected,
        description=rule["description"],
        found=_key_text(frame, index[0], fields),
    )
    if len(index) > 1:
        message += _more_rows(len(index), index + 2)
    return Problem(int(index[0]) + 2, rule["field"], message)


def _check_rules(frame: pd.DataFrame, rules: Sequence[dict]) -> list[Problem]:
    problems = []
    for rule in rules:
        kind, name = rule["rule"], rule["field"]
        values = frame[name]
        if kind == "compare":
            other = frame[rule["other"]]
            both = (values.notna() & other.notna()).to_numpy()
            holds = OPERATORS[rule["op"]](values.where(both), other.where(both))
            bad = both & ~holds.to_numpy(dtype=bool, na_value=False)
            expected = f"{name} {rule['op']} {rule['other']}"
        elif kind in {"required_if", "empty_unless"}:
            listed = frame[rule["other"]].isin(rule["in"]).to_numpy()
            allowed = gettext(" or ").join(repr(v) for v in rule["in"])
            if kind == "required_if":
                bad = listed & values.isna().to_numpy()
                expected = gettext("a value in {field} where {other} is {allowed}").format(
                    field=name, other=rule["other"], allowed=allowed
                )
            else:
                bad = ~listed & values.notna().to_numpy()
                expected = gettext("{field} empty unless {other} is {allowed}").format(
                    field=name, other=rule["other"], allowed=allowed
                )
        elif kind == "group_sum":
            by = list(rule["by"])
            sums = values.groupby([frame[b] for b in by], sort=False).transform("sum")
            bad = np.abs(sums.to_numpy(dtype=float) - rule["total"]) > rule["tolerance"]
            if bad.any():
                first = int(np.flatnonzero(bad)[0])
                group = _key_text(frame, first, by)
                message = gettext(
                    "expected the values for {group} to add up to {total} (within "
                    "{tolerance}; {description}); they add up to {found}"
                ).format(
                    group=group,
                    total=rule["total"],
                    tolerance=rule["tolerance"],
                    description=rule["description"],
                    found=f"{sums.iloc[first]:.4g}",
                )
                problems.append(Problem(first + 2, name, message))
            continue
        else:
            raise ValueError(f"unknown rule {kind!r} in the schema")
        if bad.any():
            problems.append(_rule_problem(bad, frame, rule, expected))
    return problems


def check_foreign_keys(
    frame: pd.DataFrame,
    schema: dict,
    reference: Callable[[str], tuple[pd.DataFrame, str] | None],
    text: str = "",
) -> None:
    """Raise Invalid if a foreign key value is missing from the table it refers to.

    ``reference(name)`` returns the referenced table and a label for messages, or None to
    skip that key; the empty name means the table itself.
    """
    problems = []
    for key in schema.get("foreignKeys", []):
        fields = key["fields"] if isinstance(key["fields"], list) else [key["fields"]]
        target = key["reference"]
        ref_fields = target["fields"] if isinstance(target["fields"], list) else [target["fields"]]
        found = (
            (frame, gettext("this file"))
            if target["resource"] == ""
            else reference(target["resource"])
        )
        if found is None:
            continue
        ref, label = found
        present = frame[fields].notna().all(axis=1).to_numpy()
        keys = pd.MultiIndex.from_arrays([frame[f].astype(object) for f in fields])
        known = pd.MultiIndex.from_arrays([ref[f].astype(object) for f in ref_fields])
        bad = present & ~keys.isin(known)
        if bad.any():
            index = np.flatnonzero(bad)
            message = gettext(
                "expected a {fields} listed in {table} (foreign key); found {found}"
            ).format(
                fields=", ".join(ref_fields), table=label, found=_key_text(frame, index[0], fields)
            )
            if len(index) > 1:
                message += _more_rows(len(index), index + 2)
            problems.append(Problem(int(index[0]) + 2, fields[0], message))
    if problems:
        raise Invalid(_with_lines(problems, text))


# ----------------------------------------------------------------------------- main entry


def _primary_key(schema: dict) -> list[str]:
    pk = schema.get("primaryKey", [])
    return [pk] if isinstance(pk, str) else list(pk)


def _is_required(field: dict, pk: Sequence[str]) -> bool:
    """Primary-key fields are required even when the schema does not say so."""
    return bool(field.get("constraints", {}).get("required")) or field["name"] in pk


def read_table(raw: bytes, schema: dict) -> tuple[pd.DataFrame, str]:
    """Check the bytes of a CSV file against a Table Schema and return it typed.

    Returns the DataFrame (columns in schema order, enums still plain strings; see
    :func:`finalise`) and the decoded text, for line numbers in later messages.
    Raises Invalid with every problem found in the first stage that fails: encoding and
    shape, then cells, then keys and rules.
    """
    fields = schema["fields"]
    names = [f["name"] for f in fields]
    for field in fields:
        if field.get("type", "string") not in SUPPORTED_TYPES:
            raise ValueError(f"field {field['name']!r}: cdatools cannot check {field['type']!r}")
    if not raw.strip():
        raise Invalid(
            [
                Problem(
                    1,
                    None,
                    gettext("the file is empty; expected a header with {columns}").format(
                        columns=", ".join(names)
                    ),
                )
            ]
        )
    text = _decode(raw, names)
    body = raw[3:] if raw.startswith(b"\xef\xbb\xbf") else raw
    body = body.rstrip(b"\r\n")
    quoted = b'"' in body
    header = next(csv.reader(io.StringIO(text.split("\n", 1)[0].rstrip("\r"))), [])
    _check_header(header, names)
    try:
        _check_shape(body, quoted, len(header))
    except Invalid as err:
        raise Invalid(_with_lines(err.problems, text)) from None
    table = pd.read_csv(
        io.StringIO(text.rstrip("\r\n")),
        sep=DELIMITER,
        dtype=str,
        na_filter=False,
        keep_default_na=False,
        skip_blank_lines=False,
    )
    pk = _primary_key(schema)
    columns, problems = {}, []
    for field in fields:
        name = field["name"]
        raw_values = table[name]
        empty = (raw_values == "").to_numpy()
        values, unreadable = _convert(raw_values, field, empty)
        if unreadable.any():
            expected = gettext(EXPECTED_TYPE[field["type"]])
            problems.append(_mask_problem(unreadable, name, expected, raw_values))
            continue
        required = _is_required(field, pk)
        problems += _check_constraints(raw_values, values, field, ~empty, required)
        columns[name] = values
    if problems:
        raise Invalid(_with_lines(problems, text))
    frame = pd.DataFrame(columns)
    problems = _check_primary_key(frame, pk) if pk else []
    problems += _check_rules(frame, schema.get("cdatools:rules", []))
    if problems:
        raise Invalid(_with_lines(problems, text))
    return frame, text


def finalise(frame: pd.DataFrame, schema: dict) -> pd.DataFrame:
    """Give each column its final dtype: Categorical for enums, int64/Int64, bool/boolean.

    Integer and boolean columns that the schema lets be empty get pandas' nullable
    ``Int64`` and ``boolean`` dtypes whether or not this file has an empty cell, so the
    dtypes depend on the schema alone.
    """
    pk = _primary_key(schema)
    out = {}
    for field in schema["fields"]:
        name, kind = field["name"], field.get("type", "string")
        values = frame[name]
        nullable = not _is_required(field, pk)
        enum = field.get("constraints", {}).get("enum")
        if enum is not None and kind == "string":
            dtype = pd.CategoricalDtype(enum, ordered=bool(field.get("categoriesOrdered")))
            values = values.astype(dtype)
        elif kind == "integer":
            values = values.astype("Int64" if nullable else "int64")
        elif kind == "boolean":
            values = values.astype("boolean" if nullable else "bool")
        out[name] = values
    return pd.DataFrame(out)
