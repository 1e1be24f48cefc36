"""Benchmark of the fine-tuning lesson's small language model, measured warm (after every compile).

    python -m bench.lm_bench

Figures: fine-tuning speed in characters (tokens) per second for one model; the page's default run
repeated for SEEDS: its seconds (both models, the first seed), and per model the held-out house-style
loss (mean and worst over the seeds), the house markers and real-word share of the final samples
(means) and the number of seeds whose final sample takes the whole house layout in order (the strict
test of core.lessons.house_style); for each seed, the training seconds and steps until the fine-tuned sample first
reads as the house style (core.lessons.house_style.writes_house_style: 3 of the 6 house markers in 85% real words),
sampled after every chunk with the page's temperature and not counted in the seconds; the work of one live tick of the
page (one chunk of both models, and building the loss chart); milliseconds to write 300 characters with
and without the KV cache.
"""

from __future__ import annotations

import statistics
import time

import jax

from core.engine import jax_setup
from core.lessons import fine_tuning, house_style
from core.lm import corpus, sample, train
from ui.charts import lm

REPEATS = 5
SEEDS = (0, 1, 2, 3, 4)
STYLE_STEP_LIMIT = 300  # give up (and report NaN) if the house style has not appeared by then


def fine_tuning_tokens_per_second(config, params, data) -> float:
    state = train.init_lm_state(params, 1e-3, 0, config=config)
    state, metrics = train.train_chunk(state, data, 10_000, False, config=config)
    jax.block_until_ready(metrics)
    started = time.perf_counter()
    for _ in range(REPEATS):
        state, metrics = train.train_chunk(state, data, 10_000, False, config=config)
    jax.block_until_ready(metrics)
    tokens = REPEATS * train.CHUNK_STEPS * train.BATCH_SIZE * config.context
    return tokens / (time.perf_counter() - started)


def seconds_until_house_style(
    config, params, data, defaults: fine_tuning.FineTuneConfig, seed: int
) -> tuple[float, int]:
    """Training seconds and steps until the fine-tuned sample shows the house style at a glance."""
    state = train.init_lm_state(params, defaults.learning_rate, seed, config=config)
    seconds = 0.0
    for _ in range(STYLE_STEP_LIMIT // train.CHUNK_STEPS):
        started = time.perf_counter()
        state, metrics = train.train_chunk(state, data, STYLE_STEP_LIMIT, False, config=config)
        jax.block_until_ready(metrics)
        seconds += time.perf_counter() - started
        text = sample.sample(
            config,
            state.params,
            corpus.PROMPT,
            length=fine_tuning.SAMPLE_LENGTH,
            temperature=defaults.temperature,
            seed=seed,
        )
        if house_style.writes_house_style(text, "english"):
            return seconds, int(state.step)
    return float("nan"), STYLE_STEP_LIMIT


def live_tick_milliseconds() -> dict:
    """Median work of one live tick of the page: one chunk of both models, and building the loss chart."""
    run = fine_tuning.FineTuneRun(fine_tuning.FineTuneConfig())
    chunks, charts_built = [], []
    while not run.finished:
        started = time.perf_counter()
        run.advance()
        chunks.append(time.perf_counter() - started)
        started = time.perf_counter()
        lm.fine_tuning_losses(run.history(), run.config.steps).to_json()
        charts_built.append(time.perf_counter() - started)
    return {
        "lm_tick_chunk_ms_both_models_median": round(1000 * statistics.median(chunks), 1),
        "lm_tick_chart_ms_median": round(1000 * statistics.median(charts_built), 1),
    }


def sampling_milliseconds(config, params, use_cache: bool) -> float:
    def write():
        return sample.sample(config, params, corpus.PROMPT, length=300, use_cache=use_cache)

    write()
    started = time.perf_counter()
    for _ in range(REPEATS):
        write()
    return 1000 * (time.perf_counter() - started) / REPEATS


def default_runs() -> dict:
    """The page's default run for each of SEEDS: seconds, held-out house-style losses, what the samples show."""
    runs, seconds = [], []
    for seed in SEEDS:
        started = time.perf_counter()
        runs.append(fine_tuning.run_lesson(fine_tuning.FineTuneConfig(seed=seed)))
        seconds.append(time.perf_counter() - started)
    figures = {"lm_default_run_seconds_both_models": round(seconds[0], 2)}
    for name in fine_tuning.MODELS:
        finals = [run.samples[-1] for run in runs]
        losses = [float(run.history().heldout_style[name][-1]) for run in runs]
        layouts = [house_style.takes_house_layout(final.texts[name], "english") for final in finals]
        figures[f"lm_heldout_house_loss_{name}_mean"] = round(statistics.mean(losses), 3)
        figures[f"lm_heldout_house_loss_{name}_worst"] = round(max(losses), 3)
        figures[f"lm_house_markers_of_6_{name}_mean"] = statistics.mean(sum(f.markers[name].values()) for f in finals)
        figures[f"lm_real_word_share_{name}_mean"] = round(statistics.mean(f.real_words[name] for f in finals), 3)
        figures[f"lm_in_house_style_seeds_{name}"] = f"{sum(f.in_house_style[name] for f in finals)} of {len(finals)}"
        figures[f"lm_whole_layout_seeds_{name}"] = f"{sum(layouts)} of {len(layouts)}"
    return figures


def run() -> dict:
    config, params, facts = fine_tuning.generic_model()
    data = fine_tuning.fine_tuning_data(corpus.fine_tuning_texts("english", 100), config.context)
    defaults = fine_tuning.FineTuneConfig()
    fine_tuning.run_lesson(fine_tuning.FineTuneConfig(steps=5))  # compiles everything the page's run uses
    figures = default_runs()
    until_style = [seconds_until_house_style(config, params, data, defaults, seed) for seed in SEEDS]
    return {
        "lm_fine_tuning_tokens_per_s": round(fine_tuning_tokens_per_second(config, params, data)),
        "lm_seconds_until_house_style_per_seed": [round(seconds, 2) for seconds, _ in until_style],
        "lm_steps_until_house_style_per_seed": [steps for _, steps in until_style],
        **live_tick_milliseconds(),
        **figures,
        "lm_default_run_steps": defaults.steps,
        "lm_default_learning_rate": defaults.learning_rate,
        "lm_sample_300_chars_ms_kv_cache": round(sampling_milliseconds(config, params, True), 1),
        "lm_sample_300_chars_ms_recomputing": round(sampling_milliseconds(config, params, False), 1),
        "lm_pretraining_seconds": facts["seconds"],
        "lm_parameters": facts["parameters"],
    }


if __name__ == "__main__":
    jax_setup.enable_compilation_cache()
    for name, value in run().items():
        print(f"{name}: {value}")
