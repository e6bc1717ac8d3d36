"""The perceptron and logic gates (notebook 01): the step unit, its learning rule, the two-layer XOR network."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .. import validate

LOGIC_GATES = {
    "AND": (0, 0, 0, 1),
    "OR": (0, 1, 1, 1),
    "NAND": (1, 1, 1, 0),
    "NOR": (1, 0, 0, 0),
    "XOR": (0, 1, 1, 0),
}


def logic_gate(name: str) -> tuple[np.ndarray, np.ndarray]:
    """The truth table of a two-input gate: inputs X (4, 2) and targets y (4,)."""
    key = validate.choice("logic_gate", "name", name, LOGIC_GATES)
    inputs = np.array([(0, 0), (0, 1), (1, 0), (1, 1)], dtype=np.float64)
    return inputs, np.array(LOGIC_GATES[key], dtype=np.int64)


def step(z):
    """Heaviside step: 1 where z >= 0, else 0 (the perceptron's activation)."""
    return (validate.array("step", "z", z, min_size=0) >= 0).astype(np.int64)


def weighted_sum(x, w, b):
    """z = x . w + b. The bias is *added*: it shifts the threshold, it does not scale."""
    x = validate.array("weighted_sum", "x", x, ndim=(1, 2))
    w = validate.array("weighted_sum", "w", w, ndim=1)
    b = validate.number("weighted_sum", "b", b)
    if x.shape[-1] != w.shape[0]:
        raise ValueError(f"weighted_sum: inputs have {x.shape[-1]} features but there are {w.shape[0]} weights.")
    return x @ w + b


def perceptron_predict(x, w, b):
    """Outputs 0/1 of a perceptron with weights ``w`` and bias ``b``."""
    return step(weighted_sum(x, w, b))


def accuracy(predictions, targets) -> float:
    predictions = validate.array("accuracy", "predictions", predictions).reshape(-1)
    targets = validate.array("accuracy", "targets", targets).reshape(-1)
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
    x = validate.array("train_perceptron", "x", x, ndim=2)
    y = validate.array("train_perceptron", "y", y).reshape(-1)
    if len(x) != len(y):
        raise ValueError(
            f"train_perceptron: need x of shape (N, features) and y of shape (N,), got {x.shape} and {y.shape}."
        )
    if not set(np.unique(y)).issubset({0, 1}):
        others = sorted(set(np.unique(y).tolist()) - {0, 1})[:3]
        raise ValueError(f"train_perceptron: targets y must be 0 or 1, got {others}.")
    learning_rate = validate.number("train_perceptron", "learning_rate", learning_rate, low=0, low_open=True)
    epochs = validate.whole("train_perceptron", "epochs", epochs, low=1)
    initial_bias = validate.number("train_perceptron", "initial_bias", initial_bias)
    if initial_weights is not None:
        initial_weights = validate.array("train_perceptron", "initial_weights", initial_weights, shape=(x.shape[1],))
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
_XOR_HIDDEN_WEIGHTS = np.array([[1.0, -1.0], [1.0, -1.0]])  # columns: OR, NAND
_XOR_HIDDEN_BIAS = np.array([-0.5, 1.5])
_XOR_OUTPUT_WEIGHTS = np.array([1.0, 1.0])
_XOR_OUTPUT_BIAS = -1.5


def two_layer_step_network(x, hidden_w=_XOR_HIDDEN_WEIGHTS, hidden_b=_XOR_HIDDEN_BIAS,
                           out_w=_XOR_OUTPUT_WEIGHTS, out_b=_XOR_OUTPUT_BIAS):
    """Forward pass of a 2-2-1 network of perceptrons. Returns (hidden, output)."""
    who = "two_layer_step_network"
    x = validate.array(who, "x", x, shape=(None, 2))
    hidden_w = validate.array(who, "hidden_w", hidden_w, shape=(2, 2))
    hidden_b = validate.array(who, "hidden_b", hidden_b, shape=(2,))
    out_w, out_b = validate.array(who, "out_w", out_w, shape=(2,)), validate.number(who, "out_b", out_b)
    hidden = step(x @ hidden_w + hidden_b)
    return hidden, step(hidden @ out_w + out_b)


def truth_table(w1: float, w2: float, b: float, gate: str = "AND") -> dict:
    """What a perceptron with (w1, w2, b) outputs on each input of ``gate``.

    Returns ``{"rows": [(x1, x2, z, output, target), ...], "accuracy": float,
    "wrong": [(x1, x2), ...]}``; used by the playground widget and the checks.
    """
    w1, w2, b = (validate.number("truth_table", name, value) for name, value in (("w1", w1), ("w2", w2), ("b", b)))
    x, y = logic_gate(gate)
    z = weighted_sum(x, [w1, w2], b)
    out = step(z)
    rows = [(int(a), int(c), float(zi), int(o), int(t)) for (a, c), zi, o, t in zip(x, z, out, y)]
    wrong = [(r[0], r[1]) for r in rows if r[3] != r[4]]
    return {"rows": rows, "accuracy": accuracy(out, y), "wrong": wrong}


def best_single_line_accuracy(x, y, n_angles: int = 360, n_offsets: int = 201) -> float:
    """The best accuracy any single straight line (any perceptron) reaches on (x, y),
    found by trying ``n_angles`` directions and ``n_offsets`` offsets."""
    x = validate.array("best_single_line_accuracy", "x", x, shape=(None, 2))
    y = validate.array("best_single_line_accuracy", "y", y).reshape(-1)
    n_angles = validate.whole("best_single_line_accuracy", "n_angles", n_angles, low=1)
    n_offsets = validate.whole("best_single_line_accuracy", "n_offsets", n_offsets, low=1)
    best = 0.0
    reach = np.abs(x).max() * 2 + 1
    for angle in np.linspace(0, 2 * np.pi, n_angles, endpoint=False):
        w = np.array([np.cos(angle), np.sin(angle)])
        for b in np.linspace(-reach, reach, n_offsets):
            best = max(best, accuracy(perceptron_predict(x, w, b), y))
    return best
