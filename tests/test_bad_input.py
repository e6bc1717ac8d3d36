"""Bad input to course_utils gets a clear error, never a raw low-level exception or a silent wrong answer.

Each case calls a public function with something a student or instructor could type by
mistake and names what the error message must say: the function, the argument, and
what is allowed. A few inputs are handled instead of refused (a widget clamps an
out-of-range number); those cases check the handled result.
"""

import gzip
import math
import re

import numpy as np
import pytest

from course_utils import config, data, models, plots, reference, training, transfer, validate, widgets

NAN, INF = float("nan"), float("inf")
ONE_HOT = [[0, 1, 0], [1, 0, 0]]
PROBS = [[0.2, 0.7, 0.1], [0.6, 0.3, 0.1]]


def bad(call, error, *words):
    """A case: ``call()`` must raise ``error`` with every word (regex) in its message."""
    return pytest.param(call, error, words, id=f"{words[0]}:{words[1] if len(words) > 1 else ''}")


CASES = [
    # ----------------------------------------------------------------- config
    bad(lambda: config.runs_dir("/some/abs/path"), ValueError, "runs_dir", "name", "inside runs/"),
    bad(lambda: config.runs_dir("../../.."), ValueError, "runs_dir", "name", r"no '\.\.'"),
    bad(lambda: config.runs_dir("a/../../b"), ValueError, "runs_dir", "name"),
    bad(lambda: config.runs_dir("~/x"), ValueError, "runs_dir", "name"),
    bad(lambda: config.runs_dir(42), TypeError, "runs_dir", "name", "string"),
    bad(lambda: config.colab_url(None), ValueError, "colab_url", "notebook_name", r"\.ipynb"),
    bad(lambda: config.colab_url("01_perceptron_xor"), ValueError, "colab_url", "notebook_name"),
    bad(lambda: config.colab_url("../x.ipynb"), ValueError, "colab_url", "notebook_name"),
    bad(lambda: config.setup(seed=-1, verbose=False), ValueError, "setup", "seed", "whole number"),
    bad(lambda: config.setup(seed=1.5, verbose=False), ValueError, "setup", "seed", "whole number"),
    bad(lambda: config.setup(seed="42", verbose=False), TypeError, "setup", "seed", "str"),
    # ------------------------------------------------------------------- data
    bad(lambda: data.load_fashion_mnist(n_train=0), ValueError, "load_fashion_mnist", "n_train", "1 to 60,000"),
    bad(lambda: data.load_fashion_mnist(n_train=70000), ValueError, "load_fashion_mnist", "n_train"),
    bad(lambda: data.load_fashion_mnist(n_test=2.5), ValueError, "load_fashion_mnist", "n_test"),
    bad(lambda: data.load_fashion_mnist(n_test="100"), ValueError, "load_fashion_mnist", "n_test"),
    bad(lambda: data.load_fashion_mnist(n_train=True), ValueError, "load_fashion_mnist", "n_train"),
    bad(lambda: data.load_cifar10(n_train=-5), ValueError, "load_cifar10", "n_train"),
    bad(lambda: data.load_cifar10(timeout=NAN), ValueError, "load_cifar10", "timeout"),
    bad(lambda: data.cifar10_standin(n_train=0), ValueError, "cifar10_standin", "n_train"),
    bad(lambda: data.network_reachable(timeout=-1), ValueError, "network_reachable", "timeout"),
    bad(lambda: reference.two_layer_step_network([[0, 1, 1]]), ValueError, "two_layer_step_network", "x"),
    bad(lambda: reference.two_layer_step_network([[0, 1]], hidden_w=[[1, 1]]), ValueError, "two_layer_step_network",
        "hidden_w", r"shape \(2, 2\)"),
    bad(lambda: plots.draw_decision_boundary(None, lambda p: p[:, 0], [[0, 1]], [0, 1]), ValueError,
        "draw_decision_boundary", "1 points", "2 targets"),
    bad(lambda: widgets.boundary_line(1, 1, 0, limits=(0, NAN)), ValueError, "boundary_line", "limits"),
    bad(lambda: data.sample_image("nope"), ValueError, "sample_image", "name", "'china', 'flower'"),
    bad(lambda: data.sample_image(None), ValueError, "sample_image", "name", "'china'"),
    bad(lambda: data.logic_gate("xorr"), ValueError, "logic_gate", "name", "'AND', 'OR', 'NAND', 'NOR', 'XOR'"),
    bad(lambda: data.logic_gate(3), ValueError, "logic_gate", "name"),
    bad(lambda: data.normalize(np.array([[0.0, 0.5, 1.0]])), ValueError, "normalize", "normalized already"),
    bad(lambda: data.normalize(np.array([[0.0, np.nan]])), ValueError, "normalize", "NaN"),
    bad(lambda: data.normalize(np.array([[1, 2]]), max_value=NAN), ValueError, "normalize", "max_value"),
    bad(lambda: data.normalize(np.array([[1, 2]]), max_value=0), ValueError, "normalize", "max_value", "> 0"),
    bad(lambda: data.normalize(np.array([[1, 300]])), ValueError, "normalize", r"outside \[0, 255"),
    bad(lambda: data.normalize(np.array([["a"]])), TypeError, "normalize", "numeric"),
    bad(lambda: data.normalize(np.array([[1, 2]]), max_value="255"), TypeError, "normalize", "max_value"),
    bad(lambda: data.one_hot([0, 1, 5], num_classes=3), ValueError, "one_hot", "num_classes"),
    bad(lambda: data.one_hot([0, 1, 1.5]), TypeError, "one_hot", "whole numbers"),
    bad(lambda: data.one_hot([0, -1]), ValueError, "one_hot", "labels span"),
    bad(lambda: data.one_hot([0, 1], num_classes=0), ValueError, "one_hot", "num_classes", ">= 1"),
    bad(lambda: data.one_hot([0, 1], num_classes=2.5), ValueError, "one_hot", "num_classes"),
    bad(lambda: data.one_hot([[0, 1], [1, 0]]), ValueError, "one_hot", r"shape \(N,\)"),
    bad(lambda: data.train_val_split(np.zeros(10), np.zeros(10), val_fraction=0), ValueError,
        "train_val_split", "val_fraction", r"\(0, 1\)"),
    bad(lambda: data.train_val_split(np.zeros(10), np.zeros(10), val_fraction=NAN), ValueError,
        "train_val_split", "val_fraction"),
    bad(lambda: data.train_val_split(np.zeros(10), np.zeros(9)), ValueError, "train_val_split", "10 rows", "9"),
    bad(lambda: data.train_val_split(np.zeros(10), np.zeros(10), seed=-3), ValueError, "train_val_split", "seed"),
    bad(lambda: data.train_val_split(5, 5), TypeError, "train_val_split", "one row per example"),
    # -------------------------------------------------------------- reference
    bad(lambda: reference.step("abc"), TypeError, "step", "z", "array of numbers"),
    bad(lambda: reference.weighted_sum([1, 2], [1, 2, 3], 0), ValueError, "weighted_sum", "2 features", "3 weights"),
    bad(lambda: reference.weighted_sum([1, 2], [1, 2], NAN), ValueError, "weighted_sum", "b", "number"),
    bad(lambda: reference.weighted_sum([1, NAN], [1, 2], 0), ValueError, "weighted_sum", "x", "NaN"),
    bad(lambda: reference.weighted_sum([1, 2], None, 0), TypeError, "weighted_sum", "w", "array"),
    bad(lambda: reference.accuracy([1, 0], [1]), ValueError, "accuracy", "2 predictions", "1 targets"),
    bad(lambda: reference.train_perceptron([[0, 1]], [2]), ValueError, "train_perceptron", "targets y", "0 or 1"),
    bad(lambda: reference.train_perceptron([[0, 1]], [1], learning_rate=-1), ValueError, "train_perceptron",
        "learning_rate", "> 0"),
    bad(lambda: reference.train_perceptron([[0, 1]], [1], learning_rate=NAN), ValueError, "train_perceptron",
        "learning_rate"),
    bad(lambda: reference.train_perceptron([[0, 1]], [1], epochs=0), ValueError, "train_perceptron", "epochs"),
    bad(lambda: reference.train_perceptron([[0, 1]], [1], epochs=2.5), ValueError, "train_perceptron", "epochs"),
    bad(lambda: reference.train_perceptron([0, 1], [1]), ValueError, "train_perceptron", "x", "2 dimensions"),
    bad(lambda: reference.train_perceptron([[0, 1]], [1], initial_weights=[1, 2, 3]), ValueError,
        "train_perceptron", "initial_weights", "shape"),
    bad(lambda: reference.dense_params(784, 0), ValueError, "dense_params", "n_units", ">= 1"),
    bad(lambda: reference.dense_params(78.4, 10), ValueError, "dense_params", "n_inputs", "whole number"),
    bad(lambda: reference.dense_params(None, 10), TypeError, "dense_params", "n_inputs"),
    bad(lambda: reference.mlp_params([784]), ValueError, "mlp_params", "at least"),
    bad(lambda: reference.mlp_params(784), TypeError, "mlp_params", "layer_sizes", "list"),
    bad(lambda: reference.mlp_params([784, -10]), ValueError, "dense_params", "n_units"),
    bad(lambda: reference.truth_table(NAN, 1, 0), ValueError, "truth_table", "w1", "number"),
    bad(lambda: reference.truth_table(1, "1", 0), TypeError, "truth_table", "w2", "number"),
    bad(lambda: reference.truth_table(1, 1, 0, "xnorr"), ValueError, "logic_gate", "name", "'XOR'"),
    bad(lambda: reference.sigmoid([0, NAN]), ValueError, "sigmoid", "z", "NaN"),
    bad(lambda: reference.sigmoid(None), TypeError, "sigmoid", "z", "array"),
    bad(lambda: reference.relu("1"), TypeError, "relu", "z"),
    bad(lambda: reference.tanh([INF]), ValueError, "tanh", "z", "infinity"),
    bad(lambda: reference.leaky_relu([1.0], negative_slope=-0.2), ValueError, "leaky_relu", "negative_slope"),
    bad(lambda: reference.softmax([]), ValueError, "softmax", "z", "at least 1"),
    bad(lambda: reference.softmax([1, NAN]), ValueError, "softmax", "z", "NaN"),
    bad(lambda: reference.activation("relux"), ValueError, "activation", "name", "'sigmoid', 'tanh', 'relu'"),
    bad(lambda: reference.activation_curves("relu", NAN, 1), ValueError, "activation_curves", "low"),
    bad(lambda: reference.activation_curves("relu", 2, 1), ValueError, "activation_curves", "low < high"),
    bad(lambda: reference.activation_curves("relu", points=1), ValueError, "activation_curves", "points", ">= 2"),
    bad(lambda: reference.layer_gradient_norms("relu", depth=0), ValueError, "layer_gradient_norms", "depth"),
    bad(lambda: reference.mse([1, 2], [1, 2, 3]), ValueError, "mse", "same shape"),
    bad(lambda: reference.mae([1, NAN], [1, 2]), ValueError, "mae", "y_true", "NaN"),
    bad(lambda: reference.binary_crossentropy([1, 0], [1.5, 0.2]), ValueError, "binary_crossentropy", "p",
        r"probabilities in \[0, 1\]"),
    bad(lambda: reference.binary_crossentropy([1, 0], [0.5, 0.2], epsilon=-1), ValueError, "binary_crossentropy",
        "epsilon"),
    bad(lambda: reference.categorical_crossentropy(ONE_HOT, [[3.0, -1.0, 0.0], [1, 0, 0]]), ValueError,
        "categorical_crossentropy", "p", "logits"),
    bad(lambda: reference.categorical_crossentropy(ONE_HOT, [[0, 0, 0], [1, 0, 0]]), ValueError,
        "categorical_crossentropy", "positive sum"),
    bad(lambda: reference.categorical_crossentropy(ONE_HOT, PROBS[:1]), ValueError, "categorical_crossentropy",
        "same shape"),
    bad(lambda: reference.sparse_categorical_crossentropy([-1, 0], PROBS), ValueError,
        "sparse_categorical_crossentropy", "labels", "0 to 2", "-1"),
    bad(lambda: reference.sparse_categorical_crossentropy([1.7, 0], PROBS), ValueError,
        "sparse_categorical_crossentropy", "labels", "whole-number", "1.7"),
    bad(lambda: reference.sparse_categorical_crossentropy([10, 0], PROBS), ValueError,
        "sparse_categorical_crossentropy", "labels", "0 to 2", "10"),
    bad(lambda: reference.sparse_categorical_crossentropy([0, 1, 2], PROBS), ValueError,
        "sparse_categorical_crossentropy", "3 labels", "2 rows"),
    bad(lambda: reference.categorical_crossentropy_from_logits(ONE_HOT, [[1, 2, NAN], [0, 0, 0]]), ValueError,
        "categorical_crossentropy_from_logits", "logits", "NaN"),
    bad(lambda: reference.loss_gradients([1], [1.2]), ValueError, "loss_gradients", "p", "probabilities"),
    bad(lambda: reference.SGD(learning_rate=0), ValueError, "SGD", "learning_rate", "> 0"),
    bad(lambda: reference.SGD(learning_rate="0.1"), TypeError, "SGD", "learning_rate", "str"),
    bad(lambda: reference.SGD(0.1, momentum=1.0), ValueError, "SGD", "momentum", r"\[0, 1\)"),
    bad(lambda: reference.SGD(0.1, momentum=-0.5), ValueError, "SGD", "momentum"),
    bad(lambda: reference.Adam(beta_1=1.0), ValueError, "Adam", "beta_1", r"\[0, 1\)"),
    bad(lambda: reference.Adam(beta_2=NAN), ValueError, "Adam", "beta_2"),
    bad(lambda: reference.Adam(epsilon=0), ValueError, "Adam", "epsilon", "> 0"),
    bad(lambda: reference.Nadam(beta_1=-0.1), ValueError, "Nadam", "beta_1"),
    bad(lambda: reference.RMSprop(rho=2.0), ValueError, "RMSprop", "rho", r"\[0, 1\)"),
    bad(lambda: reference.Adagrad(initial_accumulator_value=-1), ValueError, "Adagrad",
        "initial_accumulator_value", ">= 0"),
    bad(lambda: reference.Adagrad(learning_rate=INF), ValueError, "Adagrad", "learning_rate"),
    bad(lambda: reference.SGD(0.1).step([1.0, 2.0], [1.0]), ValueError, r"SGD\.step", "g", "shape"),
    bad(lambda: reference.Adam(0.1).step([1.0, 2.0], [NAN, 1.0]), ValueError, r"Adam\.step", "g", "NaN"),
    bad(lambda: reference.make_optimizer("adamm", 0.1), ValueError, "make_optimizer", "name", "'sgd'", "'adam'"),
    bad(lambda: reference.make_optimizer("adam", -0.1), ValueError, "Adam", "learning_rate"),
    bad(lambda: reference.make_optimizer("momentum", 0.1, momentum=1.5), ValueError, "make_optimizer", "momentum"),
    bad(lambda: reference.surface("bowll"), ValueError, "surface", "name", "'bowl'"),
    bad(lambda: reference.descend("bowl", reference.SGD(0.1), steps=-1), ValueError, "descend", "steps", ">= 0"),
    bad(lambda: reference.descend("bowl", "sgd", steps=5), TypeError, "descend", "optimizer", "SGD"),
    bad(lambda: reference.descend("bowl", reference.SGD(0.1), 5, start=[1, 2, 3]), ValueError, "descend",
        "start", r"shape \(2\)"),
    bad(lambda: reference.batch_sizes(1000, 0), ValueError, "batch_sizes", "batch_size", ">= 1"),
    bad(lambda: reference.batch_sizes(-5, 32), ValueError, "batch_sizes", "n_samples"),
    bad(lambda: reference.NumpyMLP([2, 8, 2]), ValueError, "NumpyMLP", "end with 1 output"),
    bad(lambda: reference.NumpyMLP([2, 0, 1]), ValueError, "NumpyMLP", "sizes", ">= 1"),
    bad(lambda: reference.NumpyMLP("2-8-1"), TypeError, "NumpyMLP", "sizes", "list"),
    bad(lambda: reference.NumpyMLP([2, 8, 1], hidden_activation="tanhh"), ValueError, "activation", "name"),
    bad(lambda: reference.NumpyMLP([2, 4, 1]).fit([[0, 1]], [1], learning_rate=-1), ValueError, r"NumpyMLP\.fit",
        "learning_rate", "> 0"),
    bad(lambda: reference.NumpyMLP([2, 4, 1]).fit([[0, 1]], [1], epochs=-5), ValueError, r"NumpyMLP\.fit",
        "epochs", ">= 1"),
    bad(lambda: reference.NumpyMLP([2, 4, 1]).fit([[0, 1]], [1], batch_size=0), ValueError, r"NumpyMLP\.fit",
        "batch_size", ">= 1"),
    bad(lambda: reference.NumpyMLP([2, 4, 1]).fit([[0, 1, 2]], [1]), ValueError, r"NumpyMLP\.fit", "x",
        r"shape \(any, 2\)"),
    bad(lambda: reference.NumpyMLP([2, 4, 1]).loss([[0, 1]], [2]), ValueError, "NumpyMLP", "y", "0 or 1"),
    bad(lambda: reference.NumpyMLP([2, 4, 1]).predict([[0, NAN]]), ValueError, "NumpyMLP", "x", "NaN"),
    bad(lambda: reference.numerical_gradients("model", [[0, 1]], [1]), TypeError, "numerical_gradients", "NumpyMLP"),
    bad(lambda: reference.conv_output_size(28, 3, stride=0), ValueError, "conv_output_size", "stride", ">= 1"),
    bad(lambda: reference.conv_output_size(28, 3, padding="full"), ValueError, "conv_output_size", "padding",
        "'valid', 'same'"),
    bad(lambda: reference.conv_output_size(28, 3, padding=-1), ValueError, "conv_output_size", "padding"),
    bad(lambda: reference.conv_output_size(2, 5), ValueError, "conv_output_size", "does not fit"),
    bad(lambda: reference.conv2d(np.ones((5, 5)), np.ones((3, 3)), stride="2"), TypeError, "conv2d", "stride"),
    bad(lambda: reference.conv2d(np.ones((5, 5)), np.ones((3, 3)), stride=0), ValueError, "conv2d", "stride"),
    bad(lambda: reference.conv2d(np.ones((5, 5)), np.ones((3, 3)), padding="full"), ValueError, "conv2d",
        "padding"),
    bad(lambda: reference.conv2d(np.ones(5), np.ones((3, 3))), ValueError, "conv2d", "image", "2 or 3 dimensions"),
    bad(lambda: reference.conv2d(np.ones((5, 5, 3)), np.ones((3, 3, 1))), ValueError, "conv2d", "3 channels"),
    bad(lambda: reference.conv2d(np.ones((2, 2)), np.ones((3, 3))), ValueError, "conv2d", "does not fit"),
    bad(lambda: reference.conv2d(np.full((5, 5), NAN), np.ones((3, 3))), ValueError, "conv2d", "image", "NaN"),
    bad(lambda: reference.conv2d(np.ones((5, 5)), np.ones((3, 3, 1, 2)), bias=[1.0]), ValueError, "conv2d", "bias",
        r"shape \(2\)"),
    bad(lambda: reference.conv2d_params(3, 3, 0, 32), ValueError, "conv2d_params", "channels_in"),
    bad(lambda: reference.pool2d(np.ones((4, 4)), mode="min"), ValueError, "pool2d", "mode", "'max', 'average'"),
    bad(lambda: reference.pool2d(np.ones((4, 4)), size=0), ValueError, "pool2d", "size", ">= 1"),
    bad(lambda: reference.pool2d(np.ones((4, 4)), size=5), ValueError, "pool2d", "does not fit"),
    bad(lambda: reference.pool2d(np.ones((4, 4)), stride=1.5), ValueError, "pool2d", "stride"),
    bad(lambda: reference.global_average_pool(np.ones((4, 4))), ValueError, "global_average_pool", "3 dimensions"),
    bad(lambda: reference.receptive_field([(3, 1), (3,)]), ValueError, "receptive_field", "(kernel, stride)"),
    bad(lambda: reference.receptive_field([(0, 1)]), ValueError, "receptive_field", "kernel", ">= 1"),
    bad(lambda: reference.receptive_field(3), TypeError, "receptive_field", "layers_spec"),
    bad(lambda: reference.batch_norm_train(np.ones((4, 3)), np.ones(2), np.zeros(3), np.zeros(3), np.ones(3)),
        ValueError, "batch_norm_train", "gamma", r"shape \(3\)"),
    bad(lambda: reference.batch_norm_train(np.ones((1, 3)), *[np.ones(3)] * 4), ValueError, "batch_norm_train",
        "at least 2"),
    bad(lambda: reference.batch_norm_train(np.ones((4, 3)), *[np.ones(3)] * 4, momentum=1.5), ValueError,
        "batch_norm_train", "momentum"),
    bad(lambda: reference.batch_norm_inference(np.ones((4, 3)), *[np.ones(3)] * 3, -np.ones(3)), ValueError,
        "batch_norm_inference", "moving_var", "negative"),
    bad(lambda: reference.batch_norm_inference(np.ones((4, 3)), *[np.ones(3)] * 4, epsilon=0), ValueError,
        "batch_norm_inference", "epsilon"),
    bad(lambda: reference.dropout(np.ones(4), 1.0, np.random.default_rng(0)), ValueError, "dropout", "rate",
        r"\[0, 1\)"),
    bad(lambda: reference.dropout(np.ones(4), NAN, np.random.default_rng(0)), ValueError, "dropout", "rate"),
    bad(lambda: reference.dropout(np.ones(4), 0.5, 0), TypeError, "dropout", "rng", "default_rng"),
    bad(lambda: reference.feature_map(np.ones((8, 8)), np.ones((3, 3)), pooling="max"), ValueError, "feature_map",
        "pooling", "'max 2x2'"),
    bad(lambda: reference.feature_map(np.ones((8, 8, 3)), np.ones((3, 3))), ValueError, "feature_map", "gray_image",
        "2 dimensions"),
    # ---------------------------------------------------------------- models
    bad(lambda: models.build_mlp((28, 28), [256], 10, api="subclass"), ValueError, "build_mlp", "api",
        "'sequential', 'functional'"),
    bad(lambda: models.build_mlp((28, 28), [], 10), ValueError, "build_mlp", "hidden_units"),
    bad(lambda: models.build_mlp((28, 28), [256.5], 10), ValueError, "build_mlp", "hidden_units", "whole number"),
    bad(lambda: models.build_mlp((28, 28), 256, 10), ValueError, "build_mlp", "hidden_units", "list"),
    bad(lambda: models.build_mlp((28, 28), [256], None), TypeError, "build_mlp", "n_classes"),
    bad(lambda: models.build_mlp((28, 28), [256], 1), ValueError, "build_mlp", "n_classes", ">= 2"),
    bad(lambda: models.build_mlp("28x28", [256], 10), ValueError, "build_mlp", "input_shape", r"\(28, 28, 1\)"),
    bad(lambda: models.build_mlp((28, 0), [256], 10), ValueError, "build_mlp", "input_shape", ">= 1"),
    bad(lambda: models.build_mlp((28, 28), [256], 10, activation="relux"), ValueError, "build_mlp", "activation",
        "'relu'"),
    bad(lambda: models.layer_table("model"), TypeError, "layer_table", "Keras model"),
    bad(lambda: models.small_cnn(dropout=1.0), ValueError, "small_cnn", "dropout", r"\[0, 1\)"),
    bad(lambda: models.small_cnn(dropout="0.5"), TypeError, "small_cnn", "dropout"),
    bad(lambda: models.small_cnn(widths=(16,)), ValueError, "small_cnn", "widths", "two"),
    bad(lambda: models.small_cnn(n_classes=1), ValueError, "small_cnn", "n_classes"),
    bad(lambda: models.course_cnn(widths=(16, -1)), ValueError, "course_cnn", "widths"),
    bad(lambda: models.course_cnn(bn_momentum=1.0), ValueError, "course_cnn", "bn_momentum"),
    bad(lambda: training.one_cycle(NAN, 100), ValueError, "one_cycle", "peak_learning_rate"),
    bad(lambda: training.one_cycle(0.01, 100, warmup_fraction=1.0), ValueError, "one_cycle", "warmup_fraction"),
    bad(lambda: training.steps_per_epoch(1000, 0), ValueError, "steps_per_epoch", "batch_size"),
    # ----------------------------------------------------------------- plots
    bad(lambda: plots.image_grid(np.ones((4, 8))), ValueError, "image_grid", "images", "3 or 4 dimensions"),
    bad(lambda: plots.image_grid(np.ones((4, 8, 8)), n=0), ValueError, "image_grid", "n", ">= 1"),
    bad(lambda: plots.image_grid(np.ones((4, 8, 8)), ncols=2.5), ValueError, "image_grid", "ncols"),
    bad(lambda: plots.image_grid(np.ones((4, 8, 8)), labels=[0, 1, 12, 0], class_names=["a", "b"]), ValueError,
        "image_grid", "labels", "0 to 1"),
    bad(lambda: plots.image_grid(np.ones((4, 8, 8)), labels=[0, 1]), ValueError, "image_grid", "labels",
        "2 entries"),
    bad(lambda: plots.image_grid(np.ones((4, 8, 8)), labels=[0, 1, 0, 1], predictions=[0.5, 1, 0, 1]), ValueError,
        "image_grid", "predictions", "whole-number"),
    bad(lambda: plots.image_grid(np.array([["a"]] * 4)), ValueError, "image_grid", "images"),
    bad(lambda: plots.learning_curves([1, 2, 3]), TypeError, "learning_curves", "history"),
    bad(lambda: plots.learning_curves({"loss": [1]}, metrics=("auc",)), ValueError, "learning_curves", "auc"),
    bad(lambda: plots.decision_grid(lambda p: p[:, 0], resolution=1), ValueError, "decision_grid", "resolution"),
    bad(lambda: plots.decision_grid("predict"), TypeError, "decision_grid", "predict", "function"),
    bad(lambda: plots.decision_grid(lambda p: p[:, 0], xlim=(1, 0)), ValueError, "decision_grid", "xlim",
        "low < high"),
    bad(lambda: plots.decision_grid(lambda p: p[:, 0], ylim=(0, NAN)), ValueError, "decision_grid", "ylim", "NaN"),
    bad(lambda: plots.save_fig("figure", "name"), TypeError, "save_fig", "fig", "Figure"),
    # ---------------------------------------------------------------- widgets
    bad(lambda: widgets.clamp(NAN, 0, 1), ValueError, "clamp", "value", "number"),
    bad(lambda: widgets.clamp("0.5", 0, 1), TypeError, "clamp", "value"),
    bad(lambda: widgets.PerceptronPlayground(w1=NAN), ValueError, "PerceptronPlayground", "w1",
        r"clamped to \[-3, 3\]"),
    bad(lambda: widgets.PerceptronPlayground(b=None), TypeError, "PerceptronPlayground", "b"),
    bad(lambda: widgets.PerceptronPlayground(gate="xorr"), ValueError, "PerceptronPlayground", "gate",
        "'AND', 'OR', 'NAND', 'NOR', 'XOR'"),
    bad(lambda: widgets.PerceptronTrainer(gate=None), ValueError, "PerceptronTrainer", "gate"),
    bad(lambda: widgets.PerceptronTrainer(epochs=2.5), ValueError, "PerceptronTrainer", "epochs"),
    bad(lambda: widgets.PerceptronTrainer(learning_rate=NAN), ValueError, "PerceptronTrainer", "learning_rate"),
    bad(lambda: widgets.ActivationExplorer(low=NAN), ValueError, "ActivationExplorer", "low", "number"),
    bad(lambda: widgets.ActivationExplorer(name="swish"), ValueError, "ActivationExplorer", "name", "'relu'"),
    bad(lambda: widgets.ActivationExplorer(low=5, high=-5), ValueError, "ActivationExplorer", "low", "high"),
    bad(lambda: widgets.LossExplorer(y=2), ValueError, "LossExplorer", "y", "0, 1"),
    bad(lambda: widgets.LossExplorer(p=NAN), ValueError, "LossExplorer", "p", "number"),
    bad(lambda: widgets.binary_loss_report(1, INF), ValueError, "binary_loss_report", "p"),
    bad(lambda: widgets.binary_loss_report("1", 0.5), ValueError, "binary_loss_report", "y", "0, 1"),
    bad(lambda: widgets.OptimizerPlayground(optimizer="adamm"), ValueError, "OptimizerPlayground", "optimizer",
        "'sgd'", "'adam'"),
    bad(lambda: widgets.OptimizerPlayground(surface="bowll"), ValueError, "OptimizerPlayground", "surface", "'bowl'"),
    bad(lambda: widgets.OptimizerPlayground(learning_rate=NAN), ValueError, "OptimizerPlayground", "learning_rate"),
    bad(lambda: widgets.OptimizerPlayground(steps=10.5), ValueError, "OptimizerPlayground", "steps"),
    bad(lambda: widgets.OptimizerPlayground(momentum="high"), TypeError, "OptimizerPlayground", "momentum"),
    bad(lambda: widgets.KernelExplorer(photo="nope"), ValueError, "KernelExplorer", "photo", "'china', 'flower'"),
    bad(lambda: widgets.KernelExplorer(stride=0), ValueError, "KernelExplorer", "stride", "1, 2, 3"),
    bad(lambda: widgets.KernelExplorer(padding="full"), ValueError, "KernelExplorer", "padding", "'valid', 'same'"),
    bad(lambda: widgets.KernelExplorer(pooling="max"), ValueError, "KernelExplorer", "pooling", "'max 2x2'"),
    bad(lambda: widgets.KernelExplorer(preset="emboss"), ValueError, "KernelExplorer", "preset", "'identity'"),
    bad(lambda: widgets.KernelExplorer(size=4), ValueError, "KernelExplorer", "size", "3, 5"),
    bad(lambda: widgets.KernelExplorer(scale="log"), ValueError, "KernelExplorer", "scale", "'fixed', 'auto'"),
    bad(lambda: training.lr_range_test(None, [1], [1], start=1.0, stop=0.1), ValueError, "lr_range_test", "stop"),
    bad(lambda: reference.layer_activation_stds("relu", init="xavier"), ValueError, "layer_activation_stds",
        "init", "'glorot', 'he'"),
    bad(lambda: reference.relative_error([1, 2], [1]), ValueError, "relative_error", "same shape"),
    bad(lambda: models.small_cnn(head="dense"), ValueError, "small_cnn", "head", "'flatten', 'gap'"),
    bad(lambda: widgets.ImageBrowser(np.ones((3, 8)), [0, 1, 2], ["a", "b", "c"]), ValueError, "ImageBrowser",
        "images", "3 or 4 dimensions"),
    bad(lambda: widgets.ImageBrowser(np.ones((3, 8, 8)), [0, 1], ["a", "b"]), ValueError, "ImageBrowser",
        "3 images", "2 labels"),
    bad(lambda: widgets.ImageBrowser(np.ones((2, 8, 8)), [0, 5], ["a", "b"]), ValueError, "ImageBrowser", "labels",
        "0 to 1"),
    bad(lambda: widgets.ImageBrowser(np.ones((2, 8, 8)), [0, 1], "ab"), TypeError, "ImageBrowser", "class_names"),
    bad(lambda: widgets.ImageBrowser(np.ones((2, 8, 8)), [0, 1], ["a", "b"], index=NAN), ValueError, "ImageBrowser",
        "index"),
    # ------------------------------------------------------------- validate
    bad(lambda: validate.number("f", "x", True), TypeError, "f: x must be a number", "bool"),
    bad(lambda: validate.whole("f", "n", INF), ValueError, "f: n must be a whole number", "inf"),
    bad(lambda: validate.choice("f", "c", "d", ("a", "b")), ValueError, "f: c must be one of 'a', 'b'"),
    # ------------------------------------------- the last ones a new user found (a typo, a mismatch)
    bad(lambda: data.one_hot([1, 10**9]), ValueError, "one_hot", "num_classes", "1,000,000,001 columns"),
    bad(lambda: data.one_hot([1, 12], 10), ValueError, "one_hot", "num_classes=10", "0..9"),
    bad(lambda: reference.binary_crossentropy([[2.0]], [[0.5]]), ValueError, "binary_crossentropy", "y_true",
        r"\[0, 1\]"),
    bad(lambda: reference.categorical_crossentropy([[0, 2, 0]], PROBS[:1]), ValueError, "categorical_crossentropy",
        "y_true"),
    bad(lambda: plots.learning_curves({"loss": [1, 2, 3], "val_loss": [1, 2]}), ValueError, "learning_curves",
        "val_loss", "one value per epoch"),
    bad(lambda: plots.learning_curves({"loss": []}), ValueError, "learning_curves", "loss", "at least 1"),
    bad(lambda: plots.image_grid(np.zeros((4, 8, 8, 5))), ValueError, "image_grid", "images", "channels"),
    bad(lambda: plots.decision_grid(lambda p: p[:10, 0]), ValueError, "decision_grid", "predict",
        "one value per point"),
    bad(lambda: plots.decision_grid(lambda p: None), ValueError, "decision_grid", "predict", "return"),
    bad(lambda: models.small_cnn(input_shape=(3, 3, 1)), ValueError, "small_cnn", "input_shape", "4x4"),
    bad(lambda: models.small_cnn(input_shape=(28, 28)), ValueError, "small_cnn", "input_shape", "channels"),
    bad(lambda: models.course_cnn(input_shape=(2, 2, 1)), ValueError, "course_cnn", "input_shape", "4x4"),
    bad(lambda: models.course_cnn(input_shape=(28, 28)), ValueError, "course_cnn", "input_shape", "channels"),
    bad(lambda: widgets.clamp(0.5, 1.0, 0.0), ValueError, "clamp", "value", "low <= high"),
    bad(lambda: reference.accuracy([], []), ValueError, "accuracy", "predictions", "at least 1"),
    bad(lambda: transfer.relabel(np.zeros((2, 28, 28)), [0, 1], ["Sneakerz"]), ValueError, "relabel", "names",
        "'Sneaker'"),
]


@pytest.mark.parametrize("call, error, words", CASES)
def test_bad_input_gets_a_clear_error(call, error, words):
    with pytest.raises(error) as raised:
        call()
    message = str(raised.value)
    for word in words:
        assert re.search(word, message), f"message {message!r} lacks {word!r}"
    # the message says what came in or what is allowed, never a bare NumPy/traitlets phrase
    assert "Invalid selection" not in message and "could not convert" not in message


def test_there_are_at_least_a_hundred_cases_across_every_module():
    assert len(CASES) >= 100
    modules = {case.values[0].__code__.co_names[0] for case in CASES}
    assert {"config", "data", "reference", "models", "plots", "widgets", "training"} <= modules


# --------------------------------------------------------- sensible handling


def test_widgets_clamp_numbers_into_their_range():
    playground = widgets.PerceptronPlayground(w1=10, w2=-10, b=0.5)
    assert (playground.w1.value, playground.w2.value) == (3.0, -3.0)
    assert widgets.LossExplorer(p=2.0).p.value == 0.99
    assert widgets.OptimizerPlayground(learning_rate=50, steps=10_000).steps.value == 500
    assert widgets.clamp(-1e9, 0, 1) == 0.0 and widgets.clamp(np.float32(0.5), 0, 1) == 0.5


def test_widget_options_ignore_case_and_spaces():
    assert widgets.PerceptronPlayground(gate=" xor ").gate.value == "XOR"
    assert widgets.OptimizerPlayground(optimizer="Adam").optimizer.value == "adam"
    assert data.logic_gate("nand")[1].tolist() == [1, 1, 1, 0]


def test_image_browser_shows_normalised_images_on_their_own_scale():
    images = np.random.default_rng(0).random((3, 28, 28)).astype("float32")  # already in [0, 1]
    browser = widgets.ImageBrowser(images, [0, 1, 2], ["a", "b", "c"])
    import re

    texts = re.findall(r">([.\d]+)</td>", browser.pixels.value)
    assert len(texts) == 64 and browser._top == 1.0
    assert any(t not in ("0", "1") for t in texts)  # not an all-"0" panel


def test_whole_numbers_written_as_floats_are_accepted():
    assert reference.dense_params(784.0, 10) == 7850
    assert reference.batch_sizes(1000, 256.0) == [256, 256, 256, 232]
    assert data.one_hot([0.0, 2.0]).shape == (2, 3)


def test_runs_dir_accepts_plain_names_and_stays_inside(tmp_path, monkeypatch):
    monkeypatch.setenv("COURSE_RUNS_DIR", str(tmp_path))
    assert config.runs_dir("06_mlp/checkpoints") == tmp_path / "06_mlp" / "checkpoints"
    assert not (tmp_path.parent / "x").exists()


def test_save_fig_writes_only_inside_runs(tmp_path, monkeypatch):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    monkeypatch.setenv("COURSE_RUNS_DIR", str(tmp_path))
    fig = plt.figure()
    assert plots.save_fig(fig, "my plot!", fmt="svg") == tmp_path / "figures" / "my_plot_.svg"
    with pytest.raises(ValueError, match="save_fig: folder|runs_dir: name"):
        plots.save_fig(fig, "x", folder=str(tmp_path.parent))
    with pytest.raises(ValueError, match="fmt must be one of 'png', 'pdf', 'svg', 'jpg'"):
        plots.save_fig(fig, "x", fmt="bmp")
    plt.close(fig)


@pytest.mark.parametrize("damage", ["mid-stream", "truncated", "empty", "header"])
def test_any_damaged_data_file_gets_the_same_data_error(tmp_path, monkeypatch, damage):
    original = data.find_fashion_mnist()
    if original is None:
        pytest.skip("Fashion-MNIST is not installed")
    folder = tmp_path / "fashion-mnist"
    folder.mkdir()
    for name in data.FASHION_FILES:
        (folder / name).write_bytes((original[1] / name).read_bytes())
    target = folder / "train-labels-idx1-ubyte.gz"
    raw = bytearray(target.read_bytes())
    if damage == "mid-stream":
        for k in range(len(raw) // 2, len(raw) // 2 + 40):
            raw[k] ^= 0xFF
    elif damage == "truncated":
        raw = raw[: len(raw) // 2]
    elif damage == "empty":
        raw = bytearray()
    else:
        raw[:2] = b"XX"
    target.write_bytes(bytes(raw))
    monkeypatch.setenv("COURSE_DATA_DIR", str(tmp_path))
    with pytest.raises(data.DataError, match="train-labels-idx1-ubyte.gz") as raised:
        data.load_fashion_mnist(verbose=False)
    assert "Delete it" in str(raised.value) and "apt-get install dataset-fashion-mnist" in str(raised.value)
    assert gzip  # the files are gzip streams; any zlib/gzip error must become DataError


def test_validators_return_clean_values():
    assert validate.number("f", "x", np.float32(0.5)) == 0.5 and isinstance(validate.whole("f", "n", 3.0), int)
    assert validate.choice("f", "c", " ADAM ", ("sgd", "adam")) == "adam"
    assert validate.choice("f", "y", 1.0, (0, 1)) == 1
    assert math.isclose(validate.number("f", "x", 1e-3, low=0, low_open=True), 1e-3)


def test_learning_curves_still_draw_a_run_that_diverged():
    figure = plots.learning_curves({"loss": [2.3, 5.0, NAN], "val_loss": [2.2, 4.0, NAN]})
    assert len(figure.axes) == 1
