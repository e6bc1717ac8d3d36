"""The loss explorer (notebook 03)."""

from __future__ import annotations

import numpy as np

from .. import reference, validate
from ..language import tr
from .base import TABLE_STYLE, CourseWidget, FigureImage, clamp, load_ipywidgets


def binary_loss_report(y: int, p: float) -> dict:
    """Each loss, its slope d(loss)/dp, and its slope d(loss)/dz for one binary prediction p = sigmoid(z) of target y.

    Training moves the logit z, so d/dz = d/dp * p (1 - p) is the push a sigmoid output actually gets:
    cross-entropy's is p - y (never larger than 1, but large when confidently wrong); MSE's vanishes there.
    """
    y = validate.choice("binary_loss_report", "y", y, (0, 1))
    p = clamp(p, 0.0, 1.0, "binary_loss_report", "p")
    grads = reference.loss_gradients([y], [p])
    sigmoid_slope = p * (1 - p)
    report = {}
    for name, value in (("mse", reference.mse([y], [p])), ("mae", reference.mae([y], [p])),
                        ("binary_crossentropy", reference.binary_crossentropy([y], [p]))):
        slope_p = float(grads[name][0])
        report[name] = (float(value), slope_p, slope_p * sigmoid_slope)
    return report


#: Each binary loss of every example separately (reference.mse and friends return the mean).
_LOSS_CURVES = {
    "mse": lambda y, p: (y - p) ** 2,
    "mae": lambda y, p: np.abs(y - p),
    "binary_crossentropy": lambda y, p: -(y * np.log(p) + (1 - y) * np.log(1 - p)),
}


class LossExplorer(CourseWidget):
    """Move the predicted probability; watch MSE, MAE and cross-entropy and their slopes."""

    def __init__(self, y: int = 1, p: float = 0.7):
        w = load_ipywidgets()
        y = validate.choice("LossExplorer", "y", y, (0, 1))
        p = clamp(p, 0.01, 0.99, "LossExplorer", "p")
        self.target = w.ToggleButtons(options=[0, 1], value=y, description=tr("target y"))
        self.p = w.FloatSlider(value=p, min=0.01, max=0.99, step=0.01,
                               description=tr("predicted p"))
        self.table = w.HTML()
        self.plot = FigureImage(figsize=(5.5, 3.2))
        self._curves = {}
        self._marks = {}
        ax = self.plot.axes[0]
        for name, color in (("mse", "#1155cc"), ("mae", "#38761d"), ("binary_crossentropy", "#cc0000")):
            (self._curves[name],) = ax.plot([], [], color=color, label=name)
            (self._marks[name],) = ax.plot([], [], "o", color=color)
        ax.set(xlabel=tr("predicted probability p"), ylabel=tr("loss"), xlim=(0, 1), ylim=(0, 4.7))
        ax.legend(loc="upper center", fontsize=8)
        ax.grid(alpha=0.3)
        self.plot.figure.tight_layout()
        self.plot.animate(*self._curves.values(), *self._marks.values())
        self._drawn_target = None
        self._watch(self.target, self.p)
        self.widget = w.HBox([w.VBox([self.target, self.p, self.table]), self.plot.widget])
        self._update()

    def _update(self, _change=None) -> None:
        y, p = self.target.value, self.p.value
        if self._drawn_target != y:  # the axes stay; only the curves change with the target
            ps = np.linspace(0.005, 0.995, 199)
            targets = np.full_like(ps, y)
            for name, curve in self._curves.items():
                curve.set_data(ps, _LOSS_CURVES[name](targets, ps))
            self._drawn_target = y
        report = binary_loss_report(y, p)
        for name, (value, _slope_p, _slope_z) in report.items():
            self._marks[name].set_data([p], [value])
        rows = "".join(f"<tr><td>{name}</td><td>{value:.3f}</td><td>{slope_p:+.3f}</td><td>{slope_z:+.3f}</td></tr>"
                       for name, (value, slope_p, slope_z) in report.items())
        header = tr("<th>loss</th><th>value</th><th>slope d/dp</th><th>slope d/dz (z = logit)</th>")
        self.table.value = f"<table style='{TABLE_STYLE}'><tr>{header}</tr>{rows}</table>"
        self.plot.render()


#: The rates the optimizer playground offers: exact values, so 0.09 and 0.11 mean 0.09 and 0.11.
