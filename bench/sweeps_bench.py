"""Eight seeds at once against one run: what "Is it luck?" costs (core.engine.sweeps).

In one process with the CPU split into two devices, alternating each round: one lab run; the same settings over 8
seeds vmapped on one device; and over 8 seeds split across both devices. Reports median warm seconds and each as a
multiple of the single run (goal: 8 seeds within about 4.5x). A fresh process with a single device times the single
run again, to show that splitting the CPU does not slow one run down.

    python -m bench.sweeps_bench --rounds 5 --epochs 200
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time

import jax

from core.engine import jax_setup
from core.engine.classifier import LabConfig, run_lab
from core.engine.sweeps import SEEDS_PER_BAND, seed_band, train_to_end


def _seconds(work) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def contenders(config: LabConfig) -> dict:
    one_device = jax.devices()[:1]
    return {
        "one_run": lambda: run_lab(config),
        "8_seeds_one_device": lambda: train_to_end(seed_band(config, SEEDS_PER_BAND, one_device)),
        "8_seeds_two_devices": lambda: train_to_end(seed_band(config, SEEDS_PER_BAND)),
    }


def single_run_on_one_device(config: LabConfig, rounds: int) -> float:
    """Median warm seconds of one run in a fresh process that leaves the CPU as a single device."""
    code = (
        "from bench.sweeps_bench import single_run_median; from core.engine.classifier import LabConfig; "
        f"print(single_run_median(LabConfig(epochs={config.epochs}), {rounds}))"
    )
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    return float(output.strip().splitlines()[-1])


def single_run_median(config: LabConfig, rounds: int) -> float:
    jax_setup.enable_compilation_cache()
    run_lab(config)
    return statistics.median(_seconds(lambda: run_lab(config)) for _ in range(rounds))


def run(config: LabConfig, rounds: int) -> dict:
    """Median warm seconds of each contender, alternating them every round, and ratios to the single run."""
    timings = {name: [] for name in contenders(config)}
    for _ in range(rounds + 1):  # the first round compiles
        for name, work in contenders(config).items():
            timings[name].append(_seconds(work))
    medians = {name: statistics.median(times[1:]) for name, times in timings.items()}
    return {
        "devices": len(jax.devices()),
        "epochs": config.epochs,
        "median_warm_seconds": {name: round(seconds, 3) for name, seconds in medians.items()},
        "ratio_to_one_run": {name: round(seconds / medians["one_run"], 2) for name, seconds in medians.items()},
        "one_run_with_a_single_device_seconds": round(single_run_on_one_device(config, rounds), 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.sweeps_bench", description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--epochs", type=int, default=200)
    args = parser.parse_args()
    print(json.dumps(run(LabConfig(epochs=args.epochs), args.rounds), indent=2))


if __name__ == "__main__":
    jax_setup.enable_compilation_cache()
    jax_setup.split_host_into_devices()
    main()
