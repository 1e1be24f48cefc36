"""The Flax models. Only modules live here; training lives in core.engine.train.

An `Architecture` is a small frozen description (hashable, so it can be a static jit argument);
its widths and depths come from fixed sets so that only a handful of shapes is ever compiled.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import jax
from flax import nnx

from core.i18n import tr

WIDTHS = (8, 16, 32, 64, 128, 256)
MAX_DEPTH = 4
ACTIVATIONS = {"relu": nnx.relu, "tanh": nnx.tanh, "sigmoid": nnx.sigmoid, "linear": lambda x: x}


@dataclass(frozen=True)
class Architecture:
    """A multilayer perceptron: inputs -> hidden layers -> one logit per class."""

    in_features: int
    hidden: tuple[int, ...]
    num_classes: int
    activation: str = "relu"

    def __post_init__(self):
        if len(self.hidden) > MAX_DEPTH or any(width not in WIDTHS for width in self.hidden):
            raise ValueError(
                tr("hidden layers must be at most {depth} widths from {widths}").format(depth=MAX_DEPTH, widths=WIDTHS)
            )
        if self.activation not in ACTIVATIONS:
            raise ValueError(tr("activation must be one of {names}").format(names=", ".join(ACTIVATIONS)))


class MLP(nnx.Module):
    """Dense layers with a nonlinearity between them; the last layer gives logits."""

    def __init__(self, architecture: Architecture, rngs: nnx.Rngs):
        sizes = (architecture.in_features, *architecture.hidden)
        self.hidden_layers = nnx.List([nnx.Linear(a, b, rngs=rngs) for a, b in zip(sizes[:-1], sizes[1:])])
        self.output_layer = nnx.Linear(sizes[-1], architecture.num_classes, rngs=rngs)
        self.activation = architecture.activation

    def __call__(self, x: jax.Array) -> jax.Array:
        for layer in self.hidden_layers:
            x = ACTIVATIONS[self.activation](layer(x))
        return self.output_layer(x)


def init_params(architecture: Architecture, key: jax.Array) -> nnx.State:
    """Fresh parameters. Call inside a jit: building a module eagerly compiles every op once."""
    return nnx.state(MLP(architecture, nnx.Rngs(params=key)), nnx.Param)


@lru_cache(maxsize=64)
def graphdef_of(architecture: Architecture) -> nnx.GraphDef:
    """The static structure of the model, found by shape inference alone (no real arrays)."""
    return nnx.graphdef(nnx.eval_shape(lambda: MLP(architecture, nnx.Rngs(0))))


def apply_model(architecture: Architecture, params: nnx.State, x: jax.Array) -> jax.Array:
    """Logits (batch, classes) of the model with these parameters."""
    return nnx.merge(graphdef_of(architecture), params)(x)


def count_params(architecture: Architecture) -> int:
    sizes = (architecture.in_features, *architecture.hidden, architecture.num_classes)
    return sum((a + 1) * b for a, b in zip(sizes[:-1], sizes[1:]))


def params_as_layers(params: nnx.State) -> list[tuple]:
    """The parameters as a plain list of (kernel (in, out), bias (out,)) arrays, input layer first."""
    pure = nnx.to_pure_dict(params)
    hidden = pure.get("hidden_layers", {})  # absent when there is no hidden layer
    dense = [hidden[i] for i in sorted(hidden)] + [pure["output_layer"]]
    return [(layer["kernel"], layer["bias"]) for layer in dense]
