"""Saving and loading model parameters: an .npz of the parameter arrays plus a JSON of facts.

The JSON holds the architecture (so a checkpoint is only loaded into the model it was made for)
and what making it cost: steps, characters seen, seconds, and the loss curve.
"""

from __future__ import annotations

import json
from pathlib import Path

import jax
import jax.numpy as jnp
import numpy as np
from flax import nnx

from core.lm.model import LMConfig, abstract_params

GENERIC_CHECKPOINT = Path(__file__).resolve().parents[2] / "sample_data" / "lm" / "generic"


def _leaf_name(path) -> str:
    return "/".join(str(getattr(entry, "key", getattr(entry, "idx", entry))) for entry in path)


def _named_leaves(pure: dict) -> dict:
    return {_leaf_name(path): leaf for path, leaf in jax.tree_util.tree_flatten_with_path(pure)[0]}


def save(stem: Path, config: LMConfig, params: nnx.State, facts: dict) -> None:
    """Write <stem>.npz (parameters) and <stem>.json (architecture and facts)."""
    stem.parent.mkdir(parents=True, exist_ok=True)
    leaves = {name: np.asarray(leaf, np.float32) for name, leaf in _named_leaves(nnx.to_pure_dict(params)).items()}
    np.savez_compressed(stem.with_suffix(".npz"), **leaves)
    document = {"architecture": config.as_dict(), **facts}
    stem.with_suffix(".json").write_text(json.dumps(document, indent=1) + "\n")


def read_facts(stem: Path = GENERIC_CHECKPOINT) -> dict:
    return json.loads(stem.with_suffix(".json").read_text())


def load(stem: Path = GENERIC_CHECKPOINT) -> tuple[LMConfig, nnx.State, dict]:
    """The architecture, parameters and facts of a checkpoint; ValueError if it does not fit the model."""
    facts = read_facts(stem)
    config = LMConfig(**facts["architecture"])
    template = nnx.to_pure_dict(abstract_params(config))
    paths, treedef = jax.tree_util.tree_flatten_with_path(template)
    with np.load(stem.with_suffix(".npz")) as stored:
        values = []
        for path, expected in paths:
            name = _leaf_name(path)
            if name not in stored or stored[name].shape != expected.shape:
                raise ValueError(f"the checkpoint does not fit the current model (parameter {name})")
            values.append(jnp.asarray(stored[name]))
    params = abstract_params(config)
    nnx.replace_by_pure_dict(params, jax.tree_util.tree_unflatten(treedef, values))
    return config, params, facts
