"""Plots the notebooks share. Each returns its matplotlib Figure.

Grid computations (``decision_grid``) are plain functions so they are tested
without drawing.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from . import validate
from .language import tr


def _figure(figsize, nrows=1, ncols=1, **kwargs):
    import matplotlib.pyplot as plt

    return plt.subplots(nrows, ncols, figsize=figsize, squeeze=False, **kwargs)


def image_grid(images, labels=None, class_names=None, predictions=None, n: int = 16, ncols: int = 8,
               title: str | None = None):
    """Show the first ``n`` images; titles give the label, or "pred (true)" with
    mistakes in red when ``predictions`` are given."""
    images = validate.array("image_grid", "images", images, ndim=(3, 4), dtype=None)
    if not np.issubdtype(images.dtype, np.number):
        raise TypeError(f"image_grid: images must hold numbers, got dtype {images.dtype}.")
    if images.ndim == 4 and images.shape[-1] not in (1, 3, 4):
        raise ValueError(f"image_grid: images must have 1 (gray), 3 (RGB) or 4 (RGBA) channels in their last axis, "
                         f"got shape {images.shape}.")
    n = min(validate.whole("image_grid", "n", n, low=1), len(images))
    ncols = max(1, min(validate.whole("image_grid", "ncols", ncols, low=1), n))
    n_names = len(class_names) if class_names is not None else None
    for name_, values in (("labels", labels), ("predictions", predictions)):
        if values is not None:
            values = validate.class_labels("image_grid", name_, values, n_names).reshape(-1)
            if len(values) < n:
                raise ValueError(f"image_grid: {name_} has {len(values)} entries for {n} images.")
    nrows = -(-n // ncols)
    fig, axes = _figure((1.4 * ncols, 1.6 * nrows), nrows, ncols)

    def name(index):
        index = int(np.asarray(index).reshape(-1)[0])
        return tr(str(class_names[index])) if class_names is not None else str(index)  # the course's own: translated

    for k, ax in enumerate(axes.flat):
        ax.axis("off")
        if k >= n:
            continue
        image = images[k]
        if image.ndim == 3 and image.shape[-1] == 1:
            image = image[..., 0]
        ax.imshow(image, cmap="gray" if image.ndim == 2 else None)
        if predictions is not None and labels is not None:
            right = name(predictions[k]) == name(labels[k])
            ax.set_title(f"{name(predictions[k])}\n({name(labels[k])})", fontsize=8,
                         color="black" if right else "red")
        elif labels is not None:
            ax.set_title(name(labels[k]), fontsize=8)
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig


def learning_curves(history, metrics=("loss", "accuracy"), title: str | None = None):
    """Training vs validation curves for each metric in a Keras ``History`` (or its dict)."""
    if isinstance(metrics, str):
        metrics = (metrics,)
    if hasattr(history, "history"):
        logs = history.history
    elif isinstance(history, dict):
        logs = history
    else:
        raise TypeError(f"learning_curves: history must be what fit() returns (or its .history dict), "
                        f"got {type(history).__name__}.")
    present = [m for m in metrics if m in logs]
    if not present:
        raise ValueError(f"learning_curves: none of {metrics} in the history; it has {sorted(logs)}.")
    for metric in present:
        values = validate.array("learning_curves", f"history['{metric}']", logs[metric], ndim=1,
                                finite=False)  # a run that diverged (NaN loss) is worth seeing too
        if f"val_{metric}" in logs and len(logs[f"val_{metric}"]) != len(values):
            raise ValueError(f"learning_curves: history['val_{metric}'] must have one value per epoch like "
                             f"history['{metric}'] ({len(values)}), got {len(logs[f'val_{metric}'])}.")
    fig, axes = _figure((5 * len(present), 3.5), 1, len(present))
    for ax, metric in zip(axes.flat, present):
        epochs = np.arange(1, len(logs[metric]) + 1)
        ax.plot(epochs, logs[metric], "o-", label=tr("training"))
        if f"val_{metric}" in logs:
            ax.plot(epochs, logs[f"val_{metric}"], "s--", label=tr("validation"))
        ax.set_xlabel(tr("epoch"))
        ax.set_ylabel(tr(metric))  # "loss", "accuracy": the catalog has them
        ax.legend()
        ax.grid(alpha=0.3)
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig


def decision_grid(predict, xlim=(-0.5, 1.5), ylim=(-0.5, 1.5), resolution: int = 200):
    """Evaluate ``predict`` (a function of an (M, 2) array) on a grid.

    Returns (xx, yy, zz) with zz shaped like the grid, ready for ``contourf``.
    """
    resolution = validate.whole("decision_grid", "resolution", resolution, low=2)
    if not callable(predict):
        raise TypeError(f"decision_grid: predict must be a function of an (M, 2) array, got {predict!r}.")
    for name, limits in (("xlim", xlim), ("ylim", ylim)):
        low, high = validate.array("decision_grid", name, limits, shape=(2,))
        if low >= high:
            raise ValueError(f"decision_grid: {name} must be (low, high) with low < high, got {tuple(limits)!r}.")
    xs = np.linspace(*xlim, resolution)
    ys = np.linspace(*ylim, resolution)
    xx, yy = np.meshgrid(xs, ys)
    values = predict(np.c_[xx.ravel(), yy.ravel()])
    if values is None or np.size(values) != xx.size:
        got = "None (does it end with `return`?)" if values is None else f"{np.size(values)} values"
        raise ValueError(f"decision_grid: predict must return one value per point ({xx.size} for an (M, 2) array "
                         f"of {xx.size} points), got {got}.")
    zz = np.asarray(values, dtype=float).reshape(xx.shape)
    return xx, yy, zz


def draw_decision_boundary(ax, predict, x, y, xlim=(-0.5, 1.5), ylim=(-0.5, 1.5), resolution: int = 200,
                           title: str | None = None):
    """Shade where ``predict`` says 1 and plot the points, coloured by their target."""
    xx, yy, zz = decision_grid(predict, xlim, ylim, resolution)
    x = validate.array("draw_decision_boundary", "x", x, shape=(None, 2))
    y = validate.array("draw_decision_boundary", "y", y).reshape(-1)
    if len(y) != len(x):
        raise ValueError(f"draw_decision_boundary: {len(x)} points in x but {len(y)} targets in y.")
    ax.contourf(xx, yy, zz, levels=[-0.5, 0.5, 1.5], colors=["#f4cccc", "#cfe2f3"], alpha=0.8)
    for target, marker, color in ((0, "o", "#cc0000"), (1, "s", "#1155cc")):
        chosen = y == target
        ax.scatter(x[chosen, 0], x[chosen, 1], marker=marker, s=90, c=color, edgecolors="black",
                   label=tr("target {target}", target=target), zorder=3)
    ax.set_xlim(xlim)
    ax.set_ylim(ylim)
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    ax.set_aspect("equal")
    if title:
        ax.set_title(title)
    return ax


def decision_boundary(predict, x, y, title: str | None = None, **kwargs):
    """A one-axes figure with ``draw_decision_boundary``."""
    fig, axes = _figure((4, 4))
    draw_decision_boundary(axes[0, 0], predict, x, y, title=title, **kwargs)
    axes[0, 0].legend(loc="upper right", fontsize=8)
    fig.tight_layout()
    return fig


_FIGURE_FORMATS = ("png", "pdf", "svg", "jpg")


def save_fig(fig, name: str, folder: str | Path | None = None, fmt: str = "png") -> Path:
    """Save a figure under the course's runs folder (ignored by git) and return the path.

    ``folder`` is a folder *inside* ``runs/`` (default ``figures``): nothing is written elsewhere.
    """
    from .config import runs_dir

    if not hasattr(fig, "savefig"):
        raise TypeError(f"save_fig: fig must be a matplotlib Figure, got {type(fig).__name__}.")
    if not isinstance(name, str):
        raise TypeError(f"save_fig: name must be a string, got {name!r}.")
    fmt = validate.choice("save_fig", "fmt", fmt, _FIGURE_FORMATS)
    safe = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in name)
    if not safe.strip("_"):
        raise ValueError(f"save_fig: name must contain letters or digits ('-' and '_' allowed), got {name!r}.")
    target = runs_dir(str(folder) if folder is not None else "figures")
    path = target / f"{safe}.{fmt}"
    fig.savefig(path, bbox_inches="tight")
    return path
