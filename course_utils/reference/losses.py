"""Loss functions as Keras computes them, and their gradients (notebook 03)."""

from __future__ import annotations

import numpy as np

from .. import validate

#: Keras's loss names, each with the other spellings Keras accepts (what the exercise checkers read).
KERAS_LOSSES = {
    "mse": ("mean_squared_error", "MeanSquaredError"),
    "mae": ("mean_absolute_error", "MeanAbsoluteError"),
    "huber": ("Huber",),
    "binary_crossentropy": ("BinaryCrossentropy",),
    "categorical_crossentropy": ("CategoricalCrossentropy",),
    "sparse_categorical_crossentropy": ("SparseCategoricalCrossentropy",),
}

EPSILON = 1e-7  # Keras's backend epsilon: probabilities are clipped to [eps, 1 - eps]


def _pair(who: str, y_true, y_pred, pred_name: str = "y_pred", probabilities: bool = False):
    """Two arrays of the same shape; with ``probabilities`` both must lie in [0, 1] (targets are probabilities too)."""
    y_true = validate.array(who, "y_true", y_true)
    y_pred = validate.array(who, pred_name, y_pred)
    if y_true.shape != y_pred.shape:
        raise ValueError(f"{who}: y_true and {pred_name} must have the same shape, got {y_true.shape} and "
                         f"{y_pred.shape}.")
    if probabilities and (y_true.min() < 0 or y_true.max() > 1):
        raise ValueError(f"{who}: y_true must be targets in [0, 1] (0 or 1, or soft labels), got values from "
                         f"{y_true.min():g} to {y_true.max():g}.")
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
    epsilon = validate.number("binary_crossentropy", "epsilon", epsilon, low=0, high=0.5, high_open=True)
    p = np.clip(p, epsilon, 1 - epsilon)
    return np.mean(-(y_true * np.log(p) + (1 - y_true) * np.log(1 - p)), axis=-1)


def categorical_crossentropy(y_true, p, epsilon: float = EPSILON):
    """-sum(y log p) over classes, for one-hot y and probabilities p."""
    y_true, p = _pair("categorical_crossentropy", y_true, p, "p", probabilities=True)
    epsilon = validate.number("categorical_crossentropy", "epsilon", epsilon, low=0, high=0.5, high_open=True)
    if np.any(p.sum(axis=-1) == 0):
        raise ValueError("categorical_crossentropy: every row of p must have a positive sum (probabilities).")
    p = np.clip(p / p.sum(axis=-1, keepdims=True), epsilon, 1 - epsilon)
    return -np.sum(y_true * np.log(p), axis=-1)


def sparse_categorical_crossentropy(labels, p, epsilon: float = EPSILON):
    """The same loss with integer labels instead of one-hot rows."""
    p = validate.array("sparse_categorical_crossentropy", "p", p, ndim=(1, 2))
    p = p.reshape(1, -1) if p.ndim == 1 else p
    labels = validate.class_labels("sparse_categorical_crossentropy", "labels", labels, p.shape[-1]).reshape(-1)
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
