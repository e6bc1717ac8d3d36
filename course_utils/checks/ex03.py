"""Exercises of notebook 03: cross-entropy by hand, which loss for which task."""

import numpy as np

from ..language import N_, tr
from ..reference.losses import KERAS_LOSSES
from .core import Exercise, Incorrect, choices_table, is_close, number

TASKS = {
    "predict tomorrow's temperature": "mse",
    "is this email spam?": "binary_crossentropy",
    "which digit 0-9 (labels are integers)": "sparse_categorical_crossentropy",
    "which digit 0-9 (labels are one-hot)": "categorical_crossentropy",
    "which of 20 tags apply to a photo": "binary_crossentropy",
}
_REGRESSION_ALTERNATIVES = ("mae", "huber")


def _check_cross_entropy(value) -> str:
    right = -np.log(0.6)
    value = number(value)
    if is_close(value, right, decimals=2):
        return tr("-ln(0.6) = {right:.3f}: only the probability of the true class counts.", right=right)
    if is_close(value, -np.log10(0.6), decimals=2):
        raise Incorrect(tr("that is log base 10; cross-entropy uses the natural logarithm (np.log)."))
    if is_close(value, -np.log(0.1), decimals=2) or is_close(value, -np.log(0.3), decimals=2):
        raise Incorrect(tr("you took the log of a wrong class's probability; the true class is the second."))
    raise Incorrect(tr("{value} is not it (to 2 decimals): -sum(y * ln p) with y = [0, 1, 0] and p = [0.3, "
                       "0.6, 0.1].",
                       value=value))


def _explain(item, right, given) -> str:
    return (tr("'{item}': {given} is not the usual choice; think about what the labels look like and how many "
               "classes can be true at once.",
               item=item, given=given))


def _check_loss_choice(answers) -> str:
    if isinstance(answers, dict):
        answers = dict(answers)
        key = "predict tomorrow's temperature"
        if isinstance(answers.get(key), str) and answers[key].strip().lower() in _REGRESSION_ALTERNATIVES:
            answers[key] = "mse"  # MAE and Huber are right answers for regression too
    choices_table(answers, TASKS, KERAS_LOSSES, _explain)
    return (tr("Regression: MSE (or MAE, Huber); one yes/no, or many independent yes/no: binary cross-entropy; "
               "one of many: categorical (sparse for integer labels)."))


cross_entropy = Exercise(
    N_("03.1 cross-entropy by hand"),
    "True class: the second of three. Prediction p = [0.3, 0.6, 0.1]. What is the categorical cross-entropy "
    "(to 2 decimals)?",
    _check_cross_entropy, (N_("Only the true class's term survives: -1 * ln(p_true)."),),
    "loss = -np.log(0.6)   # 0.511", (float(-np.log(0.6)),))
which_loss = Exercise(
    N_("03.2 which loss?"), "Pick a Keras loss name for each task.", _check_loss_choice,
    (N_("Integer labels: 'sparse_'. One-hot labels: plain categorical. Several true at once: binary per label."),),
    "answers = {\"predict tomorrow's temperature\": 'mse', 'is this email spam?': 'binary_crossentropy',\n"
    "           'which digit 0-9 (labels are integers)': 'sparse_categorical_crossentropy',\n"
    "           'which digit 0-9 (labels are one-hot)': 'categorical_crossentropy',\n"
    "           'which of 20 tags apply to a photo': 'binary_crossentropy'}",
    (dict(TASKS),))
