"""Exercises of notebook 11: separable convolutions, receptive fields, SE blocks, residual shortcuts."""

from .. import reference
from .core import Exercise, Incorrect, choices_table, whole_number

_REGULAR = reference.conv2d_params(3, 3, 64, 128)            # 73,856
_SEPARABLE = reference.separable_conv2d_params(3, 64, 128)   # 8,896
_SE_512 = reference.se_block_params(512, 16)                 # 33,312
_FIELD = reference.receptive_field([(3, 1)] * 4)[-1]         # 9

_SHORTCUTS = {"first 64-filter unit": "no", "first 128-filter unit": "yes", "second 128-filter unit": "no"}
_YES_NO = {"yes": ("y", "true", "needed", "1x1"), "no": ("n", "false", "not needed", "identity")}
_WHY_SHORTCUT = {
    "first 64-filter unit": "its input already has 64 channels and the same size: the identity fits",
    "first 128-filter unit": "it halves the size (stride 2) and goes from 64 to 128 channels, so x cannot be "
                             "added to F(x) as it is",
    "second 128-filter unit": "its input is the first 128-filter unit's output: same size, same channels",
}


def _check_separable(regular, separable) -> str:
    regular = whole_number(regular, "the Conv2D count")
    separable = whole_number(separable, "the SeparableConv2D count")
    if regular != _REGULAR:
        if regular == _REGULAR - 128:
            raise Incorrect("the Conv2D count misses the 128 biases.")
        raise Incorrect(f"the Conv2D count {regular:,} is not it: (3 * 3 * 64 + 1) * 128.")
    if separable == _SEPARABLE:
        return (f"{_REGULAR:,} against {_SEPARABLE:,}: the separable layer has {_SEPARABLE / _REGULAR:.0%} of the "
                "parameters.")
    if separable == _SEPARABLE - 128:
        raise Incorrect("the SeparableConv2D count misses the 128 biases of its pointwise step.")
    if separable == 3 * 3 * 64 * 128 + 64 * 128 + 128:
        raise Incorrect("the depthwise step has one 3x3 kernel per input channel (3 * 3 * 64), not per pair.")
    raise Incorrect(f"the SeparableConv2D count {separable:,} is not it: depthwise 3 * 3 * 64, then pointwise "
                    "64 * 128 weights, plus biases.")


def _check_receptive(field) -> str:
    field = whole_number(field, "the receptive field")
    if field == _FIELD:
        return "each 3x3 layer adds 2 pixels: 3, 5, 7, 9."
    if field == 12:
        raise Incorrect("the layers overlap: each adds kernel - 1 = 2 pixels, not 3.")
    if field == 81:
        raise Incorrect("that is the area (9 x 9); give the width.")
    raise Incorrect(f"{field} is not it. One 3x3 layer sees 3 pixels; each further layer adds 2.")


def _check_se(count) -> str:
    count = whole_number(count, "the parameter count")
    if count == _SE_512:
        return (f"512 * 32 + 32 + 32 * 512 + 512 = {_SE_512:,}: about 1.4 % of one 3x3 convolution with 512 -> 512 "
                "channels.")
    if count == 512 * 32 * 2:
        raise Incorrect("add the biases of the two Dense layers (32 and 512).")
    raise Incorrect(f"{count:,} is not it. Dense(512 -> 512 / 16) and Dense(512 / 16 -> 512), each with biases.")


def _check_shortcut(answers) -> str:
    choices_table(answers, _SHORTCUTS, _YES_NO,
                  lambda item, right, given: f"the {item}: '{right}', not '{given}': {_WHY_SHORTCUT[item]}.")
    return "only the first unit of a stage with more filters (and stride 2) needs one."


separable = Exercise(
    "11.1 regular vs separable convolution",
    "3x3 Conv2D and 3x3 SeparableConv2D, 64 -> 128 channels, with biases: parameters of each?",
    _check_separable,
    ("Conv2D: (k * k * c_in + 1) * c_out.",
     "SeparableConv2D: k * k * c_in (depthwise) + c_in * c_out (pointwise) + c_out (biases)."),
    "regular_params = (3 * 3 * 64 + 1) * 128          # 73,856\n"
    "separable_params = 3 * 3 * 64 + 64 * 128 + 128   # 8,896",
    (_REGULAR, _SEPARABLE))
receptive = Exercise(
    "11.2 receptive field", "Four stacked 3x3 convolutions with stride 1: receptive field width?",
    _check_receptive, ("Draw it in 1-D: an output sees 3 values, each of which sees 3 values of the layer below...",),
    "field = 1 + 4 * (3 - 1)   # 9", (_FIELD,))
se_params = Exercise(
    "11.3 squeeze-and-excitation parameters", "SE block on 512 channels, ratio 16: how many parameters?",
    _check_se, ("The bottleneck has 512 / 16 = 32 units.",),
    "se_params = 512 * 32 + 32 + 32 * 512 + 512   # 33,312", (_SE_512,))
shortcut = Exercise(
    "11.4 residual shortcuts", "Which of these ResNet-34 units need a 1x1 convolution on the shortcut?",
    _check_shortcut, ("x + F(x) needs x and F(x) to have the same shape.",),
    "answers = " + repr(_SHORTCUTS), (dict(_SHORTCUTS),))
