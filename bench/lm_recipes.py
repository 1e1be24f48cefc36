"""Which fine-tuning recipe makes the generic model write whole adverts in the house style?

    python -m bench.lm_recipes [--out FILE] [--quick] [--dutch] [--generic CHECKPOINT_STEM]

For each recipe (learning rate, steps, windows per batch) and each of SEEDS, fine-tune the generic model exactly as
the page does (Adam with clipping, the rate falling in a straight line to a tenth, the windows starting at the top
of an advert), then let the fine-tuned model write SAMPLES adverts from the house prompt at each temperature and
count: the share with the whole layout in order, the share that reads as the house style, and the share of real
words. The page's default run shows one advert per seed, so the share of adverts with the whole layout is the chance
that a seed's final advert has it. Runs on any device; the figures are about the recipe, not about speed.
"""

from __future__ import annotations

import argparse
import itertools
import json
import statistics
import sys
import time
from functools import partial
from pathlib import Path

import jax
import jax.numpy as jnp
import numpy as np

from core.lessons import fine_tuning, house_style
from core.lm import checkpoint, corpus, sample, train

SEEDS = (0, 1, 2, 3, 4)
SAMPLES = 24  # adverts written per fine-tuned model and temperature
TEMPERATURES = (0.2, 0.3, 0.5)
DUTCH_GRID = [("dutch", (3e-3, 5e-3), (120, 160, 200, 240), (2,))]  # after the Dutch set grew to 100 training adverts
GRIDS = [  # (style, learning rates, steps, windows per batch): every combination is one recipe
    (style, rates, steps, batches)
    for style in ("english", "dutch")
    for rates, steps, batches in (
        ((2e-3, 3e-3, 5e-3, 1e-2), (80, 120, 160, 200), (2,)),
        ((3e-3, 5e-3), (80, 120), (4,)),
    )
]
QUICK = [("english", (3e-3,), (4,), (2,))]


@partial(jax.jit, static_argnames=("config", "length"))
def _sample_many(params, tokens, prompt_length, seeds, temperature, *, config, length):
    """sample.sample_tokens for each of `seeds` at once (vmapped over the seed)."""
    one = partial(sample.sample_tokens, config=config, length=length)
    table = sample.newline_table()
    return jax.vmap(one, in_axes=(None, None, None, 0, None, None))(
        params, tokens, prompt_length, seeds, temperature, table
    )


def adverts(config, params, temperature: float, first_seed: int) -> list[str]:
    buffer, prompt_length = sample._prompt_buffer(corpus.PROMPT, sample.ADVERT_TOKENS)
    seeds = jnp.arange(first_seed, first_seed + SAMPLES)
    rows, counts = _sample_many(
        params, jnp.asarray(buffer), prompt_length, seeds, temperature, config=config, length=sample.ADVERT_TOKENS
    )
    rows, counts = np.asarray(rows), np.asarray(counts)
    return [
        house_style.advert_part(sample.written_after(corpus.PROMPT, row, prompt_length, int(count)))
        for row, count in zip(rows, counts)
    ]


def fine_tune(config, params, data, window: int, recipe: fine_tuning.FineTuneConfig, batch: int):
    state = train.init_lm_state(params, recipe.learning_rate, recipe.seed, config=config)
    for step in range(recipe.steps):
        state.opt_state.hyperparams["learning_rate"] = np.float32(fine_tuning.learning_rate_at(step, recipe))
        state, _ = train.train_chunk(state, data, recipe.steps, False, config=config, batch_size=batch, window=window)
    heldout = train.evaluate(state.params, data, config=config)
    return state.params, float(heldout["heldout_style_loss"])


def measure(style: str, recipes, deadline: float, generic=None) -> list[dict]:
    """Each recipe's figures, fine-tuning `generic` (a checkpoint's stem; None: the shipped generic model)."""
    config, generic_params, _ = fine_tuning.generic_model() if generic is None else checkpoint.load(generic)
    texts = corpus.fine_tuning_texts(style, corpus.HOUSE_STYLES[style].train_texts)
    window = fine_tuning.training_window(texts, config.context)
    data = fine_tuning.fine_tuning_data(texts, window)
    rows = []
    for rate, steps, batch in itertools.product(*recipes):
        if time.perf_counter() > deadline:
            print(f"out of time: {style} {rate} {steps} {batch} and later recipes not measured", file=sys.stderr)
            continue
        started = time.perf_counter()
        per_temperature = {t: {"layout": [], "style": [], "words": []} for t in TEMPERATURES}
        losses = []
        for seed in SEEDS:
            recipe = fine_tuning.FineTuneConfig(style=style, learning_rate=rate, steps=steps, seed=seed)
            params, loss = fine_tune(config, generic_params, data, window, recipe, batch)
            losses.append(loss)
            for temperature in TEMPERATURES:
                written = adverts(config, params, temperature, 1000 * seed)
                found = per_temperature[temperature]
                found["layout"] += [house_style.has_whole_layout(text, style) for text in written]
                found["style"] += [house_style.writes_house_style(text, style) for text in written]
                found["words"] += [house_style.real_word_share(text) for text in written]
        row = {
            "style": style,
            "learning_rate": rate,
            "steps": steps,
            "batch": batch,
            "heldout_house_loss_mean": round(statistics.mean(losses), 3),
            "seconds": round(time.perf_counter() - started, 1),
        }
        for temperature, found in per_temperature.items():
            row[f"t{temperature}"] = {
                "whole_layout_share": round(statistics.mean(found["layout"]), 3),
                "house_style_share": round(statistics.mean(found["style"]), 3),
                "real_words_mean": round(statistics.mean(found["words"]), 3),
                "real_words_lowest": round(min(found["words"]), 3),
            }
        print(json.dumps(row), file=sys.stderr, flush=True)
        rows.append(row)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=None)
    parser.add_argument("--quick", action="store_true", help="one tiny recipe, to check that it runs")
    parser.add_argument("--dutch", action="store_true", help="only the Dutch grid")
    parser.add_argument("--seconds", type=float, default=float("inf"), help="start no recipe after this")
    parser.add_argument("--generic", type=Path, default=None, help="a candidate generic model's checkpoint stem")
    args = parser.parse_args()
    print(f"devices: {jax.devices()}", file=sys.stderr, flush=True)
    rows, deadline = [], time.perf_counter() + args.seconds
    for style, *recipes in QUICK if args.quick else DUTCH_GRID if args.dutch else GRIDS:
        rows += measure(style, recipes, deadline, args.generic)
    result = {"device": str(jax.devices()[0].platform), "seeds": list(SEEDS), "samples": SAMPLES, "rows": rows}
    if args.generic is not None:
        result["generic"] = args.generic.name
    text = json.dumps(result, indent=1)
    if args.out:
        with open(args.out, "w", encoding="utf-8") as file:
            file.write(text)
    print(text)


if __name__ == "__main__":
    main()
