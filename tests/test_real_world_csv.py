"""Files shaped like real exports (tests/real_world_csv) are read as their authors meant, or refused in words."""

from pathlib import Path

import numpy as np
import pytest

from core.lessons import own_data, tables

FOLDER = Path(__file__).resolve().parent / "real_world_csv"


def read(name: str, number_style: str | None = None) -> tables.Table:
    result = own_data.read_table((FOLDER / name).read_bytes(), name, number_style)
    assert not result.problems, result.problems
    return result.table


def note(table_or_prepared, kind: str) -> str:
    return next(message.text for message in table_or_prepared.notes if message.kind == kind)


def test_a_dutch_excel_export_is_read_with_its_own_number_style_and_encoding():
    table = read("dutch_excel_export.csv")
    assert table.delimiter == ";" and table.number_style.style == "comma" and table.number_style.decided_by_file
    first, last = table.frame.iloc[0], table.frame.iloc[-1]
    assert (first["regio"], first["omzet (€)"], first["marge"], first["klanten"]) == ("Fryslân", 800.0, 5.5, 1000.0)
    assert (last["omzet (€)"], last["klanten"]) == (2262.5, 2950.0), "1.250 in a Dutch file is twelve hundred fifty"
    assert first["opmerking"] == "klant’s keuze", "Windows-1252 curly quote"
    assert "Windows-1252" in note(table, "encoding")
    assert "'€ 800\\,00' (line 3) is read as 800" in note(table, "currency")
    assert "'5\\,5\\%' (line 3) is read as 5.5" in note(table, "percent")
    assert "'800\\,00' in column 'omzet \\(€\\)' (line 3) can only be read that way" in note(table, "number_style")
    assert "This matters for 'klanten'" in note(table, "number_style")
    assert table.preview_lines[:2] == ("sep=;", "regio;omzet (€);marge;klanten;opmerking;tevreden")


def test_an_english_export_with_quoted_thousands_and_dollars():
    table = read("english_thousands.csv")
    assert table.number_style.style == "point"
    assert table.frame["revenue"].iloc[:2].tolist() == [1500.25, 1600.25]
    assert table.frame["visitors"].iloc[:2].tolist() == [2000.0, 2025.0]
    assert table.frame["share"].iloc[0] == 10.5


def test_numbers_that_read_two_ways_are_named_and_can_be_read_the_other_way():
    table = read("thousands_only.csv")
    assert not table.number_style.decided_by_file and table.number_style.ambiguous_columns == ("bezoekers",)
    assert table.frame["bezoekers"].iloc[0] == 1000.0
    assert "'bezoekers': '1\\.000' (line 2) is 1000 read this way, 1 the other way" in note(table, "ambiguous_numbers")
    english = read("thousands_only.csv", number_style="point")
    assert english.frame["bezoekers"].iloc[0] == 1.0 and english.number_style.style == "point"


def test_a_column_that_gives_the_answer_away_is_flagged_and_can_be_left_out():
    table = read("iris_with_species_id.csv")
    assert own_data.guess_label_column(table) == "species"
    prepared = own_data.prepare_training_data(table, "species")
    assert "species_id" in prepared.input_names
    flagged = [message.text for message in prepared.notes if message.kind == "gives_answer_away"]
    assert len(flagged) == 1 and "Column 'species\\_id' on its own tells the label of 100% of the rows" in flagged[0]
    left_out = own_data.prepare_training_data(table, "species", left_out=("species_id",))
    assert "species_id" not in left_out.input_names
    assert not [message for message in left_out.notes if message.kind == "gives_answer_away"]
    role = next(role for role in left_out.roles if role.name == "species_id")
    assert (role.role, role.reason) == ("ignored", own_data.LEFT_OUT)


def test_text_columns_of_categories_are_inputs_and_free_text_and_ids_are_not():
    table = read("text_columns.csv")
    prepared = own_data.prepare_training_data(table, "bought")
    roles = {role.name: (role.role, role.reason) for role in prepared.roles}
    assert roles["customer_id"][0] == "ignored" and "identifier" in roles["customer_id"][1]
    assert roles["comment"][0] == "ignored" and roles["comment"][1].startswith("free text (60 different values)")
    assert roles["day"] == ("input", "text with 7 values: one input per value (one-hot)")
    assert prepared.input_names[:2] == ("amount", "region_Fryslân") and len(prepared.input_names) == 15
    assert own_data.group_column_choices(table, "bought") == ["region", "day", "sex", "product"]


def test_values_beyond_the_models_range_are_refused_in_words():
    problems = own_data.read_table((FOLDER / "overflowing_values.csv").read_bytes(), "o.csv").problems
    assert problems[0].kind == "too_large_values"
    assert problems[0].text.startswith("Column 'b' holds a number too large for the model: 1e+39 on line 6.")


def test_an_unclosed_quote_is_explained_without_the_csv_modules_words():
    problems = own_data.read_table((FOLDER / "unclosed_quote.csv").read_bytes(), "q.csv").problems
    assert problems[0].kind == "unclosed_quote" and problems[0].text.startswith("From line 3 on, the file reads as one")
    assert "field limit" not in problems[0].text


def test_old_mac_line_ends_are_read_like_any_other():
    table = read("old_mac_line_endings.csv")
    assert len(table.frame) == 30 and table.frame["b"].iloc[:3].tolist() == [0.0, 1.0, 2.0]


def test_a_huge_column_name_is_shortened_in_messages():
    table = read("long_header.csv")
    label = "L" * 100_000
    problem = own_data.prepare_training_data(table, label).problems[0]
    assert problem.kind == "one_class" and "100\\,000 characters" in problem.text and len(problem.text) < 400


@pytest.mark.parametrize(
    ("cell", "point", "comma"),
    [
        ("1.250", 1.25, 1250.0),
        ("1,250", 1250.0, 1.25),
        ("12,5", None, 12.5),
        ("1.234,56", None, 1234.56),
        ("1,234.56", 1234.56, None),
        ("0.125", 0.125, None),
        ("1.234.567", None, 1234567.0),
        ("-3", -3.0, -3.0),
        ("1.5e3", 1500.0, None),
        ("12.03.2024", None, None),
    ],
)
def test_each_style_reads_a_cell_its_own_way(cell, point, comma):
    assert tables.parse_number(cell, "point") == point and tables.parse_number(cell, "comma") == comma


def test_signs_around_numbers_are_removed():
    cells = own_data.read_table("a;b;c\n-€ 12,50;12,5 %;1 234,5\n€ -3;7%;2\n".encode(), "s.csv").table.frame
    assert cells["a"].tolist() == [-12.5, -3.0] and cells["b"].tolist() == [12.5, 7.0]
    assert cells["c"].tolist() == [1234.5, 2.0]
    np.testing.assert_array_equal(cells.dtypes.to_numpy(), [np.float64] * 3)


def bundled_tables():
    """Tables that ship with installed packages: plotly's data sets and scikit-learn's wine, as data frames."""
    import plotly.data
    from sklearn.datasets import load_wine

    wine = load_wine(as_frame=True).frame
    return {
        "tips": plotly.data.tips(),
        "iris": plotly.data.iris(),
        "gapminder": plotly.data.gapminder(),
        "election": plotly.data.election(),
        "wine": wine,
    }


def dutch_with_thousands(frame) -> bytes:
    """What Dutch Excel writes: semicolons, decimal commas, points between thousands, Windows-1252."""

    def cell(value):
        if isinstance(value, float):
            return f"{value:,.4f}".replace(",", " ").replace(".", ",").replace(" ", ".")
        if isinstance(value, int) and not isinstance(value, bool):
            return f"{value:,}".replace(",", ".")
        return str(value)

    lines = [";".join(frame.columns)] + [";".join(cell(v) for v in row) for row in frame.itertuples(index=False)]
    return ("sep=;\r\n" + "\r\n".join(lines) + "\r\n").encode("cp1252", errors="replace")


@pytest.mark.parametrize("name", ["tips", "iris", "gapminder", "election", "wine"])
@pytest.mark.parametrize("export", ["english", "dutch", "dutch with thousands"])
def test_bundled_data_sets_exported_each_way_are_read_back_as_the_same_numbers(name, export):
    frame = bundled_tables()[name]
    frame = frame.astype({column: float for column in frame.select_dtypes("float").columns})
    if export == "english":
        raw = frame.to_csv(index=False).encode()
    elif export == "dutch":
        raw = frame.to_csv(index=False, sep=";", decimal=",").encode()
    else:
        raw = dutch_with_thousands(frame.astype({c: object for c in frame.columns}))
    table = own_data.read_table(raw, f"{name}.csv").table
    numeric = list(frame.select_dtypes("number").columns)
    assert list(table.numeric_columns) == numeric
    for column in numeric:
        np.testing.assert_allclose(table.frame[column], frame[column].astype(float), rtol=1e-4, err_msg=column)
    for column in frame.columns.difference(numeric):
        assert table.frame[column].tolist() == frame[column].astype(str).tolist()
