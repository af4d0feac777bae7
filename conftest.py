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


def pytest_runtest_setup(item):
    """Tell a notebook's kernel which notebook it runs, as JupyterLab does.

    nbval starts a notebook's kernel when its first cell is set up; with
    ``JPY_SESSION_NAME`` naming the notebook, a translated edition (``course/fr/...``,
    whose metadata gives its language) shows cdatools' widgets in that language, as it
    does under JupyterLab. Other tests run without it, so no edition's language leaks
    into them.
    """
    path = str(getattr(item, "path", ""))
    if path.endswith(".ipynb"):
        os.environ["JPY_SESSION_NAME"] = path
    else:
        os.environ.pop("JPY_SESSION_NAME", None)
