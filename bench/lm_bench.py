"""Benchmark of the fine-tuning lesson's small language model, measured warm (after every compile).

    python -m bench.lm_bench

Figures: fine-tuning speed in tokens per second for one model; the page's default run repeated for SEEDS on the
English adverts, and the page's "Dutch adverts" preset (fine_tuning.DUTCH_PRESET) on the Dutch ones: its seconds
(both models: the first seed, and the median), and per model the held-out house-style loss (mean and worst over the
seeds), the house markers and real-word share of the final adverts (mean and worst) and the number of seeds whose
final advert has the whole house layout in order (title line, the four headings in order, '~' bullets under them,
the sign-off: core.lessons.house_style.has_whole_layout) and reads as the house style; the memorization preset (10
adverts, 300 steps): copied share and the rise of held-out loss from its lowest; for each seed, the training seconds
and steps until the fine-tuned sample first reads as the house style (core.lessons.house_style.writes_house_style: 3
of the 6 house markers in 85% real words), sampled after every chunk with the page's temperature and not counted in
the seconds; the work of one live tick of the page (one chunk of both models) and of building the Plotly loss chart
it draws at the end; milliseconds for the fine-tuned model of the first English run to write a whole advert with the
KV cache (up to the gap that ends it, one per seed), and to fill the whole 448-token buffer with and without the
cache.
"""

from __future__ import annotations

import statistics
import sys
import time

import jax

from core.engine import jax_setup
from core.lessons import fine_tuning, house_style
from core.lm import corpus, sample, train
from ui.charts import lm

REPEATS = 5
SEEDS = (0, 1, 2, 3, 4)
STYLE_STEP_LIMIT = 300  # give up (and report NaN) if the house style has not appeared by then


def fine_tuning_tokens_per_second(config, params, data, window: int) -> float:
    state = train.init_lm_state(params, 1e-3, 0, config=config)
    state, metrics = train.train_chunk(state, data, 10_000, False, config=config, window=window)
    jax.block_until_ready(metrics)
    started = time.perf_counter()
    for _ in range(REPEATS):
        state, metrics = train.train_chunk(state, data, 10_000, False, config=config, window=window)
    jax.block_until_ready(metrics)
    tokens = REPEATS * train.CHUNK_STEPS * train.BATCH_SIZE * window
    return tokens / (time.perf_counter() - started)


def seconds_until_house_style(
    config, params, data, window: int, defaults: fine_tuning.FineTuneConfig, seed: int
) -> tuple[float, int]:
    """Training seconds and steps until the fine-tuned sample shows the house style at a glance."""
    state = train.init_lm_state(params, defaults.learning_rate, seed, config=config)
    # A step limit of 0 trains nothing but compiles the chunk for these inputs (the page's run keeps its data on a
    # device of each model, so its compile does not serve this one), which the first timed chunk would otherwise pay.
    jax.block_until_ready(train.train_chunk(state, data, 0, False, config=config, window=window))
    seconds = 0.0
    for _ in range(STYLE_STEP_LIMIT // train.CHUNK_STEPS):
        started = time.perf_counter()
        state, metrics = train.train_chunk(state, data, STYLE_STEP_LIMIT, False, config=config, window=window)
        jax.block_until_ready(metrics)
        seconds += time.perf_counter() - started
        text = fine_tuning.advert_text(config, state.params, corpus.PROMPT, temperature=defaults.temperature, seed=seed)
        if house_style.writes_house_style(text, "english"):
            return seconds, int(state.step)
    return float("nan"), STYLE_STEP_LIMIT


def live_tick_milliseconds() -> dict:
    """Median work of one live tick of the page: one chunk of both models (while it trains the page sends the live
    view only the curves' numbers), and building the Plotly loss chart it draws once the run is over."""
    run = fine_tuning.FineTuneRun(fine_tuning.FineTuneConfig())
    chunks = []
    while not run.finished:
        started = time.perf_counter()
        run.advance()
        chunks.append(time.perf_counter() - started)
    charts_built = []
    for _ in range(REPEATS + 1):  # the first build in a process also loads Plotly's validators: not counted
        started = time.perf_counter()
        lm.fine_tuning_losses(run.history(), run.config.steps).to_json()
        charts_built.append(time.perf_counter() - started)
    return {
        "lm_tick_chunk_ms_both_models_median": round(1000 * statistics.median(chunks), 1),
        "lm_final_chart_ms_median": round(1000 * statistics.median(charts_built[1:]), 1),
    }


def sampling_milliseconds(config, params, use_cache: bool, repeats: int = REPEATS) -> float:
    """Milliseconds to write the longest sample (ADVERT_TOKENS tokens, about 1,000 characters: the generic model
    rarely ends an advert, so it fills the buffer)."""

    def write():
        return sample.sample(config, params, corpus.PROMPT, use_cache=use_cache)

    write()
    started = time.perf_counter()
    for _ in range(repeats):
        write()
    return 1000 * (time.perf_counter() - started) / repeats


def whole_advert_milliseconds(run: fine_tuning.FineTuneRun) -> dict:
    """Milliseconds and characters of the whole adverts the fine-tuned model of a finished run writes with the KV
    cache (up to the gap with which it ends an advert), one per seed of SEEDS, measured after a first write."""
    params = run._states["fine_tuned"].params
    config = run.model_config

    def write(seed):
        return fine_tuning.advert_text(config, params, corpus.PROMPT, temperature=run.config.temperature, seed=seed)

    write(0)
    seconds, characters = [], []
    for seed in SEEDS:
        started = time.perf_counter()
        characters.append(len(write(seed)))
        seconds.append(time.perf_counter() - started)
    return {
        "lm_whole_advert_ms_kv_cache_median": round(1000 * statistics.median(seconds), 1),
        "lm_whole_advert_ms_kv_cache_worst": round(1000 * max(seconds), 1),
        "lm_whole_advert_characters_mean": round(statistics.mean(characters)),
    }


def default_runs(**preset) -> tuple[dict, list]:
    """The page's run (its defaults, changed by `preset`) for each of SEEDS: seconds, held-out house-style losses,
    what the final adverts show. Figures are named lm_<style>_...; also returns the runs."""
    runs, seconds = [], []
    for seed in SEEDS:
        started = time.perf_counter()
        runs.append(fine_tuning.run_lesson(fine_tuning.FineTuneConfig(seed=seed, **preset)))
        seconds.append(time.perf_counter() - started)
    style = runs[0].config.style
    prefix = f"lm_{style}"
    figures = {
        f"{prefix}_run": {"steps": runs[0].config.steps, "texts": len(runs[0].texts.train)},
        f"{prefix}_default_run_seconds_both_models": round(seconds[0], 2),
        f"{prefix}_run_seconds_both_models_median": round(statistics.median(seconds), 2),
    }
    finals = [run.samples[-1] for run in runs]
    for name in fine_tuning.MODELS:
        losses = [float(run.history().heldout_style[name][-1]) for run in runs]
        layouts = [house_style.has_whole_layout(final.texts[name], style) for final in finals]
        words = [f.real_words[name] for f in finals]
        figures[f"{prefix}_heldout_house_loss_{name}_mean"] = round(statistics.mean(losses), 3)
        figures[f"{prefix}_heldout_house_loss_{name}_worst"] = round(max(losses), 3)
        figures[f"{prefix}_house_markers_of_6_{name}_mean"] = statistics.mean(
            sum(f.markers[name].values()) for f in finals
        )
        figures[f"{prefix}_real_word_share_{name}_mean"] = round(statistics.mean(words), 3)
        figures[f"{prefix}_copied_share_{name}_mean"] = round(statistics.mean(f.copied[name] for f in finals), 3)
        figures[f"{prefix}_real_word_share_{name}_worst"] = round(min(words), 3)
        figures[f"{prefix}_in_house_style_seeds_{name}"] = (
            f"{sum(f.in_house_style[name] for f in finals)} of {len(finals)}"
        )
        figures[f"{prefix}_whole_layout_seeds_{name}"] = f"{sum(layouts)} of {len(layouts)}"
    return figures, runs


def memorization_preset() -> dict:
    """The page's "only 10 adverts, long training" preset (300 steps): does the fine-tuned model copy, and does its
    held-out loss rise from its lowest?"""
    run = fine_tuning.run_lesson(fine_tuning.FineTuneConfig(texts=10, steps=300))
    losses = run.history().heldout_style["fine_tuned"]
    return {
        "lm_memorization_copied_share_fine_tuned": round(run.samples[-1].copied["fine_tuned"], 3),
        "lm_memorization_heldout_rise_from_lowest": round(float(losses[-1] - losses.min()), 3),
    }


def run() -> dict:
    config, params, facts = fine_tuning.generic_model()
    texts = corpus.fine_tuning_texts("english", 100)
    window = fine_tuning.training_window(texts, config.context)
    data = fine_tuning.fine_tuning_data(texts, window)
    defaults = fine_tuning.FineTuneConfig()
    fine_tuning.run_lesson(fine_tuning.FineTuneConfig(steps=5))  # compiles everything the page's run uses
    figures, english_runs = default_runs()
    figures.update(whole_advert_milliseconds(english_runs[0]))
    print(figures, file=sys.stderr, flush=True)  # so far, in case a later part fails
    figures.update(default_runs(**fine_tuning.DUTCH_PRESET)[0])
    print(figures, file=sys.stderr, flush=True)
    figures.update(memorization_preset())
    until_style = [seconds_until_house_style(config, params, data, window, defaults, seed) for seed in SEEDS]
    return {
        "lm_fine_tuning_tokens_per_s": round(fine_tuning_tokens_per_second(config, params, data, window)),
        "lm_seconds_until_house_style_per_seed": [round(seconds, 2) for seconds, _ in until_style],
        "lm_steps_until_house_style_per_seed": [steps for _, steps in until_style],
        **live_tick_milliseconds(),
        **figures,
        "lm_default_run_steps": defaults.steps,
        "lm_default_learning_rate": defaults.learning_rate,
        "lm_sample_448_tokens_ms_kv_cache": round(sampling_milliseconds(config, params, True), 1),
        "lm_sample_448_tokens_ms_recomputing": round(sampling_milliseconds(config, params, False, repeats=1), 1),
        "lm_pretraining_seconds": facts["seconds"],
        "lm_pretraining_devices": facts["devices"],
        "lm_parameters": facts["parameters"],
    }


if __name__ == "__main__":
    jax_setup.enable_compilation_cache()
    for name, value in run().items():
        print(f"{name}: {value}")
