"""Optimizers in NumPy, the loss surfaces they descend, and mini-batch sizes (notebook 04)."""

from __future__ import annotations

import numpy as np

from .. import validate
from ..language import N_  # the names are the widgets' labels too


class NumpyOptimizer:
    """Base class: ``step(w, g)`` returns the new weights; state lives in the object.

    Each subclass follows the update rule of the Keras 3 optimizer of the same
    name (same defaults), so the tests can compare them step by step.
    """

    def __init__(self, learning_rate: float):
        self.learning_rate = validate.number(type(self).__name__, "learning_rate", learning_rate, low=0, low_open=True)
        self.iterations = 0

    def _unit(self, name: str, value, high_open: bool = True) -> float:
        """A decay rate such as momentum, rho or beta: in [0, 1)."""
        return validate.number(type(self).__name__, name, value, low=0, high=1, high_open=high_open)

    def _positive(self, name: str, value) -> float:
        return validate.number(type(self).__name__, name, value, low=0, low_open=True)

    def step(self, w, g):
        who = f"{type(self).__name__}.step"
        w = validate.array(who, "w", w)
        g = validate.array(who, "g", g)
        if w.shape != g.shape:
            raise ValueError(f"{who}: the gradient g must have the weights' shape {w.shape}, got {g.shape}.")
        new = self._update(w, g)
        self.iterations += 1
        return new


class SGD(NumpyOptimizer):
    """w -= lr * g; with momentum: v = momentum * v - lr * g, w += v (Nesterov: w += momentum * v - lr * g)."""

    def __init__(self, learning_rate: float = 0.01, momentum: float = 0.0, nesterov: bool = False):
        super().__init__(learning_rate)
        self.momentum, self.nesterov, self.velocity = self._unit("momentum", momentum), bool(nesterov), None

    def _update(self, w, g):
        if self.momentum == 0:
            return w - self.learning_rate * g
        if self.velocity is None:
            self.velocity = np.zeros_like(w)
        self.velocity = self.momentum * self.velocity - self.learning_rate * g
        if self.nesterov:
            return w + self.momentum * self.velocity - self.learning_rate * g
        return w + self.velocity


class Adagrad(NumpyOptimizer):
    """Sum of squared gradients per weight; each weight's step shrinks as its sum grows."""

    def __init__(self, learning_rate: float = 0.001, initial_accumulator_value: float = 0.1, epsilon: float = 1e-7):
        super().__init__(learning_rate)
        self.initial = validate.number("Adagrad", "initial_accumulator_value", initial_accumulator_value, low=0)
        self.epsilon, self.accumulator = self._positive("epsilon", epsilon), None

    def _update(self, w, g):
        if self.accumulator is None:
            self.accumulator = np.full_like(w, self.initial)
        self.accumulator = self.accumulator + g**2
        return w - self.learning_rate * g / np.sqrt(self.accumulator + self.epsilon)


class RMSprop(NumpyOptimizer):
    """Like Adagrad, but an exponentially weighted average of squared gradients, so steps do not die out."""

    def __init__(self, learning_rate: float = 0.001, rho: float = 0.9, epsilon: float = 1e-7):
        super().__init__(learning_rate)
        self.rho, self.epsilon, self.velocity = self._unit("rho", rho), self._positive("epsilon", epsilon), None

    def _update(self, w, g):
        if self.velocity is None:
            self.velocity = np.zeros_like(w)
        self.velocity = self.rho * self.velocity + (1 - self.rho) * g**2
        return w - self.learning_rate * g / np.sqrt(self.velocity + self.epsilon)


class Adam(NumpyOptimizer):
    """Momentum (first moment) + RMSprop (second moment), both bias-corrected."""

    def __init__(self, learning_rate: float = 0.001, beta_1: float = 0.9, beta_2: float = 0.999,
                 epsilon: float = 1e-7):
        super().__init__(learning_rate)
        self.beta_1, self.beta_2 = self._unit("beta_1", beta_1), self._unit("beta_2", beta_2)
        self.epsilon = self._positive("epsilon", epsilon)
        self.m = self.v = None

    def _update(self, w, g):
        if self.m is None:
            self.m, self.v = np.zeros_like(w), np.zeros_like(w)
        t = self.iterations + 1
        alpha = self.learning_rate * np.sqrt(1 - self.beta_2**t) / (1 - self.beta_1**t)
        self.m = self.m + (g - self.m) * (1 - self.beta_1)
        self.v = self.v + (g**2 - self.v) * (1 - self.beta_2)
        return w - alpha * self.m / (np.sqrt(self.v) + self.epsilon)


class Nadam(Adam):
    """Adam with a Nesterov look-ahead on the first moment (Keras's momentum schedule)."""

    def __init__(self, learning_rate: float = 0.001, beta_1: float = 0.9, beta_2: float = 0.999,
                 epsilon: float = 1e-7):
        super().__init__(learning_rate, beta_1, beta_2, epsilon)
        self.u_product = 1.0

    def _update(self, w, g):
        if self.m is None:
            self.m, self.v = np.zeros_like(w), np.zeros_like(w)
        t = self.iterations + 1
        u_t = self.beta_1 * (1 - 0.5 * 0.96**t)
        u_next = self.beta_1 * (1 - 0.5 * 0.96 ** (t + 1))
        self.u_product *= u_t
        self.m = self.m + (g - self.m) * (1 - self.beta_1)
        self.v = self.v + (g**2 - self.v) * (1 - self.beta_2)
        m_hat = u_next * self.m / (1 - self.u_product * u_next) + (1 - u_t) * g / (1 - self.u_product)
        v_hat = self.v / (1 - self.beta_2**t)
        return w - self.learning_rate * m_hat / (np.sqrt(v_hat) + self.epsilon)


OPTIMIZERS = {
    "sgd": lambda lr, momentum: SGD(lr),
    "momentum": lambda lr, momentum: SGD(lr, momentum=momentum),
    "nesterov": lambda lr, momentum: SGD(lr, momentum=momentum, nesterov=True),
    "adagrad": lambda lr, momentum: Adagrad(lr),
    "rmsprop": lambda lr, momentum: RMSprop(lr),
    "adam": lambda lr, momentum: Adam(lr),
    "nadam": lambda lr, momentum: Nadam(lr),
}


def make_optimizer(name: str, learning_rate: float, momentum: float = 0.9) -> NumpyOptimizer:
    name = validate.choice("make_optimizer", "name", name, OPTIMIZERS)
    validate.number("make_optimizer", "momentum", momentum, low=0, high=1, high_open=True)
    return OPTIMIZERS[name](learning_rate, momentum)


# ================================================================= loss surfaces


def _surface(f, grad, start, minimum, limits):
    return {"f": f, "grad": grad, "start": np.array(start, dtype=np.float64),
            "minimum": np.array(minimum, dtype=np.float64), "limits": limits}


SURFACES = {
    # a round bowl: every direction equally steep
    N_("bowl"): _surface(lambda p: p[0] ** 2 + p[1] ** 2, lambda p: np.array([2 * p[0], 2 * p[1]]),
                     (-4.0, 3.0), (0, 0), ((-5, 5), (-5, 5))),
    # an elongated bowl, as unscaled features make: steep across, shallow along
    N_("elongated bowl"): _surface(lambda p: 0.5 * p[0] ** 2 + 10 * p[1] ** 2,
                               lambda p: np.array([p[0], 20 * p[1]]),
                               (-4.5, 1.0), (0, 0), ((-5, 5), (-2, 2))),
    # two valleys (global minimum near x = -1.06, local one near x = 0.93) and a saddle point between
    N_("local minimum"): _surface(lambda p: p[0] ** 4 - 2 * p[0] ** 2 + 0.5 * p[0] + p[1] ** 2,
                              lambda p: np.array([4 * p[0] ** 3 - 4 * p[0] + 0.5, 2 * p[1]]),
                              (1.8, 1.5), (-1.0574, 0), ((-2, 2), (-2, 2))),
    N_("rosenbrock"): _surface(lambda p: (1 - p[0]) ** 2 + 100 * (p[1] - p[0] ** 2) ** 2,
                           lambda p: np.array([-2 * (1 - p[0]) - 400 * p[0] * (p[1] - p[0] ** 2),
                                               200 * (p[1] - p[0] ** 2)]),
                           (-1.5, 2.0), (1, 1), ((-2, 2), (-1, 3))),
    N_("beale"): _surface(
        lambda p: ((1.5 - p[0] + p[0] * p[1]) ** 2 + (2.25 - p[0] + p[0] * p[1] ** 2) ** 2
                   + (2.625 - p[0] + p[0] * p[1] ** 3) ** 2),
        lambda p: np.array([
            2 * (1.5 - p[0] + p[0] * p[1]) * (p[1] - 1) + 2 * (2.25 - p[0] + p[0] * p[1] ** 2) * (p[1] ** 2 - 1)
            + 2 * (2.625 - p[0] + p[0] * p[1] ** 3) * (p[1] ** 3 - 1),
            2 * (1.5 - p[0] + p[0] * p[1]) * p[0] + 2 * (2.25 - p[0] + p[0] * p[1] ** 2) * 2 * p[0] * p[1]
            + 2 * (2.625 - p[0] + p[0] * p[1] ** 3) * 3 * p[0] * p[1] ** 2,
        ]),
        (1.0, 1.4), (3, 0.5), ((-0.5, 4.5), (-1.5, 2.0))),
}


def surface(name: str) -> dict:
    return SURFACES[validate.choice("surface", "name", name, SURFACES)]


def descend(surface_name: str, optimizer: NumpyOptimizer, steps: int, start=None, max_norm: float = 1e6):
    """Run ``optimizer`` for ``steps`` on a named 2-D surface. Returns the path (steps + 1, 2)
    and the loss at each point; stops early (and says so with NaN) if the path diverges."""
    steps = validate.whole("descend", "steps", steps, low=0)
    if not isinstance(optimizer, NumpyOptimizer):
        raise TypeError(f"descend: optimizer must be one of this module's optimizers (e.g. SGD(0.1)), "
                        f"got {optimizer!r}.")
    max_norm = validate.number("descend", "max_norm", max_norm, low=0, low_open=True)
    s = surface(surface_name)
    w = s["start"].copy() if start is None else validate.array("descend", "start", start, shape=(2,))
    path = [w.copy()]
    for _ in range(int(steps)):
        w = optimizer.step(w, s["grad"](w))
        if not np.all(np.isfinite(w)) or np.linalg.norm(w) > max_norm:
            path.append(np.full(2, np.nan))
            break
        path.append(w.copy())
    path = np.array(path)
    losses = np.array([s["f"](p) if np.all(np.isfinite(p)) else np.nan for p in path])
    return path, losses


def batch_sizes(n_samples: int, batch_size: int) -> list[int]:
    """Sizes of the mini-batches in one epoch: 1,000 samples in batches of 256 -> [256, 256, 256, 232]."""
    n_samples = validate.whole("batch_sizes", "n_samples", n_samples, low=1)
    batch_size = validate.whole("batch_sizes", "batch_size", batch_size, low=1)
    full, rest = divmod(n_samples, batch_size)
    return [batch_size] * full + ([rest] if rest else [])
