"""Plain-NumPy reference implementations of what the notebooks teach.

Each function is the readable version of an idea; the tests check each one
against the library that does the same job (Keras, TensorFlow).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


def step(z):
    """Heaviside step: 1 where z >= 0, else 0 (the perceptron's activation)."""
    return (np.asarray(z) >= 0).astype(np.int64)


def weighted_sum(x, w, b):
    """z = x . w + b. The bias is *added*: it shifts the threshold, it does not scale."""
    x = np.asarray(x, dtype=np.float64)
    w = np.asarray(w, dtype=np.float64)
    if x.shape[-1] != w.shape[0]:
        raise ValueError(f"weighted_sum: inputs have {x.shape[-1]} features but there are {w.shape[0]} weights.")
    return x @ w + b


def perceptron_predict(x, w, b):
    """Outputs 0/1 of a perceptron with weights ``w`` and bias ``b``."""
    return step(weighted_sum(x, w, b))


def accuracy(predictions, targets) -> float:
    predictions = np.asarray(predictions).reshape(-1)
    targets = np.asarray(targets).reshape(-1)
    if predictions.shape != targets.shape:
        raise ValueError(f"accuracy: {predictions.shape[0]} predictions for {targets.shape[0]} targets.")
    return float(np.mean(predictions == targets))


@dataclass
class PerceptronHistory:
    """What ``train_perceptron`` did, epoch by epoch."""

    weights: np.ndarray
    bias: float
    errors_per_epoch: list = field(default_factory=list)
    accuracy_per_epoch: list = field(default_factory=list)
    path: list = field(default_factory=list)  # (w1, w2, b) after every epoch

    @property
    def converged(self) -> bool:
        return bool(self.errors_per_epoch) and self.errors_per_epoch[-1] == 0


def train_perceptron(x, y, learning_rate: float = 0.1, epochs: int = 20, seed: int | None = 0,
                     initial_weights=None, initial_bias: float = 0.0) -> PerceptronHistory:
    """Rosenblatt's rule: for each example, w += lr * (y - y_hat) * x and b += lr * (y - y_hat).

    Stops early once an epoch makes no mistakes. Examples are visited in a
    shuffled order (seeded) each epoch.
    """
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y).reshape(-1)
    if x.ndim != 2 or len(x) != len(y):
        raise ValueError(
            f"train_perceptron: need x of shape (N, features) and y of shape (N,), got {x.shape} and {y.shape}."
        )
    if not set(np.unique(y)).issubset({0, 1}):
        raise ValueError("train_perceptron: targets must be 0 or 1.")
    if not (np.isfinite(learning_rate) and learning_rate > 0):
        raise ValueError(f"train_perceptron: learning_rate must be a positive number, got {learning_rate}.")
    if int(epochs) != epochs or epochs < 1:
        raise ValueError(f"train_perceptron: epochs must be a whole number >= 1, got {epochs}.")
    rng = np.random.default_rng(seed)
    w = np.zeros(x.shape[1]) if initial_weights is None else np.asarray(initial_weights, dtype=np.float64).copy()
    b = float(initial_bias)
    history = PerceptronHistory(weights=w, bias=b)
    for _ in range(int(epochs)):
        mistakes = 0
        for i in rng.permutation(len(x)):
            error = y[i] - step(x[i] @ w + b)
            if error != 0:
                w = w + learning_rate * error * x[i]
                b = b + learning_rate * error
                mistakes += 1
        history.errors_per_epoch.append(mistakes)
        history.accuracy_per_epoch.append(accuracy(perceptron_predict(x, w, b), y))
        history.path.append((*w.tolist(), b))
        if mistakes == 0:
            break
    history.weights, history.bias = w, b
    return history


# Two-layer network for XOR with weights set by hand:
# hidden unit 1 computes OR, hidden unit 2 computes NAND, the output ANDs them.
XOR_HIDDEN_WEIGHTS = np.array([[1.0, -1.0], [1.0, -1.0]])  # columns: OR, NAND
XOR_HIDDEN_BIAS = np.array([-0.5, 1.5])
XOR_OUTPUT_WEIGHTS = np.array([1.0, 1.0])
XOR_OUTPUT_BIAS = -1.5


def two_layer_step_network(x, hidden_w=XOR_HIDDEN_WEIGHTS, hidden_b=XOR_HIDDEN_BIAS,
                           out_w=XOR_OUTPUT_WEIGHTS, out_b=XOR_OUTPUT_BIAS):
    """Forward pass of a 2-2-1 network of perceptrons. Returns (hidden, output)."""
    hidden = step(np.asarray(x, dtype=np.float64) @ hidden_w + hidden_b)
    return hidden, step(hidden @ out_w + out_b)


def dense_params(n_inputs: int, n_units: int) -> int:
    """Parameters of a Dense layer: one weight per input per unit, plus one bias per unit."""
    for name, value in (("n_inputs", n_inputs), ("n_units", n_units)):
        if int(value) != value or value < 1:
            raise ValueError(f"dense_params: {name} must be a whole number >= 1, got {value!r}.")
    return (int(n_inputs) + 1) * int(n_units)


def mlp_params(layer_sizes) -> int:
    """Total parameters of a stack of Dense layers, e.g. ``mlp_params([784, 512, 512, 10])``."""
    sizes = list(layer_sizes)
    if len(sizes) < 2:
        raise ValueError("mlp_params: give at least an input size and one layer size.")
    return sum(dense_params(a, b) for a, b in zip(sizes[:-1], sizes[1:]))


def truth_table(w1: float, w2: float, b: float, gate: str = "AND") -> dict:
    """What a perceptron with (w1, w2, b) outputs on each input of ``gate``.

    Returns ``{"rows": [(x1, x2, z, output, target), ...], "accuracy": float,
    "wrong": [(x1, x2), ...]}``; used by the playground widget and the checks.
    """
    from .data import logic_gate

    x, y = logic_gate(gate)
    z = weighted_sum(x, [w1, w2], b)
    out = step(z)
    rows = [(int(a), int(c), float(zi), int(o), int(t)) for (a, c), zi, o, t in zip(x, z, out, y)]
    wrong = [(r[0], r[1]) for r in rows if r[3] != r[4]]
    return {"rows": rows, "accuracy": accuracy(out, y), "wrong": wrong}


def best_single_line_accuracy(x, y, n_angles: int = 360, n_offsets: int = 201) -> float:
    """The best accuracy any single straight line (any perceptron) reaches on (x, y),
    found by trying ``n_angles`` directions and ``n_offsets`` offsets."""
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y).reshape(-1)
    best = 0.0
    reach = np.abs(x).max() * 2 + 1
    for angle in np.linspace(0, 2 * np.pi, n_angles, endpoint=False):
        w = np.array([np.cos(angle), np.sin(angle)])
        for b in np.linspace(-reach, reach, n_offsets):
            best = max(best, accuracy(perceptron_predict(x, w, b), y))
    return best

