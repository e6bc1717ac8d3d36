"""Convolution, pooling, batch normalization and dropout by hand, against TensorFlow/Keras."""

import numpy as np
import pytest

from course_utils import reference as ref


@pytest.fixture(scope="module")
def tf(keras):
    import tensorflow as tf

    return tf


SEED_IMAGE = np.array([[1, 2, 3, 4, 5], [2, 1, 0, 1, 2], [3, 0, 1, 1, 0], [1, 4, 1, 1, 2], [2, 1, 1, 0, 0]])
SEED_KERNEL = np.array([[1, 0, 1], [1, 0, 1], [0, 1, 0]])


def test_seed_5x5_example():
    feature_map = ref.conv2d(SEED_IMAGE, SEED_KERNEL)
    assert feature_map.shape == (3, 3)
    assert feature_map[0].tolist() == [6, 9, 11]  # the seed's three worked steps
    assert ref.conv2d(SEED_IMAGE, SEED_KERNEL, stride=2).shape == (2, 2)


@pytest.mark.parametrize("stride", [1, 2])
@pytest.mark.parametrize("padding", ["valid", "same"])
@pytest.mark.parametrize("size", [7, 8])
def test_conv2d_equals_tf_nn_conv2d(stride, padding, size, tf, rng):
    image = rng.normal(size=(size, size + 1, 3))
    kernels = rng.normal(size=(3, 3, 3, 4))
    ours = ref.conv2d(image, kernels, stride=stride, padding=padding)
    theirs = tf.nn.conv2d(image[None], kernels, strides=stride, padding=padding.upper()).numpy()[0]
    assert ours.shape == theirs.shape
    assert np.allclose(ours, theirs, atol=1e-10)
    assert ours.shape[:2] == (ref.conv_output_size(size, 3, stride, padding),
                              ref.conv_output_size(size + 1, 3, stride, padding))


def test_conv2d_equals_a_keras_layer_with_the_same_weights(keras, rng):
    layer = keras.layers.Conv2D(5, 3, strides=2, padding="same", dtype="float64")
    image = rng.normal(size=(9, 9, 2))
    out = layer(image[None]).numpy()[0]
    kernel, bias = layer.get_weights()
    assert np.allclose(ref.conv2d(image, kernel, bias, stride=2, padding="same"), out, atol=1e-10)


@pytest.mark.parametrize("spec,expected", [((5, 5, 3, 10), 760), ((3, 3, 16, 32), 4640), ((3, 3, 1, 32), 320),
                                           ((3, 3, 32, 64), 18496), ((2, 2, 1, 16), 80)])
def test_conv_parameter_formula_matches_keras(spec, expected, keras):
    kh, kw, c_in, c_out = spec
    layer = keras.layers.Conv2D(c_out, (kh, kw))
    layer.build((None, 28, 28, c_in))
    assert ref.conv2d_params(kh, kw, c_in, c_out) == layer.count_params() == expected


def test_same_padding_puts_the_extra_zero_after():
    assert ref.same_padding(8, 3, 2) == (0, 1)
    assert ref.same_padding(7, 3, 1) == (1, 1)
    with pytest.raises(ValueError, match="does not fit"):
        ref.conv_output_size(2, 3)


def test_pooling_matches_keras(keras, rng):
    x = rng.normal(size=(6, 6, 3))
    assert np.allclose(ref.pool2d(x, 2, mode="max"), keras.layers.MaxPooling2D(2)(x[None]).numpy()[0])
    assert np.allclose(ref.pool2d(x, 2, mode="average"), keras.layers.AveragePooling2D(2)(x[None]).numpy()[0])
    assert np.allclose(ref.global_average_pool(x), keras.layers.GlobalAveragePooling2D()(x[None]).numpy()[0])
    four = np.array([[1, 3, 2, 1], [4, 6, 5, 0], [7, 2, 9, 8], [1, 0, 3, 4]])
    assert ref.pool2d(four, 2).tolist() == [[6, 5], [7, 9]]


def test_receptive_field_grows():
    assert ref.receptive_field([(3, 1), (3, 1), (3, 1)]) == [3, 5, 7]
    assert ref.receptive_field([(3, 1), (2, 2), (3, 1)]) == [3, 4, 8]


def test_batch_norm_matches_keras_in_both_modes(keras, rng):
    x = rng.normal(3, 2, size=(32, 4, 4, 5))
    layer = keras.layers.BatchNormalization(dtype="float64")
    layer.build(x.shape)
    gamma, beta = rng.normal(size=5), rng.normal(size=5)
    layer.gamma.assign(gamma)
    layer.beta.assign(beta)
    out, new_mean, new_var = ref.batch_norm_train(x, gamma, beta, np.zeros(5), np.ones(5))
    assert np.allclose(layer(x, training=True).numpy(), out, atol=1e-8)
    assert np.allclose(layer.moving_mean.numpy(), new_mean) and np.allclose(layer.moving_variance.numpy(), new_var)
    assert np.allclose(layer(x, training=False).numpy(),
                       ref.batch_norm_inference(x, gamma, beta, new_mean, new_var), atol=1e-8)
    assert layer.count_params() == 4 * 5 and len(layer.non_trainable_weights) == 2


def test_dropout_like_keras(keras, rng):
    x = np.ones((200, 50))
    ours = ref.dropout(x, 0.3, rng)
    theirs = keras.layers.Dropout(0.3)(x, training=True).numpy()
    for out in (ours, theirs):
        kept = out[out != 0]
        assert np.allclose(kept, 1 / 0.7)  # inverted scaling
        assert abs((out == 0).mean() - 0.3) < 0.02
    assert np.array_equal(ref.dropout(x, 0.3, rng, training=False), x)
    assert np.array_equal(keras.layers.Dropout(0.3)(x, training=False).numpy(), x)
    assert not np.array_equal(ref.dropout(x, 0.3, rng), ref.dropout(x, 0.3, rng))  # a new mask every call
    with pytest.raises(ValueError, match=r"rate must be a number in \[0, 1\)"):
        ref.dropout(x, 1.0, rng)
