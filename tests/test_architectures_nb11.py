"""Notebook 11's architecture formulas (LRN conventions, inception modules, bottleneck units) against Keras/TF."""

import numpy as np
import pytest

from course_utils import reference as ref


def test_caffe_lrn_is_tf_lrn_with_alpha_divided_by_the_window(keras, rng):
    import tensorflow as tf

    x = (rng.random((2, 3, 3, 12)) * 5).astype("float32")
    caffe = ref.caffe_lrn(x, local_size=5, alpha=1e-4, beta=0.75, k=1.0)
    seeds = tf.nn.local_response_normalization(x, depth_radius=2, bias=1.0, alpha=0.00002, beta=0.75).numpy()
    assert np.allclose(caffe, seeds, atol=1e-6)
    assert np.allclose(caffe, ref.local_response_norm(x, depth_radius=2, bias=1.0, alpha=1e-4 / 5, beta=0.75))
    paper = ref.local_response_norm(x, depth_radius=2, bias=2.0, alpha=1e-4, beta=0.75)
    assert not np.allclose(caffe, paper)  # k = 1 (Caffe, the seeds) is not the paper's k = 2
    with pytest.raises(ValueError, match="odd"):
        ref.caffe_lrn(x, local_size=4)


def _inception(layers, x, c1, c3_reduce, c3, c5_reduce, c5, pool_proj):
    branch1 = layers.Conv2D(c1, 1, padding="same")(x)
    branch3 = layers.Conv2D(c3, 3, padding="same")(layers.Conv2D(c3_reduce, 1)(x))
    branch5 = layers.Conv2D(c5, 5, padding="same")(layers.Conv2D(c5_reduce, 1)(x))
    branch_pool = layers.Conv2D(pool_proj, 1)(layers.MaxPooling2D(3, strides=1, padding="same")(x))
    return layers.Concatenate()([branch1, branch3, branch5, branch_pool])


@pytest.mark.parametrize("channels_in,widths", [(192, (64, 96, 128, 16, 32, 32)), (832, (384, 192, 384, 48, 128, 128))])
def test_inception_params_match_a_keras_module(channels_in, widths, keras):
    inputs = keras.Input((7, 7, channels_in))
    module = keras.Model(inputs, _inception(keras.layers, inputs, *widths))
    assert ref.inception_params(channels_in, *widths) == module.count_params()
    assert module.output.shape[-1] == widths[0] + widths[2] + widths[4] + widths[5]
    assert ref.inception_params(192, 64, 96, 128, 16, 32, 32) == 163_696  # GoogLeNet's module 3a


def _bottleneck(layers, x, filters, strides, projection):
    shortcut = x
    if projection:
        shortcut = layers.BatchNormalization()(layers.Conv2D(4 * filters, 1, strides=strides)(x))
    y = layers.ReLU()(layers.BatchNormalization()(layers.Conv2D(filters, 1, strides=strides)(x)))
    y = layers.ReLU()(layers.BatchNormalization()(layers.Conv2D(filters, 3, padding="same")(y)))
    y = layers.BatchNormalization()(layers.Conv2D(4 * filters, 1)(y))
    return layers.ReLU()(layers.Add()([y, shortcut]))


@pytest.mark.parametrize("channels_in,filters,strides,projection", [(64, 64, 1, True), (256, 64, 1, False),
                                                                     (256, 128, 2, True), (512, 128, 1, False)])
def test_bottleneck_params_match_a_keras_unit(channels_in, filters, strides, projection, keras):
    inputs = keras.Input((8, 8, channels_in))
    unit = keras.Model(inputs, _bottleneck(keras.layers, inputs, filters, strides, projection))
    assert ref.resnet_bottleneck_params(channels_in, filters, projection) == unit.count_params()


def test_resnet50_from_bottleneck_units_matches_keras_applications(keras):
    stages = [(3, 64), (4, 128), (6, 256), (3, 512)]
    previous, total = 64, ref.conv2d_params(7, 7, 3, 64) + 4 * 64
    for units, filters in stages:
        for unit in range(units):
            total += ref.resnet_bottleneck_params(previous, filters, projection=unit == 0)
            previous = 4 * filters
    total += ref.dense_params(2048, 1000)
    assert total == keras.applications.ResNet50(weights=None).count_params() == 25_636_712
