"""The contract every planning widget keeps: a model that saves itself, and a view.

A model (:class:`PlanModel`) holds the trainee's plan in traitlets, saves every change
to ``save_path`` at once and atomically, and restores from it when created again. It
runs in plain Python, with no browser, so it can be tested and scripted.

A view (:class:`PlanView`) shows the model: its controls edit the model, and the
figure, the summary and any notice are redrawn from the model after each change.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

import ipywidgets
import traitlets

from cdatools.widgets.persistence import (
    UnreadableStateError,
    default_save_path,
    read_state,
    set_aside,
    write_state,
)

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

STATE_VERSION = 1
RESTORE_ERRORS = (UnreadableStateError, ValueError, KeyError, TypeError, traitlets.TraitError)


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
    """

    kind: ClassVar[str] = "plan"
    state_traits: ClassVar[tuple[str, ...]] = ()
    figure_size: ClassVar[tuple[float, float]] = (7.0, 4.0)

    notice = traitlets.Unicode("")
    revision = traitlets.Int(0)

    def __init__(self, save_path: str | Path | None = None, **values: Any) -> None:
        super().__init__(**values)
        self.save_path = Path(save_path) if save_path is not None else default_save_path(self.kind)
        self._restore()
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
        self.table().to_csv(target, index=False, lineterminator="\n")
        return target

    def populate(self, fig: Figure) -> None:
        """Add the plan's axes to ``fig`` and draw on them (one Axes by default)."""
        self.draw(fig.add_subplot())

    def layout_key(self) -> object:
        """What the figure's layout depends on; the live figure re-lays out when it changes."""
        return None

    def figure(self) -> Figure:
        """A new matplotlib figure of the plan (not attached to pyplot)."""
        from matplotlib.figure import Figure

        fig = Figure(figsize=self.figure_size, layout="constrained")
        self.populate(fig)
        return fig

    def png(self, dpi: int = 100) -> bytes:
        """The figure as PNG bytes, drawn quickly for a live view.

        The first drawing lays the figure out with matplotlib's constrained layout;
        later drawings reuse the axes' positions while :meth:`layout_key` stays the
        same, which saves about a third of the time of each redraw.
        """
        from matplotlib.figure import Figure

        key = (dpi, self.layout_key())
        frozen = getattr(self, "_frozen_layout", None)
        buffer = io.BytesIO()
        if frozen is not None and frozen[0] == key:
            fig = Figure(figsize=self.figure_size)
            self.populate(fig)
            if len(fig.axes) == len(frozen[1]):
                for axes, position in zip(fig.axes, frozen[1], strict=True):
                    axes.set_position(position)
                fig.savefig(buffer, format="png", dpi=dpi)
                return buffer.getvalue()
        fig = self.figure()
        fig.savefig(buffer, format="png", dpi=dpi)
        self._frozen_layout = (key, [axes.get_position() for axes in fig.axes])
        return buffer.getvalue()

    def save_png(self, path: str | Path, dpi: int = 150) -> Path:
        """Save the figure as a PNG file and return its path."""
        target = Path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        buffer = io.BytesIO()
        self.figure().savefig(buffer, format="png", dpi=dpi)
        target.write_bytes(buffer.getvalue())
        return target

    # ----------------------------------------------------------------- internals
    def _restore(self) -> None:
        try:
            saved = read_state(self.save_path, self.kind)
            if saved is None:
                return
            values = self.parse_state(saved)
        except RESTORE_ERRORS as error:
            kept = set_aside(self.save_path)
            self.notice = (
                f"Your saved work in {self.save_path} could not be read ({error}). "
                f"The file was kept, unchanged, as {kept.name}, "
                "and this tool started from its default plan."
            )
            return
        with self.hold_trait_notifications():
            for name, value in values.items():
                setattr(self, name, value)

    def _changed(self, change: dict[str, Any]) -> None:
        self.save()
        self.revision += 1


class PlanView(ipywidgets.VBox):
    """Base class for the ipywidgets view of a :class:`PlanModel`.

    A concrete view creates its model, builds its controls, calls
    ``super().__init__()`` and then :meth:`_assemble`. The view shows a notice line, the
    controls, the figure (a PNG image), a plain-text summary and export buttons, and
    redraws the figure and summary whenever the model's revision changes.
    """

    model: PlanModel

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

    def _assemble(self, title: str, controls: Iterable[ipywidgets.Widget]) -> None:
        self._notice = ipywidgets.HTML(layout=ipywidgets.Layout(margin="0 0 6px 0"))
        self._image = ipywidgets.Image(format="png", layout=ipywidgets.Layout(max_width="760px"))
        self._summary = ipywidgets.HTML()
        self._export_name = ipywidgets.Text(
            value=str(self.model.save_path.with_suffix("")),
            description="File name",
            description_allow_html=False,
            tooltip="Name for the exported files, without the .csv or .png ending",
            style={"description_width": "initial"},
        )
        export_csv = ipywidgets.Button(
            description="Export table (CSV)",
            tooltip="Write the plan as a CSV table you can open in a spreadsheet",
            icon="table",
            layout=ipywidgets.Layout(width="auto"),
        )
        export_png = ipywidgets.Button(
            description="Save figure (PNG)",
            tooltip="Save the figure as a PNG picture",
            icon="image",
            layout=ipywidgets.Layout(width="auto"),
        )
        export_csv.on_click(lambda _: self._export("csv"))
        export_png.on_click(lambda _: self._export("png"))
        self._export_status = ipywidgets.Label()
        self.children = [
            ipywidgets.HTML(f"<h3>{title}</h3>"),
            self._notice,
            *controls,
            self._image,
            self._summary,
            ipywidgets.HBox([self._export_name, export_csv, export_png]),
            self._export_status,
        ]
        self.model.observe(self._refresh, names=["revision"])
        self.model.observe(self._show_notice, names=["notice"])
        self._show_notice()
        self._refresh()

    def _show_notice(self, change: dict[str, Any] | None = None) -> None:
        import html

        text = self.model.notice
        self._notice.value = (
            f"<div role='alert' style='border:2px solid #D55E00;padding:6px'>"
            f"<b>Notice:</b> {html.escape(text)}</div>"
            if text
            else ""
        )

    def _refresh(self, change: dict[str, Any] | None = None) -> None:
        import html

        self._image.value = self.model.png()
        lines = self.model.summary()
        self._summary.value = (
            "<ul>" + "".join(f"<li>{html.escape(line)}</li>" for line in lines) + "</ul>"
            if lines
            else ""
        )

    def _export(self, what: str) -> None:
        base = Path(self._export_name.value.strip() or self.model.kind)
        try:
            if what == "csv":
                written = self.model.export_csv(base.with_suffix(".csv"))
            else:
                written = self.model.save_png(base.with_suffix(".png"))
        except OSError as error:
            self._export_status.value = f"Could not write the file: {error}"
        else:
            self._export_status.value = f"Saved {written}"
