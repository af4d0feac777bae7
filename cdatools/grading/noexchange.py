"""No exchange: nbgrader's formgrader on one machine, without the "exchange missing" warning.

nbgrader hands assignments out and collects them through an *exchange*, a shared
folder that only makes sense on a multi-user JupyterHub. On one machine (a trainer's
laptop, ``make lab ROLE=trainer``) there is none, and the formgrader shows a warning
on every page that the exchange directory does not exist. These plugins tell the
formgrader that the course works without one: listing finds nothing, and releasing
or collecting stops with a message saying how to hand files out instead. They are
configured for the formgrader only (``jupyter-config/trainer``), never for the
``nbgrader`` command line, so a hub trainer's exchange settings are untouched.

Examples
--------
>>> NoExchangeList().start()
[]
"""

from __future__ import annotations

from typing import Any

from nbgrader.exchange.abc import (
    ExchangeCollect,
    ExchangeError,
    ExchangeFetchAssignment,
    ExchangeFetchFeedback,
    ExchangeList,
    ExchangeReleaseAssignment,
    ExchangeReleaseFeedback,
    ExchangeSubmit,
)

MESSAGE = (
    "This course runs on one machine without nbgrader's exchange, so the formgrader "
    "cannot {action}. Hand the student version in release/<assignment>/ to trainees "
    "yourself (e-mail, a shared drive, a learning platform) and put what they hand in "
    "under submitted/<trainee id>/<assignment>/; feedback is written to feedback/. "
    "See the trainer guide, exercises/README.md. On a JupyterHub, configure an exchange "
    "instead (the guide's JupyterHub section)."
)


class NoExchangeList(ExchangeList):
    """Lists nothing, without failing: one machine has no exchange to list."""

    def start(self) -> list[Any]:
        """Return an empty list (nothing was released through an exchange)."""
        return []


def _refusing(base: type, action: str) -> type:
    def start(self: Any) -> None:
        self.fail(MESSAGE.format(action=action))

    doc = f"Refuses to {action}, with a message saying what to do on one machine."
    return type(
        f"No{base.__name__.removeprefix('Exchange')}", (base,), {"start": start, "__doc__": doc}
    )


NoReleaseAssignment = _refusing(ExchangeReleaseAssignment, "release assignments")
NoCollect = _refusing(ExchangeCollect, "collect submissions")
NoReleaseFeedback = _refusing(ExchangeReleaseFeedback, "release feedback")
NoFetchAssignment = _refusing(ExchangeFetchAssignment, "fetch assignments")
NoFetchFeedback = _refusing(ExchangeFetchFeedback, "fetch feedback")
NoSubmit = _refusing(ExchangeSubmit, "submit assignments")

__all__ = [
    "MESSAGE",
    "ExchangeError",
    "NoCollect",
    "NoExchangeList",
    "NoFetchAssignment",
    "NoFetchFeedback",
    "NoReleaseAssignment",
    "NoReleaseFeedback",
    "NoSubmit",
]
