"""`python -m bench`: time the lab run against its peers and write bench/results.json.

Options: --rounds N (warm rounds per implementation, default 5), --epochs N (default 200),
--skip-lm (leave out the language-model and knowledge-lesson figures), --skip-browser (leave out the live view in
Chromium), --output PATH.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
from pathlib import Path

from bench import lab_bench, sweeps_bench
from core.engine import jax_setup
from core.engine.classifier import LabConfig
from tests.browser_support import CHROMIUM

RESULTS = Path(__file__).with_name("results.json")


def parse_args():
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--epochs", type=int, default=200)
    parser.add_argument("--skip-lm", action="store_true")
    parser.add_argument("--skip-browser", action="store_true")
    parser.add_argument("--output", type=Path, default=RESULTS)
    return parser.parse_args()


def print_table(comparison: dict) -> None:
    print(f"{'implementation':<16}{'first call s':>14}{'median warm s':>15}{'x JAX':>8}{'held-out acc':>14}")
    for name, row in comparison.items():
        print(
            f"{name:<16}{row['first_call_seconds']:>14.3f}{row['median_warm_seconds']:>15.3f}"
            f"{row['ratio_to_jax_engine']:>8.2f}{row['final_held_out_accuracy']:>14.3f}"
        )


def language_model_figures() -> dict | None:
    if importlib.util.find_spec("bench.lm_bench") is None:
        return None
    from bench import lm_bench

    return lm_bench.run()


def main() -> None:
    args = parse_args()
    config = LabConfig(epochs=args.epochs)
    results = {
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "lab_run": {"config": {**config.__dict__, "hidden": list(config.hidden)}, "rounds": args.rounds},
    }
    results["lab_run"]["implementations"] = lab_bench.compare(config, args.rounds)
    print_table(results["lab_run"]["implementations"])
    results["lab_run"]["recompiles"] = lab_bench.compile_sweep(config)
    print("slider sweep:", results["lab_run"]["recompiles"])
    results["lab_run"]["redraw"] = lab_bench.redraw_milliseconds(config)
    print("charts after a chunk:", results["lab_run"]["redraw"])
    results["seed_batches"] = sweeps_bench.run(config, args.rounds)
    print("8 seeds at once:", results["seed_batches"])
    if not args.skip_lm and (lm := language_model_figures()):
        results["language_model"] = lm
        print("language model:", lm)
    if not args.skip_lm:
        from bench import knowledge_bench

        results["knowledge"] = knowledge_bench.run()
        print("what a model knows:", results["knowledge"])
    if not args.skip_browser and CHROMIUM.exists():
        from bench import live_view

        results["live_view"] = live_view.run()
        print("live view in Chromium:", results["live_view"])
    args.output.write_text(json.dumps(results, indent=2) + "\n")
    print(f"wrote {args.output}")


if __name__ == "__main__":
    jax_setup.enable_compilation_cache()
    jax_setup.split_host_into_devices()
    main()
