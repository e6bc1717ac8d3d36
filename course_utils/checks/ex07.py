"""Exercises of notebook 07: output size, Conv2D parameters, a horizontal-edge kernel."""

import numpy as np

from .. import reference
from ..language import N_, tr
from .core import Exercise, Incorrect, array, whole_number

#: A 6x6 image, dark (0) in the top three rows and bright (1) below: one horizontal edge.
_DARK_ABOVE = np.repeat([[0.0], [0.0], [0.0], [1.0], [1.0], [1.0]], 6, axis=1)


def _check_output_size(value) -> str:
    value = whole_number(value, tr("the output height"))
    if value == 28:
        return tr("(32 - 5) / 1 + 1 = 28: the kernel fits in 28 positions along each side.")
    if value == 32:
        raise Incorrect(tr("32 is what padding='same' would give; 'valid' adds no zeros."))
    if value == 27:
        raise Incorrect(tr("27 forgets the + 1: positions run from 0 to 32 - 5 = 27 inclusive, so there are 28."))
    raise Incorrect(tr("{value} is not it. Use floor((n + 2p - k) / s) + 1 with p = 0.", value=value))


def _check_conv_params(value) -> str:
    right = reference.conv2d_params(3, 3, 32, 64)
    value = whole_number(value, tr("the parameter count"))
    if value == right:
        return tr("(3*3*32 + 1) * 64 = {right:,}: each filter spans all 32 input channels.", right=right)
    if value == (3 * 3 + 1) * 64:
        raise Incorrect(tr("each filter is 3x3 *per input channel*: multiply by the 32 channels."))
    if value == 3 * 3 * 32 * 64:
        raise Incorrect(tr("that counts the weights; add one bias per filter."))
    raise Incorrect(tr("{value:,} is not it. Use (kh * kw * C_in + 1) * C_out.", value=value))


def _check_horizontal_edge(kernel) -> str:
    k = array(kernel, (3, 3), tr("your kernel"))
    if not np.isclose(k.sum(), 0, atol=1e-9):
        raise Incorrect(tr("your weights sum to {k_sum:g}, so a flat region gives {k_sum:g} times its "
                           "brightness, not 0. Make them sum to 0.",
                           k_sum=k.sum()))
    up = reference.conv2d(_DARK_ABOVE, k)
    down = reference.conv2d(1 - _DARK_ABOVE, k)
    strongest = up.max()
    if strongest < 1:
        raise Incorrect(tr("on 'dark above, bright below' (a step from 0 to 1) your kernel's strongest "
                           "response is {strongest:.3g}; it should be clearly positive, at least 1. Put "
                           "negative weights in the top row and positive ones in the bottom row.",
                           strongest=strongest))
    if down.min() > -1:
        raise Incorrect(tr("on the reversed edge (bright above) your kernel gives at most {down_min:.3g}; "
                           "expected a clearly negative value.",
                           down_min=down.min()))
    side = max(np.abs(reference.conv2d(_DARK_ABOVE.T, k)).max(), np.abs(reference.conv2d(1 - _DARK_ABOVE.T, k)).max())
    if side > 1e-6 * strongest:
        raise Incorrect(tr("a vertical edge also gives {side:.3g}: a horizontal-edge detector should give 0 "
                           "there. Make every column of the kernel add up to 0 (top and bottom weights "
                           "opposite).",
                           side=side))
    return tr("That is a (Prewitt- or Sobel-like) horizontal-edge detector.")


output_size = Exercise(
    N_("07.1 output size"), "32x32 input, 5x5 kernel, stride 1, valid padding: the output height?",
    _check_output_size, (N_("floor((n + 2p - k) / s) + 1"),), "height_out = (32 - 5) // 1 + 1   # 28", (28,))
conv_params = Exercise(
    N_("07.2 Conv2D parameters"), "Parameters of Conv2D(64, (3, 3)) on 32 input channels?",
    _check_conv_params, (N_("(kh * kw * C_in + 1) * C_out"),), "params = (3 * 3 * 32 + 1) * 64   # 18,496",
    (18496,))
horizontal_edge = Exercise(
    N_("07.3 a horizontal-edge kernel"),
    "A 3x3 kernel: at least 1 on 'dark above, bright below' (a step from 0 to 1), 0 on flat regions and on "
    "vertical edges.",
    _check_horizontal_edge,
    (N_("Weights summing to 0 give 0 on a flat region."), N_("Top row negative, bottom row positive, middle row 0.")),
    "my_kernel = [[-1, -2, -1],\n             [ 0,  0,  0],\n             [ 1,  2,  1]]   # Sobel y",
    ([[-1, -2, -1], [0, 0, 0], [1, 2, 1]],))
