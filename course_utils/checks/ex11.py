"""Exercises of notebook 11: separable convolutions, receptive fields, SE blocks, residual shortcuts."""

from .. import reference
from ..language import N_, tr
from .core import Exercise, Incorrect, choices_table, whole_number

_REGULAR = reference.conv2d_params(3, 3, 64, 128)            # 73,856
_SEPARABLE = reference.separable_conv2d_params(3, 64, 128)   # 8,896
_SE_512 = reference.se_block_params(512, 16)                 # 33,312
_FIELD = reference.receptive_field([(3, 1)] * 4)[-1]         # 9

_SHORTCUTS = {"first 64-filter unit": "no", "first 128-filter unit": "yes", "second 128-filter unit": "no"}
_YES_NO = {"yes": ("y", "true", "needed", "1x1"), "no": ("n", "false", "not needed", "identity")}
_WHY_SHORTCUT = {
    "first 64-filter unit": N_("its input already has 64 channels and the same size: the identity fits"),
    "first 128-filter unit": N_("it halves the size (stride 2) and goes from 64 to 128 channels, so x cannot be "
                             "added to F(x) as it is"),
    "second 128-filter unit": N_("its input is the first 128-filter unit's output: same size, same channels"),
}


def _check_separable(regular, separable) -> str:
    regular = whole_number(regular, tr("the Conv2D count"))
    separable = whole_number(separable, tr("the SeparableConv2D count"))
    if regular != _REGULAR:
        if regular == _REGULAR - 128:
            raise Incorrect(tr("the Conv2D count misses the 128 biases."))
        raise Incorrect(tr("the Conv2D count {regular:,} is not it: (3 * 3 * 64 + 1) * 128.", regular=regular))
    if separable == _SEPARABLE:
        return (tr("{REGULAR_value:,} against {SEPARABLE_value:,}: the separable layer has "
                   "{SEPARABLE__REGULAR:.0%} of the parameters.",
                   REGULAR_value=_REGULAR, SEPARABLE_value=_SEPARABLE, SEPARABLE__REGULAR=_SEPARABLE / _REGULAR))
    if separable == _SEPARABLE - 128:
        raise Incorrect(tr("the SeparableConv2D count misses the 128 biases of its pointwise step."))
    if separable == 3 * 3 * 64 * 128 + 64 * 128 + 128:
        raise Incorrect(tr("the depthwise step has one 3x3 kernel per input channel (3 * 3 * 64), not per pair."))
    raise Incorrect(tr("the SeparableConv2D count {separable:,} is not it: depthwise 3 * 3 * 64, then "
                       "pointwise 64 * 128 weights, plus biases.",
                       separable=separable))


def _check_receptive(field) -> str:
    field = whole_number(field, tr("the receptive field"))
    if field == _FIELD:
        return tr("each 3x3 layer adds 2 pixels: 3, 5, 7, 9.")
    if field == 12:
        raise Incorrect(tr("the layers overlap: each adds kernel - 1 = 2 pixels, not 3."))
    if field == 81:
        raise Incorrect(tr("that is the area (9 x 9); give the width."))
    raise Incorrect(tr("{field} is not it. One 3x3 layer sees 3 pixels; each further layer adds 2.", field=field))


def _check_se(count) -> str:
    count = whole_number(count, tr("the parameter count"))
    if count == _SE_512:
        return (tr("512 * 32 + 32 + 32 * 512 + 512 = {SE_512_value:,}: about 1.4 % of one 3x3 convolution with "
                   "512 -> 512 channels.",
                   SE_512_value=_SE_512))
    if count == 512 * 32 * 2:
        raise Incorrect(tr("add the biases of the two Dense layers (32 and 512)."))
    raise Incorrect(tr("{count:,} is not it. Dense(512 -> 512 / 16) and Dense(512 / 16 -> 512), each with "
                       "biases.",
                       count=count))


def _check_shortcut(answers) -> str:
    choices_table(answers, _SHORTCUTS, _YES_NO,
                  lambda item, right, given: tr("the {item}: '{right}', not '{given}': {WHY_SHORTCUT_item}.",
                                                item=item, right=right, given=given,
                                                WHY_SHORTCUT_item=tr(_WHY_SHORTCUT[item])))
    return tr("only the first unit of a stage with more filters (and stride 2) needs one.")


separable = Exercise(
    N_("11.1 regular vs separable convolution"),
    "3x3 Conv2D and 3x3 SeparableConv2D, 64 -> 128 channels, with biases: parameters of each?",
    _check_separable,
    (N_("Conv2D: (k * k * c_in + 1) * c_out."),
     N_("SeparableConv2D: k * k * c_in (depthwise) + c_in * c_out (pointwise) + c_out (biases).")),
    "regular_params = (3 * 3 * 64 + 1) * 128          # 73,856\n"
    "separable_params = 3 * 3 * 64 + 64 * 128 + 128   # 8,896",
    (_REGULAR, _SEPARABLE))
receptive = Exercise(
    N_("11.2 receptive field"), "Four stacked 3x3 convolutions with stride 1: receptive field width?",
    _check_receptive, (N_("Draw it in 1-D: an output sees 3 values, each of which sees 3 values of the layer "
                          "below..."),),
    "field = 1 + 4 * (3 - 1)   # 9", (_FIELD,))
se_params = Exercise(
    N_("11.3 squeeze-and-excitation parameters"), "SE block on 512 channels, ratio 16: how many parameters?",
    _check_se, (N_("The bottleneck has 512 / 16 = 32 units."),),
    "se_params = 512 * 32 + 32 + 32 * 512 + 512   # 33,312", (_SE_512,))
shortcut = Exercise(
    N_("11.4 residual shortcuts"), "Which of these ResNet-34 units need a 1x1 convolution on the shortcut?",
    _check_shortcut, (N_("x + F(x) needs x and F(x) to have the same shape."),),
    "answers = " + repr(_SHORTCUTS), (dict(_SHORTCUTS),))
