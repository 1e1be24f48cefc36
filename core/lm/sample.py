"""Writing text with the token model: jitted sampling with a key-value cache, and the slow reference.

`sample` feeds the prompt and then its own output back one token at a time inside one `lax.while_loop` that ends at
the gap which ends a text; each step only computes the new token's keys and values and reads the rest from the cache.
`sample_by_recomputing` runs the whole window through the model for every token: the same text, several times
slower, kept as the reference the fast path is tested and timed against.
"""

from __future__ import annotations

from functools import lru_cache, partial

import jax
import jax.numpy as jnp
import numpy as np

from core.i18n import tr
from core.lm import corpus
from core.lm.model import LMConfig, empty_cache, model_of
from core.lm.token_data import decode, encode, shipped_tokenizer

# Prompts are padded to the smaller of these lengths (in tokens) that holds them, so all prompts share two compiles:
# the house prompt (16 tokens) and a whole first line typed by a learner (up to 63 characters, at most 64 tokens).
PROMPT_CAPACITIES = (16, 64)
PROMPT_CAPACITY = PROMPT_CAPACITIES[-1]  # the longest prompt; longer ones keep their last tokens
# A whole advert is 230-440 tokens; the longest prompt and 448 tokens fill the 512-token context exactly, so the
# model sees the whole prompt while it writes.
ADVERT_TOKENS = 448
SAMPLE_LENGTHS = (ADVERT_TOKENS,)
MIN_TEMPERATURE = 0.05


def _next_token(logits, noise, temperature):
    """A token drawn from softmax(logits / temperature), given Gumbel noise for each token of the vocabulary: the
    most likely token after adding the noise (the Gumbel-max trick, what jax.random.categorical does inside). The
    noise for every position is drawn once before the loop, which costs less than drawing it token by token.

    No truncation (top-k, top-p, min-p): at the page's temperature (0.3) the tokens it would cut are already almost
    never drawn. Measured over 5 seeds of the default English run, 16 adverts each: min-p 0.05 to 0.2 left the share
    of real words at 96.8-96.9% (96.8% without)."""
    return jnp.argmax(logits / jnp.maximum(temperature, MIN_TEMPERATURE) + noise[None], axis=-1)


def _noise(seed, positions: int, vocab_size: int):
    return jax.random.gumbel(jax.random.key(seed), (positions, vocab_size))


def _prompt_buffer(prompt: str, length: int) -> tuple[np.ndarray, int]:
    """The prompt's tokens in a zero-padded buffer of (prompt capacity) + length, and the prompt's length.

    Spaces at the prompt's end are left for the model to write: in the texts it learned from, a space is part of the
    token of the word after it ("| Cook" is "|", " Cook"), so a prompt ending in a lone space token ("| ", " ") asks
    it to go on from something it has never seen, and it writes worse (sample() takes the space off what it wrote).
    """
    return _padded_prompt(encode(prompt.rstrip(" ")), PROMPT_CAPACITIES, length)


def _padded_prompt(tokens: np.ndarray, capacities: tuple[int, ...], length: int) -> tuple[np.ndarray, int]:
    """The last capacities[-1] tokens in a zero-padded buffer of the smallest capacity that holds them + length, and
    how many tokens are the prompt's."""
    tokens = tokens[-capacities[-1] :]
    if len(tokens) == 0:
        raise ValueError(tr("the prompt needs at least one token"))
    capacity = next(size for size in capacities if size >= len(tokens))
    buffer = np.zeros(capacity + length, np.int32)
    buffer[: len(tokens)] = tokens
    return buffer, len(tokens)


def _choose(tokens, position, prompt_length, logits, noise, temperature):
    """The token at position + 1: the prompt's own while inside the prompt, otherwise a sampled one."""
    sampled = _next_token(logits, noise, temperature)[0]
    chosen = jnp.where(position + 1 < prompt_length, tokens[position + 1], sampled)
    return tokens.at[position + 1].set(chosen)


END_NEWLINES = corpus.SEPARATOR.count("\n")  # a written text ends with the blank gap that ends every training text


@lru_cache(maxsize=1)
def newline_table() -> np.ndarray:
    """For each token id: (newlines it starts with, newlines it ends with, 1 if it is nothing but newlines), so that a
    sampling loop can follow how many newlines in a row the text written so far ends with."""
    table = np.zeros((shipped_tokenizer().get_vocab_size(), 3), np.int32)
    for token in range(len(table)):
        text = decode(np.array([token]))
        table[token] = (len(text) - len(text.lstrip("\n")), len(text) - len(text.rstrip("\n")), text.strip("\n") == "")
        if "\n" * END_NEWLINES in text.strip("\n"):  # a gap inside one token: count it as ending there
            table[token, 0] = END_NEWLINES
    return table


def _newlines_after(run, token, table):
    """How many newlines in a row the text ends with after `token`, given `run` before it, and whether the
    text reached the ending gap with it."""
    leading, trailing, only_newlines = table[token, 0], table[token, 1], table[token, 2]
    ended = run + leading >= END_NEWLINES
    return jnp.where(only_newlines == 1, run + leading, trailing), ended


def _write_until_the_end(next_buffer, tokens, prompt_length, length, state, table):
    """Run `next_buffer(position, tokens, state) -> (tokens, state)` from position 0 until the buffer holds
    prompt_length + length tokens or the written part has reached the ending gap. Returns the buffer and the number
    of tokens written after the prompt (the buffer is zero after them)."""

    def not_done(carry):
        position, _, _, _, ended = carry
        return (position < prompt_length + length - 1) & ~ended

    def one_token(carry):
        position, tokens, state, run, _ = carry
        tokens, state = next_buffer(position, tokens, state)
        written = position + 1 >= prompt_length
        run, ended = _newlines_after(run, tokens[position + 1], table)
        return position + 1, tokens, state, jnp.where(written, run, 0), written & ended

    start = (jnp.int32(0), tokens, state, jnp.int32(0), jnp.bool_(False))
    position, tokens, _, _, _ = jax.lax.while_loop(not_done, one_token, start)
    return tokens, position + 1 - prompt_length


@partial(jax.jit, static_argnames=("config", "length"))
def sample_tokens(params, tokens, prompt_length, seed, temperature, table, *, config: LMConfig, length: int):
    """Continue a prompt by up to `length` tokens using the KV cache, stopping early at the blank gap with which
    every training text ends (the tokens after it are never computed).

    Static: config, length. Traced: params, tokens ((capacity + length,) int32 with capacity one of
    PROMPT_CAPACITIES, the prompt at the start; each capacity compiles once), prompt_length (int32), seed (int),
    temperature (float), table (newline_table()). Returns the buffer and how many tokens were written.
    """
    model = model_of(config, params)
    noise = _noise(seed, tokens.shape[0] - 1, config.vocab_size)

    def next_buffer(position, tokens, cache):
        logits, cache = model.step(tokens[position][None], position, cache)
        return _choose(tokens, position, prompt_length, logits, noise[position], temperature), cache

    return _write_until_the_end(next_buffer, tokens, prompt_length, length, empty_cache(config, 1), table)


@partial(jax.jit, static_argnames=("config", "length"))
def sample_tokens_by_recomputing(
    params, tokens, prompt_length, seed, temperature, table, *, config: LMConfig, length: int
):
    """The same as `sample_tokens` without a cache: the last `context` tokens are rerun every step."""
    model = model_of(config, params)
    noise = _noise(seed, tokens.shape[0] - 1, config.vocab_size)

    window_size = min(config.context, tokens.shape[0])

    def next_buffer(position, tokens, nothing):
        start = jnp.maximum(position + 1 - window_size, 0)  # the window ends at `position` once it is full
        window = jax.lax.dynamic_slice_in_dim(tokens, start, window_size)
        logits = model(window[None])[:, position - start]
        return _choose(tokens, position, prompt_length, logits, noise[position], temperature), nothing

    return _write_until_the_end(next_buffer, tokens, prompt_length, length, jnp.int32(0), table)


@partial(jax.jit, static_argnames=("config",))
def cached_logits(params, tokens, *, config: LMConfig):
    """Logits (time, vocab) for tokens (time,) computed one token at a time through the KV cache,
    as sampling does. Static: config. Traced: params, tokens."""
    model = model_of(config, params)

    def one_token(cache, position):
        step_logits, cache = model.step(tokens[position][None], position, cache)
        return cache, step_logits[0]

    _, all_logits = jax.lax.scan(one_token, empty_cache(config, 1), jnp.arange(tokens.shape[0]))
    return all_logits


def sample(
    config: LMConfig,
    params,
    prompt: str,
    *,
    length: int = ADVERT_TOKENS,
    temperature: float = 0.8,
    seed: int = 0,
    use_cache: bool = True,
) -> str:
    """What the model writes after `prompt` in at most `length` tokens, up to and with the blank gap that ends a text
    (the prompt itself not included; see _prompt_buffer for a prompt that ends in spaces)."""
    sampler = sample_tokens if use_cache else sample_tokens_by_recomputing
    return _sample_each(sampler, config, [params], prompt, length, temperature, seed)[0]


def sample_each(
    config: LMConfig,
    params_of_each,
    prompt: str,
    *,
    length: int = ADVERT_TOKENS,
    temperature: float = 0.8,
    seed: int = 0,
) -> list[str]:
    """`sample` (with the KV cache) by several models of one architecture from the same prompt and random numbers.
    Every model's loop is started before any is read, so models whose parameters live on different devices (one per
    core) write at the same time."""
    return _sample_each(sample_tokens, config, params_of_each, prompt, length, temperature, seed)


def _sample_each(sampler, config, params_of_each, prompt, length, temperature, seed) -> list[str]:
    if length not in SAMPLE_LENGTHS:
        raise ValueError(f"length must be one of {SAMPLE_LENGTHS}")
    buffer, prompt_length = _prompt_buffer(prompt, length)
    started = [
        sampler(
            params,
            jnp.asarray(buffer),
            prompt_length,
            int(seed),
            float(temperature),
            newline_table(),
            config=config,
            length=length,
        )
        for params in params_of_each
    ]
    return [written_after(prompt, np.asarray(tokens), prompt_length, int(count)) for tokens, count in started]


def written_after(prompt: str, tokens: np.ndarray, prompt_length: int, count: int) -> str:
    """The text of the `count` tokens a sampler wrote after the prompt in its buffer, less the spaces the prompt
    ended with (_prompt_buffer left them for the model to write)."""
    written = decode(tokens[prompt_length : prompt_length + count])
    trailing = prompt[len(prompt.rstrip(" ")) :]
    return written[len(trailing) :] if written.startswith(trailing) else written


# ---------------------------------------------------------------- answering a question: the most likely words


# Question prompts (a question alone, or retrieved passages and a question) are padded to the smallest of these
# lengths in tokens that holds them; an answer is a short line (a time, a price, a name).
ANSWER_PROMPT_CAPACITIES = (64, 256, 448)
ANSWER_TOKENS = 16


@partial(jax.jit, static_argnames=("config", "length"))
def greedy_tokens(params, tokens, prompt_length, *, config: LMConfig, length: int):
    """Continue a prompt by `length` tokens, each the model's most likely next token, using the KV cache; the loop
    ends there, however much room the buffer has left.

    Static: config, length. Traced: params, tokens ((capacity + length,) int32, the prompt at the start),
    prompt_length (int32). Returns the buffer and, for each position i, the log-probability the model gave the token
    at position i + 1 ((capacity + length - 1,) float32; 0 after the last position written).
    """
    model = model_of(config, params)

    def one_token(carry):
        position, tokens, cache, log_probs = carry
        logits, cache = model.step(tokens[position][None], position, cache)
        step_log_probs = jax.nn.log_softmax(logits[0])
        chosen = jnp.where(position + 1 < prompt_length, tokens[position + 1], jnp.argmax(step_log_probs))
        return (
            position + 1,
            tokens.at[position + 1].set(chosen),
            cache,
            log_probs.at[position].set(step_log_probs[chosen]),
        )

    start = (jnp.int32(0), tokens, empty_cache(config, 1), jnp.zeros(tokens.shape[0] - 1, jnp.float32))
    last = prompt_length + length - 1
    _, tokens, _, log_probs = jax.lax.while_loop(lambda carry: carry[0] < last, one_token, start)
    return tokens, log_probs


@partial(jax.jit, static_argnames=("config", "length"))
def greedy_after_prefill(params, tokens, prompt_length, *, config: LMConfig, length: int):
    """greedy_tokens, faster: the prompt goes through the model all at once (filling the KV cache), then `length`
    tokens are written one at a time. The same tokens up to float rounding (a test checks).

    Static: config, length. Traced: params, tokens ((capacity,) int32, the prompt at the start, capacity <= context -
    length), prompt_length (int32). Returns the `length` tokens written and the log-probability of each.
    """
    model = model_of(config, params)
    logits, cache = model.prefill(tokens[None], prompt_length)
    first_log_probs = jax.nn.log_softmax(logits[0, prompt_length - 1])
    first = jnp.argmax(first_log_probs)

    def one_token(carry, _):
        position, token, cache = carry
        logits, cache = model.step(token[None], position, cache)
        log_probs = jax.nn.log_softmax(logits[0])
        chosen = jnp.argmax(log_probs)
        return (position + 1, chosen, cache), (chosen, log_probs[chosen])

    start = (prompt_length, first, cache)
    _, (rest, rest_log_probs) = jax.lax.scan(one_token, start, None, length=length - 1)
    return jnp.concatenate([first[None], rest]), jnp.concatenate([first_log_probs[first][None], rest_log_probs])


def _answer_line(written: np.ndarray, log_probs: np.ndarray) -> tuple[str, float]:
    """The first line of the written tokens, and the probability of that line and the line break ending it."""
    for count in range(1, len(written) + 1):
        if "\n" in decode(written[:count]):
            break
    text = decode(written[:count]).split("\n", 1)[0]
    return text, float(np.exp(log_probs[:count].astype(np.float64).sum()))


def answer(config: LMConfig, params, prompt: str) -> tuple[str, float]:
    """The model's most likely answer after `prompt`: the first line it writes, and the probability it gives that
    line and the line break that ends it (the product of its tokens' probabilities: how sure it is). A line that
    does not end within ANSWER_TOKENS tokens is returned as far as it got, with the probability of that part."""
    return answers(config, params, [prompt])[0]


def answers(config: LMConfig, params, prompts) -> list[tuple[str, float]]:
    """`answer` for each prompt, ANSWER_BATCH at a time (vmapped; a last, smaller group is padded)."""
    if ANSWER_PROMPT_CAPACITIES[-1] + ANSWER_TOKENS > config.context:
        raise ValueError(
            f"a model that answers needs a context of at least {ANSWER_PROMPT_CAPACITIES[-1] + ANSWER_TOKENS}"
        )
    replies = []
    for first in range(0, len(prompts), ANSWER_BATCH):
        group = list(prompts[first : first + ANSWER_BATCH])
        encoded = [encode(prompt)[-ANSWER_PROMPT_CAPACITIES[-1] :] for prompt in group]
        if min(len(ids) for ids in encoded) == 0:
            raise ValueError(tr("the prompt needs at least one token"))
        capacity = next(size for size in ANSWER_PROMPT_CAPACITIES if size >= max(len(ids) for ids in encoded))
        batch = ANSWER_BATCH if len(group) > 1 else 1  # one question alone is not padded to a batch
        buffers = np.zeros((batch, capacity), np.int32)
        lengths = np.ones(batch, np.int32)
        for row, ids in enumerate(encoded):
            buffers[row, : len(ids)], lengths[row] = ids, len(ids)
        written, log_probs = _greedy_of_many(params, jnp.asarray(buffers), jnp.asarray(lengths), config=config)
        written, log_probs = np.asarray(written), np.asarray(log_probs)
        replies += [_answer_line(written[row], log_probs[row]) for row in range(len(group))]
    return replies


ANSWER_BATCH = 32  # prompts `answers` writes at once: one compile per prompt capacity, and one for a single prompt


@partial(jax.jit, static_argnames=("config",))
def _greedy_of_many(params, tokens, prompt_lengths, *, config: LMConfig):
    """greedy_after_prefill for a batch of prompt buffers (batch, capacity), vmapped. Static: config."""
    one = partial(greedy_after_prefill, config=config, length=ANSWER_TOKENS)
    return jax.vmap(one, in_axes=(None, 0, 0))(params, tokens, prompt_lengths)
