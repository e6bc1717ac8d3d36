"""Convolution, pooling and receptive fields by hand (notebook 07)."""

from __future__ import annotations

import numpy as np

from .. import validate
from ..language import N_  # the names are the widgets' labels too


def conv_output_size(n: int, kernel: int, stride: int = 1, padding: str | int = "valid") -> int:
    """Output length along one axis. ``padding``: "valid" (none), "same" (Keras's rule:
    ceil(n / stride)) or a number of zeros added on *each* side: floor((n + 2p - k) / s) + 1."""
    n, kernel, stride = (validate.whole("conv_output_size", name, value, low=1)
                         for name, value in (("n", n), ("kernel", kernel), ("stride", stride)))
    if padding == "same":
        return -(-int(n) // int(stride))
    pad = 0 if padding == "valid" else padding
    if not isinstance(pad, int | np.integer) or isinstance(pad, bool) or pad < 0:
        raise ValueError(f"conv_output_size: padding must be 'valid', 'same' or a whole number >= 0, got {padding!r}.")
    if n + 2 * pad < kernel:
        raise ValueError(f"conv_output_size: a {kernel}-wide kernel does not fit in {n} + 2*{pad} inputs.")
    return (int(n) + 2 * int(pad) - int(kernel)) // int(stride) + 1


def same_padding(n: int, kernel: int, stride: int) -> tuple[int, int]:
    """Zeros Keras/TensorFlow add before and after an axis for padding="same" (the extra one goes after)."""
    out = conv_output_size(n, kernel, stride, "same")
    total = max((out - 1) * stride + kernel - n, 0)
    return total // 2, total - total // 2


def conv2d(image, kernels, bias=None, stride: int = 1, padding: str | int = "valid"):
    """2-D convolution as deep-learning frameworks compute it (cross-correlation: the kernel is not flipped).

    ``image``: (H, W) or (H, W, C_in). ``kernels``: (kh, kw), (kh, kw, C_in) or (kh, kw, C_in, C_out).
    Returns (H_out, W_out) for a single 2-D kernel, else (H_out, W_out, C_out).
    """
    x = validate.array("conv2d", "image", image, ndim=(2, 3))
    k = validate.array("conv2d", "kernels", kernels, ndim=(2, 3, 4))
    single = x.ndim == 2 and k.ndim == 2
    if x.ndim == 2:
        x = x[..., None]
    if k.ndim == 2:
        k = k[..., None]
    if k.ndim == 3:
        k = k[..., None]
    if x.ndim != 3 or k.ndim != 4:
        raise ValueError(
            f"conv2d: image must be (H, W[, C]) and kernels (kh, kw[, C_in[, C_out]]); got {x.shape}, {k.shape}."
        )
    if k.shape[2] != x.shape[2]:
        raise ValueError(f"conv2d: the image has {x.shape[2]} channels but the kernels expect {k.shape[2]}.")
    kh, kw, _, c_out = k.shape
    stride = validate.whole("conv2d", "stride", stride, low=1)
    if padding == "same":
        (top, bottom), (left, right) = same_padding(x.shape[0], kh, stride), same_padding(x.shape[1], kw, stride)
    elif padding == "valid":
        top = bottom = left = right = 0
    elif isinstance(padding, int | np.integer) and not isinstance(padding, bool) and padding >= 0:
        top = bottom = left = right = int(padding)
    else:
        raise ValueError(f"conv2d: padding must be 'valid', 'same' or a whole number >= 0, got {padding!r}.")
    x = np.pad(x, ((top, bottom), (left, right), (0, 0)))
    if x.shape[0] < kh or x.shape[1] < kw:
        raise ValueError(f"conv2d: a {kh}x{kw} kernel does not fit in the padded {x.shape[0]}x{x.shape[1]} image.")
    out_h = (x.shape[0] - kh) // stride + 1
    out_w = (x.shape[1] - kw) // stride + 1
    # Every kh x kw window (a strided view, no copying), then one tensor contraction.
    windows = np.lib.stride_tricks.sliding_window_view(x, (kh, kw), axis=(0, 1))[::stride, ::stride]
    out = np.einsum("hwcij,ijco->hwo", windows[:out_h, :out_w], k)
    if bias is not None:
        out = out + validate.array("conv2d", "bias", bias, shape=(c_out,))
    return out[..., 0] if single else out


def conv2d_params(kernel_h: int, kernel_w: int, channels_in: int, filters: int) -> int:
    """(kh * kw * C_in + 1) * C_out: one kh x kw x C_in kernel plus one bias per filter."""
    kernel_h, kernel_w, channels_in, filters = (
        validate.whole("conv2d_params", name, value, low=1)
        for name, value in (("kernel_h", kernel_h), ("kernel_w", kernel_w), ("channels_in", channels_in),
                            ("filters", filters)))
    return (kernel_h * kernel_w * channels_in + 1) * filters


def pool2d(image, size: int = 2, stride: int | None = None, mode: str = "max"):
    """Max or average pooling over size x size windows (no padding), per channel."""
    mode = validate.choice("pool2d", "mode", mode, ("max", "average"))
    size = validate.whole("pool2d", "size", size, low=1)
    stride = size if stride is None else validate.whole("pool2d", "stride", stride, low=1)
    x = validate.array("pool2d", "image", image, ndim=(2, 3))
    if x.shape[0] < size or x.shape[1] < size:
        raise ValueError(f"pool2d: a {size}x{size} window does not fit in the {x.shape[0]}x{x.shape[1]} image.")
    squeeze = x.ndim == 2
    if squeeze:
        x = x[..., None]
    windows = np.lib.stride_tricks.sliding_window_view(x, (size, size), axis=(0, 1))[::stride, ::stride]
    out = windows.max(axis=(-2, -1)) if mode == "max" else windows.mean(axis=(-2, -1))
    return out[..., 0] if squeeze else out


def global_average_pool(feature_maps):
    """(H, W, C) -> (C,): the mean of each feature map."""
    return validate.array("global_average_pool", "feature_maps", feature_maps, ndim=3).mean(axis=(0, 1))


def receptive_field(layers_spec) -> list[int]:
    """Receptive field (in input pixels) after each layer of ``[(kernel, stride), ...]``."""
    field, jump, fields = 1, 1, []
    try:
        pairs = [tuple(pair) for pair in layers_spec]
    except TypeError:
        raise TypeError(f"receptive_field: layers_spec must be a list of (kernel, stride) pairs, "
                        f"got {layers_spec!r}.") from None
    if any(len(pair) != 2 for pair in pairs):
        raise ValueError(f"receptive_field: each layer must be a (kernel, stride) pair, got {layers_spec!r}.")
    for kernel, stride in pairs:
        kernel = validate.whole("receptive_field", "kernel", kernel, low=1)
        stride = validate.whole("receptive_field", "stride", stride, low=1)
        field += (kernel - 1) * jump
        jump *= stride
        fields.append(field)
    return fields


KERNEL_PRESETS = {
    N_("identity"): [[0, 0, 0], [0, 1, 0], [0, 0, 0]],
    N_("vertical edges (Sobel x)"): [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]],
    N_("horizontal edges (Sobel y)"): [[-1, -2, -1], [0, 0, 0], [1, 2, 1]],
    N_("vertical line"): [[0, 1, 0], [0, 1, 0], [0, 1, 0]],
    N_("horizontal line"): [[0, 0, 0], [1, 1, 1], [0, 0, 0]],
    N_("blur (box)"): [[1 / 9] * 3] * 3,
    N_("sharpen"): [[0, -1, 0], [-1, 5, -1], [0, -1, 0]],
    N_("outline (Laplacian)"): [[-1, -1, -1], [-1, 8, -1], [-1, -1, -1]],
}
POOLING_CHOICES = (N_("none"), N_("max 2x2"), N_("average 2x2"))


def feature_map(gray_image, kernel, stride: int = 1, padding: str = "valid", pooling: str = "none"):
    """Convolve a grayscale image with one 2-D kernel, then optionally pool 2x2: the kernel widget's pipeline."""
    pooling = validate.choice("feature_map", "pooling", pooling, POOLING_CHOICES)
    validate.array("feature_map", "gray_image", gray_image, ndim=2)
    kernel = validate.array("feature_map", "kernel", kernel, ndim=2)
    out = conv2d(gray_image, kernel, stride=stride, padding=padding)
    if pooling != "none":
        out = pool2d(out, 2, mode="max" if pooling.startswith("max") else "average")
    return out
