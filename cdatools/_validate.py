"""Shared input checks, so every analysis reports bad data the same way.

Each check raises :class:`ValueError` with a message that names where the
problem was found (the analysis), the column, the offending value, its row and
what was expected, for example::

    joint_actions: column 'cost_usd' must be >= 0; row 3 (action_id 'JA04') has -50

Rows are named by their index label, which is what pandas shows when the table
is printed; lookups are by position, so a repeated index label does no harm.
These helpers are internal: analysis modules call them, users see only the
messages.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from cdatools.i18n import gettext, ngettext


def quote(value: Any) -> str:
    """Show a value the way messages quote it: strings in quotes, numbers bare."""
    if isinstance(value, str):
        return f"'{value}'"
    if isinstance(value, (float, np.floating)) and float(value).is_integer():
        return str(int(value))
    return str(value)


def quote_list(values: Iterable[Any]) -> str:
    """Join values for a message: ``'a', 'b', 'c'``."""
    return ", ".join(quote(v) for v in values)


def row_label(df: pd.DataFrame, position: int, id_col: str | None = None) -> str:
    """Name the row at ``position``: ``row 3`` or ``row 3 (action_id 'JA04')``."""
    text = gettext("row {row}").format(row=df.index[position])
    if id_col is not None and id_col in df.columns:
        text += f" ({id_col} {quote(df[id_col].iloc[position])})"
    return text


def first_bad(df: pd.DataFrame, bad: Any, id_col: str | None = None) -> tuple[int, str, str]:
    """Locate the first True in ``bad`` (a mask over the rows of ``df``).

    Returns its position, the row's name for a message, and a note counting
    any further offending rows (``" (and 2 more rows)"``).
    """
    positions = np.flatnonzero(np.asarray(bad, dtype=bool))
    first = int(positions[0])
    others = len(positions) - 1
    more = (
        ngettext(" (and {count} more row)", " (and {count} more rows)", others).format(count=others)
        if others
        else ""
    )
    return first, row_label(df, first, id_col), more


def require_frame(df: Any, where: str, name: str = "data") -> None:
    """Raise unless ``df`` is a pandas DataFrame."""
    if not isinstance(df, pd.DataFrame):
        raise ValueError(
            gettext("{where}: {name} must be a pandas DataFrame; got {type}").format(
                where=where, name=name, type=type(df).__name__
            )
        )


def require_columns(
    df: pd.DataFrame, columns: Sequence[str], where: str, *, name: str = "data"
) -> None:
    """Raise if any of ``columns`` is missing from ``df``, listing what was found."""
    require_frame(df, where, name)
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise ValueError(
            ngettext(
                "{where}: {name} is missing column {missing}; expected {expected}; found "
                "{found}. If your data names these columns differently, pass the names as "
                "arguments.",
                "{where}: {name} is missing columns {missing}; expected {expected}; found "
                "{found}. If your data names these columns differently, pass the names as "
                "arguments.",
                len(missing),
            ).format(
                where=where,
                name=name,
                missing=quote_list(missing),
                expected=quote_list(columns),
                found=quote_list(map(str, df.columns)),
            )
        )


def require_nonempty(df: pd.DataFrame, where: str, *, name: str = "data") -> None:
    """Raise if ``df`` has no rows."""
    if len(df) == 0:
        raise ValueError(
            gettext("{where}: {name} has no rows; expected at least one").format(
                where=where, name=name
            )
        )


def require_no_missing(
    df: pd.DataFrame, column: str, where: str, *, id_col: str | None = None
) -> None:
    """Raise if ``column`` has an empty cell."""
    bad = df[column].isna()
    if bad.any():
        _, text, more = first_bad(df, bad, id_col)
        raise ValueError(_empty(where, column, text, more))


def _empty(where: str, column: str, row: str, more: str) -> str:
    return gettext("{where}: column '{column}' must not be empty; {row} is empty{more}").format(
        where=where, column=column, row=row, more=more
    )


def require_numeric(
    df: pd.DataFrame,
    column: str,
    where: str,
    *,
    id_col: str | None = None,
    low: float | None = None,
    high: float | None = None,
    integer: bool = False,
    allow_missing: bool = False,
) -> pd.Series:
    """Check that a column holds numbers in a range and return it as floats.

    Parameters
    ----------
    df : pandas.DataFrame
        The table.
    column : str
        The column to check.
    where : str
        Name of the analysis, put at the start of the message.
    id_col : str, optional
        A column that names rows (such as ``'action_id'``), quoted in messages.
    low, high : float, optional
        Inclusive bounds.
    integer : bool
        Whether values must be whole numbers.
    allow_missing : bool
        Whether empty cells are allowed (they stay NaN).

    Returns
    -------
    pandas.Series
        The column as float64.

    Raises
    ------
    ValueError
        Naming the first offending row and its value.
    """
    raw = df[column]
    if raw.dtype == bool:
        raw = raw.astype("int64")
    values = pd.to_numeric(raw, errors="coerce").astype("float64")
    missing = raw.isna()
    if not allow_missing and missing.any():
        _, text, more = first_bad(df, missing, id_col)
        raise ValueError(_empty(where, column, text, more))
    not_number = values.isna() & ~missing
    if not_number.any():
        first, text, more = first_bad(df, not_number, id_col)
        raise ValueError(
            gettext("{where}: column '{column}' must hold numbers; {row} has {value}{more}").format(
                where=where, column=column, row=text, value=quote(raw.iloc[first]), more=more
            )
        )
    present = values.notna()
    if integer:
        bad = present & (values != np.floor(values))
        if bad.any():
            first, text, more = first_bad(df, bad, id_col)
            raise ValueError(
                gettext(
                    "{where}: column '{column}' must hold whole numbers; {row} has {value}{more}"
                ).format(
                    where=where, column=column, row=text, value=quote(raw.iloc[first]), more=more
                )
            )
    lowest = -np.inf if low is None else low
    highest = np.inf if high is None else high
    bad = present & ((values < lowest) | (values > highest))
    if bad.any():
        first, text, more = first_bad(df, bad, id_col)
        if low is not None and high is not None:
            expected = gettext("between {low} and {high}").format(low=quote(low), high=quote(high))
        elif low is not None:
            expected = f">= {quote(low)}"
        else:
            expected = f"<= {quote(high)}"
        raise ValueError(
            gettext(
                "{where}: column '{column}' must be {expected}; {row} has {value}{more}"
            ).format(
                where=where,
                column=column,
                expected=expected,
                row=text,
                value=quote(raw.iloc[first]),
                more=more,
            )
        )
    return values


def require_values_in(
    df: pd.DataFrame,
    column: str,
    allowed: Collection[Any],
    where: str,
    *,
    id_col: str | None = None,
) -> None:
    """Raise if ``column`` holds a value outside ``allowed`` (empty cells included)."""
    bad = ~df[column].isin(list(allowed))
    if bad.any():
        first, text, more = first_bad(df, bad, id_col)
        value = df[column].iloc[first]
        shown = gettext("an empty cell") if pd.isna(value) else quote(value)
        raise ValueError(
            gettext(
                "{where}: column '{column}' must be one of {allowed}; {row} has {value}{more}"
            ).format(
                where=where,
                column=column,
                allowed=quote_list(allowed),
                row=text,
                value=shown,
                more=more,
            )
        )


def require_unique(df: pd.DataFrame, columns: Sequence[str], where: str) -> None:
    """Raise if the combination of ``columns`` repeats."""
    dup = df.duplicated(subset=list(columns), keep="first")
    if dup.any():
        first, text, _ = first_bad(df, dup)
        key = ", ".join(f"{c} {quote(df[c].iloc[first])}" for c in columns)
        raise ValueError(
            gettext(
                "{where}: each row must have a different {columns}; {row} repeats {key}"
            ).format(where=where, columns=" + ".join(columns), row=text, key=key)
        )


def require_choice(value: Any, allowed: Collection[Any], where: str, what: str) -> None:
    """Raise if a single argument value is not one of ``allowed``."""
    if value not in allowed:
        raise ValueError(
            gettext("{where}: {what} must be one of {allowed}; got {value}").format(
                where=where, what=what, allowed=quote_list(allowed), value=quote(value)
            )
        )


def require_positive_int(value: Any, where: str, what: str, *, minimum: int = 1) -> int:
    """Return ``value`` as int, raising unless it is a whole number >= ``minimum``."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < minimum:
        raise ValueError(
            gettext("{where}: {what} must be a whole number >= {minimum}; got {value}").format(
                where=where, what=what, minimum=minimum, value=quote(value)
            )
        )
    return int(value)
