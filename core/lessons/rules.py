"""Lesson "Rules or examples?": a loan rule a person writes, beside a network formed by examples.

The task: from an applicant's yearly income and debts (in thousands), decide whether to lend, judged by whether
past applicants repaid. The made-up world behind the data has a curved border (`affordable_debts`); a person's
rule has two thresholds, so it can only draw a corner. The network is the lab's `TrainingRun` with the
playground's default shapes (280 training rows, 120 held out, two tanh layers of 16, batch 16), so both lessons
share one compiled training chunk, and its predictions on a plane use the playground's grid size.

    >>> run = start_run(leave_out_high_debts=False, seed=0)
    >>> while run.advance():
    ...     pass
    >>> accuracy(model_approves(run, held_out_applicants()), held_out_applicants().repaid)
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from core.engine.classifier import LabConfig, TrainingRun
from core.engine.data import Dataset, TrainingData, from_arrays
from core.i18n import number, percent, tr, trn

# ---- the made-up world and its examples ----

N_APPLICANTS = 400  # with 30% held out: the playground's default shapes, so one compiled chunk serves both
HELD_OUT_SHARE = 0.3
INCOME_RANGE = (15, 125)  # thousands a year: every example lies in this range
DEBTS_RANGE = (0, 60)  # thousands
BORDER_SOFTNESS = 2.0  # thousands of debt over which repaying goes from likely to unlikely: outcomes are noisy
DATA_SEED = 4  # of the first twelve samples, one whose held-out results look like those of 5,000 fresh applicants
CLASS_NAMES = ("did not repay", "repaid")
# The network learns best from inputs of order one: income and debts are centred and scaled before it sees them.
INPUT_CENTRE = np.array([70.0, 30.0])
INPUT_SCALE = np.array([30.0, 15.0])


def affordable_debts(income) -> np.ndarray:
    """The border in the made-up world: applicants with less debt than this usually repaid. Nothing is affordable
    below an income of 20 thousand; above it, the affordable debt grows with the square root of the income over 20,
    so each extra thousand earned carries a little less debt."""
    income = np.asarray(income, float)
    return np.where(income >= 20, 5.5 * np.sqrt(np.maximum(income - 20, 0)), income - 20)


@dataclass(frozen=True)
class Applicants:
    """Loan applicants in the units a person reads: thousands a year of income, thousands of debts."""

    income: np.ndarray  # (n,) whole thousands
    debts: np.ndarray  # (n,) whole thousands
    repaid: np.ndarray  # (n,) int32: 1 repaid, 0 did not

    def __len__(self) -> int:
        return len(self.income)

    def where(self, rows: np.ndarray) -> Applicants:
        return Applicants(self.income[rows], self.debts[rows], self.repaid[rows])


def make_applicants(n: int, rng: np.random.Generator) -> Applicants:
    """n applicants spread evenly over the examples' range; the further below the border, the likelier they repaid."""
    income = np.round(rng.uniform(*INCOME_RANGE, n))
    debts = np.round(rng.uniform(*DEBTS_RANGE, n))
    chance_repaid = 1 / (1 + np.exp(-(affordable_debts(income) - debts) / BORDER_SOFTNESS))
    return Applicants(income, debts, (rng.uniform(size=n) < chance_repaid).astype(np.int32))


def model_inputs(income, debts) -> np.ndarray:
    """What the network sees: (n, 2) float32, centred and scaled."""
    raw = np.stack([np.asarray(income, float), np.asarray(debts, float)], axis=-1)
    return ((raw - INPUT_CENTRE) / INPUT_SCALE).astype(np.float32)


def applicants_from(x: np.ndarray, y: np.ndarray) -> Applicants:
    """The applicants behind model inputs (the inverse of model_inputs, back to whole thousands)."""
    raw = np.rint(np.asarray(x, float) * INPUT_SCALE + INPUT_CENTRE)
    return Applicants(raw[:, 0], raw[:, 1], np.asarray(y, np.int32))


@lru_cache(maxsize=1)
def loans() -> Dataset:
    """The 400 past applicants, split once into 280 examples to learn from and 120 held out. Shared, never copied."""
    applicants = make_applicants(N_APPLICANTS, np.random.default_rng(DATA_SEED))
    return from_arrays(
        "loans", model_inputs(applicants.income, applicants.debts), applicants.repaid, CLASS_NAMES, HELD_OUT_SHARE
    )


def training_applicants() -> Applicants:
    return applicants_from(loans().x_train, loans().y_train)


def held_out_applicants() -> Applicants:
    return applicants_from(loans().x_test, loans().y_test)


def right_count(approved: np.ndarray, applicants: Applicants) -> int:
    """How many applicants were decided right: approved and repaid, or declined and did not repay."""
    return int(np.sum(np.asarray(approved, bool) == (applicants.repaid == 1)))


def accuracy(approved: np.ndarray, repaid: np.ndarray) -> float:
    """The share of applicants decided right: approved and repaid, or declined and did not repay. NaN for none."""
    if len(repaid) == 0:
        return float("nan")
    return float(np.mean(np.asarray(approved, bool) == (np.asarray(repaid) == 1)))


# ---- the rule a person writes ----

INCOME_THRESHOLDS = tuple(range(15, 130, 5))  # the rule's sliders, in thousands
DEBTS_THRESHOLDS = tuple(range(0, 65, 5))


@dataclass(frozen=True)
class Rule:
    """Approve only if income is at least `min_income` and debts are at most `max_debts` (thousands)."""

    min_income: float
    max_debts: float

    def lines(self) -> tuple[str, str, str]:
        """The rule as three lines a person reads, in the learner's language."""
        return (
            tr("if income is below {income} thousand: decline").format(income=number(self.min_income)),
            tr("if debts are above {debts} thousand: decline").format(debts=number(self.max_debts)),
            tr("otherwise: approve"),
        )

    def deciding_line(self, income, debts) -> np.ndarray:
        """Per applicant, the 0-based line of the rule that decides: the first one that applies."""
        income, debts = np.asarray(income), np.asarray(debts)
        return np.where(income < self.min_income, 0, np.where(debts > self.max_debts, 1, 2))

    def approves(self, income, debts) -> np.ndarray:
        return self.deciding_line(income, debts) == 2


@dataclass(frozen=True)
class LineTally:
    """What one line of a rule did to a set of applicants."""

    text: str
    decided: int  # applicants this line decided
    right: int  # ... of whom it decided right


def tally_lines(rule: Rule, applicants: Applicants) -> list[LineTally]:
    """Each line of the rule with how many applicants it decided and how many of those it got right."""
    line = rule.deciding_line(applicants.income, applicants.debts)
    tallies = []
    for index, text in enumerate(rule.lines()):
        decided = line == index
        outcome_it_bets_on = 1 if index == 2 else 0
        tallies.append(
            LineTally(text, int(decided.sum()), int(np.sum(decided & (applicants.repaid == outcome_it_bets_on))))
        )
    return tallies


@lru_cache(maxsize=1)
def best_rule() -> Rule:
    """Of every rule the sliders can set, the one right about the most training examples (the first, on a tie)."""
    examples = training_applicants()
    rules = [Rule(income, debts) for income in INCOME_THRESHOLDS for debts in DEBTS_THRESHOLDS]
    scores = [accuracy(rule.approves(examples.income, examples.debts), examples.repaid) for rule in rules]
    return rules[int(np.argmax(scores))]


# ---- the network, formed by examples ----

HIDDEN = (16, 16)
ACTIVATION = "tanh"
LEARNING_RATE = 0.03
BATCH_SIZE = 16
EPOCHS = 100  # held-out accuracy is flat after about 50; 10 live redraws let a learner watch the border form
LEFT_OUT_ABOVE_DEBTS = 30  # the one-sided examples: nobody who owed more than this many thousands


def in_left_out_region(applicants: Applicants) -> np.ndarray:
    return applicants.debts > LEFT_OUT_ABOVE_DEBTS


def training_data(leave_out_high_debts: bool) -> TrainingData:
    """Every training example, or only those with debts up to LEFT_OUT_ABOVE_DEBTS. Rows left out move past
    n_active, so the arrays keep their shape and the compiled chunk is reused."""
    dataset = loans()
    keep = ~in_left_out_region(training_applicants()) if leave_out_high_debts else np.ones(len(dataset.y_train), bool)
    rows = np.concatenate([np.flatnonzero(keep), np.flatnonzero(~keep)])
    labels = dataset.y_train[rows]
    return TrainingData(dataset.x_train[rows], labels, labels, np.zeros(len(rows), bool), int(keep.sum()), rows)


def start_run(leave_out_high_debts: bool, seed: int) -> TrainingRun:
    """An untrained network ready to learn from the examples (call `advance()` for each chunk of epochs)."""
    config = LabConfig(
        dataset="loans",
        learning_rate=LEARNING_RATE,
        epochs=EPOCHS,
        hidden=HIDDEN,
        activation=ACTIVATION,
        batch_size=BATCH_SIZE,
        seed=int(seed),
    )
    return TrainingRun(config, loans(), training_data(bool(leave_out_high_debts)))


def leaves_out_high_debts(run: TrainingRun) -> bool:
    return run.data.n_active < len(run.data.x)


def approval_chance(run: TrainingRun, income, debts) -> np.ndarray:
    """The model's probability that each applicant repays; it approves from 0.5."""
    return run.predict_proba(model_inputs(income, debts))[:, 1]


def model_approves(run: TrainingRun, applicants: Applicants) -> np.ndarray:
    return approval_chance(run, applicants.income, applicants.debts) >= 0.5


def model_numbers(run: TrainingRun) -> np.ndarray:
    """Every number the model consists of, flattened: weights then biases, input layer first."""
    return np.concatenate([np.concatenate([kernel.ravel(), bias]) for kernel, bias in run.parameters()])


@dataclass(frozen=True)
class ModelSummary:
    """A trained model's results, kept to compare with the next one."""

    seed: int
    left_out: bool
    right: int  # held-out applicants decided right
    total: int
    accuracy_high_debts: float  # on held-out applicants with debts over LEFT_OUT_ABOVE_DEBTS
    accuracy_rest: float
    wrong_approvals_high_debts: int  # ... of them approved although they did not repay
    numbers: np.ndarray

    @property
    def accuracy(self) -> float:
        return self.right / self.total


def summarize(run: TrainingRun) -> ModelSummary:
    applicants = held_out_applicants()
    approved, high = model_approves(run, applicants), in_left_out_region(applicants)
    return ModelSummary(
        seed=int(run.config.seed),
        left_out=leaves_out_high_debts(run),
        right=right_count(approved, applicants),
        total=len(applicants),
        accuracy_high_debts=accuracy(approved[high], applicants.repaid[high]),
        accuracy_rest=accuracy(approved[~high], applicants.repaid[~high]),
        wrong_approvals_high_debts=int(np.sum(approved & high & (applicants.repaid == 0))),
        numbers=model_numbers(run),
    )


# ---- what each one does everywhere: a grid over the plane, inside and far beyond the examples ----

GRID = 64  # the playground's grid size: one compiled prediction serves both lessons


@dataclass(frozen=True)
class Plane:
    """GRID incomes by GRID debts; values on it are indexed [debts, income]."""

    income: np.ndarray
    debts: np.ndarray

    def mesh(self) -> tuple[np.ndarray, np.ndarray]:
        income, debts = np.meshgrid(self.income, self.debts)
        return income.ravel(), debts.ravel()


EXAMPLES_PLANE = Plane(np.linspace(10, 130, GRID), np.linspace(0, 65, GRID))
BEYOND_PLANE = Plane(np.linspace(0, 300, GRID), np.linspace(0, 150, GRID))


def rule_on_plane(rule: Rule, plane: Plane) -> np.ndarray:
    """(GRID, GRID): 1.0 where the rule approves, 0.0 where it declines."""
    return rule.approves(*plane.mesh()).astype(float).reshape(GRID, GRID)


def model_on_plane(run: TrainingRun, plane: Plane) -> np.ndarray:
    """(GRID, GRID): the model's chance of approval everywhere on the plane, in one prediction."""
    return approval_chance(run, *plane.mesh()).reshape(GRID, GRID)


def world_on_plane(plane: Plane) -> np.ndarray:
    """(GRID,) the made-up world's border: the affordable debt at each income of the plane."""
    return affordable_debts(plane.income)


# ---- far outside the examples ----

FAR_APPLICANTS = ((200, 90), (270, 130), (250, 20), (5, 10))  # (income, debts): nobody like them among the examples


@dataclass(frozen=True)
class FarAnswer:
    """What the rule and the model answer for one applicant unlike any example, and what the made-up world says."""

    income: float
    debts: float
    rule_line: int  # 0-based line of the rule that decided
    rule_approves: bool
    model_chance: float  # the model's probability of repaying; it approves from 0.5
    world_repays: bool  # debts below the made-up world's border

    @property
    def model_approves(self) -> bool:
        return self.model_chance >= 0.5

    @property
    def model_sureness(self) -> float:
        return max(self.model_chance, 1 - self.model_chance)


def far_answers(run: TrainingRun, rule: Rule) -> list[FarAnswer]:
    income, debts = (np.array(column, float) for column in zip(*FAR_APPLICANTS))
    chance, line = approval_chance(run, income, debts), rule.deciding_line(income, debts)
    world = debts < affordable_debts(income)
    return [
        FarAnswer(float(income[i]), float(debts[i]), int(line[i]), bool(line[i] == 2), float(chance[i]), bool(world[i]))
        for i in range(len(income))
    ]


def far_table(answers: list[FarAnswer]) -> dict[str, list[str]]:
    """The far applicants as a table in words: column name -> one cell per applicant (names and cells in the
    learner's language)."""

    def rule_cell(answer: FarAnswer) -> str:
        text = tr("approve (line {line})") if answer.rule_approves else tr("decline (line {line})")
        return text.format(line=answer.rule_line + 1)

    def model_cell(answer: FarAnswer) -> str:
        text = tr("approve, {sure} sure") if answer.model_approves else tr("decline, {sure} sure")
        return text.format(sure=percent(answer.model_sureness))

    return {
        tr("Applicant"): [far_label(answer) for answer in answers],
        tr("Your rule"): [rule_cell(answer) for answer in answers],
        tr("The model"): [model_cell(answer) for answer in answers],
        tr("Made-up world"): [
            tr("would repay") if answer.world_repays else tr("would not repay") for answer in answers
        ],
    }


def far_label(answer: FarAnswer) -> str:
    """An applicant far outside the examples as "income / debts", in thousands."""
    return f"{number(answer.income)} / {number(answer.debts)}"


# ---- readings: numbers in, one (level, text) out, or None where there is nothing to say ----

CLEAR_LEAD = 0.03  # of accuracy: a smaller difference on 120 applicants is too close to call
CLEAR_DROP = 0.10  # of accuracy, between the left-out region and everywhere else
SURE = 0.9  # a model this sure of a guess sounds like it knows


def read_scores(rule_right: int, model_right: int, total: int, rule_is_best: bool, model_left_out: bool):
    """Who decides more held-out applicants right, the rule or the model, and why."""
    lead = (model_right - rule_right) / total
    rule_words = tr("your rule (the best two thresholds for these examples)") if rule_is_best else tr("your rule")
    counts = {"model": number(model_right), "rule": number(rule_right), "total": number(total), "your_rule": rule_words}
    if lead >= CLEAR_LEAD:
        text = tr(
            "The model decides {model} of the {total} held-out applicants right, {your_rule} {rule}. "
            "Nobody told the model where the border lies: it found a curve in the examples, and two thresholds can "
            "only draw a corner."
        ).format(**counts)
        if model_left_out:
            text += " " + tr("It never saw anyone with large debts, though: see what that does below.")
        return ("success", text)
    if lead <= -CLEAR_LEAD:
        text = tr("The rule is ahead: {your_rule} decides {rule} of {total} right, the model {model}.").format(**counts)
        if model_left_out:
            text += " " + tr("It never saw anyone with large debts.")
        return ("info", text)
    return (
        "info",
        tr("Too close to call: {your_rule} decides {rule} of the {total} right, the model {model}.").format(**counts),
    )


def read_patterns(best_right: int, model_right: int, total: int, model_left_out: bool):
    """Why the model beats the best two thresholds: the border is a curve, found in the examples alone."""
    counts = {"model": number(model_right), "best": number(best_right), "total": number(total)}
    if model_left_out:
        return (
            "info",
            tr(
                "This model decides {model} of {total} right, the best two thresholds {best}; but it learned "
                "without anyone with large debts, which is not a fair race. Train it on all examples again to compare."
            ).format(**counts),
        )
    if model_right - best_right >= CLEAR_LEAD * total:
        return (
            "success",
            tr(
                "The best two thresholds decide {best} of {total} right, the model {model}. What someone "
                "can afford to owe grows with income along a curve: two thresholds can only draw a corner, and the "
                "model followed the curve from the examples alone. Nobody wrote it down."
            ).format(**counts),
        )
    return (
        "info",
        tr(
            "The best two thresholds decide {best} of {total} right and the model {model}: not a clear "
            "difference this time. Train the model again with another seed."
        ).format(**counts),
    )


def read_rule(approved: np.ndarray, repaid: np.ndarray):
    """A rule that approves everyone or no one, in words."""
    if approved.all():
        return (
            "warning",
            tr("Your rule approves everyone, so it is right only about the {share} who repaid.").format(
                share=percent(np.mean(repaid == 1))
            ),
        )
    if not approved.any():
        return (
            "warning",
            tr("Your rule declines everyone, so it is right only about the {share} who did not.").format(
                share=percent(np.mean(repaid == 0))
            ),
        )
    return None


def read_left_out(current: ModelSummary, rule_accuracy_high_debts: float, previous: ModelSummary | None):
    """What leaving the applicants with large debts out of the examples did, or an invitation to try it."""
    shares = {
        "debts": number(LEFT_OUT_ABOVE_DEBTS),
        "model": percent(current.accuracy_high_debts),
        "rest": percent(current.accuracy_rest),
        "rule": percent(rule_accuracy_high_debts),
    }
    if not current.left_out:
        return (
            "info",
            tr(
                "Trained on all examples, the model decides {model} of the held-out applicants with debts over "
                "{debts} thousand right, your rule {rule}. Now leave those examples out and train again."
            ).format(**shares),
        )
    if current.accuracy_rest - current.accuracy_high_debts < CLEAR_DROP:
        return (
            "info",
            tr(
                "Without anyone with debts over {debts} thousand among its examples, the model still decides {model} "
                "of them right this time, close to the {rest} elsewhere: its guess happened to land well. A guess is "
                "not knowledge: train with another seed and see whether it holds."
            ).format(**shares),
        )
    wrong = current.wrong_approvals_high_debts
    if wrong:
        text = trn(
            "The model never saw anyone with debts over {debts} thousand. Among held-out applicants who owe that much "
            "it decides only {model} right, against {rest} of everyone else; it approved {count} of them who did not "
            "repay, because nothing in its examples showed what large debts do.",
            "The model never saw anyone with debts over {debts} thousand. Among held-out applicants who owe that much "
            "it decides only {model} right, against {rest} of everyone else; it approved {count} of them who did not "
            "repay, because nothing in its examples showed what large debts do.",
            wrong,
        ).format(count=number(wrong), **shares)
    else:
        text = tr(
            "The model never saw anyone with debts over {debts} thousand. Among held-out applicants who owe that much "
            "it decides only {model} right, against {rest} of everyone else."
        ).format(**shares)
    text += " " + tr("Your rule did not change: it still decides {rule} of them right.").format(**shares)
    if previous is not None and not previous.left_out:
        text += " " + tr("With all the examples, the model got {share} of them right.").format(
            share=percent(previous.accuracy_high_debts)
        )
    return ("warning", text)


def read_numbers(count: int, current: ModelSummary, previous: ModelSummary | None):
    """The model's "rule" is numbers that mean nothing one by one: shown by two seeds with different numbers."""
    text = tr(
        "The model's whole rule is these {count} numbers. None of them stands for income, debts or a threshold: "
        "every decision comes from all of them at once, and no line of them can be read out loud."
    ).format(count=number(count))
    if previous is None or previous.seed == current.seed or previous.left_out != current.left_out:
        return (
            "info",
            text + " " + tr("Train again with another seed: the decisions barely change, but every number does."),
        )
    if abs(previous.right - current.right) <= CLEAR_LEAD * current.total:
        comparison = tr(
            "The model trained with seed {previous_seed} decided {previous_right} of the {total} held-out applicants "
            "right, this one with seed {seed} {right}: about the same decisions from entirely different numbers."
        )
    else:
        comparison = tr(
            "The model trained with seed {previous_seed} decided {previous_right} of the {total} held-out applicants "
            "right, this one with seed {seed} {right}: decisions from entirely different numbers."
        )
    comparison = comparison.format(
        previous_seed=previous.seed,
        previous_right=number(previous.right),
        total=number(current.total),
        seed=current.seed,
        right=number(current.right),
    )
    return ("info", f"{text} {comparison}")


def read_far(answers: list[FarAnswer]):
    """The model answers for applicants unlike any example, often sure of itself; the rule does what it says."""
    since = tr(
        "Nobody among the examples earned less than {lowest} or more than {highest} thousand, or owed more than "
        "{most} thousand. The rule does exactly what its lines say, out here as anywhere."
    ).format(lowest=number(INCOME_RANGE[0]), highest=number(INCOME_RANGE[1]), most=number(DEBTS_RANGE[1]))
    wrong = [answer for answer in answers if answer.model_approves != answer.world_repays]
    if not wrong:
        return (
            "info",
            since
            + " "
            + tr(
                "This time the model's answers out here agree with the made-up world, but nothing in its "
                "examples told it so: they are guesses that happened to land."
            ),
        )
    surest = max(wrong, key=lambda answer: answer.model_sureness)
    # wrong: the model approves exactly where the made-up world says they would not repay, and declines where they would
    if surest.model_approves:
        guess = tr(
            "The model answers anyway: it approves someone earning {income} thousand with {debts} thousand of debts, "
            "{sure} sure, where the made-up world says they would not repay."
        )
    else:
        guess = tr(
            "The model answers anyway: it declines someone earning {income} thousand with {debts} thousand of debts, "
            "{sure} sure, where the made-up world says they would repay."
        )
    text = (
        since
        + " "
        + guess.format(income=number(surest.income), debts=number(surest.debts), sure=percent(surest.model_sureness))
    )
    if surest.model_sureness >= SURE:
        text += " " + tr("It sounds sure of a guess.")
    return ("warning", text + " " + tr("Outside its examples, the model's answers are guesses."))
