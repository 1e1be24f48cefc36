"""Reading an uploaded CSV the way its author wrote it, or refusing it in plain words.

    >>> result = read_table(raw_bytes, "omzet.csv")      # decide encoding, separator, number style; type columns
    >>> result.problems or result.table                   # messages, or a Table of typed columns

Nothing from a file is ever evaluated or unpickled: bytes are decoded as text and split by Python's csv module.
Numbers follow the file's own conventions, decided once per file from the evidence in its cells: a cell such as
'12,5' can only be a decimal comma, '1,234.56' only a decimal point; '1.250' could be either (1250 or 1.25) and
decides nothing. The decision, and any column whose numbers it changes, is shown to the learner, who can
override it. Currency and percent signs are removed with a note. Each message has a stable `kind` (for tests and
the page) and a `text` for people, with user text made Markdown-literal.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass

import numpy as np
import pandas as pd

from core.i18n import formatted, number, tr, tr_later
from core.lessons.user_text import markdown_literal as literal

MAX_UPLOAD_MB = 5  # the page's own limit; the server accepts a little more so that it can say so in words
MAX_UPLOAD_BYTES = MAX_UPLOAD_MB * 1024 * 1024
MAX_ROWS = 10_000  # a few seconds of training per run on a shared 2-core server
MAX_COLUMNS = 50
MOSTLY_NUMERIC = 0.9  # a column this numeric is taken as numbers with a few typos
LARGEST_VALUE = float(np.finfo(np.float32).max)  # the model computes in float32
PREVIEW_LINES = 6  # data lines shown as in the file and as read
PREVIEW_CHARACTERS = 160
MISSING_TOKENS = frozenset({"", "na", "n/a", "nan", "null", "none", "?", "-", "#n/a", "missing"})
DELIMITERS = (",", ";", "\t")
DELIMITER_NAMES = {",": tr_later("commas"), ";": tr_later("semicolons"), "\t": tr_later("tabs")}  # shown: tr()
NUMBER_STYLES = {  # style -> (decimal mark, thousands mark, how the page names it: shown with tr())
    "point": (".", ",", tr_later("1,234.56 (a decimal point, as in English)")),
    "comma": (",", ".", tr_later("1.234,56 (a decimal comma, as in Dutch)")),
}
SIGNATURES = {  # first bytes of files people often upload by mistake -> what they are (shown with tr())
    b"PK\x03\x04": tr_later("an Excel workbook (.xlsx) or another zip file"),
    b"\xd0\xcf\x11\xe0": tr_later("an old Excel workbook (.xls)"),
    b"%PDF": tr_later("a PDF document"),
    b"\x89PNG": tr_later("a PNG image"),
    b"\xff\xd8\xff": tr_later("a JPEG image"),
    b"\x1f\x8b": tr_later("a compressed (gzip) file"),
}
_CURRENCY = re.compile(r"^(?:€|\$|£|¥|EUR|USD|GBP)\s*|\s*(?:€|\$|£|¥|EUR|USD|GBP)$", re.IGNORECASE)
_SPACED_THOUSANDS = re.compile(r"\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:[.,]\d+)?")
_PLAIN_COLUMN = re.compile(r"[0-9.,+\-eE\n]*")
_SEP_LINE = re.compile(r'"?sep=(.)"?[,;\t]*')


def _number_pattern(decimal: str, thousands: str) -> re.Pattern:
    """A number written with this decimal mark, optionally grouped in thousands, with an optional exponent."""
    mark, group = re.escape(decimal), re.escape(thousands)
    whole = rf"(?:[1-9]\d{{0,2}}(?:{group}\d{{3}})+|\d+)"  # groups of thousands never start with 0
    return re.compile(rf"[+-]?(?:{whole}(?:{mark}\d*)?|{mark}\d+)(?:[eE][+-]?\d+)?")


_PATTERNS = {style: _number_pattern(decimal, thousands) for style, (decimal, thousands, _) in NUMBER_STYLES.items()}


@dataclass(frozen=True)
class Message:
    """Something to tell the user: `kind` is a stable identifier, `text` the explanation in words (Markdown), in the
    language of the moment it was made."""

    kind: str
    text: str


@dataclass(frozen=True)
class NumberStyle:
    """How the file writes numbers, and why the reader thinks so."""

    style: str  # a key of NUMBER_STYLES
    evidence: str  # a sentence: the cell that decided it, or why nothing could
    ambiguous_columns: tuple[str, ...] = ()  # columns whose values change with the style ('1.250')
    decided_by_file: bool = True  # False when no cell told the styles apart and a default was taken


@dataclass(frozen=True)
class Table:
    """An uploaded CSV read into typed columns: numbers as float64 (NaN = missing), text as str or None."""

    name: str
    frame: pd.DataFrame
    numeric_columns: tuple[str, ...]
    text_columns: tuple[str, ...]
    notes: tuple[Message, ...]  # worth knowing, but the file can be used
    number_style: NumberStyle
    delimiter: str
    preview_lines: tuple[str, ...]  # the header and the first data lines, as in the file
    preview_rows: int  # how many data rows preview_lines holds


def preview_as_read(table: Table) -> pd.DataFrame:
    """The preview's rows as read, every cell as text: numbers with all their digits in the language's notation
    ("7,5" in Dutch, where a data frame would show its own "7.5"), a missing cell empty."""
    rows = table.frame.head(table.preview_rows)
    shown = rows.astype(object).where(rows.notna(), "")
    for name in table.numeric_columns:
        shown[name] = [_plain(value, 15) if pd.notna(value) else "" for value in rows[name]]
    return shown


@dataclass(frozen=True)
class ReadResult:
    table: Table | None
    problems: tuple[Message, ...] = ()  # any problem means there is no table


def read_table(raw: bytes, filename: str = "upload.csv", number_style: str | None = None) -> ReadResult:
    """Check and read an uploaded file; `number_style` overrides the file's evidence. Never raises for bad content:
    problems come back as messages."""
    problem = _file_problem(raw)
    if problem:
        return ReadResult(None, (problem,))
    text, notes = _decode(raw)
    problem = _not_a_table(text)
    if problem:
        return ReadResult(None, (problem,))
    lines, delimiter, problem = _split_lines(text)
    problem = problem or _shape_problem(lines)
    if problem:
        return ReadResult(None, (problem,))
    return _typed_table(filename, lines, delimiter, number_style, notes, _preview(text, len(lines) - 1))


# ---- the file as a whole ----


def _file_problem(raw: bytes) -> Message | None:
    if len(raw) > MAX_UPLOAD_BYTES:
        return Message(
            "too_large",
            tr(
                "The file is {size} MB; files up to {limit} MB can be uploaded here. Keep fewer rows or columns and "
                "save it again."
            ).format(size=number(len(raw) / 2**20, 1), limit=MAX_UPLOAD_MB),
        )
    if not raw.strip():
        return Message("empty", tr("The file is empty: it has no text at all."))
    for signature, what in SIGNATURES.items():
        if raw.startswith(signature):
            return Message(
                "not_text",
                tr(
                    "This is {what}, not a CSV text file. In your spreadsheet program choose "
                    "File > Save As (or Download) > CSV, and upload that file."
                ).format(what=tr(what)),
            )
    if b"\x00" in raw and not raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return Message(
            "not_text",
            tr(
                "This file is not text (it contains binary data), so it is not a CSV. Export "
                "your table as CSV from your spreadsheet program and upload that file."
            ),
        )
    return None


def _decode(raw: bytes) -> tuple[str, list[Message]]:
    """Text from UTF-8 (with or without a byte-order mark), UTF-16 with a mark, else Windows-1252 (what Excel on
    Windows writes: it has € and curly quotes where Latin-1 has control codes), else Latin-1."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _one_kind_of_newline(raw.decode("utf-16")), []
    try:
        return _one_kind_of_newline(raw.decode("utf-8-sig")), []
    except UnicodeDecodeError:
        pass
    try:
        text, encoding = raw.decode("cp1252"), tr("Windows-1252 (Western European, as Excel on Windows saves it)")
    except UnicodeDecodeError:  # five byte values Windows-1252 leaves undefined
        text, encoding = raw.decode("latin-1"), tr("Latin-1 (Western European)")
    note = Message(
        "encoding",
        tr(
            "The file is not UTF-8 text; it was read as {encoding}. If accented letters or signs such as € look "
            "wrong in the preview, save it as 'CSV UTF-8' and upload it again."
        ).format(encoding=encoding),
    )
    return _one_kind_of_newline(text), [note]


def _one_kind_of_newline(text: str) -> str:
    """Windows (\\r\\n) and old Mac (\\r) line ends made \\n, so the csv module sees one kind."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _not_a_table(text: str) -> Message | None:
    start = text.lstrip()[:200].lower()
    if start.startswith(("<!doctype html", "<html")):
        return Message("not_csv", tr("This is a web page (HTML), not a CSV table. Download the data itself as CSV."))
    if start.startswith(("{", "[")):
        return Message(
            "not_csv",
            tr(
                "This looks like JSON, not a CSV table. Convert it to a table with one row per "
                "example and one column per value, saved as CSV."
            ),
        )
    return None


def _preview(text: str, data_rows: int) -> tuple[tuple[str, ...], int]:
    """The first lines as in the file (a 'sep=' line, the header, then up to PREVIEW_LINES data lines), and how
    many data rows they show."""
    lines = [line for line in text.split("\n") if line.strip()]
    shown = min(PREVIEW_LINES, data_rows)
    lines = lines[: shown + 1 + bool(_SEP_LINE.fullmatch(lines[0].strip()))]
    cut = [line if len(line) <= PREVIEW_CHARACTERS else line[:PREVIEW_CHARACTERS] + " …" for line in lines]
    return tuple(cut), shown


# ---- lines and cells ----


def _split_lines(text: str) -> tuple[list[tuple[int, list[str]]], str, Message | None]:
    """(line number, cells) of every non-blank line, the separator, and a problem in words if the csv module
    could not read the file. A first line 'sep=;' (Excel writes it) names the separator and is not a row."""
    first, _, rest = text.partition("\n")
    forced = _SEP_LINE.fullmatch(first.strip())
    body, skipped = (rest, 1) if forced else (text, 0)
    delimiter = forced.group(1) if forced else _delimiter(body)
    lines = []
    reader = csv.reader(io.StringIO(body), delimiter=delimiter)
    try:
        ended = 0  # the line the last record ended on: a record (a quoted value may hold line breaks) starts after it
        for cells in reader:
            if any(cell.strip() for cell in cells):
                lines.append((ended + 1 + skipped, cells))
            ended = reader.line_num
            if len(lines) > MAX_ROWS + 1:
                break
    except csv.Error as error:  # the row that failed starts after the last one read
        return lines, delimiter, _csv_problem(error, (lines[-1][0] if lines else skipped) + 1)
    return lines, delimiter, None


def _delimiter(text: str) -> str:
    """The separator of the header line: comma, semicolon (common in European exports) or tab."""
    header = next((line for line in text.split("\n") if line.strip()), "")
    counts = {delimiter: header.count(delimiter) for delimiter in DELIMITERS}
    return max(counts, key=counts.get) if max(counts.values()) else ","


def _csv_problem(error: csv.Error, line: int) -> Message:
    """The csv module's complaint in words a shop owner understands."""
    if "field larger than field limit" in str(error):
        return Message(
            "unclosed_quote",
            tr(
                'From line {line} on, the file reads as one enormous cell: probably a quote mark (") opens a value '
                "there and is never closed. Check that line in a text editor, or save the file again from your "
                "spreadsheet program."
            ).format(line=line),
        )
    return Message(
        "unreadable",
        tr(
            "The file could not be read as a table at line {line}. Save it again from your spreadsheet program as "
            "CSV and upload that file."
        ).format(line=line),
    )


def _shape_problem(lines) -> Message | None:
    if not lines:
        return Message("empty", tr("The file is empty: it has no text at all."))
    header = _trim_trailing_empty(lines[0][1])
    data = lines[1:]
    checks = (
        _single_column(header),
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


def _single_column(header) -> Message | None:
    if len(header) > 1:
        return None
    return Message(
        "single_column",
        tr(
            "Only one column was found, so this does not look like a CSV table. A CSV has "
            "one line per example with values separated by commas, semicolons or tabs, "
            "and a first line with the column names."
        ),
    )


def _header_only(data) -> Message | None:
    if data:
        return None
    return Message("header_only", tr("The file has a line of column names but no data rows below it."))


def _too_many_rows(data) -> Message | None:
    if len(data) <= MAX_ROWS:
        return None
    return Message(
        "too_many_rows",
        tr(
            "The file has more than {limit} data rows; this machine trains on at most {limit}. Upload a sample of "
            "your rows."
        ).format(limit=number(MAX_ROWS)),
    )


def _too_many_columns(header) -> Message | None:
    if len(header) <= MAX_COLUMNS:
        return None
    return Message(
        "too_many_columns",
        tr(
            "The file has {count} columns; this machine handles at most {limit}. Keep the columns that matter and "
            "upload again."
        ).format(count=len(header), limit=MAX_COLUMNS),
    )


def _duplicate_names(header) -> Message | None:
    names = [_clean_text(name) for name in header]
    repeated = sorted({name for name in names if names.count(name) > 1})
    if not repeated:
        return None
    described = "; ".join(
        tr("'{name}' (columns {positions})").format(
            name=literal(name), positions=", ".join(str(i + 1) for i, n in enumerate(names) if n == name)
        )
        for name in repeated[:3]
    )
    return Message(
        "duplicate_columns",
        tr(
            "Some column names appear more than once: {described}. Give every column "
            "its own name, so it is clear which one is which."
        ).format(described=described),
    )


def _unclosed_quote(header, data) -> Message | None:
    """A quote opened and never closed makes the rest of the file one value: say where it opens."""
    for line, cells in data:
        if len(cells) < len(header) and any("\n" in cell for cell in cells):
            end = line + sum(cell.rstrip("\n").count("\n") for cell in cells)
            return Message(
                "unclosed_quote",
                tr(
                    'Line {line} opens a quote (") that is not closed, so everything up to line {end} was read as one '
                    "value. Close the quote, or remove it, and upload again."
                ).format(line=line, end=end),
            )
    return None


def _ragged_rows(header, data) -> Message | None:
    quote = _unclosed_quote(header, data)
    if quote is not None:
        return quote
    wrong = [
        (number, len(cells))
        for number, cells in data
        if len(_trim_trailing_empty(cells)) > len(header) or len(cells) < len(header)
    ]
    if not wrong:
        return None
    examples = ", ".join(tr("line {line} has {count}").format(line=line, count=count) for line, count in wrong[:3])
    if len(wrong) > 3:
        text = tr(
            "Not every line has the same number of values: the header has {columns} columns but {examples} "
            "({lines} lines in all). Often a value contains the separator (put it in quotes) or a cell is missing."
        )
    else:
        text = tr(
            "Not every line has the same number of values: the header has {columns} columns but {examples}. Often "
            "a value contains the separator (put it in quotes) or a cell is missing."
        )
    return Message("ragged_rows", text.format(columns=len(header), examples=examples, lines=len(wrong)))


def _clean_text(cell: str) -> str:
    """One way to write the same text: Unicode composed (NFC), no outer spaces, single inner spaces."""
    return " ".join(unicodedata.normalize("NFC", cell).split())


# ---- numbers ----


_CURRENCY_SIGN = r"(?:€|\$|£|¥|EUR|USD|GBP)"
_NUMBER_CELL = (  # sign, currency and percent around the digits, in the orders spreadsheets write them
    rf"(?P<sign>[+-]?)\s*(?P<before>{_CURRENCY_SIGN}?)\s*(?P<inner_sign>[+-]?)\s*(?P<digits>.*?)"
    rf"\s*(?P<after>{_CURRENCY_SIGN}?)\s*(?P<percent>%?)"
)


def _without_signs(cells: pd.Series) -> pd.DataFrame:
    """Columns `number` (the cell without currency sign, percent sign and spaces between thousands), `currency`
    and `percent` (whether it had them), for a Series of present (non-missing) cells."""
    if _PLAIN_COLUMN.fullmatch("\n".join(cells)):  # most columns: nothing to remove, and regexes per cell are slow
        return pd.DataFrame({"number": cells, "currency": False, "percent": False}, index=cells.index)
    found = cells.str.replace("\u2212", "-", regex=False).str.extract(f"^{_NUMBER_CELL}$", flags=re.IGNORECASE)
    digits = found["digits"].fillna("")
    spaced = digits.str.fullmatch(_SPACED_THOUSANDS.pattern)
    digits = digits.where(~spaced, digits.str.replace(r"[ \u00a0\u202f]", "", regex=True))
    sign = found["sign"].fillna("").str.cat(found["inner_sign"].fillna(""))
    return pd.DataFrame(
        {
            "number": sign.str.cat(digits),
            "currency": (found["before"].fillna("") + found["after"].fillna("")) != "",
            "percent": found["percent"].fillna("") == "%",
        },
        index=cells.index,
    )


def parse_numbers(cells: pd.Series, style: str) -> pd.Series:
    """The value of each cleaned cell written in `style`; NaN where a cell is not a number written that way."""
    decimal, thousands, _ = NUMBER_STYLES[style]
    written = cells.str.fullmatch(_PATTERNS[style].pattern).fillna(False)
    plain = cells.where(written).str.replace(thousands, "", regex=False).str.replace(decimal, ".", regex=False)
    return pd.to_numeric(plain, errors="coerce").astype(float)


def parse_number(cell: str, style: str) -> float | None:
    """One cleaned cell's value in `style`, or None."""
    value = parse_numbers(pd.Series([cell], dtype=object), style).iloc[0]
    return None if np.isnan(value) else float(value)


@dataclass
class _Evidence:
    """Cells that can only be read one way, per style, and columns with cells that read differently per style."""

    decides: dict  # style -> (column, cell, line) of the first cell only that style can read
    counts: dict  # style -> how many cells only that style can read
    ambiguous: dict  # column -> first (cell, line) whose value depends on the style


def _gather_evidence(readings: dict[str, dict[str, pd.Series]], cells: dict[str, pd.Series], line_numbers):
    """From each column's values under both styles (`readings[column][style]`) and its cleaned cells."""
    evidence = _Evidence({}, dict.fromkeys(NUMBER_STYLES, 0), {})
    for name, by_style in readings.items():
        point, comma = by_style["point"].notna(), by_style["comma"].notna()
        for style, only in (("point", point & ~comma), ("comma", comma & ~point)):
            evidence.counts[style] += int(only.sum())
            if only.any() and style not in evidence.decides:
                first = int(np.argmax(only.to_numpy()))
                evidence.decides[style] = (name, cells[name].iloc[first], line_numbers[first])
        differ = (point & comma & (by_style["point"] != by_style["comma"])).to_numpy()
        if differ.any():
            first = int(np.argmax(differ))
            evidence.ambiguous[name] = (cells[name].iloc[first], line_numbers[first])
    return evidence


def _decide_style(evidence: _Evidence, delimiter: str, chosen: str | None) -> NumberStyle:
    ambiguous = tuple(evidence.ambiguous)
    if chosen in NUMBER_STYLES:
        return NumberStyle(chosen, tr("You chose how this file writes its numbers."), ambiguous)
    seen = [style for style in NUMBER_STYLES if evidence.counts[style]]
    if seen:
        style = max(seen, key=lambda s: evidence.counts[s])
        column, cell, line = evidence.decides[style]
        found = {"style": tr(NUMBER_STYLES[style][2]), "cell": literal(cell), "column": literal(column), "line": line}
        if len(seen) == 1:
            because = tr(
                "Numbers are read as {style}: '{cell}' in column '{column}' (line {line}) can only be read that way."
            )
            return NumberStyle(style, because.format(**found), ambiguous)
        other = next(s for s in seen if s != style)
        o_column, o_cell, o_line = evidence.decides[other]
        because = tr(
            "Numbers are read as {style}: '{cell}' in column '{column}' (line {line}) can only be read that way, "
            "as can {count} cells in all; but {other_count} cells, such as '{other_cell}' in '{other_column}' "
            "(line {other_line}), are written the other way and are treated as missing."
        ).format(
            **found,
            count=evidence.counts[style],
            other_count=evidence.counts[other],
            other_cell=literal(o_cell),
            other_column=literal(o_column),
            other_line=o_line,
        )
        return NumberStyle(style, because, ambiguous)
    style = "comma" if delimiter == ";" else "point"
    why = tr(
        "Nothing in the file tells which way its numbers are written; as it is separated by {separators}, they are "
        "read as {style}."
    ).format(separators=tr(DELIMITER_NAMES[delimiter]), style=tr(NUMBER_STYLES[style][2]))
    return NumberStyle(style, why, ambiguous, decided_by_file=False)


def _style_notes(style: NumberStyle, evidence: _Evidence, numeric: set[str]) -> list[Message]:
    ambiguous = [name for name in style.ambiguous_columns if name in numeric]
    if not ambiguous:
        return [Message("number_style", style.evidence)] if any(evidence.counts.values()) else []
    name = ambiguous[0]
    cell, line = evidence.ambiguous[name]
    values = {key: _plain(parse_number(cell, key)) for key in NUMBER_STYLES}
    columns = ", ".join(f"'{literal(column)}'" for column in ambiguous[:5])
    kind = "number_style" if style.decided_by_file else "ambiguous_numbers"
    return [
        Message(
            kind,
            tr(
                "{evidence} This matters for {columns}: '{cell}' (line {line}) is {this_way} read this way, "
                "{other_way} the other way. Check the preview, and change how numbers are read below if it is wrong."
            ).format(
                evidence=style.evidence,
                columns=columns,
                cell=literal(cell),
                line=line,
                this_way=values[style.style],
                other_way=values[_other(style.style)],
            ),
        )
    ]


def _plain(value: float, digits: int = 10) -> str:
    """A number as Python writes it (1250, 1.25, 1e+39), with the decimal mark of the learner's language (1,25 in
    Dutch) and no thousands separators to confuse: one way for every reader of that language."""
    return formatted(value, f".{digits}g")


def _other(style: str) -> str:
    return next(key for key in NUMBER_STYLES if key != style)


# ---- typed columns ----


def _typed_table(filename, lines, delimiter, chosen_style, notes, preview) -> ReadResult:
    header = _trim_trailing_empty(lines[0][1])
    names = [_clean_text(name) or tr("column {number}").format(number=index + 1) for index, name in enumerate(header)]
    line_numbers = [number for number, _ in lines[1:]]
    raw = {
        name: pd.Series([_clean_text(cells[i]) for _, cells in lines[1:]], dtype=object) for i, name in enumerate(names)
    }
    missing = {name: cells.str.lower().isin(MISSING_TOKENS) for name, cells in raw.items()}
    cleaned = {name: _without_signs(raw[name].where(~missing[name], "")) for name in names}
    readings = {
        name: {style: parse_numbers(cleaned[name]["number"], style) for style in NUMBER_STYLES} for name in names
    }
    numbers = {name: cleaned[name]["number"] for name in names}
    evidence = _gather_evidence(readings, numbers, line_numbers)
    style = _decide_style(evidence, delimiter, chosen_style)
    columns, numeric, text = {}, [], []
    for name in names:
        column = _Column(name, raw[name], missing[name], cleaned[name], readings[name][style.style])
        values, kind, note = _typed_column(column, line_numbers)
        notes.extend(note)
        if kind == "empty":
            continue
        columns[name] = values
        (numeric if kind == "numeric" else text).append(name)
    problem = _too_large(columns, numeric, line_numbers)
    if problem:
        return ReadResult(None, (problem,))
    notes = _style_notes(style, evidence, set(numeric)) + notes
    frame = pd.DataFrame(columns)
    return ReadResult(Table(filename, frame, tuple(numeric), tuple(text), tuple(notes), style, delimiter, *preview))


@dataclass(frozen=True)
class _Column:
    """One column's cells as written, which are missing, their cleaned forms and their values in the file's style."""

    name: str
    raw: pd.Series
    missing: pd.Series
    cleaned: pd.DataFrame
    values: pd.Series


def _typed_column(column: _Column, line_numbers) -> tuple[pd.Series | None, str, list[Message]]:
    """(values, "numeric" | "text" | "empty", notes) for one column."""
    present = int((~column.missing).sum())
    if present == 0:
        return (
            None,
            "empty",
            [
                Message(
                    "empty_column",
                    tr("Column '{name}' has no values and is ignored.").format(name=literal(column.name)),
                )
            ],
        )
    bad = (column.values.isna() & ~column.missing).to_numpy()
    if present - bad.sum() >= MOSTLY_NUMERIC * present:
        return column.values.where(~column.missing), "numeric", _number_notes(column, bad, line_numbers)
    return column.raw.where(~column.missing, None), "text", []


def _number_notes(column: _Column, bad: np.ndarray, line_numbers) -> list[Message]:
    notes, name = [], literal(column.name)
    removed = {
        "currency": tr_later(
            "Currency signs were removed from column '{name}': '{cell}' (line {line}) is read as {value}."
        ),
        "percent": tr_later(
            "Percent signs were removed from column '{name}': '{cell}' (line {line}) is read as {value}."
        ),
    }
    for flag, text in removed.items():
        marked = (column.cleaned[flag] & column.values.notna()).to_numpy()
        if marked.any():
            first = int(np.argmax(marked))
            cell, value = literal(column.raw.iloc[first]), _plain(column.values.iloc[first])
            notes.append(Message(flag, tr(text).format(name=name, cell=cell, line=line_numbers[first], value=value)))
    if bad.any():
        first = int(np.argmax(bad))
        notes.append(
            Message(
                "mostly_numeric",
                tr(
                    "Column '{name}' holds numbers except {count} cell(s), such as '{cell}' on line {line}; those "
                    "cells are treated as missing values."
                ).format(
                    name=name, count=int(bad.sum()), cell=literal(column.raw.iloc[first]), line=line_numbers[first]
                ),
            )
        )
    return notes


def _too_large(columns: dict, numeric: list[str], line_numbers) -> Message | None:
    for name in numeric:
        values = columns[name].to_numpy()
        beyond = np.flatnonzero(np.abs(np.nan_to_num(values)) > LARGEST_VALUE)
        if len(beyond):
            return Message(
                "too_large_values",
                tr(
                    "Column '{name}' holds a number too large for the model: {value} on line {line}. The model "
                    "computes with numbers up to about 3.4 × 10^38. Check that column (is it a code or a typing "
                    "error?), remove it or correct it, and upload the file again."
                ).format(name=literal(name), value=_plain(values[beyond[0]], 3), line=line_numbers[beyond[0]]),
            )
    return None
