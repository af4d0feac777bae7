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
# The tools' names in the French and Spanish books (as cdatools' own catalogs name them).
TITLES_IN = {
    "en": TITLES,
    "fr": {
        "workplan": "plan de travail de l'ADC",
        "governance": "autoévaluation de la gouvernance",
        "trust_map": "carte de la confiance",
        "joint_actions": "priorisation des actions conjointes",
        "commission": "composition de la Commission du cluster",
        "stakeholder_grid": "grille pouvoir/intérêt des parties prenantes",
    },
    "es": {
        "workplan": "plan de trabajo del ADC",
        "governance": "autoevaluación de la gobernanza",
        "trust_map": "mapa de confianza",
        "joint_actions": "priorización de acciones conjuntas",
        "commission": "composición de la Comisión del clúster",
        "stakeholder_grid": "matriz poder/interés de los actores",
    },
}
# What the picture's caption says, in each book's language. {name} is the tool's name,
# {saved} where it saves its work.
WORDS = {
    "en": {
        "alt": "Picture of the {name} with its default data.",
        "tool": "planning tool",
        "caption": (
            "<strong>The {name}, as a picture.</strong> "
            "On this page the tool shows its default data and cannot be changed. "
            "To use it, download this notebook (the link at the top of the page), open it in "
            "JupyterLab (<code>make lab</code>) and run its cells from the top: the controls "
            "then change the plan, the figure and the summary follow, and your work is saved in "
            "<code>my-work/{saved}</code>. The tool also exports the plan "
            "as a table (CSV), a picture (PNG) and a printable A4 worksheet "
            "(<code>save_pdf</code>)."
        ),
        "other": (
            "<strong>An interactive control.</strong> "
            "It works when this notebook runs in JupyterLab; on this page it cannot be shown."
        ),
    },
    "fr": {
        "alt": "Image de l'outil « {name} » avec ses données par défaut.",
        "tool": "outil de planification",
        "caption": (
            "<strong>L'outil « {name} », en image.</strong> "
            "Sur cette page, l'outil montre ses données par défaut et ne peut pas être modifié. "
            "Pour l'utiliser, téléchargez ce notebook (le lien en haut de la page), ouvrez-le "
            "dans JupyterLab (<code>make lab LANG=fr</code>) et exécutez ses cellules depuis le "
            "début : les commandes modifient alors le plan, la figure et le résumé suivent, et "
            "votre travail est enregistré dans <code>my-work/{saved}</code>. L'outil exporte "
            "aussi le plan en tableau (CSV), en image (PNG) et en fiche A4 à imprimer "
            "(<code>save_pdf</code>)."
        ),
        "other": (
            "<strong>Une commande interactive.</strong> "
            "Elle fonctionne quand ce notebook s'exécute dans JupyterLab ; cette page ne peut "
            "pas l'afficher."
        ),
    },
    "es": {
        "alt": "Imagen de la herramienta «{name}» con sus datos por defecto.",
        "tool": "herramienta de planificación",
        "caption": (
            "<strong>La herramienta «{name}», en imagen.</strong> "
            "En esta página la herramienta muestra sus datos por defecto y no se puede "
            "cambiar. Para usarla, descargue este cuaderno (el enlace arriba en la página), "
            "ábralo en JupyterLab (<code>make lab LANG=es</code>) y ejecute sus celdas desde "
            "el principio: los controles cambian entonces el plan, la figura y el resumen se "
            "actualizan, y su trabajo se guarda en <code>my-work/{saved}</code>. La "
            "herramienta exporta también el plan como tabla (CSV), imagen (PNG) y hoja A4 "
            "para imprimir (<code>save_pdf</code>)."
        ),
        "other": (
            "<strong>Un control interactivo.</strong> "
            "Funciona cuando este cuaderno se ejecuta en JupyterLab; esta página no puede "
            "mostrarlo."
        ),
    },
}
#: The language of the book being built (set by :func:`register`).
LANGUAGE = "en"


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
    words = WORDS[LANGUAGE]
    name = TITLES_IN[LANGUAGE].get(model.kind, words["tool"])
    alternative = getattr(model, "text_alternative", None)
    described = alternative() if alternative else " ".join(model.summary())
    alt = f"{words['alt'].format(name=name)} {described}".strip()
    encoded = base64.b64encode(model.png()).decode("ascii")
    caption = words["caption"].format(name=html.escape(name), saved=html.escape(_saved_as(model)))
    return (
        '<figure class="cda-widget-picture">'
        f'<img src="data:image/png;base64,{encoded}" alt="{html.escape(alt, quote=True)}">'
        f"<figcaption>{caption}</figcaption></figure>"
    )


def other_widget(widget: Any) -> str:
    """HTML for any other widget: say that it works in Jupyter only."""
    return f'<p class="cda-widget-picture">{WORDS[LANGUAGE]["other"]}</p>'


def register(language: str = "en") -> None:
    """Add the static stand-ins to IPython's HTML formatter (in the book's kernel only).

    ``language`` is the book's: cdatools then speaks it (its widgets, figures and
    messages), and so do the pictures' captions.
    """
    global LANGUAGE
    import ipywidgets
    from IPython import get_ipython

    from cdatools.i18n import set_language
    from cdatools.widgets.base import PlanView

    LANGUAGE = language if language in WORDS else "en"
    set_language(LANGUAGE)
    formatter = get_ipython().display_formatter.formatters["text/html"]
    formatter.for_type(ipywidgets.Widget, other_widget)
    formatter.for_type(PlanView, plan_picture)
