"""Validate the texts written for the general pretraining corpus (the *.jsonl files next to this script).

The generic model must learn what English, and job adverts in general, look like, without ever seeing
the Harbour & Finch house style that the lesson fine-tunes it on. So every text here must be free of
the house markers, and no text may share a long span with another text or with the house-style files.

Checks per file: one JSON object per line with "id", "kind" and "text"; ids "<prefix>-NNN" unique and
in sequence; ASCII-only text of 300 to 1,800 characters; no house markers (the agency's name, '~ '
bullets, its headings as lines, its recurring phrases, its reference codes and salary format, the
'|' character); no 60-character span shared with any other text here or in ../../house_style/.

The texts in more/ (more everyday English, for a second phase of pretraining) are checked the same way.

Usage: python3 check_written.py [FILE ...]   (exit code 0 when everything passes; standard library only)
With FILEs, only their texts are reported, still compared with every other text here.
"""

import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
HOUSE_DIR = HERE.parents[1] / "house_style"
SPAN = 60
MIN_CHARS, MAX_CHARS = 300, 1800
BANNED_HEADINGS = {
    "The role",
    "What you bring",
    "What we offer",
    "How to apply",
    "De functie",
    "Wat je meebrengt",
    "Wat wij bieden",
    "Zo solliciteer je",
}
BANNED_PHRASES = (
    "finch",
    "has your back",
    "plain sailing",
    "steady hands",
    "come aboard",
    "five working days",
    "right harbour",
    "the right people",
    "|",
)
BANNED_PATTERNS = (re.compile(r"^~", re.M), re.compile(r"\bHF-[A-Z]"), re.compile(r"EUR \d,\d{3} - \d,\d{3} per month"))


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def written_files() -> list[Path]:
    return sorted(HERE.glob("*.jsonl")) + sorted((HERE / "more").glob("*.jsonl"))


def problems_of_text(row: dict) -> list[str]:
    text = row.get("text", "")
    found = []
    if set(row) != {"id", "kind", "text"}:
        found.append(f"keys must be id, kind, text (got {sorted(row)})")
    if not text.isascii():
        found.append("non-ASCII characters: " + "".join(sorted({c for c in text if not c.isascii()})))
    if not MIN_CHARS <= len(text) <= MAX_CHARS:
        found.append(f"{len(text)} characters (allowed {MIN_CHARS}-{MAX_CHARS})")
    lowered = text.lower()
    found += [f"contains house phrase {p!r}" for p in BANNED_PHRASES if p in lowered]
    found += [f"has house heading line {h!r}" for h in BANNED_HEADINGS if h in text.split("\n")]
    found += [f"matches house pattern {p.pattern!r}" for p in BANNED_PATTERNS if p.search(text)]
    return found


def spans(text: str) -> set[str]:
    squeezed = " ".join(text.split()).lower()
    return {squeezed[i : i + SPAN] for i in range(0, max(len(squeezed) - SPAN + 1, 0))}


def main() -> int:
    failures = 0
    house_spans = set()
    for path in sorted(HOUSE_DIR.glob("*.jsonl")):
        for row in read_jsonl(path):
            house_spans |= spans(row["text"])
    seen: dict[str, str] = {}  # span -> id of the first text that has it
    chosen = {Path(name).resolve() for name in sys.argv[1:]}
    for path in written_files():
        report = not chosen or path in chosen
        rows = read_jsonl(path)
        prefix = rows[0]["id"].rsplit("-", 1)[0] if rows else ""
        for number, row in enumerate(rows, start=1):
            problems = problems_of_text(row)
            if row.get("id") != f"{prefix}-{number:03d}":
                problems.append(f"id should be {prefix}-{number:03d}")
            text_spans = spans(row.get("text", ""))
            if text_spans & house_spans:
                problems.append("shares a 60-character span with a house-style text")
            copies = {seen[s] for s in text_spans if s in seen}
            if copies:
                problems.append(f"shares a 60-character span with {', '.join(sorted(copies))}")
            for s in text_spans:
                seen.setdefault(s, row.get("id", "?"))
            if report:
                for problem in problems:
                    print(f"{path.name} line {number} ({row.get('id')}): {problem}")
                failures += bool(problems)
        if report:
            characters = sum(len(r.get("text", "")) for r in rows)
            print(f"{path.name}: {len(rows)} texts, {characters:,} characters")
    print("OK" if failures == 0 else f"{failures} texts with problems")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
