"""A trainee drives a planning widget in a real JupyterLab, with the keyboard."""

from __future__ import annotations

import json

import pytest

from tests.jupyter_lab import (
    chromium_page,
    copy_course,
    open_notebook_and_run_all,
    require_chromium,
    running_lab,
    screenshot,
)


@pytest.mark.slow
def test_workplan_builder_updates_and_saves_in_the_browser(tmp_path):
    require_chromium()
    root = copy_course(tmp_path / "course")
    save_file = root / "my-work" / "lomari" / "workplan.json"
    with running_lab(root, tmp_path) as server, chromium_page() as page:
        open_notebook_and_run_all(page, server, "01-role-of-the-cda.ipynb")
        builder = page.locator(".widget-vbox", has=page.locator("h3", has_text="CDA work plan"))
        builder.first.wait_for(timeout=120_000)
        figure = builder.first.locator("img").first
        figure.wait_for(timeout=30_000)
        before_src = figure.get_attribute("src")
        summary = builder.first.locator(".widget-html", has_text="sequencing advice")
        assert summary.count() == 1, "the plan from Table 1 should pass every check"
        assert not save_file.exists(), "showing the widget must not write anything"

        handle = builder.first.locator(
            ".noUi-handle[aria-label='Make preparations for CDA withdrawal (months): start']"
        )
        handle.focus()
        for _ in range(4):
            handle.press("ArrowRight")
        problem = builder.first.locator("li", has_text="Withdrawal preparation starts in month 34")
        problem.wait_for(timeout=30_000)
        assert figure.get_attribute("src") != before_src, "the chart should be redrawn"
        saved = json.loads(save_file.read_text(encoding="utf-8"))
        withdrawal = next(t for t in saved["tasks"] if t["task_id"] == "withdrawal")
        assert (withdrawal["start_month"], withdrawal["end_month"]) == (34, 36)
        problem.scroll_into_view_if_needed()
        assert screenshot(page, "workplan-builder").stat().st_size > 10_000
