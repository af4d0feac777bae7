"""The save-and-restore contract shared by all planning widgets."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pandas as pd
import pytest
import traitlets

from cdatools.widgets.base import PlanModel
from cdatools.widgets.persistence import (
    UnreadableStateError,
    default_save_path,
    read_state,
    set_aside,
    write_state,
)


class TallyModel(PlanModel):
    """A minimal plan: named counts."""

    kind = "tally"
    state_traits = ("counts",)
    counts = traitlets.Dict()

    def to_state(self):
        return {"counts": dict(self.counts)}

    def parse_state(self, state):
        counts = state["counts"]
        if not isinstance(counts, dict) or not all(isinstance(v, int) for v in counts.values()):
            raise ValueError(f"'counts' must map names to whole numbers, not {counts!r}")
        return {"counts": counts}

    def table(self):
        return pd.DataFrame({"name": list(self.counts), "count": list(self.counts.values())})

    def draw(self, ax):
        ax.bar(list(self.counts), list(self.counts.values()))
        return ax


def test_every_change_is_saved_at_once(tmp_path):
    path = tmp_path / "work" / "tally.json"
    model = TallyModel(save_path=path)
    assert not path.exists(), "creating a model must not write anything"
    model.counts = {"meetings": 2}
    saved = json.loads(path.read_text())
    assert saved == {"kind": "tally", "version": 1, "counts": {"meetings": 2}}
    model.counts = {"meetings": 3}
    assert json.loads(path.read_text())["counts"] == {"meetings": 3}
    assert model.revision == 2
    assert model.state == json.loads(path.read_text())


def test_a_new_model_restores_the_saved_state(tmp_path):
    path = tmp_path / "tally.json"
    TallyModel(save_path=path).counts = {"visits": 5}
    restored = TallyModel(save_path=path)
    assert restored.counts == {"visits": 5}
    assert restored.notice == ""
    assert restored.revision == 0


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"{not json", "not valid JSON (line 1, column 2"),
        (b"\xff\xfe\x00garbage", "not UTF-8 text (byte 0)"),
        (b"[1, 2]", "holds a JSON list, not an object"),
        (b'{"kind": "workplan", "counts": {}}', "saved by a 'workplan' widget, not a 'tally'"),
        (b'{"kind": "tally", "counts": {"a": "x"}}', "'counts' must map names to whole numbers"),
        (b'{"kind": "tally"}', "'counts'"),
    ],
)
def test_an_unreadable_save_file_is_kept_aside_with_a_notice(tmp_path, content, reason):
    path = tmp_path / "tally.json"
    path.write_bytes(content)
    model = TallyModel(save_path=path)
    kept = sorted(tmp_path.glob("tally.unreadable-*.json"))
    assert len(kept) == 1
    assert kept[0].read_bytes() == content, "the unreadable file must be kept byte for byte"
    assert not path.exists()
    assert reason in model.notice
    assert kept[0].name in model.notice
    assert model.counts == {}
    model.counts = {"a": 1}
    assert kept[0].read_bytes() == content, "saving must not touch the kept file"
    assert json.loads(path.read_text())["counts"] == {"a": 1}


def test_setting_aside_twice_never_overwrites(tmp_path):
    first, second = tmp_path / "tally.json", tmp_path / "tally.json"
    first.write_text("one")
    kept_one = set_aside(first)
    second.write_text("two")
    kept_two = set_aside(second)
    assert kept_one != kept_two
    assert kept_one.read_text() == "one"
    assert kept_two.read_text() == "two"


def test_write_is_atomic_and_leaves_no_temporary_files(tmp_path):
    path = tmp_path / "tally.json"
    write_state(path, {"kind": "tally", "counts": {}})
    with pytest.raises(TypeError):
        write_state(path, {"kind": "tally", "counts": {"bad": object()}})
    assert json.loads(path.read_text()) == {"kind": "tally", "counts": {}}
    assert [p.name for p in tmp_path.iterdir()] == ["tally.json"]


def test_read_state_of_a_missing_file_is_none(tmp_path):
    assert read_state(tmp_path / "nothing.json", "tally") is None


def test_read_state_rejects_another_kind(tmp_path):
    path = tmp_path / "x.json"
    write_state(path, {"kind": "trust_map"})
    with pytest.raises(UnreadableStateError, match="'trust_map' widget"):
        read_state(path, "tally")


def test_default_save_path_follows_the_work_dir_variable(monkeypatch, tmp_path):
    monkeypatch.setenv("CDATOOLS_WORK_DIR", str(tmp_path))
    assert default_save_path("tally") == tmp_path / "tally.json"
    monkeypatch.delenv("CDATOOLS_WORK_DIR")
    assert default_save_path("tally") == Path("my-work") / "tally.json"


def test_export_csv_and_png(tmp_path):
    model = TallyModel(save_path=tmp_path / "tally.json")
    model.counts = {"visits": 4, "meetings": 2}
    csv = model.export_csv(tmp_path / "out" / "tally.csv")
    assert csv.read_text() == "name,count\nvisits,4\nmeetings,2\n"
    png = model.save_png(tmp_path / "out" / "tally.png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert os.path.getsize(png) > 1000
