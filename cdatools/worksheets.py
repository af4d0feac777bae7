"""Printable A4 field worksheets for the planning widgets, written by matplotlib.

A CDA takes plans into meetings on paper. :func:`write_worksheet` prints one widget's
plan on one A4 page: a title, the cluster and the date, the plan's figure, its table,
what the analysis says, and space for notes and signatures. :func:`write_blank` prints
the same page with nothing filled in, to plan with pen and paper where there is no
computer. Every planning widget calls :func:`write_worksheet` from ``save_pdf(path)``.

No LaTeX is needed: matplotlib writes the PDF, with its text kept as text (TrueType
fonts), so a PDF reader can search it and a screen reader can read it.

Examples
--------
>>> import tempfile, pathlib
>>> from cdatools.widgets import StakeholderGridModel
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> model = StakeholderGridModel(save_path=folder / "grid.json")
>>> write_worksheet(model, folder / "grid.pdf", cluster="Bagru", date="2026-12-01").name
'grid.pdf'
>>> write_blank("stakeholder_grid", folder / "blank.pdf").name
'blank.pdf'
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cdatools.i18n import N_, gettext, ngettext

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["A4_INCHES", "KINDS", "write_all_blanks", "write_blank", "write_worksheet"]

#: A4 portrait, in inches (210 x 297 mm).
A4_INCHES = (8.27, 11.69)
#: Text settings for worksheets: text kept as text, and no mathematics from ``$``.
PDF_STYLE = {"pdf.fonttype": 42, "text.parse_math": False, "font.family": "DejaVu Sans"}


@dataclass(frozen=True)
class Sheet:
    """How one widget's worksheet looks.

    Attributes
    ----------
    title : str
        The worksheet's title.
    columns : dict
        The table's columns in the plan's table (``model.table()``) and their headings.
    blank_columns : tuple of str
        The headings of the blank worksheet's table.
    blank_rows : int
        How many empty rows the blank table has.
    blank_figure : callable
        Draws the blank worksheet's figure on an Axes: a frame to fill in by hand.
    instructions : str
        One or two sentences on how to fill in the blank worksheet.
    signatures : tuple of str
        Who signs the plan where a meeting agrees it.
    """

    title: str
    columns: dict[str, str]
    blank_columns: tuple[str, ...]
    blank_rows: int
    blank_figure: Callable[[Axes], None]
    instructions: str
    signatures: tuple[str, ...] = (N_("Cluster Development Agent"), N_("For the stakeholders"))


# --------------------------------------------------------------------------- blank figures
def _blank_gantt(ax: Axes) -> None:
    ax.set_xlim(0, 36)
    ax.set_ylim(10, 0)
    ax.set_xticks([m - 0.5 for m in range(1, 37)], [str(m) for m in range(1, 37)], fontsize=6)
    ax.set_yticks(
        [r + 0.5 for r in range(10)],
        [gettext("Activity {number}").format(number=r + 1) for r in range(10)],
    )
    for month in range(37):
        ax.axvline(month, color="0.8" if month % 12 else "0.3", linewidth=0.5)
    for row in range(11):
        ax.axhline(row, color="0.6", linewidth=0.5)
    ax.set_xlabel(gettext("Month of the initiative (shade the months each activity runs)"))


def _blank_ratings(ax: Axes) -> None:
    from cdatools.governance import CHARACTERISTIC_LABELS, CHARACTERISTICS

    ax.set_xlim(0.5, 5.5)
    ax.set_ylim(len(CHARACTERISTICS) - 0.5, -0.5)
    ax.set_yticks(
        range(len(CHARACTERISTICS)), [gettext(CHARACTERISTIC_LABELS[c]) for c in CHARACTERISTICS]
    )
    weak, strong = gettext("very weak"), gettext("very strong")
    ax.set_xticks(range(1, 6), [f"1\n{weak}", "2", "3", "4", f"5\n{strong}"])
    for row in range(len(CHARACTERISTICS)):
        for score in range(1, 6):
            ax.plot(score, row, marker="o", markersize=14, fillstyle="none", color="0.3")
    ax.set_xlabel(gettext("Circle one score per characteristic for one stakeholder group"))


def _blank_network(ax: Axes) -> None:
    ax.set_xticks([])
    ax.set_yticks([])
    ax.text(
        0.5,
        0.5,
        gettext(
            "Draw each stakeholder as a circle with its name,\n"
            "and a line between each pair that trusts each other.\n"
            "Ring the brokers: those who link groups that do not meet otherwise."
        ),
        ha="center",
        va="center",
        color="0.45",
        transform=ax.transAxes,
    )


def _blank_quadrants(x_label: str, y_label: str, labels: tuple[str, str, str, str]):
    def draw(ax: Axes) -> None:
        ax.set_xlim(0.5, 5.5)
        ax.set_ylim(0.5, 5.5)
        ax.set_xticks(range(1, 6))
        ax.set_yticks(range(1, 6))
        ax.axvline(3, color="0.4", linestyle="--")
        ax.axhline(3, color="0.4", linestyle="--")
        ax.grid(color="0.88")
        corners = ((1.75, 4.25), (4.25, 4.25), (1.75, 1.75), (4.25, 1.75))
        for (x, y), label in zip(corners, labels, strict=True):
            ax.text(x, y, gettext(label), ha="center", va="center", color="0.45", fontsize=11)
        ax.set_xlabel(gettext(x_label))
        ax.set_ylabel(gettext(y_label))

    return draw


def _blank_seats(ax: Axes) -> None:
    from cdatools.commission import CATEGORIES, CATEGORY_LABELS

    ax.set_xlim(0, 8)
    ax.set_ylim(len(CATEGORIES) - 0.5, -0.5)
    ax.set_yticks(range(len(CATEGORIES)), [gettext(CATEGORY_LABELS[c]) for c in CATEGORIES])
    ax.set_xticks(range(9))
    ax.grid(axis="x", color="0.8")
    ax.set_xlabel(gettext("Seats on the Commission (shade one box per member)"))


# --------------------------------------------------------------------------- the sheets
KINDS: dict[str, Sheet] = {
    "workplan": Sheet(
        N_("CDA work plan"),
        {
            "activity": N_("Activity"),
            "start_month": N_("Start"),
            "end_month": N_("End"),
            "cda_role": N_("CDA's role"),
            "problems": N_("Problems"),
        },
        (
            N_("Activity"),
            N_("Start month"),
            N_("End month"),
            N_("CDA's role (lead, coordinate, facilitate, support)"),
        ),
        10,
        _blank_gantt,
        N_(
            "List the activities, shade the months each runs, and write how hands-on the CDA is "
            "in each. The exit strategy should start well before the last months."
        ),
    ),
    "governance": Sheet(
        N_("Governance self-assessment"),
        {
            "category": N_("Stakeholder group"),
            "representative": N_("Repr."),
            "responsive": N_("Resp."),
            "strategic": N_("Strat."),
            "legitimate": N_("Legit."),
            "leading_joint_action": N_("Joint action"),
            "self_sustaining": N_("Self-sust."),
            "weakest": N_("Weakest"),
        },
        (
            N_("Stakeholder group"),
            N_("Repr."),
            N_("Resp."),
            N_("Strat."),
            N_("Legit."),
            N_("Joint action"),
            N_("Self-sust."),
        ),
        8,
        _blank_ratings,
        N_(
            "Ask each stakeholder group to score the six characteristics of the governance system "
            "from 1 (very weak) to 5 (very strong), and write the scores in the table."
        ),
    ),
    "trust_map": Sheet(
        N_("Trust map"),
        {
            "stakeholder": N_("Stakeholder"),
            "ties": N_("Ties"),
            "partners": N_("Trusts and is trusted by"),
            "betweenness": N_("Broker score"),
        },
        (N_("Stakeholder"), N_("Trusts and is trusted by"), N_("Ties")),
        14,
        _blank_network,
        N_(
            "Write each stakeholder and whom they trust; count the ties. Stakeholders with no ties "
            "are where bilateral trust building starts."
        ),
    ),
    "joint_actions": Sheet(
        N_("Joint-action priorities"),
        {
            "order": N_("Order"),
            "title": N_("Joint action"),
            "predatory_risk": N_("Risk"),
            "impact": N_("Impact"),
            "effort": N_("Effort"),
            "quadrant": N_("Quadrant"),
            "cost_usd": N_("Cost (USD)"),
            "status": N_("Status"),
        },
        (
            N_("Joint action"),
            N_("Risk of predatory behaviour"),
            N_("Impact 1-5"),
            N_("Effort 1-5"),
            N_("Cost"),
            N_("Months"),
        ),
        12,
        _blank_quadrants(
            N_("Effort (1 low to 5 high)"),
            N_("Impact (1 low to 5 high)"),
            (N_("Fill-ins"), N_("Thankless tasks"), N_("Quick wins?"), N_("Major projects")),
        ),
        N_(
            "Place each proposed action by effort and impact. Start with low-risk actions that are "
            "quick wins: high impact for low effort."
        ),
    ),
    "commission": Sheet(
        N_("Cluster Commission"),
        {
            "seat": N_("Seat"),
            "name": N_("Member"),
            "commission_category": N_("Category (Box 4)"),
        },
        (N_("Seat"), N_("Member"), N_("Organisation"), N_("Category (Box 4)")),
        14,
        _blank_seats,
        N_(
            "Name a member for each seat; every one of the four core categories of Box 4 needs at "
            "least one seat."
        ),
    ),
    "stakeholder_grid": Sheet(
        N_("Stakeholder power/interest grid"),
        {
            "name": N_("Stakeholder"),
            "power": N_("Power"),
            "interest": N_("Interest"),
            "quadrant": N_("Quadrant"),
            "advice": N_("What the CDA does"),
        },
        (
            N_("Stakeholder"),
            N_("Power 1-5"),
            N_("Interest 1-5"),
            N_("Quadrant"),
            N_("What the CDA does"),
        ),
        12,
        _blank_quadrants(
            N_("Interest in the initiative (1 low to 5 high)"),
            N_("Power over the initiative (1 low to 5 high)"),
            (N_("Keep satisfied"), N_("Manage closely"), N_("Monitor"), N_("Keep informed")),
        ),
        N_(
            "Place each stakeholder by interest and power; the quadrant says how closely to "
            "involve them."
        ),
    ),
}

# Page layout, in fractions of the A4 page (from the bottom).
_HEADER = (0.905, 0.975)
_FIGURE = (0.565, 0.895)
_TABLE = (0.285, 0.545)
_NOTES = (0.105, 0.265)
_SIGNATURES = (0.02, 0.095)
_LEFT, _WIDTH = 0.07, 0.86


def _sheet(kind: str) -> Sheet:
    if kind not in KINDS:
        raise ValueError(f"no worksheet for a widget of kind {kind!r}; known: {', '.join(KINDS)}")
    sheet = KINDS[kind]
    # The sheet's words in the language cdatools speaks (they are marked N_ above).
    return dataclasses.replace(
        sheet,
        title=gettext(sheet.title),
        columns={key: gettext(heading) for key, heading in sheet.columns.items()},
        blank_columns=tuple(gettext(heading) for heading in sheet.blank_columns),
        instructions=gettext(sheet.instructions),
        signatures=tuple(gettext(who) for who in sheet.signatures),
    )


def _date_text(date: dt.date | str | None) -> str:
    if date is None:
        return dt.date.today().isoformat()
    if isinstance(date, dt.date):
        return date.isoformat()
    return str(date)


def _cell(value: Any, width: int) -> str:
    if isinstance(value, float):
        text = f"{value:.2f}".rstrip("0").rstrip(".") if value == value else ""
    else:
        text = "" if value is None else str(value)
    text = " ".join(text.replace("_", " ").split()) if not isinstance(value, float) else text
    return textwrap.shorten(text, width=width, placeholder="...") if len(text) > width else text


def _header(fig: Figure, title: str, cluster: str, date: str) -> None:
    top = _HEADER[1]
    fig.text(_LEFT, top, title, fontsize=17, fontweight="bold", va="top")
    shown_cluster = gettext("Cluster: {cluster}").format(cluster=cluster or "_" * 36)
    shown_date = gettext("Date: {date}").format(date=date or "_" * 14)
    meeting = gettext("Meeting: {blank}").format(blank="_" * 8)
    fig.text(_LEFT, top - 0.035, shown_cluster, fontsize=10.5, va="top")
    fig.text(0.53, top - 0.035, shown_date, fontsize=10.5, va="top")
    fig.text(0.76, top - 0.035, meeting, fontsize=10.5, va="top")
    _line(fig, _HEADER[0] - 0.002, color="0.2", linewidth=1.2)


def _line(fig: Figure, y: float, start: float = _LEFT, end: float = _LEFT + _WIDTH, **style: Any):
    """Draw a horizontal line across the page (figure fractions)."""
    from matplotlib.lines import Line2D

    fig.add_artist(Line2D([start, end], [y, y], transform=fig.transFigure, **style))


def _table(
    fig: Figure, headings: list[str], rows: list[list[str]], note: str = "", blank: bool = False
) -> None:
    bottom, top = _TABLE
    ax = fig.add_axes((_LEFT, bottom, _WIDTH, top - bottom))
    ax.axis("off")
    shown = rows or [["" for _ in headings]]
    table = ax.table(
        cellText=shown, colLabels=headings, loc="upper center", cellLoc="left", colLoc="left"
    )
    table.auto_set_font_size(False)
    size = 8 if len(shown) <= 12 else max(5.5, 8 - 0.18 * (len(shown) - 12))
    table.set_fontsize(size)
    height = min(1.0, (len(shown) + 1) * (size + 6) / 72 / ((top - bottom) * A4_INCHES[1]))
    for (row, _), cell in table.get_celld().items():
        cell.set_height(height / (len(shown) + 1))
        cell.set_edgecolor("0.55")
        if row == 0:
            cell.set_text_props(fontweight="bold")
            cell.set_facecolor("0.9")
    widths = [max(len(h), *(len(r[i]) for r in shown)) + 2 for i, h in enumerate(headings)]
    if blank:  # room to write: the first column (a name) widest
        widths = [max(len(h), 12) + (20 if i == 0 else 4) for i, h in enumerate(headings)]
    total = sum(widths)
    for (_, column), cell in table.get_celld().items():
        cell.set_width(widths[column] / total)
    if note:
        ax.text(0, -0.02, note, fontsize=8, va="top", transform=ax.transAxes, color="0.25")


def _notes_and_signatures(fig: Figure, sheet: Sheet, lines: list[str]) -> None:
    bottom, top = _NOTES
    y = top
    if lines:
        said = gettext("What the analysis says")
        fig.text(_LEFT, y, said, fontsize=10, fontweight="bold", va="top")
        y -= 0.016
        wrapped = [part for line in lines for part in textwrap.wrap(line, 118)]
        if len(wrapped) > 6:
            wrapped = [*wrapped[:5], gettext("... (the widget and its CSV export show the rest)")]
        for part in wrapped:
            fig.text(_LEFT, y, part, fontsize=7.5, va="top")
            y -= 0.012
        y -= 0.006
    notes = gettext("Notes and decisions")
    fig.text(_LEFT, y, notes, fontsize=10, fontweight="bold", va="top")
    y -= 0.03
    while y > bottom:
        _line(fig, y, color="0.6", linewidth=0.6)
        y -= 0.024
    agreed = gettext("Agreed by")
    fig.text(_LEFT, _SIGNATURES[1], agreed, fontsize=10, fontweight="bold", va="top")
    width = _WIDTH / len(sheet.signatures)
    for number, who in enumerate(sheet.signatures):
        x = _LEFT + number * width
        _line(fig, _SIGNATURES[0] + 0.03, x, x + width - 0.03, color="0.2", linewidth=0.8)
        signed = gettext("{who}: name, signature").format(who=who)
        fig.text(x, _SIGNATURES[0] + 0.022, signed, fontsize=7.5, va="top")


def _picture(fig: Figure, model: Any, dpi: int = 150) -> None:
    """Place the plan's figure, drawn as the widget draws it, in the figure area."""
    import io

    from matplotlib.image import imread

    buffer = io.BytesIO()
    model.figure().savefig(buffer, format="png", dpi=dpi)
    buffer.seek(0)
    bottom, top = _FIGURE
    ax = fig.add_axes((_LEFT, bottom, _WIDTH, top - bottom))
    ax.imshow(imread(buffer, format="png"), interpolation="lanczos")
    ax.set_anchor("N")
    ax.axis("off")


def _save(fig: Figure, path: str | Path, title: str) -> Path:
    target = Path(path)
    if target.suffix.lower() != ".pdf":
        raise ValueError(f"a worksheet is a PDF file: {str(target)!r} should end in .pdf")
    target.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(target, format="pdf", metadata={"Title": title, "Creator": "cdatools"})
    return target


def _new_page() -> Figure:
    from matplotlib.figure import Figure

    return Figure(figsize=A4_INCHES)


def plan_rows(model: Any, sheet: Sheet) -> tuple[list[str], list[list[str]]]:
    """The plan's table as the worksheet shows it: chosen columns, short text.

    Parameters
    ----------
    model : cdatools.widgets.base.PlanModel
        The widget's model.
    sheet : Sheet
        The worksheet's layout (``KINDS[model.kind]``).

    Returns
    -------
    headings : list of str
    rows : list of list of str
    """
    table: pd.DataFrame = model.table()
    columns = [c for c in sheet.columns if c in table.columns]
    if not columns:
        columns = list(table.columns)[:6]
    width = max(14, 140 // max(1, len(columns)))
    long_text = {"activity", "title", "advice", "partners", "name", "problems", "stakeholder"}
    rows = [
        [_cell(row[c], width * 2 if c in long_text else width) for c in columns]
        for _, row in table.iterrows()
    ]
    return [sheet.columns.get(c, c) for c in columns], rows


def write_worksheet(
    model: Any,
    path: str | Path,
    *,
    cluster: str = "",
    date: dt.date | str | None = None,
    max_rows: int = 22,
) -> Path:
    """Write a widget's plan as a one-page A4 worksheet (PDF).

    Parameters
    ----------
    model : cdatools.widgets.base.PlanModel
        The widget's model (a view's ``.model``).
    path : str or pathlib.Path
        The PDF file to write (ending in ``.pdf``); its folder is created when missing.
    cluster : str, optional
        The cluster's name; left as a line to fill in by hand when empty.
    date : datetime.date or str, optional
        The date printed on the sheet; today when not given.
    max_rows : int, optional
        Rows of the table shown; a note gives the number left out (see the CSV export).

    Returns
    -------
    pathlib.Path
        The path written.

    Raises
    ------
    ValueError
        If the path does not end in ``.pdf`` or the widget has no worksheet layout.
    """
    import matplotlib as mpl

    sheet = _sheet(model.kind)
    date_text = _date_text(date)
    headings, rows = plan_rows(model, sheet)
    note = ""
    if len(rows) > max_rows:
        hidden = len(rows) - max_rows
        note = ngettext(
            "{n} more row is not shown: export the table (CSV) for all.",
            "{n} more rows are not shown: export the table (CSV) for all.",
            hidden,
        ).format(n=hidden)
        rows = rows[:max_rows]
    with mpl.rc_context(PDF_STYLE):
        fig = _new_page()
        _header(fig, sheet.title, cluster.strip(), date_text)
        _picture(fig, model)
        _table(fig, headings, rows, note)
        _notes_and_signatures(fig, sheet, list(model.summary()))
        named = cluster.strip() or gettext("worksheet")
        return _save(fig, path, f"{sheet.title}: {named}, {date_text}")


def write_blank(kind: str, path: str | Path) -> Path:
    """Write a blank one-page A4 worksheet for planning with pen and paper.

    Parameters
    ----------
    kind : str
        The widget's kind: one of :data:`KINDS` (``"workplan"``, ``"governance"``,
        ``"trust_map"``, ``"joint_actions"``, ``"commission"``, ``"stakeholder_grid"``).
    path : str or pathlib.Path
        The PDF file to write (ending in ``.pdf``).

    Returns
    -------
    pathlib.Path
        The path written.
    """
    import matplotlib as mpl

    sheet = _sheet(kind)
    with mpl.rc_context(PDF_STYLE):
        fig = _new_page()
        _header(fig, sheet.title, "", "")
        bottom, top = _FIGURE
        fig.text(_LEFT, top + 0.002, sheet.instructions, fontsize=8.5, va="top", wrap=True)
        ax = fig.add_axes((_LEFT + 0.17, bottom, _WIDTH - 0.19, top - bottom - 0.06))
        sheet.blank_figure(ax)
        headings = list(sheet.blank_columns)
        rows = [["" for _ in headings] for _ in range(sheet.blank_rows)]
        _table(fig, headings, rows, blank=True)
        _notes_and_signatures(fig, sheet, [])
        return _save(fig, path, gettext("{title}: blank worksheet").format(title=sheet.title))


def write_all_blanks(folder: str | Path) -> list[Path]:
    """Write every blank worksheet into ``folder`` as ``<kind>-blank.pdf``; return the paths."""
    return [write_blank(kind, Path(folder) / f"{kind}-blank.pdf") for kind in KINDS]
