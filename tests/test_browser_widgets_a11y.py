"""The planning toolkit in a real JupyterLab at 1280x800: keyboard, confirmation, axe-core."""

from __future__ import annotations

import pytest

from tests.jupyter_lab import (
    chromium_page,
    copy_course,
    open_notebook_and_run_all,
    require_chromium,
    running_lab,
    screenshot,
)

CELLS = "() => document.querySelectorAll('.jp-Notebook .jp-Cell').length"
ACTIVE = (
    "() => [...document.querySelectorAll('.jp-Notebook .jp-Cell')]"
    ".findIndex(c => c.classList.contains('jp-mod-active'))"
)
TITLES = {
    "workplan": "CDA work plan",
    "governance": "Governance self-assessment",
    "trust-map": "Trust map",
    "joint-actions": "Joint-action prioritiser",
    "commission": "Cluster Commission composer",
    "stakeholder-grid": "Stakeholder power/interest grid",
}


def _widget(page, title):
    return page.locator(".cda-widget", has=page.locator("h3", has_text=title)).first


def _no_shortcut_fired(page, before_cells, before_active, what):
    assert page.evaluate(CELLS) == before_cells, f"{what}: a notebook shortcut added a cell"
    assert page.evaluate(ACTIVE) == before_active, f"{what}: a shortcut moved to another cell"


@pytest.mark.slow
def test_planning_toolkit_keyboard_confirmation_and_axe(tmp_path):
    require_chromium()
    from tests.axe import run_axe, severe

    root = copy_course(tmp_path / "course")
    with running_lab(root, tmp_path) as server, chromium_page() as page:
        open_notebook_and_run_all(page, server, "planning-toolkit.ipynb")
        page.set_viewport_size({"width": 1280, "height": 800})
        for title in TITLES.values():
            _widget(page, title).wait_for(timeout=120_000)
        page.wait_for_function(
            "() => document.querySelectorAll('.cda-widget[data-lm-suppress-shortcuts]')"
            ".length === 6",
            timeout=60_000,
        )

        # Keyboard: a dropdown, a text box and a slider; no notebook shortcut fires.
        governance = _widget(page, TITLES["governance"])
        select = governance.locator("select").first
        select.focus()
        cells, active = page.evaluate(CELLS), page.evaluate(ACTIVE)
        for key in ("ArrowDown", "a", "b", "m"):
            select.press(key)
        _no_shortcut_fired(page, cells, active, "dropdown")
        slider = governance.locator(".noUi-handle").first
        assert slider.get_attribute("aria-label"), "a slider handle needs a name"
        slider.focus()
        slider.press("ArrowLeft")
        slider.press("a")
        _no_shortcut_fired(page, cells, active, "slider")
        governance.locator("li", has_text="rated").first.wait_for(timeout=30_000)
        text = _widget(page, TITLES["trust-map"]).locator("input[type=text]").first
        text.focus()
        cells, active = page.evaluate(CELLS), page.evaluate(ACTIVE)
        text.press_sequentially("R&D fund $^$ dd")
        text.press("Enter")
        _no_shortcut_fired(page, cells, active, "text box")
        trust = _widget(page, TITLES["trust-map"])
        trust.get_by_role("button", name="Add stakeholder").press("Enter")
        trust.locator(".cda-status", has_text="Added R&D fund $^$ dd").wait_for(timeout=30_000)
        workplan = _widget(page, TITLES["workplan"])
        handles = workplan.locator(".noUi-handle")
        names = [handles.nth(i).get_attribute("aria-label") for i in range(2)]
        assert names[0].endswith(": start") and names[1].endswith(": end"), names

        # Delete asks first; after it, nothing else is selected.
        joint = _widget(page, TITLES["joint-actions"])
        chosen = joint.locator("select").first.input_value().split(":")[0]
        assert chosen.startswith("JA"), "the Proposal menu starts on a proposal"
        joint.get_by_role("button", name="Delete the chosen proposal").press("Enter")
        confirm = joint.get_by_role("button", name="Yes, delete")
        confirm.wait_for(timeout=30_000)
        confirm.press("Enter")
        joint.locator(".cda-status", has_text=f"Deleted {chosen}").wait_for(timeout=30_000)
        assert joint.locator("select").first.input_value().startswith("New proposal")
        assert joint.get_by_role("button", name="Delete the chosen proposal").is_disabled()

        # The Commission chart gets its labels after the first member.
        commission = _widget(page, TITLES["commission"])
        commission.locator("input[type=checkbox]").first.press("Space")
        commission.locator("img[alt*='entrepreneurs and their organisations 1']").wait_for(
            timeout=30_000
        )
        commission.locator(".cda-status", has_text="has a seat").wait_for(timeout=30_000)

        violations = run_axe(page, ".cda-widget")
        problems = severe(violations)
        assert not problems, "\n".join(problems)

        for name, title in TITLES.items():
            widget = _widget(page, title)
            widget.scroll_into_view_if_needed()
            page.evaluate(
                "t => [...document.querySelectorAll('.cda-widget h3')]"
                ".find(h => h.textContent.includes(t)).scrollIntoView()",
                title,
            )
            assert screenshot(page, f"widget-{name}-1280x800").stat().st_size > 10_000
