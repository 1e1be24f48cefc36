"""The figures of "What a model knows": how well the retriever finds the answer, how right the model is from
memory, with retrieval and after fine-tuning on the new documents (several seeds of the live cutoff run), what
each costs, and how long one question answered with retrieval takes.

`python -m bench.knowledge_bench` measures them and writes them under "knowledge" in bench/results.json (the rest
of the file is kept); `python -m bench` measures them with everything else.
"""

from __future__ import annotations

import json
import time

import numpy as np

from core.engine import jax_setup

SEEDS = (0, 1, 2)
LATENCY_QUESTIONS = 20


def retriever_figures() -> dict:
    from core.lessons import knowledge_model as km
    from core.lessons import retrieval
    from core.lessons.knowledge_lesson import world

    retriever = km.town_retriever(world())
    return {f"recall_at_{k}": retrieval.recall(retriever, world().questions, world().end, k) for k in (1, km.PASSAGES)}


def shares(table: dict) -> dict:
    return {
        method: {group: round(score.share, 3) for group, score in groups.items()} for method, groups in table.items()
    }


def one_seed(seed: int) -> dict:
    """A live cutoff run with this seed, its answers, then fine-tuning it on the new documents, and its answers."""
    from core.lessons import knowledge_lesson as lesson

    cutoff = lesson.DEFAULT_CUTOFF
    run = lesson.cutoff_run(cutoff, seed)
    while run.advance():
        pass
    update = lesson.update_run(cutoff, run.params, seed)
    while update.advance():
        pass
    table = lesson.results(run.model_config, run.params, cutoff, update.params)
    return {
        "seed": seed,
        "right": shares(table),
        "cutoff_run": {key: run.facts()[key] for key in ("steps", "seconds", "operations", "tokens_seen")},
        "fine_tuning_run": {key: update.facts()[key] for key in ("steps", "seconds", "operations", "tokens_seen")},
    }


def answer_latency() -> dict:
    """Seconds for one question answered with retrieval (search, prompt, answer), per question, warm."""
    from core.lessons import knowledge_lesson as lesson

    model = lesson.prepared(lesson.DEFAULT_CUTOFF)
    questions = lesson.world().questions[:LATENCY_QUESTIONS]
    lesson.seconds_per_answer(model.config, model.params, questions[0])  # compiles
    times = [lesson.seconds_per_answer(model.config, model.params, question) for question in questions]
    return {"median_seconds": round(float(np.median(times)), 4), "max_seconds": round(float(np.max(times)), 4)}


def summary(seeds: list[dict]) -> dict:
    """Mean, min and max over the seeds of each method's share right per group."""
    found = {}
    for method in seeds[0]["right"]:
        for group in seeds[0]["right"][method]:
            values = [seed["right"][method][group] for seed in seeds]
            found[f"{method}/{group}"] = {
                "mean": round(float(np.mean(values)), 3),
                "min": min(values),
                "max": max(values),
            }
    return found


def run() -> dict:
    from core.lessons import knowledge_lesson as lesson

    started = time.perf_counter()
    seeds = [one_seed(seed) for seed in SEEDS]
    prepared = lesson.prepared(lesson.DEFAULT_CUTOFF)
    return {
        "cutoff": lesson.DEFAULT_CUTOFF.isoformat(),
        "today": lesson.today().isoformat(),
        "retriever": retriever_figures(),
        "prepared_model": shares(lesson.prepared_results(lesson.DEFAULT_CUTOFF)),
        "prepared_model_training": {key: prepared.facts[key] for key in ("steps", "seconds", "tokens_seen")},
        "seeds": seeds,
        "over_seeds": summary(seeds),
        "answer_with_retrieval": answer_latency(),
        "seconds_to_measure": round(time.perf_counter() - started, 1),
    }


def main() -> None:
    from bench.__main__ import RESULTS

    figures = run()
    print(json.dumps(figures, indent=2))
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    results["knowledge"] = figures
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    print(f"wrote the knowledge figures into {RESULTS}")


if __name__ == "__main__":
    jax_setup.enable_compilation_cache()
    jax_setup.split_host_into_devices()
    main()
