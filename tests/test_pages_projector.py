"""Projector mode (and the dark theme) on every page that trains, through AppTest: every chart a run draws goes
through ui.look, whose projector restyling once failed on bar charts ("'Marker' object has no attribute 'size'")."""

from pathlib import Path

import pytest
from streamlit.proto.Block_pb2 import Block

from tests.apptest_support import open_page, train_to_the_end

HORIZONTAL = Block.FlexContainer.Direction.HORIZONTAL

SAMPLES = Path(__file__).resolve().parents[1] / "sample_data"


def in_projector_mode(page: str):
    app = open_page(page)
    app.session_state["projector"] = True
    return app.run()


def assert_charts_drawn_without_errors(app, least: int) -> None:
    assert not app.exception and not app.error, [error.value for error in app.error]
    assert len(app.get("plotly_chart")) >= least


@pytest.mark.parametrize(
    ("page", "prefix", "settings", "least"),
    [
        ("pages/lab.py", "lab", {"lab_epochs": 5, "lab_noise": 30}, 4),
        ("pages/playground.py", "play", {"play_epochs": 20}, 2),
        ("pages/data_quality.py", "dq_groups", {"dq_epochs": 10}, 3),
        ("pages/data_quality.py", "dq_noise", {"dq_scenario": "noise", "dq_epochs": 10}, 3),
    ],
    ids=["lab", "playground", "data-quality-groups", "data-quality-noise"],
)
def test_a_run_in_projector_mode_draws_every_chart(page, prefix, settings, least):
    app = in_projector_mode(page)
    for key, value in settings.items():
        app.session_state[key] = value
    app.run()
    train_to_the_end(app, prefix)
    assert_charts_drawn_without_errors(app, least)


def test_your_own_data_in_projector_mode_draws_every_chart():
    app = in_projector_mode("pages/own_data.py")
    raw = (SAMPLES / "loan_repayment.csv").read_bytes()
    app.get("file_uploader")[0].set_value(("loan_repayment.csv", raw, "text/csv")).run()
    app.slider(key="dq_upload_epochs").set_value(10).run()
    train_to_the_end(app, "dq_upload")
    assert_charts_drawn_without_errors(app, 5)


def metric_rows(node) -> list[int]:
    """How many metrics stand side by side in each row under `node` (rows that hold any): a row of columns, or a
    horizontal container of places (ui.look.metric_cells out of projector mode, a row that wraps)."""
    children = list(getattr(node, "children", {}).values())
    places = children if _horizontal(node) else [child for child in children if child.type == "column"]
    beside = sum(1 for place in places for cell in getattr(place, "children", {}).values() if cell.type == "metric")
    return ([beside] if beside else []) + [count for child in children for count in metric_rows(child)]


def _horizontal(node) -> bool:
    proto = getattr(node, "proto", None)
    if not isinstance(proto, Block) or not proto.HasField("flex_container"):
        return False
    return proto.flex_container.direction == HORIZONTAL


def test_the_labs_four_numbers_stand_two_to_a_row_on_a_projector():
    """Four large numbers beside each other broke Dutch labels mid-word and touched each other at 1280 pixels; out
    of projector mode they stand in one row, which wraps in the browser where they do not fit."""
    app = open_page("pages/lab.py")
    app.session_state["lab_epochs"] = 5
    train_to_the_end(app)
    assert metric_rows(app._tree) == [4]
    app.session_state["projector"] = True
    app.run()
    assert metric_rows(app._tree) == [2, 2]


def test_the_playgrounds_plane_key_is_full_size_text_in_projector_mode():
    """With no legend, the line under the plane is its only key: not a small grey caption on a projector."""
    app = in_projector_mode("pages/playground.py")
    assert any(block.value.startswith("Dots: training points") for block in app.markdown)
    assert not any(caption.value.startswith("Dots: training points") for caption in app.caption)
