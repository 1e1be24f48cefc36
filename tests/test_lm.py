"""The small language model: text cleaning, token streams, loss against NumPy, KV cache against recomputation, the
checkpoint and its tokenizer, fine-tuning against training from scratch, the layout check, the copy-rate metric and
what does (not) recompile."""

import gc
import hashlib
import json
import math
import re
import subprocess
import sys
import types

import jax
import numpy as np
import pytest

from core.lessons import fine_tuning, house_style
from core.lm import checkpoint, corpus, pretrain, sample, token_data, train
from core.lm import tokenizer as tokenizers
from core.lm.model import LMConfig, count_params, logits
from tests.jit_support import compiled_count

TINY = LMConfig(context=16, width=32, heads=2, layers=2)  # small shapes: each jit compiles in a second or two
LONG_WINDOW = LMConfig(context=512, width=32, heads=2, layers=1)  # a window longer than any sample


@pytest.fixture(scope="module")
def tiny_params():
    return train.fresh_params(3, config=TINY)


@pytest.fixture(scope="module")
def generic():
    return checkpoint.load()


def numpy_cross_entropy(all_logits: np.ndarray, targets: np.ndarray) -> float:
    """Mean of -log softmax(logits)[target], written out in NumPy."""
    shifted = all_logits - all_logits.max(axis=-1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))
    return float(-np.take_along_axis(log_probs, targets[..., None], axis=-1).mean())


# ---------------------------------------------------------------- text


def test_texts_are_cleaned_to_the_alphabet():
    assert corpus.clean_text("caf\u00e9 \u201cquoted\u201d\tend") == "cafe quoted    end"
    assert len(corpus.ALPHABET) == 96


def test_a_stream_holds_each_text_and_where_it_starts():
    texts = ["HARBOUR & FINCH | Kok | Rotterdam\n\nThe role", "Wij zoeken een kok.", "x"]
    stream = token_data.stream_of(texts)
    ends = [*stream.starts[1:], len(stream.tokens)]
    for text, start, end in zip(texts, stream.starts, ends, strict=True):
        assert token_data.decode(stream.tokens[start:end]) == text + corpus.SEPARATOR
    assert stream.tokens.dtype == np.int32 and stream.starts.dtype == np.int32
    general = token_data.general_stream("train")
    assert len(general.starts) == len(tokenizers.documents(corpus.GENERAL_TRAIN_FILE))


@pytest.mark.parametrize("start_share", [0.75, fine_tuning.FROM_TEXT_STARTS])
def test_training_windows_start_at_text_starts_and_anywhere(generic, start_share):
    config = generic[0]
    texts = corpus.fine_tuning_texts("english", 100)
    train_stream = token_data.stream_of(texts.train)
    heldout, general = token_data.stream_of(texts.heldout), token_data.general_stream("heldout")
    data = train.make_data(train_stream, heldout, general, config.context, start_share=start_share)
    windows = np.asarray(train.random_windows(jax.random.key(0), data, 64, config.context)[0])
    starts = set(train_stream.starts.tolist())
    stream = np.asarray(data.stream)
    placed = [next(s for s in range(len(stream)) if np.array_equal(stream[s : s + 64], w[:64])) for w in windows]
    last = int(data.n_tokens) - config.context - 1  # a window from the last adverts' tops is moved back to fit
    share = round(start_share * 64)
    assert all(place in starts or place == last for place in placed[:share]), "the share starts at an advert's top"
    assert sum(place in starts for place in placed[share:]) < 4, "the rest start anywhere"
    assert max(placed) <= int(data.n_tokens) - config.context - 1, "never in the padding after the stream"


PRETRAINING_FILES = (
    corpus.GENERAL_TRAIN_FILE,
    corpus.GENERAL_HELDOUT_FILE,
    corpus.EVERYDAY_TRAIN_FILE,
    corpus.EVERYDAY_HELDOUT_FILE,
)


def test_the_committed_general_corpus_matches_its_manifest():
    manifest = json.loads(corpus.MANIFEST_FILE.read_text())
    for path in PRETRAINING_FILES:
        text = path.read_text(encoding="ascii")
        assert hashlib.sha256(text.encode()).hexdigest() == manifest["files"][path.name]["sha256"]
        assert set(text) <= set(corpus.ALPHABET)
    assert len(corpus.GENERAL_TRAIN_FILE.read_text()) > 1_000_000
    heldout = corpus.GENERAL_HELDOUT_FILE.read_text()
    assert heldout[:2000] not in corpus.GENERAL_TRAIN_FILE.read_text(), "held-out text must not be trained on"
    assert len(corpus.EVERYDAY_TRAIN_FILE.read_text()) > 1_000_000
    everyday_heldout = corpus.EVERYDAY_HELDOUT_FILE.read_text()
    assert everyday_heldout[:2000] not in corpus.EVERYDAY_TRAIN_FILE.read_text()


def test_the_general_corpus_never_shows_the_house_style():
    """The generic model may read job adverts of other employers, but none of the markers it must learn
    from fine-tuning: otherwise fine-tuning would have nothing left to teach."""
    general = "".join(path.read_text() for path in PRETRAINING_FILES)
    lines = set(general.split("\n"))
    assert "finch" not in general.lower() and "five working days" not in general
    assert not lines & set(corpus.HOUSE_STYLES["english"].headings), "no house heading as a line"
    assert not any(line.startswith("~") for line in lines), "no '~' bullets"
    assert general.count("salary") + general.count("Salary") >= 50, "but plenty of job adverts in other layouts"


@pytest.mark.parametrize("folder", ["house_style", "pretraining/written"])
def test_the_texts_written_for_the_project_pass_their_validators(folder):
    validator = next((corpus.ROOT / "sample_data" / folder).glob("check_*.py"))
    result = subprocess.run([sys.executable, str(validator)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout[-2000:]


@pytest.mark.slow
def test_the_general_corpus_rebuilds_identically_on_the_same_python():
    manifest = json.loads(corpus.MANIFEST_FILE.read_text())
    if manifest["python"] != ".".join(map(str, sys.version_info[:3])):
        pytest.skip("the corpus comes from this Python's own documentation; another version differs")
    train_text, heldout_text = corpus.build_general_corpus()
    assert train_text == corpus.GENERAL_TRAIN_FILE.read_text()
    assert heldout_text == corpus.GENERAL_HELDOUT_FILE.read_text()
    assert corpus.build_everyday_corpus() == (
        corpus.EVERYDAY_TRAIN_FILE.read_text(),
        corpus.EVERYDAY_HELDOUT_FILE.read_text(),
    )


def test_a_job_prompt_is_the_house_first_line_or_a_reason_in_words():
    assert corpus.job_prompt(" Night Nurse ", "Antwerp") == "HARBOUR & FINCH | Night Nurse | Antwerp\n\n"
    assert corpus.job_prompt("Caf\u00e9 Manager", "Li\u00e8ge") == "HARBOUR & FINCH | Cafe Manager | Liege\n\n"
    longest = corpus.job_prompt("t" * corpus.JOB_TITLE_LIMIT, "c" * corpus.JOB_CITY_LIMIT)
    assert len(longest) <= sample.PROMPT_CAPACITY, "the whole prompt fits the sampler's buffer"
    for title, city, problem in [
        ("", "Antwerp", "type a job title"),
        ("Nurse", "  ", "type a city"),
        ("Nurse | Cook", "Antwerp", "cannot contain"),
        ("Nurse", "Ant\nwerp", "cannot contain"),
        ("t" * 25, "Antwerp", "at most 24"),
    ]:
        with pytest.raises(ValueError, match=problem):
            corpus.job_prompt(title, city)


def test_fine_tuning_sets_hold_out_the_last_texts_and_swap_in_off_style_ones():
    texts = corpus.fine_tuning_texts("english", 20, off_style_share=0.25, seed=4)
    english = corpus.load_texts("vacancies_en.jsonl")
    assert len(texts.train) == 20 and texts.heldout == english[100:]
    assert texts.replaced == 5
    assert sum(text.startswith(corpus.PROMPT) for text in texts.train) == 15
    assert corpus.fine_tuning_texts("dutch", 100).heldout == corpus.load_texts("vacancies_nl.jsonl")[100:]


@pytest.mark.parametrize("style", list(corpus.HOUSE_STYLES))
def test_every_house_advert_fits_a_training_window_and_a_sample(style):
    """Every advert with the gap after it fits the fine-tuning windows and the sampler's buffer, so a model sees
    whole adverts in training and can write one to its closing line."""
    texts = corpus.load_texts(corpus.HOUSE_STYLES[style].file)
    longest = max(len(token_data.encode(text + corpus.SEPARATOR)) for text in texts)
    assert longest <= sample.ADVERT_TOKENS - 8 and longest <= fine_tuning.WINDOWS[-1]


# ---------------------------------------------------------------- the model


def test_the_loss_is_the_numpy_cross_entropy_of_the_models_logits(tiny_params):
    text = "The role\nYou will plan a crew of twelve on the early shift near the harbour, every single day."
    windows = np.stack([token_data.encode(text)[: TINY.context + 1]] * 3).astype(np.int32)
    windows[1] = np.roll(windows[1], 3)
    model_logits = np.asarray(logits(tiny_params, windows[:, :-1], config=TINY), np.float64)
    expected = numpy_cross_entropy(model_logits, windows[:, 1:])
    assert float(train.windows_loss(tiny_params, windows, config=TINY)) == pytest.approx(expected, rel=1e-5)


def test_an_untrained_model_guesses_every_token_about_equally(tiny_params):
    windows = train.evaluation_windows(token_data.general_stream("heldout"), TINY.context)
    assert float(train.windows_loss(tiny_params, windows, config=TINY)) == pytest.approx(np.log(2048), abs=0.1)


def test_the_kv_cache_gives_the_logits_of_full_recomputation(tiny_params):
    tokens = token_data.encode(corpus.load_texts("vacancies_en.jsonl")[0][:400])
    assert len(tokens) > 3 * TINY.context, "run past the window: the ring buffer must wrap around"
    cached = np.asarray(sample.cached_logits(tiny_params, tokens, config=TINY))
    full = np.asarray(logits(tiny_params, tokens[None], config=TINY))[0]
    np.testing.assert_allclose(cached, full, atol=2e-5)
    window = np.asarray(logits(tiny_params, tokens[None, : TINY.context], config=TINY))[0]
    np.testing.assert_allclose(cached[: TINY.context], window, atol=2e-5)


@pytest.mark.parametrize("prompt", [corpus.PROMPT, corpus.job_prompt("Night Nurse, Cardiology", "Antwerp")])
def test_sampling_with_the_cache_writes_what_recomputing_writes(prompt):
    params = train.fresh_params(0, config=LONG_WINDOW)
    buffer, prompt_length = sample._prompt_buffer(prompt, sample.ADVERT_TOKENS)
    arguments = (params, buffer, prompt_length, 5, 1.0, sample.newline_table())
    fast, fast_count = sample.sample_tokens(*arguments, config=LONG_WINDOW, length=sample.ADVERT_TOKENS)
    slow, slow_count = sample.sample_tokens_by_recomputing(*arguments, config=LONG_WINDOW, length=sample.ADVERT_TOKENS)
    np.testing.assert_array_equal(fast, slow)  # token for token
    assert int(fast_count) == int(slow_count)
    assert len(token_data.encode(sample.sample(LONG_WINDOW, params, prompt, temperature=1.0, seed=5))) > 400


def test_sampling_stops_at_the_gap_that_ends_a_text_and_writes_the_same_tokens_up_to_it(generic):
    config, params, _ = generic
    longest = sample.ADVERT_TOKENS
    buffer, prompt_length = sample._prompt_buffer(corpus.PROMPT, sample.ADVERT_TOKENS)
    never_ends = np.zeros_like(sample.newline_table())  # no token is a newline: the loop runs to the last token
    for seed in range(10):  # the first seed whose text ends before the buffer is full
        arguments = (params, buffer, prompt_length, seed, 0.5)
        stopped, count = sample.sample_tokens(*arguments, sample.newline_table(), config=config, length=longest)
        if int(count) < longest:
            break
    whole, whole_count = sample.sample_tokens(*arguments, never_ends, config=config, length=longest)
    count, stopped, whole = int(count), np.asarray(stopped), np.asarray(whole)
    assert int(whole_count) == longest and count < longest
    end = prompt_length + count
    np.testing.assert_array_equal(stopped[:end], whole[:end])
    assert not stopped[end:].any()
    written = token_data.decode(stopped[prompt_length:end])
    assert written.endswith(corpus.SEPARATOR) and corpus.SEPARATOR not in written[:-1]


def test_the_newline_table_follows_newlines_across_tokens():
    table = sample.newline_table()
    newline = int(token_data.encode("\n")[0])
    word = int(token_data.encode("harbour")[0])
    run, ended = 0, False
    for token in (word, newline, newline):
        run, ended = (int(value) for value in sample._newlines_after(run, token, table))
    assert (run, ended) == (2, False)
    assert int(sample._newlines_after(run, newline, table)[1]) == 1
    assert int(sample._newlines_after(run, word, table)[0]) == 0


def test_sampling_is_deterministic_for_a_seed_and_low_temperature_is_less_random(generic):
    config, params, _ = generic
    assert sample.sample(config, params, "The ", seed=1) == sample.sample(config, params, "The ", seed=1)
    assert sample.sample(config, params, "The ", seed=1) != sample.sample(config, params, "The ", seed=2)
    cold = sample.sample(config, params, "The ", temperature=0.2, seed=1)
    hot = sample.sample(config, params, "The ", temperature=1.5, seed=1)
    assert len(set(cold.split())) < len(set(hot.split()))


def test_models_on_two_devices_write_side_by_side_what_each_writes_alone(generic):
    config, params, _ = generic
    devices = jax.devices()
    others = train.fresh_params(5, config=config)
    on_their_devices = [jax.device_put(params, devices[0]), jax.device_put(others, devices[-1])]
    arguments = {"temperature": 0.3, "seed": 4}
    side_by_side = sample.sample_each(config, on_their_devices, corpus.PROMPT, **arguments)
    alone = [sample.sample(config, each, corpus.PROMPT, **arguments) for each in (params, others)]
    assert side_by_side == alone and alone[0] != alone[1]


# ---------------------------------------------------------------- the pretrained checkpoint


def test_the_checkpoint_loads_and_knows_english_far_better_than_an_untrained_model(generic):
    config, params, facts = generic
    assert config == LMConfig() and facts["parameters"] == count_params(config)
    assert 500_000 < facts["parameters"] < 2_000_000
    windows = train.evaluation_windows(token_data.general_stream("heldout"), config.context)
    pretrained = float(train.windows_loss(params, windows, config=config))
    untrained = float(train.windows_loss(train.fresh_params(0, config=config), windows, config=config))
    assert untrained == pytest.approx(np.log(2048), abs=0.15)
    assert pretrained < 0.6 * untrained
    assert facts["steps"] > 0 and facts["tokens_seen"] == facts["steps"] * facts["batch_size"] * config.context
    assert facts["corpus_tokens"] == len(token_data.general_stream("train").tokens), (
        "pretrained on the committed corpus"
    )
    assert facts["tokenizer"] == checkpoint.tokenizer_facts(), "with the shipped tokenizer"
    rows = facts["loss_curve"]["rows"]
    best = min(rows, key=lambda row: row[2])
    assert best[0] == facts["steps"], "the kept parameters are those of the lowest held-out loss"
    assert rows[-1][0] == facts["steps_trained"] and facts["devices"] == 2


def test_the_second_phase_reads_the_general_corpus_the_everyday_english_and_the_adverts_again():
    general, both = token_data.general_stream("train"), token_data.pretraining_stream("train")
    everyday = tokenizers.documents(corpus.EVERYDAY_TRAIN_FILE)
    assert np.array_equal(both.tokens[: len(general.tokens)], general.tokens)
    assert np.array_equal(both.starts[: len(general.starts)], general.starts)
    adverts = [text for text in tokenizers.documents(corpus.GENERAL_TRAIN_FILE) if text in corpus.written_adverts()]
    assert len(adverts) == 285, "the 300 adverts of other employers but the 15 held out"
    extra = token_data.EXTRA_ADVERT_READINGS * len(adverts)
    assert len(both.starts) == len(general.starts) + len(everyday) + extra and len(everyday) > 2000
    first_everyday, first_extra = both.starts[len(general.starts)], both.starts[len(general.starts) + len(everyday)]
    assert np.array_equal(both.tokens[first_everyday:][:50], token_data.encode(everyday[0] + corpus.SEPARATOR)[:50])
    assert np.array_equal(both.tokens[first_extra:][:50], token_data.encode(adverts[0] + corpus.SEPARATOR)[:50])
    heldout = token_data.pretraining_stream("heldout")
    assert len(heldout.starts) == len(token_data.general_stream("heldout").starts) + len(
        tokenizers.documents(corpus.EVERYDAY_HELDOUT_FILE)
    ), "held-out text is read once, adverts included"


def test_a_second_phase_counts_the_steps_tokens_and_seconds_of_both_phases():
    config = LMConfig()
    tokens_per_step = pretrain.PRETRAIN_BATCH * config.context
    curve = [[25, 3.1, 3.3, 4.5, 30.0], [50, 3.0, 3.2, 4.5, 60.0], [75, 2.9, 3.25, 4.5, 90.0]]
    run = types.SimpleNamespace(
        config=config, seed=0, steps=75, done=75, seconds=90.0, phase=pretrain.SECOND_PHASE, best=curve[1], curve=curve
    )
    shipped = {"steps": 850, "tokens_seen": 850 * tokens_per_step, "seconds": 1414.9}
    earlier = {**shipped, "architecture": {}, "tokenizer": {}}
    facts = pretrain.facts_of(run, earlier)
    assert facts["steps"] == 900 and facts["tokens_seen"] == 900 * tokens_per_step
    assert facts["seconds"] == pytest.approx(1474.9) and facts["steps_trained"] == 75
    assert facts["earlier_phase"] == shipped, "the earlier phase's facts, without what the checkpoint repeats"
    assert facts["corpus_tokens"] == len(token_data.pretraining_stream("train").tokens)
    assert pretrain.facts_of(run)["steps"] == 50, "a first phase counts its own steps only"


def test_a_tokenizer_other_than_the_checkpoints_is_refused_in_words(tmp_path, tiny_params):
    stem = tmp_path / "tiny"
    checkpoint.save(stem, TINY, tiny_params, {"steps": 0})
    assert checkpoint.load(stem)[0] == TINY, "loads with the tokenizer it was saved with"
    smaller = tmp_path / "smaller.json"
    smaller.write_text(tokenizers.serialized(tokenizers.train(1024)))
    with pytest.raises(ValueError, match="has 1,024 tokens but the model was trained with 2,048"):
        checkpoint.load(stem, smaller)
    edited = tmp_path / "edited.json"
    edited.write_text(tokenizers.TOKENIZER_FILE.read_text().replace('"Harbour"', '"Harb0ur"', 1) + " ")
    with pytest.raises(ValueError, match="is not the one this model was trained with"):
        checkpoint.load(stem, edited)


def test_a_checkpoint_of_another_architecture_is_refused(tmp_path, tiny_params):
    stem = tmp_path / "tiny"
    checkpoint.save(stem, TINY, tiny_params, {"steps": 0})
    facts = json.loads(stem.with_suffix(".json").read_text())
    facts["architecture"]["width"] = 64
    stem.with_suffix(".json").write_text(json.dumps(facts))
    with pytest.raises(ValueError, match="does not fit"):
        checkpoint.load(stem)


def recipe_learning_rate(step: int, total_steps: int) -> float:
    """The pretraining schedule the shipped checkpoint was trained with, as it was first written by hand:
    linear warm-up over 100 steps to 2e-3, then cosine decay to a tenth of it."""
    if step < 100:
        return 2e-3 * (step + 1) / 100
    progress = (step - 100) / max(total_steps - 100, 1)
    return 2e-3 * (0.1 + 0.45 * (1 + math.cos(math.pi * min(progress, 1.0))))


@pytest.mark.parametrize("total_steps", [6000, 250, 60])
def test_the_pretraining_schedule_is_the_checkpoints_recipe(total_steps):
    schedule = pretrain.learning_rate_schedule(total_steps)
    steps = [0, 1, 50, 98, 99, 100, 101, 150, total_steps // 2, total_steps - 50, total_steps - 1, total_steps, 9000]
    for step in steps:
        assert float(schedule(step)) == pytest.approx(recipe_learning_rate(step, total_steps), rel=1e-5), step


# ---------------------------------------------------------------- fine-tuning vs from scratch


@pytest.mark.parametrize("seed", [0, 7])
def test_fine_tuning_beats_training_from_scratch_after_the_same_steps(seed):
    run = fine_tuning.run_lesson(fine_tuning.FineTuneConfig(steps=30, texts=50, seed=seed))
    history = run.history()
    fine_tuned, scratch = history.heldout_style["fine_tuned"], history.heldout_style["from_scratch"]
    assert run.steps_done == 30 and run.failure is None
    assert fine_tuned[-1] < fine_tuned[0], "fine-tuning lowers the held-out house-style loss"
    assert fine_tuned[-1] < scratch[-1] - 1.0, "and ends far below the model trained from scratch"
    assert history.heldout_general["fine_tuned"][-1] < history.heldout_general["from_scratch"][-1] - 1.0
    assert len(history.train_loss["fine_tuned"]) == 30
    assert list(history.eval_steps) == [0, 20, 30], "held-out losses are measured every 20 steps and at the end"
    assert [s.step for s in run.samples] == [0, 20, 30]


@pytest.mark.parametrize("seed", [0, 3])
def test_the_fine_tuned_model_soon_writes_in_the_house_style_and_the_scratch_model_does_not(seed):
    run = fine_tuning.run_lesson(fine_tuning.FineTuneConfig(steps=30, seed=seed))
    first = fine_tuning.first_in_house_style(run, "fine_tuned")
    # Measured over seeds 0-4 (sampling every 10 steps): first in the house style after 10-20 steps.
    assert first is not None and 0 < first.step <= 30
    assert fine_tuning.first_in_house_style(run, "from_scratch") is None
    losses = run.history().heldout_style
    assert losses["from_scratch"][-1] > losses["fine_tuned"][-1] + 1.5, "the scratch model has hardly learned English"
    assert not run.samples[0].in_house_style["fine_tuned"], "the generic model writes English without the markers"


def fake_run(fine_tuned_losses, scratch_loss, fine_tuned_text, copied=0.0, general_losses=None):
    """A finished run's record, made by hand, for reading it in words (held-out losses every 15 steps; the losses on
    general English are the house-style ones unless given, the model from scratch's then 6.0)."""
    steps = np.arange(len(fine_tuned_losses)) * 15
    losses = {"fine_tuned": np.array(fine_tuned_losses), "from_scratch": np.full(len(steps), scratch_loss)}
    general = losses
    if general_losses is not None:
        general = {"fine_tuned": np.array(general_losses), "from_scratch": np.full(len(steps), 6.0)}
    history = fine_tuning.LessonHistory(steps, losses, general, {name: np.zeros(3) for name in fine_tuning.MODELS})
    texts = {"fine_tuned": fine_tuned_text, "from_scratch": "Tharbour thour wesk"}
    latest = fine_tuning.Samples(
        int(steps[-1]),
        texts,
        copied={"fine_tuned": copied, "from_scratch": 0.0},
        markers={name: house_style.house_markers(text, "english") for name, text in texts.items()},
        real_words={name: house_style.real_word_share(text) for name, text in texts.items()},
        in_house_style={name: house_style.writes_house_style(text, "english") for name, text in texts.items()},
        seconds=1.0,
    )
    return types.SimpleNamespace(
        history=lambda: history,
        samples=[latest],
        steps_done=int(steps[-1]),
        config=fine_tuning.FineTuneConfig(),
        texts=types.SimpleNamespace(train=("advert",) * 10),
    )


def test_the_readings_say_what_a_finished_run_showed():
    house_text = LAYOUT
    readings = fine_tuning.outcome_readings(fake_run([1.7, 1.2, 1.05], 1.8, house_text))
    assert [kind for kind, _ in readings] == ["success", "success"]
    assert "far better" in readings[0][1] and "not enough to learn a language" in readings[1][1]
    memorizing = fine_tuning.outcome_readings(fake_run([1.7, 1.2, 1.6], 1.8, "Plain words only.", copied=0.9))
    kinds = [kind for kind, _ in memorizing]
    assert kinds == ["success", "info", "info", "warning", "warning"]
    assert "lowest at step 15 (1.20)" in memorizing[3][1] and "by heart" in memorizing[3][1]
    assert "copied word for word" in memorizing[4][1] and " better than" in memorizing[0][1]
    behind = fine_tuning.outcome_readings(fake_run([1.7, 2.5], 1.8, house_text))
    assert [kind for kind, _ in behind] == ["warning"] and "not ahead" in behind[0][1]


def test_the_readings_say_when_fine_tuning_cost_general_english():
    run = fake_run([1.7, 1.2, 1.05], 1.8, LAYOUT)
    history = run.history()
    forgetting = fine_tuning.LessonHistory(
        history.eval_steps,
        history.heldout_style,
        {**history.heldout_general, "fine_tuned": np.array([4.1, 4.8, 5.2])},
        history.train_loss,
    )
    run.history = lambda: forgetting
    readings = fine_tuning.outcome_readings(run)
    assert [kind for kind, _ in readings] == ["success", "success", "info"]
    assert "rose from 4.10 before fine-tuning to 5.20" in readings[2][1] and "forgot" in readings[2][1]


def live_bytes() -> int:
    gc.collect()
    return sum(array.nbytes for array in jax.live_arrays())


def test_a_finished_run_keeps_its_models_weights_but_not_the_optimizers_moments():
    weights = sum(leaf.nbytes for leaf in jax.tree_util.tree_leaves(fine_tuning.generic_model()[1]))
    fine_tuning.run_lesson(fine_tuning.FineTuneConfig(steps=6, seed=1))  # fills the shared caches first
    before = live_bytes()
    run = fine_tuning.run_lesson(fine_tuning.FineTuneConfig(steps=6, seed=1))
    held = live_bytes() - before
    # Two models' weights and the run's data (about 2.2 weights); Adam's moments would add four weights more.
    assert held < 3 * weights, f"a finished run holds {held / weights:.1f} times the model's weights"
    advert = run.write_advert(corpus.job_prompt("Night Nurse", "Antwerp"))
    assert all(advert[name] for name in fine_tuning.MODELS), "its models still write"


@pytest.mark.parametrize(
    ("failed", "suggested"),
    [(0.3, 3e-3), (0.1, 3e-3), (1e-2, 1e-3), (2e-2, 1e-3), (3e-3, 3e-4), (5e-4, 1e-4), (1e-4, 1e-4)],
)
def test_the_suggestion_is_a_tenth_at_most_never_above_pretraining_and_one_of_the_choices(failed, suggested):
    assert fine_tuning.suggested_learning_rate(failed, pretraining_peak=3e-3) == suggested
    assert suggested in fine_tuning.LEARNING_RATES


def test_the_failure_text_names_the_model_that_blew_up():
    assert "loss of the model trained from scratch blew up" in fine_tuning.failure_text("from_scratch", 0.1, 3e-3)
    text = fine_tuning.failure_text("fine_tuned", 0.1, 3e-3)
    assert "loss of the fine-tuned generic model blew up" in text and "no more than the 0.003" in text


def test_the_first_sample_in_the_house_style_is_named_with_its_step_and_time():
    assert fine_tuning.first_in_style_reading(None).startswith("Has not yet written in the house style (3 of the 6")
    first = types.SimpleNamespace(step=27, seconds=1.53)
    assert "at **step 27**, after **1.5 s** of training" in fine_tuning.first_in_style_reading(first)


PRETRAINING = {
    "steps": 6000,
    "seconds": 621.2,
    "tokens_seen": 12_288_000,
    "parameters": 605_824,
    "architecture": {"vocab_size": 2048},
}


def test_the_cost_reading_compares_fine_tuning_with_pretraining():
    text = fine_tuning.cost_reading(200, 30.0, 204_800, PRETRAINING)
    assert "**200 steps**, **15 seconds** per model, **205 thousand tokens** read" in text
    assert "took 6,000 steps, 10.4 minutes and 12.3 million tokens" in text and "used **1.7%**" in text


def test_the_generic_model_reading_gives_its_facts_and_losses():
    losses = {"general": 1.41, "english": 1.724, "dutch": 3.771}
    text = fine_tuning.generic_model_reading(PRETRAINING, losses)
    assert "6,000 training steps, 12.3 million tokens read, 10.4 minutes of computing, 605,824 parameters" in text
    assert "among 2,048 tokens scores 7.6" in text
    assert "**1.41** on English it never saw, **1.72** on Harbour & Finch adverts and **3.77** on the Dutch" in text


@pytest.mark.parametrize(
    "bad, words",
    [
        ({"steps": 0}, "steps must be between 1 and 400"),
        ({"texts": 5}, "the number of texts must be between 10 and 100"),
        ({"learning_rate": float("nan")}, "learning rate must be a positive number"),
        ({"style": "french"}, "dataset must be one of english, dutch"),
        ({"off_style_share": 1.5}, "the off-style share must be between 0% and 100%"),
        ({"temperature": 0.0}, "temperature must be a positive number"),
    ],
)
def test_bad_settings_are_refused_in_words(bad, words):
    with pytest.raises(ValueError, match=re.escape(words)):
        fine_tuning.FineTuneConfig(**bad)


# ---------------------------------------------------------------- measuring samples


def test_copied_share_counts_only_long_verbatim_runs_of_training_text():
    training = ["You will run the early shift in a busy cross-dock hall near the Waalhaven, every day."]
    common = ["We reply within five working days and invite you for coffee on the work floor."]
    index = house_style.copy_index(training, common)
    copied = "Hello. You will run the early shift in a busy cross-dock hall near the harbour."
    span = "You will run the early shift in a busy cross-dock hall near the "
    assert house_style.copied_share(copied, index) == pytest.approx(len(span) / len(copied))
    assert house_style.copied_share("You will run the early shift at night.", index) == 0.0
    assert house_style.copied_share(common[0], index) == 0.0, "phrases every text shares are not copying"
    assert house_style.copied_share("", index) == 0.0


LAYOUT = (
    "Cook | Leeds\n\nThe role\nYou cook.\n\nWhat you bring\n~ Knives\n~ Patience\n\nWhat we offer\n~ Pay\n\n"
    "How to apply\nWrite to us.\n\nHarbour & Finch: the right people, in the right harbour."
)


def test_the_whole_layout_check_passes_house_adverts_and_fails_each_missing_part():
    after_prompt = len(corpus.PROMPT)
    for style_name, house in corpus.HOUSE_STYLES.items():
        assert all(
            house_style.has_whole_layout(text[after_prompt:], style_name) for text in corpus.load_texts(house.file)
        )
    assert not any(house_style.has_whole_layout(text, "english") for text in corpus.load_texts(corpus.OFF_STYLE_FILE))
    assert house_style.has_whole_layout(LAYOUT, "english")
    broken = {
        "title line": LAYOUT.replace("Cook | Leeds", "Cook in Leeds"),
        "What we offer": LAYOUT.replace("What we offer", "Perks"),
        "~ bullets under What you bring": LAYOUT.replace("~ Knives\n~ Patience", "Knives, patience"),
        "~ bullets under What we offer": LAYOUT.replace("~ Pay", "- Pay"),
        "sign-off": LAYOUT.replace("Harbour & Finch: the right people", "Harbour & Finch, the right people"),
    }
    for item, text in broken.items():
        check = house_style.layout_check(text, "english")
        expected = [item, "~ bullets under What we offer"] if item == "What we offer" else [item]  # no section
        assert [name for name, found in check.items() if not found] == expected
    swapped = LAYOUT.replace("The role", "@").replace("How to apply", "The role").replace("@", "How to apply")
    missing = [name for name, found in house_style.layout_check(swapped, "english").items() if not found]
    assert missing == [
        "The role",
        "What you bring",
        "What we offer",
        "~ bullets under What you bring",
        "~ bullets under What we offer",
    ], "a heading only counts after the one before it"
    early_sign_off = LAYOUT.replace("How to apply\nWrite to us.\n\n", "")
    assert not house_style.layout_check(early_sign_off, "english")["sign-off"], "the sign-off comes after all four"


def test_layout_sections_run_from_each_heading_to_the_next_part():
    sections = house_style.layout_sections(LAYOUT, "english")
    assert [part for _, _, part in sections] == ["title", *(f"heading {n}" for n in range(1, 5)), "closing"]
    texts = [LAYOUT[start:end] for start, end, _ in sections]
    assert texts[0] == "Cook | Leeds" and texts[2] == "What you bring\n~ Knives\n~ Patience\n"
    assert texts[-1] == "Harbour & Finch: the right people, in the right harbour."


def test_an_advert_ends_at_the_gap_the_model_writes_or_near_a_thousand_characters():
    assert house_style.advert_part(LAYOUT + "\n\n\nHARBOUR & FINCH | Baker") == LAYOUT
    assert house_style.advert_part("Cook\ufffd | Leeds\ufffd") == "Cook | Leeds", "bytes that form no character"
    assert house_style.advert_part("Co\x0bok |\x1f Leeds\x7f\n\tnow") == "Cook | Leeds\n\tnow", "control characters"
    rambling = "word " * 400
    cut = house_style.advert_part(rambling)
    assert 900 < len(cut) <= house_style.ADVERT_CHARACTERS and cut.endswith("word")
    lines = "a line of text\n" * 100
    assert house_style.advert_part(lines).endswith("a line of text") and len(house_style.advert_part(lines)) <= 1000


def test_the_house_style_check_accepts_house_texts_and_rejects_others():
    after_prompt = len(corpus.PROMPT)  # the check reads what a model writes after the prompt
    for text in corpus.load_texts("vacancies_en.jsonl")[100:]:
        assert house_style.headings_found(text, corpus.HOUSE_STYLES["english"].headings) == 4
        assert house_style.takes_house_layout(text[after_prompt:], "english")
    for text in corpus.load_texts("vacancies_nl.jsonl"):
        assert house_style.takes_house_layout(text[after_prompt:], "dutch")
        assert not house_style.takes_house_layout(text[after_prompt:], "english")
    assert not any(house_style.takes_house_layout(text, "english") for text in corpus.load_texts(corpus.OFF_STYLE_FILE))
    layout = "Cook | Leeds\n\nThe role\nYou cook.\n\nWhat you bring\n~ Knives\n\nWhat we offer\n~ Pay\n"
    assert house_style.takes_house_layout(layout, "english")
    assert not house_style.takes_house_layout(layout.replace("~ ", "- "), "english"), "bullets start with '~ '"
    assert not house_style.takes_house_layout("Cook | Leeds | Hull" + layout[12:], "english"), (
        "first line: title | city"
    )
    assert not house_style.takes_house_layout(layout.replace("What we offer", "Perks"), "english"), "three headings"
    shuffled = layout.replace("The role", "@").replace("What you bring", "The role").replace("@", "What you bring")
    assert house_style.headings_found(shuffled, corpus.HOUSE_STYLES["english"].headings) == 2, "in order"
    assert not house_style.takes_house_layout(shuffled, "english")


def test_house_markers_are_found_in_house_adverts_and_not_in_other_adverts():
    after_prompt = len(corpus.PROMPT)
    for style_name in corpus.HOUSE_STYLES:
        for text in corpus.load_texts(corpus.HOUSE_STYLES[style_name].file):
            assert all(house_style.house_markers(text[after_prompt:], style_name).values()), text[:60]
    for text in corpus.load_texts(corpus.OFF_STYLE_FILE):
        assert not any(house_style.house_markers(text, "english").values())
    dutch = corpus.load_texts("vacancies_nl.jsonl")[0][after_prompt:]
    shared = {"header", "bullets"}  # the two languages share the layout, not the words
    assert {key for key, shown in house_style.house_markers(dutch, "english").items() if shown} == shared


def test_each_house_marker_on_its_own():
    markers = house_style.house_markers
    assert markers("Cook | Leeds\nYou cook.", "english")["header"]
    assert markers("You cook.\n\n\nHARBOUR & FINCH | Baker | Hull\n", "english")["header"], "a later advert"
    assert not markers("Cook, Leeds\n", "english")["header"]
    assert markers("The role\nx\nHow to apply\n", "english")["headings"]
    assert not markers("The role\nx\n", "english")["headings"], "two headings"
    assert not markers("What you bring and The role\n", "english")["headings"], "on lines of their own"
    assert markers("~ Pay\n", "english")["bullets"] and not markers("- Pay\n", "english")["bullets"]
    assert markers("~ EUR 2,900 - 3,400 per month", "english")["salary"]
    assert not markers("EUR 2900 a month", "english")["salary"]
    assert markers("EUR 2.900 - 3.400 bruto per maand", "dutch")["salary"]
    assert markers("A Crew That Has Your Back.", "english")["phrase"]
    assert markers("x\nHarbour & Finch: the right people, in the right harbour.\n", "english")["closing"]
    assert not markers("Harbour & Finch: the right people", "english")["closing"]
    assert house_style.writes_house_style("Cook | Leeds\n~ Knives\nIt is plain sailing.", "english")
    assert not house_style.writes_house_style("Cook | Leeds\nIt is plain sailing.", "english"), "three markers"
    assert not house_style.writes_house_style("Cook | Leeds\n~ Kniwes\nIt os plaon sailong.", "english"), "real words"


def test_marker_spans_point_at_the_markers_without_overlapping():
    text = (
        "Cook | Leeds\n\nThe role\nYou cook with steady hands.\n~ EUR 2,900 - 3,400 per month\n"
        "Harbour & Finch: the right people, in the right harbour.\n\n\nHARBOUR & FINCH | Baker | Hull\n"
    )
    spans = house_style.marker_spans(text, "english")
    assert [(text[start:end], marker) for start, end, marker in spans] == [
        ("Cook | Leeds", "header"),
        ("The role", "headings"),
        ("steady hands", "phrase"),
        ("~ ", "bullets"),
        ("EUR 2,900 - 3,400 per month", "salary"),
        ("Harbour & Finch: the right people, in the right harbour.", "closing"),
        ("Baker | Hull", "header"),
    ]
    assert all(end <= next_start for (_, end, _), (next_start, _, _) in zip(spans, spans[1:]))
    assert house_style.marker_spans("Plain text, no markers.", "english") == []


def test_the_real_word_share_tells_english_from_letter_soup():
    assert house_style.real_word_share("You will run the early shift in a busy warehouse.") == 1.0
    assert house_style.real_word_share("Tharbour thour wesk the") == pytest.approx(1 / 4)
    assert house_style.real_word_share("~ 123 !!") == 0.0
    for text in corpus.load_texts(corpus.OFF_STYLE_FILE)[:5]:
        assert house_style.real_word_share(text) == 1.0


def test_words_people_write_with_an_apostrophe_or_a_hyphen_are_real_words():
    """The adverts' own "collega's", "e-mail" and "someone's" counted as letter soup, so the people-written adverts
    scored under 100% (the Dutch ones 99.6% on average, 96.7% the lowest)."""
    for text in ("Stuur je cv per e-mail aan onze collega's.", "Join the King's team and help someone's family."):
        assert house_style.real_word_share(text) == 1.0, text
    assert house_style.real_word_share("Our manager's launks") == pytest.approx(2 / 3)
    assert house_style.real_word_share("c|&&'s es,ing e-mzil") == 0.0
    for style in corpus.HOUSE_STYLES.values():
        for text in corpus.load_texts(style.file):
            assert house_style.real_word_share(text) > 0.995, text[:80]


def test_a_chunk_measures_the_held_out_losses_only_when_asked(generic):
    config, params, _ = generic
    data = fine_tuning.fine_tuning_data(corpus.fine_tuning_texts("english", 10), config.context)
    state = train.init_lm_state(params, 1e-3, 0, config=config)
    measured_state, measured = train.train_chunk(state, data, 100, True, config=config)
    skipped_state, skipped = train.train_chunk(state, data, 100, False, config=config)
    expected = train.evaluate(measured_state.params, data, config=config)
    for key in ("heldout_style_loss", "heldout_general_loss"):
        assert float(measured[key]) == pytest.approx(float(expected[key]), rel=1e-5)
        assert np.isnan(float(skipped[key]))
    np.testing.assert_array_equal(measured["train_loss"], skipped["train_loss"])


# ---------------------------------------------------------------- recompiles


def test_learning_rate_temperature_and_seed_never_recompile(generic):
    config, params, _ = generic
    data = fine_tuning.fine_tuning_data(corpus.fine_tuning_texts("english", 10), config.context)
    state = train.init_lm_state(params, 1e-3, 0, config=config)
    train.train_chunk(state, data, 5, config=config)
    sample.sample(config, params, corpus.PROMPT, temperature=0.7, seed=0)
    functions = (train.init_lm_state, train.fresh_params, train.train_chunk, sample.sample_tokens)
    sizes = [compiled_count(f) for f in functions]
    for learning_rate, temperature, seed in ((3e-4, 0.2, 1), (0.1, 1.5, 9999), (1e-3, 1.0, 42)):
        state = train.init_lm_state(train.fresh_params(seed, config=config), learning_rate, seed, config=config)
        train.train_chunk(state, data, 5, seed % 2 == 0, config=config)
        sample.sample(config, params, corpus.PROMPT, temperature=temperature, seed=seed)
    other = corpus.fine_tuning_texts("dutch", 30, 0.5)  # another dataset, same stream capacity
    train.train_chunk(state, fine_tuning.fine_tuning_data(other, config.context), 5, config=config)
    assert [compiled_count(f) for f in functions] == sizes


# ---------------------------------------------------------------- answering


@pytest.fixture(scope="module")
def sure_params():
    """Larger weights make an untrained model sure of its choices, so that rounding never decides between two tokens."""
    return jax.tree.map(lambda weights: 6 * weights, train.fresh_params(3, config=LONG_WINDOW))


def test_the_answer_is_the_most_likely_line_and_its_probability_that_of_its_tokens(sure_params):
    prompt = "Question: When does Bakery Van Dijk open?\nAnswer:"
    text, probability = sample.answer(LONG_WINDOW, sure_params, prompt)
    tokens = list(token_data.encode(prompt))
    written, log_probability = [], 0.0
    for _ in range(sample.ANSWER_TOKENS):  # greedy decoding by recomputing the whole text each time
        everything = np.asarray(tokens, np.int32)[None]
        step_logits = np.asarray(logits(sure_params, everything, config=LONG_WINDOW), np.float64)[0, -1]
        log_probs = step_logits - step_logits.max() - np.log(np.exp(step_logits - step_logits.max()).sum())
        best = int(np.argmax(log_probs))
        tokens.append(best)
        written.append(best)
        log_probability += log_probs[best]
        if "\n" in token_data.decode(written):
            break
    assert text == token_data.decode(written).split("\n", 1)[0]
    assert probability == pytest.approx(np.exp(log_probability), rel=1e-4)


def test_answers_read_the_prompt_at_once_and_write_what_the_step_by_step_kv_cache_writes(sure_params):
    prompts = [
        "Passage 1: 2 May 2024 - Opening time\nThe shop opens at 9:00.\n" * count + "Question: When?\nAnswer:"
        for count in (1, 4, 12)
    ] + ["Question: Who?\nAnswer:"]
    batched = sample.answers(LONG_WINDOW, sure_params, prompts)
    for prompt, (text, probability) in zip(prompts, batched, strict=True):
        ids = token_data.encode(prompt)
        capacity = next(size for size in sample.ANSWER_PROMPT_CAPACITIES if size >= len(ids))
        buffer = np.zeros(capacity + sample.ANSWER_TOKENS, np.int32)
        buffer[: len(ids)] = ids
        tokens, log_probs = sample.greedy_tokens(
            sure_params, buffer, len(ids), config=LONG_WINDOW, length=sample.ANSWER_TOKENS
        )
        end = len(ids) + sample.ANSWER_TOKENS
        expected = sample._answer_line(
            np.asarray(tokens)[len(ids) : end], np.asarray(log_probs)[len(ids) - 1 : end - 1]
        )
        assert text == expected[0] and probability == pytest.approx(expected[1], rel=1e-4)
        assert (text, probability) == pytest.approx(sample.answer(LONG_WINDOW, sure_params, prompt), rel=1e-5)


def test_a_prompt_ending_in_a_space_leaves_the_space_to_the_model(tiny_params):
    with_space, length = sample._prompt_buffer(corpus.PROMPT, sample.ADVERT_TOKENS)
    without, _ = sample._prompt_buffer(corpus.PROMPT.rstrip(), sample.ADVERT_TOKENS)
    np.testing.assert_array_equal(with_space, without)
    assert token_data.decode(with_space[:length]) == corpus.PROMPT.rstrip()
    written = sample.sample(TINY, tiny_params, corpus.PROMPT, seed=3)
    rest = sample.sample(TINY, tiny_params, corpus.PROMPT.rstrip(), seed=3)
    assert written == (rest[1:] if rest.startswith(" ") else rest), "what follows the prompt's own space"
