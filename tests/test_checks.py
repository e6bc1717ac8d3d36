"""Every exercise accepts its own solution and explains specific mistakes."""

import numpy as np
import pytest

from course_utils import checks
from course_utils.checks import ____, ex00, ex01, ex02, ex03, ex04, ex05, ex06, ex07, ex08

GROUPS = (ex00, ex01, ex02, ex03, ex04, ex05, ex06, ex07, ex08)
ALL = [e for group in GROUPS for e in vars(group).values()]


@pytest.mark.parametrize("exercise", [e for e in ALL if e.example_answer], ids=lambda e: e.name)
def test_solution_passes(exercise, capsys):
    ok, message = exercise.feedback(*exercise.example_answer)
    assert ok, message
    exercise.check(*exercise.example_answer)
    assert "Correct!" in capsys.readouterr().out


@pytest.mark.parametrize("exercise", ALL, ids=lambda e: e.name)
def test_every_exercise_has_hints_and_a_solution(exercise, capsys):
    exercise.hint()
    exercise.hint(99)  # clamped to the last hint
    exercise.solution()
    out = capsys.readouterr().out
    assert "Hint 1/" in out and "One solution" in out


def test_blank_answers_ask_to_be_filled_in():
    ok, message = ex01.nand.feedback(____, 1, 1)
    assert not ok and "replace each ____" in message
    assert "replace each ____" in ex00.kinds.feedback({"a": ____})[1]
    assert "replace each ____" in ex01.xor_hidden.feedback([[____, 1], [1, 1]], [0, 0])[1]


def test_nand_feedback_names_the_wrong_input():
    ok, message = ex01.nand.feedback(1.0, 1.0, -1.5)  # that is AND
    assert not ok and "classify (0, 0) as 0" in message and "NAND needs 1 there" in message


def test_update_rule_feedback_spots_a_forgotten_bias():
    def forgets_bias(w, b, x, y, lr):
        error = y - (x @ w + b >= 0)
        return w + lr * error * x, b

    ok, message = ex01.update_rule.feedback(forgets_bias)
    assert not ok and "bias is updated like a weight" in message
    ok, message = ex01.update_rule.feedback(lambda w, b, x, y, lr: (____, ____))
    assert not ok and "still returns ____" in message


def test_student_code_that_raises_is_reported_not_crashed():
    ok, message = ex01.update_rule.feedback(lambda w, b, x, y, lr: 1 / 0)
    assert not ok and "ZeroDivisionError" in message


def test_xor_hidden_feedback_shows_hidden_units():
    ok, message = ex01.xor_hidden.feedback([[1, 1], [1, 1]], [-0.5, -0.5])  # two OR units
    assert not ok and "input (1, 1) gives hidden units (1, 1)" in message


def test_parameter_count_feedback():
    assert "forgets the 200 biases" in ex06.cifar_params.feedback(3072 * 200)[1]
    assert "3 channels" in ex06.cifar_params.feedback(1025 * 200)[1]


def test_small_mlp_check(keras):
    from keras import layers

    good = keras.Sequential([keras.Input(shape=(28, 28)), layers.Flatten(), layers.Dense(256, activation="relu"),
                             layers.Dense(128, activation="relu"), layers.Dense(10, activation="softmax")])
    assert ex06.small_mlp.feedback(good)[0]
    linear_hidden = keras.Sequential([keras.Input(shape=(28, 28)), layers.Flatten(), layers.Dense(256),
                                      layers.Dense(128), layers.Dense(10, activation="softmax")])
    assert "asks for 'relu'" in ex06.small_mlp.feedback(linear_hidden)[1]
    sigmoid_output = keras.Sequential([keras.Input(shape=(28, 28)), layers.Flatten(),
                                       layers.Dense(256, activation="relu"), layers.Dense(128, activation="relu"),
                                       layers.Dense(10, activation="sigmoid")])
    assert "need 'softmax'" in ex06.small_mlp.feedback(sigmoid_output)[1]
    too_big = keras.Sequential([keras.Input(shape=(28, 28)), layers.Flatten(), layers.Dense(512, activation="relu"),
                                layers.Dense(128, activation="relu"), layers.Dense(10, activation="softmax")])
    assert "[512, 128, 10] units" in ex06.small_mlp.feedback(too_big)[1]
    assert "Pass a Keras model" in ex06.small_mlp.feedback("model")[1]


def test_kinds_and_nesting_feedback():
    answers = dict(ex00.kinds.example_answer[0])
    answers["a robot that learns to walk from rewards"] = "supervised"
    assert "reinforcement learning, not supervised" in ex00.kinds.feedback(answers)[1]
    assert "DL is not the broadest" in ex00.nesting.feedback(["DL", "ML", "AI"])[1]
    assert ex06.loss.feedback("sparse_categorical_crossentropy")[0]
    assert "one-hot rows" in ex06.loss.feedback("categorical_crossentropy")[1]


def test_blank_is_recognisable():
    assert repr(checks.____) == "____"


def test_math_exercises_explain_typical_mistakes():
    assert "sigma(0), the value" in ex02.sigmoid_slope.feedback(0.5)[1]
    naive = lambda z: np.exp(z) / np.exp(z).sum()  # noqa: E731
    assert "overflows" in ex02.stable_softmax.feedback(naive)[1]
    assert "log base 10" in ex03.cross_entropy.feedback(float(-np.log10(0.6)))[1]
    assert "stepped *up*" in ex04.gd_step.feedback(1.4)[1]
    assert "forgets the last, smaller batch" in ex04.updates.feedback(390)[1]
    assert "multiply by dy/dw" in ex05.chain_rule.feedback(4)[1]
    assert "only the weights" in ex05.count.feedback(38)[1]
    answers = dict(ex02.output_layer.example_answer[0], **{"spam or not spam": "softmax"})
    assert "needs 'sigmoid'" in ex02.output_layer.feedback(answers)[1]


def test_convolution_exercises_explain_typical_mistakes():
    assert "padding='same'" in ex07.output_size.feedback(32)[1]
    assert "forgets the + 1" in ex07.output_size.feedback(27)[1]
    assert "per input channel" in ex07.conv_params.feedback(640)[1]
    assert "sum to 1" in ex07.horizontal_edge.feedback([[0, 0, 0], [0, 1, 0], [0, 0, 0]])[1]
    assert "clearly positive" in ex07.horizontal_edge.feedback([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]])[1]
    assert "expected a negative value" not in ex07.horizontal_edge.feedback([[-1, -1, -1], [0, 0, 0], [1, 1, 1]])[1]


def test_cnn_exercises_explain_typical_mistakes():
    assert "gamma and beta only" in ex08.bn_params.feedback(128, 128)[1]
    assert "not trained by gradient descent" in ex08.bn_params.feedback(256, 256)[1]
    assert "keep probability" in ex08.dropout_scale.feedback(0.75)[1]
    assert "swapped" in ex08.precision_recall.feedback(40 / 60, 40 / 55)[1]
