"""A trainee opens the start page in a real JupyterLab and runs it."""

from __future__ import annotations

import pytest

import cdatools
from tests.jupyter_lab import (
    chromium_page,
    copy_course,
    open_notebook_and_run_all,
    require_chromium,
    running_lab,
    screenshot,
)


@pytest.mark.slow
def test_start_page_runs_in_jupyterlab(tmp_path):
    require_chromium()
    root = copy_course(tmp_path / "course")
    with running_lab(root, tmp_path) as server, chromium_page() as page:
        open_notebook_and_run_all(page, server, "00-start-here.ipynb")
        result = page.locator(".jp-OutputArea-output", has_text=f"'{cdatools.__version__}'")
        result.first.wait_for(timeout=30_000)
        assert page.locator(".jp-OutputArea-output[data-mime-type*='error']").count() == 0
        assert screenshot(page, "start-page").stat().st_size > 10_000
