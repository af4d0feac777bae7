"""Run the axe-core accessibility checker in a Playwright page.

axe-core comes from the npm registry (``tests/js/package.json``); ``make test``
installs it into ``tests/js/node_modules``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

AXE_SCRIPT = Path(__file__).parent / "js" / "node_modules" / "axe-core" / "axe.min.js"
SEVERE = ("serious", "critical")


def run_axe(page: Any, selector: str | None = None) -> list[dict[str, Any]]:
    """Check the page (or the elements matching ``selector``) and return axe's violations.

    Parameters
    ----------
    page : playwright.sync_api.Page
        A loaded page.
    selector : str, optional
        A CSS selector that limits the check to part of the page.

    Returns
    -------
    list of dict
        axe's violations: each has ``id``, ``impact``, ``help`` and ``nodes``.
    """
    if not AXE_SCRIPT.exists():
        raise FileNotFoundError(
            f"{AXE_SCRIPT} is missing: run 'npm ci --prefix tests/js' (make test does it)"
        )
    page.add_script_tag(path=str(AXE_SCRIPT))
    target = "document" if selector is None else repr(selector)
    script = f"async () => (await axe.run({target})).violations"
    return page.evaluate(script)


def severe(violations: list[dict[str, Any]]) -> list[str]:
    """Describe the serious and critical violations, one line each, for an assertion message."""
    return [
        f"{v['impact']}: {v['id']} ({v['help']}) at "
        + ", ".join(str(node["target"]) for node in v["nodes"][:5])
        for v in violations
        if v.get("impact") in SEVERE
    ]
