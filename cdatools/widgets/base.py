"""The contract every planning widget keeps: a model that saves itself, and a view.

A model (:class:`PlanModel`) holds the trainee's plan in traitlets, saves every change
to ``save_path`` at once and atomically, and restores from it when created again. It
keeps the plans it replaced, so any change can be undone. It runs in plain Python,
with no browser, so it can be tested and scripted.

A view (:class:`PlanView`) shows the model: its controls (left) edit the model, and
the figure and the summary (right) are redrawn from the model after each change.
Messages appear next to the controls, in a live region a screen reader announces;
destructive actions ask first and can be undone; the figure carries a text
alternative built from the summary; and JupyterLab's notebook shortcuts are switched
off inside the widget, so arrow keys and letters act on the controls, not on cells.
"""

from __future__ import annotations

import base64
import csv
import html
import io
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

import ipywidgets
import traitlets

from cdatools.i18n import N_, gettext
from cdatools.widgets.persistence import (
    UnreadableStateError,
    default_save_path,
    read_state,
    set_aside,
    write_state,
)
from cdatools.widgets.text import literal_text

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

STATE_VERSION = 1
RESTORE_ERRORS = (UnreadableStateError, ValueError, KeyError, TypeError, traitlets.TraitError)
#: How many earlier plans a model keeps for Undo.
UNDO_DEPTH = 50
#: How many layouts of a live figure are kept, each with its cached background.
LIVE_LAYOUTS_KEPT = 4


class PlanModel(traitlets.HasTraits):
    """Base class for planning models that save every change.

    Subclasses set ``kind`` and ``state_traits`` and implement :meth:`to_state`,
    :meth:`parse_state`, :meth:`table` and :meth:`draw`.

    Parameters
    ----------
    save_path : str or pathlib.Path, optional
        The JSON file that holds the plan. Defaults to ``my-work/<kind>.json``.
        When it exists, the plan is restored from it; when it cannot be read, it is
        renamed aside (never overwritten) and :attr:`notice` says so.

    Attributes
    ----------
    notice : str
        A message for the trainee (an unreadable save file, for example), or ``""``.
    revision : int
        Counts changes since the model was created; views redraw when it changes.
    missing_glyphs : list of str
        Characters the last drawing could not show with the installed fonts.
    """

    kind: ClassVar[str] = "plan"
    state_traits: ClassVar[tuple[str, ...]] = ()
    figure_size: ClassVar[tuple[float, float]] = (7.0, 4.0)
    #: The figure's name (marked with ``N_``; translated when shown).
    figure_title: ClassVar[str] = N_("Figure")

    notice = traitlets.Unicode("")
    revision = traitlets.Int(0)

    def __init__(self, save_path: str | Path | None = None, **values: Any) -> None:
        super().__init__(**values)
        self.save_path = Path(save_path) if save_path is not None else default_save_path(self.kind)
        self.missing_glyphs: list[str] = []
        self._history: list[dict[str, Any]] = []
        self._undoing = False
        self._restore()
        self._saved_state = self.state
        self.observe(self._changed, names=list(self.state_traits))

    # ----------------------------------------------------------------- subclass API
    def to_state(self) -> dict[str, Any]:
        """The plan's content as JSON-serialisable values (without kind and version)."""
        raise NotImplementedError

    def parse_state(self, state: dict[str, Any]) -> dict[str, Any]:
        """Check a saved state and return the trait values it sets.

        Raises ``ValueError`` naming what is wrong; must not change the model.
        """
        raise NotImplementedError

    def table(self) -> pd.DataFrame:
        """The plan as a table, as written by :meth:`export_csv`."""
        raise NotImplementedError

    def draw(self, ax: Axes) -> Axes:
        """Draw the plan's figure on ``ax`` and return it."""
        raise NotImplementedError

    def summary(self) -> list[str]:
        """The analysis in plain sentences, shown beside the figure."""
        return []

    # ----------------------------------------------------------------- the contract
    @property
    def state(self) -> dict[str, Any]:
        """The whole plan as a JSON-serialisable dict, as saved to ``save_path``."""
        return {"kind": self.kind, "version": STATE_VERSION, **self.to_state()}

    def save(self) -> None:
        """Write the state to ``save_path`` atomically (done after every change)."""
        write_state(self.save_path, self.state)

    @property
    def can_undo(self) -> bool:
        """Whether there is an earlier plan to go back to."""
        return bool(self._history)

    def undo(self) -> None:
        """Go back to the plan as it was before the last change (and save it).

        Raises
        ------
        ValueError
            If there is no earlier plan in this session.
        """
        if not self._history:
            raise ValueError(gettext("there is nothing to undo"))
        earlier = self._history.pop()
        values = self.parse_state(earlier)
        self._undoing = True
        try:
            with self.hold_trait_notifications():
                for name, value in values.items():
                    setattr(self, name, value)
        finally:
            self._undoing = False

    def export_csv(self, path: str | Path) -> Path:
        """Write the plan as a CSV table to take to a meeting.

        Parameters
        ----------
        path : str or pathlib.Path
            The CSV file to write; its folder is created when missing.

        Returns
        -------
        pathlib.Path
            The path written.
        """
        target = Path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        table = self.table()
        # A lone carriage return pasted into a text is not quoted by the csv module when
        # rows end in "\n", and readers then end the row there: quote every text cell.
        pasted_return = any("\r" in str(value) for value in table.to_numpy().ravel())
        quoting = csv.QUOTE_NONNUMERIC if pasted_return else csv.QUOTE_MINIMAL
        table.to_csv(target, index=False, lineterminator="\n", quoting=quoting)
        return target

    def populate(self, fig: Figure) -> None:
        """Add the plan's axes to ``fig`` and draw on them (one Axes by default)."""
        self.draw(fig.add_subplot())

    def layout_key(self) -> object:
        """What the figure's layout depends on; the live figure re-lays out when it changes.

        By default the whole plan, so the layout is never reused for different text.
        """
        import json

        return json.dumps(self.to_state(), sort_keys=True)

    def figure(self) -> Figure:
        """A new matplotlib figure of the plan (not attached to pyplot); text is literal."""
        from matplotlib.figure import Figure

        with literal_text(self.missing_glyphs):
            fig = Figure(figsize=self.figure_size, layout="constrained")
            self.populate(fig)
        return fig

    def _render(self, fig: Figure, dpi: int, *, quick: bool = False) -> bytes:
        buffer = io.BytesIO()
        options = {"pil_kwargs": {"compress_level": 1}} if quick else {}
        with literal_text(self.missing_glyphs):
            fig.savefig(buffer, format="png", dpi=dpi, **options)
        return buffer.getvalue()

    def quick_artists(self, fig: Figure) -> list | None:
        """The artists that change while :meth:`layout_key` stays the same, or None.

        A model that returns them (and implements :meth:`update_quick`) is redrawn
        by drawing only those artists over a cached picture of everything else.
        """
        return None

    def update_quick(self, fig: Figure, artists: list) -> None:
        """Bring the artists from :meth:`quick_artists` up to date with the plan."""
        raise NotImplementedError

    def png(self, dpi: int = 100) -> bytes:
        """The figure as PNG bytes, drawn quickly for a live view.

        The first drawing lays the figure out with matplotlib's constrained layout;
        later drawings reuse the axes' positions while :meth:`layout_key` stays the
        same, which saves about a third of the time of each redraw.
        """
        from matplotlib.figure import Figure

        self.missing_glyphs = []
        key = (dpi, self.layout_key())
        # A few layouts are kept, so a change back and forth across a layout change (an
        # activity moved past the project's end, say) is redrawn quickly both ways.
        kept = self.__dict__.setdefault("_live_figures", {})
        live = kept.pop(key, None)
        if live is not None:
            kept[key] = live
            self.missing_glyphs = list(live.missing_glyphs)
            return live.render(self)
        if type(self).quick_artists is not PlanModel.quick_artists:
            live = _LiveFigure(self, key, dpi)
            if live.artists is not None:
                while len(kept) >= LIVE_LAYOUTS_KEPT:
                    kept.pop(next(iter(kept)))
                kept[key] = live
                return live.render(self, first=True)
        frozen = getattr(self, "_frozen_layout", None)
        if frozen is not None and frozen[0] == key:
            with literal_text(self.missing_glyphs):
                fig = Figure(figsize=self.figure_size)
                self.populate(fig)
            if len(fig.axes) == len(frozen[1]):
                for axes, position in zip(fig.axes, frozen[1], strict=True):
                    axes.set_position(position)
                return self._render(fig, dpi, quick=True)
        fig = self.figure()
        picture = self._render(fig, dpi, quick=True)
        self._frozen_layout = (key, [axes.get_position() for axes in fig.axes])
        return picture

    def save_png(self, path: str | Path, dpi: int = 150) -> Path:
        """Save the figure as a PNG file and return its path."""
        target = Path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        self.missing_glyphs = []
        picture = self._render(self.figure(), dpi)
        target.write_bytes(picture)
        return target

    def text_alternative(self, summary: list[str] | None = None) -> str:
        """What the figure shows, in words, for people who cannot see it.

        Built from :meth:`summary` (pass it when already worked out, to save time).
        """
        lines = self.summary() if summary is None else summary
        return f"{gettext(self.figure_title)}. " + " ".join(lines)

    def save_pdf(self, path: str | Path, *, cluster: str = "", date: Any = None) -> Path:
        """Write the plan as a one-page A4 worksheet (PDF) to take to a meeting.

        The page has a title, the cluster and the date, the plan's figure and table,
        what the analysis says, and space for notes and signatures; see
        :func:`cdatools.worksheets.write_worksheet` (and ``write_blank`` for a blank one).

        Parameters
        ----------
        path : str or pathlib.Path
            The PDF file to write (ending in ``.pdf``); its folder is created when missing.
        cluster : str, optional
            The cluster's name; a line to fill in by hand when empty.
        date : datetime.date or str, optional
            The date on the sheet; today when not given.

        Returns
        -------
        pathlib.Path
            The path written.
        """
        from cdatools.worksheets import write_worksheet

        return write_worksheet(self, path, cluster=cluster, date=date)

    # ----------------------------------------------------------------- internals
    def _restore(self) -> None:
        try:
            saved = read_state(self.save_path, self.kind)
            if saved is None:
                return
            values = self.parse_state(saved)
        except RESTORE_ERRORS as error:
            kept = set_aside(self.save_path)
            self.notice = gettext(
                "Your saved work in {path} could not be read ({error}). "
                "The file was kept, unchanged, as {kept}, "
                "and this tool started from its default plan."
            ).format(path=self.save_path, error=error, kept=kept.name)
            return
        with self.hold_trait_notifications():
            for name, value in values.items():
                setattr(self, name, value)

    def _changed(self, change: dict[str, Any]) -> None:
        state = self.state
        if state == self._saved_state:
            return
        if not self._undoing:
            self._history.append(self._saved_state)
            del self._history[:-UNDO_DEPTH]
        self.save()
        self._saved_state = state
        self.revision += 1


class _LiveFigure:
    """A model's figure kept between redraws, with its changing artists drawn apart."""

    def __init__(self, model: PlanModel, key: object, dpi: int) -> None:
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        self.key = key
        self.figure = model.figure()
        self.figure.set_dpi(dpi)
        self.canvas = FigureCanvasAgg(self.figure)
        engine = self.figure.get_layout_engine()
        with literal_text(model.missing_glyphs):
            if engine is None:
                self.canvas.draw()
            else:  # lay the axes out once, without drawing the whole figure first
                engine.execute(self.figure)
        self.figure.set_layout_engine("none")
        self.artists = model.quick_artists(self.figure)
        if self.artists is None:  # no quick path: the caller draws the figure itself
            return
        # The background holds everything but these artists. Animated artists are left
        # out of a figure's drawing, but not always by their parents (an axis draws its
        # label whatever it is), so they are also hidden while the background is drawn.
        shown = [artist for _, artist in self.artists if artist.get_visible()]
        for _, artist in self.artists:
            artist.set_animated(True)
            artist.set_visible(False)
        with literal_text(model.missing_glyphs):
            self.canvas.draw()
        self.background = self.canvas.copy_from_bbox(self.figure.bbox)
        for artist in shown:
            artist.set_visible(True)
        #: Characters the fonts lacked when the still parts were drawn.
        self.missing_glyphs = list(model.missing_glyphs)

    def render(self, model: PlanModel, *, first: bool = False) -> bytes:
        from PIL import Image

        if not first:
            model.update_quick(self.figure, self.artists)
        self.canvas.restore_region(self.background)
        with literal_text(model.missing_glyphs):
            for axes, artist in self.artists:
                axes.draw_artist(artist)
        width, height = self.canvas.get_width_height()
        picture = Image.frombuffer("RGBA", (width, height), self.canvas.buffer_rgba(), "raw")
        buffer = io.BytesIO()
        picture.save(buffer, format="PNG", compress_level=1)
        return buffer.getvalue()


#: Runs once in the browser for each view (through a hidden Output widget): it turns
#: JupyterLab's notebook shortcuts off inside the widget with the attribute Lumino
#: provides for that (``data-lm-suppress-shortcuts``, lumino pull request 15), on the
#: widget and on each of its controls, names slider handles and
#: other controls from their tooltips, makes the status line a polite live region and
#: exposes toggle buttons' state. It only sets attributes; it sends nothing anywhere.
ENHANCE_JS = r"""
(function () {
  var tries = 0;
  function start() {
    var root = element.closest ? element.closest('.cda-widget') : null;
    if (!root) { if (tries++ < 200) { setTimeout(start, 50); } return; }
    if (root.getAttribute('data-cda-ready')) { return; }
    root.setAttribute('data-cda-ready', '1');
    root.setAttribute('data-lm-suppress-shortcuts', 'true');
    function clean(text) {  // the text of an escaped HTML description, never run as HTML
      if (text.indexOf('<') < 0) { return text; }
      return new DOMParser().parseFromString(text, 'text/html').body.textContent || '';
    }
    function set(node, name, value) {
      if (node && node.getAttribute(name) !== value) { node.setAttribute(name, value); }
    }
    function apply() {
      // Lumino matches a shortcut's selector on the focused element itself before it
      // looks for the attribute further up, so every control carries it too.
      root.querySelectorAll('select, input, textarea, button, [tabindex]').forEach(function (c) {
        set(c, 'data-lm-suppress-shortcuts', 'true');
      });
      root.querySelectorAll('.cda-named').forEach(function (w) {
        var label = w.querySelector(':scope > .widget-label');
        var control = w.matches('button') ? w
          : w.querySelector('select, input, textarea, button');
        var name = clean((label && label.title) || w.getAttribute('title')
          || (control && control.getAttribute('title')) || '').trim();
        if (!name) { return; }
        if (control && (control.getAttribute('title') || '').indexOf('<') >= 0) {
          set(control, 'title', name);  // a check box copies its HTML description here
        }
        var handles = w.querySelectorAll('.noUi-handle');
        if (handles.length === 2) {
          set(handles[0], 'aria-label', name + ': start');
          set(handles[1], 'aria-label', name + ': end');
        } else if (handles.length === 1) {
          set(handles[0], 'aria-label', name);
        } else {
          set(control, 'aria-label', name);
        }
      });
      root.querySelectorAll('.cda-status > .widget-html-content').forEach(function (c) {
        set(c, 'role', 'status');
        set(c, 'aria-live', 'polite');
        set(c, 'aria-atomic', 'true');
      });
      root.querySelectorAll('.widget-toggle-button').forEach(function (b) {
        set(b, 'aria-pressed', b.classList.contains('mod-active') ? 'true' : 'false');
      });
    }
    new MutationObserver(apply).observe(root, {
      subtree: true, childList: true, attributes: true, attributeFilter: ['class', 'title']
    });
    apply();
  }
  start();
})();
"""

CONTROLS_WIDTH = "440px"


def _enhance_js() -> str:
    """:data:`ENHANCE_JS` with the range handles' names in the trainee's language."""
    import json

    return ENHANCE_JS.replace("': start'", json.dumps(": " + gettext("start"))).replace(
        "': end'", json.dumps(": " + gettext("end"))
    )


def named(widget: ipywidgets.DOMWidget, name: str) -> ipywidgets.DOMWidget:
    """Give a control an accessible name (its tooltip, read by screen readers) and return it."""
    widget.tooltip = name
    widget.add_class("cda-named")
    if isinstance(widget, ipywidgets.Button) and widget.layout.width is None:
        widget.layout.width = "auto"  # the whole label shows, never cut off
    return widget


def escaped_description(text: str) -> str:
    """A widget description that shows ``text`` exactly (no HTML, no mathematics).

    Descriptions are typeset in JupyterLab, so ``$...$`` would become mathematics; this
    escapes the text and marks it for MathJax to leave alone. Use it with
    ``description_allow_html=True``.
    """
    return f"<span class='mathjax_ignore'>{html.escape(text)}</span>"


def read_only_readout(slider: ipywidgets.Widget, unit: str = "") -> ipywidgets.Widget:
    """Show a slider's value in its label instead of an editable readout, and return it.

    ipywidgets' readout can be typed into, and a typed number outside the range is
    clamped without a word; here the value changes with the arrow keys or the mouse
    only, so no value is ever corrected silently.
    """
    slider.readout = False
    base = slider.description

    def show(change: dict[str, Any]) -> None:
        value = change["new"]
        shown = f"{value[0]}-{value[1]}" if isinstance(value, tuple) else str(value)
        slider.description = f"{base}: {shown}{unit}"

    slider.observe(show, "value")
    show({"new": slider.value})
    return slider


class PlanView(ipywidgets.VBox):
    """Base class for the ipywidgets view of a :class:`PlanModel`.

    A concrete view creates its model, builds its controls (calling :meth:`_setup`
    first for the status line), calls ``super().__init__()`` and then
    :meth:`_assemble`. The view shows a notice line, the controls with their messages
    on the left, the figure and a plain-text summary on the right, and export buttons;
    it redraws the figure and summary whenever the model's revision changes.
    """

    model: PlanModel

    def _setup(self) -> None:
        """Create the status line and the confirmation bar (before the controls)."""
        self._status = ipywidgets.HTML(layout=ipywidgets.Layout(min_height="1.6em"))
        self._status.add_class("cda-status")
        self._confirm_text = ipywidgets.HTML()
        self._confirm_yes = ipywidgets.Button(button_style="danger")
        self._confirm_no = named(
            ipywidgets.Button(description=gettext("Cancel")),
            gettext("Cancel: keep everything as it is"),
        )
        self._confirm_yes.on_click(lambda _: self._answer(True))
        self._confirm_no.on_click(lambda _: self._answer(False))
        self._confirm_bar = ipywidgets.VBox(
            [self._confirm_text, ipywidgets.HBox([self._confirm_yes, self._confirm_no])],
            layout=ipywidgets.Layout(display="none", border="2px solid #B33C00", padding="4px"),
        )
        self._pending: Callable[[], None] | None = None
        self._undo = named(
            ipywidgets.Button(
                description=gettext("Undo last change"),
                icon="undo",
                disabled=True,
                layout=ipywidgets.Layout(width="auto"),
            ),
            gettext("Undo the last change to this plan"),
        )
        self._undo.on_click(lambda _: self._undo_clicked())

    # ----------------------------------------------------------------- the contract
    @property
    def state(self) -> dict[str, Any]:
        """The model's state (see :attr:`PlanModel.state`)."""
        return self.model.state

    @property
    def save_path(self) -> Path:
        """Where the model saves its state."""
        return self.model.save_path

    def export_csv(self, path: str | Path) -> Path:
        """Write the plan as a CSV table (see :meth:`PlanModel.export_csv`)."""
        return self.model.export_csv(path)

    def save_png(self, path: str | Path, dpi: int = 150) -> Path:
        """Save the figure as PNG (see :meth:`PlanModel.save_png`)."""
        return self.model.save_png(path, dpi=dpi)

    def save_pdf(self, path: str | Path, *, cluster: str = "", date: Any = None) -> Path:
        """Write a one-page A4 worksheet (PDF) of the plan (see :meth:`PlanModel.save_pdf`)."""
        return self.model.save_pdf(path, cluster=cluster, date=date)

    # ----------------------------------------------------------------- messages
    def _say(self, message: str, kind: str = "info") -> None:
        """Show a message next to the controls (announced by screen readers)."""
        if not message:
            self._status.value = ""
            return
        marks = {
            "error": (gettext("Not done"), "#9E2A00"),
            "done": (gettext("Done"), "#1B5E20"),
        }
        head, colour = marks.get(kind, ("", "#1F1F1F"))
        prefix = f"<b>{head}:</b> " if head else ""
        self._status.value = (
            f"<div style='color:{colour};white-space:normal;overflow-wrap:anywhere'>"
            f"{prefix}{html.escape(message)}</div>"
        )

    def _act(self, action: Callable[..., Any], *args: Any, done: str = "") -> bool:
        """Run an edit; show its error next to the controls instead of raising."""
        try:
            action(*args)
        except (ValueError, traitlets.TraitError) as error:
            self._say(str(error), "error")
            return False
        self._say(done, "done" if done else "info")
        return True

    def _ask(self, question: str, yes: str, action: Callable[[], None]) -> None:
        """Ask before a destructive action; ``action`` runs only after *yes*."""
        self._pending = action
        self._confirm_text.value = f"<b>{html.escape(question)}</b>"
        self._confirm_yes.description = yes
        self._confirm_yes.tooltip = f"{yes}: {question}"
        self._confirm_bar.layout.display = "flex"
        self._confirm_no.focus()

    def _answer(self, yes: bool) -> None:
        action, self._pending = self._pending, None
        self._confirm_bar.layout.display = "none"
        if not yes or action is None:
            self._say(gettext("Cancelled: nothing was changed."))
            return
        action()

    def _undo_clicked(self) -> None:
        if self._act(self.model.undo, done=gettext("Undone: the plan is back as it was before.")):
            self._after_undo()

    def _after_undo(self) -> None:
        """Bring controls that are not linked to the model back in step (subclasses)."""

    # ----------------------------------------------------------------- layout
    def _assemble(self, title: str, controls: Iterable[ipywidgets.Widget]) -> None:
        self.add_class("cda-widget")
        self._notice = ipywidgets.HTML(layout=ipywidgets.Layout(margin="0 0 6px 0"))
        self._figure = ipywidgets.HTML(layout=ipywidgets.Layout(width="100%"))
        self._summary = ipywidgets.HTML(layout=ipywidgets.Layout(width="100%"))
        self._summary.add_class("cda-summary")
        self._png = b""
        self._export_name = named(
            ipywidgets.Text(
                value=str(self.model.save_path.with_suffix("")),
                description=gettext("File name"),
                style={"description_width": "initial"},
                layout=ipywidgets.Layout(width="100%"),
            ),
            gettext("File name for the exported {title} (without .csv or .png)").format(
                title=title
            ),
        )
        export_csv = named(
            ipywidgets.Button(
                description=gettext("Export table (CSV)"),
                icon="table",
                layout=ipywidgets.Layout(width="auto"),
            ),
            gettext("Export table (CSV) of the {title}").format(title=title),
        )
        export_png = named(
            ipywidgets.Button(
                description=gettext("Save figure (PNG)"),
                icon="image",
                layout=ipywidgets.Layout(width="auto"),
            ),
            gettext("Save figure (PNG) of the {title}").format(title=title),
        )
        export_csv.on_click(lambda _: self._export("csv"))
        export_png.on_click(lambda _: self._export("png"))
        self._export_status = ipywidgets.HTML()
        self._export_status.add_class("cda-status")
        enhance = ipywidgets.Output(layout=ipywidgets.Layout(display="none"))
        enhance.outputs = (
            {
                "output_type": "display_data",
                "data": {"application/javascript": _enhance_js(), "text/plain": ""},
                "metadata": {},
            },
        )
        left = ipywidgets.VBox(
            [*controls, self._status, self._confirm_bar, self._undo],
            layout=ipywidgets.Layout(width=CONTROLS_WIDTH, min_width="320px", margin="0 12px 0 0"),
        )
        right = ipywidgets.VBox(
            [
                self._figure,
                self._summary,
                self._export_name,
                ipywidgets.HBox([export_csv, export_png], layout={"flex_flow": "row wrap"}),
                self._export_status,
            ],
            layout=ipywidgets.Layout(flex="1 1 380px", max_width="640px", min_width="300px"),
        )
        self.children = [
            ipywidgets.HTML(f"<h3 style='margin:4px 0'>{html.escape(title)}</h3>"),
            self._notice,
            ipywidgets.HBox([left, right], layout=ipywidgets.Layout(flex_flow="row wrap")),
            enhance,
        ]
        self.model.observe(self._refresh, names=["revision"])
        self.model.observe(self._show_notice, names=["notice"])
        self._show_notice()
        self._refresh()

    def _show_notice(self, change: dict[str, Any] | None = None) -> None:
        text = self.model.notice
        label = html.escape(gettext("Notice:"))
        self._notice.value = (
            f"<div role='alert' style='border:2px solid #B33C00;padding:6px'>"
            f"<b>{label}</b> {html.escape(text)}</div>"
            if text
            else ""
        )

    def _refresh(self, change: dict[str, Any] | None = None) -> None:
        self._undo.disabled = not self.model.can_undo
        try:
            lines = self.model.summary()
            alt = self.model.text_alternative(lines)
        except Exception as error:  # the plan is saved; say so rather than break the widget
            lines = [
                gettext("The summary could not be worked out ({error}).").format(
                    error=f"{type(error).__name__}: {error}"
                )
            ]
            alt = gettext(self.model.figure_title)
        try:
            self._png = self.model.png()
        except Exception as error:  # a figure that cannot be drawn must not stop the tool
            self._png = b""
            label = html.escape(gettext("The figure could not be drawn"), quote=True)
            text = gettext(
                "The figure could not be drawn ({error}). Your plan is saved, and the table "
                "export still works."
            ).format(error=f"{type(error).__name__}: {error}")
            self._figure.value = (
                f"<div role='img' aria-label='{label}' "
                f"style='border:2px dashed #595959;padding:12px'>{html.escape(text)}</div>"
            )
        else:
            encoded = base64.b64encode(self._png).decode("ascii")
            self._figure.value = (
                f"<img src='data:image/png;base64,{encoded}' alt='{html.escape(alt, quote=True)}'"
                " style='max-width:100%;height:auto;display:block'>"
            )
            if self.model.missing_glyphs:
                shown = " ".join(list(dict.fromkeys(self.model.missing_glyphs))[:12])
                lines = [
                    *lines,
                    gettext(
                        "Some characters cannot be drawn with the fonts on this computer and "
                        "show as empty boxes in the figure ({characters}); the table and the CSV "
                        "keep them as typed."
                    ).format(characters=shown),
                ]
        self._summary.value = (
            "<ul style='margin:4px 0;padding-left:20px'>"
            + "".join(f"<li>{html.escape(line)}</li>" for line in lines)
            + "</ul>"
            if lines
            else ""
        )

    def _export(self, what: str) -> None:
        base = Path(self._export_name.value.strip() or self.model.kind)
        not_saved = f"<b>{html.escape(gettext('Not saved:'))}</b> "
        try:
            if what == "csv":
                written = self.model.export_csv(base.with_suffix(".csv"))
            else:
                written = self.model.save_png(base.with_suffix(".png"))
        except OSError as error:
            self._export_status.value = not_saved + html.escape(str(error))
        except Exception as error:  # a figure that cannot be drawn: say so, keep working
            self._export_status.value = not_saved + html.escape(
                gettext("the figure could not be drawn ({error}).").format(error=error)
            )
        else:
            self._export_status.value = html.escape(gettext("Saved {path}").format(path=written))
