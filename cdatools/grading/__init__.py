"""Grade a whole cohort with nbgrader, in parallel and safely, and report on it.

The trainer commands ``cdatools grade``, ``cdatools report`` and ``cdatools demo``
are built from these modules:

``states``
    The end state of each submission (graded, timed out, out of memory, ...).
``course``
    An nbgrader course folder: its configuration, submissions and grading ledger.
``worker``
    A grading process: autogrades one submission at a time with nbgrader's own
    ``Autograde`` converter, against a private scratch gradebook.
``merge``
    Builds the scratch gradebook and merges a graded submission into the course's
    gradebook through nbgrader's ``Gradebook`` API.
``run``
    Runs the workers in parallel with time and memory limits; progress and summary.
``report``
    The cohort report (HTML, PNG figures, CSV).
``sample`` and ``demo``
    A small sample assignment and the demonstration cohort.

Importing this package is cheap: nbgrader loads only when grading starts.
"""

from __future__ import annotations

import sys

__all__: list[str] = []

# Every grading process imports nbformat, hence jsonschema, which builds 38 RFC 3987
# grammars when ``rfc3987_syntax`` is installed (about 1 s per process here) only to
# check "iri" string formats. nbformat's and nbgrader's schemas never use them, so the
# grading processes (the command line and its workers) skip that module.
sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]
