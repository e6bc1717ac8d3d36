"""The NumPy references of notebooks 02-05 against TensorFlow/Keras, which compute the same things."""

import numpy as np
import pytest

from course_utils import reference as ref

Z = np.linspace(-8, 8, 161)


@pytest.fixture(scope="module")
def tf(keras):
    import tensorflow as tf

    return tf


@pytest.mark.parametrize("name,keras_name", [("sigmoid", "sigmoid"), ("tanh", "tanh"), ("relu", "relu"),
                                             ("leaky_relu", "leaky_relu")])
def test_activations_and_derivatives_match_keras_and_gradient_tape(name, keras_name, keras, tf):
    f, df = ref.activation(name)
    z = tf.constant(Z[Z != 0])  # derivatives at exactly 0 are a convention
    with tf.GradientTape() as tape:
        tape.watch(z)
        out = getattr(keras.activations, keras_name)(z)
    assert np.allclose(f(z.numpy()), out.numpy(), atol=1e-7)
    assert np.allclose(df(z.numpy()), tape.gradient(out, z).numpy(), atol=1e-7)


def test_step_has_no_useful_gradient():
    assert np.all(ref.step_grad(Z) == 0)


def test_softmax_matches_keras_and_survives_large_inputs(keras):
    z = np.array([[1.0, 2.0, 3.0], [1000.0, 1001.0, 1002.0]])
    stable = ref.softmax(z)
    assert np.allclose(stable, keras.activations.softmax(z).numpy(), atol=1e-7)
    assert np.allclose(stable[0], stable[1])  # adding a constant changes nothing
    with np.errstate(over="ignore", invalid="ignore"):
        assert np.isnan(ref.softmax_naive(z)[1]).all()  # e^1000 overflows


def test_stacked_linear_layers_collapse_to_one():
    # seed 001: y = 2x then y = 4x + 4 is the single line y = 8x + 4 (the notes say 10x: wrong)
    first, second = (lambda x: 2 * x), (lambda x: 4 * x + 4)
    assert second(first(2)) == 20 and all(second(first(x)) == 8 * x + 4 for x in range(-5, 6))


def test_sigmoid_gradients_vanish_with_depth_and_relu_keeps_them():
    sigmoid_norms = ref.layer_gradient_norms("sigmoid", depth=10)
    relu_norms = ref.layer_gradient_norms("relu", depth=10)
    assert sigmoid_norms[0] < sigmoid_norms[-1] / 100  # first layer gets <1% of the last one's gradient
    assert relu_norms[0] > relu_norms[-1] / 10


@pytest.mark.parametrize("name,loss_name", [("mse", "MeanSquaredError"), ("mae", "MeanAbsoluteError"),
                                            ("binary_crossentropy", "BinaryCrossentropy"),
                                            ("categorical_crossentropy", "CategoricalCrossentropy")])
def test_losses_match_keras(name, loss_name, keras, rng):
    y_true = np.eye(4)[rng.integers(0, 4, 8)]
    p = ref.softmax(rng.normal(size=(8, 4)))
    keras_loss = getattr(keras.losses, loss_name)()
    assert np.isclose(getattr(ref, name)(y_true, p).mean(), float(keras_loss(y_true, p)), atol=1e-6)


def test_sparse_and_from_logits_match_keras(keras, rng):
    labels = rng.integers(0, 5, 10)
    logits = rng.normal(size=(10, 5)) * 3
    p = ref.softmax(logits)
    sparse = keras.losses.SparseCategoricalCrossentropy()(labels, p)
    assert np.isclose(ref.sparse_categorical_crossentropy(labels, p).mean(), float(sparse), atol=1e-6)
    from_logits = keras.losses.CategoricalCrossentropy(from_logits=True)(np.eye(5)[labels], logits)
    assert np.isclose(ref.categorical_crossentropy_from_logits(np.eye(5)[labels], logits).mean(),
                      float(from_logits), atol=1e-6)


def test_from_logits_is_exact_where_probabilities_saturate():
    logits = np.array([[0.0, 40.0]])  # softmax says P(class 0) = e^-40, below float32's clip
    exact = ref.categorical_crossentropy_from_logits([[1, 0]], logits)
    assert np.isclose(exact[0], 40.0)
    clipped = ref.categorical_crossentropy([[1, 0]], ref.softmax(logits))
    assert clipped[0] < 17  # clipping at 1e-7 caps the loss at -log(1e-7) = 16.1


def test_seed_cat_dog_fish_example():
    # seed 001: true class is the second; the prediction improves from 0.3 to 0.5
    assert np.isclose(ref.categorical_crossentropy([0, 1, 0], [0.2, 0.3, 0.5]), 1.20, atol=0.005)
    assert np.isclose(ref.categorical_crossentropy([0, 1, 0], [0.3, 0.5, 0.2]), 0.69, atol=0.005)


def test_loss_gradients_match_gradient_tape(keras, tf):
    y = np.array([0.0, 1.0, 0.0])
    p = np.array([0.2, 0.5, 0.3])
    grads = ref.loss_gradients(y, p)
    cases = (("mse", keras.losses.MeanSquaredError()), ("binary_crossentropy", keras.losses.BinaryCrossentropy()))
    for name, loss in cases:
        pt = tf.constant(p)
        with tf.GradientTape() as tape:
            tape.watch(pt)
            value = loss(y[None], pt[None])
        assert np.allclose(grads[name], tape.gradient(value, pt).numpy(), atol=1e-6), name


OPTIMIZER_CASES = [
    ("SGD", {"learning_rate": 0.1}, {}),
    ("SGD", {"learning_rate": 0.1, "momentum": 0.9}, {}),
    ("SGD", {"learning_rate": 0.1, "momentum": 0.9, "nesterov": True}, {}),
    ("Adagrad", {"learning_rate": 0.1}, {}),
    ("RMSprop", {"learning_rate": 0.01}, {}),
    ("Adam", {"learning_rate": 0.01}, {}),
    ("Nadam", {"learning_rate": 0.01}, {}),
]


@pytest.mark.parametrize("name,kwargs,_", OPTIMIZER_CASES, ids=lambda v: str(v) if isinstance(v, str) else "")
def test_numpy_optimizers_match_keras_step_by_step(name, kwargs, _, keras, tf, rng):
    # Keras keeps the learning rate and momentum as float32 (and casts a few other constants through
    # float32): give ours the same rounded values; what remains differs by ~1e-6, relative. A wrong
    # update rule differs by orders of magnitude more.
    rounded = {k: float(np.float32(v)) if k in ("learning_rate", "momentum") else v for k, v in kwargs.items()}
    ours = getattr(ref, name)(**rounded)
    theirs = getattr(keras.optimizers, name)(**kwargs)
    w_np = rng.normal(size=3)
    w_tf = tf.Variable(w_np.astype("float64"))
    for _step in range(25):
        g = rng.normal(size=3)
        w_np = ours.step(w_np, g)
        theirs.apply_gradients([(tf.constant(g), w_tf)])
        assert np.allclose(w_np, w_tf.numpy(), rtol=5e-6, atol=1e-9), f"step {_step + 1}"


def test_descent_paths():
    path, losses = ref.descend("bowl", ref.SGD(0.1), 100)
    assert losses[-1] < 1e-8 and np.allclose(path[-1], 0, atol=1e-4)
    path, losses = ref.descend("bowl", ref.SGD(1.1), 100)  # too large: diverges
    assert np.isnan(path[-1]).all() or losses[-1] > losses[0]
    _, slow = ref.descend("bowl", ref.SGD(0.001), 100)
    assert slow[-1] > 0.5 * slow[0]  # too small: barely moves


def test_momentum_escapes_the_local_minimum_plain_sgd_falls_into():
    plain, _ = ref.descend("local minimum", ref.SGD(0.01), 500)
    heavy, _ = ref.descend("local minimum", ref.SGD(0.01, momentum=0.9), 500)
    assert plain[-1][0] > 0.5  # stuck in the local valley near x = 0.93
    assert heavy[-1][0] < -0.5  # reached the global valley near x = -1.06


def test_surface_gradients_match_finite_differences():
    for name in ref.SURFACES:
        s = ref.surface(name)
        p = np.array([0.3, -0.7])
        numeric = [(s["f"](p + e) - s["f"](p - e)) / 2e-6 for e in np.eye(2) * 1e-6]
        assert np.allclose(s["grad"](p), numeric, rtol=1e-4, atol=1e-4), name


def test_batch_arithmetic():
    assert ref.batch_sizes(1000, 256) == [256, 256, 256, 232]
    assert ref.batch_sizes(1000, 100) == [100] * 10
    with pytest.raises(ValueError, match="batch_size must be a whole number >= 1"):
        ref.batch_sizes(10, 0)


def test_backprop_equals_finite_differences_and_gradient_tape(tf, rng):
    x = rng.normal(size=(16, 2))
    y = (x[:, 0] * x[:, 1] > 0).astype(float)
    model = ref.NumpyMLP([2, 5, 4, 1], hidden_activation="tanh", seed=1)
    ours = model.gradients(x, y)
    numeric = ref.numerical_gradients(model, x, y)
    for a, b in zip(ours, numeric):
        assert np.allclose(a, b, atol=1e-7)
    variables = [tf.Variable(p) for p in model.params]
    with tf.GradientTape() as tape:
        a = tf.constant(x)
        for k in range(0, len(variables), 2):
            z = a @ variables[k] + variables[k + 1]
            a = tf.sigmoid(z) if k == len(variables) - 2 else tf.tanh(z)
        p = a[:, 0]
        loss = -tf.reduce_mean(y * tf.math.log(p) + (1 - y) * tf.math.log(1 - p))
    assert np.isclose(float(loss), model.loss(x, y))
    for ours_grad, tape_grad in zip(ours, tape.gradient(loss, variables)):
        assert np.allclose(ours_grad, tape_grad.numpy(), atol=1e-10)


def test_numpy_mlp_learns_xor():
    from course_utils.data import logic_gate

    x, y = logic_gate("XOR")
    model = ref.NumpyMLP([2, 4, 1], seed=0)
    history = model.fit(x, y, epochs=2000, learning_rate=0.5)
    assert history[-1] < 0.05 and np.array_equal(model.predict(x), y)


def test_optimizer_arguments_are_checked():
    with pytest.raises(ValueError, match="learning_rate must be a number > 0"):
        ref.SGD(0)
    with pytest.raises(ValueError, match=r"momentum must be a number in \[0, 1\)"):
        ref.SGD(0.1, momentum=1.5)
    with pytest.raises(ValueError, match="name must be one of 'sgd', 'momentum'"):
        ref.make_optimizer("adadelta", 0.1)


def test_numerical_gradient_matches_an_analytic_one_and_restores_the_parameter():
    w = np.array([[1.0, -2.0], [0.5, 3.0]])
    before = w.copy()
    grad = ref.numerical_gradient(lambda: float(np.sum(w**3)), w)
    assert np.allclose(grad, 3 * w**2, rtol=1e-6) and np.array_equal(w, before)
