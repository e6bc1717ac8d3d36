import numpy as np
import pytest

from course_utils import models, reference


@pytest.mark.parametrize("shape,hidden,expected", [((28, 28), [512, 512], 669_706), ((32, 32, 3), [200, 150], 646_260)])
def test_formula_equals_keras_count_for_both_apis(keras, shape, hidden, expected):
    sequential = models.build_mlp(shape, hidden, 10, api="sequential")
    functional = models.build_mlp(shape, hidden, 10, api="functional")
    formula = reference.mlp_params([int(np.prod(shape)), *hidden, 10])
    assert sequential.count_params() == functional.count_params() == formula == expected
    assert [row[2] for row in models.layer_table(sequential) if row[2]] == [
        reference.dense_params(a, b) for a, b in zip([int(np.prod(shape)), *hidden], [*hidden, 10])
    ]


def test_both_apis_compute_the_same_function(keras):
    sequential = models.build_mlp((4, 4), [8], 3, api="sequential")
    functional = models.build_mlp((4, 4), [8], 3, api="functional")
    functional.set_weights(sequential.get_weights())
    x = np.random.default_rng(0).random((5, 4, 4)).astype("float32")
    out = sequential.predict(x, verbose=0)
    assert np.allclose(out, functional.predict(x, verbose=0), atol=1e-6)
    assert np.allclose(out.sum(axis=1), 1, atol=1e-5)  # softmax output


def test_bad_arguments(keras):
    with pytest.raises(ValueError, match="api must be one of"):
        models.build_mlp((28, 28), [10], 10, api="subclass")
    with pytest.raises(ValueError, match="n_classes must be a whole number >= 2"):
        models.build_mlp((28, 28), [10], 1)


def test_mlp_learns_xor_where_a_perceptron_cannot(keras):
    from course_utils.data import logic_gate

    x, y = logic_gate("XOR")
    model = keras.Sequential([keras.Input(shape=(2,)), keras.layers.Dense(4, activation="tanh"),
                              keras.layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.05), loss="binary_crossentropy")
    model.fit(x, y, epochs=300, verbose=0)
    assert ((model.predict(x, verbose=0).ravel() >= 0.5) == y).all()


@pytest.mark.parametrize("batch_norm,dropout", [(False, 0.0), (True, 0.0), (False, 0.5), (True, 0.5)])
def test_small_cnn_variants(keras, batch_norm, dropout):
    model = models.small_cnn(batch_norm=batch_norm, dropout=dropout)
    kinds = [type(layer).__name__ for layer in model.layers]
    assert ("BatchNormalization" in kinds) == batch_norm
    assert ("Dropout" in kinds) == (dropout > 0)
    trainable = sum(int(np.prod(w.shape)) for w in model.trainable_weights)
    non_trainable = model.count_params() - trainable
    assert non_trainable == (2 * (16 + 32 + 64) if batch_norm else 0)  # moving mean and variance per channel
    assert model.output_shape == (None, 10)
    with pytest.raises(ValueError, match=r"dropout must be a number in \[0, 1\)"):
        models.small_cnn(dropout=1.0)


def test_small_cnn_global_average_pooling_head(keras):
    flatten, gap = models.small_cnn(), models.small_cnn(head="gap")
    convs = (3 * 3 * 1 + 1) * 16 + (3 * 3 * 16 + 1) * 32
    assert gap.count_params() == convs + (32 + 1) * 10
    assert flatten.count_params() == convs + (7 * 7 * 32 + 1) * 64 + (64 + 1) * 10
    assert gap.output_shape == (None, 10)
    with pytest.raises(ValueError, match="head must be one of 'flatten', 'gap'"):
        models.small_cnn(head="dense")


def test_small_cnn_learns_fashion_mnist_quickly(keras, fashion):

    x = fashion.x_train[:3000][..., None]
    model = models.small_cnn(batch_norm=False, dropout=0.0)
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    model.fit(x, fashion.y_train[:3000], epochs=2, batch_size=64, verbose=0)
    _, accuracy = model.evaluate(fashion.x_test[:1000][..., None], fashion.y_test[:1000], verbose=0)
    assert accuracy > 0.7  # a broken model stays near 10%


def test_multiply_adds_counts_the_seed_cnn_by_hand(keras):
    by_hand = 28 * 28 * 32 * 9 + 14 * 14 * 64 * 32 * 9 + 7 * 7 * 64 * 64 + 64 * 10  # conv1, conv2, dense, output
    assert models.multiply_adds(models.seed_cnn()) == by_hand == 4_039_808
    # half the channels in both convolutions: about a quarter of the arithmetic
    course = 28 * 28 * 16 * 9 + 14 * 14 * 32 * 16 * 9 + 7 * 7 * 32 * 64 + 64 * 10
    assert models.multiply_adds(models.course_cnn()) == course == 1_117_056
    assert models.multiply_adds(models.accurate_cnn()) == by_hand
    flipping = models.accurate_cnn(augmentation="flip")  # the race's flips recipe: the same arithmetic
    assert models.multiply_adds(flipping) == by_hand
    assert any(isinstance(layer, keras.layers.RandomFlip) for layer in flipping.layers)
    assert not any(isinstance(layer, keras.layers.RandomFlip) for layer in models.accurate_cnn().layers)


def test_multiply_adds_reads_strides_groups_and_dense_layers_on_sequences(keras):
    layers = keras.layers
    model = keras.Sequential([keras.Input((8, 8, 4)), layers.Conv2D(6, 3, strides=2, padding="same", groups=2),
                              layers.Reshape((16, 6)), layers.Dense(5)])
    assert models.multiply_adds(model) == 4 * 4 * 6 * 3 * 3 * 2 + 16 * 6 * 5
    assert models.multiply_adds(model) == reference.conv2d_macs(4, 4, 3, 2, 6) + 16 * 6 * 5


def test_multiply_adds_refuses_what_is_not_a_built_model(keras):
    with pytest.raises(TypeError, match="multiply_adds: model must be a Keras model, got list"):
        models.multiply_adds([1, 2])
    unbuilt = keras.Sequential([keras.layers.Dense(3)])
    with pytest.raises(ValueError, match="multiply_adds: model must be built"):
        models.multiply_adds(unbuilt)


@pytest.mark.parametrize("build", ["small_cnn", "course_cnn", "seed_cnn", "round_model", "localization_model",
                                   "build_mlp"])
def test_course_models_take_stored_pixels_and_scale_them_first(keras, build):
    """A course CNN fed uint8 pixels 0..255 computes what the same weights without the scaling layer compute on
    images divided by 255 (normalize's values), so images can stay one byte a pixel in memory."""
    from course_utils import data, transfer, tuning

    builders = {"small_cnn": lambda **kw: models.small_cnn(**kw), "course_cnn": lambda **kw: models.course_cnn(**kw),
                "seed_cnn": lambda **kw: models.seed_cnn(**kw),
                "round_model": lambda **kw: tuning.round_model("narrower (16/32)", **kw),
                "localization_model": lambda **kw: transfer.localization_model(size=28, **kw),
                "build_mlp": lambda **kw: models.build_mlp((28, 28, 1), [16], 10,
                                                           pixel_scale=kw.get("pixel_scale", models.PIXEL_SCALE))}
    scaled, plain = builders[build](), builders[build](pixel_scale=None)
    first = next(layer for layer in scaled.layers if type(layer).__name__ != "InputLayer")
    assert type(first).__name__ == "Rescaling" and scaled.count_params() == plain.count_params()
    assert all(type(layer).__name__ != "Rescaling" for layer in plain.layers)
    plain.set_weights(scaled.get_weights())
    pixels = np.random.default_rng(0).integers(0, 256, (4, 28, 28, 1), dtype=np.uint8)
    out_scaled, out_plain = scaled(pixels, training=False), plain(data.normalize(pixels), training=False)
    for a, b in zip(keras.tree.flatten(out_scaled), keras.tree.flatten(out_plain)):
        np.testing.assert_allclose(np.asarray(a), np.asarray(b), rtol=1e-4, atol=1e-5)
    with pytest.raises(ValueError, match="pixel_scale must be a number > 0"):
        builders[build](pixel_scale=0)


def test_without_weights_counts_like_a_real_build_and_holds_no_weights(keras):
    from keras import layers

    from course_utils.models import course_cnn

    def resident_mib():
        with open("/proc/self/status") as status:
            return next(int(line.split()[1]) for line in status if line.startswith("VmRSS")) / 1024

    with models.without_weights():
        counted = course_cnn()
    real = course_cnn()
    assert counted.count_params() == real.count_params() and counted.output_shape == real.output_shape
    before = resident_mib()
    with models.without_weights():  # 400 million weights: 1.5 GiB as float32 values
        huge = keras.Sequential([keras.Input((20_000,)), layers.Dense(20_000)])
    assert huge.count_params() == 20_000 * 20_001 and resident_mib() - before < 100
