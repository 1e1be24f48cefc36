"""Controls that several lessons share, so they look and behave the same on every page."""

import streamlit as st

from ui import live


def learning_rate_slider(
    key: str, rates: tuple[float, ...], help: str = "How big a step each update takes. Log scale."
):
    """A log-scale learning-rate choice; ui.links keeps it in the page's address."""
    return st.select_slider(
        "Learning rate", rates, format_func=lambda v: f"{v:g}", key=key, persist_state="session", help=help
    )


def seed_input(key: str):
    return st.number_input(
        "Seed", 0, 9999, key=key, persist_state="session", help="The same seed gives exactly the same run."
    )


def optimizer_choice(key: str):
    return st.radio(
        "Optimizer",
        ("adam", "sgd"),
        key=key,
        horizontal=True,
        persist_state="session",
        format_func={"adam": "Adam", "sgd": "SGD + momentum"}.get,
    )


def preset_buttons(prefix: str, presets: dict, apply) -> None:
    """A folded list of ready-made settings; pressing one calls `apply(values)`, which sets them and trains."""
    with st.expander("Try one of these"):
        for name, values in presets.items():
            st.button(name, key=f"{prefix}_preset_{name}", on_click=apply, args=(values,), width="stretch")


def train_and_stop_buttons(prefix: str, on_train) -> None:
    """Train (calls `on_train()`) and Stop (stops the live run of `prefix`) side by side."""
    train, stop = st.columns(2)
    if train.button("Train", type="primary", key=f"{prefix}_train", width="stretch"):
        on_train()
    if stop.button("Stop", key=f"{prefix}_stop", width="stretch"):
        live.stop(st.session_state, prefix)
