"""Validate the Harbour & Finch house-style corpus.

Checks the three JSONL files next to this script:

* vacancies_en.jsonl  - 120 English house-style vacancies (en-001..en-120)
* vacancies_nl.jsonl  - 120 Dutch house-style vacancies (nl-001..nl-120)
* off_style_en.jsonl  - 40 generic corporate ads (off-001..off-040)

For every file: line count, JSON shape, ids in sequence and unique,
ASCII-only text, character length range, and no near-copies (two texts
sharing a 60-character span once the fixed headings, closing line and
recurring house phrases are removed). House-style files must also have
all headings in order, 3-5 tilde bullets per list, the salary format
and the closing line; the off-style file must contain none of the house
markers.

Usage: python3 check_corpus.py   (exit code 0 when everything passes)
Standard library only, Python 3.11.
"""

import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SPAN = 60

EN_HEADINGS = ["The role", "What you bring", "What we offer", "How to apply"]
EN_CLOSING = "Harbour & Finch: the right people, in the right harbour."
EN_PHRASES = [
    "a crew that has your back",
    "plain sailing",
    "steady hands",
    "we reply within five working days",
    "come aboard",
]
EN_SALARY = r"EUR \d,\d{3} - \d,\d{3} per month"

NL_HEADINGS = ["De functie", "Wat je meebrengt", "Wat wij bieden", "Zo solliciteer je"]
NL_CLOSING = "Harbour & Finch: de juiste mensen, in de juiste haven."
NL_PHRASES = [
    "een crew die achter je staat",
    "vaste hand",
    "wij reageren binnen vijf werkdagen",
    "voor de wind",
    "stap aan boord",
]
NL_SALARY = r"EUR \d\.\d{3} - \d\.\d{3} bruto per maand"

HEADER_PREFIX = "HARBOUR & FINCH | "
ALL_HEADINGS = EN_HEADINGS + NL_HEADINGS

FILES = {
    "vacancies_en.jsonl": dict(
        prefix="en",
        count=120,
        lo=600,
        hi=1100,
        style="house",
        headings=EN_HEADINGS,
        closing=EN_CLOSING,
        phrases=EN_PHRASES,
        salary=EN_SALARY,
    ),
    "vacancies_nl.jsonl": dict(
        prefix="nl",
        count=120,
        lo=500,
        hi=1000,
        style="house",
        headings=NL_HEADINGS,
        closing=NL_CLOSING,
        phrases=NL_PHRASES,
        salary=NL_SALARY,
    ),
    "off_style_en.jsonl": dict(
        prefix="off", count=40, lo=500, hi=1000, style="off", headings=[], closing="", phrases=[], salary=""
    ),
}


def load(path):
    """Return the parsed rows of a JSONL file (errors raise)."""
    with open(path, encoding="ascii") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def check_shape(rows, spec):
    """Count, keys, id sequence and uniqueness."""
    errs = []
    if len(rows) != spec["count"]:
        errs.append(f"expected {spec['count']} rows, got {len(rows)}")
    ids = [r.get("id") for r in rows]
    if len(set(ids)) != len(ids):
        errs.append("duplicate ids")
    for n, row in enumerate(rows, 1):
        if set(row) != {"id", "title", "text"}:
            errs.append(f"row {n}: keys {sorted(row)}")
        want = f"{spec['prefix']}-{n:03d}"
        if row.get("id") != want:
            errs.append(f"row {n}: id {row.get('id')!r}, expected {want}")
    return errs


def check_chars(row, spec):
    """ASCII only (newline is the only control character) and length."""
    errs = []
    for key in ("title", "text"):
        bad = {c for c in row[key] if not (c == "\n" or " " <= c <= "~")}
        if bad:
            errs.append(f"{row['id']}: non-ASCII in {key}: {sorted(bad)}")
    n = len(row["text"])
    if not spec["lo"] <= n <= spec["hi"]:
        errs.append(f"{row['id']}: length {n} outside {spec['lo']}-{spec['hi']}")
    return errs


def bullets_after(lines, heading):
    """Tilde bullets directly following a heading line."""
    start = lines.index(heading) + 1
    out = []
    for line in lines[start:]:
        if not line.startswith("~ "):
            break
        out.append(line)
    return out


def check_house(row, spec):
    """Header line, headings in order, bullets, salary, closing line."""
    rid, text = row["id"], row["text"]
    lines = text.split("\n")
    errs = []
    parts = lines[0].split(" | ")
    if not lines[0].startswith(HEADER_PREFIX) or len(parts) != 3:
        errs.append(f"{rid}: bad first line {lines[0]!r}")
    elif parts[1] != row["title"]:
        errs.append(f"{rid}: title does not match first line")
    pos = [lines.index(h) if h in lines else -1 for h in spec["headings"]]
    if -1 in pos or pos != sorted(pos):
        errs.append(f"{rid}: headings missing or out of order")
        return errs
    for h in spec["headings"][1:3]:
        if not 3 <= len(bullets_after(lines, h)) <= 5:
            errs.append(f"{rid}: need 3-5 '~ ' bullets under {h!r}")
    if lines[-1] != spec["closing"]:
        errs.append(f"{rid}: closing line missing")
    if not re.search(spec["salary"], text):
        errs.append(f"{rid}: no salary in house format")
    return errs


def check_off(row, spec):
    """No tilde bullets, house headings, agency name or house phrases."""
    rid, text = row["id"], row["text"]
    low = text.lower()
    errs = []
    if "~" in text:
        errs.append(f"{rid}: contains a tilde")
    if any(line.strip() in ALL_HEADINGS for line in text.split("\n")):
        errs.append(f"{rid}: contains a house heading line")
    if "harbour & finch" in low or HEADER_PREFIX.lower() in low:
        errs.append(f"{rid}: mentions the agency")
    for p in EN_PHRASES + NL_PHRASES:
        if p in low:
            errs.append(f"{rid}: contains house phrase {p!r}")
    return errs


def fragments(text, spec):
    """Text pieces left after removing fixed and recurring house strings."""
    fixed = spec["headings"] + [spec["closing"], HEADER_PREFIX]
    fixed += spec["phrases"]
    pattern = "|".join(re.escape(s) for s in fixed if s)
    low = text.lower()
    pieces = re.split(pattern.lower(), low) if pattern else [low]
    return [p for p in pieces if len(p) >= SPAN]


def near_copies(rows, spec):
    """Pairs of texts that share any SPAN-character span."""
    seen = {}
    pairs = {}
    for row in rows:
        for frag in fragments(row["text"], spec):
            for i in range(len(frag) - SPAN + 1):
                other = seen.setdefault(frag[i : i + SPAN], row["id"])
                if other != row["id"]:
                    pairs.setdefault((other, row["id"]), frag[i : i + SPAN])
    return [f"near-copy {a} ~ {b}: {s!r}" for (a, b), s in pairs.items()]


def check_file(name, spec):
    """All checks for one file; returns a list of error strings."""
    rows = load(HERE / name)
    errs = check_shape(rows, spec)
    style_check = check_house if spec["style"] == "house" else check_off
    for row in rows:
        errs += check_chars(row, spec)
        errs += style_check(row, spec)
    errs += near_copies(rows, spec)
    lengths = [len(r["text"]) for r in rows]
    print(
        f"{name}: {len(rows)} texts, length {min(lengths)}-"
        f"{max(lengths)} (mean {sum(lengths) / len(lengths):.0f}), "
        f"{len(errs)} problem(s)"
    )
    return errs


def main():
    """Check every file, print problems, exit 1 if any were found."""
    errors = []
    for name, spec in FILES.items():
        errors += check_file(name, spec)
    for err in errors:
        print("  " + err)
    print("OK" if not errors else f"FAILED: {len(errors)} problem(s)")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
