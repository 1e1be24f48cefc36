"""Write `digits.npz`: scikit-learn's 8x8 handwritten digits, in the package's file order, with the lab's fixed
held-out split, so that opening the lab reads one small file instead of importing scikit-learn (about 2 CPU-seconds
of a fresh server's first minute).

    python sample_data/make_digits.py

pixels (1797, 64) uint8 0..16 and target (1797,) uint8, as `sklearn.datasets.load_digits` gives them; train_rows and
test_rows: the rows of core.engine.data's stratified split (share HELD_OUT_SHARE, seed SPLIT_SEED), in its order.
tests/test_data.py checks the file against scikit-learn.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
from sklearn.datasets import load_digits

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from core.engine.data import DIGITS_FILE, HELD_OUT_SHARE, SPLIT_SEED, split_stratified  # noqa: E402


def main() -> None:
    digits = load_digits()
    rows = np.arange(len(digits.target))
    train_rows, test_rows, _, _ = split_stratified(rows, digits.target, HELD_OUT_SHARE, SPLIT_SEED)
    np.savez_compressed(
        DIGITS_FILE,
        pixels=digits.data.astype(np.uint8),
        target=digits.target.astype(np.uint8),
        train_rows=train_rows.astype(np.int16),
        test_rows=test_rows.astype(np.int16),
    )
    print(f"wrote {DIGITS_FILE.name}: {DIGITS_FILE.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
