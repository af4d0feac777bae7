"""Check a proposed Cluster Commission against module 2 (Box 4).

The Cluster Commission is a temporary, consultative body that performs a
governance role while the cluster's own organisations mature. Box 4 says it
should include stakeholders from four categories:

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

The balance rules (no category above half the seats, entrepreneurs at least a
quarter, issue-specific members at most a quarter) are our reading of the
module, not its words: defaults a CDA can change.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from cdatools import _validate as v

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
    "entrepreneurs": "a business association, an enterprise network or a proactive entrepreneur",
    "service_institutions": "a training institute, a BDS provider or a bank",
    "knowledge_gatekeepers": "a university, a design centre or a leading firm that shares know-how",
    "local_government": "the municipality or the regional authority",
}


@dataclass(frozen=True)
class Finding:
    """One problem with the Commission's make-up.

    Attributes
    ----------
    rule : str
        ``'gap'``, ``'dominant_category'``, ``'few_entrepreneurs'`` or
        ``'many_issue_specific'``.
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


def _seats(n: int, total: int) -> str:
    return f"{n} of {total} seat{'s' if total != 1 else ''} ({n / total:.0%})"


def check_commission(
    members: pd.DataFrame,
    *,
    category: str = "commission_category",
    id_col: str = "stakeholder_id",
    max_share: float = 0.5,
    min_entrepreneur_share: float = 0.25,
    max_issue_share: float = 0.25,
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
            f"No member represents {CATEGORY_LABELS[c]}. Box 4 asks for all four categories: "
            f"invite, for example, {_EXAMPLES[c]}.",
        )
        for c in gaps
    ]
    for c, n in zip(CATEGORIES, seats, strict=True):
        if n / total > max_share:
            findings.append(
                Finding(
                    "dominant_category",
                    c,
                    f"{CATEGORY_LABELS[c].capitalize()} hold {_seats(n, total)}, more than "
                    f"{max_share:.0%}: others may see the Commission as their body. "
                    "Add members from other categories or reduce these seats.",
                )
            )
    n_ent = int(counts.get("entrepreneurs", 0))
    if 0 < n_ent and n_ent / total < min_entrepreneur_share:
        findings.append(
            Finding(
                "few_entrepreneurs",
                "entrepreneurs",
                f"Entrepreneurs hold only {_seats(n_ent, total)}; the Commission exists to "
                f"serve the cluster's firms, so aim for at least {min_entrepreneur_share:.0%}.",
            )
        )
    n_issue = int(counts.get("issue_specific", 0))
    if n_issue / total > max_issue_share:
        findings.append(
            Finding(
                "many_issue_specific",
                "issue_specific",
                f"Issue-specific members hold {_seats(n_issue, total)}, more than "
                f"{max_issue_share:.0%}. They are meant to join for defined periods while an "
                "issue is addressed; check which of them should be permanent members.",
            )
        )
    return CommissionCheck(coverage=coverage, gaps=gaps, findings=tuple(findings))


def plot_commission(
    check: CommissionCheck,
    *,
    ax: Axes | None = None,
    title: str = "Seats on the proposed Cluster Commission",
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
    return plotting.style_axes(ax, title, "Seats (number of members)", None, grid="x")
