"""Pinned runs, the settings that changed between runs, and a run's curves as CSV."""

import io

import numpy as np
import pandas as pd

from core.engine.classifier import LabConfig
from core.lessons import compare
from core.lessons.fine_tuning import FineTuneConfig, LessonHistory
from core.lessons.playground import PlaygroundConfig
from core.lessons.training_step.stepper import Stepper, load_line_problem


def test_changed_settings_read_as_words_with_old_and_new_values():
    before, after = LabConfig(), LabConfig(learning_rate=0.01, hidden=(64, 64))
    changes = compare.settings_changes(before, after)
    assert changes == ["learning rate 0.001 → 0.01", "hidden layers 128 × 128 → 64 × 64"]
    assert compare.settings_changes(before, before) == []
    assert compare.settings_changes(PlaygroundConfig(), PlaygroundConfig(noise=0.4)) == ["noise 0.2 → 0.4"]


def test_a_training_set_size_change_is_named_as_its_slider_with_the_counts_it_makes():
    changes = compare.settings_changes(LabConfig(train_size=1437), LabConfig(train_size=1365))
    assert changes == ["training-set size 1437 examples → 1365 examples"]


def test_a_pin_label_names_what_changed_and_counts_what_did_not_fit():
    pinned = compare.Pin(LabConfig(), {})
    assert compare.pin_label(pinned, LabConfig(learning_rate=0.01)) == "pinned: learning rate 0.001 → 0.01"
    assert compare.pin_label(pinned, LabConfig()) == "pinned: same settings"
    many = LabConfig(learning_rate=0.01, epochs=50, seed=3)
    assert compare.pin_label(pinned, many) == "pinned: learning rate 0.001 → 0.01, epochs 200 → 50 (+1 more)"


def test_pins_are_bounded_and_the_oldest_goes_first():
    pins = ()
    for seed in range(compare.MAX_PINS + 2):
        pins = compare.with_pin(pins, compare.Pin(LabConfig(seed=seed), {}))
    assert [pin.settings.seed for pin in pins] == [2, 3, 4]


def reloaded(text: str) -> pd.DataFrame:
    return pd.read_csv(io.StringIO(text), comment="#")


def test_exported_csv_reloads_to_the_runs_own_numbers_with_its_settings(noisy_digits_history):
    config = LabConfig(epochs=150, label_noise=0.3, learning_rate=2e-3)
    text = compare.curves_csv(compare.curve_columns(noisy_digits_history), config)
    assert "# learning_rate = 0.002" in text and "# label_noise = 0.3" in text
    table = reloaded(text)
    np.testing.assert_array_equal(table["epoch"], np.arange(1, 151))
    for name, values in noisy_digits_history.metrics.items():
        np.testing.assert_array_equal(table[name].to_numpy(np.float32), values)


def test_a_training_loop_run_exports_its_path_and_losses_per_step():
    stepper = Stepper(load_line_problem(), 0.5)
    stepper.train_steps(30)
    history = stepper.history()
    settings = compare.run_settings(stepper)
    assert settings.learning_rate == 0.5 and settings.scaling == stepper.problem.scaling
    table = reloaded(compare.curves_csv(compare.curve_columns(history), settings))
    np.testing.assert_array_equal(table["step"], np.arange(31))
    np.testing.assert_array_equal(table[["w", "b"]].to_numpy(np.float32), history.path)
    np.testing.assert_array_equal(table["loss"].to_numpy(np.float32), history.losses.astype(np.float32))


def test_settings_lines_keep_one_line_each_whatever_a_value_holds():
    assert "dataset = moons" in compare.settings_lines(PlaygroundConfig(dataset="moons"))
    text = compare.curves_csv({"epoch": np.arange(1, 3)}, LabConfig(dataset="my\nfile"))
    assert "# dataset = my file\n" in text


def test_settings_named_in_words_compare_like_a_config():
    before = {"group B share": "10%", "epochs": 50, "seed": 0}
    assert compare.settings_changes(before, {**before, "group B share": "30%"}) == ["group B share 10% → 30%"]
    assert compare.settings_lines(before) == ["group B share = 10%", "epochs = 50", "seed = 0"]
    assert compare.settings_changes(FineTuneConfig(), FineTuneConfig(off_style_share=0.5, texts=30)) == [
        "training adverts 100 → 30",
        "off-style adverts 0% → 50%",
    ]


def test_a_long_name_in_a_change_is_shortened_and_stays_on_one_line():
    (change,) = compare.settings_changes({"file": "a.csv"}, {"file": "b" * 100 + "\n.csv"})
    assert change.startswith("file a.csv → bbbb") and "\n" not in change and "(105 characters)" in change


def test_a_language_model_runs_held_out_losses_are_its_columns_and_either_model_can_be_compared():
    history = LessonHistory(
        np.array([0, 15, 25]),
        {"fine_tuned": np.float32([2.0, 1.5, 1.4]), "from_scratch": np.float32([4.0, 3.0, 2.8])},
        {"fine_tuned": np.float32([1.8, 1.9, 2.0]), "from_scratch": np.float32([4.1, 3.2, 3.0])},
        {name: np.zeros(25, np.float32) for name in ("fine_tuned", "from_scratch")},
    )
    columns = compare.curve_columns(history)
    table = reloaded(compare.curves_csv(columns, FineTuneConfig(steps=25)))
    assert list(table.columns) == [
        "step",
        "fine_tuned_heldout_style_loss",
        "from_scratch_heldout_style_loss",
        "fine_tuned_heldout_general_loss",
        "from_scratch_heldout_general_loss",
    ]
    np.testing.assert_array_equal(
        table["from_scratch_heldout_general_loss"].to_numpy(np.float32), np.float32([4.1, 3.2, 3.0])
    )
    words, steps, values = compare.compared_curve(columns)
    assert words == "held-out loss of the fine-tuned model" and list(steps) == [0, 15, 25] and values[-1] == 1.4
    words, _, values = compare.compared_curve(columns, "from_scratch_heldout_style_loss")
    assert words == "held-out loss of the model trained from scratch" and values[-1] == np.float32(2.8)


def test_a_language_model_runs_csv_has_its_training_loss_per_step_and_held_out_losses_where_measured():
    history = LessonHistory(
        np.array([0, 2, 3]),
        {"fine_tuned": np.float32([2.0, 1.5, 1.4]), "from_scratch": np.float32([4.0, 3.0, 2.8])},
        {"fine_tuned": np.float32([1.8, 1.9, 2.0]), "from_scratch": np.float32([4.1, 3.2, 3.0])},
        {"fine_tuned": np.float32([2.5, 2.2, 2.1]), "from_scratch": np.float32([4.5, 4.2, 3.9])},
    )
    table = reloaded(compare.curves_csv(compare.export_columns(history), FineTuneConfig(steps=3)))
    assert list(table["step"]) == [0, 1, 2, 3]
    np.testing.assert_array_equal(
        table["fine_tuned_train_loss"].to_numpy(np.float32), np.float32([np.nan, 2.5, 2.2, 2.1])
    )
    np.testing.assert_array_equal(
        table["from_scratch_heldout_style_loss"].to_numpy(np.float32), np.float32([4.0, np.nan, 3.0, 2.8])
    )
    assert list(table.columns[1:3]) == ["fine_tuned_train_loss", "from_scratch_train_loss"]


def test_a_runs_csv_is_its_curve_columns_where_every_curve_has_the_same_steps(noisy_digits_history):
    exported, curves = compare.export_columns(noisy_digits_history), compare.curve_columns(noisy_digits_history)
    assert exported.keys() == curves.keys() and all(np.array_equal(exported[k], curves[k]) for k in curves)
