""" "Your own data" in Dutch and English: what the reader of an uploaded CSV says, with its numbers written for the
learner's language and the learner's own text (file and column names, cells) shown exactly as typed."""

from core.i18n import language_as
from core.lessons import own_data
from tests.apptest_support import choose_language, open_page
from tests.test_pages_data_quality import OWN_DATA, upload
from tests.test_uploads import FOLDER, by_group


def prices_table():
    """30 rows whose label column, named with Markdown marks, holds 30 different amounts."""
    rows = "".join(f"{i % 3},{10 + i},{i * 1.5}\n" for i in range(30))
    return own_data.read_table(f"a,b,*prijs* [€]\n{rows}".encode(), "prijzen.csv").table


def test_an_upload_problem_names_the_users_column_as_typed_and_its_numbers_in_both_languages():
    table = prices_table()
    english = own_data.prepare_training_data(table, "*prijs* [€]").problems[0]
    assert english.kind == "continuous_label"
    assert english.text.startswith(r"The label column '\*prijs\* \[€\]' holds 30 different numbers, like an amount")
    with language_as("nl"):
        dutch = own_data.prepare_training_data(prices_table(), "*prijs* [€]").problems[0]
    assert dutch.kind == "continuous_label"
    assert dutch.text.startswith(r"De labelkolom '\*prijs\* \[€\]' bevat 30 verschillende getallen, zoals een bedrag")
    assert "hoogstens 20 klassen" in dutch.text


def test_file_problems_write_their_numbers_as_the_language_does():
    too_big = b"a,b\n" + b"1,2\n" * int(5.5 * 2**20 / 4)
    many = b"a,b\n" + b"1,2\n" * (own_data.MAX_ROWS + 1)
    assert own_data.read_table(too_big).problems[0].text.startswith("The file is 5.5 MB; files up to 5 MB")
    assert "more than 10,000 data rows" in own_data.read_table(many).problems[0].text
    with language_as("nl"):
        assert own_data.read_table(too_big).problems[0].text.startswith("Het bestand is 5,5 MB; hier kun je")
        assert "meer dan 10.000 rijen met data" in own_data.read_table(many).problems[0].text


def test_a_number_read_two_ways_is_shown_with_the_languages_decimal_mark():
    rows = "".join(f"{i};1.{250 + i};{'ja' if i % 2 else 'nee'}\n" for i in range(30))
    raw = f"nr;_bezoekers_;label\n{rows}".encode()
    english = own_data.read_table(raw, "b.csv").table
    note = next(note.text for note in english.notes if note.kind == "ambiguous_numbers")
    assert r"This matters for '\_bezoekers\_': '1\.250' (line 2) is 1250 read this way, 1.25 the other way." in note
    with language_as("nl"):
        dutch = own_data.read_table(raw, "b.csv").table
    note = next(note.text for note in dutch.notes if note.kind == "ambiguous_numbers")
    assert note.startswith("Niets in het bestand laat zien hoe de getallen geschreven zijn; omdat het gescheiden is")
    assert "door puntkomma's, worden ze gelezen als 1.234,56 (komma voor decimalen, zoals in het Nederlands)." in note
    assert r"'1\.250' (regel 2) is op deze manier gelezen 1250, op de andere manier 1,25." in note


def test_the_group_reading_in_dutch_keeps_the_groups_as_typed():
    results = by_group({"[stad]": 0.9, "platteland": 0.6}, {"[stad]": [0.95, 0.85], "platteland": [0.8, 0.3]})
    with language_as("nl"):
        kind, text = own_data.group_reading("*regio*", results, ("nee", "ja"))
    assert kind == "warning"
    assert text == (
        r"Nauwkeurigheid op testdata per \*regio\*: **\[stad\] 90%**, **platteland 60%**. Van de rijen uit groep "
        "platteland met als antwoord 'ja' heeft het model er **30%** goed."
    )


def test_after_a_switch_to_dutch_the_page_tells_about_the_files_again_in_dutch():
    app = open_page(OWN_DATA)
    good = "".join(f"{i};1.{250 + i % 10};{'ja' if i % 2 else 'nee'}\n" for i in range(30)).encode()
    upload(app, "goed.csv", b"nr;bezoekers;label\n" + good)
    upload(app, "*slecht*.csv", (FOLDER / "ragged_rows.csv").read_bytes())
    assert app.error[0].value.startswith(r"**\*slecht\*\.csv** cannot be used. Not every line has the same number")
    choose_language(app, "nl")
    assert not app.exception
    assert app.error[0].value.startswith(r"**\*slecht\*\.csv** kan niet worden gebruikt. Niet elke regel heeft")
    assert "regel 8 heeft er 4, regel 13 heeft er 2" in app.error[0].value
    assert any(info.value == r"Je vorige bestand, **goed\.csv**, blijft in gebruik." for info in app.info)
    assert app.warning[0].value.startswith("Niets in het bestand laat zien hoe de getallen geschreven zijn")
    roles = next(frame.value for frame in app.dataframe if "gebruikt als" in frame.value.columns)
    assert roles.set_index("kolom").loc["label", "gebruikt als"] == "label"
    assert roles.set_index("kolom").loc["bezoekers", "waarom"].startswith("getallen, geschaald")


def test_the_rows_as_read_write_their_numbers_as_the_language_does_with_every_digit():
    """A data frame writes numbers in its own English notation; the preview is text in the learner's."""
    table = own_data.read_table(b"name,amount,visits\n*Ann*,7.5,1200\nBob,,860\nCas,0.000012,3\n", "x.csv").table
    with language_as("nl"):
        shown = own_data.preview_as_read(table)
    assert shown["amount"].tolist() == ["7,5", "", "1,2e-05"]
    assert shown["visits"].tolist() == ["1200", "860", "3"]
    assert shown["name"].tolist() == ["*Ann*", "Bob", "Cas"]  # text as typed
    with language_as("en"):
        assert own_data.preview_as_read(table)["amount"].tolist() == ["7.5", "", "1.2e-05"]


def test_the_page_shows_the_rows_as_read_in_dutch_notation():
    app = open_page(OWN_DATA)
    choose_language(app, "nl")
    good = "".join(f"{i};1,{250 + i % 10};{'ja' if i % 2 else 'nee'}\n" for i in range(30)).encode()
    upload(app, "goed.csv", b"nr;bezoekers;label\n" + good)
    assert not app.exception
    as_read = next(frame.value for frame in app.dataframe if "bezoekers" in frame.value.columns)
    assert as_read["bezoekers"].tolist()[:3] == ["1,25", "1,251", "1,252"]
