"""Propose and check a Cluster Commission against module 2 (Box 4).

In the module, the Cluster Commission is a *temporary* inter-institutional
network of the cluster initiative: a consultative body (not an executive agency,
not an administrative office) that plays a governance role while the cluster's
own enterprises, organisations and networks learn to take the lead. Box 4 says
it should include stakeholders from four categories:

- ``entrepreneurs``: organisations representing cluster entrepreneurs (business
  associations, enterprise networks) and proactive, far-sighted entrepreneurs;
- ``service_institutions``: public or private institutions providing the
  cluster with services;
- ``knowledge_gatekeepers``: organisations or enterprises that produce and
  manage knowledge and can spread it within the cluster;
- ``local_government``: representatives who can promote and finance public
  goods (infrastructure, education, social services);

plus ``issue_specific`` members invited for a defined period when a specific
issue is addressed (e.g. a poverty-focused NGO).

Seats follow these categories, not power: section 2.1 of the module warns that
organisations may be controlled by a few stakeholders or vested interests, and
asks for a governance system representative of all categories of stakeholders.
A power/interest grid (:mod:`cdatools.stakeholders`) says how to *engage* each
stakeholder; it does not decide who sits. :func:`propose_members` makes a
first proposal from the categories alone.

The balance rules (no category above half the seats, entrepreneurs at least a
quarter, issue-specific members at most a quarter) and the warning when every
member is highly powerful are the course's reading of the module, not its words:
defaults a CDA can change.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from cdatools import _validate as v
from cdatools.i18n import N_, gettext, ngettext

if TYPE_CHECKING:
    from matplotlib.axes import Axes

WHERE = "commission"

#: The four categories every Commission should include.
CORE_CATEGORIES: tuple[str, ...] = (
    "entrepreneurs",
    "service_institutions",
    "knowledge_gatekeepers",
    "local_government",
)

#: All allowed categories: the four core ones plus issue-specific members.
CATEGORIES: tuple[str, ...] = (*CORE_CATEGORIES, "issue_specific")

#: Plain-words description of each category, used in messages and plots.
CATEGORY_LABELS: dict[str, str] = {
    "entrepreneurs": "entrepreneurs and their organisations",
    "service_institutions": "service institutions",
    "knowledge_gatekeepers": "knowledge gatekeepers",
    "local_government": "local government",
    "issue_specific": "issue-specific members",
}

#: A suggested mapping from the governance survey's stakeholder categories.
SURVEY_TO_COMMISSION: dict[str, str] = {
    "small_firms": "entrepreneurs",
    "large_firms": "entrepreneurs",
    "business_associations": "entrepreneurs",
    "service_providers": "service_institutions",
    "knowledge_institutions": "knowledge_gatekeepers",
    "local_government": "local_government",
    "civil_society": "issue_specific",
}

_EXAMPLES: dict[str, str] = {
    "entrepreneurs": N_(
        "a business association, an enterprise network or a proactive entrepreneur"
    ),
    "service_institutions": N_("a training institute, a BDS provider or a bank"),
    "knowledge_gatekeepers": N_(
        "a university, a design centre or a leading firm that shares know-how"
    ),
    "local_government": N_("the municipality or the regional authority"),
}


@dataclass(frozen=True)
class Finding:
    """One problem with the Commission's make-up.

    Attributes
    ----------
    rule : str
        ``'gap'``, ``'dominant_category'``, ``'few_entrepreneurs'``,
        ``'many_issue_specific'`` or ``'seats_follow_power'``.
    category : str
        The category concerned.
    message : str
        The problem and a suggestion, in plain words.
    """

    rule: str
    category: str
    message: str


@dataclass(frozen=True)
class CommissionCheck:
    """Result of :func:`check_commission`.

    Attributes
    ----------
    coverage : pandas.DataFrame
        One row per category: ``category``, ``label``, ``required``, ``seats``, ``share``.
    gaps : tuple of str
        Core categories with no member.
    findings : tuple of Finding
        Every gap and imbalance, in words.
    """

    coverage: pd.DataFrame
    gaps: tuple[str, ...]
    findings: tuple[Finding, ...]

    @property
    def ok(self) -> bool:
        """True when no gap or imbalance was found."""
        return not self.findings

    @property
    def messages(self) -> list[str]:
        """Every finding in words, one string each (empty when all is well)."""
        return [finding.message for finding in self.findings]


def _seats(n: int, total: int) -> str:
    return ngettext(
        "{n} of {total} seat ({share})", "{n} of {total} seats ({share})", total
    ).format(n=n, total=total, share=f"{n / total:.0%}")


def check_commission(
    members: pd.DataFrame,
    *,
    category: str = "commission_category",
    id_col: str = "stakeholder_id",
    max_share: float = 0.5,
    min_entrepreneur_share: float = 0.25,
    max_issue_share: float = 0.25,
    power: str = "power",
    high_power: int = 4,
) -> CommissionCheck:
    """Check a proposed Commission's coverage and balance.

    Parameters
    ----------
    members : pandas.DataFrame
        One row per proposed member, with a category column.
    category : str
        The category column (values in :data:`CATEGORIES`).
    id_col : str
        Column that names members (used to spot duplicates, if present).
    max_share : float
        Largest share of seats one category may hold (default: half).
    min_entrepreneur_share : float
        Smallest share of seats for entrepreneurs (default: a quarter).
    max_issue_share : float
        Largest share of seats for issue-specific members (default: a quarter).
    power : str
        Column of power scores (1-5), used only if present: when every one of
        three or more members scores ``high_power`` or more, the check warns that
        the seats seem to follow power rather than Box 4's membership.
    high_power : int
        Score from which a stakeholder counts as highly powerful (default 4).

    Returns
    -------
    CommissionCheck
        Coverage table, gaps and findings.

    Raises
    ------
    ValueError
        If the column is missing, the table is empty, a category is unknown, a
        member is listed twice, or a share limit is outside 0-1.

    Examples
    --------
    >>> members = pd.DataFrame({"commission_category": [
    ...     "entrepreneurs", "entrepreneurs", "service_institutions", "local_government"]})
    >>> check = check_commission(members)
    >>> check.gaps
    ('knowledge_gatekeepers',)
    >>> check.coverage[["category", "seats"]].head(2)
                   category  seats
    0         entrepreneurs      2
    1  service_institutions      1
    """
    for name, value in (
        ("max_share", max_share),
        ("min_entrepreneur_share", min_entrepreneur_share),
        ("max_issue_share", max_issue_share),
    ):
        if not 0 <= value <= 1:
            raise ValueError(f"{WHERE}: {name} must be between 0 and 1; got {value}")
    v.require_columns(members, [category], WHERE, name="members")
    v.require_nonempty(members, WHERE, name="members")
    ident = id_col if id_col in members.columns else None
    v.require_values_in(members, category, CATEGORIES, WHERE, id_col=ident)
    if ident is not None:
        v.require_unique(members, [ident], WHERE)
    counts = members[category].value_counts()
    seats = np.array([int(counts.get(c, 0)) for c in CATEGORIES])
    total = int(seats.sum())
    coverage = pd.DataFrame(
        {
            "category": list(CATEGORIES),
            "label": [CATEGORY_LABELS[c] for c in CATEGORIES],
            "required": [c in CORE_CATEGORIES for c in CATEGORIES],
            "seats": seats,
            "share": seats / total,
        }
    )
    gaps = tuple(c for c in CORE_CATEGORIES if counts.get(c, 0) == 0)
    findings = [
        Finding(
            "gap",
            c,
            gettext(
                "No member represents {category}. Box 4 asks for all four categories: invite, "
                "for example, {examples}."
            ).format(category=gettext(CATEGORY_LABELS[c]), examples=gettext(_EXAMPLES[c])),
        )
        for c in gaps
    ]
    for c, n in zip(CATEGORIES, seats, strict=True):
        if n / total > max_share:
            findings.append(
                Finding(
                    "dominant_category",
                    c,
                    gettext(
                        "{category} hold {seats}, more than {limit}: others may see the "
                        "Commission as their body. Add members from other categories or "
                        "reduce these seats."
                    ).format(
                        category=gettext(CATEGORY_LABELS[c]).capitalize(),
                        seats=_seats(n, total),
                        limit=f"{max_share:.0%}",
                    ),
                )
            )
    n_ent = int(counts.get("entrepreneurs", 0))
    if 0 < n_ent and n_ent / total < min_entrepreneur_share:
        findings.append(
            Finding(
                "few_entrepreneurs",
                "entrepreneurs",
                gettext(
                    "Entrepreneurs hold only {seats}; the Commission exists to serve the "
                    "cluster's firms, so aim for at least {minimum}."
                ).format(seats=_seats(n_ent, total), minimum=f"{min_entrepreneur_share:.0%}"),
            )
        )
    n_issue = int(counts.get("issue_specific", 0))
    if n_issue / total > max_issue_share:
        findings.append(
            Finding(
                "many_issue_specific",
                "issue_specific",
                gettext(
                    "Issue-specific members hold {seats}, more than {limit}. They are meant to "
                    "join for defined periods while an issue is addressed; check which of them "
                    "should be permanent members."
                ).format(seats=_seats(n_issue, total), limit=f"{max_issue_share:.0%}"),
            )
        )
    if power in members.columns and total >= 3:
        scores = pd.to_numeric(members[power], errors="coerce")
        if scores.notna().all() and (scores >= high_power).all():
            findings.append(
                Finding(
                    "seats_follow_power",
                    "entrepreneurs",
                    gettext(
                        "Every member has power {power} or more: the seats seem to follow "
                        "power. Box 4 chooses members by what they bring (representing "
                        "entrepreneurs, services, knowledge, public goods), and section 2.1 "
                        "warns against bodies controlled by a few or by vested interests. Check "
                        "that organisations of small firms and less powerful service "
                        "institutions have a seat; use power and interest to decide how to "
                        "engage people."
                    ).format(power=high_power),
                )
            )
    return CommissionCheck(coverage=coverage, gaps=gaps, findings=tuple(findings))


def propose_members(
    candidates: pd.DataFrame,
    *,
    category: str = "commission_category",
    id_col: str = "stakeholder_id",
) -> pd.DataFrame:
    """A first proposal for the Commission, from Box 4's categories alone.

    Every candidate in one of the four core categories gets a seat, whatever
    their power or interest; issue-specific candidates are listed to be invited
    for a defined period, when their issue is on the agenda (Box 4). This is a
    starting point for discussion, not a decision: the CDA still checks that
    entrepreneurs' organisations speak for the whole cluster and are not
    controlled by a few (module, section 2.1), and that entrepreneurs who sit are
    proactive and ready to share information and take on responsibilities.

    Parameters
    ----------
    candidates : pandas.DataFrame
        One row per candidate, with an id and a category column (values in
        :data:`CATEGORIES`); other columns are kept.
    category, id_col : str
        Column names, if your data names them differently.

    Returns
    -------
    pandas.DataFrame
        The candidates with ``seat`` (``'member'`` or ``'invited for a defined
        period'``) and ``why`` (the Box 4 category in words), members first.

    Raises
    ------
    ValueError
        If a column is missing, the table is empty, a category is unknown or an
        id repeats.

    Examples
    --------
    >>> people = pd.DataFrame({"stakeholder_id": ["A", "B", "C"],
    ...                        "commission_category": ["entrepreneurs", "issue_specific",
    ...                                                "local_government"],
    ...                        "power": [1, 5, 5]})
    >>> propose_members(people)[["stakeholder_id", "seat"]]
      stakeholder_id                          seat
    0              A                        member
    1              C                        member
    2              B  invited for a defined period
    """
    v.require_columns(candidates, [id_col, category], WHERE, name="candidates")
    v.require_nonempty(candidates, WHERE, name="candidates")
    v.require_values_in(candidates, category, CATEGORIES, WHERE, id_col=id_col)
    v.require_unique(candidates, [id_col], WHERE)
    why = {
        "entrepreneurs": "Box 4: represents cluster entrepreneurs",
        "service_institutions": "Box 4: provides the cluster with services",
        "knowledge_gatekeepers": "Box 4: produces and manages knowledge, can spread it",
        "local_government": "Box 4: can promote and finance public goods",
        "issue_specific": "Box 4: invited while its specific issue is addressed",
    }
    table = candidates.copy()
    core = table[category].isin(CORE_CATEGORIES)
    table["seat"] = np.where(core, "member", "invited for a defined period")
    table["why"] = table[category].map(why)
    table["_order"] = (~core).astype(int)
    table = table.sort_values("_order", kind="stable").drop(columns="_order")
    return table.reset_index(drop=True)


def candidates_for(stakeholders: pd.DataFrame, cluster: str) -> list[dict[str, str]]:
    """One cluster's candidates as the records the Commission composer widget takes.

    Parameters
    ----------
    stakeholders : pandas.DataFrame
        The course's ``stakeholders`` table, or one like it.
    cluster : str
        The cluster to keep.

    Returns
    -------
    list of dict
        ``{"stakeholder_id", "name", "commission_category"}`` per candidate.

    Raises
    ------
    ValueError
        If a column is missing or no stakeholder belongs to ``cluster``.

    Examples
    --------
    >>> people = pd.DataFrame({"stakeholder_id": ["A"], "cluster": ["X"], "name": ["Guild"],
    ...                        "commission_category": ["entrepreneurs"]})
    >>> candidates_for(people, "X")
    [{'stakeholder_id': 'A', 'name': 'Guild', 'commission_category': 'entrepreneurs'}]
    """
    columns = ["stakeholder_id", "name", "commission_category"]
    v.require_columns(stakeholders, ["cluster", *columns], WHERE, name="stakeholders")
    chosen = stakeholders[stakeholders["cluster"] == cluster]
    if chosen.empty:
        known = ", ".join(sorted(map(str, stakeholders["cluster"].unique())))
        raise ValueError(f"{WHERE}: no stakeholder in cluster {cluster!r}; clusters are {known}")
    return [{c: str(row[c]) for c in columns} for row in chosen.to_dict("records")]


def plot_commission(
    check: CommissionCheck,
    *,
    ax: Axes | None = None,
    title: str = N_("Seats on the proposed Cluster Commission"),
) -> Axes:
    """Bar chart of seats per category, with missing core categories marked.

    Parameters
    ----------
    check : CommissionCheck
        Output of :func:`check_commission`.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure is made when omitted.
    title : str
        Plot title.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes with one bar per category (five bars).

    Raises
    ------
    ValueError
        If ``check`` is not a :class:`CommissionCheck`.

    Examples
    --------
    >>> members = pd.DataFrame({"commission_category": ["entrepreneurs", "local_government"]})
    >>> len(plot_commission(check_commission(members)).patches)
    5
    """
    from cdatools import plotting

    if not isinstance(check, CommissionCheck):
        raise ValueError(
            f"{WHERE}: expected the result of check_commission(); got {type(check).__name__}"
        )
    cov = check.coverage
    ax = plotting.new_axes(ax, figsize=(7.5, 3.5))
    colours = [
        plotting.OKABE_ITO["blue"] if req else plotting.OKABE_ITO["sky_blue"]
        for req in cov["required"]
    ]
    y = np.arange(len(cov))
    ax.barh(y, cov["seats"], color=colours)
    ax.set_yticks(y, labels=cov["label"])
    ax.invert_yaxis()
    for i, row in enumerate(cov.itertuples(index=False)):
        if row.category in check.gaps:
            ax.text(
                0.1,
                i,
                "missing",
                va="center",
                color=plotting.OKABE_ITO["vermillion"],
                fontweight="bold",
            )
    ax.set_xlim(0, max(1, int(cov["seats"].max())) * 1.15)
    return plotting.style_axes(ax, title, N_("Seats (number of members)"), None, grid="x")
