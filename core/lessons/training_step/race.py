"""Three optimizers walk down the same valley: plain gradient descent, momentum and Adam.

The line fit of core.lessons.training_step.stepper (full batch, same start) trained for RACE_STEPS steps by each
optimizer at one learning rate, in one jitted call. The optimizers are built once here; the learning rate is a traced
input of each (optax.inject_hyperparams), so moving the slider never recompiles.
"""

from __future__ import annotations

from dataclasses import dataclass

import jax
import jax.numpy as jnp
import numpy as np
import optax

from core.engine.run import blew_up, first_blow_up
from core.i18n import tr, tr_later, trn
from core.lessons.training_step.readings import formatted
from core.lessons.training_step.stepper import START, LineProblem, line_loss, loss_grid, view_bounds

RACE_STEPS = 150
MOMENTUM = 0.9
NEAR_BEST = 0.01  # "arrived": the loss is within 1% (of the starting gap) of the lowest possible loss
RACERS = {
    "gradient descent": optax.inject_hyperparams(optax.sgd)(learning_rate=0.1),
    f"momentum {MOMENTUM}": optax.inject_hyperparams(optax.sgd)(learning_rate=0.1, momentum=MOMENTUM),
    "Adam": optax.inject_hyperparams(optax.adam)(learning_rate=0.1),
}
# The racers' names as the learner reads them (RACERS keeps the code's names); Adam is Adam in every language.
RACER_NAMES = {
    "gradient descent": tr_later("gradient descent"),
    f"momentum {MOMENTUM}": tr_later("momentum {momentum}"),
}


def _walk(optimizer, x, y, learning_rate):
    """RACE_STEPS full-batch steps from START: the parameters (RACE_STEPS + 1, 2) and the loss at each."""
    params = jnp.asarray(START, jnp.float32)
    state = optimizer.init(params)
    state.hyperparams["learning_rate"] = jnp.asarray(learning_rate, jnp.float32)

    def one_step(carry, _):
        params, state = carry
        gradient = jax.grad(line_loss)(params, x, y)
        updates, state = optimizer.update(gradient, state, params)
        params = optax.apply_updates(params, updates)
        return (params, state), params

    _, path = jax.lax.scan(one_step, (params, state), None, length=RACE_STEPS)
    path = jnp.concatenate([params[None], path])
    return path, jax.vmap(line_loss, in_axes=(0, None, None))(path, x, y)


@jax.jit
def race_paths(x, y, learning_rate):
    """Every racer's walk. Traced: x, y (n,), learning_rate. Returns paths (racers, RACE_STEPS + 1, 2) and
    losses (racers, RACE_STEPS + 1), racers in the order of RACERS."""
    walks = [_walk(optimizer, x, y, learning_rate) for optimizer in RACERS.values()]
    return jnp.stack([path for path, _ in walks]), jnp.stack([losses for _, losses in walks])


@dataclass(frozen=True)
class Racer:
    name: str
    path: np.ndarray  # (RACE_STEPS + 1, 2) of (w, b)
    losses: np.ndarray  # (RACE_STEPS + 1,) full-data loss
    arrived_at: int | None  # first step within NEAR_BEST of the lowest loss, None if never (or it blew up)
    blew_up: bool

    def losses_until_blow_up(self) -> np.ndarray:
        """The losses, NaN from the step where the run blew up on, so a chart shows where it left."""
        first = first_blow_up(self.losses, float(self.losses[0]))
        return self.losses if first is None else np.where(np.arange(len(self.losses)) < first, self.losses, np.nan)


def race(problem: LineProblem, learning_rate: float) -> list[Racer]:
    """The three optimizers at one learning rate on the problem, with when each reached the valley floor."""
    paths, losses = jax.device_get(race_paths(problem.x, problem.y, float(learning_rate)))
    best = problem.lowest_loss
    racers = []
    for name, path, loss in zip(RACERS, paths, losses, strict=True):
        blown = any(blew_up(float(value), float(loss[0])) for value in loss)
        near = np.flatnonzero(loss - best <= NEAR_BEST * (loss[0] - best))
        arrived = None if blown or not len(near) else int(near[0])
        racers.append(Racer(name, path, loss, arrived, blown))
    return racers


def race_landscape(problem: LineProblem, racers: list[Racer]) -> dict:
    """Loss contours on a view holding the start, the optimum and the racers' paths (a path that blows up
    leaves the view instead of stretching it)."""
    paths = np.concatenate([racer.path[np.isfinite(racer.path).all(axis=1)] for racer in racers])
    w_bounds, b_bounds = view_bounds(problem, paths)
    losses, ws, bs = loss_grid(
        problem.x, problem.y, jnp.asarray(w_bounds, jnp.float32), jnp.asarray(b_bounds, jnp.float32)
    )
    return {"loss": np.asarray(losses), "w": np.asarray(ws), "b": np.asarray(bs)}


def racer_name(name: str) -> str:
    """A racer's name (a key of RACERS) as the learner reads it: "momentum 0.9" is "momentum 0,9" in Dutch."""
    return tr(RACER_NAMES[name]).format(momentum=formatted(MOMENTUM, "g")) if name in RACER_NAMES else name


def race_reading(racers: list[Racer], learning_rate: float) -> str:
    """Who reached the valley floor when, in one sentence per racer."""
    parts = []
    for racer in racers:
        name = racer_name(racer.name)
        if racer.blew_up:
            parts.append(tr("**{name}** blew up").format(name=name))
        elif racer.arrived_at is None:
            parts.append(tr("**{name}** had not arrived after {steps} steps").format(name=name, steps=RACE_STEPS))
        else:
            parts.append(
                trn(
                    "**{name}** arrived after **{count} step**",
                    "**{name}** arrived after **{count} steps**",
                    racer.arrived_at,
                ).format(name=name, count=racer.arrived_at)
            )
    return tr("At learning rate {rate}: {results}.").format(
        rate=formatted(learning_rate, "g"), results="; ".join(parts)
    )
