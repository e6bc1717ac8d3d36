"""Plots the notebooks share. Each returns its matplotlib Figure.

Grid computations (``decision_grid``) are plain functions so they are tested
without drawing.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np


def _figure(figsize, nrows=1, ncols=1, **kwargs):
    import matplotlib.pyplot as plt

    return plt.subplots(nrows, ncols, figsize=figsize, squeeze=False, **kwargs)


def image_grid(images, labels=None, class_names=None, predictions=None, n: int = 16, ncols: int = 8,
               title: str | None = None):
    """Show the first ``n`` images; titles give the label, or "pred (true)" with
    mistakes in red when ``predictions`` are given."""
    images = np.asarray(images)
    if images.ndim not in (3, 4):
        raise ValueError(f"image_grid: expected images of shape (N, H, W) or (N, H, W, C), got {images.shape}.")
    n = min(int(n), len(images))
    if n < 1:
        raise ValueError("image_grid: no images to show.")
    ncols = max(1, min(int(ncols), n))
    nrows = -(-n // ncols)
    fig, axes = _figure((1.4 * ncols, 1.6 * nrows), nrows, ncols)

    def name(index):
        index = int(np.asarray(index).reshape(-1)[0])
        return class_names[index] if class_names is not None else str(index)

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
    logs = history.history if hasattr(history, "history") else dict(history)
    present = [m for m in metrics if m in logs]
    if not present:
        raise ValueError(f"learning_curves: none of {metrics} in the history; it has {sorted(logs)}.")
    fig, axes = _figure((5 * len(present), 3.5), 1, len(present))
    for ax, metric in zip(axes.flat, present):
        epochs = np.arange(1, len(logs[metric]) + 1)
        ax.plot(epochs, logs[metric], "o-", label="training")
        if f"val_{metric}" in logs:
            ax.plot(epochs, logs[f"val_{metric}"], "s--", label="validation")
        ax.set_xlabel("epoch")
        ax.set_ylabel(metric)
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
    if resolution < 2:
        raise ValueError(f"decision_grid: resolution must be at least 2, got {resolution}.")
    xs = np.linspace(*xlim, int(resolution))
    ys = np.linspace(*ylim, int(resolution))
    xx, yy = np.meshgrid(xs, ys)
    zz = np.asarray(predict(np.c_[xx.ravel(), yy.ravel()])).reshape(xx.shape)
    return xx, yy, zz


def draw_decision_boundary(ax, predict, x, y, xlim=(-0.5, 1.5), ylim=(-0.5, 1.5), resolution: int = 200,
                           title: str | None = None):
    """Shade where ``predict`` says 1 and plot the points, coloured by their target."""
    xx, yy, zz = decision_grid(predict, xlim, ylim, resolution)
    ax.contourf(xx, yy, zz, levels=[-0.5, 0.5, 1.5], colors=["#f4cccc", "#cfe2f3"], alpha=0.8)
    x = np.asarray(x)
    y = np.asarray(y).reshape(-1)
    for target, marker, color in ((0, "o", "#cc0000"), (1, "s", "#1155cc")):
        chosen = y == target
        ax.scatter(x[chosen, 0], x[chosen, 1], marker=marker, s=90, c=color, edgecolors="black",
                   label=f"target {target}", zorder=3)
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


def save_fig(fig, name: str, folder: str | Path | None = None, fmt: str = "png") -> Path:
    """Save a figure under the course's runs folder (ignored by git) and return the path."""
    from .config import runs_dir

    safe = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in name)
    if not safe:
        raise ValueError("save_fig: give the figure a name made of letters, digits, '-' or '_'.")
    target = Path(folder) if folder is not None else runs_dir("figures")
    target.mkdir(parents=True, exist_ok=True)
    path = target / f"{safe}.{fmt}"
    fig.savefig(path, bbox_inches="tight")
    return path
