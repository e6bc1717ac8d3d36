"""Exercises with feedback: ``check()``, ``hint()`` and ``solution()``.

In a notebook::

    from course_utils.checks import ex01, ____
    w1, w2, b = ____, ____, ____       # your answer
    ex01.nand.check(w1, w2, b)

A checker returns a success message or raises ``Incorrect`` with a message
that says *what* is wrong; ``check()`` prints it and returns True/False.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import SimpleNamespace

import numpy as np

from . import reference


class _Blank:
    """The placeholder students replace with their answer."""

    def __repr__(self) -> str:
        return "____"


____ = _Blank()


class Incorrect(Exception):
    """Raised by a checker with specific feedback."""


def _has_blank(values) -> bool:
    """Is a ____ anywhere in these values (looking inside lists, tuples and dicts)?"""
    for value in values:
        if value is ____:
            return True
        if isinstance(value, dict) and _has_blank(value.values()):
            return True
        if isinstance(value, (list, tuple)) and _has_blank(value):
            return True
    return False


def _check_choices(answers, expected: dict, wrong, accepted=None) -> None:
    """Compare a dict of answers with ``expected`` item by item.

    ``wrong(item, right, given)`` returns the message for the first wrong item;
    ``accepted`` maps an item to other answers that also count as right.
    """
    if not isinstance(answers, dict):
        choices = ", ".join(sorted({repr(v) for v in expected.values()}))
        raise Incorrect(f"Give a dict that maps each item to one of {choices}.")
    for item, right in expected.items():
        given = str(answers.get(item, "")).strip().lower()
        if not given:
            raise Incorrect(f"'{item}' has no answer.")
        if given != right and given not in (accepted or {}).get(item, ()):
            raise Incorrect(wrong(item, right, given))


@dataclass
class Exercise:
    name: str
    prompt: str
    checker: object  # callable(*answer) -> str (success message) or raises Incorrect
    hints: tuple
    solution_code: str
    example_answer: tuple = ()

    def feedback(self, *answer, **named) -> tuple[bool, str]:
        """(is the answer right?, the message ``check()`` prints). Used by the tests."""
        if _has_blank(answer) or _has_blank(named.values()):
            return False, f"[{self.name}] Not answered yet: replace each ____ with your answer, then run the cell."
        try:
            message = self.checker(*answer, **named)
        except Incorrect as why:
            return False, f"[{self.name}] Not yet: {why}"
        except Exception as error:  # the student's code raised: say so instead of a traceback
            return False, f"[{self.name}] Not yet: checking your answer raised {type(error).__name__}: {error}"
        return True, f"[{self.name}] Correct! {message or ''}".rstrip()

    def check(self, *answer, **named) -> None:
        """Print whether the answer is right and, if not, what is wrong with it."""
        print(self.feedback(*answer, **named)[1])

    def hint(self, number: int = 1) -> None:
        number = int(min(max(number, 1), len(self.hints)))
        print(f"[{self.name}] Hint {number}/{len(self.hints)}: {self.hints[number - 1]}")

    def solution(self) -> None:
        print(f"[{self.name}] One solution:\n{self.solution_code}")


# --------------------------------------------------------------------- notebook 00


def _check_learning_kinds(answers: dict) -> str:
    expected = {
        "spam filter trained on emails marked spam/not spam": "supervised",
        "grouping customers by behaviour, with no labels": "unsupervised",
        "a robot that learns to walk from rewards": "reinforcement",
        "predicting a house price from its size": "supervised",
    }
    why = {
        "supervised": "every example comes with the right answer (a label)",
        "unsupervised": "there are no labels; the algorithm finds structure by itself",
        "reinforcement": "an agent acts and learns from rewards, not from labelled examples",
    }
    _check_choices(answers, expected,
                   lambda item, right, given: f"'{item}' is {right} learning, not {given}: {why[right]}.")
    return "Note that house prices are regression and spam is classification: both are supervised."


def _check_nesting(order) -> str:
    names = [str(o).strip().upper() for o in order]
    if sorted(names) != ["AI", "DL", "ML"]:
        raise Incorrect("Use exactly the three names 'AI', 'ML' and 'DL'.")
    if names != ["AI", "ML", "DL"]:
        raise Incorrect(f"{names[0]} is not the broadest: every deep-learning model is a machine-learning model, "
                        "and machine learning is one way to build AI.")
    return "AI contains ML, which contains DL."


ex00 = SimpleNamespace(
    kinds=Exercise(
        "00.1 kinds of learning",
        "Label each situation as 'supervised', 'unsupervised' or 'reinforcement'.",
        _check_learning_kinds,
        ("Ask: does each example come with the right answer? Is there a reward instead?",
         "Prices are numbers with known answers in the training data."),
        "answers = {\n"
        "    'spam filter trained on emails marked spam/not spam': 'supervised',\n"
        "    'grouping customers by behaviour, with no labels': 'unsupervised',\n"
        "    'a robot that learns to walk from rewards': 'reinforcement',\n"
        "    'predicting a house price from its size': 'supervised',\n}",
        ({
            "spam filter trained on emails marked spam/not spam": "supervised",
            "grouping customers by behaviour, with no labels": "unsupervised",
            "a robot that learns to walk from rewards": "reinforcement",
            "predicting a house price from its size": "supervised",
        },),
    ),
    nesting=Exercise(
        "00.2 AI, ML, DL",
        "List 'AI', 'ML' and 'DL' from the broadest to the narrowest.",
        _check_nesting,
        ("Deep learning is one family of machine-learning methods.",),
        "order = ['AI', 'ML', 'DL']",
        (["AI", "ML", "DL"],),
    ),
)


# --------------------------------------------------------------------- notebook 01


def _gate_checker(gate: str):
    def check(w1, w2, b) -> str:
        for name, value in (("w1", w1), ("w2", w2), ("b", b)):
            if not isinstance(value, (int, float, np.number)) or not np.isfinite(value):
                raise Incorrect(f"{name} should be a number, got {value!r}.")
        table = reference.truth_table(w1, w2, b, gate)
        for x1, x2, z, out, target in table["rows"]:
            if out != target:
                raise Incorrect(
                    f"your weights classify ({x1}, {x2}) as {out} (z = {z:+.2f}); {gate} needs {target} there."
                )
        return f"Your perceptron computes {gate} on all four inputs."

    return check


def _check_update(update) -> str:
    if not callable(update):
        raise Incorrect("Pass your function itself: ex01.update_rule.check(perceptron_update).")
    cases = [
        # w, b, x, y, lr -> expected w, b
        (np.array([0.0, 0.0]), 0.0, np.array([1.0, 1.0]), 0, 0.5),   # predicted 1, target 0
        (np.array([0.2, -0.4]), -0.5, np.array([1.0, 0.0]), 1, 0.1),  # predicted 0, target 1
        (np.array([1.0, 1.0]), -1.5, np.array([1.0, 1.0]), 1, 0.1),  # correct: no change
    ]
    for w, b, x, y, lr in cases:
        error = y - reference.step(x @ w + b)
        want_w, want_b = w + lr * error * x, b + lr * error
        result = update(w.copy(), b, x, y, lr)
        if isinstance(result, tuple) and _has_blank(result):
            raise Incorrect("your function still returns ____; compute the new w and b.")
        if not (isinstance(result, tuple) and len(result) == 2):
            raise Incorrect("Return a pair: (new_w, new_b).")
        got_w, got_b = np.asarray(result[0], dtype=float), float(result[1])
        if got_w.shape != want_w.shape or not np.allclose(got_w, want_w):
            raise Incorrect(f"for w={w}, b={b}, x={x}, y={y}, lr={lr} the new w should be {want_w}, "
                            f"you returned {got_w}. Remember: w += lr * (y - y_hat) * x.")
        if not np.isclose(got_b, want_b):
            hint = " The bias is updated like a weight whose input is always 1." if np.isclose(got_b, b) else ""
            raise Incorrect(f"for w={w}, b={b}, x={x}, y={y}, lr={lr} the new b should be {want_b:+.2f}, "
                            f"you returned {got_b:+.2f}.{hint}")
    return "It changes the weights only after a mistake, in the direction that fixes it."


def _reference_update(w, b, x, y, lr):
    error = y - reference.step(x @ w + b)
    return w + lr * error * x, b + lr * error


def _check_xor_hidden(hidden_w, hidden_b) -> str:
    hidden_w = np.asarray(hidden_w, dtype=float)
    hidden_b = np.asarray(hidden_b, dtype=float)
    if hidden_w.shape != (2, 2) or hidden_b.shape != (2,):
        raise Incorrect(
            f"hidden_w must be 2x2 and hidden_b must have 2 numbers; got {hidden_w.shape} and {hidden_b.shape}."
        )
    from .data import logic_gate

    x, y = logic_gate("XOR")
    _, out = reference.two_layer_step_network(x, hidden_w, hidden_b)
    for (x1, x2), o, t in zip(x.astype(int), out, y):
        if o != t:
            hidden, _ = reference.two_layer_step_network(np.array([[x1, x2]]), hidden_w, hidden_b)
            raise Incorrect(
                f"input ({x1}, {x2}) gives hidden units {tuple(int(h) for h in hidden[0])} and output {int(o)}; "
                f"XOR needs {t}. The output unit is AND: it fires only when both hidden units fire."
            )
    return "Your hidden layer turned XOR into a problem one line can solve."


ex01 = SimpleNamespace(
    nand=Exercise(
        "01.1 NAND",
        "Choose w1, w2 and b so that the perceptron computes NAND (0 only for input (1, 1)).",
        _gate_checker("NAND"),
        ("NAND is NOT AND: flip the signs of a working AND perceptron.",
         "Try w1 = w2 = -1 and find a bias between 1 and 2."),
        "w1, w2, b = -1.0, -1.0, 1.5",
        (-1.0, -1.0, 1.5),
    ),
    update_rule=Exercise(
        "01.2 learning rule",
        "Write perceptron_update(w, b, x, y, lr) that returns the new (w, b) after one example.",
        _check_update,
        ("First compute the prediction y_hat = step(x @ w + b), then the error y - y_hat.",
         "w_new = w + lr * error * x and b_new = b + lr * error."),
        "def perceptron_update(w, b, x, y, lr):\n"
        "    error = y - (1 if x @ w + b >= 0 else 0)\n"
        "    return w + lr * error * x, b + lr * error",
        (_reference_update,),
    ),
    xor_hidden=Exercise(
        "01.3 XOR from two perceptrons",
        "Choose hidden_w (2x2, one column per hidden unit) and hidden_b so that "
        "the fixed output unit AND(h1, h2) computes XOR.",
        _check_xor_hidden,
        ("XOR(x1, x2) = AND(OR(x1, x2), NAND(x1, x2)).",
         "Column 0 can be your OR weights, column 1 your NAND weights from exercise 1."),
        "hidden_w = [[1.0, -1.0],\n            [1.0, -1.0]]\nhidden_b = [-0.5, 1.5]",
        ([[1.0, -1.0], [1.0, -1.0]], [-0.5, 1.5]),
    ),
)


# --------------------------------------------------------------------- notebook 06


def _check_cifar_first_layer(count) -> str:
    right = reference.dense_params(32 * 32 * 3, 200)
    if count == right:
        return "(3072 + 1) x 200: a weight per input per unit, plus one bias per unit."
    if count == 32 * 32 * 3 * 200:
        raise Incorrect(f"{count:,} counts the weights but forgets the 200 biases.")
    if count == (32 * 32 + 1) * 200:
        raise Incorrect(f"{count:,} uses 32 x 32 inputs; a colour image has 3 channels, so 32 x 32 x 3.")
    raise Incorrect(f"{count!r} is not it. How many numbers does Flatten produce from a 32x32x3 image?")


def _check_small_mlp(model) -> str:
    try:
        layers = [layer for layer in model.layers if layer.count_params() > 0]
    except AttributeError as exc:
        raise Incorrect("Pass a Keras model (built, e.g. with keras.Input as the first entry).") from exc
    units = [layer.units for layer in layers if hasattr(layer, "units")]
    if units != [256, 128, 10]:
        raise Incorrect(f"the Dense layers have {units} units; the exercise asks for 256, 128 and 10.")
    hidden = [layer.activation.__name__ for layer in layers[:-1]]
    if hidden != ["relu", "relu"]:
        raise Incorrect(f"the hidden layers use {hidden}; the exercise asks for 'relu' in both "
                        "(without an activation, stacked Dense layers stay one linear map).")
    last = layers[-1].activation.__name__
    if last != "softmax":
        raise Incorrect(f"the output layer uses '{last}'; ten exclusive classes need 'softmax'.")
    total = model.count_params()
    expected = reference.mlp_params([784, 256, 128, 10])
    if total != expected:
        raise Incorrect(f"the model has {total:,} parameters, expected {expected:,}: is the input 28x28 (784 pixels)?")
    return f"{total:,} parameters, as (784+1)*256 + (256+1)*128 + (128+1)*10 says."


def _check_loss(loss_name) -> str:
    name = str(loss_name).strip().lower()
    if name == "sparse_categorical_crossentropy":
        return "Integer labels 0..9 go with the sparse loss; one-hot rows go with categorical_crossentropy."
    if name == "categorical_crossentropy":
        raise Incorrect("categorical_crossentropy expects one-hot rows like [0, 0, 1, ...]; these labels are integers.")
    if name in ("mse", "mean_squared_error", "binary_crossentropy"):
        raise Incorrect(f"'{name}' is not the loss for one-of-ten classification.")
    raise Incorrect(f"{loss_name!r} is not a Keras loss name for this case.")


ex06 = SimpleNamespace(
    cifar_params=Exercise(
        "06.1 counting parameters",
        "How many parameters has the first Dense(200) layer of the CIFAR-10 MLP?",
        _check_cifar_first_layer,
        ("Flatten turns a 32x32x3 image into a vector of 32*32*3 numbers.",
         "Each of the 200 units has one weight per input and one bias."),
        "count = (32 * 32 * 3 + 1) * 200   # 614,600",
        (614600,),
    ),
    small_mlp=Exercise(
        "06.2 build an MLP",
        "Build a Fashion-MNIST MLP 784-256-128-10 (ReLU hidden layers, softmax output).",
        _check_small_mlp,
        ("Start from keras.Sequential([keras.Input(shape=(28, 28)), layers.Flatten(), ...]).",
         "Three Dense layers: 256 and 128 units with 'relu', then 10 with 'softmax'."),
        "model = keras.Sequential([\n    keras.Input(shape=(28, 28)),\n    layers.Flatten(),\n"
        "    layers.Dense(256, activation='relu'),\n    layers.Dense(128, activation='relu'),\n"
        "    layers.Dense(10, activation='softmax'),\n])",
    ),
    loss=Exercise(
        "06.3 which loss?",
        "Labels are integers 0..9 (not one-hot). Which Keras loss name goes in compile()?",
        _check_loss,
        ("There is a 'sparse' variant of the cross-entropy for integer labels.",),
        "loss = 'sparse_categorical_crossentropy'",
        ("sparse_categorical_crossentropy",),
    ),
)


# --------------------------------------------------------------------- notebook 02


def _check_sigmoid_slope(value) -> str:
    value = float(value)
    if np.isclose(value, 0.25):
        return "sigma'(0) = sigma(0) * (1 - sigma(0)) = 0.5 * 0.5: the steepest the sigmoid ever gets."
    if np.isclose(value, 0.5):
        raise Incorrect("0.5 is sigma(0), the value; the slope is sigma(0) * (1 - sigma(0)).")
    raise Incorrect(f"{value} is not it. Use sigma'(z) = sigma(z) * (1 - sigma(z)) at z = 0.")


def _check_softmax(softmax_fn) -> str:
    if not callable(softmax_fn):
        raise Incorrect("Pass your function itself: ex02.stable_softmax.check(my_softmax).")
    small = np.array([1.0, 2.0, 3.0])
    out = softmax_fn(small)
    if out is ____:
        raise Incorrect("your function still returns ____; compute the probabilities.")
    out = np.asarray(out, dtype=float)
    if _has_blank([out.tolist()]) or out.shape != (3,):
        raise Incorrect(f"for [1, 2, 3] your function returned shape {out.shape}; expected 3 probabilities.")
    if not np.allclose(out, reference.softmax(small)):
        expected = np.round(reference.softmax(small), 4)
        raise Incorrect(f"for [1, 2, 3] you return {np.round(out, 4)}, expected {expected}.")
    with np.errstate(all="ignore"):
        large = np.asarray(softmax_fn(np.array([1000.0, 1001.0, 1002.0])), dtype=float)
    if not np.all(np.isfinite(large)):
        raise Incorrect("for [1000, 1001, 1002] you return nan or inf: e^1000 overflows. Subtract max(z) first.")
    if not np.allclose(large, out):
        raise Incorrect("adding 1000 to every input must not change softmax, but your output changed.")
    return "Subtracting the maximum keeps every exponent <= 0, and cancels in the ratio."


def _check_output_activations(answers: dict) -> str:
    expected = {
        "house price (a number)": "linear",
        "spam or not spam": "sigmoid",
        "which of 10 clothing classes": "softmax",
        "which tags (several may apply) fit a photo": "sigmoid",
    }
    why = {
        "linear": "a regression output must be free to take any value",
        "sigmoid": "each yes/no answer is its own probability between 0 and 1",
        "softmax": "exactly one class is right, so the probabilities must add up to 1",
    }
    _check_choices(answers, expected,
                   lambda item, right, given: f"'{item}' needs '{right}', not '{given}': {why[right]}.",
                   accepted={"house price (a number)": ("none", "identity")})
    return "Hidden layers get ReLU (or a cousin); the output activation follows from the task."


ex02 = SimpleNamespace(
    sigmoid_slope=Exercise(
        "02.1 the sigmoid's slope", "What is the derivative of the sigmoid at z = 0?", _check_sigmoid_slope,
        ("sigma(0) = 0.5.", "sigma'(z) = sigma(z) * (1 - sigma(z))."), "slope = 0.5 * (1 - 0.5)   # 0.25", (0.25,)),
    stable_softmax=Exercise(
        "02.2 a stable softmax", "Write softmax(z) for a 1-D array z that works for z = [1000, 1001, 1002].",
        _check_softmax,
        ("softmax(z) = softmax(z - c) for any constant c.", "Use c = z.max()."),
        "def my_softmax(z):\n    e = np.exp(z - np.max(z))\n    return e / e.sum()",
        (reference.softmax,)),
    output_layer=Exercise(
        "02.3 output activations", "Choose the output activation ('linear', 'sigmoid' or 'softmax') for each task.",
        _check_output_activations,
        ("Is the answer a number, one yes/no, one of many, or several yes/no answers?",),
        "answers = {'house price (a number)': 'linear', 'spam or not spam': 'sigmoid',\n"
        "           'which of 10 clothing classes': 'softmax',\n"
        "           'which tags (several may apply) fit a photo': 'sigmoid'}",
        ({"house price (a number)": "linear", "spam or not spam": "sigmoid",
          "which of 10 clothing classes": "softmax", "which tags (several may apply) fit a photo": "sigmoid"},)),
)


# --------------------------------------------------------------------- notebook 03


def _check_cross_entropy(value) -> str:
    right = -np.log(0.6)
    value = float(value)
    if np.isclose(value, right, atol=5e-3):
        return f"-ln(0.6) = {right:.3f}: only the probability of the true class counts."
    if np.isclose(value, -np.log10(0.6), atol=5e-3):
        raise Incorrect("that is log base 10; cross-entropy uses the natural logarithm (np.log).")
    if np.isclose(value, -np.log(0.1), atol=5e-3) or np.isclose(value, -np.log(0.3), atol=5e-3):
        raise Incorrect("you took the log of a wrong class's probability; the true class is the second.")
    raise Incorrect(f"{value} is not it: -sum(y * ln p) with y = [0, 1, 0] and p = [0.3, 0.6, 0.1].")


def _check_loss_choice(answers: dict) -> str:
    expected = {
        "predict tomorrow's temperature": "mse",
        "is this email spam?": "binary_crossentropy",
        "which digit 0-9 (labels are integers)": "sparse_categorical_crossentropy",
        "which digit 0-9 (labels are one-hot)": "categorical_crossentropy",
        "which of 20 tags apply to a photo": "binary_crossentropy",
    }
    _check_choices(answers, expected,
                   lambda item, right, given: f"'{item}': {given} is not the usual choice; think about what the "
                   "labels look like and how many classes can be true at once.",
                   accepted={"predict tomorrow's temperature": ("mae", "huber", "mean_squared_error")})
    return ("Regression: MSE (or MAE); one yes/no, or many independent yes/no: binary cross-entropy; "
            "one of many: categorical.")


ex03 = SimpleNamespace(
    cross_entropy=Exercise(
        "03.1 cross-entropy by hand",
        "True class: the second of three. Prediction p = [0.3, 0.6, 0.1]. What is the categorical cross-entropy?",
        _check_cross_entropy, ("Only the true class's term survives: -1 * ln(p_true).",),
        "loss = -np.log(0.6)   # 0.511", (float(-np.log(0.6)),)),
    which_loss=Exercise(
        "03.2 which loss?", "Pick a Keras loss name for each task.", _check_loss_choice,
        ("Integer labels: 'sparse_'. One-hot labels: plain categorical. Several true at once: binary per label.",),
        "answers = {\"predict tomorrow's temperature\": 'mse', 'is this email spam?': 'binary_crossentropy',\n"
        "           'which digit 0-9 (labels are integers)': 'sparse_categorical_crossentropy',\n"
        "           'which digit 0-9 (labels are one-hot)': 'categorical_crossentropy',\n"
        "           'which of 20 tags apply to a photo': 'binary_crossentropy'}",
        ({"predict tomorrow's temperature": "mse", "is this email spam?": "binary_crossentropy",
          "which digit 0-9 (labels are integers)": "sparse_categorical_crossentropy",
          "which digit 0-9 (labels are one-hot)": "categorical_crossentropy",
          "which of 20 tags apply to a photo": "binary_crossentropy"},)),
)


# --------------------------------------------------------------------- notebook 04


def _check_gd_step(new_w) -> str:
    right = 2.0 - 0.1 * (2 * (2.0 - 5.0))
    value = float(new_w)
    if np.isclose(value, right):
        return "w - lr * dE/dw = 2 - 0.1 * (-6) = 2.6: a step towards the minimum at w = 5."
    if np.isclose(value, 2.0 + 0.1 * (2 * (2.0 - 5.0))):
        raise Incorrect("you stepped *up* the slope; gradient descent subtracts the gradient.")
    raise Incorrect(f"{value} is not it. dE/dw = 2 (w - 5) = -6 at w = 2; then w_new = w - lr * dE/dw.")


def _check_updates_per_epoch(count) -> str:
    if int(count) == 391:
        return "50,000 / 128 = 390.6: 390 full batches and one of 80, so 391 updates."
    if int(count) == 390:
        raise Incorrect("390 forgets the last, smaller batch: 390 x 128 = 49,920 leaves 80 samples.")
    raise Incorrect(f"{count} is not it: how many batches of 128 cover 50,000 samples?")


def _check_diverging_rate(rate) -> str:
    value = float(rate)
    if np.isclose(value, 1.0):
        return "w <- w - lr * 2w = (1 - 2 lr) w: it shrinks only while |1 - 2 lr| < 1, so lr < 1."
    if np.isclose(value, 0.5):
        raise Incorrect("at lr = 0.5 the first step lands exactly on the minimum; "
                        "larger rates still converge, up to a point.")
    raise Incorrect(f"{value} is not it. Each step multiplies w by (1 - 2 lr); when does that factor reach -1?")


ex04 = SimpleNamespace(
    gd_step=Exercise(
        "04.1 one gradient step", "E(w) = (w - 5)^2, w = 2, learning rate 0.1. What is w after one step?",
        _check_gd_step, ("dE/dw = 2 (w - 5).", "w_new = w - 0.1 * dE/dw."), "new_w = 2 - 0.1 * 2 * (2 - 5)   # 2.6",
        (2.6,)),
    updates=Exercise(
        "04.2 updates per epoch", "50,000 samples, batch size 128: how many weight updates make one epoch?",
        _check_updates_per_epoch, ("Divide and round up: the last batch may be smaller.",),
        "updates = -(-50000 // 128)   # ceil: 391", (391,)),
    diverge=Exercise(
        "04.3 when does it diverge?", "On E(w) = w^2, above which learning rate does plain gradient descent diverge?",
        _check_diverging_rate, ("One step gives w_new = w - lr * 2w = (1 - 2 lr) w.",), "rate = 1.0", (1.0,)),
)


# --------------------------------------------------------------------- notebook 05


def _check_chain_rule(value) -> str:
    # L = (w * x - t)^2 with w = 3, x = 2, t = 4: dL/dw = 2 (w x - t) x = 2 * 2 * 2 = 8
    value = float(value)
    if np.isclose(value, 8.0):
        return "dL/dw = dL/dy * dy/dw = 2 (y - t) * x = 2 * 2 * 2 = 8."
    if np.isclose(value, 4.0):
        raise Incorrect("4 is dL/dy = 2 (y - t); multiply by dy/dw = x = 2 (the chain rule).")
    raise Incorrect(f"{value} is not it. y = w x = 6; dL/dy = 2 (y - t); dy/dw = x.")


def _check_mlp_count(count) -> str:
    right = reference.mlp_params([4, 5, 3, 1])
    if int(count) == right:
        return f"(4+1)*5 + (5+1)*3 + (3+1)*1 = {right}."
    if int(count) == 4 * 5 + 5 * 3 + 3 * 1:
        raise Incorrect(f"{count} counts only the weights; every unit also has a bias.")
    raise Incorrect(f"{count} is not it. Use (inputs + 1) * units for each layer.")


ex05 = SimpleNamespace(
    chain_rule=Exercise(
        "05.1 the chain rule",
        "y = w * x and L = (y - t)^2 with w = 3, x = 2, t = 4. What is dL/dw?",
        _check_chain_rule, ("First dL/dy, then dy/dw, then multiply.",), "dL_dw = 2 * (3 * 2 - 4) * 2   # 8",
        (8.0,)),
    count=Exercise(
        "05.2 parameters and hyperparameters",
        "An MLP 4-5-3-1 (with biases). How many parameters does training adjust?",
        _check_mlp_count, ("Each layer: (inputs + 1) * units.",),
        "count = (4 + 1) * 5 + (5 + 1) * 3 + (3 + 1) * 1   # 47",
        (47,)),
)


# --------------------------------------------------------------------- notebook 07


def _check_output_size(value) -> str:
    if int(value) == 28:
        return "(32 - 5) / 1 + 1 = 28: the kernel fits in 28 positions along each side."
    if int(value) == 32:
        raise Incorrect("32 is what padding='same' would give; 'valid' adds no zeros.")
    if int(value) == 27:
        raise Incorrect("27 forgets the + 1: positions run from 0 to 32 - 5 = 27 inclusive, so there are 28.")
    raise Incorrect(f"{value} is not it. Use floor((n + 2p - k) / s) + 1 with p = 0.")


def _check_conv_params(value) -> str:
    right = reference.conv2d_params(3, 3, 32, 64)
    if int(value) == right:
        return f"(3*3*32 + 1) * 64 = {right:,}: each filter spans all 32 input channels."
    if int(value) == (3 * 3 + 1) * 64:
        raise Incorrect("each filter is 3x3 *per input channel*: multiply by the 32 channels.")
    if int(value) == 3 * 3 * 32 * 64:
        raise Incorrect("that counts the weights; add one bias per filter.")
    raise Incorrect(f"{value} is not it. Use (kh * kw * C_in + 1) * C_out.")


def _check_horizontal_edge(kernel) -> str:
    k = np.asarray(kernel, dtype=float)
    if k.shape != (3, 3):
        raise Incorrect(f"give a 3x3 kernel, got shape {k.shape}.")
    if not np.isclose(k.sum(), 0):
        raise Incorrect(f"your weights sum to {k.sum():g}, so a flat region gives {k.sum():g} times its brightness, "
                        "not 0. Make them sum to 0.")
    dark_above = np.array([[0.0] * 5] * 2 + [[1.0] * 5] * 3)   # bright from the middle row down
    bright_above = 1 - dark_above
    vertical = dark_above.T
    up = reference.conv2d(dark_above, k)[0, 1]
    down = reference.conv2d(bright_above, k)[0, 1]
    side = reference.conv2d(vertical, k)[1, 0]
    if not up > 0:
        raise Incorrect(f"on 'dark above, bright below' your kernel gives {up:g}; it should be clearly positive. "
                        "Put negative weights in the top row and positive ones in the bottom row.")
    if not down < 0:
        raise Incorrect(f"on the reversed edge your kernel gives {down:g}; expected a negative value.")
    if abs(side) > 1e-9:
        raise Incorrect(f"a vertical edge also gives {side:g}: keep the weights in each row equal (or symmetric).")
    return "That is a (Prewitt- or Sobel-like) horizontal-edge detector."


ex07 = SimpleNamespace(
    output_size=Exercise(
        "07.1 output size", "32x32 input, 5x5 kernel, stride 1, valid padding: the output height?",
        _check_output_size, ("floor((n + 2p - k) / s) + 1",), "height_out = (32 - 5) // 1 + 1   # 28", (28,)),
    conv_params=Exercise(
        "07.2 Conv2D parameters", "Parameters of Conv2D(64, (3, 3)) on 32 input channels?",
        _check_conv_params, ("(kh * kw * C_in + 1) * C_out",), "params = (3 * 3 * 32 + 1) * 64   # 18,496",
        (18496,)),
    horizontal_edge=Exercise(
        "07.3 a horizontal-edge kernel",
        "A 3x3 kernel: large positive on 'dark above, bright below', 0 on flat regions.",
        _check_horizontal_edge,
        ("Weights summing to 0 give 0 on a flat region.", "Top row negative, bottom row positive, middle row 0."),
        "my_kernel = [[-1, -2, -1],\n             [ 0,  0,  0],\n             [ 1,  2,  1]]   # Sobel y",
        ([[-1, -2, -1], [0, 0, 0], [1, 2, 1]],)),
)


# --------------------------------------------------------------------- notebook 08


def _check_bn_params(total, trainable) -> str:
    if (int(total), int(trainable)) == (256, 128):
        return "gamma and beta (64 each) are learned; the moving mean and variance (64 each) are only tracked."
    if int(total) == 128:
        raise Incorrect("128 counts gamma and beta only; the moving mean and variance are stored parameters too.")
    if int(trainable) == 256:
        raise Incorrect("the moving mean and variance are not trained by gradient descent: they are non-trainable.")
    raise Incorrect(f"({total}, {trainable}) is not it. Each of the 64 channels has gamma, beta, a moving mean and "
                    "a moving variance.")


def _check_dropout_scale(scale) -> str:
    if np.isclose(float(scale), 1 / 0.75):
        return "1 / (1 - 0.25) = 4/3: the kept values are scaled up so the expected sum is unchanged."
    if np.isclose(float(scale), 0.75):
        raise Incorrect("0.75 is the keep probability; Keras divides by it (inverted dropout), it does not multiply.")
    raise Incorrect(f"{scale} is not it. What factor keeps the expected value the same when 25% become 0?")


# the exercise's confusion matrix: rows = true class, columns = predicted; "coat" is index 1
_CONFUSION = np.array([[50, 10, 0], [15, 40, 5], [0, 5, 45]])
_COAT = 1


def _check_precision_recall(precision, recall) -> str:
    hits, predicted, actual = _CONFUSION[_COAT, _COAT], _CONFUSION[:, _COAT].sum(), _CONFUSION[_COAT, :].sum()
    right_p, right_r = hits / predicted, hits / actual
    if np.isclose(float(precision), right_p, atol=1e-3) and np.isclose(float(recall), right_r, atol=1e-3):
        return (f"precision = {hits} / {predicted} = {right_p:.3f} (of the predicted coats), "
                f"recall = {hits} / {actual} = {right_r:.3f}.")
    if np.isclose(float(precision), right_r, atol=1e-3) and np.isclose(float(recall), right_p, atol=1e-3):
        raise Incorrect("you swapped them: precision divides by everything *predicted* coat (a column), "
                        "recall by everything that *is* a coat (a row).")
    raise Incorrect("precision = true coats predicted coat / all predicted coat (column); "
                    "recall = true coats predicted coat / all true coats (row).")


ex08 = SimpleNamespace(
    bn_params=Exercise(
        "08.1 batch-norm parameters",
        "BatchNormalization after a layer with 64 channels: total parameters and trainable parameters?",
        _check_bn_params, ("Four numbers per channel: gamma, beta, moving mean, moving variance.",),
        "total, trainable = 4 * 64, 2 * 64   # 256, 128", (256, 128)),
    dropout_scale=Exercise(
        "08.2 inverted dropout", "Dropout(0.25) in training: by what factor are the kept values multiplied?",
        _check_dropout_scale, ("A quarter of the values become 0; the rest must make up for them on average.",),
        "scale = 1 / (1 - 0.25)", (1 / 0.75,)),
    precision_recall=Exercise(
        "08.3 precision and recall",
        "Confusion matrix rows = true (shirt, coat, pullover), columns = predicted: "
        f"{_CONFUSION.tolist()}. Precision and recall of 'coat'?",
        _check_precision_recall,
        ("Precision looks down the 'coat' column; recall along the 'coat' row.",),
        "precision = 40 / (10 + 40 + 5)\nrecall = 40 / (15 + 40 + 5)", (40 / 55, 40 / 60)),
)
