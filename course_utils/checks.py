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
    if not isinstance(answers, dict):
        raise Incorrect("Give a dict that maps each situation to 'supervised', 'unsupervised' or 'reinforcement'.")
    for situation, kind in expected.items():
        given = str(answers.get(situation, "")).strip().lower()
        if not given:
            raise Incorrect(f"'{situation}' has no answer.")
        if given != kind:
            raise Incorrect(f"'{situation}' is {kind} learning, not {given}: {why[kind]}.")
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
