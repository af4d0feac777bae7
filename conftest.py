"""Session set-up shared by unit tests and notebook runs (nbval)."""

from __future__ import annotations

import os
import tempfile


def pytest_configure(config):
    """Keep test runs away from a trainee's saved work.

    Planning widgets save to ``$CDATOOLS_WORK_DIR`` (default ``my-work/`` next to the
    notebook); notebook kernels started by nbval inherit this variable.
    """
    if "CDATOOLS_WORK_DIR" not in os.environ:
        os.environ["CDATOOLS_WORK_DIR"] = tempfile.mkdtemp(prefix="cdatools-test-work-")
    # cdatools speaks the computer's language by default (cdatools.i18n); the English
    # tests must not change with a tester's locale (fr_SN.UTF-8, es_EC.UTF-8...).
    os.environ.setdefault("CDATOOLS_LANGUAGE", "en")
