"""Saving and loading model parameters: an .npz of the parameter arrays plus a JSON of facts.

The JSON holds the architecture (so a checkpoint is only loaded into the model it was made for), the
tokenizer it reads and writes with (its file sits beside the checkpoint; a token id means nothing without it)
and what making it cost: steps, tokens seen, seconds, and the loss curve.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import jax
import jax.numpy as jnp
import numpy as np
from flax import nnx

from core.i18n import tr
from core.lm import tokenizer as tokenizers
from core.lm.model import LMConfig, abstract_params

GENERIC_CHECKPOINT = Path(__file__).resolve().parents[2] / "sample_data" / "lm" / "generic"


def _leaf_name(path) -> str:
    return "/".join(str(getattr(entry, "key", getattr(entry, "idx", entry))) for entry in path)


def _named_leaves(pure: dict) -> dict:
    return {_leaf_name(path): leaf for path, leaf in jax.tree_util.tree_flatten_with_path(pure)[0]}


def tokenizer_facts(path: Path = tokenizers.TOKENIZER_FILE) -> dict:
    """What identifies a tokenizer file: its name, vocabulary size and checksum."""
    return {
        "file": path.name,
        "vocab_size": tokenizers.load(path).get_vocab_size(),
        "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
    }


def check_tokenizer(facts: dict, path: Path) -> None:
    """ValueError, in words, when the tokenizer in `path` is not the one the checkpoint was trained with."""
    tokenizers.check_matches(tokenizers.load(path), facts["architecture"]["vocab_size"])
    if hashlib.sha256(path.read_bytes()).hexdigest() != facts["tokenizer"]["sha256"]:
        raise ValueError(
            tr(
                "The tokenizer file {file} is not the one this model was trained with: its token ids would mean "
                "other pieces of text. Use the {saved} that was saved with the model."
            ).format(file=path.name, saved=facts["tokenizer"]["file"])
        )


def save(stem: Path, config: LMConfig, params: nnx.State, facts: dict) -> None:
    """Write <stem>.npz (parameters) and <stem>.json (architecture, tokenizer and facts)."""
    stem.parent.mkdir(parents=True, exist_ok=True)
    leaves = {name: np.asarray(leaf, np.float32) for name, leaf in _named_leaves(nnx.to_pure_dict(params)).items()}
    np.savez_compressed(stem.with_suffix(".npz"), **leaves)
    document = {"architecture": config.as_dict(), "tokenizer": tokenizer_facts(), **facts}
    stem.with_suffix(".json").write_text(json.dumps(document, indent=1) + "\n")


def read_facts(stem: Path = GENERIC_CHECKPOINT) -> dict:
    return json.loads(stem.with_suffix(".json").read_text())


def load(stem: Path = GENERIC_CHECKPOINT, tokenizer_file: Path = tokenizers.TOKENIZER_FILE):
    """The architecture, parameters and facts of a checkpoint: (LMConfig, nnx.State, dict). ValueError, in words, if
    it does not fit the model or `tokenizer_file` is not the tokenizer it was trained with."""
    facts = read_facts(stem)
    check_tokenizer(facts, tokenizer_file)
    config = LMConfig(**facts["architecture"])
    template = nnx.to_pure_dict(abstract_params(config))
    paths, treedef = jax.tree_util.tree_flatten_with_path(template)
    with np.load(stem.with_suffix(".npz")) as stored:
        values = []
        for path, expected in paths:
            name = _leaf_name(path)
            if name not in stored or stored[name].shape != expected.shape:
                raise ValueError(
                    tr("the checkpoint does not fit the current model (parameter {name})").format(name=name)
                )
            values.append(jnp.asarray(stored[name]))
    params = abstract_params(config)
    nnx.replace_by_pure_dict(params, jax.tree_util.tree_unflatten(treedef, values))
    return config, params, facts
