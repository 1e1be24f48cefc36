"""The lab run timed against scikit-learn's MLPClassifier and a plain NumPy MLP, in one process.

All three do the same work: digits, MLP 64-128-128-10, Adam at 1e-3, batch 64, the same epochs, and
after every epoch the training and held-out loss and accuracy plus the memorization of mislabeled
examples. They run alternately for several rounds; the table reports the median warm time, the first
call, and each one's time as a multiple of the JAX engine's. The peers are pinned to one BLAS thread:
on a shared 2-core machine multi-threaded BLAS slows down under contention, and the JAX engine keeps
about one core busy.
"""

from __future__ import annotations

import statistics
import time
import warnings

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPClassifier
from threadpoolctl import threadpool_limits

from bench import numpy_mlp
from core.engine import train
from core.engine.classifier import LabConfig, prepare, run_lab
from tests.jit_support import compiled_count

SWEEP = (
    {"learning_rate": 3e-3},
    {"weight_decay": 1e-3},
    {"label_noise": 0.3},
    {"seed": 7},
    {"epochs": 120},
    {"train_size": 500},
    {"learning_rate": 0.5, "optimizer": "adam", "label_noise": 0.8, "seed": 3},
)


def epoch_metrics(probs_train, probs_test, labels_given, labels_true, mislabeled, y_test) -> dict:
    """The lab's per-epoch metrics computed with NumPy from predicted probabilities."""
    eps = 1e-12
    pred_train = probs_train.argmax(1)
    return {
        "train_loss": -np.log(probs_train[np.arange(len(labels_given)), labels_given] + eps).mean(),
        "train_accuracy": (pred_train == labels_given).mean(),
        "test_loss": -np.log(probs_test[np.arange(len(y_test)), y_test] + eps).mean(),
        "test_accuracy": (probs_test.argmax(1) == y_test).mean(),
        "memorized_share": (pred_train[mislabeled] == labels_given[mislabeled]).mean() if mislabeled.any() else 0.0,
        "clean_accuracy": (pred_train[~mislabeled] == labels_true[~mislabeled]).mean(),
    }


def lab_inputs(config: LabConfig):
    dataset, data, _ = prepare(config)
    n = data.n_active
    return (
        data.x[:n],
        data.labels_given[:n],
        data.labels_true[:n],
        data.mislabeled[:n],
        dataset.x_test,
        dataset.y_test,
    )


def run_jax(config: LabConfig) -> float:
    return run_lab(config).test_accuracy[-1]


def run_sklearn(config: LabConfig) -> float:
    x, given, true, mislabeled, x_test, y_test = lab_inputs(config)
    model = MLPClassifier(
        hidden_layer_sizes=config.hidden,
        batch_size=config.batch_size,
        alpha=0.0,
        learning_rate_init=config.learning_rate,
        random_state=config.seed,
    )
    classes = np.arange(10)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        for _ in range(config.epochs):
            model.partial_fit(x, given, classes=classes)
            metrics = epoch_metrics(
                model.predict_proba(x), model.predict_proba(x_test), given, true, mislabeled, y_test
            )
    return metrics["test_accuracy"]


def run_numpy(config: LabConfig) -> float:
    x, given, true, mislabeled, x_test, y_test = lab_inputs(config)
    rng = np.random.default_rng(config.seed)
    layers = numpy_mlp.init_layers((x.shape[1], *config.hidden, 10), rng)
    adam_state = {"step": 0}
    for _ in range(config.epochs):
        layers = numpy_mlp.train_epoch(layers, adam_state, x, given, config.batch_size, config.learning_rate, rng)
        probs_train = numpy_mlp.softmax(numpy_mlp.forward(layers, x)[0])
        probs_test = numpy_mlp.softmax(numpy_mlp.forward(layers, x_test)[0])
        metrics = epoch_metrics(probs_train, probs_test, given, true, mislabeled, y_test)
    return metrics["test_accuracy"]


IMPLEMENTATIONS = {"jax_engine": run_jax, "scikit_learn": run_sklearn, "numpy": run_numpy}


def time_call(function, config) -> tuple[float, float]:
    started = time.perf_counter()
    accuracy = function(config)
    return time.perf_counter() - started, float(accuracy)


def compare(config: LabConfig, rounds: int) -> dict:
    """First-call and median warm seconds per implementation, alternating implementations each round."""
    timings = {name: [] for name in IMPLEMENTATIONS}
    accuracy = {}
    with threadpool_limits(limits=1):
        for _ in range(rounds + 1):  # the extra first round is the first call
            for name, function in IMPLEMENTATIONS.items():
                seconds, accuracy[name] = time_call(function, config)
                timings[name].append(seconds)
    reference = statistics.median(timings["jax_engine"][1:])
    return {
        name: {
            "first_call_seconds": round(times[0], 3),
            "median_warm_seconds": round(statistics.median(times[1:]), 3),
            "ratio_to_jax_engine": round(statistics.median(times[1:]) / reference, 2),
            "final_held_out_accuracy": round(accuracy[name], 4),
        }
        for name, times in timings.items()
    }


def compile_sweep(config: LabConfig) -> dict:
    """How many compilations a sweep of slider values costs after the first run (goal: none)."""
    run_lab(config)
    before = compiled_count(train.train_chunk) + compiled_count(train.init_train_state)
    started = time.perf_counter()
    for change in SWEEP:
        run_lab(LabConfig(**{**config.__dict__, "epochs": 60, **change}))
    after = compiled_count(train.train_chunk) + compiled_count(train.init_train_state)
    return {
        "slider_changes": len(SWEEP),
        "new_compilations": after - before,
        "sweep_seconds": round(time.perf_counter() - started, 2),
    }


def redraw_milliseconds(config: LabConfig, repeats: int = 20) -> dict:
    """Server-side time from a finished chunk to the page's charts ready to send: build the lab's figures
    from the recorded history and serialise them as Streamlit does (Plotly JSON). Median of repeats."""
    from ui.charts import curves, images

    history = run_lab(LabConfig(**{**config.__dict__, "label_noise": 0.3}))
    rows = np.flatnonzero(history.data.mislabeled)[:24]
    dataset, data = prepare(config)[0], history.data

    def build_all() -> int:
        figures = (
            curves.loss_curves(history.train_loss, history.test_loss, config.epochs, history.best_epoch()),
            curves.accuracy_curves(history.metrics, config.epochs, history.memorization_takeover_epoch()),
            curves.generalization_gap(
                history.generalization_gap_accuracy, history.generalization_gap_loss, config.epochs
            ),
            images.mislabeled_grid(
                dataset.x_train[data.source_rows[rows]],
                (8, 8),
                data.labels_given[rows],
                data.labels_true[rows],
                history.train_predictions[-1][rows],
                history.memorized_since()[rows],
            ),
        )
        return sum(len(figure.to_json()) for figure in figures)

    timings = []
    for _ in range(repeats):
        started = time.perf_counter()
        size = build_all()
        timings.append(time.perf_counter() - started)
    return {"median_ms": round(1000 * statistics.median(timings), 1), "json_kb": round(size / 1024, 1)}
