"""Pretraining the generic model: `python -m core.lm.pretrain` writes sample_data/lm/generic.{npz,json}.

The model learns general English from the corpus of core.lm.corpus (about 1.1 million characters of
Python's own documentation prose) in jitted chunks of steps, with a warm-up and cosine decay of the
learning rate. The step count is fixed, so a rerun gives the same model; a time limit only guards
against a very slow machine, and the JSON records what was actually done.
"""

from __future__ import annotations

import argparse
import time

import jax
import numpy as np
import optax

from core.engine import jax_setup
from core.lm import checkpoint, corpus, train
from core.lm.model import LMConfig, count_params

PRETRAIN_BATCH = 16
PRETRAIN_CHUNK = 50
PEAK_LEARNING_RATE = 3e-3
WARMUP_STEPS = 100
END_SHARE = 0.1  # of the peak learning rate, reached at the last step


def learning_rate_schedule(total_steps: int) -> optax.Schedule:
    """The learning rate at each step: a linear warm-up from PEAK_LEARNING_RATE / WARMUP_STEPS that reaches the
    peak at step WARMUP_STEPS - 1, then a cosine decay from step WARMUP_STEPS to END_SHARE of the peak at
    `total_steps` (the recipe of the shipped checkpoint).

    This is how optax.warmup_cosine_decay_schedule is built, except that its warm-up reaches the peak one step
    later: with it, the warm-up's rates would be up to 1% lower than the checkpoint's recipe.
    """
    warm_up = optax.linear_schedule(PEAK_LEARNING_RATE / WARMUP_STEPS, PEAK_LEARNING_RATE, WARMUP_STEPS - 1)
    decay = optax.cosine_decay_schedule(PEAK_LEARNING_RATE, max(total_steps - WARMUP_STEPS, 1), alpha=END_SHARE)
    return optax.join_schedules([warm_up, decay], [WARMUP_STEPS])


def general_data(config: LMConfig) -> train.LMData:
    """The whole general training text as one stream, measured on held-out general and house-style text."""
    house = corpus.fine_tuning_texts("english", 100)
    return train.make_data(
        corpus.general_tokens("train"),
        corpus.join_texts(house.heldout),
        corpus.general_tokens("heldout"),
        config.context,
        capacity=None,
    )


def pretrain(config: LMConfig, steps: int, max_seconds: float, seed: int = 0) -> tuple:
    """Train from scratch; returns the parameters and the facts for the checkpoint's JSON."""
    data = general_data(config)
    schedule = learning_rate_schedule(steps)
    state = train.init_lm_state(train.fresh_params(seed, config=config), float(schedule(0)), seed, config=config)
    curve, started = [], time.perf_counter()
    while int(state.step) < steps and time.perf_counter() - started < max_seconds:
        state.opt_state.hyperparams["learning_rate"] = np.float32(schedule(int(state.step)))
        state, metrics = train.train_chunk(
            state, data, steps, config=config, batch_size=PRETRAIN_BATCH, chunk_steps=PRETRAIN_CHUNK
        )
        metrics = jax.device_get(metrics)
        curve.append(
            [
                int(state.step),
                float(np.nanmean(metrics["train_loss"])),
                float(metrics["heldout_general_loss"]),
                float(metrics["heldout_style_loss"]),
            ]
        )
        print(
            f"step {curve[-1][0]:5d}  train {curve[-1][1]:.3f}  held-out general {curve[-1][2]:.3f}  "
            f"house style {curve[-1][3]:.3f}  {time.perf_counter() - started:6.0f} s",
            flush=True,
        )
    seconds = time.perf_counter() - started
    done = int(state.step)
    facts = {
        "steps": done,
        "batch_size": PRETRAIN_BATCH,
        "characters_seen": done * PRETRAIN_BATCH * config.context,
        "seconds": round(seconds, 1),
        "parameters": count_params(config),
        "seed": seed,
        "corpus_characters": int(len(corpus.general_tokens("train"))),
        "peak_learning_rate": PEAK_LEARNING_RATE,
        "planned_steps": steps,
        "loss_curve": {"columns": ["step", "train", "heldout_general", "heldout_house_style"], "rows": curve},
    }
    return state.params, facts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=6000)
    parser.add_argument("--max-seconds", type=float, default=1800.0)
    parser.add_argument("--seed", type=int, default=0)
    options = parser.parse_args()
    config = LMConfig()
    params, facts = pretrain(config, options.steps, options.max_seconds, options.seed)
    checkpoint.save(checkpoint.GENERIC_CHECKPOINT, config, params, facts)
    print(f"wrote {checkpoint.GENERIC_CHECKPOINT.name}.npz/.json: {facts['steps']} steps in {facts['seconds']} s")


if __name__ == "__main__":
    jax_setup.enable_compilation_cache()
    main()
