"""Exercises of notebook 01: a NAND perceptron, the learning rule, XOR from two perceptrons."""

import numpy as np

from .. import reference
from ..data import logic_gate
from ..language import N_, tr
from .core import Exercise, Incorrect, array, function, number, returned


def _gate_checker(gate: str):
    def check(w1, w2, b) -> str:
        w1, w2, b = (number(value, name) for name, value in (("w1", w1), ("w2", w2), ("b", b)))
        table = reference.truth_table(w1, w2, b, gate)
        for x1, x2, z, out, target in table["rows"]:
            if out != target:
                raise Incorrect(
                    tr("your weights classify ({x1}, {x2}) as {out} (z = {z:+.2f}); {gate} needs {target} "
                       "there.",
                       x1=x1, x2=x2, out=out, z=z, gate=gate, target=target)
                )
        return tr("Your perceptron computes {gate} on all four inputs.", gate=gate)

    return check


def _reference_update(w, b, x, y, lr):
    error = y - reference.step(x @ w + b)
    return w + lr * error * x, b + lr * error


def _check_update(update) -> str:
    update = function(update, tr("your answer"))
    cases = [
        # w, b, x, y, lr -> expected w, b
        (np.array([0.0, 0.0]), 0.0, np.array([1.0, 1.0]), 0, 0.5),   # predicted 1, target 0
        (np.array([0.2, -0.4]), -0.5, np.array([1.0, 0.0]), 1, 0.1),  # predicted 0, target 1
        (np.array([1.0, 1.0]), -1.5, np.array([1.0, 1.0]), 1, 0.1),  # correct: no change
    ]
    for w, b, x, y, lr in cases:
        want_w, want_b = _reference_update(w, b, x, y, lr)
        result = returned(update(w.copy(), b, x, y, lr), tr("your function"))
        if not (isinstance(result, tuple | list) and len(result) == 2):
            raise Incorrect(tr("return a pair (new_w, new_b); your function returned {result!r}.", result=result))
        got_w = array(result[0], (2,), tr("the new w"))
        got_b = number(np.asarray(result[1]).item() if np.ndim(result[1]) == 0 else result[1], tr("the new b"))
        if not np.allclose(got_w, want_w):
            raise Incorrect(tr("for w={w}, b={b}, x={x}, y={y}, lr={lr} the new w should be {want_w}, you "
                               "returned {got_w}. Remember: w += lr * (y - y_hat) * x.",
                               w=w, b=b, x=x, y=y, lr=lr, want_w=want_w, got_w=got_w))
        if not np.isclose(got_b, want_b):
            hint = tr(" The bias is updated like a weight whose input is always 1.") if np.isclose(got_b, b) else ""
            raise Incorrect(tr("for w={w}, b={b}, x={x}, y={y}, lr={lr} the new b should be {want_b:+.2f}, you "
                               "returned {got_b:+.2f}.{hint}",
                               w=w, b=b, x=x, y=y, lr=lr, want_b=want_b, got_b=got_b, hint=hint))
    return tr("It changes the weights only after a mistake, in the direction that fixes it.")


def _check_xor_hidden(hidden_w, hidden_b) -> str:
    hidden_w = array(hidden_w, (2, 2), "hidden_w")
    hidden_b = array(hidden_b, (2,), "hidden_b")
    x, y = logic_gate("XOR")
    _, out = reference.two_layer_step_network(x, hidden_w, hidden_b)
    for (x1, x2), o, t in zip(x.astype(int), out, y):
        if o != t:
            hidden, _ = reference.two_layer_step_network(np.array([[x1, x2]]), hidden_w, hidden_b)
            raise Incorrect(
                tr("input ({x1}, {x2}) gives hidden units {value} and output {o}; XOR needs {t}. The output "
                   "unit is AND: it fires only when both hidden units fire.",
                   x1=x1, x2=x2, value=tuple(int(h) for h in hidden[0]), o=int(o), t=t)
            )
    return tr("Your hidden layer turned XOR into a problem one line can solve.")


nand = Exercise(
    N_("01.1 NAND"),
    "Choose w1, w2 and b so that the perceptron computes NAND (0 only for input (1, 1)).",
    _gate_checker("NAND"),
    (N_("NAND is NOT AND: flip the signs of a working AND perceptron."),
     N_("Try w1 = w2 = -1 and find a bias between 1 and 2.")),
    "w1, w2, b = -1.0, -1.0, 1.5",
    (-1.0, -1.0, 1.5),
)
update_rule = Exercise(
    N_("01.2 learning rule"),
    "Write perceptron_update(w, b, x, y, lr) that returns the new (w, b) after one example.",
    _check_update,
    (N_("First compute the prediction y_hat = step(x @ w + b), then the error y - y_hat."),
     N_("w_new = w + lr * error * x and b_new = b + lr * error.")),
    "def perceptron_update(w, b, x, y, lr):\n"
    "    error = y - (1 if x @ w + b >= 0 else 0)\n"
    "    return w + lr * error * x, b + lr * error",
    (_reference_update,),
)
xor_hidden = Exercise(
    N_("01.3 XOR from two perceptrons"),
    "Choose hidden_w (2x2, one column per hidden unit) and hidden_b so that "
    "the fixed output unit AND(h1, h2) computes XOR.",
    _check_xor_hidden,
    (N_("XOR(x1, x2) = AND(OR(x1, x2), NAND(x1, x2))."),
     N_("Column 0 can be your OR weights, column 1 your NAND weights from exercise 1.")),
    "hidden_w = [[1.0, -1.0],\n            [1.0, -1.0]]\nhidden_b = [-0.5, 1.5]",
    ([[1.0, -1.0], [1.0, -1.0]], [-0.5, 1.5]),
)
