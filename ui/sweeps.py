"""Is it luck? and the learning-rate sweep: two buttons that train a batch of a lesson's runs at once, and their
charts. A page calls `luck_and_sweep(prefix, make_config)` once (prefix: the page's live run, ui.live); the results
stay in the session until replaced. A seed band of the settings the page's run has is drawn on that run's own
charts, under its curves (`banded_chart`); a band of other settings gets charts of its own."""

from __future__ import annotations

import streamlit as st

from core.engine.sweeps import (
    SEEDS_PER_BAND,
    SWEEP_LEARNING_RATES,
    SeedBand,
    learning_rate_sweep,
    seed_band,
    sweep_points,
    train_to_end,
)
from core.i18n import tr, tr_later
from core.lessons.luck import band_ending, read_band, read_sweep, same_data
from core.lessons.user_text import short_number
from ui import look
from ui.charts import bands
from ui.charts.style import TEST_COLOUR, TRAIN_COLOUR

# What a run's chart of each kind draws a band of: (curve name, colour, metric), and the metric its caption reads.
BANDED_CURVES = {
    "loss": (
        ((tr_later("training"), TRAIN_COLOUR, "train_loss"), (tr_later("held-out"), TEST_COLOUR, "test_loss")),
        "test_loss",
    ),
    "accuracy": (
        ((tr_later("training"), TRAIN_COLOUR, "train_accuracy"), (tr_later("held-out"), TEST_COLOUR, "test_accuracy")),
        "test_accuracy",
    ),
}


def luck_and_sweep(prefix: str, make_config, make_dataset=None) -> None:
    """Buttons for a seed band and a learning-rate sweep of the LabConfig `make_config()` returns, on the data set
    `make_dataset()` returns (default: the config's named data set), then whichever results this session has."""
    st.subheader(tr("Is it luck? Many runs at once"))
    st.markdown(
        tr(
            "One run is one roll of the dice. **{seeds} seeds** trains these settings {seeds} times with different "
            "seeds at once and shows the range they span. **Learning-rate sweep** trains them with {rates} learning "
            "rates at once, from {lowest} to {highest}."
        ).format(
            seeds=SEEDS_PER_BAND,
            rates=len(SWEEP_LEARNING_RATES),
            lowest=short_number(SWEEP_LEARNING_RATES[0]),
            highest=short_number(SWEEP_LEARNING_RATES[-1]),
        )
    )
    band_button, sweep_button = look.wrapping_row(2, f"{prefix}_luck_row", min_width=200)
    band_clicked = band_button.button(
        tr("Is it luck? Train {seeds} seeds").format(seeds=SEEDS_PER_BAND), key=f"{prefix}_seed_band", width="stretch"
    )
    if band_clicked and _train(prefix, "band", _band_of_batch, seed_band, make_config, make_dataset):
        st.rerun()  # the page's charts above were drawn before the band existed
    if sweep_button.button(tr("Learning-rate sweep"), key=f"{prefix}_lr_sweep", width="stretch"):
        _train(
            prefix,
            "sweep",
            lambda batch: sweep_points(train_to_end(batch)),
            learning_rate_sweep,
            make_config,
            make_dataset,
        )
    if band := st.session_state.get(f"{prefix}_band"):
        _draw_band(prefix, *band)
    if sweep := st.session_state.get(f"{prefix}_sweep"):
        _draw_sweep(prefix, *sweep)


def _band_of_batch(batch) -> SeedBand:
    return SeedBand.of(train_to_end(batch))


def _train(prefix: str, kind: str, result_of, make_batch, make_config, make_dataset) -> bool:
    """Train the batch and keep its result as `<prefix>_<kind>`; False (and why, on the page) if it cannot."""
    try:
        config, dataset = make_config(), make_dataset() if make_dataset else None
        with st.spinner(tr("Training all the runs at once…")):
            batch = make_batch(config, dataset=dataset)
            st.session_state[f"{prefix}_{kind}"] = (config, batch.runs[0].dataset, result_of(batch))
        return True
    except ValueError as problem:
        st.error(tr("These settings cannot be trained: {problem}").format(problem=problem))
        return False


def _band_of(prefix: str, run) -> SeedBand | None:
    """This session's seed band if it is of exactly `run`'s settings and data, else None."""
    stored = st.session_state.get(f"{prefix}_band")
    if run is None or stored is None:
        return None
    config, dataset, band = stored
    return band if config == run.config and same_data(dataset, run.dataset) else None


def banded_chart(prefix: str, run, figure, kind: str, key: str) -> None:
    """Draw `figure`, `run`'s chart of `kind` ("loss" or "accuracy"), with this session's seed band of the same
    settings under its curves and where the band ends in words; just the figure when there is no such band."""
    band = _band_of(prefix, run)
    if band is None:
        look.chart(figure, key=key)
        return
    curves, read = BANDED_CURVES[kind]
    layers = [(tr(name), colour, band.spread(metric)) for name, colour, metric in curves]
    look.chart(bands.under_curves(figure, layers, len(band.seeds)), key=key)
    st.caption(
        band_ending(band, read)
        + " "
        + tr(
            "Dotted: the mean of the seeds; shaded: from the lowest to the highest seed at each epoch; solid: this run."
        )
    )


def _draw_band(prefix: str, config, dataset, band: SeedBand) -> None:
    st.info(read_band(band))
    if _band_of(prefix, st.session_state.get(f"{prefix}_run")) is band:
        st.caption(tr("The band is drawn on this run's loss and accuracy charts above, under its own curves."))
        return
    seeds = len(band.seeds)
    loss = bands.seed_band_loss(band.spread("train_loss"), band.spread("test_loss"), seeds, band.total_epochs)
    look.chart(loss, key=f"{prefix}_band_loss_chart")
    accuracy = bands.seed_band_accuracy(
        band.spread("train_accuracy"), band.spread("test_accuracy"), seeds, band.total_epochs
    )
    look.chart(accuracy, key=f"{prefix}_band_accuracy_chart")
    st.caption(
        tr(
            "Learning rate {rate}, {epochs} epochs. The line is the mean over the seeds; the shaded band runs from the "
            "lowest to the highest seed at each epoch. Train these settings (seed {seed}) to see the band under that "
            "run's own curves."
        ).format(rate=short_number(config.learning_rate), epochs=band.total_epochs, seed=band.seeds[0])
    )


def _draw_sweep(prefix: str, config, dataset, points) -> None:
    st.info(read_sweep(points))
    figure = bands.learning_rate_sweep(
        [point.learning_rate for point in points],
        [point.train_loss for point in points],
        [point.test_loss for point in points],
        [point.failure for point in points],
        config.epochs,
    )
    look.chart(figure, key=f"{prefix}_sweep_chart")
    st.caption(
        tr(
            "Seed {seed}, {epochs} epochs per rate. Shaded rates stopped early: red where the loss exploded, purple "
            "where the model collapsed to answering one class."
        ).format(seed=config.seed, epochs=config.epochs)
    )
