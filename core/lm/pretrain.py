"""Pretraining the generic model: `python -m core.lm.pretrain` writes sample_data/lm/generic.{npz,json}.

The model learns general English from the corpus of core.lm.corpus (about half a million tokens of Python's
documentation prose, everyday English and job adverts of many employers) in jitted chunks of steps, with a warm-up and
cosine decay of the learning rate, data parallel: each batch is split over the host's devices (one per core, see
core.engine.jax_setup), and XLA adds up the devices' gradients. The step count is fixed, so a rerun gives the same
model; a time limit only guards against a very slow machine, and the JSON records what was actually done. The
checkpoint keeps the parameters of the chunk with the lowest held-out general loss: a small corpus read many times
over is eventually learned by heart, and then held-out loss rises again; pretraining stops early once the best is
PATIENCE_CHUNKS old (checked every SAVE_EVERY_CHUNKS chunks).

    python -m core.lm.pretrain --second-phase   # writes sample_data/lm/generic_second_phase.{npz,json}, not shipped

goes on from the shipped model over the general corpus, the larger everyday English written for the project
(core.lm.corpus.EVERYDAY_TRAIN_FILE) and the general corpus's adverts of other employers read again
(token_data.pretraining_stream): a candidate generic model, measured with `python -m bench.lm_recipes --generic
sample_data/lm/generic_second_phase` before it may replace the shipped one. Its JSON keeps the shipped model's facts
under "earlier_phase". Measured (English, the default recipe, 16 adverts for each of 5 seeds at temperature 0.3):
over the everyday English alone (1,800 steps, 42 minutes on both cores) the fine-tuned model misspelled less (97.3%
real words, against 96.3% for the shipped model; 98.6% in the 5 final adverts of the default run, against 95.5%) but
wrote the whole house layout in 34% of adverts, against 79%: the everyday English outweighed the adverts whose
sections taught the first model what an advert's parts are. With those adverts read three times more (1,100 steps,
24 minutes: SECOND_PHASE now) the layout came back to 65% at 97.3% real words: better spelled, still less often whole.
Read six times more (27 minutes): 72% and 96.6%, where the shipped model measured 69% and 96.8% in the same run, so
reading the adverts more gives back the spelling it gains in layout, and 80 adverts cannot tell these models apart.

    python -m core.lm.pretrain --compare 150        # writes sample_data/lm/model_comparison.json
    python -m core.lm.pretrain --fine-tuning-costs  # adds what one fine-tuning step costs each candidate

train each candidate architecture for the same seconds and record its held-out loss against time, then what one
fine-tuning step costs it: the measurements the shipped architecture (LMConfig's defaults) was chosen from. Why
width 128 and 4 layers: in the first minutes the smallest model learns fastest per second, which says little about
where each ends after half an hour; what decides is fine-tuning, which the lesson does live for two models at once.
One fine-tuning step (one model, both cores) costs the 96-wide model 0.42 s, 128 x 4 0.56 s and 128 x 6 0.67 s;
128 x 4 is the largest whose default run (40 steps of both models) stays near 40 s.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable
from typing import NamedTuple

import jax
import numpy as np
import optax
from jax.sharding import Mesh, NamedSharding, PartitionSpec

from core.engine import jax_setup
from core.lm import checkpoint, corpus, token_data, train
from core.lm.model import LMConfig, count_params

PRETRAIN_BATCH = 16
PRETRAIN_CHUNK = 25
PEAK_LEARNING_RATE = 2e-3
WARMUP_STEPS = 100
END_SHARE = 0.1  # of the peak learning rate, reached at the last step
COMPARISON_FILE = checkpoint.GENERIC_CHECKPOINT.with_name("model_comparison.json")
CANDIDATES = (  # (width, layers) at the context that holds a whole advert
    (96, 4),
    (128, 4),
    (128, 6),
)


def learning_rate_schedule(total_steps: int, peak: float = PEAK_LEARNING_RATE) -> optax.Schedule:
    """The learning rate at each step: a linear warm-up from `peak` / WARMUP_STEPS that reaches the peak at step
    WARMUP_STEPS - 1, then a cosine decay from step WARMUP_STEPS to END_SHARE of the peak at `total_steps` (the
    recipe of each phase of the shipped checkpoint).

    This is how optax.warmup_cosine_decay_schedule is built, except that its warm-up reaches the peak one step
    later: with it, the warm-up's rates would be up to 1% lower than the checkpoint's recipe.
    """
    warm_up = optax.linear_schedule(peak / WARMUP_STEPS, peak, WARMUP_STEPS - 1)
    decay = optax.cosine_decay_schedule(peak, max(total_steps - WARMUP_STEPS, 1), alpha=END_SHARE)
    return optax.join_schedules([warm_up, decay], [WARMUP_STEPS])


class Phase(NamedTuple):
    """One phase of pretraining: which text it reads (token_data.general_stream or token_data.pretraining_stream,
    each measured on its own held-out part), how many steps and how long at most, and its peak learning rate."""

    name: str
    stream: Callable[[str], token_data.TokenStream]
    steps: int
    max_seconds: float
    peak_learning_rate: float


# The shipped model is the first phase: the general corpus (Python's documentation prose, everyday English and adverts
# of other employers) from scratch; it stopped at step 1,000 of 2,200 and kept step 850, learning that small corpus by
# heart. The second goes on from it over that corpus, the larger everyday English (core.lm.corpus) and the corpus's
# adverts again (token_data.pretraining_stream), with a fresh warm-up to half the peak: the model already knows the
# general corpus, and a full peak would first undo some of it.
FIRST_PHASE = Phase("general corpus, from scratch", token_data.general_stream, 2200, 5400.0, PEAK_LEARNING_RATE)
SECOND_PHASE_CHECKPOINT = checkpoint.GENERIC_CHECKPOINT.with_name("generic_second_phase")
SECOND_PHASE = Phase(
    "general corpus, everyday English and the corpus's adverts again, from the first phase",
    token_data.pretraining_stream,
    1100,
    2400.0,
    1e-3,
)


def pretraining_data(config: LMConfig, phase: Phase) -> train.LMData:
    """The phase's whole training text as one stream, measured on its held-out text and held-out house-style text."""
    house = corpus.fine_tuning_texts("english", 100)
    return train.make_data(
        phase.stream("train"),
        token_data.stream_of(house.heldout),
        phase.stream("heldout"),
        config.context,
        capacity=None,
        starts_capacity=None,
    )


def data_parallel() -> tuple[NamedSharding, NamedSharding]:
    """How to split a batch over all devices, and how to copy everything else to each of them."""
    mesh = Mesh(np.array(jax.devices()), ("batch",))
    return NamedSharding(mesh, PartitionSpec("batch")), NamedSharding(mesh, PartitionSpec())


class Pretraining:
    """One pretraining run, a chunk of steps at a time, keeping the parameters with the best held-out loss."""

    def __init__(self, config: LMConfig, steps: int, seed: int = 0, *, phase: Phase = FIRST_PHASE, start_params=None):
        self.config, self.steps, self.seed, self.phase = config, steps, seed, phase
        self.batch_sharding, replicated = data_parallel()
        self.data = jax.device_put(pretraining_data(config, phase), replicated)
        self.schedule = learning_rate_schedule(steps, phase.peak_learning_rate)
        params = train.fresh_params(seed, config=config) if start_params is None else start_params
        state = train.init_lm_state(params, float(self.schedule(0)), seed, config=config)
        self.state = jax.device_put(state, replicated)
        self.curve, self.best, self.best_params, self.seconds = [], None, None, 0.0

    @property
    def done(self) -> int:
        return int(self.state.step)

    def chunks_since_best(self) -> int:
        return len(self.curve) - 1 - self.curve.index(self.best)

    def advance(self) -> list:
        """Train one chunk and measure; returns its row of the curve [step, train, held-out general, house style]."""
        started = time.perf_counter()
        self.state.opt_state.hyperparams["learning_rate"] = np.float32(self.schedule(self.done))
        self.state, metrics = train.train_chunk(
            self.state,
            self.data,
            self.steps,
            config=self.config,
            batch_size=PRETRAIN_BATCH,
            chunk_steps=PRETRAIN_CHUNK,
            batch_sharding=self.batch_sharding,
        )
        metrics = jax.device_get(metrics)
        self.seconds += time.perf_counter() - started
        row = [
            self.done,
            float(np.nanmean(metrics["train_loss"])),
            float(metrics["heldout_general_loss"]),
            float(metrics["heldout_style_loss"]),
            round(self.seconds, 1),
        ]
        self.curve.append(row)
        if self.best is None or row[2] < self.best[2]:
            self.best, self.best_params = row, jax.device_get(self.state.params)
        return row


SAVE_EVERY_CHUNKS = 8  # the best parameters so far are written this often, so a long run can be used before it ends
# Pretraining stops at a save when the best held-out loss is this many chunks old: the corpus is being learned by
# heart (train loss falls, held-out loss does not), and the rest of the planned steps would only widen that gap.
PATIENCE_CHUNKS = 6


def pretrain(config: LMConfig, phase: Phase, seed: int = 0, save=None, start=None) -> tuple:
    """Train one phase, from scratch or from `start` (the previous phase's parameters and facts); returns the best
    parameters and the facts for the checkpoint's JSON. `save(params, facts)`, if given, is called with the best so
    far every SAVE_EVERY_CHUNKS chunks."""
    start_params, earlier = (None, None) if start is None else start
    run = Pretraining(config, phase.steps, seed, phase=phase, start_params=start_params)
    while run.done < phase.steps and run.seconds < phase.max_seconds:
        step, train_loss, general, style, seconds = run.advance()
        print(
            f"step {step:5d}  train {train_loss:.3f}  held-out general {general:.3f}  house style {style:.3f}  "
            f"{seconds:6.0f} s",
            flush=True,
        )
        if len(run.curve) % SAVE_EVERY_CHUNKS == 0:
            if save is not None:
                save(run.best_params, facts_of(run, earlier))
            if run.chunks_since_best() >= PATIENCE_CHUNKS:
                break
    return run.best_params, facts_of(run, earlier)


def facts_of(run: Pretraining, earlier: dict | None = None) -> dict:
    """What the checkpoint's JSON records of a pretraining run (its best chunk, and the whole curve); after an
    `earlier` phase, the steps, tokens and seconds count both phases, and the earlier phase's facts are kept whole."""
    config, seed, steps = run.config, run.seed, run.steps
    tokens_per_step = PRETRAIN_BATCH * config.context
    before = {"steps": 0, "tokens_seen": 0, "seconds": 0.0} if earlier is None else earlier
    facts = {
        "steps": before["steps"] + run.best[0],
        "steps_trained": run.done,
        "planned_steps": steps,
        "batch_size": PRETRAIN_BATCH,
        "devices": len(jax.devices()),
        "tokens_seen": before["tokens_seen"] + run.best[0] * tokens_per_step,
        "seconds": round(before["seconds"] + run.best[4], 1),
        "seconds_trained": round(run.seconds, 1),
        "parameters": count_params(config),
        "seed": seed,
        "phase": run.phase.name,
        "corpus_tokens": int(len(run.phase.stream("train").tokens)),
        "peak_learning_rate": run.phase.peak_learning_rate,
        "kept": "the parameters after the step with the lowest held-out loss on the phase's held-out text",
        "loss_curve": {
            "columns": ["step", "train", "heldout_general", "heldout_house_style", "seconds"],
            "rows": run.curve,
        },
    }
    if earlier is not None:
        facts["earlier_phase"] = {
            key: value for key, value in earlier.items() if key not in ("architecture", "tokenizer")
        }
    return facts


def fine_tuning_step_seconds(config: LMConfig, repeats: int = 3) -> float:
    """What one default fine-tuning step (one model, batch train.BATCH_SIZE) costs this architecture."""
    house = corpus.fine_tuning_texts("english", 100)
    stream = token_data.stream_of(house.train)
    data = train.make_data(
        stream, token_data.stream_of(house.heldout), token_data.general_stream("heldout"), config.context
    )
    state = train.init_lm_state(train.fresh_params(0, config=config), 1e-3, 0, config=config)
    state, metrics = train.train_chunk(state, data, 10**6, False, config=config)
    jax.block_until_ready(metrics)
    started = time.perf_counter()
    for _ in range(repeats):
        state, metrics = train.train_chunk(state, data, 10**6, False, config=config)
    jax.block_until_ready(metrics)
    return (time.perf_counter() - started) / (repeats * train.CHUNK_STEPS)


def compare(seconds: float, steps: int) -> dict:
    """Each candidate pretrained for `seconds` (with the schedule of a `steps`-step run), measured."""
    results = []
    for width, layers in CANDIDATES:
        config = LMConfig(width=width, layers=layers)
        run = Pretraining(config, steps)
        while run.seconds < seconds:
            run.advance()
        results.append(
            {
                "width": width,
                "layers": layers,
                "parameters": count_params(config),
                "pretraining_seconds_per_step": round(run.seconds / run.done, 3),
                "heldout_general_loss_by_seconds": [[row[4], round(row[2], 4)] for row in run.curve],
            }
        )
        print(json.dumps(results[-1]), flush=True)
    return {
        "measured_by": f"python -m core.lm.pretrain --compare {seconds:g}",
        "context": LMConfig().context,
        "batch_size": PRETRAIN_BATCH,
        "devices": len(jax.devices()),
        "candidates": results,
    }


def add_fine_tuning_costs() -> dict:
    """Measure what one fine-tuning step costs each compared architecture and add it to the comparison file
    (measured on its own, with nothing else running: pretraining comparisons and this timing must not overlap)."""
    comparison = json.loads(COMPARISON_FILE.read_text())
    for candidate in comparison["candidates"]:
        config = LMConfig(width=candidate["width"], layers=candidate["layers"])
        candidate["fine_tuning_seconds_per_step"] = round(fine_tuning_step_seconds(config), 3)
        candidate["fine_tuning_batch_size"] = train.BATCH_SIZE
    comparison["fine_tuning_costs_measured_by"] = "python -m core.lm.pretrain --fine-tuning-costs"
    COMPARISON_FILE.write_text(json.dumps(comparison, indent=1) + "\n")
    return comparison


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--second-phase", action="store_true", help="go on from the shipped model: a candidate")
    parser.add_argument("--compare", type=float, default=0.0, help="seconds per candidate architecture")
    parser.add_argument("--fine-tuning-costs", action="store_true", help="add fine-tuning step costs to the comparison")
    options = parser.parse_args()
    if options.fine_tuning_costs:
        add_fine_tuning_costs()
        return
    if options.compare:
        COMPARISON_FILE.write_text(json.dumps(compare(options.compare, FIRST_PHASE.steps), indent=1) + "\n")
        return
    config = LMConfig()
    if options.second_phase:
        _, shipped_params, shipped_facts = checkpoint.load()
        phase, stem, start = SECOND_PHASE, SECOND_PHASE_CHECKPOINT, (shipped_params, shipped_facts)
    else:
        phase, stem, start = FIRST_PHASE, checkpoint.GENERIC_CHECKPOINT, None

    def save(params, facts):
        checkpoint.save(stem, config, params, facts)

    params, facts = pretrain(config, phase, options.seed, save, start=start)
    save(params, facts)
    print(f"wrote {stem.name}.npz/.json: kept step {facts['steps']} ({facts['seconds']:.0f} s in all)")


if __name__ == "__main__":
    jax_setup.enable_compilation_cache()
    jax_setup.split_host_into_devices()
    main()
