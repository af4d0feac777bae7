"""Static stand-ins for the course's widgets on the book's pages (a build step).

A widget needs a running kernel, which a static page does not have. ``book/build.py``
puts a hidden first cell into its copy of each notebook that calls :func:`register`:
from then on, displaying a planning widget adds an HTML picture of it (its default
data, with a text alternative) and a note on how to use it in Jupyter to the widget's
display bundle. The book drops the live widget view, so the picture shows instead.
The course's notebooks, and the widgets in JupyterLab, are not changed.
"""

from __future__ import annotations

import base64
import html
from pathlib import Path
from typing import Any

TITLES = {
    "workplan": "work-plan builder",
    "governance": "governance self-assessment",
    "trust_map": "trust map",
    "joint_actions": "joint-action prioritiser",
    "commission": "Cluster Commission composer",
    "stakeholder_grid": "stakeholder power/interest grid",
}


def _saved_as(model: Any) -> str:
    """Where the widget saves inside the work folder, e.g. ``lomari/workplan.json``."""
    from cdatools.widgets.persistence import default_save_path

    try:
        return Path(model.save_path).relative_to(default_save_path("x").parent).as_posix()
    except (TypeError, ValueError):
        return f"{model.kind}.json"


def plan_picture(view: Any) -> str:
    """HTML for a planning widget: a picture with its default data, and how to use it."""
    model = view.model
    name = TITLES.get(model.kind, "planning tool")
    alternative = getattr(model, "text_alternative", None)
    described = alternative() if alternative else " ".join(model.summary())
    alt = f"Picture of the {name} with its default data. {described}".strip()
    encoded = base64.b64encode(model.png()).decode("ascii")
    return (
        '<figure class="cda-widget-picture">'
        f'<img src="data:image/png;base64,{encoded}" alt="{html.escape(alt, quote=True)}">'
        f"<figcaption><strong>The {html.escape(name)}, as a picture.</strong> "
        "On this page the tool shows its default data and cannot be changed. "
        "To use it, download this notebook (the link at the top of the page), open it in "
        "JupyterLab (<code>make lab</code>) and run its cells from the top: the controls "
        "then change the plan, the figure and the summary follow, and your work is saved in "
        f"<code>my-work/{html.escape(_saved_as(model))}</code>. The tool also exports the plan "
        "as a table (CSV), a picture (PNG) and a printable A4 worksheet "
        "(<code>save_pdf</code>).</figcaption></figure>"
    )


def other_widget(widget: Any) -> str:
    """HTML for any other widget: say that it works in Jupyter only."""
    return (
        '<p class="cda-widget-picture"><strong>An interactive control.</strong> '
        "It works when this notebook runs in JupyterLab; on this page it cannot be shown.</p>"
    )


def register() -> None:
    """Add the static stand-ins to IPython's HTML formatter (in the book's kernel only)."""
    import ipywidgets
    from IPython import get_ipython

    from cdatools.widgets.base import PlanView

    formatter = get_ipython().display_formatter.formatters["text/html"]
    formatter.for_type(ipywidgets.Widget, other_widget)
    formatter.for_type(PlanView, plan_picture)
