"""Exercises of notebook 04: one gradient step, updates per epoch, the diverging learning rate."""

from ..language import N_, tr
from .core import Exercise, Incorrect, is_close, number, whole_number


def _check_gd_step(new_w) -> str:
    right = 2.0 - 0.1 * (2 * (2.0 - 5.0))
    value = number(new_w, "new_w")
    if is_close(value, right, decimals=3):
        return tr("w - lr * dE/dw = 2 - 0.1 * (-6) = 2.6: a step towards the minimum at w = 5.")
    if is_close(value, 2.0 + 0.1 * (2 * (2.0 - 5.0)), decimals=3):
        raise Incorrect(tr("you stepped *up* the slope; gradient descent subtracts the gradient."))
    raise Incorrect(tr("{value} is not it. dE/dw = 2 (w - 5) = -6 at w = 2; then w_new = w - lr * dE/dw.",
                       value=value))


def _check_updates_per_epoch(count) -> str:
    count = whole_number(count, tr("the number of updates"))
    if count == 391:
        return tr("50,000 / 128 = 390.6: 390 full batches and one of 80, so 391 updates.")
    if count == 390:
        raise Incorrect(tr("390 forgets the last, smaller batch: 390 x 128 = 49,920 leaves 80 samples."))
    raise Incorrect(tr("{count} is not it: how many batches of 128 cover 50,000 samples?", count=count))


def _check_diverging_rate(rate) -> str:
    value = number(rate, "rate")
    if is_close(value, 1.0, decimals=3):
        return tr("w <- w - lr * 2w = (1 - 2 lr) w: it shrinks only while |1 - 2 lr| < 1, so lr < 1.")
    if is_close(value, 0.5, decimals=3):
        raise Incorrect(tr("at lr = 0.5 the first step lands exactly on the minimum; larger rates still "
                           "converge, up to a point."))
    raise Incorrect(tr("{value} is not it. Each step multiplies w by (1 - 2 lr); when does that factor reach "
                       "-1?",
                       value=value))


gd_step = Exercise(
    N_("04.1 one gradient step"), "E(w) = (w - 5)^2, w = 2, learning rate 0.1. What is w after one step?",
    _check_gd_step, (N_("dE/dw = 2 (w - 5)."), N_("w_new = w - 0.1 * dE/dw.")), "new_w = 2 - 0.1 * 2 * (2 - 5)   # 2.6",
    (2.6,))
updates = Exercise(
    N_("04.2 updates per epoch"), "50,000 samples, batch size 128: how many weight updates make one epoch?",
    _check_updates_per_epoch, (N_("Divide and round up: the last batch may be smaller."),),
    "updates = -(-50000 // 128)   # ceil: 391", (391,))
diverge = Exercise(
    N_("04.3 when does it diverge?"), "On E(w) = w^2, above which learning rate does plain gradient descent diverge?",
    _check_diverging_rate, (N_("One step gives w_new = w - lr * 2w = (1 - 2 lr) w."),), "rate = 1.0", (1.0,))
