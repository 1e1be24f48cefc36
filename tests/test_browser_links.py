"""An exercise link in a real browser: a teacher's hand-typed link sets the lab's controls (a learning rate
typed as 5e-2), hides the optimizer and the seed, and the run the student starts uses the hidden values."""

import re
from urllib.parse import parse_qs

import pytest

from core.engine.classifier import LabConfig, run_lab
from core.engine.data import load_dataset
from tests.browser_support import CHROMIUM, assert_no_error_box, open_page, screenshot, wait_idle

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"no Chromium at {CHROMIUM} (apt-get install chromium)"),
]
LINK = "memorize-or-generalize?lab_lr=5e-2&lab_epochs=5&lab_noise=20&lab_optimizer=sgd&lab_seed=42&hide=optimizer,seed"


def test_a_typed_link_sets_the_lab_hides_two_controls_and_the_run_uses_them(page, server):
    open_page(page, server, LINK)
    page.get_by_role("slider", name=re.compile("^Learning rate")).wait_for(timeout=60_000)
    assert page.get_by_role("slider", name=re.compile("^Learning rate")).get_attribute("aria-valuetext") == "0.05"
    assert page.get_by_role("slider", name=re.compile("^Epochs")).get_attribute("aria-valuetext") == "5"
    assert page.get_by_role("slider", name=re.compile("^Wrong labels")).get_attribute("aria-valuetext") == "20%"
    page.get_by_text("Model and optimizer").click()  # open the expander: what is still hidden is hidden by the link
    page.get_by_text("Weight decay").first.wait_for()
    assert page.locator(".st-key-lab_optimizer").is_hidden() and page.locator(".st-key-lab_seed").is_hidden()
    assert not page.get_by_text("SGD + momentum").is_visible()
    address = parse_qs(page.evaluate("window.location.search").lstrip("?"))
    assert address["lab_lr"] == ["0.05"] and address["hide"] == ["optimizer,seed"], "the address keeps every control"
    page.get_by_role("button", name="Train", exact=True).click()
    page.get_by_text(re.compile(r"^Epoch 5 of 5")).first.wait_for(timeout=90_000)
    wait_idle(page)
    shown = page.get_by_test_id("stMetric").filter(has_text="Held-out accuracy").inner_text()
    assert f"{expected_held_out_accuracy():.1%}" in shown, "the run trained with the hidden optimizer and seed"
    assert_no_error_box(page)
    page.get_by_text("Copy a link to this experiment").click()
    copied = page.get_by_test_id("stSidebar").get_by_test_id("stCode").inner_text()
    assert "lab_optimizer=sgd" in copied and "hide=optimizer,seed" in copied
    screenshot(page, "exercise-link-lab-hidden-optimizer-and-seed")


def expected_held_out_accuracy() -> float:
    """The same run in this process: SGD, seed 42, the rest as the link set it."""
    training_rows = len(load_dataset("digits").y_train)
    config = LabConfig(
        epochs=5, learning_rate=0.05, label_noise=0.2, train_size=training_rows, optimizer="sgd", seed=42
    )
    return float(run_lab(config).test_accuracy[-1])


@pytest.mark.parametrize("projector", [False, True])
def test_a_hidden_control_leaves_no_gap_in_its_row(page, server, projector):
    """Hidden beside a partner (the Playground's pairs of sliders), a control's place goes with it: its partner
    takes the whole row, as wide as the two of a pair that hides nothing; in projector mode, where the pair stands
    one under the other, no empty place is left between the controls either."""
    open_page(page, server, "playground?hide=depth,batch" + ("&projector=true" if projector else ""))
    page.get_by_role("slider", name=re.compile("^Neurons per layer")).wait_for(timeout=60_000)
    wait_idle(page)
    assert page.locator(".st-key-play_depth").is_hidden() and page.locator(".st-key-play_batch").is_hidden()
    for place in ("row-play_network_pair-0", "row-play_training_pair-0"):  # where depth and batch were
        hidden_place = page.locator(f"[data-testid=stLayoutWrapper]:has(> .st-key-{place})")
        assert hidden_place.count() == 1 and hidden_place.is_hidden(), place
    assert page.locator(".st-key-row-play_point_pair-0").is_visible(), "a pair that hides nothing keeps its places"
    if not projector:
        pair = page.locator(".st-key-row-play_point_pair").bounding_box()
        for alone in ("play_width", "play_epochs"):
            box = page.locator(f".st-key-{alone}").bounding_box()
            assert box["x"] == pytest.approx(pair["x"], abs=2) and box["width"] == pytest.approx(pair["width"], abs=2)
        assert page.locator(".st-key-play_points").bounding_box()["width"] < pair["width"] / 2, "a pair still shares"
    screenshot(page, f"exercise-link-playground-hidden-depth-and-batch{'-projector' if projector else ''}")


def test_an_expander_whose_controls_are_all_hidden_is_hidden_too(page, server):
    """The lab's "Model and optimizer" with all five of its controls hidden: no panel that opens onto nothing (with
    two of them hidden it stays, as the first test here shows)."""
    open_page(page, server, "memorize-or-generalize?hide=width,depth,optimizer,weight_decay,seed&lab_width=64")
    page.get_by_role("slider", name=re.compile("^Epochs")).wait_for(timeout=60_000)
    wait_idle(page)
    assert not page.get_by_text("Model and optimizer").is_visible()
    assert page.get_by_text("Training-set size").is_visible(), "the rest of the controls stay"
    assert parse_qs(page.evaluate("window.location.search").lstrip("?"))["lab_width"] == ["64"], "kept while hidden"
