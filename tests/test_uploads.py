"""core.lessons.own_data: every malformed CSV in tests/malformed_csv gets its own plain-words message and no exception;
valid files become standardized Datasets whose held-out rows keep their groups."""

import re
import runpy
from pathlib import Path

import numpy as np
import pytest

from core.engine.data import load_dataset
from core.lessons import data_quality, own_data

FOLDER = Path(__file__).resolve().parent / "malformed_csv"
SAMPLES = Path(__file__).resolve().parents[1] / "sample_data"

# file -> (kind of the first problem, words its message must contain), pinned here: the words are what a learner reads.
# Checked with the guessed label column.
PROBLEMS = {
    "empty.csv": ("empty", "empty"),
    "only_blank_lines.csv": ("empty", "empty"),
    "header_only.csv": ("header_only", "no data rows"),
    "binary_data.csv": ("not_text", "not text"),
    "excel_workbook_renamed.csv": ("not_text", "Excel workbook"),
    "pdf_renamed.csv": ("not_text", "PDF"),
    "web_page.csv": ("not_csv", "web page"),
    "json_records.csv": ("not_csv", "JSON"),
    "plain_text.csv": ("single_column", "Only one column"),
    "duplicate_columns.csv": ("duplicate_columns", "'age' (columns 1, 3)"),
    "ragged_rows.csv": ("ragged_rows", "line 8 has 4, line 13 has 2"),
    "unclosed_quote.csv": ("unclosed_quote", 'Line 3 opens a quote (") that is not closed, so everything up to line 5'),
    "too_many_columns.csv": ("too_many_columns", "at most 50"),
    "too_many_rows.csv": ("too_many_rows", "10,000"),
    "one_class.csv": ("one_class", "only one value ('yes')"),
    "too_many_classes.csv": ("too_many_classes", "30 different values; at most 20 classes"),
    "id_column_as_label.csv": ("too_many_classes", "like an ID"),
    "continuous_label.csv": ("continuous_label", "group the numbers into bands", "price"),
    "missing_values.csv": ("missing_values", "4 of 40 rows have missing values (in age, income)"),
    "rare_class.csv": ("rare_class", "'gold' (2 rows)"),
    "too_few_rows.csv": ("too_few_rows", "Only 8 usable rows"),
    "constant_columns.csv": ("no_inputs", "Apart from the label 'label' no column can be an input"),
}
# files that can be used, with what the page says about them
NOTES = {
    "text_feature_columns.csv": (None, ""),
    "text_columns_only.csv": (None, ""),
    "latin1_encoded.csv": ("encoding", "Windows-1252"),
    "typo_in_a_number_column.csv": ("mostly_numeric", "'about 3000' on line 7"),  # then one row to drop
    "semicolons_and_decimal_commas.csv": (None, ""),
}


def messages_for(raw: bytes, name: str, drop_missing: bool = False, label: str | None = None):
    """What the page would show for a file with the guessed (or given) label column: (problems, notes, prepared)."""
    result = own_data.read_table(raw, name)
    if result.problems:
        return result.problems, (), None
    label = label or own_data.guess_label_column(result.table)
    prepared = own_data.prepare_training_data(result.table, label, drop_missing)
    return prepared.problems, result.table.notes + prepared.notes, prepared


def test_every_file_in_the_folder_is_covered_and_there_are_at_least_fifteen_kinds():
    assert {path.name for path in FOLDER.glob("*.csv")} == set(PROBLEMS) | set(NOTES)
    assert len({kind for kind, *_ in PROBLEMS.values()}) >= 15


@pytest.mark.parametrize("name", sorted(PROBLEMS))
def test_a_malformed_file_gets_its_own_message(name):
    kind, words, *label = PROBLEMS[name]
    problems, _, prepared = messages_for((FOLDER / name).read_bytes(), name, label=next(iter(label), None))
    assert problems and problems[0].kind == kind
    assert words in problems[0].text
    assert prepared is None or prepared.dataset is None


@pytest.mark.parametrize("name", sorted(NOTES))
def test_a_usable_file_trains_and_says_what_it_noticed(name):
    kind, words = NOTES[name]
    problems, notes, prepared = messages_for((FOLDER / name).read_bytes(), name, drop_missing=True)
    assert not problems and prepared.dataset is not None
    if kind:
        note = next(note for note in notes if note.kind == kind)
        assert words in note.text


def test_a_file_over_the_size_limit_is_refused_before_reading():
    raw = b"a,b\n" + b"1,2\n" * (own_data.MAX_UPLOAD_BYTES // 4)
    problems, _, _ = messages_for(raw, "big.csv")
    assert problems[0].kind == "too_large" and f"up to {own_data.MAX_UPLOAD_MB} MB" in problems[0].text


def test_the_server_lets_oversize_files_reach_the_page():
    config = (Path(__file__).resolve().parents[1] / ".streamlit" / "config.toml").read_text()
    server_limit = int(re.search(r"^maxUploadSize = (\d+)$", config, re.MULTILINE).group(1))
    assert server_limit >= 10 * own_data.MAX_UPLOAD_MB, "files well over the limit reach the page, which explains"


def test_missing_values_can_be_dropped():
    _, notes, prepared = messages_for((FOLDER / "missing_values.csv").read_bytes(), "m.csv", drop_missing=True)
    assert prepared.dataset is not None and prepared.rows_with_missing == 4
    assert len(prepared.dataset.y_train) + len(prepared.dataset.y_test) == 36
    assert any(note.kind == "dropped_rows" and "4 rows" in note.text for note in notes)


def test_european_csv_reads_decimal_commas_as_numbers():
    result = own_data.read_table((FOLDER / "semicolons_and_decimal_commas.csv").read_bytes(), "nl.csv")
    first = (FOLDER / "semicolons_and_decimal_commas.csv").read_text().splitlines()[1].split(";")
    assert result.table.numeric_columns == ("leeftijd", "inkomen")
    assert result.table.frame["leeftijd"].iloc[0] == pytest.approx(float(first[0].replace(",", ".")))


def test_utf16_with_a_byte_order_mark_is_read():
    text = "height\tweight\tsize\n" + "".join(f"{150 + i}\t{50 + i}\t{'SML'[i % 3]}\n" for i in range(30))
    result = own_data.read_table(text.encode("utf-16"), "unicode.txt")
    assert not result.problems and result.table.numeric_columns == ("height", "weight")


def test_cells_are_data_never_code():
    rows = "".join(f"{i},=cmd|' /C calc'!A0,__import__('os'),{'ab'[i % 2]}\n" for i in range(30))
    result = own_data.read_table(("x,formula,python,label\n" + rows).encode(), "trick.csv")
    assert result.table.text_columns == ("formula", "python", "label")
    assert result.table.frame["python"].iloc[0] == "__import__('os')"


def test_label_guess_and_group_choices():
    table = own_data.read_table((SAMPLES / "loan_repayment.csv").read_bytes(), "loans.csv").table
    assert own_data.guess_label_column(table) == "repaid"
    assert own_data.group_column_choices(table, "repaid") == ["region"]
    named = own_data.read_table(b"Target,x,y2\n" + b"".join(b"%d,%d,%d\n" % (i % 2, i, i) for i in range(30)), "t.csv")
    assert own_data.guess_label_column(named.table) == "Target"


def test_numbers_are_standardized_and_text_one_hot_with_training_statistics():
    table = own_data.read_table((SAMPLES / "customer_churn.csv").read_bytes(), "churn.csv").table
    prepared = own_data.prepare_training_data(table, "churned")
    dataset, numbers = prepared.dataset, len(table.numeric_columns)
    np.testing.assert_allclose(dataset.x_train[:, :numbers].mean(axis=0), 0, atol=1e-4)
    np.testing.assert_allclose(dataset.x_train[:, :numbers].std(axis=0), 1, atol=1e-3)
    assert prepared.input_names[numbers:] == ("plan_basic", "plan_premium", "plan_standard")
    one_hot = dataset.x_train[:, numbers:]
    assert set(np.unique(one_hot)) == {0.0, 1.0} and np.all(one_hot.sum(axis=1) == 1)
    assert dataset.class_names == ("no", "yes") and dataset.x_train.dtype == np.float32


def test_held_out_rows_and_groups_match_the_split():
    rows = "".join(f"{i + 0.5},{(i * 7) % 13},{'north' if i % 3 else 'south'},{'ab'[i % 2]}\n" for i in range(60))
    table = own_data.read_table(("position,noise,region,label\n" + rows).encode(), "g.csv").table
    prepared = own_data.prepare_training_data(table, "label", group_column="region")
    held_out = prepared.held_out_rows
    training = np.setdiff1d(np.arange(60), held_out) + 0.5
    mean, spread = training.mean(), training.std()  # the "position" column holds each row's own position
    np.testing.assert_allclose(prepared.dataset.x_test[:, 0] * spread + mean, held_out + 0.5, atol=1e-3)
    np.testing.assert_array_equal(prepared.held_out_groups, np.where(held_out % 3, "north", "south"))


def test_an_uploaded_table_leaves_the_shared_digits_untouched():
    digits = load_dataset("digits")
    before = [array.copy() for array in (digits.x_train, digits.y_train, digits.x_test, digits.y_test)]
    table = own_data.read_table((SAMPLES / "customer_churn.csv").read_bytes(), "churn.csv").table
    uploaded = own_data.prepare_training_data(table, "churned").dataset
    assert uploaded.num_classes == 2 and uploaded.num_features != digits.num_features
    assert load_dataset("digits") is digits, "every session keeps sharing the one cached digits dataset"
    assert digits.x_train.shape == (1437, 64) and (digits.num_classes, digits.class_names[0]) == (10, "0")
    for array, copy in zip((digits.x_train, digits.y_train, digits.x_test, digits.y_test), before):
        np.testing.assert_array_equal(array, copy)


@pytest.mark.parametrize("name", ["digits", "moons"])
def test_shared_datasets_are_read_only(name):
    dataset = load_dataset(name)
    for array in (dataset.x_train, dataset.y_train, dataset.x_test, dataset.y_test):
        assert not array.flags.writeable
        with pytest.raises(ValueError, match="read-only"):
            array[0] = 0


def test_the_example_csvs_are_remade_byte_for_byte_by_their_script():
    script = runpy.run_path(str(SAMPLES / "make_example_csvs.py"))
    for filename, (make, seed) in script["EXAMPLES"].items():
        made = make(np.random.default_rng(seed)).to_csv(index=False, lineterminator="\n")
        assert made == (SAMPLES / filename).read_text(), filename


# ---- readings: numbers in, sentences out ----


def by_group(accuracies: dict, recalls: dict) -> dict:
    return {
        name: data_quality.HeldOutResult(accuracy, np.asarray(recalls[name], float), np.zeros((2, 2), np.int64))
        for name, accuracy in accuracies.items()
    }


def test_the_group_reading_warns_only_when_one_group_is_clearly_worse_served():
    classes = ("no", "yes")
    kind, text = own_data.group_reading(
        "region", by_group({"city": 0.9, "rural": 0.6}, {"city": [0.95, 0.85], "rural": [0.8, 0.3]}), classes
    )
    assert kind == "warning" and "Held-out accuracy per region: **city 90%**, **rural 60%**" in text
    assert "Of the rural rows whose answer is 'yes', the model gets **30%** right" in text
    kind, text = own_data.group_reading(
        "region", by_group({"city": 0.9, "rural": 0.87}, {"city": [0.9, 0.9], "rural": [0.9, 0.84]}), classes
    )
    assert kind == "success" and "**rural 87%**" in text
    kind, text = own_data.group_reading("region", by_group({"city": 0.9}, {"city": [0.95, 0.85]}), classes)
    assert kind == "success" and "**90%** in every group" in text


def test_the_group_reading_shows_names_from_the_file_as_typed():
    _, text = own_data.group_reading(
        "*area*", by_group({"[a](b)": 0.9, "c_d": 0.5}, {"[a](b)": [0.9, 0.9], "c_d": [0.6, 0.4]}), ("no", "*yes*")
    )
    assert r"per \*area\*" in text and r"**\[a\]\(b\) 90%**" in text and r"'\*yes\*'" in text and r"c\_d" in text


def test_held_out_rows_are_counted_per_group():
    text = own_data.held_out_rows_per_group(np.array(["rural", "city", "city", "(missing)"]))
    assert text.startswith(r"Held-out rows per group: \(missing\): 1, city: 2, rural: 1.")


def test_a_file_reading_names_the_file_and_keeps_the_last_good_one():
    problem = own_data.Message("empty", "The file is empty.")
    assert own_data.file_readings("a.csv", (), "b.csv") == []
    assert own_data.file_readings("a.csv", (problem,), None) == [
        ("error", r"**a\.csv** cannot be used. The file is empty.")
    ]
    readings = own_data.file_readings("a.csv", (problem,), "b.csv")
    assert readings[1] == ("info", r"Still using your previous file, **b\.csv**.")


def test_a_table_summary_counts_its_rows_and_columns():
    table = own_data.read_table((SAMPLES / "customer_churn.csv").read_bytes(), "churn.csv").table
    rows, columns = table.frame.shape
    assert own_data.table_summary(table) == ("success", rf"**churn\.csv**: {rows} rows, {columns} columns.")


def test_missing_values_are_a_warning_other_problems_errors_and_notes_information():
    missing, other, note = (own_data.Message(kind, kind) for kind in ("missing_values", "one_class", "encoding"))
    readings = own_data.preparation_readings(own_data.Prepared(None, (missing, other), (note,), 4))
    assert readings == [("warning", "missing_values"), ("error", "one_class"), ("info", "encoding")]
    assert own_data.preparation_readings(own_data.Prepared(None, (), (), 0)) == []


def test_groups_that_read_the_same_are_not_named_twice():
    classes = ("no", "yes")
    kind, text = own_data.group_reading(
        "regio", by_group({"Fryslân": 1.0, "Utrecht": 0.998}, {"Fryslân": [1, 1], "Utrecht": [1, 0.99]}), classes
    )
    assert kind == "success" and "**100%** in every group" in text and text.count("Fryslân") <= 1
