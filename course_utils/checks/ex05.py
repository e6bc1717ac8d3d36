"""Exercises of notebook 05: the chain rule, counting an MLP's parameters, one layer's backward pass."""

import numpy as np

from .. import reference
from ..language import N_, tr
from .core import Exercise, Incorrect, function, is_close, number, returned, whole_number


def _check_chain_rule(value) -> str:
    # L = (w * x - t)^2 with w = 3, x = 2, t = 4: dL/dw = 2 (w x - t) x = 2 * 2 * 2 = 8
    value = number(value, "dL_dw")
    if is_close(value, 8.0, decimals=3):
        return tr("dL/dw = dL/dy * dy/dw = 2 (y - t) * x = 2 * 2 * 2 = 8.")
    if is_close(value, 4.0, decimals=3):
        raise Incorrect(tr("4 is dL/dy = 2 (y - t); multiply by dy/dw = x = 2 (the chain rule)."))
    raise Incorrect(tr("{value} is not it. y = w x = 6; dL/dy = 2 (y - t); dy/dw = x.", value=value))


def _check_mlp_count(count) -> str:
    right = reference.mlp_params([4, 5, 3, 1])
    count = whole_number(count, tr("the parameter count"))
    if count == right:
        return f"(4+1)*5 + (5+1)*3 + (3+1)*1 = {right}."
    if count == 4 * 5 + 5 * 3 + 3 * 1:
        raise Incorrect(tr("{count} counts only the weights; every unit also has a bias.", count=count))
    raise Incorrect(tr("{count} is not it. Use (inputs + 1) * units for each layer.", count=count))


chain_rule = Exercise(
    N_("05.1 the chain rule"),
    "y = w * x and L = (y - t)^2 with w = 3, x = 2, t = 4. What is dL/dw?",
    _check_chain_rule, (N_("First dL/dy, then dy/dw, then multiply."),), "dL_dw_answer = 2 * (3 * 2 - 4) * 2   # 8",
    (8.0,))
count = Exercise(
    N_("05.2 parameters and hyperparameters"),
    "An MLP 4-5-3-1 (with biases). How many parameters does training adjust?",
    _check_mlp_count, (N_("Each layer: (inputs + 1) * units."),),
    "count = (4 + 1) * 5 + (5 + 1) * 3 + (3 + 1) * 1   # 47",
    (47,))


def _reference_dense_backward(a_in, w, delta):
    return a_in.T @ delta, delta.sum(axis=0), delta @ w.T


def _check_dense_backward(dense_backward) -> str:
    dense_backward = function(dense_backward)
    rng = np.random.default_rng(5)
    a_in, w, b = rng.normal(size=(5, 3)), rng.normal(size=(3, 4)), rng.normal(size=4)
    delta = rng.normal(size=(5, 4))  # dL/dZ for the loss L = sum(delta * Z), Z = a_in @ w + b

    def loss():
        return float(np.sum(delta * (a_in @ w + b)))

    expected = {name: reference.numerical_gradient(loss, value)
                for name, value in (("dL/dw", w), ("dL/db", b), ("dL/da_in", a_in))}
    try:
        result = dense_backward(a_in.copy(), w.copy(), delta.copy())
    except ValueError as error:  # usually matmul with mismatched shapes
        raise Incorrect(tr("your function raised ValueError ({str_error_80}...). Check the shapes: a_in is (5, "
                           "3), w is (3, 4), delta is (5, 4); which product gives each gradient's shape?",
                           str_error_80=str(error)[:80])) from None
    result = returned(result, "dense_backward")
    if not (isinstance(result, tuple | list) and len(result) == 3):
        raise Incorrect(tr("return three arrays: (dL/dw, dL/db, dL/da_in)."))
    for (name, want), got in zip(expected.items(), result):
        got = np.asarray(got, dtype=float) if not isinstance(got, str) else got
        if isinstance(got, str) or got.shape != want.shape:
            shape = getattr(got, "shape", type(got).__name__)
            raise Incorrect(tr("{name} must have shape {shape} (the shape of what it is the gradient of), got "
                               "{shape2}. A transpose in the wrong place changes the shape.",
                               name=name, shape=want.shape, shape2=shape))
        error = reference.relative_error(got, want)
        if error > 1e-5:
            hint = tr(" Is a sign flipped?") if reference.relative_error(-got, want) < 1e-5 else ""
            raise Incorrect(tr("{name} differs from finite differences (relative error {error:.1e}).{hint}",
                               name=name, error=error, hint=hint))
    return tr("dW = A^T delta, db = delta summed over the batch, dA = delta W^T: all three match finite differences.")


dense_backward = Exercise(
    N_("05.3 one layer's backward pass"),
    "Write dense_backward(a_in, w, delta) for Z = a_in @ w + b, with delta = dL/dZ: return (dL/dw, dL/db, dL/da_in).",
    _check_dense_backward,
    (N_("Check shapes first: dL/dw has w's shape (in, out); a_in is (n, in) and delta is (n, out)."),
     N_("dL/dw = a_in.T @ delta; dL/db sums delta over the batch (axis 0); dL/da_in = delta @ w.T.")),
    "def dense_backward(a_in, w, delta):\n    return a_in.T @ delta, delta.sum(axis=0), delta @ w.T",
    (_reference_dense_backward,),
)
