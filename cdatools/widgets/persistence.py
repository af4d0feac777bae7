"""Saving and restoring a planning widget's state as JSON, safely.

Every change is written atomically: the state goes to a temporary file in the same
folder, which then replaces the save file in one step, so a crash mid-write never
leaves half a file. A save file that cannot be read is never overwritten: it is
renamed aside and the caller gets a message to show the trainee.
"""

from __future__ import annotations

import json
import os
import tempfile
from datetime import datetime
from pathlib import Path
from typing import Any

from cdatools.i18n import gettext

WORK_DIR_ENV = "CDATOOLS_WORK_DIR"
DEFAULT_WORK_DIR = "my-work"


class UnreadableStateError(ValueError):
    """A save file exists but does not hold a state this widget can use."""


def default_save_path(name: str) -> Path:
    """Where a widget saves by default: ``my-work/<name>.json`` next to the notebook.

    Parameters
    ----------
    name : str
        The widget's short name, such as ``"workplan"``.

    Returns
    -------
    pathlib.Path
        ``$CDATOOLS_WORK_DIR/<name>.json`` when that variable is set, else
        ``my-work/<name>.json`` relative to the working folder (the notebook's folder
        in JupyterLab).

    Examples
    --------
    >>> default_save_path("workplan").name
    'workplan.json'
    """
    return Path(os.environ.get(WORK_DIR_ENV) or DEFAULT_WORK_DIR) / f"{name}.json"


def write_state(path: Path, state: dict[str, Any]) -> None:
    """Write ``state`` to ``path`` as JSON, atomically.

    Parameters
    ----------
    path : pathlib.Path
        The save file; its folder is created when missing.
    state : dict
        A JSON-serialisable dictionary.

    Raises
    ------
    TypeError
        If ``state`` holds a value JSON cannot represent.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "plan.json"
    >>> write_state(target, {"kind": "demo"})
    >>> target.read_text(encoding="utf-8").startswith("{")
    True
    """
    text = json.dumps(state, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def read_state(path: Path, kind: str) -> dict[str, Any] | None:
    """Read a saved state written by a widget of the given kind.

    Parameters
    ----------
    path : pathlib.Path
        The save file.
    kind : str
        The widget kind the file must belong to, such as ``"workplan"``.

    Returns
    -------
    dict or None
        The saved state, or None when there is no save file yet.

    Raises
    ------
    UnreadableStateError
        If the file is not UTF-8 JSON holding an object, or was written by another
        kind of widget. The message says what is wrong.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> read_state(pathlib.Path(tempfile.mkdtemp()) / "none.json", "workplan") is None
    True
    """
    if not path.exists():
        return None
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as error:
        raise UnreadableStateError(
            gettext("it is not UTF-8 text (byte {byte})").format(byte=error.start)
        ) from error
    except json.JSONDecodeError as error:
        raise UnreadableStateError(
            gettext("it is not valid JSON (line {line}, column {column}: {problem})").format(
                line=error.lineno, column=error.colno, problem=error.msg
            )
        ) from error
    if not isinstance(state, dict):
        raise UnreadableStateError(
            gettext("it holds a JSON {type}, not an object").format(type=type(state).__name__)
        )
    if state.get("kind") != kind:
        raise UnreadableStateError(
            gettext("it was saved by a {found} widget, not a {kind} widget").format(
                found=repr(state.get("kind")), kind=repr(kind)
            )
        )
    return state


def set_aside(path: Path) -> Path:
    """Rename an unreadable save file to a new, unused name beside it.

    Parameters
    ----------
    path : pathlib.Path
        The save file to keep aside.

    Returns
    -------
    pathlib.Path
        The file's new name, ``<stem>.unreadable-<timestamp>[-N]<suffix>``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> bad = pathlib.Path(tempfile.mkdtemp()) / "plan.json"
    >>> _ = bad.write_text("{oops", encoding="utf-8")
    >>> set_aside(bad).name.startswith("plan.unreadable-")
    True
    """
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    for attempt in range(1000):
        extra = f"-{attempt}" if attempt else ""
        target = path.with_name(f"{path.stem}.unreadable-{stamp}{extra}{path.suffix}")
        try:
            os.link(path, target)
        except FileExistsError:
            continue
        except OSError:
            if target.exists():
                continue
            path.rename(target)
            return target
        path.unlink()
        return target
    raise FileExistsError(f"could not find a free name to keep {path} aside")
