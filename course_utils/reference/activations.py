"""Activation functions and their gradients, and what depth does to signals (notebook 02)."""

from __future__ import annotations

import numpy as np

from .. import validate
from .perceptron import step


def sigmoid(z):
    """1 / (1 + e^-z), computed without overflow for large |z|."""
    z = validate.array("sigmoid", "z", z, min_size=0)
    out = np.empty_like(z)
    positive = z >= 0
    out[positive] = 1 / (1 + np.exp(-z[positive]))
    e = np.exp(z[~positive])
    out[~positive] = e / (1 + e)
    return out


def _sigmoid_grad(z):
    s = sigmoid(z)
    return s * (1 - s)


def tanh(z):
    return np.tanh(validate.array("tanh", "z", z, min_size=0))


def _tanh_grad(z):
    return 1 - np.tanh(np.asarray(z, dtype=np.float64)) ** 2


def relu(z):
    return np.maximum(validate.array("relu", "z", z, min_size=0), 0)


def _relu_grad(z):
    """0 for z < 0, 1 for z > 0; at exactly 0 we use 0, as TensorFlow does."""
    return (np.asarray(z) > 0).astype(np.float64)


LEAKY_SLOPE = 0.2  # Keras 3's default negative_slope (many texts use 0.01)


def leaky_relu(z, negative_slope: float = LEAKY_SLOPE):
    z = validate.array("leaky_relu", "z", z, min_size=0)
    negative_slope = validate.number("leaky_relu", "negative_slope", negative_slope, low=0)
    return np.where(z >= 0, z, negative_slope * z)


def _leaky_relu_grad(z, negative_slope: float = LEAKY_SLOPE):
    return np.where(np.asarray(z) > 0, 1.0, negative_slope)


def step_grad(z):
    """The step's derivative is 0 wherever it exists: no signal for gradient descent."""
    return np.zeros_like(np.asarray(z, dtype=np.float64))


def softmax_naive(z, axis: int = -1):
    """e^z / sum(e^z) as written in textbooks: overflows for large z."""
    e = np.exp(validate.array("softmax_naive", "z", z))
    return e / e.sum(axis=axis, keepdims=True)


def softmax(z, axis: int = -1):
    """Numerically stable softmax: subtracting max(z) changes nothing mathematically
    (it cancels in the ratio) but keeps every exponent <= 0."""
    z = validate.array("softmax", "z", z)
    e = np.exp(z - z.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


ACTIVATIONS = {
    "step": (lambda z: step(z).astype(np.float64), step_grad),
    "sigmoid": (sigmoid, _sigmoid_grad),
    "tanh": (tanh, _tanh_grad),
    "relu": (relu, _relu_grad),
    "leaky_relu": (leaky_relu, _leaky_relu_grad),
}


def activation(name: str):
    """(f, f') for an activation name in ACTIVATIONS."""
    return ACTIVATIONS[validate.choice("activation", "name", name, ACTIVATIONS)]


def activation_curves(name: str, low: float = -6.0, high: float = 6.0, points: int = 401):
    """z, f(z), f'(z) on [low, high]; what the activation widget draws."""
    low = validate.number("activation_curves", "low", low)
    high = validate.number("activation_curves", "high", high)
    if low >= high:
        raise ValueError(f"activation_curves: need low < high, got {low} and {high}.")
    points = validate.whole("activation_curves", "points", points, low=2)
    f, df = activation(name)
    z = np.linspace(low, high, int(points))
    return z, f(z), df(z)


_INITIALISERS = ("glorot", "he")


def _deep_stack(who: str, depth, width, n, seed, init, scale):
    """Weights of ``depth`` square Dense layers and a batch of standard-normal inputs."""
    depth, width, n = (validate.whole(who, name, value, low=1)
                       for name, value in (("depth", depth), ("width", width), ("n", n)))
    init = validate.choice(who, "init", init, _INITIALISERS)
    scale = validate.number(who, "scale", scale, low=0, low_open=True)
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
