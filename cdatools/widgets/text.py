"""Text a trainee types: checked before it is kept, and drawn exactly as typed.

Names (stakeholders, groups, proposals) go into figures, tables, CSV files and save
files. This module decides which text is accepted and gives a message naming the
problem when it is not; it also compares names the way a person does (ignoring case,
spacing and underscores), and makes every figure draw text literally, never as
mathematics, so ``$5 and $10`` is shown as typed.
"""

from __future__ import annotations

import contextlib
import re
import unicodedata
import warnings
from collections.abc import Iterator
from typing import NoReturn

from cdatools.i18n import N_, gettext

#: Longest name accepted, so it fits the figure and the controls.
NAME_LIMIT = 60
#: Longest title (of a joint action) accepted.
TITLE_LIMIT = 80
_REFUSED = {
    "Cc": N_("a control character"),
    "Cs": N_("a lone surrogate"),
    "Zl": N_("a line break"),
    "Zp": N_("a paragraph break"),
}
_VISIBLE = ("L", "N", "P", "S", "M")


def check_text(text: object, what: str, limit: int = NAME_LIMIT) -> str:
    """Return ``text`` without spaces at its ends, or refuse it with a clear message.

    Parameters
    ----------
    text : object
        What the trainee typed.
    what : str
        What the text names, for the message (``"a stakeholder's name"``).
    limit : int
        Most characters accepted.

    Returns
    -------
    str
        The text as typed, without leading and trailing spaces.

    Raises
    ------
    ValueError
        If the text is not a string, is empty, holds a line break, tab or other
        control character, has no visible character, or is longer than ``limit``.

    Examples
    --------
    >>> check_text("  R&D fund $^$ ", "a name")
    'R&D fund $^$'
    >>> check_text("two\\nlines", "a name")
    Traceback (most recent call last):
    ...
    ValueError: a name must be one line: it holds a line break (U+000A) at character 4
    """
    if not isinstance(text, str):
        raise ValueError(
            gettext("{what} must be text, not {text}").format(what=what, text=repr(text))
        )
    stripped = text.strip()
    if not stripped:
        raise ValueError(
            gettext("{what} is empty: type at least one letter or number").format(what=what)
        )
    for position, char in enumerate(stripped, start=1):
        category = unicodedata.category(char)
        if category in _REFUSED:
            breaks = char in "\n\r\v\f\x85" or category in ("Zl", "Zp")
            _refuse(what, breaks, _kind(char, category), char, position)
    if not any(unicodedata.category(c)[0] in _VISIBLE for c in stripped):
        raise ValueError(
            gettext("{what} has no visible character: {text}").format(what=what, text=repr(text))
        )
    if len(stripped) > limit:
        raise ValueError(
            gettext(
                "{what} is {length} characters long; keep it to {limit} so it fits the "
                "figure (it starts {start})"
            ).format(what=what, length=len(stripped), limit=limit, start=repr(stripped[:20]))
        )
    return stripped


def _kind(char: str, category: str) -> str:
    """What a refused character is, in words (translated)."""
    if char == "\t":
        return gettext("a tab")
    if char in "\n\r\v\f\x85":
        return gettext("a line break")
    return gettext(_REFUSED[category])


def _refuse(what: str, breaks: bool, kind: str, char: str, position: int) -> NoReturn:
    code = f"U+{ord(char):04X}"
    if breaks:
        raise ValueError(
            gettext(
                "{what} must be one line: it holds {kind} ({code}) at character {position}"
            ).format(what=what, kind=kind, code=code, position=position)
        )
    raise ValueError(
        gettext("{what} cannot hold {kind} ({code}), found at character {position}").format(
            what=what, kind=kind, code=code, position=position
        )
    )


def text_key(text: str) -> str:
    """How two names are compared: ignoring case, spacing, underscores and Unicode forms.

    Examples
    --------
    >>> text_key("Small  firms") == text_key("small_firms")
    True
    """
    folded = unicodedata.normalize("NFKC", text).casefold().replace("_", " ")
    return re.sub(r"\s+", " ", folded).strip()


def find_same(text: str, existing: list[str]) -> str | None:
    """The existing name that ``text`` duplicates (see :func:`text_key`), or None."""
    key = text_key(text)
    for name in existing:
        if text_key(name) == key:
            return name
    return None


def duplicate_message(text: str, same: str, where: str) -> str:
    """The message for a name that duplicates one already there."""
    if same == text:
        return gettext("{text} is already {where}").format(text=repr(text), where=where)
    return gettext(
        "{text} is already {where} as {same} (names are compared ignoring case, "
        "spaces and underscores)"
    ).format(text=repr(text), where=where, same=repr(same))


def figure_text(text: str, limit: int = NAME_LIMIT) -> str:
    """Text as a figure shows it: unchanged, unless it comes from an older save file
    with control characters (shown as U+FFFD) or is longer than ``limit`` (shortened
    with an ellipsis). The table and CSV always keep the text as typed.

    Examples
    --------
    >>> figure_text("$5 fund")
    '$5 fund'
    """
    shown = "".join("\ufffd" if unicodedata.category(c) in _REFUSED else c for c in str(text))
    return shown if len(shown) <= limit else shown[: limit - 1] + "\u2026"


@contextlib.contextmanager
def literal_text(missing: list[str] | None = None) -> Iterator[None]:
    """Draw every text literally (no mathtext) and collect characters the fonts lack.

    Parameters
    ----------
    missing : list of str, optional
        Receives one entry per character the fonts could not draw (shown as a box).
    """
    import matplotlib

    with (
        matplotlib.rc_context({"text.parse_math": False}),
        warnings.catch_warnings(record=True) as caught,
    ):
        warnings.filterwarnings("always", message=r"Glyph \d+ .* missing from font")
        yield
    for warning in caught:
        message = str(warning.message)
        found = re.match(r"Glyph (\d+) ", message)
        if found and "missing from font" in message:
            if missing is not None:
                missing.append(chr(int(found.group(1))))
        else:
            warnings.warn_explicit(
                warning.message, warning.category, warning.filename, warning.lineno
            )
