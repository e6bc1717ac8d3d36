"""Exercises of notebook 08: batch-norm parameters, inverted dropout, precision and recall."""

import numpy as np

from ..language import N_, tr
from .core import Exercise, Incorrect, is_close, number, whole_number

# the exercise's confusion matrix: rows = true class, columns = predicted; "coat" is index 1
_CONFUSION = np.array([[50, 10, 0], [15, 40, 5], [0, 5, 45]])
_COAT = 1


def _check_bn_params(total, trainable) -> str:
    total = whole_number(total, "total")
    trainable = whole_number(trainable, "trainable")
    if (total, trainable) == (256, 128):
        return tr("gamma and beta (64 each) are learned; the moving mean and variance (64 each) are only tracked.")
    if total == 128:
        raise Incorrect(tr("128 counts gamma and beta only; the moving mean and variance are stored parameters too."))
    if trainable == 256:
        raise Incorrect(tr("the moving mean and variance are not trained by gradient descent: they are "
                           "non-trainable."))
    raise Incorrect(tr("({total}, {trainable}) is not it. Each of the 64 channels has gamma, beta, a moving "
                       "mean and a moving variance.",
                       total=total, trainable=trainable))


def _check_dropout_scale(scale) -> str:
    value = number(scale, "scale")
    if is_close(value, 1 / 0.75, decimals=2):
        return tr("1 / (1 - 0.25) = 4/3: the kept values are scaled up so the expected sum is unchanged.")
    if is_close(value, 0.75, decimals=2):
        raise Incorrect(tr("0.75 is the keep probability; Keras divides by it (inverted dropout), it does not "
                           "multiply."))
    raise Incorrect(tr("{value} is not it (to 2 decimals). What factor keeps the expected value the same when "
                       "25% become 0?",
                       value=value))


def _check_precision_recall(precision, recall) -> str:
    precision, recall = number(precision, "precision"), number(recall, "recall")
    hits, predicted, actual = _CONFUSION[_COAT, _COAT], _CONFUSION[:, _COAT].sum(), _CONFUSION[_COAT, :].sum()
    right_p, right_r = hits / predicted, hits / actual
    if is_close(precision, right_p) and is_close(recall, right_r):
        return (tr("precision = {hits} / {predicted} = {right_p:.3f} (of the predicted coats), recall = {hits} "
                   "/ {actual} = {right_r:.3f}.",
                   hits=hits, predicted=predicted, right_p=right_p, actual=actual, right_r=right_r))
    if is_close(precision, right_r) and is_close(recall, right_p):
        raise Incorrect(tr("you swapped them: precision divides by everything *predicted* coat (a column), "
                           "recall by everything that *is* a coat (a row)."))
    wrong = tr("precision") if not is_close(precision, right_p) else tr("recall")
    raise Incorrect(tr("{wrong} is not right (to 2 decimals). Precision = true coats predicted coat / all "
                       "predicted coat (a column); recall = true coats predicted coat / all true coats (a row).",
                       wrong=wrong))


bn_params = Exercise(
    N_("08.1 batch-norm parameters"),
    "BatchNormalization after a layer with 64 channels: total parameters and trainable parameters?",
    _check_bn_params, (N_("Four numbers per channel: gamma, beta, moving mean, moving variance."),),
    "total, trainable = 4 * 64, 2 * 64   # 256, 128", (256, 128))
dropout_scale = Exercise(
    N_("08.2 inverted dropout"),
    "Dropout(0.25) in training: by what factor are the kept values multiplied (to 2 decimals)?",
    _check_dropout_scale, (N_("A quarter of the values become 0; the rest must make up for them on average."),),
    "scale = 1 / (1 - 0.25)", (1 / 0.75,))
precision_recall = Exercise(
    N_("08.3 precision and recall"),
    "Confusion matrix rows = true (shirt, coat, pullover), columns = predicted: "
    f"{_CONFUSION.tolist()}. Precision and recall of 'coat' (to 2 decimals)?",
    _check_precision_recall,
    (N_("Precision looks down the 'coat' column; recall along the 'coat' row."),),
    "precision = 40 / (10 + 40 + 5)\nrecall = 40 / (15 + 40 + 5)", (40 / 55, 40 / 60))
