"""Bring your own data: read an uploaded CSV safely, explain every problem in plain words, build a Dataset.

Two steps, so a page can ask about the label column in between:

    >>> result = read_table(raw_bytes, "loans.csv")          # file-level checks: size, text, shape, types
    >>> prepared = prepare_training_data(result.table, "repaid", drop_missing=True)
    >>> prepared.problems or prepared.dataset                 # messages, or a Dataset ready to train

Nothing from a file is ever evaluated or unpickled: bytes are decoded as text, split by Python's csv
module and turned into numbers with pandas.to_numeric. Each message has a stable `kind` (for tests and the
page) and a `text` for people. Features are standardized with the training split's mean and spread.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from core.engine.data import HELD_OUT_SHARE, SPLIT_SEED, Dataset, from_arrays, split_stratified
from core.lessons.data_quality import GROUP_GAP, HeldOutResult
from core.lessons.user_text import markdown_literal

MAX_UPLOAD_MB = 5  # the same as server.maxUploadSize in .streamlit/config.toml, checked again here
MAX_UPLOAD_BYTES = MAX_UPLOAD_MB * 1024 * 1024
MAX_ROWS = 10_000  # a few seconds of training per run on a shared 2-core server
MAX_COLUMNS = 50
MAX_CLASSES = 20
CONTINUOUS_LABEL_VALUES = 50  # a numeric label with more distinct values than this is a measurement
MIN_ROWS = 20
MIN_ROWS_PER_CLASS = 5  # so that every class can appear in both the training and the held-out part
MAX_GROUPS = 8  # a column with at most this many values can split the results by group
MOSTLY_NUMERIC = 0.9  # a column this numeric is taken as numbers with a few typos
MISSING_TOKENS = frozenset({"", "na", "n/a", "nan", "null", "none", "?", "-", "#n/a", "missing"})
DELIMITERS = (",", ";", "\t")
LABEL_NAMES = ("label", "target", "class", "outcome", "y")
SIGNATURES = {  # first bytes of files people often upload by mistake -> what they are
    b"PK\x03\x04": "an Excel workbook (.xlsx) or another zip file",
    b"\xd0\xcf\x11\xe0": "an old Excel workbook (.xls)",
    b"%PDF": "a PDF document",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"\x1f\x8b": "a compressed (gzip) file",
}


@dataclass(frozen=True)
class Message:
    """Something to tell the user: `kind` is a stable identifier, `text` the explanation in words."""

    kind: str
    text: str


@dataclass(frozen=True)
class Table:
    """An uploaded CSV read into typed columns: numbers as float64 (NaN = missing), text as str or None."""

    name: str
    frame: pd.DataFrame
    numeric_columns: tuple[str, ...]
    text_columns: tuple[str, ...]
    notes: tuple[Message, ...]  # worth knowing, but the file can be used


@dataclass(frozen=True)
class ReadResult:
    table: Table | None
    problems: tuple[Message, ...] = ()  # any problem means there is no table


@dataclass(frozen=True)
class Prepared:
    """A table made ready for training with a chosen label column, or the reasons it cannot be."""

    dataset: Dataset | None
    problems: tuple[Message, ...]
    notes: tuple[Message, ...]
    rows_with_missing: int  # rows with an empty cell in a used column (before any dropping)
    held_out_rows: np.ndarray | None = None  # (n_test,) int: each held-out row's position among the rows used
    held_out_groups: np.ndarray | None = None  # (n_test,) str: the group of each held-out row


# ---- step 1: the file ----


def read_table(raw: bytes, filename: str = "upload.csv") -> ReadResult:
    """Check and read an uploaded file. Never raises for bad content: problems come back as messages."""
    problem = _file_problem(raw)
    if problem:
        return ReadResult(None, (problem,))
    text, notes = _decode(raw)
    problem = _not_a_table(text)
    if problem:
        return ReadResult(None, (problem,))
    try:
        lines = _csv_lines(text)
    except csv.Error as error:
        return ReadResult(None, (Message("unreadable", f"The file could not be read as a CSV table ({error})."),))
    problem = _shape_problem(lines)
    if problem:
        return ReadResult(None, (problem,))
    return _typed_table(filename, lines, decimal_comma=_delimiter(text) == ";", notes=notes)


def _file_problem(raw: bytes) -> Message | None:
    if len(raw) > MAX_UPLOAD_BYTES:
        return Message(
            "too_large",
            f"The file is {len(raw) / 2**20:.1f} MB; files up to {MAX_UPLOAD_MB} MB can be "
            "uploaded here. Keep fewer rows or columns and save it again.",
        )
    if not raw.strip():
        return Message("empty", "The file is empty: it has no text at all.")
    for signature, what in SIGNATURES.items():
        if raw.startswith(signature):
            return Message(
                "not_text",
                f"This is {what}, not a CSV text file. In your spreadsheet program choose "
                "File > Save As (or Download) > CSV, and upload that file.",
            )
    if b"\x00" in raw[:4096] and not raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return Message(
            "not_text",
            "This file is not text (it contains binary data), so it is not a CSV. Export "
            "your table as CSV from your spreadsheet program and upload that file.",
        )
    return None


def _decode(raw: bytes) -> tuple[str, list[Message]]:
    """Text from UTF-8 (with or without a byte-order mark), UTF-16 with a mark, or else Latin-1."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16"), []
    try:
        return raw.decode("utf-8-sig"), []
    except UnicodeDecodeError:
        note = Message(
            "encoding",
            "The file is not UTF-8 text; it was read as Latin-1 (Western European). "
            "If accented letters look wrong, save it as 'CSV UTF-8'.",
        )
        return raw.decode("latin-1"), [note]


def _not_a_table(text: str) -> Message | None:
    start = text.lstrip()[:200].lower()
    if start.startswith(("<!doctype html", "<html")):
        return Message("not_csv", "This is a web page (HTML), not a CSV table. Download the data itself as CSV.")
    if start.startswith(("{", "[")):
        return Message(
            "not_csv",
            "This looks like JSON, not a CSV table. Convert it to a table with one row per "
            "example and one column per value, saved as CSV.",
        )
    return None


def _delimiter(text: str) -> str:
    """The separator of the header line: comma, semicolon (common in European exports) or tab."""
    header = next((line for line in text.splitlines() if line.strip()), "")
    counts = {delimiter: header.count(delimiter) for delimiter in DELIMITERS}
    return max(counts, key=counts.get) if max(counts.values()) else ","


def _csv_lines(text: str) -> list[tuple[int, list[str]]]:
    """(line number, cells) of every non-blank line; stops reading just past the row limit."""
    lines = []
    reader = csv.reader(io.StringIO(text), delimiter=_delimiter(text))
    for cells in reader:
        if any(cell.strip() for cell in cells):
            lines.append((reader.line_num, cells))
        if len(lines) > MAX_ROWS + 1:
            break
    return lines


def _shape_problem(lines) -> Message | None:
    header = _trim_trailing_empty(lines[0][1])
    data = lines[1:]
    checks = (
        _single_column(header, data),
        _header_only(data),
        _too_many_rows(data),
        _too_many_columns(header),
        _duplicate_names(header),
        _ragged_rows(header, data),
    )
    return next((check for check in checks if check), None)


def _trim_trailing_empty(cells: list[str]) -> list[str]:
    """Spreadsheets often end every line with an extra separator: empty cells past the end don't count."""
    while cells and not cells[-1].strip():
        cells = cells[:-1]
    return cells


def _single_column(header, data) -> Message | None:
    if len(header) > 1:
        return None
    return Message(
        "single_column",
        "Only one column was found, so this does not look like a CSV table. A CSV has "
        "one line per example with values separated by commas, semicolons or tabs, "
        "and a first line with the column names.",
    )


def _header_only(data) -> Message | None:
    if data:
        return None
    return Message("header_only", "The file has a line of column names but no data rows below it.")


def _too_many_rows(data) -> Message | None:
    if len(data) <= MAX_ROWS:
        return None
    return Message(
        "too_many_rows",
        f"The file has more than {MAX_ROWS:,} data rows; this machine trains on at most "
        f"{MAX_ROWS:,}. Upload a sample of your rows.",
    )


def _too_many_columns(header) -> Message | None:
    if len(header) <= MAX_COLUMNS:
        return None
    return Message(
        "too_many_columns",
        f"The file has {len(header)} columns; this machine handles at most "
        f"{MAX_COLUMNS}. Keep the columns that matter and upload again.",
    )


def _duplicate_names(header) -> Message | None:
    names = [name.strip() for name in header]
    repeated = sorted({name for name in names if names.count(name) > 1})
    if not repeated:
        return None
    described = "; ".join(
        f"'{name}' (columns {', '.join(str(i + 1) for i, n in enumerate(names) if n == name)})" for name in repeated
    )
    return Message(
        "duplicate_columns",
        f"Some column names appear more than once: {described}. Give every column "
        "its own name, so it is clear which one is which.",
    )


def _ragged_rows(header, data) -> Message | None:
    wrong = [
        (number, len(cells))
        for number, cells in data
        if len(_trim_trailing_empty(cells)) > len(header) or len(cells) < len(header)
    ]
    if not wrong:
        return None
    examples = ", ".join(f"line {number} has {count}" for number, count in wrong[:3])
    more = f" ({len(wrong)} lines in all)" if len(wrong) > 3 else ""
    return Message(
        "ragged_rows",
        f"Not every line has the same number of values: the header has {len(header)} "
        f"columns but {examples}{more}. Often a value contains the separator (put it in "
        "quotes) or a cell is missing.",
    )


def _typed_table(filename, lines, decimal_comma: bool, notes: list[Message]) -> ReadResult:
    header = _trim_trailing_empty(lines[0][1])
    names = [name.strip() or f"column {index + 1}" for index, name in enumerate(header)]
    cells = pd.DataFrame([cells[: len(names)] for _, cells in lines[1:]], columns=names, dtype=object)
    line_numbers = [number for number, _ in lines[1:]]
    columns, numeric, text = {}, [], []
    for name in names:
        values, kind, note = _typed_column(name, cells[name].str.strip(), line_numbers, decimal_comma)
        notes.extend([note] if note else [])
        if kind == "empty":
            continue
        columns[name] = values
        (numeric if kind == "numeric" else text).append(name)
    if not numeric:
        return ReadResult(
            None,
            (
                Message(
                    "no_numeric_columns",
                    "No column holds numbers. The model here learns from "
                    "numeric columns (amounts, counts, measurements); add at least one.",
                ),
            ),
        )
    return ReadResult(Table(filename, pd.DataFrame(columns), tuple(numeric), tuple(text), tuple(notes)))


def _typed_column(name, values: pd.Series, line_numbers, decimal_comma: bool):
    """(values, "numeric" | "text" | "empty", note or None) for one column of stripped strings."""
    missing = values.str.lower().isin(MISSING_TOKENS)
    present = int((~missing).sum())
    if present == 0:
        return None, "empty", Message("empty_column", f"Column '{name}' has no values and is ignored.")
    numbers = pd.to_numeric(values.str.replace(",", ".") if decimal_comma else values, errors="coerce")
    numbers = numbers.where(np.isfinite(numbers.astype(float)) & ~missing)
    bad = ~missing & numbers.isna()
    if not bad.any():
        return numbers.astype(float), "numeric", None
    if (present - bad.sum()) >= MOSTLY_NUMERIC * present:
        first = int(np.argmax(bad.to_numpy()))
        note = Message(
            "mostly_numeric",
            f"Column '{name}' holds numbers except {int(bad.sum())} cell(s), such as "
            f"'{values.iloc[first]}' on line {line_numbers[first]}; those cells are "
            "treated as missing values.",
        )
        return numbers.astype(float), "numeric", note
    return values.where(~missing, None), "text", None


# ---- step 2: a label column, then a Dataset ----


def guess_label_column(table: Table) -> str:
    """A column named like a label (label, target, class, outcome, y), else the last column."""
    columns = list(table.frame.columns)
    return next((name for name in columns if name.strip().lower() in LABEL_NAMES), columns[-1])


def group_column_choices(table: Table, label_column: str) -> list[str]:
    """Columns with a few distinct values (2 to MAX_GROUPS) that can split the results by group."""
    return [
        name
        for name in table.frame.columns
        if name != label_column and 2 <= table.frame[name].nunique(dropna=True) <= MAX_GROUPS
    ]


def prepare_training_data(
    table: Table, label_column: str, drop_missing: bool = False, group_column: str | None = None
) -> Prepared:
    """Check the table against the chosen label column and build a standardized Dataset, or explain why not."""
    features = [name for name in table.numeric_columns if name != label_column]
    notes = list(table.notes) + _ignored_columns_note(table, label_column)
    if not features:
        return Prepared(
            None,
            (
                Message(
                    "no_numeric_columns",
                    f"Apart from the label '{label_column}' no column holds "
                    "numbers, so the model has nothing to learn from.",
                ),
            ),
            tuple(notes),
            0,
        )
    frame = table.frame
    incomplete = frame[[*features, label_column]].isna().any(axis=1).to_numpy()
    if incomplete.any() and not drop_missing:
        return Prepared(
            None,
            (_missing_values_message(frame, features, label_column, incomplete),),
            tuple(notes),
            int(incomplete.sum()),
        )
    if incomplete.any():
        notes.append(Message("dropped_rows", f"{int(incomplete.sum())} rows with missing values were left out."))
    frame = frame[~incomplete]
    problem = _label_problem(frame[label_column], label_column, label_column in table.numeric_columns)
    if problem:
        return Prepared(None, (problem,), tuple(notes), int(incomplete.sum()))
    dataset, test_rows = _standardized_dataset(table.name, frame[features], frame[label_column])
    groups = _held_out_groups(frame, group_column, test_rows)
    return Prepared(dataset, (), tuple(notes), int(incomplete.sum()), test_rows, groups)


def _ignored_columns_note(table: Table, label_column: str) -> list[Message]:
    ignored = [name for name in table.text_columns if name != label_column]
    if not ignored:
        return []
    return [
        Message(
            "ignored_columns",
            f"Not numbers, so not used as inputs: {', '.join(ignored)}. The model here "
            "reads numbers only; such a column can still be the label, or split the "
            "results by group.",
        )
    ]


def _missing_values_message(frame, features, label_column, incomplete) -> Message:
    columns = [name for name in (*features, label_column) if frame[name].isna().any()]
    return Message(
        "missing_values",
        f"{int(incomplete.sum())} of {len(frame)} rows have missing values (in "
        f"{', '.join(columns)}). The model needs a value in every cell it uses: drop "
        "those rows to continue, or fill them in in your spreadsheet.",
    )


def _label_problem(labels: pd.Series, name: str, numeric: bool) -> Message | None:
    counts = labels.value_counts()
    if len(labels) < MIN_ROWS:
        return Message(
            "too_few_rows",
            f"Only {len(labels)} usable rows; at least {MIN_ROWS} are needed to train on some and test on others.",
        )
    if len(counts) < 2:
        return Message(
            "one_class",
            f"The label column '{name}' has only one value ({_show(counts.index[0])}). A "
            "model learns to tell classes apart, so it needs at least two.",
        )
    if numeric and (len(counts) > CONTINUOUS_LABEL_VALUES or not np.all(np.mod(labels, 1) == 0)):
        return Message(
            "continuous_label",
            f"The label column '{name}' holds {len(counts)} different numbers, like an "
            "amount or a measurement, not a few categories. This lesson trains "
            f"classifiers (at most {MAX_CLASSES} classes): choose a column of "
            "categories, or group the numbers into bands (low / medium / high) first.",
        )
    if len(counts) > MAX_CLASSES:
        like_id = " Every row has its own value, like an ID." if len(counts) == len(labels) else ""
        return Message(
            "too_many_classes",
            f"The label column '{name}' has {len(counts)} different values; at most "
            f"{MAX_CLASSES} classes can be learned here.{like_id} Choose the column "
            "that holds the answer the model should learn.",
        )
    return _rare_class(counts)


def _rare_class(counts: pd.Series) -> Message | None:
    rare = counts[counts < MIN_ROWS_PER_CLASS]
    if rare.empty:
        return None
    listed = ", ".join(f"{_show(value)} ({count} rows)" for value, count in rare.items())
    return Message(
        "rare_class",
        f"Some classes have fewer than {MIN_ROWS_PER_CLASS} rows: {listed}. Each class needs "
        f"at least {MIN_ROWS_PER_CLASS}, so that some can be held out for testing. Remove or "
        "merge those rows.",
    )


def _show(value) -> str:
    """A label value as people wrote it: 1 rather than 1.0."""
    if isinstance(value, float) and value.is_integer():
        return f"'{int(value)}'"
    return f"'{value}'"


def _standardized_dataset(name: str, features: pd.DataFrame, labels: pd.Series) -> tuple[Dataset, np.ndarray]:
    """A Dataset with features scaled by the training split's statistics, and the held-out rows' positions."""
    classes, codes = np.unique(labels.to_numpy(), return_inverse=True)
    dataset = from_arrays(name, features.to_numpy(np.float32), codes, [_show(c).strip("'") for c in classes])
    _, test_rows, _, _ = split_stratified(np.arange(len(codes)), codes, HELD_OUT_SHARE, SPLIT_SEED)  # as from_arrays
    mean, spread = dataset.x_train.mean(axis=0), dataset.x_train.std(axis=0)
    spread = np.where(spread > 0, spread, 1.0)  # a constant column stays constant instead of dividing by zero
    scaled = replace(
        dataset,
        x_train=((dataset.x_train - mean) / spread).astype(np.float32),
        x_test=((dataset.x_test - mean) / spread).astype(np.float32),
    )
    return scaled, test_rows


def _held_out_groups(frame: pd.DataFrame, group_column: str | None, test_rows: np.ndarray) -> np.ndarray | None:
    if not group_column or group_column not in frame:
        return None
    values = frame[group_column].to_numpy(object)[test_rows]
    return np.array(["(missing)" if v is None or v != v else _show(v).strip("'") for v in values])


# ---- readings: what the page says about a file and a model trained on it ----


def table_summary(table: Table) -> tuple[str, str]:
    rows, columns = table.frame.shape
    return "success", f"**{markdown_literal(table.name)}**: {rows} rows, {columns} columns."


def file_readings(name: str, problems: tuple[Message, ...], name_in_use: str | None) -> list[tuple[str, str]]:
    """Why the file `name` cannot be used, and which earlier file (`name_in_use`, if any) stays in use."""
    readings = [("error", f"**{markdown_literal(name)}** cannot be used. {problem.text}") for problem in problems]
    if problems and name_in_use is not None:
        readings.append(("info", f"Still using your previous file, **{markdown_literal(name_in_use)}**."))
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
    if best == worst:
        served = f"**{accuracies[best]:.0%}** in every group"
    else:
        served = (
            f"**{markdown_literal(names[best])} {accuracies[best]:.0%}**, "
            f"**{markdown_literal(names[worst])} {accuracies[worst]:.0%}**"
        )
    text = (
        f"Held-out accuracy per {group}: {served}. Of the {markdown_literal(names[worst])} rows whose answer is "
        f"'{missed_class}', the model gets **{recall[missed]:.0%}** right."
    )
    return ("warning" if accuracies[best] - accuracies[worst] > GROUP_GAP else "success"), text


def held_out_rows_per_group(held_out_groups: np.ndarray) -> str:
    """How many held-out rows each group has: the size behind each group's percentages."""
    names, counts = np.unique(held_out_groups, return_counts=True)
    listed = ", ".join(f"{markdown_literal(name)}: {count}" for name, count in zip(names, counts, strict=True))
    return f"Held-out rows per group: {listed}. Recall of a class: the share of its rows the model got right."
