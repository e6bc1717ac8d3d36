"""Reading learning curves, comparing seeds, choosing on data (notebook 09)."""

from __future__ import annotations

import numpy as np

from .. import validate


def selection_optimism(correct, n_select: int, n_splits: int = 200, seed: int = 0) -> dict:
    """How much picking the best of several models on a held-out set flatters the winner.

    ``correct`` is a (models, images) array of 0/1: whether each model got each image right. In each of
    ``n_splits`` random splits, the first ``n_select`` images play a test set used to *choose* the model;
    the winner's accuracy there is compared with its accuracy on the remaining images, which took no part in
    the choice. Returns ``{"chosen_score", "fresh_score", "optimism"}``: arrays with one value per split
    (optimism = chosen - fresh). With one model the optimism averages zero; the more models compete and the
    smaller the choosing set, the larger it gets.
    """
    correct = validate.array("selection_optimism", "correct", correct, ndim=2)
    if not np.all((correct == 0) | (correct == 1)):
        raise ValueError("selection_optimism: correct must hold only 0 and 1 (right or wrong per image).")
    n_images = correct.shape[1]
    n_select = validate.whole("selection_optimism", "n_select", n_select, low=1, high=n_images - 1)
    n_splits = validate.whole("selection_optimism", "n_splits", n_splits, low=1)
    rng = np.random.default_rng(seed)
    chosen, fresh = np.empty(n_splits), np.empty(n_splits)
    for split in range(n_splits):
        order = rng.permutation(n_images)
        select, rest = order[:n_select], order[n_select:]
        scores = correct[:, select].mean(axis=1)
        winner = int(np.argmax(scores))
        chosen[split], fresh[split] = scores[winner], correct[winner, rest].mean()
    return {"chosen_score": chosen, "fresh_score": fresh, "optimism": chosen - fresh}


def diagnose_curves(train_loss, val_loss, high_loss: float, rise: float = 0.1, gap: float = 2.0) -> str:
    """Read a pair of learning curves the way notebook 09's table does.

    "overfitting" if the validation loss ended more than ``rise`` (as a fraction) above its lowest value
    while the training loss kept falling, or if it ended more than ``gap`` times the training loss (the
    model does far better on what it has seen); else "underfitting" if even the lower of the two final
    losses is above ``high_loss`` (what counts as high depends on the task: the notebook takes it from a
    baseline; the lower one, because with dropout or augmentation on, Keras's training loss is measured on
    a harder task than the validation loss); else "good fit".
    """
    train = validate.array("diagnose_curves", "train_loss", train_loss, ndim=1, min_size=2)
    val = validate.array("diagnose_curves", "val_loss", val_loss, ndim=1, min_size=2)
    if train.shape != val.shape:
        raise ValueError(f"diagnose_curves: train_loss and val_loss must have the same length, got "
                         f"{len(train)} and {len(val)}.")
    high_loss = validate.number("diagnose_curves", "high_loss", high_loss, low=0, low_open=True)
    rise = validate.number("diagnose_curves", "rise", rise, low=0)
    gap = validate.number("diagnose_curves", "gap", gap, low=1)
    best = int(np.argmin(val))
    if (val[-1] > (1 + rise) * val[best] and train[-1] < train[best]) or val[-1] > gap * train[-1]:
        return "overfitting"
    if min(train[-1], val[-1]) > high_loss:
        return "underfitting"
    return "good fit"


def mean_and_spread(values) -> tuple[float, float]:
    """Mean and sample standard deviation (ddof=1) of repeated measurements, e.g. one per seed."""
    values = validate.array("mean_and_spread", "values", values, ndim=1, min_size=2)
    return float(np.mean(values)), float(np.std(values, ddof=1))


def compare_seeds(a, b) -> str:
    """"higher", "lower" or "tie": is ``a``'s mean above ``b``'s by more than their two spreads together?

    Each is a list of one measurement per seed; the spread is the sample standard deviation.
    """
    return compare_spreads(mean_and_spread(a), mean_and_spread(b))


def compare_spreads(a, b) -> str:
    """``compare_seeds`` for results already summed up: ``a`` and ``b`` are (mean, spread) pairs."""
    (mean_a, spread_a), (mean_b, spread_b) = a, b
    if abs(mean_a - mean_b) <= spread_a + spread_b:
        return "tie"
    return "higher" if mean_a > mean_b else "lower"


def l2_penalty(weights, factor: float) -> float:
    """What ``keras.regularizers.L2(factor)`` adds to the loss for one weight array: factor * sum(w**2)."""
    weights = validate.array("l2_penalty", "weights", weights, min_size=0)
    factor = validate.number("l2_penalty", "factor", factor, low=0)
    return float(factor * np.sum(weights ** 2))
