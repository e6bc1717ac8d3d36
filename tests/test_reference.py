import numpy as np
import pytest

from course_utils import reference as ref
from course_utils.data import logic_gate


@pytest.mark.parametrize("gate", ["AND", "OR", "NAND", "NOR"])
def test_perceptron_learns_linearly_separable_gates(gate):
    x, y = logic_gate(gate)
    history = ref.train_perceptron(x, y, learning_rate=0.1, epochs=100)
    assert history.converged
    assert ref.accuracy(ref.perceptron_predict(x, history.weights, history.bias), y) == 1.0


@pytest.mark.parametrize("learning_rate", [0.01, 0.1, 1.0])
def test_perceptron_cannot_learn_xor(learning_rate):
    x, y = logic_gate("XOR")
    history = ref.train_perceptron(x, y, learning_rate=learning_rate, epochs=200)
    assert not history.converged
    assert max(history.accuracy_per_epoch) <= 0.75


def test_no_single_line_separates_xor_but_one_separates_and():
    assert ref.best_single_line_accuracy(*logic_gate("XOR"), n_angles=72, n_offsets=61) == 0.75
    assert ref.best_single_line_accuracy(*logic_gate("AND"), n_angles=72, n_offsets=61) == 1.0


def test_hand_set_two_layer_network_computes_xor():
    x, y = logic_gate("XOR")
    hidden, out = ref.two_layer_step_network(x)
    assert np.array_equal(out, y)
    assert hidden[:, 0].tolist() == [0, 1, 1, 1]  # OR
    assert hidden[:, 1].tolist() == [1, 1, 1, 0]  # NAND


def test_bias_is_added_not_multiplied():
    assert ref.weighted_sum([2.0, 3.0], [1.0, 1.0], 10.0) == 15.0
    assert ref.weighted_sum([0.0, 0.0], [5.0, 5.0], -1.0) == -1.0  # zero input: only the bias is left


def test_step_and_truth_table():
    assert ref.step([-0.1, 0.0, 2.0]).tolist() == [0, 1, 1]
    table = ref.truth_table(1, 1, -1.5, "AND")
    assert table["accuracy"] == 1.0 and table["wrong"] == []
    assert ref.truth_table(1, 1, -0.5, "AND")["wrong"] == [(0, 1), (1, 0)]


def test_perceptron_rule_update_matches_formula():
    x, y = np.array([[1.0, 1.0]]), np.array([0])
    history = ref.train_perceptron(x, y, learning_rate=0.5, epochs=1)
    assert history.weights.tolist() == [-0.5, -0.5] and history.bias == -0.5  # one mistake: w -= lr * x


def test_bad_inputs_give_clear_errors():
    x, y = logic_gate("AND")
    with pytest.raises(ValueError, match="learning_rate must be a number > 0"):
        ref.train_perceptron(x, y, learning_rate=0)
    with pytest.raises(ValueError, match="targets y must be 0 or 1"):
        ref.train_perceptron(x, y * 2)
    with pytest.raises(ValueError, match="2 features but there are 3 weights"):
        ref.weighted_sum(x, [1, 1, 1], 0)
    with pytest.raises(ValueError, match="n_units must be a whole number"):
        ref.dense_params(10, 0)


def test_parameter_formula_matches_the_seeds():
    assert ref.mlp_params([784, 512, 512, 10]) == 669_706
    assert ref.mlp_params([3072, 200, 150, 10]) == 646_260
    assert [ref.dense_params(a, b) for a, b in [(3072, 200), (200, 150), (150, 10)]] == [614_600, 30_150, 1_510]
