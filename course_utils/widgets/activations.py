"""The activation explorer (notebook 02)."""

from __future__ import annotations

import numpy as np

from .. import reference, validate
from ..language import tr
from .base import CourseWidget, FigureImage, clamp, labelled, load_ipywidgets


class ActivationExplorer(CourseWidget):
    """Pick an activation and an input range; see f(z) and f'(z) side by side."""

    def __init__(self, name: str = "sigmoid", low: float = -6.0, high: float = 6.0):
        from matplotlib.ticker import MaxNLocator

        w = load_ipywidgets()
        who = "ActivationExplorer"
        name = validate.choice(who, "name", name, reference.ACTIVATIONS)
        low, high = clamp(low, -20, 19, who, "low"), clamp(high, -19, 20, who, "high")
        if low >= high:
            raise ValueError(f"{who}: low must be less than high, got low={low:g} and high={high:g}.")
        self.function = w.Dropdown(options=labelled(reference.ACTIVATIONS), value=name, description=tr("function"))
        # whole numbers: the readout box is narrow, and "-20 – 20" fits where "-19.50 – 19.50" is cut
        self.z_range = w.FloatRangeSlider(value=(low, high), min=-20, max=20, step=1.0, readout_format=".0f",
                                          description=tr("z range"), continuous_update=False)
        self.plot = FigureImage(figsize=(8, 3), ncols=2)
        self.caption = w.HTML()
        left, right = self.plot.axes
        (self._f,) = left.plot([], [], lw=2)
        (self._df,) = right.plot([], [], lw=2, color="#cc4125")
        for ax, label in ((left, "f(z)"), (right, "f'(z)")):
            ax.set_xlabel("z")
            ax.set_ylabel(label)
            ax.grid(alpha=0.3)
            ax.axhline(0, color="gray", lw=0.5)
            # few ticks: drawing tick labels is most of the cost of a full redraw
            ax.xaxis.set_major_locator(MaxNLocator(4))
            ax.yaxis.set_major_locator(MaxNLocator(4))
        self.plot.figure.tight_layout()
        self.plot.animate(self._f, self._df)
        self._limits = None
        self._watch(self.function, self.z_range)
        self.widget = w.VBox([w.HBox([self.function, self.z_range]), self.caption, self.plot.widget])
        self._update()

    def _update(self, _change=None) -> None:
        low, high = self.z_range.value
        if high - low < 0.5:  # the slider allows equal ends; keep a usable range
            high = low + 0.5
        z, f, df = reference.activation_curves(self.function.value, low, high)
        self._f.set_data(z, f)
        self._df.set_data(z, df)
        limits = activation_axis_limits(low, high)
        if limits != self._limits:  # a new z range: redraw the axes once; a new function only redraws curves
            left, right = self.plot.axes
            left.set_xlim(low, high)
            right.set_xlim(low, high)
            left.set_ylim(*limits[2:4])
            right.set_ylim(*limits[4:6])
            self.plot.invalidate()
            self._limits = limits
        self.caption.value = tr("<b>{function}</b>: largest slope {largest:.3f}; slope at z = {high:g} is "
                                "{last:.2g}", function=self.function.value, largest=df.max(), high=high, last=df[-1])
        self.plot.render()


def activation_axis_limits(low: float, high: float) -> tuple[float, ...]:
    """(z_low, z_high, f_low, f_high, df_low, df_high) shared by every activation on [low, high].

    One scale for all functions: switching function keeps the axes (so the widget only redraws the
    curves), and the slopes are directly comparable: the sigmoid's peak of 0.25 looks as small as it is.
    """
    curves = [reference.activation_curves(name, low, high, points=201) for name in reference.ACTIVATIONS]
    f_all = np.concatenate([f for _, f, _ in curves])
    df_all = np.concatenate([df for _, _, df in curves])
    return (float(low), float(high), *_padded(f_all), *_padded(df_all))


def _padded(values, fraction: float = 0.08):
    low, high = float(np.min(values)), float(np.max(values))
    pad = (high - low) * fraction or 0.5
    return round(low - pad, 6), round(high + pad, 6)
