"""cdatools in French and Spanish: choosing the language, the catalogs, and what trainees see.

The widgets and quizzes are built for real (traitlets models and ipywidgets views, as a
notebook builds them) and their labels, messages and summaries are read back.
"""

from __future__ import annotations

import gettext
import html
import io
import json
import string
import subprocess
import sys
import zipfile
from pathlib import Path

import polib
import pytest

import cdatools
from cdatools import i18n

LOCALE = Path(i18n.LOCALE_DIR)
TRANSLATED = ["fr", "es"]


@pytest.fixture(autouse=True)
def _keep_language():
    """Every test leaves the language as it found it."""
    before = i18n._current
    yield
    i18n._current = before


@pytest.fixture
def work(tmp_path):
    return tmp_path / "my-work"


# ----------------------------------------------------------------- choosing the language
def test_set_language_switches_and_english_is_the_fallback():
    assert cdatools.set_language("fr") == "fr"
    assert cdatools.get_language() == "fr"
    assert i18n.gettext("Undo last change") == "Annuler la dernière modification"
    assert i18n.gettext("A sentence no catalog holds.") == "A sentence no catalog holds."
    assert cdatools.set_language("es-EC") == "es"
    assert i18n.gettext("Undo last change") == "Deshacer el último cambio"
    assert cdatools.set_language("en") == "en"
    assert i18n.gettext("Undo last change") == "Undo last change"


@pytest.mark.parametrize("asked", ["de", "French", "pt_BR", "", "zz"])
def test_a_language_not_offered_is_refused_by_name(asked):
    cdatools.set_language("es")
    with pytest.raises(ValueError) as caught:
        cdatools.set_language(asked)
    message = str(caught.value)
    assert repr(asked) in message
    for code in ("'en'", "'fr'", "'es'"):
        assert code in message
    assert cdatools.get_language() == "es", "a refused language must not change the language"


@pytest.mark.parametrize(
    ("environment", "expected"),
    [
        ({"LANG": "fr_SN.UTF-8"}, "fr"),
        ({"LANG": "es_NI.UTF-8"}, "es"),
        ({"LANG": "de_DE.UTF-8"}, "en"),
        ({"LANG": "C.UTF-8"}, "en"),
        ({}, "en"),
        # LANGUAGE is a list, read first; the first offered language wins.
        ({"LANGUAGE": "wo:fr", "LANG": "es_EC.UTF-8"}, "fr"),
        # As in gettext, the first variable that is set decides, even if it is not offered.
        ({"LC_ALL": "de_DE.UTF-8", "LANG": "fr_FR.UTF-8"}, "en"),
        ({"LC_MESSAGES": "es_ES.UTF-8", "LANG": "fr_FR.UTF-8"}, "es"),
        ({"CDATOOLS_LANGUAGE": "es", "LANG": "fr_FR.UTF-8"}, "es"),
        ({"CDATOOLS_LANGUAGE": "klingon", "LANG": "fr_FR.UTF-8"}, "fr"),
    ],
)
def test_default_language_follows_the_environment(environment, expected):
    assert i18n.language_from_environment(environment) == expected


def test_a_translated_notebook_sets_its_own_language(tmp_path, monkeypatch):
    notebook = tmp_path / "course" / "es" / "glossary.ipynb"
    notebook.parent.mkdir(parents=True)
    notebook.write_text(
        json.dumps({"cells": [], "metadata": {"cdatools": {"language": "es"}}}), encoding="utf-8"
    )
    english = tmp_path / "course" / "glossary.ipynb"
    english.write_text(json.dumps({"cells": [], "metadata": {}}), encoding="utf-8")
    env = {"JPY_SESSION_NAME": str(notebook), "CDATOOLS_LANGUAGE": "fr"}
    assert i18n.language_from_environment(env) == "es"
    env["JPY_SESSION_NAME"] = str(english)
    assert i18n.language_from_environment(env) == "fr"
    i18n._current = None
    monkeypatch.setenv("JPY_SESSION_NAME", str(notebook))
    assert cdatools.get_language() == "es"
    cdatools.set_language("en")  # the trainee's own choice still wins
    assert cdatools.get_language() == "en"


# ----------------------------------------------------------------- the catalogs
def _fields(text: str) -> list[str]:
    return sorted(name for _, name, _, _ in string.Formatter().parse(text) if name is not None)


@pytest.mark.parametrize("language", TRANSLATED)
def test_catalog_is_complete_valid_and_compiled(language):
    po_file = i18n.po_path(language)
    catalog = polib.pofile(str(po_file))
    template = polib.pofile(str(i18n.TEMPLATE))
    assert {e.msgid for e in catalog if not e.obsolete} == {e.msgid for e in template}, (
        f"{po_file} is not in step with {i18n.TEMPLATE.name}: run python -m cdatools.i18n extract"
    )
    problems = []
    for entry in catalog:
        if entry.obsolete:
            continue
        where = f"{po_file}:{entry.linenum}"
        if "fuzzy" in entry.flags:
            problems.append(f"{where}: out of date (fuzzy): {entry.msgid!r}")
        forms = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        if not all(forms):
            problems.append(f"{where}: untranslated: {entry.msgid!r}")
            continue
        for form in forms:
            if _fields(form) != _fields(entry.msgid):
                problems.append(
                    f"{where}: placeholders {_fields(form)} differ from the English "
                    f"{_fields(entry.msgid)} in {entry.msgid!r}"
                )
            form.format(**{name: "x" for name in _fields(form)})  # a bad brace raises here
    assert not problems, "\n".join(problems)
    committed = gettext.GNUTranslations(
        io.BytesIO(i18n.po_path(language).with_suffix(".mo").read_bytes())
    )
    fresh = gettext.GNUTranslations(io.BytesIO(i18n.compiled(language)))
    assert committed._catalog == fresh._catalog, (
        f"{po_file.with_suffix('.mo')} does not match {po_file.name}: "
        "run python -m cdatools.i18n compile"
    )


def test_template_holds_every_marked_string(tmp_path):
    """A new gettext("...") in cdatools must reach the catalogs (run i18n extract)."""
    out = i18n.write_template(tmp_path / "fresh.pot")
    fresh = {e.msgid for e in polib.pofile(str(out))}
    committed = {e.msgid for e in polib.pofile(str(i18n.TEMPLATE))}
    assert fresh - committed == set(), "marked in the source but missing from cdatools.pot"
    assert committed - fresh == set(), "in cdatools.pot but no longer in the source"
    assert len(fresh) > 150


def test_terms_list_covers_the_modules_key_terms():
    import csv

    path = i18n.ROOT / "course" / "i18n" / "terms.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert rows and list(rows[0]) == ["english", "french", "spanish", "note"]
    english = {row["english"] for row in rows}
    for term in [
        "cluster development agent (CDA)",
        "governance system",
        "functional trust",
        "bilateral trust",
        "multilateral trust",
        "joint action",
        "Cluster Commission",
        "quick win",
        "exit strategy",
        "norms",
        "values",
    ]:
        assert term in english, f"{path}: no row for {term!r}"
    for number, row in enumerate(rows, start=2):
        assert row["french"].strip() and row["spanish"].strip(), f"{path}, row {number}: empty"
        assert row["note"].strip(), f"{path}, row {number}: say where the term comes from"


def test_catalog_uses_the_term_list():
    """Every term the list gives and the English catalog uses is translated the list's way."""
    import csv

    with (i18n.ROOT / "course" / "i18n" / "terms.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    checks = {
        "fr": [("Stakeholder", "partie prenante"), ("governance system", "système de gouvernance")],
        "es": [("Stakeholder", "actor"), ("governance system", "sistema de gobernanza")],
    }
    terms = {row["english"]: row for row in rows}
    for language, pairs in checks.items():
        column = "french" if language == "fr" else "spanish"
        catalog = polib.pofile(str(i18n.po_path(language)))
        for english, expected in pairs:
            listed = terms[english.lower() if english.lower() in terms else english][column]
            assert expected in listed.lower()
            for entry in catalog:
                if english.lower() in entry.msgid.lower() and entry.msgstr:
                    stem = expected.split()[0][:5]
                    assert stem in entry.msgstr.lower(), (
                        f"{language}: {entry.msgid!r} -> {entry.msgstr!r} does not use {expected!r}"
                    )


# ----------------------------------------------------------------- what trainees see
def _texts(widget) -> str:
    """Every description, tooltip, placeholder and HTML value in a widget tree (unescaped)."""
    found = []
    stack = [widget]
    while stack:
        item = stack.pop()
        for name in ("description", "tooltip", "placeholder", "value"):
            value = getattr(item, name, None)
            if isinstance(value, str):
                found.append(html.unescape(value))
        options = getattr(item, "_options_labels", None)
        if options:
            found.extend(options)
        stack.extend(getattr(item, "children", ()))
    return "\n".join(found)


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "fr",
            [
                "Annuler la dernière modification",
                "Exporter le tableau (CSV)",
                "Plan de travail de l'ADC (36 mois)",
                "Revenir au tableau 1",
                "Diriger",
            ],
        ),
        (
            "es",
            [
                "Deshacer el último cambio",
                "Exportar la tabla (CSV)",
                "Plan de trabajo del ADC (36 meses)",
                "Volver al cuadro 1",
                "Liderar",
            ],
        ),
    ],
)
def test_work_plan_speaks_the_language(language, expected, work):
    from cdatools.widgets import WorkplanBuilder

    cdatools.set_language(language)
    view = WorkplanBuilder(save_path=work / "workplan.json")
    shown = _texts(view)
    for text in expected:
        assert text in shown, f"{text!r} not shown in {language}"
    assert "Undo last change" not in shown
    # A click on Reset asks first, in the language; Cancel says nothing changed.
    reset = next(w for w in _walk(view) if getattr(w, "icon", "") == "refresh")
    reset.click()
    assert ("Remettre" if language == "fr" else "Devolver") in _plain(view._confirm_text.value)
    view._confirm_no.click()
    assert ("rien n'a été modifié" if language == "fr" else "no se cambió nada") in _plain(
        view._status.value
    )


def _plain(value: str) -> str:
    """The text of an HTML widget's value, with entities such as &#x27; read."""
    return html.unescape(value)


def _walk(widget):
    stack = [widget]
    while stack:
        item = stack.pop()
        yield item
        stack.extend(getattr(item, "children", ()))


def test_governance_widget_in_french_messages_and_summary(work):
    from cdatools.widgets import GovernanceAssessment

    cdatools.set_language("fr")
    view = GovernanceAssessment(save_path=work / "governance.json")
    shown = _texts(view)
    for text in [
        "Autoévaluation de la gouvernance",
        "Groupe de parties prenantes",
        "Petites entreprises",
        "Représentatif",
        "Ajouter le groupe",
    ]:
        assert text in shown
    # A trainee types a name that is only spaces, then a duplicate with other capitals.
    view._new_group.value = "   "
    next(w for w in _walk(view) if getattr(w, "description", "") == "Ajouter le groupe").click()
    assert "Non effectué" in _plain(view._status.value)
    assert "est vide : saisissez au moins une lettre ou un chiffre" in _plain(view._status.value)
    view._new_group.value = "petites  ENTREPRISES"
    next(w for w in _walk(view) if getattr(w, "description", "") == "Ajouter le groupe").click()
    assert "est déjà un groupe sous la forme" in _plain(view._status.value)
    view.model.rate("Petites entreprises", "representative", 1)
    assert "Point faible : « Représentatif », noté 1 par Petites entreprises." in _plain(
        view._summary.value
    )
    assert "Diagramme en radar" in _plain(view._figure.value)  # the figure's text alternative
    (axes,) = view.model.figure().axes
    ticks = [label.get_text() for label in axes.get_xticklabels()]
    assert "Représentatif" in ticks and "Autonome dans la durée" in ticks
    assert axes.get_legend().get_title().get_text() == "Groupe (rayon : note, de 1 faible à 5 fort)"


def test_stakeholder_grid_in_spanish(work):
    from cdatools.widgets import StakeholderGrid

    cdatools.set_language("es")
    view = StakeholderGrid(save_path=work / "grid.json")
    shown = _texts(view)
    for text in ["Matriz poder/interés de los actores", "Guardar actor", "Poder", "Municipio"]:
        assert text in shown
    view._name.value = "Cooperativa de café $ñandú"
    next(w for w in _walk(view) if getattr(w, "description", "") == "Guardar actor").click()
    assert "Se guardó Cooperativa de café $ñandú" in _plain(view._status.value)
    assert "Gestionar de cerca" in _plain(view._summary.value) or "Vigilar" in _plain(
        view._summary.value
    )
    view.model.undo()
    assert "Cooperativa" not in _plain(view._summary.value)
    (axes,) = view.model.figure().axes  # the figure's words, as drawn
    drawn = [t.get_text() for t in axes.texts] + [axes.get_xlabel(), axes.get_ylabel()]
    assert "Gestionar de cerca" in drawn and "Mantener informado" in drawn
    assert "Interés en la iniciativa (puntuación 1-5)" in drawn
    assert not {"Manage closely", "Monitor"} & set(drawn)


def test_unreadable_save_file_notice_in_spanish(work):
    from cdatools.widgets import WorkplanBuilder

    work.mkdir(parents=True)
    (work / "workplan.json").write_text("{roto", encoding="utf-8")
    cdatools.set_language("es")
    view = WorkplanBuilder(save_path=work / "workplan.json")
    assert "No se pudo leer su trabajo guardado" in view.model.notice
    assert "no es JSON válido (línea 1" in view.model.notice
    assert "No se pudo leer" in _plain(view._notice.value)
    assert (work / "workplan.json").exists() is False  # set aside, not overwritten
    assert list(work.glob("workplan.unreadable-*.json"))


@pytest.mark.parametrize("language", ["fr", "es"])
def test_quiz_interface_in_the_language(language):
    from cdatools.quiz import Quiz

    cdatools.set_language(language)
    quiz = Quiz(
        [
            {
                "prompt": "¿2 + 2?",
                "options": ["3", "4"],
                "correct": 1,
                "explanations": ["No.", "Sí."],
            },
            {
                "prompt": "Trust?",
                "options": ["a", "b", "c"],
                "correct": [0, 1],
                "explanations": ["A.", "B.", "C."],
            },
        ]
    )
    single, several = quiz.questions
    words = {
        "fr": [
            "Vérifiez vos acquis (non noté)",
            "Question 1.",
            "Vérifier",
            "Choisissez une réponse",
            "Pas encore.",
            "Exact.",
            "cochez toutes les bonnes",
            "1 réponse cochée ne devrait pas l'être",
            "1 bonne réponse pas encore cochée",
        ],
        "es": [
            "Compruebe lo aprendido (sin calificación)",
            "Pregunta 1.",
            "Comprobar",
            "Elija una opción",
            "Todavía no.",
            "Correcto.",
            "marque todas",
            "1 opción marcada no debería estarlo",
            "1 opción correcta aún sin marcar",
        ],
    }[language]
    assert words[0] in _plain(quiz.children[0].value)
    assert words[1] in _plain(single._prompt.value)
    assert single._button.description == words[2]
    single._button.click()
    assert words[3] in _plain(single._feedback.value)
    single._radio.index = 0
    single._button.click()
    assert words[4] in _plain(single._feedback.value)
    single._radio.index = 1
    single._button.click()
    assert words[5] in _plain(single._feedback.value)
    assert words[6] in _plain(several._prompt.value)
    several._boxes[0].value = True
    several._boxes[2].value = True
    several._button.click()
    assert words[7] in _plain(several._feedback.value)
    assert words[8] in _plain(several._feedback.value)


def test_data_loader_errors_in_french(tmp_path):
    from cdatools.datasets import load_csv

    cdatools.set_language("fr")
    bad = tmp_path / "coops.csv"
    bad.write_text("nothing,here\n1,2\n", encoding="utf-8")
    with pytest.raises(ValueError) as caught:
        load_csv(bad, schema="chontales_cooperatives")
    message = str(caught.value)
    assert str(bad) in message
    assert "ligne 1 (l'en-tête)" in message
    with pytest.raises(ValueError, match=r"aucun jeu de données nommé 'nope' ; jeux connus : "):
        cdatools.load("nope")


def test_analysis_checks_in_spanish():
    import pandas as pd

    from cdatools import _validate

    cdatools.set_language("es")
    frame = pd.DataFrame({"action_id": ["JA01", "JA02", "JA03"], "cost_usd": [10, -5, -7]})
    with pytest.raises(ValueError) as caught:
        _validate.require_numeric(frame, "cost_usd", "joint_actions", id_col="action_id", low=0)
    assert str(caught.value) == (
        "joint_actions: la columna 'cost_usd' debe ser >= 0; la fila 1 (action_id 'JA02') "
        "tiene -5 (y 1 fila más)"
    )


# ----------------------------------------------------------------- installing
def test_a_plain_install_carries_the_compiled_catalogs(tmp_path):
    """``pip install .`` (a wheel) holds the .mo files, so no build step is needed."""
    import shutil

    source = tmp_path / "source"  # built from a copy: setuptools writes build/ beside it
    source.mkdir()
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy2(i18n.ROOT / name, source / name)
    shutil.copytree(
        i18n.ROOT / "cdatools", source / "cdatools", ignore=shutil.ignore_patterns("__pycache__")
    )
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "--quiet",
            "-w",
            str(tmp_path),
            str(source),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    (wheel,) = tmp_path.glob("cdatools-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    for language in TRANSLATED:
        assert f"cdatools/locale/{language}/LC_MESSAGES/cdatools.mo" in names
    target = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(target)
    code = (
        "import cdatools, cdatools.i18n as i; cdatools.set_language('es');"
        "print(i.__file__); print(i.gettext('Undo last change'))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin"},
        cwd=tmp_path,
    ).stdout.splitlines()
    assert out[0].startswith(str(target)), out
    assert out[1] == "Deshacer el último cambio"


def test_docstring_examples_run():
    import doctest

    result = doctest.testmod(i18n, optionflags=doctest.ELLIPSIS, verbose=False)
    assert result.attempted > 5
    assert result.failed == 0


def test_a_trainees_own_file_is_checked_in_spanish(tmp_path):
    """A CDA in Nicaragua saves a sheet with semicolons, then with a word in a number column."""
    from cdatools.datasets import data_dir, load_csv

    cdatools.set_language("es")
    english = (data_dir() / "chontales_cooperatives.csv").read_text(encoding="utf-8")
    header, first, *rest = english.splitlines()
    own = tmp_path / "cooperativas.csv"
    own.write_text(header.replace(",", ";") + "\n" + first.replace(",", ";") + "\n", "utf-8")
    with pytest.raises(ValueError) as caught:
        load_csv(own, schema="chontales_cooperatives")
    assert "fila 1 (el encabezado)" in str(caught.value)
    assert "el archivo parece usar puntos y coma (';') entre columnas" in str(caught.value)

    columns = header.split(",")
    cells = first.split(",")
    cells[columns.index("farmers")] = "muchos"
    own.write_text("\n".join([header, ",".join(cells), *rest]) + "\n", encoding="utf-8")
    with pytest.raises(ValueError) as caught:
        load_csv(own, schema="chontales_cooperatives")
    assert "fila 2 (línea 2 del archivo), columna 'farmers'" in str(caught.value)
    assert "se esperaba un número entero; se encontró 'muchos'" in str(caught.value)


def test_work_plan_checks_speak_french_in_the_widget_summary(work):
    from cdatools.widgets import WorkplanBuilder

    cdatools.set_language("fr")
    view = WorkplanBuilder(save_path=work / "workplan.json")
    view.model.move_task("withdrawal", start=35, duration=2)
    summary = _plain(view._summary.value)
    assert "Problème : La préparation du retrait commence au mois 35" in summary
    assert "commencez au plus tard au mois 31 pour laisser au moins 6 mois" in summary
    assert "Withdrawal" not in summary


def test_joint_action_prioritiser_in_french(work):
    from cdatools.widgets import JointActionPrioritiser

    cdatools.set_language("fr")
    view = JointActionPrioritiser(save_path=work / "joint.json", cluster="Bagru")
    shown = _texts(view)
    for text in [
        "Priorisation des actions conjointes",
        "Budget (USD)",
        "Enregistrer la proposition",
        "Risque de comportement prédateur",
        "Faible",
        "Formation commune",
    ]:
        assert text in shown, text
    # A trainee types a cost with a decimal comma, then a negative budget.
    view._cost.value = "12,5"
    next(
        w for w in _walk(view) if getattr(w, "description", "") == "Enregistrer la proposition"
    ).click()
    assert "le coût doit être un nombre entier de dollars US (comme 12500), pas '12,5'" in _plain(
        view._status.value
    )
    view._budget.value = "-200"
    assert "Budget inchangé :" in _plain(view._budget_message.value)
    assert "le budget ne peut pas être négatif : '-200'" in _plain(view._budget_message.value)
    summary = _plain(view._summary.value)
    assert "Succès rapides (fort impact, faible effort) :" in summary
    assert "Plan dans un budget de 50,000 USD :" in summary


def test_trust_map_and_commission_in_spanish(work):
    from cdatools.widgets import CommissionComposer, TrustMap

    cdatools.set_language("es")
    trust = TrustMap(save_path=work / "trust.json")
    assert "Mapa de confianza" in _texts(trust)
    trust.model.add_tie("Printer A", "Printer B")
    summary = _plain(trust._summary.value)
    assert "Confianza bilateral: 4 vínculo(s) entre 5 actores" in summary
    assert "Intermediarios (unen a actores que de otro modo estarían separados)" in summary
    (axes,) = trust.model.figure().axes
    assert axes.get_xlabel() == "5 actores, 4 vínculos, 2 parte(s) conectada(s)"
    trust._name.value = "  "
    next(w for w in _walk(trust) if getattr(w, "description", "") == "Quitar actor").click()
    assert "escriba el nombre del actor que quiere quitar" in _plain(trust._status.value)

    commission = CommissionComposer(save_path=work / "commission.json")
    shown = _texts(commission)
    assert "Composición de la Comisión del clúster" in shown
    assert "Elija miembros: la Comisión aún no tiene puestos." in _plain(commission._summary.value)
    box = next(
        w for w in _walk(commission) if (getattr(w, "tooltip", "") or "").startswith("Puesto para")
    )
    box.value = True
    assert "tiene un puesto (1 miembros)" in _plain(commission._status.value)


# ----------------------------------------------------------------- the Lomari plan, figures
def test_lomari_plan_summary_in_french_and_spanish(work, capsys):
    """The plan's headings, labels and notes follow the language; what was typed does not."""
    from cdatools.scenario import LomariPlan, carried_forward

    plan = LomariPlan(work / "lomari-plan.json")
    cdatools.set_language("fr")
    plan.record(1, counterpart="Centre de formation (LOM-S09) — équipe $ «jeune»")
    assert "Leçon 1 de votre plan pour Lomari (counterpart) enregistrée dans" in (
        capsys.readouterr().out
    )
    shown = plan.show(2).text
    assert shown.startswith("Votre plan pour Lomari jusqu'ici (leçons 1 à 2)")
    assert "Lomari est le cluster d'entraînement inventé pour le cours." in shown
    assert "Leçon 1 : vos décisions" in shown
    assert "- homologue: Centre de formation (LOM-S09) — équipe $ «jeune»" in shown
    assert "- plan de travail (exemple du cours):" in shown  # lesson 1 lacks the work plan
    assert "Leçon 2 : pas encore enregistrée." in shown
    assert "Votre plan pour Lomari jusqu'ici" in html.unescape(plan.show(1)._repr_html_())
    cdatools.set_language("es")
    carried = carried_forward(plan, 2).text
    assert carried.startswith("De su plan para Lomari: en qué se apoya la lección 2")
    assert "- su contraparte, que tomará el relevo: Centre de formation (LOM-S09)" in carried
    assert "(ejemplo del curso)" in carried  # the work plan's tasks come from the example


@pytest.mark.parametrize(
    ("language", "title", "legend"),
    [("fr", "Délais de paiement", "Groupe"), ("es", "Demoras en el pago", "Grupo")],
)
def test_figures_titles_and_labels_follow_the_language(language, title, legend):
    """Titles the lessons pass and cdatools' own labels are drawn in the language."""
    import matplotlib.pyplot as plt

    from cdatools import governance, plotting

    cdatools.set_language(language)
    ax = plotting.style_axes(plotting.new_axes(), "Payment delays", "Month", None)
    assert (ax.get_title(), ax.get_xlabel()) == (title, "Mois" if language == "fr" else "Mes")
    survey = cdatools.datasets.load("governance_survey")
    card = governance.scorecard(survey, wave="baseline", cluster="Chontales")
    radar = governance.plot_radar(card.head(2))
    assert radar.get_legend().get_title().get_text() == legend
    assert (
        radar.get_title()
        == {
            "fr": "Comment chaque groupe évalue le système de gouvernance",
            "es": "Cómo califica cada grupo el sistema de gobernanza",
        }[language]
    )
    heatmap = governance.plot_heatmap(card, title="Chontales at baseline (synthetic survey)")
    ticks = [label.get_text() for label in heatmap.get_xticklabels()]
    expected = {"fr": "Représentatif", "es": "Representativo"}[language]
    assert ticks[0] == expected and "Representative" not in ticks, ticks
    assert "(synthetic survey)" not in heatmap.get_title()
    plt.close("all")


def test_every_figure_title_a_lesson_passes_is_in_the_catalogs():
    """A title typed in a lesson's code cell reaches the catalogs (run i18n extract)."""
    strings = i18n.course_strings()
    assert "Payment delays" in strings and "First year" in strings
    for language in TRANSLATED:
        catalog = {e.msgid: e for e in polib.pofile(str(i18n.po_path(language)))}
        for text, notebooks in strings.items():
            assert text in catalog, f"{text!r} ({notebooks}) is not in the {language} catalog"
            assert catalog[text].msgstr and "fuzzy" not in catalog[text].flags, (
                f"{language}: {text!r} from {notebooks} is not translated"
            )


@pytest.mark.parametrize(
    ("language", "marker", "month"),
    [("fr", "(inventé)", "mois 1"), ("es", "(inventado)", "mes 1")],
)
def test_lomari_story_and_conflicts_are_told_in_the_language(language, marker, month):
    """The scenario's narrative is translated; ids, names and numbers stay as written."""
    from cdatools import scenario

    english = scenario.conflict("C1")
    cdatools.set_language(language)
    events = scenario.story(0)
    assert list(events["months"]) == [month]
    assert all(text.endswith(marker) for text in scenario.story(1)["event"])
    told = scenario.conflict("C1")
    assert told["issue"] != english["issue"] and told["interest_b"] != english["interest_b"]
    for same in ("conflict_id", "party_a", "party_a_name", "lesson", "month"):
        assert told[same] == english[same]
    people = scenario.stakeholders()
    assert people.loc[0, "stakeholder_id"] == "LOM-S01" and "Lomari" in people.loc[0, "wants"]
    assert scenario.find_stakeholder("Training centre")["stakeholder_id"] == "LOM-S09"


def test_every_scenario_text_is_in_the_catalogs():
    """A new or edited event, position or want reaches the catalogs (run i18n extract)."""
    strings = i18n.data_strings()
    assert len(strings) > 60
    for language in TRANSLATED:
        catalog = {e.msgid: e for e in polib.pofile(str(i18n.po_path(language)))}
        for text, places in strings.items():
            entry = catalog.get(text)
            assert entry is not None and entry.msgstr and "fuzzy" not in entry.flags, (
                f"{language}: {places[0]} is not translated: {text!r}"
            )
            if text.endswith("(invented)"):
                marker = "(inventé)" if language == "fr" else "(inventado)"
                assert entry.msgstr.endswith(marker), f"{language}: {places[0]} lost its marker"
