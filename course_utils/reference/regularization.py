"""Batch normalisation and dropout by hand (notebook 08)."""

from __future__ import annotations

import numpy as np

from .. import validate


def batch_norm_train(x, gamma, beta, moving_mean, moving_var, momentum: float = 0.99, epsilon: float = 1e-3):
    """Batch normalization in training mode (Keras's defaults). Normalises with the *batch's* mean and
    variance, then scales by gamma and shifts by beta; returns (output, new moving mean, new moving var)."""
    x, gamma, beta, moving_mean, moving_var = _batch_norm_inputs("batch_norm_train", x, gamma, beta, moving_mean,
                                                                 moving_var)
    momentum = validate.number("batch_norm_train", "momentum", momentum, low=0, high=1)
    epsilon = validate.number("batch_norm_train", "epsilon", epsilon, low=0, low_open=True)
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
    epsilon = validate.number("batch_norm_inference", "epsilon", epsilon, low=0, low_open=True)
    return gamma * (x - moving_mean) / np.sqrt(moving_var + epsilon) + beta


def _batch_norm_inputs(who, x, gamma, beta, moving_mean, moving_var):
    x = validate.array(who, "x", x, ndim=(2, 3, 4))
    channels = (x.shape[-1],)
    rest = [validate.array(who, name, value, shape=channels) for name, value in
            (("gamma", gamma), ("beta", beta), ("moving_mean", moving_mean), ("moving_var", moving_var))]
    if rest[3].min() < 0:
        raise ValueError(f"{who}: moving_var must not be negative, got {rest[3].min():g}.")
    return (x, *rest)


def dropout(x, rate: float, rng, training: bool = True):
    """Inverted dropout: in training zero each value with probability ``rate`` and scale the rest by
    1 / (1 - rate), so the expected value is unchanged; at inference, do nothing."""
    rate = validate.number("dropout", "rate", rate, low=0, high=1, high_open=True)
    x = validate.array("dropout", "x", x)
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"dropout: rng must be a NumPy Generator such as np.random.default_rng(0), got {rng!r}.")
    if not training or rate == 0:
        return x
    keep = rng.random(x.shape) >= rate
    return np.where(keep, x / (1 - rate), 0.0)
