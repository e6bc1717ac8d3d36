"""Every exercise accepts a right answer in any correct form and refuses plausible wrong ones, saying why.

The tables below are adversarial: right answers written another way (1.33 for 4/3, 'Supervised',
a Keras loss object, Dense + Activation('softmax')) and wrong answers that a naive check would praise
(47.9 truncated to 47, '391' as text, a softmax that subtracts the minimum, a Sobel kernel scaled by
1e-12). Each row names a fragment the feedback must contain.
"""

import re

import numpy as np
import pytest

from course_utils import checks, reference
from course_utils.checks import ____, ex00, ex01, ex02, ex03, ex04, ex05, ex06, ex07, ex08, ex09, ex10, ex11
from course_utils.checks.core import Exercise, Verdict, array, is_close, whole_number, word

GROUPS = (ex00, ex01, ex02, ex03, ex04, ex05, ex06, ex07, ex08, ex09, ex10, ex11)
ALL = [value for group in GROUPS for value in vars(group).values() if isinstance(value, Exercise)]
NAN = float("nan")
KINDS = dict(ex00.kinds.example_answer[0])
OUTPUTS = dict(ex02.output_layer.example_answer[0])
LOSSES = dict(ex03.which_loss.example_answer[0])
SOBEL_Y = [[-1, -2, -1], [0, 0, 0], [1, 2, 1]]
AUGMENTED = dict(ex09.augmentations.example_answer[0])
RECIPE = dict(ex10.recipe.example_answer[0])
# a range test whose smoothed loss is lowest at 0.01: the accepted picks lie in [0.01/30, 0.01/2]
RANGE = {"rates": np.geomspace(1e-5, 1.0, 51), "smoothed": (np.log10(np.geomspace(1e-5, 1.0, 51)) + 2) ** 2}


def right(exercise, *answer):
    return pytest.param(exercise, answer, True, "Correct!", id=f"{exercise.name[:4]}-right-{len(answer)}")


def wrong(exercise, fragment, *answer):
    return pytest.param(exercise, answer, False, fragment, id=f"{exercise.name[:4]}-wrong-{fragment[:20]}")


def _perceptron_update(w, b, x, y, lr):
    y_hat = 1 if x @ w + b >= 0 else 0
    return list(w + lr * (y - y_hat) * x), float(b + lr * (y - y_hat))


def _forgets_return(w, b, x, y, lr):
    w + lr * (y - (x @ w + b >= 0)) * x  # noqa: B018 - the bug under test


def _stable(z):
    e = np.exp(z - np.max(z))
    return e / e.sum()


def _minus(shift):
    def softmax(z):
        e = np.exp(z - shift(z))
        return e / e.sum()

    return softmax


def _modulo_hack(z):
    e = np.exp(np.asarray(z) % 1000)
    return e / e.sum()


CASES = [
    # 00
    right(ex00.kinds, KINDS),
    right(ex00.kinds, {k: v.upper() + " learning" for k, v in KINDS.items()}),
    right(ex00.kinds, {k: f"  {v} " for k, v in KINDS.items()}),
    wrong(ex00.kinds, "is reinforcement learning, not supervised learning",
          dict(KINDS, **{"a robot that learns to walk from rewards": "supervised learning"})),
    wrong(ex00.kinds, "'supervised', 'unsupervised', 'reinforcement'",
          dict(KINDS, **{"a robot that learns to walk from rewards": "semi-supervised"})),
    wrong(ex00.kinds, "has no answer", {"spam": "supervised"}),
    wrong(ex00.kinds, "give a dict", ["supervised"] * 4),
    right(ex00.nesting, ["AI", "ML", "DL"]),
    right(ex00.nesting, ("ai", "Ml", "dl")),
    right(ex00.nesting, ["artificial intelligence", "machine learning", "deep learning"]),
    wrong(ex00.nesting, "DL is not the broadest", ["DL", "ML", "AI"]),
    wrong(ex00.nesting, "exactly once", ["AI", "AI", "DL"]),
    wrong(ex00.nesting, "give a list", "AI ML DL"),
    wrong(ex00.nesting, "not one of the words", ["AI", "ML", "NLP"]),
    # 01
    right(ex01.nand, -1.0, -1.0, 1.5),
    right(ex01.nand, -2, -2, 3),
    right(ex01.nand, np.float32(-1), np.int64(-1), 1.5),
    wrong(ex01.nand, "classify (0, 0) as 0", 1.0, 1.0, -1.5),
    wrong(ex01.nand, "w1 is the text '-1'", "-1", -1, 1.5),
    wrong(ex01.nand, "b is nan", -1, -1, NAN),
    wrong(ex01.nand, "w2 is None", -1, None, 1.5),
    wrong(ex01.nand, "give a single number", [-1], -1, 1.5),
    right(ex01.update_rule, ex01._reference_update),
    right(ex01.update_rule, _perceptron_update),
    wrong(ex01.update_rule, "returned None", _forgets_return),
    wrong(ex01.update_rule, "still returns ____", lambda w, b, x, y, lr: (____, ____)),
    wrong(ex01.update_rule, "ZeroDivisionError", lambda w, b, x, y, lr: 1 / 0),
    wrong(ex01.update_rule, "return a pair", lambda w, b, x, y, lr: (w, b, 0)),
    wrong(ex01.update_rule, "bias is updated like a weight",
          lambda w, b, x, y, lr: (w + lr * (y - (x @ w + b >= 0)) * x, b)),
    wrong(ex01.update_rule, "the new w should be", lambda w, b, x, y, lr: (w - lr * (y - (x @ w + b >= 0)) * x, b)),
    wrong(ex01.update_rule, "your function itself", "perceptron_update"),
    right(ex01.xor_hidden, [[1.0, -1.0], [1.0, -1.0]], [-0.5, 1.5]),
    right(ex01.xor_hidden, np.array([[2, -2], [2, -2]]), (-1, 3)),
    wrong(ex01.xor_hidden, "gives hidden units (1, 1)", [[1, 1], [1, 1]], [-0.5, -0.5]),
    wrong(ex01.xor_hidden, "holds the text '1'", [["1", "-1"], ["1", "-1"]], [-0.5, 1.5]),
    wrong(ex01.xor_hidden, "shape (2,)", [[1.0, -1.0], [1.0, -1.0]], [-0.5, 1.5, 0]),
    wrong(ex01.xor_hidden, "rows of different lengths", [[1.0, -1.0], [1.0]], [-0.5, 1.5]),
    # 02
    right(ex02.sigmoid_slope, 0.25),
    right(ex02.sigmoid_slope, 1 / 4),
    right(ex02.sigmoid_slope, np.float32(0.25)),
    wrong(ex02.sigmoid_slope, "sigma(0), the value", 0.5),
    wrong(ex02.sigmoid_slope, "the text '0.25'", "0.25"),
    wrong(ex02.sigmoid_slope, "give a single number", [0.25]),
    wrong(ex02.sigmoid_slope, "is None", None),
    wrong(ex02.sigmoid_slope, "is nan", NAN),
    wrong(ex02.sigmoid_slope, "is not it", 0.2),
    right(ex02.stable_softmax, reference.softmax),
    right(ex02.stable_softmax, _stable),
    wrong(ex02.stable_softmax, "an exponent overflowed", lambda z: np.exp(z) / np.exp(z).sum()),
    wrong(ex02.stable_softmax, "an exponent overflowed", _minus(np.min)),
    wrong(ex02.stable_softmax, "an exponent overflowed", _minus(np.mean)),
    wrong(ex02.stable_softmax, "an exponent overflowed", _minus(lambda z: z[0])),
    wrong(ex02.stable_softmax, "expected [0. 1.]", _modulo_hack),
    wrong(ex02.stable_softmax, "returned None", lambda z: None),
    wrong(ex02.stable_softmax, "one probability per input", lambda z: _stable(z)[:1]),
    right(ex02.output_layer, OUTPUTS),
    right(ex02.output_layer, dict(OUTPUTS, **{"house price (a number)": "None"})),
    right(ex02.output_layer, {k: v.capitalize() for k, v in OUTPUTS.items()}),
    wrong(ex02.output_layer, "needs 'sigmoid', not 'softmax'", dict(OUTPUTS, **{"spam or not spam": "softmax"})),
    wrong(ex02.output_layer, "'linear', 'sigmoid', 'softmax'", dict(OUTPUTS, **{"spam or not spam": "relu"})),
    # 03
    right(ex03.cross_entropy, float(-np.log(0.6))),
    right(ex03.cross_entropy, 0.51),
    right(ex03.cross_entropy, 0.511),
    wrong(ex03.cross_entropy, "log base 10", float(-np.log10(0.6))),
    wrong(ex03.cross_entropy, "wrong class", float(-np.log(0.3))),
    wrong(ex03.cross_entropy, "is not it", 0.5),
    wrong(ex03.cross_entropy, "the text", "0.51"),
    right(ex03.which_loss, LOSSES),
    right(ex03.which_loss, dict(LOSSES, **{"predict tomorrow's temperature": "MAE"})),
    right(ex03.which_loss, dict(LOSSES, **{"which digit 0-9 (labels are integers)": "SparseCategoricalCrossentropy"})),
    wrong(ex03.which_loss, "is not the usual choice",
          dict(LOSSES, **{"which digit 0-9 (labels are integers)": "categorical_crossentropy"})),
    wrong(ex03.which_loss, "not one of the words", dict(LOSSES, **{"is this email spam?": "hinge"})),
    # 04
    right(ex04.gd_step, 2.6),
    right(ex04.gd_step, 13 / 5),
    wrong(ex04.gd_step, "stepped *up*", 1.4),
    wrong(ex04.gd_step, "is not it", 2.5),
    wrong(ex04.gd_step, "the text '2.6'", "2.6"),
    right(ex04.updates, 391),
    right(ex04.updates, 391.0),
    wrong(ex04.updates, "not a whole number", 391.9),
    wrong(ex04.updates, "not a whole number", 390.625),
    wrong(ex04.updates, "forgets the last, smaller batch", 390),
    wrong(ex04.updates, "the text '391'", "391"),
    right(ex04.diverge, 1),
    right(ex04.diverge, 1.0),
    wrong(ex04.diverge, "lands exactly on the minimum", 0.5),
    wrong(ex04.diverge, "is not it", 2),
    # 05
    right(ex05.chain_rule, 8),
    right(ex05.chain_rule, 8.0),
    wrong(ex05.chain_rule, "multiply by dy/dw", 4),
    wrong(ex05.chain_rule, "is not it", 8.4),
    wrong(ex05.chain_rule, "the text", "8"),
    right(ex05.count, 47),
    right(ex05.count, np.int64(47)),
    wrong(ex05.count, "not a whole number", 47.9),
    wrong(ex05.count, "only the weights", 38),
    wrong(ex05.count, "the text '47'", "47"),
    right(ex05.dense_backward, ex05._reference_dense_backward),
    right(ex05.dense_backward, lambda a, w, d: (np.einsum("ni,no->io", a, d), np.sum(d, axis=0), (w @ d.T).T)),
    wrong(ex05.dense_backward, "Check the shapes", lambda a, w, d: (a.T @ d, d.sum(axis=0), d @ w)),
    wrong(ex05.dense_backward, "Is a sign flipped?", lambda a, w, d: (-(a.T @ d), d.sum(axis=0), d @ w.T)),
    wrong(ex05.dense_backward, "must have shape (3, 4)", lambda a, w, d: (d.T @ a, d.sum(axis=0), d @ w.T)),
    wrong(ex05.dense_backward, "must have shape (4,)", lambda a, w, d: (a.T @ d, d.sum(axis=1), d @ w.T)),
    wrong(ex05.dense_backward, "dL/db differs", lambda a, w, d: (a.T @ d, d.mean(axis=0), d @ w.T)),
    wrong(ex05.dense_backward, "still returns ____", lambda a, w, d: (____, ____, ____)),
    wrong(ex05.dense_backward, "returned None", lambda a, w, d: None),
    # 06 (the models are in their own test below)
    right(ex06.cifar_params, 614600),
    right(ex06.cifar_params, 614600.0),
    wrong(ex06.cifar_params, "the text '614600'", "614600"),
    wrong(ex06.cifar_params, "forgets the 200 biases", 3072 * 200),
    wrong(ex06.cifar_params, "3 channels", 1025 * 200),
    wrong(ex06.cifar_params, "not a whole number", 614600.5),
    right(ex06.loss, "sparse_categorical_crossentropy"),
    right(ex06.loss, "SparseCategoricalCrossentropy"),
    wrong(ex06.loss, "one-hot rows", "categorical_crossentropy"),
    wrong(ex06.loss, "not the loss for one-of-ten", "mse"),
    wrong(ex06.loss, "give one of these words", 42),
    # 07
    right(ex07.output_size, 28),
    right(ex07.output_size, 28.0),
    wrong(ex07.output_size, "not a whole number", 28.6),
    wrong(ex07.output_size, "padding='same'", 32),
    wrong(ex07.output_size, "forgets the + 1", 27),
    right(ex07.conv_params, 18496),
    wrong(ex07.conv_params, "not a whole number", 18496.7),
    wrong(ex07.conv_params, "per input channel", 640),
    wrong(ex07.conv_params, "add one bias per filter", 18432),
    wrong(ex07.conv_params, "the text '18,496'", "18,496"),
    right(ex07.horizontal_edge, SOBEL_Y),
    right(ex07.horizontal_edge, [[-1, -1, -1], [0, 0, 0], [1, 1, 1]]),
    right(ex07.horizontal_edge, 2 * np.array(SOBEL_Y)),
    wrong(ex07.horizontal_edge, "sum to 1", [[0, 0, 0], [0, 1, 0], [0, 0, 0]]),
    wrong(ex07.horizontal_edge, "at least 1", [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]]),
    wrong(ex07.horizontal_edge, "at least 1", 1e-12 * np.array(SOBEL_Y)),
    wrong(ex07.horizontal_edge, "at least 1", -np.array(SOBEL_Y)),
    wrong(ex07.horizontal_edge, "a vertical edge also gives 2", [[-2, -2, 0], [0, 0, 0], [0, 2, 2]]),
    wrong(ex07.horizontal_edge, "shape (3, 3)", [[-1, -2, -1], [1, 2, 1]]),
    # 08
    right(ex08.bn_params, 256, 128),
    right(ex08.bn_params, 256.0, 128.0),
    wrong(ex08.bn_params, "not a whole number", 256.9, 128.9),
    wrong(ex08.bn_params, "gamma and beta only", 128, 128),
    wrong(ex08.bn_params, "not trained by gradient descent", 256, 256),
    wrong(ex08.bn_params, "the text '256'", "256", "128"),
    right(ex08.dropout_scale, 1 / 0.75),
    right(ex08.dropout_scale, 1.33),
    right(ex08.dropout_scale, 1.333),
    wrong(ex08.dropout_scale, "keep probability", 0.75),
    wrong(ex08.dropout_scale, "is not it", 1.3),
    wrong(ex08.dropout_scale, "is not it", 1.25),
    right(ex08.precision_recall, 40 / 55, 40 / 60),
    right(ex08.precision_recall, 0.73, 0.67),
    right(ex08.precision_recall, 0.727, 0.667),
    wrong(ex08.precision_recall, "swapped", 40 / 60, 40 / 55),
    wrong(ex08.precision_recall, "precision is not right", 0.72, 0.67),
    wrong(ex08.precision_recall, "recall is None", 40 / 55, None),
    right(ex09.curves, {"A": "overfitting", "B": "underfitting", "C": "good fit"}),
    right(ex09.curves, {"C": "Good fit", "A": "over-fitting", "B": " Underfit "}),
    wrong(ex09.curves, "curve A is overfitting, not underfitting",
          {"A": "underfitting", "B": "overfitting", "C": "good fit"}),
    wrong(ex09.curves, "curve B is underfitting, not good fit", {"A": "overfitting", "B": "good fit", "C": "good fit"}),
    wrong(ex09.curves, "'C' has no answer", {"A": "overfitting", "B": "underfitting"}),
    wrong(ex09.curves, "not one of the words", {"A": "overfitting", "B": "underfitting", "C": "fine-ish"}),
    wrong(ex09.curves, "give a dict", ["overfitting", "underfitting", "good fit"]),
    right(ex09.pick_rate, 1e-3, RANGE),
    right(ex09.pick_rate, 0.004, RANGE),
    right(ex09.pick_rate, np.float32(5e-4), RANGE),
    right(ex09.pick_rate, 1e-4, RANGE),                 # common Adam rates, where the loss already falls
    right(ex09.pick_rate, np.array(2e-3), RANGE),
    wrong(ex09.pick_rate, "at or past the lowest point", 0.01, RANGE),
    wrong(ex09.pick_rate, "at or past the lowest point", 0.1, RANGE),
    wrong(ex09.pick_rate, "too close to the minimum", 0.008, RANGE),
    wrong(ex09.pick_rate, "safe but slow", 1e-5, RANGE),
    wrong(ex09.pick_rate, "must be positive", -1e-3, RANGE),
    wrong(ex09.pick_rate, "the range test's result", 1e-3, [1e-3]),
    wrong(ex09.pick_rate, "the text '0.001'", "0.001", RANGE),
    right(ex09.augmentations, AUGMENTED),
    right(ex09.augmentations, {k: {"ok": "Fine", "wrong": "bad"}[v] for k, v in AUGMENTED.items()}),
    wrong(ex09.augmentations, "RandomFlip('vertical') is wrong, not ok", {**AUGMENTED, "RandomFlip('vertical')": "ok"}),
    wrong(ex09.augmentations, "RandomRotation(0.5) is wrong, not ok", {**AUGMENTED, "RandomRotation(0.5)": "ok"}),
    wrong(ex09.augmentations, "RandomFlip('horizontal') is ok, not wrong",
          {**AUGMENTED, "RandomFlip('horizontal')": "wrong"}),
    wrong(ex09.augmentations, "is True", {**AUGMENTED, "RandomZoom(0.1)": True}),
    right(ex09.l2_by_hand, 0.0525),
    right(ex09.l2_by_hand, 0.01 * (0.25 + 1 + 4)),
    right(ex09.l2_by_hand, np.float64(0.05250001)),
    right(ex09.l2_by_hand, np.array(0.0525, dtype=np.float32)),
    wrong(ex09.l2_by_hand, "Keras's L2 has no 1/2", 0.02625),
    wrong(ex09.l2_by_hand, "an L1 penalty", 0.035),
    wrong(ex09.l2_by_hand, "multiply by the factor", 5.25),
    wrong(ex09.l2_by_hand, "is not it", 0.05),
    wrong(ex09.l2_by_hand, "is not it", 0.053),
    right(ex10.trainable_after_freezing, 130),
    right(ex10.trainable_after_freezing, 130.0),
    wrong(ex10.trainable_after_freezing, "2 biases", 128),
    wrong(ex10.trainable_after_freezing, "is not it", 130 + 106_202),
    wrong(ex10.trainable_after_freezing, "the text '130'", "130"),
    right(ex10.iou, 1 / 3),
    right(ex10.iou, 0.33),
    right(ex10.iou, 4 / 12),
    wrong(ex10.iou, "divides by the union", 0.5),
    wrong(ex10.iou, "without taking the overlap away", 0.25),
    wrong(ex10.iou, "is not it", 0.3),
    wrong(ex10.iou, "is not it", 0.34),
    right(ex10.recipe, RECIPE),
    right(ex10.recipe, {k: {"true": "Yes", "false": "no"}[v] for k, v in RECIPE.items()}),
    wrong(ex10.recipe, "is true, not false",
          {**RECIPE, "keep the base's batch-norm layers frozen while fine-tuning": "false"}),
    wrong(ex10.recipe, "overrides the flag", {
        **RECIPE, "in Keras 3, base(inputs, training=False) keeps batch norm in inference mode during fit()": "true"}),
    right(ex10.recipe, {k: {"true": " TRUE", "false": "False "}[v] for k, v in RECIPE.items()}),
    wrong(ex10.recipe, "is false, not true",
          {**RECIPE, "fine-tune with the learning rate that trained the new head": "true"}),
    wrong(ex10.recipe, "gained nothing over the frozen base",
          {**RECIPE, "fine-tune with the learning rate that trained the new head": "yes"}),
    wrong(ex10.recipe, "has no answer",
          {k: v for k, v in RECIPE.items() if k != "fine-tune with the learning rate that trained the new head"}),
    wrong(ex10.recipe, "is True", {**RECIPE, "train the new output layer before unfreezing the base": True}),
    right(ex11.separable, 73856, 8896),
    right(ex11.separable, 73_856.0, (3 * 3 * 64) + (64 * 128) + 128),
    wrong(ex11.separable, "misses the 128 biases", 73728, 8896),
    wrong(ex11.separable, "pointwise step", 73856, 8768),
    wrong(ex11.separable, "one 3x3 kernel per input channel", 73856, 3 * 3 * 64 * 128 + 64 * 128 + 128),
    wrong(ex11.separable, "is not it", 73856, 8000),
    wrong(ex11.separable, "not a whole number", 73856.5, 8896),
    right(ex11.receptive, 9),
    right(ex11.receptive, 9.0),
    wrong(ex11.receptive, "each adds kernel - 1", 12),
    wrong(ex11.receptive, "the area", 81),
    wrong(ex11.receptive, "is not it", 7),
    wrong(ex11.receptive, "the text '9'", "9"),
    right(ex11.se_params, 33312),
    wrong(ex11.se_params, "add the biases", 32768),
    wrong(ex11.se_params, "is not it", 66080),
    right(ex11.shortcut, {"first 64-filter unit": "no", "first 128-filter unit": "yes",
                          "second 128-filter unit": "No"}),
    right(ex11.shortcut, {"first 64-filter unit": "identity", "first 128-filter unit": "1x1",
                          "second 128-filter unit": "n"}),
    wrong(ex11.shortcut, "first 128-filter unit: 'yes', not 'no'",
          {"first 64-filter unit": "no", "first 128-filter unit": "no", "second 128-filter unit": "no"}),
    wrong(ex11.shortcut, "second 128-filter unit: 'no', not 'yes'",
          {"first 64-filter unit": "no", "first 128-filter unit": "yes", "second 128-filter unit": "yes"}),
    wrong(ex11.shortcut, "has no answer", {"first 64-filter unit": "no"}),
]


@pytest.mark.parametrize("exercise, answer, verdict, fragment", CASES)
def test_verdict_and_feedback(exercise, answer, verdict, fragment):
    ok, message = exercise.feedback(*answer)
    assert ok is verdict, message
    assert fragment in message, message


def test_every_exercise_is_covered_by_right_and_wrong_answers():
    covered = {case.values[0].name: set() for case in CASES}
    for case in CASES:
        covered[case.values[0].name].add(case.values[2])
    for exercise in ALL:
        if exercise is ex06.small_mlp:
            continue  # models: see test_small_mlp_is_judged_by_what_it_computes
        assert covered.get(exercise.name) == {True, False}, exercise.name


def test_loss_objects_and_functions_are_read_as_their_names(keras):
    assert ex06.loss.feedback(keras.losses.SparseCategoricalCrossentropy())[0]
    assert ex06.loss.feedback(keras.losses.sparse_categorical_crossentropy)[0]
    ok, message = ex06.loss.feedback(keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    assert not ok and "from_logits=True" in message
    assert "one-hot" in ex06.loss.feedback(keras.losses.CategoricalCrossentropy())[1]


def test_keras_answers_are_read_as_numbers(keras):
    import numpy as np

    # what exercise 09.4's prompt suggests computing: Keras's own penalty, a 0-d tensor
    penalty = keras.regularizers.L2(0.01)(np.array([[0.5, -1.0], [2.0, 0.0]]))
    assert ex09.l2_by_hand.feedback(penalty)[0]
    ok, message = ex09.l2_by_hand.feedback(keras.regularizers.L2(0.005)(np.array([[0.5, -1.0], [2.0, 0.0]])))
    assert not ok and "half of it" in message


def test_small_mlp_is_judged_by_what_it_computes(keras):
    from keras import layers

    def mlp(*middle):
        return keras.Sequential([keras.Input(shape=(28, 28)), layers.Flatten(), *middle])

    relu_softmax = [layers.Dense(256, activation="relu"), layers.Dense(128, activation="relu"),
                    layers.Dense(10, activation="softmax")]
    assert ex06.small_mlp.feedback(mlp(*relu_softmax))[0]
    # the same network spelled as notebook 08 spells layers
    spelled = mlp(layers.Dense(256), layers.ReLU(), layers.Dense(128), layers.Activation("relu"), layers.Dense(10),
                  layers.Activation("softmax"))
    assert ex06.small_mlp.feedback(spelled)[0]
    with_dropout = mlp(layers.Dense(256, activation="relu"), layers.Dropout(0.3), layers.Dense(128, activation="relu"),
                       layers.Dense(10, activation="softmax"))
    assert ex06.small_mlp.feedback(with_dropout)[0]
    flat_input = keras.Sequential([keras.Input(shape=(784,)), *[type(layer).from_config(layer.get_config())
                                                                  for layer in relu_softmax]])
    assert ex06.small_mlp.feedback(flat_input)[0]
    inputs = keras.Input(shape=(28, 28))
    x = layers.Dense(256, activation="relu")(layers.Flatten()(inputs))
    functional = keras.Model(inputs, layers.Dense(10, activation="softmax")(layers.Dense(128, activation="relu")(x)))
    assert ex06.small_mlp.feedback(functional)[0]

    expectations = [
        (mlp(layers.Dense(256), layers.Dense(128), layers.Dense(10, activation="softmax")), "no activation"),
        (mlp(layers.Dense(256, activation="tanh"), layers.Dense(128, activation="relu"),
             layers.Dense(10, activation="softmax")), "uses tanh"),
        (mlp(layers.Dense(256, activation="relu"), layers.Dense(128, activation="relu"),
             layers.Dense(10, activation="sigmoid")), "need softmax"),
        (mlp(layers.Dense(512, activation="relu"), layers.Dense(128, activation="relu"),
             layers.Dense(10, activation="softmax")), "[512, 128, 10] units"),
        (mlp(layers.Dense(256, activation="relu"), layers.BatchNormalization(), layers.Dense(128, activation="relu"),
             layers.Dense(10, activation="softmax")), "batch norm"),
        (keras.Sequential([layers.Flatten(), layers.Dense(256, activation="relu"),
                           layers.Dense(128, activation="relu"), layers.Dense(10, activation="softmax")]),
         "not built yet"),
        ("model", "pass your Keras model"),
    ]
    for model, fragment in expectations:
        ok, message = ex06.small_mlp.feedback(model)
        assert not ok and fragment in message, message


@pytest.mark.parametrize("exercise", [e for e in ALL if e.example_answer], ids=lambda e: e.name)
def test_solution_passes_and_check_returns_a_verdict(exercise, capsys):
    ok, message = exercise.feedback(*exercise.example_answer)
    assert ok, message
    verdict = exercise.check(*exercise.example_answer)
    assert isinstance(verdict, Verdict) and verdict and verdict == True  # noqa: E712
    assert "Correct!" in capsys.readouterr().out


@pytest.mark.parametrize("exercise", ALL, ids=lambda e: e.name)
def test_every_exercise_has_hints_and_a_solution(exercise, capsys):
    exercise.hint()
    exercise.hint(99)  # clamped to the last hint
    exercise.hint("1")
    exercise.hint("first")
    exercise.solution()
    out = capsys.readouterr().out
    assert "Hint 1/" in out and "One solution" in out and "takes a hint number" in out


def test_blank_answers_ask_to_be_filled_in():
    ok, message = ex01.nand.feedback(____, 1, 1)
    assert not ok and "replace each ____" in message
    assert "replace each ____" in ex00.kinds.feedback({"a": ____})[1]
    assert "replace each ____" in ex01.xor_hidden.feedback([[____, 1], [1, 1]], [0, 0])[1]
    assert not ex08.bn_params.check(____, ____)


def test_wrong_number_of_answers_is_explained():
    ok, message = ex08.bn_params.feedback(256)
    assert not ok and "wrong number of answers" in message


def test_readers_refuse_what_truncation_would_accept():
    for value in (47.9, "47", None, NAN, [47], True):
        with pytest.raises(checks.Incorrect):
            whole_number(value)
    assert whole_number(47.0) == 47
    assert is_close(1.33, 4 / 3) and not is_close(1.32, 4 / 3) and is_close(4 / 3 + 1e-4, 4 / 3, rel_tol=1e-3)
    assert array([[1, 2], [3, 4]], (2, 2)).dtype == float
    assert word("  Deep-Learning ", {"deep learning": ()}) == "deep learning"


def test_blank_is_recognisable():
    assert repr(checks.____) == "____"


def test_exercise_09_2_judges_real_range_tests_alike_across_seeds(keras):
    """The range test as notebook 09 runs it for students (full profile), on three seeds: the rates the lesson
    calls safe pass on every one, and the wrong ones fail with the same reason."""
    import course_utils as cu

    data = cu.data.load_fashion_mnist(verbose=False)
    (x_train, y_train), _ = cu.data.train_val_split(data.x_train[..., None], data.y_train, val_fraction=0.1)
    for seed in (0, 1, 2):
        keras.utils.set_random_seed(seed)
        probe = cu.models.small_cnn(batch_norm=True)
        probe.compile(optimizer=keras.optimizers.Adam(), loss="sparse_categorical_crossentropy")
        result = cu.training.lr_range_test(probe, x_train[:12000], y_train[:12000], start=1e-5, stop=1.0,
                                           steps=150, batch_size=64)
        lowest = result["rates"][result["smoothed"].argmin()]
        for rate in (lowest / 10, 1e-3, 1e-4):
            ok, message = ex09.pick_rate.feedback(rate, result)
            assert ok, f"seed {seed}, rate {rate:g}: {message}"
        # 1e-4, the slowest of them, sits well clear of the rule's line, not just over it
        print(f"seed {seed}: lowest {lowest:.2g}, 1e-4 has fallen {ex09.fallen_share(1e-4, result):.0%}")
        assert ex09.fallen_share(1e-4, result) >= 2 * ex09.SLOW_FALLEN, seed
        for rate, reason in ((lowest, "at or past the lowest point"), (lowest * 0.8, "too close to the minimum"),
                             (1e-5, "safe but slow")):
            ok, message = ex09.pick_rate.feedback(rate, result)
            assert not ok and reason in message, f"seed {seed}, rate {rate:g}: {message}"


@pytest.mark.parametrize("exercise", [e for e in ALL if e.example_answer], ids=lambda e: e.name)
def test_every_exercise_judges_alike_in_korean_and_says_so_in_korean(exercise, capsys):
    from course_utils import language

    previous = language.language()
    try:
        language.set_language("ko")
        ok, message = exercise.feedback(*exercise.example_answer)
        assert ok and "정답입니다" in message, message
        arity = len(exercise.example_answer)
        for wrong in ("3", None, NAN):
            ok, message = exercise.feedback(*[wrong] * arity)
            assert not ok and re.search("[가-힣]", message), message
            assert "raised" not in message and "KeyError" not in message, message  # every template filled
        exercise.hint(1)
        assert re.search("[가-힣]", capsys.readouterr().out)
    finally:
        language.set_language(previous)
