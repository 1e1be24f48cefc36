"""Gradient descent on a straight line, one step at a time, with every number of each step kept.

The model is y = w·x + b, fitted to one feature of scikit-learn's diabetes data: body-mass index (x) against
disease progression one year later (y). With X = [x, 1] and θ = (w, b) the loss is L(θ) = 1/(2n)·||Xθ − y||², its
gradient is Xᵀ(Xθ − y)/n, and full-batch gradient descent θ ← θ − η·∇L converges exactly when the learning rate
η is below 2/λmax(XᵀX/n): `LineProblem.stability_limit`.

`Stepper` is the state a page keeps: the parameter path, one full-data loss per point, and which phase of the
step on display has been revealed. The jitted functions take the learning rate as a traced value, so moving
the slider never recompiles; shapes come from two batch sizes (a minibatch and the whole data set).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from functools import lru_cache

import jax
import jax.numpy as jnp
import numpy as np

from core.engine.run import Progress, blew_up

FEATURE = "bmi"
SCALINGS = ("0 to 1", "standardized")
# The page's learning rates (its slider and its exercise links), around both scalings' stability limits; a rate
# suggested after a divergence is one of them.
LEARNING_RATES = (0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 0.8, 1.0, 1.2, 1.5, 1.7, 1.9, 2.2, 2.5, 3.0)
START = (-1.0, 1.0)  # (w, b): a clearly wrong line, so the path has somewhere to go
MINIBATCH = 8
CHUNK_STEPS = 10
GRID = 61
SLOW_STEPS = 200  # "too slow": needs more steps than one press of Run to cut the remaining error tenfold
PHASES = ("data", "predictions", "loss", "gradients", "update", "loss after")
UPDATE_PHASE = PHASES.index("update")
LAST_PHASE = len(PHASES) - 1


@dataclass(frozen=True)
class LineProblem:
    """One feature x and the target y, both (n,) float32, scaled so the numbers stay readable."""

    x: np.ndarray
    y: np.ndarray
    scaling: str

    @property
    def n(self) -> int:
        return len(self.x)

    @property
    def design(self) -> np.ndarray:
        """X = [x, 1] as float64 (n, 2): the column of ones carries the intercept b."""
        return np.stack([self.x, np.ones_like(self.x)], axis=1).astype(np.float64)

    @property
    def curvatures(self) -> np.ndarray:
        """Eigenvalues of the loss's Hessian XᵀX/n, smallest first: how steep the valley is in each direction."""
        return np.linalg.eigvalsh(self.design.T @ self.design / self.n)

    @property
    def stability_limit(self) -> float:
        """Full-batch gradient descent converges iff the learning rate is below this (2/λmax)."""
        return float(2.0 / self.curvatures[-1])

    @property
    def best_params(self) -> np.ndarray:
        """The least-squares (w, b): the bottom of the valley."""
        return np.linalg.lstsq(self.design, self.y.astype(np.float64), rcond=None)[0]

    @property
    def lowest_loss(self) -> float:
        """The loss at the bottom of the valley, 1/(2n)·||Xθ* − y||²."""
        residual = self.design @ self.best_params - self.y.astype(np.float64)
        return float(0.5 * np.mean(residual**2))

    def contraction(self, learning_rate: float) -> float:
        """Per full-batch step, the error in the worst direction is multiplied by this: max |1 − η·λ|."""
        return float(np.max(np.abs(1.0 - learning_rate * self.curvatures)))

    def regime(self, learning_rate: float) -> str:
        """ "diverging", "oscillating", "too slow" or "good" for full-batch gradient descent at this rate."""
        if learning_rate >= self.stability_limit:
            return "diverging"
        if learning_rate > 1.0 / self.curvatures[-1]:
            return "oscillating"
        return "too slow" if self.steps_to_tenfold(learning_rate) > SLOW_STEPS else "good"

    def example_rate(self, regime: str, rates) -> float:
        """A learning rate from `rates` that shows `regime`: the smallest diverging one (just past the limit), or
        the middle one of the regime."""
        matching = [rate for rate in sorted(rates) if self.regime(rate) == regime]
        if not matching:
            raise ValueError(f"none of the rates is {regime} on this problem")
        return matching[0] if regime == "diverging" else matching[len(matching) // 2]

    def steady_rate_below(self, learning_rate: float, rates=LEARNING_RATES) -> float:
        """The largest of `rates` below `learning_rate` that takes steady steps downhill (the "good" regime: at most
        half the stability limit, which small batches survive too, measured over 30 seeds); else the smallest rate."""
        steady = [rate for rate in rates if rate < learning_rate and self.regime(rate) == "good"]
        return max(steady) if steady else min(rates)

    def steps_to_tenfold(self, learning_rate: float) -> float:
        """Full-batch steps needed to shrink the remaining error tenfold (inf when it does not shrink)."""
        rate = self.contraction(learning_rate)
        return float(np.log(10.0) / -np.log(rate)) if rate < 1.0 else float("inf")


@lru_cache(maxsize=len(SCALINGS))
def load_line_problem(scaling: str = SCALINGS[0]) -> LineProblem:
    """Body-mass index against disease progression: x scaled to 0..1 or standardized, y standardized.

    Standardizing x as well makes XᵀX/n the identity: a perfectly round bowl whose limit is exactly 2 for any
    feature. Scaling x to 0..1 keeps its mean away from zero, which tilts and stretches the valley as real
    problems are.
    """
    if scaling not in SCALINGS:
        raise ValueError(f"scaling must be one of {', '.join(SCALINGS)}")
    # Imported when first needed: opening a lesson imports no scikit-learn (core.engine.data.DIGITS_FILE).
    from sklearn.datasets import load_diabetes

    diabetes = load_diabetes(scaled=False)
    x = diabetes.data[:, diabetes.feature_names.index(FEATURE)]
    x = (x - x.mean()) / x.std() if scaling == "standardized" else (x - x.min()) / (x.max() - x.min())
    y = (diabetes.target - diabetes.target.mean()) / diabetes.target.std()
    return LineProblem(x.astype(np.float32), y.astype(np.float32), scaling)


def line_loss(params, x, y):
    """L = 1/(2n)·Σ(w·x + b − y)². params (2,) = (w, b); x, y (n,)."""
    residual = params[0] * x + params[1] - y
    return 0.5 * jnp.mean(residual**2)


full_data_loss = jax.jit(line_loss)


@jax.jit
def step_detail(params, x, y, learning_rate):
    """Every number of one gradient-descent step on one batch.

    All arguments traced: params (2,), x and y (batch,), learning_rate a scalar. Compiles once per batch size.
    Returns predictions and per-example losses (batch,), the batch loss, the gradient from jax.grad (2,), the
    updated parameters (2,) and the loss on the same batch after the update.
    """
    predictions = params[0] * x + params[1]
    loss, gradient = jax.value_and_grad(line_loss)(params, x, y)
    new_params = params - learning_rate * gradient
    return {
        "predictions": predictions,
        "per_example_loss": 0.5 * (predictions - y) ** 2,
        "loss": loss,
        "gradient": gradient,
        "new_params": new_params,
        "loss_after": line_loss(new_params, x, y),
    }


@jax.jit
def descend(params, x, y, rows, learning_rate):
    """Gradient-descent steps in one scan: step i uses the examples rows[i].

    Traced: params (2,), x and y (n,), rows (steps, batch) int32, learning_rate a scalar; the shape of rows
    fixes the number of steps and the batch size. Returns the parameters after each step (steps, 2) and
    the full-data loss there (steps,).
    """

    def one_step(params, batch_rows):
        gradient = jax.grad(line_loss)(params, x[batch_rows], y[batch_rows])
        params = params - learning_rate * gradient
        return params, (params, line_loss(params, x, y))

    _, (path, losses) = jax.lax.scan(one_step, params, rows)
    return path, losses


@jax.jit
def loss_grid(x, y, w_bounds, b_bounds):
    """The full-data loss on a GRID x GRID lattice of (w, b), in one vmapped call.

    Traced: x, y (n,), w_bounds and b_bounds (2,) each (lowest, highest). Returns the loss (GRID, GRID)
    indexed [b, w], and the lattice's w (GRID,) and b (GRID,) values.
    """
    ws = jnp.linspace(w_bounds[0], w_bounds[1], GRID)
    bs = jnp.linspace(b_bounds[0], b_bounds[1], GRID)
    w_mesh, b_mesh = jnp.meshgrid(ws, bs)
    points = jnp.stack([w_mesh.ravel(), b_mesh.ravel()], axis=1)
    losses = jax.vmap(line_loss, in_axes=(0, None, None))(points, x, y)
    return losses.reshape(GRID, GRID), ws, bs


@dataclass(frozen=True)
class LineFitHistory:
    """The path so far: (w, b) after each step, (steps + 1, 2), and the full-data loss there, (steps + 1,)."""

    path: np.ndarray
    losses: np.ndarray


@dataclass
class Stepper:
    """Gradient descent on a LineProblem, walked through phase by phase or run many steps at a time.

    The step on display is `shown_step` (0-based); it starts from path[shown_step]. Its update is applied
    when the "update" phase is revealed, so the dot on the landscape moves at that moment.
    """

    problem: LineProblem
    learning_rate: float
    batch_size: int | None = None  # None: full batch, every example in every step
    seed: int = 0
    path: list = field(default_factory=lambda: [np.asarray(START, np.float32)])
    losses: list = field(default_factory=list)  # full-data loss at each point of the path
    step_rates: list = field(default_factory=list)  # the learning rate each committed step used
    shown_step: int = 0
    phase: int = 0
    diverged_at: int | None = None  # 1-based step whose result blew up; the path stops before it
    diverged_rate: float | None = None  # the learning rate of that step (the slider may have moved since)
    target_steps: int = 0  # where `advance()` is heading: set by run_for
    seconds: float = 0.0

    def __post_init__(self):
        if not (self.learning_rate > 0 and np.isfinite(self.learning_rate)):
            raise ValueError("learning rate must be a positive number")
        self._x, self._y = jnp.asarray(self.problem.x), jnp.asarray(self.problem.y)
        self.losses = [float(full_data_loss(jnp.asarray(self.path[0]), self._x, self._y))]

    @property
    def steps_done(self) -> int:
        return len(self.path) - 1

    # ---- the Run protocol (core.engine.run): Run takes `run_for(n)` steps live, chunk by chunk

    @property
    def failure(self) -> str | None:
        return None if self.diverged_at is None else "blew_up"

    @property
    def finished(self) -> bool:
        return self.diverged_at is not None or self.steps_done >= self.target_steps

    def progress(self) -> Progress:
        return Progress(self.steps_done, max(self.target_steps, self.steps_done), "step")

    def history(self) -> LineFitHistory:
        return LineFitHistory(np.asarray(self.path), np.asarray(self.losses))

    def comparison(self) -> None:
        return None  # the landscape shows the whole path already

    def run_for(self, steps: int) -> None:
        """Head `steps` steps further than now; `advance()` then takes them one chunk at a time."""
        self.target_steps = self.steps_done + steps

    @property
    def params(self) -> np.ndarray:
        return self.path[-1]

    @property
    def full_batch(self) -> bool:
        return self.batch_size is None or self.batch_size >= self.problem.n

    def batch_rows(self, step: int) -> np.ndarray:
        """The examples step `step` uses: all of them, or a minibatch drawn from the seed and the step number."""
        if self.full_batch:
            return np.arange(self.problem.n)
        rng = np.random.default_rng([self.seed, step])
        return np.sort(rng.choice(self.problem.n, self.batch_size, replace=False))

    def detail(self) -> dict:
        """Every number of the step on display, as NumPy, with the rows and learning rate it used."""
        rows = self.batch_rows(self.shown_step)
        committed = self.shown_step < self.steps_done
        rate = self.step_rates[self.shown_step] if committed else self.learning_rate
        numbers = step_detail(jnp.asarray(self.path[self.shown_step]), self._x[rows], self._y[rows], float(rate))
        numbers = {name: np.asarray(value) for name, value in jax.device_get(numbers).items()}
        return {
            **numbers,
            "rows": rows,
            "x": self.problem.x[rows],
            "y": self.problem.y[rows],
            "params": self.path[self.shown_step],
            "learning_rate": rate,
        }

    def next_phase(self) -> None:
        """Reveal the next phase; after the last one, move on to the next step."""
        if self.diverged_at is not None:
            return
        if self.phase == LAST_PHASE:
            self.shown_step, self.phase = self.steps_done, 0
            return
        self.phase += 1
        if self.phase == UPDATE_PHASE and self.shown_step == self.steps_done:
            self._commit(self.detail()["new_params"])

    def step(self) -> None:
        """Finish the step on display (or take the next one) and reveal all its phases."""
        if self.diverged_at is not None:
            return
        if self.shown_step < self.steps_done:
            self.shown_step = self.steps_done
        self._commit(self.detail()["new_params"])
        self.phase = LAST_PHASE

    def advance(self) -> bool:
        """Take the next CHUNK_STEPS steps in one jitted call. True while steps towards the target remain."""
        if self.finished:
            return False
        started = time.perf_counter()
        rows = np.stack([self.batch_rows(self.steps_done + i) for i in range(CHUNK_STEPS)]).astype(np.int32)
        path, losses = descend(jnp.asarray(self.params), self._x, self._y, jnp.asarray(rows), float(self.learning_rate))
        self._extend(np.asarray(path), np.asarray(losses))
        self.seconds += time.perf_counter() - started
        return not self.finished

    def train_steps(self, steps: int) -> None:
        """Take `steps` more steps (a multiple of CHUNK_STEPS), or fewer if the run blows up."""
        self.run_for(steps)
        while self.advance():
            pass

    def _commit(self, new_params: np.ndarray) -> None:
        loss = float(full_data_loss(jnp.asarray(new_params), self._x, self._y))
        self._extend(np.asarray(new_params)[None], np.asarray([loss]))

    def _extend(self, path: np.ndarray, losses: np.ndarray) -> None:
        """Append steps up to (not including) the first whose loss is non-finite or huge."""
        start_loss = self.losses[0]
        blown = [
            blew_up(loss, start_loss) or not np.isfinite(point).all() for point, loss in zip(path, losses, strict=True)
        ]
        keep = blown.index(True) if any(blown) else len(path)
        self.step_rates.extend([float(self.learning_rate)] * keep)
        self.path.extend(np.asarray(point, np.float32) for point in path[:keep])
        self.losses.extend(float(loss) for loss in losses[:keep])
        if keep < len(path):
            self.diverged_at, self.diverged_rate = self.steps_done + 1, float(self.learning_rate)
        self.shown_step = min(self.shown_step, self.steps_done)
        # Show the last step taken, whole; unless it is the step on display, whose update a press of Next just made
        # (a run that took a single step before it diverged showed that step's first phase, as if not yet taken).
        passed_it = self.shown_step < self.steps_done - 1
        taken_unseen = self.shown_step == self.steps_done - 1 and self.phase < UPDATE_PHASE
        if keep and (passed_it or taken_unseen):
            self.shown_step, self.phase = self.steps_done - 1, LAST_PHASE

    def landscape(self) -> dict:
        """Contours of the full-data loss on a view that holds the start, the optimum and (most of) the path."""
        w_bounds, b_bounds = view_bounds(self.problem, np.asarray(self.path))
        losses, ws, bs = loss_grid(
            self._x, self._y, jnp.asarray(w_bounds, jnp.float32), jnp.asarray(b_bounds, jnp.float32)
        )
        return {"loss": np.asarray(losses), "w": np.asarray(ws), "b": np.asarray(bs)}


def view_bounds(problem: LineProblem, path: np.ndarray, margin: float = 1.0, widest: float = 3.0):
    """(w_low, w_high), (b_low, b_high): the start and the optimum plus a margin, widened to show the path
    but never beyond `widest` times the base view (a diverging path leaves the chart instead of shrinking it)."""
    anchors = np.stack([np.asarray(START), problem.best_params])
    low, high = anchors.min(axis=0) - margin, anchors.max(axis=0) + margin
    centre, half = (low + high) / 2, (high - low) / 2
    low = np.maximum(np.minimum(low, path.min(axis=0)), centre - widest * half)
    high = np.minimum(np.maximum(high, path.max(axis=0)), centre + widest * half)
    return (float(low[0]), float(high[0])), (float(low[1]), float(high[1]))
