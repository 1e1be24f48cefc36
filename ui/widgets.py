"""Controls that several lessons share, so they look and behave the same on every page."""

import streamlit as st

from core.i18n import tr, tr_later
from core.lessons.user_text import short_number
from ui import links, live, look

OPTIMIZER_LABELS = {"adam": tr_later("Adam"), "sgd": tr_later("SGD + momentum")}


def learning_rate_slider(key: str, rates: tuple[float, ...], help: str | None = None):
    """A log-scale learning-rate choice; ui.links keeps it in the page's address. A page's own `help` comes
    translated."""
    return st.select_slider(
        tr("Learning rate"),
        rates,
        format_func=short_number,
        key=key,
        persist_state="session",
        help=help if help is not None else tr("How big a step each update takes. Log scale."),
    )


def decimal_slider(label: str, values: tuple[float, ...], key: str, help: str):
    """A slider over fixed decimal `values` that shows them with the decimal sign of the learner's language (Streamlit's
    own number slider writes 0.05 in Dutch as well)."""
    return st.select_slider(label, values, format_func=short_number, key=key, persist_state="session", help=help)


def seed_input(key: str):
    return st.number_input(
        tr("Seed"), 0, 9999, key=key, persist_state="session", help=tr("The same seed gives exactly the same run.")
    )


def optimizer_choice(key: str):
    return st.radio(
        tr("Optimizer"),
        ("adam", "sgd"),
        key=key,
        horizontal=True,
        persist_state="session",
        format_func=lambda name: tr(OPTIMIZER_LABELS[name]),
    )


def preset_buttons(prefix: str, presets: dict, apply) -> None:
    """A folded list of ready-made settings; pressing one calls `apply(values)`, which sets them and trains. The
    presets' names are the buttons' labels, translated here (a page marks them with `tr_later`). A preset that would
    change a control the page's exercise link hides is not offered."""
    offered = {name: values for name, values in presets.items() if not links.changes_a_hidden_control(values)}
    if not offered:
        return
    with st.expander(tr("Try one of these")):
        for name, values in offered.items():
            st.button(tr(name), key=f"{prefix}_preset_{name}", on_click=apply, args=(values,), width="stretch")


def train_and_stop_buttons(prefix: str, on_train) -> None:
    """Train (calls `on_train()`) and Stop (stops the live run of `prefix`) side by side."""
    train, stop = look.wrapping_row(2, f"{prefix}_train_stop", min_width=80)
    if train.button(tr("Train"), type="primary", key=f"{prefix}_train", width="stretch"):
        on_train()
    if stop.button(tr("Stop"), key=f"{prefix}_stop", width="stretch"):
        live.stop(st.session_state, prefix)
