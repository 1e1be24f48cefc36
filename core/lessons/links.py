"""Exercise links: every control of a lesson as a URL parameter, read back from text a teacher may have typed.

A link names a control by its widget key (`loop_lr=1.9`) or by its short name (`lr=1.9`), and `hide=` lists short
names of controls a student should not see. Reading is forgiving where the meaning is clear: `1e-3`, `0.001` and an
old link's label `1.9 ⚠` all name the option 1.9; a number between a slider's steps goes to the nearest step. A value
that cannot be one of the control's values is refused with its reason, and the control keeps its current value.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from core.engine.data import DATASET_NAMES
from core.engine.models import ACTIVATIONS, MAX_DEPTH, WIDTHS
from core.engine.train import BATCH_SIZES, OPTIMIZERS
from core.i18n import LANGUAGES, tr
from core.lessons import data_quality, fine_tuning, knowledge, memorize, own_data, playground, rules
from core.lessons.training_step import stepper
from core.lm.corpus import HOUSE_STYLES, JOB_CITY_LIMIT, JOB_TITLE_LIMIT, TYPED_SENTENCE_LIMIT

HIDE = "hide"  # the parameter that lists the controls to hide
APP_WIDE = ("projector", "lang")  # parameters of the whole dashboard, not of one lesson: kept in every page's address
SEED_RANGE = (0, 9999)
TRUE_WORDS, FALSE_WORDS = ("true", "1", "yes", "on"), ("false", "0", "no", "off")
# What the dashboard-wide parameters can be (the projector switch is read by Streamlit, which takes these two only).
APP_WIDE_VALUES = {"projector": ("true", "false"), "lang": LANGUAGES}
LISTED_OPTIONS = 12  # a refusal lists a control's values up to this many (a knowledge question has 150 ids)


@dataclass(frozen=True)
class Control:
    """One control of a page: its widget key (also its URL parameter), the short name `hide=` uses, and the values
    it can take: `options`, or numbers from `low` to `high` in steps of `step`, or text of up to `max_chars`."""

    key: str
    name: str
    options: tuple = ()
    low: float | None = None
    high: float | None = None
    step: float = 1
    max_chars: int | None = None
    labels: dict | None = None  # option -> the label a learner sees, which an old link may carry instead


def number(key: str, name: str, low: float, high: float, step: float = 1) -> Control:
    return Control(key, name, low=low, high=high, step=step)


def seed(key: str) -> Control:
    return number(key, "seed", *SEED_RANGE)


def parse(control: Control, text: str):
    """The control's value that `text` names; raises ValueError with the reason when there is none."""
    if control.options:
        return _option(control.options, text, control.labels or {})
    if control.max_chars is not None:
        return text[: control.max_chars]
    return _number(control, text)


def _option(options: tuple, text: str, labels: dict):
    labelled = next((option for option, label in labels.items() if label.lower() == text.strip().lower()), None)
    if labelled is not None:
        return labelled
    words = (text.strip(), *text.split()[:1])  # "1.9 ⚠" (an option's label) names 1.9
    for word in words:
        for option in options:
            if _names(option, word):
                return option
    if len(options) > LISTED_OPTIONS:
        raise ValueError(tr("not one of this control's {count} values").format(count=len(options)))
    raise ValueError(tr("not one of {values}").format(values=", ".join(format_value(option) for option in options)))


def _names(option, word: str) -> bool:
    if isinstance(option, bool):
        return word.lower() in (TRUE_WORDS if option else FALSE_WORDS)
    if isinstance(option, (int, float)):
        try:
            return math.isclose(float(word), option, rel_tol=1e-9)
        except ValueError:
            return False
    return word.lower() == str(option).lower()


def _number(control: Control, text: str):
    try:
        value = float(text)
    except ValueError:  # Python's own words, in the learner's language
        raise ValueError(tr("could not convert string to float: {text}").format(text=repr(text))) from None
    if not control.low <= value <= control.high:
        low, high = format_value(control.low), format_value(control.high)
        raise ValueError(tr("not between {low} and {high}").format(low=low, high=high))
    steps = round((value - control.low) / control.step)
    snapped = round(control.low + steps * control.step, 10)  # 0.15, not 0.15000000000000002
    whole = all(float(bound).is_integer() for bound in (control.low, control.high, control.step))
    return int(snapped) if whole else snapped


def format_value(value) -> str:
    """A value as a link writes it: booleans as true/false, numbers in their shortest form (0.001, 1e-05)."""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


@dataclass(frozen=True)
class Reading:
    """What a link set: values by widget key, the short names to hide, and each part it refused, in words."""

    values: dict
    hidden: tuple[str, ...]
    problems: tuple[str, ...]


def read_link(controls: tuple[Control, ...], parameters: dict[str, str]) -> Reading:
    """The values and hidden controls a link's parameters name; anything else is a problem in words."""
    by_parameter = {control.key: control for control in controls} | {control.name: control for control in controls}
    values, problems = {}, []
    for parameter, text in parameters.items():
        if parameter in APP_WIDE:
            problems += _app_wide_problems(parameter, text)
            continue
        if parameter == HIDE:
            continue
        control = by_parameter.get(parameter)
        if control is None:
            problems.append(tr("{parameter} is not a control of this page").format(parameter=parameter))
            continue
        if control.max_chars is not None and len(text) > control.max_chars:
            problems.append(
                tr("{parameter} was cut to its first {count} characters").format(
                    parameter=parameter, count=control.max_chars
                )
            )
        try:
            values[control.key] = parse(control, text)
            if _snapped(control, text, values[control.key]):
                problems.append(
                    tr("{parameter}={text} was read as {value}, the nearest value this control can take").format(
                        parameter=parameter, text=text, value=format_value(values[control.key])
                    )
                )
        except ValueError as reason:
            problems.append(
                tr("{parameter}={text} was left as it was: {reason}").format(
                    parameter=parameter, text=text, reason=reason
                )
            )
    hidden, unknown = hidden_names(controls, parameters.get(HIDE, ""))
    problems += [tr("hide={name} is not a control of this page").format(name=name) for name in unknown]
    return Reading(values, hidden, tuple(problems))


def _snapped(control: Control, text: str, value) -> bool:
    """Whether a number typed between a slider's steps was moved to the nearest step (so the link says so)."""
    if control.options or control.max_chars is not None:
        return False
    return not math.isclose(float(text), float(value), rel_tol=1e-9, abs_tol=1e-12)


def _app_wide_problems(parameter: str, text: str) -> list[str]:
    """A dashboard-wide parameter the dashboard cannot take is ignored (the page keeps its own), and said so."""
    allowed = APP_WIDE_VALUES[parameter]
    if (text.lower() if parameter == "projector" else text) in allowed:  # Streamlit reads True as well as true
        return []
    return [
        tr("{parameter}={text} was left as it was: {reason}").format(
            parameter=parameter, text=text, reason=tr("not one of {values}").format(values=", ".join(allowed))
        )
    ]


def hidden_names(controls: tuple[Control, ...], text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The known short names in a comma-separated `hide=` list, and the unknown ones."""
    names = [name.strip() for name in text.split(",") if name.strip()]
    known = {control.name: control for control in controls} | {control.key: control for control in controls}
    unknown = tuple(name for name in names if name not in known)
    return tuple(known[name].name for name in names if name in known), unknown


def link_parameters(
    controls: tuple[Control, ...], values: dict, hidden: tuple[str, ...], app_wide: dict | None = None
) -> dict[str, str]:
    """The dashboard-wide parameters, every control's current value (those that have one) and the hidden names, as
    a link's parameters."""
    parameters = {name: text for name, text in (app_wide or {}).items() if name in APP_WIDE} | {
        control.key: format_value(values[control.key])
        for control in controls
        if values.get(control.key) not in (None, "")  # an empty text box needs no parameter
    }
    if hidden:
        parameters[HIDE] = ",".join(hidden)
    return parameters


def keys_of(controls: tuple[Control, ...], names: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(control.key for control in controls if control.name in names)


OPTIMIZER_NAMES = tuple(OPTIMIZERS)
# Each lesson's controls, by the page's address. Buttons are actions, not state, and are left out; so are an
# uploaded file and the choices that depend on its columns (a file cannot travel in an address).
PAGES: dict[str, tuple[Control, ...]] = {
    "rules-or-examples": (
        number("rules_min_income", "income", rules.INCOME_THRESHOLDS[0], rules.INCOME_THRESHOLDS[-1], 5),
        number("rules_max_debts", "debts", rules.DEBTS_THRESHOLDS[0], rules.DEBTS_THRESHOLDS[-1], 5),
        Control("rules_examples", "examples", options=("all", "few_debts")),
        seed("rules_seed"),
    ),
    "memorize-or-generalize": (
        Control("lab_dataset", "dataset", options=DATASET_NAMES),
        number("lab_noise", "noise", 0, 100, 5),
        number("lab_size", "size", 5, 100, 5),
        number("lab_input_noise", "input_noise", 0.0, 1.0, 0.05),
        Control("lab_lr", "lr", options=memorize.LEARNING_RATES),
        number("lab_epochs", "epochs", 1, 1000),
        Control("lab_width", "width", options=WIDTHS),
        number("lab_depth", "depth", 1, 3),
        Control("lab_optimizer", "optimizer", options=OPTIMIZER_NAMES),
        Control("lab_wd", "weight_decay", options=memorize.WEIGHT_DECAYS),
        seed("lab_seed"),
    ),
    "training-loop": (
        Control("loop_lr", "lr", options=stepper.LEARNING_RATES),
        Control("loop_batch", "batch", options=("all", "minibatch")),
        Control("loop_scaling", "scaling", options=stepper.SCALINGS),
        seed("loop_seed"),
    ),
    "playground": (
        Control("play_dataset", "dataset", options=playground.DATASETS),
        number("play_noise", "noise", 0.0, 1.0, 0.05),
        Control("play_points", "points", options=playground.POINT_COUNTS),
        number("play_held_out", "held_out", 10, 50, 10),
        number("play_depth", "depth", 0, MAX_DEPTH),
        Control("play_width", "width", options=playground.NEURONS),
        Control("play_activation", "activation", options=tuple(ACTIVATIONS)),
        Control("play_lr", "lr", options=playground.LEARNING_RATES),
        Control("play_batch", "batch", options=BATCH_SIZES),
        Control("play_epochs", "epochs", options=playground.EPOCH_BUDGETS),
        Control("play_reg", "regularization", options=playground.REGULARIZATIONS),
        Control("play_strength", "strength", options=playground.STRENGTHS),
        Control("play_optimizer", "optimizer", options=OPTIMIZER_NAMES),
        seed("play_seed"),
    ),
    "data-quality": (
        Control(
            "dq_scenario",
            "scenario",
            options=tuple(data_quality.SCENARIO_TITLES),
            labels=data_quality.SCENARIO_TITLES,
        ),
        number("dq_group_share", "group_share", 0, 50, 5),
        number("dq_noise_share", "noise_share", 0, 10),
        Control("dq_noise_where", "noise_where", options=("spread", "concentrated")),
        Control("dq_rare_digit", "rare_digit", options=tuple(range(10))),
        number("dq_rare_kept", "rare_kept", 0, 100, 5),
        Control("dq_distinct", "distinct", options=data_quality.DIVERSITY_LEVELS),
        Control("dq_shift_split", "shift_split", options=("shuffled", "file")),
        number("dq_epochs", "epochs", 10, 200, 10),
        seed("dq_seed"),
    ),
    "own-data": (
        number("dq_upload_noise", "noise", 0, 50, 5),
        number("dq_upload_size", "size", 5, 100, 5),
        Control("dq_upload_lr", "lr", options=own_data.LEARNING_RATES),
        number("dq_upload_epochs", "epochs", 10, 500, 10),
        Control("dq_upload_drop_missing", "drop_missing", options=(False, True)),
        seed("dq_seed"),
    ),
    "fine-tuning": (
        Control("ft_dataset", "dataset", options=tuple(HOUSE_STYLES)),
        number("ft_texts", "texts", 10, 100, 10),
        number("ft_off_style", "off_style", 0, 100, 10),
        Control("ft_lr", "lr", options=fine_tuning.LEARNING_RATES),
        number("ft_steps", "steps", 10, 400, 10),
        number("ft_temperature", "temperature", 0.2, 1.5, 0.1),
        seed("ft_seed"),
        Control("ft_job_title", "job_title", max_chars=JOB_TITLE_LIMIT),
        Control("ft_job_city", "job_city", max_chars=JOB_CITY_LIMIT),
        Control("ft_tokens_text", "tokens_text", max_chars=TYPED_SENTENCE_LIMIT),
    ),
    "knowledge": (
        Control("kn_cutoff", "cutoff", options=tuple(day.isoformat() for day in knowledge.CUTOFFS)),
        number("kn_steps", "steps", 50, 300, 50),
        seed("kn_seed"),
        Control("kn_question", "question", options=knowledge.question_ids()),
        Control("kn_library", "library", options=knowledge.LIBRARIES),
        Control("kn_new_value", "new_value", max_chars=knowledge.NEW_VALUE_LIMIT),
    ),
}


def from_another_page(address: str, parameters: dict) -> bool:
    """Whether `parameters` name a control of another lesson and none of this one's: Streamlit's back button can
    rerun a page with the address of the page before it, which is no link to this page."""
    own = {control.key for control in PAGES[address]}
    others = {control.key for page, controls in PAGES.items() if page != address for control in controls} - own
    return bool(others & set(parameters)) and not own & set(parameters)
