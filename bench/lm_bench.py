"""Benchmark of the fine-tuning lesson's small language model, measured warm (after every compile).

    python -m bench.lm_bench

Figures: fine-tuning speed in characters (tokens) per second for one model; the page's default run
repeated for LAYOUT_SEEDS seeds: its seconds (both models, the first seed), the held-out house-style
loss of each model (mean and worst over the seeds) and the share of seeds whose final sample takes the
house layout (the automatic test of core.lm.lesson: "<title> | <city>" after the prompt, at least three
of the four headings in order on lines of their own, and "~ " bullets); training seconds and steps until
the fine-tuned sample first takes the layout, checked after every chunk with the page's temperature and
seed and not counted in the seconds; milliseconds to write 300 characters with and without the KV cache.
"""

from __future__ import annotations

import time

import jax

from core import corpus
from core.lm import lesson, sample, train

REPEATS = 5
LAYOUT_SEEDS = (0, 1, 2, 3, 4)
STYLE_STEP_LIMIT = 300  # give up (and report NaN) if the house layout has not appeared by then


def _fine_tuning_data(config):
    texts = corpus.fine_tuning_texts("english", 100)
    return train.make_data(
        corpus.join_texts(texts.train),
        corpus.join_texts(texts.heldout),
        corpus.general_tokens("heldout"),
        config.context,
    )


def fine_tuning_tokens_per_second(config, params, data) -> float:
    state = train.init_lm_state(params, 1e-3, 0, config=config)
    state, metrics = train.train_chunk(state, data, 10_000, config=config)
    jax.block_until_ready(metrics)
    started = time.perf_counter()
    for _ in range(REPEATS):
        state, metrics = train.train_chunk(state, data, 10_000, config=config)
    jax.block_until_ready(metrics)
    tokens = REPEATS * train.CHUNK_STEPS * train.BATCH_SIZE * config.context
    return tokens / (time.perf_counter() - started)


def seconds_until_house_style(config, params, data, defaults: lesson.FineTuneConfig) -> tuple[float, int]:
    """Training seconds and steps until the fine-tuned sample passes lesson.takes_house_style."""
    state = train.init_lm_state(params, defaults.learning_rate, defaults.seed, config=config)
    seconds = 0.0
    for _ in range(STYLE_STEP_LIMIT // train.CHUNK_STEPS):
        started = time.perf_counter()
        state, metrics = train.train_chunk(state, data, STYLE_STEP_LIMIT, config=config)
        jax.block_until_ready(metrics)
        seconds += time.perf_counter() - started
        text = sample.sample(
            config,
            state.params,
            corpus.PROMPT,
            length=lesson.SAMPLE_LENGTH,
            temperature=defaults.temperature,
            seed=defaults.seed,
        )
        if lesson.takes_house_style(text, "english"):
            return seconds, int(state.step)
    return float("nan"), STYLE_STEP_LIMIT


def sampling_milliseconds(config, params, use_cache: bool) -> float:
    def write():
        return sample.sample(config, params, corpus.PROMPT, length=300, use_cache=use_cache)

    write()
    started = time.perf_counter()
    for _ in range(REPEATS):
        write()
    return 1000 * (time.perf_counter() - started) / REPEATS


def default_runs() -> dict:
    """The page's default run for each of LAYOUT_SEEDS: seconds, held-out house-style losses, layout shares."""
    runs, seconds = [], []
    for seed in LAYOUT_SEEDS:
        started = time.perf_counter()
        runs.append(lesson.run_lesson(lesson.FineTuneConfig(seed=seed)))
        seconds.append(time.perf_counter() - started)
    figures = {"lm_default_run_seconds_both_models": round(seconds[0], 2)}
    for name in lesson.MODELS:
        losses = [float(run.history().heldout_style[name][-1]) for run in runs]
        layouts = [lesson.takes_house_style(run.samples[-1].texts[name], "english") for run in runs]
        figures[f"lm_heldout_house_loss_{name}_mean"] = round(sum(losses) / len(losses), 3)
        figures[f"lm_heldout_house_loss_{name}_worst"] = round(max(losses), 3)
        figures[f"lm_house_layout_seeds_{name}"] = f"{sum(layouts)} of {len(layouts)}"
    return figures


def run() -> dict:
    config, params, facts = lesson.generic_model()
    data = _fine_tuning_data(config)
    defaults = lesson.FineTuneConfig()
    lesson.run_lesson(lesson.FineTuneConfig(steps=5))  # compiles everything the page's run uses
    figures = default_runs()
    style_seconds, style_steps = seconds_until_house_style(config, params, data, defaults)
    return {
        "lm_fine_tuning_tokens_per_s": round(fine_tuning_tokens_per_second(config, params, data)),
        "lm_seconds_until_house_style": round(style_seconds, 2),
        "lm_steps_until_house_style": style_steps,
        **figures,
        "lm_default_run_steps": defaults.steps,
        "lm_default_learning_rate": defaults.learning_rate,
        "lm_sample_300_chars_ms_kv_cache": round(sampling_milliseconds(config, params, True), 1),
        "lm_sample_300_chars_ms_recomputing": round(sampling_milliseconds(config, params, False), 1),
        "lm_pretraining_seconds": facts["seconds"],
        "lm_parameters": facts["parameters"],
    }


if __name__ == "__main__":
    for name, value in run().items():
        print(f"{name}: {value}")
