"""A multilayer perceptron with hand-written backpropagation, gradient checks, parameter counts (notebooks 05, 06)."""

from __future__ import annotations

import numpy as np

from .. import validate
from .activations import activation, sigmoid


def dense_params(n_inputs: int, n_units: int) -> int:
    """Parameters of a Dense layer: one weight per input per unit, plus one bias per unit."""
    n_inputs = validate.whole("dense_params", "n_inputs", n_inputs, low=1)
    n_units = validate.whole("dense_params", "n_units", n_units, low=1)
    return (n_inputs + 1) * n_units


def mlp_params(layer_sizes) -> int:
    """Total parameters of a stack of Dense layers, e.g. ``mlp_params([784, 512, 512, 10])``."""
    if isinstance(layer_sizes, str) or not hasattr(layer_sizes, "__iter__"):
        raise TypeError(f"mlp_params: layer_sizes must be a list of whole numbers, got {layer_sizes!r}.")
    sizes = list(layer_sizes)
    if len(sizes) < 2:
        raise ValueError("mlp_params: give at least an input size and one layer size.")
    return sum(dense_params(a, b) for a, b in zip(sizes[:-1], sizes[1:]))


class NumpyMLP:
    """A fully connected network for binary classification, written out by hand.

    Hidden layers use ``activation``; the output is one sigmoid unit; the loss
    is the mean binary cross-entropy. ``gradients`` is backpropagation: the
    chain rule applied layer by layer from the loss back to the first weights.
    """

    def __init__(self, sizes, hidden_activation: str = "tanh", seed: int = 0):
        if isinstance(sizes, str) or not hasattr(sizes, "__iter__"):
            raise TypeError(f"NumpyMLP: sizes must be a list of layer sizes such as [2, 8, 1], got {sizes!r}.")
        sizes = [validate.whole("NumpyMLP", "sizes", s, low=1) for s in sizes]
        seed = validate.whole("NumpyMLP", "seed", seed, low=0)
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
        a = validate.array("NumpyMLP", "x", x, shape=(None, self.weights[0].shape[0]))
        cache = []
        for k, (w, b) in enumerate(zip(self.weights, self.biases)):
            z = a @ w + b
            cache.append((a, z))
            a = sigmoid(z) if k == len(self.weights) - 1 else self.f(z)
        return a[:, 0], cache

    def _targets(self, y, n: int):
        y = validate.array("NumpyMLP", "y", y).reshape(-1)
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
        learning_rate = validate.number("NumpyMLP.train_step", "learning_rate", learning_rate, low=0, low_open=True)
        grads = self.gradients(x, y)
        for param, grad in zip(self.params, grads):
            param -= learning_rate * grad
        return self.loss(x, y)

    def fit(self, x, y, epochs: int = 1000, learning_rate: float = 0.5, batch_size: int | None = None,
            seed: int = 0) -> list:
        """Mini-batch gradient descent; returns the loss after each epoch."""
        x = validate.array("NumpyMLP.fit", "x", x, shape=(None, self.weights[0].shape[0]))
        y = self._targets(y, len(x))
        epochs = validate.whole("NumpyMLP.fit", "epochs", epochs, low=1)
        learning_rate = validate.number("NumpyMLP.fit", "learning_rate", learning_rate, low=0, low_open=True)
        rng = np.random.default_rng(validate.whole("NumpyMLP.fit", "seed", seed, low=0))
        size = len(x) if batch_size is None else validate.whole("NumpyMLP.fit", "batch_size", batch_size, low=1)
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
    a = validate.array("relative_error", "a", a, min_size=0)
    b = validate.array("relative_error", "b", b, min_size=0)
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
    epsilon = validate.number("numerical_gradients", "epsilon", epsilon, low=0, low_open=True)
    grads = [numerical_gradient(lambda: model.loss(x, y), param, epsilon) for param in model.params]
    return grads
