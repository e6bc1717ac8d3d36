"""Exercises of notebook 10: trainable parameters after freezing, IoU, the fine-tuning recipe."""

from .. import reference
from ..language import N_, tr
from .core import Exercise, Incorrect, choices_table, is_close, number, whole_number

FEATURES, CLASSES = 64, 2
_TRAINABLE = FEATURES * CLASSES + CLASSES                    # 130
BOX_A, BOX_B = (0, 0, 4, 2), (2, 0, 6, 2)
_IOU = reference.iou(BOX_A, BOX_B)                            # 4 / 12

RECIPE = {
    "after changing trainable you must call compile() again": "true",
    "fine-tune with the learning rate that trained the new head": "false",
    "keep the base's batch-norm layers frozen while fine-tuning": "true",
    "in Keras 3, base(inputs, training=False) keeps batch norm in inference mode during fit()": "false",
    "train the new output layer before unfreezing the base": "true",
}
_TRUTH = {"true": ("yes", "t", "right", "correct"), "false": ("no", "f", "wrong", "incorrect")}
_WHY_RECIPE = {
    "after changing trainable you must call compile() again": N_("the training step is built at compile time; "
                                                              "without compile() the change is ignored"),
    "fine-tune with the learning rate that trained the new head": N_("trap 2 measured it: at the head's rate, "
                                                                  "fine-tuning gained nothing over the frozen "
                                                                  "base; ten times lower scored higher, by "
                                                                  "more than the seeds' spreads"),
    "keep the base's batch-norm layers frozen while fine-tuning": N_("a frozen batch-norm layer runs in inference "
                                                                  "mode and keeps the source statistics"),
    "in Keras 3, base(inputs, training=False) keeps batch norm in inference mode during fit()":
        N_("fit() calls the whole model with training=True, which overrides the flag (section 4 measured it)"),
    "train the new output layer before unfreezing the base": N_("it is the usual advice (the notebook does not "
                                                             "measure it): a randomly initialised head sends "
                                                             "large, random gradients into the base and can "
                                                             "spoil its pretrained features"),
}


def _check_trainable(count) -> str:
    count = whole_number(count, tr("the trainable count"))
    if count == _TRAINABLE:
        return tr("64 * 2 weights + 2 biases: only the new layer learns.")
    if count == FEATURES * CLASSES:
        raise Incorrect(tr("add the new layer's 2 biases."))
    raise Incorrect(tr("{count:,} is not it. A frozen base contributes no trainable parameters; count the new "
                       "Dense layer's weights and biases.",
                       count=count))


def _check_iou(value) -> str:
    value = number(value, tr("the IoU"))
    if is_close(value, _IOU, decimals=2):
        return tr("intersection 2 x 2 = 4, union 8 + 8 - 4 = 12: 4 / 12 = 0.33.")
    if is_close(value, 0.5, decimals=2):
        raise Incorrect(tr("4 / 8 divides by one box's area; IoU divides by the union, 8 + 8 - 4."))
    if is_close(value, 0.25, decimals=2):
        raise Incorrect(tr("4 / 16 adds the two areas without taking the overlap away once."))
    raise Incorrect(tr("{value} is not it (to 2 decimals). Overlap area / (area A + area B - overlap area).",
                       value=value))


def _check_recipe(answers) -> str:
    choices_table(answers, RECIPE, _TRUTH,
                  lambda item, right, given: tr("'{item}' is {right}, not {given}: {WHY_RECIPE_item}.",
                                                item=item, right=right, given=given,
                                                WHY_RECIPE_item=tr(_WHY_RECIPE[item])))
    return (tr("freeze, train the head, unfreeze all but batch norm, compile again with a lower rate (chosen "
               "on validation data), fine-tune."))


trainable_after_freezing = Exercise(
    N_("10.1 trainable parameters"), "Frozen base with 64 output features + Dense(2, softmax): trainable parameters?",
    _check_trainable,
    (N_("Frozen layers' parameters are not trainable."), N_("A Dense layer has inputs * units + units.")),
    "trainable = 64 * 2 + 2   # 130", (_TRAINABLE,))
iou = Exercise(
    N_("10.2 intersection over union"), "IoU of (0, 0, 4, 2) and (2, 0, 6, 2), to 2 decimals?",
    _check_iou, (N_("Draw them: two 4 x 2 boxes that overlap in a 2 x 2 square."),),
    "iou = (2 * 2) / (8 + 8 - 4)   # 0.33", (_IOU,))
recipe = Exercise(
    N_("10.3 the fine-tuning recipe"), "True or false, for each statement about transfer learning?",
    _check_recipe, (N_("Section 4 measured four of these: compile() in trap 1, the fine-tuning rate in trap 2, "
                       "batch norm and training=False in trap 3."),
                    N_("No cell measures the order of the steps: think of the gradients a randomly initialised "
                       "output layer would send into the base.")),
    "answers = " + repr(RECIPE), (dict(RECIPE),))
