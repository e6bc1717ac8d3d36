"""Plain-NumPy reference implementations of what the notebooks teach.

Each function is the readable version of an idea; the tests check each one
against the library that does the same job (Keras, TensorFlow).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from . import validate as check


def step(z):
    """Heaviside step: 1 where z >= 0, else 0 (the perceptron's activation)."""
    return (check.array("step", "z", z, min_size=0) >= 0).astype(np.int64)


def weighted_sum(x, w, b):
    """z = x . w + b. The bias is *added*: it shifts the threshold, it does not scale."""
    x = check.array("weighted_sum", "x", x, ndim=(1, 2))
    w = check.array("weighted_sum", "w", w, ndim=1)
    b = check.number("weighted_sum", "b", b)
    if x.shape[-1] != w.shape[0]:
        raise ValueError(f"weighted_sum: inputs have {x.shape[-1]} features but there are {w.shape[0]} weights.")
    return x @ w + b


def perceptron_predict(x, w, b):
    """Outputs 0/1 of a perceptron with weights ``w`` and bias ``b``."""
    return step(weighted_sum(x, w, b))


def accuracy(predictions, targets) -> float:
    predictions = check.array("accuracy", "predictions", predictions).reshape(-1)
    targets = check.array("accuracy", "targets", targets).reshape(-1)
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
    x = check.array("train_perceptron", "x", x, ndim=2)
    y = check.array("train_perceptron", "y", y).reshape(-1)
    if len(x) != len(y):
        raise ValueError(
            f"train_perceptron: need x of shape (N, features) and y of shape (N,), got {x.shape} and {y.shape}."
        )
    if not set(np.unique(y)).issubset({0, 1}):
        others = sorted(set(np.unique(y).tolist()) - {0, 1})[:3]
        raise ValueError(f"train_perceptron: targets y must be 0 or 1, got {others}.")
    learning_rate = check.number("train_perceptron", "learning_rate", learning_rate, low=0, low_open=True)
    epochs = check.whole("train_perceptron", "epochs", epochs, low=1)
    initial_bias = check.number("train_perceptron", "initial_bias", initial_bias)
    if initial_weights is not None:
        initial_weights = check.array("train_perceptron", "initial_weights", initial_weights, shape=(x.shape[1],))
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
    who = "two_layer_step_network"
    x = check.array(who, "x", x, shape=(None, 2))
    hidden_w, hidden_b = check.array(who, "hidden_w", hidden_w, shape=(2, 2)), check.array(who, "hidden_b", hidden_b,
                                                                                             shape=(2,))
    out_w, out_b = check.array(who, "out_w", out_w, shape=(2,)), check.number(who, "out_b", out_b)
    hidden = step(x @ hidden_w + hidden_b)
    return hidden, step(hidden @ out_w + out_b)


def dense_params(n_inputs: int, n_units: int) -> int:
    """Parameters of a Dense layer: one weight per input per unit, plus one bias per unit."""
    n_inputs = check.whole("dense_params", "n_inputs", n_inputs, low=1)
    n_units = check.whole("dense_params", "n_units", n_units, low=1)
    return (n_inputs + 1) * n_units


def mlp_params(layer_sizes) -> int:
    """Total parameters of a stack of Dense layers, e.g. ``mlp_params([784, 512, 512, 10])``."""
    if isinstance(layer_sizes, str) or not hasattr(layer_sizes, "__iter__"):
        raise TypeError(f"mlp_params: layer_sizes must be a list of whole numbers, got {layer_sizes!r}.")
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

    w1, w2, b = (check.number("truth_table", name, value) for name, value in (("w1", w1), ("w2", w2), ("b", b)))
    x, y = logic_gate(gate)
    z = weighted_sum(x, [w1, w2], b)
    out = step(z)
    rows = [(int(a), int(c), float(zi), int(o), int(t)) for (a, c), zi, o, t in zip(x, z, out, y)]
    wrong = [(r[0], r[1]) for r in rows if r[3] != r[4]]
    return {"rows": rows, "accuracy": accuracy(out, y), "wrong": wrong}


def best_single_line_accuracy(x, y, n_angles: int = 360, n_offsets: int = 201) -> float:
    """The best accuracy any single straight line (any perceptron) reaches on (x, y),
    found by trying ``n_angles`` directions and ``n_offsets`` offsets."""
    x = check.array("best_single_line_accuracy", "x", x, shape=(None, 2))
    y = check.array("best_single_line_accuracy", "y", y).reshape(-1)
    n_angles = check.whole("best_single_line_accuracy", "n_angles", n_angles, low=1)
    n_offsets = check.whole("best_single_line_accuracy", "n_offsets", n_offsets, low=1)
    best = 0.0
    reach = np.abs(x).max() * 2 + 1
    for angle in np.linspace(0, 2 * np.pi, n_angles, endpoint=False):
        w = np.array([np.cos(angle), np.sin(angle)])
        for b in np.linspace(-reach, reach, n_offsets):
            best = max(best, accuracy(perceptron_predict(x, w, b), y))
    return best


# =================================================================== activations


def sigmoid(z):
    """1 / (1 + e^-z), computed without overflow for large |z|."""
    z = check.array("sigmoid", "z", z, min_size=0)
    out = np.empty_like(z)
    positive = z >= 0
    out[positive] = 1 / (1 + np.exp(-z[positive]))
    e = np.exp(z[~positive])
    out[~positive] = e / (1 + e)
    return out


def sigmoid_grad(z):
    s = sigmoid(z)
    return s * (1 - s)


def tanh(z):
    return np.tanh(check.array("tanh", "z", z, min_size=0))


def tanh_grad(z):
    return 1 - np.tanh(np.asarray(z, dtype=np.float64)) ** 2


def relu(z):
    return np.maximum(check.array("relu", "z", z, min_size=0), 0)


def relu_grad(z):
    """0 for z < 0, 1 for z > 0; at exactly 0 we use 0, as TensorFlow does."""
    return (np.asarray(z) > 0).astype(np.float64)


LEAKY_SLOPE = 0.2  # Keras 3's default negative_slope (many texts use 0.01)


def leaky_relu(z, negative_slope: float = LEAKY_SLOPE):
    z = check.array("leaky_relu", "z", z, min_size=0)
    negative_slope = check.number("leaky_relu", "negative_slope", negative_slope, low=0)
    return np.where(z >= 0, z, negative_slope * z)


def leaky_relu_grad(z, negative_slope: float = LEAKY_SLOPE):
    return np.where(np.asarray(z) > 0, 1.0, negative_slope)


def step_grad(z):
    """The step's derivative is 0 wherever it exists: no signal for gradient descent."""
    return np.zeros_like(np.asarray(z, dtype=np.float64))


def softmax_naive(z, axis: int = -1):
    """e^z / sum(e^z) as written in textbooks: overflows for large z."""
    e = np.exp(check.array("softmax_naive", "z", z))
    return e / e.sum(axis=axis, keepdims=True)


def softmax(z, axis: int = -1):
    """Numerically stable softmax: subtracting max(z) changes nothing mathematically
    (it cancels in the ratio) but keeps every exponent <= 0."""
    z = check.array("softmax", "z", z)
    e = np.exp(z - z.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


ACTIVATIONS = {
    "step": (lambda z: step(z).astype(np.float64), step_grad),
    "sigmoid": (sigmoid, sigmoid_grad),
    "tanh": (tanh, tanh_grad),
    "relu": (relu, relu_grad),
    "leaky_relu": (leaky_relu, leaky_relu_grad),
}


def activation(name: str):
    """(f, f') for an activation name in ACTIVATIONS."""
    return ACTIVATIONS[check.choice("activation", "name", name, ACTIVATIONS)]


def activation_curves(name: str, low: float = -6.0, high: float = 6.0, points: int = 401):
    """z, f(z), f'(z) on [low, high]; what the activation widget draws."""
    low = check.number("activation_curves", "low", low)
    high = check.number("activation_curves", "high", high)
    if low >= high:
        raise ValueError(f"activation_curves: need low < high, got {low} and {high}.")
    points = check.whole("activation_curves", "points", points, low=2)
    f, df = activation(name)
    z = np.linspace(low, high, int(points))
    return z, f(z), df(z)


INITIALISERS = ("glorot", "he")


def _deep_stack(who: str, depth, width, n, seed, init, scale):
    """Weights of ``depth`` square Dense layers and a batch of standard-normal inputs."""
    depth, width, n = (check.whole(who, name, value, low=1)
                       for name, value in (("depth", depth), ("width", width), ("n", n)))
    init = check.choice(who, "init", init, INITIALISERS)
    scale = check.number(who, "scale", scale, low=0, low_open=True)
    rng = np.random.default_rng(seed)
    if init == "glorot":
        limit = np.sqrt(6 / (width + width))
        weights = [scale * rng.uniform(-limit, limit, (width, width)) for _ in range(depth)]
    else:
        weights = [scale * rng.normal(0, np.sqrt(2 / width), (width, width)) for _ in range(depth)]
    return weights, rng.normal(size=(n, width))


def layer_activation_stds(activation_name: str, depth: int = 20, width: int = 64, n: int = 512, seed: int = 0,
                          init: str = "glorot", scale: float = 1.0) -> list[float]:
    """Standard deviation of each layer's output in a deep stack: the forward view of initialisation.

    With ReLU, Glorot's weights halve the variance at every layer (ReLU zeroes half the values), He's
    keep it, and He's times 1.5 multiply it by 2.25: the signal vanishes, holds or explodes.
    """
    f, _ = activation(activation_name)
    weights, a = _deep_stack("layer_activation_stds", depth, width, n, seed, init, scale)
    stds = []
    for w in weights:
        a = f(a @ w)
        stds.append(float(a.std()))
    return stds


def layer_gradient_norms(activation_name: str, depth: int = 10, width: int = 32, n: int = 256, seed: int = 0,
                         init: str = "glorot", scale: float = 1.0):
    """Backpropagate through ``depth`` Dense layers with a given activation and return the gradient norm
    reaching each layer's weights, first layer first. Shows vanishing gradients for sigmoid vs ReLU.

    ``init``: "glorot" (uniform, limit sqrt(6 / (fan_in + fan_out)), Keras's default) or "he" (normal,
    std sqrt(2 / fan_in), made for ReLU); ``scale`` multiplies every weight (scale > 1 makes gradients explode).
    """
    f, df = activation(activation_name)
    weights, a = _deep_stack("layer_gradient_norms", depth, width, n, seed, init, scale)
    inputs, pre = [], []
    for w in weights:
        inputs.append(a)
        z = a @ w
        pre.append(z)
        a = f(z)
    grad = np.ones_like(a) / n  # d(mean of outputs)/d(outputs)
    norms = []
    for w, x, z in zip(reversed(weights), reversed(inputs), reversed(pre)):
        grad_z = grad * df(z)
        norms.append(float(np.linalg.norm(x.T @ grad_z)))
        grad = grad_z @ w.T
    return norms[::-1]


# ======================================================================== losses

EPSILON = 1e-7  # Keras's backend epsilon: probabilities are clipped to [eps, 1 - eps]


def _pair(who: str, y_true, y_pred, pred_name: str = "y_pred", probabilities: bool = False):
    """Two arrays of the same shape; with ``probabilities`` the second must lie in [0, 1]."""
    y_true = check.array(who, "y_true", y_true)
    y_pred = check.array(who, pred_name, y_pred)
    if y_true.shape != y_pred.shape:
        raise ValueError(f"{who}: y_true and {pred_name} must have the same shape, got {y_true.shape} and "
                         f"{y_pred.shape}.")
    if probabilities and (y_pred.min() < 0 or y_pred.max() > 1):
        raise ValueError(f"{who}: {pred_name} must be probabilities in [0, 1], got values from {y_pred.min():g} "
                         f"to {y_pred.max():g} (logits? use the from_logits version).")
    return y_true, y_pred


def mse(y_true, y_pred):
    y_true, y_pred = _pair("mse", y_true, y_pred)
    return np.mean((y_true - y_pred) ** 2, axis=-1)


def mae(y_true, y_pred):
    y_true, y_pred = _pair("mae", y_true, y_pred)
    return np.mean(np.abs(y_true - y_pred), axis=-1)


def binary_crossentropy(y_true, p, epsilon: float = EPSILON):
    """-[y log p + (1 - y) log(1 - p)], averaged over the last axis."""
    y_true, p = _pair("binary_crossentropy", y_true, p, "p", probabilities=True)
    epsilon = check.number("binary_crossentropy", "epsilon", epsilon, low=0, high=0.5, high_open=True)
    p = np.clip(p, epsilon, 1 - epsilon)
    return np.mean(-(y_true * np.log(p) + (1 - y_true) * np.log(1 - p)), axis=-1)


def categorical_crossentropy(y_true, p, epsilon: float = EPSILON):
    """-sum(y log p) over classes, for one-hot y and probabilities p."""
    y_true, p = _pair("categorical_crossentropy", y_true, p, "p", probabilities=True)
    epsilon = check.number("categorical_crossentropy", "epsilon", epsilon, low=0, high=0.5, high_open=True)
    if np.any(p.sum(axis=-1) == 0):
        raise ValueError("categorical_crossentropy: every row of p must have a positive sum (probabilities).")
    p = np.clip(p / p.sum(axis=-1, keepdims=True), epsilon, 1 - epsilon)
    return -np.sum(y_true * np.log(p), axis=-1)


def sparse_categorical_crossentropy(labels, p, epsilon: float = EPSILON):
    """The same loss with integer labels instead of one-hot rows."""
    p = check.array("sparse_categorical_crossentropy", "p", p, ndim=(1, 2))
    p = p.reshape(1, -1) if p.ndim == 1 else p
    labels = check.class_labels("sparse_categorical_crossentropy", "labels", labels, p.shape[-1]).reshape(-1)
    if len(labels) != len(p):
        raise ValueError(f"sparse_categorical_crossentropy: {len(labels)} labels for {len(p)} rows of p.")
    return categorical_crossentropy(np.eye(p.shape[-1])[labels], p, epsilon)


def categorical_crossentropy_from_logits(y_true, logits):
    """Cross-entropy straight from logits with log-softmax (log-sum-exp): no exp overflow,
    no log(0). This is what ``from_logits=True`` buys."""
    y_true, z = _pair("categorical_crossentropy_from_logits", y_true, logits, "logits")
    z = z - z.max(axis=-1, keepdims=True)
    log_softmax = z - np.log(np.exp(z).sum(axis=-1, keepdims=True))
    return -np.sum(y_true * log_softmax, axis=-1)


def loss_gradients(y_true, p) -> dict:
    """d(loss)/d(prediction) for one example, per loss: what the loss widget shows."""
    y_true, p = _pair("loss_gradients", y_true, p, "p", probabilities=True)
    n = y_true.shape[-1]
    clipped = np.clip(p, EPSILON, 1 - EPSILON)
    return {
        "mse": 2 * (p - y_true) / n,
        "mae": np.sign(p - y_true) / n,
        "binary_crossentropy": (clipped - y_true) / (clipped * (1 - clipped)) / n,
        "categorical_crossentropy": -y_true / clipped,
    }


# ==================================================================== optimizers


class NumpyOptimizer:
    """Base class: ``step(w, g)`` returns the new weights; state lives in the object.

    Each subclass follows the update rule of the Keras 3 optimizer of the same
    name (same defaults), so the tests can compare them step by step.
    """

    def __init__(self, learning_rate: float):
        self.learning_rate = check.number(type(self).__name__, "learning_rate", learning_rate, low=0, low_open=True)
        self.iterations = 0

    def _unit(self, name: str, value, high_open: bool = True) -> float:
        """A decay rate such as momentum, rho or beta: in [0, 1)."""
        return check.number(type(self).__name__, name, value, low=0, high=1, high_open=high_open)

    def _positive(self, name: str, value) -> float:
        return check.number(type(self).__name__, name, value, low=0, low_open=True)

    def step(self, w, g):
        who = f"{type(self).__name__}.step"
        w = check.array(who, "w", w)
        g = check.array(who, "g", g)
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
        self.initial = check.number("Adagrad", "initial_accumulator_value", initial_accumulator_value, low=0)
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
    name = check.choice("make_optimizer", "name", name, OPTIMIZERS)
    check.number("make_optimizer", "momentum", momentum, low=0, high=1, high_open=True)
    return OPTIMIZERS[name](learning_rate, momentum)


# ================================================================= loss surfaces


def _surface(f, grad, start, minimum, limits):
    return {"f": f, "grad": grad, "start": np.array(start, dtype=np.float64),
            "minimum": np.array(minimum, dtype=np.float64), "limits": limits}


SURFACES = {
    # a round bowl: every direction equally steep
    "bowl": _surface(lambda p: p[0] ** 2 + p[1] ** 2, lambda p: np.array([2 * p[0], 2 * p[1]]),
                     (-4.0, 3.0), (0, 0), ((-5, 5), (-5, 5))),
    # an elongated bowl, as unscaled features make: steep across, shallow along
    "elongated bowl": _surface(lambda p: 0.5 * p[0] ** 2 + 10 * p[1] ** 2,
                               lambda p: np.array([p[0], 20 * p[1]]),
                               (-4.5, 1.0), (0, 0), ((-5, 5), (-2, 2))),
    # two valleys (global minimum near x = -1.06, local one near x = 0.93) and a saddle point between
    "local minimum": _surface(lambda p: p[0] ** 4 - 2 * p[0] ** 2 + 0.5 * p[0] + p[1] ** 2,
                              lambda p: np.array([4 * p[0] ** 3 - 4 * p[0] + 0.5, 2 * p[1]]),
                              (1.8, 1.5), (-1.0574, 0), ((-2, 2), (-2, 2))),
    "rosenbrock": _surface(lambda p: (1 - p[0]) ** 2 + 100 * (p[1] - p[0] ** 2) ** 2,
                           lambda p: np.array([-2 * (1 - p[0]) - 400 * p[0] * (p[1] - p[0] ** 2),
                                               200 * (p[1] - p[0] ** 2)]),
                           (-1.5, 2.0), (1, 1), ((-2, 2), (-1, 3))),
    "beale": _surface(
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
    return SURFACES[check.choice("surface", "name", name, SURFACES)]


def descend(surface_name: str, optimizer: NumpyOptimizer, steps: int, start=None, max_norm: float = 1e6):
    """Run ``optimizer`` for ``steps`` on a named 2-D surface. Returns the path (steps + 1, 2)
    and the loss at each point; stops early (and says so with NaN) if the path diverges."""
    steps = check.whole("descend", "steps", steps, low=0)
    if not isinstance(optimizer, NumpyOptimizer):
        raise TypeError(f"descend: optimizer must be one of this module's optimizers (e.g. SGD(0.1)), "
                        f"got {optimizer!r}.")
    max_norm = check.number("descend", "max_norm", max_norm, low=0, low_open=True)
    s = surface(surface_name)
    w = s["start"].copy() if start is None else check.array("descend", "start", start, shape=(2,))
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
    n_samples = check.whole("batch_sizes", "n_samples", n_samples, low=1)
    batch_size = check.whole("batch_sizes", "batch_size", batch_size, low=1)
    full, rest = divmod(n_samples, batch_size)
    return [batch_size] * full + ([rest] if rest else [])


# ============================================================ backpropagation MLP


class NumpyMLP:
    """A fully connected network for binary classification, written out by hand.

    Hidden layers use ``activation``; the output is one sigmoid unit; the loss
    is the mean binary cross-entropy. ``gradients`` is backpropagation: the
    chain rule applied layer by layer from the loss back to the first weights.
    """

    def __init__(self, sizes, hidden_activation: str = "tanh", seed: int = 0):
        if isinstance(sizes, str) or not hasattr(sizes, "__iter__"):
            raise TypeError(f"NumpyMLP: sizes must be a list of layer sizes such as [2, 8, 1], got {sizes!r}.")
        sizes = [check.whole("NumpyMLP", "sizes", s, low=1) for s in sizes]
        seed = check.whole("NumpyMLP", "seed", seed, low=0)
        if len(sizes) < 2 or sizes[-1] != 1:
            raise ValueError(f"NumpyMLP: sizes must start with the inputs and end with 1 output, got {sizes}.")
        self.f, self.df = activation(hidden_activation)
        self.hidden_activation = hidden_activation
        rng = np.random.default_rng(seed)
        self.weights, self.biases = [], []
        for n_in, n_out in zip(sizes[:-1], sizes[1:]):
            limit = np.sqrt(6 / (n_in + n_out))  # Glorot uniform, Keras's default
            self.weights.append(rng.uniform(-limit, limit, (n_in, n_out)))
            self.biases.append(np.zeros(n_out))

    @property
    def params(self) -> list:
        return [p for pair in zip(self.weights, self.biases) for p in pair]

    def forward(self, x):
        """Returns (probabilities (N,), cache of every layer's input and pre-activation)."""
        a = check.array("NumpyMLP", "x", x, shape=(None, self.weights[0].shape[0]))
        cache = []
        for k, (w, b) in enumerate(zip(self.weights, self.biases)):
            z = a @ w + b
            cache.append((a, z))
            a = sigmoid(z) if k == len(self.weights) - 1 else self.f(z)
        return a[:, 0], cache

    def _targets(self, y, n: int):
        y = check.array("NumpyMLP", "y", y).reshape(-1)
        if len(y) != n or not np.all((y == 0) | (y == 1)):
            raise ValueError(f"NumpyMLP: y must hold {n} targets, each 0 or 1; got shape {y.shape} with values "
                             f"{np.unique(y)[:4]}.")
        return y

    def loss(self, x, y) -> float:
        p, _ = self.forward(x)
        y = self._targets(y, len(p))
        return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))

    def gradients(self, x, y) -> list:
        """d(loss)/d(parameter) for every weight matrix and bias, in ``params`` order."""
        p, cache = self.forward(x)
        y = self._targets(y, len(p))
        grad_z = ((p - y) / len(y))[:, None]  # sigmoid + cross-entropy: dL/dz = p - y (per example)
        grads = []
        for k in range(len(self.weights) - 1, -1, -1):
            a_in, _ = cache[k]
            grads.append(grad_z.sum(axis=0))          # bias
            grads.append(a_in.T @ grad_z)             # weights
            if k > 0:
                grad_a = grad_z @ self.weights[k].T   # back through the weights
                grad_z = grad_a * self.df(cache[k - 1][1])  # back through the activation
        return grads[::-1]

    def train_step(self, x, y, learning_rate: float) -> float:
        learning_rate = check.number("NumpyMLP.train_step", "learning_rate", learning_rate, low=0, low_open=True)
        grads = self.gradients(x, y)
        for param, grad in zip(self.params, grads):
            param -= learning_rate * grad
        return self.loss(x, y)

    def fit(self, x, y, epochs: int = 1000, learning_rate: float = 0.5, batch_size: int | None = None,
            seed: int = 0) -> list:
        """Mini-batch gradient descent; returns the loss after each epoch."""
        x = check.array("NumpyMLP.fit", "x", x, shape=(None, self.weights[0].shape[0]))
        y = self._targets(y, len(x))
        epochs = check.whole("NumpyMLP.fit", "epochs", epochs, low=1)
        learning_rate = check.number("NumpyMLP.fit", "learning_rate", learning_rate, low=0, low_open=True)
        rng = np.random.default_rng(check.whole("NumpyMLP.fit", "seed", seed, low=0))
        size = len(x) if batch_size is None else check.whole("NumpyMLP.fit", "batch_size", batch_size, low=1)
        history = []
        for _ in range(int(epochs)):
            order = rng.permutation(len(x))
            for start in range(0, len(x), size):
                batch = order[start:start + size]
                self.train_step(x[batch], y[batch], learning_rate)
            history.append(self.loss(x, y))
        return history

    def predict(self, x):
        return (self.forward(x)[0] >= 0.5).astype(np.int64)


def relative_error(a, b) -> float:
    """The largest |a - b| / (|a| + |b|) over the entries (0 where both are 0): the usual gradient-check measure.

    Unlike a plain difference it does not depend on the gradient's scale. Finite differences have their own
    rounding and truncation error, so a correct gradient still shows up to about 1e-6 against them (notebook 05's
    checks accept that much); 1e-2 or more means a bug.
    """
    a = check.array("relative_error", "a", a, min_size=0)
    b = check.array("relative_error", "b", b, min_size=0)
    if a.shape != b.shape:
        raise ValueError(f"relative_error: a and b must have the same shape, got {a.shape} and {b.shape}.")
    scale = np.abs(a) + np.abs(b)
    ratio = np.divide(np.abs(a - b), scale, out=np.zeros_like(scale), where=scale > 0)
    return float(ratio.max()) if ratio.size else 0.0


def numerical_gradient(loss, param: np.ndarray, epsilon: float = 1e-6) -> np.ndarray:
    """Central finite differences (L(w + e) - L(w - e)) / 2e at every entry of ``param``.

    ``loss`` takes no arguments and reads ``param``, which is nudged in place and restored.
    """
    grad = np.zeros_like(param)
    for index in np.ndindex(param.shape):
        original = param[index]
        param[index] = original + epsilon
        up = loss()
        param[index] = original - epsilon
        down = loss()
        param[index] = original
        grad[index] = (up - down) / (2 * epsilon)
    return grad


def numerical_gradients(model: NumpyMLP, x, y, epsilon: float = 1e-6) -> list:
    """Central finite differences for every parameter of ``model``: slow, simple, trusted."""
    if not isinstance(model, NumpyMLP):
        raise TypeError(f"numerical_gradients: model must be a NumpyMLP, got {type(model).__name__}.")
    epsilon = check.number("numerical_gradients", "epsilon", epsilon, low=0, low_open=True)
    grads = [numerical_gradient(lambda: model.loss(x, y), param, epsilon) for param in model.params]
    return grads


# =================================================================== convolution


def conv_output_size(n: int, kernel: int, stride: int = 1, padding: str | int = "valid") -> int:
    """Output length along one axis. ``padding``: "valid" (none), "same" (Keras's rule:
    ceil(n / stride)) or a number of zeros added on *each* side: floor((n + 2p - k) / s) + 1."""
    n, kernel, stride = (check.whole("conv_output_size", name, value, low=1)
                         for name, value in (("n", n), ("kernel", kernel), ("stride", stride)))
    if padding == "same":
        return -(-int(n) // int(stride))
    pad = 0 if padding == "valid" else padding
    if not isinstance(pad, int | np.integer) or isinstance(pad, bool) or pad < 0:
        raise ValueError(f"conv_output_size: padding must be 'valid', 'same' or a whole number >= 0, got {padding!r}.")
    if n + 2 * pad < kernel:
        raise ValueError(f"conv_output_size: a {kernel}-wide kernel does not fit in {n} + 2*{pad} inputs.")
    return (int(n) + 2 * int(pad) - int(kernel)) // int(stride) + 1


def same_padding(n: int, kernel: int, stride: int) -> tuple[int, int]:
    """Zeros Keras/TensorFlow add before and after an axis for padding="same" (the extra one goes after)."""
    out = conv_output_size(n, kernel, stride, "same")
    total = max((out - 1) * stride + kernel - n, 0)
    return total // 2, total - total // 2


def conv2d(image, kernels, bias=None, stride: int = 1, padding: str | int = "valid"):
    """2-D convolution as deep-learning frameworks compute it (cross-correlation: the kernel is not flipped).

    ``image``: (H, W) or (H, W, C_in). ``kernels``: (kh, kw), (kh, kw, C_in) or (kh, kw, C_in, C_out).
    Returns (H_out, W_out) for a single 2-D kernel, else (H_out, W_out, C_out).
    """
    x = check.array("conv2d", "image", image, ndim=(2, 3))
    k = check.array("conv2d", "kernels", kernels, ndim=(2, 3, 4))
    single = x.ndim == 2 and k.ndim == 2
    if x.ndim == 2:
        x = x[..., None]
    if k.ndim == 2:
        k = k[..., None]
    if k.ndim == 3:
        k = k[..., None]
    if x.ndim != 3 or k.ndim != 4:
        raise ValueError(
            f"conv2d: image must be (H, W[, C]) and kernels (kh, kw[, C_in[, C_out]]); got {x.shape}, {k.shape}."
        )
    if k.shape[2] != x.shape[2]:
        raise ValueError(f"conv2d: the image has {x.shape[2]} channels but the kernels expect {k.shape[2]}.")
    kh, kw, _, c_out = k.shape
    stride = check.whole("conv2d", "stride", stride, low=1)
    if padding == "same":
        (top, bottom), (left, right) = same_padding(x.shape[0], kh, stride), same_padding(x.shape[1], kw, stride)
    elif padding == "valid":
        top = bottom = left = right = 0
    elif isinstance(padding, int | np.integer) and not isinstance(padding, bool) and padding >= 0:
        top = bottom = left = right = int(padding)
    else:
        raise ValueError(f"conv2d: padding must be 'valid', 'same' or a whole number >= 0, got {padding!r}.")
    x = np.pad(x, ((top, bottom), (left, right), (0, 0)))
    if x.shape[0] < kh or x.shape[1] < kw:
        raise ValueError(f"conv2d: a {kh}x{kw} kernel does not fit in the padded {x.shape[0]}x{x.shape[1]} image.")
    out_h = (x.shape[0] - kh) // stride + 1
    out_w = (x.shape[1] - kw) // stride + 1
    # Every kh x kw window (a strided view, no copying), then one tensor contraction.
    windows = np.lib.stride_tricks.sliding_window_view(x, (kh, kw), axis=(0, 1))[::stride, ::stride]
    out = np.einsum("hwcij,ijco->hwo", windows[:out_h, :out_w], k)
    if bias is not None:
        out = out + check.array("conv2d", "bias", bias, shape=(c_out,))
    return out[..., 0] if single else out


def conv2d_params(kernel_h: int, kernel_w: int, channels_in: int, filters: int) -> int:
    """(kh * kw * C_in + 1) * C_out: one kh x kw x C_in kernel plus one bias per filter."""
    kernel_h, kernel_w, channels_in, filters = (
        check.whole("conv2d_params", name, value, low=1)
        for name, value in (("kernel_h", kernel_h), ("kernel_w", kernel_w), ("channels_in", channels_in),
                            ("filters", filters)))
    return (kernel_h * kernel_w * channels_in + 1) * filters


def pool2d(image, size: int = 2, stride: int | None = None, mode: str = "max"):
    """Max or average pooling over size x size windows (no padding), per channel."""
    mode = check.choice("pool2d", "mode", mode, ("max", "average"))
    size = check.whole("pool2d", "size", size, low=1)
    stride = size if stride is None else check.whole("pool2d", "stride", stride, low=1)
    x = check.array("pool2d", "image", image, ndim=(2, 3))
    if x.shape[0] < size or x.shape[1] < size:
        raise ValueError(f"pool2d: a {size}x{size} window does not fit in the {x.shape[0]}x{x.shape[1]} image.")
    squeeze = x.ndim == 2
    if squeeze:
        x = x[..., None]
    windows = np.lib.stride_tricks.sliding_window_view(x, (size, size), axis=(0, 1))[::stride, ::stride]
    out = windows.max(axis=(-2, -1)) if mode == "max" else windows.mean(axis=(-2, -1))
    return out[..., 0] if squeeze else out


def global_average_pool(feature_maps):
    """(H, W, C) -> (C,): the mean of each feature map."""
    return check.array("global_average_pool", "feature_maps", feature_maps, ndim=3).mean(axis=(0, 1))


def receptive_field(layers_spec) -> list[int]:
    """Receptive field (in input pixels) after each layer of ``[(kernel, stride), ...]``."""
    field, jump, fields = 1, 1, []
    try:
        pairs = [tuple(pair) for pair in layers_spec]
    except TypeError:
        raise TypeError(f"receptive_field: layers_spec must be a list of (kernel, stride) pairs, "
                        f"got {layers_spec!r}.") from None
    if any(len(pair) != 2 for pair in pairs):
        raise ValueError(f"receptive_field: each layer must be a (kernel, stride) pair, got {layers_spec!r}.")
    for kernel, stride in pairs:
        kernel = check.whole("receptive_field", "kernel", kernel, low=1)
        stride = check.whole("receptive_field", "stride", stride, low=1)
        field += (kernel - 1) * jump
        jump *= stride
        fields.append(field)
    return fields


# ============================================================ batch norm, dropout


def batch_norm_train(x, gamma, beta, moving_mean, moving_var, momentum: float = 0.99, epsilon: float = 1e-3):
    """Batch normalization in training mode (Keras's defaults). Normalises with the *batch's* mean and
    variance, then scales by gamma and shifts by beta; returns (output, new moving mean, new moving var)."""
    x, gamma, beta, moving_mean, moving_var = _batch_norm_inputs("batch_norm_train", x, gamma, beta, moving_mean,
                                                                 moving_var)
    momentum = check.number("batch_norm_train", "momentum", momentum, low=0, high=1)
    epsilon = check.number("batch_norm_train", "epsilon", epsilon, low=0, low_open=True)
    if len(x) < 2:
        raise ValueError("batch_norm_train: a batch needs at least 2 examples to have a variance.")
    axes = tuple(range(x.ndim - 1))  # every axis but the channels
    mean, var = x.mean(axis=axes), x.var(axis=axes)
    out = gamma * (x - mean) / np.sqrt(var + epsilon) + beta
    new_mean = momentum * moving_mean + (1 - momentum) * mean
    new_var = momentum * moving_var + (1 - momentum) * var
    return out, new_mean, new_var


def batch_norm_inference(x, gamma, beta, moving_mean, moving_var, epsilon: float = 1e-3):
    """Batch normalization at inference: the moving averages replace the batch statistics."""
    x, gamma, beta, moving_mean, moving_var = _batch_norm_inputs("batch_norm_inference", x, gamma, beta,
                                                                 moving_mean, moving_var)
    epsilon = check.number("batch_norm_inference", "epsilon", epsilon, low=0, low_open=True)
    return gamma * (x - moving_mean) / np.sqrt(moving_var + epsilon) + beta


def _batch_norm_inputs(who, x, gamma, beta, moving_mean, moving_var):
    x = check.array(who, "x", x, ndim=(2, 3, 4))
    channels = (x.shape[-1],)
    rest = [check.array(who, name, value, shape=channels) for name, value in
            (("gamma", gamma), ("beta", beta), ("moving_mean", moving_mean), ("moving_var", moving_var))]
    if rest[3].min() < 0:
        raise ValueError(f"{who}: moving_var must not be negative, got {rest[3].min():g}.")
    return (x, *rest)


def dropout(x, rate: float, rng, training: bool = True):
    """Inverted dropout: in training zero each value with probability ``rate`` and scale the rest by
    1 / (1 - rate), so the expected value is unchanged; at inference, do nothing."""
    rate = check.number("dropout", "rate", rate, low=0, high=1, high_open=True)
    x = check.array("dropout", "x", x)
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"dropout: rng must be a NumPy Generator such as np.random.default_rng(0), got {rng!r}.")
    if not training or rate == 0:
        return x
    keep = rng.random(x.shape) >= rate
    return np.where(keep, x / (1 - rate), 0.0)


KERNEL_PRESETS = {
    "identity": [[0, 0, 0], [0, 1, 0], [0, 0, 0]],
    "vertical edges (Sobel x)": [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]],
    "horizontal edges (Sobel y)": [[-1, -2, -1], [0, 0, 0], [1, 2, 1]],
    "vertical line": [[0, 1, 0], [0, 1, 0], [0, 1, 0]],
    "horizontal line": [[0, 0, 0], [1, 1, 1], [0, 0, 0]],
    "blur (box)": [[1 / 9] * 3] * 3,
    "sharpen": [[0, -1, 0], [-1, 5, -1], [0, -1, 0]],
    "outline (Laplacian)": [[-1, -1, -1], [-1, 8, -1], [-1, -1, -1]],
}
POOLING_CHOICES = ("none", "max 2x2", "average 2x2")


def feature_map(gray_image, kernel, stride: int = 1, padding: str = "valid", pooling: str = "none"):
    """Convolve a grayscale image with one 2-D kernel, then optionally pool 2x2: the kernel widget's pipeline."""
    pooling = check.choice("feature_map", "pooling", pooling, POOLING_CHOICES)
    check.array("feature_map", "gray_image", gray_image, ndim=2)
    kernel = check.array("feature_map", "kernel", kernel, ndim=2)
    out = conv2d(gray_image, kernel, stride=stride, padding=padding)
    if pooling != "none":
        out = pool2d(out, 2, mode="max" if pooling.startswith("max") else "average")
    return out


# =================================================================== tuning (notebook 09)


def selection_optimism(correct, n_select: int, n_splits: int = 200, seed: int = 0) -> dict:
    """How much picking the best of several models on a held-out set flatters the winner.

    ``correct`` is a (models, images) array of 0/1: whether each model got each image right. In each of
    ``n_splits`` random splits, the first ``n_select`` images play a test set used to *choose* the model;
    the winner's accuracy there is compared with its accuracy on the remaining images, which took no part in
    the choice. Returns ``{"chosen_score", "fresh_score", "optimism"}``: arrays with one value per split
    (optimism = chosen - fresh). With one model the optimism averages zero; the more models compete and the
    smaller the choosing set, the larger it gets.
    """
    correct = check.array("selection_optimism", "correct", correct, ndim=2)
    if not np.all((correct == 0) | (correct == 1)):
        raise ValueError("selection_optimism: correct must hold only 0 and 1 (right or wrong per image).")
    n_images = correct.shape[1]
    n_select = check.whole("selection_optimism", "n_select", n_select, low=1, high=n_images - 1)
    n_splits = check.whole("selection_optimism", "n_splits", n_splits, low=1)
    rng = np.random.default_rng(seed)
    chosen, fresh = np.empty(n_splits), np.empty(n_splits)
    for split in range(n_splits):
        order = rng.permutation(n_images)
        select, rest = order[:n_select], order[n_select:]
        scores = correct[:, select].mean(axis=1)
        winner = int(np.argmax(scores))
        chosen[split], fresh[split] = scores[winner], correct[winner, rest].mean()
    return {"chosen_score": chosen, "fresh_score": fresh, "optimism": chosen - fresh}


CURVE_DIAGNOSES = ("underfitting", "overfitting", "good fit")


def diagnose_curves(train_loss, val_loss, high_loss: float, rise: float = 0.1, gap: float = 2.0) -> str:
    """Read a pair of learning curves the way notebook 09's table does.

    "overfitting" if the validation loss ended more than ``rise`` (as a fraction) above its lowest value
    while the training loss kept falling, or if it ended more than ``gap`` times the training loss (the
    model does far better on what it has seen); else "underfitting" if even the lower of the two final
    losses is above ``high_loss`` (what counts as high depends on the task: the notebook takes it from a
    baseline; the lower one, because with dropout or augmentation on, Keras's training loss is measured on
    a harder task than the validation loss); else "good fit".
    """
    train = check.array("diagnose_curves", "train_loss", train_loss, ndim=1, min_size=2)
    val = check.array("diagnose_curves", "val_loss", val_loss, ndim=1, min_size=2)
    if train.shape != val.shape:
        raise ValueError(f"diagnose_curves: train_loss and val_loss must have the same length, got "
                         f"{len(train)} and {len(val)}.")
    high_loss = check.number("diagnose_curves", "high_loss", high_loss, low=0, low_open=True)
    rise = check.number("diagnose_curves", "rise", rise, low=0)
    gap = check.number("diagnose_curves", "gap", gap, low=1)
    best = int(np.argmin(val))
    if (val[-1] > (1 + rise) * val[best] and train[-1] < train[best]) or val[-1] > gap * train[-1]:
        return "overfitting"
    if min(train[-1], val[-1]) > high_loss:
        return "underfitting"
    return "good fit"


def mean_and_spread(values) -> tuple[float, float]:
    """Mean and sample standard deviation (ddof=1) of repeated measurements, e.g. one per seed."""
    values = check.array("mean_and_spread", "values", values, ndim=1, min_size=2)
    return float(np.mean(values)), float(np.std(values, ddof=1))


def compare_seeds(a, b) -> str:
    """"higher", "lower" or "tie": is ``a``'s mean above ``b``'s by more than their two spreads together?

    Each is a list of one measurement per seed; the spread is the sample standard deviation.
    """
    (mean_a, spread_a), (mean_b, spread_b) = mean_and_spread(a), mean_and_spread(b)
    if abs(mean_a - mean_b) <= spread_a + spread_b:
        return "tie"
    return "higher" if mean_a > mean_b else "lower"


def l2_penalty(weights, factor: float) -> float:
    """What ``keras.regularizers.L2(factor)`` adds to the loss for one weight array: factor * sum(w**2)."""
    weights = check.array("l2_penalty", "weights", weights, min_size=0)
    factor = check.number("l2_penalty", "factor", factor, low=0)
    return float(factor * np.sum(weights ** 2))


# =================================================================== architectures (notebook 11)


def conv2d_macs(out_h: int, out_w: int, kernel: int, channels_in: int, filters: int) -> int:
    """Multiply-adds of a regular convolution: every output value sums kernel * kernel * channels_in products."""
    values = [check.whole("conv2d_macs", name, v, low=1) for name, v in
              (("out_h", out_h), ("out_w", out_w), ("kernel", kernel), ("channels_in", channels_in),
               ("filters", filters))]
    out_h, out_w, kernel, channels_in, filters = values
    return out_h * out_w * kernel * kernel * channels_in * filters


def separable_conv2d_params(kernel: int, channels_in: int, filters: int, bias: bool = True) -> int:
    """Depthwise (one kernel x kernel filter per input channel) then pointwise (1x1, channels_in -> filters)."""
    kernel = check.whole("separable_conv2d_params", "kernel", kernel, low=1)
    channels_in = check.whole("separable_conv2d_params", "channels_in", channels_in, low=1)
    filters = check.whole("separable_conv2d_params", "filters", filters, low=1)
    return kernel * kernel * channels_in + channels_in * filters + (filters if bias else 0)


def separable_conv2d_macs(out_h: int, out_w: int, kernel: int, channels_in: int, filters: int) -> int:
    """Multiply-adds of a depthwise-separable convolution (stride 1): depthwise plus pointwise."""
    per_position = (check.whole("separable_conv2d_macs", "kernel", kernel, low=1) ** 2 * channels_in
                    + channels_in * filters)
    return check.whole("separable_conv2d_macs", "out_h", out_h, low=1) * \
        check.whole("separable_conv2d_macs", "out_w", out_w, low=1) * per_position


def se_block_params(channels: int, ratio: int = 16) -> int:
    """Squeeze-and-excitation: GAP, Dense(channels / ratio, relu), Dense(channels, sigmoid), both with biases."""
    channels = check.whole("se_block_params", "channels", channels, low=1)
    ratio = check.whole("se_block_params", "ratio", ratio, low=1, high=channels)
    squeezed = channels // ratio
    return channels * squeezed + squeezed + squeezed * channels + channels


def local_response_norm(x, depth_radius: int = 2, bias: float = 1.0, alpha: float = 1e-4, beta: float = 0.75):
    """AlexNet's local response normalization across channels (the last axis), as tf.nn defines it:
    x / (bias + alpha * sum of x**2 over channels c - r .. c + r) ** beta."""
    x = check.array("local_response_norm", "x", x, min_size=1)
    depth_radius = check.whole("local_response_norm", "depth_radius", depth_radius, low=0)
    squares = x ** 2
    channels = x.shape[-1]
    summed = np.zeros_like(x)
    for c in range(channels):
        low, high = max(0, c - depth_radius), min(channels, c + depth_radius + 1)
        summed[..., c] = squares[..., low:high].sum(axis=-1)
    return x / (bias + alpha * summed) ** beta


def caffe_lrn(x, local_size: int = 5, alpha: float = 1e-4, beta: float = 0.75, k: float = 1.0):
    """Local response normalization as Caffe computes it (the reference AlexNet's framework):
    x / (k + alpha / local_size * sum of x**2 over the local_size channels centred on c) ** beta.

    Caffe divides ``alpha`` by the window size; the AlexNet paper and ``tf.nn.local_response_normalization``
    do not, so Caffe's alpha = 1e-4 over 5 channels is TensorFlow's alpha = 2e-5 with depth_radius = 2.
    """
    local_size = check.whole("caffe_lrn", "local_size", local_size, low=1)
    if local_size % 2 == 0:
        raise ValueError(f"caffe_lrn: local_size must be odd (a window centred on each channel), got {local_size}.")
    x = check.array("caffe_lrn", "x", x, min_size=1)
    half = local_size // 2
    padded = np.pad(x ** 2, [(0, 0)] * (x.ndim - 1) + [(half, half)])  # channels beyond the edges count as 0
    summed = sum(padded[..., i:i + x.shape[-1]] for i in range(local_size))
    return x / (k + alpha / local_size * summed) ** beta


def inception_params(channels_in: int, c1: int, c3_reduce: int, c3: int, c5_reduce: int, c5: int,
                     pool_proj: int) -> int:
    """Parameters of a GoogLeNet inception module (all convolutions with biases): a 1x1 branch, 1x1 -> 3x3,
    1x1 -> 5x5, and 3x3 max pool -> 1x1. Its output has c1 + c3 + c5 + pool_proj channels."""
    widths = [check.whole("inception_params", name, value, low=1) for name, value in
              (("channels_in", channels_in), ("c1", c1), ("c3_reduce", c3_reduce), ("c3", c3),
               ("c5_reduce", c5_reduce), ("c5", c5), ("pool_proj", pool_proj))]
    channels_in, c1, c3_reduce, c3, c5_reduce, c5, pool_proj = widths
    return (conv2d_params(1, 1, channels_in, c1) + conv2d_params(1, 1, channels_in, c3_reduce)
            + conv2d_params(3, 3, c3_reduce, c3) + conv2d_params(1, 1, channels_in, c5_reduce)
            + conv2d_params(5, 5, c5_reduce, c5) + conv2d_params(1, 1, channels_in, pool_proj))


def resnet_bottleneck_params(channels_in: int, filters: int, projection: bool, bias: bool = True) -> int:
    """Parameters of a bottleneck residual unit (ResNet-50/101/152): 1x1 conv to ``filters``, 3x3 conv,
    1x1 conv back up to 4 * ``filters``, each followed by batch norm (4 numbers per channel: gamma, beta,
    moving mean, moving variance); a ``projection`` shortcut adds a 1x1 conv to 4 * ``filters`` and its
    batch norm. ``bias=True`` counts a bias per conv filter, as ``keras.applications.ResNet152`` has."""
    channels_in = check.whole("resnet_bottleneck_params", "channels_in", channels_in, low=1)
    filters = check.whole("resnet_bottleneck_params", "filters", filters, low=1)
    out = 4 * filters
    b = 1 if bias else 0
    count = (channels_in + b) * filters + (9 * filters + b) * filters + (filters + b) * out
    count += 4 * (filters + filters + out)
    if projection:
        count += (channels_in + b) * out + 4 * out
    return count


# =================================================================== localization (notebook 10)


def iou(box_a, box_b) -> float | np.ndarray:
    """Intersection over union of boxes given as (x_min, y_min, x_max, y_max); works on arrays of boxes (..., 4)."""
    a = check.array("iou", "box_a", box_a)
    b = check.array("iou", "box_b", box_b)
    if a.shape[-1] != 4 or b.shape[-1] != 4:
        raise ValueError(f"iou: boxes must end in 4 numbers (x_min, y_min, x_max, y_max), got shapes "
                         f"{a.shape} and {b.shape}.")
    if np.any(a[..., 2:] < a[..., :2]) or np.any(b[..., 2:] < b[..., :2]):
        raise ValueError("iou: each box must have x_max >= x_min and y_max >= y_min.")
    width = np.clip(np.minimum(a[..., 2], b[..., 2]) - np.maximum(a[..., 0], b[..., 0]), 0, None)
    height = np.clip(np.minimum(a[..., 3], b[..., 3]) - np.maximum(a[..., 1], b[..., 1]), 0, None)
    inter = width * height
    area_a = (a[..., 2] - a[..., 0]) * (a[..., 3] - a[..., 1])
    area_b = (b[..., 2] - b[..., 0]) * (b[..., 3] - b[..., 1])
    union = area_a + area_b - inter
    result = np.divide(inter, union, out=np.zeros_like(inter), where=union > 0)
    return float(result) if result.ndim == 0 else result
