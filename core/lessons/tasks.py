"""Guided tasks: for each lesson, a few questions that set the page up, with answers that hold for the run.

A task is data: the question, the answer in plain words, the widget values it sets (keys as on the page) and
`check`, the answer's claim in numbers, read from the finished run. Question and answer are written in English with a
placeholder for every number, which `numbers()` fills as the learner's language writes it (`tr()` translates the
text where it is shown: `task.question`, `task.answer_text`). `run_task` makes the same engine calls the
page makes with those settings, so a test can train each task and check its claim for several seeds. Settings
leave the seed alone: the learner's seed stays, so every answer is phrased to hold whatever the seed.

    >>> task = LESSONS["lab"].tasks[0]
    >>> task.check(run_task("lab", task.settings, seed=0))
    True
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from babel.dates import format_date

from core.engine.classifier import LabConfig, TrainingRun
from core.engine.data import load_dataset
from core.i18n import locale, number, percent, tr, tr_later
from core.lessons import data_quality, fine_tuning, knowledge, memorize, own_data, playground, rules, tables
from core.lessons.training_step.stepper import MINIBATCH, Stepper, load_line_problem

SEEDS_CHECKED = (0, 1, 2)  # the default seed and two more: an answer must hold for each
SAMPLE_FOLDER = Path(__file__).resolve().parents[2] / "sample_data"
GROUP_COLUMN = "region"  # of the sample loan file: its rural applicants are few


@dataclass(frozen=True)
class Task:
    """One guided task: what to ask, what the model then does (in words and, in `check`, in numbers)."""

    question_en: str  # in English, each number a {placeholder}; `question` is it in the learner's language
    answer_en: str  # likewise; `answer_text` is it in the learner's language
    settings: dict  # widget key -> value, exactly as the page's widgets hold them
    check: Callable[[object], bool]  # the answer's claim, read from the finished run
    starts_run: bool = True  # False: the learner presses the page's own button (e.g. after uploading a file)
    # The placeholders' values, written for the learner's language: a function, so a measured number is measured
    # when the task is first shown.
    numbers: Callable[[], dict] = dict

    @property
    def question(self) -> str:
        return tr(self.question_en).format(**self.numbers())

    @property
    def answer_text(self) -> str:
        return tr(self.answer_en).format(**self.numbers())


@dataclass(frozen=True)
class Lesson:
    """A lesson's tasks, the widget key of its seed, and the run its page starts from its widget values."""

    tasks: tuple[Task, ...]
    seed_key: str
    make_run: Callable[[dict], object]


# ---- each page's engine calls, from its widget values (the page's own names in the docstrings) ----


def lab_run(state: dict) -> TrainingRun:
    """The lab page's config_from_widgets and TrainingRun."""
    size = round(len(load_dataset(state["lab_dataset"]).y_train) * state["lab_size"] / 100)
    config = LabConfig(
        dataset=state["lab_dataset"],
        learning_rate=float(state["lab_lr"]),
        epochs=int(state["lab_epochs"]),
        label_noise=state["lab_noise"] / 100,
        train_size=max(size, 10),
        input_noise=float(state["lab_input_noise"]),
        hidden=(int(state["lab_width"]),) * int(state["lab_depth"]),
        weight_decay=float(state["lab_wd"]),
        optimizer=state["lab_optimizer"],
        seed=int(state["lab_seed"]),
    )
    return TrainingRun(config)


def rules_run(state: dict) -> TrainingRun:
    return rules.start_run(state["rules_examples"] == "few_debts", int(state["rules_seed"]))


def loop_run(state: dict, steps: int = 200) -> Stepper:
    """The training-loop page's current_stepper, heading for one press of Run (200 steps)."""
    batch_size = MINIBATCH if state["loop_batch"] == "minibatch" else None
    problem = load_line_problem(state["loop_scaling"])
    stepper = Stepper(problem, float(state["loop_lr"]), batch_size, int(state["loop_seed"]))
    stepper.run_for(steps)
    return stepper


def playground_config(state: dict) -> playground.PlaygroundConfig:
    return playground.PlaygroundConfig(
        dataset=state["play_dataset"],
        n_points=int(state["play_points"]),
        noise=float(state["play_noise"]),
        held_out_share=state["play_held_out"] / 100,
        hidden=(int(state["play_width"]),) * int(state["play_depth"]),
        activation=state["play_activation"],
        learning_rate=float(state["play_lr"]),
        batch_size=int(state["play_batch"]),
        regularization=state["play_reg"],
        regularization_strength=float(state["play_strength"]),
        optimizer=state["play_optimizer"],
        epochs=int(state["play_epochs"]),
        seed=int(state["play_seed"]),
    )


def playground_run(state: dict) -> TrainingRun:
    return playground.start_run(playground_config(state))


def scenario(state: dict) -> data_quality.Scenario:
    """The data-quality page's build_scenario for the chosen scenario."""
    seed, key = int(state["dq_seed"]), state["dq_scenario"]
    if key == "groups":
        return data_quality.make_group_scenario(state["dq_group_share"] / 100, seed)
    if key == "noise":
        concentrated = state["dq_noise_where"] == "concentrated"
        return data_quality.make_label_noise_scenario(state["dq_noise_share"] / 100, concentrated, seed)
    if key == "imbalance":
        return data_quality.make_imbalance_scenario(int(state["dq_rare_digit"]), state["dq_rare_kept"] / 100, seed)
    if key == "diversity":
        return data_quality.make_diversity_scenario(int(state["dq_distinct"]), seed)
    return data_quality.make_shift_scenario(state["dq_shift_split"] == "file", seed)


def data_quality_run(state: dict) -> data_quality.ScenarioRun:
    return data_quality.start_run(scenario(state), state["dq_epochs"], state["dq_seed"])


@dataclass(repr=False)
class UploadRun(TrainingRun):
    """A run on an uploaded table that knows the group (e.g. region) of each held-out row, as the page does."""

    held_out_groups: np.ndarray | None = None


def sample_table(filename: str = "loan_repayment.csv") -> tables.Table:
    """A sample file read as the page reads an upload of it."""
    return tables.read_table((SAMPLE_FOLDER / filename).read_bytes(), filename).table


def own_data_run(state: dict) -> TrainingRun:
    """The own-data page's start_upload_run on the sample loan file, with its label and left-out columns."""
    prepared = own_data.prepare_training_data(
        sample_table(), state["dq_upload_label"], False, GROUP_COLUMN, left_out=tuple(state["dq_upload_left_out"])
    )
    dataset = prepared.dataset
    size = max(round(len(dataset.y_train) * state["dq_upload_size"] / 100), dataset.num_classes)
    config = LabConfig(
        dataset=dataset.name,
        learning_rate=float(state["dq_upload_lr"]),
        epochs=int(state["dq_upload_epochs"]),
        label_noise=state["dq_upload_noise"] / 100,
        train_size=size,
        hidden=(64,),
        seed=int(state["dq_seed"]),
    )
    return UploadRun(config, dataset, held_out_groups=prepared.held_out_groups)


def fine_tuning_run(state: dict) -> fine_tuning.FineTuneRun:
    config = fine_tuning.FineTuneConfig(
        style=state["ft_dataset"],
        texts=int(state["ft_texts"]),
        off_style_share=state["ft_off_style"] / 100,
        learning_rate=float(state["ft_lr"]),
        steps=int(state["ft_steps"]),
        temperature=float(state.get("ft_temperature", fine_tuning.FineTuneConfig.temperature)),  # samples only
        seed=int(state["ft_seed"]),
    )
    return fine_tuning.FineTuneRun(config)


def run_task(lesson: str, settings: dict, seed: int):
    """Train what pressing the task's button trains, with the learner's `seed`, and return the finished run."""
    chosen = LESSONS[lesson]
    run = chosen.make_run({**settings, chosen.seed_key: seed})
    while run.advance():
        pass
    return run


# ---- the claims' numbers ----


def final(values) -> float:
    return float(values[-1]) if len(values) else float("nan")


def group_accuracy(run: UploadRun, group: str) -> float:
    """Held-out accuracy on the rows of one group (e.g. "rural")."""
    rows = run.held_out_groups == group
    predicted = run.predict_proba(run.dataset.x_test[rows]).argmax(axis=1)
    return float(np.mean(predicted == run.dataset.y_test[rows]))


def held_out(run: data_quality.ScenarioRun, name: str = "held-out") -> data_quality.HeldOutResult:
    return data_quality.held_out_results(run)[name]


def far_applicant(run: TrainingRun, income: float, debts: float) -> rules.FarAnswer:
    """What the model (and the best rule) answer for one of the far applicants."""
    answers = rules.far_answers(run, rules.best_rule())
    return next(answer for answer in answers if (answer.income, answer.debts) == (income, debts))


def best_rule_right() -> int:
    held = rules.held_out_applicants()
    return rules.right_count(rules.best_rule().approves(held.income, held.debts), held)


def date_text(date: datetime.date) -> str:
    """A date as the learner's language writes it: "1 January 2024", "1 januari 2024"."""
    return format_date(date, "d MMMM y", locale=locale())


# ---- the tasks: settings start from each page's defaults (seed left out), so a task does not depend on the
# learner's earlier changes; numbers in the answers were measured for seeds 0, 1 and 2 (tests/test_tasks.py)

LAB_BASE = memorize.PAGE_DEFAULTS
LAB_TASKS = (
    Task(
        tr_later(
            "Raise wrong labels to {noise} and train for {epochs} epochs. At which epoch is held-out accuracy best, "
            "and why does it fall afterwards?"
        ),
        tr_later(
            "Held-out accuracy is best early, within the first {early} epochs, at over {best}: the network first "
            "learns what most examples agree on, the real shapes of the digits. Then it starts learning the wrong "
            "labels by heart. By epoch {epochs} it repeats over {memorized} of the wrong labels it was given, and "
            "held-out accuracy has fallen below {fallen}. (The dotted line marks the lowest held-out loss, a little "
            "later but before epoch {lowest_loss_by}: the loss also counts how sure the model is of its answers.)"
        ),
        {**LAB_BASE, "lab_noise": 40, "lab_epochs": 300},
        lambda run: (
            int(np.argmax(run.history().test_accuracy)) + 1 <= 30
            and run.history().best_epoch() < 70
            and run.history().test_accuracy.max() > 0.9
            and final(run.history().test_accuracy) < 0.75
            and final(run.history().memorized_share) > 0.9
        ),
        numbers=lambda: {
            "noise": percent(0.4),
            "epochs": 300,
            "early": 30,
            "best": percent(0.9),
            "memorized": percent(0.9),
            "fallen": percent(0.75),
            "lowest_loss_by": 70,
        },
    ),
    Task(
        tr_later(
            "With clean data, train for {epochs} epochs. Does the network do as well on digits it has never seen "
            "as on its training digits?"
        ),
        tr_later(
            "Almost: it gets every training digit right ({training}) and over {held_out} of the held-out digits. "
            "With correct labels and enough examples, what it learns carries over to new digits."
        ),
        {**LAB_BASE, "lab_epochs": 100},
        lambda run: final(run.history().train_accuracy) > 0.99 and final(run.history().test_accuracy) > 0.95,
        numbers=lambda: {"epochs": 100, "training": percent(1), "held_out": percent(0.95)},
    ),
    Task(
        tr_later(
            "Keep only {kept} of the training digits (about {count}) and train for {epochs} epochs. What happens to "
            "the gap between training and held-out accuracy?"
        ),
        tr_later(
            "The network still gets all its training digits right, but at least {points} points fewer of the "
            "held-out digits (it reaches about {low}-{high}, against over {all_data} with all the data). With few "
            "examples it learns them rather than what digits in general look like: the gap grows."
        ),
        {**LAB_BASE, "lab_size": 10, "lab_epochs": 300},
        lambda run: (
            final(run.history().train_accuracy) > 0.99
            and final(run.history().generalization_gap_accuracy) >= 0.05
            and final(run.history().test_accuracy) < 0.95
        ),
        numbers=lambda: {
            "kept": percent(0.1),
            "count": 140,
            "epochs": 300,
            "points": 5,
            "low": 88,
            "high": percent(0.94),
            "all_data": percent(0.95),
        },
    ),
    Task(
        tr_later("Set the learning rate to {rate}, far too high. What happens?"),
        tr_later(
            "Training fails within the first {epochs} epochs: each update jumps so far that the loss (the model's "
            "error) explodes, or the network ends up answering the same digit for everything. The run stops and "
            "says why."
        ),
        {**LAB_BASE, "lab_lr": 5.0, "lab_epochs": 100},
        lambda run: run.failure is not None and run.diverged_at <= 10,
        numbers=lambda: {"rate": number(5), "epochs": 10},
    ),
)

RULES_TASKS = (
    Task(
        tr_later(
            "Set the best two thresholds and train the model on all {examples} examples. Which decides more of the "
            "{held_out} held-out applicants right?"
        ),
        tr_later(
            "The model: it gets at least {model} of them right, the best two thresholds {rule}. Two thresholds can "
            "only draw a corner, while the real border curves; the model follows the curve because its examples "
            "show it."
        ),
        {"rules_min_income": 35, "rules_max_debts": 40, "rules_examples": "all"},
        lambda run: rules.summarize(run).right >= 110 > best_rule_right(),
        # Measured when first shown, not when this module is imported: every page imports the tasks, and the
        # rules lesson's data would pull scikit-learn into the first page of a fresh server.
        numbers=lambda: {"examples": 280, "held_out": 120, "model": 110, "rule": best_rule_right()},
    ),
    Task(
        tr_later(
            "Train the model only on applicants with debts up to {debts} thousand. How does it decide held-out "
            "applicants with higher debts?"
        ),
        tr_later(
            "Badly: it gets under {right} of them right (against all of them with lower debts), and approves "
            "{approved} or more who did not repay. It never saw anyone with high debts, so there it guesses, as "
            "sure of itself as anywhere else."
        ),
        {"rules_min_income": 35, "rules_max_debts": 40, "rules_examples": "few_debts"},
        lambda run: (
            rules.summarize(run).accuracy_high_debts < 0.75
            and rules.summarize(run).accuracy_rest > 0.95
            and rules.summarize(run).wrong_approvals_high_debts >= 15
        ),
        numbers=lambda: {"debts": 30, "right": percent(0.75), "approved": 15},
    ),
    Task(
        tr_later(
            "Train on all examples, then look at the applicant with an income of {income} thousand and debts of "
            "{debts} thousand, far outside the examples. What do the model and the world say?"
        ),
        tr_later(
            "The model approves, over {sure} sure, yet in this made-up world such a debt would not be repaid. "
            "Nobody like this applicant was among its examples: it stretches what it saw, and nothing warns that it "
            "is guessing."
        ),
        {"rules_min_income": 35, "rules_max_debts": 40, "rules_examples": "all"},
        lambda run: far_applicant(run, 200, 90).model_chance > 0.9 and not far_applicant(run, 200, 90).world_repays,
        numbers=lambda: {"income": 200, "debts": 90, "sure": percent(0.9)},
    ),
)

LOOP_BASE = {"loop_batch": "all", "loop_scaling": "0 to 1"}
LOOP_TASKS = (
    Task(
        tr_later("Take {steps} steps with a learning rate of {rate}. Has the line found its best fit?"),
        tr_later(
            "No: the loss (the average squared error) is still about {loss}, almost twice the lowest possible "
            "({lowest}). Each step moves the line only a little, so it needs thousands of steps: the rate is too "
            "slow."
        ),
        {**LOOP_BASE, "loop_lr": 0.01},
        lambda stepper: stepper.failure is None and stepper.losses[-1] > 1.5 * stepper.problem.lowest_loss,
        numbers=lambda: {"steps": 200, "rate": number(0.01), "loss": number(0.62), "lowest": number(0.33)},
    ),
    Task(
        tr_later("Take {steps} steps with a learning rate of {rate}, just above the stability limit. What happens?"),
        tr_later(
            "Each step overshoots the bottom of the valley by more than it was off before, so the error grows "
            "instead of shrinking. Within {within} steps the loss has blown up and the run stops."
        ),
        {**LOOP_BASE, "loop_lr": 1.9},
        lambda stepper: stepper.failure == "blew_up" and stepper.steps_done <= 10,
        numbers=lambda: {"steps": 200, "rate": number(1.9), "within": 10},
    ),
    Task(
        tr_later(
            "Switch the feature scaling to 'standardized' and take {steps} steps with a learning rate of {rate}. "
            "Does the line reach its best fit?"
        ),
        tr_later(
            "Yes: the loss reaches its lowest possible value ({lowest}) to three decimals. Standardized data turns "
            "the long tilted valley into a round bowl, so one learning rate suits both parameters. (With 'scaled 0 "
            "to 1' the same rate ends far above it.)"
        ),
        {**LOOP_BASE, "loop_scaling": "standardized", "loop_lr": 0.05},
        lambda stepper: stepper.losses[-1] - stepper.problem.lowest_loss < 1e-3,
        numbers=lambda: {"steps": 200, "rate": number(0.05), "lowest": number(0.328)},
    ),
)

PLAYGROUND_BASE = playground.PAGE_DEFAULTS
PLAYGROUND_TASKS = (
    Task(
        tr_later("Choose 'circles' and {layers} hidden layers. Can the network separate the disc from the ring?"),
        tr_later(
            "No: without a hidden layer its boundary is a straight line, and no straight line cuts a disc from the "
            "ring around it. Held-out accuracy never gets above {best} (guessing gets about {chance})."
        ),
        {**PLAYGROUND_BASE, "play_dataset": "circles", "play_depth": 0},
        lambda run: run.history().test_accuracy.max() < 0.75,
        numbers=lambda: {"layers": 0, "best": percent(0.75), "chance": percent(0.5)},
    ),
    Task(
        tr_later("Now give it {layers} hidden layers on 'circles'. What changes?"),
        tr_later(
            "Hidden layers let it bend the boundary into a closed curve around the disc: held-out accuracy reaches "
            "{reached} or more."
        ),
        {**PLAYGROUND_BASE, "play_dataset": "circles"},
        lambda run: final(run.history().test_accuracy) >= 0.98,
        numbers=lambda: {"layers": 2, "reached": percent(0.98)},
    ),
    Task(
        tr_later(
            "Spirals with noise {noise}, only {points} points of which half held out, {neurons} neurons per layer, "
            "{epochs} epochs. What does the boundary do?"
        ),
        tr_later(
            "It draws small islands around single noisy training points. The network gets over {training} of its "
            "training points right but at most {part} in {whole} of the held-out ones: it memorizes the points "
            "instead of learning the spiral."
        ),
        {
            **PLAYGROUND_BASE,
            "play_noise": 0.5,
            "play_points": 200,
            "play_held_out": 50,
            "play_width": 64,
            "play_lr": 0.01,
            "play_epochs": 1000,
        },
        lambda run: final(run.history().train_accuracy) > 0.9 and final(run.history().test_accuracy) <= 0.75,
        numbers=lambda: {
            "noise": number(0.5),
            "points": 200,
            "neurons": 64,
            "epochs": 1000,
            "training": percent(0.9),
            "part": 3,
            "whole": 4,
        },
    ),
    Task(
        tr_later("Set the learning rate to {rate}. What happens?"),
        tr_later(
            "The loss blows up in the very first epochs and the run stops: every update throws the weights so far "
            "that the network's answers become meaningless."
        ),
        {**PLAYGROUND_BASE, "play_lr": 3.0},
        lambda run: run.failure == "blew_up",
        numbers=lambda: {"rate": number(3)},
    ),
)

OWN_DATA_BASE = {
    "dq_upload_label": "repaid",
    "dq_upload_left_out": [],
    "dq_upload_group": GROUP_COLUMN,
    "dq_upload_noise": 0,
    "dq_upload_size": 100,
    "dq_upload_lr": 1e-3,
    "dq_upload_epochs": 100,
}
OWN_DATA_TASKS = (
    Task(
        tr_later(
            "Upload the example file loan_repayment.csv (download it on the right), press the button, then Train. "
            "How well does the model do for city and for rural applicants?"
        ),
        tr_later(
            "Well for both: over {city} of the held-out city applicants and over {rural} of the rural ones are "
            "decided right. The file tells the model who lives where."
        ),
        OWN_DATA_BASE,
        lambda run: group_accuracy(run, "city") > 0.9 and group_accuracy(run, "rural") > 0.85,
        starts_run=False,
        numbers=lambda: {"city": percent(0.9), "rural": percent(0.85)},
    ),
    Task(
        tr_later(
            "Upload the example file loan_repayment.csv (download it on the right), press the button, then Train. "
            "The model now leaves out the column '{column}'. Whom does it fail?"
        ),
        tr_later(
            "The rural applicants: only about {rural} of them are decided right, against over {city} in the city. "
            "Living costs are lower in the countryside, so the same income goes further there; without the region "
            "the model judges rural applicants by city standards. They are only {part} in {whole} held-out "
            "applicants, so the overall accuracy hides it."
        ),
        {**OWN_DATA_BASE, "dq_upload_left_out": [GROUP_COLUMN]},
        lambda run: group_accuracy(run, "rural") < 0.7 and group_accuracy(run, "city") > 0.9,
        starts_run=False,
        numbers=lambda: {"column": GROUP_COLUMN, "rural": percent(0.6), "city": percent(0.9), "part": 1, "whole": 9},
    ),
    Task(
        tr_later(
            "Upload the example file loan_repayment.csv (download it on the right), press the button, then Train. "
            "{wrong} of the training labels are now wrong. Compare training and held-out accuracy."
        ),
        tr_later(
            "Training accuracy drops to about {training}, because it is counted against the wrong labels too. "
            "Held-out accuracy, on clean labels, stays above {held_out}: in {epochs} epochs this small network "
            "learns what most examples agree on, not the mistakes."
        ),
        {**OWN_DATA_BASE, "dq_upload_noise": 40},
        lambda run: final(run.history().train_accuracy) < 0.7 and final(run.history().test_accuracy) > 0.8,
        starts_run=False,
        numbers=lambda: {"wrong": percent(0.4), "training": percent(0.6), "held_out": percent(0.8), "epochs": 100},
    ),
)

DATA_QUALITY_EPOCHS = {"dq_epochs": 50}  # each task sets only its scenario's widgets: the others are hidden
DATA_QUALITY_TASKS = (
    Task(
        tr_later(
            "Under-represented group: set group B's share to {share}, so the model never sees a mirrored digit. Is "
            "the model good?"
        ),
        tr_later(
            "On the data it was trained like, yes: over {right} right, for the held-out mix and for group A. For "
            "group B, less than half of the mirrored digits are recognised. An average over the people you trained "
            "on says nothing about the people you left out."
        ),
        {**DATA_QUALITY_EPOCHS, "dq_scenario": "groups", "dq_group_share": 0},
        lambda run: (
            held_out(run, data_quality.GROUP_A).accuracy > 0.95 and held_out(run, data_quality.GROUP_B).accuracy < 0.5
        ),
        numbers=lambda: {"share": percent(0), "right": percent(0.95)},
    ),
    Task(
        tr_later(
            "Careless labels: {wrong} wrong, all from one labeller who writes '{given}' on threes. How many "
            "held-out threes does the model recognise?"
        ),
        tr_later(
            "Almost none (under {threes}): it learned the labeller's habit and answers '{given}' for a three. Every "
            "other digit is recognised over {others} of the time, so overall accuracy still looks fair (over "
            "{overall})."
        ),
        {**DATA_QUALITY_EPOCHS, "dq_scenario": "noise", "dq_noise_share": 10, "dq_noise_where": "concentrated"},
        lambda run: (
            held_out(run).per_class[data_quality.CARELESS_TRUE] < 0.1
            and np.delete(held_out(run).per_class, data_quality.CARELESS_TRUE).min() > 0.85
            and held_out(run).accuracy > 0.85
        ),
        numbers=lambda: {
            "wrong": percent(0.1),
            "given": data_quality.CARELESS_GIVEN,
            "threes": percent(0.1),
            "others": percent(0.85),
            "overall": percent(0.85),
        },
    ),
    Task(
        tr_later("Rare class: keep only {kept} of the training eights. How often does the model recognise an eight?"),
        tr_later(
            "Only about half the time or less (under {eights}), although overall held-out accuracy stays over "
            "{overall}: the digit it rarely saw in training is the one it misses, and the average hides it."
        ),
        {**DATA_QUALITY_EPOCHS, "dq_scenario": "imbalance", "dq_rare_digit": 8, "dq_rare_kept": 5},
        lambda run: held_out(run).per_class[8] < 0.6 and held_out(run).accuracy > 0.9,
        numbers=lambda: {"kept": percent(0.05), "eights": percent(0.6), "overall": percent(0.9)},
    ),
    Task(
        tr_later(
            "Low diversity: make the {examples} training examples out of only {distinct} distinct digits, copied. "
            "How good is the model on new digits?"
        ),
        tr_later(
            "Poor: under {right} of the held-out digits are right, against about {all_different} with {examples} "
            "different ones. Copies add no information: the model has seen only ten ways of writing digits."
        ),
        {**DATA_QUALITY_EPOCHS, "dq_scenario": "diversity", "dq_distinct": 10},
        lambda run: held_out(run).accuracy < 0.7,
        numbers=lambda: {"examples": 1437, "distinct": 10, "right": percent(0.7), "all_different": percent(0.97)},
    ),
)
FINE_TUNING_BASE = {
    "ft_dataset": "english",
    "ft_texts": 100,
    "ft_off_style": 0,
    "ft_lr": 3e-3,
    "ft_steps": 20,  # short runs: each task's claim is checked by training it for three seeds
}
FINE_TUNING_TASKS = (
    Task(
        tr_later("Fine-tune for only {steps} steps. Which model does better on adverts it never trained on?"),
        tr_later(
            "The fine-tuned generic model, by far: its held-out loss (how surprised it is by each next token) falls "
            "from about {start} to under {end}. The same model trained from scratch is still above {scratch} after "
            "the same {steps} steps. Pretraining already taught it English; fine-tuning only has to add the house "
            "style."
        ),
        FINE_TUNING_BASE,
        lambda run: (
            final(run.history().heldout_style["fine_tuned"]) < 3.2
            and final(run.history().heldout_style["from_scratch"]) > 5.5
        ),
        numbers=lambda: {"steps": 20, "start": number(4.6), "end": number(3.2), "scratch": number(5.5)},
    ),
    Task(
        tr_later("Set the learning rate to {rate} and fine-tune for {steps} steps. What happens?"),
        tr_later(
            "Training stops within the first {within} steps: the loss blows up. Steps this big throw away what "
            "pretraining built instead of adjusting it; the page suggests a smaller rate."
        ),
        {**FINE_TUNING_BASE, "ft_lr": 0.3, "ft_steps": 50},
        lambda run: run.failure == "blew_up" and run.steps_done <= 10,
        numbers=lambda: {"rate": number(0.3), "steps": 50, "within": 10},
    ),
    Task(
        tr_later(
            "Choose the Dutch adverts ({texts} texts) and fine-tune for {steps} steps. How does the generic model, "
            "which has only read English, cope?"
        ),
        tr_later(
            "Before fine-tuning it is lost: its held-out loss on Dutch is above {dutch}, far above its {english} on "
            "English adverts (its tokens are pieces of English words, so Dutch comes in small, unfamiliar pieces). "
            "After {steps} steps it is below {after}, while the model trained from scratch is still above "
            "{scratch}: even in another language, the letters, spacing and layout it learned in pretraining help."
        ),
        {**FINE_TUNING_BASE, "ft_dataset": "dutch", "ft_texts": 100},
        lambda run: (
            run.history().heldout_style["fine_tuned"][0] > 6
            and final(run.history().heldout_style["fine_tuned"]) < 3.5
            and final(run.history().heldout_style["from_scratch"]) > 5
        ),
        numbers=lambda: {
            "texts": 100,
            "steps": 20,
            "dutch": number(6),
            "english": number(4.6),
            "after": number(3.5),
            "scratch": number(5),
        },
    ),
)


def knowledge_check(state: dict):
    """The knowledge page's answers with these settings (imported here: the retriever loads scikit-learn)."""
    from core.lessons import knowledge_lesson

    return knowledge_lesson.TaskCheck(state)


KNOWLEDGE_BASE = {
    "kn_cutoff": knowledge.DEFAULT_CUTOFF.isoformat(),
    "kn_question": knowledge.DEFAULT_QUESTION,
    "kn_library": "current",
}
# The default question's answer from memory and today, as the model writes them, and the day it changed.
OLD_OPENING, NEW_OPENING, OPENING_CHANGED = "7:30", "7:00", datetime.date(2024, 3, 1)
KNOWLEDGE_TASKS = (
    Task(
        tr_later(
            "Keep the prepared cutoff, {cutoff}, and ask when Bakery Van Dijk opens on weekdays. What does the "
            "model answer from memory, and what with retrieval?"
        ),
        tr_later(
            "From memory it says {old}, the opening time it learned, which changed to {new} on {changed}, after its "
            "cutoff. Nothing in the model says its answer is old. With retrieval it reads the new announcement in "
            "its context and answers {new}, without any training."
        ),
        KNOWLEDGE_BASE,
        lambda check: check.closed.written.strip() == OLD_OPENING and check.opened.right,
        starts_run=False,
        numbers=lambda: {
            "cutoff": date_text(knowledge.DEFAULT_CUTOFF),
            "old": OLD_OPENING,
            "new": NEW_OPENING,
            "changed": date_text(OPENING_CHANGED),
        },
    ),
    Task(
        tr_later("Now make retrieval miss the right document ('What retrieval finds'). What does the model answer?"),
        tr_later(
            "Not {new}: it answers from the passages it was given, and none of them holds today's opening time. "
            "Retrieval is only as good as what it finds: a library with wrong or missing documents gives wrong "
            "answers."
        ),
        {**KNOWLEDGE_BASE, "kn_library": "wrong"},
        lambda check: not check.opened.right,
        starts_run=False,
        numbers=lambda: {"new": NEW_OPENING},
    ),
    Task(
        tr_later(
            "Look at the table of every question (step {step}). How many facts that changed after the cutoff does "
            "the model get right from memory, and how many with retrieval?"
        ),
        tr_later(
            "From memory hardly any, at most one in ten: it answers with what was true before its cutoff, or makes "
            "something up. With retrieval about two in three or more, from the same model, not retrained. It misses "
            "the rest by misreading a passage (a name copied wrong, the wrong one of two prices) or because what it "
            "learned by heart wins over what the passage says."
        ),
        KNOWLEDGE_BASE,
        lambda check: (
            check.table["closed_book"]["changed"].share <= 0.1 and check.table["retrieval"]["changed"].share >= 0.65
        ),
        starts_run=False,
        numbers=lambda: {"step": 3},
    ),
)

# Keyed by each page's widget prefix.
LESSONS = {
    "rules": Lesson(RULES_TASKS, "rules_seed", rules_run),
    "lab": Lesson(LAB_TASKS, "lab_seed", lab_run),
    "loop": Lesson(LOOP_TASKS, "loop_seed", loop_run),
    "play": Lesson(PLAYGROUND_TASKS, "play_seed", playground_run),
    "dq": Lesson(DATA_QUALITY_TASKS, "dq_seed", data_quality_run),
    "dq_upload": Lesson(OWN_DATA_TASKS, "dq_seed", own_data_run),
    "ft": Lesson(FINE_TUNING_TASKS, "ft_seed", fine_tuning_run),
    "kn": Lesson(KNOWLEDGE_TASKS, "kn_seed", knowledge_check),
}
