"""Bring your own data: a table read by core.lessons.tables, its columns given roles, a Dataset to train.

    >>> result = read_table(raw_bytes, "loans.csv")             # file-level checks and typed columns
    >>> prepared = prepare_training_data(result.table, "repaid", drop_missing=True)
    >>> prepared.problems or prepared.dataset                    # messages, or a Dataset ready to train

Every column gets a role with its reason: an input (numbers, standardized; text with a few values, one input per
value), the label, or ignored (empty, the same in every row, an identifier, free text, left out by the learner).
The scaling and the one-hot encoding are fitted on the training split only (scikit-learn's ColumnTransformer).
An input that on its own predicts the label almost perfectly is flagged: it may give the answer away.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from core.engine.data import HELD_OUT_SHARE, SPLIT_SEED, Dataset, split_stratified
from core.i18n import percent, tr, tr_later, trn
from core.lessons.data_quality import GROUP_GAP, HeldOutResult
from core.lessons.tables import (  # noqa: F401  (re-exported: the page reads files through this module)
    MAX_COLUMNS,
    MAX_ROWS,
    MAX_UPLOAD_BYTES,
    MAX_UPLOAD_MB,
    NUMBER_STYLES,
    Message,
    ReadResult,
    Table,
    preview_as_read,
    read_table,
)
from core.lessons.user_text import markdown_literal

MAX_CLASSES = 20
LEARNING_RATES = (1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 3e-2, 0.1)  # the page's choices
MAX_CATEGORIES = 20  # a text column with at most this many values is categories (one input per value)
CONTINUOUS_LABEL_VALUES = 50  # a numeric label with more distinct values than this is a measurement
MIN_ROWS = 20
MIN_ROWS_PER_CLASS = 5  # so that every class can appear in both the training and the held-out part
MAX_GROUPS = 8  # a numeric column with at most this many values can split the results by group
GIVES_ANSWER_AWAY = 0.98  # held-out accuracy of one column alone that looks like the answer written another way
LABEL_NAMES = ("label", "target", "class", "outcome", "y", "klasse", "uitkomst", "doel")
ID_NAMES = ("id", "nr", "no", "number", "nummer", "code", "key")
LEFT_OUT = tr_later("left out by you")  # a reason, shown as tr(LEFT_OUT)
# What run_settings names a run's settings: keys compared between pins (kept in English) and shown with tr().
SETTING_NAMES = (
    tr_later("file"),
    tr_later("label column"),
    tr_later("left out"),
    tr_later("wrong labels"),
    tr_later("training examples"),
    tr_later("learning rate"),
    tr_later("epochs"),
    tr_later("seed"),
)


@dataclass(frozen=True)
class ColumnRole:
    """What the model does with one column, and why, in words."""

    name: str
    role: str  # "input", "label" or "ignored" (shown in words by the page)
    reason: str  # in the learner's language


@dataclass(frozen=True)
class Prepared:
    """A table made ready for training with a chosen label column, or the reasons it cannot be."""

    dataset: Dataset | None
    problems: tuple[Message, ...]
    notes: tuple[Message, ...]
    rows_with_missing: int  # rows with an empty cell in a used column (before any dropping)
    roles: tuple[ColumnRole, ...] = ()
    rows_used: np.ndarray | None = None  # (n,) int: the table rows trained and tested on
    held_out_rows: np.ndarray | None = None  # (n_test,) int: each held-out row's position among rows_used
    held_out_groups: np.ndarray | None = None  # (n_test,) str: the group of each held-out row
    input_names: tuple[str, ...] = ()  # the model's inputs: numeric columns, then one per text value


# ---- roles of the columns ----


def guess_label_column(table: Table) -> str:
    """A column named like a label; else the last column of a few categories (text, or whole numbers) that is not
    an identifier; else the last column. The page lets the learner change it."""
    columns = list(table.frame.columns)
    named = next((name for name in columns if name.strip().lower() in LABEL_NAMES), None)
    if named:
        return named
    few = [
        name for name in reversed(columns) if 2 <= _distinct(table, name) <= MAX_CLASSES and not _id_like(table, name)
    ]
    text = [name for name in few if name in table.text_columns]
    whole = [name for name in few if name in table.numeric_columns and _whole_numbers(table.frame[name])]
    return next(iter(text + whole), columns[-1])


def column_roles(table: Table, label_column: str, left_out=()) -> list[ColumnRole]:
    """Every column's role with its reason, in the file's order."""
    return [_role(table, name, label_column, left_out) for name in table.frame.columns]


def _role(table: Table, name: str, label_column: str, left_out) -> ColumnRole:
    if name == label_column:
        return ColumnRole(name, "label", tr("what the model learns to predict"))
    distinct = _distinct(table, name)
    reason = _ignored_because(table, name, distinct, left_out)
    if reason:
        return ColumnRole(name, "ignored", reason)
    if name in table.numeric_columns:
        return ColumnRole(name, "input", tr("numbers, scaled to a mean of 0 and a spread of 1"))
    return ColumnRole(
        name, "input", tr("text with {count} values: one input per value (one-hot)").format(count=distinct)
    )


def _ignored_because(table: Table, name: str, distinct: int, left_out) -> str | None:
    if name in left_out:
        return tr(LEFT_OUT)
    if distinct < 2:
        return tr("the same value in every row, so it cannot tell one row from another")
    if _id_like(table, name):
        return tr("an identifier: every row has its own value, which says nothing about the answer")
    if name in table.text_columns and distinct > MAX_CATEGORIES:
        return tr(
            "free text ({count} different values), not a few categories: the model here cannot read text "
            "(a text column with at most {limit} values is used)"
        ).format(count=distinct, limit=MAX_CATEGORIES)
    return None


def _distinct(table: Table, name: str) -> int:
    return int(table.frame[name].nunique(dropna=True))


def _whole_numbers(values: pd.Series) -> bool:
    present = values.dropna().to_numpy(float)
    return bool(len(present)) and bool(np.all(np.mod(present, 1) == 0))


def _id_like(table: Table, name: str) -> bool:
    """Every row has its own value, and that value is a code (text without spaces), or whole numbers in a column
    named like an ID or counting up one by one."""
    values = table.frame[name].dropna()
    if len(values) < MIN_ROWS or values.nunique() < len(values):
        return False
    if name in table.text_columns:
        return not values.str.contains(" ", regex=False).any()
    if not _whole_numbers(values):
        return False
    named_like_id = any(part in ID_NAMES for part in name.lower().replace("-", "_").split("_"))
    return named_like_id or bool(np.all(np.diff(np.sort(values.to_numpy(float))) == 1))


def group_column_choices(table: Table, label_column: str) -> list[str]:
    """Columns that can split the results by group: any text column of categories, or numbers with a few values."""
    return [
        name
        for name in table.frame.columns
        if name != label_column
        and 2 <= _distinct(table, name) <= (MAX_CATEGORIES if name in table.text_columns else MAX_GROUPS)
        and not _id_like(table, name)
    ]


# ---- a Dataset ----


def prepare_training_data(
    table: Table, label_column: str, drop_missing: bool = False, group_column: str | None = None, left_out=()
) -> Prepared:
    """Check the table against the chosen label column and build a standardized Dataset, or explain why not."""
    roles = tuple(column_roles(table, label_column, left_out))
    inputs = [role.name for role in roles if role.role == "input"]
    notes = []  # the table's own notes (how the file was read) are the page's to show beside the preview
    if not inputs:
        return Prepared(None, (_no_inputs(roles, label_column),), tuple(notes), 0, roles)
    frame = table.frame
    incomplete = frame[[*inputs, label_column]].isna().any(axis=1).to_numpy()
    if incomplete.any() and not drop_missing:
        problem = _missing_values_message(frame, inputs, label_column, incomplete)
        return Prepared(None, (problem,), tuple(notes), int(incomplete.sum()), roles)
    if incomplete.any():
        count = int(incomplete.sum())
        left_out_rows = trn(
            "{count} row with missing values was left out.", "{count} rows with missing values were left out.", count
        ).format(count=count)
        notes.append(Message("dropped_rows", left_out_rows))
    rows_used = np.flatnonzero(~incomplete)
    frame = frame.iloc[rows_used]
    problem = _label_problem(frame[label_column], label_column, label_column in table.numeric_columns)
    if problem:
        return Prepared(None, (problem,), tuple(notes), int(incomplete.sum()), roles)
    encoded = _encoded_dataset(table, frame, inputs, label_column)
    notes += _giveaway_notes(encoded, frame, inputs, table)
    groups = held_out_groups(table, rows_used, encoded.test_rows, group_column)
    return Prepared(
        encoded.dataset,
        (),
        tuple(notes),
        int(incomplete.sum()),
        roles,
        rows_used,
        encoded.test_rows,
        groups,
        encoded.input_names,
    )


def _no_inputs(roles, label_column: str) -> Message:
    reasons = "; ".join(f"'{markdown_literal(role.name)}': {role.reason}" for role in roles if role.role == "ignored")
    return Message(
        "no_inputs",
        tr(
            "Apart from the label '{label}' no column can be an input, so the model has nothing to learn from "
            "({reasons}). Add columns of numbers or of a few categories."
        ).format(label=markdown_literal(label_column), reasons=reasons),
    )


@dataclass(frozen=True)
class _Encoded:
    dataset: Dataset
    train_rows: np.ndarray  # positions among the rows used
    test_rows: np.ndarray
    input_names: tuple[str, ...]


def _encoded_dataset(table: Table, frame: pd.DataFrame, inputs: list[str], label_column: str) -> _Encoded:
    """Numbers standardized and text one-hot encoded, both fitted on the training split only."""
    labels = frame[label_column].to_numpy(object)
    classes, codes = np.unique(
        labels.astype(str) if label_column in table.text_columns else labels, return_inverse=True
    )
    train_rows, test_rows, _, _ = split_stratified(np.arange(len(codes)), codes, HELD_OUT_SHARE, SPLIT_SEED)
    # Imported when first needed: opening a lesson imports no scikit-learn (core.engine.data.DIGITS_FILE).
    from sklearn.compose import ColumnTransformer
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    numbers = [name for name in inputs if name in table.numeric_columns]
    categories = [name for name in inputs if name in table.text_columns]
    encoder = ColumnTransformer(
        [
            ("numbers", StandardScaler(), numbers),
            ("categories", OneHotEncoder(handle_unknown="ignore", sparse_output=False), categories),
        ],
        verbose_feature_names_out=False,
    )
    encoder.fit(frame.iloc[train_rows])
    features = encoder.transform(frame).astype(np.float32)  # scaled in float64, then the model's float32
    names = tuple(str(name) for name in encoder.get_feature_names_out())
    dataset = Dataset(
        table.name,
        features[train_rows],
        codes[train_rows].astype(np.int32),
        features[test_rows],
        codes[test_rows].astype(np.int32),
        len(classes),
        tuple(value_text(c) for c in classes),
        None,
    )
    return _Encoded(dataset, train_rows, test_rows, names)


def _giveaway_notes(encoded: _Encoded, frame: pd.DataFrame, inputs, table: Table) -> list[Message]:
    """Inputs that on their own tell the label almost always: a column of a few values each of which goes with
    one class, or numbers that one threshold splits into the classes. Often the answer written another way, or
    something only known afterwards, which the model would copy instead of learning from the other columns."""
    codes = np.concatenate([encoded.dataset.y_train, encoded.dataset.y_test])
    order = np.concatenate([encoded.train_rows, encoded.test_rows])
    labels = pd.Series(codes, index=order).sort_index().to_numpy()
    if np.bincount(labels).max() / len(labels) >= GIVES_ANSWER_AWAY:
        return []  # when nearly every row has the same answer, any column "predicts" it
    notes = []
    for name in inputs:
        share = _share_told_by(frame[name], labels, name in table.numeric_columns)
        if share >= GIVES_ANSWER_AWAY:
            notes.append(
                Message(
                    "gives_answer_away",
                    tr(
                        "Column '{name}' on its own tells the label of {share} of the rows: it may give the answer "
                        "away (often it is the answer written another way, or something only known afterwards). "
                        "Leave it out below if the model should learn from the other columns."
                    ).format(name=markdown_literal(name), share=percent(share)),
                )
            )
    return notes


def _share_told_by(values: pd.Series, labels: np.ndarray, numeric: bool) -> float:
    """The share of rows whose label follows from this one column: by its value when it has a few values (each
    value's most common label; only with enough rows per value to mean something), else by the best threshold."""
    if values.nunique() <= MAX_CATEGORIES and values.nunique() * MIN_ROWS_PER_CLASS <= len(values):
        table = pd.crosstab(values.to_numpy(), labels)
        return float(table.max(axis=1).sum() / len(labels))
    if not numeric:
        return 0.0
    # Imported when first needed: opening a lesson imports no scikit-learn (core.engine.data.DIGITS_FILE).
    from sklearn.tree import DecisionTreeClassifier

    stump = DecisionTreeClassifier(max_depth=1, random_state=0)
    column = values.to_numpy(float).reshape(-1, 1)
    return float(stump.fit(column, labels).score(column, labels))


def held_out_groups(table: Table, rows_used, test_rows, group_column: str | None) -> np.ndarray | None:
    """The group (a value of `group_column`) of each held-out row, as text; None without a group column."""
    if not group_column or group_column not in table.frame or rows_used is None:
        return None
    values = table.frame[group_column].to_numpy(object)[rows_used][test_rows]
    missing = tr("(missing)")
    return np.array([missing if v is None or v != v else value_text(v) for v in values])


def _missing_values_message(frame, features, label_column, incomplete) -> Message:
    columns = [markdown_literal(name) for name in (*features, label_column) if frame[name].isna().any()]
    return Message(
        "missing_values",
        trn(
            "{count} of {rows} rows has missing values (in {columns}). The model needs a value in every cell it "
            "uses: drop that row to continue, or fill it in in your spreadsheet.",
            "{count} of {rows} rows have missing values (in {columns}). The model needs a value in every cell it "
            "uses: drop those rows to continue, or fill them in in your spreadsheet.",
            int(incomplete.sum()),
        ).format(count=int(incomplete.sum()), rows=len(frame), columns=", ".join(columns)),
    )


def _label_problem(labels: pd.Series, name: str, numeric: bool) -> Message | None:
    counts = labels.value_counts()
    if len(labels) < MIN_ROWS:
        return Message(
            "too_few_rows",
            tr("Only {count} usable rows; at least {least} are needed to train on some and test on others.").format(
                count=len(labels), least=MIN_ROWS
            ),
        )
    if len(counts) < 2:
        return Message(
            "one_class",
            tr(
                "The label column '{name}' has only one value ({value}). A model learns to tell classes apart, so it "
                "needs at least two."
            ).format(name=markdown_literal(name), value=_show(counts.index[0])),
        )
    if numeric and (len(counts) > CONTINUOUS_LABEL_VALUES or not np.all(np.mod(labels, 1) == 0)):
        return Message(
            "continuous_label",
            tr(
                "The label column '{name}' holds {count} different numbers, like an amount or a measurement, not a "
                "few categories. This lesson trains classifiers (at most {limit} classes): choose a column of "
                "categories, or group the numbers into bands (low / medium / high) first."
            ).format(name=markdown_literal(name), count=len(counts), limit=MAX_CLASSES),
        )
    if len(counts) > MAX_CLASSES:
        if len(counts) == len(labels):
            text = tr(
                "The label column '{name}' has {count} different values; at most {limit} classes can be learned "
                "here. Every row has its own value, like an ID. Choose the column that holds the answer the model "
                "should learn."
            )
        else:
            text = tr(
                "The label column '{name}' has {count} different values; at most {limit} classes can be learned "
                "here. Choose the column that holds the answer the model should learn."
            )
        return Message(
            "too_many_classes", text.format(name=markdown_literal(name), count=len(counts), limit=MAX_CLASSES)
        )
    return _rare_class(counts)


def _rare_class(counts: pd.Series) -> Message | None:
    rare = counts[counts < MIN_ROWS_PER_CLASS]
    if rare.empty:
        return None
    listed = ", ".join(
        tr("{value} ({count} rows)").format(value=_show(value), count=count) for value, count in rare.items()
    )
    return Message(
        "rare_class",
        tr(
            "Some classes have fewer than {least} rows: {listed}. Each class needs at least {least}, so that some "
            "can be held out for testing. Remove or merge those rows."
        ).format(least=MIN_ROWS_PER_CLASS, listed=listed),
    )


def value_text(value) -> str:
    """A cell's value as people wrote it: 1 rather than 1.0."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _show(value) -> str:
    """A value from the file, quoted, for a Markdown sentence."""
    return f"'{markdown_literal(value_text(value))}'"


# ---- readings: what the page says about a file and a model trained on it ----


def table_summary(table: Table) -> tuple[str, str]:
    rows, columns = table.frame.shape
    text = tr("**{name}**: {rows} rows, {columns} columns.")
    return "success", text.format(name=markdown_literal(table.name), rows=rows, columns=columns)


def reading_notes(table: Table) -> list[tuple[str, str]]:
    """How the file was read: a warning where numbers could be read two ways and nothing decided it, else notes."""
    return [("warning" if note.kind == "ambiguous_numbers" else "info", note.text) for note in table.notes]


def file_readings(name: str, problems: tuple[Message, ...], name_in_use: str | None) -> list[tuple[str, str]]:
    """Why the file `name` cannot be used, and which earlier file (`name_in_use`, if any) stays in use."""
    shown = markdown_literal(name)
    readings = [
        ("error", tr("**{name}** cannot be used. {problem}").format(name=shown, problem=problem.text))
        for problem in problems
    ]
    if problems and name_in_use is not None:
        still = tr("Still using your previous file, **{name}**.").format(name=markdown_literal(name_in_use))
        readings.append(("info", still))
    return readings


def preparation_readings(prepared: Prepared) -> list[tuple[str, str]]:
    """Problems first, then notes. Missing values are only a warning: one tick drops those rows."""
    kinds = ["warning" if problem.kind == "missing_values" else "error" for problem in prepared.problems]
    problems = [(kind, problem.text) for kind, problem in zip(kinds, prepared.problems, strict=True)]
    return problems + [("info", note.text) for note in prepared.notes]


def group_reading(group_column: str, by_group: dict[str, HeldOutResult], class_names) -> tuple[str, str]:
    """The best and the worst served group, and the class the worst group loses most: a warning when the worst
    group's accuracy is more than GROUP_GAP below the best one's."""
    names, accuracies = list(by_group), [result.accuracy for result in by_group.values()]
    best, worst = int(np.argmax(accuracies)), int(np.argmin(accuracies))
    recall = by_group[names[worst]].per_class
    missed = int(np.nanargmin(recall))
    group, missed_class = markdown_literal(group_column), markdown_literal(class_names[missed])
    if percent(accuracies[best]) == percent(accuracies[worst]):
        served = tr("**{share}** in every group").format(share=percent(accuracies[best]))
    else:
        served = (
            f"**{markdown_literal(names[best])} {percent(accuracies[best])}**, "
            f"**{markdown_literal(names[worst])} {percent(accuracies[worst])}**"
        )
    text = tr(
        "Held-out accuracy per {group}: {served}. Of the {worst} rows whose answer is '{answer}', the model gets "
        "**{recall}** right."
    ).format(
        group=group,
        served=served,
        worst=markdown_literal(names[worst]),
        answer=missed_class,
        recall=percent(recall[missed]),
    )
    return ("warning" if accuracies[best] - accuracies[worst] > GROUP_GAP else "success"), text


def held_out_rows_per_group(held_out_groups: np.ndarray) -> str:
    """How many held-out rows each group has: the size behind each group's percentages."""
    names, counts = np.unique(held_out_groups, return_counts=True)
    listed = ", ".join(f"{markdown_literal(name)}: {count}" for name, count in zip(names, counts, strict=True))
    return tr(
        "Held-out rows per group: {listed}. Recall of a class: the share of its rows the model got right."
    ).format(listed=listed)


def run_settings(config, file_name: str, label_column: str, left_out=()) -> dict:
    """What a run on an uploaded table was trained with, named in words (the file and its columns as the learner's
    own text), for pinning the run and for its exported curves. `config` is the run's LabConfig. The names are
    SETTING_NAMES, in English (they are compared between pins); the values are in the learner's language."""
    return {
        "file": file_name,
        "label column": label_column,
        "left out": ", ".join(left_out) or tr("none"),
        "wrong labels": percent(config.label_noise),
        "training examples": config.train_size,
        "learning rate": config.learning_rate,
        "epochs": config.epochs,
        "seed": config.seed,
    }
