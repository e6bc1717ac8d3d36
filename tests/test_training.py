"""The course recipe: what notebooks 08-11 train with, and what their text says about it."""

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from course_utils import models, training
from course_utils import reference as ref

ROOT = Path(__file__).resolve().parent.parent


def test_course_cnn_counts_as_the_formula_says(keras):
    model = models.course_cnn()
    bn = lambda channels: 4 * channels  # noqa: E731  (gamma, beta, moving mean, moving variance)
    formula = (3 * 3 * 1 * 16 + bn(16) + 3 * 3 * 16 * 32 + bn(32)       # convs have no bias: BN's beta replaces it
               + 7 * 7 * 32 * 64 + bn(64) + ref.dense_params(64, 10))
    assert model.count_params() == formula == 106_202
    assert model.output_shape == (None, 10)
    wide = models.course_cnn(widths=(32, 64), dropout=0.3)
    assert any(type(layer).__name__ == "Dropout" for layer in wide.layers)
    with pytest.raises(ValueError, match=r"dropout must be a number in \[0, 1\)"):
        models.course_cnn(dropout=1.0)
    with pytest.raises(ValueError, match="widths must be a whole number"):
        models.course_cnn(widths=(16, 0))


def test_the_seed_cnn_is_the_seed_notes_network(keras):
    model = models.seed_cnn()
    assert model.count_params() == 220_234
    assert [type(layer).__name__ for layer in model.layers].count("Dropout") == 2


def test_pooling_before_batch_norm_and_relu_changes_nothing_when_gamma_is_positive(keras, rng):
    # The notebook's claim: max pooling commutes with a per-channel increasing map.
    from keras import layers

    x = rng.normal(size=(4, 8, 8, 3)).astype("float32")
    bn = layers.BatchNormalization()
    bn.build(x.shape)
    bn.gamma.assign(np.array([0.5, 2.0, 1.0], "float32"))
    bn.beta.assign(np.array([0.1, -0.3, 0.0], "float32"))
    bn.moving_mean.assign(np.array([0.2, -0.1, 0.4], "float32"))
    bn.moving_variance.assign(np.array([1.5, 0.7, 2.0], "float32"))
    pool, relu = layers.MaxPooling2D(2), layers.ReLU()
    pool_last = pool(relu(bn(x, training=False))).numpy()
    pool_first = relu(bn(pool(x), training=False)).numpy()
    np.testing.assert_allclose(pool_first, pool_last, rtol=1e-6)
    bn.gamma.assign(np.array([-1.0, 2.0, 1.0], "float32"))  # a negative scale is decreasing: then they differ
    assert not np.allclose(relu(bn(pool(x), training=False)).numpy(), pool(relu(bn(x, training=False))).numpy())


def test_one_cycle_warms_up_to_the_peak_then_decays_to_zero(keras):
    schedule = training.one_cycle(0.008, total_steps=400, warmup_fraction=0.25)
    rates = np.array([float(schedule(step)) for step in range(401)])
    assert rates[0] == pytest.approx(0.0008)
    assert rates.argmax() == 100 and rates.max() == pytest.approx(0.008)
    assert np.all(np.diff(rates[:101]) > 0) and np.all(np.diff(rates[100:]) <= 1e-12)
    assert rates[-1] == pytest.approx(0.0, abs=1e-9)
    with pytest.raises(ValueError, match="total_steps"):
        training.one_cycle(0.01, total_steps=1)
    with pytest.raises(ValueError, match="peak_learning_rate"):
        training.one_cycle(float("nan"), total_steps=10)


def test_steps_per_epoch_counts_the_last_partial_batch():
    assert training.steps_per_epoch(54_000, 128) == 422
    assert training.steps_per_epoch(256, 128) == 2


def test_progress_prints_one_line_per_epoch_and_shows_a_live_bar(keras, capsys):
    x = np.random.default_rng(0).normal(size=(64, 28, 28, 1)).astype("float32")
    y = np.arange(64) % 10
    model = training.compile_course_recipe(models.course_cnn(), n_images=64, epochs=3, batch_size=32)
    model.fit(x, y, epochs=3, batch_size=32, verbose=0, callbacks=training.progress(live=False))
    lines = [line for line in capsys.readouterr().out.splitlines() if line.strip()]
    assert len(lines) == 3 and lines[0].startswith("epoch 1/3") and "accuracy" in lines[0]
    names = [type(callback).__name__ for callback in training.progress()]
    assert names == ["LiveBar", "EpochLines"]
    assert [type(c).__name__ for c in training.progress(lines=False)] == ["LiveBar"]


def test_the_course_recipe_learns_fashion_mnist_in_two_short_epochs(keras, fashion):

    x = fashion.x_train[:6000][..., None]
    keras.utils.set_random_seed(0)
    model = training.compile_course_recipe(models.course_cnn(), n_images=6000, epochs=2)
    model.fit(x, fashion.y_train[:6000], epochs=2, batch_size=training.BATCH_SIZE, verbose=0)
    _, accuracy = model.evaluate(fashion.x_test[:2000][..., None], fashion.y_test[:2000], verbose=0)
    # With Keras's default batch-norm momentum (0.99) this short run scores about 20 % at inference:
    # the moving averages have not settled. The recipe's 0.9 is what makes the quick profile meaningful.
    assert accuracy > 0.8


RERUN = """
import course_utils as cu
cu.setup(verbose=False)
data = cu.data.load_fashion_mnist(n_train=3000, n_test=500, verbose=False)
x = data.x_train[..., None]
model = cu.training.compile_course_recipe(cu.models.course_cnn(dropout=0.3), n_images=3000, epochs=2)
history = model.fit(x, data.y_train, epochs=2, batch_size=128, verbose=0,
                    validation_data=(data.x_test[..., None], data.y_test))
print(repr(history.history))
"""


def test_same_seed_same_numbers_in_a_fresh_process_without_op_determinism():
    # setup() does not switch on op determinism (it costs 10-30 % per step on a CPU); seeding alone
    # must still give a student the same printed numbers when the notebook is run again.
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"}
    runs = [subprocess.run([sys.executable, "-c", RERUN], capture_output=True, text=True, env=env, cwd=ROOT,
                           check=True).stdout.strip().splitlines()[-1] for _ in range(2)]
    assert "val_accuracy" in runs[0]
    assert runs[0] == runs[1]


def test_the_yardstick_needs_a_full_epoch_of_images(keras):
    with pytest.raises(ValueError, match="54,000 training images"):
        training.time_yardstick(np.zeros((100, 28, 28, 1)), np.zeros(100))


def test_progress_over_yields_every_item_in_order():
    assert list(training.progress_over(range(5), desc="test")) == [0, 1, 2, 3, 4]


def test_the_range_test_records_each_batch_loss_not_a_running_mean(keras, rng):
    # At rates this small the weights barely move, so each recorded loss is its batch's loss at the start.
    x, y = rng.normal(size=(80, 6)).astype("float32"), rng.integers(0, 3, 80)
    model = keras.Sequential([keras.Input((6,)), keras.layers.Dense(3, activation="softmax")])
    model.compile(optimizer=keras.optimizers.SGD(), loss="sparse_categorical_crossentropy")
    start_loss = keras.losses.SparseCategoricalCrossentropy(reduction=None)
    per_image = np.asarray(start_loss(y, model.predict(x, verbose=0)))
    test = training.lr_range_test(model, x, y, start=1e-9, stop=2e-9, steps=10, batch_size=8, seed=3)
    order = np.random.default_rng(3).permutation(80)
    expected = [per_image[order[8 * k:8 * k + 8]].mean() for k in range(10)]
    assert np.allclose(test["losses"], expected, rtol=1e-4)


def test_fresh_starts_train_to_the_same_numbers_as_newly_built_models(keras, fashion):
    """A reused model (one traced step) must give each seed exactly what a newly built, newly compiled one gives:
    weights, batch norm's statistics, dropout's random state, the optimizer's moments and its schedule's step."""
    x, y = training_slice(fashion)
    build = lambda: models.course_cnn(dropout=0.3)  # noqa: E731  (batch norm and dropout both)

    def compile_model(model):
        training.compile_course_recipe(model, n_images=len(x), epochs=2, batch_size=64)

    def newly_built(seed):
        keras.utils.set_random_seed(seed)
        model = build()
        compile_model(model)
        return model.fit(x, y, epochs=2, batch_size=64, verbose=0).history["loss"]

    starts = training.FreshStarts(build, compile_model)
    starts.fresh(7).fit(x, y, epochs=1, batch_size=64, verbose=0)  # a run before: its state must not leak
    traced = starts.model.train_function
    for seed in (0, 1):
        reused = starts.fresh(seed).fit(x, y, epochs=2, batch_size=64, verbose=0).history["loss"]
        assert reused == newly_built(seed)
    assert starts.model.train_function is traced  # the step was traced once


def test_fresh_starts_refuses_what_it_cannot_reset(keras):
    with pytest.raises(TypeError, match="build and compile_model must be functions"):
        training.FreshStarts(models.course_cnn(), lambda model: None)
    with pytest.raises(ValueError, match="left the model uncompiled"):
        training.FreshStarts(models.course_cnn, lambda model: None)
    starts = training.FreshStarts(models.course_cnn, lambda model: model.compile(optimizer="adam", loss="mse"))
    with pytest.raises(ValueError, match="seed must be a whole number"):
        starts.fresh(-1)


def _count_traces(model) -> list:
    """Make ``model`` count how often its training step is traced (fit's first call runs it in Python)."""
    traces, step = [], model.train_step
    model.train_step = lambda data: (traces.append(1), step(data))[1]
    return traces


@pytest.mark.parametrize("labels", ["sparse", "one-hot"])
def test_build_for_fit_makes_fit_trace_its_step_once_with_the_same_numbers(keras, fashion, labels):
    """Keras creates the optimizer's and metrics' variables inside the first trace, and TensorFlow traces again;
    built before, the step is traced once, and training gives exactly what it gave without (both label forms:
    "accuracy" becomes another metric for one-hot labels)."""
    x, y = training_slice(fashion, n=256)
    loss = "sparse_categorical_crossentropy"
    if labels == "one-hot":
        y, loss = keras.utils.to_categorical(y, 10), "categorical_crossentropy"

    def trained(build_first):
        keras.utils.set_random_seed(3)
        model = models.small_cnn(batch_norm=True, dropout=0.3)
        model.compile(optimizer=keras.optimizers.Adam(2e-3), loss=loss, metrics=["accuracy"])
        if build_first:
            assert training.build_for_fit(model, x, y) is model
        traces = _count_traces(model)
        history = model.fit(x, y, validation_data=(x[:64], y[:64]), epochs=2, batch_size=64, verbose=0).history
        return len(traces), history

    traces_after_build, history_after_build = trained(True)
    traces_without, history_without = trained(False)
    assert (traces_after_build, traces_without) == (1, 2)
    assert history_after_build == history_without


def test_build_for_fit_refuses_an_uncompiled_model_or_no_examples(keras, fashion):
    x, y = training_slice(fashion, n=8)
    with pytest.raises(ValueError, match="model is not compiled; call model.compile"):
        training.build_for_fit(models.small_cnn(), x, y)
    model = models.small_cnn()
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    with pytest.raises(ValueError, match="same number \\(at least one\\) of examples, got 0 and 0"):
        training.build_for_fit(model, x[:0], y[:0])
    with pytest.raises(ValueError, match="got 8 and 7"):
        training.build_for_fit(model, x, y[:7])
    with pytest.raises(TypeError, match="example must be a pair \\(x, y\\) of training data, got list"):
        training.FreshStarts(models.small_cnn, lambda m: m.compile(optimizer="adam", loss="mse"), example=[x, y])


def test_fresh_starts_with_an_example_trace_once_and_train_as_before(keras, fashion):
    x, y = training_slice(fashion, n=256)

    def compile_model(model):
        model.compile(optimizer=keras.optimizers.Adam(2e-3), loss="sparse_categorical_crossentropy",
                      metrics=["accuracy"])

    plain = training.FreshStarts(models.small_cnn, compile_model)
    built = training.FreshStarts(models.small_cnn, compile_model, example=(x, y))
    traces = _count_traces(built.model)
    for seed in (0, 1):
        assert (built.fresh(seed).fit(x, y, epochs=1, batch_size=64, verbose=0).history
                == plain.fresh(seed).fit(x, y, epochs=1, batch_size=64, verbose=0).history)
    assert len(traces) == 1


def training_slice(fashion, n=512):
    return fashion.x_train[:n][..., None], fashion.y_train[:n]
