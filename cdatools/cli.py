"""The ``cdatools`` command line.

Subcommands for trainers (grading, reports, a demo cohort) are added here as they
are built; ``cdatools --help`` lists what is available in this version.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from cdatools import __version__


def build_parser() -> argparse.ArgumentParser:
    """Build the argument parser for the ``cdatools`` command.

    Returns
    -------
    argparse.ArgumentParser
        The parser with every available subcommand registered.

    Examples
    --------
    >>> build_parser().prog
    'cdatools'
    """
    parser = argparse.ArgumentParser(
        prog="cdatools",
        description=(
            "Tools for the course 'Cluster Governance, Trust and the Role of the CDA': "
            "helpers for trainees and Cluster Development Agents, and grading tools "
            "for trainers."
        ),
        epilog="Open the course with 'make lab' from the repository folder.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_subparsers(dest="command", title="commands", metavar="COMMAND")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``cdatools`` command.

    Parameters
    ----------
    argv : sequence of str, optional
        Arguments without the program name; defaults to ``sys.argv[1:]``.

    Returns
    -------
    int
        The process exit code: 0 on success.

    Examples
    --------
    >>> main([])  # doctest: +SKIP
    0
    """
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 0
    return 0
