"""Read a workshop roster (CSV) and refuse it whole when any row is wrong.

The roster has the columns ``username,role,first_name,last_name,email``; ``role`` is
``trainee`` or ``trainer``. :func:`parse_roster` is a pure function of the file's text:
it returns the people or raises :class:`RosterError` listing every problem with its row
and column, so nothing on the server changes until the whole roster is right.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

COLUMNS = ("username", "role", "first_name", "last_name", "email")
ROLES = ("trainee", "trainer")
# Debian's rule for new user names (adduser's NAME_REGEX), at most 32 characters:
# a lowercase letter first, then lowercase letters, digits, '_' or '-'.
UNIX_NAME = re.compile(r"[a-z][a-z0-9_-]{0,31}")
# Names a hub user must never have: they belong to the system or to the hub itself.
RESERVED_NAMES = frozenset(
    {"root", "daemon", "bin", "sys", "sync", "games", "man", "lp", "mail", "news", "uucp"}
    | {"proxy", "www-data", "backup", "list", "irc", "nobody", "systemd-network", "admin"}
    | {"hub", "user", "services", "api"}
)


@dataclass(frozen=True)
class Person:
    """One row of the roster."""

    username: str
    role: str
    first_name: str = ""
    last_name: str = ""
    email: str = ""
    row: int = 0

    @property
    def full_name(self) -> str:
        """First and last name, as one string (may be empty)."""
        return " ".join(part for part in (self.first_name, self.last_name) if part)


class RosterError(ValueError):
    """The roster cannot be used; ``problems`` lists every reason, one line each."""

    def __init__(self, source: str, problems: list[str]) -> None:
        self.source = source
        self.problems = problems
        lines = [f"{source}: the roster was refused, nothing was changed:"]
        lines += [f"  - {problem}" for problem in problems]
        super().__init__("\n".join(lines))


def _decode(data: bytes, source: str) -> str:
    """Text of a CSV file saved as UTF-8 (with or without BOM) or by Excel on Windows."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError as error:
            raise RosterError(
                source,
                [f"the file is not text in UTF-8 (byte {error.start}); save it as 'CSV UTF-8'"],
            ) from None


def _delimiter(header_line: str) -> str:
    """',' as the format says, or ';' from spreadsheets set up for French or Spanish."""
    if header_line.count(";") > header_line.count(","):
        return ";"
    return ","


def _check_username(name: str) -> str | None:
    if name == "":
        return "is empty; expected a Unix user name such as 'amina' or 'jperez'"
    if name != name.strip():
        return f"'{name}' has spaces around it"
    if name.lower() != name and UNIX_NAME.fullmatch(name.lower()):
        return f"'{name}' has capital letters; Unix user names are lowercase: '{name.lower()}'"
    if not UNIX_NAME.fullmatch(name):
        return (
            f"'{name}' is not a valid Unix user name; expected a lowercase letter first, then "
            "lowercase letters, digits, '_' or '-', at most 32 characters (no spaces or accents)"
        )
    if name in RESERVED_NAMES:
        return f"'{name}' is reserved for the system or the hub; choose another name"
    return None


def parse_roster(text: str, source: str = "roster") -> list[Person]:
    """Read a roster's text and return its people, or refuse it with every problem named.

    Parameters
    ----------
    text
        The CSV text, with a header row. Columns may come in any order; extra columns
        are ignored. A semicolon-separated file (as some spreadsheets save) is read too.
    source
        The file name, used in messages.

    Returns
    -------
    list of Person
        In the roster's order. ``row`` is the spreadsheet row (the header is row 1).

    Raises
    ------
    RosterError
        When a column is missing, a role is unknown, a user name is not a valid Unix
        name or appears twice, or the roster has nobody on it.

    Examples
    --------
    >>> people = parse_roster("username,role,first_name,last_name,email\\n"
    ...                       "amina,trainee,Amina,Diallo,amina@example.org\\n")
    >>> people[0].username, people[0].role, people[0].row
    ('amina', 'trainee', 2)
    """
    lines = text.splitlines()
    first = next((line for line in lines if line.strip()), "")
    if not first:
        raise RosterError(source, [f"the file is empty; expected the header {','.join(COLUMNS)}"])
    reader = csv.reader(io.StringIO(text), delimiter=_delimiter(first))
    rows = [(number, row) for number, row in enumerate(reader, start=1)]
    rows = [(number, row) for number, row in rows if any(cell.strip() for cell in row)]
    header_row, header = rows[0]
    names = [cell.strip().lower() for cell in header]
    missing = [column for column in COLUMNS if column not in names]
    if missing:
        raise RosterError(
            source,
            [
                f"row {header_row} (the header): missing column"
                f"{'s' if len(missing) > 1 else ''} {', '.join(missing)}; "
                f"expected {','.join(COLUMNS)}, found {','.join(cell.strip() for cell in header)}"
            ],
        )
    index = {column: names.index(column) for column in COLUMNS}

    people: list[Person] = []
    problems: list[str] = []
    first_row: dict[str, int] = {}
    for number, row in rows[1:]:
        cells = {column: (row[i] if i < len(row) else "") for column, i in index.items()}
        username = cells["username"]
        bad = _check_username(username)
        if bad:
            problems.append(f"row {number}, column username: {bad}")
        elif username in first_row:
            problems.append(
                f"row {number}, column username: '{username}' is a duplicate "
                f"(already on row {first_row[username]})"
            )
        else:
            first_row[username] = number
        role = cells["role"].strip().lower()
        if role not in ROLES:
            shown = cells["role"].strip() or "(empty)"
            problems.append(
                f"row {number}, column role: '{shown}' is not a role; expected trainee or trainer"
            )
        email = cells["email"].strip()
        if email and ("@" not in email or " " in email):
            problems.append(
                f"row {number}, column email: '{email}' is not an e-mail address; "
                "expected name@domain, or leave it empty"
            )
        for column in ("first_name", "last_name"):
            if ":" in cells[column] or "\n" in cells[column]:
                problems.append(
                    f"row {number}, column {column}: '{cells[column]}' "
                    "may not contain ':' or a line break"
                )
        people.append(
            Person(
                username=username,
                role=role,
                first_name=cells["first_name"].strip(),
                last_name=cells["last_name"].strip(),
                email=email,
                row=number,
            )
        )
    if not people and not problems:
        problems.append("nobody is on the roster; add one row per trainer and trainee")
    if problems:
        raise RosterError(source, problems)
    return people


def read_roster(path: Path | str) -> list[Person]:
    """Read the roster file at ``path`` (see :func:`parse_roster`)."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise RosterError(str(path), ["no such file"]) from None
    except IsADirectoryError:
        raise RosterError(str(path), ["this is a folder; expected a CSV file"]) from None
    return parse_roster(_decode(data, str(path)), source=str(path))
