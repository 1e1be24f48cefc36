"""Data-quality scenarios on the digits: one-sided, mislabeled, imbalanced, repetitive or shifted training data.

Each `make_*_scenario` builds a `Scenario`: a training set chosen row by row to show one data problem, and
the clean held-out sets it is judged on. Every training set has the digits' training capacity (1437 rows of
64 pixels) and every held-out set 360 rows, so all scenarios reuse the lab's compiled training chunk and one
compiled prediction. Per-group and per-class results are computed on the host from the model's predictions.

    >>> scenario = make_group_scenario(group_b_share=0.1, seed=0)
    >>> run = start_run(scenario, epochs=40, seed=0)
    >>> while run.advance():
    ...     pass
    >>> held_out_results(run)["group B: mirrored"].accuracy
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from core.engine.classifier import LabConfig, TrainingRun
from core.engine.data import Dataset, TrainingData, digits_in_file_order, flip_labels, load_dataset
from core.i18n import percent, tr, tr_later

HIDDEN = (128, 128)  # the lab's default model: the same compiled chunk serves every scenario
CARELESS_TRUE, CARELESS_GIVEN = 3, 8  # the careless labeller writes "8" on threes
DIVERSITY_LEVELS = (10, 20, 50, 100, 200, 500, 1437)  # distinct training digits; 1437 is all of them
# The held-out sets of the group scenario, by name: keys of the results, shown translated (tr(name)) where shown.
MIXED = tr_later("held-out, mixed like training")
GROUP_A = tr_later("group A: as written")
GROUP_B = tr_later("group B: mirrored")
GROUP_GAP = 0.05  # one group's accuracy this far below another's reads as that group being served worse
WORST_CLASS_GAP = 0.15  # a class recognised this far less often than the average reads as a class being missed

# The scenarios of the page, by key, with the titles a learner sees (an old link may name a scenario by its title);
# shown with tr(title).
SCENARIO_TITLES = {
    "groups": tr_later("Under-represented group"),
    "noise": tr_later("Careless labels"),
    "imbalance": tr_later("Rare class"),
    "diversity": tr_later("Low diversity"),
    "shift": tr_later("Distribution shift"),
}


@dataclass(frozen=True)
class Scenario:
    """A training set built to show one data problem, and the held-out sets it is judged on."""

    dataset: Dataset  # its x_test/y_test is the held-out set of the live accuracy curve
    training: TrainingData  # the rows trained on come first; rows past n_active only pad the arrays
    held_out_sets: dict  # name -> (x (360, 64), y (360,)): each judged on its own, per class
    description: str  # what this training set is, in numbers, in the learner's language
    training_groups: np.ndarray | None = None  # (n_capacity,) the group of each training row, where there are groups
    settings: dict = field(default_factory=dict)  # what the learner chose, in words: "group B share" -> "10%"
    # (names and values in the learner's language: they label pinned runs and head exported curves)


@dataclass(frozen=True)
class HeldOutResult:
    """How the model does on one named held-out set."""

    accuracy: float
    per_class: np.ndarray  # (num_classes,) share of each true class predicted right (recall); NaN if absent
    confusion: np.ndarray  # (num_classes, num_classes) counts: row = true class, column = predicted class


@dataclass(repr=False)
class ScenarioRun(TrainingRun):
    """A TrainingRun on the scenario's own training rows instead of a random stratified subset."""

    scenario: Scenario | None = None

    def __post_init__(self):
        self.data = self.scenario.training
        super().__post_init__()


def start_run(scenario: Scenario, epochs: int, seed: int, learning_rate: float = 1e-3) -> ScenarioRun:
    """A run ready to train the scenario live (call `advance()` for each chunk)."""
    config = LabConfig(
        dataset=scenario.dataset.name,
        epochs=int(epochs),
        seed=int(seed),
        learning_rate=float(learning_rate),
        hidden=HIDDEN,
    )
    return ScenarioRun(config, scenario.dataset, scenario=scenario)


def run_settings(run: ScenarioRun) -> dict:
    """Everything the learner chose for this run, named in words, for pinning it and for its exported curves."""
    return {**run.scenario.settings, "epochs": run.config.epochs, "seed": run.config.seed}


# ---- metrics ----


def judge(y_true: np.ndarray, y_pred: np.ndarray, num_classes: int) -> HeldOutResult:
    """Accuracy, recall per class and the confusion matrix over classes 0..num_classes-1 (scikit-learn's).
    A class with no examples in `y_true` has no recall: NaN, not 0%."""
    # Imported when first needed: opening a lesson imports no scikit-learn (core.engine.data.DIGITS_FILE).
    from sklearn.metrics import confusion_matrix, recall_score

    classes = np.arange(num_classes)
    confusion = confusion_matrix(y_true, y_pred, labels=classes)
    recall = recall_score(y_true, y_pred, labels=classes, average=None, zero_division=np.nan)
    return HeldOutResult(float(np.trace(confusion) / confusion.sum()), recall, confusion)


def judge_by_group(y_true: np.ndarray, y_pred: np.ndarray, groups: np.ndarray, num_classes: int) -> dict:
    """judge() on the rows of each value of `groups` separately, in sorted order of the values."""
    return {name: judge(y_true[groups == name], y_pred[groups == name], num_classes) for name in np.unique(groups)}


def held_out_results(run: ScenarioRun) -> dict[str, HeldOutResult]:
    """The current model judged on each of the scenario's held-out sets."""
    classes = run.dataset.num_classes
    return {
        name: judge(y, run.predict_proba(x).argmax(axis=1), classes)
        for name, (x, y) in run.scenario.held_out_sets.items()
    }


# ---- readings: the numbers that matter, in one sentence ----


def held_out_reading(results: dict[str, HeldOutResult]) -> tuple[str, str]:
    """(kind, sentence) for a scenario's held-out results: per group where there are groups, else the worst digit."""
    if GROUP_B in results:
        return group_reading(results[MIXED].accuracy, results[GROUP_A].accuracy, results[GROUP_B].accuracy)
    return worst_class_reading(results["held-out"])


def group_reading(mixed: float, group_a: float, group_b: float) -> tuple[str, str]:
    """A warning when group B is served clearly worse than group A; kind is "warning" or "success"."""
    text = tr(
        "Held-out accuracy on data mixed like the training data: **{mixed}**. Group A: **{group_a}**, "
        "group B: **{group_b}**."
    ).format(mixed=percent(mixed), group_a=percent(group_a), group_b=percent(group_b))
    return ("warning" if group_a - group_b > GROUP_GAP else "success"), text


def worst_class_reading(result: HeldOutResult) -> tuple[str, str]:
    """The digit recognised least often; a warning when it lags the overall accuracy by more than WORST_CLASS_GAP."""
    worst = int(np.nanargmin(result.per_class))
    text = tr(
        "Held-out accuracy **{accuracy}**; worst digit: **{digit}**, recognised **{recall}** of the time."
    ).format(accuracy=percent(result.accuracy), digit=worst, recall=percent(result.per_class[worst]))
    return ("warning" if result.accuracy - result.per_class[worst] > WORST_CLASS_GAP else "success"), text


# ---- the scenarios ----


def _digits() -> Dataset:
    return load_dataset("digits")


def _training_rows(x, labels_given, labels_true, mislabeled, source_rows, n_active=None) -> TrainingData:
    """TrainingData trained on its first n_active rows (all of them by default)."""
    return TrainingData(
        np.asarray(x, np.float32),
        np.asarray(labels_given, np.int32),
        np.asarray(labels_true, np.int32),
        np.asarray(mislabeled, bool),
        len(x) if n_active is None else int(n_active),
        source_rows,
    )


def _clean_training(dataset: Dataset, rows: np.ndarray, n_active=None) -> TrainingData:
    labels = dataset.y_train[rows]
    return _training_rows(dataset.x_train[rows], labels, labels, np.zeros(len(rows), bool), rows, n_active)


def mirror_left_right(images: np.ndarray, image_shape: tuple[int, int]) -> np.ndarray:
    """Each flattened image flipped left to right (same digit, written the other way round)."""
    height, width = image_shape
    return images.reshape(-1, height, width)[:, :, ::-1].reshape(len(images), height * width)


def _mirror_some(images, share: float, image_shape, rng) -> tuple[np.ndarray, np.ndarray]:
    """A copy with exactly round(share * n) images mirrored, and which ones they are."""
    mirrored = np.zeros(len(images), bool)
    mirrored[rng.choice(len(images), int(round(share * len(images))), replace=False)] = True
    result = images.copy()
    result[mirrored] = mirror_left_right(images[mirrored], image_shape)
    return result, mirrored


def make_group_scenario(group_b_share: float, seed: int) -> Scenario:
    """Two groups whose examples look different: digits as written (A) and mirrored (B), labels unchanged.

    Training and the mixed held-out set have group B at `group_b_share`; the per-group held-out sets are
    all 360 held-out digits as written and all 360 mirrored, so each group is judged on the same digits.
    """
    digits, rng = _digits(), np.random.default_rng(seed)
    share = float(np.clip(group_b_share, 0.0, 1.0))
    x_train, train_mirrored = _mirror_some(digits.x_train, share, digits.image_shape, rng)
    x_mixed, _ = _mirror_some(digits.x_test, share, digits.image_shape, rng)
    dataset = Dataset(
        "digits in two groups",
        x_train,
        digits.y_train,
        x_mixed,
        digits.y_test,
        digits.num_classes,
        digits.class_names,
        digits.image_shape,
    )
    rows = np.arange(len(x_train))
    training = _clean_training(dataset, rows)
    held_out = {
        MIXED: (x_mixed, digits.y_test),
        GROUP_A: (digits.x_test, digits.y_test),
        GROUP_B: (mirror_left_right(digits.x_test, digits.image_shape), digits.y_test),
    }
    count = int(train_mirrored.sum())
    return Scenario(
        dataset,
        training,
        held_out,
        tr("{count} of {total} training digits ({share}) are from group B (mirrored).").format(
            count=count, total=len(rows), share=percent(count / len(rows))
        ),
        np.where(train_mirrored, GROUP_B, GROUP_A),
        {tr("group B share"): percent(share)},
    )


def make_label_noise_scenario(share: float, concentrated: bool, seed: int) -> Scenario:
    """Exactly round(share * n) wrong training labels: spread over every class at random, or all on threes
    marked "8" by one careless labeller (capped at the number of threes)."""
    digits, rng = _digits(), np.random.default_rng(seed)
    truth, n_rows = digits.y_train, len(digits.y_train)
    if concentrated:
        given, mislabeled = truth.copy(), np.zeros(n_rows, bool)
        threes = np.flatnonzero(truth == CARELESS_TRUE)
        wrong = rng.choice(threes, min(int(round(share * n_rows)), len(threes)), replace=False)
        given[wrong], mislabeled[wrong] = CARELESS_GIVEN, True
    else:
        given, mislabeled = flip_labels(truth, n_rows, share, digits.num_classes, rng)
    rows = np.arange(n_rows)
    training = _training_rows(digits.x_train, given, truth, mislabeled, rows)
    wrong_count, wrong_share = int(mislabeled.sum()), percent(mislabeled.mean(), 1)
    if concentrated:
        wrong = tr(
            "{count} of {total} training labels ({share}) are wrong, all on threes labelled '{given}' "
            "({threes_share} of the threes)."
        ).format(
            count=wrong_count,
            total=n_rows,
            share=wrong_share,
            given=CARELESS_GIVEN,
            threes_share=percent(mislabeled.sum() / (truth == CARELESS_TRUE).sum()),
        )
    else:
        wrong = tr("{count} of {total} training labels ({share}) are wrong, spread over all digits.").format(
            count=wrong_count, total=n_rows, share=wrong_share
        )
    settings = {
        tr("wrong labels"): percent(share),
        tr("mistakes"): tr("one careless labeller") if concentrated else tr("spread"),
    }
    return Scenario(digits, training, {"held-out": (digits.x_test, digits.y_test)}, wrong, settings=settings)


def make_imbalance_scenario(rare_class: int, kept_share: float, seed: int) -> Scenario:
    """Every training digit of the other classes, but only `kept_share` of the rare class's examples.

    The rare class's dropped examples stay in the arrays as padding past n_active: never trained on,
    and the shapes stay those of every other scenario.
    """
    digits, rng = _digits(), np.random.default_rng(seed)
    rare_rows = np.flatnonzero(digits.y_train == rare_class)
    kept = rng.choice(rare_rows, int(round(np.clip(kept_share, 0.0, 1.0) * len(rare_rows))), replace=False)
    dropped = np.setdiff1d(rare_rows, kept)
    active = rng.permutation(np.concatenate([np.flatnonzero(digits.y_train != rare_class), kept]))
    order = np.concatenate([active, dropped])
    held_out = {"held-out": (digits.x_test, digits.y_test)}
    return Scenario(
        digits,
        _clean_training(digits, order, len(active)),
        held_out,
        tr(
            "The training set has {count} examples of the digit {digit} ({share} of {total}); every other digit "
            "has about {others}."
        ).format(
            count=len(kept),
            digit=rare_class,
            share=percent(len(kept) / len(active), 1),
            total=len(active),
            others=round((len(active) - len(kept)) / (digits.num_classes - 1)),
        ),
        settings={tr("rare digit"): int(rare_class), tr("its examples kept"): percent(kept_share)},
    )


def make_diversity_scenario(distinct: int, seed: int) -> Scenario:
    """The full training-set size, made of `distinct` different digits (the same share of every class)
    repeated until the set is full: equal amounts of data, very different amounts of information."""
    digits, rng = _digits(), np.random.default_rng(seed)
    n_rows = len(digits.y_train)
    per_class = n_rows if distinct >= n_rows else max(1, int(distinct) // digits.num_classes)
    chosen = np.concatenate(
        [rng.permutation(np.flatnonzero(digits.y_train == c))[:per_class] for c in range(digits.num_classes)]
    )
    rows = rng.permutation(np.resize(rng.permutation(chosen), n_rows))
    copies = n_rows / len(chosen)
    return Scenario(
        digits,
        _clean_training(digits, rows),
        {"held-out": (digits.x_test, digits.y_test)},
        (
            tr("{count} training examples made of {distinct} distinct digits, each repeated about {copies} times.")
            if copies >= 1.5
            else tr("{count} training examples made of {distinct} distinct digits (no repeats).")
        ).format(count=n_rows, distinct=len(chosen), copies=f"{copies:.0f}"),
        settings={tr("distinct digits"): len(chosen)},
    )


def make_shift_scenario(file_order: bool, seed: int) -> Scenario:
    """Train on 1437 digits and hold out 360: chosen at random (shuffled, stratified), or by position in
    scikit-learn's file, where the last 360 digits were written by other people than the first ones."""
    digits = _digits()
    if file_order:
        (x, y), cut = digits_in_file_order(), len(digits.y_train)
        digits = Dataset(
            "digits split in file order",
            x[:cut],
            y[:cut],
            x[cut:],
            y[cut:],
            digits.num_classes,
            digits.class_names,
            digits.image_shape,
        )
    rows = np.random.default_rng(seed).permutation(len(digits.y_train))
    description = (
        tr("Held-out set: the last 360 digits of the file (other writers); training set: the other {count}.")
        if file_order
        else tr("Held-out set: 360 digits picked at random; training set: the other {count}.")
    ).format(count=len(rows))
    return Scenario(
        digits,
        _clean_training(digits, rows),
        {"held-out": (digits.x_test, digits.y_test)},
        description,
        settings={tr("held-out digits"): tr("file order") if file_order else tr("shuffled")},
    )
