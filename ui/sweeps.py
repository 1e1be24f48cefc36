"""Is it luck? and the learning-rate sweep: two buttons that train a batch of a lesson's runs at once, and their
charts. A page calls `luck_and_sweep(prefix, make_config)` once; the results stay in the session until replaced."""

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
from core.lessons.luck import read_band, read_sweep
from ui.charts import bands


def luck_and_sweep(prefix: str, make_config) -> None:
    """Buttons for a seed band and a learning-rate sweep of the settings `make_config()` returns, then whichever
    results this session has."""
    st.subheader("Is it luck? Many runs at once")
    st.markdown(
        f"One run is one roll of the dice. **{SEEDS_PER_BAND} seeds** trains these settings {SEEDS_PER_BAND} times "
        "with different seeds at once and shows the range they span. **Learning-rate sweep** trains them with "
        f"{len(SWEEP_LEARNING_RATES)} learning rates at once, from {SWEEP_LEARNING_RATES[0]:g} to "
        f"{SWEEP_LEARNING_RATES[-1]:g}."
    )
    band_button, sweep_button = st.columns(2)
    if band_button.button(f"Is it luck? Train {SEEDS_PER_BAND} seeds", key=f"{prefix}_seed_band", width="stretch"):
        _train(prefix, "band", lambda config: SeedBand.of(train_to_end(seed_band(config))), make_config)
    if sweep_button.button("Learning-rate sweep", key=f"{prefix}_lr_sweep", width="stretch"):
        _train(prefix, "sweep", lambda config: sweep_points(train_to_end(learning_rate_sweep(config))), make_config)
    if band := st.session_state.get(f"{prefix}_band"):
        _draw_band(prefix, *band)
    if sweep := st.session_state.get(f"{prefix}_sweep"):
        _draw_sweep(prefix, *sweep)


def _train(prefix: str, kind: str, train_batch, make_config) -> None:
    try:
        config = make_config()
        with st.spinner("Training all the runs at once…"):
            st.session_state[f"{prefix}_{kind}"] = (config, train_batch(config))
    except ValueError as problem:
        st.error(f"These settings cannot be trained: {problem}")


def _draw_band(prefix: str, config, band: SeedBand) -> None:
    st.info(read_band(band))
    seeds = len(band.seeds)
    loss = bands.seed_band_loss(band.spread("train_loss"), band.spread("test_loss"), seeds, band.total_epochs)
    st.plotly_chart(loss, key=f"{prefix}_band_loss_chart")
    accuracy = bands.seed_band_accuracy(
        band.spread("train_accuracy"), band.spread("test_accuracy"), seeds, band.total_epochs
    )
    st.plotly_chart(accuracy, key=f"{prefix}_band_accuracy_chart")
    st.caption(
        f"Learning rate {config.learning_rate:g}, {band.total_epochs} epochs. The line is the mean over the seeds; "
        "the shaded band runs from the lowest to the highest seed at each epoch."
    )


def _draw_sweep(prefix: str, config, points) -> None:
    st.info(read_sweep(points))
    figure = bands.learning_rate_sweep(
        [point.learning_rate for point in points],
        [point.train_loss for point in points],
        [point.test_loss for point in points],
        [point.failure for point in points],
        config.epochs,
    )
    st.plotly_chart(figure, key=f"{prefix}_sweep_chart")
    st.caption(
        f"Seed {config.seed}, {config.epochs} epochs per rate. Shaded rates stopped early: red where the loss "
        "exploded, purple where the model collapsed to answering one class."
    )
