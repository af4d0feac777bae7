"""Run the course's governance and trust analyses on your own cluster's survey files.

The field kit (``course/field-kit/``) has printable questionnaires whose answers go into
five CSV files, each in the schema of a course dataset:

- ``governance_survey.csv`` (schema ``governance_survey``): the governance survey;
- ``cluster_actors.csv`` and ``cluster_ties.csv`` (schemas ``cluster_actors`` and
  ``cluster_ties``): the trust and advice network, parts A and B;
- ``cluster_institutions.csv`` and ``cluster_institution_trust.csv`` (schemas
  ``cluster_institutions`` and ``cluster_institution_trust``): trust in institutions,
  parts A and B.

Put the five files in one folder, then :func:`check_folder` says which are ready and
:func:`load_field_data` reads them all, checked against their schemas (file, row and column
named for every problem). The other functions are the lessons' analyses with the choices
a field survey needs made for you: one cluster, whichever survey rounds you have, and a tie
counted when either of two actors named the other.

Examples
--------
>>> data = load_field_data(example_folder())
>>> data.waves
['baseline', 'follow_up']
>>> int(check_folder(example_folder())["ready"].sum())
5
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd

from cdatools import governance, trust
from cdatools.datasets import DatasetError, load_csv

__all__ = [
    "FILES",
    "MIN_PER_CATEGORY",
    "FieldData",
    "FieldDataError",
    "answer_agreement",
    "check_folder",
    "example_folder",
    "governance_change",
    "institution_trust_by_institution",
    "institution_trust_summary",
    "kit_folder",
    "load_field_data",
    "network",
    "network_coverage",
    "network_measures",
    "network_rounds",
    "respondents",
    "sample_precision",
    "scorecard",
    "template_folder",
    "ties_across_groups",
    "undirected_ties",
]

#: The field kit's files: file name -> (course schema, what the file holds).
FILES: dict[str, tuple[str, str]] = {
    "governance_survey.csv": ("governance_survey", "answers to the governance survey"),
    "cluster_actors.csv": ("cluster_actors", "the firms (actors) of the network survey"),
    "cluster_ties.csv": ("cluster_ties", "the ties each actor named"),
    "cluster_institutions.csv": ("cluster_institutions", "the institutions rated"),
    "cluster_institution_trust.csv": (
        "cluster_institution_trust",
        "each actor's trust in each institution",
    ),
}

#: The course's rule of thumb (not the module's): a stakeholder category's mean score is
#: shown with a warning when fewer people than this answered for it.
MIN_PER_CATEGORY = 5

WAVES = ["baseline", "follow_up"]


class FieldDataError(ValueError):
    """Some files of a field-data folder are missing or do not match their schemas.

    Parameters
    ----------
    folder : str or Path
        The folder that was read.
    problems : list of str
        One plain sentence per file that is missing or malformed.

    Examples
    --------
    >>> err = FieldDataError("mine", ["mine/cluster_ties.csv is missing"])
    >>> print(err)  # doctest: +NORMALIZE_WHITESPACE
    The field data in mine is not ready (1 file to fix):
      - mine/cluster_ties.csv is missing
    """

    def __init__(self, folder: str | Path, problems: list[str]) -> None:
        self.folder = str(folder)
        self.problems = list(problems)
        noun = "file" if len(problems) == 1 else "files"
        lines = [f"The field data in {folder} is not ready ({len(problems)} {noun} to fix):"]
        lines += [f"  - {problem}" for problem in problems]
        super().__init__("\n".join(lines))

    def _render_traceback_(self) -> list[str]:
        """What Jupyter shows instead of a traceback: the message alone, for a trainee."""
        return [f"FieldDataError: {self}"]


@dataclass
class FieldData:
    """The five field tables of one cluster, each checked against its schema.

    Attributes
    ----------
    folder : Path
        Where the files were read.
    survey, actors, ties, institutions, ratings : pandas.DataFrame
        The tables of ``governance_survey.csv``, ``cluster_actors.csv``,
        ``cluster_ties.csv``, ``cluster_institutions.csv`` and
        ``cluster_institution_trust.csv``.
    cluster : str
        The cluster named in the governance survey.
    waves : list of str
        The survey rounds present in the files, in order.
    """

    folder: Path
    survey: pd.DataFrame
    actors: pd.DataFrame
    ties: pd.DataFrame
    institutions: pd.DataFrame
    ratings: pd.DataFrame
    cluster: str = ""
    waves: list[str] = field(default_factory=list)

    def __repr__(self) -> str:
        return (
            f"Field data of {self.cluster!r} from {self.folder}: "
            f"{self.survey['respondent_id'].nunique()} survey respondents, "
            f"{len(self.actors)} actors, {len(self.ties)} ties named, "
            f"{len(self.institutions)} institutions rated; rounds: {', '.join(self.waves)}"
        )


def kit_folder() -> Path:
    """Return the field kit's folder, ``course/field-kit`` in the repository.

    Returns
    -------
    Path

    Examples
    --------
    >>> (kit_folder() / "README.md").is_file()
    True
    """
    return Path(__file__).resolve().parents[1] / "course" / "field-kit"


def example_folder() -> Path:
    """Return the folder of the kit's filled example (small, synthetic, invented cluster).

    Returns
    -------
    Path

    Examples
    --------
    >>> sorted(p.name for p in example_folder().glob("*.csv")) == sorted(FILES)
    True
    """
    return kit_folder() / "example"


def template_folder() -> Path:
    """Return the folder of the kit's empty templates (header only).

    Returns
    -------
    Path

    Examples
    --------
    >>> (template_folder() / "cluster_ties.csv").read_text().strip()
    'wave,source,target,tie'
    """
    return kit_folder() / "templates"


def _read_one(folder: Path, name: str) -> tuple[pd.DataFrame | None, str]:
    """One file of the folder: the checked table, or None and what is wrong."""
    schema, what = FILES[name]
    path = folder / name
    if not path.is_file():
        return None, (
            f"{path} is missing ({what}); copy {template_folder() / name} into the folder "
            "and fill it in"
        )
    try:
        return load_csv(path, schema=schema), ""
    except DatasetError as err:
        if len(err.problems) == 1 and "header but no data rows" in err.problems[0].message:
            return None, f"{path} has a header but no answers yet ({what}); fill it in"
        return None, str(err)


def check_folder(folder: str | Path) -> pd.DataFrame:
    """Say which field files of a folder are ready and what is wrong with the others.

    Parameters
    ----------
    folder : str or Path
        The folder holding your CSV files.

    Returns
    -------
    pandas.DataFrame
        One row per expected file: ``file``, ``ready`` (True or False), ``rows`` (data
        rows read, 0 when not ready) and ``problem`` (empty when ready).

    Raises
    ------
    FileNotFoundError
        If the folder does not exist.

    Examples
    --------
    >>> check_folder(example_folder()).loc[0, "file"]
    'governance_survey.csv'
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise FileNotFoundError(
            f"there is no folder {folder}; make it and put your CSV files in it, "
            f"or use the example: {example_folder()}"
        )
    rows = []
    for name in FILES:
        table, problem = _read_one(folder, name)
        rows.append(
            {
                "file": name,
                "ready": table is not None,
                "rows": 0 if table is None else len(table),
                "problem": problem,
            }
        )
    return pd.DataFrame(rows)


def load_field_data(folder: str | Path) -> FieldData:
    """Read and check the five field files of a folder.

    Parameters
    ----------
    folder : str or Path
        The folder holding the files named in :data:`FILES`.

    Returns
    -------
    FieldData
        The checked tables, the cluster's name and the survey rounds present.

    Raises
    ------
    FieldDataError
        If a file is missing, empty or breaks its schema (a missing column, a value not
        allowed, an actor code not in ``cluster_actors.csv``...); the message lists every
        such file with the row and column of each problem.
    FileNotFoundError
        If the folder does not exist.

    Examples
    --------
    >>> load_field_data(example_folder()).cluster
    'Example cluster (synthetic)'
    """
    folder = Path(folder)
    status = check_folder(folder)
    problems = [p for p in status["problem"] if p]
    if problems:
        raise FieldDataError(folder, problems)
    tables = {name: _read_one(folder, name)[0] for name in FILES}
    survey = tables["governance_survey.csv"]
    clusters = sorted(survey["cluster"].astype(str).unique())
    if len(clusters) != 1:
        raise FieldDataError(
            folder,
            [
                f"{folder / 'governance_survey.csv'}: column 'cluster' names "
                f"{len(clusters)} clusters ({', '.join(clusters)}); expected one cluster "
                "per folder (use one folder for each cluster)"
            ],
        )
    present = set()
    for name in ("governance_survey.csv", "cluster_ties.csv", "cluster_institution_trust.csv"):
        present |= set(tables[name]["wave"].astype(str))
    return FieldData(
        folder=folder,
        survey=survey,
        actors=tables["cluster_actors.csv"],
        ties=tables["cluster_ties.csv"],
        institutions=tables["cluster_institutions.csv"],
        ratings=tables["cluster_institution_trust.csv"],
        cluster=clusters[0],
        waves=[w for w in WAVES if w in present],
    )


def respondents(data: FieldData) -> pd.DataFrame:
    """Count who answered each questionnaire in each survey round.

    Parameters
    ----------
    data : FieldData

    Returns
    -------
    pandas.DataFrame
        One row per questionnaire (the governance survey by stakeholder category, then
        the network and the institution rating), one column per round, and ``enough``:
        False where a governance category has fewer than :data:`MIN_PER_CATEGORY`
        respondents in some round (the course's rule of thumb).

    Examples
    --------
    >>> table = respondents(load_field_data(example_folder()))
    >>> "trust and advice network" in table.index
    True
    """
    survey = data.survey.assign(category=data.survey["category"].astype(str))
    by_category = survey.pivot_table(
        index="category", columns="wave", values="respondent_id", aggfunc="nunique", observed=True
    )
    by_category.index = [f"governance survey: {c}" for c in by_category.index]
    network = data.ties.groupby("wave", observed=True)["source"].nunique()
    rating = data.ratings.groupby("wave", observed=True)["actor_id"].nunique()
    table = pd.concat(
        [
            by_category,
            pd.DataFrame(
                [network, rating], index=["trust and advice network", "institution rating"]
            ),
        ]
    )
    table.columns = [str(c) for c in table.columns]
    table = table.reindex(columns=data.waves).fillna(0).astype(int)
    governance_rows = table.index.str.startswith("governance survey")
    table["enough"] = ~governance_rows | (table[data.waves].min(axis=1) >= MIN_PER_CATEGORY)
    table.columns.name = "respondents"
    return table


def scorecard(data: FieldData, wave: str | None = None) -> pd.DataFrame:
    """The lesson 2 scorecard: mean score of each characteristic by category.

    Parameters
    ----------
    data : FieldData
    wave : str, optional
        The survey round; default the latest one in ``governance_survey.csv``.

    Returns
    -------
    pandas.DataFrame
        As :func:`cdatools.governance.scorecard`.

    Examples
    --------
    >>> "respondents" in scorecard(load_field_data(example_folder())).columns
    True
    """
    present = set(data.survey["wave"].astype(str))
    wave = wave or [w for w in WAVES if w in present][-1]
    return governance.scorecard(data.survey, wave=wave, cluster=data.cluster)


def governance_change(data: FieldData) -> pd.DataFrame:
    """Change in mean scores from the first to the last survey round.

    Parameters
    ----------
    data : FieldData

    Returns
    -------
    pandas.DataFrame
        One row per stakeholder category, one column per characteristic: the mean in the
        last round minus the mean in the first (from
        :func:`cdatools.governance.compare_waves`; NaN where a category answered in only
        one round). With only one round, a one-row table with a ``note`` saying that a
        change needs a second round.

    Examples
    --------
    >>> table = governance_change(load_field_data(example_folder()))
    >>> list(table.columns[:2])
    ['representative', 'responsive']
    """
    waves = sorted(set(data.survey["wave"].astype(str)), key=WAVES.index)
    if len(waves) < 2:
        return pd.DataFrame(
            {"note": [f"only the {waves[0]} round so far; a change needs a follow_up round"]}
        )
    long = governance.compare_waves(data.survey, before=waves[0], after=waves[-1])
    wide = long.pivot_table(
        index="category", columns="characteristic", values="change", dropna=False, observed=True
    )
    wide = wide.reindex(
        index=list(pd.unique(long["category"])), columns=list(governance.CHARACTERISTICS)
    )
    wide.columns.name = f"change {waves[0]} to {waves[-1]}"
    return wide


def institution_trust_summary(data: FieldData) -> pd.DataFrame:
    """The lesson 3 summary of firms' trust in their institutions, round by round.

    Parameters
    ----------
    data : FieldData

    Returns
    -------
    pandas.DataFrame
        As :func:`cdatools.trust.institution_trust_summary` (rows are measures; the
        ``units`` row counts actors).

    Examples
    --------
    >>> institution_trust_summary(load_field_data(example_folder())).loc["units"].tolist()
    [24.0, 24.0]
    """
    return trust.institution_trust_summary(data.ratings, unit="actor_id")


def institution_trust_by_institution(data: FieldData) -> pd.DataFrame:
    """Share of actors trusting each institution (rating 4 or 5), one column per round.

    Parameters
    ----------
    data : FieldData

    Returns
    -------
    pandas.DataFrame
        As :func:`cdatools.trust.institution_trust` with ``wide=True``, rows named by
        the institutions' names.

    Examples
    --------
    >>> len(institution_trust_by_institution(load_field_data(example_folder())))
    5
    """
    names = trust.group_of(data.institutions, "institution_id", "name")
    return trust.institution_trust(data.ratings, names=names, wide=True, unit="actor_id")


def undirected_ties(ties: pd.DataFrame) -> pd.DataFrame:
    """One row per pair, kind and round: a tie counts when either actor named the other.

    Parameters
    ----------
    ties : pandas.DataFrame
        Answers as in ``cluster_ties`` (``wave``, ``source`` named ``target``, ``tie``).

    Returns
    -------
    pandas.DataFrame
        Columns ``wave``, ``source``, ``target`` (``source`` < ``target``), ``tie`` and
        ``named_by`` (1, or 2 when both named each other).

    Examples
    --------
    >>> answers = pd.DataFrame({"wave": ["baseline"] * 3, "source": ["F1", "F2", "F1"],
    ...                         "target": ["F2", "F1", "F3"], "tie": ["trust"] * 3})
    >>> undirected_ties(answers)[["source", "target", "named_by"]].to_dict("list")
    {'source': ['F1', 'F1'], 'target': ['F2', 'F3'], 'named_by': [2, 1]}
    """
    a, b = ties["source"].astype(str), ties["target"].astype(str)
    pairs = ties.assign(source=a.where(a < b, b), target=b.where(a < b, a))
    out = (
        pairs.groupby(["wave", "source", "target", "tie"], observed=True, sort=True)
        .size()
        .rename("named_by")
        .reset_index()
    )
    return out


def answer_agreement(data: FieldData) -> pd.DataFrame:
    """How often both actors of a tie named each other, by round and kind of tie.

    A check on the answers, not a measure of the cluster: a low share can mean that
    respondents forgot partners, read the question differently, or that the tie is felt
    on one side only.

    Parameters
    ----------
    data : FieldData

    Returns
    -------
    pandas.DataFrame
        One row per round and kind: ``answers`` (rows), ``ties`` (pairs),
        ``named_by_both`` and ``share_named_by_both`` (0-1).

    Examples
    --------
    >>> table = answer_agreement(load_field_data(example_folder()))
    >>> bool((table["ties"] <= table["answers"]).all())
    True
    """
    pairs = undirected_ties(data.ties)
    table = (
        pairs.groupby(["wave", "tie"], observed=True)
        .agg(
            answers=("named_by", "sum"),
            ties=("named_by", "size"),
            named_by_both=("named_by", lambda s: int((s == 2).sum())),
        )
        .reset_index()
    )
    table["share_named_by_both"] = table["named_by_both"] / table["ties"]
    return table


def network_rounds(data: FieldData) -> list[str]:
    """The survey rounds that have answers in ``cluster_ties.csv``, in order.

    The network questionnaire may have fewer rounds than the governance survey.

    Parameters
    ----------
    data : FieldData

    Returns
    -------
    list of str

    Examples
    --------
    >>> network_rounds(load_field_data(example_folder()))
    ['baseline', 'follow_up']
    """
    present = set(data.ties["wave"].astype(str))
    return [w for w in WAVES if w in present]


def network(data: FieldData, wave: str, tie: str = "trust") -> nx.Graph:
    """The network of one kind of tie in one round, every actor included.

    Parameters
    ----------
    data : FieldData
    wave : str
        The survey round.
    tie : str
        ``'advice'``, ``'trust'`` or ``'joint_order'``.

    Returns
    -------
    networkx.Graph
        As :func:`cdatools.trust.network_from_ties`, with a tie wherever either actor
        named the other.

    Examples
    --------
    >>> network(load_field_data(example_folder()), "baseline").number_of_nodes()
    24
    """
    nodes = data.actors["actor_id"]
    return trust.network_from_ties(undirected_ties(data.ties), wave=wave, tie=tie, nodes=nodes)


def network_measures(data: FieldData, tie: str = "trust") -> pd.DataFrame:
    """The lesson 3 network measures, one column per round (and the change, if two).

    Parameters
    ----------
    data : FieldData
    tie : str
        The kind of tie.

    Returns
    -------
    pandas.DataFrame
        One row per measure of :class:`cdatools.trust.TrustMeasures`.

    Examples
    --------
    >>> list(network_measures(load_field_data(example_folder())).columns)
    ['baseline', 'follow_up', 'change']
    """
    waves = network_rounds(data)
    if len(waves) >= 2:
        table = trust.compare_waves(network(data, waves[0], tie), network(data, waves[-1], tie))
        return table.rename(columns={"before": waves[0], "after": waves[-1]})
    measures = trust.trust_measures(network(data, waves[0], tie))
    table = pd.DataFrame({waves[0]: asdict(measures)}, dtype=float)
    table.index.name = "measure"
    return table


def ties_across_groups(data: FieldData, tie: str = "trust") -> pd.DataFrame:
    """Count ties that join actors of different groups, round by round.

    Parameters
    ----------
    data : FieldData
    tie : str
        The kind of tie.

    Returns
    -------
    pandas.DataFrame
        As :func:`cdatools.trust.ties_across_groups`, counting each pair once.

    Examples
    --------
    >>> "share_across" in ties_across_groups(load_field_data(example_folder())).columns
    True
    """
    groups = trust.group_of(data.actors, "actor_id", "group")
    return trust.ties_across_groups(undirected_ties(data.ties), groups, tie=tie)


def sample_precision(sizes: list[int], *, sd: float = 1.0) -> pd.DataFrame:
    """How precise survey figures are with a given number of respondents (95% margins).

    The course's planning aid for the protocol, not a rule of the module: plain normal
    approximations, good enough to decide how many people to ask.

    Parameters
    ----------
    sizes : list of int
        Numbers of respondents (in one stakeholder category, or rating one institution).
    sd : float
        Assumed spread of the 1-5 answers (standard deviation, in scale points); about 1
        is common for agreement scales.

    Returns
    -------
    pandas.DataFrame
        One row per size: ``mean_margin`` (a category's mean score is within this many
        points of the true mean, 95% of the time), ``change_margin`` (the same for the
        change between two rounds answered by different people) and ``share_margin``
        (a share of people, e.g. trusting an institution, at its widest, near 50%).

    Examples
    --------
    >>> sample_precision([10]).round(2).to_dict("records")
    [{'respondents': 10, 'mean_margin': 0.62, 'change_margin': 0.88, 'share_margin': 0.31}]
    """
    n = np.asarray(sizes, dtype=float)
    if n.size == 0 or (n < 1).any() or sd <= 0:
        raise ValueError(f"field: expected sizes of 1 or more and sd > 0; got {sizes!r}, {sd!r}")
    return pd.DataFrame(
        {
            "respondents": n.astype(int),
            "mean_margin": 1.96 * sd / np.sqrt(n),
            "change_margin": 1.96 * sd * np.sqrt(2 / n),
            "share_margin": 1.96 * np.sqrt(0.25 / n),
        }
    )


def network_coverage(response_rates: list[float]) -> pd.DataFrame:
    """Share of a network's ties and triangles still seen when some firms do not answer.

    A tie is seen when at least one of its two firms answered (the course counts a tie
    when either names the other); a triangle is seen when at most one of its three firms
    did not answer. Assumes firms that do not answer are like the others.

    Parameters
    ----------
    response_rates : list of float
        Shares of firms interviewed (0-1).

    Returns
    -------
    pandas.DataFrame
        One row per rate: ``ties_seen`` and ``triangles_seen`` (0-1).

    Examples
    --------
    >>> network_coverage([0.5]).to_dict("records")
    [{'response_rate': 0.5, 'ties_seen': 0.75, 'triangles_seen': 0.5}]
    """
    r = np.asarray(response_rates, dtype=float)
    if r.size == 0 or (r < 0).any() or (r > 1).any():
        raise ValueError(f"field: expected response rates between 0 and 1; got {response_rates!r}")
    return pd.DataFrame(
        {
            "response_rate": r,
            "ties_seen": 1 - (1 - r) ** 2,
            "triangles_seen": r**3 + 3 * r**2 * (1 - r),
        }
    )
