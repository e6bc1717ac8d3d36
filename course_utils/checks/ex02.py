"""Exercises of notebook 02: the sigmoid's slope, a stable softmax, output activations."""

import numpy as np

from .. import reference
from ..language import N_, tr
from .core import Exercise, Incorrect, choices_table, function, is_close, number, returned

#: Inputs a stable softmax must survive. Only subtracting the maximum passes all of them:
#: subtracting the minimum overflows on [0, 1000], the mean on [0, 2000], z[0] on [0, 1000],
#: and "z % 1000" tricks change the answer on [0, 1000].
_SOFTMAX_CASES = (
    [1.0, 2.0, 3.0],
    [1000.0, 1001.0, 1002.0],
    [-1000.0, -999.0, -998.0],
    [0.0, 1000.0],
    [0.0, 2000.0],
    [1000.0, 0.0, -1000.0],
    [5.0],
    [-3.0, 0.0, 2.0, 7.5],
)
OUTPUTS = {"linear": ("none", "identity", "no activation"), "sigmoid": ("logistic",), "softmax": ()}
TASKS = {
    "house price (a number)": "linear",
    "spam or not spam": "sigmoid",
    "which of 10 clothing classes": "softmax",
    "which tags (several may apply) fit a photo": "sigmoid",
}
WHY = {
    "linear": N_("a regression output must be free to take any value"),
    "sigmoid": N_("each yes/no answer is its own probability between 0 and 1"),
    "softmax": N_("exactly one class is right, so the probabilities must add up to 1"),
}


def _check_sigmoid_slope(value) -> str:
    value = number(value)
    if is_close(value, 0.25, decimals=3):
        return tr("sigma'(0) = sigma(0) * (1 - sigma(0)) = 0.5 * 0.5: the steepest the sigmoid ever gets.")
    if is_close(value, 0.5, decimals=3):
        raise Incorrect(tr("0.5 is sigma(0), the value; the slope is sigma(0) * (1 - sigma(0))."))
    raise Incorrect(tr("{value} is not it (give it to 3 decimals). Use sigma'(z) = sigma(z) * (1 - sigma(z)) "
                       "at z = 0.",
                       value=value))


def _check_softmax(softmax_fn) -> str:
    softmax_fn = function(softmax_fn)
    for case in _SOFTMAX_CASES:
        z = np.array(case)
        with np.errstate(all="ignore"):
            out = returned(softmax_fn(z.copy()), tr("your function"))
        try:
            out = np.asarray(out, dtype=float)
        except (TypeError, ValueError):
            raise Incorrect(tr("for {case} your function returned {out!r}, not an array of numbers.",
                               case=case, out=out)) from None
        if out.shape != z.shape:
            raise Incorrect(tr("for {case} your function returned shape {shape}; expected {shape2}, one "
                               "probability per input.",
                               case=case, shape=out.shape, shape2=z.shape))
        if not np.all(np.isfinite(out)):
            raise Incorrect(tr("for {case} you return {out}: an exponent overflowed. Subtract max(z) first: "
                               "then every exponent is <= 0.",
                               case=case, out=out))
        expected = reference.softmax(z)
        if not np.allclose(out, expected, atol=1e-9):
            raise Incorrect(tr("for {case} you return {out}, expected {expected}. softmax(z) = e^(z - c) / "
                               "sum(e^(z - c)) for one constant c = max(z).",
                               case=case, out=np.round(out, 4), expected=np.round(expected, 4)))
    return tr("Subtracting the maximum keeps every exponent <= 0, and cancels in the ratio.")


def _check_output_activations(answers) -> str:
    choices_table(answers, TASKS, OUTPUTS,
                  lambda item, right, given: tr("'{item}' needs '{right}', not '{given}': {WHY_right}.",
                                                item=item, right=right, given=given, WHY_right=tr(WHY[right])))
    return tr("Hidden layers get ReLU (or a cousin); the output activation follows from the task.")


sigmoid_slope = Exercise(
    N_("02.1 the sigmoid's slope"), "What is the derivative of the sigmoid at z = 0 (to 3 decimals)?",
    _check_sigmoid_slope, (N_("sigma(0) = 0.5."), N_("sigma'(z) = sigma(z) * (1 - sigma(z)).")),
    "slope = 0.5 * (1 - 0.5)   # 0.25", (0.25,))
stable_softmax = Exercise(
    N_("02.2 a stable softmax"), "Write softmax(z) for a 1-D array z that works for z = [1000, 1001, 1002].",
    _check_softmax,
    (N_("softmax(z) = softmax(z - c) for any constant c."), N_("Use c = z.max(): then no exponent is positive.")),
    "def my_softmax(z):\n    e = np.exp(z - np.max(z))\n    return e / e.sum()",
    (reference.softmax,))
output_layer = Exercise(
    N_("02.3 output activations"), "Choose the output activation ('linear', 'sigmoid' or 'softmax') for each task.",
    _check_output_activations,
    (N_("Is the answer a number, one yes/no, one of many, or several yes/no answers?"),),
    "answers = {'house price (a number)': 'linear', 'spam or not spam': 'sigmoid',\n"
    "           'which of 10 clothing classes': 'softmax',\n"
    "           'which tags (several may apply) fit a photo': 'sigmoid'}",
    (dict(TASKS),))
