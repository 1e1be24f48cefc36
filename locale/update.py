"""Keep the message catalogues up to date with the code.

    python locale/update.py            extract every text wrapped in tr(), trn() or tr_later() from app.py, pages/,
                                       ui/ and core/ into locale/trainlab.pot, and bring each language's
                                       LC_MESSAGES/trainlab.po up to date with it (translations kept, new texts
                                       added untranslated, texts no longer in the code dropped); prints what is
                                       still untranslated
    python locale/update.py --add F    take the translations in the .po file F into the Dutch catalogue (for
                                       translating in parts), then update as above

A translator edits locale/nl/LC_MESSAGES/trainlab.po (any .po editor, or a text editor) and needs no code.
tests/test_i18n.py fails while a text in the code has no translation.
"""

from __future__ import annotations

import fcntl
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
FOLDER = ROOT / "locale"
TEMPLATE = FOLDER / "trainlab.pot"
LANGUAGES = ("nl",)
SOURCES = ("app.py", "pages", "ui", "core")
KEYWORDS = {"tr": None, "trn": (1, 2), "tr_later": None}


def source_files() -> list[Path]:
    files = []
    for source in SOURCES:
        path = ROOT / source
        files += [path] if path.is_file() else sorted(path.rglob("*.py"))
    return files


def extract() -> Catalog:
    """Every wrapped text of the code, with where it occurs."""
    template = Catalog(project="Trainlab", charset="utf-8")
    for path in source_files():
        relative = path.relative_to(ROOT).as_posix()
        for line, message, comments, context in extract_from_file(
            "python", path, keywords=KEYWORDS, comment_tags=("Translators:",)
        ):
            template.add(message, locations=[(relative, line)], auto_comments=comments, context=context)
    return template


def catalogue_path(code: str) -> Path:
    return FOLDER / code / "LC_MESSAGES" / "trainlab.po"


def read(path: Path, code: str) -> Catalog:
    with path.open("rb") as file:
        return read_po(file, locale=code)


def write(path: Path, catalogue: Catalog) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".po.partial")
    with partial.open("wb") as file:
        write_po(file, catalogue, width=120, omit_header=False, sort_output=False, ignore_obsolete=True)
    partial.replace(path)


def update(template: Catalog, code: str, additions: list[Path]) -> list[str]:
    """Bring one language's catalogue up to the template, taking the translations in `additions` first; returns the
    texts still untranslated."""
    path = catalogue_path(code)
    catalogue = read(path, code) if path.exists() else Catalog(locale=code, project="Trainlab", charset="utf-8")
    for addition in additions:
        for message in read(addition, code):
            if message.id and message.string:
                kept = catalogue.get(message.id)  # assigning to a known text would keep its old translation
                if kept is None:
                    catalogue[message.id] = message
                else:
                    kept.string, kept.flags = message.string, kept.flags - {"fuzzy"}
    catalogue.update(template, no_fuzzy_matching=True)
    write(path, catalogue)
    return [message.id for message in catalogue if message.id and (not message.string or message.fuzzy)]


def main(arguments: list[str]) -> int:
    added = arguments[arguments.index("--add") + 1 :] if "--add" in arguments else []
    additions = [Path(argument) for argument in added]
    with (FOLDER / ".update.lock").open("w") as lock:  # several translators' runs at once take turns
        fcntl.flock(lock, fcntl.LOCK_EX)
        template = extract()
        with TEMPLATE.open("wb") as file:
            write_po(file, template, width=120, sort_output=False)
        for code in LANGUAGES:
            missing = update(template, code, additions)
            print(f"{code}: {len(template)} texts, {len(missing)} untranslated")
            for message in missing[:20]:
                print(f"  {message if isinstance(message, str) else message[0]!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
