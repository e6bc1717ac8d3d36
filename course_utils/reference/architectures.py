"""Parameter and cost counts of the classic CNN architectures (notebook 11)."""

from __future__ import annotations

import numpy as np

from .. import validate
from .convolution import conv2d_params


def conv2d_macs(out_h: int, out_w: int, kernel: int, channels_in: int, filters: int) -> int:
    """Multiply-adds of a regular convolution: every output value sums kernel * kernel * channels_in products."""
    values = [validate.whole("conv2d_macs", name, v, low=1) for name, v in
              (("out_h", out_h), ("out_w", out_w), ("kernel", kernel), ("channels_in", channels_in),
               ("filters", filters))]
    out_h, out_w, kernel, channels_in, filters = values
    return out_h * out_w * kernel * kernel * channels_in * filters


def separable_conv2d_params(kernel: int, channels_in: int, filters: int, bias: bool = True) -> int:
    """Depthwise (one kernel x kernel filter per input channel) then pointwise (1x1, channels_in -> filters)."""
    kernel = validate.whole("separable_conv2d_params", "kernel", kernel, low=1)
    channels_in = validate.whole("separable_conv2d_params", "channels_in", channels_in, low=1)
    filters = validate.whole("separable_conv2d_params", "filters", filters, low=1)
    return kernel * kernel * channels_in + channels_in * filters + (filters if bias else 0)


def separable_conv2d_macs(out_h: int, out_w: int, kernel: int, channels_in: int, filters: int) -> int:
    """Multiply-adds of a depthwise-separable convolution (stride 1): depthwise plus pointwise."""
    per_position = (validate.whole("separable_conv2d_macs", "kernel", kernel, low=1) ** 2 * channels_in
                    + channels_in * filters)
    return validate.whole("separable_conv2d_macs", "out_h", out_h, low=1) * \
        validate.whole("separable_conv2d_macs", "out_w", out_w, low=1) * per_position


def se_block_params(channels: int, ratio: int = 16) -> int:
    """Squeeze-and-excitation: GAP, Dense(channels / ratio, relu), Dense(channels, sigmoid), both with biases."""
    channels = validate.whole("se_block_params", "channels", channels, low=1)
    ratio = validate.whole("se_block_params", "ratio", ratio, low=1, high=channels)
    squeezed = channels // ratio
    return channels * squeezed + squeezed + squeezed * channels + channels


def local_response_norm(x, depth_radius: int = 2, bias: float = 1.0, alpha: float = 1e-4, beta: float = 0.75):
    """AlexNet's local response normalization across channels (the last axis), as tf.nn defines it:
    x / (bias + alpha * sum of x**2 over channels c - r .. c + r) ** beta."""
    x = validate.array("local_response_norm", "x", x, min_size=1)
    depth_radius = validate.whole("local_response_norm", "depth_radius", depth_radius, low=0)
    squares = x ** 2
    channels = x.shape[-1]
    summed = np.zeros_like(x)
    for c in range(channels):
        low, high = max(0, c - depth_radius), min(channels, c + depth_radius + 1)
        summed[..., c] = squares[..., low:high].sum(axis=-1)
    return x / (bias + alpha * summed) ** beta


def caffe_lrn(x, local_size: int = 5, alpha: float = 1e-4, beta: float = 0.75, k: float = 1.0):
    """Local response normalization as Caffe computes it (the reference AlexNet's framework):
    x / (k + alpha / local_size * sum of x**2 over the local_size channels centred on c) ** beta.

    Caffe divides ``alpha`` by the window size; the AlexNet paper and ``tf.nn.local_response_normalization``
    do not, so Caffe's alpha = 1e-4 over 5 channels is TensorFlow's alpha = 2e-5 with depth_radius = 2.
    """
    local_size = validate.whole("caffe_lrn", "local_size", local_size, low=1)
    if local_size % 2 == 0:
        raise ValueError(f"caffe_lrn: local_size must be odd (a window centred on each channel), got {local_size}.")
    x = validate.array("caffe_lrn", "x", x, min_size=1)
    half = local_size // 2
    padded = np.pad(x ** 2, [(0, 0)] * (x.ndim - 1) + [(half, half)])  # channels beyond the edges count as 0
    summed = sum(padded[..., i:i + x.shape[-1]] for i in range(local_size))
    return x / (k + alpha / local_size * summed) ** beta


def inception_params(channels_in: int, c1: int, c3_reduce: int, c3: int, c5_reduce: int, c5: int,
                     pool_proj: int) -> int:
    """Parameters of a GoogLeNet inception module (all convolutions with biases): a 1x1 branch, 1x1 -> 3x3,
    1x1 -> 5x5, and 3x3 max pool -> 1x1. Its output has c1 + c3 + c5 + pool_proj channels."""
    widths = [validate.whole("inception_params", name, value, low=1) for name, value in
              (("channels_in", channels_in), ("c1", c1), ("c3_reduce", c3_reduce), ("c3", c3),
               ("c5_reduce", c5_reduce), ("c5", c5), ("pool_proj", pool_proj))]
    channels_in, c1, c3_reduce, c3, c5_reduce, c5, pool_proj = widths
    return (conv2d_params(1, 1, channels_in, c1) + conv2d_params(1, 1, channels_in, c3_reduce)
            + conv2d_params(3, 3, c3_reduce, c3) + conv2d_params(1, 1, channels_in, c5_reduce)
            + conv2d_params(5, 5, c5_reduce, c5) + conv2d_params(1, 1, channels_in, pool_proj))


def resnet_bottleneck_params(channels_in: int, filters: int, projection: bool, bias: bool = True) -> int:
    """Parameters of a bottleneck residual unit (ResNet-50/101/152): 1x1 conv to ``filters``, 3x3 conv,
    1x1 conv back up to 4 * ``filters``, each followed by batch norm (4 numbers per channel: gamma, beta,
    moving mean, moving variance); a ``projection`` shortcut adds a 1x1 conv to 4 * ``filters`` and its
    batch norm. ``bias=True`` counts a bias per conv filter, as ``keras.applications.ResNet152`` has."""
    channels_in = validate.whole("resnet_bottleneck_params", "channels_in", channels_in, low=1)
    filters = validate.whole("resnet_bottleneck_params", "filters", filters, low=1)
    out = 4 * filters
    b = 1 if bias else 0
    count = (channels_in + b) * filters + (9 * filters + b) * filters + (filters + b) * out
    count += 4 * (filters + filters + out)
    if projection:
        count += (channels_in + b) * out + 4 * out
    return count
