"""Lomari, the course's invented practice cluster, and the trainee's plan for it.

**Lomari is invented.** It is not one of the course's four cases and not a real place: a
small river town with about 120 leather firms, made up so that a trainee can practise the
CDA's work with people on one cluster, lesson after lesson, as its CDA for three years.
Its stakeholders, conflicts, story, proposed joint actions and trust ties are datasets of
the course's data package (``scenario_*``, hand-written in ``datasets/sources/``).

The trainee's decisions (a work plan, a counterpart, norms, a mediation's outcome, a
Commission...) are saved lesson by lesson in one file, ``my-work/lomari-plan.json``, by
:class:`LomariPlan`, so each lesson can show and build on what the earlier ones decided.
When a lesson's part is missing, the course's example decisions
(``datasets/sources/scenario_example_plan.json``) fill the gap, and the summary says so.
Lomari's planning widgets save apart from the trainee's own cluster's, in
``my-work/lomari/`` (:func:`save_path`).

Examples
--------
>>> from cdatools import scenario
>>> scenario.CLUSTER
'Lomari'
>>> len(scenario.stakeholders())
13
>>> scenario.conflict("C1")["party_b_name"]
'Young shoe-workshop owners'
"""

from __future__ import annotations

import html
import json
import math
import re
import warnings
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cdatools.i18n import N_, get_language, gettext
from cdatools.widgets.persistence import (
    UnreadableStateError,
    default_save_path,
    set_aside,
    write_state,
)

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "CLUSTER",
    "LESSONS",
    "WIDGET_KINDS",
    "LomariPlan",
    "PlanError",
    "PlanSummary",
    "carried_forward",
    "conflict",
    "conflicts",
    "example_decisions",
    "find_stakeholder",
    "joint_actions",
    "save_path",
    "stakeholders",
    "story",
    "summarise_widget",
    "trust_summary",
    "trust_ties",
]

#: The invented cluster's name, as in the ``cluster`` column of its datasets.
CLUSTER = "Lomari"
#: The lessons that add a part to the trainee's Lomari plan.
LESSONS: tuple[int, ...] = (1, 2, 3, 4)
#: Lessons that tell a part of the story (0 is the course's start page).
STORY_LESSONS: tuple[int, ...] = (0, 1, 2, 3, 4)
#: Planning widgets whose state :meth:`LomariPlan.record_widget` summarises: kind -> view.
WIDGET_KINDS: dict[str, str] = {
    "workplan": "WorkplanBuilder",
    "governance": "GovernanceAssessment",
    "trust_map": "TrustMap",
    "joint_actions": "JointActionPrioritiser",
    "commission": "CommissionComposer",
}
#: Work-plan activities (ids of the module's Table 1) about governance and handing over.
GOVERNANCE_TASKS: tuple[str, ...] = (
    "capacity_building",
    "transfer",
    "network_strengthening",
    "withdrawal",
)
PLAN_KIND = "lomari_plan"
PLAN_VERSION = 1
#: The longest text one decision may hold (a pasted code of conduct fits).
MAX_TEXT = 20_000
EXAMPLE_FILE = "scenario_example_plan.json"
_SAFE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}")


#: The scenario's narrative text, shown in the trainee's language: dataset -> columns. Ids,
#: names and titles stay as written (trainees type them, and the plan records them).
NARRATIVE: dict[str, tuple[str, ...]] = {
    "scenario_story": ("event",),
    "scenario_conflicts": (
        "issue",
        "position_a",
        "interest_a",
        "position_b",
        "interest_b",
        "moment",
    ),
    "scenario_stakeholders": ("wants", "fears"),
    "scenario_trust_ties": ("note",),
}


def _load_told(name: str) -> pd.DataFrame:
    """A scenario dataset with its narrative columns in the current language."""
    from cdatools.datasets import load

    table = load(name)
    if get_language() != "en":
        for column in NARRATIVE.get(name, ()):
            table[column] = [
                gettext(value) if isinstance(value, str) and value else value
                for value in table[column]
            ]
    return table


class PlanError(ValueError):
    """A decision, a lesson number or a plan file that the Lomari plan cannot use."""


# ------------------------------------------------------------------ the scenario's data


def stakeholders() -> pd.DataFrame:
    """Lomari's thirteen stakeholders (invented), checked against their schema.

    Returns
    -------
    pandas.DataFrame
        The ``scenario_stakeholders`` dataset: ``stakeholder_id`` (``LOM-S01``...),
        ``cluster``, ``name``, ``short_name``, ``commission_category``, ``org_type``,
        ``power`` and ``interest`` (1-5), ``stance``, ``wants``, ``fears``.

    Examples
    --------
    >>> people = stakeholders()
    >>> people.loc[0, "stakeholder_id"], str(people.loc[0, "cluster"])
    ('LOM-S01', 'Lomari')
    >>> from cdatools.commission import candidates_for
    >>> len(candidates_for(people, CLUSTER))
    13
    """
    return _load_told("scenario_stakeholders")


def conflicts() -> pd.DataFrame:
    """Lomari's five conflicts (invented), with the parties' names joined in.

    Returns
    -------
    pandas.DataFrame
        The ``scenario_conflicts`` dataset plus ``party_a_name``, ``party_b_name`` and
        ``also_involved_name``; ``also_involved`` and its name are empty text when no
        third stakeholder is drawn in.

    Examples
    --------
    >>> table = conflicts()
    >>> list(table["conflict_id"])
    ['C1', 'C2', 'C3', 'C4', 'C5']
    >>> table.loc[1, "party_a_name"]
    'Lomari municipality (environment office)'
    """
    table = _load_told("scenario_conflicts")
    table["also_involved"] = table["also_involved"].fillna("")
    people = stakeholders()
    names = dict(zip(people["stakeholder_id"], people["name"], strict=True))
    for column in ("party_a", "party_b", "also_involved"):
        table[f"{column}_name"] = [names.get(value, "") for value in table[column]]
    return table


def conflict(conflict_id: str) -> dict[str, Any]:
    """One of Lomari's conflicts as a dict, for an activity's situation.

    Parameters
    ----------
    conflict_id : str
        ``"C1"`` to ``"C5"`` (case and spaces do not matter).

    Returns
    -------
    dict
        The row of :func:`conflicts`: the parties (ids and names), the issue, each side's
        position and interest, and the lesson, month and moment where it surfaces.

    Raises
    ------
    PlanError
        If there is no such conflict; the message lists the ids there are.

    Examples
    --------
    >>> c2 = conflict(" c2 ")
    >>> c2["issue"]
    'Effluent from the tanneries in the river'
    >>> conflict("C9")
    Traceback (most recent call last):
    ...
    cdatools.scenario.PlanError: Lomari has no conflict 'C9'; expected one of C1, C2, C3, C4, C5
    """
    table = conflicts()
    wanted = str(conflict_id).strip().upper()
    rows = table[table["conflict_id"] == wanted]
    if rows.empty:
        known = ", ".join(table["conflict_id"])
        raise PlanError(f"Lomari has no conflict {conflict_id!r}; expected one of {known}")
    record = rows.iloc[0].to_dict()
    return {
        key: (None if value == "" or value is None else _plain(value))
        for key, value in record.items()
    }


def story(lesson: int) -> pd.DataFrame:
    """The invented events of Lomari's story that one lesson tells.

    Parameters
    ----------
    lesson : int
        0 (the start page) to 4.

    Returns
    -------
    pandas.DataFrame
        ``event_id``, ``months`` (``"month 1"`` or ``"months 1-3"`` of the initiative) and
        ``event`` (each ends with "(invented)"), in story order.

    Raises
    ------
    PlanError
        If ``lesson`` is not 0-4.

    Examples
    --------
    >>> story(0)["months"].tolist()
    ['month 1']
    >>> story(0)["event"].iloc[0].endswith("(invented)")
    True
    """
    _check_lesson(lesson, STORY_LESSONS, "a lesson of Lomari's story")
    events = _load_told("scenario_story")
    events = events[events["lesson"] == lesson].reset_index(drop=True)
    months = [
        gettext("month {month}").format(month=a)
        if a == b
        else gettext("months {first}-{last}").format(first=a, last=b)
        for a, b in zip(events["month_from"], events["month_to"], strict=True)
    ]
    return events.assign(months=months)[["event_id", "months", "event"]]


def joint_actions() -> pd.DataFrame:
    """The joint actions proposed in Lomari (invented), in the columns of ``joint_actions``.

    Examples
    --------
    >>> from cdatools.joint_actions import classify_actions
    >>> quadrants = classify_actions(joint_actions())["quadrant"]
    >>> int((quadrants == "quick_win").sum()) > 1
    True
    """
    from cdatools.datasets import load

    return load("scenario_joint_actions")


def trust_ties(month: int = 6) -> pd.DataFrame:
    """Who trusts whom in Lomari at a month of the story (invented; month 6 is recorded).

    Parameters
    ----------
    month : int
        Month of the initiative (the data hold month 6, where lesson 3's map starts).

    Returns
    -------
    pandas.DataFrame
        ``first``, ``second`` (stakeholder ids), ``first_name``, ``second_name`` (short
        names, as on the trust map) and ``note``.

    Raises
    ------
    PlanError
        If the data hold no ties for ``month``.

    Examples
    --------
    >>> ties = trust_ties()
    >>> ties[ties["first"] == "LOM-S05"]["second_name"].tolist()  # bag makers: traders only
    ['Traders']
    """
    ties = _load_told("scenario_trust_ties")
    chosen = ties[ties["month"] == month].reset_index(drop=True)
    if chosen.empty:
        known = ", ".join(str(m) for m in sorted(ties["month"].unique()))
        raise PlanError(f"Lomari's trust ties are recorded for month {known}, not {month!r}")
    short = dict(zip(stakeholders()["stakeholder_id"], stakeholders()["short_name"], strict=True))
    return chosen.assign(
        first_name=chosen["first"].map(short), second_name=chosen["second"].map(short)
    )[["first", "second", "first_name", "second_name", "note"]]


def find_stakeholder(text: str) -> dict[str, Any]:
    """Find a Lomari stakeholder by id, name or short name.

    Parameters
    ----------
    text : str
        ``"LOM-S09"``, ``"Technical training centre"`` or ``"Training centre"``; case and
        extra spaces do not matter.

    Returns
    -------
    dict
        The stakeholder's row of :func:`stakeholders`.

    Raises
    ------
    PlanError
        If no stakeholder matches; the message lists the short names.

    Examples
    --------
    >>> find_stakeholder("training  CENTRE")["stakeholder_id"]
    'LOM-S09'
    """
    people = stakeholders()
    wanted = _key(text)
    for row in people.to_dict("records"):
        if wanted in {_key(row["stakeholder_id"]), _key(row["name"]), _key(row["short_name"])}:
            return {key: _plain(value) for key, value in row.items()}
    known = "; ".join(
        f"{i} ({s})" for i, s in zip(people["stakeholder_id"], people["short_name"], strict=True)
    )
    raise PlanError(f"no Lomari stakeholder is called {text!r}; the stakeholders are {known}")


def save_path(kind: str) -> Path:
    """Where a planning widget saves its Lomari plan, apart from your own cluster's.

    Parameters
    ----------
    kind : str
        A short file name, usually a widget kind: ``"workplan"``, ``"governance"``,
        ``"trust_map"``, ``"joint_actions"`` or ``"commission"``.

    Returns
    -------
    pathlib.Path
        ``<work folder>/lomari/<kind>.json``; the work folder is ``$CDATOOLS_WORK_DIR``
        when set, else ``my-work`` beside the notebook.

    Raises
    ------
    PlanError
        If ``kind`` is not a plain name (letters, digits, ``_`` or ``-``).

    Examples
    --------
    >>> save_path("workplan").parts[-2:]
    ('lomari', 'workplan.json')
    """
    if not isinstance(kind, str) or not _SAFE_NAME.fullmatch(kind):
        raise PlanError(
            f"a Lomari save file needs a plain name such as 'workplan' or 'trust_map' "
            f"(letters, digits, _ or -), not {kind!r}"
        )
    return default_save_path(kind).parent / "lomari" / f"{kind}.json"


# ------------------------------------------------------------------ widget summaries


def summarise_widget(widget: Any) -> dict[str, Any]:
    """A short, JSON-ready summary of a planning widget's plan, to carry to the next lesson.

    Parameters
    ----------
    widget : PlanView or PlanModel
        A ``WorkplanBuilder``, ``GovernanceAssessment``, ``TrustMap``,
        ``JointActionPrioritiser`` or ``CommissionComposer`` (or its ``.model``).

    Returns
    -------
    dict
        ``widget`` (the kind), ``summary`` (the widget's own sentences) and the facts the
        next lesson uses: the work plan's activities and governance tasks; the governance
        assessment's weakest characteristics (the lowest mean rating across groups; none
        when all are rated alike); the trust map's brokers and cut-off
        stakeholders; the chosen joint actions and quick wins; the Commission's members
        and missing categories.

    Raises
    ------
    PlanError
        If ``widget`` is not one of the five planning widgets.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from cdatools.widgets.trust_map import TrustMapModel
    >>> model = TrustMapModel(pathlib.Path(tempfile.mkdtemp()) / "t.json", cluster="Lomari")
    >>> summarise_widget(model)["cut_off"]
    ['Bag makers', 'Traders']
    """
    model = getattr(widget, "model", widget)
    kind = getattr(model, "kind", None)
    if kind not in WIDGET_KINDS or not hasattr(model, "summary"):
        names = ", ".join(WIDGET_KINDS.values())
        raise PlanError(
            f"record_widget takes one of the planning widgets ({names}), "
            f"not {type(widget).__name__!r}"
        )
    facts: dict[str, Any] = {"widget": kind, "summary": [str(line) for line in model.summary()]}
    facts.update(_WIDGET_FACTS[kind](model))
    return json.loads(json.dumps(facts, allow_nan=False))


def _workplan_facts(model: Any) -> dict[str, Any]:
    def line(task: Mapping[str, Any]) -> str:
        return (
            f"{task['activity']} (months {task['start_month']}-{task['end_month']}, "
            f"{task['cda_role']})"
        )

    return {
        "months": int(model.months),
        "activities": [line(task) for task in model.tasks],
        "governance_tasks": [line(t) for t in model.tasks if t["task_id"] in GOVERNANCE_TASKS],
    }


def _governance_facts(model: Any) -> dict[str, Any]:
    from cdatools.governance import CHARACTERISTIC_LABELS, CHARACTERISTICS

    means = {}
    for characteristic in CHARACTERISTICS:
        scores = [s[characteristic] for s in model.ratings.values() if characteristic in s]
        if scores:
            means[characteristic] = sum(scores) / len(scores)
    lowest = min(means.values()) if means else 0.0
    near = [c for c, m in means.items() if m <= lowest + 1e-9]
    if len(set(means.values())) <= 1:  # every characteristic rated alike: none stands out
        near = []
    weakest = [CHARACTERISTIC_LABELS[c] for c in near]
    return {
        "groups": list(model.ratings),
        "weakest": weakest,
        "mean_ratings": {CHARACTERISTIC_LABELS[c]: round(m, 2) for c, m in means.items()},
    }


def _trust_map_facts(model: Any) -> dict[str, Any]:
    import networkx as nx

    graph = model.graph()
    brokers: list[str] = []
    if graph.number_of_edges():
        top = model.brokers()
        brokers = [str(n) for n in top.loc[top["betweenness"] > 0, "node"]]
    parts = sorted(nx.connected_components(graph), key=lambda part: (-len(part), sorted(part)))
    main = parts[0] if parts else set()
    return {
        "brokers": brokers,
        "isolated": [n for n in model.stakeholders if graph.degree(n) == 0],
        "cut_off": [n for n in model.stakeholders if n not in main],
        "ties": len(model.ties),
    }


def _joint_action_facts(model: Any) -> dict[str, Any]:
    if not model.actions:
        return {"chosen": [], "quick_wins": [], "budget": float(model.budget), "spent": 0.0}
    ranked = model.ranking()
    chosen = model.portfolio()
    return {
        "chosen": [str(title) for title in chosen.plan["title"]],
        "quick_wins": [str(t) for t in ranked.loc[ranked["quadrant"] == "quick_win", "title"]],
        "budget": float(model.budget),
        "spent": float(chosen.spent),
    }


def _commission_facts(model: Any) -> dict[str, Any]:
    from cdatools.commission import CATEGORY_LABELS

    members = model.member_frame()
    gaps = list(model.check().gaps) if model.members else []
    return {
        "members": [str(name) for name in members["name"]],
        "member_ids": [str(i) for i in members["stakeholder_id"]],
        "gaps": [CATEGORY_LABELS.get(g, g) for g in gaps],
    }


_WIDGET_FACTS = {
    "workplan": _workplan_facts,
    "governance": _governance_facts,
    "trust_map": _trust_map_facts,
    "joint_actions": _joint_action_facts,
    "commission": _commission_facts,
}
#: The facts shown in a plan summary for each widget, with their labels.
_SHOWN_FACTS = {
    "workplan": (("governance_tasks", N_("governance and handover tasks")),),
    "governance": (("weakest", N_("weakest characteristics")), ("groups", N_("groups asked"))),
    "trust_map": (("brokers", N_("brokers")), ("cut_off", N_("cut off from the main group"))),
    "joint_actions": (("chosen", N_("chosen joint actions")), ("quick_wins", N_("quick wins"))),
    "commission": (("members", N_("members")), ("gaps", N_("categories missing"))),
}
INVENTED = N_("Lomari is the course's invented practice cluster.")
COURSE_EXAMPLE = N_("(course example)")
#: How the summary names the decisions the lessons record (other names are shown as given,
#: with "_" as a space).
DECISION_LABELS: dict[str, str] = {
    "workplan": N_("work plan"),
    "counterpart": N_("counterpart"),
    "handover": N_("handover"),
    "governance": N_("governance self-assessment"),
    "norms": N_("norms"),
    "values_step": N_("values step"),
    "trust_map": N_("trust map"),
    "agenda": N_("agenda"),
    "mediation_outcome": N_("mediation outcome"),
    "joint_actions": N_("joint actions"),
    "commission": N_("Cluster Commission"),
    "business_case": N_("business case"),
    "terms_of_reference": N_("terms of reference"),
    "exit_step": N_("exit step"),
}


# ------------------------------------------------------------------ the trainee's plan


def example_decisions() -> dict[int, dict[str, Any]]:
    """The course's example decisions for Lomari, lesson by lesson.

    They fill the gap when a trainee has not recorded a lesson's part of the plan, so a
    later lesson still works; summaries say when they are used.

    Returns
    -------
    dict
        ``{lesson: {decision name: value}}`` for lessons 1-4.

    Examples
    --------
    >>> sorted(example_decisions())
    [1, 2, 3, 4]
    """
    path = _example_path()
    try:
        return _parse_plan(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError) as error:
        raise PlanError(
            f"the course's example Lomari plan {path} cannot be read ({error}); it should be "
            "in the course repository's datasets/sources/"
        ) from error


def _example_path() -> Path:
    from cdatools.datasets import data_dir

    try:
        candidate = data_dir() / "sources" / EXAMPLE_FILE
    except FileNotFoundError:
        candidate = None
    if candidate is not None and candidate.is_file():
        return candidate
    return Path(__file__).resolve().parents[1] / "datasets" / "sources" / EXAMPLE_FILE


class LomariPlan:
    """Your decisions as Lomari's CDA, saved lesson by lesson in one JSON file.

    Each lesson records its own part (:meth:`record`, :meth:`record_widget`); recording
    again replaces those decisions and keeps every other lesson's part. The file is
    written atomically and read again before each change, so edits made in another
    notebook, or by hand, are kept. A file that cannot be read is never overwritten: it
    is renamed aside, :attr:`notice` says so, and the plan starts empty.

    Parameters
    ----------
    path : str or pathlib.Path, optional
        The plan file (default ``my-work/lomari-plan.json``, under ``$CDATOOLS_WORK_DIR``
        when that is set).

    Attributes
    ----------
    path : pathlib.Path
        The plan file.
    notice : str
        A message for you (an unreadable file set aside), or ``""``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> plan = LomariPlan(pathlib.Path(tempfile.mkdtemp()) / "lomari-plan.json")
    >>> plan.record(1, counterpart="Training centre", handover=["Chair the monthly meeting"])
    Saved lesson 1 of your Lomari plan (counterpart, handover) in ...lomari-plan.json.
    >>> plan.get(1, "counterpart")
    'Training centre'
    >>> print(plan.show(upto=1))  # doctest: +ELLIPSIS
    Your Lomari plan so far (lesson 1)
    ...
    - counterpart: Training centre
    ...
    """

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = Path(path) if path is not None else default_save_path("lomari-plan")
        self.notice = ""
        self._load()

    # ---------------------------------------------------------------- reading
    def parts(self) -> dict[int, dict[str, Any]]:
        """The lessons' parts as saved (read from the file now), without example decisions."""
        return self._load()

    def get(self, lesson: int, name: str, default: Any = None, *, example: bool = True) -> Any:
        """One decision: yours when saved, else the course's example, else ``default``.

        Parameters
        ----------
        lesson : int
            1-4.
        name : str
            The decision's name, such as ``"counterpart"`` or ``"trust_map"``.
        default : object, optional
            Returned when neither you nor the course's example has this decision.
        example : bool
            Whether to fall back on the course's example decision (default True).

        Returns
        -------
        object
            Text, a list of text, a number, or a widget summary (dict).
        """
        _check_lesson(lesson, LESSONS, "a lesson of the Lomari plan")
        saved = self._load().get(lesson, {})
        if name in saved:
            return saved[name]
        if example:
            return example_decisions().get(lesson, {}).get(name, default)
        return default

    def is_recorded(self, lesson: int, name: str | None = None) -> bool:
        """Whether you saved this lesson's part (or one decision of it)."""
        _check_lesson(lesson, LESSONS, "a lesson of the Lomari plan")
        part = self._load().get(lesson, {})
        return bool(part) if name is None else name in part

    # ---------------------------------------------------------------- writing
    def record(self, lesson: int, **decisions: Any) -> None:
        """Save decisions as this lesson's part of the plan.

        Parameters
        ----------
        lesson : int
            1-4: the lesson whose decisions these are.
        **decisions
            ``name=value`` pairs; a value is text, a list of text, or a number. Text is
            kept as typed (``$``, accents, several lines), without spaces at either end.

        Raises
        ------
        PlanError
            If the lesson is not 1-4, no decision is given, or a value is empty or not
            text, a list of text or a number; nothing is saved then.
        """
        _check_lesson(lesson, LESSONS, "a lesson of the Lomari plan")
        if not decisions:
            raise PlanError(
                f"plan.record({lesson}) needs at least one decision, for example "
                f"plan.record({lesson}, counterpart='Training centre')"
            )
        cleaned = {name: _clean(lesson, name, value) for name, value in decisions.items()}
        self._save(lesson, cleaned)

    def record_widget(self, lesson: int, widget: Any, name: str | None = None) -> dict[str, Any]:
        """Save a short summary of a planning widget's plan as part of this lesson's decisions.

        Parameters
        ----------
        lesson : int
            1-4.
        widget : PlanView or PlanModel
            One of the five planning widgets (see :func:`summarise_widget`).
        name : str, optional
            The decision's name; default the widget's kind (``"trust_map"``...).

        Returns
        -------
        dict
            The summary saved.
        """
        _check_lesson(lesson, LESSONS, "a lesson of the Lomari plan")
        facts = summarise_widget(widget)
        key = facts["widget"] if name is None else _check_name(name)
        self._save(lesson, {key: facts})
        return facts

    def forget(self, lesson: int) -> None:
        """Remove this lesson's part (the course's example decisions are shown instead)."""
        _check_lesson(lesson, LESSONS, "a lesson of the Lomari plan")
        parts = self._load()
        if parts.pop(lesson, None) is not None:
            write_state(self.path, _state(parts))

    # ---------------------------------------------------------------- showing
    def show(self, upto: int) -> PlanSummary:
        """Your Lomari plan so far, lessons 1 to ``upto``, to show at the top of a lesson.

        A lesson whose part you have not recorded is shown with the course's example
        decisions, and the summary says which lesson to run; a decision missing from your
        part is filled in the same way, marked "course example".

        Parameters
        ----------
        upto : int
            The last lesson to include, 0-4 (0: nothing recorded yet).

        Returns
        -------
        PlanSummary
            Shows as HTML in a notebook and as text in ``print()``.
        """
        _check_lesson(upto, STORY_LESSONS, "the last lesson to show")
        parts = self._load()
        examples = example_decisions() if upto else {}
        blocks: list[tuple[str, list[tuple[str, list[str], bool]]]] = []
        notes = [self.notice] if self.notice else []
        if upto == 0:
            notes.append(gettext("Nothing recorded yet: your Lomari plan starts in lesson 1."))
        for lesson in range(1, upto + 1):
            mine = parts.get(lesson, {})
            example = examples.get(lesson, {})
            if not mine:
                heading = gettext(
                    "Lesson {lesson}: not recorded yet. Run lesson {lesson} first, or carry "
                    "on: the course's example decisions are used."
                ).format(lesson=lesson)
            else:
                heading = gettext("Lesson {lesson}: your decisions").format(lesson=lesson)
            items = [(name, _describe(value), False) for name, value in mine.items()]
            items += [
                (name, _describe(value), True)
                for name, value in example.items()
                if name not in mine
            ]
            blocks.append((heading, items))
        return PlanSummary(
            title=_plan_title(upto),
            notes=notes,
            blocks=blocks,
            path=str(self.path),
        )

    # ---------------------------------------------------------------- internals
    def _save(self, lesson: int, decisions: dict[str, Any]) -> None:
        parts = self._load()
        parts[lesson] = {**parts.get(lesson, {}), **decisions}
        write_state(self.path, _state(parts))
        names = ", ".join(decisions)
        print(
            gettext("Saved lesson {lesson} of your Lomari plan ({names}) in {path}.").format(
                lesson=lesson, names=names, path=self.path
            )
        )

    def _load(self) -> dict[int, dict[str, Any]]:
        try:
            return _read_plan(self.path)
        except UnreadableStateError as error:
            kept = set_aside(self.path)
            self.notice = gettext(
                "Your Lomari plan in {path} could not be read ({error}). The file was "
                "kept, unchanged, as {kept}; the plan starts again from empty, and the "
                "course's example decisions fill the gaps."
            ).format(path=self.path, error=error, kept=kept.name)
            warnings.warn(self.notice, stacklevel=3)
            return {}

    def __repr__(self) -> str:
        recorded = ", ".join(str(n) for n in sorted(self._load())) or "none"
        return f"LomariPlan({str(self.path)!r}; lessons recorded: {recorded})"


#: What each lesson takes from the lesson before (the shared plan's chain of decisions):
#: lesson -> (earlier lesson, decision, fact of a widget summary or None, label).
CARRIED: dict[int, tuple[tuple[int, str, str | None, str], ...]] = {
    2: (
        (1, "counterpart", None, N_("your counterpart, who will take over")),
        (1, "handover", None, N_("the tasks you will hand over")),
        (1, "workplan", "governance_tasks", N_("governance and handover tasks of your work plan")),
    ),
    3: (
        (
            2,
            "governance",
            "weakest",
            N_("weakest governance characteristics (put them on the agenda)"),
        ),
        (2, "norms", None, N_("your norms (the ground rules of the meeting and the mediation)")),
    ),
    4: (
        (3, "trust_map", "brokers", N_("brokers on your trust map")),
        (3, "trust_map", "cut_off", N_("stakeholders cut off from the main group")),
        (3, "mediation_outcome", None, N_("what the tanner and the workshop owner agreed")),
    ),
}


def carried_forward(plan: LomariPlan, lesson: int) -> PlanSummary:
    """The decisions of the lesson before that this lesson builds on.

    Parameters
    ----------
    plan : LomariPlan
        Your plan.
    lesson : int
        2, 3 or 4: the lesson now being worked on.

    Returns
    -------
    PlanSummary
        Each decision from :data:`CARRIED`, yours when saved, else the course's example,
        marked so.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> plan = LomariPlan(pathlib.Path(tempfile.mkdtemp()) / "plan.json")
    >>> print(carried_forward(plan, 3))  # doctest: +ELLIPSIS
    From your Lomari plan: what Lesson 3 builds on
    ...
    - weakest governance characteristics (put them on the agenda) (course example): ...
    """
    if not isinstance(plan, LomariPlan):
        raise PlanError(f"carried_forward needs your LomariPlan, not {type(plan).__name__!r}")
    _check_lesson(lesson, tuple(CARRIED), "a lesson that builds on an earlier one")
    items = []
    for earlier, name, fact, label in CARRIED[lesson]:
        value, example = _decision(plan, earlier, name)
        if fact is not None:
            value = value.get(fact) if isinstance(value, dict) else None
        if value is None:
            continue
        items.append(
            (gettext(label), _describe(value) if value != [] else [gettext("none")], example)
        )
    earlier = lesson - 1
    if plan.is_recorded(earlier):
        heading = gettext("From Lesson {lesson}").format(lesson=earlier)
    else:
        heading = gettext(
            "From Lesson {lesson} (not recorded yet: run Lesson {lesson} first, or carry on "
            "with the course's example)"
        ).format(lesson=earlier)
    return PlanSummary(
        title=gettext("From your Lomari plan: what Lesson {lesson} builds on").format(
            lesson=lesson
        ),
        notes=[plan.notice] if plan.notice else [],
        blocks=[(heading, items)],
        path=str(plan.path),
    )


def trust_summary(plan: LomariPlan) -> PlanSummary:
    """The brokers and cut-off stakeholders of your Lesson 3 trust map, with their seats.

    Each name on the map is matched to a Lomari stakeholder (id and Box 4 category), so
    that you can find them among the Commission composer's candidates.

    Parameters
    ----------
    plan : LomariPlan
        Your plan; the course's example trust map is used when Lesson 3's is not saved.

    Returns
    -------
    PlanSummary
        Brokers and cut-off stakeholders, with where they come from.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> plan = LomariPlan(pathlib.Path(tempfile.mkdtemp()) / "plan.json")
    >>> print(trust_summary(plan))  # doctest: +ELLIPSIS
    Brokers and cut-off stakeholders on your Lomari trust map
    ...
    - cut off from the main group (course example):
        - Bag makers: Bag makers' savings group (women working from home), LOM-S05, ...
    ...
    """
    from cdatools.commission import CATEGORY_LABELS

    if not isinstance(plan, LomariPlan):
        raise PlanError(f"trust_summary needs your LomariPlan, not {type(plan).__name__!r}")
    facts, example = _decision(plan, 3, "trust_map")
    facts = facts if isinstance(facts, dict) else {}
    items = []
    for key, label in _SHOWN_FACTS["trust_map"]:
        lines = []
        for name in facts.get(key, []):
            try:
                row = find_stakeholder(name)
            except PlanError:
                lines.append(
                    gettext("{name}: not one of Lomari's thirteen stakeholders").format(name=name)
                )
                continue
            category = gettext(CATEGORY_LABELS.get(row["commission_category"], ""))
            lines.append(f"{name}: {row['name']}, {row['stakeholder_id']}, {category}")
        items.append((gettext(label), lines or [gettext("none")], example))
    heading = (
        gettext("From Lesson 3 (the course's example map)")
        if example
        else gettext("From Lesson {lesson}").format(lesson=3)
    )
    return PlanSummary(
        title=gettext("Brokers and cut-off stakeholders on your Lomari trust map"),
        notes=[plan.notice] if plan.notice else [],
        blocks=[(heading, items)],
        path=str(plan.path),
    )


def _decision(plan: LomariPlan, lesson: int, name: str) -> tuple[Any, bool]:
    """A decision and whether it is the course's example (not saved by you)."""
    if plan.is_recorded(lesson, name):
        return plan.get(lesson, name, example=False), False
    return example_decisions().get(lesson, {}).get(name), True


class PlanSummary:
    """A rendered Lomari plan: HTML in a notebook, plain text in ``print()`` and ``str()``.

    Attributes
    ----------
    title : str
    notes : list of str
        Messages shown first (an unreadable file, nothing recorded yet).
    blocks : list of (str, list of (str, str, bool))
        Per lesson: a heading and its decisions as (name, lines, from the course's example).
    path : str
        The plan file.
    """

    def __init__(
        self,
        title: str,
        notes: list[str],
        blocks: list[tuple[str, list[tuple[str, list[str], bool]]]],
        path: str,
    ) -> None:
        self.title = title
        self.notes = notes
        self.blocks = blocks
        self.path = path

    @property
    def text(self) -> str:
        """The summary as plain text."""
        lines = [self.title, gettext(INVENTED)]
        lines += self.notes
        for heading, items in self.blocks:
            lines += ["", heading]
            for name, shown, example in items:
                mark = " " + gettext(COURSE_EXAMPLE) if example else ""
                indent = "\n      " if len(shown) > 1 else "\n    "
                body = [line.replace("\n", indent) for line in shown]
                if len(body) == 1:
                    lines.append(f"- {_label(name)}{mark}: {body[0]}")
                else:
                    lines.append(f"- {_label(name)}{mark}:")
                    lines += [f"    - {line}" for line in body]
        lines += ["", gettext("Saved in {path}.").format(path=self.path)]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return self.text

    def _repr_html_(self) -> str:
        esc = html.escape
        parts = [
            "<div class='cda-lomari-plan mathjax_ignore tex2jax_ignore'>",
            # Not a heading: an output must not break the page's heading order.
            f"<p style='font-size:1.15em'><strong>{esc(self.title)}</strong></p>",
            f"<p><em>{esc(gettext(INVENTED))}</em></p>",
        ]
        parts += [f"<p><strong>{esc(note)}</strong></p>" for note in self.notes]
        for heading, items in self.blocks:
            parts.append(f"<p><strong>{esc(heading)}</strong></p><ul>")
            for name, shown, example in items:
                mark = f" <em>{esc(gettext(COURSE_EXAMPLE))}</em>" if example else ""
                body = [esc(line).replace("\n", "<br>") for line in shown]
                if len(body) == 1:
                    parts.append(f"<li>{esc(_label(name))}{mark}: {body[0]}</li>")
                else:
                    inner = "".join(f"<li>{line}</li>" for line in body)
                    parts.append(f"<li>{esc(_label(name))}{mark}:<ul>{inner}</ul></li>")
            parts.append("</ul>")
        saved = esc(gettext("Saved in {path}.")).format(path=f"<code>{esc(self.path)}</code>")
        parts.append(f"<p><small>{saved}</small></p></div>")
        return "".join(parts)


# ------------------------------------------------------------------ helpers


def _plan_title(upto: int) -> str:
    if upto == 0:
        return gettext("Your Lomari plan")
    if upto == 1:
        return gettext("Your Lomari plan so far (lesson 1)")
    return gettext("Your Lomari plan so far (lessons 1-{last})").format(last=upto)


def _plain(value: Any) -> Any:
    """A pandas/numpy scalar as a plain Python value."""
    if hasattr(value, "item"):
        return value.item()
    return value


def _key(text: Any) -> str:
    return " ".join(str(text).split()).casefold()


def _label(name: str) -> str:
    if name in DECISION_LABELS:
        return gettext(DECISION_LABELS[name])
    return name.replace("_", " ")


def _check_lesson(lesson: Any, allowed: tuple[int, ...], what: str) -> None:
    if isinstance(lesson, bool) or not isinstance(lesson, int) or lesson not in allowed:
        listed = ", ".join(str(n) for n in allowed[:-1]) + f" or {allowed[-1]}"
        raise PlanError(f"{what} must be {listed}, not {lesson!r}")


def _check_name(name: Any) -> str:
    if not isinstance(name, str) or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]{0,63}", name):
        raise PlanError(
            f"a decision's name must be a short plain name such as 'counterpart' "
            f"(letters, digits and _), not {name!r}"
        )
    return name


def _clean_text(lesson: int, name: str, value: str, where: str = "") -> str:
    text = value.strip()
    if not text:
        raise PlanError(
            f"lesson {lesson}'s decision {name!r}{where} is empty; write what you decided "
            "(some text), or leave the decision out"
        )
    if len(text) > MAX_TEXT:
        raise PlanError(
            f"lesson {lesson}'s decision {name!r}{where} is {len(text):,} characters long; "
            f"keep it under {MAX_TEXT:,} (put a long document in a file in my-work/ and "
            "record its name)"
        )
    return text


def _clean(lesson: int, name: str, value: Any) -> Any:
    """A decision as saved: stripped text, a list of text, or a finite number."""
    _check_name(name)
    expected = "text, a list of text, or a number"
    if isinstance(value, str):
        return _clean_text(lesson, name, value)
    if isinstance(value, bool) or value is None:
        raise PlanError(f"lesson {lesson}'s decision {name!r} must be {expected}, not {value!r}")
    if isinstance(value, int | float):
        if isinstance(value, float) and not math.isfinite(value):
            raise PlanError(f"lesson {lesson}'s decision {name!r} must be a number, not {value!r}")
        return value
    if isinstance(value, list | tuple):
        if not value:
            raise PlanError(
                f"lesson {lesson}'s decision {name!r} is an empty list; give at least one item"
            )
        items = []
        for number, item in enumerate(value, start=1):
            if not isinstance(item, str):
                raise PlanError(
                    f"lesson {lesson}'s decision {name!r}: item {number} must be text, not {item!r}"
                )
            items.append(_clean_text(lesson, name, item, f" (item {number})"))
        return items
    raise PlanError(
        f"lesson {lesson}'s decision {name!r} must be {expected}, not a "
        f"{type(value).__name__} ({value!r:.60})"
    )


def _describe(value: Any) -> list[str]:
    """A decision in words for the summary: one line, or one line per item."""
    if isinstance(value, dict) and value.get("widget") in _SHOWN_FACTS:
        lines = [gettext("from the {widget}").format(widget=WIDGET_KINDS[value["widget"]])]
        for key, label in _SHOWN_FACTS[value["widget"]]:
            facts = value.get(key)
            if isinstance(facts, list):
                shown = "; ".join(map(str, facts)) or gettext("none")
                lines.append(f"{gettext(label)}: {shown}")
        return lines
    if isinstance(value, list):
        return [str(item) for item in value] or [gettext("(empty)")]
    if isinstance(value, dict):
        return [json.dumps(value, ensure_ascii=False)]
    text = str(value)
    return [text if text.strip() else gettext("(empty)")]


def _state(parts: dict[int, dict[str, Any]]) -> dict[str, Any]:
    return {
        "kind": PLAN_KIND,
        "version": PLAN_VERSION,
        "cluster": CLUSTER,
        "lessons": {str(lesson): parts[lesson] for lesson in sorted(parts)},
    }


def _read_plan(path: Path) -> dict[int, dict[str, Any]]:
    if not path.exists():
        return {}
    try:
        text = path.read_bytes().decode("utf-8-sig")  # tolerate a BOM from a text editor
    except UnicodeDecodeError as error:
        raise UnreadableStateError(f"it is not UTF-8 text (byte {error.start})") from error
    try:
        state = json.loads(text)
    except json.JSONDecodeError as error:
        raise UnreadableStateError(
            f"it is not valid JSON (line {error.lineno}, column {error.colno}: {error.msg})"
        ) from error
    try:
        return _parse_plan(state)
    except PlanError as error:
        raise UnreadableStateError(str(error)) from error


def _parse_plan(state: Any) -> dict[int, dict[str, Any]]:
    if not isinstance(state, dict):
        raise PlanError(f"it holds a JSON {type(state).__name__}, not an object")
    if state.get("kind") != PLAN_KIND:
        raise PlanError(f"its 'kind' is {state.get('kind')!r}, not {PLAN_KIND!r}")
    lessons = state.get("lessons")
    if not isinstance(lessons, dict):
        raise PlanError("it has no 'lessons' object")
    parts: dict[int, dict[str, Any]] = {}
    for key, part in lessons.items():
        if key not in {str(n) for n in LESSONS}:
            raise PlanError(f"it has a part for lesson {key!r}; the lessons are 1, 2, 3 and 4")
        if not isinstance(part, dict):
            raise PlanError(f"lesson {key}'s part is a {type(part).__name__}, not an object")
        parts[int(key)] = part
    return parts
